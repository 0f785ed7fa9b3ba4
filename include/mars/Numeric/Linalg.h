//===- Linalg.h - Dense decompositions and solvers per matrix ----*- C++ -*-===//
//
// numpy.linalg's (and scipy.linalg's lu and solve_triangular) kernels on
// stacks of matrices: every function takes arrays whose last two
// dimensions are the matrices and whose leading dimensions (the batch) are
// the same for every operand, and computes each matrix with one LAPACK
// routine of OpenBLAS, the one numpy calls (gesv, getrf, potrf, geqrf and
// orgqr, gesdd, syevd, trtrs). Matrices are copied to LAPACK's column-major
// order and back, as numpy does. Elements are f32 or f64; the front ends
// compute in f64 as numpy does and cast back.
//
// A failure LAPACK reports (a singular matrix, no convergence) is an error
// whose text is numpy's, which the front ends raise as LinAlgError.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_NUMERIC_LINALG_H
#define MARS_NUMERIC_LINALG_H

#include "mars/Numeric/NDArray.h"

#include "llvm/Support/Error.h"

namespace mars::numeric::linalg {

/// The inverse of each square matrix (numpy.linalg.inv: gesv against the
/// identity). A singular matrix fails with "Singular matrix".
llvm::Expected<NDArray> inv(const NDArray &a);

/// How solve() reads `a`: a general matrix (gesv, numpy.linalg.solve), or
/// only its lower or upper triangle, with the diagonal read or taken as
/// ones (trtrs, scipy.linalg.solve_triangular).
enum class Structure { General, Lower, Upper, LowerUnit, UpperUnit };
/// The names used as the `structure` attribute ("general", "lower",
/// "upper", "lower_unit", "upper_unit").
std::optional<Structure> parseStructure(llvm::StringRef name);

/// x with a @ x = b for each square a (n x n) and b (n x k). A singular
/// matrix fails with numpy's sentence for General or with `numpyErrors`,
/// scipy's (with the diagonal's index) otherwise.
llvm::Expected<NDArray> solve(const NDArray &a, const NDArray &b,
                              Structure structure, bool numpyErrors = false);

/// The lower Cholesky factor L (a = L L^T, numpy.linalg.cholesky: potrf
/// reading the lower triangle; the upper triangle of L is zero). Fails
/// with "Matrix is not positive definite".
llvm::Expected<NDArray> cholesky(const NDArray &a);

/// numpy's det (sign * exp(logabsdet)), or slogdet's sign or logabsdet,
/// from getrf: a singular matrix has sign 0 and logabsdet -inf. The result
/// is the batch's shape.
enum class DetPart { Det, Sign, LogAbsDet };
llvm::Expected<NDArray> det(const NDArray &a, DetPart part);

/// numpy.linalg.qr's Q or R (geqrf, then orgqr for Q; a tall matrix by the
/// recursive geqrt3, by TSQR over blocks of its rows when it has two or
/// more): with k = min(m, n), Q is m x k and R k x n; `complete`: Q is
/// m x m and R m x n. With
/// `positive`, R's diagonal is non-negative (Q's columns and R's rows
/// negated where LAPACK's is negative).
///
/// `WY` (m >= n, neither `complete` nor `positive`) is the whole
/// factorisation in compact WY form, (m + n) x n per matrix: rows [0, m)
/// are geqrf's packed output (R on and above the diagonal, the Householder
/// vectors below it, their unit diagonal implied), rows [m, m + n) the
/// upper-triangular T with Q = I - V T V^T (geqrt3; T's diagonal is
/// geqrf's tau). The tiled QR applies a panel's Q to the trailing blocks
/// by products with V and T.
enum class QrPart { Q, R, WY };
llvm::Expected<NDArray> qr(const NDArray &a, QrPart part, bool complete,
                           bool positive = false);

/// numpy.linalg.svd's U, S or Vh (gesdd): with k = min(m, n), U is m x k,
/// S has k values (descending) and Vh is k x n; `full`: U is m x m and Vh
/// n x n. S alone is gesdd without vectors (numpy's compute_uv=False).
/// Fails with "SVD did not converge".
enum class SvdPart { U, S, Vh };
llvm::Expected<NDArray> svd(const NDArray &a, SvdPart part, bool full);

/// numpy.linalg.eigh's eigenvalues (ascending; eigvalsh) or eigenvectors
/// (columns) of each symmetric matrix, reading its lower triangle, or the
/// upper with `upper` (syevd). Fails with "Eigenvalues did not converge".
enum class EighPart { W, V };
llvm::Expected<NDArray> eigh(const NDArray &a, EighPart part, bool upper);

/// scipy.linalg.lu's P, L or U (getrf): a = P @ L @ U, with k = min(m, n),
/// P m x m, L m x k (unit diagonal) and U k x n; or Perm, P as the m row
/// positions (int64) with a[perm] = L @ U; or Packed, getrf's m x n L\U
/// (L below the diagonal, its unit diagonal implied); or PermSign, det(P)
/// (1 or -1, one per matrix). Singular matrices are factored too (U has a
/// zero on its diagonal).
enum class LuPart { P, L, U, Perm, Packed, PermSign };
llvm::Expected<NDArray> lu(const NDArray &a, LuPart part);

/// scipy.linalg's check_finite: fails with scipy's "array must not contain
/// infs or NaNs" when `a` holds a NaN or an infinity.
llvm::Error checkFinite(const NDArray &a);

} // namespace mars::numeric::linalg

#endif // MARS_NUMERIC_LINALG_H
