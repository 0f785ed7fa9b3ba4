//===- MarsDialect.cpp - The Mars dialect ---------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mars;

#include "mars/Dialect/Mars/IR/MarsOpsDialect.cpp.inc"
#include "mars/Dialect/Mars/IR/MarsInterfaces.cpp.inc"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#define GET_ATTRDEF_CLASSES
#include "mars/Dialect/Mars/IR/MarsAttrs.cpp.inc"

void MarsDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "mars/Dialect/Mars/IR/MarsOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "mars/Dialect/Mars/IR/MarsAttrs.cpp.inc"
      >();
}

Operation *MarsDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<DenseElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  if (elements.isSplat())
    return builder.create<FullOp>(loc, type,
                                  elements.getSplatValue<TypedAttr>());
  return builder.create<ConstantOp>(loc, type, elements);
}

/// Checks a `mars.chunks` layout against the type of the value it describes.
static LogicalResult verifyChunks(function_ref<InFlightDiagnostic()> emitError,
                                  Attribute attr, Type type) {
  auto chunks = dyn_cast<DenseI64ArrayAttr>(attr);
  if (!chunks)
    return emitError() << "'mars.chunks' must be an array of i64 chunk sizes, "
                          "e.g. array<i64: 1000, 1000>";
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return emitError() << "'mars.chunks' needs a ranked tensor value, got "
                       << type;
  if (chunks.size() != tensor.getRank())
    return emitError() << "'mars.chunks' has " << chunks.size()
                       << " chunk sizes for a rank-" << tensor.getRank()
                       << " tensor";
  for (auto [d, size] : llvm::enumerate(chunks.asArrayRef()))
    if (size <= 0)
      return emitError() << "chunk sizes must be positive, got " << size
                         << " for dimension " << d;
  return success();
}

LogicalResult MarsDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attr) {
  if (attr.getName() == kKernelAttrName) {
    if (!isa<FlatSymbolRefAttr>(attr.getValue()))
      return op->emitError("'mars.kernel' must name a kernel function (a "
                           "flat symbol reference)");
    return success();
  }
  if (attr.getName() != kChunksAttrName)
    return op->emitError("unknown Mars attribute '")
           << attr.getName().getValue() << "'";
  // A multi-output mars.fused: its results share the layout.
  if (op->getNumResults() != 1 &&
      !(isa<FusedOp>(op) && op->getNumResults() > 1))
    return op->emitError("'mars.chunks' needs an op with one result");
  for (Value result : op->getResults())
    if (failed(verifyChunks([&] { return op->emitError(); }, attr.getValue(),
                            result.getType())))
      return failure();
  return success();
}

LogicalResult MarsDialect::verifyRegionArgAttribute(Operation *op,
                                                    unsigned regionIndex,
                                                    unsigned argIndex,
                                                    NamedAttribute attr) {
  if (attr.getName() != kChunksAttrName && attr.getName() != kStoredAttrName)
    return op->emitError("unknown Mars argument attribute '")
           << attr.getName().getValue() << "'";
  Region &region = op->getRegion(regionIndex);
  if (region.empty() || argIndex >= region.getNumArguments())
    return op->emitError("'") << attr.getName().getValue()
                              << "' on a missing argument";
  if (attr.getName() == kStoredAttrName) {
    Value arg = region.getArgument(argIndex);
    auto count = dyn_cast<IntegerAttr>(attr.getValue());
    if (!isCsr(arg))
      return op->emitError("'mars.stored' is for a sparse (#mars.csr) "
                           "argument, got ")
             << arg.getType();
    if (!count || !count.getType().isInteger(64))
      return op->emitError("'mars.stored' must be an i64 count");
    const int64_t size =
        cast<RankedTensorType>(arg.getType()).getNumElements();
    if (count.getInt() < 0 || count.getInt() > size)
      return op->emitError("'mars.stored' must be in [0, ")
             << size << "], the argument's elements, got " << count.getInt();
    return success();
  }
  return verifyChunks([&] { return op->emitError(); }, attr.getValue(),
                      region.getArgument(argIndex).getType());
}

numeric::DType mars::toDType(Type t) {
  if (auto c = dyn_cast<ComplexType>(t))
    return c.getElementType().isF32() ? numeric::DType::C64
                                      : numeric::DType::C128;
  if (t.isF16())
    return numeric::DType::F16;
  if (t.isF32())
    return numeric::DType::F32;
  if (t.isF64())
    return numeric::DType::F64;
  if (t.isInteger(1))
    return numeric::DType::Bool;
  bool u = t.isUnsignedInteger();
  switch (t.getIntOrFloatBitWidth()) {
  case 8:
    return u ? numeric::DType::U8 : numeric::DType::I8;
  case 16:
    return u ? numeric::DType::U16 : numeric::DType::I16;
  case 32:
    return u ? numeric::DType::U32 : numeric::DType::I32;
  default:
    return u ? numeric::DType::U64 : numeric::DType::I64;
  }
}

Type mars::toElementType(MLIRContext *ctx, numeric::DType dtype) {
  Builder b(ctx);
  switch (dtype) {
  case numeric::DType::Bool:
    return b.getI1Type();
  case numeric::DType::I8:
  case numeric::DType::I16:
  case numeric::DType::I32:
  case numeric::DType::I64:
    return b.getIntegerType(numeric::dtypeSize(dtype) * 8);
  case numeric::DType::U8:
  case numeric::DType::U16:
  case numeric::DType::U32:
  case numeric::DType::U64:
    return b.getIntegerType(numeric::dtypeSize(dtype) * 8, /*isSigned=*/false);
  case numeric::DType::F16:
    return b.getF16Type();
  case numeric::DType::F32:
    return b.getF32Type();
  case numeric::DType::C64:
    return ComplexType::get(b.getF32Type());
  case numeric::DType::C128:
    return ComplexType::get(b.getF64Type());
  case numeric::DType::F64:
    break;
  }
  return b.getF64Type();
}

llvm::Error mars::checkMatchesType(numeric::DType dtype, ArrayRef<int64_t> shape,
                                   Type type) {
  auto error = [](const llvm::Twine &msg) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
  };
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return error("expected a statically shaped tensor type, got a value for "
                 "a parameter of another type");
  numeric::DType expected = toDType(tensor.getElementType());
  if (dtype == expected && shape == tensor.getShape())
    return llvm::Error::success();
  std::string typeStr;
  llvm::raw_string_ostream os(typeStr);
  os << type;
  return error("holds " + llvm::Twine(numeric::dtypeName(dtype)) +
               " with shape " + numeric::formatShape(shape) +
               ", but the program expects " + os.str() + " (" +
               numeric::dtypeName(expected) + " with shape " +
               numeric::formatShape(tensor.getShape()) + ")");
}

llvm::Error mars::checkMatchesType(const numeric::NDArray &array, Type type) {
  if (auto err = checkMatchesType(array.dtype(), array.shape(), type))
    return err;
  if (array.isSparse() == isCsr(type))
    return llvm::Error::success();
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      array.isSparse()
          ? "holds a sparse matrix, but the program expects a dense tensor"
          : "holds a dense array, but the program expects a sparse matrix "
            "(#mars.csr)");
}
