"""The Tensor class and the conversions every mars.tensor function uses."""

import functools
import numbers
import operator
import warnings

import numpy as np

from .. import _mars
from ..config import options
from ..session import get_default_session

# Mars's dtypes: numpy arrays of other dtypes are a TypeError.
_SUPPORTED = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
              "uint32", "uint64", "float16", "float32", "float64",
              "complex64", "complex128"}
_SUPPORTED_TEXT = ("bool, int8, int16, int32, int64, uint8, uint16, uint32, "
                   "uint64, float16, float32, float64, complex64, complex128")


def _dtype_name(dtype):
    """A dtype-like (np.float32, "int64", float, np.dtype) as a Mars dtype
    name; TypeError for dtypes Mars does not have (a result asked for in
    another dtype would hold other values)."""
    if dtype is None:
        return None
    try:
        d = np.dtype(dtype)
    except TypeError:
        raise TypeError("data type %r not understood" % (dtype,)) from None
    if d.name in _SUPPORTED:
        return d.name
    raise TypeError("data type %s is not supported by Mars (%s)"
                    % (d.name, _SUPPORTED_TEXT))


def _real_only(name, *tensors):
    """NotImplementedError for a function Mars does not compute for
    complex numbers yet, before a composition could cast them to a real
    dtype (docs/Complex.md lists what is computed)."""
    for t in tensors:
        if _tensor(t).dtype.kind == "c":
            raise NotImplementedError(
                "%s of complex numbers is not supported by Mars yet "
                "(docs/Complex.md lists what is)" % name)


def _real_only_function(fn):
    """fn refusing complex tensor and array arguments (_real_only)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        for a in list(args) + list(kwargs.values()):
            if isinstance(a, (list, tuple)) and _has_python_complex(a):
                a = np.asarray(a)
            if isinstance(a, (Tensor, np.ndarray)) and a.dtype.kind == "c":
                _real_only(fn.__module__.rsplit(".", 1)[-1] + "." +
                           fn.__name__, a)
        return fn(*args, **kwargs)
    return wrapper


def _wrap(handle):
    if options.eager_mode:
        get_default_session()._s.execute(handle)
    return Tensor(handle)


def _eager_session():
    """The session that executes every operation at once (eager mode), or
    None: for the C++ functions that take it and execute their result."""
    return get_default_session()._s if options.eager_mode else None


def _python_numbers(x):
    """Whether x is a Python number or a (nested) list or tuple of them."""
    if isinstance(x, (list, tuple)):
        return all(_python_numbers(v) for v in x)
    return isinstance(x, (bool, int, float)) and not isinstance(x, np.generic)


def _has_python_complex(x):
    """Whether x is a Python complex number or a (nested) list or tuple
    holding one."""
    if isinstance(x, (list, tuple)):
        return any(_has_python_complex(v) for v in x)
    return isinstance(x, complex)


def _as_dtype(value, dtype):
    """A value given for a tensor of ``dtype`` (assignment, put, insert),
    as a numpy array of that dtype, converted as numpy assigns it: Python
    numbers straight to the dtype (a list holding 2**64 - 1 and 0 is
    exact in uint64, where np.asarray would make it float64 first),
    anything else by an unsafe cast."""
    dtype = np.dtype(dtype)
    if dtype.kind != "c" and _has_python_complex(value):
        # numpy converts a Python complex number to a real element with
        # float() or int(), which refuse it.
        raise TypeError("can't convert complex to %s" % dtype.name)
    if dtype.kind in "iu" and _python_numbers(value):
        with warnings.catch_warnings():
            # numpy 1.24 warns, then wraps, for out-of-range integers.
            warnings.simplefilter("ignore", DeprecationWarning)
            return np.asarray(value, dtype=dtype)
    return np.asarray(value).astype(dtype)


def _numpy_input(x):
    """x as a numpy array Mars can borrow (C order, aligned, native byte
    order, a Mars dtype): no copy when x already is one."""
    a = np.asarray(x)
    name = a.dtype.name
    if name not in _SUPPORTED:
        raise TypeError("data type %s is not supported by Mars (%s)"
                        % (name, _SUPPORTED_TEXT))
    if not a.dtype.isnative:
        a = a.astype(a.dtype.newbyteorder("="))
    if not (a.flags.c_contiguous and a.flags.aligned):
        a = np.ascontiguousarray(a)
    return a


def _operand(x):
    """x as what the C++ binary functions take: a tensor handle or a Python
    number (numpy scalars and 0-d arrays become 0-d tensors, which numpy
    also treats as weakly typed)."""
    if isinstance(x, Tensor):
        return x._t
    if isinstance(x, (bool, int, float, complex)) and \
            not isinstance(x, np.generic):
        return x
    if isinstance(x, np.generic) or isinstance(x, (np.ndarray, list, tuple)):
        a = _numpy_input(x)
        # An array passed in an expression is the value it has now (numpy
        # computes at once): borrow it only when it cannot change.
        if a.flags.writeable and isinstance(x, np.ndarray) and \
                np.may_share_memory(a, x):
            a = a.copy()
        return _mars.from_numpy(a, None)
    if isinstance(x, numbers.Number):
        if isinstance(x, numbers.Integral):
            return int(x)
        if isinstance(x, numbers.Real):
            return float(x)
        if isinstance(x, numbers.Complex):
            return complex(x)
    raise TypeError("unsupported operand type for Mars: %s"
                    % type(x).__name__)


def _tensor(x):
    """x as a Tensor (numbers and arrays become constant tensors)."""
    if isinstance(x, Tensor):
        return x
    h = _operand(x)
    if isinstance(h, _mars.Tensor):
        return Tensor(h)
    return Tensor(_mars.full([], h, None, None))


def _axis(axis):
    if axis is None:
        return None
    if isinstance(axis, (tuple, list)):
        return [operator.index(a) for a in axis]
    return operator.index(axis)


def _shape_arg(shape):
    if isinstance(shape, (tuple, list)):
        return [operator.index(s) for s in shape]
    return [operator.index(shape)]


def _shape_args(args):
    """reshape(2, 3) and reshape((2, 3)) alike."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return _shape_arg(args[0])
    return [operator.index(a) for a in args]


def _chunks_of(shape, chunk):
    """Mars's .chunks: per dimension, the tuple of chunk lengths."""
    out = []
    for n, c in zip(shape, chunk):
        c = max(1, c)
        full, rest = divmod(n, c)
        out.append((c,) * full + ((rest,) if rest else ()) if n else (0,))
    return tuple(out)


def _binary(name, a, b):
    return Tensor(_mars.binary(name, _operand(a), _operand(b),
                               _eager_session()))


def _operator_operand(x):
    """An operator's other operand, or None when Mars does not take it (the
    operator then returns NotImplemented, as Python expects)."""
    try:
        return _operand(x)
    except TypeError:
        return None


def _reflected(name):
    def op(self, other):
        if type(other) is Tensor:  # The common case, without conversions.
            return Tensor(_mars.binary(name, other._t, self._t,
                                       _eager_session()))
        o = _operator_operand(other)
        if o is None:
            return NotImplemented
        return Tensor(_mars.binary(name, o, self._t, _eager_session()))
    return op


def _forward(name):
    def op(self, other):
        if type(other) is Tensor:  # The common case, without conversions.
            return Tensor(_mars.binary(name, self._t, other._t,
                                       _eager_session()))
        o = _operator_operand(other)
        if o is None:
            return NotImplemented
        return Tensor(_mars.binary(name, self._t, o, _eager_session()))
    return op


class Tensor:
    """A lazily computed n-dimensional array (numpy.ndarray's interface).

    Operations record a graph; ``execute()`` runs it (in eager mode every
    operation runs at once). Conversions (``np.asarray(t)``, ``float(t)``,
    printing a value) execute the tensor if it has not been executed."""

    __slots__ = ("_t", "__weakref__")
    __array_priority__ = 100

    def __init__(self, handle):
        self._t = handle

    # -- properties ---------------------------------------------------------
    @property
    def shape(self):
        return self._t.shape

    @property
    def ndim(self):
        return self._t.ndim

    @property
    def dtype(self):
        return np.dtype(self._t.dtype)

    @property
    def size(self):
        return self._t.size

    @property
    def nbytes(self):
        return self._t.nbytes

    @property
    def itemsize(self):
        return self.dtype.itemsize

    @property
    def chunks(self):
        """Per dimension, the lengths of the chunks: the chunk_size asked
        for, else what the default session's tiling chooses for the tensor
        in the program that computes it (``a + b`` keeps its operands'
        chunks)."""
        shape = self._t.chunk_shape
        if shape is None:
            shape = get_default_session().chunk_shape(self)
        return _chunks_of(self.shape, shape)

    @property
    def T(self):
        return transpose(self)

    @property
    def key(self):
        return "%x" % self._t.key

    # -- execution ----------------------------------------------------------
    def execute(self, session=None, trace=None):
        """Runs the graph that computes this tensor and returns the tensor
        (``trace``: a path for the run's trace, see mars.Session.execute)."""
        (session or get_default_session()).execute(self, trace=trace)
        return self

    def fetch(self, session=None):
        """The value as a numpy array (executing first if needed). The array
        shares the tensor's buffer and is read only; np.array(t) copies. A
        sparse tensor's value is a scipy.sparse.csr_matrix."""
        v = self._t.value()
        if v is None:
            self.execute(session)
            v = self._t.value()
        return v

    def visualize(self, filename=None, format=None, stage="fused",
                  session=None):
        """A picture of the program computing this tensor (mars.graph.Graph:
        SVG in Jupyter, ``.save(path)``, ``.source`` for the DOT text).
        ``stage``: "input", "tiled", "fused" (what runs) or "chunks"."""
        from ..graph import visualize
        return visualize(self, filename=filename, format=format, stage=stage,
                         session=session)

    def _value(self):
        return self.fetch()

    def __array__(self, dtype=None):
        v = self.fetch()
        if self.issparse():
            v = v.toarray()
        return v if dtype is None else v.astype(dtype)

    # -- sparse storage -----------------------------------------------------
    def issparse(self):
        """Whether the tensor is a sparse matrix (compressed sparse rows)."""
        return self._t.issparse

    def tosparse(self):
        """The matrix stored sparsely: only its elements that are not zero."""
        return Tensor(_mars.tosparse(self._t))

    def todense(self):
        """The matrix with every element stored (a dense tensor)."""
        return Tensor(_mars.todense(self._t))

    toarray = todense

    def __float__(self):
        return float(self._scalar("float"))

    def __int__(self):
        return int(self._scalar("int"))

    def __index__(self):
        if self.dtype.kind not in "iub":
            raise TypeError("only integer scalar arrays can be converted to "
                            "a scalar index")
        return int(self._scalar("index"))

    def __complex__(self):
        return complex(self._scalar("complex"))

    def __bool__(self):
        if self.size != 1:
            raise ValueError("The truth value of an array with more than one "
                             "element is ambiguous. Use a.any() or a.all()")
        return bool(self.fetch().reshape(()))

    def _scalar(self, what):
        if self.size != 1:
            raise TypeError("only size-1 arrays can be converted to Python "
                            "scalars")
        return self.fetch().reshape(())[()]

    def item(self):
        return self._scalar("item").item()

    def tolist(self):
        return self.fetch().tolist()

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        for i in range(self.shape[0]):
            yield self[i]

    def __repr__(self):
        if self._t.executed and self.issparse():
            return "Tensor <sparse %s>" % (repr(self._t.value()),)
        if self._t.executed:
            return "Tensor" + np.array_repr(self._t.value())[len("array"):]
        return "Tensor <shape=%s, dtype=%s%s>" % (
            self.shape, self._t.dtype,
            "" if self._t.chunk_shape is None else
            ", chunk_size=%s" % (tuple(self._t.chunk_shape),))

    def __str__(self):
        if self._t.executed:
            return str(self._t.value())
        return repr(self)

    __hash__ = object.__hash__

    def __array_namespace__(self, api_version=None):
        from . import array_api
        return array_api

    # -- operators ----------------------------------------------------------
    __add__ = _forward("add")
    __radd__ = _reflected("add")
    __sub__ = _forward("subtract")
    __rsub__ = _reflected("subtract")
    __mul__ = _forward("multiply")
    __rmul__ = _reflected("multiply")
    __truediv__ = _forward("true_divide")
    __rtruediv__ = _reflected("true_divide")
    __floordiv__ = _forward("floor_divide")
    __rfloordiv__ = _reflected("floor_divide")
    __mod__ = _forward("remainder")
    __rmod__ = _reflected("remainder")
    _power = _forward("power")

    def __pow__(self, other):
        # numpy's ndarray.__pow__ sends a few exponents of inexact arrays to
        # other ufuncs (fast_scalar_power), which differ from power's
        # nc_pow for complex numbers: 1 positive, -1 reciprocal, 0 ones,
        # 2 square (0.5 is sqrt).
        if self.dtype.kind == "c" and isinstance(
                other, (int, float, np.integer, np.floating)) and \
                not isinstance(other, bool) and other in (-1, 0, 1, 2):
            if other == 1:
                return self
            if other == -1:
                return _mt().reciprocal(self)
            if other == 0:
                return _mt().ones_like(self)
            return _mt().square(self)
        return self._power(other)
    __rpow__ = _reflected("power")
    __lt__ = _forward("less")
    __le__ = _forward("less_equal")
    __gt__ = _forward("greater")
    __ge__ = _forward("greater_equal")
    __eq__ = _forward("equal")
    __ne__ = _forward("not_equal")

    __and__ = _forward("bitwise_and")
    __rand__ = _reflected("bitwise_and")
    __or__ = _forward("bitwise_or")
    __ror__ = _reflected("bitwise_or")
    __xor__ = _forward("bitwise_xor")
    __rxor__ = _reflected("bitwise_xor")
    __lshift__ = _forward("left_shift")
    __rlshift__ = _reflected("left_shift")
    __rshift__ = _forward("right_shift")
    __rrshift__ = _reflected("right_shift")

    def __invert__(self):
        return Tensor(_mars.unary("invert", self._t, _eager_session()))

    def __neg__(self):
        return Tensor(_mars.unary("negative", self._t, _eager_session()))

    def __pos__(self):
        return self

    def __abs__(self):
        return Tensor(_mars.unary("absolute", self._t, _eager_session()))

    def __matmul__(self, o):
        return _mt().matmul(self, o)

    def __rmatmul__(self, o):
        return _mt().matmul(o, self)

    def __divmod__(self, o):
        return self // o, self % o

    def __getitem__(self, item):
        from .indexing import getitem
        return getitem(self, item)

    def __setitem__(self, key, value):
        """numpy's assignment for every index numpy accepts. A tensor is a
        value: this tensor becomes the new version, and tensors built from
        it before keep the old values."""
        from .assignment import setitem
        self._t = setitem(self, key, value)._t

    # -- methods ------------------------------------------------------------
    def astype(self, dtype, order="K", casting="unsafe", copy=True):
        name = _dtype_name(dtype)
        if self.dtype.kind == "c" and np.dtype(name).kind not in "cb":
            warnings.warn("Casting complex values to real discards the "
                          "imaginary part", np.ComplexWarning, stacklevel=2)
        return _wrap(_mars.astype(self._t, name))

    def reshape(self, *shape, order="C"):
        if order != "C":
            raise NotImplementedError("only order='C' reshapes are supported")
        return _wrap(_mars.reshape(self._t, _shape_args(shape)))

    def ravel(self, order="C"):
        return self.reshape(-1, order=order)

    flatten = ravel

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None
                               or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return transpose(self, list(axes) if axes else None)

    def squeeze(self, axis=None):
        return _wrap(_mars.squeeze(self._t, _axis(axis)))

    def rechunk(self, chunk_size):
        return _wrap(_mars.rechunk(self._t, chunk_size))

    def dot(self, b):
        return dot(self, b)

    def copy(self, order="C"):
        # A new tensor of the same value: assignment rebinds only one.
        return _wrap(self._t)

    # numpy's methods that are mars.tensor functions.
    def clip(self, min=None, max=None):
        return _mt().clip(self, min, max)

    def round(self, decimals=0, out=None):
        return _mt().around(self, decimals, out)

    def ptp(self, axis=None, out=None, keepdims=False):
        return _mt().ptp(self, axis, out, keepdims)

    def trace(self, offset=0, axis1=0, axis2=1, dtype=None, out=None):
        return _mt().trace(self, offset, axis1, axis2, dtype, out)

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return _mt().diagonal(self, offset, axis1, axis2)

    def repeat(self, repeats, axis=None):
        return _mt().repeat(self, repeats, axis)

    def swapaxes(self, axis1, axis2):
        return _mt().swapaxes(self, axis1, axis2)

    def conj(self):
        # numpy's ndarray.conj of a real array is the array (np.conj of a
        # bool one is int8, its ufunc's first loop).
        return _mt().conj(self) if self.dtype.kind == "c" else self

    conjugate = conj

    @property
    def real(self):
        return _mt().real(self)

    @property
    def imag(self):
        return _mt().imag(self)

    def sort(self, axis=-1, kind=None, order=None):
        """Sorts in place, as numpy's: this tensor becomes the new version
        (tensors that used the old one keep its values)."""
        self._t = _mt().sort(self, axis=axis, kind=kind, order=order)._t

    def put(self, indices, values, mode="raise"):
        """numpy's ndarray.put: in place (a new version of this tensor)."""
        _mt().put(self, indices, values, mode)

    def fill(self, value):
        """numpy's ndarray.fill: every element becomes ``value``."""
        self[...] = value

    def argsort(self, axis=-1, kind=None, order=None):
        return _mt().argsort(self, axis=axis, kind=kind, order=order)

    def partition(self, kth, axis=-1, kind="introselect", order=None):
        """Partitions in place (a new version of this tensor)."""
        self._t = _mt().partition(self, kth, axis=axis, kind=kind,
                                  order=order)._t

    def argpartition(self, kth, axis=-1, kind="introselect", order=None):
        return _mt().argpartition(self, kth, axis=axis, kind=kind,
                                  order=order)

    def searchsorted(self, v, side="left", sorter=None):
        return _mt().searchsorted(self, v, side=side, sorter=sorter)

    def take(self, indices, axis=None, out=None, mode="raise"):
        return _mt().take(self, indices, axis=axis, out=out, mode=mode)

    def nonzero(self):
        return _mt().nonzero(self)

    def compress(self, condition, axis=None, out=None):
        return _mt().compress(condition, self, axis=axis, out=out)

    def _reduce(self, name, axis, keepdims, ddof=0, dtype=None, out=None,
                initial=None, where=True):
        if out is not None:
            raise NotImplementedError("out= is not supported (tensors are "
                                      "immutable)")
        from . import wherereduce
        if initial is None:
            initial = wherereduce.NO_VALUE
        if self.issparse() and name == "count_nonzero":
            # Explicit zeros are not nonzero: `!= 0` keeps them, as False;
            # a sparse sum is scipy's product with ones (api::reduce).
            return (self != 0)._reduce("sum", axis, keepdims, 0, np.intp,
                                       None, initial, where)
        if where is not True or initial is not wherereduce.NO_VALUE:
            return wherereduce.reduce(self, name, axis, keepdims, ddof, dtype,
                                      initial, where)
        x = self
        if dtype is not None:
            # numpy accumulates in the dtype asked for.
            x = self._nan_free(name).astype(dtype)
        t = _wrap(_mars.reduce(name, x._t, _axis(axis), bool(keepdims),
                               int(ddof)))
        if dtype is not None:
            t = t.astype(dtype)
        return t

    def _scan(self, name, axis, dtype, out):
        if out is not None:
            raise NotImplementedError("out= is not supported (tensors are "
                                      "immutable)")
        # numpy accumulates in the dtype asked for.
        x = self if dtype is None else self._nan_free(name).astype(dtype)
        t = _wrap(_mars.scan(name, x._t,
                             None if axis is None else operator.index(axis)))
        return t if dtype is None else t.astype(dtype)

    def _nan_free(self, name):
        """self with NaN replaced as the nan function `name` reads it (numpy
        replaces NaN before casting to a dtype= asked for)."""
        if not name.startswith("nan") or self.dtype.kind not in "fc":
            return self
        fill = np.ones((), self.dtype) if "prod" in name else \
            np.zeros((), self.dtype)
        return _mt().where(_mt().isnan(self), fill, self)

    def cumsum(self, axis=None, dtype=None, out=None):
        return self._scan("cumsum", axis, dtype, out)

    def cumprod(self, axis=None, dtype=None, out=None):
        return self._scan("cumprod", axis, dtype, out)

    # numpy's methods: initial= (None here is "not given") and where=.
    def sum(self, axis=None, dtype=None, out=None, keepdims=False,
            initial=None, where=True):
        return self._reduce("sum", axis, keepdims, 0, dtype, out, initial,
                            where)

    def prod(self, axis=None, dtype=None, out=None, keepdims=False,
             initial=None, where=True):
        return self._reduce("prod", axis, keepdims, 0, dtype, out, initial,
                            where)

    def min(self, axis=None, out=None, keepdims=False, initial=None,
            where=True):
        return self._reduce("min", axis, keepdims, out=out, initial=initial,
                            where=where)

    def max(self, axis=None, out=None, keepdims=False, initial=None,
            where=True):
        return self._reduce("max", axis, keepdims, out=out, initial=initial,
                            where=where)

    def mean(self, axis=None, dtype=None, out=None, keepdims=False, *,
             where=True):
        return self._reduce("mean", axis, keepdims, dtype=dtype, out=out,
                            where=where)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
            where=True):
        return self._reduce("var", axis, keepdims, ddof, dtype, out,
                            where=where)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
            where=True):
        return self._reduce("std", axis, keepdims, ddof, dtype, out,
                            where=where)

    def any(self, axis=None, out=None, keepdims=False, *, where=True):
        return self._reduce("any", axis, keepdims, out=out, where=where)

    def all(self, axis=None, out=None, keepdims=False, *, where=True):
        return self._reduce("all", axis, keepdims, out=out, where=where)

    def argmin(self, axis=None, out=None, keepdims=False):
        return self._reduce("argmin", axis, keepdims, out=out)

    def argmax(self, axis=None, out=None, keepdims=False):
        return self._reduce("argmax", axis, keepdims, out=out)


def _mt():
    """The mars.tensor namespace (it imports this module)."""
    import mars.tensor
    return mars.tensor


def transpose(a, axes=None):
    return _wrap(_mars.transpose(_tensor(a)._t, _axis(axes)))


def matmul(a, b):
    a, b = _tensor(a), _tensor(b)
    return _wrap(_mars.matmul(a._t, b._t))


def dot(a, b):
    a, b = _tensor(a), _tensor(b)
    return _wrap(_mars.dot(a._t, b._t))
