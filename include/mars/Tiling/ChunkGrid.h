//===- ChunkGrid.h - Boxes, chunk grids, and what chunk rules exchange -*- C++ -*-===//
//
// The geometry of chunks, free of any op: half-open boxes of element
// coordinates, the grid a chunk shape cuts a tensor into, and the small
// structs through which ops state their chunk rules (ChunkOpInterface and
// ContractionOpInterface in MarsInterfaces.td). The Mars dialect states its
// rules in these terms, so this library sits below it.
//
// A chunk layout cuts a tensor into a grid of boxes of one chunk shape; the
// last chunk along a dimension may be ragged, and a dimension of size 0 has
// no chunks.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_TILING_CHUNKGRID_H
#define MARS_TILING_CHUNKGRID_H

#include "mars/Numeric/NDArray.h"

#include <optional>
#include <string>
#include <vector>

namespace mars::tiling {

using numeric::Shape;

/// A half-open box [lo, hi) of element coordinates.
struct Box {
  Shape lo, hi;

  int64_t rank() const { return static_cast<int64_t>(lo.size()); }
  Shape sizes() const;
  int64_t numElements() const;
  bool empty() const;
  bool operator==(const Box &o) const { return lo == o.lo && hi == o.hi; }
  /// The whole of `shape`.
  static Box of(llvm::ArrayRef<int64_t> shape);
};

class Layout {
public:
  Layout() = default;
  Layout(Shape shape, Shape chunk);

  const Shape &shape() const { return shape_; }
  const Shape &chunk() const { return chunk_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  /// Chunks per dimension (0 for a dimension of size 0).
  const Shape &grid() const { return grid_; }
  int64_t numChunks() const { return numeric::numElements(grid_); }

  /// C-order linearisation of chunk indices.
  Shape chunkIndex(int64_t linear) const;
  int64_t linearIndex(llvm::ArrayRef<int64_t> index) const;
  Box chunkBox(int64_t linear) const;
  /// Linear indices of the chunks that overlap `box`, in C order.
  std::vector<int64_t> chunksOverlapping(const Box &box) const;

  /// "[2, 3]x[500, 1000]": grid and chunk shape, for people.
  std::string str() const;

private:
  Shape shape_, chunk_, grid_;
};

/// mars-tile's automatic chunk for a value of `shape` (TilePass::autoChunk):
/// blocks of at most `budget` elements, made by halving the largest chunk
/// dimension (square-ish blocks), those in `keepWhole` (the axes a consumer
/// reduces over) last. `rowsFirst` (a value read from or written to an .npy
/// file) splits the outermost dimensions first instead, to whole rows of
/// what is left, so that each chunk is one contiguous range of the file.
Shape autoChunkShape(llvm::ArrayRef<int64_t> shape, int64_t budget,
                     llvm::ArrayRef<bool> keepWhole, bool rowsFirst);

/// The region of a value of `shape` that numpy broadcasting pairs with the
/// region `out` of the (right-aligned, broadcast) result: size-1 dimensions
/// read element 0.
Box broadcastRegion(llvm::ArrayRef<int64_t> shape, const Box &out);

/// An operand handed to ChunkOpInterface::computeBox: an array holding (at
/// least) the region of the operand the rule asked for, and where the
/// array's element 0 sits in the operand. `data` is null for an operand the
/// box reads nothing of.
struct BoxOperand {
  const numeric::NDArray *data = nullptr;
  Shape origin;
  /// Set when `data` is the caller's temporary (an engine's gathered
  /// region): take() may then move it out instead of copying.
  numeric::NDArray *disposable = nullptr;

  /// Whether `data` is exactly `region` (no cropping needed).
  bool isExactly(const Box &region) const;
  /// `region` of the operand as an array of its own: `data` itself when it
  /// is exactly that region, otherwise a copy made in `storage`.
  const numeric::NDArray &crop(const Box &region,
                               numeric::NDArray &storage) const;
  /// `region` of the operand as an array the caller owns: moved out of a
  /// disposable `data` that is exactly that region, copied otherwise.
  numeric::NDArray take(const Box &region) const;
};

/// How a contraction (a reduction, matmul, tensordot) pairs the dimensions
/// of its operands with its result and with its steps.
struct ContractionMap {
  /// Per operand: its contracted dimensions, in step-dimension order (the
  /// operands' lists pair up position by position).
  std::vector<Shape> contracted;
  /// Per operand, for each of its dimensions, the result dimension it
  /// follows (-1: contracted, or kept as size 1 by keepdims).
  std::vector<Shape> resultDimOf;
};

} // namespace mars::tiling

#endif // MARS_TILING_CHUNKGRID_H

