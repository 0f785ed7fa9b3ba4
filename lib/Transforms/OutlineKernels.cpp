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
        auto source = codegen::KernelSource::forOp(&op, why);
        if (failed(source))
          continue;
        // var/std partials take a second kernel (ChunkKernel.h), named
        // after the first: both names must be free.
        const bool deviations = codegen::needsDeviations(&op);
        std::string name = (fn.getSymName() + "_kernel" + Twine(count++)).str();
        while (symbols.lookup(name) ||
               (deviations && symbols.lookup(name + "_deviations")))
          name += "_";
        if (failed(codegen::buildKernel(*source, module, name, parallel)))
          return signalPassFailure();
        symbols.insert(module.lookupSymbol(name));
        if (deviations) {
          source->deviations = true;
          std::string second = name + "_deviations";
          if (failed(codegen::buildKernel(*source, module, second, parallel)))
            return signalPassFailure();
          symbols.insert(module.lookupSymbol(second));
        }
        // A multi-output group: each further root's kernel, `<name>_rootI`.
        for (unsigned i = 1; i < op.getNumResults(); ++i) {
          auto more = codegen::KernelSource::forOp(&op, why, false, i);
          if (failed(more))
            continue;
          std::string rootName = (name + "_root" + Twine(i)).str();
          while (symbols.lookup(rootName))
            rootName += "_";
          if (failed(codegen::buildKernel(*more, module, rootName, parallel)))
            return signalPassFailure();
          symbols.insert(module.lookupSymbol(rootName));
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
        pm.addNestedPass<func::FuncOp>(createMarsTile());
        pm.addNestedPass<func::FuncOp>(createMarsFuse());
        pm.addPass(createMarsOutlineKernels());
      });
}
