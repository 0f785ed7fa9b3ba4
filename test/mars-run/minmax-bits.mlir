// Compiled float max/min reductions fold with IEEE maximum/minimum, which
// vectorise, and fold again in order when that gives zero or NaN: the result
// keeps the reference's bits, the last of equal zeros (numpy's maximum and
// minimum return the second of equal operands) and the first NaN's payload.
// Every engine and chunking prints the reference's signs, which are numpy's
// here, and saves the reference's bytes.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=3 %s | FileCheck %s
// RUN: rm -rf %t && mars-run --engine=reference %s --quiet --output=%t/ref
// RUN: mars-run --engine=compiled --kernel-cache=none %s --quiet --output=%t/one
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 %s --quiet --output=%t/two
// RUN: %python -c "import numpy as np, sys; bad = [(d, i) for d in ('one', 'two') for i in range(8) if np.load(f'%t/{d}/result{i}.npy').tobytes() != np.load(f'%t/ref/result{i}.npy').tobytes()]; print('differs:', bad)" | FileCheck %s --check-prefix=BYTES
// RUN: mars-run --engine=compiled --kernel-cache=none --emit=mlir %s | FileCheck %s --check-prefix=MLIR

// CHECK: {{^}}0.0
// CHECK-NEXT: -0.0
// CHECK-NEXT: [-0.  0.  2.]
// CHECK-NEXT: [-1. -7. -0.]
// CHECK-NEXT: nan
// CHECK-NEXT: nan
// CHECK-NEXT: -1.0
// CHECK-NEXT: {{^}}0.0
// BYTES: differs: []
// MLIR-LABEL: kernel of 'mars.max'
// MLIR: arith.maximumf
// MLIR: arith.cmpf one
// MLIR: scf.if
// MLIR: arith.cmpf ogt
// MLIR: arith.cmpf uno
func.func @main() -> (tensor<f64>, tensor<f64>, tensor<3xf64>, tensor<3xf32>,
                      tensor<f64>, tensor<f64>, tensor<f64>, tensor<f64>) {
  // The maximum is zero: the last zero is +0.0.
  %z = mars.constant dense<[-1.0, -0.0, -2.0, 0.0, -3.0, -0.0, 0.0, -5.0, -1.5]> : tensor<9xf64>
  %mx = mars.max %z : tensor<9xf64> -> tensor<f64>
  // The minimum is zero: the last zero is -0.0.
  %p = mars.neg %z : tensor<9xf64>
  %mn = mars.min %p : tensor<9xf64> -> tensor<f64>
  // Rows: zeros last -0.0, last +0.0, and a nonzero maximum.
  %r = mars.constant dense<[[0.0, -0.0, -1.0, -0.0], [-0.0, 0.0, -7.0, 0.0], [2.0, -0.0, 2.0, 1.0]]> : tensor<3x4xf64>
  %rm = mars.max %r axes = [1] : tensor<3x4xf64> -> tensor<3xf64>
  %r32 = mars.cast %r : (tensor<3x4xf64>) -> tensor<3x4xf32>
  %rn = mars.min %r32 axes = [1] : tensor<3x4xf32> -> tensor<3xf32>
  // NaNs with payloads: the first one is the result (its bytes are checked).
  %n = mars.constant dense<[1.0, 0x7FF8000000000005, 3.0, 0xFFF8000000000009, 0x7FF0000000000000]> : tensor<5xf64>
  %nm = mars.max %n : tensor<5xf64> -> tensor<f64>
  %nn = mars.min %n : tensor<5xf64> -> tensor<f64>
  // Long enough for the vector loop and its remainder; the second one's
  // maximum is zero.
  %big = mars.arange start = -100000.0, step = 1.0 : tensor<100000xf64>
  %bm = mars.max %big : tensor<100000xf64> -> tensor<f64>
  %big0 = mars.arange start = -100000.0, step = 1.0 : tensor<100001xf64>
  %bm0 = mars.max %big0 : tensor<100001xf64> -> tensor<f64>
  return %mx, %mn, %rm, %rn, %nm, %nn, %bm, %bm0
      : tensor<f64>, tensor<f64>, tensor<3xf64>, tensor<3xf32>, tensor<f64>,
        tensor<f64>, tensor<f64>, tensor<f64>
}
