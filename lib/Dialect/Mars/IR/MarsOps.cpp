//===- MarsOps.cpp - Parsing, printing and verification of Mars ops -------===//
//
// Verifiers state numpy's shape and dtype rules; each message names what is
// wrong and what was expected, so a frontend bug reads as a clear error.
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/ChunkRules.h"
#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Numeric/Reductions.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

#include <charconv>
#include <cmath>

using namespace mlir;
using namespace mars;

namespace {

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// "[2, 3]" for diagnostics.
std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + "]";
}

/// Normalises `axis` against `rank` (numpy's negative axes) or returns
/// nullopt when out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

LogicalResult verifyResultShape(Operation *op, ArrayRef<int64_t> expected) {
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  if (result.getShape() != expected)
    return op->emitOpError("result shape ")
           << shapeString(result.getShape()) << " does not match the expected "
           << shapeString(expected);
  return success();
}

LogicalResult verifySameElementType(Operation *op, Type expected) {
  Type got = getElementTypeOrSelf(op->getResult(0).getType());
  if (got != expected)
    return op->emitOpError("result element type must be ")
           << expected << ", got " << got;
  return success();
}

/// A shape op's result is stored as its input is: "<what> of a sparse
/// matrix is sparse" (or dense).
LogicalResult verifySameStorage(Operation *op, Type input, StringRef what) {
  if (isCsr(input) == isCsr(op->getResult(0).getType()))
    return success();
  const char *kind = isCsr(input) ? "sparse" : "dense";
  return op->emitOpError() << what << " of a " << kind << " matrix is "
                           << kind;
}

} // namespace

//===----------------------------------------------------------------------===//
// Elementwise families
//===----------------------------------------------------------------------===//

ParseResult mars::detail::parseElementwiseOp(OpAsmParser &parser,
                                             OperationState &result,
                                             bool boolResult) {
  SmallVector<OpAsmParser::UnresolvedOperand> operands;
  SMLoc operandsLoc = parser.getCurrentLocation();
  if (parser.parseOperandList(operands) ||
      parser.parseOptionalAttrDict(result.attributes) || parser.parseColon())
    return failure();
  SMLoc typeLoc = parser.getCurrentLocation();
  Type type;
  if (parser.parseType(type))
    return failure();
  SmallVector<Type> operandTypes;
  Type resultType;
  if (auto fn = dyn_cast<FunctionType>(type)) {
    if (fn.getNumResults() != 1)
      return parser.emitError(typeLoc, "expected exactly one result type");
    operandTypes.assign(fn.getInputs().begin(), fn.getInputs().end());
    resultType = fn.getResult(0);
  } else {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return parser.emitError(typeLoc, "expected a ranked tensor type or a "
                                       "function type '(operands) -> result'");
    operandTypes.assign(operands.size(), tensor);
    resultType = boolResult
                     ? tensor.clone(IntegerType::get(parser.getContext(), 1))
                     : tensor;
  }
  if (parser.resolveOperands(operands, operandTypes, operandsLoc,
                             result.operands))
    return failure();
  result.addTypes(resultType);
  return success();
}

void mars::detail::printElementwiseOp(OpAsmPrinter &p, Operation *op,
                                      bool boolResult) {
  p << ' ';
  p.printOperands(op->getOperands());
  p.printOptionalAttrDict(op->getAttrs());
  p << " : ";
  Type first = op->getOperand(0).getType();
  bool uniform = llvm::all_of(op->getOperandTypes(),
                              [&](Type t) { return t == first; });
  Type inferred = first;
  if (auto tensor = dyn_cast<RankedTensorType>(first); tensor && boolResult)
    inferred = tensor.clone(IntegerType::get(op->getContext(), 1));
  if (uniform && op->getResult(0).getType() == inferred)
    p << first;
  else
    p.printFunctionalType(op->getOperandTypes(), op->getResultTypes());
}

LogicalResult mars::detail::verifyElementwiseOp(Operation *op,
                                                bool boolResult) {
  // Sparse matrices (of one shape): the op maps their stored elements, with
  // numbers (rank-0 operands) for the other operands, into a sparse result.
  // One sparse matrix also combines with dense arrays that broadcast to its
  // shape in ops that are zero wherever it is (mul: scipy's multiply).
  int sparse = llvm::count_if(op->getOperandTypes(),
                              [](Type t) { return isCsr(t); });
  for (Value v : op->getOperands())
    if (isCsr(v) && tensorType(v).getShape() !=
                        tensorType(op->getResult(0)).getShape())
      return op->emitOpError("sparse operands must have the result's shape "
                             "(they do not broadcast), got ")
             << v.getType();
  if ((sparse > 0) != isCsr(op->getResult(0).getType()))
    return op->emitOpError(sparse ? "the result of a sparse operand must be "
                                    "sparse (#mars.csr)"
                                  : "a sparse result needs a sparse operand");
  if (sparse)
    for (Value v : op->getOperands())
      if (!isCsr(v) && tensorType(v).getRank() != 0 &&
          !(sparse == 1 && detail::zeroWhereAnyOperandIsZero(op->getName())))
        return op->emitOpError(
                   "a sparse matrix combines with numbers (rank-0 tensors) "
                   "only, or with dense arrays in mul and logical_and (zero "
                   "wherever the matrix is), got ")
               << v.getType();
  SmallVector<numeric::Shape> shapes;
  for (Value v : op->getOperands()) {
    ArrayRef<int64_t> s = tensorType(v).getShape();
    shapes.emplace_back(s.begin(), s.end());
  }
  std::optional<numeric::Shape> shape = numeric::broadcastShapes(shapes);
  if (!shape) {
    auto diag = op->emitOpError("operand shapes");
    for (const numeric::Shape &s : shapes)
      diag << " " << shapeString(s);
    return diag << " do not broadcast";
  }
  if (failed(verifyResultShape(op, *shape)))
    return failure();

  if (isa<CastOp>(op))
    return success();
  ValueRange data = op->getOperands();
  if (isa<WhereOp>(op))
    data = data.drop_front();
  Type elem = getElementTypeOrSelf(data.front().getType());
  for (Value v : data.drop_front())
    if (getElementTypeOrSelf(v.getType()) != elem)
      return op->emitOpError("operands must have one element type (insert "
                             "mars.cast to convert), got ")
             << elem << " and " << getElementTypeOrSelf(v.getType());
  return verifySameElementType(
      op, boolResult ? IntegerType::get(op->getContext(), 1) : elem);
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

SmallVector<int64_t>
mars::detail::normalizedAxes(std::optional<ArrayRef<int64_t>> axes,
                             int64_t rank) {
  SmallVector<int64_t> out;
  if (!axes) {
    for (int64_t d = 0; d < rank; ++d)
      out.push_back(d);
    return out;
  }
  for (int64_t a : *axes)
    out.push_back(normalizedAxis(a, rank));
  llvm::sort(out);
  return out;
}

LogicalResult mars::detail::verifyReductionOp(Operation *op) {
  auto reduction = cast<ReductionOpInterface>(op);
  RankedTensorType in = tensorType(op->getOperand(0));
  const int64_t rank = in.getRank();
  numeric::ReduceFn fn = reduction.getReduceFn();
  const bool isArg = numeric::reductionRule(fn).isArg();
  if (isCsr(in) && !numeric::reducesCsr(fn))
    return op->emitOpError("reduces a sparse matrix only by min, max, "
                           "argmin, argmax, prod, any and all, got a sparse "
                           "operand");

  SmallVector<int64_t> axes;
  if (isArg) {
    auto axis = op->getAttrOfType<IntegerAttr>("axis");
    // numpy accepts axis 0 or -1 for 0-d input and treats it as flattened.
    if (axis && rank == 0 && (axis.getInt() == 0 || axis.getInt() == -1))
      axis = nullptr;
    if (axis) {
      auto a = normalizeAxis(axis.getInt(), rank);
      if (!a)
        return op->emitOpError("axis ")
               << axis.getInt() << " is out of bounds for rank " << rank;
      axes.push_back(*a);
    }
  } else if (auto attr = op->getAttrOfType<DenseI64ArrayAttr>("axes")) {
    for (int64_t axis : attr.asArrayRef()) {
      auto a = normalizeAxis(axis, rank);
      if (!a)
        return op->emitOpError("axis ")
               << axis << " is out of bounds for rank " << rank;
      if (llvm::is_contained(axes, *a))
        return op->emitOpError("axis ") << axis << " is repeated";
      axes.push_back(*a);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  if (reduction.getDeltaDof() < 0)
    return op->emitOpError("ddof must be non-negative, got ")
           << reduction.getDeltaDof();

  SmallVector<int64_t> expected;
  const bool keep = reduction.getKeepdims();
  if (isArg && axes.empty()) {
    if (keep)
      expected.assign(rank, 1);
  } else {
    for (int64_t d = 0; d < rank; ++d) {
      if (llvm::is_contained(axes, d)) {
        if (keep)
          expected.push_back(1);
      } else {
        expected.push_back(in.getDimSize(d));
      }
    }
  }
  if (failed(verifyResultShape(op, expected)))
    return failure();

  Type expectedElem = toElementType(
      op->getContext(),
      numeric::reductionResultDType(fn, toDType(in.getElementType())));
  return verifySameElementType(op, expectedElem);
}

LogicalResult mars::detail::verifyScanOp(Operation *op) {
  RankedTensorType in = tensorType(op->getOperand(0));
  const int64_t rank = in.getRank();
  int64_t axis = op->getAttrOfType<IntegerAttr>("axis").getInt();
  if (rank == 0)
    return op->emitOpError("scans a tensor of rank 1 or more (numpy's "
                           "axis=None flattens first), got rank 0");
  if (!normalizeAxis(axis, rank))
    return op->emitOpError("axis ")
           << axis << " is out of bounds for rank " << rank;
  if (failed(verifyResultShape(op, in.getShape())))
    return failure();
  return verifySameElementType(
      op, toElementType(op->getContext(), numeric::scanResultDType(
                                              toDType(in.getElementType()))));
}

//===----------------------------------------------------------------------===//
// Creation
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  auto elements = dyn_cast<DenseElementsAttr>(getValue());
  if (!elements)
    return emitOpError("value must be a dense elements attribute");
  return success();
}

/// Whether `attr` is a valid fill value for element type `elem`.
static bool isScalarOf(Attribute attr, Type elem) {
  if (auto f = dyn_cast<FloatAttr>(attr))
    return f.getType() == elem;
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return i.getType() == elem;
  return false;
}

LogicalResult FullOp::verify() {
  Type elem = getType().getElementType();
  if (!isScalarOf(getValue(), elem))
    return emitOpError("value ") << getValue() << " must be a scalar of the "
                                 << "result element type " << elem;
  return success();
}

void FullOp::build(OpBuilder &builder, OperationState &state, Type type,
                   double value) {
  Type elem = cast<RankedTensorType>(type).getElementType();
  TypedAttr attr;
  if (isa<FloatType>(elem))
    attr = builder.getFloatAttr(elem, value);
  else if (elem.isInteger(1))
    attr = builder.getBoolAttr(value != 0);
  else
    attr = builder.getIntegerAttr(elem, static_cast<int64_t>(value));
  build(builder, state, type, attr);
}

/// Converts a literal parsed without a type (FloatAttr f64, IntegerAttr i64,
/// BoolAttr, or a typed float such as `0x7FF8000000000000 : f64`) to a scalar
/// of `elem`, or returns null when the value is not representable.
static TypedAttr convertFillValue(Attribute literal, Type elem) {
  Builder b(elem.getContext());
  if (elem.isInteger(1)) {
    if (auto i = dyn_cast<IntegerAttr>(literal))
      return b.getBoolAttr(!i.getValue().isZero());
    if (auto f = dyn_cast<FloatAttr>(literal))
      return b.getBoolAttr(!f.getValue().isZero());
    return {};
  }
  if (auto ft = dyn_cast<FloatType>(elem)) {
    APFloat v(0.0);
    if (auto f = dyn_cast<FloatAttr>(literal)) {
      v = f.getValue();
    } else if (auto i = dyn_cast<IntegerAttr>(literal)) {
      v = APFloat(ft.getFloatSemantics());
      v.convertFromAPInt(i.getValue(), /*IsSigned=*/!i.getType().isInteger(1),
                         APFloat::rmNearestTiesToEven);
    } else {
      return {};
    }
    bool losesInfo;
    v.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &losesInfo);
    return b.getFloatAttr(elem, v);
  }
  auto it = cast<IntegerType>(elem);
  unsigned width = it.getWidth();
  bool isUnsigned = it.isUnsigned();
  if (auto i = dyn_cast<IntegerAttr>(literal)) {
    if (i.getType() == elem) // A typed literal, as print() writes unsigned.
      return i;
    int64_t v = i.getType().isInteger(1) || i.getType().isUnsignedInteger()
                    ? static_cast<int64_t>(i.getValue().getZExtValue())
                    : i.getValue().getSExtValue();
    if (isUnsigned ? v < 0 || !llvm::isUIntN(width, v)
                   : !llvm::isIntN(width, v))
      return {};
    return b.getIntegerAttr(elem, APInt(width, static_cast<uint64_t>(v)));
  }
  if (auto f = dyn_cast<FloatAttr>(literal)) {
    double d = f.getValueAsDouble();
    double low = isUnsigned ? 0.0 : -std::ldexp(1.0, width - 1);
    double high = std::ldexp(1.0, isUnsigned ? width : width - 1);
    if (!(d == std::trunc(d) && d >= low && d < high))
      return {};
    return b.getIntegerAttr(
        elem, APInt(width, isUnsigned ? static_cast<uint64_t>(d)
                                      : static_cast<uint64_t>(
                                            static_cast<int64_t>(d))));
  }
  return {};
}

ParseResult FullOp::parse(OpAsmParser &parser, OperationState &result) {
  // The value sits in parentheses so that the generic literal parser, which
  // reads `1.5 : f64` as a typed literal, never sees the result's colon.
  SMLoc valueLoc;
  Attribute literal;
  RankedTensorType type;
  if (parser.parseLParen() ||
      (valueLoc = parser.getCurrentLocation(), parser.parseAttribute(literal)) ||
      parser.parseRParen() ||
      parser.parseOptionalAttrDict(result.attributes) ||
      parser.parseColonType(type))
    return failure();
  TypedAttr value = convertFillValue(literal, type.getElementType());
  if (!value)
    return parser.emitError(valueLoc, "value ")
           << literal << " is not representable in " << type.getElementType();
  result.addAttribute("value", value);
  result.addTypes(type);
  return success();
}

void FullOp::print(OpAsmPrinter &p) {
  p << '(';
  Attribute value = getValue();
  if (auto f = dyn_cast<FloatAttr>(value)) {
    double d = f.getValueAsDouble();
    if (std::isfinite(d)) {
      // Shortest round-trip decimal, always with a '.' so it lexes as a float.
      char buf[64];
      std::string s(buf, std::to_chars(buf, buf + sizeof(buf), d).ptr);
      size_t e = s.find('e');
      if (s.find('.') == std::string::npos)
        s.insert(e == std::string::npos ? s.size() : e, ".0");
      p << s;
    } else {
      p.printAttribute(FloatAttr::get(Float64Type::get(getContext()), d));
    }
  } else if (auto i = dyn_cast<IntegerAttr>(value)) {
    if (i.getType().isInteger(1))
      p << (i.getValue().getBoolValue() ? "true" : "false");
    else if (i.getType().isUnsignedInteger())
      p.printAttribute(i); // `255 : ui8`: every ui64 value parses back.
    else
      p << i.getValue().getSExtValue();
  } else {
    p.printAttribute(value);
  }
  p << ')';
  p.printOptionalAttrDict((*this)->getAttrs(), {"value"});
  p << " : " << getType();
}

LogicalResult ArangeOp::verify() {
  if (getType().getRank() != 1)
    return emitOpError("result must be 1-D, got rank ") << getType().getRank();
  if (isa<IntegerType>(getType().getElementType())) {
    double start = getStart().convertToDouble();
    double step = getStep().convertToDouble();
    if (start != std::trunc(start) || step != std::trunc(step))
      return emitOpError("integer results need integral start and step");
  }
  return success();
}

LogicalResult LinspaceOp::verify() {
  if (getType().getRank() != 1)
    return emitOpError("result must be 1-D, got rank ") << getType().getRank();
  return success();
}

LogicalResult EyeOp::verify() {
  auto type = cast<RankedTensorType>(getType());
  if (type.getRank() != 2)
    return emitOpError("result must be 2-D, got rank ") << type.getRank();
  return success();
}

/// A random op's density: present exactly when its result is a sparse
/// matrix, and a probability.
static LogicalResult verifyDensity(Operation *op,
                                   std::optional<llvm::APFloat> density) {
  bool sparse = isCsr(op->getResult(0));
  if (density.has_value() != sparse)
    return op->emitOpError(sparse ? "a sparse result needs a density"
                                  : "a density needs a sparse result "
                                    "(#mars.csr)");
  if (sparse && !(density->convertToDouble() >= 0 &&
                  density->convertToDouble() <= 1))
    return op->emitOpError("density must be in [0, 1], got ")
           << density->convertToDouble();
  return success();
}

LogicalResult RandomUniformOp::verify() {
  double low = getLow().convertToDouble(), high = getHigh().convertToDouble();
  if (!std::isfinite(low) || !std::isfinite(high) ||
      !std::isfinite(high - low))
    return emitOpError("bounds must be finite with a finite range");
  return verifyDensity(*this, getDensity());
}

LogicalResult RandomNormalOp::verify() {
  double scale = getScale().convertToDouble();
  if (!(scale >= 0))
    return emitOpError("scale must be non-negative, got ") << scale;
  return verifyDensity(*this, getDensity());
}

LogicalResult RandomIntegersOp::verify() {
  if (failed(verifyDensity(*this, getDensity())))
    return failure();
  int64_t low = getLow(), high = getHigh();
  if (low >= high)
    return emitOpError("low (") << low << ") must be less than high (" << high
                                << ")";
  Type elem = getType().getElementType();
  unsigned bits = elem.getIntOrFloatBitWidth();
  bool fits = elem.isUnsignedInteger()
                  ? low >= 0 && (bits == 64 || (high - 1) >> bits == 0)
                  : llvm::isIntN(bits, low) && llvm::isIntN(bits, high - 1);
  if (!fits)
    return emitOpError("range [") << low << ", " << high
                                   << ") does not fit in " << elem;
  return success();
}

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::verify() {
  RankedTensorType in = getInput().getType();
  if (failed(verifySameStorage(*this, in, "the transpose")))
    return failure();
  if (isCsr(in) && getPerm() != ArrayRef<int64_t>{1, 0})
    return emitOpError("a sparse matrix transposes with perm = [1, 0], got ")
           << shapeString(getPerm());
  ArrayRef<int64_t> perm = getPerm();
  if (static_cast<int64_t>(perm.size()) != in.getRank())
    return emitOpError("perm has ") << perm.size() << " entries for rank "
                                    << in.getRank();
  SmallVector<int64_t> shape;
  SmallVector<bool> seen(perm.size(), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= in.getRank() || seen[p])
      return emitOpError("perm ") << shapeString(perm)
                                  << " is not a permutation of the axes";
    seen[p] = true;
    shape.push_back(in.getDimSize(p));
  }
  if (failed(verifyResultShape(*this, shape)))
    return failure();
  return verifySameElementType(*this, in.getElementType());
}

LogicalResult FlipOp::verify() {
  RankedTensorType in = getInput().getType();
  SmallVector<int64_t> axes;
  for (int64_t axis : getAxes()) {
    auto a = normalizeAxis(axis, in.getRank());
    if (!a)
      return emitOpError("axis ")
             << axis << " is out of bounds for rank " << in.getRank();
    if (llvm::is_contained(axes, *a))
      return emitOpError("axis ") << axis << " is repeated";
    axes.push_back(*a);
  }
  if (failed(verifyResultShape(*this, in.getShape())))
    return failure();
  return verifySameElementType(*this, in.getElementType());
}

//===----------------------------------------------------------------------===//
// real, imag, complex
//===----------------------------------------------------------------------===//

/// A complex part op: the input's shape, in the float type of its parts.
static LogicalResult verifyComplexPart(Operation *op) {
  auto in = cast<RankedTensorType>(op->getOperand(0).getType());
  if (failed(verifyResultShape(op, in.getShape())))
    return failure();
  return verifySameElementType(
      op, cast<ComplexType>(in.getElementType()).getElementType());
}

LogicalResult RealOp::verify() { return verifyComplexPart(*this); }
LogicalResult ImagOp::verify() { return verifyComplexPart(*this); }

LogicalResult ComplexOp::verify() {
  RankedTensorType part = getReal().getType();
  if (failed(verifyResultShape(*this, part.getShape())))
    return failure();
  return verifySameElementType(*this,
                               ComplexType::get(part.getElementType()));
}

LogicalResult BandOp::verify() {
  RankedTensorType in = getInput().getType();
  if (failed(verifySameStorage(*this, in, "the band")))
    return failure();
  if (in.getRank() < 2)
    return emitOpError("needs at least two dimensions, got rank ")
           << in.getRank();
  if (failed(verifyResultShape(*this, in.getShape())))
    return failure();
  return verifySameElementType(*this, in.getElementType());
}

SmallVector<int64_t> FlipOp::getFlippedAxes() {
  int64_t rank = getInput().getType().getRank();
  SmallVector<int64_t> axes;
  for (int64_t axis : getAxes())
    axes.push_back(detail::normalizedAxis(axis, rank));
  return axes;
}

LogicalResult ReshapeOp::verify() {
  RankedTensorType in = getInput().getType();
  if (in.getNumElements() != getType().getNumElements())
    return emitOpError("cannot reshape ")
           << in.getNumElements() << " elements into shape "
           << shapeString(getType().getShape());
  return verifySameElementType(*this, in.getElementType());
}

LogicalResult BroadcastToOp::verify() {
  RankedTensorType in = getInput().getType();
  ArrayRef<int64_t> to = getType().getShape();
  bool ok = in.getRank() <= static_cast<int64_t>(to.size());
  for (int64_t d = 0; ok && d < in.getRank(); ++d) {
    int64_t src = in.getDimSize(in.getRank() - 1 - d);
    int64_t dst = to[to.size() - 1 - d];
    ok = src == dst || src == 1;
  }
  if (!ok)
    return emitOpError("cannot broadcast shape ")
           << shapeString(in.getShape()) << " to " << shapeString(to);
  return verifySameElementType(*this, in.getElementType());
}

LogicalResult ExpandDimsOp::verify() {
  RankedTensorType in = getInput().getType();
  int64_t outRank = in.getRank() + getAxes().size();
  SmallVector<int64_t> axes;
  for (int64_t axis : getAxes()) {
    auto a = normalizeAxis(axis, outRank);
    if (!a)
      return emitOpError("axis ")
             << axis << " is out of bounds for result rank " << outRank;
    if (llvm::is_contained(axes, *a))
      return emitOpError("axis ") << axis << " is repeated";
    axes.push_back(*a);
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0, src = 0; d < outRank; ++d)
    shape.push_back(llvm::is_contained(axes, d) ? 1 : in.getDimSize(src++));
  if (failed(verifyResultShape(*this, shape)))
    return failure();
  return verifySameElementType(*this, in.getElementType());
}

LogicalResult SqueezeOp::verify() {
  RankedTensorType in = getInput().getType();
  SmallVector<int64_t> axes;
  if (auto attr = getAxes()) {
    for (int64_t axis : *attr) {
      auto a = normalizeAxis(axis, in.getRank());
      if (!a)
        return emitOpError("axis ")
               << axis << " is out of bounds for rank " << in.getRank();
      if (in.getDimSize(*a) != 1)
        return emitOpError("cannot squeeze axis ")
               << axis << " of size " << in.getDimSize(*a);
      if (llvm::is_contained(axes, *a))
        return emitOpError("axis ") << axis << " is repeated";
      axes.push_back(*a);
    }
  } else {
    for (int64_t d = 0; d < in.getRank(); ++d)
      if (in.getDimSize(d) == 1)
        axes.push_back(d);
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < in.getRank(); ++d)
    if (!llvm::is_contained(axes, d))
      shape.push_back(in.getDimSize(d));
  if (failed(verifyResultShape(*this, shape)))
    return failure();
  return verifySameElementType(*this, in.getElementType());
}

static ParseResult parseSliceSpec(OpAsmParser &parser,
                                  DenseI64ArrayAttr &starts,
                                  DenseI64ArrayAttr &stops,
                                  DenseI64ArrayAttr &steps) {
  SmallVector<int64_t> b, e, s;
  auto parseBound = [&](int64_t &v) -> ParseResult {
    v = SliceOp::kOmitted;
    int64_t x;
    OptionalParseResult r = parser.parseOptionalInteger(x);
    if (r.has_value()) {
      if (failed(*r))
        return failure();
      if (x == SliceOp::kOmitted)
        return parser.emitError(parser.getCurrentLocation(),
                                "slice bound out of range");
      v = x;
    }
    return success();
  };
  do {
    int64_t start, stop, step = 1;
    if (parseBound(start) || parser.parseColon() || parseBound(stop))
      return failure();
    if (succeeded(parser.parseOptionalColon())) {
      int64_t x;
      OptionalParseResult r = parser.parseOptionalInteger(x);
      if (r.has_value()) {
        if (failed(*r))
          return failure();
        step = x;
      }
    }
    b.push_back(start);
    e.push_back(stop);
    s.push_back(step);
  } while (succeeded(parser.parseOptionalComma()));
  MLIRContext *ctx = parser.getContext();
  starts = DenseI64ArrayAttr::get(ctx, b);
  stops = DenseI64ArrayAttr::get(ctx, e);
  steps = DenseI64ArrayAttr::get(ctx, s);
  return success();
}

static void printSliceSpec(OpAsmPrinter &p, Operation *,
                           DenseI64ArrayAttr starts, DenseI64ArrayAttr stops,
                           DenseI64ArrayAttr steps) {
  for (int64_t i = 0; i < starts.size(); ++i) {
    if (i)
      p << ", ";
    if (starts[i] != SliceOp::kOmitted)
      p << starts[i];
    p << ':';
    if (i < stops.size() && stops[i] != SliceOp::kOmitted)
      p << stops[i];
    if (i < steps.size() && steps[i] != 1)
      p << ':' << steps[i];
  }
}

SmallVector<numeric::SliceDim> SliceOp::getSliceDims() {
  RankedTensorType in = getInput().getType();
  SmallVector<numeric::SliceDim> dims;
  for (int64_t d = 0; d < in.getRank(); ++d) {
    if (d >= static_cast<int64_t>(getStarts().size())) {
      dims.push_back({0, 1, in.getDimSize(d)});
      continue;
    }
    auto bound = [](int64_t v) {
      return v == kOmitted ? std::nullopt : std::optional<int64_t>(v);
    };
    dims.push_back(numeric::normalizeSlice(bound(getStarts()[d]),
                                           bound(getStops()[d]),
                                           getSteps()[d], in.getDimSize(d)));
  }
  return dims;
}

LogicalResult SliceOp::verify() {
  RankedTensorType in = getInput().getType();
  if (failed(verifySameStorage(*this, in, "a slice")))
    return failure();
  size_t n = getStarts().size();
  if (getStops().size() != n || getSteps().size() != n)
    return emitOpError("starts, stops and steps must have the same length");
  if (n == 0)
    return emitOpError("expected at least one slice dimension");
  if (static_cast<int64_t>(n) > in.getRank())
    return emitOpError("too many indices: ")
           << n << " slices for rank " << in.getRank();
  for (int64_t step : getSteps())
    if (step == 0)
      return emitOpError("slice step cannot be zero");
  SmallVector<int64_t> shape;
  for (const numeric::SliceDim &d : getSliceDims())
    shape.push_back(d.count);
  if (failed(verifyResultShape(*this, shape)))
    return failure();
  return verifySameElementType(*this, in.getElementType());
}

/// Common checks of concatenate and stack: one element type, matching shapes.
static LogicalResult verifyJoin(Operation *op, ValueRange inputs, bool stack,
                                int64_t axisAttr) {
  if (inputs.empty())
    return op->emitOpError("needs at least one input");
  RankedTensorType first = tensorType(inputs.front());
  int64_t rank = first.getRank();
  if (!stack && rank == 0)
    return op->emitOpError("zero-dimensional tensors cannot be concatenated");
  auto axis = normalizeAxis(axisAttr, stack ? rank + 1 : rank);
  if (!axis)
    return op->emitOpError("axis ") << axisAttr << " is out of bounds for rank "
                                    << (stack ? rank + 1 : rank);
  SmallVector<int64_t> shape(first.getShape());
  for (auto [i, v] : llvm::enumerate(inputs.drop_front())) {
    RankedTensorType t = tensorType(v);
    if (t.getElementType() != first.getElementType())
      return op->emitOpError("inputs must have one element type, got ")
             << first.getElementType() << " and " << t.getElementType();
    bool compatible = t.getRank() == rank;
    for (int64_t d = 0; compatible && d < rank; ++d)
      compatible = t.getDimSize(d) == first.getDimSize(d) ||
                   (!stack && d == *axis);
    if (!compatible)
      return op->emitOpError("input ")
             << i + 1 << " has shape " << shapeString(t.getShape())
             << ", incompatible with " << shapeString(first.getShape())
             << (stack ? "" : " outside the concatenation axis");
    if (!stack)
      shape[*axis] += t.getDimSize(*axis);
  }
  if (stack)
    shape.insert(shape.begin() + *axis, inputs.size());
  if (failed(verifyResultShape(op, shape)))
    return failure();
  return verifySameElementType(op, first.getElementType());
}

LogicalResult ConcatenateOp::verify() {
  for (Value v : getInputs())
    if (isCsr(v) != isCsr(getResult()))
      return emitOpError("joins sparse matrices into a sparse matrix or "
                         "dense tensors into a dense one, got ")
             << v.getType() << " for " << getResult().getType();
  return verifyJoin(*this, getInputs(), /*stack=*/false, getAxis());
}

LogicalResult StackOp::verify() {
  return verifyJoin(*this, getInputs(), /*stack=*/true, getAxis());
}

//===----------------------------------------------------------------------===//
// Sorting and selection
//===----------------------------------------------------------------------===//

/// The axis attribute of `op` against `rank`, or a located error.
static FailureOr<int64_t> verifiedAxis(Operation *op, int64_t axis,
                                       int64_t rank) {
  if (rank == 0)
    return op->emitOpError("takes a tensor of rank 1 or more (numpy's "
                           "axis=None flattens first), got rank 0");
  auto a = normalizeAxis(axis, rank);
  if (!a)
    return op->emitOpError("axis ")
           << axis << " is out of bounds for rank " << rank;
  return *a;
}

LogicalResult mars::detail::verifySortingOp(Operation *op, bool indices) {
  RankedTensorType in = tensorType(op->getOperand(0));
  int64_t axis = op->getAttrOfType<IntegerAttr>("axis").getInt();
  if (failed(verifiedAxis(op, axis, in.getRank())) ||
      failed(verifyResultShape(op, in.getShape())))
    return failure();
  return verifySameElementType(op, indices
                                       ? IntegerType::get(op->getContext(), 64)
                                       : in.getElementType());
}

/// sort_runs and merge_runs: a valid axis, a positive run length, the
/// input's type.
static LogicalResult verifyRunsOp(Operation *op, int64_t run) {
  RankedTensorType in = tensorType(op->getOperand(0));
  int64_t axis = op->getAttrOfType<IntegerAttr>("axis").getInt();
  if (failed(verifiedAxis(op, axis, in.getRank())))
    return failure();
  if (run < 1)
    return op->emitOpError("run must be positive, got ") << run;
  if (failed(verifyResultShape(op, in.getShape())))
    return failure();
  return verifySameElementType(op, in.getElementType());
}

LogicalResult SortRunsOp::verify() { return verifyRunsOp(*this, getRun()); }
LogicalResult MergeRunsOp::verify() { return verifyRunsOp(*this, getRun()); }

LogicalResult SortedAtOp::verify() {
  RankedTensorType in = getInput().getType();
  FailureOr<int64_t> axis = verifiedAxis(*this, getAxis(), in.getRank());
  if (failed(axis))
    return failure();
  const int64_t n = in.getDimSize(*axis);
  for (int64_t k : getKth())
    if (k < -n || k >= n)
      return emitOpError("kth ")
             << k << " is out of bounds for axis " << *axis << " with size "
             << n;
  SmallVector<int64_t> expected(in.getShape());
  expected[*axis] = static_cast<int64_t>(getKth().size());
  if (failed(verifyResultShape(*this, expected)))
    return failure();
  if (getIndices())
    return verifySameElementType(*this,
                                 IntegerType::get(getContext(), 64));
  return verifySameElementType(*this, in.getElementType());
}

/// The width of an element's sort key (radix selection): its own, and 8
/// bits for bool.
static int64_t sortKeyBits(Type element) {
  return element.isInteger(1) ? 8 : element.getIntOrFloatBitWidth();
}

/// A radix selection's state: 1-D, two i64 per position (at least one).
static FailureOr<int64_t> verifiedRadixState(Operation *op, Value state) {
  auto type = cast<RankedTensorType>(state.getType());
  if (type.getRank() != 1 || type.getDimSize(0) % 2 != 0 ||
      type.getDimSize(0) == 0)
    return op->emitOpError("state must be 1-D with two elements per "
                           "selected position, got ")
           << type;
  return type.getDimSize(0) / 2;
}

/// A digit's shift: a multiple of 16 below `keyBits`.
static LogicalResult verifyRadixShift(Operation *op, int64_t shift,
                                      int64_t keyBits) {
  if (shift < 0 || shift % 16 != 0 || shift >= keyBits)
    return op->emitOpError("shift must be a multiple of 16 in [0, ")
           << keyBits << "), got " << shift;
  return success();
}

LogicalResult RadixHistogramOp::verify() {
  RankedTensorType in = getInput().getType();
  if (in.getRank() != 1)
    return emitOpError("input must be 1-D, got rank ") << in.getRank();
  FailureOr<int64_t> q = verifiedRadixState(*this, getState());
  if (failed(q) ||
      failed(verifyRadixShift(*this, getShift(),
                              sortKeyBits(in.getElementType()))))
    return failure();
  if (getRows() < 1)
    return emitOpError("rows must be positive, got ") << getRows();
  const int64_t n = in.getDimSize(0);
  return verifyResultShape(
      *this, {(n + getRows() - 1) / getRows(), *q * numeric::kRadixDigits});
}

LogicalResult RadixPickOp::verify() {
  FailureOr<int64_t> q = verifiedRadixState(*this, getState());
  if (failed(q) || failed(verifyRadixShift(*this, getShift(), 64)))
    return failure();
  RankedTensorType counts = getCounts().getType();
  if (counts.getRank() != 1 || counts.getDimSize(0) != *q * numeric::kRadixDigits)
    return emitOpError("counts must be 1-D with 65536 per selected "
                       "position (")
           << *q * numeric::kRadixDigits << "), got " << counts;
  return verifyResultShape(*this, getState().getType().getShape());
}

LogicalResult RadixValueOp::verify() {
  FailureOr<int64_t> q = verifiedRadixState(*this, getState());
  if (failed(q))
    return failure();
  return verifyResultShape(*this, {*q});
}

LogicalResult SearchsortedOp::verify() {
  RankedTensorType sorted = getSorted().getType(), values = getValues().getType();
  if (sorted.getRank() != 1)
    return emitOpError("sorted operand must be 1-D, got rank ")
           << sorted.getRank();
  if (sorted.getElementType() != values.getElementType())
    return emitOpError("operands must have one element type, got ")
           << sorted.getElementType() << " and " << values.getElementType();
  if (getSide() != "left" && getSide() != "right")
    return emitOpError("side must be \"left\" or \"right\", got \"")
           << getSide() << "\"";
  return verifyResultShape(*this, values.getShape());
}

LogicalResult TakeOp::verify() {
  RankedTensorType in = getInput().getType(), idx = getIndices().getType();
  FailureOr<int64_t> axis = verifiedAxis(*this, getAxis(), in.getRank());
  if (failed(axis))
    return failure();
  if (!numeric::parseTakeMode(getMode()))
    return emitOpError("mode must be \"raise\", \"wrap\" or \"clip\", got \"")
           << getMode() << "\"";
  SmallVector<int64_t> expected(in.getShape().take_front(*axis));
  llvm::append_range(expected, idx.getShape());
  llvm::append_range(expected, in.getShape().drop_front(*axis + 1));
  if (failed(verifyResultShape(*this, expected)))
    return failure();
  return verifySameElementType(*this, in.getElementType());
}

LogicalResult TakeAlongAxisOp::verify() {
  RankedTensorType in = getInput().getType(), idx = getIndices().getType();
  FailureOr<int64_t> axis = verifiedAxis(*this, getAxis(), in.getRank());
  if (failed(axis))
    return failure();
  if (idx.getRank() != in.getRank())
    return emitOpError("indices must have the input's rank ")
           << in.getRank() << ", got " << idx.getRank();
  for (int64_t d = 0; d < in.getRank(); ++d)
    if (d != *axis && idx.getDimSize(d) != in.getDimSize(d))
      return emitOpError("indices shape ")
             << shapeString(idx.getShape())
             << " must match the input's " << shapeString(in.getShape())
             << " except on axis " << *axis;
  if (failed(verifyResultShape(*this, idx.getShape())))
    return failure();
  return verifySameElementType(*this, in.getElementType());
}

LogicalResult BincountOp::verify() {
  RankedTensorType in = getInput().getType();
  auto result = cast<RankedTensorType>(getResult().getType());
  if (in.getRank() != 1)
    return emitOpError("input must be 1-D, got rank ") << in.getRank();
  if (result.getRank() != 1)
    return emitOpError("result must be 1-D, got rank ") << result.getRank();
  Builder b(getContext());
  if (!getWeights())
    return verifySameElementType(*this, b.getI64Type());
  auto w = cast<RankedTensorType>(getWeights().getType());
  if (w.getShape() != in.getShape() || !w.getElementType().isF64())
    return emitOpError("weights must be f64 of the input's shape ")
           << shapeString(in.getShape()) << ", got " << w;
  return verifySameElementType(*this, b.getF64Type());
}

LogicalResult PutOp::verify() {
  RankedTensorType in = getInput().getType(), values = getValues().getType();
  if (!numeric::parseTakeMode(getMode()))
    return emitOpError("mode must be \"raise\", \"wrap\" or \"clip\", got \"")
           << getMode() << "\"";
  if (values.getElementType() != in.getElementType())
    return emitOpError("values must have the input's element type ")
           << in.getElementType() << ", got " << values.getElementType();
  if (failed(verifyResultShape(*this, in.getShape())))
    return failure();
  return verifySameElementType(*this, in.getElementType());
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  auto a = cast<RankedTensorType>(getLhs().getType());
  auto b = cast<RankedTensorType>(getRhs().getType());
  if (isCsr(b) && !isCsr(a))
    return emitOpError("a sparse rhs needs a sparse lhs (a dense lhs times "
                       "a sparse rhs is (rhs^T lhs^T)^T)");
  if (isCsr(getType()) != (isCsr(a) && isCsr(b)))
    return emitOpError(isCsr(b) ? "the product of sparse matrices is sparse"
                                : "the product with a dense operand is dense");
  const int64_t rank = a.getRank();
  const bool stacked = rank > 2 || b.getRank() > 2;
  if (stacked ? rank != b.getRank()
              : rank < 1 || rank > 2 || b.getRank() < 1 || b.getRank() > 2)
    return emitOpError("operands must be 1-D or 2-D, or stacks of matrices "
                       "of one rank, got ranks ")
           << rank << " and " << b.getRank();
  if (a.getElementType() != b.getElementType())
    return emitOpError("operands must have one element type, got ")
           << a.getElementType() << " and " << b.getElementType();
  SmallVector<int64_t> shape;
  if (stacked) {
    if (a.getShape().drop_back(2) != b.getShape().drop_back(2))
      return emitOpError("batch dimensions differ (broadcast them first): ")
             << shapeString(a.getShape()) << " and "
             << shapeString(b.getShape());
    shape.append(a.getShape().begin(), a.getShape().end() - 2);
  }
  int64_t k = a.getShape().back();
  int64_t kb = b.getDimSize(stacked ? rank - 2 : 0);
  if (k != kb)
    return emitOpError("contracted dimensions differ: ")
           << shapeString(a.getShape()) << " and " << shapeString(b.getShape());
  if (a.getRank() >= 2)
    shape.push_back(a.getDimSize(a.getRank() - 2));
  if (b.getRank() >= 2)
    shape.push_back(b.getDimSize(b.getRank() - 1));
  if (failed(verifyResultShape(*this, shape)))
    return failure();
  return verifySameElementType(*this, a.getElementType());
}

LogicalResult TensordotOp::verify() {
  RankedTensorType a = getLhs().getType(), b = getRhs().getType();
  if (a.getElementType() != b.getElementType())
    return emitOpError("operands must have one element type, got ")
           << a.getElementType() << " and " << b.getElementType();
  ArrayRef<int64_t> aAxes = getLhsAxes(), bAxes = getRhsAxes();
  if (aAxes.size() != bAxes.size())
    return emitOpError("lhs_axes and rhs_axes must have the same length");
  SmallVector<int64_t> an, bn;
  for (auto [x, y] : llvm::zip(aAxes, bAxes)) {
    auto na = normalizeAxis(x, a.getRank()), nb = normalizeAxis(y, b.getRank());
    if (!na || !nb)
      return emitOpError("axis pair (") << x << ", " << y
                                        << ") is out of bounds";
    if (llvm::is_contained(an, *na) || llvm::is_contained(bn, *nb))
      return emitOpError("axis pair (") << x << ", " << y << ") repeats an axis";
    if (a.getDimSize(*na) != b.getDimSize(*nb))
      return emitOpError("shape mismatch for sum: lhs axis ")
             << x << " has size " << a.getDimSize(*na) << ", rhs axis " << y
             << " has size " << b.getDimSize(*nb);
    an.push_back(*na);
    bn.push_back(*nb);
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < a.getRank(); ++d)
    if (!llvm::is_contained(an, d))
      shape.push_back(a.getDimSize(d));
  for (int64_t d = 0; d < b.getRank(); ++d)
    if (!llvm::is_contained(bn, d))
      shape.push_back(b.getDimSize(d));
  if (failed(verifyResultShape(*this, shape)))
    return failure();
  return verifySameElementType(*this, a.getElementType());
}

//===----------------------------------------------------------------------===//
// Chunk layouts
//===----------------------------------------------------------------------===//

LogicalResult RechunkOp::verify() {
  if (!(*this)->hasAttr(MarsDialect::kChunksAttrName))
    return emitOpError("needs a 'mars.chunks' layout for its result");
  return success();
}

/// to_sparse and to_dense: the same matrix, stored another way.
static LogicalResult verifySameMatrix(Operation *op) {
  auto in = cast<RankedTensorType>(op->getOperand(0).getType());
  auto out = cast<RankedTensorType>(op->getResult(0).getType());
  if (in.getRank() != 2)
    return op->emitOpError("takes a 2-D matrix, got rank ") << in.getRank();
  if (failed(verifyResultShape(op, in.getShape())))
    return failure();
  return verifySameElementType(op, in.getElementType());
}

LogicalResult ToSparseOp::verify() { return verifySameMatrix(*this); }
LogicalResult ToDenseOp::verify() { return verifySameMatrix(*this); }

#define GET_OP_CLASSES
#include "mars/Dialect/Mars/IR/MarsOps.cpp.inc"
