//===- Creation.cpp - Chunk rules of creation, load and save --------------===//
//
// An op with no operands computes a chunk as its box of the whole tensor:
// the element at a global index is the same whichever chunk computes it
// (arange, linspace and eye from the index, random numbers from Philox
// counters keyed by it), so any tiling reproduces the whole.
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Support/Error.h"
#include "mars/Support/Npy.h"
#include "mars/Numeric/Kernels.h"
#include "mars/Numeric/Sparse.h"

using namespace mlir;
using namespace mars;
using namespace mars::tiling;
using llvm::Expected;
using numeric::DType;
using numeric::NDArray;

Expected<NDArray> ConstantOp::computeBox(ArrayRef<BoxOperand>,
                                         const Box &out) {
  auto dense = cast<DenseElementsAttr>(getValue());
  Shape global = mars::detail::valueShape(getResult());
  if (out == Box::of(global))
    return toNDArray(dense);
  // Element by element from the attribute's flat index: a chunk costs its
  // own size, not the whole constant's.
  Shape sizes = out.sizes();
  NDArray result(mars::detail::valueDType(getResult()), sizes);
  if (result.dtype() == numeric::DType::F16) {
    // The attribute's float16 values are APFloats: slice the whole array
    // (constants are small by design).
    SmallVector<numeric::SliceDim> dims;
    for (size_t d = 0; d < sizes.size(); ++d)
      dims.push_back({out.lo[d], 1, sizes[d]});
    return numeric::slice(toNDArray(dense), dims);
  }
  numeric::visitDType(result.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T *o = result.data<T>();
    if (dense.isSplat()) {
      std::fill(o, o + result.size(), dense.getSplatValue<T>());
      return;
    }
    auto values = dense.getValues<T>();
    Shape idx = out.lo;
    const int64_t rank = idx.size();
    for (int64_t i = 0, n = result.size(); i < n; ++i) {
      int64_t flat = 0;
      for (int64_t d = 0; d < rank; ++d)
        flat = flat * global[d] + idx[d];
      o[i] = values[flat];
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++idx[d] < out.hi[d])
          break;
        idx[d] = out.lo[d];
      }
    }
  });
  return result;
}

Expected<NDArray> FullOp::computeBox(ArrayRef<BoxOperand>, const Box &out) {
  return numeric::full(mars::detail::valueDType(getResult()), out.sizes(),
                       scalarToNDArray(getValue()));
}

Expected<NDArray> ZerosOp::computeBox(ArrayRef<BoxOperand>, const Box &out) {
  return NDArray(mars::detail::valueDType(getResult()), out.sizes());
}

Expected<NDArray> OnesOp::computeBox(ArrayRef<BoxOperand>, const Box &out) {
  NDArray one(DType::F64, {});
  one.data<double>()[0] = 1.0;
  return numeric::full(mars::detail::valueDType(getResult()), out.sizes(), one);
}

Expected<NDArray> ArangeOp::computeBox(ArrayRef<BoxOperand>, const Box &out) {
  return numeric::arange(mars::detail::valueDType(getResult()), out.sizes()[0],
                         getStart().convertToDouble(),
                         getStep().convertToDouble(), out.lo[0]);
}

Expected<NDArray> LinspaceOp::computeBox(ArrayRef<BoxOperand>,
                                         const Box &out) {
  return numeric::linspace(mars::detail::valueDType(getResult()), out.sizes()[0],
                           getStart().convertToDouble(),
                           getStop().convertToDouble(), !getNoEndpoint(),
                           out.lo[0], mars::detail::valueShape(getResult())[0]);
}

Expected<NDArray> EyeOp::computeBox(ArrayRef<BoxOperand>, const Box &out) {
  Shape sizes = out.sizes();
  if (isCsr(getResult()))
    return numeric::eyeCsr(mars::detail::valueDType(getResult()), sizes[0],
                           sizes[1], getK(), out.lo[0], out.lo[1]);
  return numeric::eye(mars::detail::valueDType(getResult()), sizes[0], sizes[1], getK(), out.lo[0],
                      out.lo[1]);
}

Expected<NDArray> RandomUniformOp::computeBox(ArrayRef<BoxOperand>,
                                              const Box &out) {
  if (auto density = getDensity())
    return numeric::randomUniformCsr(
        mars::detail::valueDType(getResult()), out.sizes(), getSeed(),
        getLow().convertToDouble(), getHigh().convertToDouble(),
        density->convertToDouble(), mars::detail::valueShape(getResult()),
        out.lo);
  return numeric::randomUniform(mars::detail::valueDType(getResult()), out.sizes(), getSeed(),
                                getLow().convertToDouble(),
                                getHigh().convertToDouble(),
                                mars::detail::valueShape(getResult()), out.lo);
}

Expected<NDArray> RandomNormalOp::computeBox(ArrayRef<BoxOperand>,
                                             const Box &out) {
  if (auto density = getDensity())
    return numeric::randomNormalCsr(
        mars::detail::valueDType(getResult()), out.sizes(), getSeed(),
        getLoc().convertToDouble(), getScale().convertToDouble(),
        density->convertToDouble(), mars::detail::valueShape(getResult()),
        out.lo);
  return numeric::randomNormal(mars::detail::valueDType(getResult()), out.sizes(), getSeed(),
                               getLoc().convertToDouble(),
                               getScale().convertToDouble(),
                               mars::detail::valueShape(getResult()), out.lo);
}

Expected<NDArray> RandomIntegersOp::computeBox(ArrayRef<BoxOperand>,
                                               const Box &out) {
  if (auto density = getDensity())
    return numeric::randomIntegersCsr(
        mars::detail::valueDType(getResult()), out.sizes(), getSeed(),
        getLow(), getHigh(), density->convertToDouble(),
        mars::detail::valueShape(getResult()), out.lo);
  return numeric::randomIntegers(mars::detail::valueDType(getResult()), out.sizes(), getSeed(),
                                 getLow(), getHigh(), mars::detail::valueShape(getResult()),
                                 out.lo);
}

int64_t EyeOp::getStoredBound(const Box &out, KnownStored) {
  // The rows r of the box whose column r + k is in the box (k clamped:
  // past the matrix's size it selects nothing either way).
  const int64_t span = mars::detail::valueShape(getResult())[0] +
                       mars::detail::valueShape(getResult())[1];
  const int64_t k =
      std::clamp(static_cast<int64_t>(getK()), -span - 1, span + 1);
  int64_t lo = std::max(out.lo[0], out.lo[1] - k);
  int64_t hi = std::min(out.hi[0], out.hi[1] - k);
  return std::max<int64_t>(0, hi - lo);
}

/// A random draw's stored elements in `out`: all of them when dense.
static int64_t randomStoredBound(std::optional<llvm::APFloat> density,
                                 const Box &out) {
  return density ? numeric::binomialBound(out.numElements(),
                                          density->convertToDouble())
                 : out.numElements();
}
int64_t RandomUniformOp::getStoredBound(const Box &out, KnownStored) {
  return randomStoredBound(getDensity(), out);
}
int64_t RandomNormalOp::getStoredBound(const Box &out, KnownStored) {
  return randomStoredBound(getDensity(), out);
}
int64_t RandomIntegersOp::getStoredBound(const Box &out, KnownStored) {
  return randomStoredBound(getDensity(), out);
}

bool FullOp::isRandom() { return false; }
bool ZerosOp::isRandom() { return false; }
bool OnesOp::isRandom() { return false; }
bool RandomUniformOp::isRandom() { return true; }
bool RandomNormalOp::isRandom() { return true; }
bool RandomIntegersOp::isRandom() { return true; }

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

Expected<NDArray> LoadOp::computeBox(ArrayRef<BoxOperand>, const Box &out) {
  // The header is read with every box: a box is one read of a contiguous
  // range of the file, and the check names the file at the first chunk.
  auto header = readNpyHeader(getPath());
  if (!header)
    return header.takeError();
  if (auto err = checkMatchesType(header->dtype, header->shape,
                                  getResult().getType()))
    return makeError("'" + getPath() + "' " + llvm::toString(std::move(err)));
  return readNpyBox(getPath(), *header, out.lo, out.sizes());
}

llvm::Error SaveOp::consumeWhole(const NDArray &value) {
  return writeNpy(getPath(), value);
}
