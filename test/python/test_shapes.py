"""Shape manipulation against numpy: transpose/.T, reshape, ravel, squeeze,
expand_dims, broadcast_to, concatenate, stack, vstack/hstack, flip,
swapaxes, moveaxis, atleast_1d/2d, rechunk."""

import numpy as np
import pytest

import mars
import mars.tensor as mt

from helpers import assert_same, run, to_mt


def arr(shape, dtype="int64"):
    n = int(np.prod(shape))
    return np.arange(n).reshape(shape).astype(dtype)


def check(fn, x, session, chunk_size=None):
    e = fn(np, x)
    t = fn(mt, to_mt(x, chunk_size))
    assert t.shape == e.shape
    assert t.dtype == e.dtype
    assert_same(run(t, session), e)


# -- transpose -----------------------------------------------------------------

@pytest.mark.parametrize("shape,axes", [
    ((), None), ((5,), None), ((3, 4), None), ((2, 3, 4), None),
    ((2, 3, 4), (1, 0, 2)), ((2, 3, 4), (2, 0, 1)), ((2, 3, 4), (-1, 0, 1)),
    ((2, 3, 4, 5), (3, 1, 0, 2)), ((0, 3), None), ((1, 3, 1), (2, 1, 0)),
], ids=repr)
def test_transpose(session, chunk_size, shape, axes):
    x = arr(shape)
    check(lambda xp, a: xp.transpose(a, axes), x, session, chunk_size)
    check(lambda xp, a: a.transpose(axes), x, session, chunk_size)
    if axes is not None:
        check(lambda xp, a: a.transpose(*axes), x, session, chunk_size)
    check(lambda xp, a: a.T, x, session, chunk_size)
    check(lambda xp, a: a.transpose(), x, session, chunk_size)


def test_transpose_of_expression(session, chunk_size):
    x = arr((3, 5), "float64")
    check(lambda xp, a: (a * 2).T + 1, x, session, chunk_size)
    check(lambda xp, a: a.T.T - a, x, session, chunk_size)
    check(lambda xp, a: xp.transpose(a[::-1] + 0.5), x, session, chunk_size)


@pytest.mark.parametrize("a1,a2", [(0, 1), (0, 2), (-1, 0), (1, 1)])
def test_swapaxes(session, a1, a2):
    check(lambda xp, a: xp.swapaxes(a, a1, a2), arr((2, 3, 4)), session)


@pytest.mark.parametrize("src,dst", [(0, -1), (-1, 0), (1, 2), ([0, 1], [2, 0]),
                                     ((0, 2), (1, 0))], ids=repr)
def test_moveaxis(session, src, dst):
    check(lambda xp, a: xp.moveaxis(a, src, dst), arr((2, 3, 4)), session)


# -- reshape ---------------------------------------------------------------------

@pytest.mark.parametrize("shape,new", [
    ((12,), (3, 4)), ((12,), (-1, 4)), ((12,), (3, -1)), ((3, 4), (12,)),
    ((3, 4), (-1,)), ((3, 4), -1), ((3, 4), (2, 6)), ((3, 4), (2, 2, 3)),
    ((2, 2, 3), (4, 3)), ((2, 2, 3), (3, -1, 2)), ((1,), ()), ((), (1, 1)),
    ((), -1), ((0, 4), (4, 0)), ((0, 4), (-1, 2)), ((6, 1), (1, 6)),
    ((4, 6), (8, 3)), ((4, 6), (3, 8)), ((5, 7), (7, 5)),
], ids=repr)
def test_reshape(session, chunk_size, shape, new):
    x = arr(shape)
    check(lambda xp, a: xp.reshape(a, new), x, session, chunk_size)
    check(lambda xp, a: a.reshape(new), x, session, chunk_size)
    if isinstance(new, tuple) and new:
        check(lambda xp, a: a.reshape(*new), x, session, chunk_size)


def test_reshape_of_transposed_and_sliced(session, chunk_size):
    x = arr((4, 6), "float64")
    check(lambda xp, a: a.T.reshape(3, 8), x, session, chunk_size)
    check(lambda xp, a: a[:, ::2].reshape(-1), x, session, chunk_size)
    check(lambda xp, a: (a + 1).reshape(2, 2, 6).sum(axis=1), x, session,
          chunk_size)


@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 4), (0, 3)])
def test_ravel_flatten(session, chunk_size, shape):
    x = arr(shape)
    check(lambda xp, a: xp.ravel(a), x, session, chunk_size)
    check(lambda xp, a: a.ravel(), x, session, chunk_size)
    check(lambda xp, a: a.flatten(), x, session, chunk_size)
    check(lambda xp, a: a.T.ravel(), x, session, chunk_size)


# -- squeeze / expand_dims ---------------------------------------------------------

@pytest.mark.parametrize("shape,axis", [
    ((1, 3, 1), None), ((1, 3, 1), 0), ((1, 3, 1), 2), ((1, 3, 1), -1),
    ((1, 3, 1), (0, 2)), ((1, 3, 1), (-1, 0)), ((1,), None), ((1, 1), None),
    ((3,), None), ((1, 0, 1), None), ((2, 1, 1, 4), (1, 2)), ((), None),
    ((1,), 0),
], ids=repr)
def test_squeeze(session, shape, axis):
    x = arr(shape)
    check(lambda xp, a: xp.squeeze(a, axis=axis), x, session)
    check(lambda xp, a: a.squeeze(axis), x, session)


@pytest.mark.parametrize("shape,axis", [
    ((3,), 0), ((3,), 1), ((3,), -1), ((3,), -2), ((2, 3), 1),
    ((2, 3), (0, 3)), ((2, 3), (0, -1)), ((), 0), ((2, 3), (1, 2)),
    ((0,), 0),
], ids=repr)
def test_expand_dims(session, chunk_size, shape, axis):
    x = arr(shape)
    check(lambda xp, a: xp.expand_dims(a, axis), x, session, chunk_size)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_atleast(session, shape):
    x = arr(shape)
    check(lambda xp, a: xp.atleast_1d(a), x, session)
    check(lambda xp, a: xp.atleast_2d(a), x, session)


def test_newaxis_constant():
    assert mt.newaxis is None


# -- broadcast_to --------------------------------------------------------------------

@pytest.mark.parametrize("shape,to", [
    ((), (3,)), ((), ()), ((3,), (2, 3)), ((1,), (4,)), ((3, 1), (3, 5)),
    ((1, 4), (2, 3, 4)), ((2, 1, 3), (2, 4, 3)), ((3,), (0, 3)),
    ((1,), (0,)), ((2, 3), (2, 3)),
], ids=repr)
def test_broadcast_to(session, chunk_size, shape, to):
    x = arr(shape, "float32")
    check(lambda xp, a: xp.broadcast_to(a, to), x, session, chunk_size)
    check(lambda xp, a: xp.broadcast_to(a, to) * 2, x, session, chunk_size)


def test_broadcast_to_int_shape_and_lists(session):
    check(lambda xp, a: xp.broadcast_to(a, 4), np.array(7), session)
    assert_same(run(mt.broadcast_to([1, 2, 3], (2, 3)), session),
                np.broadcast_to([1, 2, 3], (2, 3)))


# -- concatenate / stack ---------------------------------------------------------------

@pytest.mark.parametrize("shapes,axis", [
    (((2, 3), (4, 3)), 0), (((2, 3), (2, 5)), 1), (((2, 3), (2, 1)), -1),
    (((2, 3), (1, 3), (3, 3)), 0), (((2, 3, 4), (2, 1, 4)), 1),
    (((0, 3), (2, 3)), 0), (((3,), (0,), (2,)), 0), (((2, 3), (4, 2)), None),
    (((1,),), 0), (((2, 2), (2, 2)), -2),
], ids=repr)
def test_concatenate(session, chunk_size, shapes, axis):
    xs = [arr(s) + 100 * i for i, s in enumerate(shapes)]
    e = np.concatenate(xs, axis=axis)
    t = mt.concatenate([to_mt(x, chunk_size) for x in xs], axis=axis)
    assert t.shape == e.shape
    assert_same(run(t, session), e)


@pytest.mark.parametrize("d1,d2", [("int32", "float32"), ("bool", "int64"),
                                   ("int32", "int64"), ("float32", "float64"),
                                   ("bool", "bool")])
def test_concatenate_promotes_dtypes(session, d1, d2):
    x = arr((2, 2), d1)
    y = arr((3, 2), d2)
    e = np.concatenate([x, y])
    t = mt.concatenate([mt.tensor(x), mt.tensor(y)])
    assert t.dtype == e.dtype
    assert_same(run(t, session), e)


def test_concatenate_numpy_and_list_inputs(session):
    x = np.arange(3)
    e = np.concatenate([x, [10, 11]])
    assert_same(run(mt.concatenate([mt.tensor(x), [10, 11]]), session), e)
    assert_same(run(mt.concatenate((x, x)), session), np.concatenate((x, x)))


@pytest.mark.parametrize("shape,n,axis", [
    ((3,), 2, 0), ((3,), 2, 1), ((3,), 3, -1), ((2, 3), 2, 0), ((2, 3), 2, 1),
    ((2, 3), 4, 2), ((2, 3), 2, -1), ((2, 3), 2, -3), ((), 3, 0),
    ((0, 2), 2, 1),
], ids=repr)
def test_stack(session, chunk_size, shape, n, axis):
    xs = [arr(shape, "float64") * (i + 1) for i in range(n)]
    e = np.stack(xs, axis=axis)
    t = mt.stack([to_mt(x, chunk_size) for x in xs], axis=axis)
    assert t.shape == e.shape
    assert_same(run(t, session), e)


def test_stack_promotes_dtypes(session):
    xs = [np.array([1, 2], np.int32), np.array([0.5, 1.5], np.float32)]
    e = np.stack(xs)
    t = mt.stack([mt.tensor(x) for x in xs])
    assert t.dtype == e.dtype
    assert_same(run(t, session), e)


@pytest.mark.parametrize("shapes", [((3,), (3,)), ((2, 3), (1, 3)),
                                    ((1, 2), (2,))], ids=repr)
def test_vstack(session, shapes):
    xs = [arr(s) for s in shapes]
    assert_same(run(mt.vstack([mt.tensor(x) for x in xs]), session),
                np.vstack(xs))


@pytest.mark.parametrize("shapes", [((3,), (2,)), ((2, 3), (2, 1))],
                         ids=repr)
def test_hstack(session, shapes):
    xs = [arr(s) for s in shapes]
    assert_same(run(mt.hstack([mt.tensor(x) for x in xs]), session),
                np.hstack(xs))


# -- flip --------------------------------------------------------------------------

@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)], ids=repr)
def test_flip(session, chunk_size, axis):
    check(lambda xp, a: xp.flip(a, axis), arr((4, 5)), session, chunk_size)


def test_fliplr_flipud(session):
    x = arr((3, 4))
    check(lambda xp, a: xp.fliplr(a), x, session)
    check(lambda xp, a: xp.flipud(a), x, session)


# -- rechunk, shape functions ------------------------------------------------------

def expected_chunks(n, c):
    """numpy-free definition: chunks of c along a dimension of n, the last
    one shorter."""
    if c >= n:
        return (n,)
    return (c,) * (n // c) + ((n % c,) if n % c else ())


@pytest.mark.parametrize("new", [1, 2, 3, (2, 5), (5, 1), 100], ids=repr)
def test_rechunk(session, chunk_size, new):
    x = arr((5, 7), "float64")
    t = mt.tensor(x, chunk_size=chunk_size).rechunk(new)
    assert t.shape == x.shape and t.dtype == x.dtype
    c = new if isinstance(new, tuple) else (new, new)
    assert t.chunks == tuple(expected_chunks(n, ci)
                             for n, ci in zip(x.shape, c))
    assert_same(run(t, session), x)
    assert_same(run((t + 1).sum(axis=0), session), (x + 1).sum(axis=0))
    assert_same(run(mt.rechunk(mt.tensor(x), new) * 2, session), x * 2)


def test_shape_ndim_size_functions():
    x = arr((2, 3, 4))
    t = mt.tensor(x)
    assert mt.shape(t) == np.shape(x)
    assert mt.ndim(t) == np.ndim(x)
    assert mt.size(t) == np.size(x)
    assert mt.shape([[1, 2, 3]]) == np.shape([[1, 2, 3]])


def test_len_and_iteration(session):
    x = arr((3, 2))
    t = mt.tensor(x)
    assert len(t) == 3
    rows = [run(r, session) for r in t]
    assert len(rows) == 3
    for r, e in zip(rows, x):
        assert_same(r, e)


def test_shape_ops_compose(session, chunk_size):
    x = arr((2, 3, 4), "float64")
    check(lambda xp, a: xp.stack([xp.squeeze(a[:, :1, :], 1),
                                  a.mean(axis=1)], axis=-1).reshape(-1, 2).T,
          x, session, chunk_size)
    check(lambda xp, a: xp.concatenate(
        [xp.expand_dims(a.sum(axis=1), 1),
         xp.transpose(a, (0, 2, 1)).reshape(2, 3, 4)[:, :1]], axis=1),
        x, session, chunk_size)
