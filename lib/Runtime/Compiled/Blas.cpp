//===- Blas.cpp - Matrix products through OpenBLAS ------------------------===//

#include "mars/Runtime/Blas.h"

#include <cblas.h>

using namespace mars;

void mars::gemmAccumulate(numeric::DType dtype, const MatrixView &a,
                          const MatrixView &b, void *c, int64_t ldc) {
  const int64_t m = a.transposed ? a.cols : a.rows;
  const int64_t k = a.transposed ? a.rows : a.cols;
  const int64_t n = b.transposed ? b.rows : b.cols;
  if (m == 0 || n == 0 || k == 0)
    return;
  auto ta = a.transposed ? CblasTrans : CblasNoTrans;
  auto tb = b.transposed ? CblasTrans : CblasNoTrans;
  if (dtype == numeric::DType::F64)
    cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0,
                static_cast<const double *>(a.data), a.ld,
                static_cast<const double *>(b.data), b.ld, 1.0,
                static_cast<double *>(c), ldc);
  else
    cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f,
                static_cast<const float *>(a.data), a.ld,
                static_cast<const float *>(b.data), b.ld, 1.0f,
                static_cast<float *>(c), ldc);
}
