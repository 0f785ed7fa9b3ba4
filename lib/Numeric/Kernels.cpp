//===- Kernels.cpp - numpy semantics of every Mars op on whole arrays -----===//
//
// Each kernel is the simplest loop that states numpy's rule. Integer
// arithmetic wraps (two's complement, as numpy does without raising); float
// special cases (floor_divide/remainder, maximum/minimum with NaN, casts of
// NaN) follow numpy's C implementation.
//
//===----------------------------------------------------------------------===//

#include "mars/Numeric/Kernels.h"
#include "mars/Numeric/Reductions.h"
#include "mars/Numeric/Sparse.h"

#include "llvm/ADT/SmallVector.h"

#include "ScalarRules.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <type_traits>

using llvm::ArrayRef;

namespace mars::numeric {
namespace {

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

//===----------------------------------------------------------------------===//
// Index iteration
//===----------------------------------------------------------------------===//

/// Visits every element of `outShape` in C order and passes, for each input
/// (at most 3), the flat offset of the element numpy broadcasting pairs
/// with it.
template <typename Body>
void forEachBroadcast(ArrayRef<int64_t> outShape,
                      ArrayRef<const Shape *> inShapes, Body &&body) {
  const int64_t rank = outShape.size(), n = numElements(outShape);
  const size_t numIns = inShapes.size();
  assert(numIns <= 3 && "forEachBroadcast takes at most 3 operands");
  if (llvm::all_of(inShapes, [&](const Shape *s) {
        return llvm::ArrayRef<int64_t>(*s) == outShape;
      })) {
    // Nothing broadcasts: every operand's element has the output's offset.
    int64_t off[3];
    for (int64_t flat = 0; flat < n; ++flat) {
      off[0] = off[1] = off[2] = flat;
      body(flat, off);
    }
    return;
  }
  std::vector<Shape> strides(numIns, Shape(rank, 0));
  for (size_t k = 0; k < numIns; ++k) {
    const Shape &s = *inShapes[k];
    Shape cs = contiguousStrides(s);
    int64_t lead = rank - static_cast<int64_t>(s.size());
    for (size_t d = 0; d < s.size(); ++d)
      if (s[d] != 1)
        strides[k][lead + d] = cs[d];
  }
  // Row by row: the innermost dimension is one tight loop, each operand
  // stepping by its stride there (0 where it broadcasts).
  const int64_t inner = rank > 0 ? outShape[rank - 1] : 1;
  int64_t step[3] = {0, 0, 0}, base[3] = {0, 0, 0}, off[3];
  for (size_t k = 0; k < numIns && rank > 0; ++k)
    step[k] = strides[k][rank - 1];
  Shape idx(rank, 0);
  for (int64_t flat = 0; flat < n; flat += inner) {
    for (int64_t j = 0; j < inner; ++j) {
      off[0] = base[0] + j * step[0];
      off[1] = base[1] + j * step[1];
      off[2] = base[2] + j * step[2];
      body(flat + j, off);
    }
    for (int64_t d = rank - 2; d >= 0; --d) {
      ++idx[d];
      for (size_t k = 0; k < numIns; ++k)
        base[k] += strides[k][d];
      if (idx[d] < outShape[d])
        break;
      for (size_t k = 0; k < numIns; ++k)
        base[k] -= strides[k][d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/// Calls `body` with the function as a compile-time constant
/// (std::integral_constant), so that the element loop it instantiates has no
/// per-element switch and vectorises.
template <typename Body>
void visitUnaryFn(UnaryFn fn, Body &&body) {
  switch (fn) {
#define MARS_CASE(F)                                                           \
  case UnaryFn::F:                                                             \
    return body(std::integral_constant<UnaryFn, UnaryFn::F>());
    MARS_CASE(Neg) MARS_CASE(Abs) MARS_CASE(Sqrt) MARS_CASE(Square)
    MARS_CASE(Exp) MARS_CASE(Log) MARS_CASE(Sin) MARS_CASE(Cos)
    MARS_CASE(Tanh) MARS_CASE(Floor) MARS_CASE(Ceil) MARS_CASE(Sign)
    MARS_CASE(IsNan) MARS_CASE(LogicalNot) MARS_CASE(Tan) MARS_CASE(Arcsin)
    MARS_CASE(Arccos) MARS_CASE(Arctan) MARS_CASE(Sinh) MARS_CASE(Cosh)
    MARS_CASE(Arcsinh) MARS_CASE(Arccosh) MARS_CASE(Arctanh) MARS_CASE(Log2)
    MARS_CASE(Log10) MARS_CASE(Log1p) MARS_CASE(Exp2) MARS_CASE(Expm1)
    MARS_CASE(Cbrt) MARS_CASE(Trunc) MARS_CASE(Rint) MARS_CASE(IsInf)
    MARS_CASE(IsFinite) MARS_CASE(SignBit) MARS_CASE(Degrees)
    MARS_CASE(Radians) MARS_CASE(Invert) MARS_CASE(Erf) MARS_CASE(Erfc)
    MARS_CASE(Gamma) MARS_CASE(Lgamma)
#undef MARS_CASE
  }
}

template <typename Body>
void visitBinaryFn(BinaryFn fn, Body &&body) {
  switch (fn) {
#define MARS_CASE(F)                                                           \
  case BinaryFn::F:                                                            \
    return body(std::integral_constant<BinaryFn, BinaryFn::F>());
    MARS_CASE(Add) MARS_CASE(Sub) MARS_CASE(Mul) MARS_CASE(Div)
    MARS_CASE(FloorDiv) MARS_CASE(Mod) MARS_CASE(Pow) MARS_CASE(Maximum)
    MARS_CASE(Minimum) MARS_CASE(Eq) MARS_CASE(Ne) MARS_CASE(Lt) MARS_CASE(Le)
    MARS_CASE(Gt) MARS_CASE(Ge) MARS_CASE(LogicalAnd) MARS_CASE(LogicalOr)
    MARS_CASE(LogicalXor) MARS_CASE(Arctan2) MARS_CASE(Fmax) MARS_CASE(Fmin)
    MARS_CASE(Hypot) MARS_CASE(Copysign) MARS_CASE(Nextafter)
    MARS_CASE(Logaddexp) MARS_CASE(Logaddexp2) MARS_CASE(Heaviside)
    MARS_CASE(Fmod) MARS_CASE(BitwiseAnd) MARS_CASE(BitwiseOr)
    MARS_CASE(BitwiseXor) MARS_CASE(LeftShift) MARS_CASE(RightShift)
    MARS_CASE(Gcd) MARS_CASE(Lcm) MARS_CASE(Ldexp)
#undef MARS_CASE
  }
}

} // namespace

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

std::optional<Shape> broadcastShapes(ArrayRef<Shape> shapes) {
  size_t rank = 0;
  for (const Shape &s : shapes)
    rank = std::max(rank, s.size());
  Shape out(rank, 1);
  for (const Shape &s : shapes) {
    size_t lead = rank - s.size();
    for (size_t d = 0; d < s.size(); ++d) {
      int64_t &o = out[lead + d];
      if (s[d] == o || s[d] == 1)
        continue;
      if (o != 1)
        return std::nullopt;
      o = s[d];
    }
  }
  return out;
}

llvm::Expected<NDArray> unary(UnaryFn fn, const NDArray &x, DType resultType) {
  NDArray out(resultType, x.shape(), NDArray::uninitialized);
  const int64_t n = x.size();
  visitDType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *in = x.data<T>();
    visitUnaryFn(fn, [&](auto f) {
      if (resultType == DType::Bool) {
        bool *o = out.data<bool>();
        for (int64_t i = 0; i < n; ++i)
          o[i] = unaryPredicate(f(), in[i]);
      } else {
        T *o = out.data<T>();
        for (int64_t i = 0; i < n; ++i)
          o[i] = unaryArith(f(), in[i]);
      }
    });
  });
  return out;
}

llvm::Expected<NDArray> binary(BinaryFn fn, const NDArray &lhs,
                               const NDArray &rhs, DType resultType) {
  std::optional<Shape> shape = broadcastShapes({lhs.shape(), rhs.shape()});
  if (!shape)
    return error("operands with shapes " + formatShape(lhs.shape()) + " and " +
                 formatShape(rhs.shape()) + " do not broadcast");
  NDArray out(resultType, *shape, NDArray::uninitialized);
  bool ok = true;
  visitDType(lhs.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *a = lhs.data<T>(), *b = rhs.data<T>();
    const Shape *shapes[] = {&lhs.shape(), &rhs.shape()};
    visitBinaryFn(fn, [&](auto f) {
      if (resultType == DType::Bool) {
        bool *o = out.data<bool>();
        forEachBroadcast(*shape, shapes, [&](int64_t i, const int64_t *off) {
          o[i] = binaryPredicate(f(), a[off[0]], b[off[1]]);
        });
      } else {
        T *o = out.data<T>();
        forEachBroadcast(*shape, shapes, [&](int64_t i, const int64_t *off) {
          o[i] = binaryArith(f(), a[off[0]], b[off[1]], ok);
        });
      }
    });
  });
  if (!ok)
    return error("integers to negative integer powers are not allowed");
  return out;
}

NDArray where(const NDArray &cond, const NDArray &x, const NDArray &y) {
  Shape shape = *broadcastShapes({cond.shape(), x.shape(), y.shape()});
  NDArray out(x.dtype(), shape, NDArray::uninitialized);
  visitDType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const bool *c = cond.data<bool>();
    const T *a = x.data<T>(), *b = y.data<T>();
    T *o = out.data<T>();
    const Shape *shapes[] = {&cond.shape(), &x.shape(), &y.shape()};
    forEachBroadcast(shape, shapes, [&](int64_t i, const int64_t *off) {
      o[i] = c[off[0]] ? a[off[1]] : b[off[2]];
    });
  });
  return out;
}

NDArray cast(const NDArray &x, DType to) {
  NDArray out(to, x.shape(), NDArray::uninitialized);
  const int64_t n = x.size();
  visitStoredDType(x.dtype(), [&](auto fromTag) {
    using From = decltype(fromTag);
    visitStoredDType(to, [&](auto toTag) {
      using To = decltype(toTag);
      const From *in = x.data<From>();
      To *o = out.data<To>();
      for (int64_t i = 0; i < n; ++i)
        o[i] = castScalar<To>(in[i]);
    });
  });
  return out;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

namespace {

/// Pairwise summation in numpy's order (its pairwise_sum: blocks of at most
/// 128 elements summed with 8 accumulators, halves of longer runs split at a
/// multiple of 8), so float sums of contiguous rows match numpy's bit for
/// bit. Error O(log n) ulps.
template <typename R>
R pairwiseSum(const R *v, int64_t n) {
  if (n < 8) {
    R s = 0;
    for (int64_t i = 0; i < n; ++i)
      s = wrapAdd(s, v[i]);
    return s;
  }
  if (n <= 128) {
    R r[8];
    for (int k = 0; k < 8; ++k)
      r[k] = v[k];
    int64_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int k = 0; k < 8; ++k)
        r[k] = wrapAdd(r[k], v[i + k]);
    R s = wrapAdd(wrapAdd(wrapAdd(r[0], r[1]), wrapAdd(r[2], r[3])),
                  wrapAdd(wrapAdd(r[4], r[5]), wrapAdd(r[6], r[7])));
    for (; i < n; ++i)
      s = wrapAdd(s, v[i]);
    return s;
  }
  int64_t half = n / 2;
  half -= half % 8;
  return wrapAdd(pairwiseSum(v, half), pairwiseSum(v + half, n - half));
}

/// numpy's sum of a contiguous row: its reduction loop sees at most one
/// buffer (8192 elements) at a time, sums each pairwise and adds the sums in
/// order from 0.
template <typename R>
R numpySum(const R *v, int64_t n) {
  constexpr int64_t kBuffer = 8192;
  R s = 0;
  for (int64_t i = 0; i < n; i += kBuffer)
    s = wrapAdd(s, pairwiseSum(v + i, std::min(kBuffer, n - i)));
  return s;
}

/// What each element of the row contributes (Reductions.h), in the
/// accumulation type: the row itself when it already is that (no copy),
/// else converted into `storage` (a plain buffer: R may be bool, and
/// std::vector<bool> has no data()).
template <typename R, typename T>
const R *contributions(Contribution c, const T *row, int64_t n,
                       std::unique_ptr<R[]> &storage) {
  if constexpr (std::is_same_v<R, T>)
    if (c == Contribution::Value)
      return row;
  storage.reset(new R[n]);
  R *v = storage.get();
  switch (c) {
  case Contribution::Value:
    for (int64_t i = 0; i < n; ++i)
      v[i] = castScalar<R>(row[i]);
    break;
  case Contribution::Nonzero:
    for (int64_t i = 0; i < n; ++i)
      v[i] = static_cast<R>(row[i] != 0);
    break;
  case Contribution::ValueNaNAsZero:
    for (int64_t i = 0; i < n; ++i)
      v[i] = isNaN(row[i]) ? R(0) : castScalar<R>(row[i]);
    break;
  }
  return v;
}

/// The extreme of v[0..n) (n > 0) under `F` (Minimum or Maximum: NaN wins).
template <BinaryFn F, typename R>
R extreme(const R *v, int64_t n) {
  R acc = v[0];
  bool ok = true;
  for (int64_t i = 1; i < n; ++i) {
    if constexpr (std::is_same_v<R, bool>)
      acc = F == BinaryFn::Minimum ? (acc && v[i]) : (acc || v[i]);
    else
      acc = binaryArith(F, acc, v[i], ok);
  }
  return acc;
}

/// Reduces one row of `n` elements into out[0] by `fn`'s rule; returns
/// false when numpy would raise (an empty row without identity).
template <typename T, typename R>
bool reduceRow(ReduceFn fn, const T *row, int64_t n, int64_t ddof, R *out) {
  const ReductionRule &rule = reductionRule(fn);
  if (n == 0 && rule.raisesOnEmpty())
    return false;
  std::unique_ptr<R[]> storage;
  switch (rule.combine) {
  case Combine::Add: {
    const R *v = contributions<R>(rule.contribution, row, n, storage);
    if constexpr (std::is_same_v<R, bool>) {
      bool acc = false;
      for (int64_t i = 0; i < n; ++i)
        acc = acc || v[i];
      *out = acc;
    } else {
      *out = numpySum(v, n);
    }
    return true;
  }
  case Combine::Mul: {
    const R *v = contributions<R>(rule.contribution, row, n, storage);
    R p = 1;
    for (int64_t i = 0; i < n; ++i)
      p = wrapMul(p, v[i]);
    *out = p;
    return true;
  }
  case Combine::Min:
  case Combine::Max: {
    const R *v = contributions<R>(rule.contribution, row, n, storage);
    *out = rule.combine == Combine::Min ? extreme<BinaryFn::Minimum>(v, n)
                                        : extreme<BinaryFn::Maximum>(v, n);
    return true;
  }
  case Combine::Or:
  case Combine::And: {
    bool isAnd = rule.combine == Combine::And;
    bool acc = isAnd;
    for (int64_t i = 0; i < n; ++i)
      acc = isAnd ? (acc && row[i] != 0) : (acc || row[i] != 0);
    *out = static_cast<R>(acc);
    return true;
  }
  case Combine::Moments: {
    if constexpr (std::is_floating_point_v<R>) {
      const R *v = contributions<R>(rule.contribution, row, n, storage);
      R mean = numpySum(v, n) / static_cast<R>(n);
      if (rule.finish == Finish::Value) {
        *out = mean;
        return true;
      }
      std::unique_ptr<R[]> squares(new R[n]);
      for (int64_t i = 0; i < n; ++i)
        squares[i] = (v[i] - mean) * (v[i] - mean);
      R var = numpySum(squares.get(), n) /
              static_cast<R>(std::max<int64_t>(n - ddof, 0));
      *out = rule.finish == Finish::Var ? var : std::sqrt(var);
    }
    return true;
  }
  case Combine::ArgMin:
  case Combine::ArgMax: {
    bool isMin = rule.combine == Combine::ArgMin;
    int64_t best = 0;
    for (int64_t i = 1; i < n && !isNaN(row[best]); ++i) {
      bool better = isMin ? row[i] < row[best] : row[i] > row[best];
      if (better || isNaN(row[i]))
        best = i;
    }
    *out = static_cast<R>(best);
    return true;
  }
  }
  return true;
}

/// numpy's error for a reduction without identity over an empty lane.
llvm::Error emptyReductionError(ReduceFn fn) {
  if (reductionRule(fn).isArg())
    return error(llvm::Twine("attempt to get ") + reductionRule(fn).name +
                 " of an empty sequence");
  return error(llvm::Twine("zero-size array to reduction operation ") +
               reductionRule(fn).name + " which has no identity");
}

/// Reduces one lane of a sparse matrix: `length` elements of which the
/// `n` at positions pos[0..n) (increasing) are stored with values
/// val[0..n), the others zero. reduceRow over the whole lane gives what it
/// gives over the stored elements with one zero not stored inserted at its
/// position (reducesCsr's functions): for minimum and maximum, where a
/// later equal element replaces the partial (so the last zero decides the
/// sign of a zero result), the last; for the others the first (argmin and
/// argmax keep the first of equal elements, and a product that has met a
/// zero is a zero or NaN that further zeros leave as it is). Arg
/// reductions map the index back.
template <typename T, typename R>
bool reduceCsrLane(ReduceFn fn, const int64_t *pos, const T *val, int64_t n,
                   int64_t length, R *out, llvm::SmallVector<T, 0> &lane) {
  const Combine combine = reductionRule(fn).combine;
  int64_t gap = -1; // The position of the zero inserted, if any.
  if (n < length) {
    if (combine == Combine::Min || combine == Combine::Max) {
      gap = length - 1;
      for (int64_t k = n - 1; k >= 0 && pos[k] == gap; --k)
        --gap;
    } else {
      gap = n;
      for (int64_t k = 0; k < n; ++k)
        if (pos[k] != k) {
          gap = k;
          break;
        }
    }
  }
  lane.clear();
  int64_t zeroAt = -1;
  for (int64_t k = 0; k < n; ++k) {
    if (gap >= 0 && zeroAt < 0 && pos[k] > gap) {
      zeroAt = static_cast<int64_t>(lane.size());
      lane.push_back(T(0));
    }
    lane.push_back(val[k]);
  }
  if (gap >= 0 && zeroAt < 0) {
    zeroAt = static_cast<int64_t>(lane.size());
    lane.push_back(T(0));
  }
  if (!reduceRow<T, R>(fn, lane.data(), static_cast<int64_t>(lane.size()), 0,
                       out))
    return false;
  if constexpr (std::is_same_v<R, int64_t>)
    if (reductionRule(fn).isArg()) {
      int64_t k = *out;
      *out = k == zeroAt ? gap : pos[zeroAt >= 0 && k > zeroAt ? k - 1 : k];
    }
  return true;
}

/// reduce() of a CSR matrix (reducesCsr(fn)): lanes along the reduced
/// axis (the columns' lanes from the transpose), or one lane in C order.
llvm::Expected<NDArray> reduceCsr(ReduceFn fn, const NDArray &x,
                                  ArrayRef<int64_t> axes, bool keepDims,
                                  DType resultType) {
  const bool isArg = reductionRule(fn).isArg();
  const int64_t rows = x.shape()[0], cols = x.shape()[1];
  if (axes.empty() && !isArg) // Nothing reduced: each element on its own.
    return reduce(fn, toDense(x), axes, keepDims, 0, resultType);
  const bool whole = axes.size() == 2 || axes.empty();
  Shape outShape;
  if (whole)
    outShape = keepDims ? Shape{1, 1} : Shape{};
  else if (axes[0] == 1)
    outShape = keepDims ? Shape{rows, 1} : Shape{rows};
  else
    outShape = keepDims ? Shape{1, cols} : Shape{cols};
  NDArray out(resultType, outShape);
  // Lanes are rows of `m`: of x, or of its transpose for axis 0.
  NDArray transposed;
  if (!whole && axes[0] == 0)
    transposed = csrTranspose(x);
  const NDArray &m = !whole && axes[0] == 0 ? transposed : x;
  const int64_t *ptr = m.indptr(), *idx = m.indices();
  bool ok = true;
  visitDType(x.dtype(), [&](auto inTag) {
    using T = decltype(inTag);
    visitDType(resultType, [&](auto outTag) {
      using R = decltype(outTag);
      const T *val = m.values<T>();
      R *o = out.data<R>();
      llvm::SmallVector<T, 0> lane; // Not std::vector: bool lanes need data().
      if (whole) {
        // One lane over the flattened matrix: positions r * cols + c.
        std::vector<int64_t> flat(static_cast<size_t>(m.nnz()));
        for (int64_t r = 0; r < rows; ++r)
          for (int64_t j = ptr[r]; j < ptr[r + 1]; ++j)
            flat[j] = r * cols + idx[j];
        ok = reduceCsrLane<T, R>(fn, flat.data(), val, m.nnz(), rows * cols,
                                 o, lane);
        return;
      }
      const int64_t lanes = m.shape()[0], length = m.shape()[1];
      for (int64_t r = 0; r < lanes && ok; ++r)
        ok = reduceCsrLane<T, R>(fn, idx + ptr[r], val + ptr[r],
                                 ptr[r + 1] - ptr[r], length, o + r, lane);
    });
  });
  if (!ok)
    return emptyReductionError(fn);
  return out;
}

} // namespace

bool reducesCsr(ReduceFn fn) {
  switch (fn) {
  case ReduceFn::Min:
  case ReduceFn::Max:
  case ReduceFn::ArgMin:
  case ReduceFn::ArgMax:
  case ReduceFn::Prod:
  case ReduceFn::Any:
  case ReduceFn::All:
    return true;
  default:
    return false;
  }
}

llvm::Expected<NDArray> reduce(ReduceFn fn, const NDArray &x,
                               ArrayRef<int64_t> axes, bool keepDims,
                               int64_t ddof, DType resultType) {
  if (x.isSparse()) {
    assert(reducesCsr(fn) && x.rank() == 2 && "a CSR reduction reducesCsr");
    return reduceCsr(fn, x, axes, keepDims, resultType);
  }
  const bool isArg = reductionRule(fn).isArg();
  // Arg reductions without an axis run over the flattened array (the same
  // bytes, seen as one row).
  const bool flatten = isArg && axes.empty();
  Shape inShape = flatten ? Shape{x.size()} : x.shape();
  std::vector<int64_t> reduced(axes.begin(), axes.end());
  if (flatten)
    reduced = {0};

  // Move the kept axes to the front and the reduced ones to the back: each
  // output element is then one contiguous row of the permuted input (the
  // input itself when the reduced axes already are the last ones).
  std::vector<int64_t> perm;
  for (int64_t d = 0; d < static_cast<int64_t>(inShape.size()); ++d)
    if (!llvm::is_contained(reduced, d))
      perm.push_back(d);
  perm.insert(perm.end(), reduced.begin(), reduced.end());
  bool inOrder = true;
  for (size_t d = 0; d < perm.size(); ++d)
    inOrder &= perm[d] == static_cast<int64_t>(d);
  NDArray permuted;
  if (!inOrder)
    permuted = transpose(x, perm);
  const NDArray &rows = inOrder ? x : permuted;

  Shape outShape;
  int64_t rowLen = 1;
  for (int64_t d = 0; d < static_cast<int64_t>(inShape.size()); ++d) {
    if (llvm::is_contained(reduced, d)) {
      rowLen *= inShape[d];
      if (keepDims)
        outShape.push_back(1);
    } else {
      outShape.push_back(inShape[d]);
    }
  }
  if (flatten)
    outShape = keepDims ? Shape(x.rank(), 1) : Shape();

  NDArray out(resultType, outShape);
  const int64_t numRows = out.size();
  bool ok = true;
  visitDType(x.dtype(), [&](auto inTag) {
    using T = decltype(inTag);
    visitDType(resultType, [&](auto outTag) {
      using R = decltype(outTag);
      const T *in = rows.data<T>();
      R *o = out.data<R>();
      for (int64_t r = 0; r < numRows && ok; ++r)
        ok = reduceRow<T, R>(fn, in + r * rowLen, rowLen, ddof, o + r);
    });
  });
  if (!ok)
    return emptyReductionError(fn);
  return out;
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

/// Calls `f(T())` with the float type of a complex dtype's parts.
template <typename F>
static void visitPart(DType part, F &&f) {
  if (part == DType::F32)
    f(float());
  else
    f(double());
}

NDArray complexPart(const NDArray &z, bool imag) {
  assert(isComplex(z.dtype()) && "complexPart of a real array");
  NDArray out(numeric::complexPart(z.dtype()), z.shape(),
              NDArray::Uninitialized{});
  visitPart(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *in = reinterpret_cast<const T *>(z.bytes()) + (imag ? 1 : 0);
    T *o = out.data<T>();
    for (int64_t i = 0, n = z.size(); i < n; ++i)
      o[i] = in[2 * i];
  });
  return out;
}

NDArray makeComplex(const NDArray &re, const NDArray &im) {
  assert(re.dtype() == im.dtype() && re.shape() == im.shape() &&
         "makeComplex of parts that differ");
  NDArray out(complexOf(re.dtype()), re.shape(), NDArray::Uninitialized{});
  visitPart(re.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *r = re.data<T>(), *i = im.data<T>();
    T *o = reinterpret_cast<T *>(out.bytes());
    for (int64_t k = 0, n = re.size(); k < n; ++k) {
      o[2 * k] = r[k];
      o[2 * k + 1] = i[k];
    }
  });
  return out;
}

NDArray transpose(const NDArray &x, ArrayRef<int64_t> perm) {
  Shape outShape(perm.size());
  Shape inStrides = contiguousStrides(x.shape());
  Shape permStrides(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) {
    outShape[i] = x.shape()[perm[i]];
    permStrides[i] = inStrides[perm[i]];
  }
  NDArray out(x.dtype(), outShape);
  // Broadcasting machinery with explicit strides: walk the output in C order.
  const size_t elt = dtypeSize(x.dtype());
  const int64_t rank = perm.size(), n = out.size();
  Shape idx(rank, 0);
  int64_t off = 0;
  for (int64_t flat = 0; flat < n; ++flat) {
    std::memcpy(out.bytes() + flat * elt, x.bytes() + off * elt, elt);
    for (int64_t d = rank - 1; d >= 0; --d) {
      ++idx[d];
      off += permStrides[d];
      if (idx[d] < outShape[d])
        break;
      off -= permStrides[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return out;
}

NDArray broadcastTo(const NDArray &x, ArrayRef<int64_t> shape) {
  NDArray out(x.dtype(), Shape(shape.begin(), shape.end()));
  const size_t elt = dtypeSize(x.dtype());
  const Shape *shapes[] = {&x.shape()};
  forEachBroadcast(shape, shapes, [&](int64_t i, const int64_t *off) {
    std::memcpy(out.bytes() + i * elt, x.bytes() + off[0] * elt, elt);
  });
  return out;
}

SliceDim normalizeSlice(std::optional<int64_t> start,
                        std::optional<int64_t> stop, int64_t step,
                        int64_t dimSize) {
  assert(step != 0 && "slice step cannot be zero");
  auto clamp = [&](std::optional<int64_t> v, int64_t ifNone) {
    if (!v)
      return ifNone;
    int64_t i = *v;
    if (i < 0) {
      i += dimSize;
      if (i < 0)
        i = step < 0 ? -1 : 0;
    } else if (i >= dimSize) {
      i = step < 0 ? dimSize - 1 : dimSize;
    }
    return i;
  };
  int64_t b = clamp(start, step < 0 ? dimSize - 1 : 0);
  int64_t e = clamp(stop, step < 0 ? -1 : dimSize);
  int64_t count = 0;
  if (step < 0) {
    if (e < b)
      count = (b - e - 1) / (-step) + 1;
  } else if (b < e) {
    count = (e - b - 1) / step + 1;
  }
  return {b, step, count};
}

NDArray slice(const NDArray &x, ArrayRef<SliceDim> dims) {
  Shape outShape;
  for (const SliceDim &d : dims)
    outShape.push_back(d.count);
  NDArray out(x.dtype(), outShape, NDArray::uninitialized);
  const int64_t rank = dims.size(), n = out.size();
  if (n == 0)
    return out;
  const size_t elt = dtypeSize(x.dtype());
  Shape inStrides = contiguousStrides(x.shape());
  // The elements copied as one run: the trailing dimensions taken whole,
  // and the one before them when it steps by 1 (a block of rows is one run).
  int64_t inner = rank;
  while (inner > 0 && dims[inner - 1].step == 1 &&
         dims[inner - 1].start == 0 &&
         dims[inner - 1].count == x.shape()[inner - 1])
    --inner;
  if (inner > 0 && dims[inner - 1].step == 1)
    --inner;
  const int64_t run =
      numElements(ArrayRef<int64_t>(outShape).drop_front(inner));
  int64_t base = 0;
  Shape steps(inner);
  for (int64_t d = 0; d < rank; ++d)
    base += dims[d].start * inStrides[d];
  for (int64_t d = 0; d < inner; ++d)
    steps[d] = dims[d].step * inStrides[d];
  Shape idx(inner, 0);
  int64_t off = base;
  for (int64_t flat = 0; flat < n; flat += run) {
    std::memcpy(out.bytes() + flat * elt, x.bytes() + off * elt, run * elt);
    for (int64_t d = inner - 1; d >= 0; --d) {
      ++idx[d];
      off += steps[d];
      if (idx[d] < outShape[d])
        break;
      off -= steps[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return out;
}

NDArray concatenate(ArrayRef<const NDArray *> xs, int64_t axis) {
  Shape outShape = xs.front()->shape();
  outShape[axis] = 0;
  for (const NDArray *x : xs)
    outShape[axis] += x->shape()[axis];
  NDArray out(xs.front()->dtype(), outShape);
  const size_t elt = dtypeSize(out.dtype());
  const int64_t outer = numElements(ArrayRef<int64_t>(outShape).take_front(axis));
  const int64_t inner = numElements(ArrayRef<int64_t>(outShape).drop_front(axis + 1));
  const int64_t outRow = outShape[axis] * inner * elt;
  int64_t column = 0;
  for (const NDArray *x : xs) {
    const int64_t row = x->shape()[axis] * inner * elt;
    for (int64_t o = 0; o < outer; ++o)
      std::memcpy(out.bytes() + o * outRow + column, x->bytes() + o * row, row);
    column += row;
  }
  return out;
}

NDArray stack(ArrayRef<const NDArray *> xs, int64_t axis) {
  std::vector<NDArray> expanded;
  std::vector<const NDArray *> ptrs;
  expanded.reserve(xs.size());
  for (const NDArray *x : xs) {
    Shape s = x->shape();
    s.insert(s.begin() + axis, 1);
    expanded.push_back(x->reshaped(s));
    ptrs.push_back(&expanded.back());
  }
  return concatenate(ptrs, axis);
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

NDArray matmul(const NDArray &a, const NDArray &b) {
  // A stack (rank 3 or more, equal batch dimensions) is `batch` products,
  // in batch order; 1-D operands are a row or a column, their axis dropped.
  const bool stack = a.rank() > 2;
  const Shape &as = a.shape(), &bs = b.shape();
  const int64_t m = a.rank() >= 2 ? as[as.size() - 2] : 1;
  const int64_t k = as.back();
  const int64_t n = b.rank() >= 2 ? bs.back() : 1;
  Shape outShape(as.begin(), as.end() - (stack ? 2 : as.size()));
  int64_t batch = 1;
  for (int64_t d : outShape)
    batch *= d;
  if (a.rank() >= 2)
    outShape.push_back(m);
  if (b.rank() >= 2)
    outShape.push_back(n);
  NDArray out(a.dtype(), outShape);
  visitDType(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *a0 = a.data<T>(), *b0 = b.data<T>();
    T *c0 = out.data<T>();
    for (int64_t s = 0; s < batch; ++s) {
      const T *pa = a0 + s * m * k, *pb = b0 + s * k * n;
      T *pc = c0 + s * m * n;
      for (int64_t i = 0; i < m; ++i)
        for (int64_t p = 0; p < k; ++p)
          for (int64_t j = 0; j < n; ++j)
            pc[i * n + j] = wrapAdd(pc[i * n + j],
                                    wrapMul(pa[i * k + p], pb[p * n + j]));
    }
  });
  return out;
}

NDArray tensordot(const NDArray &a, const NDArray &b, ArrayRef<int64_t> aAxes,
                  ArrayRef<int64_t> bAxes) {
  // numpy's own construction: move the contracted axes together, flatten both
  // operands to matrices, multiply, and unflatten the free axes.
  std::vector<int64_t> aPerm, bPerm;
  Shape outShape;
  int64_t m = 1, n = 1, k = 1;
  for (int64_t d = 0; d < a.rank(); ++d)
    if (!llvm::is_contained(aAxes, d)) {
      aPerm.push_back(d);
      outShape.push_back(a.shape()[d]);
      m *= a.shape()[d];
    }
  for (int64_t d : aAxes) {
    aPerm.push_back(d);
    k *= a.shape()[d];
  }
  bPerm.assign(bAxes.begin(), bAxes.end());
  for (int64_t d = 0; d < b.rank(); ++d)
    if (!llvm::is_contained(bAxes, d)) {
      bPerm.push_back(d);
      outShape.push_back(b.shape()[d]);
      n *= b.shape()[d];
    }
  NDArray a2 = transpose(a, aPerm).reshaped({m, k});
  NDArray b2 = transpose(b, bPerm).reshaped({k, n});
  return matmul(a2, b2).reshaped(outShape);
}

} // namespace mars::numeric
