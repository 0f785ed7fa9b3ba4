//===- MarsDialect.cpp - The Mars dialect ---------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mars;

#include "mars/Dialect/Mars/IR/MarsOpsDialect.cpp.inc"
#include "mars/Dialect/Mars/IR/MarsInterfaces.cpp.inc"

void MarsDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "mars/Dialect/Mars/IR/MarsOps.cpp.inc"
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

numeric::DType mars::toDType(Type t) {
  if (t.isF32())
    return numeric::DType::F32;
  if (t.isF64())
    return numeric::DType::F64;
  if (t.isInteger(1))
    return numeric::DType::Bool;
  if (t.isInteger(32))
    return numeric::DType::I32;
  return numeric::DType::I64;
}

Type mars::toElementType(MLIRContext *ctx, numeric::DType dtype) {
  Builder b(ctx);
  switch (dtype) {
  case numeric::DType::Bool:
    return b.getI1Type();
  case numeric::DType::I32:
    return b.getI32Type();
  case numeric::DType::I64:
    return b.getI64Type();
  case numeric::DType::F32:
    return b.getF32Type();
  case numeric::DType::F64:
    break;
  }
  return b.getF64Type();
}
