#!/usr/bin/env python3
"""A square system larger than the memory limit, solved by the tiled LU:

    a = mt.random.rand(n, n, chunk_size=tile) + n * eye
    x = mt.linalg.solve(a, b)          # b: n x 16
    residual = norm(a @ x - b) / (norm(a) * norm(x))

or (--op cholesky) of a + a.T, whose factor L is as large as a: the run
computes |L @ L[:256].T - a[:, :256]| / |a[:, :256]| (the first columns
of L L^T, a product of 2 n^2 256 flops, timed with the factorisation) so
that L is not held whole as a result; or (--op qr) numpy.linalg.qr's Q and
R by the blocked Householder QR, checked the same way by
|Q @ R[:, :256] - a[:, :256]| / |a[:, :256]|.

against numpy's in-memory LAPACK rate in the same run: numpy's solve (or
cholesky, qr) of a smaller matrix that fits (--numpy-n), as flops per second,
so the figure is "Mars out of core / numpy in memory". Issue 22's goal for
cholesky at n = 20000 under 2 GB (3.2 GB of input): at least half of the
in-memory rate. Prints one JSON object.

Usage:
    /usr/bin/python3 bench/linalg_out_of_core.py --n 20000 --memory-limit 2GB
        [--tile 2500] [--op solve|cholesky|qr] [--numpy-n 8000]

A run to measure by hand (minutes), not part of the test suite;
test/python/test_linalg_module.py checks the tiled paths at small sizes.
"""

import argparse
import json
import os
import resource
import sys
import time

import numpy as np


def flops(op, n):
    # getrf 2/3 n^3 (the 16 right-hand sides are noise), potrf 1/3 n^3,
    # geqrf 4/3 n^3 and orgqr as much again.
    return {"solve": 2.0, "cholesky": 1.0, "qr": 8.0}[op] / 3.0 * n ** 3


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=20000)
    p.add_argument("--tile", type=int, default=2500)
    p.add_argument("--memory-limit", default="2GB")
    p.add_argument("--op", choices=("solve", "cholesky", "qr"), default="solve")
    p.add_argument("--numpy-n", type=int, default=8000)
    p.add_argument("--spill-dir", default=None)
    p.add_argument("--build", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "build"))
    args = p.parse_args()
    sys.path.insert(0, os.path.join(args.build, "python"))
    import mars
    import mars.tensor as mt

    n, k = args.n, 16
    rng = np.random.default_rng(0)
    g = rng.random((args.numpy_n, args.numpy_n)) + args.numpy_n * np.eye(
        args.numpy_n)
    if args.op == "cholesky":
        g = g + g.T
    start = time.perf_counter()
    if args.op == "solve":
        np.linalg.solve(g, rng.random((args.numpy_n, k)))
    elif args.op == "qr":
        np.linalg.qr(g)
    else:
        np.linalg.cholesky(g)
    numpy_rate = flops(args.op, args.numpy_n) / (time.perf_counter() - start)
    del g

    session = mars.new_session(memory_limit=args.memory_limit,
                               spill_dir=args.spill_dir)
    a = mt.random.rand(n, n, chunk_size=args.tile)
    a = a + n * mt.eye(n, chunk_size=args.tile)
    if args.op == "cholesky":
        a = a + a.T
    b = mt.random.rand(n, k, chunk_size=(args.tile, k))
    start = time.perf_counter()
    if args.op == "solve":
        x = mt.linalg.solve(a, b)
        session.execute(x)
        seconds = time.perf_counter() - start
        report = session.last_report()
        check = mt.linalg.norm(a @ x - b) / (mt.linalg.norm(a) *
                                             mt.linalg.norm(x))
    elif args.op == "qr":
        (q, r), c = mt.linalg.qr(a), min(n, 256)
        check = mt.linalg.norm(q @ r[:, :c] - a[:, :c]) / \
            mt.linalg.norm(a[:, :c])
        session.execute(check)
        seconds = time.perf_counter() - start
        report = session.last_report()
    else:
        low, c = mt.linalg.cholesky(a), min(n, 256)
        check = mt.linalg.norm(low @ low[:c].T - a[:, :c]) / \
            mt.linalg.norm(a[:, :c])
        session.execute(check)
        seconds = time.perf_counter() - start
        report = session.last_report()
    value = float(session.fetch(check))
    rate = flops(args.op, n) / seconds
    keys = ("bytes_spilled", "bytes_read_back", "recomputes",
            "bytes_recomputed", "peak_memory_bytes", "tasks")
    out = {"op": args.op, "n": n, "tile": args.tile,
           "memory_limit": args.memory_limit, "seconds": round(seconds, 1),
           "gflops": round(rate / 1e9, 1),
           "numpy_n": args.numpy_n,
           "numpy_gflops": round(numpy_rate / 1e9, 1),
           "ratio": round(rate / numpy_rate, 2),
           "relative_residual": value,
           "peak_rss_gb": round(resource.getrusage(
               resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)}
    out.update({k: report[k] for k in keys if k in report})
    print(json.dumps(out))
    return 0 if value < 1e-10 else 1


if __name__ == "__main__":
    sys.exit(main())
