// RUN: mars-opt %s -split-input-file -mars-tile=chunk-size=4 -mars-fuse -mars-outline-kernels | FileCheck %s
// RUN: mars-opt %s -split-input-file -mars-pipeline | FileCheck %s --check-prefix=PIPELINE
// RUN: mars-opt %s -split-input-file -mars-tile=chunk-size=4 -mars-fuse -mars-outline-kernels=parallel=false | FileCheck %s --check-prefix=SERIAL
// RUN: mars-opt %s -split-input-file -mars-pipeline -convert-scf-to-openmp | FileCheck %s --check-prefix=OMP

// A fused elementwise chain: one kernel, named on the fused op.
// CHECK-LABEL: func.func @chain
// CHECK: mars.fused(%{{.*}}) {{{.*}}mars.kernel = @chain_kernel0}
// CHECK: func.func @chain_kernel0(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: scf.parallel
// CHECK: scf.for
// CHECK: arith.addf
// CHECK: arith.mulf
// CHECK: llvm.store
// PIPELINE-LABEL: func.func @chain
// PIPELINE: mars.kernel = @chain_kernel0
// SERIAL-LABEL: func.func @chain_kernel0
// SERIAL-NOT: scf.parallel
// SERIAL: return
// OMP-LABEL: func.func @chain_kernel0
// OMP: omp.parallel
// OMP: omp.wsloop
func.func @chain(%a: tensor<8x8xf64>) -> tensor<8x8xf64> {
  %one = mars.full(1.0) : tensor<f64>
  %b = mars.add %a, %one : (tensor<8x8xf64>, tensor<f64>) -> tensor<8x8xf64>
  %c = mars.mul %b, %b : tensor<8x8xf64>
  return %c : tensor<8x8xf64>
}

// -----

// Shape ops get no kernel; a lone elementwise op (used twice, so not fused)
// and reductions do: an argmax keeps a value and an index.
// CHECK-LABEL: func.func @mixed
// CHECK: mars.transpose
// CHECK-NOT: mars.kernel
// CHECK: mars.neg %{{.*}} {{{.*}}mars.kernel = @mixed_kernel0}
// CHECK: mars.max %{{.*}} {{{.*}}mars.kernel = @mixed_kernel1}
// CHECK: mars.argmax %{{.*}} {{{.*}}mars.kernel = @mixed_kernel2}
// CHECK: return
// CHECK: func.func @mixed_kernel0
// CHECK: arith.negf
// CHECK: func.func @mixed_kernel1
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf uno
// CHECK: func.func @mixed_kernel2
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (f64, i64)
// CHECK: arith.cmpi slt
// CHECK: arith.cmpf ogt
// CHECK: arith.select
// CHECK: arith.select
func.func @mixed(%a: tensor<8x6xf64>) -> (tensor<6x8xf64>, tensor<6xf64>, tensor<i64>) {
  %t = mars.transpose %a perm = [1, 0] : tensor<8x6xf64> -> tensor<6x8xf64>
  %n = mars.neg %t : tensor<6x8xf64>
  %m = mars.max %n axes = [1] : tensor<6x8xf64> -> tensor<6xf64>
  %i = mars.argmax %m : tensor<6xf64> -> tensor<i64>
  return %n, %m, %i : tensor<6x8xf64>, tensor<6xf64>, tensor<i64>
}

// -----

// Random numbers are generated inside the reduction's kernel.
// CHECK-LABEL: func.func @pi
// CHECK: mars.fused() {{{.*}}mars.kernel = @pi_kernel0}
// CHECK: func.func @pi_kernel0
// CHECK: scf.if
// CHECK: arith.mului_extended
// CHECK: scf.for {{.*}} iter_args
// CHECK: arith.addf
func.func @pi() -> tensor<100xf64> {
  %p = mars.random_uniform seed = 1, low = -1.0, high = 1.0 : tensor<100x2xf64>
  %sq = mars.square %p : tensor<100x2xf64>
  %r = mars.sum %sq axes = [1] : tensor<100x2xf64> -> tensor<100xf64>
  return %r : tensor<100xf64>
}

// -----

// A std partial takes two kernels over the fused chain, neither of which
// stores it: the sum, then the squared deviations from the chunk's mean,
// read through the pointer after the output's (ptrs[2] here: one input).
// CHECK-LABEL: func.func @std
// CHECK: mars.fused(%{{.*}}) {{{.*}}mars.kernel = @std_kernel0}
// CHECK: func.func @std_kernel0(
// CHECK-NOT: llvm.getelementptr %arg0[2]
// CHECK: arith.subf
// CHECK: arith.addf
// CHECK: return
// CHECK: func.func @std_kernel0_deviations(
// CHECK: llvm.getelementptr %arg0[2]
// CHECK: arith.subf
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: return
func.func @std(%a: tensor<8x8xf64>) -> tensor<f64> {
  %one = mars.full(1.0) : tensor<f64>
  %b = mars.sub %a, %one : (tensor<8x8xf64>, tensor<f64>) -> tensor<8x8xf64>
  %s = mars.std %b : tensor<8x8xf64> -> tensor<f64>
  return %s : tensor<f64>
}
