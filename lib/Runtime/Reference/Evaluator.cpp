//===- Evaluator.cpp - The oracle of Mars semantics -----------------------===//
//
// Each op is its chunk rule (ChunkOpInterface::computeBox) applied to the
// whole result, so the oracle and the chunked engines share one statement
// of what an op means. Values are dropped after their last use so that
// programs of a few hundred MB run.
//
//===----------------------------------------------------------------------===//

#include "mars/Runtime/ReferenceEvaluator.h"

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Numeric/Kernels.h"
#include "mars/Runtime/MemoryBudget.h"
#include "mars/Support/Error.h"

#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace mars;
using numeric::NDArray;

namespace {

numeric::Shape shapeOf(Type type) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(type).getShape();
  return numeric::Shape(s.begin(), s.end());
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
  SmallVector<const NDArray *, 4> operands;
  for (unsigned i = 0; i < op->getNumOperands(); ++i)
    operands.push_back(&operand(op, i));
  return evaluateOp(op, operands);
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
    if (result->isSparse() && failed(budget.settle(&op, result->nbytes())))
      return failure();
    if (op.getNumResults() == 1)
      values[op.getResult(0)] = std::move(*result);
    for (Value v : op.getOperands())
      if (lastUse.lookup(v) == &op && values.count(v))
        release(v);
  }
  return func.emitError("function body has no terminator");
}

} // namespace

llvm::Expected<NDArray> mars::evaluateOp(Operation *op,
                                         ArrayRef<const NDArray *> operands) {
  if (auto sink = dyn_cast<SinkOpInterface>(op)) {
    if (auto err = sink.consumeWhole(*operands[0]))
      return std::move(err);
    return NDArray();
  }
  auto rules = dyn_cast<ChunkOpInterface>(op);
  if (!rules)
    return makeError("'" + op->getName().getStringRef() +
                     "' is not supported by the reference evaluator (it has "
                     "no chunk rules)");
  // An elementwise op's chunk rule over whole operands is its scalar rule
  // with numpy broadcasting: what its computeBox applies once every region
  // is whole, without the regions (eager mode runs one such op per call).
  if (isa<ElementwiseOpInterface>(op))
    return detail::applyElementwise(op, operands);
  // The op's chunk rule over its whole result, from its whole operands.
  SmallVector<tiling::BoxOperand, 4> boxes;
  for (const NDArray *x : operands)
    boxes.push_back({x, numeric::Shape(x->rank(), 0)});
  return rules.computeBox(boxes,
                          tiling::Box::of(shapeOf(op->getResult(0).getType())));
}

FailureOr<std::vector<NDArray>>
mars::evaluateReference(func::FuncOp func, ArrayRef<NDArray> args,
                        const ReferenceOptions &options) {
  return Evaluator(options).run(func, args);
}

