"""numpy's functions that mars.tensor composes from its ops (ufunclike,
nanfunctions, shape_base, twodim, statistics): each case runs with numpy
and with mars.tensor, on both session kinds, every chunk size, and in eager
mode, and the results must agree (exactly for bools and integers)."""

import warnings

import numpy as np
import pytest

import mars
import mars.tensor as mt

from helpers import assert_same, run, to_mt


def _data():
    rng = np.random.default_rng(7)
    f = rng.standard_normal((5, 7))
    f[1, 2] = np.nan
    f[3] = np.nan          # an all-NaN row
    f[0, 0], f[0, 1], f[2, 3] = np.inf, -np.inf, -0.0
    g = rng.standard_normal((4, 6)).astype(np.float32)
    i = rng.integers(-5, 6, (4, 6))
    j = rng.integers(-9, 10, (3, 4, 5)).astype(np.int32)
    b = rng.random((4, 5)) < 0.5
    v = rng.standard_normal(6)
    return dict(f=f, g=g, i=i, j=j, b=b, v=v, e=np.zeros((0, 3)),
                s=np.array(2.5), one=np.ones((1, 1, 3)))


DATA = _data()

# (name, function of (xp, a), data keys)
CASES = [
    # -- ufunclike
    ("reciprocal", lambda xp, a: xp.reciprocal(a), "f g v"),
    ("reciprocal-int", lambda xp, a: xp.reciprocal(xp.where(a == 0, 3, a)),
     "i j"),
    ("fix", lambda xp, a: xp.fix(a * 3), "f g i"),
    ("clip", lambda xp, a: xp.clip(a, -0.5, 0.5), "f g i j"),
    ("clip-min", lambda xp, a: xp.clip(a, -1, None), "f i"),
    ("clip-method", lambda xp, a: a.clip(-1), "f i"),
    ("clip-max", lambda xp, a: a.clip(max=1), "f g"),
    ("clip-array", lambda xp, a: xp.clip(a, a[:1], 1), "f i"),
    ("around", lambda xp, a: xp.around(a * 100, 1), "f g v"),
    ("around0", lambda xp, a: xp.round(a * 3.5), "f g"),
    ("around-neg", lambda xp, a: xp.around(a * 1000, -2), "f i j"),
    ("around-int", lambda xp, a: xp.around(a, 2), "i j"),
    ("round-method", lambda xp, a: a.round(3), "f"),
    ("isclose", lambda xp, a: xp.isclose(a, a * (1 + 1e-7)), "f g i"),
    ("isclose-nan", lambda xp, a: xp.isclose(a, a, equal_nan=True), "f"),
    ("isclose-tol", lambda xp, a: xp.isclose(a, 0.1, rtol=0, atol=1.0),
     "f g"),
    ("allclose", lambda xp, a: xp.allclose(a, a + 1e-9, equal_nan=True),
     "f g i"),
    ("allclose-false", lambda xp, a: xp.allclose(a, a + 1), "g i"),
    ("array_equal", lambda xp, a: xp.array_equal(a, a), "g i b"),
    ("array_equal-nan", lambda xp, a: xp.array_equal(a, a, equal_nan=True),
     "f"),
    ("array_equal-shape", lambda xp, a: xp.array_equal(a, a[:1]), "i"),
    ("array_equiv", lambda xp, a: xp.array_equiv(a, a[:1]), "i"),
    ("nan_to_num", lambda xp, a: xp.nan_to_num(a), "f g i"),
    ("nan_to_num-values",
     lambda xp, a: xp.nan_to_num(a, nan=-1.0, posinf=1e300, neginf=-7),
     "f g"),
    ("float_power", lambda xp, a: xp.float_power(a, 3), "g i"),
    ("divmod", lambda xp, a: xp.divmod(a, 4), "i f"),
    ("spacing", lambda xp, a: xp.spacing(a), "f g i"),
    ("modf", lambda xp, a: xp.modf(a * 2.5), "f g i"),
    ("isposinf", lambda xp, a: xp.isposinf(a), "f"),
    ("isneginf", lambda xp, a: xp.isneginf(a), "f"),
    ("real-imag", lambda xp, a: xp.real(a) + xp.imag(a), "f i"),
    ("conj", lambda xp, a: xp.conj(a), "f"),
    ("angle", lambda xp, a: xp.angle(a), "f g i"),
    ("angle-deg", lambda xp, a: xp.angle(a, deg=True), "f"),
    # -- nanfunctions
    ("nanmin", lambda xp, a: xp.nanmin(a), "f g i"),
    ("nanmin-0", lambda xp, a: xp.nanmin(a, axis=0), "f g"),
    ("nanmax-1", lambda xp, a: xp.nanmax(a, axis=1, keepdims=True), "f i"),
    ("nanprod", lambda xp, a: xp.nanprod(a, axis=1), "f i"),
    ("nanmean", lambda xp, a: xp.nanmean(a, axis=0), "f g i"),
    ("nanmean-all", lambda xp, a: xp.nanmean(a), "f g"),
    ("nanvar", lambda xp, a: xp.nanvar(a, axis=1), "f g i"),
    ("nanvar-ddof", lambda xp, a: xp.nanvar(a, axis=0, ddof=1), "f"),
    ("nanvar-keep", lambda xp, a: xp.nanvar(a, axis=1, keepdims=True), "f"),
    ("nanstd", lambda xp, a: xp.nanstd(a, axis=0, ddof=2), "f g"),
    ("nanargmin", lambda xp, a: xp.nanargmin(xp.delete(a, 3, 0), axis=1),
     "f"),
    ("nanargmax", lambda xp, a: xp.nanargmax(a), "f g i"),
    # -- shape_base
    ("roll", lambda xp, a: xp.roll(a, 2), "f i v"),
    ("roll-axes", lambda xp, a: xp.roll(a, (1, -7), (0, -1)), "i j"),
    ("roll-same-axis", lambda xp, a: xp.roll(a, (1, 2), (1, 1)), "i"),
    ("rollaxis", lambda xp, a: xp.rollaxis(a, 2), "j"),
    ("rollaxis-start", lambda xp, a: xp.rollaxis(a, 0, 3), "j"),
    ("tile", lambda xp, a: xp.tile(a, 2), "v i"),
    ("tile-nd", lambda xp, a: xp.tile(a, (2, 1, 3)), "i s"),
    ("tile-zero", lambda xp, a: xp.tile(a, (0, 2)), "i"),
    ("repeat", lambda xp, a: xp.repeat(a, 2), "i s"),
    ("repeat-axis", lambda xp, a: xp.repeat(a, 3, axis=1), "i j"),
    ("repeat-counts", lambda xp, a: xp.repeat(a, [1, 0, 2, 2], axis=0),
     "i"),
    ("repeat-float-counts", lambda xp, a: xp.repeat(a, [1.5, 0, 2, 2.9], 0),
     "i"),
    ("repeat-method", lambda xp, a: a.repeat(2, axis=0), "f"),
    ("array_split", lambda xp, a: xp.array_split(a, 4, axis=1), "i f"),
    ("split-indices", lambda xp, a: xp.split(a, [1, 3, 10], axis=1), "i"),
    ("split-even", lambda xp, a: xp.split(a, 2), "i"),
    ("hsplit", lambda xp, a: xp.hsplit(a, 3), "i v"),
    ("vsplit", lambda xp, a: xp.vsplit(a, [1]), "i j"),
    ("dsplit", lambda xp, a: xp.dsplit(a, [2, 4]), "j"),
    ("atleast_3d", lambda xp, a: xp.atleast_3d(a), "s v i j"),
    ("atleast-many", lambda xp, a: xp.atleast_2d(a, a[0]), "i"),
    ("vstack", lambda xp, a: xp.vstack([a, a]), "s v i"),
    ("hstack", lambda xp, a: xp.hstack([a, a]), "s v i"),
    ("dstack", lambda xp, a: xp.dstack([a, a]), "v i"),
    ("column_stack", lambda xp, a: xp.column_stack([a[0], a[1], a[:2].T]),
     "i"),
    ("block", lambda xp, a: xp.block([[a, a * 2], [a[:1], a[:1] * 3]]),
     "i f"),
    ("block-1d", lambda xp, a: xp.block([a, 7, a]), "v"),
    ("append", lambda xp, a: xp.append(a, a), "i"),
    ("append-axis", lambda xp, a: xp.append(a, a[:2], axis=0), "i"),
    ("insert", lambda xp, a: xp.insert(a, 2, 99, axis=1), "i f"),
    ("insert-flat", lambda xp, a: xp.insert(a, 3, [5, 6]), "i"),
    ("insert-many",
     lambda xp, a: xp.insert(a, [0, 2, 2, 6], [7, 8, 9, 10], axis=1), "i"),
    ("insert-slice", lambda xp, a: xp.insert(a, slice(0, 4, 2), 0, axis=0),
     "i"),
    ("insert-array", lambda xp, a: xp.insert(a, 1, a[:, 0], axis=1), "i"),
    ("delete", lambda xp, a: xp.delete(a, [0, 2, 3], axis=1), "i f"),
    ("delete-flat", lambda xp, a: xp.delete(a, -1), "i"),
    ("delete-slice", lambda xp, a: xp.delete(a, slice(None, None, 2), 0),
     "i"),
    ("delete-mask", lambda xp, a: xp.delete(
        a, np.array([True, False, False, True]), axis=0), "i"),
    ("broadcast_arrays", lambda xp, a: xp.broadcast_arrays(a, a[:1], 3),
     "i"),
    ("meshgrid", lambda xp, a: xp.meshgrid(a[0], a[1, :3]), "i f"),
    ("meshgrid-ij", lambda xp, a: xp.meshgrid(a[0], a[1, :3], a[2, :2],
                                              indexing="ij"), "i"),
    ("meshgrid-sparse", lambda xp, a: xp.meshgrid(a[0], a[1], sparse=True),
     "i"),
    ("kron", lambda xp, a: xp.kron(a, a[:2, :3]), "i f"),
    ("kron-1d", lambda xp, a: xp.kron(a, a[:3]), "v"),
    ("kron-mixed", lambda xp, a: xp.kron(a[0], a), "i j"),
    ("copy", lambda xp, a: xp.copy(a) + 0, "i"),
    # -- twodim
    ("tril", lambda xp, a: xp.tril(a), "i f b"),
    ("tril-k", lambda xp, a: xp.tril(a, 2), "i j"),
    ("triu", lambda xp, a: xp.triu(a, -1), "i f j"),
    ("diag", lambda xp, a: xp.diag(a), "i f"),
    ("diag-k", lambda xp, a: xp.diag(a, 2), "i f"),
    ("diag-neg", lambda xp, a: xp.diag(a, -3), "i"),
    ("diag-1d", lambda xp, a: xp.diag(a), "v"),
    ("diag-1d-k", lambda xp, a: xp.diag(a[0], 2), "i b"),
    ("diag-1d-neg", lambda xp, a: xp.diag(a, -1), "v"),
    ("diagonal", lambda xp, a: xp.diagonal(a, 1), "i f"),
    ("diagonal-axes", lambda xp, a: xp.diagonal(a, -1, 2, 0), "j"),
    ("diagonal-method", lambda xp, a: a.diagonal(), "j"),
    ("diagflat", lambda xp, a: xp.diagflat(a[:2, :2], 1), "i"),
    ("trace", lambda xp, a: xp.trace(a), "i f j b"),
    ("trace-offset", lambda xp, a: a.trace(-1), "i"),
    # -- statistics
    ("ptp", lambda xp, a: xp.ptp(a), "i g"),
    ("ptp-axis", lambda xp, a: xp.ptp(a, axis=1, keepdims=True), "i j"),
    ("average", lambda xp, a: xp.average(a), "i g"),
    ("average-axis", lambda xp, a: xp.average(a, axis=0), "i"),
    ("average-weights",
     lambda xp, a: xp.average(a, 1, weights=np.arange(1.0, 7.0)), "i g"),
    ("average-returned",
     lambda xp, a: xp.average(a, weights=a * 0 + 2, returned=True), "i"),
    ("diff", lambda xp, a: xp.diff(a), "i f b v"),
    ("diff-n", lambda xp, a: xp.diff(a, 3, axis=0), "j"),
    ("diff-extra", lambda xp, a: xp.diff(a, prepend=0, append=a[:, :1]),
     "i"),
    ("ediff1d", lambda xp, a: xp.ediff1d(a), "i v"),
    ("ediff1d-extra", lambda xp, a: xp.ediff1d(a, to_end=[9, 8],
                                               to_begin=-1), "i"),
    ("trapz", lambda xp, a: xp.trapz(a), "g v i"),
    ("trapz-x", lambda xp, a: xp.trapz(a, x=np.arange(a.shape[-1]) ** 2),
     "v i"),
    ("trapz-dx", lambda xp, a: xp.trapz(a, dx=0.25, axis=0), "g j"),
    ("cov", lambda xp, a: xp.cov(a), "i g"),
    ("cov-y", lambda xp, a: xp.cov(a, a * 2 + 1, rowvar=False), "i"),
    ("cov-1d", lambda xp, a: xp.cov(a), "v"),
    ("cov-weights", lambda xp, a: xp.cov(a, fweights=[1, 2, 3, 1, 1, 1],
                                         aweights=[.5, 1, 1, 1, 2, 3]), "i"),
    ("cov-bias", lambda xp, a: xp.cov(a, bias=True, ddof=None), "i"),
    ("corrcoef", lambda xp, a: xp.corrcoef(a), "i g"),
    ("corrcoef-1d", lambda xp, a: xp.corrcoef(a), "v"),
]

PARAMS = [pytest.param(fn, key, id="%s-%s" % (name, key))
          for name, fn, keys in CASES for key in keys.split()]


def _compare(actual, expected):
    if isinstance(expected, (list, tuple)):
        assert isinstance(actual, (list, tuple)), type(actual)
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected):
            _compare(a, e)
        return
    assert isinstance(actual, mt.Tensor), type(actual)
    e = np.asarray(expected)
    rtol = 1e-5 if e.dtype == np.float32 else 1e-12
    assert_same(np.asarray(actual), e, rtol=rtol, atol=1e-12)


def _expected(fn, x):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(np, x)


@pytest.mark.parametrize("fn,key", PARAMS)
def test_composition(fn, key, session, chunk_size):
    x = DATA[key]
    expected = _expected(fn, x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        actual = fn(mt, to_mt(x, chunk_size))
    flat = actual if isinstance(actual, (list, tuple)) else [actual]
    if flat:
        mars.execute(*flat, session=session)
    _compare(actual, expected)


@pytest.mark.parametrize("fn,key", PARAMS[::3])
def test_composition_eager(fn, key):
    x = DATA[key]
    expected = _expected(fn, x)
    mars.options.eager_mode = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        actual = fn(mt, mt.tensor(x))
    _compare(actual, expected)


# -- pad ----------------------------------------------------------------------

PAD_MODES = [("constant", {}), ("constant", {"constant_values": (-1, 9)}),
             ("constant", {"constant_values": ((1, 2), (3.7, 4))}),
             ("edge", {}), ("reflect", {}), ("symmetric", {}),
             ("reflect", {"reflect_type": "odd"}),
             ("symmetric", {"reflect_type": "odd"}), ("wrap", {}),
             ("maximum", {}), ("minimum", {"stat_length": 2}),
             ("mean", {}), ("mean", {"stat_length": ((1, 2), (3, 1))}),
             ("empty", {})]


@pytest.mark.parametrize("mode,kw", PAD_MODES,
                         ids=["%s%s" % (m, sorted(k.items())) for m, k in
                              PAD_MODES])
@pytest.mark.parametrize("width", [1, (2, 3), ((0, 4), (3, 0)),
                                   ((9, 2), (1, 13))], ids=repr)
@pytest.mark.parametrize("key", ["i", "g"])
def test_pad(mode, kw, width, key, session, chunk_size):
    x = DATA[key]
    t = mt.pad(to_mt(x, chunk_size), width, mode=mode, **kw)
    actual = run(t, session)
    pairs = np.broadcast_to(np.array(width), (x.ndim, 2)) \
        if np.ndim(width) else [(width, width)] * x.ndim
    if mode == "wrap":
        # Whole periods (numpy >= 1.25); the installed numpy may be older.
        idx = np.ix_(*[np.arange(-lw, n + rw) % n
                       for (lw, rw), n in zip(pairs, x.shape)])
        expected = x[idx]
    else:
        expected = np.pad(x, width, mode=mode, **kw)
    if mode == "empty":
        assert actual.shape == expected.shape
        assert actual.dtype == expected.dtype
        return
    assert_same(actual, expected, rtol=1e-5)


def test_pad_singleton_and_empty(session):
    x = np.arange(3.0).reshape(1, 3)
    for mode in ("reflect", "symmetric", "edge", "wrap"):
        assert_same(run(mt.pad(mt.tensor(x), 2, mode=mode), session),
                    np.pad(x, 2, mode=mode))
    e = np.zeros((0, 3))
    assert_same(run(mt.pad(mt.tensor(e), ((0, 0), (1, 2)), mode="edge"),
                    session), np.pad(e, ((0, 0), (1, 2)), mode="edge"))
    assert_same(run(mt.pad(mt.tensor(e), 1), session), np.pad(e, 1))


# -- errors: numpy's exception kinds ----------------------------------------

ERRORS = [
    (lambda xp, a: xp.clip(a, None, None), ValueError),
    (lambda xp, a: xp.split(a, 4, axis=1), ValueError),
    (lambda xp, a: xp.array_split(a, 0), ValueError),
    (lambda xp, a: xp.vsplit(a[0], 2), ValueError),
    (lambda xp, a: xp.dsplit(a, 2), ValueError),
    (lambda xp, a: xp.hsplit(a[0, 0], 2), ValueError),
    (lambda xp, a: xp.pad(a, -1), ValueError),
    (lambda xp, a: xp.pad(a, 1.5), TypeError),
    (lambda xp, a: xp.pad(a, 1, mode="nope"), ValueError),
    (lambda xp, a: xp.pad(a, 1, mode="edge", constant_values=1), ValueError),
    (lambda xp, a: xp.pad(a, 1, mode="maximum", stat_length=0), ValueError),
    (lambda xp, a: xp.pad(a[:0], 1, mode="reflect"), ValueError),
    (lambda xp, a: xp.repeat(a, -1), ValueError),
    (lambda xp, a: xp.repeat(a, [1, 2], axis=0), ValueError),
    (lambda xp, a: xp.tile(a, -1), ValueError),
    (lambda xp, a: xp.roll(a, 1, axis=3), np.AxisError),
    (lambda xp, a: xp.rollaxis(a, 0, 4), np.AxisError),
    (lambda xp, a: xp.delete(a, 4, axis=0), IndexError),
    (lambda xp, a: xp.insert(a, 9, 0, axis=0), IndexError),
    (lambda xp, a: xp.insert(a, [[1]], 0), ValueError),
    (lambda xp, a: xp.diag(a[None]), ValueError),
    (lambda xp, a: xp.diagonal(a[0]), ValueError),
    (lambda xp, a: xp.diagonal(a, 0, 1, 1), ValueError),
    (lambda xp, a: xp.block([[a], a]), ValueError),
    (lambda xp, a: xp.block([]), ValueError),
    (lambda xp, a: xp.block((a, a)), TypeError),
    (lambda xp, a: xp.meshgrid(a, indexing="xx"), ValueError),
    (lambda xp, a: xp.diff(a, -1), ValueError),
    (lambda xp, a: xp.diff(a[0, 0]), ValueError),
    (lambda xp, a: xp.average(a, weights=[1, 2]), TypeError),
    (lambda xp, a: xp.average(a, axis=1, weights=[1, 2]), ValueError),
    (lambda xp, a: xp.average(a, axis=1, weights=np.zeros(6)),
     ZeroDivisionError),
    (lambda xp, a: xp.ediff1d(a.astype(int), to_begin=[1.5]), TypeError),
    (lambda xp, a: xp.cov(a[None]), ValueError),
    (lambda xp, a: xp.cov(a, fweights=[1.5] * 6), TypeError),
    (lambda xp, a: xp.cov(a, aweights=[-1] * 6), ValueError),
    (lambda xp, a: xp.broadcast_arrays(a, a[:, :2]), ValueError),
    (lambda xp, a: xp.nanargmin(xp.where(a > 100, a, np.nan), axis=1),
     ValueError),
]


@pytest.mark.parametrize("fn,exc", ERRORS, ids=lambda x: getattr(
    x, "__name__", str(x)))
def test_errors(fn, exc):
    x = DATA["i"].astype(np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(exc):
            fn(np, x)
        with pytest.raises(exc):
            fn(mt, mt.tensor(x))


def test_lazy_functions_stay_lazy():
    """Compositions build graphs: nothing executes until asked (the checks
    of nanargmin and average's weights are the documented exceptions)."""
    x = mt.tensor(DATA["f"])
    for t in (mt.nanmean(x, axis=0), mt.pad(x, 2, mode="reflect"),
              mt.roll(x, 3), mt.tril(x), mt.cov(x), mt.isclose(x, x)):
        assert not t._t.executed


# -- einsum and stacked matmul -----------------------------------------------

def _ein_operands():
    rng = np.random.default_rng(3)
    return {
        "A": rng.standard_normal((3, 4)), "B": rng.standard_normal((4, 5)),
        "C": rng.standard_normal((5, 3)), "S": rng.standard_normal((4, 4)),
        "T": rng.standard_normal((2, 3, 4)),
        "U": rng.standard_normal((2, 4, 5)), "V": rng.standard_normal(3),
        "W": rng.standard_normal(4), "I": rng.integers(-4, 5, (3, 4)),
        "D": np.ones((3, 3, 2)), "E": np.zeros((0, 4)),
        "F": rng.standard_normal((3, 4)).astype(np.float32),
        "O": rng.standard_normal((1, 4)),
    }


EIN = _ein_operands()
EINSUM_CASES = [
    ("ij,jk->ik", "AB"), ("ij,jk", "AB"), ("ij,jk,kl->il", "ABC"),
    ("ii->i", "S"), ("ii", "S"), ("ij->ji", "A"), ("ij->", "A"),
    ("ij", "A"), ("ji", "A"), ("bij,bjk->bik", "TU"),
    ("...ij,...jk->...ik", "TU"), ("bij,bjk->b", "TU"), ("i,i", "VV"),
    ("i,j->ij", "VW"), ("ij,j->i", "AW"), ("...j,j", "TW"),
    ("...i->...", "T"), ("ijk->kji", "T"), ("ijk,ikl->jl", "TU"),
    ("ij,ij->ij", "AA"), ("ij,ij->", "AA"), ("i...->...", "T"),
    ("...ij->...ji", "T"), ("iij->ij", "D"), ("ij,kj->ik", "AA"),
    ("bij,jk->bik", "TB"), ("ij,jk->ik", "IB"), ("ij,jk->ik", "FB"),
    ("ij,jk->ik", "EB"), ("ij,ij->i", "AO"), ("i j , j k -> i k", "AB"),
    ("ij,jk,kl,lm->im", "ABCA"),
]


@pytest.mark.parametrize("optimize", [False, "greedy"])
@pytest.mark.parametrize("sub,ops", EINSUM_CASES,
                         ids=["%s-%s" % c for c in EINSUM_CASES])
def test_einsum(sub, ops, optimize, session):
    arrays = [EIN[k] for k in ops]
    expected = np.einsum(sub, *arrays)
    t = mt.einsum(sub, *[mt.tensor(a, chunk_size=2) for a in arrays],
                  optimize=optimize)
    assert_same(run(t, session), expected, rtol=1e-5, atol=1e-12)


@pytest.mark.parametrize("ls,rs", [
    ((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4, 5)), ((4,), (2, 4, 5)),
    ((2, 1, 3, 4), (5, 4, 2)), ((3, 4), (2, 4, 5)), ((2, 3, 4), (4,)),
    ((0, 3, 4), (4, 2)), ((2, 3, 0), (2, 0, 5))], ids=repr)
def test_stacked_matmul(ls, rs, session, chunk_size):
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal(ls), rng.standard_normal(rs)
    t = to_mt(a, chunk_size) @ to_mt(b, chunk_size)
    assert_same(run(t, session), np.matmul(a, b), atol=1e-12)
    assert_same(run(mt.matmul(to_mt(a, chunk_size), b), session),
                np.matmul(a, b), atol=1e-12)


@pytest.mark.parametrize("fn", [
    lambda xp: xp.einsum("ij,jk->ik", EIN["A"], EIN["A"]),
    lambda xp: xp.einsum("ij->k", EIN["A"]),
    lambda xp: xp.einsum("ij,jk", EIN["A"]),
    lambda xp: xp.einsum("ijk", EIN["A"]),
    lambda xp: xp.einsum("i1", EIN["A"]),
    lambda xp: xp.einsum("ii", EIN["A"]),
    lambda xp: xp.einsum("ij->ii", EIN["A"]),
    lambda xp: xp.matmul(EIN["T"], EIN["T"]),
    lambda xp: xp.matmul(EIN["T"], 2.0),
])
def test_einsum_errors(fn):
    with pytest.raises(ValueError):
        fn(np)
    with pytest.raises(ValueError):
        fn(mt)


# -- histogram, digitize -------------------------------------------------------

_HX = np.random.default_rng(9).standard_normal(500)


@pytest.mark.parametrize("data", ["float", "int", "one", "empty", "nan"])
@pytest.mark.parametrize("bins", [10, 1, [-2, -1, 0, 0.5, 3], "auto", "fd"],
                         ids=repr)
@pytest.mark.parametrize("range_", [None, (-1, 2)], ids=repr)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("density", [None, True])
def test_histogram(data, bins, range_, weighted, density, session):
    a = {"float": _HX, "int": np.round(_HX * 5).astype(np.int64),
         "one": np.array([3.0]), "empty": np.zeros(0),
         "nan": np.where(_HX > 1.5, np.nan, _HX)}[data]
    w = np.abs(a) * 0.5 + 1 if weighted else None
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            expected = np.histogram(a, bins, range_, density, w)
        except (ValueError, TypeError) as e:
            with pytest.raises(type(e)):
                mt.histogram(mt.tensor(a, chunk_size=64), bins, range_,
                             density, w)
            return
        counts, edges = mt.histogram(mt.tensor(a, chunk_size=64), bins,
                                     range_, density,
                                     None if w is None else mt.tensor(w))
        np.testing.assert_array_equal(edges, expected[1])
        assert_same(run(counts, session), expected[0], rtol=1e-12)


@pytest.mark.parametrize("bins", [[0.0, 1, 2.5, 4], [4, 2.5, 1, 0],
                                  [1, 1, 2], [3]], ids=repr)
@pytest.mark.parametrize("right", [False, True])
def test_digitize(bins, right, session, chunk_size):
    x = np.array([-1, 0, 0.5, 1, 2.5, 3, 4, 5, np.nan, -np.inf])
    assert_same(run(mt.digitize(to_mt(x, chunk_size), bins, right), session),
                np.digitize(x, bins, right))
    xi = np.arange(-2, 7).reshape(3, 3)
    assert_same(run(mt.digitize(to_mt(xi, chunk_size), bins, right),
                    session), np.digitize(xi, bins, right))


def test_histogram_digitize_errors():
    for fn in (lambda xp: xp.digitize(np.ones(3), [1, 3, 2]),
               lambda xp: xp.histogram(np.ones(3), [1, 3, 2]),
               lambda xp: xp.histogram(np.ones(3), 0),
               lambda xp: xp.histogram(np.ones(3), 3, (2, 1)),
               lambda xp: xp.histogram([1.0, np.inf], 3)):
        with pytest.raises(ValueError):
            fn(np)
        with pytest.raises(ValueError):
            fn(mt)
