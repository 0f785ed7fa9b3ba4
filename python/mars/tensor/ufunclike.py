"""numpy's elementwise functions that are compositions of Mars's elementwise
ops (they fuse into the same chunk kernels): reciprocal, fix, clip,
around/round, isclose, allclose, array_equal, array_equiv, nan_to_num,
float_power, divmod, spacing, modf, frexp, i0, isposinf, isneginf, real,
imag, conj, angle, iscomplex, isreal, iscomplexobj, isrealobj (the complex
parts and angle are C++ API functions, docs/Complex.md). Each follows numpy's own definition step by step, so results equal
numpy's bit for bit (see docs/Python.md)."""

import builtins as _builtins
import math as _math

import numpy as _np

import mars.tensor as _mt
from .. import _mars
from .core import Tensor as _Tensor, _real_only, _tensor, _wrap


def _float_dtype(t):
    """The float dtype numpy computes an integer or bool input's float
    function in: float16 for bool, int8 and uint8, float32 for the 16-bit
    integers, float64 for wider integers."""
    if t.dtype.kind == "f":
        return t.dtype
    if t.dtype.kind == "c":
        raise TypeError("ufunc not supported for the input types (complex)")
    return _np.dtype({1: _np.float16, 2: _np.float32}.get(t.dtype.itemsize,
                                                          _np.float64))


def reciprocal(x):
    """numpy.reciprocal: 1/x; for integers numpy computes 1.0/x and
    truncates (so 1/0 gives the integer minimum)."""
    return _wrap(_mars.reciprocal(_tensor(x)._t))


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
            return t.astype(_np.float16)   # numpy's rint loop for bool
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
    y = y.astype(_np.result_type(y.dtype, 1.0))
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
    if equal_nan and (x.dtype.kind in "fc" or y.dtype.kind in "fc"):
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
    if t.dtype.kind == "c":  # numpy: each part on its own.
        return _wrap(_mars.make_complex(
            nan_to_num(real(t), copy, nan, posinf, neginf)._t,
            nan_to_num(imag(t), copy, nan, posinf, neginf)._t))
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
    _real_only("float_power", x1, x2)
    return _mt.power(_tensor(x1).astype(_np.float64),
                     _tensor(x2).astype(_np.float64))


def divmod(x1, x2):
    """numpy.divmod: (x1 // x2, x1 % x2)."""
    return _mt.floor_divide(x1, x2), _mt.remainder(x1, x2)


def spacing(x):
    """numpy.spacing: the distance from x to the next float away from zero
    (negative for negative x, positive for -0.0); NaN for infinities.
    float16 follows numpy's own float16 rule (below)."""
    t = _tensor(x)
    t = t.astype(_float_dtype(t))
    inf = _np.asarray(_math.inf, dtype=t.dtype)
    if t.dtype == _np.float16:
        # numpy's float16 spacing (npy_half_spacing) is positive: the step
        # up from x >= 0, the step toward zero from x < 0 (so below a
        # negative power of two, half the step above it), 2**-24 at -0.0.
        d = _mt.where(t < 0, _mt.nextafter(t, _np.float16(0)) - t,
                      _mt.nextafter(t, inf) - t)
        d = _mt.where(t == 0, _np.float16(2.0 ** -24), d)
        return _mt.where(_mt.isinf(t), _np.asarray(_math.nan, t.dtype), d)
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


def frexp(x):
    """numpy.frexp: (mantissa, exponent) with x = mantissa * 2**exponent,
    0.5 <= |mantissa| < 1, exponent int32; 0, infinities and NaN give
    (x, 0). The exponent is floor(log2|x|) + 1, corrected by one where
    log2 rounded across a power of two; the mantissa is ldexp(x, -exponent),
    exact."""
    t = _tensor(x)
    t = t.astype(_float_dtype(t))
    regular = _mt.isfinite(t) & (t != 0)
    zero = _np.zeros((), t.dtype)
    e = _mt.where(regular, _mt.floor(_mt.log2(_mt.absolute(t))) + 1, zero)
    e = e.astype(_np.int32)
    m = _mt.absolute(_mt.ldexp(t, -e))
    one, none = _np.ones((), _np.int32), _np.zeros((), _np.int32)
    e = (e + _mt.where(regular & (m >= 1), one, none)
         - _mt.where(regular & (m < 0.5), one, none))
    return _mt.ldexp(t, -e), e


# Cephes' Chebyshev coefficients of exp(-x) I0(x) on [0, 8] (A) and of
# exp(-x) sqrt(x) I0(x) in 8/x on (8, inf) (B), as numpy's i0 uses them.
_I0A = (
    -4.4153416464793395e-18, 3.3307945188222384e-17, -2.431279846547955e-16,
    1.715391285555133e-15, -1.1685332877993451e-14, 7.676185498604936e-14,
    -4.856446783111929e-13, 2.95505266312964e-12, -1.726826291441556e-11,
    9.675809035373237e-11, -5.189795601635263e-10, 2.6598237246823866e-09,
    -1.300025009986248e-08, 6.046995022541919e-08, -2.670793853940612e-07,
    1.1173875391201037e-06, -4.4167383584587505e-06, 1.6448448070728896e-05,
    -5.754195010082104e-05, 0.00018850288509584165, -0.0005763755745385824,
    0.0016394756169413357, -0.004324309995050576, 0.010546460394594998,
    -0.02373741480589947, 0.04930528423967071, -0.09490109704804764,
    0.17162090152220877, -0.3046826723431984, 0.6767952744094761)
_I0B = (
    -7.233180487874754e-18, -4.830504485944182e-18, 4.46562142029676e-17,
    3.461222867697461e-17, -2.8276239805165836e-16, -3.425485619677219e-16,
    1.7725601330565263e-15, 3.8116806693526224e-15, -9.554846698828307e-15,
    -4.150569347287222e-14, 1.54008621752141e-14, 3.8527783827421426e-13,
    7.180124451383666e-13, -1.7941785315068062e-12, -1.3215811840447713e-11,
    -3.1499165279632416e-11, 1.1889147107846439e-11, 4.94060238822497e-10,
    3.3962320257083865e-09, 2.266668990498178e-08, 2.0489185894690638e-07,
    2.8913705208347567e-06, 6.889758346916825e-05, 0.0033691164782556943,
    0.8044904110141088)


def _chbevl(x, vals):
    """numpy's Clenshaw recurrence for a Chebyshev series at x (Python
    floats for the coefficients, so float32 stays float32 as in numpy)."""
    b0, b1, b2 = vals[0], 0.0, 0.0
    for v in vals[1:]:
        b2 = b1
        b1 = b0
        b0 = x * b1 - b2 + v
    return 0.5 * (b0 - b2)


def i0(x):
    """numpy.i0: the modified Bessel function of order 0, by numpy's steps
    (Chebyshev series on [0, 8] and (8, inf)); both series are computed
    and one selected, in one fused kernel."""
    t = _tensor(x)
    if t.dtype.kind == "c":
        raise TypeError("i0 not supported for complex values")
    if t.dtype.kind != "f":
        t = t.astype(_np.float64)
    t = _mt.absolute(t)
    small = _mt.exp(t) * _chbevl(t / 2.0 - 2, _I0A)
    large = _mt.exp(t) * _chbevl(32.0 / t - 2.0, _I0B) / _mt.sqrt(t)
    return _mt.where(t <= 8.0, small, large)


def sinc(x):
    """numpy.sinc: sin(pi x) / (pi x), 1 at 0 (numpy's definition)."""
    t = _tensor(x)
    _real_only("sinc", t)
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
    """numpy.real: the real parts of complex numbers (float32 for
    complex64, float64 for complex128); a real tensor is its own."""
    return _wrap(_mars.real(_tensor(val)._t))


def imag(val):
    """numpy.imag: the imaginary parts; zeros of a real tensor's dtype."""
    return _wrap(_mars.imag(_tensor(val)._t))


def conj(x):
    """numpy.conjugate: the imaginary parts negated (a real tensor is its
    own)."""
    return _wrap(_mars.conj(_tensor(x)._t))


conjugate = conj


def angle(z, deg=False):
    """numpy.angle: arctan2(imag, real) (of a real tensor arctan2(0, z): pi
    for negative values and -0.0), in degrees when ``deg``."""
    return _wrap(_mars.angle(_tensor(z)._t, bool(deg)))


def iscomplexobj(x):
    """numpy.iscomplexobj: whether x's dtype is complex (its values are not
    looked at)."""
    if isinstance(x, _Tensor):
        return x.dtype.kind == "c"
    return _np.iscomplexobj(x)


def isrealobj(x):
    """numpy.isrealobj: not iscomplexobj(x)."""
    return not iscomplexobj(x)


def iscomplex(x):
    """numpy.iscomplex: where the imaginary part is not zero."""
    return imag(x) != 0


def isreal(x):
    """numpy.isreal: where the imaginary part is zero."""
    return imag(x) == 0


__all__ = [n for n in dir() if not n.startswith("_")]
