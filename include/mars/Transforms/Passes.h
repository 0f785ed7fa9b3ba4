//===- Passes.h - Mars transformation passes --------------------*- C++ -*-===//

#ifndef MARS_TRANSFORMS_PASSES_H
#define MARS_TRANSFORMS_PASSES_H

#include "mars/Dialect/Mars/IR/Mars.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mars {

#define GEN_PASS_DECL
#include "mars/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mars/Transforms/Passes.h.inc"

} // namespace mars

#endif // MARS_TRANSFORMS_PASSES_H
