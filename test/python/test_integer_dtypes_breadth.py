"""Differential tests (numpy 1.24 is the reference) of numpy's narrow and
unsigned integer dtypes int8, int16, uint8, uint16, uint32 and uint64 across
the breadth of the mars.tensor API.

test_integer_dtypes.py covers elementwise ufuncs, promotion, basic
reductions, astype, randint, 1-d sort and matmul; this file covers the rest:

* creation with ``dtype=`` (zeros, ones, full, empty, arange, linspace, eye,
  identity, the ``*_like`` functions, tensor/array/asarray of lists),
* indexing (basic, integer-array indexes of narrow and unsigned dtypes,
  boolean masks, take) and assignment (``t[key] = value``, fill, put,
  place, putmask, fill_diagonal),
* where/clip/maximum with Python scalars (value-based promotion),
* joining and reshaping (concatenate, stack, reshape, transpose, flip,
  roll, repeat, tile, pad, split, tril/triu/diag/trace, insert/delete),
* set operations and searching (unique, isin, intersect1d, searchsorted,
  argsort, partition),
* cumulative sums and products, diff, the nan-reductions,
* statistics (mean/var/std with options, median, percentile, quantile,
  average, cov), bincount, histogram, digitize, count_nonzero/any/all,
* dot/tensordot/einsum/inner/outer/vdot (numpy wraps at the dtype's width),
* uint64 values above 2**63 through tolist()/item()/int(), comparisons of
  uint64 tensors with Python ints, and operations between tensors of
  different integer dtypes (uint8 + int8 is int16, uint64 + int64 float64).

Data holds each dtype's extremes (min, min+1, max-1, max) and every test
runs on both local sessions with chunkings that leave ragged last chunks
(chunk_size 3 and 7 on length-20 data). When numpy raises, Mars must raise
the same exception type (when the call is made or when it is executed).
"""

import operator
import warnings

import numpy as np
import pytest

import mars.tensor as mt

from helpers import assert_same, run

NEW = ["int8", "int16", "uint8", "uint16", "uint32", "uint64"]
UNSIGNED = ["uint8", "uint16", "uint32", "uint64"]
SIGNED = ["int8", "int16"]
CS = (3, 7, None)


# -- data and comparison helpers ----------------------------------------------

def edge(dtype, n=20, seed=0):
    """n values over the dtype's whole range with 0, 1, 2, 7, the extremes
    and (signed) -1 up front."""
    info = np.iinfo(dtype)
    rng = np.random.default_rng(seed)
    v = rng.integers(info.min, info.max, size=n, dtype=dtype, endpoint=True)
    head = [0, 1, int(info.max), int(info.min), 7, int(info.max) - 1, 2]
    if info.min < 0:
        head += [-1, int(info.min) + 1]
    head = head[:n]
    v[:len(head)] = np.array(head, dtype=object).astype(dtype)
    return v


def dups(dtype, n=20, seed=0):
    """n values with many repeats drawn from the extremes and small
    numbers."""
    info = np.iinfo(dtype)
    pool = [int(info.min), int(info.min) + 1, 0, 1, 5, int(info.max) - 1,
            int(info.max)]
    if info.min < 0:
        pool.append(-3)
    rng = np.random.default_rng(seed)
    return np.array([pool[i] for i in rng.integers(0, len(pool), n)],
                    dtype=object).astype(dtype)


def small(dtype, n=20, seed=0, hi=9):
    """Small values (no overflow in sums/products of a few of them)."""
    rng = np.random.default_rng(seed)
    lo = 0 if np.dtype(dtype).kind == "u" else -hi
    return rng.integers(lo, hi + 1, n).astype(dtype)


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def evaluate(x, session):
    """Executes Mars results (tensors, or tuples/lists of them)."""
    if isinstance(x, mt.Tensor):
        return run(x, session)
    if isinstance(x, (tuple, list)):
        return type(x)(evaluate(y, session) for y in x)
    return x


def same(actual, expected, rtol=None, atol=0.0):
    if isinstance(expected, (tuple, list)):
        assert isinstance(actual, (tuple, list)), type(actual)
        assert len(actual) == len(expected), (len(actual), len(expected))
        for a, e in zip(actual, expected):
            same(a, e, rtol, atol)
        return
    assert_same(np.asarray(actual), np.asarray(expected), rtol=rtol,
                atol=atol)


def compare(fn, *arrays, session, cs=None, rtol=None, atol=0.0):
    """fn(xp, *arrays) with numpy on numpy arrays and with mars.tensor on
    tensors of them (chunk_size cs): same result, or the same exception
    type when numpy raises."""
    arrays = [np.asarray(a) for a in arrays]
    try:
        expected = quiet(fn, np, *arrays)
    except Exception as e:  # numpy raises: Mars must raise the same type
        with pytest.raises(type(e)):
            tensors = [mt.tensor(a, chunk_size=cs) for a in arrays]
            evaluate(fn(mt, *tensors), session)
        return None
    tensors = [mt.tensor(a, chunk_size=cs) for a in arrays]
    actual = evaluate(fn(mt, *tensors), session)
    same(actual, expected, rtol, atol)
    return actual


def compare_calls(np_call, mt_call, session, rtol=None):
    """np_call() against mt_call() (for creation functions, whose Mars
    forms take a chunk_size)."""
    try:
        expected = quiet(np_call)
    except Exception as e:
        with pytest.raises(type(e)):
            evaluate(mt_call(), session)
        return
    same(evaluate(mt_call(), session), expected, rtol)


def maxv(dtype):
    return int(np.iinfo(dtype).max)


def minv(dtype):
    return int(np.iinfo(dtype).min)


dtypes = pytest.mark.parametrize("dtype", NEW)


# -- creation ------------------------------------------------------------------

@dtypes
def test_zeros_ones_full_empty_with_dtype(dtype, session):
    for cs in CS:
        for shape in (20, (4, 5)):
            compare_calls(lambda: np.zeros(shape, dtype),
                          lambda: mt.zeros(shape, dtype, chunk_size=cs),
                          session)
            compare_calls(lambda: np.ones(shape, dtype=dtype),
                          lambda: mt.ones(shape, dtype=dtype, chunk_size=cs),
                          session)
            for v in (maxv(dtype), minv(dtype), maxv(dtype) - 1):
                compare_calls(lambda: np.full(shape, v, dtype=dtype),
                              lambda: mt.full(shape, v, dtype=dtype,
                                              chunk_size=cs), session)
        e = mt.empty((4, 5), dtype=dtype, chunk_size=cs)
        assert e.dtype == np.dtype(dtype) and e.shape == (4, 5)
        assert run(e, session).dtype == np.dtype(dtype)


@dtypes
def test_full_infers_dtype_from_numpy_scalar(dtype, session):
    st = np.dtype(dtype).type
    for v in (st(maxv(dtype)), st(minv(dtype))):
        compare_calls(lambda: np.full((2, 3), v),
                      lambda: mt.full((2, 3), v, chunk_size=2), session)


ARANGE_CASES = {
    "stop": lambda hi, lo: (20,),
    "step3": lambda hi, lo: (0, 20, 3),
    "negative-step": lambda hi, lo: (10, 0, -3),
    "up-to-max": lambda hi, lo: (hi - 9, hi + 1),
    "from-min": lambda hi, lo: (lo, lo + 10),
    "near-max-step2": lambda hi, lo: (hi - 19, hi, 2),
    # numpy casts the first two float values to the dtype: step 1 here.
    "float-step": lambda hi, lo: (0, 20, 1.5),
}


@dtypes
@pytest.mark.parametrize("case", sorted(ARANGE_CASES))
def test_arange_with_dtype(dtype, case, session):
    args = ARANGE_CASES[case](maxv(dtype), minv(dtype))
    for cs in (3, 7, None):
        compare_calls(lambda: np.arange(*args, dtype=dtype),
                      lambda: mt.arange(*args, dtype=dtype, chunk_size=cs),
                      session)


@pytest.mark.parametrize("args", [(2 ** 63, 2 ** 63 + 5),
                                  (2 ** 64 - 5, 2 ** 64 - 1)])
def test_arange_of_python_ints_above_int64(args, session):
    # numpy 1.24 gives float64 here (no dtype given).
    compare_calls(lambda: np.arange(*args), lambda: mt.arange(*args),
                  session)


@dtypes
def test_linspace_with_dtype(dtype, session):
    if np.dtype(dtype).kind == "u":
        ranges = [(0, min(maxv(dtype), 255)), (maxv(dtype) // 2, 3)]
        if dtype == "uint64":
            ranges.append((0, 1e19))
    else:
        ranges = [(-100, 100), (minv(dtype), maxv(dtype)), (5, -7)]
    for cs in CS:
        for start, stop in ranges:
            for num, endpoint in ((7, True), (20, True), (20, False)):
                compare_calls(
                    lambda: np.linspace(start, stop, num, endpoint=endpoint,
                                        dtype=dtype),
                    lambda: mt.linspace(start, stop, num, endpoint=endpoint,
                                        dtype=dtype, chunk_size=cs), session)


@dtypes
def test_eye_and_identity_with_dtype(dtype, session):
    for cs in (3, None):
        for args, kw in (((5,), {}), ((4, 6), {"k": 2}), ((6, 4), {"k": -1}),
                         ((7,), {"k": 7})):
            compare_calls(lambda: np.eye(*args, dtype=dtype, **kw),
                          lambda: mt.eye(*args, dtype=dtype, chunk_size=cs,
                                         **kw), session)
        compare_calls(lambda: np.identity(5, dtype=dtype),
                      lambda: mt.identity(5, dtype=dtype, chunk_size=cs),
                      session)


@dtypes
def test_like_functions_keep_and_override_dtype(dtype, session):
    a = edge(dtype).reshape(4, 5)
    f = np.linspace(0.1, 9.9, 20).reshape(4, 5)
    for cs in (3, None):
        compare(lambda xp, x: xp.zeros_like(x), a, session=session, cs=cs)
        compare(lambda xp, x: xp.ones_like(x), a, session=session, cs=cs)
        compare(lambda xp, x: xp.full_like(x, maxv(dtype)), a,
                session=session, cs=cs)
        compare(lambda xp, x: xp.full_like(x, minv(dtype)), a,
                session=session, cs=cs)
        # A float fill value is truncated into the integer dtype.
        compare(lambda xp, x: xp.full_like(x, 3.7), a, session=session, cs=cs)
        # dtype= overrides the argument's.
        compare(lambda xp, x: xp.full_like(x, 7, dtype=dtype), f,
                session=session, cs=cs)
        compare(lambda xp, x: xp.zeros_like(x, dtype=dtype), f,
                session=session, cs=cs)
        compare(lambda xp, x: xp.ones_like(x, dtype="float32"), a,
                session=session, cs=cs)
        e = mt.empty_like(mt.tensor(a, chunk_size=cs))
        assert e.dtype == np.dtype(dtype) and e.shape == (4, 5)
        e = mt.empty_like(mt.tensor(f, chunk_size=cs), dtype=dtype)
        assert e.dtype == np.dtype(dtype)


@pytest.mark.parametrize("dtype", UNSIGNED)
def test_full_like_negative_fill_wraps_like_numpy(dtype, session):
    # numpy's full_like copies with casting="unsafe": -1 becomes the max.
    a = np.arange(6, dtype=dtype)
    compare(lambda xp, x: xp.full_like(x, -1), a, session=session, cs=4)


@dtypes
def test_tensor_and_array_from_lists_with_dtype(dtype, session):
    hi, lo = maxv(dtype), minv(dtype)
    data = [lo, lo + 1, 0, 1, hi - 1, hi]
    nested = [[lo, 0, hi], [1, 2, hi - 1]]
    for cs in (2, None):
        for fn in (mt.tensor, mt.array, mt.asarray):
            got = fn(data, dtype=dtype) if fn is mt.asarray else \
                fn(data, dtype=dtype, chunk_size=cs)
            assert_same(run(got, session), np.array(data, dtype=dtype))
        assert_same(run(mt.tensor(nested, dtype=dtype, chunk_size=cs),
                        session), np.array(nested, dtype=dtype))
        assert_same(run(mt.array(nested, dtype=dtype), session),
                    np.array(nested, dtype=dtype))
        # Floats truncate toward zero.
        fl = [1.9, 2.5, 7.99, 0.2]
        assert_same(run(mt.tensor(fl, dtype=dtype, chunk_size=cs), session),
                    np.array(fl, dtype=dtype))
        # A numpy array of the dtype keeps it; dtype= casts (unsafely).
        x = edge(dtype)
        assert_same(run(mt.tensor(x, chunk_size=cs), session), x)
        y = edge("int16")
        assert_same(run(mt.array(y, dtype=dtype), session),
                    np.array(y, dtype=dtype))
        assert_same(run(mt.tensor(y, dtype=dtype, chunk_size=cs), session),
                    np.array(y, dtype=dtype))


def test_tensor_of_python_ints_above_int64(session):
    # numpy: uint64 when every number fits it and some exceeds int64's
    # range alone; float64 when small numbers are mixed in (numpy 1.24).
    for data in ([2 ** 64 - 1, 2 ** 63], [2 ** 63 + 7], [[2 ** 63 + 7], [1]],
                 [2 ** 64 - 1, 2 ** 63, 0, 5]):
        expected = np.array(data)
        t = mt.tensor(data)
        assert t.dtype == expected.dtype, (data, t.dtype, expected.dtype)
        assert_same(run(t, session), expected)
        assert_same(run(mt.array(data), session), expected)


# -- indexing --------------------------------------------------------------------

BASIC_KEYS = [3, -1, -20, slice(2, 17, 3), slice(None, None, -1),
              slice(None, None, -3), slice(5, 5), slice(-7, None),
              (None, slice(4, 11)), Ellipsis, slice(19, 0, -2)]


@dtypes
def test_basic_indexing_1d(dtype, session):
    a = edge(dtype)
    for cs in CS:
        for key in BASIC_KEYS:
            compare(lambda xp, x: x[key], a, session=session, cs=cs)


@dtypes
def test_basic_indexing_2d(dtype, session):
    a = edge(dtype).reshape(4, 5)
    keys = [(1, 2), (-1, slice(None)), (slice(None), 3), (slice(1, None),
            slice(None, None, 2)), (slice(None, None, -1), slice(4, 0, -2)),
            (Ellipsis, -1), (2, None, slice(1, 4)), 3]
    for cs in (3, (3, 2), None):
        for key in keys:
            compare(lambda xp, x: x[key], a, session=session, cs=cs)


INDEX_DTYPES = ["uint8", "int16", "int8", "uint16", "uint32", "uint64"]


@dtypes
@pytest.mark.parametrize("idx_dtype", INDEX_DTYPES)
def test_integer_array_index_of_narrow_dtype(dtype, idx_dtype, session):
    a = edge(dtype)
    a2 = edge(dtype).reshape(4, 5)
    if np.dtype(idx_dtype).kind == "u":
        idx = np.array([0, 19, 5, 5, 3, 12], dtype=idx_dtype)
        r, c = (np.array([3, 0, 2], dtype=idx_dtype),
                np.array([4, 4, 0], dtype=idx_dtype))
    else:
        idx = np.array([-1, -20, 0, 7, 7, 19], dtype=idx_dtype)
        r, c = (np.array([-1, 0, 2], dtype=idx_dtype),
                np.array([-5, 4, -1], dtype=idx_dtype))
    for cs in (3, 7):
        # numpy index arrays.
        compare(lambda xp, x: x[idx], a, session=session, cs=cs)
        compare(lambda xp, x: x[idx.reshape(2, 3)], a, session=session, cs=cs)
        compare(lambda xp, x: x[r, :], a2, session=session, cs=cs)
        compare(lambda xp, x: x[:, c], a2, session=session, cs=cs)
        compare(lambda xp, x: x[r, c], a2, session=session, cs=cs)
        compare(lambda xp, x: x[r[:, None], c], a2, session=session, cs=cs)


@dtypes
@pytest.mark.parametrize("idx_dtype", INDEX_DTYPES)
def test_integer_tensor_index_of_narrow_dtype(dtype, idx_dtype, session):
    # Index tensors of the index dtype (numpy: the same numpy arrays).
    a = edge(dtype)
    a2 = edge(dtype).reshape(4, 5)
    if np.dtype(idx_dtype).kind == "u":
        idx = np.array([0, 19, 5, 5, 3, 12], dtype=idx_dtype)
        r, c = (np.array([3, 0, 2], dtype=idx_dtype),
                np.array([4, 4, 0], dtype=idx_dtype))
    else:
        idx = np.array([-1, -20, 0, 7, 7, 19], dtype=idx_dtype)
        r, c = (np.array([-1, 0, 2], dtype=idx_dtype),
                np.array([-5, 4, -1], dtype=idx_dtype))
    for cs in (3, 7):
        compare(lambda xp, x, i, j: x[i, j], a2, r, c, session=session, cs=cs)
        compare(lambda xp, x, i: x[1:, i], a2, c, session=session, cs=cs)
        compare(lambda xp, x, i: x[i, 2:], a2, r, session=session, cs=cs)
        compare(lambda xp, x, i: x[i], a, idx, session=session, cs=cs)


@dtypes
@pytest.mark.parametrize("idx_dtype", ["uint8", "int16"])
def test_out_of_range_index_arrays_raise(dtype, idx_dtype, session):
    a = edge(dtype)
    bad = [20] if idx_dtype == "uint8" else [-21]
    idx = np.array(bad, dtype=idx_dtype)
    compare(lambda xp, x: x[idx], a, session=session, cs=7)
    compare(lambda xp, x, i: x[i], a, idx, session=session, cs=7)


@dtypes
def test_numpy_integer_scalars_as_indexes(dtype, session):
    a = edge(dtype)
    a2 = a.reshape(4, 5)
    for key in (np.uint8(3), np.int16(-2), np.uint64(19), np.int8(-20),
                np.uint16(0)):
        compare(lambda xp, x: x[key], a, session=session, cs=7)
    compare(lambda xp, x: x[np.uint8(3), np.int8(-1)], a2, session=session,
            cs=3)


@dtypes
def test_boolean_masks(dtype, session):
    a = edge(dtype)
    a2 = a.reshape(4, 5)
    m = np.arange(20) % 3 == 1
    for cs in CS:
        compare(lambda xp, x: x[x > 5], a, session=session, cs=cs)
        compare(lambda xp, x: x[(x == maxv(dtype)) | (x == minv(dtype))], a,
                session=session, cs=cs)
        compare(lambda xp, x: x[m], a, session=session, cs=cs)
        compare(lambda xp, x, k: x[k], a, m, session=session, cs=cs)
        compare(lambda xp, x: x[x % 2 == 0], a2, session=session, cs=cs)
        compare(lambda xp, x: x[np.array([True, False, True, True])], a2,
                session=session, cs=cs)
        compare(lambda xp, x: x[:, np.array([1, 0, 0, 1, 1], bool)], a2,
                session=session, cs=cs)
        compare(lambda xp, x: x[np.zeros(20, bool)], a, session=session,
                cs=cs)


@dtypes
def test_take_compress_and_take_along_axis(dtype, session):
    a = edge(dtype)
    a2 = dups(dtype).reshape(4, 5)
    i16 = np.array([19, 0, -1, 4], dtype="int16")
    u8 = np.array([2, 2, 0, 4], dtype="uint8")
    for cs in (3, 7):
        compare(lambda xp, x: xp.take(x, i16), a, session=session, cs=cs)
        compare(lambda xp, x: xp.take(x, u8, axis=1), a2, session=session,
                cs=cs)
        compare(lambda xp, x: x.take(u8.reshape(2, 2)), a, session=session,
                cs=cs)
        # numpy's take refuses uint64 indexes (TypeError, no safe cast).
        compare(lambda xp, x: xp.take(x, np.array([1, 3], "uint64")), a,
                session=session, cs=cs)
        compare(lambda xp, x: xp.take(x, [25, -30], mode="clip"), a,
                session=session, cs=cs)
        compare(lambda xp, x: xp.take(x, [25, -30], mode="wrap"), a,
                session=session, cs=cs)
        compare(lambda xp, x: xp.compress(np.arange(20) % 4 == 0, x), a,
                session=session, cs=cs)
        compare(lambda xp, x: xp.take_along_axis(
            x, xp.argsort(x, axis=1, kind="stable"), axis=1), a2,
            session=session, cs=cs)


# -- assignment --------------------------------------------------------------------

def assign(a, key, value, session, cs, mt_key=None, mt_value=None):
    """t[key] = value against the same on a numpy copy."""
    expected = a.copy()
    quiet(expected.__setitem__, key, value)
    t = mt.tensor(a, chunk_size=cs)
    t[key if mt_key is None else mt_key] = (value if mt_value is None
                                            else mt_value)
    assert_same(run(t, session), expected)


@dtypes
def test_setitem_scalars_slices_and_index_arrays(dtype, session):
    a = edge(dtype)
    hi, lo = maxv(dtype), minv(dtype)
    u8 = np.array([19, 0, 4, 11], dtype="uint8")
    i16 = np.array([-1, -20, 6], dtype="int16")
    for cs in CS:
        assign(a, 3, hi, session, cs)
        assign(a, -1, lo, session, cs)
        assign(a, slice(2, 17, 3), hi - 1, session, cs)
        assign(a, slice(None, None, -4), lo, session, cs)
        assign(a, u8, hi, session, cs)
        assign(a, i16, lo, session, cs)
        assign(a, u8, np.array([hi, lo, 0, 1], dtype=dtype), session, cs)
        # Index and value given as tensors.
        vals = np.array([lo, hi, 9], dtype=dtype)
        assign(a, i16, vals, session, cs, mt_key=mt.tensor(i16, chunk_size=2),
               mt_value=mt.tensor(vals, chunk_size=2))
        # Python ints and numpy scalars at the extremes.
        assign(a, 0, np.dtype(dtype).type(hi), session, cs)
        assign(a, 5, int(lo), session, cs)


@dtypes
def test_setitem_boolean_masks(dtype, session):
    a = edge(dtype)
    m = (np.arange(20) % 3 == 0)
    for cs in CS:
        assign(a, m, maxv(dtype), session, cs)
        assign(a, m, np.arange(m.sum()).astype(dtype), session, cs)
        assign(a, m, maxv(dtype), session, cs, mt_key=mt.tensor(m))
        t = mt.tensor(a, chunk_size=cs)
        t[t > 100] = 100
        e = a.copy()
        e[e > 100] = 100
        assert_same(run(t, session), e)
        t = mt.tensor(a, chunk_size=cs)
        t[t == maxv(dtype)] = minv(dtype)
        e = a.copy()
        e[e == maxv(dtype)] = minv(dtype)
        assert_same(run(t, session), e)


@dtypes
def test_setitem_values_of_other_dtypes_cast_unsafely(dtype, session):
    a = edge(dtype).reshape(4, 5)
    i8 = np.array([-1, -128, 127, 5, 0], dtype="int8")
    u16 = np.array([65535, 256, 255, 300, 7], dtype="uint16")
    i64 = np.array([2 ** 40 + 3, -1, 70000, 1, 2], dtype="int64")
    for cs in (3, None):
        assign(a, (1, slice(None)), i8, session, cs)
        assign(a, (slice(None), 2), u16[:4], session, cs)
        assign(a, 2, i64, session, cs)
        assign(a, (slice(None), 0), np.array([1.9, 2.5, 0.1, 120.9]),
               session, cs)
        # A row broadcast into an integer-array selection.
        assign(a, np.array([3, 0], "uint8"), i8, session, cs)
        # Tensor values of another dtype.
        assign(a, 0, i8, session, cs, mt_value=mt.tensor(i8, chunk_size=2))


def test_setitem_uint64_above_int64(session):
    a = np.array([0, 1, 2, 3, 4, 5], dtype="uint64")
    for cs in (4, None):
        assign(a, 1, 2 ** 64 - 1, session, cs)
        assign(a, slice(2, 5), 2 ** 63 + 5, session, cs)
        assign(a, [0, 5], [2 ** 63, 2 ** 64 - 2], session, cs)


def test_setitem_uint64_list_mixing_large_and_small_ints(session):
    # numpy converts the list straight to uint64 (exact); the list alone
    # would be float64.
    a = np.array([0, 1, 2, 3, 4, 5], dtype="uint64")
    for cs in (4, None):
        assign(a, [0, 5], [2 ** 64 - 1, 0], session, cs)
        assign(a, slice(0, 3), [2 ** 64 - 1, 2 ** 63 + 1, 7], session, cs)


@dtypes
def test_fill(dtype, session):
    a = edge(dtype)
    for cs in (3, 7):
        for v in (maxv(dtype), minv(dtype)):
            t = mt.tensor(a, chunk_size=cs)
            t.fill(v)
            assert_same(run(t, session), np.full(20, v, dtype))


@dtypes
@pytest.mark.parametrize("values", ["extremes", "small"])
def test_put(dtype, values, session):
    a = edge(dtype)
    vals = ([maxv(dtype), minv(dtype), 3] if values == "extremes"
            else [1, 2, 3])
    idx = np.array([0, 19, 7], "uint8")
    for cs in (3, 7):
        e = a.copy()
        e.put(idx, vals)
        t = mt.tensor(a, chunk_size=cs)
        mt.put(t, idx, vals)
        assert_same(run(t, session), e)


@dtypes
@pytest.mark.parametrize("values", ["extremes", "small"])
def test_place(dtype, values, session):
    a = edge(dtype)
    vals = [maxv(dtype), minv(dtype)] if values == "extremes" else [4, 2]
    for cs in (3, 7):
        e = a.copy()
        np.place(e, e > 5, vals)
        t = mt.tensor(a, chunk_size=cs)
        mt.place(t, t > 5, vals)
        assert_same(run(t, session), e)


@dtypes
def test_putmask_and_fill_diagonal(dtype, session):
    a = edge(dtype)
    for cs in (3, 7):
        e = a.copy()
        np.putmask(e, e % 2 == 1, minv(dtype))
        t = mt.tensor(a, chunk_size=cs)
        mt.putmask(t, t % 2 == 1, minv(dtype))
        assert_same(run(t, session), e)

        e = a.copy()
        np.putmask(e, e > 3, np.array([maxv(dtype), 1], dtype))
        t = mt.tensor(a, chunk_size=cs)
        mt.putmask(t, t > 3, np.array([maxv(dtype), 1], dtype))
        assert_same(run(t, session), e)

        e = a.reshape(4, 5).copy()
        np.fill_diagonal(e, maxv(dtype))
        t = mt.tensor(a.reshape(4, 5), chunk_size=cs)
        mt.fill_diagonal(t, maxv(dtype))
        assert_same(run(t, session), e)


# -- where / clip / maximum with scalars --------------------------------------------

SCALARS = [0, 1, -1, 100, 200, 300, 70000, 2 ** 40, 2 ** 63, 1.5, -2.5]


@dtypes
def test_where_with_python_scalars(dtype, session):
    a = edge(dtype)
    for v in SCALARS:
        for cs in (3, None):
            compare(lambda xp, x: xp.where(x > 5, x, v), a, session=session,
                    cs=cs)
            compare(lambda xp, x: xp.where(x > 5, v, x), a, session=session,
                    cs=cs)
    compare(lambda xp, x: xp.where(x > 5, maxv(dtype), minv(dtype)), a,
            session=session, cs=7)


@dtypes
def test_clip_with_scalars_and_arrays(dtype, session):
    a = edge(dtype)
    hi, lo = maxv(dtype), minv(dtype)
    bounds = [(0, 100), (3, 7), (lo, hi), (lo + 1, hi - 1), (-5, 100),
              (1, 300), (None, 10), (10, None), (0.5, 99.5), (2, 2 ** 63)]
    for cs in (3, 7):
        for low, high in bounds:
            compare(lambda xp, x: xp.clip(x, low, high), a, session=session,
                    cs=cs)
        compare(lambda xp, x: x.clip(min=2), a, session=session, cs=cs)
        compare(lambda xp, x: x.clip(max=hi - 1), a, session=session, cs=cs)
        lo_arr = edge(dtype, seed=4)
        hi_arr = np.maximum(lo_arr, edge(dtype, seed=5))
        compare(lambda xp, x, l, h: xp.clip(x, l, h), a, lo_arr, hi_arr,
                session=session, cs=cs)


@dtypes
def test_maximum_minimum_with_scalars(dtype, session):
    a = edge(dtype)
    for v in SCALARS:
        for name in ("maximum", "minimum", "fmax", "fmin"):
            compare(lambda xp, x: getattr(xp, name)(x, v), a,
                    session=session, cs=7)
            compare(lambda xp, x: getattr(xp, name)(v, x), a,
                    session=session, cs=3)


# -- joining and reshaping ----------------------------------------------------------

@dtypes
def test_concatenate_stack_append(dtype, session):
    a = edge(dtype)
    b = edge(dtype, seed=3)
    for cs in CS:
        compare(lambda xp, x, y: xp.concatenate([x, y]), a, b,
                session=session, cs=cs)
        compare(lambda xp, x, y: xp.concatenate([x.reshape(4, 5),
                                                 y.reshape(4, 5)], axis=1),
                a, b, session=session, cs=cs)
        compare(lambda xp, x, y: xp.concatenate([x, y], axis=None), a, b,
                session=session, cs=cs)
        compare(lambda xp, x, y: xp.stack([x, y]), a, b, session=session,
                cs=cs)
        compare(lambda xp, x, y: xp.stack([x, y], axis=1), a, b,
                session=session, cs=cs)
        compare(lambda xp, x, y: xp.vstack([x, y]), a, b, session=session,
                cs=cs)
        compare(lambda xp, x, y: xp.hstack([x, y]), a, b, session=session,
                cs=cs)
        compare(lambda xp, x, y: xp.column_stack([x, y]), a, b,
                session=session, cs=cs)
        compare(lambda xp, x, y: xp.dstack([x, y]), a, b, session=session,
                cs=cs)
        compare(lambda xp, x, y: xp.append(x, y), a, b, session=session,
                cs=cs)
        # A list of Python ints appended is an int64 array: int64 result.
        compare(lambda xp, x: xp.append(x, [1, 2]), a, session=session,
                cs=cs)


@dtypes
def test_reshape_transpose_flip(dtype, session):
    a = edge(dtype)
    for cs in CS:
        for fn in (lambda xp, x: x.reshape(4, 5),
                   lambda xp, x: xp.reshape(x, (2, -1, 5)),
                   lambda xp, x: x.reshape(4, 5).T,
                   lambda xp, x: xp.transpose(x.reshape(2, 2, 5), (2, 0, 1)),
                   lambda xp, x: xp.swapaxes(x.reshape(4, 5), 0, 1),
                   lambda xp, x: xp.moveaxis(x.reshape(2, 2, 5), 0, -1),
                   lambda xp, x: xp.flip(x),
                   lambda xp, x: xp.flip(x.reshape(4, 5), axis=1),
                   lambda xp, x: xp.flipud(x.reshape(4, 5)),
                   lambda xp, x: xp.fliplr(x.reshape(4, 5)),
                   lambda xp, x: xp.ravel(x.reshape(4, 5).T),
                   lambda xp, x: xp.expand_dims(x, 1),
                   lambda xp, x: xp.squeeze(x.reshape(1, 20, 1)),
                   lambda xp, x: xp.broadcast_to(x[:5], (3, 5)),
                   lambda xp, x: xp.atleast_2d(x)):
            compare(fn, a, session=session, cs=cs)


@dtypes
def test_rot90(dtype, session):
    a = edge(dtype).reshape(4, 5)
    for cs in (3, None):
        for k in (1, 2, -1):
            compare(lambda xp, x: xp.rot90(x, k), a, session=session, cs=cs)


@dtypes
def test_roll_repeat_tile(dtype, session):
    a = edge(dtype)
    for cs in CS:
        for fn in (lambda xp, x: xp.roll(x, 3),
                   lambda xp, x: xp.roll(x, -23),
                   lambda xp, x: xp.roll(x.reshape(4, 5), 2, axis=1),
                   lambda xp, x: xp.roll(x.reshape(4, 5), (1, -1), (0, 1)),
                   lambda xp, x: xp.repeat(x, 2),
                   lambda xp, x: xp.repeat(x.reshape(4, 5), [1, 0, 2, 3],
                                           axis=0),
                   lambda xp, x: x.repeat(3),
                   lambda xp, x: xp.tile(x, 2),
                   lambda xp, x: xp.tile(x.reshape(4, 5), (2, 1)),
                   lambda xp, x: xp.tile(x[:4], (2, 3))):
            compare(fn, a, session=session, cs=cs)


@dtypes
def test_pad(dtype, session):
    a = edge(dtype)
    hi, lo = maxv(dtype), minv(dtype)
    for cs in (3, 7, None):
        for fn in (lambda xp, x: xp.pad(x, 2),
                   lambda xp, x: xp.pad(x, (1, 3), constant_values=(lo, hi)),
                   lambda xp, x: xp.pad(x, 3, constant_values=hi),
                   lambda xp, x: xp.pad(x, (2, 4), mode="edge"),
                   lambda xp, x: xp.pad(x, 5, mode="reflect"),
                   lambda xp, x: xp.pad(x, 5, mode="symmetric"),
                   lambda xp, x: xp.pad(x, (3, 2), mode="wrap"),
                   lambda xp, x: xp.pad(x, 2, mode="maximum"),
                   lambda xp, x: xp.pad(x, 2, mode="minimum"),
                   lambda xp, x: xp.pad(x.reshape(4, 5), ((1, 0), (2, 1)),
                                        constant_values=hi - 1),
                   lambda xp, x: xp.pad(x.reshape(4, 5), 1, mode="edge")):
            compare(fn, a, session=session, cs=cs)


@dtypes
def test_pad_mean(dtype, session):
    # The extremes. The mean is a float64 whose last bits depend on the
    # summation order (a chunked mean merges partial means); numpy's is the
    # pairwise sum divided by n. For uint64 one ulp of a mean near 2**63 is
    # 1024 in the padded integers: compared with that tolerance.
    a = edge(dtype)
    rtol = 1e-15 if dtype == "uint64" else None
    for cs in CS:
        compare(lambda xp, x: xp.pad(x, 2, mode="mean").astype(
            np.float64 if dtype == "uint64" else x.dtype), a,
            session=session, cs=cs, rtol=rtol)
        compare(lambda xp, x: xp.pad(x, (1, 3), mode="mean", stat_length=4),
                a, session=session, cs=cs)


@pytest.mark.parametrize("dtype", UNSIGNED)
def test_pad_negative_constant_wraps_like_numpy(dtype, session):
    # numpy assigns the constant into the padded array (unsafe cast).
    compare(lambda xp, x: xp.pad(x, 2, constant_values=-1),
            np.arange(5, dtype=dtype), session=session, cs=3)


@dtypes
def test_split_and_friends(dtype, session):
    a = edge(dtype)
    for cs in (3, 7):
        compare(lambda xp, x: xp.split(x, 4), a, session=session, cs=cs)
        compare(lambda xp, x: xp.split(x, [3, 11, 11]), a, session=session,
                cs=cs)
        compare(lambda xp, x: xp.array_split(x, 3), a, session=session,
                cs=cs)
        compare(lambda xp, x: xp.hsplit(x.reshape(4, 5), [2]), a,
                session=session, cs=cs)
        compare(lambda xp, x: xp.vsplit(x.reshape(4, 5), 2), a,
                session=session, cs=cs)


@dtypes
def test_tri_diag_trace(dtype, session):
    a = edge(dtype)
    a2 = a.reshape(4, 5)
    for cs in (3, (3, 2), None):
        for fn in (lambda xp, x: xp.tril(x),
                   lambda xp, x: xp.triu(x, k=1),
                   lambda xp, x: xp.tril(x, k=-2),
                   lambda xp, x: xp.diag(x),
                   lambda xp, x: xp.diag(x, k=1),
                   lambda xp, x: xp.diagonal(x, offset=-1),
                   lambda xp, x: xp.diag(x[0]),
                   lambda xp, x: xp.trace(x),
                   lambda xp, x: xp.trace(x, offset=1),
                   lambda xp, x: x.trace(dtype=x.dtype)):
            compare(fn, a2, session=session, cs=cs)


@dtypes
def test_insert_delete(dtype, session):
    a = edge(dtype)
    hi, lo = maxv(dtype), minv(dtype)
    for cs in (3, 7):
        compare(lambda xp, x: xp.insert(x, 3, hi), a, session=session, cs=cs)
        compare(lambda xp, x: xp.insert(x, [0, 20], [7, 9]), a,
                session=session, cs=cs)
        compare(lambda xp, x: xp.insert(x.reshape(4, 5), 1, lo, axis=1), a,
                session=session, cs=cs)
        compare(lambda xp, x: xp.delete(x, [0, 5, 19]), a, session=session,
                cs=cs)
        compare(lambda xp, x: xp.delete(x.reshape(4, 5), 2, axis=0), a,
                session=session, cs=cs)


@dtypes
def test_insert_list_of_extremes(dtype, session):
    # numpy casts the values list to the array's dtype directly.
    a = edge(dtype)
    for cs in (3, 7):
        compare(lambda xp, x: xp.insert(x, [0, 20], [minv(dtype),
                                                     maxv(dtype)]), a,
                session=session, cs=cs)


@dtypes
def test_nonzero_argwhere_flatnonzero(dtype, session):
    a = dups(dtype)
    for cs in CS:
        compare(lambda xp, x: xp.nonzero(x), a, session=session, cs=cs)
        compare(lambda xp, x: xp.nonzero(x.reshape(4, 5)), a,
                session=session, cs=cs)
        compare(lambda xp, x: xp.flatnonzero(x), a, session=session, cs=cs)
        compare(lambda xp, x: xp.argwhere(x.reshape(4, 5)), a,
                session=session, cs=cs)


# -- sets, searching, sorting -----------------------------------------------------------

@dtypes
def test_unique_with_returns(dtype, session):
    a = dups(dtype)
    for cs in CS:
        compare(lambda xp, x: xp.unique(x), a, session=session, cs=cs)
        compare(lambda xp, x: xp.unique(x, return_index=True,
                                        return_inverse=True,
                                        return_counts=True), a,
                session=session, cs=cs)
        compare(lambda xp, x: xp.unique(x.reshape(4, 5), return_counts=True),
                a, session=session, cs=cs)
        compare(lambda xp, x: xp.unique(edge(dtype)), a, session=session,
                cs=cs)


@dtypes
def test_isin_and_set_operations(dtype, session):
    a = dups(dtype)
    b = dups(dtype, n=9, seed=7)
    for cs in (3, 7, None):
        for fn in (lambda xp, x, y: xp.isin(x, y),
                   lambda xp, x, y: xp.isin(x, y, invert=True),
                   lambda xp, x, y: xp.isin(x.reshape(4, 5), y),
                   lambda xp, x, y: xp.in1d(x, y),
                   lambda xp, x, y: xp.intersect1d(x, y),
                   lambda xp, x, y: xp.intersect1d(x, y,
                                                   return_indices=True),
                   lambda xp, x, y: xp.union1d(x, y),
                   lambda xp, x, y: xp.setdiff1d(x, y),
                   lambda xp, x, y: xp.setxor1d(x, y)):
            compare(fn, a, b, session=session, cs=cs)


@dtypes
def test_isin_with_python_int_lists(dtype, session):
    a = dups(dtype)
    vals = [maxv(dtype), minv(dtype), -1, 300, 2 ** 63]
    for cs in (3, None):
        compare(lambda xp, x: xp.isin(x, vals[:2]), a, session=session, cs=cs)
        compare(lambda xp, x: xp.isin(x, [0, 5]), a, session=session, cs=cs)


@dtypes
def test_searchsorted(dtype, session):
    a = np.sort(dups(dtype))
    v = edge(dtype, n=11, seed=2)
    for cs in CS:
        for side in ("left", "right"):
            compare(lambda xp, x, y: xp.searchsorted(x, y, side=side), a, v,
                    session=session, cs=cs)
            compare(lambda xp, x: x.searchsorted(v.reshape(1, 11), side),
                    a, session=session, cs=cs)
        # sorter on unsorted data.
        u = dups(dtype, seed=9)
        order = np.argsort(u, kind="stable")
        compare(lambda xp, x, y: xp.searchsorted(x, y, sorter=order), u, v,
                session=session, cs=cs)


@dtypes
@pytest.mark.parametrize("which", ["max", "max-1", "min", "min+1"])
def test_searchsorted_python_int_extremes(dtype, which, session):
    a = np.sort(dups(dtype))
    v = {"max": maxv(dtype), "max-1": maxv(dtype) - 1, "min": minv(dtype),
         "min+1": minv(dtype) + 1}[which]
    for cs in (3, None):
        for side in ("left", "right"):
            compare(lambda xp, x: xp.searchsorted(x, v, side=side), a,
                    session=session, cs=cs)


@dtypes
def test_searchsorted_mixed_dtypes(dtype, session):
    a = np.sort(dups(dtype))
    for other in ("int8", "uint8", "int64", "float64"):
        v = np.array([-3, 0, 1, 5, 127]).astype(other)
        compare(lambda xp, x, y: xp.searchsorted(x, y), a, v,
                session=session, cs=7)
    for v in (-1, 300, 70000, 2 ** 40, 0.5):
        compare(lambda xp, x: xp.searchsorted(x, v), a, session=session,
                cs=3)


@dtypes
def test_sort_and_argsort_along_axes(dtype, session):
    a2 = dups(dtype, n=30).reshape(5, 6)
    for cs in (2, 3, None):
        for axis in (0, 1, -1, None):
            compare(lambda xp, x: xp.argsort(x, axis=axis, kind="stable"),
                    a2, session=session, cs=cs)
            compare(lambda xp, x: xp.sort(x, axis=axis), a2,
                    session=session, cs=cs)
        compare(lambda xp, x: xp.lexsort((x[0], x[1])), a2, session=session,
                cs=cs)
        compare(lambda xp, x: xp.argmax(x, axis=0), a2, session=session,
                cs=cs)
        compare(lambda xp, x: xp.argmin(x, axis=1), a2, session=session,
                cs=cs)


@dtypes
def test_partition_and_argpartition(dtype, session):
    a = dups(dtype)
    s = np.sort(a)
    for cs in CS:
        for kth in (0, 5, 19, -1, (3, 12)):
            p = run(mt.partition(mt.tensor(a, chunk_size=cs), kth), session)
            assert p.dtype == a.dtype and p.shape == a.shape
            ks = [kth] if np.isscalar(kth) else list(kth)
            for k in ks:
                assert p[k] == s[k], (kth, p, s)
                assert (p[:k] <= p[k]).all() and (p[k:] >= p[k]).all()
            assert_same(np.sort(p), s)
            i = run(mt.argpartition(mt.tensor(a, chunk_size=cs), kth),
                    session)
            assert i.dtype == np.argpartition(a, kth).dtype
            assert_same(np.sort(i), np.arange(20))
            q = a[i]
            for k in ks:
                assert q[k] == s[k], (kth, q, s)
                assert (q[:k] <= q[k]).all() and (q[k:] >= q[k]).all()


# -- cumulative, diff, nan-reductions -------------------------------------------------------

@dtypes
def test_cumsum_cumprod_with_dtype_argument(dtype, session):
    a = edge(dtype)
    a2 = a.reshape(4, 5)
    for cs in CS:
        # The accumulator dtype given: wraps at the dtype's width.
        compare(lambda xp, x: xp.cumsum(x, dtype=dtype), a, session=session,
                cs=cs)
        compare(lambda xp, x: xp.cumprod(x, dtype=dtype), a,
                session=session, cs=cs)
        compare(lambda xp, x: x.cumsum(axis=1, dtype=dtype), a2,
                session=session, cs=cs)
        compare(lambda xp, x: xp.cumsum(x, dtype="float64"), a,
                session=session, cs=cs, rtol=1e-12)
        compare(lambda xp, x: xp.cumsum(x), a, session=session, cs=cs)
        compare(lambda xp, x: xp.cumprod(x, axis=0), a2, session=session,
                cs=cs)


@dtypes
def test_diff_wraps(dtype, session):
    a = edge(dtype)
    a2 = a.reshape(4, 5)
    for cs in CS:
        for fn in (lambda xp, x: xp.diff(x),
                   lambda xp, x: xp.diff(x, n=2),
                   lambda xp, x: xp.diff(x, n=19),
                   lambda xp, x: xp.diff(x.reshape(4, 5), axis=0),
                   lambda xp, x: xp.diff(x.reshape(4, 5), axis=1, n=3),
                   lambda xp, x: xp.diff(x, prepend=x[:1]),
                   # A Python int prepend is an int64 array: int64 result.
                   lambda xp, x: xp.diff(x, prepend=0),
                   lambda xp, x: xp.diff(x, append=maxv(dtype)),
                   lambda xp, x: xp.ediff1d(x)):
            compare(fn, a, session=session, cs=cs)
        compare(lambda xp, x: xp.diff(x, axis=1), a2, session=session,
                cs=(3, 2) if cs else None)


NAN_REDUCTIONS = ["nansum", "nanprod", "nanmax", "nanmin", "nanmean",
                  "nanvar", "nanstd", "nanargmax", "nanargmin", "nancumsum",
                  "nancumprod", "nanmedian"]


@dtypes
@pytest.mark.parametrize("name", NAN_REDUCTIONS)
def test_nan_reductions_of_integers(dtype, name, session):
    a2 = edge(dtype).reshape(4, 5)
    for cs in ((3, 2), None):
        for axis in (None, 0, 1):
            compare(lambda xp, x: getattr(xp, name)(x, axis=axis), a2,
                    session=session, cs=cs, rtol=1e-9)
    if name in ("nansum", "nanmax", "nanmin", "nanmean"):
        compare(lambda xp, x: getattr(xp, name)(x, axis=1, keepdims=True),
                a2, session=session, cs=3, rtol=1e-9)


@dtypes
def test_nanpercentile_nanquantile(dtype, session):
    a2 = edge(dtype).reshape(4, 5)
    for cs in (3, None):
        compare(lambda xp, x: xp.nanpercentile(x, [10, 50, 90], axis=1), a2,
                session=session, cs=cs, rtol=1e-12)
        compare(lambda xp, x: xp.nanquantile(x, 0.3), a2, session=session,
                cs=cs, rtol=1e-12)


# -- statistics ----------------------------------------------------------------------------

@dtypes
def test_mean_var_std_options(dtype, session):
    a2 = edge(dtype).reshape(4, 5)
    for cs in (3, (3, 2), None):
        for fn in (lambda xp, x: xp.mean(x, dtype="float32"),
                   lambda xp, x: xp.mean(x, axis=(0, 1)),
                   lambda xp, x: x.mean(axis=1, keepdims=True),
                   lambda xp, x: xp.var(x, ddof=1),
                   lambda xp, x: xp.var(x, axis=0, dtype="float32"),
                   lambda xp, x: xp.std(x, axis=1, keepdims=True),
                   lambda xp, x: x.std(ddof=2, axis=0),
                   lambda xp, x: xp.sum(x, dtype=dtype),
                   lambda xp, x: xp.sum(x, axis=0, dtype=dtype),
                   lambda xp, x: xp.prod(x[:2, :3], dtype=dtype),
                   lambda xp, x: xp.sum(x, dtype="float32"),
                   lambda xp, x: x.max(axis=1, keepdims=True),
                   lambda xp, x: xp.amin(x, axis=0),
                   lambda xp, x: xp.ptp(x, axis=1)):
            compare(fn, a2, session=session, cs=cs, rtol=1e-5)


@dtypes
def test_median_percentile_quantile(dtype, session):
    a = edge(dtype)
    a2 = a.reshape(4, 5)
    for cs in (3, 7, None):
        for fn in (lambda xp, x: xp.median(x),
                   lambda xp, x: xp.median(x[:19]),
                   lambda xp, x: xp.median(x.reshape(4, 5), axis=1,
                                           keepdims=True),
                   lambda xp, x: xp.percentile(x, 30),
                   lambda xp, x: xp.percentile(x, [0, 25, 50, 99, 100]),
                   lambda xp, x: xp.percentile(x.reshape(4, 5), [10, 90],
                                               axis=0),
                   lambda xp, x: xp.quantile(x, 0.5),
                   lambda xp, x: xp.quantile(x, [0.1, 0.7], method="lower"),
                   lambda xp, x: xp.quantile(x, 0.35, method="higher"),
                   lambda xp, x: xp.quantile(x, 0.35, method="nearest"),
                   lambda xp, x: xp.quantile(x, 0.35, method="midpoint")):
            compare(fn, a, session=session, cs=cs, rtol=1e-12)
        compare(lambda xp, x: xp.median(x, axis=0), a2, session=session,
                cs=cs, rtol=1e-12)


@dtypes
def test_median_of_two_extremes(dtype, session):
    # numpy averages the two middle values in float64: no wrapping.
    hi = maxv(dtype)
    a = np.array([hi, hi, hi - 1, hi], dtype=dtype)
    compare(lambda xp, x: xp.median(x), a, session=session, cs=3)
    compare(lambda xp, x: xp.percentile(x, 50), a, session=session, cs=3)
    lo = minv(dtype)
    b = np.array([lo, lo + 1, lo, lo + 1], dtype=dtype)
    compare(lambda xp, x: xp.median(x), b, session=session, cs=3)


@dtypes
def test_average(dtype, session):
    a = edge(dtype)
    w = small(dtype, seed=3, hi=5)
    w[0] = 1
    w2 = small(dtype, n=5, seed=4, hi=5)
    w2[0] = 2
    for cs in (3, 7, None):
        compare(lambda xp, x: xp.average(x), a, session=session, cs=cs,
                rtol=1e-12)
        compare(lambda xp, x, y: xp.average(x, weights=y), a, w,
                session=session, cs=cs, rtol=1e-12)
        compare(lambda xp, x, y: xp.average(x, weights=y, returned=True), a,
                w, session=session, cs=cs, rtol=1e-12)
        compare(lambda xp, x, y: xp.average(x.reshape(4, 5), axis=1,
                                            weights=y), a, w2,
                session=session, cs=cs, rtol=1e-12)


@dtypes
def test_cov_corrcoef(dtype, session):
    a2 = edge(dtype).reshape(4, 5)
    for cs in (3, None):
        compare(lambda xp, x: xp.cov(x), a2, session=session, cs=cs,
                rtol=1e-9)
        compare(lambda xp, x: xp.corrcoef(x), a2, session=session, cs=cs,
                rtol=1e-9, atol=1e-12)


@dtypes
def test_reductions_with_where_initial_keepdims(dtype, session):
    a2 = edge(dtype).reshape(4, 5)
    m = (np.arange(20) % 3 != 0).reshape(4, 5)
    for cs in (3, (3, 2), None):
        for fn in (lambda xp, x: xp.sum(x, where=m),
                   lambda xp, x: xp.sum(x, axis=1, where=m, keepdims=True),
                   lambda xp, x: xp.max(x, axis=0, initial=minv(dtype)),
                   lambda xp, x: xp.min(x, initial=5, where=m),
                   lambda xp, x: xp.prod(x, axis=1, where=m),
                   lambda xp, x: xp.argmax(x, axis=1, keepdims=True),
                   lambda xp, x: xp.mean(x, axis=0, where=m)):
            compare(fn, a2, session=session, cs=cs, rtol=1e-12)


@dtypes
def test_unique_along_axis(dtype, session):
    a2 = dups(dtype, n=24).reshape(6, 4)
    a2[3] = a2[1]
    for cs in (2, None):
        compare(lambda xp, x: xp.unique(x, axis=0), a2, session=session,
                cs=cs)
        compare(lambda xp, x: xp.unique(x, axis=1, return_counts=True), a2,
                session=session, cs=cs)


# -- bincount, histogram, digitize ------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["uint8", "uint16", "int8", "int16"])
def test_bincount_of_narrow_integers(dtype, session):
    if dtype in ("uint8",):
        x = edge(dtype)          # 0 ... 255
    else:
        x = small(dtype, hi=30)  # non-negative
        x = np.abs(x).astype(dtype)
        x[3] = 300 if dtype != "int8" else 127
    w = np.linspace(-1, 2, 20)
    for cs in CS:
        compare(lambda xp, v: xp.bincount(v), x, session=session, cs=cs)
        compare(lambda xp, v: xp.bincount(v, minlength=300), x,
                session=session, cs=cs)
        compare(lambda xp, v, ww: xp.bincount(v, ww), x, w, session=session,
                cs=cs, rtol=1e-12, atol=1e-15)
        compare(lambda xp, v, ww: xp.bincount(v, weights=ww, minlength=3), x,
                w.astype("float32"), session=session, cs=cs, rtol=1e-12,
                atol=1e-15)


@pytest.mark.parametrize("dtype", ["uint32"])
def test_bincount_of_uint32(dtype, session):
    x = np.array([0, 5, 5, 70000, 3], dtype=dtype)
    compare(lambda xp, v: xp.bincount(v), x, session=session, cs=2)


def test_bincount_errors_like_numpy(session):
    # Negative values: ValueError; uint64 cannot be cast safely: TypeError.
    compare(lambda xp, v: xp.bincount(v), np.array([1, -1, 2], "int8"),
            session=session, cs=2)
    compare(lambda xp, v: xp.bincount(v), np.array([1, 2, 3], "uint64"),
            session=session, cs=2)
    compare(lambda xp, v: xp.bincount(v), np.array([1, 2, -30000], "int16"),
            session=session, cs=2)


@dtypes
def test_histogram(dtype, session):
    a = edge(dtype)
    hi, lo = maxv(dtype), minv(dtype)
    for cs in CS:
        compare(lambda xp, x: xp.histogram(x), a, session=session, cs=cs,
                rtol=1e-12)
        compare(lambda xp, x: xp.histogram(x, bins=5), a, session=session,
                cs=cs, rtol=1e-12)
        compare(lambda xp, x: xp.histogram(x, bins=4, range=(lo, hi)), a,
                session=session, cs=cs, rtol=1e-12)
        compare(lambda xp, x: xp.histogram(x, bins=[0, 1, 2, 8, hi]), a,
                session=session, cs=cs, rtol=1e-12)
        compare(lambda xp, x: xp.histogram(x, bins=3, density=True), a,
                session=session, cs=cs, rtol=1e-9)
        compare(lambda xp, x: xp.histogram_bin_edges(x, bins=6), a,
                session=session, cs=cs, rtol=1e-12)


@dtypes
def test_digitize(dtype, session):
    a = edge(dtype)
    bins = np.array([0, 1, 7, maxv(dtype) - 1], dtype=dtype)
    for cs in (3, None):
        compare(lambda xp, x: xp.digitize(x, bins), a, session=session,
                cs=cs)
        compare(lambda xp, x: xp.digitize(x, bins, right=True), a,
                session=session, cs=cs)


# -- count_nonzero / any / all --------------------------------------------------------------

@dtypes
def test_count_nonzero_any_all_axes(dtype, session):
    a2 = dups(dtype).reshape(4, 5)
    for cs in (3, (3, 2), None):
        for fn in (lambda xp, x: xp.count_nonzero(x, axis=(0, 1)),
                   lambda xp, x: xp.count_nonzero(x, axis=0, keepdims=True),
                   lambda xp, x: xp.count_nonzero(x == maxv(dtype), axis=1),
                   lambda xp, x: xp.any(x, axis=1, keepdims=True),
                   lambda xp, x: xp.all(x, axis=0),
                   lambda xp, x: x.any(),
                   lambda xp, x: (x + 1).all(),
                   lambda xp, x: xp.all(x != minv(dtype), axis=1)):
            compare(fn, a2, session=session, cs=cs)


# -- dot family --------------------------------------------------------------------------------

@dtypes
def test_dot_tensordot_einsum_wrap(dtype, session):
    a = edge(dtype, n=24).reshape(4, 6)
    b = edge(dtype, n=30, seed=9).reshape(6, 5)
    v = edge(dtype, n=6, seed=3)
    for cs in (2, 3, None):
        compare(lambda xp, x, y: xp.dot(x, y), a, b, session=session, cs=cs)
        compare(lambda xp, x, y: x.dot(y), a, v, session=session, cs=cs)
        compare(lambda xp, x, y: xp.dot(x, y), v, v, session=session, cs=cs)
        compare(lambda xp, x, y: xp.tensordot(x, y, axes=1), a, b,
                session=session, cs=cs)
        compare(lambda xp, x, y: xp.tensordot(x, y, axes=([0], [0])), a,
                a, session=session, cs=cs)
        compare(lambda xp, x, y: xp.tensordot(x, y, axes=2), a, a,
                session=session, cs=cs)
        compare(lambda xp, x, y: xp.inner(x, y), a, a, session=session,
                cs=cs)
        compare(lambda xp, x, y: xp.outer(x, y), v, v, session=session,
                cs=cs)
        compare(lambda xp, x, y: xp.vdot(x, y), a, a, session=session, cs=cs)


EINSUMS = [("ij,jk->ik", 2), ("i,i->", 2), ("ij->", 1), ("ij->j", 1),
           ("ij,ij->ij", 2), ("ij,ij->i", 2), ("ji", 1), ("i,j->ij", 2)]


@dtypes
@pytest.mark.parametrize("spec,n", EINSUMS)
def test_einsum_wraps(dtype, spec, n, session):
    # numpy's einsum sums in the operands' dtype (unlike np.sum).
    ins = spec.split("->")[0].split(",")
    shapes = {"i": 4, "j": 6, "k": 5}
    ops = [edge(dtype, n=int(np.prod([shapes[c] for c in s])),
                seed=i).reshape([shapes[c] for c in s])
           for i, s in enumerate(ins)]
    for cs in (3, None):
        compare(lambda xp, *xs: xp.einsum(spec, *xs), *ops, session=session,
                cs=cs)


def test_einsum_diagonal_and_trace(session):
    for dtype in NEW:
        sq = edge(dtype, n=25).reshape(5, 5)
        compare(lambda xp, x: xp.einsum("ii->i", x), sq, session=session,
                cs=2)
        compare(lambda xp, x: xp.einsum("ii", x), sq, session=session, cs=2)


@pytest.mark.parametrize("pair", [("uint8", "int8"), ("uint64", "int64"),
                                  ("int16", "uint16"), ("uint8", "float32"),
                                  ("int8", "uint32")])
def test_dot_of_mixed_dtypes(pair, session):
    a = edge(pair[0], n=24).reshape(4, 6)
    if pair[1] == "float32":
        b = np.linspace(-1, 1, 30).reshape(6, 5).astype("float32")
    else:
        b = edge(pair[1], n=30, seed=2).reshape(6, 5)
    compare(lambda xp, x, y: xp.dot(x, y), a, b, session=session, cs=3,
            rtol=1e-5)
    compare(lambda xp, x, y: xp.einsum("ij,jk->ik", x, y), a, b,
            session=session, cs=3, rtol=1e-5)


# -- conversions of uint64 and narrow values ------------------------------------------------------

def test_uint64_tolist_item_int_above_int64(session):
    x = np.array([2 ** 64 - 1, 2 ** 63, 2 ** 63 + 12345, 0, 1,
                  2 ** 64 - 2], dtype="uint64")
    for cs in (2, None):
        t = mt.tensor(x, chunk_size=cs)
        lst = t.tolist()
        assert lst == x.tolist()
        assert all(type(v) is int for v in lst), [type(v) for v in lst]
        assert t[0].item() == 2 ** 64 - 1
        assert type(t[0].item()) is int
        assert t[2].item() == 2 ** 63 + 12345
        assert int(t[1]) == 2 ** 63
        assert operator.index(t[5]) == 2 ** 64 - 2
        assert float(t[0]) == float(2 ** 64 - 1)
        # Computed values too.
        u = t + 0
        assert u.tolist() == x.tolist()
        assert t.max().item() == 2 ** 64 - 1
        assert (t - 1)[4].item() == 0
        assert (t - 1)[3].item() == 2 ** 64 - 1  # 0 - 1 wraps
        assert mt.sort(t).tolist() == np.sort(x).tolist()
        # Iteration and len().
        assert len(t) == 6
        assert [int(v) for v in t] == x.tolist()
    # 0-d tensors of a numpy scalar and of a Python int.
    for v in (np.uint64(2 ** 64 - 1), 2 ** 64 - 1, 2 ** 63):
        t = mt.tensor(v)
        assert t.dtype == np.asarray(v).dtype
        assert t.item() == int(v) and type(t.item()) is int
        assert t.tolist() == int(v)
        assert_same(run(t, session), np.asarray(v))


@dtypes
def test_item_and_tolist_of_extremes(dtype, session):
    x = edge(dtype, n=9)
    t = mt.tensor(x, chunk_size=4)
    assert t.tolist() == x.tolist()
    assert all(type(v) is int for v in t.tolist())
    for i in range(9):
        assert t[i].item() == x[i].item()
        assert type(t[i].item()) is int
        assert int(t[i]) == int(x[i])
    assert t.reshape(3, 3).tolist() == x.reshape(3, 3).tolist()
    assert t.max().item() == maxv(dtype)
    assert t.min().item() == minv(dtype)
    assert (t.min() + 0).item() == (x.min() + 0).item()


# -- comparisons with Python ints ------------------------------------------------------------------

UINT64_VALS = np.array([2 ** 64 - 1, 2 ** 64 - 2, 2 ** 63, 2 ** 63 - 1, 0, 1,
                        2 ** 53 + 1, 2 ** 63 + 1], dtype="uint64")
CMP = [operator.eq, operator.ne, operator.lt, operator.le, operator.gt,
       operator.ge]


@pytest.mark.parametrize("value", [2 ** 64 - 1, 2 ** 64 - 2, 2 ** 63,
                                   2 ** 63 - 1, 2 ** 63 + 1, 0, 1, -1,
                                   2 ** 53, 2 ** 53 + 1, -2 ** 63])
def test_uint64_compared_with_python_ints(value, session):
    for op in CMP:
        for cs in (3, None):
            compare(lambda xp, x: op(x, value), UINT64_VALS, session=session,
                    cs=cs)
            compare(lambda xp, x: op(value, x), UINT64_VALS, session=session,
                    cs=cs)
    compare(lambda xp, x: xp.equal(x, value), UINT64_VALS, session=session,
            cs=3)
    compare(lambda xp, x: xp.greater(value, x), UINT64_VALS,
            session=session, cs=3)


@pytest.mark.xfail(strict=True, raises=OverflowError,
                   reason="numpy 1.24 compares through an object array; Mars "
                          "has no object dtype and raises OverflowError for "
                          "Python ints outside int64/uint64")
@pytest.mark.parametrize("value", [2 ** 64, -2 ** 63 - 1, 2 ** 70])
def test_uint64_compared_with_python_ints_out_of_range(value, session):
    # numpy 1.24 makes an object array of the number; the comparisons are
    # Python's (exact).
    for op in CMP:
        compare(lambda xp, x: op(x, value), UINT64_VALS, session=session,
                cs=3)


@dtypes
def test_narrow_compared_with_out_of_range_python_ints(dtype, session):
    a = edge(dtype)
    for value in (-1, 300, -300, 70000, 2 ** 33, 2 ** 63, -2 ** 63, 1.5):
        for op in CMP:
            compare(lambda xp, x: op(x, value), a, session=session, cs=7)


def test_uint64_and_int64_tensors_compare_as_float64(session):
    # numpy compares uint64 with int64 in float64: 2**63+1 == 2**63-1.
    u = np.array([2 ** 63 + 1, 2 ** 64 - 1, 5, 0, 2 ** 53 + 1], "uint64")
    i = np.array([2 ** 63 - 1, -1, 5, -1, 2 ** 53], "int64")
    for op in CMP:
        for cs in (2, None):
            compare(lambda xp, x, y: op(x, y), u, i, session=session, cs=cs)
            compare(lambda xp, x, y: op(y, x), u, i, session=session, cs=cs)


# -- mixed dtypes -------------------------------------------------------------------------------------

PAIRS = [("uint8", "int8"), ("uint64", "int64"), ("uint16", "int8"),
         ("uint32", "int16"), ("uint64", "int8"), ("uint8", "int64"),
         ("int8", "uint16"), ("uint8", "uint64"), ("int16", "uint32"),
         ("uint16", "uint32"), ("int8", "int16"), ("uint32", "int32"),
         ("uint64", "float32"), ("int16", "float32"), ("uint8", "bool")]

MIXED_OPS = {
    "add": lambda xp, x, y: x + y,
    "mul": lambda xp, x, y: x * y,
    "floordiv": lambda xp, x, y: x // y,
    "mod": lambda xp, x, y: x % y,
    "truediv": lambda xp, x, y: x / y,
    "maximum": lambda xp, x, y: xp.maximum(x, y),
    "bitand": lambda xp, x, y: x & y,
    "bitor": lambda xp, x, y: xp.bitwise_or(x, y),
    "lt": lambda xp, x, y: x < y,
    "eq": lambda xp, x, y: x == y,
    "where": lambda xp, x, y: xp.where(x > y, x, y),
    "concat": lambda xp, x, y: xp.concatenate([x, y]),
    "stack": lambda xp, x, y: xp.stack([x, y]),
}


def pair_data(dtype, seed):
    if np.dtype(dtype).kind == "f":
        return np.linspace(-50.5, 300.5, 20).astype(dtype)
    if dtype == "bool":
        return np.arange(20) % 3 == 0
    return edge(dtype, seed=seed)


@pytest.mark.parametrize("pair", PAIRS, ids="-".join)
@pytest.mark.parametrize("op", sorted(MIXED_OPS))
def test_mixed_dtype_operations(pair, op, session):
    x = pair_data(pair[0], 1)
    y = pair_data(pair[1], 2)
    fn = MIXED_OPS[op]
    for cs in (3, 7):
        compare(fn, x, y, session=session, cs=cs, rtol=1e-6)
        compare(fn, y, x, session=session, cs=cs, rtol=1e-6)


def test_mixed_dtype_result_dtypes():
    cases = [("uint8", "int8", "int16"), ("uint64", "int64", "float64"),
             ("uint16", "int16", "int32"), ("uint32", "int32", "int64"),
             ("uint64", "int8", "float64"), ("uint8", "uint64", "uint64"),
             ("int8", "uint32", "int64"), ("uint16", "float32", "float32"),
             ("uint32", "float32", "float64")]
    for a, b, r in cases:
        x = mt.ones(3, dtype=a)
        y = mt.ones(3, dtype=b)
        assert (x + y).dtype == np.dtype(r), (a, b)
        assert mt.concatenate([x, y]).dtype == np.dtype(r), (a, b)
        assert mt.where(x > 0, x, y).dtype == np.dtype(r), (a, b)


NUMPY_SCALARS = [np.int8(-1), np.int8(5), np.uint8(200), np.int16(-300),
                 np.uint16(3), np.int64(5), np.int64(-1), np.uint64(3),
                 np.uint64(2 ** 63), np.int32(70000), np.float32(2.5),
                 np.float64(2.5)]


@dtypes
def test_numpy_scalar_operands(dtype, session):
    a = edge(dtype)
    for s in NUMPY_SCALARS:
        compare(lambda xp, x: x + s, a, session=session, cs=7, rtol=1e-6)
        compare(lambda xp, x: s * x, a, session=session, cs=3, rtol=1e-6)
        compare(lambda xp, x: xp.maximum(x, s), a, session=session, cs=3)


@dtypes
def test_zero_d_tensor_operands(dtype, session):
    # Given 0-d tensors count by value (numpy's 0-d arrays do).
    a = edge(dtype)
    for s in (np.array(-1, "int8"), np.array(5, "int64"),
              np.array(200, "uint8"), np.array(2.5, "float32")):
        expected = quiet(np.add, a, s)
        t = mt.tensor(a, chunk_size=7) + mt.tensor(s)
        assert_same(run(t, session), expected, rtol=1e-6)


# -- float functions and rounding of narrow integers --------------------------------------------------

@dtypes
@pytest.mark.parametrize("name", ["sqrt", "sin", "floor", "rint", "exp2",
                                  "cbrt", "log1p"])
def test_float_functions_of_integers(dtype, name, session):
    a = np.abs(small(dtype, hi=9)).astype(dtype)
    a[0] = min(maxv(dtype), 100)
    fn = getattr(np, name)
    expected = quiet(fn, a)
    got = run(getattr(mt, name)(mt.tensor(a, chunk_size=7)), session)
    assert_same(got, expected, rtol=1e-6)


@dtypes
def test_round_and_isclose_of_integers(dtype, session):
    a = small(dtype, hi=60)
    b = edge(dtype)
    c = edge(dtype, seed=8)
    for cs in (3, None):
        compare(lambda xp, x: xp.round(x), a, session=session, cs=cs)
        compare(lambda xp, x: xp.around(x, 2), a, session=session, cs=cs)
        compare(lambda xp, x: xp.round(x, -1), a, session=session, cs=cs)
        # numpy's isclose works in float: no wrapping of x - y.
        compare(lambda xp, x, y: xp.isclose(x, y), b, c, session=session,
                cs=cs)
        compare(lambda xp, x, y: xp.isclose(x, y, atol=2), b, b,
                session=session, cs=cs)
        compare(lambda xp, x, y: xp.allclose(x, y), b, b, session=session,
                cs=cs)
        compare(lambda xp, x, y: xp.allclose(x, y), b, c, session=session,
                cs=cs)
        compare(lambda xp, x, y: xp.array_equal(x, y), b, c,
                session=session, cs=cs)


@dtypes
def test_unravel_and_ravel_multi_index_with_narrow_indexes(dtype, session):
    idx = np.array([0, 5, 19, 7], dtype=dtype)
    compare(lambda xp, i: xp.unravel_index(i, (4, 5)), idx, session=session,
            cs=3)
    r = np.array([0, 3, 1], dtype=dtype)
    c = np.array([4, 0, 2], dtype=dtype)
    compare(lambda xp, i, j: xp.ravel_multi_index((i, j), (4, 5)), r, c,
            session=session, cs=2)
