"""numpy's elementwise functions that are compositions of Mars's elementwise
ops (they fuse into the same chunk kernels): reciprocal, fix, clip,
around/round, isclose, allclose, array_equal, array_equiv, nan_to_num,
float_power, divmod, spacing, modf, isposinf, isneginf, real, imag, conj,
angle. Each follows numpy's own definition step by step, so results equal
numpy's bit for bit (see docs/Python.md)."""

import builtins as _builtins
import math as _math

import numpy as _np

import mars.tensor as _mt
from .core import _tensor


def _float_dtype(t):
    """The float dtype numpy computes an integer or bool input's float
    function in (Mars has no float16: bool and the small ints use float32,
    as Mars's other unary functions do)."""
    if t.dtype.kind == "f":
        return t.dtype
    return _np.dtype(_np.float32 if t.dtype.kind == "b" else _np.float64)


def reciprocal(x):
    """numpy.reciprocal: 1/x; for integers numpy computes 1.0/x and
    truncates (so 1/0 gives the integer minimum)."""
    t = _tensor(x)
    if t.dtype.kind == "f":
        # One of t's dtype: a Python 1.0 would widen a 0-d float32.
        return _np.ones((), t.dtype) / t
    if t.dtype.kind == "b":
        raise TypeError("ufunc 'reciprocal' did not contain a loop with "
                        "signature matching types bool")
    return (1.0 / t.astype(_np.float64)).astype(t.dtype)


def fix(x):
    """numpy.fix: round toward zero, to a float (integers give float64, as
    numpy's floor and ceil do)."""
    return _mt.trunc(x)


def clip(a, a_min, a_max, out=None):
    """numpy.clip: minimum(maximum(a, a_min), a_max) (either bound may be
    None); NaN stays NaN."""
    if out is not None:
        raise NotImplementedError("out= is not supported (tensors are "
                                  "immutable)")
    if a_min is None and a_max is None:
        raise ValueError("One of max or min must be given")
    t = _tensor(a)
    if a_min is not None:
        t = _mt.maximum(t, a_min)
    if a_max is not None:
        t = _mt.minimum(t, a_max)
    return t


def around(a, decimals=0, out=None):
    """numpy.around: round half to even at `decimals` decimal places, by
    numpy's method (scale by 10**decimals, rint, scale back), so values
    equal numpy's, including its representation error."""
    if out is not None:
        raise NotImplementedError("out= is not supported (tensors are "
                                  "immutable)")
    t = _tensor(a)
    decimals = int(decimals)
    if t.dtype.kind == "b":
        if decimals == 0:
            return t.astype(_np.float32)
        raise TypeError("Cannot cast ufunc 'multiply' output from "
                        "dtype('float64') to dtype('bool') with casting rule "
                        "'same_kind'")
    integer = t.dtype.kind in "iu"
    if decimals == 0 and not integer:
        return _mt.rint(t)
    if integer and decimals >= 0:
        return t
    f = 10.0 ** abs(decimals)
    x = t.astype(_np.float64) if integer else t
    # numpy writes each step into an array of x's dtype (a 0-d float32
    # times a Python float computes in float64 and is stored as float32).
    dt = x.dtype
    scale, unscale = (_mt.multiply, _mt.true_divide) if decimals >= 0 else \
        (_mt.true_divide, _mt.multiply)
    x = _mt.rint(scale(x, f).astype(dt))
    x = unscale(x, f).astype(dt)
    return x.astype(t.dtype) if integer else x


round = around
round_ = around


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """numpy.isclose: |a - b| <= atol + rtol * |b| where both are finite,
    a == b otherwise; NaNs are equal when equal_nan."""
    x = _tensor(a)
    y = _tensor(b)
    dt = _np.result_type(y.dtype, 1.0)
    if dt == _np.float16:
        dt = _np.dtype(_np.float32)
    y = y.astype(dt)
    finite = _mt.isfinite(x) & _mt.isfinite(y)
    within = _mt.less_equal(_mt.absolute(x - y), atol + rtol * _mt.absolute(y))
    cond = _mt.where(finite, within, x == y)
    if equal_nan:
        cond = cond | (_mt.isnan(x) & _mt.isnan(y))
    return cond


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """numpy.allclose, as a 0-d bool tensor (``if``/``bool()`` execute
    it)."""
    return _mt.all(isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def _broadcastable(s1, s2):
    try:
        _np.broadcast_shapes(s1, s2)
        return True
    except ValueError:
        return False


def array_equal(a1, a2, equal_nan=False):
    """numpy.array_equal: same shape and the same elements, as a 0-d bool
    tensor."""
    x, y = _tensor(a1), _tensor(a2)
    if x.shape != y.shape:
        return _mt.asarray(False)
    eq = x == y
    if equal_nan and (x.dtype.kind == "f" or y.dtype.kind == "f"):
        eq = eq | (_mt.isnan(x) & _mt.isnan(y))
    return _mt.all(eq)


def array_equiv(a1, a2):
    """numpy.array_equiv: broadcastable and equal elementwise, as a 0-d bool
    tensor."""
    x, y = _tensor(a1), _tensor(a2)
    if not _broadcastable(x.shape, y.shape):
        return _mt.asarray(False)
    return _mt.all(x == y)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """numpy.nan_to_num: NaN, +inf and -inf replaced (by default with 0 and
    the dtype's largest and smallest finite numbers); the values are cast
    to x's dtype as numpy's assignment does. Integers and bools are kept."""
    t = _tensor(x)
    if t.dtype.kind != "f":
        return t
    info = _np.finfo(t.dtype)
    fill = [_np.asarray(v, dtype=t.dtype) for v in (
        nan, info.max if posinf is None else posinf,
        info.min if neginf is None else neginf)]
    t2 = _mt.where(_mt.isnan(t), fill[0], t)
    t2 = _mt.where(isposinf(t), fill[1], t2)
    return _mt.where(isneginf(t), fill[2], t2)


def float_power(x1, x2):
    """numpy.float_power: x1 ** x2 computed in float64."""
    return _mt.power(_tensor(x1).astype(_np.float64),
                     _tensor(x2).astype(_np.float64))


def divmod(x1, x2):
    """numpy.divmod: (x1 // x2, x1 % x2)."""
    return _mt.floor_divide(x1, x2), _mt.remainder(x1, x2)


def spacing(x):
    """numpy.spacing: the distance from x to the next float away from zero
    (negative for negative x, positive for -0.0); NaN for infinities."""
    t = _tensor(x)
    t = t.astype(_float_dtype(t))
    inf = _np.asarray(_math.inf, dtype=t.dtype)
    away = _mt.where(t < 0, -inf, inf)
    d = _mt.nextafter(t, away) - t
    return _mt.where(_mt.isinf(t), _np.asarray(_math.nan, dtype=t.dtype), d)


def modf(x):
    """numpy.modf: (fractional part, integral part), both with x's sign;
    modf(+-inf) is (+-0.0, +-inf)."""
    t = _tensor(x)
    t = t.astype(_float_dtype(t))
    whole = _mt.trunc(t)
    frac = _mt.where(_mt.isinf(t), _np.asarray(0.0, dtype=t.dtype), t - whole)
    return _mt.copysign(frac, t), whole


def sinc(x):
    """numpy.sinc: sin(pi x) / (pi x), 1 at 0 (numpy's definition)."""
    t = _tensor(x)
    if t.dtype.kind != "f":
        t = t.astype(_np.float64)  # (numpy's where widens bools too)
    y = _math.pi * _mt.where(t == 0, _np.asarray(1.0e-20, t.dtype), t)
    return _mt.sin(y) / y


def isposinf(x):
    t = _tensor(x)
    return _mt.isinf(t) & ~_mt.signbit(t)


def isneginf(x):
    t = _tensor(x)
    return _mt.isinf(t) & _mt.signbit(t)


def real(val):
    """numpy.real of a real tensor: the tensor (Mars has no complex dtypes
    yet)."""
    return _tensor(val)


def imag(val):
    """numpy.imag of a real tensor: zeros of its dtype."""
    t = _tensor(val)
    return _mt.zeros(t.shape, dtype=t.dtype)


def conj(x):
    """numpy.conjugate of a real tensor: the tensor."""
    return _tensor(x)


conjugate = conj


def angle(z, deg=False):
    """numpy.angle of a real tensor: arctan2(0, z) (pi for negative values
    and -0.0)."""
    a = _mt.arctan2(0, z)
    return a * (180 / _math.pi) if deg else a


__all__ = [n for n in dir() if not n.startswith("_")]
