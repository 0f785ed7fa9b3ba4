// Reductions at the edges numpy defines, on every engine and chunking:
// - means and variances whose chunk partials are not finite (an infinity,
//   infinities of both signs, finite means whose difference overflows):
//   the merge of partial means gives numpy's inf, nan and 0, not the NaN
//   or infinity of Chan's update;
// - reductions over no axes (axes = []) of a rank-1 operand map each
//   element to itself (numpy's axis=()), also in the compiled row kernel;
// - maximum/minimum of zeros of both signs return the second operand, as
//   numpy's loops do.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=1 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=1 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --fuse=false %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator %s 2>/dev/null | FileCheck %s

// mean and var of [inf, 1, 2, 3]
// CHECK: inf
// CHECK-NEXT: nan
// mean and std of [-inf, 1, 2, 3] in f32
// CHECK-NEXT: -inf
// CHECK-NEXT: nan
// mean of [inf, 1, -inf, 3]
// CHECK-NEXT: nan
// mean and var of [1.5e308, -1.5e308]
// CHECK-NEXT: {{^}}0.0
// CHECK-NEXT: inf
// mean of [1.5e308, 1.5e308, 1.5e308]: the sum overflows in numpy
// CHECK-NEXT: inf
// sum, prod, count_nonzero, var, mean over no axes of [1, 2, 3, 0, 5]
// CHECK-NEXT: [1. 2. 3. 0. 5.]
// CHECK-NEXT: [1. 2. 3. 0. 5.]
// CHECK-NEXT: [1 1 1 0 1]
// CHECK-NEXT: [0. 0. 0. 0. 0.]
// CHECK-NEXT: [1. 2. 3. 0. 5.]
// the same in i32 (sum widens to i64, std to f64)
// CHECK-NEXT: [1 2 3 0 5]
// CHECK-NEXT: [0. 0. 0. 0. 0.]
// maximum and minimum of [-0.0, 0.0] and [0.0, -0.0]
// CHECK-NEXT: [ 0. -0.]
// CHECK-NEXT: [ 0. -0.]
func.func @main() -> (tensor<f64>, tensor<f64>, tensor<f32>, tensor<f32>,
                      tensor<f64>, tensor<f64>, tensor<f64>, tensor<f64>,
                      tensor<5xf64>, tensor<5xf64>, tensor<5xi64>,
                      tensor<5xf64>, tensor<5xf64>, tensor<5xi64>,
                      tensor<5xf64>, tensor<2xf64>, tensor<2xf64>) {
  %i = mars.constant dense<[0x7FF0000000000000, 1.0, 2.0, 3.0]> : tensor<4xf64>
  %im = mars.mean %i : tensor<4xf64> -> tensor<f64>
  %iv = mars.var %i : tensor<4xf64> -> tensor<f64>
  %n = mars.constant dense<[0xFF800000, 1.0, 2.0, 3.0]> : tensor<4xf32>
  %nm = mars.mean %n : tensor<4xf32> -> tensor<f32>
  %ns = mars.std %n : tensor<4xf32> -> tensor<f32>
  %b = mars.constant dense<[0x7FF0000000000000, 1.0, 0xFFF0000000000000, 3.0]> : tensor<4xf64>
  %bm = mars.mean %b : tensor<4xf64> -> tensor<f64>
  %o = mars.constant dense<[1.5e308, -1.5e308]> : tensor<2xf64>
  %om = mars.mean %o : tensor<2xf64> -> tensor<f64>
  %ov = mars.var %o : tensor<2xf64> -> tensor<f64>
  %s = mars.constant dense<[1.5e308, 1.5e308, 1.5e308]> : tensor<3xf64>
  %sm = mars.mean %s : tensor<3xf64> -> tensor<f64>
  %a = mars.constant dense<[1.0, 2.0, 3.0, 0.0, 5.0]> : tensor<5xf64>
  %as = mars.sum %a axes = [] : tensor<5xf64> -> tensor<5xf64>
  %ap = mars.prod %a axes = [] : tensor<5xf64> -> tensor<5xf64>
  %ac = mars.count_nonzero %a axes = [] : tensor<5xf64> -> tensor<5xi64>
  %av = mars.var %a axes = [] : tensor<5xf64> -> tensor<5xf64>
  %am = mars.mean %a axes = [] : tensor<5xf64> -> tensor<5xf64>
  %k = mars.cast %a : (tensor<5xf64>) -> tensor<5xi32>
  %ks = mars.sum %k axes = [] : tensor<5xi32> -> tensor<5xi64>
  %kd = mars.std %k axes = [] : tensor<5xi32> -> tensor<5xf64>
  %z0 = mars.constant dense<[-0.0, 0.0]> : tensor<2xf64>
  %z1 = mars.constant dense<[0.0, -0.0]> : tensor<2xf64>
  %mx = mars.maximum %z0, %z1 : tensor<2xf64>
  %mn = mars.minimum %z0, %z1 : tensor<2xf64>
  return %im, %iv, %nm, %ns, %bm, %om, %ov, %sm, %as, %ap, %ac, %av, %am,
         %ks, %kd, %mx, %mn
      : tensor<f64>, tensor<f64>, tensor<f32>, tensor<f32>, tensor<f64>,
        tensor<f64>, tensor<f64>, tensor<f64>, tensor<5xf64>, tensor<5xf64>,
        tensor<5xi64>, tensor<5xf64>, tensor<5xf64>, tensor<5xi64>,
        tensor<5xf64>, tensor<2xf64>, tensor<2xf64>
}
