// mars.flip reads the mirrored region of its operand, so a chunk of the
// result spans up to two operand chunks when the last chunk is ragged;
// mars.arctan2 is libm's atan2 in every engine (the GPU's libdevice, the
// emulator's libm). Both were added by following docs/AddingAnOp.md.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=1 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --fuse=false %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator %s 2>/dev/null | FileCheck %s

// CHECK: [4 3 2 1 0]
// CHECK-NEXT: {{\[}}[5 4 3]
// CHECK-NEXT: [2 1 0]]
// CHECK-NEXT: {{\[}}[3 4 5]
// CHECK-NEXT: [0 1 2]]
// arctan2 at the signed zeros, infinities and NaN
// CHECK-NEXT: [ 0.         -0.          3.14159265 -3.14159265  0.78539816  1.57079633
// CHECK-NEXT:   nan]
// flip then arctan2 against a constant, fused
// CHECK-NEXT: [0.78539816 0.46364761 0.32175055]
func.func @main() -> (tensor<5xi64>, tensor<2x3xi64>, tensor<2x3xi64>,
                      tensor<7xf64>, tensor<3xf64>) {
  %r = mars.arange start = 0.0, step = 1.0 : tensor<5xi64>
  %f = mars.flip %r axes = [0] : tensor<5xi64> -> tensor<5xi64>
  %m = mars.arange start = 0.0, step = 1.0 : tensor<6xi64>
  %m2 = mars.reshape %m : tensor<6xi64> -> tensor<2x3xi64>
  %fa = mars.flip %m2 axes = [0, -1] : tensor<2x3xi64> -> tensor<2x3xi64>
  %f0 = mars.flip %m2 axes = [0] : tensor<2x3xi64> -> tensor<2x3xi64>
  %y = mars.constant dense<[0.0, -0.0, 0.0, -0.0, 0x7FF0000000000000, 1.0, 0x7FF8000000000000]> : tensor<7xf64>
  %x = mars.constant dense<[1.0, 1.0, -0.0, -0.0, 0x7FF0000000000000, 0.0, 1.0]> : tensor<7xf64>
  %t = mars.arctan2 %y, %x : tensor<7xf64>
  %one = mars.full(1.0) : tensor<f64>
  %s = mars.arange start = 1.0, step = 1.0 : tensor<3xf64>
  %sf = mars.flip %s axes = [0] : tensor<3xf64> -> tensor<3xf64>
  %u = mars.arctan2 %one, %sf : (tensor<f64>, tensor<3xf64>) -> tensor<3xf64>
  %v = mars.flip %u axes = [0] : tensor<3xf64> -> tensor<3xf64>
  return %f, %fa, %f0, %t, %v
      : tensor<5xi64>, tensor<2x3xi64>, tensor<2x3xi64>, tensor<7xf64>,
        tensor<3xf64>
}
