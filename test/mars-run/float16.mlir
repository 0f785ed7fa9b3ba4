// float16 is a storage type: casts to and from every dtype (float64 rounds
// once; integers round through float32, as numpy's), shape ops that move
// float16 elements, float16 constants (full, and a constant read chunk by
// chunk), and arithmetic on float16 as the
// front ends write it (cast to float32, compute, round back per op, which
// is numpy's float16 loop). The inputs hold NaN, infinities, -0.0,
// subnormals, ties and overflow to infinity; every engine (the GPU
// emulator too) writes numpy's bytes.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/float16.py make %t
// RUN: mars-run %s --engine=reference --arg 0=%t/a.npy --arg 1=%t/d.npy --arg 2=%t/f.npy --arg 3=%t/i.npy --arg 4=%t/u.npy --output %t/ref --quiet
// RUN: mars-run %s --engine=chunked --chunks=5 --arg 0=%t/a.npy --arg 1=%t/d.npy --arg 2=%t/f.npy --arg 3=%t/i.npy --arg 4=%t/u.npy --output %t/chunked --quiet
// RUN: mars-run %s --engine=chunked --chunks=4 --memory-limit=6KB --arg 0=%t/a.npy --arg 1=%t/d.npy --arg 2=%t/f.npy --arg 3=%t/i.npy --arg 4=%t/u.npy --output %t/spilled --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=7 --arg 0=%t/a.npy --arg 1=%t/d.npy --arg 2=%t/f.npy --arg 3=%t/i.npy --arg 4=%t/u.npy --output %t/compiled --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --fuse=false --arg 0=%t/a.npy --arg 1=%t/d.npy --arg 2=%t/f.npy --arg 3=%t/i.npy --arg 4=%t/u.npy --output %t/unfused --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=6 --device=gpu-emulator --arg 0=%t/a.npy --arg 1=%t/d.npy --arg 2=%t/f.npy --arg 3=%t/i.npy --arg 4=%t/u.npy --output %t/gpu --quiet 2>/dev/null
// RUN: %python %S/Inputs/float16.py check %t ref chunked spilled compiled unfused gpu | FileCheck %s
// RUN: mars-run %s --engine=compiled --kernel-cache=none --emit=mlir --arg 0=%t/a.npy --arg 1=%t/d.npy --arg 2=%t/f.npy --arg 3=%t/i.npy --arg 4=%t/u.npy | FileCheck %s --check-prefix=MLIR
// RUN: mars-run %s --engine=reference --arg 0=%t/a.npy --arg 1=%t/d.npy --arg 2=%t/f.npy --arg 3=%t/i.npy --arg 4=%t/u.npy | FileCheck %s --check-prefix=PRINT

// CHECK: ref: 13 results equal numpy's
// CHECK-NEXT: chunked: 13 results equal numpy's
// CHECK-NEXT: spilled: 13 results equal numpy's
// CHECK-NEXT: compiled: 13 results equal numpy's
// CHECK-NEXT: unfused: 13 results equal numpy's
// CHECK-NEXT: gpu: 13 results equal numpy's

// float16 values load and store as f16; float64 rounds to float16 once
// (a call on x86-64, bound to Half's rule), integers through float32.
// MLIR-DAG: arith.truncf %{{.*}} : f64 to f16
// MLIR-DAG: arith.extf %{{.*}} : f16 to f32
// MLIR-DAG: arith.sitofp %{{.*}} : i64 to f32

// numpy prints float16 with the shortest digits that read back as it.
// PRINT: [0.1 0.1 0.1 0.1]

func.func @main(%a: tensor<53xf16>, %d: tensor<29xf64>, %f: tensor<29xf32>,
                %i: tensor<29xi64>, %u: tensor<29xui64>)
    -> (tensor<29xf16>, tensor<29xf16>, tensor<29xf16>, tensor<29xf16>,
        tensor<53xf64>, tensor<53xi32>, tensor<53xui8>, tensor<53xi1>,
        tensor<53xf16>, tensor<5x6xf16>, tensor<3x5xf16>, tensor<4xf16>,
        tensor<9xf16>) {
  %d16 = mars.cast %d : (tensor<29xf64>) -> tensor<29xf16>
  %f16 = mars.cast %f : (tensor<29xf32>) -> tensor<29xf16>
  %i16 = mars.cast %i : (tensor<29xi64>) -> tensor<29xf16>
  %u16 = mars.cast %u : (tensor<29xui64>) -> tensor<29xf16>
  %a64 = mars.cast %a : (tensor<53xf16>) -> tensor<53xf64>
  %a32i = mars.cast %a : (tensor<53xf16>) -> tensor<53xi32>
  %au8 = mars.cast %a : (tensor<53xf16>) -> tensor<53xui8>
  %ab = mars.cast %a : (tensor<53xf16>) -> tensor<53xi1>
  // (a + 1.5) * 2 in float16, as numpy computes it.
  %a32 = mars.cast %a : (tensor<53xf16>) -> tensor<53xf32>
  %c15 = mars.full(1.5) : tensor<53xf32>
  %s = mars.add %a32, %c15 : tensor<53xf32>
  %s16 = mars.cast %s : (tensor<53xf32>) -> tensor<53xf16>
  %s32 = mars.cast %s16 : (tensor<53xf16>) -> tensor<53xf32>
  %c2 = mars.full(2.0) : tensor<53xf32>
  %p = mars.mul %s32, %c2 : tensor<53xf32>
  %chain = mars.cast %p : (tensor<53xf32>) -> tensor<53xf16>
  // Shape ops: reshape, transpose, strided and reversed slices, concatenate.
  %head = mars.slice %a [0:48] : tensor<53xf16> -> tensor<48xf16>
  %m = mars.reshape %head : tensor<48xf16> -> tensor<6x8xf16>
  %t = mars.transpose %m perm = [1, 0] : tensor<6x8xf16> -> tensor<8x6xf16>
  %odd = mars.slice %t [1:7:2, :] : tensor<8x6xf16> -> tensor<3x6xf16>
  %rev = mars.flip %t axes = [0] : tensor<8x6xf16> -> tensor<8x6xf16>
  %two = mars.slice %rev [0:2, :] : tensor<8x6xf16> -> tensor<2x6xf16>
  %cat = mars.concatenate %odd, %two axis = 0 : tensor<3x6xf16>, tensor<2x6xf16> -> tensor<5x6xf16>
  %five = mars.slice %a [0:5] : tensor<53xf16> -> tensor<5xf16>
  %b = mars.broadcast_to %five : tensor<5xf16> -> tensor<3x5xf16>
  %tenth = mars.full(0.1) : tensor<4xf16>
  // A float16 constant, read chunk by chunk.
  %k = mars.constant dense<[0.1, -0.0, 65504.0, 6.0e-08, 0x7E00, -2.5, 1000.5, 3.0, 0x7C00]> : tensor<9xf16>
  return %d16, %f16, %i16, %u16, %a64, %a32i, %au8, %ab, %chain, %cat, %b,
         %tenth, %k : tensor<29xf16>, tensor<29xf16>, tensor<29xf16>,
         tensor<29xf16>, tensor<53xf64>, tensor<53xi32>, tensor<53xui8>,
         tensor<53xi1>, tensor<53xf16>, tensor<5x6xf16>, tensor<3x5xf16>,
         tensor<4xf16>, tensor<9xf16>
}
