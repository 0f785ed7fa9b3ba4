"""numpy.bincount in mars.tensor against numpy 1.24: counts and weighted
sums (bit for bit: both add in x's order) on every chunking and session,
minlength, bool and int32 inputs, empty inputs, and numpy's errors."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import mars.tensor as mt

from helpers import assert_same, run

CASES = [  # (n, high): values drawn from [0, high)
    (1, 1), (7, 3), (100, 7), (1000, 50), (57, 200)]


@pytest.mark.parametrize("n,high", CASES)
@pytest.mark.parametrize("minlength", [0, 3, 300])
def test_counts_and_weights(session, chunk_size, n, high, minlength):
    rng = np.random.default_rng(n * 1000 + high)
    x = rng.integers(0, high, n)
    w = rng.normal(size=n)
    w[rng.integers(0, n, 2)] = [np.inf, -0.0]
    t = mt.tensor(x, chunk_size=chunk_size)
    assert_same(run(mt.bincount(t, minlength=minlength), session),
                np.bincount(x, minlength=minlength))
    wt = mt.tensor(w, chunk_size=chunk_size)
    assert_same(run(mt.bincount(t, wt, minlength), session),
                np.bincount(x, w, minlength))


@pytest.mark.parametrize("x", [np.array([True, False, True]),
                               np.array([3, 0, 3], np.int32),
                               np.array([], np.int64)])
def test_dtypes_and_empty(session, x):
    assert_same(run(mt.bincount(x, minlength=2), session),
                np.bincount(x, minlength=2))
    w = np.arange(len(x), dtype=np.float32)
    assert_same(run(mt.bincount(x, w), session), np.bincount(x, w))


def test_list_of_floats_truncates(session):
    # numpy converts a list's numbers as int() does; an array of floats is
    # a TypeError (below).
    assert_same(run(mt.bincount([1.5, 2.9, 0.2]), session),
                np.bincount([1.5, 2.9, 0.2]))


def test_minlength_none_is_deprecated():
    with pytest.warns(DeprecationWarning):
        want = np.bincount([1, 2], minlength=None)
    with pytest.warns(DeprecationWarning):
        assert_same(mt.bincount([1, 2], minlength=None).fetch(), want)


@pytest.mark.parametrize("args,kwargs", [
    (([1, -1],), {}), ((np.array([1.5]),), {}), (([[1]],), {}), ((3,), {}),
    (([1],), {"minlength": -1}), (([1, 2], [1.0]), {})])
def test_errors(args, kwargs):
    with pytest.raises(Exception) as want:
        np.bincount(*args, **kwargs)
    with pytest.raises(want.type):
        mt.bincount(*args, **kwargs).fetch()


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.integers(0, 40), max_size=60), st.integers(0, 50),
       st.sampled_from([1, 2, 5, None]), st.booleans())
def test_property(values, minlength, chunk_size, weighted):
    x = np.array(values, np.int64)
    w = np.linspace(-1, 1, len(x)) if weighted else None
    got = mt.bincount(mt.tensor(x, chunk_size=chunk_size),
                      None if w is None else mt.tensor(w), minlength).fetch()
    want = np.bincount(x, w, minlength)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
