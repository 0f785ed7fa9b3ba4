"""Mars: numpy-style tensor programs on data larger than memory, on every
core, on GPUs and on a cluster.

    import mars.tensor as mt
    a = mt.random.rand(1000, 1000)
    print((a + 1).sum().execute())

See docs/Python.md.
"""

from .config import options, option_context
from .session import (Session, new_session, get_default_session, execute,
                      fetch, record_trace)
from .graph import Graph, visualize
from . import tensor

__version__ = "0.1.0"

__all__ = ["options", "option_context", "Session", "new_session",
           "get_default_session", "execute", "fetch", "record_trace", "visualize",
           "Graph",
           "tensor"]
