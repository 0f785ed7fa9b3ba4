"""numpy semantics the front end must keep beyond single functions: lazy
expressions do not see later writes to numpy inputs, results asked for in a
dtype are computed in it, deep expressions are built and freed without
recursion, operators defer to Python for foreign operands, and several
threads may build and execute at once."""

import threading

import numpy as np
import pytest

import mars
import mars.tensor as mt

from helpers import run


def test_numpy_operands_are_values_at_the_call(session):
    a = np.zeros(3)
    t = mt.add(a, 1)
    u = mt.tensor([1.0, 2.0, 3.0]) * a
    a += 10
    np.testing.assert_array_equal(run(t, session), [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(run(u, session), [0.0, 0.0, 0.0])


def test_explicit_tensor_borrows_without_copy():
    a = np.arange(6.0)
    t = mt.tensor(a)
    assert np.shares_memory(t.fetch(), a)


def test_reduction_dtype_is_the_accumulator(session):
    x = np.arange(1, 30)
    np.testing.assert_allclose(run(mt.prod(mt.tensor(x), dtype=float), session),
                               np.prod(x, dtype=float), rtol=1e-12)
    f = (np.arange(1000, dtype=np.float32) / 7).astype(np.float32)
    got = run(mt.tensor(f).mean(dtype=np.float64), session)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, f.mean(dtype=np.float64), rtol=1e-12)


def test_ufunc_dtype_is_the_computation_dtype(session):
    x = np.array([1.5, 2.5, -3.5])
    got = run(mt.add(mt.tensor(x), 1, dtype=np.float32), session)
    want = np.add(x, 1, dtype=np.float32)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", ["float128", "complex256"])
def test_target_dtypes_mars_lacks_raise(dtype):
    with pytest.raises(TypeError):
        mt.tensor([300, -1]).astype(dtype)
    with pytest.raises(TypeError):
        mt.zeros(2, dtype=dtype)


def test_narrow_inputs_keep_their_dtype_and_wrap(session):
    x = np.array([200, 7], dtype=np.uint8)
    got = run(mt.tensor(x) + 100, session)
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, x + 100)


def test_deep_expressions_build_execute_and_free():
    x = mt.zeros(3)
    for _ in range(200_000):
        x = x + 1
    del x  # freed without recursion
    y = mt.zeros(2)
    for _ in range(20_000):
        y = y * 1 + 1
    np.testing.assert_array_equal(y.fetch(), [20000.0, 20000.0])


def test_operators_defer_foreign_operands():
    t = mt.ones(3)
    assert (t == None) is False  # noqa: E711  (Python's identity fallback)
    assert (t != None) is True  # noqa: E711
    with pytest.raises(TypeError):
        t + "a"
    with pytest.raises(TypeError):
        mt.add(t, None)


def test_argmin_takes_one_axis():
    with pytest.raises(TypeError):
        mt.argmax(mt.tensor(np.arange(3.0)), axis=())
    with pytest.raises(TypeError):
        mt.argmin(mt.ones((2, 2)), axis=(0, 1))


def test_sizes_numpy_cannot_hold_raise_value_error():
    with pytest.raises(ValueError):
        mt.zeros((2**32, 2**32))
    with pytest.raises(ValueError):
        mt.arange(0, 1e300)
    with pytest.raises(ValueError):
        mt.eye(3, -2)


def test_slices_with_extreme_bounds(session):
    x = np.arange(5)
    for sl in [slice(-2**63, None, -1), slice(None, -2**63, -1),
               slice(-2**63, 2**63 - 1), slice(2**62, -2**62, -2)]:
        np.testing.assert_array_equal(run(mt.tensor(x)[sl], session), x[sl])


def test_full_from_tensors_and_0d_arrays(session):
    np.testing.assert_array_equal(run(mt.full(3, np.array(5.0)), session),
                                  np.full(3, np.array(5.0)))
    s = mt.tensor(np.arange(4.0)).sum()
    np.testing.assert_array_equal(run(mt.full((2, 2), s), session),
                                  np.full((2, 2), 6.0))


def test_fetch_and_execute_take_lists():
    a, b = mt.ones(2), mt.zeros(2)
    x, y = mars.fetch([a, b])
    np.testing.assert_array_equal(x, [1.0, 1.0])
    np.testing.assert_array_equal(y, [0.0, 0.0])
    assert mars.execute() is None


def test_threads_build_and_execute_concurrently():
    errors = []

    def work(seed):
        try:
            rng = np.random.default_rng(seed)
            x = rng.random((300, 40))
            for i in range(15):
                t = ((mt.tensor(x, chunk_size=64) + i) * 2).sum(axis=0)
                np.testing.assert_allclose(t.fetch(), ((x + i) * 2).sum(axis=0),
                                           rtol=1e-12)
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
