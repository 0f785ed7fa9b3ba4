"""mars.tensor.special: scipy.special's functions Mars users reach for most.
erf, erfc, gamma and gammaln are Mars ops (the C library's functions on the
CPU, libdevice's on the GPU); expit, logit and xlogy are compositions
following scipy's definitions. Integers compute in float64, as scipy's
loops do."""

import numpy as _np

import mars.tensor as _mt
from .core import _tensor

erf = _mt._ufunc("erf", 1)
erfc = _mt._ufunc("erfc", 1)
gamma = _mt._ufunc("gamma", 1)
gammaln = _mt._ufunc("gammaln", 1)


def _inexact(x):
    """x in the float dtype scipy computes it in (bool: float32 where scipy
    uses float16, which Mars does not have)."""
    t = _tensor(x)
    if t.dtype.kind == "f":
        return t
    return t.astype(_np.float32 if t.dtype.kind == "b" else _np.float64)


def expit(x):
    """scipy.special.expit: 1 / (1 + exp(-x))."""
    t = _inexact(x)
    return 1 / (1 + _mt.exp(-t))


def logit(x):
    """scipy.special.logit: log(x / (1 - x))."""
    t = _inexact(x)
    return _mt.log(t / (1 - t))


def xlogy(x, y):
    """scipy.special.xlogy: x * log(y), and 0 where x is 0 (unless y is
    NaN)."""
    a, b = _tensor(x), _tensor(y)
    dt = _np.result_type(a.dtype, b.dtype)
    if dt.kind != "f":
        dt = _np.dtype(_np.float64)
    a, b = a.astype(dt), b.astype(dt)
    zero = (a == 0) & ~_mt.isnan(b)
    return _mt.where(zero, _np.zeros((), dt), a * _mt.log(b))


__all__ = ["erf", "erfc", "gamma", "gammaln", "expit", "logit", "xlogy"]
