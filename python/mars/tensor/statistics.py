"""numpy's statistics and differences that compose from Mars's reductions,
slices and products: ptp, average, diff, ediff1d, trapz, cov, corrcoef.
Each follows numpy's own steps (numpy/lib/function_base.py). Weights that
numpy checks for values (average's zero sum, cov's fweights and aweights)
are checked when the function is called: numpy weights become numpy
arrays, and a tensor of weights is executed for the check."""

import operator as _operator
import warnings as _warnings

import numpy as _np

import mars.tensor as _mt
from .core import Tensor, _tensor
from .shape_base import _along, _axis_index, _static


def ptp(a, axis=None, out=None, keepdims=False):
    """numpy.ptp: max - min along axis."""
    t = _tensor(a)
    return _mt.subtract(_mt.max(t, axis=axis, out=out, keepdims=keepdims),
                        _mt.min(t, axis=axis, keepdims=keepdims))


def average(a, axis=None, weights=None, returned=False, keepdims=False):
    """numpy.average: the mean, or the weighted mean sum(a * w) / sum(w)."""
    t = _tensor(a)
    if weights is None:
        avg = _mt.mean(t, axis=axis, keepdims=keepdims)
        scl = t.size / max(avg.size, 1)
        if not returned:
            return avg
        return avg, _mt.full(avg.shape, scl, dtype=avg.dtype)
    w = _tensor(weights)
    if t.dtype.kind in "iub":
        rd = _np.result_type(t.dtype, w.dtype, "f8")
    else:
        rd = _np.result_type(t.dtype, w.dtype)
    if t.shape != w.shape:
        if axis is None:
            raise TypeError("Axis must be specified when shapes of a and "
                            "weights differ.")
        if w.ndim != 1:
            raise TypeError("1D weights expected when shapes of a and "
                            "weights differ.")
        ax = _axis_index(axis, t.ndim)
        if w.shape[0] != t.shape[ax]:
            raise ValueError("Length of weights not compatible with "
                             "specified axis.")
        w = _mt.broadcast_to(w, (t.ndim - 1) * (1,) + w.shape)
        w = _mt.swapaxes(w, -1, ax)
    scl = _mt.sum(w, axis=axis, dtype=rd, keepdims=keepdims)
    if _mt.any(scl == 0.0):
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    avg = _mt.sum(t.astype(rd) * w.astype(rd), axis=axis,
                  keepdims=keepdims) / scl
    if not returned:
        return avg
    if scl.shape != avg.shape:
        scl = _mt.broadcast_to(scl, avg.shape)
    return avg, scl


def diff(a, n=1, axis=-1, prepend=_np._NoValue, append=_np._NoValue):
    """numpy.diff: the n-th discrete difference along axis (not_equal for
    bools)."""
    if n == 0:
        return _tensor(a)
    if n < 0:
        raise ValueError("order must be non-negative but got " + repr(n))
    t = _tensor(a)
    if t.ndim == 0:
        raise ValueError("diff requires input that is at least one "
                         "dimensional")
    axis = _axis_index(axis, t.ndim)
    parts = []
    for extra in (prepend, append):
        if extra is _np._NoValue:
            parts.append(None)
            continue
        e = _tensor(extra)
        if e.ndim == 0:
            shape = list(t.shape)
            shape[axis] = 1
            e = _mt.broadcast_to(e, shape)
        parts.append(e)
    if parts[0] is not None or parts[1] is not None:
        t = _mt.concatenate([p for p in (parts[0], t, parts[1])
                             if p is not None], axis)
    op = _mt.not_equal if t.dtype == _np.bool_ else _mt.subtract
    for _ in range(n):
        length = t.shape[axis]
        t = op(_along(t, axis, 1, None), _along(t, axis, 0, max(length - 1,
                                                                0)))
    return t


def ediff1d(ary, to_end=None, to_begin=None):
    """numpy.ediff1d: differences of the flattened tensor, with optional
    values before and after."""
    t = _tensor(ary).ravel()
    n = t.shape[0]
    d = _mt.subtract(t[1:], t[:max(n - 1, 0)])
    if to_begin is None and to_end is None:
        return d
    pieces = []
    for name, extra in (("to_begin", to_begin), ("to_end", to_end)):
        if extra is None:
            pieces.append(None)
            continue
        src = extra.dtype if isinstance(extra, Tensor) else _np.asanyarray(
            extra)
        if not _np.can_cast(src, t.dtype, casting="same_kind"):
            raise TypeError("dtype of `%s` must be compatible with input "
                            "`ary` under the `same_kind` rule." % name)
        pieces.append(_tensor(extra).ravel().astype(t.dtype))
    return _mt.concatenate([p for p in (pieces[0], d, pieces[1])
                            if p is not None])


def trapz(y, x=None, dx=1.0, axis=-1):
    """numpy.trapz: the integral by the trapezoidal rule,
    sum(d * (y[1:] + y[:-1]) / 2)."""
    t = _tensor(y)
    axis = _axis_index(axis, t.ndim)
    if x is None:
        d = dx
    else:
        xt = _tensor(x)
        if xt.ndim == 1:
            d = diff(xt)
            shape = [1] * t.ndim
            shape[axis] = d.shape[0]
            d = d.reshape(shape)
        else:
            d = diff(xt, axis=axis)
    n = t.shape[axis]
    return _mt.sum(d * (_along(t, axis, 1, None) +
                        _along(t, axis, 0, max(n - 1, 0))) / 2.0, axis=axis)


def _weights(w, name, samples):
    if w is None:
        return None
    w = _np.asarray(w, dtype=float)
    if w.ndim > 1:
        raise RuntimeError("cannot handle multidimensional %s" % name)
    if w.shape[0] != samples:
        raise RuntimeError("incompatible numbers of samples and %s" % name)
    if _np.any(w < 0):
        raise ValueError("%s cannot be negative" % name)
    return w


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None,
        aweights=None, *, dtype=None):
    """numpy.cov: the covariance matrix of the variables in m's rows (its
    columns when rowvar is False)."""
    if ddof is not None and ddof != int(ddof):
        raise ValueError("ddof must be integer")
    X = _tensor(m)
    if X.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    if dtype is None:
        dtype = _np.result_type(X.dtype, _np.float64)
        if y is not None:
            dtype = _np.result_type(dtype, _tensor(y).dtype)
    X = _mt.atleast_2d(X).astype(dtype)
    if not rowvar and X.shape[0] != 1:
        X = X.T
    if X.shape[0] == 0:
        return _mt.zeros((0, 0), dtype=dtype)
    if y is not None:
        Y = _tensor(y)
        if Y.ndim > 2:
            raise ValueError("y has more than 2 dimensions")
        Y = _mt.atleast_2d(Y).astype(dtype)
        if not rowvar and Y.shape[0] != 1:
            Y = Y.T
        X = _mt.concatenate([X, Y], 0)
    if ddof is None:
        ddof = 0 if bias else 1
    samples = X.shape[1]
    w = None
    if fweights is not None:
        fw = _np.asarray(fweights, dtype=float)
        if not _np.all(fw == _np.around(fw)):
            raise TypeError("fweights must be integer")
        w = _weights(fw, "fweights", samples)
    aw = _weights(aweights, "aweights", samples)
    if aw is not None:
        w = aw if w is None else w * aw
    if w is None:
        avg = _mt.mean(X, axis=1)
        fact = samples - ddof
    else:
        avg = average(X, axis=1, weights=w)
        w_sum = w.sum()
        if ddof == 0:
            fact = w_sum
        elif aw is None:
            fact = w_sum - ddof
        else:
            fact = w_sum - ddof * (w * aw).sum() / w_sum
    if fact <= 0:
        _warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning,
                       stacklevel=2)
        fact = 0.0
    X = X - avg[:, None]
    X_T = X.T if w is None else (X * w).T
    c = _mt.dot(X, X_T.conj())
    with _np.errstate(divide="ignore"):
        c = c * _np.true_divide(1, fact)
    return _mt.squeeze(c)


def corrcoef(x, y=None, rowvar=True, bias=_np._NoValue, ddof=_np._NoValue,
             *, dtype=None):
    """numpy.corrcoef: the correlation coefficients, cov normalised by the
    standard deviations and clipped to [-1, 1]."""
    if bias is not _np._NoValue or ddof is not _np._NoValue:
        _warnings.warn("bias and ddof have no effect and are deprecated",
                       DeprecationWarning, stacklevel=2)
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    d = _mt.diagonal(c)
    stddev = _mt.sqrt(_mt.real(d))
    c = c / stddev[:, None]
    c = c / stddev[None, :]
    if c.dtype.kind == "c":  # numpy clips each part.
        from .. import _mars
        from .core import _wrap
        return _wrap(_mars.make_complex(_mt.clip(c.real, -1, 1)._t,
                                        _mt.clip(c.imag, -1, 1)._t))
    return _mt.clip(c, -1, 1)


def _monotonicity(bins):
    if bins.ndim != 1:
        raise ValueError("object too deep for desired array" if bins.ndim
                         else "object of too small depth for desired array")
    d = _np.diff(bins)
    if _np.all(d >= 0):
        return 1
    if _np.all(d <= 0):
        return -1
    return 0


def digitize(x, bins, right=False):
    """numpy.digitize: for each element, the index of the bin it falls in
    (bins, known when the graph is built, increase or decrease). Counted as
    the bins on the element's side, one fused reduction: its work grows
    with len(bins)."""
    t = _tensor(x)
    if t.dtype.kind == "c":
        raise TypeError("x may not be complex")
    b = _np.asarray(_static(bins))
    mono = _monotonicity(b)
    if mono == 0:
        raise ValueError("bins must be monotonically increasing or "
                         "decreasing")
    col = t.reshape(t.shape + (1,))
    edges = _mt.tensor(b)
    if mono == 1:
        # numpy's searchsorted(bins, x, 'right' or 'left'): NaN sorts last.
        below = (edges < col) if right else (edges <= col)
        n = _mt.sum(below, axis=-1)
        if t.dtype.kind == "f":
            n = _mt.where(_mt.isnan(t), len(b), n)
        return n
    # Decreasing: len(bins) - searchsorted(bins[::-1], x, side).
    above = (edges >= col) if right else (edges > col)
    return _mt.sum(above, axis=-1)


def _outer_edges(t, range):
    if range is not None:
        first, last = range
        if first > last:
            raise ValueError("max must be larger than min in range parameter.")
        if not (_np.isfinite(first) and _np.isfinite(last)):
            raise ValueError("supplied range of [%s, %s] is not finite"
                             % (first, last))
    elif t.size == 0:
        first, last = 0, 1
    else:
        # The data decide the range: their extremes are executed.
        lo, hi = _mt.min(t), _mt.max(t)
        from ..session import get_default_session
        get_default_session().execute(lo, hi)
        first, last = lo.item(), hi.item()
        if not (_np.isfinite(first) and _np.isfinite(last)):
            raise ValueError("autodetected range of [%s, %s] is not finite"
                             % (first, last))
    if first == last:
        first, last = first - 0.5, last + 0.5
    return first, last


def histogram_bin_edges(a, bins=10, range=None, weights=None):
    """numpy.histogram_bin_edges for an int or a sequence of bins (the
    estimator names, 'auto' and the others, execute the data and use
    numpy's own estimators)."""
    t = _tensor(a).ravel()
    if isinstance(bins, str):
        return _np.histogram_bin_edges(_np.asarray(t.fetch()), bins, range,
                                       None if weights is None else
                                       _np.asarray(weights))
    if _np.ndim(bins) == 0:
        try:
            n = _operator.index(bins)
        except TypeError:
            raise TypeError("`bins` must be an integer, a string, or an "
                            "array") from None
        if n < 1:
            raise ValueError("`bins` must be positive, when an integer")
        first, last = _outer_edges(t, range)
        dt = _np.result_type(first, last, t.dtype)
        if dt.kind in "iub":
            dt = _np.dtype(_np.float64)
        return _np.linspace(first, last, n + 1, endpoint=True, dtype=dt)
    edges = _np.asarray(bins)
    if edges.ndim != 1:
        raise ValueError("`bins` must be 1d, when an array")
    if _np.any(edges[:-1] > edges[1:]):
        raise ValueError("`bins` must increase monotonically, when an array")
    return edges


def histogram(a, bins=10, range=None, density=None, weights=None):
    """numpy.histogram: (counts, bin edges); the last bin includes its right
    edge, values outside the edges and NaN are not counted. The edges are
    numpy arrays (a range from the data executes its min and max); the
    counts are a tensor, one fused reduction over the data whose work grows
    with the number of bins."""
    t = _tensor(a).ravel()
    w = None
    if weights is not None:
        w = _tensor(weights).ravel()
        if w.shape != t.shape:
            raise ValueError("weights should have the same shape as a.")
    edges = histogram_bin_edges(t, bins, range, weights)
    nb = len(edges) - 1
    col = t.reshape(-1, 1)
    lo, hi = _mt.tensor(edges[:-1]), _mt.tensor(edges[1:])
    last = _mt.tensor(_np.arange(nb) == nb - 1)
    inside = (col >= lo) & ((col < hi) | (last & (col == hi)))
    if w is None:
        n = _mt.sum(inside, axis=0)
    else:
        n = _mt.sum(_mt.where(inside, w.reshape(-1, 1),
                              _np.zeros((), w.dtype)), axis=0)
    if density:
        db = _np.diff(edges).astype(float)
        return n / db / _mt.sum(n), edges
    return n, edges


def bincount(x, weights=None, minlength=0):
    """numpy.bincount: the count of each non-negative integer of the 1-D
    ``x`` (or the sum of its weights, in x's order: numpy's sums). The
    result's length is ``max(x) + 1`` or ``minlength``, so x's minimum and
    maximum execute when this is called (one run); the counts are one
    ``mars.bincount``, whose chunks each read all of x."""
    from .. import _mars
    from .core import _wrap
    if isinstance(x, (list, tuple)):
        # numpy converts a list's numbers to integers as int() does.
        x = _np.asarray(x)
        if x.dtype.kind == "f":
            x = x.astype(_np.int64)
    t = _tensor(x)
    if t.ndim != 1:
        raise ValueError("object too deep for desired array" if t.ndim > 1
                         else "object of too small depth for desired array")
    if t.dtype.kind == "b":
        t = t.astype(_np.int64)
    elif t.dtype.kind not in "iu":
        raise TypeError("Cannot cast array data from dtype('%s') to "
                        "dtype('int64') according to the rule 'safe'"
                        % t.dtype)
    if minlength is None:
        _warnings.warn("0 should be passed as minlength instead of None; "
                       "this will error in future.", DeprecationWarning,
                       stacklevel=2)
        minlength = 0
    minlength = _operator.index(minlength)
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    w = None
    if weights is not None:
        w = _tensor(weights)
        if w.dtype.kind == "c":
            raise TypeError("Cannot cast array data from dtype('%s') to "
                            "dtype('float64') according to the rule 'safe'"
                            % w.dtype)
        w = w.astype(_np.float64)
        if tuple(w.shape) != tuple(t.shape):
            raise ValueError("The weights and list don't have the same "
                             "length.")
    if not t.shape[0]:
        # numpy: an empty x gives int64 zeros, weights or not.
        return _mt.zeros(minlength, dtype=_np.int64)
    import mars
    lo, hi = (int(v) for v in mars.fetch(t.min(), t.max()))
    if lo < 0:
        raise ValueError("'list' argument must have no negative elements")
    length = max(hi + 1, minlength)
    return _wrap(_mars.bincount(t._t, None if w is None else w._t, length))


__all__ = ["ptp", "average", "diff", "ediff1d", "trapz", "cov", "corrcoef",
           "digitize", "histogram", "histogram_bin_edges", "bincount"]
