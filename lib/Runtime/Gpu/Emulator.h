//===- Emulator.h - GPU kernels run on the CPU, for testing -------*- C++ -*-===//
//
// Private to lib/Runtime/Gpu. `--device=gpu-emulator` runs the GPU runtime
// (CudaDevice.h) against an emulated driver: device memory is host memory,
// copies are memcpy, and kernels are the GPU kernels compiled for this CPU
// (convertGpuKernelsForHost), called once per thread of each block. It
// tests everything of the GPU path but the PTX and the real driver.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_LIB_RUNTIME_GPU_EMULATOR_H
#define MARS_LIB_RUNTIME_GPU_EMULATOR_H

#include <cstdint>

namespace mars::gpu_emulator {

using HostKernel = void (*)(void *ptrs, void *meta, int64_t thread,
                            int64_t blockX, int64_t blockY, int64_t gridX,
                            int64_t gridY, void *workgroup, void *barrier);

/// Runs the grid (gridX, gridY) of kGpuBlockSize-thread blocks, one block
/// after the other. A kernel with barriers runs each block's threads as
/// fibers that meet at each barrier; others call the threads in turn.
void launch(HostKernel fn, bool barriers, unsigned gridX, unsigned gridY,
            void *ptrs, void *meta);

} // namespace mars::gpu_emulator

/// gpu.barrier in emulated kernels: returns when every thread of the block
/// has called it (`state` is the block's).
extern "C" void marsGpuEmulatorBarrier(void *state);

#endif // MARS_LIB_RUNTIME_GPU_EMULATOR_H
