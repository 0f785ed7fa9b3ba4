"""numpy's ``where=`` and ``initial=`` on the reductions, over Mars's
reductions of a ``where``: elements outside the mask are replaced by the
reduction's identity (0 for sums, 1 for products, False for any, True for
all, ``initial`` for min and max, which have none), and mean, var and std
divide by the mask's count along the axes, following numpy's _mean and
_var step by step. ``initial`` is cast to the result's dtype, as numpy
casts it."""

import numpy as _np

from .core import _tensor

# numpy's "no value given" for initial= (None is a value for numpy).
NO_VALUE = object()

_IDENTITY = {"sum": 0, "nansum": 0, "prod": 1, "any": False, "all": True}
_UFUNC = {"min": "minimum", "max": "maximum"}


def _mt():
    import mars.tensor as mt
    return mt


def _mask(t, where):
    """``where`` as a bool tensor of t's shape (numpy broadcasts it)."""
    mt = _mt()
    w = _tensor(where)
    if w.dtype.kind != "b":
        w = w.astype(bool)
    try:
        shape = _np.broadcast_shapes(tuple(w.shape), tuple(t.shape))
    except ValueError:
        shape = None
    if shape != tuple(t.shape):
        raise ValueError("operands could not be broadcast together with "
                         "shapes %s %s" % (tuple(t.shape), tuple(w.shape)))
    return mt.broadcast_to(w, t.shape) if tuple(w.shape) != shape else w


def _cast(value, dtype):
    return _np.asarray(value).astype(dtype)[()]


def reduce(t, name, axis, keepdims, ddof, dtype, initial, where):
    """numpy's reduction ``name`` of tensor t with ``initial`` (NO_VALUE:
    none) and ``where`` (True: every element)."""
    mt = _mt()
    w = None if where is True else _mask(t, where)
    if name in _IDENTITY:
        x = t if w is None else mt.where(
            w, t, _np.asarray(_IDENTITY[name]).astype(t.dtype))
        r = x._reduce(name, axis, keepdims, dtype=dtype)
        if initial is NO_VALUE or name in ("any", "all"):
            return r
        init = _cast(initial, r.dtype)
        return r * init if name == "prod" else r + init
    if name in _UFUNC:
        if initial is NO_VALUE:
            if w is not None:
                raise ValueError(
                    "reduction operation '%s' does not have an identity, so "
                    "to use a where mask one has to specify 'initial'"
                    % _UFUNC[name])
            return t._reduce(name, axis, keepdims)
        init = _cast(initial, t.dtype)
        x = t if w is None else mt.where(w, t, init)
        if x.size == 0:
            # numpy: an empty reduction with initial is initial.
            shape = _reduced_shape(t, axis, keepdims)
            return mt.full(shape, init, dtype=t.dtype)
        return getattr(mt, _UFUNC[name])(x._reduce(name, axis, keepdims),
                                         init)
    if name == "mean":
        return _mean(t, w, axis, keepdims, dtype)
    if name in ("var", "std"):
        r = _var(t, w, axis, keepdims, ddof, dtype)
        return mt.sqrt(r) if name == "std" else r
    raise TypeError("%s() got an unexpected keyword argument 'where'" % name)


def _reduced_shape(t, axis, keepdims):
    axes = range(t.ndim) if axis is None else \
        [a % t.ndim for a in (axis if isinstance(axis, (tuple, list))
                              else (axis,))]
    return tuple(1 if d in axes else s for d, s in enumerate(t.shape)
                 if keepdims or d not in axes)


def _sum_dtype(t, dtype):
    # numpy's _mean and _var sum integers and bools in float64.
    if dtype is None and t.dtype.kind in "biu":
        return _np.float64
    return dtype


def _count(t, w, axis, keepdims):
    mt = _mt()
    ones = w if w is not None else mt.ones(t.shape, dtype=bool)
    return ones._reduce("sum", axis, keepdims)


def _mean(t, w, axis, keepdims, dtype):
    mt = _mt()
    x = t if w is None else mt.where(w, t, _np.zeros((), t.dtype))
    s = x._reduce("sum", axis, keepdims, dtype=_sum_dtype(t, dtype))
    # numpy divides into the sum's dtype (a float32 mean stays float32).
    return (s / _count(t, w, axis, keepdims)).astype(s.dtype)


def _var(t, w, axis, keepdims, ddof, dtype):
    mt = _mt()
    mean = _mean(t, w, axis, True, dtype)
    x = t - mean
    # |x|^2: numpy multiplies complex deviations by their conjugates and
    # keeps the real part.
    x = (x * x.conj()).real if x.dtype.kind == "c" else x * x
    if w is not None:
        x = mt.where(w, x, _np.zeros((), x.dtype))
    s = x._reduce("sum", axis, keepdims, dtype=_sum_dtype(x, dtype))
    n = mt.maximum(_count(t, w, axis, keepdims) - ddof, 0)
    return (s / n).astype(s.dtype)
