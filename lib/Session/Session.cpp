//===- Session.cpp - Compile and run Mars programs -------------------------===//
//
// See Session.h. The --stats figures are written in SessionStats.cpp.
//
//===----------------------------------------------------------------------===//

#include "mars/Session/Session.h"

#include "mars/Conversion/ChunkKernel.h"
#include "mars/Conversion/LowerGpuKernel.h"
#include "mars/Runtime/CudaDevice.h"
#include "mars/Runtime/GpuKernelCache.h"
#include "mars/Runtime/KernelCache.h"
#include "mars/Runtime/ReferenceEvaluator.h"
#include "mars/Support/ByteSize.h"
#include "mars/Support/Error.h"
#include "mars/Support/Trace.h"
#include "mars/Transforms/GraphDot.h"
#include "mars/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/ScopeExit.h"

#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <chrono>
#include <sys/resource.h>
#include <thread>

using namespace mlir;
using namespace mars;

namespace {
using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Records each pass's wall time under its argument, "mars-" dropped.
struct PassTimes : public PassInstrumentation {
  explicit PassTimes(std::vector<std::pair<std::string, double>> &out)
      : out(out) {}
  void runBeforePass(Pass *, Operation *) override { start = Clock::now(); }
  void runAfterPass(Pass *pass, Operation *) override {
    out.push_back({pass->getArgument().str(), secondsSince(start)});
    llvm::StringRef name(out.back().first);
    if (name.consume_front("mars-"))
      out.back().first = name.str();
  }
  std::vector<std::pair<std::string, double>> &out;
  Clock::time_point start;
};
} // namespace

Session::Session(SessionOptions options) : opts(std::move(options)) {}
Session::~Session() = default;

llvm::Expected<std::unique_ptr<Session>>
Session::create(SessionOptions options) {
  if (options.chunkSize < 0)
    return makeError("--chunks must be positive, got " +
                     std::to_string(options.chunkSize));
  if (options.fanIn < 2)
    return makeError("--fan-in must be at least 2, got " +
                     std::to_string(options.fanIn));
  if (options.device != DeviceKind::CPU && options.engine != Engine::Compiled)
    return makeError("--device=gpu|auto needs --engine=compiled");
  if (options.device != DeviceKind::CPU && !options.cluster.empty())
    return makeError("--device=gpu|auto runs on this machine: the cluster's "
                     "workers run on their CPUs");
  if (!options.cluster.empty() && options.engine == Engine::Reference)
    return makeError("--cluster runs tiled programs: pass --engine=chunked "
                     "or --engine=compiled");
  if (!options.cluster.empty()) {
    auto token = dist::resolveClusterToken(options.clusterToken,
                                           options.clusterTokenFile);
    if (!token)
      return token.takeError();
    options.clusterToken = *token;
  }
  std::unique_ptr<Session> session(new Session(std::move(options)));
  const SessionOptions &opts = session->opts;
  session->limit =
      opts.memoryLimit ? opts.memoryLimit : physicalMemoryBytes() / 5 * 4;
  // Freed chunk buffers kept for reuse count against the limit's slack.
  numeric::setBufferPoolCapacity(
      numeric::bufferPoolCapacityFor(session->limit));
  if (opts.engine != Engine::Compiled)
    return session;

  KernelCacheOptions cacheOptions;
  cacheOptions.parallel = opts.kernelThreads;
  cacheOptions.directory = resolveKernelCacheDirectory(opts.kernelCacheDir);
  auto cache = KernelCache::create(cacheOptions);
  if (!cache)
    return makeError("cannot set up code generation: " +
                     llvm::toString(cache.takeError()));
  session->cpuKernels = std::move(*cache);
  if (opts.device == DeviceKind::CPU)
    return session;

  CudaDeviceOptions gpuOptions;
  gpuOptions.emulate = opts.device == DeviceKind::Emulator;
  if (opts.gpuMemoryLimit)
    gpuOptions.memoryLimit = opts.gpuMemoryLimit;
  auto opened = CudaDevice::open(gpuOptions);
  if (!opened) {
    std::string why = llvm::toString(opened.takeError());
    if (opts.device != DeviceKind::Auto)
      return makeError((opts.device == DeviceKind::GPU
                            ? "--device=gpu: "
                            : "--device=gpu-emulator: ") +
                       why);
    if (opts.log)
      *opts.log << "mars: no usable GPU (" << why
                << "); running on the CPU\n";
    return session;
  }
  session->gpuDevice = std::move(*opened);
  // PTX for the device's architecture, or the newest this LLVM knows (the
  // driver compiles PTX for newer GPUs).
  std::string arch = opts.gpuArch, why;
  if (arch.empty()) {
    arch = session->gpuDevice->arch();
    if (!codegen::isSupportedGpuArch(arch, why))
      arch = "sm_90";
  }
  GpuKernelOptions gpuKernelOptions{cacheOptions.directory, arch,
                                    opts.device == DeviceKind::Emulator};
  auto gpuCache = GpuKernelCache::create(gpuKernelOptions);
  if (!gpuCache)
    return gpuCache.takeError();
  session->gpuKernels = std::move(*gpuCache);
  if (opts.log)
    *opts.log << "mars: running kernels on "
              << session->gpuDevice->description() << "\n";
  return session;
}

uint64_t Session::chunkBytes() const {
  const uint64_t defaultBytes = MarsTileOptions().chunkBytes;
  if (opts.chunkBytes)
    return opts.chunkBytes;
  if (!opts.memoryLimit)
    return defaultBytes;
  unsigned workers = opts.threads ? opts.threads
                                  : std::max(1u, std::thread::hardware_concurrency());
  return std::clamp<uint64_t>(opts.memoryLimit / (8 * workers),
                              uint64_t(64) << 10, defaultBytes);
}

MarsPipelineOptions Session::pipelineOptions() const {
  MarsPipelineOptions pipeline;
  pipeline.chunkBytes = chunkBytes();
  pipeline.chunkSize = opts.chunkSize;
  pipeline.fuse = opts.fuse;
  pipeline.multiOutput = opts.multiOutput;
  return pipeline;
}

LogicalResult
Session::compile(func::FuncOp func,
                 std::vector<std::pair<std::string, double>> *passSeconds) {
  if (opts.engine == Engine::Reference)
    return success();
  // Only the entry is compiled: the module's other functions may hold what
  // the engines cannot run, and are not run.
  PassManager pm(func.getContext(), func::FuncOp::getOperationName());
  buildMarsChunkPipeline(pm, pipelineOptions());
  if (passSeconds)
    pm.addInstrumentation(std::make_unique<PassTimes>(*passSeconds));
  return pm.run(func);
}

llvm::Error Session::writeGraph(func::FuncOp func, GraphStage stage,
                               llvm::raw_ostream &os) {
  MLIRContext *ctx = func.getContext();
  OwningOpRef<ModuleOp> scratch = ModuleOp::create(func.getLoc());
  auto copy = cast<func::FuncOp>(func->clone());
  scratch->getBody()->push_back(copy);
  if (stage != GraphStage::Input) {
    PassManager pm(ctx, func::FuncOp::getOperationName());
    MarsPipelineOptions pipeline = pipelineOptions();
    pipeline.fuse &= stage != GraphStage::Tiled;
    buildMarsChunkPipeline(pm, pipeline);
    // The pipeline's diagnostics go to the context's handler.
    if (failed(pm.run(copy)))
      return makeError("cannot draw the graph: the program does not tile");
  }
  GraphDotOptions dot;
  dot.chunks = stage == GraphStage::Chunks;
  dot.fanIn = opts.fanIn;
  printGraphDot(copy, os, dot);
  return llvm::Error::success();
}

FailureOr<std::vector<numeric::NDArray>>
Session::execute(func::FuncOp func, llvm::ArrayRef<numeric::NDArray> args,
                 RunReport *report, Trace *trace) {
  RunReport local;
  RunReport &r = report ? *report : local;
  r = RunReport();
  auto start = Clock::now();
  if (trace) {
    // Process 0 is this one; its thread 0 runs the session (the local
    // runtime's workers are threads 1..N, a cluster's workers processes).
    trace->nameProcess(0, opts.cluster.empty() ? "mars" : "mars client");
    trace->nameThread(0, 0, "main");
  }
  auto finish = llvm::make_scope_exit([&] {
    r.seconds = secondsSince(start);
    if (trace)
      trace->span("run", "execute (" + engineName(opts.engine).str() + ")",
                  0, 0, start, Clock::now());
  });
  if (opts.engine == Engine::Reference) {
    ReferenceOptions options;
    options.memoryLimit = limit;
    return evaluateReference(func, args, options);
  }
  if (!opts.cluster.empty()) {
    dist::ClusterRunOptions run;
    run.scheduler = opts.cluster;
    run.token = opts.clusterToken;
    run.tls = opts.clusterTls;
    run.entry = func.getSymName().str();
    run.compiled = opts.engine == Engine::Compiled;
    run.fanIn = opts.fanIn;
    run.progress = opts.progress;
    run.trace = trace;
    r.cluster.emplace();
    auto got = dist::runOnCluster(func->getParentOfType<ModuleOp>(),
                                  std::vector<numeric::NDArray>(args.begin(),
                                                                args.end()),
                                  run, &*r.cluster);
    r.chunked.tasks = r.cluster->tasks;
    if (!got) {
      // The cluster reports located diagnostics as text: print them as
      // they came.
      std::string msg = llvm::toString(got.takeError());
      r.clusterError = msg;
      if (!llvm::StringRef(msg).contains("error: "))
        func.emitError(msg);
      else if (opts.printClusterErrors)
        llvm::errs() << msg
                     << (llvm::StringRef(msg).ends_with("\n") ? "" : "\n");
      return failure();
    }
    return std::move(*got);
  }
  ChunkedOptions chunked;
  chunked.fanIn = opts.fanIn;
  chunked.memoryLimit = limit;
  chunked.threads = opts.threads;
  chunked.spillDir = opts.spillDir;
  chunked.spillCapacity = opts.spillCapacity;
  chunked.spillEagerly = opts.spillEagerly;
  chunked.progress = opts.progress;
  chunked.trace = trace;
  chunked.kernels = cpuKernels.get();
  chunked.gpu = gpuDevice.get();
  chunked.gpuKernels = gpuKernels.get();
  auto results = evaluateChunked(func, args, chunked, &r.chunked);
  r.compileSeconds = r.chunked.prepareSeconds;
  return results;
}

llvm::Error Session::emitKernels(func::FuncOp func, EmitKind kind,
                                 llvm::raw_ostream &os) {
  const bool gpu = kind == EmitKind::GpuMLIR || kind == EmitKind::PTX;
  std::unique_ptr<GpuKernelCache> ptx;
  if (gpu) {
    auto cache = GpuKernelCache::create(
        {/*directory=*/"", opts.gpuArch.empty() ? codegen::kDefaultGpuArch
                                                : opts.gpuArch});
    if (!cache)
      return cache.takeError();
    ptx = std::move(*cache);
  } else if (!cpuKernels) {
    return makeError("--emit needs --engine=compiled");
  }
  for (Operation &op : func.getBody().front()) {
    std::string why;
    for (const codegen::OpKernelSource &k : codegen::kernelsOf(&op, gpu, why)) {
      llvm::Expected<std::string> text =
          kind == EmitKind::GpuMLIR ? ptx->emit(k.source, GpuEmitKind::MLIR)
          : kind == EmitKind::PTX   ? ptx->emit(k.source, GpuEmitKind::PTX)
          : cpuKernels->emit(k.source, kind == EmitKind::MLIR
                                           ? KernelEmitKind::MLIR
                                       : kind == EmitKind::LLVM
                                           ? KernelEmitKind::LLVM
                                           : KernelEmitKind::Asm);
      if (!text)
        return text.takeError();
      std::string where;
      llvm::raw_string_ostream loc(where);
      op.getLoc().print(loc);
      os << "// kernel of '" << op.getName() << "' at " << where << "\n"
         << *text << "\n";
    }
  }
  return llvm::Error::success();
}

int64_t mars::peakRSSBytes() {
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
