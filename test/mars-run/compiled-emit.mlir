// What the compiled engine generates for its chunk kernels, stage by stage:
// loop-level MLIR (scf.parallel rows over a contiguous inner loop, Philox
// inline), optimised LLVM IR (OpenMP fork, vector instructions) and
// assembly. The function's argument need not be bound to emit code. Each
// parallel loop has a serial twin that a launch on one thread takes (the
// meta word after the output's strides, KernelABI::threaded), so a small
// chunk never enters the OpenMP runtime.

// RUN: mars-run --engine=compiled --emit=mlir --kernel-cache=none %s | FileCheck %s --check-prefix=MLIR
// RUN: mars-run --engine=compiled --emit=llvm --kernel-cache=none %s | FileCheck %s --check-prefix=LLVM
// RUN: mars-run --engine=compiled --emit=asm --kernel-cache=none %s | FileCheck %s --check-prefix=ASM

func.func @main(%x: tensor<256x300xf64>) -> (tensor<256x300xf64>, tensor<256xf64>) {
  // (x + 1) * 2 with a broadcast row of uniform random numbers: one kernel.
  %u = mars.random_uniform seed = 7, low = 0.0, high = 1.0 : tensor<300xf64>
  %one = mars.full(1.0) : tensor<f64>
  %a = mars.add %x, %one : (tensor<256x300xf64>, tensor<f64>) -> tensor<256x300xf64>
  %b = mars.mul %a, %u : (tensor<256x300xf64>, tensor<300xf64>) -> tensor<256x300xf64>
  // A reduction over a short last axis with its producers fused in.
  %p = mars.random_uniform seed = 2018, low = -1.0, high = 1.0 : tensor<256x2xf64>
  %sq = mars.square %p : tensor<256x2xf64>
  %r = mars.sum %sq axes = [1] : tensor<256x2xf64> -> tensor<256xf64>
  return %b, %r : tensor<256x300xf64>, tensor<256xf64>
}

// MLIR-LABEL: // kernel of 'mars.fused'
// MLIR: func.func @mars_kernel_{{[0-9a-f]+}}(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// MLIR: %[[THREADED:.*]] = arith.cmpi ne, %{{.*}}, %c0_i64 : i64
// MLIR-NEXT: scf.if %[[THREADED]] {
// MLIR-NEXT: scf.parallel
// MLIR: scf.for
// MLIR: llvm.load
// MLIR: arith.mului_extended
// MLIR: arith.addf
// MLIR: arith.mulf
// MLIR: llvm.store
// MLIR: } else {
// MLIR-NEXT: scf.for
// MLIR: scf.for
// MLIR: arith.mului_extended
// MLIR: llvm.store
// MLIR-LABEL: // kernel of 'mars.fused'
// MLIR: scf.if
// MLIR: scf.parallel
// MLIR: arith.mului_extended
// MLIR: arith.mulf
// MLIR: arith.addf

// LLVM-LABEL: define void @mars_kernel_
// LLVM: call void {{.*}}@__kmpc_fork_call
// LLVM: {{fadd|fmul}} <{{[0-9]+}} x double>
// LLVM: declare {{.*}}@__kmpc_fork_call

// ASM: mars_kernel_{{[0-9a-f]+}}:
// ASM: __kmpc_fork_call
// ASM: {{v?mulpd}}
