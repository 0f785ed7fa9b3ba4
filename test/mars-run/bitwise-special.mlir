// Integer bitwise ops with numpy's shifts (a count outside [0, bits) shifts
// everything out: 0, or -1 for a negative number shifted right), and
// scipy.special's erf, erfc, gamma, gammaln (the C library's; libdevice's on
// the GPU) at their edges: infinities, NaN, poles and signed zeros, with
// scipy's values where C99's differ (gamma's poles are +inf, -inf maps to
// -inf). Every
// engine agrees, the GPU emulator through the host libm.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --fuse=false %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --device=gpu-emulator %s 2>/dev/null | FileCheck %s

// x = [-8, 5, -1, 7, 1], n = [1, 2, 64, -1, 63] (i64)
// CHECK: [ 0  0 64  7  1]
// CHECK-NEXT: [-7  7 -1 -1 63]
// CHECK-NEXT: {{\[}}                 -16                   20                    0
// CHECK-NEXT:                     0 -9223372036854775808]
// CHECK-NEXT: [-4  1 -1  0  0]
// CHECK-NEXT: [ 7 -6  0 -8 -2]
// i32: 1 << [31, 32] and -5 >> [31, 40]
// CHECK-NEXT: [-2147483648           0]
// CHECK-NEXT: [-1 -1]
// erf, erfc, gamma, lgamma of [nan, -inf, inf, -0.0, 0.0, 0.5, -1.0, 3.0]
// CHECK-NEXT: {{\[}}        nan -1.          1.         -0.          0.          0.52049988
// CHECK-NEXT:  -0.84270079  0.99997791]
// CHECK-NEXT: {{\[}}           nan 2.00000000e+00 0.00000000e+00 1.00000000e+00
// CHECK-NEXT:  1.00000000e+00 4.79500122e-01 1.84270079e+00 2.20904970e-05]
// CHECK-NEXT: {{\[}}       nan       -inf        inf        inf        inf 1.77245385
// CHECK-NEXT:         inf 2.        ]
// CHECK-NEXT: {{\[}}       nan       -inf        inf        inf        inf 0.57236494
// CHECK-NEXT:         inf 0.69314718]
func.func @main() -> (tensor<5xi64>, tensor<5xi64>, tensor<5xi64>,
                      tensor<5xi64>, tensor<5xi64>, tensor<2xi32>,
                      tensor<2xi32>, tensor<8xf64>, tensor<8xf64>,
                      tensor<8xf64>, tensor<8xf64>) {
  %x = mars.constant dense<[-8, 5, -1, 7, 1]> : tensor<5xi64>
  %n = mars.constant dense<[1, 2, 64, -1, 63]> : tensor<5xi64>
  %and = mars.bitwise_and %x, %n : tensor<5xi64>
  %or = mars.bitwise_or %x, %n : tensor<5xi64>
  %shl = mars.left_shift %x, %n : tensor<5xi64>
  %shr = mars.right_shift %x, %n : tensor<5xi64>
  %not = mars.invert %x : tensor<5xi64>
  %one = mars.constant dense<[1, 1]> : tensor<2xi32>
  %m5 = mars.constant dense<[-5, -5]> : tensor<2xi32>
  %c = mars.constant dense<[31, 32]> : tensor<2xi32>
  %d = mars.constant dense<[31, 40]> : tensor<2xi32>
  %s1 = mars.left_shift %one, %c : tensor<2xi32>
  %s2 = mars.right_shift %m5, %d : tensor<2xi32>
  %f = mars.constant dense<[0x7FF8000000000000, 0xFFF0000000000000, 0x7FF0000000000000, -0.0, 0.0, 0.5, -1.0, 3.0]> : tensor<8xf64>
  %e = mars.erf %f : tensor<8xf64>
  %ec = mars.erfc %f : tensor<8xf64>
  %g = mars.gamma %f : tensor<8xf64>
  %lg = mars.lgamma %f : tensor<8xf64>
  return %and, %or, %shl, %shr, %not, %s1, %s2, %e, %ec, %g, %lg
      : tensor<5xi64>, tensor<5xi64>, tensor<5xi64>, tensor<5xi64>,
        tensor<5xi64>, tensor<2xi32>, tensor<2xi32>, tensor<8xf64>,
        tensor<8xf64>, tensor<8xf64>, tensor<8xf64>
}
