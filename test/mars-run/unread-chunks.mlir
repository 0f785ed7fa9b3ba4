// Only the chunks the results need are computed: a slice of a huge lazily
// defined value costs the chunks it reads (here one of 10,001 random chunks
// and one of 8,193 arange chunks; 6 tasks in all with the sum), on every
// engine and with spilling, and gives the reference evaluator's elements.

// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=1000 %s --stats=%t.json | FileCheck %s
// RUN: FileCheck %s --check-prefix=TASKS < %t.json
// RUN: mars-run --engine=chunked --chunks=1000 %s --stats=%t.chunked.json | FileCheck %s
// RUN: FileCheck %s --check-prefix=TASKS < %t.chunked.json
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=1000 %s --spill-limit=1MiB --memory-limit=64MiB --quiet

// CHECK: {{\[\[0\.28[0-9]+ 0\.64[0-9]+}}
// CHECK: [5. 6. 7.]
// CHECK: 45.0
// TASKS: "tasks": 6,
func.func @main() -> (tensor<1x2xf64>, tensor<3xf64>, tensor<f64>) {
  %r = mars.random_uniform seed = 3, low = 0.0, high = 1.0 : tensor<10000000x10xf64>
  %s = mars.slice %r [-1:, 0:2] : tensor<10000000x10xf64> -> tensor<1x2xf64>
  %a = mars.arange start = 0.0, step = 1.0 {mars.chunks = array<i64: 1220704>} : tensor<10000000000xf64>
  %w = mars.slice %a [5:8] : tensor<10000000000xf64> -> tensor<3xf64>
  %u = mars.arange start = 0.0, step = 1.0 : tensor<10xf64>
  %t = mars.sum %u : tensor<10xf64> -> tensor<f64>
  return %s, %w, %t : tensor<1x2xf64>, tensor<3xf64>, tensor<f64>
}
