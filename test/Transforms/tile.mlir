// RUN: mars-opt %s -split-input-file -mars-tile="chunk-size=2" | FileCheck %s
// RUN: mars-opt %s -split-input-file -mars-tile="chunk-bytes=64" | FileCheck %s --check-prefix=BYTES

// Tests that arguments and results get layouts, and elementwise ops follow
// the operand of their own shape.
// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: %{{.*}}: tensor<5x3xf64> {mars.chunks = array<i64: 2, 2>}
// CHECK-SAME: %{{.*}}: tensor<3xf64> {mars.chunks = array<i64: 2>}
// CHECK: mars.add %{{.*}}, %{{.*}} {mars.chunks = array<i64: 2, 2>}
// CHECK: mars.neg %{{.*}} {mars.chunks = array<i64: 2, 2>}
func.func @elementwise(%a: tensor<5x3xf64>, %v: tensor<3xf64>) -> tensor<5x3xf64> {
  %0 = mars.add %a, %v : (tensor<5x3xf64>, tensor<3xf64>) -> tensor<5x3xf64>
  %1 = mars.neg %0 : tensor<5x3xf64>
  return %1 : tensor<5x3xf64>
}

// -----

// Tests that layouts given in the input are kept, and that an elementwise
// operand chunked differently from the result is rechunked.
// CHECK-LABEL: func.func @rechunk_elementwise
// CHECK: %[[A:.*]] = mars.random_uniform {{.*}} {mars.chunks = array<i64: 4, 1>}
// CHECK: %[[B:.*]] = mars.random_uniform {{.*}} {mars.chunks = array<i64: 2, 2>}
// CHECK: %[[R:.*]] = mars.rechunk %[[B]] {mars.chunks = array<i64: 4, 1>} : tensor<4x4xf64>
// CHECK: mars.add %[[A]], %[[R]] {mars.chunks = array<i64: 4, 1>}
func.func @rechunk_elementwise() -> tensor<4x4xf64> {
  %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 {mars.chunks = array<i64: 4, 1>} : tensor<4x4xf64>
  %b = mars.random_uniform seed = 2, low = 0.0, high = 1.0 : tensor<4x4xf64>
  %0 = mars.add %a, %b : tensor<4x4xf64>
  return %0 : tensor<4x4xf64>
}

// -----

// Tests that matmul operands are aligned on the contracted axis, and that
// the result takes the free axes' chunks.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[B:.*]] = mars.random_uniform {{.*}} {mars.chunks = array<i64: 2, 2>} : tensor<6x8xf64>
// CHECK: %[[R:.*]] = mars.rechunk %[[B]] {mars.chunks = array<i64: 3, 2>} : tensor<6x8xf64>
// CHECK: mars.matmul %{{.*}}, %[[R]] {mars.chunks = array<i64: 4, 2>}
func.func @matmul(%a: tensor<4x6xf64> {mars.chunks = array<i64: 4, 3>}) -> tensor<4x8xf64> {
  %b = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<6x8xf64>
  %0 = mars.matmul %a, %b : tensor<4x6xf64>, tensor<6x8xf64> -> tensor<4x8xf64>
  return %0 : tensor<4x8xf64>
}

// -----

// Tests the layouts of reductions (kept axes keep their chunks), transpose
// (permuted) and a flattened argmax.
// CHECK-LABEL: func.func @derived
// CHECK: mars.sum {{.*}} {mars.chunks = array<i64: 3>} : tensor<6x5xf64> -> tensor<6xf64>
// CHECK: mars.max {{.*}} keepdims {mars.chunks = array<i64: 1, 1>} : tensor<6x5xf64> -> tensor<1x5xf64>
// CHECK: mars.transpose {{.*}} {mars.chunks = array<i64: 1, 3>} : tensor<6x5xf64> -> tensor<5x6xf64>
// CHECK: mars.argmax {{.*}} {mars.chunks = array<i64>} : tensor<6x5xf64> -> tensor<i64>
func.func @derived(%a: tensor<6x5xf64> {mars.chunks = array<i64: 3, 1>}) -> (tensor<6xf64>, tensor<1x5xf64>, tensor<5x6xf64>, tensor<i64>) {
  %0 = mars.sum %a axes = [1] : tensor<6x5xf64> -> tensor<6xf64>
  %1 = mars.max %a axes = [0] keepdims : tensor<6x5xf64> -> tensor<1x5xf64>
  %2 = mars.transpose %a perm = [1, 0] : tensor<6x5xf64> -> tensor<5x6xf64>
  %3 = mars.argmax %a : tensor<6x5xf64> -> tensor<i64>
  return %0, %1, %2, %3 : tensor<6xf64>, tensor<1x5xf64>, tensor<5x6xf64>, tensor<i64>
}

// -----

// Tests automatic chunking by bytes: 64 bytes hold 8 f64, so a 4x8 block is
// halved along its largest dimension until it fits (square-ish blocks), but
// a value reduced over its last axis keeps that axis whole when it fits.
// BYTES-LABEL: func.func @by_bytes
// BYTES: mars.random_uniform {{.*}} {mars.chunks = array<i64: 2, 4>} : tensor<4x8xf64>
// BYTES: mars.random_uniform {{.*}} {mars.chunks = array<i64: 1, 8>} : tensor<4x8xf64>
// BYTES: mars.sum {{.*}} {mars.chunks = array<i64: 1>}
// BYTES: mars.zeros {mars.chunks = array<i64: 1, 5>} : tensor<0x5xf64>
func.func @by_bytes() -> (tensor<4x8xf64>, tensor<4xf64>, tensor<0x5xf64>) {
  %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<4x8xf64>
  %b = mars.random_uniform seed = 2, low = 0.0, high = 1.0 : tensor<4x8xf64>
  %s = mars.sum %b axes = [1] : tensor<4x8xf64> -> tensor<4xf64>
  %z = mars.zeros : tensor<0x5xf64>
  return %a, %s, %z : tensor<4x8xf64>, tensor<4xf64>, tensor<0x5xf64>
}

// -----

// Tests that a concatenate of inputs chunked alike, each but the last
// ending on a chunk boundary, keeps their chunks (1 MiB here: every result
// chunk is an input chunk, shared), and that one whose first input ends
// mid-chunk, or whose chunks are small, is chunked by size.
// CHECK-LABEL: func.func @concatenate_layouts
// CHECK: mars.concatenate {{.*}} {mars.chunks = array<i64: 256, 512>} : tensor<512x512xf64>, tensor<256x512xf64> -> tensor<768x512xf64>
// CHECK: mars.concatenate {{.*}} {mars.chunks = array<i64: 2, 2>} : tensor<300x512xf64>, tensor<256x512xf64> -> tensor<556x512xf64>
// CHECK: mars.concatenate {{.*}} {mars.chunks = array<i64: 2, 2>} : tensor<8x8xf64>, tensor<8x8xf64> -> tensor<8x16xf64>
func.func @concatenate_layouts(%a: tensor<512x512xf64> {mars.chunks = array<i64: 256, 512>},
                               %b: tensor<256x512xf64> {mars.chunks = array<i64: 256, 512>},
                               %c: tensor<300x512xf64> {mars.chunks = array<i64: 256, 512>},
                               %s: tensor<8x8xf64> {mars.chunks = array<i64: 4, 4>})
    -> (tensor<768x512xf64>, tensor<556x512xf64>, tensor<8x16xf64>) {
  %0 = mars.concatenate %a, %b axis = 0 : tensor<512x512xf64>, tensor<256x512xf64> -> tensor<768x512xf64>
  %1 = mars.concatenate %c, %b axis = 0 : tensor<300x512xf64>, tensor<256x512xf64> -> tensor<556x512xf64>
  %2 = mars.concatenate %s, %s axis = 1 : tensor<8x8xf64>, tensor<8x8xf64> -> tensor<8x16xf64>
  return %0, %1, %2 : tensor<768x512xf64>, tensor<556x512xf64>, tensor<8x16xf64>
}
