//===- Layout.cpp - Chunk layouts of tensor values ------------------------===//

#include "mars/Tiling/Layout.h"

#include "mars/Dialect/Mars/IR/Mars.h"

#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mars;
using namespace mars::tiling;

Shape tiling::shapeOf(Value value) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(value.getType()).getShape();
  return Shape(s.begin(), s.end());
}

std::optional<Layout> tiling::getLayout(Value value) {
  DenseI64ArrayAttr chunks;
  if (Operation *def = value.getDefiningOp()) {
    chunks = def->getAttrOfType<DenseI64ArrayAttr>(MarsDialect::kChunksAttrName);
  } else {
    auto arg = cast<BlockArgument>(value);
    Operation *parent = arg.getOwner()->getParentOp();
    // A fused body's arguments are chunked like the fused op's inputs.
    if (auto fused = dyn_cast<FusedOp>(parent))
      return getLayout(fused.getInputs()[arg.getArgNumber()]);
    if (auto fn = dyn_cast<FunctionOpInterface>(parent))
      chunks = fn.getArgAttrOfType<DenseI64ArrayAttr>(
          arg.getArgNumber(), MarsDialect::kChunksAttrName);
  }
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!chunks || !type || chunks.size() != type.getRank())
    return std::nullopt;
  return Layout(Shape(type.getShape().begin(), type.getShape().end()),
                Shape(chunks.asArrayRef().begin(), chunks.asArrayRef().end()));
}

void tiling::setLayout(Value value, ArrayRef<int64_t> chunk) {
  auto attr = DenseI64ArrayAttr::get(value.getContext(), chunk);
  if (Operation *def = value.getDefiningOp()) {
    def->setAttr(MarsDialect::kChunksAttrName, attr);
    return;
  }
  auto arg = cast<BlockArgument>(value);
  auto fn = cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
  fn.setArgAttr(arg.getArgNumber(), MarsDialect::kChunksAttrName, attr);
}
