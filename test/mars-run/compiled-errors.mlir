// The compiled engine reports run-time errors of generated code as the
// reference evaluator does: a diagnostic at the op, exit status 1.

// RUN: not mars-run --engine=compiled --kernel-cache=none %s --entry=negative_power 2>&1 | FileCheck %s --check-prefix=POW
// POW: compiled-errors.mlir:[[@LINE+5]]:8: error: integers to negative integer powers are not allowed
func.func @negative_power() -> tensor<4xi64> {
  %x = mars.arange start = 0.0, step = 1.0 : tensor<4xi64>
  %p = mars.pow %x, %x : tensor<4xi64>
  %m = mars.full(-1) : tensor<i64>
  %q = mars.pow %p, %m : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  return %q : tensor<4xi64>
}

// RUN: not mars-run --engine=reference --emit=llvm %s --entry=negative_power 2>&1 | FileCheck %s --check-prefix=EMIT
// EMIT: error: --emit needs --engine=compiled

// A chain with ops that have no compiled form still runs (with reference
// kernels for those ops), and --stats says which ops and why. The argmax's
// partials are compiled, the fused add inside them.
// RUN: mars-run --engine=compiled --kernel-cache=none %s --entry=mixed --stats=%t.json | FileCheck %s --check-prefix=MIXED
// RUN: FileCheck %s --check-prefix=MIXEDSTATS < %t.json
// MIXED: [3 3]
// MIXEDSTATS: "interpreted_ops": [
// MIXEDSTATS-NEXT: "mars.arange: data movement and creation run in the runtime",
// MIXEDSTATS-NEXT: "mars.reshape: data movement and creation run in the runtime"
// MIXEDSTATS-NEXT: ]
func.func @mixed() -> tensor<2xi64> {
  %x = mars.arange start = 0.0, step = 1.0 : tensor<8xf64>
  %y = mars.reshape %x : tensor<8xf64> -> tensor<2x4xf64>
  %one = mars.full(6.0) : tensor<f64>
  %z = mars.add %y, %one : (tensor<2x4xf64>, tensor<f64>) -> tensor<2x4xf64>
  %m = mars.argmax %z axis = 1 : tensor<2x4xf64> -> tensor<2xi64>
  return %m : tensor<2xi64>
}

// mean, var and std partials are compiled (a sum, then the squared
// deviations from the chunk's mean): nothing of the fused chain is left to
// the runtime.
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 %s --entry=moments --stats=%t.moments.json | FileCheck %s --check-prefix=MOMENTS
// RUN: FileCheck %s --check-prefix=MOMENTSTATS < %t.moments.json
// MOMENTS: [ 9.5 13.5]
// MOMENTS: [1.25 1.25]
// MOMENTS: 52.898487691048
// MOMENTSTATS: "interpreted_ops": [
// MOMENTSTATS-NEXT: "mars.arange: data movement and creation run in the runtime",
// MOMENTSTATS-NEXT: "mars.reshape: data movement and creation run in the runtime"
// MOMENTSTATS-NEXT: ]
func.func @moments() -> (tensor<2xf64>, tensor<2xf64>, tensor<f64>) {
  %x = mars.arange start = 0.0, step = 1.0 : tensor<8xf64>
  %y = mars.reshape %x : tensor<8xf64> -> tensor<2x4xf64>
  %one = mars.full(8.0) : tensor<f64>
  %z = mars.add %y, %one : (tensor<2x4xf64>, tensor<f64>) -> tensor<2x4xf64>
  %m = mars.mean %z axes = [1] : tensor<2x4xf64> -> tensor<2xf64>
  %v = mars.var %z axes = [1] : tensor<2x4xf64> -> tensor<2xf64>
  %w = mars.mul %z, %z : tensor<2x4xf64>
  %s = mars.std %w : tensor<2x4xf64> -> tensor<f64>
  return %m, %v, %s : tensor<2xf64>, tensor<2xf64>, tensor<f64>
}
