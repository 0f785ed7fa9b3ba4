"""tril, triu, diag, diagonal and trace of sparse matrices against
scipy.sparse (and numpy on the dense matrix): the triangles stay sparse and
store what scipy's store (explicit zeros in the band included); the
diagonals are dense, bit for bit numpy's (signed zeros, NaN); over
densities, offsets beyond the matrix, chunkings (ragged, size-1, whole),
dtypes, empty matrices, and both local sessions. The dense triangles keep
their fused composition (test_compositions.py); mars.band on dense stacks
is checked here through the C++ API's tril/triu rule, against numpy."""

import numpy as np
import pytest
import scipy.sparse as sp

import mars.tensor as mt

from helpers import CHUNK_SIZES, random_sparse

DENSITIES = (0.0, 1e-2, 0.3, 1.0)
SHAPES = [(1, 1), (9, 7), (6, 11), (0, 4), (5, 0)]
OFFSETS = (-20, -6, -1, 0, 1, 3, 20)


def assert_same_csr(got, want):
    """`got` stores exactly `want`'s stored elements, in canonical order."""
    assert sp.isspmatrix_csr(got), type(got)
    assert got.shape == want.shape and got.dtype == want.dtype
    w = sp.csr_matrix(want)
    w.sort_indices()
    np.testing.assert_array_equal(got.indptr, w.indptr)
    np.testing.assert_array_equal(got.indices, w.indices)
    np.testing.assert_array_equal(got.data, w.data)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("density", DENSITIES)
@pytest.mark.parametrize("chunks", CHUNK_SIZES)
def test_triangles(session, shape, density, chunks):
    a = random_sparse(*shape, density, seed=shape[0] * 7 + int(density * 10))
    t = mt.tensor(a, chunk_size=chunks)
    for k in OFFSETS:
        for mine, theirs in ((mt.tril, sp.tril), (mt.triu, sp.triu)):
            r = mine(t, k)
            assert r.issparse() and r.shape == a.shape
            r.execute(session=session)
            assert_same_csr(r.fetch(), theirs(a, k))


@pytest.mark.parametrize("dtype", ("float32", "int32", "uint8", "int64",
                                   "bool"))
def test_triangles_dtypes(session, dtype):
    a = random_sparse(8, 9, 0.4, dtype, seed=3)
    t = mt.tensor(a, chunk_size=3)
    for k in (-2, 0, 4):
        r = mt.tril(t, k).execute(session=session).fetch()
        assert_same_csr(r, sp.tril(a, k))
        r = mt.triu(t, k).execute(session=session).fetch()
        assert_same_csr(r, sp.triu(a, k))


def test_triangles_keep_explicit_zeros(session):
    # Stored zeros inside the band stay stored, as scipy's tril keeps them.
    a = sp.csr_matrix((np.array([0.0, 2.0, -0.0, 4.0, 0.0]),
                       np.array([0, 2, 0, 1, 3]), np.array([0, 2, 4, 5])),
                      shape=(3, 4))
    t = mt.tensor(a, chunk_size=2)
    got = mt.tril(t).execute(session=session).fetch()
    want = sp.tril(a).tocsr()
    assert got.nnz == want.nnz == 3
    assert_same_csr(got, want)
    np.testing.assert_array_equal(np.signbit(got.data),
                                  np.signbit(want.data))


@pytest.mark.parametrize("shape", SHAPES + [(30, 4)])
@pytest.mark.parametrize("density", DENSITIES)
@pytest.mark.parametrize("chunks", (1, 3, None))
def test_diagonals(session, shape, density, chunks):
    a = random_sparse(*shape, density, seed=shape[1] * 5 + int(density * 10))
    dense = a.toarray()
    t = mt.tensor(a, chunk_size=chunks)
    for k in OFFSETS:
        d = mt.diag(t, k)
        assert not d.issparse()
        got = d.execute(session=session).fetch()
        want = np.diag(dense, k)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(a.diagonal(k), want)
        np.testing.assert_array_equal(
            mt.diagonal(t, k).execute(session=session).fetch(), want)
        np.testing.assert_array_equal(
            mt.diagonal(t, k, 1, 0).execute(session=session).fetch(),
            np.diagonal(dense, k, 1, 0))
    tr = mt.trace(t).execute(session=session).fetch()
    assert tr == np.trace(dense)


def test_diagonal_signs_and_nan(session):
    # A stored -0.0 and a negative NaN come back with their sign bits, as
    # numpy's diag of the dense matrix gives them.
    nan = np.float64(np.nan)
    negnan = -np.abs(nan)
    a = sp.csr_matrix((np.array([-0.0, 5.0, negnan, np.inf, -2.5]),
                       np.array([0, 3, 2, 0, 3]), np.array([0, 2, 2, 3, 5])),
                      shape=(4, 4))
    # The dense matrix with the stored elements as they are (scipy's
    # toarray adds them to +0.0, which drops a -0.0's sign).
    dense = np.zeros(a.shape)
    coo = a.tocoo()
    dense[coo.row, coo.col] = coo.data
    assert np.signbit(dense[0, 0])
    for dtype in ("float64", "float32"):
        t = mt.tensor(a.astype(dtype), chunk_size=3)
        for k in (-3, 0, 1, 3):
            got = mt.diag(t, k).execute(session=session).fetch()
            want = np.diag(dense.astype(dtype), k)
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got.view(f"u{got.itemsize}"),
                                          want.view(f"u{want.itemsize}"))


@pytest.mark.parametrize("dtype", ("int32", "uint8", "int64", "bool",
                                   "float32"))
def test_diagonal_dtypes(session, dtype):
    a = random_sparse(7, 7, 0.5, dtype, seed=11)
    t = mt.tensor(a, chunk_size=2)
    for k in (-1, 0, 2):
        got = mt.diag(t, k).execute(session=session).fetch()
        want = np.diag(a.toarray(), k)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


def test_sparse_diagonal_work_is_the_stored_elements(session):
    # The diagonal and trace of a million-square identity: each chunk of
    # the one-diagonal band reserves its 250,000 positions, not the
    # 6 * 10^10 elements of the chunk.
    n = 10 ** 6
    e = mt.eye(n, sparse=True, chunk_size=250_000)
    d = mt.diag(e).execute(session=session).fetch()
    assert d.shape == (n,) and d.sum() == n
    assert mt.trace(e).execute(session=session).fetch() == n
    above = mt.diag(e, 1).execute(session=session).fetch()
    assert above.shape == (n - 1,) and not above.any()


def test_sparse_triangles_of_a_large_matrix(session):
    # A chunk of a triangle reserves the triangle's positions in it.
    n = 20_000
    e = mt.eye(n, k=-1, sparse=True, chunk_size=5_000)
    assert mt.tril(e, -2).execute(session=session).fetch().nnz == 0
    upper = mt.triu(e, -1).execute(session=session).fetch()
    assert upper.nnz == n - 1


def test_band_dense_stacks_match_numpy(session):
    # The C++ API's tril/triu (mars.band) on dense stacks, reached through
    # the extension module: the band keeps numpy's zeros bit for bit.
    from mars import _mars
    from mars.tensor.core import _wrap
    x = np.arange(2 * 5 * 4, dtype=np.float64).reshape(2, 5, 4) - 17
    x[0, 1, 2] = -0.0
    for lower, upper in ((-5, 0), (1, 4), (-1, 1), (2, 1), (-9, 9)):
        t = mt.tensor(x, chunk_size=2)
        got = _wrap(_mars.band(t._t, lower, upper))
        got = got.execute(session=session).fetch()
        i = np.arange(5).reshape(-1, 1)
        j = np.arange(4).reshape(1, -1)
        want = np.where((j - i >= lower) & (j - i <= upper), x, 0.0)
        np.testing.assert_array_equal(got.view("u8"), want.view("u8"))


def test_errors():
    t = mt.eye(3, sparse=True)
    with pytest.raises(TypeError):
        mt.tril(t, 1.5)
    with pytest.raises(ValueError):
        mt.diagonal(t, 0, 0, 0)


def test_elementwise_of_a_huge_sparse_matrix_reserves_its_bound(session):
    # An elementwise function of a sparse matrix stores at most what its
    # sparse operands store: a chunk of 2 * eye(10^6) + eye(10^6, k=1)
    # reserves about two of its diagonals, not 6 * 10^10 elements.
    n = 10 ** 6
    e = mt.eye(n, sparse=True, chunk_size=250_000)
    f = mt.eye(n, k=1, sparse=True, chunk_size=250_000)
    r = (2 * e + f).execute(session=session).fetch()
    assert r.nnz == 2 * n - 1 and r.sum() == 3 * n - 1
