// Results that are siblings (three reductions of one stored value) are
// walked together, chunk by chunk and step by step: each chunk of %e is read
// by its three partials and freed, instead of being kept whole (8 MB) until
// the walks of the max and the min reach it. %e (an exp) is stored; one
// thread holds one chunk of it (80 KB) at the peak, two threads two. With
// multi-output fusion the three reductions are one op whose tasks read
// each chunk once (three partials of 8 bytes held instead of one).

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=100 %s | FileCheck %s
// RUN: mars-run --engine=compiled --fuse=false --kernel-cache=none --chunks=100 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=100 --multi-output=false --threads=1 --quiet --stats=- %s | FileCheck %s --check-prefix=ONE
// RUN: mars-run --engine=chunked --chunks=100 --multi-output=false --threads=2 --quiet --stats=- %s | FileCheck %s --check-prefix=TWO
// RUN: mars-run --engine=compiled --fuse=false --kernel-cache=none --chunks=100 --threads=2 --quiet --stats=- %s | FileCheck %s --check-prefix=TWO
// RUN: mars-run --engine=chunked --chunks=100 --threads=1 --quiet --stats=- %s | FileCheck %s --check-prefix=MULTI

// CHECK: 1174737.75113500
// CHECK-NEXT: 2.718277269066923
// CHECK-NEXT: 0.367880260298431
// ONE: "peak_memory_bytes": 80248,
// TWO: "peak_memory_bytes": {{[0-9][0-9]?[0-9]?[0-9]?[0-9]?[0-9]?}},
// MULTI: "peak_memory_bytes": 80264,
// MULTI: "tasks": 200,
func.func @main() -> (tensor<f64>, tensor<f64>, tensor<f64>) {
  %x = mars.random_uniform seed = 7, low = -1.0, high = 1.0 : tensor<1000x1000xf64>
  %e = mars.exp %x : tensor<1000x1000xf64>
  %s = mars.sum %e : tensor<1000x1000xf64> -> tensor<f64>
  %m = mars.max %e : tensor<1000x1000xf64> -> tensor<f64>
  %n = mars.min %e : tensor<1000x1000xf64> -> tensor<f64>
  return %s, %m, %n : tensor<f64>, tensor<f64>, tensor<f64>
}
