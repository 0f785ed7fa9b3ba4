//===- ScalarRules.h - numpy's rules for one element ----------*- C++ -*-===//
//
// Private to lib/Numeric: the scalar rules the whole-array kernels
// (Kernels.cpp, CreationKernels.cpp) and the scalar ABI of generated
// kernels (ScalarABI.cpp) apply element by element. Integer arithmetic
// wraps as numpy's does; division, remainder and power follow numpy's C
// implementation.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_LIB_NUMERIC_SCALARRULES_H
#define MARS_LIB_NUMERIC_SCALARRULES_H

#include "mars/Numeric/Kernels.h"
#include "mars/Numeric/Libm.h"

#include "llvm/Support/Compiler.h"

#include <cstdint>
#include <cmath>
#include <limits>
#include <type_traits>

namespace mars::numeric {

template <typename T>
struct UnsignedOf {
  using type = std::make_unsigned_t<T>;
};
template <>
struct UnsignedOf<bool> {
  using type = bool;
};
template <typename T>
using Unsigned = typename UnsignedOf<T>::type;

/// The unsigned type wrapping arithmetic on T happens in: at least
/// `unsigned`, so that int8/int16 operands are not promoted to (signed,
/// overflowing) int.
template <typename T>
using WrapType = std::common_type_t<Unsigned<T>, unsigned>;

template <typename T>
T wrapAdd(T a, T b) {
  if constexpr (std::is_integral_v<T>)
    return static_cast<T>(static_cast<WrapType<T>>(a) +
                          static_cast<WrapType<T>>(b));
  else
    return a + b;
}
template <typename T>
T wrapSub(T a, T b) {
  if constexpr (std::is_integral_v<T>)
    return static_cast<T>(static_cast<WrapType<T>>(a) -
                          static_cast<WrapType<T>>(b));
  else
    return a - b;
}
template <typename T>
T wrapMul(T a, T b) {
  if constexpr (std::is_integral_v<T>)
    return static_cast<T>(static_cast<WrapType<T>>(a) *
                          static_cast<WrapType<T>>(b));
  else
    return a * b;
}

/// numpy's npy_divmod for floats: returns the floored quotient, sets `mod`.
template <typename T>
T floatDivmod(T a, T b, T &mod) {
  mod = std::fmod(a, b);
  if (b == 0) {
    return a / b;
  }
  T div = (a - mod) / b;
  if (mod != 0) {
    if ((b < 0) != (mod < 0)) {
      mod += b;
      div -= T(1);
    }
  } else {
    mod = std::copysign(T(0), b);
  }
  T floordiv;
  if (div != 0) {
    floordiv = std::floor(div);
    if (div - floordiv > T(0.5))
      floordiv += T(1);
  } else {
    floordiv = std::copysign(T(0), a / b);
  }
  return floordiv;
}

template <typename T>
T floorDiv(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (b == 0)
      return a / b;
    T mod;
    return floatDivmod(a, b, mod);
  } else {
    if (b == 0)
      return 0;
    if constexpr (std::is_unsigned_v<T>) {
      return T(a / b);
    } else {
      if (b == -1)
        return a == std::numeric_limits<T>::min() ? a : T(-a);
      T q = T(a / b);
      if (((a < 0) != (b < 0)) && q * b != a)
        --q;
      return q;
    }
  }
}

template <typename T>
T remainder(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (b == 0)
      return std::fmod(a, b);
    T mod;
    floatDivmod(a, b, mod);
    return mod;
  } else {
    if (b == 0)
      return 0;
    if constexpr (std::is_unsigned_v<T>) {
      return T(a % b);
    } else {
      if (b == -1)
        return 0;
      T r = T(a % b);
      if (r != 0 && ((b < 0) != (r < 0)))
        r += b;
      return r;
    }
  }
}

/// Integer power by squaring; `ok` is cleared for negative exponents, which
/// numpy rejects for integers.
template <typename T>
T power(T a, T b, bool &ok) {
  if constexpr (std::is_floating_point_v<T>) {
    return libm::pow(a, b);
  } else {
    if (b < 0) {
      ok = false;
      return 0;
    }
    T result = 1;
    while (b) {
      if (b & 1)
        result = wrapMul(result, a);
      a = wrapMul(a, a);
      b >>= 1;
    }
    return result;
  }
}

/// |a| as the unsigned type of its width (the minimum's wraps to itself).
template <typename U, typename T>
U magnitude(T a) {
  return a < 0 ? U(U(0) - U(a)) : U(a);
}

/// Euclid's algorithm (numpy's npy_gcdu): gcd(0, 0) is 0.
template <typename U>
U gcdMagnitude(U a, U b) {
  while (a != 0) {
    U c = a;
    a = b % a;
    b = c;
  }
  return b;
}

/// The exponent of ldexp, which Mars carries in the mantissa's float type
/// (numpy's are integers, exact in it): truncated, clamped to a count past
/// every finite result, NaN as 0.
template <typename T>
int ldexpCount(T n) {
  constexpr T limit = T(100000);
  if (isNaN(n))
    return 0;
  return static_cast<int>(n < -limit ? -limit : n > limit ? limit : n);
}

// The four rules below are always inlined: the element loops call them with
// a constant function (visitUnaryFn/visitBinaryFn in Kernels.cpp), and only
// inlined does the switch fold away so that the loop vectorises.
template <typename T>
LLVM_ATTRIBUTE_ALWAYS_INLINE T unaryArith(UnaryFn fn, T x) {
  if constexpr (std::is_same_v<T, bool>) {
    return x; // Rejected by the verifier; never reached.
  } else {
    switch (fn) {
    case UnaryFn::Neg:
      if constexpr (std::is_floating_point_v<T>)
        return -x; // numpy: negative(0.0) is -0.0.
      else
        return wrapSub(T(0), x);
    case UnaryFn::Abs:
      if constexpr (std::is_floating_point_v<T>)
        return std::fabs(x);
      else
        return x < 0 ? wrapSub(T(0), x) : x;
    case UnaryFn::Square:
      return wrapMul(x, x);
    case UnaryFn::Sign:
      if (isNaN(x))
        return x;
      return x > 0 ? T(1) : (x < 0 ? T(-1) : T(0));
    case UnaryFn::Invert:
      if constexpr (std::is_integral_v<T>)
        return T(~x);
      else
        return x; // Integers only (the verifier); never reached.
    default:
      break;
    }
    if constexpr (std::is_floating_point_v<T>) {
      switch (fn) {
      case UnaryFn::Sqrt:
        return std::sqrt(x);
      case UnaryFn::Exp:
        return libm::exp(x);
      case UnaryFn::Log:
        return libm::log(x);
      case UnaryFn::Sin:
        return libm::sin(x);
      case UnaryFn::Cos:
        return libm::cos(x);
      case UnaryFn::Tanh:
        return libm::tanh(x);
      case UnaryFn::Floor:
        return std::floor(x);
      case UnaryFn::Ceil:
        return std::ceil(x);
      case UnaryFn::Tan:
        return libm::tan(x);
      case UnaryFn::Arcsin:
        return libm::asin(x);
      case UnaryFn::Arccos:
        return libm::acos(x);
      case UnaryFn::Arctan:
        return libm::atan(x);
      case UnaryFn::Sinh:
        return libm::sinh(x);
      case UnaryFn::Cosh:
        return libm::cosh(x);
      case UnaryFn::Arcsinh:
        return libm::asinh(x);
      case UnaryFn::Arccosh:
        return libm::acosh(x);
      case UnaryFn::Arctanh:
        return libm::atanh(x);
      case UnaryFn::Log2:
        return libm::log2(x);
      case UnaryFn::Log10:
        return libm::log10(x);
      case UnaryFn::Log1p:
        return libm::log1p(x);
      case UnaryFn::Exp2:
        return libm::exp2(x);
      case UnaryFn::Expm1:
        return libm::expm1(x);
      case UnaryFn::Cbrt:
        return libm::cbrt(x);
      case UnaryFn::Trunc:
        return std::trunc(x);
      case UnaryFn::Rint:
        // Halves to even (the default rounding mode), as numpy's rint.
        return std::nearbyint(x);
      case UnaryFn::Degrees:
      case UnaryFn::Radians:
        return x * angleScale<T>(fn);
      // scipy.special's erf, erfc, gamma, gammaln: the C library's, with
      // scipy's values where C99 differs: gamma is +inf at its poles (the
      // non-positive integers, -0.0 included) and -inf at -inf, and
      // gammaln(-inf) is -inf.
      case UnaryFn::Erf:
        return libm::erf(x);
      case UnaryFn::Erfc:
        return libm::erfc(x);
      case UnaryFn::Gamma:
        if (x == -std::numeric_limits<T>::infinity())
          return x;
        if (x <= 0 && std::floor(x) == x)
          return std::numeric_limits<T>::infinity();
        return std::tgamma(x);
      case UnaryFn::Lgamma:
        if (x == -std::numeric_limits<T>::infinity())
          return x;
        return std::lgamma(x);
      default:
        break;
      }
    }
    return x; // Float-only functions on integers are rejected by the verifier.
  }
}

template <typename T>
LLVM_ATTRIBUTE_ALWAYS_INLINE bool unaryPredicate(UnaryFn fn, T x) {
  switch (fn) {
  case UnaryFn::IsNan:
    return isNaN(x);
  case UnaryFn::IsInf:
    if constexpr (std::is_floating_point_v<T>)
      return std::isinf(x);
    return false;
  case UnaryFn::IsFinite:
    if constexpr (std::is_floating_point_v<T>)
      return std::isfinite(x);
    return true;
  case UnaryFn::SignBit:
    // Floats only (the API converts integers, as numpy's loops do).
    if constexpr (std::is_floating_point_v<T>)
      return std::signbit(x);
    return false;
  default:
    return x == 0; // LogicalNot
  }
}

template <typename T>
LLVM_ATTRIBUTE_ALWAYS_INLINE T binaryArith(BinaryFn fn, T a, T b, bool &ok) {
  if constexpr (std::is_same_v<T, bool>) {
    return a; // Rejected by the verifier; never reached.
  } else {
    switch (fn) {
    case BinaryFn::Add:
      return wrapAdd(a, b);
    case BinaryFn::Sub:
      return wrapSub(a, b);
    case BinaryFn::Mul:
      return wrapMul(a, b);
    case BinaryFn::Div:
      if constexpr (std::is_floating_point_v<T>)
        return a / b;
      else
        return floorDiv(a, b); // Rejected by the verifier; never reached.
    case BinaryFn::FloorDiv:
      return floorDiv(a, b);
    case BinaryFn::Mod:
      return remainder(a, b);
    case BinaryFn::Pow:
      return power(a, b, ok);
    case BinaryFn::Arctan2:
      if constexpr (std::is_floating_point_v<T>)
        return libm::atan2(a, b);
      else
        return a; // Rejected by the verifier; never reached.
    // numpy's (SIMD) loops: the first operand only when it is greater
    // (less) or NaN, so of equal operands (zeros of both signs) the second.
    case BinaryFn::Maximum:
      return (a > b || isNaN(a)) ? a : b;
    case BinaryFn::Minimum:
      return (a < b || isNaN(a)) ? a : b;
    // fmax/fmin: the same with NaN ignored (NaN only when both are).
    case BinaryFn::Fmax:
      return (a > b || isNaN(b)) ? a : b;
    case BinaryFn::Fmin:
      return (a < b || isNaN(b)) ? a : b;
    // C's remainder (the dividend's sign); integers by 0 (and by -1, which
    // would trap for the minimum) give 0, as numpy's loops.
    case BinaryFn::Fmod:
      if constexpr (std::is_floating_point_v<T>)
        return std::fmod(a, b);
      else
        return (b == 0 || (std::is_signed_v<T> && b == T(-1))) ? T(0)
                                                               : T(a % b);
    default:
      break;
    }
    if constexpr (std::is_integral_v<T>) {
      // numpy's shifts: a count outside [0, bits) shifts everything out
      // (0, or -1 for a negative number shifted right).
      constexpr T bits = T(sizeof(T) * 8);
      using U = std::make_unsigned_t<T>;
      switch (fn) {
      case BinaryFn::BitwiseAnd:
        return T(a & b);
      case BinaryFn::BitwiseOr:
        return T(a | b);
      case BinaryFn::BitwiseXor:
        return T(a ^ b);
      case BinaryFn::LeftShift:
        return U(b) < U(bits) ? T(U(a) << b) : T(0);
      case BinaryFn::RightShift:
        return U(b) < U(bits) ? T(a >> b) : (a < 0 ? T(-1) : T(0));
      // numpy's npy_gcd/npy_lcm: Euclid on the magnitudes as unsigned
      // (the minimum's magnitude wraps back to itself), lcm as a / gcd * b
      // with wrapping, 0 when both are 0.
      case BinaryFn::Gcd:
        return T(gcdMagnitude<U>(magnitude<U>(a), magnitude<U>(b)));
      case BinaryFn::Lcm: {
        U ua = magnitude<U>(a), ub = magnitude<U>(b);
        U g = gcdMagnitude<U>(ua, ub);
        return g == 0 ? T(0)
                      : T(static_cast<WrapType<U>>(ua / g) *
                          static_cast<WrapType<U>>(ub));
      }
      default:
        break;
      }
    }
    if constexpr (std::is_floating_point_v<T>) {
      switch (fn) {
      case BinaryFn::Hypot:
        return libm::hypot(a, b);
      case BinaryFn::Copysign:
        return std::copysign(a, b);
      case BinaryFn::Nextafter:
        return std::nextafter(a, b);
      case BinaryFn::Logaddexp:
      case BinaryFn::Logaddexp2: {
        // numpy's npy_logaddexp(2): equal operands (infinities of one
        // sign) directly, else the larger plus the log of 1 + the smaller's
        // share; NaN passes through as the difference.
        const bool two = fn == BinaryFn::Logaddexp2;
        if (a == b)
          return a + (two ? T(1) : T(0.693147180559945309417232121458176568));
        T d = a - b;
        auto log1pExp = [&](T x) {
          return two ? T(1.442695040888963407359924681001892137) *
                           libm::log1p(libm::exp2(x))
                     : libm::log1p(libm::exp(x));
        };
        if (d > 0)
          return a + log1pExp(-d);
        if (d <= 0)
          return b + log1pExp(d);
        return d;
      }
      case BinaryFn::Heaviside:
        if (isNaN(a))
          return std::numeric_limits<T>::quiet_NaN();
        return a == 0 ? b : (a < 0 ? T(0) : T(1));
      case BinaryFn::Ldexp:
        return std::ldexp(a, ldexpCount(b));
      default:
        break;
      }
    }
    return a; // Float-only functions on integers are rejected by the verifier.
  }
}

template <typename T>
LLVM_ATTRIBUTE_ALWAYS_INLINE bool binaryPredicate(BinaryFn fn, T a, T b) {
  switch (fn) {
  case BinaryFn::Eq:
    return a == b;
  case BinaryFn::Ne:
    return a != b;
  case BinaryFn::Lt:
    return a < b;
  case BinaryFn::Le:
    return a <= b;
  case BinaryFn::Gt:
    return a > b;
  case BinaryFn::Ge:
    return a >= b;
  case BinaryFn::LogicalAnd:
    return (a != 0) && (b != 0);
  case BinaryFn::LogicalOr:
    return (a != 0) || (b != 0);
  case BinaryFn::LogicalXor:
    return (a != 0) != (b != 0);
  default:
    return false;
  }
}

template <typename To, typename From>
To castScalar(From x) {
  if constexpr (std::is_same_v<To, Half> && std::is_same_v<From, Half>) {
    return x;
  } else if constexpr (std::is_same_v<From, Half>) {
    // numpy converts float16 through float (exact) to everything else.
    return castScalar<To>(x.toFloat());
  } else if constexpr (std::is_same_v<To, Half>) {
    // Once from double; integers (and bool) through float, as numpy does:
    // (float)x, then to float16.
    if constexpr (std::is_same_v<From, double>)
      return Half::fromDouble(x);
    else
      return Half::fromFloat(static_cast<float>(x));
  } else if constexpr (std::is_same_v<To, bool>) {
    return x != 0;
  } else if constexpr (std::is_floating_point_v<From> &&
                       std::is_integral_v<To>) {
    // numpy's casts are C's, whose out-of-range results (NaN, inf, too
    // large) are undefined; numpy on x86-64 gives what its instructions do
    // one element at a time, and so does Mars on every host. The bits come
    // from a truncating conversion to int32 (types narrower than 32 bits and
    // int32) or int64 (uint32, int64), which gives the minimum (the "integer
    // indefinite") out of range; uint64 converts x, or from 2^63 up x - 2^63
    // with the top bit flipped. (numpy's SIMD loop for uint32 differs from
    // its own scalar one out of range: its result depends on the element's
    // position; Mars's is the scalar one's.)
    double d = static_cast<double>(x);
    auto cvt = [](double v, int bits) -> int64_t {
      double limit = std::ldexp(1.0, bits - 1);
      if (!(v >= -limit && v < limit))
        return bits == 32 ? INT32_MIN : INT64_MIN;
      return static_cast<int64_t>(v);
    };
    if constexpr (std::is_same_v<To, uint64_t>) {
      const double top = 9223372036854775808.0;
      if (d >= top)
        return static_cast<uint64_t>(cvt(d - top, 64)) ^ (uint64_t(1) << 63);
    }
    constexpr bool wide = sizeof(To) == 8 || std::is_same_v<To, uint32_t>;
    return static_cast<To>(cvt(d, wide ? 64 : 32));
  } else {
    return static_cast<To>(x);
  }
}

} // namespace mars::numeric

#endif // MARS_LIB_NUMERIC_SCALARRULES_H
