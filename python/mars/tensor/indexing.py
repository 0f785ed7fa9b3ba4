"""numpy's advanced indexing over Mars's take: ``t[idx]`` with integer
arrays, boolean masks (and 0-d booleans: a new axis of length 1 or 0) and
their mixes with integers, slices, None and Ellipsis, by numpy's rules (index arrays broadcast together; their
dimensions replace the indexed ones in place when the indexed axes are
adjacent, and go first otherwise).

The basic items are applied first (mars's slicing), then the advanced
ones: one index array is a take along its axis; several are combined into
one flat position over their axes, which are moved to the front and
merged, and taken there. Index arrays known when the graph is built (lists
and numpy arrays) are checked at once with numpy's IndexError; a tensor of
indices is checked when it runs. A boolean mask selects its nonzero
positions, so a tensor mask is executed here (the result's shape depends
on its values)."""

import operator as _operator

import numpy as _np

import mars.tensor as _mt

from .. import _mars
from .core import Tensor, _wrap, _tensor


_VALID = ("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis "
          "(`None`) and integer or boolean arrays are valid indices")


def _is_advanced(it):
    return isinstance(it, (Tensor, _np.ndarray, list, tuple)) or \
        isinstance(it, (bool, _np.bool_))


def _index_array(it):
    """An advanced index item as a list of per-dimension index arrays
    (numpy int64 arrays or integer tensors): a mask gives one per
    dimension it covers."""
    if isinstance(it, Tensor):
        if it.dtype.kind == "b":
            it = it.fetch()
        elif it.dtype == _np.uint64:
            # numpy takes uint64 positions; past int64 they are out of
            # bounds (clamped there, never wrapped to negative ones).
            return [_mt.minimum(it, _np.iinfo(_np.int64).max).astype(
                _np.int64)]
        elif it.dtype.kind in "iu":
            return [it]
        else:
            raise IndexError(_VALID)
    a = _np.asarray(it)
    if a.dtype.kind == "b":
        return [_np.ascontiguousarray(i, "int64") for i in _np.nonzero(a)] \
            + [("mask", a.shape)]
    if a.size == 0 and a.dtype.kind == "f":
        a = a.astype(_np.int64)
    if a.dtype.kind not in "iu":
        raise IndexError(_VALID)
    if a.dtype == _np.uint64:
        a = _np.minimum(a, _np.iinfo(_np.int64).max)
    return [a.astype(_np.int64)]


def _is_bool_scalar(it):
    if isinstance(it, (bool, _np.bool_)):
        return True
    return isinstance(it, (_np.ndarray, Tensor)) and it.ndim == 0 and \
        it.dtype.kind == "b"


def bool_scalars(shape, item):
    """numpy's 0-d boolean index items, rewritten: each is a new axis of
    length 1 indexed by [0] (True) or [] (False) in the same advanced
    group. Returns (the key that inserts those axes into a tensor of
    ``shape``, the key for the result), or None when there are none."""
    if not any(_is_bool_scalar(it) for it in item):
        return None
    insert, key = [], []
    for it in item:
        if _is_bool_scalar(it):
            value = bool(it.fetch()) if isinstance(it, Tensor) else bool(it)
            insert.append(None)
            key.append(_np.zeros(1 if value else 0, _np.int64))
            continue
        key.append(it)
        if it is None:
            continue
        if it is Ellipsis:
            insert.append(Ellipsis)
            continue
        dims = 1
        if isinstance(it, (_np.ndarray, Tensor)) and it.dtype.kind == "b":
            dims = it.ndim
        insert.extend([slice(None)] * dims)
    return tuple(insert), tuple(key)


def getitem(t, item):
    if not isinstance(item, tuple):
        item = (item,)
    rewritten = bool_scalars(t.shape, item)
    if rewritten is not None:
        return getitem(getitem(t, rewritten[0]), rewritten[1])
    if not any(_is_advanced(it) for it in item):
        return _wrap(_mars.index(t._t, item))
    basic, positions, axes, arrays, adjacent = _parse(t, item)
    y = _wrap(_mars.index(t._t, tuple(basic)))
    # The sliced axes keep their length unless sliced; read it from y.
    sizes = [y.shape[p] for p in positions]
    if any(isinstance(a, Tensor) for a in arrays):
        return _take_tensors(y, arrays, positions, sizes, adjacent)
    normalized = _checked(arrays, sizes, axes)
    if len(normalized) == 1 and adjacent:
        # (np.array, not ascontiguousarray, which makes 0-d arrays 1-d.)
        return _take(y, _wrap(_mars.from_numpy(
            _np.array(normalized[0], _np.int64, order="C"), None)),
            positions[0])
    flat = _np.zeros(normalized[0].shape, _np.int64)
    for a, n in zip(normalized, sizes):
        flat = flat * n + a
    # (0-d arithmetic gives a numpy scalar: back to a C-ordered array.)
    flat = _np.array(flat, _np.int64, order="C")
    return _take_flat(y, _wrap(_mars.from_numpy(flat, None)), positions,
                      sizes, adjacent)


def _parse(t, item):
    """An index with advanced items, split by numpy's rules: the basic
    items (with a full slice for each advanced one), the positions of the
    advanced axes in the basic result and in t, the index arrays, and
    whether the advanced items are adjacent."""
    # Expand every item into (kind, value): "basic" items and "adv" arrays.
    items = []
    for it in item:
        if it is None or it is Ellipsis or isinstance(it, slice):
            items.append(("basic", it))
        elif _is_advanced(it):
            arrays = _index_array(it)
            mask = None
            if arrays and isinstance(arrays[-1], tuple):
                mask = arrays.pop()[1]
            for k, a in enumerate(arrays):
                items.append(("adv", a, mask, k))
        else:
            items.append(("adv", _np.asarray(_operator.index(it), "int64"),
                          None, 0))
    consumed = sum(1 for i in items if i[0] == "adv" or
                   (i[1] is not None and i[1] is not Ellipsis))
    if consumed > t.ndim:
        raise IndexError("too many indices for array: array is %d-"
                         "dimensional, but %d were indexed"
                         % (t.ndim, consumed))
    if sum(1 for i in items if i[0] == "basic" and i[1] is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    # Apply the basic items with a full slice for each advanced one, and
    # note where the advanced axes are in the result and in t.
    basic, positions, axes, arrays = [], [], [], []
    pos, axis = 0, 0
    for i in items:
        if i[0] == "adv":
            _, a, mask, k = i
            if mask is not None and k == 0:
                for d, size in enumerate(mask):
                    if axis + d >= t.ndim or t.shape[axis + d] != size:
                        raise IndexError(
                            "boolean index did not match indexed array along "
                            "dimension %d; dimension is %d but corresponding "
                            "boolean dimension is %d"
                            % (axis + d, t.shape[axis + d]
                               if axis + d < t.ndim else 0, size))
            basic.append(slice(None))
            positions.append(pos)
            axes.append(axis)
            arrays.append(a)
            pos += 1
            axis += 1
        elif i[1] is None:
            basic.append(None)
            pos += 1
        elif i[1] is Ellipsis:
            span = t.ndim - consumed
            basic.append(Ellipsis)
            pos += span
            axis += span
        else:
            basic.append(i[1])
            pos += 1
            axis += 1
    # numpy's rule: the advanced indices are adjacent when no other item
    # (a slice, None, or an Ellipsis even of no axes) stands between them.
    adv_items = [k for k, i in enumerate(items) if i[0] == "adv"]
    adjacent = adv_items == list(range(adv_items[0], adv_items[-1] + 1))
    return basic, positions, axes, arrays, adjacent


def _checked(arrays, sizes, axes):
    """Host index arrays broadcast together, bounds-checked (numpy's
    IndexError) and with negative indices wrapped."""
    try:
        arrays = _np.broadcast_arrays(*arrays)
    except ValueError:
        raise IndexError("shape mismatch: indexing arrays could not be "
                         "broadcast together with shapes "
                         + "".join(str(a.shape) + " " for a in arrays)) \
            from None
    normalized = []
    for a, n, ax in zip(arrays, sizes, axes):
        # Two scans, no temporaries, for the usual in-bounds non-negative
        # indices (a mask's positions); the rest only when needed.
        lo, hi = (int(a.min()), int(a.max())) if a.size else (0, -1)
        if lo < -n or hi >= n:
            bad = (a < -n) | (a >= n)
            raise IndexError("index %d is out of bounds for axis %d with "
                             "size %d" % (a[bad].flat[0], ax, n))
        normalized.append(_np.where(a < 0, a + n, a) if lo < 0 else a)
    return normalized


def _take(y, idx, axis):
    return _wrap(_mars.take(y._t, idx._t, axis, "raise"))


def _take_flat(y, flat, positions, sizes, adjacent):
    """y at the flat positions over its axes `positions` (each index a
    flat position in their C order), placed by numpy's rule: where the
    indexed axes were when they are `adjacent`, first otherwise."""
    import mars.tensor as mt
    rest = [d for d in range(y.ndim) if d not in positions]
    moved = mt.transpose(y, positions + rest)
    n = 1
    for s in sizes:
        n *= s
    merged = moved.reshape((n,) + tuple(y.shape[d] for d in rest))
    out = _take(merged, flat, 0)
    if not adjacent or positions[0] == 0:
        return out
    # Adjacent advanced axes: their result axes go where they were.
    b = flat.ndim
    order = list(range(b, b + positions[0])) + list(range(b)) + \
        list(range(b + positions[0], out.ndim))
    return mt.transpose(out, order)


def _take_tensors(y, arrays, positions, sizes, adjacent):
    """Index arrays of which some are tensors: broadcast and combined as
    tensors (bounds are checked when they run)."""
    ts = _broadcast_tensors(arrays)
    if len(ts) == 1 and adjacent:
        return _take(y, ts[0], positions[0])
    flat = None
    for a, n in zip(ts, sizes):
        a = _normalized(a, n)
        flat = a if flat is None else flat * n + a
    return _take_flat(y, flat, positions, sizes, adjacent)


def _broadcast_tensors(arrays):
    """Index arrays (some tensors) as tensors broadcast together."""
    import mars.tensor as mt
    ts = [a if isinstance(a, Tensor) else _tensor(a) for a in arrays]
    try:
        return mt.broadcast_arrays(*ts)
    except ValueError:
        raise IndexError("shape mismatch: indexing arrays could not be "
                         "broadcast together with shapes "
                         + "".join(str(a.shape) + " " for a in ts)) from None


def _normalized(a, n):
    """Tensor of indices into an axis of n: bounds checked when it runs
    (take over arange(n)), negative ones wrapped."""
    import mars.tensor as mt
    return mt.take(mt.arange(n, dtype=_np.int64), a.astype(_np.int64))
