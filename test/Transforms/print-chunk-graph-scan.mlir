// RUN: mars-opt %s -mars-tile="chunk-size=2" -mars-print-chunk-graph -o /dev/null | FileCheck %s --match-full-lines

// A scan's chunk reads its own region of the operand and the carry: the
// chunk before it along the scanned axis, of its own result. The chunks
// along the axis are a chain; those across it are independent.

// CHECK: %0 = mars.cumsum: grid [2, 2] of [2, 2]
// CHECK-NEXT:   [0, 0] <- %arg0[0, 0]
// CHECK-NEXT:   [0, 1] <- %arg0[0, 1], %0[0, 0]
// CHECK-NEXT:   [1, 0] <- %arg0[1, 0]
// CHECK-NEXT:   [1, 1] <- %arg0[1, 1], %0[1, 0]
// CHECK-NEXT: %1 = mars.cumprod: grid [2, 2] of [2, 2]
// CHECK-NEXT:   [0, 0] <- %0[0, 0]
// CHECK-NEXT:   [0, 1] <- %0[0, 1]
// CHECK-NEXT:   [1, 0] <- %0[1, 0], %1[0, 0]
// CHECK-NEXT:   [1, 1] <- %0[1, 1], %1[0, 1]

func.func @main(%x: tensor<3x4xf64>) -> tensor<3x4xf64> {
  %c = mars.cumsum %x axis = -1 : tensor<3x4xf64> -> tensor<3x4xf64>
  %p = mars.cumprod %c axis = 0 : tensor<3x4xf64> -> tensor<3x4xf64>
  return %p : tensor<3x4xf64>
}
