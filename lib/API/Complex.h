//===- Complex.h - Complex operands of the tensor API's functions -*- C++ -*-===//
//
// Private to lib/API: where a function of Functions.cpp or Tensor.cpp meets
// a complex operand, it hands over to these compositions (Complex.cpp),
// which compute from the float parts.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_LIB_API_COMPLEX_H
#define MARS_LIB_API_COMPLEX_H

#include "mars/API/Tensor.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace mars::api::graph {

/// ErrorKind::NotImplemented for `label` of complex operands, naming what
/// Mars computes for them.
Tensor notForComplex(const char *label);
/// Whether any operand is a complex tensor or a complex number.
bool involvesComplex(std::initializer_list<const Operand *> ops);

/// binary(fn, a, b), unary(fn, z), reduce(fn, z, ...) with a complex
/// operand: numpy's complex loops, or ErrorKind::NotImplemented naming
/// what Mars computes.
Tensor complexBinary(BinaryFn fn, const char *label, const Operand &a,
                     const Operand &b);
Tensor complexUnary(UnaryFn fn, const char *label, const Tensor &z);
Tensor complexReduce(ReduceFn fn, const char *label, const Tensor &z,
                     std::optional<std::vector<int64_t>> axes, bool keepdims,
                     int64_t ddof);
/// scan(fn, z, axis) of complex numbers: cumsum and nancumsum per part.
Tensor complexScan(ScanFn fn, const char *label, const Tensor &z,
                   std::optional<int64_t> axis);
/// castTo where `t` or `dtype` is complex (numpy's astype).
Tensor complexCast(const Tensor &t, DType dtype, const char *label);
/// A float32 or float64 tensor as complex numbers with imaginary parts +0.
Tensor realAsComplex(const Tensor &x);
/// full() of a complex dtype.
Tensor complexFull(const Shape &shape, Scalar value, DType dtype,
                   const ChunkSize &chunks, const char *label);
/// where(cond, x, y) with a complex result `dtype`; `cond` is bool.
Tensor complexWhere(const Tensor &cond, const Operand &x, const Operand &y,
                    DType dtype, const char *label);
/// A bilinear product (matmul, dot, tensordot) of operands one of which is
/// complex, as real products of the parts.
Tensor complexProduct(
    const Tensor &a, const Tensor &b,
    llvm::function_ref<Tensor(const Tensor &, const Tensor &)> product,
    const char *label);

} // namespace mars::api::graph

#endif // MARS_LIB_API_COMPLEX_H
