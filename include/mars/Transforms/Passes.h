//===- Passes.h - Mars transformation passes --------------------*- C++ -*-===//

#ifndef MARS_TRANSFORMS_PASSES_H
#define MARS_TRANSFORMS_PASSES_H

#include "mars/Dialect/Mars/IR/Mars.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"

namespace mars {

#define GEN_PASS_DECL
#include "mars/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mars/Transforms/Passes.h.inc"

/// The compiler half of a run, as the session builds it from its options.
struct MarsPipelineOptions {
  /// mars-tile's chunk-bytes and chunk-size.
  int64_t chunkBytes = MarsTileOptions().chunkBytes;
  int64_t chunkSize = 0;
  /// Run mars-fuse, and let it group sibling reductions.
  bool fuse = true;
  bool multiOutput = true;
};

/// Adds mars-tile and (unless disabled) mars-fuse to `pm`, a pass manager
/// on func.func: what `mars-run` does to the function it runs.
void buildMarsChunkPipeline(mlir::OpPassManager &pm,
                            const MarsPipelineOptions &options = {});

/// Registers `mars-pipeline`: mars-tile, mars-fuse and mars-outline-kernels,
/// the compiler half of `mars-run --engine=compiled` (with
/// --mlir-print-ir-after-all, every stage).
void registerMarsPipeline();

} // namespace mars

#endif // MARS_TRANSFORMS_PASSES_H
