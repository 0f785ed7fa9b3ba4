//===- Complex.cpp - complex64 and complex128 in the tensor API ----------===//
//
// Complex tensors are stored only (numeric::isComplex): the ops that move
// elements take them, and mars.real, mars.imag and mars.complex convert them
// to and from their float parts. Everything else is composed here from the
// parts, with numpy's formulas (its loops in umath/loops.c.src), so that
// the composed ops fuse into the same kernels as real arithmetic and run on
// every engine:
//
//   (a + bi)(c + di) = (ac - bd) + (ad + bc)i
//   (a + bi)/(c + di): Smith's algorithm, as numpy's CDOUBLE_divide
//   |a + bi| = hypot(a, b); angle = arctan2(b, a)
//   sum, mean: of each part; prod: a tree of complex products
//   matmul, dot, tensordot: (A + Bi)(C + Di) = (AC - BD) + (AD + BC)i
//
// A real operand next to a complex one is converted as numpy converts it
// (imaginary part +0.0), so signed zeros and NaNs come out as numpy's.
//
//===----------------------------------------------------------------------===//

#include "Builder.h"
#include "Complex.h"

#include "mars/Dialect/Mars/IR/Mars.h"

#include <numeric>

using namespace mlir;
using namespace mars;
using namespace mars::api;
using namespace mars::api::graph;
using numeric::DType;

namespace {

/// An operand as complex parts of one float dtype.
struct Parts {
  Tensor re, im;
};

const char *kSupported =
    "Mars computes complex add, subtract, multiply, divide, negative, "
    "positive, square, reciprocal, absolute, conjugate, real, imag, angle, "
    "comparisons, isnan, isinf, isfinite, where, sum, mean, prod, var, std, "
    "any, all, count_nonzero, nansum, cumsum, nancumsum, integer powers, "
    "matmul, dot, tensordot, take, indexing and the shape functions";

} // namespace

Tensor graph::notForComplex(const char *label) {
  return fail(ErrorKind::NotImplemented, label,
              std::string(label) + " of complex numbers is not supported by "
                                   "Mars yet (" + kSupported + ")");
}

namespace {

/// A number's real part (itself when real) and imaginary part.
Scalar realOf(const Scalar &s) {
  return s.kind == Scalar::Kind::Complex ? Scalar(s.f) : s;
}
Scalar imagOf(const Scalar &s) {
  return Scalar(s.kind == Scalar::Kind::Complex ? s.imag : 0.0);
}

/// The real and imaginary parts of `o` in `part` (float32 or float64).
Parts partsOf(const Operand &o, DType part, const char *label) {
  if (o.scalar)
    return {scalarTensor(realOf(*o.scalar), part, label),
            scalarTensor(imagOf(*o.scalar), part, label)};
  const Tensor &t = o.tensor;
  if (!t.ok())
    return {t, t};
  if (!numeric::isComplex(t.dtype()))
    return {castTo(t, part, label), scalarTensor(Scalar(0.0), part, label)};
  const DType own = numeric::complexPart(t.dtype());
  Tensor re = makeNode(label, RealOp::getOperationName(), {t}, own, t.shape(),
                       {});
  Tensor im = makeNode(label, ImagOp::getOperationName(), {t}, own, t.shape(),
                       {});
  return {castTo(re, part, label), castTo(im, part, label)};
}

/// The number `v` as a 0-d tensor of `t`'s dtype: a Python number next to
/// 0-d operands would count by its own dtype (float64) and widen them.
Tensor like(double v, const Tensor &t) {
  return scalarTensor(Scalar(v), t.ok() ? t.dtype() : DType::F64, "complex");
}

Tensor add(const Tensor &a, const Tensor &b) {
  return api::binary(BinaryFn::Add, a, b);
}
Tensor sub(const Tensor &a, const Tensor &b) {
  return api::binary(BinaryFn::Sub, a, b);
}
Tensor mul(const Tensor &a, const Tensor &b) {
  return api::binary(BinaryFn::Mul, a, b);
}
Tensor div(const Tensor &a, const Tensor &b) {
  return api::binary(BinaryFn::Div, a, b);
}

/// numpy's CLT / CLE (umath's lexicographic order of complex numbers:
/// by real part, then imaginary part; a NaN in an imaginary part makes
/// the real parts' order not count).
Tensor lexicographic(const Parts &x, const Parts &y, bool orEqual) {
  Tensor noNan = api::binary(
      BinaryFn::LogicalAnd, api::unary(UnaryFn::LogicalNot, api::unary(UnaryFn::IsNan, x.im)),
      api::unary(UnaryFn::LogicalNot, api::unary(UnaryFn::IsNan, y.im)));
  Tensor before = api::binary(BinaryFn::LogicalAnd,
                              api::binary(BinaryFn::Lt, x.re, y.re), noNan);
  Tensor tie = api::binary(
      BinaryFn::LogicalAnd, api::binary(BinaryFn::Eq, x.re, y.re),
      api::binary(orEqual ? BinaryFn::Le : BinaryFn::Lt, x.im, y.im));
  return api::binary(BinaryFn::LogicalOr, before, tie);
}

/// numpy's CDOUBLE_divide: Smith's algorithm, dividing by the larger part
/// of the divisor; a zero divisor gives x / 0 per part (infinities or NaN).
Parts divide(const Parts &x, const Parts &y) {
  Tensor absRe = api::unary(UnaryFn::Abs, y.re);
  Tensor absIm = api::unary(UnaryFn::Abs, y.im);
  Tensor reBigger = api::binary(BinaryFn::Ge, absRe, absIm);
  Tensor zero = api::binary(
      BinaryFn::LogicalAnd, api::binary(BinaryFn::Eq, absRe, Scalar(0.0)),
      api::binary(BinaryFn::Eq, absIm, Scalar(0.0)));
  // |y.re| >= |y.im|, not both zero.
  Tensor rat1 = div(y.im, y.re);
  Tensor scl1 = div(like(1.0, rat1), add(y.re, mul(y.im, rat1)));
  Tensor re1 = mul(add(x.re, mul(x.im, rat1)), scl1);
  Tensor im1 = mul(sub(x.im, mul(x.re, rat1)), scl1);
  // Both zero.
  Tensor re0 = div(x.re, absRe), im0 = div(x.im, absRe);
  // |y.re| < |y.im| (or a NaN).
  Tensor rat2 = div(y.re, y.im);
  Tensor scl2 = div(like(1.0, rat2), add(y.im, mul(y.re, rat2)));
  Tensor re2 = mul(add(mul(x.re, rat2), x.im), scl2);
  Tensor im2 = mul(sub(mul(x.im, rat2), x.re), scl2);
  auto pick = [&](const Tensor &p0, const Tensor &p1, const Tensor &p2) {
    return api::where(reBigger, api::where(zero, p0, p1), p2);
  };
  return {pick(re0, re1, re2), pick(im0, im1, im2)};
}

/// An axis list as reduce() takes it, every axis for none.
std::vector<int64_t> allAxes(const Tensor &x,
                             const std::optional<std::vector<int64_t>> &axes) {
  if (axes)
    return *axes;
  std::vector<int64_t> all(x.ndim());
  std::iota(all.begin(), all.end(), 0);
  return all;
}

/// prod of complex numbers: the reduced axes moved last and flattened,
/// then halved by multiplying neighbours (an odd count padded with 1) until
/// one is left, a tree of complex products (numpy multiplies in order:
/// the same product up to rounding, unless a partial one overflows or
/// underflows).
Tensor complexProd(const Tensor &x, std::optional<std::vector<int64_t>> axes,
                   bool keepdims, const char *label) {
  std::vector<int64_t> reduced = allAxes(x, axes);
  const int64_t ndim = x.ndim();
  if (auto err = normalizeAxes(reduced, ndim, label))
    return Tensor::failure(*err);
  llvm::sort(reduced);
  std::vector<int64_t> perm;
  Shape kept, out;
  int64_t n = 1;
  for (int64_t d = 0; d < ndim; ++d) {
    if (llvm::is_contained(reduced, d)) {
      n *= x.shape()[d];
      if (keepdims)
        out.push_back(1);
      continue;
    }
    perm.push_back(d);
    kept.push_back(x.shape()[d]);
    out.push_back(x.shape()[d]);
  }
  perm.insert(perm.end(), reduced.begin(), reduced.end());
  Shape flat = kept;
  flat.push_back(n);
  Tensor v = api::reshape(api::transpose(x, perm), flat);
  if (n == 0)
    return api::full(out, Scalar(int64_t(1)), x.dtype());
  while (n > 1) {
    if (n % 2) {
      Shape one = kept;
      one.push_back(1);
      v = api::concatenate({v, api::full(one, Scalar(int64_t(1)), x.dtype())},
                           -1);
      ++n;
    }
    Shape pairs = kept;
    pairs.push_back(n / 2);
    pairs.push_back(2);
    Tensor p = api::reshape(v, pairs);
    auto half = [&](int64_t i) {
      return api::index(p, {IndexItem::ellipsis(), IndexItem::at(i)});
    };
    v = api::binary(BinaryFn::Mul, half(0), half(1));
    n /= 2;
  }
  return api::reshape(v, out);
}

/// numpy's nc_pow for an integer exponent |n| < 100 (umath's
/// funcs.inc.src): 1 for n = 0, a zero base gives 0 (n > 0) or NaN, else
/// products by binary exponentiation, and for n < 0 the reciprocal by
/// complex division.
Tensor integerPower(const Tensor &z, int64_t n, const char *label) {
  const DType part = numeric::complexPart(z.dtype());
  if (n == 0)
    return api::full(z.shape(), Scalar(1.0), z.dtype());
  Tensor r;
  if (n == 1)
    r = z;
  else if (n == 2)
    r = api::binary(BinaryFn::Mul, z, z);
  else if (n == 3)
    r = api::binary(BinaryFn::Mul, z, api::binary(BinaryFn::Mul, z, z));
  else {
    uint64_t m = n < 0 ? -n : n, mask = 1;
    Tensor p = z;
    std::optional<Tensor> acc;
    while (true) {
      if (m & mask) // numpy multiplies 1+0j by the first factor too.
        acc = api::binary(BinaryFn::Mul,
                          acc ? *acc : api::full({}, Scalar(1.0), z.dtype()),
                          p);
      mask <<= 1;
      if (m < mask)
        break;
      p = api::binary(BinaryFn::Mul, p, p);
    }
    r = *acc;
  }
  if (n < 0) { // nc_quot(1, r): numpy's complex division (Smith's).
    Parts q = divide({scalarTensor(Scalar(1.0), part, label),
                      scalarTensor(Scalar(0.0), part, label)},
                     partsOf(r, part, label));
    r = makeComplex(q.re, q.im);
  }
  Parts x = partsOf(z, part, label);
  Tensor isZero = api::binary(
      BinaryFn::LogicalAnd, api::binary(BinaryFn::Eq, x.re, Scalar(0.0)),
      api::binary(BinaryFn::Eq, x.im, Scalar(0.0)));
  const double atZero = n > 0 ? 0.0 : std::nan("");
  return api::where(isZero,
                    api::full({}, Scalar::complex(atZero, atZero), z.dtype()),
                    r);
}

} // namespace

//===----------------------------------------------------------------------===//
// The parts
//===----------------------------------------------------------------------===//

Tensor api::real(const Tensor &x) {
  if (!x.ok() || !numeric::isComplex(x.dtype()))
    return x;
  return makeNode("real", RealOp::getOperationName(), {x},
                  numeric::complexPart(x.dtype()), x.shape(), {});
}

Tensor api::imag(const Tensor &x) {
  if (!x.ok())
    return x;
  if (!numeric::isComplex(x.dtype()))
    return api::zeros(x.shape(), x.dtype());
  return makeNode("imag", ImagOp::getOperationName(), {x},
                  numeric::complexPart(x.dtype()), x.shape(), {});
}

Tensor api::makeComplex(const Operand &re, const Operand &im) {
  const char *label = "complex";
  DType part = resultType({re, im});
  if (numeric::isComplex(part))
    return fail(ErrorKind::Type, label, "the parts must be real numbers");
  part = part == DType::F32 || part == DType::F16 ? DType::F32 : DType::F64;
  Tensor r = resolve(re, part, label), i = resolve(im, part, label);
  if (!r.ok())
    return r;
  if (!i.ok())
    return i;
  std::optional<Shape> shape = numeric::broadcastShapes({r.shape(), i.shape()});
  if (!shape)
    return fail(ErrorKind::Value, label,
                "operands could not be broadcast together with shapes " +
                    numeric::formatShape(r.shape()) + " " +
                    numeric::formatShape(i.shape()));
  r = api::broadcastTo(r, *shape);
  i = api::broadcastTo(i, *shape);
  return makeNode(label, ComplexOp::getOperationName(), {r, i},
                  numeric::complexOf(part), *shape, {});
}

Tensor api::conj(const Tensor &x) {
  if (x.ok() && x.dtype() == DType::Bool) // numpy's loops start at int8.
    return castTo(x, DType::I8, "conjugate");
  if (!x.ok() || !numeric::isComplex(x.dtype()))
    return x;
  return makeComplex(real(x), api::unary(UnaryFn::Neg, imag(x)));
}

Tensor api::angle(const Tensor &x, bool deg) {
  if (!x.ok())
    return x;
  // numpy: arctan2(z.imag, z.real), or arctan2(0, z) with a Python 0 for
  // a real z (float16 for int8, as numpy's loops); degrees by `a *= 180/pi`,
  // in place for an array (a's dtype), a new float64 for a numpy scalar.
  Tensor a = numeric::isComplex(x.dtype())
                 ? api::binary(BinaryFn::Arctan2, imag(x), real(x))
                 : api::binary(BinaryFn::Arctan2, Scalar(int64_t(0)), x);
  if (!deg || !a.ok())
    return a;
  Tensor d = api::binary(BinaryFn::Mul, a, Scalar(180.0 / M_PI));
  return a.ndim() == 0 ? d : castTo(d, a.dtype(), "angle");
}

//===----------------------------------------------------------------------===//
// The functions of the other files, for complex operands
//===----------------------------------------------------------------------===//

bool graph::involvesComplex(std::initializer_list<const Operand *> ops) {
  for (const Operand *o : ops) {
    if (o->scalar ? o->scalar->kind == Scalar::Kind::Complex
                  : o->tensor.ok() && numeric::isComplex(o->tensor.dtype()))
      return true;
  }
  return false;
}

Tensor graph::complexBinary(BinaryFn fn, const char *label, const Operand &a,
                            const Operand &b) {
  const DType d = resultType({a, b});
  const DType part = numeric::complexPart(d);
  Parts x = partsOf(a, part, label), y = partsOf(b, part, label);
  for (const Tensor *t : {&x.re, &x.im, &y.re, &y.im})
    if (!t->ok())
      return *t;
  switch (fn) {
  case BinaryFn::Add:
    return makeComplex(add(x.re, y.re), add(x.im, y.im));
  case BinaryFn::Sub:
    return makeComplex(sub(x.re, y.re), sub(x.im, y.im));
  case BinaryFn::Mul:
    return makeComplex(sub(mul(x.re, y.re), mul(x.im, y.im)),
                       add(mul(x.re, y.im), mul(x.im, y.re)));
  case BinaryFn::Div: {
    Parts q = divide(x, y);
    return makeComplex(q.re, q.im);
  }
  case BinaryFn::Pow: {
    // numpy's integer exponents below 100 in magnitude, given as numbers.
    const std::optional<Scalar> &e = b.scalar;
    const double im = e && e->kind == Scalar::Kind::Complex ? e->imag : 0;
    if (a.scalar || !e || im != 0 || !(std::fabs(e->f) < 100) ||
        e->f != std::trunc(e->f))
      return fail(ErrorKind::NotImplemented, label,
                  "power of complex numbers is supported for integer "
                  "exponents below 100 in magnitude given as numbers (" +
                      std::string(kSupported) + ")");
    return integerPower(castTo(a.tensor, d, label),
                        static_cast<int64_t>(e->f), label);
  }
  case BinaryFn::Eq:
    return api::binary(BinaryFn::LogicalAnd,
                       api::binary(BinaryFn::Eq, x.re, y.re),
                       api::binary(BinaryFn::Eq, x.im, y.im));
  case BinaryFn::Ne:
    return api::binary(BinaryFn::LogicalOr,
                       api::binary(BinaryFn::Ne, x.re, y.re),
                       api::binary(BinaryFn::Ne, x.im, y.im));
  case BinaryFn::Lt:
    return lexicographic(x, y, false);
  case BinaryFn::Le:
    return lexicographic(x, y, true);
  case BinaryFn::Gt:
    return lexicographic(y, x, false);
  case BinaryFn::Ge:
    return lexicographic(y, x, true);
  case BinaryFn::FloorDiv:
  case BinaryFn::Mod:
  case BinaryFn::Fmod:
  case BinaryFn::Arctan2:
  case BinaryFn::Hypot:
  case BinaryFn::Copysign:
  case BinaryFn::Nextafter:
  case BinaryFn::Logaddexp:
  case BinaryFn::Logaddexp2:
  case BinaryFn::Heaviside:
  case BinaryFn::BitwiseAnd:
  case BinaryFn::BitwiseOr:
  case BinaryFn::BitwiseXor:
  case BinaryFn::LeftShift:
  case BinaryFn::RightShift:
  case BinaryFn::Gcd:
  case BinaryFn::Lcm:
  case BinaryFn::Ldexp:
    return noSafeLoop(label);
  default:
    return notForComplex(label);
  }
}

Tensor graph::complexUnary(UnaryFn fn, const char *label, const Tensor &z) {
  const DType part = numeric::complexPart(z.dtype());
  Parts x = partsOf(z, part, label);
  switch (fn) {
  case UnaryFn::Neg:
    return makeComplex(api::unary(UnaryFn::Neg, x.re),
                       api::unary(UnaryFn::Neg, x.im));
  case UnaryFn::Abs: // npy_cabs is npy_hypot.
    return api::binary(BinaryFn::Hypot, x.re, x.im);
  case UnaryFn::Square: // numpy's nc_prod of z with itself.
    return makeComplex(sub(mul(x.re, x.re), mul(x.im, x.im)),
                       add(mul(x.re, x.im), mul(x.im, x.re)));
  case UnaryFn::IsNan:
  case UnaryFn::IsInf:
    return api::binary(BinaryFn::LogicalOr, api::unary(fn, x.re),
                       api::unary(fn, x.im));
  case UnaryFn::IsFinite:
    return api::binary(BinaryFn::LogicalAnd, api::unary(fn, x.re),
                       api::unary(fn, x.im));
  case UnaryFn::Floor:
  case UnaryFn::Ceil:
  case UnaryFn::Trunc:
  case UnaryFn::SignBit:
  case UnaryFn::Degrees:
  case UnaryFn::Radians:
  case UnaryFn::Cbrt:
  case UnaryFn::Invert:
    return noSafeLoop(label);
  case UnaryFn::LogicalNot:
    return api::binary(BinaryFn::LogicalAnd,
                       api::binary(BinaryFn::Eq, x.re, Scalar(0.0)),
                       api::binary(BinaryFn::Eq, x.im, Scalar(0.0)));
  default:
    return notForComplex(label);
  }
}

Tensor api::reciprocal(const Tensor &z) {
  const char *label = "reciprocal";
  if (!z.ok())
    return z;
  if (z.dtype() == DType::Bool)
    return fail(ErrorKind::Type, label,
                "ufunc 'reciprocal' did not contain a loop with signature "
                "matching types bool");
  if (numeric::isFloat(z.dtype())) // 1 of z's dtype: a 0-d float32 stays.
    return api::binary(BinaryFn::Div, scalarTensor(Scalar(1.0), z.dtype(), label),
                       z);
  if (!numeric::isComplex(z.dtype())) // numpy: 1.0 / x, truncated.
    return castTo(api::binary(BinaryFn::Div, Scalar(1.0),
                              castTo(z, DType::F64, label)),
                  z.dtype(), label);
  // numpy's CDOUBLE_reciprocal: through the ratio of the smaller part to
  // the larger.
  Parts x = partsOf(z, numeric::complexPart(z.dtype()), label);
  Tensor imSmaller = api::binary(BinaryFn::Le, api::unary(UnaryFn::Abs, x.im),
                                 api::unary(UnaryFn::Abs, x.re));
  Tensor r1 = div(x.im, x.re);
  Tensor d1 = add(x.re, mul(x.im, r1));
  Tensor r2 = div(x.re, x.im);
  Tensor d2 = add(mul(x.re, r2), x.im);
  Tensor one = scalarTensor(Scalar(1.0), r1.ok() ? r1.dtype() : DType::F64,
                            label);
  return makeComplex(
      api::where(imSmaller, div(one, d1), div(r2, d2)),
      api::where(imSmaller, div(api::unary(UnaryFn::Neg, r1), d1),
                 api::unary(UnaryFn::Neg, div(one, d2))));
}

Tensor graph::complexReduce(ReduceFn fn, const char *label, const Tensor &z,
                            std::optional<std::vector<int64_t>> axes,
                            bool keepdims, int64_t ddof) {
  Parts x = partsOf(z, numeric::complexPart(z.dtype()), label);
  auto both = [&](ReduceFn f, const Tensor &re, const Tensor &im) {
    return makeComplex(api::reduce(f, re, axes, keepdims, ddof),
                       api::reduce(f, im, axes, keepdims, ddof));
  };
  switch (fn) {
  case ReduceFn::Sum:
    return both(fn, x.re, x.im);
  case ReduceFn::Mean: {
    // numpy's _mean: the sum divided by the count as complex numbers (a NaN
    // in one part of the sum makes both NaN), in complex128 for a 0-d sum
    // (every operand a scalar) and cast back.
    Tensor total = both(ReduceFn::Sum, x.re, x.im);
    if (!total.ok())
      return total;
    int64_t count = std::max<int64_t>(1, z.size()) /
                    std::max<int64_t>(1, total.size());
    if (z.size() == 0) // numpy: 0/0 per part (NaN), with its warning.
      count = 0;
    Tensor wide = total.ndim() == 0 ? castTo(total, DType::C128, label) : total;
    return castTo(api::binary(BinaryFn::Div, wide, Scalar(count)), z.dtype(),
                  label);
  }
  case ReduceFn::NanSum: {
    // An element with a NaN in either part counts as zero (numpy's nansum
    // replaces the elements isnan finds).
    Tensor nan = api::unary(UnaryFn::IsNan, z);
    return both(ReduceFn::Sum, api::where(nan, like(0.0, x.re), x.re),
                api::where(nan, like(0.0, x.im), x.im));
  }
  case ReduceFn::Prod:
    return complexProd(z, axes, keepdims, label);
  case ReduceFn::Var:
  case ReduceFn::Std: {
    // numpy's _var: the mean of |z - mean|^2, which is the two parts'
    // variances added.
    Tensor v = add(api::reduce(ReduceFn::Var, x.re, axes, keepdims, ddof),
                   api::reduce(ReduceFn::Var, x.im, axes, keepdims, ddof));
    return fn == ReduceFn::Std ? api::unary(UnaryFn::Sqrt, v) : v;
  }
  case ReduceFn::Any:
  case ReduceFn::All:
  case ReduceFn::CountNonzero:
    return api::reduce(fn, api::binary(BinaryFn::Ne, z, Scalar(0.0)), axes,
                       keepdims, ddof);
  default:
    return notForComplex(label);
  }
}

Tensor graph::complexScan(ScanFn fn, const char *label, const Tensor &z,
                          std::optional<int64_t> axis) {
  Parts x = partsOf(z, numeric::complexPart(z.dtype()), label);
  switch (fn) {
  case ScanFn::Cumsum: // numpy adds each part on its own, in order.
    return makeComplex(api::scan(fn, x.re, axis), api::scan(fn, x.im, axis));
  case ScanFn::NanCumsum: {
    // An element with a NaN in either part counts as zero (numpy's
    // nancumsum replaces what isnan finds).
    Tensor nan = api::unary(UnaryFn::IsNan, z);
    return makeComplex(
        api::scan(ScanFn::Cumsum, api::where(nan, like(0.0, x.re), x.re),
                  axis),
        api::scan(ScanFn::Cumsum, api::where(nan, like(0.0, x.im), x.im),
                  axis));
  }
  default:
    return notForComplex(label);
  }
}

Tensor graph::complexCast(const Tensor &t, DType dtype, const char *label) {
  if (!numeric::isComplex(dtype)) {
    // numpy: the imaginary part is discarded (a ComplexWarning), except
    // for bool, which is z != 0.
    if (dtype == DType::Bool)
      return api::binary(BinaryFn::Ne, t, Scalar(0.0));
    Tensor re = makeNode(label, RealOp::getOperationName(), {t},
                         numeric::complexPart(t.dtype()), t.shape(), {});
    return castTo(re, dtype, label);
  }
  Parts x = partsOf(t, numeric::complexPart(dtype), label);
  // A real tensor's imaginary part: zeros of its shape.
  if (!numeric::isComplex(t.dtype()))
    x.im = api::broadcastTo(x.im, t.shape());
  return makeComplex(x.re, x.im);
}

Tensor graph::realAsComplex(const Tensor &x) {
  if (!x.ok())
    return x;
  return makeComplex(x, api::zeros(x.shape(), x.dtype()));
}

Tensor graph::complexFull(const Shape &shape, Scalar value, DType dtype,
                          const ChunkSize &chunks, const char *label) {
  const DType part = numeric::complexPart(dtype);
  Tensor r = api::full(shape, realOf(value), part, chunks);
  Tensor i = api::full(shape, imagOf(value), part, chunks);
  if (!r.ok())
    return r;
  if (!i.ok())
    return i;
  return makeNode(label, ComplexOp::getOperationName(), {r, i}, dtype, shape,
                  {}, chunks);
}

Tensor graph::complexWhere(const Tensor &cond, const Operand &x,
                           const Operand &y, DType dtype, const char *label) {
  const DType part = numeric::complexPart(dtype);
  Parts a = partsOf(x, part, label), b = partsOf(y, part, label);
  return makeComplex(api::where(cond, a.re, b.re), api::where(cond, a.im, b.im));
}

Tensor graph::complexProduct(
    const Tensor &a, const Tensor &b,
    llvm::function_ref<Tensor(const Tensor &, const Tensor &)> product,
    const char *label) {
  const DType part = numeric::complexPart(promoteTypes(a.dtype(), b.dtype()));
  const bool ca = numeric::isComplex(a.dtype());
  const bool cb = numeric::isComplex(b.dtype());
  Parts x = partsOf(a, part, label), y = partsOf(b, part, label);
  if (ca && cb)
    return makeComplex(sub(product(x.re, y.re), product(x.im, y.im)),
                       add(product(x.re, y.im), product(x.im, y.re)));
  if (ca) // A real right operand: its imaginary part adds nothing.
    return makeComplex(product(x.re, y.re), product(x.im, y.re));
  return makeComplex(product(x.re, y.re), product(x.re, y.im));
}
