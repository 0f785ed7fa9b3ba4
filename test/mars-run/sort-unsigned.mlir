// Sorted runs of unsigned and narrow integers merged (the path of a lane
// longer than one chunk): unsigned values order by their whole value, not
// their low byte, and int8/uint64 extremes land at the ends.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=3 %s | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --chunks=4 %s | FileCheck %s

// CHECK: [    1     2     4     7   255   256   300   513  1000 65535]
// CHECK-NEXT: [                   0                    1           4294967296
// CHECK-NEXT:  9223372036854775808 18446744073709551615]
// CHECK-NEXT: [-128   -1    0    5  127]
func.func @main() -> (tensor<10xui16>, tensor<5xui64>, tensor<5xi8>) {
  %a = mars.constant dense<[256, 1, 513, 2, 300, 255, 4, 1000, 7, 65535]> : tensor<10xui16>
  %ar = mars.sort_runs %a axis = 0 run = 4 : tensor<10xui16> -> tensor<10xui16>
  %am = mars.merge_runs %ar axis = 0 run = 4 : tensor<10xui16> -> tensor<10xui16>
  %b = mars.constant dense<[18446744073709551615, 4294967296, 0, 9223372036854775808, 1]> : tensor<5xui64>
  %br = mars.sort_runs %b axis = 0 run = 2 : tensor<5xui64> -> tensor<5xui64>
  %bm = mars.merge_runs %br axis = 0 run = 2 : tensor<5xui64> -> tensor<5xui64>
  %c = mars.constant dense<[127, -1, 5, -128, 0]> : tensor<5xi8>
  %cr = mars.sort_runs %c axis = 0 run = 2 : tensor<5xi8> -> tensor<5xi8>
  %cm = mars.merge_runs %cr axis = 0 run = 2 : tensor<5xi8> -> tensor<5xi8>
  return %am, %bm, %cm : tensor<10xui16>, tensor<5xui64>, tensor<5xi8>
}
