// RUN: mars-opt %s -canonicalize -split-input-file | FileCheck %s

// Tests that integer x + 0 and 0 + x fold to x.
// CHECK-LABEL: func.func @add_zero_int
// CHECK-SAME: (%[[X:.*]]: tensor<4xi64>)
// CHECK-NEXT: return %[[X]], %[[X]]
func.func @add_zero_int(%x: tensor<4xi64>) -> (tensor<4xi64>, tensor<4xi64>) {
  %z = mars.zeros : tensor<4xi64>
  %0 = mars.add %x, %z : tensor<4xi64>
  %1 = mars.add %z, %x : tensor<4xi64>
  return %0, %1 : tensor<4xi64>, tensor<4xi64>
}

// -----

// Tests that float x + 0.0 is kept (it maps -0.0 to +0.0) while x + -0.0
// and x - 0.0 fold.
// CHECK-LABEL: func.func @add_zero_float
// CHECK-SAME: (%[[X:.*]]: tensor<4xf64>)
// CHECK: %[[Z:.*]] = mars.full(0.0) : tensor<f64>
// CHECK: %[[A:.*]] = mars.add %[[X]], %[[Z]]
// CHECK-NEXT: return %[[A]], %[[X]], %[[X]]
func.func @add_zero_float(%x: tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>, tensor<4xf64>) {
  %z = mars.full(0.0) : tensor<f64>
  %n = mars.full(-0.0) : tensor<f64>
  %0 = mars.add %x, %z : (tensor<4xf64>, tensor<f64>) -> tensor<4xf64>
  %zz = mars.zeros : tensor<4xf64>
  %1 = mars.sub %x, %zz : tensor<4xf64>
  %nn = mars.broadcast_to %n : tensor<f64> -> tensor<4xf64>
  %2 = mars.add %x, %nn : tensor<4xf64>
  return %0, %1, %2 : tensor<4xf64>, tensor<4xf64>, tensor<4xf64>
}

// -----

// Tests that a broadcasting identity is kept: the result has another shape.
// CHECK-LABEL: func.func @broadcasting_identity
// CHECK: mars.mul
func.func @broadcasting_identity(%x: tensor<4xf64>) -> tensor<3x4xf64> {
  %one = mars.ones : tensor<3x4xf64>
  %0 = mars.mul %x, %one : (tensor<4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>
  return %0 : tensor<3x4xf64>
}

// -----

// Tests x * 1, 1 * x, x / 1, integer x // 1, x ** 1 and maximum(x, x).
// CHECK-LABEL: func.func @unit_identities
// CHECK-SAME: (%[[F:.*]]: tensor<4xf32>, %[[I:.*]]: tensor<4xi32>)
// CHECK-NEXT: return %[[F]], %[[F]], %[[F]], %[[I]], %[[I]], %[[F]]
func.func @unit_identities(%f: tensor<4xf32>, %i: tensor<4xi32>)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>, tensor<4xf32>) {
  %one = mars.ones : tensor<4xf32>
  %ione = mars.full(1) : tensor<4xi32>
  %0 = mars.mul %f, %one : tensor<4xf32>
  %1 = mars.mul %one, %f : tensor<4xf32>
  %2 = mars.div %f, %one : tensor<4xf32>
  %3 = mars.floor_div %i, %ione : tensor<4xi32>
  %4 = mars.pow %i, %ione : tensor<4xi32>
  %5 = mars.maximum %f, %f : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>, tensor<4xf32>
}

// -----

// Tests that float x // 1 is kept: it is floor(x), not x.
// CHECK-LABEL: func.func @float_floor_div_one
// CHECK: mars.floor_div
func.func @float_floor_div_one(%f: tensor<4xf64>) -> tensor<4xf64> {
  %one = mars.ones : tensor<4xf64>
  %0 = mars.floor_div %f, %one : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

// Tests that neg(neg(x)) folds to x.
// CHECK-LABEL: func.func @double_negation
// CHECK-SAME: (%[[X:.*]]: tensor<4xi32>)
// CHECK-NEXT: return %[[X]]
func.func @double_negation(%x: tensor<4xi32>) -> tensor<4xi32> {
  %0 = mars.neg %x : tensor<4xi32>
  %1 = mars.neg %0 : tensor<4xi32>
  return %1 : tensor<4xi32>
}

// -----

// Tests that transpose of transpose composes, and an identity disappears.
// CHECK-LABEL: func.func @transpose_of_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf64>)
// CHECK-NEXT: %[[T:.*]] = mars.transpose %[[X]] perm = [2, 1, 0] : tensor<2x3x4xf64> -> tensor<4x3x2xf64>
// CHECK-NEXT: return %[[T]], %[[X]]
func.func @transpose_of_transpose(%x: tensor<2x3x4xf64>) -> (tensor<4x3x2xf64>, tensor<2x3x4xf64>) {
  %0 = mars.transpose %x perm = [1, 2, 0] : tensor<2x3x4xf64> -> tensor<3x4x2xf64>
  %1 = mars.transpose %0 perm = [1, 0, 2] : tensor<3x4x2xf64> -> tensor<4x3x2xf64>
  %2 = mars.transpose %0 perm = [2, 0, 1] : tensor<3x4x2xf64> -> tensor<2x3x4xf64>
  return %1, %2 : tensor<4x3x2xf64>, tensor<2x3x4xf64>
}

// -----

// Tests that reshape of reshape becomes one reshape, and a reshape back to
// the original type disappears.
// CHECK-LABEL: func.func @reshape_of_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x6xf64>)
// CHECK-NEXT: %[[R:.*]] = mars.reshape %[[X]] : tensor<2x6xf64> -> tensor<3x4xf64>
// CHECK-NEXT: return %[[R]], %[[X]]
func.func @reshape_of_reshape(%x: tensor<2x6xf64>) -> (tensor<3x4xf64>, tensor<2x6xf64>) {
  %0 = mars.reshape %x : tensor<2x6xf64> -> tensor<12xf64>
  %1 = mars.reshape %0 : tensor<12xf64> -> tensor<3x4xf64>
  %2 = mars.reshape %1 : tensor<3x4xf64> -> tensor<2x6xf64>
  return %1, %2 : tensor<3x4xf64>, tensor<2x6xf64>
}

// -----

// Tests that zeros and ones canonicalize to mars.full.
// CHECK-LABEL: func.func @filled
// CHECK-DAG: mars.full(0.0) : tensor<2x3xf64>
// CHECK-DAG: mars.full(true) : tensor<4xi1>
// CHECK-NOT: mars.zeros
// CHECK-NOT: mars.ones
func.func @filled() -> (tensor<2x3xf64>, tensor<4xi1>) {
  %0 = mars.zeros : tensor<2x3xf64>
  %1 = mars.ones : tensor<4xi1>
  return %0, %1 : tensor<2x3xf64>, tensor<4xi1>
}

// -----

// Tests small constant folding through the reference kernels.
// CHECK-LABEL: func.func @constant_folding
// CHECK-DAG: mars.constant dense<[1.500000e+00, 3.000000e+00, 4.500000e+00]> : tensor<3xf64>
// CHECK-DAG: mars.constant dense<[true, false, true]> : tensor<3xi1>
// CHECK-DAG: mars.constant dense<[1, -2, 3]> : tensor<3xi32>
// CHECK-DAG: mars.constant dense<{{\[}}[1, 3], [2, 4]]> : tensor<2x2xi32>
// CHECK-NOT: mars.mul
// CHECK-NOT: mars.transpose
func.func @constant_folding() -> (tensor<3xf64>, tensor<3xi1>, tensor<3xi32>, tensor<2x2xi32>) {
  %a = mars.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf64>
  %h = mars.full(1.5) : tensor<f64>
  %0 = mars.mul %a, %h : (tensor<3xf64>, tensor<f64>) -> tensor<3xf64>
  %two = mars.full(2.0) : tensor<f64>
  %1 = mars.ne %a, %two : (tensor<3xf64>, tensor<f64>) -> tensor<3xi1>
  %c = mars.constant dense<[1.9, -2.7, 3.2]> : tensor<3xf64>
  %2 = mars.cast %c : (tensor<3xf64>) -> tensor<3xi32>
  %m = mars.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  %3 = mars.transpose %m perm = [1, 0] : tensor<2x2xi32> -> tensor<2x2xi32>
  return %0, %1, %2, %3 : tensor<3xf64>, tensor<3xi1>, tensor<3xi32>, tensor<2x2xi32>
}

// -----

// Tests that splat operands fold at any size without materialising data.
// CHECK-LABEL: func.func @splat_folding
// CHECK-NEXT: %[[R:.*]] = mars.full(6.0) : tensor<1000x1000xf64>
// CHECK-NEXT: return %[[R]]
func.func @splat_folding() -> tensor<1000x1000xf64> {
  %a = mars.ones : tensor<1000x1000xf64>
  %b = mars.full(2.0) : tensor<f64>
  %c = mars.add %a, %b : (tensor<1000x1000xf64>, tensor<f64>) -> tensor<1000x1000xf64>
  %d = mars.mul %c, %b : (tensor<1000x1000xf64>, tensor<f64>) -> tensor<1000x1000xf64>
  return %d : tensor<1000x1000xf64>
}

// -----

// Tests that a large non-splat constant computation is left to the runtime.
// CHECK-LABEL: func.func @no_large_folding
// CHECK: mars.neg
func.func @no_large_folding() -> tensor<70000xf64> {
  %a = mars.arange start = 0.0, step = 1.0 : tensor<70000xf64>
  %0 = mars.neg %a : tensor<70000xf64>
  return %0 : tensor<70000xf64>
}

// -----

// Tests that folding keeps numpy's run-time errors: an integer to a negative
// power is not folded away.
// CHECK-LABEL: func.func @no_fold_of_errors
// CHECK: mars.pow
func.func @no_fold_of_errors() -> tensor<2xi64> {
  %a = mars.constant dense<[2, 3]> : tensor<2xi64>
  %b = mars.constant dense<[1, -1]> : tensor<2xi64>
  %0 = mars.pow %a, %b : tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// Tests that broadcast_to of a splat becomes a splat, squeeze/expand_dims of
// constants fold, and a no-op broadcast disappears.
// CHECK-LABEL: func.func @shape_folding
// CHECK-SAME: (%[[X:.*]]: tensor<3xf64>)
// CHECK-DAG: mars.full(7) : tensor<4x3xi64>
// CHECK-DAG: mars.constant dense<{{\[}}[1.000000e+00, 2.000000e+00]]> : tensor<1x2xf64>
// CHECK: return %{{.*}}, %{{.*}}, %[[X]]
func.func @shape_folding(%x: tensor<3xf64>) -> (tensor<4x3xi64>, tensor<1x2xf64>, tensor<3xf64>) {
  %s = mars.full(7) : tensor<i64>
  %0 = mars.broadcast_to %s : tensor<i64> -> tensor<4x3xi64>
  %c = mars.constant dense<[[[1.0], [2.0]]]> : tensor<1x2x1xf64>
  %1 = mars.squeeze %c axes = [2] : tensor<1x2x1xf64> -> tensor<1x2xf64>
  %2 = mars.broadcast_to %x : tensor<3xf64> -> tensor<3xf64>
  return %0, %1, %2 : tensor<4x3xi64>, tensor<1x2xf64>, tensor<3xf64>
}
