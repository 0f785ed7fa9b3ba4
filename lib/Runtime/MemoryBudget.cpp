//===- MemoryBudget.cpp - Bytes an engine holds, against a limit ----------===//

#include "mars/Runtime/MemoryBudget.h"

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Support/ByteSize.h"

using namespace mlir;
using namespace mars;

std::optional<uint64_t> MemoryBudget::bytesOf(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  if (isCsr(tensor))
    return static_cast<uint64_t>(tensor.getDimSize(0) + 1) * sizeof(int64_t);
  uint64_t n = numeric::dtypeSize(toDType(tensor.getElementType()));
  for (int64_t d : tensor.getShape())
    if (__builtin_mul_overflow(n, static_cast<uint64_t>(d), &n))
      return std::nullopt;
  return n;
}

LogicalResult MemoryBudget::settle(Operation *op, uint64_t actual) {
  uint64_t reserved = *bytesOf(op->getResult(0).getType());
  inUse_ = inUse_ - reserved + actual;
  if (inUse_ <= limit_)
    return success();
  return op->emitError("the sparse result holds ")
         << formatByteSize(actual) << ", which passes the " << engine_
         << "'s memory limit of " << formatByteSize(limit_) << " (" << why_
         << ")";
}

LogicalResult MemoryBudget::reserve(Operation *op) {
  uint64_t total = 0;
  bool overflow = false;
  for (Type t : op->getResultTypes()) {
    std::optional<uint64_t> bytes = bytesOf(t);
    overflow |= !bytes || __builtin_add_overflow(total, *bytes, &total);
  }
  if (!overflow && inUse_ + total <= limit_) {
    inUse_ += total;
    return success();
  }
  InFlightDiagnostic diag = op->emitError("the result needs ");
  if (overflow)
    diag << "more than 2^64 bytes";
  else
    diag << formatByteSize(total);
  return diag << " with " << formatByteSize(inUse_)
              << " already in use, beyond the " << engine_
              << "'s memory limit of " << formatByteSize(limit_) << " ("
              << why_ << ")";
}
