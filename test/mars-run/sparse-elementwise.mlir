// Elementwise ops and transposes of sparse matrices (#mars.csr): a unary or
// binary op with numbers maps the stored elements, valid when it keeps
// zeros zero (checked when run); never fused or compiled. On every engine.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --spill-eagerly %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator %s 2>/dev/null | FileCheck %s
// RUN: not mars-run --engine=compiled --kernel-cache=none --chunks=2 %s --entry=fills 2>&1 | FileCheck %s --check-prefix=FILLS
// RUN: not mars-run --engine=reference %s --entry=fills 2>&1 | FileCheck %s --check-prefix=FILLS

// -(eye(3, 4, k=1) * 2.5), as float32, transposed
// CHECK:      (1, 0)	-2.5
// CHECK-NEXT: (2, 1)	-2.5
// CHECK-NEXT: (3, 2)	-2.5
// eye(3, 4, k=1) * 2.5 times a vector of ones
// CHECK-NEXT: [2.5 2.5 2.5]
func.func @main() -> (tensor<4x3xf32, #mars.csr>, tensor<3xf64>) {
  %e = mars.eye k = 1 : tensor<3x4xf64, #mars.csr>
  %k = mars.full(2.5) : tensor<f64>
  %m = mars.mul %e, %k : (tensor<3x4xf64, #mars.csr>, tensor<f64>) -> tensor<3x4xf64, #mars.csr>
  %n = mars.neg %m : tensor<3x4xf64, #mars.csr>
  %c = mars.cast %n : (tensor<3x4xf64, #mars.csr>) -> tensor<3x4xf32, #mars.csr>
  %t = mars.transpose %c perm = [1, 0] : tensor<3x4xf32, #mars.csr> -> tensor<4x3xf32, #mars.csr>
  %ones = mars.full(1.0) : tensor<4xf64>
  %y = mars.matmul %m, %ones : tensor<3x4xf64, #mars.csr>, tensor<4xf64> -> tensor<3xf64>
  return %t, %y : tensor<4x3xf32, #mars.csr>, tensor<3xf64>
}

// FILLS: error: 'mars.add' of a sparse matrix would make its zeros nonzero (the result would be dense): convert with todense() first
func.func @fills() -> tensor<3x3xf64, #mars.csr> {
  %e = mars.eye : tensor<3x3xf64, #mars.csr>
  %one = mars.full(1.0) : tensor<f64>
  %a = mars.add %e, %one : (tensor<3x3xf64, #mars.csr>, tensor<f64>) -> tensor<3x3xf64, #mars.csr>
  return %a : tensor<3x3xf64, #mars.csr>
}
