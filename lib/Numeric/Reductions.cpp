//===- Reductions.cpp - The algebra of every reduction, once --------------===//

#include "mars/Numeric/Reductions.h"

#include <cmath>
#include <limits>

using namespace mars;
using namespace mars::numeric;

const ReductionRule &numeric::reductionRule(ReduceFn fn) {
  using C = Combine;
  using E = Contribution;
  using F = Finish;
  using R = ResultDType;
  // One row per ReduceFn, in its order.
  static const ReductionRule rules[] = {
      {"sum", C::Add, E::Value, F::Value, R::Accumulate},
      {"prod", C::Mul, E::Value, F::Value, R::Accumulate},
      {"minimum", C::Min, E::Value, F::Value, R::Input},
      {"maximum", C::Max, E::Value, F::Value, R::Input},
      {"mean", C::Moments, E::Value, F::Value, R::Float},
      {"var", C::Moments, E::Value, F::Var, R::Float},
      {"std", C::Moments, E::Value, F::Std, R::Float},
      {"argmin", C::ArgMin, E::Value, F::Index, R::Index},
      {"argmax", C::ArgMax, E::Value, F::Index, R::Index},
      {"any", C::Or, E::Nonzero, F::Value, R::Bool},
      {"all", C::And, E::Nonzero, F::Value, R::Bool},
      {"count_nonzero", C::Add, E::Nonzero, F::Value, R::Index},
      {"nansum", C::Add, E::ValueNaNAsZero, F::Value, R::Accumulate},
  };
  static_assert(sizeof(rules) / sizeof(rules[0]) == kNumReduceFns,
                "one rule per ReduceFn");
  return rules[static_cast<size_t>(fn)];
}

DType numeric::reductionResultDType(ReduceFn fn, DType input) {
  const bool isFloat = numeric::isFloat(input);
  switch (reductionRule(fn).result) {
  case ResultDType::Accumulate:
    // numpy's sum and prod of integers accumulate in the platform's
    // (unsigned) long: int64 for bool and signed, uint64 for unsigned.
    return isFloat ? input : isUnsigned(input) ? DType::U64 : DType::I64;
  case ResultDType::Input:
    return input;
  case ResultDType::Float:
    return isFloat ? input : DType::F64;
  case ResultDType::Index:
    return DType::I64;
  case ResultDType::Bool:
    return DType::Bool;
  }
  return input;
}

NDArray numeric::identityArray(ReduceFn fn, DType dtype, const Shape &shape) {
  NDArray out(dtype, shape);
  Combine combine = reductionRule(fn).combine;
  visitDType(dtype, [&](auto tag) {
    using T = decltype(tag);
    T v{};
    switch (combine) {
    case Combine::Mul:
    case Combine::And:
      v = T(1);
      break;
    case Combine::Min:
      if constexpr (std::is_floating_point_v<T>)
        v = std::numeric_limits<T>::infinity();
      else
        v = std::numeric_limits<T>::max();
      break;
    case Combine::Max:
      if constexpr (std::is_floating_point_v<T>)
        v = -std::numeric_limits<T>::infinity();
      else
        v = std::numeric_limits<T>::lowest();
      break;
    default: // Add, Or, Moments: zero; Arg partials start empty.
      break;
    }
    T *o = out.data<T>();
    for (int64_t i = 0, n = out.size(); i < n; ++i)
      o[i] = v;
  });
  return out;
}

/// Chan, Golub and LeVeque's pairwise update of (count, mean, M2), kept to
/// numpy's answers where partials are not finite.
static void mergeMoments(DType rtype, const Partial &a, const Partial &b,
                         Partial &out) {
  if (a.count == 0 || b.count == 0) {
    const Partial &kept = a.count == 0 ? b : a;
    out.value = kept.value;
    out.aux = kept.aux;
    return;
  }
  out.value = a.value;
  out.aux = a.aux;
  visitDType(rtype, [&](auto tag) {
    using R = decltype(tag);
    if constexpr (std::is_floating_point_v<R>) {
      R na = a.count, nb = b.count, n = na + nb;
      R wa = na / n, wb = nb / n;
      R inf = std::numeric_limits<R>::infinity();
      for (int64_t i = 0; i < out.value.size(); ++i) {
        R ma = a.value.data<R>()[i], mb = b.value.data<R>()[i];
        R delta = mb - ma;
        // numpy's mean is sum / n, and its var the mean square deviation
        // from that mean. Chan's form is used while it is finite.
        // Otherwise: finite means whose sum overflows give numpy's
        // infinite mean; infinite or NaN means, or finite means whose
        // difference overflows, give the weighted sum of the means
        // (inf + finite is inf, inf - inf is NaN, and 1.5e308 and
        // -1.5e308 average to 0), where Chan's form would give NaN or an
        // infinity.
        R sum = ma * na + mb * nb;
        R mean;
        if (std::isfinite(delta) && std::isfinite(sum))
          mean = ma + delta * wb;
        else if (std::isfinite(ma) && std::isfinite(mb) && !std::isfinite(sum))
          mean = sum / n;
        else
          mean = ma * wa + mb * wb;
        out.value.data<R>()[i] = mean;
        // Where a mean is not finite, numpy's var is NaN if an element is
        // not finite (a partial's M2 is NaN then) and inf otherwise (the
        // sum overflowed): the cross term is taken as inf, never as the
        // NaN of inf - inf.
        R cross =
            std::isfinite(ma) && std::isfinite(mb) && std::isfinite(mean)
                ? delta * delta * (na * wb)
                : inf;
        out.aux.data<R>()[i] = a.aux.data<R>()[i] + b.aux.data<R>()[i] + cross;
      }
    }
  });
}

/// (value, global index) pairs: NaN wins (the first NaN), then the extreme,
/// then the smaller index.
static void mergeArg(bool isMin, const Partial &a, const Partial &b,
                     Partial &out) {
  out.value = a.value;
  out.aux = a.aux;
  visitDType(a.value.dtype(), [&](auto tag) {
    using T = decltype(tag);
    for (int64_t i = 0; i < out.value.size(); ++i) {
      T va = a.value.data<T>()[i], vb = b.value.data<T>()[i];
      int64_t ia = a.aux.data<int64_t>()[i], ib = b.aux.data<int64_t>()[i];
      bool takeB;
      if (isNaN(va) || isNaN(vb))
        takeB = isNaN(vb) && (!isNaN(va) || ib < ia);
      else if (va == vb)
        takeB = ib < ia;
      else
        takeB = isMin ? vb < va : vb > va;
      if (takeB) {
        out.value.data<T>()[i] = vb;
        out.aux.data<int64_t>()[i] = ib;
      }
    }
  });
}

Partial numeric::combinePartials(ReduceFn fn, DType rtype, const Partial &a,
                                 const Partial &b) {
  Partial out;
  out.count = a.count + b.count;
  auto apply = [&](BinaryFn f) {
    auto r = binary(f, a.value, b.value, rtype);
    return std::move(*r); // Combining same-shaped partials cannot fail.
  };
  bool isBool = rtype == DType::Bool;
  switch (reductionRule(fn).combine) {
  case Combine::Add:
    out.value = apply(BinaryFn::Add);
    break;
  case Combine::Mul:
    out.value = apply(BinaryFn::Mul);
    break;
  case Combine::Min:
    out.value = apply(isBool ? BinaryFn::LogicalAnd : BinaryFn::Minimum);
    break;
  case Combine::Max:
    out.value = apply(isBool ? BinaryFn::LogicalOr : BinaryFn::Maximum);
    break;
  case Combine::Or:
    out.value = apply(BinaryFn::LogicalOr);
    break;
  case Combine::And:
    out.value = apply(BinaryFn::LogicalAnd);
    break;
  case Combine::Moments:
    mergeMoments(rtype, a, b, out);
    break;
  case Combine::ArgMin:
  case Combine::ArgMax:
    mergeArg(reductionRule(fn).combine == Combine::ArgMin, a, b, out);
    break;
  }
  return out;
}

NDArray numeric::finishPartial(ReduceFn fn, int64_t ddof, Partial p) {
  Finish finish = reductionRule(fn).finish;
  if (finish == Finish::Index)
    return std::move(p.aux);
  if (finish == Finish::Value)
    return std::move(p.value);
  visitDType(p.aux.dtype(), [&](auto tag) {
    using R = decltype(tag);
    if constexpr (std::is_floating_point_v<R>) {
      R div = static_cast<R>(std::max<int64_t>(p.count - ddof, 0));
      for (int64_t i = 0; i < p.aux.size(); ++i) {
        R var = p.aux.data<R>()[i] / div;
        p.aux.data<R>()[i] = finish == Finish::Std ? std::sqrt(var) : var;
      }
    }
  });
  return std::move(p.aux);
}
