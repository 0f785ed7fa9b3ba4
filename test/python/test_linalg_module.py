"""mars.tensor.linalg against numpy.linalg: norm (every vector order, the
matrix orders, 2, -2 and nuc included, axes and keepdims), matrix_power
(negative powers too) and multi_dot, over dtypes, chunk sizes, stacks,
empty and size-1 dimensions, and numpy's errors; the tiled Cholesky, LU,
solve and inv of matrices chunked along both dimensions."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import mars.tensor as mt

from helpers import assert_same, get_session, random_array, run, to_mt


def _arr(shape, dtype="float64", seed=0):
    """Test data with a zero among the floats (norm's ord=0 counts it)."""
    x = random_array(shape, dtype, seed, int_bound=5)
    if x.dtype.kind == "f" and x.size > 3:
        x.reshape(-1)[1] = 0.0
    return x


def _close(got, want):
    rtol = 2e-5 if np.asarray(want).dtype == np.float32 else 1e-12
    assert_same(got, want, rtol=rtol, atol=rtol * 1e-3)


VECTOR_ORDS = [None, 2, 1, 0, np.inf, -np.inf, 3, 0.5, -1, -2.5]


@pytest.mark.parametrize("ord", VECTOR_ORDS, ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool"])
def test_vector_norms(ord, dtype, session, chunk_size):
    x = _arr((7,), dtype, 1)
    with np.errstate(all="ignore"):
        want = np.linalg.norm(x, ord)
    _close(run(mt.linalg.norm(to_mt(x, chunk_size), ord), session), want)


@pytest.mark.parametrize("ord", VECTOR_ORDS, ids=repr)
@pytest.mark.parametrize("axis", [0, 1, -1, (2,)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_vector_norms_along_axes(ord, axis, keepdims, session):
    x = _arr((3, 4, 5), "float64", 2)
    with np.errstate(all="ignore"):
        want = np.linalg.norm(x, ord, axis=axis, keepdims=keepdims)
    _close(run(mt.linalg.norm(to_mt(x, 2), ord, axis=axis,
                              keepdims=keepdims), session), want)


MATRIX_ORDS = [None, "fro", 1, -1, np.inf, -np.inf, 2, -2, "nuc"]


@pytest.mark.parametrize("ord", MATRIX_ORDS, ids=repr)
@pytest.mark.parametrize("axis", [None, (0, 1), (1, 0), (-1, -2)])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int32"])
def test_matrix_norms(ord, axis, keepdims, dtype, session, chunk_size):
    x = _arr((5, 3), dtype, 3)
    want = np.linalg.norm(x, ord, axis=axis, keepdims=keepdims)
    _close(run(mt.linalg.norm(to_mt(x, chunk_size), ord, axis=axis,
                              keepdims=keepdims), session), want)


@pytest.mark.parametrize("ord", MATRIX_ORDS, ids=repr)
@pytest.mark.parametrize("axis", [(1, 2), (2, 0), (0, -1)])
def test_matrix_norms_of_stacks(ord, axis, session):
    x = _arr((3, 4, 5), "float64", 4)
    want = np.linalg.norm(x, ord, axis=axis)
    _close(run(mt.linalg.norm(to_mt(x, 2), ord, axis=axis), session), want)


def test_norm_default_of_nd_and_edges(session):
    x = _arr((2, 3, 4), "float64", 5)
    _close(run(mt.linalg.norm(to_mt(x, 2)), session), np.linalg.norm(x))
    _close(run(mt.linalg.norm(to_mt(x, 2), keepdims=True), session),
           np.linalg.norm(x, keepdims=True))
    e = np.zeros((0,))
    _close(run(mt.linalg.norm(to_mt(e)), session), np.linalg.norm(e))
    s = np.array([np.inf, 1.0, np.nan])
    assert np.isnan(run(mt.linalg.norm(to_mt(s)), session))
    s = np.array([-np.inf, 1.0])
    _close(run(mt.linalg.norm(to_mt(s), 1), session), np.linalg.norm(s, 1))


def test_norm_errors():
    v, m = mt.ones(3), mt.ones((3, 3))
    with pytest.raises(ValueError):
        mt.linalg.norm(v, "fro")
    with pytest.raises(ValueError):
        mt.linalg.norm(m, "bogus")
    with pytest.raises(ValueError):
        mt.linalg.norm(m, axis=(0, 0))
    with pytest.raises(ValueError):
        mt.linalg.norm(mt.ones((2, 2, 2)), 1)
    with pytest.raises(TypeError):
        mt.linalg.norm(m, axis="a")
    with pytest.raises(np.AxisError):
        mt.linalg.norm(m, axis=(0, 2))
    with pytest.raises(ValueError):
        mt.linalg.norm(m, "nucc")


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 6, 7, 13])
@pytest.mark.parametrize("dtype", ["float64", "int64", "bool"])
def test_matrix_power(n, dtype, session):
    a = _arr((4, 4), dtype, 6)
    if dtype == "float64":
        a = a / 2
    want = np.linalg.matrix_power(a, n)
    got = run(mt.linalg.matrix_power(to_mt(a, 3), n), session)
    if dtype == "float64":
        assert_same(got, want, rtol=1e-10, atol=1e-12)
    else:
        assert_same(got, want)


@pytest.mark.parametrize("n", [0, 1, 3, 6])
def test_matrix_power_stacks(n, session):
    a = _arr((2, 3, 3, 3), "float64", 7) / 2
    want = np.linalg.matrix_power(a, n)
    got = run(mt.linalg.matrix_power(to_mt(a, 2), n), session)
    assert_same(got, want, rtol=1e-10, atol=1e-12)


def test_matrix_power_is_a_new_tensor(session):
    a = mt.tensor(np.eye(2))
    r = mt.linalg.matrix_power(a, 1)
    r[0, 1] = 5.0
    np.testing.assert_array_equal(run(a, session), np.eye(2))


def test_matrix_power_errors():
    with pytest.raises(np.linalg.LinAlgError):
        mt.linalg.matrix_power(mt.ones(3), 2)
    with pytest.raises(np.linalg.LinAlgError):
        mt.linalg.matrix_power(mt.ones((2, 3)), 2)
    with pytest.raises(TypeError):
        mt.linalg.matrix_power(mt.ones((2, 2)), 1.5)
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        mt.linalg.matrix_power(mt.ones((2, 2)), -1).execute()
    assert mt.linalg.LinAlgError is np.linalg.LinAlgError


@pytest.mark.parametrize("shapes", [
    [(3, 4), (4, 5)], [(10, 2), (2, 30), (30, 3)], [(2, 30), (30, 3), (3, 40)],
    [(5,), (5, 6), (6, 2), (2,)], [(5,), (5, 6), (6, 2)],
    [(4, 6), (6, 2), (2,)], [(3, 8), (8, 2), (2, 9), (9, 4), (4, 7)],
    [(1, 3), (3, 1), (1, 5)],
], ids=repr)
def test_multi_dot(shapes, session):
    arrays = [_arr(s, "float64", 10 + i) for i, s in enumerate(shapes)]
    want = np.linalg.multi_dot(arrays)
    got = run(mt.linalg.multi_dot([to_mt(a, 3) for a in arrays]), session)
    assert_same(got, want, rtol=1e-10, atol=1e-12)


def test_multi_dot_errors():
    with pytest.raises(ValueError):
        mt.linalg.multi_dot([mt.ones((2, 2))])
    with pytest.raises(np.linalg.LinAlgError):
        mt.linalg.multi_dot([mt.ones((2, 2)), mt.ones((2, 2, 2)),
                             mt.ones((2, 2))])


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.integers(1, 3), st.integers(0, 4), st.integers(1, 4),
       st.sampled_from(VECTOR_ORDS + ["fro"]), st.booleans(),
       st.sampled_from([1, 2, 3]))
def test_norm_property(rows, cols, seed, ord, keepdims, cs):
    x = _arr((rows, cols), "float64", seed)
    axis = None if ord == "fro" else 1
    if ord not in ("fro", None, 2) and axis is None:
        axis = 1
    with np.errstate(all="ignore"):
        try:
            want = np.linalg.norm(x, ord, axis=axis, keepdims=keepdims)
        except ValueError:
            with pytest.raises(ValueError):
                mt.linalg.norm(to_mt(x, cs), ord, axis=axis,
                               keepdims=keepdims).execute()
            return
    got = run(mt.linalg.norm(to_mt(x, cs), ord, axis=axis,
                             keepdims=keepdims), get_session("compiled"))
    _close(got, want)


@pytest.mark.parametrize("make", [
    lambda mt_, a: mt_.copy(a), lambda mt_, a: a.copy(),
    lambda mt_, a: mt_.array(a), lambda mt_, a: mt_.tensor(a),
], ids=["copy", "method", "array", "tensor"])
def test_copies_are_independent(make, session):
    # numpy: assigning into a copy leaves the original as it was.
    a = mt.tensor(np.arange(4.0))
    b = make(mt, a)
    assert b is not a
    b[0] = 9.0
    np.testing.assert_array_equal(run(a, session), np.arange(4.0))
    np.testing.assert_array_equal(run(b, session), [9.0, 1.0, 2.0, 3.0])
    # asarray of a tensor of its dtype is the tensor itself, as numpy's.
    assert mt.asarray(a) is a


@pytest.mark.parametrize("n,bs", [(7, 3), (50, 16), (64, 32), (9, 8), (5, 1)])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
def test_tile_cholesky(n, bs, dtype, session):
    # A matrix chunked along both dimensions is factored by tiles (ragged
    # last tiles included); numpy's factor, dtype and upper= transpose.
    g = np.random.default_rng(n).integers(-3, 4, (n, n))
    spd = (g @ g.T + n * np.eye(n, dtype=np.int64)).astype(dtype)
    want = np.linalg.cholesky(spd)
    rtol = 2e-5 if dtype == "float32" else 1e-12
    got = run(mt.linalg.cholesky(mt.tensor(spd, chunk_size=bs)), session)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)
    up = run(mt.linalg.cholesky(mt.tensor(spd, chunk_size=bs), upper=True),
             session)
    np.testing.assert_allclose(up, want.T, rtol=rtol, atol=rtol)


def test_tile_cholesky_not_positive_definite(session):
    a = -np.eye(10)
    with pytest.raises(np.linalg.LinAlgError,
                       match="Matrix is not positive definite"):
        run(mt.linalg.cholesky(mt.tensor(a, chunk_size=3)), session)


@pytest.fixture(autouse=True)
def _tiles_always(monkeypatch):
    """solve, det and slogdet take tiles for every matrix chunked along
    both dimensions here, not only for those too large to gather."""
    import mars.tensor.linalg as la
    monkeypatch.setattr(la, "_GATHER_FRACTION", 0.0)


def test_small_matrices_gather_for_solve_det_slogdet(monkeypatch):
    # In memory one getrf beats the tiles: solve, det and slogdet gather a
    # matrix that fits (inv, lu and cholesky take tiles whenever they can).
    import mars.tensor.linalg as la
    monkeypatch.setattr(la, "_GATHER_FRACTION", 0.25)
    calls = []
    real = la._tile_lu
    monkeypatch.setattr(la, "_tile_lu",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    a = mt.tensor(np.eye(40) * 2, chunk_size=10)
    mt.linalg.solve(a, np.ones(40))
    mt.linalg.det(a)
    mt.linalg.slogdet(a)
    assert calls == []
    mt.linalg.inv(a)
    assert calls == [1]
    monkeypatch.setattr(la, "_GATHER_FRACTION", 0.0)
    np.testing.assert_allclose(mt.linalg.solve(a, np.ones(40)).fetch(),
                               np.full(40, 0.5))
    assert calls == [1, 1]


def _lu_case(n, dtype, kind, seed=0):
    """A square test matrix: random, one needing row exchanges across
    every tile (a permuted diagonally dominant matrix), or integers."""
    rng = np.random.default_rng(seed + n)
    if kind == "permuted":
        g = rng.standard_normal((n, n)) + 4 * n * np.eye(n)
        g = g[rng.permutation(n)]
    elif kind == "ints":
        g = rng.integers(-5, 6, (n, n)) + 11 * n * np.eye(n, dtype=np.int64)
    else:
        g = rng.standard_normal((n, n))
    return g.astype(dtype)


@pytest.mark.parametrize("n,bs", [(7, 3), (50, 16), (64, 32), (9, 8),
                                  (5, 1), (33, 11)])
@pytest.mark.parametrize("kind", ["random", "permuted"])
def test_tile_solve_and_inv(n, bs, kind, session):
    # A matrix chunked along both dimensions is LU-factored by tiles
    # (pivots chosen over every row below, across tiles, ragged last
    # tiles included); solve and inv agree with numpy's one LAPACK call.
    g = _lu_case(n, "float64", kind)
    b = np.random.default_rng(1).standard_normal((n, 4))
    a = mt.tensor(g, chunk_size=bs)
    want = np.linalg.solve(g, b)
    got = run(mt.linalg.solve(a, mt.tensor(b, chunk_size=bs)), session)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-11)
    got = run(mt.linalg.solve(a, b[:, 0]), session)
    assert got.shape == (n,)
    np.testing.assert_allclose(got, want[:, 0], rtol=1e-9, atol=1e-11)
    got = run(mt.linalg.inv(a), session)
    np.testing.assert_allclose(got, np.linalg.inv(g), rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("dtype", ["float32", "int64", "int8"])
def test_tile_solve_and_inv_dtypes(dtype, session):
    # numpy's result dtypes: float32 stays float32, integers give float64
    # (a diagonally dominant matrix within int8's range).
    g = _lu_case(10, dtype, "ints")
    assert (np.diag(g) > 100).all()
    b = np.arange(10, dtype=dtype)
    a = mt.tensor(g, chunk_size=4)
    rtol = 1e-4 if dtype == "float32" else 1e-11
    for got, want in ((mt.linalg.solve(a, b), np.linalg.solve(g, b)),
                      (mt.linalg.solve(a, np.stack([b, b + 1], 1)),
                       np.linalg.solve(g, np.stack([b, b + 1], 1))),
                      (mt.linalg.inv(a), np.linalg.inv(g))):
        got = run(got, session)
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * 1e-3)


@pytest.mark.parametrize("n,bs", [(7, 3), (40, 16), (24, 8)])
@pytest.mark.parametrize("kind", ["random", "permuted"])
def test_tile_lu(n, bs, kind, session):
    # scipy's P, L, U from tiles: scipy's own factors when the pivots are
    # decided (row exchanges across tiles included); and P @ L @ U = a,
    # L unit lower, U upper, P a permutation always.
    sl = pytest.importorskip("scipy.linalg")
    g = _lu_case(n, "float64", kind)
    a = mt.tensor(g, chunk_size=bs)
    p, low, up = (run(t, session) for t in mt.linalg.lu(a))
    np.testing.assert_allclose(p @ low @ up, g, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(np.tril(low, -1) + np.eye(n), low)
    np.testing.assert_array_equal(np.triu(up), up)
    np.testing.assert_array_equal(np.sort(p, axis=0), np.sort(np.eye(n), 0))
    assert np.abs(low).max() <= 1.0   # partial pivoting's bound
    if kind == "permuted":
        wp, wl, wu = sl.lu(g)
        np.testing.assert_array_equal(p, wp)
        np.testing.assert_allclose(low, wl, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(up, wu, rtol=1e-10, atol=1e-12)
    pl, up2 = (run(t, session) for t in mt.linalg.lu(a, permute_l=True))
    np.testing.assert_allclose(pl, p @ low, rtol=0, atol=0)
    np.testing.assert_array_equal(up2, up)
    # scipy's dtypes: float32 stays float32, integers give float64.
    for dtype, want in (("float32", np.float32), ("int64", np.float64)):
        parts = mt.linalg.lu(a.astype(dtype))
        assert all(run(t, session).dtype == want for t in parts)
        pl, u = (run(t, session)
                 for t in mt.linalg.lu(a.astype(dtype), permute_l=True))
        assert pl.dtype == u.dtype == want


@pytest.mark.parametrize("chunks", [(4, 6), (6, 4), (1, 12), (5, 3)])
def test_tile_chunkings(chunks, session):
    # Row and column chunks that differ, thin strips, uneven: the tiles
    # are squares of the largest chunk side; numpy's results.
    g = _lu_case(23, "float64", "permuted")
    a = mt.tensor(g, chunk_size=chunks)
    np.testing.assert_allclose(run(mt.linalg.inv(a), session),
                               np.linalg.inv(g), rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(run(mt.linalg.solve(a, g[0]), session),
                               np.linalg.solve(g, g[0]), rtol=1e-10,
                               atol=1e-13)
    p, low, up = (run(t, session) for t in mt.linalg.lu(a))
    np.testing.assert_allclose(p @ low @ up, g, rtol=1e-12, atol=1e-12)
    spd = g @ g.T
    np.testing.assert_allclose(
        run(mt.linalg.cholesky(mt.tensor(spd, chunk_size=chunks)), session),
        np.linalg.cholesky(spd), rtol=1e-10, atol=1e-10)


def test_tile_count_is_bounded():
    # A matrix cut in thin strips gets at most _MAX_TILES tiles a side.
    from mars.tensor.linalg import _MAX_TILES, _tile_edges
    a = mt.tensor(np.eye(1000), chunk_size=(1, 1000 // 2 - 1))
    edges = _tile_edges(a)
    assert len(edges) - 1 <= _MAX_TILES and edges[-1] == 1000
    assert _tile_edges(mt.tensor(np.eye(8), chunk_size=(8, 2))) is None
    assert _tile_edges(mt.tensor(np.ones((2, 8, 8)),
                                 chunk_size=(1, 4, 4))) is None


def test_tile_stacks_take_one_call(session):
    # A stack chunked along both matrix dimensions: one LAPACK call per
    # matrix (numpy's results), not the 2-D tiles.
    g = np.stack([_lu_case(9, "float64", "random", s) for s in range(3)])
    a = mt.tensor(g, chunk_size=(2, 4, 4))
    np.testing.assert_allclose(run(mt.linalg.inv(a), session),
                               np.linalg.inv(g), rtol=1e-10, atol=1e-12)
    b = np.ones((3, 9, 2))
    np.testing.assert_allclose(run(mt.linalg.solve(a, b), session),
                               np.linalg.solve(g, b), rtol=1e-10, atol=1e-12)


def test_tile_eager_mode():
    # Eager mode runs each step as it is made: the tiled factors, not the
    # one-call node, and numpy's LinAlgError at the call.
    import mars
    g = _lu_case(12, "float64", "permuted")
    with mars.option_context(eager_mode=True):
        a = mt.tensor(g, chunk_size=5)
        np.testing.assert_allclose(mt.linalg.inv(a).fetch(),
                                   np.linalg.inv(g), rtol=1e-10, atol=1e-13)
        p, low, up = mt.linalg.lu(a)
        np.testing.assert_allclose(p.fetch() @ low.fetch() @ up.fetch(), g,
                                   atol=1e-12)
        with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
            mt.linalg.solve(mt.tensor(np.ones((12, 12)), chunk_size=5),
                            np.ones(12))


@pytest.mark.parametrize("n,bs", [(7, 3), (40, 16), (33, 11)])
@pytest.mark.parametrize("kind", ["random", "permuted", "singular"])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
def test_tile_det_and_slogdet(n, bs, kind, dtype, session):
    # From the tiled LU: det(P) as the panels' signs, U's diagonal tiles;
    # numpy's values and dtypes, a singular matrix's (0, -inf) and det 0.
    g = _lu_case(n, "float64", "random" if kind == "singular" else kind)
    if kind == "singular":
        g[:, n // 2] = g[:, 1]
        g[:, 1] = 0.0
    g = (g * 3).astype(dtype)
    a = mt.tensor(g, chunk_size=bs)
    sign, logdet = (run(t, session) for t in mt.linalg.slogdet(a))
    want_sign, want_logdet = np.linalg.slogdet(g)
    assert sign.dtype == want_sign.dtype and logdet.dtype == want_logdet.dtype
    assert sign == want_sign
    rtol = 1e-4 if dtype == "float32" else 1e-10
    np.testing.assert_allclose(logdet, want_logdet, rtol=rtol)
    got = run(mt.linalg.det(a), session)
    with np.errstate(over="ignore"):   # float32's det of n = 40 is inf
        want = np.linalg.det(g)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=rtol * 10)


def test_tiles_under_a_memory_limit():
    # A random matrix of 8 MB (made in the program: an argument is held
    # whole) factored and solved under a 4 MB limit (tiles of 100 x 100,
    # block columns of 800 KB): the tiled LU spills and agrees with
    # numpy; the trace and diagonal read a square of the diagonal per
    # task, not the whole matrix.
    import mars
    tight = mars.new_session(default=False, small_elements=0,
                             memory_limit="4MB")

    def make():
        return mt.random.RandomState(3).rand(1000, 1000, chunk_size=100)
    # (A fetched tensor is held whole by later programs: fetch a twin.)
    g = make().fetch(session=mars.new_session(default=False))
    a = make()
    b = np.arange(3000.0).reshape(1000, 3)
    x = mt.linalg.solve(a, b)
    x.execute(session=tight)
    np.testing.assert_allclose(x.fetch(session=tight),
                               np.linalg.solve(g, b), rtol=1e-8, atol=1e-10)
    assert tight.last_report()["bytes_spilled"] > 0
    for t, want in ((mt.trace(a), np.trace(g)),
                    (mt.diagonal(a, 37), np.diagonal(g, 37)),
                    (mt.diagonal(a, -260), np.diagonal(g, -260))):
        t.execute(session=tight)
        np.testing.assert_allclose(t.fetch(session=tight), want, rtol=1e-13)


@pytest.mark.parametrize("shape,chunks", [
    ((40, 30), (7, 9)), ((1, 30), (1, 4)), ((30, 1), (4, 1)),
    ((3, 17, 19), (2, 5, 4)), ((0, 5, 6), (1, 2, 2)), ((200, 200), (3, 3))],
    ids=repr)
def test_diagonal_by_squares(shape, chunks, session):
    # The diagonal through squares of about a chunk's side (many squares,
    # or at most 64): numpy's for every offset, axes in either order,
    # batches, size-1 and size-0 dimensions.
    x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    a = mt.tensor(x, chunk_size=chunks)
    n, m = shape[-2:]
    axes = [(0, 1), (1, 0)] if x.ndim == 2 else [(0, 2), (2, 0), (1, 2)]
    for a1, a2 in axes:
        for k in sorted({0, 1, -1, 3, -5, m - 1, -(n - 1), m, -n, m + 4}):
            want = np.diagonal(x, k, a1, a2)
            got = run(mt.diagonal(a, k, a1, a2), session)
            assert got.shape == want.shape, (a1, a2, k)
            np.testing.assert_array_equal(got, want)
    if x.ndim == 2:
        np.testing.assert_array_equal(run(mt.trace(a), session), np.trace(x))


def test_tile_singular_and_non_finite(session):
    # A singular matrix: numpy's LinAlgError from solve and inv (U has an
    # exact zero on its diagonal); lu factors it. A NaN: scipy's lu (with
    # check_finite) raises ValueError wherever it is; solve propagates it.
    g = np.arange(100.0).reshape(10, 10)
    g[:, 7] = 0.0
    a = mt.tensor(g, chunk_size=4)
    for t in (mt.linalg.inv(a), mt.linalg.solve(a, np.ones(10))):
        with pytest.raises(np.linalg.LinAlgError):
            run(t, session)
    p, low, up = (run(t, session) for t in mt.linalg.lu(a))
    np.testing.assert_allclose(p @ low @ up, g, atol=1e-12)
    for at in [(0, 0), (1, 9), (9, 1), (9, 9), (5, 6)]:
        h = _lu_case(10, "float64", "permuted")
        h[at] = np.nan if at[0] % 2 else np.inf
        b = mt.tensor(h, chunk_size=4)
        for t in mt.linalg.lu(b):
            with pytest.raises(ValueError, match="infs or NaNs"):
                run(t, session)
        got = run(mt.linalg.solve(b, np.ones(10)), session)
        want = np.linalg.solve(h, np.ones(10))
        assert np.isfinite(got).all() == np.isfinite(want).all(), at
        run(mt.linalg.lu(b, check_finite=False)[2], session)


@pytest.mark.parametrize("shape,chunk", [((300, 40), (64, 40)),
                                         ((40, 300), (40, 64)),
                                         ((120, 120), None)])
@pytest.mark.parametrize("normalizer", ["auto", "QR", "LU", "none"])
def test_randomized_svd_low_rank(shape, chunk, normalizer, session):
    # A rank-6 matrix: the 4 leading triplets are exact (to rounding), U
    # and Vh orthonormal, and each column of U has its largest-magnitude
    # entry positive (sklearn's flip when the matrix is not transposed).
    g = np.random.default_rng(shape[0])
    a = g.standard_normal((shape[0], 6)) @ g.standard_normal((6, shape[1]))
    u, s, vh = mt.linalg.randomized_svd(
        mt.tensor(a, chunk_size=chunk), 4,
        power_iteration_normalizer=normalizer, random_state=3)
    u, s, vh = run(u, session), run(s, session), run(vh, session)
    want = np.linalg.svd(a, compute_uv=False)[:4]
    np.testing.assert_allclose(s, want, rtol=1e-10)
    assert u.shape == (shape[0], 4) and vh.shape == (4, shape[1])
    np.testing.assert_allclose(u.T @ u, np.eye(4), atol=1e-10)
    np.testing.assert_allclose(vh @ vh.T, np.eye(4), atol=1e-10)
    # U s Vh is the best rank-4 approximation: its error is the 5th value.
    err = np.linalg.norm(a - (u * s) @ vh, 2)
    np.testing.assert_allclose(err, np.linalg.svd(a, compute_uv=False)[4],
                               rtol=1e-8)
    if shape[0] >= shape[1]:
        rows = np.abs(u).argmax(axis=0)
        assert (u[rows, np.arange(4)] > 0).all()


def test_randomized_svd_errors():
    with pytest.raises(ValueError):
        mt.linalg.randomized_svd(mt.ones(5), 1)
    with pytest.raises(ValueError):
        mt.linalg.randomized_svd(mt.ones((5, 3)), 4)
    with pytest.raises(ValueError):
        mt.linalg.randomized_svd(mt.ones((5, 3)), 2,
                                 power_iteration_normalizer="bad")
