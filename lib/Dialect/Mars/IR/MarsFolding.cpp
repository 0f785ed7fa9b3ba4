//===- MarsFolding.cpp - Folders of Mars ops ------------------------------===//
//
// Two kinds of folding, both exact under numpy semantics:
//  * algebraic identities that hold bit for bit (x + -0.0, x - 0.0, x * 1,
//    x / 1, integer x + 0, transpose of transpose, reshape of reshape, ...).
//    x + 0.0 on floats is *not* folded: it turns -0.0 into +0.0.
//  * small constant folding (up to kFoldLimit result elements), which
//    evaluates the op with the reference kernels of mars::numeric, so folded
//    and executed programs cannot disagree.
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mars;
using numeric::NDArray;

namespace {

/// Results larger than this are not constant-folded: the IR would carry the
/// data, and big tensors are the runtime's job.
constexpr int64_t kFoldLimit = 1 << 16;

std::optional<NDArray> toArray(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  return toNDArray(dense);
}

Attribute fromArray(Type type, const NDArray &array) {
  auto shaped = cast<ShapedType>(type);
  if (array.dtype() == numeric::DType::F16) {
    SmallVector<APFloat> values;
    for (const numeric::Half &h :
         ArrayRef<numeric::Half>(array.data<numeric::Half>(), array.size()))
      values.emplace_back(APFloat::IEEEhalf(), APInt(16, h.bits));
    return DenseElementsAttr::get(shaped, values);
  }
  return numeric::visitDType(array.dtype(), [&](auto tag) -> Attribute {
    using T = decltype(tag);
    return DenseElementsAttr::get(
        shaped, llvm::ArrayRef<T>(array.data<T>(), array.size()));
  });
}

bool smallEnough(Operation *op) {
  return cast<ShapedType>(op->getResult(0).getType()).getNumElements() <=
         kFoldLimit;
}

/// Folds an elementwise op whose operands are all splats, at any size: the
/// kernel runs on one element each and the result is a splat.
template <typename Kernel>
OpFoldResult foldSplats(Operation *op, ArrayRef<Attribute> operands,
                        Kernel &&kernel) {
  std::vector<NDArray> scalars;
  for (Attribute a : operands) {
    auto dense = dyn_cast_or_null<DenseElementsAttr>(a);
    if (!dense || !dense.isSplat())
      return {};
    scalars.push_back(toNDArray(DenseElementsAttr::get(
        RankedTensorType::get({}, dense.getElementType()),
        dense.getSplatValue<Attribute>())));
  }
  llvm::Expected<NDArray> r = kernel(scalars);
  if (!r) {
    llvm::consumeError(r.takeError());
    return {};
  }
  auto type = cast<ShapedType>(op->getResult(0).getType());
  Attribute scalar = fromArray(RankedTensorType::get({}, type.getElementType()),
                               *r);
  return SplatElementsAttr::get(
      type, cast<DenseElementsAttr>(scalar).getSplatValue<Attribute>());
}

/// Whether `attr` is a splat equal to `value`; for floats, `negZero` selects
/// which zero is meant (the sign matters for the identities).
bool isSplatOf(Attribute attr, double value, bool negZero = false) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  Type elem = dense.getElementType();
  if (isa<FloatType>(elem)) {
    APFloat v = dense.getSplatValue<APFloat>();
    if (value == 0)
      return v.isZero() && v.isNegative() == negZero;
    bool losesInfo;
    v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
    return v.convertToDouble() == value;
  }
  if (elem.isInteger(1))
    return false;
  return dense.getSplatValue<APInt>().getSExtValue() ==
         static_cast<int64_t>(value);
}

/// `v` if it can stand for the op's result unchanged (same type).
OpFoldResult sameTypeOr(Operation *op, Value v) {
  if (v.getType() == op->getResult(0).getType())
    return v;
  return {};
}

numeric::DType resultDType(Operation *op) {
  return toDType(getElementTypeOrSelf(op->getResult(0).getType()));
}

} // namespace

OpFoldResult mars::detail::foldUnaryOp(Operation *op,
                                       ArrayRef<Attribute> operands) {
  if (hasSparseValues(op)) // Constants are dense.
    return {};
  numeric::UnaryFn fn = cast<UnaryOpInterface>(op).getUnaryFn();
  // neg(neg(x)) == x, also for wrapping integers and NaN payloads.
  if (fn == numeric::UnaryFn::Neg)
    if (auto inner = op->getOperand(0).getDefiningOp<NegOp>())
      return inner.getInput();
  numeric::DType dtype = resultDType(op);
  if (OpFoldResult splat = foldSplats(op, operands, [&](auto &xs) {
        return numeric::unary(fn, xs[0], dtype);
      }))
    return splat;
  std::optional<NDArray> x = toArray(operands[0]);
  if (!x || !smallEnough(op))
    return {};
  auto r = numeric::unary(fn, *x, dtype);
  if (!r) {
    llvm::consumeError(r.takeError());
    return {};
  }
  return fromArray(op->getResult(0).getType(), *r);
}

OpFoldResult mars::detail::foldBinaryOp(Operation *op,
                                        ArrayRef<Attribute> operands) {
  using numeric::BinaryFn;
  if (hasSparseValues(op)) // Constants are dense.
    return {};
  BinaryFn fn = cast<BinaryOpInterface>(op).getBinaryFn();
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  Attribute a = operands[0], b = operands[1];
  bool isFloat = isa<FloatType>(getElementTypeOrSelf(lhs.getType()));
  switch (fn) {
  case BinaryFn::Add:
    // x + 0 is x for integers; for floats only x + (-0.0) is exact.
    if (isSplatOf(b, 0, /*negZero=*/isFloat))
      if (auto r = sameTypeOr(op, lhs))
        return r;
    if (isSplatOf(a, 0, /*negZero=*/isFloat))
      if (auto r = sameTypeOr(op, rhs))
        return r;
    break;
  case BinaryFn::Sub:
    if (isSplatOf(b, 0))
      if (auto r = sameTypeOr(op, lhs))
        return r;
    break;
  case BinaryFn::Mul:
    if (isSplatOf(b, 1))
      if (auto r = sameTypeOr(op, lhs))
        return r;
    if (isSplatOf(a, 1))
      if (auto r = sameTypeOr(op, rhs))
        return r;
    break;
  case BinaryFn::Div:
  case BinaryFn::Pow:
    if (isSplatOf(b, 1))
      if (auto r = sameTypeOr(op, lhs))
        return r;
    break;
  case BinaryFn::FloorDiv:
    if (!isFloat && isSplatOf(b, 1))
      if (auto r = sameTypeOr(op, lhs))
        return r;
    break;
  case BinaryFn::Maximum:
  case BinaryFn::Minimum:
    if (lhs == rhs)
      if (auto r = sameTypeOr(op, lhs))
        return r;
    break;
  default:
    break;
  }
  numeric::DType dtype = resultDType(op);
  if (OpFoldResult splat = foldSplats(op, operands, [&](auto &xs) {
        return numeric::binary(fn, xs[0], xs[1], dtype);
      }))
    return splat;
  std::optional<NDArray> x = toArray(a), y = toArray(b);
  if (!x || !y || !smallEnough(op))
    return {};
  auto r = numeric::binary(fn, *x, *y, dtype);
  if (!r) {
    llvm::consumeError(r.takeError());
    return {};
  }
  return fromArray(op->getResult(0).getType(), *r);
}

NDArray mars::toNDArray(DenseElementsAttr dense) {
  auto type = cast<ShapedType>(dense.getType());
  NDArray out(toDType(type.getElementType()),
              numeric::Shape(type.getShape().begin(), type.getShape().end()));
  if (out.dtype() == numeric::DType::F16) {
    numeric::Half *o = out.data<numeric::Half>();
    auto half = [](const APFloat &v) {
      return numeric::Half::fromBits(v.bitcastToAPInt().getZExtValue());
    };
    if (dense.isSplat()) {
      std::fill(o, o + out.size(), half(dense.getSplatValue<APFloat>()));
      return out;
    }
    for (const APFloat &v : dense.getValues<APFloat>())
      *o++ = half(v);
    return out;
  }
  numeric::visitDType(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T *o = out.data<T>();
    if (dense.isSplat()) {
      std::fill(o, o + out.size(), dense.getSplatValue<T>());
      return;
    }
    int64_t i = 0;
    for (T v : dense.getValues<T>())
      o[i++] = v;
  });
  return out;
}

NDArray mars::scalarToNDArray(TypedAttr value) {
  return toNDArray(DenseElementsAttr::get(
      RankedTensorType::get({}, value.getType()), Attribute(value)));
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult FullOp::fold(FoldAdaptor) {
  return SplatElementsAttr::get(getType(), getValue());
}

/// The scalar `value` (0 or 1) as an attribute of element type `elem`.
static TypedAttr scalarOf(Type elem, double value) {
  Builder b(elem.getContext());
  if (isa<FloatType>(elem))
    return b.getFloatAttr(elem, value);
  return b.getIntegerAttr(elem, static_cast<int64_t>(value));
}

OpFoldResult ZerosOp::fold(FoldAdaptor) {
  return SplatElementsAttr::get(getType(), scalarOf(getType().getElementType(), 0));
}

OpFoldResult OnesOp::fold(FoldAdaptor) {
  return SplatElementsAttr::get(getType(), scalarOf(getType().getElementType(), 1));
}

/// zeros and ones become mars.full, the one spelling of a filled tensor.
LogicalResult ZerosOp::canonicalize(ZerosOp op, PatternRewriter &rewriter) {
  rewriter.replaceOpWithNewOp<FullOp>(
      op, op.getType(), scalarOf(op.getType().getElementType(), 0));
  return success();
}

LogicalResult OnesOp::canonicalize(OnesOp op, PatternRewriter &rewriter) {
  rewriter.replaceOpWithNewOp<FullOp>(
      op, op.getType(), scalarOf(op.getType().getElementType(), 1));
  return success();
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (auto r = sameTypeOr(*this, getInput()))
    return r;
  numeric::DType dtype = resultDType(*this);
  if (OpFoldResult splat =
          foldSplats(*this, adaptor.getOperands(),
                     [&](auto &xs) -> llvm::Expected<NDArray> {
                       return numeric::cast(xs[0], dtype);
                     }))
    return splat;
  std::optional<NDArray> x = toArray(adaptor.getInput());
  if (!x || !smallEnough(*this))
    return {};
  return fromArray(getType(), numeric::cast(*x, dtype));
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  bool identity = llvm::all_of(llvm::enumerate(perm), [](auto p) {
    return static_cast<int64_t>(p.index()) == p.value();
  });
  if (identity)
    return getInput();
  // transpose(transpose(x, inner), outer) == transpose(x, inner[outer[i]]).
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(inner.getPerm()[p]);
    setPerm(composed);
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  std::optional<NDArray> x = toArray(adaptor.getInput());
  if (!x || !smallEnough(*this))
    return {};
  return fromArray(getType(), numeric::transpose(*x, perm));
}

/// Folds shape-only ops whose result is `input` with another shape.
static OpFoldResult foldReshapeLike(Operation *op, Attribute input) {
  auto type = cast<ShapedType>(op->getResult(0).getType());
  if (auto r = sameTypeOr(op, op->getOperand(0)))
    return r;
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(input))
    if (dense.isSplat() || smallEnough(op))
      return dense.reshape(type);
  return {};
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  // reshape(reshape(x)) == reshape(x): the C-order element sequence is kept.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    if (auto r = sameTypeOr(*this, getInput()))
      return r;
    return getResult();
  }
  return foldReshapeLike(*this, adaptor.getInput());
}

OpFoldResult ExpandDimsOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(*this, adaptor.getInput());
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(*this, adaptor.getInput());
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor adaptor) {
  if (auto r = sameTypeOr(*this, getInput()))
    return r;
  auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (!dense)
    return {};
  if (dense.isSplat())
    return SplatElementsAttr::get(getType(), dense.getSplatValue<Attribute>());
  std::optional<NDArray> x = toArray(dense);
  if (!x || !smallEnough(*this))
    return {};
  return fromArray(getType(), numeric::broadcastTo(*x, getType().getShape()));
}
