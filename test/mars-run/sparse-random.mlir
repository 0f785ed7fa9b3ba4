// Random sparse matrices (`density`): the same matrix on every engine and
// chunking (positions from per-row Philox streams, values the dense op's),
// each chunk made from its stored elements.

// RUN: mars-run --engine=reference %s > %t.reference
// RUN: mars-run --engine=chunked --chunks=7 %s > %t.chunked
// RUN: diff %t.reference %t.chunked
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 %s > %t.compiled
// RUN: diff %t.reference %t.compiled
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=5 --spill-eagerly %s > %t.spilled
// RUN: diff %t.reference %t.spilled
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=4 --device=gpu-emulator %s 2>/dev/null > %t.emulator
// RUN: diff %t.reference %t.emulator
// RUN: FileCheck %s < %t.reference
// RUN: mars-opt %s | mars-opt | FileCheck %s --check-prefix=ROUND

// The values where the sparse draws store elements are the dense draws'.
// CHECK: [0. 0. 0.]
// CHECK: [0 0 0]
// CHECK: 100

// ROUND: mars.random_uniform seed = 9, low = 0.000000e+00, high = 1.000000e+00, density = 1.000000e-01 : tensor<20x30xf64, #mars.csr>
func.func @main() -> (tensor<20x30xf64, #mars.csr>, tensor<25x13xi32, #mars.csr>,
                      tensor<3xf64>, tensor<3xi32>, tensor<i64>) {
  %u = mars.random_uniform seed = 9, low = 0.0, high = 1.0, density = 0.1 : tensor<20x30xf64, #mars.csr>
  %i = mars.random_integers seed = 4, low = -5, high = 5, density = 0.3 : tensor<25x13xi32, #mars.csr>
  // sparse - dense where stored (the product with a dense array keeps the
  // structure; its sum per row is 0 where values agree).
  %ud = mars.random_uniform seed = 9, low = 0.0, high = 1.0 : tensor<20x30xf64>
  %diff = mars.mul %u, %ud : (tensor<20x30xf64, #mars.csr>, tensor<20x30xf64>) -> tensor<20x30xf64, #mars.csr>
  %sq = mars.mul %u, %u : tensor<20x30xf64, #mars.csr>
  %ones = mars.full(1.0) : tensor<30xf64>
  %a = mars.matmul %diff, %ones : tensor<20x30xf64, #mars.csr>, tensor<30xf64> -> tensor<20xf64>
  %b = mars.matmul %sq, %ones : tensor<20x30xf64, #mars.csr>, tensor<30xf64> -> tensor<20xf64>
  %d = mars.sub %a, %b : tensor<20xf64>
  %dmax = mars.abs %d : tensor<20xf64>
  %first = mars.slice %dmax [0:3] : tensor<20xf64> -> tensor<3xf64>
  %id = mars.random_integers seed = 4, low = -5, high = 5 : tensor<25x13xi32>
  %ieq = mars.mul %i, %id : (tensor<25x13xi32, #mars.csr>, tensor<25x13xi32>) -> tensor<25x13xi32, #mars.csr>
  %isq = mars.mul %i, %i : tensor<25x13xi32, #mars.csr>
  %ione = mars.full(1) : tensor<13xi32>
  %ia = mars.matmul %ieq, %ione : tensor<25x13xi32, #mars.csr>, tensor<13xi32> -> tensor<25xi32>
  %ib = mars.matmul %isq, %ione : tensor<25x13xi32, #mars.csr>, tensor<13xi32> -> tensor<25xi32>
  %id2 = mars.sub %ia, %ib : tensor<25xi32>
  %ifirst = mars.slice %id2 [0:3] : tensor<25xi32> -> tensor<3xi32>
  // Density 1 stores every element of a 10 x 10 draw.
  %full = mars.random_uniform seed = 1, low = 1.0, high = 2.0, density = 1.0 : tensor<10x10xf64, #mars.csr>
  %fd = mars.to_dense %full : tensor<10x10xf64, #mars.csr> -> tensor<10x10xf64>
  %nz = mars.count_nonzero %fd : tensor<10x10xf64> -> tensor<i64>
  return %u, %i, %first, %ifirst, %nz : tensor<20x30xf64, #mars.csr>, tensor<25x13xi32, #mars.csr>, tensor<3xf64>, tensor<3xi32>, tensor<i64>
}
