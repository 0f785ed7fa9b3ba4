// Reductions of a sparse matrix (#mars.csr) by min, max, argmin, argmax,
// prod, any and all: its dense form's results, computed in the runtime from
// the stored elements (never fused or compiled), on every engine.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --spill-eagerly %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator %s 2>/dev/null | FileCheck %s
// RUN: mars-opt %s -mars-tile="chunk-size=2" -mars-fuse | FileCheck %s --check-prefix=FUSE

// The matrix [[-5 -4 -3 -2] [-1 0 1 2] [3 4 5 6]], its zero not stored.
// CHECK:      [-2. 2. 6.]
// CHECK-NEXT: [-5. -4. -3. -2.]
// CHECK-NEXT: [2 2 2 2]
// CHECK-NEXT: 0
// CHECK-NEXT: [120. -0. 360.]
// CHECK-NEXT: [ True False True]
// CHECK-NEXT: [ True True True True]
// CHECK-NEXT: [-1. 3. 7.]

// Reductions of a sparse matrix stay out of fused groups, as roots and as
// inner reductions of an elementwise group (the max read by the add).
// FUSE-LABEL: func.func @main
// FUSE-NOT: mars.fused
// FUSE: %[[MAX:.*]] = mars.max %{{.*}} axes = [1] {{.*}}: tensor<3x4xf64, #mars.csr> -> tensor<3xf64>
// FUSE: mars.fused(%[[MAX]])
func.func @main() -> (tensor<3xf64>, tensor<4xf64>, tensor<4xi64>, tensor<i64>,
                      tensor<3xf64>, tensor<3xi1>, tensor<4xi1>,
                      tensor<3xf64>) {
  %r = mars.arange start = -5.0, step = 1.0 : tensor<12xf64>
  %m = mars.reshape %r : tensor<12xf64> -> tensor<3x4xf64>
  %s = mars.to_sparse %m : tensor<3x4xf64> -> tensor<3x4xf64, #mars.csr>
  %max = mars.max %s axes = [1] : tensor<3x4xf64, #mars.csr> -> tensor<3xf64>
  %min = mars.min %s axes = [0] : tensor<3x4xf64, #mars.csr> -> tensor<4xf64>
  %amax = mars.argmax %s axis = 0 : tensor<3x4xf64, #mars.csr> -> tensor<4xi64>
  %amin = mars.argmin %s : tensor<3x4xf64, #mars.csr> -> tensor<i64>
  %prod = mars.prod %s axes = [1] : tensor<3x4xf64, #mars.csr> -> tensor<3xf64>
  %all = mars.all %s axes = [1] : tensor<3x4xf64, #mars.csr> -> tensor<3xi1>
  %any = mars.any %s axes = [0] : tensor<3x4xf64, #mars.csr> -> tensor<4xi1>
  %one = mars.full(1.0) : tensor<f64>
  %next = mars.add %max, %one : (tensor<3xf64>, tensor<f64>) -> tensor<3xf64>
  return %max, %min, %amax, %amin, %prod, %all, %any, %next
      : tensor<3xf64>, tensor<4xf64>, tensor<4xi64>, tensor<i64>,
        tensor<3xf64>, tensor<3xi1>, tensor<4xi1>, tensor<3xf64>
}
