//===- Layout.cpp - Chunk layouts of tensor values ------------------------===//

#include "mars/Tiling/Layout.h"

#include "mars/Dialect/Mars/IR/Mars.h"

#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mars;
using namespace mars::tiling;

Shape Box::sizes() const {
  Shape s(lo.size());
  for (size_t d = 0; d < lo.size(); ++d)
    s[d] = hi[d] - lo[d];
  return s;
}

int64_t Box::numElements() const { return numeric::numElements(sizes()); }

bool Box::empty() const {
  for (size_t d = 0; d < lo.size(); ++d)
    if (hi[d] <= lo[d])
      return true;
  return false;
}

Box Box::of(ArrayRef<int64_t> shape) {
  return {Shape(shape.size(), 0), Shape(shape.begin(), shape.end())};
}

Layout::Layout(Shape shape, Shape chunk)
    : shape_(std::move(shape)), chunk_(std::move(chunk)) {
  for (size_t d = 0; d < shape_.size(); ++d)
    grid_.push_back((shape_[d] + chunk_[d] - 1) / chunk_[d]);
}

Shape Layout::chunkIndex(int64_t linear) const {
  Shape idx(grid_.size());
  for (int64_t d = rank() - 1; d >= 0; --d) {
    idx[d] = linear % grid_[d];
    linear /= grid_[d];
  }
  return idx;
}

int64_t Layout::linearIndex(ArrayRef<int64_t> index) const {
  int64_t linear = 0;
  for (int64_t d = 0; d < rank(); ++d)
    linear = linear * grid_[d] + index[d];
  return linear;
}

Box Layout::chunkBox(int64_t linear) const {
  Shape idx = chunkIndex(linear);
  Box box{Shape(rank()), Shape(rank())};
  for (int64_t d = 0; d < rank(); ++d) {
    box.lo[d] = idx[d] * chunk_[d];
    box.hi[d] = std::min(shape_[d], box.lo[d] + chunk_[d]);
  }
  return box;
}

std::vector<int64_t> Layout::chunksOverlapping(const Box &box) const {
  std::vector<int64_t> out;
  if (box.empty())
    return out;
  Shape first(rank()), last(rank());
  for (int64_t d = 0; d < rank(); ++d) {
    first[d] = box.lo[d] / chunk_[d];
    last[d] = (box.hi[d] - 1) / chunk_[d];
  }
  Shape idx = first;
  while (true) {
    out.push_back(linearIndex(idx));
    int64_t d = rank() - 1;
    for (; d >= 0; --d) {
      if (++idx[d] <= last[d])
        break;
      idx[d] = first[d];
    }
    if (d < 0)
      break;
  }
  return out;
}

std::string Layout::str() const {
  auto list = [](const Shape &s) {
    std::string r = "[";
    for (size_t i = 0; i < s.size(); ++i)
      r += (i ? ", " : "") + std::to_string(s[i]);
    return r + "]";
  };
  return list(grid_) + "x" + list(chunk_);
}

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
