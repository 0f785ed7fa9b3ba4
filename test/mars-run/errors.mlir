// Failures are diagnostics with a location and exit status 1, never crashes.

// RUN: not mars-run %s --entry=nope 2>&1 | FileCheck %s --check-prefix=ENTRY
// ENTRY: error: the program has no function @nope

// RUN: not mars-run %s --entry=needs_arg 2>&1 | FileCheck %s --check-prefix=UNBOUND
// UNBOUND: errors.mlir:[[@LINE+1]]:1: error: argument 0 is not bound; pass --arg 0=FILE.npy
func.func @needs_arg(%a: tensor<3xf64>) -> tensor<3xf64> {
  return %a : tensor<3xf64>
}

// RUN: %python -c "import numpy as np; np.save('%t.f32.npy', np.zeros((3,), np.float32))"
// RUN: not mars-run %s --entry=needs_arg --arg 0=%t.f32.npy 2>&1 | FileCheck %s --check-prefix=ARGTYPE
// ARGTYPE: error: argument 0: '{{.*}}.f32.npy' holds float32 with shape (3,), but the program expects tensor<3xf64> (float64 with shape (3,))

// RUN: not mars-run %s --entry=needs_arg --arg 1=%t.f32.npy 2>&1 | FileCheck %s --check-prefix=ARGINDEX
// ARGINDEX: error: --arg 1: @needs_arg has only 1 arguments

// RUN: not mars-run %s --entry=needs_arg --arg x 2>&1 | FileCheck %s --check-prefix=ARGSYNTAX
// ARGSYNTAX: error: --arg expects I=FILE.npy, got 'x'

// RUN: not mars-run %s --entry=needs_arg --arg 0=%t.missing.npy 2>&1 | FileCheck %s --check-prefix=ARGMISSING
// ARGMISSING: error: cannot read '{{.*}}.missing.npy': No such file or directory

// RUN: not mars-run %s --entry=load_missing 2>&1 | FileCheck %s --check-prefix=LOADMISSING
func.func @load_missing() -> tensor<3xf64> {
  // LOADMISSING: errors.mlir:[[@LINE+1]]:8: error: cannot read 'no/such/file.npy': No such file or directory
  %0 = mars.load "no/such/file.npy" : tensor<3xf64>
  return %0 : tensor<3xf64>
}

// RUN: %python -c "import numpy as np; np.save('%T/errors-load.npy', np.zeros((2, 2)))"
// RUN: cd %T && not mars-run %s --entry=load_mismatch 2>&1 | FileCheck %s --check-prefix=LOADTYPE
func.func @load_mismatch() -> tensor<4xf64> {
  // LOADTYPE: errors.mlir:[[@LINE+1]]:8: error: 'errors-load.npy' holds float64 with shape (2, 2), but the program expects tensor<4xf64> (float64 with shape (4,))
  %0 = mars.load "errors-load.npy" : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// RUN: not mars-run %s --entry=empty_min 2>&1 | FileCheck %s --check-prefix=EMPTYMIN
func.func @empty_min() -> tensor<f64> {
  %a = mars.zeros : tensor<0xf64>
  // EMPTYMIN: errors.mlir:[[@LINE+1]]:8: error: zero-size array to reduction operation minimum which has no identity
  %0 = mars.min %a : tensor<0xf64> -> tensor<f64>
  return %0 : tensor<f64>
}

// RUN: not mars-run %s --entry=empty_argmax 2>&1 | FileCheck %s --check-prefix=EMPTYARG
func.func @empty_argmax() -> tensor<i64> {
  %a = mars.zeros : tensor<0x3xf64>
  // EMPTYARG: errors.mlir:[[@LINE+1]]:8: error: attempt to get argmax of an empty sequence
  %0 = mars.argmax %a : tensor<0x3xf64> -> tensor<i64>
  return %0 : tensor<i64>
}

// RUN: not mars-run %s --entry=negative_power 2>&1 | FileCheck %s --check-prefix=POW
func.func @negative_power() -> tensor<2xi64> {
  %a = mars.constant dense<[2, 3]> : tensor<2xi64>
  %b = mars.constant dense<[1, -1]> : tensor<2xi64>
  // POW: errors.mlir:[[@LINE+1]]:8: error: integers to negative integer powers are not allowed
  %0 = mars.pow %a, %b : tensor<2xi64>
  return %0 : tensor<2xi64>
}

// RUN: not mars-run %s --entry=not_mars --engine=reference 2>&1 | FileCheck %s --check-prefix=FOREIGN
// RUN: not mars-run %s --entry=not_mars 2>&1 | FileCheck %s --check-prefix=FOREIGN-TILED
func.func @not_mars() -> tensor<2xf64> {
  // FOREIGN: errors.mlir:[[@LINE+2]]:8: error: 'func.call' is not supported by the reference evaluator
  // FOREIGN-TILED: errors.mlir:[[@LINE+1]]:8: error: cannot tile 'func.call'
  %0 = func.call @load_missing2() : () -> tensor<2xf64>
  return %0 : tensor<2xf64>
}
func.func private @load_missing2() -> tensor<2xf64>

// RUN: not mars-run %s.nonexistent 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: error: {{.*}}No such file or directory
