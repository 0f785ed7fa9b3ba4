//===- ChunkGraph.cpp - Which chunks feed which ---------------------------===//

#include "mars/Tiling/ChunkGraph.h"

#include "mars/Dialect/Mars/IR/Mars.h"

using namespace mlir;
using namespace mars;
using namespace mars::tiling;

ChunkKind tiling::getChunkKind(Operation *op) {
  if (auto fused = dyn_cast<FusedOp>(op))
    return isa_and_nonnull<ContractionOpInterface>(fused.getRoot())
               ? ChunkKind::Contraction
               : ChunkKind::Map;
  if (isa<ContractionOpInterface>(op))
    return ChunkKind::Contraction;
  if (isa<SinkOpInterface>(op))
    return ChunkKind::Sink;
  assert(isa<ChunkOpInterface>(op) && "an op without chunk rules");
  return ChunkKind::Map;
}

std::optional<Box> tiling::mapOperandRegion(Operation *op, unsigned i,
                                            const Box &out) {
  return cast<ChunkOpInterface>(op).getOperandRegion(i, out);
}

SmallVector<std::pair<Value, Box>, 2> tiling::mapTaskReads(Operation *op,
                                                            const Box &out) {
  SmallVector<std::pair<Value, Box>, 2> reads;
  if (isa<ScanOpInterface>(op)) {
    if (!out.empty())
      reads.push_back({op->getOperand(0), out});
    if (std::optional<Box> carry = detail::scanCarryBox(op, out))
      reads.push_back({op->getResult(0), *carry});
    return reads;
  }
  for (auto [operand, r] : llvm::zip(
           op->getOperands(), cast<ChunkOpInterface>(op).getOperandRegions(out)))
    if (r)
      reads.push_back({operand, *r});
  return reads;
}

Contraction::Contraction(Operation *fusedOrOp) : op_(fusedOrOp) {
  auto fused = dyn_cast<FusedOp>(fusedOrOp);
  root_ = fused ? fused.getRoot() : fusedOrOp;
  map_ = cast<ContractionOpInterface>(root_).getContractionMap();
  Shape in0 = shapeOf(root_->getOperand(0));
  Layout layout0 = *getLayout(root_->getOperand(0));
  Shape extents, chunks;
  for (int64_t d : map_.contracted[0]) {
    extents.push_back(in0[d]);
    chunks.push_back(layout0.chunk()[d]);
  }
  steps_ = Layout(extents, chunks);
}

Box Contraction::operandRegion(unsigned i, const Box &out,
                               std::optional<int64_t> step) const {
  if (op_ == root_)
    return rootOperandRegion(i, out, step);
  // A fused input broadcasts to the root reduction's input (or to the inner
  // reductions' operands that read it).
  return fusedInputRegion(op_, i, rootOperandRegion(0, out, step));
}

Box Contraction::reductionInputRegion(const Box &out,
                                      std::optional<int64_t> step) const {
  return rootOperandRegion(0, out, step);
}

Box Contraction::rootOperandRegion(unsigned i, const Box &out,
                                   std::optional<int64_t> step) const {
  return detail::contractionOperandRegion(
      map_, i, out, step ? steps_.chunkBox(*step) : Box::of(steps_.shape()));
}

std::vector<std::vector<std::vector<int64_t>>>
tiling::combineTree(int64_t n, int64_t fanIn) {
  std::vector<std::vector<std::vector<int64_t>>> levels;
  while (n > 1) {
    std::vector<std::vector<int64_t>> level;
    for (int64_t start = 0; start < n; start += fanIn) {
      std::vector<int64_t> group;
      for (int64_t k = start; k < std::min(n, start + fanIn); ++k)
        group.push_back(k);
      level.push_back(std::move(group));
    }
    n = level.size();
    levels.push_back(std::move(level));
  }
  return levels;
}
