"""numpy's integer dtypes int8, int16, uint8, uint16, uint32 and uint64 next
to int32 and int64: promotion (by dtype and by value), wrapping arithmetic,
numpy's integer division, shifts and comparisons at every width and
signedness, reductions' accumulator dtypes, casts with numpy's results for
out-of-range and non-finite floats, and random integers, on both
sessions and several chunkings (ragged last chunks, size-1 chunks)."""

import warnings

import numpy as np
import pytest

import mars.tensor as mt

from helpers import assert_same, get_session, run

INTS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
        "uint64"]
ALL = ["bool"] + INTS + ["float32", "float64"]


def edge_data(dtype, n=41, seed=0):
    """Random values over the dtype's whole range, with 0, 1, 2, the
    extremes and -1 (for signed types) up front."""
    info = np.iinfo(dtype)
    rng = np.random.default_rng(seed)
    v = rng.integers(info.min, info.max, size=n, dtype=dtype, endpoint=True)
    head = [0, 1, 2, info.max, info.min, 7, info.max - 1]
    if info.min < 0:
        head += [-1, info.min + 1]
    v[:len(head)] = np.array(head, dtype=object).astype(dtype)
    return v


def numpy_result(fn, *args, **kwargs):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


@pytest.mark.parametrize("a", ALL)
@pytest.mark.parametrize("b", ALL)
def test_promote_types_is_numpys(a, b):
    assert mt.promote_types(a, b) == np.promote_types(a, b)


@pytest.mark.parametrize("dtype", INTS + ["float32", "float64"])
@pytest.mark.parametrize("value", [0, 1, 100, 127, 128, 200, 255, 256,
                                   40000, 65536, -1, -128, -129, -40000,
                                   2 ** 31, -2 ** 31 - 1, 2 ** 40, 2 ** 63,
                                   2 ** 64 - 1, 1.5, -1.5, 1e300, True])
def test_value_based_promotion_is_numpy_124s(dtype, value):
    a = np.ones(3, dtype)
    expected = numpy_result(np.result_type, a, value)
    assert mt.result_type(mt.tensor(a), value) == expected
    # The same rule in an operation.
    try:
        r = numpy_result(np.add, a, value)
    except OverflowError:
        return
    assert mt.add(mt.tensor(a), value).dtype == r.dtype


BINARY = ["add", "subtract", "multiply", "floor_divide", "remainder", "fmod",
          "maximum", "minimum", "fmax", "fmin", "less", "less_equal",
          "greater", "greater_equal", "equal", "not_equal", "bitwise_and",
          "bitwise_or", "bitwise_xor", "right_shift", "left_shift", "gcd",
          "lcm", "true_divide", "power", "logical_and", "logical_xor"]


def binary_operands(name, dtype):
    a = edge_data(dtype, seed=1)
    b = edge_data(dtype, seed=2)[::-1].copy()
    if name == "power":
        b = (b % 6).astype(dtype)
        if np.dtype(dtype).kind == "i":
            b = np.abs(b).astype(dtype)
    if name in ("left_shift", "right_shift"):
        # Counts in range, and out of range both ways (numpy shifts all out).
        b = (b % (np.dtype(dtype).itemsize * 8 + 3)).astype(dtype)
        if np.dtype(dtype).kind == "i":
            b[::7] = -1
    return a, b


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", INTS)
@pytest.mark.parametrize("kind", ["compiled", "default"])
def test_binary_ops_at_every_width(name, dtype, kind):
    a, b = binary_operands(name, dtype)
    expected = numpy_result(getattr(np, name), a, b)
    for cs in (None, 6, 1):
        t = getattr(mt, name)(mt.tensor(a, chunk_size=cs),
                              mt.tensor(b, chunk_size=cs))
        assert_same(run(t, get_session(kind)), expected)


UNARY = ["negative", "absolute", "sign", "square", "invert", "positive",
         "logical_not", "isnan", "isfinite", "signbit"]


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("dtype", INTS)
@pytest.mark.parametrize("kind", ["compiled", "default"])
def test_unary_ops_at_every_width(name, dtype, kind):
    a = edge_data(dtype)
    expected = numpy_result(getattr(np, name), a)
    t = getattr(mt, name)(mt.tensor(a, chunk_size=5))
    assert_same(run(t, get_session(kind)), expected)


@pytest.mark.parametrize("dtype", INTS)
@pytest.mark.parametrize("kind", ["compiled", "default"])
def test_fused_chain_of_narrow_integers(dtype, kind):
    # Wrapping in the middle of a fused chain, then a comparison and a
    # where: each step is numpy's at the dtype.
    a = edge_data(dtype, n=57)
    b = edge_data(dtype, n=57, seed=3)

    def f(xp, x, y):
        z = (x * y + x) // (y | 1)
        return xp.where(z > x, z - y, x ^ y)

    expected = numpy_result(f, np, a, b)
    t = f(mt, mt.tensor(a, chunk_size=10), mt.tensor(b, chunk_size=10))
    assert_same(run(t, get_session(kind)), expected)


REDUCTIONS = ["sum", "prod", "min", "max", "argmin", "argmax", "mean", "var",
              "std", "cumsum", "cumprod", "any", "all", "count_nonzero",
              "ptp", "median"]


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("dtype", INTS)
@pytest.mark.parametrize("kind", ["compiled", "default"])
def test_reductions_keep_numpys_dtypes(name, dtype, kind):
    a = edge_data(dtype, n=48).reshape(6, 8)
    for axis in (None, 0, 1):
        expected = numpy_result(getattr(np, name), a, axis=axis)
        t = getattr(mt, name)(mt.tensor(a, chunk_size=(4, 3)), axis=axis)
        # Float results of sums of huge integers may differ in the last bits.
        assert_same(run(t, get_session(kind)), expected, rtol=1e-9)


@pytest.mark.parametrize("src", INTS + ["bool"])
@pytest.mark.parametrize("dst", ALL)
@pytest.mark.parametrize("kind", ["compiled", "default"])
def test_astype_between_all(src, dst, kind):
    a = edge_data(src) if src != "bool" else np.arange(20) % 3 == 0
    expected = numpy_result(a.astype, dst)
    t = mt.tensor(a, chunk_size=7).astype(dst)
    assert_same(run(t, get_session(kind)), expected)


SPECIAL_FLOATS = [np.nan, np.inf, -np.inf, -0.0, 0.0, 0.5, -0.5, 300.7, -1.5,
                  1e20, -1e20, 2.0 ** 63 + 4096, 2.0 ** 63, 2.0 ** 64,
                  2.0 ** 31, -2.0 ** 31 - 5, 65535.9, 127.5, -128.9, 255.5,
                  4294967295.0, 4294967296.0, -9.3e18]


@pytest.mark.parametrize("src", ["float32", "float64"])
@pytest.mark.parametrize("dst", INTS)
@pytest.mark.parametrize("kind", ["compiled", "default"])
def test_float_to_integer_casts_give_numpys_bits(src, dst, kind):
    # Out of range and non-finite values are undefined in C; numpy (and
    # Mars) give what x86-64's conversions do. numpy's SIMD loop for uint32
    # gives other bits than its scalar one (which Mars follows), so numpy's
    # results are taken an element at a time.
    f = np.array(SPECIAL_FLOATS, dtype=src)
    expected = np.concatenate(
        [numpy_result(f[i:i + 1].astype, dst) for i in range(len(f))])
    t = mt.tensor(f, chunk_size=4).astype(dst)
    assert_same(run(t, get_session(kind)), expected)


@pytest.mark.parametrize("dtype", INTS)
def test_mixed_signedness_operations(dtype, session):
    a = edge_data(dtype)
    for other in INTS:
        b = edge_data(other, seed=5)
        expected = numpy_result(np.subtract, a, b)
        t = mt.subtract(mt.tensor(a, chunk_size=9), mt.tensor(b, chunk_size=9))
        assert_same(run(t, session), expected)


@pytest.mark.parametrize("dtype", INTS)
def test_python_numbers_with_narrow_arrays(dtype, session):
    a = edge_data(dtype)
    for value in (1, 100, 200, -1, 300, 70000, 2 ** 40, 2 ** 63, 2.5):
        try:
            expected = numpy_result(np.add, a, value)
        except OverflowError:
            continue
        t = mt.add(mt.tensor(a, chunk_size=9), value)
        assert_same(run(t, session), expected)


@pytest.mark.parametrize("dtype", INTS)
def test_randint_in_every_integer_dtype(dtype, session):
    info = np.iinfo(dtype)
    low, high = max(info.min, -50), min(info.max, 200)
    t = mt.random.randint(low, high, size=(1000,), dtype=dtype, chunk_size=300)
    v = run(t, session)
    assert v.dtype == np.dtype(dtype)
    assert v.min() >= low and v.max() < high
    assert len(np.unique(v)) > (high - low) // 2


@pytest.mark.parametrize("dtype", ["int8", "uint8", "uint16"])
def test_randint_range_must_fit_the_dtype(dtype):
    info = np.iinfo(dtype)
    with pytest.raises(ValueError, match="out of bounds for " + dtype):
        mt.random.randint(info.min - 1, 5, size=3, dtype=dtype)
    with pytest.raises(ValueError, match="out of bounds for " + dtype):
        mt.random.randint(0, info.max + 2, size=3, dtype=dtype)


@pytest.mark.parametrize("dtype", INTS)
def test_full_with_python_integers(dtype, session):
    info = np.iinfo(dtype)
    for v in (info.min, info.max, 0):
        assert_same(run(mt.full((3,), int(v), dtype=dtype), session),
                    np.full(3, v, dtype=dtype))
    # Out of range, numpy 1.24's np.full wraps (an unsafe copy).
    for v in (int(info.max) + 1, int(info.min) - 1, -1, 300):
        if -2 ** 63 <= v < 2 ** 64:
            assert_same(run(mt.full((3,), v, dtype=dtype), session),
                        numpy_result(np.full, 3, v, dtype=dtype))


@pytest.mark.parametrize("dtype", INTS)
def test_sort_and_unique_of_every_integer_dtype(dtype, session):
    a = edge_data(dtype, n=60)
    assert_same(run(mt.sort(mt.tensor(a, chunk_size=13)), session), np.sort(a))
    assert_same(run(mt.argsort(mt.tensor(a, chunk_size=13), kind="stable"),
                    session), np.argsort(a, kind="stable"))


@pytest.mark.parametrize("dtype", ["int8", "int16", "uint8", "uint16",
                                   "uint32", "uint64"])
def test_matmul_of_narrow_integers_wraps(dtype, session):
    a = edge_data(dtype, n=24).reshape(4, 6)
    b = edge_data(dtype, n=30, seed=9).reshape(6, 5)
    expected = numpy_result(np.matmul, a, b)
    t = mt.matmul(mt.tensor(a, chunk_size=(2, 4)), mt.tensor(b, chunk_size=(4, 3)))
    assert_same(run(t, session), expected)


def test_numpy_dtype_names_are_exported():
    for name in INTS:
        assert getattr(mt, name) is getattr(np, name)
    for name in ("byte", "short", "intc", "ubyte", "ushort", "uintc", "uint"):
        assert getattr(mt, name) is getattr(np, name)


def test_dtype_utilities_are_numpys():
    u16 = mt.tensor(np.arange(4, dtype=np.uint16))
    assert mt.iinfo(mt.uint8).max == 255 and mt.iinfo(u16.dtype).bits == 16
    assert mt.issubdtype(u16.dtype, mt.unsignedinteger)
    assert not mt.issubdtype(u16.dtype, mt.signedinteger)
    assert mt.issubdtype(mt.tensor(np.ones(2, np.int8)).dtype, mt.integer)
    assert mt.can_cast(mt.tensor(np.ones(2, np.uint8)), np.int16)
    assert not mt.can_cast(u16, np.int16)
    assert mt.can_cast(u16, np.int16, casting="unsafe")
    assert mt.common_type(mt.tensor(np.ones(2, np.int8))) is np.float64
    assert mt.common_type(mt.tensor(np.ones(2, np.float32))) is np.float32
    assert mt.min_scalar_type(300) == np.uint16
    assert mt.finfo(mt.float32).eps == np.finfo(np.float32).eps
    assert not mt.isscalar(u16) and mt.isscalar(3)


@pytest.mark.parametrize("name", ["floor_divide", "remainder", "fmod",
                                  "power", "bitwise_and", "bitwise_or",
                                  "bitwise_xor", "left_shift", "right_shift",
                                  "gcd", "lcm", "add", "maximum"])
@pytest.mark.parametrize("dtype", INTS)
def test_loop_search_ufuncs_type_numbers_as_numpy(name, dtype):
    # numpy resolves floor_divide, remainder, power, the bitwise functions
    # and shifts by trying its loops in order (int16 before uint16), add
    # and maximum by result_type: `uint8 | 300` is int16, `uint8 + 300`
    # uint16.
    a = np.arange(1, 4).astype(dtype)
    for value in (1, 100, 200, 300, 32767, 40000, 65536, -1, 2 ** 31,
                  2 ** 40, 2 ** 63):
        try:
            expected = numpy_result(getattr(np, name), a, value)
        except ValueError:
            continue  # power's negative exponents: checked elsewhere.
        except (TypeError, OverflowError) as e:
            kind = TypeError if isinstance(e, TypeError) else OverflowError
            with pytest.raises(kind):
                getattr(mt, name)(mt.tensor(a), value)
            continue
        assert getattr(mt, name)(mt.tensor(a), value).dtype == expected.dtype


@pytest.mark.parametrize("a", INTS + ["bool"])
@pytest.mark.parametrize("b", INTS + ["bool"])
def test_float_functions_of_integer_pairs(a, b, session):
    # The first float loop both cast to: float16 for bool, int8 and uint8
    # alone, float32 for 16-bit integers, float64 otherwise.
    x = np.arange(1, 5).astype(a)
    y = np.arange(2, 6).astype(b)
    expected = numpy_result(np.arctan2, x, y)
    got = run(mt.arctan2(mt.tensor(x), mt.tensor(y)), session)
    assert got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-3)


# -- properties (Hypothesis) ------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

_EXPRESSIONS = [
    ("x + y * 3", lambda xp, x, y: x + y * 3),
    ("(x - y) // (y | 1)", lambda xp, x, y: (x - y) // (y | 1)),
    ("x % (y | 1) + x", lambda xp, x, y: x % (y | 1) + x),
    ("max(x, y) ^ (x >> 2)", lambda xp, x, y: xp.maximum(x, y) ^ (x >> 2)),
    ("where(x < y, -x, y * y)", lambda xp, x, y: xp.where(x < y, -x, y * y)),
    ("sum(x * y, axis=-1)", lambda xp, x, y: (x * y).sum(axis=-1)),
    ("argmax(x - y, axis=0)", lambda xp, x, y: (x - y).argmax(axis=0)),
    ("cumsum(x, axis=-1) - y", lambda xp, x, y: xp.cumsum(x, axis=-1) - y),
    ("astype(float64) / (y + 1)", lambda xp, x, y: x.astype(np.float64)
     / (y.astype(np.float64) + 1)),
]


@settings(deadline=None, max_examples=60, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data(), dtype=st.sampled_from(INTS),
       other=st.sampled_from(INTS), expr=st.sampled_from(_EXPRESSIONS),
       shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1,
                              max_side=6),
       cs=st.sampled_from([1, 2, 3, None]),
       kind=st.sampled_from(["compiled", "default"]))
def test_integer_expressions_property(data, dtype, other, expr, shape, cs,
                                      kind):
    # Random data over each dtype's whole range (extremes included), two
    # possibly different integer dtypes (numpy's promotion), any chunking.
    x = data.draw(hnp.arrays(dtype, shape))
    y = data.draw(hnp.arrays(other, shape))
    name, fn = expr
    expected = numpy_result(fn, np, x, y)
    got = run(fn(mt, mt.tensor(x, chunk_size=cs), mt.tensor(y, chunk_size=cs)),
              get_session(kind))
    assert_same(got, expected, rtol=1e-12)
