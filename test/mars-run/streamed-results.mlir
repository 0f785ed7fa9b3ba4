// Map kernels of a value the program only returns, of 4 MiB and more, write
// it with streaming stores: each tile of 1024 elements is computed into a
// 64-byte-aligned stack buffer, then copied out, whole 64-byte lines with
// non-temporal vector stores, and a fence ends the row. A value the program
// reads again, or a small one, is stored as usual. The differential half
// (compiled against reference, bit for bit, under ragged chunkings) is
// test/numpy/streamed_results.py.

// RUN: mars-run --engine=compiled --emit=mlir --kernel-cache=none %s | FileCheck %s --check-prefix=MLIR
// RUN: mars-run --engine=compiled --emit=llvm --kernel-cache=none %s | FileCheck %s --check-prefix=LLVM
// RUN: mars-run --engine=compiled --emit=asm --kernel-cache=none %s | FileCheck %s --check-prefix=ASM
// RUN: %python %mars_src_root/test/numpy/streamed_results.py --mars-run %mars_tools_dir/mars-run | FileCheck %s --check-prefix=DIFF

func.func @main(%x: tensor<1000x1000xf64>) -> (tensor<1000x1000xf64>, tensor<1000x1000xf64>, tensor<f64>, tensor<100xf64>) {
  %one = mars.full(1.0) : tensor<f64>
  %two = mars.full(2.0) : tensor<f64>
  // Streamed: 8 MB, only returned.
  %a = mars.add %x, %one : (tensor<1000x1000xf64>, tensor<f64>) -> tensor<1000x1000xf64>
  %b = mars.mul %a, %two : (tensor<1000x1000xf64>, tensor<f64>) -> tensor<1000x1000xf64>
  // Not streamed: also read by the sum.
  %c = mars.exp %x : tensor<1000x1000xf64>
  %s = mars.sum %c : tensor<1000x1000xf64> -> tensor<f64>
  // Not streamed: 800 bytes.
  %u = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<100xf64>
  %y = mars.sqrt %u : tensor<100xf64>
  return %b, %c, %s, %y : tensor<1000x1000xf64>, tensor<1000x1000xf64>, tensor<f64>, tensor<100xf64>
}

// The streamed kernel: contiguous rows take the streaming branch, others the
// plain loop.
// MLIR-LABEL: // kernel of 'mars.fused' at loc({{.*}}:19:
// MLIR: scf.parallel
// MLIR: scf.if
// MLIR: llvm.intr.stacksave
// MLIR: llvm.alloca %{{.*}} x f64 {alignment = 64 : i64}
// MLIR: arith.addf
// MLIR: arith.mulf
// MLIR: llvm.ptrtoint
// MLIR: llvm.load %{{.*}} : !llvm.ptr -> vector<8xf64>
// MLIR: llvm.store %{{.*}}, %{{.*}} {alignment = 64 : i64, nontemporal} : vector<8xf64>, !llvm.ptr
// MLIR: llvm.intr.stackrestore
// MLIR: llvm.fence seq_cst
// MLIR: } else {
// The exp is read again: ordinary stores.
// MLIR-LABEL: // kernel of 'mars.exp'
// MLIR-NOT: nontemporal
// MLIR-LABEL: // kernel of 'mars.sum'
// MLIR-NOT: nontemporal
// MLIR-LABEL: // kernel of 'mars.fused' at loc({{.*}}:25:
// MLIR-NOT: nontemporal
// MLIR: return

// LLVM-LABEL: // kernel of 'mars.fused'
// LLVM: alloca [1024 x double], align 64
// LLVM-DAG: store <8 x double> %{{.*}}, ptr %{{.*}}, align 64, !nontemporal
// LLVM-DAG: fence seq_cst

// ASM-LABEL: // kernel of 'mars.fused'
// ASM-DAG: movntpd
// ASM-DAG: fence

// DIFF: streamed-results: 7 passed, 0 failed
