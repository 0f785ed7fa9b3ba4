//===- KernelCache.cpp - Compile each distinct chunk kernel once ----------===//

#include "mars/Runtime/KernelCache.h"

#include "mars/Conversion/LowerKernel.h"
#include "mars/Numeric/Libm.h"
#include "mars/Numeric/ScalarABI.h"
#include "mars/Support/AtomicFile.h"
#include "mars/Support/Error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"


#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdlib>

using namespace mars;
using namespace mlir;

/// Changes whenever the kernel calling convention (ChunkKernel.h) or the
/// code generator's output for the same IR changes.
static constexpr const char *kKernelABI = "mars-chunk-kernel-3";


std::string mars::defaultKernelCacheDirectory() {
  if (auto dir = llvm::sys::Process::GetEnv("MARS_KERNEL_CACHE"))
    return *dir;
  llvm::SmallString<256> path;
  if (auto xdg = llvm::sys::Process::GetEnv("XDG_CACHE_HOME"); xdg && !xdg->empty())
    path = *xdg;
  else if (llvm::sys::path::home_directory(path))
    llvm::sys::path::append(path, ".cache");
  else
    return "";
  llvm::sys::path::append(path, "mars", "kernels");
  return std::string(path);
}

std::string mars::resolveKernelCacheDirectory(llvm::StringRef flag) {
  if (flag.empty())
    return defaultKernelCacheDirectory();
  return flag == "none" ? "" : flag.str();
}

struct KernelCache::Impl {
  KernelCacheOptions options;
  std::unique_ptr<llvm::TargetMachine> tm;
  std::string target;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  /// Loaded kernels by key.
  llvm::StringMap<KernelFn> loaded;
  /// Loaded kernels by structuralKey: a program run again (the front ends'
  /// cached programs, mars-run --repeat) finds its kernels without building
  /// and hashing their modules.
  llvm::StringMap<KernelFn> byStructure;
  bool warnedDirectory = false;

  /// The kernel's loop-level module, its key and symbol name.
  llvm::Expected<OwningOpRef<ModuleOp>>
  build(const codegen::KernelSource &source, std::string &key,
        std::string &name);
  llvm::Expected<KernelFn> load(std::unique_ptr<llvm::MemoryBuffer> object,
                                llvm::StringRef name);
  void store(llvm::StringRef path, llvm::StringRef object);
};

KernelCache::KernelCache(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
KernelCache::~KernelCache() = default;

llvm::Expected<std::unique_ptr<KernelCache>>
KernelCache::create(const KernelCacheOptions &options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  // Idle OpenMP workers would otherwise spin for 200 ms after each kernel,
  // taking the cores from the runtime's own thread between kernels (unless
  // the user chose a block time).
  ::setenv("KMP_BLOCKTIME", "0", /*overwrite=*/0);
  auto tm = codegen::createHostTargetMachine();
  if (!tm)
    return tm.takeError();
  impl->tm = std::move(*tm);
  impl->target = codegen::targetKey(*impl->tm);

  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb)
    return jtmb.takeError();
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(*jtmb).create();
  if (!jit)
    return jit.takeError();
  impl->jit = std::move(*jit);
  llvm::orc::JITDylib &dylib = impl->jit->getMainJITDylib();
  // libm and libomp come from the process; the scalar helpers by address.
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      impl->jit->getDataLayout().getGlobalPrefix());
  if (!process)
    return process.takeError();
  dylib.addGenerator(std::move(*process));
  auto openmp = llvm::orc::DynamicLibrarySearchGenerator::Load(
      MARS_LIBOMP_PATH, impl->jit->getDataLayout().getGlobalPrefix());
  if (!openmp)
    return makeError(llvm::Twine("cannot load the OpenMP runtime '") +
                     MARS_LIBOMP_PATH + "': " +
                     llvm::toString(openmp.takeError()));
  dylib.addGenerator(std::move(*openmp));
  llvm::orc::SymbolMap helpers;
  // The scalar helpers, and Libm.h's functions with the libmvec forms
  // vectorized loops call (bound here: a Python extension's libraries are
  // not in the process's global namespace).
  for (llvm::ArrayRef<numeric::ScalarSymbol> symbols :
       {numeric::scalarABISymbols(), numeric::libm::scalarSymbols()})
    for (const numeric::ScalarSymbol &s : symbols)
      helpers[impl->jit->mangleAndIntern(s.name)] = {
          llvm::orc::ExecutorAddr::fromPtr(s.address),
          llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  if (auto err = dylib.define(llvm::orc::absoluteSymbols(std::move(helpers))))
    return std::move(err);
  return std::unique_ptr<KernelCache>(new KernelCache(std::move(impl)));
}

llvm::Expected<OwningOpRef<ModuleOp>>
KernelCache::Impl::build(const codegen::KernelSource &source, std::string &key,
                         std::string &name) {
  MLIRContext *ctx = source.target.getContext();
  // Kernel dialects and their LLVM IR translations, once per context (the
  // OpenMP dialect is loaded only with them).
  if (!ctx->getLoadedDialect<omp::OpenMPDialect>()) {
    DialectRegistry registry;
    codegen::registerKernelDialects(registry);
    ctx->appendDialectRegistry(registry);
    ctx->loadAllAvailableDialects();
  }

  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(ctx));
  if (failed(codegen::buildKernel(source, *module, "mars_kernel",
                                  options.parallel)))
    return makeError("cannot build the chunk kernel");
  // Canonical IR: readable for --emit=mlir and a stable cache key.
  PassManager pm(ctx);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (failed(pm.run(*module)))
    return makeError("cannot simplify the chunk kernel");
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  os << kKernelABI << "\n" << target << "\nLLVM " << LLVM_VERSION_STRING;
  key = llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(text)),
                    /*LowerCase=*/true);
  name = "mars_kernel_" + key.substr(0, 24);
  auto fn = module->lookupSymbol<func::FuncOp>("mars_kernel");
  if (failed(SymbolTable::replaceAllSymbolUses(fn, StringAttr::get(ctx, name),
                                               *module)))
    return makeError("cannot rename the chunk kernel");
  SymbolTable::setSymbolName(fn, name);
  return module;
}

llvm::Expected<KernelFn>
KernelCache::Impl::load(std::unique_ptr<llvm::MemoryBuffer> object,
                        llvm::StringRef name) {
  // One JITDylib per kernel: objects may each define the same internal
  // globals (OpenMP's reduction lock, say). Symbols they import resolve in
  // the main JITDylib (libm, libomp, the scalar helpers).
  auto dylib = jit->createJITDylib(("kernel:" + name).str());
  if (!dylib)
    return dylib.takeError();
  dylib->addToLinkOrder(jit->getMainJITDylib());
  if (auto err = jit->addObjectFile(*dylib, std::move(object)))
    return std::move(err);
  auto addr = jit->lookup(*dylib, name);
  if (!addr)
    return addr.takeError();
  return addr->toPtr<KernelFn>();
}

void KernelCache::Impl::store(llvm::StringRef path, llvm::StringRef object) {
  if (auto err = writeFileAtomically(path, object)) {
    if (!warnedDirectory)
      llvm::errs() << "mars: warning: kernel cache '" << options.directory
                   << "' is not writable (" << llvm::toString(std::move(err))
                   << "); kernels are compiled again next run\n";
    warnedDirectory = true;
  }
}

/// What build() makes a kernel from, as the context's uniqued pointers
/// (op names, attribute dictionaries, types) and the positions of operands:
/// two sources with one key build the same module, because uniqued storage
/// lives as long as its context. Empty when the source reads a value it
/// does not list (no memo then).
static std::string structuralKey(const codegen::KernelSource &s) {
  std::string key;
  llvm::raw_string_ostream os(key);
  llvm::DenseMap<Value, int64_t> ids;
  os << static_cast<const void *>(s.target.getContext()) << "|";
  for (Value v : s.inputs) {
    ids.try_emplace(v, static_cast<int64_t>(ids.size()));
    os << v.getType().getAsOpaquePointer() << ",";
  }
  auto describe = [&](Operation *op) {
    if (op->getNumRegions() != 0)
      return false;
    os << "|" << op->getName().getAsOpaquePointer() << ":"
       << op->getAttrDictionary().getAsOpaquePointer() << "(";
    for (Value v : op->getOperands()) {
      auto it = ids.find(v);
      if (it == ids.end())
        return false;
      os << it->second << ",";
    }
    os << ")";
    for (Value r : op->getResults()) {
      ids.try_emplace(r, static_cast<int64_t>(ids.size()));
      os << r.getType().getAsOpaquePointer() << ",";
    }
    return true;
  };
  for (Operation *op : s.ops)
    if (!describe(op))
      return "";
  if (s.reduction && !describe(s.reduction))
    return "";
  auto target = ids.find(s.target);
  if (target == ids.end())
    return "";
  os << "|" << target->second << "|" << s.deviations << s.streamingStores;
  return key;
}

llvm::Expected<KernelFn> KernelCache::get(const codegen::KernelSource &source) {
  std::string structure = structuralKey(source);
  if (!structure.empty())
    if (auto it = impl->byStructure.find(structure);
        it != impl->byStructure.end()) {
      ++stats_.reused;
      return it->second;
    }
  auto remember = [&](KernelFn fn) {
    if (!structure.empty())
      impl->byStructure[structure] = fn;
    return fn;
  };
  std::string key, name;
  auto module = impl->build(source, key, name);
  if (!module)
    return module.takeError();
  if (auto it = impl->loaded.find(key); it != impl->loaded.end()) {
    ++stats_.reused;
    return remember(it->second);
  }

  llvm::SmallString<256> path;
  if (!impl->options.directory.empty()) {
    path = impl->options.directory;
    llvm::sys::path::append(path, key + ".o");
    if (auto buffer = llvm::MemoryBuffer::getFile(path)) {
      // Only an entry whose seal matches its bytes is loaded: a damaged
      // object may still link, and crash or compute garbage when run.
      if (auto object = unsealCacheEntry((*buffer)->getBuffer())) {
        auto fn = impl->load(
            llvm::MemoryBuffer::getMemBufferCopy(*object, name), name);
        if (fn) {
          impl->loaded[key] = *fn;
          stats_.kernels.push_back({name, 0.0, true});
          return remember(*fn);
        }
        llvm::consumeError(fn.takeError());
      }
      // A damaged cache entry: the kernel is compiled again below and the
      // entry replaced (atomically: a concurrent reader sees the old file
      // or the new one).
      ++stats_.damaged;
    }
  }

  auto start = std::chrono::steady_clock::now();
  llvm::LLVMContext llvmContext;
  auto llvmModule = codegen::lowerToLLVMIR(**module, llvmContext, *impl->tm);
  if (!llvmModule)
    return llvmModule.takeError();
  auto object = codegen::emitNativeCode(**llvmModule, *impl->tm, false);
  if (!object)
    return object.takeError();
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  llvm::StringRef bytes(object->data(), object->size());
  if (!path.empty())
    impl->store(path, sealCacheEntry(bytes));
  auto fn = impl->load(llvm::MemoryBuffer::getMemBufferCopy(bytes, name), name);
  if (!fn)
    return fn.takeError();
  impl->loaded[key] = *fn;
  stats_.kernels.push_back({name, seconds, false});
  return remember(*fn);
}

llvm::Expected<std::string>
KernelCache::emit(const codegen::KernelSource &source, KernelEmitKind kind) {
  std::string key, name, text;
  auto module = impl->build(source, key, name);
  if (!module)
    return module.takeError();
  llvm::raw_string_ostream os(text);
  if (kind == KernelEmitKind::MLIR) {
    (*module)->print(os);
    return text;
  }
  llvm::LLVMContext llvmContext;
  auto llvmModule = codegen::lowerToLLVMIR(**module, llvmContext, *impl->tm);
  if (!llvmModule)
    return llvmModule.takeError();
  if (kind == KernelEmitKind::LLVM) {
    (*llvmModule)->print(os, nullptr);
    return text;
  }
  auto asmText = codegen::emitNativeCode(**llvmModule, *impl->tm, true);
  if (!asmText)
    return asmText.takeError();
  return std::string(asmText->str());
}
