//===- Linalg.cpp - Matrix ops: verifiers, chunk rules, kernels -----------===//
//
// inv, solve, cholesky, det, qr, svd, eigh and lu compute each matrix of a
// stack on its own, by one LAPACK call (lib/Numeric/Linalg.cpp). So their
// chunk rules are those of a batched map: a result chunk holds whole
// matrices of a range of the batch and reads the same range of every
// operand, whatever the operands' chunks along the matrix dimensions (the
// engines gather the region). Decompositions across chunks of one matrix
// (TSQR) are compositions of these ops and matmul in the front ends.
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Numeric/Kernels.h"
#include "mars/Numeric/Linalg.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mars;
using namespace mars::tiling;
using llvm::Expected;
using numeric::NDArray;
namespace la = mars::numeric::linalg;

namespace {

/// Number of batch dimensions: the first operand's rank less its matrix.
int64_t batchRank(Operation *op) {
  return cast<RankedTensorType>(op->getOperand(0).getType()).getRank() - 2;
}

/// The whole matrices (of `shape`, b batch dimensions) of out's batch range.
Box wholeMatrices(const Box &out, int64_t b, const Shape &shape) {
  Box r{Shape(out.lo.begin(), out.lo.begin() + b),
        Shape(out.hi.begin(), out.hi.begin() + b)};
  for (size_t d = b; d < shape.size(); ++d) {
    r.lo.push_back(0);
    r.hi.push_back(shape[d]);
  }
  return r;
}

} // namespace

std::optional<Box> mars::detail::matrixOperandRegion(Operation *op,
                                                     unsigned i,
                                                     const Box &out) {
  Box r = wholeMatrices(out, batchRank(op), valueShape(op->getOperand(i)));
  if (r.empty())
    return std::nullopt;
  return r;
}

std::optional<Shape>
mars::detail::matrixResultChunk(Operation *op, ArrayRef<Layout> operands) {
  const Shape result = valueShape(op->getResult(0));
  const int64_t b = batchRank(op);
  // The first operand's batch chunks, fewer matrices per chunk while a
  // chunk would hold more elements than the operand's chunks do.
  Shape chunk(operands[0].chunk().begin(), operands[0].chunk().begin() + b);
  const Shape in = valueShape(op->getOperand(0));
  const int64_t perMatrix =
      std::max<int64_t>(1, in[in.size() - 2] * in[in.size() - 1]);
  const int64_t budget =
      std::max(numeric::numElements(operands[0].chunk()), perMatrix);
  while (true) {
    int64_t widest = -1;
    for (int64_t d = 0; d < b; ++d)
      if (chunk[d] > 1 && (widest < 0 || chunk[d] > chunk[widest]))
        widest = d;
    if (widest < 0 || numeric::numElements(chunk) * perMatrix <= budget)
      break;
    chunk[widest] = (chunk[widest] + 1) / 2;
  }
  for (size_t d = b; d < result.size(); ++d)
    chunk.push_back(std::max<int64_t>(result[d], 1));
  return chunk;
}

/// The rate of LAPACK's blocked routines, in flops per nanosecond on one
/// core, grows with the matrices' smaller dimension k (a panel of k columns
/// is reused k times per pass over memory) up to the core's peak. Measured
/// here: a QR of 1e6 x 32 blocks runs at about 2.6 flops/ns (40-60 ns per
/// element of Q, bound by memory traffic), an inverse of n = 2000 at about
/// 25.
static double lapackFlopsPerNs(double k) { return std::clamp(k / 12, 0.5, 24.0); }

/// Cheap steps per nanosecond (a step is about half a nanosecond per
/// element: a random draw, 8 steps, takes 3.5-4 ns here).
constexpr double kStepsPerNs = 2;

int64_t mars::detail::matrixWork(Operation *op) {
  const Shape in = valueShape(op->getOperand(0));
  const double m = in[in.size() - 2], n = in[in.size() - 1];
  const double k = std::min(m, n);
  // Flops of one matrix, by the textbook counts of the LAPACK routine.
  double flops = 0;
  if (isa<InvOp>(op))
    flops = 2 * n * n * n;
  else if (isa<SolveOp>(op)) {
    const Shape b = valueShape(op->getOperand(1));
    flops = 2.0 / 3 * n * n * n + 2 * n * n * b.back();
  } else if (isa<CholeskyOp>(op))
    flops = n * n * n / 3;
  else if (isa<DetOp, LuOp>(op))
    flops = m * n * k - (m + n) * k * k / 2 + k * k * k / 3;
  else if (auto qr = dyn_cast<QrOp>(op))
    // The factorisation, and as much again to form Q (the WY form is the
    // factorisation alone).
    flops = (qr.getPart() == "wy" ? 2 : 4) * k * k * (std::max(m, n) - k / 3);
  else if (isa<SvdOp>(op))
    flops = 4 * std::max(m, n) * k * k + 22 * k * k * k;
  else if (isa<EighOp>(op))
    flops = 9 * n * n * n;
  const int64_t matrices = numeric::numElements(
      Shape(in.begin(), in.begin() + batchRank(op)));
  const double perMatrix =
      std::max<double>(1, static_cast<double>(numeric::numElements(
                              valueShape(op->getResult(0)))) /
                              std::max<int64_t>(matrices, 1));
  return std::max<int64_t>(
      1, static_cast<int64_t>(std::ceil(flops / perMatrix /
                                        lapackFlopsPerNs(k) * kStepsPerNs)));
}

Expected<NDArray> mars::detail::matrixBox(
    Operation *op, ArrayRef<BoxOperand> operands, const Box &out,
    llvm::function_ref<Expected<NDArray>(ArrayRef<const NDArray *>)>
        compute) {
  const Shape result = valueShape(op->getResult(0));
  const int64_t b = batchRank(op);
  Box whole = wholeMatrices(out, b, result);
  if (out.empty())
    return NDArray(valueDType(op->getResult(0)), out.sizes());
  SmallVector<NDArray, 2> storage(operands.size());
  SmallVector<const NDArray *, 2> stacks;
  for (auto [i, operand] : llvm::enumerate(operands)) {
    // An empty matrix (0 x n) still has a result (det 1, identity factors
    // of an SVD): the kernel gets the empty stack.
    std::optional<Box> region = matrixOperandRegion(op, i, out);
    if (!region) {
      Box empty{whole.lo, whole.hi};
      empty.lo.resize(b);
      empty.hi.resize(b);
      const Shape shape = valueShape(op->getOperand(i));
      for (size_t d = b; d < shape.size(); ++d) {
        empty.lo.push_back(0);
        empty.hi.push_back(shape[d]);
      }
      storage[i] = NDArray(valueDType(op->getOperand(i)), empty.sizes());
      stacks.push_back(&storage[i]);
      continue;
    }
    stacks.push_back(&operand.crop(*region, storage[i]));
  }
  Expected<NDArray> full = compute(stacks);
  if (!full || whole == out)
    return full;
  NDArray part(full->dtype(), out.sizes(), NDArray::uninitialized);
  Shape from(out.rank());
  for (int64_t d = 0; d < out.rank(); ++d)
    from[d] = out.lo[d] - whole.lo[d];
  numeric::copyBox(*full, from, part, Shape(out.rank(), 0), out.sizes());
  return part;
}

//===----------------------------------------------------------------------===//
// Verifiers: each states its result's matrix shape from its operand's.
//===----------------------------------------------------------------------===//

namespace {

/// The operand is a stack of matrices (square ones when `square`) of the
/// result's element type, and the result is the batch then `core`.
LogicalResult verifyMatrixResult(Operation *op, bool square,
                                 ArrayRef<int64_t> core) {
  auto in = cast<RankedTensorType>(op->getOperand(0).getType());
  auto res = cast<RankedTensorType>(op->getResult(0).getType());
  if (res.getElementType() != in.getElementType())
    return op->emitOpError("result element type must be the operand's (")
           << in.getElementType() << ")";
  SmallVector<int64_t> want(in.getShape().drop_back(2));
  want.append(core.begin(), core.end());
  if (res.getShape() != ArrayRef<int64_t>(want))
    return op->emitOpError("result shape must be ")
           << numeric::formatShape(want) << " (got "
           << numeric::formatShape(res.getShape()) << ")";
  return success();
}

/// The operand's matrix dimensions (m, n), or failure when it is not a
/// stack of matrices (or of square ones when `square`).
FailureOr<std::pair<int64_t, int64_t>> matrixDims(Operation *op,
                                                  bool square) {
  auto in = cast<RankedTensorType>(op->getOperand(0).getType());
  if (in.getRank() < 2) {
    op->emitOpError("operand must have at least 2 dimensions (a stack of "
                    "matrices), got rank ")
        << in.getRank();
    return failure();
  }
  int64_t m = in.getDimSize(in.getRank() - 2), n = in.getShape().back();
  if (square && m != n) {
    op->emitOpError("operand matrices must be square (got ")
        << m << " x " << n << ")";
    return failure();
  }
  return std::make_pair(m, n);
}

LogicalResult verifyPart(Operation *op, StringRef part,
                         ArrayRef<StringRef> allowed) {
  if (llvm::is_contained(allowed, part))
    return success();
  auto diag = op->emitOpError("part must be one of");
  for (StringRef a : allowed)
    diag << " \"" << a << "\"";
  return diag << " (got \"" << part << "\")";
}

} // namespace

LogicalResult InvOp::verify() {
  auto mn = matrixDims(*this, /*square=*/true);
  if (failed(mn))
    return failure();
  return verifyMatrixResult(*this, true, {mn->first, mn->second});
}

LogicalResult SolveOp::verify() {
  auto mn = matrixDims(*this, /*square=*/true);
  if (failed(mn))
    return failure();
  if (!la::parseStructure(getStructure()))
    return emitOpError("structure must be \"general\", \"lower\", \"upper\", "
                       "\"lower_unit\" or \"upper_unit\" (got \"")
           << getStructure() << "\")";
  auto a = getMatrix().getType(), b = getRhs().getType();
  if (b.getElementType() != a.getElementType())
    return emitOpError("operands must have one element type (got ")
           << a.getElementType() << " and " << b.getElementType() << ")";
  if (b.getRank() != a.getRank() ||
      b.getShape().drop_back(2) != a.getShape().drop_back(2) ||
      b.getDimSize(b.getRank() - 2) != mn->first)
    return emitOpError("right-hand sides ")
           << numeric::formatShape(b.getShape())
           << " must be the matrices' batch, then " << mn->first
           << " rows (matrices "
           << numeric::formatShape(a.getShape()) << ")";
  return verifyMatrixResult(*this, true, {mn->first, b.getShape().back()});
}

LogicalResult CholeskyOp::verify() {
  auto mn = matrixDims(*this, /*square=*/true);
  if (failed(mn))
    return failure();
  return verifyMatrixResult(*this, true, {mn->first, mn->second});
}

LogicalResult DetOp::verify() {
  if (failed(matrixDims(*this, /*square=*/true)) ||
      failed(verifyPart(*this, getPart(), {"det", "sign", "logabsdet"})))
    return failure();
  return verifyMatrixResult(*this, true, {});
}

LogicalResult QrOp::verify() {
  auto mn = matrixDims(*this, /*square=*/false);
  if (failed(mn) || failed(verifyPart(*this, getPart(), {"q", "r", "wy"})))
    return failure();
  auto [m, n] = *mn;
  if (getPart() == "wy") {
    if (getComplete() || getPositive())
      return emitOpError("part \"wy\" is the factorisation itself: it takes "
                         "neither `complete = true` nor `positive`");
    if (m < n)
      return emitOpError("part \"wy\" needs at least as many rows as "
                         "columns, not ")
             << m << " x " << n;
    return verifyMatrixResult(*this, false, {m + n, n});
  }
  const int64_t k = getComplete() ? m : std::min(m, n);
  if (getPart() == "q")
    return verifyMatrixResult(*this, false, {m, k});
  return verifyMatrixResult(*this, false, {k, n});
}

LogicalResult SvdOp::verify() {
  auto mn = matrixDims(*this, /*square=*/false);
  if (failed(mn) || failed(verifyPart(*this, getPart(), {"u", "s", "vh"})))
    return failure();
  auto [m, n] = *mn;
  const int64_t k = std::min(m, n);
  const bool full = getFullMatrices();
  if (getPart() == "u")
    return verifyMatrixResult(*this, false, {m, full ? m : k});
  if (getPart() == "vh")
    return verifyMatrixResult(*this, false, {full ? n : k, n});
  return verifyMatrixResult(*this, false, {k});
}

LogicalResult EighOp::verify() {
  auto mn = matrixDims(*this, /*square=*/true);
  if (failed(mn) || failed(verifyPart(*this, getPart(), {"w", "v"})))
    return failure();
  if (getPart() == "w")
    return verifyMatrixResult(*this, true, {mn->first});
  return verifyMatrixResult(*this, true, {mn->first, mn->first});
}

LogicalResult LuOp::verify() {
  auto mn = matrixDims(*this, /*square=*/false);
  if (failed(mn) ||
      failed(verifyPart(*this, getPart(),
                        {"p", "l", "u", "perm", "lu", "perm_sign"})))
    return failure();
  auto [m, n] = *mn;
  const int64_t k = std::min(m, n);
  if (getPart() == "perm") {
    auto in = getInput().getType();
    auto res = cast<RankedTensorType>(getResult().getType());
    if (!res.getElementType().isSignlessInteger(64))
      return emitOpError("part \"perm\" gives row positions: its result "
                         "element type must be i64 (got ")
             << res.getElementType() << ")";
    SmallVector<int64_t> want(in.getShape().drop_back(2));
    want.push_back(m);
    if (res.getShape() != ArrayRef<int64_t>(want))
      return emitOpError("result shape must be ")
             << numeric::formatShape(want) << " (got "
             << numeric::formatShape(res.getShape()) << ")";
    return success();
  }
  if (getPart() == "p")
    return verifyMatrixResult(*this, false, {m, m});
  if (getPart() == "lu")
    return verifyMatrixResult(*this, false, {m, n});
  if (getPart() == "perm_sign")
    return verifyMatrixResult(*this, false, {});
  if (getPart() == "l")
    return verifyMatrixResult(*this, false, {m, k});
  return verifyMatrixResult(*this, false, {k, n});
}

//===----------------------------------------------------------------------===//
// Kernels: each op's LAPACK routine (lib/Numeric/Linalg.cpp).
//===----------------------------------------------------------------------===//

Expected<NDArray> InvOp::computeMatrices(ArrayRef<const NDArray *> stacks) {
  return la::inv(*stacks[0]);
}

Expected<NDArray> SolveOp::computeMatrices(ArrayRef<const NDArray *> stacks) {
  if (getCheckFinite())
    for (const NDArray *s : stacks)
      if (llvm::Error e = la::checkFinite(*s))
        return std::move(e);
  return la::solve(*stacks[0], *stacks[1], *la::parseStructure(getStructure()),
                   getNumpyErrors());
}

Expected<NDArray>
CholeskyOp::computeMatrices(ArrayRef<const NDArray *> stacks) {
  return la::cholesky(*stacks[0]);
}

Expected<NDArray> DetOp::computeMatrices(ArrayRef<const NDArray *> stacks) {
  la::DetPart part = getPart() == "sign"        ? la::DetPart::Sign
                     : getPart() == "logabsdet" ? la::DetPart::LogAbsDet
                                                : la::DetPart::Det;
  return la::det(*stacks[0], part);
}

Expected<NDArray> QrOp::computeMatrices(ArrayRef<const NDArray *> stacks) {
  la::QrPart part = getPart() == "q"   ? la::QrPart::Q
                    : getPart() == "r" ? la::QrPart::R
                                       : la::QrPart::WY;
  return la::qr(*stacks[0], part, getComplete(), getPositive());
}

Expected<NDArray> SvdOp::computeMatrices(ArrayRef<const NDArray *> stacks) {
  la::SvdPart part = getPart() == "u"   ? la::SvdPart::U
                     : getPart() == "s" ? la::SvdPart::S
                                        : la::SvdPart::Vh;
  return la::svd(*stacks[0], part, getFullMatrices());
}

Expected<NDArray> EighOp::computeMatrices(ArrayRef<const NDArray *> stacks) {
  return la::eigh(*stacks[0],
                  getPart() == "w" ? la::EighPart::W : la::EighPart::V,
                  getUpper());
}

Expected<NDArray> LuOp::computeMatrices(ArrayRef<const NDArray *> stacks) {
  if (getCheckFinite())
    if (llvm::Error e = la::checkFinite(*stacks[0]))
      return std::move(e);
  la::LuPart part = getPart() == "p"           ? la::LuPart::P
                    : getPart() == "l"         ? la::LuPart::L
                    : getPart() == "perm"      ? la::LuPart::Perm
                    : getPart() == "lu"        ? la::LuPart::Packed
                    : getPart() == "perm_sign" ? la::LuPart::PermSign
                                               : la::LuPart::U;
  return la::lu(*stacks[0], part);
}
