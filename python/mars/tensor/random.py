"""mars.tensor.random: numpy.random's functions over Mars's counter-based
generator (Philox4x32-10). The same seed gives the same numbers however the
tensor is chunked; they are not numpy's numbers for that seed.

Distributions: rand, randn, random/random_sample/sample/ranf, uniform,
normal, standard_normal, randint, random_integers. Sampling: permutation,
shuffle, choice, with the arguments, checks and error messages of numpy's
legacy ``np.random.RandomState`` (numpy 1.24):

* ``permutation(x)``: an int gives a random ordering of ``arange(x)``
  (int64); an array-like or tensor gives a copy shuffled along axis 0 (rows
  of an n-d tensor are kept whole). The order is the stable argsort of
  random 63-bit keys, so it does not depend on chunking.
* ``shuffle(x)``: shuffles along axis 0 in place and returns None. A Mars
  tensor is a value, so "in place" rebinds ``x`` to the shuffled version
  (as ``Tensor.sort`` does): tensors computed from ``x`` earlier keep the
  old values. A writeable numpy array (or a list, or another mutable
  sequence) is shuffled in place, as numpy does (the permutation is drawn
  and executed by Mars, then written into the array); a read-only array
  raises numpy's ``ValueError('array is read-only')``.
* ``choice(a, size=None, replace=True, p=None)``: ``a`` an int (samples of
  ``arange(a)``) or a 1-d array-like/tensor. With replacement: uniform
  integers, or with ``p`` the inverse CDF (``searchsorted`` of uniform
  draws in numpy's normalized ``cumsum(p)``). Without replacement: a prefix
  of a random permutation, or with ``p`` weighted sampling without
  replacement by exponential clocks (Efraimidis-Spirakis / Gumbel top-k:
  the ``k`` smallest keys ``E_i / p_i``, ``E_i`` standard exponential),
  which draws the same distribution as numpy's sequential draws (the order
  of the result is the order of sequential draws too). ``p`` is checked as
  numpy checks it, so a tensor ``p`` is executed when choice is called.

Sparse matrices (Mars's ``density=``): every distribution takes
``density=d`` for a 2-d ``size``: the result is a sparse matrix (CSR, see
docs/Python.md) storing each element with probability ``d``,
independently, holding the value the dense draw has there. The stored
positions come from geometric gaps along segments of each row, so making a
chunk costs about its stored elements, not its area, and any chunking gives
the same matrix.
(scipy.sparse.random stores exactly ``round(d * m * n)`` elements; here
their number is binomial with that mean.)

Differences from numpy: the numbers differ from numpy's for the same seed
(for every function here); a result numpy gives as a scalar (``size=None``)
is a 0-d tensor; the sampling functions take an extra ``chunk_size=``
keyword (the chunking of the result; permutation and choice only)."""

import math
import operator
import warnings
from collections.abc import Sequence

import numpy as np

from .. import _mars
from .core import Tensor, _wrap, _dtype_name, _tensor, _mt

# randint's keys for permutations: uniform in [0, 2**63 - 1).
_KEY_HIGH = 2**63 - 1


def _density(density):
    """A sparse draw's density (None: a dense tensor), as a float."""
    if density is None:
        return None
    if isinstance(density, (bool, np.bool_)) or not isinstance(
            density, (int, float, np.integer, np.floating)):
        raise TypeError("density must be a number, got %s"
                        % type(density).__name__)
    return float(density)


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

    def rand(self, *dn, dtype=None, chunk_size=None, density=None):
        return self.random_sample(_size(None, dn) or None, dtype=dtype,
                                  chunk_size=chunk_size, density=density)

    def randn(self, *dn, dtype=None, chunk_size=None, density=None):
        return self.standard_normal(_size(None, dn) or None, dtype=dtype,
                                    chunk_size=chunk_size, density=density)

    def random_sample(self, size=None, dtype=None, chunk_size=None,
                      density=None):
        return self.uniform(0.0, 1.0, size, dtype=dtype, chunk_size=chunk_size,
                            density=density)

    random = random_sample
    sample = random_sample
    ranf = random_sample

    def uniform(self, low=0.0, high=1.0, size=None, dtype=None,
                chunk_size=None, density=None):
        return _wrap(_mars.random_uniform(self._next(), float(low),
                                          float(high), _size(size),
                                          _dtype_name(dtype or float),
                                          chunk_size, _density(density)))

    def standard_normal(self, size=None, dtype=None, chunk_size=None,
                        density=None):
        return self.normal(0.0, 1.0, size, dtype=dtype, chunk_size=chunk_size,
                           density=density)

    def normal(self, loc=0.0, scale=1.0, size=None, dtype=None,
               chunk_size=None, density=None):
        return _wrap(_mars.random_normal(self._next(), float(loc),
                                         float(scale), _size(size),
                                         _dtype_name(dtype or float),
                                         chunk_size, _density(density)))

    def randint(self, low, high=None, size=None, dtype=int, chunk_size=None,
                density=None):
        if high is None:
            low, high = 0, low
        return _wrap(_mars.random_integers(self._next(), operator.index(low),
                                           operator.index(high), _size(size),
                                           _dtype_name(dtype), chunk_size,
                                           _density(density)))

    def random_integers(self, low, high=None, size=None, chunk_size=None,
                        density=None):
        if high is None:
            low, high = 1, low
        return self.randint(low, operator.index(high) + 1, size,
                            chunk_size=chunk_size, density=density)

    # -- sampling ------------------------------------------------------------
    def _order(self, n, chunk_size=None):
        """A random permutation of arange(n) (int64): the stable argsort of
        random 63-bit keys, the same however the keys are chunked."""
        keys = self.randint(0, _KEY_HIGH, n, dtype=np.int64,
                            chunk_size=chunk_size)
        return _mt().argsort(keys)

    def permutation(self, x, chunk_size=None):
        """numpy.random.permutation: an int gives a random ordering of
        arange(x); an array-like or tensor a copy shuffled along axis 0."""
        if isinstance(x, (int, np.integer)):
            t = self._order(max(operator.index(x), 0), chunk_size)
        else:
            if not isinstance(x, Tensor):
                x = np.asarray(x)
            if x.ndim < 1:
                raise IndexError("x must be an integer or at least "
                                 "1-dimensional")
            t = _tensor(x)
            t = _mt().take(t, self._order(t.shape[0], chunk_size), axis=0)
        return t if chunk_size is None else t.rechunk(chunk_size)

    def shuffle(self, x):
        """numpy.random.shuffle: shuffles ``x`` along axis 0 in place and
        returns None. A tensor is rebound to its shuffled version (tensors
        computed from it before keep the old values); a numpy array, a list
        or another mutable sequence is modified in place, as numpy does."""
        if isinstance(x, Tensor):
            n = len(x)  # TypeError for 0-d, as numpy's.
            x._t = _mt().take(x, self._order(n), axis=0)._t
            return None
        if isinstance(x, np.ndarray) and not x.flags.writeable:
            raise ValueError("array is read-only")
        n = len(x)
        if n <= 1:
            return None
        perm = np.asarray(self._order(n).fetch())
        if isinstance(x, np.ndarray):
            x[...] = x[perm]
            return None
        if not isinstance(x, Sequence):
            warnings.warn(
                "you are shuffling a '%s' object which is not a subclass of "
                "'Sequence'; `shuffle` is not guaranteed to behave correctly."
                " E.g., non-numpy array/tensor objects with view semantics "
                "may contain duplicates after shuffling." % type(x).__name__,
                UserWarning, stacklevel=2)
        items = [x[int(i)] for i in perm]
        for i, v in enumerate(items):
            x[i] = v
        return None

    def choice(self, a, size=None, replace=True, p=None, chunk_size=None):
        """numpy.random.choice: samples of ``a`` (an int: of arange(a); else
        a 1-d array-like or tensor), with or without replacement, uniform or
        with the probabilities ``p``. ``size=None`` gives a 0-d tensor."""
        mt = _mt()
        # The population, checked as numpy checks it.
        if not isinstance(a, Tensor):
            a = np.asarray(a)
        if a.ndim == 0:
            try:
                pop_size = operator.index(a.item())
            except TypeError:
                raise ValueError("a must be 1-dimensional or an integer") \
                    from None
            if pop_size <= 0 and np.prod(size) != 0:
                raise ValueError("a must be greater than 0 unless no samples "
                                 "are taken")
            population = None
        elif a.ndim != 1:
            raise ValueError("a must be 1-dimensional")
        else:
            pop_size = a.shape[0]
            if pop_size == 0 and np.prod(size) != 0:
                raise ValueError("'a' cannot be empty unless no samples are "
                                 "taken")
            population = _tensor(a)

        # The probabilities: checked on the host, as numpy does.
        if p is not None:
            len(p)  # TypeError for a scalar, as numpy's.
            atol = np.sqrt(np.finfo(np.float64).eps)
            if isinstance(p, (np.ndarray, Tensor)) and \
                    np.issubdtype(p.dtype, np.floating):
                atol = max(atol, np.sqrt(np.finfo(p.dtype).eps))
            p = np.array(p, dtype=np.float64)
            if p.ndim != 1:
                raise ValueError("'p' must be 1-dimensional")
            if p.size != pop_size:
                raise ValueError("'a' and 'p' must have same size")
            with np.errstate(invalid="ignore"):
                p_sum = math.fsum(p) if np.isfinite(p).all() else \
                    float(np.sum(p))
            if np.isnan(p_sum):
                raise ValueError("probabilities contain NaN")
            if np.logical_or.reduce(p < 0):
                raise ValueError("probabilities are not non-negative")
            if abs(p_sum - 1.0) > atol:
                raise ValueError("probabilities do not sum to 1")

        # The result's shape.
        if size is None:
            shape, count = (), 1
        else:
            try:
                shape = tuple(_size(size))
            except TypeError:
                raise TypeError("expected a sequence of integers or a single "
                                "integer, got '%s'" % (size,)) from None
            count = math.prod(shape)
        if not replace:
            if count > pop_size:
                raise ValueError("Cannot take a larger sample than "
                                 "population when 'replace=False'")
            if count < 0:
                raise ValueError("Negative dimensions are not allowed")
        if any(d < 0 for d in shape):
            raise ValueError("negative dimensions are not allowed")
        if not replace and p is not None and np.count_nonzero(p > 0) < count:
            raise ValueError("Fewer non-zero entries in p than size")

        # The sampled positions.
        if count == 0:
            dtype = np.int64 if population is None else population.dtype
            out = mt.zeros(shape, dtype=dtype)
            return out if chunk_size is None else out.rechunk(chunk_size)
        if replace:
            if p is None:
                idx = self.randint(0, pop_size, shape, chunk_size=chunk_size)
            else:
                # numpy's inverse CDF (the last bound is exactly 1).
                cdf = np.cumsum(p)
                cdf /= cdf[-1]
                u = self.random_sample(shape, chunk_size=chunk_size)
                idx = mt.searchsorted(mt.tensor(cdf), u, side="right")
        else:
            if p is None:
                order = self._order(pop_size, chunk_size)
            else:
                # Exponential clocks: E_i / p_i, smallest first (p_i = 0
                # never comes before a positive p).
                e = -mt.log1p(-self.random_sample(pop_size,
                                                  chunk_size=chunk_size))
                pos = p > 0
                keys = mt.where(mt.tensor(pos), e / mt.tensor(
                    np.where(pos, p, 1.0)), np.inf)
                order = mt.argsort(keys)
            idx = order[:count].reshape(shape)

        out = idx if population is None else mt.take(population, idx)
        if chunk_size is not None and out.ndim:
            out = out.rechunk(chunk_size)
        return out


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


def permutation(x, **kw):
    return _state.permutation(x, **kw)


def shuffle(x):
    return _state.shuffle(x)


def choice(a, size=None, replace=True, p=None, **kw):
    return _state.choice(a, size, replace, p, **kw)
