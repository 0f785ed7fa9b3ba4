"""Creating tensors: mt.tensor/array/asarray, zeros/ones/full/empty, arange,
linspace, eye/identity, the *_like functions, mt.random, and the
attributes of a tensor (.shape .ndim .dtype .size .nbytes .chunks)."""

import math

import numpy as np
import pytest

import mars.tensor as mt

from helpers import assert_same, run

DTYPES = [np.bool_, np.int32, np.int64, np.float32, np.float64]


def sample(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(-50, 50, size=shape)
    if np.dtype(dtype) == np.bool_:
        return x > 0
    if np.dtype(dtype).kind == "f":
        return (x / 4).astype(dtype)
    return x.astype(dtype)


# -- tensor / array / asarray --------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(), (0,), (1,), (5,), (3, 4), (2, 0, 3),
                                   (2, 3, 4)])
def test_tensor_from_numpy(session, dtype, shape):
    a = sample(dtype, shape)
    t = mt.tensor(a)
    assert t.shape == a.shape
    assert t.dtype == a.dtype
    assert t.ndim == a.ndim
    assert t.size == a.size
    assert_same(run(t, session), a)


@pytest.mark.parametrize("func", [mt.tensor, mt.array, mt.asarray],
                         ids=["tensor", "array", "asarray"])
def test_tensor_chunk_size(session, chunk_size, func):
    a = np.arange(35, dtype=np.float64).reshape(5, 7)
    t = func(a, chunk_size=chunk_size)
    assert_same(run(t, session), a)


@pytest.mark.parametrize("data", [
    [1, 2, 3],
    [1.5, -2.0, 3.25],
    [True, False, True],
    [[1, 2], [3, 4], [5, 6]],
    [[1, 2.5], [3, 4]],
    [[True, 2], [3, 4]],
    [],
    [[]],
    7,
    -2.5,
    True,
], ids=repr)
def test_tensor_from_list_and_scalar(session, data):
    expected = np.array(data)
    for func in (mt.tensor, mt.array, mt.asarray):
        t = func(data)
        assert t.shape == expected.shape
        assert t.dtype == expected.dtype
        assert_same(run(t, session), expected)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_tensor_dtype_argument(session, dtype):
    data = [[0, 1, 2], [3, -4, 5]]
    expected = np.array(data, dtype=dtype)
    for func in (mt.tensor, mt.array, mt.asarray):
        t = func(data, dtype=dtype)
        assert t.dtype == expected.dtype
        assert_same(run(t, session), expected)


def test_tensor_from_non_contiguous_numpy(session):
    base = np.arange(48, dtype=np.int64).reshape(6, 8)
    for a in (base.T, base[::2, 1::3], base[:, ::-1], np.asfortranarray(base)):
        assert_same(run(mt.tensor(a), session), a)


def test_tensor_from_non_native_byte_order(session):
    a = np.arange(6, dtype=">f8").reshape(2, 3)
    t = mt.tensor(a)
    np.testing.assert_array_equal(run(t, session), a)


@pytest.mark.parametrize("src", ["int8", "int16", "uint8", "uint16",
                                 "uint32", "uint64"])
def test_tensor_from_integer_dtypes_keeps_them(session, src):
    a = np.array([[0, 1, 2], [3, 4, 100]], dtype=src)
    t = mt.tensor(a)
    assert t.dtype == a.dtype
    assert_same(run(t, session), a)


def test_tensor_from_float16_keeps_float16(session):
    a = np.array([[0, 1.5, 2], [3, 4, 100]], dtype="float16")
    t = mt.tensor(a)
    assert t.dtype == np.float16
    assert_same(run(t, session), a)


def test_array_copies_numpy_input(session):
    a = np.arange(6, dtype=np.float64)
    t = mt.array(a)
    a[:] = -1
    assert_same(run(t, session), np.arange(6, dtype=np.float64))


def test_asarray_of_tensor(session):
    t = mt.tensor([1, 2, 3])
    u = mt.asarray(t)
    assert isinstance(u, mt.Tensor)
    assert_same(run(u, session), np.array([1, 2, 3]))
    v = mt.tensor(t, dtype=np.float32)
    assert v.dtype == np.float32
    assert_same(run(v, session), np.array([1, 2, 3], dtype=np.float32))


def test_tensor_of_tensor_with_chunk_size(session, chunk_size):
    a = np.arange(10, dtype=np.int32)
    t = mt.tensor(mt.tensor(a), chunk_size=chunk_size)
    assert_same(run(t, session), a)


# -- zeros / ones / full / empty -----------------------------------------------

@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("shape", [0, 5, (), (3,), (2, 3), [2, 3], (0, 4),
                                   (2, 1, 3)], ids=repr)
def test_zeros_ones_empty_shapes(session, name, shape):
    t = getattr(mt, name)(shape)
    expected = getattr(np, name)(shape)
    assert t.shape == expected.shape
    assert t.dtype == np.float64
    v = run(t, session)
    assert v.shape == expected.shape and v.dtype == expected.dtype
    if name != "empty":
        assert_same(v, expected)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("dtype", DTYPES + [int, float, bool, "int32",
                                            "float32"],
                         ids=lambda d: str(np.dtype(d)))
def test_zeros_ones_empty_dtypes(session, name, dtype):
    t = getattr(mt, name)((2, 3), dtype=dtype)
    expected = getattr(np, name)((2, 3), dtype=dtype)
    assert t.dtype == expected.dtype
    v = run(t, session)
    assert v.dtype == expected.dtype and v.shape == (2, 3)
    if name != "empty":
        assert_same(v, expected)


def test_zeros_ones_chunk_size(session, chunk_size):
    assert_same(run(mt.zeros((5, 4), chunk_size=chunk_size), session),
                np.zeros((5, 4)))
    assert_same(run(mt.ones((5, 4), dtype=np.int32, chunk_size=chunk_size),
                    session),
                np.ones((5, 4), dtype=np.int32))


@pytest.mark.parametrize("fill", [7, -3, 2.5, True, False, np.float32(1.5),
                                  np.int32(4), float("nan"), float("inf")],
                         ids=repr)
def test_full_infers_dtype(session, fill):
    expected = np.full((2, 3), fill)
    t = mt.full((2, 3), fill)
    assert t.dtype == expected.dtype
    assert_same(run(t, session), expected)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_full_with_dtype(session, dtype):
    expected = np.full((3, 2), 3, dtype=dtype)
    assert_same(run(mt.full((3, 2), 3, dtype=dtype), session), expected)


def test_full_with_array_fill_value(session):
    fill = np.array([1.0, 2.0, 3.0])
    assert_same(run(mt.full((2, 3), fill), session), np.full((2, 3), fill))


def test_full_chunk_size(session, chunk_size):
    assert_same(run(mt.full(7, 1.25, chunk_size=chunk_size), session),
                np.full(7, 1.25))


# -- arange / linspace ---------------------------------------------------------

@pytest.mark.parametrize("args", [
    (5,), (0,), (-3,), (2, 9), (2, 9, 3), (10, 0, -2), (10, 0, -3), (5, 5),
    (-5, 5, 4),
], ids=repr)
def test_arange_integers(session, args):
    expected = np.arange(*args)
    t = mt.arange(*args)
    assert t.dtype == expected.dtype == np.int64
    assert t.shape == expected.shape
    assert_same(run(t, session), expected)


@pytest.mark.parametrize("args", [
    (5.0,), (0.5, 3), (0, 1, 0.1), (1, 0, -0.25), (0, 2.5), (-1.5, 1.5, 0.5),
    (0, 10, 1.5),
], ids=repr)
def test_arange_floats(session, args):
    expected = np.arange(*args)
    t = mt.arange(*args)
    assert t.dtype == expected.dtype == np.float64
    assert t.shape == expected.shape
    assert_same(run(t, session), expected)


@pytest.mark.parametrize("dtype", DTYPES[1:], ids=lambda d: np.dtype(d).name)
def test_arange_dtype(session, dtype):
    expected = np.arange(1, 11, 2, dtype=dtype)
    t = mt.arange(1, 11, 2, dtype=dtype)
    assert t.dtype == expected.dtype
    assert_same(run(t, session), expected)


def test_arange_keyword_arguments(session):
    assert_same(run(mt.arange(start=2, stop=8, step=2, dtype=np.int64),
                    session),
                np.arange(start=2, stop=8, step=2))


def test_arange_chunk_size(session, chunk_size):
    assert_same(run(mt.arange(23, dtype=np.int64, chunk_size=chunk_size),
                    session),
                np.arange(23))


@pytest.mark.parametrize("args,kwargs", [
    ((0, 1), {}),
    ((0, 1, 5), {}),
    ((2, -3, 7), {}),
    ((0, 1, 5), {"endpoint": False}),
    ((0, 10, 1), {}),
    ((0, 10, 0), {}),
    ((1, 2, 4), {"dtype": np.float32}),
    ((0, 10, 6), {"dtype": np.int64}),
    ((-1, 1, 11), {}),
], ids=lambda v: repr(v))
def test_linspace(session, args, kwargs):
    expected = np.linspace(*args, **kwargs)
    t = mt.linspace(*args, **kwargs)
    assert t.shape == expected.shape
    assert t.dtype == expected.dtype
    assert_same(run(t, session), expected, rtol=1e-6 if
                expected.dtype == np.float32 else 1e-12, atol=1e-15)


@pytest.mark.parametrize("endpoint", [True, False])
def test_linspace_retstep(session, endpoint):
    t, step = mt.linspace(0, 3, 7, endpoint=endpoint, retstep=True)
    e, estep = np.linspace(0, 3, 7, endpoint=endpoint, retstep=True)
    assert step == pytest.approx(estep, rel=1e-15)
    assert_same(run(t, session), e)


def test_linspace_chunk_size(session, chunk_size):
    assert_same(run(mt.linspace(-2, 2, 17, chunk_size=chunk_size), session),
                np.linspace(-2, 2, 17), atol=1e-15)


# -- eye / identity ------------------------------------------------------------

@pytest.mark.parametrize("args,kwargs", [
    ((3,), {}), ((0,), {}), ((1,), {}), ((3, 5), {}), ((5, 3), {}),
    ((4,), {"k": 1}), ((4,), {"k": -2}), ((4, 6), {"k": 3}),
    ((4,), {"k": 7}), ((4, 3), {"k": -5}), ((3,), {"dtype": np.int32}),
    ((3,), {"dtype": bool}), ((3,), {"M": None}),
], ids=lambda v: repr(v))
def test_eye(session, args, kwargs):
    expected = np.eye(*args, **kwargs)
    t = mt.eye(*args, **kwargs)
    assert t.dtype == expected.dtype
    assert_same(run(t, session), expected)


def test_eye_chunk_size(session, chunk_size):
    assert_same(run(mt.eye(5, 4, k=1, chunk_size=chunk_size), session),
                np.eye(5, 4, k=1))


@pytest.mark.parametrize("n", [0, 1, 4])
@pytest.mark.parametrize("dtype", [None, np.int64, np.float32])
def test_identity(session, n, dtype):
    kwargs = {} if dtype is None else {"dtype": dtype}
    expected = np.identity(n, **kwargs)
    t = mt.identity(n, **kwargs)
    assert t.dtype == expected.dtype
    assert_same(run(t, session), expected)


# -- *_like --------------------------------------------------------------------

@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like"])
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_like_functions(session, name, dtype):
    a = sample(dtype, (3, 4))
    expected = getattr(np, name)(a)
    for src in (a, mt.tensor(a)):
        t = getattr(mt, name)(src)
        assert t.shape == expected.shape
        assert t.dtype == expected.dtype
        v = run(t, session)
        assert v.shape == expected.shape and v.dtype == expected.dtype
        if name != "empty_like":
            assert_same(v, expected)


@pytest.mark.parametrize("name", ["zeros_like", "ones_like"])
def test_like_dtype_and_shape_overrides(session, name):
    a = np.arange(6, dtype=np.int32).reshape(2, 3)
    expected = getattr(np, name)(a, dtype=np.float32)
    assert_same(run(getattr(mt, name)(mt.tensor(a), dtype=np.float32),
                    session), expected)
    expected = getattr(np, name)(a, shape=(4,))
    assert_same(run(getattr(mt, name)(a, shape=(4,)), session), expected)


@pytest.mark.parametrize("fill,dtype", [(5, None), (2.7, None), (2.7, float),
                                         (True, None), (-1, np.float32)],
                         ids=repr)
def test_full_like(session, fill, dtype):
    a = np.arange(6, dtype=np.int32).reshape(3, 2)
    expected = np.full_like(a, fill, dtype=dtype)
    t = mt.full_like(mt.tensor(a), fill, dtype=dtype)
    assert t.dtype == expected.dtype
    assert_same(run(t, session), expected)


def test_like_of_list(session):
    assert_same(run(mt.ones_like([[1, 2], [3, 4]]), session),
                np.ones_like([[1, 2], [3, 4]]))
    assert_same(run(mt.zeros_like([1.5, 2.5]), session),
                np.zeros_like([1.5, 2.5]))


# -- attributes ----------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(), (0,), (4,), (2, 3), (2, 0, 5),
                                   (3, 1, 2)])
def test_attributes(dtype, shape):
    a = np.zeros(shape, dtype=dtype)
    for t in (mt.tensor(a), mt.zeros(shape, dtype=dtype),
              mt.tensor(a) + mt.tensor(a) if dtype != np.bool_ else
              mt.tensor(a) | mt.tensor(a)):
        assert t.shape == a.shape
        assert isinstance(t.shape, tuple)
        assert t.ndim == a.ndim
        assert t.dtype == a.dtype
        assert isinstance(t.dtype, np.dtype)
        assert t.size == a.size
        assert t.nbytes == a.nbytes
        assert t.itemsize == a.itemsize
        assert len(t.chunks) == a.ndim
        for n, c in zip(a.shape, t.chunks):
            assert sum(c) == n
    if shape:
        assert len(mt.tensor(a)) == len(a)


@pytest.mark.parametrize("shape,chunk,expected", [
    ((10,), 3, ((3, 3, 3, 1),)),
    ((10,), 5, ((5, 5),)),
    ((10,), 20, ((10,),)),
    ((5, 7), 2, ((2, 2, 1), (2, 2, 2, 1))),
    ((5, 7), (5, 3), ((5,), (3, 3, 1))),
    ((4, 6), (1, 6), ((1, 1, 1, 1), (6,))),
    ((0, 4), 2, ((0,), (2, 2))),
], ids=repr)
def test_chunks_attribute(shape, chunk, expected):
    a = np.zeros(shape)
    assert mt.tensor(a, chunk_size=chunk).chunks == expected
    assert mt.zeros(shape, chunk_size=chunk).chunks == expected
    assert mt.tensor(a).rechunk(chunk).chunks == expected


def test_chunks_without_chunk_size_cover_the_shape():
    t = mt.ones((13, 5))
    assert [sum(c) for c in t.chunks] == [13, 5]
    assert all(all(x > 0 for x in c) for c in t.chunks)


# -- random --------------------------------------------------------------------

def test_random_seed_reproducible(session):
    mt.random.seed(1234)
    a = run(mt.random.rand(4, 5), session)
    b = run(mt.random.randn(3), session)
    mt.random.seed(1234)
    a2 = run(mt.random.rand(4, 5), session)
    b2 = run(mt.random.randn(3), session)
    np.testing.assert_array_equal(a, a2)
    np.testing.assert_array_equal(b, b2)
    # Successive calls draw different numbers.
    mt.random.seed(1234)
    c = run(mt.random.rand(4, 5), session)
    d = run(mt.random.rand(4, 5), session)
    assert not np.array_equal(c, d)
    mt.random.seed(99)
    e = run(mt.random.rand(4, 5), session)
    assert not np.array_equal(a, e)


@pytest.mark.parametrize("args,shape", [((), ()), ((3,), (3,)),
                                        ((2, 3), (2, 3)),
                                        ((2, 0, 4), (2, 0, 4))], ids=repr)
def test_rand_randn_shapes(session, args, shape):
    mt.random.seed(0)
    r = mt.random.rand(*args)
    n = mt.random.randn(*args)
    for t in (r, n):
        assert t.shape == shape
        assert t.dtype == np.float64
    rv = run(r, session)
    nv = run(n, session)
    assert rv.shape == shape and nv.shape == shape
    assert rv.dtype == np.float64 and nv.dtype == np.float64
    assert np.all((rv >= 0) & (rv < 1))
    assert np.all(np.isfinite(nv))


@pytest.mark.parametrize("size", [None, 5, (5,), (3, 4), [2, 2]], ids=repr)
def test_random_sample_size(session, size):
    expected_shape = np.random.random(size=size)
    expected_shape = np.shape(expected_shape)
    for f in (mt.random.random, mt.random.random_sample):
        t = f(size)
        assert t.shape == expected_shape
        v = run(t, session)
        assert v.shape == expected_shape and v.dtype == np.float64
        assert np.all((v >= 0) & (v < 1))


def test_uniform_range_and_statistics(session):
    mt.random.seed(5)
    t = mt.random.uniform(-3, 5, size=(200, 50), chunk_size=64)
    assert t.shape == (200, 50) and t.dtype == np.float64
    v = run(t, session)
    assert v.min() >= -3 and v.max() < 5
    assert abs(v.mean() - 1) < 0.1
    assert abs(v.std() - 8 / math.sqrt(12)) < 0.1
    # not constant, not all equal
    assert len(np.unique(v)) > 9000


def test_uniform_defaults(session):
    v = run(mt.random.uniform(size=100), session)
    assert v.shape == (100,)
    assert np.all((v >= 0) & (v < 1))


def test_normal_statistics(session):
    mt.random.seed(7)
    t = mt.random.normal(10, 2, size=(100, 100))
    assert t.shape == (100, 100) and t.dtype == np.float64
    v = run(t, session)
    assert abs(v.mean() - 10) < 0.1
    assert abs(v.std() - 2) < 0.1
    s = run(mt.random.standard_normal((100, 100)), session)
    assert abs(s.mean()) < 0.05 and abs(s.std() - 1) < 0.05
    n = run(mt.random.randn(100, 100), session)
    assert abs(n.mean()) < 0.05 and abs(n.std() - 1) < 0.05


@pytest.mark.parametrize("args,kwargs,lo,hi", [
    ((10,), {"size": 1000}, 0, 10),
    ((-5, 5), {"size": (20, 50)}, -5, 5),
    ((3, 4), {"size": 100}, 3, 4),
    ((0, 2 ** 40), {"size": 500}, 0, 2 ** 40),
    ((-100, 100), {"size": 300, "dtype": np.int32}, -100, 100),
], ids=repr)
def test_randint(session, args, kwargs, lo, hi):
    expected = np.random.randint(*args, **kwargs)
    t = mt.random.randint(*args, **kwargs)
    assert t.shape == expected.shape
    assert t.dtype == expected.dtype
    v = run(t, session)
    assert v.dtype == expected.dtype and v.shape == expected.shape
    assert v.min() >= lo and v.max() < hi
    if hi - lo <= 10:
        assert set(np.unique(v)) == set(range(lo, hi))


@pytest.mark.parametrize("low,high,size", [(0, 0, 0), (5, 0, 0),
                                           (5, 0, (2, 0)), (3, 3, (0, 4))])
def test_randint_empty_size_any_range(session, low, high, size):
    # numpy draws nothing and checks nothing for an empty size.
    expected = np.random.randint(low, high, size=size)
    got = run(mt.random.randint(low, high, size=size), session)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    with pytest.raises(ValueError):
        mt.random.randint(low, high, size=1)


def test_randint_scalar_size(session):
    t = mt.random.randint(0, 3)
    assert t.shape == ()
    assert 0 <= int(run(t, session)) < 3


def test_random_state(session):
    rs1 = mt.random.RandomState(42)
    rs2 = mt.random.RandomState(42)
    rs3 = mt.random.RandomState(43)
    draws = []
    for rs in (rs1, rs2, rs3):
        draws.append([run(rs.rand(3, 4), session),
                      run(rs.randn(5), session),
                      run(rs.uniform(1, 2, size=6), session),
                      run(rs.normal(0, 1, size=(2, 2)), session),
                      run(rs.randint(0, 100, size=7), session),
                      run(rs.random_sample((2, 3)), session)])
    for x, y in zip(draws[0], draws[1]):
        assert x.dtype == y.dtype
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(draws[0][0], draws[2][0])
    assert draws[0][0].shape == (3, 4)
    assert draws[0][4].dtype == np.int64
    assert np.all((draws[0][2] >= 1) & (draws[0][2] < 2))
    # Re-seeding a RandomState restarts its stream.
    rs1.seed(42)
    np.testing.assert_array_equal(run(rs1.rand(3, 4), session), draws[0][0])


def test_random_independent_of_chunking_and_session(chunk_size):
    from helpers import get_session
    values = []
    for kind in ("compiled", "default"):
        rs = mt.random.RandomState(2024)
        values.append(run(rs.rand(9, 5, chunk_size=chunk_size),
                          get_session(kind)))
        rs = mt.random.RandomState(2024)
        values.append(run(rs.rand(9, 5), get_session(kind)))
    for v in values[1:]:
        np.testing.assert_array_equal(v, values[0])


def test_random_dtype_float32(session):
    t = mt.random.rand(10, dtype=np.float32)
    assert t.dtype == np.float32
    v = run(t, session)
    assert v.dtype == np.float32 and np.all((v >= 0) & (v < 1))


def test_random_tensor_same_value_each_fetch(session):
    t = mt.random.rand(20)
    a = run(t, session)
    b = run(t, session)
    np.testing.assert_array_equal(a, b)
    # Derived tensors see the same draws.
    np.testing.assert_allclose(run(t * 2, session), a * 2)


def test_random_integers_inclusive(session):
    t = mt.random.random_integers(1, 3, size=500)
    v = run(t, session)
    assert v.dtype == np.int64
    assert set(np.unique(v)) == {1, 2, 3}


@pytest.mark.parametrize("name", ["random_sample", "sample", "ranf"])
def test_random_sample_aliases(session, name):
    v = run(getattr(mt.random, name)((3, 2)), session)
    assert v.shape == (3, 2) and v.dtype == np.float64
    assert np.all((v >= 0) & (v < 1))


@pytest.mark.parametrize("data,dtype", [
    ([1.7, -1.7, 2.5], int), ([1.7, -1.7, 2.5], "int32"), ([0, 2, -1], bool),
    ([0.0, 0.5, np.nan], bool), ([True, False], "f4"), ([1, 2], "f8"),
    ([3, 4], "i4"), ([[1, 2], [3, 4]], "float32"),
], ids=repr)
def test_tensor_dtype_conversion_of_values(session, data, dtype):
    expected = np.array(data, dtype=dtype)
    t = mt.tensor(data, dtype=dtype)
    assert t.dtype == expected.dtype
    assert_same(run(t, session), expected)


def test_chunks_of_expressions():
    # An expression's chunks are those its execution gives it: elementwise
    # results keep their operand's, a transpose permutes them, a
    # concatenate of aligned 1 MiB blocks keeps them; an argument-like value
    # (no chunk_size) is chunked by size.
    a = mt.random.rand(600, 400, chunk_size=250)
    assert (a + 1).chunks == ((250, 250, 100), (250, 150))
    assert (a * mt.ones((600, 400), chunk_size=250)).T.chunks == \
        ((250, 150), (250, 250, 100))
    b = mt.ones((1024, 256), chunk_size=(512, 256))
    assert mt.concatenate([b, b * 2]).chunks == ((512,) * 4, (256,))
    assert mt.tensor(np.ones((3, 4))).chunks == ((3,), (4,))
