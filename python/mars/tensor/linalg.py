"""mars.tensor.linalg: numpy.linalg's functions that compose from Mars's
ops, following numpy's own steps (numpy/linalg/linalg.py):

* ``norm``: every vector order (None, 2, 1, inf, -inf, 0, any p) and the
  matrix orders 'fro', 1, -1, inf, -inf, over any axis or pair of axes,
  with keepdims. A matrix's 2, -2 and 'nuc' norms need its singular values,
  which Mars cannot compute yet: they raise NotImplementedError.
* ``matrix_power``: n >= 0 by numpy's binary decomposition into matrix
  products (stacks of matrices too); a negative n needs the inverse and
  raises NotImplementedError.
* ``multi_dot``: the product of a chain in the cheapest order (numpy's
  dynamic programme over the shapes), the first and last operands may be
  1-D.

Decompositions, inverses and solvers (qr, svd, cholesky, inv, solve, det,
eigh, lstsq, pinv, ...) need LAPACK per chunk and are not here yet.
Errors are numpy's: ``LinAlgError`` is ``numpy.linalg.LinAlgError``."""

import operator as _operator

import numpy as _np

import mars.tensor as _mt
from .core import _tensor
from .shape_base import _axis_index

LinAlgError = _np.linalg.LinAlgError


def _needs_singular_values(what):
    raise NotImplementedError(
        "%s needs the singular values of a matrix, which Mars cannot "
        "compute yet (no SVD)" % what)


def norm(x, ord=None, axis=None, keepdims=False):
    """numpy.linalg.norm: the vector norm over one axis, the matrix norm
    over two (axis None: the 2-norm of the flattened tensor when ord is
    None, or the norm of a 1-D or 2-D tensor)."""
    x = _tensor(x)
    if x.dtype.kind != "f":
        x = x.astype(_np.float64)
    if axis is None:
        ndim = x.ndim
        if ((ord is None) or (ord in ("f", "fro") and ndim == 2)
                or (ord == 2 and ndim == 1)):
            flat = x.ravel()
            ret = _mt.sqrt(_mt.dot(flat, flat))
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
            _needs_singular_values("norm(ord=%r) of a matrix" % (ord,))
        if ord == 1:
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
        raise NotImplementedError(
            "matrix_power with a negative exponent needs the inverse of a "
            "matrix, which Mars cannot compute yet")
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


__all__ = ["LinAlgError", "norm", "matrix_power", "multi_dot"]
