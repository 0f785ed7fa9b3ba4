#!/usr/bin/python3
"""Sparse matrices in mars.tensor against scipy.sparse, side by side.

Every workload runs on both in the same run, each timed as the median of
--repeat runs after a warm-up. Mars runs in this process through the Python
API (a local session, all cores); scipy is single-threaded, as it is.

Workloads (the issue's targets in brackets):
  spmv    y = A @ x, A n x n with `nnz/row` nonzeros per row at random
          columns [at least 1.5x scipy on 2 cores, at memory bandwidth;
          the issue's size is --n 1e7 --per-row 10]
  spmm    Y = A @ X with 32 dense columns
  eye     eye(n, sparse=True) @ X against the dense eye(n) @ X: peak memory
          of each (a child process per path, its VmHWM)

For SpMV and SpMM the table gives the bytes moved per second two ways:
touched once (A's arrays, x and y), and in cache lines (A's arrays, and a
64-byte line per stored element for the gather of x's row at a random
column, which a vector too large for the cache pays). STREAM read bandwidth
(bench/stream_copy.c's `read` mode, the sum of one array, 2 threads) is
measured in the same run as the limit they compare with.

Usage: bench/sparse_products.py [--n 1000000] [--per-row 10] [--repeat 5]
                       [--only spmv,spmm,eye] [--json FILE]
Dependencies: python3-numpy, python3-scipy; the package built in build/.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "build", "python"))

import mars  # noqa: E402
import mars.tensor as mt  # noqa: E402

from cpu_kernels import median_time, stream_copy_time  # noqa: E402


def random_csr(n, per_row, seed=0):
    """n x n, `per_row` nonzeros per row: one at a random column in each of
    `per_row` equal bins, so columns are distinct and increasing."""
    rng = np.random.default_rng(seed)
    width = n // per_row
    cols = (np.arange(per_row, dtype=np.int64) * width +
            rng.integers(0, width, size=(n, per_row)))
    indptr = np.arange(0, n * per_row + 1, per_row, dtype=np.int64)
    data = rng.random(n * per_row)
    return sp.csr_matrix((data, cols.ravel(), indptr), shape=(n, n))


def product(name, what, a, x, args, out):
    """a @ x on scipy and on Mars (a's rows in 8 chunks per core)."""
    want = a @ x
    t_scipy = median_time(lambda: a @ x, args.repeat)
    n = a.shape[0]
    chunk = max(1, n // (8 * os.cpu_count()))
    ta = mt.tensor(a, chunk_size=(chunk, a.shape[1]))
    tx = mt.tensor(x, chunk_size=x.shape)
    s = mars.new_session(default=False, small_elements=0)

    def run():
        y = ta @ tx
        y.execute(session=s)
        return y

    t_mars = median_time(run, args.repeat)
    np.testing.assert_allclose(run().fetch(), want, rtol=1e-12)
    arrays = a.data.nbytes + a.indices.nbytes + a.indptr.nbytes
    once = arrays + 2 * x.nbytes
    lines = arrays + a.nnz * max(64, x.strides[0]) + x.nbytes
    out.append((name, what % (n, n, a.nnz), t_scipy, t_mars, once, lines))


def spmv(args, out):
    a = random_csr(args.n, args.per_row)
    x = np.random.default_rng(1).random(args.n)
    product("spmv", "%dx%d, %d nnz", a, x, args, out)


def spmm(args, out):
    n = max(1000, args.n // 10)
    a = random_csr(n, args.per_row, seed=2)
    x = np.random.default_rng(3).random((n, 32))
    product("spmm", "%dx%d, %d nnz, 32 columns", a, x, args, out)


EYE_CHILD = r"""
import sys
sys.path.insert(0, sys.argv[1])
import numpy as np, mars, mars.tensor as mt
n, sparse = int(sys.argv[2]), sys.argv[3] == "sparse"
x = mt.ones((n, 8), chunk_size=(n // 8, 8))
y = mt.eye(n, sparse=sparse, chunk_size=(n // 8, n)) @ x
s = mars.new_session(default=False, small_elements=0)
y.execute(session=s)
assert (y.fetch() == 1).all()
with open("/proc/self/status") as f:
    print([l.split()[1] for l in f if l.startswith("VmHWM")][0])
"""


def eye(args, out):
    n = 20000
    peaks = {}
    for kind in ("sparse", "dense"):
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-c", EYE_CHILD,
                            os.path.join(HERE, "..", "build", "python"),
                            str(n), kind],
                           capture_output=True, text=True, check=True)
        peaks[kind] = (int(r.stdout.strip()) * 1024,
                       time.perf_counter() - t0)
    out.append(("eye", "eye(%d) @ ones((%d, 8))" % (n, n), peaks))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=float, default=1e6)
    p.add_argument("--per-row", type=int, default=10)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--only", default="spmv,spmm,eye")
    p.add_argument("--json")
    args = p.parse_args()
    args.n = int(args.n)
    rows = []
    for name in args.only.split(","):
        {"spmv": spmv, "spmm": spmm, "eye": eye}[name](args, rows)
    import tempfile
    with tempfile.TemporaryDirectory() as work:
        t_read = stream_copy_time(100_000_000, 5, work, mode="read")
    read_bw = 8e8 / t_read if t_read else None
    print("STREAM read (2 threads): %s" %
          ("%.1f GB/s" % (read_bw / 1e9) if read_bw else "not built"))
    print("%-5s %-36s %9s %9s %8s %10s %12s" % (
        "", "workload", "scipy s", "mars s", "speedup", "GB/s once",
        "GB/s lines"))
    report = []
    for row in rows:
        if row[0] == "eye":
            _, what, peaks = row
            print("%-5s %-36s peak RSS: sparse %.0f MB (%.1f s), dense "
                  "%.0f MB (%.1f s)" % ("eye", what, peaks["sparse"][0] / 1e6,
                                        peaks["sparse"][1],
                                        peaks["dense"][0] / 1e6,
                                        peaks["dense"][1]))
            report.append({"workload": "eye", "what": what,
                           "sparse_peak_bytes": peaks["sparse"][0],
                           "dense_peak_bytes": peaks["dense"][0]})
            continue
        name, what, ts, tm, once, lines = row
        print("%-5s %-36s %9.4f %9.4f %7.2fx %10.2f %12.2f" %
              (name, what, ts, tm, ts / tm, once / tm / 1e9,
               lines / tm / 1e9))
        report.append({"workload": name, "what": what, "scipy_s": ts,
                       "mars_s": tm, "speedup": ts / tm,
                       "mars_bytes_once_per_s": once / tm,
                       "mars_line_bytes_per_s": lines / tm,
                       "stream_read_bytes_per_s": read_bw})
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
