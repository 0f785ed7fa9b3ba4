#!/usr/bin/env python3
"""Results of sizes that change from one execution to the next (tiled
factorisations' shrinking panels, ragged chunks, eager mode on slices):
40 executions of ``base[:k] + 1`` for k from 8e6 down by 5e4 elements (64
to 48 MB results, each a new size), against numpy's same loop in the same
run. A large result is a fresh mapping unless the buffer pool has a free
buffer that fits (lib/Numeric/NDArray.cpp: the smallest free buffer up to
twice the size, its tail given back); the first touch of a fresh mapping
costs the kernel's zeroing of every page. Prints one JSON object (best of
--repeat rounds).

Usage: /usr/bin/python3 bench/buffer_reuse.py [--repeat 3]
"""

import argparse
import json
import os
import sys
import time

import numpy as np


def rounds(step, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for i in range(40):
            step(8_000_000 - i * 50_000)
        best = min(best, time.perf_counter() - start)
    return best


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--build", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "build"))
    args = p.parse_args()
    sys.path.insert(0, os.path.join(args.build, "python"))
    import mars.tensor as mt

    a = np.ones(8_000_000)
    base = mt.tensor(a)
    base.execute()
    numpy_s = rounds(lambda k: a[:k] + 1, args.repeat)
    mars_s = rounds(lambda k: (base[:k] + 1).execute(), args.repeat)
    print(json.dumps({"executions": 40, "numpy_seconds": round(numpy_s, 3),
                      "mars_seconds": round(mars_s, 3),
                      "mars_vs_numpy": round(numpy_s / mars_s, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
