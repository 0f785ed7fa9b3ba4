"""The array API standard (2023.12) namespace over mars.tensor, for libraries
that dispatch on ``x.__array_namespace__()``. It holds the standard's
functions for which Mars has the operations; the others are absent (not
stubbed), so ``hasattr(xp, name)`` tells what is available. Data type
objects are numpy's."""

import builtins as _builtins

import numpy as _np

from . import core as _core
from .. import _mars
import mars.tensor as _mt

__array_api_version__ = "2023.12"

# -- data types -------------------------------------------------------------
bool = _np.dtype("bool")
int8 = _np.dtype("int8")
int16 = _np.dtype("int16")
int32 = _np.dtype("int32")
int64 = _np.dtype("int64")
uint8 = _np.dtype("uint8")
uint16 = _np.dtype("uint16")
uint32 = _np.dtype("uint32")
uint64 = _np.dtype("uint64")
float32 = _np.dtype("float32")
float64 = _np.dtype("float64")

e = _mt.e
pi = _mt.pi
inf = _mt.inf
nan = _mt.nan
newaxis = None

finfo = _np.finfo
iinfo = _np.iinfo


def isdtype(dtype, kind):
    dtype = _np.dtype(dtype)
    if isinstance(kind, tuple):
        return _builtins.any(isdtype(dtype, k) for k in kind)
    if isinstance(kind, str):
        return {
            "bool": dtype.kind == "b",
            "signed integer": dtype.kind == "i",
            "unsigned integer": dtype.kind == "u",
            "integral": dtype.kind in "iu",
            "real floating": dtype.kind == "f",
            "complex floating": dtype.kind == "c",
            "numeric": dtype.kind in "iufc",
        }[kind]
    return dtype == _np.dtype(kind)


def result_type(*arrays_and_dtypes):
    return _mt.result_type(*arrays_and_dtypes)


def can_cast(from_, to):
    if isinstance(from_, _core.Tensor):
        from_ = from_.dtype
    return _np.can_cast(from_, to)


def astype(x, dtype, /, *, copy=True, device=None):
    return x.astype(dtype)


# -- creation ---------------------------------------------------------------
def asarray(obj, /, *, dtype=None, device=None, copy=None):
    return _mt.asarray(obj, dtype=dtype)


def arange(start, /, stop=None, step=1, *, dtype=None, device=None):
    return _mt.arange(start, stop, step, dtype=dtype)


def empty(shape, *, dtype=None, device=None):
    return _mt.empty(shape, dtype=dtype or float64)


def empty_like(x, /, *, dtype=None, device=None):
    return _mt.empty_like(x, dtype=dtype)


def eye(n_rows, n_cols=None, /, *, k=0, dtype=None, device=None):
    return _mt.eye(n_rows, n_cols, k=k, dtype=dtype or float64)


def full(shape, fill_value, *, dtype=None, device=None):
    return _mt.full(shape, fill_value, dtype=dtype)


def full_like(x, /, fill_value, *, dtype=None, device=None):
    return _mt.full_like(x, fill_value, dtype=dtype)


def linspace(start, stop, /, num, *, dtype=None, device=None, endpoint=True):
    return _mt.linspace(start, stop, num, endpoint=endpoint, dtype=dtype)


def ones(shape, *, dtype=None, device=None):
    return _mt.ones(shape, dtype=dtype or float64)


def ones_like(x, /, *, dtype=None, device=None):
    return _mt.ones_like(x, dtype=dtype)


def zeros(shape, *, dtype=None, device=None):
    return _mt.zeros(shape, dtype=dtype or float64)


def zeros_like(x, /, *, dtype=None, device=None):
    return _mt.zeros_like(x, dtype=dtype)


# -- elementwise ------------------------------------------------------------
abs = _mt.absolute
add = _mt.add
atan2 = _mt.arctan2
ceil = _mt.ceil
cos = _mt.cos
divide = _mt.true_divide
equal = _mt.equal
exp = _mt.exp
floor = _mt.floor
floor_divide = _mt.floor_divide
greater = _mt.greater
greater_equal = _mt.greater_equal
isnan = _mt.isnan
less = _mt.less
less_equal = _mt.less_equal
log = _mt.log
logical_and = _mt.logical_and
logical_not = _mt.logical_not
logical_or = _mt.logical_or
logical_xor = _mt.logical_xor
maximum = _mt.maximum
minimum = _mt.minimum
multiply = _mt.multiply
negative = _mt.negative
not_equal = _mt.not_equal
positive = _mt.positive
pow = _mt.power
remainder = _mt.remainder
sign = _mt.sign
sin = _mt.sin
sqrt = _mt.sqrt
square = _mt.square
subtract = _mt.subtract
tanh = _mt.tanh
acos = _mt.arccos
acosh = _mt.arccosh
asin = _mt.arcsin
asinh = _mt.arcsinh
atan = _mt.arctan
atanh = _mt.arctanh
cosh = _mt.cosh
sinh = _mt.sinh
tan = _mt.tan
log2 = _mt.log2
log10 = _mt.log10
log1p = _mt.log1p
expm1 = _mt.expm1
isinf = _mt.isinf
isfinite = _mt.isfinite
signbit = _mt.signbit
bitwise_and = _mt.bitwise_and
bitwise_or = _mt.bitwise_or
bitwise_xor = _mt.bitwise_xor
bitwise_invert = _mt.invert


# -- statistics and searching ----------------------------------------------
def _axis(axis):
    return list(axis) if isinstance(axis, tuple) else axis


def sum(x, /, *, axis=None, dtype=None, keepdims=False):
    return _mt.sum(x, axis=_axis(axis), dtype=dtype, keepdims=keepdims)


def prod(x, /, *, axis=None, dtype=None, keepdims=False):
    return _mt.prod(x, axis=_axis(axis), dtype=dtype, keepdims=keepdims)


def cumulative_sum(x, /, *, axis=None, dtype=None, include_initial=False):
    if axis is None:
        if x.ndim > 1:
            raise ValueError("axis must be given for arrays of more than "
                             "one dimension")
        axis = 0
    r = _mt.cumsum(x, axis=axis, dtype=dtype)
    if include_initial:
        shape = list(r.shape)
        shape[axis] = 1
        r = _mt.concatenate([_mt.zeros(shape, dtype=r.dtype), r], axis)
    return r


def max(x, /, *, axis=None, keepdims=False):
    return _mt.max(x, axis=_axis(axis), keepdims=keepdims)


def min(x, /, *, axis=None, keepdims=False):
    return _mt.min(x, axis=_axis(axis), keepdims=keepdims)


def mean(x, /, *, axis=None, keepdims=False):
    return _mt.mean(x, axis=_axis(axis), keepdims=keepdims)


def _ddof(correction):
    if correction != int(correction):
        raise NotImplementedError("a non-integer correction is not supported")
    return int(correction)


def var(x, /, *, axis=None, correction=0.0, keepdims=False):
    return _mt.var(x, axis=_axis(axis), ddof=_ddof(correction),
                   keepdims=keepdims)


def std(x, /, *, axis=None, correction=0.0, keepdims=False):
    return _mt.std(x, axis=_axis(axis), ddof=_ddof(correction),
                   keepdims=keepdims)


def any(x, /, *, axis=None, keepdims=False):
    return _mt.any(x, axis=_axis(axis), keepdims=keepdims)


def all(x, /, *, axis=None, keepdims=False):
    return _mt.all(x, axis=_axis(axis), keepdims=keepdims)


def count_nonzero(x, /, *, axis=None, keepdims=False):
    return _mt.count_nonzero(x, axis=_axis(axis), keepdims=keepdims)


def argmax(x, /, *, axis=None, keepdims=False):
    return _mt.argmax(x, axis=axis, keepdims=keepdims)


def argmin(x, /, *, axis=None, keepdims=False):
    return _mt.argmin(x, axis=axis, keepdims=keepdims)


def where(condition, x1, x2, /):
    return _mt.where(condition, x1, x2)


# -- manipulation -----------------------------------------------------------
def broadcast_to(x, /, shape):
    return _mt.broadcast_to(x, shape)


def concat(arrays, /, *, axis=0):
    return _mt.concatenate(list(arrays), axis=axis)


def expand_dims(x, /, *, axis=0):
    return _mt.expand_dims(x, axis)


def flip(x, /, *, axis=None):
    return _mt.flip(x, _axis(axis))


def permute_dims(x, /, axes):
    return _mt.transpose(x, list(axes))


def reshape(x, /, shape, *, copy=None):
    return _mt.reshape(x, shape)


def squeeze(x, /, axis):
    return _mt.squeeze(x, _axis(axis))


def stack(arrays, /, *, axis=0):
    return _mt.stack(list(arrays), axis=axis)


# -- linear algebra ---------------------------------------------------------
def matmul(x1, x2, /):
    return _mt.matmul(x1, x2)


def matrix_transpose(x, /):
    perm = list(range(x.ndim))
    perm[-1], perm[-2] = perm[-2], perm[-1]
    return _mt.transpose(x, perm)


def tensordot(x1, x2, /, *, axes=2):
    return _mt.tensordot(x1, x2, axes=axes)


def vecdot(x1, x2, /, *, axis=-1):
    return _mt.sum(_mt.multiply(x1, x2), axis=axis)
