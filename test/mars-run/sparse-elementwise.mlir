// Elementwise ops and transposes of sparse matrices (#mars.csr): a unary or
// binary op with numbers maps the stored elements, valid when it keeps
// zeros zero (checked when run); never fused or compiled. On every engine.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --spill-eagerly %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator %s 2>/dev/null | FileCheck %s
// RUN: mars-run --engine=reference %s --entry=arrays | FileCheck %s --check-prefix=ARRAYS
// RUN: mars-run --engine=chunked --chunks=2 %s --entry=arrays | FileCheck %s --check-prefix=ARRAYS
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 %s --entry=arrays | FileCheck %s --check-prefix=ARRAYS
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --spill-eagerly %s --entry=arrays | FileCheck %s --check-prefix=ARRAYS
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator %s --entry=arrays 2>/dev/null | FileCheck %s --check-prefix=ARRAYS
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

// A sparse matrix times dense arrays that broadcast to its shape (scipy's
// multiply): the arrays are read at its stored elements only, so the inf
// in the row vector meets no stored element and leaves no NaN; the result
// keeps the matrix's structure. The row vector is computed (fused) first.
// ARRAYS:      (0, 1)	-2
// ARRAYS-NEXT: (1, 2)	-6
// ARRAYS-NEXT: (2, 3)	-12
func.func @arrays() -> tensor<3x4xf64, #mars.csr> {
  %e = mars.eye k = 1 : tensor<3x4xf64, #mars.csr>
  %r = mars.arange start = 1.0, step = 1.0 : tensor<4xf64>
  %inf = mars.full(0x7FF0000000000000) : tensor<4xf64>
  %first = mars.arange start = 0.0, step = 1.0 : tensor<4xf64>
  %zero = mars.full(0.0) : tensor<4xf64>
  %isFirst = mars.eq %first, %zero : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xi1>
  %row = mars.where %isFirst, %inf, %r : (tensor<4xi1>, tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
  %m = mars.mul %e, %row : (tensor<3x4xf64, #mars.csr>, tensor<4xf64>) -> tensor<3x4xf64, #mars.csr>
  %c = mars.arange start = -1.0, step = -1.0 : tensor<3xf64>
  %col = mars.reshape %c : tensor<3xf64> -> tensor<3x1xf64>
  %m2 = mars.mul %col, %m : (tensor<3x1xf64>, tensor<3x4xf64, #mars.csr>) -> tensor<3x4xf64, #mars.csr>
  return %m2 : tensor<3x4xf64, #mars.csr>
}
