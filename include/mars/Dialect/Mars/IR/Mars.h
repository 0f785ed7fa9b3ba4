//===- Mars.h - The Mars dialect and its operations --------------*- C++ -*-===//

#ifndef MARS_DIALECT_MARS_IR_MARS_H
#define MARS_DIALECT_MARS_IR_MARS_H

#include "mars/Dialect/Mars/IR/ChunkRules.h"
#include "mars/Numeric/Kernels.h"
#include "mars/Numeric/Scan.h"
#include "mars/Numeric/Sort.h"
#include "mars/Tiling/ChunkGrid.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/Error.h"

#include "mars/Dialect/Mars/IR/MarsOpsDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "mars/Dialect/Mars/IR/MarsAttrs.h.inc"

namespace mars {
namespace traits {
/// Mars_TakesSparse (MarsBase.td).
template <typename ConcreteType>
class TakesSparse
    : public mlir::OpTrait::TraitBase<ConcreteType, TakesSparse> {};
/// Mars_TakesFloat16 (MarsBase.td).
template <typename ConcreteType>
class TakesFloat16
    : public mlir::OpTrait::TraitBase<ConcreteType, TakesFloat16> {};
/// Mars_TakesComplex (MarsBase.td).
template <typename ConcreteType>
class TakesComplex
    : public mlir::OpTrait::TraitBase<ConcreteType, TakesComplex> {};
} // namespace traits

/// Whether `type` is a tensor stored as compressed sparse rows (#mars.csr).
inline bool isCsr(mlir::Type type) {
  auto tensor = llvm::dyn_cast<mlir::RankedTensorType>(type);
  return tensor && llvm::isa_and_nonnull<CsrAttr>(tensor.getEncoding());
}
inline bool isCsr(mlir::Value v) { return isCsr(v.getType()); }
/// Whether any operand or result of `op` is a sparse matrix: such an op
/// runs its chunk rules in the runtime, never in a fused or generated
/// kernel (mars-fuse and the kernel builders leave it alone).
inline bool hasSparseValues(mlir::Operation *op) {
  auto csr = [](mlir::Type t) { return isCsr(t); };
  return llvm::any_of(op->getOperandTypes(), csr) ||
         llvm::any_of(op->getResultTypes(), csr);
}
} // namespace mars

namespace mars::detail {
// Shared parser, printer and verifiers of the op families (MarsOps.cpp).
mlir::ParseResult parseElementwiseOp(mlir::OpAsmParser &parser,
                                     mlir::OperationState &result,
                                     bool boolResult);
void printElementwiseOp(mlir::OpAsmPrinter &p, mlir::Operation *op,
                        bool boolResult);
llvm::LogicalResult verifyElementwiseOp(mlir::Operation *op, bool boolResult);
llvm::LogicalResult verifyReductionOp(mlir::Operation *op);
llvm::LogicalResult verifyScanOp(mlir::Operation *op);
/// sort (indices = false) and argsort (true).
llvm::LogicalResult verifySortingOp(mlir::Operation *op, bool indices);
mlir::OpFoldResult foldUnaryOp(mlir::Operation *op,
                               llvm::ArrayRef<mlir::Attribute> operands);
mlir::OpFoldResult foldBinaryOp(mlir::Operation *op,
                                llvm::ArrayRef<mlir::Attribute> operands);
/// numpy's negative `axis` counted from the end: in [0, rank). Assumes
/// verified.
inline int64_t normalizedAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}
/// RecomputeOpInterface's work per element of an op without a rule of its
/// own: 8 cheap steps for a random draw or an elementwise op that is not
/// cheap (a division, a power, libm), 1 for anything else (a copy, a
/// constant, cheap arithmetic). FusedOp.cpp.
int64_t elementwiseWork(mlir::Operation *op);
/// SparseBoundOpInterface's bound for an op whose sparse result stores at
/// most what its sparse operands store over the same region (elementwise
/// maps and unions, band): the sum of those operands' bounds over `out`
/// (an operand without one counts every element), at most `out`'s size.
/// ChunkRules/Elementwise.cpp.
/// What the sparse value `v` stores at most over `region` of it: what
/// `known` says, else its producer's bound, else every element.
int64_t storedBoundOf(mlir::Value v, const tiling::Box &region,
                      KnownStored known);
int64_t storedBoundOfOperands(mlir::Operation *op, const tiling::Box &out,
                              KnownStored known);
/// SparseBoundOpInterface's bound for an op that moves elements (transpose,
/// slice, concatenate, rechunk): each stored element of the result over
/// `out` is a stored element of a sparse operand in the region `out` reads
/// of it (ChunkOpInterface::getOperandRegions), so the sum of the operands'
/// bounds over those regions, at most `out`'s size.
/// ChunkRules/Elementwise.cpp.
int64_t storedBoundOfRegions(mlir::Operation *op, const tiling::Box &out,
                             KnownStored known);
/// The matrix ops' work per result element: their LAPACK routine's flops
/// for one matrix over the result's elements of one matrix
/// (ChunkRules/Linalg.cpp).
int64_t matrixWork(mlir::Operation *op);
/// `axes` normalised to [0, rank), or all axes when absent. Assumes verified.
llvm::SmallVector<int64_t> normalizedAxes(std::optional<llvm::ArrayRef<int64_t>> axes,
                                          int64_t rank);
} // namespace mars::detail

#include "mars/Dialect/Mars/IR/MarsInterfaces.h.inc"

#define GET_OP_CLASSES
#include "mars/Dialect/Mars/IR/MarsOps.h.inc"

namespace mars {
/// The numeric dtype of a Mars element type (f32, f64, i32, i64, i1).
numeric::DType toDType(mlir::Type elementType);
/// The MLIR element type of a dtype.
mlir::Type toElementType(mlir::MLIRContext *ctx, numeric::DType dtype);
/// Checks that data of `dtype` and `shape` can be a value of `type`; the
/// error says what was expected and what was found.
llvm::Error checkMatchesType(numeric::DType dtype,
                             llvm::ArrayRef<int64_t> shape, mlir::Type type);
/// ... and that it is stored as the type says (dense, or #mars.csr).
llvm::Error checkMatchesType(const numeric::NDArray &array, mlir::Type type);
/// The elements of a dense attribute (splats are expanded).
numeric::NDArray toNDArray(mlir::DenseElementsAttr dense);
/// A 0-d array holding a scalar attribute (FloatAttr or IntegerAttr).
numeric::NDArray scalarToNDArray(mlir::TypedAttr value);
/// Elementwise ops that cost less per element than storing the element and
/// reading it back: a few arithmetic instructions, no division, no libm.
/// mars-fuse copies them into each consumer's group; the runtime weighs
/// kernels by the ops that are not.
bool isCheapElementwise(mlir::Operation *op);
} // namespace mars

#endif // MARS_DIALECT_MARS_IR_MARS_H
