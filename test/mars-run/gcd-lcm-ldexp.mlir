// numpy's gcd and lcm (of the magnitudes, Euclid in unsigned arithmetic:
// the minimum's magnitude is itself, gcd(0, 0) = 0, lcm wraps as numpy's)
// and ldexp at its edges (signed zeros, infinities, NaN, subnormal results,
// overflow to inf, counts far past any finite result). Every engine agrees,
// the GPU emulator through its inline Euclid and the host's ldexp.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --fuse=false %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --device=gpu-emulator %s 2>/dev/null | FileCheck %s

// CHECK: {{\[}}                   4                    0                    5
// CHECK-NEXT:  -9223372036854775808                    4                    3
// CHECK-NEXT:                     1]
// CHECK-NEXT: {{\[}}                  24                    0                    0
// CHECK-NEXT:                     0 -9223372036854775808                   18
// CHECK-NEXT:   9000000078000000133]
// CHECK-NEXT: [3 1]
// CHECK-NEXT: {{\[}}      65536 -2147483648]
// CHECK-NEXT: {{\[}} 2.00000000e+000 -0.00000000e+000              inf              nan
// CHECK-NEXT:               inf  4.94065646e-324  4.14951557e-120  0.00000000e+000]
// CHECK-NEXT: [4.e-45    inf    inf 0.e+00]

func.func @main() -> (tensor<7xi64>, tensor<7xi64>, tensor<2xi32>, tensor<2xi32>, tensor<8xf64>, tensor<4xf32>) {
  %a = mars.constant dense<[-8, 0, 0, -9223372036854775808, 12, -9, 3000000007]> : tensor<7xi64>
  %b = mars.constant dense<[12, 0, -5, 0, -9223372036854775808, 6, 3000000019]> : tensor<7xi64>
  %g = mars.gcd %a, %b : tensor<7xi64>
  %l = mars.lcm %a, %b : tensor<7xi64>
  %c = mars.constant dense<[196608, -2147483648]> : tensor<2xi32>
  %d = mars.constant dense<[327681, 3]> : tensor<2xi32>
  %g32 = mars.gcd %c, %d : tensor<2xi32>
  %l32 = mars.lcm %c, %d : tensor<2xi32>
  %x = mars.constant dense<[1.0, -0.0, 0x7FF0000000000000, 0x7FF8000000000000, 3.0, 1.0, 1.0e-300, 0.75]> : tensor<8xf64>
  %n = mars.constant dense<[1.0, 5.0, -3.0, 2.0, 2000.0, -1074.0, 600.0, -1075.0]> : tensor<8xf64>
  %e = mars.ldexp %x, %n : tensor<8xf64>
  %x32 = mars.constant dense<[3.0, 3.0, 1.5, 1.5]> : tensor<4xf32>
  %n32 = mars.constant dense<[-149.0, 127.0, 1.0e12, -1.0e12]> : tensor<4xf32>
  %e32 = mars.ldexp %x32, %n32 : tensor<4xf32>
  return %g, %l, %g32, %l32, %e, %e32 : tensor<7xi64>, tensor<7xi64>, tensor<2xi32>, tensor<2xi32>, tensor<8xf64>, tensor<4xf32>
}
