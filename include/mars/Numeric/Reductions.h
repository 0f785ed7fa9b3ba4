//===- Reductions.h - The algebra of every reduction, once ------*- C++ -*-===//
//
// A reduction is computed in parts: each part folds its elements into a
// partial (from the combine's identity), partials combine pairwise, and a
// finish turns the last partial into the result. This file states, for each
// ReduceFn, which combine, contribution and finish it uses and what dtype it
// yields: one table, read by the reference kernels (Kernels.cpp), the op
// verifiers, the chunk runtimes (which merge partials with the functions
// below) and the kernel emitter (which emits the same combine inline). A new
// reduction made of existing parts is one new row.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_NUMERIC_REDUCTIONS_H
#define MARS_NUMERIC_REDUCTIONS_H

#include "mars/Numeric/Kernels.h"

#include "llvm/ADT/StringRef.h"

namespace mars::numeric {

/// How two partials (or a partial and an element) merge.
enum class Combine {
  Add,
  Mul,
  /// numpy's minimum/maximum (NaN wins); logical and/or on bool.
  Min,
  Max,
  Or,
  And,
  /// (count, mean, M2), merged as Chan, Golub and LeVeque do.
  Moments,
  /// (value, global index), NaN first, then the smaller index on ties.
  ArgMin,
  ArgMax,
};

/// What an element contributes to a partial.
enum class Contribution {
  /// The element converted to the result dtype.
  Value,
  /// Whether it is nonzero (NaN is nonzero), converted to the result dtype.
  Nonzero,
  /// The element, or 0 where it is NaN (numpy's nan-reductions).
  ValueNaNAsZero,
};

/// What turns the combined partial into the result.
enum class Finish {
  /// The partial's value (for Moments: its mean).
  Value,
  /// M2 / (count - ddof), and its square root.
  Var,
  Std,
  /// The partial's global index.
  Index,
};

/// The result dtype, from the operand dtype.
enum class ResultDType {
  /// Floats keep theirs; integers and bool accumulate in i64 (sum, prod).
  Accumulate,
  /// The operand's (min, max).
  Input,
  /// Floats keep theirs; integers and bool give f64 (mean, var, std).
  Float,
  /// i64 (argmin, argmax, count_nonzero).
  Index,
  /// i1 (any, all).
  Bool,
};

struct ReductionRule {
  /// numpy's name.
  llvm::StringLiteral name;
  Combine combine;
  Contribution contribution;
  Finish finish;
  ResultDType result;

  /// An empty reduction raises (numpy: "zero-size array to reduction
  /// operation ... which has no identity", "attempt to get argmin of an
  /// empty sequence").
  bool raisesOnEmpty() const {
    return combine == Combine::Min || combine == Combine::Max || isArg();
  }
  bool isArg() const {
    return combine == Combine::ArgMin || combine == Combine::ArgMax;
  }
  bool isMoments() const { return combine == Combine::Moments; }
  /// A partial carries a second array: M2, or the indices.
  bool hasAux() const { return isMoments() || isArg(); }
  /// One pass over the elements and one value per partial: eligible as an
  /// inner reduction of a fused group and as a root of a multi-output group
  /// (a mean's pass is its sum).
  bool isOnePass() const {
    return !isArg() && finish != Finish::Var && finish != Finish::Std;
  }
};

/// The rule of `fn` (the one table).
const ReductionRule &reductionRule(ReduceFn fn);

/// The result dtype of `fn` over operands of `input`.
DType reductionResultDType(ReduceFn fn, DType input);

/// A reduction's partial result over part of its reduced extent: the
/// value (Moments: the mean; Arg: the extreme value), the aux array (M2, or
/// the global indices), and the number of elements folded.
struct Partial {
  NDArray value, aux;
  int64_t count = 0;

  uint64_t nbytes() const { return value.nbytes() + aux.nbytes(); }
};

/// An array of `shape` filled with the identity of `fn`'s combine: what a
/// partial holds before it has seen an element (min: +inf or the largest
/// integer, and so on).
NDArray identityArray(ReduceFn fn, DType dtype, const Shape &shape);

/// Merges partials `a` and `b` (same shape; `resultType` is the
/// reduction's result dtype).
Partial combinePartials(ReduceFn fn, DType resultType, const Partial &a,
                        const Partial &b);

/// The result from the last partial.
NDArray finishPartial(ReduceFn fn, int64_t ddof, Partial p);

} // namespace mars::numeric

#endif // MARS_NUMERIC_REDUCTIONS_H
