"""Basic indexing against numpy: integers (negative too), slices with steps
(negative too, out-of-range bounds), None, Ellipsis, and their mixes, on
chunked tensors and on expressions. Advanced indexing is in
test_advanced_indexing.py."""

import numpy as np
import pytest

import mars.tensor as mt

from helpers import assert_same, run, to_mt


class _Idx:
    def __getitem__(self, item):
        return item


I = _Idx()

INDEXES_3D = [
    I[0], I[-1], I[2], I[1, 2], I[-2, -1, 0], I[0, 0, 0], I[:], I[...],
    I[1:3], I[::2], I[::-1], I[::-2], I[3:0:-1], I[-1:-4:-1], I[:, 1],
    I[:, :, -1], I[..., 0], I[..., ::-1], I[1, ...], I[1, ..., 2], I[None],
    I[:, None], I[..., None], I[None, 0, None, :, None], I[1:, None, ::2],
    I[0:100], I[-100:100], I[5:2], I[2:2], I[10:], I[:-10], I[::3, ::-2],
    I[:, 4:0:-3, 1::2], I[-3:, -2:], I[1, ::-1, None], I[None, ...],
    I[np.int64(1)], I[np.int32(-2), 1], I[..., 1, :], I[:, :, :],
    I[1, 2, 3], I[-3, -5, -6], I[1:2, 1:2, 1:2], I[::100], I[::-100],
    I[None, None, 1, 2],
]


@pytest.mark.parametrize("index", INDEXES_3D, ids=repr)
def test_basic_indexing_3d(session, index):
    x = np.arange(4 * 5 * 6).reshape(4, 5, 6)
    e = x[index]
    t = mt.tensor(x)[index]
    assert t.shape == e.shape
    assert t.dtype == e.dtype
    assert_same(run(t, session), e)


@pytest.mark.parametrize("index", [I[0], I[-1], I[1:6:2], I[::-1], I[5:0:-2],
                                   I[:, 3], I[2, -3], I[::-3, 1:],
                                   I[None, ::2, None], I[..., 4:1:-1],
                                   I[-1, ::-1]], ids=repr)
def test_indexing_chunked(session, chunk_size, index):
    x = np.arange(7 * 9, dtype=np.float64).reshape(7, 9)
    e = x[index]
    t = to_mt(x, chunk_size)[index]
    assert t.shape == e.shape
    assert_same(run(t, session), e)


@pytest.mark.parametrize("index", [I[()], I[...], I[None], I[..., None],
                                   I[None, ...]], ids=repr)
def test_indexing_0d(session, index):
    x = np.array(3.5)
    e = x[index]
    t = mt.tensor(x)[index]
    assert t.shape == np.shape(e)
    assert_same(run(t, session), np.asarray(e))


@pytest.mark.parametrize("dtype", ["bool", "int32", "int64", "float32",
                                   "float64"])
def test_indexing_dtypes(session, dtype):
    x = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
    for index in (I[1], I[:, ::-1], I[-1, 2], I[None, 1:]):
        assert_same(run(mt.tensor(x)[index], session), x[index])


def test_indexing_scalar_element_converts(session):
    x = np.arange(12).reshape(3, 4)
    t = mt.tensor(x)
    v = t[1, 2]
    assert v.shape == ()
    assert int(v.execute(session=session)) == 6
    assert float(mt.tensor(x * 0.5)[2, 3].execute(session=session)) == 5.5


def test_indexing_of_expression_and_expression_of_index(session, chunk_size):
    x = np.arange(30, dtype=np.float64).reshape(5, 6)
    t = to_mt(x, chunk_size)
    assert_same(run((t * 2 + 1)[1:4, ::-2], session),
                (x * 2 + 1)[1:4, ::-2])
    assert_same(run(t[::2] + t[-3:],
                    session), x[::2] + x[-3:])
    assert_same(run(t[:, 0][None] * t[0][:, None][:5, :1], session),
                x[:, 0][None] * x[0][:, None][:5, :1])
    assert_same(run(t.T[::-1][2], session), x.T[::-1][2])
    assert_same(run(t[1:, 1:].sum(axis=0), session), x[1:, 1:].sum(axis=0))


def test_repeated_indexing(session):
    x = np.arange(120).reshape(2, 3, 4, 5)
    t = mt.tensor(x)
    assert_same(run(t[1][::-1][:, 1:3][..., 0], session),
                x[1][::-1][:, 1:3][..., 0])
    assert_same(run(t[..., ::2][:, None][0, 0, 2], session),
                x[..., ::2][:, None][0, 0, 2])


def test_slice_objects(session):
    x = np.arange(10)
    for s in (slice(None), slice(2, None), slice(None, None, -1),
              slice(-3, None, -2), slice(8, 1, -3), slice(None, 4, 2)):
        assert_same(run(mt.tensor(x)[s], session), x[s])


def test_assignment_makes_a_new_version(session):
    t = mt.tensor(np.arange(4))
    before = t[1:]
    t[0] = 7
    assert_same(run(t, session), np.array([7, 1, 2, 3]))
    assert_same(run(before, session), np.array([1, 2, 3]))
