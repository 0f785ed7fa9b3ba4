// REQUIRES: avx2
// Where the CPU has AVX2, compiled loops call glibc's libmvec for the 25
// libm functions it has (mars/Numeric/Libm.h): the kernel calls Libm.h's
// scalar form (mars_vm_sin, ...), which the loop vectorizer widens to
// libmvec's AVX2 form of the same function, 4 doubles or 8 floats per
// call, and the loop's remainder calls the scalar form. MARS_SCALAR_LIBM=1
// keeps the C library's scalar functions, which are not vectorized.
// RUN: mars-run --engine=compiled --emit=mlir --kernel-cache=none %s | FileCheck %s --check-prefix=MLIR
// RUN: mars-run --engine=compiled --emit=llvm --kernel-cache=none %s | FileCheck %s --check-prefix=LLVM
// RUN: env MARS_SCALAR_LIBM=1 mars-run --engine=compiled --emit=llvm --kernel-cache=none %s | FileCheck %s --check-prefix=SCALAR
//
// Every element of every function, f64 and f32, is the reference's, bit
// for bit, at any chunking (ragged chunks put elements in vector bodies and
// in remainders), unfused, on the GPU emulator, and with the scalar
// functions.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; r = np.random.default_rng(7); z = r.standard_normal(1003) * 3; w = r.standard_normal(1003) * 2; z[:16] = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1e300, -1e300, 5e-324, 1e-310, 710.0, -745.5, 1e22, 1.0, -1.0, 0.5, 89.0]; w[:4] = [0.0, -0.0, np.inf, np.nan]; np.save('%t/z.npy', z); np.save('%t/w.npy', w)"
// RUN: mars-run --engine=reference %s --arg=0=%t/z.npy --arg=1=%t/w.npy --output=%t/ref
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=37 %s --arg=0=%t/z.npy --arg=1=%t/w.npy --output=%t/c37
// RUN: mars-run --engine=compiled --kernel-cache=none --fuse=false %s --arg=0=%t/z.npy --arg=1=%t/w.npy --output=%t/whole
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=101 --device=gpu-emulator %s --arg=0=%t/z.npy --arg=1=%t/w.npy --output=%t/gpu 2>/dev/null
// RUN: env MARS_SCALAR_LIBM=1 mars-run --engine=reference %s --arg=0=%t/z.npy --arg=1=%t/w.npy --output=%t/sref
// RUN: env MARS_SCALAR_LIBM=1 mars-run --engine=compiled --kernel-cache=none --chunks=37 %s --arg=0=%t/z.npy --arg=1=%t/w.npy --output=%t/sc37
// RUN: for i in $(seq 0 49); do cmp %t/ref/result$i.npy %t/c37/result$i.npy && cmp %t/ref/result$i.npy %t/whole/result$i.npy && cmp %t/ref/result$i.npy %t/gpu/result$i.npy && cmp %t/sref/result$i.npy %t/sc37/result$i.npy || exit 1; done

// MLIR-DAG: func.func private @mars_vm_sin(f64) -> f64
// MLIR-DAG: func.func private @mars_vm_atan2f(f32, f32) -> f32
// MLIR-DAG: func.func private @mars_vm_log1p(f64) -> f64
// MLIR-DAG: func.func private @mars_vm_powf(f32, f32) -> f32

// LLVM-DAG: call {{.*}}<4 x double> @_ZGVdN4v_sin(<4 x double>
// LLVM-DAG: call {{.*}}<4 x double> @_ZGVdN4v_log1p(<4 x double>
// LLVM-DAG: call {{.*}}<8 x float> @_ZGVdN8vv_atan2f(<8 x float>
// LLVM-DAG: call {{.*}}<8 x float> @_ZGVdN8v_erfcf(<8 x float>
// LLVM-DAG: call {{.*}}<4 x double> @_ZGVdN4vv_pow(<4 x double>
// LLVM-DAG: call {{.*}}double @mars_vm_sin(double

// SCALAR-NOT: _ZGVdN
// SCALAR-NOT: mars_vm_
// SCALAR: call {{.*}}double @sin(double
// SCALAR-NOT: _ZGVdN
// SCALAR-NOT: mars_vm_

func.func @main(%z: tensor<1003xf64>, %w: tensor<1003xf64>) -> (tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>) {
  %zf = mars.cast %z : (tensor<1003xf64>) -> tensor<1003xf32>
  %wf = mars.cast %w : (tensor<1003xf64>) -> tensor<1003xf32>
  %sin_f64 = mars.sin %z : tensor<1003xf64>
  %cos_f64 = mars.cos %z : tensor<1003xf64>
  %tan_f64 = mars.tan %z : tensor<1003xf64>
  %arcsin_f64 = mars.arcsin %z : tensor<1003xf64>
  %arccos_f64 = mars.arccos %z : tensor<1003xf64>
  %arctan_f64 = mars.arctan %z : tensor<1003xf64>
  %sinh_f64 = mars.sinh %z : tensor<1003xf64>
  %cosh_f64 = mars.cosh %z : tensor<1003xf64>
  %tanh_f64 = mars.tanh %z : tensor<1003xf64>
  %arcsinh_f64 = mars.arcsinh %z : tensor<1003xf64>
  %arccosh_f64 = mars.arccosh %z : tensor<1003xf64>
  %arctanh_f64 = mars.arctanh %z : tensor<1003xf64>
  %exp_f64 = mars.exp %z : tensor<1003xf64>
  %exp2_f64 = mars.exp2 %z : tensor<1003xf64>
  %expm1_f64 = mars.expm1 %z : tensor<1003xf64>
  %log_f64 = mars.log %z : tensor<1003xf64>
  %log2_f64 = mars.log2 %z : tensor<1003xf64>
  %log10_f64 = mars.log10 %z : tensor<1003xf64>
  %log1p_f64 = mars.log1p %z : tensor<1003xf64>
  %cbrt_f64 = mars.cbrt %z : tensor<1003xf64>
  %erf_f64 = mars.erf %z : tensor<1003xf64>
  %erfc_f64 = mars.erfc %z : tensor<1003xf64>
  %arctan2_f64 = mars.arctan2 %z, %w : (tensor<1003xf64>, tensor<1003xf64>) -> tensor<1003xf64>
  %hypot_f64 = mars.hypot %z, %w : (tensor<1003xf64>, tensor<1003xf64>) -> tensor<1003xf64>
  %pow_f64 = mars.pow %z, %w : (tensor<1003xf64>, tensor<1003xf64>) -> tensor<1003xf64>
  %sin_f32 = mars.sin %zf : tensor<1003xf32>
  %cos_f32 = mars.cos %zf : tensor<1003xf32>
  %tan_f32 = mars.tan %zf : tensor<1003xf32>
  %arcsin_f32 = mars.arcsin %zf : tensor<1003xf32>
  %arccos_f32 = mars.arccos %zf : tensor<1003xf32>
  %arctan_f32 = mars.arctan %zf : tensor<1003xf32>
  %sinh_f32 = mars.sinh %zf : tensor<1003xf32>
  %cosh_f32 = mars.cosh %zf : tensor<1003xf32>
  %tanh_f32 = mars.tanh %zf : tensor<1003xf32>
  %arcsinh_f32 = mars.arcsinh %zf : tensor<1003xf32>
  %arccosh_f32 = mars.arccosh %zf : tensor<1003xf32>
  %arctanh_f32 = mars.arctanh %zf : tensor<1003xf32>
  %exp_f32 = mars.exp %zf : tensor<1003xf32>
  %exp2_f32 = mars.exp2 %zf : tensor<1003xf32>
  %expm1_f32 = mars.expm1 %zf : tensor<1003xf32>
  %log_f32 = mars.log %zf : tensor<1003xf32>
  %log2_f32 = mars.log2 %zf : tensor<1003xf32>
  %log10_f32 = mars.log10 %zf : tensor<1003xf32>
  %log1p_f32 = mars.log1p %zf : tensor<1003xf32>
  %cbrt_f32 = mars.cbrt %zf : tensor<1003xf32>
  %erf_f32 = mars.erf %zf : tensor<1003xf32>
  %erfc_f32 = mars.erfc %zf : tensor<1003xf32>
  %arctan2_f32 = mars.arctan2 %zf, %wf : (tensor<1003xf32>, tensor<1003xf32>) -> tensor<1003xf32>
  %hypot_f32 = mars.hypot %zf, %wf : (tensor<1003xf32>, tensor<1003xf32>) -> tensor<1003xf32>
  %pow_f32 = mars.pow %zf, %wf : (tensor<1003xf32>, tensor<1003xf32>) -> tensor<1003xf32>
  return %sin_f64, %cos_f64, %tan_f64, %arcsin_f64, %arccos_f64, %arctan_f64, %sinh_f64, %cosh_f64, %tanh_f64, %arcsinh_f64, %arccosh_f64, %arctanh_f64, %exp_f64, %exp2_f64, %expm1_f64, %log_f64, %log2_f64, %log10_f64, %log1p_f64, %cbrt_f64, %erf_f64, %erfc_f64, %arctan2_f64, %hypot_f64, %pow_f64, %sin_f32, %cos_f32, %tan_f32, %arcsin_f32, %arccos_f32, %arctan_f32, %sinh_f32, %cosh_f32, %tanh_f32, %arcsinh_f32, %arccosh_f32, %arctanh_f32, %exp_f32, %exp2_f32, %expm1_f32, %log_f32, %log2_f32, %log10_f32, %log1p_f32, %cbrt_f32, %erf_f32, %erfc_f32, %arctan2_f32, %hypot_f32, %pow_f32 : tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf64>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>, tensor<1003xf32>
}
