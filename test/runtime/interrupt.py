#!/usr/bin/env python3
"""Ctrl-C (SIGINT) and SIGTERM during a run that spills: mars-run dies by the
signal and leaves no spill directory and no half-written .npy behind.

Usage: interrupt.py --mars-run PATH
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

# 320 MB of random numbers that must outlive their mean: with a 32 MB limit
# most of them are spilled, and the run takes seconds.
PROGRAM = """
func.func @main() -> tensor<f64> {{
  %b = mars.random_uniform seed = 7, low = 0.0, high = 1.0 : tensor<4000x10000xf64>
  %m = mars.mean %b axes = [0, 1] : tensor<4000x10000xf64> -> tensor<f64>
  %d = mars.sub %b, %m : (tensor<4000x10000xf64>, tensor<f64>) -> tensor<4000x10000xf64>
  mars.save %d, "{out}" : tensor<4000x10000xf64>
  %v = mars.mean %d axes = [0, 1] : tensor<4000x10000xf64> -> tensor<f64>
  return %v : tensor<f64>
}}
"""


def interrupt(mars_run, root, sig):
    spill = os.path.join(root, f"spill-{sig.name}")
    os.makedirs(spill)
    out = os.path.join(root, f"out-{sig.name}.npy")
    prog = os.path.join(root, f"prog-{sig.name}.mlir")
    with open(prog, "w") as f:
        f.write(PROGRAM.format(out=out))
    proc = subprocess.Popen(
        [mars_run, prog, "--engine=chunked", "--fuse=false",
         "--memory-limit=32MB", "--chunk-bytes=1MB", f"--spill-dir={spill}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        # lit may start us with SIGINT ignored, and children inherit that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # Wait until chunks are on disk.
    deadline = time.monotonic() + 60
    spilled = False
    while time.monotonic() < deadline and proc.poll() is None:
        for d in os.listdir(spill):
            f = os.path.join(spill, d, "chunks.bin")
            if os.path.exists(f) and os.path.getsize(f) > (8 << 20):
                spilled = True
        if spilled:
            break
        time.sleep(0.01)
    if not spilled:
        proc.kill()
        proc.wait()
        return f"{sig.name}: the run spilled nothing before it ended"
    proc.send_signal(sig)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return f"{sig.name}: mars-run did not stop"
    if proc.returncode != -sig:
        return f"{sig.name}: exit status {proc.returncode}, not death by the signal"
    left = os.listdir(spill)
    if left:
        return f"{sig.name}: left {left} in the spill directory"
    stray = [n for n in os.listdir(root) if n.startswith(f"out-{sig.name}")]
    if stray:
        return f"{sig.name}: left {stray} beside the output"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mars-run", required=True)
    args = ap.parse_args()
    failures = []
    with tempfile.TemporaryDirectory(prefix="mars-interrupt-") as root:
        for sig in (signal.SIGINT, signal.SIGTERM):
            problem = interrupt(args.mars_run, root, sig)
            if problem:
                failures.append(problem)
                print("FAIL:", problem)
    print(f"interrupt: {2 - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
