#!/usr/bin/env python3
"""Complex arithmetic composed from the parts (docs/Complex.md) against
numpy's complex loops, in the same run: for z, w of --n complex128
elements, ``z * w + 1j``, ``z / w``, ``abs(z)``, ``z.sum()`` and
``(z * w.conj()).real.mean()`` (each executed on its own, inputs already
executed), best of --repeat rounds. Prints one JSON object per
expression, with Mars's speed as a multiple of numpy's.

Usage: /usr/bin/python3 bench/complex_arith.py [--n 20000000] [--repeat 3]
"""

import argparse
import json
import os
import sys
import time

import numpy as np


def best(fn, repeat):
    t = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        t = min(t, time.perf_counter() - start)
    return t


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=20_000_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--build", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "build"))
    args = p.parse_args()
    sys.path.insert(0, os.path.join(args.build, "python"))
    import mars.tensor as mt

    rng = np.random.default_rng(0)
    z = rng.standard_normal(args.n) + 1j * rng.standard_normal(args.n)
    w = rng.standard_normal(args.n) + 1j * rng.standard_normal(args.n)
    tz, tw = mt.tensor(z), mt.tensor(w)
    tz.execute()
    tw.execute()
    cases = {
        "z * w + 1j": lambda xp, a, b: a * b + 1j,
        "z / w": lambda xp, a, b: a / b,
        "abs(z)": lambda xp, a, b: abs(a),
        "z.sum()": lambda xp, a, b: a.sum(),
        "(z * conj(w)).real.mean()": lambda xp, a, b: (a * b.conj()).real.mean(),
    }
    for name, fn in cases.items():
        numpy_s = best(lambda: fn(np, z, w), args.repeat)
        mars_s = best(lambda: fn(mt, tz, tw).execute(), args.repeat)
        got = np.asarray(fn(mt, tz, tw).execute().fetch())
        want = fn(np, z, w)
        assert np.allclose(got, want, rtol=1e-12, atol=0), name
        print(json.dumps({"expression": name, "elements": args.n,
                          "numpy_seconds": round(numpy_s, 3),
                          "mars_seconds": round(mars_s, 3),
                          "mars_vs_numpy": round(numpy_s / mars_s, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
