#!/usr/bin/python3
"""mars.tensor against numpy, numexpr, dask and mars-run, side by side.

Each workload is written exactly as a numpy user writes it, once per
library (the numpy program with another import); every contender runs in
this process run, timed as the median of --repeat runs after a warm-up.
mars-run runs the same program as hand-written Mars IR (generated here from
the same sizes) in a child process; its figure is its median `execute`
phase, so "vs mars-run" is the Python front end's whole cost: building the
graph, building and compiling IR (cached after the first run), and copying
nothing.

Workloads (the issue's targets in brackets):
  pi       the seed's Monte Carlo pi, 1e8 points (and 1e9 with --big)
           [within 5% of mars-run]
  add_mul  (a + 1) * 2 on an existing 2e7-element array
  ufuncs   a chain of ten ufuncs over two 2e7 f64 arrays (sin, cos, exp,
           log1p, abs, sqrt, arctan2, tanh, negative, square, with + - *),
           against numpy, numexpr and dask [at least 3x numpy]
  float16  (a * 0.5 + b) * (a - b) + sqrt(|b|) and exp(-a*a).mean() over two
           2e7 float16 arrays (numpy computes each float16 op in float32
           and rounds; so does Mars), against numpy and dask
  std      (a.dot(a.T) - a).std() with n = 8000 (--n)
  build    graph-building cost per op (a 10000-op chain) [< 20 us]
  eager    eager mode, x + y per call at 1e3..1e6 elements
           [<= 5x numpy at 1e3; <= numpy from 1e6]
  cumsum   np.cumsum of 4e7 f64 (4e8 with --big), 1-d (one chain of
           chunks) and of a (4000, n/4000) array along axis 0 (chains in
           parallel) [at least 3x numpy]; results must equal numpy's
  sort     np.sort of 2e7 f64 (2e8 with --big), 1-d and along the rows of
           (n/1000, 1000) [at least 1.5x numpy]; dask has no sort
  median   np.median of the same data, 1-d and along the rows
  quantiles np.median and np.percentile([1, 50, 99]) of 2e7 f64 (4e8 with
           --big), 1-d, exact (radix selection by parts) [at least 2x
           numpy], dask's approximate percentile beside; then the median of
           mt.random.rand(n) under a memory limit of a quarter of its bytes
  topk     the 100 largest of 2e7 f64 (2e8 with --big), sorted, 1-d and
           along the rows of (n/1000, 1000): Mars's topk against numpy's
           idiom np.sort(np.partition(v, -k, axis)[..., -k:])[..., ::-1]
  linalg   the thin SVD of a tall (m, 32) f64 matrix (m = 2e6, 2e7 with
           --big) by TSQR, against numpy's svd and dask's TSQR svd, with
           the reconstruction error checked; inv and solve of an n = 2000
           matrix (4000 with --big) against numpy's one LAPACK call
           [within 20%], in one chunk and in chunks of n/4 (inv by the
           tiled LU; solve gathers a matrix that fits, as it is faster in
           memory); the tiled Cholesky factor of the same n against
           numpy's potrf; inv of a stack of 1e5 8x8 matrices
  einsum   einsum('bij,bjk->bik') and a @ b of stacks of matrices (2000 of
           64x64, 200 of 256x256, f64), against numpy's einsum and matmul
  mask     a[a > 0.5].sum() over 4e7 f64 (4e8 with --big), against numpy
           and dask
  unique   np.unique of 2e7 int64 with 1e6 distinct values (2e8 with
           --big), against numpy and dask
  assign   a[a > 0.5] = 0 (a where) and a[idx] = 1.0 with 1e5 random
           positions (a mars.put), then a.sum(), over 4e7 f64 (4e8 with
           --big), against numpy and dask

Usage: bench/python_api.py [--build build] [--repeat 3] [--only pi,...]
                           [--big] [--n 8000]
Dependencies: scripts/install-deps.sh --bench
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cpu_kernels import median_time, pi_program  # noqa: E402

try:
    import numexpr as ne
except ImportError:
    ne = None
try:
    import dask
    import dask.array as da
except ImportError:
    da = None


def mars_run(build, mlir, repeat):
    """Median execute seconds of `mlir` through mars-run."""
    with tempfile.TemporaryDirectory() as d:
        prog = os.path.join(d, "p.mlir")
        stats = os.path.join(d, "s.json")
        with open(prog, "w") as f:
            f.write(mlir)
        subprocess.run([os.path.join(build, "bin", "mars-run"), prog,
                        "--quiet", "--repeat", str(repeat + 1),
                        "--stats", stats], check=True)
        with open(stats) as f:
            s = json.load(f)
    # The median execution (the first, cold one included among repeat + 1).
    return s["seconds"]["execute"]


def std_mlir(n):
    return f"""func.func @main() -> tensor<f64> {{
  %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<{n}x{n}xf64>
  %t = mars.transpose %a perm = [1, 0] : tensor<{n}x{n}xf64> -> tensor<{n}x{n}xf64>
  %d = mars.matmul %a, %t : tensor<{n}x{n}xf64>, tensor<{n}x{n}xf64> -> tensor<{n}x{n}xf64>
  %s = mars.sub %d, %a : tensor<{n}x{n}xf64>
  %r = mars.std %s : tensor<{n}x{n}xf64> -> tensor<f64>
  return %r : tensor<f64>
}}
"""


def row(name, figures, base="numpy"):
    out = [name]
    b = figures.get(base)
    for k in ("numpy", "numexpr", "dask", "mars-run", "mars.tensor"):
        v = figures.get(k)
        if v is None:
            out.append("%12s" % "-")
        else:
            out.append("%8.3fs%s" % (v, "" if b is None or k == base
                                     else " (%.2fx)" % (b / v)))
    print(" | ".join(out), flush=True)


def bench_pi(args, mt, n):
    f = {}
    if n * 16 * 3 < 0.6 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"):
        def numpy_pi():
            a = np.random.uniform(-1, 1, size=(n, 2))
            return (np.sqrt((a ** 2).sum(axis=1)) < 1).sum() * 4 / n
        f["numpy"] = median_time(numpy_pi, args.repeat)
        if ne is not None:
            def ne_pi():
                a = np.random.uniform(-1, 1, size=(n, 2))
                x, y = a[:, 0], a[:, 1]
                return ne.evaluate("sum(where(sqrt(x**2 + y**2) < 1, 1, 0))",
                                   local_dict={"x": x, "y": y}) * 4 / n
            f["numexpr"] = median_time(ne_pi, args.repeat)
    if da is not None:
        def dask_pi():
            a = da.random.uniform(-1, 1, size=(n, 2), chunks=(max(n // 16, 1), 2))
            return ((da.sqrt((a ** 2).sum(axis=1)) < 1).sum() * 4 / n).compute()
        f["dask"] = median_time(dask_pi, args.repeat)
    f["mars-run"] = mars_run(args.build, pi_program(n), args.repeat)

    def mars_pi():
        a = mt.random.uniform(-1, 1, size=(n, 2))
        return ((mt.sqrt((a ** 2).sum(axis=1)) < 1).sum() * 4 / n).execute()
    f["mars.tensor"] = median_time(mars_pi, args.repeat)
    row("pi %.0e" % n, f)
    return f


def bench_add_mul(args, mt):
    n = 20_000_000
    x = np.random.rand(n)
    f = {"numpy": median_time(lambda: (x + 1) * 2, args.repeat)}
    if ne is not None:
        f["numexpr"] = median_time(lambda: ne.evaluate("(x + 1) * 2", local_dict={"x": x}),
                                   args.repeat)
    if da is not None:
        dx = da.from_array(x, chunks=n // 16)
        f["dask"] = median_time(lambda: ((dx + 1) * 2).compute(), args.repeat)
    a = mt.tensor(x)
    f["mars.tensor"] = median_time(lambda: ((a + 1) * 2).execute().fetch(),
                                   args.repeat)
    row("(a+1)*2 2e7", f)
    return f


def image_blend(xp, a, b):
    """A uint8 image pipeline: average two images, raise the contrast with
    clipping, and count the bright pixels (numpy's dtypes throughout)."""
    mean = ((a.astype(np.uint16) + b) // 2).astype(np.uint8)
    out = xp.clip(mean.astype(np.int16) * 3 - 200, 0, 255).astype(np.uint8)
    return out, (out > 128).sum()


def bench_uint8(args, mt):
    n = 8000
    rng = np.random.default_rng(3)
    x = rng.integers(0, 256, (n, n), dtype=np.uint8)
    y = rng.integers(0, 256, (n, n), dtype=np.uint8)
    want, want_count = image_blend(np, x, y)
    f = {"numpy": median_time(lambda: image_blend(np, x, y), args.repeat)}
    if da is not None:
        dx = da.from_array(x, chunks=(n // 4, n))
        dy = da.from_array(y, chunks=(n // 4, n))
        f["dask"] = median_time(
            lambda: da.compute(*image_blend(da, dx, dy)), args.repeat)
    a, b = mt.tensor(x), mt.tensor(y)

    import mars
    f["mars.tensor"] = median_time(
        lambda: mars.execute(*image_blend(mt, a, b)), args.repeat)
    out, count = image_blend(mt, a, b)
    mars.execute(out, count)
    if not (np.array_equal(out.fetch(), want) and
            int(count.fetch()) == int(want_count)):
        raise SystemExit("uint8: mars.tensor differs from numpy")
    row("uint8 blend 8000^2", f)
    return f


def half_pipeline(xp, a, b):
    """float16 data as a numpy user computes with it: arithmetic (each
    operation rounded to float16), a libm function, and a mean (a float16
    sum of this many elements would overflow)."""
    c = (a * 0.5 + b) * (a - b) + xp.sqrt(xp.abs(b))
    return c, xp.exp(-a * a).mean()


def bench_float16(args, mt):
    n = 20_000_000
    rng = np.random.default_rng(16)
    x = rng.standard_normal(n).astype(np.float16)
    y = rng.standard_normal(n).astype(np.float16)
    want, want_sum = half_pipeline(np, x, y)
    f = {"numpy": median_time(lambda: half_pipeline(np, x, y), args.repeat)}
    if da is not None:
        dx = da.from_array(x, chunks=n // 16)
        dy = da.from_array(y, chunks=n // 16)
        f["dask"] = median_time(
            lambda: da.compute(*half_pipeline(da, dx, dy)), args.repeat)
    a, b = mt.tensor(x), mt.tensor(y)

    import mars
    f["mars.tensor"] = median_time(
        lambda: mars.execute(*half_pipeline(mt, a, b)), args.repeat)
    c, s = half_pipeline(mt, a, b)
    mars.execute(c, s)
    # Elementwise float16 arithmetic is numpy's bit for bit; the mean is
    # numpy's float32 accumulation in another order, rounded to float16.
    if not (np.array_equal(c.fetch(), want) and
            np.isclose(float(s.fetch()), float(want_sum), rtol=2e-3)):
        raise SystemExit("float16: mars.tensor differs from numpy")
    row("float16 pipeline 2e7", f)
    return f


def ufunc_chain(xp, a, b):
    """Ten ufuncs, as a numpy user writes them (`xp` is the module)."""
    return (xp.sqrt(xp.abs(xp.sin(a) * xp.cos(b) + xp.exp(-xp.square(a))
                           - xp.log1p(b * b)))
            + xp.arctan2(a, b) * xp.tanh(a))


UFUNC_CHAIN_NUMEXPR = ("sqrt(abs(sin(a) * cos(b) + exp(-(a * a)) - log1p(b * b)))"
                       " + arctan2(a, b) * tanh(a)")


def bench_ufuncs(args, mt):
    n = 20_000_000
    rng = np.random.default_rng(9)
    x, y = rng.standard_normal(n), rng.standard_normal(n)
    want = ufunc_chain(np, x, y)
    f = {"numpy": median_time(lambda: ufunc_chain(np, x, y), args.repeat)}
    if ne is not None:
        f["numexpr"] = median_time(
            lambda: ne.evaluate(UFUNC_CHAIN_NUMEXPR,
                                local_dict={"a": x, "b": y}), args.repeat)
    if da is not None:
        dx = da.from_array(x, chunks=n // 16)
        dy = da.from_array(y, chunks=n // 16)
        f["dask"] = median_time(lambda: ufunc_chain(da, dx, dy).compute(),
                                args.repeat)
    a, b = mt.tensor(x), mt.tensor(y)
    f["mars.tensor"] = median_time(
        lambda: ufunc_chain(mt, a, b).execute().fetch(), args.repeat)
    got = np.asarray(ufunc_chain(mt, a, b).execute().fetch())
    if not np.allclose(got, want, rtol=1e-12, atol=1e-12):
        raise SystemExit("ufuncs: mars.tensor differs from numpy")
    row("ten ufuncs 2e7 f64", f)
    return f


def bench_std(args, mt):
    n = args.n
    f = {}

    def numpy_std():
        a = np.random.rand(n, n)
        return (a.dot(a.T) - a).std()
    f["numpy"] = median_time(numpy_std, args.repeat)
    if da is not None:
        def dask_std():
            a = da.random.random((n, n), chunks=(n // 4, n // 4))
            return (a.dot(a.T) - a).std().compute()
        f["dask"] = median_time(dask_std, args.repeat)
    f["mars-run"] = mars_run(args.build, std_mlir(n), args.repeat)

    def mars_std():
        a = mt.random.rand(n, n)
        return (a.dot(a.T) - a).std().execute()
    f["mars.tensor"] = median_time(mars_std, args.repeat)
    row("dot-std %d" % n, f)
    return f


def bench_build(args, mt):
    x = mt.ones(10)
    t0 = time.perf_counter()
    for _ in range(10000):
        x = x + 1
    per_op = (time.perf_counter() - t0) / 10000
    t0 = time.perf_counter()
    x.execute()
    print("graph building: %.2f us per op (10000-op chain; executing it: "
          "%.3fs)" % (per_op * 1e6, time.perf_counter() - t0), flush=True)
    return {"us_per_op": per_op * 1e6}


def bench_eager(args, mt, mars):
    out = {}
    for size in (1000, 10_000, 100_000, 1_000_000):
        x, y = np.random.rand(size), np.random.rand(size)
        a, b = mt.tensor(x).execute(), mt.tensor(y).execute()
        calls = 2000 if size <= 10_000 else 100

        def loop(f):
            def run():
                for _ in range(calls):
                    f()  # each result is freed before the next call
            return run
        tn = median_time(loop(lambda: x + y), 3) / calls
        with mars.option_context(eager_mode=True):
            te = median_time(loop(lambda: a + b), 3) / calls
        engine = mars.get_default_session().last_report()["engine"]
        print("eager x+y %8d: numpy %8.1f us, mars.tensor %8.1f us (%.1fx "
              "numpy, %s engine)" % (size, tn * 1e6, te * 1e6, te / tn, engine),
              flush=True)
        out[size] = {"numpy": tn, "mars.tensor": te}
    return out


def bench_cumsum(args, mt, n):
    x = np.random.default_rng(0).random(n)
    for label, shape, axis in (("1-d", (n,), 0),
                               ("axis 0", (4000, n // 4000), 0)):
        v = x[:int(np.prod(shape))].reshape(shape)
        f = {"numpy": median_time(lambda: np.cumsum(v, axis=axis),
                                  args.repeat)}
        if da is not None:
            dv = da.from_array(v, chunks=max(v.shape[0] // 16, 1))
            f["dask"] = median_time(
                lambda: da.cumsum(dv, axis=axis).compute(), args.repeat)
        a = mt.tensor(v)
        f["mars.tensor"] = median_time(
            lambda: mt.cumsum(a, axis=axis).execute().fetch(), args.repeat)
        got = np.asarray(mt.cumsum(a, axis=axis).execute().fetch())
        if not np.array_equal(got, np.cumsum(v, axis=axis)):
            raise SystemExit("cumsum %s: mars.tensor differs from numpy"
                             % label)
        row("cumsum %.0e %s" % (n, label), f)
    return f


def bench_sort(args, mt, n):
    x = np.random.default_rng(1).random(n)
    out = {}
    for label, shape in (("1-d", (n,)), ("rows", (n // 1000, 1000))):
        v = x.reshape(shape)
        a = mt.tensor(v)
        for name, fn in (("sort", "sort"), ("median", "median")):
            axis = -1 if label == "rows" else None
            f = {"numpy": median_time(lambda: getattr(np, fn)(v, axis=axis),
                                      args.repeat)}
            f["mars.tensor"] = median_time(
                lambda: getattr(mt, fn)(a, axis=axis).execute().fetch(),
                args.repeat)
            got = np.asarray(getattr(mt, fn)(a, axis=axis).execute().fetch())
            if not np.array_equal(got, getattr(np, fn)(v, axis=axis)):
                raise SystemExit("%s %s: mars.tensor differs from numpy"
                                 % (name, label))
            row("%s %.0e %s" % (name, n, label), f)
            out["%s %s" % (name, label)] = f
    return out


def bench_quantiles(args, mt, mars, n):
    """np.median and np.percentile of a 1-d lane, exact, by radix selection
    part by part; dask's percentile approximates (its figure is for
    reference). Then the median of a generated lane of n under a memory
    limit of a quarter of its bytes: the lane is never held whole."""
    x = np.random.default_rng(3).random(n)
    a = mt.tensor(x)
    out = {}
    qs = [1, 50, 99]
    for name, np_fn, mt_fn, da_fn in (
            ("median", lambda: np.median(x), lambda: mt.median(a),
             lambda dv: da.percentile(dv, [50])),
            ("percentile 1,50,99", lambda: np.percentile(x, qs),
             lambda: mt.percentile(a, qs), lambda dv: da.percentile(dv, qs))):
        f = {"numpy": median_time(np_fn, args.repeat)}
        if da is not None:
            dv = da.from_array(x, chunks=max(n // 16, 1))
            f["dask"] = median_time(lambda: da_fn(dv).compute(), args.repeat)
        f["mars.tensor"] = median_time(lambda: mt_fn().execute().fetch(),
                                       args.repeat)
        if not np.array_equal(np.asarray(mt_fn().execute().fetch()),
                              np_fn()):
            raise SystemExit("%s: mars.tensor differs from numpy" % name)
        row("%s %.0e 1-d" % (name, n), f)
        out[name] = f
    # Out of core: the lane's chunks are made (and made again) per pass.
    limit = n * 8 // 4
    low = mars.new_session(default=False, memory_limit=limit,
                           show_progress=False)
    t = mt.random.RandomState(7).rand(n)
    t0 = time.perf_counter()
    got = float(np.asarray(mt.median(t).execute(session=low).fetch(
        session=low)))
    took = time.perf_counter() - t0
    report = low.last_report()
    free = float(np.asarray(mt.median(t).execute().fetch()))
    if got != free:
        raise SystemExit("median under a memory limit %r != %r" % (got, free))
    print("median %.0e under a %.2f GB limit (data %.2f GB): %.3fs, peak "
          "chunk memory %.2f GB" % (n, limit / 1e9, n * 8 / 1e9, took,
                                    report.get("peak_memory_bytes", 0) / 1e9),
          flush=True)
    out["out of core"] = {"seconds": took, "limit_bytes": limit,
                          "peak_memory_bytes":
                              report.get("peak_memory_bytes", 0)}
    return out


def bench_topk(args, mt, n, k=100):
    x = np.random.default_rng(6).random(n)
    out = {}
    for label, shape in (("1-d", (n,)), ("rows", (n // 1000, 1000))):
        v = x.reshape(shape)
        a = mt.tensor(v)

        def numpy_topk():
            return np.sort(np.partition(v, -k, axis=-1)[..., -k:],
                           axis=-1)[..., ::-1]
        f = {"numpy": median_time(numpy_topk, args.repeat)}
        f["mars.tensor"] = median_time(
            lambda: mt.topk(a, k, axis=-1).execute().fetch(), args.repeat)
        got = np.asarray(mt.topk(a, k, axis=-1).execute().fetch())
        if not np.array_equal(got, numpy_topk()):
            raise SystemExit("topk %s: mars.tensor differs from numpy" % label)
        row("topk k=%d %.0e %s" % (k, n, label), f)
        out["topk %s" % label] = f
    return out


def bench_einsum(args, mt):
    rng = np.random.default_rng(8)
    out = {}
    for b, n in ((2000, 64), (200, 256)):
        x, y = rng.random((b, n, n)), rng.random((b, n, n))
        a, c = mt.tensor(x), mt.tensor(y)
        want = np.matmul(x, y)
        for label, npf, mtf in (
                ("einsum", lambda: np.einsum("bij,bjk->bik", x, y),
                 lambda: mt.einsum("bij,bjk->bik", a, c)),
                ("matmul", lambda: x @ y, lambda: a @ c)):
            f = {"numpy": median_time(npf, args.repeat)}
            f["mars.tensor"] = median_time(
                lambda: mtf().execute().fetch(), args.repeat)
            got = np.asarray(mtf().execute().fetch())
            if not np.allclose(got, want, rtol=1e-10):
                raise SystemExit("%s: mars.tensor differs from numpy" % label)
            row("%s %dx%dx%d f64" % (label, b, n, n), f)
            out["%s %dx%d" % (label, b, n)] = f
    return out


def bench_linalg(args, mt):
    rng = np.random.default_rng(9)
    out = {}
    m = 20_000_000 if args.big else 2_000_000
    x = rng.standard_normal((m, 32))
    a = mt.tensor(x)
    f = {"numpy": median_time(
        lambda: np.linalg.svd(x, full_matrices=False), args.repeat)}
    if da is not None:
        d = da.from_array(x, chunks=(max(m // 16, 32), 32))
        f["dask"] = median_time(
            lambda: dask.compute(*da.linalg.svd(d)), args.repeat)

    import mars

    def mars_svd():
        usv = mt.linalg.svd(a, full_matrices=False)
        mars.execute(*usv)
        return usv
    f["mars.tensor"] = median_time(mars_svd, args.repeat)
    u, s, vh = mars_svd()
    err = np.abs((u.fetch() * s.fetch()) @ vh.fetch() - x).max()
    if not np.allclose(s.fetch(), np.linalg.svd(x, compute_uv=False),
                       rtol=1e-10) or err > 1e-10:
        raise SystemExit("svd: mars.tensor differs from numpy")
    row("svd (%d, 32) thin" % m, f)
    out["svd %dx32" % m] = f

    n = 4000 if args.big else 2000
    g = rng.standard_normal((n, n)) + n * np.eye(n)
    b = rng.standard_normal((n, 16))
    # One chunk (one LAPACK call, as numpy's), then chunks of n/4: inv
    # takes the tiled LU and substitutions by tiles; solve gathers a matrix
    # this small into one call (mars.tensor.linalg._gathers).
    for tiles in (n, n // 4):
        mg, mb = mt.tensor(g, chunk_size=tiles), mt.tensor(b)
        mg.execute()
        for label, npf, mtf in (
                ("inv", lambda: np.linalg.inv(g), lambda: mt.linalg.inv(mg)),
                ("solve", lambda: np.linalg.solve(g, b),
                 lambda: mt.linalg.solve(mg, mb))):
            f = {"numpy": median_time(npf, args.repeat),
                 "mars.tensor": median_time(lambda: mtf().execute().fetch(),
                                            args.repeat)}
            if not np.allclose(mtf().fetch(), npf(), rtol=1e-10, atol=1e-14):
                raise SystemExit("%s: mars.tensor differs from numpy" % label)
            how = "" if tiles == n else " (chunks of %d)" % tiles
            row("%s n=%d%s" % (label, n, how), f)
            out["%s %d%s" % (label, n, how)] = f

    spd = g @ g.T
    ms = mt.tensor(spd, chunk_size=n // 4)
    f = {"numpy": median_time(lambda: np.linalg.cholesky(spd), args.repeat),
         "mars.tensor": median_time(
             lambda: mt.linalg.cholesky(ms).execute().fetch(), args.repeat)}
    if not np.allclose(mt.linalg.cholesky(ms).fetch(),
                       np.linalg.cholesky(spd), rtol=1e-10, atol=1e-10):
        raise SystemExit("cholesky: mars.tensor differs from numpy")
    row("cholesky n=%d (tiles of %d)" % (n, n // 4), f)
    out["cholesky %d" % n] = f

    st = rng.standard_normal((100_000, 8, 8))
    ms = mt.tensor(st)
    f = {"numpy": median_time(lambda: np.linalg.inv(st), args.repeat),
         "mars.tensor": median_time(
             lambda: mt.linalg.inv(ms).execute().fetch(), args.repeat)}
    if not np.allclose(mt.linalg.inv(ms).fetch(), np.linalg.inv(st)):
        raise SystemExit("stacked inv: mars.tensor differs from numpy")
    row("inv 1e5 x (8, 8)", f)
    out["inv stack"] = f
    return out


def bench_mask(args, mt, n):
    v = np.random.default_rng(2).random(n)
    f = {"numpy": median_time(lambda: v[v > 0.5].sum(), args.repeat)}
    if da is not None:
        dv = da.from_array(v, chunks=max(n // 16, 1))
        f["dask"] = median_time(lambda: dv[dv > 0.5].sum().compute(),
                                args.repeat)
    a = mt.tensor(v)
    f["mars.tensor"] = median_time(
        lambda: a[a > 0.5].sum().execute().fetch(), args.repeat)
    got = float(a[a > 0.5].sum().execute().fetch())
    want = v[v > 0.5].sum()
    if abs(got - want) > 1e-9 * abs(want):
        raise SystemExit("mask: mars.tensor %r differs from numpy %r"
                         % (got, want))
    row("a[a > 0.5].sum() %.0e" % n, f)
    return f


def bench_unique(args, mt, n):
    v = np.random.default_rng(3).integers(0, 1_000_000, n)
    f = {"numpy": median_time(lambda: np.unique(v), args.repeat)}
    if da is not None:
        dv = da.from_array(v, chunks=max(n // 16, 1))
        f["dask"] = median_time(lambda: da.unique(dv).compute(), args.repeat)
    a = mt.tensor(v)
    f["mars.tensor"] = median_time(
        lambda: mt.unique(a).execute().fetch(), args.repeat)
    if not np.array_equal(np.asarray(mt.unique(a).execute().fetch()),
                          np.unique(v)):
        raise SystemExit("unique: mars.tensor differs from numpy")
    row("unique %.0e int64, 1e6 distinct" % n, f)
    return f


def bench_assign(args, mt, n):
    v = np.random.default_rng(4).random(n)
    idx = np.random.default_rng(5).integers(0, n, 100_000)
    out = {}

    def numpy_mask():
        w = v.copy()
        w[w > 0.5] = 0
        return w.sum()

    def numpy_idx():
        w = v.copy()
        w[idx] = 1.0
        return w.sum()

    def mars_mask():
        a = mt.tensor(v)
        a[a > 0.5] = 0
        return a.sum().execute().fetch()

    def mars_idx():
        a = mt.tensor(v)
        a[idx] = 1.0
        return a.sum().execute().fetch()

    def dask_mask():
        a = da.from_array(v, chunks=max(n // 16, 1))
        a[a > 0.5] = 0
        return a.sum().compute()

    def dask_idx():
        a = da.from_array(v, chunks=max(n // 16, 1))
        a[idx] = 1.0
        return a.sum().compute()

    for label, fn, mfn, dfn in (("a[a > 0.5] = 0", numpy_mask, mars_mask,
                                 dask_mask),
                                ("a[idx] = 1.0 (1e5 idx)", numpy_idx,
                                 mars_idx, dask_idx)):
        f = {"numpy": median_time(fn, args.repeat)}
        if da is not None:
            f["dask"] = median_time(dfn, args.repeat)
        f["mars.tensor"] = median_time(mfn, args.repeat)
        got, want = float(mfn()), float(fn())
        if abs(got - want) > 1e-9 * abs(want):
            raise SystemExit("assign %s: mars.tensor %r differs from numpy "
                             "%r" % (label, got, want))
        row("%s; sum %.0e" % (label, n), f)
        out[label] = f
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    p.add_argument("--build", default=os.path.join(here, "..", "build"))
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--only",
                   default="pi,add_mul,ufuncs,uint8,float16,std,build,eager,"
                           "cumsum,sort,"
                           "quantiles,topk,einsum,mask,unique,assign")
    p.add_argument("--big", action="store_true", help="also pi with 1e9 points")
    p.add_argument("--n", type=int, default=8000)
    p.add_argument("--json")
    args = p.parse_args()
    sys.path.insert(0, os.path.join(args.build, "python"))
    import mars
    import mars.tensor as mt
    mars.new_session(show_progress=False)
    if da is not None:
        dask.config.set(scheduler="threads")
    only = args.only.split(",")
    print("workload | numpy | numexpr | dask | mars-run | mars.tensor  "
          "(seconds; x: speed-up over numpy)")
    results = {}
    if "pi" in only:
        results["pi_1e8"] = bench_pi(args, mt, 100_000_000)
        if args.big:
            results["pi_1e9"] = bench_pi(args, mt, 1_000_000_000)
    if "add_mul" in only:
        results["add_mul"] = bench_add_mul(args, mt)
    if "ufuncs" in only:
        results["ufuncs"] = bench_ufuncs(args, mt)
    if "uint8" in only:
        results["uint8"] = bench_uint8(args, mt)
    if "float16" in only:
        results["float16"] = bench_float16(args, mt)
    if "std" in only:
        results["std"] = bench_std(args, mt)
    if "build" in only:
        results["build"] = bench_build(args, mt)
    if "eager" in only:
        results["eager"] = bench_eager(args, mt, mars)
    if "cumsum" in only:
        results["cumsum"] = bench_cumsum(
            args, mt, 400_000_000 if args.big else 40_000_000)
    if "sort" in only:
        results["sort"] = bench_sort(
            args, mt, 200_000_000 if args.big else 20_000_000)
    if "quantiles" in only:
        results["quantiles"] = bench_quantiles(
            args, mt, mars, 400_000_000 if args.big else 20_000_000)
    if "topk" in only:
        results["topk"] = bench_topk(
            args, mt, 200_000_000 if args.big else 20_000_000)
    if "einsum" in only:
        results["einsum"] = bench_einsum(args, mt)
    if "linalg" in only:
        results["linalg"] = bench_linalg(args, mt)
    if "mask" in only:
        results["mask"] = bench_mask(
            args, mt, 400_000_000 if args.big else 40_000_000)
    if "unique" in only:
        results["unique"] = bench_unique(
            args, mt, 200_000_000 if args.big else 20_000_000)
    if "assign" in only:
        results["assign"] = bench_assign(
            args, mt, 400_000_000 if args.big else 40_000_000)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
