// PTX generated for the GPU kernels (MLIR's gpu -> NVVM pipeline and LLVM's
// NVPTX backend), checked here without a GPU: every kernel must be accepted
// by ptxas, for the default architecture (sm_80) and for sm_90. IEEE
// arithmetic as on the CPU (mul.rn/add.rn, never contracted into fma), 8-byte
// accesses kept whole, the Philox rounds inline (no array of random numbers
// is ever loaded), and reductions tree-reduce in shared memory.

// RUN: mars-run --engine=compiled --emit=ptx %s | FileCheck %s
// RUN: mars-run --engine=compiled --emit=ptx --gpu-arch=sm_90 %s | FileCheck %s --check-prefix=SM90
// REQUIRES: ptxas
// RUN: mars-run --engine=compiled --emit=ptx %s | %python %S/Inputs/check_ptx.py %ptxas sm_80 | FileCheck %s --check-prefix=PTXAS
// RUN: mars-run --engine=compiled --emit=ptx --gpu-arch=sm_90 %s | %python %S/Inputs/check_ptx.py %ptxas sm_90 | FileCheck %s --check-prefix=PTXAS

func.func @main(%x: tensor<256x300xf64>, %i: tensor<256x300xi64>) -> (tensor<256x300xf64>, tensor<256x300xi64>, tensor<f64>, tensor<256xf64>) {
  // (x + 1) * 2: one map kernel.
  %one = mars.full(1.0) : tensor<f64>
  %two = mars.full(2.0) : tensor<f64>
  %a = mars.add %x, %one : (tensor<256x300xf64>, tensor<f64>) -> tensor<256x300xf64>
  %b = mars.mul %a, %two : (tensor<256x300xf64>, tensor<f64>) -> tensor<256x300xf64>
  // numpy's floored integer division, inline.
  %three = mars.full(3) : tensor<i64>
  %q = mars.floor_div %i, %three : (tensor<256x300xi64>, tensor<i64>) -> tensor<256x300xi64>
  // exp through libdevice, summed over everything.
  %e = mars.exp %x : tensor<256x300xf64>
  %s = mars.sum %e : tensor<256x300xf64> -> tensor<f64>
  // The Monte Carlo pi kernel: random points, squared, summed per point.
  %p = mars.random_uniform seed = 2018, low = -1.0, high = 1.0 : tensor<256x2xf64>
  %sq = mars.square %p : tensor<256x2xf64>
  %r = mars.sum %sq axes = [1] : tensor<256x2xf64> -> tensor<256xf64>
  return %b, %q, %s, %r : tensor<256x300xf64>, tensor<256x300xi64>, tensor<f64>, tensor<256xf64>
}

// CHECK-LABEL: // kernel of 'mars.fused'
// CHECK: .version
// CHECK: .target sm_80
// CHECK: .visible .entry [[ADDMUL:mars_kernel_[0-9a-f]+]](
// CHECK: .maxntid 256, 1, 1
// CHECK-NOT: fma.rn
// CHECK: ld.f64
// CHECK: add.rn.f64 [[T:%fd[0-9]+]], %fd{{[0-9]+}}, 0d3FF0000000000000
// (times 2, exactly: t + t)
// CHECK-NEXT: add.rn.f64 %fd{{[0-9]+}}, [[T]], [[T]]
// CHECK: st.f64
// CHECK: .visible .entry [[ADDMUL]]_flat(

// The division by 3 is a multiplication by its inverse; the floor and
// zero-divisor rules are selects around it.
// CHECK-LABEL: // kernel of 'mars.fused'
// CHECK: .entry
// CHECK: ld.u64
// CHECK: mul.hi.s64 {{.*}}, 6148914691236517206
// CHECK: st.u64

// CHECK-LABEL: // kernel of 'mars.fused'
// CHECK: .entry [[EXPSUM:mars_kernel_[0-9a-f]+]]_seq(
// CHECK: .entry [[EXPSUM]]_tree(
// CHECK: .shared .align 8 .b8
// CHECK: bar.sync 0
// CHECK: .entry [[EXPSUM]]_combine(

// CHECK-LABEL: // kernel of 'mars.fused'
// CHECK: .entry [[PI:mars_kernel_[0-9a-f]+]]_seq(
// The first Philox multiplier, 0xD2511F53.
// CHECK: 3528531795
// CHECK: cvt.rn.f64.u64
// CHECK: mul.rn.f64 {{.*}}, 0d3CA0000000000000

// SM90: .target sm_90

// PTXAS: check_ptx: [[N:[0-9]+]] of [[N]] kernels accepted by ptxas
