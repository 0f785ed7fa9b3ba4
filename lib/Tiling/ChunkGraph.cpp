//===- ChunkGraph.cpp - Which chunks feed which ---------------------------===//

#include "mars/Tiling/ChunkGraph.h"

#include "mars/Dialect/Mars/IR/Mars.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mars;
using namespace mars::tiling;

namespace {

int64_t normalize(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

} // namespace

Box tiling::broadcastRegion(ArrayRef<int64_t> operand, const Box &out) {
  Box r{Shape(operand.size()), Shape(operand.size())};
  int64_t lead = out.rank() - static_cast<int64_t>(operand.size());
  for (size_t d = 0; d < operand.size(); ++d) {
    if (operand[d] == 1) {
      r.lo[d] = 0;
      r.hi[d] = 1;
    } else {
      r.lo[d] = out.lo[lead + d];
      r.hi[d] = out.hi[lead + d];
    }
  }
  return r;
}

namespace {

/// The bounding box of the elements with C-order flat indices in
/// [first, last] of a tensor of `shape`.
Box flatRangeBox(const Shape &shape, int64_t first, int64_t last) {
  int64_t rank = shape.size();
  Shape a(rank), b(rank);
  for (int64_t d = rank - 1; d >= 0; --d) {
    a[d] = first % shape[d];
    first /= shape[d];
    b[d] = last % shape[d];
    last /= shape[d];
  }
  Box box{Shape(rank), Shape(rank)};
  bool split = false;
  for (int64_t d = 0; d < rank; ++d) {
    if (split) {
      box.lo[d] = 0;
      box.hi[d] = shape[d];
      continue;
    }
    box.lo[d] = a[d];
    box.hi[d] = b[d] + 1;
    split = a[d] != b[d];
  }
  return box;
}

int64_t ravel(const Shape &index, const Shape &shape) {
  int64_t flat = 0;
  for (size_t d = 0; d < shape.size(); ++d)
    flat = flat * shape[d] + index[d];
  return flat;
}

} // namespace

SmallVector<int64_t> tiling::reductionOperandDims(Operation *reduction) {
  auto r = cast<ReductionOpInterface>(reduction);
  SmallVector<int64_t> axes = r.getReducedAxes();
  SmallVector<int64_t> dims;
  for (int64_t d = 0, n = shapeOf(reduction->getOperand(0)).size(); d < n;
       ++d) {
    bool reduced = llvm::is_contained(axes, d);
    if (!reduced || r.getKeepdims())
      dims.push_back(reduced ? -1 : d);
  }
  return dims;
}

Box tiling::innerOperandRegion(Operation *reduction, const Box &out) {
  // The reduced dimensions whole, the others as the result's.
  Box region = Box::of(shapeOf(reduction->getOperand(0)));
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
  Shape in = shapeOf(arg);
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
  Shape result = shapeOf(reduction->getResult(0));
  const int64_t opRank = shapeOf(reduction->getOperand(0)).size(),
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
    return broadcastRegion(shapeOf(arg), space);
  Box out = broadcastRegion(shapeOf(reduction->getResult(0)), space);
  return broadcastRegion(shapeOf(arg), innerOperandRegion(reduction, out));
}

ChunkKind tiling::getChunkKind(Operation *op) {
  if (auto fused = dyn_cast<FusedOp>(op))
    return isa_and_nonnull<ReductionOpInterface>(fused.getRoot())
               ? ChunkKind::Contraction
               : ChunkKind::Map;
  if (isa<ReductionOpInterface, MatmulOp, TensordotOp>(op))
    return ChunkKind::Contraction;
  if (isa<SaveOp>(op))
    return ChunkKind::Sink;
  return ChunkKind::Map;
}

std::optional<Box> tiling::mapOperandRegion(Operation *op, unsigned i,
                                            const Box &out) {
  Value operand = op->getOperand(i);
  Shape in = shapeOf(operand);
  return llvm::TypeSwitch<Operation *, std::optional<Box>>(op)
      .Case<TransposeOp>([&](TransposeOp t) -> std::optional<Box> {
        Box r{Shape(in.size()), Shape(in.size())};
        for (auto [o, p] : llvm::enumerate(t.getPerm())) {
          r.lo[p] = out.lo[o];
          r.hi[p] = out.hi[o];
        }
        return r;
      })
      .Case<ExpandDimsOp, SqueezeOp>([&](Operation *) -> std::optional<Box> {
        // Both only add or drop size-1 dims: pair the dims of size != 1 in
        // order, and read element 0 of every size-1 input dim.
        Shape outShape = shapeOf(op->getResult(0));
        Box r{Shape(in.size(), 0), Shape(in.size(), 1)};
        size_t o = 0;
        for (size_t d = 0; d < in.size(); ++d) {
          if (in[d] == 1)
            continue;
          while (outShape[o] == 1)
            ++o;
          r.lo[d] = out.lo[o];
          r.hi[d] = out.hi[o];
          ++o;
        }
        return r;
      })
      .Case<ReshapeOp>([&](ReshapeOp) -> std::optional<Box> {
        if (out.empty() || numeric::numElements(in) == 0)
          return std::nullopt;
        Shape outShape = shapeOf(op->getResult(0));
        Shape last = out.hi;
        for (int64_t &x : last)
          --x;
        return flatRangeBox(in, ravel(out.lo, outShape),
                            ravel(last, outShape));
      })
      .Case<SliceOp>([&](SliceOp s) -> std::optional<Box> {
        Box r{Shape(in.size()), Shape(in.size())};
        for (auto [d, dim] : llvm::enumerate(s.getSliceDims())) {
          if (out.hi[d] <= out.lo[d])
            return std::nullopt;
          int64_t a = dim.start + out.lo[d] * dim.step;
          int64_t b = dim.start + (out.hi[d] - 1) * dim.step;
          r.lo[d] = std::min(a, b);
          r.hi[d] = std::max(a, b) + 1;
        }
        return r;
      })
      .Case<ConcatenateOp>([&](ConcatenateOp c) -> std::optional<Box> {
        int64_t axis = normalize(c.getAxis(), in.size());
        int64_t offset = 0;
        for (unsigned k = 0; k < i; ++k)
          offset += shapeOf(c.getInputs()[k])[axis];
        Box r = out;
        r.lo[axis] = std::max<int64_t>(out.lo[axis] - offset, 0);
        r.hi[axis] = std::min<int64_t>(out.hi[axis] - offset, in[axis]);
        if (r.empty())
          return std::nullopt;
        return r;
      })
      .Case<StackOp>([&](StackOp s) -> std::optional<Box> {
        int64_t axis = normalize(s.getAxis(), in.size() + 1);
        if (static_cast<int64_t>(i) < out.lo[axis] ||
            static_cast<int64_t>(i) >= out.hi[axis])
          return std::nullopt;
        Box r = out;
        r.lo.erase(r.lo.begin() + axis);
        r.hi.erase(r.hi.begin() + axis);
        return r;
      })
      .Case<RechunkOp>([&](RechunkOp) -> std::optional<Box> { return out; })
      .Case<FusedOp>([&](FusedOp) -> std::optional<Box> {
        return fusedInputRegion(op, i, out);
      })
      .Default([&](Operation *) -> std::optional<Box> {
        // Elementwise ops and broadcast_to.
        return broadcastRegion(in, out);
      });
}

Contraction::Contraction(Operation *fusedOrOp) : op_(fusedOrOp) {
  auto fused = dyn_cast<FusedOp>(fusedOrOp);
  Operation *op = root_ = fused ? fused.getRoot() : fusedOrOp;
  unsigned numOperands = op->getNumOperands();
  contracted_.resize(numOperands);
  outDimOf_.resize(numOperands);
  Shape in0 = shapeOf(op->getOperand(0));
  Layout layout0 = *getLayout(op->getOperand(0));

  if (auto reduction = dyn_cast<ReductionOpInterface>(op)) {
    SmallVector<int64_t> axes = reduction.getReducedAxes();
    bool flattened = axes.empty() && isa<ArgMinOp, ArgMaxOp>(op);
    if (flattened)
      for (int64_t d = 0; d < static_cast<int64_t>(in0.size()); ++d)
        axes.push_back(d);
    contracted_[0].assign(axes.begin(), axes.end());
    bool keep = reduction.getKeepdims() && !flattened;
    int64_t o = 0;
    for (int64_t d = 0; d < static_cast<int64_t>(in0.size()); ++d) {
      bool reduced = llvm::is_contained(axes, d);
      outDimOf_[0].push_back(reduced ? -1 : o);
      if (!reduced || keep)
        ++o;
    }
  } else {
    // matmul and tensordot: contracted dims of both operands, paired.
    Shape in1 = shapeOf(op->getOperand(1));
    if (auto t = dyn_cast<TensordotOp>(op)) {
      for (int64_t a : t.getLhsAxes())
        contracted_[0].push_back(normalize(a, in0.size()));
      for (int64_t a : t.getRhsAxes())
        contracted_[1].push_back(normalize(a, in1.size()));
    } else {
      contracted_[0].push_back(in0.size() - 1);
      contracted_[1].push_back(0);
    }
    int64_t o = 0;
    for (unsigned k = 0; k < 2; ++k) {
      Shape s = k ? in1 : in0;
      for (int64_t d = 0; d < static_cast<int64_t>(s.size()); ++d)
        outDimOf_[k].push_back(llvm::is_contained(contracted_[k], d) ? -1
                                                                     : o++);
    }
  }

  Shape extents, chunks;
  for (int64_t d : contracted_[0]) {
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
  Box stepBox = step ? steps_.chunkBox(*step) : Box::of(steps_.shape());
  const Shape &outDim = outDimOf_[i];
  Box r{Shape(outDim.size()), Shape(outDim.size())};
  for (size_t d = 0; d < outDim.size(); ++d) {
    if (outDim[d] >= 0) {
      r.lo[d] = out.lo[outDim[d]];
      r.hi[d] = out.hi[outDim[d]];
    }
  }
  for (auto [s, d] : llvm::enumerate(contracted_[i])) {
    r.lo[d] = stepBox.lo[s];
    r.hi[d] = stepBox.hi[s];
  }
  return r;
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
