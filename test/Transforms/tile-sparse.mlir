// RUN: mars-opt %s -split-input-file -mars-tile | FileCheck %s
// RUN: mars-opt %s -split-input-file -mars-tile="chunk-bytes=1048576" | FileCheck %s --check-prefix=MB
// RUN: mars-opt %s -split-input-file -mars-tile="chunk-bytes=65536" | FileCheck %s --check-prefix=KB

// A sparse matrix without a layout is cut into blocks of whole rows, as many
// as keep the most a block stores within chunk-bytes: eye's bound is one
// element per row, (r + 1) * 8 + r * 16 bytes for r rows of f64.
// CHECK-LABEL: func.func @eye
// CHECK: mars.eye {mars.chunks = array<i64: 1000000, 1000000>}
// MB-LABEL: func.func @eye
// MB: mars.eye {mars.chunks = array<i64: 31250, 1000000>}
func.func @eye() -> tensor<1000000x1000000xf64, #mars.csr> {
  %e = mars.eye : tensor<1000000x1000000xf64, #mars.csr>
  return %e : tensor<1000000x1000000xf64, #mars.csr>
}

// -----

// The join of a very sparse wide matrix with itself stores at most twice the
// bound of its random draw (about 1000 elements): one block, not the
// thousands of square blocks of a dense matrix of its area; so is its
// strided slice. The transpose permutes its operand's blocks.
// CHECK-LABEL: func.func @join
// CHECK: mars.random_uniform {{.*}} {mars.chunks = array<i64: 25000, 1000000>}
// CHECK: mars.concatenate {{.*}} {mars.chunks = array<i64: 200000, 1000000>}
// CHECK: mars.slice {{.*}} {mars.chunks = array<i64: 100000, 333334>}
// CHECK: mars.transpose {{.*}} {mars.chunks = array<i64: 1000000, 25000>}
func.func @join() -> (tensor<200000x1000000xf64, #mars.csr>, tensor<100000x333334xf64, #mars.csr>, tensor<1000000x100000xf64, #mars.csr>) {
  %u = mars.random_uniform seed = 9, low = 0.0, high = 1.0, density = 1.0e-8 {mars.chunks = array<i64: 25000, 1000000>} : tensor<100000x1000000xf64, #mars.csr>
  %c = mars.concatenate %u, %u axis = 0 : tensor<100000x1000000xf64, #mars.csr>, tensor<100000x1000000xf64, #mars.csr> -> tensor<200000x1000000xf64, #mars.csr>
  %s = mars.slice %u [:, ::3] : tensor<100000x1000000xf64, #mars.csr> -> tensor<100000x333334xf64, #mars.csr>
  %t = mars.transpose %u perm = [1, 0] : tensor<100000x1000000xf64, #mars.csr> -> tensor<1000000x100000xf64, #mars.csr>
  return %c, %s, %t : tensor<200000x1000000xf64, #mars.csr>, tensor<100000x333334xf64, #mars.csr>, tensor<1000000x100000xf64, #mars.csr>
}

// -----

// Without a bound (an argument) every element counts: 4 rows of 1000 f64
// fit 64 KiB. A row that does not fit alone is split by columns.
// KB-LABEL: func.func @unbounded
// KB-SAME: tensor<1000x1000xf64, #mars.csr> {mars.chunks = array<i64: 4, 1000>}
// KB-SAME: tensor<1x100000xf64, #mars.csr> {mars.chunks = array<i64: 1, 3125>}
func.func @unbounded(%a: tensor<1000x1000xf64, #mars.csr>, %b: tensor<1x100000xf64, #mars.csr>) -> (tensor<1000x1000xf64, #mars.csr>, tensor<1x100000xf64, #mars.csr>) {
  return %a, %b : tensor<1000x1000xf64, #mars.csr>, tensor<1x100000xf64, #mars.csr>
}

// -----

// An argument the front end says stores 1000 elements (mars.stored, a
// matrix an earlier execution made) is cut by that count, and so is what
// reads it: one block each, where 64 KiB blocks of its area are 4 rows.
// KB-LABEL: func.func @stored_argument
// KB-SAME: {mars.chunks = array<i64: 1000, 1000>, mars.stored = 1000 : i64}
// KB: mars.slice {{.*}} {mars.chunks = array<i64: 1000, 500>}
func.func @stored_argument(%a: tensor<1000x1000xf64, #mars.csr> {mars.stored = 1000 : i64}) -> tensor<1000x500xf64, #mars.csr> {
  %s = mars.slice %a [:, ::2] : tensor<1000x1000xf64, #mars.csr> -> tensor<1000x500xf64, #mars.csr>
  return %s : tensor<1000x500xf64, #mars.csr>
}
