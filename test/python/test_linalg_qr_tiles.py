"""mars.tensor.linalg.qr of matrices chunked along both dimensions (the
blocked Householder QR by tiles) and mode 'raw', against numpy.linalg.qr:
square, tall (short of TSQR's 2n rows) and wide matrices, ragged tiles,
every mode, numpy's signs and dtypes, rank-deficient and ill-conditioned
input, eager mode and a memory limit that forces spilling."""

import numpy as np
import pytest

import mars
import mars.tensor as mt

from helpers import run


def _matrix(shape, kind="random", seed=0):
    rng = np.random.default_rng(seed + shape[0] * 7 + shape[-1])
    g = rng.standard_normal(shape)
    m, n = shape[-2:]
    if kind == "rank":
        # Rank about min(m, n) / 2: dependent columns in every tile.
        r = max(1, min(m, n) // 2)
        g = rng.standard_normal((m, r)) @ rng.standard_normal((r, n))
    elif kind == "ill":
        # Condition number 1e12.
        u, _, vt = np.linalg.svd(g, full_matrices=False)
        g = (u * np.logspace(0, -12, min(m, n))) @ vt
    return g


def _check_factors(q, r, g, complete):
    m, n = g.shape
    k = m if complete else min(m, n)
    assert q.shape == (m, k) and r.shape == (k, n)
    eps = np.finfo(np.float64).eps
    scale = max(1.0, np.linalg.norm(g))
    assert np.linalg.norm(q @ r - g) <= 50 * max(m, n) * eps * scale
    assert np.linalg.norm(q.T @ q - np.eye(k)) <= 50 * max(m, n) * eps
    np.testing.assert_array_equal(np.triu(r), r)


SHAPES = [((12, 12), 5), ((40, 40), 16), ((33, 33), 11), ((30, 20), 7),
          ((20, 30), 7), ((50, 26), (9, 6)), ((17, 45), (4, 8)),
          ((64, 64), (64 // 2 - 1, 3))]


@pytest.mark.parametrize("shape,bs", SHAPES, ids=repr)
@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
def test_tile_qr_matches_numpy(shape, bs, mode, session):
    # The tiles' reflectors are geqrf's: numpy's Q and R, signs included
    # (a random matrix has no diagonal of R near zero).
    g = _matrix(shape)
    a = mt.tensor(g, chunk_size=bs)
    from mars.tensor.linalg import _qr_edges
    assert _qr_edges(a) is not None
    got = mt.linalg.qr(a, mode=mode)
    want = np.linalg.qr(g, mode=mode)
    if mode == "r":
        got, want = (got,), (want,)
    for t, w in zip(got, want):
        t = run(t, session)
        assert t.shape == w.shape and t.dtype == w.dtype
        np.testing.assert_allclose(t, w, rtol=0, atol=1e-12 * max(shape))
    if mode != "r":
        q, r = (run(t, session) for t in got)
        _check_factors(q, r, g, mode == "complete")


@pytest.mark.parametrize("kind", ["rank", "ill"])
@pytest.mark.parametrize("shape,bs", [((40, 40), 9), ((36, 24), 5),
                                      ((24, 36), 5)], ids=repr)
def test_tile_qr_hard_inputs(kind, shape, bs, session):
    # Rank-deficient and ill-conditioned matrices: Householder QR stays
    # backward stable (Q orthonormal, Q R = a to rounding); R's rows past
    # the rank follow rounding, so they are not compared with numpy's.
    g = _matrix(shape, kind)
    a = mt.tensor(g, chunk_size=bs)
    for mode in ("reduced", "complete"):
        q, r = (run(t, session) for t in mt.linalg.qr(a, mode=mode))
        _check_factors(q, r, g, mode == "complete")
    r = run(mt.linalg.qr(a, mode="r"), session)
    np.testing.assert_allclose(np.abs(np.diag(r)),
                               np.abs(np.diag(np.linalg.qr(g, mode="r"))),
                               rtol=0, atol=1e-10 * np.linalg.norm(g))


@pytest.mark.parametrize("shape,bs", [((12, 12), 12), ((12, 12), 5),
                                      ((30, 20), 7), ((20, 30), 7),
                                      ((9, 4), 9), ((4, 9), 9), ((5, 5), 1),
                                      ((1, 1), 1), ((6, 1), 2), ((1, 6), 2)],
                         ids=repr)
def test_qr_raw(shape, bs, session):
    # mode 'raw': geqrf's reflectors (h transposed, n x m) and tau, from
    # one call or from the tiles.
    g = _matrix(shape)
    h, tau = mt.linalg.qr(mt.tensor(g, chunk_size=bs), mode="raw")
    wh, wtau = np.linalg.qr(g, mode="raw")
    h, tau = run(h, session), run(tau, session)
    assert h.shape == wh.shape and tau.shape == wtau.shape
    assert h.dtype == wh.dtype and tau.dtype == wtau.dtype
    np.testing.assert_allclose(h, wh, rtol=0, atol=1e-12 * max(shape))
    np.testing.assert_allclose(tau, wtau, rtol=0, atol=1e-12)


def test_qr_raw_stacks_and_dtypes(session):
    # A stack of matrices (one call per matrix, batched products for the
    # wide tail), and numpy's dtypes: float32 stays float32 (computed in
    # float64), integers give float64.
    g = np.stack([_matrix((5, 8), seed=s) for s in range(3)])
    h, tau = (run(t, session) for t in mt.linalg.qr(mt.tensor(g), "raw"))
    for i in range(3):
        wh, wtau = np.linalg.qr(g[i], mode="raw")
        np.testing.assert_allclose(h[i], wh, rtol=0, atol=1e-12)
        np.testing.assert_allclose(tau[i], wtau, rtol=0, atol=1e-12)
    for dtype, want in (("float32", np.float32), ("int64", np.float64)):
        gi = (g[0] * 4).astype(dtype)
        for chunk in (8, 3):
            got = mt.linalg.qr(mt.tensor(gi, chunk_size=chunk), mode="raw")
            wh, wtau = np.linalg.qr(gi, mode="raw")
            h, tau = (run(t, session) for t in got)
            assert h.dtype == wh.dtype == want and tau.dtype == want
            rtol = 1e-5 if dtype == "float32" else 1e-12
            np.testing.assert_allclose(h, wh, rtol=rtol, atol=rtol)
            q, r = (run(t, session)
                    for t in mt.linalg.qr(mt.tensor(gi, chunk_size=chunk)))
            assert q.dtype == r.dtype == want
            np.testing.assert_allclose(q @ r, gi, rtol=rtol, atol=rtol * 10)


def test_qr_wy_errors():
    # The compact WY form is for matrices of at least as many rows as
    # columns; numpy's mode errors stay numpy's.
    from mars import _mars
    with pytest.raises(ValueError, match="at least as many rows"):
        _mars.linalg_qr(mt.tensor(np.ones((2, 3)))._t, "wy")
    with pytest.raises(ValueError, match="Unrecognized mode"):
        mt.linalg.qr(mt.tensor(np.ones((3, 3)), chunk_size=2), mode="full")
    with pytest.raises(np.linalg.LinAlgError):
        mt.linalg.qr(mt.tensor(np.ones(3)), mode="raw")


def test_tile_qr_eager_mode():
    g = _matrix((14, 11))
    with mars.option_context(eager_mode=True):
        q, r = mt.linalg.qr(mt.tensor(g, chunk_size=4))
        np.testing.assert_allclose(q.fetch(), np.linalg.qr(g)[0], atol=1e-12)
        np.testing.assert_allclose(r.fetch(), np.linalg.qr(g)[1], atol=1e-12)


def test_tile_qr_under_a_memory_limit():
    # An 8 MB random matrix (made in the program: an argument is held
    # whole) factored under a 6 MB limit, tiles of 100 x 100 (a panel's
    # task holds 2.3 MB: the 1000 x 100 panel, its factors and LAPACK's
    # column-major copy), two such tasks at once: it spills and
    # Q R reproduces the matrix; the check is a reduction, so no result is
    # held whole.
    tight = mars.new_session(default=False, small_elements=0,
                             memory_limit="6MB")
    a = mt.random.RandomState(5).rand(1000, 1000, chunk_size=100)
    q, r = mt.linalg.qr(a)
    err = mt.linalg.norm(mt.matmul(q, r) - a)
    orth = mt.linalg.norm(mt.matmul(q.T, q) - mt.eye(1000, chunk_size=100))
    mars.execute(err, orth, session=tight)
    assert err.fetch(session=tight) < 1e-11 * 1000
    assert orth.fetch(session=tight) < 1e-12 * 1000
    assert tight.last_report()["bytes_spilled"] > 0


@pytest.mark.parametrize("shape,bs", [((60, 8), (5, 4)), ((700, 12), 10)],
                         ids=repr)
def test_tile_qr_complete_of_a_tall_matrix(shape, bs, session):
    # 'complete' of a tall matrix chunked in 2-D (reduced and 'r' take
    # TSQR): the m - n columns past R's (688 here: 69 tiles of 10) are cut
    # in at most _MAX_TILES blocks, and Q, R are numpy's.
    g = _matrix(shape)
    q, r = mt.linalg.qr(mt.tensor(g, chunk_size=bs), mode="complete")
    wq, wr = np.linalg.qr(g, mode="complete")
    q, r = run(q, session), run(r, session)
    np.testing.assert_allclose(q, wq, rtol=0, atol=1e-12)
    np.testing.assert_allclose(r, wr, rtol=0, atol=1e-12)
