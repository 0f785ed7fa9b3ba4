"""Set routines (unique with and without axis, in1d, isin, intersect1d,
union1d, setdiff1d, setxor1d), lexsort, choose, unravel_index,
ravel_multi_index and the original Mars's topk / argtopk, against numpy
1.24 (topk against a numpy sort): values, dtypes and shapes, on ragged
chunkings and both session kinds, with NaN, infinities, -0.0, ties, empty
and size-1 inputs, every flag and mode, and numpy's exception classes.
Hypothesis property tests at the end (SETOPS_RANDOM=1 draws fresh
examples; SETOPS_SCALE=k multiplies their number).

Not compared (documented in mars/tensor/setops.py): which of -0.0 and
0.0 represents equal zeros (assert_array_equal compares them equal);
numpy's inverse where its unstable sort orders NaNs that are kept apart
(equal_nan=False, or rows holding NaN): there the inverse is checked to
rebuild the input; numpy's results for assume_unique=True on inputs that
are not unique (unspecified)."""

import itertools
import os
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import mars
import mars.tensor as mt

from helpers import get_session

rng = np.random.default_rng(1024)
CHUNKS = (1, 3, None)
FLOAT_SPECIALS = [np.nan, np.inf, -np.inf, -0.0, 0.0, np.nan]


def values(shape, dtype, lo=-3, hi=4, specials=True):
    """Random values with many ties; floats with NaN (twice), infinities,
    -0.0 and 0.0."""
    if dtype == "bool":
        return rng.random(shape) < 0.5
    x = rng.integers(lo, hi, shape).astype(dtype)
    if x.dtype.kind == "f" and specials:
        x = x * np.asarray(1.5, x.dtype)
        flat = x.reshape(-1)
        for s in FLOAT_SPECIALS:
            if flat.size > 3:
                flat[rng.integers(flat.size)] = s
    return x


def T(x, cs=None):
    return mt.tensor(np.asarray(x), chunk_size=cs)


def run_all(res, session):
    """The values of a tensor or a tuple of tensors (one run)."""
    if isinstance(res, tuple):
        assert all(isinstance(r, mt.Tensor) for r in res)
        mars.execute(*res, session=session)
        return tuple(np.asarray(r.fetch()) for r in res)
    assert isinstance(res, mt.Tensor), type(res)
    mars.execute(res, session=session)
    return np.asarray(res.fetch())


def exact(actual, expected):
    """Same shape, dtype and values (NaN equal to NaN; -0.0 to 0.0)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    np.testing.assert_array_equal(actual, expected)


def exact_all(actual, expected):
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            exact(a, e)
    else:
        assert not isinstance(actual, tuple)
        exact(actual, expected)


def compare(fn, *arrays, session, cs=None):
    """fn(np, *arrays) against fn(mt, *tensors) of the arrays."""
    expected = fn(np, *arrays)
    actual = run_all(fn(mt, *[T(a, cs) for a in arrays]), session)
    exact_all(actual, expected)
    return actual


def raises_like(call, message=True):
    """call(np) raises; call(mt) raises the same class (and, when message,
    the same message) when it is called."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call(np)
    except Exception as e:  # noqa: BLE001 - any class numpy raises
        expected = e
    else:
        raise AssertionError("numpy did not raise")
    with pytest.raises(type(expected)) as info:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call(mt)
    if message:
        assert str(info.value) == str(expected), (str(info.value),
                                                  str(expected))


# -- unique -------------------------------------------------------------------

FLAGS = [dict(), dict(return_index=True), dict(return_inverse=True),
         dict(return_counts=True),
         dict(return_index=True, return_inverse=True, return_counts=True)]


def check_unique(x, session, cs, axis=None, **kw):
    expected = np.unique(x, axis=axis, **kw)
    got = run_all(mt.unique(T(x, cs), axis=axis, **kw), session)
    exp = expected if isinstance(expected, tuple) else (expected,)
    act = got if isinstance(got, tuple) else (got,)
    assert len(act) == len(exp)
    kept_apart = x.dtype.kind == "f" and np.isnan(x).any() and (
        axis is not None or not kw.get("equal_nan", True))
    names = ["values"] + [k for k in ("return_index", "return_inverse",
                                      "return_counts") if kw.get(k)]
    for name, a, e in zip(names, act, exp):
        if name == "return_inverse" and kept_apart and \
                not kw.get("return_index"):
            # numpy's quicksort may order the kept-apart NaNs otherwise:
            # the inverse must rebuild the input.
            assert a.dtype == e.dtype and a.shape == e.shape
            rebuilt = np.take(act[0], a, axis=0 if axis is None else axis)
            exact(rebuilt, x.reshape(-1) if axis is None else x)
        else:
            exact(a, e)


@pytest.mark.parametrize("dtype", ["float64", "int64", "int32", "bool",
                                   "float32"])
@pytest.mark.parametrize("shape", [(0,), (1,), (9,), (4, 5), (2, 3, 2),
                                   ()])
def test_unique_flat(session, dtype, shape):
    x = values(shape, dtype)
    for cs in CHUNKS:
        for kw in FLAGS:
            for equal_nan in (True, False):
                check_unique(x, session, cs, equal_nan=equal_nan, **kw)


def test_unique_nan_runs(compiled_session):
    x = np.array([np.nan, 1.0, -np.nan, np.nan, -0.0, 0.0, 1.0, np.inf,
                  -np.inf, np.nan])
    for cs in (1, 4, None):
        for equal_nan in (True, False):
            check_unique(x, compiled_session, cs, equal_nan=equal_nan,
                         return_index=True, return_inverse=True,
                         return_counts=True)
    u = run_all(mt.unique(T(x, 2)), compiled_session)
    assert np.isnan(u).sum() == 1 and u.dtype == np.float64
    u = run_all(mt.unique(T(x, 2), equal_nan=False), compiled_session)
    assert np.isnan(u).sum() == 4
    # All NaN, one NaN.
    check_unique(np.full(5, np.nan), compiled_session, 2,
                 return_counts=True, return_index=True)
    check_unique(np.array([np.nan]), compiled_session, None,
                 return_inverse=True, equal_nan=False)


def test_unique_inputs_not_tensors(compiled_session):
    s = compiled_session
    exact_all(run_all(mt.unique(5, return_inverse=True), s),
              np.unique(5, return_inverse=True))
    exact(run_all(mt.unique([]), s), np.unique([]))
    exact_all(run_all(mt.unique([True, False, True], return_counts=True),
                      s), np.unique([True, False, True], return_counts=True))
    exact(run_all(mt.unique(np.array([[3, 1], [1, 3]], np.int32)), s),
          np.unique(np.array([[3, 1], [1, 3]], np.int32)))
    exact(run_all(mt.unique([2.5, 1, 2.5]), s), np.unique([2.5, 1, 2.5]))
    # A lazy (computed) operand.
    t = T(np.arange(10), 3) % 4
    exact_all(run_all(mt.unique(t, return_counts=True), s),
              np.unique(np.arange(10) % 4, return_counts=True))


def test_unique_errors():
    raises_like(lambda xp: xp.unique(np.zeros((2, 3)), axis=2))
    raises_like(lambda xp: xp.unique(np.zeros((2, 3)), axis=-3))
    raises_like(lambda xp: xp.unique(np.float64(3), axis=0))
    raises_like(lambda xp: xp.unique(T(np.zeros((2, 3)), 1) if xp is mt
                                     else np.zeros((2, 3)), axis=5))
    raises_like(lambda xp: xp.unique(np.zeros((2, 3)), axis=1.0),
                message=False)


def test_eager_mode(compiled_session):
    mars.options.eager_mode = True
    x = values((11,), "float64")
    for kw in FLAGS:
        r = mt.unique(T(x, 3), **kw)
        exact_all(tuple(np.asarray(t) for t in r) if isinstance(r, tuple)
                  else np.asarray(r), np.unique(x, **kw))
    exact_all(tuple(np.asarray(t) for t in mt.intersect1d(
        T(x, 2), [1.5, 0.0, 3.0], return_indices=True)),
        np.intersect1d(x, [1.5, 0.0, 3.0], return_indices=True))
    exact(np.asarray(mt.setxor1d(T(x, 2), [1.5, 7.0])),
          np.setxor1d(x, [1.5, 7.0]))
    exact(np.asarray(mt.choose(T([0, 1, 0], 1), [[1, 2, 3], [4, 5, 6]])),
          np.choose([0, 1, 0], [[1, 2, 3], [4, 5, 6]]))
    exact(np.asarray(mt.unique(T(np.eye(3)[[0, 2, 0]], 2), axis=0)),
          np.unique(np.eye(3)[[0, 2, 0]], axis=0))


def rows_with_ties(shape, axis, dtype):
    """An array whose slices along axis repeat (drawn from a few)."""
    n = shape[axis]
    other = list(shape)
    other[axis] = 3
    pool = values(tuple(other), dtype, lo=0, hi=2)
    pick = rng.integers(0, 3, n)
    return np.take(pool, pick, axis=axis)


UNIQUE_AXES = [((0, 3), 0), ((3, 0), 0), ((3, 0), 1), ((0, 3), 1),
               ((1, 4), 0), ((6, 2), 0), ((6, 3), 1), ((5, 2, 3), 0),
               ((3, 5, 2), 1), ((2, 3, 5), -1), ((8, 9), 0), ((7, 1), 0),
               ((4,), 0)]


@pytest.mark.parametrize("dtype", ["float64", "int64", "int32", "bool"])
@pytest.mark.parametrize("shape,axis", UNIQUE_AXES)
def test_unique_axis(session, dtype, shape, axis):
    x = rows_with_ties(shape, axis, dtype)
    for cs in (2, None):
        for kw in (FLAGS[0], FLAGS[2], FLAGS[4]):
            check_unique(x, session, cs, axis=axis, **kw)


def test_unique_axis_nan_and_signed_zero(compiled_session):
    s = compiled_session
    nan = np.nan
    x = np.array([[nan, 1], [nan, 1], [nan, 0], [-0.0, 2], [0.0, 2],
                  [1, nan], [1, nan], [0.0, -0.0]])
    for axis in (0, 1):
        for cs in (1, 3, None):
            check_unique(x, s, cs, axis=axis, return_index=True,
                         return_inverse=True, return_counts=True)
            for eq in (True, False):   # equal_nan does not apply (1.24)
                check_unique(x, s, cs, axis=axis, equal_nan=eq)
    # Many columns (the dense-rank path) with NaN, -0.0 and ties.
    pool = values((3, 11), "float64", lo=0, hi=2)
    pool[1, 4] = nan
    pool[2] = pool[0]
    pool[2, 7] = -pool[2, 7] if pool[2, 7] == 0 else pool[2, 7]
    x = pool[rng.integers(0, 3, 12)]
    check_unique(x, s, 4, axis=0, return_index=True, return_inverse=True,
                 return_counts=True)
    check_unique(x.T.copy(), s, 4, axis=1, return_index=True,
                 return_counts=True)


def test_unique_axis_many_columns(compiled_session):
    # lexsort (up to 4 columns) and dense ranks (5 and more) agree with
    # numpy on every width, odd and even.
    for m in (1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17):
        x = rng.integers(0, 2, (10, m))
        check_unique(x, compiled_session, 3, axis=0, return_index=True,
                     return_inverse=True, return_counts=True)
    x = rng.integers(-2, 2, (30, 40)).astype(np.int32)
    x[::3] = x[1]
    check_unique(x, compiled_session, 7, axis=0, return_index=True,
                 return_inverse=True, return_counts=True)


# -- membership and set operations --------------------------------------------

PAIRS = [("float64", "float64"), ("int64", "int32"), ("bool", "int64"),
         ("int32", "float64"), ("bool", "bool"), ("float32", "float64"),
         ("int64", "bool")]
SIZES = [((0,), (3,)), ((5,), (0,)), ((1,), (1,)), ((9,), (4,)),
         ((3, 4), (2, 3)), ((), (5,)), ((6,), ())]


@pytest.mark.parametrize("d1,d2", PAIRS)
@pytest.mark.parametrize("s1,s2", SIZES)
def test_in1d_isin(session, d1, d2, s1, s2):
    a, b = values(s1, d1), values(s2, d2)
    ints = all(np.dtype(d).kind in "iub" for d in (d1, d2))
    for cs in CHUNKS:
        for invert in (False, True):
            kinds = [None, "sort"] + (["table"] if ints else [])
            for kind in kinds:
                compare(lambda xp, p, q: xp.in1d(p, q, invert=invert,
                                                 kind=kind),
                        a, b, session=session, cs=cs)
                compare(lambda xp, p, q: xp.isin(p, q, invert=invert,
                                                 kind=kind),
                        a, b, session=session, cs=cs)
        ua, ub = np.unique(a), np.unique(b)
        compare(lambda xp, p, q: xp.in1d(p, q, assume_unique=True),
                ua, ub, session=session, cs=cs)


def test_in1d_known_values(compiled_session):
    s = compiled_session
    nan = np.nan
    a = np.array([1.0, nan, -0.0, 0.0, np.inf, 2.0])
    b = np.array([nan, 0.0, np.inf, 3.0])
    for cs in (1, 2, None):
        got = run_all(mt.in1d(T(a, cs), T(b, cs)), s)
        exact(got, np.array([False, False, True, True, True, False]))
        exact(got, np.in1d(a, b))
    # The loop path of numpy (small ar2) and its sorting path agree.
    big = np.arange(100.0)
    big[5] = nan
    exact(run_all(mt.in1d(a, big), s), np.in1d(a, big))
    exact(run_all(mt.isin(3, [1, 3]), s), np.isin(3, [1, 3]))
    exact(run_all(mt.isin(3.5, [1, 3]), s), np.isin(3.5, [1, 3]))
    x = np.arange(12).reshape(3, 4)
    exact(run_all(mt.isin(T(x, 2), T(np.array([[1, 5], [11, 40]]), 1),
                          invert=True), s),
          np.isin(x, np.array([[1, 5], [11, 40]]), invert=True))


def test_in1d_float32_value_based(compiled_session):
    # numpy 1.24 compares a float32 ar1 with each float64 element of a
    # short ar2 as a scalar cast by value (in float32: 1 + 2**-24 rounds to
    # 1.0), and a long ar2 by sorting in float64: the result depends on
    # the lengths, in Mars as in numpy.
    s = compiled_session
    a = np.array([1.0, 16777216.0, np.inf, np.nan, -0.0, 3e38,
                  np.finfo(np.float32).max], np.float32)
    for b in [np.array([1 + 2.0**-24]), np.array([1.00000006]),
              np.array([1e300, 0.0]), np.array([3.0000001e38, 1e39]),
              np.arange(200.0) + 2.0**-24, np.array([16777217]),
              np.array([3.40282356e38, np.inf])]:
        for cs in (1, None):
            for invert in (False, True):
                exact(run_all(mt.in1d(T(a, cs), T(b, cs), invert=invert),
                              s), np.in1d(a, b, invert=invert))
                exact(run_all(mt.isin(a[:1], T(b, cs), invert=invert), s),
                      np.isin(a[:1], b, invert=invert))
            exact(run_all(mt.setdiff1d(T(a, cs), T(b, cs)), s),
                  np.setdiff1d(a, b))
            exact(run_all(mt.setdiff1d(T(np.tile(a, 30), cs), T(b, cs)), s),
                  np.setdiff1d(np.tile(a, 30), b))
            exact(run_all(mt.setdiff1d(T(a, cs), T(b, cs),
                                       assume_unique=True), s),
                  np.setdiff1d(a, b, assume_unique=True))
    assert np.in1d(a[:1], [1 + 2.0**-24])[0]    # what the test relies on
    assert not np.in1d(np.tile(a[:1], 20), np.arange(200.0) + 2.0**-24)[0]


def test_in1d_errors():
    raises_like(lambda xp: xp.in1d([1, 2], [1], kind="foo"))
    raises_like(lambda xp: xp.in1d([1.0, 2], [1], kind="table"))
    raises_like(lambda xp: xp.in1d([1, 2], [], kind="table"))  # float []
    raises_like(lambda xp: xp.isin([1, 2], [1.5], kind="table"))
    # numpy's range checks of kind='table' (executed for tensors).
    raises_like(lambda xp: xp.in1d(np.array([1], np.int64),
                                   np.array([-2**62, 2**62]), kind="table"))
    raises_like(lambda xp: xp.in1d(np.array([0], np.int32),
                                   np.array([-2**40, 5]), kind="table"))
    for xp in (np, mt):
        with pytest.raises(RuntimeError):
            xp.in1d(T(np.array([1], np.int64), 1) if xp is mt else
                    np.array([1], np.int64),
                    np.array([-2**63, 2**63 - 1]), kind="table")
    # Ranges within the limits: no error, and the right membership.
    s = get_session("compiled")
    for a, b in [(np.array([True]), np.array([-200, 2])),
                 (np.array([0, 7], np.int32), np.array([7, -5], np.int64)),
                 (np.array([], np.int32), np.array([2**20, 0]))]:
        exact(run_all(mt.in1d(T(a, 1), T(b, 1), kind="table"), s),
              np.in1d(a, b, kind="table"))


SET_SIZES = [((0,), (0,)), ((0,), (4,)), ((5,), (0,)), ((1,), (1,)),
             ((9,), (7,)), ((3, 4), (2, 5)), ((), (3,)), ((12,), (2,))]


@pytest.mark.parametrize("d1,d2", PAIRS)
@pytest.mark.parametrize("s1,s2", SET_SIZES)
def test_set_operations(session, d1, d2, s1, s2):
    a, b = values(s1, d1), values(s2, d2)
    for cs in CHUNKS:
        compare(lambda xp, p, q: xp.intersect1d(p, q), a, b,
                session=session, cs=cs)
        compare(lambda xp, p, q: xp.intersect1d(p, q, return_indices=True),
                a, b, session=session, cs=cs)
        compare(lambda xp, p, q: xp.union1d(p, q), a, b, session=session,
                cs=cs)
        compare(lambda xp, p, q: xp.setdiff1d(p, q), a, b, session=session,
                cs=cs)
        compare(lambda xp, p, q: xp.setxor1d(p, q), a, b, session=session,
                cs=cs)
    # assume_unique=True on unique inputs (numpy's precondition): shuffled
    # unique values.
    ua, ub = rng.permutation(np.unique(a)), rng.permutation(np.unique(b))
    for cs in (2, None):
        compare(lambda xp, p, q: xp.intersect1d(p, q, assume_unique=True),
                ua, ub, session=session, cs=cs)
        compare(lambda xp, p, q: xp.intersect1d(
            p, q, assume_unique=True, return_indices=True),
            ua, ub, session=session, cs=cs)
        compare(lambda xp, p, q: xp.setdiff1d(p, q, assume_unique=True),
                ua, ub, session=session, cs=cs)
        compare(lambda xp, p, q: xp.setxor1d(p, q, assume_unique=True),
                ua, ub, session=session, cs=cs)


def test_set_operations_known(compiled_session):
    s = compiled_session
    nan = np.nan
    # NaN is in no intersection; a NaN of each input stays in the xor and
    # the difference; the union has one NaN.
    a = np.array([nan, 1.0, 2.0, nan, -0.0])
    b = np.array([nan, 2.0, 3.0, 0.0])
    for cs in (1, 2, None):
        for name in ("intersect1d", "union1d", "setdiff1d", "setxor1d"):
            exact(run_all(getattr(mt, name)(T(a, cs), T(b, cs)), s),
                  getattr(np, name)(a, b))
        exact_all(run_all(mt.intersect1d(T(a, cs), T(b, cs),
                                         return_indices=True), s),
                  np.intersect1d(a, b, return_indices=True))
    exact(run_all(mt.setxor1d([nan], [nan]), s), np.setxor1d([nan], [nan]))
    exact(run_all(mt.setxor1d([nan], [nan], assume_unique=True), s),
          np.setxor1d([nan], [nan], assume_unique=True))
    # First occurrences, lists and scalars, mixed dtypes.
    exact_all(run_all(mt.intersect1d([1, 1, 2, 3, 4], [2, 1, 4, 6],
                                     return_indices=True), s),
              np.intersect1d([1, 1, 2, 3, 4], [2, 1, 4, 6],
                             return_indices=True))
    exact(run_all(mt.intersect1d([1, 2, 3], [2.5, 3]), s),
          np.intersect1d([1, 2, 3], [2.5, 3]))
    exact(run_all(mt.union1d(np.int32([1, 2]), np.float32([2.0])), s),
          np.union1d(np.int32([1, 2]), np.float32([2.0])))
    exact(run_all(mt.setdiff1d(np.int32([1, 2]), [2.0]), s),
          np.setdiff1d(np.int32([1, 2]), [2.0]))
    exact(run_all(mt.setdiff1d(5, [1]), s), np.setdiff1d(5, [1]))
    exact(run_all(mt.union1d(T([[3, 1], [2, 2]], 1), 0), s),
          np.union1d([[3, 1], [2, 2]], 0))
    # assume_unique keeps ar1's order in setdiff1d.
    exact(run_all(mt.setdiff1d([5, 1, 4, 2], [4], assume_unique=True), s),
          np.setdiff1d([5, 1, 4, 2], [4], assume_unique=True))


# -- lexsort ------------------------------------------------------------------


@pytest.mark.parametrize("shape,axis", [((9,), -1), ((9,), 0), ((0,), 0),
                                        ((1,), 0), ((4, 5), 0),
                                        ((4, 5), 1), ((3, 4, 2), 1),
                                        ((3, 0), 1)])
@pytest.mark.parametrize("dtypes", [("float64", "float64"),
                                    ("int64", "bool", "float32"),
                                    ("int32",), ("bool", "bool", "int64",
                                                 "float64")])
def test_lexsort(session, shape, axis, dtypes):
    keys = [values(shape, d, lo=0, hi=3) for d in dtypes]
    for cs in CHUNKS:
        expected = np.lexsort(keys, axis=axis)
        for form in ("list", "tuple"):
            ks = [T(k, cs) for k in keys]
            ks = tuple(ks) if form == "tuple" else ks
            exact(run_all(mt.lexsort(ks, axis=axis), session), expected)
        if len(set(dtypes)) == 1:
            # Keys as the rows of one array / tensor.
            stacked = np.stack(keys)
            exact(run_all(mt.lexsort(T(stacked, cs), axis=axis), session),
                  np.lexsort(stacked, axis=axis))
            exact(run_all(mt.lexsort(stacked, axis=axis), session),
                  np.lexsort(stacked, axis=axis))


def test_lexsort_known(compiled_session):
    s = compiled_session
    surnames = np.array([3, 1, 2, 1, 3, 2])
    first = np.array([1.0, np.nan, -0.0, 0.0, np.nan, 0.0])
    exact(run_all(mt.lexsort((T(first, 2), T(surnames, 4))), s),
          np.lexsort((first, surnames)))
    exact(run_all(mt.lexsort((T(surnames, 2), T(first, 4))), s),
          np.lexsort((surnames, first)))
    exact(run_all(mt.lexsort([[1, 2]]), s), np.lexsort([[1, 2]]))
    exact(run_all(mt.lexsort([1, 2]), s), np.lexsort([1, 2]))   # 0-d keys
    exact(run_all(mt.lexsort(np.array([3, 1, 2])), s),
          np.lexsort(np.array([3, 1, 2])))
    exact(run_all(mt.lexsort(np.zeros((2, 3, 4)), axis=0), s),
          np.lexsort(np.zeros((2, 3, 4)), axis=0))


def test_lexsort_errors():
    raises_like(lambda xp: xp.lexsort([]))
    raises_like(lambda xp: xp.lexsort(5))
    raises_like(lambda xp: xp.lexsort([[1, 2], [3]]))
    raises_like(lambda xp: xp.lexsort([np.zeros((2, 3)), np.zeros((3, 2))]))
    raises_like(lambda xp: xp.lexsort([np.zeros((2, 3))] * 2, axis=2))
    raises_like(lambda xp: xp.lexsort([np.zeros((2, 3))] * 2, axis=-3))
    raises_like(lambda xp: xp.lexsort([np.zeros(3)], axis=None),
                message=False)
    raises_like(lambda xp: xp.lexsort([np.zeros(3)], axis=1.5),
                message=False)


# -- choose -------------------------------------------------------------------


def test_choose(session):
    choices = [values((3, 4), "int64"), values((3, 4), "int64") * 10,
               values((3, 4), "int64") * 100]
    for cs in CHUNKS:
        a = rng.integers(0, 3, (3, 4))
        compare(lambda xp, i, c0, c1, c2: xp.choose(i, [c0, c1, c2]),
                a, *choices, session=session, cs=cs)
        out_of_range = rng.integers(-7, 8, (3, 4))
        for mode in ("wrap", "clip"):
            compare(lambda xp, i, c0, c1, c2: xp.choose(i, (c0, c1, c2),
                                                        mode=mode),
                    out_of_range, *choices, session=session, cs=cs)
        # Broadcasting of the index and of the choices.
        row = rng.integers(0, 3, (4,))
        compare(lambda xp, i, c0, c1: xp.choose(i, [c0, c1, 7], mode="wrap"),
                row, values((3, 1), "float64"), values((1, 4), "float64"),
                session=session, cs=cs)
        col = rng.integers(0, 2, (3, 1))
        compare(lambda xp, i, c0: xp.choose(i, [c0, -c0]), col,
                values((4,), "int32"), session=session, cs=cs)
        # Choices as the rows of one array / tensor; a bool index.
        ch = values((2, 5), "float32")
        compare(lambda xp, i, c: xp.choose(i, c), values((5,), "bool"), ch,
                session=session, cs=cs)


def test_choose_dtypes_and_scalars(compiled_session):
    s = compiled_session
    cases = [
        ([0, 1], [np.int32([1, 2]), 5]),
        ([0, 1], [np.int32([1, 2]), 5.5]),
        ([0, 1], [np.int32([1, 2]), np.array([5])]),
        ([0, 1], [[True, False], np.array([5], np.int32)]),
        ([0, 1], [[True, False], [False, False]]),
        (1, [3, 4.5]),
        (0, [[1, 2], [3, 4]]),
        (np.zeros(0, np.int64), [[1.0], [2.0]]),
        ([[0], [1]], [[1, 2, 3], [4, 5, 6]]),
        (np.int32([2, 0]), np.array([[1, 2], [3, 4], [5, 6]])),
        # numpy 1.24's value-based casting of 0-d choices.
        ([0], [np.array([False]), np.array(0, np.int32), np.array(0)]),
        ([0], [np.array([True]), np.float32(1.0), np.int64(1)]),
        ([0, 1], [np.int32([1, 2]), 300, np.array(2**40)]),
        ([0, 1], [np.float32([1, 2]), 2.5, np.array(1e300)]),
        ([0, 1], [np.int32([1, 2]), np.float32(5.5)]),
        ([0, 1], [np.int32([1, 2]), np.int64(5)]),
        (1, [np.int32(5), 5]),
        (1, [np.float32(1), 5.0]),
        (1, [True, np.int32(3)]),
    ]
    for a, choices in cases:
        for mode in ("raise", "wrap", "clip"):
            exact(run_all(mt.choose(a, choices, mode=mode), s),
                  np.choose(a, choices, mode=mode))
    exact(run_all(mt.choose(T([0, 1, 1], 1), T([[1, 2, 3], [4, 5, 6]], 2)),
                  s), np.choose([0, 1, 1], [[1, 2, 3], [4, 5, 6]]))
    # Modes by number (np.CLIP, np.WRAP) and as bytes.
    exact(run_all(mt.choose([0, 5], [[1, 2], [4, 5]], mode=np.CLIP), s),
          np.choose([0, 5], [[1, 2], [4, 5]], mode=np.CLIP))
    exact(run_all(mt.choose([0, 5], [[1, 2], [4, 5]], mode=np.WRAP), s),
          np.choose([0, 5], [[1, 2], [4, 5]], mode=np.WRAP))
    exact(run_all(mt.choose([0, 5], [[1, 2], [4, 5]], mode=b"clip"), s),
          np.choose([0, 5], [[1, 2], [4, 5]], mode=b"clip"))
    # Inexact mode names work with numpy's DeprecationWarning.
    for xp in (np, mt):
        with pytest.warns(DeprecationWarning):
            r = xp.choose([0, 5], [[1, 2], [4, 5]], mode="Wrap")
        exact(np.asarray(r), np.array([1, 5]))


def test_choose_errors():
    raises_like(lambda xp: xp.choose([0, 3], [[1, 2], [4, 5]]))
    raises_like(lambda xp: xp.choose([0, -1], [[1, 2], [4, 5]],
                                     mode="raise"))
    raises_like(lambda xp: xp.choose(T([0, 2], 1) if xp is mt else [0, 2],
                                     [[1, 2], [4, 5]]))
    raises_like(lambda xp: xp.choose([0, 1], [[1, 2], [4, 5]], mode="foo"))
    raises_like(lambda xp: xp.choose([0, 1], [[1, 2], [4, 5]], mode=""))
    raises_like(lambda xp: xp.choose([0, 1], [[1, 2], [4, 5]], mode=3))
    raises_like(lambda xp: xp.choose([0, 1], [[1, 2], [4, 5]], mode=1.0))
    raises_like(lambda xp: xp.choose([0.0, 1], [[1, 2], [4, 5]]))
    raises_like(lambda xp: xp.choose(T([0.0, 1]) if xp is mt else
                                     np.array([0.0, 1]), [[1, 2], [4, 5]]))
    raises_like(lambda xp: xp.choose([], [[1, 2], [4, 5]]))
    raises_like(lambda xp: xp.choose(0, []))
    raises_like(lambda xp: xp.choose(0, [0] * 33))
    raises_like(lambda xp: xp.choose([0, 1, 0], [[1, 2], [4, 5]]))
    raises_like(lambda xp: xp.choose(0, 5))
    raises_like(lambda xp: xp.choose(0, np.array(5)))
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError):
        mt.choose([0, 5], [[1, 2], [4, 5]], mode="r")
    with pytest.raises(NotImplementedError):
        mt.choose([0, 1], [[1, 2], [4, 5]], out=np.zeros(2))


# -- unravel_index / ravel_multi_index ----------------------------------------

INDEX_SHAPES = [(6,), (2, 3), (4, 1, 5), (1,), (3, 2, 2, 2), (1, 1)]


@pytest.mark.parametrize("dims", INDEX_SHAPES)
@pytest.mark.parametrize("order", ["C", "F"])
def test_unravel_and_ravel(session, dims, order):
    size = int(np.prod(dims))
    for cs in CHUNKS:
        for ishape in [(7,), (2, 3), (0,), ()]:
            flat = rng.integers(0, size, ishape)
            compare(lambda xp, i: xp.unravel_index(i, dims, order=order),
                    flat, session=session, cs=cs)
            coords = np.unravel_index(flat, dims, order=order)
            compare(lambda xp, *c: xp.ravel_multi_index(c, dims,
                                                        order=order),
                    *coords, session=session, cs=cs)
        # Out-of-range coordinates, per dimension modes.
        coords = [rng.integers(-2 * d - 1, 2 * d + 2, (3, 4)) for d in dims]
        for modes in ["wrap", "clip", tuple(itertools.islice(
                itertools.cycle(["clip", "wrap"]), len(dims)))]:
            compare(lambda xp, *c: xp.ravel_multi_index(c, dims, mode=modes,
                                                        order=order),
                    *coords, session=session, cs=cs)


def test_index_functions_known(compiled_session):
    s = compiled_session
    exact_all(run_all(mt.unravel_index(T([1, 5], 1), (2, 3)), s),
              np.unravel_index([1, 5], (2, 3)))
    exact_all(run_all(mt.unravel_index([[1, 2], [3, 4]], 6), s),
              np.unravel_index([[1, 2], [3, 4]], 6))
    exact_all(run_all(mt.unravel_index(5, (2, 3), order="f"), s),
              tuple(np.asarray(v) for v in np.unravel_index(5, (2, 3),
                                                            order="f")))
    exact_all(run_all(mt.unravel_index(True, (2, 3), order=None), s),
              tuple(np.asarray(v) for v in np.unravel_index(True, (2, 3))))
    exact_all(run_all(mt.unravel_index(np.int32([1, 4]), (2, 3)), s),
              np.unravel_index(np.int32([1, 4]), (2, 3)))
    exact_all(run_all(mt.unravel_index(np.zeros(0, int), (0, 3)), s),
              np.unravel_index(np.zeros(0, int), (0, 3)))
    assert mt.unravel_index(0, ()) == () == np.unravel_index(0, ())
    # Coordinates broadcast; bools; a 2-d array of coordinates.
    exact(run_all(mt.ravel_multi_index(([[0], [1]], [1, 2]), (2, 3)), s),
          np.ravel_multi_index(([[0], [1]], [1, 2]), (2, 3)))
    exact(run_all(mt.ravel_multi_index(([True, False], [1, 1]), (2, 3)), s),
          np.ravel_multi_index(([True, False], [1, 1]), (2, 3)))
    exact(run_all(mt.ravel_multi_index(np.array([[0, 1], [2, 1]]), (2, 3)),
                  s), np.ravel_multi_index(np.array([[0, 1], [2, 1]]),
                                           (2, 3)))
    exact(run_all(mt.ravel_multi_index(T([[0, 1], [2, 1]], 1), (2, 3)), s),
          np.ravel_multi_index(np.array([[0, 1], [2, 1]]), (2, 3)))
    exact(run_all(mt.ravel_multi_index((1, 2), (2, 3)), s),
          np.asarray(np.ravel_multi_index((1, 2), (2, 3))))
    exact(run_all(mt.ravel_multi_index((), ()), s),
          np.asarray(np.ravel_multi_index((), ())))
    exact(run_all(mt.ravel_multi_index((np.zeros(0, int),) * 2, (0, 3)), s),
          np.ravel_multi_index((np.zeros(0, int),) * 2, (0, 3)))
    exact(run_all(mt.ravel_multi_index(([0, 5], [2, -4]), (2, 3),
                                       mode=["clip", "wrap"]), s),
          np.ravel_multi_index(([0, 5], [2, -4]), (2, 3),
                               mode=["clip", "wrap"]))
    exact(run_all(mt.ravel_multi_index(([0, 1], [2, 3]), (2, 3),
                                       mode=(0, 1)), s),
          np.ravel_multi_index(([0, 1], [2, 3]), (2, 3), mode=(0, 1)))
    big = (2**31, 2**30)
    exact(run_all(mt.ravel_multi_index(([2**31 - 1], [5]), big), s),
          np.ravel_multi_index(([2**31 - 1], [5]), big))
    exact_all(run_all(mt.unravel_index([2**61 - 3], big), s),
              np.unravel_index([2**61 - 3], big))


def test_index_function_errors():
    def tens(x):
        return lambda xp: T(x, 1) if xp is mt else np.asarray(x)
    raises_like(lambda xp: xp.unravel_index(6, (2, 3)))
    raises_like(lambda xp: xp.unravel_index(-1, (2, 3)))
    raises_like(lambda xp: xp.unravel_index(tens([1, 7, 9])(xp), (2, 3)))
    raises_like(lambda xp: xp.unravel_index(tens([[1], [-2]])(xp), (2, 3)))
    raises_like(lambda xp: xp.unravel_index([], (2, 3)))
    raises_like(lambda xp: xp.unravel_index(1.0, (2, 3)))
    raises_like(lambda xp: xp.unravel_index(tens([1.0])(xp), (2, 3)))
    raises_like(lambda xp: xp.unravel_index(1, (2, 3), order="X"))
    raises_like(lambda xp: xp.unravel_index(1, (2, 3), order="A"))
    raises_like(lambda xp: xp.unravel_index(1, (2, 3), order=1))
    raises_like(lambda xp: xp.unravel_index(1, ()))
    raises_like(lambda xp: xp.unravel_index(0, (0, 3)))
    raises_like(lambda xp: xp.unravel_index(1, (2.0, 3)), message=False)
    raises_like(lambda xp: xp.unravel_index(1, (2**62, 2)))
    raises_like(lambda xp: xp.unravel_index(1, dims=(2, 3)), message=False)
    raises_like(lambda xp: xp.ravel_multi_index(([0, 1], [2, 3]), (2, 3)))
    raises_like(lambda xp: xp.ravel_multi_index(([0, 1], [2, -1]), (2, 3)))
    raises_like(lambda xp: xp.ravel_multi_index(
        (tens([0, 1])(xp), tens([2, 3])(xp)), (2, 3)))
    raises_like(lambda xp: xp.ravel_multi_index(
        (tens([0, 1])(xp), tens([2, 3])(xp)), (2, 3), mode=("wrap",
                                                            "raise")))
    raises_like(lambda xp: xp.ravel_multi_index(([0, 5], [2, -4]), (2, 3),
                                                mode=("clip", "wrap",
                                                      "raise")))
    raises_like(lambda xp: xp.ravel_multi_index(([0, 5], [2, 4]), (2, 3),
                                                mode="foo"))
    raises_like(lambda xp: xp.ravel_multi_index(([0, 1], [2, 1]),
                                                (2, 3, 4)))
    raises_like(lambda xp: xp.ravel_multi_index(([0, 1], [2, 1, 0]),
                                                (2, 3)))
    raises_like(lambda xp: xp.ravel_multi_index(([0.0, 1], [2, 1]), (2, 3)))
    raises_like(lambda xp: xp.ravel_multi_index(([], []), (2, 3)))
    raises_like(lambda xp: xp.ravel_multi_index((0,), (0,)))
    raises_like(lambda xp: xp.ravel_multi_index((0,), (0,), mode="clip"))
    raises_like(lambda xp: xp.ravel_multi_index(([1], [1]), (2**62, 4)))
    raises_like(lambda xp: xp.ravel_multi_index((1, 1), (2, 3), order="X"))
    raises_like(lambda xp: xp.ravel_multi_index(5, (6,)))


# -- topk / argtopk -----------------------------------------------------------


def reference_topk(x, k, axis, largest):
    """The original Mars's topk (values) and argtopk (the stable argsort,
    reversed for largest) by numpy."""
    if axis is None:
        x, axis = x.reshape(-1), 0
    idx = np.argsort(x, axis=axis, kind="stable")
    if largest:
        idx = np.flip(idx, axis)
    idx = np.take(idx, np.arange(min(k, x.shape[axis])), axis=axis)
    return np.take_along_axis(x, idx, axis), idx


@pytest.mark.parametrize("dtype", ["float64", "int64", "int32", "bool",
                                   "float32"])
@pytest.mark.parametrize("shape,axis", [((9,), -1), ((4, 6), 0),
                                        ((4, 6), 1), ((2, 3, 5), 1),
                                        ((3, 4), None), ((0, 3), 0),
                                        ((1,), 0)])
def test_topk(session, dtype, shape, axis):
    x = values(shape, dtype)
    n = x.size if axis is None else x.shape[axis]
    for cs in CHUNKS:
        for k in sorted({0, 1, 3, n, n + 2}):
            for largest in (True, False):
                vals, idx = reference_topk(x, k, axis, largest)
                t = T(x, cs)
                got = run_all(mt.topk(t, k, axis=axis, largest=largest),
                              session)
                exact(got, vals)
                got = run_all(mt.argtopk(t, k, axis=axis, largest=largest,
                                         sorted=False), session)
                exact(got, idx)
                got = run_all(mt.topk(t, k, axis=axis, largest=largest,
                                      return_index=True), session)
                exact_all(got, (vals, idx))


def test_topk_known(compiled_session):
    s = compiled_session
    x = [3, 1, 4, 1, 5, 9, 2, 6]
    exact(run_all(mt.topk(x, 3), s), np.array([9, 6, 5]))
    exact(run_all(mt.topk(x, 3, largest=False), s), np.array([1, 1, 2]))
    exact(run_all(mt.argtopk(x, 3), s), np.array([5, 7, 4]))
    exact(run_all(mt.argtopk(x, 3, largest=False), s), np.array([1, 3, 6]))
    # NaN sorts last: it is the largest.
    y = np.array([1.0, np.nan, 3.0, -np.inf])
    exact(run_all(mt.topk(T(y, 2), 2), s), np.array([np.nan, 3.0]))
    exact(run_all(mt.topk(T(y, 2), 2, largest=False), s),
          np.array([-np.inf, 1.0]))
    with pytest.raises(ValueError):
        mt.topk(x, 2, order="f0")
    with pytest.raises(ValueError):
        mt.topk(x, -1)
    with pytest.raises(TypeError):
        mt.argtopk(x, 1.5)
    with pytest.raises(np.AxisError):
        mt.topk(np.zeros((2, 3)), 1, axis=2)
    with pytest.raises(np.AxisError):
        mt.topk(5, 1)


# -- Hypothesis properties ----------------------------------------------------

SETTINGS = dict(
    deadline=None, derandomize=os.environ.get("SETOPS_RANDOM") is None,
    database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much])


def cfg(n):
    scale = float(os.environ.get("SETOPS_SCALE", "1"))
    return settings(**dict(SETTINGS, max_examples=max(1, int(n * scale))))


_SPECIAL = [0.0, -0.0, 1.0, -1.0, np.nan, np.inf, -np.inf]


def elements(dtype):
    d = np.dtype(dtype)
    if d == np.bool_:
        return st.booleans()
    if d.kind == "i":
        return st.integers(-4, 4)
    return st.one_of(st.sampled_from(_SPECIAL),
                     st.sampled_from([float(i) for i in range(-3, 4)]),
                     st.floats(-8, 8, width=32 if d == np.float32 else 64))


@st.composite
def arrays(draw, dtypes=("bool", "int32", "int64", "float32", "float64"),
           max_dims=3, dtype=None):
    dtype = dtype or draw(st.sampled_from(dtypes))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0,
                                  max_side=6))
    return draw(hnp.arrays(dtype, shape, elements=elements(dtype)))


sessions = st.sampled_from(["compiled", "default"])
chunks = st.sampled_from([1, 2, 3, None])


@cfg(25)
@given(x=arrays(), cs=chunks, s=sessions, flags=st.integers(0, 7),
       equal_nan=st.booleans())
def test_property_unique(x, cs, s, flags, equal_nan):
    kw = dict(return_index=bool(flags & 1), return_inverse=bool(flags & 2),
              return_counts=bool(flags & 4), equal_nan=equal_nan)
    check_unique(x, get_session(s), cs, **kw)


@cfg(20)
@given(data=st.data(), cs=chunks, s=sessions)
def test_property_unique_axis(data, cs, s):
    dtype = data.draw(st.sampled_from(["bool", "int64", "float64"]))
    x = data.draw(arrays(dtype=dtype))
    if x.ndim == 0:
        x = x.reshape(1)
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    # Repeat slices so that there are duplicates to find.
    n = x.shape[axis]
    if n:
        x = np.take(x, data.draw(st.lists(st.integers(0, n - 1),
                                          min_size=1, max_size=8)),
                    axis=axis)
    check_unique(x, get_session(s), cs, axis=axis, return_index=True,
                 return_inverse=True, return_counts=True)


@cfg(25)
@given(a=arrays(max_dims=2), b=arrays(max_dims=2), cs=chunks, s=sessions,
       invert=st.booleans())
def test_property_set_operations(a, b, cs, s, invert):
    session = get_session(s)
    compare(lambda xp, p, q: xp.isin(p, q, invert=invert), a, b,
            session=session, cs=cs)
    for name in ("union1d", "setdiff1d", "setxor1d"):
        compare(lambda xp, p, q: getattr(xp, name)(p, q), a, b,
                session=session, cs=cs)
    compare(lambda xp, p, q: xp.intersect1d(p, q, return_indices=True), a, b,
            session=session, cs=cs)


@cfg(25)
@given(data=st.data(), cs=chunks, s=sessions)
def test_property_lexsort(data, cs, s):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0,
                                       max_side=6))
    nkeys = data.draw(st.integers(1, 3))
    keys = [data.draw(hnp.arrays(d, shape, elements=elements(d))) for d in
            data.draw(st.lists(st.sampled_from(["bool", "int32", "float64"]),
                               min_size=nkeys, max_size=nkeys))]
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    exact(run_all(mt.lexsort([T(k, cs) for k in keys], axis=axis),
                  get_session(s)), np.lexsort(keys, axis=axis))


@cfg(25)
@given(data=st.data(), cs=chunks, s=sessions,
       order=st.sampled_from(["C", "F"]))
def test_property_ravel_unravel(data, cs, s, order):
    dims = data.draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1,
                                      max_side=5))
    size = int(np.prod(dims))
    flat = data.draw(hnp.arrays(np.int64, hnp.array_shapes(
        min_dims=0, max_dims=2, min_side=0, max_side=5),
        elements=st.integers(-size, 2 * size)))
    session = get_session(s)
    modes = data.draw(st.one_of(
        st.sampled_from(["raise", "wrap", "clip"]),
        st.lists(st.sampled_from(["raise", "wrap", "clip"]),
                 min_size=len(dims), max_size=len(dims)).map(tuple)))
    if ((flat < 0) | (flat >= size)).any():
        raises_like(lambda xp: xp.unravel_index(
            T(flat, cs) if xp is mt else flat, dims, order=order))
        flat = np.clip(flat, 0, size - 1)
    coords = compare(lambda xp, i: xp.unravel_index(i, dims, order=order),
                     flat, session=session, cs=cs)
    back = run_all(mt.ravel_multi_index(tuple(T(c, cs) for c in coords),
                                        dims, order=order), session)
    exact(back, flat)
    shifted = [c + data.draw(st.integers(-2, 2)) * d
               for c, d in zip(coords, dims)]
    try:
        expected = np.ravel_multi_index(shifted, dims, mode=modes,
                                        order=order)
    except ValueError:
        raises_like(lambda xp: xp.ravel_multi_index(
            [T(c, cs) if xp is mt else c for c in shifted], dims, mode=modes,
            order=order))
    else:
        exact(run_all(mt.ravel_multi_index([T(c, cs) for c in shifted],
                                           dims, mode=modes, order=order),
                      session), expected)


@cfg(25)
@given(data=st.data(), cs=chunks, s=sessions,
       mode=st.sampled_from(["raise", "wrap", "clip"]))
def test_property_choose(data, cs, s, mode):
    n = data.draw(st.integers(1, 4))
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1,
                                       max_side=4))
    dtypes = data.draw(st.lists(st.sampled_from(["bool", "int32", "int64",
                                                 "float64"]),
                                min_size=n, max_size=n))
    choices = [data.draw(hnp.arrays(d, hnp.broadcastable_shapes(shape),
                                    elements=elements(d))) for d in dtypes]
    a = data.draw(hnp.arrays(np.int64, hnp.broadcastable_shapes(shape),
                             elements=st.integers(-2, n + 1)))
    try:
        expected = np.choose(a, choices, mode=mode)
    except ValueError:
        raises_like(lambda xp: xp.choose(
            T(a, cs) if xp is mt else a, choices, mode=mode))
        return
    got = run_all(mt.choose(T(a, cs), [T(c, cs) for c in choices],
                            mode=mode), get_session(s))
    exact(got, expected)


@cfg(25)
@given(x=arrays(dtypes=("int32", "int64", "float64", "bool")), cs=chunks,
       s=sessions, k=st.integers(0, 8), largest=st.booleans(),
       data=st.data())
def test_property_topk(x, cs, s, k, largest, data):
    axis = None if x.ndim == 0 else data.draw(st.one_of(
        st.none(), st.integers(-x.ndim, x.ndim - 1)))
    vals, idx = reference_topk(x, k, axis, largest)
    session = get_session(s)
    exact(run_all(mt.topk(T(x, cs), k, axis=axis, largest=largest),
                  session), vals)
    exact(run_all(mt.argtopk(T(x, cs), k, axis=axis, largest=largest),
                  session), idx)
