"""mt.random's sampling functions against numpy's legacy RandomState:
permutation, shuffle and choice. The numbers are not numpy's (Mars draws
from Philox streams), so the tests check the properties of the results
(permutations, populations, shapes and dtypes as numpy's, distinct samples,
the distribution of weighted samples), that one seed gives the same result
however the tensors are chunked and on every session kind, and that every
invalid argument raises numpy's exception kind and message."""

import math
import re
from itertools import permutations as _orders

import numpy as np
import pytest

import mars
import mars.tensor as mt

from helpers import CHUNK_SIZES, SESSION_KINDS, get_session, run

try:
    from scipy import stats
except ImportError:  # pragma: no cover
    stats = None


def chi2_pvalue(observed, expected_probs):
    """The p-value of Pearson's chi-square test of counts against
    probabilities."""
    observed = np.asarray(observed, float)
    expected = np.asarray(expected_probs, float) * observed.sum()
    if stats is not None:
        return stats.chisquare(observed, expected).pvalue
    # Wilson-Hilferty approximation of the chi-square tail.
    x = ((observed - expected) ** 2 / expected).sum()
    k = len(observed) - 1
    z = ((x / k) ** (1 / 3) - (1 - 2 / (9 * k))) / math.sqrt(2 / (9 * k))
    return 0.5 * math.erfc(z / math.sqrt(2))


def values_for_every_chunking(make, session):
    """make(chunk_size) -> tensor, run for every chunk size; the values."""
    return [run(make(cs), session) for cs in CHUNK_SIZES]


def _esc(exc):
    """An exception's message as a regular expression."""
    return re.escape(str(exc))


def assert_all_equal(results):
    for r in results[1:]:
        assert r.shape == results[0].shape and r.dtype == results[0].dtype
        np.testing.assert_array_equal(r, results[0])


# -- permutation --------------------------------------------------------------

def test_permutation_int(session, chunk_size):
    t = mt.random.RandomState(7).permutation(50, chunk_size=chunk_size)
    assert t.shape == (50,) and t.dtype == np.int64
    if chunk_size is not None:
        assert t.chunks[0][0] == chunk_size
    v = run(t, session)
    assert v.dtype == np.int64
    np.testing.assert_array_equal(np.sort(v), np.arange(50))
    assert not np.array_equal(v, np.arange(50))


@pytest.mark.parametrize("x", [0, -3, 1, True, np.int32(4), np.int64(6)],
                         ids=repr)
def test_permutation_small_ints_as_numpy(session, x):
    expected = np.random.RandomState(0).permutation(x)
    v = run(mt.random.RandomState(0).permutation(x), session)
    assert v.shape == expected.shape and v.dtype == expected.dtype
    np.testing.assert_array_equal(np.sort(v), np.sort(expected))


def test_permutation_same_seed_any_chunking():
    for kind in SESSION_KINDS:
        s = get_session(kind)
        res = values_for_every_chunking(
            lambda cs: mt.random.RandomState(42).permutation(
                23, chunk_size=cs), s)
        x = np.arange(23 * 2).reshape(23, 2)
        res += values_for_every_chunking(
            lambda cs: mt.random.RandomState(42).permutation(
                mt.tensor(x, chunk_size=cs))[:, 0] // 2, s)
        assert_all_equal(res)


def test_permutation_seeds_and_calls_differ(session):
    a = run(mt.random.RandomState(1).permutation(40), session)
    b = run(mt.random.RandomState(2).permutation(40), session)
    assert not np.array_equal(a, b)
    r = mt.random.RandomState(1)
    c, d = run(r.permutation(40), session), run(r.permutation(40), session)
    np.testing.assert_array_equal(a, c)
    assert not np.array_equal(c, d)


@pytest.mark.parametrize("make", [
    lambda x: x, lambda x: x.tolist(), lambda x: mt.tensor(x),
    lambda x: mt.tensor(x, chunk_size=3)], ids=["ndarray", "list",
                                                "tensor", "chunked"])
@pytest.mark.parametrize("shape", [(17,), (9, 3), (6, 2, 2), (1, 4),
                                   (0, 3)], ids=repr)
def test_permutation_array_shuffles_rows(session, make, shape):
    x = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    x0 = x.copy()
    arg = make(x)
    # numpy's shape and dtype ([] from an empty list is float64).
    expected = np.random.RandomState(3).permutation(
        np.asarray(arg) if isinstance(arg, mt.Tensor) else arg)
    shape = expected.shape
    t = mt.random.RandomState(3).permutation(arg)
    assert t.shape == shape and t.dtype == expected.dtype
    v = run(t, session)
    assert v.dtype == expected.dtype
    np.testing.assert_array_equal(x, x0)  # The input is not changed.
    row = int(np.prod(shape[1:]))
    rows = (v.reshape(shape[0], row)[:, 0] // row).astype(np.int64)
    np.testing.assert_array_equal(np.sort(rows), np.arange(shape[0]))
    # Rows are kept whole.
    np.testing.assert_array_equal(v, x0[rows].reshape(shape))
    if shape[0] > 5:
        assert not np.array_equal(v, x0)


@pytest.mark.parametrize("dtype", ["float64", "float32", "int32", "bool"])
def test_permutation_keeps_dtype(session, dtype):
    x = (np.arange(12) % 5).astype(dtype)
    expected = np.random.RandomState(0).permutation(x)
    v = run(mt.random.RandomState(0).permutation(x), session)
    assert v.dtype == expected.dtype
    np.testing.assert_array_equal(np.sort(v), np.sort(x))


def test_permutation_is_uniform(default_session):
    # 2400 permutations of 4 elements: each of the 24 orders is as likely.
    r = mt.random.RandomState(2024)
    index = {o: i for i, o in enumerate(_orders(range(4)))}
    counts = np.zeros(24)
    for _ in range(2400):
        counts[index[tuple(run(r.permutation(4), default_session))]] += 1
    assert chi2_pvalue(counts, np.full(24, 1 / 24)) > 1e-4


def test_permutation_module_level_uses_seed(default_session):
    mt.random.seed(5)
    a = run(mt.random.permutation(30), default_session)
    b = run(mt.random.permutation(30), default_session)
    mt.random.seed(5)
    np.testing.assert_array_equal(
        run(mt.random.permutation(30), default_session), a)
    assert not np.array_equal(a, b)


def test_permutation_eager_mode():
    mars.options.eager_mode = True
    t = mt.random.RandomState(9).permutation(np.arange(10) * 2)
    np.testing.assert_array_equal(np.sort(np.asarray(t)),
                                  np.arange(10) * 2)


# -- shuffle ------------------------------------------------------------------

def test_shuffle_tensor_rebinds(session, chunk_size):
    x = mt.arange(20, chunk_size=chunk_size)
    before = x + 0  # Derived from the old version.
    alias = x
    assert mt.random.RandomState(8).shuffle(x) is None
    assert x.shape == (20,) and x.dtype == np.int64
    v = run(x, session)
    np.testing.assert_array_equal(np.sort(v), np.arange(20))
    assert not np.array_equal(v, np.arange(20))
    np.testing.assert_array_equal(run(before, session), np.arange(20))
    assert alias is x  # The same Python object, rebound.
    # Derived from the new version: the shuffled values.
    np.testing.assert_array_equal(run(x * 2, session), v * 2)


def test_shuffle_executed_tensor(default_session):
    x = mt.arange(15)
    old = run(x, default_session)
    mt.random.RandomState(1).shuffle(x)
    v = run(x, default_session)
    np.testing.assert_array_equal(old, np.arange(15))
    np.testing.assert_array_equal(np.sort(v), np.arange(15))
    assert not np.array_equal(v, old)


def test_shuffle_same_seed_any_chunking():
    x = np.arange(30).reshape(10, 3)
    for kind in SESSION_KINDS:
        s = get_session(kind)
        res = []
        for cs in CHUNK_SIZES:
            t = mt.tensor(x, chunk_size=cs)
            mt.random.RandomState(77).shuffle(t)
            res.append(run(t, s))
        assert_all_equal(res)
        # shuffle orders as permutation does.
        np.testing.assert_array_equal(
            res[0], run(mt.random.RandomState(77).permutation(x), s))
        np.testing.assert_array_equal(res[0], x[res[0][:, 0] // 3])


def test_shuffle_ndarray_in_place():
    a = np.arange(40).reshape(20, 2)
    buf = a.__array_interface__["data"][0]
    assert mt.random.RandomState(4).shuffle(a) is None
    assert a.__array_interface__["data"][0] == buf
    rows = a[:, 0] // 2
    np.testing.assert_array_equal(np.sort(rows), np.arange(20))
    np.testing.assert_array_equal(a, np.arange(40).reshape(20, 2)[rows])
    assert not np.array_equal(rows, np.arange(20))
    # The same order as a tensor's shuffle with the same seed.
    t = mt.arange(40).reshape(20, 2)
    mt.random.RandomState(4).shuffle(t)
    np.testing.assert_array_equal(np.asarray(t), a)


def test_shuffle_ndarray_of_any_dtype_and_views():
    s = np.array(list("abcdefghij"))
    mt.random.RandomState(2).shuffle(s)
    assert sorted(s.tolist()) == list("abcdefghij")
    assert s.tolist() != list("abcdefghij")
    base = np.arange(12)
    view = base[::2]
    mt.random.RandomState(2).shuffle(view)
    np.testing.assert_array_equal(base[1::2], np.arange(1, 12, 2))
    np.testing.assert_array_equal(np.sort(base[::2]), np.arange(0, 12, 2))


def test_shuffle_list_in_place():
    x = list(range(10))
    mt.random.RandomState(6).shuffle(x)
    assert sorted(x) == list(range(10)) and x != list(range(10))
    one = (5,)  # Nothing to move: numpy does not assign either.
    mt.random.RandomState(6).shuffle(one)
    assert one == (5,)


def test_shuffle_module_level(default_session):
    mt.random.seed(12)
    x = mt.arange(25)
    mt.random.shuffle(x)
    mt.random.seed(12)
    np.testing.assert_array_equal(
        run(x, default_session),
        run(mt.random.permutation(25), default_session))


def _readonly():
    a = np.arange(5)
    a.flags.writeable = False
    return a


@pytest.mark.parametrize("make", [
    lambda: np.array(5), lambda: 5, lambda: (1, 2, 3), _readonly],
    ids=["0d", "int", "tuple", "readonly"])
def test_shuffle_errors_as_numpy(make):
    with pytest.raises(Exception) as expected:
        np.random.RandomState(0).shuffle(make())
    with pytest.raises(expected.type, match="^%s$" % _esc(expected.value)):
        mt.random.RandomState(0).shuffle(make())


def test_shuffle_0d_tensor_errors():
    with pytest.raises(TypeError, match="len\\(\\) of unsized object"):
        mt.random.RandomState(0).shuffle(mt.tensor(5))


# -- choice: results ----------------------------------------------------------

CHOICE_CASES = [
    (5, None, True, None), (5, (), True, None), (5, 7, True, None),
    (5, (2, 3), True, None), (5, [2, 2], True, None),
    (5, np.int64(3), True, None), (5, 5, False, None),
    (6, (2, 2), False, None), (5, None, False, None),
    (4, 9, True, [0.1, 0.2, 0.3, 0.4]), (4, None, True, [0.1, 0.2, 0.3, 0.4]),
    (4, (3,), False, [0.1, 0.2, 0.3, 0.4]), (4, None, False, [0, 0, 0.5, 0.5]),
    ([1.5, 2.5, 3.5], 4, True, None), ([1.5, 2.5, 3.5], None, True, None),
    (np.array([1, 2, 3], np.int32), (2, 2), True, None),
    (np.array([1, 2, 3], np.float32), 3, False, None),
    (np.array([1, 2, 3], np.float32), None, True, [0.5, 0.5, 0]),
    (np.array([True, False]), 5, True, None),
    (0, 0, True, None), (0, (3, 0), True, None), (0, 0, False, None),
    ([], 0, True, None), ([], (0, 2), False, None), (3, 0, False, [1, 0, 0]),
]


@pytest.mark.parametrize("a,size,replace,p", CHOICE_CASES, ids=repr)
@pytest.mark.parametrize("as_tensor", [False, True], ids=["np", "mt"])
def test_choice_shape_dtype_values(session, a, size, replace, p, as_tensor):
    expected = np.asarray(np.random.RandomState(0).choice(a, size, replace,
                                                          p))
    arg = mt.tensor(np.asarray(a), chunk_size=2) \
        if as_tensor and np.ndim(a) == 1 else a
    t = mt.random.RandomState(0).choice(arg, size, replace,
                                        None if p is None else p)
    assert t.shape == expected.shape and t.dtype == expected.dtype
    v = run(t, session)
    assert v.shape == expected.shape and v.dtype == expected.dtype
    population = np.arange(max(a, 0)) if np.ndim(a) == 0 else np.asarray(a)
    if p is not None:
        population = population[np.asarray(p) > 0]
    assert np.isin(v, population).all()
    if not replace and np.ndim(a) == 0:
        assert len(np.unique(v)) == v.size


def test_choice_same_seed_any_chunking():
    p = np.array([0.05, 0.0, 0.25, 0.1, 0.3, 0.0, 0.3])
    pop = np.arange(7) * 10 + 1
    makes = [
        lambda cs: mt.random.RandomState(5).choice(7, 20, chunk_size=cs),
        lambda cs: mt.random.RandomState(5).choice(7, (4, 5), p=p,
                                                   chunk_size=cs),
        lambda cs: mt.random.RandomState(5).choice(7, 6, replace=False,
                                                   chunk_size=cs),
        lambda cs: mt.random.RandomState(5).choice(7, 5, replace=False,
                                                   p=p, chunk_size=cs),
        # The population and p as tensors chunked differently.
        lambda cs: mt.random.RandomState(5).choice(
            mt.tensor(pop, chunk_size=cs), (3, 3),
            p=mt.tensor(p, chunk_size=cs)),
        lambda cs: mt.random.RandomState(5).choice(
            mt.tensor(pop, chunk_size=cs), 4, replace=False,
            p=mt.tensor(p, chunk_size=cs)),
    ]
    for make in makes:
        results = []
        for kind in SESSION_KINDS:
            results += values_for_every_chunking(make, get_session(kind))
        assert_all_equal(results)


def test_choice_chunk_size_of_result():
    t = mt.random.RandomState(0).choice(10, (7, 4), chunk_size=3)
    assert t.chunks == ((3, 3, 1), (3, 1))
    t = mt.random.RandomState(0).choice(10, 7, replace=False, chunk_size=3)
    assert t.chunks == ((3, 3, 1),)


def test_choice_seeds_differ(session):
    a = run(mt.random.RandomState(1).choice(100, 20), session)
    b = run(mt.random.RandomState(2).choice(100, 20), session)
    assert not np.array_equal(a, b)
    mt.random.seed(3)
    c = run(mt.random.choice(100, 20, p=np.full(100, 0.01)), session)
    d = run(mt.random.choice(100, 20, p=np.full(100, 0.01)), session)
    mt.random.seed(3)
    np.testing.assert_array_equal(
        run(mt.random.choice(100, 20, p=np.full(100, 0.01)), session), c)
    assert not np.array_equal(c, d)


def test_choice_uniform_with_replacement_distribution(default_session):
    v = run(mt.random.RandomState(11).choice(6, 12000), default_session)
    assert chi2_pvalue(np.bincount(v, minlength=6), np.full(6, 1 / 6)) > 1e-4


def test_choice_p_with_replacement_distribution(default_session):
    p = np.array([0.0, 0.1, 0.2, 0.0, 0.3, 0.4, 0.0])
    v = run(mt.random.RandomState(13).choice(7, 20000, p=p), default_session)
    counts = np.bincount(v, minlength=7)
    assert counts[p == 0].sum() == 0  # Zero probabilities never come.
    assert chi2_pvalue(counts[p > 0], p[p > 0]) > 1e-4
    # A population with p: the same positions.
    w = run(mt.random.RandomState(13).choice(np.arange(7) * 3, 20000, p=p),
            default_session)
    np.testing.assert_array_equal(w, v * 3)


def test_choice_p_float32_and_unnormalized_within_tolerance(default_session):
    # numpy's tolerance: sqrt(eps) of the float dtype of an ndarray p.
    p = np.array([0.5, 0.5, 1e-5], np.float32)
    v = run(mt.random.RandomState(1).choice(3, 1000, p=p), default_session)
    assert set(np.unique(v)) <= {0, 1, 2}
    assert abs((v == 0).mean() - 0.5) < 0.1


def test_choice_without_replacement_distinct(session):
    r = mt.random.RandomState(21)
    v = run(r.choice(50, 50, replace=False), session)
    np.testing.assert_array_equal(np.sort(v), np.arange(50))
    v = run(r.choice(np.arange(100) * 2, (4, 5), replace=False), session)
    assert len(np.unique(v)) == 20 and (v % 2 == 0).all()
    p = np.r_[np.zeros(10), np.full(90, 1 / 90)]
    v = run(r.choice(100, 90, replace=False, p=p), session)
    np.testing.assert_array_equal(np.sort(v), np.arange(10, 100))


def test_choice_without_replacement_uniform_distribution(default_session):
    # First draws of 2-samples of 5 without replacement: every ordered pair
    # is as likely.
    r = mt.random.RandomState(31)
    counts = np.zeros((5, 5))
    for _ in range(2000):
        i, j = run(r.choice(5, 2, replace=False), default_session)
        counts[i, j] += 1
    assert np.trace(counts) == 0
    off = ~np.eye(5, dtype=bool)
    assert chi2_pvalue(counts[off], np.full(20, 1 / 20)) > 1e-4


def test_choice_without_replacement_p_distribution(default_session):
    # Weighted samples without replacement are sequential weighted draws:
    # the ordered pair (i, j) comes with probability p_i p_j / (1 - p_i).
    p = np.array([0.1, 0.0, 0.2, 0.3, 0.4])
    r = mt.random.RandomState(41)
    counts = np.zeros((5, 5))
    for _ in range(3000):
        i, j = run(r.choice(5, 2, replace=False, p=p), default_session)
        counts[i, j] += 1
    assert counts[1].sum() == 0 and counts[:, 1].sum() == 0
    assert np.trace(counts) == 0
    expected = p[:, None] * p[None, :] / (1 - p[:, None])
    np.fill_diagonal(expected, 0)
    mask = expected > 0
    assert abs(expected.sum() - 1) < 1e-12
    assert chi2_pvalue(counts[mask], expected[mask]) > 1e-4


def test_choice_without_replacement_all_nonzero_taken(session):
    p = np.array([0.0, 0.7, 0.0, 0.2, 0.1])
    v = run(mt.random.RandomState(3).choice(5, 3, replace=False, p=p),
            session)
    np.testing.assert_array_equal(np.sort(v), [1, 3, 4])


def test_choice_tensor_arguments(session):
    a = mt.arange(10, chunk_size=3) * 3
    p = mt.tensor(np.full(10, 0.1), chunk_size=4)
    v = run(mt.random.RandomState(0).choice(a, 8, p=p), session)
    assert v.dtype == np.int64 and (v % 3 == 0).all() and (v < 30).all()
    v = run(mt.random.RandomState(0).choice(mt.tensor(7), 4), session)
    assert ((0 <= v) & (v < 7)).all()
    a32 = mt.tensor(np.arange(5, dtype=np.int32))
    t = mt.random.RandomState(0).choice(a32, 3, replace=False)
    assert t.dtype == np.int32
    assert len(set(run(t, session).tolist())) == 3


def test_choice_eager_mode():
    mars.options.eager_mode = True
    t = mt.random.RandomState(9).choice(4, 10, p=[0.25] * 4)
    assert set(np.asarray(t).tolist()) <= {0, 1, 2, 3}
    t = mt.random.RandomState(9).choice(4, 3, replace=False, p=[0.25] * 4)
    assert len(set(np.asarray(t).tolist())) == 3


# -- choice: errors -----------------------------------------------------------

F32 = np.array([0.5, 0.5, 1e-3], np.float32)

CHOICE_ERRORS = [
    ((0,), {}), ((-1,), {}), ((3.5,), {}), ((np.array(3.0),), {}),
    (("abc",), {}), (([],), {}), (([[1, 2]],), {}),
    ((np.zeros((2, 2)),), {"size": 0}),
    ((5,), {"p": [0.2] * 4}), ((5,), {"p": [[0.2] * 5]}),
    ((5,), {"p": 0.2}), ((3,), {"p": [0.5, 0.5, 0.5]}),
    ((3,), {"p": [1.5, -0.5, 0]}), ((3,), {"p": [np.nan, 0.5, 0.5]}),
    ((3,), {"p": [np.inf, -np.inf, 1]}), ((3,), {"p": ["a", "b", "c"]}),
    ((3,), {"p": F32}), ((3,), {"p": [0.5, 0.5, 1e-7]}),
    ((0,), {"p": []}), ((0,), {"p": [], "size": 0}),
    (([],), {"p": [], "size": 0}),
    ((3,), {"p": [1.0, 0.0, 0.0], "size": 2, "replace": False}),
    ((3,), {"p": [1.0, 0.0, 0.0], "size": 4, "replace": False}),
    ((3,), {"size": 4, "replace": False}),
    ((3,), {"size": (2, 2), "replace": False}),
    ((3,), {"size": -1, "replace": False}),
    ((3,), {"size": (2, -1), "replace": False}),
    ((3,), {"size": -1}), ((3,), {"size": (2, -1)}),
    ((3,), {"size": -1, "p": [0.5, 0.5, 0]}),
    ((3,), {"size": 2.5}), ((-2,), {"size": 0, "replace": False}),
]


def _as_tensors(args, kwargs):
    """The array arguments as tensors (numeric 1-d and n-d ones)."""
    def conv(x):
        if isinstance(x, (list, np.ndarray)):
            a = np.asarray(x)
            if a.ndim >= 1 and a.dtype.kind in "biuf" and a.size:
                return mt.tensor(a)
        return x
    return [conv(a) for a in args], {k: conv(v) for k, v in kwargs.items()}


@pytest.mark.parametrize("args,kwargs", CHOICE_ERRORS, ids=repr)
@pytest.mark.parametrize("as_tensor", [False, True], ids=["np", "mt"])
def test_choice_errors_as_numpy(args, kwargs, as_tensor):
    with pytest.raises(Exception) as expected:
        np.random.RandomState(0).choice(*args, **kwargs)
    if as_tensor:
        args, kwargs = _as_tensors(args, kwargs)
    with pytest.raises(expected.type, match="^%s$" % _esc(expected.value)):
        mt.random.RandomState(0).choice(*args, **kwargs)
    with pytest.raises(expected.type, match="^%s$" % _esc(expected.value)):
        mt.random.choice(*args, **kwargs)


@pytest.mark.parametrize("x", [5.0, np.array(5), np.array(2.5), "ab"],
                         ids=repr)
def test_permutation_errors_as_numpy(x):
    with pytest.raises(Exception) as expected:
        np.random.RandomState(0).permutation(x)
    with pytest.raises(expected.type, match="^%s$" % _esc(expected.value)):
        mt.random.RandomState(0).permutation(x)
    if isinstance(x, np.ndarray):
        with pytest.raises(expected.type,
                           match="^%s$" % _esc(expected.value)):
            mt.random.permutation(mt.tensor(x))
