//===- Blas.cpp - Matrix products through OpenBLAS ------------------------===//

#include "mars/Runtime/Blas.h"

#include "mars/Numeric/OpenBlas.h"

#include <algorithm>

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
    numeric::openblas::blas().dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0,
                static_cast<const double *>(a.data), a.ld,
                static_cast<const double *>(b.data), b.ld, 1.0,
                static_cast<double *>(c), ldc);
  else
    numeric::openblas::blas().sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f,
                static_cast<const float *>(a.data), a.ld,
                static_cast<const float *>(b.data), b.ld, 1.0f,
                static_cast<float *>(c), ldc);
}

bool mars::isGramProduct(const MatrixView &a, const MatrixView &b) {
  return a.data == b.data && a.ld == b.ld && a.rows == b.rows &&
         a.cols == b.cols && a.transposed != b.transposed;
}

void mars::syrkAccumulate(numeric::DType dtype, const MatrixView &a, void *c,
                          int64_t ldc) {
  const int64_t n = a.transposed ? a.cols : a.rows;
  const int64_t k = a.transposed ? a.rows : a.cols;
  if (n == 0 || k == 0)
    return;
  auto trans = a.transposed ? CblasTrans : CblasNoTrans;
  if (dtype == numeric::DType::F64)
    numeric::openblas::blas().dsyrk(CblasRowMajor, CblasUpper, trans, n, k, 1.0,
                static_cast<const double *>(a.data), a.ld, 1.0,
                static_cast<double *>(c), ldc);
  else
    numeric::openblas::blas().ssyrk(CblasRowMajor, CblasUpper, trans, n, k, 1.0f,
                static_cast<const float *>(a.data), a.ld, 1.0f,
                static_cast<float *>(c), ldc);
}

template <typename T>
static void mirror(T *c, int64_t n, int64_t ldc) {
  // Blocks of rows keep both the source rows and the destination columns
  // in cache.
  constexpr int64_t kTile = 64;
  for (int64_t i0 = 0; i0 < n; i0 += kTile)
    for (int64_t j0 = 0; j0 <= i0; j0 += kTile)
      for (int64_t i = i0; i < std::min(n, i0 + kTile); ++i)
        for (int64_t j = j0; j < std::min(i, j0 + kTile); ++j)
          c[i * ldc + j] = c[j * ldc + i];
}

void mars::mirrorUpper(numeric::DType dtype, void *c, int64_t n, int64_t ldc) {
  if (dtype == numeric::DType::F64)
    mirror(static_cast<double *>(c), n, ldc);
  else
    mirror(static_cast<float *>(c), n, ldc);
}
