// Reductions of a 1-d box to one element run as OpenMP reductions (blocks of
// the row in parallel, combined by __kmpc_reduce); several such kernels in
// one process each keep their own OpenMP globals.

// RUN: mars-run --engine=compiled --kernel-cache=none %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=30000 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --emit=llvm %s | FileCheck %s --check-prefix=LLVM

// CHECK: 4999950000
// CHECK-NEXT: 50000
// CHECK-NEXT: 4999950000.0
// CHECK-NEXT: 4294967296
// LLVM: call {{.*}}@__kmpc_reduce
func.func @main() -> (tensor<i64>, tensor<i64>, tensor<f64>, tensor<i64>) {
  %x = mars.arange start = 0.0, step = 1.0 : tensor<100000xi64>
  %s = mars.sum %x : tensor<100000xi64> -> tensor<i64>
  %half = mars.full(49999) : tensor<i64>
  %gt = mars.gt %x, %half : (tensor<100000xi64>, tensor<i64>) -> tensor<100000xi1>
  %n = mars.count_nonzero %gt : tensor<100000xi1> -> tensor<i64>
  %xf = mars.cast %x : (tensor<100000xi64>) -> tensor<100000xf64>
  %sf = mars.sum %xf : tensor<100000xf64> -> tensor<f64>
  %y = mars.arange start = 0.0, step = 1.0 : tensor<64xi64>
  %two = mars.full(2) : tensor<i64>
  %one = mars.full(1) : tensor<i64>
  %m = mars.mod %y, %two : (tensor<64xi64>, tensor<i64>) -> tensor<64xi64>
  %f = mars.add %m, %one : (tensor<64xi64>, tensor<i64>) -> tensor<64xi64>
  %p = mars.prod %f : tensor<64xi64> -> tensor<i64>
  return %s, %n, %sf, %p : tensor<i64>, tensor<i64>, tensor<f64>, tensor<i64>
}
