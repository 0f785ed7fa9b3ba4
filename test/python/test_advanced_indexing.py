"""numpy's advanced indexing against numpy: integer arrays and lists on any
axis, several of them (broadcast together; adjacent ones replace their
axes in place, separated ones go first), mixed with integers, slices, None
and Ellipsis, boolean masks (whole and per axis), and tensors as indices;
numpy's IndexError for every bad index."""

import numpy as np
import pytest

import mars.tensor as mt

from helpers import assert_same, run

rng = np.random.default_rng(7)
X = rng.standard_normal((5, 6, 7))
M0 = X[:, 0, 0] > 0
M01 = X[:, :, 0] > 0


class _I:
    def __getitem__(self, item):
        return item


I = _I()

CASES = [
    I[[1, -1, 0]], I[np.array([[0, 4], [2, 2]])], I[:, [1, 3]],
    I[..., [6, 0, -7]], I[[0, 1], [2, 3]], I[[0, 1], 1:3, [2, 3]],
    I[:, [0, 1], [2, 3]], I[1, :, [0, 2]], I[[[0], [1]], [0, 1, 2]],
    I[None, [0, 1], None, [2, 3]], I[M0], I[M01], I[X > 0.5],
    I[1:, X[0, :, 0] > 0, ::2], I[[]], I[2, [1, 2], 3], I[[4, 0], ..., 1],
    I[::-1, [5, 0], 1:5:2], I[[0, 0, 0]], I[np.array([3])], I[:, :, [-1]],
    I[np.zeros((2, 0), np.int64)], I[M0, 2], I[[1, 2], M01[0]],
    I[np.array([1, 2], np.int32), :, np.array([[0], [6]])],
]
IDS = [str(i) for i in range(len(CASES))]


def as_tensor_index(item, tensors):
    """The index with its arrays as Mars tensors (bool ones too)."""
    if not tensors:
        return item
    items = item if isinstance(item, tuple) else (item,)
    out = tuple(mt.tensor(np.asarray(i)) if isinstance(i, (list, np.ndarray))
                and np.asarray(i).size else i for i in items)
    return out if isinstance(item, tuple) else out[0]


@pytest.mark.parametrize("tensors", [False, True], ids=["numpy", "tensor"])
@pytest.mark.parametrize("index", CASES, ids=IDS)
def test_advanced_indexing(session, chunk_size, index, tensors):
    t = mt.tensor(X, chunk_size=chunk_size)
    assert_same(run(t[as_tensor_index(index, tensors)], session), X[index],
                rtol=0)


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool", "float32"])
def test_dtypes_and_expressions(session, dtype):
    x = (X * 3).astype(dtype)
    t = mt.tensor(x, chunk_size=2)
    idx = [3, 0, 3]
    assert_same(run((t + t)[idx], session), (x + x)[idx], rtol=0)
    assert_same(run(t[t > 0] if dtype != "bool" else t[t], session),
                x[x > 0] if dtype != "bool" else x[x], rtol=0)


def test_masked_sum_matches_numpy(session):
    x = rng.random(1000)
    t = mt.tensor(x, chunk_size=128)
    assert_same(run(t[t > 0.5].sum(), session), x[x > 0.5].sum(), rtol=1e-12)


def test_getitem_is_lazy_for_integer_tensors():
    t = mt.tensor(np.arange(10.0), chunk_size=3)
    idx = mt.arange(9, -1, -2)
    r = t[idx]
    assert r.shape == (5,)
    assert_same(r.fetch(), np.arange(10.0)[9::-2], rtol=0)


@pytest.mark.parametrize("index,message", [
    (I[[5]], "index 5 is out of bounds for axis 0 with size 5"),
    (I[:, [0, 6]], "index 6 is out of bounds for axis 1 with size 6"),
    (I[:, :, [-8]], "index -8 is out of bounds for axis 2 with size 7"),
    (I[[0, 1], [0, 1, 2]], "shape mismatch"),
    (I[np.ones(4, bool)], "boolean index did not match indexed array along "
                          "dimension 0; dimension is 5 but corresponding "
                          "boolean dimension is 4"),
    (I[[1.5]], "only integers, slices"),
    (I[0, 0, 0, [0]], "too many indices for array"),
    (I[..., [0], ...], "an index can only have a single ellipsis"),
])
def test_index_errors(index, message):
    t = mt.tensor(X, chunk_size=2)
    with pytest.raises(IndexError, match=message.replace("(", r"\(")):
        X[index]
    with pytest.raises(IndexError, match=message.replace("(", r"\(")):
        t[index].fetch()


def test_tensor_index_out_of_bounds_raises_when_run(session):
    t = mt.tensor(X, chunk_size=2)
    r = t[mt.tensor([0, 9])]
    with pytest.raises(IndexError, match="index 9 is out of bounds"):
        run(r, session)


@pytest.mark.parametrize("key", [
    True, False, np.True_, (True, 1), (0, False), (Ellipsis, True),
    (True, [0, 1], slice(None), [1, 2]), ([1, 0], True), (None, True, 0),
    (True, True), (np.array(False), Ellipsis, None)],
    ids=lambda k: repr(k)[:40])
def test_boolean_scalar_index(session, key):
    # numpy: a 0-d boolean is a new axis of length 1 (True) or 0 (False),
    # indexed as part of the advanced group.
    x = np.arange(24.0).reshape(2, 3, 4)
    assert_same(run(mt.tensor(x, chunk_size=2)[key], session), x[key])
