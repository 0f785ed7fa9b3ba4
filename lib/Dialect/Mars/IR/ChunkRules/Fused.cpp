//===- Fused.cpp - Chunk rules of mars.fused groups -----------------------===//
//
// A group's body values all broadcast to one iteration space: its result,
// or its root reduction's operand. An input is read at its broadcast region
// of a region of that space; an input that only inner reductions read is
// read at the broadcast region of their operands' region (see mars.fused).
// Evaluating a box of a group is evaluating its members' chunk rules over
// the matching regions, so a group means exactly what its members mean.
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Support/Error.h"

#include <deque>

using namespace mlir;
using namespace mars;
using namespace mars::tiling;
using llvm::Expected;
using numeric::NDArray;

SmallVector<int64_t> tiling::reductionOperandDims(Operation *reduction) {
  auto r = cast<ReductionOpInterface>(reduction);
  SmallVector<int64_t> axes = r.getReducedAxes();
  SmallVector<int64_t> dims;
  for (int64_t d = 0, n = mars::detail::valueShape(reduction->getOperand(0)).size(); d < n;
       ++d) {
    bool reduced = llvm::is_contained(axes, d);
    if (!reduced || r.getKeepdims())
      dims.push_back(reduced ? -1 : d);
  }
  return dims;
}

Box tiling::innerOperandRegion(Operation *reduction, const Box &out) {
  // The reduced dimensions whole, the others as the result's.
  Box region = Box::of(mars::detail::valueShape(reduction->getOperand(0)));
  for (auto [o, d] : llvm::enumerate(reductionOperandDims(reduction)))
    if (d >= 0) {
      region.lo[d] = out.lo[o];
      region.hi[d] = out.hi[o];
    }
  return region;
}

FusedInputMap tiling::fusedInputMap(Operation *op, unsigned i,
                                    int64_t iterRank) {
  auto fused = cast<FusedOp>(op);
  BlockArgument arg = fused.getBody().front().getArgument(i);
  Shape in = mars::detail::valueShape(arg);
  const int64_t inRank = in.size();
  // The input dimension a dimension `d` of a space of rank `rank` steps
  // along, right-aligned (-1: none, or size 1).
  auto align = [&](int64_t d, int64_t rank) -> int64_t {
    int64_t e = d - (rank - inRank);
    return e < 0 || in[e] == 1 ? -1 : e;
  };
  FusedInputMap map;
  Operation *reduction = fused.innerReductionReading(arg);
  if (!reduction) {
    for (int64_t d = 0; d < iterRank; ++d)
      map.iterDims.push_back(align(d, iterRank));
    return map;
  }
  // Through the reduction: iteration dims -> its result's dims (right-
  // aligned) -> its operand's kept dims -> the input's dims (right-aligned).
  Shape result = mars::detail::valueShape(reduction->getResult(0));
  const int64_t opRank = mars::detail::valueShape(reduction->getOperand(0)).size(),
                outRank = result.size();
  SmallVector<int64_t> operandDimOf = reductionOperandDims(reduction);
  for (int64_t d = 0; d < iterRank; ++d) {
    int64_t e = d - (iterRank - outRank);
    if (e < 0 || result[e] == 1 || operandDimOf[e] < 0) {
      map.iterDims.push_back(-1);
      continue;
    }
    map.iterDims.push_back(align(operandDimOf[e], opRank));
  }
  for (int64_t a : cast<ReductionOpInterface>(reduction).getReducedAxes())
    map.reducedDims.push_back(align(a, opRank));
  return map;
}

Box tiling::fusedInputRegion(Operation *op, unsigned i, const Box &space) {
  auto fused = cast<FusedOp>(op);
  BlockArgument arg = fused.getBody().front().getArgument(i);
  Operation *reduction = fused.innerReductionReading(arg);
  if (!reduction)
    return broadcastRegion(mars::detail::valueShape(arg), space);
  Box out = broadcastRegion(mars::detail::valueShape(reduction->getResult(0)), space);
  return broadcastRegion(mars::detail::valueShape(arg), innerOperandRegion(reduction, out));
}

Expected<NDArray> mars::detail::evaluateFusedBody(FusedOp fused,
                                            ArrayRef<BoxOperand> inputs,
                                            Value target, const Box &space) {
  Block &body = fused.getBody().front();
  if (auto arg = dyn_cast<BlockArgument>(target))
    return inputs[arg.getArgNumber()].take(
        fusedInputRegion(fused, arg.getArgNumber(), space));
  // Each value as a BoxOperand: its array and where that sits. Arguments
  // are the caller's arrays; computed values are held here.
  llvm::DenseMap<Value, BoxOperand> env;
  std::deque<NDArray> held;
  for (BlockArgument arg : body.getArguments())
    if (!arg.use_empty()) {
      // Several body ops may read an argument: none may take it.
      env[arg] = inputs[arg.getArgNumber()];
      env[arg].disposable = nullptr;
    }
  auto hold = [&](Value v, NDArray array, const Box &region) {
    held.push_back(std::move(array));
    return BoxOperand{&held.back(), region.lo};
  };
  // Computes `op` at its broadcast region of `s`, reading `values`.
  auto computeAt = [&](Operation &op,
                       const llvm::DenseMap<Value, BoxOperand> &values,
                       const Box &s) -> Expected<BoxOperand> {
    SmallVector<BoxOperand> operands;
    for (Value v : op.getOperands())
      operands.push_back(values.find(v)->second);
    Box out = broadcastRegion(mars::detail::valueShape(op.getResult(0)), s);
    Expected<NDArray> r = cast<ChunkOpInterface>(op).computeBox(operands, out);
    if (!r)
      return r.takeError();
    return hold(op.getResult(0), std::move(*r), out);
  };

  llvm::SmallPtrSet<Operation *, 8> innerOnly = fused.getInnerOnlyOps();
  SmallVector<Operation *> roots = fused.getRoots();
  for (Operation &op : body.without_terminator()) {
    // Root reductions are the caller's; inner-only ops are computed in
    // their reductions' domains below.
    if (innerOnly.contains(&op) ||
        (isa<ReductionOpInterface>(op) && llvm::is_contained(roots, &op)))
      continue;
    Expected<BoxOperand> value = [&]() -> Expected<BoxOperand> {
      if (!isa<ReductionOpInterface>(op))
        return computeAt(op, env, space);
      // An inner reduction: its domain at its operand's region, then the
      // reduction itself.
      Box in = innerOperandRegion(
          &op, broadcastRegion(mars::detail::valueShape(op.getResult(0)), space));
      llvm::DenseMap<Value, BoxOperand> local = env;
      for (Operation *d : fused.innerDomain(&op)) {
        Expected<BoxOperand> x = computeAt(*d, local, in);
        if (!x)
          return x.takeError();
        local[d->getResult(0)] = *x;
      }
      return computeAt(op, local, space);
    }();
    if (!value)
      return value.takeError();
    env[op.getResult(0)] = *value;
    if (op.getResult(0) == target)
      return std::move(held.back());
  }
  return makeError("the body of a mars.fused group does not compute the "
                   "value asked for");
}

std::optional<Box> FusedOp::getOperandRegion(unsigned i, const Box &out) {
  if (getBody().front().getArgument(i).use_empty())
    return std::nullopt;
  Operation *root = getRoot();
  if (auto r = dyn_cast_or_null<ReductionOpInterface>(root))
    return fusedInputRegion(*this, i, *mars::detail::reductionOperandRegion(root, out));
  return fusedInputRegion(*this, i, out);
}

std::optional<Shape> FusedOp::deriveResultChunk(ArrayRef<Layout>) {
  // Groups form after tiling and keep their members' layouts (mars-fuse).
  return std::nullopt;
}

SmallVector<Shape> FusedOp::alignOperandChunks(const Layout &,
                                               ArrayRef<Layout> operands) {
  SmallVector<Shape> chunks;
  for (const Layout &in : operands)
    chunks.push_back(in.chunk());
  return chunks;
}

Expected<NDArray> FusedOp::computeBox(ArrayRef<BoxOperand> operands,
                                      const Box &out) {
  Operation *root = getRoot();
  Value yielded = getBody().front().getTerminator()->getOperand(0);
  if (!isa_and_nonnull<ReductionOpInterface>(root))
    return mars::detail::evaluateFusedBody(*this, operands, yielded, out);
  // The root reduction's operand over all its steps, then the reduction.
  Box in = *mars::detail::reductionOperandRegion(root, out);
  Expected<NDArray> x =
      mars::detail::evaluateFusedBody(*this, operands, root->getOperand(0), in);
  if (!x)
    return x.takeError();
  return cast<ChunkOpInterface>(root).computeBox({BoxOperand{&*x, in.lo}},
                                                 out);
}
