"""Bad calls raise the kind of exception numpy raises: ValueError for
shapes that do not broadcast and bad reshapes, TypeError for bad dtypes,
IndexError for bad indices, numpy.AxisError for bad axes.

Every case is written once as ``lambda xp: ...`` and run with xp=numpy (to
check the case really is an error in numpy, of that kind) and with
xp=mars.tensor; Mars may raise when the tensor is built or when it is
executed."""

import numpy as np
import pytest

import mars
import mars.tensor as mt

from helpers import run

AxisError = np.AxisError


def A(xp, shape, dtype="float64"):
    return xp.asarray(np.arange(int(np.prod(shape)), dtype=dtype)
                      .reshape(shape))


def B(xp, shape):
    return xp.asarray(np.arange(int(np.prod(shape))).reshape(shape) % 2 == 0)


CASES = [
    # -- ValueError: shapes --------------------------------------------------
    ("add-no-broadcast", ValueError, lambda xp: A(xp, 3) + A(xp, 4)),
    ("mul-no-broadcast-2d", ValueError,
     lambda xp: A(xp, (2, 3)) * A(xp, (3, 2))),
    ("less-no-broadcast", ValueError, lambda xp: A(xp, (2, 3)) < A(xp, 2)),
    ("maximum-no-broadcast", ValueError,
     lambda xp: xp.maximum(A(xp, (4, 3)), A(xp, (4,)))),
    ("where-no-broadcast", ValueError,
     lambda xp: xp.where(B(xp, 3), A(xp, 4), 0.0)),
    ("logical_and-no-broadcast", ValueError,
     lambda xp: xp.logical_and(B(xp, 2), B(xp, 3))),
    ("broadcast_to-bad", ValueError,
     lambda xp: xp.broadcast_to(A(xp, 3), (4,))),
    ("broadcast_to-fewer-dims", ValueError,
     lambda xp: xp.broadcast_to(A(xp, (2, 3)), (3,))),
    ("broadcast_to-negative", ValueError,
     lambda xp: xp.broadcast_to(A(xp, 3), (-1,))),
    ("reshape-size", ValueError, lambda xp: A(xp, (2, 3)).reshape(4)),
    ("reshape-size-2", ValueError, lambda xp: A(xp, (2, 3)).reshape(4, -1)),
    ("reshape-two-unknown", ValueError,
     lambda xp: A(xp, (2, 3)).reshape(-1, -1)),
    ("reshape-function", ValueError, lambda xp: xp.reshape(A(xp, 6), (5,))),
    ("reshape-empty-unknown", ValueError,
     lambda xp: A(xp, (0, 3)).reshape(0, -1)),
    ("concatenate-shapes", ValueError,
     lambda xp: xp.concatenate([A(xp, (2, 3)), A(xp, (2, 4))])),
    ("concatenate-ndim", ValueError,
     lambda xp: xp.concatenate([A(xp, (2, 3)), A(xp, 3)])),
    ("concatenate-none", ValueError, lambda xp: xp.concatenate([])),
    ("stack-shapes", ValueError,
     lambda xp: xp.stack([A(xp, 2), A(xp, 3)])),
    ("stack-none", ValueError, lambda xp: xp.stack([])),
    ("matmul-mismatch", ValueError,
     lambda xp: xp.matmul(A(xp, (2, 3)), A(xp, (2, 3)))),
    ("matmul-operator-mismatch", ValueError,
     lambda xp: A(xp, (2, 3)) @ A(xp, 4)),
    ("matmul-vector-mismatch", ValueError, lambda xp: A(xp, 3) @ A(xp, 4)),
    ("matmul-0d", ValueError, lambda xp: xp.matmul(A(xp, 3), A(xp, ()))),
    ("dot-mismatch", ValueError,
     lambda xp: xp.dot(A(xp, (2, 3)), A(xp, (2, 3)))),
    ("dot-vector-mismatch", ValueError, lambda xp: xp.dot(A(xp, 3), A(xp, 2))),
    ("tensordot-mismatch", ValueError,
     lambda xp: xp.tensordot(A(xp, (2, 3)), A(xp, (2, 3)), 1)),
    ("tensordot-axes-mismatch", ValueError,
     lambda xp: xp.tensordot(A(xp, (2, 3)), A(xp, (2, 3)), ([0], [1]))),
    ("squeeze-not-one", ValueError,
     lambda xp: xp.squeeze(A(xp, (2, 1)), axis=0)),
    ("transpose-repeated", ValueError,
     lambda xp: xp.transpose(A(xp, (2, 3)), (0, 0))),
    ("transpose-too-few", ValueError,
     lambda xp: xp.transpose(A(xp, (2, 3, 4)), (0, 1))),
    ("sum-duplicate-axis", ValueError,
     lambda xp: A(xp, (2, 3)).sum(axis=(0, 0))),
    ("var-duplicate-axis", ValueError,
     lambda xp: xp.var(A(xp, (2, 3)), axis=(1, -1))),
    ("zeros-negative", ValueError, lambda xp: xp.zeros(-1)),
    ("ones-negative", ValueError, lambda xp: xp.ones((2, -3))),
    ("full-negative", ValueError, lambda xp: xp.full((-2,), 1.0)),
    ("eye-negative", ValueError, lambda xp: xp.eye(-1)),
    ("linspace-negative", ValueError, lambda xp: xp.linspace(0, 1, -1)),
    ("randint-empty-range", ValueError,
     lambda xp: xp.random.randint(5, 5, size=3)),
    ("normal-negative-scale", ValueError,
     lambda xp: xp.random.normal(0, -1, size=3)),
    ("slice-step-zero", ValueError, lambda xp: A(xp, 5)[::0]),
    ("tensor-ragged-list", ValueError, lambda xp: xp.asarray([[1, 2], [3]])),
    ("transpose-too-many", ValueError,
     lambda xp: xp.transpose(A(xp, (2, 3)), (0, 1, 2))),
    ("expand_dims-repeated", ValueError,
     lambda xp: xp.expand_dims(A(xp, 3), (0, 0))),
    ("squeeze-repeated", ValueError,
     lambda xp: xp.squeeze(A(xp, (1, 3)), axis=(0, 0))),
    ("concatenate-0d", ValueError,
     lambda xp: xp.concatenate([A(xp, ()), A(xp, ())])),
    ("uniform-negative-size", ValueError,
     lambda xp: xp.random.uniform(0, 1, size=-1)),
    ("rand-negative", ValueError, lambda xp: xp.random.rand(-2)),
    ("tensordot-axes-lengths", ValueError,
     lambda xp: xp.tensordot(A(xp, (2, 3)), A(xp, (2, 3)), ([0, 1], [0]))),
    ("int-of-nan", ValueError, lambda xp: int(A(xp, ()) * float("nan"))),
    ("argmin-empty", ValueError, lambda xp: A(xp, 0).argmin()),
    # -- TypeError: dtypes and conversions -------------------------------
    ("bool-minus-bool", TypeError, lambda xp: B(xp, 3) - B(xp, 3)),
    ("subtract-bool-bool", TypeError,
     lambda xp: xp.subtract(B(xp, 3), B(xp, 3))),
    ("bool-minus-True", TypeError, lambda xp: B(xp, 3) - True),
    ("True-minus-bool", TypeError, lambda xp: True - B(xp, 3)),
    ("negative-bool", TypeError, lambda xp: -B(xp, 3)),
    ("negative-function-bool", TypeError, lambda xp: xp.negative(B(xp, 3))),
    ("dtype-not-understood", TypeError,
     lambda xp: xp.zeros(3, dtype="no-such-dtype")),
    ("float-of-array", TypeError, lambda xp: float(A(xp, 2))),
    ("int-of-array", TypeError, lambda xp: int(A(xp, (2, 2)))),
    ("len-of-0d", TypeError, lambda xp: len(A(xp, ()))),
    ("index-of-float", TypeError, lambda xp: range(5)[A(xp, ())]),
    ("reshape-float", TypeError, lambda xp: A(xp, 6).reshape(1.5)),
    ("sum-float-axis", TypeError, lambda xp: A(xp, 6).sum(axis=1.0)),
    ("ufunc-bad-keyword", TypeError,
     lambda xp: xp.add(A(xp, 2), A(xp, 2), foo=1)),
    ("add-object", TypeError, lambda xp: A(xp, 2) + object()),
    ("add-None", TypeError, lambda xp: A(xp, 2) + None),
    ("zeros-float-shape", TypeError, lambda xp: xp.zeros((2, 3.0))),
    ("ones-float-shape", TypeError, lambda xp: xp.ones(2.5)),
    ("eye-float", TypeError, lambda xp: xp.eye(2.5)),
    ("linspace-float-num", TypeError, lambda xp: xp.linspace(0, 1, 2.5)),
    ("sum-str-axis", TypeError, lambda xp: A(xp, 3).sum(axis="a")),
    ("astype-bad-dtype", TypeError, lambda xp: A(xp, 3).astype("no-such")),
    ("slice-float", TypeError, lambda xp: A(xp, 5)[0.5:2]),
    ("randint-float-size", TypeError,
     lambda xp: xp.random.randint(0, 5, size=2.5)),
    # -- IndexError --------------------------------------------------------
    ("index-out-of-bounds", IndexError, lambda xp: A(xp, (2, 3))[2]),
    ("index-out-of-bounds-neg", IndexError, lambda xp: A(xp, (2, 3))[-3]),
    ("index-out-of-bounds-axis1", IndexError,
     lambda xp: A(xp, (2, 3))[:, 3]),
    ("index-out-of-bounds-axis1-neg", IndexError,
     lambda xp: A(xp, (2, 3))[0, -4]),
    ("index-empty-axis", IndexError, lambda xp: A(xp, (0, 3))[0]),
    ("too-many-indices", IndexError, lambda xp: A(xp, (2, 3))[0, 0, 0]),
    ("too-many-indices-slices", IndexError,
     lambda xp: A(xp, 3)[:, :]),
    ("index-0d", IndexError, lambda xp: A(xp, ())[0]),
    ("two-ellipses", IndexError, lambda xp: A(xp, (2, 3))[..., ...]),
    ("float-index", IndexError, lambda xp: A(xp, 3)[1.0]),
    ("str-index", IndexError, lambda xp: A(xp, 3)["a"]),
    # -- numpy.AxisError -----------------------------------------------------
    ("sum-axis", AxisError, lambda xp: A(xp, (2, 3)).sum(axis=2)),
    ("sum-axis-neg", AxisError, lambda xp: xp.sum(A(xp, (2, 3)), axis=-3)),
    ("sum-axis-tuple", AxisError,
     lambda xp: A(xp, (2, 3)).sum(axis=(0, 2))),
    ("mean-axis", AxisError, lambda xp: A(xp, (2, 3)).mean(axis=5)),
    ("prod-axis", AxisError, lambda xp: xp.prod(A(xp, 4), axis=1)),
    ("var-axis", AxisError, lambda xp: xp.var(A(xp, 4), axis=-2)),
    ("std-axis", AxisError, lambda xp: A(xp, 4).std(axis=1)),
    ("any-axis", AxisError, lambda xp: B(xp, 4).any(axis=1)),
    ("all-axis", AxisError, lambda xp: xp.all(B(xp, 4), axis=1)),
    ("argmax-axis", AxisError, lambda xp: A(xp, (2, 3)).argmax(axis=2)),
    ("argmin-axis", AxisError, lambda xp: xp.argmin(A(xp, (2, 3)), axis=-3)),
    ("count_nonzero-axis", AxisError,
     lambda xp: xp.count_nonzero(A(xp, (2, 3)), axis=2)),
    ("nansum-axis", AxisError, lambda xp: xp.nansum(A(xp, 3), axis=1)),
    ("mean-0d-axis", AxisError, lambda xp: A(xp, ()).mean(axis=0)),
    ("sum-0d-axis-tuple", AxisError, lambda xp: A(xp, ()).sum(axis=(0,))),
    ("transpose-axis", AxisError,
     lambda xp: xp.transpose(A(xp, (2, 3)), (0, 2))),
    ("squeeze-axis", AxisError, lambda xp: xp.squeeze(A(xp, (1, 3)), axis=2)),
    ("expand_dims-axis", AxisError,
     lambda xp: xp.expand_dims(A(xp, 3), 3)),
    ("expand_dims-axis-neg", AxisError,
     lambda xp: xp.expand_dims(A(xp, 3), -3)),
    ("concatenate-axis", AxisError,
     lambda xp: xp.concatenate([A(xp, 3), A(xp, 3)], axis=1)),
    ("stack-axis", AxisError,
     lambda xp: xp.stack([A(xp, 3), A(xp, 3)], axis=2)),
    ("stack-axis-neg", AxisError,
     lambda xp: xp.stack([A(xp, 3), A(xp, 3)], axis=-3)),
    ("flip-axis", AxisError, lambda xp: xp.flip(A(xp, 3), axis=1)),
    ("swapaxes-axis", AxisError,
     lambda xp: xp.swapaxes(A(xp, (2, 3)), 0, 2)),
    ("moveaxis-axis", AxisError,
     lambda xp: xp.moveaxis(A(xp, (2, 3)), 0, 5)),
    ("moveaxis-source-axis", AxisError,
     lambda xp: xp.moveaxis(A(xp, (2, 3)), 2, 0)),
    ("moveaxis-neg-axis", AxisError,
     lambda xp: xp.moveaxis(A(xp, (2, 3)), 0, -3)),
]




# Cases where Mars disagrees with numpy: name -> reason.
# Known disagreements with numpy, by case: none at present.
CASE_XFAIL = {}


def _params():
    for name, exc, fn in CASES:
        marks = []
        if name in CASE_XFAIL:
            marks = [pytest.mark.xfail(strict=True, reason=CASE_XFAIL[name])]
        yield pytest.param(exc, fn, id=name, marks=marks)


@pytest.mark.parametrize("exc,fn", list(_params()))
def test_error_kind_like_numpy(session, exc, fn):
    # The case is an error of that kind in numpy...
    with pytest.raises(exc):
        with np.errstate(all="ignore"):
            fn(np)
    # ... and in Mars (when built or when executed).
    with pytest.raises(exc):
        t = fn(mt)
        if isinstance(t, mt.Tensor):
            run(t, session)


# -- dtypes numpy has and Mars does not: TypeError -----------------------------

@pytest.mark.parametrize("fn", [
    lambda: mt.empty(3, dtype="U3"),
    lambda: mt.full(3, 1, dtype=object),
    lambda: mt.tensor(np.array(["a", "b"])),
    lambda: mt.tensor(np.array([1, 2], dtype="datetime64[s]")),
    lambda: mt.array([1, 2], dtype=np.float128),
    lambda: mt.tensor([1.0, 2.0]).astype(np.clongdouble),
    lambda: mt.random.rand(3, dtype=complex),
    lambda: mt.zeros_like(np.zeros(2, dtype=np.clongdouble)),
], ids=["empty-str", "full-object", "tensor-str", "tensor-datetime",
        "array-float128", "astype-complex256", "rand-complex",
        "zeros_like-complex256"])
def test_unsupported_dtypes_raise_type_error(fn):
    with pytest.raises(TypeError):
        fn()


def test_truth_value_of_array_is_ambiguous(session):
    t = mt.tensor([1.0, 2.0]).execute(session=session)
    with pytest.raises(ValueError):
        bool(np.array([1.0, 2.0]))
    with pytest.raises(ValueError):
        bool(t)
    with pytest.raises(ValueError):
        if mt.tensor([1, 2]) > 0:
            pass


def test_execute_rejects_non_tensors(session):
    with pytest.raises(TypeError):
        mars.execute(np.ones(3), session=session)


def test_error_does_not_poison_session(session):
    with pytest.raises(ValueError):
        run(mt.tensor([1.0, 2.0]) + mt.tensor([1.0, 2.0, 3.0]), session)
    np.testing.assert_array_equal(
        run(mt.tensor([1.0, 2.0]) + 1, session), [2.0, 3.0])


def test_unknown_option():
    with pytest.raises(AttributeError):
        mars.options.no_such_option = 1
    with pytest.raises(AttributeError):
        mars.options.no_such_option


@pytest.mark.xfail(strict=True, raises=AxisError,
                   reason="numpy's ufunc reductions (sum, prod, any, all) and "
                          "argmin/argmax accept axis=0 and axis=-1 on a 0-d "
                          "array (the result is the element); Mars raises "
                          "numpy.AxisError")
@pytest.mark.parametrize("name", ["sum", "any", "argmax"])
@pytest.mark.parametrize("axis", [0, -1])
def test_reduction_of_0d_along_axis_0(session, name, axis):
    x = np.array(2.5)
    e = np.asarray(getattr(np, name)(x, axis=axis))
    v = run(getattr(mt, name)(mt.tensor(x), axis=axis), session)
    np.testing.assert_array_equal(v, e)
    assert v.dtype == e.dtype
