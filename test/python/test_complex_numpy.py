"""complex64 and complex128 tensors, checked against numpy 1.24's documented
semantics on both local sessions and several chunkings (1, 2, 3, 7 and
automatic; ragged last chunks):

* creation (mt.tensor, zeros/ones/full) and casts between complex and every
  real dtype (complex -> real discards the imaginary part, complex -> bool
  is z != 0, int64 -> complex64 rounds once);
* arithmetic with numpy's promotion and numpy 1.24's value-based casting of
  Python and numpy scalars (float32 * 1j is complex64, int8 * 1j is
  complex128, complex64 * 1e300 is complex128); a real operand is cast to
  complex before the complex loop runs, exactly as numpy's ufuncs do;
* real/imag/conj/angle, the complex predicates, numpy's lexicographic
  comparisons (NaN in either part), isnan/isinf/isfinite/logical_not, where;
* reductions (sum, mean, prod, var, std, any, all, count_nonzero, nansum)
  with axis/keepdims, matmul/dot/vdot/tensordot, the shape functions;
* eager mode, and NotImplementedError for the functions Mars does not
  compute for complex numbers (any other function of a complex tensor must
  give numpy's result or raise NotImplementedError, never a different one);
* special values in either part: NaN, +-inf, -0.0, subnormals, huge values;
* a few Hypothesis properties (small, derandomized).

Exact comparisons are bit for bit (so -0.0 differs from 0.0) except that a
NaN equals any NaN. Two numpy details the references work around: numpy
1.24's Python-scalar * complex128-array loop uses fused multiply-adds on
AVX512F machines (see ref_binop), and numpy's 2-d complex matmul is BLAS's
zgemm (infinities are left out of the matmul checks).

The Mars bugs these tests found (non-finite complex scalars' promotion,
0-d complex64 division and nansum widening, mean's complex division,
conj of bool, angle of small integers, linspace with complex endpoints,
the complex dtype names) are fixed; their tests stay as regressions.
"""

import operator
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, HealthCheck, strategies as st
from hypothesis.extra import numpy as hnp

import mars.tensor as mt

from helpers import get_session, run, random_array, SESSION_KINDS, ulp_equal

C64, C128 = np.complex64, np.complex128
CDTYPES = [C64, C128]
CIDS = ["c64", "c128"]
REALS = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
         "uint32", "uint64", "float16", "float32", "float64"]
CHUNKS = [1, 2, 3, 7, None]

# Values used for either part of a complex number.
PARTS = {
    C128: [np.nan, np.inf, -np.inf, -0.0, 0.0, 5e-324, -5e-324, 2.2e-308,
           1e308, -1e308, 1.0, -1.0, 0.5, 3.0, 1 / 3, -2.5, 1e-300],
    C64: [np.nan, np.inf, -np.inf, -0.0, 0.0, 1e-45, -1e-45, 1.2e-38,
          3e38, -3e38, 1.0, -1.0, 0.5, 3.0, 1 / 3, -2.5, 1e-30],
}


# -- helpers -----------------------------------------------------------------

def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def mrun(t, session):
    """run() with numpy's warnings (ComplexWarning, overflow) silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run(t, session)


def make_complex(re, im, dtype):
    """A complex array from its parts (never re + 1j*im, which turns an
    infinite imaginary part into a NaN real part)."""
    re = np.asarray(re)
    z = np.empty(re.shape, dtype=dtype)
    z.real = re
    z.imag = im
    return z


def special_grid(dtype, seed=None):
    """Every (real, imag) pair of PARTS[dtype] (289 values), optionally
    shuffled."""
    dtype = np.dtype(dtype).type
    p = np.array(PARTS[dtype], dtype=np.dtype(dtype).char.lower())
    re, im = np.meshgrid(p, p, indexing="ij")
    z = make_complex(re.ravel(), im.ravel(), dtype)
    if seed is not None:
        z = np.random.default_rng(seed).permutation(z)
    return z


def cdata(shape, dtype=C128, seed=0, special=False, ints=False):
    """Seeded complex data: standard normal parts (or small whole numbers);
    with special=True, special pairs sprinkled over it."""
    rng = np.random.default_rng(seed)
    if ints:
        re = rng.integers(-5, 6, shape).astype(float)
        im = rng.integers(-5, 6, shape).astype(float)
    else:
        re = rng.standard_normal(shape)
        im = rng.standard_normal(shape)
    z = make_complex(re, im, dtype)
    if special and z.size:
        flat = z.reshape(-1)
        g = special_grid(dtype, seed=seed)
        idx = rng.choice(z.size, size=min(z.size, max(1, z.size // 3)),
                         replace=False)
        flat[idx] = g[:idx.size]
    return z


def real_data(shape, dtype, seed=0, special=False):
    a = random_array(shape, dtype, seed=seed)
    if special and np.dtype(dtype).kind == "f" and a.size:
        sp = quiet(np.array, [np.nan, np.inf, -np.inf, -0.0, 0.0, 5e-324,
                              1e308, -1.5, 2.0], dtype=dtype)
        flat = a.reshape(-1)
        k = min(flat.size, sp.size)
        flat[:k] = quiet(lambda: sp[:k])
        a = np.random.default_rng(seed).permutation(flat).reshape(a.shape)
    return a


def _float_bits(a, e, what=""):
    na, ne = np.isnan(a), np.isnan(e)
    assert np.array_equal(na, ne), ("NaN positions differ%s" % what, a, e)
    u = {2: np.uint16, 4: np.uint32, 8: np.uint64}[a.dtype.itemsize]
    ga = np.ascontiguousarray(a[~ne]).view(u)
    ge = np.ascontiguousarray(e[~ne]).view(u)
    bad = np.flatnonzero(ga != ge)
    assert bad.size == 0, ("values differ%s" % what, a[~ne][bad[:6]],
                           e[~ne][bad[:6]])


def same_or_ulp(actual, expected):
    """same(), but a finite nonzero part may be an ulp from numpy's
    (helpers.ulp_equal: numpy's own complex multiply varies by an ulp)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    if expected.dtype.kind != "c":
        return same(actual, expected)
    ulp_equal(actual, expected)


def same(actual, expected):
    """Same dtype, shape and bits (a NaN equals any NaN)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    if expected.dtype.kind == "c":
        _float_bits(actual.real, expected.real, " (real part)")
        _float_bits(actual.imag, expected.imag, " (imaginary part)")
    elif expected.dtype.kind == "f":
        _float_bits(actual, expected)
    else:
        np.testing.assert_array_equal(actual, expected)


def close(actual, expected, rtol=None, atol=0.0):
    """Same dtype and shape; NaNs in the same parts; the rest within rtol
    (1e-5 for complex64/float32, 1e-12 otherwise)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    if rtol is None:
        rtol = 1e-5 if expected.dtype.type in (C64, np.float32) else 1e-12
    if expected.dtype.kind == "c":
        for part in ("real", "imag"):
            pa, pe = getattr(actual, part), getattr(expected, part)
            assert np.array_equal(np.isnan(pa), np.isnan(pe)), (part, actual,
                                                               expected)
            assert np.array_equal(np.isinf(pa), np.isinf(pe)), (part, actual,
                                                               expected)
        a = np.where(np.isnan(actual), 0, actual)
        e = np.where(np.isnan(expected), 0, expected)
        with np.errstate(all="ignore"):
            np.testing.assert_allclose(a, e, rtol=rtol, atol=atol)
    elif expected.dtype.kind == "f":
        with np.errstate(all="ignore"):
            np.testing.assert_allclose(actual, expected, rtol=rtol,
                                       atol=atol, equal_nan=True)
    else:
        np.testing.assert_array_equal(actual, expected)


def ref_binop(f, x, y):
    """numpy's result of f(x, y) for an arithmetic operator, with a scalar
    operand broadcast to a full array first. numpy casts both operands to the
    loop's dtype either way; the broadcast only avoids numpy 1.24's separate
    scalar * complex128-array loop, which on AVX512F machines rounds with
    fused multiply-adds (its last bits differ from numpy's own array * array
    results)."""
    want = quiet(f, x, y)
    if want.dtype.kind != "c":
        return want
    xa, ya = np.broadcast_arrays(np.asarray(x), np.asarray(y))
    got = quiet(f, xa.astype(want.dtype), ya.astype(want.dtype))
    assert got.dtype == want.dtype
    return got


def T(a, cs=None):
    return mt.tensor(np.asarray(a), chunk_size=cs)


# -- creation ----------------------------------------------------------------

SHAPES = [(), (0,), (1,), (9,), (3, 0, 2), (4, 5), (1, 7, 1), (2, 3, 4)]


@pytest.mark.parametrize("dtype", CDTYPES, ids=CIDS)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_tensor_roundtrip(session, chunk_size, dtype, shape):
    a = cdata(shape, dtype, seed=len(shape), special=True)
    t = T(a, chunk_size)
    assert t.dtype == a.dtype and t.shape == a.shape
    same(mrun(t, session), a)


def test_tensor_of_special_grid_roundtrips(session, chunk_size):
    for dt in CDTYPES:
        a = special_grid(dt, seed=1).reshape(17, 17)
        same(mrun(T(a, chunk_size), session), a)


@pytest.mark.parametrize("dtype", CDTYPES + [complex], ids=CIDS + ["complex"])
def test_zeros_ones_full_with_complex_dtype(session, dtype):
    for shape, cs in [((), None), ((0,), None), ((5,), 2), ((3, 4), 3),
                      ((2, 0, 3), None)]:
        same(mrun(mt.zeros(shape, dtype=dtype, chunk_size=cs), session),
             np.zeros(shape, dtype=dtype))
        same(mrun(mt.ones(shape, dtype=dtype, chunk_size=cs), session),
             np.ones(shape, dtype=dtype))
        for v in [1 + 2j, complex(np.nan, -np.inf), -0.0j, 2.5]:
            same(mrun(mt.full(shape, v, dtype=dtype, chunk_size=cs),
                      session),
                 quiet(np.full, shape, v, dtype=dtype))


def test_full_infers_complex_dtype(session):
    cases = [((2, 3), 1 + 2j), ((4,), complex(-0.0, np.inf)),
             ((3,), np.complex64(1 - 2j)), ((2, 2), np.complex128(3j)),
             ((), 5e-324j)]
    for shape, v in cases:
        same(mrun(mt.full(shape, v, chunk_size=2), session),
             np.full(shape, v))
    # complex64 overflow of a fill value beyond float32's range.
    same(mrun(mt.full((3,), 1 + 1e300j, dtype=C64), session),
         quiet(np.full, (3,), 1 + 1e300j, dtype=C64))


def test_tensor_from_python_complex_lists(session):
    for data in ([1 + 2j, 3j, -0.0j], [[1, 2.5], [1j, 0]], 2 - 1j,
                 [complex(np.nan, np.inf), complex(-np.inf, -0.0)]):
        want = np.array(data)
        t = mt.tensor(data, chunk_size=1)
        assert t.dtype == want.dtype
        same(mrun(t, session), want)
    same(mrun(mt.tensor([1 + 2j, 3j], dtype=C64), session),
         np.array([1 + 2j, 3j], dtype=C64))


# -- casts -------------------------------------------------------------------

def _complex_source_for(dst, dtype, seed):
    """Complex data whose real part is representable in dst (NaN and
    infinities only where dst is a float or bool); the imaginary part may be
    anything, since it is discarded."""
    n = 60
    rng = np.random.default_rng(seed)
    kind = np.dtype(dst).kind
    if kind in "fb":
        g = special_grid(dtype, seed=seed)
        return g
    if kind == "u":
        hi = min(np.iinfo(dst).max, 60000)
        re = rng.uniform(0, hi, n)
        re[:3] = [0.0, -0.0, 0.99]
    else:
        lim = min(np.iinfo(dst).max, 30000)
        re = rng.uniform(-lim, lim, n)
        re[:5] = [0.0, -0.0, -0.99, 0.99, -lim]
    im = rng.choice(np.array(PARTS[dtype]), n)
    return make_complex(re, im, dtype)


@pytest.mark.parametrize("dst", REALS)
@pytest.mark.parametrize("dtype", CDTYPES, ids=CIDS)
def test_astype_complex_to_real_discards_imaginary_part(session, dtype, dst):
    a = _complex_source_for(dst, dtype, seed=3)
    for cs in (1, 7, None):
        got = mrun(quiet(T(a, cs).astype, dst), session)
        same(got, quiet(a.astype, dst))


@pytest.mark.parametrize("dst", REALS + ["complex64", "complex128"])
def test_astype_warns_complexwarning_where_numpy_does(dst):
    def categories(fn):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            fn()
        return {x.category for x in w}
    a = np.array([1 + 2j, 3j])
    want = categories(lambda: a.astype(dst))
    got = categories(lambda: mt.tensor(a, chunk_size=1).astype(dst))
    assert (np.ComplexWarning in got) == (np.ComplexWarning in want), (
        got, want)


def test_astype_complex_to_bool_is_nonzero(session):
    a = make_complex([0.0, -0.0, 0.0, -0.0, np.nan, 0.0, 5e-324, 0.0],
                     [0.0, -0.0, -0.0, 0.0, 0.0, np.nan, 0.0, 5e-324], C128)
    want = np.array([False, False, False, False, True, True, True, True])
    same(a.astype(bool), want)
    same(mrun(T(a, 3).astype(bool), session), want)
    b = make_complex(a.real, a.imag, C64)
    b.real[6], b.imag[7] = 1e-45, 1e-45
    same(mrun(T(b, 3).astype(bool), session), want)


@pytest.mark.parametrize("src", REALS)
@pytest.mark.parametrize("dtype", CDTYPES, ids=CIDS)
def test_astype_real_to_complex(session, chunk_size, src, dtype):
    a = real_data((23,), src, seed=5, special=True)
    if np.dtype(src).kind in "iu":
        info = np.iinfo(src)
        a[:2] = [info.min, info.max]
        if src == "int64":
            # rounds once to float32 (2**60 + 2**37), not through float64
            a[2] = 2 ** 60 + 2 ** 36 + 1
        if src == "uint64":
            a[2] = 2 ** 63 + 2 ** 39 + 1
    same(mrun(T(a, chunk_size).astype(dtype), session),
         quiet(a.astype, dtype))


def test_astype_between_complex_dtypes(session, chunk_size):
    a = special_grid(C128, seed=7)
    b = special_grid(C64, seed=8)
    same(mrun(T(a, chunk_size).astype(C64), session), quiet(a.astype, C64))
    same(mrun(T(b, chunk_size).astype(C128), session), b.astype(C128))
    same(mrun(T(b, chunk_size).astype(C64), session), b)
    # rounding to nearest even in each part
    c = make_complex([1 + 2 ** -24, 1 + 3 * 2 ** -24, 1e-46, 3.5e38],
                     [-(1 + 2 ** -24), 1 + 2 ** -25, -1e-46, -3.5e38], C128)
    same(mrun(T(c, 2).astype(C64), session), quiet(c.astype, C64))


@pytest.mark.parametrize("other", REALS + ["complex64", "complex128"])
@pytest.mark.parametrize("dtype", CDTYPES, ids=CIDS)
def test_promote_types_and_result_type(dtype, other):
    assert mt.promote_types(dtype, other) == np.promote_types(dtype, other)
    assert mt.promote_types(other, dtype) == np.promote_types(other, dtype)
    assert mt.result_type(dtype, other) == np.result_type(dtype, other)


# -- arithmetic --------------------------------------------------------------

BINOPS = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul,
    "div": operator.truediv,
}
UFUNCS = {"add": "add", "sub": "subtract", "mul": "multiply",
          "div": "true_divide"}


@pytest.mark.parametrize("op", list(BINOPS))
@pytest.mark.parametrize("dtype", CDTYPES, ids=CIDS)
def test_binary_ops_on_every_special_pair(session, chunk_size, dtype, op):
    a = special_grid(dtype).reshape(17, 17)
    b = special_grid(dtype, seed=11).reshape(17, 17)
    f = BINOPS[op]
    check = same_or_ulp if op in ("mul", "div") else same
    check(mrun(f(T(a, chunk_size), T(b, chunk_size)), session),
          quiet(f, a, b))
    # every pair against one column of the grid (broadcast)
    c = a[:, 5:6]
    g = getattr(mt, UFUNCS[op])
    check(mrun(g(T(c, chunk_size), T(a, 3)), session),
          quiet(getattr(np, UFUNCS[op]), c, a))


MIXED = [("complex64", "complex128"), ("complex128", "complex64"),
         ("complex64", "float64"), ("float32", "complex64"),
         ("complex64", "float16"), ("complex128", "int32"),
         ("int8", "complex64"), ("complex64", "int64"),
         ("bool", "complex128"), ("uint16", "complex64"),
         ("complex128", "uint64"), ("float64", "complex128")]


# (divisions compile slowly: half of the pairs)
MIXED_DIV = {("complex64", "complex128"), ("float32", "complex64"),
             ("complex64", "float64"), ("complex128", "int32"),
             ("int8", "complex64"), ("complex64", "float16")}
MIXED_CASES = [(da, db, op) for da, db in MIXED for op in BINOPS
               if op != "div" or (da, db) in MIXED_DIV]


@pytest.mark.parametrize("da,db,op", MIXED_CASES,
                         ids=["%s-%s-%s" % c for c in MIXED_CASES])
def test_binary_ops_mixed_dtypes_broadcast(session, da, db, op):
    def data(dt, shape, seed):
        if np.dtype(dt).kind == "c":
            return cdata(shape, dt, seed=seed, special=True)
        return real_data(shape, dt, seed=seed, special=True)
    a = data(da, (4, 1, 6), 1)
    b = data(db, (5, 6), 2)
    f = BINOPS[op]
    want = quiet(f, a, b)
    t = f(T(a, 2), T(b, 3))
    assert t.dtype == want.dtype
    (same_or_ulp if op in ("mul", "div") else same)(mrun(t, session), want)


SCALARS = [1j, -2.5j, 2.5, 3, -1, 0, 1e300, 1 + 1e40j, complex(np.nan, 1),
           complex(0, np.inf), np.float64(2.0), np.float32(0.5),
           np.complex64(1 - 2j), np.complex128(1e300j), np.int8(3),
           np.uint8(200), np.int64(-7), np.float16(1.5)]
# numpy 1.24's min_scalar_type keeps a complex scalar with a NaN or
# infinite part as complex128 (its range check `-3.4e38 < part < 3.4e38`
# fails), so complex64 array + complex(nan, 1) is complex128.
SCALAR_PARAMS = [pytest.param(v, id=repr(v)) for v in SCALARS]
ARRAY_DTYPES = ["complex64", "complex128", "float16", "float32", "float64",
                "int8", "uint8", "int16", "int64", "uint64", "bool"]


@pytest.mark.parametrize("scalar", SCALAR_PARAMS)
def test_scalar_promotion_is_numpy_124_value_based(scalar):
    bad = []
    for dt in ARRAY_DTYPES:
        a = np.ones(3, dtype=dt)
        t = mt.ones(3, dtype=dt)
        for name, f in BINOPS.items():
            for refl in (False, True):
                want = quiet(lambda: f(scalar, a) if refl else f(a, scalar))
                got = f(scalar, t) if refl else f(t, scalar)
                if not isinstance(got, mt.Tensor) or got.dtype != want.dtype:
                    bad.append((dt, name, refl, getattr(got, "dtype", got),
                                want.dtype))
    assert not bad, bad


def test_documented_value_based_examples():
    assert (mt.ones(2, dtype="float32") * 1j).dtype == np.complex64
    assert (mt.ones(2, dtype="int8") * 1j).dtype == np.complex128
    assert (mt.ones(2, dtype=C64) * 1e300).dtype == np.complex128
    assert (mt.ones(2, dtype=C64) * 2.0).dtype == np.complex64
    assert (1j * mt.ones(2, dtype="float16")).dtype == np.complex64
    assert (mt.ones(2, dtype="float64") + np.complex64(1j)).dtype == C128


# (each scalar compiles its own kernels: a subset of SCALARS)
VALUE_SCALARS = [p for p in SCALAR_PARAMS if p.id in {
    "1j", "2.5", "3", "1e+300", "(1+1e+40j)", "(nan+1j)", "0.5", "(1-2j)",
    "1e+300j", "200", "-1"}]


@pytest.mark.parametrize("scalar", VALUE_SCALARS)
def test_scalar_operand_values(session, scalar):
    for dt, cs in [("complex64", 2), ("complex128", 3), ("float32", None),
                   ("int8", 7)]:
        if np.dtype(dt).kind == "c":
            a = special_grid(np.dtype(dt).type, seed=2)[:40]
        else:
            a = real_data((40,), dt, seed=2, special=True)
        # the eight results (four operators, either side) in one program
        wants, gots = [], []
        for name, f in BINOPS.items():
            for refl in (False, True):
                want = ref_binop(f, scalar, a) if refl else \
                    ref_binop(f, a, scalar)
                if want.dtype.kind != "c":
                    continue
                t = T(a, cs)
                got = f(scalar, t) if refl else f(t, scalar)
                assert got.dtype == want.dtype, (name, refl)
                wants.append(want)
                gots.append(got)
        if wants:
            same_or_ulp(mrun(mt.stack(gots), session), np.stack(wants))


def test_complex_times_real_casts_the_real_operand_first(session):
    # numpy casts the float to complex (imag 0) and runs the complex loop:
    # (1 + inf j) * 2.0 = (1*2 - inf*0) + (1*0 + inf*2) j = nan + inf j,
    # (-0.0 j) + 1.0 has imaginary part -0.0 + 0.0 = +0.0.
    z = make_complex([1.0, 0.0, 2.0], [np.inf, -0.0, 1.0], C128)
    r = np.array([2.0, 1.0, np.inf])
    for f in (operator.mul, operator.add, operator.truediv):
        same_or_ulp(mrun(f(T(z, 2), T(r, 2)), session), quiet(f, z, r))
        same_or_ulp(mrun(f(T(r, 2), T(z, 2)), session), quiet(f, r, z))


def test_complex_divided_by_real_uses_numpys_division(session):
    # numpy divides by the complex value (x + 0j): it multiplies by 1/x
    z = cdata((200,), C128, seed=4)
    r = np.random.default_rng(4).uniform(0.5, 10, 200)
    same(mrun(T(z, 7) / T(r, 7), session), z / r)
    same(mrun(T(z, 7) / 3.0, session), z / 3.0)
    same(mrun(T(z.astype(C64), 7) / 3.0, session), z.astype(C64) / 3.0)


def test_divide_by_zero(session):
    z = make_complex([1.0, 0.0, -1.0, np.nan, 0.0, np.inf],
                     [1.0, 0.0, 0.0, 0.0, -1.0, 0.0], C128)
    zero = np.zeros(6, dtype=C128)
    same(mrun(T(z, 2) / T(zero, 2), session), quiet(np.divide, z, zero))
    nz = make_complex(np.zeros(6), -np.zeros(6), C128)
    same(mrun(T(z, 4) / T(nz, 4), session), quiet(np.divide, z, nz))
    same(mrun(T(z, 4) / 0.0, session), quiet(np.divide, z, 0.0))
    same(mrun(T(z, 4) / 0, session), quiet(np.divide, z, 0))


ZERO_D = [("complex64", "complex64"), ("complex128", "complex64"),
          ("complex64", "float32"), ("int8", "complex64"),
          ("complex64", "float64"), ("complex128", "int64")]


@pytest.mark.parametrize("op", list(BINOPS))
@pytest.mark.parametrize("da,db", ZERO_D, ids=["-".join(p) for p in ZERO_D])
def test_0d_operands(session, da, db, op):
    f = BINOPS[op]
    a = np.array(1.5 - 2j).astype(da) if da.startswith("c") else \
        np.array(3).astype(da)
    b = np.array(-0.5 + 4j).astype(db) if db.startswith("c") else \
        np.array(2).astype(db)
    v = np.arange(3).astype(db) + (1j if db.startswith("c") else 0)
    for x, y in [(a, b), (a, v), (v, a)]:
        want = quiet(f, x, y)
        t = f(T(x), T(y, 2))
        if op == "div" and x.ndim == 0 and y.ndim == 0:
            # a 0-d by 0-d true_divide: test_0d_true_divide_dtype
            same(mrun(t, session).astype(want.dtype), want)
            continue
        assert t.dtype == want.dtype, (t.dtype, want.dtype)
        same(mrun(t, session), want)


@pytest.mark.parametrize("db", ["complex64", "float32", "int8"])
def test_0d_true_divide_dtype(session, db):
    a = np.array(1 + 1j, dtype=C64)
    b = np.array(2, dtype=db)
    assert (a / b).dtype == C64
    t = T(a) / T(b)
    assert t.dtype == C64, t.dtype
    same(mrun(t, session), a / b)


UNARY_EXACT = {
    "negative": lambda xp, x: xp.negative(x),
    "neg-op": lambda xp, x: -x,
    "positive": lambda xp, x: xp.positive(x),
    "pos-op": lambda xp, x: +x,
    "square": lambda xp, x: xp.square(x),
    "conj": lambda xp, x: xp.conj(x),
    "conjugate": lambda xp, x: xp.conjugate(x),
    "conj-method": lambda xp, x: x.conj(),
    "real": lambda xp, x: xp.real(x),
    "imag": lambda xp, x: xp.imag(x),
    "real-attr": lambda xp, x: x.real,
    "imag-attr": lambda xp, x: x.imag,
    "isnan": lambda xp, x: xp.isnan(x),
    "isinf": lambda xp, x: xp.isinf(x),
    "isfinite": lambda xp, x: xp.isfinite(x),
    "logical_not": lambda xp, x: xp.logical_not(x),
    "iscomplex": lambda xp, x: xp.iscomplex(x),
    "isreal": lambda xp, x: xp.isreal(x),
}
UNARY_CLOSE = {
    "absolute": lambda xp, x: xp.absolute(x),
    "abs": lambda xp, x: xp.abs(x),
    "abs-builtin": lambda xp, x: abs(x),
    "angle": lambda xp, x: xp.angle(x),
    "angle-deg": lambda xp, x: xp.angle(x, deg=True),
    "reciprocal": lambda xp, x: xp.reciprocal(x),
}


@pytest.mark.parametrize("fn", list(UNARY_EXACT))
@pytest.mark.parametrize("dtype", CDTYPES, ids=CIDS)
def test_unary_exact_on_special_values(session, dtype, fn):
    f = UNARY_EXACT[fn]
    a = special_grid(dtype, seed=3).reshape(17, 17)
    for cs in (1, 3, None):
        same(mrun(f(mt, T(a, cs)), session), quiet(f, np, a))
    for shape in [(), (0,), (1, 1), (2, 0, 3)]:
        b = cdata(shape, dtype, seed=9, special=True)
        same(mrun(f(mt, T(b, 2)), session), quiet(f, np, b))


@pytest.mark.parametrize("fn", list(UNARY_CLOSE))
@pytest.mark.parametrize("dtype", CDTYPES, ids=CIDS)
def test_unary_close_on_special_values(session, dtype, fn):
    f = UNARY_CLOSE[fn]
    a = special_grid(dtype, seed=3).reshape(17, 17)
    if fn == "reciprocal":
        # results beyond the normal range round differently in any formula
        keep = np.abs(a) < 1e300 if dtype == C128 else np.abs(a) < 1e36
        keep &= (np.abs(a) > 1e-300) if dtype == C128 else np.abs(a) > 1e-36
        a = np.where(keep | ~np.isfinite(a), a, 1 + 1j)
    for cs in (2, 7, None):
        close(mrun(f(mt, T(a, cs)), session), quiet(f, np, a))
    b = cdata((), dtype, seed=2)
    close(mrun(f(mt, T(b)), session), quiet(f, np, b))


@pytest.mark.parametrize("dt", ["float32", "float64", "int8", "int64",
                                "bool", "float16", "uint32"])
def test_complex_functions_of_real_tensors(session, dt):
    a = real_data((11,), dt, seed=6, special=True)
    fns = {
        "real": lambda xp, x: xp.real(x), "imag": lambda xp, x: xp.imag(x),
        "conj": lambda xp, x: xp.conj(x),
        "iscomplex": lambda xp, x: xp.iscomplex(x),
        "isreal": lambda xp, x: xp.isreal(x),
        "real-attr": lambda xp, x: x.real, "imag-attr": lambda xp, x: x.imag,
    }
    if dt == "bool":
        del fns["conj"]  # test_conj_of_bool_is_int8
    if dt not in ("int8", "uint8", "int16"):
        # (numpy's angle of int8/uint8/int16: test_angle_of_small_ints)
        fns["angle"] = lambda xp, x: xp.angle(x)
        fns["angle-deg"] = lambda xp, x: xp.angle(x, deg=True)
    for name, f in fns.items():
        want = quiet(f, np, a)
        got = mrun(f(mt, T(a, 3)), session)
        if name.startswith("angle"):
            close(got, want)
        else:
            same(got, want)


def test_conj_of_bool_is_int8(session):
    a = np.array([True, False, True])
    assert np.conj(a).dtype == np.int8
    same(mrun(mt.conj(T(a, 2)), session), np.conj(a))


@pytest.mark.parametrize("dt", ["int8", "uint8", "int16"])
def test_angle_of_small_ints(session, dt):
    a = np.array([-3, 0, 5]).astype(dt)
    same(mrun(mt.angle(T(a, 2)), session), np.angle(a))


def test_iscomplexobj_isrealobj():
    for dt in REALS + ["complex64", "complex128"]:
        a = np.zeros(3, dtype=dt)
        t = T(a, 2)
        assert mt.iscomplexobj(t) is np.iscomplexobj(a), dt
        assert mt.isrealobj(t) is np.isrealobj(a), dt
    # a complex tensor whose imaginary parts are all zero is still complex
    t = T(np.array([1 + 0j, 2 + 0j]))
    assert mt.iscomplexobj(t) is True and mt.isrealobj(t) is False


def test_angle_of_special_values_exact_quadrants(session):
    z = make_complex([0.0, -0.0, 0.0, -0.0, -1.0, -1.0, np.inf, -np.inf],
                     [0.0, 0.0, -0.0, -0.0, 0.0, -0.0, np.inf, -np.inf], C128)
    same(mrun(mt.angle(T(z, 3)), session), np.angle(z))
    close(mrun(mt.angle(T(z.astype(C64), 3), deg=True), session),
          np.angle(z.astype(C64), deg=True))


# -- comparisons, where ------------------------------------------------------

CMPS = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt,
        "le": operator.le, "gt": operator.gt, "ge": operator.ge}


@pytest.mark.parametrize("op", list(CMPS))
@pytest.mark.parametrize("dtype", CDTYPES, ids=CIDS)
def test_comparisons_lexicographic_with_special_values(session, dtype, op):
    f = CMPS[op]
    a = special_grid(dtype).reshape(17, 17)
    for seed, cs in [(None, 2), (5, 7)]:
        b = special_grid(dtype, seed=seed).reshape(17, 17)
        if seed is None:
            b = b.T.copy()
        same(mrun(f(T(a, cs), T(b, 3)), session), quiet(f, a, b))
    # against every other value of the grid via broadcasting
    col = a.reshape(-1, 1)[::7]
    row = a.reshape(1, -1)
    same(mrun(f(T(col, 5), T(row, 50)), session), quiet(f, col, row))


@pytest.mark.parametrize("op", list(CMPS))
def test_comparisons_complex_with_real_and_scalars(session, op):
    f = CMPS[op]
    z = special_grid(C64, seed=1)[:60]
    r = real_data((60,), "float64", seed=1, special=True)
    i = random_array((60,), "int16", seed=2)
    same(mrun(f(T(z, 7), T(r, 7)), session), quiet(f, z, r))
    same(mrun(f(T(i, 2), T(z, 3)), session), quiet(f, i, z))
    for s in [1.0, 1j, complex(1, np.nan), 0, np.float32(-2.5),
              np.complex128(3 + 0j)]:
        same(mrun(f(T(z, 7), s), session), quiet(f, z, s))
        same(mrun(f(s, T(z, 7)), session), quiet(f, s, z))


def test_named_comparison_functions(session):
    a = special_grid(C128, seed=2)
    b = special_grid(C128, seed=3)
    for name in ["equal", "not_equal", "less", "less_equal", "greater",
                 "greater_equal"]:
        same(mrun(getattr(mt, name)(T(a, 7), T(b, 7)), session),
             quiet(getattr(np, name), a, b))


WHERE_CASES = [("complex64", "complex64"), ("complex64", "complex128"),
               ("complex128", "float32"), ("int8", "complex64"),
               ("complex64", "float64"), ("bool", "complex128")]


@pytest.mark.parametrize("da,db", WHERE_CASES,
                         ids=["-".join(p) for p in WHERE_CASES])
def test_where(session, chunk_size, da, db):
    def data(dt, shape, seed):
        if np.dtype(dt).kind == "c":
            return cdata(shape, dt, seed=seed, special=True)
        return real_data(shape, dt, seed=seed, special=True)
    cond = np.random.default_rng(0).random((3, 1, 5)) < 0.5
    a = data(da, (4, 5), 1)
    b = data(db, (3, 4, 1), 2)
    same(mrun(mt.where(T(cond, chunk_size), T(a, chunk_size), T(b, 2)),
              session), np.where(cond, a, b))


def test_where_with_scalars_and_complex_condition(session):
    cond = np.array([True, False, True, False, True])
    z = special_grid(C64, seed=4)[:5]
    for s in [0, 1.0, 1j, np.float64(2.0), complex(1e-300, -0.0), -2]:
        same(mrun(mt.where(T(cond, 2), T(z, 2), s), session),
             np.where(cond, z, s))
        same(mrun(mt.where(T(cond, 2), s, T(z, 3)), session),
             np.where(cond, s, z))
    # a complex condition is z != 0
    c = make_complex([0.0, -0.0, np.nan, 0.0, 1.0], [0.0, 0.0, 0.0, 1e-300,
                                                     0.0], C128)
    same(mrun(mt.where(T(c, 2), 1, 2), session), np.where(c, 1, 2))


def test_where_with_nonfinite_complex_scalar_is_complex128(session):
    cond = np.array([True, False, True])
    z = np.array([1 + 2j, 3j, -1], dtype=C64)
    s = complex(np.nan, -0.0)
    assert np.where(cond, z, s).dtype == C128
    same(mrun(mt.where(T(cond, 2), T(z, 2), s), session),
         np.where(cond, z, s))


def test_nonfinite_complex_scalar_promotes_to_complex128(session):
    z = np.array([1 + 2j, 3j], dtype=C64)
    for s in [complex(np.nan, 1), complex(0, np.inf)]:
        want = quiet(np.add, z, s)
        assert want.dtype == C128
        same(mrun(T(z) + s, session), want)


# -- reductions --------------------------------------------------------------

RED = {
    "sum": (lambda xp, x, **k: xp.sum(x, **k), True),
    # (mean of NaN/infinite parts: test_mean_of_nonfinite_values)
    "mean": (lambda xp, x, **k: xp.mean(x, **k), False),
    "prod": (lambda xp, x, **k: xp.prod(x, **k), False),
    "var": (lambda xp, x, **k: xp.var(x, **k), False),
    "std": (lambda xp, x, **k: xp.std(x, **k), False),
    "var-ddof1": (lambda xp, x, **k: xp.var(x, ddof=1, **k), False),
    "std-ddof1": (lambda xp, x, **k: xp.std(x, ddof=1, **k), False),
    "nansum": (lambda xp, x, **k: xp.nansum(x, **k), True),
    "any": (lambda xp, x, **k: xp.any(x, **k), True),
    "all": (lambda xp, x, **k: xp.all(x, **k), True),
    "count_nonzero": (lambda xp, x, **k: xp.count_nonzero(x, **k), True),
    "sum-method": (lambda xp, x, **k: x.sum(**k), True),
    "mean-method": (lambda xp, x, **k: x.mean(**k), False),
}
AXES = [None, 0, 1, -1, (0, 2)]


def _reduction_data(dtype, fn, shape=(3, 4, 5), seed=0):
    special = RED[fn][1]
    if fn.startswith(("any", "all", "count")):
        # many zeros (and -0.0) so that any/all see both outcomes
        z = cdata(shape, dtype, seed=seed, special=True)
        rng = np.random.default_rng(seed)
        zero = rng.random(shape) < 0.4
        z[zero] = make_complex(np.full(zero.sum(), -0.0),
                               np.zeros(zero.sum()), dtype)
        if fn == "all":
            z[:, 1] = 1 + 0j
        return z
    if special:
        z = cdata(shape, dtype, seed=seed)
        # NaN/infinities in either part, and signed zeros and subnormals
        # (no huge values, whose sums overflow depending on the order)
        vals = [complex(np.nan, 0), complex(0, np.nan), complex(np.inf, 1),
                complex(1, -np.inf), complex(-0.0, -0.0), complex(5e-324, 0)]
        flat = z.reshape(-1)
        idx = np.random.default_rng(seed).choice(flat.size, 5, replace=False)
        flat[idx] = np.array(vals[:5], dtype=dtype)
        if fn.startswith("nansum"):
            flat[idx[:2]] = np.array([complex(np.nan, 1), complex(2, np.nan)])
        return z
    # products of unit-modulus-ish values stay in range
    rng = np.random.default_rng(seed)
    theta = rng.uniform(-np.pi, np.pi, shape)
    r = rng.uniform(0.8, 1.25, shape)
    return (r * np.exp(1j * theta)).astype(dtype)


@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("fn", list(RED))
@pytest.mark.parametrize("dtype", CDTYPES, ids=CIDS)
def test_reductions(session, dtype, fn, axis):
    f = RED[fn][0]
    a = _reduction_data(dtype, fn)
    cs = CHUNKS[(sum(map(ord, fn)) + len(str(axis))) % 5]
    for keepdims in (False, True):
        kw = {"axis": axis, "keepdims": keepdims}
        want = np.asarray(quiet(f, np, a, **kw))
        got = mrun(f(mt, T(a, cs), **kw), session)
        if fn.startswith("count") and want.dtype != got.dtype:
            # numpy's count_nonzero without an axis returns a Python int
            assert axis is None and got.dtype.kind in "iu", got.dtype
            want = want.astype(got.dtype)
        close(got, want)


@pytest.mark.parametrize("fn", list(RED))
def test_reductions_of_empty_size1_and_0d(session, fn):
    f = RED[fn][0]
    cases = [((0, 3), 0), ((0, 3), 1), ((0, 3), None), ((1, 4), 0),
             ((4, 1), 1), ((), None), ((1,), None)]
    for shape, axis in cases:
        if fn.endswith("ddof1") and shape in [(), (1,)]:
            continue
        if fn == "nansum" and shape == ():
            continue  # test_nansum_of_0d_complex64_keeps_dtype
        a = cdata(shape, C64, seed=3, ints=True)
        want = np.asarray(quiet(f, np, a, axis=axis))
        got = mrun(quiet(f, mt, T(a, 2), axis=axis), session)
        if fn.startswith("count") and want.dtype != got.dtype:
            assert axis is None and got.dtype.kind in "iu", got.dtype
            want = want.astype(got.dtype)
        close(got, want)


def test_sum_over_count_of_nonfinite_values_is_numpys_mean(session):
    # numpy's mean is true_divide(sum, count): the count is cast to complex
    # and numpy's complex division computes (re + im*0) / n, (im - re*0) / n,
    # so a NaN or infinite part makes the other part NaN; Mars's own
    # sum / count does the same (checked here), its mean does not.
    z = make_complex([[0.0, 1.0, 2.0], [np.nan, 1.0, 2.0], [1.0, np.inf, 0.0]],
                     [[np.nan, 1.0, 0.0], [0.0, 1.0, 2.0], [1.0, 0.0, 0.0]],
                     C128)
    same(mrun(mt.sum(T(z, 2), axis=1) / 3, session), quiet(np.mean, z, axis=1))
    same(mrun(mt.sum(T(z, 2)) / 9, session), quiet(np.mean, z))


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_mean_of_nonfinite_values(session, axis):
    z = make_complex([[0.0, 1.0], [2.0, 3.0]], [[np.nan, 1.0], [0.0, 1.0]],
                     C128)
    close(mrun(mt.mean(T(z, 1), axis=axis), session),
          quiet(np.mean, z, axis=axis))


def test_nansum_of_0d_complex64_keeps_dtype(session):
    z = np.array(3 - 5j, dtype=C64)
    assert np.nansum(z).dtype == C64
    same(mrun(mt.nansum(T(z)), session), np.nansum(z))


def test_var_std_of_complex_are_real(session):
    a = cdata((6, 7), C64, seed=4)
    b = cdata((6, 7), C128, seed=5)
    for x in (a, b):
        for ddof in (0, 1, 2):
            for f in ("var", "std"):
                want = getattr(np, f)(x, axis=1, ddof=ddof)
                t = getattr(mt, f)(T(x, 3), axis=1, ddof=ddof)
                assert t.dtype == want.dtype
                close(mrun(t, session), want)


def test_sum_of_integer_valued_complex_is_exact(session, chunk_size):
    a = cdata((5, 6, 7), C128, seed=9, ints=True)
    for axis in (None, 0, 1, 2, (0, 1)):
        same(mrun(mt.sum(T(a, chunk_size), axis=axis), session),
             np.sum(a, axis=axis))
        same(mrun(mt.sum(T(a.astype(C64), chunk_size), axis=axis), session),
             np.sum(a.astype(C64), axis=axis))


# -- matmul, dot, vdot, tensordot ------------------------------------------

MATMUL_SHAPES = [((3, 4), (4, 5)), ((4,), (4, 3)), ((3, 4), (4,)),
                 ((6,), (6,)), ((2, 3, 4), (4, 2)), ((2, 1, 3, 4), (5, 4, 2)),
                 ((0, 3), (3, 2)), ((3, 0), (0, 2)), ((1, 1), (1, 1))]
MATMUL_DTYPES = [("complex128", "complex128"), ("complex64", "complex64"),
                 ("complex64", "complex128"), ("complex64", "float32"),
                 ("float64", "complex64"), ("complex128", "int32"),
                 ("int8", "complex64"), ("bool", "complex64")]


def _mm_data(dt, shape, seed, ints=True):
    if np.dtype(dt).kind == "c":
        return cdata(shape, dt, seed=seed, ints=ints)
    return random_array(shape, dt, seed=seed, int_bound=5)


@pytest.mark.parametrize("da,db", MATMUL_DTYPES,
                         ids=["-".join(p) for p in MATMUL_DTYPES])
def test_matmul(session, da, db):
    # every shape pair with two of the chunk sizes (rotating)
    for i, (sa, sb) in enumerate(MATMUL_SHAPES):
        a = _mm_data(da, sa, 1)
        b = _mm_data(db, sb, 2)
        want = a @ b
        cs = CHUNKS[i % 5]
        t = T(a, cs) @ T(b, cs)
        assert t.dtype == want.dtype
        close(mrun(t, session), want)
        cs2 = CHUNKS[(i + len(da) + len(db)) % 5]
        close(mrun(mt.matmul(T(a, cs2), T(b, cs2 and cs2 + 1)), session),
              want)


@pytest.mark.parametrize("dtype", CDTYPES, ids=CIDS)
def test_matmul_float_data(session, chunk_size, dtype):
    a = cdata((2, 7, 9), dtype, seed=3)
    b = cdata((9, 4), dtype, seed=4)
    want = a @ b
    atol = 1e-4 if dtype == C64 else 1e-12
    close(mrun(T(a, chunk_size) @ T(b, chunk_size), session), want,
          atol=atol)


def test_matmul_propagates_nan(session):
    a = make_complex([[np.nan, 1.0], [1.0, 1.0]], [[0.0, 0.0], [0.0, 0.0]],
                     C128)
    b = make_complex([[1.0, 2.0], [3.0, 4.0]], [[0.0, 1.0], [0.0, 1.0]],
                     C128)
    close(mrun(T(a, 1) @ T(b, 1), session), a @ b)
    close(mrun(T(b, 2) @ T(a, 1), session), b @ a)
    # (infinities are left out: numpy's 2-d complex matmul is BLAS's zgemm,
    # whose handling of inf * 0 is the BLAS library's own)


@pytest.mark.parametrize("da,db", MATMUL_DTYPES[:6],
                         ids=["-".join(p) for p in MATMUL_DTYPES[:6]])
def test_dot_vdot_tensordot(session, da, db):
    for sa, sb in [((5,), (5,)), ((3, 4), (4, 2)), ((4,), (4, 3)),
                   ((2, 3, 4), (4, 5)), ((2, 3, 4), (5, 4, 2))]:
        a = _mm_data(da, sa, 3)
        b = _mm_data(db, sb, 4)
        close(mrun(mt.dot(T(a, 2), T(b, 3)), session), np.dot(a, b))
        close(mrun(T(a, 2).dot(T(b, 3)), session), a.dot(b))
    for sa, sb in [((6,), (6,)), ((2, 3), (3, 2)), ((2, 3), (6,)),
                   ((0,), (0,))]:
        a = _mm_data(da, sa, 5)
        b = _mm_data(db, sb, 6)
        close(mrun(mt.vdot(T(a, 2), T(b, 4)), session), np.vdot(a, b))
        close(mrun(mt.vdot(T(b, 3), T(a, 1)), session), np.vdot(b, a))
    a = _mm_data(da, (3, 4, 5), 7)
    b = _mm_data(db, (4, 3, 2), 8)
    c = _mm_data(db, (5, 2), 9)
    close(mrun(mt.tensordot(T(a, 2), T(b, 3), axes=([0, 1], [1, 0])),
               session), np.tensordot(a, b, axes=([0, 1], [1, 0])))
    close(mrun(mt.tensordot(T(a, 3), T(c, 2), axes=1), session),
          np.tensordot(a, c, axes=1))
    close(mrun(mt.tensordot(T(a, 3), T(a, 7), axes=0), session),
          np.tensordot(a, a, axes=0))


def test_vdot_conjugates_the_first_argument(session):
    a = np.array([1 + 2j, 3 - 1j])
    b = np.array([2 - 1j, 1j])
    got = mrun(mt.vdot(T(a, 1), T(b, 1)), session)
    assert np.vdot(a, b) != np.dot(a, b)
    same(got, np.vdot(a, b))


# -- shape functions ---------------------------------------------------------

SHAPE_FNS = {
    "transpose": lambda xp, x: xp.transpose(x),
    "transpose-axes": lambda xp, x: xp.transpose(x, (1, 2, 0)),
    "T": lambda xp, x: x.T,
    "reshape": lambda xp, x: xp.reshape(x, (5, 12)),
    "reshape-method": lambda xp, x: x.reshape(-1, 2),
    "slice": lambda xp, x: x[1:, ::2, -2::-1],
    "int-index": lambda xp, x: x[2, :, 1],
    "scalar-index": lambda xp, x: x[1, 2, 3],
    "newaxis": lambda xp, x: x[:, None, 1:3],
    "flip": lambda xp, x: xp.flip(x, axis=1),
    "flip-all": lambda xp, x: xp.flip(x),
    "broadcast_to": lambda xp, x: xp.broadcast_to(x[:, :1, :], (2, 3, 4, 5)),
    "expand_dims": lambda xp, x: xp.expand_dims(x, 1),
    "squeeze": lambda xp, x: xp.squeeze(x[:1, :, 2:3]),
    "tril": lambda xp, x: xp.tril(x, k=1),
    "triu": lambda xp, x: xp.triu(x, k=-1),
    "concatenate": lambda xp, x: xp.concatenate([x, x[:1], -x], axis=0),
    "concatenate-ax2": lambda xp, x: xp.concatenate([x, x[..., :2]], axis=2),
    "stack": lambda xp, x: xp.stack([x, x.conj()], axis=1),
    "swapaxes": lambda xp, x: xp.swapaxes(x, 0, 2),
    "ravel": lambda xp, x: xp.ravel(x),
}


@pytest.mark.parametrize("fn", list(SHAPE_FNS))
@pytest.mark.parametrize("dtype", CDTYPES, ids=CIDS)
def test_shape_functions(session, dtype, fn):
    f = SHAPE_FNS[fn]
    a = cdata((3, 4, 5), dtype, seed=8, special=True)
    for cs in (1, 3, None):
        same(mrun(f(mt, T(a, cs)), session), f(np, a))


def test_concatenate_and_stack_promote(session):
    a = cdata((2, 3), C64, seed=1, special=True)
    b = cdata((2, 3), C128, seed=2, special=True)
    r = real_data((2, 3), "float64", seed=3, special=True)
    h = real_data((2, 3), "float16", seed=4, special=True)
    i = random_array((2, 3), "int32", seed=5)
    for xs in [(a, b), (a, r), (a, h), (i, a), (b, a, r)]:
        same(mrun(mt.concatenate([T(x, 2) for x in xs]), session),
             np.concatenate(xs))
        same(mrun(mt.stack([T(x, 1) for x in xs], axis=2), session),
             np.stack(xs, axis=2))


def test_rechunk(session):
    a = special_grid(C128, seed=6).reshape(17, 17)
    t = T(a, 3)
    for cs in (1, 2, 7, (5, 17), None):
        r = t.rechunk(cs) if cs is not None else t.rechunk(17)
        same(mrun(r, session), a)
    same(mrun(T(a, 3).rechunk(4) * 2, session), quiet(np.multiply, a, 2))


def test_shape_functions_of_empty_and_0d(session):
    e = np.zeros((0, 3), dtype=C64)
    same(mrun(T(e, 2).T, session), e.T)
    same(mrun(mt.concatenate([T(e, 2), T(e, 1)]), session),
         np.concatenate([e, e]))
    z = np.array(complex(np.nan, -0.0), dtype=C128)
    same(mrun(mt.expand_dims(T(z), 0), session), np.expand_dims(z, 0))
    same(mrun(mt.broadcast_to(T(z), (2, 3)), session),
         np.broadcast_to(z, (2, 3)))
    same(mrun(mt.reshape(T(z), (1, 1)), session), z.reshape(1, 1))


def test_large_tensors_with_automatic_chunks(session):
    rng = np.random.default_rng(12)
    a = make_complex(rng.standard_normal((700, 900)),
                     rng.standard_normal((700, 900)), C128)
    a[3, 5], a[600, 899] = complex(np.nan, 1), complex(-0.0, np.inf)
    t = T(a)
    same(mrun(t * (2 + 1j) - t.T.T.conj(), session),
         a * np.full(a.shape, 2 + 1j) - a.conj())
    same(mrun(t.real > t.imag, session), a.real > a.imag)
    close(mrun(mt.nansum(t, axis=0), session), np.nansum(a, axis=0))
    close(mrun(mt.abs(t)[::-7], session), np.abs(a)[::-7])
    b = a[:300, :400].astype(C64)
    close(mrun(T(b) @ T(b.T.copy()), session), b @ b.T, atol=1e-3)


# -- composed expressions, eager mode ---------------------------------------

def test_composed_expression(session, chunk_size):
    a = cdata((6, 5), C128, seed=1)
    b = cdata((6, 5), C64, seed=2)
    r = random_array((5,), "float32", seed=3)

    def f(xp, a, b, r):
        return xp.where(xp.abs(a) > 1, xp.conj(a) * b - r, a / (b + 2j)).T

    close(mrun(f(mt, T(a, chunk_size), T(b, chunk_size), T(r, chunk_size)),
               session), f(np, a, b, r))
    g = (T(a, chunk_size) * T(b, chunk_size)).real.sum(axis=0)
    close(mrun(g, session), (a * b).real.sum(axis=0))


def test_eager_mode():
    from mars.config import options
    old = options.eager_mode
    try:
        options.eager_mode = True
        a = cdata((4, 3), C64, seed=1, special=True)
        b = cdata((3,), C128, seed=2)
        t = mt.tensor(a, chunk_size=2)
        r = (t * T(b) + 1j) / 2.0
        assert r.dtype == np.complex128
        same(quiet(r.fetch), quiet(lambda: (a * b + 1j) / 2.0))
        same(np.asarray(mt.conj(t).fetch()), np.conj(a))
        same(np.asarray(t.imag.fetch()), a.imag)
        close(np.asarray(mt.abs(t).fetch()), np.abs(a))
        s = mt.sum(mt.tensor(cdata((5, 4), C128, seed=3), chunk_size=3),
                   axis=0)
        close(np.asarray(s.fetch()), cdata((5, 4), C128, seed=3).sum(axis=0))
        f = cdata((4, 3), C64, seed=4)
        m = mt.tensor(b, chunk_size=1) @ mt.tensor(f.T, chunk_size=2)
        close(np.asarray(m.fetch()), b @ f.T)
    finally:
        options.eager_mode = old
    assert options.eager_mode == old


# -- unsupported functions ---------------------------------------------------

# Functions outside Mars's complex list. Each must raise NotImplementedError
# (when it is built or when it runs, never another error) or, where Mars has
# since learnt it, give numpy's result.
UNSUPPORTED = {
    "exp": lambda xp, t: xp.exp(t), "log": lambda xp, t: xp.log(t),
    "sqrt": lambda xp, t: xp.sqrt(t), "sin": lambda xp, t: xp.sin(t),
    "tanh": lambda xp, t: xp.tanh(t), "sort": lambda xp, t: xp.sort(t),
    "argsort": lambda xp, t: xp.argsort(t),
    "cumsum": lambda xp, t: xp.cumsum(t),
    "cumsum-axis": lambda xp, t: xp.cumsum(t, axis=0),
    "cumsum-method": lambda xp, t: t.cumsum(axis=1),
    "cumprod": lambda xp, t: xp.cumprod(t),
    "maximum": lambda xp, t: xp.maximum(t, t[::-1]),
    "minimum": lambda xp, t: xp.minimum(t, t[::-1]),
    "max": lambda xp, t: xp.max(t), "min": lambda xp, t: xp.min(t),
    "argmax": lambda xp, t: xp.argmax(t),
}


@pytest.mark.parametrize("fn", list(UNSUPPORTED))
@pytest.mark.parametrize("dtype", CDTYPES, ids=CIDS)
def test_unsupported_functions_raise_not_implemented(session, dtype, fn):
    f = UNSUPPORTED[fn]
    a = cdata((4, 3), dtype, seed=1)
    want = np.asarray(quiet(f, np, a))
    try:
        got = mrun(f(mt, T(a, 2)), session)
    except NotImplementedError as e:
        assert "complex" in str(e), e
        return
    close(got, want)


def test_exp_sort_maximum_raise_not_implemented(session):
    t = T(cdata((5,), C128, seed=2), 2)
    for f in (mt.exp, mt.sort, lambda x: mt.maximum(x, x)):
        with pytest.raises(NotImplementedError):
            mrun(f(t), session)


# -- other functions: numpy's result, or NotImplementedError -----------------
# Outside the list above a function of complex tensors must either compute
# numpy's result or raise NotImplementedError; never a silently different
# result.

def _hermitian(x):
    return x @ x.conj().T + 4 * np.eye(x.shape[0])


OTHERS = {
    "diff": lambda xp, x: xp.diff(x, axis=0),
    "trace": lambda xp, x: xp.trace(x),
    "diag": lambda xp, x: xp.diag(x, 1),
    "diagonal": lambda xp, x: xp.diagonal(x),
    "diagflat": lambda xp, x: xp.diagflat(x[0]),
    "isclose": lambda xp, x: xp.isclose(x, x[::-1]),
    "nonzero": lambda xp, x: xp.nonzero(x)[1],
    "argwhere": lambda xp, x: xp.argwhere(x),
    "flatnonzero": lambda xp, x: xp.flatnonzero(x),
    "outer": lambda xp, x: xp.outer(x[0], x[1]),
    "inner": lambda xp, x: xp.inner(x, x[::-1]),
    "einsum": lambda xp, x: xp.einsum("ij,jk->ik", x, x),
    "kron": lambda xp, x: xp.kron(x[:2, :2], x[1:3, :2]),
    "roll": lambda xp, x: xp.roll(x, 3),
    "tile": lambda xp, x: xp.tile(x, 2),
    "repeat": lambda xp, x: xp.repeat(x, 2, axis=0),
    "moveaxis": lambda xp, x: xp.moveaxis(x, 0, 1),
    "pad": lambda xp, x: xp.pad(x, 1),
    "split": lambda xp, x: xp.split(x, 2)[1],
    "copy": lambda xp, x: xp.copy(x),
    "zeros_like": lambda xp, x: xp.zeros_like(x),
    "ones_like": lambda xp, x: xp.ones_like(x),
    "full_like": lambda xp, x: xp.full_like(x, 1 - 2j),
    "eye": lambda xp, x: xp.eye(3, dtype=complex),
    "arange": lambda xp, x: xp.arange(0, 3, 1, dtype=complex),
    "matrix_power": lambda xp, x: xp.linalg.matrix_power(x, 3),
    "multi_dot": lambda xp, x: xp.linalg.multi_dot([x, x.T, x]),
    "nanmean-no-nan": lambda xp, x: xp.nanmean(x, axis=0),
    "average": lambda xp, x: xp.average(x, axis=1),
    "take": lambda xp, x: xp.take(x, [3, 1]),
    "fancy-index": lambda xp, x: x[[1, 0, 1]],
    "bool-index": lambda xp, x: x[xp.abs(x) > 1],
    "searchsorted": lambda xp, x: xp.searchsorted(x[0], x[1]),
    "nanmedian": lambda xp, x: xp.nanmedian(x),
    "power": lambda xp, x: x ** 2,
    "sign": lambda xp, x: xp.sign(x),
    "argmin": lambda xp, x: xp.argmin(x),
}

OTHERS.update({
    "linalg.inv": lambda xp, x: xp.linalg.inv(x),
    "linalg.solve": lambda xp, x: xp.linalg.solve(x, x[:, :2]),
    "linalg.det": lambda xp, x: xp.linalg.det(x),
    "linalg.slogdet": lambda xp, x: xp.linalg.slogdet(x)[1],
    # |R| is unique (R is, up to unit-modulus row factors)
    "linalg.qr": lambda xp, x: xp.abs(xp.linalg.qr(x)[1]),
    "linalg.cholesky": lambda xp, x: xp.linalg.cholesky(_hermitian(x)),
    "linalg.svd": lambda xp, x: xp.linalg.svd(x)[1],
    "linalg.norm": lambda xp, x: xp.linalg.norm(x),
    "linalg.norm-axis": lambda xp, x: xp.linalg.norm(x, axis=1),
    "linalg.eigvalsh": lambda xp, x: xp.linalg.eigvalsh(_hermitian(x)),
    "linalg.pinv": lambda xp, x: xp.linalg.pinv(x),
    "linalg.lstsq": lambda xp, x: xp.linalg.lstsq(x, x[:, 0])[0],
    "linalg.cond": lambda xp, x: xp.linalg.cond(x),
    "nan_to_num": lambda xp, x: xp.nan_to_num(
        xp.where(xp.abs(x) > 1.5, x * complex(np.inf, np.nan), x)),
    "nanmean": lambda xp, x: xp.nanmean(_with_nans(xp, x), axis=0),
    "nanvar": lambda xp, x: xp.nanvar(_with_nans(xp, x), axis=0),
    "nanstd": lambda xp, x: xp.nanstd(_with_nans(xp, x)),
    "nanprod": lambda xp, x: xp.nanprod(_with_nans(xp, x), axis=1),
})

OTHERS["cov"] = lambda xp, x: xp.cov(x)
OTHERS["cov-rowvar"] = lambda xp, x: xp.cov(x, rowvar=False, ddof=0)

OTHERS["linspace"] = lambda xp, x: xp.linspace(0, 1 + 2j, 5)


def _with_nans(xp, x):
    return xp.where(xp.abs(x) > 1.5, complex(np.nan, 1), x)


def _other_case(f, session):
    x = cdata((4, 4), C128, seed=21)
    want = np.asarray(quiet(f, np, x))
    try:
        t = f(mt, T(x, 3))
        got = mrun(t, session)
    except NotImplementedError as e:
        assert "complex" in str(e), e
        return
    close(got, want, rtol=1e-9)


@pytest.mark.parametrize("fn", list(OTHERS))
def test_other_functions_compute_numpys_result_or_raise(session, fn):
    _other_case(OTHERS[fn], session)


def test_complex_dtype_names_are_exported():
    assert mt.float32 is np.float32
    assert mt.complex64 is np.complex64
    assert mt.complex128 is np.complex128


# -- properties (Hypothesis) -------------------------------------------------

def _complex_arrays(dtype):
    width = 64 if dtype == C64 else 128
    return hnp.arrays(
        dtype, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0,
                                max_side=5),
        elements=st.complex_numbers(width=width, allow_nan=True,
                                    allow_infinity=True))


HYP = settings(max_examples=15, deadline=None, derandomize=True,
               suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("kind", SESSION_KINDS)
@pytest.mark.parametrize("dtype", CDTYPES, ids=CIDS)
@HYP
@given(data=st.data())
def test_property_elementwise_matches_numpy(kind, dtype, data):
    session = get_session(kind)
    a = data.draw(_complex_arrays(dtype), label="a")
    b = data.draw(hnp.arrays(dtype, a.shape, elements=st.complex_numbers(
        width=64 if dtype == C64 else 128)), label="b")
    cs = data.draw(st.sampled_from(CHUNKS), label="cs")
    name = data.draw(st.sampled_from(list(BINOPS) + list(CMPS)), label="op")
    f = {**BINOPS, **CMPS}[name]
    same(mrun(f(T(a, cs), T(b, cs)), session), quiet(f, a, b))
    same(mrun(mt.conj(-T(a, cs)), session), np.conj(-a))


@pytest.mark.parametrize("kind", SESSION_KINDS)
@HYP
@given(data=st.data())
def test_property_scalar_promotion_and_values(kind, data):
    session = get_session(kind)
    dt = data.draw(st.sampled_from(ARRAY_DTYPES), label="dtype")
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=6))
    a = np.asarray(np.random.default_rng(0).standard_normal(shape) * 4)
    a = make_complex(a, -a, C128) if np.dtype(dt).kind == "c" else a
    a = quiet(a.astype, dt)
    s = data.draw(st.one_of(
        st.complex_numbers(allow_nan=False, allow_infinity=False,
                           max_magnitude=1e306),
        st.floats(allow_nan=False, allow_infinity=False),
        st.integers(-1000, 1000)), label="scalar")
    if np.dtype(dt).kind != "c" and not isinstance(s, complex):
        s = complex(s, data.draw(st.floats(-3, 3), label="imag"))
    name = data.draw(st.sampled_from(list(BINOPS)), label="op")
    f = BINOPS[name]
    want = ref_binop(f, a, s)
    got = f(T(a, data.draw(st.sampled_from(CHUNKS))), s)
    assert got.dtype == want.dtype
    same(mrun(got, session), want)


@pytest.mark.parametrize("kind", SESSION_KINDS)
@HYP
@given(data=st.data())
def test_property_integer_valued_sum_and_matmul_exact(kind, data):
    session = get_session(kind)
    dtype = data.draw(st.sampled_from(CDTYPES))
    m, k, n = (data.draw(st.integers(0, 6)) for _ in range(3))
    ints = st.integers(-20, 20)
    a = make_complex(data.draw(hnp.arrays(np.int64, (m, k), elements=ints)),
                     data.draw(hnp.arrays(np.int64, (m, k), elements=ints)),
                     dtype)
    b = make_complex(data.draw(hnp.arrays(np.int64, (k, n), elements=ints)),
                     data.draw(hnp.arrays(np.int64, (k, n), elements=ints)),
                     dtype)
    cs = data.draw(st.sampled_from(CHUNKS))
    # exact: every partial sum is a small whole number
    same(mrun(T(a, cs) @ T(b, cs), session), a @ b)
    axis = data.draw(st.sampled_from([None, 0, 1]))
    same(mrun(mt.sum(T(a, cs), axis=axis), session), np.sum(a, axis=axis))
    same(mrun(mt.count_nonzero(T(a, cs), axis=0), session),
         np.count_nonzero(a, axis=0))
