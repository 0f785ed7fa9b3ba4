"""Sorting, searching, selection and order statistics against numpy: sort,
argsort (numpy's stable order), partition, searchsorted, take,
take_along_axis, nonzero and friends, median, percentile and quantile (all
of numpy's methods) and their nan versions, on every dtype, chunk size and
session kind, with NaN, infinities, ties, empty and size-1 axes."""

import warnings

import numpy as np
import pytest

import mars.tensor as mt

import mars._mars as _mars  # sorted_at, which the front ends compose on
from mars.tensor.core import _wrap

from helpers import assert_same, check, run

rng = np.random.default_rng(2021)
DTYPES = ["float64", "float32", "int64", "int32", "bool"]


def values(shape, dtype, nan=True):
    """Random values with ties; floats with NaN, infinities and -0.0."""
    if dtype == "bool":
        return rng.random(shape) < 0.5
    x = rng.integers(-4, 5, shape).astype(dtype)
    if x.dtype.kind == "f":
        x = x * np.asarray(1.5, x.dtype)
        flat = x.reshape(-1)
        for s in ([np.nan, np.inf, -np.inf, -0.0] if nan else [-0.0]):
            if flat.size > 2:
                flat[rng.integers(flat.size)] = s
    return x


SHAPES = [((9,), -1), ((4, 7), 0), ((4, 7), -1), ((2, 3, 5), 1),
          ((0, 3), 0), ((3, 0), -1), ((1, 1), 0), ((5,), None),
          ((3, 4), None)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,axis", SHAPES)
def test_sort_and_argsort(session, chunk_size, dtype, shape, axis):
    x = values(shape, dtype)
    want = np.sort(x, axis=axis)
    got = run(mt.sort(mt.tensor(x, chunk_size=chunk_size), axis=axis),
              session)
    assert_same(got, want)
    check(lambda xp, a: xp.argsort(a, axis=axis, kind="stable"), x,
          session=session, chunk_size=chunk_size)


def test_sort_kinds_and_methods(session):
    x = values((6, 5), "float64")
    t = mt.tensor(x, chunk_size=2)
    for kind in [None, "quicksort", "mergesort", "heapsort", "stable"]:
        assert_same(run(mt.sort(t, kind=kind), session), np.sort(x))
        assert_same(run(t.argsort(kind=kind), session),
                    np.argsort(x, kind="stable"))
    u = mt.tensor(x, chunk_size=3)
    before = u
    old = mt.tensor(x) + u  # uses the version before the in-place sort
    u.sort(axis=0)
    assert u is before
    assert_same(run(u, session), np.sort(x, axis=0))
    assert_same(run(old, session), x + x)
    assert_same(run(mt.msort(t), session), np.sort(x, axis=0))


def test_sort_signed_zeros_and_nan_payloads(session):
    x = np.array([0.0, -0.0, np.nan, -np.nan, 0.0, -0.0, -1.0], np.float64)
    got = run(mt.sort(mt.tensor(x, chunk_size=2)), session)
    assert_same(got, np.sort(x))
    # [-1, -0.0, -0.0, 0.0, 0.0, nan, nan]: Mars puts -0.0 first.
    np.testing.assert_array_equal(np.signbit(got[:5]),
                                  [True, True, True, False, False])
    assert np.isnan(got[5:]).all()


def test_long_lanes_sort_in_runs(session):
    # Lanes longer than a run (2**21) sort as runs and their merge.
    x = values((5_000_001,), "float64")
    x[::7] = -0.0
    t = mt.tensor(x, chunk_size=1_000_000)
    got = run(mt.sort(t), session)
    assert_same(got, np.sort(x), rtol=0)
    zeros = got[got == 0]
    assert np.signbit(zeros[:np.count_nonzero(np.signbit(x[x == 0]))]).all()
    assert_same(run(mt.median(t), session), np.median(x), rtol=0)


def test_sort_errors():
    t = mt.tensor(np.arange(6.0).reshape(2, 3))
    with pytest.raises(np.AxisError):
        mt.sort(t, axis=2)
    with pytest.raises(np.AxisError):
        mt.argsort(mt.tensor(3.0), axis=0)
    with pytest.raises(ValueError):
        mt.sort(t, kind="bogus")
    with pytest.raises(ValueError):
        mt.sort(t, order="f")


@pytest.mark.parametrize("kth", [0, 2, -1, [0, 3]])
def test_partition(session, chunk_size, kth):
    x = values((4, 6), "float64")
    t = mt.tensor(x, chunk_size=chunk_size)
    got = run(mt.partition(t, kth), session)
    want = np.partition(x, kth)
    for k in np.atleast_1d(kth):
        assert_same(got[:, k], want[:, k])
    idx = run(mt.argpartition(t, kth, axis=-1), session)
    for k in np.atleast_1d(kth):
        assert_same(np.take_along_axis(x, idx, -1)[:, k], want[:, k])
    with pytest.raises(ValueError, match=r"kth\(=6\) out of bounds \(6\)"):
        mt.partition(t, 6)
    with pytest.raises(TypeError):
        mt.partition(t, 1.5)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted(session, chunk_size, dtype, side):
    for n, vshape in [(12, (3, 4)), (1, (5,)), (0, (3,)), (30, ())]:
        a = np.sort(values((n,), dtype))
        v = values(vshape, dtype)
        check(lambda xp, a, v: xp.searchsorted(a, v, side=side), a, v,
              session=session, chunk_size=chunk_size)
    a = values((10,), "float64")
    sorter = np.argsort(a, kind="stable")
    v = values((7,), "float64")
    check(lambda xp, a, v, s: xp.searchsorted(a, v, side, sorter=s),
          a, v, sorter, session=session, chunk_size=chunk_size)
    # Python numbers and mixed dtypes compare in numpy's result type.
    b = np.arange(10, dtype=np.int32)
    check(lambda xp, b: xp.searchsorted(b, 3.5), b, session=session)
    check(lambda xp, b: b.searchsorted([2, 7], side=side), b,
          session=session)


def test_searchsorted_errors():
    with pytest.raises(ValueError):
        mt.searchsorted(mt.ones((2, 2)), 1.0)
    with pytest.raises(ValueError):
        mt.searchsorted(mt.arange(3), 1, side="middle")
    with pytest.raises(ValueError):
        mt.searchsorted(mt.arange(3), 1, sorter=[0, 1])


@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
@pytest.mark.parametrize("shape,axis,ishape", [
    ((5, 6), 1, (4,)), ((5, 6), 0, (2, 3)), ((7,), 0, ()),
    ((2, 3, 4), 2, (9,)), ((3, 4), None, (5,)), ((3, 4), 1, (0,))])
def test_take(session, chunk_size, mode, shape, axis, ishape):
    x = values(shape, "float64")
    n = x.size if axis is None else shape[axis]
    lo, hi = (-n, n) if mode == "raise" else (-3 * n, 3 * n)
    idx = rng.integers(lo, hi, ishape)
    check(lambda xp, a, i: xp.take(a, i, axis=axis, mode=mode), x, idx,
          session=session, chunk_size=chunk_size)
    check(lambda xp, a: a.take(idx.tolist() if idx.ndim else int(idx),
                               axis=axis, mode=mode), x, session=session,
          chunk_size=chunk_size)


def test_take_errors(session):
    t = mt.tensor(np.arange(6.0).reshape(2, 3), chunk_size=1)
    with pytest.raises(IndexError, match="index 3 is out of bounds for "
                                         "axis 1 with size 3"):
        run(mt.take(t, [0, 3], axis=1), session)
    with pytest.raises(IndexError):
        run(mt.take(t, [-7]), session)
    with pytest.raises(IndexError):
        run(mt.take(mt.zeros((0,)), [0], mode="clip"), session)
    with pytest.raises(TypeError):
        mt.take(t, [0.5])
    with pytest.raises(ValueError):
        mt.take(t, [0], mode="fold")
    assert_same(run(mt.take(t, [True, False]), session), [1.0, 0.0])


@pytest.mark.parametrize("dtype", DTYPES)
def test_take_along_axis(session, chunk_size, dtype):
    x = values((4, 5, 3), dtype)
    for axis in [0, 1, -1]:
        idx = np.argsort(x, axis=axis, kind="stable")
        check(lambda xp, a, i: xp.take_along_axis(a, i, axis), x, idx,
              session=session, chunk_size=chunk_size)
        m = x.shape[axis]
        ishape = list(x.shape)
        ishape[axis] = 2
        i2 = rng.integers(-m, m, ishape)
        check(lambda xp, a, i: xp.take_along_axis(a, i, axis), x, i2,
              session=session, chunk_size=chunk_size)
    # Broadcasting of the other axes, both ways, and axis=None.
    check(lambda xp, a, i: xp.take_along_axis(a, i, 1), x[:1], idx[:, :2],
          session=session, chunk_size=chunk_size)
    check(lambda xp, a, i: xp.take_along_axis(a, i, 2), x,
          np.array([[[2, 0]]]), session=session, chunk_size=chunk_size)
    check(lambda xp, a, i: xp.take_along_axis(a, i, None), x,
          np.array([0, 59, -1, 7]), session=session, chunk_size=chunk_size)


def test_take_along_axis_errors(session):
    t = mt.tensor(np.arange(6.0).reshape(2, 3))
    with pytest.raises(IndexError):
        mt.take_along_axis(t, mt.tensor([[0.5]]), 1)
    with pytest.raises(ValueError):
        mt.take_along_axis(t, mt.tensor([0]), 1)
    with pytest.raises(ValueError):
        mt.take_along_axis(t, mt.tensor([[0, 1]]), None)
    with pytest.raises(IndexError, match="index 3 is out of bounds for "
                                         "axis 1 with size 3"):
        run(mt.take_along_axis(t, mt.tensor([[0], [3]]), 1), session)


def test_value_dependent_shapes(session):
    x = values((4, 5), "float64")
    mask = x > 0
    for fn in [lambda xp, a: xp.flatnonzero(a > 0),
               lambda xp, a: xp.argwhere(a > 0),
               lambda xp, a: xp.compress([True, False, True], a, axis=0),
               lambda xp, a: xp.compress(a[0] > 0, a, axis=1),
               lambda xp, a: xp.compress([0, 1, 1], a),
               lambda xp, a: xp.extract(a > 0, a),
               lambda xp, a: xp.nonzero(a > 0)[1],
               lambda xp, a: xp.where(a > 0)[0],
               lambda xp, a: (a > 0).nonzero()[0]]:
        check(fn, x, session=session, chunk_size=2)
    with pytest.raises(IndexError):
        mt.compress([True] * 5, mt.tensor(x), axis=0)
    with pytest.raises(ValueError):
        mt.nonzero(mt.tensor(1.0))
    assert len(mt.nonzero(mt.tensor(mask))) == 2


Q_METHODS = ["inverted_cdf", "averaged_inverted_cdf", "closest_observation",
             "interpolated_inverted_cdf", "hazen", "weibull", "linear",
             "median_unbiased", "normal_unbiased", "lower", "higher",
             "midpoint", "nearest"]


def stat_input(shape, dtype, nan):
    x = values(shape, dtype, nan=nan)
    if x.dtype.kind == "f":
        x = x + rng.standard_normal(shape).astype(dtype)
        if nan and x.ndim > 1 and x.shape[-1] > 1:
            x[..., 1] = np.nan  # a lane of NaNs only
            x.reshape(-1)[-1] = np.nan
        # No first lane of NaNs only: numpy's nan functions take their
        # dtype from the first lane's result.
        if x.size:
            x.reshape(-1)[0] = 1.5
    return x


@pytest.mark.parametrize("fn", ["median", "nanmedian"])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "bool"])
def test_median(session, chunk_size, fn, dtype):
    for shape in [(7,), (6,), (4, 6), (3, 4, 5), (1, 1), (4, 0)]:
        x = stat_input(shape, dtype, nan=True)
        axes = [None] + list(range(x.ndim)) + ([(0, -1)] if x.ndim > 1
                                               else [])
        for axis in axes:
            for keepdims in (False, True):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    check(lambda xp, a: getattr(xp, fn)(
                        a, axis=axis, keepdims=keepdims), x,
                        session=session, chunk_size=chunk_size, rtol=0)


@pytest.mark.parametrize("fn", ["quantile", "nanquantile", "percentile",
                                "nanpercentile"])
@pytest.mark.parametrize("method", Q_METHODS)
def test_quantiles(session, fn, method):
    scale = 100 if "percentile" in fn else 1
    for shape, dtype in [((9,), "float64"), ((5, 6), "float64"),
                         ((4, 3, 2), "float32"), ((6, 5), "int32")]:
        x = stat_input(shape, dtype, nan=True)
        # The first lane is not all NaN: numpy's nan functions take their
        # dtype from the first lane's result.
        for q in [0.5, [0.0, 0.25, 1.0], 0.37]:
            qv = np.asarray(q) * scale
            for axis in [None, 0, -1]:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    want = getattr(np, fn)(x, qv, axis=axis, method=method)
                got = run(getattr(mt, fn)(mt.tensor(x, chunk_size=2), qv,
                                          axis=axis, method=method), session)
                if np.ndim(want) == 0 and np.isnan(want):
                    # numpy returns the lane's NaN in the data's dtype
                    # there, a dtype that depends on the values.
                    assert np.isnan(got)
                    continue
                assert_same(got, want, rtol=0)


def test_quantile_errors():
    t = mt.tensor(np.arange(6.0))
    with pytest.raises(ValueError, match="Quantiles must be in the range"):
        mt.quantile(t, 1.5)
    with pytest.raises(ValueError, match="Percentiles must be in the range"):
        mt.percentile(t, -1)
    with pytest.raises(ValueError):
        mt.quantile(t, 0.5, method="bogus")
    with pytest.raises(ValueError):
        mt.quantile(t, [[[0.5]]])
    with pytest.raises(IndexError):
        mt.quantile(mt.zeros((0,)), 0.5)
    with pytest.raises(TypeError):
        mt.quantile(t, 0.5, method="lower", interpolation="higher")
    assert_same(run(mt.percentile(t, 50, interpolation="lower"), None),
                np.percentile(np.arange(6.0), 50, method="lower"))


# -- radix selection: order statistics of a lane longer than a chunk --------

RADIX_DTYPES = ["float64", "float32", "float16", "int64", "int32", "int16",
                "int8", "uint64", "uint32", "uint16", "uint8", "bool"]


def radix_input(n, dtype, kind):
    """n values of `dtype`: spread out, few distinct (ties across parts),
    all equal, or (floats) with NaN, infinities and both zeros."""
    if dtype == "bool":
        return rng.random(n) < (0.5 if kind != "equal" else 2.0)
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
    if kind == "equal":
        return np.full(n, 3, dtype)
    if kind == "ties":
        return rng.integers(0, 3, n).astype(dtype)
    if info is not None:
        return rng.integers(info.min, info.max, n, dtype=dtype,
                            endpoint=True)
    x = (rng.standard_normal(n) * 1e3).astype(dtype)
    if kind == "special":
        x[rng.integers(n, size=max(1, n // 7))] = -0.0
        x[rng.integers(n, size=max(1, n // 9))] = 0.0
        for s in (np.nan, np.inf, -np.inf, np.finfo(dtype).tiny,
                  -np.finfo(dtype).max, 5e-324 if dtype == "float64" else 1e-45):
            x[rng.integers(n)] = s
    return x


def same_bits(got, want):
    """Equal, NaN equal to NaN, and zeros of the same sign."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    if want.dtype.kind == "f":
        assert np.array_equal(got, want, equal_nan=True), (got, want)
        assert np.array_equal(np.signbit(got), np.signbit(want)
                              | np.isnan(want) & np.signbit(got)), (got, want)
    else:
        assert np.array_equal(got, want), (got, want)


@pytest.mark.parametrize("dtype", RADIX_DTYPES)
@pytest.mark.parametrize("kind", ["spread", "ties", "equal", "special"])
def test_radix_selection(session, dtype, kind):
    """A 1-d lane of several parts is selected digit by digit, part by part
    (mars.radix_*): mars.sorted_at's elements, each bit of them, at ragged
    part lengths (which need not be the chunks'), the first and last
    positions, repeats and -k."""
    for n, chunk, part in [(37, 5, 5), (64, 8, 16), (1000, 999, 999),
                           (2, 1, 1), (517, 100, 77)]:
        x = radix_input(n, dtype, kind)
        # numpy's order, and among the zeros (equal to numpy) -0.0 first:
        # mars.sorted_at's rule on every path.
        want_sorted = x[np.lexsort((~np.signbit(x), x))] if x.dtype.kind == \
            "f" else np.sort(x)
        t = mt.tensor(x, chunk_size=chunk)
        kth = sorted({0, n - 1, n // 2, (n - 1) // 2, n // 3})
        for ks in (kth, [n - 1], [-1, 0, -1], [n // 2] * 3):
            for part_length in (part, 0):  # radix; whole-lane (short lane)
                got = run(_wrap(_mars.sorted_at(t._t, list(ks), 0,
                                                part_length=part_length)),
                          session)
                same_bits(got, want_sorted[np.asarray(ks) % n])


def test_radix_selection_nan_bits(session):
    """A NaN position of a radix selection is the quiet NaN, whatever NaN
    the lane held (x86's default NaN has its sign bit set)."""
    x = np.array([1.0, -np.nan, 2.0, np.nan, -0.0] * 3)
    t = mt.tensor(x, chunk_size=4)
    got = run(_wrap(_mars.sorted_at(t._t, [0, 14], 0, part_length=4)),
              session)
    assert got[0] == 0 and np.signbit(got[0])
    assert np.isnan(got[1]) and not np.signbit(got[1])


@pytest.mark.parametrize("dtype", ["float64", "int32", "uint64"])
def test_radix_selection_through_the_front_end(session, dtype):
    """median, percentile and topk of a lane of several chunks, each part
    long enough for their counts: numpy's results."""
    n = (1 << 21) + 3
    x = radix_input(n, dtype, "special" if dtype == "float64" else "spread")
    t = mt.tensor(x, chunk_size=1 << 18)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same(run(mt.median(t), session), np.median(x), rtol=0)
        assert_same(run(mt.percentile(t, [10, 90], method="lower"), session),
                    np.percentile(x, [10, 90], method="lower"), rtol=0)
    want = np.sort(x)[::-1][:3]
    assert_same(run(mt.topk(t, 3), session), want, rtol=0)


def test_radix_selection_is_composed_for_long_lanes(compiled_session):
    """The graph: histograms per part, summed, picked, for a lane of
    several parts; a short lane, many small chunks (whose counts would
    outweigh the data) or many positions keep the whole-lane selection."""
    x = np.arange(float(1 << 21))
    tiled = mt.median(mt.tensor(x, chunk_size=1 << 18)).visualize(
        stage="tiled").source
    assert "mars.radix_histogram" in tiled and "mars.sorted_at" not in tiled
    for t in (mt.median(mt.tensor(x[:1000])),
              mt.median(mt.tensor(x[:100000], chunk_size=10)),
              mt.percentile(mt.tensor(x, chunk_size=1 << 18),
                            np.linspace(0, 100, 40))):
        source = t.visualize(stage="tiled").source
        assert "mars.sorted_at" in source and "radix" not in source


def test_radix_selection_errors():
    with pytest.raises(ValueError):
        _mars.sorted_at(mt.tensor(np.arange(4.0))._t, [1], 0,
                        part_length=-1)
