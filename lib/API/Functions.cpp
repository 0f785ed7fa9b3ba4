//===- Functions.cpp - numpy's functions as Mars ops ----------------------===//
//
// Each function checks its arguments with numpy's rules and numpy's error
// kinds and messages, works out the result's shape and dtype (numpy's type
// resolution: which dtype a ufunc computes in), and records one node, plus
// the casts and shape ops numpy's rules imply.
//
//===----------------------------------------------------------------------===//

#include "Builder.h"
#include "Complex.h"

#include "mars/Dialect/Mars/IR/ChunkRules.h"
#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Numeric/Reductions.h"
#include "mars/Numeric/Sort.h"
#include "mars/Tiling/ChunkGrid.h"
#include "mars/Transforms/Passes.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <numeric>

using namespace mlir;
using namespace mars;
using namespace mars::api;
using namespace mars::api::graph;

namespace {

/// Which dtypes a function computes in.
enum class Domain {
  Any,     // every dtype
  Numeric, // integers and floats (bool operands: see the rule)
  Float,   // floats; integers and bool in floatFor's float type
  Integer, // integers (bool operands: see the rule); floats are a TypeError
  SpecialFloat, // scipy.special's loops: as Float, but float32 at least
};

struct UnaryRule {
  UnaryFn fn;
  const char *name; // numpy's
  StringRef op;
  Domain domain;
  bool boolResult;
};

ArrayRef<UnaryRule> unaryRules() {
  static const UnaryRule rules[] = {
      {UnaryFn::Neg, "negative", NegOp::getOperationName(), Domain::Numeric,
       false},
      {UnaryFn::Abs, "absolute", AbsOp::getOperationName(), Domain::Numeric,
       false},
      {UnaryFn::Sqrt, "sqrt", SqrtOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Square, "square", SquareOp::getOperationName(),
       Domain::Numeric, false},
      {UnaryFn::Exp, "exp", ExpOp::getOperationName(), Domain::Float, false},
      {UnaryFn::Log, "log", LogOp::getOperationName(), Domain::Float, false},
      {UnaryFn::Sin, "sin", SinOp::getOperationName(), Domain::Float, false},
      {UnaryFn::Cos, "cos", CosOp::getOperationName(), Domain::Float, false},
      {UnaryFn::Tanh, "tanh", TanhOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Floor, "floor", FloorOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Ceil, "ceil", CeilOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Sign, "sign", SignOp::getOperationName(), Domain::Numeric,
       false},
      {UnaryFn::IsNan, "isnan", IsNanOp::getOperationName(), Domain::Any,
       true},
      {UnaryFn::LogicalNot, "logical_not", LogicalNotOp::getOperationName(),
       Domain::Any, true},
      {UnaryFn::Tan, "tan", TanOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Arcsin, "arcsin", ArcsinOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Arccos, "arccos", ArccosOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Arctan, "arctan", ArctanOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Sinh, "sinh", SinhOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Cosh, "cosh", CoshOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Arcsinh, "arcsinh", ArcsinhOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Arccosh, "arccosh", ArccoshOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Arctanh, "arctanh", ArctanhOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Log2, "log2", Log2Op::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Log10, "log10", Log10Op::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Log1p, "log1p", Log1pOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Exp2, "exp2", Exp2Op::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Expm1, "expm1", Expm1Op::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Cbrt, "cbrt", CbrtOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Trunc, "trunc", TruncOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Rint, "rint", RintOp::getOperationName(), Domain::Float,
       false},
      {UnaryFn::Degrees, "degrees", DegreesOp::getOperationName(),
       Domain::Float, false},
      {UnaryFn::Radians, "radians", RadiansOp::getOperationName(),
       Domain::Float, false},
      {UnaryFn::IsInf, "isinf", IsInfOp::getOperationName(), Domain::Any,
       true},
      {UnaryFn::IsFinite, "isfinite", IsFiniteOp::getOperationName(),
       Domain::Any, true},
      // numpy's signbit has float loops only: integers convert to float64.
      {UnaryFn::SignBit, "signbit", SignBitOp::getOperationName(),
       Domain::Float, true},
      {UnaryFn::Invert, "invert", InvertOp::getOperationName(),
       Domain::Integer, false},
      // scipy.special's names.
      {UnaryFn::Erf, "erf", ErfOp::getOperationName(), Domain::SpecialFloat, false},
      {UnaryFn::Erfc, "erfc", ErfcOp::getOperationName(), Domain::SpecialFloat,
       false},
      {UnaryFn::Gamma, "gamma", GammaOp::getOperationName(), Domain::SpecialFloat,
       false},
      {UnaryFn::Lgamma, "gammaln", LgammaOp::getOperationName(),
       Domain::SpecialFloat, false},
  };
  return rules;
}

const UnaryRule &unaryRule(UnaryFn fn) {
  for (const UnaryRule &r : unaryRules())
    if (r.fn == fn)
      return r;
  llvm_unreachable("unary function without a rule");
}

struct BinaryRule {
  BinaryFn fn;
  const char *name;
  StringRef op;
  Domain domain;
  bool boolResult;
};

ArrayRef<BinaryRule> binaryRules() {
  static const BinaryRule rules[] = {
      {BinaryFn::Add, "add", AddOp::getOperationName(), Domain::Numeric,
       false},
      {BinaryFn::Sub, "subtract", SubOp::getOperationName(), Domain::Numeric,
       false},
      {BinaryFn::Mul, "multiply", MulOp::getOperationName(), Domain::Numeric,
       false},
      {BinaryFn::Div, "true_divide", DivOp::getOperationName(),
       Domain::Float, false},
      {BinaryFn::FloorDiv, "floor_divide", FloorDivOp::getOperationName(),
       Domain::Numeric, false},
      {BinaryFn::Mod, "remainder", ModOp::getOperationName(), Domain::Numeric,
       false},
      {BinaryFn::Pow, "power", PowOp::getOperationName(), Domain::Numeric,
       false},
      {BinaryFn::Maximum, "maximum", MaximumOp::getOperationName(),
       Domain::Numeric, false},
      {BinaryFn::Minimum, "minimum", MinimumOp::getOperationName(),
       Domain::Numeric, false},
      {BinaryFn::Fmax, "fmax", FmaxOp::getOperationName(), Domain::Numeric,
       false},
      {BinaryFn::Fmin, "fmin", FminOp::getOperationName(), Domain::Numeric,
       false},
      {BinaryFn::Fmod, "fmod", FmodOp::getOperationName(), Domain::Numeric,
       false},
      {BinaryFn::Hypot, "hypot", HypotOp::getOperationName(), Domain::Float,
       false},
      {BinaryFn::Copysign, "copysign", CopysignOp::getOperationName(),
       Domain::Float, false},
      {BinaryFn::Nextafter, "nextafter", NextafterOp::getOperationName(),
       Domain::Float, false},
      {BinaryFn::Logaddexp, "logaddexp", LogaddexpOp::getOperationName(),
       Domain::Float, false},
      {BinaryFn::Logaddexp2, "logaddexp2", Logaddexp2Op::getOperationName(),
       Domain::Float, false},
      {BinaryFn::Heaviside, "heaviside", HeavisideOp::getOperationName(),
       Domain::Float, false},
      {BinaryFn::BitwiseAnd, "bitwise_and", BitwiseAndOp::getOperationName(),
       Domain::Integer, false},
      {BinaryFn::BitwiseOr, "bitwise_or", BitwiseOrOp::getOperationName(),
       Domain::Integer, false},
      {BinaryFn::BitwiseXor, "bitwise_xor", BitwiseXorOp::getOperationName(),
       Domain::Integer, false},
      {BinaryFn::LeftShift, "left_shift", LeftShiftOp::getOperationName(),
       Domain::Integer, false},
      {BinaryFn::RightShift, "right_shift", RightShiftOp::getOperationName(),
       Domain::Integer, false},
      {BinaryFn::Gcd, "gcd", GcdOp::getOperationName(), Domain::Integer,
       false},
      {BinaryFn::Lcm, "lcm", LcmOp::getOperationName(), Domain::Integer,
       false},
      {BinaryFn::Ldexp, "ldexp", LdexpOp::getOperationName(), Domain::Float,
       false},
      {BinaryFn::Eq, "equal", EqOp::getOperationName(), Domain::Any, true},
      {BinaryFn::Ne, "not_equal", NeOp::getOperationName(), Domain::Any,
       true},
      {BinaryFn::Lt, "less", LtOp::getOperationName(), Domain::Any, true},
      {BinaryFn::Le, "less_equal", LeOp::getOperationName(), Domain::Any,
       true},
      {BinaryFn::Gt, "greater", GtOp::getOperationName(), Domain::Any, true},
      {BinaryFn::Ge, "greater_equal", GeOp::getOperationName(), Domain::Any,
       true},
      {BinaryFn::LogicalAnd, "logical_and", LogicalAndOp::getOperationName(),
       Domain::Any, true},
      {BinaryFn::LogicalOr, "logical_or", LogicalOrOp::getOperationName(),
       Domain::Any, true},
      {BinaryFn::LogicalXor, "logical_xor", LogicalXorOp::getOperationName(),
       Domain::Any, true},
      {BinaryFn::Arctan2, "arctan2", Arctan2Op::getOperationName(),
       Domain::Float, false},
  };
  return rules;
}

const BinaryRule &binaryRule(BinaryFn fn) {
  for (const BinaryRule &r : binaryRules())
    if (r.fn == fn)
      return r;
  llvm_unreachable("binary function without a rule");
}

/// numpy's TypeError for a ufunc without a bool loop (sign, gcd, lcm).
Tensor noBoolLoop(const char *name) {
  return fail(ErrorKind::Type, name,
              std::string("ufunc '") + name +
                  "' did not contain a loop with signature matching types "
                  "bool");
}

/// The dtype a Float-domain function computes in for operands of `d`.
DType floatFor(DType d) {
  if (numeric::isFloat(d))
    return d;
  // numpy: float16 for bool, int8 and uint8, float32 for int16 and uint16,
  // float64 for wider integers.
  const size_t size = numeric::dtypeSize(d);
  return size == 1 ? DType::F16 : size == 2 ? DType::F32 : DType::F64;
}

/// A failed operand, if any.
const Tensor *failedOperand(std::initializer_list<const Operand *> ops) {
  for (const Operand *o : ops)
    if (!o->scalar && !o->tensor.ok() && !o->tensor.isNull())
      return &o->tensor;
  return nullptr;
}

std::optional<Shape> broadcast(std::initializer_list<const Tensor *> ts) {
  std::vector<Shape> shapes;
  for (const Tensor *t : ts)
    shapes.push_back(t->shape());
  return numeric::broadcastShapes(shapes);
}

std::string shapesString(std::initializer_list<const Tensor *> ts) {
  std::string s;
  for (const Tensor *t : ts) {
    if (!s.empty())
      s += " ";
    s += numeric::formatShape(t->shape());
  }
  return s;
}

NamedAttribute i64Array(StringRef name, ArrayRef<int64_t> values) {
  Builder b(&context());
  return b.getNamedAttr(name, b.getDenseI64ArrayAttr(values));
}

NamedAttribute i64Attr(StringRef name, int64_t value) {
  Builder b(&context());
  return b.getNamedAttr(name, b.getI64IntegerAttr(value));
}

} // namespace

/// numpy's AxisError for `axis` of an array of `ndim` dimensions, or the
/// normalised axis.
std::optional<Error> graph::normalizeAxis(int64_t &axis, int64_t ndim,
                                          const char *label) {
  if (axis < -ndim || axis >= ndim)
    return Error{ErrorKind::Axis, label,
                 "axis " + std::to_string(axis) +
                     " is out of bounds for array of dimension " +
                     std::to_string(ndim)};
  if (axis < 0)
    axis += ndim;
  return std::nullopt;
}

std::optional<Error> graph::normalizeAxes(std::vector<int64_t> &axes,
                                          int64_t ndim, const char *label) {
  for (int64_t &a : axes)
    if (auto err = normalizeAxis(a, ndim, label))
      return err;
  std::vector<int64_t> sorted = axes;
  llvm::sort(sorted);
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    return Error{ErrorKind::Value, label, "duplicate value in 'axis'"};
  return std::nullopt;
}

Tensor graph::noSafeLoop(const char *name) {
  return fail(ErrorKind::Type, name,
              std::string("ufunc '") + name +
                  "' not supported for the input types, and the inputs "
                  "could not be safely coerced to any supported types "
                  "according to the casting rule ''safe''");
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

std::optional<UnaryFn> api::unaryFunction(const std::string &numpyName) {
  for (const UnaryRule &r : unaryRules())
    if (numpyName == r.name)
      return r.fn;
  return std::nullopt;
}

std::optional<BinaryFn> api::binaryFunction(const std::string &numpyName) {
  for (const BinaryRule &r : binaryRules())
    if (numpyName == r.name)
      return r.fn;
  return std::nullopt;
}

std::optional<ReduceFn> api::reduceFunction(const std::string &numpyName) {
  // The table names min and max by their ufuncs (numpy's messages do).
  if (numpyName == "min" || numpyName == "amin")
    return ReduceFn::Min;
  if (numpyName == "max" || numpyName == "amax")
    return ReduceFn::Max;
  for (size_t i = 0; i < numeric::kNumReduceFns; ++i)
    if (numpyName == numeric::reductionRule(static_cast<ReduceFn>(i)).name)
      return static_cast<ReduceFn>(i);
  return std::nullopt;
}

Tensor api::unary(UnaryFn fn, const Operand &x) {
  const UnaryRule &rule = unaryRule(fn);
  if (const Tensor *bad = failedOperand({&x}))
    return *bad;
  if (involvesComplex({&x}))
    return complexUnary(fn, rule.name,
                        x.scalar ? scalarTensor(*x.scalar, DType::C128,
                                                rule.name)
                                 : x.tensor);
  DType in = resultType({x});
  if (in == DType::Bool) {
    switch (fn) {
    case UnaryFn::Neg:
      return fail(ErrorKind::Type, rule.name,
                  "The numpy boolean negative, the `-` operator, is not "
                  "supported, use the `~` operator or the logical_not "
                  "function instead.");
    case UnaryFn::Sign:
      return noBoolLoop(rule.name);
    case UnaryFn::Abs:
      return resolve(x, DType::Bool, rule.name);
    case UnaryFn::Square:
      in = DType::I8; // numpy's int8 loops for bool.
      break;
    case UnaryFn::Invert:
      return unary(UnaryFn::LogicalNot, x); // numpy's bool loop
    default:
      break;
    }
  }
  if (rule.domain == Domain::Integer && numeric::isFloat(in))
    return noSafeLoop(rule.name);
  if (rule.domain == Domain::Float)
    in = floatFor(in);
  else if (rule.domain == Domain::SpecialFloat) // No float16 loops.
    in = floatFor(in) == DType::F16 ? DType::F32 : floatFor(in);
  Tensor t = resolve(x, in, rule.name);
  if (!t.ok())
    return t;
  return makeNode(rule.name, rule.op, {t}, rule.boolResult ? DType::Bool : in,
                  t.shape(), {});
}

/// The elementwise op of `rule` on `a` and `b`, both cast to `in`, with
/// numpy's broadcasting; `name` is the function the user called.
static Tensor broadcastNode(const char *name, const BinaryRule &rule,
                            const Operand &a, const Operand &b, DType in) {
  Tensor x = resolve(a, in, name), y = resolve(b, in, name);
  if (!x.ok())
    return x;
  if (!y.ok())
    return y;
  std::optional<Shape> shape = broadcast({&x, &y});
  if (!shape)
    return fail(ErrorKind::Value, name,
                "operands could not be broadcast together with shapes " +
                    shapesString({&x, &y}));
  // A sparse matrix next to a dense array: scipy's multiply keeps the
  // matrix's structure (the array is read at its stored elements, so 0 *
  // inf is 0 there; a matrix that would have to broadcast is refused by
  // makeNode); every other function computes on the dense matrix, and its
  // result is dense, as scipy's is.
  if (x.isSparse() != y.isSparse()) {
    Tensor &matrix = x.isSparse() ? x : y;
    const Tensor &array = x.isSparse() ? y : x;
    if (array.ndim() != 0 && !mars::detail::zeroWhereAnyOperandIsZero(
                                 OperationName(rule.op, &context())))
      matrix = toDense(matrix);
  }
  return makeNode(name, rule.op, {x, y}, rule.boolResult ? DType::Bool : in,
                  *shape, {});
}

/// numpy's ldexp(x1, x2): loops from each float type and an integer
/// exponent, so the result is x1's float type (the exponent does not
/// promote it), and a float exponent is numpy's TypeError. The op carries
/// the exponent in the result's type, which holds every count that can
/// leave a finite result exactly.
static Tensor ldexpOf(const BinaryRule &rule, const Operand &a,
                      const Operand &b) {
  if (numeric::isFloat(resultType({b})))
    return noSafeLoop(rule.name);
  DType in = floatFor(resultType({a}));
  return broadcastNode(rule.name, rule, a, b, in);
}

/// Whether numpy resolves `fn`'s loop by trying its loops in order (its
/// default type resolver) rather than by result_type (add, subtract,
/// multiply, maximum, minimum, gcd, lcm, comparisons, true_divide). The two
/// differ for a number next to an unsigned array: `uint8_array | 300` is
/// int16, `uint8_array + 300` uint16.
static bool searchesLoops(BinaryFn fn) {
  switch (fn) {
  case BinaryFn::FloorDiv:
  case BinaryFn::Mod:
  case BinaryFn::Fmod:
  case BinaryFn::Pow:
  case BinaryFn::BitwiseAnd:
  case BinaryFn::BitwiseOr:
  case BinaryFn::BitwiseXor:
  case BinaryFn::LeftShift:
  case BinaryFn::RightShift:
    return true;
  default:
    return binaryRule(fn).domain == Domain::Float && fn != BinaryFn::Div;
  }
}

/// numpy's nextafter of float16 (npy_nextafterf16): one step of float16's
/// spacing from x toward y, which float32's nextafter rounded back is not.
/// Composed in float32, where float16's values and steps are exact:
/// float16 has 13 fewer fraction bits than float32, so its step at a
/// normal |x| is float32's step that way times 2^13 (below a power of two
/// too), and 2^-24 among the subnormals.
static Tensor nextafterHalf(const Operand &a, const Operand &b) {
  const char *label = "nextafter";
  // Both operands float16 first (numbers too: numpy's float16 loop casts
  // them), then float32.
  const Tensor x = castTo(resolve(a, DType::F16, label), DType::F32, label);
  const Tensor y = castTo(resolve(b, DType::F16, label), DType::F32, label);
  if (!x.ok())
    return x;
  if (!y.ok())
    return y;
  auto num = [](double v) { return Operand(Scalar(v)); };
  const double tiny = 0x1p-24, inf = INFINITY;
  Tensor ax = unary(UnaryFn::Abs, x);
  auto step = [&](double toward) {
    Tensor d = binary(BinaryFn::Sub, binary(BinaryFn::Nextafter, ax,
                                            num(toward)), ax);
    return binary(BinaryFn::Maximum, unary(UnaryFn::Abs, d) * num(8192.0),
                  num(tiny));
  };
  Tensor towardZero =
      binary(BinaryFn::Eq, binary(BinaryFn::Gt, x, y),
             binary(BinaryFn::Gt, x, num(0.0)));
  Tensor r = binary(BinaryFn::Copysign,
                    where(towardZero, ax - step(0.0), ax + step(inf)), x);
  r = where(binary(BinaryFn::Eq, x, num(0.0)),
            binary(BinaryFn::Copysign, num(tiny), y), r);
  r = where(unary(UnaryFn::IsInf, x),
            binary(BinaryFn::Copysign, num(65504.0), x), r);
  r = where(binary(BinaryFn::Eq, x, y), x, r); // numpy's half: x (C's: y)
  r = where(binary(BinaryFn::LogicalOr, unary(UnaryFn::IsNan, x),
                   unary(UnaryFn::IsNan, y)),
            num(NAN), r); // numpy's NPY_HALF_NAN, whatever NaN came in
  return castTo(r, DType::F16, label);
}

Tensor api::binary(BinaryFn fn, const Operand &a, const Operand &b) {
  const BinaryRule &rule = binaryRule(fn);
  if (const Tensor *bad = failedOperand({&a, &b}))
    return *bad;
  if (involvesComplex({&a, &b}))
    return complexBinary(fn, rule.name, a, b);
  if (fn == BinaryFn::Ldexp)
    return ldexpOf(rule, a, b);
  DType in = resultType({a, b});
  BinaryFn computed = fn;
  if (in == DType::Bool) {
    // numpy's bool loops: + and maximum are or, * and minimum are and.
    switch (fn) {
    case BinaryFn::Add:
    case BinaryFn::Maximum:
    case BinaryFn::Fmax:
      computed = BinaryFn::LogicalOr;
      break;
    case BinaryFn::Mul:
    case BinaryFn::Minimum:
    case BinaryFn::Fmin:
      computed = BinaryFn::LogicalAnd;
      break;
    case BinaryFn::Sub:
      return fail(ErrorKind::Type, rule.name,
                  "numpy boolean subtract, the `-` operator, is not "
                  "supported, use the bitwise_xor, the `^` operator, or the "
                  "logical_xor function instead.");
    case BinaryFn::BitwiseAnd:
      computed = BinaryFn::LogicalAnd;
      break;
    case BinaryFn::BitwiseOr:
      computed = BinaryFn::LogicalOr;
      break;
    case BinaryFn::BitwiseXor:
      computed = BinaryFn::LogicalXor;
      break;
    case BinaryFn::FloorDiv:
    case BinaryFn::Mod:
    case BinaryFn::Fmod:
    case BinaryFn::Pow:
    case BinaryFn::LeftShift:
    case BinaryFn::RightShift:
      in = DType::I8; // numpy's int8 loops for bool.
      break;
    case BinaryFn::Gcd:
    case BinaryFn::Lcm:
      return noBoolLoop(rule.name);
    case BinaryFn::Div:
      in = DType::F64; // numpy's true_divide has no float16 loop for bool.
      break;
    default:
      break;
    }
  } else if (searchesLoops(fn)) {
    // numpy's default type resolver: the first loop every operand casts to.
    static constexpr DType kLoops[] = {
        DType::I8,  DType::U8,  DType::I16, DType::U16, DType::I32,
        DType::U32, DType::I64, DType::U64, DType::F16, DType::F32,
        DType::F64};
    static constexpr DType kFloatLoops[] = {DType::F16, DType::F32,
                                            DType::F64};
    if (rule.domain == Domain::Float)
      in = loopType({a, b}, kFloatLoops).value_or(DType::F64);
    else if (!numeric::isFloat(in))
      in = loopType({a, b}, kLoops).value_or(in);
  }
  if (rule.domain == Domain::Integer && numeric::isFloat(in))
    return noSafeLoop(rule.name);
  if (fn == BinaryFn::Div && !numeric::isFloat(in))
    in = DType::F64; // true_divide of integers is float64 at every width.
  else if (rule.domain == Domain::Float)
    in = floatFor(in);
  if (fn == BinaryFn::Nextafter && in == DType::F16)
    return nextafterHalf(a, b);
  return broadcastNode(rule.name, binaryRule(computed), a, b, in);
}

Tensor api::bitwiseAnd(const Operand &a, const Operand &b) {
  return binary(BinaryFn::BitwiseAnd, a, b);
}
Tensor api::bitwiseOr(const Operand &a, const Operand &b) {
  return binary(BinaryFn::BitwiseOr, a, b);
}
Tensor api::bitwiseXor(const Operand &a, const Operand &b) {
  return binary(BinaryFn::BitwiseXor, a, b);
}

Tensor api::invert(const Operand &x) { return unary(UnaryFn::Invert, x); }

Tensor api::where(const Operand &cond, const Operand &x, const Operand &y) {
  const char *name = "where";
  if (const Tensor *bad = failedOperand({&cond, &x, &y}))
    return *bad;
  Tensor c = cond.scalar ? resolve(cond, DType::Bool, name) : cond.tensor;
  if (c.ok() && c.dtype() != DType::Bool)
    c = binary(BinaryFn::Ne, c, Scalar(int64_t(0)));
  DType d = resultType({x, y});
  if (numeric::isComplex(d))
    return c.ok() ? complexWhere(c, x, y, d, name) : c;
  Tensor xt = resolve(x, d, name), yt = resolve(y, d, name);
  for (const Tensor *t : {&c, &xt, &yt})
    if (!t->ok())
      return *t;
  std::optional<Shape> shape = broadcast({&c, &xt, &yt});
  if (!shape)
    return fail(ErrorKind::Value, name,
                "operands could not be broadcast together with shapes " +
                    shapesString({&c, &xt, &yt}));
  return makeNode(name, WhereOp::getOperationName(), {c, xt, yt}, d, *shape,
                  {});
}

Tensor api::astype(const Tensor &x, DType dtype) {
  if (!x.ok())
    return x;
  return castTo(x, dtype, "astype");
}

Tensor api::operator+(const Operand &a, const Operand &b) {
  return binary(BinaryFn::Add, a, b);
}
Tensor api::operator-(const Operand &a, const Operand &b) {
  return binary(BinaryFn::Sub, a, b);
}
Tensor api::operator*(const Operand &a, const Operand &b) {
  return binary(BinaryFn::Mul, a, b);
}
Tensor api::operator/(const Operand &a, const Operand &b) {
  return binary(BinaryFn::Div, a, b);
}
Tensor api::operator<(const Operand &a, const Operand &b) {
  return binary(BinaryFn::Lt, a, b);
}
Tensor api::operator<=(const Operand &a, const Operand &b) {
  return binary(BinaryFn::Le, a, b);
}
Tensor api::operator>(const Operand &a, const Operand &b) {
  return binary(BinaryFn::Gt, a, b);
}
Tensor api::operator>=(const Operand &a, const Operand &b) {
  return binary(BinaryFn::Ge, a, b);
}
Tensor api::operator-(const Tensor &x) { return unary(UnaryFn::Neg, x); }

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

static StringRef reductionOp(ReduceFn fn) {
  switch (fn) {
  case ReduceFn::Sum:
    return SumOp::getOperationName();
  case ReduceFn::Prod:
    return ProdOp::getOperationName();
  case ReduceFn::Min:
    return MinOp::getOperationName();
  case ReduceFn::Max:
    return MaxOp::getOperationName();
  case ReduceFn::Mean:
    return MeanOp::getOperationName();
  case ReduceFn::Var:
    return VarOp::getOperationName();
  case ReduceFn::Std:
    return StdOp::getOperationName();
  case ReduceFn::ArgMin:
    return ArgMinOp::getOperationName();
  case ReduceFn::ArgMax:
    return ArgMaxOp::getOperationName();
  case ReduceFn::Any:
    return AnyOp::getOperationName();
  case ReduceFn::All:
    return AllOp::getOperationName();
  case ReduceFn::CountNonzero:
    return CountNonzeroOp::getOperationName();
  case ReduceFn::NanSum:
    return NanSumOp::getOperationName();
  }
  llvm_unreachable("unknown reduction");
}

Tensor api::scan(ScanFn fn, const Tensor &x, std::optional<int64_t> axis) {
  const char *label = numeric::scanName(fn);
  if (!x.ok())
    return x;
  if (numeric::isComplex(x.dtype()))
    return complexScan(fn, label, x, axis);
  Tensor in = x;
  int64_t a = axis.value_or(0);
  if (!axis || x.ndim() == 0) {
    // numpy scans the flattened tensor (and a 0-d one as 1-d along 0).
    if (x.ndim() == 0 && axis && *axis != 0 && *axis != -1)
      return fail(ErrorKind::Axis, label,
                  "axis " + std::to_string(*axis) +
                      " is out of bounds for array of dimension 1");
    in = reshape(x, {-1});
    a = 0;
  } else if (auto err = normalizeAxis(a, x.ndim(), label)) {
    return Tensor::failure(*err);
  }
  StringRef op;
  switch (fn) {
  case ScanFn::Cumsum:
    op = CumsumOp::getOperationName();
    break;
  case ScanFn::Cumprod:
    op = CumprodOp::getOperationName();
    break;
  case ScanFn::NanCumsum:
    op = NanCumsumOp::getOperationName();
    break;
  case ScanFn::NanCumprod:
    op = NanCumprodOp::getOperationName();
    break;
  }
  return makeNode(label, op, {in}, numeric::scanResultDType(in.dtype()),
                  in.shape(), {i64Attr("axis", a)});
}

//===----------------------------------------------------------------------===//
// Sorting and selection
//===----------------------------------------------------------------------===//

/// `x` and `axis` as numpy's axis=None (flattened) or a normalised axis.
static std::optional<Error> alongAxis(Tensor &x, std::optional<int64_t> &axis,
                                      const char *label) {
  if (!axis) {
    x = reshape(x, {-1});
    axis = 0;
    return std::nullopt;
  }
  if (x.ndim() == 0)
    return Error{ErrorKind::Axis, label,
                 "axis " + std::to_string(*axis) +
                     " is out of bounds for array of dimension 0"};
  int64_t a = *axis;
  if (auto err = normalizeAxis(a, x.ndim(), label))
    return err;
  axis = a;
  return std::nullopt;
}

static Tensor sorting(const Tensor &x, std::optional<int64_t> axis,
                      bool indices) {
  const char *label = indices ? "argsort" : "sort";
  if (!x.ok())
    return x;
  Tensor in = x;
  if (auto err = alongAxis(in, axis, label))
    return Tensor::failure(*err);
  // Long lanes sort in two steps, runs then their merge: a chunk of the
  // result then merges only its own elements instead of selecting them
  // from the whole lane.
  constexpr int64_t kRun = int64_t(1) << 21;
  if (!indices && in.shape()[*axis] > kRun) {
    std::vector<NamedAttribute> attrs{i64Attr("axis", *axis),
                                      i64Attr("run", kRun)};
    Tensor runs = makeNode(label, SortRunsOp::getOperationName(), {in},
                           in.dtype(), in.shape(), attrs);
    return makeNode(label, MergeRunsOp::getOperationName(), {runs},
                    in.dtype(), in.shape(), attrs);
  }
  return makeNode(label,
                  indices ? ArgsortOp::getOperationName()
                          : SortOp::getOperationName(),
                  {in}, indices ? DType::I64 : in.dtype(), in.shape(),
                  {i64Attr("axis", *axis)});
}

Tensor api::sort(const Tensor &x, std::optional<int64_t> axis) {
  return sorting(x, axis, /*indices=*/false);
}

Tensor api::argsort(const Tensor &x, std::optional<int64_t> axis) {
  return sorting(x, axis, /*indices=*/true);
}

/// The most positions a radix selection takes at once: its counts hold
/// 65536 per position and part of the lane (512 KiB).
constexpr size_t kRadixMostPositions = 16;

/// The lane length of one part of a radix selection of `in` (1-d) at `q`
/// positions: the chunk length asked for, else `chunkLength` (the session's
/// tiling of the lane), else mars-tile's chunk for it at the default chunk
/// bytes, so that a part is a chunk and is read without a copy; and long
/// enough that the parts' counts (q x 65536 int64 each) are at most half the
/// bytes of the lane's elements (3 MiB of f64 for one position): small
/// chunks are joined into longer parts.
static int64_t radixPartLength(const Tensor &in, int64_t q,
                               int64_t chunkLength) {
  const int64_t itemsize = static_cast<int64_t>(numeric::dtypeSize(in.dtype()));
  int64_t chunk = chunkLength;
  if (graph::Node *node = in.node(); node && node->chunks &&
                                     node->chunks.size() == 1 &&
                                     node->chunks[0] > 0)
    chunk = node->chunks[0];
  else if (chunk <= 0)
    chunk = tiling::autoChunkShape(in.shape(),
                                   MarsTileOptions().chunkBytes / itemsize,
                                   {false}, /*rowsFirst=*/false)[0];
  return std::max(chunk, 2 * q * numeric::kRadixDigits * 8 / itemsize);
}

/// mars.sorted_at of the 1-d `in` at `kth` (in [0, n)) by radix selection
/// (mars.radix_*): per 16-bit digit of the sort keys, from the top, the
/// counts of each part of `rows` elements, summed, fix that digit of each
/// position's key. Every pass reads the lane part by part, in parallel and
/// a chunk at a time, so a lane larger than memory is selected without
/// gathering it.
static Tensor radixSelect(const Tensor &in, const std::vector<int64_t> &kth,
                          int64_t rows, const char *label) {
  if (in.dtype() == DType::F16) // The keys of float32, as makeNode computes.
    return castTo(radixSelect(castTo(in, DType::F32, label), kth, rows, label),
                  DType::F16, label);
  const int64_t n = in.shape()[0];
  const int64_t q = static_cast<int64_t>(kth.size());
  const int64_t parts = (n + rows - 1) / rows;
  Tensor state = fromArray(numeric::radixStart(kth));
  const int64_t bits = numeric::radixKeyBits(in.dtype());
  for (int64_t shift = (bits + 15) / 16 * 16 - 16; shift >= 0; shift -= 16) {
    Tensor counts = makeNode(label, RadixHistogramOp::getOperationName(),
                             {in, state}, DType::I64,
                             {parts, q * numeric::kRadixDigits},
                             {i64Attr("rows", rows), i64Attr("shift", shift)});
    counts = sum(counts, std::vector<int64_t>{0}, false);
    state = makeNode(label, RadixPickOp::getOperationName(), {counts, state},
                     DType::I64, {2 * q}, {i64Attr("shift", shift)});
  }
  return makeNode(label, RadixValueOp::getOperationName(), {state},
                  in.dtype(), {q}, {});
}

Tensor api::sortedAt(const Tensor &x, const std::vector<int64_t> &kth,
                     std::optional<int64_t> axis, bool indices,
                     int64_t partLength, int64_t chunkLength) {
  const char *label = indices ? "argpartition" : "partition";
  if (!x.ok())
    return x;
  Tensor in = x;
  if (auto err = alongAxis(in, axis, label))
    return Tensor::failure(*err);
  const int64_t n = in.shape()[*axis];
  for (int64_t k : kth)
    if (k < -n || k >= n)
      return fail(ErrorKind::Value, label,
                  "kth(=" + std::to_string(k) + ") out of bounds (" +
                      std::to_string(n) + ")");
  if (partLength < 0)
    return fail(ErrorKind::Value, label,
                "part length must be positive, got " +
                    std::to_string(partLength));
  // A lane longer than a part: values by radix selection, part by part.
  if (!indices && in.ndim() == 1 && !kth.empty() &&
      kth.size() <= kRadixMostPositions && !in.isSparse()) {
    const int64_t rows =
        partLength > 0
            ? partLength
            : radixPartLength(in, static_cast<int64_t>(kth.size()),
                              chunkLength);
    if (n > rows) {
      std::vector<int64_t> ranks;
      for (int64_t k : kth)
        ranks.push_back(k < 0 ? k + n : k);
      return radixSelect(in, ranks, rows, label);
    }
  }
  Shape shape = in.shape();
  shape[*axis] = static_cast<int64_t>(kth.size());
  std::vector<NamedAttribute> attrs = {i64Attr("axis", *axis),
                                       i64Array("kth", kth)};
  if (indices) {
    Builder b(&context());
    attrs.push_back(b.getNamedAttr("indices", b.getUnitAttr()));
  }
  return makeNode(label, SortedAtOp::getOperationName(), {in},
                  indices ? DType::I64 : in.dtype(), shape, attrs);
}

static NamedAttribute strAttr(StringRef name, StringRef value) {
  Builder b(&context());
  return b.getNamedAttr(name, b.getStringAttr(value));
}

Tensor api::searchsorted(const Tensor &a, const Operand &v,
                         const std::string &side) {
  const char *label = "searchsorted";
  if (const Tensor *bad = failedOperand({&v}))
    return *bad;
  if (!a.ok())
    return a;
  if (side != "left" && side != "right")
    return fail(ErrorKind::Value, label,
                "search side must be 'left' or 'right' (got '" + side + "')");
  if (a.ndim() != 1)
    return fail(ErrorKind::Value, label,
                "a must be 1-D, got an array of dimension " +
                    std::to_string(a.ndim()));
  // numpy compares in the common type of a's dtype and v's own (a number's
  // is its Python type: float64, int64 or bool), without value-based
  // narrowing: float32 data and 0.1 compare in float64.
  DType vd = v.scalar ? v.scalar->dtype() : v.tensor.dtype();
  DType d = promoteTypes(a.dtype(), vd);
  Tensor at = castTo(a, d, label), vt = resolve(v, d, label);
  if (!vt.ok())
    return vt;
  return makeNode(label, SearchsortedOp::getOperationName(), {at, vt},
                  DType::I64, vt.shape(), {strAttr("side", side)});
}

/// Indices as an integer tensor (bool counts as 0/1, as numpy's safe cast
/// to intp), or numpy's TypeError for floats.
static Tensor integerIndices(const Tensor &indices, const char *label) {
  if (!indices.ok() || indices.dtype() == DType::I32 ||
      indices.dtype() == DType::I64)
    return indices;
  // numpy's safe cast to intp: bool and the narrower integers.
  if (indices.dtype() == DType::Bool ||
      (isInteger(indices.dtype()) && indices.dtype() != DType::U64))
    return castTo(indices, DType::I64, label);
  return fail(ErrorKind::Type, label,
              std::string("cannot cast array data from dtype('") +
                  api::dtypeName(indices.dtype()) +
                  "') to dtype('int64') according to the rule 'safe'");
}

/// integerIndices, after checking numpy's take/put `mode`.
static Tensor modeAndIndices(const Tensor &indices, const std::string &mode,
                             const char *label) {
  if (!numeric::parseTakeMode(mode))
    return fail(ErrorKind::Value, label,
                "clipmode must be one of 'clip', 'raise', or 'wrap' (got '" +
                    mode + "')");
  return integerIndices(indices, label);
}

Tensor api::take(const Tensor &x, const Tensor &indices,
                 std::optional<int64_t> axis, const std::string &mode) {
  const char *label = "take";
  if (!x.ok())
    return x;
  Tensor idx = modeAndIndices(indices, mode, label);
  if (!idx.ok())
    return idx;
  Tensor in = x;
  if (auto err = alongAxis(in, axis, label))
    return Tensor::failure(*err);
  Shape shape(in.shape().begin(), in.shape().begin() + *axis);
  shape.insert(shape.end(), idx.shape().begin(), idx.shape().end());
  shape.insert(shape.end(), in.shape().begin() + *axis + 1, in.shape().end());
  return makeNode(label, TakeOp::getOperationName(), {in, idx}, in.dtype(),
                  shape, {i64Attr("axis", *axis), strAttr("mode", mode)});
}

Tensor api::bincount(const Tensor &x, int64_t length,
                     const std::optional<Tensor> &weights) {
  const char *label = "bincount";
  if (!x.ok())
    return x;
  if (x.ndim() != 1)
    return fail(ErrorKind::Value, label,
                x.ndim() ? "object too deep for desired array"
                         : "object of too small depth for desired array");
  Tensor in = integerIndices(x, label);
  if (!in.ok())
    return in;
  if (length < 0)
    return fail(ErrorKind::Value, label, "'minlength' must not be negative");
  std::vector<Tensor> operands{in};
  if (weights) {
    if (weights->ok() && numeric::isComplex(weights->dtype()))
      return fail(ErrorKind::Type, label,
                  std::string("Cannot cast array data from dtype('") +
                      numeric::dtypeName(weights->dtype()) +
                      "') to dtype('float64') according to the rule 'safe'");
    Tensor w = castTo(*weights, DType::F64, label);
    if (!w.ok())
      return w;
    if (w.shape() != in.shape())
      return fail(ErrorKind::Value, label,
                  "The weights and list don't have the same length.");
    operands.push_back(w);
  }
  return makeNode(label, BincountOp::getOperationName(), operands,
                  weights ? DType::F64 : DType::I64, {length}, {});
}

Tensor api::put(const Tensor &x, const Tensor &indices, const Operand &values,
               const std::string &mode) {
  const char *label = "put";
  if (!x.ok())
    return x;
  Tensor idx = modeAndIndices(indices, mode, label);
  if (!idx.ok())
    return idx;
  Tensor v = resolve(values, x.dtype(), label);
  if (!v.ok())
    return v;
  // An empty x has no chunk to check the indices (mars.put): say it here.
  if (x.size() == 0 && idx.size() != 0 && v.size() != 0)
    return fail(ErrorKind::Index, label,
                "cannot replace elements of an empty array");
  return makeNode(label, PutOp::getOperationName(), {x, idx, v}, x.dtype(),
                  x.shape(), {strAttr("mode", mode)});
}

Tensor api::takeAlongAxis(const Tensor &x, const Tensor &indices,
                          std::optional<int64_t> axis) {
  const char *label = "take_along_axis";
  if (!x.ok())
    return x;
  if (!indices.ok())
    return indices;
  if (!isInteger(indices.dtype())) // numpy: bool is not an integer here
    return fail(ErrorKind::Index, label, "`indices` must be an integer array");
  Tensor idx = integerIndices(indices, label);
  if (!idx.ok())
    return idx;
  Tensor in = x;
  if (!axis) {
    if (idx.ndim() != 1)
      return fail(ErrorKind::Value, label,
                  "when axis=None, `indices` must have a single dimension.");
    in = reshape(x, {-1});
    axis = 0;
  } else if (auto err = alongAxis(in, axis, label)) {
    return Tensor::failure(*err);
  }
  if (idx.ndim() != in.ndim())
    return fail(ErrorKind::Value, label,
                "`indices` and `arr` must have the same number of dimensions");
  // Every axis but `axis` broadcasts (numpy's fancy indexing does).
  Shape inShape = in.shape(), idxShape = idx.shape();
  for (int64_t d = 0; d < in.ndim(); ++d) {
    if (d == *axis)
      continue;
    int64_t a = inShape[d], b = idxShape[d];
    if (a != b && a != 1 && b != 1)
      return fail(ErrorKind::Value, label,
                  "shape mismatch: indexing arrays could not be broadcast "
                  "together with shapes " +
                      numeric::formatShape(in.shape()) + " " +
                      numeric::formatShape(idx.shape()));
    inShape[d] = idxShape[d] = a == 1 ? b : a;
  }
  if (inShape != in.shape())
    in = broadcastTo(in, inShape);
  if (idxShape != idx.shape())
    idx = broadcastTo(idx, idxShape);
  return makeNode(label, TakeAlongAxisOp::getOperationName(), {in, idx},
                  in.dtype(), idx.shape(), {i64Attr("axis", *axis)});
}

/// sum and mean of the sparse matrix `x` over `reduced` (normalised), as
/// scipy defines them: products with vectors of ones, read at the stored
/// elements only, in numpy's dtypes; dense results.
static Tensor sparseSum(ReduceFn fn, const Tensor &x,
                        std::vector<int64_t> reduced, bool keepdims,
                        const char *label) {
  const DType acc = numeric::reductionResultDType(fn, x.dtype());
  Tensor a = castTo(x, acc, label);
  const int64_t m = x.shape()[0], n = x.shape()[1];
  llvm::sort(reduced);
  Tensor r;
  if (reduced.empty())
    r = toDense(a); // numpy's axis=(): nothing reduced
  else if (reduced == std::vector<int64_t>{1})
    r = matmul(a, ones({n}, acc));
  else if (reduced == std::vector<int64_t>{0})
    r = matmul(transpose(a), ones({m}, acc));
  else
    r = sum(matmul(a, ones({n}, acc)), std::nullopt, false);
  if (fn == ReduceFn::Mean) {
    int64_t count = 1;
    for (int64_t d : reduced)
      count *= x.shape()[d];
    r = castTo(r / Operand(Scalar(count)), acc, label);
  }
  if (keepdims) {
    Shape shape = x.shape();
    for (int64_t d : reduced)
      shape[d] = 1;
    r = reshape(r, shape);
  }
  return r;
}

Tensor api::reduce(ReduceFn fn, const Tensor &x,
                   std::optional<std::vector<int64_t>> axes, bool keepdims,
                   int64_t ddof) {
  const numeric::ReductionRule &rule = numeric::reductionRule(fn);
  const char *label = fn == ReduceFn::Min   ? "min"
                      : fn == ReduceFn::Max ? "max"
                                            : rule.name.data();
  if (!x.ok())
    return x;
  if (numeric::isComplex(x.dtype()))
    return complexReduce(fn, label, x, axes, keepdims, ddof);
  const bool sparseSums =
      x.isSparse() && (fn == ReduceFn::Sum || fn == ReduceFn::Mean);
  if (x.isSparse() && !numeric::reducesCsr(fn) && !sparseSums)
    return fail(ErrorKind::NotImplemented, label,
                std::string(label) +
                    " of a sparse matrix is not supported (sum, mean, min, "
                    "max, argmin, argmax, prod, any and all are); convert "
                    "with todense() first");
  const int64_t ndim = x.ndim();
  std::vector<int64_t> reduced;
  if (axes) {
    if (rule.isArg() && axes->size() != 1)
      return fail(ErrorKind::Type, label,
                  "'tuple' object cannot be interpreted as an integer");
    reduced = *axes;
    if (auto err = normalizeAxes(reduced, ndim, label))
      return Tensor::failure(*err);
  } else {
    reduced.resize(ndim);
    std::iota(reduced.begin(), reduced.end(), 0);
  }
  if (sparseSums)
    return sparseSum(fn, x, reduced, keepdims, label);
  int64_t count = 1;
  for (int64_t a : reduced)
    count *= x.shape()[a];
  if (count == 0 && rule.raisesOnEmpty()) {
    if (rule.isArg())
      return fail(ErrorKind::Value, label,
                  std::string("attempt to get ") + label +
                      " of an empty sequence");
    // numpy names the ufunc: "... reduction operation maximum ...".
    return fail(ErrorKind::Value, label,
                std::string("zero-size array to reduction operation ") +
                    (fn == ReduceFn::Min ? "minimum" : "maximum") +
                    " which has no identity");
  }
  Shape shape;
  for (int64_t d = 0; d < ndim; ++d) {
    bool isReduced = llvm::is_contained(reduced, d);
    if (!isReduced)
      shape.push_back(x.shape()[d]);
    else if (keepdims)
      shape.push_back(1);
  }
  SmallVector<NamedAttribute> attrs;
  Builder b(&context());
  if (rule.isArg()) {
    if (axes)
      attrs.push_back(i64Attr("axis", reduced.front()));
  } else if (axes) {
    llvm::sort(reduced);
    attrs.push_back(i64Array("axes", reduced));
  }
  if (keepdims)
    attrs.push_back(b.getNamedAttr("keepdims", b.getUnitAttr()));
  if (ddof != 0) {
    if (!rule.isMoments() || fn == ReduceFn::Mean)
      return fail(ErrorKind::Type, label,
                  std::string(label) + "() got an unexpected keyword "
                                       "argument 'ddof'");
    if (ddof < 0)
      return fail(ErrorKind::NotImplemented, label,
                  "a negative ddof is not supported");
    attrs.push_back(i64Attr("ddof", ddof));
  }
  return makeNode(label, reductionOp(fn), {x},
                  numeric::reductionResultDType(fn, x.dtype()), shape, attrs);
}

Tensor api::sum(const Tensor &x, std::optional<std::vector<int64_t>> axes,
                bool keepdims) {
  return reduce(ReduceFn::Sum, x, std::move(axes), keepdims);
}

Tensor api::mean(const Tensor &x, std::optional<std::vector<int64_t>> axes,
                 bool keepdims) {
  return reduce(ReduceFn::Mean, x, std::move(axes), keepdims);
}

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

Tensor api::transpose(const Tensor &x,
                      std::optional<std::vector<int64_t>> perm) {
  const char *label = "transpose";
  if (!x.ok())
    return x;
  const int64_t ndim = x.ndim();
  std::vector<int64_t> p;
  if (perm) {
    if (static_cast<int64_t>(perm->size()) != ndim)
      return fail(ErrorKind::Value, label, "axes don't match array");
    p = *perm;
    if (auto err = normalizeAxes(p, ndim, label))
      return Tensor::failure(*err);
  } else {
    for (int64_t d = ndim - 1; d >= 0; --d)
      p.push_back(d);
  }
  Shape shape;
  bool identity = true;
  for (int64_t d = 0; d < ndim; ++d) {
    shape.push_back(x.shape()[p[d]]);
    identity &= p[d] == d;
  }
  if (identity)
    return x;
  return makeNode(label, TransposeOp::getOperationName(), {x}, x.dtype(),
                  shape, {i64Array("perm", p)}, {}, x.isSparse());
}

Tensor api::reshape(const Tensor &x, const Shape &newShape) {
  const char *label = "reshape";
  if (!x.ok())
    return x;
  Shape shape = newShape;
  int64_t unknown = -1, known = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == -1) {
      if (unknown >= 0)
        return fail(ErrorKind::Value, label,
                    "can only specify one unknown dimension");
      unknown = d;
    } else if (shape[d] < 0) {
      return fail(ErrorKind::Value, label,
                  "negative dimensions not allowed");
    } else {
      known *= shape[d];
    }
  }
  auto cannot = [&] {
    return fail(ErrorKind::Value, label,
                "cannot reshape array of size " + std::to_string(x.size()) +
                    " into shape " + numeric::formatShape(newShape));
  };
  if (unknown >= 0) {
    if (known == 0 || x.size() % known != 0)
      return cannot();
    shape[unknown] = x.size() / known;
  }
  if (numeric::numElements(shape) != x.size())
    return cannot();
  if (shape == x.shape())
    return x;
  return makeNode(label, ReshapeOp::getOperationName(), {x}, x.dtype(), shape,
                  {});
}

Tensor api::broadcastTo(const Tensor &x, const Shape &shape) {
  const char *label = "broadcast_to";
  if (!x.ok())
    return x;
  if (auto err = checkShape(shape, label))
    return Tensor::failure(*err);
  bool fits = shape.size() >= x.shape().size();
  for (size_t i = 0; fits && i < x.shape().size(); ++i) {
    int64_t have = x.shape()[x.shape().size() - 1 - i];
    int64_t want = shape[shape.size() - 1 - i];
    fits = have == want || have == 1;
  }
  if (!fits)
    return fail(ErrorKind::Value, label,
                "operands could not be broadcast together with remapped "
                "shapes [original->remapped]: " +
                    numeric::formatShape(x.shape()) + " and requested shape " +
                    numeric::formatShape(shape));
  if (shape == x.shape())
    return x;
  return makeNode(label, BroadcastToOp::getOperationName(), {x}, x.dtype(),
                  shape, {});
}

Tensor api::expandDims(const Tensor &x, const std::vector<int64_t> &axes) {
  const char *label = "expand_dims";
  if (!x.ok())
    return x;
  std::vector<int64_t> a = axes;
  const int64_t outRank = x.ndim() + static_cast<int64_t>(a.size());
  if (auto err = normalizeAxes(a, outRank, label))
    return Tensor::failure(*err);
  llvm::sort(a);
  Shape shape;
  size_t next = 0;
  for (int64_t d = 0; d < outRank; ++d)
    shape.push_back(llvm::is_contained(a, d) ? 1 : x.shape()[next++]);
  if (a.empty())
    return x;
  return makeNode(label, ExpandDimsOp::getOperationName(), {x}, x.dtype(),
                  shape, {i64Array("axes", a)});
}

Tensor api::squeeze(const Tensor &x, std::optional<std::vector<int64_t>> axes) {
  const char *label = "squeeze";
  if (!x.ok())
    return x;
  std::vector<int64_t> a;
  if (axes) {
    a = *axes;
    if (auto err = normalizeAxes(a, x.ndim(), label))
      return Tensor::failure(*err);
    for (int64_t d : a)
      if (x.shape()[d] != 1)
        return fail(ErrorKind::Value, label,
                    "cannot select an axis to squeeze out which has size not "
                    "equal to one");
  } else {
    for (int64_t d = 0; d < x.ndim(); ++d)
      if (x.shape()[d] == 1)
        a.push_back(d);
  }
  if (a.empty())
    return x;
  llvm::sort(a);
  Shape shape;
  for (int64_t d = 0; d < x.ndim(); ++d)
    if (!llvm::is_contained(a, d))
      shape.push_back(x.shape()[d]);
  return makeNode(label, SqueezeOp::getOperationName(), {x}, x.dtype(), shape,
                  {i64Array("axes", a)});
}

Tensor api::flip(const Tensor &x, std::optional<std::vector<int64_t>> axes) {
  const char *label = "flip";
  if (!x.ok())
    return x;
  std::vector<int64_t> a;
  if (axes) {
    a = *axes;
    if (auto err = normalizeAxes(a, x.ndim(), label))
      return Tensor::failure(*err);
    llvm::sort(a);
  } else {
    a.resize(x.ndim());
    std::iota(a.begin(), a.end(), 0);
  }
  if (a.empty())
    return x;
  return makeNode(label, FlipOp::getOperationName(), {x}, x.dtype(),
                  x.shape(), {i64Array("axes", a)});
}

Tensor api::band(const Tensor &x, int64_t lower, int64_t upper) {
  const char *label = "band";
  if (!x.ok())
    return x;
  if (x.ndim() < 2)
    return fail(ErrorKind::Value, label,
                "needs an array of at least two dimensions");
  return makeNode(label, BandOp::getOperationName(), {x}, x.dtype(),
                  x.shape(), {i64Attr("lower", lower), i64Attr("upper", upper)},
                  {}, x.isSparse());
}

/// tril/triu's matrix: numpy's tri(*m.shape[-2:]) mask broadcasts a 1-D
/// input to a square matrix, and has no meaning for a 0-d one.
static Tensor triangleInput(const Tensor &x, const char *label) {
  if (!x.ok() || x.ndim() >= 2)
    return x;
  if (x.ndim() == 0)
    return fail(ErrorKind::Type, label, "needs an array of at least one "
                                        "dimension");
  return broadcastTo(x, {x.shape()[0], x.shape()[0]});
}

Tensor api::tril(const Tensor &x, int64_t k) {
  Tensor m = triangleInput(x, "tril");
  if (!m.ok())
    return m;
  return band(m, -m.shape()[m.ndim() - 2], k);
}

Tensor api::triu(const Tensor &x, int64_t k) {
  Tensor m = triangleInput(x, "triu");
  if (!m.ok())
    return m;
  return band(m, k, m.shape().back());
}

/// The inputs of concatenate/stack in one dtype (or the first failed one).
static std::optional<Tensor> joinInputs(const std::vector<Tensor> &xs,
                                        const char *label,
                                        std::vector<Tensor> &out) {
  if (xs.empty())
    return fail(ErrorKind::Value, label, "need at least one array to " +
                                             std::string(label));
  for (const Tensor &t : xs)
    if (!t.ok())
      return t;
  // Join promotes like numpy.result_type of arrays: no value-based rule.
  DType d = xs.front().dtype();
  for (const Tensor &t : xs)
    d = promoteTypes(d, t.dtype());
  for (const Tensor &t : xs)
    out.push_back(castTo(t, d, label));
  return std::nullopt;
}

Tensor api::concatenate(const std::vector<Tensor> &xs, int64_t axis) {
  const char *label = "concatenate";
  std::vector<Tensor> ins;
  if (auto bad = joinInputs(xs, label, ins))
    return *bad;
  const int64_t ndim = ins.front().ndim();
  if (ndim == 0)
    return fail(ErrorKind::Value, label,
                "zero-dimensional arrays cannot be concatenated");
  if (auto err = normalizeAxis(axis, ndim, label))
    return Tensor::failure(*err);
  Shape shape = ins.front().shape();
  for (size_t i = 1; i < ins.size(); ++i) {
    const Shape &s = ins[i].shape();
    if (static_cast<int64_t>(s.size()) != ndim)
      return fail(ErrorKind::Value, label,
                  "all the input array dimensions except for the "
                  "concatenation axis must match exactly, but the array at "
                  "index 0 has " +
                      std::to_string(ndim) + " dimension(s) and the array "
                                             "at index " +
                      std::to_string(i) + " has " + std::to_string(s.size()) +
                      " dimension(s)");
    for (int64_t d = 0; d < ndim; ++d) {
      if (d == axis)
        continue;
      if (s[d] != shape[d])
        return fail(ErrorKind::Value, label,
                    "all the input array dimensions except for the "
                    "concatenation axis must match exactly, but along "
                    "dimension " +
                        std::to_string(d) + ", the array at index 0 has size " +
                        std::to_string(shape[d]) + " and the array at index " +
                        std::to_string(i) + " has size " +
                        std::to_string(s[d]));
    }
    shape[axis] += s[axis];
  }
  if (ins.size() == 1)
    return ins.front();
  DType d = ins.front().dtype();
  // With a sparse matrix among them, the inputs join as sparse matrices
  // (scipy's vstack and hstack).
  bool sparse = llvm::any_of(ins, [](const Tensor &t) { return t.isSparse(); });
  if (sparse)
    for (Tensor &t : ins)
      t = toSparse(t);
  return makeNode(label, ConcatenateOp::getOperationName(), std::move(ins), d,
                  shape, {i64Attr("axis", axis)}, {}, sparse);
}

Tensor api::stack(const std::vector<Tensor> &xs, int64_t axis) {
  const char *label = "stack";
  std::vector<Tensor> ins;
  if (auto bad = joinInputs(xs, label, ins))
    return *bad;
  const Shape &first = ins.front().shape();
  for (const Tensor &t : ins)
    if (t.shape() != first)
      return fail(ErrorKind::Value, label,
                  "all input arrays must have the same shape");
  if (auto err = normalizeAxis(axis, ins.front().ndim() + 1, label))
    return Tensor::failure(*err);
  Shape shape = first;
  shape.insert(shape.begin() + axis, static_cast<int64_t>(ins.size()));
  DType d = ins.front().dtype();
  return makeNode(label, StackOp::getOperationName(), std::move(ins), d, shape,
                  {i64Attr("axis", axis)});
}

Tensor api::index(const Tensor &x, const std::vector<IndexItem> &items) {
  const char *label = "getitem";
  if (!x.ok())
    return x;
  using Kind = IndexItem::Kind;
  int64_t consumed = 0, ellipses = 0;
  for (const IndexItem &it : items) {
    consumed += it.kind == Kind::Int || it.kind == Kind::Slice;
    ellipses += it.kind == Kind::Ellipsis;
  }
  if (ellipses > 1)
    return fail(ErrorKind::Index, label,
                "an index can only have a single ellipsis ('...')");
  const int64_t ndim = x.ndim();
  if (consumed > ndim)
    return fail(ErrorKind::Index, label,
                "too many indices for array: array is " +
                    std::to_string(ndim) + "-dimensional, but " +
                    std::to_string(consumed) + " were indexed");
  // Expand the ellipsis (or an implicit one at the end) to whole slices.
  std::vector<IndexItem> full;
  bool expanded = false;
  for (const IndexItem &it : items) {
    if (it.kind == Kind::Ellipsis) {
      for (int64_t i = 0; i < ndim - consumed; ++i)
        full.push_back(IndexItem::slice());
      expanded = true;
      continue;
    }
    full.push_back(it);
  }
  if (!expanded)
    for (int64_t i = 0; i < ndim - consumed; ++i)
      full.push_back(IndexItem::slice());

  SmallVector<int64_t> starts, stops, steps, intDims;
  Shape sliced, result;
  bool identity = true;
  int64_t d = 0;
  for (const IndexItem &it : full) {
    if (it.kind == Kind::NewAxis) {
      result.push_back(1);
      continue;
    }
    const int64_t size = x.shape()[d];
    if (it.kind == Kind::Int) {
      int64_t i = it.index;
      if (i < -size || i >= size)
        return fail(ErrorKind::Index, label,
                    "index " + std::to_string(it.index) +
                        " is out of bounds for axis " + std::to_string(d) +
                        " with size " + std::to_string(size));
      if (i < 0)
        i += size;
      starts.push_back(i);
      stops.push_back(i + 1);
      steps.push_back(1);
      sliced.push_back(1);
      intDims.push_back(d);
      identity &= size == 1;
    } else {
      if (it.step == 0)
        return fail(ErrorKind::Value, label, "slice step cannot be zero");
      // Bounds beyond the dimension mean what the nearest in-range one
      // means; clamped, none can be mistaken for SliceOp::kOmitted.
      auto clamp = [&](std::optional<int64_t> v) -> std::optional<int64_t> {
        if (!v)
          return v;
        return std::clamp<int64_t>(*v, -size - 1, size + 1);
      };
      std::optional<int64_t> start = clamp(it.start), stop = clamp(it.stop);
      numeric::SliceDim s =
          numeric::normalizeSlice(start, stop, it.step, size);
      starts.push_back(start ? *start : SliceOp::kOmitted);
      stops.push_back(stop ? *stop : SliceOp::kOmitted);
      steps.push_back(it.step);
      sliced.push_back(s.count);
      result.push_back(s.count);
      identity &= s.count == size && (s.step == 1 || size <= 1);
    }
    ++d;
  }
  Tensor t = x;
  if (!identity)
    t = makeNode(label, SliceOp::getOperationName(), {x}, x.dtype(), sliced,
                 {i64Array("starts", starts), i64Array("stops", stops),
                  i64Array("steps", steps)},
                 {}, x.isSparse());
  if (!intDims.empty())
    t = squeeze(t, std::vector<int64_t>(intDims.begin(), intDims.end()));
  if (t.ok() && t.shape() != result)
    t = reshape(t, result);
  return t;
}

Tensor api::rechunk(const Tensor &x, const ChunkSize &chunks) {
  const char *label = "rechunk";
  if (!x.ok())
    return x;
  if (chunks.isAutomatic())
    return x;
  return makeNode(label, RechunkOp::getOperationName(), {x}, x.dtype(),
                  x.shape(), {}, chunks, x.isSparse());
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

/// Operands of a product in one numeric dtype (bool computes in int64 and
/// is compared with zero afterwards, as numpy's bool product is an or of
/// ands).
static std::pair<Tensor, Tensor> productOperands(const Tensor &a,
                                                 const Tensor &b,
                                                 const char *label,
                                                 DType &dtype) {
  dtype = promoteTypes(a.dtype(), b.dtype());
  DType in = dtype == DType::Bool ? DType::I64 : dtype;
  return {castTo(a, in, label), castTo(b, in, label)};
}

static Tensor boolProduct(Tensor t, DType dtype) {
  if (dtype != DType::Bool || !t.ok())
    return t;
  return binary(BinaryFn::Ne, t, Scalar(int64_t(0)));
}

/// numpy.matmul of stacks (either operand of rank 3 or more, core
/// dimensions checked): 1-D operands promoted to a row or a column and
/// dropped after, batch dimensions broadcast, and a stack times one matrix
/// computed as one product of the stack's rows.
static Tensor stackedMatmul(const Tensor &a0, const Tensor &b0,
                            const char *label) {
  Tensor a = a0, b = b0;
  const bool rowVector = a.ndim() == 1, columnVector = b.ndim() == 1;
  if (rowVector)
    a = api::reshape(a, {1, a.shape()[0]});
  if (columnVector)
    b = api::reshape(b, {b.shape()[0], 1});
  const Shape &sa = a.shape(), &sb = b.shape();
  const int64_t k = sa.back(), n = sb.back(), m = sa[sa.size() - 2];
  Tensor r;
  if (b.ndim() == 2) {
    // A stack times one matrix: one (BLAS) product of the stack's rows.
    int64_t rows = 1;
    for (size_t d = 0; d + 1 < sa.size(); ++d)
      rows *= sa[d];
    Shape shape(sa.begin(), sa.end() - 1);
    shape.push_back(n);
    r = api::reshape(api::matmul(api::reshape(a, {rows, k}), b), shape);
  } else {
    Shape ba(sa.begin(), sa.end() - 2), bb(sb.begin(), sb.end() - 2);
    std::optional<Shape> batch = numeric::broadcastShapes({ba, bb});
    if (!batch)
      return fail(ErrorKind::Value, label,
                  "operands could not be broadcast together with remapped "
                  "shapes [original->remapped]: " +
                      numeric::formatShape(a0.shape()) + " and " +
                      numeric::formatShape(b0.shape()) +
                      " (batch dimensions " + numeric::formatShape(ba) +
                      " and " + numeric::formatShape(bb) + ")");
    Shape shapeA = *batch, shapeB = *batch, shape = *batch;
    shapeA.insert(shapeA.end(), {m, k});
    shapeB.insert(shapeB.end(), {k, n});
    shape.insert(shape.end(), {m, n});
    DType dtype;
    auto [x, y] = productOperands(api::broadcastTo(a, shapeA),
                                  api::broadcastTo(b, shapeB), label, dtype);
    DType in = x.ok() ? x.dtype() : dtype;
    r = boolProduct(makeNode(label, MatmulOp::getOperationName(), {x, y}, in,
                             shape, {}),
                    dtype);
  }
  if (!r.ok() || (!rowVector && !columnVector))
    return r;
  Shape shape(r.shape().begin(), r.shape().end() - 2);
  if (!rowVector)
    shape.push_back(m);
  if (!columnVector)
    shape.push_back(n);
  return api::reshape(r, shape);
}

Tensor api::matmul(const Tensor &a, const Tensor &b) {
  const char *label = "matmul";
  if (!a.ok())
    return a;
  if (!b.ok())
    return b;
  if (numeric::isComplex(a.dtype()) || numeric::isComplex(b.dtype()))
    return complexProduct(
        a, b, [](const Tensor &x, const Tensor &y) { return matmul(x, y); },
        label);
  const Tensor *operands[] = {&a, &b};
  for (int i = 0; i < 2; ++i)
    if (operands[i]->ndim() == 0)
      return fail(ErrorKind::Value, label,
                  "Input operand " + std::to_string(i) +
                      " does not have enough dimensions (has 0, gufunc core "
                      "with signature (n?,k),(k,m?)->(n?,m?) requires 1)");
  int64_t k1 = a.shape().back();
  int64_t k2 = b.shape()[b.ndim() >= 2 ? b.ndim() - 2 : 0];
  if (k1 != k2)
    return fail(ErrorKind::Value, label,
                "Input operand 1 has a mismatch in its core dimension 0, "
                "with gufunc signature (n?,k),(k,m?)->(n?,m?) (size " +
                    std::to_string(k2) + " is different from " +
                    std::to_string(k1) + ")");
  if (b.isSparse() && !a.isSparse()) {
    // Dense times sparse: (b^T a^T)^T, a sparse-times-dense product (how
    // scipy's rmatvec and rmatmat compute it).
    if (a.ndim() > 2)
      return fail(ErrorKind::NotImplemented, label,
                  "stacks of matrices times a sparse matrix are not "
                  "supported yet");
    Tensor p = matmul(transpose(b), transpose(a));
    return a.ndim() == 2 ? transpose(p) : p;
  }
  if (a.ndim() > 2 || b.ndim() > 2)
    return stackedMatmul(a, b, label);
  Shape shape;
  if (a.ndim() == 2)
    shape.push_back(a.shape()[0]);
  if (b.ndim() == 2)
    shape.push_back(b.shape()[1]);
  DType dtype;
  auto [x, y] = productOperands(a, b, label, dtype);
  DType in = x.ok() ? x.dtype() : dtype;
  // Sparse times sparse is sparse (scipy's SpGEMM).
  return boolProduct(makeNode(label, MatmulOp::getOperationName(), {x, y}, in,
                              shape, {}, {}, a.isSparse() && b.isSparse()),
                     dtype);
}

Tensor api::dot(const Tensor &a, const Tensor &b) {
  const char *label = "dot";
  if (!a.ok())
    return a;
  if (!b.ok())
    return b;
  if (a.ndim() == 0 || b.ndim() == 0)
    return binary(BinaryFn::Mul, a, b);
  if (a.ndim() <= 2 && b.ndim() <= 2) {
    int64_t k1 = a.shape().back(), k2 = b.shape()[0];
    if (k1 != k2)
      return fail(ErrorKind::Value, label,
                  "shapes " + numeric::formatShape(a.shape()) + " and " +
                      numeric::formatShape(b.shape()) + " not aligned: " +
                      std::to_string(k1) + " (dim " +
                      std::to_string(a.ndim() - 1) + ") != " +
                      std::to_string(k2) + " (dim 0)");
    return matmul(a, b);
  }
  int64_t bAxis = b.ndim() == 1 ? 0 : b.ndim() - 2;
  if (a.shape().back() != b.shape()[bAxis])
    return fail(ErrorKind::Value, label,
                "shapes " + numeric::formatShape(a.shape()) + " and " +
                    numeric::formatShape(b.shape()) + " not aligned: " +
                    std::to_string(a.shape().back()) + " (dim " +
                    std::to_string(a.ndim() - 1) + ") != " +
                    std::to_string(b.shape()[bAxis]) + " (dim " +
                    std::to_string(bAxis) + ")");
  return tensordot(a, b, {a.ndim() - 1}, {bAxis});
}

Tensor api::tensordot(const Tensor &a, const Tensor &b,
                      const std::vector<int64_t> &aAxes,
                      const std::vector<int64_t> &bAxes) {
  const char *label = "tensordot";
  if (!a.ok())
    return a;
  if (!b.ok())
    return b;
  if (numeric::isComplex(a.dtype()) || numeric::isComplex(b.dtype()))
    return complexProduct(
        a, b,
        [&](const Tensor &x, const Tensor &y) {
          return tensordot(x, y, aAxes, bAxes);
        },
        label);
  if (aAxes.size() != bAxes.size())
    return fail(ErrorKind::Value, label, "shape-mismatch for sum");
  std::vector<int64_t> ax = aAxes, bx = bAxes;
  if (auto err = normalizeAxes(ax, a.ndim(), label))
    return Tensor::failure(*err);
  if (auto err = normalizeAxes(bx, b.ndim(), label))
    return Tensor::failure(*err);
  for (size_t i = 0; i < ax.size(); ++i)
    if (a.shape()[ax[i]] != b.shape()[bx[i]])
      return fail(ErrorKind::Value, label, "shape-mismatch for sum");
  Shape shape;
  for (int64_t d = 0; d < a.ndim(); ++d)
    if (!llvm::is_contained(ax, d))
      shape.push_back(a.shape()[d]);
  for (int64_t d = 0; d < b.ndim(); ++d)
    if (!llvm::is_contained(bx, d))
      shape.push_back(b.shape()[d]);
  DType dtype;
  auto [x, y] = productOperands(a, b, label, dtype);
  DType in = x.ok() ? x.dtype() : dtype;
  return boolProduct(makeNode(label, TensordotOp::getOperationName(), {x, y},
                              in, shape,
                              {i64Array("lhs_axes", ax),
                               i64Array("rhs_axes", bx)}),
                     dtype);
}

Tensor api::tensordot(const Tensor &a, const Tensor &b, int64_t n) {
  if (!a.ok())
    return a;
  if (!b.ok())
    return b;
  if (n < 0 || n > a.ndim() || n > b.ndim())
    return fail(ErrorKind::Value, "tensordot", "shape-mismatch for sum");
  std::vector<int64_t> ax, bx;
  for (int64_t i = 0; i < n; ++i) {
    ax.push_back(a.ndim() - n + i);
    bx.push_back(i);
  }
  return tensordot(a, b, ax, bx);
}
