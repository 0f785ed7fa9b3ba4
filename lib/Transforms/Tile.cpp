//===- Tile.cpp - Give every tensor value a chunk layout ------------------===//
//
// The mars-tile pass: chooses a chunk layout for every value that has none
// and inserts mars.rechunk where a consumer needs another chunking. See
// Passes.td for the rules.
//
//===----------------------------------------------------------------------===//

#include "mars/Transforms/Passes.h"

#include "mars/Tiling/ChunkGraph.h"

#include "mlir/IR/Builders.h"

#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "mars-tile"

namespace mars {
#define GEN_PASS_DEF_MARSTILE
#include "mars/Transforms/Passes.h.inc"
} // namespace mars

using namespace mlir;
using namespace mars;
using namespace mars::tiling;

namespace {

int64_t elementBytes(Value v) {
  return numeric::dtypeSize(
      toDType(cast<RankedTensorType>(v.getType()).getElementType()));
}

/// Chunk sizes are at least 1 and at most the dimension.
Shape clampChunk(Shape chunk, const Shape &shape) {
  for (size_t d = 0; d < shape.size(); ++d)
    chunk[d] = std::max<int64_t>(1, std::min(chunk[d], shape[d]));
  return chunk;
}

struct TilePass : public mars::impl::MarsTileBase<TilePass> {
  using MarsTileBase::MarsTileBase;

  void runOnOperation() override;

private:
  Shape autoChunk(Value v);
  std::optional<Shape> derivedChunk(Operation *op);
  void alignOperands(Operation *op);
  void rechunkOperand(Operation *op, unsigned i, const Shape &chunk);
};

/// Blocks of at most chunk-bytes: halve the largest chunk dimension until
/// the block fits (square-ish blocks), splitting the axes that a consumer
/// reduces over last. A value read from or written to an .npy file splits
/// its outermost dimensions first instead, so that each chunk is one
/// contiguous range of the file (square blocks of a row-major file would be
/// read and written a short row at a time).
Shape TilePass::autoChunk(Value v) {
  Shape shape = shapeOf(v);
  if (chunkSize > 0)
    return clampChunk(Shape(shape.size(), chunkSize), shape);
  std::vector<bool> keepWhole(shape.size(), false);
  for (Operation *user : v.getUsers())
    if (auto r = dyn_cast<ReductionOpInterface>(user))
      for (int64_t d : r.getReducedAxes())
        keepWhole[d] = true;
  bool inFile = isa_and_nonnull<LoadOp>(v.getDefiningOp()) ||
                llvm::any_of(v.getUsers(),
                             [](Operation *user) { return isa<SaveOp>(user); });
  Shape chunk = clampChunk(shape, shape);
  int64_t budget = std::max<int64_t>(1, chunkBytes / elementBytes(v));
  while (numeric::numElements(chunk) > budget) {
    int64_t best = -1;
    for (int pass = 0; pass < 2 && best < 0; ++pass)
      for (size_t d = 0; d < chunk.size(); ++d)
        if (chunk[d] > 1 && (pass == 1 || !keepWhole[d]) &&
            (best < 0 || (!inFile && chunk[d] > chunk[best])))
          best = d;
    if (inFile) {
      // Whole rows of what is left: one halving step may be too coarse.
      int64_t rest = numeric::numElements(chunk) / chunk[best];
      int64_t rows = std::max<int64_t>(1, budget / std::max<int64_t>(rest, 1));
      chunk[best] = std::min((chunk[best] + 1) / 2, rows);
      continue;
    }
    chunk[best] = (chunk[best] + 1) / 2;
  }
  return chunk;
}

/// The layout an op's result follows from its operands' layouts, if any.
std::optional<Shape> TilePass::derivedChunk(Operation *op) {
  Value result = op->getResult(0);
  Shape shape = shapeOf(result);
  if (isa<ElementwiseOpInterface>(op)) {
    for (Value operand : op->getOperands())
      if (shapeOf(operand) == shape)
        return getLayout(operand)->chunk();
    return std::nullopt;
  }
  if (auto reduction = dyn_cast<ReductionOpInterface>(op)) {
    Layout in = *getLayout(op->getOperand(0));
    SmallVector<int64_t> axes = reduction.getReducedAxes();
    if (axes.empty() && isa<ArgMinOp, ArgMaxOp>(op))
      return Shape(shape.size(), 1);
    Shape chunk;
    for (int64_t d = 0; d < in.rank(); ++d) {
      if (!llvm::is_contained(axes, d))
        chunk.push_back(in.chunk()[d]);
      else if (reduction.getKeepdims())
        chunk.push_back(1);
    }
    return chunk;
  }
  if (auto t = dyn_cast<TransposeOp>(op)) {
    Layout in = *getLayout(t.getInput());
    Shape chunk;
    for (int64_t p : t.getPerm())
      chunk.push_back(in.chunk()[p]);
    return chunk;
  }
  if (isa<MatmulOp, TensordotOp>(op)) {
    Contraction contraction(op);
    Shape chunk;
    for (unsigned i = 0; i < 2; ++i) {
      Layout in = *getLayout(op->getOperand(i));
      for (int64_t d = 0; d < in.rank(); ++d)
        if (!llvm::is_contained(contraction.contractedDims(i), d))
          chunk.push_back(in.chunk()[d]);
    }
    return chunk;
  }
  return std::nullopt;
}

void TilePass::rechunkOperand(Operation *op, unsigned i, const Shape &chunk) {
  Value operand = op->getOperand(i);
  OpBuilder b(op);
  auto rechunk =
      b.create<RechunkOp>(op->getLoc(), operand.getType(), operand);
  setLayout(rechunk, chunk);
  op->setOperand(i, rechunk);
  LLVM_DEBUG(llvm::dbgs() << "mars-tile: rechunk operand " << i << " of "
                          << op->getName() << "\n");
}

/// Inserts rechunks so that elementwise operands are chunked like the result
/// and matmul/tensordot operands agree on their contracted axes.
void TilePass::alignOperands(Operation *op) {
  if (isa<ElementwiseOpInterface>(op)) {
    Layout out = *getLayout(op->getResult(0));
    for (unsigned i = 0; i < op->getNumOperands(); ++i) {
      Layout in = *getLayout(op->getOperand(i));
      int64_t lead = out.rank() - in.rank();
      Shape want = in.chunk();
      for (int64_t d = 0; d < in.rank(); ++d)
        if (in.shape()[d] != 1)
          want[d] = out.chunk()[lead + d];
      if (want != in.chunk())
        rechunkOperand(op, i, want);
    }
    return;
  }
  if (isa<MatmulOp, TensordotOp>(op)) {
    Contraction contraction(op);
    Layout lhs = *getLayout(op->getOperand(0));
    Layout rhs = *getLayout(op->getOperand(1));
    Shape want = rhs.chunk();
    for (auto [a, b] : llvm::zip(contraction.contractedDims(0),
                                 contraction.contractedDims(1)))
      want[b] = lhs.chunk()[a];
    if (want != rhs.chunk())
      rechunkOperand(op, 1, want);
  }
}

void TilePass::runOnOperation() {
  func::FuncOp fn = getOperation();
  if (fn.isExternal())
    return;
  if (chunkBytes <= 0) {
    fn.emitError("chunk-bytes must be positive, got ") << chunkBytes;
    return signalPassFailure();
  }
  for (BlockArgument arg : fn.getArguments()) {
    if (!isa<RankedTensorType>(arg.getType())) {
      fn.emitError("cannot tile argument ")
          << arg.getArgNumber() << " of type " << arg.getType();
      return signalPassFailure();
    }
    if (!getLayout(arg))
      setLayout(arg, autoChunk(arg));
  }
  for (Operation &op : llvm::make_early_inc_range(fn.getBody().front())) {
    if (op.hasTrait<OpTrait::IsTerminator>())
      continue;
    if (!isa<MarsDialect>(op.getDialect()) || op.getNumRegions() != 0) {
      op.emitError("cannot tile '") << op.getName() << "'";
      return signalPassFailure();
    }
    if (op.getNumResults() == 1 && !getLayout(op.getResult(0))) {
      std::optional<Shape> chunk = derivedChunk(&op);
      setLayout(op.getResult(0),
                chunk ? clampChunk(*chunk, shapeOf(op.getResult(0)))
                      : autoChunk(op.getResult(0)));
    }
    alignOperands(&op);
  }
}

} // namespace
