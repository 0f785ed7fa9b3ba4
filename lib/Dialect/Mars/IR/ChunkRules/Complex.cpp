//===- Complex.cpp - Chunk rules of mars.real, mars.imag, mars.complex ----===//
//
// Each result element comes from the operand elements at its own index: a
// result region reads the same region of every operand, and is chunked as
// its operands (mars.complex's two parts alike).
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/ChunkRules.h"
#include "mars/Dialect/Mars/IR/Mars.h"

using namespace mlir;
using namespace mars;
using namespace mars::tiling;
using llvm::Expected;
using numeric::NDArray;

namespace {

Expected<NDArray> computePart(ArrayRef<BoxOperand> operands, const Box &out,
                              bool imag) {
  NDArray storage;
  const NDArray &z = operands[0].crop(out, storage);
  return numeric::complexPart(z, imag);
}

} // namespace

std::optional<Box> RealOp::getOperandRegion(unsigned, const Box &out) {
  return out;
}
std::optional<Shape> RealOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return operands[0].chunk();
}
SmallVector<Shape> RealOp::alignOperandChunks(const Layout &,
                                              ArrayRef<Layout> operands) {
  return mars::detail::ownChunks(operands);
}
Expected<NDArray> RealOp::computeBox(ArrayRef<BoxOperand> operands,
                                     const Box &out) {
  return computePart(operands, out, /*imag=*/false);
}

std::optional<Box> ImagOp::getOperandRegion(unsigned, const Box &out) {
  return out;
}
std::optional<Shape> ImagOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return operands[0].chunk();
}
SmallVector<Shape> ImagOp::alignOperandChunks(const Layout &,
                                              ArrayRef<Layout> operands) {
  return mars::detail::ownChunks(operands);
}
Expected<NDArray> ImagOp::computeBox(ArrayRef<BoxOperand> operands,
                                     const Box &out) {
  return computePart(operands, out, /*imag=*/true);
}

std::optional<Box> ComplexOp::getOperandRegion(unsigned, const Box &out) {
  return out;
}
std::optional<Shape> ComplexOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return operands[0].chunk();
}
SmallVector<Shape> ComplexOp::alignOperandChunks(const Layout &result,
                                                 ArrayRef<Layout> operands) {
  // Both parts chunked as the result, which mars-tile derived from the real
  // part's layout.
  return SmallVector<Shape>(operands.size(), result.chunk());
}
Expected<NDArray> ComplexOp::computeBox(ArrayRef<BoxOperand> operands,
                                        const Box &out) {
  NDArray reStorage, imStorage;
  const NDArray &re = operands[0].crop(out, reStorage);
  const NDArray &im = operands[1].crop(out, imStorage);
  return numeric::makeComplex(re, im);
}
