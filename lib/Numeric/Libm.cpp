//===- Libm.cpp - One algorithm per libm function, on every engine ---------===//
//
// See Libm.h. The scalar form of a vector function broadcasts its argument
// into an AVX2 register, calls libmvec's function and returns lane 0.
//
//===----------------------------------------------------------------------===//

#include "mars/Numeric/Libm.h"

#include "llvm/ADT/StringSwitch.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace mars::numeric;

#if defined(__x86_64__)
#include <immintrin.h>

#define MARS_AVX2 __attribute__((target("avx2")))

// libmvec's AVX2 forms, by the x86-64 vector function ABI's names.
extern "C" {
#define MARS_VM_DECLARE(fn, arity) MARS_VM_DECLARE_##arity(fn)
#define MARS_VM_DECLARE_1(fn)                                                  \
  MARS_AVX2 __m256d _ZGVdN4v_##fn(__m256d);                                    \
  MARS_AVX2 __m256 _ZGVdN8v_##fn##f(__m256);
#define MARS_VM_DECLARE_2(fn)                                                  \
  MARS_AVX2 __m256d _ZGVdN4vv_##fn(__m256d, __m256d);                          \
  MARS_AVX2 __m256 _ZGVdN8vv_##fn##f(__m256, __m256);
MARS_LIBM_VECTOR_FUNCTIONS(MARS_VM_DECLARE)
#undef MARS_VM_DECLARE_2
#undef MARS_VM_DECLARE_1
#undef MARS_VM_DECLARE

// Lane 0 of the vector form: what generated code calls for an element it
// computes alone.
#define MARS_VM_DEFINE(fn, arity) MARS_VM_DEFINE_##arity(fn)
#define MARS_VM_DEFINE_1(fn)                                                   \
  MARS_AVX2 static double mars_vm_##fn(double x) {                             \
    return _mm256_cvtsd_f64(_ZGVdN4v_##fn(_mm256_set1_pd(x)));                 \
  }                                                                            \
  MARS_AVX2 static float mars_vm_##fn##f(float x) {                            \
    return _mm256_cvtss_f32(_ZGVdN8v_##fn##f(_mm256_set1_ps(x)));              \
  }
#define MARS_VM_DEFINE_2(fn)                                                   \
  MARS_AVX2 static double mars_vm_##fn(double x, double y) {                   \
    return _mm256_cvtsd_f64(                                                   \
        _ZGVdN4vv_##fn(_mm256_set1_pd(x), _mm256_set1_pd(y)));                 \
  }                                                                            \
  MARS_AVX2 static float mars_vm_##fn##f(float x, float y) {                   \
    return _mm256_cvtss_f32(                                                   \
        _ZGVdN8vv_##fn##f(_mm256_set1_ps(x), _mm256_set1_ps(y)));              \
  }
MARS_LIBM_VECTOR_FUNCTIONS(MARS_VM_DEFINE)
#undef MARS_VM_DEFINE_2
#undef MARS_VM_DEFINE_1
#undef MARS_VM_DEFINE
}
#define MARS_VM(fn) mars_vm_##fn
#else
// No vector forms (vectorForms() is false): the C library's everywhere.
#define MARS_VM(fn) ::fn
#endif

static bool detectVectorForms() {
#if !defined(__x86_64__)
  return false;
#else
  // MARS_SCALAR_LIBM=1 keeps the C library's scalar functions. Every
  // process of a run must agree (a cluster's workers, and the client,
  // whose constant folder computes small values): a cluster's scheduler
  // refuses a process that differs (dist::checkLibm).
  if (const char *s = std::getenv("MARS_SCALAR_LIBM");
      s && std::strcmp(s, "1") == 0)
    return false;
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
#endif
}

bool libm::vectorForms() {
  static const bool enabled = detectVectorForms();
  return enabled;
}

#define MARS_LIBM_DEFINE(fn, arity) MARS_LIBM_DEFINE_##arity(fn)
#define MARS_LIBM_DEFINE_1(fn)                                                 \
  double libm::fn(double x) {                                                  \
    return vectorForms() ? MARS_VM(fn)(x) : ::fn(x);                          \
  }                                                                            \
  float libm::fn(float x) {                                                    \
    return vectorForms() ? MARS_VM(fn##f)(x) : ::fn##f(x);                    \
  }
#define MARS_LIBM_DEFINE_2(fn)                                                 \
  double libm::fn(double x, double y) {                                        \
    return vectorForms() ? MARS_VM(fn)(x, y) : ::fn(x, y);                    \
  }                                                                            \
  float libm::fn(float x, float y) {                                           \
    return vectorForms() ? MARS_VM(fn##f)(x, y) : ::fn##f(x, y);              \
  }
MARS_LIBM_VECTOR_FUNCTIONS(MARS_LIBM_DEFINE)
#undef MARS_LIBM_DEFINE_2
#undef MARS_LIBM_DEFINE_1
#undef MARS_LIBM_DEFINE

/// The function's arity, 0 if libmvec has no form of it.
static int arityOf(llvm::StringRef name) {
  auto arity = [](llvm::StringRef base) {
#define MARS_LIBM_CASE(fn, arity) .Case(#fn, arity)
    return llvm::StringSwitch<int>(base)
        MARS_LIBM_VECTOR_FUNCTIONS(MARS_LIBM_CASE)
        .Default(0);
#undef MARS_LIBM_CASE
  };
  if (int a = arity(name))
    return a;
  // "erff" is erf's float form, "erf" itself is double.
  return name.ends_with("f") ? arity(name.drop_back()) : 0;
}

static bool isFloatForm(llvm::StringRef name) {
  return name.ends_with("f") && arityOf(name.drop_back()) != 0;
}

std::string libm::cpuSymbol(llvm::StringRef name) {
  if (!vectorForms() || arityOf(name) == 0)
    return name.str();
  return "mars_vm_" + name.str();
}

unsigned libm::vectorLanes(llvm::StringRef name) {
  return isFloatForm(name) ? 8 : 4;
}

std::string libm::vectorSymbol(llvm::StringRef name) {
  return "_ZGVdN" + std::to_string(vectorLanes(name)) +
         std::string(arityOf(name), 'v') + "_" + name.str();
}

llvm::ArrayRef<ScalarSymbol> libm::scalarSymbols() {
#if !defined(__x86_64__)
  return {};
#else
  if (!vectorForms())
    return {};
#define MARS_LIBM_SYMBOL(fn, arity) MARS_LIBM_SYMBOL_##arity(fn)
#define MARS_LIBM_SYMBOLS(fn, vec)                                             \
  {"mars_vm_" #fn, reinterpret_cast<void *>(&mars_vm_##fn)},                   \
      {"mars_vm_" #fn "f", reinterpret_cast<void *>(&mars_vm_##fn##f)},        \
      {"_ZGVdN4" #vec "_" #fn, reinterpret_cast<void *>(&_ZGVdN4##vec##_##fn)}, \
      {"_ZGVdN8" #vec "_" #fn "f",                                              \
       reinterpret_cast<void *>(&_ZGVdN8##vec##_##fn##f)},
#define MARS_LIBM_SYMBOL_1(fn) MARS_LIBM_SYMBOLS(fn, v)
#define MARS_LIBM_SYMBOL_2(fn) MARS_LIBM_SYMBOLS(fn, vv)
  static const ScalarSymbol symbols[] = {
      MARS_LIBM_VECTOR_FUNCTIONS(MARS_LIBM_SYMBOL)};
#undef MARS_LIBM_SYMBOL_2
#undef MARS_LIBM_SYMBOL_1
#undef MARS_LIBM_SYMBOLS
#undef MARS_LIBM_SYMBOL
  return symbols;
#endif
}
