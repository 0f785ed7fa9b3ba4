// mars.put (numpy.put on a copy) on every engine and chunking. Every chunk
// of the result reads all of the indices and values and writes the ones
// that fall in it, so a position given twice gets the later value in any
// chunking, short values repeat, and every chunk reports numpy's first
// out-of-bounds index.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=1 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --memory-limit=2KB %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator %s 2>/dev/null | FileCheck %s

// raise with negative and repeated indices (the later value wins) on a 3x4
// CHECK: {{\[}}[ 9.  1.  2.  3.]
// CHECK-NEXT:  [ 4.  5.  6. 20.]
// CHECK-NEXT:  [ 8.  9. 10. 40.]]
// wrap and clip; short values repeat
// CHECK-NEXT: [7 1 9 7 8]
// CHECK-NEXT: [7 1 2 3 9]
// empty values write nothing; an empty input with no indices
// CHECK-NEXT: [0 1 2 3 4]
// CHECK-NEXT: []
// put into the result of a sort (the input's chunks come from a kernel),
// then used by an elementwise op
// CHECK-NEXT: [-1. -1.  2.  7.]
// bool and f32
// CHECK-NEXT: [ True False  True]
// CHECK-NEXT: [-0. nan  1.]
func.func @main() -> (tensor<3x4xf64>, tensor<5xi32>, tensor<5xi32>,
                      tensor<5xi32>, tensor<0xf64>, tensor<4xf64>,
                      tensor<3xi1>, tensor<3xf32>) {
  %a = mars.constant dense<[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]]> : tensor<3x4xf64>
  %i = mars.constant dense<[[0, 7], [-1, 0]]> : tensor<2x2xi64>
  %v = mars.constant dense<[[1.0, 20.0], [40.0, 9.0]]> : tensor<2x2xf64>
  %p = mars.put %a, %i, %v mode = "raise" : tensor<3x4xf64>, tensor<2x2xi64>, tensor<2x2xf64> -> tensor<3x4xf64>
  %b = mars.constant dense<[0, 1, 2, 3, 4]> : tensor<5xi32>
  %far = mars.constant dense<[-7, 9, 12, 0]> : tensor<4xi32>
  %two = mars.constant dense<[7, 8, 9]> : tensor<3xi32>
  %w = mars.put %b, %far, %two mode = "wrap" : tensor<5xi32>, tensor<4xi32>, tensor<3xi32> -> tensor<5xi32>
  %c = mars.put %b, %far, %two mode = "clip" : tensor<5xi32>, tensor<4xi32>, tensor<3xi32> -> tensor<5xi32>
  %none = mars.constant dense<> : tensor<0xi32>
  %e = mars.put %b, %far, %none mode = "raise" : tensor<5xi32>, tensor<4xi32>, tensor<0xi32> -> tensor<5xi32>
  %z = mars.constant dense<> : tensor<0xf64>
  %noidx = mars.constant dense<> : tensor<0xi64>
  %ze = mars.put %z, %noidx, %z mode = "raise" : tensor<0xf64>, tensor<0xi64>, tensor<0xf64> -> tensor<0xf64>
  %x = mars.constant dense<[3.0, -2.0, 1.0, 0.0]> : tensor<4xf64>
  %xs = mars.sort %x axis = 0 : tensor<4xf64> -> tensor<4xf64>
  %at = mars.constant dense<[3, 1]> : tensor<2xi64>
  %nv = mars.constant dense<[6.0, -2.0]> : tensor<2xf64>
  %xp = mars.put %xs, %at, %nv mode = "raise" : tensor<4xf64>, tensor<2xi64>, tensor<2xf64> -> tensor<4xf64>
  %one = mars.constant dense<1.0> : tensor<f64>
  %y = mars.add %xp, %one : (tensor<4xf64>, tensor<f64>) -> tensor<4xf64>
  %q = mars.constant dense<[false, false, true]> : tensor<3xi1>
  %qi = mars.constant dense<[0]> : tensor<1xi64>
  %qv = mars.constant dense<[true]> : tensor<1xi1>
  %qp = mars.put %q, %qi, %qv mode = "raise" : tensor<3xi1>, tensor<1xi64>, tensor<1xi1> -> tensor<3xi1>
  %f = mars.constant dense<[5.0, 0x7FC00000, 1.0]> : tensor<3xf32>
  %fi = mars.constant dense<[0]> : tensor<1xi64>
  %fv = mars.constant dense<[-0.0]> : tensor<1xf32>
  %fp = mars.put %f, %fi, %fv mode = "raise" : tensor<3xf32>, tensor<1xi64>, tensor<1xf32> -> tensor<3xf32>
  return %p, %w, %c, %e, %ze, %y, %qp, %fp
      : tensor<3x4xf64>, tensor<5xi32>, tensor<5xi32>, tensor<5xi32>,
        tensor<0xf64>, tensor<4xf64>, tensor<3xi1>, tensor<3xf32>
}

// Out of bounds is numpy's IndexError (axis 0, the input's size), located
// at the op, whichever chunk the good indices fall in.
// RUN: not mars-run --engine=reference --entry=oob %s 2>&1 | FileCheck %s --check-prefix=OOB
// RUN: not mars-run --engine=chunked --chunks=3 --entry=oob %s 2>&1 | FileCheck %s --check-prefix=OOB
// RUN: not mars-run --engine=compiled --kernel-cache=none --chunks=2 --entry=oob %s 2>&1 | FileCheck %s --check-prefix=OOB
// OOB: put.mlir:[[@LINE+5]]:8: error: index 6 is out of bounds for axis 0 with size 6
func.func @oob() -> tensor<2x3xf64> {
  %m = mars.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf64>
  %idx = mars.constant dense<[0, 5, 6, -9]> : tensor<4xi64>
  %v = mars.constant dense<[0.0]> : tensor<1xf64>
  %t = mars.put %m, %idx, %v mode = "raise" : tensor<2x3xf64>, tensor<4xi64>, tensor<1xf64> -> tensor<2x3xf64>
  return %t : tensor<2x3xf64>
}

// An empty input has no chunk, so nothing reads the indices: the result is
// empty (the front ends raise numpy's IndexError before building the op).
// RUN: mars-run --engine=chunked --chunks=1 --entry=empty_put %s 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: []
func.func @empty_put() -> tensor<0xf64> {
  %z = mars.constant dense<> : tensor<0xf64>
  %idx = mars.constant dense<[7]> : tensor<1xi64>
  %v = mars.constant dense<[1.0]> : tensor<1xf64>
  %t = mars.put %z, %idx, %v mode = "wrap" : tensor<0xf64>, tensor<1xi64>, tensor<1xf64> -> tensor<0xf64>
  return %t : tensor<0xf64>
}
