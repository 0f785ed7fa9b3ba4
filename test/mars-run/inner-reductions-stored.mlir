// Inner reductions of a stored value: the row norms of x are summed and
// the range of each row (max - min over its 3 elements) is taken, each in
// one kernel that reads every row of x once (three loads per row, shared
// by the max and the min); neither the squares, the norms nor the row
// extremes are stored. Every engine agrees with the reference (the last
// digits of the sum follow its chunks' order).

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --engine=chunked --chunks=777 %s | FileCheck %s
// RUN: mars-run --kernel-cache=none %s | FileCheck %s
// RUN: mars-run --kernel-cache=none --chunks=2 %s | FileCheck %s
// RUN: mars-run --kernel-cache=none --device=gpu-emulator %s 2>/dev/null | FileCheck %s
// RUN: mars-run --kernel-cache=none --emit=mlir %s | FileCheck %s --check-prefix=MLIR

// CHECK: 259798.96318128
// CHECK-NEXT: [0.002 0.002 0.002 0.002]

// MLIR: // kernel of 'mars.fused' at loc({{.*}}:[[#@LINE+24]]:
// MLIR: scf.parallel
// MLIR: %[[A:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f64
// MLIR-NEXT: %[[A2:.*]] = arith.mulf %[[A]], %[[A]] : f64
// MLIR-NEXT: %[[S0:.*]] = arith.addf %[[A2]], %{{.*}} : f64
// MLIR: %[[B:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f64
// MLIR-NEXT: %[[B2:.*]] = arith.mulf %[[B]], %[[B]] : f64
// MLIR-NEXT: %[[S1:.*]] = arith.addf %[[S0]], %[[B2]] : f64
// MLIR: %[[C:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f64
// MLIR-NEXT: %[[C2:.*]] = arith.mulf %[[C]], %[[C]] : f64
// MLIR-NEXT: %[[S2:.*]] = arith.addf %[[S1]], %[[C2]] : f64
// MLIR-NEXT: math.sqrt %[[S2]] : f64
// MLIR: scf.reduce
// MLIR: // kernel of 'mars.fused' at loc({{.*}}:[[#@LINE+14]]:
// MLIR: scf.parallel
// MLIR-COUNT-3: llvm.load %{{.*}} : !llvm.ptr -> f64
// MLIR-NOT: llvm.load %{{.*}} : !llvm.ptr -> f64
// MLIR: arith.subf
func.func @main() -> (tensor<f64>, tensor<4xf64>) {
  %a = mars.arange start = 0.0, step = 0.001 : tensor<30000xf64>
  %x = mars.reshape %a : tensor<30000xf64> -> tensor<10000x3xf64>
  %sq = mars.square %x : tensor<10000x3xf64>
  %n2 = mars.sum %sq axes = [1] : tensor<10000x3xf64> -> tensor<10000xf64>
  %n = mars.sqrt %n2 : tensor<10000xf64>
  %t = mars.sum %n : tensor<10000xf64> -> tensor<f64>
  %hi = mars.max %x axes = [1] : tensor<10000x3xf64> -> tensor<10000xf64>
  %lo = mars.min %x axes = [1] : tensor<10000x3xf64> -> tensor<10000xf64>
  %d = mars.sub %hi, %lo : tensor<10000xf64>
  %s = mars.slice %d [9996:] : tensor<10000xf64> -> tensor<4xf64>
  return %t, %s : tensor<f64>, tensor<4xf64>
}
