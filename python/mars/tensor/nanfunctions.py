"""numpy's NaN-ignoring reductions as compositions of Mars's reductions and
elementwise ops (nansum is a dialect op): nanmin, nanmax, nanprod,
nanmean, nanvar, nanstd, nanargmin, nanargmax. Each follows numpy's
definition (numpy/lib/nanfunctions.py): NaNs are replaced by the
reduction's neutral value and counted out. Integer and bool inputs have no
NaN and go to the plain reduction, as in numpy.

All-NaN slices give NaN (nanmin, nanmax, nanmean, nanvar, nanstd) as numpy
does; numpy also warns, which a lazy graph cannot do when it is built.
nanargmin and nanargmax raise numpy's ValueError for an all-NaN slice: they
execute that check when they are called."""

import math as _math

import numpy as _np

import mars.tensor as _mt
from .core import _tensor


def _has_nan(t):
    return t.dtype.kind in "fc"


def _nan_replaced(t, value):
    return _mt.where(_mt.isnan(t), _np.asarray(value, dtype=t.dtype), t)


def _nanreduce(name, a, axis, out, keepdims):
    """min, max, argmin or argmax ignoring NaN: NaNs become the value that
    loses (numpy reduces with fmin/fmax, and its nanarg* replace NaN with
    +-inf)."""
    t = _tensor(a)
    reduce = getattr(_mt, name)
    if not _has_nan(t):
        return reduce(t, axis=axis, out=out, keepdims=keepdims)
    fill = _math.inf if name.endswith("min") else -_math.inf
    arg = name.startswith("arg")
    if arg and _mt.any(_mt.all(_mt.isnan(t), axis=axis)):
        raise ValueError("All-NaN slice encountered")
    r = reduce(_nan_replaced(t, fill), axis=axis, out=out, keepdims=keepdims)
    if arg:
        return r
    all_nan = _mt.all(_mt.isnan(t), axis=axis, keepdims=keepdims)
    return _mt.where(all_nan, _np.asarray(_math.nan, dtype=t.dtype), r)


def nanmin(a, axis=None, out=None, keepdims=False):
    """numpy.nanmin: the minimum ignoring NaN; NaN for an all-NaN slice."""
    return _nanreduce("min", a, axis, out, keepdims)


def nanmax(a, axis=None, out=None, keepdims=False):
    """numpy.nanmax: the maximum ignoring NaN; NaN for an all-NaN slice."""
    return _nanreduce("max", a, axis, out, keepdims)


def nanargmin(a, axis=None, out=None, keepdims=False):
    """numpy.nanargmin: the index of the minimum ignoring NaN. Executes the
    all-NaN check (numpy's ValueError) when called."""
    return _nanreduce("argmin", a, axis, out, keepdims)


def nanargmax(a, axis=None, out=None, keepdims=False):
    """numpy.nanargmax: the index of the maximum ignoring NaN. Executes the
    all-NaN check (numpy's ValueError) when called."""
    return _nanreduce("argmax", a, axis, out, keepdims)


def nanprod(a, axis=None, dtype=None, out=None, keepdims=False):
    """numpy.nanprod: the product with NaNs taken as one."""
    t = _tensor(a)
    if _has_nan(t):
        t = _nan_replaced(t, 1)
    return _mt.prod(t, axis=axis, dtype=dtype, out=out, keepdims=keepdims)


def _divide_by_count(total, count):
    """numpy's _divide_by_count: true division of a float total by an
    integer count, computed in float64 and cast back to the total's dtype
    (numpy divides in place with unsafe casting)."""
    wide = _np.complex128 if total.dtype.kind == "c" else _np.float64
    return (total.astype(wide) / count).astype(total.dtype)


def _check_float_args(dtype, out):
    if out is not None:
        raise NotImplementedError("out= is not supported (tensors are "
                                  "immutable)")
    if dtype is not None and _np.dtype(dtype).kind not in "fc":
        raise TypeError("If a is inexact, then dtype must be inexact")


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False):
    """numpy.nanmean: the mean of the non-NaN elements; NaN for an all-NaN
    slice."""
    t = _tensor(a)
    if not _has_nan(t):
        return _mt.mean(t, axis=axis, dtype=dtype, out=out,
                        keepdims=keepdims)
    _check_float_args(dtype, out)
    count = _mt.sum(~_mt.isnan(t), axis=axis, dtype=_np.int64,
                    keepdims=keepdims)
    total = _mt.sum(_nan_replaced(t, 0), axis=axis, dtype=dtype,
                    keepdims=keepdims)
    return _divide_by_count(total, count)


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """numpy.nanvar: the variance of the non-NaN elements (numpy's two-pass
    algorithm); NaN where the degrees of freedom are not positive."""
    t = _tensor(a)
    if not _has_nan(t):
        return _mt.var(t, axis=axis, dtype=dtype, out=out, ddof=ddof,
                       keepdims=keepdims)
    _check_float_args(dtype, out)
    mask = _mt.isnan(t)
    arr = _nan_replaced(t, 0)
    cnt = _mt.sum(~mask, axis=axis, dtype=_np.int64, keepdims=True)
    avg = _divide_by_count(_mt.sum(arr, axis=axis, dtype=dtype,
                                   keepdims=True), cnt)
    # numpy subtracts in place (the deviations keep arr's dtype), then
    # zeroes the NaN positions again.
    dev = (arr - avg).astype(arr.dtype)
    dev = _mt.where(mask, _np.asarray(0, dtype=dev.dtype), dev)
    # |dev|^2: numpy multiplies a complex deviation by its conjugate and
    # keeps the real part.
    sqr = (dev * dev.conj()).real if dev.dtype.kind == "c" else dev * dev
    var = _mt.sum(sqr, axis=axis, dtype=dtype, keepdims=keepdims)
    if not keepdims:
        cnt = _mt.sum(~mask, axis=axis, dtype=_np.int64)
    dof = cnt - ddof
    var = _divide_by_count(var, dof)
    return _mt.where(dof <= 0, _np.asarray(_math.nan, dtype=var.dtype), var)


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """numpy.nanstd: the square root of nanvar."""
    t = _tensor(a)
    if not _has_nan(t):
        return _mt.std(t, axis=axis, dtype=dtype, out=out, ddof=ddof,
                       keepdims=keepdims)
    return _mt.sqrt(nanvar(t, axis=axis, dtype=dtype, out=out, ddof=ddof,
                           keepdims=keepdims))


__all__ = ["nanmin", "nanmax", "nanargmin", "nanargmax", "nanprod",
           "nanmean", "nanvar", "nanstd"]
