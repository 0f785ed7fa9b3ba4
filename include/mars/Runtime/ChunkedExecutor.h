//===- ChunkedExecutor.h - Run tiled programs chunk by chunk ----*- C++ -*-===//
//
// Executes a tiled function (see mars-tile) one chunk task at a time, in
// program order, with the reference kernels of mars::numeric applied to
// chunks. It makes every tiling decision executable and testable against the
// untiled reference evaluator; scheduling, parallelism and spilling belong to
// the runtime built on the same chunk graph.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_RUNTIME_CHUNKEDEXECUTOR_H
#define MARS_RUNTIME_CHUNKEDEXECUTOR_H

#include "mars/Numeric/NDArray.h"
#include "mars/Tiling/ChunkGraph.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>
#include <vector>

namespace mars {

class KernelCache;

struct ChunkedOptions {
  /// Partial results combined per node of a reduction's combine tree.
  int64_t fanIn = tiling::kDefaultFanIn;
  /// This engine keeps every chunk of a value until the value's last use (it
  /// has no scheduler and does not spill): it refuses to run an op whose
  /// result, added to the values alive at that point, would exceed this.
  uint64_t memoryLimit = UINT64_MAX;
  /// When set, chunk tasks run compiled kernels (fused elementwise chains,
  /// reduction partials) and OpenBLAS (f32/f64 matrix products) where they
  /// have them, and the reference kernels otherwise.
  KernelCache *kernels = nullptr;
};

struct ChunkedStats {
  int64_t tasks = 0;
  int64_t chunks = 0;
  /// Chunk tasks that ran a compiled kernel or a BLAS call.
  int64_t compiledTasks = 0;
  /// Wall time spent inside compiled kernels and BLAS calls.
  double kernelSeconds = 0;
  /// Ops run with reference kernels although kernels were available, with
  /// the reason ("mars.transpose: ...").
  std::vector<std::string> interpretedOps;
};

/// Runs the tiled `func` on `args` (whole arrays, split into chunks by the
/// arguments' layouts) and returns its results assembled into whole arrays.
/// Errors are diagnostics at the failing op, as in the reference evaluator.
mlir::FailureOr<std::vector<numeric::NDArray>>
evaluateChunked(mlir::func::FuncOp func, llvm::ArrayRef<numeric::NDArray> args,
                const ChunkedOptions &options = {},
                ChunkedStats *stats = nullptr);

} // namespace mars

#endif // MARS_RUNTIME_CHUNKEDEXECUTOR_H
