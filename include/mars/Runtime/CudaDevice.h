//===- CudaDevice.h - The GPU tier of the chunk store --------------*- C++ -*-===//
//
// One NVIDIA GPU, reached through the CUDA driver API and cuBLAS, both loaded
// at run time (dlopen of libcuda.so.1 and libcublas.so.*): the same binaries
// start on machines without a GPU, and open() says why there is none.
//
// Device memory is the top tier above the host chunk store (ChunkTasks.h),
// which stays the owner of every chunk: a region of a host chunk that a GPU
// task reads is copied to the device once and kept there, keyed by the host
// region, until the host buffer is released (NDArray's release hook), or it
// is evicted (least recently used first) to make room within the device
// memory limit. Outputs of GPU kernels and products are written back to the
// host chunk and kept on the device for their readers. Spilling to disk is
// the host store's business, as on the CPU.
//
// Each runtime thread gets its own stream (and cuBLAS handle): the copies
// and kernels of one task are ordered on it, and those of other threads'
// tasks overlap them. A task ends by waiting for its stream.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_RUNTIME_CUDADEVICE_H
#define MARS_RUNTIME_CUDADEVICE_H

#include "mars/Numeric/NDArray.h"
#include "mars/Runtime/Blas.h"
#include "mars/Runtime/GpuKernelCache.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mars {

struct CudaDeviceOptions {
  int ordinal = 0;
  /// Most device memory for chunks (default: 90% of what is free at open).
  std::optional<uint64_t> memoryLimit;
  /// Testing without a GPU: an emulated driver (host memory, memcpy) runs
  /// the kernels' host entries (GpuKernelOptions::hostEmulation) and cuBLAS
  /// calls go to OpenBLAS.
  bool emulate = false;
};

/// A region of a host array: `sizes` elements along each dimension,
/// `strides` elements apart.
struct HostRegion {
  const uint8_t *base = nullptr;
  numeric::Shape sizes, strides;
  size_t elementSize = 0;
};

/// A region's device copy: dense, with `strides` (in elements).
struct DeviceRegion {
  uint64_t address = 0;
  numeric::Shape strides;
};

struct GpuCounters {
  std::atomic<uint64_t> bytesToDevice{0}, bytesFromDevice{0};
  std::atomic<int64_t> kernels{0}, gemms{0}, hits{0}, misses{0},
      evictions{0};
};

class CudaDevice {
public:
  /// Loads the driver and opens device `ordinal`; an error saying what is
  /// missing (driver, device, memory) otherwise.
  static llvm::Expected<std::unique_ptr<CudaDevice>>
  open(const CudaDeviceOptions &options);
  ~CudaDevice();

  /// "NVIDIA H100 80GB HBM3 (sm_90, 79.1 GiB)".
  std::string description() const;
  /// The architecture of the device ("sm_90").
  std::string arch() const;
  uint64_t memoryLimit() const;
  uint64_t peakMemory() const;
  GpuCounters counters;

  class Task;
  /// The device work of one chunk task, on the calling thread's stream.
  /// Its device buffers stay pinned until the task is destroyed.
  std::unique_ptr<Task> beginTask();

  struct Impl;

private:
  explicit CudaDevice(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

class CudaDevice::Task {
public:
  ~Task();

  /// The device copy of `region` (found in the device tier, or copied now).
  llvm::Expected<DeviceRegion> input(const HostRegion &region);
  /// A fresh dense device buffer of `bytes`, zeroed or holding `init`.
  llvm::Expected<uint64_t> buffer(size_t bytes, const void *init = nullptr);
  /// A dense device buffer holding the elements of `init`.
  llvm::Expected<uint64_t> buffer(const HostRegion &init);
  /// Runs `entry` of `image` on a grid of `grid` blocks of kGpuBlockSize
  /// threads, with device copies of `ptrs` and `meta` as its arguments.
  llvm::Error launch(const GpuKernelImage &image, llvm::StringRef entry,
                     std::array<unsigned, 2> grid,
                     llvm::ArrayRef<uint64_t> ptrs,
                     llvm::ArrayRef<int64_t> meta);
  /// The device address of this task's error flag (cleared at its start).
  llvm::Expected<uint64_t> errorFlag();
  /// c (m x n, dense on the device) += op(a) * op(b) with cuBLAS; a and b
  /// are host matrices (copied or found on the device). Waits for the
  /// product, so that a and b stay pinned only while it runs.
  llvm::Error gemmAccumulate(numeric::DType dtype, const MatrixView &a,
                             const MatrixView &b, uint64_t c, int64_t m,
                             int64_t n);
  /// Copies the dense device buffer `from` into `to` (a host region) and
  /// waits for the task's work. With `keep`, `from` stays on the device as
  /// the copy of `to` for later readers.
  llvm::Error writeBack(uint64_t from, const HostRegion &to, bool keep);
  /// Waits for the task's work; reports the error flag when it was set.
  llvm::Expected<bool> finish();

private:
  friend class CudaDevice;
  struct State;
  explicit Task(std::unique_ptr<State> state);
  std::unique_ptr<State> state;
};

} // namespace mars

#endif // MARS_RUNTIME_CUDADEVICE_H
