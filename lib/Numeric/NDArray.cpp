//===- NDArray.cpp - A plain in-memory n-dimensional array ----------------===//

#include "mars/Numeric/NDArray.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <new>
#include <utility>
#include <sys/mman.h>
#include <unistd.h>
#include <mutex>

#include <cassert>

namespace mars::numeric {

size_t dtypeSize(DType dtype) {
  if (isComplex(dtype))
    return 2 * dtypeSize(complexPart(dtype));
  return visitStoredDType(dtype, [](auto v) { return sizeof(v); });
}

void complexIsStoredOnly() {
  llvm::report_fatal_error("a complex dtype reached a computation: complex "
                           "tensors are stored only, computed in their float "
                           "parts (traits::TakesComplex)");
}

void float16IsStoredOnly() {
  llvm::report_fatal_error("float16 reached a computation: it is a storage "
                           "type, computed in float32 (traits::TakesFloat16)");
}

// The conversions work on the bits (no _Float16 arithmetic, no F16C), so
// they give the same float16 on every host.
namespace {
/// The nearest float16 (ties to even) to the IEEE binary number held in
/// `x` with `ManBits` fraction bits and `ExpBits` exponent bits (binary32
/// or binary64): one rounding from the source's bits.
template <int ManBits, int ExpBits, typename Bits>
Half roundToHalf(Bits x) {
  constexpr int kWidth = 8 * sizeof(Bits), kDrop = ManBits - 10;
  constexpr Bits kExpMask = (Bits(1) << ExpBits) - 1;
  constexpr int kBias = (1 << (ExpBits - 1)) - 1;
  const uint16_t sign = static_cast<uint16_t>((x >> (kWidth - 16)) & 0x8000u);
  const Bits exp = (x >> ManBits) & kExpMask;
  const Bits man = x & ((Bits(1) << ManBits) - 1);
  if (exp == kExpMask) // inf, or NaN: the payload's high bits, kept a NaN.
    return Half::fromBits(
        sign | 0x7c00u |
        (man ? static_cast<uint16_t>(std::max<Bits>(man >> kDrop, 1) | 0x200u)
             : 0));
  // The value is (1.man) * 2^(exp - bias); float16's normal exponents are
  // -14..15, its subnormals multiples of 2^-24.
  const int e = static_cast<int>(exp) - kBias;
  if (e > 15)
    return Half::fromBits(sign | 0x7c00u);
  if (exp == 0)
    return Half::fromBits(sign); // Subnormals are far below 2^-25.
  // The significand with its implicit bit, and the bits to drop to reach
  // float16's precision at e.
  const Bits mant = man | (Bits(1) << ManBits);
  const int shift = e >= -14 ? kDrop : kDrop + (-14 - e);
  if (shift > ManBits + 1)
    return Half::fromBits(sign); // Below half the smallest subnormal: zero.
  Bits kept = mant >> shift;
  const Bits rest = mant & ((Bits(1) << shift) - 1);
  const Bits half = Bits(1) << (shift - 1);
  if (rest > half || (rest == half && (kept & 1)))
    ++kept; // May carry into the exponent (or to inf): the encoding holds.
  const Bits bits =
      e >= -14 ? (static_cast<Bits>(e + 15) << 10) + (kept - 0x400u) : kept;
  return Half::fromBits(sign | static_cast<uint16_t>(bits));
}
} // namespace

Half Half::fromFloat(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  return roundToHalf<23, 8>(x);
}

Half Half::fromDouble(double d) {
  uint64_t x;
  std::memcpy(&x, &d, 8);
  return roundToHalf<52, 11>(x);
}

float Half::toFloat() const {
  const uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
  const uint32_t exp = (bits >> 10) & 0x1fu, man = bits & 0x3ffu;
  uint32_t x;
  if (exp == 0x1fu) {
    x = sign | 0x7f800000u | (man << 13);
  } else if (exp != 0) {
    x = sign | ((exp - 15 + 127) << 23) | (man << 13);
  } else if (man == 0) {
    x = sign;
  } else { // Subnormal: man * 2^-24, normalised.
    int e = -14;
    uint32_t m = man;
    while (!(m & 0x400u))
      m <<= 1, --e;
    x = sign | (static_cast<uint32_t>(e + 127) << 23) | ((m & 0x3ffu) << 13);
  }
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

const char *dtypeName(DType dtype) {
  switch (dtype) {
  case DType::Bool:
    return "bool";
  case DType::I8:
    return "int8";
  case DType::I16:
    return "int16";
  case DType::I32:
    return "int32";
  case DType::I64:
    return "int64";
  case DType::U8:
    return "uint8";
  case DType::U16:
    return "uint16";
  case DType::U32:
    return "uint32";
  case DType::U64:
    return "uint64";
  case DType::F16:
    return "float16";
  case DType::F32:
    return "float32";
  case DType::F64:
    return "float64";
  case DType::C64:
    return "complex64";
  case DType::C128:
    return "complex128";
  }
  return "?";
}

int64_t numElements(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Shape contiguousStrides(llvm::ArrayRef<int64_t> shape) {
  Shape strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

int64_t ravel(llvm::ArrayRef<int64_t> index, llvm::ArrayRef<int64_t> shape) {
  int64_t flat = 0;
  for (size_t d = 0; d < shape.size(); ++d)
    flat = flat * shape[d] + index[d];
  return flat;
}

Shape unravel(int64_t flat, llvm::ArrayRef<int64_t> shape) {
  Shape index(shape.size());
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  return index;
}

std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

NDArray::NDArray(DType dtype, Shape shape)
    : dtype_(dtype), shape_(std::move(shape)),
      storage_(static_cast<size_t>(numElements(shape_)) * dtypeSize(dtype)) {
  std::memset(storage_.data(), 0, storage_.size());
}

NDArray::NDArray(DType dtype, Shape shape, Uninitialized)
    : dtype_(dtype), shape_(std::move(shape)),
      storage_(static_cast<size_t>(numElements(shape_)) * dtypeSize(dtype)) {}

size_t csrBytes(DType dtype, int64_t rows, int64_t nnz) {
  return static_cast<size_t>(rows + 1) * sizeof(int64_t) +
         static_cast<size_t>(nnz) * (sizeof(int64_t) + dtypeSize(dtype));
}

int64_t csrNnzOfBytes(DType dtype, int64_t rows, size_t bytes) {
  size_t head = static_cast<size_t>(rows + 1) * sizeof(int64_t);
  size_t each = sizeof(int64_t) + dtypeSize(dtype);
  if (bytes < head || (bytes - head) % each)
    return -1;
  return static_cast<int64_t>((bytes - head) / each);
}

NDArray NDArray::csr(DType dtype, Shape shape, int64_t nnz) {
  assert(shape.size() == 2 && nnz >= 0 && "a CSR array is a 2-D matrix");
  NDArray a;
  a.dtype_ = dtype;
  a.format_ = Format::CSR;
  a.storage_.resize(csrBytes(dtype, shape[0], nnz));
  // Row pointers start at zero: an array with no stored elements is ready.
  std::memset(a.storage_.data(), 0,
              static_cast<size_t>(shape[0] + 1) * sizeof(int64_t));
  a.shape_ = std::move(shape);
  return a;
}

int64_t NDArray::nnz() const {
  if (!isSparse())
    return size();
  return csrNnzOfBytes(dtype_, shape_[0], nbytes());
}

NDArray NDArray::borrow(DType dtype, Shape shape, const void *bytes,
                        std::shared_ptr<const void> owner) {
  NDArray a;
  a.dtype_ = dtype;
  a.shape_ = std::move(shape);
  a.borrowed_ = static_cast<const uint8_t *>(bytes);
  a.borrowedBytes_ = static_cast<size_t>(a.size()) * dtypeSize(dtype);
  a.owner_ = std::move(owner);
  // An empty array needs no bytes; the pointer stays non-null so that the
  // array still reads as borrowed.
  static const uint8_t kNoBytes = 0;
  assert((a.borrowed_ || a.size() == 0) && "borrowing null bytes");
  if (!a.borrowed_)
    a.borrowed_ = &kNoBytes;
  return a;
}

NDArray NDArray::borrow(const NDArray &other,
                        std::shared_ptr<const void> owner) {
  if (!other.isSparse())
    return borrow(other.dtype(), other.shape(), other.bytes(),
                  std::move(owner));
  NDArray a;
  a.dtype_ = other.dtype_;
  a.format_ = other.format_;
  a.shape_ = other.shape_;
  a.borrowed_ = other.bytes(); // A CSR array has its indptr: never null.
  a.borrowedBytes_ = other.nbytes();
  a.owner_ = std::move(owner);
  return a;
}

void NDArray::own() {
  const uint8_t *from = borrowed_;
  size_t n = nbytes();
  storage_.resize(n);
  if (n)
    std::memcpy(storage_.data(), from, n);
  borrowed_ = nullptr;
  owner_.reset();
}

double NDArray::getDouble(int64_t i) const {
  return visitStoredDType(dtype_, [&](auto v) {
    return static_cast<double>(data<decltype(v)>()[i]);
  });
}

int64_t NDArray::getInt(int64_t i) const {
  assert(!isFloat(dtype_) && "getInt on a float array");
  return visitDType(dtype_, [&](auto v) {
    return static_cast<int64_t>(data<decltype(v)>()[i]);
  });
}

bool NDArray::getBool(int64_t i) const {
  if (dtype_ == DType::F16)
    return data<Half>()[i].toFloat() != 0;
  return visitDType(dtype_, [&](auto v) {
    return data<decltype(v)>()[i] != 0;
  });
}

NDArray NDArray::reshaped(Shape newShape) const {
  assert(!isSparse() && "reshaping a sparse array");
  assert(numElements(newShape) == size() && "reshape changes the size");
  NDArray r = *this;
  r.shape_ = std::move(newShape);
  return r;
}

//===----------------------------------------------------------------------===//
// Buffer pool
//===----------------------------------------------------------------------===//

namespace {
constexpr size_t kPooledBytes = size_t(1) << 20;

struct BufferPool {
  std::mutex mutex;
  std::multimap<size_t, void *> free;
  size_t held = 0;
  size_t capacity = size_t(256) << 20;

  ~BufferPool() {
    for (auto &[bytes, p] : free)
      ::munmap(p, bytes);
  }
};

BufferPool &pool() {
  static BufferPool *p = new BufferPool(); // Outlives static arrays.
  return *p;
}

/// Large buffers are mapped directly and asked to use transparent huge pages
/// (as numpy does for large arrays): faulting in 4 KiB pages one by one on
/// first touch costs more than the kernels that fill them.
void *mapBuffer(size_t bytes) {
  void *p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    throw std::bad_alloc();
  ::madvise(p, bytes, MADV_HUGEPAGE);
  return p;
}
void unmapBuffer(void *p, size_t bytes) { ::munmap(p, bytes); }

size_t pageSize() {
  static const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  return page;
}

/// Per thread, a few freed mid-sized buffers (1 KiB to 128 KiB) kept for the
/// next array of the same size. Eager mode allocates one result of the same
/// size per call; from glibc such a buffer is a slow allocation (it sorts
/// freed small objects back into the heap first) that costs as much as the
/// kernel filling it. Buffers this size stay in the process's heap when
/// freed anyway, so keeping them costs no RSS beyond glibc's own.
struct SmallCache {
  static constexpr size_t kMin = size_t(1) << 10, kMax = size_t(128) << 10;
  static constexpr size_t kCapacity = size_t(512) << 10;
  static constexpr int kSlots = 8;
  void *buffer[kSlots] = {};
  size_t bytes[kSlots] = {};
  size_t held = 0;

  ~SmallCache();
  void *take(size_t n) {
    for (int i = 0; i < kSlots; ++i)
      if (buffer[i] && bytes[i] == n) {
        held -= n;
        return std::exchange(buffer[i], nullptr);
      }
    return nullptr;
  }
  bool keep(void *p, size_t n) {
    if (held + n > kCapacity)
      return false;
    for (int i = 0; i < kSlots; ++i)
      if (!buffer[i]) {
        buffer[i] = p;
        bytes[i] = n;
        held += n;
        return true;
      }
    return false;
  }
};
/// Cleared when the thread's cache is destroyed: arrays freed later (static
/// ones, at exit) go straight back to the heap.
thread_local bool smallCacheAlive = false;
thread_local SmallCache smallCache;

SmallCache::~SmallCache() {
  smallCacheAlive = false;
  for (int i = 0; i < kSlots; ++i)
    if (buffer[i])
      ::operator delete(buffer[i]);
}

SmallCache *smallCacheFor(size_t bytes) {
  if (bytes < SmallCache::kMin || bytes > SmallCache::kMax)
    return nullptr;
  if (!smallCacheAlive) {
    // First use on this thread; or a use after the thread's cache was
    // destroyed at its exit, when there is no cache any more.
    static thread_local bool constructed = false;
    if (constructed)
      return nullptr;
    constructed = true;
    SmallCache *cache = &smallCache; // Constructs it, registers ~SmallCache.
    smallCacheAlive = true;
    return cache;
  }
  return &smallCache;
}
} // namespace

void *allocateBuffer(size_t bytes) {
  if (SmallCache *cache = smallCacheFor(bytes))
    if (void *p = cache->take(bytes))
      return p;
  if (bytes >= kPooledBytes) {
    BufferPool &bp = pool();
    std::lock_guard<std::mutex> lock(bp.mutex);
    // The smallest free buffer that holds `bytes`, if at most twice as
    // large: its pages are touched already, where a fresh mapping's first
    // touch costs more than a kernel filling it (the kernel zeroes each
    // page; 64-180 ms for 32 MB in this project's VMs against 5-7 ms
    // reused). The tail past `bytes` goes back to the system, so the
    // buffer is `bytes` long again (as deallocateBuffer will take it) and
    // the process holds no more than it accounts.
    auto it = bp.free.lower_bound(bytes);
    if (it != bp.free.end() && it->first / 2 <= bytes) {
      void *p = it->second;
      const size_t have = it->first;
      bp.held -= have;
      bp.free.erase(it);
      const size_t page = pageSize();
      const size_t keep = (bytes + page - 1) / page * page,
                   mapped = (have + page - 1) / page * page;
      if (mapped > keep)
        unmapBuffer(static_cast<char *>(p) + keep, mapped - keep);
      return p;
    }
    return mapBuffer(bytes);
  }
  return ::operator new(bytes);
}

namespace {
std::atomic<BufferReleaseHook> releaseHook{nullptr};
} // namespace

void setBufferReleaseHook(BufferReleaseHook hook) { releaseHook = hook; }

void deallocateBuffer(void *p, size_t bytes) {
  if (BufferReleaseHook hook = releaseHook.load(std::memory_order_acquire))
    hook(p, bytes);
  if (bytes >= kPooledBytes) {
    BufferPool &bp = pool();
    std::lock_guard<std::mutex> lock(bp.mutex);
    if (bytes <= bp.capacity) {
      bp.free.emplace(bytes, p);
      bp.held += bytes;
      // Over capacity: give back the smallest buffers first.
      while (bp.held > bp.capacity) {
        auto victim = bp.free.begin();
        bp.held -= victim->first;
        unmapBuffer(victim->second, victim->first);
        bp.free.erase(victim);
      }
      return;
    }
    unmapBuffer(p, bytes);
    return;
  }
  if (SmallCache *cache = smallCacheFor(bytes))
    if (cache->keep(p, bytes))
      return;
  ::operator delete(p);
}

size_t bufferPoolCapacityFor(uint64_t memoryLimit) {
  return static_cast<size_t>(
      std::min<uint64_t>(uint64_t(1) << 30, memoryLimit / 8));
}

void setBufferPoolCapacity(size_t bytes) {
  BufferPool &bp = pool();
  std::lock_guard<std::mutex> lock(bp.mutex);
  bp.capacity = bytes;
  while (bp.held > bp.capacity && !bp.free.empty()) {
    auto victim = bp.free.begin();
    bp.held -= victim->first;
    unmapBuffer(victim->second, victim->first);
    bp.free.erase(victim);
  }
}

} // namespace mars::numeric
