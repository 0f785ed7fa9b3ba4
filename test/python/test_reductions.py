"""Reductions against numpy: sum prod min max mean var std any all argmin
argmax count_nonzero nansum; as functions and as methods; axis= (None, int,
negative, tuple), keepdims=, ddof=, dtype=; every dtype; chunked; empty
arrays; NaN."""

import warnings

import numpy as np
import pytest

import mars
import mars.tensor as mt

from helpers import assert_same, run, to_mt

DTYPES = ["bool", "int32", "int64", "float32", "float64"]

# name -> (has a method, numpy function)
REDUCTIONS = ["sum", "prod", "min", "max", "mean", "var", "std", "any", "all",
              "argmin", "argmax", "count_nonzero", "nansum"]
METHODS = {"sum", "prod", "min", "max", "mean", "var", "std", "any", "all",
           "argmin", "argmax"}
# These take a single axis (int or None) in numpy.
SINGLE_AXIS = {"argmin", "argmax"}


def _marks(name):
    """Per-reduction xfail marks (known disagreements with numpy)."""
    return []


def rparams(names=REDUCTIONS):
    return [pytest.param(n, marks=_marks(n), id=n) for n in names]


def tol(dtype, name=None):
    d = np.dtype(dtype)
    if d == np.float32:
        return 1e-5
    return 1e-9


def data(dtype, shape, seed=0, positive=False):
    rng = np.random.default_rng(seed)
    d = np.dtype(dtype)
    if d == np.bool_:
        return rng.integers(0, 3, size=shape) > 0
    if d.kind == "i":
        lo = 1 if positive else -9
        return rng.integers(lo, 10, size=shape).astype(d)
    return rng.uniform(0.5, 2.0, size=shape).astype(d)


def np_reduce(name, x, **kw):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return getattr(np, name)(x, **kw)


def mt_reduce(name, t, method=False, **kw):
    if method:
        return getattr(t, name)(**kw)
    return getattr(mt, name)(t, **kw)


def check_reduce(name, x, session, chunk_size=None, method=False, **kw):
    expected = np.asarray(np_reduce(name, x, **kw))
    t = mt_reduce(name, to_mt(x, chunk_size), method=method, **kw)
    assert t.shape == expected.shape
    assert t.dtype == expected.dtype
    actual = run(t, session)
    rt = tol(expected.dtype)
    assert_same(actual, expected, rtol=rt, atol=rt * 1e-3)
    return actual


# -- axes and keepdims -------------------------------------------------------

AXES = [None, 0, 1, 2, -1, -3, (0, 2), (2, 0), (-1, 0), (0, 1, 2), ()]


def _axis_cases():
    for name in REDUCTIONS:
        for axis in AXES:
            if name in SINGLE_AXIS and isinstance(axis, tuple):
                continue  # numpy's argmin/argmax take one axis
            yield pytest.param(name, axis, marks=_marks(name),
                               id="%s-%r" % (name, axis))


@pytest.mark.parametrize("name,axis", list(_axis_cases()))
@pytest.mark.parametrize("keepdims", [False, True], ids=["", "keepdims"])
def test_reduction_axis_keepdims(session, name, axis, keepdims):
    x = data("float64", (3, 4, 5), positive=True)
    if name == "prod":
        x = x ** 0.25
    kw = {"axis": axis}
    if keepdims:
        kw["keepdims"] = True
    check_reduce(name, x, session, **kw)
    if name in METHODS:
        check_reduce(name, x, session, method=True, **kw)


@pytest.mark.parametrize("name", rparams())
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axis", [None, 0, -1], ids=repr)
def test_reduction_dtypes(session, name, dtype, axis):
    x = data(dtype, (4, 6), seed=1, positive=name == "prod")
    if name == "prod" and np.dtype(dtype).kind == "f":
        x = x ** 0.25
    check_reduce(name, x, session, axis=axis)


@pytest.mark.parametrize("name", rparams())
def test_reduction_chunked(session, chunk_size, name):
    x = data("float64", (7, 9), seed=2)
    if name == "prod":
        x = x ** 0.1
    for axis in (None, 0, 1):
        check_reduce(name, x, session, chunk_size=chunk_size, axis=axis)
    # integers: exact
    i = data("int64", (7, 9), seed=3)
    if name == "prod":
        i = np.sign(i) + (i == 0)
    check_reduce(name, i, session, chunk_size=chunk_size, axis=1)


@pytest.mark.parametrize("name", rparams(["sum", "mean", "var", "std",
                                          "argmax", "any", "min"]))
@pytest.mark.parametrize("shape", [(), (1,), (5,), (1, 1), (1, 7), (2, 1, 3)],
                         ids=repr)
def test_reduction_small_shapes(session, name, shape):
    x = data("float64", shape, seed=4)
    axes = [None] + list(range(-len(shape), len(shape)))
    for axis in axes:
        check_reduce(name, x, session, axis=axis)


@pytest.mark.parametrize("name", rparams(["sum", "mean", "prod", "any", "all",
                                          "count_nonzero", "argmax", "var",
                                          "max"]))
def test_reduction_of_lists(session, name):
    x = [[1, 2, 3], [4, 5, 0]]
    assert_same(run(getattr(mt, name)(x), session),
                np.asarray(getattr(np, name)(x)), rtol=1e-12)
    assert_same(run(getattr(mt, name)(x, axis=0), session),
                np.asarray(getattr(np, name)(x, axis=0)), rtol=1e-12)


@pytest.mark.parametrize("name", rparams(["sum", "mean", "prod", "min", "max",
                                          "argmin", "argmax", "var", "std",
                                          "any", "all", "count_nonzero",
                                          "nansum"]))
def test_reduction_of_0d(session, name):
    x = np.array(2.5)
    check_reduce(name, x, session)


# -- ddof --------------------------------------------------------------------

@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("ddof", [0, 1, 2])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)], ids=repr)
def test_var_std_ddof(session, name, ddof, axis):
    x = data("float64", (5, 6), seed=5)
    check_reduce(name, x, session, axis=axis, ddof=ddof)
    check_reduce(name, x, session, axis=axis, ddof=ddof, method=True)
    check_reduce(name, x, session, axis=axis, ddof=ddof, keepdims=True)


@pytest.mark.parametrize("name", ["var", "std"])
def test_var_std_ddof_not_smaller_than_n(session, name):
    # numpy: the divisor max(n - ddof, 0): inf or nan, no error.
    x = np.array([[1.0, 2.0], [3.0, 5.0]])
    for ddof in (2, 3):
        check_reduce(name, x, session, axis=0, ddof=ddof)
    y = np.array([[1.0, 1.0], [3.0, 3.0]])
    check_reduce(name, y, session, axis=0, ddof=2)


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_var_std_dtypes_ddof(session, name, dtype):
    x = data(dtype, (3, 5), seed=6)
    check_reduce(name, x, session, ddof=1)
    check_reduce(name, x, session, axis=1, ddof=1)


def test_var_large_offset_is_accurate(session, chunk_size):
    # A naive E[x^2] - E[x]^2 loses everything here; numpy does not.
    x = 1e8 + np.arange(10.0)
    for name in ("var", "std"):
        check_reduce(name, x, session, chunk_size=chunk_size)


# -- dtype= --------------------------------------------------------------------

@pytest.mark.parametrize("name,dtype", [
    (n, d) for n in ("sum", "prod", "mean", "var", "std", "nansum")
    for d in ("float32", "float64", "int64")
    if not (d == "int64" and n in ("mean", "var", "std"))])
def test_reduction_dtype_argument(session, name, dtype):
    x = data("int32", (4, 5), seed=7, positive=True)
    if name == "prod":
        x = np.minimum(x, 3)
    check_reduce(name, x, session, axis=1, dtype=dtype)
    if name in METHODS:
        check_reduce(name, x, session, axis=0, dtype=dtype, method=True)


def test_sum_int32_does_not_overflow(session):
    x = np.full(10, 2 ** 30, dtype=np.int32)
    # numpy sums int32 in int64 (the platform integer).
    check_reduce("sum", x, session)
    check_reduce("sum", x.reshape(2, 5), session, axis=1)


# -- empty arrays ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["sum", "prod", "any", "all",
                                  "count_nonzero", "nansum", "mean"])
@pytest.mark.parametrize("dtype", ["bool", "int32", "float64"])
def test_reduction_of_empty(session, name, dtype):
    x = np.zeros((0, 3), dtype=dtype)
    check_reduce(name, x, session)
    check_reduce(name, x, session, axis=0)
    check_reduce(name, x, session, axis=1)


@pytest.mark.parametrize("name", ["var", "std"])
def test_var_std_of_empty(session, name):
    x = np.zeros((0, 3))
    check_reduce(name, x, session)
    check_reduce(name, x, session, axis=0)
    check_reduce(name, x, session, axis=1)


@pytest.mark.parametrize("name", rparams(["min", "max", "argmin", "argmax"]))
def test_reduction_without_identity_of_empty_raises(session, name):
    x = np.zeros((0, 3))
    with pytest.raises(ValueError):
        np_reduce(name, x)
    with pytest.raises(ValueError):
        run(getattr(mt, name)(mt.tensor(x)), session)
    with pytest.raises(ValueError):
        run(getattr(mt, name)(mt.tensor(x), axis=0), session)
    # Along a non-empty axis the result is empty, not an error.
    check_reduce(name, x, session, axis=1)


# -- NaN and ties ----------------------------------------------------------------

NAN_DATA = np.array([[1.0, np.nan, 3.0, -2.0],
                     [4.0, 5.0, -1.0, 0.5],
                     [np.nan, np.nan, np.nan, np.nan]])


@pytest.mark.parametrize("name", rparams(["sum", "prod", "mean", "var", "std",
                                          "min", "max", "argmin", "argmax",
                                          "nansum", "any", "all",
                                          "count_nonzero"]))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_reduction_with_nan(session, chunk_size, name, dtype):
    x = NAN_DATA.astype(dtype)
    for axis in (None, 0, 1):
        check_reduce(name, x, session, chunk_size=chunk_size, axis=axis)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sum_with_inf(session, dtype):
    x = np.array([[np.inf, 1.0], [-np.inf, 2.0], [np.inf, -np.inf]],
                 dtype=dtype)
    for name in ("sum", "nansum", "mean", "prod"):
        for axis in (None, 0, 1):
            check_reduce(name, x, session, axis=axis)


@pytest.mark.parametrize("name", ["argmin", "argmax"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_arg_reductions_ties_pick_the_first(session, chunk_size, name, dtype):
    x = np.array([[3, 1, 1, 3, 0, 3],
                  [2, 2, 2, 2, 2, 2],
                  [0, 5, 0, 5, 0, 5]]).astype(dtype)
    for axis in (None, 0, 1, -1):
        check_reduce(name, x, session, chunk_size=chunk_size, axis=axis)
        check_reduce(name, x, session, chunk_size=chunk_size, axis=axis,
                     method=True)


@pytest.mark.parametrize("name", ["argmin", "argmax"])
def test_arg_reductions_keepdims(session, name):
    x = data("float64", (3, 4), seed=8)
    check_reduce(name, x, session, axis=1, keepdims=True)
    check_reduce(name, x, session, axis=None, keepdims=True)


def test_arg_reductions_flat_index_of_chunked_3d(session, chunk_size):
    x = data("float64", (3, 4, 5), seed=9)
    x[2, 1, 3] = 10.0
    x[0, 3, 1] = -10.0
    check_reduce("argmax", x, session, chunk_size=chunk_size)
    check_reduce("argmin", x, session, chunk_size=chunk_size)


# -- any / all / count_nonzero ---------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_any_all_count_nonzero(session, dtype):
    x = np.array([[0, 0, 0], [0, 2, 0], [1, 3, -1]]).astype(dtype)
    for name in ("any", "all", "count_nonzero"):
        for axis in (None, 0, 1, (0, 1)):
            check_reduce(name, x, session, axis=axis)
    f = np.array([np.nan, -0.0, 0.0])
    for name in ("any", "all", "count_nonzero"):
        check_reduce(name, f, session)


def test_count_nonzero_keepdims(session):
    x = np.array([[0, 1, 7, 0], [3, 0, 2, 19]])
    for axis in (None, 0, 1, (0, 1)):
        check_reduce("count_nonzero", x, session, axis=axis, keepdims=True)


# -- reductions of expressions, several results in one execution -----------------

def test_reductions_of_an_expression_in_one_graph(session, chunk_size):
    x = data("float64", (6, 8), seed=10)
    t = mt.tensor(x, chunk_size=chunk_size)
    y = (t - t.mean(axis=0)) / t.std(axis=0)
    outs = [y.sum(), y.sum(axis=1), (y * y).mean(axis=0), t.argmax(axis=1),
            (t > 1).any(axis=0), (t > 0).all(), mt.nansum(t, axis=0)]
    mars.execute(*outs, session=session)
    xe = (x - x.mean(axis=0)) / x.std(axis=0)
    exp = [xe.sum(), xe.sum(axis=1), (xe * xe).mean(axis=0), x.argmax(axis=1),
           (x > 1).any(axis=0), (x > 0).all(), np.nansum(x, axis=0)]
    for o, e in zip(outs, exp):
        assert_same(np.asarray(o.fetch()), np.asarray(e), rtol=1e-9,
                    atol=1e-9)


def test_scalar_results_convert(session):
    x = np.arange(1.0, 7.0).reshape(2, 3)
    t = mt.tensor(x)
    s = t.sum().execute(session=session)
    assert float(s) == 21.0
    assert int(t.argmax().execute(session=session)) == 5
    assert bool(t.any().execute(session=session)) is True


# -- scans (cumsum, cumprod, nancumsum, nancumprod) ----------------------------

SCAN_DATA = {
    "f64": np.array([[-0.0, 1.5, np.nan, 2.0, -3.0],
                     [np.inf, 0.5, 1.0, -np.inf, 4.0],
                     [1e300, 1e300, -1e300, 2.0, 0.25]]),
    "f32": (np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 7) / 3,
    "i32": np.array([[2147483647, 2, -3], [5, -2147483648, 7]], np.int32),
    "i64": np.arange(-6, 6).reshape(3, 4) * 3037000499,
    "bool": np.array([[True, False, True], [True, True, False]]),
    "empty": np.zeros((0, 3)),
    "one": np.array([[7.5]]),
    "0d": np.array(3.0),
}


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "nancumsum",
                                  "nancumprod"])
@pytest.mark.parametrize("key", sorted(SCAN_DATA))
def test_scans(name, key, session, chunk_size):
    """Bit for bit numpy's (sequential order) on every chunking."""
    x = SCAN_DATA[key]
    axes = [None] + list(range(-x.ndim, x.ndim)) if x.ndim else [None, 0]
    for axis in axes:
        with np.errstate(all="ignore"):
            expected = getattr(np, name)(x, axis=axis)
        t = getattr(mt, name)(to_mt(x, chunk_size), axis=axis)
        assert t.shape == expected.shape and t.dtype == expected.dtype
        actual = run(t, session)
        np.testing.assert_array_equal(actual, expected)
        assert np.array_equal(np.signbit(actual), np.signbit(expected))


def test_scan_methods_and_dtype(session):
    x = SCAN_DATA["i32"]
    t = mt.tensor(x, chunk_size=1)
    for fn, expected in [
            (lambda a: a.cumsum(axis=1), x.cumsum(axis=1)),
            (lambda a: a.cumprod(), x.cumprod()),
            (lambda a: mt.cumsum(a, 0, dtype=np.float32),
             np.cumsum(x, 0, dtype=np.float32)),
            (lambda a: mt.cumsum(a, 1, dtype=np.int32),
             np.cumsum(x, 1, dtype=np.int32)),
            (lambda a: mt.cumproduct(a, 0), np.cumprod(x, 0))]:
        with np.errstate(all="ignore"):
            assert_same(run(fn(t), session), expected, rtol=0)


def test_scan_of_expression_and_consumer(session):
    """Scans between fused elementwise work, and reduced afterwards."""
    x = np.linspace(-3, 3, 37).reshape(37, 1) * np.ones((1, 5))
    t = mt.tensor(x, chunk_size=(4, 2))
    got = run((mt.cumsum(t * 2 - 1, axis=0) + 1).sum(axis=1), session)
    assert_same(got, (np.cumsum(x * 2 - 1, axis=0) + 1).sum(axis=1))


def test_scan_errors():
    with pytest.raises(np.AxisError):
        mt.cumsum(mt.ones((2, 3)), axis=2)
    with pytest.raises(np.AxisError):
        mt.cumsum(mt.tensor(3.0), axis=1)
    with pytest.raises(NotImplementedError):
        mt.cumsum(mt.ones(3), out=mt.ones(3))


def test_scan_eager():
    mars.options.eager_mode = True
    x = SCAN_DATA["f64"]
    t = mt.nancumsum(mt.tensor(x, chunk_size=2), axis=1)
    assert t._t.executed
    np.testing.assert_array_equal(np.asarray(t), np.nancumsum(x, axis=1))


def test_nan_functions_replace_nan_before_dtype(session):
    """numpy replaces NaN before casting to the dtype asked for."""
    x = np.array([[1.0, np.nan, 2.5], [np.nan, np.nan, -4.0]])
    t = mt.tensor(x, chunk_size=2)
    for name in ("nansum", "nancumsum", "nancumprod"):
        for dtype in (np.int64, np.int32, np.bool_, np.float32):
            for axis in (None, 1):
                expected = getattr(np, name)(x, axis=axis, dtype=dtype)
                got = run(getattr(mt, name)(t, axis=axis, dtype=dtype),
                          session)
                assert_same(got, expected)
