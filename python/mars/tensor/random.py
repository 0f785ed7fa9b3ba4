"""mars.tensor.random: numpy.random's functions over Mars's counter-based
generator (Philox4x32-10). The same seed gives the same numbers however the
tensor is chunked; they are not numpy's numbers for that seed."""

import operator

import numpy as np

from .. import _mars
from .core import _wrap, _dtype_name


def _size(size, args=()):
    if args:
        return [operator.index(a) for a in args]
    if size is None:
        return []
    if isinstance(size, (tuple, list)):
        return [operator.index(s) for s in size]
    return [operator.index(size)]


class RandomState:
    """numpy.random.RandomState's interface. Every call draws from a new
    stream: the state advances by one stream per call."""

    def __init__(self, seed=None):
        self.seed(seed)

    def seed(self, seed=None):
        if seed is None:
            seed = int.from_bytes(np.random.bytes(8), "little") >> 1
        self._seed = int(seed) & (2**63 - 1)
        self._calls = 0

    def _next(self):
        # One Philox key per call: splitmix64 of (seed, call number).
        self._calls += 1
        z = (self._seed + 0x9E3779B97F4A7C15 * self._calls) & (2**64 - 1)
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
        return (z ^ (z >> 31)) & (2**63 - 1)

    def rand(self, *dn, dtype=None, chunk_size=None):
        return self.random_sample(_size(None, dn) or None, dtype=dtype,
                                  chunk_size=chunk_size)

    def randn(self, *dn, dtype=None, chunk_size=None):
        return self.standard_normal(_size(None, dn) or None, dtype=dtype,
                                    chunk_size=chunk_size)

    def random_sample(self, size=None, dtype=None, chunk_size=None):
        return self.uniform(0.0, 1.0, size, dtype=dtype, chunk_size=chunk_size)

    random = random_sample
    sample = random_sample
    ranf = random_sample

    def uniform(self, low=0.0, high=1.0, size=None, dtype=None,
                chunk_size=None):
        return _wrap(_mars.random_uniform(self._next(), float(low),
                                          float(high), _size(size),
                                          _dtype_name(dtype or float),
                                          chunk_size))

    def standard_normal(self, size=None, dtype=None, chunk_size=None):
        return self.normal(0.0, 1.0, size, dtype=dtype, chunk_size=chunk_size)

    def normal(self, loc=0.0, scale=1.0, size=None, dtype=None,
               chunk_size=None):
        return _wrap(_mars.random_normal(self._next(), float(loc),
                                         float(scale), _size(size),
                                         _dtype_name(dtype or float),
                                         chunk_size))

    def randint(self, low, high=None, size=None, dtype=int, chunk_size=None):
        if high is None:
            low, high = 0, low
        return _wrap(_mars.random_integers(self._next(), operator.index(low),
                                           operator.index(high), _size(size),
                                           _dtype_name(dtype), chunk_size))

    def random_integers(self, low, high=None, size=None, chunk_size=None):
        if high is None:
            low, high = 1, low
        return self.randint(low, operator.index(high) + 1, size,
                            chunk_size=chunk_size)


_state = RandomState(0)


def seed(seed=None):
    _state.seed(seed)


def rand(*dn, **kw):
    return _state.rand(*dn, **kw)


def randn(*dn, **kw):
    return _state.randn(*dn, **kw)


def random(size=None, **kw):
    return _state.random_sample(size, **kw)


random_sample = random
sample = random
ranf = random


def uniform(low=0.0, high=1.0, size=None, **kw):
    return _state.uniform(low, high, size, **kw)


def normal(loc=0.0, scale=1.0, size=None, **kw):
    return _state.normal(loc, scale, size, **kw)


def standard_normal(size=None, **kw):
    return _state.standard_normal(size, **kw)


def randint(low, high=None, size=None, dtype=int, **kw):
    return _state.randint(low, high, size, dtype=dtype, **kw)


def random_integers(low, high=None, size=None, **kw):
    return _state.random_integers(low, high, size, **kw)
