"""numpy's shape functions as compositions of Mars's slice, concatenate,
reshape, broadcast_to and transpose ops: roll, rollaxis, tile, repeat, the
split family, atleast_1d/2d/3d, the stacks, block, append, insert, delete,
pad, meshgrid, indices, broadcast_arrays, copy and kron. Arguments that
decide a result's shape (repeat counts, split points, insert and delete
positions, pad widths) must be known when the graph is built, as numpy
needs them; a tensor given for one is executed first."""

import builtins as _builtins
import operator as _operator

import numpy as _np

import mars.tensor as _mt
from .core import Tensor, _tensor, _wrap, _as_dtype


def _axis_index(axis, ndim):
    axis = _operator.index(axis)
    if not -ndim <= axis < ndim:
        raise _np.AxisError("axis %d is out of bounds for array of dimension "
                            "%d" % (axis, ndim))
    return axis + ndim if axis < 0 else axis


def _along(t, axis, start, stop, step=None):
    """t[..., start:stop:step, ...] with the slice on `axis`."""
    return t[(slice(None),) * axis + (slice(start, stop, step),)]


def _concat_runs(pieces, t, axis):
    """Concatenates the pieces along axis; an empty slice of t when none."""
    if not pieces:
        return _along(t, axis, 0, 0)
    if len(pieces) == 1:
        return pieces[0]
    return _mt.concatenate(pieces, axis)


def _static(x):
    """A shape-deciding argument as a numpy value (a tensor is executed)."""
    if isinstance(x, Tensor):
        return _np.asarray(x.fetch())
    return x


def _runs(values):
    """Splits a sequence of ints into maximal runs of consecutive values
    (v, v+1, ...): a list of (first, stop) pairs."""
    out = []
    for v in values:
        v = int(v)
        if out and out[-1][1] == v:
            out[-1][1] = v + 1
        else:
            out.append([v, v + 1])
    return out


# -- roll, tile, repeat -------------------------------------------------------


def roll(a, shift, axis=None):
    """numpy.roll: elements shifted along axis (None: the flattened array),
    those past the end coming back at the start."""
    t = _tensor(a)
    if axis is None:
        return roll(t.ravel(), shift, 0).reshape(t.shape)
    b = _np.broadcast(_np.asarray(shift), _np.asarray(axis))
    if b.ndim > 1:
        raise ValueError("'shift' and 'axis' should be scalars or 1D "
                         "sequences")
    shifts = {}
    for sh, ax in b:
        ax = _axis_index(ax, t.ndim)
        shifts[ax] = shifts.get(ax, 0) + int(sh)
    for ax, sh in sorted(shifts.items()):
        n = t.shape[ax]
        if n == 0 or sh % n == 0:
            continue
        s = sh % n
        t = _mt.concatenate([_along(t, ax, n - s, None),
                             _along(t, ax, 0, n - s)], ax)
    return t


def rollaxis(a, axis, start=0):
    """numpy.rollaxis: axis moved to before position start."""
    t = _tensor(a)
    n = t.ndim
    axis = _axis_index(axis, n)
    if start < 0:
        start += n
    if not 0 <= start < n + 1:
        raise _np.AxisError("'start' arg requires %d <= start < %d, but %d "
                            "was passed in" % (-n, n + 1, start))
    if axis < start:
        start -= 1
    if axis == start:
        return t
    axes = list(range(n))
    axes.remove(axis)
    axes.insert(start, axis)
    return _mt.transpose(t, axes)


def tile(A, reps):
    """numpy.tile: A repeated reps times along each axis."""
    try:
        tup = tuple(_operator.index(r) for r in reps)
    except TypeError:
        tup = (_operator.index(reps),)
    if _builtins.any(r < 0 for r in tup):
        raise ValueError("negative dimensions are not allowed")
    t = _tensor(A)
    nd = _builtins.max(len(tup), t.ndim)
    shape = (1,) * (nd - t.ndim) + t.shape
    tup = (1,) * (nd - len(tup)) + tup
    t = t.reshape(shape)
    if _builtins.all(r == 1 for r in tup):
        return t
    interleaved, target = [], []
    for r, s in zip(tup, shape):
        interleaved += [1, s]
        target += [r, s]
    out = [r * s for r, s in zip(tup, shape)]
    return _mt.broadcast_to(t.reshape(interleaved), target).reshape(out)


def _repeat_each(t, axis, k):
    """Every element along axis repeated k times (k an int)."""
    shape = list(t.shape)
    e = _mt.expand_dims(t, axis + 1)
    target = shape[:axis + 1] + [k] + shape[axis + 1:]
    out = shape[:axis] + [shape[axis] * k] + shape[axis + 1:]
    return _mt.broadcast_to(e, target).reshape(out)


def repeat(a, repeats, axis=None):
    """numpy.repeat: each element repeated (one count, or one per element
    along axis; the counts must be known when the graph is built)."""
    t = _tensor(a)
    if axis is None or (t.ndim == 0 and axis in (0, -1)):
        # (numpy repeats a 0-d array along axis 0 or -1 as a 1-d one.)
        t = t.ravel()
        axis = 0
    else:
        axis = _axis_index(axis, t.ndim)
    r = _np.asarray(_static(repeats))
    if r.ndim > 1:
        raise ValueError("object too deep for desired array")
    r = r.astype(_np.int64)  # numpy truncates float counts
    if (r < 0).any():
        raise ValueError("repeats may not contain negative values.")
    n = t.shape[axis]
    if r.size == 1:
        return _repeat_each(t, axis, int(r.reshape(-1)[0]))
    if r.size != n:
        raise ValueError("operands could not be broadcast together with "
                         "shape (%d,) (%d,)" % (n, r.size))
    # One piece per run of equal counts.
    pieces = []
    i = 0
    while i < n:
        j = i
        while j < n and r[j] == r[i]:
            j += 1
        if r[i]:
            pieces.append(_repeat_each(_along(t, axis, i, j), axis, int(r[i])))
        i = j
    return _concat_runs(pieces, t, axis)


# -- split --------------------------------------------------------------------


def array_split(ary, indices_or_sections, axis=0):
    """numpy.array_split: sections of (nearly) equal size, or the pieces
    between the given indices."""
    t = _tensor(ary)
    n = t.shape[axis]
    axis = _axis_index(axis, t.ndim)
    ios = _static(indices_or_sections)
    try:
        points = [0] + [_operator.index(i) for i in ios] + [n]
    except TypeError:
        sections = int(ios)
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.") \
                from None
        each, extras = _builtins.divmod(n, sections)
        sizes = [0] + extras * [each + 1] + (sections - extras) * [each]
        points = list(_np.cumsum(sizes))
    return [_along(t, axis, int(points[i]), int(points[i + 1]))
            for i in range(len(points) - 1)]


def split(ary, indices_or_sections, axis=0):
    """numpy.split: as array_split, but sections must divide the axis."""
    ios = _static(indices_or_sections)
    try:
        len(ios)
    except TypeError:
        t = _tensor(ary)
        if t.shape[axis] % int(ios):
            raise ValueError("array split does not result in an equal "
                             "division") from None
    return array_split(ary, ios, axis)


def hsplit(ary, indices_or_sections):
    t = _tensor(ary)
    if t.ndim == 0:
        raise ValueError("hsplit only works on arrays of 1 or more "
                         "dimensions")
    return split(t, indices_or_sections, 1 if t.ndim > 1 else 0)


def vsplit(ary, indices_or_sections):
    t = _tensor(ary)
    if t.ndim < 2:
        raise ValueError("vsplit only works on arrays of 2 or more "
                         "dimensions")
    return split(t, indices_or_sections, 0)


def dsplit(ary, indices_or_sections):
    t = _tensor(ary)
    if t.ndim < 3:
        raise ValueError("dsplit only works on arrays of 3 or more "
                         "dimensions")
    return split(t, indices_or_sections, 2)


# -- at least n dimensions, stacking -----------------------------------------


def _one_or_list(res):
    return res[0] if len(res) == 1 else res


def atleast_1d(*arys):
    res = []
    for a in arys:
        t = _tensor(a)
        res.append(t.reshape(1) if t.ndim == 0 else t)
    return _one_or_list(res)


def atleast_2d(*arys):
    res = []
    for a in arys:
        t = _tensor(a)
        if t.ndim == 0:
            t = t.reshape(1, 1)
        elif t.ndim == 1:
            t = t.reshape(1, -1)
        res.append(t)
    return _one_or_list(res)


def atleast_3d(*arys):
    res = []
    for a in arys:
        t = _tensor(a)
        if t.ndim == 0:
            t = t.reshape(1, 1, 1)
        elif t.ndim == 1:
            t = t.reshape(1, -1, 1)
        elif t.ndim == 2:
            t = t.reshape(t.shape + (1,))
        res.append(t)
    return _one_or_list(res)


def _sequence(tup, name):
    if isinstance(tup, Tensor) or not isinstance(tup, (list, tuple)):
        try:
            tup = list(tup)
        except TypeError:
            raise TypeError("%s() expects a sequence of arrays" % name) \
                from None
    if not tup:
        raise ValueError("need at least one array to concatenate")
    return tup


def vstack(tup):
    """numpy.vstack: concatenation along the first axis of at least 2-D
    arrays."""
    return _mt.concatenate([atleast_2d(a) for a in _sequence(tup, "vstack")],
                           0)


row_stack = vstack


def hstack(tup):
    """numpy.hstack: concatenation along the second axis (the first for
    1-D arrays)."""
    ts = [atleast_1d(a) for a in _sequence(tup, "hstack")]
    return _mt.concatenate(ts, 0 if ts[0].ndim == 1 else 1)


def dstack(tup):
    """numpy.dstack: concatenation along the third axis of at least 3-D
    arrays."""
    return _mt.concatenate([atleast_3d(a) for a in _sequence(tup, "dstack")],
                           2)


def column_stack(tup):
    """numpy.column_stack: 1-D arrays as columns, concatenated along the
    second axis."""
    ts = []
    for a in _sequence(tup, "column_stack"):
        t = _tensor(a)
        if t.ndim < 2:
            t = t.reshape(-1, 1)
        ts.append(t)
    return _mt.concatenate(ts, 1)


def block(arrays):
    """numpy.block: a tensor assembled from nested lists of blocks (the
    innermost lists join along the last axis)."""
    def depth(x, path):
        if isinstance(x, tuple):
            raise TypeError(
                "%s is a tuple. Only lists can be used to arrange blocks, "
                "and np.block does not allow implicit conversion from tuple "
                "to ndarray." % path)
        if isinstance(x, list):
            if not x:
                raise ValueError("List at %s cannot be empty" % path)
            ds = [depth(e, "%s[%d]" % (path, i)) for i, e in enumerate(x)]
            if _builtins.any(d != ds[0] for d in ds):
                raise ValueError(
                    "List depths are mismatched. First element was at depth "
                    "%d, but there is an element at depth %d"
                    % (ds[0] + 1, _builtins.min(ds) + 1))
            return ds[0] + 1
        return 0

    def leaves(x):
        if isinstance(x, list):
            for e in x:
                yield from leaves(e)
        else:
            yield _tensor(x)

    list_ndim = depth(arrays, "arrays")
    result_ndim = _builtins.max([list_ndim] + [t.ndim for t in
                                               leaves(arrays)])

    def build(x, d):
        if not isinstance(x, list):
            t = _tensor(x)
            return t.reshape((1,) * (result_ndim - t.ndim) + t.shape)
        parts = [build(e, d + 1) for e in x]
        return _mt.concatenate(parts, result_ndim - (list_ndim - d))

    return build(arrays, 0)


# -- append, insert, delete ---------------------------------------------------


def append(arr, values, axis=None):
    """numpy.append: values concatenated after arr (both flattened when
    axis is None)."""
    t, v = _tensor(arr), _tensor(values)
    if axis is None:
        return _mt.concatenate([t.ravel(), v.ravel()], 0)
    return _mt.concatenate([t, v], axis)


def _flat_and_axis(t, axis):
    if axis is None:
        return t.ravel(), 0
    return t, _axis_index(axis, t.ndim)


def delete(arr, obj, axis=None):
    """numpy.delete: arr without the elements at obj (an index, a slice,
    indices or a boolean mask) along axis."""
    t, axis = _flat_and_axis(_tensor(arr), axis)
    n = t.shape[axis]
    # numpy decides what stays (and raises its errors) on an index vector.
    kept = _np.delete(_np.arange(n), _static(obj))
    return _concat_runs([_along(t, axis, a, b) for a, b in _runs(kept)],
                        t, axis)


def insert(arr, obj, values, axis=None):
    """numpy.insert: values inserted before the given indices along axis."""
    t, axis = _flat_and_axis(_tensor(arr), axis)
    n = t.shape[axis]
    obj = _static(obj)
    v = values if isinstance(values, Tensor) else _as_dtype(values, t.dtype)
    v = _tensor(v).astype(t.dtype)
    if v.ndim < t.ndim:
        v = v.reshape((1,) * (t.ndim - v.ndim) + v.shape)
    if isinstance(obj, slice):
        indices = _np.arange(*obj.indices(n))
    else:
        indices = _np.array(obj)
        if indices.ndim > 1:
            raise ValueError("index array argument obj to insert must be "
                             "one dimensional or scalar")
    if indices.size == 1:
        if indices.ndim == 0:
            v = _mt.moveaxis(v, 0, axis)
        count = v.shape[axis]
    else:
        count = indices.size
    # numpy places the values (and raises its errors) on an index vector:
    # -1 - j marks the j-th inserted value.
    order = _np.insert(_np.arange(n), obj, -1 - _np.arange(count))
    if indices.size == 0:
        return t  # (numpy assigns nothing, whatever the values' shape)
    slot = list(t.shape)
    slot[axis] = count
    # numpy assigns the values into their slot: leading size-1 dimensions
    # beyond the slot's rank are dropped, then they broadcast.
    while v.ndim > len(slot) and v.shape[0] == 1:
        v = v.reshape(v.shape[1:])
    v = _mt.broadcast_to(v, slot)
    pieces = []
    i = 0
    while i < len(order):
        j = i + 1
        step = 1 if order[i] >= 0 else -1
        while j < len(order) and (order[j] >= 0) == (order[i] >= 0) and \
                order[j] == order[j - 1] + step:
            j += 1
        if order[i] >= 0:
            pieces.append(_along(t, axis, int(order[i]), int(order[j - 1]) + 1))
        else:
            pieces.append(_along(v, axis, int(-1 - order[i]),
                                 int(-1 - order[j - 1]) + 1))
        i = j
    return _concat_runs(pieces, t, axis)


# -- pad ----------------------------------------------------------------------


def _as_pairs(x, ndim, as_index=False):
    """numpy's per-axis (before, after) pairs from a scalar, a pair or one
    pair per axis."""
    if x is None:
        return ((None, None),) * ndim
    x = _np.array(x)
    if as_index:
        x = _np.round(x).astype(_np.int64)
    if x.ndim < 3:
        if x.size == 1:
            x = x.ravel()
            if as_index and x[0] < 0:
                raise ValueError("index can't contain negative values")
            return ((x[0], x[0]),) * ndim
        if x.size == 2 and x.shape != (2, 1):
            x = x.ravel()
            if as_index and (x[0] < 0 or x[1] < 0):
                raise ValueError("index can't contain negative values")
            return ((x[0], x[1]),) * ndim
    if as_index and x.min() < 0:
        raise ValueError("index can't contain negative values")
    return _np.broadcast_to(x, (ndim, 2)).tolist()


_PAD_KWARGS = {
    "empty": (), "edge": (), "wrap": (), "constant": ("constant_values",),
    "maximum": ("stat_length",), "mean": ("stat_length",),
    "minimum": ("stat_length",), "reflect": ("reflect_type",),
    "symmetric": ("reflect_type",), "linear_ramp": ("end_values",),
    "median": ("stat_length",),
}


def _widen(t, axis, width):
    shape = list(t.shape)
    shape[axis] = width
    return shape


def _reflect_both(t, axis, left, right, symmetric, odd):
    """numpy's _set_reflect_both, as values: pads up to one reflection on
    each side and returns the rest still to pad."""
    n = t.shape[axis]
    old = n if symmetric else n - 1
    e = 0 if symmetric else 1
    pieces = []
    if left > 0:
        c = _builtins.min(old, left)
        chunk = _mt.flip(_along(t, axis, e, e + c), axis)
        if odd:
            # numpy stores 2 * edge - chunk into the padded array.
            chunk = (2 * _along(t, axis, 0, 1) - chunk).astype(t.dtype)
        pieces.append(chunk)
        left -= c
    pieces.append(t)
    if right > 0:
        c = _builtins.min(old, right)
        chunk = _mt.flip(_along(t, axis, n - c - e, n - e), axis)
        if odd:
            chunk = (2 * _along(t, axis, n - 1, n) - chunk).astype(t.dtype)
        pieces.append(chunk)
        right -= c
    return _mt.concatenate(pieces, axis), left, right


def _wrap_both(t, axis, left, right):
    """Periodic padding (numpy >= 1.25: whole periods of the original data,
    however wide the padding)."""
    n = t.shape[axis]
    pieces = []
    if left:
        if left % n:
            pieces.append(_along(t, axis, n - left % n, n))
        if left // n:
            pieces.append(tile(t, [left // n if a == axis else 1
                                   for a in range(t.ndim)]))
    pieces.append(t)
    if right:
        if right // n:
            pieces.append(tile(t, [right // n if a == axis else 1
                                   for a in range(t.ndim)]))
        if right % n:
            pieces.append(_along(t, axis, 0, right % n))
    return _mt.concatenate(pieces, axis)


def _stat_pair(t, axis, left, right, lengths, mode):
    n = t.shape[axis]
    stat = {"maximum": _mt.max, "minimum": _mt.min, "mean": _mt.mean}[mode]
    out = []
    for side, (width, length) in enumerate(zip((left, right), lengths)):
        length = n if length is None else _builtins.min(int(length), n)
        if length == 0 and mode != "mean":
            # (numpy's mean of nothing is NaN.)
            raise ValueError("stat_length of 0 yields no value for padding")
        part = _along(t, axis, 0, length) if side == 0 else \
            _along(t, axis, n - length, n)
        s = stat(part, axis=axis, keepdims=True)
        if mode == "mean" and t.dtype.kind in "iu":
            s = _mt.rint(s)  # numpy rounds integer means, then casts
        s = s.astype(t.dtype)
        out.append(_mt.broadcast_to(s, _widen(t, axis, width)))
    return out


def pad(array, pad_width, mode="constant", **kwargs):
    """numpy.pad with the modes constant, edge, reflect, symmetric
    (reflect_type 'even' or 'odd'), wrap, maximum, minimum, mean
    (stat_length) and empty (zeros); linear_ramp, median and function
    modes are not supported yet."""
    t = _tensor(array)
    if _np.asarray(pad_width).dtype.kind not in "iu":
        raise TypeError("`pad_width` must be of integral type.")
    widths = _as_pairs(pad_width, t.ndim, as_index=True)
    if callable(mode):
        raise NotImplementedError("pad with a function mode is not "
                                  "supported")
    if mode not in _PAD_KWARGS:
        raise ValueError("mode '%s' is not supported" % (mode,))
    bad = set(kwargs) - set(_PAD_KWARGS[mode])
    if bad:
        raise ValueError("unsupported keyword arguments for mode '%s': %s"
                         % (mode, bad))
    if mode in ("linear_ramp", "median"):
        raise NotImplementedError("pad mode '%s' is not supported yet"
                                  % mode)
    if mode in ("constant", "empty"):
        values = _as_pairs(kwargs.get("constant_values", 0), t.ndim)
        for axis, ((lw, rw), (lv, rv)) in enumerate(zip(widths, values)):
            pieces = []
            if lw:
                pieces.append(_mt.full(_widen(t, axis, lw), _np.asarray(
                    lv).astype(t.dtype)[()], dtype=t.dtype))
            pieces.append(t)
            if rw:
                pieces.append(_mt.full(_widen(t, axis, rw), _np.asarray(
                    rv).astype(t.dtype)[()], dtype=t.dtype))
            if len(pieces) > 1:
                t = _mt.concatenate(pieces, axis)
        return t
    for axis, (lw, rw) in enumerate(widths):
        if t.shape[axis] == 0 and (lw or rw):
            raise ValueError("can't extend empty axis %d using modes other "
                             "than 'constant' or 'empty'" % axis)
    if t.size == 0:
        shape = [s + lw + rw for s, (lw, rw) in zip(t.shape, widths)]
        return _mt.zeros(shape, dtype=t.dtype)
    reflect_type = kwargs.get("reflect_type", "even")
    if reflect_type not in ("even", "odd"):
        raise ValueError("reflect_type must be 'even' or 'odd'")
    lengths = _as_pairs(kwargs.get("stat_length"), t.ndim, as_index=True)
    for axis, (lw, rw) in enumerate(widths):
        lw, rw = int(lw), int(rw)
        if not (lw or rw):
            continue
        n = t.shape[axis]
        if mode == "edge" or (mode in ("reflect", "symmetric") and n == 1):
            t = _mt.concatenate(
                [_mt.broadcast_to(_along(t, axis, 0, 1), _widen(t, axis, lw)),
                 t,
                 _mt.broadcast_to(_along(t, axis, n - 1, n),
                                  _widen(t, axis, rw))], axis)
        elif mode in ("reflect", "symmetric"):
            while lw > 0 or rw > 0:
                t, lw, rw = _reflect_both(t, axis, lw, rw,
                                          mode == "symmetric",
                                          reflect_type == "odd")
        elif mode == "wrap":
            t = _wrap_both(t, axis, lw, rw)
        else:
            left, right = _stat_pair(t, axis, lw, rw, lengths[axis], mode)
            t = _mt.concatenate([left, t, right], axis)
    return t


# -- grids, broadcasting, copies, kron ---------------------------------------


def broadcast_shapes(*shapes):
    return _np.broadcast_shapes(*shapes)


def broadcast_arrays(*args, subok=False):
    """numpy.broadcast_arrays: the arguments broadcast to one shape (a
    list, as numpy 1.x returns)."""
    ts = [_tensor(a) for a in args]
    try:
        shape = _np.broadcast_shapes(*[t.shape for t in ts])
    except ValueError:
        raise ValueError("shape mismatch: objects cannot be broadcast to a "
                         "single shape. Mismatch is between %s"
                         % ", ".join("arg %d with shape %s" % (i, t.shape)
                                     for i, t in enumerate(ts))) from None
    return [t if t.shape == shape else _mt.broadcast_to(t, shape)
            for t in ts]


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """numpy.meshgrid: coordinate tensors from coordinate vectors."""
    if indexing not in ("xy", "ij"):
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    ndim = len(xi)
    s0 = (1,) * ndim
    out = [_tensor(x).reshape(s0[:i] + (-1,) + s0[i + 1:])
           for i, x in enumerate(xi)]
    if indexing == "xy" and ndim > 1:
        out[0] = out[0].reshape((1, -1) + s0[2:])
        out[1] = out[1].reshape((-1, 1) + s0[2:])
    if not sparse:
        out = broadcast_arrays(*out)
    return out


def indices(dimensions, dtype=int, sparse=False):
    """numpy.indices: the index grid of a shape."""
    dims = tuple(_operator.index(d) for d in dimensions)
    n = len(dims)
    ones = (1,) * n
    res = [_mt.arange(d, dtype=dtype).reshape(ones[:i] + (d,) + ones[i + 1:])
           for i, d in enumerate(dims)]
    if sparse:
        return tuple(res)
    if not res:
        return _mt.zeros((0,), dtype=dtype)
    return _mt.stack([_mt.broadcast_to(r, dims) for r in res], 0)


def copy(a, order="K", subok=False):
    """numpy.copy: a new tensor of the same value (nothing is copied until
    one of them is assigned into, which rebinds only that one; numpy
    arrays are copied when they become tensors)."""
    t = _tensor(a)
    return _wrap(t._t) if t is a else t


def kron(a, b):
    """numpy.kron: the Kronecker product (blocks a[i] * b)."""
    b = _tensor(b)
    a = _tensor(a)
    if a.ndim < b.ndim:
        a = a.reshape((1,) * (b.ndim - a.ndim) + a.shape)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    nd = _builtins.max(a.ndim, b.ndim)
    as_ = (1,) * (nd - a.ndim) + a.shape
    bs = (1,) * (nd - b.ndim) + b.shape
    ai = [d for s in as_ for d in (s, 1)]
    bi = [d for s in bs for d in (1, s)]
    return (a.reshape(ai) * b.reshape(bi)).reshape(
        [x * y for x, y in zip(as_, bs)])


__all__ = ["roll", "rollaxis", "tile", "repeat", "array_split", "split",
           "hsplit", "vsplit", "dsplit", "atleast_1d", "atleast_2d",
           "atleast_3d", "vstack", "row_stack", "hstack", "dstack",
           "column_stack", "block", "append", "delete", "insert", "pad",
           "broadcast_shapes", "broadcast_arrays", "meshgrid", "indices",
           "copy", "kron"]
