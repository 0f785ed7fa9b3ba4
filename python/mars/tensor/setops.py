"""numpy's set routines (numpy/lib/arraysetops.py), lexsort, choose, the
index arithmetic unravel_index / ravel_multi_index, and the original Mars's
topk / argtopk, as compositions of Mars's ops.

What each function builds on:

* ``unique`` (axis=None): a sort of the flattened tensor (the stable
  argsort and a take when indices are asked for), the "first of its run"
  mask ``aux[1:] != aux[:-1]`` (NaNs collapsed with equal_nan), and the
  positions of its true elements found lazily by ``searchsorted`` in its
  ``cumsum``; the inverse is ``cumsum(mask) - 1`` taken through the inverse
  permutation (the argsort of the sort permutation); counts are differences
  of the positions.
* ``unique`` with ``axis``: the axis is moved first and the slices
  flattened into rows; the rows are ordered by a stable lexicographic sort
  (``lexsort`` of the columns for a few columns; for many, the columns'
  dense ranks combined in pairs, ``rank(a) * n + rank(b)``, and ranked
  again, in log2(columns) batched steps), then the same mask with
  "differs from the previous row" (``any(!=)`` over the row). As numpy
  1.24: -0.0 equals 0.0, rows holding a NaN never equal another row (the
  NaNs sort after the numbers, and equal_nan does not apply), and a
  zero-width row is one unique row.
* ``in1d`` / ``isin``: membership by ``searchsorted`` of the values in the
  sorted second operand and an equality test at the position found (in
  the promoted dtype; NaN is in nothing, -0.0 is in [0.0]); lazy, with no
  execution. As numpy 1.24, a float16 or float32 ar1 next to a wider
  float ar2 shorter than 10 * len(ar1) ** 0.145 is compared with each
  element of ar2 as a scalar cast by value (to ar1's dtype within
  min_scalar_type's bounds: 1 + 2**-24 is in [1.0] for float32, 0.1 in
  [0.1] for float16), and in the promoted dtype with a longer one.
* ``intersect1d``, ``setdiff1d``: the run-start mask of the sorted first
  operand and'ed with membership in the second; ``setxor1d``: that for both
  operands (or numpy's adjacent-duplicate test with assume_unique);
  ``union1d``: ``unique`` of the concatenation. ``return_indices`` takes
  the first occurrences through the stable argsorts.
* ``lexsort``: one stable ``argsort`` per key (first key first, last key
  primary), each of the key permuted by ``take_along_axis``.
* ``choose``: the choices broadcast and stacked on a new first axis, and
  ``take_along_axis`` at the (wrapped or clipped) index; their common dtype
  is numpy 1.24's, where 0-d choices count by value.
* ``unravel_index`` / ``ravel_multi_index``: integer ``//``, ``%``, ``*``
  and ``+`` with the strides of the shape.
* ``topk``: one ``sorted_at`` of the k top (or bottom) ranks along the
  axis, a selection and a partial sort of the k (O(n log k) per lane, no
  full sort); ``argtopk`` (and ``topk(return_index=True)``): the stable
  ``argsort``, reversed for ``largest`` and sliced to k. Results are
  always sorted, which is valid for ``sorted=False`` too.

A result whose shape depends on the values (``unique``, ``intersect1d``,
``union1d``, ``setdiff1d``, ``setxor1d``) executes one int64 scalar when
it is called, the number of elements kept (two, in one run, for
setxor1d; setdiff1d of float16 or float32 by a wider float first counts
the unique values of both, which decide numpy's comparison), on the default session,
as ``nonzero`` does; everything else
stays lazy and is computed again when the result executes. The checks
numpy makes on values at call time are made at call time too: by numpy on
inputs that are not tensors, and by executing one scalar (whether an
entry is bad) for tensor inputs of ``choose`` (mode 'raise'),
``unravel_index``, ``ravel_multi_index`` (mode 'raise') and ``in1d`` with
kind='table' (numpy's range check).

Where Mars differs from numpy:

* Mars's dtypes only (bool, the integers, float16, float32, float64):
  complex, string, object and structured arrays are not supported (a Python set given to ``isin`` is a TypeError, where
  numpy makes an object array of it).
* The representative of equal values -0.0 and 0.0 (which numpy leaves to
  its sort algorithm) is the first in Mars's sort order (-0.0 first) or,
  with return_index, the first occurrence.
* ``return_inverse`` is computed from the stable order, so where numpy's
  unstable sort may order values that compare equal but are distinct
  (NaNs with equal_nan=False, rows holding NaN) differently, the inverse
  may differ; it always reconstructs the input.
* With assume_unique=True and inputs that are not unique, numpy's results
  are unspecified; Mars's are the set results of the inputs as given (the
  membership of ``in1d`` is always exact). ``kind`` is checked as numpy
  checks it, but every kind computes the same membership (no
  MemoryError for a large 'table').
* ``choose``, ``unravel_index`` and ``ravel_multi_index`` return tensors
  (0-d for scalar inputs) where numpy returns numpy scalars; ``out=`` is
  not supported (tensors are immutable).
* ``topk``/``argtopk`` return sorted results for any ``sorted``; among
  ties, ``argtopk`` with largest=True gives the later index first (the
  reversed stable argsort), with largest=False the earlier first. NaNs
  sort last, so they are the largest. k larger than the axis gives the
  whole axis (as the original Mars); a negative k is a ValueError.
"""

import operator as _operator
import warnings as _warnings

import numpy as _np

import mars.tensor as _mt
from ..session import get_default_session as _get_default_session
from .. import _mars
from .core import Tensor, _tensor, _wrap
from .fromnumeric import _check_order
from .quantiles import _sorted_at
from .shape_base import _axis_index

_INT64_MAX = _np.iinfo(_np.int64).max
# unique(axis=...) sorts rows with lexsort up to this many columns, and by
# combined dense ranks beyond.
_LEXSORT_COLUMNS = 4


# -- helpers ------------------------------------------------------------------


def _fetch_ints(*scalars):
    """Executes the 0-d tensors in one run on the default session; their
    values as Python ints."""
    vals = _get_default_session().fetch(*scalars)
    if len(scalars) == 1:
        vals = [vals]
    return [int(_np.asarray(v).reshape(())) for v in vals]


def _positions(mask, k):
    """The positions of the k true elements of the 1-d bool tensor mask,
    as an int64 tensor computed lazily (searchsorted in its cumsum)."""
    if k == 0:
        return _mt.arange(0)
    if k == mask.shape[0]:
        return _mt.arange(k)
    return _mt.searchsorted(_mt.cumsum(mask), _mt.arange(1, k + 1))


def _select(mask, keep=()):
    """(k, positions): the number of true elements of mask (executed) and
    their positions (lazy). The tensors ``keep`` (the sorted data the mask
    was computed from) execute in the same run and keep their values, so
    the rest of the graph reads them instead of sorting again."""
    count = mask.sum()
    _get_default_session().execute(*keep, mask, count)
    k = int(_np.asarray(count._t.value()).reshape(()))
    return k, _positions(mask, k)


def _bool_full(n, value):
    return _mt.full((n,), bool(value), dtype=_np.bool_)


def _nan_pairs(lo, hi):
    """lo and hi both NaN (float tensors)."""
    return _mt.isnan(lo) & _mt.isnan(hi)


def _run_starts(aux, nan_equal):
    """For the sorted 1-d tensor aux: True where an element differs from
    the one before (the first element always). NaNs (sorted last) are one
    run when nan_equal."""
    n = aux.shape[0]
    if n == 0:
        return _bool_full(0, False)
    lo, hi = aux[:n - 1], aux[1:]
    d = hi != lo
    if nan_equal and aux.dtype.kind == "f":
        d = d & ~_nan_pairs(lo, hi)
    return _mt.concatenate([_bool_full(1, True), d])


def _row_starts(aux):
    """For the 2-d aux of sorted rows: True where a row differs from the
    one before (a NaN differs from everything, as numpy 1.24's structured
    comparison says)."""
    n = aux.shape[0]
    if n == 0:
        return _bool_full(0, False)
    d = _mt.any(aux[1:] != aux[:n - 1], axis=1)
    return _mt.concatenate([_bool_full(1, True), d])


def _dense_ranks(x):
    """Per column of the 2-d x, the dense rank of each element (0 for the
    smallest value; equal values, NaNs among them, share a rank)."""
    n, m = x.shape
    perm = _mt.argsort(x, axis=0)
    s = _mt.take_along_axis(x, perm, axis=0)
    lo, hi = s[:n - 1], s[1:]
    d = hi != lo
    if x.dtype.kind == "f":
        d = d & ~_nan_pairs(lo, hi)
    starts = _mt.concatenate([_mt.zeros((1, m), dtype=_np.int64),
                              d.astype(_np.int64)], axis=0)
    ranks = _mt.cumsum(starts, axis=0)
    return _mt.take_along_axis(ranks, _mt.argsort(perm, axis=0), axis=0)


def _row_order(a2):
    """A stable permutation sorting the rows of the 2-d a2 in lexicographic
    order (numpy's order of structured elements: -0.0 equals 0.0, NaN after
    the numbers, all NaNs equal)."""
    n, m = a2.shape
    if m == 0 or n <= 1:
        return _mt.arange(n)
    if m <= _LEXSORT_COLUMNS:
        return lexsort([a2[:, j] for j in range(m - 1, -1, -1)], axis=0)
    # Dense ranks (< n) of the columns, combined in pairs into keys
    # rank_a * n + rank_b (< n**2) in the same order as the pair, ranked
    # again, until one key is left.
    ranks = _dense_ranks(a2)
    while True:
        cols = ranks.shape[1]
        if cols % 2:
            ranks = _mt.concatenate(
                [ranks, _mt.zeros((n, 1), dtype=_np.int64)], axis=1)
            cols += 1
        keys = ranks[:, 0:cols:2] * n + ranks[:, 1:cols:2]
        if keys.shape[1] == 1:
            return _mt.argsort(keys[:, 0])
        ranks = _dense_ranks(keys)


def _flat(x):
    return _tensor(x).ravel()


def _promoted(t1, t2):
    return _np.promote_types(t1.dtype, t2.dtype)


def _as(t, dtype):
    return t if t.dtype == dtype else t.astype(dtype)


def _member(t1, t2, invert, by_value=False):
    """For each element of the 1-d t1: whether it equals an element of the
    1-d t2, compared in their promoted dtype (with by_value: each element
    of t2 cast by value next to t1, see _by_value_loop); the negation with
    invert."""
    n1, n2 = t1.shape[0], t2.shape[0]
    if n1 == 0 or n2 == 0:
        return _bool_full(n1, invert)
    if by_value:
        # numpy casts each float of t2 to the dtype min_scalar_type gives
        # it next to t1: t1's float16 below 65000 in magnitude (and for
        # non-finite values), float32 below 3.4e38, else its own. The
        # rounded values compare in float64, which holds them all exactly.
        dt = _np.dtype(_np.float64)
        mag = _mt.absolute(t2)
        special = ~_mt.isfinite(t2)
        r = t2.astype(dt)
        if t2.dtype.itemsize > 4:
            r = _mt.where((mag < 3.4e38) | special,
                          t2.astype(_np.float32).astype(dt), r)
        if t1.dtype == _np.float16:
            r = _mt.where((mag < 65000) | special,
                          t2.astype(_np.float16).astype(dt), r)
        t2 = r
    else:
        dt = _promoted(t1, t2)
    a = _as(t1, dt)
    b = _mt.sort(_as(t2, dt))
    idx = _mt.minimum(_mt.searchsorted(b, a), n2 - 1)
    found = _mt.take(b, idx) == a
    return ~found if invert else found


def _by_value_loop(t1, t2, n1, n2):
    """Whether numpy 1.24's in1d compares a float ar1 with each element of
    a wider float ar2 in turn (a numpy scalar, cast by value: a float64
    within float32's range rounds to float32, one within float16's to
    float16 next to float16) when len(ar2) < 10 * len(ar1) ** 0.145 (n1,
    n2: the lengths numpy's in1d sees). (Integers cast by value compare
    exactly.)"""
    return (t1.dtype.kind == "f" and t2.dtype.kind == "f"
            and t2.dtype.itemsize > t1.dtype.itemsize
            and n2 < 10 * n1 ** 0.145)


# -- unique -------------------------------------------------------------------


def unique(ar, return_index=False, return_inverse=False,
           return_counts=False, axis=None, *, equal_nan=True):
    """numpy.unique: the sorted unique elements of ``ar`` (flattened, or
    the unique slices along ``axis``), with the indices of their first
    occurrences, the inverse that rebuilds ``ar`` and the counts, as asked.
    The number of unique elements is executed when called."""
    t = _tensor(ar)
    if axis is None:
        flat = t.ravel()
        n = flat.shape[0]
        perm = None
        if return_index or return_inverse:
            perm = _mt.argsort(flat)
            aux = _mt.take(flat, perm)
        else:
            aux = _mt.sort(flat)
        mask = _run_starts(aux, bool(equal_nan))
        k, pos = _select(mask, [aux] + ([perm] if perm is not None else []))
        ret = [_mt.take(aux, pos)]
    else:
        ax = _axis_index(axis, t.ndim)
        moved = _mt.moveaxis(t, ax, 0)
        rest = tuple(moved.shape[1:])
        n = moved.shape[0]
        m = 1
        for d in rest:
            m *= d
        a2 = moved.reshape(n, m)
        perm = _row_order(a2)
        aux = _mt.take(a2, perm, axis=0)
        mask = _row_starts(aux)
        k, pos = _select(mask, [aux, perm])
        u = _mt.take(aux, pos, axis=0).reshape((k,) + rest)
        ret = [_mt.moveaxis(u, 0, ax)]
    if return_index:
        ret.append(_mt.take(perm, pos))
    if return_inverse:
        if n == 0:
            ret.append(_mt.arange(0))
        else:
            rank = _mt.cumsum(mask) - 1
            ret.append(_mt.take(rank, _mt.argsort(perm)))
    if return_counts:
        if k == 0:
            ret.append(_mt.arange(0))
        else:
            ends = _mt.concatenate([pos[1:], _mt.full((1,), n,
                                                      dtype=_np.int64)])
            ret.append(ends - pos)
    return ret[0] if len(ret) == 1 else tuple(ret)


# -- membership and set operations --------------------------------------------


_TABLE_RANGE_ERROR = (
    "You have specified kind='table', but the range of values in `ar2` or "
    "`ar1` exceed the maximum integer of the datatype. Please set `kind` to "
    "None or 'sort'.")


def _check_table_range(t1, t2):
    """numpy's check that kind='table' can index its table (the extremes of
    both operands are executed)."""
    scalars = [_mt.min(t2), _mt.max(t2)]
    if t1.size:
        scalars += [_mt.min(t1), _mt.max(t1)]
    vals = _fetch_ints(*scalars)

    def info(t):
        return _np.iinfo(_np.uint8 if t.dtype == _np.bool_ else t.dtype)

    lo2, hi2 = vals[0], vals[1]
    safe = hi2 - lo2 <= info(t2).max
    if t1.size:
        upper = min(vals[3], hi2)
        lower = max(vals[2], lo2)
        safe = safe and upper - lo2 <= info(t1).max and \
            lower - lo2 >= info(t1).min
    if not safe:
        raise RuntimeError(_TABLE_RANGE_ERROR)


def in1d(ar1, ar2, assume_unique=False, invert=False, *, kind=None):
    """numpy.in1d: for each element of ravel(ar1), whether it is in ar2
    (by equality: NaN is in nothing). Lazy: ``searchsorted`` in the sorted
    ar2. ``assume_unique`` and ``kind`` do not change the result."""
    t1, t2 = _flat(ar1), _flat(ar2)
    if kind not in {None, "sort", "table"}:
        raise ValueError("Invalid kind: '%s'. Please use None, 'sort' or "
                         "'table'." % (kind,))
    if kind == "table":
        if not all(t.dtype.kind in "iub" for t in (t1, t2)):
            raise ValueError(
                "The 'table' method is only supported for boolean or "
                "integer arrays. Please select 'sort' or None for kind.")
        if t2.size:
            _check_table_range(t1, t2)
    return _member(t1, t2, bool(invert),
                   _by_value_loop(t1, t2, t1.size, t2.size))


def isin(element, test_elements, assume_unique=False, invert=False, *,
         kind=None):
    """numpy.isin: in1d shaped as ``element``."""
    t = _tensor(element)
    return in1d(t, test_elements, assume_unique=assume_unique,
                invert=invert, kind=kind).reshape(t.shape)


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    """numpy.intersect1d: the sorted unique values in both, and with
    return_indices the indices of their first occurrences in each."""
    t1, t2 = _flat(ar1), _flat(ar2)
    dt = _promoted(t1, t2)
    if return_indices:
        perm1 = _mt.argsort(t1)
        aux1 = _mt.take(t1, perm1)
    else:
        aux1 = _mt.sort(t1)
    mask = _member(aux1, t2, False)
    if not assume_unique:
        mask = mask & _run_starts(aux1, True)
    k, pos = _select(mask)
    both = _as(_mt.take(aux1, pos), dt)
    if not return_indices:
        return both
    ind1 = _mt.take(perm1, pos)
    perm2 = _mt.argsort(t2)
    sorted2 = _as(_mt.take(t2, perm2), dt)
    ind2 = _mt.take(perm2, _mt.searchsorted(sorted2, both))
    return both, ind1, ind2


def union1d(ar1, ar2):
    """numpy.union1d: the sorted unique values in either (in numpy's
    concatenate dtype, where a 0-d input counts by its value)."""
    a1, a2 = _tensor(ar1), _tensor(ar2)
    dt = _mt.result_type(a1, a2)
    t1, t2 = a1.ravel(), a2.ravel()
    return unique(_mt.concatenate([_as(t1, dt), _as(t2, dt)]))


def setdiff1d(ar1, ar2, assume_unique=False):
    """numpy.setdiff1d: the unique values of ar1 not in ar2 (sorted; with
    assume_unique, in ar1's order)."""
    t1, t2 = _flat(ar1), _flat(ar2)
    if assume_unique:
        base = t1
        mask = _member(t1, t2, True, _by_value_loop(t1, t2, t1.size, t2.size))
    else:
        base = _mt.sort(t1)
        starts = _run_starts(base, True)
        by_value = False
        if _by_value_loop(t1, t2, 1, 0):
            # numpy's in1d sees the unique values: count them (one run).
            k1, k2 = _fetch_ints(starts.sum(),
                                 _run_starts(_mt.sort(t2), True).sum())
            by_value = _by_value_loop(t1, t2, k1, k2)
        mask = starts & _member(base, t2, True, by_value)
    k, pos = _select(mask)
    return _mt.take(base, pos)


def setxor1d(ar1, ar2, assume_unique=False):
    """numpy.setxor1d: the sorted unique values in exactly one of the
    inputs (a NaN of each input is kept: NaN equals nothing)."""
    t1, t2 = _flat(ar1), _flat(ar2)
    dt = _promoted(t1, t2)
    t1, t2 = _as(t1, dt), _as(t2, dt)
    if assume_unique:
        aux = _mt.sort(_mt.concatenate([t1, t2]))
        n = aux.shape[0]
        if n == 0:
            return aux
        flag = _mt.concatenate([_bool_full(1, True), aux[1:] != aux[:n - 1],
                                _bool_full(1, True)])
        mask = flag[1:] & flag[:n]
        k, pos = _select(mask)
        return _mt.take(aux, pos)
    a1, a2 = _mt.sort(t1), _mt.sort(t2)
    m1 = _run_starts(a1, True) & _member(a1, t2, True)
    m2 = _run_starts(a2, True) & _member(a2, t1, True)
    k1, k2 = _fetch_ints(m1.sum(), m2.sum())
    parts = _mt.concatenate([_mt.take(a1, _positions(m1, k1)),
                             _mt.take(a2, _positions(m2, k2))])
    return _mt.sort(parts)


# -- lexsort ------------------------------------------------------------------


def _sequence_items(x):
    """The items of a sequence argument (the rows of an array or tensor)."""
    if isinstance(x, (Tensor, _np.ndarray)):
        if x.ndim == 0:
            return None
        return [x[i] for i in range(x.shape[0])]
    if isinstance(x, (list, tuple)):
        return list(x)
    return None


def lexsort(keys, axis=-1):
    """numpy.lexsort: the stable permutation that sorts by the last key,
    then the one before, ... (the first key decides last ties). ``keys``:
    a sequence of tensors of one shape, or the rows of a 2-d tensor."""
    items = _sequence_items(keys)
    if not items:
        raise TypeError("need sequence of keys with len > 0 in lexsort")
    ks = [_tensor(k) for k in items]
    shape = ks[0].shape
    if any(k.shape != shape for k in ks[1:]):
        raise ValueError("all keys need to be the same shape")
    axis = _operator.index(axis)
    if len(shape) == 0:
        return _mt.zeros((), dtype=_np.int64)
    axis = _axis_index(axis, len(shape))
    perm = _mt.argsort(ks[0], axis=axis)
    for k in ks[1:]:
        kp = _mt.take_along_axis(k, perm, axis)
        perm = _mt.take_along_axis(perm, _mt.argsort(kp, axis=axis), axis)
    return perm


# -- choose -------------------------------------------------------------------


_CLIPMODES = {0: "clip", 1: "wrap", 2: "raise"}


def _clipmode(mode):
    """numpy's clip-mode converter: 'clip', 'wrap', 'raise' (None: raise;
    inexact or case-insensitive names are deprecated; np.CLIP, np.WRAP,
    np.RAISE)."""
    if mode is None:
        return "raise"
    if isinstance(mode, bytes):
        mode = mode.decode("latin-1")
    if isinstance(mode, str):
        if mode in ("clip", "wrap", "raise"):
            return mode
        first = mode[:1].lower()
        for name in ("clip", "wrap", "raise"):
            if first == name[0]:
                _warnings.warn(
                    "inexact matches and case insensitive matches for clip "
                    "mode are deprecated, please use one of 'clip', "
                    "'raise', or 'wrap' instead.", DeprecationWarning,
                    stacklevel=3)
                return name
        raise ValueError("clipmode must be one of 'clip', 'raise', or "
                         "'wrap' (got %r)" % (mode,))
    if isinstance(mode, (int, _np.integer)) and \
            not isinstance(mode, (bool, _np.bool_)):
        m = int(mode)
        if m not in _CLIPMODES:
            raise ValueError("integer clipmode must be np.RAISE, np.WRAP, "
                             "or np.CLIP")
        return _CLIPMODES[m]
    raise TypeError("clipmode not understood")


_EMPTY_INDICES = ("indices must be integral: the provided empty sequence "
                  "was inferred as float. Wrap it with "
                  "'np.array(indices, dtype=np.intp)'")


def _int_index(x, message):
    """An index argument as (tensor, numpy value or None): integers or
    bools, else TypeError(message). A numpy value is returned for inputs
    that are not tensors (their checks need no execution)."""
    if isinstance(x, Tensor):
        if x.dtype.kind not in "iub":
            raise TypeError(message)
        return x, None
    a = _np.asarray(x)
    if a.dtype.kind not in "iub":
        if a.size == 0 and a.dtype.kind == "f" and \
                isinstance(x, (list, tuple)):
            raise TypeError(_EMPTY_INDICES)
        raise TypeError(message)
    return _tensor(a), a


def _any_true(bad_tensor, bad_host):
    """Whether any element is bad: on the host value, else executed."""
    if bad_host is not None:
        return bool(_np.any(bad_host))
    if bad_tensor.size == 0:
        return False
    return bool(_fetch_ints(_mt.any(bad_tensor))[0])


def _kind_rank(dtype):
    return {"b": 0, "f": 2}.get(dtype.kind, 1)


def _choices_dtype(items):
    """numpy 1.24's common dtype of the choices: 0-d choices count by value
    (as numpy's value-based casting) unless their kind (bool < integer <
    float) is above every array's, when all dtypes promote."""
    arrays, scalars = [], []
    for c in items:
        if isinstance(c, (bool, int, float)) and \
                not isinstance(c, _np.generic):
            dt, nd = _np.asarray(c).dtype, 0
        else:
            t = _tensor(c)
            dt, nd = t.dtype, t.ndim
        (arrays if nd else scalars).append((c, dt))
    every = [dt for _, dt in arrays + scalars]
    if not arrays or not scalars or \
            max(_kind_rank(dt) for _, dt in scalars) > \
            max(_kind_rank(dt) for _, dt in arrays):
        res = every[0]
        for dt in every[1:]:
            res = _np.promote_types(res, dt)
        return res
    res = arrays[0][1]
    for _, dt in arrays[1:]:
        res = _np.promote_types(res, dt)
    base = res
    for c, _ in scalars:
        if isinstance(c, _np.generic):
            c = _np.asarray(c)  # (mt.result_type reads it as a dtype)
        res = _np.promote_types(res, _mt.result_type(base, c))
    return res


def choose(a, choices, out=None, mode="raise"):
    """numpy.choose: ``choices[a[i]][i]`` with ``a`` and the choices
    broadcast together; mode 'raise' (an index outside [0, n) is a
    ValueError, checked when called), 'wrap' (modulo n) or 'clip'."""
    mode = _clipmode(mode)
    if out is not None:
        raise NotImplementedError("out= is not supported (tensors are "
                                  "immutable)")
    items = _sequence_items(choices)
    if items is None:
        if isinstance(choices, (Tensor, _np.ndarray)):
            raise TypeError("iteration over a 0-d array")
        raise TypeError("'%s' object is not iterable"
                        % type(choices).__name__)
    n = len(items)
    if n == 0:
        raise ValueError("0-length sequence.")
    if n > 32:
        raise ValueError("Need at least 0 and at most 32 array objects.")
    idx_t, idx_h = None, None
    if isinstance(a, Tensor):
        idx_t = a
    else:
        idx_h = _np.asarray(a)
    dtype = idx_t.dtype if idx_t is not None else idx_h.dtype
    if dtype.kind not in "iub" or dtype == _np.uint64:
        raise TypeError("Cannot cast array data from dtype('%s') to "
                        "dtype('int64') according to the rule 'safe'"
                        % dtype)
    if idx_t is None:
        idx_t = _tensor(idx_h)
    dt = _choices_dtype(items)
    cs = [_tensor(c) for c in items]
    shape = tuple(_np.broadcast_shapes(*[c.shape for c in cs],
                                       idx_t.shape))
    idx = _as(idx_t, _np.int64)
    size = 1
    for d in shape:
        size *= d
    if mode == "raise":
        if size:
            bad_h = None if idx_h is None else \
                (idx_h.astype(_np.int64) < 0) | (idx_h.astype(_np.int64) >= n)
            if _any_true((idx < 0) | (idx >= n), bad_h):
                raise ValueError("invalid entry in choice array")
    elif mode == "wrap":
        idx = idx % n
    else:
        idx = _mt.minimum(_mt.maximum(idx, 0), n - 1)
    stacked = _mt.stack([_mt.broadcast_to(_as(c, dt), shape) for c in cs],
                        axis=0)
    sel = _mt.broadcast_to(idx, shape).reshape((1,) + shape)
    return _mt.take_along_axis(stacked, sel, 0).reshape(shape)


# -- unravel_index and ravel_multi_index --------------------------------------


def _index_order(order):
    """numpy's order argument of the index functions: 'C' or 'F'."""
    if order is None:
        return "C"
    if not isinstance(order, str):
        raise TypeError("order must be str, not %s" % type(order).__name__)
    if len(order) == 1 and order.upper() in ("C", "F", "A", "K"):
        o = order.upper()
        if o in ("A", "K"):
            raise ValueError("only 'C' or 'F' order is permitted")
        return o
    raise ValueError("order must be one of 'C', 'F', 'A', or 'K' (got %r)"
                     % (order,))


def _dims(shape):
    if isinstance(shape, (tuple, list)):
        return [_operator.index(d) for d in shape]
    if isinstance(shape, (Tensor, _np.ndarray)) and shape.ndim:
        return [_operator.index(d) for d in _np.asarray(shape).tolist()]
    return [_operator.index(shape)]


def _strides(dims, order):
    """The element strides of a C or F ordered array of the dims (and
    their product); None when the product overflows int64."""
    strides = [0] * len(dims)
    s = 1
    seq = range(len(dims) - 1, -1, -1) if order == "C" else range(len(dims))
    for i in seq:
        strides[i] = s
        s *= dims[i]
        if abs(s) > _INT64_MAX:
            return None, None
    return strides, s


def unravel_index(indices, shape, order="C"):
    """numpy.unravel_index: the tuple of coordinate tensors of flat
    ``indices`` into an array of ``shape`` (an index outside [0, size) is
    a ValueError, checked when called)."""
    dims = _dims(shape)
    order = _index_order(order)
    strides, size = _strides(dims, order)
    if strides is None:
        raise ValueError("dimensions are too large; arrays and shapes with "
                         "a total size greater than 'intp' are not "
                         "supported.")
    idx, host = _int_index(indices, "only int indices permitted")
    idx = _as(idx, _np.int64)
    if host is not None:
        h = host.astype(_np.int64).ravel()
        bad = h[(h < 0) | (h >= size)]
        if bad.size:
            raise ValueError("index %d is out of bounds for array with size "
                             "%d" % (bad[0], size))
    elif idx.size:
        flat = idx.ravel()
        badmask = (flat < 0) | (flat >= size)
        any_bad, first = _fetch_ints(_mt.any(badmask),
                                     _mt.take(flat, _mt.argmax(badmask)))
        if any_bad:
            raise ValueError("index %d is out of bounds for array with size "
                             "%d" % (first, size))
    if size <= 0:
        # No index is valid: the indices are empty.
        return tuple(_mt.zeros(idx.shape, dtype=_np.int64) for _ in dims)
    out = []
    for d, s in zip(dims, strides):
        c = idx // s if s != 1 else idx
        out.append(c % d if s * d != size else c)
    return tuple(out)


def _clipmodes(mode, n):
    if isinstance(mode, (tuple, list)):
        if len(mode) != n:
            raise ValueError("list of clipmodes has wrong length (%d "
                             "instead of %d)" % (len(mode), n))
        return [_clipmode(m) for m in mode]
    return [_clipmode(mode)] * n


def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    """numpy.ravel_multi_index: the flat indices of the coordinate arrays
    (broadcast together) into an array of shape ``dims``; per dimension,
    mode 'raise' (a coordinate outside [0, dim) is a ValueError, checked
    when called), 'wrap' or 'clip'."""
    items = _sequence_items(multi_index)
    if items is None:
        raise TypeError("dispatcher for __array_function__ did not return "
                        "an iterable")
    dims = _dims(dims)
    if len(items) != len(dims):
        raise ValueError("parameter multi_index must be a sequence of "
                         "length %d" % len(dims))
    modes = _clipmodes(mode, len(dims))
    order = _index_order(order)
    strides, _ = _strides(dims, order)
    if strides is None:
        raise ValueError("invalid dims: array size defined by dims is larger "
                         "than the maximum possible size.")
    coords = [_int_index(c, "only int indices permitted") for c in items]
    try:
        shape = tuple(_np.broadcast_shapes(*[c.shape for c, _ in coords]))
    except ValueError:
        raise ValueError("operands could not be broadcast together with "
                         "shapes " + "".join("%s " % (c.shape,)
                                             for c, _ in coords)) from None
    count = 1
    for d in shape:
        count *= d
    if count and any(d == 0 for d in dims):
        raise ValueError("cannot unravel if shape has zero entries (is "
                         "empty).")
    flat = None
    for (c, host), d, s, m in zip(coords, dims, strides, modes):
        c = _as(c, _np.int64)
        if m == "raise":
            if count:
                bad_h = None if host is None else \
                    (host.astype(_np.int64) < 0) | \
                    (host.astype(_np.int64) >= d)
                if _any_true((c < 0) | (c >= d), bad_h):
                    raise ValueError("invalid entry in coordinates array")
        elif m == "wrap":
            c = c % d if d else c
        else:
            c = _mt.minimum(_mt.maximum(c, 0), d - 1)
        term = c * s if s != 1 else c
        flat = term if flat is None else flat + term
    if flat is None:
        return _mt.zeros(shape, dtype=_np.int64)
    return _mt.broadcast_to(flat, shape) if flat.shape != shape else flat


# -- topk ---------------------------------------------------------------------


def _topk_args(a, k, axis, order):
    t = _tensor(a)
    _check_order(order)
    if axis is None:
        t = t.ravel()
        axis = 0
    else:
        axis = _axis_index(axis, t.ndim)
    k = _operator.index(k)
    if k < 0:
        raise ValueError("k should be a non-negative integer, got %d" % k)
    return t, min(k, t.shape[axis]), axis


def _first(t, axis, k, largest):
    """The first k along axis of t, or of t reversed along it."""
    lead = (slice(None),) * axis
    if largest:
        t = t[lead + (slice(None, None, -1),)]
    return t[lead + (slice(0, k),)]


def topk(a, k, axis=-1, largest=True, sorted=True, order=None,
         return_index=False):
    """The original Mars's topk: the k largest (largest=False: smallest)
    elements along axis (None: of the flattened tensor), largest first
    (smallest first), in mars.sort's order (NaN above every number); with
    return_index also their indices (argtopk). The values are one
    ``mars.sorted_at`` of the k ranks: a selection and a partial sort of
    the k, O(n + n log k) per lane instead of a full sort; always sorted,
    whatever ``sorted`` says."""
    t, k, axis = _topk_args(a, k, axis, order)
    if return_index:
        idx = argtopk(t, k, axis=axis, largest=largest, sorted=sorted)
        return _mt.take_along_axis(t, idx, axis), idx
    n = t.shape[axis]
    if k == 0:
        return _first(t, axis, 0, False)
    ranks = range(n - 1, n - k - 1, -1) if largest else range(k)
    return _sorted_at(t, ranks, axis)


def argtopk(a, k, axis=-1, largest=True, sorted=True, order=None):
    """The original Mars's argtopk: the indices along axis of topk's
    elements (the stable argsort, reversed for largest, cut to k): one
    ``mars.sorted_at ... indices`` of the k ranks, a selection and a sort of
    the k, O(n + k log k) per lane instead of a full argsort."""
    t, k, axis = _topk_args(a, k, axis, order)
    if k == 0:
        return _first(_mt.argsort(t, axis=axis), axis, 0, False)
    n = t.shape[axis]
    ranks = range(n - 1, n - k - 1, -1) if largest else range(k)
    return _wrap(_mars.sorted_at(t._t, list(ranks), axis, indices=True))


__all__ = ["unique", "in1d", "isin", "intersect1d", "union1d", "setdiff1d",
           "setxor1d", "lexsort", "choose", "unravel_index",
           "ravel_multi_index", "topk", "argtopk"]
