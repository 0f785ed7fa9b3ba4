// A transpose with the identity permutation feeding a matrix product is a
// copy: BLAS must not read its source as transposed (it did, giving wrong
// products).

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --kernel-cache=none %s | FileCheck %s
// RUN: mars-run --kernel-cache=none --chunks=1 %s | FileCheck %s

// CHECK: {{\[\[}}14. 32.]
// CHECK-NEXT: [32. 77.]]
func.func @main() -> tensor<2x2xf64> {
  %a = mars.arange start = 1.0, step = 1.0 : tensor<6xf64>
  %m = mars.reshape %a : tensor<6xf64> -> tensor<2x3xf64>
  %id = mars.transpose %m perm = [0, 1] : tensor<2x3xf64> -> tensor<2x3xf64>
  %t = mars.transpose %m perm = [1, 0] : tensor<2x3xf64> -> tensor<3x2xf64>
  %p = mars.matmul %id, %t : tensor<2x3xf64>, tensor<3x2xf64> -> tensor<2x2xf64>
  return %p : tensor<2x2xf64>
}
