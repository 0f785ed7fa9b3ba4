"""Traces of executions from Python: Session.execute(trace=...),
Tensor.execute(trace=...), mars.options.trace, checked against the Trace
Event format (test/trace_format.py)."""

import json
import os
import sys

import numpy as np
import pytest

import mars
import mars.tensor as mt

from helpers import get_session

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import trace_format  # noqa: E402


def load(path):
    with open(path) as f:
        events = trace_format.validate(json.load(f))
    counts, tracks = trace_format.summary(events)
    return events, counts, tracks


def test_execute_writes_a_trace(tmp_path):
    s = get_session("compiled")
    a = mt.random.rand(1000, 800, chunk_size=250)
    b = (mt.exp(a) + 1).sum(axis=0)
    path = tmp_path / "t.json"
    s.execute(b, trace=path)
    events, counts, tracks = load(path)
    name = "fused(random_uniform, exp, full, add, sum)"
    # 4 output chunks of 4 steps each.
    assert counts[("partial", name)] == 16
    assert counts[("run", "tile and fuse")] == 1
    assert counts[("run", "execute (compiled)")] == 1
    assert {"mars", "main", "worker 0"} <= tracks
    # Results are unchanged by tracing.
    np.testing.assert_array_equal(b.fetch(), (mt.exp(a) + 1).sum(axis=0)
                                  .execute(session=s).fetch())


def test_tensor_execute_and_options(tmp_path):
    s = get_session("compiled")
    a = mt.ones((600, 600), chunk_size=200)
    path = tmp_path / "opt.json"
    with mars.option_context(trace=str(path)):
        assert float((a * 3).sum().execute(session=s).fetch()) == 1080000.0
    _, counts, _ = load(path)
    assert sum(n for (cat, _), n in counts.items() if cat == "partial") == 9
    other = tmp_path / "tensor.json"
    (a - 1).execute(session=s, trace=other)
    _, counts, _ = load(other)
    assert sum(n for (cat, _), n in counts.items() if cat == "map") == 9


def test_small_programs_and_cached_values(tmp_path):
    s = get_session("default")
    x = mt.tensor(np.arange(10.0))
    path = tmp_path / "small.json"
    y = (x * 2).execute(session=s, trace=path)
    _, counts, _ = load(path)
    assert any(name.startswith("execute (reference")
               for (_, name) in counts)
    # Nothing left to run: no trace is written (none replaces the last).
    again = tmp_path / "again.json"
    y.execute(session=s, trace=again)
    assert not again.exists()
    with mars.option_context(trace=str(path)):
        y.fetch(session=s)
    _, counts, _ = load(path)
    assert counts  # still the run's trace


def test_failed_runs_are_traced_and_raise(tmp_path):
    s = get_session("compiled")
    a = mt.tensor(np.arange(-5, 5, dtype=np.int64), chunk_size=3)
    path = tmp_path / "fail.json"
    with pytest.raises(ValueError, match="negative integer powers"):
        s.execute(a ** a, trace=path)
    load(path)


def test_unwritable_trace_raises_oserror(tmp_path):
    s = get_session("compiled")
    with pytest.raises(OSError, match="cannot write the trace"):
        s.execute(mt.ones(10) + 1, trace=tmp_path / "no" / "dir" / "t.json")
    # A failed run's error wins; the lost trace is a warning.
    a = mt.tensor(np.arange(-5, 5, dtype=np.int64), chunk_size=3)
    with pytest.warns(RuntimeWarning, match="cannot write the trace"):
        with pytest.raises(ValueError, match="negative integer powers"):
            s.execute(a ** a, trace=tmp_path / "no" / "dir" / "t.json")


def test_record_trace_holds_every_eager_step(tmp_path):
    s = get_session("compiled")
    path = tmp_path / "eager.json"
    x = np.arange(1200.0).reshape(40, 30)
    own = tmp_path / "own.json"
    with s, mars.record_trace(path):
        with mars.option_context(eager_mode=True):
            a = mt.tensor(x, chunk_size=(15, 10))  # 3 x 3 chunks
            b = mt.exp(a / 1000)  # one run per operation
            c = (b + 1).sum(axis=0)
            value = c.fetch()
        # A lazy execution with a path of its own writes that file, not
        # the recording.
        (c * 2).execute(trace=own)
    np.testing.assert_allclose(value, (np.exp(x / 1000) + 1).sum(axis=0))
    events, counts, tracks = load(path)
    runs = [n for (cat, name), n in counts.items()
            if cat == "run" and name.startswith("execute (")]
    # One execution per eager step: a / 1000, exp, b + 1, the sum.
    assert sum(runs) >= 4
    ops = {name for (cat, name) in counts if cat in ("map", "partial")}
    assert any("exp" in name for name in ops)
    assert any("sum" in name for name in ops)
    assert "mul" not in " ".join(ops)  # c * 2 went to its own file
    _, own_counts, _ = load(own)
    assert any("mul" in name for (_, name) in own_counts)
    # Executions follow each other on the one timeline.
    starts = sorted(e["ts"] for e in events
                    if e.get("ph") == "X" and e["name"].startswith("execute ("))
    assert len(starts) == sum(runs) and starts == sorted(set(starts))
    assert not s._s.recording_trace


def test_record_trace_writes_on_error_and_refuses_nesting(tmp_path):
    s = get_session("compiled")
    path = tmp_path / "err.json"
    a = mt.tensor(np.arange(-5, 5, dtype=np.int64), chunk_size=3)
    with pytest.raises(ValueError, match="negative integer powers"):
        with s.record_trace(path):
            (a + 1).execute(session=s)
            (a ** a).execute(session=s)
    _, counts, _ = load(path)
    assert sum(n for (cat, name), n in counts.items()
               if cat == "run" and name.startswith("execute (")) >= 1
    with s.record_trace(tmp_path / "outer.json"):
        with pytest.raises(ValueError, match="already recording"):
            with s.record_trace(tmp_path / "inner.json"):
                pass
    assert (tmp_path / "outer.json").exists()
    assert not (tmp_path / "inner.json").exists()
    # An unwritable path: OSError at the end of the block; with an error
    # inside, that error wins and the lost trace is a warning.
    with pytest.raises(OSError, match="cannot write the trace"):
        with s.record_trace(tmp_path / "no" / "t.json"):
            (a + 2).execute(session=s)
    with pytest.warns(RuntimeWarning, match="trace was not written"):
        with pytest.raises(KeyError):
            with s.record_trace(tmp_path / "no" / "t.json"):
                raise KeyError("x")
    assert not s._s.recording_trace
