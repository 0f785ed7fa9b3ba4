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

/// Bytes per element of a dense chunk of `v` (sparse ones: sparseChunk).
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
  Shape sparseChunk(Value v);
  void alignOperands(ChunkOpInterface op);
  void rechunkOperand(Operation *op, unsigned i, const Shape &chunk);
};

/// Blocks of at most chunk-bytes (tiling::autoChunkShape), the axes that a
/// consumer reduces over split last; a value read from or written to an
/// .npy file in whole rows (square blocks of a row-major file would be read
/// and written a short row at a time).
Shape TilePass::autoChunk(Value v) {
  Shape shape = shapeOf(v);
  if (chunkSize > 0)
    return clampChunk(Shape(shape.size(), chunkSize), shape);
  if (isCsr(v))
    return sparseChunk(v);
  SmallVector<bool> keepWhole(shape.size(), false);
  for (Operation *user : v.getUsers())
    if (auto r = dyn_cast<ReductionOpInterface>(user))
      for (int64_t d : r.getReducedAxes())
        keepWhole[d] = true;
  bool inFile = isa_and_nonnull<LoadOp>(v.getDefiningOp()) ||
                llvm::any_of(v.getUsers(),
                             [](Operation *user) { return isa<SaveOp>(user); });
  return autoChunkShape(shape,
                        std::max<int64_t>(1, chunkBytes / elementBytes(v)),
                        keepWhole, inFile);
}

/// What a sparse argument stores over a region, at most: its whole count
/// where the front end gave it (mars.stored).
std::optional<int64_t> storedByArguments(Value v, const Box &region) {
  auto arg = dyn_cast<BlockArgument>(v);
  if (!arg)
    return std::nullopt;
  auto fn = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
  if (!fn)
    return std::nullopt;
  auto count = fn.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(),
                                                MarsDialect::kStoredAttrName);
  if (!count)
    return std::nullopt;
  return std::min(count.getInt(), region.numElements());
}

/// A sparse matrix's chunk: blocks of whole rows (a CSR block repeats the
/// row pointers of its rows, so splitting columns costs memory and saves
/// none where little is stored), as many rows as keep the most a block
/// stores (its producer's SparseBoundOpInterface bound, else every element)
/// within chunk-bytes; columns are halved only once a single row is over.
/// A dense matrix's square blocks would cut a very sparse wide matrix into
/// millions of chunks that each store nothing. The bound need not be the
/// same everywhere (a triangle, a join of a small and a large matrix): the
/// largest over up to 64 blocks spread over the rows, the first and the
/// last among them, decides.
Shape TilePass::sparseChunk(Value v) {
  Shape shape = shapeOf(v);
  numeric::DType dtype =
      toDType(cast<RankedTensorType>(v.getType()).getElementType());
  auto bytes = [&](const Shape &chunk) {
    const int64_t blocks = (shape[0] + chunk[0] - 1) / chunk[0];
    const int64_t samples = std::min<int64_t>(blocks, 64);
    uint64_t most = 0;
    for (int64_t s = 0; s < samples; ++s) {
      const int64_t block =
          samples == 1 ? 0 : s * (blocks - 1) / (samples - 1);
      Box box{Shape{block * chunk[0], 0},
              Shape{std::min(shape[0], (block + 1) * chunk[0]), chunk[1]}};
      int64_t stored = mars::detail::storedBoundOf(v, box, storedByArguments);
      most = std::max(most, numeric::csrBytes(dtype, box.sizes()[0], stored));
    }
    return most;
  };
  Shape chunk = clampChunk(shape, shape);
  while (bytes(chunk) > static_cast<uint64_t>(chunkBytes) &&
         (chunk[0] > 1 || chunk[1] > 1)) {
    int64_t &d = chunk[0] > 1 ? chunk[0] : chunk[1];
    d = (d + 1) / 2;
  }
  return chunk;
}

/// The layouts of `op`'s operands (all tiled by now: they come first).
SmallVector<Layout> operandLayouts(Operation *op) {
  SmallVector<Layout> layouts;
  for (Value operand : op->getOperands())
    layouts.push_back(*getLayout(operand));
  return layouts;
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

/// Inserts rechunks where an operand's layout is not the one the op's
/// chunk rule asks of it.
void TilePass::alignOperands(ChunkOpInterface op) {
  SmallVector<Layout> operands = operandLayouts(op);
  SmallVector<Shape> want =
      op.alignOperandChunks(*getLayout(op->getResult(0)), operands);
  for (auto [i, layout] : llvm::enumerate(operands))
    if (want[i] != layout.chunk())
      rechunkOperand(op, i, want[i]);
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
    if (isa<SinkOpInterface>(op))
      continue;
    auto rules = dyn_cast<ChunkOpInterface>(op);
    if (!rules) {
      op.emitError("'") << op.getName() << "' has no chunk rules";
      return signalPassFailure();
    }
    if (!getLayout(op.getResult(0))) {
      std::optional<Shape> chunk =
          rules.deriveResultChunk(operandLayouts(&op));
      setLayout(op.getResult(0),
                chunk ? clampChunk(*chunk, shapeOf(op.getResult(0)))
                      : autoChunk(op.getResult(0)));
    }
    alignOperands(rules);
  }
}

} // namespace
