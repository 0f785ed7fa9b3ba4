// OpenBLAS is opened when a product or a decomposition first runs, not at
// start-up (include/mars/Numeric/OpenBlas.h): the tools do not link it, a
// program without a product never loads it (nor starts its spinning thread
// pool), and one with a product loads it and computes with it.

// RUN: llvm-readobj --needed-libs %mars_tools_dir/mars-run %mars_tools_dir/mars-scheduler %mars_tools_dir/mars-worker | FileCheck %s --check-prefix=NEEDED
// NEEDED: NeededLibraries [
// NEEDED-NOT: openblas

// RUN: env LD_DEBUG=files mars-run %s --entry=add --engine=compiled --chunks=2 2>&1 | FileCheck %s --check-prefix=ADD --implicit-check-not=openblas
// ADD: [3. 5.]

// RUN: env LD_DEBUG=files mars-run %s --entry=product --engine=compiled --chunks=1 2>&1 | FileCheck %s --check-prefix=PRODUCT
// PRODUCT: file=libopenblas.so.0
// PRODUCT: {{\[\[}} 7. 10.]
// PRODUCT-NEXT: [15. 22.]]

func.func @add() -> tensor<2xf64> {
  %a = mars.constant dense<[1.0, 2.0]> : tensor<2xf64>
  %b = mars.constant dense<[2.0, 3.0]> : tensor<2xf64>
  %c = mars.add %a, %b : tensor<2xf64>
  return %c : tensor<2xf64>
}

func.func @product() -> tensor<2x2xf64> {
  %a = mars.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf64>
  %p = mars.matmul %a, %a : tensor<2x2xf64>, tensor<2x2xf64> -> tensor<2x2xf64>
  return %p : tensor<2x2xf64>
}
