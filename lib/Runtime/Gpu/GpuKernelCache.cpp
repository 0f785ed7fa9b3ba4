//===- GpuKernelCache.cpp - PTX for each distinct chunk kernel once -------===//

#include "mars/Runtime/GpuKernelCache.h"

#include "mars/Conversion/LowerGpuKernel.h"
#include "mars/Conversion/LowerKernel.h"
#include "mars/Numeric/ScalarABI.h"
#include "mars/Support/AtomicFile.h"
#include "mars/Support/Error.h"

#include "Emulator.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"


#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>

using namespace mars;
using namespace mlir;

/// Changes whenever GpuKernelABI (ChunkKernel.h) or the generator's output
/// for the same IR changes.
static constexpr const char *kGpuKernelABI = "mars-gpu-kernel-2";


static std::string entryOf(llvm::StringRef key) {
  return "mars_kernel_" + key.substr(0, 24).str();
}

struct GpuKernelCache::Impl {
  GpuKernelOptions options;
  llvm::StringMap<std::unique_ptr<GpuKernelImage>> images;
  bool warnedDirectory = false;
  /// Host code of the kernels (hostEmulation).
  std::vector<std::unique_ptr<ExecutionEngine>> engines;

  /// Compiles the kernels of `module` (not yet lowered) for this CPU.
  llvm::Error compileForHost(ModuleOp module, GpuKernelImage &image);

  llvm::Expected<OwningOpRef<ModuleOp>>
  build(const codegen::KernelSource &source, std::string &key);
  void store(llvm::StringRef path, llvm::StringRef text);
};

GpuKernelCache::GpuKernelCache(std::unique_ptr<Impl> impl)
    : impl(std::move(impl)) {}
GpuKernelCache::~GpuKernelCache() = default;

llvm::Expected<std::unique_ptr<GpuKernelCache>>
GpuKernelCache::create(const GpuKernelOptions &options) {
  std::string why;
  if (!codegen::isSupportedGpuArch(options.arch, why))
    return makeError("--gpu-arch=" + options.arch + ": " + why);
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  return std::unique_ptr<GpuKernelCache>(new GpuKernelCache(std::move(impl)));
}

const std::string &GpuKernelCache::arch() const { return impl->options.arch; }

llvm::Expected<OwningOpRef<ModuleOp>>
GpuKernelCache::Impl::build(const codegen::KernelSource &source,
                            std::string &key) {
  MLIRContext *ctx = source.target.getContext();
  if (!ctx->getLoadedDialect<gpu::GPUDialect>()) {
    DialectRegistry registry;
    codegen::registerGpuKernelDialects(registry);
    ctx->appendDialectRegistry(registry);
    ctx->loadAllAvailableDialects();
  }
  OwningOpRef<ModuleOp> module =
      codegen::createGpuKernelModule(ctx, "mars_kernels");
  auto gpuModule = *module->getOps<gpu::GPUModuleOp>().begin();
  if (failed(codegen::buildGpuKernel(source, gpuModule, "mars_kernel")))
    return makeError("cannot build the GPU chunk kernel");
  PassManager pm(ctx);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (failed(pm.run(*module)))
    return makeError("cannot simplify the GPU chunk kernel");
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  os << kGpuKernelABI << "\n" << options.arch << "\nLLVM "
     << LLVM_VERSION_STRING;
  key = llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(text)),
                    /*LowerCase=*/true);
  // Entry points named by the key: kernels of a program never collide,
  // whatever module they are loaded or checked in.
  std::string entry = entryOf(key);
  for (auto fn : gpuModule.getOps<gpu::GPUFuncOp>()) {
    llvm::StringRef suffix = fn.getName().drop_front(strlen("mars_kernel"));
    SymbolTable::setSymbolName(fn, entry + suffix.str());
  }
  return module;
}

llvm::Error GpuKernelCache::Impl::compileForHost(ModuleOp module,
                                                 GpuKernelImage &image) {
  OwningOpRef<ModuleOp> host(cast<ModuleOp>(module->clone()));
  auto gpuModule = *host->getOps<gpu::GPUModuleOp>().begin();
  for (auto fn : gpuModule.getOps<gpu::GPUFuncOp>()) {
    bool barriers = false;
    fn.walk([&](gpu::BarrierOp) { barriers = true; });
    image.hostEntries[fn.getName().str()].barriers = barriers;
  }
  if (failed(codegen::convertGpuKernelsForHost(*host)))
    return makeError("cannot convert a GPU kernel for the emulator");
  {
    DialectRegistry registry;
    codegen::registerKernelDialects(registry);
    host->getContext()->appendDialectRegistry(registry);
    host->getContext()->loadAllAvailableDialects();
  }
  PassManager pm(host->getContext());
  codegen::buildKernelLoweringPipeline(pm);
  if (failed(pm.run(*host)))
    return makeError("cannot lower a GPU kernel for the emulator");
  auto transformer = makeOptimizingTransformer(2, 0, nullptr);
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  auto engine = ExecutionEngine::create(*host, engineOptions);
  if (!engine)
    return engine.takeError();
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](const char *name, void *address) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                 llvm::JITSymbolFlags::Exported};
    };
    add(codegen::kGpuEmulatorBarrier,
        reinterpret_cast<void *>(&marsGpuEmulatorBarrier));
    codegen::forEachLibdeviceOnHost(add);
    // float16 conversions LLVM lowers to calls on the host (bound here: a
    // Python extension's libraries are not in the global namespace).
    for (const numeric::ScalarSymbol &h : numeric::scalarABISymbols())
      if (llvm::StringRef(h.name).starts_with("__"))
        add(h.name, h.address);
    return symbols;
  });
  for (auto &[name, entry] : image.hostEntries) {
    auto fn = (*engine)->lookup(name);
    if (!fn)
      return fn.takeError();
    entry.fn = *fn;
  }
  engines.push_back(std::move(*engine));
  return llvm::Error::success();
}

void GpuKernelCache::Impl::store(llvm::StringRef path, llvm::StringRef text) {
  if (auto err = writeFileAtomically(path, text)) {
    if (!warnedDirectory)
      llvm::errs() << "mars: warning: kernel cache '" << options.directory
                   << "' is not writable (" << llvm::toString(std::move(err))
                   << "); GPU kernels are generated again next run\n";
    warnedDirectory = true;
  }
}

llvm::Expected<const GpuKernelImage *>
GpuKernelCache::get(const codegen::KernelSource &source) {
  std::string key;
  auto module = impl->build(source, key);
  if (!module)
    return module.takeError();
  if (auto it = impl->images.find(key); it != impl->images.end()) {
    ++stats_.reused;
    return it->second.get();
  }
  auto image = std::make_unique<GpuKernelImage>();
  image->key = key;
  image->reduction = source.reduction != nullptr;
  image->entry = entryOf(key);
  if (impl->options.hostEmulation)
    if (auto err = impl->compileForHost(**module, *image))
      return std::move(err);

  llvm::SmallString<256> path;
  if (!impl->options.directory.empty()) {
    path = impl->options.directory;
    llvm::sys::path::append(path, key + ".ptx");
    if (auto buffer = llvm::MemoryBuffer::getFile(path)) {
      // Only an entry whose seal matches its bytes is used; a damaged one
      // is generated again below and replaced atomically.
      if (auto text = unsealCacheEntry((*buffer)->getBuffer())) {
        image->ptx = text->str();
        stats_.kernels.push_back({key, 0.0, true});
        const GpuKernelImage *result = image.get();
        impl->images[key] = std::move(image);
        return result;
      }
      ++stats_.damaged;
    }
  }
  auto start = std::chrono::steady_clock::now();
  auto ptx = codegen::lowerToPTX(**module, impl->options.arch);
  if (!ptx)
    return ptx.takeError();
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  image->ptx = std::move(*ptx);
  if (!path.empty())
    impl->store(path, sealCacheEntry(image->ptx));
  stats_.kernels.push_back({key, seconds, false});
  const GpuKernelImage *result = image.get();
  impl->images[key] = std::move(image);
  return result;
}

llvm::Expected<std::string>
GpuKernelCache::emit(const codegen::KernelSource &source, GpuEmitKind kind) {
  std::string key;
  auto module = impl->build(source, key);
  if (!module)
    return module.takeError();
  if (kind == GpuEmitKind::MLIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    (*module)->print(os);
    return text;
  }
  return codegen::lowerToPTX(**module, impl->options.arch);
}
