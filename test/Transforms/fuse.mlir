// RUN: mars-opt %s -split-input-file -mars-tile="chunk-size=2" -mars-fuse | FileCheck %s
// RUN: mars-opt %s -split-input-file -mars-tile="chunk-size=2" -mars-fuse="multi-output=false" | FileCheck %s --check-prefix=NOMULTI

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

// Tests that a random draw read by an op no group takes (a product) is a
// group of its own, so that it gets a compiled kernel, and that the copy a
// group takes leaves it in place. A constant read that way is not: its
// runtime kernel is as fast as a compiled one.
// CHECK-LABEL: func.func @stored_random
// CHECK-NEXT: %[[D:.*]] = mars.fused() {mars.chunks = array<i64: 2, 2>} : () -> tensor<4x4xf64> {
// CHECK-NEXT:   %[[U:.*]] = mars.random_uniform seed = 5
// CHECK-NEXT:   mars.yield %[[U]] : tensor<4x4xf64>
// CHECK-NEXT: }
// CHECK-NEXT: %[[O:.*]] = mars.ones {mars.chunks
// CHECK-NEXT: %[[M:.*]] = mars.matmul %[[D]], %[[O]]
// CHECK-NEXT: mars.fused()
// CHECK-NEXT:   mars.random_uniform seed = 5
// CHECK-NEXT:   mars.exp
// CHECK-NEXT:   mars.yield
// CHECK-NEXT: }
// CHECK-NOT: mars.fused
// CHECK: return
func.func @stored_random() -> (tensor<4x4xf64>, tensor<4x4xf64>) {
  %r = mars.random_uniform seed = 5, low = 0.0, high = 1.0 : tensor<4x4xf64>
  %o = mars.ones : tensor<4x4xf64>
  %m = mars.matmul %r, %o : tensor<4x4xf64>, tensor<4x4xf64> -> tensor<4x4xf64>
  %e = mars.exp %r : tensor<4x4xf64>
  return %m, %e : tensor<4x4xf64>, tensor<4x4xf64>
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
// stored. The sum and the max of the cheap add after it form one
// multi-output group, which computes the add once; without multi-output
// fusion each reduction recomputes the add.
// CHECK-LABEL: func.func @expensive_shared
// CHECK: %[[E:.*]] = mars.exp
// CHECK: mars.fused(%[[E]]) {{.*}} -> (tensor<f64>, tensor<f64>)
// CHECK-NOT: mars.exp
// CHECK: mars.add
// CHECK-NEXT: mars.sum
// CHECK-NEXT: mars.max
// CHECK-NEXT: mars.yield
// NOMULTI-LABEL: func.func @expensive_shared
// NOMULTI: %[[E:.*]] = mars.exp
// NOMULTI: mars.fused(%[[E]])
// NOMULTI-NOT: mars.exp
// NOMULTI: mars.add
// NOMULTI: mars.sum
// NOMULTI: mars.fused(%[[E]])
// NOMULTI-NOT: mars.exp
// NOMULTI: mars.add
// NOMULTI: mars.max
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

// -----

// Tests that Monte Carlo pi is one group: the sum over the 2 coordinates is
// an inner reduction of the count, so neither the points nor their sums
// are stored.
// CHECK-LABEL: func.func @inner_reduction
// CHECK-NEXT: %[[F:.*]] = mars.fused() {mars.chunks = array<i64>} : () -> tensor<i64> {
// CHECK-NEXT:   mars.random_uniform {{.*}} : tensor<6x2xf64>
// CHECK-NEXT:   mars.square
// CHECK-NEXT:   %[[R2:.*]] = mars.sum %{{.*}} axes = [1] {{.*}} -> tensor<6xf64>
// CHECK-NEXT:   %[[R:.*]] = mars.sqrt %[[R2]]
// CHECK-NEXT:   %[[ONE:.*]] = mars.full(1.0)
// CHECK-NEXT:   %[[IN:.*]] = mars.lt %[[R]], %[[ONE]]
// CHECK-NEXT:   %[[N:.*]] = mars.sum %[[IN]] {{.*}} -> tensor<i64>
// CHECK-NEXT:   mars.yield %[[N]] : tensor<i64>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[F]]
func.func @inner_reduction() -> tensor<i64> {
  %p = mars.random_uniform seed = 1, low = -1.0, high = 1.0 : tensor<6x2xf64>
  %sq = mars.square %p : tensor<6x2xf64>
  %r2 = mars.sum %sq axes = [1] : tensor<6x2xf64> -> tensor<6xf64>
  %r = mars.sqrt %r2 : tensor<6xf64>
  %one = mars.full(1.0) : tensor<f64>
  %in = mars.lt %r, %one : (tensor<6xf64>, tensor<f64>) -> tensor<6xi1>
  %n = mars.sum %in : tensor<6xi1> -> tensor<i64>
  return %n : tensor<i64>
}

// -----

// Tests that an inner reduction also feeds a map root, and that its domain
// reads rank-0 values (here a function argument) as inputs.
// CHECK-LABEL: func.func @inner_into_map
// CHECK-SAME: (%[[S:[^:]*]]: tensor<f64>
// CHECK-NEXT: %[[F:.*]] = mars.fused(%[[S]]) {{.*}} : (tensor<f64>) -> tensor<4x3xf64> {
// CHECK-NEXT: ^bb0(%[[X:.*]]: tensor<f64>):
// CHECK-NEXT:   mars.random_normal {{.*}} : tensor<4x2x3xf64>
// CHECK-NEXT:   mars.mul %{{.*}}, %[[X]]
// CHECK-NEXT:   %[[M:.*]] = mars.max %{{.*}} axes = [1] {{.*}} -> tensor<4x3xf64>
// CHECK-NEXT:   %[[E:.*]] = mars.exp %[[M]]
// CHECK-NEXT:   mars.yield %[[E]] : tensor<4x3xf64>
// CHECK-NEXT: }
func.func @inner_into_map(%s: tensor<f64>) -> tensor<4x3xf64> {
  %p = mars.random_normal seed = 3, loc = 0.0, scale = 1.0 : tensor<4x2x3xf64>
  %q = mars.mul %p, %s : (tensor<4x2x3xf64>, tensor<f64>) -> tensor<4x2x3xf64>
  %m = mars.max %q axes = [1] : tensor<4x2x3xf64> -> tensor<4x3xf64>
  %e = mars.exp %m : tensor<4x3xf64>
  return %e : tensor<4x3xf64>
}

// -----

// Tests the reductions that stay out of their consumer's group: one over
// more than 8 elements, one whose result the consumer broadcasts (it would
// be computed once per broadcast copy), one the program also returns, and
// a var.
// CHECK-LABEL: func.func @not_inner
// CHECK: %[[LONG:.*]] = mars.fused() {{.*}} -> tensor<4xf64> {
// CHECK:   mars.max %{{.*}} axes = [1] {{.*}} : tensor<4x9xf64> -> tensor<4xf64>
// CHECK: mars.fused(%[[LONG]])
// CHECK: %[[BC:.*]] = mars.fused() {{.*}} -> tensor<4xf64> {
// CHECK:   mars.min %{{.*}} axes = [1] {{.*}} : tensor<4x2xf64> -> tensor<4xf64>
// CHECK: mars.fused(%[[BC]], %{{.*}})
// CHECK: %[[RET:.*]] = mars.fused() {{.*}} -> tensor<4xf64> {
// CHECK:   mars.mean %{{.*}} axes = [1] {{.*}} : tensor<4x2xf64> -> tensor<4xf64>
// CHECK: mars.fused(%[[RET]])
// CHECK: %[[VAR:.*]] = mars.fused() {{.*}} -> tensor<4xf64> {
// CHECK:   mars.var %{{.*}} axes = [1] {{.*}} : tensor<4x2xf64> -> tensor<4xf64>
// CHECK: mars.fused(%[[VAR]])
func.func @not_inner(%b: tensor<3x4xf64>) -> (tensor<f64>, tensor<f64>, tensor<f64>, tensor<f64>, tensor<4xf64>) {
  %p9 = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<4x9xf64>
  %long = mars.max %p9 axes = [1] : tensor<4x9xf64> -> tensor<4xf64>
  %long2 = mars.square %long : tensor<4xf64>
  %s1 = mars.sum %long2 : tensor<4xf64> -> tensor<f64>
  %p = mars.random_uniform seed = 2, low = 0.0, high = 1.0 : tensor<4x2xf64>
  %bc = mars.min %p axes = [1] : tensor<4x2xf64> -> tensor<4xf64>
  %bc2 = mars.add %bc, %b : (tensor<4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>
  %s3 = mars.sum %bc2 : tensor<3x4xf64> -> tensor<f64>
  %ret = mars.mean %p axes = [1] : tensor<4x2xf64> -> tensor<4xf64>
  %ret2 = mars.neg %ret : tensor<4xf64>
  %s4 = mars.sum %ret2 : tensor<4xf64> -> tensor<f64>
  %var = mars.var %p axes = [1] : tensor<4x2xf64> -> tensor<4xf64>
  %var2 = mars.neg %var : tensor<4xf64>
  %s5 = mars.sum %var2 : tensor<4xf64> -> tensor<f64>
  return %s1, %s3, %s4, %s5, %ret : tensor<f64>, tensor<f64>, tensor<f64>, tensor<f64>, tensor<4xf64>
}

// -----

// Tests inner reductions of a stored value: the group reads the argument's
// rows whole (row norms; the range of each row from two inner reductions
// over the same axis), and the squares stored once for another user are
// read as an input.
// CHECK-LABEL: func.func @inner_reads_input
// CHECK-SAME: (%[[X:[^:]*]]: tensor<5x3xf64>
// CHECK:      %[[SQ:.*]] = mars.square %[[X]]
// CHECK-NEXT: %[[N:.*]] = mars.fused(%[[SQ]]) {{.*}} : (tensor<5x3xf64>) -> tensor<5xf64> {
// CHECK-NEXT: ^bb0(%[[S:.*]]: tensor<5x3xf64>):
// CHECK-NEXT:   %[[N2:.*]] = mars.sum %[[S]] axes = [1]
// CHECK-NEXT:   mars.sqrt %[[N2]]
// CHECK:      %[[R:.*]] = mars.fused(%[[X]]) {{.*}} : (tensor<5x3xf64>) -> tensor<f64> {
// CHECK-NEXT: ^bb0(%[[Y:.*]]: tensor<5x3xf64>):
// CHECK-NEXT:   %[[HI:.*]] = mars.max %[[Y]] axes = [1]
// CHECK-NEXT:   %[[LO:.*]] = mars.min %[[Y]] axes = [1]
// CHECK-NEXT:   mars.sub %[[HI]], %[[LO]]
// CHECK-NEXT:   mars.sum
// CHECK:      return %[[N]], %[[R]], %[[SQ]]
func.func @inner_reads_input(%x: tensor<5x3xf64>) -> (tensor<5xf64>, tensor<f64>, tensor<5x3xf64>) {
  %sq = mars.square %x : tensor<5x3xf64>
  %n2 = mars.sum %sq axes = [1] : tensor<5x3xf64> -> tensor<5xf64>
  %n = mars.sqrt %n2 : tensor<5xf64>
  %hi = mars.max %x axes = [1] : tensor<5x3xf64> -> tensor<5xf64>
  %lo = mars.min %x axes = [1] : tensor<5x3xf64> -> tensor<5xf64>
  %d = mars.sub %hi, %lo : tensor<5xf64>
  %r = mars.sum %d : tensor<5xf64> -> tensor<f64>
  return %n, %r, %sq : tensor<5xf64>, tensor<f64>, tensor<5x3xf64>
}

// -----

// Tests that one input is not read by inner reductions over two spaces
// (its region would differ): the second reduction stays a group of its own.
// CHECK-LABEL: func.func @inner_conflict
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x2xf64>
// CHECK-NEXT: %[[S:.*]] = mars.sum %[[X]] axes = [1]
// CHECK-NEXT: mars.fused(%[[X]], %[[S]]) {{.*}} -> tensor<f64> {
// CHECK-NEXT: ^bb0(%[[Y:.*]]: tensor<2x2xf64>, %[[SS:.*]]: tensor<2xf64>):
// CHECK-NEXT:   %[[M:.*]] = mars.max %[[Y]] axes = [0]
// CHECK-NEXT:   mars.sub %[[SS]], %[[M]]
func.func @inner_conflict(%x: tensor<2x2xf64>) -> tensor<f64> {
  %s = mars.sum %x axes = [1] : tensor<2x2xf64> -> tensor<2xf64>
  %m = mars.max %x axes = [0] : tensor<2x2xf64> -> tensor<2xf64>
  %d = mars.sub %s, %m : tensor<2xf64>
  %t = mars.sum %d : tensor<2xf64> -> tensor<f64>
  return %t : tensor<f64>
}

// -----

// Tests multi-output fusion: the three reductions of d = a - b become one
// fused op with three results that computes d once (and reads a and b once
// per chunk); the results replace the reductions' in order.
// CHECK-LABEL: func.func @siblings
// CHECK: %[[F:.*]]:3 = mars.fused(%{{.*}}, %{{.*}}) {mars.chunks = array<i64>} : (tensor<4x4xf64>, tensor<4x4xf64>) -> (tensor<f64>, tensor<f64>, tensor<f64>)
// CHECK: mars.sub
// CHECK-NOT: mars.sub
// CHECK: %[[S:.*]] = mars.sum
// CHECK: %[[M:.*]] = mars.max
// CHECK: %[[MN:.*]] = mars.mean
// CHECK-NEXT: mars.yield %[[S]], %[[M]], %[[MN]]
// CHECK: return %[[F]]#0, %[[F]]#1, %[[F]]#2
// NOMULTI-LABEL: func.func @siblings
// NOMULTI-COUNT-3: mars.fused
func.func @siblings(%a: tensor<4x4xf64>, %b: tensor<4x4xf64>) -> (tensor<f64>, tensor<f64>, tensor<f64>) {
  %d = mars.sub %a, %b : tensor<4x4xf64>
  %sq = mars.mul %d, %d : tensor<4x4xf64>
  %s = mars.sum %sq : tensor<4x4xf64> -> tensor<f64>
  %ad = mars.abs %d : tensor<4x4xf64>
  %m = mars.max %ad : tensor<4x4xf64> -> tensor<f64>
  %mn = mars.mean %d : tensor<4x4xf64> -> tensor<f64>
  return %s, %m, %mn : tensor<f64>, tensor<f64>, tensor<f64>
}

// -----

// Tests that plain reductions of one stored value join a group too, over
// rows, and that a later user of the first result still follows the group.
// CHECK-LABEL: func.func @siblings_of_argument
// CHECK: %[[F:.*]]:2 = mars.fused(%arg0) {mars.chunks = array<i64: 2>} : (tensor<4x12xf64>) -> (tensor<4xf64>, tensor<4xi1>)
// CHECK: mars.sum %{{.*}} axes = [1]
// CHECK: mars.any %{{.*}} axes = [1]
// CHECK: mars.neg %[[F]]#0
func.func @siblings_of_argument(%x: tensor<4x12xf64>) -> (tensor<4xf64>, tensor<4xi1>) {
  %s = mars.sum %x axes = [1] : tensor<4x12xf64> -> tensor<4xf64>
  %n = mars.neg %s : tensor<4xf64>
  %a = mars.any %x axes = [1] : tensor<4x12xf64> -> tensor<4xi1>
  return %n, %a : tensor<4xf64>, tensor<4xi1>
}

// -----

// Tests what stays apart: a reduction that reads another's result, one over
// other axes, a var (its partial takes a second pass) and an argmax.
// CHECK-LABEL: func.func @not_siblings
// CHECK-NOT: :{{[0-9]}} = mars.fused
// CHECK: return
func.func @not_siblings(%x: tensor<4x4xf64>) -> (tensor<f64>, tensor<f64>, tensor<4xf64>, tensor<f64>, tensor<i64>) {
  %m = mars.max %x : tensor<4x4xf64> -> tensor<f64>
  %y = mars.sub %x, %m : (tensor<4x4xf64>, tensor<f64>) -> tensor<4x4xf64>
  %s = mars.sum %y : tensor<4x4xf64> -> tensor<f64>
  %r = mars.sum %x axes = [0] : tensor<4x4xf64> -> tensor<4xf64>
  %v = mars.var %x : tensor<4x4xf64> -> tensor<f64>
  %i = mars.argmax %x : tensor<4x4xf64> -> tensor<i64>
  return %m, %s, %r, %v, %i : tensor<f64>, tensor<f64>, tensor<4xf64>, tensor<f64>, tensor<i64>
}
