"""Fixtures for the mars.tensor test suite.

Run from the repository root:

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q test/python

Every test compares mars.tensor with numpy (the installed numpy is the
reference). Two local sessions are used (see helpers.get_session):

* ``compiled``: ``mars.new_session(default=False, small_elements=0)``; every
  program runs on the compiled, chunked engine, even tiny ones.
* ``default``: ``mars.new_session(default=False)``; small programs run on the
  reference engine.

The ``chunk_size`` fixture gives the chunk sizes tensors are made with
(``None``: Mars's automatic tiling).
"""

import pytest

import mars

from helpers import SESSION_KINDS, CHUNK_SIZES, get_session


@pytest.fixture(params=SESSION_KINDS)
def session(request):
    """Each test using it runs once per local session kind."""
    return get_session(request.param)


@pytest.fixture
def compiled_session():
    return get_session("compiled")


@pytest.fixture
def default_session():
    return get_session("default")


@pytest.fixture(params=CHUNK_SIZES, ids=lambda c: "cs%s" % c)
def chunk_size(request):
    return request.param


@pytest.fixture(autouse=True)
def _restore_options():
    """No test leaks a changed mars.options (eager mode in particular) into
    the next one."""
    before = mars.options.to_dict()
    yield
    for k, v in before.items():
        if getattr(mars.options, k) != v:
            setattr(mars.options, k, v)
