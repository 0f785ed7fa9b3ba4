//===- ChunkedExecutor.h - Run tiled programs on the local runtime -*- C++ -*-===//
//
// Executes a tiled (and possibly fused) function as its graph of chunk tasks
// on worker threads, in depth-first order, within a memory limit, spilling
// chunks to disk when memory runs short. The graph is enumerated from the IR
// as execution proceeds (see ChunkGraph.h); ChunkTasks.h says what each task
// computes. Results equal the untiled reference evaluator's (bit for bit,
// except the order in which float partial sums are added).
//
//===----------------------------------------------------------------------===//

#ifndef MARS_RUNTIME_CHUNKEDEXECUTOR_H
#define MARS_RUNTIME_CHUNKEDEXECUTOR_H

#include "mars/Numeric/NDArray.h"
#include "mars/Tiling/ChunkGraph.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mars {

class CudaDevice;
class GpuKernelCache;
class KernelCache;
class Trace;

/// A snapshot of a run in progress, for progress lines.
struct ChunkedProgress {
  int64_t tasksDone = 0, tasksTotal = 0;
  uint64_t bytesInMemory = 0, bytesSpilled = 0;
  double seconds = 0;
  /// On a cluster: the workers the bytes are spread over (0: local).
  int64_t workers = 0;
};

struct ChunkedOptions {
  /// Partial results combined per node of a reduction's combine tree.
  int64_t fanIn = tiling::kDefaultFanIn;
  /// Chunk memory the run may hold (chunks, partials, whole results and
  /// borrowed arguments). Beyond it, chunks needed furthest in the future are
  /// spilled; a task that cannot fit even then fails the run with a message.
  uint64_t memoryLimit = UINT64_MAX;
  /// Worker threads (0: one per core).
  unsigned threads = 0;
  /// Where spilled chunks go (a private directory is made inside; empty:
  /// $TMPDIR or /tmp).
  std::string spillDir;
  /// Most bytes on disk at once (a quota for tests; default: the disk).
  std::optional<uint64_t> spillCapacity;
  /// Testing: every chunk that has readers is spilled as soon as it is
  /// computed, so every read of it goes through the spill file.
  bool spillEagerly = false;
  /// When set, chunk tasks run compiled kernels (fused elementwise chains,
  /// reduction partials) and OpenBLAS (f32/f64 matrix products) where they
  /// have them, and the reference kernels otherwise.
  KernelCache *kernels = nullptr;
  /// With `kernels`: run the compiled kernels (as PTX from `gpuKernels`) and
  /// the matrix products (cuBLAS) on this GPU instead of the CPU.
  CudaDevice *gpu = nullptr;
  GpuKernelCache *gpuKernels = nullptr;
  /// When set, the run records its tasks (per worker thread), kernel
  /// compiles, spills, reads back and memory over time (Support/Trace.h):
  /// process 0, thread 0 the scheduler, thread i + 1 worker i.
  Trace *trace = nullptr;
  /// Called about every `progressInterval` seconds while the run executes.
  std::function<void(const ChunkedProgress &)> progress;
  double progressInterval = 0.25;
};

struct ChunkedStats {
  int64_t tasks = 0;
  int64_t chunks = 0;
  /// Chunk tasks that ran a compiled kernel or a BLAS call.
  int64_t compiledTasks = 0;
  /// Chunks of slices, concatenates and rechunks that share an operand's
  /// chunk instead of copying it.
  int64_t sharedChunks = 0;
  /// Wall time spent inside compiled kernels and BLAS calls (summed over
  /// threads).
  double kernelSeconds = 0;
  /// Set-up before execution: kernels compiled or loaded, headers read.
  double prepareSeconds = 0;
  unsigned threads = 0;
  /// Most chunk memory held at once, and the limit it was held to.
  uint64_t peakMemory = 0, memoryLimit = 0;
  /// Bytes written to the spill directory and read back, and how often.
  uint64_t bytesSpilled = 0, bytesReadBack = 0;
  int64_t spills = 0, readBacks = 0;
  /// Chunks of creation ops dropped instead of spilled, and the bytes
  /// computed again when they were read (local runtime).
  int64_t recomputes = 0;
  uint64_t bytesRecomputed = 0;
  /// Ops run with reference kernels although kernels were available, with
  /// the reason ("mars.transpose: ...").
  std::vector<std::string> interpretedOps;
};

/// Runs the tiled `func` on `args` (whole arrays, read in place by their
/// layouts) and returns its results as whole arrays. Errors are diagnostics
/// at the failing op, as in the reference evaluator.
mlir::FailureOr<std::vector<numeric::NDArray>>
evaluateChunked(mlir::func::FuncOp func, llvm::ArrayRef<numeric::NDArray> args,
                const ChunkedOptions &options = {},
                ChunkedStats *stats = nullptr);

} // namespace mars

#endif // MARS_RUNTIME_CHUNKEDEXECUTOR_H
