//===- OpenBlas.h - OpenBLAS, loaded when first used ------------*- C++ -*-===//
//
// The BLAS products and the LAPACK routines of Mars are OpenBLAS's. Mars does
// not link the library: it is opened the first time a product or a
// decomposition runs. A program that never multiplies matrices (most
// elementwise and reduction programs, and every `--version` or compile-only
// run of a tool) then neither relocates OpenBLAS's symbols nor starts its
// thread pool, whose threads spin at start-up and exit on the cores the
// program itself wants.
//
// LAPACK is called through the Fortran ABI with 32-bit integers, and a
// character argument's hidden length follows last (as numpy's lapack_lite
// does).
//
//===----------------------------------------------------------------------===//

#ifndef MARS_NUMERIC_OPENBLAS_H
#define MARS_NUMERIC_OPENBLAS_H

#include "llvm/Support/Error.h"

#include <cblas.h>

#include <cstddef>

namespace mars::numeric::openblas {

/// The LAPACK routines Mars calls, of one precision T (float or double).
template <typename T> struct Lapack {
  // clang-format off
  void (*gesv)(const int *n, const int *nrhs, T *a, const int *lda, int *ipiv, T *b, const int *ldb, int *info);
  void (*getrf)(const int *m, const int *n, T *a, const int *lda, int *ipiv, int *info);
  void (*trtrs)(const char *uplo, const char *trans, const char *diag, const int *n, const int *nrhs, const T *a, const int *lda, T *b, const int *ldb, int *info, size_t, size_t, size_t);
  void (*potrf)(const char *uplo, const int *n, T *a, const int *lda, int *info, size_t);
  void (*geqrf)(const int *m, const int *n, T *a, const int *lda, T *tau, T *work, const int *lwork, int *info);
  void (*geqrt3)(const int *m, const int *n, T *a, const int *lda, T *t, const int *ldt, int *info);
  void (*orgqr)(const int *m, const int *n, const int *k, T *a, const int *lda, const T *tau, T *work, const int *lwork, int *info);
  void (*gesdd)(const char *jobz, const int *m, const int *n, T *a, const int *lda, T *s, T *u, const int *ldu, T *vt, const int *ldvt, T *work, const int *lwork, int *iwork, int *info, size_t);
  void (*syevd)(const char *jobz, const char *uplo, const int *n, T *a, const int *lda, T *w, T *work, const int *lwork, int *iwork, const int *liwork, int *info, size_t, size_t);
  // clang-format on
};

/// The CBLAS products Mars calls.
struct Blas {
  decltype(&::cblas_dgemm) dgemm;
  decltype(&::cblas_sgemm) sgemm;
  decltype(&::cblas_dsyrk) dsyrk;
  decltype(&::cblas_ssyrk) ssyrk;
};

/// Loads OpenBLAS if it is not loaded (from any thread; tried once). The
/// error names the library and what is wrong: it cannot be opened, or it
/// lacks an entry point. Code about to call blas() or lapack() calls this
/// first and reports the error as any other (ChunkTasks::prepare for
/// products, the numeric::linalg functions for decompositions).
llvm::Error load();

/// OpenBLAS's products. The library must have loaded (load()): past a
/// failed load the process stops with load()'s message.
const Blas &blas();

/// The LAPACK routines of precision T, as blas().
template <typename T>
const Lapack<T> &lapack();
template <>
const Lapack<double> &lapack<double>();
template <>
const Lapack<float> &lapack<float>();

/// Sets the number of threads each OpenBLAS call may use (as
/// openblas_set_num_threads): at once when the library is loaded, and
/// otherwise when it is. It does not load the library.
void setThreads(int threads);

} // namespace mars::numeric::openblas

#endif // MARS_NUMERIC_OPENBLAS_H
