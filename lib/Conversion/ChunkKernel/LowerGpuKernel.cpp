//===- LowerGpuKernel.cpp - GPU chunk kernels to PTX ----------------------===//

#include "mars/Conversion/LowerGpuKernel.h"
#include "mars/Support/Error.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

extern "C" {
void LLVMInitializeNVPTXTarget();
void LLVMInitializeNVPTXTargetInfo();
void LLVMInitializeNVPTXTargetMC();
void LLVMInitializeNVPTXAsmPrinter();
}

using namespace mlir;


bool mars::codegen::isSupportedGpuArch(llvm::StringRef arch,
                                       std::string &why) {
  unsigned version = 0;
  if (!arch.consume_front("sm_") || arch.getAsInteger(10, version)) {
    why = "expected an architecture of the form sm_NN (sm_80, sm_90, ...)";
    return false;
  }
  static const unsigned known[] = {50, 52, 53, 60, 61, 62, 70, 72,
                                   75, 80, 86, 87, 89, 90};
  if (!llvm::is_contained(known, version)) {
    why = "LLVM 19's NVPTX backend emits code for sm_50 to sm_90 (50, 52, "
          "53, 60, 61, 62, 70, 72, 75, 80, 86, 87, 89, 90)";
    return false;
  }
  return true;
}

void mars::codegen::registerGpuKernelDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, cf::ControlFlowDialect,
                  func::FuncDialect, gpu::GPUDialect, index::IndexDialect,
                  LLVM::LLVMDialect, math::MathDialect, memref::MemRefDialect,
                  NVVM::NVVMDialect, scf::SCFDialect, ub::UBDialect>();
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  index::registerConvertIndexToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  registerConvertNVVMToLLVMInterface(registry);
  ub::registerConvertUBToLLVMInterface(registry);
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
}

std::string mars::codegen::findLibdevice() {
  llvm::SmallVector<std::string> roots;
  for (const char *var : {"CUDA_HOME", "CUDA_PATH", "CUDA_ROOT"})
    if (auto value = llvm::sys::Process::GetEnv(var); value && !value->empty())
      roots.push_back(*value);
  roots.append({"/usr/local/cuda", "/opt/cuda", "/usr/lib/cuda"});
  for (const std::string &root : roots) {
    llvm::SmallString<256> path(root);
    llvm::sys::path::append(path, "nvvm", "libdevice", "libdevice.10.bc");
    if (llvm::sys::fs::exists(path))
      return std::string(path);
  }
  // Debian's nvidia-cuda-toolkit.
  const char *debian = "/usr/lib/nvidia-cuda-toolkit/libdevice/libdevice.10.bc";
  return llvm::sys::fs::exists(debian) ? debian : "";
}

OwningOpRef<ModuleOp>
mars::codegen::createGpuKernelModule(MLIRContext *ctx, llvm::StringRef name) {
  OpBuilder b(ctx);
  OwningOpRef<ModuleOp> module = ModuleOp::create(b.getUnknownLoc());
  (*module)->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                     b.getUnitAttr());
  b.setInsertionPointToEnd(module->getBody());
  b.create<gpu::GPUModuleOp>(b.getUnknownLoc(), name);
  return module;
}

llvm::Expected<std::string> mars::codegen::lowerToPTX(ModuleOp module,
                                                      llvm::StringRef arch) {
  static bool initialised = [] {
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
    return true;
  }();
  (void)initialised;
  std::string why;
  if (!isSupportedGpuArch(arch, why))
    return makeError("GPU architecture '" + arch + "': " + why);

  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &diag) {
    os << diag << "\n";
    return success();
  });
  // Upstream's gpu-lower-to-nvvm-pipeline, less its host half (there is no
  // host code here) and with libdevice named explicitly: the pipeline finds
  // it only through $CUDA_HOME and the like, and without it leaves calls to
  // __nv_* unresolved.
  PassManager pm(module.getContext());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(createConvertFuncToLLVMPass());
  std::string libdevice = findLibdevice();
  std::vector<std::string> libs;
  if (!libdevice.empty())
    libs.push_back(libdevice);
  GpuNVVMAttachTargetOptions target;
  target.chip = arch.str();
  target.optLevel = 3;
  target.linkLibs = libs;
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToNVVMOps());
  // What has no libdevice form (copysign, ...) becomes LLVM intrinsics.
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertMathToLLVMPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createCanonicalizerPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createCSEPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createReconcileUnrealizedCastsPass());
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = "isa"; // PTX text; the driver compiles it.
  pm.addPass(createGpuModuleToBinaryPass(binary));
  if (failed(pm.run(module)))
    return makeError("lowering a GPU kernel to PTX failed: " + diagnostics);
  for (auto binary : module.getOps<gpu::BinaryOp>()) {
    for (Attribute attr : binary.getObjects()) {
      auto object = dyn_cast<gpu::ObjectAttr>(attr);
      if (!object)
        continue;
      llvm::StringRef text = object.getObject().getValue();
      while (text.ends_with(llvm::StringRef("\0", 1)))
        text = text.drop_back();
      // A function left undefined (libdevice's, when it was not found)
      // would fail only when the driver loads the kernel: fail here.
      size_t at = text.find(".extern .func");
      if (at != llvm::StringRef::npos) {
        llvm::StringRef line = text.substr(at).take_until(
            [](char c) { return c == '\n'; });
        return makeError(
            "a GPU kernel calls a function nothing defines (" + line.trim() +
            "): " +
            (libdevice.empty()
                 ? "CUDA's libdevice (nvvm/libdevice/libdevice.10.bc) was not "
                   "found; set CUDA_HOME to the CUDA toolkit"
                 : "libdevice is " + libdevice));
      }
      return text.str();
    }
  }
  return makeError("lowering a GPU kernel produced no PTX");
}
