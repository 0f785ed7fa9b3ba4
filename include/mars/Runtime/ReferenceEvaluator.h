//===- ReferenceEvaluator.h - The oracle of Mars semantics ------*- C++ -*-===//
//
// Runs an untiled Mars program op by op on whole in-memory arrays with the
// kernels of mars::numeric. It is deliberately simple: every faster engine is
// tested for agreement with it.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_RUNTIME_REFERENCEEVALUATOR_H
#define MARS_RUNTIME_REFERENCEEVALUATOR_H

#include "mars/Numeric/NDArray.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <vector>

namespace mars {

struct ReferenceOptions {
  /// The evaluator refuses to run an op whose result, added to the arrays
  /// alive at that point, would exceed this many bytes. Temporaries inside
  /// a kernel (the transposed copy a reduction or tensordot makes, at most
  /// the size of its input) are not counted.
  uint64_t memoryLimit = UINT64_MAX;
};

/// Evaluates `func` on `args` and returns its results. Arguments must match
/// the function's parameter types. Failures (a file that cannot be read, a
/// numpy run-time error such as reducing an empty array without identity,
/// data beyond the memory limit) are reported as diagnostics at the failing
/// op's location.
mlir::FailureOr<std::vector<numeric::NDArray>>
evaluateReference(mlir::func::FuncOp func,
                  llvm::ArrayRef<numeric::NDArray> args,
                  const ReferenceOptions &options = {});

/// The result of the single-result op `op` (or, for a sink, an empty array)
/// on whole `operands`: its chunk rule (ChunkOpInterface::computeBox) over
/// its whole result. This is the step evaluateReference() takes per op; an
/// eager caller uses it for a program of one op. No memory limit applies.
llvm::Expected<numeric::NDArray>
evaluateOp(mlir::Operation *op,
           llvm::ArrayRef<const numeric::NDArray *> operands);

} // namespace mars

#endif // MARS_RUNTIME_REFERENCEEVALUATOR_H
