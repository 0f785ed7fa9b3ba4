//===- Evaluator.cpp - The oracle of Mars semantics -----------------------===//
//
// One case per op family, each a direct call into mars::numeric. Values are
// dropped after their last use so that programs of a few hundred MB run.
//
//===----------------------------------------------------------------------===//

#include "mars/Runtime/ReferenceEvaluator.h"

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Numeric/Kernels.h"
#include "mars/Runtime/MemoryBudget.h"
#include "mars/Support/Npy.h"

#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mars;
using numeric::NDArray;

namespace {

llvm::Error makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

numeric::Shape shapeOf(Type type) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(type).getShape();
  return numeric::Shape(s.begin(), s.end());
}

numeric::DType dtypeOf(Type type) {
  return toDType(cast<RankedTensorType>(type).getElementType());
}

int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

class Evaluator {
public:
  explicit Evaluator(const ReferenceOptions &options)
      : budget(options.memoryLimit, "reference evaluator",
               "it holds whole arrays in memory") {}
  FailureOr<std::vector<NDArray>> run(func::FuncOp func,
                                      ArrayRef<NDArray> args);

private:
  /// Computes the single result of `op` (ops with no results return an
  /// empty array that is discarded).
  llvm::Expected<NDArray> evaluate(Operation *op);
  const NDArray &operand(Operation *op, unsigned i) {
    return values.find(op->getOperand(i))->second;
  }

  void release(Value v) {
    auto it = values.find(v);
    budget.release(it->second.nbytes());
    values.erase(it);
  }

  /// Accounts for the bytes held by `values`.
  MemoryBudget budget;
  llvm::DenseMap<Value, NDArray> values;
};

llvm::Expected<NDArray> Evaluator::evaluate(Operation *op) {
  Type resultType = op->getNumResults() ? op->getResult(0).getType() : Type();
  auto in = [&](unsigned i) -> const NDArray & { return operand(op, i); };

  if (auto unary = dyn_cast<UnaryOpInterface>(op))
    return numeric::unary(unary.getUnaryFn(), in(0), dtypeOf(resultType));
  if (auto binary = dyn_cast<BinaryOpInterface>(op))
    return numeric::binary(binary.getBinaryFn(), in(0), in(1),
                           dtypeOf(resultType));
  if (auto reduction = dyn_cast<ReductionOpInterface>(op))
    return numeric::reduce(reduction.getReduceFn(), in(0),
                           reduction.getReducedAxes(), reduction.getKeepdims(),
                           reduction.getDeltaDof(), dtypeOf(resultType));

  return llvm::TypeSwitch<Operation *, llvm::Expected<NDArray>>(op)
      // Creation.
      .Case([&](ConstantOp c) {
        return toNDArray(cast<DenseElementsAttr>(c.getValue()));
      })
      .Case([&](FullOp f) {
        return numeric::full(dtypeOf(resultType), shapeOf(resultType),
                             scalarToNDArray(f.getValue()));
      })
      .Case([&](ZerosOp) {
        return NDArray(dtypeOf(resultType), shapeOf(resultType));
      })
      .Case([&](OnesOp) {
        NDArray one(numeric::DType::F64, {});
        one.data<double>()[0] = 1.0;
        return numeric::full(dtypeOf(resultType), shapeOf(resultType), one);
      })
      .Case([&](ArangeOp a) {
        return numeric::arange(dtypeOf(resultType), shapeOf(resultType)[0],
                               a.getStart().convertToDouble(),
                               a.getStep().convertToDouble());
      })
      .Case([&](LinspaceOp l) {
        return numeric::linspace(dtypeOf(resultType), shapeOf(resultType)[0],
                                 l.getStart().convertToDouble(),
                                 l.getStop().convertToDouble(),
                                 !l.getNoEndpoint());
      })
      .Case([&](EyeOp e) {
        numeric::Shape s = shapeOf(resultType);
        return numeric::eye(dtypeOf(resultType), s[0], s[1], e.getK());
      })
      .Case([&](RandomUniformOp r) {
        return numeric::randomUniform(dtypeOf(resultType), shapeOf(resultType),
                                      r.getSeed(), r.getLow().convertToDouble(),
                                      r.getHigh().convertToDouble());
      })
      .Case([&](RandomNormalOp r) {
        return numeric::randomNormal(dtypeOf(resultType), shapeOf(resultType),
                                     r.getSeed(), r.getLoc().convertToDouble(),
                                     r.getScale().convertToDouble());
      })
      .Case([&](RandomIntegersOp r) {
        return numeric::randomIntegers(dtypeOf(resultType),
                                       shapeOf(resultType), r.getSeed(),
                                       r.getLow(), r.getHigh());
      })
      // Elementwise ops outside the unary/binary families.
      .Case([&](CastOp) { return numeric::cast(in(0), dtypeOf(resultType)); })
      .Case([&](WhereOp) { return numeric::where(in(0), in(1), in(2)); })
      // Shape.
      .Case([&](TransposeOp t) { return numeric::transpose(in(0), t.getPerm()); })
      .Case<ReshapeOp, ExpandDimsOp, SqueezeOp>(
          [&](Operation *) { return in(0).reshaped(shapeOf(resultType)); })
      .Case([&](BroadcastToOp) {
        return numeric::broadcastTo(in(0), shapeOf(resultType));
      })
      .Case([&](SliceOp s) { return numeric::slice(in(0), s.getSliceDims()); })
      .Case<ConcatenateOp, StackOp>([&](Operation *join) {
        std::vector<const NDArray *> xs;
        for (unsigned i = 0; i < join->getNumOperands(); ++i)
          xs.push_back(&in(i));
        int64_t axis = join->getAttrOfType<IntegerAttr>("axis").getInt();
        int64_t rank = xs.front()->rank();
        if (isa<StackOp>(join))
          return numeric::stack(xs, normalizeAxis(axis, rank + 1));
        return numeric::concatenate(xs, normalizeAxis(axis, rank));
      })
      .Case([&](RechunkOp) { return in(0); })
      // Linear algebra.
      .Case([&](MatmulOp) { return numeric::matmul(in(0), in(1)); })
      .Case([&](TensordotOp t) {
        SmallVector<int64_t> a, b;
        for (int64_t x : t.getLhsAxes())
          a.push_back(normalizeAxis(x, in(0).rank()));
        for (int64_t x : t.getRhsAxes())
          b.push_back(normalizeAxis(x, in(1).rank()));
        return numeric::tensordot(in(0), in(1), a, b);
      })
      // Data.
      .Case([&](LoadOp l) -> llvm::Expected<NDArray> {
        auto array = readNpy(l.getPath());
        if (!array)
          return array.takeError();
        if (auto err = checkMatchesType(*array, resultType))
          return makeError("'" + l.getPath() + "' " +
                           llvm::toString(std::move(err)));
        return array;
      })
      .Case([&](SaveOp s) -> llvm::Expected<NDArray> {
        if (auto err = writeNpy(s.getPath(), in(0)))
          return std::move(err);
        return NDArray();
      })
      .Default([&](Operation *other) -> llvm::Expected<NDArray> {
        return makeError("'" + other->getName().getStringRef() +
                         "' is not supported by the reference evaluator");
      });
}

FailureOr<std::vector<NDArray>> Evaluator::run(func::FuncOp func,
                                               ArrayRef<NDArray> args) {
  if (func.isExternal())
    return func.emitError("cannot evaluate a function without a body");
  Block &body = func.getBody().front();
  if (args.size() != body.getNumArguments())
    return func.emitError("expected ")
           << body.getNumArguments() << " arguments, got " << args.size();
  for (auto [i, arg] : llvm::enumerate(body.getArguments())) {
    if (auto err = checkMatchesType(args[i], arg.getType()))
      return func.emitError("argument ")
             << i << ": " << llvm::toString(std::move(err));
    budget.add(args[i].nbytes());
    values[arg] = args[i];
  }

  // The last op of the block that uses each value, to free it right after.
  llvm::DenseMap<Value, Operation *> lastUse;
  for (Operation &op : body)
    for (Value v : op.getOperands())
      lastUse[v] = &op;

  for (Operation &op : body) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<NDArray> results;
      for (Value v : ret.getOperands())
        results.push_back(values.find(v)->second);
      return results;
    }
    if (op.getNumRegions() != 0 || op.getNumResults() > 1)
      return op.emitError("'") << op.getName()
                               << "' is not supported by the reference "
                                  "evaluator";
    for (Value v : op.getOperands())
      if (!values.count(v))
        return op.emitError("operand is not defined by a Mars op");
    if (failed(budget.reserve(&op)))
      return failure();
    llvm::Expected<NDArray> result = evaluate(&op);
    if (!result)
      return op.emitError(llvm::toString(result.takeError()));
    if (op.getNumResults() == 1)
      values[op.getResult(0)] = std::move(*result);
    for (Value v : op.getOperands())
      if (lastUse.lookup(v) == &op && values.count(v))
        release(v);
  }
  return func.emitError("function body has no terminator");
}

} // namespace

FailureOr<std::vector<NDArray>>
mars::evaluateReference(func::FuncOp func, ArrayRef<NDArray> args,
                        const ReferenceOptions &options) {
  return Evaluator(options).run(func, args);
}

