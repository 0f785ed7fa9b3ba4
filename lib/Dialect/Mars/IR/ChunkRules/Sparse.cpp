//===- Sparse.cpp - Chunk rules of to_sparse and to_dense -----------------===//
//
// A chunk of either is the same box of its operand, stored the other way.
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Numeric/Sparse.h"

using namespace mlir;
using namespace mars;
using namespace mars::tiling;
using llvm::Expected;
using numeric::NDArray;

std::optional<Box> ToSparseOp::getOperandRegion(unsigned, const Box &out) {
  return out;
}

std::optional<Shape> ToSparseOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return operands[0].chunk();
}

SmallVector<Shape> ToSparseOp::alignOperandChunks(const Layout &,
                                                  ArrayRef<Layout> operands) {
  return mars::detail::ownChunks(operands);
}

Expected<NDArray> ToSparseOp::computeBox(ArrayRef<BoxOperand> operands,
                                         const Box &out) {
  NDArray storage;
  return numeric::toCsr(operands[0].crop(out, storage));
}

std::optional<Box> ToDenseOp::getOperandRegion(unsigned, const Box &out) {
  return out;
}

std::optional<Shape> ToDenseOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return operands[0].chunk();
}

SmallVector<Shape> ToDenseOp::alignOperandChunks(const Layout &,
                                                 ArrayRef<Layout> operands) {
  return mars::detail::ownChunks(operands);
}

Expected<NDArray> ToDenseOp::computeBox(ArrayRef<BoxOperand> operands,
                                        const Box &out) {
  NDArray storage;
  return numeric::toDense(operands[0].crop(out, storage));
}
