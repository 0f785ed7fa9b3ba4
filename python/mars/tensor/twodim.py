"""numpy's diagonal and triangle functions as compositions: diag,
diagonal, diagflat, trace, tri, tril, triu. Masks come from compared
aranges and fuse with the where that applies them; a diagonal is a strided
slice of the flattened last two axes.

Of a sparse matrix, tril and triu are the op mars.band (the stored
elements in the band, as scipy.sparse.tril/triu), and a diagonal is the
row sums of its one-diagonal band: work in proportion to the stored
elements, never the dense matrix."""

import operator as _operator

import numpy as _np

import mars.tensor as _mt
from .. import _mars
from .core import _tensor, _wrap
from .shape_base import _axis_index


def tri(N, M=None, k=0, dtype=float):
    """numpy.tri: ones at and below the k-th diagonal."""
    if M is None:
        M = N
    N, M, k = _operator.index(N), _operator.index(M), _operator.index(k)
    m = _mt.arange(N).reshape(-1, 1) >= _mt.arange(-k, M - k).reshape(1, -1)
    return m.astype(dtype)


def _band(t, lower, upper):
    """mars.band of a sparse matrix, the diagonals clamped to its extent."""
    n, m = t.shape
    return _wrap(_mars.band(t._t, max(-n, min(lower, m)),
                            max(-n, min(upper, m))))


def tril(m, k=0):
    """numpy.tril: the elements above the k-th diagonal zeroed."""
    t = _tensor(m)
    k = _operator.index(k)
    if t.issparse():
        return _band(t, -t.shape[0], k)
    mask = tri(*t.shape[-2:], k=k, dtype=bool)
    return _mt.where(mask, t, _mt.zeros(1, dtype=t.dtype))


def triu(m, k=0):
    """numpy.triu: the elements below the k-th diagonal zeroed."""
    t = _tensor(m)
    k = _operator.index(k)
    if t.issparse():
        return _band(t, k, t.shape[1])
    mask = tri(*t.shape[-2:], k=k - 1, dtype=bool)
    return _mt.where(mask, _mt.zeros(1, dtype=t.dtype), t)


# The most squares diagonal() cuts a diagonal into.
_DIAGONAL_PIECES = 64


def diagonal(a, offset=0, axis1=0, axis2=1):
    """numpy.diagonal: the offset diagonal of the (axis1, axis2) planes, as
    the last axis after the others."""
    t = _tensor(a)
    if t.ndim < 2:
        raise ValueError("diag requires an array of at least two dimensions")
    a1, a2 = _axis_index(axis1, t.ndim), _axis_index(axis2, t.ndim)
    if a1 == a2:
        raise ValueError("axis1 and axis2 cannot be the same")
    offset = _operator.index(offset)
    if t.issparse():
        return _sparse_diagonal(t if a1 < a2 else t.T, offset)
    # The input's chunk sides (a transposed node has none of its own).
    rows, cols = max(t.chunks[a1]), max(t.chunks[a2])
    t = _mt.transpose(t, [x for x in range(t.ndim) if x not in (a1, a2)]
                      + [a1, a2])
    batch, (n, m) = t.shape[:-2], t.shape[-2:]
    r0, c0 = (0, offset) if offset >= 0 else (-offset, 0)
    length = max(0, min(n - r0, m - c0))
    if length == 0:
        return t.reshape(batch + (n * m,))[..., 0:0]
    # The diagonal through squares of about a chunk's side along it, each
    # the strided slice of its own elements, so no task reads more than a
    # square (one slice of the whole flattened matrix reads all of it).
    side = max(min(rows, cols), 1, -(-length // _DIAGONAL_PIECES))
    pieces = []
    for i in range(0, length, side):
        k = min(side, length - i)
        sq = t[..., r0 + i:r0 + i + k, c0 + i:c0 + i + k]
        pieces.append(sq.reshape(batch + (k * k,))[..., ::k + 1])
    return pieces[0] if len(pieces) == 1 else _mt.concatenate(pieces, -1)


def _sparse_diagonal(t, k):
    """The k-th diagonal of a sparse matrix, dense: row i of the band of
    that one diagonal stores at most element (i, i + k), so its row sum is
    that element (or zero). A sum starts at +0.0, so a stored -0.0 (or a
    NaN's sign) comes back from signbit of the band."""
    n, m = t.shape
    start = max(0, -k)
    length = max(0, min(n - start, m - max(0, k)))
    b = _band(t, k, k)
    values = _mt.sum(b, axis=1)[start:start + length].astype(t.dtype)
    if t.dtype.kind == "f":
        negative = _mt.sum(_mt.signbit(b), axis=1)[start:start + length] > 0
        values = _mt.where(negative, -_mt.abs(values), values)
    return values


def diag(v, k=0):
    """numpy.diag: the k-th diagonal of a 2-D tensor, or a 2-D tensor with
    a 1-D one on its k-th diagonal."""
    t = _tensor(v)
    k = _operator.index(k)
    if t.ndim == 2:
        return diagonal(t, k)
    if t.ndim != 1:
        raise ValueError("Input must be 1- or 2-d.")
    n = t.shape[0] + abs(k)
    i = _mt.arange(n).reshape(-1, 1)
    j = _mt.arange(n).reshape(1, -1)
    # Row i holds v[i] at column i + k (k >= 0); column j holds v[j] at row
    # j - k (k < 0).
    vals = _mt.concatenate([t, _mt.zeros(abs(k), dtype=t.dtype)])
    vals = vals.reshape(-1, 1) if k >= 0 else vals.reshape(1, -1)
    return _mt.where(j - i == k, vals, _mt.zeros(1, dtype=t.dtype))


def diagflat(v, k=0):
    """numpy.diagflat: the flattened input on the k-th diagonal."""
    return diag(_tensor(v).ravel(), k)


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """numpy.trace: the sum along a diagonal."""
    if out is not None:
        raise NotImplementedError("out= is not supported (tensors are "
                                  "immutable)")
    return _mt.sum(diagonal(a, offset, axis1, axis2), axis=-1, dtype=dtype)


__all__ = ["tri", "tril", "triu", "diagonal", "diag", "diagflat", "trace"]
