"""Reductions large enough for the GPU's block trees: one chunk of up to
10^5 elements per output element, so `_tree` runs with S > 1 blocks per
output and `_combine` folds their partials (and `_seq` for many outputs).
Each program runs on the CPU and on --device=DEVICE; integer, extreme and
boolean results must be identical, float sums within 1e-12.

  reductions.py MARS_RUN DEVICE
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

CASES = [
    # (element type, shape, random op, reduction, axes)
    ("f64", (100000,), "uniform", "sum", None),
    ("f64", (100000,), "uniform", "max", None),
    ("f64", (100000,), "uniform", "min", None),
    ("f32", (70000,), "uniform", "sum", None),
    ("f64", (300, 5000), "uniform", "sum", [1]),
    ("f64", (300, 5000), "uniform", "min", [1]),
    ("f64", (5000, 300), "uniform", "sum", [0]),
    ("f64", (40, 30, 900), "uniform", "max", [0, 2]),
    ("i64", (200000,), "integers", "sum", None),
    ("i64", (300, 5000), "integers", "max", [1]),
    ("i64", (20000, 3), "integers", "sum", [1]),
    ("f64", (100000,), "uniform", "prod", None),
    # mean/var/std: a sum kernel, then a squared-deviations kernel reading
    # the means (ChunkKernel.h), both through the trees.
    ("f64", (100000,), "uniform", "std", None),
    ("f64", (300, 5000), "uniform", "var", [1]),
    ("f64", (5000, 300), "uniform", "mean", [0]),
    ("i64", (300, 5000), "integers", "var", [1]),
    # Short rows, many outputs: one block tree per output, each with 10
    # barriers (these took the emulator 20-120 s with ucontext fibers).
    ("f64", (500, 33), "uniform", "sum", [1]),
    ("f64", (4099, 40), "uniform", "max", [1]),
    ("f32", (2000, 70), "uniform", "mean", [1]),
    ("i64", (1000, 64), "integers", "sum", [1]),
]


def program(dtype, shape, kind, red, axes):
    t = "x".join(map(str, shape)) + "x" + dtype
    if kind == "uniform":
        src = f"mars.random_uniform seed = 5, low = 0.5, high = 1.0 : tensor<{t}>"
    else:
        src = (f"mars.random_integers seed = 5, low = -1000, high = 1000 : "
               f"tensor<{t}>")
    kept = [n for d, n in enumerate(shape) if axes is not None and d not in axes]
    rtype = "f64" if red in ("mean", "var", "std") and dtype == "i64" else dtype
    out = "x".join(map(str, kept)) + ("x" if kept else "") + rtype
    ax = f" axes = [{', '.join(map(str, axes))}]" if axes is not None else ""
    return (f"func.func @main() -> tensor<{out}> {{\n"
            f"  %a = {src}\n"
            f"  %r = mars.{red} %a{ax} : tensor<{t}> -> tensor<{out}>\n"
            f"  return %r : tensor<{out}>\n}}\n")


def run(mars_run, prog, out, device):
    cmd = [mars_run, prog, "--quiet", "--engine=compiled", "--chunks=100000000",
           "--kernel-cache=none", "--output", out]
    if device != "cpu":
        cmd.append(f"--device={device}")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    return np.load(os.path.join(out, "result0.npy"))


def main():
    mars_run, device = sys.argv[1], sys.argv[2]
    failed = 0
    with tempfile.TemporaryDirectory() as d:
        for i, case in enumerate(CASES):
            prog = os.path.join(d, f"p{i}.mlir")
            with open(prog, "w") as f:
                f.write(program(*case))
            try:
                cpu = run(mars_run, prog, os.path.join(d, f"cpu{i}"), "cpu")
                gpu = run(mars_run, prog, os.path.join(d, f"gpu{i}"), device)
            except RuntimeError as e:
                print(f"FAIL {case}: {e}")
                failed += 1
                continue
            moment = case[3] in ("mean", "var", "std")
            exact = (case[0] == "i64" and not moment) or case[3] in ("min", "max")
            ok = gpu.dtype == cpu.dtype and gpu.shape == cpu.shape and (
                np.array_equal(gpu, cpu) if exact
                else np.allclose(gpu, cpu, rtol=1e-12 if case[0] == "f64" else 1e-5))
            if not ok:
                print(f"FAIL {case}:\n  {device}: {gpu!r}\n  cpu: {cpu!r}")
                failed += 1
    print(f"gpu-reductions: {len(CASES) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
