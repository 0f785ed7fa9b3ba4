"""mars.tensor.linalg's matrix decompositions and solvers against numpy.linalg
(and scipy.linalg for lu and solve_triangular), written from their documented
semantics: inv, solve, solve_triangular, cholesky, det, slogdet, qr, svd,
eigh, eigvalsh, lu, pinv, lstsq, matrix_rank, cond, the singular-value norms,
negative matrix powers, tensorinv and tensorsolve.

Shapes: square 1x1..9x9, tall, wide, stacks with ragged batch chunks,
size-0 batch dimensions and empty matrices where numpy accepts them; chunk
sizes that cut the matrices; the TSQR path of qr and svd for tall matrices
whose rows span several chunks. Factors that are unique only up to signs
(Q, U, V, eigenvectors) are compared up to signs and through
reconstructions."""

import functools
import inspect

import numpy as np
import pytest
import scipy.linalg as sla
from hypothesis import given, settings, strategies as st

import mars
import mars.tensor as mt

from helpers import assert_same, get_session, random_array, to_mt

LinAlgError = np.linalg.LinAlgError

DTYPES = ["float64", "float32", "int64", "int32", "bool"]
CHUNKS = (1, 2, 3, 7, None)


def over_chunks(chunks=CHUNKS):
    """The test (which takes a chunk_size argument) runs once per chunk size
    in one pytest item: the chunk sizes cost no per-item overhead."""
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for cs in chunks:
                try:
                    fn(*args, chunk_size=cs, **kwargs)
                except AssertionError as e:
                    raise AssertionError("chunk_size=%r: %s" % (cs, e)) \
                        from e
        sig = inspect.signature(fn)
        wrapper.__signature__ = sig.replace(parameters=[
            q for q in sig.parameters.values() if q.name != "chunk_size"])
        del wrapper.__wrapped__
        return wrapper
    return deco


# ---------------------------------------------------------------- helpers

def _fetch(*results, session):
    """Executes the tensors among results in one graph; all of them as numpy
    values (a non-tensor result is taken as it is)."""
    tensors = [r for r in results if isinstance(r, mt.Tensor)]
    if tensors:
        mars.execute(*tensors, session=session)
    out = []
    for r in results:
        out.append(np.asarray(r.fetch()) if isinstance(r, mt.Tensor)
                   else np.asarray(r))
    return out


def _one(r, session):
    return _fetch(r, session=session)[0]


def _raises(exc, fn, session, match=None):
    """fn() raises exc, at call time or when its results are executed."""
    with pytest.raises(exc, match=match):
        r = fn()
        rs = r if isinstance(r, tuple) else (r,)
        _fetch(*rs, session=session)


def _result_dtype(*dtypes):
    """numpy.linalg's result dtype: float32 only when every input is
    float32, float64 otherwise (integers and bools computed as float64)."""
    if all(np.dtype(d) == np.float32 for d in dtypes):
        return np.dtype("float32")
    return np.dtype("float64")


def _rtol(dtype):
    return 1e-4 if np.dtype(dtype) == np.float32 else 1e-10


def _close(got, want, dtype=None, rtol=None, scale=None, check_dtype=True):
    """got equals want in shape, dtype (dtype, or want's) and values: rtol
    relative, plus an absolute slack of rtol times the largest |want|."""
    want = np.asarray(want)
    got = np.asarray(got)
    if dtype is not None:
        # numpy's own result has the dtype the test expects of Mars
        assert want.dtype == dtype, (want.dtype, dtype)
        want = want.astype(dtype)
    if rtol is None:
        rtol = _rtol(want.dtype)
    if scale is None:
        finite = np.abs(want[np.isfinite(want)]) if want.size else want
        scale = max(1.0, float(finite.max())) if finite.size else 1.0
    assert_same(got, want, rtol=rtol, atol=rtol * scale,
                check_dtype=check_dtype)


def _eye_like(n, batch, dtype):
    return np.broadcast_to(np.eye(n, dtype=dtype), batch + (n, n))


def _mT(x):
    return np.swapaxes(x, -1, -2)


def _square(n, dtype="float64", seed=0, batch=()):
    """Well conditioned (stacks of) square matrices of a dtype: floats with a
    dominant diagonal; integers likewise; bools with True on the diagonal
    and False below it (unit upper triangular, so invertible)."""
    shape = batch + (n, n)
    if np.dtype(dtype).kind == "b":
        x = random_array(shape, "bool", seed)
        x = np.triu(x, 1) | np.eye(n, dtype=bool)
        return x
    x = random_array(shape, dtype, seed, int_bound=4)
    return (x + (2 * n + 1) * np.eye(n, dtype=dtype)).astype(dtype)


def _spd(n, dtype="float64", seed=0, batch=()):
    """Symmetric positive definite (stacks of) matrices of a dtype."""
    if np.dtype(dtype).kind == "b":
        return np.broadcast_to(np.eye(n, dtype=bool), batch + (n, n)).copy()
    x = random_array(batch + (n, n), dtype, seed, int_bound=3)
    a = x @ _mT(x) + n * np.eye(n, dtype=dtype)
    return a.astype(dtype)


def _general(shape, dtype="float64", seed=0):
    return random_array(shape, dtype, seed, int_bound=5)


def _low_rank(m, n, r, seed=0):
    """An m x n float64 matrix of rank r (a product of integer matrices)."""
    rng = np.random.default_rng(seed)
    a = rng.integers(-3, 4, (m, r)).astype(float)
    b = rng.integers(-3, 4, (r, n)).astype(float)
    return a @ b


def _with_singular_values(m, n, s, seed=0):
    """An m x n matrix with the given singular values (random orthonormal
    factors)."""
    rng = np.random.default_rng(seed)
    u, _ = np.linalg.qr(rng.standard_normal((m, m)))
    v, _ = np.linalg.qr(rng.standard_normal((n, n)))
    d = np.zeros((m, n))
    k = len(s)
    d[np.arange(k), np.arange(k)] = s
    return u @ d @ v.T


def _assert_orthonormal_columns(q, rtol):
    k = q.shape[-1]
    eye = _eye_like(k, q.shape[:-2], np.float64)
    np.testing.assert_allclose(_mT(q).astype(np.float64) @ q, eye,
                               rtol=0, atol=10 * rtol * max(1, k))


def _assert_sign_equal_columns(got, want, rtol):
    """Column j of got is +-column j of want (per matrix of a stack)."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, (got.shape, want.shape)
    if got.size == 0:
        return
    dots = np.sum(got * want, axis=-2, keepdims=True)
    signs = np.where(dots < 0, -1.0, 1.0)
    np.testing.assert_allclose(got * signs, want, rtol=0,
                               atol=100 * rtol)


# ---------------------------------------------------------------- inv

SQUARE_NS = [1, 2, 3, 4, 5, 6, 7, 8, 9]


@pytest.mark.parametrize("n", SQUARE_NS)
@pytest.mark.parametrize("dtype", DTYPES)
@over_chunks()
def test_inv_square(n, dtype, session, chunk_size):
    a = _square(n, dtype, seed=n)
    want = np.linalg.inv(a)
    got = _one(mt.linalg.inv(to_mt(a, chunk_size)), session)
    _close(got, want, _result_dtype(dtype))


@pytest.mark.parametrize("shape,chunks", [
    ((3, 4, 4), (2, 3, 3)), ((5, 3, 3), (2, 2, 2)),
    ((2, 3, 5, 5), (1, 2, 2, 3)),
    ((4, 1, 2, 2), (3, 1, 1, 1)), ((1, 6, 6), (1, 4, 4)),
], ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
def test_inv_stacks(shape, chunks, dtype, session):
    a = _square(shape[-1], dtype, seed=3, batch=shape[:-2])
    want = np.linalg.inv(a)
    got = _one(mt.linalg.inv(mt.tensor(a, chunk_size=chunks)), session)
    _close(got, want, _result_dtype(dtype))


@pytest.mark.parametrize("shape", [(0, 0), (0, 3, 3), (2, 0, 4, 4),
                                   (3, 0, 0)], ids=repr)
def test_inv_empty(shape, session):
    a = np.zeros(shape)
    want = np.linalg.inv(a)
    got = _one(mt.linalg.inv(to_mt(a)), session)
    _close(got, want)


def test_inv_ill_conditioned(session):
    a = sla.hilbert(6)
    want = np.linalg.inv(a)
    got = _one(mt.linalg.inv(to_mt(a, 2)), session)
    # cond(hilbert(6)) ~ 1.5e7: expect ~1e-9 relative agreement.
    _close(got, want, rtol=1e-6)
    np.testing.assert_allclose(a @ got, np.eye(6), atol=1e-6)


@pytest.mark.parametrize("a", [
    np.ones((3, 3)), np.array([[1.0, 2.0], [2.0, 4.0]]), np.zeros((1, 1)),
    np.array([[1, 2], [2, 4]]), np.zeros((4, 4)),
    np.array([[0.0, 0.0], [0.0, 1.0]]),
], ids=["ones", "rank1", "zero1x1", "int_rank1", "zeros", "zero_col"])
@pytest.mark.parametrize("cs", [1, None])
def test_inv_singular(a, cs, session):
    _raises(LinAlgError, lambda: mt.linalg.inv(to_mt(a, cs)), session,
            match="^Singular matrix$")


def test_inv_singular_in_stack(session):
    a = _square(3, "float64", 1, batch=(4,))
    a[2] = 1.0
    with pytest.raises(LinAlgError):
        np.linalg.inv(a)
    _raises(LinAlgError, lambda: mt.linalg.inv(to_mt(a, 2)), session,
            match="Singular matrix")


@pytest.mark.parametrize("shape", [(3,), (), (2, 3), (3, 2), (2, 2, 3)],
                         ids=repr)
def test_inv_shape_errors(shape, session):
    a = np.ones(shape)
    with pytest.raises(LinAlgError):
        np.linalg.inv(a)
    _raises(LinAlgError, lambda: mt.linalg.inv(to_mt(a)), session)


# ---------------------------------------------------------------- solve

@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("bshape", ["vec", 1, 3])
@pytest.mark.parametrize("dtype", DTYPES)
@over_chunks()
def test_solve(n, bshape, dtype, session, chunk_size):
    a = _square(n, dtype, seed=n)
    b = _general((n,) if bshape == "vec" else (n, bshape), dtype, seed=7)
    want = np.linalg.solve(a, b)
    got = _one(mt.linalg.solve(to_mt(a, chunk_size), to_mt(b, chunk_size)),
               session)
    _close(got, want, _result_dtype(dtype))


@pytest.mark.parametrize("adt,bdt", [("float32", "float64"),
                                     ("int32", "float32"),
                                     ("bool", "int64"),
                                     ("float64", "int32")])
def test_solve_mixed_dtypes(adt, bdt, session):
    a = _square(4, adt, seed=2)
    b = _general((4, 2), bdt, seed=3)
    want = np.linalg.solve(a, b)
    got = _one(mt.linalg.solve(to_mt(a, 3), to_mt(b, 3)), session)
    _close(got, want, np.result_type(want))


@pytest.mark.parametrize("ashape,bshape,achunks,bchunks", [
    ((3, 4, 4), (3, 4, 2), 3, 3),           # stacks of matrices
    ((3, 4, 4), (3, 4), 2, 2),              # numpy 1.x: b of ndim a.ndim-1
                                            # is a stack of vectors
    ((2, 1, 3, 3), (1, 5, 3, 2), 2, 2),     # broadcast batch dimensions
    ((3, 3), (2, 4, 3, 1), 2, 3),           # one a, a stack of b
    ((5, 2, 2), (1, 2, 3), 3, 1),           # a stack, one b
    ((2, 3, 5, 5), (2, 3, 5), (1, 2, 3, 2), (1, 2, 3)),
    ((0, 3, 3), (0, 3), None, None),
    ((0, 3, 3), (0, 3, 2), None, None),
    ((2, 0, 4, 4), (2, 0, 4, 1), None, None),
    ((0, 0), (0,), None, None),
    ((0, 0), (0, 3), None, None),
    ((3, 3), (3, 0), None, None),
], ids=repr)
def test_solve_stacks_and_broadcasting(ashape, bshape, achunks, bchunks,
                                       session):
    a = _square(ashape[-1], "float64", seed=4, batch=ashape[:-2])
    b = _general(bshape, "float64", seed=5)
    want = np.linalg.solve(a, b)
    got = _one(mt.linalg.solve(to_mt(a, achunks), to_mt(b, bchunks)),
               session)
    _close(got, want)


def test_solve_ill_conditioned(session):
    a = sla.hilbert(7)
    x = np.arange(1.0, 8.0)
    b = a @ x
    want = np.linalg.solve(a, b)
    got = _one(mt.linalg.solve(to_mt(a, 3), to_mt(b, 3)), session)
    np.testing.assert_allclose(got, want, rtol=1e-5)
    np.testing.assert_allclose(a @ got, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("a", [np.ones((3, 3)), np.zeros((2, 2)),
                               np.array([[1, 2], [2, 4]])],
                         ids=["ones", "zeros", "int_rank1"])
@pytest.mark.parametrize("cs", [1, None])
def test_solve_singular(a, cs, session):
    b = np.ones(a.shape[0])
    _raises(LinAlgError, lambda: mt.linalg.solve(to_mt(a, cs), to_mt(b, cs)),
            session, match="^Singular matrix$")


@pytest.mark.parametrize("ashape,bshape,exc", [
    ((3,), (3,), LinAlgError),
    ((2, 3), (2,), LinAlgError),
    ((3, 2), (3,), LinAlgError),
    ((3, 3), (4,), ValueError),
    ((3, 3), (4, 2), ValueError),
    ((3, 3), (), ValueError),
    ((2, 3, 3), (3, 3, 1), ValueError),
], ids=repr)
def test_solve_errors(ashape, bshape, exc, session):
    a = np.eye(*ashape[-2:]) if len(ashape) >= 2 else np.ones(ashape)
    a = np.broadcast_to(a, ashape).copy()
    b = np.ones(bshape)
    with pytest.raises(exc):
        np.linalg.solve(a, b)
    _raises(exc, lambda: mt.linalg.solve(to_mt(a), to_mt(b)), session)


# ------------------------------------------------------- solve_triangular

@pytest.mark.parametrize("n", [1, 2, 4, 7])
@pytest.mark.parametrize("lower", [False, True])
@pytest.mark.parametrize("trans", [0, 1, 2, "N", "T", "C"])
@pytest.mark.parametrize("unit_diagonal", [False, True])
@pytest.mark.parametrize("bshape", ["vec", 3])
def test_solve_triangular(n, lower, trans, unit_diagonal, bshape, session):
    # The triangle not named by lower, and the diagonal when unit_diagonal,
    # hold garbage that scipy never reads.
    a = _general((n, n), "float64", seed=n) + 2 * n * np.eye(n)
    if unit_diagonal:
        a[np.arange(n), np.arange(n)] = 1e3
    b = _general((n,) if bshape == "vec" else (n, bshape), "float64", 9)
    want = sla.solve_triangular(a, b, trans=trans, lower=lower,
                                unit_diagonal=unit_diagonal)
    got = _one(mt.linalg.solve_triangular(
        to_mt(a, 3), to_mt(b, 3), trans=trans, lower=lower,
        unit_diagonal=unit_diagonal), session)
    _close(got, want)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("lower", [False, True])
@over_chunks()
def test_solve_triangular_dtypes(dtype, lower, session, chunk_size):
    a = _square(6, dtype, seed=5)
    if dtype == "bool":
        a = a.T if lower else a
    b = _general((6, 2), dtype, seed=6)
    want = sla.solve_triangular(a, b, lower=lower)
    got = _one(mt.linalg.solve_triangular(to_mt(a, chunk_size),
                                          to_mt(b, chunk_size), lower=lower),
               session)
    if dtype == "bool":
        # scipy 1.10 picks float32 LAPACK for bool input; numpy.linalg's
        # rule (bools computed as float64) is the one expected of Mars.
        want = want.astype(np.float64)
    _close(got, want, _result_dtype(dtype))


@pytest.mark.parametrize("lower", [False, True])
def test_solve_triangular_singular(lower, session):
    a = np.triu(np.ones((4, 4)))
    a[2, 2] = 0.0
    if lower:
        a = a.T
    b = np.ones(4)
    with pytest.raises(LinAlgError):
        sla.solve_triangular(a, b, lower=lower)
    _raises(LinAlgError, lambda: mt.linalg.solve_triangular(
        to_mt(a, 2), to_mt(b, 2), lower=lower), session)


def test_solve_triangular_unit_diagonal_ignores_zero_diagonal(session):
    a = np.triu(_general((5, 5), seed=3), 1)   # zero diagonal
    b = _general((5,), seed=4)
    want = sla.solve_triangular(a, b, unit_diagonal=True)
    got = _one(mt.linalg.solve_triangular(to_mt(a, 2), to_mt(b, 2),
                                          unit_diagonal=True), session)
    _close(got, want)


@pytest.mark.parametrize("ashape,bshape", [
    ((2, 3), (2,)),
    ((3, 3), (4,)), ((3, 3), (2, 2))], ids=repr)
def test_solve_triangular_shape_errors(ashape, bshape, session):
    a = np.ones(ashape)
    b = np.ones(bshape)
    with pytest.raises(ValueError):
        sla.solve_triangular(a, b)
    _raises(ValueError, lambda: mt.linalg.solve_triangular(to_mt(a),
                                                           to_mt(b)),
            session)


# ---------------------------------------------------------------- cholesky

@pytest.mark.parametrize("n", SQUARE_NS)
@pytest.mark.parametrize("dtype", DTYPES)
@over_chunks()
def test_cholesky(n, dtype, session, chunk_size):
    a = _spd(n, dtype, seed=n)
    want = np.linalg.cholesky(a)
    got = _one(mt.linalg.cholesky(to_mt(a, chunk_size)), session)
    _close(got, want, _result_dtype(dtype))


@pytest.mark.parametrize("n", [1, 3, 6])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
@over_chunks()
def test_cholesky_upper(n, dtype, session, chunk_size):
    # numpy 2: upper=True gives the upper factor U = L^H, A = U^H U.
    a = _spd(n, dtype, seed=n + 10)
    want = np.swapaxes(np.linalg.cholesky(a), -1, -2)
    got = _one(mt.linalg.cholesky(to_mt(a, chunk_size), upper=True), session)
    _close(got, want, _result_dtype(dtype))


def test_cholesky_reads_the_lower_triangle_only(session):
    # numpy: "only the lower-triangular and diagonal elements of a are used".
    a = _spd(6, seed=1)
    a[np.triu_indices(6, 1)] = 1e6
    want = np.linalg.cholesky(a)
    got = _one(mt.linalg.cholesky(to_mt(a, 4)), session)
    _close(got, want)


@pytest.mark.parametrize("shape,chunks", [
    ((3, 4, 4), (2, 3, 3)), ((2, 3, 5, 5), (1, 2, 2, 3)),
    ((5, 2, 2), (3, 2, 1)),
], ids=repr)
def test_cholesky_stacks(shape, chunks, session):
    a = _spd(shape[-1], "float64", seed=2, batch=shape[:-2])
    want = np.linalg.cholesky(a)
    got = _one(mt.linalg.cholesky(mt.tensor(a, chunk_size=chunks)), session)
    _close(got, want)
    got = _one(mt.linalg.cholesky(mt.tensor(a, chunk_size=chunks),
                                  upper=True), session)
    _close(got, _mT(want))


@pytest.mark.parametrize("shape", [(0, 0), (0, 2, 2), (3, 0, 0),
                                   (2, 0, 3, 3)], ids=repr)
def test_cholesky_empty(shape, session):
    a = np.zeros(shape)
    want = np.linalg.cholesky(a)
    got = _one(mt.linalg.cholesky(to_mt(a)), session)
    _close(got, want)


@pytest.mark.parametrize("a", [
    -np.eye(3), np.zeros((2, 2)), np.array([[1.0, 2.0], [2.0, 1.0]]),
    np.array([[4.0, 0, 0], [0, 1, 0], [0, 0, -1e-3]]),
    np.array([[-1]]),
], ids=["neg_eye", "zeros", "indefinite", "last_pivot", "int_neg"])
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_not_positive_definite(a, upper, session):
    with pytest.raises(LinAlgError, match="Matrix is not positive definite"):
        np.linalg.cholesky(a)
    kw = {"upper": True} if upper else {}
    _raises(LinAlgError, lambda: mt.linalg.cholesky(to_mt(a, 2), **kw),
            session, match="^Matrix is not positive definite$")


def test_cholesky_not_positive_definite_in_stack(session):
    a = _spd(3, seed=1, batch=(5,))
    a[3] = -np.eye(3)
    _raises(LinAlgError, lambda: mt.linalg.cholesky(to_mt(a, 2)), session,
            match="Matrix is not positive definite")


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 4, 3)], ids=repr)
def test_cholesky_shape_errors(shape, session):
    with pytest.raises(LinAlgError):
        np.linalg.cholesky(np.ones(shape))
    _raises(LinAlgError, lambda: mt.linalg.cholesky(mt.ones(shape)), session)


# ---------------------------------------------------------- det / slogdet

@pytest.mark.parametrize("n", SQUARE_NS)
@pytest.mark.parametrize("dtype", DTYPES)
@over_chunks()
def test_det_and_slogdet(n, dtype, session, chunk_size):
    # Not diagonally dominant: random matrices with either sign of det
    # (and, for the integers and bools, an integral |det| >= 1).
    seed = n + 20
    while True:
        a = _general((n, n), dtype, seed=seed)
        if abs(np.linalg.det(a)) > 0.5:
            break
        seed += 100
    want = np.linalg.det(a)
    want_sign, want_log = np.linalg.slogdet(a)
    t = to_mt(a, chunk_size)
    d = mt.linalg.det(t)
    sign, logdet = mt.linalg.slogdet(t)
    got, got_sign, got_log = _fetch(d, sign, logdet, session=session)
    rdt = _result_dtype(dtype)
    _close(got, want, rdt, scale=abs(float(want)))
    _close(got_sign, want_sign, rdt)
    _close(got_log, want_log, rdt, scale=max(1.0, abs(want_log)))


@pytest.mark.parametrize("shape,chunks", [
    ((3, 4, 4), (2, 3, 3)), ((2, 3, 5, 5), (1, 2, 2, 3)),
    ((7, 2, 2), (3, 1, 2)), ((4, 1, 1), (3, 1, 1)),
], ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_det_stacks(shape, chunks, dtype, session):
    a = _general(shape, dtype, seed=8)
    t = mt.tensor(a, chunk_size=chunks)
    got, s, l = _fetch(mt.linalg.det(t), *mt.linalg.slogdet(t),
                       session=session)
    ws, wl = np.linalg.slogdet(a)
    want = np.linalg.det(a)
    _close(got, want, scale=float(np.abs(want).max()))
    _close(s, ws)
    _close(l, wl)


@pytest.mark.parametrize("shape", [
    (0, 0), (0, 3, 3),
    (2, 0, 0), (2, 0, 4, 4),
], ids=repr)
def test_det_empty(shape, session):
    a = np.zeros(shape)
    t = to_mt(a)
    got, s, l = _fetch(mt.linalg.det(t), *mt.linalg.slogdet(t),
                       session=session)
    ws, wl = np.linalg.slogdet(a)
    _close(got, np.linalg.det(a))       # det of 0x0 is 1
    _close(s, ws)
    _close(l, wl)


@pytest.mark.parametrize("a", [
    np.ones((3, 3)), np.array([[1.0, 2.0], [2.0, 4.0]]), np.zeros((4, 4)),
    np.array([[1, 2], [2, 4]]), np.array([[0.0, 5.0], [0.0, 3.0]]),
], ids=["ones", "rank1", "zeros", "int_rank1", "zero_col"])
@pytest.mark.parametrize("cs", [1, None])
def test_det_singular(a, cs, session):
    # numpy: det 0, slogdet (0, -inf); no error.
    t = to_mt(a, cs)
    got, s, l = _fetch(mt.linalg.det(t), *mt.linalg.slogdet(t),
                       session=session)
    assert got == 0.0 and got.dtype == np.float64
    assert s == 0.0
    assert l == -np.inf


def test_slogdet_beyond_float_range(session):
    # det overflows to inf; slogdet's log|det| is finite.
    a = _square(9, seed=3) * 1e40
    ws, wl = np.linalg.slogdet(a)
    with np.errstate(over="ignore"):
        assert np.isinf(np.linalg.det(a))
    t = to_mt(a, 4)
    d, s, l = _fetch(mt.linalg.det(t), *mt.linalg.slogdet(t),
                     session=session)
    assert np.isinf(d)
    _close(s, ws)
    _close(l, wl)
    b = _square(9, seed=3) * 1e-40
    ws, wl = np.linalg.slogdet(b)
    d, s, l = _fetch(mt.linalg.det(to_mt(b, 4)),
                     *mt.linalg.slogdet(to_mt(b, 4)), session=session)
    assert d == 0.0
    _close(s, ws)
    _close(l, wl)


def test_det_negative_sign(session):
    a = np.array([[0.0, 1.0], [1.0, 0.0]])     # a permutation: det -1
    d, s, l = _fetch(mt.linalg.det(to_mt(a, 1)),
                     *mt.linalg.slogdet(to_mt(a, 1)), session=session)
    assert d == -1.0 and s == -1.0 and l == 0.0


@pytest.mark.parametrize("cs", [1, None])
def test_det_nan(cs, session):
    a = np.array([[np.nan, 1.0], [1.0, 1.0]])
    with np.errstate(all="ignore"):
        ws, wl = np.linalg.slogdet(a)
        assert np.isnan(np.linalg.det(a))
    d, s, l = _fetch(mt.linalg.det(to_mt(a, cs)),
                     *mt.linalg.slogdet(to_mt(a, cs)), session=session)
    assert np.isnan(d)
    assert np.isnan(s) == np.isnan(ws) and np.isnan(l) == np.isnan(wl)


@pytest.mark.parametrize("shape", [(3,), (2, 3), (3, 3, 2)], ids=repr)
def test_det_shape_errors(shape, session):
    with pytest.raises(LinAlgError):
        np.linalg.det(np.ones(shape))
    _raises(LinAlgError, lambda: mt.linalg.det(mt.ones(shape)), session)
    _raises(LinAlgError, lambda: mt.linalg.slogdet(mt.ones(shape)), session)


# ---------------------------------------------------------------- qr

QR_SHAPES = [(1, 1), (3, 3), (6, 6), (9, 9), (7, 5), (5, 7), (9, 4),
             (4, 9), (2, 1), (1, 3)]


def _check_qr(a, result, mode, rtol, full_rank=True):
    want = np.linalg.qr(a.astype(np.float64) if a.dtype.kind in "bi" else a,
                        mode=mode)
    if mode == "r":
        r = result[0]
        wr = want
        assert r.shape == wr.shape, (r.shape, wr.shape)
        assert r.dtype == wr.dtype, (r.dtype, wr.dtype)
    else:
        q, r = result
        wq, wr = want
        assert q.shape == wq.shape and r.shape == wr.shape, \
            (q.shape, r.shape, wq.shape, wr.shape)
        assert q.dtype == wq.dtype and r.dtype == wr.dtype, \
            (q.dtype, r.dtype, wq.dtype)
        _assert_orthonormal_columns(q, rtol)
        scale = max(1.0, float(np.abs(a).max())) if a.size else 1.0
        np.testing.assert_allclose(q.astype(np.float64) @ r, a,
                                   rtol=0, atol=10 * rtol * scale)
    # R is upper triangular (exact zeros below the diagonal).
    assert not np.any(np.tril(r, -1)), r
    if full_rank:
        _close(np.abs(r), np.abs(wr), rtol=rtol)


@pytest.mark.parametrize("shape", QR_SHAPES, ids=repr)
@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool"])
@over_chunks()
def test_qr(shape, mode, dtype, session, chunk_size):
    a = _general(shape, dtype, seed=shape[0] * 10 + shape[1])
    if dtype == "bool":
        # keep the leading min(m, n) columns independent
        k = min(shape)
        a[np.arange(k), np.arange(k)] = True
        a[:k, :k] = np.triu(a[:k, :k])
    res = mt.linalg.qr(to_mt(a, chunk_size), mode=mode)
    res = _fetch(*(res if mode != "r" else (res,)), session=session)
    _check_qr(a, res, mode, _rtol(_result_dtype(dtype)))


def test_qr_default_mode_is_reduced(session):
    a = _general((6, 3), seed=1)
    q, r = _fetch(*mt.linalg.qr(to_mt(a, 2)), session=session)
    assert q.shape == (6, 3) and r.shape == (3, 3)
    _check_qr(a, (q, r), "reduced", 1e-10)


@pytest.mark.parametrize("shape,chunks", [
    ((3, 6, 4), (2, 3, 4)), ((2, 2, 4, 6), (1, 2, 3, 3)),
    ((5, 3, 3), (2, 2, 2)), ((0, 4, 3), None), ((2, 0, 3, 2), None),
], ids=repr)
@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
def test_qr_stacks(shape, chunks, mode, session):
    a = _general(shape, seed=2)
    res = mt.linalg.qr(mt.tensor(a, chunk_size=chunks), mode=mode)
    res = _fetch(*(res if mode != "r" else (res,)), session=session)
    _check_qr(a, res, mode, 1e-10)


@pytest.mark.parametrize("shape", [(0, 0), (0, 3), (3, 0)], ids=repr)
@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
def test_qr_empty(shape, mode, session):
    a = np.zeros(shape)
    res = mt.linalg.qr(to_mt(a), mode=mode)
    res = _fetch(*(res if mode != "r" else (res,)), session=session)
    want = np.linalg.qr(a, mode=mode)
    want = want if mode != "r" else (want,)
    for g, w in zip(res, want):
        assert g.shape == w.shape and g.dtype == w.dtype


@pytest.mark.parametrize("shape,chunks", [
    ((1003, 7), (100, 7)),     # ragged last block of 3 rows (< n)
    ((200, 5), (64, 5)),       # last block of 8 rows
    ((200, 5), (3, 5)),        # every block smaller than n
    ((50, 5), (7, 5)),
    ((200, 5), (64, 2)),       # columns chunked too
    ((40, 8), (5, 3)),
    ((9, 9), (2, 9)),
], ids=repr)
@pytest.mark.parametrize("mode", ["reduced", "r"])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int32"])
def test_qr_tall_tsqr(shape, chunks, mode, dtype, session):
    a = _general(shape, dtype, seed=shape[0])
    res = mt.linalg.qr(mt.tensor(a, chunk_size=chunks), mode=mode)
    res = _fetch(*(res if mode != "r" else (res,)), session=session)
    _check_qr(a, res, mode, _rtol(_result_dtype(dtype)) * 10)


@pytest.mark.parametrize("chunks", [(64, 5), (3, 5)], ids=repr)
def test_qr_tall_complete(chunks, session):
    a = _general((200, 5), seed=4)
    res = _fetch(*mt.linalg.qr(mt.tensor(a, chunk_size=chunks),
                               mode="complete"), session=session)
    _check_qr(a, res, "complete", 1e-10)


@pytest.mark.parametrize("shape,chunks", [
    ((200, 5), (64, 5)), ((200, 5), (3, 5)), ((7, 5), 2), ((5, 7), 3),
], ids=repr)
def test_qr_rank_deficient(shape, chunks, session):
    a = _low_rank(shape[0], shape[1], 2, seed=5)
    res = _fetch(*mt.linalg.qr(mt.tensor(a, chunk_size=chunks)),
                 session=session)
    _check_qr(a, res, "reduced", 1e-10, full_rank=False)
    # the first two rows of R determine the rank-2 column space.
    _close(np.abs(res[1][:2, :2]), np.abs(np.linalg.qr(a)[1][:2, :2]))


def test_qr_errors(session):
    with pytest.raises(LinAlgError):
        np.linalg.qr(np.ones(3))
    _raises(LinAlgError, lambda: mt.linalg.qr(mt.ones(3)), session)
    with pytest.raises(ValueError):
        np.linalg.qr(np.ones((3, 3)), mode="bogus")
    _raises(ValueError, lambda: mt.linalg.qr(mt.ones((3, 3)), mode="bogus"),
            session)


@pytest.mark.parametrize("shape,dtype", [
    ((9000, 32), "float64"),     # two blocks of 4500 rows in the kernel
    ((20011, 32), "float64"),    # four blocks, the first three one longer
    ((20011, 32), "float32"),    # float32 computes in float64
    ((100003, 3), "float64"),    # few columns: blocks of 43690 rows
    ((30000, 200), "float64"),   # blocks of 4n rows
    ((8191, 32), "float64"),     # one row short of two blocks: factored whole
], ids=repr)
def test_qr_tall_one_chunk(shape, dtype, session):
    """A tall matrix in one chunk: the kernel factors blocks of its rows
    that fit in cache and then their stacked R factors (TSQR inside the
    kernel). Q and R are numpy's up to signs, Q is orthonormal, R's rows
    have numpy's magnitudes, and the R-only op gives the R of the op that
    forms Q (up to rounding: OpenBLAS's threads, which differ between the
    two programs, may round differently)."""
    a = _general(shape, dtype, seed=shape[0])
    t = mt.tensor(a, chunk_size=shape)
    q, r = _fetch(*mt.linalg.qr(t), session=session)
    (r_only,) = _fetch(mt.linalg.qr(t, mode="r"), session=session)
    _check_qr(a, (q, r), "reduced", _rtol(_result_dtype(dtype)) * 10)
    _close(r_only, r, rtol=_rtol(_result_dtype(dtype)))
    # Q^T Q = I within a small multiple of n * eps of float64.
    np.testing.assert_allclose(q.T.astype(np.float64) @ q, np.eye(shape[1]),
                               rtol=0, atol=shape[1] * 1e-14
                               if dtype == "float64" else 1e-6)


@pytest.mark.parametrize("shape,rows", [((30011, 32), 10000),
                                        ((20000, 8), 4096)], ids=repr)
def test_tsqr_of_blocks_factored_in_the_kernel(shape, rows, session):
    """TSQR whose row blocks are themselves TSQR'd inside the kernel: each
    block is factored twice (its R in the first pass, its Q in the second,
    both with a positive diagonal), and Q, R, U, S and Vh are numpy's up to
    signs. Rank-deficient matrices too: R's rows for dependent columns are
    rounding noise on the diagonal but not right of it, so the Q of the
    second pass must be the one that made the first pass's R (a column
    repeated in the middle, and a matrix of rank 3)."""
    repeated = _general(shape, seed=9)
    repeated[:, 2] = repeated[:, 0]
    for a in (_general(shape, seed=7), repeated,
              _low_rank(shape[0], shape[1], 3, seed=8)):
        t = mt.tensor(a, chunk_size=(rows, shape[1]))
        q, r = _fetch(*mt.linalg.qr(t), session=session)
        _check_qr(a, (q, r), "reduced", 1e-12,
                  full_rank=np.linalg.matrix_rank(a) == shape[1])
        u, s, vh = _fetch(*mt.linalg.svd(t, full_matrices=False),
                          session=session)
        want = np.linalg.svd(a, compute_uv=False)
        # Singular values under matrix_rank's tolerance are rounding noise
        # (exactly 0 for the rank-deficient matrices): numpy's own differ by
        # 1e-10 from one OpenBLAS kernel to another. Both must be under it.
        assert s.shape == want.shape and s.dtype == want.dtype, \
            (s.shape, s.dtype)
        tol = want[0] * max(shape) * np.finfo(np.float64).eps
        signal = want > tol
        _close(s[signal], want[signal], rtol=1e-12, scale=np.abs(a).max())
        assert np.abs(s[~signal]).max(initial=0) <= tol, (s[~signal], tol)
        np.testing.assert_allclose((u * s) @ vh, a, rtol=0,
                                   atol=1e-11 * np.abs(a).max())
        np.testing.assert_allclose(u.T @ u, np.eye(shape[1]), rtol=0,
                                   atol=1e-12)


# ---------------------------------------------------------------- svd

SVD_SHAPES = [(1, 1), (2, 2), (5, 5), (9, 9), (7, 5), (5, 7), (9, 3),
              (3, 9), (4, 1), (1, 4)]


def _check_svd(a, u, s, vh, full_matrices, rtol, cmp_vectors=True):
    af = a.astype(np.float64)
    wu, ws, wvh = np.linalg.svd(a, full_matrices=full_matrices)
    assert u.shape == wu.shape and s.shape == ws.shape and \
        vh.shape == wvh.shape, (u.shape, s.shape, vh.shape, wu.shape,
                                wvh.shape)
    assert u.dtype == wu.dtype and s.dtype == ws.dtype and \
        vh.dtype == wvh.dtype, (u.dtype, s.dtype, vh.dtype, ws.dtype)
    smax = float(ws.max()) if ws.size else 1.0
    _close(s, ws, rtol=rtol, scale=max(smax, 1.0))
    _assert_orthonormal_columns(u, rtol)
    _assert_orthonormal_columns(_mT(vh), rtol)
    k = s.shape[-1]
    rec = (u[..., :, :k] * s[..., None, :]).astype(np.float64) @ \
        vh[..., :k, :]
    np.testing.assert_allclose(rec, af, rtol=0,
                               atol=10 * rtol * max(1.0, smax))
    if cmp_vectors:
        # distinct singular values: vectors unique up to one sign per pair
        _assert_sign_equal_columns(u[..., :, :k], wu[..., :, :k], rtol)
        _assert_sign_equal_columns(_mT(vh)[..., :, :k],
                                   _mT(wvh)[..., :, :k], rtol)
        # and the signs of u_i and v_i go together
        pu = np.sign(np.sum(u[..., :, :k] * wu[..., :, :k], axis=-2))
        pv = np.sign(np.sum(vh[..., :k, :] * wvh[..., :k, :], axis=-1))
        np.testing.assert_array_equal(pu, pv)


@pytest.mark.parametrize("shape", SVD_SHAPES, ids=repr)
@pytest.mark.parametrize("full_matrices", [True, False])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool"])
@over_chunks()
def test_svd(shape, full_matrices, dtype, session, chunk_size):
    a = _general(shape, dtype, seed=shape[0] * 10 + shape[1] + 1)
    if dtype == "bool":
        a[0, 0] = True
    u, s, vh = _fetch(*mt.linalg.svd(to_mt(a, chunk_size),
                                     full_matrices=full_matrices),
                      session=session)
    ws = np.linalg.svd(a, compute_uv=False)
    distinct = ws.size < 2 or np.min(-np.diff(ws)) > 1e-3 * ws[0]
    _check_svd(a, u, s, vh, full_matrices, _rtol(_result_dtype(dtype)),
               cmp_vectors=distinct and ws[-1] > 1e-3 * ws[0])


@pytest.mark.parametrize("shape", SVD_SHAPES, ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int32"])
@over_chunks()
def test_svd_values_only(shape, dtype, session, chunk_size):
    a = _general(shape, dtype, seed=shape[0] * 10 + shape[1] + 2)
    want = np.linalg.svd(a, compute_uv=False)
    got = _one(mt.linalg.svd(to_mt(a, chunk_size), compute_uv=False),
               session)
    _close(got, want, scale=float(want.max()))


def test_svd_defaults(session):
    a = _general((6, 4), seed=3)
    res = mt.linalg.svd(to_mt(a, 2))
    u, s, vh = _fetch(*res, session=session)
    assert u.shape == (6, 6) and vh.shape == (4, 4)    # full_matrices=True
    _check_svd(a, u, s, vh, True, 1e-10)


@pytest.mark.parametrize("shape,chunks", [
    ((3, 6, 4), (2, 3, 4)), ((2, 2, 4, 6), (1, 2, 3, 3)),
    ((5, 3, 3), (2, 2, 2)),
], ids=repr)
@pytest.mark.parametrize("full_matrices", [True, False])
def test_svd_stacks(shape, chunks, full_matrices, session):
    a = _general(shape, seed=5)
    t = mt.tensor(a, chunk_size=chunks)
    u, s, vh = _fetch(*mt.linalg.svd(t, full_matrices=full_matrices),
                      session=session)
    _check_svd(a, u, s, vh, full_matrices, 1e-10, cmp_vectors=False)
    s2 = _one(mt.linalg.svd(t, compute_uv=False), session)
    _close(s2, np.linalg.svd(a, compute_uv=False))


@pytest.mark.parametrize("shape,full_matrices", [
    ((0, 0), True), ((0, 0), False),
    ((0, 3), True), ((0, 3), False),
    ((3, 0), True), ((3, 0), False),
    ((0, 4, 3), True), ((0, 4, 3), False),
    ((2, 0, 2, 3), True), ((2, 0, 2, 3), False),
], ids=repr)
def test_svd_empty(shape, full_matrices, session):
    a = np.zeros(shape)
    want = np.linalg.svd(a, full_matrices=full_matrices)
    got = _fetch(*mt.linalg.svd(to_mt(a), full_matrices=full_matrices),
                 session=session)
    for g, w in zip(got, want):
        assert g.shape == w.shape and g.dtype == w.dtype, (g.shape, w.shape)
    u, _, vh = got
    # U and Vh are unitary (numpy gives identities here)
    _assert_orthonormal_columns(u, 1e-12)
    _assert_orthonormal_columns(_mT(vh), 1e-12)
    s = _one(mt.linalg.svd(to_mt(a), compute_uv=False), session)
    assert s.shape == want[1].shape


@pytest.mark.parametrize("shape,chunks", [
    ((1003, 7), (100, 7)), ((200, 5), (64, 5)), ((200, 5), (3, 5)),
    ((50, 5), (7, 5)), ((200, 5), (64, 2)), ((40, 8), (5, 3)),
], ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int32"])
def test_svd_tall_tsqr(shape, chunks, dtype, session):
    a = _general(shape, dtype, seed=shape[0] + 1)
    t = mt.tensor(a, chunk_size=chunks)
    rtol = _rtol(_result_dtype(dtype)) * 10
    u, s, vh = _fetch(*mt.linalg.svd(t, full_matrices=False),
                      session=session)
    _check_svd(a, u, s, vh, False, rtol, cmp_vectors=False)
    s2 = _one(mt.linalg.svd(t, compute_uv=False), session)
    _close(s2, np.linalg.svd(a, compute_uv=False), rtol=rtol)


def test_svd_tall_full_matrices(session):
    a = _general((200, 5), seed=6)
    u, s, vh = _fetch(*mt.linalg.svd(mt.tensor(a, chunk_size=(64, 5))),
                      session=session)
    _check_svd(a, u, s, vh, True, 1e-10, cmp_vectors=False)


@pytest.mark.parametrize("shape,chunks", [
    ((8, 8), 3), ((9, 5), 2), ((5, 9), 2), ((200, 5), (64, 5)),
], ids=repr)
def test_svd_rank_deficient(shape, chunks, session):
    a = _low_rank(shape[0], shape[1], 2, seed=7)
    ws = np.linalg.svd(a, compute_uv=False)
    t = mt.tensor(a, chunk_size=chunks)
    u, s, vh = _fetch(*mt.linalg.svd(t, full_matrices=False),
                      session=session)
    _check_svd(a, u, s, vh, False, 1e-10, cmp_vectors=False)
    assert np.all(s[2:] <= 1e-12 * ws[0])
    s2 = _one(mt.linalg.svd(t, compute_uv=False), session)
    _close(s2, ws, scale=ws[0])


def test_svd_ill_conditioned(session):
    a = sla.hilbert(8)
    ws = np.linalg.svd(a, compute_uv=False)
    s = _one(mt.linalg.svd(to_mt(a, 3), compute_uv=False), session)
    np.testing.assert_allclose(s, ws, rtol=0, atol=1e-14)
    np.testing.assert_allclose(s[:4], ws[:4], rtol=1e-10)


def test_svd_errors(session):
    with pytest.raises(LinAlgError):
        np.linalg.svd(np.ones(3))
    _raises(LinAlgError, lambda: mt.linalg.svd(mt.ones(3)), session)


def test_svd_nan_does_not_converge(session):
    a = np.array([[np.nan, 0.0], [0.0, 1.0]])
    with pytest.raises(LinAlgError, match="SVD did not converge"):
        np.linalg.svd(a)
    _raises(LinAlgError, lambda: mt.linalg.svd(to_mt(a)), session,
            match="SVD did not converge")


# ------------------------------------------------------ eigh / eigvalsh

def _check_eigh(a, w, v, uplo, rtol, cmp_vectors=True):
    ww, wv = np.linalg.eigh(a, UPLO=uplo)
    assert w.shape == ww.shape and v.shape == wv.shape, \
        (w.shape, v.shape, ww.shape)
    assert w.dtype == ww.dtype and v.dtype == wv.dtype, (w.dtype, ww.dtype)
    scale = max(1.0, float(np.abs(ww).max())) if ww.size else 1.0
    _close(w, ww, rtol=rtol, scale=scale)
    _assert_orthonormal_columns(v, rtol)
    # the matrix eigh reads: the UPLO triangle mirrored
    af = a.astype(np.float64)
    if uplo == "L":
        h = np.tril(af) + _mT(np.tril(af, -1))
    else:
        h = np.triu(af) + _mT(np.triu(af, 1))
    np.testing.assert_allclose(h @ v, v * w[..., None, :], rtol=0,
                               atol=10 * rtol * scale)
    if cmp_vectors:
        _assert_sign_equal_columns(v, wv, rtol)


@pytest.mark.parametrize("n", SQUARE_NS)
@pytest.mark.parametrize("uplo", ["L", "U"])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool"])
@over_chunks()
def test_eigh(n, uplo, dtype, session, chunk_size):
    # not symmetric: only the UPLO triangle may be read
    a = _general((n, n), dtype, seed=n + 30)
    t = to_mt(a, chunk_size)
    w, v = mt.linalg.eigh(t, UPLO=uplo)
    w2 = mt.linalg.eigvalsh(t, UPLO=uplo)
    w, v, w2 = _fetch(w, v, w2, session=session)
    rtol = _rtol(_result_dtype(dtype))
    ww = np.linalg.eigvalsh(a, UPLO=uplo)
    distinct = n < 2 or np.min(np.diff(ww)) > 1e-3 * max(1, abs(ww).max())
    _check_eigh(a, w, v, uplo, rtol, cmp_vectors=distinct and
                dtype != "float32")
    _close(w2, ww, rtol=rtol, scale=max(1.0, abs(ww).max()))


def test_eigh_default_uplo_is_lower(session):
    a = _general((5, 5), seed=2)
    w, v = _fetch(*mt.linalg.eigh(to_mt(a, 2)), session=session)
    _check_eigh(a, w, v, "L", 1e-10)
    _close(_one(mt.linalg.eigvalsh(to_mt(a, 2)), session),
           np.linalg.eigvalsh(a))


@pytest.mark.parametrize("a", [np.eye(4), np.diag([1.0, 1.0, 2.0, 2.0, 3.0]),
                               np.ones((4, 4)), np.zeros((3, 3))],
                         ids=["eye", "repeated", "ones", "zeros"])
def test_eigh_repeated_eigenvalues(a, session):
    w, v = _fetch(*mt.linalg.eigh(to_mt(a, 2)), session=session)
    _check_eigh(a, w, v, "L", 1e-10, cmp_vectors=False)


@pytest.mark.parametrize("shape,chunks", [
    ((3, 4, 4), (2, 3, 3)), ((2, 3, 5, 5), (1, 2, 2, 3)),
    ((5, 2, 2), (3, 1, 2)),
], ids=repr)
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_stacks(shape, chunks, uplo, session):
    a = _general(shape, seed=3)
    t = mt.tensor(a, chunk_size=chunks)
    w, v, w2 = _fetch(*mt.linalg.eigh(t, UPLO=uplo),
                      mt.linalg.eigvalsh(t, UPLO=uplo), session=session)
    _check_eigh(a, w, v, uplo, 1e-10, cmp_vectors=False)
    _close(w2, np.linalg.eigvalsh(a, UPLO=uplo))


@pytest.mark.parametrize("shape", [(0, 0), (0, 3, 3), (2, 0, 0)], ids=repr)
def test_eigh_empty(shape, session):
    a = np.zeros(shape)
    ww, wv = np.linalg.eigh(a)
    w, v, w2 = _fetch(*mt.linalg.eigh(to_mt(a)), mt.linalg.eigvalsh(to_mt(a)),
                      session=session)
    assert w.shape == ww.shape and v.shape == wv.shape and \
        w2.shape == ww.shape
    assert w.dtype == ww.dtype and v.dtype == wv.dtype


def test_eigh_errors(session):
    with pytest.raises(ValueError):
        np.linalg.eigh(np.eye(2), UPLO="X")
    _raises(ValueError, lambda: mt.linalg.eigh(mt.eye(2), UPLO="X"), session)
    _raises(ValueError, lambda: mt.linalg.eigvalsh(mt.eye(2), UPLO="X"),
            session)
    for shape in [(3,), (2, 3)]:
        with pytest.raises(LinAlgError):
            np.linalg.eigh(np.ones(shape))
        _raises(LinAlgError, lambda: mt.linalg.eigh(mt.ones(shape)), session)
        _raises(LinAlgError, lambda: mt.linalg.eigvalsh(mt.ones(shape)),
                session)


# ---------------------------------------------------------------- lu

LU_SHAPES = [(1, 1), (2, 2), (4, 4), (7, 7), (9, 9), (7, 5), (5, 7),
             (9, 2), (2, 9), (1, 4), (4, 1)]


@pytest.mark.parametrize("shape", LU_SHAPES, ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
@over_chunks()
def test_lu(shape, dtype, session, chunk_size):
    a = _general(shape, dtype, seed=shape[0] * 10 + shape[1] + 3)
    if dtype == "int64":
        # distinct magnitudes in every column, so no ties among pivots
        a = a * 1000 + np.arange(a.size).reshape(shape)
    wp, wl, wu = sla.lu(a)
    p, l, u = _fetch(*mt.linalg.lu(to_mt(a, chunk_size)), session=session)
    rdt = _result_dtype(dtype)
    assert p.dtype == wp.dtype and l.dtype == wl.dtype and \
        u.dtype == wu.dtype, (p.dtype, l.dtype, u.dtype, wp.dtype)
    assert_same(p, wp, check_dtype=False)
    _close(l, wl, rtol=_rtol(rdt))
    _close(u, wu, rtol=_rtol(rdt))
    assert np.all(np.diag(l) == 1) and not np.any(np.triu(l, 1))
    assert not np.any(np.tril(u, -1))


@pytest.mark.parametrize("shape", LU_SHAPES, ids=repr)
@over_chunks()
def test_lu_permute_l(shape, session, chunk_size):
    a = _general(shape, seed=shape[0] * 10 + shape[1] + 4)
    wpl, wu = sla.lu(a, permute_l=True)
    res = mt.linalg.lu(to_mt(a, chunk_size), permute_l=True)
    assert len(res) == 2
    pl, u = _fetch(*res, session=session)
    _close(pl, wpl)
    _close(u, wu)


@pytest.mark.parametrize("a", [
    _low_rank(5, 5, 2, seed=1),
    np.array([[1.0, 2.0], [2.0, 4.0]]),
    np.array([[0.0, 0.0], [0.0, 0.0]]),
    np.array([[0.0, 1.0], [2.0, 3.0]]),
    np.eye(4, dtype=bool),
], ids=["rank2", "rank1", "zeros", "needs_pivot", "bool_eye"])
def test_lu_singular_and_pivoting(a, session):
    wp, wl, wu = sla.lu(a)
    p, l, u = _fetch(*mt.linalg.lu(to_mt(a, 2)), session=session)
    np.testing.assert_allclose(p @ l @ u, a, atol=1e-12)
    assert_same(p, wp, check_dtype=False)
    _close(l, wl)
    _close(u, wu)


# ---------------------------------------------------------------- pinv

PINV_SHAPES = [(1, 1), (3, 3), (7, 5), (5, 7), (9, 2), (2, 9), (8, 8)]


@pytest.mark.parametrize("shape", PINV_SHAPES, ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool"])
@over_chunks()
def test_pinv(shape, dtype, session, chunk_size):
    a = _general(shape, dtype, seed=shape[0] + 40)
    if dtype == "bool":
        a[0, 0] = True
    want = np.linalg.pinv(a)
    got = _one(mt.linalg.pinv(to_mt(a, chunk_size)), session)
    rdt = _result_dtype(dtype)
    _close(got, want, rdt, rtol=_rtol(rdt) * (100 if rdt == np.float32
                                               else 10))


@pytest.mark.parametrize("shape,rank", [((6, 6), 3), ((8, 5), 2),
                                        ((5, 8), 1), ((7, 7), 6)], ids=repr)
@pytest.mark.parametrize("cs", [2, 3, None])
def test_pinv_rank_deficient(shape, rank, cs, session):
    a = _low_rank(shape[0], shape[1], rank, seed=shape[0])
    want = np.linalg.pinv(a, rcond=1e-10)
    got = _one(mt.linalg.pinv(to_mt(a, cs), rcond=1e-10), session)
    _close(got, want, rtol=1e-8)
    # Moore-Penrose conditions
    np.testing.assert_allclose(a @ got @ a, a, atol=1e-9)
    np.testing.assert_allclose(got @ a @ got, got, atol=1e-9)


@pytest.mark.parametrize("rcond", [1e-15, 1e-3, 0.5, 0.0])
def test_pinv_rcond(rcond, session):
    a = _with_singular_values(6, 4, [10.0, 3.0, 0.02, 1e-6], seed=1)
    want = np.linalg.pinv(a, rcond=rcond)
    got = _one(mt.linalg.pinv(to_mt(a, 3), rcond=rcond), session)
    _close(got, want, rtol=1e-8)


def test_pinv_hermitian(session):
    a = _spd(5, seed=3) - 3 * np.eye(5)
    want = np.linalg.pinv(a, hermitian=True)
    got = _one(mt.linalg.pinv(to_mt(a, 2), hermitian=True), session)
    _close(got, want, rtol=1e-9)


@pytest.mark.parametrize("shape,chunks", [
    ((3, 6, 4), (2, 3, 4)), ((2, 2, 4, 6), (1, 2, 3, 3)),
], ids=repr)
def test_pinv_stacks(shape, chunks, session):
    a = _general(shape, seed=5)
    want = np.linalg.pinv(a)
    got = _one(mt.linalg.pinv(mt.tensor(a, chunk_size=chunks)), session)
    _close(got, want, rtol=1e-9)


@pytest.mark.parametrize("shape", [(0, 0), (0, 3), (3, 0), (2, 0, 3),
                                   (0, 2, 2)], ids=repr)
def test_pinv_empty(shape, session):
    a = np.zeros(shape)
    want = np.linalg.pinv(a)
    got = _one(mt.linalg.pinv(to_mt(a)), session)
    _close(got, want)


def test_pinv_zero_matrix(session):
    a = np.zeros((3, 4))
    got = _one(mt.linalg.pinv(to_mt(a, 2)), session)
    _close(got, np.linalg.pinv(a))


def test_pinv_tall_tsqr(session):
    a = _general((200, 5), seed=9)
    want = np.linalg.pinv(a)
    got = _one(mt.linalg.pinv(mt.tensor(a, chunk_size=(64, 5))), session)
    _close(got, want, rtol=1e-9)


# ---------------------------------------------------------------- lstsq

def _check_lstsq(a, b, res, rcond, rtol):
    wx, wres, wrank, ws = np.linalg.lstsq(a, b, rcond=rcond)
    x, r, rank, s = res
    _close(x, wx, rtol=rtol)
    assert r.shape == wres.shape, (r.shape, wres.shape)
    assert r.dtype == wres.dtype, (r.dtype, wres.dtype)
    if wres.size:
        _close(r, wres, rtol=rtol * 100,
               scale=max(1.0, float(np.sum(np.asarray(b, float) ** 2))))
    assert int(rank) == int(wrank), (rank, wrank)
    assert np.ndim(rank) == 0
    _close(s, ws, rtol=rtol, scale=max(1.0, float(ws.max()) if ws.size
                                       else 1.0))


@pytest.mark.parametrize("ashape", [(7, 5), (5, 5), (5, 7), (9, 2), (1, 1),
                                    (3, 1), (1, 3)], ids=repr)
@pytest.mark.parametrize("bcols", ["vec", 1, 3])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
@over_chunks()
def test_lstsq(ashape, bcols, dtype, session, chunk_size):
    a = _general(ashape, dtype, seed=ashape[0] + 50)
    if dtype == "int64":
        a = a + np.eye(*ashape, dtype=dtype) * 20
    b = _general((ashape[0],) if bcols == "vec" else (ashape[0], bcols),
                 dtype, seed=51)
    res = mt.linalg.lstsq(to_mt(a, chunk_size), to_mt(b, chunk_size),
                          rcond=None)
    res = _fetch(*res, session=session)
    rdt = _result_dtype(dtype)
    _check_lstsq(a, b, res, None, _rtol(rdt) * (100 if rdt == np.float32
                                                  else 10))


@pytest.mark.parametrize("ashape,rank", [((8, 5), 2), ((5, 5), 3),
                                         ((4, 7), 2), ((200, 5), 3)],
                         ids=repr)
@pytest.mark.parametrize("cs", [2, None])
def test_lstsq_rank_deficient(ashape, rank, cs, session):
    a = _low_rank(ashape[0], ashape[1], rank, seed=rank)
    b = _general((ashape[0], 2), seed=3)
    tall = ashape[0] == 200 and cs is not None
    ac, bc = ((64, 5), (64, 2)) if tall else (cs, cs)
    res = _fetch(*mt.linalg.lstsq(mt.tensor(a, chunk_size=ac),
                                  mt.tensor(b, chunk_size=bc),
                                  rcond=None), session=session)
    # rank < N: residuals are empty, x is the minimum-norm solution
    _check_lstsq(a, b, res, None, 1e-8)
    assert res[1].shape == (0,)
    assert int(res[2]) == rank


@pytest.mark.parametrize("rcond", [-1, 1e-3, 0.1, None])
def test_lstsq_rcond(rcond, session):
    a = _with_singular_values(7, 4, [5.0, 1.0, 0.01, 1e-9], seed=2)
    b = _general((7,), seed=3)
    res = _fetch(*mt.linalg.lstsq(to_mt(a, 3), to_mt(b, 3), rcond=rcond),
                 session=session)
    _check_lstsq(a, b, res, rcond, 1e-6)


def test_lstsq_tall_tsqr(session):
    a = _general((1003, 7), seed=1)
    b = _general((1003,), seed=2)
    res = _fetch(*mt.linalg.lstsq(mt.tensor(a, chunk_size=(100, 7)),
                                  mt.tensor(b, chunk_size=100), rcond=None),
                 session=session)
    _check_lstsq(a, b, res, None, 1e-9)


@pytest.mark.parametrize("ashape,bshape", [((0, 3), (0,)), ((3, 0), (3,)),
                                           ((0, 3), (0, 2)), ((3, 0), (3, 2)),
                                           ((0, 0), (0,))], ids=repr)
def test_lstsq_empty(ashape, bshape, session):
    a = np.zeros(ashape)
    b = np.arange(float(np.prod(bshape))).reshape(bshape)
    res = _fetch(*mt.linalg.lstsq(to_mt(a), to_mt(b), rcond=None),
                 session=session)
    _check_lstsq(a, b, res, None, 1e-12)


@pytest.mark.parametrize("ashape,bshape,exc", [
    ((4, 3), (5,), LinAlgError), ((3,), (3,), LinAlgError),
    ((2, 4, 3), (2, 4), LinAlgError), ((4, 3), (4, 2, 2), LinAlgError),
], ids=repr)
def test_lstsq_errors(ashape, bshape, exc, session):
    a, b = np.ones(ashape), np.ones(bshape)
    with pytest.raises(exc):
        np.linalg.lstsq(a, b, rcond=None)
    _raises(exc, lambda: mt.linalg.lstsq(to_mt(a), to_mt(b), rcond=None),
            session)


# ------------------------------------------------------------ matrix_rank

@pytest.mark.parametrize("shape,rank", [
    ((1, 1), 1), ((3, 3), 3), ((6, 6), 3), ((7, 5), 5), ((7, 5), 2),
    ((5, 7), 4), ((9, 9), 1), ((8, 3), 3), ((200, 5), 4),
], ids=repr)
@pytest.mark.parametrize("cs", [1, 3, None])
def test_matrix_rank(shape, rank, cs, session):
    a = _low_rank(shape[0], shape[1], rank, seed=shape[0] * 7 + rank)
    want = np.linalg.matrix_rank(a)
    assert want == rank
    got = _one(mt.linalg.matrix_rank(to_mt(a, cs)), session)
    assert got.shape == () and got.dtype.kind == "i", (got.shape, got.dtype)
    assert got == want


@pytest.mark.parametrize("dtype", ["float32", "int64", "int32", "bool"])
@over_chunks()
def test_matrix_rank_dtypes(dtype, session, chunk_size):
    a = _low_rank(6, 5, 3, seed=1).astype(dtype)
    want = np.linalg.matrix_rank(a)
    got = _one(mt.linalg.matrix_rank(to_mt(a, chunk_size)), session)
    assert got == want


def test_matrix_rank_stacks(session):
    a = np.stack([_low_rank(5, 4, r, seed=r) for r in (1, 2, 3, 4, 2)])
    a = np.stack([a, a[::-1]])         # (2, 5, 5, 4)
    want = np.linalg.matrix_rank(a)
    got = _one(mt.linalg.matrix_rank(mt.tensor(a, chunk_size=(1, 2, 3, 2))),
               session)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("v", [np.array([0.0, 0.0, 0.0]),
                               np.array([0.0, 2.0, 0.0]),
                               np.array([1.0]), np.zeros(0)],
                         ids=["zeros", "nonzero", "one", "empty"])
def test_matrix_rank_vector(v, session):
    # numpy: the rank of a vector is 1 unless it is all zeros.
    want = np.linalg.matrix_rank(v)
    got = _one(mt.linalg.matrix_rank(to_mt(v)), session)
    assert int(got) == want


@pytest.mark.parametrize("tol,rank", [(None, 3), (1e-3, 2), (2.0, 1),
                                      (100.0, 0)])
def test_matrix_rank_tol(tol, rank, session):
    a = _with_singular_values(6, 5, [10.0, 1.0, 1e-5, 1e-20], seed=4)
    want = np.linalg.matrix_rank(a, tol=tol)
    assert want == rank
    got = _one(mt.linalg.matrix_rank(to_mt(a, 2), tol=tol), session)
    assert got == want


def test_matrix_rank_hermitian_and_zero(session):
    a = _low_rank(5, 5, 2, seed=3)
    a = a @ a.T
    assert _one(mt.linalg.matrix_rank(to_mt(a, 2), hermitian=True),
                session) == np.linalg.matrix_rank(a, hermitian=True) == 2
    z = np.zeros((4, 3))
    assert _one(mt.linalg.matrix_rank(to_mt(z, 2)), session) == 0


# ---------------------------------------------------------------- cond

COND_PS = [None, 1, -1, 2, -2, np.inf, -np.inf, "fro", "nuc"]


def _cond_params():
    out = []
    for dtype in ["float64", "float32", "int64"]:
        for p in COND_PS:
            out.append(pytest.param(p, dtype,
                                    id="%s-%r" % (dtype, p)))
    return out


@pytest.mark.parametrize("p,dtype", _cond_params())
@pytest.mark.parametrize("n", [1, 2, 4, 7])
@over_chunks()
def test_cond(p, n, dtype, session, chunk_size):
    a = _general((n, n), dtype, seed=n + 60)
    if dtype == "int64":
        a = a + 7 * np.eye(n, dtype=dtype)
    want = np.linalg.cond(a, p)
    got = _one(mt.linalg.cond(to_mt(a, chunk_size), p), session)
    rdt = _result_dtype(dtype)
    _close(got, want, rdt, rtol=_rtol(rdt) * 100, scale=float(want))


@pytest.mark.parametrize("p", [None, 2, -2])
@pytest.mark.parametrize("shape", [(7, 5), (5, 7), (200, 5)], ids=repr)
def test_cond_rectangular(p, shape, session):
    a = _general(shape, seed=3)
    want = np.linalg.cond(a, p)
    cs = (64, 5) if shape[0] == 200 else 2
    got = _one(mt.linalg.cond(mt.tensor(a, chunk_size=cs), p), session)
    _close(got, want, scale=float(want))


@pytest.mark.parametrize("p", COND_PS, ids=repr)
def test_cond_stacks(p, session):
    a = _general((3, 2, 4, 4), seed=4)
    want = np.linalg.cond(a, p)
    got = _one(mt.linalg.cond(mt.tensor(a, chunk_size=(2, 1, 3, 3)), p),
               session)
    _close(got, want, rtol=1e-8, scale=float(want.max()))


@pytest.mark.parametrize("p", [1, -1, np.inf, -np.inf, "fro"], ids=repr)
def test_cond_singular_is_inf(p, session):
    a = np.ones((3, 3))
    want = np.linalg.cond(a, p)
    assert want == np.inf
    got = _one(mt.linalg.cond(to_mt(a, 2), p), session)
    assert got == np.inf


def test_cond_singular_nuc_raises(session):
    # numpy's inverse of a singular matrix is NaN, and the nuclear norm's
    # SVD of it does not converge: LinAlgError.
    a = np.ones((3, 3))
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cond(a, "nuc")
    _raises(np.linalg.LinAlgError,
            lambda: mt.linalg.cond(to_mt(a, 2), "nuc"), session)


@pytest.mark.parametrize("p", [None, 2, -2], ids=repr)
def test_cond_zero_matrix_is_inf(p, session):
    a = np.zeros((3, 3))
    with np.errstate(all="ignore"):
        want = np.linalg.cond(a, p)
    assert want == np.inf
    assert _one(mt.linalg.cond(to_mt(a, 2), p), session) == np.inf


def test_cond_singular_in_stack(session):
    a = _general((3, 3, 3), seed=5)
    a[1] = 1.0
    want = np.linalg.cond(a, 1)
    got = _one(mt.linalg.cond(to_mt(a, 2), 1), session)
    assert np.isinf(got[1]) and np.isinf(want[1])
    _close(got[[0, 2]], want[[0, 2]], rtol=1e-9, scale=want[[0, 2]].max())


def test_cond_nan_stays_nan(session):
    a = np.array([[np.nan, 0.0], [0.0, 1.0]])
    with np.errstate(all="ignore"):
        want = np.linalg.cond(a, 1)
    assert np.isnan(want)
    assert np.isnan(_one(mt.linalg.cond(to_mt(a), 1), session))


@pytest.mark.parametrize("a,p", [
    (np.zeros((0, 0)), None),
                                 (np.ones((2, 3)), 1),
                                 (np.ones((2, 3)), "fro"),
                                 (np.ones(3), None)],
                         ids=["empty", "rect_p1", "rect_fro", "vector"])
def test_cond_errors(a, p, session):
    with pytest.raises(LinAlgError):
        np.linalg.cond(a, p)
    _raises(LinAlgError, lambda: mt.linalg.cond(to_mt(a), p), session)


# --------------------------------------------- norm (singular-value orders)

@pytest.mark.parametrize("ord", [2, -2, "nuc"], ids=repr)
@pytest.mark.parametrize("shape", [(7, 5), (5, 7), (1, 1), (9, 9), (3, 1)],
                         ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool"])
@over_chunks()
def test_norm_singular_value_orders(ord, shape, dtype, session, chunk_size):
    a = _general(shape, dtype, seed=shape[0] + 70)
    want = np.linalg.norm(a, ord)
    got = _one(mt.linalg.norm(to_mt(a, chunk_size), ord), session)
    rdt = np.result_type(want)
    _close(got, want, rdt, scale=max(1.0, float(want)))


@pytest.mark.parametrize("ord", [2, -2, "nuc"], ids=repr)
@pytest.mark.parametrize("axis", [(1, 2), (2, 1), (0, 2), (-1, 0)], ids=repr)
@pytest.mark.parametrize("keepdims", [False, True])
def test_norm_singular_value_orders_axes(ord, axis, keepdims, session):
    a = _general((3, 4, 5), seed=7)
    want = np.linalg.norm(a, ord, axis=axis, keepdims=keepdims)
    got = _one(mt.linalg.norm(to_mt(a, 2), ord, axis=axis,
                              keepdims=keepdims), session)
    _close(got, want)


@pytest.mark.parametrize("ord", [2, -2, "nuc"], ids=repr)
def test_norm_singular_value_orders_tall(ord, session):
    a = _general((1003, 7), seed=8)
    want = np.linalg.norm(a, ord)
    got = _one(mt.linalg.norm(mt.tensor(a, chunk_size=(100, 7)), ord),
               session)
    _close(got, want, rtol=1e-9, scale=float(want))


def test_norm_2_of_rank_deficient(session):
    a = _low_rank(6, 4, 2, seed=2)
    assert _one(mt.linalg.norm(to_mt(a, 2), -2), session) <= \
        1e-12 * np.linalg.norm(a, 2)
    _close(_one(mt.linalg.norm(to_mt(a, 2), "nuc"), session),
           np.linalg.norm(a, "nuc"))


# ------------------------------------------------- negative matrix_power

@pytest.mark.parametrize("n", [-1, -2, -3, -5])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool"])
@over_chunks()
def test_matrix_power_negative(n, dtype, session, chunk_size):
    a = _square(4, dtype, seed=-n)
    if dtype in ("float64", "float32"):
        a = (a / 9).astype(dtype)
    want = np.linalg.matrix_power(a, n)
    got = _one(mt.linalg.matrix_power(to_mt(a, chunk_size), n), session)
    rdt = want.dtype
    assert rdt == (np.float32 if dtype == "float32" else np.float64)
    _close(got, want, rdt, rtol=_rtol(rdt) * 10)


@pytest.mark.parametrize("n", [-1, -4])
def test_matrix_power_negative_stacks(n, session):
    a = _square(3, "float64", seed=1, batch=(2, 3)) / 7
    want = np.linalg.matrix_power(a, n)
    got = _one(mt.linalg.matrix_power(mt.tensor(a, chunk_size=(1, 2, 2, 2)),
                                      n), session)
    _close(got, want)


@pytest.mark.parametrize("n", [-1, -2, -3])
def test_matrix_power_negative_singular(n, session):
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    _raises(LinAlgError, lambda: mt.linalg.matrix_power(to_mt(a), n),
            session, match="^Singular matrix$")


def test_matrix_power_negative_empty(session):
    a = np.zeros((0, 0))
    want = np.linalg.matrix_power(a, -2)
    got = _one(mt.linalg.matrix_power(to_mt(a), -2), session)
    _close(got, want)


# ------------------------------------------------ tensorinv / tensorsolve

@pytest.mark.parametrize("shape,ind", [
    ((4, 6, 8, 3), 2), ((24, 8, 3), 1), ((2, 3, 6), 2), ((6, 2, 3), 1),
    ((3, 3), 1), ((2, 2, 2, 2), 2), ((1, 1), 1),
], ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
def test_tensorinv(shape, ind, dtype, session):
    k = int(np.prod(shape[:ind]))
    a = _square(k, dtype, seed=k).reshape(shape)
    want = np.linalg.tensorinv(a, ind=ind)
    got = _one(mt.linalg.tensorinv(to_mt(a, 2), ind=ind), session)
    _close(got, want, _result_dtype(dtype))


def test_tensorinv_default_ind_and_identity(session):
    a = _square(24, seed=1).reshape(4, 6, 8, 3)
    ainv = mt.linalg.tensorinv(to_mt(a, 3))
    got = _one(ainv, session)
    assert got.shape == (8, 3, 4, 6)
    _close(got, np.linalg.tensorinv(a))
    b = _general((4, 6), seed=2)
    _close(_one(mt.tensordot(ainv, to_mt(b), 2), session),
           np.linalg.tensorsolve(a, b), rtol=1e-9)


@pytest.mark.parametrize("shape,ind,exc", [
    ((6, 2, 3), 0, ValueError), ((6, 5), 1, LinAlgError),
    ((2, 3, 2, 2), 2, LinAlgError),
], ids=repr)
def test_tensorinv_errors(shape, ind, exc, session):
    a = np.ones(shape)
    with pytest.raises(exc):
        np.linalg.tensorinv(a, ind=ind)
    _raises(exc, lambda: mt.linalg.tensorinv(to_mt(a), ind=ind), session)


def test_tensorinv_singular(session):
    a = np.ones((2, 3, 6))
    with pytest.raises(LinAlgError):
        np.linalg.tensorinv(a, ind=2)
    _raises(LinAlgError, lambda: mt.linalg.tensorinv(to_mt(a), ind=2),
            session, match="Singular matrix")


@pytest.mark.parametrize("ashape,bshape,axes", [
    ((6, 4, 2, 3, 4), (6, 4), None),
    ((6, 2, 3), (6,), None),
    ((2, 3, 6), (2, 3), None),
    ((5, 5), (5,), None),
    ((2, 3, 4, 6, 4), (6, 4), (0, 1, 2)),
    ((3, 2, 6), (6,), (0, 1)),
    ((3, 6, 2), (6,), (0,)),
], ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
def test_tensorsolve(ashape, bshape, axes, dtype, session):
    k = int(np.prod(bshape))
    # a well conditioned k x k matrix whose axes are laid out so that
    # tensorsolve (after moving `axes` to the end) sees it as one
    a2 = _square(k, dtype, seed=k)
    if axes is None:
        a = a2.reshape(ashape)
    else:
        rest = [d for i, d in enumerate(ashape) if i not in axes]
        moved = rest + [ashape[i] for i in axes]
        a = np.moveaxis(a2.reshape(moved), list(range(len(rest),
                                                      len(ashape))),
                        list(axes))
        assert a.shape == ashape
    b = _general(bshape, dtype, seed=3)
    want = np.linalg.tensorsolve(a, b, axes=axes)
    got = _one(mt.linalg.tensorsolve(to_mt(a, 2), to_mt(b, 2), axes=axes),
               session)
    _close(got, want, _result_dtype(dtype))


def test_tensorsolve_errors(session):
    a = np.ones((6, 5))
    b = np.ones(6)
    with pytest.raises(LinAlgError):
        np.linalg.tensorsolve(a, b)
    _raises(LinAlgError, lambda: mt.linalg.tensorsolve(to_mt(a), to_mt(b)),
            session)
    a = np.ones((6, 2, 3))
    with pytest.raises(LinAlgError, match="Singular matrix"):
        np.linalg.tensorsolve(a, np.ones(6))
    _raises(LinAlgError, lambda: mt.linalg.tensorsolve(to_mt(a),
                                                       to_mt(np.ones(6))),
            session, match="Singular matrix")


# ------------------------------------------------- cross-function checks

@pytest.mark.parametrize("n", [2, 5, 8])
def test_identities(n, session):
    """Documented relations between the functions, all on one chunked
    matrix: det = prod(svd values) up to sign, cholesky against eigh,
    inv = pinv for invertible matrices, solve = inv @ b."""
    a = _spd(n, seed=n + 80)
    t = to_mt(a, 3)
    d, s, w, l, i, p, x = _fetch(
        mt.linalg.det(t), mt.linalg.svd(t, compute_uv=False),
        mt.linalg.eigvalsh(t), mt.linalg.cholesky(t), mt.linalg.inv(t),
        mt.linalg.pinv(t), mt.linalg.solve(t, mt.ones(n)), session=session)
    _close(d, np.prod(s), scale=abs(d))
    _close(np.sort(s), w, scale=s.max())       # SPD: singular = eigen values
    _close(l @ l.T, a)
    _close(i, p, rtol=1e-9)
    _close(x, i @ np.ones(n), rtol=1e-9)


@pytest.mark.parametrize("n,cs", [(24, 7), (40, 16), (33, 10)], ids=repr)
def test_larger_matrices(n, cs, session):
    """Several chunks per dimension (and ragged last chunks) on every
    function at once."""
    a = _general((n, n), seed=n) + n * np.eye(n) / 2
    spd = _spd(n, seed=n)
    b = _general((n, 3), seed=n + 1)
    t, ts, tb = to_mt(a, cs), to_mt(spd, cs), to_mt(b, cs)
    q, r = mt.linalg.qr(t)
    u, s, vh = mt.linalg.svd(t)
    w, v = mt.linalg.eigh(ts)
    p, l, uu = mt.linalg.lu(t)
    res = _fetch(mt.linalg.inv(t), mt.linalg.solve(t, tb), mt.linalg.det(t),
                 *mt.linalg.slogdet(t), mt.linalg.cholesky(ts), q, r, u, s,
                 vh, w, v, p, l, uu, mt.linalg.pinv(t),
                 mt.linalg.matrix_rank(t), mt.linalg.cond(t),
                 mt.linalg.solve_triangular(t, tb, lower=True),
                 session=session)
    (inv, x, d, sg, ld, ch, q, r, u, s, vh, w, v, p, l, uu, pinv, rank,
     cond, tri) = res
    _close(inv, np.linalg.inv(a), rtol=1e-9)
    _close(x, np.linalg.solve(a, b), rtol=1e-9)
    ws, wl = np.linalg.slogdet(a)
    _close(d, np.linalg.det(a), rtol=1e-9, scale=abs(np.linalg.det(a)))
    _close(sg, ws)
    _close(ld, wl, rtol=1e-9)
    _close(ch, np.linalg.cholesky(spd), rtol=1e-9)
    _check_qr(a, (q, r), "reduced", 1e-9)
    _check_svd(a, u, s, vh, True, 1e-9)
    _check_eigh(spd, w, v, "L", 1e-9)
    wp, wl_, wu = sla.lu(a)
    assert_same(p, wp)
    _close(l, wl_, rtol=1e-9)
    _close(uu, wu, rtol=1e-9)
    _close(pinv, np.linalg.pinv(a), rtol=1e-9)
    assert rank == n
    _close(cond, np.linalg.cond(a), rtol=1e-8, scale=np.linalg.cond(a))
    _close(tri, sla.solve_triangular(a, b, lower=True), rtol=1e-9)


def test_results_feed_further_mars_ops(session):
    """Each output of a multi-output function used inside Mars, alone and
    together: Q @ R, U * s @ Vh, P @ L @ U, V diag(w) V^T, sign*exp(logdet),
    A @ inv(A)."""
    a = _general((7, 5), seed=1)
    sq = _square(6, seed=2)
    spd = _spd(5, seed=3)
    t, tsq, tspd = to_mt(a, 2), to_mt(sq, 4), to_mt(spd, 3)
    q, r = mt.linalg.qr(t)
    u, s, vh = mt.linalg.svd(t, full_matrices=False)
    p, l, uu = mt.linalg.lu(tsq)
    w, v = mt.linalg.eigh(tspd)
    sign, logdet = mt.linalg.slogdet(tsq)
    exprs = [q @ r, (u * s) @ vh, p @ l @ uu, (v * w) @ v.T,
             sign * mt.exp(logdet), tsq @ mt.linalg.inv(tsq),
             mt.linalg.cholesky(tspd) @ mt.linalg.cholesky(tspd).T,
             t @ mt.linalg.lstsq(t, mt.ones(7), rcond=None)[0],
             mt.linalg.pinv(t) @ t]
    # one by one (only one output of a multi-output function executed)
    for e, want in zip(exprs, [a, a, sq, spd, np.linalg.det(sq), np.eye(6),
                               spd, a @ np.linalg.lstsq(a, np.ones(7),
                                                        rcond=None)[0],
                               np.eye(5)]):
        got = _one(e, session)
        _close(got, want, rtol=1e-9, check_dtype=False)
    # the R factor alone; the singular values of the svd alone
    _close(np.abs(_one(mt.linalg.qr(to_mt(a, 2))[1], session)),
           np.abs(np.linalg.qr(a)[1]))
    _close(_one(mt.linalg.svd(to_mt(a, 2))[1], session),
           np.linalg.svd(a, compute_uv=False))


@pytest.mark.parametrize("view", ["T", "slice", "neg_step", "expr"])
def test_inputs_that_are_views_and_expressions(view, session):
    base = _general((9, 8), seed=4)
    make = {
        "T": lambda x: x.T[:6, :6],
        "slice": lambda x: x[1:7, 2:8],
        "neg_step": lambda x: x[::-1, ::-1][:6, :6],
        "expr": lambda x: (x * 2 + 1)[:6, :6],
    }[view]
    a = make(base) + 12 * np.eye(6)
    t = make(to_mt(base, 3)) + 12 * mt.eye(6)
    got = _fetch(mt.linalg.inv(t), mt.linalg.det(t), *mt.linalg.qr(t),
                 mt.linalg.svd(t, compute_uv=False), mt.linalg.solve(t, t),
                 session=session)
    _close(got[0], np.linalg.inv(a))
    _close(got[1], np.linalg.det(a), rtol=1e-9,
           scale=abs(np.linalg.det(a)))
    _check_qr(a, (got[2], got[3]), "reduced", 1e-10)
    _close(got[4], np.linalg.svd(a, compute_uv=False))
    _close(got[5], np.eye(6), rtol=1e-10)


@pytest.mark.parametrize("fn", [
    lambda L, a: L.inv(a), lambda L, a: L.det(a), lambda L, a: L.pinv(a),
    lambda L, a: L.cholesky(a @ np.transpose(a) + 3 * np.eye(3)),
    lambda L, a: L.svd(a, compute_uv=False), lambda L, a: L.eigvalsh(a),
    lambda L, a: L.matrix_power(a, -2), lambda L, a: L.cond(a, 1),
    lambda L, a: L.solve(a, [1.0, 2.0, 3.0]),
    lambda L, a: L.norm(a, "nuc"),
], ids=["inv", "det", "pinv", "cholesky", "svdvals", "eigvalsh",
        "matrix_power", "cond", "solve", "norm"])
@pytest.mark.parametrize("kind", ["list", "ndarray"])
def test_array_like_inputs(fn, kind, session):
    a = [[4.0, 1.0, 2.0], [0.5, 3.0, 1.0], [1.0, 0.0, 5.0]]
    if kind == "ndarray":
        a = np.array(a)
    want = fn(np.linalg, np.array(a))
    got = _one(fn(mt.linalg, a), session)
    _close(got, want)


@pytest.mark.parametrize("shape,chunks", [((5, 9), (2, 9)), ((4, 9), (1, 3)),
                                          ((3, 9), (2, 4))], ids=repr)
def test_wide_matrices_with_row_chunks(shape, chunks, session):
    a = _general(shape, seed=5)
    t = mt.tensor(a, chunk_size=chunks)
    q, r = _fetch(*mt.linalg.qr(t), session=session)
    _check_qr(a, (q, r), "reduced", 1e-10)
    u, s, vh = _fetch(*mt.linalg.svd(t, full_matrices=False),
                      session=session)
    _check_svd(a, u, s, vh, False, 1e-10)


def test_pinv_rcond_per_matrix(session):
    # numpy: rcond broadcasts against the stack of matrices
    a = np.stack([_with_singular_values(4, 3, [5.0, 1.0, 1e-2], seed=i)
                  for i in range(2)])
    rcond = np.array([1e-15, 0.1])
    want = np.linalg.pinv(a, rcond=rcond)
    got = _one(mt.linalg.pinv(to_mt(a, 2), rcond=rcond), session)
    _close(got, want, rtol=1e-9)


def test_matrix_rank_tol_per_matrix(session):
    a = np.stack([_with_singular_values(4, 3, [5.0, 1.0, 1e-2], seed=i)
                  for i in range(3)])
    tol = np.array([1e-3, 0.5, 10.0])
    want = np.linalg.matrix_rank(a, tol=tol)
    np.testing.assert_array_equal(want, [3, 2, 0])
    got = _one(mt.linalg.matrix_rank(to_mt(a, 2), tol=tol), session)
    np.testing.assert_array_equal(got, want)


def test_lstsq_zero_right_hand_sides(session):
    a = _general((5, 3), seed=1)
    b = np.zeros((5, 0))
    res = _fetch(*mt.linalg.lstsq(to_mt(a, 2), to_mt(b), rcond=None),
                 session=session)
    _check_lstsq(a, b, res, None, 1e-10)


@pytest.mark.parametrize("shape,chunks", [
    ((3, 200, 5), (2, 64, 5)), ((2, 2, 50, 4), (1, 2, 7, 4)),
    ((2, 30, 6), (1, 4, 6)),
], ids=repr)
def test_stacks_of_tall_matrices(shape, chunks, session):
    a = _general(shape, seed=6)
    t = mt.tensor(a, chunk_size=chunks)
    q, r = mt.linalg.qr(t)
    u, s, vh = mt.linalg.svd(t, full_matrices=False)
    q, r, r2, u, s, vh, s2 = _fetch(q, r, mt.linalg.qr(t, mode="r"), u, s,
                                    vh, mt.linalg.svd(t, compute_uv=False),
                                    session=session)
    _check_qr(a, (q, r), "reduced", 1e-9)
    _check_qr(a, (r2,), "r", 1e-9)
    _check_svd(a, u, s, vh, False, 1e-9, cmp_vectors=False)
    _close(s2, np.linalg.svd(a, compute_uv=False), rtol=1e-9)


@pytest.mark.parametrize("chunks", [(1, 5), (2, 5), (5, 5), (1, 1)],
                         ids=repr)
def test_tall_matrix_with_many_tiny_row_blocks(chunks, session):
    a = _general((120, 5), seed=7)
    t = mt.tensor(a, chunk_size=chunks)
    q, r, u, s, vh = _fetch(*mt.linalg.qr(t),
                            *mt.linalg.svd(t, full_matrices=False),
                            session=session)
    _check_qr(a, (q, r), "reduced", 1e-9)
    _check_svd(a, u, s, vh, False, 1e-9, cmp_vectors=False)


def test_near_singular_is_not_an_error(session):
    """numpy raises only on an exactly zero pivot: a numerically singular
    matrix (arange(1, 10) / 10), a tiny-but-regular one (1e-200 I), and
    det underflow to 0 are no errors."""
    a = np.arange(1, 10.0).reshape(3, 3) / 10
    b = 1e-200 * np.eye(3)
    for cs in (1, 2, None):
        ta, tb = to_mt(a, cs), to_mt(b, cs)
        ia, da, ib, db, sb, lb, xb = _fetch(
            mt.linalg.inv(ta), mt.linalg.det(ta), mt.linalg.inv(tb),
            mt.linalg.det(tb), *mt.linalg.slogdet(tb),
            mt.linalg.solve(tb, mt.ones(3)), session=session)
        assert np.all(np.isfinite(ia)) and np.abs(ia).max() > 1e10
        np.testing.assert_allclose(da, np.linalg.det(a), atol=1e-15)
        _close(ib, np.linalg.inv(b), scale=1e200)
        assert db == np.linalg.det(b) == 0.0
        _close(sb, 1.0)
        _close(lb, np.linalg.slogdet(b)[1])
        _close(xb, np.full(3, 1e200), scale=1e200)


@pytest.mark.parametrize("n", [3, 7])
def test_permutation_matrices(n, session):
    """Every pivot is an exact zero until a row swap: det is the sign of the
    permutation, inv the transpose, lu's P the matrix itself."""
    perm = np.random.default_rng(n).permutation(n)
    p = np.eye(n)[perm]
    for cs in (1, 2, 3, None):
        t = to_mt(p, cs)
        d, i, pp, l, u = _fetch(mt.linalg.det(t), mt.linalg.inv(t),
                                *mt.linalg.lu(t), session=session)
        assert d == np.linalg.det(p)
        np.testing.assert_array_equal(i, p.T)
        wp, wl, wu = sla.lu(p)
        np.testing.assert_array_equal(pp, wp)
        np.testing.assert_array_equal(l, wl)
        np.testing.assert_array_equal(u, wu)


@pytest.mark.parametrize("a", [
    [[1.0, 2.0], [1.0, 3.0]], [[2.0, 1.0, 0.0], [-2.0, 3.0, 1.0],
                               [2.0, 0.0, 5.0]],
    [[1.0, 1.0, 1.0], [1.0, 2.0, 3.0], [1.0, 3.0, 6.0]],
], ids=["2x2", "3x3", "pascal"])
def test_lu_pivot_ties_pick_the_first_row(a, session):
    # LAPACK's getrf (scipy) takes the first of equal-magnitude pivots
    a = np.array(a)
    wp, wl, wu = sla.lu(a)
    for cs in (1, 2, None):
        p, l, u = _fetch(*mt.linalg.lu(to_mt(a, cs)), session=session)
        np.testing.assert_array_equal(p, wp)
        _close(l, wl)
        _close(u, wu)


@pytest.mark.parametrize("fn", [
    lambda L, x: L.lu(x),
    lambda L, x: L.solve_triangular(x, [1.0, 2.0]),
    lambda L, x: L.solve_triangular(np.eye(2), x[:, 1]),
], ids=["lu", "solve_triangular_a", "solve_triangular_b"])
@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["nan", "inf"])
def test_scipy_check_finite(fn, bad, session):
    # scipy.linalg's default check_finite=True: ValueError, raised by Mars
    # when the result executes (the op carries check_finite).
    x = np.array([[bad, 1.0], [1.0, 2.0]])
    x[1, 1] = bad
    with pytest.raises(ValueError, match="infs or NaNs"):
        fn(sla, x)
    _raises(ValueError, lambda: fn(mt.linalg, to_mt(x)), session)


def test_solve_triangular_check_finite_false(session):
    # check_finite=False: no check, NaN propagates
    x = np.array([[np.nan, 1.0], [0.0, 2.0]])
    want = sla.solve_triangular(x, [1.0, 2.0], check_finite=False)
    got = _one(mt.linalg.solve_triangular(to_mt(x), to_mt(np.array(
        [1.0, 2.0])), check_finite=False), session)
    _close(got, want)


def test_lu_scipy_keywords(session):
    a = _general((4, 3), seed=1)
    want = sla.lu(a, overwrite_a=False, check_finite=False)
    got = _fetch(*mt.linalg.lu(to_mt(a, 2), overwrite_a=False,
                               check_finite=False), session=session)
    for g, w in zip(got, want):
        _close(g, w)


def test_lu_of_a_vector(session):
    with pytest.raises(ValueError):
        sla.lu(np.ones(3))
    _raises(ValueError, lambda: mt.linalg.lu(mt.ones(3)), session)


@pytest.mark.parametrize("uplo", ["l", "u"])
def test_eigh_lower_case_uplo(uplo, session):
    a = _general((4, 4), seed=2)
    ww, wv = np.linalg.eigh(a, UPLO=uplo)
    w, v, w2 = _fetch(*mt.linalg.eigh(to_mt(a, 2), UPLO=uplo),
                      mt.linalg.eigvalsh(to_mt(a, 2), UPLO=uplo),
                      session=session)
    _check_eigh(a, w, v, uplo.upper(), 1e-10)
    _close(w2, ww)


@pytest.mark.parametrize("shape", [(5, 5), (3, 4, 4)], ids=repr)
def test_svd_hermitian(shape, session):
    # numpy: hermitian=True uses eigh; s are |eigenvalues|, descending
    x = _general(shape, seed=3)
    a = x + _mT(x)
    ws = np.linalg.svd(a, compute_uv=False, hermitian=True)
    u, s, vh = _fetch(*mt.linalg.svd(to_mt(a, 2), hermitian=True),
                      session=session)
    _close(s, ws)
    np.testing.assert_allclose((u * s[..., None, :]) @ vh, a, atol=1e-10)
    s2 = _one(mt.linalg.svd(to_mt(a, 2), compute_uv=False, hermitian=True),
              session)
    _close(s2, ws)


def test_hermitian_flags_on_stacks(session):
    x = np.stack([_low_rank(4, 4, r, seed=r) for r in (1, 2, 4)])
    a = x @ _mT(x)
    got_r, got_p = _fetch(mt.linalg.matrix_rank(to_mt(a, 2), hermitian=True),
                          mt.linalg.pinv(to_mt(a, 2), rcond=1e-10,
                                         hermitian=True), session=session)
    np.testing.assert_array_equal(got_r, np.linalg.matrix_rank(
        a, hermitian=True))
    _close(got_p, np.linalg.pinv(a, rcond=1e-10, hermitian=True), rtol=1e-8)


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 2, 3)], ids=repr)
def test_matrix_power_negative_shape_errors(shape, session):
    with pytest.raises(LinAlgError):
        np.linalg.matrix_power(np.ones(shape), -1)
    _raises(LinAlgError, lambda: mt.linalg.matrix_power(mt.ones(shape), -1),
            session)


@pytest.mark.parametrize("shape,chunks", [
    ((3, 4, 4), (2, 3, 3)), ((2, 5, 3), (1, 2, 2)),
    ((2, 2, 3, 6), (1, 1, 2, 4)),
], ids=repr)
@pytest.mark.parametrize("permute_l", [False, True])
def test_lu_stacks(shape, chunks, permute_l, session):
    # scipy >= 1.11: lu of a (..., M, N) stack is the lu of each matrix
    a = _general(shape, seed=4)
    got = _fetch(*mt.linalg.lu(mt.tensor(a, chunk_size=chunks),
                               permute_l=permute_l), session=session)
    flat = a.reshape((-1,) + shape[-2:])
    want = [sla.lu(m, permute_l=permute_l) for m in flat]
    for i, w in enumerate(zip(*want)):
        _close(got[i], np.stack(w).reshape(got[i].shape))


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(st.integers(1, 11), st.integers(1, 11), st.integers(1, 6),
       st.integers(1, 6), st.integers(0, 1000),
       st.sampled_from(["qr", "svd", "inv", "solve", "det", "pinv", "lstsq",
                        "cholesky", "eigh", "lu"]))
def test_random_shapes_and_chunkings(m, n, rc, cc, seed, fn):
    """Random matrix shapes cut into random (rows, cols) chunks."""
    session = get_session("compiled")
    square = fn in ("inv", "solve", "det", "cholesky", "eigh")
    if square:
        n = m
    a = _general((m, n), seed=seed)
    if fn in ("inv", "solve", "det"):
        a = a + 2 * n * np.eye(n)
    if fn == "cholesky":
        a = a @ a.T + n * np.eye(n)
    t = mt.tensor(a, chunk_size=(rc, cc))
    if fn == "qr":
        _check_qr(a, _fetch(*mt.linalg.qr(t), session=session), "reduced",
                  1e-9)
    elif fn == "svd":
        u, s, vh = _fetch(*mt.linalg.svd(t, full_matrices=False),
                          session=session)
        _check_svd(a, u, s, vh, False, 1e-9, cmp_vectors=False)
    elif fn == "eigh":
        w, v = _fetch(*mt.linalg.eigh(t), session=session)
        _check_eigh(a, w, v, "L", 1e-9, cmp_vectors=False)
    elif fn == "lu":
        got = _fetch(*mt.linalg.lu(t), session=session)
        for g, w in zip(got, sla.lu(a)):
            _close(g, w, rtol=1e-9)
    elif fn == "solve":
        b = _general((m, 2), seed=seed + 1)
        _close(_one(mt.linalg.solve(t, mt.tensor(b, chunk_size=(rc, 1))),
                    session), np.linalg.solve(a, b), rtol=1e-9)
    elif fn == "lstsq":
        b = _general((m,), seed=seed + 1)
        res = _fetch(*mt.linalg.lstsq(t, mt.tensor(b, chunk_size=rc),
                                      rcond=None), session=session)
        _check_lstsq(a, b, res, None, 1e-8)
    elif fn == "det":
        want = np.linalg.det(a)
        _close(_one(mt.linalg.det(t), session), want, rtol=1e-9,
               scale=abs(want))
    else:
        want = getattr(np.linalg, fn)(a)
        _close(_one(getattr(mt.linalg, fn)(t), session), want, rtol=1e-8)


@pytest.mark.parametrize("a", [
    [[np.inf, 1.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, np.inf]],
    [[-np.inf, 2.0], [1.0, 3.0]],
], ids=["inf_00", "inf_11", "neg_inf"])
@pytest.mark.parametrize("cs", [1, None])
def test_infinite_entries(a, cs, session):
    # LU with an infinite pivot: 1/inf = 0 multipliers, finite elsewhere
    a = np.array(a)
    with np.errstate(all="ignore"):
        wd, (ws, wl), wi = np.linalg.det(a), np.linalg.slogdet(a), \
            np.linalg.inv(a)
    t = to_mt(a, cs)
    d, s, l, i = _fetch(mt.linalg.det(t), *mt.linalg.slogdet(t),
                        mt.linalg.inv(t), session=session)
    assert d == wd and s == ws and l == wl
    _close(i, wi)
