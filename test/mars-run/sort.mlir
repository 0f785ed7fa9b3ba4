// mars.sort, argsort, searchsorted, take and take_along_axis on every engine
// and chunking. A result chunk reads its lanes whole along the axis and
// sorts (or gathers) only its own part, so chunks that split a lane agree
// with the whole: NaN sorts last, -0.0 before 0.0, argsort is numpy's stable
// one (ties keep their order across chunk boundaries), and searchsorted uses
// the same order.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=1 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=2 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --memory-limit=2KB %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator %s 2>/dev/null | FileCheck %s

// sort and stable argsort of [3, nan, -0.0, 1, 0.0, -2, 1, -inf, 0.0]
// CHECK: [-inf  -2.  -0.   0.   0.   1.   1.   3.  nan]
// CHECK-NEXT: [7 5 2 4 8 3 6 0 1]
// i32 along axis 0 and bool along the last axis
// CHECK-NEXT: {{\[}}[2 1 0]
// CHECK-NEXT:  [5 2 3]]
// CHECK-NEXT: {{\[}}[False  True  True]
// CHECK-NEXT:  [False False  True]]
// argsort of ties along the last axis (i64), f32 with NaNs
// CHECK-NEXT: {{\[}}[1 3 0 2]
// CHECK-NEXT:  [0 1 2 3]]
// CHECK-NEXT: [ 1.  2. nan nan]
// an empty axis
// CHECK-NEXT: []
// searchsorted left and right of [1, nan, -5, 3, inf]
// CHECK-NEXT: [5 8 1 7 8]
// CHECK-NEXT: [7 9 1 8 8]
// take with raise (negative indices), wrap and clip
// CHECK-NEXT: {{\[}}[3. 3. 1. 2.]
// CHECK-NEXT:  [6. 6. 4. 5.]]
// CHECK-NEXT: {{\[}}[2. 1. 3. 3.]
// CHECK-NEXT:  [5. 4. 6. 6.]]
// CHECK-NEXT: {{\[}}[1. 3. 3. 1.]
// CHECK-NEXT:  [4. 6. 6. 4.]]
// take with 2-d indices along axis 0, take_along_axis along axis 1
// CHECK-NEXT: {{\[}}{{\[}}[4. 5. 6.]
// CHECK-NEXT:   [1. 2. 3.]]
// CHECK-EMPTY:
// CHECK-NEXT:  {{\[}}[4. 5. 6.]
// CHECK-NEXT:   [4. 5. 6.]]]
// CHECK-NEXT: {{\[}}[3. 1.]
// CHECK-NEXT:  [6. 5.]]
// a sort feeding fused arithmetic: sort(x * 2) + 1
// CHECK-NEXT: [-3.  1.  3.  7.]
// runs of 3 and 4 sorted on their own, then merged (the sort of %a), and
// along the rows of an i32 matrix
// CHECK-NEXT: [ -0.   1.   3.  nan -inf  -2.   0.   1.   0.]
// CHECK-NEXT: [-inf  -2.  -0.   0.   0.   1.   1.   3.  nan]
// CHECK-NEXT: {{\[}}[0 1 2 3 3 4 5]
// CHECK-NEXT:  [0 1 2 2 3 4 6]]
func.func @main() -> (tensor<9xf64>, tensor<9xi64>, tensor<2x3xi32>,
                      tensor<2x3xi1>, tensor<2x4xi64>, tensor<4xf32>,
                      tensor<0xf64>, tensor<5xi64>, tensor<5xi64>,
                      tensor<2x4xf64>, tensor<2x4xf64>, tensor<2x4xf64>,
                      tensor<2x2x3xf64>, tensor<2x2xf64>, tensor<4xf64>,
                      tensor<9xf64>, tensor<9xf64>, tensor<2x7xi32>) {
  %a = mars.constant dense<[3.0, 0x7FF8000000000000, -0.0, 1.0, 0.0, -2.0, 1.0, 0xFFF0000000000000, 0.0]> : tensor<9xf64>
  %s = mars.sort %a axis = 0 : tensor<9xf64> -> tensor<9xf64>
  %i = mars.argsort %a axis = 0 : tensor<9xf64> -> tensor<9xi64>
  %b = mars.constant dense<[[5, 1, 3], [2, 2, 0]]> : tensor<2x3xi32>
  %bs = mars.sort %b axis = 0 : tensor<2x3xi32> -> tensor<2x3xi32>
  %c = mars.constant dense<[[true, false, true], [false, true, false]]> : tensor<2x3xi1>
  %cs = mars.sort %c axis = 1 : tensor<2x3xi1> -> tensor<2x3xi1>
  %d = mars.constant dense<[[7, 2, 7, 2], [0, 0, 0, 0]]> : tensor<2x4xi64>
  %di = mars.argsort %d axis = -1 : tensor<2x4xi64> -> tensor<2x4xi64>
  %e = mars.constant dense<[0x7FC00000, 2.0, 0x7FC00000, 1.0]> : tensor<4xf32>
  %es = mars.sort %e axis = 0 : tensor<4xf32> -> tensor<4xf32>
  %z = mars.constant dense<> : tensor<0xf64>
  %zs = mars.sort %z axis = 0 : tensor<0xf64> -> tensor<0xf64>
  %v = mars.constant dense<[1.0, 0x7FF8000000000000, -5.0, 3.0, 0x7FF0000000000000]> : tensor<5xf64>
  %l = mars.searchsorted %s, %v side = "left" : tensor<9xf64>, tensor<5xf64> -> tensor<5xi64>
  %r = mars.searchsorted %s, %v side = "right" : tensor<9xf64>, tensor<5xf64> -> tensor<5xi64>
  %m = mars.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf64>
  %idx = mars.constant dense<[2, -1, 0, 1]> : tensor<4xi64>
  %t = mars.take %m, %idx axis = 1 mode = "raise" : tensor<2x3xf64>, tensor<4xi64> -> tensor<2x4xf64>
  %far = mars.constant dense<[-2, 3, 5, -4]> : tensor<4xi64>
  %tw = mars.take %m, %far axis = 1 mode = "wrap" : tensor<2x3xf64>, tensor<4xi64> -> tensor<2x4xf64>
  %tc = mars.take %m, %far axis = 1 mode = "clip" : tensor<2x3xf64>, tensor<4xi64> -> tensor<2x4xf64>
  %rows = mars.constant dense<[[1, 0], [-1, 1]]> : tensor<2x2xi32>
  %t2 = mars.take %m, %rows axis = 0 mode = "raise" : tensor<2x3xf64>, tensor<2x2xi32> -> tensor<2x2x3xf64>
  %j = mars.constant dense<[[2, 0], [-1, 1]]> : tensor<2x2xi64>
  %ta = mars.take_along_axis %m, %j axis = 1 : tensor<2x3xf64>, tensor<2x2xi64> -> tensor<2x2xf64>
  %x = mars.constant dense<[3.0, -2.0, 1.0, 0.0]> : tensor<4xf64>
  %two = mars.constant dense<2.0> : tensor<f64>
  %one = mars.constant dense<1.0> : tensor<f64>
  %x2 = mars.mul %x, %two : (tensor<4xf64>, tensor<f64>) -> tensor<4xf64>
  %xs = mars.sort %x2 axis = 0 : tensor<4xf64> -> tensor<4xf64>
  %y = mars.add %xs, %one : (tensor<4xf64>, tensor<f64>) -> tensor<4xf64>
  %runs = mars.sort_runs %a axis = 0 run = 4 : tensor<9xf64> -> tensor<9xf64>
  %runs3 = mars.sort_runs %a axis = 0 run = 3 : tensor<9xf64> -> tensor<9xf64>
  %merged = mars.merge_runs %runs3 axis = 0 run = 3 : tensor<9xf64> -> tensor<9xf64>
  %w = mars.constant dense<[[3, 0, 5, 1, 4, 2, 3], [6, 2, 0, 4, 1, 3, 2]]> : tensor<2x7xi32>
  %wr = mars.sort_runs %w axis = 1 run = 2 : tensor<2x7xi32> -> tensor<2x7xi32>
  %wm = mars.merge_runs %wr axis = 1 run = 2 : tensor<2x7xi32> -> tensor<2x7xi32>
  return %s, %i, %bs, %cs, %di, %es, %zs, %l, %r, %t, %tw, %tc, %t2, %ta, %y,
         %runs, %merged, %wm
      : tensor<9xf64>, tensor<9xi64>, tensor<2x3xi32>, tensor<2x3xi1>,
        tensor<2x4xi64>, tensor<4xf32>, tensor<0xf64>, tensor<5xi64>,
        tensor<5xi64>, tensor<2x4xf64>, tensor<2x4xf64>, tensor<2x4xf64>,
        tensor<2x2x3xf64>, tensor<2x2xf64>, tensor<4xf64>, tensor<9xf64>,
        tensor<9xf64>, tensor<2x7xi32>
}

// Out-of-bounds indices are numpy's IndexError, located at the op.
// RUN: not mars-run --engine=reference --entry=oob %s 2>&1 | FileCheck %s --check-prefix=OOB
// RUN: not mars-run --engine=chunked --chunks=2 --entry=oob %s 2>&1 | FileCheck %s --check-prefix=OOB
// RUN: not mars-run --engine=compiled --kernel-cache=none --chunks=2 --entry=oob %s 2>&1 | FileCheck %s --check-prefix=OOB
// OOB: sort.mlir:[[@LINE+4]]:8: error: index -4 is out of bounds for axis 1 with size 3
func.func @oob() -> tensor<2x2xf64> {
  %m = mars.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf64>
  %idx = mars.constant dense<[[2, -4], [0, 0]]> : tensor<2x2xi64>
  %t = mars.take_along_axis %m, %idx axis = 1 : tensor<2x3xf64>, tensor<2x2xi64> -> tensor<2x2xf64>
  return %t : tensor<2x2xf64>
}

// RUN: not mars-run --engine=chunked --chunks=1 --entry=empty_take %s 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: error: cannot do a non-empty take from an empty axes.
func.func @empty_take() -> tensor<2xf64> {
  %z = mars.constant dense<> : tensor<0xf64>
  %idx = mars.constant dense<[0, 0]> : tensor<2xi64>
  %t = mars.take %z, %idx axis = 0 mode = "clip" : tensor<0xf64>, tensor<2xi64> -> tensor<2xf64>
  return %t : tensor<2xf64>
}

// RUN: not mars-run --engine=compiled --kernel-cache=none --chunks=2 --entry=empty_take_2d %s 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not mars-run --engine=reference --entry=empty_take_2d %s 2>&1 | FileCheck %s --check-prefix=EMPTY
func.func @empty_take_2d() -> tensor<3x1xf64> {
  %z = mars.constant dense<> : tensor<3x0xf64>
  %idx = mars.constant dense<[0]> : tensor<1xi64>
  %t = mars.take %z, %idx axis = 1 mode = "raise" : tensor<3x0xf64>, tensor<1xi64> -> tensor<3x1xf64>
  return %t : tensor<3x1xf64>
}

// sorted_at: the sort's elements at some positions, by selection, on every
// engine (chunks of whole lanes holding some of the positions).
// RUN: mars-run --engine=reference --entry=sorted_at %s | FileCheck %s --check-prefix=AT
// RUN: mars-run --engine=chunked --chunks=2 --entry=sorted_at %s | FileCheck %s --check-prefix=AT
// RUN: mars-run --engine=chunked --chunks=3 --entry=sorted_at %s | FileCheck %s --check-prefix=AT
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --entry=sorted_at %s | FileCheck %s --check-prefix=AT
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --memory-limit=2KB --entry=sorted_at %s | FileCheck %s --check-prefix=AT
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator --entry=sorted_at %s 2>/dev/null | FileCheck %s --check-prefix=AT
// positions [8, 0, -1, 3, 3, 2, 4] of [-inf -2 -0 0 0 1 1 3 nan]
// AT: [ nan -inf  nan   0.   0.  -0.   0.]
// the middle and the last of each column (i64), and of each row of bools
// AT-NEXT: {{\[}}[5 2 3]
// AT-NEXT:  [8 9 9]]
// AT-NEXT: {{\[}}[ True False]
// AT-NEXT:  [ True False]]
func.func @sorted_at() -> (tensor<7xf64>, tensor<2x3xi64>, tensor<2x2xi1>) {
  %a = mars.constant dense<[3.0, 0x7FF8000000000000, -0.0, 1.0, 0.0, -2.0, 1.0, 0xFFF0000000000000, 0.0]> : tensor<9xf64>
  %s = mars.sorted_at %a axis = 0 kth = [8, 0, -1, 3, 3, 2, 4] : tensor<9xf64> -> tensor<7xf64>
  %b = mars.constant dense<[[5, 7, 9], [1, 2, 3], [8, 0, 3], [6, 1, 2], [2, 9, 5]]> : tensor<5x3xi64>
  %bs = mars.sorted_at %b axis = 0 kth = [2, -1] : tensor<5x3xi64> -> tensor<2x3xi64>
  %c = mars.constant dense<[[true, false, true], [false, true, false]]> : tensor<2x3xi1>
  %cs = mars.sorted_at %c axis = 1 kth = [-1, 0] : tensor<2x3xi1> -> tensor<2x2xi1>
  return %s, %bs, %cs : tensor<7xf64>, tensor<2x3xi64>, tensor<2x2xi1>
}

// sorted_at indices: the stable argsort's positions at some ranks (runs of
// consecutive ranks, up or down, as argtopk asks), on every engine.
// RUN: mars-run --engine=reference --entry=arg_sorted_at %s | FileCheck %s --check-prefix=ARGAT
// RUN: mars-run --engine=chunked --chunks=2 --entry=arg_sorted_at %s | FileCheck %s --check-prefix=ARGAT
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --entry=arg_sorted_at %s | FileCheck %s --check-prefix=ARGAT
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=2 --memory-limit=2KB --entry=arg_sorted_at %s | FileCheck %s --check-prefix=ARGAT
// argsort of [3 nan -0 1 0 -2 1 -inf 0] is [7 5 2 4 8 3 6 0 1]; ranks
// [8, 7, 6, 0, 1, 3, 3]
// ARGAT: [1 0 6 7 5 4 4]
// the last two ranks of each column, largest first
// ARGAT-NEXT: {{\[}}[2 4 0]
// ARGAT-NEXT:  [3 0 4]]
func.func @arg_sorted_at() -> (tensor<7xi64>, tensor<2x3xi64>) {
  %a = mars.constant dense<[3.0, 0x7FF8000000000000, -0.0, 1.0, 0.0, -2.0, 1.0, 0xFFF0000000000000, 0.0]> : tensor<9xf64>
  %s = mars.sorted_at %a axis = 0 kth = [8, 7, 6, 0, 1, 3, 3] indices : tensor<9xf64> -> tensor<7xi64>
  %b = mars.constant dense<[[5, 7, 9], [1, 2, 3], [8, 0, 3], [6, 1, 2], [2, 9, 5]]> : tensor<5x3xi64>
  %bs = mars.sorted_at %b axis = 0 kth = [-1, -2] indices : tensor<5x3xi64> -> tensor<2x3xi64>
  return %s, %bs : tensor<7xi64>, tensor<2x3xi64>
}
