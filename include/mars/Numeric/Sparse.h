//===- Sparse.h - Kernels of compressed-sparse-rows matrices ----*- C++ -*-===//
//
// The reference kernels of sparse matrices (NDArray's Format::CSR, scipy's
// csr_matrix layout): conversions to and from dense storage, the region of a
// matrix and the matrix of regions (how the engines crop and assemble
// chunks), the sparse ones of eye, and the sparse-times-dense product.
// Columns are increasing within each row of every CSR array they make, and
// they keep every element they are given (explicit zeros included) except
// toCsr, which drops zeros as scipy's csr_matrix(dense) does.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_NUMERIC_SPARSE_H
#define MARS_NUMERIC_SPARSE_H

#include "mars/Numeric/Kernels.h"

namespace mars::numeric {

/// Whether a CSR array is well formed: row pointers from 0 to nnz, never
/// decreasing, and each row's columns in range and increasing (what every
/// kernel here assumes of its operands; checked on arrays from elsewhere).
bool csrIsValid(const NDArray &csr);

/// The elements of a dense 2-D array that are not zero (NaN is kept, -0.0
/// is zero), as CSR.
NDArray toCsr(const NDArray &dense);
/// A CSR array with every element stored.
NDArray toDense(const NDArray &csr);

/// The stored elements (i, j) of a CSR array whose diagonal in the whole
/// matrix, (colOrigin + j) - (rowOrigin + i), is in [lower, upper], as a CSR
/// array of the same shape; the array is the block of the matrix at
/// (rowOrigin, colOrigin). |lower|, |upper| and the
/// origins are at most the matrix's extents (no overflow).
NDArray csrBand(const NDArray &csr, int64_t rowOrigin, int64_t colOrigin,
                int64_t lower, int64_t upper);

/// How many elements `csr` stores in rows [rowLo, rowHi) and columns
/// [colLo, colHi): the row pointers' difference for whole rows, else a
/// binary search per row.
int64_t csrStoredIn(const NDArray &csr, int64_t rowLo, int64_t rowHi,
                    int64_t colLo, int64_t colHi);
/// The rows [rowLo, rowHi) and columns [colLo, colHi) of a CSR array.
NDArray cropCsr(const NDArray &csr, int64_t rowLo, int64_t rowHi,
                int64_t colLo, int64_t colHi);

/// One block of a matrix assembled by assembleCsr: a CSR array whose
/// element (0, 0) is the matrix's (row, col).
struct CsrBlock {
  const NDArray *block;
  int64_t row, col;
};
/// The `shape` matrix made of `blocks`, which cover it without overlap.
NDArray assembleCsr(DType dtype, Shape shape, llvm::ArrayRef<CsrBlock> blocks);

/// Rows [rowLo, rowLo + rows) and columns [colLo, colLo + cols) of the
/// matrix with ones where column - row == k, as CSR.
NDArray eyeCsr(DType dtype, int64_t rows, int64_t cols, int64_t k,
               int64_t rowLo, int64_t colLo);

/// The rows [rowLo, rowHi) and columns [colLo, colHi) of `a` (CSR) times
/// `b` (CSR, colHi - colLo rows): the CSR product (Gustavson's row by row,
/// each row's columns increasing; sums that cancel to zero are not stored,
/// as scipy's).
NDArray csrMatmulCsr(const NDArray &a, int64_t rowLo, int64_t rowHi,
                     int64_t colLo, int64_t colHi, const NDArray &b);
/// a + b of two CSR arrays of one shape, over the union of their elements.
NDArray csrAdd(const NDArray &a, const NDArray &b);

/// The stored elements of a CSR array, as a 1-D dense array.
NDArray csrValues(const NDArray &csr);
/// A CSR array with `structure`'s rows and columns and `values` (1-D, one
/// per stored element, of the result's dtype) as its elements.
NDArray csrWithValues(const NDArray &structure, const NDArray &values);
/// rows[i], columns[j] of a CSR array: numpy's basic slice with one
/// (start, step, count) per dimension (steps may be negative), as CSR.
NDArray csrSlice(const NDArray &csr, const SliceDim &rows,
                 const SliceDim &columns);
/// A CSR array holding an element (zero) wherever any of `csrs` (CSR
/// arrays of one shape, the first one's dtype) stores one.
NDArray csrUnion(llvm::ArrayRef<const NDArray *> csrs);
/// The elements of `csr` at `structure`'s stored positions, zero where
/// `csr` stores none, as a 1-D dense array (`csr` stores nothing outside
/// `structure`).
NDArray csrValuesOn(const NDArray &structure, const NDArray &csr);
/// The elements of `dense` (rank 0 to 2, broadcasting to `structure`'s
/// shape as numpy broadcasts) at `structure`'s stored positions, as a 1-D
/// array of `dense`'s dtype.
NDArray csrGather(const NDArray &structure, const NDArray &dense);
/// Copies element `flat` (in C order) of `array`, dense or CSR (zero where
/// it stores none), to `out` (dtypeSize bytes).
void copyElement(const NDArray &array, int64_t flat, uint8_t *out);
/// A CSR array without its stored zeros (NaN is not zero).
NDArray csrDropZeros(const NDArray &csr);
/// The transpose of a CSR array, as CSR.
NDArray csrTranspose(const NDArray &csr);

/// `a` (CSR, m x k) times `b` (dense, k or k x n): the dense m or m x n
/// product, summed in order of increasing column of `a` (as scipy does).
NDArray csrMatmul(const NDArray &a, const NDArray &b);
/// The rows [rowLo, rowHi) and columns [colLo, colHi) of `a` (CSR) times
/// `b` (dense, colHi - colLo rows): csrMatmul of that region, read in
/// place.
NDArray csrMatmulWindow(const NDArray &a, int64_t rowLo, int64_t rowHi,
                        int64_t colLo, int64_t colHi, const NDArray &b);

} // namespace mars::numeric

#endif // MARS_NUMERIC_SPARSE_H
