"""Sparse matrices (compressed sparse rows) against scipy.sparse: creation
(eye(sparse=True), tensor(scipy matrix), tosparse), conversion back
(todense/toarray, fetch as a csr_matrix), and sparse-times-dense products,
over densities, chunkings (ragged, size-1 and whole), dtypes, empty rows and
columns, both local sessions, eager mode, spilling and the cluster; and the
errors of what is not supported yet."""

import math

import numpy as np
import pytest
import scipy.sparse as sp

import mars
import mars.tensor as mt

from helpers import CHUNK_SIZES, get_session, random_sparse

DENSITIES = (0.0, 1e-6, 1e-2, 0.3, 1.0)


def assert_same_sparse(got, want):
    """`got` is a canonical csr_matrix holding exactly `want`'s nonzeros."""
    assert sp.isspmatrix_csr(got), type(got)
    assert got.shape == want.shape and got.dtype == want.dtype
    assert got.has_canonical_format
    w = sp.csr_matrix(want)
    w.eliminate_zeros()
    w.sort_indices()
    np.testing.assert_array_equal(got.indptr, w.indptr)
    np.testing.assert_array_equal(got.indices, w.indices)
    np.testing.assert_array_equal(got.data, w.data)


@pytest.mark.parametrize("chunks", CHUNK_SIZES)
@pytest.mark.parametrize("k", (-2, 0, 1, 7))
def test_eye(session, chunks, k):
    t = mt.eye(5, 6, k=k, sparse=True, chunk_size=chunks)
    assert t.issparse() and t.shape == (5, 6)
    t.execute(session=session)
    assert_same_sparse(t.fetch(), sp.eye(5, 6, k=k, format="csr"))
    np.testing.assert_array_equal(np.asarray(t), np.eye(5, 6, k=k))


@pytest.mark.parametrize("density", DENSITIES)
@pytest.mark.parametrize("shape,chunks", [((1, 1), 1), ((9, 7), 2),
                                          ((9, 7), (4, 7)), ((40, 3), 7),
                                          ((0, 5), 2), ((6, 0), None),
                                          ((30, 25), None)])
def test_round_trip(session, density, shape, chunks):
    a = random_sparse(*shape, density, seed=int(density * 100) + shape[0])
    t = mt.tensor(a, chunk_size=chunks)
    assert t.issparse()
    t.execute(session=session)
    assert_same_sparse(t.fetch(), a)
    d = t.todense()
    assert not d.issparse()
    d.execute(session=session)
    np.testing.assert_array_equal(d.fetch(), a.toarray())
    s = mt.tensor(a.toarray(), chunk_size=chunks).tosparse()
    s.execute(session=session)
    assert_same_sparse(s.fetch(), a)


@pytest.mark.parametrize("dtype", ("float64", "float32", "int64", "int32",
                                   "uint8"))
@pytest.mark.parametrize("chunks", CHUNK_SIZES)
def test_products(session, dtype, chunks):
    for seed, density in enumerate(DENSITIES):
        a = random_sparse(11, 8, density, dtype, seed)
        x = (np.random.default_rng(seed).random(8) * 10).astype(dtype)
        m = (np.random.default_rng(seed + 1).random((8, 3)) * 10).astype(dtype)
        t = mt.tensor(a, chunk_size=chunks)
        for got, want in ((t @ mt.tensor(x, chunk_size=chunks), a @ x),
                          (t.dot(mt.tensor(m, chunk_size=chunks)), a @ m),
                          (mt.matmul(t, m), a @ m)):
            got.execute(session=session)
            v = got.fetch()
            assert v.dtype == want.dtype and v.shape == want.shape
            if np.dtype(dtype).kind == "f":
                rtol = 1e-5 if dtype == "float32" else 1e-12
                np.testing.assert_allclose(v, want, rtol=rtol, atol=1e-5)
            else:
                np.testing.assert_array_equal(v, want)


@pytest.mark.parametrize("chunks", CHUNK_SIZES)
def test_dense_times_sparse(session, chunks):
    a = random_sparse(8, 6, 0.3, seed=22)
    x = np.random.default_rng(22).random(8)
    m = np.random.default_rng(23).random((4, 8))
    t = mt.tensor(a, chunk_size=chunks)
    cases = [(mt.tensor(x, chunk_size=chunks) @ t, x @ a),
             (mt.tensor(m, chunk_size=chunks) @ t, m @ a),
             (mt.dot(m, t), m @ a)]
    mars.execute(*[g for g, _ in cases], session=session)
    for got, want in cases:
        assert not got.issparse()
        np.testing.assert_allclose(got.fetch(), want, rtol=1e-12)


def test_mixed_dtypes_cast_the_sparse_operand(session):
    a = random_sparse(7, 5, 0.4, "int32", seed=12)
    x = np.linspace(-1, 1, 5)
    y = mt.tensor(a, chunk_size=3) @ x
    y.execute(session=session)
    assert y.dtype == np.float64
    np.testing.assert_allclose(y.fetch(), a @ x, rtol=1e-12)


def test_nan_inf_and_signed_zero():
    d = np.array([[0.0, -0.0, np.nan], [np.inf, 0.0, -np.inf], [1.5, 0, 0]])
    for session in (get_session("default"), get_session("compiled")):
        s = mt.tensor(d, chunk_size=2).tosparse()
        s.execute(session=session)
        want = sp.csr_matrix(d)
        assert_same_sparse(s.fetch(), want)
        y = s @ np.ones(3)
        y.execute(session=session)
        np.testing.assert_array_equal(y.fetch(), want @ np.ones(3))


def test_identity_times_dense_is_the_dense():
    x = np.random.default_rng(3).random((300, 4))
    s = get_session("compiled")
    y = mt.eye(300, sparse=True, chunk_size=64) @ mt.tensor(x, chunk_size=64)
    y.execute(session=s)
    np.testing.assert_array_equal(y.fetch(), x)


def test_eager_mode():
    with mars.option_context({"eager_mode": True}):
        t = mt.eye(4, sparse=True, chunk_size=3)
        assert t.issparse()
        assert_same_sparse(t.fetch(), sp.eye(4, format="csr"))
        np.testing.assert_array_equal((t @ np.arange(4.0)).fetch(),
                                      np.arange(4.0))


def test_under_a_memory_limit():
    # A task reserves the most a sparse chunk can store, then keeps what it
    # really holds: eye's diagonal (100-row chunks of eye(2000) reserve 2.4
    # KB), a random draw's tail bound of its count, or (to_sparse) every
    # element (16 bytes each in f64: 3.2 MB for a 100 x 2000 chunk).
    x = np.random.default_rng(9).random(2000)
    tight = mars.new_session(default=False, small_elements=0,
                             memory_limit="1MB")
    y = mt.eye(2000, sparse=True, chunk_size=(100, 2000)) @ x
    y.execute(session=tight)
    np.testing.assert_array_equal(y.fetch(), x)
    r = mt.random.RandomState(2).rand(2000, 2000, density=1e-3,
                                      chunk_size=(100, 2000))
    z = r @ x
    z.execute(session=tight)
    np.testing.assert_allclose(z.fetch(), r.fetch(session=tight) @ x,
                               rtol=1e-14)
    # A dense chunk (1.6 MB) fits in 4 MB; beside it, to_sparse's chunk
    # reserved as if full (3.2 MB) does not.
    d = mt.random.rand(2000, 2000, chunk_size=(100, 2000))
    w = mt.where(d < 0.001, d, 0).tosparse() @ x
    four = mars.new_session(default=False, small_elements=0,
                            memory_limit="4MB")
    with pytest.raises(MemoryError, match="to_sparse|memory limit"):
        w.execute(session=four)
    roomy = mars.new_session(default=False, small_elements=0,
                             memory_limit="64MB")
    w.execute(session=roomy)


def test_unsupported_is_a_clear_error():
    t = mt.eye(3, sparse=True)
    with pytest.raises(NotImplementedError, match="todense"):
        t[:1] * mt.ones((3, 3))  # a sparse matrix does not broadcast
    with pytest.raises(NotImplementedError, match="todense"):
        t * mt.eye(3, sparse=True)[:1]  # sparse operands do not broadcast
    with pytest.raises(NotImplementedError, match="todense"):
        t.var()
    with pytest.raises(NotImplementedError, match="todense"):
        t[1]
    with pytest.raises(ValueError, match="2-D"):
        mt.ones(3).tosparse()


@pytest.mark.parametrize("chunks", CHUNK_SIZES)
def test_elementwise_with_numbers_and_transpose(session, chunks):
    a = random_sparse(9, 7, 0.3, seed=5)
    t = mt.tensor(a, chunk_size=chunks)
    cases = [(t * 2.5, a * 2.5), (3 * t, a * 3), (t / 4, a / 4), (-t, -a),
             (abs(t), abs(a)), (mt.sqrt(abs(t)), abs(a).sqrt()),
             (t ** 2, a.power(2)), (mt.sin(t), a.sin()),
             (mt.expm1(t), a.expm1()),
             (t.astype("float32"), a.astype("float32")),
             (t.T, a.T), (t.T.T, a), ((t * 2).T @ np.ones(9), (a * 2).T @
                                      np.ones(9)),
             (t.rechunk(4) * 1, a)]
    mars.execute(*[g for g, _ in cases], session=session)
    for got, want in cases:
        v = got.fetch()
        if sp.issparse(want):
            w = sp.csr_matrix(want)
            w.sort_indices()
            assert sp.isspmatrix_csr(v) and v.dtype == w.dtype
            np.testing.assert_array_equal(v.indptr, w.indptr)
            np.testing.assert_array_equal(v.indices, w.indices)
            np.testing.assert_allclose(v.data, w.data, rtol=1e-6)
        else:
            np.testing.assert_allclose(v, want, rtol=1e-12)


@pytest.mark.parametrize("dtype", ("float64", "float32", "int32", "uint8",
                                   "bool"))
@pytest.mark.parametrize("axis", (None, 0, 1, -1, (0, 1), (1, 0)))
def test_sum_and_mean(session, dtype, axis):
    a = random_sparse(13, 6, 0.3, "float64" if dtype == "bool" else dtype,
                      seed=6)
    if dtype == "bool":
        a = a.astype(bool)
    d = a.toarray()
    t = mt.tensor(a, chunk_size=4)
    for name in ("sum", "mean"):
        for keepdims in (False, True):
            got = getattr(t, name)(axis=axis, keepdims=keepdims)
            want = getattr(d, name)(axis=axis, keepdims=keepdims)
            got.execute(session=session)
            v = np.asarray(got.fetch())
            assert v.dtype == want.dtype and v.shape == np.shape(want)
            np.testing.assert_allclose(v, want, rtol=1e-5)
    with pytest.raises(np.AxisError):
        t.sum(axis=2)


def test_a_rule_that_fills_zeros_fails_when_run():
    t = mt.eye(3, sparse=True)
    for bad, name in ((t + 1, "add"), (mt.cos(t), "cos"),
                      (t / 0, "true_divide")):
        with pytest.raises(NotImplementedError,
                           match="'%s' of a sparse matrix would make its "
                                 "zeros nonzero" % name):
            bad.execute(session=get_session("compiled"))


@pytest.mark.parametrize("chunks", CHUNK_SIZES)
def test_slices(session, chunks):
    a = random_sparse(11, 9, 0.35, seed=13)
    d = a.toarray()
    t = mt.tensor(a, chunk_size=chunks)
    keys = [(slice(2, 7), slice(None)), (slice(None), slice(1, 8)),
            (slice(1, None, 2), slice(None, None, 3)),
            (slice(None, None, -1), slice(7, 0, -2)), (slice(4, 4),),
            (slice(-3, None), slice(None, -4)), (Ellipsis, slice(2, 3))]
    got = [t[k] for k in keys]
    mars.execute(*got, session=session)
    for g, k in zip(got, keys):
        v = g.fetch()
        assert sp.isspmatrix_csr(v) and v.has_canonical_format
        w = sp.csr_matrix(d[k])
        np.testing.assert_array_equal(v.toarray(), d[k])
        assert v.nnz == w.nnz


@pytest.mark.parametrize("chunks", CHUNK_SIZES)
def test_concatenate_and_stacks(session, chunks):
    a = random_sparse(5, 4, 0.4, seed=14)
    b = random_sparse(3, 4, 0.4, seed=15)
    c = random_sparse(5, 2, 0.4, seed=16)
    ta, tb, tc = (mt.tensor(m, chunk_size=chunks) for m in (a, b, c))
    dense = np.arange(8.0).reshape(2, 4)
    cases = [(mt.concatenate([ta, tb]), sp.vstack([a, b])),
             (mt.vstack([ta, tb, ta]), sp.vstack([a, b, a])),
             (mt.hstack([ta, tc]), sp.hstack([a, c])),
             (mt.concatenate([ta, tc], axis=1), sp.hstack([a, c])),
             (mt.concatenate([ta, mt.tensor(dense)]),
              sp.vstack([a, sp.csr_matrix(dense)]))]
    mars.execute(*[g for g, _ in cases], session=session)
    for got, want in cases:
        v = got.fetch()
        assert sp.isspmatrix_csr(v) and v.has_canonical_format
        np.testing.assert_array_equal(v.toarray(), want.toarray())


def test_count_nonzero():
    a = random_sparse(9, 6, 0.3, seed=17)
    a.data[::3] = 0.0  # explicit zeros are not nonzero
    t = mt.tensor(a, chunk_size=4)
    for axis in (None, 0, 1):
        got = mt.count_nonzero(t, axis=axis)
        got.execute(session=get_session("compiled"))
        np.testing.assert_array_equal(
            got.fetch(), np.count_nonzero(a.toarray(), axis=axis))


@pytest.mark.parametrize("dtype", ("float64", "int32"))
@pytest.mark.parametrize("chunks", CHUNK_SIZES)
def test_sparse_with_sparse(session, dtype, chunks):
    a = random_sparse(9, 8, 0.3, dtype, seed=18)
    b = random_sparse(9, 8, 0.3, dtype, seed=19)
    b = b + a.multiply(-(sp.random(9, 8, 0.5, format="csr",
                                   random_state=np.random.default_rng(20))
                         != 0).astype(dtype))  # some cancel to zero
    ta, tb = mt.tensor(a, chunk_size=chunks), mt.tensor(b, chunk_size=chunks)
    cases = [(ta + tb, a + b), (ta - tb, a - b), (ta * tb, a.multiply(b)),
             (mt.maximum(ta, tb), a.maximum(b)),
             (mt.minimum(ta, tb), a.minimum(b)), (ta != tb, a != b),
             (ta - ta, a - a)]
    mars.execute(*[g for g, _ in cases], session=session)
    for got, want in cases:
        v, w = got.fetch(), sp.csr_matrix(want)
        w.sort_indices()
        assert sp.isspmatrix_csr(v) and v.dtype == w.dtype
        # scipy stores no zero results of sparse-with-sparse operations.
        np.testing.assert_array_equal(v.indptr, w.indptr)
        np.testing.assert_array_equal(v.indices, w.indices)
        np.testing.assert_array_equal(v.data, w.data)


@pytest.mark.parametrize("dtypes", (("float64", "float64"),
                                    ("int32", "float32"), ("uint8", "int64"),
                                    ("float32", "int16"), ("bool", "bool"),
                                    ("bool", "float64")))
@pytest.mark.parametrize("chunks", CHUNK_SIZES)
def test_sparse_times_dense_arrays(session, dtypes, chunks):
    """scipy's multiply with a dense array of the matrix's shape or one that
    broadcasts to it: a sparse result with the matrix's structure (explicit
    zeros kept, inf and NaN of the array read only at stored elements)."""
    sdt, ddt = dtypes
    a = random_sparse(9, 8, 0.3, sdt if sdt != "bool" else "float64",
                      seed=31)
    if sdt == "bool":
        a = (a > 0.5).astype(bool)
    else:
        a.data[::4] = 0  # explicit zeros
    rng = np.random.default_rng(32)
    d = (rng.standard_normal((9, 8)) * 5).astype(ddt)
    if d.dtype.kind == "f":
        d[0, :] = np.inf
        d[1, 2] = np.nan
        d[2, 3] = -0.0
    ta = mt.tensor(a, chunk_size=chunks)
    for other in (d, d[3], d[:, 4:5], d[:1], d[5, 6], d[3:4, 2:3],
                  mt.tensor(d, chunk_size=chunks)):
        plain = np.asarray(other.fetch(session=session)
                           if isinstance(other, mt.Tensor) else other)
        # numpy's promotion (scipy treats a (1, 1) array as a number).
        dtype = np.result_type(a.dtype, plain)
        coo = a.tocoo()
        at = np.broadcast_to(plain, a.shape)[coo.row, coo.col]
        with np.errstate(all="ignore"):
            want = np.multiply(a.data.astype(dtype), at.astype(dtype))
            if plain.ndim == 0 or plain.size > 1:
                np.testing.assert_array_equal(
                    a.multiply(plain).tocsr().data, want)
        for got in (ta * other, other * ta, mt.multiply(ta, other)):
            assert got.issparse()
            v = got.fetch(session=session)
            assert sp.isspmatrix_csr(v) and v.dtype == dtype
            np.testing.assert_array_equal(v.indptr, a.indptr)
            np.testing.assert_array_equal(v.indices, a.indices)
            np.testing.assert_array_equal(v.data, want)


@pytest.mark.parametrize("chunks", CHUNK_SIZES)
def test_sparse_with_dense_arrays_is_dense(session, chunks):
    """Every other function of a sparse matrix and a dense array computes
    on the dense matrix, as scipy does (a dense result)."""
    a = random_sparse(9, 8, 0.3, seed=33)
    rng = np.random.default_rng(34)
    d = rng.standard_normal((9, 8))
    d[0, 0] = np.inf
    d[1, 1] = 0.0
    ta = mt.tensor(a, chunk_size=chunks)
    dense = a.toarray()
    with np.errstate(all="ignore"):
        cases = [(ta + d, np.asarray(a + d)), (d - ta, np.asarray(d - a)),
                 (ta - d[2], np.asarray(a - d[2])),
                 (ta / d, np.asarray(a / d)),
                 (d / ta, d / dense),
                 (ta < d, np.asarray(a < d)), (ta != d[:, :1], dense != d[:, :1]),
                 (mt.maximum(ta, d), np.asarray(a.maximum(d))),
                 (mt.minimum(d, ta), np.minimum(d, dense)),
                 (mt.fmax(ta, d), np.fmax(dense, d))]
        for got, want in cases:
            assert not got.issparse()
            np.testing.assert_array_equal(got.fetch(session=session), want)


def _with_specials(a, dtype):
    """`a` with explicit zeros, and for floats NaN, inf and -0.0 stored."""
    a = a.copy()
    if a.nnz:
        a.data[::5] = 0
        if np.dtype(dtype).kind == "f":
            a.data[1::7] = -0.0
            a.data[2::11] = np.nan
            a.data[3::13] = -np.inf
    return a


@pytest.mark.parametrize("dtype", ("float64", "float32", "int64", "int32",
                                   "uint8", "bool"))
@pytest.mark.parametrize("density", (0.0, 0.05, 0.4, 1.0))
@pytest.mark.parametrize("chunks", CHUNK_SIZES)
def test_extreme_reductions_are_the_dense_ones(session, dtype, density,
                                               chunks):
    """min, max, argmin, argmax, prod, any and all of a sparse matrix give
    numpy's result on its dense form, bit for bit (signed zeros, NaN
    first, the first index of ties), along every axis, with keepdims."""
    base = random_sparse(9, 8, density,
                         "float64" if dtype == "bool" else dtype, seed=41)
    if dtype == "bool":
        base = (base != 0).astype(bool)
    a = _with_specials(base, dtype)
    # The elements by assignment: scipy's toarray() adds each stored element
    # to a zero, which turns a stored -0.0 into 0.0.
    dense = np.zeros(a.shape, a.dtype)
    coo = a.tocoo()
    dense[coo.row, coo.col] = coo.data
    t = mt.tensor(a, chunk_size=chunks)
    cases = []
    for name in ("min", "max", "prod", "any", "all"):
        for axis in (None, 0, 1, -1, (0, 1), (1, 0), ()):
            for keepdims in (False, True):
                cases.append((name, dict(axis=axis, keepdims=keepdims)))
    for name in ("argmin", "argmax"):
        for axis in (None, 0, 1, -2):
            for keepdims in (False, True):
                cases.append((name, dict(axis=axis, keepdims=keepdims)))
    got = [getattr(t, name)(**kw) for name, kw in cases]
    mars.execute(*got, session=session)
    with np.errstate(all="ignore"):
        for (name, kw), g in zip(cases, got):
            want = np.asarray(getattr(np, name)(dense, **kw))
            v = np.asarray(g.fetch(session=session))
            assert v.shape == want.shape and v.dtype == want.dtype, (name, kw)
            np.testing.assert_array_equal(v, want, err_msg=str((name, kw)))
            if want.dtype.kind == "f":  # Signed zeros (a NaN's sign is
                # the hardware's, not numpy's).
                np.testing.assert_array_equal(
                    np.signbit(v) & ~np.isnan(v),
                    np.signbit(want) & ~np.isnan(want), err_msg=str((name, kw)))


def test_sparse_reductions_feed_fused_kernels(session):
    """A short reduction of a sparse matrix read by elementwise ops or a
    reduction stays out of their fused kernel (it runs in the runtime)."""
    a = random_sparse(3000, 4, 0.3, seed=44)
    t = mt.tensor(a, chunk_size=(500, 4))
    dense = a.toarray()
    cases = [(t.max(axis=1).sum(), dense.max(axis=1).sum()),
             (t.max(axis=1) + 1, dense.max(axis=1) + 1),
             (mt.exp(t.min(axis=1)) * t.argmax(axis=1),
              np.exp(dense.min(axis=1)) * dense.argmax(axis=1))]
    mars.execute(*[g for g, _ in cases], session=session)
    for got, want in cases:
        np.testing.assert_allclose(got.fetch(session=session), want,
                                   rtol=1e-14)


def test_extreme_reductions_of_empty_and_tall_matrices(session):
    empty = mt.tensor(sp.csr_matrix((0, 4)), chunk_size=2)
    with pytest.raises(ValueError, match="zero-size array"):
        empty.max().execute(session=session)
    with pytest.raises(ValueError, match="empty sequence"):
        empty.argmin().execute(session=session)
    with pytest.raises(ValueError, match="zero-size array"):
        empty.max(axis=0)  # empty lanes: numpy raises too
    np.testing.assert_array_equal(empty.max(axis=1).fetch(session=session),
                                  np.zeros((0,)))
    np.testing.assert_array_equal(empty.prod(axis=0).fetch(session=session),
                                  np.ones(4))
    # A column of a tall matrix: lanes far longer than what they store; the
    # first zero not stored decides ties with a stored zero.
    col = sp.csr_matrix(([-0.0, 5.0, -3.0], ([0, 500, 999], [0, 0, 0])),
                        shape=(1000, 1))
    t = mt.tensor(col, chunk_size=(128, 1))
    d = col.toarray()
    for name in ("min", "max", "argmin", "argmax", "prod", "all", "any"):
        np.testing.assert_array_equal(
            getattr(t, name)(axis=0).fetch(session=session),
            getattr(np, name)(d, axis=0), err_msg=name)
    assert np.signbit(t.max(axis=0).fetch(session=session)[0]) == \
        np.signbit(d.max(axis=0)[0])


def _draw(kind, seed, shape, density=None, chunks=None, dtype=None):
    rs = mt.random.RandomState(seed)
    if kind == "rand":
        return rs.rand(*shape, density=density, chunk_size=chunks,
                       dtype=dtype)
    if kind == "normal":
        return rs.normal(2.0, 3.0, shape, density=density, chunk_size=chunks,
                         dtype=dtype)
    return rs.randint(-4, 9, shape, density=density, chunk_size=chunks,
                      dtype=dtype or int)


@pytest.mark.parametrize("kind,dtype", [("rand", None), ("rand", "float32"),
                                        ("normal", None), ("randint", None),
                                        ("randint", "uint8"),
                                        ("randint", "int16")])
@pytest.mark.parametrize("density", (0.0, 0.02, 0.3, 1.0))
def test_random_sparse_matrices(session, kind, dtype, density):
    """density=: the same matrix for any chunking, the dense draw's values
    at its stored positions, canonical CSR."""
    if kind == "randint" and dtype == "uint8":
        draw = lambda chunks, dens=density: mt.random.RandomState(7).randint(
            0, 9, (37, 53), density=dens, chunk_size=chunks, dtype="uint8")
    else:
        draw = lambda chunks, dens=density: _draw(kind, 7, (37, 53), dens,
                                                  chunks, dtype)
    first = None
    for chunks in (None, 1, 7, (5, 53), (37, 4)):
        t = draw(chunks)
        assert t.issparse() and t.shape == (37, 53)
        v = t.fetch(session=session)
        assert sp.isspmatrix_csr(v) and v.has_canonical_format
        if first is None:
            first = v
            continue
        np.testing.assert_array_equal(v.indptr, first.indptr)
        np.testing.assert_array_equal(v.indices, first.indices)
        np.testing.assert_array_equal(v.data, first.data)
    dense = draw(None, None).fetch(session=session)
    assert first.dtype == dense.dtype
    coo = first.tocoo()
    np.testing.assert_array_equal(coo.data, dense[coo.row, coo.col])
    if density in (0.0, 1.0):
        assert first.nnz == int(density * 37 * 53)


def test_random_sparse_densities_and_positions(session):
    """The number stored is binomial(m * n, density); positions are uniform
    over rows and columns, rows independent of each other."""
    m, n = 400, 500
    for density in (1e-3, 0.01, 0.1, 0.5, 0.9):
        v = mt.random.RandomState(11).rand(m, n, density=density,
                                           chunk_size=(64, 128)) \
            .fetch(session=session)
        mean = m * n * density
        sd = math.sqrt(m * n * density * (1 - density))
        assert abs(v.nnz - mean) < 5 * sd, (density, v.nnz, mean)
        if density >= 0.01:
            cols = np.bincount(v.indices, minlength=n)
            rows = np.diff(v.indptr)
            # Halves of the columns and rows hold about half each.
            for counts in (cols, rows):
                h = len(counts) // 2
                assert abs(counts[:h].sum() - counts[h:].sum()) < \
                    5 * math.sqrt(v.nnz) + 2
    # A very sparse, wide matrix costs its stored elements, not its area
    # (10^12 elements, about 10^4 stored).
    big = mt.random.RandomState(3).rand(10**5, 10**7, density=1e-8,
                                        chunk_size=(25000, 10**7))
    v = big.fetch(session=session)
    assert abs(v.nnz - 10**4) < 5 * 100
    assert v.indices.max() > 9 * 10**6


def test_very_sparse_wide_matrix_moves_by_what_it_stores(session):
    # A 10^5 x 10^6 matrix storing about 1000 elements. Its transpose,
    # slices, joins, bands and products reserve what their operands store in the
    # regions they read (SparseBoundOpInterface; the fetched matrix, an
    # argument of the next programs, by what it holds), and take whole-row
    # blocks sized by that bound: they reserved 400 GB a chunk (MemoryError)
    # or made 10^5 square chunks of nothing (minutes and gigabytes).
    big = mt.random.RandomState(3).rand(10**5, 10**6, density=1e-8,
                                        chunk_size=(25000, 10**6))
    ref = big.fetch(session=session)
    assert 500 < ref.nnz < 1500
    cases = [
        (big.T, ref.T),
        (big[::-7, 10:-10:3], ref[::-7, 10:-10:3]),
        (mt.vstack([big, big]), sp.vstack([ref, ref])),
        (mt.hstack([big, big[:, :1000]]), sp.hstack([ref, ref[:, :1000]])),
        (mt.triu(big, 5), sp.triu(ref, 5)),
        (big.rechunk((10000, 10**6)), ref),
        (big @ big.T, ref @ ref.T),
        # big is an argument now (fetched): the front end passes what it
        # stores (mars.stored), and the slice is cut by that, not its area.
        (big[:, :200000].T @ big[:, :200000], ref[:, :200000].T @ ref[:, :200000]),
    ]
    for got, want in cases:
        v = got.fetch(session=session)
        assert sp.issparse(v) and v.shape == want.shape
        assert abs(v - want).max() <= 1e-15 * max(1.0, abs(want).max())


def test_stored_count_of_arguments_keys_the_program_cache():
    # A fetched sparse matrix reaches the next program with what it stores
    # (mars.stored, rounded up to 2^k - 1), and that count is part of the
    # program cache's key: a matrix of the same type storing 1000 times
    # more gets a program tiled for it, not the identity's one block.
    s = mars.new_session(default=False, small_elements=0)
    n = 4000
    ra = sp.identity(n, format="csr")
    rb = sp.random(n, n, density=0.5, format="csr", random_state=1)
    a, b = mt.tensor(ra), mt.tensor(rb)
    a.fetch(session=s)
    b.fetch(session=s)
    reports = []
    for t, ref in ((a, ra), (b, rb), (a, ra)):
        v = (t[:, ::2] * 2).fetch(session=s)
        assert (v != ref[:, ::2] * 2).nnz == 0
        reports.append(s.last_report())
    first, second, third = reports
    assert not second["program_cache_hit"]
    assert second["tasks"] > first["tasks"]
    assert third["program_cache_hit"] and third["tasks"] == first["tasks"]


def test_random_sparse_errors():
    with pytest.raises(ValueError, match="density expected"):
        mt.random.rand(3, 4, density=1.5)
    with pytest.raises(ValueError, match="density expected"):
        mt.random.rand(3, 4, density=float("nan"))
    with pytest.raises(ValueError, match="2-D"):
        mt.random.rand(3, 4, 5, density=0.5)
    with pytest.raises(TypeError, match="density must be a number"):
        mt.random.rand(3, 4, density="0.5")
    # Sparse draws combine as sparse matrices do.
    s = mt.random.rand(30, 20, density=0.2, chunk_size=7)
    np.testing.assert_allclose((s @ np.ones(20)).fetch(),
                               s.fetch().toarray().sum(axis=1), rtol=1e-14)


def test_npz_files_in_scipys_format(tmp_path):
    a = random_sparse(20, 30, 0.1, seed=21)
    sp.save_npz(tmp_path / "a.npz", a)
    t = mt.load_npz(tmp_path / "a.npz", chunk_size=7)
    assert t.issparse()
    y = t * 2
    mt.save_npz(tmp_path / "y.npz", y)
    w = sp.load_npz(tmp_path / "y.npz")
    assert_same_sparse(w.tocsr(), a * 2)
    with pytest.raises(TypeError, match="tosparse"):
        mt.save_npz(tmp_path / "d.npz", mt.ones((2, 2)))


@pytest.mark.parametrize("dtype", ("float64", "int64"))
@pytest.mark.parametrize("chunks", CHUNK_SIZES)
def test_sparse_times_sparse(session, dtype, chunks):
    for seed, density in enumerate((0.0, 0.05, 0.3, 1.0)):
        a = random_sparse(9, 7, density, dtype, seed=30 + seed)
        b = random_sparse(7, 6, 0.4, dtype, seed=40 + seed)
        t = mt.tensor(a, chunk_size=chunks) @ mt.tensor(b, chunk_size=chunks)
        assert t.issparse()
        t.execute(session=session)
        v, w = t.fetch(), (a @ b).tocsr()
        assert sp.isspmatrix_csr(v) and v.has_canonical_format
        assert v.dtype == w.dtype
        np.testing.assert_allclose(v.toarray(), w.toarray(), rtol=1e-12)
    e = mt.eye(5, sparse=True, chunk_size=2)
    p = e @ e @ e
    p.execute(session=session)
    assert_same_sparse(p.fetch(), sp.eye(5, format="csr"))


def test_scipys_stored_elements_after_compares_maxima_and_products():
    # scipy stores no zero results of comparisons, maxima and minima with a
    # number, nor of sparse products whose sums cancel; arithmetic with a
    # number keeps the structure.
    a = sp.csr_matrix(np.array([[1.0, -2.0, 0.0], [0.0, 3.0, -1.0],
                                [2.0, 0.0, 0.0]]))
    b = sp.csr_matrix(np.array([[1.0, 0.0], [0.5, 1.0], [0.0, 3.0]]))
    s = get_session("compiled")
    t, u = mt.tensor(a, chunk_size=2), mt.tensor(b, chunk_size=2)
    cases = [(t > 0, a > 0), (mt.maximum(t, 0), a.maximum(0)),
             (mt.minimum(t, 0), a.minimum(0)), (t @ u, a @ b),
             (t * 0, a * 0)]
    mars.execute(*[g for g, _ in cases], session=s)
    for got, want in cases:
        v, w = got.fetch(), want.tocsr()
        w.sort_indices()
        np.testing.assert_array_equal(v.indptr, w.indptr)
        np.testing.assert_array_equal(v.indices, w.indices)
        np.testing.assert_array_equal(v.data, w.data)
    r = t.sum(axis=())
    r.execute(session=s)
    np.testing.assert_array_equal(r.fetch(), a.toarray().sum(axis=()))


def test_malformed_scipy_arrays_are_refused():
    from mars import _mars
    for indptr, indices in (([0, 3, 1], [0]), ([0, 1, 1], [5]),
                            ([1, 1, 1], [0]), ([0, 2, 2], [1, 1])):
        with pytest.raises(ValueError, match="malformed sparse matrix"):
            _mars.from_csr(np.ones(len(indices)), np.array(indices, np.int64),
                           np.array(indptr, np.int64), 2, 3, None)
