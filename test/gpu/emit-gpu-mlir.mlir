// The first GPU stage of the compiled engine: each fused chunk computation
// becomes gpu.func kernels in a gpu.module (ChunkKernel.h, GpuKernelABI):
// a map has a row-wise and a flat form, a reduction a thread-per-output
// form, a block-tree form over workgroup memory and the combine of the
// blocks' partials. Needs no GPU.

// RUN: mars-run --engine=compiled --emit=gpu-mlir %s | FileCheck %s

func.func @main(%x: tensor<256x300xf64>) -> (tensor<256x300xf64>, tensor<f64>) {
  %one = mars.full(1.0) : tensor<f64>
  %a = mars.add %x, %one : (tensor<256x300xf64>, tensor<f64>) -> tensor<256x300xf64>
  %b = mars.mul %a, %a : tensor<256x300xf64>
  %s = mars.sum %b : tensor<256x300xf64> -> tensor<f64>
  return %b, %s : tensor<256x300xf64>, tensor<f64>
}

// CHECK-LABEL: // kernel of 'mars.fused'
// CHECK: module attributes {gpu.container_module}
// CHECK: gpu.module @mars_kernels
// CHECK: gpu.func @[[MAP:mars_kernel_[0-9a-f]+]](%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) kernel attributes {known_block_size = array<i32: 256, 1, 1>}
// CHECK: gpu.block_id  y
// CHECK: gpu.thread_id  x
// CHECK: scf.for
// CHECK: llvm.load %{{.*}} {alignment = 8 : i64} : !llvm.ptr -> f64
// CHECK: arith.addf
// CHECK: arith.mulf
// CHECK: llvm.store %{{.*}} {alignment = 8 : i64} : f64, !llvm.ptr
// CHECK: gpu.func @[[MAP]]_flat(

// CHECK-LABEL: // kernel of 'mars.sum'
// CHECK: gpu.func @[[RED:mars_kernel_[0-9a-f]+]]_seq(
// CHECK: scf.for
// CHECK: arith.addf
// CHECK: gpu.func @[[RED]]_tree(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) workgroup(%{{.*}} : memref<256xf64, #gpu.address_space<workgroup>>) kernel
// CHECK: memref.store
// CHECK: gpu.barrier
// CHECK: memref.load
// CHECK: gpu.barrier
// CHECK: gpu.func @[[RED]]_combine(

// A std partial: the sum kernels, then the squared-deviations kernels, which
// read the chunk's mean through ptrs[n+3] (here n = 1: ptrs[4]).
// RUN: mars-run --engine=compiled --emit=gpu-mlir %s --entry=moments | FileCheck %s --check-prefix=STD
func.func @moments(%x: tensor<256x300xf64>) -> tensor<256xf64> {
  %one = mars.full(1.0) : tensor<f64>
  %a = mars.add %x, %one : (tensor<256x300xf64>, tensor<f64>) -> tensor<256x300xf64>
  %s = mars.std %a axes = [1] : tensor<256x300xf64> -> tensor<256xf64>
  return %s : tensor<256xf64>
}
// STD-LABEL: // kernel of 'mars.fused'
// STD: gpu.func @[[SUM:mars_kernel_[0-9a-f]+]]_seq(
// Threads walk the 256 outputs (reducing axis 1 only; a dangling copy of
// the reduced axes once made this one output over every element).
// STD-NOT: llvm.getelementptr %arg0[4]
// STD-NOT: to %c1 step
// STD: gpu.func @[[SUM]]_combine(
// STD-LABEL: // kernel of 'mars.fused'
// STD: gpu.func @[[DEV:mars_kernel_[0-9a-f]+]]_seq(
// STD: llvm.getelementptr %arg0[4]
// STD: arith.subf
// STD: arith.mulf
// STD: arith.addf
// STD: gpu.func @[[DEV]]_tree(
// STD: gpu.func @[[DEV]]_combine(
