// numpy's binary float ufuncs at the special values: NaN (fmax/fmin
// ignore it, logaddexp passes it on, heaviside gives NaN for x = NaN and h0
// for x = +-0), infinities (hypot(inf, NaN) is inf, as C99 says), signed
// zeros. Every engine agrees, the GPU emulator included.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --device=gpu-emulator %s 2>/dev/null | FileCheck %s

// CHECK: {{\[}} 1.   1.   inf -0.   0.5 -inf -2.5  4. ]
// CHECK-NEXT: {{\[}} 1.   1.   inf -0.  -0.  -inf -2.5  3. ]
// CHECK-NEXT: {{\[}}       nan        nan        inf 0.         0.5               inf
// CHECK-NEXT:  3.53553391 5.        ]
// CHECK-NEXT: {{\[}} nan  1.   inf -0.   0.  -inf -2.5  3. ]
// CHECK-NEXT: {{\[}}      nan       nan       nan -0.0e+000  4.9e-324      -inf -2.5e+000
// CHECK-NEXT:   3.0e+000]
// CHECK-NEXT: {{\[}}        nan         nan         nan  0.69314718  0.97407698        -inf
// CHECK-NEXT:  -1.80685282  4.31326169]
// CHECK-NEXT: {{\[}}       nan        nan        nan  1.         1.2715533       -inf
// CHECK-NEXT:  -1.5        4.5849625]
// CHECK-NEXT: {{\[}} nan  1.   1.  -0.   0.5  0.   0.   1. ]
// CHECK-NEXT: {{\[}}       nan        nan        nan  0.6931472  0.974077        -inf
// CHECK-NEXT:  -1.8068528  4.3132615]
// CHECK-NEXT: {{\[}}     nan      nan      inf 0.       0.5           inf 3.535534 5.      ]
// CHECK-NEXT: {{\[}} 1.   1.   inf -0.  -0.  -inf -2.5  3. ]

func.func @main() -> (tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %x = mars.constant dense<[0x7FF8000000000000, 1.0, 0x7FF0000000000000, 0.0, -0.0, 0xFFF0000000000000, -2.5, 3.0]> : tensor<8xf64>
  %y = mars.constant dense<[1.0, 0x7FF8000000000000, 0x7FF8000000000000, -0.0, 0.5, 0xFFF0000000000000, -2.5, 4.0]> : tensor<8xf64>
  %x32 = mars.cast %x : (tensor<8xf64>) -> tensor<8xf32>
  %y32 = mars.cast %y : (tensor<8xf64>) -> tensor<8xf32>
  %fmax = mars.fmax %x, %y : tensor<8xf64>
  %fmin = mars.fmin %x, %y : tensor<8xf64>
  %hypot = mars.hypot %x, %y : tensor<8xf64>
  %copysign = mars.copysign %x, %y : tensor<8xf64>
  %nextafter = mars.nextafter %x, %y : tensor<8xf64>
  %logaddexp = mars.logaddexp %x, %y : tensor<8xf64>
  %logaddexp2 = mars.logaddexp2 %x, %y : tensor<8xf64>
  %heaviside = mars.heaviside %x, %y : tensor<8xf64>
  %logaddexp32 = mars.logaddexp %x32, %y32 : tensor<8xf32>
  %hypot32 = mars.hypot %x32, %y32 : tensor<8xf32>
  %fmin32 = mars.fmin %x32, %y32 : tensor<8xf32>
  return %fmax, %fmin, %hypot, %copysign, %nextafter, %logaddexp, %logaddexp2, %heaviside, %logaddexp32, %hypot32, %fmin32
      : tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf64>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}
