//===- Layout.h - Chunk layouts of tensor values ----------------*- C++ -*-===//
//
// Where IR keeps a value's chunk layout (ChunkGrid.h): after `mars-tile`,
// every value carries it in a `mars.chunks` attribute (on the defining op,
// or on the function argument).
//
//===----------------------------------------------------------------------===//

#ifndef MARS_TILING_LAYOUT_H
#define MARS_TILING_LAYOUT_H

#include "mars/Tiling/ChunkGrid.h"

#include "mlir/IR/Value.h"
#include "mlir/Support/LogicalResult.h"

#include <optional>

namespace mars::tiling {

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
