"""mars.tensor: numpy's interface over Mars.

Replace ``import numpy as np`` with ``import mars.tensor as mt``; calls build
a graph that ``.execute()`` (or ``mars.execute(a, b, ...)``) runs on all
cores within the memory limit, or on a cluster. See docs/Python.md for what
is covered and what differs from numpy.
"""

import builtins as _builtins
import math as _math
import operator as _operator
import sys as _sys

import numpy as _np

from .. import _mars
from ..config import options as _options
from .core import (Tensor, _wrap, _eager_session, _operand, _tensor,
                   _numpy_input, _axis, _shape_arg, _dtype_name, transpose,
                   matmul, dot)
from . import random
from . import wherereduce as _wherereduce

# numpy's dtype objects and constants.
bool_ = _np.bool_
int8 = _np.int8
int16 = _np.int16
int32 = _np.int32
int64 = _np.int64
uint8 = _np.uint8
uint16 = _np.uint16
uint32 = _np.uint32
uint64 = _np.uint64
byte = _np.byte
short = _np.short
intc = _np.intc
ubyte = _np.ubyte
ushort = _np.ushort
uintc = _np.uintc
uint = _np.uint
float16 = _np.float16
half = _np.half
float32 = _np.float32
complex64 = csingle = _np.complex64
complex128 = cdouble = complex_ = _np.complex128
single = _np.single
float64 = _np.float64
double = _np.double
int_ = _np.int64
float_ = _np.float64
dtype = _np.dtype
# numpy's dtype utilities work on dtypes, which Mars shares with numpy; a
# tensor stands for its dtype (it has .dtype, as an array does).
iinfo = _np.iinfo
finfo = _np.finfo
issubdtype = _np.issubdtype
isscalar = _np.isscalar
common_type = _np.common_type
min_scalar_type = _np.min_scalar_type
generic = _np.generic
number = _np.number
integer = _np.integer
signedinteger = _np.signedinteger
unsignedinteger = _np.unsignedinteger
inexact = _np.inexact
floating = _np.floating
newaxis = None
pi = _math.pi
e = _math.e
inf = float("inf")
nan = float("nan")
euler_gamma = _np.euler_gamma

# -- creation ---------------------------------------------------------------


def tensor(data, dtype=None, chunk_size=None):
    """A tensor holding ``data`` (a numpy array, a list, a number, a scipy
    sparse matrix, or a tensor). numpy arrays of Mars's dtypes in C order
    are used without a copy: do not modify them while the tensor is in use.
    A scipy sparse matrix makes a sparse tensor (its elements copied)."""
    if _is_scipy_sparse(data):
        return _from_scipy(data, dtype, chunk_size)
    if isinstance(data, Tensor):
        # A new tensor of the same value: assigning into one leaves the
        # other as it is.
        t = _wrap(data._t) if dtype is None else data.astype(dtype)
        return t if chunk_size is None else t.rechunk(chunk_size)
    a = _np.asarray(data, dtype=None if dtype is None else _np.dtype(dtype))
    if dtype is not None:
        a = a.astype(_dtype_name(dtype), copy=False)
    return _wrap(_mars.from_numpy(_numpy_input(a), chunk_size))


def _is_scipy_sparse(data):
    # Without importing scipy for programs that never use it.
    sparse = _sys.modules.get("scipy.sparse")
    return sparse is not None and sparse.issparse(data)


def _from_scipy(data, dtype, chunk_size):
    m = data.tocsr(copy=True)
    if m.ndim != 2:
        raise ValueError("sparse tensors are 2-D matrices")
    m.sum_duplicates()  # also sorts each row's columns
    values = m.data if dtype is None else m.data.astype(_dtype_name(dtype))
    if values.dtype == float16:
        # Sparse matrices hold no float16: float32, as scipy's csr_matrix
        # makes float16 data.
        values = values.astype(float32)
    values = _numpy_input(_np.ascontiguousarray(values))
    return _wrap(_mars.from_csr(values,
                                _np.ascontiguousarray(m.indices, _np.int64),
                                _np.ascontiguousarray(m.indptr, _np.int64),
                                m.shape[0], m.shape[1], chunk_size))


def load_npz(file, chunk_size=None):
    """A sparse tensor from a ``.npz`` file in scipy.sparse's format
    (``scipy.sparse.save_npz``). The file is read here, in this process,
    whole."""
    import scipy.sparse
    return tensor(scipy.sparse.load_npz(file), chunk_size=chunk_size)


def save_npz(file, matrix, compressed=True):
    """Writes a sparse tensor (executing it if needed) to a ``.npz`` file
    in scipy.sparse's format, which ``scipy.sparse.load_npz`` and
    ``load_npz`` read. The matrix is gathered here, in this process."""
    import scipy.sparse
    t = _tensor(matrix)
    if not t.issparse():
        raise TypeError("save_npz writes sparse tensors; call tosparse() "
                        "first")
    scipy.sparse.save_npz(file, t.fetch(), compressed=compressed)


def array(data, dtype=None, copy=True, chunk_size=None):
    if copy and isinstance(data, _np.ndarray):
        data = data.copy()
    return tensor(data, dtype=dtype, chunk_size=chunk_size)


def asarray(data, dtype=None, chunk_size=None):
    if (isinstance(data, Tensor) and chunk_size is None
            and (dtype is None or _np.dtype(dtype) == data.dtype)):
        return data  # numpy's asarray of an array of its dtype: itself
    return tensor(data, dtype=dtype, chunk_size=chunk_size)


asanyarray = asarray
ascontiguousarray = asarray


def _shape(shape):
    return _shape_arg(shape)


def full(shape, fill_value, dtype=None, chunk_size=None, order="C"):
    if isinstance(fill_value, Tensor) or (isinstance(fill_value, _np.ndarray)
                                          and fill_value.ndim):
        t = tensor(fill_value, dtype=dtype)
        t = broadcast_to(t, _shape(shape))
        return t if chunk_size is None else t.rechunk(chunk_size)
    if isinstance(fill_value, (_np.generic, _np.ndarray)):
        dtype = fill_value.dtype if dtype is None else dtype
        fill_value = fill_value.item()
    return _wrap(_mars.full(_shape(shape), fill_value, _dtype_name(dtype),
                            chunk_size))


def zeros(shape, dtype=float, chunk_size=None, order="C"):
    return full(shape, 0, dtype=dtype or float, chunk_size=chunk_size)


def ones(shape, dtype=float, chunk_size=None, order="C"):
    return full(shape, 1, dtype=dtype or float, chunk_size=chunk_size)


def empty(shape, dtype=float, chunk_size=None, order="C"):
    """Like numpy.empty; Mars fills the tensor with zeros."""
    return zeros(shape, dtype=dtype, chunk_size=chunk_size)


def _like(a, dtype, shape):
    a = a if isinstance(a, Tensor) else _np.asarray(a)
    return (a.dtype if dtype is None else dtype,
            a.shape if shape is None else shape)


def zeros_like(a, dtype=None, chunk_size=None, shape=None):
    d, s = _like(a, dtype, shape)
    return zeros(s, dtype=d, chunk_size=chunk_size)


def ones_like(a, dtype=None, chunk_size=None, shape=None):
    d, s = _like(a, dtype, shape)
    return ones(s, dtype=d, chunk_size=chunk_size)


def empty_like(a, dtype=None, chunk_size=None, shape=None):
    d, s = _like(a, dtype, shape)
    return empty(s, dtype=d, chunk_size=chunk_size)


def full_like(a, fill_value, dtype=None, chunk_size=None, shape=None):
    d, s = _like(a, dtype, shape)
    return full(s, fill_value, dtype=d, chunk_size=chunk_size)


def arange(start, stop=None, step=None, dtype=None, chunk_size=None):
    """numpy.arange(start, stop, step): integer results when every argument
    is an integer."""
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    ints = _builtins.all(isinstance(v, (int, _np.integer))
                         for v in (start, stop, step))
    if dtype is None:
        # numpy: int64, or float64 for integers beyond int64's range.
        wide = ints and _builtins.any(
            not -2 ** 63 <= int(v) < 2 ** 63 for v in (start, stop, step))
        dtype = "int64" if ints and not wide else "float64"
    name = _dtype_name(dtype)
    d = _np.dtype(name)
    exact = ints and _builtins.all(abs(int(v)) <= 2 ** 53
                                   for v in (start, stop, step))
    if d.kind in "iu" and not exact and step != 0:
        # numpy's integer arange: the length from the arguments as given
        # (exactly for integers), the values start + i * delta in the dtype,
        # where delta = dtype(start + step) - dtype(start): integral, and
        # 0 for arange(0, 2, 0.5, dtype=int).
        with _np.errstate(all="ignore"):
            if ints:
                n = len(range(int(start), int(stop), int(step)))
                first, delta = int(start), int(step)
            else:
                n = _builtins.max(0, _math.ceil((stop - start) / step))
                first = int(_np.array(start).astype(d))
                delta = int(_np.array(start + step).astype(d)) - first
            first = _np.array(first).astype(d)[()]
            delta = _np.array(delta).astype(d)[()]
        i = _wrap(_mars.arange(0.0, float(n), 1.0, name, chunk_size))
        return (i * delta + first).astype(d)
    if ints and not exact and step != 0:
        # Floats from integers past 2**53: numpy's exact length, and its
        # values start + i * (float(start + step) - float(start)).
        n = len(range(int(start), int(stop), int(step)))
        first = float(start)
        delta = float(int(start) + int(step)) - first
        i = _wrap(_mars.arange(0.0, float(n), 1.0, name, chunk_size))
        return (i * delta + first).astype(d)
    return _wrap(_mars.arange(float(start), float(stop), float(step),
                              name, chunk_size))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None,
             axis=0, chunk_size=None):
    if axis != 0:
        raise NotImplementedError("linspace with axis != 0")
    num = _operator.index(num)
    if isinstance(start, (complex, _np.complexfloating)) or \
            isinstance(stop, (complex, _np.complexfloating)) or \
            (dtype is not None and _np.dtype(dtype).kind == "c"):
        # Each part on its own (numpy's complex step may round the last
        # bit differently: it divides by the count as a complex number).
        cdt = _np.dtype(dtype or complex)
        part = _np.float32 if cdt == _np.complex64 else _np.float64
        start, stop = complex(start), complex(stop)
        parts = [linspace(a, b, num, endpoint, False, part, 0, chunk_size)
                 for a, b in ((start.real, stop.real),
                              (start.imag, stop.imag))]
        t = _wrap(_mars.make_complex(parts[0]._t, parts[1]._t)).astype(cdt)
        if retstep:
            div = (num - 1) if endpoint else num
            return t, (stop - start) / div if div > 0 else complex("nan")
        return t
    t = _wrap(_mars.linspace(float(start), float(stop), num, bool(endpoint),
                             _dtype_name(dtype or float), chunk_size))
    if retstep:
        div = (num - 1) if endpoint else num
        step = (float(stop) - float(start)) / div if div > 0 else float("nan")
        return t, step
    return t


def eye(N, M=None, k=0, dtype=float, sparse=False, chunk_size=None,
        order="C"):
    """numpy.eye; ``sparse=True`` makes a sparse matrix that stores only
    its ones (as Mars's eye)."""
    return _wrap(_mars.eye(_operator.index(N),
                           None if M is None else _operator.index(M),
                           _operator.index(k), _dtype_name(dtype or float),
                           chunk_size, sparse=bool(sparse)))


def identity(n, dtype=float, chunk_size=None):
    return eye(n, dtype=dtype, chunk_size=chunk_size)


# -- elementwise ------------------------------------------------------------


_UNSUPPORTED_UFUNC_KWARGS = ("where", "casting", "order", "subok")


def _ufunc(name, nin):
    """numpy's ufunc `name` of `nin` operands; with dtype= it computes in
    that dtype, as numpy does."""
    apply = _mars.unary if nin == 1 else _mars.binary

    def f(*args, out=None, dtype=None, **kwargs):
        if len(args) == nin + 1 and out is None:
            args, out = args[:nin], args[nin]
        if len(args) != nin:
            raise TypeError("%s() takes %d positional argument%s but %d "
                            "were given" % (name, nin, "s" if nin > 1 else "",
                                            len(args)))
        if out is not None:
            raise NotImplementedError("out= is not supported (tensors are "
                                      "immutable)")
        for k in kwargs:
            if k in _UNSUPPORTED_UFUNC_KWARGS:
                raise NotImplementedError("%s(%s=...) is not supported"
                                          % (name, k))
            raise TypeError("%s() got an unexpected keyword argument '%s'"
                            % (name, k))
        if dtype is not None:
            args = [_tensor(a).astype(dtype) for a in args]
        t = Tensor(apply(name, *[_operand(a) for a in args],
                         _eager_session()))
        return t if dtype is None else t.astype(dtype)
    f.__name__ = name
    f.__doc__ = "numpy.%s, elementwise%s." % (
        name, "" if nin == 1 else " with broadcasting")
    return f


negative = _ufunc("negative", 1)
absolute = _ufunc("absolute", 1)
abs = absolute
sqrt = _ufunc("sqrt", 1)
square = _ufunc("square", 1)
exp = _ufunc("exp", 1)
log = _ufunc("log", 1)
sin = _ufunc("sin", 1)
cos = _ufunc("cos", 1)
tanh = _ufunc("tanh", 1)
floor = _ufunc("floor", 1)
ceil = _ufunc("ceil", 1)
sign = _ufunc("sign", 1)
isnan = _ufunc("isnan", 1)
logical_not = _ufunc("logical_not", 1)
tan = _ufunc("tan", 1)
arcsin = _ufunc("arcsin", 1)
arccos = _ufunc("arccos", 1)
arctan = _ufunc("arctan", 1)
sinh = _ufunc("sinh", 1)
cosh = _ufunc("cosh", 1)
arcsinh = _ufunc("arcsinh", 1)
arccosh = _ufunc("arccosh", 1)
arctanh = _ufunc("arctanh", 1)
log2 = _ufunc("log2", 1)
log10 = _ufunc("log10", 1)
log1p = _ufunc("log1p", 1)
exp2 = _ufunc("exp2", 1)
expm1 = _ufunc("expm1", 1)
cbrt = _ufunc("cbrt", 1)
trunc = _ufunc("trunc", 1)
rint = _ufunc("rint", 1)
isinf = _ufunc("isinf", 1)
isfinite = _ufunc("isfinite", 1)
signbit = _ufunc("signbit", 1)
degrees = _ufunc("degrees", 1)
radians = _ufunc("radians", 1)
rad2deg = degrees  # numpy's other names of the same functions
deg2rad = radians

add = _ufunc("add", 2)
subtract = _ufunc("subtract", 2)
multiply = _ufunc("multiply", 2)
true_divide = _ufunc("true_divide", 2)
divide = true_divide
floor_divide = _ufunc("floor_divide", 2)
remainder = _ufunc("remainder", 2)
mod = remainder
power = _ufunc("power", 2)
maximum = _ufunc("maximum", 2)
minimum = _ufunc("minimum", 2)
arctan2 = _ufunc("arctan2", 2)
fmod = _ufunc("fmod", 2)
fmax = _ufunc("fmax", 2)
fmin = _ufunc("fmin", 2)
hypot = _ufunc("hypot", 2)
copysign = _ufunc("copysign", 2)
nextafter = _ufunc("nextafter", 2)
logaddexp = _ufunc("logaddexp", 2)
logaddexp2 = _ufunc("logaddexp2", 2)
heaviside = _ufunc("heaviside", 2)
equal = _ufunc("equal", 2)
not_equal = _ufunc("not_equal", 2)
less = _ufunc("less", 2)
less_equal = _ufunc("less_equal", 2)
greater = _ufunc("greater", 2)
greater_equal = _ufunc("greater_equal", 2)
logical_and = _ufunc("logical_and", 2)
logical_or = _ufunc("logical_or", 2)
logical_xor = _ufunc("logical_xor", 2)


def positive(x):
    t = _tensor(x)
    if t.dtype == bool_:
        raise TypeError("ufunc 'positive' did not contain a loop with "
                        "signature matching types bool")
    return t


def fabs(x):
    """numpy.fabs: the absolute value as a float, in numpy's float type of
    the input (float16 for bool, int8 and uint8, float32 for the 16-bit
    integers, float64 for wider ones)."""
    t = _tensor(x)
    if t.dtype.kind == "c":
        raise TypeError("ufunc 'fabs' not supported for the input types")
    if t.dtype.kind != "f":
        t = t.astype({1: float16, 2: float32}.get(t.dtype.itemsize, float64))
    return absolute(t)


bitwise_and = _ufunc("bitwise_and", 2)
bitwise_or = _ufunc("bitwise_or", 2)
bitwise_xor = _ufunc("bitwise_xor", 2)
left_shift = _ufunc("left_shift", 2)
right_shift = _ufunc("right_shift", 2)
gcd = _ufunc("gcd", 2)
lcm = _ufunc("lcm", 2)
ldexp = _ufunc("ldexp", 2)
invert = _ufunc("invert", 1)
bitwise_not = invert


def where(condition, x=None, y=None):
    if x is None and y is None:
        # numpy: where(condition) is nonzero(condition), whose shape depends
        # on the values (the condition is executed).
        return nonzero(condition)
    if x is None or y is None:
        raise ValueError("either both or neither of x and y should be given")
    return _wrap(_mars.where(_operand(condition), _operand(x), _operand(y)))


def astype(x, dtype):
    return _tensor(x).astype(dtype)


def can_cast(from_, to, casting="safe"):
    """numpy.can_cast. A tensor counts by its dtype (numpy 1.24 looks at
    the value of a 0-d array; Mars does so for numbers and numpy values)."""
    if isinstance(from_, Tensor):
        from_ = from_.dtype
    return _np.can_cast(from_, to, casting)


def result_type(*arrays_and_dtypes):
    ops = []
    for a in arrays_and_dtypes:
        if isinstance(a, Tensor):
            ops.append(a._t)
        elif isinstance(a, (bool, int, float)):
            ops.append(a)
        elif isinstance(a, (_np.generic, _np.ndarray, list, tuple)):
            # Values: numpy's value-based rule looks at scalars and 0-d
            # arrays, as the ops do.
            ops.append(_operand(a))
        else:
            try:
                d = _dtype_name(a)
            except TypeError:
                d = None
            if d is not None:
                ops.append(_mars.full([1], 0, d, None))
            else:
                ops.append(_operand(a))
    return _np.dtype(_mars.result_type(*ops))


def promote_types(t1, t2):
    return _np.dtype(_mars.promote_types(_dtype_name(t1), _dtype_name(t2)))


# -- reductions -------------------------------------------------------------


_NO_VALUE = _wherereduce.NO_VALUE


def _reduction(name, signature):
    """numpy's reduction ``name`` with numpy's signature: "sum" (dtype,
    initial, where), "mean" (dtype, where), "var" (dtype, ddof, where),
    "min" (initial, where), "any" (where) or "arg" (neither)."""
    if signature == "sum":
        def fn(a, axis=None, dtype=None, out=None, keepdims=False,
               initial=_NO_VALUE, where=True):
            return _tensor(a)._reduce(name, axis, keepdims, 0, dtype, out,
                                      initial, where)
    elif signature == "mean":
        def fn(a, axis=None, dtype=None, out=None, keepdims=False, *,
               where=True):
            return _tensor(a)._reduce(name, axis, keepdims, 0, dtype, out,
                                      where=where)
    elif signature == "var":
        def fn(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
               where=True):
            return _tensor(a)._reduce(name, axis, keepdims, ddof, dtype, out,
                                      where=where)
    elif signature == "min":
        def fn(a, axis=None, out=None, keepdims=False, initial=_NO_VALUE,
               where=True):
            return _tensor(a)._reduce(name, axis, keepdims, out=out,
                                      initial=initial, where=where)
    elif signature == "any":
        def fn(a, axis=None, out=None, keepdims=False, *, where=True):
            return _tensor(a)._reduce(name, axis, keepdims, out=out,
                                      where=where)
    else:
        def fn(a, axis=None, out=None, keepdims=False):
            return _tensor(a)._reduce(name, axis, keepdims, out=out)
    fn.__name__ = name
    fn.__doc__ = "numpy.%s over ``axis`` (None: every axis)." % name
    return fn


sum = _reduction("sum", "sum")
prod = _reduction("prod", "sum")
mean = _reduction("mean", "mean")
var = _reduction("var", "var")
std = _reduction("std", "var")
nansum = _reduction("nansum", "sum")
min = _reduction("min", "min")
max = _reduction("max", "min")
amin = min
amax = max
any = _reduction("any", "any")
all = _reduction("all", "any")
argmin = _reduction("argmin", "arg")
argmax = _reduction("argmax", "arg")


def _scan(name):
    def f(a, axis=None, dtype=None, out=None):
        return _tensor(a)._scan(name, axis, dtype, out)
    f.__name__ = name
    f.__doc__ = ("numpy.%s along ``axis`` (None: of the flattened tensor); "
                 "a Mars op, bit for bit numpy's for any chunking." % name)
    return f


cumsum = _scan("cumsum")
cumprod = _scan("cumprod")
cumproduct = cumprod
nancumsum = _scan("nancumsum")
nancumprod = _scan("nancumprod")


def count_nonzero(a, axis=None, keepdims=False):
    return _tensor(a)._reduce("count_nonzero", axis, keepdims)


# -- shapes -----------------------------------------------------------------


def reshape(a, newshape, order="C"):
    return _tensor(a).reshape(newshape, order=order)


def ravel(a, order="C"):
    return _tensor(a).ravel(order)


def squeeze(a, axis=None):
    return _tensor(a).squeeze(axis)


def expand_dims(a, axis):
    axes = list(axis) if isinstance(axis, (tuple, list)) else [axis]
    return _wrap(_mars.expand_dims(_tensor(a)._t,
                                   [_operator.index(x) for x in axes]))


def broadcast_to(array, shape):
    return _wrap(_mars.broadcast_to(_tensor(array)._t, _shape(shape)))


def flip(m, axis=None):
    return _wrap(_mars.flip(_tensor(m)._t, _axis(axis)))


def fliplr(m):
    return flip(m, 1)


def flipud(m):
    return flip(m, 0)


def rot90(m, k=1, axes=(0, 1)):
    """numpy.rot90: m rotated by 90 degrees k times in the plane of axes,
    from the first axis towards the second (a flip and a transpose)."""
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    t = _tensor(m)
    a0, a1 = axes
    if a0 == a1 or abs(a0 - a1) == t.ndim:
        raise ValueError("Axes must be different.")
    if not (-t.ndim <= a0 < t.ndim and -t.ndim <= a1 < t.ndim):
        raise ValueError("Axes={} out of range for array of ndim={}."
                         .format(axes, t.ndim))
    k %= 4
    if k == 0:
        return t[...]
    if k == 2:
        return flip(flip(t, a0), a1)
    perm = list(range(t.ndim))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return transpose(flip(t, a1), perm)
    return flip(transpose(t, perm), a1)


def swapaxes(a, axis1, axis2):
    a = _tensor(a)
    perm = list(range(a.ndim))
    i, j = [(x + a.ndim) if x < 0 else x for x in (axis1, axis2)]
    if not (0 <= i < a.ndim and 0 <= j < a.ndim):
        raise _np.AxisError("axis out of bounds for array of dimension %d"
                            % a.ndim)
    perm[i], perm[j] = perm[j], perm[i]
    return transpose(a, perm)


def _normalize_axes(axes, ndim, what):
    out = []
    for ax in axes:
        ax = _operator.index(ax)
        if not -ndim <= ax < ndim:
            raise _np.AxisError("%s: axis %d is out of bounds for array of "
                                "dimension %d" % (what, ax, ndim))
        out.append(ax + ndim if ax < 0 else ax)
    if len(set(out)) != len(out):
        raise ValueError("repeated axis in `%s` argument" % what)
    return out


def moveaxis(a, source, destination):
    a = _tensor(a)
    n = a.ndim
    src = _normalize_axes([source] if _np.ndim(source) == 0 else source, n,
                          "source")
    dst = _normalize_axes([destination] if _np.ndim(destination) == 0
                          else destination, n, "destination")
    if len(src) != len(dst):
        raise ValueError("`source` and `destination` arguments must have "
                         "the same number of elements")
    order = [x for x in range(n) if x not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(a, order)


def concatenate(arrays, axis=0):
    ts = [_tensor(a)._t for a in arrays]
    if axis is None:
        ts = [_mars.reshape(t, [-1]) for t in ts]
        axis = 0
    return _wrap(_mars.concatenate(ts, _operator.index(axis)))


def stack(arrays, axis=0):
    return _wrap(_mars.stack([_tensor(a)._t for a in arrays],
                             _operator.index(axis)))


def shape(a):
    return _tensor(a).shape


def ndim(a):
    return _tensor(a).ndim


def size(a):
    return _tensor(a).size


# -- linear algebra ---------------------------------------------------------


def tensordot(a, b, axes=2):
    a, b = _tensor(a), _tensor(b)
    if isinstance(axes, (int, _np.integer)):
        return _wrap(_mars.tensordot_n(a._t, b._t, int(axes)))
    else:
        aa, bb = axes
        aa = [aa] if isinstance(aa, int) else list(aa)
        bb = [bb] if isinstance(bb, int) else list(bb)
    return _wrap(_mars.tensordot(a._t, b._t, aa, bb))


def inner(a, b):
    a, b = _tensor(a), _tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return tensordot(a, b, ([-1], [-1]))


def outer(a, b):
    a, b = _tensor(a).ravel(), _tensor(b).ravel()
    return a.reshape(-1, 1) * b.reshape(1, -1)


def vdot(a, b):
    """numpy.vdot: the dot product of the flattened arrays, the first one
    conjugated."""
    a = _tensor(a)
    if a.dtype.kind == "c":
        a = conj(a)
    return dot(a.ravel(), _tensor(b).ravel())


def rechunk(a, chunk_size):
    return _tensor(a).rechunk(chunk_size)


# numpy's functions that are compositions of the ops above (docs/Python.md
# says which); each module mirrors the numpy module of the same name.
from .ufunclike import *  # noqa: E402,F401,F403
from .nanfunctions import *  # noqa: E402,F401,F403
from .shape_base import *  # noqa: E402,F401,F403
from .twodim import *  # noqa: E402,F401,F403
from .statistics import *  # noqa: E402,F401,F403
from .einsumfunc import *  # noqa: E402,F401,F403
from .fromnumeric import *  # noqa: E402,F401,F403
from .quantiles import *  # noqa: E402,F401,F403
from .setops import *  # noqa: E402,F401,F403
from .assignment import *  # noqa: E402,F401,F403
from . import special  # noqa: E402,F401
from . import linalg  # noqa: E402,F401

__all__ = [n for n in dir() if not n.startswith("_")]
