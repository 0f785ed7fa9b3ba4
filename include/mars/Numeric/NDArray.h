//===- NDArray.h - A plain in-memory n-dimensional array --------*- C++ -*-===//
//
// The value type of the reference semantics: a dense, C-ordered array that owns
// its elements. It is deliberately simple (no views, no strides): the reference
// evaluator and the constant folder trade speed for obviousness.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_NUMERIC_NDARRAY_H
#define MARS_NUMERIC_NDARRAY_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace mars::numeric {

/// The element types Mars tensors hold, named after their numpy dtypes.
/// (New values go at the end: the distributed runtime sends the number,
/// and checks it against the last, dist::checkedMeta.)
enum class DType : uint8_t {
  Bool, I32, I64, F32, F64, I8, I16, U8, U16, U32, U64, F16, C64, C128
};

/// Every dtype, in numpy's order of kinds and sizes.
inline constexpr DType kAllDTypes[] = {
    DType::Bool, DType::I8,  DType::I16, DType::I32, DType::I64,
    DType::U8,   DType::U16, DType::U32, DType::U64, DType::F16,
    DType::F32,  DType::F64, DType::C64, DType::C128};

/// An IEEE binary16 number (numpy's float16), held as its bits. float16 is
/// a storage type: ops that only move or convert elements take it, and
/// every other op computes it in float32 and rounds its result back, as
/// numpy's float16 loops do (the front ends insert the casts; see
/// `traits::TakesFloat16`). So Half has conversions and no arithmetic.
struct Half {
  uint16_t bits = 0;
  /// The nearest float16 (ties to even; from 65520 up infinities). NaNs keep
  /// their sign and the payload's high bits and become quiet, as x86's
  /// conversion instructions make them (numpy 1.24's software conversion
  /// keeps a signalling NaN signalling).
  static Half fromFloat(float f);
  /// Rounded once from the double (not through float: that would round
  /// twice).
  static Half fromDouble(double d);
  static Half fromBits(uint16_t bits) { return Half{bits}; }
  /// Exact.
  float toFloat() const;
  explicit operator float() const { return toFloat(); }
  explicit operator double() const { return toFloat(); }
};

/// Size in bytes of one element.
size_t dtypeSize(DType dtype);
/// numpy's name for the dtype ("bool", "int8", ..., "uint64", "float64").
const char *dtypeName(DType dtype);
inline bool isFloat(DType d) {
  return d == DType::F16 || d == DType::F32 || d == DType::F64;
}
inline bool isUnsigned(DType d) {
  return d == DType::U8 || d == DType::U16 || d == DType::U32 ||
         d == DType::U64;
}
inline bool isSignedInteger(DType d) {
  return d == DType::I8 || d == DType::I16 || d == DType::I32 ||
         d == DType::I64;
}
inline bool isInteger(DType d) { return isSignedInteger(d) || isUnsigned(d); }
/// complex64 and complex128: numpy's layout, the real and then the
/// imaginary part of each element (float32 or float64). Like float16 they
/// are stored only: the ops that move elements (`traits::TakesComplex`)
/// take them, and mars.real, mars.imag and mars.complex convert them to
/// and from their float parts, in which the front ends compose complex
/// arithmetic (docs/Complex.md).
inline bool isComplex(DType d) { return d == DType::C64 || d == DType::C128; }
/// The dtype of a complex dtype's parts (float32, float64).
inline DType complexPart(DType d) {
  return d == DType::C64 ? DType::F32 : DType::F64;
}
/// The complex dtype with parts of float dtype `d` (complex64 for float16
/// and float32, as numpy's promotion gives).
inline DType complexOf(DType d) {
  return d == DType::F64 ? DType::C128 : DType::C64;
}

[[noreturn]] void float16IsStoredOnly();
[[noreturn]] void complexIsStoredOnly();

/// Calls `f(T())` with the C++ element type of `dtype` (bool, int8_t ...
/// int64_t, uint8_t ... uint64_t, float, double) and returns its result:
/// the dtypes ops compute in. float16 and the complex dtypes are not among
/// them (they abort; the dialect's verifier keeps them from the ops that
/// compute): code that moves or converts float16 elements visits with
/// visitStoredDType; complex elements are only moved (as bytes) and split
/// into parts (numeric::complexParts).
template <typename F>
decltype(auto) visitDType(DType dtype, F &&f) {
  switch (dtype) {
  case DType::C64:
  case DType::C128:
    complexIsStoredOnly();
  case DType::F16:
    float16IsStoredOnly();
  case DType::Bool:
    return f(bool());
  case DType::I8:
    return f(int8_t());
  case DType::I16:
    return f(int16_t());
  case DType::I32:
    return f(int32_t());
  case DType::I64:
    return f(int64_t());
  case DType::U8:
    return f(uint8_t());
  case DType::U16:
    return f(uint16_t());
  case DType::U32:
    return f(uint32_t());
  case DType::U64:
    return f(uint64_t());
  case DType::F32:
    return f(float());
  case DType::F64:
    break;
  }
  return f(double());
}

/// visitDType, and `f(Half())` for float16.
template <typename F>
decltype(auto) visitStoredDType(DType dtype, F &&f) {
  if (dtype == DType::F16)
    return f(Half());
  return visitDType(dtype, std::forward<F>(f));
}

template <typename T>
constexpr DType dtypeOf();
template <> constexpr DType dtypeOf<Half>() { return DType::F16; }
template <> constexpr DType dtypeOf<bool>() { return DType::Bool; }
template <> constexpr DType dtypeOf<int8_t>() { return DType::I8; }
template <> constexpr DType dtypeOf<int16_t>() { return DType::I16; }
template <> constexpr DType dtypeOf<int32_t>() { return DType::I32; }
template <> constexpr DType dtypeOf<uint8_t>() { return DType::U8; }
template <> constexpr DType dtypeOf<uint16_t>() { return DType::U16; }
template <> constexpr DType dtypeOf<uint32_t>() { return DType::U32; }
template <> constexpr DType dtypeOf<uint64_t>() { return DType::U64; }
template <> constexpr DType dtypeOf<int64_t>() { return DType::I64; }
template <> constexpr DType dtypeOf<float>() { return DType::F32; }
template <> constexpr DType dtypeOf<double>() { return DType::F64; }

using Shape = std::vector<int64_t>;

/// Number of elements of a shape (1 for rank 0).
int64_t numElements(llvm::ArrayRef<int64_t> shape);
/// C-order strides, in elements.
Shape contiguousStrides(llvm::ArrayRef<int64_t> shape);
/// The C-order flat index of `index` in `shape`, and back.
int64_t ravel(llvm::ArrayRef<int64_t> index, llvm::ArrayRef<int64_t> shape);
Shape unravel(int64_t flat, llvm::ArrayRef<int64_t> shape);
/// "(2, 3)" as numpy writes a shape tuple.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Array storage of 1 MiB and more comes from a pool that keeps freed buffers
/// (up to a capacity) for the next array of the same size: fresh memory costs
/// a page fault per page on first touch, which on a VM that hands freed
/// memory back to the host is slower than the kernels that fill it.
void *allocateBuffer(size_t bytes);
void deallocateBuffer(void *p, size_t bytes);
/// Most bytes of freed buffers the pool keeps (default 256 MiB; 0 disables
/// it). Counted in the process's RSS while kept.
void setBufferPoolCapacity(size_t bytes);
/// The capacity a process holding chunk memory to `memoryLimit` gives its
/// pool: min(1 GiB, limit / 8), enough to keep a whole result of a few
/// hundred MB for the next execution of the program (mars-run --repeat).
size_t bufferPoolCapacityFor(uint64_t memoryLimit);
/// Called with every buffer deallocateBuffer() is about to reuse or free
/// (before it does): a tier that keeps copies of host buffers elsewhere (the
/// GPU's device memory) drops them there. One hook per process; null: none.
using BufferReleaseHook = void (*)(const void *p, size_t bytes);
void setBufferReleaseHook(BufferReleaseHook hook);

/// An allocator whose value-less construct() leaves bytes uninitialised, so
/// that a buffer about to be overwritten is not cleared first.
template <typename T>
struct UninitializedAllocator : std::allocator<T> {
  using value_type = T;
  T *allocate(size_t n) {
    return static_cast<T *>(allocateBuffer(n * sizeof(T)));
  }
  void deallocate(T *p, size_t n) { deallocateBuffer(p, n * sizeof(T)); }
  template <typename U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <typename U>
  UninitializedAllocator(const UninitializedAllocator<U> &) {}
  template <typename U>
  void construct(U *p) noexcept {
    ::new (static_cast<void *>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U *p, Args &&...args) {
    ::new (static_cast<void *>(p)) U(std::forward<Args>(args)...);
  }
};

/// How an array stores its elements. A CSR array is a 2-D matrix in
/// compressed sparse rows, scipy's `csr_matrix` layout, in one buffer:
/// `indptr` (rows + 1 int64), then `indices` (nnz int64 column numbers,
/// increasing within a row), then the nnz values of the array's dtype. Its
/// nbytes() is that buffer, so memory limits, spills and transfers count
/// what it really holds. (Sent over the wire as a number: new values at the
/// end.)
enum class Format : uint8_t { Dense, CSR };

/// Bytes of a CSR array of `rows` rows and `nnz` stored elements.
size_t csrBytes(DType dtype, int64_t rows, int64_t nnz);
/// The nnz of a CSR array of `rows` rows whose buffer has `bytes` bytes
/// (-1 when no nnz gives that size).
int64_t csrNnzOfBytes(DType dtype, int64_t rows, size_t bytes);

/// A dense C-ordered array. It owns its elements (copies are deep), or
/// borrows them (borrow(): copies share the bytes, and the first write
/// copies them). Movable; a moved-from array is empty. Elements of a new
/// array are zero unless it is created `uninitialized` (for buffers a
/// kernel overwrites completely).
class NDArray {
public:
  struct Uninitialized {};
  static constexpr Uninitialized uninitialized{};

  NDArray() = default;
  NDArray(const NDArray &) = default;
  NDArray &operator=(const NDArray &) = default;
  NDArray(NDArray &&other) noexcept
      : dtype_(other.dtype_), format_(other.format_),
        shape_(std::move(other.shape_)), storage_(std::move(other.storage_)),
        borrowed_(other.borrowed_), borrowedBytes_(other.borrowedBytes_),
        owner_(std::move(other.owner_)) {
    other.shape_.clear();
    other.borrowed_ = nullptr;
    other.format_ = Format::Dense;
  }
  NDArray &operator=(NDArray &&other) noexcept {
    dtype_ = other.dtype_;
    format_ = other.format_;
    shape_ = std::move(other.shape_);
    storage_ = std::move(other.storage_);
    borrowed_ = other.borrowed_;
    borrowedBytes_ = other.borrowedBytes_;
    owner_ = std::move(other.owner_);
    other.shape_.clear();
    other.borrowed_ = nullptr;
    other.format_ = Format::Dense;
    return *this;
  }
  NDArray(DType dtype, Shape shape);
  NDArray(DType dtype, Shape shape, Uninitialized);

  /// An array over `bytes` that someone else owns (a numpy array, a
  /// memory-mapped file): nothing is copied. `owner` is kept alive as long
  /// as the array or any copy of it is; copies share the bytes. The bytes
  /// are read only: the first mutable access (bytes(), data<T>()) copies
  /// them into storage of the array's own.
  static NDArray borrow(DType dtype, Shape shape, const void *bytes,
                        std::shared_ptr<const void> owner);
  /// An array over `other`'s bytes, stored as it is (dense or CSR), kept
  /// alive by `owner`: borrow() for any array.
  static NDArray borrow(const NDArray &other, std::shared_ptr<const void> owner);

  /// A CSR matrix of `shape` (2-D) with room for `nnz` stored elements;
  /// indptr is zero, indices and values are left for the caller to fill.
  static NDArray csr(DType dtype, Shape shape, int64_t nnz);

  DType dtype() const { return dtype_; }
  Format format() const { return format_; }
  bool isSparse() const { return format_ != Format::Dense; }
  const Shape &shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  int64_t size() const { return numElements(shape_); }
  size_t nbytes() const {
    return borrowed_ ? borrowedBytes_ : storage_.size();
  }
  /// Whether the bytes are borrowed (see borrow()).
  bool isBorrowed() const { return borrowed_ != nullptr; }

  uint8_t *bytes() {
    if (borrowed_)
      own();
    return storage_.data();
  }
  const uint8_t *bytes() const {
    return borrowed_ ? borrowed_ : storage_.data();
  }

  template <typename T>
  T *data() {
    return reinterpret_cast<T *>(bytes());
  }
  template <typename T>
  const T *data() const {
    return reinterpret_cast<const T *>(bytes());
  }

  /// A CSR array's parts (see Format). values() is its nnz elements, as
  /// data() is a dense array's.
  int64_t nnz() const;
  int64_t *indptr() { return reinterpret_cast<int64_t *>(bytes()); }
  const int64_t *indptr() const {
    return reinterpret_cast<const int64_t *>(bytes());
  }
  int64_t *indices() { return indptr() + shape_[0] + 1; }
  const int64_t *indices() const { return indptr() + shape_[0] + 1; }
  template <typename T>
  T *values() {
    return reinterpret_cast<T *>(indices() + nnz());
  }
  template <typename T>
  const T *values() const {
    return reinterpret_cast<const T *>(indices() + nnz());
  }

  /// Element `i` (flat C-order index) converted to double / int64 / bool.
  double getDouble(int64_t i) const;
  int64_t getInt(int64_t i) const;
  bool getBool(int64_t i) const;

  /// Same elements, another shape with the same number of elements.
  NDArray reshaped(Shape newShape) const;

private:
  /// Copies borrowed bytes into storage_ and drops the borrow.
  void own();

  DType dtype_ = DType::F64;
  Format format_ = Format::Dense;
  Shape shape_;
  std::vector<uint8_t, UninitializedAllocator<uint8_t>> storage_;
  /// Set for a borrowed array: its bytes and what keeps them alive.
  const uint8_t *borrowed_ = nullptr;
  size_t borrowedBytes_ = 0;
  std::shared_ptr<const void> owner_;
};

} // namespace mars::numeric

#endif // MARS_NUMERIC_NDARRAY_H
