"""numpy's sorting, searching and selection functions (numpy/core/
fromnumeric.py and friends) over Mars's ops: sort, argsort, partition,
argpartition, searchsorted, take, take_along_axis, and the functions whose
result shape depends on values: nonzero, flatnonzero, argwhere, compress,
extract.

sort is a Mars op (NaN last; -0.0 sorts before 0.0, an order numpy leaves
to its algorithm) and argsort gives numpy's stable order whatever ``kind``
asks for, which is a valid result for every kind. partition and
argpartition return the full sort and argsort: every element is where a
partition may put it.

A result whose shape depends on the values (nonzero and the functions built
on it, and indexing with a boolean tensor) executes the operand that
decides the shape when it is called, as Mars's iterative tiling does, and
builds the rest of the graph with the real shape."""

import operator as _operator

import numpy as _np

from .. import _mars
from .core import Tensor, _wrap, _tensor, _operand


def _check_kind(kind):
    if kind is None:
        return
    if not isinstance(kind, str):
        raise TypeError("sort kind must be str or None, not %s"
                        % type(kind).__name__)
    if not kind or kind[0].lower() not in "qhms":
        raise ValueError("sort kind must be one of 'quick', 'heap', or "
                         "'stable' (got '%s')" % kind)


def _check_order(order):
    if order is not None:
        raise ValueError("Cannot specify order when the array has no fields.")


def _axis_arg(axis):
    return None if axis is None else _operator.index(axis)


def _indices(x):
    """Index values as a tensor (an empty list is numpy's intp array)."""
    if not isinstance(x, Tensor):
        a = _np.asarray(x)
        if a.size == 0 and a.dtype.kind == "f":
            x = a.astype(_np.int64)
    return _tensor(x)


def sort(a, axis=-1, kind=None, order=None):
    """numpy.sort: a sorted copy along ``axis`` (None: flattened)."""
    _check_kind(kind)
    _check_order(order)
    return _wrap(_mars.sort(_tensor(a)._t, _axis_arg(axis)))


def argsort(a, axis=-1, kind=None, order=None):
    """numpy.argsort: the positions that sort ``a`` along ``axis``, in
    numpy's stable order (a valid result for every kind)."""
    _check_kind(kind)
    _check_order(order)
    return _wrap(_mars.argsort(_tensor(a)._t, _axis_arg(axis)))


def msort(a):
    """numpy.msort: sort along the first axis."""
    return sort(a, axis=0)


def _check_kth(t, kth, axis):
    """numpy's checks of partition's kth against the partitioned axis."""
    if axis is None:
        n = t.size
    else:
        ax = _operator.index(axis)
        if not -t.ndim <= ax < t.ndim:
            raise _np.AxisError("axis %d is out of bounds for array of "
                                "dimension %d" % (ax, t.ndim))
        n = t.shape[ax]
    ks = _np.asarray(kth)
    if ks.dtype.kind not in "iu":
        raise TypeError("Partition index must be integer")
    if ks.ndim > 1:
        raise ValueError("kth array must have dimension <= 1")
    # numpy checks kth only when there are elements to partition.
    for k in ks.ravel().tolist() if t.size else []:
        if not -n <= k < n:
            raise ValueError("kth(=%d) out of bounds (%d)" % (k, n))


def _partition_args(a, kth, axis, kind, order):
    t = _tensor(a)
    if kind != "introselect":
        raise ValueError("partition kind must be 'introselect' (got '%s')"
                         % kind)
    _check_order(order)
    _check_kth(t, kth, axis)
    return t


def partition(a, kth, axis=-1, kind="introselect", order=None):
    """numpy.partition: ``a`` with every kth element where a sort puts it,
    smaller ones before and larger after. Mars returns the whole sort,
    which is such an arrangement."""
    return sort(_partition_args(a, kth, axis, kind, order), axis)


def argpartition(a, kth, axis=-1, kind="introselect", order=None):
    """numpy.argpartition: positions that partition ``a`` around kth (the
    stable argsort, which is one)."""
    return argsort(_partition_args(a, kth, axis, kind, order), axis)


def searchsorted(a, v, side="left", sorter=None):
    """numpy.searchsorted: where the elements of ``v`` go in the sorted 1-D
    ``a`` (or ``a[sorter]``) to keep it sorted."""
    t = _tensor(a)
    if sorter is not None:
        s = _tensor(sorter)
        if s.ndim != 1 or s.size != t.size:
            raise ValueError("sorter.size must equal a.size")
        t = take(t, s)
    if not isinstance(side, str) or side[:1].lower() not in ("l", "r"):
        raise ValueError("search side must be 'left' or 'right' (got %r)"
                         % (side,))
    side = "left" if side[:1].lower() == "l" else "right"
    return _wrap(_mars.searchsorted(t._t, _operand(v), side))


def take(a, indices, axis=None, out=None, mode="raise"):
    """numpy.take: the elements of ``a`` at ``indices`` along ``axis``
    (None: of the flattened tensor)."""
    if out is not None:
        raise NotImplementedError("out= is not supported (tensors are "
                                  "immutable)")
    return _wrap(_mars.take(_tensor(a)._t, _indices(indices)._t,
                            _axis_arg(axis), mode))


def take_along_axis(arr, indices, axis):
    """numpy.take_along_axis: ``arr[..., indices[..., k, ...], ...]`` along
    ``axis``; the other axes broadcast."""
    return _wrap(_mars.take_along_axis(_tensor(arr)._t, _indices(indices)._t,
                                       _axis_arg(axis)))


# -- results whose shape depends on values ------------------------------------


def _host(a):
    """The value of ``a`` as a numpy array (a tensor is executed)."""
    if isinstance(a, Tensor):
        return a.fetch()
    return _np.asarray(a)


def nonzero(a):
    """numpy.nonzero: per dimension, the indices of the nonzero elements.
    The count depends on the values, so ``a`` is executed here."""
    v = _host(a)
    if v.ndim == 0:
        raise ValueError("Calling nonzero on 0d arrays is not allowed. Use "
                         "np.atleast_1d(scalar).nonzero() instead.")
    return tuple(_wrap(_mars.from_numpy(_np.ascontiguousarray(i, "int64"),
                                        None)) for i in _np.nonzero(v))


def flatnonzero(a):
    """numpy.flatnonzero: indices of the nonzero elements of ravel(a)."""
    v = _host(a)
    return _wrap(_mars.from_numpy(
        _np.ascontiguousarray(_np.flatnonzero(v), "int64"), None))


def argwhere(a):
    """numpy.argwhere: the indices of the nonzero elements, one row each."""
    v = _host(a)
    return _wrap(_mars.from_numpy(
        _np.ascontiguousarray(_np.argwhere(v), "int64"), None))


def compress(condition, a, axis=None, out=None):
    """numpy.compress: the slices of ``a`` along ``axis`` where
    ``condition`` is true (a condition shorter than the axis selects from
    its start)."""
    if out is not None:
        raise NotImplementedError("out= is not supported (tensors are "
                                  "immutable)")
    c = _host(condition)
    if c.ndim != 1:
        raise ValueError("condition must be a 1-d array")
    t = _tensor(a)
    ax = 0 if axis is None else _operator.index(axis)
    n = t.size if axis is None else t.shape[ax]
    # numpy's take checks indices only when the result has elements.
    others = 1 if axis is None else int(_np.prod(
        [d for k, d in enumerate(t.shape) if k != ax % max(t.ndim, 1)]))
    return take(t, _positions(c, n, ax, check=others > 0), axis=axis)


def extract(condition, arr):
    """numpy.extract: the elements of ravel(arr) where ravel(condition) is
    true."""
    t = _tensor(arr).ravel()
    return take(t, _positions(_np.ravel(_host(condition)), t.size, 0))


def _positions(c, n, axis, check=True):
    """The nonzero positions of 1-d ``c`` as a tensor, checked against an
    axis of length n as numpy's take checks them."""
    idx = _np.ascontiguousarray(_np.flatnonzero(c), "int64")
    bad = idx[idx >= n]
    if bad.size and check:
        raise IndexError("index %d is out of bounds for axis %d with size %d"
                         % (bad[0], axis, n))
    return _wrap(_mars.from_numpy(idx, None))


__all__ = ["sort", "argsort", "msort", "partition", "argpartition",
           "searchsorted", "take", "take_along_axis", "nonzero",
           "flatnonzero", "argwhere", "compress", "extract"]
