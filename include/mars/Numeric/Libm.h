//===- Libm.h - One algorithm per libm function, on every engine -*- C++ -*-===//
//
// The C library's transcendental functions as Mars computes them. Where
// the CPU has AVX2, glibc's vector math library (libmvec) computes them:
// compiled loops call its 4-double (8-float) forms, and every other element
// (the reference kernels, a loop's remainder, the GPU emulator) calls the
// scalar forms below, lane 0 of the same vector function on a broadcast
// argument. libmvec computes each lane by the same steps (lanes with
// special arguments go to the scalar libm, decided by the argument alone),
// so an element's value depends on neither the engine nor the chunking nor
// its position in a loop. Elsewhere every form is the scalar libm's.
//
// libmvec's functions are within glibc's documented 4 ulp of the scalar
// ones and keep their special values (NaN, infinities, signed zeros, NaN
// outside the domain); numpy's own SIMD loops differ from glibc's scalar
// functions in the same way.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_NUMERIC_LIBM_H
#define MARS_NUMERIC_LIBM_H

#include "mars/Numeric/ScalarABI.h"

#include "llvm/ADT/StringRef.h"

namespace mars::numeric::libm {

/// Whether this process computes the functions below with libmvec (the CPU
/// has AVX2). Fixed for the life of the process.
bool vectorForms();

/// Applies `x(name, arity)` to each function libmvec has, by its double
/// name (the float one appends "f").
#define MARS_LIBM_VECTOR_FUNCTIONS(X)                                          \
  X(acos, 1) X(acosh, 1) X(asin, 1) X(asinh, 1) X(atan, 1) X(atanh, 1)         \
  X(cbrt, 1) X(cos, 1) X(cosh, 1) X(erf, 1) X(erfc, 1) X(exp, 1) X(exp2, 1)    \
  X(expm1, 1) X(log, 1) X(log10, 1) X(log1p, 1) X(log2, 1) X(sin, 1)           \
  X(sinh, 1) X(tan, 1) X(tanh, 1) X(atan2, 2) X(hypot, 2) X(pow, 2)

#define MARS_LIBM_DECLARE(fn, arity) MARS_LIBM_DECLARE_##arity(fn)
#define MARS_LIBM_DECLARE_1(fn)                                                \
  double fn(double x);                                                         \
  float fn(float x);
#define MARS_LIBM_DECLARE_2(fn)                                                \
  double fn(double x, double y);                                               \
  float fn(float x, float y);
MARS_LIBM_VECTOR_FUNCTIONS(MARS_LIBM_DECLARE)
#undef MARS_LIBM_DECLARE_2
#undef MARS_LIBM_DECLARE_1
#undef MARS_LIBM_DECLARE

/// The name a compiled CPU kernel calls for the C function `name`:
/// "mars_vm_<name>" for the functions above when vectorForms(), which the
/// loop vectorizer turns into libmvec's "_ZGVdN4v_<name>" (8 lanes for
/// floats) and whose scalar calls are these functions; else `name`.
std::string cpuSymbol(llvm::StringRef name);

/// The vector form libmvec exports for cpuSymbol(name), and its lanes.
std::string vectorSymbol(llvm::StringRef name);
unsigned vectorLanes(llvm::StringRef name);

/// mars_vm_<fn> and mars_vm_<fn>f for every function above, to bind in a
/// JIT (empty unless vectorForms()).
llvm::ArrayRef<ScalarSymbol> scalarSymbols();

} // namespace mars::numeric::libm

#endif // MARS_NUMERIC_LIBM_H
