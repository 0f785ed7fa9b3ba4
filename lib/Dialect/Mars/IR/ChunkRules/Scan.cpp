//===- Scan.cpp - Chunk rules of the scans (cumsum, cumprod, ...) ---------===//
//
// A scan's result region depends on the operand from the start of the
// scanned axis. As a plain chunk rule that is the prefix: computeBox scans
// it and keeps the region's part, which is the op's meaning for any box. The
// engines run a scan's chunks in order along the axis instead, each reading
// exactly its own operand region and the previous chunk's last slice of the
// result (the carry): linear work, and numpy's sequential order, so the
// result is numpy's bit for bit however the axis is chunked.
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"

using namespace mlir;
using namespace mars;
using namespace mars::tiling;
using llvm::Expected;
using numeric::NDArray;

std::optional<Box> mars::detail::scanOperandRegion(Operation *op,
                                                   const Box &out) {
  if (out.empty())
    return std::nullopt;
  Box r = out;
  r.lo[cast<ScanOpInterface>(op).getScanAxis()] = 0;
  return r;
}

Expected<NDArray> mars::detail::scanBox(Operation *op,
                                        ArrayRef<BoxOperand> operands,
                                        const Box &out) {
  auto scan = cast<ScanOpInterface>(op);
  numeric::DType dtype = detail::valueDType(op->getResult(0));
  if (out.empty())
    return NDArray(dtype, out.sizes());
  Box prefix = *scanOperandRegion(op, out);
  NDArray storage;
  const NDArray &in = operands[0].crop(prefix, storage);
  const int64_t axis = scan.getScanAxis();
  NDArray whole = numeric::scan(scan.getScanFn(), in, axis);
  if (prefix.lo[axis] == out.lo[axis])
    return whole;
  SmallVector<numeric::SliceDim> dims;
  for (int64_t d = 0; d < out.rank(); ++d)
    dims.push_back({out.lo[d] - prefix.lo[d], 1, out.hi[d] - out.lo[d]});
  return numeric::slice(whole, dims);
}

std::optional<Box> mars::detail::scanCarryBox(Operation *op, const Box &out) {
  const int64_t axis = cast<ScanOpInterface>(op).getScanAxis();
  if (out.empty() || out.lo[axis] == 0)
    return std::nullopt;
  Box carry = out;
  carry.hi[axis] = out.lo[axis];
  carry.lo[axis] = out.lo[axis] - 1;
  return carry;
}

NDArray mars::detail::scanChunk(Operation *op, const NDArray &region,
                                const NDArray *carry) {
  auto scan = cast<ScanOpInterface>(op);
  return numeric::scan(scan.getScanFn(), region, scan.getScanAxis(), carry);
}
