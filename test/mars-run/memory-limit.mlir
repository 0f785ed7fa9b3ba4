// The reference evaluator keeps to --memory-limit: an op whose result would
// not fit is refused with a message that says how much it needed. The
// default (compiled, tiled) engine runs the same program in chunks within
// a smaller limit.

// RUN: not mars-run %s --engine=reference --memory-limit=3MB 2>&1 | FileCheck %s
// RUN: mars-run %s --memory-limit=200KB | FileCheck %s --check-prefix=FITS
// RUN: not mars-run %s --memory-limit=10KB 2>&1 | FileCheck %s --check-prefix=TINY
// TINY: memory-limit.mlir:[[@LINE+7]]:8: error: the memory limit of 9.77 KiB cannot hold the next chunk task of this op ({{mars\.[a-z_]+}}): it needs {{.*}}; raise --memory-limit or use smaller chunks (--chunk-bytes)
// RUN: mars-run %s --memory-limit=100MB | FileCheck %s --check-prefix=FITS
// RUN: not mars-run %s --memory-limit=lots 2>&1 | FileCheck %s --check-prefix=BADSIZE

// FITS: 0.0
// BADSIZE: error: --memory-limit: invalid size 'lots'
func.func @main() -> tensor<f64> {
  %a = mars.zeros : tensor<500x500xf64>
  // CHECK: memory-limit.mlir:[[@LINE+1]]:8: error: the result needs 1.91 MiB with 1.91 MiB already in use, beyond the reference evaluator's memory limit of 2.86 MiB (it holds whole arrays in memory)
  %b = mars.transpose %a perm = [1, 0] : tensor<500x500xf64> -> tensor<500x500xf64>
  %s = mars.sum %b : tensor<500x500xf64> -> tensor<f64>
  return %s : tensor<f64>
}
