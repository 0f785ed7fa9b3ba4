//===- CudaDriver.cpp - The CUDA driver and cuBLAS, loaded at run time ----===//
//
// See CudaDriver.h.
//
//===----------------------------------------------------------------------===//

#include "CudaDriver.h"

#include "Emulator.h"

#include "mars/Numeric/OpenBlas.h"
#include "mars/Runtime/GpuKernelCache.h"
#include "mars/Support/DynamicLibrary.h"
#include "mars/Support/Error.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <string>

using namespace mars;
using namespace mars::cuda;

llvm::Error cuda::loadDriver(Driver &d) {
  d.library = ::dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!d.library)
    return makeError(llvm::Twine("no CUDA driver: cannot load libcuda.so.1 (") +
                     ::dlerror() + ")");
  std::string missing;
  bindSymbol(d.library, "cuInit", d.cuInit, missing);
  bindSymbol(d.library, "cuGetErrorString", d.cuGetErrorString, missing);
  bindSymbol(d.library, "cuDeviceGetCount", d.cuDeviceGetCount, missing);
  bindSymbol(d.library, "cuDeviceGet", d.cuDeviceGet, missing);
  bindSymbol(d.library, "cuDeviceGetName", d.cuDeviceGetName, missing);
  bindSymbol(d.library, "cuDeviceGetAttribute", d.cuDeviceGetAttribute,
             missing);
  bindSymbol(d.library, "cuDeviceTotalMem_v2", d.cuDeviceTotalMem, missing);
  bindSymbol(d.library, "cuDevicePrimaryCtxRetain", d.cuDevicePrimaryCtxRetain,
             missing);
  bindSymbol(d.library, "cuDevicePrimaryCtxRelease_v2",
             d.cuDevicePrimaryCtxRelease, missing);
  bindSymbol(d.library, "cuCtxSetCurrent", d.cuCtxSetCurrent, missing);
  bindSymbol(d.library, "cuMemGetInfo_v2", d.cuMemGetInfo, missing);
  bindSymbol(d.library, "cuMemAlloc_v2", d.cuMemAlloc, missing);
  bindSymbol(d.library, "cuMemFree_v2", d.cuMemFree, missing);
  bindSymbol(d.library, "cuMemcpyHtoDAsync_v2", d.cuMemcpyHtoDAsync, missing);
  bindSymbol(d.library, "cuMemcpyDtoHAsync_v2", d.cuMemcpyDtoHAsync, missing);
  bindSymbol(d.library, "cuMemsetD8Async", d.cuMemsetD8Async, missing);
  bindSymbol(d.library, "cuStreamCreate", d.cuStreamCreate, missing);
  bindSymbol(d.library, "cuStreamDestroy_v2", d.cuStreamDestroy, missing);
  bindSymbol(d.library, "cuStreamSynchronize", d.cuStreamSynchronize, missing);
  bindSymbol(d.library, "cuModuleLoadDataEx", d.cuModuleLoadDataEx, missing);
  bindSymbol(d.library, "cuModuleUnload", d.cuModuleUnload, missing);
  bindSymbol(d.library, "cuModuleGetFunction", d.cuModuleGetFunction, missing);
  bindSymbol(d.library, "cuLaunchKernel", d.cuLaunchKernel, missing);
  if (!missing.empty())
    return makeError("the CUDA driver lacks '" + missing +
                     "' (a driver for CUDA 11 or later is needed)");
  return llvm::Error::success();
}

llvm::Error cuda::loadCublas(Cublas &c) {
  static const char *const names[] = {"libcublas.so.13",
                                      "libcublas.so.12",
                                      "libcublas.so.11",
                                      "libcublas.so",
                                      "/usr/local/cuda/lib64/libcublas.so.13",
                                      "/usr/local/cuda/lib64/libcublas.so.12",
                                      "/usr/local/cuda/lib64/libcublas.so"};
  for (const char *name : names) {
    c.library = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (c.library)
      break;
  }
  if (!c.library)
    return makeError("cannot load cuBLAS (libcublas.so.13/.12/.11 on the "
                     "library path or in /usr/local/cuda/lib64)");
  std::string missing;
  bindSymbol(c.library, "cublasCreate_v2", c.create, missing);
  bindSymbol(c.library, "cublasDestroy_v2", c.destroy, missing);
  bindSymbol(c.library, "cublasSetStream_v2", c.setStream, missing);
  bindSymbol(c.library, "cublasDgemm_v2", c.dgemm, missing);
  bindSymbol(c.library, "cublasSgemm_v2", c.sgemm, missing);
  if (!missing.empty())
    return makeError("cuBLAS lacks '" + missing + "'");
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// The emulator's driver: host memory, memcpy, kernels compiled for the CPU
//===----------------------------------------------------------------------===//

namespace mars::cuda::emulated {
static CUresult init(unsigned) { return 0; }
static CUresult errorString(CUresult, const char **s) {
  *s = "emulated driver error";
  return 0;
}
static CUresult count(int *n) {
  *n = 1;
  return 0;
}
static CUresult get(CUdevice *d, int) {
  *d = 0;
  return 0;
}
static CUresult name(char *s, int n, CUdevice) {
  std::snprintf(s, n, "Mars GPU emulator (kernels compiled for this CPU)");
  return 0;
}
static CUresult attribute(int *v, int attr, CUdevice) {
  *v = attr == kAttrMajor ? 9 : 0;
  return 0;
}
static CUresult totalMem(size_t *bytes, CUdevice) {
  *bytes = kMemory;
  return 0;
}
static CUresult retain(CUcontext *c, CUdevice) {
  static int context;
  *c = reinterpret_cast<CUcontext>(&context);
  return 0;
}
static CUresult release(CUdevice) { return 0; }
static CUresult setCurrent(CUcontext) { return 0; }
static CUresult memInfo(size_t *free, size_t *total) {
  *free = *total = kMemory;
  return 0;
}
static CUresult alloc(CUdeviceptr *p, size_t bytes) {
  void *m = std::aligned_alloc(256, (bytes + 255) / 256 * 256);
  if (!m)
    return 2; // CUDA_ERROR_OUT_OF_MEMORY
  *p = reinterpret_cast<CUdeviceptr>(m);
  return 0;
}
static CUresult memFree(CUdeviceptr p) {
  std::free(reinterpret_cast<void *>(p));
  return 0;
}
static CUresult toDevice(CUdeviceptr d, const void *h, size_t n, CUstream) {
  std::memcpy(reinterpret_cast<void *>(d), h, n);
  return 0;
}
static CUresult toHost(void *h, CUdeviceptr d, size_t n, CUstream) {
  std::memcpy(h, reinterpret_cast<const void *>(d), n);
  return 0;
}
static CUresult memset8(CUdeviceptr d, unsigned char v, size_t n, CUstream) {
  std::memset(reinterpret_cast<void *>(d), v, n);
  return 0;
}
static CUresult streamCreate(CUstream *s, unsigned) {
  static int stream;
  *s = reinterpret_cast<CUstream>(&stream);
  return 0;
}
static CUresult stream(CUstream) { return 0; }
static CUresult unload(CUmodule) { return 0; }
static CUresult launch(CUfunction f, unsigned gx, unsigned gy, unsigned, unsigned,
                unsigned, unsigned, unsigned, CUstream, void **params,
                void **) {
  auto *k = reinterpret_cast<const GpuKernelImage::HostEntry *>(f);
  void *ptrs = reinterpret_cast<void *>(*static_cast<CUdeviceptr *>(params[0]));
  void *meta = reinterpret_cast<void *>(*static_cast<CUdeviceptr *>(params[1]));
  gpu_emulator::launch(reinterpret_cast<gpu_emulator::HostKernel>(k->fn),
                       k->barriers, gx, gy, ptrs, meta);
  return 0;
}

void fill(Driver &d) {
  d.cuInit = init;
  d.cuGetErrorString = errorString;
  d.cuDeviceGetCount = count;
  d.cuDeviceGet = get;
  d.cuDeviceGetName = name;
  d.cuDeviceGetAttribute = attribute;
  d.cuDeviceTotalMem = totalMem;
  d.cuDevicePrimaryCtxRetain = retain;
  d.cuDevicePrimaryCtxRelease = release;
  d.cuCtxSetCurrent = setCurrent;
  d.cuMemGetInfo = memInfo;
  d.cuMemAlloc = alloc;
  d.cuMemFree = memFree;
  d.cuMemcpyHtoDAsync = toDevice;
  d.cuMemcpyDtoHAsync = toHost;
  d.cuMemsetD8Async = memset8;
  d.cuStreamCreate = streamCreate;
  d.cuStreamDestroy = stream;
  d.cuStreamSynchronize = stream;
  d.cuModuleLoadDataEx = nullptr; // kernels come from their host entries
  d.cuModuleUnload = unload;
  d.cuModuleGetFunction = nullptr;
  d.cuLaunchKernel = launch;
}

// cuBLAS's column-major gemm, through OpenBLAS.
static int create(cublasHandle_t *h) {
  static int handle;
  *h = reinterpret_cast<cublasHandle_t>(&handle);
  return 0;
}
static int destroy(cublasHandle_t) { return 0; }
static int setStream(cublasHandle_t, CUstream) { return 0; }
static CBLAS_TRANSPOSE op(int o) { return o == kCublasOpT ? CblasTrans : CblasNoTrans; }
static int dgemm(cublasHandle_t, int ta, int tb, int m, int n, int k,
          const double *alpha, const double *a, int lda, const double *b,
          int ldb, const double *beta, double *c, int ldc) {
  numeric::openblas::blas().dgemm(CblasColMajor, op(ta), op(tb), m, n, k, *alpha, a, lda, b, ldb,
              *beta, c, ldc);
  return 0;
}
static int sgemm(cublasHandle_t, int ta, int tb, int m, int n, int k,
          const float *alpha, const float *a, int lda, const float *b, int ldb,
          const float *beta, float *c, int ldc) {
  numeric::openblas::blas().sgemm(CblasColMajor, op(ta), op(tb), m, n, k, *alpha, a, lda, b, ldb,
              *beta, c, ldc);
  return 0;
}

void fill(Cublas &c) {
  c.create = create;
  c.destroy = destroy;
  c.setStream = setStream;
  c.dgemm = dgemm;
  c.sgemm = sgemm;
}
} // namespace mars::cuda::emulated
