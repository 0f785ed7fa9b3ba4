#!/usr/bin/python3
"""The local runtime on the seed's workloads, beside numpy, numexpr and dask.

Mars runs through `mars-run` as a child process; its figures come from
`--stats` (execution seconds, tasks, peak chunk memory, bytes spilled) and the
child's ru_maxrss. Peers run in this script, on the same machine, in the same
run.

Workloads (the issue's targets in brackets):
  tasks    10^6 trivial chunk tasks: scheduler overhead per task [< 5 us]
  pi       Monte Carlo pi, 10^9 points (10^10 with --full, the seed's 150 GB
           case) [peak RSS < 64 MB; points/s per core beside numpy's; >= 0.8
           of bench/philox_limit.c's rate (cpu_kernels.py)]
  bigfile  (a+1)*2, a loaded from a 16 GB .npy, the result saved to .npy,
           --memory-limit 2GB [within 1.5x of the disk's sequential
           read+write time (dd); peak RSS < 2.2 GB; dask.array beside it]
  dotstd   (a.dot(a.T) - a).std(), n=40000 (12.8 GB), --memory-limit 6GB
           [>= 0.9 of the in-memory symmetric product's rate: numpy's
           a.dot(a.T) (OpenBLAS's syrk) at n=8000 in the same run]; its
           answer is checked first at n=2000 against numpy in long double

Usage: bench/local_runtime.py [--mars-run build/bin/mars-run]
         [--only tasks,pi,bigfile,dotstd] [--full] [--bigfile-gb 16]
         [--dotstd-n 40000] [--dotstd-limit 6GB] [--work DIR] [--json FILE]
Dependencies: scripts/install-deps.sh --bench
"""

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cpu_kernels import philox_limit, pi_program, run_child  # noqa: E402

try:
    import numexpr as ne
except ImportError:
    ne = None
try:
    import dask.array as da
except ImportError:
    da = None


def mars(args, prog, extra, cache):
    """Runs `prog`; returns (wall seconds, stats, peak RSS bytes, stdout).

    Peak RSS is mars-run's own VmHWM (--stats): the child's ru_maxrss would
    include this Python process's, which the child had before exec."""
    cmd = [args.mars_run, prog, "--stats=-", "--progress=never",
           f"--kernel-cache={cache}"] + extra
    t0 = time.perf_counter()
    code, out, err, _ = run_child(cmd)
    wall = time.perf_counter() - t0
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {err}")
    # --stats=- prints the JSON object before the results.
    stats, end = json.JSONDecoder().raw_decode(out)
    return wall, stats, stats["peak_rss_bytes"], out[end:].strip()


def fmt_bytes(b):
    return f"{b / 2**20:.0f} MiB" if b < 2**30 else f"{b / 2**30:.2f} GiB"


#===------------------------------------------------------------------------===#
# 10^6 trivial tasks
#===------------------------------------------------------------------------===#

def bench_tasks(args, work, cache):
    n = 1_000_000
    prog = os.path.join(work, "tasks.mlir")
    with open(prog, "w") as f:
        f.write(f"""func.func @main() -> tensor<f64> {{
  %a = mars.zeros : tensor<{n}xf64>
  %one = mars.full(1.0) : tensor<f64>
  %b = mars.add %a, %one : (tensor<{n}xf64>, tensor<f64>) -> tensor<{n}xf64>
  %s = mars.sum %b : tensor<{n}xf64> -> tensor<f64>
  return %s : tensor<f64>
}}
""")
    print(f"\n== tasks: zeros -> add -> sum over {n} one-element chunks")
    result = {}
    for threads in (1, 2):
        _, st, rss, text = mars(args, prog, [
            "--engine=chunked", "--fuse=false", "--chunks=1",
            f"--threads={threads}", "--repeat=2"], cache)
        assert float(text.strip()) == n, text
        secs = min(st["executions"])
        per = secs / st["tasks"] * 1e6
        print(f"  threads={threads}: {st['tasks']} tasks in {secs:.2f} s: "
              f"{per:.2f} us per task (reference kernels on 1 element "
              f"included), peak RSS {fmt_bytes(rss)}")
        result[f"threads{threads}_us_per_task"] = per
        result["tasks"] = st["tasks"]
    return result


#===------------------------------------------------------------------------===#
# Monte Carlo pi
#===------------------------------------------------------------------------===#

def _numpy_pi_block(args):
    seed, blocks, block = args
    rng = np.random.default_rng(seed)
    inside = 0
    for _ in range(blocks):
        x = rng.random((block, 2)) * 2 - 1
        inside += int((np.sqrt((x ** 2).sum(axis=1)) < 1).sum())
    return inside


def bench_pi(args, work, cache):
    n_peer = 1_000_000_000 // (10 if args.quick else 1)
    ns = [n_peer] + ([10_000_000_000] if args.full else [])
    block = 10_000_000
    rows = []
    cores = os.cpu_count() or 1
    t0 = time.perf_counter()
    with multiprocessing.Pool(cores) as pool:
        per = n_peer // block // cores
        inside = sum(pool.map(_numpy_pi_block,
                              [(s, per, block) for s in range(cores)]))
    t_np = time.perf_counter() - t0
    rows.append((f"numpy, {cores} processes, {block:.0e}-point blocks",
                 n_peer, t_np, None))
    if ne:
        rng = np.random.default_rng(1)
        t0 = time.perf_counter()
        for _ in range(n_peer // block):
            x = rng.random((block, 2))
            x0, x1 = x[:, 0], x[:, 1]
            ne.evaluate("sum(where(sqrt((x0*2-1)**2 + (x1*2-1)**2) < 1, 1, 0))",
                        local_dict={"x0": x0, "x1": x1})
        rows.append(("numexpr (numpy random + numexpr)", n_peer,
                     time.perf_counter() - t0, None))
    result = {}
    for n in ns:
        prog = os.path.join(work, f"pi{n}.mlir")
        with open(prog, "w") as f:
            f.write(pi_program(n))
        mars(args, prog, ["--engine=compiled", "--quiet"], cache)  # compile
        _, st, rss, out = mars(args, prog, ["--engine=compiled"], cache)
        rows.append((f"mars compiled, {n:.0e} points", n,
                     st["executions"][0], rss))
        result[f"mars_{n}"] = {"seconds": st["executions"][0],
                               "peak_rss": rss, "tasks": st["tasks"]}
        # The limit: the same doubles from a standalone Philox loop, whose
        # count must give Mars's pi exactly.
        limit = philox_limit(n, 2018, 1, work)
        if limit:
            rows.append((f"Philox limit (bench/philox_limit.c), {n:.0e}", n,
                         limit[0], None))
            result[f"mars_{n}"]["philox_fraction"] = \
                limit[0] / st["executions"][0]
            result[f"mars_{n}"]["same_pi"] = \
                float(out.split()[-1]) == 4.0 * limit[1] / n
    print(f"\n== pi: Monte Carlo pi ({cores} cores)")
    for name, n, t, rss in rows:
        extra = f"  peak RSS {fmt_bytes(rss)}" if rss else ""
        print(f"  {name:45s} {t:8.2f} s  {n / t / 1e6:7.1f} Mpoints/s "
              f"({n / t / cores / 1e6:6.1f} per core)  "
              f"{(n / t) / (n_peer / t_np):5.2f}x numpy{extra}")
        result[name] = t
    for n in ns:
        r = result[f"mars_{n}"]
        if "philox_fraction" in r:
            print(f"  mars at {n:.0e} points: {r['philox_fraction']:.2f} of the"
                  f" Philox limit's rate (goal >= 0.8); same pi: "
                  f"{r['same_pi']}")
    return result


#===------------------------------------------------------------------------===#
# (a+1)*2 on a file larger than the memory limit
#===------------------------------------------------------------------------===#

def dd_seconds(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0


def drop_caches():
    """Writes dirty pages out and drops the page cache (root), so that
    reads come from the disk; returns whether it could."""
    os.sync()
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def bench_bigfile(args, work, cache):
    gb = args.bigfile_gb
    n = int(gb * 1e9) // 8
    rows_, cols = n // 10000, 10000
    n = rows_ * cols
    src = os.path.join(work, "big.npy")
    dst = os.path.join(work, "big_out.npy")
    print(f"\n== bigfile: (a+1)*2 on a {gb} GB .npy, --memory-limit 2GB")
    a = np.lib.format.open_memmap(src, mode="w+", dtype=np.float64,
                                  shape=(rows_, cols))
    step = 10000
    for r in range(0, rows_, step):
        a[r:r + step] = np.arange(r * cols, min(r + step, rows_) * cols,
                                  dtype=np.float64).reshape(-1, cols)
    a.flush()
    del a
    nbytes = n * 8
    cached = not drop_caches()
    probe = os.path.join(work, "dd.bin")
    t_w = dd_seconds(["dd", "if=/dev/zero", f"of={probe}", "bs=16M",
                      f"count={nbytes // (16 << 20)}", "oflag=direct"])
    t_r = dd_seconds(["dd", f"if={probe}", "of=/dev/null", "bs=16M",
                      "iflag=direct"])
    os.remove(probe)
    disk = t_r + t_w
    print(f"  dd: read {nbytes / t_r / 1e9:.2f} GB/s, write "
          f"{nbytes / t_w / 1e9:.2f} GB/s (O_DIRECT): read+write of the "
          f"array {disk:.1f} s")
    prog = os.path.join(work, "big.mlir")
    ty = f"tensor<{rows_}x{cols}xf64>"
    with open(prog, "w") as f:
        f.write(f"""func.func @main() {{
  %a = mars.load "{src}" : {ty}
  %one = mars.full(1.0) : tensor<f64>
  %two = mars.full(2.0) : tensor<f64>
  %b = mars.add %a, %one : ({ty}, tensor<f64>) -> {ty}
  %c = mars.mul %b, %two : ({ty}, tensor<f64>) -> {ty}
  mars.save %c, "{dst}" : {ty}
  return
}}
""")
    result = {"bytes": nbytes, "dd_seconds": disk}
    drop_caches()
    wall, st, rss, _ = mars(args, prog, ["--engine=compiled",
                                         "--memory-limit=2GB"], cache)
    check = np.load(dst, mmap_mode="r")
    assert check[rows_ - 1, cols - 1] == (n - 1 + 1) * 2 and check[0, 0] == 2
    del check
    t = st["executions"][0]
    print(f"  mars compiled: {t:7.1f} s ({2 * nbytes / t / 1e9:.2f} GB/s "
          f"in+out), {t / disk:.2f}x the dd time, peak RSS {fmt_bytes(rss)}, "
          f"peak chunk memory {fmt_bytes(st['peak_memory_bytes'])}, "
          f"{st['tasks']} tasks")
    result["mars"] = {"seconds": t, "peak_rss": rss}
    os.remove(dst)
    if da:
        drop_caches()
        code = f"""
import numpy as np, dask, dask.array as da, time
a = np.load({src!r}, mmap_mode="r")
x = da.from_array(a, chunks=(2000, {cols}))
out = np.lib.format.open_memmap({dst!r}, mode="w+", dtype=np.float64,
                                shape=a.shape)
t0 = time.perf_counter()
da.store((x + 1) * 2, out, lock=False)
out.flush()
print(time.perf_counter() - t0)
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")]
print(int(hwm[0].split()[1]) * 1024)
"""
        status, out, err, _ = run_child([sys.executable, "-c", code])
        if status == 0:
            td, drss = float(out.split()[0]), int(out.split()[1])
            print(f"  dask.array (threads, 160 MB chunks, memmap in/out): "
                  f"{td:7.1f} s ({2 * nbytes / td / 1e9:.2f} GB/s), "
                  f"peak RSS {fmt_bytes(drss)} (memmapped pages count)")
            result["dask"] = {"seconds": td, "peak_rss": drss}
            print(f"  mars/dask time {t / td:.2f}x")
        else:
            print("  dask failed:", err.strip().splitlines()[-1:])
    print("  numpy, numexpr: cannot hold a 16 GB array plus its result in "
          "2 GB (not run)")
    if cached:
        print("  (page cache could not be dropped: figures include cached "
              "reads)")
    os.remove(src)
    if os.path.exists(dst):
        os.remove(dst)
    return result


#===------------------------------------------------------------------------===#
# (a.dot(a.T) - a).std()
#===------------------------------------------------------------------------===#

def dotstd_program(n, seed=11):
    ty = f"tensor<{n}x{n}xf64>"
    return f"""func.func @main() -> tensor<f64> {{
  %a = mars.random_uniform seed = {seed}, low = 0.0, high = 1.0 : {ty}
  %t = mars.transpose %a perm = [1, 0] : {ty} -> {ty}
  %p = mars.matmul %a, %t : {ty}, {ty} -> {ty}
  %d = mars.sub %p, %a : {ty}
  %s = mars.std %d : {ty} -> tensor<f64>
  return %s : tensor<f64>
}}
"""


def bench_dotstd(args, work, cache):
    print(f"\n== dotstd: (a.dot(a.T) - a).std()")
    # The answer first, at a size numpy holds, against long double.
    small = 2000
    prog = os.path.join(work, "dotstd_small.mlir")
    with open(prog, "w") as f:
        f.write(dotstd_program(small))
    _, _, _, text = mars(args, prog, ["--engine=compiled", "--chunk-bytes=4MB",
                                      "--memory-limit=64MB"], cache)
    got = float(text.strip().splitlines()[0])
    saved = os.path.join(work, "a_small.npy")
    mars_save = os.path.join(work, "save_small.mlir")
    with open(mars_save, "w") as f:
        f.write(f"""func.func @main() {{
  %a = mars.random_uniform seed = 11, low = 0.0, high = 1.0 : tensor<{small}x{small}xf64>
  mars.save %a, "{saved}" : tensor<{small}x{small}xf64>
  return
}}
""")
    mars(args, mars_save, ["--engine=compiled"], cache)
    a = np.load(saved).astype(np.longdouble)
    ref = float((a.dot(a.T) - a).std())
    rel = abs(got - ref) / ref
    print(f"  n={small}, 64 MB limit: mars {got!r}, long double {ref!r}, "
          f"relative error {rel:.1e}")
    assert rel < 1e-12, rel
    n = args.dotstd_n
    prog = os.path.join(work, "dotstd.mlir")
    with open(prog, "w") as f:
        f.write(dotstd_program(n))
    # The limit: the in-memory symmetric product (numpy's a.dot(a.T) is
    # OpenBLAS's syrk, n^3 flops), best of two, in this run.
    m = 8000
    b = np.random.default_rng(1).random((m, m))
    syrk = []
    for _ in range(2):
        start = time.perf_counter()
        b.dot(b.T)
        syrk.append(time.perf_counter() - start)
    del b
    gemm = m ** 3 / min(syrk)
    print(f"  numpy a.dot(a.T) at n={m}: {min(syrk):.2f} s = "
          f"{gemm / 1e9:.1f} GFLOP/s")
    wall, st, rss, text = mars(args, prog, [
        "--engine=compiled", f"--memory-limit={args.dotstd_limit}"], cache)
    t = st["executions"][0]
    flops = n ** 3  # half of 2n^3: the symmetric product computes half
    print(f"  n={n} ({n * n * 8 / 1e9:.1f} GB input), --memory-limit "
          f"{args.dotstd_limit}: {t:.1f} s, result "
          f"{text.strip().splitlines()[0]}; the n^3 flops of the symmetric "
          f"product at numpy's rate take {flops / gemm:.1f} s "
          f"(**{flops / gemm / t:.2f}** of that speed); peak RSS "
          f"{fmt_bytes(rss)}, spilled {fmt_bytes(st['bytes_spilled'])}, read "
          f"back {fmt_bytes(st['bytes_read_back'])}, made again "
          f"{fmt_bytes(st['bytes_recomputed'])} (the input is "
          f"{fmt_bytes(n * n * 8)})")
    return {"n": n, "seconds": t, "peak_rss": rss, "syrk_flops": gemm,
            "fraction_of_syrk": flops / gemm / t,
            "bytes_spilled": st["bytes_spilled"],
            "bytes_read_back": st["bytes_read_back"],
            "bytes_recomputed": st["bytes_recomputed"],
            "check_rel_error": rel}


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--mars-run",
                    default=os.path.join(here, "..", "build", "bin", "mars-run"))
    ap.add_argument("--only", default="tasks,pi,bigfile")
    ap.add_argument("--full", action="store_true",
                    help="pi with 10^10 points too")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--bigfile-gb", type=float, default=16)
    ap.add_argument("--dotstd-n", type=int, default=40000)
    ap.add_argument("--dotstd-limit", default="6GB")
    ap.add_argument("--work", default=None,
                    help="scratch directory (default: under /var/tmp)")
    ap.add_argument("--json")
    args = ap.parse_args()
    # Some machines set these for old OpenBLAS builds; they slow a current
    # one (numpy's and mars-run's alike). Both go together.
    os.environ.pop("OPENBLAS_CORETYPE", None)
    os.environ.pop("OPENBLAS_L2_SIZE", None)
    work = tempfile.mkdtemp(prefix="mars-bench-", dir=args.work or "/var/tmp")
    cache = os.path.join(work, "kernels")
    results = {}
    try:
        for name in args.only.split(","):
            results[name] = globals()[f"bench_{name}"](args, work, cache)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
