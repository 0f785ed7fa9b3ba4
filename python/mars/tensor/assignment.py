"""numpy's assignment: ``t[index] = value`` for every index numpy accepts,
and put, put_along_axis, place, putmask, fill_diagonal and copyto.

A Mars tensor is a value, so assignment makes a new version: the tensor
object is rebound to it and tensors built from the old version keep the
old values (as numpy's copies do; unlike numpy, a tensor made by slicing is
not a view, so assigning into it does not change the tensor it came from).

Each assignment lowers to one of two ops:
- ``mars.where`` when the value's placement is known without the data: a
  boolean mask with a value that broadcasts over the selected rows, and
  basic indices (integers, slices, None, Ellipsis), whose selection is a
  product of per-axis selections (the value is spread over the whole
  tensor with takes along the axes it varies on). These stay elementwise:
  chunk by chunk, fused, nothing executed.
- ``mars.put`` otherwise: the flat positions of the selected elements are
  computed (from per-axis coordinates, by numpy's rules for where the
  advanced dimensions go) and written with the value broadcast to the
  selection. Each result chunk reads all positions and values.

Values are cast to the tensor's dtype with numpy's unsafe casting, as
numpy's assignment does. Where numpy needs the count of a mask (a value
that does not broadcast over the selection, ``place``), the mask is
executed when the assignment is made."""

import operator as _operator

import numpy as _np

from .. import _mars
from .core import Tensor, _wrap, _tensor, _as_dtype
from .indexing import (_is_advanced, _parse, _checked, _broadcast_tensors,
                       _normalized, bool_scalars)

__all__ = ["put", "put_along_axis", "place", "putmask", "fill_diagonal",
           "copyto"]


def _mt():
    import mars.tensor as mt
    return mt


def _shape_str(shape):
    return "(" + ",".join(str(s) for s in shape) + \
        ("," if len(shape) == 1 else "") + ")"


def _value(value, dtype):
    """The value as a tensor of ``dtype`` (numpy's unsafe cast)."""
    if isinstance(value, Tensor):
        return value if value.dtype == dtype else value.astype(dtype)
    a = _np.asarray(value)
    if a.ndim == 0 and a.dtype.kind in "fc" and dtype.kind in "iub" and \
            not _np.isfinite(a):
        # numpy converts a scalar through Python: NaN and inf fail there.
        raise ValueError("cannot convert float %s to integer" % a)
    return _tensor(_as_dtype(value, dtype))


def _fitted(v, ndim):
    """v without the leading size-1 dimensions beyond ``ndim`` (numpy
    drops them before broadcasting a value into its target)."""
    shape = tuple(v.shape)
    k = 0
    while len(shape) - k > ndim and shape[k] == 1:
        k += 1
    return v.reshape(shape[k:]) if k else v


def _broadcasts(src, dst):
    """Whether shape ``src`` broadcasts to ``dst`` (numpy's rule)."""
    if len(src) > len(dst):
        return False
    return all(s in (1, d) for s, d in zip(src[::-1], dst[::-1]))


def _broadcast_error(v, shape):
    return ValueError("could not broadcast input array from shape %s into "
                      "shape %s" % (_shape_str(v.shape), _shape_str(shape)))


def setitem(t, key, value):
    """``t[key] = value`` as a new tensor."""
    item = key if isinstance(key, tuple) else (key,)
    rewritten = bool_scalars(t.shape, item)
    if rewritten is not None:
        # Into t with the new axes of the boolean scalars, then back.
        expanded = t[rewritten[0]]
        return setitem(expanded, rewritten[1], value).reshape(t.shape)
    v = _value(value, t.dtype)
    full_mask = len(item) == 1 and _is_mask(item[0]) and \
        item[0].ndim == t.ndim
    if full_mask and v.ndim > 1:
        raise TypeError("NumPy boolean array indexing assignment requires a "
                        "0 or 1-dimensional input, input has %d dimensions"
                        % v.ndim)
    if len(item) == 1 and _is_mask(item[0]):
        out = _mask_where(t, item[0], v)
        if out is not None:
            return out
    if not any(_is_advanced(it) for it in item):
        return _basic(t, item, v)
    ids = _positions(t, item)
    if full_mask and v.size not in (1, ids.size):
        raise ValueError("NumPy boolean array indexing assignment cannot "
                         "assign %d input values to the %d output values "
                         "where the mask is true" % (v.size, ids.size))
    v = _fitted(v, ids.ndim)
    if not _broadcasts(v.shape, ids.shape):
        raise ValueError("shape mismatch: value array of shape %s could not "
                         "be broadcast to indexing result of shape %s"
                         % (_shape_str(v.shape), _shape_str(ids.shape)))
    if ids.size == 0:
        return t
    return _put(t, ids, _mt().broadcast_to(v, ids.shape))


def _put(t, ids, values, mode="raise"):
    return _wrap(_mars.put(t._t, _tensor(ids)._t, _tensor(values)._t, mode))


def _is_mask(it):
    if isinstance(it, Tensor):
        return it.dtype.kind == "b" and it.ndim > 0
    if isinstance(it, _np.ndarray):
        return it.dtype.kind == "b" and it.ndim > 0
    return False


def _mask_where(t, mask, v):
    """``t[mask] = v`` as a where when v broadcasts over each selected
    row (its leading dimension, if any, is 1); None otherwise."""
    k = mask.ndim
    for d in range(k):
        if d >= t.ndim or t.shape[d] != mask.shape[d]:
            raise IndexError(
                "boolean index did not match indexed array along dimension "
                "%d; dimension is %d but corresponding boolean dimension is "
                "%d" % (d, t.shape[d] if d < t.ndim else 0, mask.shape[d]))
    rest = tuple(t.shape[k:])
    v = _fitted(v, len(rest) + 1)
    vshape = tuple(v.shape)
    if len(vshape) == len(rest) + 1 and vshape[0] == 1:
        v = v.reshape(vshape[1:])
        vshape = vshape[1:]
    if not _broadcasts(vshape, rest):
        return None
    m = _tensor(mask).reshape(tuple(mask.shape) + (1,) * len(rest))
    return _mt().where(m, v, t)


def _axis_selections(t, item):
    """Basic ``item`` per axis of t: (positions as a range or None for a
    dropped integer axis, the integer) and the result's layout: for each
    result dimension, the axis of t it comes from (None: a new axis)."""
    consumed = sum(1 for it in item if it is not None and it is not Ellipsis)
    if consumed > t.ndim:
        raise IndexError("too many indices for array: array is %d-"
                         "dimensional, but %d were indexed"
                         % (t.ndim, consumed))
    if sum(1 for it in item if it is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    sel, layout = [], []
    axis = 0
    for it in item:
        if it is None:
            layout.append(None)
        elif it is Ellipsis:
            for _ in range(t.ndim - consumed):
                sel.append(range(t.shape[axis]))
                layout.append(axis)
                axis += 1
        elif isinstance(it, slice):
            sel.append(range(*it.indices(t.shape[axis])))
            layout.append(axis)
            axis += 1
        else:
            try:
                i = _operator.index(it)
            except TypeError:
                raise IndexError(
                    "only integers, slices (`:`), ellipsis (`...`), "
                    "numpy.newaxis (`None`) and integer or boolean arrays "
                    "are valid indices") from None
            n = t.shape[axis]
            if not -n <= i < n:
                raise IndexError("index %d is out of bounds for axis %d "
                                 "with size %d" % (i, axis, n))
            sel.append(range(i % n, i % n + 1))
            axis += 1
    while axis < t.ndim:
        sel.append(range(t.shape[axis]))
        layout.append(axis)
        axis += 1
    return sel, layout


def _basic(t, item, v):
    """``t[item] = v`` for basic indices: where(selection, spread v, t)."""
    mt = _mt()
    sel, layout = _axis_selections(t, item)
    shape = tuple(len(sel[a]) if a is not None else 1 for a in layout)
    v = _fitted(v, len(shape))
    if not _broadcasts(tuple(v.shape), shape):
        raise _broadcast_error(v, shape)
    if any(len(r) == 0 for r in sel):
        return t
    # v over the axes of t: align it with the result, drop the new axes
    # (size 1 there) and give the integer axes size 1.
    vs = (1,) * (len(shape) - v.ndim) + tuple(v.shape)
    per_axis = [1] * t.ndim
    for a, s in zip(layout, vs):
        if a is not None:
            per_axis[a] = s
    if tuple(v.shape) != tuple(per_axis):
        v = v.reshape(tuple(per_axis))
    mask = None
    for a, r in enumerate(sel):
        n = t.shape[a]
        if r == range(n):
            continue
        chosen = _np.fromiter(r, _np.int64, len(r))
        if per_axis[a] > 1:
            # Spread v's entries to the positions they go to (the others
            # are masked off).
            where_to = _np.zeros(n, _np.int64)
            where_to[chosen] = _np.arange(len(r))
            v = mt.take(v, where_to, axis=a)
        on = _np.zeros(n, bool)
        on[chosen] = True
        on = mt.asarray(on.reshape((1,) * a + (n,) + (1,) * (t.ndim - a - 1)))
        mask = on if mask is None else mask & on
    if mask is None:
        return mt.broadcast_to(v, t.shape)
    return mt.where(mask, v, t)


def _positions(t, item):
    """The flat positions in t of ``t[item]``'s elements, in its shape,
    by numpy's rules (advanced items with anything)."""
    mt = _mt()
    basic, positions, axes, arrays, adjacent = _parse(t, item)
    strides = [1] * t.ndim
    for d in range(t.ndim - 2, -1, -1):
        strides[d] = strides[d + 1] * t.shape[d + 1]
    # The basic result y's dimensions: (axis of t or None, range).
    ydims = []
    consumed = sum(1 for b in basic if isinstance(b, slice))
    axis = 0
    for b in basic:
        if b is None:
            ydims.append((None, range(1)))
        elif b is Ellipsis:
            for _ in range(t.ndim - consumed):
                ydims.append((axis, range(t.shape[axis])))
                axis += 1
        else:
            ydims.append((axis, range(*b.indices(t.shape[axis]))))
            axis += 1
    while axis < t.ndim:
        ydims.append((axis, range(t.shape[axis])))
        axis += 1
    sizes = [t.shape[a] for a in axes]
    if any(isinstance(a, Tensor) for a in arrays):
        adv = None
        for a, n, ax in zip(_broadcast_tensors(arrays), sizes, axes):
            c = _normalized(a, n) * strides[ax]
            adv = c if adv is None else adv + c
    else:
        adv = _np.zeros((), _np.int64)
        for a, ax in zip(_checked(arrays, sizes, axes), axes):
            adv = adv + a.astype(_np.int64) * strides[ax]
        adv = _np.array(adv, _np.int64)
    # Result dimensions: the other y dims, with the broadcast index
    # dims where the advanced axes were (adjacent) or first.
    others = [p for p in range(len(ydims)) if p not in positions]
    b = adv.ndim
    if adjacent:
        front = [p for p in others if p < positions[0]]
        back = [p for p in others if p > positions[0]]
        order = [("y", p) for p in front] + [("adv", None)] + \
            [("y", p) for p in back]
    else:
        order = [("adv", None)] + [("y", p) for p in others]
    rank = len(others) + b
    ids = None
    dim = 0
    for kind, p in order:
        if kind == "adv":
            shape = (1,) * dim + tuple(adv.shape) + (1,) * (rank - dim - b)
            # (np.array, not ascontiguousarray, which makes 0-d arrays 1-d.)
            term = adv.reshape(shape) if isinstance(adv, Tensor) \
                else _np.array(adv.reshape(shape), _np.int64, order="C")
            dim += b
        else:
            a, r = ydims[p]
            coord = _np.arange(r.start, r.stop, r.step, dtype=_np.int64) \
                if a is not None else _np.zeros(1, _np.int64)
            if a is not None:
                coord = coord * strides[a]
            shape = (1,) * dim + (len(coord),) + (1,) * (rank - dim - 1)
            term = coord.reshape(shape)
            dim += 1
        term = _tensor(term) if not isinstance(term, Tensor) else term
        ids = term if ids is None else ids + term
    out_shape = []
    for kind, p in order:
        if kind == "adv":
            out_shape.extend(adv.shape)
        else:
            out_shape.append(len(ydims[p][1]))
    return mt.broadcast_to(ids, tuple(out_shape))


# -- numpy's functions ------------------------------------------------------

def _target(a, name):
    if not isinstance(a, Tensor):
        raise TypeError("%s writes into a Mars tensor, got %s (use "
                        "numpy.%s for a numpy array)"
                        % (name, type(a).__name__, name))


def put(a, ind, v, mode="raise"):
    """numpy.put: ``a.flat[ind] = v`` in place (a new version of a).
    ``v`` repeats when shorter than ``ind``; a position given twice gets
    the later value."""
    _target(a, "put")
    if mode not in ("raise", "wrap", "clip"):
        raise ValueError("clipmode must be one of 'clip', 'raise', or 'wrap' "
                         "(got '%s')" % mode)
    # numpy interprets the indices as integers (floats truncate).
    idx = ind if isinstance(ind, Tensor) else _np.asarray(ind)
    if idx.dtype.kind == "f":
        idx = idx.astype(_np.int64)
    a._t = _put(a, idx, _value(v, a.dtype), mode)._t


def put_along_axis(arr, indices, values, axis):
    """numpy.put_along_axis: ``arr[..., indices, ...] = values`` lane by
    lane along ``axis`` (None: the flattened tensor), in place."""
    _target(arr, "put_along_axis")
    idx = indices if isinstance(indices, Tensor) else _np.asarray(indices)
    if idx.dtype.kind not in "iu":
        raise IndexError("`indices` must be an integer array")
    if axis is None:
        if idx.ndim != 1:
            raise ValueError("when axis=None, `indices` must have a single "
                             "dimension.")
        flat = arr.reshape(-1)
        put_along_axis(flat, idx, values, 0)
        arr._t = flat.reshape(arr.shape)._t
        return
    axis = _operator.index(axis)
    if not -arr.ndim <= axis < arr.ndim:
        raise _np.AxisError(axis, arr.ndim)
    axis %= arr.ndim
    if idx.ndim != arr.ndim:
        raise ValueError("`indices` and `arr` must have the same number of "
                         "dimensions")
    # numpy builds the fancy index of arange(n) on the other axes; the
    # index arrays broadcast with each other and with arr's shape.
    key = []
    for d in range(arr.ndim):
        if d == axis:
            key.append(idx)
        else:
            n = arr.shape[d]
            key.append(_np.arange(n).reshape(
                (1,) * d + (n,) + (1,) * (arr.ndim - d - 1)))
    arr._t = setitem(arr, tuple(key), values)._t


def _safe_values(values, dtype):
    """numpy's place and putmask cast numpy array values safely (numbers
    and lists convert unsafely, as tensors do here): TypeError
    otherwise."""
    if isinstance(values, _np.ndarray) and values.ndim:
        src = values.dtype
    else:
        return  # numbers and lists convert straight to dtype
    if not _np.can_cast(src, dtype, "safe"):
        raise TypeError("Cannot cast array data from dtype(%r) to dtype(%r) "
                        "according to the rule 'safe'" % (str(src), str(dtype)))


def place(arr, mask, vals):
    """numpy.place: the True positions of ``mask`` get ``vals`` in order,
    repeated as needed (the mask is executed: the count decides which
    value goes where)."""
    _target(arr, "place")
    m = mask.fetch() if isinstance(mask, Tensor) else _np.asarray(mask)
    if m.size != arr.size:
        raise ValueError("place: mask and data must be the same size")
    pos = _np.flatnonzero(m.astype(bool).ravel())
    _safe_values(vals, arr.dtype)
    v = vals if isinstance(vals, Tensor) else _as_dtype(vals, arr.dtype)
    if v.size == 0:
        if pos.size:
            raise ValueError("Cannot insert from an empty array!")
        return
    arr._t = _put(arr, pos, _value(v, arr.dtype).reshape(-1))._t


def putmask(a, mask, values):
    """numpy.putmask: ``a.flat[i] = values.flat[i % len(values)]`` where
    ``mask.flat[i]``, in place. Nothing is executed."""
    _target(a, "putmask")
    mt = _mt()
    m = _tensor(mask)
    if tuple(m.shape) != tuple(a.shape):
        raise ValueError("putmask: mask and data must be the same size")
    _safe_values(values, a.dtype)
    v = _value(values, a.dtype)
    if v.size == 0:
        return
    if tuple(v.shape) != tuple(a.shape):
        v = v.reshape(-1)
        if v.size != a.size:
            v = mt.take(v, mt.arange(a.size, dtype=_np.int64), mode="wrap")
        v = v.reshape(a.shape)
    a._t = mt.where(m.astype(bool), v, a)._t


def fill_diagonal(a, val, wrap=False):
    """numpy.fill_diagonal in place: ``val`` (repeated) along the main
    diagonal; a tall 2-D tensor restarts the diagonal every ``cols + 1``
    rows when ``wrap``."""
    _target(a, "fill_diagonal")
    if a.ndim < 2:
        raise ValueError("array must be at least 2-d")
    end = None
    if a.ndim == 2:
        step = a.shape[1] + 1
        if not wrap:
            end = a.shape[1] * a.shape[1]
    else:
        if len(set(a.shape)) != 1:
            raise ValueError("All dimensions of input must be of equal length")
        step = 1 + int(_np.cumprod(a.shape[:-1]).sum())
    pos = _np.arange(0, a.size if end is None else min(end, a.size), step,
                     dtype=_np.int64)
    v = _value(val, a.dtype).reshape(-1)
    if pos.size == 0 or v.size == 0:
        return
    a._t = _put(a, pos, v)._t


def copyto(dst, src, casting="same_kind", where=True):
    """numpy.copyto: ``src`` broadcast into ``dst`` where ``where`` holds,
    in place, with numpy's casting check."""
    _target(dst, "copyto")
    mt = _mt()
    s = src if isinstance(src, Tensor) else _np.asarray(src)
    # numpy 1.24 casts a number or a 0-d array by its value.
    if not _np.can_cast(s.dtype if isinstance(s, Tensor) or s.ndim else s,
                        dst.dtype, casting):
        raise TypeError("Cannot cast array data from dtype(%r) to dtype(%r) "
                        "according to the rule %r"
                        % (str(s.dtype), str(dst.dtype), casting))
    v = _fitted(_value(s, dst.dtype), dst.ndim)
    if not _broadcasts(tuple(v.shape), tuple(dst.shape)):
        raise ValueError("could not broadcast input array from shape %s "
                         "into shape %s" % (_shape_str(v.shape),
                                            _shape_str(dst.shape)))
    if where is True:
        dst._t = mt.broadcast_to(v, dst.shape)._t
        return
    w = _tensor(where)
    if w.dtype.kind != "b":
        raise TypeError("Cannot cast array data from dtype(%r) to "
                        "dtype('bool') according to the rule 'safe'"
                        % str(w.dtype))
    if not _broadcasts(tuple(w.shape), tuple(dst.shape)):
        raise ValueError("could not broadcast where mask from shape %s into "
                         "shape %s" % (_shape_str(w.shape),
                                       _shape_str(dst.shape)))
    dst._t = mt.where(w, v, dst)._t
