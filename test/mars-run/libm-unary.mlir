// numpy's libm ufuncs (tan ... cbrt), its rounding functions and the
// float predicates at the values C99 Annex F defines: NaN, the infinities,
// signed zeros, and arguments outside each function's domain (NaN, no
// trap). Every engine agrees, the GPU emulator through Libm.h's functions
// bound to libdevice's names, with libmvec or with the C library's scalar
// functions.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --fuse=false %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --device=gpu-emulator %s 2>/dev/null | FileCheck %s
// RUN: env MARS_SCALAR_LIBM=1 mars-run --engine=reference %s | FileCheck %s
// RUN: env MARS_SCALAR_LIBM=1 mars-run --engine=compiled --kernel-cache=none --chunks=3 %s | FileCheck %s

// The float32 rows are glibc's (numpy's SVML loops can differ by an ulp).
// CHECK: {{\[}}        nan         nan         nan -0.          0.          0.54630249
// CHECK-NEXT:  -1.55740772 -0.7470223 ]
// CHECK-NEXT: {{\[}}        nan         nan         nan -0.          0.          0.52359878
// CHECK-NEXT:  -1.57079633         nan]
// CHECK-NEXT: {{\[}}       nan        nan        nan 1.57079633 1.57079633 1.04719755
// CHECK-NEXT:  3.14159265        nan]
// CHECK-NEXT: {{\[}}        nan  1.57079633 -1.57079633 -0.          0.          0.46364761
// CHECK-NEXT:  -0.78539816  1.19028995]
// CHECK-NEXT: {{\[}}        nan         inf        -inf -0.          0.          0.52109531
// CHECK-NEXT:  -1.17520119  6.05020448]
// CHECK-NEXT: {{\[}}       nan        inf        inf 1.         1.         1.12762597
// CHECK-NEXT:  1.54308063 6.13228948]
// CHECK-NEXT: {{\[}}        nan         inf        -inf -0.          0.          0.48121183
// CHECK-NEXT:  -0.88137359  1.64723115]
// CHECK-NEXT: {{\[}}       nan        inf        nan        nan        nan        nan
// CHECK-NEXT:         nan 1.56679924]
// CHECK-NEXT: {{\[}}        nan         nan         nan -0.          0.          0.54930614
// CHECK-NEXT:         -inf         nan]
// CHECK-NEXT: {{\[}}        nan         inf         nan        -inf        -inf -1.
// CHECK-NEXT:          nan  1.32192809]
// CHECK-NEXT: {{\[}}        nan         inf         nan        -inf        -inf -0.30103
// CHECK-NEXT:          nan  0.39794001]
// CHECK-NEXT: {{\[}}        nan         inf         nan -0.          0.          0.40546511
// CHECK-NEXT:         -inf  1.25276297]
// CHECK-NEXT: {{\[}}       nan        inf 0.         1.         1.         1.41421356
// CHECK-NEXT:  0.5        5.65685425]
// CHECK-NEXT: {{\[}}        nan         inf -1.         -0.          0.          0.64872127
// CHECK-NEXT:  -0.63212056 11.18249396]
// CHECK-NEXT: {{\[}}        nan         inf        -inf -0.          0.          0.79370053
// CHECK-NEXT:  -1.          1.35720881]
// CHECK-NEXT: {{\[}} nan  inf -inf  -0.   0.   0.  -1.   2.]
// CHECK-NEXT: {{\[}} nan  inf -inf  -0.   0.   0.  -1.   2.]
// CHECK-NEXT: {{\[}}False  True  True False False False False False]
// CHECK-NEXT: {{\[}}False False False  True  True  True  True  True]
// CHECK-NEXT: {{\[}}False False  True  True False False  True False]
// CHECK-NEXT: {{\[}}        nan         inf -1.         -0.          0.          0.6487213
// CHECK-NEXT:  -0.63212055 11.182494  ]
// float32 log1p, cbrt and arcsinh: libmvec's (Libm.h, where the CPU has
// AVX2; numpy's SIMD loops give the same here) or the C library's scalar
// functions (MARS_SCALAR_LIBM=1, or no AVX2), an ulp apart.
// CHECK-NEXT: {{\[}} nan inf nan -0. 0. {{0.4054651|0.40546513}}
// CHECK-NEXT: -inf 1.252763 ]
// CHECK-NEXT: {{\[}} nan inf -inf -0. 0. {{0.7937005|0.79370046}}
// CHECK-NEXT: -1. {{1.3572088|1.3572087}}{{ ?}}]
// CHECK-NEXT: {{\[}} nan inf -inf -0. 0. {{0.48121184|0.4812118}}
// CHECK-NEXT: -0.8813736 {{1.6472312|1.6472311}}{{ ?}}]
// CHECK-NEXT: {{\[}} nan  inf -inf  -0.   0.   0.  -1.   2.]
// CHECK-NEXT: {{\[}} nan  inf  nan -0.   0.   0.5 -1.   2.5]
// CHECK-NEXT: {{\[}}False False False  True  True  True  True  True]

func.func @main() -> (tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xi1>, tensor<8xi1>, tensor<8xi1>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf64>, tensor<8xi1>) {
  %x = mars.constant dense<[0x7FF8000000000000, 0x7FF0000000000000, 0xFFF0000000000000, -0.0, 0.0, 0.5, -1.0, 2.5]> : tensor<8xf64>
  %x32 = mars.cast %x : (tensor<8xf64>) -> tensor<8xf32>
  %tan = mars.tan %x : tensor<8xf64>
  %arcsin = mars.arcsin %x : tensor<8xf64>
  %arccos = mars.arccos %x : tensor<8xf64>
  %arctan = mars.arctan %x : tensor<8xf64>
  %sinh = mars.sinh %x : tensor<8xf64>
  %cosh = mars.cosh %x : tensor<8xf64>
  %arcsinh = mars.arcsinh %x : tensor<8xf64>
  %arccosh = mars.arccosh %x : tensor<8xf64>
  %arctanh = mars.arctanh %x : tensor<8xf64>
  %log2 = mars.log2 %x : tensor<8xf64>
  %log10 = mars.log10 %x : tensor<8xf64>
  %log1p = mars.log1p %x : tensor<8xf64>
  %exp2 = mars.exp2 %x : tensor<8xf64>
  %expm1 = mars.expm1 %x : tensor<8xf64>
  %cbrt = mars.cbrt %x : tensor<8xf64>
  %trunc = mars.trunc %x : tensor<8xf64>
  %rint = mars.rint %x : tensor<8xf64>
  %isinf = mars.isinf %x : tensor<8xf64>
  %isfinite = mars.isfinite %x : tensor<8xf64>
  %signbit = mars.signbit %x : tensor<8xf64>
  %expm132 = mars.expm1 %x32 : tensor<8xf32>
  %log1p32 = mars.log1p %x32 : tensor<8xf32>
  %cbrt32 = mars.cbrt %x32 : tensor<8xf32>
  %arcsinh32 = mars.arcsinh %x32 : tensor<8xf32>
  %rint32 = mars.rint %x32 : tensor<8xf32>
  %c1 = mars.log1p %x : tensor<8xf64>
  %c2 = mars.expm1 %c1 : tensor<8xf64>
  %chain = mars.isfinite %c2 : tensor<8xf64>
  return %tan, %arcsin, %arccos, %arctan, %sinh, %cosh, %arcsinh, %arccosh, %arctanh, %log2, %log10, %log1p, %exp2, %expm1, %cbrt, %trunc, %rint, %isinf, %isfinite, %signbit, %expm132, %log1p32, %cbrt32, %arcsinh32, %rint32, %c2, %chain
      : tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xi1>, tensor<8xi1>, tensor<8xi1>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf64>, tensor<8xi1>
}
