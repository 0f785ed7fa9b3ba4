//===- Tensor.h - The C++ tensor API: numpy programs as Mars IR -*- C++ -*-===//
//
// The front end numpy users write against: a Tensor is a handle on a node of
// a lazily built graph; every function checks its arguments with numpy's
// rules (broadcasting, negative axes, keepdims, dtype promotion), computes
// the result's shape and dtype, and records one Mars dialect op. Nothing runs
// until a Session (API/Session.h) executes tensors; it then turns the graph
// into a Mars function, compiles and runs it, and keeps the results on the
// nodes, so later expressions reuse them.
//
//   namespace mt = mars::api;
//   mt::Tensor a = mt::randomUniform(0, -1, 1, {1000, 2});
//   mt::Tensor inside = mt::sum(mt::sum(a * a, {1}) < 1);
//   mt::Tensor pi = inside * 4.0 / 1000.0;
//   if (auto err = session->execute({pi})) ...
//
// Errors are values: a call with bad arguments returns a Tensor that holds
// the error (ok() is false) with numpy's error kind, the function and the
// reason; functions given such a Tensor pass its error on, so a whole
// expression can be checked once at its end.
//
// Graph building is not thread safe: build and execute tensors from one
// thread at a time (as numpy users do; the Python module holds the GIL).
//
//===----------------------------------------------------------------------===//

#ifndef MARS_API_TENSOR_H
#define MARS_API_TENSOR_H

#include "mars/Numeric/Kernels.h"
#include "mars/Numeric/NDArray.h"
#include "mars/Numeric/Scan.h"

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace mars::api {

using numeric::BinaryFn;
using numeric::DType;
using numeric::NDArray;
using numeric::ReduceFn;
using numeric::ScanFn;
using numeric::Shape;
using numeric::UnaryFn;

/// numpy's error kinds; the Python module raises the matching exception.
enum class ErrorKind {
  Value,    // ValueError: shapes that do not broadcast, bad arguments
  Type,     // TypeError: a dtype the function does not take
  Index,    // IndexError: an index out of bounds, too many indices
  Axis,     // numpy.AxisError (a ValueError and an IndexError)
  Memory,   // MemoryError: more data than the memory limit allows
  NotImplemented, // numpy has it, Mars does not yet
  LinAlg,   // numpy.linalg.LinAlgError: singular, not positive definite
  Runtime,  // the engine or the cluster failed
};

struct Error {
  ErrorKind kind = ErrorKind::Value;
  /// The function that failed, as the user called it ("add", "reshape").
  std::string op;
  std::string message;

  /// "reshape: cannot reshape array of size 6 into shape (4,)".
  std::string str() const;
};

/// A number: a Python number, or a numpy scalar (which has a dtype).
/// Numbers are "weak" operands: `a + 1` keeps a's dtype when the number
/// fits it (numpy's value-based casting).
struct Scalar {
  enum class Kind { Bool, Int, Float, Complex } kind = Kind::Float;
  int64_t i = 0;
  /// The number (a complex number's real part).
  double f = 0;
  /// A complex number's imaginary part.
  double imag = 0;
  /// An integer in [2^63, 2^64), whose bits `i` holds (numpy: a uint64).
  bool big = false;
  /// A numpy scalar's dtype (unset for Python numbers).
  std::optional<DType> typed;

  Scalar() = default;
  Scalar(bool b) : kind(Kind::Bool), i(b), f(b) {}
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>,
                             int> = 0>
  Scalar(T v)
      : kind(Kind::Int), i(static_cast<int64_t>(v)), f(double(v)),
        big(std::is_unsigned_v<T> && static_cast<uint64_t>(v) > INT64_MAX) {}
  template <typename T,
            std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
  Scalar(T v)
      : kind(Kind::Float),
        i(v > -9.2e18 && v < 9.2e18 ? static_cast<int64_t>(v) : 0),
        f(double(v)) {}

  /// A Python complex number.
  static Scalar complex(double re, double im) {
    Scalar s(re);
    s.kind = Kind::Complex;
    s.imag = im;
    return s;
  }

  /// The number's dtype: a numpy scalar's own, else the one numpy gives a
  /// Python number (int64, or uint64 from 2^63; float64; complex128;
  /// bool).
  DType dtype() const;
  /// Element `i` of `array` as a typed scalar.
  static Scalar of(const NDArray &array, int64_t i = 0);
};

/// Mars's chunk_size: empty for automatic (from the session's memory limit),
/// one size for every dimension, or one per dimension (-1: the whole
/// dimension).
struct ChunkSize {
  std::vector<int64_t> sizes;

  ChunkSize() = default;
  ChunkSize(int64_t every) : sizes{every} {}
  ChunkSize(std::vector<int64_t> perDim) : sizes(std::move(perDim)) {}
  bool isAutomatic() const { return sizes.empty(); }
};

namespace graph {
struct Node;
} // namespace graph

class Tensor {
public:
  /// A Tensor that holds neither a value nor an error (a default argument).
  Tensor() = default;

  /// False when the call that made this tensor failed: see error().
  bool ok() const { return node_ != nullptr; }
  bool isNull() const { return !node_ && !error_; }
  const Error &error() const;

  DType dtype() const;
  const Shape &shape() const;
  /// Whether the tensor is a sparse matrix (compressed sparse rows, as
  /// scipy.sparse.csr_matrix). Functions take sparse tensors only where
  /// they say so (matmul's left operand, todense, rechunk); the others fail
  /// with ErrorKind::NotImplemented.
  bool isSparse() const;
  int64_t ndim() const { return static_cast<int64_t>(shape().size()); }
  int64_t size() const { return numeric::numElements(shape()); }
  int64_t nbytes() const { return size() * numeric::dtypeSize(dtype()); }
  /// The chunk shape asked for with chunk_size= or rechunk(); nullopt when
  /// the session chooses.
  std::optional<Shape> chunkShape() const;

  /// Whether the tensor's value is known (given, or executed).
  bool isExecuted() const;
  /// Its value once known, else null. The array stays valid as long as the
  /// returned pointer is held.
  std::shared_ptr<const NDArray> value() const;
  /// "Tensor(shape=(3, 4), dtype=float64, chunks=(2, 4))".
  std::string describe() const;

  /// A failed Tensor.
  static Tensor failure(Error error);

  graph::Node *node() const { return node_.get(); }
  const std::shared_ptr<graph::Node> &nodePtr() const { return node_; }
  explicit Tensor(std::shared_ptr<graph::Node> node)
      : node_(std::move(node)) {}

private:
  std::shared_ptr<graph::Node> node_;
  std::shared_ptr<const Error> error_;
};

/// A binary function's operand: a tensor or a (weak) number.
struct Operand {
  Tensor tensor;
  std::optional<Scalar> scalar;

  Operand(Tensor t) : tensor(std::move(t)) {}
  Operand(Scalar s) : scalar(s) {}
  template <typename T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
  Operand(T v) : scalar(Scalar(v)) {}
};

//===----------------------------------------------------------------------===//
// dtypes
//===----------------------------------------------------------------------===//

/// numpy's promote_types over Mars's dtypes.
DType promoteTypes(DType a, DType b);
/// numpy's result_type for an operation on `operands`: tensors of rank > 0
/// decide; numbers and 0-d tensors only widen the result when their kind
/// (bool < integer < float) is higher or their value does not fit.
DType resultType(const std::vector<Operand> &operands);
/// numpy's loop search, for the ufuncs whose type resolver tries their
/// loops in order (floor_divide, remainder, fmod, power, the bitwise
/// functions and shifts, and the float functions): the first of
/// `candidates` that every operand casts to safely, an array by its dtype
/// and a number (or a 0-d tensor with a value) by its value where
/// resultType looks at values. `uint8_array | 300` is int16, where the
/// uniform rule of resultType (add) gives uint16.
std::optional<DType> loopType(const std::vector<Operand> &operands,
                              llvm::ArrayRef<DType> candidates);
/// "float64", "int32", "bool", ...; and back (nullopt if unknown).
const char *dtypeName(DType dtype);
std::optional<DType> parseDType(const std::string &name);

//===----------------------------------------------------------------------===//
// Creation
//===----------------------------------------------------------------------===//

/// A tensor holding `data` (a borrowed NDArray is used without a copy).
Tensor fromArray(NDArray data, const ChunkSize &chunks = {});
Tensor fromArray(std::shared_ptr<const NDArray> data,
                 const ChunkSize &chunks = {});
Tensor full(const Shape &shape, Scalar value, std::optional<DType> dtype = {},
            const ChunkSize &chunks = {});
Tensor zeros(const Shape &shape, DType dtype = DType::F64,
             const ChunkSize &chunks = {});
Tensor ones(const Shape &shape, DType dtype = DType::F64,
            const ChunkSize &chunks = {});
/// numpy.arange: ceil((stop - start) / step) values.
Tensor arange(double start, double stop, double step, DType dtype,
              const ChunkSize &chunks = {});
Tensor linspace(double start, double stop, int64_t num, bool endpoint,
                DType dtype = DType::F64, const ChunkSize &chunks = {});
/// numpy.eye(n, m, k); no m: m = n. `sparse`: a sparse matrix holding
/// only its ones (Mars's eye(..., sparse=True)).
Tensor eye(int64_t n, std::optional<int64_t> m = std::nullopt, int64_t k = 0,
           DType dtype = DType::F64, const ChunkSize &chunks = {},
           bool sparse = false);

/// The matrix `x` (2-D) stored sparsely: its elements that are not zero
/// (scipy.sparse.csr_matrix(x)). A sparse `x` is returned as it is.
Tensor toSparse(const Tensor &x);
/// The sparse matrix `x` with every element stored (scipy's toarray()). A
/// dense `x` is returned as it is.
Tensor toDense(const Tensor &x);
/// Philox streams keyed by `seed`: the same numbers for any chunking. With
/// a `density`, a sparse matrix (2-D) that stores each element with that
/// probability, holding the dense draw's value there (Mars's
/// randint(density=), scipy.sparse.random with independent elements).
Tensor randomUniform(uint64_t seed, double low, double high,
                     const Shape &shape, DType dtype = DType::F64,
                     const ChunkSize &chunks = {},
                     std::optional<double> density = std::nullopt);
Tensor randomNormal(uint64_t seed, double loc, double scale,
                    const Shape &shape, DType dtype = DType::F64,
                    const ChunkSize &chunks = {},
                    std::optional<double> density = std::nullopt);
/// Integers in [low, high).
Tensor randomIntegers(uint64_t seed, int64_t low, int64_t high,
                      const Shape &shape, DType dtype = DType::I64,
                      const ChunkSize &chunks = {},
                      std::optional<double> density = std::nullopt);

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// numpy's ufunc of `fn` (negative, absolute, sqrt, ...), with numpy's type
/// resolution (integers to float64 for the float functions).
Tensor unary(UnaryFn fn, const Operand &x);
/// numpy's ufunc of `fn` (add, true_divide, less, ...) with broadcasting
/// and numpy's type promotion.
Tensor binary(BinaryFn fn, const Operand &a, const Operand &b);
/// The operators &, |, ^, ~ (numpy's bitwise functions): bit by bit on
/// integers, logical on bools.
Tensor bitwiseAnd(const Operand &a, const Operand &b);
Tensor bitwiseOr(const Operand &a, const Operand &b);
Tensor bitwiseXor(const Operand &a, const Operand &b);
Tensor invert(const Operand &x);
/// The functions by numpy's name ("negative", "true_divide", "sum"), for
/// front ends that dispatch by name; nullopt when Mars has no such function.
std::optional<UnaryFn> unaryFunction(const std::string &numpyName);
std::optional<BinaryFn> binaryFunction(const std::string &numpyName);
std::optional<ReduceFn> reduceFunction(const std::string &numpyName);

Tensor where(const Operand &cond, const Operand &x, const Operand &y);

/// Complex numbers (complex64, complex128; docs/Complex.md). numpy.real and
/// numpy.imag: the parts, in float32 or float64 (a real tensor is its own
/// real part; its imaginary part is zeros of its dtype).
Tensor real(const Tensor &x);
Tensor imag(const Tensor &x);
/// numpy.conjugate (a real tensor is its own).
Tensor conj(const Tensor &x);
/// numpy.angle: arctan2(imag, real), in degrees when `deg`.
Tensor angle(const Tensor &x, bool deg = false);
/// The complex numbers re + im * 1j with both parts kept bit for bit
/// (broadcast; complex64 for float32 parts, complex128 otherwise).
Tensor makeComplex(const Operand &re, const Operand &im);
/// numpy.reciprocal: 1/x in x's dtype (integers: 1.0/x truncated, as
/// numpy's integer loop; bool has no loop).
Tensor reciprocal(const Tensor &x);
Tensor astype(const Tensor &x, DType dtype);

Tensor operator+(const Operand &a, const Operand &b);
Tensor operator-(const Operand &a, const Operand &b);
Tensor operator*(const Operand &a, const Operand &b);
Tensor operator/(const Operand &a, const Operand &b);
Tensor operator<(const Operand &a, const Operand &b);
Tensor operator<=(const Operand &a, const Operand &b);
Tensor operator>(const Operand &a, const Operand &b);
Tensor operator>=(const Operand &a, const Operand &b);
Tensor operator-(const Tensor &x);

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// numpy's reduction `fn` over `axes` (nullopt: every axis; negative axes
/// count from the end). Arg reductions take at most one axis.
Tensor reduce(ReduceFn fn, const Tensor &x,
              std::optional<std::vector<int64_t>> axes = std::nullopt,
              bool keepdims = false, int64_t ddof = 0);
Tensor sum(const Tensor &x,
           std::optional<std::vector<int64_t>> axes = std::nullopt,
           bool keepdims = false);
Tensor mean(const Tensor &x,
            std::optional<std::vector<int64_t>> axes = std::nullopt,
            bool keepdims = false);

/// numpy's cumsum, cumprod, nancumsum or nancumprod along `axis` (nullopt:
/// of the flattened tensor), in numpy's accumulation dtype.
Tensor scan(ScanFn fn, const Tensor &x,
            std::optional<int64_t> axis = std::nullopt);

//===----------------------------------------------------------------------===//
// Sorting and selection
//===----------------------------------------------------------------------===//

/// numpy.sort along `axis` (nullopt: of the flattened tensor): NaN last.
/// Every numpy `kind` gives this result (signed zeros sort -0.0 first).
Tensor sort(const Tensor &x, std::optional<int64_t> axis = -1);
/// numpy.argsort along `axis`, int64; numpy's stable order for every kind.
Tensor argsort(const Tensor &x, std::optional<int64_t> axis = -1);
/// numpy.sort(x, axis) at the positions `kth` along the axis (negative
/// ones from the end; nullopt axis: of the flattened tensor), found by
/// selection (numpy.partition's algorithm): O(n) per lane, not a sort.
/// numpy's ValueError for a position out of bounds. With `indices`: the
/// positions of numpy.argsort(x, axis, kind='stable') there instead (int64),
/// O(n + k log k) per lane for a run of k consecutive positions.
/// The values of a 1-d lane longer than one part (at most 16 positions)
/// come by radix selection over parts of `partLength` elements, read part
/// by part: a NaN position then gives the quiet NaN. `partLength` 0: a
/// chunk of the lane (the chunk size asked for, else `chunkLength`, the
/// length the executing session's tiling gives it, else mars-tile's at its
/// default chunk bytes), long enough that the parts' counts (65536 int64
/// per position) are at most half the bytes of the data.
Tensor sortedAt(const Tensor &x, const std::vector<int64_t> &kth,
                std::optional<int64_t> axis = -1, bool indices = false,
                int64_t partLength = 0, int64_t chunkLength = 0);
/// numpy.searchsorted(a, v, side): `a` is 1-D and sorted; both are compared
/// in numpy.result_type(a, v). int64, `v`'s shape.
Tensor searchsorted(const Tensor &a, const Operand &v,
                    const std::string &side = "left");
/// numpy.take(x, indices, axis, mode=mode) (nullopt axis: of the flattened
/// tensor); mode is "raise", "wrap" or "clip". Integer or bool indices.
Tensor take(const Tensor &x, const Tensor &indices,
            std::optional<int64_t> axis = std::nullopt,
            const std::string &mode = "raise");
/// numpy.take_along_axis(x, indices, axis): x and indices broadcast against
/// each other on every axis but `axis` (nullopt: x flattened, 1-D indices).
Tensor takeAlongAxis(const Tensor &x, const Tensor &indices,
                     std::optional<int64_t> axis);
/// numpy.bincount(x, weights) with `length` bins (numpy's length is
/// max(x) + 1 or minlength: a front end that follows it executes x's
/// maximum first): int64 counts, or f64 sums of the weights (x's shape) in
/// x's order. A negative element fails when run (numpy's ValueError).
Tensor bincount(const Tensor &x, int64_t length,
                const std::optional<Tensor> &weights = std::nullopt);
/// numpy.put(x, indices, values, mode) as a value: a copy of `x` whose
/// flat positions (C order) `indices` hold `values`, cast to x's dtype
/// (flattened, repeated when shorter, ignored when empty; a repeated
/// position gets the later value). `x` keeps its values. Every
/// front-end assignment that is not a `where` builds on this.
Tensor put(const Tensor &x, const Tensor &indices, const Operand &values,
           const std::string &mode = "raise");

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

/// Reverses the axes when `perm` is nullopt.
Tensor transpose(const Tensor &x,
                 std::optional<std::vector<int64_t>> perm = std::nullopt);
/// One dimension may be -1.
Tensor reshape(const Tensor &x, const Shape &shape);
Tensor broadcastTo(const Tensor &x, const Shape &shape);
Tensor expandDims(const Tensor &x, const std::vector<int64_t> &axes);
Tensor squeeze(const Tensor &x,
               std::optional<std::vector<int64_t>> axes = std::nullopt);
Tensor flip(const Tensor &x,
            std::optional<std::vector<int64_t>> axes = std::nullopt);
/// The diagonals lower..upper of the last two axes (j - i in [lower,
/// upper] at [..., i, j]), zeros elsewhere; sparse for a sparse matrix
/// (the stored elements in the band). Needs two dimensions.
Tensor band(const Tensor &x, int64_t lower, int64_t upper);
/// numpy.tril/triu: zeros above (below) the k-th diagonal; a 1-D input
/// broadcasts to a square matrix, as numpy's does; sparse for a sparse
/// matrix (scipy.sparse.tril/triu's elements).
Tensor tril(const Tensor &x, int64_t k = 0);
Tensor triu(const Tensor &x, int64_t k = 0);
Tensor concatenate(const std::vector<Tensor> &xs, int64_t axis = 0);
Tensor stack(const std::vector<Tensor> &xs, int64_t axis = 0);

/// One item of a basic numpy index.
struct IndexItem {
  enum class Kind { Int, Slice, NewAxis, Ellipsis } kind = Kind::Slice;
  int64_t index = 0;
  std::optional<int64_t> start, stop;
  int64_t step = 1;

  static IndexItem at(int64_t i) { return {Kind::Int, i, {}, {}, 1}; }
  static IndexItem slice(std::optional<int64_t> start = {},
                         std::optional<int64_t> stop = {}, int64_t step = 1) {
    return {Kind::Slice, 0, start, stop, step};
  }
  static IndexItem newAxis() { return {Kind::NewAxis, 0, {}, {}, 1}; }
  static IndexItem ellipsis() { return {Kind::Ellipsis, 0, {}, {}, 1}; }
};
/// x[items...] with numpy's basic indexing.
Tensor index(const Tensor &x, const std::vector<IndexItem> &items);
/// The same values in chunks of `chunks`.
Tensor rechunk(const Tensor &x, const ChunkSize &chunks);

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

/// numpy.matmul: 1-D and 2-D operands, and stacks of matrices (batch
/// dimensions broadcast, 1-D operands promoted and dropped).
Tensor matmul(const Tensor &a, const Tensor &b);
Tensor dot(const Tensor &a, const Tensor &b);
Tensor tensordot(const Tensor &a, const Tensor &b,
                 const std::vector<int64_t> &aAxes,
                 const std::vector<int64_t> &bAxes);
/// numpy.tensordot(a, b, axes=n): a's last n axes with b's first n.
Tensor tensordot(const Tensor &a, const Tensor &b, int64_t n);


/// numpy.linalg's decompositions, inverses and solvers of stacks of
/// matrices (lib/API/Linalg.cpp). Operands are float; integers and bools
/// compute in float64 and float32 computes in float64 and returns float32,
/// as numpy does. Fewer than two dimensions or a non-square matrix where
/// one is needed is numpy's LinAlgError (ErrorKind::LinAlg), as are the
/// failures found while running (a singular matrix).
namespace linalg {
Tensor inv(const Tensor &a);
/// numpy.linalg.solve: `b` is a stack of vectors when it has one dimension
/// less than `a`, of matrices otherwise; batch dimensions broadcast.
Tensor solve(const Tensor &a, const Tensor &b);
/// scipy.linalg.solve_triangular(a, b, lower=, unit_diagonal=,
/// check_finite=), for stacks too; only the triangle of `a` is read (and
/// checked, as scipy checks all of it: a NaN anywhere in `a` fails).
/// `numpyErrors`: a singular `a` fails with numpy.linalg.solve's sentence
/// (mars.solve's `numpy_errors`; for solves by tiles).
Tensor solveTriangular(const Tensor &a, const Tensor &b, bool lower,
                       bool unitDiagonal, bool checkFinite = true,
                       bool numpyErrors = false);
Tensor cholesky(const Tensor &a);
Tensor det(const Tensor &a);
/// numpy.linalg.slogdet: {sign, logabsdet}.
std::vector<Tensor> slogdet(const Tensor &a);
/// numpy.linalg.qr with mode 'reduced' or 'complete' ({Q, R}) or 'r' ({R});
/// with `positive`, R's diagonal is non-negative (mars.qr's `positive`).
/// Mode 'wy' ({WY}, m >= n) is the factorisation in compact WY form
/// (mars.qr's part "wy"), from which the tiled QR and mode 'raw' are made.
std::vector<Tensor> qr(const Tensor &a, const std::string &mode,
                       bool positive = false);
/// numpy.linalg.svd: {U, S, Vh}, or {S} without `computeUV`.
std::vector<Tensor> svd(const Tensor &a, bool fullMatrices, bool computeUV);
/// numpy.linalg.eigh ({w, v}) and eigvalsh ({w}), reading the 'L' or 'U'
/// triangle.
std::vector<Tensor> eigh(const Tensor &a, const std::string &uplo,
                         bool vectors);
/// scipy.linalg.lu: {P, L, U, perm, LU, det(P)} with a = P @ L @ U, perm
/// P's row positions (int64, a[perm] = L @ U) and LU both factors packed as
/// getrf leaves them (mars.lu's parts); `checkFinite`: a NaN or infinity in
/// `a` fails when executed (a ValueError, as scipy's).
std::vector<Tensor> lu(const Tensor &a, bool checkFinite = true);
} // namespace linalg

} // namespace mars::api

#endif // MARS_API_TENSOR_H
