"""numpy.matmul over stacks of matrices (the ``mars.matmul`` op of rank 3
and more; batch dimensions broadcast, 1-D operands promoted and dropped,
a stack times one matrix as one product of its rows) and einsum's batched
contractions that become it, against numpy on shapes with ragged chunks,
empty and size-1 dimensions, every dtype and both session kinds."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import mars.tensor as mt

from helpers import assert_same, get_session, random_array, run, to_mt


_arr = random_array


def _tol(a, b, expected):
    """numpy's and BLAS's sums differ in order: a few ulps of |a| @ |b|."""
    if expected.dtype.kind != "f" or expected.size == 0:
        return 0.0
    eps = np.finfo(expected.dtype).eps
    k = a.shape[-1] if a.ndim else 1
    return float(4 * k * eps * np.max(np.abs(a.astype(np.float64)) @
                                      np.abs(b.astype(np.float64)),
                                      initial=0))


SHAPES = [
    ((2, 3, 4), (2, 4, 5)), ((5, 7, 9), (5, 9, 6)), ((2, 3, 4), (4, 5)),
    ((3, 4), (2, 4, 5)), ((2, 3, 4), (4,)), ((4,), (2, 4, 5)),
    ((1, 3, 4), (6, 4, 2)), ((6, 3, 4), (1, 4, 2)),
    ((2, 1, 3, 4), (5, 4, 2)), ((3, 1, 2, 3), (1, 4, 3, 2)),
    ((0, 3, 4), (0, 4, 2)), ((2, 0, 4), (2, 4, 3)), ((2, 3, 0), (2, 0, 3)),
    ((2, 3, 4), (1, 4, 0)), ((1, 1, 1), (1, 1, 1)), ((3, 1, 5), (3, 5, 1)),
    ((2, 2, 3, 4), (2, 2, 4, 3)),
]


@pytest.mark.parametrize("sa,sb", SHAPES, ids=repr)
def test_matmul_stacks(sa, sb, session, chunk_size):
    a, b = _arr(sa, seed=1), _arr(sb, seed=2)
    expected = np.matmul(a, b)
    got = run(mt.matmul(to_mt(a, chunk_size), to_mt(b, chunk_size)), session)
    assert_same(got, expected, rtol=0, atol=_tol(a, b, expected))
    got = run(to_mt(a, chunk_size) @ to_mt(b, chunk_size), session)
    assert_same(got, expected, rtol=0, atol=_tol(a, b, expected))


@pytest.mark.parametrize("d1,d2", [("float32", "float32"),
                                   ("float32", "float64"),
                                   ("int32", "int32"), ("int64", "int32"),
                                   ("bool", "bool"), ("bool", "int64"),
                                   ("int32", "float32")])
def test_matmul_stack_dtypes(d1, d2, session):
    a, b = _arr((3, 4, 5), d1, 3), _arr((3, 5, 2), d2, 4)
    expected = np.matmul(a, b)
    got = run(mt.matmul(to_mt(a, 2), to_mt(b, 3)), session)
    assert_same(got, expected, rtol=0, atol=_tol(a, b, expected))


def test_matmul_stack_special_values(session):
    a = _arr((2, 3, 4), seed=5)
    b = _arr((2, 4, 2), seed=6)
    a[0, 1, 2] = np.nan
    a[1, 0, 0] = np.inf
    b[1, 3, 1] = -0.0
    with np.errstate(all="ignore"):
        expected = np.matmul(a, b)
    got = run(mt.matmul(to_mt(a, 2), to_mt(b, 2)), session)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(got[finite], expected[finite], rtol=1e-12)
    np.testing.assert_array_equal(got[~finite & ~np.isnan(expected)],
                                  expected[~finite & ~np.isnan(expected)])


def test_matmul_stack_errors():
    with pytest.raises(ValueError):
        mt.matmul(mt.ones((2, 3, 4)), mt.ones((2, 5, 3)))
    with pytest.raises(ValueError):
        mt.matmul(mt.ones((2, 3, 4)), mt.ones((3, 4, 2)))
    with pytest.raises(ValueError):
        mt.matmul(mt.ones((2, 3, 4)), 2.0)
    with pytest.raises(ValueError):
        mt.ones((2, 3, 4)) @ mt.ones(5)


EINSUMS = [
    ("bij,bjk->bik", [(4, 3, 5), (4, 5, 2)]),
    ("bij,bkj->bik", [(4, 3, 5), (4, 2, 5)]),
    ("bji,bjk->bki", [(3, 5, 4), (3, 5, 2)]),
    ("ibj,jbk->bik", [(3, 4, 5), (5, 4, 2)]),
    ("abij,abjk->abik", [(2, 3, 4, 5), (2, 3, 5, 2)]),
    ("bijc,bjcd->bid", [(2, 3, 4, 5), (2, 4, 5, 3)]),
    ("bi,bi->b", [(6, 7), (6, 7)]),
    ("bij,bj->bi", [(4, 3, 5), (4, 5)]),
    ("bij,bjk->bki", [(4, 3, 5), (1, 5, 2)]),
    ("...ij,...jk->...ik", [(2, 3, 4, 5), (3, 5, 2)]),
    ("bij,bjk,bkl->bil", [(3, 2, 4), (3, 4, 5), (3, 5, 2)]),
]


@pytest.mark.parametrize("sub,shapes", EINSUMS, ids=lambda x: str(x))
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
def test_einsum_batched(sub, shapes, dtype, session):
    arrays = [_arr(s, dtype, 10 + i) for i, s in enumerate(shapes)]
    expected = np.einsum(sub, *arrays)
    for cs in (2, 3, None):
        got = run(mt.einsum(sub, *[to_mt(x, cs) for x in arrays]), session)
        if dtype == "int64":
            assert_same(got, expected)
        else:
            rtol = 1e-4 if dtype == "float32" else 1e-10
            assert_same(got, expected, rtol=rtol,
                        atol=rtol * float(np.max(np.abs(expected),
                                                 initial=0)))


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(st.lists(st.integers(1, 3), min_size=0, max_size=2),
       st.integers(0, 4), st.integers(0, 4), st.integers(0, 4),
       st.sampled_from([1, 2, 3, 5]), st.booleans(), st.booleans())
def test_matmul_stack_property(batch, m, k, n, cs, broadcast_a, vector_b):
    sa = tuple(batch) + (m, k)
    sb = (tuple(1 if broadcast_a else d for d in batch) + (k, n)
          if not vector_b else (k,))
    if len(sa) < 3 and len(sb) < 3:
        sa = (2,) + sa
    a, b = _arr(sa, seed=m + 10 * k), _arr(sb, seed=n + 10 * k)
    expected = np.matmul(a, b)
    got = run(mt.matmul(to_mt(a, cs), to_mt(b, cs)), get_session("compiled"))
    assert_same(got, expected, rtol=0, atol=_tol(a, b, expected))


@pytest.mark.parametrize("args", [
    lambda a, b, c: (a, [0, 1], b, [1, 2]),
    lambda a, b, c: (a, [0, 1], b, [1, 2], [2, 0]),
    lambda a, b, c: (c, [Ellipsis, 0, 1], b, [1, 2], [Ellipsis, 0, 2]),
    lambda a, b, c: (a, [0, 0]),
    lambda a, b, c: (a, [27, 30], b, [30, 51], [51, 27]),
    lambda a, b, c: (c, [3, 0, 1], c, [3, 0, 1], [3]),
], ids=range(6))
def test_einsum_interleaved(args, session):
    a, b, c = _arr((3, 3), seed=20), _arr((3, 4), seed=21), \
        _arr((2, 3, 3), seed=22)
    expected = np.einsum(*args(a, b, c))
    got = run(mt.einsum(*args(to_mt(a, 2), to_mt(b, 2), to_mt(c, 2))),
              session)
    assert_same(got, expected, rtol=1e-12, atol=1e-12)


def test_einsum_interleaved_errors():
    a = mt.ones((2, 2))
    with pytest.raises(TypeError):
        mt.einsum(a, [0, 1.5])
    with pytest.raises(ValueError):
        mt.einsum(a, [0, 52])
