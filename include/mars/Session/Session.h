//===- Session.h - Compile and run Mars programs ----------------*- C++ -*-===//
//
// The library face of Mars: a Session holds what outlives one program (the
// kernel caches, the GPU and its kernels, the process's buffer pool) and
// turns a parsed program into results. It builds the compiler pipeline from
// its options (mars-tile, mars-fuse: the registered mars-pipeline's
// passes), derives chunk sizes from the memory limit, runs on the engine,
// device or cluster the options name, and reports what a run did. mars-run
// is argument parsing and printing over it; the C++ and Python front ends
// call it too.
//
//   mars::SessionOptions options;
//   options.memoryLimit = 4ull << 30;
//   auto session = mars::Session::create(options);
//   if (!session) ...
//   if (failed((*session)->compile(func))) ...     // Diagnostics emitted.
//   auto results = (*session)->execute(func, args, &report);
//
//===----------------------------------------------------------------------===//

#ifndef MARS_SESSION_SESSION_H
#define MARS_SESSION_SESSION_H

#include "mars/Distributed/Cluster.h"
#include "mars/Numeric/NDArray.h"
#include "mars/Runtime/ChunkedExecutor.h"
#include "mars/Tiling/ChunkGraph.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mars {

class CudaDevice;
class GpuKernelCache;
class KernelCache;
class Trace;
struct MarsPipelineOptions;

/// How a program is executed.
enum class Engine {
  /// Whole arrays, no tiling: the oracle the tests compare with.
  Reference,
  /// Tiled and run chunk by chunk with the reference kernels.
  Chunked,
  /// Tiled, fused and run chunk by chunk with generated native kernels and
  /// BLAS (the default).
  Compiled,
};

/// "reference", "chunked", "compiled": the --engine names.
llvm::StringRef engineName(Engine engine);

/// Where the compiled engine's kernels and matrix products run.
enum class DeviceKind {
  CPU,
  /// An NVIDIA GPU (CUDA driver loaded at run time); fails without one.
  GPU,
  /// The GPU when one is usable, else the CPU.
  Auto,
  /// Testing: the GPU runtime over an emulated driver, running the GPU
  /// kernels compiled for this CPU.
  Emulator,
};

/// The stage of the pipeline `Session::writeGraph` draws.
enum class GraphStage {
  /// The program as given.
  Input,
  /// After mars-tile: every op with its chunk grid and task count.
  Tiled,
  /// After mars-fuse as well: what runs, fused groups drawn as boxes.
  Fused,
  /// The chunk graph of what runs (drawn per op when it is large).
  Chunks,
};

/// What kernel code `Session::emitKernels` prints.
enum class EmitKind { MLIR, LLVM, Asm, GpuMLIR, PTX };

struct SessionOptions {
  Engine engine = Engine::Compiled;
  /// Most memory a run may hold; 0: 80% of physical memory.
  uint64_t memoryLimit = 0;
  /// Largest automatic chunk; 0: chosen from the memory limit when one is
  /// given (see Session::chunkBytes), else MarsTileOptions' default.
  uint64_t chunkBytes = 0;
  /// Chunk every dimension into this many elements (0: by bytes).
  int64_t chunkSize = 0;
  /// Fuse elementwise chains (mars-fuse) and sibling reductions.
  bool fuse = true;
  bool multiOutput = true;
  /// Partial results combined per tree node.
  int64_t fanIn = tiling::kDefaultFanIn;
  /// Threads running chunk tasks (0: one per core).
  unsigned threads = 0;
  std::string spillDir;
  std::optional<uint64_t> spillCapacity;
  bool spillEagerly = false;
  /// Print the located diagnostics a failed cluster run sends back to
  /// stderr (else they are only in RunReport::clusterError).
  bool printClusterErrors = true;
  /// Called as a chunked run progresses (on the thread running it).
  std::function<void(const ChunkedProgress &)> progress;

  /// Compiled engine: the kernel cache directory, as
  /// resolveKernelCacheDirectory reads it (empty: the default; "none":
  /// memory only).
  std::string kernelCacheDir;
  /// Let a kernel split a chunk over OpenMP threads.
  bool kernelThreads = true;
  DeviceKind device = DeviceKind::CPU;
  /// GPU kernels: the architecture PTX is generated for (empty: the
  /// device's, or the newest this LLVM knows).
  std::string gpuArch;
  /// Most device memory for chunks (0: 90% of what is free at the start).
  uint64_t gpuMemoryLimit = 0;
  /// Notes for the user (the device chosen, a missing GPU under
  /// DeviceKind::Auto); null: none.
  llvm::raw_ostream *log = nullptr;

  /// Run on the cluster whose scheduler is at HOST:PORT (empty: locally).
  std::string cluster;
  /// Its token, or a file whose first line is the token (when both are
  /// empty: $MARS_CLUSTER_TOKEN or $MARS_CLUSTER_TOKEN_FILE).
  std::string clusterToken;
  std::string clusterTokenFile;
  /// TLS to the cluster (dist::TlsFiles; the environment's files
  /// otherwise).
  dist::TlsFiles clusterTls;
};

/// What one execution did.
struct RunReport {
  /// Wall time of the execution.
  double seconds = 0;
  /// Kernels compiled (or loaded) while the run was prepared.
  double compileSeconds = 0;
  ChunkedStats chunked;
  /// Set by a cluster run.
  std::optional<dist::ClusterStats> cluster;
  /// A failed cluster run: the cluster's diagnostics, as text.
  std::string clusterError;
};

class Session {
public:
  /// Opens the kernel caches and the device the options ask for. Fails
  /// with a message naming the option at fault.
  static llvm::Expected<std::unique_ptr<Session>>
  create(SessionOptions options);
  ~Session();

  const SessionOptions &options() const { return opts; }
  /// The memory limit runs keep to.
  uint64_t memoryLimit() const { return limit; }
  /// The largest automatic chunk: --chunk-bytes, or room for a few chunks
  /// per thread in flight (inputs, output, temporaries) within an explicit
  /// memory limit, between 64 KiB and MarsTileOptions' default.
  uint64_t chunkBytes() const;

  /// Tiles and fuses `func` in place (nothing for the reference engine).
  /// Diagnostics go to the context's handler. `passSeconds`, when given,
  /// receives each pass's wall time under its short name ("tile", "fuse").
  mlir::LogicalResult
  compile(mlir::func::FuncOp func,
          std::vector<std::pair<std::string, double>> *passSeconds = nullptr);

  /// Runs a compiled `func` (as compile() left it) on `args`. A cluster
  /// run sends `func`'s module. Failures are emitted as diagnostics (a
  /// cluster's remote ones are printed to stderr).
  /// With `trace`, the run records what it does there over time
  /// (Support/Trace.h): the execution, kernel compiles, every task per
  /// worker thread, spills and memory.
  mlir::FailureOr<std::vector<numeric::NDArray>>
  execute(mlir::func::FuncOp func, llvm::ArrayRef<numeric::NDArray> args,
          RunReport *report = nullptr, Trace *trace = nullptr);

  /// Prints the code of every kernel the compiled `func` runs
  /// (codegen::kernelsOf), each under a comment naming its op and location.
  llvm::Error emitKernels(mlir::func::FuncOp func, EmitKind kind,
                          llvm::raw_ostream &os);

  /// Draws `func` as the session's pipeline leaves it at `stage`, as a
  /// Graphviz digraph (Transforms/GraphDot.h). `func` itself is not changed
  /// (a copy is compiled). Fails with the pipeline's diagnostic.
  llvm::Error writeGraph(mlir::func::FuncOp func, GraphStage stage,
                         llvm::raw_ostream &os);

  /// The session's figures after `report`'s run, as `mars-run --stats`
  /// writes them (engine, kernels, GPU counters, cluster).
  void writeStats(llvm::json::OStream &j, const RunReport &report) const;

  /// Null unless the compiled engine is used / a GPU was opened.
  const KernelCache *kernels() const { return cpuKernels.get(); }
  const CudaDevice *gpu() const { return gpuDevice.get(); }

private:
  explicit Session(SessionOptions options);
  /// mars-tile's and mars-fuse's options from the session's.
  MarsPipelineOptions pipelineOptions() const;

  SessionOptions opts;
  uint64_t limit = 0;
  std::unique_ptr<KernelCache> cpuKernels;
  // Destroyed in reverse: the GPU kernels (their emulator code) before the
  // device that loaded them.
  std::unique_ptr<CudaDevice> gpuDevice;
  std::unique_ptr<GpuKernelCache> gpuKernels;
};

/// The process's peak resident set size so far: VmHWM, which starts anew
/// at exec (ru_maxrss does not: it keeps the high-water mark of the process
/// that forked us, a Python benchmark driver say).
int64_t peakRSSBytes();

} // namespace mars

#endif // MARS_SESSION_SESSION_H
