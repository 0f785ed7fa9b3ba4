// REQUIRES: avx2
// Where the CPU has AVX2, compiled loops call glibc's libmvec for libm
// functions (mars/Numeric/Libm.h): the kernel calls Libm.h's scalar form
// (mars_vm_sin, ...), which the loop vectorizer widens to libmvec's AVX2
// form of the same function, 4 doubles or 8 floats per call, and the loop's
// remainder calls the scalar form. MARS_SCALAR_LIBM=1 keeps the C library's
// scalar functions, which are not vectorized.
// RUN: mars-run --engine=compiled --emit=mlir --kernel-cache=none %s | FileCheck %s --check-prefix=MLIR
// RUN: mars-run --engine=compiled --emit=llvm --kernel-cache=none %s | FileCheck %s --check-prefix=LLVM
// RUN: env MARS_SCALAR_LIBM=1 mars-run --engine=compiled --emit=llvm --kernel-cache=none %s | FileCheck %s --check-prefix=SCALAR
//
// Every element is the reference's, bit for bit, at any chunking (ragged
// chunks put elements in vector bodies and in remainders), on the GPU
// emulator, and with the scalar functions.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; z = np.random.default_rng(7).standard_normal(1003) * 30; z[:12] = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1e300, -1e300, 5e-324, 1e-310, 710.0, -745.5, 1e22]; np.save('%t/z.npy', z)"
// RUN: mars-run --engine=reference %s --arg=0=%t/z.npy --output=%t/ref
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=37 %s --arg=0=%t/z.npy --output=%t/c37
// RUN: mars-run --engine=compiled --kernel-cache=none --fuse=false %s --arg=0=%t/z.npy --output=%t/whole
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=101 --device=gpu-emulator %s --arg=0=%t/z.npy --output=%t/gpu 2>/dev/null
// RUN: env MARS_SCALAR_LIBM=1 mars-run --engine=reference %s --arg=0=%t/z.npy --output=%t/sref
// RUN: env MARS_SCALAR_LIBM=1 mars-run --engine=compiled --kernel-cache=none --chunks=37 %s --arg=0=%t/z.npy --output=%t/sc37
// RUN: for i in 0 1 2; do cmp %t/ref/result$i.npy %t/c37/result$i.npy && cmp %t/ref/result$i.npy %t/whole/result$i.npy && cmp %t/ref/result$i.npy %t/gpu/result$i.npy && cmp %t/sref/result$i.npy %t/sc37/result$i.npy; done

// MLIR: func.func private @mars_vm_sin(f64) -> f64
// MLIR: func.func private @mars_vm_atan2f(f32, f32) -> f32
// MLIR: func.func private @mars_vm_log1p(f64) -> f64

// LLVM-DAG: call {{.*}}<4 x double> @_ZGVdN4v_sin(<4 x double>
// LLVM-DAG: call {{.*}}<4 x double> @_ZGVdN4v_log1p(<4 x double>
// LLVM-DAG: call {{.*}}<8 x float> @_ZGVdN8vv_atan2f(<8 x float>
// LLVM-DAG: call {{.*}}double @mars_vm_sin(double

// SCALAR-NOT: _ZGVdN
// SCALAR-NOT: mars_vm_
// SCALAR: call {{.*}}double @sin(double
// SCALAR-NOT: _ZGVdN
// SCALAR-NOT: mars_vm_

func.func @main(%z: tensor<1003xf64>) -> (tensor<1003xf64>, tensor<1003xf32>, tensor<1003xf64>) {
  %s = mars.sin %z : tensor<1003xf64>
  %zf = mars.cast %z : (tensor<1003xf64>) -> tensor<1003xf32>
  %c = mars.cos %zf : tensor<1003xf32>
  %a = mars.arctan2 %zf, %c : (tensor<1003xf32>, tensor<1003xf32>) -> tensor<1003xf32>
  %l = mars.log1p %z : tensor<1003xf64>
  return %s, %a, %l : tensor<1003xf64>, tensor<1003xf32>, tensor<1003xf64>
}
