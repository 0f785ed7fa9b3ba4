//===- LowerKernel.h - Chunk kernels to native code --------------*- C++ -*-===//
//
// The second half of kernel generation: a module of loop-level kernels
// (ChunkKernel.h) goes through upstream MLIR's conversions to the LLVM
// dialect (scf.parallel becomes OpenMP: omp.parallel + omp.wsloop, which
// the OpenMP IR builder turns into __kmpc_fork_call on libomp), is
// translated to LLVM IR, optimised at -O3 for the host CPU (the loop
// vectoriser does the vector code) and emitted as an object file.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_CONVERSION_LOWERKERNEL_H
#define MARS_CONVERSION_LOWERKERNEL_H

#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

namespace mlir {
class DialectRegistry;
class PassManager;
} // namespace mlir

namespace mars::codegen {

/// Dialects and LLVM IR translations kernel modules use.
void registerKernelDialects(mlir::DialectRegistry &registry);

/// The conversions from loop-level kernels to the LLVM dialect.
void buildKernelLoweringPipeline(mlir::PassManager &pm);

/// A target machine for the CPU this process runs on, at -O3.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>> createHostTargetMachine();

/// What identifies generated code for `tm`: triple, CPU and features.
std::string targetKey(const llvm::TargetMachine &tm);

/// Lowers `module` (in place) and translates it to optimised LLVM IR.
llvm::Expected<std::unique_ptr<llvm::Module>>
lowerToLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &llvmContext,
              llvm::TargetMachine &tm);

/// Native code for `module`: an object file, or assembly text.
llvm::Expected<llvm::SmallString<0>>
emitNativeCode(llvm::Module &module, llvm::TargetMachine &tm, bool assembly);

} // namespace mars::codegen

#endif // MARS_CONVERSION_LOWERKERNEL_H
