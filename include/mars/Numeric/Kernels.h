//===- Kernels.h - numpy semantics of every Mars op on whole arrays -*- C++ -*-===//
//
// These functions *define* what Mars programs compute. They are written for
// obviousness, not speed: the reference evaluator runs programs with them and
// the constant folder folds with them, and every faster path (tiled, fused,
// compiled, distributed, GPU) is tested against them.
//
// Inputs are assumed to satisfy the op verifiers (shapes and dtypes agree);
// conditions numpy reports at run time (integer to a negative power, reducing
// an empty array without identity) come back as llvm::Error.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_NUMERIC_KERNELS_H
#define MARS_NUMERIC_KERNELS_H

#include "mars/Numeric/NDArray.h"

#include "llvm/Support/Error.h"

#include <cmath>
#include <optional>
#include <type_traits>

namespace mars::numeric {

/// Whether `x` is a NaN (never, for integers and bool).
template <typename T>
bool isNaN(T x) {
  if constexpr (std::is_floating_point_v<T>)
    return std::isnan(x);
  else
    return false;
}

enum class UnaryFn {
  Neg, Abs, Sqrt, Square, Exp, Log, Sin, Cos, Tanh, Floor, Ceil, Sign, IsNan,
  LogicalNot, Tan, Arcsin, Arccos, Arctan, Sinh, Cosh, Arcsinh, Arccosh,
  Arctanh, Log2, Log10, Log1p, Exp2, Expm1, Cbrt, Trunc, Rint, IsInf,
  IsFinite, SignBit, Degrees, Radians, Invert, Erf, Erfc, Gamma, Lgamma
};

/// numpy's factor for degrees (180/pi) or radians (pi/180), computed in T
/// as numpy's float32 loops do.
template <typename T>
constexpr T angleScale(UnaryFn fn) {
  constexpr T pi = T(3.141592653589793238462643383279502884);
  return fn == UnaryFn::Degrees ? T(180) / pi : pi / T(180);
}

enum class BinaryFn {
  Add, Sub, Mul, Div, FloorDiv, Mod, Pow, Maximum, Minimum,
  Eq, Ne, Lt, Le, Gt, Ge, LogicalAnd, LogicalOr, LogicalXor, Arctan2, Fmax,
  Fmin, Hypot, Copysign, Nextafter, Logaddexp, Logaddexp2, Heaviside, Fmod,
  BitwiseAnd, BitwiseOr, BitwiseXor, LeftShift, RightShift, Gcd, Lcm, Ldexp
};

/// Every reduction; its algebra is its row in Reductions.h's table.
enum class ReduceFn {
  Sum, Prod, Min, Max, Mean, Var, Std, ArgMin, ArgMax, Any, All, CountNonzero,
  NanSum
};
/// How many ReduceFns there are (keep it after the last enumerator).
constexpr size_t kNumReduceFns = static_cast<size_t>(ReduceFn::NanSum) + 1;

/// numpy's broadcast of several shapes, or nullopt when they do not broadcast.
std::optional<Shape> broadcastShapes(llvm::ArrayRef<Shape> shapes);

// Elementwise (with numpy broadcasting; `resultType` is the verified result
// dtype: the operand dtype or bool for predicates).
llvm::Expected<NDArray> unary(UnaryFn fn, const NDArray &x, DType resultType);
llvm::Expected<NDArray> binary(BinaryFn fn, const NDArray &lhs,
                               const NDArray &rhs, DType resultType);
NDArray where(const NDArray &cond, const NDArray &x, const NDArray &y);
/// numpy's astype, with float->int of NaN or out-of-range values defined as
/// the target's minimum (what x86 numpy produces).
NDArray cast(const NDArray &x, DType to);

// Reductions. `axes` are normalised (0 <= axis < rank), sorted and unique;
// arg reductions take at most one axis (none = over the flattened array).
// `x` may be a CSR matrix when reducesCsr(fn): the result (dense) is its
// dense form's, bit for bit.
llvm::Expected<NDArray> reduce(ReduceFn fn, const NDArray &x,
                               llvm::ArrayRef<int64_t> axes, bool keepDims,
                               int64_t ddof, DType resultType);
/// Whether reduce() takes a CSR matrix for `fn`: min, max, argmin, argmax,
/// prod, any and all, whose lanes give their dense result from the stored
/// elements and one zero not stored (the others change nothing).
bool reducesCsr(ReduceFn fn);

// Shape manipulation.
NDArray transpose(const NDArray &x, llvm::ArrayRef<int64_t> perm);
NDArray broadcastTo(const NDArray &x, llvm::ArrayRef<int64_t> shape);
/// Per dimension, the numpy-normalised start, step and element count.
struct SliceDim {
  int64_t start, step, count;
};
/// numpy's slice.indices(): normalises optional start/stop against `dimSize`.
SliceDim normalizeSlice(std::optional<int64_t> start,
                        std::optional<int64_t> stop, int64_t step,
                        int64_t dimSize);
NDArray slice(const NDArray &x, llvm::ArrayRef<SliceDim> dims);
NDArray concatenate(llvm::ArrayRef<const NDArray *> xs, int64_t axis);
NDArray stack(llvm::ArrayRef<const NDArray *> xs, int64_t axis);

// Complex numbers (complex64, complex128): the only kernels that read or
// write their elements other than as bytes.
/// The real (`imag` false) or imaginary parts of a complex array, as an
/// array of the parts' float dtype.
NDArray complexPart(const NDArray &z, bool imag);
/// The complex array with these parts (float32 or float64 arrays of one
/// shape and dtype), bit for bit.
NDArray makeComplex(const NDArray &re, const NDArray &im);

// Linear algebra (accumulating in the result dtype, integers wrapping).
NDArray matmul(const NDArray &a, const NDArray &b);
NDArray tensordot(const NDArray &a, const NDArray &b,
                  llvm::ArrayRef<int64_t> aAxes, llvm::ArrayRef<int64_t> bAxes);

// Creation. The creation kernels can produce any box of the tensor they
// define: `offset`/`origin` place the box's first element in the whole
// tensor (of length `total` / shape `global`, which default to the box
// itself), and every element gets exactly the value it has in the whole
// tensor. That is what lets tiled engines create chunks independently.
/// `value` is a 0-d array; the result holds it cast to `dtype` everywhere.
NDArray full(DType dtype, Shape shape, const NDArray &value);
NDArray arange(DType dtype, int64_t n, double start, double step,
               int64_t offset = 0);
NDArray linspace(DType dtype, int64_t n, double start, double stop,
                 bool endpoint, int64_t offset = 0, int64_t total = -1);
NDArray eye(DType dtype, int64_t rows, int64_t cols, int64_t k,
            int64_t rowOffset = 0, int64_t colOffset = 0);
NDArray randomUniform(DType dtype, Shape shape, uint64_t seed, double low,
                      double high, llvm::ArrayRef<int64_t> global = {},
                      llvm::ArrayRef<int64_t> origin = {});
NDArray randomNormal(DType dtype, Shape shape, uint64_t seed, double loc,
                     double scale, llvm::ArrayRef<int64_t> global = {},
                     llvm::ArrayRef<int64_t> origin = {});
NDArray randomIntegers(DType dtype, Shape shape, uint64_t seed, int64_t low,
                       int64_t high, llvm::ArrayRef<int64_t> global = {},
                       llvm::ArrayRef<int64_t> origin = {});
/// Sparse random matrices: the box (`shape` at `origin`) of the `global`
/// matrix that stores each element with probability `density`,
/// independently, as CSR. A stored element holds what the dense op draws
/// at its index. Rows are cut into segments of a fixed number of columns
/// (a power of two, at least 4096 and 1 / density); segment s of row r
/// stores the partial sums of 1 + gap_k from its first column, gap_k =
/// floor(log(u_k) / log(1 - density)) geometric, u_k in (0, 1] from the
/// Philox block with counter (k, s, r, top bit set) keyed by the seed: a
/// stream apart from the elements' (whose counters stay below 2^63), the
/// same for every box that holds part of the segment, so any tiling gives
/// one matrix, and a box draws about its stored elements plus one gap per
/// row and segment it overlaps.
/// A bound that the number of successes of `trials` Bernoulli(`p`) draws
/// passes with probability below 10^-19 (Bernstein's inequality), at most
/// `trials`: what a task reserves for a chunk of a sparse random draw.
int64_t binomialBound(int64_t trials, double p);
NDArray randomUniformCsr(DType dtype, Shape shape, uint64_t seed, double low,
                         double high, double density,
                         llvm::ArrayRef<int64_t> global,
                         llvm::ArrayRef<int64_t> origin);
NDArray randomNormalCsr(DType dtype, Shape shape, uint64_t seed, double loc,
                        double scale, double density,
                        llvm::ArrayRef<int64_t> global,
                        llvm::ArrayRef<int64_t> origin);
NDArray randomIntegersCsr(DType dtype, Shape shape, uint64_t seed,
                          int64_t low, int64_t high, double density,
                          llvm::ArrayRef<int64_t> global,
                          llvm::ArrayRef<int64_t> origin);

/// Copies the box of `src` starting at `srcLo` with `sizes` into `dst` at
/// `dstLo` (both arrays of one dtype and rank).
void copyBox(const NDArray &src, llvm::ArrayRef<int64_t> srcLo, NDArray &dst,
             llvm::ArrayRef<int64_t> dstLo, llvm::ArrayRef<int64_t> sizes);

} // namespace mars::numeric

#endif // MARS_NUMERIC_KERNELS_H
