"""Pictures of programs: Tensor.visualize() and mars.visualize() at each
stage of the pipeline, saved in each format Graphviz draws."""

import os
import shutil

import numpy as np
import pytest

import mars
import mars.tensor as mt

from helpers import get_session

needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz's dot is not installed")


@pytest.fixture
def session():
    return get_session("compiled")


def chain():
    a = mt.random.rand(1000, 800, chunk_size=250)
    return (mt.exp(a) + 1).sum(axis=0)


def test_stages_show_what_the_pipeline_did(session):
    t = chain()
    given = t.visualize(stage="input", session=session).source
    # The chunks asked for are shown; nothing is tiled yet.
    assert "mars.random_uniform" in given and "4x4 chunks of 250x250" in given
    assert "tasks" not in given and "cluster" not in given
    tiled = t.visualize(stage="tiled", session=session).source
    assert "mars.exp\\nfloat64 (1000, 800)\\n4x4 chunks of 250x250, 16 tasks" \
        in tiled
    assert "cluster" not in tiled
    fused = t.visualize(session=session).source
    assert 'subgraph "cluster_n0"' in fused
    assert "mars.fused" in fused and "4 chunks of 250" in fused
    chunks = t.visualize(stage="chunks", session=session).source
    assert "step 0" in chunks and "combine" in chunks
    # Nothing ran.
    assert not t._t.executed


def test_executed_tensors_are_inputs(session):
    a = mt.tensor(np.arange(12.0).reshape(3, 4), chunk_size=2)
    b = (a * 2).execute(session=session)
    src = (b + 1).visualize(stage="input", session=session).source
    assert "shape=invhouse" in src and "float64 (3, 4)" in src
    assert "mars.mul" not in src  # b's lineage is gone: it is a value.


def test_several_tensors_in_one_picture(session):
    a = mt.ones((6, 6), chunk_size=3)
    s, m = a.sum(), a.max()
    src = mars.visualize(s, m, session=session).source
    assert src.count('-> "return"') == 2


def test_large_chunk_graphs_are_drawn_per_op(session):
    a = mt.ones((100, 100), chunk_size=1)
    src = (-a).visualize(stage="chunks", session=session).source
    assert "more than 2000: drawn per op" in src
    assert "100x100 chunks of 1x1, 10000 tasks" in src


def test_bad_arguments(session):
    t = chain()
    with pytest.raises(ValueError, match="stage must be one of"):
        t.visualize(stage="nope", session=session)
    with pytest.raises(TypeError, match="takes tensors"):
        mars.visualize(np.ones(3), session=session)
    with pytest.raises(ValueError, match="at least one tensor"):
        mars.visualize(session=session)
    g = t.visualize(session=session)
    with pytest.raises(ValueError, match="format must be one of"):
        g.render("gif")
    with pytest.raises(ValueError, match="cannot tell the format"):
        g.save("picture.bmp")


def test_dot_source_needs_no_graphviz(session, tmp_path):
    g = chain().visualize(session=session)
    path = tmp_path / "p.dot"
    g.save(path)
    assert path.read_text() == g.source
    assert str(g) == g.source
    assert repr(g).startswith("<mars Graph: ")


@needs_dot
@pytest.mark.parametrize("stage", ["input", "tiled", "fused", "chunks"])
def test_graphviz_draws_every_stage(session, tmp_path, stage):
    t = chain()
    g = t.visualize(stage=stage, session=session)
    svg = g._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    for ext, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"),
                       ("pdf", b"%PDF")):
        out = tmp_path / ("g." + ext)
        t.visualize(filename=out, stage=stage, session=session)
        assert out.read_bytes().startswith(magic)


@needs_dot
def test_file_names_and_formats_as_dask(session, tmp_path):
    g = chain().visualize(session=session)
    # format= wins and its extension is added; no extension: png.
    assert g.save(tmp_path / "picture.svg", format="png") == \
        str(tmp_path / "picture.svg.png")
    assert (tmp_path / "picture.svg.png").read_bytes().startswith(b"\x89PNG")
    assert g.save(tmp_path / "plain") == str(tmp_path / "plain.png")
    assert (tmp_path / "plain.png").read_bytes().startswith(b"\x89PNG")


def test_without_graphviz_jupyter_falls_back(session, monkeypatch):
    g = chain().visualize(session=session)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert g._repr_svg_() is None
    with pytest.raises(RuntimeError, match="needs Graphviz"):
        g.render("png")
