// RUN: mars-opt %s -split-input-file -mars-tile="chunk-size=2" -mars-print-chunk-graph="fan-in=2" -o /dev/null | FileCheck %s
// RUN: mars-opt %s -split-input-file -mars-tile="chunk-size=2" -mars-print-chunk-graph="format=dot" -o /dev/null | FileCheck %s --check-prefix=DOT
// RUN: mars-opt %s -split-input-file -mars-tile="chunk-size=2" -mars-print-chunk-graph="format=stats" -o /dev/null | FileCheck %s --check-prefix=STATS
// RUN: mars-opt %s -split-input-file -mars-tile="chunk-size=2" -mars-fuse -mars-print-chunk-graph -o /dev/null | FileCheck %s --check-prefix=FUSED
// RUN: not mars-opt %s -split-input-file -mars-tile="chunk-size=2" -mars-print-chunk-graph="max-tasks=3" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TOOMANY
// RUN: not mars-opt %s -split-input-file -mars-tile="chunk-size=2" -mars-print-chunk-graph="fan-in=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=FANIN

// Tests which chunks feed which: broadcasting, a reduction's steps and
// combine tree, a transpose and a matmul's chunk products.
// CHECK-LABEL: %0 = mars.add: grid [2, 2] of [2, 2]
// CHECK-NEXT:   [0, 0] <- %arg0[0, 0], %arg1[0]
// CHECK-NEXT:   [0, 1] <- %arg0[0, 1], %arg1[1]
// CHECK-NEXT:   [1, 0] <- %arg0[1, 0], %arg1[0]
// CHECK-NEXT:   [1, 1] <- %arg0[1, 1], %arg1[1]
// CHECK-LABEL: %1 = mars.sum: grid [2] of [2]; 2 steps, fan-in 2
// CHECK-NEXT:   [0] step 0 <- %0[0, 0]
// CHECK-NEXT:   [0] step 1 <- %0[0, 1]
// CHECK-NEXT:   [0] combine level 1: {0, 1}
// CHECK-NEXT:   [1] step 0 <- %0[1, 0]
// CHECK-NEXT:   [1] step 1 <- %0[1, 1]
// CHECK-NEXT:   [1] combine level 1: {0, 1}
// CHECK-LABEL: %2 = mars.transpose: grid [2, 2] of [2, 2]
// CHECK-NEXT:   [0, 0] <- %0[0, 0]
// CHECK-NEXT:   [0, 1] <- %0[1, 0]
// CHECK-LABEL: %3 = mars.matmul: grid [2, 2] of [2, 2]; 2 steps, fan-in 2
// CHECK-NEXT:   [0, 0] step 0 <- %0[0, 0], %2[0, 0]
// CHECK-NEXT:   [0, 0] step 1 <- %0[0, 1], %2[1, 0]
// CHECK-NEXT:   [0, 0] combine level 1: {0, 1}

// DOT: digraph "main" {
// DOT:   subgraph "cluster_a0" {
// DOT:     label="%arg0\n2x2 chunks of 2x2";
// DOT:     "a0c0" [label="[0, 0]"];
// DOT:   subgraph "cluster_n0" {
// DOT:     label="%0 = mars.add\n2x2 chunks of 2x2";
// DOT:   "a0c0" -> "n0c0";
// DOT:   "a1c0" -> "n0c0";
// DOT:   subgraph "cluster_n1" {
// DOT:     label="%1 = mars.sum\n2 chunks of 2";
// DOT:     "n1c0s0" [label="[0] step 0"];
// DOT:     "n1c0l1.0" [label="combine"];
// DOT:   "n0c0" -> "n1c0s0";
// DOT:   "n1c0s0" -> "n1c0l1.0";
// DOT:   "n1c0l1.0" -> "n1c0";

// TOOMANY: error: the chunk graph has 26 tasks, more than max-tasks=3; use format=stats or coarser chunks
// FANIN: error: fan-in must be at least 2, got 1

// STATS: chunk graph of @main: 14 chunks, 26 tasks
// STATS:   mars.add: %0 grid [2, 2] of [2, 2], 4 tasks
// STATS:   mars.sum: %1 grid [2] of [2], 6 tasks
// STATS:   mars.matmul: %3 grid [2, 2] of [2, 2], 12 tasks
func.func @main(%a: tensor<4x4xf64>, %v: tensor<4xf64>) -> (tensor<4xf64>, tensor<4x4xf64>) {
  %0 = mars.add %a, %v : (tensor<4x4xf64>, tensor<4xf64>) -> tensor<4x4xf64>
  %1 = mars.sum %0 axes = [1] : tensor<4x4xf64> -> tensor<4xf64>
  %2 = mars.transpose %0 perm = [1, 0] : tensor<4x4xf64> -> tensor<4x4xf64>
  %3 = mars.matmul %0, %2 : tensor<4x4xf64>, tensor<4x4xf64> -> tensor<4x4xf64>
  return %1, %3 : tensor<4xf64>, tensor<4x4xf64>
}

// -----

// Tests ragged chunks through slice, concatenate and reshape. A negative
// step reads its input backwards; a reshape reads the bounding box of the
// flat range its chunk covers.
// CHECK-LABEL: %0 = mars.slice: grid [2] of [2]
// CHECK-NEXT:   [0] <- %arg0[1], %arg0[2]
// CHECK-NEXT:   [1] <- %arg0[0]
// CHECK-LABEL: %1 = mars.concatenate: grid [4] of [2]
// CHECK-NEXT:   [0] <- %0[0]
// CHECK-NEXT:   [1] <- %0[1], %arg0[0]
// CHECK-NEXT:   [2] <- %arg0[0], %arg0[1]
// CHECK-NEXT:   [3] <- %arg0[1], %arg0[2]
// CHECK-LABEL: %3 = mars.reshape: grid [1, 2] of [2, 2]
// CHECK-NEXT:   [0, 0] <- %2[0], %2[1], %2[2]
// CHECK-NEXT:   [0, 1] <- %2[1], %2[2]
func.func @main(%a: tensor<5xf64>) -> tensor<2x3xf64> {
  %0 = mars.slice %a [::-2] : tensor<5xf64> -> tensor<3xf64>
  %1 = mars.concatenate %0, %a axis = 0 : tensor<3xf64>, tensor<5xf64> -> tensor<8xf64>
  %s = mars.slice %1 [:6] : tensor<8xf64> -> tensor<6xf64>
  %2 = mars.reshape %s : tensor<6xf64> -> tensor<2x3xf64>
  return %2 : tensor<2x3xf64>
}

// -----

// Tests the chunk graph of fused groups: a fused reduction steps over the
// chunks of its (never materialised) input, reading the fused inputs'
// broadcast regions.
// FUSED-LABEL: %0 = mars.fused: grid [2] of [2]; 2 steps, fan-in 4
// FUSED-NEXT:   [0] step 0 <- %arg0[0, 0]
// FUSED-NEXT:   [0] step 1 <- %arg0[0, 0]
// FUSED-NEXT:   [0] combine level 1: {0, 1}
// FUSED-NEXT:   [1] step 0 <- %arg0[1, 0]
// FUSED-NEXT:   [1] step 1 <- %arg0[1, 0]
// FUSED-NEXT:   [1] combine level 1: {0, 1}
func.func @main(%v: tensor<4x1xf64>) -> tensor<4xf64> {
  %r = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<4x4xf64>
  %0 = mars.mul %r, %v : (tensor<4x4xf64>, tensor<4x1xf64>) -> tensor<4x4xf64>
  %1 = mars.sum %0 axes = [1] : tensor<4x4xf64> -> tensor<4xf64>
  return %1 : tensor<4xf64>
}
