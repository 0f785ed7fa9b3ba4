//===- mars-run.cpp - Compile and run a Mars program ----------------------===//
//
//   mars-run prog.mlir [--arg 0=a.npy ...] [--output DIR]
//                      [--engine=compiled|chunked|reference]
//                      [--graph=input|tiled|fused|chunks]
//
// Parses and verifies the program, runs its entry function (@main by
// default) and prints every result as numpy prints arrays; --output writes
// them as DIR/result<i>.npy. Every failure is a diagnostic with a location
// (or names the file) and exit status 1. By default the program is tiled,
// fused and run with compiled kernels on the local runtime; the reference
// evaluator (whole arrays, no tiling) is the oracle the tests compare with.
//
// The work is the library's (mars::Session, Session.h): this file parses
// arguments, binds .npy files and prints.
//
//===----------------------------------------------------------------------===//

#include "mars/Conversion/LowerGpuKernel.h"
#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Distributed/TlsFlags.h"
#include "mars/Session/Session.h"
#include "mars/Support/ArrayFormat.h"
#include "mars/Support/ByteSize.h"
#include "mars/Support/Npy.h"
#include "mars/Support/Trace.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <sys/resource.h>
#include <unistd.h>

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("mars-run options");

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<program.mlir>"),
                               cl::Required, cl::cat(category));

using mars::Engine;
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

enum class Graph { None, Input, Tiled, Fused, Chunks };
cl::opt<Graph> graph(
    "graph",
    cl::desc("Print a picture of the program as a Graphviz graph (DOT; "
             "render it with `dot -Tsvg`) instead of running it"),
    cl::values(clEnumValN(Graph::Input, "input", "the op graph as written"),
               clEnumValN(Graph::Tiled, "tiled",
                          "after tiling: chunk grids and task counts"),
               clEnumValN(Graph::Fused, "fused",
                          "after fusion: what runs, fused groups as boxes"),
               clEnumValN(Graph::Chunks, "chunks",
                          "the chunk graph of what runs (per op when large)")),
    cl::init(Graph::None), cl::cat(category));

using Device = mars::DeviceKind;
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

cl::opt<std::string> traceFile(
    "trace",
    cl::desc("Write what the run did over time (every task per worker "
             "thread, kernel compiles, spills, memory) as a Trace Event JSON "
             "file that Perfetto and chrome://tracing open ('-': stdout)"),
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
             "(mars-scheduler; needs --engine=chunked or compiled); several "
             "schedulers of one ring separated by commas: the job moves to "
             "the next when its scheduler is lost"),
    cl::value_desc("HOST:PORT[,...]"), cl::cat(category));

cl::opt<std::string> token(
    "token",
    cl::desc("--cluster: the cluster token (else $MARS_CLUSTER_TOKEN, "
             "--token-file or $MARS_CLUSTER_TOKEN_FILE)"),
    cl::cat(category));

cl::opt<std::string> tokenFile(
    "token-file", cl::desc("--cluster: a file whose first line is the token"),
    cl::cat(category));

mars::dist::TlsFlags tls(category, "--cluster's connections");

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
/// CPU time (user and system, every thread) of every execution: what a run
/// costs the machine, less exposed than wall time to a shared host's noise.
std::vector<double> executionCpu;

double processCpuSeconds() {
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0)
    return 0;
  auto secs = [](const timeval &t) { return t.tv_sec + t.tv_usec * 1e-6; };
  return secs(usage.ru_utime) + secs(usage.ru_stime);
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

llvm::Error writeStats(const mars::Session *session,
                       const mars::RunReport &report) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::json::OStream j(os, 2);
  j.object([&] {
    j.attribute("engine", mars::engineName(engine));
    j.attributeObject("seconds", [&] {
      for (auto &[name, secs] : phases)
        j.attribute(name, secs);
    });
    j.attributeArray("execution_cpu_seconds", [&] {
      for (double secs : executionCpu)
        j.value(secs);
    });
    j.attributeArray("executions", [&] {
      for (double secs : executions)
        j.value(secs);
    });
    if (session)
      session->writeStats(j, report);
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

  auto byteSize = [](cl::opt<std::string> &flag, uint64_t &into,
                     bool positive) -> bool {
    if (flag.empty())
      return true;
    auto bytes = mars::parseByteSize(flag);
    if (!bytes || (positive && *bytes == 0)) {
      fail("--" + flag.ArgStr + ": " +
           (bytes ? std::string("must be positive")
                  : llvm::toString(bytes.takeError())));
      return false;
    }
    into = *bytes;
    return true;
  };
  if (emit != Emit::None && engine != Engine::Compiled)
    return fail("--emit needs --engine=compiled");
  if (!traceFile.empty() && (emit != Emit::None || graph != Graph::None))
    return fail("--trace records a run; --emit and --graph do not run the "
                "program");
  mars::SessionOptions options;
  options.engine = engine;
  uint64_t spillBytes = 0;
  if (!byteSize(memoryLimit, options.memoryLimit, /*positive=*/false) ||
      !byteSize(chunkBytes, options.chunkBytes, /*positive=*/true) ||
      !byteSize(spillLimit, spillBytes, /*positive=*/false) ||
      !byteSize(gpuMemoryLimit, options.gpuMemoryLimit, /*positive=*/true))
    return 1;
  if (!spillLimit.empty())
    options.spillCapacity = spillBytes;
  options.chunkSize = chunkSize;
  options.fuse = fuse;
  options.multiOutput = multiOutput;
  options.fanIn = fanIn;
  options.threads = threads;
  options.spillDir = spillDir;
  options.spillEagerly = spillEagerly;
  // --kernel-cache= (empty) keeps kernels in memory, as 'none' does.
  if (kernelCacheDir.getNumOccurrences())
    options.kernelCacheDir =
        kernelCacheDir.empty() ? "none" : kernelCacheDir.getValue();
  options.kernelThreads = kernelThreads;
  // --emit generates code without running it: no device is opened.
  options.device = emit != Emit::None ? mars::DeviceKind::CPU : device;
  if (gpuArch.getNumOccurrences())
    options.gpuArch = gpuArch;
  options.log = quiet ? nullptr : &llvm::errs();
  options.cluster = cluster;
  options.clusterToken = token;
  options.clusterTokenFile = tokenFile;
  options.clusterTls = tls.files();
  bool showProgress = engine != Engine::Reference &&
                      (progress == Progress::Always ||
                       (progress == Progress::Auto && !quiet &&
                        ::isatty(STDERR_FILENO)));
  bool shown = false;
  if (showProgress)
    options.progress = [&](const mars::ChunkedProgress &p) {
      // On a terminal, short runs finish before the first line is due.
      if (progress == Progress::Auto && p.seconds < 0.5 && !shown)
        return;
      shown = true;
      printProgress(p, p.tasksDone == p.tasksTotal);
      if (p.tasksDone == p.tasksTotal)
        shown = false; // The line is finished.
    };
  auto created = mars::Session::create(std::move(options));
  if (!created)
    return fail(llvm::toString(created.takeError()));
  std::unique_ptr<mars::Session> session = std::move(*created);

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

  std::optional<mars::Trace> trace;
  if (!traceFile.empty()) {
    trace.emplace();
    trace->nameProcess(0, "mars");
    trace->nameThread(0, 0, "main");
  }
  auto parseStart = Clock::now();
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  phases.push_back({"parse", seconds(parseStart)});
  if (trace)
    trace->span("run", "parse", 0, 0, parseStart, Clock::now());
  auto func = module->lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return fail("the program has no function @" + entry);

  if (graph != Graph::None) {
    auto stage = graph == Graph::Input   ? mars::GraphStage::Input
                 : graph == Graph::Tiled ? mars::GraphStage::Tiled
                 : graph == Graph::Fused ? mars::GraphStage::Fused
                                         : mars::GraphStage::Chunks;
    if (auto err = session->writeGraph(func, stage, llvm::outs()))
      return fail(llvm::toString(std::move(err)));
    return 0;
  }

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
      return fail(llvm::toString(array.takeError()));
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

  auto compileStart = Clock::now();
  if (failed(session->compile(func, &phases))) {
    if (trace)
      if (auto err = trace->writeFile(traceFile))
        return fail(llvm::toString(std::move(err)));
    return 1;
  }
  if (trace)
    trace->span("run", "tile and fuse", 0, 0, compileStart, Clock::now());
  if (emit != Emit::None) {
    auto kind = emit == Emit::MLIR      ? mars::EmitKind::MLIR
                : emit == Emit::LLVM    ? mars::EmitKind::LLVM
                : emit == Emit::Asm     ? mars::EmitKind::Asm
                : emit == Emit::GpuMLIR ? mars::EmitKind::GpuMLIR
                                        : mars::EmitKind::PTX;
    if (auto err = session->emitKernels(func, kind, llvm::outs()))
      return fail(llvm::toString(std::move(err)));
    return 0;
  }

  FailureOr<std::vector<mars::numeric::NDArray>> results;
  mars::RunReport report;
  double compileSeconds = 0;
  for (unsigned r = 0; r < std::max(1u, repeat.getValue()); ++r) {
    // The previous execution's results are freed before this one starts:
    // their freeing is not part of the execution, and their buffers go to
    // the pool, where this execution finds memory already mapped.
    results = failure();
    double cpuStart = processCpuSeconds();
    results = session->execute(func, args, &report, trace ? &*trace : nullptr);
    executionCpu.push_back(processCpuSeconds() - cpuStart);
    executions.push_back(report.seconds);
    if (r == 0)
      compileSeconds = report.compileSeconds;
    if (shown) { // A failed run leaves its progress line unfinished.
      llvm::errs() << "\n";
      shown = false;
    }
    if (failed(results))
      break;
  }
  // Kernels are compiled (or loaded from the cache) while the run is
  // prepared; later repeats find them in memory.
  if (engine != Engine::Reference)
    phases.push_back({"compile", compileSeconds});
  std::vector<double> sorted = executions;
  std::sort(sorted.begin(), sorted.end());
  phases.push_back({"execute", sorted[sorted.size() / 2]});
  if (!statsFile.empty())
    if (auto err = writeStats(session.get(), report))
      return fail(llvm::toString(std::move(err)));
  if (trace)
    if (auto err = trace->writeFile(traceFile))
      return fail(llvm::toString(std::move(err)));
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
  // A trace on stdout is the whole of stdout.
  if (!quiet && traceFile != "-")
    for (const mars::numeric::NDArray &r : *results)
      llvm::outs() << mars::formatArray(r) << "\n";
  return 0;
}
