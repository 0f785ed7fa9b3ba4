"""Sessions and execution: several tensors in one graph, results reused
after execution, repr before and after execution, conversions to Python
and numpy values, eager mode (mars.options.eager_mode and
mars.option_context)."""

import operator

import numpy as np
import pytest

import mars
import mars.tensor as mt

from helpers import assert_same, run


def _is_executed_repr(r):
    return not r.startswith("Tensor <")


# -- execute several tensors ---------------------------------------------------

def test_execute_several_tensors_in_one_graph(session, chunk_size):
    x = np.arange(24, dtype=np.float64).reshape(4, 6)
    a = mt.tensor(x, chunk_size=chunk_size)
    shared = a * 2 + 1
    outs = [shared.sum(axis=0), shared.T, shared - a, (shared > 10).any(),
            mt.sqrt(shared)]
    r = mars.execute(*outs, session=session)
    assert isinstance(r, list) and len(r) == len(outs)
    assert all(o is p for o, p in zip(r, outs))
    xs = x * 2 + 1
    expected = [xs.sum(axis=0), xs.T, xs - x, (xs > 10).any(), np.sqrt(xs)]
    for o, e in zip(outs, expected):
        assert_same(np.asarray(o.fetch()), np.asarray(e))


def test_execute_list_argument_and_single_tensor(session):
    a = mt.tensor([1, 2, 3])
    b = a + 1
    c = a * 3
    r = session.execute([b, c])
    assert len(r) == 2 and r[0] is b and r[1] is c
    assert_same(b.fetch(), np.array([2, 3, 4]))
    assert_same(c.fetch(), np.array([3, 6, 9]))
    d = a - 1
    assert mars.execute(d, session=session) is d
    assert d.execute(session=session) is d
    assert_same(d.fetch(), np.array([0, 1, 2]))


def test_fetch_several(session):
    a = mt.tensor(np.arange(5.0))
    x, y = mars.fetch(a + 1, a * a, session=session)
    assert_same(x, np.arange(5.0) + 1)
    assert_same(y, np.arange(5.0) ** 2)
    one = mars.fetch(a.sum(), session=session)
    assert_same(np.asarray(one), np.asarray(10.0))


def test_same_tensor_twice_and_duplicates(session):
    a = mt.tensor(np.arange(6)).reshape(2, 3)
    b = a.sum(axis=1)
    mars.execute(b, b, a, session=session)
    assert_same(b.fetch(), np.array([3, 12]))


def test_results_reused_after_execution(session):
    rs = mt.random.RandomState(3)
    r = rs.rand(50)
    run(r, session)
    first = np.array(r.fetch())
    # Fetching again and using the tensor in new expressions sees the same
    # values (the tensor is not recomputed with different numbers).
    assert_same(r.fetch(), first)
    s = r * 2
    assert_same(run(s, session), first * 2)
    assert_same(run(r, session), first)
    m = mars.execute(r.sum(), r.mean(),
                     session=session)
    assert_same(np.asarray(m[0].fetch()), np.asarray(first.sum()),
                rtol=1e-12)
    assert_same(np.asarray(m[1].fetch()), np.asarray(first.mean()),
                rtol=1e-12)


def test_executed_tensor_used_in_later_graph(session, chunk_size):
    x = np.linspace(0, 1, 30).reshape(5, 6)
    a = mt.tensor(x, chunk_size=chunk_size)
    b = (a + 1).execute(session=session)
    c = b * b
    d = c.sum()
    mars.execute(c, d, session=session)
    assert_same(c.fetch(), (x + 1) ** 2)
    assert_same(np.asarray(d.fetch()), np.asarray(((x + 1) ** 2).sum()),
                rtol=1e-12)


def test_fetched_array_and_copy(session):
    t = mt.tensor(np.arange(4.0)) + 1
    run(t, session)
    v = t.fetch()
    assert isinstance(v, np.ndarray)
    c = np.array(t)
    c[0] = 100.0
    assert_same(t.fetch(), np.arange(4.0) + 1)


def test_same_expression_in_both_sessions():
    from helpers import get_session
    x = np.arange(12.0).reshape(3, 4)
    t = (mt.tensor(x, chunk_size=2) * 3).sum(axis=1)
    a = run(t, get_session("compiled"))
    b = run((mt.tensor(x) * 3).sum(axis=1), get_session("default"))
    assert_same(a, b)
    assert_same(a, (x * 3).sum(axis=1))


def test_session_as_context_manager(session):
    t = mt.tensor([1.0, 2.0]) * 4
    with session:
        assert mars.get_default_session() is session
        t.execute()
    assert_same(t.fetch(), np.array([4.0, 8.0]))


def test_session_repr_and_report(session):
    assert "Session" in repr(session)
    run(mt.tensor([1, 2]) + 1, session)
    rep = session.last_report()
    assert isinstance(rep, dict)


def test_session_kinds_use_the_engines_they_claim(compiled_session,
                                                  default_session):
    # The two parametrised sessions really differ: small_elements=0 compiles
    # even a tiny program; the default session runs it on the reference
    # engine.
    run(mt.tensor([1.0, 2.0], chunk_size=1) * 3 + 1, compiled_session)
    assert compiled_session.last_report()["engine"] == "compiled"
    run(mt.tensor([1.0, 2.0], chunk_size=1) * 3 + 1, default_session)
    assert default_session.last_report()["engine"] == "reference"


# -- repr --------------------------------------------------------------------------

def test_repr_before_and_after_execution(session):
    x = np.array([[1.5, 2.0, -3.0], [4.0, 5.25, 6.0]])
    t = mt.tensor(x) * 1
    before = repr(t)
    assert not _is_executed_repr(before)
    assert "(2, 3)" in before and "float64" in before
    # repr does not execute.
    assert repr(t) == before
    run(t, session)
    after = repr(t)
    assert _is_executed_repr(after)
    # The values appear as numpy prints them.
    body = np.array_repr(x)[len("array"):]
    assert body in after
    assert str(t) == str(x)


@pytest.mark.parametrize("x", [np.array(3), np.array([True, False]),
                               np.arange(4, dtype=np.int32),
                               np.zeros((0, 2)),
                               np.array([np.nan, -np.inf, 1e20])],
                         ids=["0d", "bool", "int32", "empty", "special"])
def test_repr_after_execution_shows_values(session, x):
    t = mt.tensor(x) if x.dtype == np.bool_ else mt.tensor(x) + 0
    run(t, session)
    assert str(t) == str(x)
    assert np.array_repr(x)[len("array"):] in repr(t)
    if x.dtype not in (np.float64, np.int64, np.bool_):
        assert x.dtype.name in repr(t)


def test_repr_of_unexecuted_chunked(session):
    t = mt.ones((4, 5), chunk_size=2, dtype=np.int32) + 1
    r = repr(t)
    assert not _is_executed_repr(r)
    assert "(4, 5)" in r and "int32" in r


# -- conversions -------------------------------------------------------------------

@pytest.mark.parametrize("x", [np.array(2.5), np.array([2.5]),
                               np.array([[-1.0]]), np.array(7),
                               np.array(True), np.array([0])],
                         ids=["0d-float", "1-float", "1x1", "0d-int",
                              "0d-bool", "1-int0"])
def test_scalar_conversions(x):
    t = mt.tensor(x) * 1 if x.dtype != np.bool_ else mt.tensor(x) | False
    assert float(t) == float(x)
    assert int(t) == int(x)
    assert bool(t) == bool(x)
    assert t.item() == x.item()
    assert type(t.item()) is type(x.item())
    assert t.tolist() == x.tolist()


def test_index_conversion():
    t = mt.tensor(np.array(2)) + 1
    assert operator.index(t) == 3
    assert [10, 20, 30, 40][t] == 40
    with pytest.raises(TypeError):
        operator.index(mt.tensor(np.array(2.0)))


def test_conversions_of_larger_tensors():
    x = np.arange(6.0).reshape(2, 3)
    t = mt.tensor(x) - 1
    with pytest.raises(TypeError):
        float(t)
    with pytest.raises(TypeError):
        int(t)
    with pytest.raises(ValueError):
        bool(t)
    assert t.tolist() == (x - 1).tolist()


@pytest.mark.parametrize("dtype", ["bool", "int32", "int64", "float32",
                                   "float64"])
def test_numpy_asarray(dtype):
    x = (np.arange(6).reshape(2, 3) % 4).astype(dtype)
    t = mt.tensor(x).astype(dtype)
    a = np.asarray(t)
    assert isinstance(a, np.ndarray)
    assert_same(a, x)
    b = np.array(t, dtype=np.float64)
    assert_same(b, x.astype(np.float64))
    assert_same(np.asarray(mt.tensor(x)[1]), x[1])


def test_numpy_functions_on_tensors():
    x = np.arange(1.0, 7.0).reshape(2, 3)
    t = mt.tensor(x) * 2
    # numpy converts the tensor (executing it) where it needs an array.
    assert np.allclose(np.sum(np.asarray(t)), (x * 2).sum())
    np.testing.assert_allclose(np.asarray(t), x * 2)


def test_fetch_without_explicit_execute():
    t = mt.tensor([1, 2, 3]) * 2
    assert_same(t.fetch(), np.array([2, 4, 6]))


# -- eager mode --------------------------------------------------------------------

def test_eager_mode_option():
    assert mars.options.eager_mode is False
    mars.options.eager_mode = True
    try:
        t = mt.tensor([1.0, 2.0]) + 1
        assert _is_executed_repr(repr(t))
        assert_same(t.fetch(), np.array([2.0, 3.0]))
        u = mt.ones((2, 2)).sum(axis=0)
        assert _is_executed_repr(repr(u))
        assert_same(u.fetch(), np.array([2.0, 2.0]))
        r = mt.random.rand(3)
        assert _is_executed_repr(repr(r))
    finally:
        mars.options.eager_mode = False
    assert mars.options.eager_mode is False
    t = mt.tensor([1.0, 2.0]) + 1
    assert not _is_executed_repr(repr(t))


def test_option_context_eager():
    with mars.option_context({"eager_mode": True}):
        assert mars.options.eager_mode is True
        t = mt.tensor([3, 4]) * 2
        assert _is_executed_repr(repr(t))
        assert str(t) == str(np.array([6, 8]))
    assert mars.options.eager_mode is False
    with mars.option_context(eager_mode=True):
        assert mars.options.eager_mode is True
    assert mars.options.eager_mode is False
    t = mt.tensor([3, 4]) * 2
    assert not _is_executed_repr(repr(t))


def test_option_context_restores_after_exception():
    with pytest.raises(RuntimeError):
        with mars.option_context({"eager_mode": True}):
            raise RuntimeError("boom")
    assert mars.options.eager_mode is False


def test_eager_mode_errors_at_once():
    with mars.option_context({"eager_mode": True}):
        with pytest.raises(ValueError):
            mt.tensor(np.zeros(0)).argmin()
        with pytest.raises(ValueError):
            mt.tensor([1.0, 2.0]) + mt.tensor([1.0, 2.0, 3.0])


def test_eager_and_lazy_agree(chunk_size):
    x = np.linspace(-2, 2, 20).reshape(4, 5)

    def build():
        a = mt.tensor(x, chunk_size=chunk_size)
        return (mt.exp(a) - a ** 2).sum(axis=1) / a.std()

    lazy = np.asarray(build())
    with mars.option_context({"eager_mode": True}):
        eager = build()
        assert _is_executed_repr(repr(eager))
        eager = np.asarray(eager)
    e = (np.exp(x) - x ** 2).sum(axis=1) / x.std()
    assert_same(lazy, e, rtol=1e-12)
    assert_same(eager, e, rtol=1e-12)


def test_options_repr_and_dict():
    d = mars.options.to_dict()
    assert "eager_mode" in d
    assert "eager_mode" in repr(mars.options)


# -- arrays larger than the reference engine's limit -----------------------------

def test_large_arrays_on_the_default_session(default_session):
    # Over small_elements (16384 by default): the compiled engine runs them.
    rng = np.random.default_rng(11)
    x = rng.uniform(-1, 1, size=(300, 200))
    y = rng.uniform(-1, 1, size=(200,))
    a, b = mt.tensor(x), mt.tensor(y)
    outs = [(a * b + 1).sum(axis=0), a.argmax(axis=1), (a > b).mean(),
            a.T @ a, mt.where(a > 0, a, -b).std(axis=1), a[::-3, 5:].max(),
            mt.exp(a).astype(np.float32) - b.astype(np.float32)]
    mars.execute(*outs, session=default_session)
    assert default_session.last_report()["engine"] == "compiled"
    exp = [(x * y + 1).sum(axis=0), x.argmax(axis=1), (x > y).mean(),
           x.T @ x, np.where(x > 0, x, -y).std(axis=1), x[::-3, 5:].max(),
           np.exp(x).astype(np.float32) - y.astype(np.float32)]
    for o, e in zip(outs, exp):
        e = np.asarray(e)
        assert_same(np.asarray(o.fetch()), e,
                    rtol=1e-5 if e.dtype == np.float32 else 1e-9)


def test_large_random_tensor_statistics(default_session):
    rs = mt.random.RandomState(77)
    u = rs.uniform(0, 1, size=(400, 300))
    n = rs.normal(0, 1, size=(400, 300))
    i = rs.randint(0, 10, size=(400, 300))
    m = [u.mean(), u.min(), u.max(), n.mean(), n.std(), i.min(), i.max(),
         (i == 3).mean()]
    mars.execute(*m, session=default_session)
    v = [float(t) for t in m]
    assert abs(v[0] - 0.5) < 0.01 and v[1] >= 0 and v[2] < 1
    assert abs(v[3]) < 0.01 and abs(v[4] - 1) < 0.01
    assert v[5] == 0 and v[6] == 9 and abs(v[7] - 0.1) < 0.01


# -- eager mode's small programs (steps run on the calling thread) -------------

def test_eager_steps_repeat_with_the_same_results():
    """The second and later calls of an operation reuse its program and run
    its ops directly (the step path); every call still gives numpy's
    values, whatever the operand kinds."""
    x = np.linspace(-3.0, 3.0, 50)
    y = np.arange(50, dtype=np.int32)
    with mars.option_context(eager_mode=True):
        a, b = mt.tensor(x), mt.tensor(y)
        for _ in range(3):
            assert_same(np.asarray(a + b), x + y)
            assert_same(np.asarray(a * 2), x * 2)        # a scalar operand
            assert_same(np.asarray(2.5 - b), 2.5 - y)    # reflected
            assert_same(np.asarray(-a), -x)
            assert_same(np.asarray(mt.exp(a)), np.exp(x))
            assert_same(np.asarray(a.sum()), x.sum())
            assert_same(np.asarray(b.max()), y.max())
            assert_same(np.asarray(a.reshape(5, 10).mean(axis=0)),
                        x.reshape(5, 10).mean(axis=0))
            assert_same(np.asarray(mt.where(a > 0, a, b)),
                        np.where(x > 0, x, y))
        report = mars.get_default_session().last_report()
        assert report["engine"] == "reference"
        assert report["program_cache_hit"] is True


def test_eager_step_errors_repeat_and_leave_tensors_unexecuted():
    with mars.option_context(eager_mode=True):
        base = mt.tensor(np.array([1, 2, 3], dtype=np.int64))
        for _ in range(3):
            with pytest.raises(ValueError, match="negative integer powers"):
                base ** mt.tensor(np.array([1, -1, 2], dtype=np.int64))
            with pytest.raises(ValueError):
                mt.tensor(np.zeros(0)).max()
    # The same operation, lazily, fails when executed.
    t = base ** mt.tensor(np.array([-2, 1, 1], dtype=np.int64))
    with pytest.raises(ValueError):
        t.execute()
    assert not _is_executed_repr(repr(t))


def test_eager_steps_from_several_threads():
    import threading
    x = np.random.default_rng(7).standard_normal(300)
    errors = []

    def work(k):
        try:
            with mars.option_context(eager_mode=True):
                a = mt.tensor(x)
                for i in range(100):
                    r = (a * k + i).sum()
                    assert_same(np.asarray(r), (x * k + i).sum())
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_small_sums_match_numpy_bit_for_bit(dtype):
    """The reference kernels (small arrays) sum contiguous rows in numpy's
    order: pairwise blocks of 128 with 8 accumulators, buffers of 8192 added
    in turn."""
    rng = np.random.default_rng(3)
    for n in list(range(0, 40)) + [127, 128, 129, 255, 1000, 8191, 8192,
                                    8193, 10007, 16384]:
        x = (rng.standard_normal(n) * 1e3).astype(dtype)
        got = np.asarray(mt.tensor(x).sum())
        assert got.tobytes() == x.sum().tobytes(), (n, got, x.sum())
        if n:
            got = np.asarray(mt.tensor(x).mean())
            assert got.tobytes() == x.mean().tobytes(), (n, got, x.mean())
    rows = rng.standard_normal((6, 1000)).astype(dtype)
    got = np.asarray(mt.tensor(rows).sum(axis=1))
    assert got.tobytes() == rows.sum(axis=1).tobytes()
    # -0.0 sums to +0.0, as numpy's sum starts from its identity.
    got = np.asarray(mt.tensor(np.array([-0.0, -0.0], dtype=dtype)).sum())
    assert got.tobytes() == np.array([-0.0, -0.0], dtype=dtype).sum().tobytes()


def test_eager_steps_keep_the_memory_limit():
    """A small program that does not fit the memory limit fails every time
    it runs, not only the first (steps are only made for programs that
    fit)."""
    s = mars.new_session(default=False, memory_limit=12000)
    x = np.ones(1000)
    with s:
        with mars.option_context(eager_mode=True):
            a = mt.tensor(x)
            for _ in range(3):
                with pytest.raises(MemoryError):
                    a + a
            b = mt.tensor(np.ones(100))
            for _ in range(3):
                assert_same(np.asarray(b + b), np.full(100, 2.0))
