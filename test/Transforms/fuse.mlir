// RUN: mars-opt %s -split-input-file -mars-tile="chunk-size=2" -mars-fuse | FileCheck %s

// Tests that an elementwise chain becomes one fused op with the root's
// layout, and the creation op it uses moves inside.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[A:.*]]: tensor<4x4xf64>
// CHECK-NEXT: %[[F:.*]] = mars.fused(%[[A]]) {mars.chunks = array<i64: 2, 2>} : (tensor<4x4xf64>) -> tensor<4x4xf64> {
// CHECK-NEXT: ^bb0(%[[X:.*]]: tensor<4x4xf64>):
// CHECK-NEXT:   %[[ONE:.*]] = mars.full(1.0)
// CHECK-NEXT:   %[[S:.*]] = mars.add %[[X]], %[[ONE]]
// CHECK-NEXT:   %[[TWO:.*]] = mars.full(2.0)
// CHECK-NEXT:   %[[M:.*]] = mars.mul %[[S]], %[[TWO]]
// CHECK-NEXT:   mars.yield %[[M]] : tensor<4x4xf64>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[F]]
func.func @chain(%a: tensor<4x4xf64>) -> tensor<4x4xf64> {
  %one = mars.full(1.0) : tensor<f64>
  %0 = mars.add %a, %one : (tensor<4x4xf64>, tensor<f64>) -> tensor<4x4xf64>
  %two = mars.full(2.0) : tensor<f64>
  %1 = mars.mul %0, %two : (tensor<4x4xf64>, tensor<f64>) -> tensor<4x4xf64>
  return %1 : tensor<4x4xf64>
}

// -----

// Tests that a chain feeding a reduction fuses into it: the random points
// and their squares are computed per chunk inside the reduction.
// CHECK-LABEL: func.func @into_reduction
// CHECK-NEXT: %[[F:.*]] = mars.fused() {mars.chunks = array<i64: 2>} : () -> tensor<6xf64> {
// CHECK-NEXT:   mars.random_uniform {{.*}} {mars.chunks = array<i64: 2, 2>} : tensor<6x2xf64>
// CHECK-NEXT:   mars.square
// CHECK-NEXT:   %[[S:.*]] = mars.sum
// CHECK-NEXT:   mars.yield %[[S]] : tensor<6xf64>
// CHECK-NEXT: }
func.func @into_reduction() -> tensor<6xf64> {
  %p = mars.random_uniform seed = 1, low = -1.0, high = 1.0 : tensor<6x2xf64>
  %sq = mars.square %p : tensor<6x2xf64>
  %s = mars.sum %sq axes = [1] : tensor<6x2xf64> -> tensor<6xf64>
  return %s : tensor<6xf64>
}

// -----

// Tests that a value with another user is not fused away (it would be
// computed twice or lost): it stays outside and feeds the group.
// CHECK-LABEL: func.func @shared_producer
// CHECK: %[[N:.*]] = mars.neg
// CHECK: mars.fused(%[[N]])
// CHECK: mars.abs
// CHECK: return %[[N]]
func.func @shared_producer(%a: tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>) {
  %0 = mars.neg %a : tensor<4xf64>
  %1 = mars.sqrt %0 : tensor<4xf64>
  %2 = mars.abs %1 : tensor<4xf64>
  return %0, %2 : tensor<4xf64>, tensor<4xf64>
}

// -----

// Tests that a cheap creation op used by two groups is copied into both.
// CHECK-LABEL: func.func @duplicated_creation
// CHECK-NOT: mars.random_uniform {{.*}} : tensor<4xf64>{{$}}
// CHECK: mars.fused
// CHECK: mars.random_uniform
// CHECK: mars.fused
// CHECK: mars.random_uniform
func.func @duplicated_creation() -> (tensor<4xf64>, tensor<4xf64>) {
  %r = mars.random_uniform seed = 3, low = 0.0, high = 1.0 : tensor<4xf64>
  %0 = mars.neg %r : tensor<4xf64>
  %1 = mars.sqrt %r : tensor<4xf64>
  return %0, %1 : tensor<4xf64>, tensor<4xf64>
}

// -----

// Tests that fusion stops at a rechunk, a matmul and a lone op.
// CHECK-LABEL: func.func @boundaries
// CHECK: %[[R:.*]] = mars.rechunk
// CHECK: %[[M:.*]] = mars.matmul
// CHECK: mars.fused(%[[M]])
// CHECK: mars.neg
// CHECK: mars.tanh
// CHECK: mars.yield
// CHECK: mars.transpose
// CHECK-NOT: mars.fused
func.func @boundaries(%a: tensor<4x4xf64> {mars.chunks = array<i64: 4, 1>}, %b: tensor<4x4xf64>) -> (tensor<4x4xf64>, tensor<4x4xf64>) {
  %0 = mars.matmul %a, %b : tensor<4x4xf64>, tensor<4x4xf64> -> tensor<4x4xf64>
  %1 = mars.neg %0 : tensor<4x4xf64>
  %2 = mars.tanh %1 : tensor<4x4xf64>
  %3 = mars.transpose %2 perm = [1, 0] : tensor<4x4xf64> -> tensor<4x4xf64>
  return %2, %3 : tensor<4x4xf64>, tensor<4x4xf64>
}

// -----

// Tests that a cheap elementwise value read by several groups over its own
// iteration space is computed in each of them and never stored: the
// difference feeds a sum, a max and an elementwise root.
// CHECK-LABEL: func.func @recomputed
// CHECK-NOT: mars.sub
// CHECK: mars.fused(%{{.*}}, %{{.*}}) {mars.chunks = array<i64>}
// CHECK-NEXT: ^bb0
// CHECK-NEXT: mars.sub
// CHECK-NEXT: mars.sum
// CHECK: mars.fused
// CHECK-NEXT: ^bb0
// CHECK-NEXT: mars.sub
// CHECK-NEXT: mars.abs
// CHECK-NEXT: mars.max
// CHECK: mars.fused
// CHECK-NEXT: ^bb0
// CHECK-NEXT: mars.sub
// CHECK-NEXT: mars.mul
// CHECK: return
func.func @recomputed(%a: tensor<4x4xf64>, %b: tensor<4x4xf64>) -> (tensor<f64>, tensor<4xf64>, tensor<4x4xf64>) {
  %d = mars.sub %a, %b : tensor<4x4xf64>
  %s = mars.sum %d : tensor<4x4xf64> -> tensor<f64>
  %ad = mars.abs %d : tensor<4x4xf64>
  %m = mars.max %ad axes = [1] : tensor<4x4xf64> -> tensor<4xf64>
  %p = mars.mul %d, %a : tensor<4x4xf64>
  return %s, %m, %p : tensor<f64>, tensor<4xf64>, tensor<4x4xf64>
}

// -----

// Tests that expensive work is never copied: exp is computed once and
// stored; only the cheap add after it is recomputed by both reductions.
// CHECK-LABEL: func.func @expensive_shared
// CHECK: %[[E:.*]] = mars.exp
// CHECK: mars.fused(%[[E]])
// CHECK-NOT: mars.exp
// CHECK: mars.add
// CHECK: mars.sum
// CHECK: mars.fused(%[[E]])
// CHECK-NOT: mars.exp
// CHECK: mars.add
// CHECK: mars.max
func.func @expensive_shared(%a: tensor<4x4xf64>) -> (tensor<f64>, tensor<f64>) {
  %x = mars.exp %a : tensor<4x4xf64>
  %one = mars.full(1.0) : tensor<f64>
  %y = mars.add %x, %one : (tensor<4x4xf64>, tensor<f64>) -> tensor<4x4xf64>
  %s = mars.sum %y : tensor<4x4xf64> -> tensor<f64>
  %m = mars.max %y : tensor<4x4xf64> -> tensor<f64>
  return %s, %m : tensor<f64>, tensor<f64>
}

// -----

// Tests that a cheap value broadcast into a larger consumer is not copied
// (that would repeat its work per row): it is stored once.
// CHECK-LABEL: func.func @broadcast_shared
// CHECK: %[[N:.*]] = mars.neg
// CHECK: mars.fused(%{{.*}}, %[[N]])
// CHECK: mars.fused(%{{.*}}, %[[N]])
func.func @broadcast_shared(%a: tensor<4x4xf64>, %v: tensor<4xf64>) -> (tensor<4x4xf64>, tensor<4x4xf64>) {
  %n = mars.neg %v : tensor<4xf64>
  %0 = mars.add %a, %n : (tensor<4x4xf64>, tensor<4xf64>) -> tensor<4x4xf64>
  %1 = mars.mul %a, %n : (tensor<4x4xf64>, tensor<4xf64>) -> tensor<4x4xf64>
  %2 = mars.exp %0 : tensor<4x4xf64>
  %3 = mars.exp %1 : tensor<4x4xf64>
  return %2, %3 : tensor<4x4xf64>, tensor<4x4xf64>
}
