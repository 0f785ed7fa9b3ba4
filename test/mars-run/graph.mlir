// RUN: mars-run %s --graph=input | FileCheck %s --check-prefix=INPUT
// RUN: mars-run %s --graph=tiled --chunks 2 | FileCheck %s --check-prefix=TILED
// RUN: mars-run %s --graph=fused --chunks 2 | FileCheck %s --check-prefix=FUSED
// RUN: mars-run %s --graph=chunks --chunks 2 | FileCheck %s --check-prefix=CHUNKS
// RUN: mars-run %s --graph=chunks --chunks 1 --entry big | FileCheck %s --check-prefix=LARGE
// RUN: mars-run %s --graph=fused --chunks 2 --fuse=false | FileCheck %s --check-prefix=TILED
// RUN: not mars-run %s --graph=bogus 2>&1 | FileCheck %s --check-prefix=BAD

// Tests mars-run's pictures of the program at each stage of the session's
// own pipeline (without running it: no arguments are needed), and that
// Graphviz renders every one of them.
// RUN: %if graphviz %{ mars-run %s --graph=input | dot -Tsvg | FileCheck %s --check-prefix=SVG %}
// RUN: %if graphviz %{ mars-run %s --graph=fused --chunks 2 | dot -Tsvg | FileCheck %s --check-prefix=SVG %}
// RUN: %if graphviz %{ mars-run %s --graph=chunks --chunks 2 | dot -Tsvg | FileCheck %s --check-prefix=SVG %}

// INPUT: "a0" [label="%arg0\nfloat64 (4, 6)", shape=invhouse
// INPUT: "n3" [label="%3 = mars.mul\nfloat64 (4, 6)"
// INPUT-NOT: chunk

// TILED: "n1" [label="%1 = mars.add\nfloat64 (4, 6)\n2x3 chunks of 2x2, 6 tasks"
// TILED-NOT: cluster

// FUSED: subgraph "cluster_n0" {
// FUSED-NEXT: label="%0 = mars.fused\nfloat64 (4, 6)\n2x3 chunks of 2x2, 6 tasks";

// CHUNKS: label="%0 = mars.fused(full, add, full, mul)\n2x3 chunks of 2x2";
// CHUNKS: "a0c5" -> "n0c5";

// 3600 chunks of one element: the chunk graph is drawn per op.
// LARGE: label="the chunk graph has 3600 tasks, more than 2000: drawn per op"
// LARGE: label="%0 = mars.fused\nfloat64 (60, 60)\n60x60 chunks of 1x1, 3600 tasks"

// BAD: for the --graph option: Cannot find option named 'bogus'!

// SVG: <svg
// SVG: </svg>
func.func @main(%a: tensor<4x6xf64>) -> tensor<4x6xf64> {
  %one = mars.full(1.0) : tensor<f64>
  %0 = mars.add %a, %one : (tensor<4x6xf64>, tensor<f64>) -> tensor<4x6xf64>
  %two = mars.full(2.0) : tensor<f64>
  %1 = mars.mul %0, %two : (tensor<4x6xf64>, tensor<f64>) -> tensor<4x6xf64>
  return %1 : tensor<4x6xf64>
}

func.func @big() -> tensor<60x60xf64> {
  %r = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<60x60xf64>
  %0 = mars.neg %r : tensor<60x60xf64>
  return %0 : tensor<60x60xf64>
}
