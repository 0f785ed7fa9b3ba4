//===- ScalarABI.h - Scalar rules callable from generated code --*- C++ -*-===//
//
// Generated chunk kernels inline the common scalar rules (add, compare,
// cast, Philox, ...) and call these C functions for the intricate ones
// (numpy's floored division and remainder, integer power), so the compiled
// path uses exactly the code that defines the reference semantics.
//
// Integer power to a negative exponent is an error in numpy; the helper
// returns 0 and sets a flag that the runtime reads after each kernel call
// (see takeScalarError()).
//
//===----------------------------------------------------------------------===//

#ifndef MARS_NUMERIC_SCALARABI_H
#define MARS_NUMERIC_SCALARABI_H

#include "llvm/ADT/ArrayRef.h"

namespace mars::numeric {

struct ScalarSymbol {
  const char *name;
  void *address;
};

/// Every helper, by the name generated code calls it:
///   mars_floordiv_{f32,f64}(a, b), mars_mod_{f32,f64}(a, b),
///   mars_pow_{i32,i64,u64}(a, b), mars_gcd_{i32,i64,u64}(a, b),
///   mars_lcm_{i32,i64,u64}(a, b).
/// Narrower integers (and uint32) call them widened: their results at the
/// wider type truncate to numpy's. Integer floored division and remainder
/// are emitted inline (KernelEmitter::inlineFloorDiv/inlineMod).
/// On x86-64 also the float16 conversions LLVM calls by compiler-rt's
/// names (__truncdfhf2, __truncsfhf2, __extendhfsf2), computed by Half.
llvm::ArrayRef<ScalarSymbol> scalarABISymbols();

/// The message of the first error a helper raised since the last call, or
/// nullptr; clears it.
const char *takeScalarError();

} // namespace mars::numeric

#endif // MARS_NUMERIC_SCALARABI_H
