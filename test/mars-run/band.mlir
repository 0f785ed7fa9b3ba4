// mars.band (numpy's tril/triu, scipy.sparse.tril/triu): the diagonals
// lower..upper of the last two axes, of dense stacks and of sparse matrices
// (only the stored elements inside the band, explicit zeros included), with
// chunks that cut the band (ragged last chunks), spilled, on every engine.
// Expected values are numpy's and scipy.sparse's.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=1 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --spill-eagerly %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator %s 2>/dev/null | FileCheck %s

// scipy.sparse.tril(m, 0) of m = [[1 0 2 0 3], [0 0 4 0 0], [5 6 0 0 7],
// [0 8 0 9 nan]]
// CHECK:      (0, 0)	1.0
// CHECK-NEXT: (2, 0)	5.0
// CHECK-NEXT: (2, 1)	6.0
// CHECK-NEXT: (3, 1)	8.0
// CHECK-NEXT: (3, 3)	9.0
// scipy.sparse.triu(m, 2)
// CHECK-NEXT: (0, 2)	2.0
// CHECK-NEXT: (0, 4)	3.0
// CHECK-NEXT: (2, 4)	7.0
// the band -1..1 of (arange(24) - 5).reshape(2, 3, 4) as int32
// CHECK-NEXT: {{\[}}{{\[}}[-5 -4  0  0]
// CHECK-NEXT: [-1  0  1  0]
// CHECK-NEXT: [ 0  4  5  6]]
// CHECK-EMPTY:
// CHECK-NEXT: {{\[}}[ 7  8  0  0]
// CHECK-NEXT: [11 12 13  0]
// CHECK-NEXT: [ 0 16 17 18]]]
// an empty band (lower > upper): every element zero
// CHECK-NEXT: {{\[}}[0. 0. 0.]
// CHECK-NEXT: [0. 0. 0.]]
func.func @main() -> (tensor<4x5xf64, #mars.csr>, tensor<4x5xf64, #mars.csr>,
                      tensor<2x3x4xi32>, tensor<2x3xf64>) {
  %d = mars.constant dense<[[1.0, 0.0, 2.0, 0.0, 3.0], [0.0, 0.0, 4.0, 0.0, 0.0],
                            [5.0, 6.0, 0.0, 0.0, 7.0], [0.0, 8.0, 0.0, 9.0, 0x7FF8000000000000]]> : tensor<4x5xf64>
  %m = mars.to_sparse %d : tensor<4x5xf64> -> tensor<4x5xf64, #mars.csr>
  %l = mars.band %m lower = -4, upper = 0 : tensor<4x5xf64, #mars.csr> -> tensor<4x5xf64, #mars.csr>
  %u = mars.band %m lower = 2, upper = 5 : tensor<4x5xf64, #mars.csr> -> tensor<4x5xf64, #mars.csr>
  %r = mars.arange start = -5.0, step = 1.0 : tensor<24xi32>
  %s = mars.reshape %r : tensor<24xi32> -> tensor<2x3x4xi32>
  %b = mars.band %s lower = -1, upper = 1 : tensor<2x3x4xi32> -> tensor<2x3x4xi32>
  %o = mars.ones : tensor<2x3xf64>
  %e = mars.band %o lower = 1, upper = 0 : tensor<2x3xf64> -> tensor<2x3xf64>
  return %l, %u, %b, %e : tensor<4x5xf64, #mars.csr>, tensor<4x5xf64, #mars.csr>, tensor<2x3x4xi32>, tensor<2x3xf64>
}
