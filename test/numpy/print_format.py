#!/usr/bin/env python3
"""mars-run prints results exactly as numpy's str() does.

Each array is saved to .npy, loaded by a one-op Mars program (exercising
mars.load too) and printed by mars-run; the text must equal str(array) with
numpy's default print options.

Usage: print_format.py --mars-run PATH
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

MLIR = {"float64": "f64", "float32": "f32", "int64": "i64", "int32": "i32",
        "bool": "i1"}


def arrays():
    rng = np.random.default_rng(7)
    yield np.array(3.5)
    yield np.array(1 / 3)
    yield np.array(1e-7)
    yield np.array(1e16)
    yield np.array(123456789.0)
    yield np.array(np.nan)
    yield np.array(-np.inf)
    yield np.array(np.float32(0.1))
    yield np.array(7, np.int32)
    yield np.array(True)
    yield np.array([], np.float64)
    yield np.zeros((2, 0))
    yield np.array([1.0, 2.5, 3.0])
    yield np.array([0.1, 0.2, 0.30000000000000004])
    yield np.array([1e-5, 1.0])
    yield np.array([1e8, 1.0])
    yield np.array([1.5e-10, 2.25e-10, -3e-12])
    yield np.array([np.nan, 1.0, -np.inf])
    yield np.array([np.nan, np.inf])
    yield np.array([-0.0, 0.0])
    yield np.array([1e300, -1e-300])
    yield np.arange(12, dtype=np.float64).reshape(3, 4) / 7
    yield np.arange(24, dtype=np.int64).reshape(2, 3, 4) - 10
    yield np.arange(2 * 2 * 2 * 2, dtype=np.int32).reshape(2, 2, 2, 2)
    yield np.array([True, False, True])
    yield np.array([[True], [True]])
    yield rng.normal(size=(5, 5))
    yield rng.normal(size=(5, 5)).astype(np.float32)
    yield rng.integers(-1000, 1000, size=30)
    yield rng.uniform(size=40)
    yield rng.uniform(size=(3, 30))
    yield rng.uniform(size=2000)
    yield rng.uniform(size=(100, 100))
    yield rng.integers(0, 10, size=(10, 10, 20))
    yield np.arange(1001, dtype=np.int64)
    yield np.ones((1, 1, 1))
    yield rng.normal(scale=1e6, size=(4, 4))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mars-run", required=True)
    args = ap.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="mars-print-") as d:
        for i, a in enumerate(arrays()):
            path = os.path.join(d, f"a{i}.npy")
            np.save(path, a)
            dims = "".join(f"{n}x" for n in a.shape)
            t = f"tensor<{dims}{MLIR[a.dtype.name]}>"
            prog = os.path.join(d, f"p{i}.mlir")
            with open(prog, "w") as f:
                f.write(f'func.func @main() -> {t} {{\n'
                        f'  %a = mars.load "{path}" : {t}\n'
                        f'  return %a : {t}\n}}\n')
            proc = subprocess.run([args.mars_run, prog], capture_output=True,
                                  text=True, timeout=60)
            want = str(a) + "\n"
            if proc.returncode == 0 and proc.stdout == want:
                passed += 1
                continue
            failed += 1
            print(f"FAIL array {i} {a.dtype} {a.shape}\n--- numpy ---\n{want}"
                  f"--- mars-run ---\n{proc.stdout}{proc.stderr}")
    print(f"print-format: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
