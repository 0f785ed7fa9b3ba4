"""Helpers shared by the mars.tensor tests: the sessions, and comparing a
Mars result with numpy's."""

import numpy as np

import mars
import mars.tensor as mt


SESSION_KINDS = ("compiled", "default")
CHUNK_SIZES = (1, 2, 3, 7, None)

_sessions = {}


def get_session(kind):
    """The (cached) local session of a kind: "compiled" (every program on
    the compiled chunked engine, even tiny ones) or "default" (small programs
    on the reference engine)."""
    s = _sessions.get(kind)
    if s is None:
        if kind == "compiled":
            s = mars.new_session(default=False, small_elements=0)
        elif kind == "default":
            s = mars.new_session(default=False)
        else:
            raise ValueError(kind)
        _sessions[kind] = s
    return s


def run(t, session):
    """Executes the tensor on the session; its value as a numpy array."""
    assert isinstance(t, mt.Tensor), type(t)
    mars.execute(t, session=session)
    return np.asarray(t.fetch())


def assert_same(actual, expected, rtol=None, atol=0.0, check_dtype=True):
    """actual (a numpy array from Mars) equals expected (numpy's result):
    same shape, same dtype, and the same values (exactly for bools and
    integers; with rtol for floats, NaN equal to NaN)."""
    expected = np.asarray(expected)
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    if check_dtype:
        assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    if expected.dtype.kind in "fc" or actual.dtype.kind in "fc":
        if rtol is None:
            dt = np.result_type(actual.dtype, expected.dtype)
            # float16: one unit in the last place (results of float32
            # libm functions from another library may round the other way).
            rtol = {np.float16: 1e-3, np.float32: 1e-6}.get(dt.type, 1e-12)
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol,
                                   equal_nan=True)
    else:
        np.testing.assert_array_equal(actual, expected)


def random_array(shape, dtype="float64", seed=0, int_bound=9):
    """Seeded test data: bools, integers in [-int_bound, int_bound], or
    standard normal floats."""
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "b":
        return rng.random(shape) < 0.5
    if np.dtype(dtype).kind == "i":
        return rng.integers(-int_bound, int_bound + 1, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def to_mt(x, chunk_size=None):
    """A numpy array as a Mars tensor of the same dtype."""
    return mt.tensor(np.asarray(x), chunk_size=chunk_size)


def check(fn, *arrays, session, chunk_size=None, rtol=None, atol=0.0,
          check_dtype=True, **kwargs):
    """Runs fn(xp, *arrays) with xp=numpy on numpy arrays and with
    xp=mars.tensor on tensors of the same arrays; compares the results."""
    arrays = [np.asarray(a) for a in arrays]
    with np.errstate(all="ignore"):
        expected = fn(np, *arrays, **kwargs)
    tensors = [to_mt(a, chunk_size) for a in arrays]
    t = fn(mt, *tensors, **kwargs)
    actual = run(t, session)
    assert_same(actual, expected, rtol=rtol, atol=atol,
                check_dtype=check_dtype)
    return actual


def random_sparse(m, n, density, dtype="float64", seed=0):
    """A seeded scipy CSR matrix of `dtype`: uniform values in [0, 1), or
    for integers and bools whole numbers in [-10, 10] with no stored
    zeros."""
    import scipy.sparse as sp
    rng = np.random.default_rng(seed)
    a = sp.random(m, n, density=density, format="csr", random_state=rng,
                  dtype=np.float64)
    if np.dtype(dtype).kind in "iub":
        a.data = np.round(a.data * 20 - 10)
        a.eliminate_zeros()
    return a.astype(dtype)


def ulp_equal(got, want):
    """Same dtype, shape and bits (a NaN equals any NaN), but a finite nonzero
    complex part may differ from numpy's by an
    ulp: numpy's own complex multiply (and the divisions built on it) on
    AVX-512 machines takes paths that round ar*bi + ai*br once or twice
    (a fused multiply-add or not) depending on the loop it picks, so the
    same inputs give numpy results an ulp apart within one process."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    if want.dtype.kind != "c":
        if want.dtype.kind == "f":
            nan = np.isnan(want)
            assert np.array_equal(np.isnan(got), nan)
            assert np.array_equal(got[~nan], want[~nan])
        else:
            np.testing.assert_array_equal(got, want)
        return
    for g, w in ((got.real, want.real), (got.imag, want.imag)):
        nan = np.isnan(w)
        assert np.array_equal(np.isnan(g), nan)
        g, w = g[~nan], w[~nan]
        exact = (g == w) & (np.signbit(g) == np.signbit(w))
        with np.errstate(all="ignore"):
            near = np.isfinite(w) & (w != 0) & (
                np.abs(g - w) <= np.spacing(np.abs(w)))
        bad = np.flatnonzero(~(exact | near))
        assert bad.size == 0, (g[bad[:5]], w[bad[:5]])
