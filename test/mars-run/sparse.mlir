// Sparse matrices (#mars.csr): eye's sparse form, to_sparse and to_dense,
// and sparse-times-dense products (SpMV, SpMM), with chunks that cut rows
// and the contracted columns (ragged last chunks), spilled and read back,
// on every engine. Expected values are scipy.sparse's.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=1 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --fuse=false %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --spill-eagerly %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator %s 2>/dev/null | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --stats=%t.json --chunks=2 %s > /dev/null
// RUN: not mars-run --engine=reference %s --output=%t.out 2>&1 | FileCheck %s --check-prefix=NPY
// RUN: %python -c "import json, sys; s = json.load(open(sys.argv[1])); print(sorted(set(o for o in s['interpreted_ops'] if o.startswith('mars.matmul'))))" %t.json | FileCheck %s --check-prefix=NOTE

// eye(4, 5, k=1, sparse=True)
// CHECK:      (0, 1)	1.0
// CHECK-NEXT: (1, 2)	1.0
// CHECK-NEXT: (2, 3)	1.0
// CHECK-NEXT: (3, 4)	1.0
// SpMV, SpMM
// CHECK-NEXT: [2. 3. 4. 5.]
// CHECK-NEXT: {{\[}}[ 3.  4.  5.]
// CHECK-NEXT: [ 6.  7.  8.]
// CHECK-NEXT: [ 9. 10. 11.]
// CHECK-NEXT: [12. 13. 14.]]
// to_sparse of (arange(25) % 3).reshape(5, 5): its 16 nonzeros
// CHECK-NEXT: (0, 1)	1
// CHECK-NEXT: (0, 2)	2
// CHECK-NEXT: (0, 4)	1
// CHECK-NEXT: (1, 0)	2
// CHECK-NEXT: (1, 2)	1
// CHECK-NEXT: (1, 3)	2
// CHECK-NEXT: (2, 0)	1
// CHECK-NEXT: (2, 1)	2
// CHECK-NEXT: (2, 3)	1
// CHECK-NEXT: (2, 4)	2
// CHECK-NEXT: (3, 1)	1
// CHECK-NEXT: (3, 2)	2
// CHECK-NEXT: (3, 4)	1
// CHECK-NEXT: (4, 0)	2
// CHECK-NEXT: (4, 2)	1
// CHECK-NEXT: (4, 3)	2
// its product with arange(5) (int64), and back to dense
// CHECK-NEXT: [ 9  8 13  9  8]
// CHECK-NEXT: {{\[}}[0 1 2 0 1]
// CHECK-NEXT: [2 0 1 2 0]
// CHECK-NEXT: [1 2 0 1 2]
// CHECK-NEXT: [0 1 2 0 1]
// CHECK-NEXT: [2 0 1 2 0]]
// SpGEMM: eye(4, 5, k=1) @ eye(5, 3, k=-1), sparse
// CHECK-NEXT: (0, 0)	1.0
// CHECK-NEXT: (1, 1)	1.0
// CHECK-NEXT: (2, 2)	1.0

// NOTE: ['mars.matmul: sparse products run in the runtime']
// NPY: result0.npy': a sparse matrix has no .npy form (convert it with mars.to_dense, or save it with scipy.sparse.save_npz)
func.func @main() -> (tensor<4x5xf64, #mars.csr>, tensor<4xf64>,
                      tensor<4x3xf64>, tensor<5x5xi64, #mars.csr>,
                      tensor<5xi64>, tensor<5x5xi64>,
                      tensor<4x3xf64, #mars.csr>) {
  %e = mars.eye k = 1 : tensor<4x5xf64, #mars.csr>
  %x = mars.arange start = 1.0, step = 1.0 : tensor<5xf64>
  %y = mars.matmul %e, %x : tensor<4x5xf64, #mars.csr>, tensor<5xf64> -> tensor<4xf64>
  %r = mars.arange start = 0.0, step = 1.0 : tensor<15xf64>
  %m = mars.reshape %r : tensor<15xf64> -> tensor<5x3xf64>
  %z = mars.matmul %e, %m : tensor<4x5xf64, #mars.csr>, tensor<5x3xf64> -> tensor<4x3xf64>
  %i = mars.arange start = 0.0, step = 1.0 : tensor<25xi64>
  %three = mars.full(3 : i64) : tensor<i64>
  %mod = mars.mod %i, %three : (tensor<25xi64>, tensor<i64>) -> tensor<25xi64>
  %a = mars.reshape %mod : tensor<25xi64> -> tensor<5x5xi64>
  %s = mars.to_sparse %a : tensor<5x5xi64> -> tensor<5x5xi64, #mars.csr>
  %v = mars.arange start = 0.0, step = 1.0 : tensor<5xi64>
  %sv = mars.matmul %s, %v : tensor<5x5xi64, #mars.csr>, tensor<5xi64> -> tensor<5xi64>
  %d = mars.to_dense %s : tensor<5x5xi64, #mars.csr> -> tensor<5x5xi64>
  %f = mars.eye k = -1 : tensor<5x3xf64, #mars.csr>
  %g = mars.matmul %e, %f : tensor<4x5xf64, #mars.csr>, tensor<5x3xf64, #mars.csr> -> tensor<4x3xf64, #mars.csr>
  return %e, %y, %z, %s, %sv, %d, %g : tensor<4x5xf64, #mars.csr>, tensor<4xf64>,
                                       tensor<4x3xf64>, tensor<5x5xi64, #mars.csr>,
                                       tensor<5xi64>, tensor<5x5xi64>,
                                       tensor<4x3xf64, #mars.csr>
}
