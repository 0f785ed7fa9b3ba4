#!/usr/bin/env python3
"""The seed's headline workload on this machine: the SVD of a tall matrix of
random numbers (m x 32), the factors multiplied back and compared with the
original, under a memory limit.

    A = mt.random.rand(m, 32)
    U, s, V = mt.linalg.svd(A, full_matrices=False)
    err = mt.linalg.norm(U * s @ V - A) / mt.linalg.norm(A)

The seed ran m = 8e8 (205 GB of input) on 100 workers of 8 cores in 7
minutes. Prints the time, the relative error, the peak RSS of this process,
and what the local runtime spilled and made again, as one JSON object.

Usage:
    /usr/bin/python3 bench/seed_svd.py --rows 8e8 --memory-limit 4GB
        [--chunk-rows 1e6] [--spill-dir DIR] [--build build]

This is a run to measure by hand (m = 8e8 took 466 s on this 2-core VM), not
part of the test suite; test/python/test_linalg.py checks the same program
at small sizes.
"""

import argparse
import json
import os
import resource
import sys
import time


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rows", type=float, default=2e7)
    p.add_argument("--cols", type=int, default=32)
    p.add_argument("--memory-limit", default="4GB")
    p.add_argument("--chunk-rows", type=float, default=None,
                   help="rows per chunk (default: the session's chunk size)")
    p.add_argument("--spill-dir", default=None)
    p.add_argument("--progress", action="store_true",
                   help="the progress line on stderr")
    p.add_argument("--build", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "build"))
    args = p.parse_args()
    sys.path.insert(0, os.path.join(args.build, "python"))
    import mars
    import mars.tensor as mt

    m, n = int(args.rows), args.cols
    session = mars.new_session(memory_limit=args.memory_limit,
                               spill_dir=args.spill_dir,
                               show_progress=args.progress)
    chunks = None if args.chunk_rows is None else (int(args.chunk_rows), n)
    start = time.perf_counter()
    a = mt.random.rand(m, n, chunk_size=chunks)
    u, s, v = mt.linalg.svd(a, full_matrices=False)
    err = mt.linalg.norm(u * s @ v - a) / mt.linalg.norm(a)
    value = float(session.fetch(err))
    seconds = time.perf_counter() - start
    report = session.last_report()
    keys = ("bytes_spilled", "bytes_read_back", "recomputes",
            "bytes_recomputed", "peak_memory_bytes", "tasks")
    out = {"rows": m, "cols": n, "memory_limit": args.memory_limit,
           "seconds": round(seconds, 1), "relative_error": value,
           "peak_rss_gb": round(resource.getrusage(
               resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)}
    out.update({k: report[k] for k in keys})
    print(json.dumps(out))
    return 0 if value < 1e-10 else 1


if __name__ == "__main__":
    sys.exit(main())
