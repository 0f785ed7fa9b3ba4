#!/usr/bin/python3
"""Compiled CPU kernels against numpy, numexpr and dask, side by side.

Every workload runs on all contenders in the same process run, each timed as
the median of --repeat runs after a warm-up (this machine is a VM that hands
freed memory back to the host, so memory touched for the first time is slow
and noisy). Mars runs through `mars-run --engine=compiled --repeat` as a separate
process, its executions timed the same way (warm-up, then median; the
first, cold execution is shown too); its figures come from `--stats`:
`execute` is the whole chunked execution (splitting inputs into chunks,
kernels, assembling results) and `kernel` the time inside generated kernels
and BLAS calls. Peak RSS is each child's VmHWM (ru_maxrss would count the
benchmark driver's memory, which a child has until it execs).

Workloads (the issue's targets in brackets):
  add_mul  (a + 1) * 2 on f64 larger than the last-level cache
           [>= 85% of STREAM copy bandwidth at 16 B/element; >= 3x numpy];
           STREAM's copy kernel is bench/stream_copy.c, built and run here
  pi       Monte Carlo pi [faster than numexpr and numpy by 4x; >= 0.8 of
           the rate of bench/philox_limit.c, a standalone Philox4x32-10
           loop drawing the same doubles on every core, built and run here,
           whose count must give Mars's pi exactly]
  matmul   n x n f64 matmul [within 10% of one OpenBLAS call]
  shared   d = a - b read by three reductions (multi-consumer fusion)
  rownorm  sqrt((x ** 2).sum(axis=1)) of a stored n x 3 array (the sum is
           an inner reduction: one kernel reads each row once)
  std      (a.dot(a.T) - a).std() [as fast as numpy, half its peak memory]
  sqdiff   sum((a - b) ** 2) of two stored f64 arrays larger than the cache
           [>= 90% of STREAM read bandwidth at 16 B/element]; the read
           reference is bench/stream_copy.c's `read` mode (the sum of one
           array), built and run here

Usage: bench/cpu_kernels.py [--mars-run build/bin/mars-run] [--repeat 5]
                            [--only add_mul,pi,...] [--json FILE] [--quick]
Dependencies: scripts/install-deps.sh --bench
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

try:
    import numexpr as ne
except ImportError:  # reported in the table
    ne = None
try:
    import dask.array as da
except ImportError:
    da = None


def median_time(fn, repeat):
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run_child(cmd):
    """Runs `cmd`; returns (exit status, stdout, stderr, peak RSS in bytes)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (proc.returncode, out.read().decode(), err.read().decode(),
                usage.ru_maxrss * 1024)


def run_mars(mars_run, prog, args, repeat, cache):
    """Mars's figures, measured as numpy's are: one process executes the
    program 1 + `repeat` times (--repeat); the first execution (cold memory,
    kernels loaded) is reported apart, the others by their median. Returns
    (median execute s, kernel s of the last execution, cold execute s, peak
    RSS bytes)."""
    cmd = [mars_run, prog, "--engine=compiled", "--quiet", "--stats=-",
           f"--kernel-cache={cache}", f"--repeat={repeat + 1}"] + args
    run_child(cmd)  # compiles the kernels into the cache
    code, out, err, rss = run_child(cmd)
    if code != 0:
        raise RuntimeError(f"mars-run failed: {err}")
    stats = json.loads(out)
    runs = stats["executions"]
    # mars-run's own VmHWM: the child's ru_maxrss would include this
    # process's peak, which the child had before exec.
    return (statistics.median(runs[1:]), stats["kernel_seconds"], runs[0],
            stats["peak_rss_bytes"])


def peak_rss_of(code):
    """Peak RSS (bytes) of a fresh python3 running `code`: its VmHWM, which
    starts anew at exec (its ru_maxrss would include this process's)."""
    code += ("\nprint([l for l in open('/proc/self/status')"
             " if l.startswith('VmHWM:')][0].split()[1])")
    status, out, err, _ = run_child([sys.executable, "-c", code])
    if status != 0:
        raise RuntimeError(err)
    return int(out.split()[-1]) * 1024


def stream_copy_time(n, repeat, work, mode="copy"):
    """Median seconds of STREAM's copy kernel on `n` doubles, built from
    bench/stream_copy.c as STREAM is (cc -O2 -fopenmp); mode "read": the sum
    of one array, vectorised for this CPU (-march=native: a sum in SSE2
    alone is bound by its adds, not by memory). None without a C
    compiler."""
    exe = os.path.join(work, "stream_" + mode)
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stream_copy.c")
    try:
        subprocess.run(["cc", "-O2", "-fopenmp", src, "-o", exe] +
                       (["-march=native"] if mode == "read" else []),
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"  (STREAM copy not built: {e})")
        return None
    out = subprocess.run([exe, str(n), str(repeat)] +
                         (["read"] if mode == "read" else []), check=True,
                         capture_output=True, text=True).stdout
    return float(out)


def philox_limit(n, seed, repeat, work):
    """The limit of Monte Carlo pi: (median seconds, points inside) of
    bench/philox_limit.c, a standalone Philox4x32-10 loop drawing Mars's
    doubles on every core; None without a C compiler."""
    exe = os.path.join(work, "philox_limit")
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "philox_limit.c")
    try:
        subprocess.run(["cc", "-O3", "-march=native", "-ffp-contract=off",
                        "-fno-math-errno", "-fopenmp", src, "-o", exe, "-lm"],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"  (the Philox limit was not built: {e})")
        return None
    out = subprocess.run([exe, str(n), str(seed), str(repeat)], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1])


def bench_add_mul(args, work, cache):
    n = 5_000_000 if args.quick else 40_000_000
    a = np.random.default_rng(0).random(n)
    path = os.path.join(work, "a.npy")
    np.save(path, a)
    prog = os.path.join(work, "add_mul.mlir")
    with open(prog, "w") as f:
        f.write(f"""func.func @main(%a: tensor<{n}xf64>) -> tensor<{n}xf64> {{
  %one = mars.full(1.0) : tensor<f64>
  %two = mars.full(2.0) : tensor<f64>
  %b = mars.add %a, %one : (tensor<{n}xf64>, tensor<f64>) -> tensor<{n}xf64>
  %c = mars.mul %b, %two : (tensor<{n}xf64>, tensor<f64>) -> tensor<{n}xf64>
  return %c : tensor<{n}xf64>
}}
""")
    bytes_moved = 16 * n
    rows = []
    out = np.empty_like(a)
    t_copy = median_time(lambda: np.copyto(out, a), args.repeat)
    rows.append(("numpy copy (1 thread, bandwidth reference)", t_copy))
    t_stream = stream_copy_time(n, args.repeat, work)
    if t_stream:
        rows.append((f"STREAM copy (C, {os.cpu_count()} threads)", t_stream))
    t_np = median_time(lambda: (a + 1) * 2, args.repeat)
    rows.append(("numpy (a+1)*2", t_np))
    if ne:
        t_ne = median_time(lambda: ne.evaluate("(a + 1) * 2", local_dict={"a": a}), args.repeat)
        rows.append(("numexpr (a+1)*2", t_ne))
    if da:
        x = da.from_array(a, chunks=n // 8)
        t_da = median_time(lambda: ((x + 1) * 2).compute(), args.repeat)
        rows.append(("dask.array (a+1)*2", t_da))
    t_exec, t_kernel, t_cold, rss = run_mars(
        args.mars_run, prog, [f"--arg=0={path}"], args.repeat, cache)
    rows.append(("mars compiled: kernels only", t_kernel))
    rows.append(("mars compiled: whole execution", t_exec))
    rows.append(("mars compiled: first execution (cold)", t_cold))
    print(f"\n== add_mul: (a + 1) * 2, {n} f64 ({bytes_moved / 1e9:.2f} GB moved)")
    result = {"n": n, "mars_peak_rss": rss}
    if t_stream:
        print(f"  mars whole execution: {t_stream / t_exec * 100:.0f}% of STREAM"
              f" copy's bandwidth, {t_np / t_exec:.2f}x numpy's speed")
    for name, t in rows:
        print(f"  {name:45s} {t * 1e3:9.1f} ms  {bytes_moved / t / 1e9:6.1f} GB/s"
              f"  numpy/this {t_np / t:5.2f}x")
        result[name] = t
    return result


def pi_program(n):
    return f"""func.func @main() -> tensor<f64> {{
  %points = mars.random_uniform seed = 2018, low = -1.0, high = 1.0 : tensor<{n}x2xf64>
  %sq = mars.square %points : tensor<{n}x2xf64>
  %r2 = mars.sum %sq axes = [1] : tensor<{n}x2xf64> -> tensor<{n}xf64>
  %r = mars.sqrt %r2 : tensor<{n}xf64>
  %one = mars.full(1.0) : tensor<f64>
  %inside = mars.lt %r, %one : (tensor<{n}xf64>, tensor<f64>) -> tensor<{n}xi1>
  %count = mars.sum %inside : tensor<{n}xi1> -> tensor<i64>
  %countf = mars.cast %count : (tensor<i64>) -> tensor<f64>
  %four = mars.full(4.0) : tensor<f64>
  %scaled = mars.mul %countf, %four : tensor<f64>
  %total = mars.full({float(n)}) : tensor<f64>
  %pi = mars.div %scaled, %total : tensor<f64>
  return %pi : tensor<f64>
}}
"""


def bench_pi(args, work, cache):
    n = 10_000_000 if args.quick else 100_000_000
    prog = os.path.join(work, "pi.mlir")
    with open(prog, "w") as f:
        f.write(pi_program(n))
    block = 1_000_000

    def numpy_pi():
        rng = np.random.default_rng(1)
        inside = 0
        for _ in range(n // block):
            x = rng.random((block, 2)) * 2 - 1
            inside += int((np.sqrt((x ** 2).sum(axis=1)) < 1).sum())
        return 4 * inside / n

    def numexpr_pi():
        rng = np.random.default_rng(1)
        inside = 0
        for _ in range(n // block):
            x = rng.random((block, 2))
            x0, x1 = x[:, 0], x[:, 1]
            inside += int(ne.evaluate(
                "sum(where(sqrt((x0*2-1)**2 + (x1*2-1)**2) < 1, 1, 0))",
                local_dict={"x0": x0, "x1": x1}))
        return 4 * inside / n

    rows = []
    repeat = max(1, args.repeat // 2)
    t_np = median_time(numpy_pi, repeat)
    rows.append(("numpy (1 process, 1e6-point blocks)", t_np))
    if ne:
        rows.append(("numexpr (numpy random + numexpr)",
                     median_time(numexpr_pi, repeat)))
    t_exec, t_kernel, t_cold, rss = run_mars(args.mars_run, prog, [], repeat,
                                             cache)
    rows.append(("mars compiled: kernels only", t_kernel))
    rows.append(("mars compiled: whole execution", t_exec))
    rows.append(("mars compiled: first execution (cold)", t_cold))
    limit = philox_limit(n, 2018, repeat, work)
    if limit:
        rows.append(("Philox limit (bench/philox_limit.c)", limit[0]))
    print(f"\n== pi: Monte Carlo pi, {n} points")
    for name, t in rows:
        print(f"  {name:45s} {t * 1e3:9.1f} ms  {n / t / 1e6:8.1f} Mpoints/s"
              f"  numpy/this {t_np / t:5.2f}x")
    print(f"  mars peak RSS {rss / 2**20:.0f} MiB")
    result = {"n": n, "mars_peak_rss": rss, **{name: t for name, t in rows}}
    if limit:
        # The limit draws Mars's doubles: its count is Mars's pi exactly.
        code, out, err, _ = run_child([args.mars_run, prog, "--engine=compiled",
                                       f"--kernel-cache={cache}"])
        same = code == 0 and float(out.split()[-1]) == 4.0 * limit[1] / n
        print(f"  mars whole execution: {limit[0] / t_exec:.2f} of the Philox"
              f" limit's rate (goal >= 0.8); same pi: {same}")
        result["philox_fraction"] = limit[0] / t_exec
        result["same_pi"] = same
    return result


def bench_matmul(args, work, cache):
    n = 1000 if args.quick else 4000
    rng = np.random.default_rng(2)
    a, b = rng.random((n, n)), rng.random((n, n))
    pa, pb = os.path.join(work, "ma.npy"), os.path.join(work, "mb.npy")
    np.save(pa, a)
    np.save(pb, b)
    prog = os.path.join(work, "matmul.mlir")
    t = f"tensor<{n}x{n}xf64>"
    with open(prog, "w") as f:
        f.write(f"""func.func @main(%a: {t}, %b: {t}) -> {t} {{
  %c = mars.matmul %a, %b : {t}, {t} -> {t}
  return %c : {t}
}}
""")
    flops = 2 * n ** 3
    t_np = median_time(lambda: a @ b, args.repeat)
    t_exec, t_kernel, t_cold, rss = run_mars(
        args.mars_run, prog, [f"--arg=0={pa}", f"--arg=1={pb}"], args.repeat,
        cache)
    print(f"\n== matmul: {n}x{n} f64")
    rows = [("numpy a @ b (one OpenBLAS dgemm)", t_np),
            ("mars compiled: BLAS calls only", t_kernel),
            ("mars compiled: whole execution", t_exec)]
    for name, tt in rows:
        print(f"  {name:45s} {tt * 1e3:9.1f} ms  {flops / tt / 1e9:6.1f} GFLOP/s"
              f"  numpy/this {t_np / tt:5.2f}x")
    return {"n": n, **{name: tt for name, tt in rows}}


def bench_shared(args, work, cache):
    n = 2_000_000 if args.quick else 20_000_000
    rng = np.random.default_rng(1)
    a, b = rng.random(n), rng.random(n)
    pa, pb = os.path.join(work, "sha.npy"), os.path.join(work, "shb.npy")
    np.save(pa, a)
    np.save(pb, b)
    t = f"tensor<{n}xf64>"
    prog = os.path.join(work, "shared.mlir")
    with open(prog, "w") as f:
        f.write(f"""func.func @main(%a: {t}, %b: {t}) -> (tensor<f64>, tensor<f64>, tensor<f64>) {{
  %d = mars.sub %a, %b : {t}
  %sq = mars.mul %d, %d : {t}
  %s = mars.sum %sq : {t} -> tensor<f64>
  %ad = mars.abs %d : {t}
  %m = mars.max %ad : {t} -> tensor<f64>
  %mn = mars.mean %d : {t} -> tensor<f64>
  return %s, %m, %mn : tensor<f64>, tensor<f64>, tensor<f64>
}}
""")

    def numpy_shared():
        d = a - b
        return (d * d).sum(), np.abs(d).max(), d.mean()

    rows = [("numpy", median_time(numpy_shared, args.repeat))]
    if ne:
        def numexpr_shared():
            d = ne.evaluate("a - b", local_dict={"a": a, "b": b})
            return (ne.evaluate("sum(d * d)", local_dict={"d": d}),
                    np.abs(d).max(),
                    ne.evaluate("sum(d)", local_dict={"d": d}) / n)
        rows.append(("numexpr (numpy for the max)",
                     median_time(numexpr_shared, args.repeat)))
    if da:
        x, y = da.from_array(a, chunks=n // 8), da.from_array(b, chunks=n // 8)

        def dask_shared():
            d = x - y
            return da.compute((d * d).sum(), abs(d).max(), d.mean())
        rows.append(("dask.array (one graph)", median_time(dask_shared, args.repeat)))
    t_exec, _, _, rss = run_mars(args.mars_run, prog,
                                 [f"--arg=0={pa}", f"--arg=1={pb}"], args.repeat,
                                 cache)
    rows.append(("mars compiled: whole execution", t_exec))
    t_np = rows[0][1]
    print(f"\n== shared: d = a - b; sum(d*d), max(|d|), mean(d); {n} f64")
    for name, tt in rows:
        print(f"  {name:45s} {tt * 1e3:9.1f} ms  numpy/this {t_np / tt:5.2f}x")
    print(f"  mars peak RSS {rss / 2**20:.0f} MiB (the inputs: "
          f"{2 * 8 * n / 2**20:.0f} MiB)")
    return {"n": n, "mars_peak_rss": rss, **{name: tt for name, tt in rows}}


def bench_rownorm(args, work, cache):
    n = 2_000_000 if args.quick else 20_000_000
    x = np.random.default_rng(2).random((n, 3))
    path = os.path.join(work, "points.npy")
    np.save(path, x)
    t, r = f"tensor<{n}x3xf64>", f"tensor<{n}xf64>"
    prog = os.path.join(work, "rownorm.mlir")
    with open(prog, "w") as f:
        f.write(f"""func.func @main(%x: {t}) -> {r} {{
  %sq = mars.square %x : {t}
  %s = mars.sum %sq axes = [1] : {t} -> {r}
  %n = mars.sqrt %s : {r}
  return %n : {r}
}}
""")
    rows = [("numpy", median_time(lambda: np.sqrt((x ** 2).sum(axis=1)),
                                  args.repeat))]
    if ne:
        c0, c1, c2 = x[:, 0], x[:, 1], x[:, 2]
        rows.append(("numexpr (strided columns)", median_time(
            lambda: ne.evaluate("sqrt(c0**2 + c1**2 + c2**2)",
                                local_dict={"c0": c0, "c1": c1, "c2": c2}),
            args.repeat)))
    if da:
        dx = da.from_array(x, chunks=(n // 8, 3))
        rows.append(("dask.array", median_time(
            lambda: da.sqrt((dx ** 2).sum(axis=1)).compute(), args.repeat)))
    t_exec, t_kernel, t_cold, rss = run_mars(
        args.mars_run, prog, [f"--arg=0={path}"], args.repeat, cache)
    rows.append(("mars compiled: whole execution", t_exec))
    rows.append(("mars compiled: kernels only", t_kernel))
    t_np = rows[0][1]
    moved = 8 * 4 * n  # 3 doubles read, 1 written per row
    print(f"\n== rownorm: sqrt((x ** 2).sum(axis=1)), x {n}x3 f64 "
          f"(inner reduction of a stored value)")
    for name, tt in rows:
        print(f"  {name:45s} {tt * 1e3:9.1f} ms  {moved / tt / 1e9:6.1f} GB/s"
              f"  numpy/this {t_np / tt:5.2f}x")
    print(f"  mars cold first execution {t_cold * 1e3:.1f} ms; "
          f"peak RSS {rss / 2**20:.0f} MiB (x: {24 * n / 2**20:.0f} MiB)")
    return {"n": n, "mars_peak_rss": rss, **{name: tt for name, tt in rows}}


def bench_std(args, work, cache):
    n = 1000 if args.quick else 8000
    a = np.random.default_rng(3).random((n, n))
    path = os.path.join(work, "sa.npy")
    np.save(path, a)
    t = f"tensor<{n}x{n}xf64>"
    prog = os.path.join(work, "std.mlir")
    with open(prog, "w") as f:
        f.write(f"""func.func @main(%a: {t}) -> tensor<f64> {{
  %at = mars.transpose %a perm = [1, 0] : {t} -> {t}
  %p = mars.matmul %a, %at : {t}, {t} -> {t}
  %d = mars.sub %p, %a : {t}
  %s = mars.std %d : {t} -> tensor<f64>
  return %s : tensor<f64>
}}
""")
    repeat = max(1, args.repeat // 2)
    t_np = median_time(lambda: (a.dot(a.T) - a).std(), repeat)
    np_rss = peak_rss_of(
        f"import numpy as np; a = np.load({path!r}); (a.dot(a.T) - a).std()")
    t_exec, t_kernel, t_cold, rss = run_mars(
        args.mars_run, prog, [f"--arg=0={path}"], repeat, cache)
    print(f"\n== std: (a.dot(a.T) - a).std(), n={n}")
    print(f"  {'numpy':45s} {t_np * 1e3:9.1f} ms  peak RSS {np_rss / 2**20:.0f} MiB")
    print(f"  {'mars compiled: whole execution':45s} {t_exec * 1e3:9.1f} ms"
          f"  peak RSS {rss / 2**20:.0f} MiB  numpy/this {t_np / t_exec:5.2f}x")
    return {"n": n, "numpy": t_np, "numpy_peak_rss": np_rss,
            "mars": t_exec, "mars_peak_rss": rss}


def bench_sqdiff(args, work, cache):
    n = 5_000_000 if args.quick else 20_000_000
    rng = np.random.default_rng(4)
    a, b = rng.random(n), rng.random(n)
    pa, pb = os.path.join(work, "qa.npy"), os.path.join(work, "qb.npy")
    np.save(pa, a)
    np.save(pb, b)
    t = f"tensor<{n}xf64>"
    prog = os.path.join(work, "sqdiff.mlir")
    with open(prog, "w") as f:
        f.write(f"""func.func @main(%a: {t}, %b: {t}) -> tensor<f64> {{
  %d = mars.sub %a, %b : {t}
  %q = mars.square %d : {t}
  %s = mars.sum %q : {t} -> tensor<f64>
  return %s : tensor<f64>
}}
""")
    bytes_read = 16 * n
    rows = []
    t_read = stream_copy_time(n, args.repeat, work, mode="read")
    if t_read:
        # The sum of one array reads 8 bytes an element.
        rows.append((f"STREAM read: sum(a) (C, {os.cpu_count()} threads)",
                     t_read * 2))
    t_np = median_time(lambda: ((a - b) ** 2).sum(), args.repeat)
    rows.append(("numpy ((a-b)**2).sum()", t_np))
    if ne:
        rows.append(("numexpr sum((a-b)**2)", median_time(
            lambda: ne.evaluate("sum((a - b) ** 2)",
                                local_dict={"a": a, "b": b}), args.repeat)))
    if da:
        x = da.from_array(a, chunks=n // 8)
        y = da.from_array(b, chunks=n // 8)
        rows.append(("dask.array ((a-b)**2).sum()", median_time(
            lambda: ((x - y) ** 2).sum().compute(), args.repeat)))
    t_exec, t_kernel, t_cold, rss = run_mars(
        args.mars_run, prog, [f"--arg=0={pa}", f"--arg=1={pb}"], args.repeat,
        cache)
    rows.append(("mars compiled: kernels only", t_kernel))
    rows.append(("mars compiled: whole execution", t_exec))
    rows.append(("mars compiled: first execution (cold)", t_cold))
    print(f"\n== sqdiff: sum((a - b) ** 2), {n} f64 ({bytes_read / 1e9:.2f} "
          f"GB read)")
    result = {"n": n, "mars_peak_rss": rss}
    if t_read:
        print(f"  mars whole execution: {t_read * 2 / t_exec * 100:.0f}% of "
              f"STREAM read bandwidth (the 16 bytes an element at sum(a)'s "
              f"rate), {t_np / t_exec:.2f}x numpy's speed")
    for name, tt in rows:
        print(f"  {name:45s} {tt * 1e3:9.1f} ms  {bytes_read / tt / 1e9:6.1f} "
              f"GB/s  numpy/this {t_np / tt:5.2f}x")
        result[name] = tt
    return result


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--mars-run",
                    default=os.path.join(here, "..", "build", "bin", "mars-run"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only",
                    default="add_mul,pi,matmul,shared,rownorm,std,sqdiff")
    ap.add_argument("--json")
    ap.add_argument("--quick", action="store_true",
                    help="small sizes, to check that the script works")
    args = ap.parse_args()
    benches = {"add_mul": bench_add_mul, "pi": bench_pi,
               "matmul": bench_matmul, "shared": bench_shared,
               "rownorm": bench_rownorm, "std": bench_std,
               "sqdiff": bench_sqdiff}
    print(f"cpu_kernels: numpy {np.__version__}, numexpr "
          f"{ne.__version__ if ne else 'missing'}, dask "
          f"{__import__('dask').__version__ if da else 'missing'}, "
          f"{os.cpu_count()} cores", flush=True)
    results = {}
    with tempfile.TemporaryDirectory(prefix="mars-bench-") as work:
        cache = os.path.join(work, "kernels")
        for name in args.only.split(","):
            results[name] = benches[name](args, work, cache)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
