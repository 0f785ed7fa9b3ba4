// mars.bincount (numpy.bincount) on every engine and chunking: a result
// chunk (some bins) reads the whole input, so weighted sums add in the
// input's order whatever the chunking (numpy's sums, bit for bit).

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=1 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --memory-limit=2KB %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator %s 2>/dev/null | FileCheck %s

// counts of [1 3 1 0 6 1 3] over 8 bins (numpy's minlength), i32 input
// CHECK: [1 3 0 2 0 0 1 0]
// weights 0.1 0.2 0.7 -0.0 inf 0.3 nan (sums start at 0.0, as numpy)
// CHECK-NEXT: [0.  1.1 0.  nan 0.  0.  inf 0. ]
// an empty input: zero bins
// CHECK-NEXT: [0 0 0]
func.func @main() -> (tensor<8xi64>, tensor<8xf64>, tensor<3xi64>) {
  %x = mars.constant dense<[1, 3, 1, 0, 6, 1, 3]> : tensor<7xi32>
  %c = mars.bincount %x : tensor<7xi32> -> tensor<8xi64>
  %w = mars.constant dense<[0.1, 0.2, 0.7, -0.0, 0x7FF0000000000000, 0.3, 0x7FF8000000000000]> : tensor<7xf64>
  %s = mars.bincount %x, %w : tensor<7xi32>, tensor<7xf64> -> tensor<8xf64>
  %z = mars.constant dense<> : tensor<0xi64>
  %e = mars.bincount %z : tensor<0xi64> -> tensor<3xi64>
  return %c, %s, %e : tensor<8xi64>, tensor<8xf64>, tensor<3xi64>
}

// A negative element is numpy's ValueError, located at the op.
// RUN: not mars-run --engine=reference --entry=negative %s 2>&1 | FileCheck %s --check-prefix=NEG
// RUN: not mars-run --engine=chunked --chunks=2 --entry=negative %s 2>&1 | FileCheck %s --check-prefix=NEG
// NEG: bincount.mlir:[[@LINE+3]]:8: error: 'list' argument must have no negative elements
func.func @negative() -> tensor<4xi64> {
  %x = mars.constant dense<[1, -2, 3]> : tensor<3xi64>
  %c = mars.bincount %x : tensor<3xi64> -> tensor<4xi64>
  return %c : tensor<4xi64>
}
