// mars.nansum (numpy.nansum) on every engine and chunking: NaN counts as
// zero, an all-NaN or empty reduction is 0, infinities still add, and
// integers and bool accumulate in i64. It is a row of the reduction table
// (Reductions.h) and nothing else: the runtimes, the cluster and the kernel
// emitter know it only through its combine (add) and contribution.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=1 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=1 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --fuse=false %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator %s 2>/dev/null | FileCheck %s

// nansum of [nan, 1, 2, nan] and of [nan, nan]
// CHECK: 3.0
// CHECK-NEXT: {{^}}0.0
// along axes 0 and 1 of [[nan, 1, inf], [2, nan, 1]], f32
// CHECK-NEXT: [ 2.  1. inf]
// CHECK-NEXT: [inf  3.]
// of an empty axis
// CHECK-NEXT: [0. 0. 0.]
// i32 and bool, keepdims
// CHECK-NEXT: {{\[}}[6]]
// CHECK-NEXT: [2 1]
// fused with an elementwise producer: nansum(x * 2) over [nan, 1, 2, nan]
// CHECK-NEXT: 6.0
func.func @main() -> (tensor<f64>, tensor<f64>, tensor<3xf32>, tensor<2xf32>,
                      tensor<3xf64>, tensor<1x1xi64>, tensor<2xi64>,
                      tensor<f64>) {
  %a = mars.constant dense<[0x7FF8000000000000, 1.0, 2.0, 0x7FF8000000000000]> : tensor<4xf64>
  %as = mars.nansum %a : tensor<4xf64> -> tensor<f64>
  %n = mars.constant dense<[0x7FF8000000000000, 0x7FF8000000000000]> : tensor<2xf64>
  %ns = mars.nansum %n : tensor<2xf64> -> tensor<f64>
  %m = mars.constant dense<[[0x7FC00000, 1.0, 0x7F800000], [2.0, 0x7FC00000, 1.0]]> : tensor<2x3xf32>
  %m0 = mars.nansum %m axes = [0] : tensor<2x3xf32> -> tensor<3xf32>
  %m1 = mars.nansum %m axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
  %e = mars.zeros : tensor<0x3xf64>
  %es = mars.nansum %e axes = [0] : tensor<0x3xf64> -> tensor<3xf64>
  %i = mars.constant dense<[[1, 2, 3]]> : tensor<1x3xi32>
  %is = mars.nansum %i keepdims : tensor<1x3xi32> -> tensor<1x1xi64>
  %b = mars.constant dense<[[true, false], [true, true]]> : tensor<2x2xi1>
  %bs = mars.nansum %b axes = [0] : tensor<2x2xi1> -> tensor<2xi64>
  %two = mars.full(2.0) : tensor<f64>
  %x = mars.mul %a, %two : (tensor<4xf64>, tensor<f64>) -> tensor<4xf64>
  %xs = mars.nansum %x : tensor<4xf64> -> tensor<f64>
  return %as, %ns, %m0, %m1, %es, %is, %bs, %xs
      : tensor<f64>, tensor<f64>, tensor<3xf32>, tensor<2xf32>, tensor<3xf64>,
        tensor<1x1xi64>, tensor<2xi64>, tensor<f64>
}
