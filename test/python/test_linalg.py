"""dot, matmul (@), tensordot, inner, outer, vdot against numpy."""

import numpy as np
import pytest

import mars.tensor as mt

from helpers import assert_same, run, to_mt

DTYPES = ["bool", "int32", "int64", "float32", "float64"]


def arr(shape, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    d = np.dtype(dtype)
    if d == np.bool_:
        return rng.integers(0, 2, size=shape) > 0
    if d.kind == "i":
        return rng.integers(-5, 6, size=shape).astype(d)
    return rng.uniform(-1, 1, size=shape).astype(d)


def rtol(dtype):
    return 1e-5 if np.dtype(dtype) == np.float32 else 1e-10


def check2(fn, a, b, session, chunk_size=None, chunk_size_b=None):
    e = np.asarray(fn(np, a, b))
    t = fn(mt, to_mt(a, chunk_size), to_mt(b, chunk_size_b or chunk_size))
    assert t.shape == e.shape
    assert t.dtype == e.dtype
    assert_same(run(t, session), e, rtol=rtol(e.dtype), atol=1e-12)


MATRIX_SHAPES = [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
    ((1, 1), (1, 1)), ((5, 7), (7, 1)), ((1, 7), (7, 6)), ((6, 9), (9, 5)),
    ((2, 0), (0, 3)), ((0, 3), (3, 2)), ((0,), (0,)),
]


@pytest.mark.parametrize("sa,sb", MATRIX_SHAPES, ids=repr)
@pytest.mark.parametrize("func", ["dot", "matmul", "@", "method"])
def test_matrix_products(session, sa, sb, func):
    a, b = arr(sa, seed=1), arr(sb, seed=2)
    f = {"dot": lambda xp, x, y: xp.dot(x, y),
         "matmul": lambda xp, x, y: xp.matmul(x, y),
         "@": lambda xp, x, y: x @ y,
         "method": lambda xp, x, y: x.dot(y)}[func]
    check2(f, a, b, session)


@pytest.mark.parametrize("sa,sb", [((6, 9), (9, 5)), ((7,), (7, 4)),
                                   ((4, 7), (7,)), ((9,), (9,))], ids=repr)
def test_matrix_products_chunked(session, chunk_size, sa, sb):
    a, b = arr(sa, seed=3), arr(sb, seed=4)
    check2(lambda xp, x, y: x @ y, a, b, session, chunk_size)
    check2(lambda xp, x, y: xp.dot(x, y), a, b, session, chunk_size, 2)


@pytest.mark.parametrize("d1", DTYPES)
@pytest.mark.parametrize("d2", DTYPES)
def test_dot_dtypes(session, d1, d2):
    a, b = arr((3, 4), d1, 5), arr((4, 2), d2, 6)
    check2(lambda xp, x, y: xp.dot(x, y), a, b, session)
    check2(lambda xp, x, y: x @ y, a, b, session)


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool"])
def test_integer_and_bool_products_are_exact(session, chunk_size, dtype):
    a = arr((7, 11), dtype, 7)
    b = arr((11, 5), dtype, 8)
    check2(lambda xp, x, y: x @ y, a, b, session, chunk_size)


def test_matmul_with_numpy_and_list_operands(session):
    a = arr((3, 4), seed=9)
    b = arr((4, 2), seed=10)
    t = mt.tensor(a)
    assert_same(run(t @ b, session), a @ b, rtol=1e-10)
    assert_same(run(mt.matmul(a, mt.tensor(b)), session),
                a @ b, rtol=1e-10)
    assert_same(run(t @ [1.0, 2.0, 3.0, 4.0], session),
                a @ [1.0, 2.0, 3.0, 4.0], rtol=1e-10)


def test_rmatmul_with_numpy_left_operand(session):
    a = arr((3, 4), seed=11)
    b = arr((4, 2), seed=12)
    r = a @ mt.tensor(b)
    assert_same(np.asarray(run(r, session) if isinstance(r, mt.Tensor)
                           else r), a @ b, rtol=1e-10)


def test_dot_with_scalar(session):
    a = arr((3, 4), seed=13)
    check2(lambda xp, x, y: xp.dot(x, y), a, np.array(2.5), session)
    check2(lambda xp, x, y: xp.dot(x, y), np.array(3.0), a, session)


@pytest.mark.parametrize("sa,sb", [((2, 3, 4), (4,)), ((2, 3, 4), (4, 5)),
                                   ((2, 3, 4), (5, 4, 2))], ids=repr)
def test_dot_nd(session, sa, sb):
    # numpy.dot of N-D arrays: a sum product over the last axis of a and the
    # second-to-last of b.
    a, b = arr(sa, seed=14), arr(sb, seed=15)
    check2(lambda xp, x, y: xp.dot(x, y), a, b, session)


@pytest.mark.parametrize("sa,sb", [((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4, 5)),
                                   ((3, 4), (2, 4, 5))], ids=repr)
def test_matmul_stacked(sa, sb, session):
    a, b = arr(sa), arr(sb)
    check2(lambda xp, x, y: xp.matmul(x, y), a, b, session)
    check2(lambda xp, x, y: x @ y, a, b, session)


# -- tensordot -------------------------------------------------------------------

@pytest.mark.parametrize("sa,sb,axes", [
    ((3, 4), (4, 5), 1), ((2, 3, 4), (3, 4, 5), 2), ((3,), (4,), 0),
    ((2, 3), (3, 2), 0), ((3, 4, 5), (4, 3, 2), ([0, 1], [1, 0])),
    ((3, 4), (5, 3), ([0], [1])), ((3, 4), (3, 4), 2),
    ((2, 3, 4), (4, 3), ((1, 2), (1, 0))), ((3, 4), (4, 5), (1, 0)),
    ((2, 3), (2, 3), ([-1, -2], [-1, -2])),
], ids=repr)
def test_tensordot(session, sa, sb, axes):
    a, b = arr(sa, seed=16), arr(sb, seed=17)
    check2(lambda xp, x, y: xp.tensordot(x, y, axes=axes), a, b, session)


def test_tensordot_default_axes_and_chunks(session, chunk_size):
    a, b = arr((3, 4, 5), seed=18), arr((4, 5, 2), seed=19)
    check2(lambda xp, x, y: xp.tensordot(x, y), a, b, session, chunk_size)


@pytest.mark.parametrize("d1,d2", [("int32", "int32"), ("int32", "float32"),
                                   ("float32", "float32"), ("bool", "int64")])
def test_tensordot_dtypes(session, d1, d2):
    a, b = arr((3, 4), d1, 20), arr((4, 3), d2, 21)
    check2(lambda xp, x, y: xp.tensordot(x, y, axes=1), a, b, session)


# -- inner / outer / vdot --------------------------------------------------------

@pytest.mark.parametrize("sa,sb", [((3,), (3,)), ((2, 3), (4, 3)),
                                   ((2, 3), (3,)), ((), (3,))], ids=repr)
def test_inner(session, sa, sb):
    check2(lambda xp, x, y: xp.inner(x, y), arr(sa, seed=22), arr(sb, seed=23),
           session)


@pytest.mark.parametrize("sa,sb", [((3,), (4,)), ((2, 2), (3,)), ((), (3,))],
                         ids=repr)
def test_outer(session, sa, sb):
    check2(lambda xp, x, y: xp.outer(x, y), arr(sa, seed=24), arr(sb, seed=25),
           session)


@pytest.mark.parametrize("sa", [(3,), (2, 3)], ids=repr)
def test_vdot(session, sa):
    check2(lambda xp, x, y: xp.vdot(x, y), arr(sa, seed=26), arr(sa, seed=27),
           session)


def test_products_in_expressions(session, chunk_size):
    a = arr((6, 4), seed=28)
    b = arr((4, 6), seed=29)
    check2(lambda xp, x, y: (x @ y).T @ x + 1, a, b, session, chunk_size)
    check2(lambda xp, x, y: xp.dot(x.T, x) - xp.dot(y, y.T), a, b, session,
           chunk_size)
    check2(lambda xp, x, y: (x @ y).sum(axis=0), a, b, session, chunk_size)
