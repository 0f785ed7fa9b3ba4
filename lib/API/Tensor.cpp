//===- Tensor.cpp - Tensor handles, dtypes and creation functions ---------===//
//
// The graph nodes, numpy's dtype promotion, and the functions that create
// tensors. The elementwise, reduction, shape and linear algebra functions
// are in Functions.cpp; both record one node per call with Builder.h.
//
//===----------------------------------------------------------------------===//

#include "Builder.h"
#include "Complex.h"

#include "mars/Dialect/Mars/IR/ChunkRules.h"
#include "mars/Dialect/Mars/IR/Mars.h"

#include "llvm/ADT/STLExtras.h"

#include <cfloat>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mars;
using namespace mars::api;
using namespace mars::api::graph;

//===----------------------------------------------------------------------===//
// Context and nodes
//===----------------------------------------------------------------------===//

MLIRContext &graph::context() {
  static MLIRContext *ctx = [] {
    DialectRegistry registry;
    registry.insert<MarsDialect, func::FuncDialect>();
    auto *c = new MLIRContext(registry);
    c->loadAllAvailableDialects();
    c->printOpOnDiagnostic(false);
    return c;
  }();
  return *ctx;
}

graph::Node::~Node() {
  std::vector<std::shared_ptr<Node>> pending = std::move(inputs);
  while (!pending.empty()) {
    std::shared_ptr<Node> n = std::move(pending.back());
    pending.pop_back();
    if (n && n.use_count() == 1) {
      for (auto &in : n->inputs)
        pending.push_back(std::move(in));
      n->inputs.clear();
    }
    // `n` goes here, with no inputs left to free.
  }
}

RankedTensorType graph::tensorType(DType dtype, const Shape &shape,
                                   bool sparse) {
  return RankedTensorType::get(shape, toElementType(&context(), dtype),
                               sparse ? CsrAttr::get(&context()) : Attribute());
}

std::string Error::str() const {
  return op.empty() ? message : op + ": " + message;
}

Tensor Tensor::failure(Error error) {
  Tensor t;
  t.error_ = std::make_shared<const Error>(std::move(error));
  return t;
}

const Error &Tensor::error() const {
  static const Error kNone{ErrorKind::Value, "", "no error"};
  static const Error kNull{ErrorKind::Value, "", "use of an empty Tensor"};
  if (error_)
    return *error_;
  return node_ ? kNone : kNull;
}

DType Tensor::dtype() const { return node_ ? node_->dtype : DType::F64; }

const Shape &Tensor::shape() const {
  static const Shape kNoShape;
  return node_ ? node_->shape : kNoShape;
}

bool Tensor::isSparse() const { return node_ && isCsr(node_->type); }

std::optional<Shape> Tensor::chunkShape() const {
  if (!node_ || !node_->chunks)
    return std::nullopt;
  ArrayRef<int64_t> c = node_->chunks.asArrayRef();
  return Shape(c.begin(), c.end());
}

bool Tensor::isExecuted() const { return node_ && node_->value; }

std::shared_ptr<const NDArray> Tensor::value() const {
  return node_ ? node_->value : nullptr;
}

std::string Tensor::describe() const {
  if (!ok())
    return "Tensor(<error: " + error().str() + ">)";
  std::string s = "Tensor(shape=" + numeric::formatShape(shape()) +
                  ", dtype=" + numeric::dtypeName(dtype());
  if (auto c = chunkShape())
    s += ", chunk_size=" + numeric::formatShape(*c);
  return s + ")";
}

//===----------------------------------------------------------------------===//
// dtypes
//===----------------------------------------------------------------------===//

const char *api::dtypeName(DType dtype) { return numeric::dtypeName(dtype); }

std::optional<DType> api::parseDType(const std::string &name) {
  for (DType d : numeric::kAllDTypes)
    if (name == numeric::dtypeName(d))
      return d;
  return std::nullopt;
}

Scalar Scalar::of(const NDArray &array, int64_t i) {
  Scalar s;
  DType d = array.dtype();
  if (d == DType::Bool)
    s = Scalar(array.getBool(i));
  else if (d == DType::U64)
    s = Scalar(static_cast<uint64_t>(array.getInt(i)));
  else if (numeric::isInteger(d))
    s = Scalar(array.getInt(i));
  else if (d == DType::C64) {
    const float *parts = reinterpret_cast<const float *>(array.bytes());
    s = Scalar::complex(parts[2 * i], parts[2 * i + 1]);
  } else if (d == DType::C128) {
    const double *parts = reinterpret_cast<const double *>(array.bytes());
    s = Scalar::complex(parts[2 * i], parts[2 * i + 1]);
  } else
    s = Scalar(array.getDouble(i));
  s.typed = d;
  return s;
}

DType Scalar::dtype() const {
  if (typed)
    return *typed;
  switch (kind) {
  case Kind::Bool:
    return DType::Bool;
  case Kind::Int:
    return big ? DType::U64 : DType::I64;
  case Kind::Complex:
    return DType::C128;
  case Kind::Float:
    break;
  }
  return DType::F64;
}

int graph::kindOf(DType d) {
  return d == DType::Bool ? 0 : numeric::isInteger(d) ? 1 : 2;
}

DType api::promoteTypes(DType a, DType b) {
  if (a == b)
    return a;
  if (numeric::isComplex(a) || numeric::isComplex(b)) {
    // Complex with complex: the wider; with a real dtype: the complex dtype
    // whose parts hold both (int32 and complex64 give complex128).
    if (numeric::isComplex(a) && numeric::isComplex(b))
      return numeric::dtypeSize(a) >= numeric::dtypeSize(b) ? a : b;
    if (numeric::isComplex(a))
      std::swap(a, b);
    return numeric::complexOf(promoteTypes(a, numeric::complexPart(b)));
  }
  int ka = kindOf(a), kb = kindOf(b);
  if (ka > kb)
    std::swap(a, b), std::swap(ka, kb);
  if (ka == 0)
    return b; // bool with anything: the other.
  size_t sa = numeric::dtypeSize(a), sb = numeric::dtypeSize(b);
  if (ka != kb) { // An integer with a float: a float that holds it exactly.
    if (sa == 1 && b == DType::F16)
      return DType::F16;
    return sa <= 2 && b != DType::F64 ? DType::F32 : DType::F64;
  }
  if (ka == 2 || numeric::isUnsigned(a) == numeric::isUnsigned(b))
    return sa >= sb ? a : b; // One kind and signedness: the wider.
  // Signed with unsigned: the signed one when it is wider, else the signed
  // type twice the unsigned's size (none for uint64: float64).
  if (numeric::isUnsigned(a))
    std::swap(a, b), std::swap(sa, sb);
  if (sa > sb)
    return a;
  switch (sb) {
  case 1:
    return DType::I16;
  case 2:
    return DType::I32;
  case 4:
    return DType::I64;
  default:
    return DType::F64;
  }
}

/// Whether the integer dtype `d` holds `v`.
static bool holdsInteger(DType d, int64_t v) {
  unsigned bits = numeric::dtypeSize(d) * 8;
  if (numeric::isUnsigned(d))
    return v >= 0 && (bits == 64 || v >> bits == 0);
  return llvm::isIntN(bits, v);
}

/// numpy's min_scalar_type of the integer `s`; `small`: a non-negative
/// value that fits the signed type of its size counts as that type.
static DType minIntegerType(const Scalar &s, bool small) {
  if (s.big)
    return DType::U64;
  if (s.i < 0)
    return s.i >= INT8_MIN    ? DType::I8
           : s.i >= INT16_MIN ? DType::I16
           : s.i >= INT32_MIN ? DType::I32
                              : DType::I64;
  uint64_t v = static_cast<uint64_t>(s.i);
  if (v <= UINT8_MAX)
    return small && v <= INT8_MAX ? DType::I8 : DType::U8;
  if (v <= UINT16_MAX)
    return small && v <= INT16_MAX ? DType::I16 : DType::U16;
  if (v <= UINT32_MAX)
    return small && v <= INT32_MAX ? DType::I32 : DType::U32;
  return small ? DType::I64 : DType::U64;
}

/// numpy's min_scalar_type of the float number `s`, by its bounds: float16
/// below 65000 in magnitude (and for infinities and NaN), float32 below
/// 3.4e38, else float64; never wider than a numpy scalar's own dtype
/// (precision is not considered).
static DType minFloatType(const Scalar &s) {
  const double f = std::fabs(s.f);
  DType d = !std::isfinite(s.f) || f < 65000.0 ? DType::F16
            : f < 3.4e38                       ? DType::F32
                                               : DType::F64;
  if (s.typed && numeric::isFloat(*s.typed) &&
      numeric::dtypeSize(*s.typed) < numeric::dtypeSize(d))
    return *s.typed;
  return d;
}

/// numpy's min_scalar_type of the complex number `s`: complex64 when both
/// parts are within float32's range, else complex128; never wider than a
/// numpy scalar's own dtype.
static DType minComplexType(const Scalar &s) {
  // numpy's min_scalar_type test, which NaN and infinities fail (unlike a
  // float's, which puts them in float16).
  auto fits = [](double v) { return v > -3.4e38 && v < 3.4e38; };
  if ((s.typed && *s.typed == DType::C64) || (fits(s.f) && fits(s.imag)))
    return DType::C64;
  return DType::C128;
}

/// numpy 1.24's value-based casting: the dtype an array of dtype `r` and
/// the number `s` (of the same or a lower kind) give. An integer counts as
/// the smallest type that holds it (min_scalar_type: unsigned when it is
/// not negative), and a non-negative one that also fits the signed type of
/// that size counts as signed next to signed arrays ("small unsigned").
static DType promoteWithValue(DType r, const Scalar &s) {
  switch (s.kind) {
  case Scalar::Kind::Bool:
    return r;
  case Scalar::Kind::Complex:
    return promoteTypes(r, minComplexType(s));
  case Scalar::Kind::Float:
    // min_scalar_type: float16, float32 or float64, by the number's range
    // (an infinity or NaN fits float16).
    return promoteTypes(r, minFloatType(s));
  case Scalar::Kind::Int:
    break;
  }
  return promoteTypes(r, minIntegerType(s, numeric::isSignedInteger(r)));
}

/// numpy's value-based can_cast of the number `s` to `t`.
static bool valueFits(const Scalar &s, DType t) {
  switch (s.kind) {
  case Scalar::Kind::Bool:
    return true;
  case Scalar::Kind::Complex:
    return numeric::isComplex(t) && promoteTypes(minComplexType(s), t) == t;
  case Scalar::Kind::Float:
    return (numeric::isFloat(t) || numeric::isComplex(t)) &&
           promoteTypes(minFloatType(s), t) == t;
  case Scalar::Kind::Int:
    break;
  }
  if (numeric::isInteger(t))
    return s.big ? t == DType::U64 : holdsInteger(t, s.i);
  if (numeric::isFloat(t) || numeric::isComplex(t))
    return promoteTypes(minIntegerType(s, false), t) == t;
  return false;
}

/// An operand of rank 1 or more: numpy never looks at an array's values.
static bool isArrayOperand(const Operand &o) {
  return !o.scalar && o.tensor.ok() && o.tensor.ndim() > 0;
}

static DType operandDType(const Operand &o) {
  return o.scalar ? o.scalar->dtype() : o.tensor.dtype();
}

/// The value numpy's value-based rule sees for a number or a 0-d operand:
/// a number's, or a 0-d tensor's given or executed (a lazy one has none and
/// counts by its dtype).
static std::optional<Scalar> knownValue(const Operand &o) {
  if (o.scalar)
    return o.scalar;
  if (o.tensor.ok() && o.tensor.isExecuted())
    return Scalar::of(*o.tensor.value());
  return std::nullopt;
}

/// Whether numpy looks at the numbers' values: there are arrays, and no
/// number or 0-d operand is of a higher kind than they are (otherwise every
/// operand counts by its dtype).
static bool valuesCount(const std::vector<Operand> &operands) {
  std::optional<int> arrayKind;
  for (const Operand &o : operands)
    if (isArrayOperand(o))
      arrayKind = std::max(arrayKind.value_or(0), kindOf(operandDType(o)));
  if (!arrayKind)
    return false;
  for (const Operand &o : operands)
    if (!isArrayOperand(o) && kindOf(operandDType(o)) > *arrayKind)
      return false;
  return true;
}

std::optional<DType> api::loopType(const std::vector<Operand> &operands,
                                   llvm::ArrayRef<DType> candidates) {
  bool byValue = valuesCount(operands);
  for (DType t : candidates) {
    bool all = true;
    for (const Operand &o : operands) {
      std::optional<Scalar> value;
      if (byValue && !isArrayOperand(o))
        value = knownValue(o);
      all &= value ? valueFits(*value, t)
                   : promoteTypes(operandDType(o), t) == t;
    }
    if (all)
      return t;
  }
  return std::nullopt;
}

DType api::resultType(const std::vector<Operand> &operands) {
  // Arrays promote by their dtypes; numbers and 0-d operands by their
  // values where numpy looks at them, else by their dtypes too.
  bool byValue = valuesCount(operands);
  std::optional<DType> r;
  for (const Operand &o : operands)
    if (isArrayOperand(o) || !byValue)
      r = r ? promoteTypes(*r, operandDType(o)) : operandDType(o);
  if (!byValue)
    return r.value_or(DType::F64);
  for (const Operand &o : operands) {
    if (isArrayOperand(o))
      continue;
    if (std::optional<Scalar> value = knownValue(o))
      r = promoteWithValue(*r, *value);
    else if (numeric::isComplex(operandDType(o)))
      // A lazy 0-d complex tensor counts as a complex number that fits
      // complex64 (as a lazy real one counts as fitting the arrays' type).
      r = promoteTypes(*r, DType::C64);
  }
  return *r;
}

//===----------------------------------------------------------------------===//
// Building nodes
//===----------------------------------------------------------------------===//

std::optional<Error> graph::chunkAttr(const ChunkSize &chunks,
                                       const Shape &shape, const char *label,
                                       DenseI64ArrayAttr &out) {
  out = {};
  if (chunks.isAutomatic())
    return std::nullopt;
  if (chunks.sizes.size() != 1 && chunks.sizes.size() != shape.size())
    return Error{ErrorKind::Value, label,
                 "chunk_size has " + std::to_string(chunks.sizes.size()) +
                     " sizes but the tensor has " +
                     std::to_string(shape.size()) + " dimensions"};
  SmallVector<int64_t> c;
  for (size_t d = 0; d < shape.size(); ++d) {
    int64_t s = chunks.sizes.size() == 1 ? chunks.sizes[0] : chunks.sizes[d];
    if (s == -1)
      s = shape[d];
    if (s <= 0 && !(s == 0 && shape[d] == 0))
      return Error{ErrorKind::Value, label,
                   "chunk sizes must be positive (or -1 for a whole "
                   "dimension), got " +
                       std::to_string(s)};
    c.push_back(std::max<int64_t>(1, std::min(s, shape[d])));
  }
  out = DenseI64ArrayAttr::get(&context(), c);
  return std::nullopt;
}

Tensor graph::makeNode(const char *label, StringRef opName,
                        std::vector<Tensor> inputs, DType dtype, Shape shape,
                        ArrayRef<NamedAttribute> attrs,
                        const ChunkSize &chunks, bool sparse) {
  for (const Tensor &t : inputs)
    if (!t.ok())
      return t;
  // float16 is a storage type: an op that does more than move or convert
  // elements computes in float32 and its float16 result is rounded back,
  // once per op, as numpy's float16 loops do (traits::TakesFloat16).
  OperationName name(opName, &context());
  // Complex numbers are stored only: the functions that compute with them
  // compose from their parts (Complex.cpp) before reaching here.
  if (!name.hasTrait<traits::TakesComplex>() &&
      (numeric::isComplex(dtype) || llvm::any_of(inputs, [](const Tensor &t) {
         return numeric::isComplex(t.dtype());
       })))
    return notForComplex(label);
  if (!name.hasTrait<traits::TakesFloat16>() &&
      (dtype == DType::F16 || llvm::any_of(inputs, [](const Tensor &t) {
         return t.dtype() == DType::F16;
       }))) {
    // A sparse result stays float32: sparse matrices hold no float16 (scipy
    // makes float16 data float32).
    const bool roundBack = dtype == DType::F16 && !sparse;
    for (Tensor &t : inputs)
      if (t.dtype() == DType::F16)
        t = castTo(t, DType::F32, label);
    Tensor r = makeNode(label, opName, std::move(inputs),
                        dtype == DType::F16 ? DType::F32 : dtype,
                        std::move(shape), attrs, chunks, sparse);
    return roundBack ? castTo(r, DType::F16, label) : r;
  }
  auto node = std::make_shared<Node>();
  if (auto err = chunkAttr(chunks, shape, label, node->chunks))
    return Tensor::failure(*err);
  node->op = name;
  int sparseInputs = llvm::count_if(inputs, [](const Tensor &t) {
    return t.isSparse();
  });
  // Unary and binary functions and casts map a sparse matrix's stored
  // elements (with numbers for the other operands) into a sparse result;
  // whether they keep its zeros zero is the op's check when it runs.
  const bool mapsStored = node->op->hasInterface<UnaryOpInterface>() ||
                          node->op->hasInterface<BinaryOpInterface>() ||
                          opName == CastOp::getOperationName();
  if (sparseInputs && mapsStored) {
    // Dense arrays (broadcasting to its shape) only next to one sparse
    // matrix in an op that is zero wherever the matrix is (multiply).
    const bool readsArrays =
        sparseInputs == 1 && mars::detail::zeroWhereAnyOperandIsZero(*node->op);
    if (llvm::any_of(inputs, [&](const Tensor &t) {
          return t.isSparse() ? t.shape() != shape
                              : t.ndim() != 0 && !readsArrays;
        }))
      return fail(ErrorKind::NotImplemented, label,
                  "a sparse matrix combines elementwise with numbers, "
                  "sparse matrices of its shape and, in multiply, dense "
                  "arrays that broadcast to its shape (not yet by "
                  "broadcasting sparse matrices); convert with todense() "
                  "first");
    sparse = true;
  } else if (sparseInputs && !node->op->hasTrait<traits::TakesSparse>()) {
    return fail(ErrorKind::NotImplemented, label,
                "sparse matrices are not supported here yet; convert with "
                "todense() first");
  }
  if (sparse && dtype == DType::F16)
    return fail(ErrorKind::Type, label,
                "sparse matrices hold no float16 (scipy.sparse's dtypes); "
                "use float32");
  node->attrs = DictionaryAttr::get(&context(), attrs);
  for (Tensor &t : inputs)
    node->inputs.push_back(t.nodePtr());
  node->dtype = dtype;
  node->type = tensorType(dtype, shape, sparse);
  node->shape = std::move(shape);
  node->label = label;
  return Tensor(std::move(node));
}

Tensor graph::fail(ErrorKind kind, const char *label, std::string message) {
  return Tensor::failure(Error{kind, label, std::move(message)});
}

std::optional<Error> graph::checkShape(const Shape &shape,
                                        const char *label) {
  // numpy's limit: the array's bytes must be countable in an intp.
  uint64_t bytes = 8;
  bool tooBig = false, empty = false;
  for (int64_t d : shape) {
    if (d < 0)
      return Error{ErrorKind::Value, label,
                   "negative dimensions are not allowed"};
    empty |= d == 0;
    if (d != 0 && !tooBig &&
        bytes > static_cast<uint64_t>(INT64_MAX) / static_cast<uint64_t>(d))
      tooBig = true;
    if (!tooBig)
      bytes *= d == 0 ? 1 : static_cast<uint64_t>(d);
  }
  if (tooBig && !empty)
    return Error{ErrorKind::Value, label,
                 "array is too big; `arr.size * arr.dtype.itemsize` is "
                 "larger than the maximum possible size."};
  return std::nullopt;
}

/// The attribute mars.full takes for `value` converted to `dtype` as
/// numpy's array(value, dtype) converts it.
static FailureOr<TypedAttr> fillValue(Scalar value, DType dtype,
                                      const char *label, Error &error) {
  Builder b(&context());
  Type elem = toElementType(&context(), dtype);
  if (value.kind == Scalar::Kind::Complex) // numpy keeps the real part,
    value = dtype == DType::Bool              // or tests z != 0 for bool.
                ? Scalar(value.f != 0 || value.imag != 0)
                : Scalar(value.f);
  if (numeric::isFloat(dtype))
    return TypedAttr(b.getFloatAttr(elem, value.f)); // Exact, or rounded.
  if (dtype == DType::Bool)
    return TypedAttr(b.getBoolAttr(value.kind == Scalar::Kind::Float
                                       ? value.f != 0
                                       : value.i != 0));
  unsigned bits = numeric::dtypeSize(dtype) * 8;
  if (value.kind == Scalar::Kind::Float) {
    if (!std::isfinite(value.f)) {
      error = {ErrorKind::Value, label,
               std::string("cannot convert float ") +
                   (std::isnan(value.f) ? "NaN" : "infinity") +
                   " to integer"};
      return failure();
    }
    // Truncated and wrapped as numpy's unsafe cast (numeric::castScalar).
    NDArray box(DType::F64, {});
    box.data<double>()[0] = value.f;
    NDArray cast = numeric::cast(box, dtype);
    return TypedAttr(
        b.getIntegerAttr(elem, APInt(bits, static_cast<uint64_t>(
                                               cast.getInt(0)))));
  }
  // A Python integer out of the dtype's range wraps, as numpy 1.24's
  // np.full (an unsafe copy) and np.array (with a DeprecationWarning) do.
  return TypedAttr(
      b.getIntegerAttr(elem, APInt(bits, static_cast<uint64_t>(value.i))));
}

Tensor graph::scalarTensor(Scalar value, DType dtype, const char *label) {
  if (numeric::isComplex(dtype))
    return complexFull({}, value, dtype, {}, label);
  Error error;
  auto attr = fillValue(value, dtype, label, error);
  if (failed(attr))
    return Tensor::failure(error);
  return makeNode(label, FullOp::getOperationName(), {}, dtype, {},
                  {NamedAttribute(StringAttr::get(&context(), "value"),
                                  *attr)});
}

Tensor graph::castTo(const Tensor &t, DType dtype, const char *label) {
  if (!t.ok() || t.dtype() == dtype)
    return t;
  if (numeric::isComplex(t.dtype()) || numeric::isComplex(dtype))
    return complexCast(t, dtype, label);
  return makeNode(label, CastOp::getOperationName(), {t}, dtype, t.shape(),
                  {});
}

Tensor graph::resolve(const Operand &o, DType dtype, const char *label) {
  if (o.scalar)
    return scalarTensor(*o.scalar, dtype, label);
  if (o.tensor.isNull())
    return fail(ErrorKind::Type, label, "expected a tensor, got an empty "
                                        "Tensor handle");
  return castTo(o.tensor, dtype, label);
}

//===----------------------------------------------------------------------===//
// Creation
//===----------------------------------------------------------------------===//

Tensor api::fromArray(std::shared_ptr<const NDArray> data,
                      const ChunkSize &chunks) {
  const char *label = "tensor";
  if (!data)
    return fail(ErrorKind::Value, label, "no data");
  auto node = std::make_shared<Node>();
  if (auto err = chunkAttr(chunks, data->shape(), label, node->chunks))
    return Tensor::failure(*err);
  node->dtype = data->dtype();
  node->shape = data->shape();
  node->type = tensorType(node->dtype, node->shape, data->isSparse());
  node->value = std::move(data);
  node->label = label;
  return Tensor(std::move(node));
}

Tensor api::fromArray(NDArray data, const ChunkSize &chunks) {
  return fromArray(std::make_shared<const NDArray>(std::move(data)), chunks);
}

Tensor api::full(const Shape &shape, Scalar value, std::optional<DType> dtype,
                 const ChunkSize &chunks) {
  const char *label = "full";
  if (auto err = checkShape(shape, label))
    return Tensor::failure(*err);
  DType d = dtype.value_or(value.dtype());
  if (numeric::isComplex(d))
    return complexFull(shape, value, d, chunks, label);
  Error error;
  auto attr = fillValue(value, d, label, error);
  if (failed(attr))
    return Tensor::failure(error);
  return makeNode(label, FullOp::getOperationName(), {}, d, shape,
                  {NamedAttribute(StringAttr::get(&context(), "value"),
                                  *attr)},
                  chunks);
}

Tensor api::zeros(const Shape &shape, DType dtype, const ChunkSize &chunks) {
  return full(shape, Scalar(int64_t(0)), dtype, chunks);
}

Tensor api::ones(const Shape &shape, DType dtype, const ChunkSize &chunks) {
  return full(shape, Scalar(int64_t(1)), dtype, chunks);
}

/// arange, linspace, eye: dtypes the creation ops compute in.
static bool isNumeric(DType d) { return d != DType::Bool; }

Tensor api::arange(double start, double stop, double step, DType dtype,
                   const ChunkSize &chunks) {
  const char *label = "arange";
  if (numeric::isComplex(dtype)) // Real values, imaginary parts 0.
    return realAsComplex(arange(start, stop, step,
                                numeric::complexPart(dtype), chunks));
  if (step == 0 || !std::isfinite(start) || !std::isfinite(stop) ||
      !std::isfinite(step))
    return fail(ErrorKind::Value, label,
                step == 0 ? "Maximum allowed size exceeded"
                          : "arange requires finite start, stop and step");
  if (!isNumeric(dtype))
    return fail(ErrorKind::Type, label,
                "arange of dtype bool is not supported");
  double n = std::ceil((stop - start) / step);
  if (!(n < 9.2e18))
    return fail(ErrorKind::Value, label, "Maximum allowed size exceeded");
  int64_t length = n > 0 ? static_cast<int64_t>(n) : 0;
  if (auto err = checkShape({length}, label))
    return Tensor::failure(*err);
  if (dtype == DType::F16 && length > 0) {
    // numpy's HALF_fill: the first two elements are start and start + step
    // rounded to float16, element i is start + i * delta in float32
    // arithmetic (delta: the difference of the first two), rounded.
    const float s = numeric::Half::fromDouble(start).toFloat();
    const float second = numeric::Half::fromDouble(start + step).toFloat();
    const float delta = second - s;
    auto num = [](float v) { return Operand(Scalar(v)); };
    Tensor i = arange(0, static_cast<double>(length), 1, DType::F32, chunks);
    Tensor v = i * num(delta) + num(s);
    v = where(binary(BinaryFn::Eq, i, num(1)), num(second), v);
    v = where(binary(BinaryFn::Eq, i, num(0)), num(s), v);
    return castTo(v, DType::F16, label);
  }
  Builder b(&context());
  return makeNode(
      label, ArangeOp::getOperationName(), {}, dtype, {length},
      {b.getNamedAttr("start", b.getF64FloatAttr(start)),
       b.getNamedAttr("step", b.getF64FloatAttr(step))},
      chunks);
}

Tensor api::linspace(double start, double stop, int64_t num, bool endpoint,
                     DType dtype, const ChunkSize &chunks) {
  const char *label = "linspace";
  if (numeric::isComplex(dtype))
    return realAsComplex(linspace(start, stop, num, endpoint,
                                  numeric::complexPart(dtype), chunks));
  if (num < 0)
    return fail(ErrorKind::Value, label,
                "Number of samples, " + std::to_string(num) +
                    ", must be non-negative.");
  if (auto err = checkShape({num}, label))
    return Tensor::failure(*err);
  if (!isNumeric(dtype))
    return fail(ErrorKind::Type, label,
                "linspace of dtype bool is not supported");
  if (dtype == DType::F16) // numpy: in float64, then astype (one rounding).
    return castTo(linspace(start, stop, num, endpoint, DType::F64, chunks),
                  DType::F16, label);
  Builder b(&context());
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("start", b.getF64FloatAttr(start)),
      b.getNamedAttr("stop", b.getF64FloatAttr(stop))};
  if (!endpoint)
    attrs.push_back(b.getNamedAttr("no_endpoint", b.getUnitAttr()));
  return makeNode(label, LinspaceOp::getOperationName(), {}, dtype, {num},
                  attrs, chunks);
}

Tensor api::eye(int64_t n, std::optional<int64_t> m, int64_t k, DType dtype,
                const ChunkSize &chunks, bool sparse) {
  const char *label = "eye";
  if (numeric::isComplex(dtype) && !sparse)
    return realAsComplex(eye(n, m, k, numeric::complexPart(dtype), chunks));
  if (auto err = checkShape({n, m.value_or(n)}, label))
    return Tensor::failure(*err);
  int64_t cols = m.value_or(n);
  Builder b(&context());
  return makeNode(label, EyeOp::getOperationName(), {}, dtype, {n, cols},
                  {b.getNamedAttr("k", b.getI64IntegerAttr(k))}, chunks,
                  sparse);
}

Tensor api::toSparse(const Tensor &x) {
  const char *label = "tosparse";
  if (!x.ok() || x.isSparse())
    return x;
  if (x.ndim() != 2)
    return fail(ErrorKind::Value, label,
                "sparse tensors are 2-D matrices, got a " +
                    std::to_string(x.ndim()) + "-D tensor");
  return makeNode(label, ToSparseOp::getOperationName(), {x}, x.dtype(),
                  x.shape(), {}, {}, /*sparse=*/true);
}

Tensor api::toDense(const Tensor &x) {
  const char *label = "todense";
  if (!x.ok() || !x.isSparse())
    return x;
  return makeNode(label, ToDenseOp::getOperationName(), {x}, x.dtype(),
                  x.shape(), {});
}

/// A random op's density attribute (none: a dense result); ValueError for
/// a density that is no probability or a shape that is no matrix.
static std::optional<Error>
densityAttr(std::optional<double> density, const Shape &shape,
            const char *label, SmallVectorImpl<NamedAttribute> &attrs) {
  if (!density)
    return std::nullopt;
  if (!(*density >= 0 && *density <= 1))
    return Error{ErrorKind::Value, label,
                 "density expected to be 0 <= density <= 1"};
  if (shape.size() != 2)
    return Error{ErrorKind::Value, label,
                 "sparse random tensors are 2-D matrices, got a " +
                     std::to_string(shape.size()) + "-D shape"};
  Builder b(&context());
  attrs.push_back(b.getNamedAttr("density", b.getF64FloatAttr(*density)));
  return std::nullopt;
}

Tensor api::randomUniform(uint64_t seed, double low, double high,
                          const Shape &shape, DType dtype,
                          const ChunkSize &chunks,
                          std::optional<double> density) {
  const char *label = "uniform";
  if (auto err = checkShape(shape, label))
    return Tensor::failure(*err);
  if (!numeric::isFloat(dtype) || dtype == DType::F16) // numpy's Generator's
    return fail(ErrorKind::Type, label,
                std::string("uniform random values of dtype ") +
                    numeric::dtypeName(dtype) + " are not supported (float32, "
                                       "float64)");
  Builder b(&context());
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("seed", b.getI64IntegerAttr(seed)),
      b.getNamedAttr("low", b.getF64FloatAttr(low)),
      b.getNamedAttr("high", b.getF64FloatAttr(high))};
  if (auto err = densityAttr(density, shape, label, attrs))
    return Tensor::failure(*err);
  return makeNode(label, RandomUniformOp::getOperationName(), {}, dtype,
                  shape, attrs, chunks, density.has_value());
}

Tensor api::randomNormal(uint64_t seed, double loc, double scale,
                         const Shape &shape, DType dtype,
                         const ChunkSize &chunks,
                         std::optional<double> density) {
  const char *label = "normal";
  if (auto err = checkShape(shape, label))
    return Tensor::failure(*err);
  if (scale < 0)
    return fail(ErrorKind::Value, label, "scale < 0");
  if (!numeric::isFloat(dtype) || dtype == DType::F16) // numpy's Generator's
    return fail(ErrorKind::Type, label,
                std::string("normal random values of dtype ") +
                    numeric::dtypeName(dtype) + " are not supported (float32, "
                                       "float64)");
  Builder b(&context());
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("seed", b.getI64IntegerAttr(seed)),
      b.getNamedAttr("loc", b.getF64FloatAttr(loc)),
      b.getNamedAttr("scale", b.getF64FloatAttr(scale))};
  if (auto err = densityAttr(density, shape, label, attrs))
    return Tensor::failure(*err);
  return makeNode(label, RandomNormalOp::getOperationName(), {}, dtype, shape,
                  attrs, chunks, density.has_value());
}

Tensor api::randomIntegers(uint64_t seed, int64_t low, int64_t high,
                           const Shape &shape, DType dtype,
                           const ChunkSize &chunks,
                           std::optional<double> density) {
  const char *label = "randint";
  if (auto err = checkShape(shape, label))
    return Tensor::failure(*err);
  if (low >= high) {
    int64_t count = 1;
    for (int64_t d : shape)
      count *= d;
    if (count != 0)
      return fail(ErrorKind::Value, label, "low >= high");
    // numpy draws nothing and checks nothing for an empty size; the op
    // still needs a valid range.
    if (low == INT64_MAX)
      --low;
    high = low + 1;
  }
  if (!numeric::isInteger(dtype))
    return fail(ErrorKind::Type, label,
                std::string("Unsupported dtype ") + numeric::dtypeName(dtype) +
                    " for randint");
  if (!holdsInteger(dtype, low))
    return fail(ErrorKind::Value, label,
                std::string("low is out of bounds for ") +
                    numeric::dtypeName(dtype));
  if (!holdsInteger(dtype, high - 1))
    return fail(ErrorKind::Value, label,
                std::string("high is out of bounds for ") +
                    numeric::dtypeName(dtype));
  Builder b(&context());
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("seed", b.getI64IntegerAttr(seed)),
      b.getNamedAttr("low", b.getI64IntegerAttr(low)),
      b.getNamedAttr("high", b.getI64IntegerAttr(high))};
  if (auto err = densityAttr(density, shape, label, attrs))
    return Tensor::failure(*err);
  return makeNode(label, RandomIntegersOp::getOperationName(), {}, dtype,
                  shape, attrs, chunks, density.has_value());
}
