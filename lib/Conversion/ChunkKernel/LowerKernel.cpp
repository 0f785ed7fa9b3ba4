//===- LowerKernel.cpp - Chunk kernels to native code ---------------------===//

#include "mars/Conversion/LowerKernel.h"
#include "mars/Numeric/Libm.h"
#include "mars/Support/Error.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/OpenMPToLLVM/ConvertOpenMPToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/SCFToOpenMP/SCFToOpenMP.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {

/// LLVM's -O3 pipeline for `tm`, whose loop vectorizer turns the calls of
/// Libm.h's scalar forms (mars_vm_sin, ...) into calls of libmvec's AVX2
/// forms of the same function (_ZGVdN4v_sin, ...), 4 doubles or 8 floats at
/// a time. One width only, so that every element of a loop, vectorized or
/// not, comes from the same algorithm.
void optimize(llvm::Module &module, llvm::TargetMachine &tm) {
  // The names the descriptors refer to live until the pipeline has run.
  std::vector<std::unique_ptr<std::string>> names;
  auto keep = [&](std::string s) -> llvm::StringRef {
    names.push_back(std::make_unique<std::string>(std::move(s)));
    return *names.back();
  };
  std::vector<llvm::VecDesc> vectorForms;
  for (llvm::Function &f : module) {
    llvm::StringRef name = f.getName();
    if (!f.isDeclaration() || !name.consume_front("mars_vm_"))
      continue;
    // No memory effects (errno is not theirs to set) and no unwinding: what
    // the vectorizer asks of a call it widens.
    f.setDoesNotAccessMemory();
    f.setDoesNotThrow();
    f.setWillReturn();
    unsigned lanes = mars::numeric::libm::vectorLanes(name);
    std::string params(f.arg_size(), 'v');
    // The names are copies: a declaration the pipeline finds unused is
    // erased before the vectorizer reads the table.
    vectorForms.emplace_back(
        keep(f.getName().str()), keep(mars::numeric::libm::vectorSymbol(name)),
        llvm::ElementCount::getFixed(lanes), /*Masked=*/false,
        keep("_ZGV_LLVM_N" + std::to_string(lanes) + params));
  }
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopUnrolling = true;
  tuning.LoopInterleaving = true;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  llvm::PassBuilder pb(&tm, tuning);
  llvm::TargetLibraryInfoImpl tlii(llvm::Triple(module.getTargetTriple()));
  tlii.addVectorizableFunctions(vectorForms);
  fam.registerPass([&] { return llvm::TargetLibraryAnalysis(tlii); });
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3)
      .run(module, mam);
}

} // namespace


void mars::codegen::registerKernelDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, cf::ControlFlowDialect,
                  func::FuncDialect, LLVM::LLVMDialect, math::MathDialect,
                  omp::OpenMPDialect, scf::SCFDialect>();
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
}

void mars::codegen::buildKernelLoweringPipeline(PassManager &pm) {
  pm.addPass(createConvertSCFToOpenMPPass());
  pm.addPass(createCanonicalizerPass());
  // The OpenMP loop body's memref.alloca_scope outlives canonicalisation when
  // the body allocates (streaming stores' scratch tiles): it becomes a
  // stack save/restore around each iteration, before its region is split
  // into blocks.
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
mars::codegen::createHostTargetMachine() {
  static bool initialised = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialised;
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  builder->setRelocationModel(llvm::Reloc::PIC_);
  return builder->createTargetMachine();
}

std::string mars::codegen::targetKey(const llvm::TargetMachine &tm) {
  return (tm.getTargetTriple().str() + ";" + tm.getTargetCPU() + ";" +
          tm.getTargetFeatureString())
      .str();
}

llvm::Expected<std::unique_ptr<llvm::Module>>
mars::codegen::lowerToLLVMIR(ModuleOp module, llvm::LLVMContext &llvmContext,
                             llvm::TargetMachine &tm) {
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &diag) {
    os << diag << "\n";
    return success();
  });
  PassManager pm(module.getContext());
  buildKernelLoweringPipeline(pm);
  if (failed(pm.run(module)))
    return makeError("lowering a kernel to the LLVM dialect failed: " +
                     diagnostics);
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "mars_kernels");
  if (!llvmModule)
    return makeError("translating a kernel to LLVM IR failed: " + diagnostics);
  llvmModule->setDataLayout(tm.createDataLayout());
  llvmModule->setTargetTriple(tm.getTargetTriple().str());
  optimize(*llvmModule, tm);
  return llvmModule;
}

llvm::Expected<llvm::SmallString<0>>
mars::codegen::emitNativeCode(llvm::Module &module, llvm::TargetMachine &tm,
                              bool assembly) {
  llvm::SmallString<0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr,
                             assembly ? llvm::CodeGenFileType::AssemblyFile
                                      : llvm::CodeGenFileType::ObjectFile))
    return makeError("the target cannot emit native code");
  pm.run(module);
  return buffer;
}
