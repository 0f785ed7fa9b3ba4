#!/usr/bin/env python3
"""Differential test: the Mars reference evaluator against numpy.

Generates programs covering every op, dtype, broadcasting pattern, axis set,
and empty and size-1 dimensions; runs each through `mars-run --output` on
.npy inputs and compares the results with numpy's on the same inputs: dtype
and shape must match, integers and bools exactly, floats within a tight
tolerance. Cases where numpy raises must make mars-run fail with a message.

With --chunked N (--compiled N), every case also runs through the chunked
engine, `--engine=chunked` (the compiled engine, `--engine=compiled`) under N
chunkings drawn per case from ragged, 1-element,
one-chunk and mixed chunk sizes, and its results must equal the reference
evaluator's: bit for bit, except float reductions and contractions (which
combine partial results in another order), held to the same tolerance as
against numpy.

With --cluster HOST:PORT, those runs go to a Mars cluster instead.

Usage: differential.py --mars-run PATH [--chunked N] [--compiled N] [--jobs N]
                       [--cluster HOST:PORT] [--device DEVICE]
                       [--sample F [--only-sampled]] [--seed N]
                       [--filter SUBSTR] [-v]
"""

import argparse
import ctypes
import ctypes.util
import concurrent.futures
import hashlib
import itertools
import os
import re
import subprocess
import sys
import tempfile
import warnings

import numpy as np

warnings.simplefilter("ignore", RuntimeWarning)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import philox  # noqa: E402

MLIR_TYPE = {np.dtype(np.float64): "f64", np.dtype(np.float32): "f32",
             np.dtype(np.int64): "i64", np.dtype(np.int32): "i32",
             np.dtype(np.int16): "i16", np.dtype(np.int8): "i8",
             np.dtype(np.uint64): "ui64", np.dtype(np.uint32): "ui32",
             np.dtype(np.uint16): "ui16", np.dtype(np.uint8): "ui8",
             np.dtype(np.bool_): "i1"}
FLOATS = [np.float64, np.float32]
INTS = [np.int64, np.int32, np.int16, np.int8, np.uint64, np.uint32,
        np.uint16, np.uint8]
NUMERIC = FLOATS + INTS
ALL = NUMERIC + [np.bool_]


def ttype(shape, dtype):
    dims = "".join(f"{d}x" for d in shape)
    return f"tensor<{dims}{MLIR_TYPE[np.dtype(dtype)]}>"


def fmt_list(xs):
    return "[" + ", ".join(str(int(x)) for x in xs) + "]"


class Case:
    """One program: MLIR body over %a0.. arguments, inputs, expected outputs.

    `expect` is a list of arrays, or the string "error" when numpy raises.
    """

    def __init__(self, name, inputs, body, results, expect, rtol=None,
                 exact=False, signed_zeros=False, atol=None):
        self.name = name
        # Tiled and compiled runs equal the reference bit for bit although
        # the body reduces (on the CPU).
        self.exact = exact
        self.inputs = [np.asarray(x) for x in inputs]
        self.body = body
        self.results = results  # list of (ssa name, mlir type)
        self.expect = expect
        self.rtol = rtol
        # Zeros must carry numpy's sign too (allclose takes -0.0 == 0.0).
        self.signed_zeros = signed_zeros
        # An absolute tolerance of its own (for sums that cancel huge terms).
        self.atol = atol

    def program(self):
        args = ", ".join(f"%a{i}: {ttype(x.shape, x.dtype)}"
                         for i, x in enumerate(self.inputs))
        rtypes = ", ".join(t for _, t in self.results)
        names = ", ".join(n for n, _ in self.results)
        lines = [f"func.func @main({args}) -> ({rtypes}) {{"]
        lines += ["  " + l for l in self.body]
        lines.append(f"  return {names} : {rtypes}")
        lines.append("}")
        return "\n".join(lines) + "\n"


rng = np.random.default_rng(20181024)


def data(shape, dtype, kind="any"):
    """Random test data; floats include NaN, infinities and -0.0 when kind
    is "special"."""
    shape = tuple(shape)
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if dtype.kind in "iu":
        if kind == "small":
            return rng.integers(0, 5, shape).astype(dtype)
        if kind == "nonneg" or dtype.kind == "u":
            return rng.integers(0, 50, shape).astype(dtype)
        return rng.integers(-50, 50, shape).astype(dtype)
    if kind == "positive":
        x = rng.uniform(0.1, 10.0, shape)
    elif kind == "small":
        x = rng.uniform(-3.0, 3.0, shape)
    else:
        x = rng.normal(0.0, 10.0, shape)
    x = x.astype(dtype)
    if kind == "special" and x.size >= 4:
        flat = x.reshape(-1)
        picks = rng.choice(flat.size, size=min(4, flat.size), replace=False)
        specials = [np.nan, np.inf, -np.inf, -0.0]
        for p, s in zip(picks, specials):
            flat[p] = s
    return x


def npv(f, *xs):
    with np.errstate(all="ignore"):
        return np.asarray(f(*xs))


CASES = []


def add(case):
    CASES.append(case)


# --------------------------------------------------------------------------
# Elementwise
# --------------------------------------------------------------------------

def libm(name):
    """The C library's `name` (and `name`f for float32) over an array: the
    reference of the special functions numpy lacks (scipy.special's erf,
    gamma, ... are the same functions)."""
    lib = ctypes.CDLL(ctypes.util.find_library("m"))
    f64, f32 = getattr(lib, name), getattr(lib, name + "f")
    f64.restype, f64.argtypes = ctypes.c_double, [ctypes.c_double]
    f32.restype, f32.argtypes = ctypes.c_float, [ctypes.c_float]

    def apply(x):
        f = f32 if x.dtype == np.float32 else f64
        return np.array([f(v) for v in x.reshape(-1)],
                        dtype=x.dtype).reshape(x.shape)
    return apply


def scipy_gamma(x):
    """scipy.special.gamma's conventions over C's tgamma: +inf at the poles
    (non-positive integers, -0.0 included), -inf at -inf."""
    r = libm("tgamma")(x)
    with np.errstate(invalid="ignore"):
        r[(x <= 0) & (np.floor(x) == x)] = np.inf
    r[x == -np.inf] = -np.inf
    return r


def scipy_gammaln(x):
    """scipy.special.gammaln: C's lgamma, and -inf at -inf."""
    r = libm("lgamma")(x)
    r[x == -np.inf] = -np.inf
    return r


UNARY = [
    # op, numpy fn, dtypes, data kind, bool result
    ("neg", np.negative, NUMERIC, "special", False),
    ("abs", np.abs, NUMERIC, "special", False),
    ("sqrt", np.sqrt, FLOATS, "special", False),
    ("square", np.square, NUMERIC, "any", False),
    ("exp", np.exp, FLOATS, "small", False),
    ("log", np.log, FLOATS, "special", False),
    ("sin", np.sin, FLOATS, "any", False),
    ("cos", np.cos, FLOATS, "any", False),
    ("tanh", np.tanh, FLOATS, "special", False),
    ("floor", np.floor, FLOATS, "special", False),
    ("ceil", np.ceil, FLOATS, "special", False),
    ("sign", np.sign, NUMERIC, "special", False),
    ("isnan", np.isnan, ALL, "special", True),
    ("logical_not", np.logical_not, ALL, "special", True),
    ("tan", np.tan, FLOATS, "any", False),
    ("arcsin", np.arcsin, FLOATS, "small", False),
    ("arccos", np.arccos, FLOATS, "small", False),
    ("arctan", np.arctan, FLOATS, "special", False),
    ("sinh", np.sinh, FLOATS, "small", False),
    ("cosh", np.cosh, FLOATS, "small", False),
    ("arcsinh", np.arcsinh, FLOATS, "special", False),
    ("arccosh", np.arccosh, FLOATS, "positive", False),
    ("arctanh", np.arctanh, FLOATS, "small", False),
    ("log2", np.log2, FLOATS, "special", False),
    ("log10", np.log10, FLOATS, "special", False),
    ("log1p", np.log1p, FLOATS, "special", False),
    ("exp2", np.exp2, FLOATS, "small", False),
    ("expm1", np.expm1, FLOATS, "small", False),
    ("cbrt", np.cbrt, FLOATS, "special", False),
    ("trunc", np.trunc, FLOATS, "special", False),
    ("rint", np.rint, FLOATS, "special", False),
    ("isinf", np.isinf, ALL, "special", True),
    ("isfinite", np.isfinite, ALL, "special", True),
    ("signbit", np.signbit, FLOATS, "special", True),
    ("degrees", np.degrees, FLOATS, "special", False),
    ("radians", np.radians, FLOATS, "special", False),
    ("invert", np.invert, INTS, "any", False),
    ("erf", libm("erf"), FLOATS, "special", False),
    ("erfc", libm("erfc"), FLOATS, "special", False),
    ("gamma", scipy_gamma, FLOATS, "special", False),
    ("lgamma", scipy_gammaln, FLOATS, "special", False),
]
UNARY_SHAPES = [(), (0,), (1,), (7,), (3, 4), (2, 1, 3), (0, 3)]

for (op, fn, dtypes, kind, is_bool), dtype in itertools.product(
        [(u[0], u[1], u[2], u[3], u[4]) for u in UNARY], ALL):
    if dtype not in dtypes:
        continue
    for shape in UNARY_SHAPES[:: (1 if dtype == np.float64 else 2)]:
        if op == "isnan" and dtype == np.bool_:
            continue  # numpy has no isnan for bool
        x = data(shape, dtype, kind)
        rt = ttype(shape, np.bool_ if is_bool else dtype)
        add(Case(f"{op}-{np.dtype(dtype).name}-{shape}", [x],
                 [f"%r = mars.{op} %a0 : {ttype(shape, dtype)}"],
                 [("%r", rt)], [npv(fn, x)]))

BINARY = [
    ("add", np.add, NUMERIC, "any", False),
    ("sub", np.subtract, NUMERIC, "any", False),
    ("mul", np.multiply, NUMERIC, "any", False),
    ("div", np.true_divide, FLOATS, "special", False),
    ("floor_div", np.floor_divide, NUMERIC, "withzero", False),
    ("mod", np.remainder, NUMERIC, "withzero", False),
    ("pow", np.power, NUMERIC, "pow", False),
    ("arctan2", np.arctan2, FLOATS, "special", False),
    ("maximum", np.maximum, NUMERIC, "special", False),
    ("minimum", np.minimum, NUMERIC, "special", False),
    ("eq", np.equal, ALL, "dups", True),
    ("ne", np.not_equal, ALL, "dups", True),
    ("lt", np.less, ALL, "dups", True),
    ("le", np.less_equal, ALL, "dups", True),
    ("gt", np.greater, ALL, "dups", True),
    ("ge", np.greater_equal, ALL, "dups", True),
    ("logical_and", np.logical_and, ALL, "dups", True),
    ("logical_or", np.logical_or, ALL, "dups", True),
    ("logical_xor", np.logical_xor, ALL, "dups", True),
    ("fmod", np.fmod, NUMERIC, "withzero", False),
    ("fmax", np.fmax, NUMERIC, "special", False),
    ("fmin", np.fmin, NUMERIC, "special", False),
    ("hypot", np.hypot, FLOATS, "special", False),
    ("copysign", np.copysign, FLOATS, "special", False),
    ("nextafter", np.nextafter, FLOATS, "special", False),
    ("logaddexp", np.logaddexp, FLOATS, "special", False),
    ("logaddexp2", np.logaddexp2, FLOATS, "special", False),
    ("heaviside", np.heaviside, FLOATS, "special", False),
    ("bitwise_and", np.bitwise_and, INTS, "any", False),
    ("bitwise_or", np.bitwise_or, INTS, "any", False),
    ("bitwise_xor", np.bitwise_xor, INTS, "any", False),
    ("left_shift", np.left_shift, INTS, "shift", False),
    ("right_shift", np.right_shift, INTS, "shift", False),
    ("gcd", np.gcd, INTS, "withzero", False),
    ("lcm", np.lcm, INTS, "withzero", False),
    # Mars carries ldexp's (integer) exponent in the mantissa's type.
    ("ldexp", lambda x, n: np.ldexp(x, n.astype(np.int64)), FLOATS, "ldexp",
     False),
]
BROADCASTS = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)),
              ((), (2, 3)), ((2, 1, 3), (4, 1)), ((0, 3), (1, 3)),
              ((5,), (1,)), ((1,), ())]


def binary_inputs(kind, ls, rs, dtype):
    if kind == "pow":
        if np.dtype(dtype).kind in "iu":
            return (data(ls, dtype, "any") // 5).astype(dtype), data(rs, dtype, "small")
        return data(ls, dtype, "positive"), data(rs, dtype, "small")
    if kind == "withzero":
        x, y = data(ls, dtype), data(rs, dtype)
        if np.dtype(dtype).kind in "iu":
            y = y // 10
        elif y.size:
            y.reshape(-1)[0] = 0.0
            y = np.round(y)
        return x, y
    if kind == "shift":
        # Counts past the width and negative ones included.
        bits = np.dtype(dtype).itemsize * 8
        with np.errstate(all="ignore"):
            return data(ls, dtype), rng.integers(-3, bits + 4, rs).astype(dtype)
    if kind == "ldexp":
        # Exponents from far below the subnormals to past overflow.
        return (data(ls, dtype, "special"),
                rng.integers(-1200, 1200, rs).astype(dtype))
    if kind == "dups":
        x = data(ls, dtype)
        y = data(rs, dtype)
        if x.size and y.size and dtype != np.bool_:
            y.reshape(-1)[0] = x.reshape(-1)[0]
        return x, y
    return data(ls, dtype, kind), data(rs, dtype, kind)


for (op, fn, dtypes, kind, is_bool) in BINARY:
    for dtype in dtypes:
        pats = BROADCASTS if dtype in (np.float64, np.int64) else BROADCASTS[:4]
        for ls, rs in pats:
            x, y = binary_inputs(kind, ls, rs, dtype)
            out = npv(fn, x, y)
            rt = ttype(out.shape, np.bool_ if is_bool else dtype)
            add(Case(f"{op}-{np.dtype(dtype).name}-{ls}-{rs}", [x, y],
                     [f"%r = mars.{op} %a0, %a1 : ({ttype(ls, dtype)}, "
                      f"{ttype(rs, dtype)}) -> {rt}"],
                     [("%r", rt)], [out]))

# Integer to a negative power is an error in numpy and in Mars.
add(Case("pow-negative-exponent-error",
         [np.array([2, 3], np.int64), np.array([1, -1], np.int64)],
         ["%r = mars.pow %a0, %a1 : tensor<2xi64>"],
         [("%r", "tensor<2xi64>")], "error"))

for dtype in ALL:
    for cs, xs, ys in [((4,), (4,), (4,)), ((3, 1), (1, 4), (4,)),
                       ((), (2, 2), ())]:
        c, x, y = data(cs, np.bool_), data(xs, dtype), data(ys, dtype)
        out = np.where(c, x, y)
        add(Case(f"where-{np.dtype(dtype).name}-{cs}-{xs}-{ys}", [c, x, y],
                 [f"%r = mars.where %a0, %a1, %a2 : ({ttype(cs, np.bool_)}, "
                  f"{ttype(xs, dtype)}, {ttype(ys, dtype)}) -> "
                  f"{ttype(out.shape, dtype)}"],
                 [("%r", ttype(out.shape, dtype))], [out]))

def scalar_cast(x, dst):
    """numpy's cast an element at a time (its SIMD loop gives other bits
    for floats out of uint32's range than its scalar one, which Mars
    follows)."""
    with np.errstate(all="ignore"):
        flat = x.reshape(-1)
        return np.array([flat[i:i + 1].astype(dst)[0]
                         for i in range(flat.size)],
                        dtype=dst).reshape(x.shape)


for src, dst in itertools.product(ALL, ALL):
    if np.dtype(src).kind == "f" and np.dtype(dst).kind in "iu":
        x = data((6,), src, "any") * 1000  # out of range of the narrow types
        x[:2] = [np.nan, -np.inf] if np.dtype(dst).itemsize < 8 else x[:2]
    else:
        x = data((2, 3), src, "special" if np.dtype(src).kind == "f" else "any")
    add(Case(f"cast-{np.dtype(src).name}-{np.dtype(dst).name}", [x],
             [f"%r = mars.cast %a0 : ({ttype(x.shape, src)}) -> "
              f"{ttype(x.shape, dst)}"],
             [("%r", ttype(x.shape, dst))], [scalar_cast(x, dst)]))

# --------------------------------------------------------------------------
# Reductions
# --------------------------------------------------------------------------


def sum_dtype(dtype):
    kind = np.dtype(dtype).kind
    return dtype if kind == "f" else np.uint64 if kind == "u" else np.int64


def mean_dtype(dtype):
    return dtype if np.dtype(dtype).kind == "f" else np.float64


REDUCTIONS = [
    ("sum", np.sum, ALL, sum_dtype),
    ("prod", np.prod, ALL, sum_dtype),
    ("min", np.min, ALL, lambda d: d),
    ("max", np.max, ALL, lambda d: d),
    ("mean", np.mean, ALL, mean_dtype),
    ("var", np.var, ALL, mean_dtype),
    ("std", np.std, ALL, mean_dtype),
    ("any", np.any, ALL, lambda d: np.bool_),
    ("all", np.all, ALL, lambda d: np.bool_),
    ("count_nonzero", np.count_nonzero, ALL, lambda d: np.int64),
    ("nansum", np.nansum, ALL, sum_dtype),
]
REDUCE_SHAPES = [
    ((3, 4, 5), [None, [0], [-1], [0, 2], [1, 0], []]),
    ((0, 3), [None, [0], [1]]),
    ((4,), [None, [0], []]),
    ((), [None]),
    ((1, 1), [None, [1]]),
]

for (op, fn, dtypes, rdt) in REDUCTIONS:
    for dtype in dtypes:
        for shape, axes_list in REDUCE_SHAPES:
            for axes in axes_list:
                if dtype != np.float64 and len(shape) == 3 and axes not in (None, [0, 2]):
                    continue
                for keep in ([False, True] if axes in ([0], None) else [False]):
                    kind = "small" if op == "prod" else "any"
                    x = data(shape, dtype, kind)
                    ax = None if axes is None else tuple(axes)
                    ddofs = [0, 1] if op in ("var", "std") and axes == [0] else [0]
                    for ddof in ddofs:
                        kw = {"ddof": ddof} if op in ("var", "std") else {}
                        try:
                            with np.errstate(all="ignore"):
                                if op == "count_nonzero":
                                    out = np.count_nonzero(x, axis=ax, keepdims=keep)
                                else:
                                    out = fn(x, axis=ax, keepdims=keep, **kw)
                            out = np.asarray(out).astype(rdt(dtype))
                            expect = [out]
                            rshape = out.shape
                        except ValueError:
                            expect = "error"
                            red = range(len(shape)) if ax is None else [a % len(shape) for a in ax]
                            rshape = tuple(1 if d in red else s for d, s in enumerate(shape)) if keep \
                                else tuple(s for d, s in enumerate(shape) if d not in red)
                        attrs = ""
                        if axes is not None:
                            attrs += f" axes = {fmt_list(axes)}"
                        if keep:
                            attrs += " keepdims"
                        if ddof:
                            attrs += f" ddof = {ddof}"
                        rt = ttype(rshape, rdt(dtype))
                        add(Case(f"{op}-{np.dtype(dtype).name}-{shape}-axes{axes}"
                                 f"-keep{keep}-ddof{ddof}", [x],
                                 [f"%r = mars.{op} %a0{attrs} : "
                                  f"{ttype(shape, dtype)} -> {rt}"],
                                 [("%r", rt)], expect))

for op, fn in [("argmin", np.argmin), ("argmax", np.argmax)]:
    for dtype in ALL:
        for shape in [(3, 4), (5,), (2, 3, 4), (0, 3), ()]:
            axes = [None] + list(range(-1, len(shape)))
            for axis in axes:
                for keep in [False, True]:
                    x = data(shape, dtype, "any")
                    if dtype == np.float64 and x.size > 3:
                        x.reshape(-1)[2] = np.nan
                    try:
                        out = [np.asarray(fn(x, axis=axis, keepdims=keep))]
                        rshape = out[0].shape
                    except ValueError:
                        out = "error"
                        if axis is None:
                            rshape = (1,) * len(shape) if keep else ()
                        else:
                            a = axis % len(shape)
                            rshape = tuple(1 if d == a else s for d, s in enumerate(shape)) if keep \
                                else tuple(s for d, s in enumerate(shape) if d != a)
                    attrs = "" if axis is None else f" axis = {axis}"
                    attrs += " keepdims" if keep else ""
                    rt = ttype(rshape, np.int64)
                    add(Case(f"{op}-{np.dtype(dtype).name}-{shape}-axis{axis}-keep{keep}",
                             [x], [f"%r = mars.{op} %a0{attrs} : {ttype(shape, dtype)} -> {rt}"],
                             [("%r", rt)], out))

# Float reductions of data whose partial results are not finite: infinities
# of one or both signs, NaN, and finite values whose sums or differences
# overflow (the merge of chunk means and M2s must keep numpy's answers).
def extreme_data(kind, shape, dtype):
    x = data(shape, dtype, "small")
    flat = x.reshape(-1)
    big = np.finfo(dtype).max * 0.75
    if kind == "inf":
        flat[0] = np.inf
    elif kind == "neginf-late":
        flat[-1] = -np.inf
    elif kind == "both-inf":
        flat[0], flat[-1] = np.inf, -np.inf
    elif kind == "nan":
        flat[flat.size // 2] = np.nan
    elif kind == "overflow-diff":
        # One element of each sign: no order of summation overflows, but
        # the difference of two chunks' means may.
        flat[0], flat[-1] = big, -big
    elif kind == "overflow-sum":
        flat[:] = big
    return x


for op, fn in [("sum", np.sum), ("mean", np.mean), ("var", np.var),
               ("std", np.std), ("max", np.max), ("min", np.min)]:
    for dtype in FLOATS:
        for kind in ["inf", "neginf-late", "both-inf", "nan", "overflow-diff",
                     "overflow-sum"]:
            for shape, axes in [((4,), None), ((7,), [0]), ((6, 5), [0]),
                                ((5, 6), [1]), ((4, 6), None)]:
                x = extreme_data(kind, shape, dtype)
                ax = None if axes is None else tuple(axes)
                out = npv(lambda v: fn(v, axis=ax), x).astype(dtype)
                attrs = "" if axes is None else f" axes = {fmt_list(axes)}"
                rt = ttype(out.shape, dtype)
                # Summing +big and -big cancels them in any order, leaving
                # an error of up to a few ulps of big.
                atol = None
                if kind == "overflow-diff" and op in ("sum", "mean"):
                    atol = float(np.finfo(dtype).eps * np.finfo(dtype).max * x.size)
                add(Case(f"{op}-{np.dtype(dtype).name}-{kind}-{shape}-axes{axes}",
                         [x], [f"%r = mars.{op} %a0{attrs} : "
                               f"{ttype(shape, dtype)} -> {rt}"],
                         [("%r", rt)], [out], atol=atol))

# Zeros of both signs: numpy's maximum and minimum return the second
# operand of equal ones.
for op, fn in [("maximum", np.maximum), ("minimum", np.minimum)]:
    for dtype in FLOATS:
        x = np.array([-0.0, 0.0, -0.0, 0.0, 1.0, np.nan], dtype)
        y = np.array([0.0, -0.0, -0.0, 0.0, np.nan, 1.0], dtype)
        t = ttype(x.shape, dtype)
        add(Case(f"{op}-{np.dtype(dtype).name}-signed-zeros", [x, y],
                 [f"%r = mars.{op} %a0, %a1 : {t}"], [("%r", t)],
                 [npv(fn, x, y)], signed_zeros=True))

# --------------------------------------------------------------------------
# Shape manipulation
# --------------------------------------------------------------------------

for dtype in ALL:
    for shape, perm in [((2, 3), (1, 0)), ((2, 3, 4), (2, 0, 1)),
                        ((1, 0, 3), (1, 2, 0)), ((5,), (0,)), ((), ())]:
        x = data(shape, dtype)
        out = np.transpose(x, perm)
        add(Case(f"transpose-{np.dtype(dtype).name}-{shape}-{perm}", [x],
                 [f"%r = mars.transpose %a0 perm = {fmt_list(perm)} : "
                  f"{ttype(shape, dtype)} -> {ttype(out.shape, dtype)}"],
                 [("%r", ttype(out.shape, dtype))], [out]))

for dtype in ALL:
    for shape, axes in [((7,), [0]), ((3, 4), [0]), ((3, 4), [-1]),
                        ((2, 3, 5), [0, 2]), ((2, 3, 5), [0, 1, 2]),
                        ((0, 3), [0]), ((1, 1), [1]), ((4, 2), [])]:
        x = data(shape, dtype, "special" if np.dtype(dtype).kind == "f" else "any")
        out = np.flip(x, axis=tuple(axes)) if axes else x.copy()
        add(Case(f"flip-{np.dtype(dtype).name}-{shape}-{axes}", [x],
                 [f"%r = mars.flip %a0 axes = {fmt_list(axes)} : "
                  f"{ttype(shape, dtype)} -> {ttype(shape, dtype)}"],
                 [("%r", ttype(shape, dtype))], [out]))

for dtype in ALL:
    for shape, lower, upper in [((3, 4), -3, 0), ((3, 4), 1, 4),
                                ((2, 3, 5), -1, 1), ((4, 4), 2, 1),
                                ((0, 3), -1, 0), ((3, 0), 0, 0),
                                ((1, 1), 0, 0), ((40, 30), -7, 5)]:
        x = data(shape, dtype, "special" if np.dtype(dtype).kind == "f" else "any")
        i = np.arange(shape[-2]).reshape(-1, 1)
        j = np.arange(shape[-1]).reshape(1, -1)
        # numpy's tril/triu: zeros of the dtype outside the band.
        out = np.where((j - i >= lower) & (j - i <= upper), x,
                       np.zeros(1, dtype))
        add(Case(f"band-{np.dtype(dtype).name}-{shape}-{lower}-{upper}", [x],
                 [f"%r = mars.band %a0 lower = {lower}, upper = {upper} : "
                  f"{ttype(shape, dtype)} -> {ttype(shape, dtype)}"],
                 [("%r", ttype(shape, dtype))], [out]))

SCANS = [("cumsum", np.cumsum), ("cumprod", np.cumprod),
         ("nancumsum", np.nancumsum), ("nancumprod", np.nancumprod)]

for dtype in ALL:
    for shape, axis in [((7,), 0), ((3, 4), 0), ((3, 4), -1), ((2, 3, 5), 1),
                        ((2, 3, 5), 2), ((0, 3), 0), ((4, 0), 1), ((1, 1), 1),
                        ((1000,), 0)]:
        for name, fn in SCANS:
            kind = "special" if np.dtype(dtype).kind == "f" else "small"
            if name.endswith("prod") and np.dtype(dtype).kind == "f" and \
                    shape[axis] > 20:
                kind = "positive"
            x = data(shape, dtype, kind)
            out = npv(lambda v: fn(v, axis=axis), x)
            add(Case(f"{name}-{np.dtype(dtype).name}-{shape}-{axis}", [x],
                     [f"%r = mars.{name} %a0 axis = {axis} : "
                      f"{ttype(shape, dtype)} -> {ttype(shape, out.dtype)}"],
                     [("%r", ttype(shape, out.dtype))], [out], exact=True,
                     signed_zeros=True, rtol=0.0, atol=0.0))

for src, dst in [((6,), (2, 3)), ((2, 3, 4), (4, 6)), ((0, 4), (2, 0)),
                 ((), (1, 1)), ((1,), ()), ((3, 4), (12,))]:
    x = data(src, np.float64)
    out = x.reshape(dst)
    add(Case(f"reshape-{src}-{dst}", [x],
             [f"%r = mars.reshape %a0 : {ttype(src, np.float64)} -> "
              f"{ttype(dst, np.float64)}"],
             [("%r", ttype(dst, np.float64))], [out]))

for src, dst in [((3,), (4, 3)), ((3, 1), (3, 5)), ((), (2, 2)),
                 ((1, 4), (0, 4)), ((2, 1, 3), (2, 2, 2, 3))]:
    for dtype in [np.float64, np.int32, np.bool_]:
        x = data(src, dtype)
        add(Case(f"broadcast_to-{np.dtype(dtype).name}-{src}-{dst}", [x],
                 [f"%r = mars.broadcast_to %a0 : {ttype(src, dtype)} -> "
                  f"{ttype(dst, dtype)}"],
                 [("%r", ttype(dst, dtype))], [np.broadcast_to(x, dst)]))

for shape, axes in [((3,), [0]), ((3,), [-1]), ((2, 3), [0, 3]), ((), [0]),
                    ((2, 3), [1]), ((0,), [0, -1])]:
    x = data(shape, np.int64)
    out = np.expand_dims(x, tuple(axes))
    add(Case(f"expand_dims-{shape}-{axes}", [x],
             [f"%r = mars.expand_dims %a0 axes = {fmt_list(axes)} : "
              f"{ttype(shape, np.int64)} -> {ttype(out.shape, np.int64)}"],
             [("%r", ttype(out.shape, np.int64))], [out]))

for shape, axes in [((1, 3, 1), None), ((1, 3, 1), [0]), ((1, 3, 1), [-1]),
                    ((1, 1), [0, 1]), ((3,), None), ((1, 0, 1), None)]:
    x = data(shape, np.float32)
    out = np.squeeze(x, axis=None if axes is None else tuple(axes))
    attrs = "" if axes is None else f" axes = {fmt_list(axes)}"
    add(Case(f"squeeze-{shape}-{axes}", [x],
             [f"%r = mars.squeeze %a0{attrs} : {ttype(shape, np.float32)} -> "
              f"{ttype(out.shape, np.float32)}"],
             [("%r", ttype(out.shape, np.float32))], [out]))


def slice_text(s):
    parts = []
    for start, stop, step in s:
        t = ("" if start is None else str(start)) + ":" + \
            ("" if stop is None else str(stop))
        if step != 1:
            t += f":{step}"
        parts.append(t)
    return "[" + ", ".join(parts) + "]"


SLICE_BOUNDS = [None, 0, 1, 2, -1, -3, 7, -9]
for i in range(40):
    shape = [(6,), (5, 4), (3, 0), (1, 7), (4, 3, 2)][i % 5]
    ndims = rng.integers(1, len(shape) + 1)
    spec = []
    for d in range(ndims):
        start = SLICE_BOUNDS[rng.integers(len(SLICE_BOUNDS))]
        stop = SLICE_BOUNDS[rng.integers(len(SLICE_BOUNDS))]
        step = [1, 1, 2, -1, -2, 3][rng.integers(6)]
        spec.append((start, stop, step))
    dtype = ALL[i % len(ALL)]
    x = data(shape, dtype)
    out = x[tuple(slice(*s) for s in spec)]
    add(Case(f"slice-{i}-{shape}-{slice_text(spec)}", [x],
             [f"%r = mars.slice %a0 {slice_text(spec)} : {ttype(shape, dtype)} "
              f"-> {ttype(out.shape, dtype)}"],
             [("%r", ttype(out.shape, dtype))], [out]))

for shapes, axis in [([(2, 3), (4, 3)], 0), ([(2, 3), (2, 1), (2, 0)], 1),
                     ([(3,), (0,), (2,)], 0), ([(2, 2, 2), (2, 2, 2)], -1),
                     ([(1, 4)], 0)]:
    for dtype in [np.float64, np.int64, np.bool_]:
        xs = [data(s, dtype) for s in shapes]
        out = np.concatenate(xs, axis=axis)
        add(Case(f"concatenate-{np.dtype(dtype).name}-{shapes}-{axis}", xs,
                 [f"%r = mars.concatenate "
                  + ", ".join(f"%a{i}" for i in range(len(xs)))
                  + f" axis = {axis} : "
                  + ", ".join(ttype(s, dtype) for s in shapes)
                  + f" -> {ttype(out.shape, dtype)}"],
                 [("%r", ttype(out.shape, dtype))], [out]))

for shape, n, axis in [((3,), 2, 0), ((3,), 2, 1), ((2, 3), 3, -1),
                       ((), 4, 0), ((0, 2), 2, 1), ((2, 2), 1, 2)]:
    xs = [data(shape, np.int32) for _ in range(n)]
    out = np.stack(xs, axis=axis)
    add(Case(f"stack-{shape}-{n}-{axis}", xs,
             [f"%r = mars.stack " + ", ".join(f"%a{i}" for i in range(n))
              + f" axis = {axis} : " + ", ".join([ttype(shape, np.int32)] * n)
              + f" -> {ttype(out.shape, np.int32)}"],
             [("%r", ttype(out.shape, np.int32))], [out]))

# --------------------------------------------------------------------------
# Linear algebra
# --------------------------------------------------------------------------

for dtype in NUMERIC:
    for ls, rs in [((3, 4), (4, 5)), ((4,), (4, 5)), ((3, 4), (4,)),
                   ((4,), (4,)), ((0, 3), (3, 2)), ((3, 0), (0, 2)),
                   ((1, 1), (1, 1)), ((17, 9), (9, 13))]:
        x, y = data(ls, dtype), data(rs, dtype)
        out = np.matmul(x, y)
        # Sums in another order differ by a few ulps of the terms' size,
        # which cancellation can make large against the result.
        atol = None
        if np.dtype(dtype).kind == "f" and out.size:
            k = ls[-1]
            atol = float(4 * k * np.finfo(dtype).eps *
                         np.max(np.matmul(np.abs(x), np.abs(y)), initial=0))
        add(Case(f"matmul-{np.dtype(dtype).name}-{ls}-{rs}", [x, y],
                 [f"%r = mars.matmul %a0, %a1 : {ttype(ls, dtype)}, "
                  f"{ttype(rs, dtype)} -> {ttype(out.shape, dtype)}"],
                 [("%r", ttype(out.shape, dtype))], [out], atol=atol))

# Stacks of matrices (equal batch dimensions: the front ends broadcast).
for dtype in NUMERIC:
    for ls, rs in [((2, 3, 4), (2, 4, 5)), ((5, 7, 9), (5, 9, 6)),
                   ((2, 3, 1, 4), (2, 3, 4, 2)), ((0, 3, 4), (0, 4, 2)),
                   ((3, 2, 0), (3, 0, 4)), ((1, 1, 1), (1, 1, 1)),
                   ((4, 17, 9), (4, 9, 13))]:
        x, y = data(ls, dtype), data(rs, dtype)
        out = np.matmul(x, y)
        atol = None
        if np.dtype(dtype).kind == "f" and out.size:
            atol = float(4 * ls[-1] * np.finfo(dtype).eps *
                         np.max(np.matmul(np.abs(x), np.abs(y)), initial=0))
        add(Case(f"matmul-stack-{np.dtype(dtype).name}-{ls}-{rs}", [x, y],
                 [f"%r = mars.matmul %a0, %a1 : {ttype(ls, dtype)}, "
                  f"{ttype(rs, dtype)} -> {ttype(out.shape, dtype)}"],
                 [("%r", ttype(out.shape, dtype))], [out], atol=atol))

for dtype in [np.float64, np.int64]:
    for ls, rs, la, ra in [((2, 3, 4), (3, 4, 5), [1, 2], [0, 1]),
                           ((3, 4), (4, 3), [0, 1], [1, 0]),
                           ((2, 3), (4,), [], []),
                           ((3, 2), (2, 3, 4), [-1], [0]),
                           ((0, 2), (2, 5), [1], [0])]:
        x, y = data(ls, dtype), data(rs, dtype)
        out = np.tensordot(x, y, axes=(la, ra))
        add(Case(f"tensordot-{np.dtype(dtype).name}-{ls}-{rs}-{la}-{ra}", [x, y],
                 [f"%r = mars.tensordot %a0, %a1 axes = {fmt_list(la)}, "
                  f"{fmt_list(ra)} : {ttype(ls, dtype)}, {ttype(rs, dtype)} -> "
                  f"{ttype(out.shape, dtype)}"],
                 [("%r", ttype(out.shape, dtype))], [out]))

# --------------------------------------------------------------------------
# Creation
# --------------------------------------------------------------------------

for dtype in ALL:
    for shape in [(), (3,), (2, 0), (2, 3)]:
        val = {"f": 2.5, "i": -7, "u": 250, "b": True}[np.dtype(dtype).kind]
        lit = "true" if val is True else str(val)
        add(Case(f"full-{np.dtype(dtype).name}-{shape}", [],
                 [f"%r = mars.full({lit}) : {ttype(shape, dtype)}"],
                 [("%r", ttype(shape, dtype))], [np.full(shape, val, dtype)]))
        for op, fn in [("zeros", np.zeros), ("ones", np.ones)]:
            add(Case(f"{op}-{np.dtype(dtype).name}-{shape}", [],
                     [f"%r = mars.{op} : {ttype(shape, dtype)}"],
                     [("%r", ttype(shape, dtype))], [fn(shape, dtype)]))

add(Case("full-nan", [], ["%r = mars.full(0x7FF8000000000000 : f64) : tensor<2xf64>"],
         [("%r", "tensor<2xf64>")], [np.full(2, np.nan)]))
add(Case("full-neg-inf-f32", [], ["%r = mars.full(0xFFF0000000000000 : f64) : tensor<2xf32>"],
         [("%r", "tensor<2xf32>")], [np.full(2, -np.inf, np.float32)]))

for dtype in NUMERIC:
    for start, stop, step in [(0, 10, 1), (3, -4, -2), (0, 0, 1), (5, 6, 3)]:
        out = np.arange(start, stop, step, dtype=dtype)
        add(Case(f"arange-{np.dtype(dtype).name}-{start}-{stop}-{step}", [],
                 [f"%r = mars.arange start = {float(start)}, step = {float(step)}"
                  f" : {ttype(out.shape, dtype)}"],
                 [("%r", ttype(out.shape, dtype))], [out]))
add(Case("arange-fractional", [],
         ["%r = mars.arange start = 0.5, step = 0.1 : tensor<7xf64>"],
         [("%r", "tensor<7xf64>")], [np.arange(0.5, 1.15, 0.1)[:7]]))

for dtype in NUMERIC:
    for start, stop, num, endpoint in [(0.0, 1.0, 5, True), (2.0, -3.0, 7, False),
                                       (1.0, 1.0, 3, True), (0.0, 10.0, 1, True),
                                       (0.0, 1.0, 0, True), (-1.5, 9.0, 11, True)]:
        out = np.linspace(start, stop, num, endpoint=endpoint, dtype=dtype)
        attrs = "" if endpoint else " no_endpoint"
        add(Case(f"linspace-{np.dtype(dtype).name}-{start}-{stop}-{num}-{endpoint}", [],
                 [f"%r = mars.linspace start = {start}, stop = {stop}{attrs} : "
                  f"{ttype(out.shape, dtype)}"],
                 [("%r", ttype(out.shape, dtype))], [out]))

for dtype in ALL:
    for n, m, k in [(3, 3, 0), (3, 5, 1), (4, 2, -1), (2, 2, 5), (0, 3, 0)]:
        out = np.eye(n, m, k, dtype=dtype)
        add(Case(f"eye-{np.dtype(dtype).name}-{n}-{m}-{k}", [],
                 [f"%r = mars.eye k = {k} : {ttype((n, m), dtype)}"],
                 [("%r", ttype((n, m), dtype))], [out]))

add(Case("constant-2d", [],
         ["%r = mars.constant dense<[[1.5, -2.0], [0.0, 4.25]]> : tensor<2x2xf64>"],
         [("%r", "tensor<2x2xf64>")], [np.array([[1.5, -2.0], [0.0, 4.25]])]))
add(Case("constant-bool", [],
         ["%r = mars.constant dense<[true, false, true]> : tensor<3xi1>"],
         [("%r", "tensor<3xi1>")], [np.array([True, False, True])]))

for dtype in FLOATS:
    for shape, seed, low, high in [((5, 3), 42, 0.0, 1.0), ((1000,), 7, -2.0, 3.0),
                                   ((0, 2), 1, 0.0, 1.0)]:
        add(Case(f"random_uniform-{np.dtype(dtype).name}-{shape}-{seed}", [],
                 [f"%r = mars.random_uniform seed = {seed}, low = {low}, "
                  f"high = {high} : {ttype(shape, dtype)}"],
                 [("%r", ttype(shape, dtype))],
                 [philox.uniform(shape, seed, low, high, dtype)]))
        add(Case(f"random_normal-{np.dtype(dtype).name}-{shape}-{seed}", [],
                 [f"%r = mars.random_normal seed = {seed}, loc = {low}, "
                  f"scale = {high} : {ttype(shape, dtype)}"],
                 [("%r", ttype(shape, dtype))],
                 [philox.normal(shape, seed, low, high, dtype)]))
for dtype in INTS:
    info = np.iinfo(dtype)
    lo, hi = max(int(info.min), -2 ** 31), min(int(info.max), 2 ** 31 - 1)
    for shape, seed, low, high in [((4, 4), 3, 0, 10),
                                   ((100,), 99, max(lo, -1000), min(hi, 1000)),
                                   ((7,), 5, lo, hi)]:
        add(Case(f"random_integers-{np.dtype(dtype).name}-{shape}-{seed}", [],
                 [f"%r = mars.random_integers seed = {seed}, low = {low}, "
                  f"high = {high} : {ttype(shape, dtype)}"],
                 [("%r", ttype(shape, dtype))],
                 [philox.integers(shape, seed, low, high, dtype)]))
# Random numbers are uniform: a coarse statistical check on a large draw.
u = philox.uniform((200000,), 11, 0.0, 1.0, np.float64)
assert abs(u.mean() - 0.5) < 0.005 and abs(u.var() - 1 / 12) < 0.002
n = philox.normal((200000,), 12, 0.0, 1.0, np.float64)
assert abs(n.mean()) < 0.01 and abs(n.std() - 1.0) < 0.01

# --------------------------------------------------------------------------
# Whole programs (the seed's examples, with numpy's own formulation)
# --------------------------------------------------------------------------

a = data((40, 30), np.float64)
add(Case("program-add-mul", [a],
         ["%one = mars.full(1.0) : tensor<f64>",
          "%two = mars.full(2.0) : tensor<f64>",
          "%s = mars.add %a0, %one : (tensor<40x30xf64>, tensor<f64>) -> tensor<40x30xf64>",
          "%r = mars.mul %s, %two : (tensor<40x30xf64>, tensor<f64>) -> tensor<40x30xf64>"],
         [("%r", "tensor<40x30xf64>")], [(a + 1) * 2]))
add(Case("program-dot-std", [a],
         ["%t = mars.transpose %a0 perm = [1, 0] : tensor<40x30xf64> -> tensor<30x40xf64>",
          "%d = mars.matmul %a0, %t : tensor<40x30xf64>, tensor<30x40xf64> -> tensor<40x40xf64>",
          "%a1 = mars.slice %a0 [:, :1] : tensor<40x30xf64> -> tensor<40x1xf64>",
          "%s = mars.sub %d, %a1 : (tensor<40x40xf64>, tensor<40x1xf64>) -> tensor<40x40xf64>",
          "%r = mars.std %s : tensor<40x40xf64> -> tensor<f64>"],
         [("%r", "tensor<f64>")], [np.asarray((a.dot(a.T) - a[:, :1]).std())]))
pts = philox.uniform((5000, 2), 2018, -1.0, 1.0, np.float64)
inside = np.sqrt((pts ** 2).sum(axis=1)) < 1
add(Case("program-monte-carlo-pi", [],
         ["%p = mars.random_uniform seed = 2018, low = -1.0, high = 1.0 : tensor<5000x2xf64>",
          "%sq = mars.square %p : tensor<5000x2xf64>",
          "%s = mars.sum %sq axes = [1] : tensor<5000x2xf64> -> tensor<5000xf64>",
          "%d = mars.sqrt %s : tensor<5000xf64>",
          "%one = mars.full(1.0) : tensor<f64>",
          "%in = mars.lt %d, %one : (tensor<5000xf64>, tensor<f64>) -> tensor<5000xi1>",
          "%n = mars.sum %in : tensor<5000xi1> -> tensor<i64>",
          "%f = mars.cast %n : (tensor<i64>) -> tensor<f64>",
          "%four = mars.full(4.0) : tensor<f64>",
          "%m = mars.mul %f, %four : tensor<f64>",
          "%size = mars.full(5000.0) : tensor<f64>",
          "%r = mars.div %m, %size : tensor<f64>"],
         [("%r", "tensor<f64>")], [np.asarray(4.0 * inside.sum() / 5000)]))


# --------------------------------------------------------------------------
# Inner reductions: a short reduction of generated values read by another
# computation (mars-fuse folds it into its consumer's kernel, element by
# element: mars.fused). The reduction keeps the reference's order, so the
# tiled and compiled results equal the reference's bit for bit, unless the
# consumer is a float sum (its chunks' partials combine in another order).
# --------------------------------------------------------------------------

def inner_cases():
    # (shape of the generated values, reduced axes, keepdims)
    shapes = [((37, 2), [1], False), ((2, 19), [0], True),
              ((5, 2, 3), [1], False), ((3, 2, 2), [0, 2], False),
              ((11, 1, 2), [1, 2], True), ((1, 8), [1], False),
              ((4, 3, 2, 1), [2], False),
              ((9,), [0], False)]  # 9 elements: not an inner reduction
    fns = [("sum", sum_dtype), ("prod", sum_dtype), ("min", lambda d: d),
           ("max", lambda d: d), ("mean", mean_dtype),
           ("any", lambda d: np.bool_), ("all", lambda d: np.bool_),
           ("count_nonzero", lambda d: np.int64), ("nansum", sum_dtype)]
    domains = [np.float64, np.float32, np.int64, np.int32, np.bool_]
    roots = ["map", "sum", "max0"]
    for (k, (shape, axes, keep)), stored in itertools.product(
            enumerate(shapes), [False, True]):
        for j, (op, rdt) in enumerate(fns):
            dtype = domains[(k + j) % len(domains)]
            if op in ("sum", "prod", "mean", "nansum") and dtype == np.bool_:
                dtype = np.int32
            seed = 100 + 8 * k + j + (1000 if stored else 0)
            # The generated values, scaled by a rank-0 argument (or compared
            # with it, for bool): a random op, an input and an elementwise op
            # in the reduction's domain.
            if stored:
                pdt = dtype
                x = data(shape, dtype, "small" if op == "prod" else "special"
                         if dtype in (np.float64, np.float32) else "any")
                gen, p = None, x
                a0 = np.asarray(True if dtype == np.bool_ else 2, dtype)
            elif dtype in (np.float64, np.float32):
                gen, p = (f"mars.random_normal seed = {seed}, loc = 0.0, scale = 1.0",
                          philox.normal(shape, seed, 0.0, 1.0, dtype)) if j % 2 else \
                    (f"mars.random_uniform seed = {seed}, low = -1.0, high = 1.0",
                     philox.uniform(shape, seed, -1.0, 1.0, dtype))
                a0 = np.asarray(1.5, dtype)
            else:
                gdt = np.int64 if dtype == np.bool_ else dtype
                gen, p = (f"mars.random_integers seed = {seed}, low = -3, high = 4",
                          philox.integers(shape, seed, -3, 4, gdt))
                a0 = np.asarray(0 if dtype == np.bool_ else 2, gdt)
            if not stored:
                pdt = np.int64 if dtype == np.bool_ else dtype
            st, qt = ttype(shape, pdt), ttype(shape, dtype)
            body = [f"%p = {gen} : {st}"] if gen else []
            inputs = [a0]
            if stored:
                # The rows of a stored argument, read whole by the kernel.
                body = [f"%p = mars.mul %a1, %a0 : ({st}, {ttype((), dtype)}) -> {st}"
                        if dtype != np.bool_ else
                        f"%p = mars.logical_and %a1, %a0 : ({st}, tensor<i1>) -> {st}"]
                inputs.append(x)
                p = npv(lambda u, v: u * v, x, a0) if dtype != np.bool_ else x & a0
                if j % 3 == 0:
                    body = [f"%p = mars.neg %a1 : {st}"] if dtype != np.bool_ else \
                        [f"%p = mars.logical_not %a1 : {st}"]
                    p = npv(np.negative, x) if dtype != np.bool_ else ~x
            if stored:
                body.append(f"%q = mars.add %p, %p : {qt}" if dtype != np.bool_
                            else f"%q = mars.logical_or %p, %p : {qt}")
                q = npv(lambda u: u + u, p) if dtype != np.bool_ else p
            elif dtype == np.bool_:
                body.append(f"%q = mars.gt %p, %a0 : ({st}, tensor<i64>) -> {qt}")
                q = p > a0
            else:
                body.append(f"%q = mars.mul %p, %a0 : ({st}, {ttype((), dtype)}) -> {qt}")
                q = npv(lambda x, y: x * y, p, a0)
            ax = tuple(axes)
            with np.errstate(all="ignore"):
                if op == "count_nonzero":
                    r = np.count_nonzero(q, axis=ax, keepdims=keep)
                else:
                    r = getattr(np, op)(q, axis=ax, keepdims=keep)
            r = np.asarray(r).astype(rdt(dtype))
            rt = ttype(r.shape, rdt(dtype))
            ft = ttype(r.shape, np.float64)
            attrs = f" axes = {fmt_list(axes)}" + (" keepdims" if keep else "")
            body += [f"%r = mars.{op} %q{attrs} : {qt} -> {rt}",
                     f"%c = mars.cast %r : ({rt}) -> {ft}",
                     f"%o = mars.add %c, %c : {ft}"]
            o = r.astype(np.float64) * 2
            root = roots[(k + j) % len(roots)]
            if root == "max0" and o.ndim == 0:
                root = "sum"
            if root == "map":
                results, expect = [("%o", ft)], [o]
            elif root == "sum":
                body.append(f"%t = mars.sum %o : {ft} -> tensor<f64>")
                results, expect = [("%t", "tensor<f64>")], [np.asarray(o.sum())]
            else:
                m = o.max(axis=0)
                body.append(f"%t = mars.max %o axes = [0] : {ft} -> "
                            f"{ttype(m.shape, np.float64)}")
                results, expect = [("%t", ttype(m.shape, np.float64))], [m]
            add(Case(f"inner-{'stored' if stored else 'random'}-{op}-"
                     f"{np.dtype(dtype).name}-{shape}-axes{axes}-keep{keep}-"
                     f"{root}", inputs, body, results, expect,
                     rtol=1e-6 if dtype == np.float32 else None,
                     # Rows shorter than 8 are summed in order by numpy
                     # (so the reference) and by every engine.
                     exact=root != "sum" and q.size < 8 * r.size))


inner_cases()


# --------------------------------------------------------------------------
# Sorting and selection: a result chunk reads its lanes whole along the axis
# and computes only its own part, so every chunking equals numpy exactly
# (sort's signed zeros aside: numpy leaves their order to its algorithm).
# --------------------------------------------------------------------------

def sorting_cases():
    shapes = [((9,), 0), ((4, 7), 0), ((4, 7), -1), ((2, 3, 5), 1),
              ((0, 3), 0), ((3, 0), 1), ((1, 1), 0), ((300,), 0)]
    for dtype in ALL:
        name = np.dtype(dtype).name
        for shape, axis in shapes:
            for kind in ("special", "small"):
                x = data(shape, dtype, kind)
                s = np.sort(x, axis=axis)
                i = np.argsort(x, axis=axis, kind="stable")
                add(Case(f"sort-{name}-{kind}-{shape}-{axis}", [x],
                         [f"%r = mars.sort %a0 axis = {axis} : "
                          f"{ttype(shape, dtype)} -> {ttype(shape, dtype)}"],
                         [("%r", ttype(shape, dtype))], [s], exact=True))
                add(Case(f"argsort-{name}-{kind}-{shape}-{axis}", [x],
                         [f"%r = mars.argsort %a0 axis = {axis} : "
                          f"{ttype(shape, dtype)} -> "
                          f"{ttype(shape, np.int64)}"],
                         [("%r", ttype(shape, np.int64))], [i], exact=True))
        for n, vshape in [(11, (4, 3)), (1, (5,)), (0, (3,)), (200, (50,))]:
            a = np.sort(data((n,), dtype, "special"))
            v = data(vshape, dtype, "special")
            if n and v.size:
                v.reshape(-1)[: min(v.size, n)] = a[: min(v.size, n)]
            for side in ("left", "right"):
                add(Case(f"searchsorted-{name}-{n}-{vshape}-{side}", [a, v],
                         [f'%r = mars.searchsorted %a0, %a1 side = "{side}" : '
                          f"{ttype((n,), dtype)}, {ttype(vshape, dtype)} -> "
                          f"{ttype(vshape, np.int64)}"],
                         [("%r", ttype(vshape, np.int64))],
                         [np.searchsorted(a, v, side=side)], exact=True))
    # bincount: every result chunk reads all of the input (and weights).
    for n, high, length in [(9, 4, 4), (300, 20, 25), (0, 1, 3), (50, 3, 3)]:
        x = rng.integers(0, high, n).astype(np.int64)
        w = data((n,), np.float64, "special")
        for weighted in (False, True):
            want = np.bincount(x, w if weighted else None, length) if n else \
                np.zeros(length, np.float64 if weighted else np.int64)
            rt = ttype((length,), np.float64 if weighted else np.int64)
            body = (f"%r = mars.bincount %a0, %a1 : {ttype((n,), np.int64)}, "
                    f"{ttype((n,), np.float64)} -> {rt}" if weighted else
                    f"%r = mars.bincount %a0 : {ttype((n,), np.int64)} -> {rt}")
            add(Case(f"bincount-{n}-{high}-{length}-{weighted}",
                     [x, w] if weighted else [x], [body], [("%r", rt)],
                     [want], exact=True))
    # sorted_at: positions of the sort, by selection (repeats, negatives).
    for dtype in ALL:
        name = np.dtype(dtype).name
        for shape, axis in [((9,), 0), ((4, 7), -1), ((2, 3, 5), 1),
                            ((300,), 0)]:
            x = data(shape, dtype, "special" if np.dtype(dtype).kind == "f"
                     else "small")
            n = shape[axis]
            if np.dtype(dtype).kind == "f" and x.size >= 8:
                # Zeros of both signs inside the runs below.
                flat = x.reshape(-1)
                flat[rng.choice(x.size, 4, replace=False)] = [0.0, -0.0,
                                                              -0.0, 0.0]
            # Scattered positions, and runs of consecutive ones (topk's:
            # one selection and a partial sort).
            for tag, kth in [
                    ("", [n // 2, 0, -1, n // 2, int(rng.integers(-n, n))]),
                    ("-runs", list(range(n - 1, max(n - 6, 0) - 1, -1)) +
                     list(range(min(n, 4))) + [n // 2, n // 2 + 1][:n - n // 2])]:
                out = np.take(np.sort(x, axis=axis), kth, axis=axis)
                oshape = out.shape
                add(Case(f"sorted_at{tag}-{name}-{shape}-{axis}", [x],
                         [f"%r = mars.sorted_at %a0 axis = {axis} kth = "
                          f"[{', '.join(map(str, kth))}] : "
                          f"{ttype(shape, dtype)} -> {ttype(oshape, dtype)}"],
                         [("%r", ttype(oshape, dtype))], [out], exact=True))
    # Long lanes: runs sorted on their own, then merged.
    for dtype in ALL:
        name = np.dtype(dtype).name
        for shape, axis, run in [((23,), 0, 4), ((3, 17), 1, 5),
                                 ((16, 3), 0, 16), ((9, 2), 0, 1),
                                 ((0, 4), 0, 3), ((300,), 0, 64)]:
            x = data(shape, dtype, "special" if np.dtype(dtype).kind == "f"
                     else "small")
            add(Case(f"merge_runs-{name}-{shape}-{axis}-{run}", [x],
                     [f"%r = mars.sort_runs %a0 axis = {axis} run = {run} : "
                      f"{ttype(shape, dtype)} -> {ttype(shape, dtype)}",
                      f"%m = mars.merge_runs %r axis = {axis} run = {run} : "
                      f"{ttype(shape, dtype)} -> {ttype(shape, dtype)}"],
                     [("%m", ttype(shape, dtype))], [np.sort(x, axis=axis)],
                     exact=True))
    for dtype in [np.float64, np.int32, np.bool_]:
        name = np.dtype(dtype).name
        for shape, axis, ishape in [((5, 6), 1, (4,)), ((5, 6), 0, (2, 3)),
                                    ((7,), 0, ()), ((2, 3, 4), 2, (9,)),
                                    ((3, 4), 1, (0,))]:
            x = data(shape, dtype)
            n = shape[axis]
            for mode in ("raise", "wrap", "clip"):
                lo, hi = (-n, n) if mode == "raise" else (-3 * n, 3 * n)
                idx = rng.integers(lo, hi, ishape).astype(np.int64)
                out = np.take(x, idx, axis=axis, mode=mode)
                add(Case(f"take-{name}-{shape}-{axis}-{ishape}-{mode}",
                         [x, idx],
                         [f'%r = mars.take %a0, %a1 axis = {axis} mode = '
                          f'"{mode}" : {ttype(shape, dtype)}, '
                          f"{ttype(ishape, np.int64)} -> "
                          f"{ttype(out.shape, dtype)}"],
                         [("%r", ttype(out.shape, dtype))], [out],
                         exact=True))
            bad = np.full(ishape if ishape else (1,), n, np.int64)
            oshape = shape[:axis] + bad.shape + shape[axis + 1:]
            add(Case(f"take-oob-{name}-{shape}-{axis}", [x, bad],
                     [f'%r = mars.take %a0, %a1 axis = {axis} mode = "raise"'
                      f" : {ttype(shape, dtype)}, "
                      f"{ttype(bad.shape, np.int64)} -> "
                      f"{ttype(oshape, dtype)}"],
                     [("%r", ttype(oshape, dtype))],
                     "error" if bad.size and np.prod(oshape) else
                     [np.zeros(oshape, dtype)], exact=True))
        for shape, axis, m in [((5, 6), 1, 3), ((5, 6), 0, 8), ((9,), 0, 9),
                               ((2, 3, 4), 1, 2), ((4, 0), 0, 2)]:
            x = data(shape, dtype)
            ishape = shape[:axis] + (m,) + shape[axis + 1:]
            n = shape[axis]
            idx = (rng.integers(-n, n, ishape) if n else
                   np.zeros(ishape, np.int64)).astype(np.int64)
            out = np.take_along_axis(x, idx, axis=axis)
            add(Case(f"take_along_axis-{name}-{shape}-{axis}-{m}", [x, idx],
                     [f"%r = mars.take_along_axis %a0, %a1 axis = {axis} : "
                      f"{ttype(shape, dtype)}, {ttype(ishape, np.int64)} -> "
                      f"{ttype(ishape, dtype)}"],
                     [("%r", ttype(ishape, dtype))], [out], exact=True))
        # put: flat positions anywhere (repeats: the later value), short
        # values repeating, every mode; out of bounds is an error.
        for shape, ishape, vsize in [((5, 6), (7,), 7), ((9,), (2, 3), 4),
                                     ((2, 3, 4), (30,), 1), ((4, 3), (5,), 0),
                                     ((4, 0), (0,), 2)]:
            x = data(shape, dtype)
            n = int(np.prod(shape))
            v = data((vsize,), dtype)
            for mode in ("raise", "wrap", "clip"):
                lo, hi = (-n, n) if mode == "raise" else (-3 * n, 3 * n)
                idx = (rng.integers(lo, hi, ishape) if n else
                       np.zeros(ishape, np.int64)).astype(np.int64)
                out = x.copy()
                np.put(out, idx, v, mode=mode)
                add(Case(f"put-{name}-{shape}-{ishape}-{vsize}-{mode}",
                         [x, idx, v],
                         [f'%r = mars.put %a0, %a1, %a2 mode = "{mode}" : '
                          f"{ttype(shape, dtype)}, {ttype(ishape, np.int64)},"
                          f" {ttype((vsize,), dtype)} -> "
                          f"{ttype(shape, dtype)}"],
                         [("%r", ttype(shape, dtype))], [out], exact=True))
        x = data((5, 6), dtype)
        bad = np.array([3, 30, -31], np.int64)
        add(Case(f"put-oob-{name}", [x, bad, x[0, :1].copy()],
                 [f'%r = mars.put %a0, %a1, %a2 mode = "raise" : '
                  f"{ttype((5, 6), dtype)}, {ttype((3,), np.int64)}, "
                  f"{ttype((1,), dtype)} -> {ttype((5, 6), dtype)}"],
                 [("%r", ttype((5, 6), dtype))], "error", exact=True))


sorting_cases()


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------

def tolerance(dtype, case):
    if case.atol is not None:
        return tolerance(dtype, Case("", [], [], [], [], rtol=case.rtol))[0], \
            case.atol
    if case.rtol is not None:
        return case.rtol, case.rtol
    if dtype == np.float32:
        return 2e-5, 1e-5
    return 1e-11, 1e-12


REORDERING_OPS = ("mars.sum", "mars.nansum", "mars.prod", "mars.mean", "mars.var",
                  "mars.std", "mars.matmul", "mars.tensordot")


def close(got, want, case):
    if want.dtype.kind in "biu":
        return np.array_equal(got, want)
    rtol, atol = tolerance(want.dtype, case)
    if case.signed_zeros and not np.array_equal(np.signbit(got[got == 0]),
                                                np.signbit(want[want == 0])):
        return False
    return np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True) \
        and np.array_equal(np.isnan(got), np.isnan(want))


def mars_run(cmd, out, expect_error):
    """Runs mars-run; returns (results, None) or (None, problem)."""
    proc = subprocess.run(cmd + ["--output", out], capture_output=True,
                          text=True, timeout=300)
    if expect_error:
        if proc.returncode == 0:
            return None, "expected an error, mars-run succeeded"
        if proc.returncode < 0:
            return None, f"mars-run crashed (signal {-proc.returncode})"
        if "error:" not in proc.stderr:
            return None, f"no diagnostic on stderr: {proc.stderr!r}"
        return [], None
    if proc.returncode != 0:
        return None, f"mars-run failed ({proc.returncode}): {proc.stderr.strip()}"
    n = len([f for f in os.listdir(out) if f.startswith("result")])
    return [np.load(os.path.join(out, f"result{i}.npy")) for i in range(n)], None


def chunkings(index, count):
    """Chunk sizes for case `index`: ragged, 1-element, one chunk, mixed."""
    pool = [1, 2, 3, 4, 7, 1000]
    r = np.random.default_rng(index)
    return [int(x) for x in r.choice(pool, size=min(count, len(pool)), replace=False)]


def emit_ptx(mars_run_path, root, index, case, arch):
    """The PTX of every GPU kernel of `case` ({entry: ptx}), or a problem."""
    d = os.path.join(root, f"ptx{index}")
    os.makedirs(d)
    prog = os.path.join(d, "prog.mlir")
    with open(prog, "w") as f:
        f.write(case.program())
    size = chunkings(index + 7919, 1)[0]
    proc = subprocess.run(
        [mars_run_path, prog, "--quiet", "--engine=compiled", "--emit=ptx",
         f"--gpu-arch={arch}", f"--chunks={size}"],
        capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        return None, f"--emit=ptx failed ({proc.returncode}): {proc.stderr.strip()}"
    kernels = {}
    for part in re.split(r"^// kernel of .*$", proc.stdout, flags=re.M)[1:]:
        m = re.search(r"\.entry (mars_kernel_[0-9a-f]+)", part)
        if not m:
            return None, "a kernel without an entry point:\n" + part[:400]
        kernels[m.group(1)] = part
    return kernels, None


def check_ptx(ptxas, arch, kernels, root):
    """Runs ptxas on every kernel (in batches); returns the rejected ones."""
    d = os.path.join(root, "ptxas")
    os.makedirs(d, exist_ok=True)
    paths = []
    for name, text in sorted(kernels.items()):
        path = os.path.join(d, name + ".ptx")
        with open(path, "w") as f:
            f.write(text)
        paths.append(path)

    def run(batch):
        return subprocess.run([ptxas, f"-arch={arch}", "-c", "-o", os.devnull]
                              + batch, capture_output=True, text=True,
                              timeout=600)

    batches = [paths[i:i + 64] for i in range(0, len(paths), 64)]
    rejected = []
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        for batch, proc in zip(batches, pool.map(run, batches)):
            if proc.returncode == 0:
                continue
            for path in batch:  # Find the culprits.
                one = run([path])
                if one.returncode != 0:
                    rejected.append((path, one.stderr.strip()))
    return rejected


def run_case(mars_run_path, root, index, case, chunked, compiled,
             cluster=None, device="cpu"):
    d = os.path.join(root, f"case{index}")
    os.makedirs(d)
    prog = os.path.join(d, "prog.mlir")
    with open(prog, "w") as f:
        f.write(case.program())
    cmd = [mars_run_path, prog, "--quiet"]
    for i, x in enumerate(case.inputs):
        p = os.path.join(d, f"in{i}.npy")
        np.save(p, x)
        cmd.append(f"--arg={i}={p}")
    error = case.expect == "error"
    ref, problem = mars_run(cmd + ["--engine=reference"],
                            os.path.join(d, "ref"), error)
    if problem:
        return problem
    for i, want in enumerate([] if error else case.expect):
        got = ref[i]
        if got.dtype != want.dtype:
            return f"result {i}: dtype {got.dtype}, numpy {want.dtype}"
        if got.shape != want.shape:
            return f"result {i}: shape {got.shape}, numpy {want.shape}"
        if not close(got, want, case):
            return f"result {i} differs:\n  mars:  {got!r}\n  numpy: {want!r}"
    reorders = not case.exact and any(op in line for line in case.body
                                      for op in REORDERING_OPS)
    runs = [("chunked", size) for size in chunkings(index, chunked)]
    runs += [("compiled", size) for size in chunkings(index + 7919, compiled)]
    for engine, size in runs:
        extra = [f"--engine={engine}", f"--chunks={size}",
                 f"--fan-in={2 + index % 3}"]
        if engine == "compiled":
            extra.append(f"--kernel-cache={os.path.join(root, 'kernels')}")
        if cluster:
            extra.append(f"--cluster={cluster}")
        on_gpu = engine == "compiled" and device != "cpu"
        if on_gpu:
            extra.append(f"--device={device}")
        got, problem = mars_run(cmd + extra,
                                os.path.join(d, f"{engine}{size}"), error)
        if problem:
            return f"--engine={engine} --chunks={size}: {problem}"
        for i, (g, r) in enumerate(zip(got, ref)):
            # GPU transcendentals are libdevice's, within a few ulps.
            same = g.dtype == r.dtype and g.shape == r.shape and (
                close(g, r, case) if (reorders or on_gpu) and r.dtype.kind == "f"
                else np.array_equal(g, r, equal_nan=r.dtype.kind == "f"))
            if not same:
                return (f"--engine={engine} --chunks={size}: result {i} "
                        f"differs from the reference:\n  {engine}: {g!r}\n"
                        f"  reference: {r!r}")
    return None


def ptx_main(args, cases, root):
    kernels, failures = {}, []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(emit_ptx, args.mars_run, root, i, c,
                               args.gpu_arch): c
                   for i, c in enumerate(cases)}
        for fut in concurrent.futures.as_completed(futures):
            got, problem = fut.result()
            if problem:
                failures.append((futures[fut], problem))
            else:
                kernels.update(got)
    for c, msg in sorted(failures, key=lambda f: f[0].name):
        print(f"FAIL {c.name}: {msg}\n--- program ---\n{c.program()}")
    rejected = check_ptx(args.ptxas, args.gpu_arch, kernels, root)
    for path, why in rejected:
        print(f"PTXAS REJECTED {os.path.basename(path)}: {why}")
    if not args.keep:
        import shutil
        shutil.rmtree(root, ignore_errors=True)
    print(f"differential-ptx: {len(cases)} cases, {len(kernels)} distinct "
          f"GPU kernels for {args.gpu_arch}")
    print(f"differential-ptx: {len(cases) - len(failures)} cases generated, "
          f"{len(failures)} failed; {len(kernels) - len(rejected)} kernels "
          f"accepted by ptxas, {len(rejected)} rejected")
    return 1 if failures or rejected else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mars-run", required=True)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--chunked", type=int, default=0,
                    help="also run N chunkings per case on the chunked engine")
    ap.add_argument("--compiled", type=int, default=0,
                    help="also run N chunkings per case on the compiled engine")
    ap.add_argument("--cluster", default="",
                    help="run the chunked and compiled engines on the Mars "
                    "cluster at HOST:PORT (token from the environment)")
    ap.add_argument("--device", default="cpu",
                    choices=["cpu", "gpu", "auto", "gpu-emulator"],
                    help="run the compiled engine's kernels here (a GPU "
                    "machine: --device=gpu)")
    ap.add_argument("--ptxas", default="",
                    help="instead of running the cases, generate the PTX of "
                    "every GPU kernel of every case and check it with this "
                    "ptxas")
    ap.add_argument("--gpu-arch", default="sm_90")
    ap.add_argument("--filter", default="")
    ap.add_argument("--sample", type=float, default=1.0,
                    help="run this fraction of the cases (a seeded random "
                    "subset) on the engines other than the reference, and "
                    "check this fraction's PTX; every case still runs on the "
                    "reference against numpy. The full sweep is 1.0 (the "
                    "default; scripts/full-sweeps.sh)")
    ap.add_argument("--only-sampled", action="store_true",
                    help="run only --sample's subset, on the reference "
                    "too: for the checks of other engines (GPU emulator, "
                    "cluster) that another test's reference pass over "
                    "every case already covers")
    ap.add_argument("--seed", type=int, default=1,
                    help="the seed of --sample's subset")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work dir")
    args = ap.parse_args()

    cases = [c for c in CASES if args.filter in c.name]
    everything = list(cases)
    # The seeded subset that runs beyond the reference (by name, so that a
    # new case does not reshuffle the others).
    def sampled(c):
        if args.sample >= 1.0:
            return True
        h = int.from_bytes(hashlib.sha256(f"{args.seed}:{c.name}".encode())
                           .digest()[:8], "little")
        return h < args.sample * 2.0 ** 64
    if args.only_sampled:
        cases = [c for c in cases if sampled(c)]
    root = tempfile.mkdtemp(prefix="mars-differential-")
    if args.ptxas:
        return ptx_main(args, [c for c in cases if sampled(c)], root)
    failures = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(run_case, args.mars_run, root, i, c,
                               args.chunked if sampled(c) else 0,
                               args.compiled if sampled(c) else 0,
                               args.cluster, args.device): c
                   for i, c in enumerate(cases)}
        for fut in concurrent.futures.as_completed(futures):
            c = futures[fut]
            msg = fut.result()
            if msg:
                failures.append((c, msg))
            elif args.verbose:
                print(f"PASS {c.name}")
    for c, msg in sorted(failures, key=lambda f: f[0].name):
        print(f"FAIL {c.name}: {msg}\n--- program ---\n{c.program()}")
    if not args.keep:
        import shutil
        shutil.rmtree(root, ignore_errors=True)
    else:
        print(f"work dir: {root}")
    ops = set()
    for c in everything:
        for line in c.body:
            if "mars." in line:
                ops.add(line.split("mars.")[1].split()[0])
    more = sum(1 for c in cases if sampled(c))
    print(f"differential: {len(everything)} cases over {len(ops)} ops"
          + (f", {more} of them (sample {args.sample}, seed {args.seed})"
             if more < len(everything) else ", each")
          + (" (only those run)" if args.only_sampled else "")
          + (f" also under {args.chunked} chunkings" if args.chunked else "")
          + (f" and {args.compiled} compiled" if args.compiled else ""))
    print(f"differential: {len(cases) - len(failures)} passed, "
          f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
