// RUN: mars-opt %s -mars-tile="chunk-size=2" -mars-print-chunk-graph -o /dev/null | FileCheck %s --match-full-lines

// Tests the chunk graph of every kind of op not covered by
// print-chunk-graph.mlir: creation ops have no inputs, a load reads its own
// box of the file, broadcast operands feed every chunk they cover, stack and
// tensordot read from all their operands, a flattened argmax steps over every
// input chunk, and a save consumes its operand chunk by chunk.

// CHECK: %0 = mars.constant: grid [2] of [2]
// CHECK-NEXT:   [0]
// CHECK-NEXT:   [1]
// CHECK-NEXT: %1 = mars.full: grid [2] of [2]
// CHECK-NEXT:   [0]
// CHECK-NEXT:   [1]
// CHECK-NEXT: %2 = mars.random_normal: grid [2] of [2]
// CHECK-NEXT:   [0]
// CHECK-NEXT:   [1]
// CHECK-NEXT: %3 = mars.eye: grid [2, 2] of [2, 2]
// CHECK-NEXT:   [0, 0]
// CHECK-NEXT:   [0, 1]
// CHECK-NEXT:   [1, 0]
// CHECK-NEXT:   [1, 1]
// CHECK-NEXT: %4 = mars.load: grid [2] of [2]
// CHECK-NEXT:   [0] <- "a.npy"[0:2]
// CHECK-NEXT:   [1] <- "a.npy"[2:3]
// CHECK-NEXT: %5 = mars.where: grid [2, 2] of [2, 2]
// CHECK-NEXT:   [0, 0] <- %arg0[0, 0], %arg1[0, 0], %arg2[0]
// CHECK-NEXT:   [0, 1] <- %arg0[0, 0], %arg1[0, 1], %arg2[1]
// CHECK-NEXT:   [1, 0] <- %arg0[1, 0], %arg1[1, 0], %arg2[0]
// CHECK-NEXT:   [1, 1] <- %arg0[1, 0], %arg1[1, 1], %arg2[1]
// CHECK-NEXT: %6 = mars.cast: grid [2, 2] of [2, 2]
// CHECK-NEXT:   [0, 0] <- %5[0, 0]
// CHECK-NEXT:   [0, 1] <- %5[0, 1]
// CHECK-NEXT:   [1, 0] <- %5[1, 0]
// CHECK-NEXT:   [1, 1] <- %5[1, 1]
// CHECK-NEXT: %7 = mars.broadcast_to: grid [2, 2] of [2, 2]
// CHECK-NEXT:   [0, 0] <- %arg2[0]
// CHECK-NEXT:   [0, 1] <- %arg2[1]
// CHECK-NEXT:   [1, 0] <- %arg2[0]
// CHECK-NEXT:   [1, 1] <- %arg2[1]
// CHECK-NEXT: %8 = mars.expand_dims: grid [1, 2] of [1, 2]
// CHECK-NEXT:   [0, 0] <- %arg2[0]
// CHECK-NEXT:   [0, 1] <- %arg2[1]
// CHECK-NEXT: %9 = mars.squeeze: grid [2] of [2]
// CHECK-NEXT:   [0] <- %8[0, 0]
// CHECK-NEXT:   [1] <- %8[0, 1]
// CHECK-NEXT: %10 = mars.stack: grid [2, 1] of [2, 2]
// CHECK-NEXT:   [0, 0] <- %arg2[0], %9[0]
// CHECK-NEXT:   [1, 0] <- %arg2[1], %9[1]
// CHECK-NEXT: %11 = mars.tensordot: grid [1, 1] of [2, 2]; 4 steps, fan-in 4
// CHECK-NEXT:   [0, 0] step 0 <- %arg3[0, 0, 0], %arg4[0, 0, 0]
// CHECK-NEXT:   [0, 0] step 1 <- %arg3[0, 0, 1], %arg4[0, 1, 0]
// CHECK-NEXT:   [0, 0] step 2 <- %arg3[0, 1, 0], %arg4[1, 0, 0]
// CHECK-NEXT:   [0, 0] step 3 <- %arg3[0, 1, 1], %arg4[1, 1, 0]
// CHECK-NEXT:   [0, 0] combine level 1: {0, 1, 2, 3}
// CHECK-NEXT: %12 = mars.argmax: grid [] of []; 4 steps, fan-in 4
// CHECK-NEXT:   [] step 0 <- %arg1[0, 0]
// CHECK-NEXT:   [] step 1 <- %arg1[0, 1]
// CHECK-NEXT:   [] step 2 <- %arg1[1, 0]
// CHECK-NEXT:   [] step 3 <- %arg1[1, 1]
// CHECK-NEXT:   [] combine level 1: {0, 1, 2, 3}
// CHECK-NEXT: %13 = mars.var: grid [2] of [2]; 2 steps, fan-in 4
// CHECK-NEXT:   [0] step 0 <- %arg1[0, 0]
// CHECK-NEXT:   [0] step 1 <- %arg1[1, 0]
// CHECK-NEXT:   [0] combine level 1: {0, 1}
// CHECK-NEXT:   [1] step 0 <- %arg1[0, 1]
// CHECK-NEXT:   [1] step 1 <- %arg1[1, 1]
// CHECK-NEXT:   [1] combine level 1: {0, 1}
// CHECK-NEXT: mars.save %arg1: 4 chunks
// CHECK-NEXT:   %arg1[0, 0]
// CHECK-NEXT:   %arg1[0, 1]
// CHECK-NEXT:   %arg1[1, 0]
// CHECK-NEXT:   %arg1[1, 1]
// CHECK-NEXT: %14 = mars.sum: grid [] of []; 1 steps, fan-in 4
// CHECK-NEXT:   [] step 0 <- %11[0, 0]

func.func @main(%c: tensor<3x1xi1>, %x: tensor<3x4xf64>, %y: tensor<4xf64>, %t: tensor<2x3x4xf64>, %u: tensor<3x4x2xf64>) -> tensor<f64> {
  %k = mars.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf64>
  %f = mars.full(2.5) : tensor<3xf64>
  %r = mars.random_normal seed = 3, loc = 0.0, scale = 1.0 : tensor<3xf64>
  %e = mars.eye k = 1 : tensor<3x3xf64>
  %l = mars.load "a.npy" : tensor<3xf64>
  %w = mars.where %c, %x, %y : (tensor<3x1xi1>, tensor<3x4xf64>, tensor<4xf64>) -> tensor<3x4xf64>
  %i = mars.cast %w : (tensor<3x4xf64>) -> tensor<3x4xi32>
  %b = mars.broadcast_to %y : tensor<4xf64> -> tensor<3x4xf64>
  %ed = mars.expand_dims %y axes = [0] : tensor<4xf64> -> tensor<1x4xf64>
  %sq = mars.squeeze %ed : tensor<1x4xf64> -> tensor<4xf64>
  %st = mars.stack %y, %sq axis = 1 : tensor<4xf64>, tensor<4xf64> -> tensor<4x2xf64>
  %td = mars.tensordot %t, %u axes = [1, 2], [0, 1] : tensor<2x3x4xf64>, tensor<3x4x2xf64> -> tensor<2x2xf64>
  %am = mars.argmax %x : tensor<3x4xf64> -> tensor<i64>
  %v = mars.var %x axes = [0] ddof = 1 : tensor<3x4xf64> -> tensor<4xf64>
  mars.save %x, "x.npy" : tensor<3x4xf64>
  %s = mars.sum %td : tensor<2x2xf64> -> tensor<f64>
  return %s : tensor<f64>
}
