// Monte Carlo pi with 10^6 points is one kernel: the points' squares are
// summed over their 2 coordinates inside the count's kernel (an inner
// reduction of the mars.fused op), so no chunk of points or of their sums
// is ever stored: the run holds 16 bytes of chunks at its peak (the count's
// partial and the result), where a stored chunk of sums would be 8 bytes a
// point. Every engine prints the reference's estimate.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=300007 %s | FileCheck %s
// RUN: mars-run --kernel-cache=none %s | FileCheck %s
// RUN: mars-run --kernel-cache=none --chunks=1000 --threads=2 %s | FileCheck %s
// RUN: mars-run --kernel-cache=none --device=gpu-emulator %s 2>/dev/null | FileCheck %s
// RUN: mars-run --kernel-cache=none --quiet --stats=- %s | FileCheck %s --check-prefix=STATS
// RUN: mars-run --kernel-cache=none --emit=mlir %s | FileCheck %s --check-prefix=MLIR

// CHECK: 3.142568

// STATS: "peak_memory_bytes": 16,
// STATS: "interpreted_ops": [],

// The count's kernel: per point, two draws, two squares added to 0 in the
// reference's order, the square root, the comparison, the count.
// MLIR: // kernel of 'mars.fused' at loc({{.*}}:[[#@LINE+16]]:
// MLIR: scf.parallel
// MLIR: %[[X2:.*]] = arith.mulf %[[X:.*]], %[[X]] : f64
// MLIR: %[[S0:.*]] = arith.addf %[[X2]], %{{.*}} : f64
// MLIR: %[[Y2:.*]] = arith.mulf %[[Y:.*]], %[[Y]] : f64
// MLIR: %[[S1:.*]] = arith.addf %[[S0]], %[[Y2]] : f64
// MLIR: %[[R:.*]] = math.sqrt %[[S1]] : f64
// MLIR: arith.cmpf olt, %[[R]]
// MLIR: scf.reduce
func.func @main() -> tensor<f64> {
  %points = mars.random_uniform seed = 2018, low = -1.0, high = 1.0 : tensor<1000000x2xf64>
  %sq = mars.square %points : tensor<1000000x2xf64>
  %r2 = mars.sum %sq axes = [1] : tensor<1000000x2xf64> -> tensor<1000000xf64>
  %r = mars.sqrt %r2 : tensor<1000000xf64>
  %one = mars.full(1.0) : tensor<f64>
  %inside = mars.lt %r, %one : (tensor<1000000xf64>, tensor<f64>) -> tensor<1000000xi1>
  %count = mars.sum %inside : tensor<1000000xi1> -> tensor<i64>
  %countf = mars.cast %count : (tensor<i64>) -> tensor<f64>
  %four = mars.full(4.0) : tensor<f64>
  %scaled = mars.mul %countf, %four : tensor<f64>
  %n = mars.full(1000000.0) : tensor<f64>
  %pi = mars.div %scaled, %n : tensor<f64>
  return %pi : tensor<f64>
}
