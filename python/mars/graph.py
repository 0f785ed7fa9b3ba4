"""Pictures of the programs tensors run, drawn by Graphviz.

    g = (a + 1).sum().visualize()        # the program as it will run
    g.save("prog.svg")                   # or .png, .pdf, .dot
    print(g.source)                      # the Graphviz (DOT) text
    a.visualize(stage="chunks")          # one node per chunk task

In Jupyter a Graph shows itself as SVG. Stages: "input" (the program as
built), "tiled" (every op with its chunk grid and task count), "fused" (what
runs: fused groups drawn as one box) and "chunks" (the chunk graph; drawn
per op when it has more than 2000 tasks). Nothing is executed.
"""

import os
import shutil
import subprocess

_FORMATS = ("svg", "png", "pdf", "dot")
STAGES = ("input", "tiled", "fused", "chunks")


class Graph:
    """A picture of a program. ``source`` is its Graphviz text."""

    def __init__(self, source):
        self.source = source

    def render(self, format="svg"):
        """The picture as bytes in ``format`` ("svg", "png", "pdf"; "dot":
        the source itself). Drawing needs Graphviz's ``dot`` program."""
        if format not in _FORMATS:
            raise ValueError("format must be one of %s, got %r"
                             % (", ".join(_FORMATS), format))
        if format == "dot":
            return self.source.encode()
        dot = shutil.which("dot")
        if dot is None:
            raise RuntimeError(
                "drawing a graph needs Graphviz's `dot` program (Debian: "
                "apt install graphviz); Graph.source holds the DOT text")
        try:
            done = subprocess.run([dot, "-T" + format],
                                  input=self.source.encode(),
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, timeout=300)
        except subprocess.TimeoutExpired:
            raise RuntimeError("dot took over 5 minutes to draw the graph; "
                               "draw a coarser stage") from None
        if done.returncode != 0:
            raise RuntimeError("dot failed: %s"
                               % done.stderr.decode(errors="replace").strip())
        return done.stdout

    def save(self, filename, format=None):
        """Writes the picture to ``filename`` and returns the path written.
        As dask's visualize does: the format is ``format``, else the one the
        extension names, else png; a name without that extension gets it."""
        filename = os.fspath(filename)
        ext = os.path.splitext(filename)[1][1:].lower()
        if format is None:
            if ext and ext not in _FORMATS:
                raise ValueError("cannot tell the format from %r: pass "
                                 "format= (one of %s)"
                                 % (filename, ", ".join(_FORMATS)))
            format = ext or "png"
        data = self.render(format)
        if ext != format:
            filename += "." + format
        with open(filename, "wb") as f:
            f.write(data)
        return filename

    def _repr_svg_(self):
        # Without Graphviz, Jupyter shows repr() instead.
        if shutil.which("dot") is None:
            return None
        return self.render("svg").decode()

    def __str__(self):
        return self.source

    def __repr__(self):
        nodes = sum(1 for line in self.source.splitlines()
                    if "[label=" in line)
        return "<mars Graph: %d nodes>" % nodes


def visualize(*tensors, filename=None, format=None, stage="fused",
              session=None):
    """A picture of the program that computing ``tensors`` runs, as
    ``session`` (else the default one) would tile and fuse it. Executed
    tensors are its inputs. With ``filename``, also written there (see
    Graph.save). A program small enough for the reference engine (eager
    mode's steps, arrays of up to ``small_elements``) runs untiled; its
    picture still shows the tiled pipeline it would get."""
    from .session import _handles, get_default_session
    if stage not in STAGES:
        raise ValueError("stage must be one of %s, got %r"
                         % (", ".join(STAGES), stage))
    _, handles = _handles(tensors, "visualize")
    if not handles:
        raise ValueError("visualize() needs at least one tensor")
    s = session or get_default_session()
    g = Graph(s._s.graph(handles, stage))
    if filename is not None:
        g.save(filename, format)
    return g
