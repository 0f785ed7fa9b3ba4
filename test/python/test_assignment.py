"""Differential tests of Mars's numpy ASSIGNMENT against numpy 1.24.

Covered:

* ``t[key] = value`` for every index kind numpy accepts: integers (negative
  too), slices (steps, negative steps, empty), Ellipsis, None, integer
  arrays (lists, numpy arrays, integer Mars tensors) on any axis mixed with
  slices, separated index arrays (numpy's transposition rule), broadcast
  index arrays, repeated indices (equal values only, and the plain 1-d
  ``a[[0, 0]] = [1, 2]`` case), boolean masks (numpy arrays, lists and bool
  Mars tensors; whole-shape, leading-dims, all-True, all-False masks).
  Values: Python scalars, numpy arrays, Mars tensors, values that broadcast,
  values of other dtypes (cast unsafely, as numpy does).
* ``Tensor.put``, ``Tensor.fill``, ``mt.put`` (raise/wrap/clip),
  ``mt.put_along_axis`` (axis=None too), ``mt.place``, ``mt.putmask``,
  ``mt.fill_diagonal`` (square/tall/wide, wrap, N-D), ``mt.copyto``
  (casting, broadcasting ``where``).
* Mars's value rule: ``t[key] = v`` rebinds ``t`` to a new version; tensors
  derived from ``t`` before the assignment keep the old values.
* Errors: the same exception class as numpy (raised when the assignment is
  written or when the result is computed).
* Hypothesis properties for random shapes, basic keys, integer-array keys,
  masks and the functions.

Every case runs on tensors chunked with chunk sizes 1, 2, 3 and None
(ragged last chunks); results are compared exactly (dtype, shape, values,
NaN positions and the sign of zeros).

Mismatches with numpy found here are kept as minimal regression tests at
the end of the file. Not compared: float
values out of an integer dtype's range (undefined casts), numpy's hang in
``np.put(empty, ..., mode="wrap")``, and numpy arrays as the target of
``mt.put`` & co. (Mars raises TypeError and points to numpy).

ASSIGN_RANDOM=1 draws fresh random examples (default: derandomized);
ASSIGN_SCALE=k multiplies the number of examples.
"""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

import mars
import mars.tensor as mt

from helpers import get_session, run

CHUNKS = (1, 2, 3, None)
DTYPES = ["float64", "float32", "int64", "int32", "bool"]

HSETTINGS = dict(
    deadline=None, max_examples=int(40 * float(os.environ.get(
        "ASSIGN_SCALE", "1"))),
    derandomize=os.environ.get("ASSIGN_RANDOM") is None, database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much])


class _I:
    def __getitem__(self, item):
        return item


I = _I()


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def make(shape, dtype="float64", seed=0, specials=True):
    """A deterministic array; floats get NaN, inf, -inf and -0.0 in it."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return np.asarray(rng.random(shape) < 0.5)
    if dtype.kind == "i":
        return np.asarray(rng.integers(-50, 50, shape)).astype(dtype)
    x = np.asarray(np.round(rng.standard_normal(shape) * 10, 2)).astype(
        dtype)
    if specials and x.size >= 5:
        flat = x.reshape(-1)
        flat[1] = np.nan
        flat[2] = np.inf
        flat[3] = -np.inf
        flat[4] = -0.0
    return x


def assert_exact(actual, expected, ctx=""):
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, (ctx, actual.shape, expected.shape)
    assert actual.dtype == expected.dtype, (ctx, actual.dtype, expected.dtype)
    np.testing.assert_array_equal(actual, expected, err_msg=str(ctx))
    if expected.dtype.kind == "f":
        ok = ~np.isnan(expected)
        np.testing.assert_array_equal(
            np.signbit(actual[ok]), np.signbit(expected[ok]),
            err_msg="sign of zero differs %s" % (ctx,))


def to_mt_index(item):
    """The index with its integer/bool arrays (and lists) as Mars tensors."""
    def conv(i):
        if isinstance(i, (list, np.ndarray)):
            a = np.asarray(i)
            if a.size == 0 and a.dtype.kind == "f":
                a = a.astype(np.int64)
            return mt.tensor(a, chunk_size=2)
        return i
    if isinstance(item, tuple):
        return tuple(conv(i) for i in item)
    return conv(item)


def has_arrays(item):
    items = item if isinstance(item, tuple) else (item,)
    return any(isinstance(i, (list, np.ndarray)) for i in items)


def check_setitem(x, key, value, session, chunks=CHUNKS, mt_key=False,
                  mt_value=False, value_chunk=2):
    expected = x.copy()
    expected[key] = value
    for cs in chunks:
        t = mt.tensor(x, chunk_size=cs)
        k = to_mt_index(key) if mt_key else key
        v = (mt.tensor(np.asarray(value), chunk_size=value_chunk)
             if mt_value else value)
        t[k] = v
        assert t.shape == x.shape and t.dtype == x.dtype, (t.shape, t.dtype)
        assert_exact(run(t, session), expected, ctx=("chunk", cs))
    return expected


def short_failure(fn, *args, **kwargs):
    """Calls fn; any error becomes a one-frame AssertionError (the expected
    failures of known Mars bugs stay cheap to report)."""
    try:
        return fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001
        msg = "%s: %s" % (type(e).__name__, str(e)[:300])
    raise AssertionError(msg)


def computed(t):
    """Executes a Mars tensor (errors of lazy indices surface here)."""
    return np.asarray(t.fetch())


def numpy_error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return type(e)
    raise AssertionError("numpy did not raise")


def assert_same_error(np_fn, mt_fn):
    """numpy raises; Mars raises the same class, when the operation is
    written or when its result is computed (mt_fn returns the tensor)."""
    exc = numpy_error(np_fn)
    with pytest.raises(exc):
        res = mt_fn()
        if isinstance(res, mt.Tensor):
            computed(res)


# --------------------------------------------------------------------------
# t[key] = value: the table
# --------------------------------------------------------------------------

X3 = make((4, 5, 6), seed=1)
X2 = make((5, 4), seed=2)
X1 = make((7,), seed=3)
XE = make((0, 3), seed=4)
XE3 = make((3, 0, 2), seed=5)
XS = make((1, 5, 1), seed=6)
XZ = np.array(2.5)
ARRAYS = dict(X3=X3, X2=X2, X1=X1, XE=XE, XE3=XE3, XS=XS, XZ=XZ)

M0 = np.array([True, False, True, True])          # X3 axis 0
M01 = np.nan_to_num(X3[:, :, 0]) > 0              # X3 axes 0, 1
M1 = np.array([False, True, True, False, True])   # X3 axis 1
M1_2 = np.array([False, True, False, False, True])
M1X = np.array([True, False, False, True, True, False, False])

# (array, key, duplicated index -> only equal values may be assigned)
CASES = [
    # integers
    ("X3", I[0], False), ("X3", I[-1], False), ("X3", I[1, 2], False),
    ("X3", I[-1, -2, -3], False), ("X3", I[3, -5, 0], False),
    # slices
    ("X3", I[1:3], False), ("X3", I[::2], False), ("X3", I[::-1], False),
    ("X3", I[3:0:-2], False), ("X3", I[3:1], False),
    ("X3", I[:, 1:4:2], False), ("X3", I[..., ::-3], False),
    ("X3", I[-2:, :, 4:], False), ("X3", I[:, :0], False),
    ("X3", I[-100:100, 1:-1, -4:-1:2], False),
    ("X3", I[:, ::-2, 5:0:-2], False),
    # Ellipsis and None
    ("X3", I[...], False), ("X3", I[..., 1], False), ("X3", I[0, ...], False),
    ("X3", I[None], False), ("X3", I[:, None, 1], False),
    ("X3", I[None, ..., None], False), ("X3", I[1, None, ::-1, 2], False),
    ("X3", I[..., None, 2:], False),
    # integer arrays
    ("X3", I[[0, 2]], False), ("X3", I[np.array([[0, 1], [3, 2]])], False),
    ("X3", I[:, [1, -1]], False), ("X3", I[..., [0, 5, 2]], False),
    ("X3", I[[0, 1], [2, 3]], False), ("X3", I[[0, 1], :, [2, 3]], False),
    ("X3", I[1, :, [0, 2]], False), ("X3", I[[[0], [1]], [0, 1, 2]], False),
    ("X3", I[[]], False), ("X3", I[:, [4, 0], 1:5:2], False),
    ("X3", I[[3, 0], ..., -1], False),
    ("X3", I[np.array([1, 2], np.int32), :, np.array([[0], [5]])], False),
    ("X3", I[None, [0, 1], None, [2, 3]], False),
    ("X3", I[2, [1, 2], 3], False), ("X3", I[::-1, [4, 0], ::2], False),
    ("X3", I[[-4, 3], [[-5], [4]], [0, -1]], False),
    ("X3", I[[1, 1]], True), ("X3", I[:, [2, 0, 2]], True),
    # boolean masks
    ("X3", I[M0], False), ("X3", I[M01], False), ("X3", I[X3 > 0], False),
    ("X3", I[1:, M1, ::2], False), ("X3", I[np.ones(4, bool)], False),
    ("X3", I[np.zeros((4, 5), bool)], False), ("X3", I[M0, 2], False),
    ("X3", I[[1, 2], M1_2], False), ("X3", I[[True, False, False, True]],
                                             False),
    ("X3", I[np.isnan(X3)], False), ("X3", I[..., X3[0, 0] > 0], False),
    ("X3", I[np.ones((4, 5, 6), bool)], False),
    ("X3", I[M0, :, [1, 2, 0]], False), ("X3", I[:, M1, [0, 1, 2]], False),
    ("X3", I[M0, None, 1:4, -1], False),
    # more mixtures of arrays, None, slices and Ellipsis
    ("X3", I[[[0], [2]], None, :, [1, 3]], False),
    ("X3", I[..., [[1], [0]], [2, 3]], False),
    ("X3", I[1:3, [[0, 1], [2, 3]], ::-2], False),
    ("X3", I[-1, [0, 4], [[5], [0]]], False),
    # 2-d
    ("X2", I[1], False), ("X2", I[:, -1], False), ("X2", I[::-2, 1::2],
                                                        False),
    ("X2", I[[4, 0, 2]], False), ("X2", I[[0, 0, 0]], True),
    ("X2", I[[4, 1], [3, 0]], False), ("X2", I[[[0], [4]], [[1, 2]]], False),
    ("X2", I[X2 < 0], False), ("X2", I[:, [True, False, True, True]],
                                       False),
    ("X2", I[np.zeros(5, bool), 1], False),
    # 1-d
    ("X1", I[3], False), ("X1", I[-7], False), ("X1", I[2:5], False),
    ("X1", I[::-1], False), ("X1", I[5:1:-2], False),
    ("X1", I[[0, 6, -3]], False), ("X1", I[M1X], False),
    ("X1", I[np.array([], np.int64)], False), ("X1", I[7:], False),
    ("X1", I[None, 1:3], False), ("X1", I[[[1, 2], [3, 4]]], False),
    ("X1", I[[-1, -1]], True),
    # empty dims
    ("XE", I[:, 1], False), ("XE", I[...], False), ("XE", I[[]], False),
    ("XE", I[:, [0, 2]], False), ("XE", I[np.zeros((0, 3), bool)], False),
    ("XE3", I[1], False), ("XE3", I[:, :, 1], False),
    ("XE3", I[[0, 2]], False), ("XE3", I[..., [1]], False),
    ("XE3", I[[True, False, True]], False),
    # size-1 dims
    ("XS", I[0], False), ("XS", I[:, 2], False), ("XS", I[..., 0], False),
    ("XS", I[[0, 0]], True), ("XS", I[0, [1, 3], 0], False),
    ("XS", I[XS > 0], False), ("XS", I[-1, ::-1, -1], False),
    # 0-d
    ("XZ", I[()], False), ("XZ", I[...], False), ("XZ", I[None], False),
    ("XZ", I[np.array(True)], False), ("XZ", I[np.array(False)], False),
]

VALUE_KINDS = ["scalar", "full", "bcast", "trailing", "mt"]


def value_for(kind, target_shape, dtype, seed=11):
    if kind == "scalar":
        return 7.25 if dtype.kind == "f" else 7
    if kind == "nan":
        return np.nan
    if kind == "full" or kind == "mt":
        return make(target_shape, dtype, seed=seed)
    if kind == "bcast":
        shape = tuple(1 if i % 2 == 0 else d
                      for i, d in enumerate(target_shape))
        return make(shape, dtype, seed=seed)
    if kind == "trailing":
        return make(target_shape[-1:], dtype, seed=seed)
    raise ValueError(kind)


def _table_params():
    return [pytest.param(c, id=str(i)) for i, c in enumerate(CASES)]


@pytest.mark.parametrize("kind", VALUE_KINDS)
@pytest.mark.parametrize("case", _table_params())
def test_setitem_table(compiled_session, case, kind):
    name, key, dup = case
    x = ARRAYS[name]
    target = x[key].shape
    if dup and kind in ("full", "bcast", "mt"):
        pytest.skip("repeated indices only with equal values")
    value = value_for(kind, target, x.dtype)
    check_setitem(x, key, value, compiled_session, mt_value=(kind == "mt"))
    if kind == "scalar" and x.dtype.kind == "f":
        check_setitem(x, key, np.nan, compiled_session, chunks=(2, 3))
    if has_arrays(key):
        check_setitem(x, key, value, compiled_session, mt_key=True,
                      mt_value=(kind == "mt"), chunks=(1, None))


@pytest.mark.parametrize("case", _table_params()[::3])
def test_setitem_default_session(default_session, case):
    name, key, dup = case
    x = ARRAYS[name]
    kind = "trailing" if dup else "full"
    value = value_for(kind, x[key].shape, x.dtype)
    check_setitem(x, key, value, default_session)
    if has_arrays(key):
        check_setitem(x, key, value, default_session, mt_key=True,
                      mt_value=True, chunks=(2,))


def test_repeated_index_last_wins_1d(session):
    x = np.zeros(5, np.int64)
    e = check_setitem(x, I[[0, 0]], [1, 2], session)
    assert e[0] == 2
    check_setitem(x, I[[0, 0]], [1, 2], session, mt_key=True, mt_value=True)


# --------------------------------------------------------------------------
# dtypes
# --------------------------------------------------------------------------

def _values_of_dtypes(shape):
    return [
        2.75, -2.75, 3, True, False, 0.0, -0.0,
        np.float32(1.1), np.int32(-4),
        np.round(np.linspace(-3.7, 3.7, int(np.prod(shape))), 2)
        .reshape(shape),
        np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape) - 3,
        (np.arange(int(np.prod(shape))) % 3 == 0).reshape(shape),
        np.linspace(-2, 2, int(np.prod(shape)), dtype=np.float32)
        .reshape(shape),
        np.arange(int(np.prod(shape)), dtype=np.int8).reshape(shape),
    ]


@pytest.mark.parametrize("dtype", DTYPES)
def test_value_dtypes_are_cast(session, dtype):
    x = make((4, 5), dtype, seed=21)
    for key in (I[1:3, ::2], I[[0, 3], 1:], I[x[:, 0] != 0]):
        shape = x[key].shape
        for v in _values_of_dtypes(shape):
            check_setitem(x, key, v, session, chunks=(2, None))
            if isinstance(v, np.ndarray) and v.dtype != np.int8:
                check_setitem(x, key, v, session, chunks=(3,), mt_value=True)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_special_float_values(session, dtype):
    x = np.zeros((3, 4), dtype)
    v = np.array([np.nan, np.inf, -np.inf, -0.0], dtype)
    check_setitem(x, I[1], v, session)
    check_setitem(x, I[:, 3:0:-1], v[:3], session, mt_value=True)
    check_setitem(x, I[[2, 0]], v[::-1], session, mt_key=True)
    check_setitem(np.ones((3, 4), dtype), I[...], -0.0, session)


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtypes_3d(session, dtype):
    x = make((3, 4, 5), dtype, seed=5)
    for key in (I[1, 3:0:-2], I[:, [3, 0], -1], I[x[..., 0] == x[..., 1]],
                I[[0, 2], :, [[1], [4]]]):
        v = make(x[key].shape, dtype, seed=9)
        check_setitem(x, key, v, session)
        check_setitem(x, key, v, session, mt_key=True, mt_value=True,
                      chunks=(2,))


# --------------------------------------------------------------------------
# keys made of Mars tensors, lazily computed from the tensor itself
# --------------------------------------------------------------------------

def test_mask_from_the_tensor_itself(session):
    for cs in CHUNKS:
        x = make((5, 6), seed=3)
        e = x.copy()
        t = mt.tensor(x, chunk_size=cs)
        with np.errstate(invalid="ignore"):
            e[e < 0] = 0
        t[t < 0] = 0
        assert_exact(run(t, session), e, cs)
        e[np.isnan(e)] = -1.5
        t[mt.isnan(t)] = -1.5
        assert_exact(run(t, session), e, cs)
        e[np.isinf(e[:, 0])] = e[0]
        t[mt.isinf(t[:, 0])] = t[0]
        assert_exact(run(t, session), e, cs)


def test_lazy_integer_tensor_keys(session):
    x = make((6, 5), "int64", seed=8)
    for cs in CHUNKS:
        e = x.copy()
        t = mt.tensor(x, chunk_size=cs)
        e[np.arange(5, -1, -2)] = -1
        t[mt.arange(5, -1, -2)] = -1
        e[:, np.argsort(e[0])[:2]] = 100
        t[:, mt.argsort(t[0])[:2]] = 100
        assert_exact(run(t, session), e, cs)
        e[e[:, 0] % 2 == 0, 1:3] = e[0, 1:3] * 2
        t[t[:, 0] % 2 == 0, 1:3] = t[0, 1:3] * 2
        assert_exact(run(t, session), e, cs)


def test_value_overlapping_the_target(session):
    x = np.arange(10.0)
    for cs in CHUNKS:
        for key, src in ((I[1:], I[:-1]), (I[:-1], I[1:]), (I[9:0:-1], I[1:]),
                         (I[[0, 3, 5]], I[[5, 0, 3]]), (I[::2], I[1::2])):
            e = x.copy()
            e[key] = e[src]
            t = mt.tensor(x, chunk_size=cs)
            t[key] = t[src]
            assert_exact(run(t, session), e, (cs, key, src))


def test_int_index_tensor_dtypes(compiled_session):
    x = make((6, 4), seed=4)
    for dt in ("int32", "int64"):
        idx = np.array([5, -1, 0], dt)
        check_setitem(x, I[idx], 3.5, compiled_session, mt_key=True)
        check_setitem(x, I[1:, idx[1:2]], 3.5, compiled_session, mt_key=True)


def test_list_values_and_numpy_integer_keys(session):
    x = make((4, 5), "int64", seed=1)
    check_setitem(x, I[1], [1, 2, 3, 4, 5], session)
    check_setitem(x, I[1:3], [[1.9, 2, 3, 4, 5], [6, 7, 8, 9, -10.9]],
                  session)
    check_setitem(x, I[[0, 3], 1:3], [[True, False]], session)
    check_setitem(x, I[np.int64(1), slice(np.int64(1), None, np.int32(2))],
                  0, session)
    check_setitem(x, I[np.int32(-1), [np.int64(0), 4]], 9, session)


def test_many_chunks(session):
    rng = np.random.default_rng(0)
    x = rng.random((300, 200))
    cols = rng.permutation(200)[:50]
    vals = rng.random(50)
    e = x.copy()
    e[e > 0.5] = 0
    e[::7, 3::11] = -1
    e[[5, 290, 5], :] = 2
    e[:, cols] = vals
    e[250:10:-3, 190:5:-7] = e[10:250:3, 5:190:7]
    t = mt.tensor(x, chunk_size=64)
    t[t > 0.5] = 0
    t[::7, 3::11] = -1
    t[[5, 290, 5], :] = 2
    t[:, mt.tensor(cols, chunk_size=16)] = mt.tensor(vals, chunk_size=7)
    t[250:10:-3, 190:5:-7] = t[10:250:3, 5:190:7]
    assert_exact(run(t, session), e)


def test_tensors_of_data_dependent_shape(session):
    x = np.arange(20.0).reshape(4, 5)
    for cs in CHUNKS:
        t = mt.tensor(x, chunk_size=cs)
        u = t[t > 7]
        e = x[x > 7].copy()
        u[0] = -1
        e[0] = -1
        u[u > 15] = 0
        e[e > 15] = 0
        u[[1, -2]] = [5, 6]
        e[[1, -2]] = [5, 6]
        assert_exact(run(u, session), e, cs)
        assert_exact(run(t, session), x, cs)
        u = t[t > 7]
        mt.put(u, [0, -1], [5, 6])
        e = x[x > 7].copy()
        np.put(e, [0, -1], [5, 6])
        assert_exact(run(u, session), e, cs)
    for key, value in ((20, 1), (I[[0, 12]], 1), (I[np.ones(5, bool)], 1),
                       (I[:], np.ones(5))):
        t = mt.tensor(x, chunk_size=2)
        assert_same_error(lambda: _set(x[x > 7].copy(), key, value),
                          lambda: _set(t[t > 7], key, value))


def test_functions_return_none():
    t = mt.tensor(np.zeros((3, 3)), chunk_size=2)
    eye = np.eye(3, dtype=bool)
    assert mt.put(t, [0], [1]) is None
    assert t.put([1], [2]) is None
    assert t.fill(0) is None
    assert mt.place(t, eye, [1]) is None
    assert mt.putmask(t, eye, [1]) is None
    assert mt.fill_diagonal(t, 2) is None
    assert mt.copyto(t, 1.0) is None
    assert mt.put_along_axis(t, np.array([[0], [1], [2]]), 5, 1) is None
    e = np.ones((3, 3))
    np.fill_diagonal(e, 5)
    assert_exact(computed(t), e)


# --------------------------------------------------------------------------
# Mars's value semantics
# --------------------------------------------------------------------------

def test_derived_tensors_keep_old_values(session):
    x = np.arange(12.0).reshape(3, 4)
    for cs in CHUNKS:
        t = mt.tensor(x, chunk_size=cs)
        alias = t
        u = t + 0
        v = t[1:]
        w = t[:, ::-1]
        s = t.sum()
        run(v, session)  # one computed before the assignment, others not
        t[1, 1] = -100
        t[:, 0] = 7
        assert alias is t
        assert_exact(run(t, session),
                     np.array([[7, 1, 2, 3], [7, -100, 6, 7],
                               [7, 9, 10, 11]], float), cs)
        assert_exact(run(alias, session), run(t, session), cs)
        assert_exact(run(u, session), x, cs)
        assert_exact(run(v, session), x[1:], cs)
        assert_exact(run(w, session), x[:, ::-1], cs)
        assert_exact(run(s, session), x.sum(), cs)
        assert t.shape == (3, 4) and t.dtype == np.float64


def test_assigning_into_a_derived_tensor_leaves_the_source(session):
    x = np.arange(10)
    t = mt.tensor(x, chunk_size=3)
    u = t[2:]
    u[0] = -1
    assert_exact(run(u, session), np.r_[-1, x[3:]])
    assert_exact(run(t, session), x)


def test_assigning_into_an_expression(session):
    x = np.arange(12).reshape(3, 4)
    for cs in CHUNKS:
        t = mt.tensor(x, chunk_size=cs) * 2
        t[1] = t[2] + 1
        e = x * 2
        e[1] = e[2] + 1
        assert_exact(run(t, session), e, cs)
        r = t.T
        r[0] = 0
        eT = e.T.copy()
        eT[0] = 0
        assert_exact(run(r, session), eT, cs)
        assert_exact(run(t, session), e, cs)


def test_sequence_of_assignments(session):
    x = make((6, 5), seed=13)
    for cs in CHUNKS:
        e = x.copy()
        t = mt.tensor(x, chunk_size=cs)
        snaps = []

        def step(np_fn, mt_fn):
            np_fn(e)
            mt_fn(t)
            snaps.append((t + 0, e.copy()))

        def s1(a):
            a[0] = 1.5

        def s2(a):
            a[a > 5] = -5

        def s3(a):
            a[:, 1::2] *= 2

        def s4(a):
            a[[0, 0, 5], -1] += 1

        def s5(a):
            a[1:4, [3, 0]] = a[[2], ::-4]

        def s6(a):
            a[...] = a[::-1] - a

        with np.errstate(invalid="ignore"):
            for f in (s1, s2, s3, s4, s5, s6):
                step(f, f)
            reads = [(t[2], e[2].copy()), (t[:, 0].sum(), e[:, 0].sum())]
            step(lambda a: a.__setitem__((slice(None), 0), 9.0),
                 lambda a: a.__setitem__((slice(None), 0), 9.0))
        for k, (tt, ee) in enumerate(snaps + reads):
            assert_exact(run(tt, session), ee, (cs, k))


def test_fill_then_assign(session):
    for cs in CHUNKS:
        t = mt.tensor(np.arange(8).reshape(2, 4), chunk_size=cs)
        before = t[0]
        t.fill(3.9)
        assert t.dtype == np.int64
        t[1, ::3] = -1
        e = np.full((2, 4), 3)
        e[1, ::3] = -1
        assert_exact(run(t, session), e, cs)
        assert_exact(run(before, session), np.arange(4), cs)


def test_eager_mode_assignment():
    mars.options.eager_mode = True
    x = np.arange(6.0)
    t = mt.tensor(x, chunk_size=2)
    t[::2] = -1
    t[t > 2] = 0
    e = x.copy()
    e[::2] = -1
    e[e > 2] = 0
    assert_exact(t.fetch(), e)
    mt.put(t, [0, 1], [8, 9])
    e[[0, 1]] = [8, 9]
    assert_exact(t.fetch(), e)


# --------------------------------------------------------------------------
# setitem errors
# --------------------------------------------------------------------------

def _set(a, key, value):
    a[key] = value
    return a


ERROR_CASES = [
    # (shape, key, value)
    ((5,), I[5], 1), ((5,), I[-6], 1), ((4, 5), I[1, 5], 1),
    ((5,), I[[0, 7]], 1), ((5,), I[[-6]], 1), ((4, 5), I[:, [1, 5]], 1),
    ((4, 5), I[[0, 1], [0, 1, 2]], 1),          # index shapes
    ((4, 5), I[:, 0], np.ones(3)),              # value shape
    ((4, 5), I[0], np.ones((2, 5))),
    ((4, 5), I[[0, 1]], np.ones((3, 5))),
    ((4, 5), I[1:3], np.ones((2, 4))),
    ((5,), I[np.array([True, False, True, False, False])], [1, 2, 3]),
    ((5,), I[np.array([True, False])], 1),      # mask shape
    ((4, 5), I[np.ones((4, 4), bool)], 1),
    ((4, 5), I[:, np.ones(4, bool)], 1),
    ((4, 5), I[0, 0, 0], 1),                    # too many
    ((4, 5), I[..., 0, 0, 0], 1),
    ((4, 5), I[..., ...], 1),
    ((4, 5), I[1.0], 1),
    ((4, 5), I[np.array([0.0, 1.0])], 1),
    ((4, 5), I["a"], 1),
    ((0, 3), I[0], 1),
    ((), I[0], 1),
]


@pytest.mark.parametrize("mt_key", [False, True], ids=["np", "mt"])
@pytest.mark.parametrize("case", ERROR_CASES,
                         ids=[str(i) for i in range(len(ERROR_CASES))])
def test_setitem_errors(case, mt_key):
    shape, key, value = case
    if mt_key and not has_arrays(key):
        pytest.skip("no array in the key")
    x = np.zeros(shape)
    for cs in (1, None):
        assert_same_error(
            lambda: _set(x.copy(), key, value),
            lambda: _set(mt.tensor(x, chunk_size=cs),
                         to_mt_index(key) if mt_key else key, value))


def test_setitem_value_tensor_shape_error():
    x = np.zeros((4, 5))
    assert_same_error(lambda: _set(x.copy(), I[1:], np.ones((2, 5))),
                      lambda: _set(mt.tensor(x, chunk_size=2), I[1:],
                                   mt.ones((2, 5), chunk_size=1)))


def test_setitem_nan_into_int_raises_like_numpy():
    x = np.zeros(3, np.int64)
    assert_same_error(lambda: _set(x.copy(), 0, np.nan),
                      lambda: _set(mt.tensor(x), 0, np.nan))


def test_setitem_python_int_overflow_raises_like_numpy():
    x = np.zeros(3, np.int64)
    assert_same_error(lambda: _set(x.copy(), 0, 2 ** 70),
                      lambda: _set(mt.tensor(x), 0, 2 ** 70))


def test_failed_assignment_leaves_tensor_unchanged():
    x = np.arange(5.0)
    t = mt.tensor(x, chunk_size=2)
    with pytest.raises(ValueError):
        t[1:3] = np.ones(4)
    with pytest.raises(IndexError):
        t[9] = 1
    assert_exact(computed(t), x)


# --------------------------------------------------------------------------
# put / Tensor.put
# --------------------------------------------------------------------------

PUT_CASES = [
    # (shape, dtype, ind, v, mode)
    ((3, 4), "float64", [0, 5, -1], [9, 8, 7], "raise"),
    ((3, 4), "float64", [-12, 11], [1.5, -0.0], "raise"),
    ((3, 4), "int64", [0, 13, -20, 25], [1, 2, 3, 4], "wrap"),
    ((3, 4), "int32", [-5, 100, 3], [1, 2, 3], "clip"),
    ((12,), "float32", [0, 1, 2, 3, 4], [7, 8], "raise"),
    ((2, 2, 3), "float64", [1, 2], [5, 6, 7, 8], "raise"),
    ((3, 4), "int64", 5, 99, "raise"),
    ((3, 4), "float64", np.array([[0, 1], [10, 11]]), [1, 2, 3, 4],
     "raise"),
    ((3, 4), "int64", [100, 200], [5], "clip"),
    ((3, 4), "float64", [-100, -200], 6.5, "clip"),
    ((3, 4), "int64", [], [1], "raise"),
    ((3, 4), "int32", [1, 2, 3], [1.9, -1.9, 2.5], "raise"),
    ((3, 4), "bool", [0, 1, 2], [0, 2, 0.5], "wrap"),
    ((5,), "float64", [0, 0], [1, 2], "raise"),
    ((7,), "float64", [1, 8, 15], [3, 4, 5], "wrap"),
    ((0, 3), "float64", [], [1], "raise"),
    ((), "float64", [0], [3], "raise"),
]


def _put_args(ind, v, as_mt):
    if not as_mt:
        return ind, v
    ind_a = np.asarray(ind)
    if ind_a.dtype.kind == "f":
        ind_a = ind_a.astype(np.int64)
    return mt.tensor(ind_a, chunk_size=2), mt.tensor(np.asarray(v))


@pytest.mark.parametrize("as_mt", [False, True], ids=["np", "mt"])
@pytest.mark.parametrize("case", PUT_CASES,
                         ids=[str(i) for i in range(len(PUT_CASES))])
def test_put(session, case, as_mt):
    shape, dtype, ind, v, mode = case
    x = make(shape, dtype, seed=3)
    e = x.copy()
    np.put(e, ind, v, mode=mode)
    for cs in CHUNKS:
        t = mt.tensor(x, chunk_size=cs)
        i2, v2 = _put_args(ind, v, as_mt)
        mt.put(t, i2, v2, mode=mode)
        assert_exact(run(t, session), e, ("mt.put", cs))
        t = mt.tensor(x, chunk_size=cs)
        u = t[...]
        i2, v2 = _put_args(ind, v, as_mt)
        t.put(i2, v2, mode=mode)
        assert_exact(run(t, session), e, ("Tensor.put", cs))
        assert_exact(run(u, session), x, ("derived", cs))


def test_put_default_mode_is_raise():
    x = np.arange(6.0)
    e = x.copy()
    np.put(e, [-1, 2], [10, 20])
    t = mt.tensor(x, chunk_size=4)
    mt.put(t, [-1, 2], [10, 20])
    assert_exact(computed(t), e)
    t.put([0], 5)
    e.put([0], 5)
    assert_exact(computed(t), e)


@pytest.mark.parametrize("as_mt", [False, True], ids=["np", "mt"])
def test_put_errors(as_mt):
    x = np.arange(6.0)
    for ind, mode in (([6], "raise"), ([-7], "raise"), ([0, 1, 9], None)):
        kw = {} if mode is None else dict(mode=mode)
        assert_same_error(
            lambda: np.put(x.copy(), ind, [1], **kw),
            lambda: _put_mt(x, ind, [1], as_mt, **kw))
    assert_same_error(lambda: np.put(x.copy(), [0], [1], mode="bad"),
                      lambda: _put_mt(x, [0], [1], as_mt, mode="bad"))
    assert_same_error(lambda: x.copy().put([0], [1], mode="bad"),
                      lambda: _put_method(x, [0], [1], as_mt, mode="bad"))
    assert_same_error(lambda: x.copy().put([7], [1]),
                      lambda: _put_method(x, [7], [1], as_mt))


def _put_mt(x, ind, v, as_mt, **kw):
    t = mt.tensor(x, chunk_size=2)
    i2, v2 = _put_args(ind, v, as_mt)
    mt.put(t, i2, v2, **kw)
    return t


def _put_method(x, ind, v, as_mt, **kw):
    t = mt.tensor(x, chunk_size=2)
    i2, v2 = _put_args(ind, v, as_mt)
    t.put(i2, v2, **kw)
    return t


# --------------------------------------------------------------------------
# fill
# --------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_fill(session, dtype):
    for shape in ((5,), (3, 4), (2, 0, 3), (), (1, 7, 1)):
        for value in (3.7, -2, True, 0, np.float32(0.5), -0.0):
            x = make(shape, dtype, seed=2)
            e = x.copy()
            e.fill(value)
            for cs in (1, 3, None):
                t = mt.tensor(x, chunk_size=cs)
                u = t[...]
                t.fill(value)
                assert_exact(run(t, session), e, (shape, value, cs))
                assert_exact(run(u, session), x, (shape, value, cs))


def test_fill_nan_and_inf(session):
    for v in (np.nan, np.inf, -np.inf):
        x = np.zeros((2, 3))
        e = x.copy()
        e.fill(v)
        t = mt.tensor(x, chunk_size=2)
        t.fill(v)
        assert_exact(run(t, session), e)


# --------------------------------------------------------------------------
# put_along_axis
# --------------------------------------------------------------------------

def _perm_indices(shape, axis, k, seed, negative=False):
    """Unique indices along axis (k of them per lane)."""
    rng = np.random.default_rng(seed)
    idx = np.argsort(rng.random(shape), axis=axis)
    idx = np.take(idx, np.arange(k), axis=axis)
    if negative:
        idx = np.where(rng.random(idx.shape) < 0.5, idx - shape[axis], idx)
    return idx


PAA_CASES = [
    # (shape, dtype, axis, indices-maker, value kind)
    ((3, 4, 5), "float64", 0, 2, "full"),
    ((3, 4, 5), "float64", 1, 3, "scalar"),
    ((3, 4, 5), "int64", -1, 1, "full"),
    ((3, 4, 5), "float32", 2, 5, "bcast"),
    ((6,), "int32", 0, 4, "full"),
    ((4, 4), "bool", 1, 2, "full"),
    ((1, 5, 1), "float64", 1, 2, "full"),
    ((2, 0, 3), "float64", 2, 1, "scalar"),
    ((3, 4, 5), "float64", 1, 0, "scalar"),
]


@pytest.mark.parametrize("as_mt", [False, True], ids=["np", "mt"])
@pytest.mark.parametrize("case", PAA_CASES,
                         ids=[str(i) for i in range(len(PAA_CASES))])
def test_put_along_axis(session, case, as_mt):
    shape, dtype, axis, k, vkind = case
    x = make(shape, dtype, seed=7)
    ind = _perm_indices(shape, axis, k, seed=3, negative=True)
    if vkind == "scalar":
        vals = 11.5
    elif vkind == "full":
        vals = make(ind.shape, "float64", seed=4, specials=False)
    else:
        vals = make(ind.shape[:-1] + (1,), dtype, seed=4)
    e = x.copy()
    np.put_along_axis(e, ind, vals, axis)
    for cs in CHUNKS:
        t = mt.tensor(x, chunk_size=cs)
        u = t + t
        i2 = mt.tensor(ind, chunk_size=2) if as_mt else ind
        v2 = mt.tensor(np.asarray(vals)) if as_mt else vals
        mt.put_along_axis(t, i2, v2, axis)
        assert_exact(run(t, session), e, cs)
        assert_exact(run(u, session), x + x, cs)


def test_put_along_axis_broadcast_indices(session):
    """indices with size-1 dims broadcast against the array's other dims."""
    x = make((3, 4, 5), seed=1)
    for idx, axis in ((np.array([[[1]], [[-1]], [[2]]]), 1),      # (3,1,1)
                      (np.array([[[1], [-1]]]), 1),               # (1,2,1)
                      (np.array([[[0, 4, -3]]]), 2)):             # (1,1,3)
        e = x.copy()
        np.put_along_axis(e, idx, 5.5, axis)
        for cs in CHUNKS:
            t = mt.tensor(x, chunk_size=cs)
            mt.put_along_axis(t, idx, 5.5, axis)
            assert_exact(run(t, session), e, (cs, idx.shape))


def test_put_along_axis_axis_none(session):
    x = make((3, 4), "int64", seed=2)
    for ind, vals in (([1, 5, -1], [7, 8, 9]), ([0, 11], 3.9),
                      (np.array([4, 2]), np.array([1.5, -1.5]))):
        e = x.copy()
        np.put_along_axis(e, np.asarray(ind), vals, None)
        for cs in CHUNKS:
            t = mt.tensor(x, chunk_size=cs)
            mt.put_along_axis(t, np.asarray(ind), vals, None)
            assert_exact(run(t, session), e, cs)
            t = mt.tensor(x, chunk_size=cs)
            mt.put_along_axis(t, mt.tensor(np.asarray(ind)), vals, None)
            assert_exact(run(t, session), e, cs)


def test_put_along_axis_errors():
    x = np.zeros((3, 4))
    for ind, axis, v in ((np.array([0, 1]), 1, 1.0),       # ndim mismatch
                         (np.array([[4]]), 1, 1.0),        # out of bounds
                         (np.array([[-5]]), 1, 1.0),
                         (np.array([[0]]), 2, 1.0),        # bad axis
                         (np.array([[0]]), -3, 1.0),
                         (np.array([[0.5]]), 1, 1.0),      # float indices
                         (np.array([[0], [1], [2]]), 1, np.ones((2, 2))),
                         (np.array([[0, 1]]), None, 1.0),  # not 1-d
                         (np.array([12]), None, 1.0)):
        assert_same_error(
            lambda: np.put_along_axis(x.copy(), ind, v, axis),
            lambda: _paa(x, ind, axis, v))
        assert_same_error(
            lambda: np.put_along_axis(x.copy(), ind, v, axis),
            lambda: _paa(x, mt.tensor(ind), axis, v))


def _paa(x, ind, axis, v=1.0):
    t = mt.tensor(x, chunk_size=2)
    mt.put_along_axis(t, ind, v, axis)
    return t


# --------------------------------------------------------------------------
# place / putmask
# --------------------------------------------------------------------------

PLACE_CASES = [
    # (shape, dtype, mask-maker, vals)
    ((3, 4), "float64", lambda x: np.arange(12).reshape(3, 4) % 3 == 0,
     [7, 8]),
    ((3, 4), "int64", lambda x: np.arange(12).reshape(3, 4) % 5 == 1,
     [1.9, -2.9, 3.1, 4.5]),
    ((3, 4), "int32", lambda x: np.ones((3, 4), bool), [1, 2, 3, 4, 5]),
    ((3, 4), "float32", lambda x: np.zeros((3, 4), bool), []),
    ((3, 4), "float64", lambda x: np.zeros((3, 4), bool), [1]),
    ((2, 3, 4), "bool", lambda x: np.arange(24).reshape(2, 3, 4) % 7 == 2,
     [0.0, 1.0, 5.0]),
    ((10,), "float64", lambda x: np.array([1, 0, 1, 1, 0, 0, 1, 0, 0, 1],
                                          bool), [np.nan, -0.0, 3]),
    ((3, 4), "float64", lambda x: np.arange(12) % 2 == 0, [1, 2, 3]),
    ((0, 2), "float64", lambda x: np.zeros((0, 2), bool), [1]),
    ((5,), "int64", lambda x: np.array([0, 1, 1, 0, 1], bool), 9),
]


@pytest.mark.parametrize("as_mt", [False, True], ids=["np", "mt"])
@pytest.mark.parametrize("case", PLACE_CASES,
                         ids=[str(i) for i in range(len(PLACE_CASES))])
def test_place(session, case, as_mt):
    shape, dtype, mk, vals = case
    x = make(shape, dtype, seed=5)
    mask = mk(x)
    e = x.copy()
    np.place(e, mask, vals)
    for cs in CHUNKS:
        t = mt.tensor(x, chunk_size=cs)
        u = t[::-1]
        m2 = mt.tensor(mask, chunk_size=2) if as_mt else mask
        v2 = (mt.tensor(np.asarray(vals, dtype=None if len(np.atleast_1d(
            vals)) else float)) if as_mt else vals)
        mt.place(t, m2, v2)
        assert_exact(run(t, session), e, cs)
        assert_exact(run(u, session), x[::-1], cs)


PUTMASK_CASES = [
    ((3, 4), "float64", lambda x: np.arange(12).reshape(3, 4) % 3 == 0,
     [7, 8]),
    # positions 0, 2, 3 with 3 values: putmask uses values[pos % 3] while
    # place would use them in order
    ((6,), "int64", lambda x: np.array([1, 0, 1, 1, 0, 0], bool),
     [10, 20, 30]),
    ((3, 4), "int32", lambda x: np.arange(12).reshape(3, 4) % 5 == 1,
     [1.9, -2.9, 3.1, 4.5, 5.5]),
    ((2, 3, 4), "bool", lambda x: np.arange(24).reshape(2, 3, 4) % 7 == 2,
     [0.0, 1.0, 5.0]),
    ((3, 4), "float32", lambda x: np.ones((3, 4), bool),
     np.arange(20.0, dtype=np.float32)),
    ((3, 4), "float64", lambda x: np.ones((3, 4), bool),
     np.arange(-10, 10, dtype=np.int32)),
    ((3, 4), "float64", lambda x: np.zeros((3, 4), bool), [1]),
    ((5,), "float64", lambda x: np.array([0, 1, 1, 0, 1], bool), -0.0),
    ((2, 3), "float64", lambda x: np.array([[1, 0, 1], [0, 1, 1]], bool),
     np.array([[1.0, 2.0], [3.0, 4.0]])),
    ((0, 3), "float64", lambda x: np.zeros((0, 3), bool), [1]),
]


@pytest.mark.parametrize("as_mt", [False, True], ids=["np", "mt"])
@pytest.mark.parametrize("case", PUTMASK_CASES,
                         ids=[str(i) for i in range(len(PUTMASK_CASES))])
def test_putmask(session, case, as_mt):
    shape, dtype, mk, vals = case
    x = make(shape, dtype, seed=6)
    mask = mk(x)
    e = x.copy()
    np.putmask(e, mask, vals)
    for cs in CHUNKS:
        t = mt.tensor(x, chunk_size=cs)
        u = t - 0 if dtype != "bool" else t.astype(bool)
        m2 = mt.tensor(mask, chunk_size=2) if as_mt else mask
        v2 = mt.tensor(np.asarray(vals), chunk_size=3) if as_mt else vals
        mt.putmask(t, m2, v2)
        assert_exact(run(t, session), e, cs)
        assert_exact(run(u, session), x, cs)


def test_putmask_with_mask_from_tensor(session):
    x = make((4, 5), seed=9)
    e = x.copy()
    with np.errstate(invalid="ignore"):
        np.putmask(e, e > 0, e ** 2)
    for cs in CHUNKS:
        t = mt.tensor(x, chunk_size=cs)
        mt.putmask(t, t > 0, t ** 2)
        assert_exact(run(t, session), e, cs)


def test_place_putmask_errors():
    x = np.arange(10.0)
    m = x % 3 == 0
    cases = [
        (lambda: np.place(x.copy(), m, []),
         lambda: _mt_call(mt.place, x, m, [])),
        (lambda: np.place(x.copy(), np.ones(5, bool), [1]),
         lambda: _mt_call(mt.place, x, mt.tensor(np.ones(5, bool)), [1])),
        (lambda: np.place(x.copy(), m[:5], [1]),
         lambda: _mt_call(mt.place, x, m[:5], [1])),
        (lambda: np.putmask(x.copy(), m[:5], [1]),
         lambda: _mt_call(mt.putmask, x, m[:5], [1])),
    ]
    for np_fn, mt_fn in cases:
        assert_same_error(np_fn, mt_fn)


def _mt_call(fn, x, *args, **kw):
    t = mt.tensor(x, chunk_size=3)
    fn(t, *args, **kw)
    return t


# --------------------------------------------------------------------------
# fill_diagonal
# --------------------------------------------------------------------------

FD_CASES = [
    # (shape, dtype, val, wrap)
    ((4, 4), "float64", 5.0, False),
    ((4, 4), "int64", [1, 2], False),
    ((5, 3), "float64", 7, False),
    ((5, 3), "float64", [1, 2], True),
    ((7, 3), "int32", [1, 2, 3, 4], True),
    ((8, 3), "float64", 9, True),
    ((3, 5), "float32", [1.5, np.nan, -0.0], False),
    ((3, 5), "float64", 2, True),
    ((3, 3, 3), "float64", [1, 2, 3], False),
    ((2, 2, 2, 2), "bool", True, False),
    ((4, 4), "int64", 2.9, False),
    ((1, 1), "float64", -1, False),
    ((0, 0), "float64", 1, False),
    ((6, 6), "float64", np.arange(10.0), False),
    ((4, 4), "float64", np.array([[1, 2], [3, 4]]), False),
]


@pytest.mark.parametrize("as_mt", [False, True], ids=["np", "mt"])
@pytest.mark.parametrize("case", FD_CASES,
                         ids=[str(i) for i in range(len(FD_CASES))])
def test_fill_diagonal(session, case, as_mt):
    shape, dtype, val, wrap = case
    x = make(shape, dtype, seed=8)
    e = x.copy()
    np.fill_diagonal(e, val, wrap=wrap)
    for cs in CHUNKS:
        t = mt.tensor(x, chunk_size=cs)
        u = t[:]
        v2 = mt.tensor(np.asarray(val)) if as_mt else val
        mt.fill_diagonal(t, v2, wrap=wrap)
        assert_exact(run(t, session), e, cs)
        assert_exact(run(u, session), x, cs)


def test_fill_diagonal_default_wrap(session):
    x = np.zeros((5, 2))
    e = x.copy()
    np.fill_diagonal(e, 1)
    t = mt.tensor(x, chunk_size=2)
    mt.fill_diagonal(t, 1)
    assert_exact(run(t, session), e)


def test_fill_diagonal_errors():
    for shape in ((2, 3, 2), (3,), ()):
        x = np.zeros(shape)
        assert_same_error(lambda: np.fill_diagonal(x.copy(), 1),
                          lambda: _mt_call(mt.fill_diagonal, x, 1))


# --------------------------------------------------------------------------
# copyto
# --------------------------------------------------------------------------

COPYTO_CASES = [
    # (dst shape, dst dtype, src, casting, where)
    ((3, 4), "float64", np.arange(4.0), "same_kind", True),
    ((3, 4), "float64", np.arange(12.0).reshape(3, 4) - 5, "same_kind",
     np.array([[True], [False], [True]])),
    ((3, 4), "float64", 2.5, "same_kind", np.arange(4) % 2 == 0),
    ((3, 4), "float64", np.arange(3.0).reshape(3, 1), "same_kind", False),
    ((3, 4), "int64", np.array([1.9, -1.9, 2.5, -0.5]), "unsafe", True),
    ((3, 4), "int64", np.array([1, 2, 3, 4], np.int32), "safe", True),
    ((3, 4), "float32", np.linspace(0, 1, 12).reshape(3, 4), "same_kind",
     np.eye(3, 4, dtype=bool)),
    ((3, 4), "float64", np.ones((3, 4), np.float32), "safe", True),
    ((3, 4), "float64", np.ones((3, 4)), "no", True),
    ((3, 4), "float64", np.ones((3, 4)), "equiv", True),
    ((3, 4), "bool", np.array([0.0, 1.0, 0.5, np.nan]), "unsafe", True),
    ((3, 4), "int32", np.array([True, False, True, False]), "safe",
     np.array([True, True, False, False])),
    ((2, 3, 4), "float64", np.array([[np.nan], [-0.0], [np.inf]]),
     "same_kind", np.array([True, False, True, True])),
    ((0, 3), "float64", np.ones(3), "same_kind", True),
    ((3, 4), "int64", 3, "same_kind", True),
    ((), "float64", 2.0, "same_kind", True),
]


@pytest.mark.parametrize("as_mt", [False, True], ids=["np", "mt"])
@pytest.mark.parametrize("case", COPYTO_CASES,
                         ids=[str(i) for i in range(len(COPYTO_CASES))])
def test_copyto(session, case, as_mt):
    shape, dtype, src, casting, where = case
    x = make(shape, dtype, seed=12)
    e = x.copy()
    np.copyto(e, src, casting=casting, where=where)
    for cs in CHUNKS:
        t = mt.tensor(x, chunk_size=cs)
        u = t[...]
        s2, w2 = src, where
        if as_mt:
            if isinstance(src, np.ndarray) and src.ndim <= 2:
                s2 = mt.tensor(src, chunk_size=2)
            if isinstance(where, np.ndarray):
                w2 = mt.tensor(where, chunk_size=1)
        mt.copyto(t, s2, casting=casting, where=w2)
        assert_exact(run(t, session), e, cs)
        assert_exact(run(u, session), x, cs)


def test_copyto_defaults(session):
    x = np.zeros((2, 3))
    e = x.copy()
    np.copyto(e, np.arange(3))
    t = mt.tensor(x, chunk_size=2)
    mt.copyto(t, np.arange(3))
    assert_exact(run(t, session), e)
    t2 = mt.tensor(x, chunk_size=2)
    mt.copyto(t2, mt.arange(3))
    assert_exact(run(t2, session), e)


COPYTO_ERRORS = [
    ("int64", np.ones(3), "same_kind"),
    ("int64", np.ones(3), "safe"),
    ("float32", np.ones(3), "safe"),
    ("int32", np.ones(3, np.int64), "safe"),
    ("int64", np.ones(3, np.int32), "no"),
    ("bool", np.ones(3, np.int64), "same_kind"),
    ("float64", np.ones(3), "bogus"),
    ("float64", np.ones(2), "same_kind"),
    ("float64", np.ones((2, 3)), "same_kind"),
    ("int64", 1.5, "same_kind"),
]


@pytest.mark.parametrize("as_mt", [False, True], ids=["np", "mt"])
@pytest.mark.parametrize("case", COPYTO_ERRORS,
                         ids=[str(i) for i in range(len(COPYTO_ERRORS))])
def test_copyto_errors(case, as_mt):
    dtype, src, casting = case
    if as_mt and not isinstance(src, np.ndarray):
        pytest.skip("scalar source")
    x = np.zeros(3, dtype)
    src2 = mt.tensor(src) if as_mt else src
    assert_same_error(
        lambda: np.copyto(x.copy(), src, casting=casting),
        lambda: _mt_copyto(x, src2, casting))


def _mt_copyto(x, src, casting, where=True):
    t = mt.tensor(x, chunk_size=2)
    mt.copyto(t, src, casting=casting, where=where)
    return t


def test_copyto_where_errors():
    x = np.zeros((3, 4))
    for where in (np.ones(3, bool), np.ones((2, 4), bool),
                  np.ones((3, 4), np.int64)):
        assert_same_error(
            lambda: np.copyto(x.copy(), 1.0, where=where),
            lambda: _mt_copyto(x, 1.0, "same_kind", where))
        assert_same_error(
            lambda: np.copyto(x.copy(), 1.0, where=where),
            lambda: _mt_copyto(x, 1.0, "same_kind", mt.tensor(where)))


def test_copyto_where_list(session):
    x = make((3, 4), seed=2)
    e = x.copy()
    np.copyto(e, -1.0, where=[[True], [False], [True]])
    t = mt.tensor(x, chunk_size=2)
    mt.copyto(t, -1.0, where=[[True], [False], [True]])
    assert_exact(run(t, session), e)


def test_empty_values_are_a_no_op(session):
    # numpy: put, putmask and fill_diagonal do nothing with an empty values
    x = make((3, 4), seed=1)
    for np_op, mt_op in (
            (lambda a: np.put(a, [1, 2], []), lambda t: mt.put(t, [1, 2], [])),
            (lambda a: a.put([1, 2], []), lambda t: t.put([1, 2], [])),
            (lambda a: np.putmask(a, np.ones((3, 4), bool), []),
             lambda t: mt.putmask(t, np.ones((3, 4), bool), [])),
            (lambda a: np.fill_diagonal(a, []),
             lambda t: mt.fill_diagonal(t, []))):
        e = x.copy()
        np_op(e)
        t = mt.tensor(x, chunk_size=2)
        mt_op(t)
        assert_exact(run(t, session), e)


# --------------------------------------------------------------------------
# Hypothesis properties
# --------------------------------------------------------------------------

shapes = st.integers(0, 3).flatmap(
    lambda n: st.lists(st.integers(0, 5), min_size=n, max_size=n)
    .map(tuple))
nonempty_shapes = st.integers(1, 3).flatmap(
    lambda n: st.lists(st.integers(1, 5), min_size=n, max_size=n)
    .map(tuple))
chunks = st.sampled_from(CHUNKS)
dtypes = st.sampled_from(DTYPES)
seeds = st.integers(0, 2 ** 16)


@st.composite
def basic_keys(draw, shape):
    items = []
    for d in shape:
        kinds = ["slice", "int"] if d > 0 else ["slice"]
        kind = draw(st.sampled_from(kinds))
        if kind == "int":
            items.append(draw(st.integers(-d, d - 1)))
        else:
            start = draw(st.none() | st.integers(-d - 2, d + 2))
            stop = draw(st.none() | st.integers(-d - 2, d + 2))
            step = draw(st.none() | st.sampled_from([1, 2, 3, -1, -2, -3]))
            items.append(slice(start, stop, step))
    if draw(st.booleans()):
        # an Ellipsis standing for a run of axes
        p = draw(st.integers(0, len(items)))
        q = draw(st.integers(p, len(items)))
        items = items[:p] + [Ellipsis] + items[q:]
    else:
        # drop some trailing axes
        items = items[:draw(st.integers(0, len(items)))]
    # a few None
    for _ in range(draw(st.integers(0, 2))):
        p = draw(st.integers(0, len(items)))
        items.insert(p, None)
    if len(items) == 1 and draw(st.booleans()):
        return items[0]
    return tuple(items)


def values_for(draw, target, dtype, seed):
    """A value for a target shape: a scalar, the full shape or a shape that
    broadcasts to it, of a random dtype (finite floats into integers)."""
    kind = draw(st.sampled_from(["scalar", "full", "bcast"]))
    vdtype = np.dtype(draw(dtypes))
    finite = np.dtype(dtype).kind in "ib"
    if kind == "scalar":
        if vdtype.kind == "f":
            return draw(st.sampled_from(
                [2.5, -0.0, 1e9, -7.75] if finite else
                [2.5, -0.0, np.nan, np.inf, -7.75]))
        return draw(st.sampled_from([0, 3, -4, True]))
    if kind == "full":
        shape = tuple(target)
    else:
        shape = tuple(1 if draw(st.booleans()) else d for d in target)
        drop = draw(st.integers(0, len(shape)))
        shape = shape[drop:]
    v = make(shape, vdtype, seed=seed, specials=not finite)
    if finite and vdtype.kind == "f":
        v = np.clip(v, -1000, 1000)
    return v


def _run_property(x, key, value, session_kind, cs, mt_key=False,
                  mt_value=False):
    note("x.shape=%r dtype=%s key=%r value=%r cs=%r mt_key=%r mt_value=%r"
         % (x.shape, x.dtype, key, value, cs, mt_key, mt_value))
    e = x.copy()
    with np.errstate(all="ignore"):
        e[key] = value
    t = mt.tensor(x, chunk_size=cs)
    u = t[...]
    k = to_mt_index(key) if mt_key else key
    v = mt.tensor(np.asarray(value), chunk_size=2) if mt_value else value
    t[k] = v
    session = get_session(session_kind)
    assert_exact(run(t, session), e)
    assert_exact(run(u, session), x)


sessions = st.sampled_from(["compiled", "default"])


@settings(**HSETTINGS)
@given(data=st.data(), shape=shapes, dtype=dtypes, cs=chunks, seed=seeds,
       sk=sessions)
def test_property_basic_keys(data, shape, dtype, cs, seed, sk):
    x = make(shape, dtype, seed=seed)
    key = data.draw(basic_keys(shape))
    target = x[key].shape
    value = values_for(data.draw, target, dtype, seed + 1)
    _run_property(x, key, value, sk, cs,
                  mt_value=isinstance(value, np.ndarray)
                  and data.draw(st.booleans()))


@st.composite
def int_array_keys(draw, shape):
    """Integer arrays (with duplicates possible) on one or two axes, the other
    axes ints/slices; returns (key, has_duplicates)."""
    nd = len(shape)
    n_arr = draw(st.integers(1, min(2, nd)))
    axes = sorted(draw(st.lists(st.integers(0, nd - 1), min_size=n_arr,
                                max_size=n_arr, unique=True)))
    bshape = tuple(draw(st.lists(st.integers(0, 3), min_size=0,
                                 max_size=2)))
    items = []
    for a, d in enumerate(shape):
        if a in axes:
            ishape = bshape if draw(st.booleans()) else tuple(
                1 if draw(st.booleans()) else s for s in bshape)
            arr = np.asarray(draw(st.lists(
                st.integers(-d, d - 1), min_size=int(np.prod(ishape)),
                max_size=int(np.prod(ishape))))).astype(
                    draw(st.sampled_from([np.int64, np.int32])))
            items.append(arr.reshape(ishape))
        else:
            kind = draw(st.sampled_from(["slice", "int", "full"]))
            if kind == "int":
                items.append(draw(st.integers(-d, d - 1)))
            elif kind == "slice":
                items.append(slice(draw(st.none() | st.integers(-d, d)),
                                   draw(st.none() | st.integers(-d, d)),
                                   draw(st.sampled_from([None, 2, -1]))))
            else:
                items.append(slice(None))
    if draw(st.booleans()):
        items = items[:max(axes) + 1]
    # are the indexed positions unique?
    arrays = [np.asarray(i) % shape[a] for a, i in enumerate(items)
              if isinstance(i, np.ndarray)]
    b = np.broadcast_arrays(*arrays)
    flat = np.ravel_multi_index(tuple(a.ravel() for a in b),
                                tuple(np.ones(len(b), int) * 6))
    dup = len(np.unique(flat)) != flat.size
    return tuple(items), dup


@settings(**HSETTINGS)
@given(data=st.data(), shape=nonempty_shapes, dtype=dtypes, cs=chunks,
       seed=seeds, mt_key=st.booleans(), sk=sessions)
def test_property_int_array_keys(data, shape, dtype, cs, seed, mt_key, sk):
    x = make(shape, dtype, seed=seed)
    key, dup = data.draw(int_array_keys(shape))
    target = x[key].shape
    if dup:
        value = data.draw(st.sampled_from([3, -0.0, True]))
    else:
        value = values_for(data.draw, target, dtype, seed + 1)
    _run_property(x, key, value, sk, cs, mt_key=mt_key,
                  mt_value=isinstance(value, np.ndarray)
                  and data.draw(st.booleans()))


@settings(**HSETTINGS)
@given(data=st.data(), shape=shapes, dtype=dtypes, cs=chunks, seed=seeds,
       mt_key=st.booleans(), sk=sessions)
def test_property_masks(data, shape, dtype, cs, seed, mt_key, sk):
    assume(shape != ())  # a mask covers at least one axis
    x = make(shape, dtype, seed=seed)
    k = data.draw(st.integers(1, len(shape)))
    rng = np.random.default_rng(seed)
    p = data.draw(st.sampled_from([0.0, 0.3, 0.7, 1.0]))
    mask = np.asarray(rng.random(shape[:k]) < p)
    rest = []
    for d in shape[k:]:
        if data.draw(st.booleans()) and d > 0:
            rest.append(data.draw(st.integers(-d, d - 1)))
        else:
            rest.append(slice(None, None, data.draw(
                st.sampled_from([None, 2, -1]))))
    lead = []
    if data.draw(st.booleans()):
        lead = [Ellipsis] if k == len(shape) else []
    key = tuple(lead + [mask] + rest) if (lead or rest) else mask
    target = x[key].shape
    value = values_for(data.draw, target, dtype, seed + 2)
    _run_property(x, key, value, sk, cs, mt_key=mt_key,
                  mt_value=isinstance(value, np.ndarray)
                  and data.draw(st.booleans()))


@settings(**HSETTINGS)
@given(data=st.data(), shape=nonempty_shapes, dtype=dtypes, cs=chunks,
       seed=seeds, mode=st.sampled_from(["raise", "wrap", "clip"]),
       as_mt=st.booleans())
def test_property_put(data, shape, dtype, cs, seed, mode, as_mt):
    x = make(shape, dtype, seed=seed)
    n = x.size
    lo, hi = (-n, n - 1) if mode == "raise" else (-2 * n - 3, 2 * n + 3)
    ind = np.asarray(data.draw(st.lists(st.integers(lo, hi), max_size=8)),
                     dtype=np.int64)
    eff = (ind % n if mode != "clip" else np.clip(ind, 0, n - 1))
    if len(np.unique(eff)) != eff.size:
        vals = make((1,), dtype, seed=seed + 1)
    else:
        vals = make((data.draw(st.integers(1, 6)),), dtype, seed=seed + 1)
    note("shape=%r ind=%r vals=%r mode=%s" % (shape, ind, vals, mode))
    e = x.copy()
    np.put(e, ind, vals, mode=mode)
    t = mt.tensor(x, chunk_size=cs)
    if as_mt:
        t.put(mt.tensor(ind, chunk_size=3), mt.tensor(vals), mode=mode)
    else:
        mt.put(t, ind, vals, mode=mode)
    assert_exact(run(t, get_session("compiled")), e)


@settings(**HSETTINGS)
@given(data=st.data(), shape=nonempty_shapes, dtype=dtypes, cs=chunks,
       seed=seeds, as_mt=st.booleans())
def test_property_put_along_axis(data, shape, dtype, cs, seed, as_mt):
    x = make(shape, dtype, seed=seed)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    k = data.draw(st.integers(0, shape[axis]))
    ind = _perm_indices(shape, axis, k, seed, negative=True)
    vshape = tuple(1 if data.draw(st.booleans()) else d for d in ind.shape)
    vals = make(vshape, dtype, seed=seed + 3)
    note("shape=%r axis=%r ind=%r vals=%r" % (shape, axis, ind, vals))
    e = x.copy()
    np.put_along_axis(e, ind, vals, axis)
    t = mt.tensor(x, chunk_size=cs)
    if as_mt:
        mt.put_along_axis(t, mt.tensor(ind, chunk_size=2), mt.tensor(vals),
                          axis)
    else:
        mt.put_along_axis(t, ind, vals, axis)
    assert_exact(run(t, get_session("compiled")), e)


@settings(**HSETTINGS)
@given(data=st.data(), shape=shapes, dtype=dtypes, cs=chunks, seed=seeds,
       fn=st.sampled_from(["place", "putmask"]), as_mt=st.booleans())
def test_property_place_putmask(data, shape, dtype, cs, seed, fn, as_mt):
    x = make(shape, dtype, seed=seed)
    rng = np.random.default_rng(seed + 5)
    mask = rng.random(shape) < data.draw(st.sampled_from([0.0, 0.5, 1.0]))
    vals = make((data.draw(st.integers(1, 7)),),
                data.draw(dtypes) if dtype in ("float32", "float64")
                else dtype, seed=seed + 6)
    note("shape=%r mask=%r vals=%r" % (shape, mask, vals))
    e = x.copy()
    try:
        getattr(np, fn)(e, mask, vals)
    except TypeError:
        # numpy casts ndarray values safely only (Mars does not raise: see
        # test_place_putmask_safe_casting); compare with cast values
        vals = vals.astype(x.dtype)
        getattr(np, fn)(e, mask, vals)
    t = mt.tensor(x, chunk_size=cs)
    if as_mt:
        getattr(mt, fn)(t, mt.tensor(mask, chunk_size=2), mt.tensor(vals))
    else:
        getattr(mt, fn)(t, mask, vals)
    assert_exact(run(t, get_session("compiled")), e)


@settings(**HSETTINGS)
@given(data=st.data(), shape=shapes, dtype=dtypes, sdtype=dtypes, cs=chunks,
       seed=seeds, casting=st.sampled_from(
           ["no", "equiv", "safe", "same_kind", "unsafe"]),
       as_mt=st.booleans())
def test_property_copyto(data, shape, dtype, sdtype, cs, seed, casting,
                         as_mt):
    x = make(shape, dtype, seed=seed)
    sshape = tuple(1 if data.draw(st.booleans()) else d for d in shape)
    sshape = sshape[data.draw(st.integers(0, len(sshape))):]
    src = make(sshape, sdtype, seed=seed + 1,
               specials=np.dtype(dtype).kind == "f")
    if np.dtype(dtype).kind in "ib" and src.dtype.kind == "f":
        src = np.clip(src, -1000, 1000)
    wkind = data.draw(st.sampled_from(["true", "mask", "bmask"]))
    if wkind == "true":
        where = True
    else:
        wshape = shape if wkind == "mask" else tuple(
            1 if data.draw(st.booleans()) else d for d in shape)
        where = np.random.default_rng(seed).random(wshape) < 0.5
    note("shape=%r src=%r where=%r casting=%s" % (shape, src, where,
                                                 casting))
    e = x.copy()
    try:
        np.copyto(e, src, casting=casting, where=where)
    except TypeError:
        with pytest.raises(TypeError):
            _mt_copyto(x, src, casting, where)
        return
    t = mt.tensor(x, chunk_size=cs)
    s2 = mt.tensor(src, chunk_size=2) if as_mt else src
    w2 = (mt.tensor(where) if as_mt and isinstance(where, np.ndarray)
          else where)
    mt.copyto(t, s2, casting=casting, where=w2)
    assert_exact(run(t, get_session("compiled")), e)


@settings(**HSETTINGS)
@given(data=st.data(), shape=nonempty_shapes, cs=chunks, seed=seeds)
def test_property_sequences(data, shape, cs, seed):
    """Several assignments in a row on one tensor, with derived tensors
    taken between them keeping their values."""
    x = make(shape, "float64", seed=seed)
    e = x.copy()
    t = mt.tensor(x, chunk_size=cs)
    snaps = [(t * 1, e.copy())]
    for i in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(["basic", "mask", "int"]))
        if kind == "basic":
            key = data.draw(basic_keys(shape))
        elif kind == "mask":
            key = np.random.default_rng(seed + i).random(shape) < 0.5
        else:
            key, dup = data.draw(int_array_keys(shape))
        value = float(i) - 0.5
        e[key] = value
        t[key] = value
        if data.draw(st.booleans()):
            e[key] = e[key] * 2
            t[key] = t[key] * 2
        snaps.append((t[...], e.copy()))
    session = get_session("compiled")
    for tt, ee in snaps:
        assert_exact(run(tt, session), ee)


# --------------------------------------------------------------------------
# Mismatches with numpy this file found, kept as regression tests
# --------------------------------------------------------------------------

def same_as_numpy(x, np_op, mt_op=None, chunk_size=2):
    """np_op on a copy of x and (mt_op or np_op) on a Mars tensor of x give
    the same result; a mismatch or error is one short AssertionError."""
    def body():
        e = x.copy()
        np_op(e)
        t = mt.tensor(x, chunk_size=chunk_size)
        (mt_op or np_op)(t)
        assert_exact(computed(t), e)
    short_failure(body)


def setter(key, value):
    def op(a):
        a[key] = value
    return op


@pytest.mark.parametrize("key,value", [
    (I[::-1], 5.0), (I[::-1], np.arange(7.0)), (I[2::-1], [1, 2, 3]),
    (I[6::-2], -1.0), (I[-1:-8:-1], 9.0), (I[100::-3], 0.5)],
    ids=["rev-scalar", "rev-array", "2::-1", "6::-2", "-1:-8:-1", "100::-3"])
def test_open_negative_step_slice(key, value):
    # numpy: a = np.arange(7.); a[::-1] = 5 -> all 5
    same_as_numpy(np.arange(7.0), setter(key, value), chunk_size=3)


def test_open_negative_step_slice_2d():
    same_as_numpy(np.arange(12.0).reshape(3, 4),
                  setter(I[:, ::-2], np.array([1.0, 2.0])))


def test_open_negative_step_slice_reverse_in_place():
    def op(a):
        a[::-1] = a
    same_as_numpy(np.arange(6.0), op, chunk_size=4)


@pytest.mark.parametrize("x,key", [
    (np.array(2.5), np.array(True)), (np.array(2.5), np.array(False)),
    (np.arange(3.0), True), (np.arange(3.0), np.False_)],
    ids=["0d-true", "0d-false", "1d-True", "1d-np.False_"])
def test_bool_scalar_index(x, key):
    # numpy: a = np.array(2.5); a[np.array(True)] = 7 -> 7.0
    same_as_numpy(x, setter(key, 7), chunk_size=None)


@pytest.mark.parametrize("shape,key", [
    ((3,), np.array(1)), ((3, 4), (np.array(1), np.array(-2))),
    ((3, 4), (np.array(1), 2)), ((3, 4), (-1, np.array(0, np.int32)))],
    ids=["1d", "2d-two-arrays", "2d-array-int", "2d-int-array32"])
def test_zero_d_int_array_index(shape, key):
    # numpy: a = np.arange(3.); a[np.array(1)] = 5 -> [0, 5, 2]
    x = np.arange(float(np.prod(shape))).reshape(shape)
    same_as_numpy(x, setter(key, 5))


def _leading_ones_cases():
    x = make((4, 5), seed=3)
    return [
        ("basic", x, I[1:3], np.ones((1, 2, 5))),
        ("whole", x, I[...], np.arange(5.0).reshape(1, 1, 5)),
        ("int", x, I[0], np.ones((1, 5))),
        ("0d", np.array(1.0), I[()], np.array([3.0])),
        ("fancy", x, I[[0, 3]], np.ones((1, 2, 5))),
        ("mask-rows", x, I[np.array([1, 0, 1, 0], bool)], np.ones((1, 1, 5))),
    ]


@pytest.mark.parametrize("case", _leading_ones_cases(),
                         ids=lambda c: c[0])
def test_value_with_leading_unit_dims(case):
    # numpy: a = np.zeros(5); a[:] = np.ones((1, 5)) -> all ones
    _, x, key, value = case
    same_as_numpy(x, setter(key, value))


def test_full_mask_value_must_be_1d():
    # numpy's boolean-assignment path takes 0-d or 1-d values only (no
    # dropping of leading size-1 dims there): TypeError.
    x = make((4, 5), seed=3)
    m = np.nan_to_num(x) > 0
    value = np.ones((1, int(m.sum())))
    short_failure(assert_same_error, lambda: setter(m, value)(x.copy()),
                  lambda: setter(m, value)(mt.tensor(x, chunk_size=2)))


def test_copyto_src_with_leading_unit_dims():
    same_as_numpy(np.zeros((3, 4)),
                  lambda a: np.copyto(a, np.ones((1, 1, 3, 4))),
                  lambda t: mt.copyto(t, np.ones((1, 1, 3, 4))))


@pytest.mark.parametrize("dtype,src,casting", [
    ("float32", 1.5, "safe"), ("int32", 3, "safe"),
    ("float32", np.array(1.5), "safe"), ("int32", np.int64(3), "safe")],
    ids=["f32-pyfloat", "i32-pyint", "f32-0d-array", "i32-np.int64"])
def test_copyto_value_based_casting(dtype, src, casting):
    same_as_numpy(np.zeros(3, dtype),
                  lambda a: np.copyto(a, src, casting=casting),
                  lambda t: mt.copyto(t, src, casting=casting))


@pytest.mark.parametrize("fn", ["place", "putmask"])
@pytest.mark.parametrize("dtype,vals", [
    ("float32", np.array([1.5, 2.5])), ("int32", np.array([1.9, -2.9])),
    ("int32", np.array([1, 2])), ("bool", np.array([0.0, 1.0]))],
    ids=["f64->f32", "f64->i32", "i64->i32", "f64->bool"])
def test_place_putmask_safe_casting(fn, dtype, vals):
    x = np.zeros(4, dtype)
    m = np.array([1, 0, 1, 1], bool)
    short_failure(assert_same_error,
                  lambda: getattr(np, fn)(x.copy(), m, vals),
                  lambda: _mt_call(getattr(mt, fn), x, m, vals))


def test_put_float_indices():
    # numpy: a = np.zeros(12); np.put(a, [1.7, -2.2], [5, 6]) -> a[1] = 5,
    # a[10] = 6
    same_as_numpy(np.zeros(12), lambda a: np.put(a, [1.7, -2.2], [5, 6]),
                  lambda t: mt.put(t, [1.7, -2.2], [5, 6]))
