"""Sessions: where tensors execute.

``mars.new_session()`` runs on this machine (every core, the memory limit,
spilling); ``mars.new_session("host:port", token=...)`` on a Mars cluster
(mars-scheduler and mars-worker, see docs/Distributed.md). The last session
created becomes the default one unless ``default=False``.
"""

import contextlib
import os
import sys
import threading
import warnings

from . import _mars
from .config import options



class _Local(threading.local):
    """Per thread: the sessions of the enclosing ``with session:`` blocks
    (an attribute every thread has, so reading it never raises)."""

    def __init__(self):
        self.stack = []


_local = _Local()
_default = None
_default_version = None


def _interactive():
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _ProgressBar:
    """A one-line progress bar on stderr (terminals and Jupyter both handle
    the carriage return). Shown only for runs longer than half a second."""

    def __init__(self):
        self.shown = False

    def __call__(self, done, total, seconds, in_memory, spilled, workers):
        last = total == 0 or done == total
        if not self.shown and seconds < 0.5:
            return
        self.shown = True
        frac = done / total if total else 1.0
        width = 30
        bar = "#" * int(frac * width) + "-" * (width - int(frac * width))
        line = "\r[%s] %d/%d tasks %3.0f%% %.1fs" % (bar, done, total,
                                                    frac * 100, seconds)
        if workers:
            line += " on %d worker%s" % (workers, "" if workers == 1 else "s")
        if spilled:
            line += ", %.1f MiB spilled" % (spilled / 2**20)
        if not last and 0.01 < frac < 1:
            line += ", ETA %.0fs" % (seconds * (1 - frac) / frac)
        sys.stderr.write(line + ("\n" if last else ""))
        sys.stderr.flush()
        if last:
            self.shown = False


def _flatten(tensors):
    flat = []
    for t in tensors:
        if isinstance(t, (list, tuple)):
            flat.extend(t)
        else:
            flat.append(t)
    return flat


def _handles(tensors, what):
    """The tensors (lists flattened) and their C++ handles; TypeError for
    anything else."""
    flat = _flatten(tensors)
    handles = []
    for t in flat:
        handle = getattr(t, "_t", None)
        if not isinstance(handle, _mars.Tensor):
            raise TypeError("%s() takes tensors, got %s"
                            % (what, type(t).__name__))
        handles.append(handle)
    return flat, handles


class Session:
    """Executes tensors. Create with ``mars.new_session``."""

    def __init__(self, address=None, *, memory_limit=None, threads=None,
                 spill_dir=None, device=None, chunk_store_limit=None,
                 engine=None, token=None, small_elements=None,
                 show_progress=None, tls_ca=None):
        o = options
        pick = lambda v, name: getattr(o, name) if v is None else v
        show = pick(show_progress, "show_progress")
        if show is None:
            show = _interactive()
        small = pick(small_elements, "small_elements")
        if token is None:
            token = os.environ.get("MARS_CLUSTER_TOKEN", "")
        if isinstance(address, (list, tuple)):
            # Several schedulers on a ring: "host:port,host:port".
            address = ",".join(address)
        self.address = address
        self._s = _mars.Session(
            address=address,
            memory_limit=pick(memory_limit, "memory_limit"),
            threads=int(pick(threads, "threads") or 0),
            spill_dir=pick(spill_dir, "spill_dir") or "",
            device=pick(device, "device"),
            chunk_bytes=pick(chunk_store_limit, "chunk_store_limit"),
            engine=pick(engine, "engine"),
            token=token,
            tls_ca=os.fspath(tls_ca) if tls_ca is not None else "",
            small_elements=-1 if small is None else int(small),
            progress=_ProgressBar() if show else None)

    def execute(self, *tensors, trace=None):
        """Executes the tensors in one graph; returns them (one tensor: it
        alone; none: None). With ``trace`` (a path; default
        ``mars.options.trace``), what the execution did is written there as
        a Trace Event JSON file that Perfetto and chrome://tracing open:
        every task per worker thread, kernel compiles, spills, memory."""
        flat, handles = _handles(tensors, "execute")
        if not flat:
            return None
        if trace is None:
            trace = options.trace
        if trace:
            self._s.execute(handles, os.fspath(trace))
        else:
            self._s.execute(handles)
        return flat[0] if len(flat) == 1 else flat

    @contextlib.contextmanager
    def record_trace(self, path):
        """A block whose executions on this session (each ``execute()`` and
        ``fetch()``, and in eager mode every operation) are recorded into
        one trace, written to ``path`` when the block ends (also when it
        ends with an exception). An execution given a ``trace`` path of its
        own writes that file instead. Blocks do not nest on one session."""
        path = os.fspath(path)
        self._s.start_trace()
        try:
            yield self
        except BaseException:
            try:
                self._s.stop_trace(path)
            except OSError as lost:
                warnings.warn("the trace was not written: %s" % lost,
                              RuntimeWarning, stacklevel=3)
            raise
        self._s.stop_trace(path)

    def fetch(self, *tensors):
        """Executes (if needed) and returns numpy arrays."""
        flat = _flatten(tensors)
        self.execute(flat)
        out = [t._t.value() for t in flat]
        return out[0] if len(out) == 1 else out

    def last_report(self):
        """What the last execution did: engine, compile and run seconds,
        tasks, whether the compiled program was reused."""
        return self._s.report()

    @property
    def memory_limit(self):
        return self._s.memory_limit

    def chunk_shape(self, tensor):
        return tuple(self._s.chunk_shape(tensor._t))

    def as_default(self):
        global _default, _default_version
        _default = self
        _default_version = options._version
        return self

    def __enter__(self):
        _local.stack.append(self)
        return self

    def __exit__(self, *exc):
        _local.stack.pop()

    def __repr__(self):
        where = self.address or "local"
        return "<mars.Session %s>" % where


def new_session(address=None, *, default=True, **kwargs):
    """A session on this machine (address None) or on the cluster whose
    scheduler is at ``address`` ("host:port"). A cluster of several
    schedulers is named by any of them, or by several (a list, or
    "host:port,host:port"): a job whose scheduler is lost moves to the next
    one named or learnt, and the execution goes on. Keyword arguments:
    memory_limit, threads, spill_dir, device, chunk_store_limit, engine,
    token (else $MARS_CLUSTER_TOKEN), small_elements, show_progress,
    tls_ca (a cluster with TLS: the PEM file of certificates to trust, else
    $MARS_TLS_CA)."""
    s = Session(address, **kwargs)
    if default:
        s.as_default()
    return s


def get_default_session():
    """The session in a ``with session:`` block, else the default one
    (created from mars.options on first use, and again after a session
    option changes)."""
    stack = _local.stack
    if stack:
        return stack[-1]
    global _default, _default_version
    if _default is None or (_default_version != options._version
                            and _default.address is None
                            and getattr(_default, "_from_options", False)):
        s = Session()
        s._from_options = True
        s.as_default()
    return _default


def record_trace(path, session=None):
    """``with mars.record_trace("run.json"):`` records every execution in
    the block (eager mode's per-operation runs included) on ``session``
    (default: the default session) into one trace file that Perfetto and
    chrome://tracing open. See Session.record_trace."""
    return (session or get_default_session()).record_trace(path)


def execute(*tensors, session=None, trace=None):
    """Executes several tensors in one graph (shared subexpressions once);
    ``trace``: see Session.execute."""
    return (session or get_default_session()).execute(*tensors, trace=trace)


def fetch(*tensors, session=None):
    return (session or get_default_session()).fetch(*tensors)
