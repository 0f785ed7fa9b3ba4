// Radix selection (mars.radix_histogram, radix_pick, radix_value), as
// api::sortedAt composes it for a lane longer than a chunk: per 16-bit digit
// of the sort keys, from the top, the counts of each part of the lane,
// summed, fix that digit of each position's key. The elements are
// mars.sorted_at's, bit for bit (NaN last, -0.0 before 0.0), on every
// engine, at chunkings that do and do not match the parts, and spilled.
// RUN: rm -rf %t && mkdir -p %t
// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=4 --spill-eagerly %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=5 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=3 --device=gpu-emulator %s 2>/dev/null | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=3 %s --output=%t/c3
// RUN: for i in 0 2 4; do cmp %t/c3/result$i.npy %t/c3/result$((i+1)).npy || exit 1; done

// f64: four digits; positions 0, 3 and 4 (the -0.0 before the 0.0), 5 (a
// subnormal), 11 (NaN, last).
// CHECK: {{\[}} -inf -0.e+000 0.e+000 4.e-320 nan]
// CHECK-NEXT: {{\[}} -inf -0.e+000 0.e+000 4.e-320 nan]
// f32 (two digits) and i8 (one digit), positions 0, 6, 11.
// CHECK-NEXT: [-3.4028235e+38 2.5000000e+00 inf]
// CHECK-NEXT: [-3.4028235e+38 2.5000000e+00 inf]
// CHECK-NEXT: [-128 3 127]
// CHECK-NEXT: [-128 3 127]

func.func @main() -> (tensor<5xf64>, tensor<5xf64>, tensor<3xf32>, tensor<3xf32>, tensor<3xi8>, tensor<3xi8>) {
  %x = mars.constant dense<[2.5, 0.0, 0x7FF8000000000000, -1.5, -0.0, 0xFFF0000000000000, 1.0e300, -1.5, 7.0, 0x7FF0000000000000, 2.5, 4.0e-320]> : tensor<12xf64>
  %s0 = mars.constant dense<[0, 0, 0, 3, 0, 4, 0, 5, 0, 11]> : tensor<10xi64>
  %h0 = mars.radix_histogram %x, %s0 rows = 5 shift = 48 : tensor<12xf64>, tensor<10xi64> -> tensor<3x327680xi64>
  %c0 = mars.sum %h0 axes = [0] : tensor<3x327680xi64> -> tensor<327680xi64>
  %s1 = mars.radix_pick %c0, %s0 shift = 48 : tensor<327680xi64>, tensor<10xi64> -> tensor<10xi64>
  %h1 = mars.radix_histogram %x, %s1 rows = 5 shift = 32 : tensor<12xf64>, tensor<10xi64> -> tensor<3x327680xi64>
  %c1 = mars.sum %h1 axes = [0] : tensor<3x327680xi64> -> tensor<327680xi64>
  %s2 = mars.radix_pick %c1, %s1 shift = 32 : tensor<327680xi64>, tensor<10xi64> -> tensor<10xi64>
  %h2 = mars.radix_histogram %x, %s2 rows = 5 shift = 16 : tensor<12xf64>, tensor<10xi64> -> tensor<3x327680xi64>
  %c2 = mars.sum %h2 axes = [0] : tensor<3x327680xi64> -> tensor<327680xi64>
  %s3 = mars.radix_pick %c2, %s2 shift = 16 : tensor<327680xi64>, tensor<10xi64> -> tensor<10xi64>
  %h3 = mars.radix_histogram %x, %s3 rows = 5 shift = 0 : tensor<12xf64>, tensor<10xi64> -> tensor<3x327680xi64>
  %c3 = mars.sum %h3 axes = [0] : tensor<3x327680xi64> -> tensor<327680xi64>
  %s4 = mars.radix_pick %c3, %s3 shift = 0 : tensor<327680xi64>, tensor<10xi64> -> tensor<10xi64>
  %v = mars.radix_value %s4 : tensor<10xi64> -> tensor<5xf64>
  %w = mars.sorted_at %x axis = 0 kth = [0, 3, 4, 5, 11] : tensor<12xf64> -> tensor<5xf64>

  %y = mars.constant dense<[2.5, -3.4028235e+38, 0x7F800000, 1.0, 2.5, 0.0, -1.0, 2.5, 1.0e-45, 3.0, 9.0, -0.0]> : tensor<12xf32>
  %t0 = mars.constant dense<[0, 0, 0, 6, 0, 11]> : tensor<6xi64>
  %g0 = mars.radix_histogram %y, %t0 rows = 7 shift = 16 : tensor<12xf32>, tensor<6xi64> -> tensor<2x196608xi64>
  %d0 = mars.sum %g0 axes = [0] : tensor<2x196608xi64> -> tensor<196608xi64>
  %t1 = mars.radix_pick %d0, %t0 shift = 16 : tensor<196608xi64>, tensor<6xi64> -> tensor<6xi64>
  %g1 = mars.radix_histogram %y, %t1 rows = 7 shift = 0 : tensor<12xf32>, tensor<6xi64> -> tensor<2x196608xi64>
  %d1 = mars.sum %g1 axes = [0] : tensor<2x196608xi64> -> tensor<196608xi64>
  %t2 = mars.radix_pick %d1, %t1 shift = 0 : tensor<196608xi64>, tensor<6xi64> -> tensor<6xi64>
  %u = mars.radix_value %t2 : tensor<6xi64> -> tensor<3xf32>
  %uw = mars.sorted_at %y axis = 0 kth = [0, 6, -1] : tensor<12xf32> -> tensor<3xf32>

  %z = mars.constant dense<[3, -128, 127, 0, 3, -5, 100, 3, 3, -1, 2, 3]> : tensor<12xi8>
  %e0 = mars.radix_histogram %z, %t0 rows = 4 shift = 0 : tensor<12xi8>, tensor<6xi64> -> tensor<3x196608xi64>
  %f0 = mars.sum %e0 axes = [0] : tensor<3x196608xi64> -> tensor<196608xi64>
  %r1 = mars.radix_pick %f0, %t0 shift = 0 : tensor<196608xi64>, tensor<6xi64> -> tensor<6xi64>
  %zv = mars.radix_value %r1 : tensor<6xi64> -> tensor<3xi8>
  %zw = mars.sorted_at %z axis = 0 kth = [0, 6, 11] : tensor<12xi8> -> tensor<3xi8>
  return %v, %w, %u, %uw, %zv, %zw : tensor<5xf64>, tensor<5xf64>, tensor<3xf32>, tensor<3xf32>, tensor<3xi8>, tensor<3xi8>
}
