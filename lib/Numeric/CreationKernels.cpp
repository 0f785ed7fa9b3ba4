//===- CreationKernels.cpp - numpy semantics of Mars's creation ops -------===//
//
// The creation and random kernels of Kernels.h. An element depends only on
// its global index, so a box of the result is that box of the whole (random
// ops draw with Philox from the global flat index).
//
//===----------------------------------------------------------------------===//

#include "mars/Numeric/Kernels.h"
#include "mars/Numeric/Philox.h"

#include "ScalarRules.h"

#include <algorithm>
#include <cmath>
#include <vector>

using llvm::ArrayRef;

namespace mars::numeric {

NDArray full(DType dtype, Shape shape, const NDArray &value) {
  return broadcastTo(cast(value, dtype), shape);
}

namespace {
/// Fills `out` with f(i) (a double) cast to out's dtype.
template <typename F>
void fillFromDouble(NDArray &out, F &&f) {
  visitDType(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T *o = out.data<T>();
    for (int64_t i = 0, n = out.size(); i < n; ++i)
      o[i] = castScalar<T>(f(i));
  });
}
} // namespace

NDArray arange(DType dtype, int64_t n, double start, double step,
               int64_t offset) {
  NDArray out(dtype, {n});
  if (isInteger(dtype)) {
    visitDType(dtype, [&](auto tag) {
      using T = decltype(tag);
      T *o = out.data<T>();
      // Through int64 (integral, in its range: the API's check): a double
      // converts to an integer type only when the value fits it.
      T s = static_cast<T>(static_cast<int64_t>(start));
      T d = static_cast<T>(static_cast<int64_t>(step));
      for (int64_t i = 0; i < n; ++i)
        o[i] = wrapAdd(s, wrapMul(static_cast<T>(offset + i), d));
    });
    return out;
  }
  fillFromDouble(out, [&](int64_t i) { return start + (offset + i) * step; });
  return out;
}

NDArray linspace(DType dtype, int64_t n, double start, double stop,
                 bool endpoint, int64_t offset, int64_t total) {
  // numpy.linspace, step for step, for elements [offset, offset + n) of a
  // sequence of `total`.
  if (total < 0)
    total = n;
  const int64_t div = endpoint ? total - 1 : total;
  const double delta = stop - start;
  auto value = [&](int64_t i) {
    if (endpoint && total > 1 && i == total - 1)
      return stop;
    if (div > 0) {
      double step = delta / div;
      return step == 0 ? (i / static_cast<double>(div)) * delta + start
                       : i * step + start;
    }
    return i * delta + start;
  };
  NDArray out(dtype, {n});
  fillFromDouble(out, [&](int64_t i) {
    double y = value(offset + i);
    return isInteger(dtype) || dtype == DType::Bool ? std::floor(y) : y;
  });
  return out;
}

NDArray eye(DType dtype, int64_t rows, int64_t cols, int64_t k,
            int64_t rowOffset, int64_t colOffset) {
  NDArray out(dtype, {rows, cols});
  const int64_t c = std::max<int64_t>(cols, 1);
  fillFromDouble(out, [&](int64_t i) {
    return (colOffset + i % c) - (rowOffset + i / c) == k ? 1.0 : 0.0;
  });
  return out;
}

namespace {
/// Calls f(local flat index, global flat index) for every element of a box
/// of `shape` placed at `origin` in a tensor of shape `global` (the box
/// itself when `global` is empty).
template <typename F>
void forEachGlobalIndex(const Shape &shape, ArrayRef<int64_t> global,
                        ArrayRef<int64_t> origin, F &&f) {
  const int64_t n = numElements(shape), rank = shape.size();
  if (global.empty()) {
    for (int64_t i = 0; i < n; ++i)
      f(i, i);
    return;
  }
  Shape gstrides = contiguousStrides(global);
  Shape idx(rank, 0);
  int64_t g = 0;
  for (int64_t d = 0; d < rank; ++d)
    g += origin[d] * gstrides[d];
  for (int64_t i = 0; i < n; ++i) {
    f(i, g);
    for (int64_t d = rank - 1; d >= 0; --d) {
      ++idx[d];
      g += gstrides[d];
      if (idx[d] < shape[d])
        break;
      g -= gstrides[d] * shape[d];
      idx[d] = 0;
    }
  }
}
} // namespace

NDArray randomUniform(DType dtype, Shape shape, uint64_t seed, double low,
                      double high, ArrayRef<int64_t> global,
                      ArrayRef<int64_t> origin) {
  NDArray out(dtype, shape);
  if (dtype == DType::F32) {
    float *o = out.data<float>();
    forEachGlobalIndex(shape, global, origin, [&](int64_t i, int64_t g) {
      o[i] = uniformF32(seed, g, low, high);
    });
  } else {
    double *o = out.data<double>();
    forEachGlobalIndex(shape, global, origin, [&](int64_t i, int64_t g) {
      o[i] = uniformF64(seed, g, low, high);
    });
  }
  return out;
}

NDArray randomNormal(DType dtype, Shape shape, uint64_t seed, double loc,
                     double scale, ArrayRef<int64_t> global,
                     ArrayRef<int64_t> origin) {
  NDArray out(dtype, shape);
  visitDType(dtype, [&](auto tag) {
    using T = decltype(tag);
    T *o = out.data<T>();
    forEachGlobalIndex(shape, global, origin, [&](int64_t i, int64_t g) {
      o[i] = castScalar<T>(normalF64(seed, g, loc, scale));
    });
  });
  return out;
}

NDArray randomIntegers(DType dtype, Shape shape, uint64_t seed, int64_t low,
                       int64_t high, ArrayRef<int64_t> global,
                       ArrayRef<int64_t> origin) {
  NDArray out(dtype, shape);
  visitDType(dtype, [&](auto tag) {
    using T = decltype(tag);
    T *o = out.data<T>();
    forEachGlobalIndex(shape, global, origin, [&](int64_t i, int64_t g) {
      o[i] = static_cast<T>(integerInRange(seed, g, low, high));
    });
  });
  return out;
}

namespace {
/// Gap k of segment `segment` of row `row` (randomUniformCsr): the number of
/// elements skipped before the next one stored, as a double (it may exceed
/// any row). The counter is (k, segment, row) with the top bit set: apart
/// from the elements' counters, which stay below 2^63. A matrix has fewer
/// than 2^63 elements, so a row index or a segment index, not both, may
/// need more than 32 bits: their high words share the last one.
double positionGap(uint64_t seed, uint64_t row, uint64_t segment, uint64_t k,
                   double logKeep) {
  PhiloxBlock w = philox4x32_10(
      {static_cast<uint32_t>(k), static_cast<uint32_t>(segment),
       static_cast<uint32_t>(row),
       static_cast<uint32_t>((row >> 32) | (segment >> 32)) | 0x80000000u},
      {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)});
  double u = static_cast<double>((join64(w[0], w[1]) >> 11) + 1) * 0x1.0p-53;
  // density 1: log(1 - 1) is -inf and every gap is 0.
  return std::floor(std::log(u) / logKeep);
}

/// The columns of a row's segments: a power of two of at least 4096 and at
/// least 1 / density, so that a segment expects at least one element and a
/// box skips less than a segment before its first column.
int64_t segmentColumns(double density) {
  int64_t columns = int64_t(1) << 12;
  while (columns < (int64_t(1) << 62) && columns * density < 1)
    columns <<= 1;
  return columns;
}

/// The box of a random sparse matrix, its values value(g) (the element at
/// global flat index g) in T. Each row is cut into segments of
/// segmentColumns: the stored positions of a segment are the partial sums
/// of 1 + gap from its first column, so a box draws the gaps of the
/// segments it overlaps, not those of the row before it. (Geometric gaps
/// forget where they started: every element is stored with probability
/// `density`, independently.)
template <typename T, typename F>
NDArray randomCsr(DType dtype, const Shape &shape, uint64_t seed,
                  double density, ArrayRef<int64_t> global,
                  ArrayRef<int64_t> origin, F &&value) {
  const int64_t rows = shape[0], cols = shape[1];
  const int64_t colLo = origin[1], colHi = colLo + cols, width = global[1];
  std::vector<int64_t> indptr(static_cast<size_t>(rows) + 1, 0), columns;
  if (density > 0 && cols > 0) {
    const double logKeep = std::log1p(-density);
    const int64_t segment = segmentColumns(density);
    for (int64_t r = 0; r < rows; ++r) {
      const uint64_t row = static_cast<uint64_t>(origin[0] + r);
      for (int64_t s = colLo / segment; s * segment < colHi; ++s) {
        const int64_t first = s * segment;
        const int64_t end = std::min(width, first + segment);
        int64_t at = first - 1;
        for (uint64_t k = 0;; ++k) {
          double gap = positionGap(seed, row, static_cast<uint64_t>(s), k,
                                   logKeep);
          if (!(gap < static_cast<double>(end - at - 1)))
            break;
          at += 1 + static_cast<int64_t>(gap);
          if (at >= colHi)
            break;
          if (at >= colLo)
            columns.push_back(at - colLo);
        }
      }
      indptr[r + 1] = static_cast<int64_t>(columns.size());
    }
  }
  const int64_t nnz = static_cast<int64_t>(columns.size());
  NDArray out = NDArray::csr(dtype, shape, nnz);
  std::copy(indptr.begin(), indptr.end(), out.indptr());
  std::copy(columns.begin(), columns.end(), out.indices());
  T *val = out.values<T>();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = indptr[r]; j < indptr[r + 1]; ++j)
      val[j] = value((origin[0] + r) * width + colLo + columns[j]);
  return out;
}
} // namespace

int64_t binomialBound(int64_t trials, double p) {
  if (trials <= 0 || p <= 0)
    return 0;
  if (p >= 1)
    return trials;
  // Bernstein: P(X - np >= t) <= exp(-t^2 / (2 (np(1-p) + t/3))), which is
  // e^-L at t = L/3 + sqrt(L^2/9 + 2 np(1-p) L); e^-45 < 10^-19.
  constexpr double L = 45;
  const double n = static_cast<double>(trials);
  const double t = L / 3 + std::sqrt(L * L / 9 + 2 * n * p * (1 - p) * L);
  const double bound = std::ceil(n * p + t);
  return bound >= n ? trials : static_cast<int64_t>(bound);
}

NDArray randomUniformCsr(DType dtype, Shape shape, uint64_t seed, double low,
                         double high, double density, ArrayRef<int64_t> global,
                         ArrayRef<int64_t> origin) {
  if (dtype == DType::F32)
    return randomCsr<float>(dtype, shape, seed, density, global, origin,
                            [&](int64_t g) {
                              return uniformF32(seed, g, low, high);
                            });
  return randomCsr<double>(dtype, shape, seed, density, global, origin,
                           [&](int64_t g) {
                             return uniformF64(seed, g, low, high);
                           });
}

NDArray randomNormalCsr(DType dtype, Shape shape, uint64_t seed, double loc,
                        double scale, double density, ArrayRef<int64_t> global,
                        ArrayRef<int64_t> origin) {
  return visitDType(dtype, [&](auto tag) {
    using T = decltype(tag);
    return randomCsr<T>(dtype, shape, seed, density, global, origin,
                        [&](int64_t g) {
                          return castScalar<T>(normalF64(seed, g, loc, scale));
                        });
  });
}

NDArray randomIntegersCsr(DType dtype, Shape shape, uint64_t seed,
                          int64_t low, int64_t high, double density,
                          ArrayRef<int64_t> global, ArrayRef<int64_t> origin) {
  return visitDType(dtype, [&](auto tag) {
    using T = decltype(tag);
    return randomCsr<T>(dtype, shape, seed, density, global, origin,
                        [&](int64_t g) {
                          return static_cast<T>(
                              integerInRange(seed, g, low, high));
                        });
  });
}

void copyBox(const NDArray &src, ArrayRef<int64_t> srcLo, NDArray &dst,
             ArrayRef<int64_t> dstLo, ArrayRef<int64_t> sizes) {
  const int64_t rank = sizes.size();
  if (numElements(sizes) == 0)
    return;
  const size_t elt = dtypeSize(src.dtype());
  if (rank == 0) {
    std::memcpy(dst.bytes(), src.bytes(), elt);
    return;
  }
  Shape ss = contiguousStrides(src.shape()), ds = contiguousStrides(dst.shape());
  // Copy rows along the last dimension; iterate over the others.
  const size_t rowBytes = sizes[rank - 1] * elt;
  Shape idx(rank - 1, 0);
  while (true) {
    int64_t so = srcLo[rank - 1], dof = dstLo[rank - 1];
    for (int64_t d = 0; d < rank - 1; ++d) {
      so += (srcLo[d] + idx[d]) * ss[d];
      dof += (dstLo[d] + idx[d]) * ds[d];
    }
    std::memcpy(dst.bytes() + dof * elt, src.bytes() + so * elt, rowBytes);
    int64_t d = rank - 2;
    for (; d >= 0; --d) {
      if (++idx[d] < sizes[d])
        break;
      idx[d] = 0;
    }
    if (d < 0)
      break;
  }
}


} // namespace mars::numeric
