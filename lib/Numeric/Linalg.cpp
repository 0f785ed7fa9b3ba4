//===- Linalg.cpp - Dense decompositions and solvers per matrix ------------===//
//
// Each matrix of a stack is copied to column-major order (LAPACK's, as numpy
// copies), handed to the LAPACK routine numpy uses for the function, and its
// factor copied back to row-major order. The routines are OpenBLAS's (its
// LAPACK is part of libopenblas), loaded when first used (OpenBlas.h).
//
//===----------------------------------------------------------------------===//

#include "mars/Numeric/Linalg.h"
#include "mars/Numeric/OpenBlas.h"

#include "llvm/ADT/StringSwitch.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <vector>

using namespace mars::numeric;
using namespace mars::numeric::linalg;
using llvm::Expected;

namespace {

llvm::Error failure(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Scratch for matrices: pooled storage (allocateBuffer) left
/// uninitialised, since a fresh buffer costs a page fault per page on first
/// touch, which on a VM is slower than the LAPACK call that fills it.
template <typename T>
using Scratch = std::vector<T, UninitializedAllocator<T>>;

/// A stack of matrices: `batch` matrices of rows x cols, one after another.
struct Stack {
  int64_t batch, rows, cols;
};

Expected<Stack> stackOf(const NDArray &a, const char *what) {
  if (a.rank() < 2)
    return failure(llvm::Twine(a.rank()) + "-dimensional array given. " +
                   "Array must be at least two-dimensional");
  const Shape &s = a.shape();
  Stack st{numElements(llvm::ArrayRef(s).drop_back(2)), s[s.size() - 2],
           s.back()};
  // LAPACK's integers are 32-bit: a leading dimension and a workspace
  // size must fit one.
  if (st.rows * std::max<int64_t>(st.cols, 1) > INT_MAX ||
      st.cols * std::max<int64_t>(st.rows, 1) > INT_MAX)
    return failure(llvm::Twine(what) + ": a " + llvm::Twine(st.rows) + " x " +
                   llvm::Twine(st.cols) +
                   " matrix is too large for LAPACK's 32-bit indices");
  return st;
}

llvm::Error requireSquare(const Stack &s) {
  if (s.rows != s.cols)
    return failure("Last 2 dimensions of the array must be square");
  return llvm::Error::success();
}

Shape withCore(const NDArray &a, std::initializer_list<int64_t> core) {
  Shape s(a.shape().begin(), a.shape().end() - 2);
  s.insert(s.end(), core);
  return s;
}

/// Rows per tile of the transposes below: a tile of a matrix's rows is
/// read (or written) whole while each of its columns is written (or read)
/// as one run. Row by row, the column-major side would be cols streams a
/// leading dimension apart, which for a power-of-two number of rows fall
/// into one cache set.
constexpr int64_t kTransposeRows = 64;

/// Matrix `i` of the stack as column-major (leading dimension rows).
template <typename T>
void toColumnMajor(const T *src, int64_t rows, int64_t cols, T *dst) {
  for (int64_t r0 = 0; r0 < rows; r0 += kTransposeRows) {
    const int64_t r1 = std::min(rows, r0 + kTransposeRows);
    for (int64_t c = 0; c < cols; ++c)
      for (int64_t r = r0; r < r1; ++r)
        dst[c * rows + r] = src[r * cols + c];
  }
}

/// rows x cols of a column-major matrix (leading dimension ld), row-major
/// into dst; elements outside `keep(r, c)` are zero.
template <typename T, typename Keep>
void fromColumnMajor(const T *src, int64_t ld, int64_t rows, int64_t cols,
                     T *dst, Keep keep) {
  for (int64_t r0 = 0; r0 < rows; r0 += kTransposeRows) {
    const int64_t r1 = std::min(rows, r0 + kTransposeRows);
    for (int64_t c = 0; c < cols; ++c)
      for (int64_t r = r0; r < r1; ++r)
        dst[r * cols + c] = keep(r, c) ? src[c * ld + r] : T(0);
  }
}
template <typename T>
void fromColumnMajor(const T *src, int64_t ld, int64_t rows, int64_t cols,
                     T *dst) {
  fromColumnMajor(src, ld, rows, cols, dst, [](int64_t, int64_t) {
    return true;
  });
}

template <typename T>
void identity(T *dst, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      dst[r * cols + c] = r == c ? T(1) : T(0);
}

int lapackInt(int64_t v) { return static_cast<int>(std::max<int64_t>(v, 1)); }

/// `f(T())` for the matrices' precision T, once LAPACK is there: every
/// function of this file starts here.
template <typename F>
Expected<NDArray> visitFloat(DType dtype, const char *what, F &&f) {
  if (auto err = openblas::load())
    return std::move(err);
  if (dtype == DType::F64)
    return f(double());
  if (dtype == DType::F32)
    return f(float());
  return failure(llvm::Twine(what) + " takes float32 or float64 matrices, not " +
                 dtypeName(dtype));
}

/// A LAPACK workspace size reported by a query (lwork = -1).
template <typename T>
int workspaceSize(T query) {
  return std::max(1, static_cast<int>(query));
}

} // namespace

std::optional<Structure> linalg::parseStructure(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Structure>>(name)
      .Case("general", Structure::General)
      .Case("lower", Structure::Lower)
      .Case("upper", Structure::Upper)
      .Case("lower_unit", Structure::LowerUnit)
      .Case("upper_unit", Structure::UpperUnit)
      .Default(std::nullopt);
}

Expected<NDArray> linalg::inv(const NDArray &a) {
  auto st = stackOf(a, "inv");
  if (!st)
    return st.takeError();
  if (auto err = requireSquare(*st))
    return std::move(err);
  return visitFloat(a.dtype(), "inv", [&](auto t) -> Expected<NDArray> {
    using T = decltype(t);
    const int64_t n = st->rows;
    NDArray out(a.dtype(), a.shape(), NDArray::uninitialized);
    Scratch<T> m(n * n), x(n * n);
    std::vector<int> ipiv(std::max<int64_t>(n, 1));
    const int ni = static_cast<int>(n), ld = lapackInt(n);
    for (int64_t i = 0; i < st->batch; ++i) {
      toColumnMajor(a.data<T>() + i * n * n, n, n, m.data());
      identity(x.data(), n, n);
      int info = 0;
      if (n > 0)
        openblas::lapack<T>().gesv(&ni, &ni, m.data(), &ld, ipiv.data(),
                                   x.data(), &ld, &info);
      if (info > 0)
        return failure("Singular matrix");
      fromColumnMajor(x.data(), n, n, n, out.data<T>() + i * n * n);
    }
    return out;
  });
}

Expected<NDArray> linalg::solve(const NDArray &a, const NDArray &b,
                                Structure structure, bool numpyErrors) {
  auto sa = stackOf(a, "solve");
  if (!sa)
    return sa.takeError();
  auto sb = stackOf(b, "solve");
  if (!sb)
    return sb.takeError();
  if (auto err = requireSquare(*sa))
    return std::move(err);
  if (sa->batch != sb->batch || sb->rows != sa->rows || a.dtype() != b.dtype())
    return failure("solve: the right-hand sides " + formatShape(b.shape()) +
                   " do not match the matrices " + formatShape(a.shape()));
  return visitFloat(a.dtype(), "solve", [&](auto t) -> Expected<NDArray> {
    using T = decltype(t);
    const int64_t n = sa->rows, k = sb->cols;
    NDArray out(a.dtype(), b.shape(), NDArray::uninitialized);
    Scratch<T> m(n * n), x(n * k);
    std::vector<int> ipiv(std::max<int64_t>(n, 1));
    const int ni = static_cast<int>(n), ki = static_cast<int>(k),
              ld = lapackInt(n);
    const bool lower =
        structure == Structure::Lower || structure == Structure::LowerUnit;
    const bool unit = structure == Structure::LowerUnit ||
                      structure == Structure::UpperUnit;
    for (int64_t i = 0; i < sa->batch; ++i) {
      toColumnMajor(a.data<T>() + i * n * n, n, n, m.data());
      toColumnMajor(b.data<T>() + i * n * k, n, k, x.data());
      int info = 0;
      if (n > 0 && structure == Structure::General)
        openblas::lapack<T>().gesv(&ni, &ki, m.data(), &ld, ipiv.data(),
                                   x.data(), &ld, &info);
      else if (n > 0)
        openblas::lapack<T>().trtrs(lower ? "L" : "U", "N", unit ? "U" : "N",
                                    &ni, &ki, m.data(), &ld, x.data(), &ld,
                                    &info, 1, 1, 1);
      if (info > 0)
        return structure == Structure::General || numpyErrors
                   ? failure("Singular matrix")
                   : failure("singular matrix: resolution failed at diagonal " +
                             llvm::Twine(info - 1));
      fromColumnMajor(x.data(), n, n, k, out.data<T>() + i * n * k);
    }
    return out;
  });
}

Expected<NDArray> linalg::cholesky(const NDArray &a) {
  auto st = stackOf(a, "cholesky");
  if (!st)
    return st.takeError();
  if (auto err = requireSquare(*st))
    return std::move(err);
  return visitFloat(a.dtype(), "cholesky", [&](auto t) -> Expected<NDArray> {
    using T = decltype(t);
    const int64_t n = st->rows;
    NDArray out(a.dtype(), a.shape(), NDArray::uninitialized);
    Scratch<T> m(n * n);
    const int ni = static_cast<int>(n), ld = lapackInt(n);
    for (int64_t i = 0; i < st->batch; ++i) {
      toColumnMajor(a.data<T>() + i * n * n, n, n, m.data());
      int info = 0;
      if (n > 0)
        openblas::lapack<T>().potrf("L", &ni, m.data(), &ld, &info, 1);
      if (info > 0)
        return failure("Matrix is not positive definite");
      fromColumnMajor(m.data(), n, n, n, out.data<T>() + i * n * n,
                      [](int64_t r, int64_t c) { return c <= r; });
    }
    return out;
  });
}

Expected<NDArray> linalg::det(const NDArray &a, DetPart part) {
  auto st = stackOf(a, "det");
  if (!st)
    return st.takeError();
  if (auto err = requireSquare(*st))
    return std::move(err);
  return visitFloat(a.dtype(), "det", [&](auto t) -> Expected<NDArray> {
    using T = decltype(t);
    const int64_t n = st->rows;
    NDArray out(a.dtype(), Shape(a.shape().begin(), a.shape().end() - 2),
                NDArray::uninitialized);
    Scratch<T> m(n * n);
    std::vector<int> ipiv(std::max<int64_t>(n, 1));
    const int ni = static_cast<int>(n), ld = lapackInt(n);
    for (int64_t i = 0; i < st->batch; ++i) {
      toColumnMajor(a.data<T>() + i * n * n, n, n, m.data());
      int info = 0;
      if (n > 0)
        openblas::lapack<T>().getrf(&ni, &ni, m.data(), &ld, ipiv.data(),
                                    &info);
      // numpy's slogdet: the pivots' parity, then each diagonal element's
      // sign and the sum of the logs of their magnitudes, in order.
      T sign = 0, logdet = -std::numeric_limits<T>::infinity();
      if (info == 0) {
        int swaps = 0;
        for (int64_t j = 0; j < n; ++j)
          swaps += ipiv[j] != j + 1;
        sign = swaps % 2 ? T(-1) : T(1);
        logdet = 0;
        for (int64_t j = 0; j < n; ++j) {
          T d = m[j * n + j];
          if (d < 0) {
            sign = -sign;
            d = -d;
          }
          logdet += std::log(d);
        }
      }
      T v = part == DetPart::Sign        ? sign
            : part == DetPart::LogAbsDet ? logdet
                                         : sign * std::exp(logdet);
      out.data<T>()[i] = v;
    }
    return out;
  });
}

namespace {

template <typename T>
void gemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, T alpha,
          const T *a, int64_t lda, const T *b, int64_t ldb, T beta, T *c,
          int64_t ldc) {
  auto ta = transA ? CblasTrans : CblasNoTrans;
  auto tb = transB ? CblasTrans : CblasNoTrans;
  if constexpr (std::is_same_v<T, double>)
    openblas::blas().dgemm(CblasColMajor, ta, tb, m, n, k, alpha, a, lda, b,
                           ldb, beta, c, ldc);
  else
    openblas::blas().sgemm(CblasColMajor, ta, tb, m, n, k, alpha, a, lda, b,
                           ldb, beta, c, ldc);
}

/// Makes the reflectors geqrt3 left below the diagonal of the m x n
/// column-major `h` its unit lower trapezoid V, in place: R's triangle
/// becomes the identity's (read R from h before).
template <typename T>
void unitLowerInPlace(int64_t m, int64_t n, T *h) {
  for (int64_t c = 0; c < n; ++c)
    for (int64_t r = 0; r <= c; ++r)
      h[c * m + r] = r == c ? T(1) : T(0);
}

/// Q (m x n, column-major, leading dimension ldq) of the Householder QR
/// geqrt3 left in `h` (m x n, column-major, leading dimension m) with its
/// n x n factor `tf`, formed from the compact WY form as
/// [I; 0] - V (T V1^T): one gemm. V is made in h (unitLowerInPlace), so
/// the only scratch is n x n.
template <typename T>
void formQ(int64_t m, int64_t n, T *h, const T *tf, T *q, int64_t ldq) {
  unitLowerInPlace(m, n, h);
  Scratch<T> w(n * n);
  gemm<T>(false, true, n, n, n, T(1), tf, n, h, m, T(0), w.data(), n);
  for (int64_t c = 0; c < n; ++c)
    for (int64_t r = 0; r < m; ++r)
      q[c * ldq + r] = r == c ? T(1) : T(0);
  gemm<T>(false, false, m, n, n, T(-1), h, m, w.data(), n, T(1), q, ldq);
}

/// geqrt3 of the m x n column-major `h` (m >= n): R in its upper triangle,
/// the reflectors below, their triangular factor in `tf` (n x n).
template <typename T>
void geqrt3(int64_t m, int64_t n, T *h, T *tf) {
  const int mi = static_cast<int>(m), ni = static_cast<int>(n),
            ld = lapackInt(m);
  std::fill(tf, tf + n * n, T(0)); // geqrt3 sets T's upper triangle only
  int info = 0;
  openblas::lapack<T>().geqrt3(&mi, &ni, h, &ld, tf, &ni, &info);
}

/// The rows of the blocks tallQr factors one at a time: about 1 MiB, so a
/// block's recursive QR stays in a core's cache (geqrt3 of a 131072 x 32
/// float64 matrix takes 8.3 ns an element here, of its 2048-row blocks
/// 6.7), and at least 4n rows, so the stacked R factors are at most a
/// quarter of the matrix.
template <typename T>
int64_t qrBlockRows(int64_t n) {
  constexpr int64_t kBlockBytes = int64_t(1) << 20;
  return std::max<int64_t>(4 * n, kBlockBytes / (n * int64_t(sizeof(T))));
}

/// The reduced QR of the tall row-major m x n matrix `a` (m >= 2n, n > 0),
/// by the recursive Householder QR of geqrt3 (level-3 BLAS throughout,
/// where geqrf's single panel of n <= 32 columns is level-2 and bound by
/// memory traffic). R goes to `r` (row-major n x n, zeros below the
/// diagonal) and, with `q`, Q to `q` (row-major m x n).
///
/// A matrix of fewer rows than two blocks (qrBlockRows) is factored whole:
/// the same reflectors as geqrf's, so numpy's Q and R up to rounding. A
/// taller one is factored as TSQR inside the kernel: each block of rows on
/// its own (in cache), then the QR of their stacked R factors; Q's block j
/// is Q_j times rows j of the second Q. Both are Householder QRs of the
/// same matrix, so Q and R are geqrf's up to the signs of Q's columns and
/// R's rows (and equally stable); the R-only call computes R as the call
/// that forms Q does.
template <typename T>
void tallQr(const T *a, int64_t m, int64_t n, T *r, T *q) {
  const int64_t rows = qrBlockRows<T>(n);
  const auto upper = [](int64_t i, int64_t j) { return j >= i; };
  Scratch<T> tf(n * n);
  if (m < 2 * rows) {
    Scratch<T> h(m * n);
    toColumnMajor(a, m, n, h.data());
    geqrt3<T>(m, n, h.data(), tf.data());
    fromColumnMajor(h.data(), m, n, n, r, upper);
    if (!q)
      return;
    Scratch<T> qc(m * n);
    formQ<T>(m, n, h.data(), tf.data(), qc.data(), m);
    fromColumnMajor(qc.data(), m, m, n, q);
    return;
  }
  // k blocks of equal rows (the first m % k one longer), each >= 4n.
  const int64_t k = m / rows, base = m / k, longer = m % k;
  auto blockStart = [&](int64_t j) { return j * base + std::min(j, longer); };
  Scratch<T> h(m * n), tfs(q ? k * n * n : n * n), stacked(k * n * n);
  const int64_t ls = k * n; // the stacked R factors' leading dimension
  for (int64_t j = 0; j < k; ++j) {
    const int64_t lo = blockStart(j), mj = blockStart(j + 1) - lo;
    T *hj = h.data() + lo * n; // block j, column-major mj x n
    toColumnMajor(a + lo * n, mj, n, hj);
    T *tj = tfs.data() + (q ? j * n * n : 0);
    geqrt3<T>(mj, n, hj, tj);
    for (int64_t c = 0; c < n; ++c)
      for (int64_t i = 0; i < n; ++i)
        stacked[c * ls + j * n + i] = i <= c ? hj[c * mj + i] : T(0);
  }
  geqrt3<T>(ls, n, stacked.data(), tf.data());
  fromColumnMajor(stacked.data(), ls, n, n, r, upper);
  if (!q)
    return;
  Scratch<T> q2(ls * n), w(n * n), tw(n * n);
  formQ<T>(ls, n, stacked.data(), tf.data(), q2.data(), ls);
  for (int64_t j = 0; j < k; ++j) {
    const int64_t lo = blockStart(j), mj = blockStart(j + 1) - lo;
    T *vj = h.data() + lo * n;
    const T *q2j = q2.data() + j * n; // rows j of Q2 (n x n, ld ls)
    // Q's block j is Q_j [Q2_j; 0] = [Q2_j; 0] - V_j T_j V_j^T [Q2_j; 0],
    // and V_j^T [Q2_j; 0] is V_j's top n x n triangle's transpose times
    // Q2_j: one gemm over the block's rows (forming Q_j first would be two).
    unitLowerInPlace(mj, n, vj);
    gemm<T>(true, false, n, n, n, T(1), vj, mj, q2j, ls, T(0), w.data(), n);
    gemm<T>(false, false, n, n, n, T(1), tfs.data() + j * n * n, n, w.data(),
            n, T(0), tw.data(), n);
    // In row-major order Q's rows lo.. are the column-major n x mj matrix
    // [Q2_j^T 0] - (T W)^T V_j^T, leading dimension n.
    T *qb = q + lo * n;
    gemm<T>(true, true, n, mj, n, T(-1), tw.data(), n, vj, mj, T(0), qb, n);
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < n; ++c)
        qb[r * n + c] += q2j[c * ls + r];
  }
}

/// Negates row j of the upper-triangular R (`byRow`; its zeros stay +0) or
/// column j of Q, row-major rows x cols, for every j with negative[j].
template <typename T>
void negate(T *m, int64_t rows, int64_t cols, bool byRow,
            const std::vector<bool> &negative) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = byRow ? r : 0; c < cols; ++c)
      if (size_t j = byRow ? r : c; j < negative.size() && negative[j])
        m[r * cols + c] = -m[r * cols + c];
}

} // namespace

Expected<NDArray> linalg::qr(const NDArray &a, QrPart part, bool complete,
                             bool positive) {
  auto st = stackOf(a, "qr");
  if (!st)
    return st.takeError();
  return visitFloat(a.dtype(), "qr", [&](auto t) -> Expected<NDArray> {
    using T = decltype(t);
    const int64_t m = st->rows, n = st->cols, k = std::min(m, n);
    if (part == QrPart::WY) {
      if (m < n || complete || positive)
        return failure("qr: the compact WY form needs a matrix of at least "
                       "as many rows as columns, not complete nor positive");
      NDArray out(a.dtype(), withCore(a, {m + n, n}), NDArray::uninitialized);
      Scratch<T> h(m * n), tf(n * n);
      for (int64_t i = 0; i < st->batch; ++i) {
        T *dst = out.data<T>() + i * (m + n) * n;
        if (n == 0)
          continue;
        // One recursive QR of the whole matrix (no TSQR blocks): its
        // reflectors are geqrf's.
        toColumnMajor(a.data<T>() + i * m * n, m, n, h.data());
        geqrt3<T>(m, n, h.data(), tf.data());
        fromColumnMajor(h.data(), m, m, n, dst);
        fromColumnMajor(tf.data(), n, n, n, dst + m * n);
      }
      return out;
    }
    // A tall matrix (TSQR's row blocks) takes the recursive QR.
    if (!complete && m >= 2 * n && n > 0) {
      NDArray out(a.dtype(),
                  part == QrPart::Q ? withCore(a, {m, n}) : withCore(a, {n, n}),
                  NDArray::uninitialized);
      Scratch<T> rq(part == QrPart::Q ? n * n : 0);
      std::vector<bool> negative(n);
      for (int64_t i = 0; i < st->batch; ++i) {
        T *r = part == QrPart::Q ? rq.data() : out.data<T>() + i * n * n;
        T *q = part == QrPart::Q ? out.data<T>() + i * m * n : nullptr;
        tallQr<T>(a.data<T>() + i * m * n, m, n, r, q);
        if (!positive)
          continue;
        for (int64_t j = 0; j < n; ++j)
          negative[j] = r[j * n + j] < 0;
        if (q)
          negate(q, m, n, /*byRow=*/false, negative);
        else
          negate(r, n, n, /*byRow=*/true, negative);
      }
      return out;
    }
    const int64_t qcols = complete ? m : k, rrows = complete ? m : k;
    NDArray out(a.dtype(),
                part == QrPart::Q ? withCore(a, {m, qcols})
                                  : withCore(a, {rrows, n}),
                NDArray::uninitialized);
    Scratch<T> h(m * n), q(m * qcols), tau(std::max<int64_t>(k, 1));
    const int mi = static_cast<int>(m), ni = static_cast<int>(n),
              ki = static_cast<int>(k), qi = static_cast<int>(qcols),
              ld = lapackInt(m);
    Scratch<T> work(1);
    std::vector<bool> negative(positive ? k : 0);
    for (int64_t i = 0; i < st->batch; ++i) {
      toColumnMajor(a.data<T>() + i * m * n, m, n, h.data());
      int info = 0, lwork = -1;
      if (k > 0) {
        T query = 0;
        openblas::lapack<T>().geqrf(&mi, &ni, h.data(), &ld, tau.data(), &query,
                                    &lwork, &info);
        lwork = workspaceSize(query);
        work.resize(lwork);
        openblas::lapack<T>().geqrf(&mi, &ni, h.data(), &ld, tau.data(),
                                    work.data(), &lwork, &info);
      }
      for (size_t j = 0; j < negative.size(); ++j)
        negative[j] = h[j * m + j] < 0;
      if (part == QrPart::R) {
        // R is geqrf's upper triangle (rows past min(m, n) are zero).
        T *r = out.data<T>() + i * rrows * n;
        fromColumnMajor(h.data(), m, rrows, n, r,
                        [&](int64_t r, int64_t c) { return c >= r && r < k; });
        negate(r, rrows, n, /*byRow=*/true, negative);
        continue;
      }
      T *dst = out.data<T>() + i * m * qcols;
      if (k == 0) {
        identity(dst, m, qcols);
        continue;
      }
      // orgqr expands the reflectors (geqrf's columns below the diagonal)
      // into Q's first qcols columns.
      std::copy(h.begin(), h.begin() + m * std::min(n, qcols), q.begin());
      lwork = -1;
      T query = 0;
      openblas::lapack<T>().orgqr(&mi, &qi, &ki, q.data(), &ld, tau.data(),
                                  &query, &lwork, &info);
      lwork = workspaceSize(query);
      work.resize(lwork);
      openblas::lapack<T>().orgqr(&mi, &qi, &ki, q.data(), &ld, tau.data(),
                                  work.data(), &lwork, &info);
      fromColumnMajor(q.data(), m, m, qcols, dst);
      negate(dst, m, qcols, /*byRow=*/false, negative);
    }
    return out;
  });
}

Expected<NDArray> linalg::svd(const NDArray &a, SvdPart part, bool full) {
  auto st = stackOf(a, "svd");
  if (!st)
    return st.takeError();
  return visitFloat(a.dtype(), "svd", [&](auto t) -> Expected<NDArray> {
    using T = decltype(t);
    const int64_t m = st->rows, n = st->cols, k = std::min(m, n);
    const int64_t ucols = full ? m : k, vrows = full ? n : k;
    const Shape shape = part == SvdPart::U   ? withCore(a, {m, ucols})
                  : part == SvdPart::S ? withCore(a, {k})
                                       : withCore(a, {vrows, n});
    NDArray out(a.dtype(), shape, NDArray::uninitialized);
    const char *jobz = part == SvdPart::S ? "N" : full ? "A" : "S";
    Scratch<T> h(m * n), s(std::max<int64_t>(k, 1));
    Scratch<T> u(part == SvdPart::S ? 1 : m * ucols),
        vt(part == SvdPart::S ? 1 : vrows * n);
    std::vector<int> iwork(8 * std::max<int64_t>(k, 1));
    const int mi = static_cast<int>(m), ni = static_cast<int>(n),
              lda = lapackInt(m), ldu = lapackInt(m), ldvt = lapackInt(vrows);
    Scratch<T> work(1);
    for (int64_t i = 0; i < st->batch; ++i) {
      // numpy's gesdd does not converge on a NaN or an infinity (OpenBLAS's
      // returns zeros without a word): say so, as numpy does.
      const T *src = a.data<T>() + i * m * n;
      if (!std::all_of(src, src + m * n, [](T v) { return std::isfinite(v); }))
        return failure("SVD did not converge");
      if (k == 0) {
        // No singular values: U and Vh are identities (numpy's too).
        if (part == SvdPart::U)
          identity(out.data<T>() + i * m * ucols, m, ucols);
        else if (part == SvdPart::Vh)
          identity(out.data<T>() + i * vrows * n, vrows, n);
        continue;
      }
      toColumnMajor(a.data<T>() + i * m * n, m, n, h.data());
      int info = 0, lwork = -1;
      T query = 0;
      openblas::lapack<T>().gesdd(jobz, &mi, &ni, h.data(), &lda, s.data(),
                                  u.data(), &ldu, vt.data(), &ldvt, &query,
                                  &lwork, iwork.data(), &info, 1);
      lwork = workspaceSize(query);
      work.resize(lwork);
      openblas::lapack<T>().gesdd(jobz, &mi, &ni, h.data(), &lda, s.data(),
                                  u.data(), &ldu, vt.data(), &ldvt, work.data(),
                                  &lwork, iwork.data(), &info, 1);
      if (info > 0)
        return failure("SVD did not converge");
      if (part == SvdPart::S)
        std::copy(s.begin(), s.begin() + k, out.data<T>() + i * k);
      else if (part == SvdPart::U)
        fromColumnMajor(u.data(), m, m, ucols, out.data<T>() + i * m * ucols);
      else
        fromColumnMajor(vt.data(), vrows, vrows, n,
                        out.data<T>() + i * vrows * n);
    }
    return out;
  });
}

Expected<NDArray> linalg::eigh(const NDArray &a, EighPart part, bool upper) {
  auto st = stackOf(a, "eigh");
  if (!st)
    return st.takeError();
  if (auto err = requireSquare(*st))
    return std::move(err);
  return visitFloat(a.dtype(), "eigh", [&](auto t) -> Expected<NDArray> {
    using T = decltype(t);
    const int64_t n = st->rows;
    NDArray out(a.dtype(),
                part == EighPart::V
                    ? a.shape()
                    : Shape(a.shape().begin(), a.shape().end() - 1),
                NDArray::uninitialized);
    const char *jobz = part == EighPart::V ? "V" : "N";
    Scratch<T> h(n * n), w(std::max<int64_t>(n, 1)), work(1);
    std::vector<int> iwork(1);
    const int ni = static_cast<int>(n), ld = lapackInt(n);
    for (int64_t i = 0; i < st->batch && n > 0; ++i) {
      toColumnMajor(a.data<T>() + i * n * n, n, n, h.data());
      int info = 0, lwork = -1, liwork = -1, iquery = 0;
      T query = 0;
      openblas::lapack<T>().syevd(jobz, upper ? "U" : "L", &ni, h.data(), &ld,
                                  w.data(), &query, &lwork, &iquery, &liwork,
                                  &info, 1, 1);
      lwork = workspaceSize(query);
      liwork = std::max(1, iquery);
      work.resize(lwork);
      iwork.resize(liwork);
      openblas::lapack<T>().syevd(jobz, upper ? "U" : "L", &ni, h.data(), &ld,
                                  w.data(), work.data(), &lwork, iwork.data(),
                                  &liwork, &info, 1, 1);
      if (info > 0)
        return failure("Eigenvalues did not converge");
      if (part == EighPart::W)
        std::copy(w.begin(), w.begin() + n, out.data<T>() + i * n);
      else
        fromColumnMajor(h.data(), n, n, n, out.data<T>() + i * n * n);
    }
    return out;
  });
}

Expected<NDArray> linalg::lu(const NDArray &a, LuPart part) {
  auto st = stackOf(a, "lu");
  if (!st)
    return st.takeError();
  return visitFloat(a.dtype(), "lu", [&](auto t) -> Expected<NDArray> {
    using T = decltype(t);
    const int64_t m = st->rows, n = st->cols, k = std::min(m, n);
    NDArray out(part == LuPart::Perm ? DType::I64 : a.dtype(),
                part == LuPart::P          ? withCore(a, {m, m})
                : part == LuPart::L        ? withCore(a, {m, k})
                : part == LuPart::Perm     ? withCore(a, {m})
                : part == LuPart::U        ? withCore(a, {k, n})
                : part == LuPart::PermSign ? withCore(a, {})
                                           : withCore(a, {m, n}));
    Scratch<T> h(m * n);
    std::vector<int> ipiv(std::max<int64_t>(k, 1));
    std::vector<int64_t> rows(part == LuPart::P ? m : 0);
    const int mi = static_cast<int>(m), ni = static_cast<int>(n),
              ld = lapackInt(m);
    for (int64_t i = 0; i < st->batch; ++i) {
      toColumnMajor(a.data<T>() + i * m * n, m, n, h.data());
      int info = 0;
      if (k > 0)
        openblas::lapack<T>().getrf(&mi, &ni, h.data(), &ld, ipiv.data(),
                                    &info);
      // info > 0 is an exact zero on U's diagonal: still a factorisation.
      if (part == LuPart::PermSign) {
        // Each swap of two different rows negates det(P).
        bool negative = false;
        for (int64_t j = 0; j < k; ++j)
          negative ^= ipiv[j] - 1 != j;
        out.data<T>()[i] = negative ? T(-1) : T(1);
      } else if (part == LuPart::P || part == LuPart::Perm) {
        // getrf swaps row j with row ipiv[j] - 1 in turn: row j of P^T A
        // is row perm[j] of A, so P has a one at (perm[j], j).
        int64_t *perm =
            part == LuPart::Perm ? out.data<int64_t>() + i * m : rows.data();
        for (int64_t j = 0; j < m; ++j)
          perm[j] = j;
        for (int64_t j = 0; j < k; ++j)
          std::swap(perm[j], perm[ipiv[j] - 1]);
        if (part == LuPart::Perm)
          continue;
        T *p = out.data<T>() + i * m * m;
        for (int64_t j = 0; j < m; ++j)
          p[perm[j] * m + j] = T(1);
      } else if (part == LuPart::L) {
        T *l = out.data<T>() + i * m * k;
        fromColumnMajor(h.data(), m, m, k, l,
                        [](int64_t r, int64_t c) { return r > c; });
        for (int64_t j = 0; j < k; ++j)
          l[j * k + j] = T(1);
      } else if (part == LuPart::U) {
        fromColumnMajor(h.data(), m, k, n, out.data<T>() + i * k * n,
                        [](int64_t r, int64_t c) { return c >= r; });
      } else {
        fromColumnMajor(h.data(), m, m, n, out.data<T>() + i * m * n);
      }
    }
    return out;
  });
}

llvm::Error linalg::checkFinite(const NDArray &a) {
  bool finite = visitDType(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      const T *p = a.data<T>();
      // x - x is 0 for finite x and NaN otherwise: one branch-free pass.
      T acc = 0;
      for (int64_t i = 0, n = a.size(); i < n; ++i)
        acc += p[i] - p[i];
      return acc == 0;
    }
    return true;
  });
  if (finite)
    return llvm::Error::success();
  return failure("array must not contain infs or NaNs");
}
