//===- OutlineKernels.cpp - Chunk kernels into the module ------------------===//
//
// The mars-outline-kernels pass and the mars-pipeline registration; see
// Passes.td.
//
//===----------------------------------------------------------------------===//

#include "mars/Transforms/Passes.h"

#include "mars/Conversion/ChunkKernel.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

namespace mars {
#define GEN_PASS_DEF_MARSOUTLINEKERNELS
#include "mars/Transforms/Passes.h.inc"
} // namespace mars

using namespace mlir;
using namespace mars;

namespace {

struct OutlineKernelsPass
    : public mars::impl::MarsOutlineKernelsBase<OutlineKernelsPass> {
  using MarsOutlineKernelsBase::MarsOutlineKernelsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    for (func::FuncOp fn : funcs) {
      if (fn.isExternal())
        continue;
      unsigned count = 0;
      for (Operation &op : fn.getBody().front()) {
        std::string why;
        SmallVector<codegen::OpKernelSource> kernels =
            codegen::kernelsOf(&op, /*forGpu=*/false, why);
        if (kernels.empty())
          continue;
        // The kernels are named after the first (kernelSuffix): every name
        // must be free.
        std::string name = (fn.getSymName() + "_kernel" + Twine(count++)).str();
        auto taken = [&](const std::string &base) {
          return llvm::any_of(kernels, [&](const codegen::OpKernelSource &k) {
            return symbols.lookup(base +
                                  codegen::kernelSuffix(k.role, k.root)) !=
                   nullptr;
          });
        };
        while (taken(name))
          name += "_";
        for (const codegen::OpKernelSource &k : kernels) {
          std::string symbol = name + codegen::kernelSuffix(k.role, k.root);
          if (failed(codegen::buildKernel(k.source, module, symbol, parallel)))
            return signalPassFailure();
          symbols.insert(module.lookupSymbol(symbol));
        }
        op.setAttr(MarsDialect::kKernelAttrName,
                   FlatSymbolRefAttr::get(&getContext(), name));
      }
    }
  }
};

} // namespace

void mars::registerMarsPipeline() {
  PassPipelineRegistration<>(
      "mars-pipeline",
      "Tile, fuse and outline the chunk kernels of a Mars program",
      [](OpPassManager &pm) {
        buildMarsChunkPipeline(pm.nest<func::FuncOp>());
        pm.addPass(createMarsOutlineKernels());
      });
}

void mars::buildMarsChunkPipeline(OpPassManager &pm,
                                  const MarsPipelineOptions &options) {
  MarsTileOptions tile;
  tile.chunkBytes = options.chunkBytes;
  tile.chunkSize = options.chunkSize;
  pm.addPass(createMarsTile(tile));
  if (!options.fuse)
    return;
  MarsFuseOptions fuse;
  fuse.multiOutput = options.multiOutput;
  pm.addPass(createMarsFuse(fuse));
}
