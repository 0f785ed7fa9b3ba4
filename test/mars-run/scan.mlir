// mars.cumsum, cumprod, nancumsum and nancumprod (numpy's) on every engine
// and chunking. A scan's chunks run in order along its axis, each continued
// from the carry (the last slice of the chunk before it), so the result is
// numpy's sequential one bit for bit: -0.0 first elements stay -0.0, NaN
// and infinities propagate, nan scans read NaN as 0 or 1, i32 and bool
// accumulate in i64 and wrap as numpy's integers do.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=1 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=1 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --memory-limit=2KB %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator %s 2>/dev/null | FileCheck %s

// cumsum of [-0.0, 1, nan, 2] and nancumsum of it
// CHECK: [-0.  1. nan nan]
// CHECK-NEXT: [-0.  1.  1.  3.]
// cumprod along each axis of [[2, inf, 0], [-1, 3, 0.5]] (f32)
// CHECK-NEXT: {{\[}}[ 2. inf  0.]
// CHECK-NEXT:  [-2. inf  0.]]
// CHECK-NEXT: {{\[}}[ 2.   inf  nan]
// CHECK-NEXT:  [-1.  -3.  -1.5]]
// nancumprod of [nan, 2, nan, 3]
// CHECK-NEXT: [1. 2. 2. 6.]
// i32 accumulates in i64 (its product wraps there); bool counts
// CHECK-NEXT: [         2147483647 4611686014132420609 9223372034707292160]
// CHECK-NEXT: [1 1 2 3]
// i64 wraps
// CHECK-NEXT: [ 9223372036854775807 -9223372036854775808]
// an empty axis
// CHECK-NEXT: []
// fused producer and consumer: cumsum(x * 2) + 1 over x = [1, 2, 3, 4, 5]
// CHECK-NEXT: [ 3.  7. 13. 21. 31.]
func.func @main() -> (tensor<4xf64>, tensor<4xf64>, tensor<2x3xf32>,
                      tensor<2x3xf32>, tensor<4xf64>, tensor<3xi64>,
                      tensor<4xi64>, tensor<2xi64>, tensor<0x3xf64>,
                      tensor<5xf64>) {
  %a = mars.constant dense<[-0.0, 1.0, 0x7FF8000000000000, 2.0]> : tensor<4xf64>
  %ac = mars.cumsum %a axis = 0 : tensor<4xf64> -> tensor<4xf64>
  %an = mars.nancumsum %a axis = 0 : tensor<4xf64> -> tensor<4xf64>
  %m = mars.constant dense<[[2.0, 0x7F800000, 0.0], [-1.0, 3.0, 0.5]]> : tensor<2x3xf32>
  %m0 = mars.cumprod %m axis = 0 : tensor<2x3xf32> -> tensor<2x3xf32>
  %m1 = mars.cumprod %m axis = -1 : tensor<2x3xf32> -> tensor<2x3xf32>
  %n = mars.constant dense<[0x7FF8000000000000, 2.0, 0x7FF8000000000000, 3.0]> : tensor<4xf64>
  %np = mars.nancumprod %n axis = 0 : tensor<4xf64> -> tensor<4xf64>
  %i = mars.constant dense<[2147483647, 2147483647, -2147483648]> : tensor<3xi32>
  %ip = mars.cumprod %i axis = 0 : tensor<3xi32> -> tensor<3xi64>
  %b = mars.constant dense<[true, false, true, true]> : tensor<4xi1>
  %bs = mars.cumsum %b axis = 0 : tensor<4xi1> -> tensor<4xi64>
  %w = mars.constant dense<[9223372036854775807, 1]> : tensor<2xi64>
  %ws = mars.cumsum %w axis = 0 : tensor<2xi64> -> tensor<2xi64>
  %e = mars.zeros : tensor<0x3xf64>
  %es = mars.cumsum %e axis = 0 : tensor<0x3xf64> -> tensor<0x3xf64>
  %x = mars.arange start = 1.0, step = 1.0 : tensor<5xf64>
  %two = mars.full(2.0) : tensor<f64>
  %one = mars.full(1.0) : tensor<f64>
  %x2 = mars.mul %x, %two : (tensor<5xf64>, tensor<f64>) -> tensor<5xf64>
  %xc = mars.cumsum %x2 axis = 0 : tensor<5xf64> -> tensor<5xf64>
  %xr = mars.add %xc, %one : (tensor<5xf64>, tensor<f64>) -> tensor<5xf64>
  return %ac, %an, %m0, %m1, %np, %ip, %bs, %ws, %es, %xr
      : tensor<4xf64>, tensor<4xf64>, tensor<2x3xf32>, tensor<2x3xf32>,
        tensor<4xf64>, tensor<3xi64>, tensor<4xi64>, tensor<2xi64>,
        tensor<0x3xf64>, tensor<5xf64>
}
