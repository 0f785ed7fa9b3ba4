//===- ChunkRules.h - Chunk rules shared by op families ---------*- C++ -*-===//
//
// The chunk rules (ChunkOpInterface, ContractionOpInterface) that a family
// of ops states once: elementwise ops, reductions and mars.fused groups.
// Ops of a family forward their interface methods here (MarsOps.td); ops
// with rules of their own define them in lib/Dialect/Mars/IR/ChunkRules/.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_DIALECT_MARS_IR_CHUNKRULES_H
#define MARS_DIALECT_MARS_IR_CHUNKRULES_H

#include "mars/Tiling/ChunkGrid.h"

#include "mlir/IR/Operation.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

namespace mars {
class FusedOp;

/// What a caller knows of the elements some sparse values store: the count
/// over a region of one of them, or nullopt where it does not know it. The
/// runtime knows the arrays it holds whole (a program's arguments, often
/// results of an earlier execution); the compiler passes none.
/// SparseBoundOpInterface's bounds consult it before a producer's bound.
using KnownStored = llvm::function_ref<std::optional<int64_t>(
    mlir::Value, const tiling::Box &)>;
} // namespace mars

namespace mars::detail {

/// The operands' own chunk shapes: the alignOperandChunks of ops that read
/// whatever chunking their operands have (shape, sorting, selection ops).
llvm::SmallVector<tiling::Shape>
ownChunks(llvm::ArrayRef<tiling::Layout> operands);

/// The static shape and the dtype of a ranked tensor value.
tiling::Shape valueShape(mlir::Value v);
numeric::DType valueDType(mlir::Value v);

// Elementwise ops: operands broadcast against the result (numpy's rule).
std::optional<tiling::Box> elementwiseOperandRegion(mlir::Operation *op,
                                                    unsigned i,
                                                    const tiling::Box &out);
std::optional<tiling::Shape>
elementwiseResultChunk(mlir::Operation *op,
                       llvm::ArrayRef<tiling::Layout> operands);
llvm::SmallVector<tiling::Shape>
elementwiseOperandChunks(const tiling::Layout &result,
                         llvm::ArrayRef<tiling::Layout> operands);
llvm::Expected<numeric::NDArray>
elementwiseBox(mlir::Operation *op, llvm::ArrayRef<tiling::BoxOperand> operands,
               const tiling::Box &out);
/// Whether the elementwise op named `name` is zero wherever one of its
/// operands is zero, whatever the others hold: mul and logical_and (bool
/// mul), as scipy's multiply computes them. A sparse operand keeps its
/// structure through such an op next to dense arrays: the others are read
/// only at its stored elements.
bool zeroWhereAnyOperandIsZero(mlir::OperationName name);
/// Applies elementwise op `op` to arrays that broadcast against each other
/// as its operands do.
llvm::Expected<numeric::NDArray>
applyElementwise(mlir::Operation *op,
                 llvm::ArrayRef<const numeric::NDArray *> args);

// Reductions (ReductionOpInterface).
std::optional<tiling::Box> reductionOperandRegion(mlir::Operation *op,
                                                  const tiling::Box &out);
std::optional<tiling::Shape>
reductionResultChunk(mlir::Operation *op,
                     llvm::ArrayRef<tiling::Layout> operands);
llvm::Expected<numeric::NDArray>
reductionBox(mlir::Operation *op, llvm::ArrayRef<tiling::BoxOperand> operands,
             const tiling::Box &out);
tiling::ContractionMap reductionContractionMap(mlir::Operation *op);

// Scans (ScanOpInterface). A result region reads the operand from the start
// of the scanned axis (its prefix); the engines instead read exactly the
// region and continue from the carry (scanCarryBox, scanChunk).
std::optional<tiling::Box> scanOperandRegion(mlir::Operation *op,
                                             const tiling::Box &out);
llvm::Expected<numeric::NDArray>
scanBox(mlir::Operation *op, llvm::ArrayRef<tiling::BoxOperand> operands,
        const tiling::Box &out);
/// The result's elements just before `out` along the scanned axis (one
/// slice), or nullopt when `out` starts the axis.
std::optional<tiling::Box> scanCarryBox(mlir::Operation *op,
                                        const tiling::Box &out);
/// The scan over `region` (the operand's elements of `out`), continued
/// from `carry` (the result over scanCarryBox(out); null at the start).
numeric::NDArray scanChunk(mlir::Operation *op, const numeric::NDArray &region,
                           const numeric::NDArray *carry);

// sort and argsort: a result region reads its lanes whole along the axis;
// result chunks hold whole lanes, so that none sorts a lane's elements
// another also sorts.
std::optional<tiling::Box> sortingOperandRegion(mlir::Operation *op,
                                                const tiling::Box &out);
std::optional<tiling::Shape>
sortingResultChunk(mlir::Operation *op,
                   llvm::ArrayRef<tiling::Layout> operands);
llvm::Expected<numeric::NDArray>
sortingBox(mlir::Operation *op, llvm::ArrayRef<tiling::BoxOperand> operands,
           const tiling::Box &out, bool indices);

// Matrix ops (inv, solve, qr, svd, ...): the last two dimensions of each
// operand are matrices, the leading ones a batch shared with the result. A
// result region reads its batch range of every operand with the matrices
// whole; result chunks hold whole matrices.
std::optional<tiling::Box> matrixOperandRegion(mlir::Operation *op,
                                               unsigned i,
                                               const tiling::Box &out);
std::optional<tiling::Shape>
matrixResultChunk(mlir::Operation *op,
                  llvm::ArrayRef<tiling::Layout> operands);
/// Crops the operands to the batch range of `out`, computes their whole
/// matrices with `compute`, and crops its result to `out`.
llvm::Expected<numeric::NDArray> matrixBox(
    mlir::Operation *op, llvm::ArrayRef<tiling::BoxOperand> operands,
    const tiling::Box &out,
    llvm::function_ref<llvm::Expected<numeric::NDArray>(
        llvm::ArrayRef<const numeric::NDArray *>)>
        compute);

/// The region of contraction `op`'s operand `i` that its result region
/// `out` reads over the steps `steps` of its contraction (a box of the
/// contracted extents, in step-dimension order).
tiling::Box contractionOperandRegion(const tiling::ContractionMap &map,
                                     unsigned i, const tiling::Box &out,
                                     const tiling::Box &steps);
/// The contracted extents of `op`'s operand `i`, in step-dimension order.
tiling::Shape contractedExtents(mlir::Operation *op,
                                const tiling::ContractionMap &map,
                                unsigned i);

/// Evaluates the body of `fused` up to `target` (a body value) over the
/// region `space` of `target`'s iteration space. `inputs[i]` holds
/// fusedInputRegion(fused, i, space) of input i (null for an input the body
/// does not read). Root reductions are not computed (the caller combines
/// them); inner reductions are, by the reference kernels.
llvm::Expected<numeric::NDArray>
evaluateFusedBody(FusedOp fused, llvm::ArrayRef<tiling::BoxOperand> inputs,
                  mlir::Value target, const tiling::Box &space);

} // namespace mars::detail

namespace mars::tiling {

/// For each dimension of `reduction`'s result, the operand dimension it
/// comes from (-1: a reduced dimension kept by keepdims).
llvm::SmallVector<int64_t> reductionOperandDims(mlir::Operation *reduction);

/// The region of inner reduction `reduction`'s operand (see mars.fused) that
/// its result region `out` reads: `out` with the reduced axes whole.
Box innerOperandRegion(mlir::Operation *reduction, const Box &out);

/// How input `i` of a mars.fused op lines up with the body's iteration
/// space (its result, or its root reduction's operand).
struct FusedInputMap {
  /// Per iteration dimension, the input dimension it steps along (-1: the
  /// input is broadcast along it).
  Shape iterDims;
  /// For an input read by inner reductions (FusedOp::innerReductionReading),
  /// per reduced axis of theirs, the input dimension it steps along (-1:
  /// broadcast); empty for every other input.
  Shape reducedDims;
};
FusedInputMap fusedInputMap(mlir::Operation *fused, unsigned i,
                            int64_t iterRank);
/// The region of input `i` of a mars.fused op that the region `space` of
/// its iteration space reads: the broadcast region, or for an input read by
/// inner reductions, the broadcast region of their operands' region.
Box fusedInputRegion(mlir::Operation *fused, unsigned i, const Box &space);

} // namespace mars::tiling

#endif // MARS_DIALECT_MARS_IR_CHUNKRULES_H
