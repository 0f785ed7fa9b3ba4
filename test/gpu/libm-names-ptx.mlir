// GPU kernels call libm's functions by libdevice's names (__nv_log, ...),
// and the random normal generator's log and cos are math ops that the NVVM
// lowering turns into calls of the same names: one kernel with both (a
// normal draw fused with a user's log and cos, f64 and f32) declares each
// function once and is accepted by ptxas. On the GPU emulator the draw
// keeps the C library's log and cos (the reference's numbers, Philox.h)
// while the ufuncs are numeric::libm's.
// REQUIRES: ptxas
// RUN: mars-run --engine=compiled --emit=ptx %s | %python %S/Inputs/check_ptx.py %ptxas sm_80 | FileCheck %s --check-prefix=PTXAS
// RUN: mars-run --engine=compiled --emit=ptx --gpu-arch=sm_90 %s | %python %S/Inputs/check_ptx.py %ptxas sm_90 | FileCheck %s --check-prefix=PTXAS
// RUN: rm -rf %t && mkdir -p %t
// RUN: mars-run --engine=reference %s --output=%t/ref
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=7 --device=gpu-emulator %s --output=%t/gpu 2>/dev/null
// RUN: cmp %t/ref/result0.npy %t/gpu/result0.npy
// RUN: cmp %t/ref/result1.npy %t/gpu/result1.npy

// PTXAS: check_ptx: [[N:[0-9]+]] of [[N]] kernels accepted by ptxas

func.func @main() -> (tensor<50xf64>, tensor<50xf32>) {
  %z = mars.random_normal seed = 3, loc = 4.0, scale = 1.0 : tensor<50xf64>
  %l = mars.log %z : tensor<50xf64>
  %c = mars.cos %l : tensor<50xf64>
  %s = mars.add %l, %c : (tensor<50xf64>, tensor<50xf64>) -> tensor<50xf64>
  %zf = mars.cast %z : (tensor<50xf64>) -> tensor<50xf32>
  %lf = mars.log %zf : tensor<50xf32>
  %cf = mars.cos %lf : tensor<50xf32>
  return %s, %cf : tensor<50xf64>, tensor<50xf32>
}
