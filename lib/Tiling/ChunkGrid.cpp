//===- ChunkGrid.cpp - Boxes and chunk grids ------------------------------===//

#include "mars/Tiling/ChunkGrid.h"

#include "mars/Numeric/Kernels.h"
#include "mars/Numeric/Sparse.h"

using namespace mars;
using namespace mars::tiling;
using llvm::ArrayRef;

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

Shape tiling::autoChunkShape(ArrayRef<int64_t> shape, int64_t budget,
                             ArrayRef<bool> keepWhole, bool rowsFirst) {
  Shape chunk;
  for (int64_t extent : shape)
    chunk.push_back(std::max<int64_t>(extent, 1));
  budget = std::max<int64_t>(budget, 1);
  while (numeric::numElements(chunk) > budget) {
    int64_t best = -1;
    for (int pass = 0; pass < 2 && best < 0; ++pass)
      for (size_t d = 0; d < chunk.size(); ++d)
        if (chunk[d] > 1 && (pass == 1 || !keepWhole[d]) &&
            (best < 0 || (!rowsFirst && chunk[d] > chunk[best])))
          best = d;
    if (rowsFirst) {
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

bool BoxOperand::isExactly(const Box &region) const {
  return data && origin == region.lo && data->shape() == region.sizes();
}

numeric::NDArray BoxOperand::take(const Box &region) const {
  if (disposable && isExactly(region))
    return std::move(*disposable);
  numeric::NDArray storage;
  const numeric::NDArray &r = crop(region, storage);
  return &r == &storage ? std::move(storage) : r;
}

const numeric::NDArray &BoxOperand::crop(const Box &region,
                                         numeric::NDArray &storage) const {
  if (isExactly(region))
    return *data;
  if (data->isSparse()) {
    storage = numeric::cropCsr(*data, region.lo[0] - origin[0],
                               region.hi[0] - origin[0],
                               region.lo[1] - origin[1],
                               region.hi[1] - origin[1]);
    return storage;
  }
  Shape sizes = region.sizes();
  storage = numeric::NDArray(data->dtype(), sizes,
                             numeric::NDArray::uninitialized);
  Shape from = region.lo;
  for (size_t d = 0; d < from.size(); ++d)
    from[d] -= origin[d];
  numeric::copyBox(*data, from, storage, Shape(sizes.size(), 0), sizes);
  return storage;
}
