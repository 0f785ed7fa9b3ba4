"""mars.tensor.linalg: numpy.linalg (and scipy.linalg's lu and
solve_triangular, which Mars offers) on tensors.

* Decompositions, inverses and solvers are ops (``mars.inv``,
  ``mars.solve``, ``mars.cholesky``, ``mars.det``, ``mars.qr``,
  ``mars.svd``, ``mars.eigh``, ``mars.lu``): each matrix of a stack is
  computed by the LAPACK routine numpy calls, so a stack's matrices run in
  parallel, chunk by chunk. Integer input computes in float64 and float32
  in float64 with a float32 result, as numpy does. One op computes one
  factor, so ``svd`` runs gesdd once per factor asked for.
* A tall matrix whose rows span several chunks is factored by TSQR
  (``qr``, and ``svd`` with ``full_matrices=False``): each row block is
  QR-factored on its own, the stacked R factors once more, and Q is the
  blocks' Q times their part of the second Q, so no chunk holds more than
  a block plus an n x n matrix. A block is factored twice, for its R and
  then for its Q just before Q is used, so no block's Q is kept between
  the passes. Its Q and R are numpy's up to the signs of Q's columns and
  R's rows (both are QR factorisations); a wide matrix chunked along its
  columns takes the same path through its transpose.
* A square matrix chunked along both dimensions is Cholesky- or
  LU-factored by tiles (right-looking: a panel's potrf or getrf, trsm,
  then the trailing updates by products), so it factors matrices larger
  than memory allows; ``lu``, ``solve``, ``inv``, ``det`` and ``slogdet``
  use the tiled LU. Any matrix chunked along both dimensions (and not
  TSQR's tall one) takes the blocked Householder QR (``_tile_qr``).
* Compositions following numpy's own steps: ``pinv``, ``lstsq``,
  ``matrix_rank``, ``cond``, ``norm`` (every order, 2, -2 and 'nuc' from
  singular values), ``matrix_power`` (negative powers through ``inv``),
  ``multi_dot``, ``tensorinv``, ``tensorsolve``, and Mars's
  ``randomized_svd`` (Halko et al., sklearn's steps and signs).

``eig`` and ``eigvals`` of non-symmetric matrices have complex results,
which Mars tensors cannot hold yet; they are not here. Errors are numpy's:
``LinAlgError`` is ``numpy.linalg.LinAlgError``."""

import operator as _operator

import numpy as _np

import mars.tensor as _mt
from .. import _mars
from ..session import get_default_session as _default_session
from .core import (Tensor as _Tensor, _real_only, _real_only_function,
                   _tensor, _wrap)
from .shape_base import _axis_index

LinAlgError = _np.linalg.LinAlgError


def norm(x, ord=None, axis=None, keepdims=False):
    """numpy.linalg.norm: the vector norm over one axis, the matrix norm
    over two (axis None: the 2-norm of the flattened tensor when ord is
    None, or the norm of a 1-D or 2-D tensor)."""
    x = _tensor(x)
    if x.dtype.kind == "c":
        # numpy's norms of complex numbers are those of their absolute
        # values, but for the matrix 2-norms and the nuclear norm (an SVD).
        matrix = (isinstance(axis, (tuple, list)) and len(axis) == 2) or (
            axis is None and ord is not None and x.ndim == 2)
        if matrix and ord in (2, -2, "nuc"):
            _real_only("linalg.norm(ord=%r)" % (ord,), x)
        x = _mt.absolute(x)
    if x.dtype.kind != "f":
        x = x.astype(_np.float64)
    if axis is None:
        ndim = x.ndim
        if ((ord is None) or (ord in ("f", "fro") and ndim == 2)
                or (ord == 2 and ndim == 1)):
            # numpy's sqrt(dot(flat, flat)) as the sum of squares over
            # every axis: one fused pass over x's own chunks (a flattened
            # dot gathers the whole vector into one contraction task).
            ret = _mt.sqrt(_mt.sum(x * x))
            if keepdims:
                ret = ret.reshape(ndim * [1])
            return ret
    nd = x.ndim
    if axis is None:
        axis = tuple(range(nd))
    elif not isinstance(axis, tuple):
        try:
            axis = int(axis)
        except Exception as e:
            raise TypeError("'axis' must be None, an integer or a tuple of "
                            "integers") from e
        axis = (axis,)

    if len(axis) == 1:
        if ord == _np.inf:
            return _mt.abs(x).max(axis=axis, keepdims=keepdims)
        if ord == -_np.inf:
            return _mt.abs(x).min(axis=axis, keepdims=keepdims)
        if ord == 0:
            return (x != 0).astype(x.dtype).sum(axis=axis, keepdims=keepdims)
        if ord == 1:
            return _mt.sum(_mt.abs(x), axis=axis, keepdims=keepdims)
        if ord is None or ord == 2:
            return _mt.sqrt(_mt.sum(x * x, axis=axis, keepdims=keepdims))
        if isinstance(ord, str):
            raise ValueError(f"Invalid norm order '{ord}' for vectors")
        absx = _mt.abs(x) ** ord
        ret = _mt.sum(absx, axis=axis, keepdims=keepdims)
        return ret ** _np.reciprocal(_np.asarray(ord, dtype=ret.dtype))
    if len(axis) == 2:
        row_axis, col_axis = axis
        row_axis = _axis_index(row_axis, nd)
        col_axis = _axis_index(col_axis, nd)
        if row_axis == col_axis:
            raise ValueError("Duplicate axes given.")
        absx = _mt.abs(x)
        if ord == 2 or ord == -2 or ord == "nuc":
            # numpy's _multi_svd_norm: the singular values of each matrix.
            y = _mt.moveaxis(x, (row_axis, col_axis), (-2, -1))
            sv = svd(y, compute_uv=False)
            ret = (sv.max(axis=-1) if ord == 2 else
                   sv.min(axis=-1) if ord == -2 else sv.sum(axis=-1))
        elif ord == 1:
            if col_axis > row_axis:
                col_axis -= 1
            ret = _mt.sum(absx, axis=row_axis).max(axis=col_axis)
        elif ord == _np.inf:
            if row_axis > col_axis:
                row_axis -= 1
            ret = _mt.sum(absx, axis=col_axis).max(axis=row_axis)
        elif ord == -1:
            if col_axis > row_axis:
                col_axis -= 1
            ret = _mt.sum(absx, axis=row_axis).min(axis=col_axis)
        elif ord == -_np.inf:
            if row_axis > col_axis:
                row_axis -= 1
            ret = _mt.sum(absx, axis=col_axis).min(axis=row_axis)
        elif ord in (None, "fro", "f"):
            ret = _mt.sqrt(_mt.sum(x * x, axis=axis))
        else:
            raise ValueError("Invalid norm order for matrices.")
        if keepdims:
            shape = list(x.shape)
            shape[axis[0]] = 1
            shape[axis[1]] = 1
            ret = ret.reshape(shape)
        return ret
    raise ValueError("Improper number of dimensions to norm.")


def _assert_stacked_square(a):
    if a.ndim < 2:
        raise LinAlgError("%d-dimensional array given. Array must be at "
                          "least two-dimensional" % a.ndim)
    if a.shape[-1] != a.shape[-2]:
        raise LinAlgError("Last 2 dimensions of the array must be square")


def matrix_power(a, n):
    """numpy.linalg.matrix_power: a (or each matrix of a stack) to the
    integer power n >= 0, by numpy's squarings; n = 0 is the identity in
    a's dtype."""
    a = _tensor(a)
    _assert_stacked_square(a)
    try:
        n = _operator.index(n)
    except TypeError as e:
        raise TypeError("exponent must be an integer") from e
    if n == 0:
        return _mt.broadcast_to(_mt.eye(a.shape[-1], dtype=a.dtype), a.shape)
    if n < 0:
        a = inv(a)
        n = -n
    if n == 1:
        return _mt.copy(a)
    if n == 2:
        return _mt.matmul(a, a)
    if n == 3:
        return _mt.matmul(_mt.matmul(a, a), a)
    # numpy's binary decomposition, squaring as it goes.
    z = result = None
    while n > 0:
        z = a if z is None else _mt.matmul(z, z)
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else _mt.matmul(result, z)
    return result


def _chain_order(shapes):
    """numpy's _multi_dot_matrix_chain_order: the split of each sub-chain
    that minimises scalar multiplications."""
    n = len(shapes)
    p = [s[0] for s in shapes] + [shapes[-1][1]]
    m = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            m[i][j] = None
            for k in range(i, j):
                cost = m[i][k] + m[k + 1][j] + p[i] * p[k + 1] * p[j + 1]
                if m[i][j] is None or cost < m[i][j]:
                    m[i][j] = cost
                    split[i][j] = k
    return split


def multi_dot(arrays, *, out=None):
    """numpy.linalg.multi_dot: dot of two or more tensors in the cheapest
    association; the first may be 1-D (a row) and the last 1-D (a
    column), all others 2-D."""
    if out is not None:
        raise NotImplementedError("out= is not supported (tensors are "
                                  "immutable)")
    n = len(arrays)
    if n < 2:
        raise ValueError("Expecting at least two arrays.")
    if n == 2:
        return _mt.dot(arrays[0], arrays[1])
    ts = [_tensor(a) for a in arrays]
    ndim_first, ndim_last = ts[0].ndim, ts[-1].ndim
    if ndim_first == 1:
        ts[0] = ts[0].reshape(1, -1)
    if ndim_last == 1:
        ts[-1] = ts[-1].reshape(-1, 1)
    for t in ts:
        if t.ndim != 2:
            raise LinAlgError("%d-dimensional array given. Array must be "
                              "two-dimensional" % t.ndim)
    split = _chain_order([t.shape for t in ts])

    def product(i, j):
        if i == j:
            return ts[i]
        k = split[i][j]
        return _mt.dot(product(i, k), product(k + 1, j))
    result = product(0, n - 1)
    if ndim_first == 1 and ndim_last == 1:
        return result.reshape(())
    if ndim_first == 1 or ndim_last == 1:
        return result.ravel()
    return result


def _t(a):
    return _tensor(a)._t


def _no_float16(*arrays, square=False):
    """numpy.linalg's TypeError for float16 (its LAPACK loops are float32
    and float64), before a composition casts to float64; after numpy's
    stacked-2-D (and, with `square`, square) checks, which come first in
    numpy."""
    for a in arrays:
        t = _tensor(a)
        if t.dtype != _np.float16:
            continue
        if t.ndim < 2:
            raise LinAlgError("%d-dimensional array given. Array must be at "
                              "least two-dimensional" % t.ndim)
        if square and t.shape[-1] != t.shape[-2]:
            raise LinAlgError("Last 2 dimensions of the array must be "
                              "square")
        raise TypeError("array type float16 is unsupported in linalg")


# The most tiles along a side of a tiled factorisation: its graph has
# O(tiles^2) (LU) to O(tiles^3) (Cholesky) ops.
_MAX_TILES = 32


def _tile_edges(a):
    """The tile edges of a square 2-D tensor chunked along both dimensions,
    or None when it is one chunk along a dimension, stacked, empty or not
    square: those take one LAPACK call. The tiles are squares of its
    chunks' shorter side (a task holds a block column of n x tile, so
    chunks that fit the memory limit give block columns that fit it too),
    and at most _MAX_TILES along a side (a matrix cut in thin strips gets
    larger tiles, not millions of ops)."""
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        return None
    rows, cols = a.chunks
    if len(rows) < 2 or len(cols) < 2:
        return None
    n = a.shape[0]
    tile = _tile_side(rows, cols, n)
    if tile >= n:
        return None
    return list(range(0, n, tile)) + [n]


def _tile_side(rows, cols, n):
    """The side of the square tiles of a matrix of n columns chunked by
    `rows` and `cols`: the chunks' shorter side, or larger so that the
    columns are at most _MAX_TILES tiles."""
    return max(min(max(rows), max(cols)), -(-n // _MAX_TILES))


# solve, det and slogdet take one LAPACK call on the gathered matrix when
# it and LAPACK's column-major copy and result (three times its float64
# bytes) fit in this fraction of the default session's memory limit: in
# memory one getrf is faster than the tiles' panels, each factored twice
# (for its packed factors and its pivots). inv, lu and cholesky take tiles
# whenever they can: by tiles they are faster than one call.
_GATHER_FRACTION = 0.25


def _gathers(a):
    """Whether solve, det and slogdet of the square matrix a take one call
    (see _GATHER_FRACTION)."""
    n = a.shape[-1]
    return 3 * 8 * n * n <= _GATHER_FRACTION * _default_session().memory_limit


def _tile_lu(a, edges, check_finite=False):
    """The LU factorisation with partial pivoting of the square float64
    tensor a by the right-looking tile algorithm, tiles cut at `edges`:
    (perm, low, up, signs) with a[perm] = L @ U, L's tile (i, j) low[i][j]
    for j < i, U's up[i][j] for j > i, and det(P) the product of the
    panels' signs (0-d tensors). The diagonal tiles low[i][i] and up[i][i]
    are one packed tile (getrf's): read L's strictly lower triangle (its
    unit diagonal implied) and U's upper triangle of it.

    Step k factors block column k below the diagonal as one tall panel
    (getrf: the pivots are chosen over every row below, as LAPACK's
    blocked getrf does) and moves the rows below the diagonal of every
    other block column by the panel's pivots (mars.take; the L columns of
    earlier steps too, so they end in the final order, as dlaswp leaves
    them). Row k of U is then a triangular solve (trsm) and the rest of
    each block column its update by one product (gemm). The trailing
    matrix is held as block columns, so a step is O(tiles) ops, and a
    task holds one block column at most: matrices larger than memory
    factor tile by tile.

    With check_finite, each panel and each row of U's solve check their
    operands (scipy's ValueError): a NaN or infinity of a stays one
    through the updates, and every element of a reaches one of them."""
    nb = len(edges) - 1
    rows = edges[1] - edges[0]
    cols = [a[:, edges[j]:edges[j + 1]] for j in range(nb)]
    low = [[None] * nb for _ in range(nb)]
    up = [[None] * nb for _ in range(nb)]
    perm = _mt.arange(edges[-1])
    signs = []
    for k in range(nb):
        e, w = edges[k], edges[k + 1] - edges[k]
        hs = _mars.linalg_lu(cols[k]._t, bool(check_finite))
        p, f = _wrap(hs[3]).rechunk(rows), _wrap(hs[4])
        signs.append(_Tensor(hs[5]))
        diag = low[k][k] = up[k][k] = f[:w]
        # L's tiles below, each sliced once from the panel; joined again
        # (sharing their chunks) they are one operand chunked by tiles, so
        # the updates below run a task per tile.
        for i in range(k + 1, nb):
            low[i][k] = f[edges[i] - e:edges[i + 1] - e]
        below = (_mt.concatenate([low[i][k] for i in range(k + 1, nb)])
                 if k + 1 < nb else f[w:])
        perm = _mt.concatenate([perm[:e], _mt.take(perm[e:], p)])
        for j in range(nb):
            if j == k:
                continue
            moved = _mt.take(cols[j], p, axis=0)
            if j < k:
                low[k][j], cols[j] = moved[:w], moved[w:]
                continue
            up[k][j] = solve_triangular(diag, moved[:w], lower=True,
                                        unit_diagonal=True,
                                        check_finite=check_finite)
            cols[j] = moved[w:] - _mt.matmul(below, up[k][j])
        cols[k] = below
    return perm, low, up, signs


def _tile_lu_solve(lu, edges, b):
    """x with a @ x = b for the tiled factors lu = (perm, low, up, _) of a and
    the float64 matrix b: b's rows in pivot order, then forward
    substitution with L and back substitution with U, tile row by tile
    row. A zero on U's diagonal is numpy's LinAlgError "Singular matrix"
    (at execution)."""
    perm, low, up, _ = lu
    nb = len(edges) - 1
    pb = _mt.take(b, perm, axis=0)
    y = [pb[edges[i]:edges[i + 1]] for i in range(nb)]
    for i in range(nb):
        for j in range(i):
            y[i] = y[i] - _mt.matmul(low[i][j], y[j])
        y[i] = solve_triangular(low[i][i], y[i], lower=True,
                                unit_diagonal=True, check_finite=False)
    x = [None] * nb
    for i in reversed(range(nb)):
        r = y[i]
        for j in range(i + 1, nb):
            r = r - _mt.matmul(up[i][j], x[j])
        # numpy's "Singular matrix" for a zero on U's diagonal.
        x[i] = _wrap(_mars.linalg_solve_triangular(
            up[i][i]._t, r._t, False, False, False, numpy_errors=True))
    return _mt.concatenate(x, axis=0)


@_real_only_function
def inv(a):
    """numpy.linalg.inv: the inverse of each square matrix (LinAlgError
    "Singular matrix" when one is singular). A matrix chunked along both
    dimensions is inverted by tiles: its tiled LU (_tile_lu), then the
    identity solved by tiles."""
    # The one-call node checks the arguments (numpy's errors) and gives
    # the dtype; it is not executed (eager mode) when tiles are used.
    h = _mars.linalg_inv(_t(a))
    a = _tensor(a)
    edges = _tile_edges(a)
    if edges is None:
        return _wrap(h)
    n = a.shape[0]
    lu = _tile_lu(a.astype(_np.float64), edges)
    eye = _mt.eye(n, chunk_size=edges[1])
    return _tile_lu_solve(lu, edges, eye).astype(_Tensor(h).dtype)


@_real_only_function
def solve(a, b):
    """numpy.linalg.solve: x with a @ x = b; b is a stack of vectors when
    it has one dimension less than a. Batch dimensions broadcast. A matrix
    chunked along both dimensions, with one right-hand side or a matrix of
    them, is solved by tiles (_tile_lu, then _tile_lu_solve) when it is too
    large to gather (_gathers)."""
    h = _mars.linalg_solve(_t(a), _t(b))   # as in inv
    a, b = _tensor(a), _tensor(b)
    edges = _tile_edges(a)
    if edges is None or b.ndim > 2 or _gathers(a):
        return _wrap(h)
    lu = _tile_lu(a.astype(_np.float64), edges)
    rhs = b.astype(_np.float64)
    x = _tile_lu_solve(lu, edges, rhs[:, None] if b.ndim == 1 else rhs)
    return (x[:, 0] if b.ndim == 1 else x).astype(_Tensor(h).dtype)


@_real_only_function
def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False,
                     overwrite_b=False, check_finite=True):
    """scipy.linalg.solve_triangular (Mars's mt.linalg.solve_triangular),
    for stacks of matrices too: only a's lower or upper triangle is read;
    trans solves with a's transpose ('T'/'C'/1/2). check_finite (the
    default): a NaN or infinity in a or b is scipy's ValueError, raised
    when the result is executed."""
    a, b = _tensor(a), _tensor(b)
    # scipy's loops start at float32: float16 operands compute there.
    if a.dtype == _np.float16:
        a = a.astype(_np.float32)
    if b.dtype == _np.float16:
        b = b.astype(_np.float32)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ValueError("expected square matrix")
    if trans in (1, 2, "T", "C"):
        if a.ndim < 2:
            raise LinAlgError("%d-dimensional array given. Array must be at "
                              "least two-dimensional" % a.ndim)
        a = _mt.swapaxes(a, -1, -2)
        lower = not lower
    elif trans not in (0, "N"):
        raise ValueError("Incorrect value for trans: %r" % (trans,))
    return _wrap(_mars.linalg_solve_triangular(a._t, _t(b), bool(lower),
                                               bool(unit_diagonal),
                                               bool(check_finite)))


def _tile_cholesky(a, edges):
    """The lower Cholesky factor of the n x n tensor a by the right-looking
    tile algorithm over tiles cut at `edges`: each diagonal block's factor
    (potrf), the blocks below it by a triangular solve (trsm), and the
    trailing blocks' update by products (syrk/gemm), so no task holds more
    than three blocks and the updates of a step run in parallel."""
    nb = len(edges) - 1
    blk = [[a[edges[i]:edges[i + 1], edges[j]:edges[j + 1]]
            for j in range(i + 1)] for i in range(nb)]
    low = [[None] * nb for _ in range(nb)]
    for k in range(nb):
        low[k][k] = _wrap(_mars.linalg_cholesky(blk[k][k]._t))
        for i in range(k + 1, nb):
            # L_ik = A_ik L_kk^-T: the lower solve L_kk X = A_ik^T.
            low[i][k] = solve_triangular(low[k][k], blk[i][k].T,
                                         lower=True).T
        for i in range(k + 1, nb):
            for j in range(k + 1, i + 1):
                blk[i][j] = blk[i][j] - _mt.matmul(low[i][k], low[j][k].T)
    rows = []
    for i in range(nb):
        row = [low[i][j] if j <= i else
               _mt.zeros((edges[i + 1] - edges[i], edges[j + 1] - edges[j]))
               for j in range(nb)]
        rows.append(_mt.concatenate(row, axis=1))
    return _mt.concatenate(rows, axis=0)


@_real_only_function
def cholesky(a, upper=False):
    """numpy.linalg.cholesky: the lower factor L with a = L @ L.T (reading
    a's lower triangle), or with upper=True its transpose (numpy 2's
    keyword). A matrix chunked along both dimensions is factored by tiles
    (_tile_cholesky; tiles as _tile_edges chooses them)."""
    _no_float16(a, square=True)
    a = _tensor(a)
    h = _mars.linalg_cholesky(a._t)   # as in inv
    edges = _tile_edges(a)
    if edges is None:
        low = _wrap(h)
    else:
        low = _tile_cholesky(a.astype(_np.float64),
                             edges).astype(_Tensor(h).dtype)
    return _mt.swapaxes(low, -1, -2) if upper else low


def _tile_slogdet(a, edges, dtype):
    """slogdet of the square float64 tensor a from its tiled LU: det(P)
    from the panels' signs, then numpy's reading of U's diagonal: each
    negative element flips the sign (a NaN does not, and makes logabsdet
    NaN), and an exact zero is (0, -inf)."""
    _, _, up, signs = _tile_lu(a, edges)
    d = _mt.concatenate([_mt.diagonal(up[k][k])
                         for k in range(len(edges) - 1)])
    sign = _mt.prod(_mt.stack(signs)) * _mt.prod(_mt.where(d < 0, -1.0, 1.0))
    logdet = _mt.sum(_mt.log(_mt.abs(d)))
    singular = _mt.any(d == 0)
    return (_mt.where(singular, 0.0, sign).astype(dtype),
            _mt.where(singular, -_np.inf, logdet).astype(dtype))


@_real_only_function
def det(a):
    """numpy.linalg.det: sign * exp(logabsdet) of each square matrix, from
    its LU factorisation (by tiles for a matrix chunked along both
    dimensions that is too large to gather, as numpy computes it from
    slogdet's two)."""
    h = _mars.linalg_det(_t(a))   # as in inv
    a = _tensor(a)
    edges = _tile_edges(a)
    if edges is None or _gathers(a):
        return _wrap(h)
    sign, logdet = _tile_slogdet(a.astype(_np.float64), edges, _np.float64)
    return (sign * _mt.exp(logdet)).astype(_Tensor(h).dtype)


@_real_only_function
def slogdet(a):
    """numpy.linalg.slogdet: (sign, logabsdet); a singular matrix has sign
    0 and logabsdet -inf. A matrix chunked along both dimensions that is
    too large to gather (_gathers) takes its tiled LU."""
    sign, logdet = _mars.linalg_slogdet(_t(a))   # as in inv
    a = _tensor(a)
    edges = _tile_edges(a)
    if edges is None or _gathers(a):
        return _wrap(sign), _wrap(logdet)
    return _tile_slogdet(a.astype(_np.float64), edges, _Tensor(sign).dtype)


def _row_blocks(a):
    """The rows per block for TSQR of the 2-D tensor a (a multiple of its
    row chunks, at least n rows), or None when one LAPACK call is the
    better plan (a's rows are one chunk, or the matrix is not tall)."""
    m, n = a.shape
    if n == 0 or m < 2 * n:
        return None
    rows = a.chunks[0]
    if len(rows) < 2:
        return None
    b = rows[0] * -(-n // rows[0])
    return b if b < m else None


def _tsqr(a, b, want_q=True):
    """TSQR of the tall m x n tensor a over blocks of b rows (whole chunks
    of a, so a block is a slice that copies nothing): each block's R, then
    the QR of their stacked R factors. Returns R and, with want_q, per block
    its Q and its rows of the second Q, whose products are Q's blocks (qr
    concatenates them; svd multiplies the small factor by the SVD's vectors
    first, so Q is never formed).

    A block's Q is a second op factoring the block again. Its only reader
    needs the second QR, so it is made after every block's R, just before
    it is used: no block's Q is kept between the passes (a 8e8 x 32
    matrix's would be 205 GB), at the price of factoring each block twice.
    The two factorisations must give the same bits, as any chunk the
    runtime makes again must (the same kernel, and one OpenBLAS thread
    count for a run): for a block with dependent columns, Q's columns for
    them follow rounding noise, and only the Q that made R reproduces the
    block. R's diagonal is made positive in both (``mars.qr``'s
    ``positive``), which keeps them consistent for well-conditioned blocks
    even where they round differently."""
    m, n = a.shape
    blocks, rs = [], []
    for lo in range(0, m, b):
        block = a[lo:lo + b]
        blocks.append(block)
        rs.append(_wrap(_mars.linalg_qr(block._t, "r", True)[0]))
    stacked = _mt.concatenate(rs)
    if not want_q:
        return _wrap(_mars.linalg_qr(stacked._t, "r")[0]), None
    q2, r = (_wrap(h) for h in _mars.linalg_qr(stacked._t, "reduced"))
    parts, lo = [], 0
    for block, ri in zip(blocks, rs):
        k = ri.shape[0]
        qi = _wrap(_mars.linalg_qr(block._t, "reduced", True)[0])
        parts.append((qi, q2[lo:lo + k]))
        lo += k
    return r, parts


def _qr_edges(a):
    """The column edges of the tiled QR of the 2-D tensor a chunked along
    both dimensions, or None (one chunk along a dimension, empty, or one
    panel would hold every column): tiles as _tile_edges's (squares of the
    chunks' shorter side, at most _MAX_TILES along the columns), with an
    edge at min(m, n), where the panels end."""
    if a.ndim != 2 or 0 in a.shape:
        return None
    rows, cols = a.chunks
    if len(rows) < 2 or len(cols) < 2:
        return None
    m, n = a.shape
    k = min(m, n)
    tile = _tile_side(rows, cols, n)
    if tile >= k:
        return None
    return sorted(set(range(0, n, tile)) | {k, n})


def _unit_lower(packed, tile):
    """V, the Householder vectors below the diagonal of the packed h x w
    factorisation (their unit diagonal made explicit), chunked by `tile`
    rows so that products with it run a task per tile."""
    h, w = packed.shape
    # Cut first: made whole, V would be one task holding the panel thrice.
    return (_mt.tril(packed.rechunk((tile, w)), -1) +
            _mt.eye(h, w, chunk_size=(tile, w)))


def _reflect(v, t, c, transpose=False):
    """The block reflector I - V T V^T (its transpose I - V T^T V^T with
    `transpose`) times c, as three products: V^T c first, so no m x m
    matrix is formed. Stacks of matrices broadcast."""
    if transpose:
        t = _mt.swapaxes(t, -1, -2)
    w = _mt.matmul(t, _mt.matmul(_mt.swapaxes(v, -1, -2), c))
    return c - _mt.matmul(v, w)


def _tile_qr(a, edges, want_q, complete):
    """The Householder QR of the 2-D float64 tensor a by the right-looking
    blocked algorithm over block columns cut at `edges` (LAPACK's geqrf
    and orgqr, by tiles): (q, r, panels), q None without want_q, and
    panels the per-step (packed, T) of the compact WY form (mode 'raw').

    Step s factors block column s below the diagonal as one tall panel
    (``mars.qr`` part "wy": R's diagonal block, the Householder vectors V
    and T with Q_s = I - V T V^T), then updates each block column to its
    right by Q_s^T: C - V (T^T (V^T C)), three products over the tiles of
    C's rows. The reflectors are geqrf's (each column's is fixed by the
    column as it stands), so R is numpy's, signs included. Q is formed
    backwards, as orgqr does: the identity's columns, from the last panel
    to the first, each applied to the rows and columns it touches. A
    panel's task holds about three block columns (the panel, LAPACK's
    column-major copy, its WY factors), an update's one tile column, so
    matrices larger than memory factor tile by tile."""
    m, n = a.shape
    k = min(m, n)
    nb = len(edges) - 1
    steps = edges.index(k)
    tile = edges[1]
    cols = [a[:, edges[j]:edges[j + 1]] for j in range(nb)]
    rrows, panels, refl = [], [], []
    for s in range(steps):
        e, w = edges[s], edges[s + 1] - edges[s]
        h = m - e
        wy = _wrap(_mars.linalg_qr(cols[s]._t, "wy")[0])
        packed, t = wy[:h], wy[h:]
        panels.append((packed, t))
        v = _unit_lower(packed, tile)
        refl.append((v, t))
        row = [_mt.zeros((w, edges[j + 1] - edges[j])) for j in range(s)]
        row.append(_mt.triu(packed[:w]))
        for j in range(s + 1, nb):
            c = _reflect(v, t, cols[j], transpose=True)
            row.append(c[:w])
            cols[j] = c[w:]
        rrows.append(_mt.concatenate(row, axis=1))
    if complete and m > k:
        rrows.append(_mt.zeros((m - k, n)))
    r = _mt.concatenate(rrows, axis=0)
    if not want_q:
        return None, r, panels
    # Q's column blocks: those of the panels, and for 'complete' the rest
    # of the m columns. Block j is held from row e of the current step
    # down (its rows above are zero until the steps before reach them).
    qn = m if complete else k
    qedges = edges[:steps + 1]
    if qn > k:
        # At most _MAX_TILES blocks for the columns past k as well.
        extra = max(tile, -(-(qn - k) // _MAX_TILES))
        qedges = qedges + sorted(set(range(k + extra, qn, extra)) | {qn})
    blocks = {}
    for s in reversed(range(steps)):
        e = edges[s]
        for j in range(len(qedges) - 1):
            lo, hi = qedges[j], qedges[j + 1]
            if j in blocks:
                gap = edges[s + 1] - e
                blocks[j] = _mt.concatenate(
                    [_mt.zeros((gap, hi - lo)), blocks[j]])
            elif j == s or (j >= steps and s == steps - 1):
                blocks[j] = _mt.eye(m - e, hi - lo, k=-(lo - e),
                                    chunk_size=tile)
        v, t = refl[s]
        for j in blocks:
            blocks[j] = _reflect(v, t, blocks[j])
    q = _mt.concatenate([blocks[j] for j in sorted(blocks)], axis=1)
    return q, r, panels


def _raw(a):
    """numpy.linalg.qr's mode 'raw', (h, tau): h the transpose of geqrf's
    packed output (R on and above the diagonal, the Householder vectors
    below it), tau their scales (T's diagonal). A wide matrix's columns
    past the first m are Q^T times them. A matrix chunked along both
    dimensions takes the tiled QR's panels; any other (a tall one chunked
    only by rows too: TSQR's reflectors are not geqrf's) is one task."""
    m, n = a.shape[-2:]
    k = min(m, n)
    edges = _qr_edges(a)
    if edges is not None:
        _, r, panels = _tile_qr(a, edges, False, False)
        blocks = []
        for s, (packed, _) in enumerate(panels):
            e = edges[s]
            blocks.append(_mt.concatenate([r[:e, e:edges[s + 1]], packed]))
        if n > k:
            blocks.append(r[:, k:])
        hmat = _mt.concatenate(blocks, axis=1)
        # T's diagonals by index (one chunk each), so no tiling is planned.
        diag = [_np.arange(t.shape[0]) for _, t in panels]
        tau = _mt.concatenate([t[i, i] for (_, t), i in zip(panels, diag)])
        return hmat.T, tau
    head = a[..., :, :k] if n > m else a
    wy = _wrap(_mars.linalg_qr(head._t, "wy")[0])
    packed, t = wy[..., :m, :], wy[..., m:, :]
    tau = _mt.diagonal(t, axis1=-2, axis2=-1)
    if n > m:
        v = _mt.tril(packed, -1) + _mt.eye(m, k)
        rest = _reflect(v, t, a[..., :, k:], transpose=True)
        packed = _mt.concatenate([packed, rest], axis=-1)
    return _mt.swapaxes(packed, -1, -2), tau


@_real_only_function
def qr(a, mode="reduced"):
    """numpy.linalg.qr with mode 'reduced' (Q, R), 'complete' (Q, R), 'r'
    (R) or 'raw' ((h, tau), geqrf's Householder reflectors). A tall matrix
    chunked along its rows is factored by TSQR, a matrix chunked along both
    dimensions otherwise by the blocked Householder QR (_tile_qr)."""
    _no_float16(a)
    a = _tensor(a)
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError("Unrecognized mode '%s'" % (mode,))
    # The one-call nodes check the arguments (numpy's errors) and give the
    # dtype; wrapped (executed, in eager mode) only when they are the plan.
    hs = _mars.linalg_qr(a._t, "r" if mode == "raw" else mode)
    dtype = _Tensor(hs[-1]).dtype
    if mode == "raw":
        h, tau = _raw(a.astype(_np.float64))
        return h.astype(dtype), tau.astype(dtype)
    if mode != "complete" and a.ndim == 2:
        b = _row_blocks(a)
        if b is not None:
            r, parts = _tsqr(a.astype(_np.float64), b, want_q=mode != "r")
            if mode == "r":
                return r.astype(dtype)
            q = _mt.concatenate([_mt.matmul(qi, q2i) for qi, q2i in parts])
            return q.astype(dtype), r.astype(dtype)
    edges = _qr_edges(a)
    if edges is not None:
        q, r, _ = _tile_qr(a.astype(_np.float64), edges, mode != "r",
                           mode == "complete")
        if mode == "r":
            return r.astype(dtype)
        return q.astype(dtype), r.astype(dtype)
    hs = [_wrap(h) for h in hs]
    return hs[0] if mode == "r" else tuple(hs)


@_real_only_function
def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """numpy.linalg.svd: (U, S, Vh) with a = U @ diag(S) @ Vh, or S alone
    without compute_uv. A tall matrix chunked along its rows (a wide one
    along its columns) takes TSQR and the SVD of the n x n R."""
    _no_float16(a)
    a = _tensor(a)
    if a.ndim == 2 and not (compute_uv and full_matrices):
        m, n = a.shape
        b = _row_blocks(a)
        if b is not None:
            dtype = _np.float32 if a.dtype == _np.float32 else _np.float64
            r, parts = _tsqr(a.astype(_np.float64), b, want_q=compute_uv)
            hs = [_wrap(h) for h in _mars.linalg_svd(r._t, False, compute_uv)]
            if not compute_uv:
                return hs[0].astype(dtype)
            u, sv, vh = hs
            # U's block i is Q_i Q2_i U_r: the n x n product first.
            u = _mt.concatenate([_mt.matmul(qi, _mt.matmul(q2i, u))
                                 for qi, q2i in parts])
            return u.astype(dtype), sv.astype(dtype), vh.astype(dtype)
        if m > 0 and n >= 2 * m and len(a.chunks[1]) > 1:
            # The wide matrix's SVD is its transpose's, transposed back.
            res = svd(a.T, full_matrices=False, compute_uv=compute_uv)
            if not compute_uv:
                return res
            u, sv, vh = res
            return vh.T, sv, u.T
    hs = [_wrap(h) for h in _mars.linalg_svd(a._t, bool(full_matrices),
                                               bool(compute_uv))]
    return tuple(hs) if compute_uv else hs[0]


@_real_only_function
def eigh(a, UPLO="L"):
    """numpy.linalg.eigh: (w, v), the eigenvalues (ascending) and the
    eigenvectors (columns) of each symmetric matrix, read from its UPLO
    triangle."""
    w, v = _mars.linalg_eigh(_t(a), str(UPLO).upper(), True)
    return _wrap(w), _wrap(v)


@_real_only_function
def eigvalsh(a, UPLO="L"):
    """numpy.linalg.eigvalsh: the eigenvalues of each symmetric matrix, in
    ascending order."""
    return _wrap(_mars.linalg_eigh(_t(a), str(UPLO).upper(), False)[0])


@_real_only_function
def lu(a, permute_l=False, overwrite_a=False, check_finite=True):
    """scipy.linalg.lu (Mars's mt.linalg.lu): (P, L, U) with a = P @ L @ U,
    or with permute_l (P @ L, U); stacks of matrices too. check_finite (the
    default): a NaN or infinity in a is scipy's ValueError, raised when the
    factors are executed. A square matrix chunked along both dimensions is
    factored by tiles (_tile_lu)."""
    a = _tensor(a)
    if a.ndim < 2:
        raise ValueError("expected matrix")
    if a.dtype == _np.float16:   # scipy's lu of float16 is float64
        a = a.astype(_np.float64)
    hs = _mars.linalg_lu(a._t, bool(check_finite))   # as in inv
    edges = _tile_edges(a)
    if edges is None:
        low, up = _wrap(hs[1]), _wrap(hs[2])
        if permute_l:
            perm = _Tensor(hs[3])
        else:
            p = _wrap(hs[0])
    else:
        # By tiles: the packed factors' tiles joined, then split.
        n, dtype = a.shape[0], _Tensor(hs[1]).dtype
        perm, lo, hi, _ = _tile_lu(a.astype(_np.float64), edges,
                                   check_finite)
        nb = len(edges) - 1
        packed = _mt.concatenate([_mt.concatenate(
            [lo[i][j] if j <= i else hi[i][j] for j in range(nb)], axis=1)
            for i in range(nb)], axis=0)
        eye = _mt.eye(n, chunk_size=edges[1])
        low = (_mt.tril(packed, -1) + eye).astype(dtype)
        up = _mt.triu(packed).astype(dtype)
        if not permute_l:
            p = (_mt.arange(n)[:, None] == perm[None, :]).astype(dtype)
    if permute_l:
        # P @ L moves L's row i to row perm[i].
        inv_perm = _mt.argsort(perm, axis=-1)[..., None]
        return _mt.take_along_axis(low, inv_perm, axis=-2), up
    return p, low, up


@_real_only_function
def pinv(a, rcond=1e-15, hermitian=False):
    """numpy.linalg.pinv: the pseudo-inverse from the SVD, singular values
    at most rcond times the largest taken as zero."""
    a = _tensor(a)
    if a.ndim < 2:
        raise LinAlgError("%d-dimensional array given. Array must be at "
                          "least two-dimensional" % a.ndim)
    if a.size == 0:   # numpy's, before its dtype check
        m, n = a.shape[-2:]
        dtype = a.dtype if a.dtype in (_np.float16, _np.float32) \
            else _np.float64
        return _mt.zeros(a.shape[:-2] + (n, m), dtype=dtype)
    _no_float16(a)
    u, s, vt = svd(a, full_matrices=False)
    rcond = _np.asarray(rcond)
    cutoff = _mt.tensor(rcond[..., None]) * s.max(axis=-1, keepdims=True)
    large = s > cutoff
    sinv = _mt.where(large, 1 / _mt.where(large, s, 1), 0).astype(s.dtype)
    return _mt.matmul(_mt.swapaxes(vt, -1, -2),
                      sinv[..., None] * _mt.swapaxes(u, -1, -2))


@_real_only_function
def lstsq(a, b, rcond="warn"):
    """numpy.linalg.lstsq: (x, residuals, rank, s), the least-squares
    solution from the SVD of the 2-D a. rank decides residuals' shape, so
    the singular values are computed when it is called."""
    _no_float16(a)
    if _tensor(b).dtype == _np.float16:   # b may be 1-d
        raise TypeError("array type float16 is unsupported in linalg")
    a, b = _tensor(a), _tensor(b)
    if a.ndim != 2:
        raise LinAlgError("%d-dimensional array given. Array must be "
                          "two-dimensional" % a.ndim)
    if b.ndim not in (1, 2):
        raise LinAlgError("%d-dimensional array given. Array must be one "
                          "or two-dimensional" % b.ndim)
    m, n = a.shape
    is_1d = b.ndim == 1
    if is_1d:
        b = b[:, None]
    if m != b.shape[0]:
        raise LinAlgError("Incompatible dimensions")
    dtype = (_np.float32 if a.dtype == _np.float32 and b.dtype == _np.float32
             else _np.float64)
    eps = _np.finfo(_np.float64).eps
    if rcond == "warn" or rcond is None:
        # numpy 1.24's default ("warn") is LAPACK's machine precision; None
        # is numpy's newer eps * max(m, n).
        rcond = eps if rcond == "warn" else eps * max(n, m)
    a64, b64 = a.astype(_np.float64), b.astype(_np.float64)
    k = min(m, n)
    if k == 0:
        x = _mt.zeros((n, b.shape[1]), dtype=dtype)
        s = _mt.zeros((0,), dtype=dtype)
        rank = 0
    else:
        u, s, vt = svd(a64, full_matrices=False)
        sv = s.fetch()
        cutoff = (rcond if rcond >= 0 else eps) * sv.max()
        rank = int((sv > cutoff).sum())
        sinv = _np.where(sv > cutoff, 1 / _np.where(sv > cutoff, sv, 1), 0)
        x = _mt.matmul(vt.T, _mt.tensor(sinv)[:, None] *
                       _mt.matmul(u.T, b64))
        s = _mt.tensor(sv)
    if rank == n and m > n:
        resid = ((b64 - _mt.matmul(a64, x)) ** 2).sum(axis=0).astype(dtype)
    else:
        resid = _mt.zeros((0,), dtype=dtype)
    x = x.astype(dtype)
    if is_1d:
        x = x[:, 0]
    return x, resid, _np.int32(rank), s.astype(dtype)


@_real_only_function
def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):
    """numpy.linalg.matrix_rank: the number of singular values above tol
    (default: the largest times max(M, N) times eps)."""
    A = _tensor(A)
    if A.ndim < 2:
        return _mt.any(A != 0).astype(_np.int64)
    S = svd(A, compute_uv=False)
    if tol is None:
        if rtol is None:
            rtol = max(A.shape[-2:]) * _np.finfo(S.dtype).eps
        else:
            rtol = _np.asarray(rtol)[..., None]
        tol = S.max(axis=-1, keepdims=True) * rtol
    else:
        tol = _np.asarray(tol)[..., None]
    return _mt.count_nonzero(S > tol, axis=-1)


@_real_only_function
def cond(x, p=None):
    """numpy.linalg.cond: the condition number in norm p (None, 2, -2 from
    the singular values; 'fro', 'nuc', 1, -1, inf, -inf from norms of x and
    of its inverse). A matrix whose LU factorisation meets a zero pivot
    (where numpy's inverse fails and gives NaN) has cond inf, except for
    'nuc', where numpy's SVD of that NaN raises LinAlgError; NaN becomes
    inf unless x holds a NaN, as in numpy."""
    _no_float16(x)
    x = _tensor(x)
    if x.ndim < 2:
        raise LinAlgError("%d-dimensional array given. Array must be at "
                          "least two-dimensional" % x.ndim)
    if x.size == 0:
        raise LinAlgError("cond is not defined on empty arrays")
    dtype = _np.float32 if x.dtype == _np.float32 else _np.float64
    if p is None or p == 2 or p == -2:
        s = svd(x, compute_uv=False)
        if p == -2:
            r = s[..., -1] / s[..., 0]
        else:
            r = s[..., 0] / s[..., -1]
    else:
        _assert_stacked_square(x)
        if isinstance(p, str) and p == "nuc":
            # numpy's NaN inverse of a singular matrix fails the nuclear
            # norm's SVD (LinAlgError); inv's own LinAlgError stands in.
            r = (norm(x, p, axis=(-2, -1)) *
                 norm(inv(x), p, axis=(-2, -1)))
        else:
            # numpy inverts with its errors ignored: a singular matrix's
            # inverse is NaN. Here it would raise, so singular matrices
            # (slogdet's sign is 0 exactly when LU meets a zero pivot, as
            # inv's gesv does) are inverted as the identity and their
            # result set to NaN.
            singular = slogdet(x)[0] == 0
            eye = _mt.eye(x.shape[-1], dtype=_np.float64)
            safe = _mt.where(singular[..., None, None], eye, x)
            r = (norm(x, p, axis=(-2, -1)) *
                 norm(inv(safe), p, axis=(-2, -1)))
            r = _mt.where(singular, _np.nan, r)
    if x.dtype.kind != "f":
        x = x.astype(_np.float64)
    nan_x = _mt.isnan(x).any(axis=(-2, -1))
    r = _mt.where(_mt.isnan(r) & ~nan_x, _np.inf, r)
    return r.astype(dtype)


def _svd_flip(u, v, u_based_decision=True):
    """sklearn's svd_flip: signs that make the largest-magnitude entry of
    each column of u (or row of v) positive."""
    if u_based_decision:
        rows = _mt.argmax(_mt.abs(u), axis=0)
        signs = _mt.sign(_mt.take_along_axis(u, rows[None, :], axis=0))[0]
    else:
        cols = _mt.argmax(_mt.abs(v), axis=1)
        signs = _mt.sign(_mt.take_along_axis(v, cols[:, None], axis=1))[:, 0]
    return u * signs[None, :], v * signs[:, None]


def _range_finder(a, size, n_iter, normalizer, rng):
    """sklearn's randomized_range_finder: an orthonormal basis of a's range
    from a Gaussian sketch and n_iter power iterations."""
    q = rng.normal(size=(a.shape[1], size))
    if normalizer == "auto":
        normalizer = "none" if n_iter <= 2 else "LU"
    for _ in range(n_iter):
        if normalizer == "none":
            q = _mt.matmul(a.T, _mt.matmul(a, q))
        elif normalizer == "LU":
            q = lu(_mt.matmul(a, q), permute_l=True)[0]
            q = lu(_mt.matmul(a.T, q), permute_l=True)[0]
        elif normalizer == "QR":
            q = qr(_mt.matmul(a, q))[0]
            q = qr(_mt.matmul(a.T, q))[0]
        else:
            raise ValueError("power_iteration_normalizer must be 'auto', "
                             "'QR', 'LU' or 'none', got %r" % (normalizer,))
    return qr(_mt.matmul(a, q))[0]


@_real_only_function
def randomized_svd(M, n_components, n_oversamples=10, n_iter="auto",
                   power_iteration_normalizer="auto", transpose="auto",
                   flip_sign=True, random_state=None):
    """Mars's (and sklearn's) randomized_svd: the n_components largest
    singular triplets of M by Halko et al.'s randomized range finder (a
    Gaussian sketch, power iterations, and the exact SVD of the small
    projection), so a tall matrix costs a few passes of products and TSQR.
    Returns (U, s, Vh) with sklearn's sign convention when flip_sign."""
    from . import random as _random
    M = _tensor(M)
    if M.ndim != 2:
        raise ValueError("randomized_svd takes a 2-D tensor, got %d-D"
                         % M.ndim)
    n_samples, n_features = M.shape
    if n_components <= 0 or n_components > min(M.shape):
        raise ValueError("n_components must be in [1, %d], got %r"
                         % (min(M.shape), n_components))
    if M.dtype.kind != "f":
        M = M.astype(_np.float64)
    n_random = min(n_components + n_oversamples, min(M.shape))
    if n_iter == "auto":
        n_iter = 7 if n_components < 0.1 * min(M.shape) else 4
    if transpose == "auto":
        transpose = n_samples < n_features
    if transpose:
        M = M.T
    rng = (random_state if isinstance(random_state, _random.RandomState)
           else _random.RandomState(random_state))
    q = _range_finder(M, n_random, n_iter, power_iteration_normalizer, rng)
    b = _mt.matmul(q.T, M)
    uhat, s, vt = svd(b, full_matrices=False)
    u = _mt.matmul(q, uhat)
    if flip_sign:
        u, vt = _svd_flip(u, vt, u_based_decision=not transpose)
    if transpose:
        return (vt[:n_components].T, s[:n_components],
                u[:, :n_components].T)
    return u[:, :n_components], s[:n_components], vt[:n_components]


@_real_only_function
def tensorinv(a, ind=2):
    """numpy.linalg.tensorinv: the inverse of a as an operator on its
    first ind axes."""
    a = _tensor(a)
    oldshape = a.shape
    prod = 1
    if ind > 0:
        invshape = oldshape[ind:] + oldshape[:ind]
        for k in oldshape[ind:]:
            prod *= k
    else:
        raise ValueError("Invalid ind argument.")
    a = a.reshape(prod, -1)
    return inv(a).reshape(*invshape)


@_real_only_function
def tensorsolve(a, b, axes=None):
    """numpy.linalg.tensorsolve: x with tensordot(a, x, x.ndim) = b."""
    a, b = _tensor(a), _tensor(b)
    an = a.ndim
    if axes is not None:
        allaxes = list(range(0, an))
        for k in axes:
            allaxes.remove(k)
            allaxes.insert(an, k)
        a = a.transpose(allaxes)
    oldshape = a.shape[-(an - b.ndim):]
    prod = 1
    for k in oldshape:
        prod *= k
    if a.size != prod ** 2:
        raise LinAlgError(
            "Input arrays must satisfy the requirement "
            "prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])")
    a = a.reshape(prod, prod)
    b = b.ravel()
    return solve(a, b).reshape(oldshape)


__all__ = ["LinAlgError", "norm", "matrix_power", "multi_dot", "inv",
           "solve", "solve_triangular", "cholesky", "det", "slogdet", "qr",
           "svd", "eigh", "eigvalsh", "lu", "pinv", "lstsq", "matrix_rank",
           "cond", "tensorinv", "tensorsolve", "randomized_svd"]
