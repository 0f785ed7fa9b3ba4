//===- LowerGpuKernel.h - GPU chunk kernels to PTX ---------------*- C++ -*-===//
//
// The GPU half of kernel generation: a module holding a `gpu.module` of
// chunk kernels (ChunkKernel.h, buildGpuKernel) goes through upstream MLIR's
// GPU-to-NVVM pipeline (gpu -> nvvm + llvm, math -> libdevice) and LLVM's
// NVPTX backend, giving PTX text for one target architecture. Needs no GPU:
// the driver compiles the PTX when the runtime loads it.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_CONVERSION_LOWERGPUKERNEL_H
#define MARS_CONVERSION_LOWERGPUKERNEL_H

#include "mlir/IR/BuiltinOps.h"

#include "llvm/Support/Error.h"

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mars::codegen {

/// The architecture GPU kernels are generated for unless told otherwise.
constexpr const char *kDefaultGpuArch = "sm_80";

/// Whether `arch` names an architecture the NVPTX backend of this LLVM
/// emits code for ("sm_50" ... "sm_90"); `why` says what is wrong.
bool isSupportedGpuArch(llvm::StringRef arch, std::string &why);

/// CUDA's libdevice bitcode (the GPU's libm), or empty: under $CUDA_HOME,
/// $CUDA_PATH, $CUDA_ROOT, /usr/local/cuda, /opt/cuda, /usr/lib/cuda, or
/// where Debian's nvidia-cuda-toolkit puts it.
std::string findLibdevice();

/// Dialects, conversion interfaces and translations GPU kernels use.
void registerGpuKernelDialects(mlir::DialectRegistry &registry);

/// A module (with `gpu.container_module`) holding one `gpu.module`, ready
/// for buildGpuKernel.
mlir::OwningOpRef<mlir::ModuleOp> createGpuKernelModule(mlir::MLIRContext *ctx,
                                                        llvm::StringRef name);

/// Lowers `module` (in place) to PTX for `arch`; the PTX text, without the
/// NUL byte the serializer appends.
llvm::Expected<std::string> lowerToPTX(mlir::ModuleOp module,
                                       llvm::StringRef arch);

/// For testing without a GPU: rewrites every gpu.func of `module` (before
/// lowerToPTX) into a host function
///
///   void name(ptrs, meta, i64 thread, i64 blockX, i64 blockY, i64 gridX,
///             i64 gridY, ptr workgroup, ptr barrier)
///
/// to be called once per thread of each block (GpuKernelABI's launch
/// shapes); gpu.barrier calls `kGpuEmulatorBarrier(barrier)`, which returns
/// when every thread of the block has called it. The result goes through
/// the CPU kernel lowering (LowerKernel.h).
constexpr const char *kGpuEmulatorBarrier = "mars_gpu_emulator_barrier";
mlir::LogicalResult convertGpuKernelsForHost(mlir::ModuleOp module);

/// The libdevice functions GPU kernels call by name (`__nv_fmod`,
/// `__nv_sin`, `__nv_log1pf`, ...), each with the host function the GPU
/// emulator binds the name to: numeric::libm's (Libm.h), as the reference
/// kernels compute, or the C library's.
void forEachLibdeviceOnHost(
    llvm::function_ref<void(const char *name, void *address)> fn);

} // namespace mars::codegen

#endif // MARS_CONVERSION_LOWERGPUKERNEL_H
