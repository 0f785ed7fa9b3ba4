// A task reserves what a sparse chunk can store before making it: for moves
// of elements (transpose, slice, concatenate, rechunk) what their operands
// store in the regions they read, for a sparse product (SpGEMM) at most the
// pairs of stored elements that meet, for random draws their tail bound.
// Each result chunk below would reserve 6.4 GB if every element counted
// (20000 x 20000 f64): under a 64 MB limit the program failed. Now it
// runs, and equals the reference engine.

// RUN: mars-run --engine=reference %s > %t.reference
// RUN: mars-run --engine=compiled --kernel-cache=none --memory-limit=64MB %s > %t.compiled
// RUN: diff %t.reference %t.compiled
// RUN: mars-run --engine=compiled --kernel-cache=none --memory-limit=64MB --spill-eagerly %s > %t.spilled
// RUN: diff %t.reference %t.spilled
// RUN: FileCheck %s < %t.reference
// RUN: mars-opt %s -mars-tile | FileCheck %s --check-prefix=TILE

// A A^T stores its diagonal where a row stores anything:
// CHECK: (1, 1){{[[:space:]]}}0.2508581696872002
// The automatic chunks of the sparse results are blocks of whole rows:
// TILE: mars.matmul {{.*}} {mars.chunks = array<i64: 20000, 20000>}
// TILE: mars.concatenate {{.*}} {mars.chunks = array<i64: 40000, 20000>}

func.func @main() -> (tensor<20000x20000xf64, #mars.csr>, tensor<40000x20000xf64, #mars.csr>, tensor<6667x20000xf64, #mars.csr>) {
  %a = mars.random_uniform seed = 5, low = 0.0, high = 1.0, density = 2.0e-5 {mars.chunks = array<i64: 20000, 20000>} : tensor<20000x20000xf64, #mars.csr>
  %t = mars.transpose %a perm = [1, 0] : tensor<20000x20000xf64, #mars.csr> -> tensor<20000x20000xf64, #mars.csr>
  %p = mars.matmul %a, %t : tensor<20000x20000xf64, #mars.csr>, tensor<20000x20000xf64, #mars.csr> -> tensor<20000x20000xf64, #mars.csr>
  %j = mars.concatenate %a, %t axis = 0 : tensor<20000x20000xf64, #mars.csr>, tensor<20000x20000xf64, #mars.csr> -> tensor<40000x20000xf64, #mars.csr>
  %s = mars.slice %j [::-6, :] : tensor<40000x20000xf64, #mars.csr> -> tensor<6667x20000xf64, #mars.csr>
  return %p, %j, %s : tensor<20000x20000xf64, #mars.csr>, tensor<40000x20000xf64, #mars.csr>, tensor<6667x20000xf64, #mars.csr>
}
