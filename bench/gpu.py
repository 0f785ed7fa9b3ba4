#!/usr/bin/python3
"""The GPU backend against the GPU's own limits and the CPU contenders.

Run on a machine whose CUDA driver sees a GPU (it says so and exits 0
elsewhere). Mars runs through `mars-run --engine=compiled --device=gpu
--repeat`, timed as the median of the executions after the first (kernels
loaded, device tier warm); figures come from `--stats`. Side by side in the
same run: numpy and numexpr on the CPU, and the GPU's own limits measured
through ctypes: device-to-device copy bandwidth (cuMemcpyDtoD) and one
cuBLAS dgemm call.

Workloads (issue 7's goals in brackets):
  add_mul  (a + 1) * 2, a random f64 array generated in the kernel
           [>= 80% of the GPU's memory bandwidth at 16 B/element]
  pi       Monte Carlo pi with 10^10 points [limited by Philox, not memory]
  matmul   n x n f64 matmul [within 10% of cuBLAS alone]

Usage: bench/gpu.py [--mars-run build/bin/mars-run] [--repeat 5] [--quick]
"""

import argparse
import ctypes
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

# The CPU benchmark's timing rule and pi program, shared.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cpu_kernels import median_time, pi_program  # noqa: E402

try:
    import numexpr as ne
except ImportError:
    ne = None


class Cuda:
    """The driver and cuBLAS through ctypes, for the GPU's own figures."""

    def __init__(self):
        self.cu = ctypes.CDLL("libcuda.so.1")
        self.check(self.cu.cuInit(0), "cuInit")
        dev = ctypes.c_int()
        self.check(self.cu.cuDeviceGet(ctypes.byref(dev), 0), "cuDeviceGet")
        self.ctx = ctypes.c_void_p()
        self.check(self.cu.cuDevicePrimaryCtxRetain(ctypes.byref(self.ctx), dev),
                   "cuDevicePrimaryCtxRetain")
        self.check(self.cu.cuCtxSetCurrent(self.ctx), "cuCtxSetCurrent")
        name = ctypes.create_string_buffer(256)
        self.cu.cuDeviceGetName(name, 255, dev)
        self.name = name.value.decode()
        self.blas = None
        for lib in ("libcublas.so.13", "libcublas.so.12", "libcublas.so.11",
                    "/usr/local/cuda/lib64/libcublas.so"):
            try:
                self.blas = ctypes.CDLL(lib)
                break
            except OSError:
                continue

    @staticmethod
    def check(status, what):
        if status != 0:
            raise RuntimeError(f"{what}: CUDA error {status}")

    def alloc(self, nbytes):
        p = ctypes.c_uint64()
        self.check(self.cu.cuMemAlloc_v2(ctypes.byref(p), ctypes.c_size_t(nbytes)),
                   "cuMemAlloc")
        return p

    def sync(self):
        self.check(self.cu.cuCtxSynchronize(), "cuCtxSynchronize")

    def copy_bandwidth(self, nbytes, repeat):
        """Device-to-device copy, counting reads and writes (GB/s)."""
        a, b = self.alloc(nbytes), self.alloc(nbytes)

        def run():
            self.check(self.cu.cuMemcpyDtoD_v2(b, a, ctypes.c_size_t(nbytes)),
                       "cuMemcpyDtoD")
            self.sync()
        t = median_time(run, repeat)
        self.cu.cuMemFree_v2(a)
        self.cu.cuMemFree_v2(b)
        return 2 * nbytes / t / 1e9

    def dgemm_seconds(self, n, repeat):
        if self.blas is None:
            return None
        handle = ctypes.c_void_p()
        self.check(self.blas.cublasCreate_v2(ctypes.byref(handle)), "cublasCreate")
        a, b, c = (self.alloc(n * n * 8) for _ in range(3))
        one, zero = ctypes.c_double(1.0), ctypes.c_double(0.0)

        def run():
            self.check(self.blas.cublasDgemm_v2(
                handle, 0, 0, n, n, n, ctypes.byref(one), a, n, b, n,
                ctypes.byref(zero), c, n), "cublasDgemm")
            self.sync()
        t = median_time(run, repeat)
        for p in (a, b, c):
            self.cu.cuMemFree_v2(p)
        self.blas.cublasDestroy_v2(handle)
        return t


def run_mars(mars_run, text, repeat, cache, extra=()):
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write(text)
        prog = f.name
    cmd = [mars_run, prog, "--engine=compiled", "--device=gpu", "--quiet",
           "--stats=-", f"--kernel-cache={cache}",
           f"--repeat={repeat + 1}", *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    os.unlink(prog)
    if proc.returncode != 0:
        raise RuntimeError(f"mars-run failed: {proc.stderr.strip()}")
    stats = json.loads(proc.stdout[proc.stdout.index("{"):])
    times = sorted(stats["executions"][1:]) or stats["executions"]
    return times[len(times) // 2], stats


def add_mul_program(n):
    return f"""func.func @main() -> tensor<f64> {{
  %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<{n}xf64>
  %one = mars.full(1.0) : tensor<f64>
  %two = mars.full(2.0) : tensor<f64>
  %b = mars.add %a, %one : (tensor<{n}xf64>, tensor<f64>) -> tensor<{n}xf64>
  %c = mars.mul %b, %two : (tensor<{n}xf64>, tensor<f64>) -> tensor<{n}xf64>
  %s = mars.sum %c : tensor<{n}xf64> -> tensor<f64>
  return %s : tensor<f64>
}}
"""


def matmul_program(n):
    return f"""func.func @main(%a: tensor<{n}x{n}xf64>, %b: tensor<{n}x{n}xf64>) -> tensor<{n}x{n}xf64> {{
  %c = mars.matmul %a, %b : tensor<{n}x{n}xf64>, tensor<{n}x{n}xf64> -> tensor<{n}x{n}xf64>
  return %c : tensor<{n}x{n}xf64>
}}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mars-run", default="build/bin/mars-run")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    try:
        cuda = Cuda()
    except (OSError, RuntimeError) as e:
        print(f"gpu bench: no usable GPU here ({e}); nothing measured")
        return 0
    cache = tempfile.mkdtemp(prefix="mars-gpu-bench-")
    print(f"gpu bench on {cuda.name}")
    rows = []

    n = 10**8 if not args.quick else 10**7
    copy = cuda.copy_bandwidth(n * 8, args.repeat)
    t, stats = run_mars(args.mars_run, add_mul_program(n), args.repeat, cache,
                        ["--chunk-bytes=512MiB"])
    # The random input is generated in the kernel: 8 B written per element
    # would be the traffic of an input array; count the 16 B.
    rows.append(("add_mul GB/s (16 B/elem)", 16 * n / t / 1e9,
                 f"device copy {copy:.0f} GB/s",
                 f"{16 * n / t / 1e9 / copy:.0%} of copy"))
    a = np.random.default_rng(1).random(n if not args.quick else 10**7)
    t_np = median_time(lambda: float(((a + 1) * 2).sum()), args.repeat)
    rows.append(("add_mul numpy (CPU) s", t_np, f"mars {t:.4f} s",
                 f"{t_np / t:.1f}x"))

    points = 10**10 if not args.quick else 10**8
    t, stats = run_mars(args.mars_run, pi_program(points), max(1, args.repeat // 2),
                        cache, ["--chunk-bytes=1GiB"])
    cpu_points = 10**7
    x = np.random.default_rng(2).uniform(-1, 1, (cpu_points, 2))
    if ne is not None:
        t_ne = median_time(lambda: ne.evaluate("sum(where(sqrt(a*a+b*b)<1,1,0))",
                                               {"a": x[:, 0], "b": x[:, 1]}),
                           args.repeat)
        ne_rate = cpu_points / t_ne
    else:
        ne_rate = float("nan")
    rows.append(("pi points/s", points / t, f"numexpr {ne_rate:.3g}/s (CPU)",
                 f"{points / t / ne_rate:.0f}x"))

    m = 8000 if not args.quick else 2000
    with tempfile.TemporaryDirectory() as d:
        r = np.random.default_rng(3)
        paths = []
        for i in range(2):
            p = os.path.join(d, f"m{i}.npy")
            np.save(p, r.random((m, m)))
            paths.append(p)
        t, stats = run_mars(args.mars_run, matmul_program(m), args.repeat, cache,
                            [f"--arg=0={paths[0]}", f"--arg=1={paths[1]}"])
    t_blas = cuda.dgemm_seconds(m, args.repeat)
    rows.append((f"matmul {m} s", t,
                 f"cuBLAS alone {t_blas:.4f} s" if t_blas else "no cuBLAS",
                 f"{t_blas / t:.0%} of cuBLAS speed" if t_blas else "-"))

    for name, value, other, ratio in rows:
        print(f"{name:28} {value:12.4g}   {other:34} {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
