"""numpy's float16 (half precision): a storage dtype whose operations compute
in float32 and round each result back to float16, as numpy's float16 loops
do. Checked against numpy on both sessions and several chunkings:

* the promotion table and numpy 1.24's value-based rule with float16
  (an int8 or uint8 array with float16 is float16, int16 float32, wider
  integers float64; a Python float beyond 65504 makes float32);
* casts from and to every dtype bit for bit (float64 rounds once, integers
  through float32; NaN, infinities, -0.0, subnormals, overflow);
* elementwise arithmetic bit for bit, libm functions within one unit in the
  last place (numpy's float32 libm and glibc's may round differently),
  float functions of bool/int8/uint8 in float16;
* shape ops, sorting, selection and indexing exactly;
* reductions in numpy's dtypes (sums accumulate in float32 and round once;
  where numpy rounds its running sum to float16, after each 8192-element
  buffer, along outer axes and in cumsum, Mars's result is the float32 one
  rounded, the documented difference);
* eager mode, linalg's TypeError and scipy's float32 for sparse matrices
  (.npy files of float16 on every engine: test/mars-run/float16.mlir).
"""

import warnings

import numpy as np
import pytest

import mars
import mars.tensor as mt

from helpers import assert_same, get_session, run

H = np.float16
ALL = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
       "uint32", "uint64", "float16", "float32", "float64"]

SPECIAL = [np.nan, np.inf, -np.inf, -0.0, 0.0, 65504, -65504, 6e-8, -6e-8,
           6.1e-5, 2049, 2051, 0.1, 1 / 3, 1000.5, 0.5, -1.5, 255.5, 300.7,
           -128.9, 2.5, 1.0, -1.0, 3.0]


def half_data(n=61, seed=0, special=True, scale=10.0):
    rng = np.random.default_rng(seed)
    v = (rng.standard_normal(n) * scale).astype(H)
    if special:
        k = min(n, len(SPECIAL))
        v[:k] = np.array(SPECIAL[:k], dtype=H)
    return v


def bits_equal(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    if got.dtype.kind == "f":
        # NaNs of any payload are equal; every other value bit for bit
        # (so -0.0 differs from 0.0).
        nan = np.isnan(want)
        assert np.array_equal(np.isnan(got), nan)
        iview = {2: np.uint16, 4: np.uint32, 8: np.uint64}[got.dtype.itemsize]
        g = got.view(iview)[~nan]
        w = want.view(iview)[~nan]
        bad = np.flatnonzero(g != w)
        assert bad.size == 0, (got[~nan][bad[:5]], want[~nan][bad[:5]])
    else:
        np.testing.assert_array_equal(got, want)


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


# -- dtypes ------------------------------------------------------------------

@pytest.mark.parametrize("other", ALL)
def test_promotion_with_float16_is_numpys(other):
    assert mt.promote_types("float16", other) == np.promote_types("float16",
                                                                  other)
    assert mt.promote_types(other, "float16") == np.promote_types(other,
                                                                  "float16")


@pytest.mark.parametrize("dtype", ["float16", "int8", "uint8", "int16",
                                   "bool"])
@pytest.mark.parametrize("value", [1.5, -1.5, 1e-8, 65504.0, 65520.0, 1e5,
                                   -1e5, 1e39, float("inf"), float("nan"),
                                   3, 300, -40000, True, np.float16(2),
                                   np.float32(2), np.int16(1), np.int8(-3)])
def test_value_based_promotion_with_float16(dtype, value):
    a = np.ones(3, dtype)
    assert mt.result_type(mt.tensor(a), value) == quiet(np.result_type, a,
                                                        value)
    want = quiet(np.add, a, value)
    assert mt.add(mt.tensor(a), value).dtype == want.dtype


def test_float16_names():
    assert mt.float16 is np.float16 and mt.half is np.half
    assert mt.zeros(3, dtype="e").dtype == np.float16
    assert mt.ones(3, dtype=mt.float16).dtype == np.float16


# -- casts -------------------------------------------------------------------

def cast_sources(dtype):
    """Values of `dtype` that exercise float16's rounding: ties, overflow,
    subnormals and (for floats) specials."""
    if dtype == "bool":
        return np.array([True, False, True])
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        vals = [0, 1, 2, 7, 2047, 2049, 2051, 4097, 65504, 65519, 65520,
                info.max, info.min, info.max - 1, -1, -2049, -65520, 123]
        return np.array([v for v in vals if info.min <= v <= info.max],
                        dtype=object).astype(dtype)
    d = np.array([1 + 2.0 ** -11 + 2.0 ** -40, 1 + 3 * 2.0 ** -11 - 2.0 ** -40,
                  65519.99, 65520.0, -65520.0, 1e300, -1e-300, 2.0 ** -25,
                  2.0 ** -25 + 2.0 ** -60, 2.0 ** -24 * 1.5, np.nan, -np.inf,
                  np.inf, -0.0, 0.1, 1 / 3, 1e-7, 5.960464477539063e-08,
                  2.0 ** 15 + 2.0 ** 4 + 2.0 ** -30, 6.097555160522461e-05,
                  -2.0 ** -14 * (1 - 2.0 ** -11), 12345.678, -0.4999, 7.0,
                  2.0 ** -26, 1e5, 0.00011, 42.0, 2.0 ** -24 * 2.5])
    return quiet(d.astype, dtype)


@pytest.mark.parametrize("src", ALL)
def test_casts_to_float16_are_numpys(src, session):
    x = cast_sources(src)
    for cs in (None, 4):
        got = run(mt.tensor(x, chunk_size=cs).astype(H), session)
        bits_equal(got, quiet(x.astype, H))


@pytest.mark.parametrize("dst", ALL)
def test_casts_from_float16_are_numpys(dst, session):
    # Every float16 bit pattern (NaNs included) to every dtype.
    x = np.arange(65536, dtype=np.uint16).view(H)
    got = run(mt.tensor(x, chunk_size=10000).astype(dst), session)
    want = quiet(x.astype, dst)
    if np.dtype(dst).kind in "iu":
        # numpy's out-of-range float to integer casts are C's (undefined):
        # compare where numpy's are defined, as the float casts do.
        info = np.iinfo(dst)
        f = x.astype(np.float64)
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(f) & (f > info.min - 1) & (f < info.max + 1)
        np.testing.assert_array_equal(got[ok], want[ok])
        assert got.dtype == want.dtype
    else:
        bits_equal(got, want)


def test_every_float16_survives_a_round_trip(session):
    x = np.arange(65536, dtype=np.uint16).view(H)
    t = mt.tensor(x, chunk_size=4096)
    bits_equal(run(t.astype(np.float32).astype(H), session), x)
    bits_equal(run(t.astype(np.float64).astype(H), session), x)
    bits_equal(run(t * 1, session), quiet(np.multiply, x, 1))


# -- elementwise -------------------------------------------------------------

EXACT_BINARY = ["add", "subtract", "multiply", "true_divide", "maximum",
                "minimum", "fmax", "fmin", "copysign", "floor_divide",
                "remainder", "fmod", "less", "greater_equal", "equal",
                "not_equal", "logical_and"]


@pytest.mark.parametrize("name", EXACT_BINARY)
@pytest.mark.parametrize("chunk_size", [None, 7])
def test_arithmetic_rounds_like_numpy(name, chunk_size, session):
    a = half_data(seed=1)
    b = half_data(seed=2, special=False)[::-1].copy()
    b[-len(SPECIAL):] = np.array(SPECIAL, dtype=H)
    fn = getattr(mt, name)
    got = run(fn(mt.tensor(a, chunk_size=chunk_size),
                 mt.tensor(b, chunk_size=chunk_size)), session)
    bits_equal(got, quiet(getattr(np, name), a, b))


@pytest.mark.parametrize("name", ["negative", "absolute", "sqrt", "square",
                                  "floor", "ceil", "trunc", "rint", "sign",
                                  "reciprocal", "isnan", "isinf",
                                  "isfinite", "signbit", "positive"])
def test_exact_unary_functions(name, session):
    a = half_data(seed=3)
    got = run(getattr(mt, name)(mt.tensor(a, chunk_size=9)), session)
    bits_equal(got, quiet(getattr(np, name), a))


@pytest.mark.parametrize("name", ["sin", "cos", "tan", "exp", "exp2",
                                  "expm1", "log", "log2", "log10", "log1p",
                                  "tanh", "arctan", "arcsinh", "cbrt"])
def test_libm_functions_within_one_ulp(name, session):
    x = np.arange(0, 65536, 7, dtype=np.uint16).view(H)
    x = x[np.isfinite(x)]
    want = quiet(getattr(np, name), x)
    got = run(getattr(mt, name)(mt.tensor(x, chunk_size=1000)), session)
    assert got.dtype == H
    nan = np.isnan(want) | np.isinf(want)
    np.testing.assert_array_equal(got[nan], want[nan])
    assert np.array_equal(np.isnan(got) | np.isinf(got), nan)
    # Within one float16 unit in the last place, and mostly identical.
    g = got[~nan].astype(np.float64)
    w = want[~nan].astype(np.float64)
    ulp = np.spacing(np.abs(want[~nan])).astype(np.float64)
    assert np.all((g == w) | (np.abs(g - w) <= ulp)), name
    assert np.mean(g == w) > 0.99


def test_nextafter_and_spacing_step_in_float16(session):
    # One float16 step, not float32's rounded back: at zero, subnormals,
    # powers of two (a half step below), the largest finite, infinities.
    x = np.array([1, 1, 0, -0.0, 6e-8, 6.1e-5, 6.1e-5, 2, 2, 65504, 65504,
                  np.inf, -np.inf, np.nan, 3, -1024, -1024, 0.1, 0],
                 dtype=H)
    y = np.array([2, 0, 1, -1, 0, 0, 1, 0, 3, np.inf, 0, 0, 5, 1, 3, 0,
                  -np.inf, np.nan, -0.0], dtype=H)
    for chunk_size in (None, 4):
        got = run(mt.nextafter(mt.tensor(x, chunk_size=chunk_size),
                               mt.tensor(y, chunk_size=chunk_size)), session)
        bits_equal(got, quiet(np.nextafter, x, y))
    bits_equal(run(mt.nextafter(mt.tensor(x), 1), session),
               quiet(np.nextafter, x, H(1)))
    every = np.arange(0, 65536, 3, dtype=np.uint16).view(H)
    bits_equal(run(mt.nextafter(mt.tensor(every), np.inf), session),
               quiet(np.nextafter, every, H(np.inf)))
    bits_equal(run(mt.nextafter(mt.tensor(every), -np.inf), session),
               quiet(np.nextafter, every, H(-np.inf)))
    finite = x[np.isfinite(x)]
    bits_equal(run(mt.spacing(mt.tensor(finite)), session),
               quiet(np.spacing, finite))
    # Numbers are cast to float16 first, as numpy's float16 loop does.
    for number in (0.1, 1.0001, 1.9999, 1e-9, -1e-9, np.float32(0.1),
                   np.float64(2.0 ** -25), 65519.0):
        bits_equal(run(mt.nextafter(mt.tensor(x), number), session),
                   quiet(np.nextafter, x, number))
    # NaN results are numpy's NPY_HALF_NAN, whatever NaN came in.
    n = np.array([-np.nan, np.nan, 1], dtype=H)
    got = run(mt.nextafter(mt.tensor(n), mt.tensor(n[::-1].copy())), session)
    want = quiet(np.nextafter, n, n[::-1].copy())
    assert np.array_equal(got.view(np.uint16), want.view(np.uint16))


@pytest.mark.parametrize("start,stop,step", [(0, 1, 0.1), (0, 100, 0.3),
                                             (-3, 3, 0.7), (1000, 2000, 1.1),
                                             (-0.0, 5, 1), (0.5, 65519, 97.3),
                                             (2, 3, 1), (0, 0.2, 0.1),
                                             (5, 0, -0.7), (3, -2, -0.01)])
def test_arange_and_linspace_of_float16(start, stop, step, session):
    want = np.arange(start, stop, step, dtype=H)
    got = run(mt.arange(start, stop, step, dtype=H, chunk_size=7), session)
    bits_equal(got, want)
    want = np.linspace(start, stop, 23, dtype=H)
    bits_equal(run(mt.linspace(start, stop, 23, dtype=H, chunk_size=5),
                   session), want)


def test_fabs_and_around_of_narrow_inputs(session):
    for x in [np.array([True, False]), np.arange(-3, 4, dtype=np.int8),
              np.arange(5, dtype=np.uint8), np.arange(-3, 4, dtype=np.int16)]:
        bits_equal(run(mt.fabs(mt.tensor(x)), session), np.fabs(x))
        bits_equal(run(mt.around(mt.tensor(x)), session), np.around(x))
    h = np.array([0.1234, 65.51, -2.5, 0.5, 1.5, 1000.7], dtype=H)
    for decimals in (0, 1, 2, -1):
        bits_equal(run(mt.around(mt.tensor(h), decimals), session),
                   np.around(h, decimals))


def test_isin_compares_by_value_as_numpy(session):
    h = np.array([0.1, 0.2, 65504, 1.5, np.nan, 3.0, 65024], dtype=H)
    # 65010 is compared in float32 (beyond float16's 65000 bound), where
    # float16's 65024 does not equal it.
    for test in ([0.1], [0.2, 65504.0], np.array([0.1], np.float32),
                 [65010.0], np.array([65010.0], np.float32),
                 [1.5, 3.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0],
                 np.arange(100) / 10):
        want = np.isin(h, test)
        np.testing.assert_array_equal(run(mt.isin(mt.tensor(h), test),
                                          session), want)
        np.testing.assert_array_equal(
            run(mt.setdiff1d(mt.tensor(h), test), session),
            np.setdiff1d(h, test))
    f = np.array([1 + 2.0 ** -23, 1.0, 3.0], dtype=np.float32)
    for test in ([1 + 2.0 ** -24], [3.0000001], np.arange(200) / 7):
        np.testing.assert_array_equal(run(mt.isin(mt.tensor(f), test),
                                          session), np.isin(f, test))


def test_chains_round_after_every_operation(compiled_session):
    # Fused into one kernel, each step still rounds to float16: numpy's
    # (a + 1) * 2 - a / 3, not the float32 expression rounded once.
    a = half_data(n=1001, seed=4, scale=300.0)
    t = mt.tensor(a, chunk_size=100)
    expr = lambda xp, v: ((v + 1) * 2 - v / 3) ** 2   # noqa: E731
    bits_equal(run(expr(mt, t), compiled_session), quiet(expr, np, a))
    # A float16 result overflows to inf where float32 would not.
    big = np.array([40000, 60000, -50000], dtype=H)
    bits_equal(run(mt.tensor(big) * 2 / 4, compiled_session),
               quiet(lambda: big * 2 / 4))


@pytest.mark.parametrize("dtype", ["bool", "int8", "uint8"])
def test_float_functions_of_narrow_inputs_are_float16(dtype, session):
    x = np.array([0, 1, 1, 0, 1], dtype=bool) if dtype == "bool" else \
        np.arange(-5, 120, 3).astype(dtype)
    for name in ("sqrt", "exp", "sin", "log1p", "arctan"):
        want = quiet(getattr(np, name), x)
        got = run(getattr(mt, name)(mt.tensor(x)), session)
        assert got.dtype == want.dtype == H
        assert_same(got, want)
    want = quiet(np.arctan2, x, x)
    assert_same(run(mt.arctan2(mt.tensor(x), mt.tensor(x)), session), want)


def test_mixed_operands(session):
    a = half_data(seed=5)
    t = mt.tensor(a, chunk_size=8)
    for other in [np.arange(61, dtype=np.int8), np.arange(61, dtype=np.uint8),
                  np.arange(61, dtype=np.int16) * 100,
                  np.arange(61, dtype=np.int64),
                  np.linspace(-3, 3, 61).astype(np.float32),
                  np.linspace(-3, 3, 61)]:
        want = quiet(np.add, a, other)
        got = run(t + mt.tensor(other), session)
        assert got.dtype == want.dtype
        bits_equal(got, want)
    for number in [2, 1.5, 300, 1e5, True, -0.0]:
        want = quiet(np.multiply, a, number)
        bits_equal(run(t * number, session), want)


# -- shapes, sorting, selection ------------------------------------------------

def test_shape_ops_move_float16_elements(session):
    a = half_data(n=60, seed=6).reshape(5, 12)
    t = mt.tensor(a, chunk_size=(2, 5))
    cases = [
        (t.T, a.T), (t.reshape(3, 20), a.reshape(3, 20)),
        (t[1:4, ::-3], a[1:4, ::-3]), (mt.flip(t, 1), np.flip(a, 1)),
        (mt.concatenate([t, t[:2]]), np.concatenate([a, a[:2]])),
        (mt.stack([t, t], axis=1), np.stack([a, a], axis=1)),
        (mt.broadcast_to(t[:1], (4, 12)), np.broadcast_to(a[:1], (4, 12))),
        (mt.expand_dims(t, 0), np.expand_dims(a, 0)),
        (t.ravel(), a.ravel()), (t[:, None, 3], a[:, None, 3]),
    ]
    for got, want in cases:
        bits_equal(run(got, session), want)


def test_order_statistics_of_a_long_float16_lane(session):
    # Longer than a part: selected by radix, in float32 keys.
    a = (np.random.default_rng(14).standard_normal(600_001) * 50).astype(H)
    a[::1000] = np.nan
    t = mt.tensor(a, chunk_size=100_000)
    for q in (0, 37.5, 50, 99.9, 100):
        want = np.nanpercentile(a, q)
        got = run(mt.nanpercentile(t, q), session)
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-3)
    finite = a[~np.isnan(a)]
    got = run(mt.median(mt.tensor(finite, chunk_size=100_000)), session)
    bits_equal(got, np.median(finite))


def test_sorting_and_selection_are_exact(session):
    a = half_data(n=200, seed=7)
    a[50:60] = a[0:10]   # ties
    t = mt.tensor(a, chunk_size=23)
    # Equal values in numpy's order, but -0.0 and 0.0 (which numpy's sort
    # leaves to its algorithm) compare equal here.
    got = run(mt.sort(t), session)
    assert got.dtype == H
    np.testing.assert_array_equal(got, np.sort(a))
    bits_equal(run(mt.argsort(t, kind="stable"), session),
               np.argsort(a, kind="stable"))
    np.testing.assert_array_equal(run(mt.unique(t), session), np.unique(a))
    bits_equal(run(t[t > 1], session), a[a > 1])
    idx = np.array([3, 0, 199, 7, 7])
    bits_equal(run(t[idx], session), a[idx])
    bits_equal(run(mt.where(t < 0, t, -t), session),
               np.where(a < 0, a, -a))
    bits_equal(run(mt.partition(t, 17)[17], session), np.partition(a, 17)[17])
    assert run(mt.argmax(t), session) == np.argmax(a)
    assert run(mt.nanargmin(t), session) == np.nanargmin(a)
    bits_equal(run(mt.clip(t, -2, 3), session), np.clip(a, H(-2), H(3)))


def test_assignment_keeps_float16(session):
    a = half_data(n=30, seed=8)
    t = mt.tensor(a, chunk_size=7)
    t[3:9] = 0.1
    want = a.copy()
    want[3:9] = 0.1
    bits_equal(run(t, session), want)


# -- reductions ----------------------------------------------------------------

@pytest.mark.parametrize("chunk_size", [None, 1, 13])
def test_reductions_in_numpys_dtypes(chunk_size, session):
    rng = np.random.default_rng(9)
    a = rng.random((37, 11)).astype(H)
    t = mt.tensor(a, chunk_size=chunk_size)
    for name in ("max", "min", "ptp", "argmax", "argmin"):
        bits_equal(run(getattr(mt, name)(t, axis=1), session),
                   getattr(np, name)(a, axis=1))
    for name in ("sum", "mean", "prod", "nansum", "nanmean"):
        want = getattr(np, name)(a, axis=1)
        got = run(getattr(mt, name)(t, axis=1), session)
        assert got.dtype == want.dtype == H
        np.testing.assert_allclose(got, want, rtol=2e-3)
    # Whole-array sums: numpy accumulates in float32 and rounds once, so
    # does Mars; the float32 sums differ only in their order.
    for name in ("sum", "mean"):
        want = getattr(np, name)(a)
        got = run(getattr(mt, name)(t), session)
        assert got.dtype == H
        np.testing.assert_allclose(got, want, rtol=1e-3)
    # var and std: numpy rounds its intermediate steps to float16.
    for name in ("var", "std"):
        want = getattr(np, name)(a.astype(np.float32), axis=0).astype(H)
        got = run(getattr(mt, name)(t, axis=0), session)
        assert got.dtype == H
        np.testing.assert_allclose(got, want, rtol=2e-3)
    assert run(mt.count_nonzero(t), session) == np.count_nonzero(a)
    assert run(mt.any(t > 0.99), session) == np.any(a > 0.99)


def test_cumulative_sums_round_once(session):
    a = np.random.default_rng(10).random(500).astype(H)
    t = mt.tensor(a, chunk_size=64)
    got = run(mt.cumsum(t), session)
    assert got.dtype == H
    # numpy's float16 cumsum rounds every partial sum to float16; Mars's
    # rounds the float32 partial sums.
    bits_equal(got, np.cumsum(a.astype(np.float32)).astype(H))
    np.testing.assert_allclose(got, np.cumsum(a), rtol=2e-2)


def test_all_nan_float16_reductions_warn_like_numpy(session):
    a = np.full((2, 3), np.nan, dtype=H)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = np.nanmax(a, axis=0)
        got = run(mt.nanmax(mt.tensor(a), axis=0), session)
    bits_equal(got, want)


def test_matmul_of_float16(session):
    rng = np.random.default_rng(11)
    a = rng.random((9, 6)).astype(H)
    b = rng.random((6, 5)).astype(H)
    got = run(mt.tensor(a, chunk_size=4) @ mt.tensor(b, chunk_size=4),
              session)
    want = a @ b
    assert got.dtype == want.dtype == H
    np.testing.assert_allclose(got, want, rtol=3e-3)


# -- files, modes, other libraries ---------------------------------------------

def test_eager_mode_float16():
    mars.options.eager_mode = True
    a = half_data(n=20, seed=13)
    t = mt.tensor(a)
    r = (t + 1) * 3
    bits_equal(r.fetch(), quiet(lambda: (a + 1) * 3))
    assert r.dtype == H


def test_random_floats_of_float16_are_a_type_error_as_numpys():
    with pytest.raises(TypeError):
        np.random.default_rng(0).random(3, dtype=np.float16)
    for fn in (lambda: mt.random.rand(3, dtype=H),
               lambda: mt.random.randn(3, dtype=H),
               lambda: mt.random.uniform(0, 1, 3, dtype=H)):
        with pytest.raises(TypeError):
            fn()


def test_linalg_rejects_float16_as_numpy_does():
    a = np.eye(4, dtype=H) * 2
    with pytest.raises(TypeError):
        np.linalg.inv(a)
    for chunks in (None, 2):   # whole matrices; tiles (Python compositions)
        t = mt.tensor(a, chunk_size=chunks)
        for fn in (mt.linalg.inv, mt.linalg.cholesky, mt.linalg.qr,
                   mt.linalg.svd, mt.linalg.det, mt.linalg.slogdet,
                   mt.linalg.pinv, mt.linalg.eigh, mt.linalg.cond,
                   mt.linalg.matrix_rank, lambda v: mt.linalg.lstsq(v, v),
                   lambda v: mt.linalg.solve(v, v),
                   lambda v: mt.linalg.solve(v.astype(np.float64), v)):
            with pytest.raises(TypeError, match="float16"):
                fn(t)
    # numpy's shape checks come before its dtype check.
    v = mt.tensor(np.ones(3, dtype=H))
    for fn in (mt.linalg.inv, mt.linalg.cholesky, mt.linalg.svd,
               mt.linalg.qr, mt.linalg.det):
        with pytest.raises(np.linalg.LinAlgError):
            fn(v)
    with pytest.raises(np.linalg.LinAlgError):
        mt.linalg.inv(mt.tensor(np.ones((2, 3), dtype=H)))
    s = get_session("default")
    assert run(mt.linalg.matrix_rank(v), s) == np.linalg.matrix_rank(
        np.ones(3, dtype=H))
    empty = np.ones((0, 3), dtype=H)
    want = np.linalg.pinv(empty)
    got = run(mt.linalg.pinv(mt.tensor(empty)), s)
    assert got.dtype == want.dtype and got.shape == want.shape
    # numpy's products and norms of float16 work, in float16.
    got = run(mt.linalg.norm(mt.tensor(a)), get_session("default"))
    assert got.dtype == np.linalg.norm(a).dtype


def test_scipy_linalg_of_float16_is_scipys(session):
    sl = pytest.importorskip("scipy.linalg")
    a = np.array([[4, 1, 0], [1, 3, 1], [0, 1, 2]], dtype=H)
    b = np.array([1, 2, 3], dtype=H)
    p, low, up = mt.linalg.lu(mt.tensor(a))
    for got, want in zip((p, low, up), sl.lu(a)):
        got = run(got, session)
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-12)
    for bb in (b, b.astype(np.float64)):
        want = sl.solve_triangular(a, bb, lower=True)
        got = run(mt.linalg.solve_triangular(mt.tensor(a), mt.tensor(bb),
                                             lower=True), session)
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_sparse_matrices_of_float16_are_float32_as_scipys(session):
    sp = pytest.importorskip("scipy.sparse")
    a = np.array([[0, 1.5, 0], [2, 0, 0]], dtype=H)
    want = sp.csr_matrix(a)
    t = mt.tensor(a).tosparse()
    assert t.dtype == want.dtype == np.float32
    np.testing.assert_array_equal(run(t.todense(), session), want.toarray())
    with pytest.raises(TypeError):
        mt.tensor(want).astype(H)
    # scipy matrices holding float16 data (scipy.sparse.eye keeps float16,
    # csr_matrix of float16 data makes float32): float32 tensors.
    for m, dense in ((sp.eye(3, dtype=H, format="csr"), np.eye(3)),
                     (sp.csr_matrix(a), a)):
        t = mt.tensor(m)
        assert t.dtype == np.float32 and t.issparse()
        np.testing.assert_array_equal(run(t.todense(), session),
                                      dense.astype(np.float32))
    t = mt.tensor(want, dtype=H)
    assert t.dtype == np.float32


@pytest.mark.parametrize("name", ["erf", "erfc", "gamma", "gammaln", "expit",
                                  "logit", "erfinv", "digamma"])
def test_scipy_special_of_float16_is_float32_as_scipys(name, session):
    sp = pytest.importorskip("scipy.special")
    from mars.tensor import special
    x = np.array([0.1, 0.5, 0.9, 0.25, 0.75, -0.3, 3.5], dtype=H)
    want = quiet(getattr(sp, name), x)
    got = run(getattr(special, name)(mt.tensor(x, chunk_size=3)), session)
    assert got.dtype == want.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=2e-6, equal_nan=True)
    want = quiet(sp.xlogy, x, x)
    got = run(special.xlogy(mt.tensor(x), mt.tensor(x)), session)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=2e-6, equal_nan=True)


# -- properties (Hypothesis) ---------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(bits=st.lists(st.integers(0, 65535), min_size=1, max_size=60),
       chunk=st.integers(1, 17), op=st.sampled_from(
           ["add", "multiply", "true_divide", "maximum", "subtract"]),
       number=st.sampled_from([0.5, 3, -1e-3, 1000.0, 2.0 ** -20]),
       kind=st.sampled_from(["compiled", "default"]))
def test_float16_binary_ops_match_numpy_bitwise(bits, chunk, op, number,
                                                 kind):
    a = np.array(bits, dtype=np.uint16).view(H)
    fn = getattr(mt, op)
    t = mt.tensor(a, chunk_size=chunk)
    got = run(fn(fn(t, number), t[::-1]), get_session(kind))
    want = quiet(lambda: getattr(np, op)(getattr(np, op)(a, number), a[::-1]))
    bits_equal(got, want)
