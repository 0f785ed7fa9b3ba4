//===- CudaDriver.h - The CUDA driver and cuBLAS, loaded at run time -*- C++ -*-===//
//
// Private to lib/Runtime/Gpu. The entry points CudaDevice calls, bound with
// dlopen/dlsym from libcuda and libcublas (loadDriver, loadCublas), or to
// the emulated driver (emulated::fill), whose device memory is host memory
// and whose kernels are the GPU kernels compiled for this CPU (Emulator.h).
// Only unversioned or explicitly versioned (_v2) entry points are looked
// up: cuda.h maps many names to versioned symbols with other signatures,
// and the legacy names (cuMemAlloc with 32-bit pointers, say) still exist in
// libcuda.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_LIB_RUNTIME_GPU_CUDADRIVER_H
#define MARS_LIB_RUNTIME_GPU_CUDADRIVER_H

#include "llvm/Support/Error.h"

#include <cstddef>

namespace mars::cuda {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;
using cublasHandle_t = struct cublasContext *;
constexpr int kAttrMajor = 75, kAttrMinor = 76; // COMPUTE_CAPABILITY_*
constexpr int kJitErrorLog = 5, kJitErrorLogSize = 6;
constexpr unsigned kStreamNonBlocking = 1;
constexpr int kCublasOpN = 0, kCublasOpT = 1;

struct Driver {
  void *library = nullptr;
  CUresult (*cuInit)(unsigned);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetName)(char *, int, CUdevice);
  CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice);
  CUresult (*cuDeviceTotalMem)(size_t *, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuDevicePrimaryCtxRelease)(CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuMemGetInfo)(size_t *, size_t *);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyHtoDAsync)(CUdeviceptr, const void *, size_t, CUstream);
  CUresult (*cuMemcpyDtoHAsync)(void *, CUdeviceptr, size_t, CUstream);
  CUresult (*cuMemsetD8Async)(CUdeviceptr, unsigned char, size_t, CUstream);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                                 void **);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, unsigned, CUstream,
                             void **, void **);
};

struct Cublas {
  void *library = nullptr;
  int (*create)(cublasHandle_t *);
  int (*destroy)(cublasHandle_t);
  int (*setStream)(cublasHandle_t, CUstream);
  int (*dgemm)(cublasHandle_t, int, int, int, int, int, const double *,
               const double *, int, const double *, int, const double *,
               double *, int);
  int (*sgemm)(cublasHandle_t, int, int, int, int, int, const float *,
               const float *, int, const float *, int, const float *, float *,
               int);
};

/// Binds `d` to libcuda (and initialises it), or says why it cannot.
llvm::Error loadDriver(Driver &d);
/// Binds `c` to libcublas, or says why it cannot.
llvm::Error loadCublas(Cublas &c);

namespace emulated {
/// The emulated device's memory.
constexpr size_t kMemory = size_t(8) << 30;
/// Binds `d` to the emulated driver, `c` to OpenBLAS.
void fill(Driver &d);
void fill(Cublas &c);
} // namespace emulated

} // namespace mars::cuda

#endif // MARS_LIB_RUNTIME_GPU_CUDADRIVER_H
