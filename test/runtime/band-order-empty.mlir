// A product with no chunks, returned and unused, under a memory limit (the
// default one too): the walk looks for a band order only in grids that have
// chunks, and the run returns the empty result.
//
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=2 --memory-limit=1MB | FileCheck %s
// RUN: mars-run %s --engine=chunked --chunks=2 | FileCheck %s
// CHECK: []
// CHECK: []

func.func @main() -> (tensor<0x4xf64>, tensor<4x0xf64>) {
  %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<0x3xf64>
  %b = mars.random_uniform seed = 2, low = 0.0, high = 1.0 : tensor<3x4xf64>
  %p = mars.matmul %a, %b : tensor<0x3xf64>, tensor<3x4xf64> -> tensor<0x4xf64>
  %e = mars.exp %p : tensor<0x4xf64>
  %t = mars.transpose %b perm = [1, 0] : tensor<3x4xf64> -> tensor<4x3xf64>
  %z = mars.random_uniform seed = 3, low = 0.0, high = 1.0 : tensor<3x0xf64>
  %q = mars.matmul %t, %z : tensor<4x3xf64>, tensor<3x0xf64> -> tensor<4x0xf64>
  %s = mars.sum %q : tensor<4x0xf64> -> tensor<f64>
  return %e, %q : tensor<0x4xf64>, tensor<4x0xf64>
}
