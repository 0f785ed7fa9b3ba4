//===- CudaDevice.cpp - The GPU tier of the chunk store -------------------===//
//
// The device: its memory (regions cached by host address, an LRU of
// unpinned copies, pooled buffers) and its tasks (per-thread streams,
// copies in and out, launches, cuBLAS products), over the driver entry
// points of CudaDriver.h.
//
//===----------------------------------------------------------------------===//

#include "mars/Runtime/CudaDevice.h"

#include "mars/Conversion/ChunkKernel.h"
#include "mars/Support/ByteSize.h"
#include "mars/Support/Error.h"

#include "CudaDriver.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <list>
#include <map>
#include <mutex>
#include <thread>

using namespace mars;
using namespace mars::cuda;

namespace {

/// Copies a strided region element by element (the host side of gathering
/// a region into a dense buffer and scattering one back).
void copyStrided(uint8_t *dst, llvm::ArrayRef<int64_t> dstStrides,
                 const uint8_t *src, llvm::ArrayRef<int64_t> srcStrides,
                 llvm::ArrayRef<int64_t> sizes, size_t elementSize) {
  const size_t rank = sizes.size();
  if (rank == 0) {
    std::memcpy(dst, src, elementSize);
    return;
  }
  if (numeric::numElements(sizes) == 0)
    return;
  std::vector<int64_t> idx(rank, 0);
  const int64_t inner = sizes[rank - 1];
  const bool contiguous = dstStrides[rank - 1] == 1 && srcStrides[rank - 1] == 1;
  while (true) {
    int64_t d0 = 0, s0 = 0;
    for (size_t d = 0; d + 1 < rank; ++d) {
      d0 += idx[d] * dstStrides[d];
      s0 += idx[d] * srcStrides[d];
    }
    if (contiguous) {
      std::memcpy(dst + d0 * elementSize, src + s0 * elementSize,
                  inner * elementSize);
    } else {
      for (int64_t j = 0; j < inner; ++j)
        std::memcpy(dst + (d0 + j * dstStrides[rank - 1]) * elementSize,
                    src + (s0 + j * srcStrides[rank - 1]) * elementSize,
                    elementSize);
    }
    size_t d = rank - 1;
    while (d > 0) {
      --d;
      if (++idx[d] < sizes[d])
        break;
      idx[d] = 0;
      if (d == 0)
        return;
    }
    if (rank == 1)
      return;
  }
}

bool isDense(llvm::ArrayRef<int64_t> sizes, llvm::ArrayRef<int64_t> strides) {
  int64_t expected = 1;
  for (size_t d = sizes.size(); d-- > 0;) {
    if (sizes[d] != 1 && strides[d] != expected)
      return false;
    expected *= sizes[d];
  }
  return true;
}

std::string regionKey(const HostRegion &r) {
  std::string key = std::to_string(reinterpret_cast<uintptr_t>(r.base)) + ":" +
                    std::to_string(r.elementSize);
  for (size_t d = 0; d < r.sizes.size(); ++d)
    key += ";" + std::to_string(r.sizes[d]) + "x" + std::to_string(r.strides[d]);
  return key;
}

} // namespace

//===----------------------------------------------------------------------===//
// The device
//===----------------------------------------------------------------------===//

struct CudaDevice::Impl {
  Driver driver;
  Cublas cublas;
  bool emulated = false;
  GpuCounters *counters = nullptr;
  bool haveCublas = false;
  std::string cublasError;
  CUdevice device = 0;
  CUcontext context = nullptr;
  std::string name;
  int major = 0, minor = 0;
  uint64_t totalMemory = 0, limit = 0;

  std::mutex mutex;
  std::condition_variable copied;
  /// Bytes allocated on the device (cached regions, pooled and task buffers).
  uint64_t used = 0, peak = 0;
  /// Freed buffers by size, for reuse (counted in `used`).
  std::multimap<size_t, CUdeviceptr> pool;

  /// A host region's device copy.
  struct Entry {
    std::string key;
    CUdeviceptr address = 0;
    size_t bytes = 0;
    numeric::Shape strides;
    const uint8_t *hostLo = nullptr;
    int pins = 0;
    /// Set once the copy to the device has completed; until then readers
    /// other than the copying task wait (their streams are not ordered
    /// after the copying task's).
    bool ready = false;
    bool dead = false; // in `dead`: its host buffer was released while pinned
    std::list<Entry *>::iterator lru;
  };
  llvm::StringMap<std::unique_ptr<Entry>> entries;
  /// Entries whose host buffer was released while a task used them: out of
  /// `entries` (a new copy of the region may be made), freed when unpinned.
  std::vector<std::unique_ptr<Entry>> dead;
  std::multimap<const uint8_t *, Entry *> byHost;
  std::list<Entry *> lru; // front: least recently used unpinned entries

  /// Per-thread stream, cuBLAS handle and argument buffer.
  struct Lane {
    CUstream stream = nullptr;
    cublasHandle_t blas = nullptr;
    CUdeviceptr args = 0, flag = 0;
  };
  std::vector<std::unique_ptr<Lane>> lanes;
  std::map<std::thread::id, Lane *> laneOf;
  /// Modules by kernel key.
  llvm::StringMap<CUmodule> modules;
  llvm::StringMap<CUfunction> functions;

  static constexpr size_t kArgBytes = 64 << 10;

  llvm::Error check(CUresult r, llvm::StringRef what) {
    if (r == 0)
      return llvm::Error::success();
    const char *text = nullptr;
    driver.cuGetErrorString(r, &text);
    return makeError(llvm::formatv("{0}: CUDA error {1} ({2})", what, r,
                                   text ? text : "unknown"));
  }

  /// Device memory, evicting cached regions (least recently used) and
  /// pooled buffers to stay within the limit. Holds `mutex`.
  llvm::Expected<CUdeviceptr> allocate(size_t bytes);
  void release(CUdeviceptr address, size_t bytes);
  void drop(Entry *e);
  void unlinkHost(Entry *e);
  void unpin(Entry *e);
  llvm::Expected<Lane *> lane();
  llvm::Expected<CUfunction> function(const GpuKernelImage &image,
                                      llvm::StringRef entry);
  void hostReleased(const uint8_t *p, size_t bytes);
};

namespace {
/// The open device whose cached regions the buffer release hook drops.
std::atomic<CudaDevice::Impl *> hookedDevice{nullptr};

void releaseHook(const void *p, size_t bytes) {
  if (CudaDevice::Impl *impl = hookedDevice.load(std::memory_order_acquire))
    impl->hostReleased(static_cast<const uint8_t *>(p), bytes);
}
} // namespace

void CudaDevice::Impl::hostReleased(const uint8_t *p, size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex);
  auto it = byHost.lower_bound(p);
  while (it != byHost.end() && it->first < p + bytes) {
    Entry *e = it->second;
    ++it;
    if (e->pins == 0) {
      drop(e);
      continue;
    }
    unlinkHost(e);
    e->dead = true;
    auto owned = entries.find(e->key);
    dead.push_back(std::move(owned->second));
    entries.erase(owned);
  }
}

void CudaDevice::Impl::unlinkHost(Entry *e) {
  auto [lo, hi] = byHost.equal_range(e->hostLo);
  for (auto it = lo; it != hi; ++it)
    if (it->second == e) {
      byHost.erase(it);
      return;
    }
}

void CudaDevice::Impl::release(CUdeviceptr address, size_t bytes) {
  pool.emplace(bytes, address);
}

void CudaDevice::Impl::drop(Entry *e) {
  unlinkHost(e);
  if (e->pins == 0)
    lru.erase(e->lru);
  release(e->address, e->bytes);
  std::string key = e->key; // erase() destroys the entry
  entries.erase(key);
}

void CudaDevice::Impl::unpin(Entry *e) {
  if (--e->pins > 0)
    return;
  if (e->dead) {
    release(e->address, e->bytes);
    auto it = std::find_if(dead.begin(), dead.end(),
                           [&](const auto &d) { return d.get() == e; });
    dead.erase(it);
    return;
  }
  e->lru = lru.insert(lru.end(), e);
}

llvm::Expected<CUdeviceptr> CudaDevice::Impl::allocate(size_t bytes) {
  bytes = std::max<size_t>(bytes, 256);
  if (auto it = pool.find(bytes); it != pool.end()) {
    CUdeviceptr p = it->second;
    pool.erase(it);
    return p;
  }
  // Make room: pooled buffers of other sizes first, then cached regions.
  while (used + bytes > limit && (!pool.empty() || !lru.empty())) {
    if (!pool.empty()) {
      auto victim = std::prev(pool.end());
      driver.cuMemFree(victim->second);
      used -= victim->first;
      pool.erase(victim);
      continue;
    }
    Entry *e = lru.front();
    drop(e); // into the pool, freed by the next turn
    counters->evictions++;
  }
  if (used + bytes > limit)
    return makeError(llvm::formatv(
        "a GPU task needs {0} of device memory, but {1} of the {2} limit are "
        "held by running tasks (--gpu-memory-limit, or smaller chunks)",
        formatByteSize(bytes), formatByteSize(used),
        formatByteSize(limit)));
  CUdeviceptr p = 0;
  if (auto err = check(driver.cuMemAlloc(&p, bytes), "cuMemAlloc"))
    return std::move(err);
  used += bytes;
  peak = std::max(peak, used);
  return p;
}

llvm::Expected<CudaDevice::Impl::Lane *> CudaDevice::Impl::lane() {
  // Called with `mutex` held.
  auto id = std::this_thread::get_id();
  if (auto it = laneOf.find(id); it != laneOf.end())
    return it->second;
  if (auto err = check(driver.cuCtxSetCurrent(context), "cuCtxSetCurrent"))
    return std::move(err);
  auto l = std::make_unique<Lane>();
  if (auto err = check(driver.cuStreamCreate(&l->stream, kStreamNonBlocking),
                       "cuStreamCreate"))
    return std::move(err);
  auto args = allocate(kArgBytes);
  if (!args)
    return args.takeError();
  l->args = *args;
  auto flag = allocate(256);
  if (!flag)
    return flag.takeError();
  l->flag = *flag;
  if (haveCublas) {
    if (cublas.create(&l->blas) != 0)
      return makeError("cublasCreate failed");
    cublas.setStream(l->blas, l->stream);
  }
  Lane *raw = l.get();
  lanes.push_back(std::move(l));
  laneOf[id] = raw;
  return raw;
}

llvm::Expected<CUfunction>
CudaDevice::Impl::function(const GpuKernelImage &image, llvm::StringRef entry) {
  std::string fkey = image.key + "/" + entry.str();
  if (auto it = functions.find(fkey); it != functions.end())
    return it->second;
  if (emulated) {
    auto it = image.hostEntries.find(entry.str());
    if (it == image.hostEntries.end() || !it->second.fn)
      return makeError("the GPU emulator has no host code for kernel '" +
                       entry + "'");
    auto fn = reinterpret_cast<CUfunction>(
        const_cast<GpuKernelImage::HostEntry *>(&it->second));
    functions[fkey] = fn;
    return fn;
  }
  CUmodule module = nullptr;
  if (auto it = modules.find(image.key); it != modules.end()) {
    module = it->second;
  } else {
    char log[8192] = {0};
    int options[] = {kJitErrorLog, kJitErrorLogSize};
    void *values[] = {log, reinterpret_cast<void *>(sizeof(log))};
    CUresult r = driver.cuModuleLoadDataEx(&module, image.ptx.c_str(), 2,
                                           options, values);
    if (r != 0)
      return makeError(llvm::Twine("the driver rejected a kernel's PTX: ") +
                       log + " " + llvm::toString(check(r, "cuModuleLoadData")));
    modules[image.key] = module;
  }
  CUfunction fn = nullptr;
  if (auto err = check(driver.cuModuleGetFunction(&fn, module,
                                                  fkey.substr(image.key.size() + 1)
                                                      .c_str()),
                       "cuModuleGetFunction"))
    return std::move(err);
  functions[fkey] = fn;
  return fn;
}

CudaDevice::CudaDevice(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}

CudaDevice::~CudaDevice() {
  CudaDevice::Impl *expected = impl.get();
  hookedDevice.compare_exchange_strong(expected, nullptr);
  numeric::setBufferReleaseHook(nullptr);
  Driver &d = impl->driver;
  d.cuCtxSetCurrent(impl->context);
  for (auto &l : impl->lanes) {
    d.cuStreamSynchronize(l->stream);
    if (l->blas)
      impl->cublas.destroy(l->blas);
    d.cuStreamDestroy(l->stream);
  }
  for (auto &m : impl->modules)
    d.cuModuleUnload(m.second);
  // Device memory goes with the primary context's last release.
  d.cuDevicePrimaryCtxRelease(impl->device);
}

llvm::Expected<std::unique_ptr<CudaDevice>>
CudaDevice::open(const CudaDeviceOptions &options) {
  auto impl = std::make_unique<Impl>();
  Driver &d = impl->driver;
  impl->emulated = options.emulate;
  if (options.emulate)
    emulated::fill(d);
  else if (auto err = loadDriver(d))
    return std::move(err);
  if (CUresult r = d.cuInit(0))
    return makeError("the CUDA driver found no usable GPU (cuInit: " +
                     llvm::toString(impl->check(r, "cuInit")) + ")");
  int count = 0;
  if (auto err = impl->check(d.cuDeviceGetCount(&count), "cuDeviceGetCount"))
    return std::move(err);
  if (count == 0)
    return makeError("the CUDA driver sees no GPU");
  if (options.ordinal < 0 || options.ordinal >= count)
    return makeError(llvm::formatv("GPU {0} does not exist ({1} found)",
                                   options.ordinal, count));
  if (auto err = impl->check(d.cuDeviceGet(&impl->device, options.ordinal),
                             "cuDeviceGet"))
    return std::move(err);
  char name[256] = {0};
  d.cuDeviceGetName(name, sizeof(name) - 1, impl->device);
  impl->name = name;
  d.cuDeviceGetAttribute(&impl->major, kAttrMajor, impl->device);
  d.cuDeviceGetAttribute(&impl->minor, kAttrMinor, impl->device);
  size_t total = 0;
  d.cuDeviceTotalMem(&total, impl->device);
  impl->totalMemory = total;
  if (auto err = impl->check(
          d.cuDevicePrimaryCtxRetain(&impl->context, impl->device),
          "cuDevicePrimaryCtxRetain"))
    return std::move(err);
  if (auto err = impl->check(d.cuCtxSetCurrent(impl->context),
                             "cuCtxSetCurrent"))
    return std::move(err);
  size_t freeBytes = 0;
  d.cuMemGetInfo(&freeBytes, &total);
  impl->limit = options.memoryLimit ? *options.memoryLimit
                                    : static_cast<uint64_t>(freeBytes * 0.9);
  if (options.memoryLimit && *options.memoryLimit > freeBytes)
    return makeError("--gpu-memory-limit=" +
                     formatByteSize(*options.memoryLimit) + " but only " +
                     formatByteSize(freeBytes) + " of device memory is free");
  if (options.emulate) {
    emulated::fill(impl->cublas);
    impl->haveCublas = true;
  } else if (auto err = loadCublas(impl->cublas)) {
    impl->cublasError = llvm::toString(std::move(err));
  } else {
    impl->haveCublas = true;
  }
  auto device = std::unique_ptr<CudaDevice>(new CudaDevice(std::move(impl)));
  device->impl->counters = &device->counters;
  CudaDevice::Impl *none = nullptr;
  if (!hookedDevice.compare_exchange_strong(none, device->impl.get()))
    return makeError("only one GPU device may be open per process");
  numeric::setBufferReleaseHook(releaseHook);
  return device;
}

std::string CudaDevice::description() const {
  return llvm::formatv("{0} (sm_{1}{2}, {3}{4})", impl->name, impl->major,
                       impl->minor, formatByteSize(impl->totalMemory),
                       impl->haveCublas ? "" : "; no cuBLAS: products on CPU")
      .str();
}

std::string CudaDevice::arch() const {
  return "sm_" + std::to_string(impl->major) + std::to_string(impl->minor);
}

uint64_t CudaDevice::memoryLimit() const { return impl->limit; }

uint64_t CudaDevice::peakMemory() const {
  std::lock_guard<std::mutex> lock(impl->mutex);
  return impl->peak;
}

//===----------------------------------------------------------------------===//
// Tasks
//===----------------------------------------------------------------------===//

struct CudaDevice::Task::State {
  CudaDevice *device = nullptr;
  CudaDevice::Impl *impl = nullptr;
  CudaDevice::Impl::Lane *lane = nullptr;
  std::vector<CudaDevice::Impl::Entry *> pinned;
  /// Buffers of this task (address, bytes) not handed to the cache.
  std::vector<std::pair<CUdeviceptr, size_t>> owned;
  /// Host copies kept alive until the stream has read them.
  std::vector<std::vector<uint8_t>> staging;
  llvm::Error deferred = llvm::Error::success();
};

CudaDevice::Task::Task(std::unique_ptr<State> state) : state(std::move(state)) {}

CudaDevice::Task::~Task() {
  Impl *impl = state->impl;
  if (state->lane)
    impl->driver.cuStreamSynchronize(state->lane->stream);
  std::lock_guard<std::mutex> lock(impl->mutex);
  for (Impl::Entry *e : state->pinned)
    impl->unpin(e);
  for (auto [address, bytes] : state->owned)
    impl->release(address, bytes);
  llvm::consumeError(std::move(state->deferred));
}

std::unique_ptr<CudaDevice::Task> CudaDevice::beginTask() {
  auto s = std::make_unique<Task::State>();
  s->device = this;
  s->impl = impl.get();
  std::lock_guard<std::mutex> lock(impl->mutex);
  auto lane = impl->lane();
  if (!lane) {
    s->deferred = lane.takeError();
  } else {
    s->lane = *lane;
    // Every thread using the device needs the context current.
    impl->driver.cuCtxSetCurrent(impl->context);
    impl->driver.cuMemsetD8Async(s->lane->flag, 0, 4, s->lane->stream);
  }
  return std::unique_ptr<Task>(new Task(std::move(s)));
}

llvm::Expected<DeviceRegion> CudaDevice::Task::input(const HostRegion &region) {
  if (state->deferred)
    return std::move(state->deferred);
  Impl *impl = state->impl;
  DeviceRegion out;
  out.strides = numeric::contiguousStrides(region.sizes);
  size_t bytes = static_cast<size_t>(numeric::numElements(region.sizes)) *
                 region.elementSize;
  std::string key = regionKey(region);
  std::unique_lock<std::mutex> lock(impl->mutex);
  if (auto it = impl->entries.find(key); it != impl->entries.end()) {
    Impl::Entry *e = it->second.get();
    if (e->pins++ == 0)
      impl->lru.erase(e->lru);
    state->pinned.push_back(e);
    state->device->counters.hits++;
    // Pinned, so it stays while another task finishes copying it.
    impl->copied.wait(lock, [&] { return e->ready; });
    out.address = e->address;
    out.strides = e->strides;
    return out;
  }
  auto address = impl->allocate(bytes);
  if (!address)
    return address.takeError();
  auto entry = std::make_unique<Impl::Entry>();
  Impl::Entry *e = entry.get();
  e->key = key;
  e->address = *address;
  e->bytes = std::max<size_t>(bytes, 256);
  e->strides = out.strides;
  e->hostLo = region.base;
  e->pins = 1;
  impl->entries[key] = std::move(entry);
  impl->byHost.emplace(region.base, e);
  state->pinned.push_back(e);
  lock.unlock();
  state->device->counters.misses++;
  state->device->counters.bytesToDevice += bytes;
  const void *src = region.base;
  if (!isDense(region.sizes, region.strides)) {
    state->staging.emplace_back(bytes);
    copyStrided(state->staging.back().data(), out.strides, region.base,
                region.strides, region.sizes, region.elementSize);
    src = state->staging.back().data();
  }
  CUresult r = bytes ? impl->driver.cuMemcpyHtoDAsync(*address, src, bytes,
                                                      state->lane->stream)
                     : 0;
  if (r == 0)
    r = impl->driver.cuStreamSynchronize(state->lane->stream);
  {
    // Readers waiting for the copy go on even when it failed: the error
    // fails this task, and theirs read what is there (they fail too, or
    // the run does with this task's error).
    std::lock_guard<std::mutex> relock(impl->mutex);
    e->ready = true;
  }
  impl->copied.notify_all();
  if (auto err = impl->check(r, "copying a chunk to the GPU"))
    return std::move(err);
  out.address = *address;
  return out;
}

llvm::Expected<uint64_t> CudaDevice::Task::buffer(size_t bytes,
                                                  const void *init) {
  if (state->deferred)
    return std::move(state->deferred);
  Impl *impl = state->impl;
  llvm::Expected<CUdeviceptr> address = [&] {
    std::lock_guard<std::mutex> lock(impl->mutex);
    return impl->allocate(bytes);
  }();
  if (!address)
    return address.takeError();
  state->owned.push_back({*address, std::max<size_t>(bytes, 256)});
  CUstream stream = state->lane->stream;
  if (bytes == 0)
    return *address;
  CUresult r = init ? impl->driver.cuMemcpyHtoDAsync(*address, init, bytes,
                                                     stream)
                    : impl->driver.cuMemsetD8Async(*address, 0, bytes, stream);
  if (init)
    state->device->counters.bytesToDevice += bytes;
  if (auto err = impl->check(r, "initialising a GPU buffer"))
    return std::move(err);
  return *address;
}

llvm::Expected<uint64_t> CudaDevice::Task::buffer(const HostRegion &init) {
  size_t bytes = static_cast<size_t>(numeric::numElements(init.sizes)) *
                 init.elementSize;
  if (isDense(init.sizes, init.strides))
    return buffer(bytes, init.base);
  state->staging.emplace_back(bytes);
  copyStrided(state->staging.back().data(),
              numeric::contiguousStrides(init.sizes), init.base, init.strides,
              init.sizes, init.elementSize);
  return buffer(bytes, state->staging.back().data());
}

llvm::Expected<uint64_t> CudaDevice::Task::errorFlag() {
  if (state->deferred)
    return std::move(state->deferred);
  return state->lane->flag;
}

llvm::Error CudaDevice::Task::launch(const GpuKernelImage &image,
                                     llvm::StringRef entry,
                                     std::array<unsigned, 2> grid,
                                     llvm::ArrayRef<uint64_t> ptrs,
                                     llvm::ArrayRef<int64_t> meta) {
  if (state->deferred)
    return std::move(state->deferred);
  Impl *impl = state->impl;
  size_t ptrBytes = ptrs.size() * sizeof(uint64_t);
  size_t total = ptrBytes + meta.size() * sizeof(int64_t);
  if (total > Impl::kArgBytes)
    return makeError("a GPU kernel's arguments exceed 64 KiB");
  llvm::Expected<CUfunction> fn = [&] {
    std::lock_guard<std::mutex> lock(impl->mutex);
    return impl->function(image, entry);
  }();
  if (!fn)
    return fn.takeError();
  // The arguments travel in the lane's buffer: the stream orders this copy
  // after the previous kernel that read it.
  state->staging.emplace_back(total);
  uint8_t *host = state->staging.back().data();
  std::memcpy(host, ptrs.data(), ptrBytes);
  std::memcpy(host + ptrBytes, meta.data(), meta.size() * sizeof(int64_t));
  CUstream stream = state->lane->stream;
  if (auto err = impl->check(impl->driver.cuMemcpyHtoDAsync(
                                 state->lane->args, host, total, stream),
                             "copying kernel arguments"))
    return err;
  CUdeviceptr ptrArg = state->lane->args, metaArg = state->lane->args + ptrBytes;
  void *params[] = {&ptrArg, &metaArg};
  unsigned gx = std::max(1u, grid[0]), gy = std::max(1u, grid[1]);
  state->device->counters.kernels++;
  return impl->check(impl->driver.cuLaunchKernel(
                         *fn, gx, gy, 1, static_cast<unsigned>(codegen::kGpuBlockSize),
                         1, 1, 0, stream, params, nullptr),
                     ("launching " + entry).str());
}

llvm::Error CudaDevice::Task::gemmAccumulate(numeric::DType dtype,
                                             const MatrixView &a,
                                             const MatrixView &b, uint64_t c,
                                             int64_t m, int64_t n) {
  if (state->deferred)
    return std::move(state->deferred);
  Impl *impl = state->impl;
  if (!impl->haveCublas)
    return makeError(impl->cublasError);
  size_t es = numeric::dtypeSize(dtype);
  auto device = [&](const MatrixView &v) {
    HostRegion r;
    r.base = static_cast<const uint8_t *>(v.data);
    r.sizes = {v.rows, v.cols};
    r.strides = {v.ld, 1};
    r.elementSize = es;
    return input(r);
  };
  auto da = device(a);
  if (!da)
    return da.takeError();
  auto db = device(b);
  if (!db)
    return db.takeError();
  // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: the
  // column-major view of a row-major matrix is its transpose.
  const int k = static_cast<int>(a.transposed ? a.rows : a.cols);
  const int lda = static_cast<int>(std::max<int64_t>(a.cols, 1));
  const int ldb = static_cast<int>(std::max<int64_t>(b.cols, 1));
  const int ldc = static_cast<int>(std::max<int64_t>(n, 1));
  const int opA = a.transposed ? kCublasOpT : kCublasOpN;
  const int opB = b.transposed ? kCublasOpT : kCublasOpN;
  state->device->counters.gemms++;
  int status;
  if (dtype == numeric::DType::F64) {
    const double one = 1.0;
    status = impl->cublas.dgemm(
        state->lane->blas, opB, opA, static_cast<int>(n), static_cast<int>(m),
        k, &one, reinterpret_cast<const double *>(db->address), ldb,
        reinterpret_cast<const double *>(da->address), lda, &one,
        reinterpret_cast<double *>(c), ldc);
  } else {
    const float one = 1.0f;
    status = impl->cublas.sgemm(
        state->lane->blas, opB, opA, static_cast<int>(n), static_cast<int>(m),
        k, &one, reinterpret_cast<const float *>(db->address), ldb,
        reinterpret_cast<const float *>(da->address), lda, &one,
        reinterpret_cast<float *>(c), ldc);
  }
  if (status != 0)
    return makeError("cuBLAS gemm failed with status " +
                     llvm::Twine(status));
  // A product of many steps would otherwise pin every step's operands until
  // the task ends: wait for this step and let them go (to the LRU).
  if (auto err = impl->check(impl->driver.cuStreamSynchronize(
                                 state->lane->stream),
                             "running a GPU product"))
    return err;
  std::lock_guard<std::mutex> lock(impl->mutex);
  for (Impl::Entry *e : state->pinned)
    impl->unpin(e);
  state->pinned.clear();
  state->staging.clear();
  return llvm::Error::success();
}

llvm::Error CudaDevice::Task::writeBack(uint64_t from, const HostRegion &to,
                                        bool keep) {
  if (state->deferred)
    return std::move(state->deferred);
  Impl *impl = state->impl;
  size_t bytes = static_cast<size_t>(numeric::numElements(to.sizes)) *
                 to.elementSize;
  CUstream stream = state->lane->stream;
  const bool dense = isDense(to.sizes, to.strides);
  uint8_t *dst = const_cast<uint8_t *>(to.base);
  std::vector<uint8_t> bounce;
  if (!dense) {
    bounce.resize(bytes);
    dst = bounce.data();
  }
  if (bytes) {
    if (auto err = impl->check(
            impl->driver.cuMemcpyDtoHAsync(dst, from, bytes, stream),
            "copying a chunk from the GPU"))
      return err;
    state->device->counters.bytesFromDevice += bytes;
  }
  if (auto err = impl->check(impl->driver.cuStreamSynchronize(stream),
                             "running a GPU task"))
    return err;
  if (!dense)
    copyStrided(const_cast<uint8_t *>(to.base), to.strides, bounce.data(),
                numeric::contiguousStrides(to.sizes), to.sizes,
                to.elementSize);
  if (!keep || bytes == 0)
    return llvm::Error::success();
  // Hand the buffer to the cache as the region's device copy.
  std::lock_guard<std::mutex> lock(impl->mutex);
  auto owned = std::find_if(state->owned.begin(), state->owned.end(),
                            [&](auto &o) { return o.first == from; });
  if (owned == state->owned.end())
    return llvm::Error::success();
  std::string key = regionKey(to);
  if (impl->entries.count(key))
    return llvm::Error::success();
  auto entry = std::make_unique<Impl::Entry>();
  Impl::Entry *e = entry.get();
  e->key = key;
  e->address = from;
  e->bytes = owned->second;
  e->strides = numeric::contiguousStrides(to.sizes);
  e->hostLo = to.base;
  e->ready = true; // the stream was synchronised above
  e->lru = impl->lru.insert(impl->lru.end(), e);
  impl->entries[key] = std::move(entry);
  impl->byHost.emplace(to.base, e);
  state->owned.erase(owned);
  return llvm::Error::success();
}

llvm::Expected<bool> CudaDevice::Task::finish() {
  if (state->deferred)
    return std::move(state->deferred);
  Impl *impl = state->impl;
  int32_t flag = 0;
  CUstream stream = state->lane->stream;
  if (auto err = impl->check(
          impl->driver.cuMemcpyDtoHAsync(&flag, state->lane->flag, 4, stream),
          "reading a GPU task's error flag"))
    return std::move(err);
  if (auto err = impl->check(impl->driver.cuStreamSynchronize(stream),
                             "running a GPU task"))
    return std::move(err);
  return flag != 0;
}
