"""numpy's order statistics over Mars's sort: median, percentile, quantile
and their NaN-ignoring versions nanmedian, nanpercentile, nanquantile.

Each follows numpy's steps (numpy/lib/function_base.py, nanfunctions.py):
the values at the positions read come from the sorted lanes (for median,
percentile and quantile by selection, ``mars.sorted_at``, O(n) per lane as
numpy's partition; the nan versions too when one lane is reduced (its count
of numbers is executed first), and they sort when there are several), the
positions come from
numpy's formula for the method (the 13 methods of Hyndman and Fan and
numpy's own), and the values there are interpolated with numpy's lerp.

For median, percentile and quantile the positions depend only on the axis
length and q, so they are computed here with numpy, exactly as numpy
computes them; a lane holding NaN gives NaN. The nan versions count each
lane's numbers (NaNs sort last, after them) and compute the positions from
that count with the same formulas as Mars elementwise ops, so every lane
has its own."""

import operator as _operator

import numpy as _np

import mars.tensor as _mt
from .. import _mars
from ..session import get_default_session as _get_default_session
from .core import _tensor, _wrap
from .shape_base import _axis_index, _static


# -- numpy's methods: (virtual index, gamma fix); a virtual index of integer
# dtype means no interpolation. `xp` is numpy (positions known when the
# graph is built) or mars.tensor (per-lane counts). -------------------------


def _virtual_index(n, q, alpha, beta):
    return n * q + (alpha + q * (1 - alpha - beta)) - 1


def _to_boundaries(xp, index, take_previous):
    previous = xp.floor(index)
    following = previous + 1
    gamma = index - previous
    res = xp.where(take_previous(gamma, index), previous,
                   following).astype(_np.int64)
    return xp.where(res < 0, 0, res)


_METHODS = {
    "inverted_cdf": (
        lambda xp, n, q: _to_boundaries(xp, n * q - 1,
                                        lambda g, _: g == 0), None),
    "averaged_inverted_cdf": (
        lambda xp, n, q: n * q - 1,
        lambda xp, gamma, _: xp.where(gamma == 0, 0.5, 1.0)),
    "closest_observation": (
        lambda xp, n, q: _to_boundaries(
            xp, n * q - 1 - 0.5,
            lambda g, index: (g == 0) & (xp.floor(index) % 2 == 0)), None),
    "interpolated_inverted_cdf": (
        lambda xp, n, q: _virtual_index(n, q, 0, 1), None),
    "hazen": (lambda xp, n, q: _virtual_index(n, q, 0.5, 0.5), None),
    "weibull": (lambda xp, n, q: _virtual_index(n, q, 0, 0), None),
    "linear": (lambda xp, n, q: (n - 1) * q, None),
    "median_unbiased": (
        lambda xp, n, q: _virtual_index(n, q, 1 / 3.0, 1 / 3.0), None),
    "normal_unbiased": (
        lambda xp, n, q: _virtual_index(n, q, 3 / 8.0, 3 / 8.0), None),
    "lower": (lambda xp, n, q: xp.floor((n - 1) * q).astype(_np.int64),
              None),
    "higher": (lambda xp, n, q: xp.ceil((n - 1) * q).astype(_np.int64),
               None),
    "midpoint": (
        lambda xp, n, q: 0.5 * (xp.floor((n - 1) * q) + xp.ceil((n - 1) * q)),
        lambda xp, gamma, index: xp.where(index % 1 == 0, 0.0, 0.5)),
    "nearest": (lambda xp, n, q: xp.around((n - 1) * q).astype(_np.int64),
                None),
}

# numpy's interpolation= spellings of the methods (deprecated there).
_OLD_NAMES = {"linear", "lower", "higher", "midpoint", "nearest"}


def _method(method, interpolation):
    if interpolation is not None:
        if method != "linear":
            raise TypeError("You shall not pass both `method` and "
                            "`interpolation`!\n(`interpolation` is "
                            "Deprecated in favor of `method`)")
        if interpolation not in _OLD_NAMES:
            raise ValueError("%r is not a valid method. Use one of: %s"
                             % (interpolation, list(_METHODS)))
        method = interpolation
    if method not in _METHODS:
        raise ValueError("%r is not a valid method. Use one of: %s"
                         % (method, list(_METHODS)))
    return _METHODS[method]


def _lerp(a, b, t):
    """numpy's _lerp: a + (b - a) * t, from b's side where t >= 0.5. The
    difference is taken in the data's dtype and the rest in float64, the
    dtype of numpy's gamma (float32 widens exactly)."""
    diff = (b - a).astype(_np.float64)
    a = a.astype(_np.float64)
    b = b.astype(_np.float64)
    low = a + diff * t
    high = b - diff * (1 - t)
    return _mt.where(t >= 0.5, high, low)


def _q_array(q, scale, name):
    """q as a float64 numpy array in [0, 1] (numpy's check and error)."""
    q = _np.true_divide(_np.asanyarray(_static(q)), scale)
    if q.ndim > 2:
        raise ValueError("q must be a scalar or 1d")
    if not (_np.all(0 <= q) and _np.all(q <= 1)):
        raise ValueError("%s must be in the range [0, %s]"
                         % (name, "100" if scale == 100 else "1"))
    return q


def _lanes(a, axis):
    """``a`` with the reduced axes (None: all; an int or a tuple) merged
    into axis 0, and the shape keepdims gives the result's other axes."""
    t = _tensor(a)
    nd = t.ndim
    if axis is None:
        axes = list(range(nd))
    elif isinstance(axis, (tuple, list)):
        axes = sorted(_axis_index(x, nd) for x in axis)
        if len(set(axes)) != len(axes):
            raise ValueError("duplicate value in 'axis'")
    else:
        axes = [_axis_index(axis, nd)]
    rest = [d for d in range(nd) if d not in axes]
    moved = _mt.transpose(t, axes + rest) if axes + rest != list(range(nd)) \
        else t
    n = 1
    for d in axes:
        n *= t.shape[d]
    lanes = moved.reshape((n,) + tuple(t.shape[d] for d in rest))
    kept = tuple(1 if d in axes else t.shape[d] for d in range(nd))
    return lanes, kept


def _finish(result, qshape, kept, keepdims):
    if keepdims:
        result = result.reshape(tuple(qshape) + kept)
    return result


def _sorted_at(t, kth, axis):
    """``mars.sorted_at`` of t's values at `kth` along `axis`. A long 1-d
    lane is selected by radix, part by part; its parts are the chunks the
    default session's tiling gives the lane, so that each is read without
    a copy and fits the session's memory limit (a tensor with its own chunk
    size keeps that)."""
    chunk = 0
    if t.ndim == 1 and t.shape[0] > _RADIX_MIN_PART:
        chunk = _get_default_session().chunk_shape(t)[0]
    return _wrap(_mars.sorted_at(t._t, list(kth), axis, chunk_length=chunk))


# The shortest part api::sortedAt gives a radix selection (its counts,
# 65536 int64 per position, at most half its bytes: 2 x 65536 f64 for one
# position): shorter lanes need not ask the session for their chunking.
_RADIX_MIN_PART = 2 * 65536


def _selected(lanes, *positions):
    """The sorted lanes (along axis 0) at each array of host positions
    (negatives from the end), in its shape, by one selection."""
    n = lanes.shape[0]
    flat = [_np.asarray(p, _np.int64) % n for p in positions]
    kth = _np.unique(_np.concatenate([f.reshape(-1) for f in flat]))
    picked = _sorted_at(lanes, kth.tolist(), 0)
    # Each position's slot in the sorted, unique kth.
    return [_mt.take(picked, _np.searchsorted(kth, f), axis=0) for f in flat]


def _positions(method, n, q, float_data):
    """numpy's positions for q in a lane of n: the virtual index, and for
    interpolating methods the previous and following positions (-1: the
    last) and the weight of the following, or None."""
    virtual, fix = method
    vi = _np.asanyarray(virtual(_np, n, q))
    if vi.dtype.kind in "iu":
        return vi, None, None, None
    previous = _np.array(_np.floor(vi))
    following = _np.array(previous + 1)
    above = vi >= n - 1
    previous[above] = -1
    following[above] = -1
    below = vi < 0
    previous[below] = 0
    following[below] = 0
    if float_data:
        nans = _np.isnan(vi)
        previous[nans] = -1
        following[nans] = -1
    previous = previous.astype(_np.int64)
    following = following.astype(_np.int64)
    gamma = _np.asanyarray(vi - previous)
    if fix is not None:
        gamma = _np.asanyarray(fix(_np, gamma, vi))
    return vi, previous, following, gamma


def _quantile(a, q, axis, method, keepdims):
    lanes, kept = _lanes(a, axis)
    n = lanes.shape[0]
    if n == 0:
        raise IndexError("index -1 is out of bounds for axis 0 with size 0")
    float_data = lanes.dtype.kind == "f"
    vi, previous, following, gamma = _positions(method, n, q, float_data)
    if previous is None:
        result, last = _selected(lanes, vi, _np.array(-1))
    else:
        gamma = gamma.reshape(vi.shape + (1,) * (lanes.ndim - 1))
        low, high, last = _selected(lanes, previous, following,
                                    _np.array(-1))
        result = _lerp(low, high, gamma)
    if float_data:
        result = _mt.where(_mt.isnan(last), last, result)
    return _finish(result, vi.shape, kept, keepdims)


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """numpy.median: the mean of the middle one or two elements of the
    sorted lane (NaN when the lane holds NaN; float64 for integers)."""
    if out is not None:
        raise NotImplementedError("out= is not supported (tensors are "
                                  "immutable)")
    lanes, kept = _lanes(a, axis)
    n = lanes.shape[0]
    if n == 0:
        # numpy: the mean of no elements (NaN).
        return _finish(_mt.mean(lanes, axis=0), (), kept, keepdims)
    h = n // 2
    middle, last = _selected(lanes, [h] if n % 2 == 1 else [h - 1, h],
                             _np.array(-1))
    result = _mt.mean(middle, axis=0)
    if lanes.dtype.kind == "f":
        result = _mt.where(_mt.isnan(last), last, result)
    return _finish(result, (), kept, keepdims)


# -- NaN-ignoring versions: positions from each lane's count of numbers ------


def _sorted_lanes(lanes):
    """The lane length, the other axes, the lanes sorted (NaNs after the
    numbers) and, with the sorted axis kept as 1, each lane's count of
    numbers."""
    rest = lanes.shape[1:]
    count = _mt.sum(~_mt.isnan(lanes), axis=0).reshape((1,) + rest)
    return lanes.shape[0], rest, _mt.sort(lanes, axis=0), count


def _lane_index(index, count, n):
    """A position in a lane of `count` numbers (negative: from its end, as
    numpy's take on the NaN-free lane), clipped into the tensor's n."""
    index = _mt.where(index < 0, index + count, index)
    return _mt.clip(index, 0, max(n - 1, 0))


def _numbers_in_one_lane(lanes):
    """For a single lane (the whole tensor reduced), its count of numbers,
    executed: the positions then come from numpy's formulas on the host and
    the values by selection (NaNs sort after the numbers), as median's.
    None for several lanes, or a lane of NaNs only (the sorting path's
    answer)."""
    if lanes.ndim != 1:
        return None
    count = int(_static(_mt.sum(~_mt.isnan(lanes))))
    return count or None


def _nanquantile(a, q, axis, method, keepdims):
    virtual, fix = method
    lanes, kept = _lanes(a, axis)
    if lanes.size == 0:
        # numpy's answer for no elements at all, whatever q and the dtype.
        return _mt.nanmean(a, axis=axis, keepdims=keepdims)
    if lanes.dtype.kind != "f":
        return _quantile(a, q, axis, method, keepdims)
    c = _numbers_in_one_lane(lanes)
    if c is not None:
        vi, previous, following, gamma = _positions(method, c, q, False)
        # As numpy's quantile of the lane's numbers: the values' difference
        # in their dtype, the weights (an array: not weak) in float64.
        if previous is None:
            (result,) = _selected(lanes, vi.reshape(-1) % c)
        else:
            low, high = _selected(lanes, previous.reshape(-1) % c,
                                  following.reshape(-1) % c)
            result = _lerp(low, high, _np.asarray(gamma, _np.float64)
                           .reshape(-1))
        return _finish(result.reshape(q.shape), q.shape, kept, keepdims)
    n, rest, s, count = _sorted_lanes(lanes)
    qs = q.reshape(q.shape + (1,) * len(rest)).reshape((-1,) + (1,) *
                                                         len(rest))
    vi = virtual(_mt, count, qs)
    shape = (qs.shape[0],) + rest
    if vi.dtype.kind in "iu":
        result = _mt.take_along_axis(
            s, _mt.broadcast_to(_lane_index(vi, count, n), shape), axis=0)
    else:
        floor = _mt.floor(vi)
        above = vi >= count - 1
        below = vi < 0
        previous = _mt.where(above, -1, _mt.where(below, 0, floor))
        following = _mt.where(above, -1, _mt.where(below, 0, floor + 1))
        previous = previous.astype(_np.int64)
        following = following.astype(_np.int64)
        gamma = vi - previous
        if fix is not None:
            gamma = fix(_mt, gamma, vi)
        take = lambda i: _mt.take_along_axis(
            s, _mt.broadcast_to(_lane_index(i, count, n), shape), axis=0)
        result = _lerp(take(previous), take(following),
                       _mt.broadcast_to(gamma, shape))
    result = result.reshape(q.shape + rest)
    return _finish(result, q.shape, kept, keepdims)


def nanmedian(a, axis=None, out=None, overwrite_input=False,
              keepdims=False):
    """numpy.nanmedian: the median of each lane's numbers, (low + high) / 2
    of its middle two, or its middle one (NaN for a lane of NaNs only)."""
    if out is not None:
        raise NotImplementedError("out= is not supported (tensors are "
                                  "immutable)")
    lanes, kept = _lanes(a, axis)
    if lanes.dtype.kind != "f":
        return median(a, axis=axis, keepdims=keepdims)
    if lanes.size == 0:
        return _mt.nanmean(a, axis=axis, keepdims=keepdims)
    c = _numbers_in_one_lane(lanes)
    if c is not None:
        h = c // 2
        # Lanes of one element, so that arithmetic keeps their dtype.
        if c % 2 == 1:
            (result,) = _selected(lanes, _np.array([h]))
        else:
            low, high = _selected(lanes, _np.array([h - 1]), _np.array([h]))
            result = (low + high) / 2
        return _finish(result.reshape(()), (), kept, keepdims)
    n, rest, s, count = _sorted_lanes(lanes)
    h = count // 2
    odd = count % 2 == 1
    low_at = _lane_index(_mt.where(odd, h, h - 1), count, n)
    high_at = _lane_index(h, count, n)
    low = _mt.take_along_axis(s, low_at, axis=0)
    high = _mt.take_along_axis(s, high_at, axis=0)
    result = _mt.where(odd, low, (low + high) / 2).reshape(rest)
    return _finish(result, (), kept, keepdims)


def _entry(name, compute, scale, doc):
    """numpy's quantile-like function `name` over `compute`."""
    def f(a, q, axis=None, out=None, overwrite_input=False,
          method="linear", keepdims=False, *, interpolation=None):
        if out is not None:
            raise NotImplementedError("out= is not supported (tensors are "
                                      "immutable)")
        m = _method(method, interpolation)
        what = "Percentiles" if scale == 100 else "Quantiles"
        return compute(a, _q_array(q, scale, what), axis, m, keepdims)
    f.__name__ = name
    f.__doc__ = doc
    return f


quantile = _entry("quantile", _quantile, 1,
                  "numpy.quantile: the q-th quantiles along ``axis`` (any of "
                  "numpy's 13 methods); q's axes come first in the result.")
percentile = _entry("percentile", _quantile, 100,
                    "numpy.percentile: quantile at q / 100.")
nanquantile = _entry("nanquantile", _nanquantile, 1,
                     "numpy.nanquantile: quantile of each lane's numbers "
                     "(NaN for a lane of NaNs only).")
nanpercentile = _entry("nanpercentile", _nanquantile, 100,
                       "numpy.nanpercentile: nanquantile at q / 100.")


__all__ = ["median", "percentile", "quantile", "nanmedian", "nanpercentile",
           "nanquantile"]
