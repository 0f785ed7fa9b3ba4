//===- Builder.h - Recording nodes for the tensor API -----------*- C++ -*-===//
//
// Private to lib/API: the helpers every API function uses to check its
// arguments and record its node.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_LIB_API_BUILDER_H
#define MARS_LIB_API_BUILDER_H

#include "Node.h"

#include "mlir/IR/Builders.h"

namespace mars::api::graph {

/// 0 for bool, 1 for the integers, 2 for the floats and complex numbers
/// (numpy's kinds as its value-based casting compares them).
int kindOf(DType d);

/// Records a node of op `opName` computing a tensor of `dtype` and `shape`
/// from `inputs` (any failed input is returned instead). `sparse`: the
/// result is a sparse matrix. A sparse input of an op without the
/// TakesSparse trait fails with ErrorKind::NotImplemented.
Tensor makeNode(const char *label, llvm::StringRef opName,
                std::vector<Tensor> inputs, DType dtype, Shape shape,
                llvm::ArrayRef<mlir::NamedAttribute> attrs,
                const ChunkSize &chunks = {}, bool sparse = false);
Tensor fail(ErrorKind kind, const char *label, std::string message);

/// The mars.chunks attribute for `chunks` over `shape` (null when
/// automatic).
std::optional<Error> chunkAttr(const ChunkSize &chunks, const Shape &shape,
                               const char *label,
                               mlir::DenseI64ArrayAttr &out);
std::optional<Error> checkShape(const Shape &shape, const char *label);

/// numpy's AxisError for `axis` of an array of `ndim` dimensions, or the
/// normalised axis (in [0, ndim)); and for each of `axes`, then numpy's
/// ValueError for a repeated one.
std::optional<Error> normalizeAxis(int64_t &axis, int64_t ndim,
                                   const char *label);
std::optional<Error> normalizeAxes(std::vector<int64_t> &axes, int64_t ndim,
                                   const char *label);
/// numpy's TypeError for a ufunc none of whose loops the operands cast to
/// safely (integer-only functions of floats, complex operands of functions
/// without complex loops).
Tensor noSafeLoop(const char *name);

/// A 0-d tensor holding `value` as `dtype`.
Tensor scalarTensor(Scalar value, DType dtype, const char *label);
/// `t` as `dtype` (itself when it has that dtype).
Tensor castTo(const Tensor &t, DType dtype, const char *label);
/// An operand as a tensor of `dtype`.
Tensor resolve(const Operand &o, DType dtype, const char *label);

} // namespace mars::api::graph

#endif // MARS_LIB_API_BUILDER_H
