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

/// Whether op(a) * op(b) is op(a) * op(a)^T: the same stored matrix, once
/// transposed (a symmetric product, which syrkAccumulate computes).
bool isGramProduct(const MatrixView &a, const MatrixView &b);

/// The upper triangle of c (n x n) += op(a) * op(a)^T with cblas_dsyrk /
/// cblas_ssyrk: half of gemm's flops. The lower triangle is not touched
/// (mirrorUpper fills it once every step is in).
void syrkAccumulate(numeric::DType dtype, const MatrixView &a, void *c,
                    int64_t ldc);

/// Copies the upper triangle of c (n x n) onto its lower triangle.
void mirrorUpper(numeric::DType dtype, void *c, int64_t n, int64_t ldc);

} // namespace mars

#endif // MARS_RUNTIME_BLAS_H
