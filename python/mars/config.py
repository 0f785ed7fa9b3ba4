"""``mars.options``: settings read when a session is created or a tensor is
made.

    import mars
    mars.options.eager_mode = True          # every call executes at once
    with mars.option_context({"eager_mode": True}):
        ...
    mars.options.memory_limit = "4GiB"      # read by the default session

Changing a session setting (memory_limit, threads, spill_dir, device,
chunk_store_limit, engine) after the default session exists starts a new
default session on the next execution.
"""

import contextlib
import threading

_SESSION_KEYS = ("memory_limit", "threads", "spill_dir", "device",
                 "chunk_store_limit", "engine", "small_elements")


class Options:
    """The option set; attributes are the options."""

    _defaults = {
        # Execute every tensor as soon as it is created (numpy's behaviour).
        "eager_mode": False,
        # The default session's memory limit: bytes, "4GiB", or None (80%
        # of physical memory).
        "memory_limit": None,
        # Worker threads (0: one per core).
        "threads": 0,
        # Where chunks are spilled when memory runs short ("" : a temporary
        # directory).
        "spill_dir": "",
        # "cpu", "gpu", "auto" (a GPU when there is one) or "gpu-emulator".
        "device": "cpu",
        # Largest automatic chunk (bytes or "32MiB"; None: from the memory
        # limit).
        "chunk_store_limit": None,
        # "compiled" (generated kernels), "chunked" or "reference".
        "engine": "compiled",
        # Programs whose arrays all have at most this many elements run on
        # the reference engine, without compiling kernels (None: default).
        "small_elements": None,
        # Progress bar: None (when interactive), True or False.
        "show_progress": None,
        # A path: every execute() and fetch() writes its trace there (Trace
        # Event JSON for Perfetto and chrome://tracing), replacing the last
        # one. Eager mode's per-operation runs: see mars.record_trace.
        "trace": None,
    }

    def __init__(self):
        # The values live in the instance's __dict__: reading an option is a
        # plain attribute lookup (eager mode reads one per operation).
        self.__dict__.update(self._defaults)
        object.__setattr__(self, "_lock", threading.Lock())
        object.__setattr__(self, "_version", 0)

    def __getattr__(self, name):
        raise AttributeError("mars.options has no option %r" % name)

    def __setattr__(self, name, value):
        if name not in self._defaults:
            raise AttributeError("mars.options has no option %r" % name)
        with self._lock:
            self.__dict__[name] = value
            if name in _SESSION_KEYS:
                object.__setattr__(self, "_version", self._version + 1)

    def to_dict(self):
        return {k: self.__dict__[k] for k in self._defaults}

    def reset(self):
        for k, v in self._defaults.items():
            setattr(self, k, v)

    def __repr__(self):
        return "Options(%s)" % ", ".join(
            "%s=%r" % kv for kv in sorted(self.to_dict().items()))


options = Options()


@contextlib.contextmanager
def option_context(values=None, **kwargs):
    """Sets options for the duration of a ``with`` block."""
    values = dict(values or {}, **kwargs)
    old = {k: getattr(options, k) for k in values}
    try:
        for k, v in values.items():
            setattr(options, k, v)
        yield options
    finally:
        for k, v in old.items():
            setattr(options, k, v)
