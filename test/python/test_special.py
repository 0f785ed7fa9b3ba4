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
    # scipy gives float16 for bool inputs and float32 for small ints where
    # Mars computes in float32/float64 (its documented dtypes).
    if expected.dtype == np.float16:
        expected = expected.astype(np.float32)
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
