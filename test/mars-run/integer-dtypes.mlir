// numpy's integer dtypes of every width and signedness (i8, i16 signless;
// ui8 ... ui64 unsigned): wrapping arithmetic, floored division and
// remainder, power, gcd, shifts, unsigned comparisons and extremes, sums
// into ui64, argmax, and casts between them and from floats (NaN, infinity
// and out-of-range values as numpy's scalar casts give). The inputs are
// .npy files of each dtype; every engine (the GPU emulator through its
// inline integer rules) writes numpy's bytes.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/integer_dtypes.py make %t
// RUN: mars-run %s --engine=reference --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --arg 3=%t/d.npy --arg 4=%t/f.npy --output %t/ref --quiet
// RUN: mars-run %s --engine=chunked --chunks=5 --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --arg 3=%t/d.npy --arg 4=%t/f.npy --output %t/chunked --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=7 --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --arg 3=%t/d.npy --arg 4=%t/f.npy --output %t/compiled --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --fuse=false --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --arg 3=%t/d.npy --arg 4=%t/f.npy --output %t/unfused --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=6 --device=gpu-emulator --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --arg 3=%t/d.npy --arg 4=%t/f.npy --output %t/gpu --quiet 2>/dev/null
// RUN: %python %S/Inputs/integer_dtypes.py check %t ref chunked compiled unfused gpu | FileCheck %s
// RUN: mars-run %s --engine=compiled --kernel-cache=none --emit=mlir --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --arg 3=%t/d.npy --arg 4=%t/f.npy | FileCheck %s --check-prefix=MLIR

// CHECK: ref: 13 results equal numpy's
// CHECK-NEXT: chunked: 13 results equal numpy's
// CHECK-NEXT: compiled: 13 results equal numpy's
// CHECK-NEXT: unfused: 13 results equal numpy's
// CHECK-NEXT: gpu: 13 results equal numpy's

// Unsigned rules on signless values: comparisons, division and shifts;
// floored division and remainder inline, power a helper call.
// MLIR-DAG: arith.cmpi ugt
// MLIR-DAG: arith.shrui
// MLIR-DAG: arith.extui
// MLIR-DAG: arith.divui
// MLIR-DAG: arith.remsi
// MLIR-DAG: call @mars_pow_u64
// MLIR-DAG: arith.uitofp

func.func @main(%a: tensor<37xui8>, %b: tensor<37xi16>, %c: tensor<37xui64>,
                %d: tensor<37xi8>, %f: tensor<23xf64>)
    -> (tensor<37xui8>, tensor<37xui8>, tensor<37xi16>, tensor<37xui64>,
        tensor<37xui64>, tensor<37xi8>, tensor<37xi1>, tensor<ui64>,
        tensor<i64>, tensor<37xf64>, tensor<23xui32>, tensor<23xui64>,
        tensor<23xi8>) {
  // uint8: a // (b | 1) as uint8, a >> 3, max(a, 200).
  %one = mars.full(1) : tensor<37xui8>
  %a1 = mars.bitwise_or %a, %one : tensor<37xui8>
  %q = mars.floor_div %a, %a1 : tensor<37xui8>
  %three = mars.full(3) : tensor<37xui8>
  %s = mars.right_shift %a, %three : tensor<37xui8>
  %two00 = mars.full(200) : tensor<37xui8>
  %m = mars.maximum %s, %two00 : tensor<37xui8>
  %mx = mars.maximum %q, %m : tensor<37xui8>
  // int16 wraps: b * b - b, remainder by the uint8 input widened.
  %a16 = mars.cast %a : (tensor<37xui8>) -> tensor<37xi16>
  %bb = mars.mul %b, %b : tensor<37xi16>
  %w = mars.sub %bb, %b : tensor<37xi16>
  %r = mars.mod %w, %a16 : tensor<37xi16>
  // uint64: floored division, power, gcd.
  %seven = mars.full(7) : tensor<37xui64>
  %cq = mars.floor_div %c, %seven : tensor<37xui64>
  %p = mars.pow %c, %seven : tensor<37xui64>
  %g = mars.gcd %c, %cq : tensor<37xui64>
  %gp = mars.add %g, %p : tensor<37xui64>
  // int8: negative, absolute, sign.
  %n = mars.neg %d : tensor<37xi8>
  %ab = mars.abs %n : tensor<37xi8>
  // uint64 compares unsigned.
  %big = mars.full(9223372036854775808 : ui64) : tensor<37xui64>
  %gt = mars.gt %c, %big : (tensor<37xui64>, tensor<37xui64>) -> tensor<37xi1>
  // Sums of uint8 accumulate in uint64; argmax of uint64 compares unsigned.
  %a64 = mars.cast %a : (tensor<37xui8>) -> tensor<37xui64>
  %sum = mars.sum %a64 : tensor<37xui64> -> tensor<ui64>
  %am = mars.argmax %c : tensor<37xui64> -> tensor<i64>
  %cf = mars.cast %c : (tensor<37xui64>) -> tensor<37xf64>
  // Floats to integers.
  %f32 = mars.cast %f : (tensor<23xf64>) -> tensor<23xui32>
  %f64 = mars.cast %f : (tensor<23xf64>) -> tensor<23xui64>
  %f8 = mars.cast %f : (tensor<23xf64>) -> tensor<23xi8>
  return %mx, %s, %r, %cq, %gp, %ab, %gt, %sum, %am, %cf, %f32, %f64, %f8
      : tensor<37xui8>, tensor<37xui8>, tensor<37xi16>, tensor<37xui64>,
        tensor<37xui64>, tensor<37xi8>, tensor<37xi1>, tensor<ui64>,
        tensor<i64>, tensor<37xf64>, tensor<23xui32>, tensor<23xui64>,
        tensor<23xi8>
}
