//===- Blas.h - Matrix products through OpenBLAS ------------------*- C++ -*-===//

#ifndef MARS_RUNTIME_BLAS_H
#define MARS_RUNTIME_BLAS_H

#include "mars/Numeric/NDArray.h"

namespace mars {

/// A row-major matrix in memory: element (i, j) of the stored matrix is at
/// data[i * ld + j]; `transposed` means the operand is its transpose.
struct MatrixView {
  const void *data;
  int64_t rows, cols, ld;
  bool transposed;
};

/// c (m x n, row-major, leading dimension ldc) += op(a) * op(b), with
/// cblas_dgemm / cblas_sgemm. `dtype` is F32 or F64.
void gemmAccumulate(numeric::DType dtype, const MatrixView &a,
                    const MatrixView &b, void *c, int64_t ldc);

} // namespace mars

#endif // MARS_RUNTIME_BLAS_H
