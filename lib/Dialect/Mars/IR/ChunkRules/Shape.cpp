//===- Shape.cpp - Chunk rules of shape ops and rechunk -------------------===//
//
// Shape ops move elements without computing: a result region reads the
// operand region its elements come from, and computeBox moves them.
// Transpose keeps its operand's chunking (permuted), a concatenate of inputs
// chunked alike keeps theirs; the others are chunked by size (mars-tile),
// since their chunks need not line up with their operands'.
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Numeric/Sparse.h"

#include <algorithm>
#include <cstring>

using namespace mlir;
using namespace mars;
using namespace mars::tiling;
using llvm::Expected;
using numeric::DType;
using numeric::NDArray;

SmallVector<Shape> mars::detail::ownChunks(ArrayRef<Layout> operands) {
  SmallVector<Shape> chunks;
  for (const Layout &in : operands)
    chunks.push_back(in.chunk());
  return chunks;
}

namespace {

using mars::detail::ownChunks;
using numeric::ravel;
using numeric::unravel;

/// The bounding box of the elements with C-order flat indices in
/// [first, last] of a tensor of `shape`.
Box flatRangeBox(const Shape &shape, int64_t first, int64_t last) {
  Shape a = unravel(first, shape), b = unravel(last, shape);
  int64_t rank = shape.size();
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

/// Computes the result of a one-operand shape op over `out` from the
/// operand region it reads.
template <typename Op, typename F>
Expected<NDArray> fromRegion(Op op, ArrayRef<BoxOperand> operands,
                             const Box &out, F &&f) {
  NDArray storage;
  const NDArray &region =
      operands[0].crop(*op.getOperandRegion(0, out), storage);
  return f(region);
}

} // namespace

//===----------------------------------------------------------------------===//
// transpose
//===----------------------------------------------------------------------===//

std::optional<Box> TransposeOp::getOperandRegion(unsigned, const Box &out) {
  Box r{Shape(out.rank()), Shape(out.rank())};
  for (auto [o, p] : llvm::enumerate(getPerm())) {
    r.lo[p] = out.lo[o];
    r.hi[p] = out.hi[o];
  }
  return r;
}

std::optional<Shape> TransposeOp::deriveResultChunk(ArrayRef<Layout> operands) {
  Shape chunk;
  for (int64_t p : getPerm())
    chunk.push_back(operands[0].chunk()[p]);
  return chunk;
}

SmallVector<Shape> TransposeOp::alignOperandChunks(const Layout &,
                                                   ArrayRef<Layout> operands) {
  return ownChunks(operands);
}

int64_t TransposeOp::getStoredBound(const Box &out, KnownStored known) {
  return mars::detail::storedBoundOfRegions(*this, out, known);
}

Expected<NDArray> TransposeOp::computeBox(ArrayRef<BoxOperand> operands,
                                          const Box &out) {
  return fromRegion(*this, operands, out, [&](const NDArray &in) {
    if (in.isSparse()) // perm is [1, 0]: a matrix's only other order
      return numeric::csrTranspose(in);
    return numeric::transpose(in, getPerm());
  });
}

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

std::optional<Box> ReshapeOp::getOperandRegion(unsigned, const Box &out) {
  Shape in = mars::detail::valueShape(getInput());
  if (out.empty() || numeric::numElements(in) == 0)
    return std::nullopt;
  Shape last = out.hi;
  for (int64_t &x : last)
    --x;
  Shape result = mars::detail::valueShape(getResult());
  return flatRangeBox(in, ravel(out.lo, result), ravel(last, result));
}

std::optional<Shape> ReshapeOp::deriveResultChunk(ArrayRef<Layout>) {
  return std::nullopt;
}

SmallVector<Shape> ReshapeOp::alignOperandChunks(const Layout &,
                                                 ArrayRef<Layout> operands) {
  return ownChunks(operands);
}

Expected<NDArray> ReshapeOp::computeBox(ArrayRef<BoxOperand> operands,
                                        const Box &out) {
  Shape sizes = out.sizes(), global = mars::detail::valueShape(getResult());
  Shape inShape = mars::detail::valueShape(getInput());
  if (out.empty())
    return NDArray(mars::detail::valueDType(getResult()), sizes);
  const BoxOperand &in = operands[0];
  if (out == Box::of(global) && in.isExactly(Box::of(inShape)))
    return in.data->reshaped(sizes);
  // Element by element through the flat index: a chunk of the result reads
  // a bounding box of the operand that need not line up with it.
  NDArray result(mars::detail::valueDType(getResult()), sizes, NDArray::uninitialized);
  const Shape &held = in.data->shape();
  const size_t elt = numeric::dtypeSize(result.dtype());
  for (int64_t i = 0, n = result.size(); i < n; ++i) {
    Shape idx = unravel(i, sizes);
    for (size_t d = 0; d < idx.size(); ++d)
      idx[d] += out.lo[d];
    Shape src = unravel(ravel(idx, global), inShape);
    for (size_t d = 0; d < src.size(); ++d)
      src[d] -= in.origin[d];
    std::memcpy(result.bytes() + i * elt,
                in.data->bytes() + ravel(src, held) * elt, elt);
  }
  return result;
}

//===----------------------------------------------------------------------===//
// broadcast_to, expand_dims, squeeze
//===----------------------------------------------------------------------===//

std::optional<Box> BroadcastToOp::getOperandRegion(unsigned, const Box &out) {
  return broadcastRegion(mars::detail::valueShape(getInput()), out);
}

std::optional<Shape> BroadcastToOp::deriveResultChunk(ArrayRef<Layout>) {
  return std::nullopt;
}

SmallVector<Shape> BroadcastToOp::alignOperandChunks(const Layout &,
                                                     ArrayRef<Layout> operands) {
  return ownChunks(operands);
}

Expected<NDArray> BroadcastToOp::computeBox(ArrayRef<BoxOperand> operands,
                                            const Box &out) {
  return fromRegion(*this, operands, out, [&](const NDArray &in) {
    return numeric::broadcastTo(in, out.sizes());
  });
}

/// expand_dims and squeeze only add or drop size-1 dims: pair the dims of
/// size != 1 in order, and read element 0 of every size-1 input dim.
static Box unitDimsRegion(Value input, Value result, const Box &out) {
  Shape in = mars::detail::valueShape(input), outShape = mars::detail::valueShape(result);
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
}

std::optional<Box> ExpandDimsOp::getOperandRegion(unsigned, const Box &out) {
  return unitDimsRegion(getInput(), getResult(), out);
}

std::optional<Shape> ExpandDimsOp::deriveResultChunk(ArrayRef<Layout>) {
  return std::nullopt;
}

SmallVector<Shape> ExpandDimsOp::alignOperandChunks(const Layout &,
                                                    ArrayRef<Layout> operands) {
  return ownChunks(operands);
}

Expected<NDArray> ExpandDimsOp::computeBox(ArrayRef<BoxOperand> operands,
                                           const Box &out) {
  return fromRegion(*this, operands, out, [&](const NDArray &in) {
    return in.reshaped(out.sizes());
  });
}

std::optional<Box> SqueezeOp::getOperandRegion(unsigned, const Box &out) {
  return unitDimsRegion(getInput(), getResult(), out);
}

std::optional<Shape> SqueezeOp::deriveResultChunk(ArrayRef<Layout>) {
  return std::nullopt;
}

SmallVector<Shape> SqueezeOp::alignOperandChunks(const Layout &,
                                                 ArrayRef<Layout> operands) {
  return ownChunks(operands);
}

Expected<NDArray> SqueezeOp::computeBox(ArrayRef<BoxOperand> operands,
                                        const Box &out) {
  return fromRegion(*this, operands, out, [&](const NDArray &in) {
    return in.reshaped(out.sizes());
  });
}

//===----------------------------------------------------------------------===//
// flip
//===----------------------------------------------------------------------===//

std::optional<Box> FlipOp::getOperandRegion(unsigned, const Box &out) {
  // Mirrored along the flipped axes: [lo, hi) reads [n - hi, n - lo).
  Shape shape = mars::detail::valueShape(getInput());
  Box r = out;
  for (int64_t d : getFlippedAxes()) {
    r.lo[d] = shape[d] - out.hi[d];
    r.hi[d] = shape[d] - out.lo[d];
  }
  return r;
}

std::optional<Shape> FlipOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return operands[0].chunk();
}

SmallVector<Shape> FlipOp::alignOperandChunks(const Layout &,
                                              ArrayRef<Layout> operands) {
  return ownChunks(operands);
}

Expected<NDArray> FlipOp::computeBox(ArrayRef<BoxOperand> operands,
                                     const Box &out) {
  Shape sizes = out.sizes(), shape = mars::detail::valueShape(getInput());
  if (out.empty())
    return NDArray(mars::detail::valueDType(getResult()), sizes);
  // A slice with step -1 along the flipped axes, from wherever the operand
  // array starts.
  const BoxOperand &in = operands[0];
  SmallVector<int64_t> flipped = getFlippedAxes();
  SmallVector<numeric::SliceDim> dims;
  for (int64_t d = 0; d < out.rank(); ++d) {
    if (llvm::is_contained(flipped, d))
      dims.push_back({shape[d] - 1 - out.lo[d] - in.origin[d], -1, sizes[d]});
    else
      dims.push_back({out.lo[d] - in.origin[d], 1, sizes[d]});
  }
  return numeric::slice(*in.data, dims);
}

//===----------------------------------------------------------------------===//
// band
//===----------------------------------------------------------------------===//

std::optional<Box> BandOp::getOperandRegion(unsigned, const Box &out) {
  return out;
}

std::optional<Shape> BandOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return operands[0].chunk();
}

SmallVector<Shape> BandOp::alignOperandChunks(const Layout &,
                                              ArrayRef<Layout> operands) {
  return ownChunks(operands);
}

/// The band's diagonals clamped to [-rows, columns] of its matrices:
/// beyond, they select nothing more, and sums of them cannot overflow.
static std::pair<int64_t, int64_t> clampedDiagonals(BandOp op) {
  Shape shape = mars::detail::valueShape(op.getInput());
  const int64_t rows = shape[shape.size() - 2], cols = shape.back();
  return {std::clamp<int64_t>(op.getLower(), -rows, cols),
          std::clamp<int64_t>(op.getUpper(), -rows, cols)};
}

int64_t BandOp::getStoredBound(const Box &out, KnownStored known) {
  // The positions (i, j) of the box with lower <= j - i <= upper.
  if (!isCsr(getType())) // Dense: every element is there.
    return out.numElements();
  const auto [lower, upper] = clampedDiagonals(*this);
  if (lower > upper || out.empty())
    return 0;
  // The band also stores at most what the operand stores.
  const int64_t stored = mars::detail::storedBoundOfOperands(*this, out, known);
  const int64_t r0 = out.lo[0], r1 = out.hi[0], c0 = out.lo[1],
                c1 = out.hi[1], w = c1 - c0;
  // Row i has clamp(i + t + 1 - c0, 0, w) positions with j - i <= t; over
  // the rows that is a sum of clamp(x, 0, w) over consecutive x, in closed
  // form through h(n) = the sum for every x < n (in 128 bits: a sparse
  // matrix's sides may pass 2^32).
  using Wide = __int128;
  auto h = [w](Wide n) -> Wide {
    if (n <= 0)
      return 0;
    if (n <= w)
      return n * (n - 1) / 2;
    return Wide(w) * (w - 1) / 2 + (n - w) * w;
  };
  auto atMost = [&](int64_t t) {
    return h(Wide(r1) + t + 1 - c0) - h(Wide(r0) + t + 1 - c0);
  };
  const Wide count = atMost(upper) - atMost(lower - 1);
  return count < stored ? static_cast<int64_t>(count) : stored;
}

Expected<NDArray> BandOp::computeBox(ArrayRef<BoxOperand> operands,
                                     const Box &out) {
  const int64_t rank = out.rank();
  const auto [lower, upper] = clampedDiagonals(*this);
  const int64_t row0 = out.lo[rank - 2], col0 = out.lo[rank - 1];
  NDArray box = operands[0].take(out);
  if (box.isSparse())
    return numeric::csrBand(box, row0, col0, lower, upper);
  // Dense: the elements outside the band become zero bits (0, +0.0, false
  // in every dtype, as numpy's tril/triu give).
  const Shape sizes = out.sizes();
  const int64_t n = sizes[rank - 2], m = sizes[rank - 1];
  if (box.size() == 0)
    return box;
  const size_t item = numeric::dtypeSize(box.dtype());
  uint8_t *bytes = box.bytes();
  const int64_t matrices = box.size() / (n * m);
  for (int64_t b = 0; b < matrices; ++b)
    for (int64_t i = 0; i < n; ++i) {
      uint8_t *row = bytes + ((b * n + i) * m) * item;
      // Kept: local columns [lo, hi).
      const int64_t diagonal = row0 + i - col0;
      const int64_t lo = std::clamp<int64_t>(diagonal + lower, 0, m);
      const int64_t hi = std::clamp<int64_t>(diagonal + upper + 1, lo, m);
      std::memset(row, 0, lo * item);
      std::memset(row + hi * item, 0, (m - hi) * item);
    }
  return box;
}

//===----------------------------------------------------------------------===//
// slice
//===----------------------------------------------------------------------===//

std::optional<Box> SliceOp::getOperandRegion(unsigned, const Box &out) {
  Box r{Shape(out.rank()), Shape(out.rank())};
  for (auto [d, dim] : llvm::enumerate(getSliceDims())) {
    if (out.hi[d] <= out.lo[d])
      return std::nullopt;
    int64_t a = dim.start + out.lo[d] * dim.step;
    int64_t b = dim.start + (out.hi[d] - 1) * dim.step;
    r.lo[d] = std::min(a, b);
    r.hi[d] = std::max(a, b) + 1;
  }
  return r;
}

std::optional<unsigned> SliceOp::getCopiedOperand(const Box &) {
  // Unit steps keep the elements' order: the region is the box, moved.
  if (llvm::all_of(getSliceDims(),
                   [](const auto &dim) { return dim.step == 1; }))
    return 0;
  return std::nullopt;
}

std::optional<Shape> SliceOp::deriveResultChunk(ArrayRef<Layout>) {
  return std::nullopt;
}

SmallVector<Shape> SliceOp::alignOperandChunks(const Layout &,
                                               ArrayRef<Layout> operands) {
  return ownChunks(operands);
}

int64_t SliceOp::getStoredBound(const Box &out, KnownStored known) {
  return mars::detail::storedBoundOfRegions(*this, out, known);
}

Expected<NDArray> SliceOp::computeBox(ArrayRef<BoxOperand> operands,
                                      const Box &out) {
  Shape sizes = out.sizes();
  if (out.empty())
    return isCsr(getResult())
               ? NDArray::csr(mars::detail::valueDType(getResult()), sizes, 0)
               : NDArray(mars::detail::valueDType(getResult()), sizes);
  // Strided reads straight from the operand array, wherever it starts.
  const BoxOperand &in = operands[0];
  SmallVector<numeric::SliceDim> dims;
  for (auto [d, dim] : llvm::enumerate(getSliceDims()))
    dims.push_back({dim.start + out.lo[d] * dim.step - in.origin[d], dim.step,
                    sizes[d]});
  if (in.data->isSparse())
    return numeric::csrSlice(*in.data, dims[0], dims[1]);
  return numeric::slice(*in.data, dims);
}

//===----------------------------------------------------------------------===//
// concatenate, stack
//===----------------------------------------------------------------------===//

/// Input `i`'s part of `out`, the input starting at `offset` along `axis`.
static std::optional<Box> concatPart(Value input, int64_t axis, int64_t offset,
                                     const Box &out) {
  const int64_t size =
      cast<RankedTensorType>(input.getType()).getDimSize(axis);
  Box r = out;
  r.lo[axis] = std::max<int64_t>(out.lo[axis] - offset, 0);
  r.hi[axis] = std::min<int64_t>(out.hi[axis] - offset, size);
  if (r.empty())
    return std::nullopt;
  return r;
}

std::optional<Box> ConcatenateOp::getOperandRegion(unsigned i,
                                                   const Box &out) {
  int64_t axis = mars::detail::normalizedAxis(getAxis(), out.rank());
  int64_t offset = 0;
  for (unsigned k = 0; k < i; ++k)
    offset += cast<RankedTensorType>(getInputs()[k].getType()).getDimSize(axis);
  return concatPart(getInputs()[i], axis, offset, out);
}

SmallVector<std::optional<Box>>
ConcatenateOp::getOperandRegions(const Box &out) {
  // One pass over the inputs' offsets: engines ask for every chunk, and a
  // TSQR of thousands of row blocks concatenates thousands of inputs.
  int64_t axis = mars::detail::normalizedAxis(getAxis(), out.rank());
  SmallVector<std::optional<Box>> regions;
  int64_t offset = 0;
  for (Value input : getInputs()) {
    regions.push_back(concatPart(input, axis, offset, out));
    offset += cast<RankedTensorType>(input.getType()).getDimSize(axis);
  }
  return regions;
}

std::optional<unsigned> ConcatenateOp::getCopiedOperand(const Box &out) {
  // A box inside one input is that input's region, moved along the axis.
  std::optional<unsigned> only;
  for (auto [i, region] : llvm::enumerate(getOperandRegions(out))) {
    if (!region)
      continue;
    if (only)
      return std::nullopt;
    only = i;
  }
  return only;
}

std::optional<Box> StackOp::getOperandRegion(unsigned i, const Box &out) {
  int64_t axis = mars::detail::normalizedAxis(getAxis(), out.rank());
  if (static_cast<int64_t>(i) < out.lo[axis] ||
      static_cast<int64_t>(i) >= out.hi[axis])
    return std::nullopt;
  Box r = out;
  r.lo.erase(r.lo.begin() + axis);
  r.hi.erase(r.hi.begin() + axis);
  return r;
}

/// Copies the pieces of a concatenate's or stack's inputs that `out` reads
/// into place.
/// A concatenate's chunk of sparse matrices: the pieces its inputs give,
/// assembled in place.
static NDArray joinSparse(ConcatenateOp op, ArrayRef<BoxOperand> operands,
                          const Box &out) {
  int64_t axis = mars::detail::normalizedAxis(op.getAxis(), 2);
  SmallVector<std::optional<Box>> regions = op.getOperandRegions(out);
  std::vector<NDArray> pieces;
  pieces.reserve(regions.size());
  std::vector<numeric::CsrBlock> blocks;
  int64_t offset = 0;
  for (unsigned i = 0; i < op->getNumOperands(); ++i) {
    if (const std::optional<Box> &r = regions[i]) {
      NDArray storage;
      pieces.push_back(operands[i].crop(*r, storage));
      Shape at{0, 0};
      at[axis] = offset + r->lo[axis] - out.lo[axis];
      blocks.push_back({&pieces.back(), at[0], at[1]});
    }
    offset +=
        cast<RankedTensorType>(op->getOperand(i).getType()).getDimSize(axis);
  }
  return numeric::assembleCsr(mars::detail::valueDType(op.getResult()),
                              out.sizes(), blocks);
}

template <typename Op>
static NDArray joinBox(Op op, ArrayRef<BoxOperand> operands, const Box &out,
                       bool stack) {
  Shape sizes = out.sizes();
  NDArray result(mars::detail::valueDType(op->getResult(0)), sizes);
  const int64_t rank = sizes.size();
  int64_t axis = mars::detail::normalizedAxis(op.getAxis(), rank);
  int64_t offset = 0;
  SmallVector<std::optional<Box>> regions = op.getOperandRegions(out);
  for (unsigned i = 0; i < op->getNumOperands(); ++i) {
    const std::optional<Box> &r = regions[i];
    if (r) {
      NDArray storage;
      const NDArray &piece = operands[i].crop(*r, storage);
      Shape at(rank, 0), pieceSizes = r->sizes();
      if (stack) {
        // The piece gains the stacked axis, of size 1.
        pieceSizes.insert(pieceSizes.begin() + axis, 1);
        at[axis] = i - out.lo[axis];
        numeric::copyBox(piece.reshaped(pieceSizes), Shape(rank, 0), result,
                         at, pieceSizes);
      } else {
        at[axis] = offset + r->lo[axis] - out.lo[axis];
        numeric::copyBox(piece, Shape(rank, 0), result, at, pieceSizes);
      }
    }
    if (!stack)
      offset += cast<RankedTensorType>(op->getOperand(i).getType())
                    .getDimSize(axis);
  }
  return result;
}

std::optional<Shape>
ConcatenateOp::deriveResultChunk(ArrayRef<Layout> operands) {
  // The inputs' chunk shape, when they share one, each input but the last
  // ends on a chunk boundary and a chunk is not small: every chunk of the
  // result is then one whole chunk of an input, shared instead of copied
  // (getCopiedOperand), and consumers keep the inputs' tiles (the tiled
  // QR's and LU's block columns). Otherwise (and for sparse matrices,
  // chunked by rows) chunks by size.
  constexpr int64_t kMinSharedBytes = int64_t(1) << 20;
  if (operands.empty() || isCsr(getResult()))
    return std::nullopt;
  const Shape &chunk = operands.front().chunk();
  const int64_t axis =
      mars::detail::normalizedAxis(getAxis(), operands.front().rank());
  for (size_t i = 0; i < operands.size(); ++i) {
    if (operands[i].chunk() != chunk || chunk[axis] == 0)
      return std::nullopt;
    if (i + 1 < operands.size() &&
        operands[i].shape()[axis] % chunk[axis] != 0)
      return std::nullopt;
  }
  const int64_t bytes =
      numeric::numElements(chunk) *
      static_cast<int64_t>(
          numeric::dtypeSize(mars::detail::valueDType(getResult())));
  if (bytes < kMinSharedBytes)
    return std::nullopt;
  return chunk;
}

SmallVector<Shape> ConcatenateOp::alignOperandChunks(const Layout &,
                                                     ArrayRef<Layout> operands) {
  return ownChunks(operands);
}

int64_t ConcatenateOp::getStoredBound(const Box &out, KnownStored known) {
  return mars::detail::storedBoundOfRegions(*this, out, known);
}

Expected<NDArray> ConcatenateOp::computeBox(ArrayRef<BoxOperand> operands,
                                            const Box &out) {
  if (isCsr(getResult()))
    return joinSparse(*this, operands, out);
  return joinBox(*this, operands, out, /*stack=*/false);
}

std::optional<Shape> StackOp::deriveResultChunk(ArrayRef<Layout>) {
  return std::nullopt;
}

SmallVector<Shape> StackOp::alignOperandChunks(const Layout &,
                                               ArrayRef<Layout> operands) {
  return ownChunks(operands);
}

Expected<NDArray> StackOp::computeBox(ArrayRef<BoxOperand> operands,
                                      const Box &out) {
  return joinBox(*this, operands, out, /*stack=*/true);
}

//===----------------------------------------------------------------------===//
// rechunk
//===----------------------------------------------------------------------===//

std::optional<Box> RechunkOp::getOperandRegion(unsigned, const Box &out) {
  return out;
}

std::optional<unsigned> RechunkOp::getCopiedOperand(const Box &) {
  return 0;
}

std::optional<Shape> RechunkOp::deriveResultChunk(ArrayRef<Layout>) {
  // A rechunk's layout is what it is for: mars-tile sets it when it inserts
  // one, and a written one carries its own.
  return std::nullopt;
}

SmallVector<Shape> RechunkOp::alignOperandChunks(const Layout &,
                                                 ArrayRef<Layout> operands) {
  return ownChunks(operands);
}

int64_t RechunkOp::getStoredBound(const Box &out, KnownStored known) {
  return mars::detail::storedBoundOfRegions(*this, out, known);
}

Expected<NDArray> RechunkOp::computeBox(ArrayRef<BoxOperand> operands,
                                        const Box &out) {
  return operands[0].take(out);
}
