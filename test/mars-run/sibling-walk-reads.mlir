// Results walked together must not read one another: %v reads %mean, so
// its partials would be emitted before %mean's last steps and could fill
// the scheduler's window while they wait ("no task it can run"). %v is
// walked after the group of %s and %mean, and every engine, thread count
// and chunking finishes with the reference's results.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunk-bytes=256KiB %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunk-bytes=64KiB --threads=1 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunk-bytes=64KiB --threads=2 %s | FileCheck %s
// RUN: mars-run --kernel-cache=none --chunk-bytes=64KiB %s | FileCheck %s
// RUN: mars-run --kernel-cache=none --fuse=false --chunk-bytes=64KiB %s | FileCheck %s

// CHECK: 1000100.66
// CHECK-NEXT: 0.5000
// CHECK-NEXT: 0.083
func.func @main() -> (tensor<f64>, tensor<f64>, tensor<f64>) {
  %b = mars.random_uniform seed = 7, low = 0.0, high = 1.0 : tensor<200x10000xf64>
  %s = mars.sum %b : tensor<200x10000xf64> -> tensor<f64>
  %mean = mars.mean %b : tensor<200x10000xf64> -> tensor<f64>
  %d = mars.sub %b, %mean : (tensor<200x10000xf64>, tensor<f64>) -> tensor<200x10000xf64>
  %sq = mars.square %d : tensor<200x10000xf64>
  %v = mars.mean %sq : tensor<200x10000xf64> -> tensor<f64>
  return %s, %mean, %v : tensor<f64>, tensor<f64>, tensor<f64>
}
