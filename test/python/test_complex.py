"""complex64 and complex128: stored as numpy stores them, computed from
their float parts with numpy's formulas (docs/Complex.md). Checked against
numpy on both sessions and several chunkings:

* the promotion table and numpy 1.24's value-based rule with complex
  (float32 * 1j is complex64, int8 * 1j complex128, complex64 * 1e300
  complex128);
* add, subtract, negative, conj and the comparisons bit for bit, NaN,
  infinities, -0.0 and subnormals in either part (a NaN's sign aside);
  multiply, divide (Smith's algorithm, as numpy), square, reciprocal and
  integer powers with numpy's formulas, within an ulp of numpy's result
  (numpy's own complex multiply takes paths an ulp apart on AVX-512
  machines, see ulp_equal); abs within an ulp (numpy's own abs of complex
  depends on the CPU's SIMD);
* casts between complex and every dtype;
* reductions, products and shape functions;
* eager mode and the errors of what is not computed yet.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import mars
import mars.tensor as mt
from mars.config import options

from helpers import assert_same, run, ulp_equal

REAL = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
        "uint32", "uint64", "float16", "float32", "float64"]
COMPLEX = ["complex64", "complex128"]
PARTS = [0.0, -0.0, 1.0, -1.5, np.inf, -np.inf, np.nan, 1e-310, 3e300,
         -2.5e-300, 0.5]


def special(dtype="complex128", extra=40, seed=0):
    """Every pair of special parts, then random numbers."""
    re, im = np.meshgrid(PARTS, PARTS)
    z = np.empty(re.size + extra, dtype)
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):
        z.real = np.concatenate([re.ravel(), rng.standard_normal(extra)])
        z.imag = np.concatenate([im.ravel(), rng.standard_normal(extra)])
    return z


def bits_equal(got, want):
    """Same dtype and shape, every part bit for bit (-0.0 differs from
    0.0); NaNs of any sign or payload are equal."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    if want.dtype.kind == "c":
        bits_equal(got.real, want.real)
        bits_equal(got.imag, want.imag)
    elif want.dtype.kind == "f":
        nan = np.isnan(want)
        assert np.array_equal(np.isnan(got), nan)
        iview = {2: np.uint16, 4: np.uint32, 8: np.uint64}[want.itemsize]
        bad = np.flatnonzero(got[~nan].view(iview) != want[~nan].view(iview))
        assert bad.size == 0, (got[~nan][bad[:5]], want[~nan][bad[:5]])
    else:
        np.testing.assert_array_equal(got, want)


def quiet(fn, *args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*args)


# -- dtypes ------------------------------------------------------------------

@pytest.mark.parametrize("a", REAL + COMPLEX)
@pytest.mark.parametrize("b", COMPLEX)
def test_promotion_is_numpys(a, b):
    assert mt.promote_types(a, b) == np.promote_types(a, b)
    assert mt.promote_types(b, a) == np.promote_types(b, a)


@pytest.mark.parametrize("dtype", REAL + COMPLEX)
@pytest.mark.parametrize("value", [1j, 1e300 + 1j, 2.5, 1e300, 7, True,
                                   np.complex64(1j), np.float64(2.0)])
def test_value_based_promotion_is_numpys(dtype, value):
    x = np.ones(3, dtype)
    want = quiet(lambda: (x * value).dtype)
    assert (mt.tensor(x) * value).dtype == want
    assert (value * mt.tensor(x)).dtype == want


def test_dtype_names():
    for name in COMPLEX:
        t = mt.zeros(3, dtype=name)
        assert t.dtype == np.dtype(name)
        assert mt.ones((2, 2), dtype=np.dtype(name)).dtype == np.dtype(name)
    assert mt.tensor(np.ones(2, np.complex64)).dtype == np.complex64
    assert mt.full(2, 1 + 2j).dtype == np.complex128
    assert mt.iscomplexobj(mt.zeros(2, dtype=complex))
    assert mt.isrealobj(mt.zeros(2))


# -- arithmetic, bit for bit ----------------------------------------------

BINARY = {
    "add": lambda xp, a, b: a + b,
    "subtract": lambda xp, a, b: a - b,
    "multiply": lambda xp, a, b: a * b,
    "divide": lambda xp, a, b: a / b,
    "equal": lambda xp, a, b: a == b,
    "not_equal": lambda xp, a, b: a != b,
    "less": lambda xp, a, b: a < b,
    "less_equal": lambda xp, a, b: a <= b,
    "greater": lambda xp, a, b: a > b,
    "greater_equal": lambda xp, a, b: a >= b,
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("dtype", COMPLEX)
@pytest.mark.parametrize("chunk_size", [7, None])
def test_binary_functions_are_numpys_bits(name, dtype, chunk_size, session):
    z = special(dtype)
    w = np.roll(z, 13)
    fn = BINARY[name]
    got = run(fn(mt, mt.tensor(z, chunk_size=chunk_size),
                 mt.tensor(w, chunk_size=chunk_size)), session)
    check = ulp_equal if name in ("multiply", "divide") else bits_equal
    check(got, quiet(fn, np, z, w))


@pytest.mark.parametrize("name", ["add", "multiply", "divide", "less"])
@pytest.mark.parametrize("other", ["float64", "float32", "int32", "bool"])
def test_real_operands_convert_as_numpys(name, other, session):
    # numpy makes the real operand complex (imaginary part +0.0) first:
    # -0.0 + 0.0 is 0.0, inf * 0.0 is NaN.
    z = special()
    with np.errstate(all="ignore"):
        x = np.roll(z.real, 5).astype(other)
    fn = BINARY[name]
    check = ulp_equal if name in ("multiply", "divide") else bits_equal
    for a, b, ta, tb in [(z, x, mt.tensor(z, chunk_size=9), mt.tensor(x)),
                         (x, z, mt.tensor(x, chunk_size=4), mt.tensor(z))]:
        check(run(fn(mt, ta, tb), session), quiet(fn, np, a, b))


@pytest.mark.parametrize("scalar", [2j, -1.5 + 0.5j, 3, 0.25, np.inf * 1j,
                                    complex(0, -0.0)])
def test_numbers_are_numpys(scalar, session):
    # Bit for bit with numpy's loop over two arrays. (numpy's loop for an
    # array and a complex scalar may round a product once less on CPUs with
    # AVX-512: 3e300-1.5j times -1.5+0.5j is -4.5e300 there, and
    # -4.5000000000000005e300 in its loop over arrays and in Mars.)
    z = special()
    t = mt.tensor(z, chunk_size=11)
    full = np.full(z.shape, scalar, dtype=np.result_type(z, scalar))
    for fn in (lambda a, b: a * b, lambda a, b: b / a, lambda a, b: a - b):
        ulp_equal(run(fn(t, scalar), session), quiet(fn, z, full))


@pytest.mark.parametrize("name", ["negative", "positive", "square",
                                  "reciprocal", "conj", "real", "imag",
                                  "isnan", "isinf", "isfinite",
                                  "logical_not"])
@pytest.mark.parametrize("dtype", COMPLEX)
def test_unary_functions_are_numpys_bits(name, dtype, session):
    z = special(dtype)
    got = run(getattr(mt, name)(mt.tensor(z, chunk_size=10)), session)
    check = ulp_equal if name in ("square", "reciprocal") else bits_equal
    check(got, quiet(getattr(np, name), z))


@pytest.mark.parametrize("n", [-5, -3, -2, -1, 0, 1, 2, 3, 4, 7, 37, 99])
@pytest.mark.parametrize("dtype", COMPLEX)
def test_integer_powers_are_numpys_bits(n, dtype, session):
    # numpy's nc_pow: repeated products for |n| < 100, a plain reciprocal
    # for n < 0, 1 for n = 0 and 0 or NaN at a zero base.
    z = special(dtype)
    # The operator: numpy's ndarray.__pow__ sends 1, -1, 0 and 2 to
    # positive, reciprocal, ones_like and square, the others to power.
    got = run(mt.tensor(z, chunk_size=12) ** n, session)
    ulp_equal(got, quiet(lambda: z ** n))
    got = run(mt.power(mt.tensor(z), float(n)), session)
    ulp_equal(got, quiet(np.power, z, float(n)))


@pytest.mark.parametrize("name", ["cumsum", "nancumsum"])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_cumulative_sums_are_numpys_bits(name, axis, session):
    z = special()[:120].reshape(8, 15)
    got = run(getattr(mt, name)(mt.tensor(z, chunk_size=(3, 4)), axis=axis),
              session)
    bits_equal(got, quiet(lambda: getattr(np, name)(z, axis=axis)))


def test_selection_moves_complex_elements(session):
    z = special()[:60].reshape(6, 10)
    t = mt.tensor(z, chunk_size=(4, 3))
    idx = np.array([5, 0, 0, 3, -1])
    mask = np.isfinite(z.real) & (z.imag > -1)
    cases = [(t[idx], z[idx]), (t[:, idx], z[:, idx]), (t[mask], z[mask]),
             (mt.take(t, idx, axis=1), np.take(z, idx, axis=1)),
             (mt.take_along_axis(t, mt.tensor(np.argsort(z.real, axis=1)),
                                 axis=1),
              np.take_along_axis(z, np.argsort(z.real, axis=1), axis=1))]
    for got, want in cases:
        bits_equal(run(got, session), want)
    u = mt.tensor(z.copy(), chunk_size=4)
    u[1:3, ::2] = 2 - 1j
    w = z.copy()
    w[1:3, ::2] = 2 - 1j
    bits_equal(run(u, session), w)


@pytest.mark.parametrize("dtype", COMPLEX)
def test_abs_and_angle(dtype, session):
    z = special(dtype)
    t = mt.tensor(z, chunk_size=6)
    rtol = 1e-6 if dtype == "complex64" else 1e-15
    assert_same(run(abs(t), session), quiet(np.abs, z), rtol=rtol)
    assert_same(run(mt.angle(t), session), np.angle(z), rtol=rtol)
    assert_same(run(mt.angle(t, deg=True), session), np.angle(z, deg=True),
                rtol=rtol)


def test_parts_of_real_tensors(session):
    x = np.array([-1.0, -0.0, 2.0], np.float32)
    t = mt.tensor(x)
    bits_equal(run(mt.real(t), session), np.real(x))
    bits_equal(run(mt.imag(t), session), np.imag(x))
    bits_equal(run(mt.conj(t), session), np.conj(x))
    bits_equal(run(mt.angle(t), session), np.angle(x))
    bits_equal(run(mt.iscomplex(t), session), np.iscomplex(x))
    bits_equal(run(mt.isreal(mt.tensor(special())), session),
               np.isreal(special()))


# -- casts ---------------------------------------------------------------

@pytest.mark.parametrize("other", REAL + COMPLEX)
@pytest.mark.parametrize("dtype", COMPLEX)
def test_casts_are_numpys(dtype, other, session):
    z = special(dtype)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        want_from = z.astype(other)
        x = want_from.copy()
        want_to = x.astype(dtype)
    t = mt.tensor(z, chunk_size=8)
    if np.dtype(other).kind in "cb":
        cast = t.astype(other)
    else:  # numpy's warning: the imaginary parts are dropped.
        with pytest.warns(np.ComplexWarning):
            cast = t.astype(other)
    if np.dtype(other).kind in "iu":
        # numpy's conversion of NaN, infinities and values out of range to
        # integers is undefined (it differs between its loops): only values
        # in range are compared.
        ok = np.isfinite(z.real) & (np.abs(z.real) < 100)
        got = run(cast, session)
        np.testing.assert_array_equal(got[ok], want_from[ok])
        assert got.dtype == want_from.dtype
    else:
        bits_equal(run(cast, session), want_from)
    bits_equal(run(mt.tensor(x, chunk_size=8).astype(dtype), session),
               want_to)


# -- reductions and products ---------------------------------------------

@pytest.mark.parametrize("name", ["sum", "mean", "prod", "var", "std",
                                  "any", "all", "count_nonzero", "nansum"])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 2)])
@pytest.mark.parametrize("chunk_size", [2, None])
def test_reductions_are_numpys(name, axis, chunk_size, session):
    rng = np.random.default_rng(3)
    z = rng.standard_normal((4, 5, 3)) + 1j * rng.standard_normal((4, 5, 3))
    z[0, 0, 0] = complex(np.nan, 1)
    z[1, 2, 1] = 0
    t = mt.tensor(z, chunk_size=chunk_size)
    kwargs = {} if name in ("count_nonzero",) else {"keepdims": True}
    if name in ("var", "std"):
        kwargs["ddof"] = 1
    got = run(getattr(mt, name)(t, axis=axis, **kwargs), session)
    want = quiet(lambda: getattr(np, name)(z, axis=axis, **kwargs))
    assert_same(got, want, rtol=1e-12)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 8, 13])
def test_prod_of_any_length(n, session):
    rng = np.random.default_rng(n)
    z = (rng.standard_normal((3, n)) + 1j * rng.standard_normal((3, n)))
    z = z.astype(np.complex64)
    t = mt.tensor(z, chunk_size=2)
    assert_same(run(t.prod(axis=1), session), z.prod(axis=1), rtol=1e-5)
    assert_same(run(t.prod(axis=0), session), z.prod(axis=0), rtol=1e-5)


@pytest.mark.parametrize("shapes", [((4, 5), (5, 3)), ((2, 4, 5), (5, 3)),
                                    ((3, 1, 4, 2), (5, 2, 6)), ((5,), (5,)),
                                    ((5,), (5, 2)), ((0, 3), (3, 2))])
@pytest.mark.parametrize("kinds", [("c16", "c16"), ("c8", "f8"),
                                   ("f4", "c8"), ("c8", "c16")])
def test_matmul_is_numpys(shapes, kinds, session):
    rng = np.random.default_rng(5)

    def make(shape, kind):
        x = rng.standard_normal(shape) + (
            1j * rng.standard_normal(shape) if kind[0] == "c" else 0)
        return x.astype(kind)

    a, b = make(shapes[0], kinds[0]), make(shapes[1], kinds[1])
    got = run(mt.tensor(a, chunk_size=2) @ mt.tensor(b, chunk_size=3),
              session)
    assert_same(got, a @ b, rtol=1e-5)
    if a.ndim <= 2 and b.ndim <= 2:
        assert_same(run(mt.dot(mt.tensor(a), mt.tensor(b)), session),
                    np.dot(a, b), rtol=1e-5)
    if a.ndim == 1 and b.ndim == 1:
        assert_same(run(mt.vdot(mt.tensor(a), mt.tensor(b)), session),
                    np.vdot(a, b), rtol=1e-5)


def test_tensordot_is_numpys(session):
    rng = np.random.default_rng(6)
    a = rng.standard_normal((3, 4, 5)) + 1j * rng.standard_normal((3, 4, 5))
    b = rng.standard_normal((4, 5, 2))
    got = run(mt.tensordot(mt.tensor(a, chunk_size=2), mt.tensor(b), 2),
              session)
    assert_same(got, np.tensordot(a, b, 2), rtol=1e-12)


# -- shapes, where, creation, eager ----------------------------------------

def test_shape_functions_move_complex_elements(session):
    z = special()[:60].reshape(3, 4, 5)
    t = mt.tensor(z, chunk_size=(2, 3, 2))
    cases = [
        (t.T, z.T), (t[1:, ::-2, 3], z[1:, ::-2, 3]),
        (mt.concatenate([t, t[:1]]), np.concatenate([z, z[:1]])),
        (mt.stack([t[0], t[2]], axis=1), np.stack([z[0], z[2]], axis=1)),
        (mt.flip(t, 1), np.flip(z, 1)), (mt.tril(t, -1), np.tril(z, -1)),
        (mt.broadcast_to(t[0, 0], (2, 5)), np.broadcast_to(z[0, 0], (2, 5))),
        (mt.expand_dims(t, 0).squeeze(), z), (t.reshape(6, 10), z.reshape(6, 10)),
        (t.rechunk(4), z),
    ]
    for got, want in cases:
        bits_equal(run(got, session), want)


def test_where_and_creation(session):
    z = special()
    t = mt.tensor(z, chunk_size=9)
    cond = np.isfinite(z.real)
    bits_equal(run(mt.where(mt.tensor(cond), t, 2j), session),
               np.where(cond, z, 2j))
    z64 = quiet(z.astype, np.complex64)
    bits_equal(run(mt.where(mt.tensor(cond), 1.5, t.astype(np.complex64)),
                   session),
               np.where(cond, 1.5, z64))
    bits_equal(run(mt.full((2, 3), complex(-0.0, np.inf), dtype=np.complex64),
                   session),
               np.full((2, 3), complex(-0.0, np.inf), dtype=np.complex64))
    bits_equal(run(mt.ones(4, dtype=complex), session),
               np.ones(4, dtype=complex))


@pytest.mark.parametrize("fn", [
    lambda xp: xp.ones(3, dtype=complex),
    lambda xp: xp.zeros((2, 3), dtype=np.complex64),
    lambda xp: xp.empty(0, dtype=complex) + 0,
    lambda xp: xp.arange(5, dtype=complex),
    lambda xp: xp.arange(1, 2, 0.25, dtype=np.complex64),
    lambda xp: xp.linspace(0, 1, 7, dtype=complex),
    lambda xp: xp.eye(3, 4, 1, dtype=np.complex64),
    lambda xp: xp.identity(2, dtype=complex),
    lambda xp: xp.zeros_like(np.zeros(2, dtype=complex)),
    lambda xp: xp.full_like(np.zeros(2, np.complex64), 1j),
    lambda xp: xp.asarray([1 + 2j, 3]),
    lambda xp: xp.asarray([1.0, -0.0]).astype(np.complex128),
    lambda xp: xp.diag(xp.asarray([1j, 2])),
    lambda xp: xp.tri(2, dtype=complex),
])
def test_creation_is_numpys(fn, session):
    bits_equal(run(fn(mt), session), fn(np))


def test_eager_mode():
    z = special()
    old = options.eager_mode
    options.eager_mode = True
    try:
        t = mt.tensor(z, chunk_size=7)
        u = quiet(lambda: t * (1 - 2j) / (t + 1))
        assert u.dtype == np.complex128
        bits_equal(u.fetch(), quiet(lambda: z * (1 - 2j) / (z + 1)))
        bits_equal(t.real.fetch(), z.real)
        assert_same(t.sum().fetch(), quiet(np.sum, z))
    finally:
        options.eager_mode = old


def test_review_findings(session):
    # A lazy 0-d complex operand makes the result complex; a complex number
    # as a bool is z != 0; where= variances are of |z - mean|^2; a Python
    # complex number assigned into a real tensor is numpy's TypeError;
    # ufuncs numpy has no complex loop for raise its TypeError.
    x = mt.ones(3)
    z0 = mt.tensor(np.array([1 + 2j])).sum()
    bits_equal(run(mt.where(x > 0, z0, x), session),
               np.where(np.ones(3) > 0, np.array([1 + 2j]).sum(), np.ones(3)))
    assert (mt.ones(2, dtype=np.float32) + mt.tensor(
        np.array([1j], np.complex64)).sum()).dtype == np.complex64
    bits_equal(run(mt.full(2, 1j, dtype=bool), session),
               np.full(2, 1j, dtype=bool))
    bits_equal(run(mt.where(1j, mt.ones(2), mt.zeros(2)), session),
               np.where(1j, np.ones(2), np.zeros(2)))
    z = np.array([1 + 1j, -1 - 1j, 2j])
    w = np.array([True, True, False])
    assert_same(run(mt.var(mt.tensor(z), where=w), session),
                np.var(z, where=w))
    t = mt.tensor(np.zeros(3))
    with pytest.raises(TypeError):
        t[0] = 1j
    for fn in (mt.floor_divide, mt.remainder, mt.arctan2):
        with pytest.raises(TypeError):
            fn(mt.tensor(z), 2)
    with pytest.raises(TypeError):
        mt.floor(mt.tensor(z))
    b = np.array([True, False])
    assert mt.tensor(b).conj().dtype == b.conj().dtype
    assert mt.conj(mt.tensor(b)).dtype == np.conj(b).dtype
    assert run(mt.vdot(mt.tensor(b), mt.tensor(b)), session) == np.vdot(b, b)
    with pytest.raises(NotImplementedError):
        mt.linalg.eigh([[2, 1j], [-1j, 2]])
    with pytest.raises(TypeError):
        mt.bincount(mt.tensor(np.array([0, 1])), weights=mt.tensor(z[:2]))


def test_printing():
    for z in (np.array([1 + 2j, -0.5j]), np.array([[1e-5j, 3], [np.nan, 2]],
                                                  np.complex64)):
        t = mt.tensor(z)
        assert repr(t) == repr(z).replace("array", "Tensor")
        assert mt.tensor(z).dtype == z.dtype


# -- what is not computed yet ----------------------------------------------

@pytest.mark.parametrize("fn", [
    lambda t: mt.exp(t), lambda t: mt.sort(t), lambda t: mt.sign(t),
    lambda t: mt.maximum(t, t), lambda t: t.max(), lambda t: t ** 0.5,
    lambda t: mt.linalg.solve(mt.eye(2), [1j, 2j]),
    lambda t: t ** t, lambda t: mt.cumprod(t), lambda t: mt.linalg.inv(
        t[:9].reshape(3, 3))])
def test_unsupported_functions_raise_not_implemented(fn):
    t = mt.tensor(special())
    with pytest.raises(NotImplementedError, match="complex"):
        mars.execute(fn(t))


# -- properties -------------------------------------------------------------

finite = st.floats(-1e150, 1e150, allow_nan=False)


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=40),
       st.lists(st.tuples(finite, finite), min_size=1, max_size=40),
       st.integers(1, 9))
def test_arithmetic_property(xs, ys, chunk):
    n = min(len(xs), len(ys))
    z = np.array([complex(*p) for p in xs[:n]])
    w = np.array([complex(*p) for p in ys[:n]])
    tz, tw = mt.tensor(z, chunk_size=chunk), mt.tensor(w, chunk_size=chunk)
    for name, fn in BINARY.items():
        got = fn(mt, tz, tw)
        mars.execute(got)
        check = ulp_equal if name in ("multiply", "divide") else bits_equal
        check(got.fetch(), quiet(fn, np, z, w))
