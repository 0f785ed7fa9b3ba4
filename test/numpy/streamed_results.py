#!/usr/bin/env python3
"""Differential test of streaming stores: map kernels whose value the program
only returns, and that is at least 4 MiB (codegen::isStreamedResult), write it
with non-temporal vector stores after computing each tile into a scratch
buffer. This runs such programs (every dtype the path takes, broadcast and
random operands, 1-d and 2-d values, rows that start at every alignment)
through the compiled engine under several chunkings and thread counts, and
compares the results with the reference evaluator's bit for bit. Results
below the threshold, and ones read again by the program, take the ordinary
stores and are covered by differential.py.

Usage: streamed_results.py --mars-run PATH
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

MLIR = {np.dtype(np.float64): "f64", np.dtype(np.float32): "f32",
        np.dtype(np.int64): "i64", np.dtype(np.int32): "i32"}


def ttype(shape, dtype):
    return "tensor<" + "".join(f"{d}x" for d in shape) + MLIR[np.dtype(dtype)] + ">"


def programs(rng):
    """(name, program text, inputs, chunkings) of every case."""
    cases = []

    # (x + 1) * 2 over a ragged 1-d value: chunk starts at odd offsets.
    for dtype, n in [(np.float64, 1_000_003), (np.float32, 1_048_579),
                     (np.int64, 524_297), (np.int32, 1_048_581)]:
        t = ttype((n,), dtype)
        s = ttype((), dtype)
        one = "1.0" if np.dtype(dtype).kind == "f" else "1"
        x = (rng.normal(0, 100, n) if np.dtype(dtype).kind == "f"
             else rng.integers(-1000, 1000, n)).astype(dtype)
        body = f"""func.func @main(%x: {t}) -> {t} {{
  %one = mars.full({one}) : {s}
  %b = mars.add %x, %one : ({t}, {s}) -> {t}
  %c = mars.mul %b, %b : {t}
  %d = mars.sub %c, %x : {t}
  return %d : {t}
}}
"""
        cases.append((f"map-{np.dtype(dtype).name}-{n}", body, [x],
                      [n, 99_991, 4_099, 65]))

    # A 2-d value from a row and a column (both broadcast), rows of an odd
    # length: every box row starts at another alignment.
    rows, cols = 701, 1_503
    r = rng.normal(0, 1, (1, cols))
    c = rng.normal(0, 1, (rows, 1))
    t, tr, tc = ttype((rows, cols), np.float64), ttype((1, cols), np.float64), \
        ttype((rows, 1), np.float64)
    body = f"""func.func @main(%r: {tr}, %c: {tc}) -> {t} {{
  %p = mars.mul %r, %c : ({tr}, {tc}) -> {t}
  %e = mars.exp %p : {t}
  %q = mars.add %e, %r : ({t}, {tr}) -> {t}
  return %q : {t}
}}
"""
    cases.append(("broadcast-2d", body, [r, c], [1_503, 333, 37, 1_000]))

    # Random numbers generated in the kernel and returned: the streamed
    # tiles carry Philox counters of their global positions.
    t = ttype((1_000, 1_201), np.float32)
    body = f"""func.func @main() -> {t} {{
  %u = mars.random_uniform seed = 7, low = -2.0, high = 3.0 : {t}
  %s = mars.square %u : {t}
  return %s : {t}
}}
"""
    cases.append(("random-2d-f32", body, [], [1_201, 500, 97]))

    # Two results, one also read by a reduction (max: exact in any order; not streamed) and one only
    # returned (streamed).
    n = 600_011
    t, s = ttype((n,), np.float64), ttype((), np.float64)
    body = f"""func.func @main(%x: {t}) -> ({t}, {t}, {s}) {{
  %a = mars.abs %x : {t}
  %b = mars.sqrt %a : {t}
  %m = mars.max %a : {t} -> {s}
  return %a, %b, %m : {t}, {t}, {s}
}}
"""
    cases.append(("shared-and-streamed", body, [rng.normal(0, 5, n)],
                  [n, 77_777, 1_024]))
    return cases


def run(cmd, out):
    proc = subprocess.run(cmd + [f"--output={out}"], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        return None, proc.stderr.strip()
    k = len([f for f in os.listdir(out) if f.startswith("result")])
    return [np.load(os.path.join(out, f"result{i}.npy")) for i in range(k)], None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mars-run", required=True)
    args = ap.parse_args()
    rng = np.random.default_rng(4)
    passed = failed = 0
    with tempfile.TemporaryDirectory() as root:
        cache = os.path.join(root, "kernels")
        for index, (name, text, inputs, chunks) in enumerate(programs(rng)):
            d = os.path.join(root, f"case{index}")
            os.makedirs(d)
            prog = os.path.join(d, "prog.mlir")
            with open(prog, "w") as f:
                f.write(text)
            cmd = [args.mars_run, prog, "--quiet"]
            for i, x in enumerate(inputs):
                p = os.path.join(d, f"in{i}.npy")
                np.save(p, x)
                cmd.append(f"--arg={i}={p}")
            # The case must take the path under test.
            emitted = subprocess.run(cmd + ["--emit=llvm"], capture_output=True,
                                     text=True).stdout
            problem = (None if "!nontemporal" in emitted
                       else "no kernel writes with streaming stores")
            ref, ref_problem = run(cmd + ["--engine=reference"],
                                   os.path.join(d, "ref"))
            problem = problem or ref_problem
            for k, size in enumerate(chunks):
                if problem:
                    break
                threads = 1 + k % 2
                got, problem = run(
                    cmd + ["--engine=compiled", f"--chunks={size}",
                           f"--threads={threads}", f"--kernel-cache={cache}"],
                    os.path.join(d, f"compiled{size}"))
                if problem:
                    problem = f"--chunks={size}: {problem}"
                    break
                for i, (g, r) in enumerate(zip(got, ref)):
                    if (g.dtype != r.dtype or g.shape != r.shape
                            or g.tobytes() != r.tobytes()):
                        bad = np.flatnonzero(g.reshape(-1) != r.reshape(-1))
                        problem = (f"--chunks={size} --threads={threads}: "
                                   f"result {i} differs at {bad[:5]} of "
                                   f"{r.size} elements")
                        break
            if problem:
                failed += 1
                print(f"FAIL {name}: {problem}")
            else:
                passed += 1
    print(f"streamed-results: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
