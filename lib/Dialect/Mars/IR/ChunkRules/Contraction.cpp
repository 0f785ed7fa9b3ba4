//===- Contraction.cpp - Chunk rules of reductions and products -----------===//
//
// A contraction's result chunk combines partials, one per step of a grid
// along its contracted dimensions (ChunkGraph.h, Contraction). Its
// ContractionMap pairs the dimensions; everything else follows from it: the
// operand region a result region reads (one step, or all of them), the
// result's chunking (the operands' along the dimensions it keeps), and the
// whole computation of a box (all steps at once, the reference rule).
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Numeric/Sparse.h"

#include <algorithm>

using namespace mlir;
using namespace mars;
using namespace mars::tiling;
using llvm::Expected;
using numeric::NDArray;

namespace {

/// The result dimension each non-contracted operand dimension follows,
/// numbering the operands' kept dimensions in order (matmul, tensordot).
ContractionMap productMap(Operation *op, std::vector<Shape> contracted) {
  ContractionMap map;
  map.contracted = std::move(contracted);
  int64_t o = 0;
  for (unsigned k = 0; k < op->getNumOperands(); ++k) {
    Shape s = mars::detail::valueShape(op->getOperand(k));
    Shape dims;
    for (int64_t d = 0; d < static_cast<int64_t>(s.size()); ++d)
      dims.push_back(llvm::is_contained(map.contracted[k], d) ? -1 : o++);
    map.resultDimOf.push_back(std::move(dims));
  }
  return map;
}

/// The whole contraction grid of `op`, as a box of its extents.
Box allSteps(Operation *op, const ContractionMap &map) {
  return Box::of(mars::detail::contractedExtents(op, map, 0));
}

/// The result's chunking from its operands': each kept dimension keeps its
/// operand's chunk size; a dimension kept as size 1 has chunks of 1.
Shape keptChunks(Operation *op, const ContractionMap &map,
                 ArrayRef<Layout> operands) {
  Shape chunk(mars::detail::valueShape(op->getResult(0)).size(), 1);
  for (auto [k, dims] : llvm::enumerate(map.resultDimOf))
    for (auto [d, o] : llvm::enumerate(dims))
      if (o >= 0)
        chunk[o] = operands[k].chunk()[d];
  return chunk;
}

} // namespace

Box mars::detail::contractionOperandRegion(const ContractionMap &map, unsigned i,
                                     const Box &out, const Box &steps) {
  const Shape &resultDim = map.resultDimOf[i];
  Box r{Shape(resultDim.size()), Shape(resultDim.size())};
  for (size_t d = 0; d < resultDim.size(); ++d) {
    if (resultDim[d] >= 0) {
      r.lo[d] = out.lo[resultDim[d]];
      r.hi[d] = out.hi[resultDim[d]];
    }
  }
  for (auto [s, d] : llvm::enumerate(map.contracted[i])) {
    r.lo[d] = steps.lo[s];
    r.hi[d] = steps.hi[s];
  }
  return r;
}

Shape mars::detail::contractedExtents(Operation *op, const ContractionMap &map,
                                unsigned i) {
  Shape in = mars::detail::valueShape(op->getOperand(i)), extents;
  for (int64_t d : map.contracted[i])
    extents.push_back(in[d]);
  return extents;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

ContractionMap mars::detail::reductionContractionMap(Operation *op) {
  auto reduction = cast<ReductionOpInterface>(op);
  Shape in = mars::detail::valueShape(op->getOperand(0));
  const int64_t rank = in.size();
  SmallVector<int64_t> axes = reduction.getReducedAxes();
  // argmin/argmax without an axis reduce the flattened operand.
  bool flattened = axes.empty() && isa<ArgMinOp, ArgMaxOp>(op);
  if (flattened)
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  bool keep = reduction.getKeepdims() && !flattened;
  ContractionMap map;
  map.contracted.emplace_back(axes.begin(), axes.end());
  Shape dims;
  int64_t o = 0;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = llvm::is_contained(axes, d);
    dims.push_back(reduced ? -1 : o);
    if (!reduced || keep)
      ++o;
  }
  map.resultDimOf.push_back(std::move(dims));
  return map;
}

std::optional<Box> mars::detail::reductionOperandRegion(Operation *op,
                                                  const Box &out) {
  ContractionMap map = reductionContractionMap(op);
  return contractionOperandRegion(map, 0, out, allSteps(op, map));
}

std::optional<Shape>
mars::detail::reductionResultChunk(Operation *op, ArrayRef<Layout> operands) {
  return keptChunks(op, reductionContractionMap(op), operands);
}

Expected<NDArray> mars::detail::reductionBox(Operation *op,
                                       ArrayRef<BoxOperand> operands,
                                       const Box &out) {
  auto r = cast<ReductionOpInterface>(op);
  NDArray storage;
  // All of the reduced axes: argmin/argmax indices count from their start.
  const NDArray &in =
      operands[0].crop(*reductionOperandRegion(op, out), storage);
  return numeric::reduce(
      r.getReduceFn(), in, r.getReducedAxes(), r.getKeepdims(),
      r.getDeltaDof(),
      toDType(cast<RankedTensorType>(op->getResult(0).getType())
                  .getElementType()));
}

//===----------------------------------------------------------------------===//
// matmul, tensordot
//===----------------------------------------------------------------------===//

ContractionMap MatmulOp::getContractionMap() {
  int64_t lhsRank = mars::detail::valueShape(getLhs()).size();
  if (lhsRank <= 2)
    return productMap(*this, {Shape{lhsRank - 1}, Shape{0}});
  // Stacks: both operands' batch dimensions follow the result's; then
  // (m, k) x (k, n).
  const int64_t r = lhsRank;
  ContractionMap map;
  map.contracted = {Shape{r - 1}, Shape{r - 2}};
  Shape lhs, rhs;
  for (int64_t d = 0; d < r - 2; ++d) {
    lhs.push_back(d);
    rhs.push_back(d);
  }
  lhs.insert(lhs.end(), {r - 2, -1});
  rhs.insert(rhs.end(), {-1, r - 1});
  map.resultDimOf = {std::move(lhs), std::move(rhs)};
  return map;
}

ContractionMap TensordotOp::getContractionMap() {
  std::vector<Shape> contracted(2);
  int64_t lhsRank = mars::detail::valueShape(getLhs()).size(),
          rhsRank = mars::detail::valueShape(getRhs()).size();
  for (int64_t a : getLhsAxes())
    contracted[0].push_back(mars::detail::normalizedAxis(a, lhsRank));
  for (int64_t a : getRhsAxes())
    contracted[1].push_back(mars::detail::normalizedAxis(a, rhsRank));
  return productMap(*this, std::move(contracted));
}

/// The rhs is chunked like the lhs along the contracted dimensions, so the
/// steps of both line up.
static SmallVector<Shape> productOperandChunks(const ContractionMap &map,
                                               ArrayRef<Layout> operands) {
  Shape want = operands[1].chunk();
  for (auto [a, b] : llvm::zip(map.contracted[0], map.contracted[1]))
    want[b] = operands[0].chunk()[a];
  return {operands[0].chunk(), want};
}

/// Both operands' regions over all steps, cropped: one step of the whole
/// contracted extent.
template <typename Op>
static Expected<NDArray> productBox(Op op, ArrayRef<BoxOperand> operands,
                                    const Box &out) {
  ContractionMap map = op.getContractionMap();
  Box steps = allSteps(op, map);
  NDArray s0, s1;
  const NDArray &a = operands[0].crop(
      mars::detail::contractionOperandRegion(map, 0, out, steps), s0);
  const NDArray &b = operands[1].crop(
      mars::detail::contractionOperandRegion(map, 1, out, steps), s1);
  return op.computeStep(a, b);
}

std::optional<Box> MatmulOp::getOperandRegion(unsigned i, const Box &out) {
  ContractionMap map = getContractionMap();
  return mars::detail::contractionOperandRegion(map, i, out, allSteps(*this, map));
}

std::optional<Shape> MatmulOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return keptChunks(*this, getContractionMap(), operands);
}

SmallVector<Shape> MatmulOp::alignOperandChunks(const Layout &,
                                                ArrayRef<Layout> operands) {
  SmallVector<Shape> chunks =
      productOperandChunks(getContractionMap(), operands);
  // Stacks: the rhs's batch dimensions are chunked as the lhs's.
  for (size_t d = 0; d + 2 < chunks[0].size(); ++d)
    chunks[1][d] = chunks[0][d];
  return chunks;
}

int64_t MatmulOp::getStoredBound(const Box &out, KnownStored known) {
  // A sparse product (SpGEMM; both operands sparse matrices): each stored
  // element of the box is reached by at least one pair of a stored a[i, k]
  // in its rows and a stored b[k, j] in its columns, and each stored
  // element of either reaches at most a row or a column of the box. The
  // pairs are counted over up to 64 blocks of k: the sum over blocks of
  // a's bound times b's bound is far below the whole product of the two.
  const int64_t size = out.numElements();
  if (!isCsr(getResult()) || size == 0)
    return size;
  SmallVector<std::optional<Box>> regions = getOperandRegions(out);
  if (!regions[0] || !regions[1]) // Not for a product's box; stay safe.
    return size;
  using Wide = __int128;
  const Box &lhs = *regions[0], &rhs = *regions[1];
  const Wide rows = out.hi[0] - out.lo[0], cols = out.hi[1] - out.lo[1];
  const Wide a = mars::detail::storedBoundOf(getLhs(), lhs, known);
  const Wide b = mars::detail::storedBoundOf(getRhs(), rhs, known);
  Wide pairs = 0;
  const int64_t k0 = lhs.lo[1], k = lhs.hi[1] - k0;
  const int64_t blocks = std::min<int64_t>(k, 64);
  for (int64_t i = 0; i < blocks; ++i) {
    Box l = lhs, r = rhs;
    l.lo[1] = r.lo[0] = k0 + k * i / blocks;
    l.hi[1] = r.hi[0] = k0 + k * (i + 1) / blocks;
    pairs += Wide(mars::detail::storedBoundOf(getLhs(), l, known)) *
             mars::detail::storedBoundOf(getRhs(), r, known);
  }
  return static_cast<int64_t>(
      std::min({Wide(size), a * cols, rows * b, pairs}));
}

Expected<NDArray> MatmulOp::computeBox(ArrayRef<BoxOperand> operands,
                                       const Box &out) {
  return productBox(*this, operands, out);
}

Expected<NDArray> MatmulOp::computeStep(const NDArray &lhs,
                                        const NDArray &rhs) {
  if (lhs.isSparse() && rhs.isSparse())
    return numeric::csrMatmulCsr(lhs, 0, lhs.shape()[0], 0, lhs.shape()[1],
                                 rhs);
  if (lhs.isSparse())
    return numeric::csrMatmul(lhs, rhs);
  return numeric::matmul(lhs, rhs);
}

std::optional<Box> TensordotOp::getOperandRegion(unsigned i, const Box &out) {
  ContractionMap map = getContractionMap();
  return mars::detail::contractionOperandRegion(map, i, out, allSteps(*this, map));
}

std::optional<Shape>
TensordotOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return keptChunks(*this, getContractionMap(), operands);
}

SmallVector<Shape> TensordotOp::alignOperandChunks(const Layout &,
                                                   ArrayRef<Layout> operands) {
  return productOperandChunks(getContractionMap(), operands);
}

Expected<NDArray> TensordotOp::computeBox(ArrayRef<BoxOperand> operands,
                                          const Box &out) {
  return productBox(*this, operands, out);
}

Expected<NDArray> TensordotOp::computeStep(const NDArray &lhs,
                                           const NDArray &rhs) {
  ContractionMap map = getContractionMap();
  return numeric::tensordot(lhs, rhs, map.contracted[0], map.contracted[1]);
}
