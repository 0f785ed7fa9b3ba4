"""numpy's where= and initial= on the reductions (sum, prod, nansum, min,
max, mean, var, std, any, all; functions and methods) against numpy 1.24,
on every chunking and session: masks that broadcast, all-False lanes,
integer, bool and float32 data, NaN, keepdims and axis tuples, and
numpy's errors."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import mars.tensor as mt

from helpers import assert_same, run

SHAPE = (4, 6)


def _data(dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=SHAPE) * 4
    if dtype == "bool":
        return x > 0
    x = x.astype(dtype)
    if np.dtype(dtype).kind == "f":
        x[0, 1] = np.nan
    return x


MASKS = {
    "full": lambda: np.random.default_rng(1).random(SHAPE) < 0.6,
    "row": lambda: np.array([True, False, True, True, False, True]),
    "column": lambda: np.array([[True], [False], [True], [True]]),
    "none": lambda: np.zeros(SHAPE, bool),
}


def _compare(np_fn, mt_fn, session, rtol):
    try:
        want = np_fn()
    except Exception as e:  # numpy's error kind
        with pytest.raises(type(e)):
            run(mt_fn(), session)
        return
    assert_same(run(mt_fn(), session), np.asarray(want), rtol=rtol)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("mask", sorted(MASKS))
@pytest.mark.parametrize("dtype", ["float64", "float32", "int32", "bool"])
@pytest.mark.parametrize("name,kwargs", [
    ("sum", {}), ("sum", {"initial": 2.5}), ("prod", {}),
    ("prod", {"initial": 3}), ("nansum", {}), ("min", {"initial": 1}),
    ("max", {"initial": -1.5}), ("max", {}), ("mean", {}), ("var", {}),
    ("std", {"ddof": 1}), ("any", {}), ("all", {})])
@pytest.mark.parametrize("axis,keepdims,chunk_size", [
    (None, False, 1), (0, False, 3), (1, True, None), ((0, 1), False, 2)])
def test_where(session, chunk_size, name, kwargs, dtype, mask, axis,
               keepdims):
    if dtype == "bool" and name in ("var", "std", "nansum"):
        pytest.skip("numpy has no bool subtract / nansum of bools differs")
    x, w = _data(dtype), MASKS[mask]()
    rtol = 1e-5 if dtype == "float32" or name in ("var", "std") else 1e-12
    _compare(
        lambda: getattr(np, name)(x, axis=axis, keepdims=keepdims, where=w,
                                  **kwargs),
        lambda: getattr(mt, name)(mt.tensor(x, chunk_size=chunk_size),
                                  axis=axis, keepdims=keepdims, where=w,
                                  **kwargs),
        session, rtol)


@pytest.mark.parametrize("name,kwargs", [
    ("sum", {"initial": 1.5}), ("prod", {"initial": 2}),
    ("min", {"initial": -3}), ("max", {"initial": 7.9})])
def test_initial_without_where(session, name, kwargs):
    x = np.arange(12).reshape(3, 4)
    for axis in (None, 0, 1):
        _compare(lambda: getattr(np, name)(x, axis=axis, **kwargs),
                 lambda: getattr(mt, name)(mt.tensor(x, chunk_size=2),
                                           axis=axis, **kwargs),
                 session, None)


def test_empty_with_initial(session):
    x = np.zeros((0, 3))
    for name in ("min", "max"):
        _compare(lambda: getattr(np, name)(x, axis=0, initial=4),
                 lambda: getattr(mt, name)(mt.tensor(x), axis=0, initial=4),
                 session, None)


def test_methods(session):
    x = _data("float64")
    w = MASKS["full"]()
    t = mt.tensor(x, chunk_size=3)
    assert_same(run(t.sum(axis=1, where=w), session), x.sum(axis=1, where=w))
    assert_same(run(t.max(initial=0.0, where=w), session),
                np.asarray(x.max(initial=0.0, where=w)))
    assert_same(run(t.mean(axis=0, where=w), session), x.mean(axis=0, where=w),
                rtol=1e-12)


def test_errors():
    x = np.arange(6.0)
    with pytest.raises(ValueError, match="does not have an identity"):
        mt.max(x, where=x > 2)
    with pytest.raises(ValueError):
        mt.sum(np.ones((2, 3)), where=np.ones((3, 2), bool))


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(1, 5), st.integers(1, 5), st.sampled_from([1, 2, None]),
       st.sampled_from(["sum", "mean", "any", "max"]),
       st.sampled_from([None, 0, 1]), st.integers(0, 2**16))
def test_property(rows, cols, chunk_size, name, axis, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, cols))
    w = rng.random((rows, cols)) < 0.5
    kw = {"initial": -10.0} if name == "max" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = getattr(np, name)(x, axis=axis, where=w, **kw)
    got = getattr(mt, name)(mt.tensor(x, chunk_size=chunk_size), axis=axis,
                            where=w, **kw).fetch()
    np.testing.assert_allclose(got, want, rtol=1e-12, equal_nan=True)
