//===- Sparse.cpp - Kernels of compressed-sparse-rows matrices ------------===//

#include "mars/Numeric/Sparse.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <cassert>
#include <type_traits>

using namespace mars;
using namespace mars::numeric;

namespace {
template <typename T>
bool isZero(T v) {
  if constexpr (std::is_same_v<T, bool>)
    return !v;
  else
    return v == T(0);
}
} // namespace

bool numeric::csrIsValid(const NDArray &csr) {
  if (!csr.isSparse() || csr.rank() != 2 || csr.nnz() < 0)
    return false;
  const int64_t rows = csr.shape()[0], cols = csr.shape()[1];
  const int64_t *ptr = csr.indptr(), *idx = csr.indices();
  if (ptr[0] != 0 || ptr[rows] != csr.nnz())
    return false;
  for (int64_t r = 0; r < rows; ++r)
    if (ptr[r + 1] < ptr[r] || ptr[r + 1] > csr.nnz())
      return false;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = ptr[r]; j < ptr[r + 1]; ++j)
      if (idx[j] < 0 || idx[j] >= cols || (j > ptr[r] && idx[j] <= idx[j - 1]))
        return false;
  return true;
}

NDArray numeric::toCsr(const NDArray &dense) {
  assert(dense.rank() == 2 && !dense.isSparse() && "toCsr takes a dense matrix");
  const int64_t rows = dense.shape()[0], cols = dense.shape()[1];
  return visitDType(dense.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *d = dense.data<T>();
    int64_t nnz = 0;
    for (int64_t i = 0, n = rows * cols; i < n; ++i)
      nnz += !isZero(d[i]);
    NDArray out = NDArray::csr(dense.dtype(), dense.shape(), nnz);
    int64_t *ptr = out.indptr(), *idx = out.indices();
    T *val = out.values<T>();
    int64_t at = 0;
    ptr[0] = 0;
    for (int64_t r = 0; r < rows; ++r) {
      const T *row = d + r * cols;
      for (int64_t c = 0; c < cols; ++c)
        if (!isZero(row[c])) {
          idx[at] = c;
          val[at++] = row[c];
        }
      ptr[r + 1] = at;
    }
    return out;
  });
}

NDArray numeric::toDense(const NDArray &csr) {
  assert(csr.isSparse() && "toDense takes a CSR matrix");
  NDArray out(csr.dtype(), csr.shape());
  const int64_t rows = csr.shape()[0], cols = csr.shape()[1];
  visitDType(csr.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const int64_t *ptr = csr.indptr(), *idx = csr.indices();
    const T *val = csr.values<T>();
    T *o = out.data<T>();
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = ptr[r]; j < ptr[r + 1]; ++j)
        o[r * cols + idx[j]] = val[j];
  });
  return out;
}

namespace {
/// The CSR array of `shape` whose row i holds the elements of `csr`'s row
/// rowOf(i) in its stored range rangeOf(r) for which columnOf(column) is
/// not negative and that `keep` (given the element's position) keeps, at
/// that column; `reversed`: columnOf decreases with the column, so each row
/// is reversed to keep columns increasing.
template <typename RowOf, typename RangeOf, typename ColumnOf,
          typename Keep = bool (*)(int64_t)>
NDArray selectCsr(const NDArray &csr, Shape shape, RowOf rowOf,
                  RangeOf rangeOf, ColumnOf columnOf, bool reversed,
                  Keep keep = [](int64_t) { return true; }) {
  const int64_t *idx = csr.indices();
  const int64_t rows = shape[0];
  int64_t nnz = 0;
  for (int64_t i = 0; i < rows; ++i) {
    auto [b, e] = rangeOf(rowOf(i));
    for (int64_t j = b; j < e; ++j)
      nnz += columnOf(idx[j]) >= 0 && keep(j);
  }
  NDArray out = NDArray::csr(csr.dtype(), std::move(shape), nnz);
  visitDType(csr.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *val = csr.values<T>();
    int64_t *optr = out.indptr(), *oidx = out.indices();
    T *oval = out.values<T>();
    int64_t at = 0;
    for (int64_t i = 0; i < rows; ++i) {
      auto [b, e] = rangeOf(rowOf(i));
      int64_t first = at;
      for (int64_t j = b; j < e; ++j)
        if (int64_t k = columnOf(idx[j]); k >= 0 && keep(j)) {
          oidx[at] = k;
          oval[at++] = val[j];
        }
      if (reversed) {
        std::reverse(oidx + first, oidx + at);
        std::reverse(oval + first, oval + at);
      }
      optr[i + 1] = at;
    }
  });
  return out;
}
} // namespace

int64_t numeric::csrStoredIn(const NDArray &csr, int64_t rowLo,
                             int64_t rowHi, int64_t colLo, int64_t colHi) {
  assert(csr.isSparse() && 0 <= rowLo && rowLo <= rowHi &&
         rowHi <= csr.shape()[0] && 0 <= colLo && colLo <= colHi &&
         colHi <= csr.shape()[1] && "csrStoredIn: a region of the matrix");
  const int64_t *ptr = csr.indptr(), *idx = csr.indices();
  if (colLo == 0 && colHi == csr.shape()[1])
    return ptr[rowHi] - ptr[rowLo];
  int64_t count = 0;
  for (int64_t r = rowLo; r < rowHi; ++r) {
    const int64_t *b = std::lower_bound(idx + ptr[r], idx + ptr[r + 1], colLo);
    count += std::lower_bound(b, idx + ptr[r + 1], colHi) - b;
  }
  return count;
}

NDArray numeric::cropCsr(const NDArray &csr, int64_t rowLo, int64_t rowHi,
                         int64_t colLo, int64_t colHi) {
  assert(csr.isSparse() && 0 <= rowLo && rowLo <= rowHi &&
         rowHi <= csr.shape()[0] && 0 <= colLo && colLo <= colHi &&
         colHi <= csr.shape()[1] && "cropCsr: a region of the matrix");
  const int64_t *ptr = csr.indptr(), *idx = csr.indices();
  const bool allColumns = colLo == 0 && colHi == csr.shape()[1];
  // Per row, the stored range of columns [colLo, colHi), found by binary
  // search: every element in it is kept.
  auto rangeOf = [&](int64_t r) {
    int64_t b = ptr[r], e = ptr[r + 1];
    if (!allColumns) {
      b = std::lower_bound(idx + b, idx + e, colLo) - idx;
      e = std::lower_bound(idx + b, idx + e, colHi) - idx;
    }
    return std::pair<int64_t, int64_t>(b, e);
  };
  return selectCsr(
      csr, {rowHi - rowLo, colHi - colLo},
      [&](int64_t i) { return rowLo + i; }, rangeOf,
      [&](int64_t c) { return c - colLo; }, /*reversed=*/false);
}

NDArray numeric::csrBand(const NDArray &csr, int64_t rowOrigin,
                         int64_t colOrigin, int64_t lower, int64_t upper) {
  assert(csr.isSparse() && "csrBand takes a CSR matrix");
  const int64_t *ptr = csr.indptr(), *idx = csr.indices();
  const int64_t cols = csr.shape()[1];
  // Row r keeps the local columns [r + rowOrigin + lower - colOrigin,
  // r + rowOrigin + upper - colOrigin], found by binary search.
  auto rangeOf = [&](int64_t r) {
    const int64_t diagonal = r + rowOrigin - colOrigin;
    const int64_t lo = std::clamp<int64_t>(diagonal + lower, 0, cols);
    const int64_t hi = std::clamp<int64_t>(diagonal + upper + 1, 0, cols);
    int64_t b = ptr[r], e = ptr[r + 1];
    if (lo >= hi)
      return std::pair<int64_t, int64_t>(b, b);
    b = std::lower_bound(idx + b, idx + e, lo) - idx;
    e = std::lower_bound(idx + b, idx + e, hi) - idx;
    return std::pair<int64_t, int64_t>(b, e);
  };
  return selectCsr(
      csr, csr.shape(), [](int64_t i) { return i; }, rangeOf,
      [](int64_t c) { return c; }, /*reversed=*/false);
}

NDArray numeric::assembleCsr(DType dtype, Shape shape,
                             llvm::ArrayRef<CsrBlock> blocks) {
  assert(shape.size() == 2 && "assembleCsr makes a matrix");
  const int64_t rows = shape[0];
  // Per row of the result, its blocks ordered by column.
  std::vector<const CsrBlock *> order;
  order.reserve(blocks.size());
  for (const CsrBlock &b : blocks) {
    assert(b.block->isSparse() && b.block->dtype() == dtype &&
           "assembleCsr takes CSR blocks of the result's dtype");
    order.push_back(&b);
  }
  std::sort(order.begin(), order.end(), [](const CsrBlock *x, const CsrBlock *y) {
    return x->col < y->col;
  });
  std::vector<int64_t> counts(rows + 1, 0);
  for (const CsrBlock *b : order) {
    const int64_t *ptr = b->block->indptr();
    for (int64_t r = 0, n = b->block->shape()[0]; r < n; ++r)
      counts[b->row + r + 1] += ptr[r + 1] - ptr[r];
  }
  for (int64_t r = 0; r < rows; ++r)
    counts[r + 1] += counts[r];
  NDArray out = NDArray::csr(dtype, std::move(shape), counts[rows]);
  std::copy(counts.begin(), counts.end(), out.indptr());
  visitDType(dtype, [&](auto tag) {
    using T = decltype(tag);
    int64_t *oidx = out.indices();
    T *oval = out.values<T>();
    // counts[r]: where row r's next element goes. Blocks in column order
    // keep each row's columns increasing.
    for (const CsrBlock *b : order) {
      const int64_t *ptr = b->block->indptr(), *idx = b->block->indices();
      const T *val = b->block->values<T>();
      for (int64_t r = 0, n = b->block->shape()[0]; r < n; ++r)
        for (int64_t j = ptr[r]; j < ptr[r + 1]; ++j) {
          int64_t &at = counts[b->row + r];
          oidx[at] = idx[j] + b->col;
          oval[at++] = val[j];
        }
    }
  });
  return out;
}

NDArray numeric::eyeCsr(DType dtype, int64_t rows, int64_t cols, int64_t k,
                        int64_t rowLo, int64_t colLo) {
  // Row r (global rowLo + r) has its one at global column rowLo + r + k.
  auto columnOf = [&](int64_t r) { return rowLo + r + k - colLo; };
  int64_t nnz = 0;
  for (int64_t r = 0; r < rows; ++r)
    nnz += columnOf(r) >= 0 && columnOf(r) < cols;
  NDArray out = NDArray::csr(dtype, {rows, cols}, nnz);
  int64_t *ptr = out.indptr(), *idx = out.indices();
  visitDType(dtype, [&](auto tag) {
    using T = decltype(tag);
    T *val = out.values<T>();
    int64_t at = 0;
    ptr[0] = 0;
    for (int64_t r = 0; r < rows; ++r) {
      int64_t c = columnOf(r);
      if (c >= 0 && c < cols) {
        idx[at] = c;
        val[at++] = T(1);
      }
      ptr[r + 1] = at;
    }
  });
  return out;
}

NDArray numeric::csrMatmul(const NDArray &a, const NDArray &b) {
  return csrMatmulWindow(a, 0, a.shape()[0], 0, a.shape()[1], b);
}

namespace {
/// y += v * x, numpy's way for T (bool: or of ands; integers wrap).
template <typename T>
inline void multiplyAdd(T &y, T v, T x) {
  if constexpr (std::is_same_v<T, bool>)
    y = y || (v && x);
  else if constexpr (std::is_integral_v<T>)
    // In uint64_t: no signed or promoted-int overflow.
    y = static_cast<T>(static_cast<uint64_t>(y) +
                       static_cast<uint64_t>(v) * static_cast<uint64_t>(x));
  else
    y += v * x;
}
} // namespace

NDArray numeric::csrMatmulWindow(const NDArray &a, int64_t rowLo,
                                 int64_t rowHi, int64_t colLo, int64_t colHi,
                                 const NDArray &b) {
  assert(a.isSparse() && !b.isSparse() && a.dtype() == b.dtype() &&
         (b.rank() == 1 || b.rank() == 2) && b.shape()[0] == colHi - colLo &&
         0 <= rowLo && rowLo <= rowHi && rowHi <= a.shape()[0] &&
         0 <= colLo && colLo <= colHi && colHi <= a.shape()[1] &&
         "csrMatmulWindow: a CSR region (m x k) times dense (k or k x n)");
  const int64_t m = rowHi - rowLo;
  const int64_t n = b.rank() == 2 ? b.shape()[1] : 1;
  Shape shape = b.rank() == 2 ? Shape{m, n} : Shape{m};
  NDArray out(a.dtype(), std::move(shape));
  const bool allColumns = colLo == 0 && colHi == a.shape()[1];
  visitDType(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const int64_t *ptr = a.indptr(), *idx = a.indices();
    const T *val = a.values<T>();
    const T *x = b.data<T>();
    T *y = out.data<T>();
    for (int64_t r = 0; r < m; ++r) {
      int64_t begin = ptr[rowLo + r], end = ptr[rowLo + r + 1];
      if (!allColumns) {
        begin = std::lower_bound(idx + begin, idx + end, colLo) - idx;
        end = std::lower_bound(idx + begin, idx + end, colHi) - idx;
      }
      if (n == 1) {
        // SpMV: one running sum per row, in the order of the columns.
        T acc = T(0);
        for (int64_t j = begin; j < end; ++j)
          multiplyAdd(acc, val[j], x[idx[j] - colLo]);
        y[r] = acc;
        continue;
      }
      T *yr = y + r * n;
      for (int64_t j = begin; j < end; ++j) {
        const T v = val[j];
        const T *xr = x + (idx[j] - colLo) * n;
        for (int64_t c = 0; c < n; ++c)
          multiplyAdd(yr[c], v, xr[c]);
      }
    }
  });
  return out;
}

NDArray numeric::csrValues(const NDArray &csr) {
  assert(csr.isSparse() && "csrValues takes a CSR array");
  const int64_t nnz = csr.nnz();
  NDArray out(csr.dtype(), {nnz}, NDArray::uninitialized);
  if (nnz)
    std::memcpy(out.bytes(), csr.indices() + nnz,
                static_cast<size_t>(nnz) * dtypeSize(csr.dtype()));
  return out;
}

NDArray numeric::csrWithValues(const NDArray &structure,
                               const NDArray &values) {
  assert(structure.isSparse() && values.rank() == 1 &&
         values.size() == structure.nnz() &&
         "csrWithValues: one value per stored element");
  const int64_t rows = structure.shape()[0], nnz = structure.nnz();
  NDArray out = NDArray::csr(values.dtype(), structure.shape(), nnz);
  std::memcpy(out.indptr(), structure.indptr(),
              static_cast<size_t>(rows + 1 + nnz) * sizeof(int64_t));
  if (nnz)
    std::memcpy(out.indices() + nnz, values.bytes(),
                static_cast<size_t>(nnz) * dtypeSize(values.dtype()));
  return out;
}

NDArray numeric::csrTranspose(const NDArray &csr) {
  assert(csr.isSparse() && "csrTranspose takes a CSR array");
  const int64_t rows = csr.shape()[0], cols = csr.shape()[1];
  const int64_t nnz = csr.nnz();
  NDArray out = NDArray::csr(csr.dtype(), {cols, rows}, nnz);
  const int64_t *ptr = csr.indptr(), *idx = csr.indices();
  int64_t *optr = out.indptr(), *oidx = out.indices();
  // Counting sort by column: rows visited in order keep each new row's
  // columns (the old rows) increasing.
  std::fill(optr, optr + cols + 1, 0);
  for (int64_t j = 0; j < nnz; ++j)
    ++optr[idx[j] + 1];
  for (int64_t c = 0; c < cols; ++c)
    optr[c + 1] += optr[c];
  std::vector<int64_t> next(optr, optr + cols);
  visitDType(csr.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *val = csr.values<T>();
    T *oval = out.values<T>();
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = ptr[r]; j < ptr[r + 1]; ++j) {
        int64_t &at = next[idx[j]];
        oidx[at] = r;
        oval[at++] = val[j];
      }
  });
  return out;
}

NDArray numeric::csrSlice(const NDArray &csr, const SliceDim &rows,
                          const SliceDim &columns) {
  assert(csr.isSparse() && "csrSlice takes a CSR array");
  if (rows.step == 1 && columns.step == 1)
    return cropCsr(csr, rows.start, rows.start + rows.count, columns.start,
                   columns.start + columns.count);
  const int64_t *ptr = csr.indptr();
  // Output column of input column c, or -1 when the slice skips it.
  auto columnOf = [&](int64_t c) -> int64_t {
    int64_t d = c - columns.start;
    if (d % columns.step)
      return -1;
    int64_t k = d / columns.step;
    return k >= 0 && k < columns.count ? k : -1;
  };
  return selectCsr(
      csr, {rows.count, columns.count},
      [&](int64_t i) { return rows.start + i * rows.step; },
      [&](int64_t r) { return std::pair<int64_t, int64_t>(ptr[r], ptr[r + 1]); },
      columnOf, /*reversed=*/columns.step < 0);
}

NDArray numeric::csrUnion(llvm::ArrayRef<const NDArray *> csrs) {
  assert(!csrs.empty() && "csrUnion of no arrays");
  const NDArray &first = *csrs.front();
  const int64_t rows = first.shape()[0];
  // Per row, the merged columns of every array (each sorted and unique).
  std::vector<int64_t> columns, merged;
  std::vector<int64_t> indptr(rows + 1, 0);
  for (int64_t r = 0; r < rows; ++r) {
    merged.clear();
    for (const NDArray *a : csrs) {
      assert(a->isSparse() && a->shape() == first.shape() &&
             "csrUnion takes CSR arrays of one shape");
      const int64_t *ptr = a->indptr(), *idx = a->indices();
      size_t mid = merged.size();
      merged.insert(merged.end(), idx + ptr[r], idx + ptr[r + 1]);
      std::inplace_merge(merged.begin(), merged.begin() + mid, merged.end());
    }
    merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
    columns.insert(columns.end(), merged.begin(), merged.end());
    indptr[r + 1] = static_cast<int64_t>(columns.size());
  }
  NDArray out = NDArray::csr(first.dtype(), first.shape(),
                             static_cast<int64_t>(columns.size()));
  std::copy(indptr.begin(), indptr.end(), out.indptr());
  std::copy(columns.begin(), columns.end(), out.indices());
  std::memset(out.indices() + columns.size(), 0,
              columns.size() * dtypeSize(first.dtype()));
  return out;
}

NDArray numeric::csrValuesOn(const NDArray &structure, const NDArray &csr) {
  assert(structure.isSparse() && csr.isSparse() &&
         structure.shape() == csr.shape() && "csrValuesOn: CSR of one shape");
  NDArray out(csr.dtype(), {structure.nnz()});
  const int64_t *sptr = structure.indptr(), *sidx = structure.indices();
  const int64_t *ptr = csr.indptr(), *idx = csr.indices();
  visitDType(csr.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *val = csr.values<T>();
    T *o = out.data<T>();
    for (int64_t r = 0, rows = csr.shape()[0]; r < rows; ++r) {
      int64_t at = sptr[r];
      for (int64_t j = ptr[r]; j < ptr[r + 1]; ++j) {
        while (sidx[at] < idx[j])
          ++at;
        assert(sidx[at] == idx[j] && "an element outside the structure");
        o[at] = val[j];
      }
    }
  });
  return out;
}

NDArray numeric::csrGather(const NDArray &structure, const NDArray &dense) {
  assert(structure.isSparse() && !dense.isSparse() && dense.rank() <= 2 &&
         "csrGather: a CSR structure and a dense array of rank 2 at most");
  const int64_t rows = structure.shape()[0];
  [[maybe_unused]] const int64_t cols = structure.shape()[1];
  // Broadcasting: a missing or size-1 dimension repeats its one element.
  int64_t denseRows = dense.rank() == 2 ? dense.shape()[0] : 1;
  int64_t denseCols = dense.rank() >= 1 ? dense.shape()[dense.rank() - 1] : 1;
  assert((denseRows == 1 || denseRows == rows) &&
         (denseCols == 1 || denseCols == cols) &&
         "csrGather: the dense array broadcasts to the structure");
  const int64_t rowStride = denseRows == 1 ? 0 : denseCols;
  const int64_t colStride = denseCols == 1 ? 0 : 1;
  NDArray out(dense.dtype(), {structure.nnz()}, NDArray::uninitialized);
  const int64_t *ptr = structure.indptr(), *idx = structure.indices();
  visitDType(dense.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *d = dense.data<T>();
    T *o = out.data<T>();
    for (int64_t r = 0; r < rows; ++r) {
      const T *row = d + r * rowStride;
      for (int64_t j = ptr[r]; j < ptr[r + 1]; ++j)
        o[j] = row[idx[j] * colStride];
    }
  });
  return out;
}

void numeric::copyElement(const NDArray &array, int64_t flat, uint8_t *out) {
  const size_t elt = dtypeSize(array.dtype());
  if (!array.isSparse()) {
    std::memcpy(out, array.bytes() + flat * elt, elt);
    return;
  }
  const int64_t cols = array.shape()[1];
  const int64_t row = flat / cols, col = flat % cols;
  const int64_t *ptr = array.indptr(), *idx = array.indices();
  const int64_t *end = idx + ptr[row + 1];
  const int64_t *at = std::lower_bound(idx + ptr[row], end, col);
  if (at == end || *at != col) {
    std::memset(out, 0, elt);
    return;
  }
  const uint8_t *values = reinterpret_cast<const uint8_t *>(idx + array.nnz());
  std::memcpy(out, values + (at - idx) * elt, elt);
}

NDArray numeric::csrDropZeros(const NDArray &csr) {
  assert(csr.isSparse() && "csrDropZeros takes a CSR array");
  return visitDType(csr.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *val = csr.values<T>();
    const int64_t *ptr = csr.indptr();
    return selectCsr(
        csr, csr.shape(), [](int64_t i) { return i; },
        [&](int64_t r) {
          return std::pair<int64_t, int64_t>(ptr[r], ptr[r + 1]);
        },
        [](int64_t c) { return c; }, /*reversed=*/false, [&](int64_t j) {
          return !isZero(val[j]);
        });
  });
}

NDArray numeric::csrMatmulCsr(const NDArray &a, int64_t rowLo, int64_t rowHi,
                              int64_t colLo, int64_t colHi, const NDArray &b) {
  assert(a.isSparse() && b.isSparse() && a.dtype() == b.dtype() &&
         b.shape()[0] == colHi - colLo &&
         "csrMatmulCsr: a CSR region (m x k) times CSR (k x n)");
  const int64_t m = rowHi - rowLo, n = b.shape()[1];
  const int64_t *aptr = a.indptr(), *aidx = a.indices();
  const int64_t *bptr = b.indptr(), *bidx = b.indices();
  const bool allColumns = colLo == 0 && colHi == a.shape()[1];
  auto rangeOf = [&](int64_t r) {
    int64_t begin = aptr[rowLo + r], end = aptr[rowLo + r + 1];
    if (!allColumns) {
      begin = std::lower_bound(aidx + begin, aidx + end, colLo) - aidx;
      end = std::lower_bound(aidx + begin, aidx + end, colHi) - aidx;
    }
    return std::pair<int64_t, int64_t>(begin, end);
  };
  // Symbolic pass: each row's columns (marked per row), their count.
  std::vector<int64_t> mark(n, -1), indptr(m + 1, 0);
  for (int64_t r = 0; r < m; ++r) {
    auto [begin, end] = rangeOf(r);
    int64_t count = 0;
    for (int64_t j = begin; j < end; ++j) {
      int64_t k = aidx[j] - colLo;
      for (int64_t q = bptr[k]; q < bptr[k + 1]; ++q)
        if (mark[bidx[q]] != r) {
          mark[bidx[q]] = r;
          ++count;
        }
    }
    indptr[r + 1] = indptr[r] + count;
  }
  NDArray out = NDArray::csr(a.dtype(), {m, n}, indptr[m]);
  std::copy(indptr.begin(), indptr.end(), out.indptr());
  int64_t *oidx = out.indices();
  visitDType(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *aval = a.values<T>(), *bval = b.values<T>();
    T *oval = out.values<T>();
    std::unique_ptr<T[]> acc(new T[n]()); // Not vector<bool>'s proxies.
    std::fill(mark.begin(), mark.end(), -1);
    for (int64_t r = 0; r < m; ++r) {
      auto [begin, end] = rangeOf(r);
      int64_t at = indptr[r];
      for (int64_t j = begin; j < end; ++j) {
        int64_t k = aidx[j] - colLo;
        for (int64_t q = bptr[k]; q < bptr[k + 1]; ++q) {
          int64_t c = bidx[q];
          if (mark[c] != r) {
            mark[c] = r;
            oidx[at++] = c;
            acc[c] = T(0);
          }
          multiplyAdd(acc[c], aval[j], bval[q]);
        }
      }
      std::sort(oidx + indptr[r], oidx + at);
      for (int64_t q = indptr[r]; q < at; ++q)
        oval[q] = acc[oidx[q]];
    }
  });
  return csrDropZeros(out);
}

NDArray numeric::csrAdd(const NDArray &a, const NDArray &b) {
  const NDArray *both[] = {&a, &b};
  NDArray structure = csrUnion(both);
  // numpy's add of the values on the union (wrapping integers).
  return csrWithValues(
      structure, *binary(BinaryFn::Add, csrValuesOn(structure, a),
                         csrValuesOn(structure, b), a.dtype()));
}
