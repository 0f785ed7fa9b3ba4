//===- ScalarABI.cpp - Scalar helpers generated kernels call ---------------===//
//
// See ScalarABI.h: numpy's floored division, remainder, integer power, gcd
// and lcm, the rules of ScalarRules.h with C linkage for the JIT.
//
//===----------------------------------------------------------------------===//

#include "mars/Numeric/ScalarABI.h"

#include "ScalarRules.h"

#include <atomic>
#include <cstring>

using llvm::ArrayRef;

namespace mars::numeric {

namespace {
std::atomic<const char *> scalarError{nullptr};

template <typename T>
T abiPow(T a, T b) {
  bool ok = true;
  T r = power(a, b, ok);
  if (!ok) {
    const char *expected = nullptr;
    scalarError.compare_exchange_strong(
        expected, "integers to negative integer powers are not allowed");
  }
  return r;
}
} // namespace

extern "C" {
#define MARS_SCALAR_ABI(T, S)                                                  \
  static T mars_floordiv_##S(T a, T b) { return floorDiv(a, b); }              \
  static T mars_mod_##S(T a, T b) { return remainder(a, b); }
MARS_SCALAR_ABI(float, f32)
MARS_SCALAR_ABI(double, f64)
#undef MARS_SCALAR_ABI
static int32_t mars_pow_i32(int32_t a, int32_t b) { return abiPow(a, b); }
static int64_t mars_pow_i64(int64_t a, int64_t b) { return abiPow(a, b); }
static uint64_t mars_pow_u64(uint64_t a, uint64_t b) { return abiPow(a, b); }
#define MARS_SCALAR_ABI(T, S)                                                  \
  static T mars_gcd_##S(T a, T b) {                                            \
    bool ok = true;                                                            \
    return binaryArith(BinaryFn::Gcd, a, b, ok);                               \
  }                                                                            \
  static T mars_lcm_##S(T a, T b) {                                            \
    bool ok = true;                                                            \
    return binaryArith(BinaryFn::Lcm, a, b, ok);                               \
  }
MARS_SCALAR_ABI(int32_t, i32)
MARS_SCALAR_ABI(int64_t, i64)
MARS_SCALAR_ABI(uint64_t, u64)
#undef MARS_SCALAR_ABI
}

#if defined(__x86_64__)
// float16 conversions LLVM lowers to calls on x86-64 (double to half always;
// float to and from half without F16C), by compiler-rt's names and ABI
// (_Float16 in an SSE register), computed by Half's rules.
extern "C" {
static _Float16 toFloat16(Half h) {
  _Float16 r;
  std::memcpy(&r, &h.bits, 2);
  return r;
}
static _Float16 mars_truncdfhf2(double x) {
  return toFloat16(Half::fromDouble(x));
}
static _Float16 mars_truncsfhf2(float x) {
  return toFloat16(Half::fromFloat(x));
}
static float mars_extendhfsf2(_Float16 x) {
  Half h;
  std::memcpy(&h.bits, &x, 2);
  return h.toFloat();
}
}
#endif

ArrayRef<ScalarSymbol> scalarABISymbols() {
#define SYM(name) {#name, reinterpret_cast<void *>(&name)}
  static const ScalarSymbol symbols[] = {
      SYM(mars_floordiv_f32), SYM(mars_floordiv_f64), SYM(mars_mod_f32),
      SYM(mars_mod_f64),      SYM(mars_pow_i32),      SYM(mars_pow_i64),
      SYM(mars_pow_u64),      SYM(mars_gcd_i32),      SYM(mars_gcd_i64),
      SYM(mars_gcd_u64),      SYM(mars_lcm_i32),      SYM(mars_lcm_i64),
      SYM(mars_lcm_u64),
#if defined(__x86_64__)
      {"__truncdfhf2", reinterpret_cast<void *>(&mars_truncdfhf2)},
      {"__truncsfhf2", reinterpret_cast<void *>(&mars_truncsfhf2)},
      {"__extendhfsf2", reinterpret_cast<void *>(&mars_extendhfsf2)},
#endif
  };
#undef SYM
  return symbols;
}

const char *takeScalarError() { return scalarError.exchange(nullptr); }

} // namespace mars::numeric
