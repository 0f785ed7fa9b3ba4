"""mars.tensor.array_api (t.__array_namespace__()) against numpy's
equivalents: the array API standard's names and keyword conventions over the
same ops."""

import numpy as np
import pytest

import mars.tensor as mt

from helpers import assert_same, run


@pytest.fixture
def xp():
    return mt.ones(1).__array_namespace__()


def test_namespace(xp):
    import mars.tensor.array_api as aa
    assert xp is aa
    assert xp.__array_api_version__ == "2023.12"
    assert xp.isdtype(xp.float32, "real floating")
    assert xp.isdtype(xp.int64, ("integral", "bool"))
    assert not xp.isdtype(xp.bool, "numeric")


CASES = [
    ("permute_dims", lambda xp, a: xp.permute_dims(a, (2, 0, 1)),
     lambda a: np.transpose(a, (2, 0, 1))),
    ("concat", lambda xp, a: xp.concat([a, a], axis=1),
     lambda a: np.concatenate([a, a], axis=1)),
    ("concat-none", lambda xp, a: xp.concat([a, a], axis=None),
     lambda a: np.concatenate([a, a], axis=None)),
    ("matrix_transpose", lambda xp, a: xp.matrix_transpose(a[0]),
     lambda a: a[0].T),
    ("vecdot", lambda xp, a: xp.vecdot(a, a),
     lambda a: (a * a).sum(-1)),
    ("var-correction", lambda xp, a: xp.var(a, axis=(0, 2), correction=1),
     lambda a: np.var(a, axis=(0, 2), ddof=1)),
    ("cumulative_sum", lambda xp, a: xp.cumulative_sum(a, axis=1),
     lambda a: np.cumsum(a, axis=1)),
    ("cumulative_sum-initial",
     lambda xp, a: xp.cumulative_sum(a, axis=-1, include_initial=True),
     lambda a: np.concatenate([np.zeros(a.shape[:-1] + (1,)),
                               np.cumsum(a, axis=-1)], axis=-1)),
    ("cumulative_sum-1d", lambda xp, a: xp.cumulative_sum(a[0, 0]),
     lambda a: np.cumsum(a[0, 0])),
]


@pytest.mark.parametrize("fn,ref", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_functions(xp, fn, ref, session):
    a = np.arange(24.0).reshape(2, 3, 4) / 7
    t = mt.tensor(a, chunk_size=2)
    assert_same(run(fn(xp, t), session), ref(a))


def test_cumulative_sum_needs_axis(xp):
    with pytest.raises(ValueError):
        xp.cumulative_sum(mt.ones((2, 2)))
