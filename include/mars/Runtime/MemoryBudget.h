//===- MemoryBudget.h - Bytes an engine holds, against a limit --*- C++ -*-===//
//
// Engines reserve the bytes of an op's results before computing them and
// release a value's bytes after its last use. A reservation that would pass
// the limit fails with a diagnostic at the op that says how much it needed,
// so a memory limit is a promise rather than an OOM kill.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_RUNTIME_MEMORYBUDGET_H
#define MARS_RUNTIME_MEMORYBUDGET_H

#include "mlir/IR/Operation.h"

#include <optional>
#include <string>

namespace mars {

class MemoryBudget {
public:
  /// `engine` and `why` complete the diagnostic: "beyond <engine>'s memory
  /// limit of N (<why>)".
  MemoryBudget(uint64_t limit, std::string engine, std::string why)
      : limit_(limit), engine_(std::move(engine)), why_(std::move(why)) {}

  /// Bytes of a value of tensor type `type`; nullopt on overflow. A sparse
  /// matrix's are known only once made: this is the least it takes (its
  /// row pointers), and settle() corrects it.
  static std::optional<uint64_t> bytesOf(mlir::Type type);

  /// Reserves the bytes of `op`'s results, or emits an error at `op`.
  mlir::LogicalResult reserve(mlir::Operation *op);
  /// `op`'s sparse result, reserved as bytesOf() its type, turned out to
  /// hold `actual` bytes: accounts for them, or emits an error at `op` when
  /// they pass the limit.
  mlir::LogicalResult settle(mlir::Operation *op, uint64_t actual);
  /// Accounts for `bytes` that are already held (e.g. arguments).
  void add(uint64_t bytes) { inUse_ += bytes; }
  void release(uint64_t bytes) { inUse_ -= bytes; }
  uint64_t inUse() const { return inUse_; }

private:
  uint64_t limit_, inUse_ = 0;
  std::string engine_, why_;
};

} // namespace mars

#endif // MARS_RUNTIME_MEMORYBUDGET_H
