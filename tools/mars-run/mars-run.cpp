//===- mars-run.cpp - Compile and run a Mars program ----------------------===//
//
//   mars-run prog.mlir [--arg 0=a.npy ...] [--output DIR]
//                      [--engine=compiled|chunked|reference]
//
// Parses and verifies the program, runs its entry function (@main by
// default) and prints every result as numpy prints arrays; --output writes
// them as DIR/result<i>.npy. Every failure is a diagnostic with a location
// (or names the file) and exit status 1. By default the program is tiled,
// fused and run with compiled kernels on the local runtime; the reference
// evaluator (whole arrays, no tiling) is the oracle the tests compare with.
//
//===----------------------------------------------------------------------===//

#include "mars/Conversion/LowerGpuKernel.h"
#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Distributed/Cluster.h"
#include "mars/Runtime/ChunkedExecutor.h"
#include "mars/Runtime/CudaDevice.h"
#include "mars/Runtime/GpuKernelCache.h"
#include "mars/Runtime/KernelCache.h"
#include "mars/Runtime/ReferenceEvaluator.h"
#include "mars/Transforms/Passes.h"
#include "mars/Support/ArrayFormat.h"
#include "mars/Support/ByteSize.h"
#include "mars/Support/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <sys/resource.h>
#include <unistd.h>

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("mars-run options");

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<program.mlir>"),
                               cl::Required, cl::cat(category));

enum class Engine { Reference, Chunked, Compiled };
cl::opt<Engine> engine(
    "engine", cl::desc("How to execute the program"),
    cl::values(clEnumValN(Engine::Reference, "reference",
                          "whole-array reference evaluator (the oracle)"),
               clEnumValN(Engine::Chunked, "chunked",
                          "tile (mars-tile) and run chunk by chunk with the "
                          "reference kernels"),
               clEnumValN(Engine::Compiled, "compiled",
                          "tile, fuse and run chunk by chunk with generated "
                          "native kernels and OpenBLAS (the default)")),
    cl::init(Engine::Compiled), cl::cat(category));

enum class Emit { None, MLIR, LLVM, Asm, GpuMLIR, PTX };
cl::opt<Emit> emit(
    "emit",
    cl::desc("Compiled engine: print the code generated for every kernel of "
             "the program instead of running it"),
    cl::values(clEnumValN(Emit::MLIR, "mlir", "loop-level MLIR (scf/arith)"),
               clEnumValN(Emit::LLVM, "llvm", "optimised LLVM IR"),
               clEnumValN(Emit::Asm, "asm", "native assembly"),
               clEnumValN(Emit::GpuMLIR, "gpu-mlir",
                          "GPU kernels (gpu.func over scf/arith)"),
               clEnumValN(Emit::PTX, "ptx",
                          "PTX for --gpu-arch (needs no GPU)")),
    cl::init(Emit::None), cl::cat(category));

enum class Device { CPU, GPU, Auto, Emulator };
cl::opt<Device> device(
    "device",
    cl::desc("Compiled engine: where compiled kernels and matrix products "
             "run"),
    cl::values(clEnumValN(Device::CPU, "cpu", "this machine's cores"),
               clEnumValN(Device::GPU, "gpu",
                          "an NVIDIA GPU (CUDA driver loaded at run time); "
                          "fails when there is none"),
               clEnumValN(Device::Auto, "auto",
                          "the GPU when one is usable, else the CPU"),
               clEnumValN(Device::Emulator, "gpu-emulator",
                          "testing: the GPU runtime with an emulated driver, "
                          "running the GPU kernels compiled for this CPU")),
    cl::init(Device::CPU), cl::cat(category));

cl::opt<std::string> gpuArch(
    "gpu-arch",
    cl::desc("GPU kernels: the architecture PTX is generated for (sm_80, "
             "sm_90, ...)"),
    cl::init(mars::codegen::kDefaultGpuArch), cl::cat(category));

cl::opt<std::string> gpuMemoryLimit(
    "gpu-memory-limit",
    cl::desc("--device=gpu: most device memory for chunks, e.g. 8GiB "
             "(default: 90% of what is free when the run starts)"),
    cl::value_desc("BYTES"), cl::cat(category));

cl::opt<std::string> kernelCacheDir(
    "kernel-cache",
    cl::desc("Compiled engine: directory of compiled kernels kept across "
             "runs ('none': keep them in memory only; default "
             "$MARS_KERNEL_CACHE or ~/.cache/mars/kernels)"),
    cl::value_desc("DIR"), cl::cat(category));

cl::opt<bool> kernelThreads(
    "kernel-threads",
    cl::desc("Compiled engine: let a kernel split a chunk over OpenMP "
             "threads (cores / --threads of them per worker)"),
    cl::init(true), cl::cat(category));

// LLVM owns the option name "stats"; main() passes --stats=FILE on as
// --run-stats=FILE.
cl::opt<std::string> statsFile(
    "run-stats",
    cl::desc("Write the run's figures (given as --stats=FILE: tasks, phase "
             "times, peak memory, bytes spilled, kernels and their compile "
             "times) as JSON to FILE ('-': stdout)"),
    cl::value_desc("FILE"), cl::cat(category));

cl::opt<std::string> chunkBytes(
    "chunk-bytes",
    cl::desc("Chunked engine: largest automatic chunk, e.g. 32MiB"),
    cl::value_desc("SIZE"), cl::cat(category));

cl::opt<int64_t> chunkSize(
    "chunks",
    cl::desc("Chunked engine: chunk every dimension into N elements "
             "(overrides --chunk-bytes)"),
    cl::value_desc("N"), cl::init(0), cl::cat(category));

cl::opt<bool> fuse(
    "fuse",
    cl::desc("Chunked engine: fuse elementwise chains (mars-fuse); "
             "--fuse=false runs every op separately"),
    cl::init(true), cl::cat(category));

cl::opt<bool> multiOutput(
    "multi-output",
    cl::desc("Chunked engine: fuse sibling reductions into one group with "
             "several results, which reads their shared inputs once "
             "(mars-fuse multi-output)"),
    cl::init(true), cl::cat(category));

cl::opt<int64_t> fanIn(
    "fan-in",
    cl::desc("Chunked engine: partial results combined per tree node"),
    cl::init(mars::tiling::kDefaultFanIn), cl::cat(category));

cl::list<std::string> argFiles(
    "arg", cl::desc("Bind function argument I to a .npy file (I=FILE.npy)"),
    cl::value_desc("I=FILE.npy"), cl::cat(category));

cl::opt<std::string> outputDir(
    "output", cl::desc("Write result I to DIR/resultI.npy"),
    cl::value_desc("DIR"), cl::cat(category));

cl::opt<std::string> entry("entry", cl::desc("Function to run"),
                           cl::init("main"), cl::cat(category));

cl::opt<std::string> memoryLimit(
    "memory-limit",
    cl::desc("Most memory the run may hold, e.g. 2GB or 512MiB (default: 80% "
             "of physical memory)"),
    cl::value_desc("SIZE"), cl::cat(category));

// LLVM owns "threads" too: main() passes --threads on as --run-threads.
cl::opt<unsigned> threads(
    "run-threads",
    cl::desc("Chunked engines: worker threads running chunk tasks, given as "
             "--threads=N (default: one per core)"),
    cl::value_desc("N"), cl::init(0), cl::cat(category));

cl::opt<std::string> spillDir(
    "spill-dir",
    cl::desc("Chunked engines: where chunks go when memory runs short (a "
             "private directory is made inside and removed at exit; default "
             "$TMPDIR or /tmp)"),
    cl::value_desc("DIR"), cl::cat(category));

cl::opt<std::string> spillLimit(
    "spill-limit",
    cl::desc("Chunked engines: most bytes to keep in the spill directory at "
             "once (default: what the disk holds)"),
    cl::value_desc("SIZE"), cl::cat(category));

cl::opt<bool> spillEagerly(
    "spill-eagerly",
    cl::desc("Chunked engines, for testing: spill every chunk as soon as it "
             "is computed and read it back from disk when it is needed"),
    cl::init(false), cl::cat(category));

enum class Progress { Auto, Always, Never };
cl::opt<Progress> progress(
    "progress",
    cl::desc("Chunked engines: a progress line on stderr (default: when "
             "stderr is a terminal and --quiet is not given)"),
    cl::values(clEnumValN(Progress::Auto, "auto",
                          "on a terminal, for runs longer than half a second"),
               clEnumValN(Progress::Always, "always", "always"),
               clEnumValN(Progress::Never, "never", "never")),
    cl::init(Progress::Auto), cl::cat(category));

cl::opt<unsigned> repeat(
    "repeat",
    cl::desc("Execute the program N times in this process (for benchmarks: "
             "--stats reports every execution and their median)"),
    cl::value_desc("N"), cl::init(1), cl::cat(category));

cl::opt<bool> quiet("quiet",
                    cl::desc("Do not print the results or a progress line"),
                    cl::init(false), cl::cat(category));

cl::opt<std::string> cluster(
    "cluster",
    cl::desc("Run on the Mars cluster whose scheduler is at HOST:PORT "
             "(mars-scheduler; needs --engine=chunked or compiled)"),
    cl::value_desc("HOST:PORT"), cl::cat(category));

cl::opt<std::string> token(
    "token",
    cl::desc("--cluster: the cluster token (else $MARS_CLUSTER_TOKEN, "
             "--token-file or $MARS_CLUSTER_TOKEN_FILE)"),
    cl::cat(category));

cl::opt<std::string> tokenFile(
    "token-file", cl::desc("--cluster: a file whose first line is the token"),
    cl::cat(category));

/// Set by a --cluster run.
std::optional<mars::dist::ClusterStats> clusterStats;
/// --device=gpu (or auto, with a GPU): the device and its kernels.
std::unique_ptr<mars::CudaDevice> gpuDevice;
std::unique_ptr<mars::GpuKernelCache> gpuKernels;

int fail(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), "mars-run") << msg << "\n";
  return 1;
}

using Clock = std::chrono::steady_clock;
double seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}
/// Wall time per phase of the run, in order ("execute": the median of the
/// executions).
std::vector<std::pair<std::string, double>> phases;
/// Wall time of every execution (--repeat).
std::vector<double> executions;

/// Prints the code of every kernel of the tiled, fused `func`.
int emitKernels(
    func::FuncOp func, bool gpu,
    llvm::function_ref<llvm::Expected<std::string>(
        const mars::codegen::KernelSource &)>
        emitOne) {
  for (Operation &op : func.getBody().front()) {
    std::string why;
    llvm::SmallVector<mars::codegen::KernelSource, 2> sources;
    auto source = mars::codegen::KernelSource::forOp(&op, why, gpu);
    if (succeeded(source)) {
      sources.push_back(*source);
      // var/std partials: the squared-deviations kernel too.
      if (mars::codegen::needsDeviations(&op)) {
        sources.push_back(*source);
        sources.back().deviations = true;
      }
      // A multi-output group: the kernel of every other root.
      for (unsigned i = 1; i < op.getNumResults(); ++i)
        if (auto more = mars::codegen::KernelSource::forOp(&op, why, gpu, i);
            succeeded(more))
          sources.push_back(*more);
    } else if (auto fused = dyn_cast<mars::FusedOp>(op)) {
      // A reduction the runtime finishes: its fused input is a kernel.
      if (Operation *root = fused.getRoot();
          isa_and_nonnull<mars::ReductionOpInterface>(root))
        if (auto input = mars::codegen::KernelSource::forFusedValue(
                fused, root->getOperand(0), why);
            succeeded(input))
          sources.push_back(*input);
    }
    for (const auto &src : sources) {
      auto text = emitOne(src);
      if (!text)
        return fail(llvm::toString(text.takeError()));
      std::string where;
      llvm::raw_string_ostream os(where);
      op.getLoc().print(os);
      llvm::outs() << "// kernel of '" << op.getName() << "' at " << where
                   << "\n"
                   << *text << "\n";
    }
  }
  return 0;
}

/// The process's peak resident set size so far: VmHWM, which starts anew
/// at exec (ru_maxrss does not: it keeps the high-water mark of the process
/// that forked us, a Python benchmark driver say).
int64_t peakRSS() {
  if (auto status = llvm::MemoryBuffer::getFileAsStream("/proc/self/status")) {
    llvm::StringRef text = (*status)->getBuffer();
    size_t at = text.find("\nVmHWM:");
    if (at != llvm::StringRef::npos) {
      long long kib = 0;
      if (!text.drop_front(at + 7).ltrim().consumeInteger(10, kib))
        return static_cast<int64_t>(kib) * 1024;
    }
  }
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0)
    return 0;
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

/// "[ 1234/5000 tasks  24%] 1.2 GiB in memory, 3.0 GiB spilled, 12.3s, ETA
/// 38s", rewritten in place on a terminal.
void printProgress(const mars::ChunkedProgress &p, bool last) {
  double fraction =
      p.tasksTotal ? static_cast<double>(p.tasksDone) / p.tasksTotal : 1.0;
  std::string line;
  llvm::raw_string_ostream os(line);
  os << llvm::format("\r[%lld/%lld tasks %3.0f%%] ", (long long)p.tasksDone,
                     (long long)p.tasksTotal, fraction * 100)
     << mars::formatByteSize(p.bytesInMemory) << " in memory";
  if (p.workers)
    os << " on " << p.workers << (p.workers == 1 ? " worker" : " workers");
  if (p.bytesSpilled)
    os << ", " << mars::formatByteSize(p.bytesSpilled) << " spilled";
  os << llvm::format(", %.1fs", p.seconds);
  if (!last && fraction > 0.01 && fraction < 1)
    os << llvm::format(", ETA %.0fs", p.seconds * (1 - fraction) / fraction);
  os << "\x1b[K"; // Clear the rest of the line.
  if (last)
    os << "\n";
  llvm::errs() << line;
  llvm::errs().flush();
}

llvm::Error writeStats(const mars::ChunkedStats &stats,
                       const mars::KernelCache *kernels) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::json::OStream j(os, 2);
  j.object([&] {
    j.attribute("engine", engine == Engine::Reference  ? "reference"
                          : engine == Engine::Chunked ? "chunked"
                                                      : "compiled");
    j.attributeObject("seconds", [&] {
      for (auto &[name, secs] : phases)
        j.attribute(name, secs);
    });
    j.attributeArray("executions", [&] {
      for (double secs : executions)
        j.value(secs);
    });
    if (engine != Engine::Reference) {
      j.attribute("threads", stats.threads);
      j.attribute("prepare_seconds", stats.prepareSeconds);
      j.attribute("peak_memory_bytes", stats.peakMemory);
      j.attribute("memory_limit_bytes", stats.memoryLimit);
      j.attribute("bytes_spilled", stats.bytesSpilled);
      j.attribute("bytes_read_back", stats.bytesReadBack);
      j.attribute("spills", stats.spills);
      j.attribute("read_backs", stats.readBacks);
    }
    j.attribute("peak_rss_bytes", peakRSS());
    if (clusterStats)
      j.attributeObject("cluster", [&] {
        j.attribute("scheduler", cluster.getValue());
        j.attribute("tasks_run", clusterStats->tasks);
        j.attribute("recomputed", clusterStats->recomputed);
        j.attribute("workers_lost", clusterStats->workersLost);
        j.attribute("workers", clusterStats->workers);
        j.attribute("bytes_fetched", clusterStats->bytesFetched);
        j.attribute("bytes_spilled", clusterStats->bytesSpilled);
        j.attribute("result_bytes", clusterStats->resultBytes);
        j.attribute("result_fetch_seconds", clusterStats->resultSeconds);
        j.attributeArray("tasks_per_worker", [&] {
          for (int64_t n : clusterStats->tasksPerWorker)
            j.value(n);
        });
      });
    j.attribute("tasks", stats.tasks);
    j.attribute("chunks", stats.chunks);
    j.attribute("compiled_tasks", stats.compiledTasks);
    j.attribute("kernel_seconds", stats.kernelSeconds); // Of the last run.
    j.attributeArray("interpreted_ops", [&] {
      for (const std::string &why : stats.interpretedOps)
        j.value(why);
    });
    j.attribute("device", gpuDevice ? "gpu" : "cpu");
    if (gpuDevice)
      j.attributeObject("gpu", [&] {
        const mars::GpuCounters &c = gpuDevice->counters;
        j.attribute("name", gpuDevice->description());
        j.attribute("arch", gpuKernels->arch());
        j.attribute("kernel_launches", c.kernels.load());
        j.attribute("gemms", c.gemms.load());
        j.attribute("bytes_to_device", c.bytesToDevice.load());
        j.attribute("bytes_from_device", c.bytesFromDevice.load());
        j.attribute("device_hits", c.hits.load());
        j.attribute("device_misses", c.misses.load());
        j.attribute("device_evictions", c.evictions.load());
        j.attribute("peak_device_bytes", gpuDevice->peakMemory());
        j.attribute("device_memory_limit_bytes", gpuDevice->memoryLimit());
        j.attribute("kernel_cache_damaged", gpuKernels->stats().damaged);
        j.attributeArray("kernels", [&] {
          for (const auto &k : gpuKernels->stats().kernels)
            j.object([&] {
              j.attribute("name", k.key.substr(0, 24));
              j.attribute("compile_seconds", k.compileSeconds);
              j.attribute("from_disk_cache", k.fromDisk);
            });
        });
      });
    if (kernels) {
      j.attribute("kernels_reused", kernels->stats().reused);
      j.attribute("kernel_cache_damaged", kernels->stats().damaged);
      j.attributeArray("kernels", [&] {
        for (const auto &k : kernels->stats().kernels)
          j.object([&] {
            j.attribute("name", k.name);
            j.attribute("compile_seconds", k.compileSeconds);
            j.attribute("from_disk_cache", k.fromDisk);
          });
      });
    }
  });
  os << "\n";
  if (statsFile == "-") {
    llvm::outs() << text;
    return llvm::Error::success();
  }
  std::error_code ec;
  llvm::raw_fd_ostream out(statsFile, ec);
  if (ec)
    return llvm::createStringError(ec, "cannot write '" + statsFile +
                                           "': " + ec.message());
  out << text;
  return llvm::Error::success();
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // The GPU's JIT-compiled emulator code and the device go before LLVM's
  // own statics do.
  auto releaseGpu = llvm::make_scope_exit([] {
    gpuKernels.reset();
    gpuDevice.reset();
  });
  std::vector<std::string> renamed;
  renamed.reserve(argc); // c_str() pointers below stay valid: no regrowth.
  std::vector<const char *> argvList(argv, argv + argc);
  for (const char *&arg : argvList) {
    llvm::StringRef a(arg);
    for (const char *name : {"stats", "threads"}) {
      llvm::StringRef b = a;
      if ((b.consume_front("--") || b.consume_front("-")) &&
          b.consume_front(name) && (b.empty() || b.starts_with("="))) {
        renamed.push_back(("--run-" + llvm::Twine(name) + b).str());
        arg = renamed.back().c_str();
      }
    }
  }
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argvList.size(), argvList.data(),
                              "Run a Mars tensor program\n");

  mars::ReferenceOptions options;
  options.memoryLimit = mars::physicalMemoryBytes() / 5 * 4;
  if (!memoryLimit.empty()) {
    auto limit = mars::parseByteSize(memoryLimit);
    if (!limit)
      return fail("--memory-limit: " + llvm::toString(limit.takeError()));
    options.memoryLimit = *limit;
  }

  // Freed chunk buffers kept for reuse count against the limit's slack.
  mars::numeric::setBufferPoolCapacity(
      mars::numeric::bufferPoolCapacityFor(options.memoryLimit));

  DialectRegistry registry;
  registry.insert<mars::MarsDialect, func::FuncDialect>();
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);

  std::string errorMessage;
  auto file = openInputFile(inputFile, &errorMessage);
  if (!file)
    return fail(errorMessage);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);

  auto parseStart = Clock::now();
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  phases.push_back({"parse", seconds(parseStart)});
  auto func = module->lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return fail("the program has no function @" + entry);

  // Bind arguments.
  unsigned numArgs = func.getNumArguments();
  std::vector<std::optional<mars::numeric::NDArray>> bound(numArgs);
  for (const std::string &spec : argFiles) {
    auto [index, path] = llvm::StringRef(spec).split('=');
    unsigned i;
    if (path.empty() || index.getAsInteger(10, i))
      return fail("--arg expects I=FILE.npy, got '" + spec + "'");
    if (i >= numArgs)
      return fail("--arg " + llvm::Twine(i) + ": @" + entry + " has only " +
                  llvm::Twine(numArgs) + " arguments");
    auto array = mars::readNpy(path);
    if (!array)
      return fail(llvm::toString(array.takeError())), 1;
    if (auto err = mars::checkMatchesType(*array, func.getArgumentTypes()[i])) {
      func.emitError("argument ")
          << i << ": '" << path << "' " << llvm::toString(std::move(err));
      return 1;
    }
    bound[i] = std::move(*array);
  }
  std::vector<mars::numeric::NDArray> args;
  for (unsigned i = 0; i < numArgs; ++i) {
    if (!bound[i] && emit != Emit::None) {
      args.emplace_back(); // --emit generates code without running it.
      continue;
    }
    if (!bound[i]) {
      func.emitError("argument ") << i << " is not bound; pass --arg " << i
                                  << "=FILE.npy";
      return 1;
    }
    args.push_back(std::move(*bound[i]));
  }

  FailureOr<std::vector<mars::numeric::NDArray>> results;
  mars::ChunkedStats chunkedStats;
  double compileSeconds = 0;
  std::unique_ptr<mars::KernelCache> kernels;
  if (emit != Emit::None && engine != Engine::Compiled)
    return fail("--emit needs --engine=compiled");
  if (device != Device::CPU && engine != Engine::Compiled)
    return fail("--device=gpu|auto needs --engine=compiled");
  if (device != Device::CPU && !cluster.empty())
    return fail("--device=gpu|auto runs on this machine: the cluster's "
                "workers run on their CPUs");
  if (!cluster.empty() && engine == Engine::Reference)
    return fail("--cluster runs tiled programs: pass --engine=chunked or "
                "--engine=compiled");
  if (engine == Engine::Chunked || engine == Engine::Compiled) {
    mars::MarsTileOptions tileOptions;
    if (!chunkBytes.empty()) {
      auto bytes = mars::parseByteSize(chunkBytes);
      if (!bytes || *bytes == 0)
        return fail("--chunk-bytes: " +
                    (bytes ? std::string("must be positive")
                           : llvm::toString(bytes.takeError())));
      tileOptions.chunkBytes = *bytes;
    } else if (!memoryLimit.empty()) {
      // Room for a few chunks per thread in flight (inputs, output,
      // temporaries) within the limit.
      unsigned workers =
          threads ? threads : std::max(1u, std::thread::hardware_concurrency());
      tileOptions.chunkBytes = std::clamp<uint64_t>(
          options.memoryLimit / (8 * workers), uint64_t(64) << 10,
          tileOptions.chunkBytes);
    }
    if (chunkSize < 0)
      return fail("--chunks must be positive, got " + llvm::Twine(chunkSize));
    if (fanIn < 2)
      return fail("--fan-in must be at least 2, got " + llvm::Twine(fanIn));
    tileOptions.chunkSize = chunkSize;
    // Only the entry is tiled: the module's other functions may hold what
    // the engines cannot run, and are not run.
    PassManager tile(&context, func::FuncOp::getOperationName()),
        fusion(&context, func::FuncOp::getOperationName());
    tile.addPass(mars::createMarsTile(tileOptions));
    auto tileStart = Clock::now();
    if (failed(tile.run(func)))
      return 1;
    phases.push_back({"tile", seconds(tileStart)});
    if (fuse) {
      mars::MarsFuseOptions fuseOptions;
      fuseOptions.multiOutput = multiOutput;
      fusion.addPass(mars::createMarsFuse(fuseOptions));
      auto fuseStart = Clock::now();
      if (failed(fusion.run(func)))
        return 1;
      phases.push_back({"fuse", seconds(fuseStart)});
    }
    mars::ChunkedOptions chunked;
    chunked.fanIn = fanIn;
    chunked.memoryLimit = options.memoryLimit;
    chunked.threads = threads;
    chunked.spillDir = spillDir;
    chunked.spillEagerly = spillEagerly;
    if (!spillLimit.empty()) {
      auto bytes = mars::parseByteSize(spillLimit);
      if (!bytes)
        return fail("--spill-limit: " + llvm::toString(bytes.takeError()));
      chunked.spillCapacity = *bytes;
    }
    bool showProgress = progress == Progress::Always ||
                        (progress == Progress::Auto && !quiet &&
                         ::isatty(STDERR_FILENO));
    bool shown = false;
    if (showProgress)
      chunked.progress = [&](const mars::ChunkedProgress &p) {
        // On a terminal, short runs finish before the first line is due.
        if (progress == Progress::Auto && p.seconds < 0.5 && !shown)
          return;
        shown = true;
        printProgress(p, p.tasksDone == p.tasksTotal);
        if (p.tasksDone == p.tasksTotal)
          shown = false; // The line is finished.
      };
    if (engine == Engine::Compiled) {
      mars::KernelCacheOptions cacheOptions;
      cacheOptions.parallel = kernelThreads;
      cacheOptions.directory = kernelCacheDir.getNumOccurrences()
                                   ? kernelCacheDir.getValue()
                                   : mars::defaultKernelCacheDirectory();
      if (cacheOptions.directory == "none")
        cacheOptions.directory.clear();
      auto cache = mars::KernelCache::create(cacheOptions);
      if (!cache)
        return fail("cannot set up code generation: " +
                    llvm::toString(cache.takeError()));
      kernels = std::move(*cache);
      chunked.kernels = kernels.get();
      if (device != Device::CPU && emit == Emit::None) {
        mars::CudaDeviceOptions gpuOptions;
        gpuOptions.emulate = device == Device::Emulator;
        if (!gpuMemoryLimit.empty()) {
          auto bytes = mars::parseByteSize(gpuMemoryLimit);
          if (!bytes || *bytes == 0)
            return fail("--gpu-memory-limit: " +
                        (bytes ? std::string("must be positive")
                               : llvm::toString(bytes.takeError())));
          gpuOptions.memoryLimit = *bytes;
        }
        auto opened = mars::CudaDevice::open(gpuOptions);
        if (!opened) {
          std::string why = llvm::toString(opened.takeError());
          if (device != Device::Auto)
            return fail((device == Device::GPU ? "--device=gpu: "
                                               : "--device=gpu-emulator: ") +
                        why);
          if (!quiet)
            llvm::errs() << "mars: no usable GPU (" << why
                         << "); running on the CPU\n";
        } else {
          gpuDevice = std::move(*opened);
          // PTX for the device's architecture, or the newest this LLVM
          // knows (the driver compiles PTX for newer GPUs).
          std::string arch = gpuArch.getValue(), why;
          if (!gpuArch.getNumOccurrences()) {
            arch = gpuDevice->arch();
            if (!mars::codegen::isSupportedGpuArch(arch, why))
              arch = "sm_90";
          }
          mars::GpuKernelOptions gpuKernelOptions{
              cacheOptions.directory, arch, device == Device::Emulator};
          auto gpuCache = mars::GpuKernelCache::create(gpuKernelOptions);
          if (!gpuCache)
            return fail(llvm::toString(gpuCache.takeError()));
          gpuKernels = std::move(*gpuCache);
          chunked.gpu = gpuDevice.get();
          chunked.gpuKernels = gpuKernels.get();
          if (!quiet && progress != Progress::Never)
            llvm::errs() << "mars: running kernels on " << gpuDevice->description()
                         << "\n";
        }
      }
      if (emit == Emit::GpuMLIR || emit == Emit::PTX) {
        auto gpu = mars::GpuKernelCache::create(
            {/*directory=*/"", gpuArch.getValue()});
        if (!gpu)
          return fail(llvm::toString(gpu.takeError()));
        auto kind = emit == Emit::PTX ? mars::GpuEmitKind::PTX
                                      : mars::GpuEmitKind::MLIR;
        return emitKernels(func, /*gpu=*/true, [&](const mars::codegen::KernelSource &src) {
          return (*gpu)->emit(src, kind);
        });
      }
      if (emit != Emit::None) {
        auto kind = emit == Emit::MLIR   ? mars::KernelEmitKind::MLIR
                    : emit == Emit::LLVM ? mars::KernelEmitKind::LLVM
                                         : mars::KernelEmitKind::Asm;
        return emitKernels(func, /*gpu=*/false, [&](const mars::codegen::KernelSource &src) {
          return kernels->emit(src, kind);
        });
      }
    }
    if (!cluster.empty()) {
      mars::dist::ClusterRunOptions run;
      run.scheduler = cluster;
      auto clusterToken = mars::dist::resolveClusterToken(token, tokenFile);
      if (!clusterToken)
        return fail(llvm::toString(clusterToken.takeError()));
      run.token = *clusterToken;
      run.entry = entry;
      run.compiled = engine == Engine::Compiled;
      run.fanIn = fanIn;
      run.progress = chunked.progress;
      for (unsigned r = 0; r < std::max(1u, repeat.getValue()); ++r) {
        clusterStats.emplace();
        results = failure(); // See below: not timed, and its memory reused.
        auto runStart = Clock::now();
        auto got = mars::dist::runOnCluster(*module, args, run,
                                            &*clusterStats);
        executions.push_back(seconds(runStart));
        if (shown) {
          llvm::errs() << "\n";
          shown = false;
        }
        if (!got) {
          std::string msg = llvm::toString(got.takeError());
          if (llvm::StringRef(msg).contains("error: "))
            llvm::errs() << msg << (llvm::StringRef(msg).ends_with("\n")
                                        ? "" : "\n");
          else
            fail(msg);
          results = failure();
          break;
        }
        chunkedStats.tasks = clusterStats->tasks;
        results = std::move(*got);
      }
    }
    for (unsigned r = 0; cluster.empty() && r < std::max(1u, repeat.getValue());
         ++r) {
      chunkedStats = mars::ChunkedStats();
      // The previous execution's results are freed before this one starts:
      // their freeing is not part of the execution, and their buffers go to
      // the pool, where this execution finds memory already mapped.
      results = failure();
      auto runStart = Clock::now();
      results = mars::evaluateChunked(func, args, chunked, &chunkedStats);
      executions.push_back(seconds(runStart));
      if (r == 0)
        compileSeconds = chunkedStats.prepareSeconds;
      if (shown) { // A failed run leaves its progress line unfinished.
        llvm::errs() << "\n";
        shown = false;
      }
      if (failed(results))
        break;
    }
  } else {
    for (unsigned r = 0; r < std::max(1u, repeat.getValue()); ++r) {
      results = failure();
      auto runStart = Clock::now();
      results = mars::evaluateReference(func, args, options);
      executions.push_back(seconds(runStart));
      if (failed(results))
        break;
    }
  }
  {
    // Kernels are compiled (or loaded from the cache) while the run is
    // prepared; later repeats find them in memory.
    if (engine != Engine::Reference)
      phases.push_back({"compile", compileSeconds});
    std::vector<double> sorted = executions;
    std::sort(sorted.begin(), sorted.end());
    phases.push_back({"execute", sorted[sorted.size() / 2]});
  }
  if (!statsFile.empty()) {
    if (auto err = writeStats(chunkedStats, kernels.get()))
      return fail(llvm::toString(std::move(err)));
  }
  if (failed(results))
    return 1;

  if (!outputDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
      return fail("cannot create '" + outputDir + "': " + ec.message());
    for (auto [i, r] : llvm::enumerate(*results)) {
      llvm::SmallString<128> path(outputDir);
      llvm::sys::path::append(path, "result" + std::to_string(i) + ".npy");
      if (auto err = mars::writeNpy(path, r))
        return fail(llvm::toString(std::move(err)));
    }
  }
  if (!quiet)
    for (const mars::numeric::NDArray &r : *results)
      llvm::outs() << mars::formatArray(r) << "\n";
  return 0;
}
