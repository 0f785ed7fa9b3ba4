"""mars.tensor.special against scipy.special (python3-scipy): erf, erfc,
gamma and gammaln are Mars ops over the C library's functions with scipy's
values at the poles; expit, logit and xlogy compose from ops as scipy
defines them. Values agree with scipy's to a few ulps (scipy computes with
Cephes); the special values (NaN, infinities, signed zeros, poles) exactly."""

import numpy as np
import pytest

import mars.tensor as mt
from mars.tensor import special

from helpers import assert_same, run

sp = pytest.importorskip("scipy.special")

EDGES = [np.nan, -np.inf, np.inf, -0.0, 0.0, -1.0, -2.0, -2.5, 0.5, 1.0,
         3.0, 5.5, 20.0, 171.5, -30.25, 1e-5, -1e-5]


def _inputs(dtype):
    rng = np.random.default_rng(11)
    x = np.concatenate([np.array(EDGES), rng.uniform(-6, 6, 40),
                        rng.uniform(0.01, 60, 20)])
    return x.astype(dtype)


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int32",
                                   "bool"])
@pytest.mark.parametrize("name", ["erf", "erfc", "gamma", "gammaln",
                                  "expit", "logit"])
def test_unary_against_scipy(name, dtype, session):
    x = _inputs("float64")
    if np.dtype(dtype).kind in "iu":
        x = np.round(np.clip(x, -30, 30))
    x = x.astype(dtype) if dtype != "bool" else x > 0.5
    if name == "logit" and dtype != "bool":
        x = (np.abs(_inputs("float64")) % 1.0).astype(
            dtype if np.dtype(dtype).kind == "f" else "float64")
    with np.errstate(all="ignore"):
        expected = getattr(sp, name)(x)
    t = getattr(special, name)(mt.tensor(x, chunk_size=7))
    got = run(t, session)
    if np.dtype(dtype).kind in "iu":
        expected = expected.astype(np.float64)
        got = got.astype(np.float64)
    assert got.dtype == expected.dtype
    rtol = 2e-6 if got.dtype == np.float32 else 1e-13
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=0,
                               equal_nan=True)
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    inf = np.isinf(expected)
    assert np.array_equal(got[inf], expected[inf])


def test_xlogy(session):
    x = np.array([0.0, 0.0, 0.0, 1.0, 2.0, -1.0, np.nan, 3.0])
    y = np.array([0.0, np.nan, -1.0, 0.0, 3.0, 2.0, 1.0, np.inf])
    with np.errstate(all="ignore"):
        expected = sp.xlogy(x, y)
    assert_same(run(special.xlogy(mt.tensor(x), mt.tensor(y)), session),
                expected)
    assert_same(run(special.xlogy(mt.tensor([0, 2]), 4), session),
                sp.xlogy(np.array([0, 2]), 4))


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
def test_sinc(dtype, session, chunk_size):
    x = np.array([0.0, -0.0, 0.5, -1.5, 2.0, 1e-8, np.inf, np.nan, 3.25])
    if np.dtype(dtype).kind == "i":
        x = np.array([0, 1, -2, 3])
    x = x.astype(dtype)
    with np.errstate(all="ignore"):
        expected = np.sinc(x)
    assert_same(run(mt.sinc(mt.tensor(x, chunk_size=chunk_size)), session),
                expected)


def test_special_in_expressions(session):
    """The ops fuse with their neighbours like any elementwise op."""
    x = np.linspace(-3, 3, 101)
    t = mt.tensor(x, chunk_size=10)
    got = run((special.erf(t * 2) + special.gammaln(mt.abs(t) + 1)).sum(),
              session)
    assert_same(got, (sp.erf(x * 2) + sp.gammaln(np.abs(x) + 1)).sum(),
                rtol=1e-12)


def _erfinv_inputs():
    rng = np.random.default_rng(21)
    edges = np.array([0.0, -0.0, 1.0, -1.0, 1.5, -1.0000001, np.nan, np.inf,
                      -np.inf, 0.5, -0.5, np.nextafter(0.5, 0),
                      np.nextafter(1.0, 0), -np.nextafter(1.0, 0),
                      1 - 1e-10, 1e-300, 5e-324, -1e-17, 0.9999, 0.3])
    tails = 1 - 10.0 ** -rng.uniform(1, 15.9, 40)
    return np.concatenate([edges, rng.uniform(-1, 1, 80), tails, -tails])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_erfinv(dtype, session, chunk_size):
    x = _erfinv_inputs().astype(dtype)
    with np.errstate(all="ignore"):
        expected = sp.erfinv(x)
    got = run(special.erfinv(mt.tensor(x, chunk_size=chunk_size)), session)
    assert got.dtype == expected.dtype
    # A few ulps of the true inverse (scipy's is Boost's, also within one).
    rtol = 4e-7 if dtype == "float32" else 8e-16
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=0,
                               equal_nan=True)
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    number = ~np.isnan(expected)
    assert np.array_equal(np.signbit(got[number]), np.signbit(expected[number]))
    # erf of the inverse gives back y.
    inner = np.abs(x.astype(np.float64)) < 0.999
    np.testing.assert_allclose(sp.erf(got.astype(np.float64)[inner]),
                               x[inner], rtol=4e-7 if dtype == "float32"
                               else 4e-16, atol=1e-300)


def test_erfinv_integers(session):
    x = np.array([0, 1, -1, 2], np.int64)
    with np.errstate(all="ignore"):
        expected = sp.erfinv(x)
    assert_same(run(special.erfinv(mt.tensor(x)), session), expected)


def _digamma_inputs():
    rng = np.random.default_rng(23)
    edges = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, 2.0, 10.0,
                      -1.0, -2.0, -100.0, -2.5, -0.5, 0.5, 1e-300, 1e-8,
                      -1e-8, 1.4616321449683623, 1.46, 1.47, 9.999, 10.001,
                      1e15, -1e15 + 0.5, 1e300, -7.25, 3.5, 171.5])
    return np.concatenate([edges, rng.uniform(-20, 20, 80),
                           rng.uniform(0, 3, 40),
                           10.0 ** rng.uniform(-5, 12, 40)])


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int32"])
@pytest.mark.parametrize("name", ["digamma", "psi"])
def test_digamma(name, dtype, session, chunk_size):
    x = _digamma_inputs()
    if dtype in ("int64", "int32"):
        x = np.round(np.clip(np.nan_to_num(x), -50, 1e6))
    x = x.astype(dtype)
    with np.errstate(all="ignore"):
        expected = getattr(sp, name)(x)
    got = run(getattr(special, name)(mt.tensor(x, chunk_size=chunk_size)),
              session)
    assert got.dtype == expected.dtype
    # Relative 1e-13 away from the root near 1.4616; absolute near it,
    # where psi crosses zero and no method keeps relative accuracy.
    if got.dtype == np.float32:
        rtol, atol = 4e-7, 1e-7
    else:
        rtol, atol = 1e-13, 2e-15
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol,
                               equal_nan=True)
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    inf = np.isinf(expected)
    assert np.array_equal(got[inf], expected[inf])
