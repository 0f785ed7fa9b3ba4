//===- Layout.h - Chunk layouts of tensor values ----------------*- C++ -*-===//
//
// A chunk layout cuts a tensor into a grid of boxes of one chunk shape; the
// last chunk along a dimension may be ragged, and a dimension of size 0 has
// no chunks. After `mars-tile`, every value carries its layout in a
// `mars.chunks` attribute (on the defining op, or on the function argument).
//
//===----------------------------------------------------------------------===//

#ifndef MARS_TILING_LAYOUT_H
#define MARS_TILING_LAYOUT_H

#include "mars/Numeric/NDArray.h"

#include "mlir/IR/Value.h"
#include "mlir/Support/LogicalResult.h"

#include <optional>

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

/// The static shape of a ranked tensor value.
Shape shapeOf(mlir::Value value);

/// The layout the `mars.chunks` attribute gives `value`, or nullopt when it
/// has none (the IR is not tiled).
std::optional<Layout> getLayout(mlir::Value value);
/// Sets `value`'s layout attribute (on its defining op or its function
/// argument).
void setLayout(mlir::Value value, llvm::ArrayRef<int64_t> chunk);

} // namespace mars::tiling

#endif // MARS_TILING_LAYOUT_H
