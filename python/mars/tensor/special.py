"""mars.tensor.special: scipy.special's functions Mars users reach for most.
erf, erfc, gamma and gammaln are Mars ops (the C library's functions on the
CPU, libdevice's on the GPU); expit, logit and xlogy are compositions
following scipy's definitions; erfinv and digamma (psi) are compositions
of Mars ops with their own algorithms (below), accurate to a few ulp of
scipy's. Integers compute in float64, as scipy's loops do; float32 inputs
compute in float64 and round once, as scipy's float32 loops do."""

import numpy as _np

import mars.tensor as _mt
from .core import _real_only, _tensor

erf = _mt._ufunc("erf", 1)
erfc = _mt._ufunc("erfc", 1)
gamma = _mt._ufunc("gamma", 1)
gammaln = _mt._ufunc("gammaln", 1)


def _inexact(x):
    """x in the float dtype scipy computes it in (its loops are float32 and
    float64): float32 for float16, bool and the 8- and 16-bit integers,
    float64 for wider integers."""
    t = _tensor(x)
    _real_only("scipy.special function", t)
    if t.dtype.kind == "f" and t.dtype.itemsize >= 4:
        return t
    return t.astype(_np.float32 if t.dtype.itemsize <= 2 else _np.float64)


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
    _real_only("xlogy", a, b)
    dt = _np.result_type(a.dtype, b.dtype)
    if dt.kind != "f":
        dt = _np.dtype(_np.float64)
    elif dt == _np.float16:   # scipy's loops start at float32
        dt = _np.dtype(_np.float32)
    a, b = a.astype(dt), b.astype(dt)
    zero = (a == 0) & ~_mt.isnan(b)
    return _mt.where(zero, _np.zeros((), dt), a * _mt.log(b))


def _as_float64(x):
    t = _tensor(x)
    _real_only("scipy.special function", t)
    out = t.dtype if t.dtype.kind == "f" else _np.dtype(
        _np.float32 if t.dtype.kind == "b" else _np.float64)
    if out == _np.float16:   # scipy's loops start at float32
        out = _np.dtype(_np.float32)
    return t.astype(_np.float64), out


# Giles' single-precision approximation of erfinv ("Approximating the
# erfinv function", GPU Computing Gems, 2011): relative error below 4e-7
# for 1 - |y| above about 1e-7 (w < 16), refined below to double precision.
_GILES_CENTRAL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06,
                  -4.39150654e-06, 0.00021858087, -0.00125372503,
                  -0.00417768164, 0.246640727, 1.50140941)
_GILES_TAIL = (-0.000200214257, 0.000100950558, 0.00134934322,
               -0.00367342844, 0.00573950773, -0.0076224613,
               0.00943887047, 1.00167406, 2.83297682)


def _horner(w, coefficients):
    p = coefficients[0]
    for c in coefficients[1:]:
        p = c + p * w
    return p


def erfinv(y):
    """scipy.special.erfinv: z with erf(z) = y for -1 <= y <= 1 (+-inf at
    +-1, NaN outside). Giles' approximation (past its range, 1 - |y| below
    about 1e-7, three fixed-point steps of erfc's asymptotic form
    z^2 = -log(1 - |y|) - log(z sqrt(pi)) + log(1 - 1/(2 z^2)), relative
    error 1e-4), then three Halley steps on the residual erf(z) - |y|,
    written as (1 - |y|) - erfc(z) for |y| >= 0.5, where 1 - |y| is exact
    and erfc keeps the digits erf loses: within a few ulp of the true
    inverse over the whole domain."""
    t, out = _as_float64(y)
    a = _mt.absolute(t)
    q = 1.0 - a                                   # exact for a >= 0.5
    w = -_mt.log(q * (1.0 + a))
    central = _horner(w - 2.5, _GILES_CENTRAL)
    tail = _horner(_mt.sqrt(w) - 3.0, _GILES_TAIL)
    z = _mt.where(w < 5.0, central, tail) * a
    nlq = -_mt.log(q)
    deep = _mt.sqrt(nlq)
    for _ in range(3):
        deep = _mt.sqrt(nlq - _mt.log(deep * _np.sqrt(_np.pi))
                        + _mt.log1p(-0.5 / (deep * deep)))
    z = _mt.where(w < 16.0, z, deep)
    slope = 2.0 / _np.sqrt(_np.pi)
    for _ in range(3):
        r = _mt.where(a < 0.5, erf(z) - a, q - erfc(z))
        z = z - r / (slope * _mt.exp(-z * z) + z * r)
    z = _mt.where(a == 1.0, _np.inf, z)
    z = _mt.where(a > 1.0, _np.nan, z)
    z = _mt.where(t < 0, -z, z)                   # erfinv(-0.0) is 0.0
    return z.astype(out)


def digamma(x):
    """scipy.special.digamma (psi): the logarithmic derivative of gamma.
    Negative x reflect (psi(x) = psi(1 - x) - pi / tan(pi frac(x)), NaN at
    the poles), the recurrence psi(x) = psi(x + 1) - 1/x moves x to at
    least 10, and the asymptotic series log x - 1/(2x) - sum B2k/(2k x^2k)
    (seven terms) finishes. psi(+-0) is -+inf, psi(inf) inf, psi(-inf)
    NaN. Relative error about 1e-15, absolute about 1e-15 near the
    positive root (1.4616...), where psi crosses zero."""
    t, out = _as_float64(x)
    frac = t - _mt.trunc(t)
    negative = t < 0
    y = _mt.where(negative, -_np.pi / _mt.tan(_np.pi * frac), 0.0)
    v = _mt.where(negative, 1.0 - t, t)
    for _ in range(10):
        low = v < 10.0
        y = y - _mt.where(low, 1.0 / v, 0.0)
        v = _mt.where(low, v + 1.0, v)
    inv2 = 1.0 / (v * v)
    series = inv2 * _horner(inv2, (1.0 / 12, -691.0 / 32760, 1.0 / 132,
                                   -1.0 / 240, 1.0 / 252, -1.0 / 120,
                                   1.0 / 12))
    psi = y + (_mt.log(v) - 0.5 / v - series)
    psi = _mt.where(negative & (frac == 0), _np.nan, psi)
    psi = _mt.where(t == 0, _mt.copysign(_np.inf, -t), psi)
    psi = _mt.where(t == -_np.inf, _np.nan, psi)
    return psi.astype(out)


psi = digamma


__all__ = ["erf", "erfc", "gamma", "gammaln", "expit", "logit", "xlogy",
           "erfinv", "digamma", "psi"]
