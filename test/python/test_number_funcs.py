"""numpy's gcd, lcm, ldexp, frexp and i0 against numpy: gcd, lcm and ldexp
are Mars ops; frexp and i0 compose from ops (frexp from log2, floor and
ldexp; i0 by numpy's own Chebyshev steps). Integers and exponents agree
exactly, mantissas and ldexp bit for bit, i0 to a few ulps (numpy's exp and
the C library's may differ in the last bit)."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import mars.tensor as mt

from helpers import assert_same, get_session, run, to_mt

I32, I64 = np.iinfo(np.int32), np.iinfo(np.int64)


def _ints(dtype, n=60, seed=3):
    rng = np.random.default_rng(seed)
    info = np.iinfo(dtype)
    edges = np.array([0, 1, -1, info.min, info.max, info.min + 1, 12, -18,
                      2 ** 20, -(2 ** 20), 7919, 104729], dtype=np.int64)
    edges = edges[(edges >= info.min) & (edges <= info.max)]
    return np.concatenate([edges, rng.integers(-1000, 1000, n),
                           rng.integers(info.min, info.max, n, dtype=dtype,
                                        endpoint=True)]).astype(dtype)


@pytest.mark.parametrize("name", ["gcd", "lcm"])
@pytest.mark.parametrize("dtype", ["int32", "int64"])
def test_gcd_lcm_pairs(name, dtype, session, chunk_size):
    x = _ints(dtype)
    y = np.roll(_ints(dtype, seed=4), 5)
    fn = getattr(np, name)
    assert_same(run(getattr(mt, name)(to_mt(x, chunk_size),
                                      to_mt(y, chunk_size)), session),
                fn(x, y))
    # Every element against every edge, broadcast.
    e = x[:12]
    assert_same(run(getattr(mt, name)(to_mt(e[:, None], chunk_size),
                                      to_mt(e[None, :], chunk_size)),
                    session), fn(e[:, None], e[None, :]))


@pytest.mark.parametrize("name", ["gcd", "lcm"])
def test_gcd_lcm_dtypes(name, session):
    fn, mfn = getattr(np, name), getattr(mt, name)
    a32 = np.array([12, -18, 0, 35], np.int32)
    a64 = np.array([8, 27, -6, 0], np.int64)
    # int32 with int64 promotes; Python ints keep the array's dtype.
    assert_same(run(mfn(to_mt(a32), to_mt(a64)), session), fn(a32, a64))
    assert_same(run(mfn(to_mt(a32), 6), session), fn(a32, 6))
    assert_same(run(mfn(10, to_mt(a64)), session), fn(10, a64))
    assert_same(run(mfn(to_mt(a32), np.int64(4)), session),
                fn(a32, np.int64(4)))
    # numpy has no bool loop; bool with an integer is the integer's.
    b = np.array([True, False, True, False])
    with pytest.raises(TypeError):
        mfn(to_mt(b), to_mt(b))
    assert_same(run(mfn(to_mt(b), to_mt(a64)), session), fn(b, a64))
    # Empty and 0-d.
    e = np.zeros((0, 3), np.int64)
    assert_same(run(mfn(to_mt(e), to_mt(a64[:3])), session), fn(e, a64[:3]))
    assert_same(run(mfn(to_mt(np.array(84)), to_mt(np.array(-36))),
                    session), fn(np.array(84), np.array(-36)))
    with pytest.raises(TypeError):
        mfn(mt.tensor([1.5, 2.0]), 3)
    with pytest.raises(TypeError):
        mfn(mt.tensor([4, 6]), 2.0)


def _ldexp_inputs(dtype):
    rng = np.random.default_rng(5)
    fi = np.finfo(dtype)
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.75,
                  fi.max, fi.tiny, fi.tiny * fi.eps, -3.0, 1.5, 0.1],
                 dtype=dtype)
    x = np.concatenate([x, rng.standard_normal(30).astype(dtype)])
    n = np.concatenate([
        np.array([0, 1, -1, 5, -5, 2000, -2000, fi.maxexp, fi.minexp,
                  fi.minexp - fi.nmant - 1, fi.maxexp + 1, -fi.maxexp,
                  1000000, -1000000]),
        rng.integers(-2 * fi.maxexp, 2 * fi.maxexp, 30)])
    return x, n


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("ndtype", ["int64", "int32"])
def test_ldexp(dtype, ndtype, session, chunk_size):
    x, n = _ldexp_inputs(dtype)
    n = n.astype(ndtype)
    with np.errstate(all="ignore"):
        expected = np.ldexp(x, n)
    got = run(mt.ldexp(to_mt(x, chunk_size), to_mt(n, chunk_size)), session)
    assert got.dtype == expected.dtype
    # Bit for bit: ldexp is exact (or rounds once to a subnormal).
    np.testing.assert_array_equal(got.view(np.uint8), expected.view(np.uint8))
    # Broadcast: every x with every n.
    with np.errstate(all="ignore"):
        expected = np.ldexp(x[:, None], n[None, :14])
    got = run(mt.ldexp(to_mt(x[:, None], chunk_size),
                       to_mt(n[None, :14], chunk_size)), session)
    np.testing.assert_array_equal(got.view(np.uint8), expected.view(np.uint8))


def test_ldexp_dtypes_and_errors(session):
    with np.errstate(all="ignore"):
        for x, n in [(np.arange(4, dtype=np.int32), 3),
                     (np.arange(4), np.arange(4, dtype=np.int32)),
                     (np.ones(3, np.float32), np.int64(2) ** 40),
                     (np.ones(3, np.float32), np.array([1, 2, 3])),
                     (2.5, np.arange(3)),
                     (np.float32(2.5), np.arange(3)),
                     (np.ones(3), True),
                     (np.ones(3, np.float32), -(2 ** 62))]:
            expected = np.ldexp(x, n)
            mx = to_mt(x) if isinstance(x, np.ndarray) else x
            mn = to_mt(n) if isinstance(n, np.ndarray) else n
            assert_same(run(mt.ldexp(mx, mn), session), expected, rtol=0)
    # bool mantissas: float16, as numpy's.
    got = run(mt.ldexp(mt.tensor([True, False]), 3), session)
    assert got.dtype == np.float16
    np.testing.assert_array_equal(got, [8.0, 0.0])
    # numpy has no loop for float exponents.
    with pytest.raises(TypeError):
        mt.ldexp(mt.ones(3), mt.ones(3))
    with pytest.raises(TypeError):
        mt.ldexp(mt.ones(3), 2.0)
    with pytest.raises(ValueError):
        mt.ldexp(mt.ones(3), mt.ones(2, dtype=np.int64))


def _frexp_inputs(dtype):
    rng = np.random.default_rng(9)
    fi = np.finfo(dtype)
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, 0.5, -0.5, 2.0,
                  -3.0, fi.max, -fi.max, fi.tiny, fi.tiny * fi.eps,
                  -fi.tiny * fi.eps * 3, fi.tiny * (1 - fi.eps),
                  np.nextafter(dtype(1), dtype(0)),
                  np.nextafter(dtype(2), dtype(0)),
                  np.nextafter(dtype(0.5), dtype(1))], dtype=dtype)
    powers = np.ldexp(np.ones(40, dtype), np.arange(-20, 20))
    below = np.nextafter(powers, dtype(0))
    return np.concatenate([x, powers, below, -below,
                           (rng.standard_normal(40) *
                            10.0 ** rng.integers(-30, 30, 40)).astype(dtype)])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_frexp(dtype, session, chunk_size):
    x = _frexp_inputs(dtype)
    m, e = np.frexp(x)
    gm, ge = mt.frexp(to_mt(x, chunk_size))
    got_m, got_e = run(gm, session), run(ge, session)
    assert got_m.dtype == m.dtype and got_e.dtype == np.int32
    np.testing.assert_array_equal(got_m.view(np.uint8), m.view(np.uint8))
    np.testing.assert_array_equal(got_e, e)


def test_frexp_integers_and_bool(session):
    for x in [np.arange(-5, 40), np.arange(7, dtype=np.int32),
              np.array([I64.max, I64.min, 0]), np.array(12)]:
        m, e = np.frexp(x)
        gm, ge = mt.frexp(to_mt(x))
        assert_same(run(gm, session), m, rtol=0)
        assert_same(run(ge, session), e)
    gm, ge = mt.frexp(mt.tensor([True, False]))
    assert run(gm, session).dtype == np.float16
    np.testing.assert_array_equal(run(gm, session), [0.5, 0.0])
    np.testing.assert_array_equal(run(ge, session), [1, 0])


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int32",
                                   "bool"])
def test_i0(dtype, session, chunk_size):
    rng = np.random.default_rng(13)
    x = np.concatenate([[0.0, -0.0, 8.0, -8.0, np.nextafter(8.0, 9.0), 30.0,
                         700.0, 713.0, np.inf, -np.inf, np.nan, 1e-300],
                        rng.uniform(-40, 40, 60)])
    if dtype in ("int64", "int32"):
        x = np.round(np.clip(np.nan_to_num(x), -40, 40))
    x = x.astype(dtype) if dtype != "bool" else x > 0
    with np.errstate(all="ignore"):
        expected = np.i0(x)
    got = run(mt.i0(to_mt(x, chunk_size)), session)
    assert got.dtype == expected.dtype
    rtol = 4e-6 if got.dtype == np.float32 else 2e-15
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=0,
                               equal_nan=True)


def test_i0_complex_error():
    with pytest.raises(TypeError):
        mt.i0(np.array([1 + 1j]))


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.lists(st.integers(I64.min, I64.max), min_size=1, max_size=12),
       st.lists(st.integers(I64.min, I64.max), min_size=1, max_size=12),
       st.sampled_from([1, 2, 5]))
def test_gcd_lcm_property(xs, ys, cs):
    n = min(len(xs), len(ys))
    x, y = np.array(xs[:n], np.int64), np.array(ys[:n], np.int64)
    s = get_session("compiled")
    for name in ("gcd", "lcm"):
        assert_same(run(getattr(mt, name)(to_mt(x, cs), to_mt(y, cs)), s),
                    getattr(np, name)(x, y))


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True,
                          allow_subnormal=True), min_size=1, max_size=12),
       st.sampled_from([1, 3, 5]))
def test_frexp_ldexp_roundtrip_property(xs, cs):
    x = np.array(xs, np.float64)
    s = get_session("compiled")
    m, e = mt.frexp(to_mt(x, cs))
    nm, ne = np.frexp(x)
    got_m, got_e = run(m, s), run(e, s)
    np.testing.assert_array_equal(got_m.view(np.uint64), nm.view(np.uint64))
    np.testing.assert_array_equal(got_e, ne)
    back = run(mt.ldexp(m, e), s)
    np.testing.assert_array_equal(back.view(np.uint64),
                                  np.ldexp(nm, ne).view(np.uint64))


@pytest.mark.parametrize("shape", [(0,), (1,), (2, 0, 3), (1, 1)])
def test_compositions_on_empty_and_size_one(shape, session):
    from mars.tensor import special
    sp = pytest.importorskip("scipy.special")
    x = np.full(shape, 0.75)
    m, e = mt.frexp(to_mt(x))
    nm, ne = np.frexp(x)
    assert_same(run(m, session), nm, rtol=0)
    assert_same(run(e, session), ne)
    assert_same(run(mt.i0(to_mt(x)), session), np.i0(x))
    assert_same(run(special.erfinv(to_mt(x)), session), sp.erfinv(x))
    assert_same(run(special.digamma(to_mt(x)), session), sp.digamma(x),
                rtol=1e-13)
    xi = np.full(shape, 12, np.int64)
    assert_same(run(mt.gcd(to_mt(xi), 18), session), np.gcd(xi, 18))
    assert_same(run(mt.ldexp(to_mt(x), 3), session), np.ldexp(x, 3))
