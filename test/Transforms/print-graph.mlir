// RUN: mars-opt %s -split-input-file -mars-print-graph -o /dev/null | FileCheck %s --check-prefix=INPUT
// RUN: mars-opt %s -split-input-file -mars-tile="chunk-size=2" -mars-print-graph -o /dev/null | FileCheck %s --check-prefix=TILED
// RUN: mars-opt %s -split-input-file -mars-tile="chunk-size=2" -mars-fuse -mars-print-graph -o /dev/null | FileCheck %s --check-prefix=FUSED
// RUN: mars-opt %s -split-input-file -mars-tile="chunk-size=2" -mars-fuse -mars-print-graph="chunks" -o /dev/null | FileCheck %s --check-prefix=CHUNKS
// RUN: mars-opt %s -split-input-file -mars-tile="chunk-size=2" -mars-fuse -mars-print-graph="chunks max-tasks=10" -o /dev/null | FileCheck %s --check-prefix=SUMMARY
// RUN: mars-opt %s -split-input-file -mars-print-graph="chunks" -o /dev/null | FileCheck %s --check-prefix=UNTILED
// RUN: not mars-opt %s -split-input-file -mars-print-graph="fan-in=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=FANIN

// Tests the op graph at each stage: as written (dtype and shape per op),
// tiled (chunk grids and task counts), fused (the chain one box holding its
// ops, fed by the argument and feeding both reductions), and the chunk
// graph with a box per op and an edge per chunk read.

// INPUT: digraph "main" {
// INPUT:   "a0" [label="%arg0\nfloat64 (4, 6)", shape=invhouse
// INPUT:   "n0" [label="%0 = mars.full\nfloat64 ()", fillcolor="#dcefd8", tooltip="{{.*}}print-graph.mlir{{.*}}:{{[0-9]+}}:10"];
// INPUT:   "n1" [label="%1 = mars.add\nfloat64 (4, 6)", fillcolor="#ffffff"
// INPUT:   "a0" -> "n1";
// INPUT:   "n0" -> "n1";
// INPUT:   "n2" [label="%2 = mars.exp\nfloat64 (4, 6)"
// INPUT:   "n1" -> "n2";
// INPUT:   "n3" [label="%3 = mars.sum\nfloat64 (4,)", fillcolor="#fbe5c4"
// INPUT:   "n4" [label="%4 = mars.cast\nint32 (4, 6)"
// INPUT:   "n5" [label="%5 = mars.max\nint32 ()"
// INPUT:   "return" [label="return", shape=house
// INPUT:   "n3" -> "return";
// INPUT:   "n5" -> "return";
// INPUT: }

// TILED:   "a0" [label="%arg0\nfloat64 (4, 6)\n2x3 chunks of 2x2"
// TILED:   "n0" [label="%0 = mars.full\nfloat64 ()\n1 chunk, 1 task"
// TILED:   "n1" [label="%1 = mars.add\nfloat64 (4, 6)\n2x3 chunks of 2x2, 6 tasks"
// TILED:   "n3" [label="%3 = mars.sum\nfloat64 (4,)\n2 chunks of 2, 8 tasks"

// FUSED:      subgraph "cluster_n0" {
// FUSED-NEXT:   label="%0 = mars.fused\nfloat64 (4, 6)\n2x3 chunks of 2x2, 6 tasks"; style="rounded,filled"; fillcolor="#e6edfb"
// FUSED-NEXT:   "n0.0" [label="mars.full\nfloat64 ()"
// FUSED-NEXT:   "n0.1" [label="mars.add\nfloat64 (4, 6)"
// FUSED-NEXT:   "n0.2" [label="mars.exp\nfloat64 (4, 6)"
// FUSED-NEXT: }
// FUSED-NEXT: "a0" -> "n0.1";
// FUSED-NEXT: "n0.0" -> "n0.1";
// FUSED-NEXT: "n0.1" -> "n0.2";
// FUSED:      "n1" [label="%1 = mars.sum
// FUSED-NEXT: "n0.2" -> "n1";
// FUSED:      label="%2 = mars.fused\nint32 ()\n1 chunk, 9 tasks";
// FUSED:      "n0.2" -> "n2.0";
// FUSED-NEXT: "n2.0" -> "n2.1";
// FUSED:      "n2.1" -> "return";

// CHUNKS:      subgraph "cluster_n0" {
// CHUNKS-NEXT:   label="%0 = mars.fused(full, add, exp)\n2x3 chunks of 2x2";
// CHUNKS-COUNT-6: "n0c{{[0-5]}}" [label="[{{[01]}}, {{[012]}}]"];
// CHUNKS:      "a0c5" -> "n0c5";
// CHUNKS:      label="%1 = mars.sum\n2 chunks of 2";
// CHUNKS:      "n1c1s2" [label="[1] step 2"];
// CHUNKS:      "n0c5" -> "n1c1s2";
// CHUNKS:      "n1c1s2" -> "n1c1l1.0";
// CHUNKS:      "n1c1l1.0" -> "n1c1";

// SUMMARY: label="the chunk graph has {{[0-9]+}} tasks, more than 10: drawn per op"
// SUMMARY: subgraph "cluster_n0" {

// UNTILED: label="not tiled: no chunk graph"

// FANIN: error: fan-in must be at least 2, got 1
func.func @main(%a: tensor<4x6xf64>) -> (tensor<4xf64>, tensor<i32>) {
  %one = mars.full(1.0) : tensor<f64>
  %0 = mars.add %a, %one : (tensor<4x6xf64>, tensor<f64>) -> tensor<4x6xf64>
  %1 = mars.exp %0 : tensor<4x6xf64>
  %2 = mars.sum %1 axes = [1] : tensor<4x6xf64> -> tensor<4xf64>
  %c = mars.cast %1 : (tensor<4x6xf64>) -> tensor<4x6xi32>
  %3 = mars.max %c : tensor<4x6xi32> -> tensor<i32>
  return %2, %3 : tensor<4xf64>, tensor<i32>
}

// -----

// Tests that a multi-output group names every result, a save is drawn with
// its path, and a product is coloured as one.
// INPUT-LABEL: digraph "multi"
// INPUT: "n1" [label="%1 = mars.matmul\nfloat64 (3, 3)", fillcolor="#f5d3d3"
// INPUT: "n2" [label="mars.save \"out/m.npy\"",
// INPUT: "n1" -> "n2";
// TILED-LABEL: digraph "multi"
// TILED: "n2" [label="%2 = mars.matmul\nfloat64 (3, 3)\n1x2 chunks of 3x2, 2 tasks", fillcolor="#f5d3d3"
// TILED: "n3" [label="mars.save \"out/m.npy\"\n2 tasks"
// FUSED-LABEL: digraph "multi"
// FUSED: label="%3:2 = mars.fused\nfloat64 ()\nfloat64 ()\n1 chunk, 3 tasks";
// FUSED: "n4.0" [label="mars.sum\nfloat64 ()"
// FUSED: "n4.1" [label="mars.max\nfloat64 ()"
// FUSED: "n2" -> "n4.0";
// FUSED: "n2" -> "n4.1";
// FUSED: "n4.0" -> "return";
// FUSED: "n4.1" -> "return";
func.func @multi(%a: tensor<3x3xf64>) -> (tensor<f64>, tensor<f64>) {
  %0 = mars.lu %a part = "u" : tensor<3x3xf64> -> tensor<3x3xf64>
  %m = mars.matmul %0, %a : tensor<3x3xf64>, tensor<3x3xf64> -> tensor<3x3xf64>
  mars.save %m, "out/m.npy" : tensor<3x3xf64>
  %s = mars.sum %m : tensor<3x3xf64> -> tensor<f64>
  %x = mars.max %m : tensor<3x3xf64> -> tensor<f64>
  return %s, %x : tensor<f64>, tensor<f64>
}
