// Compiled argmax/argmin along a row find each block's extreme with a
// vectorised fold and scan a block in order only when it would change the
// running (value, index): the results are the reference's on every engine
// and chunking, with NaN (the first one wins), zeros of both signs (the
// first of equals wins), integers, rows, and ascending data, where every
// block is scanned.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=700 %s | FileCheck %s
// RUN: rm -rf %t && mars-run --engine=reference %s --quiet --output=%t/ref
// RUN: mars-run --engine=compiled --kernel-cache=none %s --quiet --output=%t/a
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=700 %s --quiet --output=%t/b
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=1 %s --quiet --output=%t/c
// RUN: mars-run --engine=chunked --chunks=513 %s --quiet --output=%t/d
// RUN: %python -c "import numpy as np; bad = [(d, i) for d in 'abcd' for i in range(12) if not np.array_equal(np.load(f'%t/{d}/result{i}.npy'), np.load(f'%t/ref/result{i}.npy'))]; print('differs:', bad)" | FileCheck %s --check-prefix=SAME
// RUN: mars-run --engine=compiled --kernel-cache=none --emit=mlir %s | FileCheck %s --check-prefix=MLIR

// Ascending: the last and the first.
// CHECK: 2999
// CHECK-NEXT: {{^}}0
// The first NaN, for both.
// CHECK-NEXT: 1500
// CHECK-NEXT: 1500
// All zeros, of both signs: the first.
// CHECK-NEXT: {{^}}0
// CHECK-NEXT: {{^}}0
// SAME: differs: []
// MLIR-LABEL: kernel of 'mars.argmax'
// MLIR: arith.maximumf
// MLIR: scf.if
// MLIR-LABEL: kernel of 'mars.argmin'
// MLIR: arith.minimumf
func.func @main() -> (tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>,
                      tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>,
                      tensor<i64>, tensor<i64>, tensor<3xi64>, tensor<3xi64>) {
  %x = mars.arange start = 0.0, step = 1.0 : tensor<3000xf64>
  %up = mars.argmax %x : tensor<3000xf64> -> tensor<i64>
  %down = mars.argmin %x : tensor<3000xf64> -> tensor<i64>
  %k = mars.full(0.37) : tensor<f64>
  %xk = mars.mul %x, %k : (tensor<3000xf64>, tensor<f64>) -> tensor<3000xf64>
  %s = mars.sin %xk : tensor<3000xf64>
  %at = mars.full(1500.0) : tensor<f64>
  %here = mars.eq %x, %at : (tensor<3000xf64>, tensor<f64>) -> tensor<3000xi1>
  %nan = mars.full(0x7FF8000000000000 : f64) : tensor<f64>
  %sn = mars.where %here, %nan, %s : (tensor<3000xi1>, tensor<f64>, tensor<3000xf64>) -> tensor<3000xf64>
  %nmax = mars.argmax %sn : tensor<3000xf64> -> tensor<i64>
  %nmin = mars.argmin %sn : tensor<3000xf64> -> tensor<i64>
  %zero = mars.full(0.0) : tensor<f64>
  %z = mars.mul %s, %zero : (tensor<3000xf64>, tensor<f64>) -> tensor<3000xf64>
  %zmax = mars.argmax %z : tensor<3000xf64> -> tensor<i64>
  %zmin = mars.argmin %z : tensor<3000xf64> -> tensor<i64>
  // Many near-equal maxima and minima.
  %smax = mars.argmax %s : tensor<3000xf64> -> tensor<i64>
  %smin = mars.argmin %s : tensor<3000xf64> -> tensor<i64>
  %thousand = mars.full(1000.0) : tensor<f64>
  %si = mars.mul %s, %thousand : (tensor<3000xf64>, tensor<f64>) -> tensor<3000xf64>
  %i64 = mars.cast %si : (tensor<3000xf64>) -> tensor<3000xi64>
  %imax = mars.argmax %i64 : tensor<3000xi64> -> tensor<i64>
  %i32 = mars.cast %si : (tensor<3000xf64>) -> tensor<3000xi32>
  %imin = mars.argmin %i32 : tensor<3000xi32> -> tensor<i64>
  %rows = mars.reshape %sn : tensor<3000xf64> -> tensor<3x1000xf64>
  %rmax = mars.argmax %rows axis = 1 : tensor<3x1000xf64> -> tensor<3xi64>
  %rows32 = mars.cast %rows : (tensor<3x1000xf64>) -> tensor<3x1000xf32>
  %rmin = mars.argmin %rows32 axis = -1 : tensor<3x1000xf32> -> tensor<3xi64>
  return %up, %down, %nmax, %nmin, %zmax, %zmin, %smax, %smin, %imax, %imin,
         %rmax, %rmin
      : tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>,
        tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>, tensor<i64>,
        tensor<3xi64>, tensor<3xi64>
}
