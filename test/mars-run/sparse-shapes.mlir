// Slices and concatenations of sparse matrices (#mars.csr): a slice (any
// steps) and a join of sparse matrices are sparse; chunks that cut the
// slices and the joined pieces, on every engine.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --spill-eagerly %s | FileCheck %s

// eye(5, k=1)[1::2, ::-1]: rows 1 and 3, columns reversed
// CHECK:      (0, 2)	1.0
// CHECK-NEXT: (1, 0)	1.0
// eye(2, 3) stacked on eye(3, 3, k=2): rows 0, 1, then 2
// CHECK-NEXT: (0, 0)	1.0
// CHECK-NEXT: (1, 1)	1.0
// CHECK-NEXT: (2, 2)	1.0
func.func @main() -> (tensor<2x5xf64, #mars.csr>, tensor<5x3xf64, #mars.csr>) {
  %e = mars.eye k = 1 : tensor<5x5xf64, #mars.csr>
  %s = mars.slice %e [1::2, ::-1] : tensor<5x5xf64, #mars.csr> -> tensor<2x5xf64, #mars.csr>
  %a = mars.eye : tensor<2x3xf64, #mars.csr>
  %b = mars.eye k = 2 : tensor<3x3xf64, #mars.csr>
  %c = mars.concatenate %a, %b axis = 0 : tensor<2x3xf64, #mars.csr>, tensor<3x3xf64, #mars.csr> -> tensor<5x3xf64, #mars.csr>
  return %s, %c : tensor<2x5xf64, #mars.csr>, tensor<5x3xf64, #mars.csr>
}
