//===- KernelSource.cpp - Which ops a chunk kernel computes ---------------===//
//
// The selection half of code generation: what one kernel of an op covers
// (its body ops, inputs, root reduction and iteration space, KernelSource)
// and the reductions' kernel shapes (compiled, arg, moments, deviations).
//
//===----------------------------------------------------------------------===//

#include "mars/Conversion/ChunkKernel.h"

#include "KernelEmitter.h"

#include "mars/Numeric/Reductions.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mars;
using namespace mars::codegen;
using numeric::Finish;

//===----------------------------------------------------------------------===//
// KernelSource
//===----------------------------------------------------------------------===//

static bool isBodyOp(Operation *op) {
  return isa<ElementwiseOpInterface, GeneratorOpInterface>(op);
}

bool codegen::isCompiledReduction(Operation *op) {
  // Every combine, contribution and finish of Reductions.h has a compiled
  // form (combine(), identityOf(), reductionInput()).
  return isa<ReductionOpInterface>(op);
}

bool codegen::isArgReduction(Operation *op) {
  auto r = dyn_cast_or_null<ReductionOpInterface>(op);
  return r && rule(r).isArg();
}

SmallVector<int64_t> codegen::kernelReducedDims(Operation *reduction) {
  SmallVector<int64_t> dims =
      cast<ReductionOpInterface>(reduction).getReducedAxes();
  if (dims.empty() && isArgReduction(reduction)) {
    int64_t rank =
        cast<RankedTensorType>(reduction->getOperand(0).getType()).getRank();
    for (int64_t d = 0; d < rank; ++d)
      dims.push_back(d);
  }
  return dims;
}

bool codegen::isMomentReduction(Operation *op) {
  auto r = dyn_cast<ReductionOpInterface>(op);
  return r && rule(r).isMoments();
}

bool codegen::needsDeviations(Operation *op) {
  if (auto fused = dyn_cast<FusedOp>(op))
    op = fused.getRoot();
  auto r = dyn_cast_or_null<ReductionOpInterface>(op);
  return r && (rule(r).finish == Finish::Var || rule(r).finish == Finish::Std);
}

bool codegen::isStreamedResult(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape() || v.use_empty() ||
      !llvm::all_of(v.getUsers(),
                    [](Operation *user) { return isa<func::ReturnOp>(user); }))
    return false;
  Type e = type.getElementType();
  if (!e.isIntOrFloat() || e.getIntOrFloatBitWidth() < 32)
    return false;
  return type.getNumElements() * (e.getIntOrFloatBitWidth() / 8) >=
         kStreamedBytes;
}

unsigned KernelSource::rank() const {
  return cast<RankedTensorType>(target.getType()).getRank();
}

FailureOr<KernelSource> KernelSource::forFusedValue(FusedOp fused,
                                                    Value target,
                                                    std::string &why) {
  KernelSource src;
  Block &body = fused.getBody().front();
  for (BlockArgument arg : body.getArguments())
    src.inputs.push_back(arg);
  src.target = target;
  if (isa<BlockArgument>(target))
    return src;
  if (target.getParentBlock() != &body) {
    why = "the target is not computed in the fused body";
    return failure();
  }
  // The ops `target` is computed from, in program order.
  llvm::SmallPtrSet<Operation *, 16> needed;
  SmallVector<Value> worklist{target};
  while (!worklist.empty())
    if (Operation *def = worklist.pop_back_val().getDefiningOp();
        def && needed.insert(def).second)
      worklist.append(def->operand_begin(), def->operand_end());
  for (Operation &op : body.without_terminator()) {
    if (!needed.contains(&op))
      continue;
    if (!isBodyOp(&op) && !fused.isInnerReduction(&op)) {
      why = ("'" + op.getName().getStringRef() + "' has no compiled form").str();
      return failure();
    }
    src.ops.push_back(&op);
  }
  return src;
}

FailureOr<KernelSource> KernelSource::forOp(Operation *op, std::string &why,
                                            bool forGpu, unsigned rootIndex) {
  Operation *root = op;
  if (auto fused = dyn_cast<FusedOp>(op))
    root = fused.getRoots()[rootIndex];
  if (forGpu && isArgReduction(root)) {
    why = "the runtime computes argmin/argmax partials on the GPU";
    return failure();
  }
  if (auto fused = dyn_cast<FusedOp>(op)) {
    if (!root) {
      why = "the fused body yields one of its arguments";
      return failure();
    }
    if (!isa<ReductionOpInterface>(root)) {
      auto src = forFusedValue(fused, root->getResult(0), why);
      if (succeeded(src))
        src->streamingStores = isStreamedResult(fused->getResult(0));
      return src;
    }
    if (!isCompiledReduction(root)) {
      why = "the reduction's partials are combined by the runtime";
      return failure();
    }
    auto src = forFusedValue(fused, root->getOperand(0), why);
    if (failed(src))
      return failure();
    src->reduction = root;
    return src;
  }
  KernelSource src;
  if (isa<ElementwiseOpInterface>(op)) {
    src.inputs.append(op->getOperands().begin(), op->getOperands().end());
    src.ops.push_back(op);
    src.target = op->getResult(0);
    src.streamingStores = isStreamedResult(op->getResult(0));
    return src;
  }
  if (isCompiledReduction(op)) {
    src.inputs.push_back(op->getOperand(0));
    src.target = op->getOperand(0);
    src.reduction = op;
    return src;
  }
  why = ("'" + op->getName().getStringRef() + "' has no compiled kernel").str();
  return failure();
}

SmallVector<OpKernelSource> codegen::kernelsOf(Operation *op, bool forGpu,
                                               std::string &why) {
  SmallVector<OpKernelSource> kernels;
  if (!isa<ElementwiseOpInterface, FusedOp, ReductionOpInterface>(op))
    return kernels;
  if (hasSparseValues(op)) {
    why = "sparse matrices run in the runtime";
    return kernels;
  }
  auto fused = dyn_cast<FusedOp>(op);
  for (unsigned i = 0, n = op->getNumResults(); i < n; ++i) {
    Operation *root = fused ? fused.getRoots()[i] : op;
    std::string whyNot;
    auto source = KernelSource::forOp(op, whyNot, forGpu, i);
    if (succeeded(source)) {
      kernels.push_back({KernelRole::Op, i, *source});
      if (needsDeviations(root)) {
        kernels.push_back({KernelRole::Deviations, i, *source});
        kernels.back().source.deviations = true;
      }
    } else if (why.empty()) {
      why = whyNot;
    }
    // The runtime computes this root's partial: from a map kernel of its
    // input when the root is fused.
    if (fused && isa_and_nonnull<ReductionOpInterface>(root) &&
        (failed(source) || !isCompiledReduction(root))) {
      auto input = KernelSource::forFusedValue(fused, root->getOperand(0),
                                               whyNot);
      if (succeeded(input))
        kernels.push_back({KernelRole::FusedInput, i, *input});
      else if (why.empty())
        why = whyNot;
    }
  }
  return kernels;
}

std::string codegen::kernelSuffix(KernelRole role, unsigned root) {
  std::string suffix;
  if (role == KernelRole::FusedInput)
    return "_input" + std::to_string(root);
  if (root)
    suffix = "_root" + std::to_string(root);
  if (role == KernelRole::Deviations)
    suffix += "_deviations";
  return suffix;
}
