//===- FusedOp.cpp - mars.fused and what may be fused ---------------------===//
//
// Which ops mars-fuse may put in a group (isCheapElementwise and the body
// rules), and mars.fused's parsing, printing, roots and verifier: a body of
// elementwise, creation and random ops and reductions, yielding one value or
// the roots of a multi-output group.
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Numeric/Reductions.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

#include <limits>

using namespace mlir;
using namespace mars;

bool mars::isCheapElementwise(Operation *op) {
  using numeric::BinaryFn;
  using numeric::UnaryFn;
  if (isa<CastOp, WhereOp>(op))
    return true;
  if (auto unary = dyn_cast<UnaryOpInterface>(op)) {
    switch (unary.getUnaryFn()) {
    case UnaryFn::Neg:
    case UnaryFn::Abs:
    case UnaryFn::Square:
    case UnaryFn::Floor:
    case UnaryFn::Ceil:
    case UnaryFn::Sign:
    case UnaryFn::IsNan:
    case UnaryFn::LogicalNot:
    case UnaryFn::Trunc:
    case UnaryFn::Rint:
    case UnaryFn::IsInf:
    case UnaryFn::IsFinite:
    case UnaryFn::SignBit:
    case UnaryFn::Degrees:
    case UnaryFn::Radians:
    case UnaryFn::Invert:
      return true;
    default:
      return false;
    }
  }
  if (auto binary = dyn_cast<BinaryOpInterface>(op)) {
    // Listed: a function added later is weighed as costly until it is.
    switch (binary.getBinaryFn()) {
    case BinaryFn::Add:
    case BinaryFn::Sub:
    case BinaryFn::Mul:
    case BinaryFn::Maximum:
    case BinaryFn::Minimum:
    case BinaryFn::Fmax:
    case BinaryFn::Fmin:
    case BinaryFn::Copysign:
    case BinaryFn::Heaviside:
    case BinaryFn::Eq:
    case BinaryFn::Ne:
    case BinaryFn::Lt:
    case BinaryFn::Le:
    case BinaryFn::Gt:
    case BinaryFn::Ge:
    case BinaryFn::LogicalAnd:
    case BinaryFn::LogicalOr:
    case BinaryFn::LogicalXor:
    case BinaryFn::BitwiseAnd:
    case BinaryFn::BitwiseOr:
    case BinaryFn::BitwiseXor:
    case BinaryFn::LeftShift:
    case BinaryFn::RightShift:
      return true;
    default:
      return false;
    }
  }
  return false;
}

int64_t mars::detail::elementwiseWork(Operation *op) {
  if (auto gen = dyn_cast<GeneratorOpInterface>(op))
    return gen.isRandom() ? 8 : 1;
  if (isa<ElementwiseOpInterface>(op) && !isCheapElementwise(op))
    return 8;
  return 1;
}

int64_t FusedOp::getRecomputeWork() {
  // The body's ops, each once per element of the iteration space. A
  // reduction in the body has no rule (a group rooted at one is a
  // reduction's partial, never a map task's chunk).
  int64_t work = 0;
  for (Operation &op : getBody().front().without_terminator()) {
    auto recompute = dyn_cast<RecomputeOpInterface>(&op);
    if (!recompute)
      return std::numeric_limits<int32_t>::max();
    work += recompute.getRecomputeWork();
  }
  return std::max<int64_t>(work, 1);
}

/// Reductions whose partials take one pass and one value: the inner
/// reductions and the roots of multi-output groups.
static bool isOnePass(ReductionOpInterface r) {
  return numeric::reductionRule(r.getReduceFn()).isOnePass();
}
static constexpr const char *kNotOnePass =
    "its partials are not one value from one pass (as var's, std's, "
    "argmin's and argmax's are not)";
/// Sparse matrices run in the runtime's kernels, never in a fused one.
static constexpr const char *kSparseReduction = "it reduces a sparse matrix";

std::string FusedOp::getSummary() {
  std::string s = "fused(";
  bool first = true;
  for (Operation &op : getBody().front()) {
    if (isa<YieldOp>(op))
      continue;
    s += (first ? "" : ", ") + op.getName().stripDialect().str();
    first = false;
  }
  return s + ")";
}

Operation *FusedOp::getRoot() {
  auto yield = dyn_cast<YieldOp>(getBody().front().getTerminator());
  return yield && !yield.getValues().empty()
             ? yield.getValues().front().getDefiningOp()
             : nullptr;
}

SmallVector<Operation *> FusedOp::getRoots() {
  SmallVector<Operation *> roots;
  if (auto yield = dyn_cast<YieldOp>(getBody().front().getTerminator()))
    for (Value v : yield.getValues())
      roots.push_back(v.getDefiningOp());
  return roots;
}

std::string FusedOp::multiRootProblem(Operation *reduction) {
  auto r = dyn_cast_or_null<ReductionOpInterface>(reduction);
  if (!r)
    return "it is not a reduction";
  if (hasSparseValues(reduction))
    return kSparseReduction;
  return isOnePass(r) ? "" : kNotOnePass;
}

bool FusedOp::sameRootSpace(Operation *a, Operation *b) {
  auto ra = cast<ReductionOpInterface>(a), rb = cast<ReductionOpInterface>(b);
  return cast<ShapedType>(a->getOperand(0).getType()).getShape() ==
             cast<ShapedType>(b->getOperand(0).getType()).getShape() &&
         ra.getReducedAxes() == rb.getReducedAxes() &&
         ra.getKeepdims() == rb.getKeepdims();
}

/// Ops a fused body may hold besides its root reduction.
static bool isFusableBodyOp(Operation *op) {
  return isa<ElementwiseOpInterface, FullOp, ZerosOp, OnesOp, RandomUniformOp,
             RandomNormalOp, RandomIntegersOp>(op);
}

std::string FusedOp::innerReductionProblem(Operation *reduction) {
  auto r = cast<ReductionOpInterface>(reduction);
  if (hasSparseValues(reduction))
    return kSparseReduction;
  if (!isOnePass(r))
    return kNotOnePass;
  auto shape =
      cast<RankedTensorType>(reduction->getOperand(0).getType()).getShape();
  int64_t n = 1;
  for (int64_t axis : r.getReducedAxes())
    n *= shape[axis];
  if (n < 1 || n > kMaxInnerReduced)
    return "it folds " + std::to_string(n) +
           " elements per result element (inner reductions fold 1 to " +
           std::to_string(kMaxInnerReduced) + ")";
  return "";
}

SmallVector<Operation *> FusedOp::innerDomain(Operation *reduction) {
  llvm::SmallPtrSet<Operation *, 8> seen;
  SmallVector<Operation *> worklist;
  auto visit = [&](Value v) {
    Operation *def = v.getDefiningOp();
    if (def && seen.insert(def).second)
      worklist.push_back(def);
  };
  visit(reduction->getOperand(0));
  while (!worklist.empty())
    for (Value v : worklist.pop_back_val()->getOperands())
      visit(v);
  SmallVector<Operation *> ops(seen.begin(), seen.end());
  llvm::sort(ops,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return ops;
}

llvm::SmallPtrSet<Operation *, 8> FusedOp::getInnerOnlyOps() {
  llvm::SmallPtrSet<Operation *, 8> inner, only;
  for (Operation &op : getBody().front().without_terminator())
    if (isInnerReduction(&op))
      inner.insert(&op);
  for (Operation *red : inner)
    for (Operation *op : innerDomain(red))
      only.insert(op);
  // An op some other body op reads is computed in the iteration space too,
  // and so is everything it reads.
  for (bool changed = true; changed;) {
    changed = false;
    for (Operation *op : llvm::to_vector(only))
      if (llvm::any_of(op->getUsers(), [&](Operation *user) {
            return !inner.contains(user) && !only.contains(user);
          })) {
        only.erase(op);
        changed = true;
      }
  }
  return only;
}

bool FusedOp::sameInnerSpace(Operation *a, Operation *b) {
  auto ra = cast<ReductionOpInterface>(a), rb = cast<ReductionOpInterface>(b);
  return a->getOperand(0).getType() == b->getOperand(0).getType() &&
         ra.getReducedAxes() == rb.getReducedAxes() &&
         ra.getKeepdims() == rb.getKeepdims();
}

Operation *FusedOp::innerReductionReading(BlockArgument arg) {
  if (arg.use_empty() || cast<RankedTensorType>(arg.getType()).getRank() == 0)
    return nullptr;
  SmallVector<Operation *> inner;
  for (Operation &op : getBody().front().without_terminator())
    if (isInnerReduction(&op))
      inner.push_back(&op);
  if (inner.empty())
    return nullptr;
  llvm::SmallPtrSet<Operation *, 8> only = getInnerOnlyOps();
  Operation *found = nullptr;
  for (Operation *user : arg.getUsers()) {
    bool inDomain = false;
    for (Operation *r : inner) {
      if (user != r && !(only.contains(user) &&
                         llvm::is_contained(innerDomain(r), user)))
        continue;
      if (found && !sameInnerSpace(found, r))
        return nullptr;
      found = r;
      inDomain = true;
    }
    if (!inDomain)
      return nullptr;
  }
  return found;
}

std::string FusedOp::innerReductionError(Operation *reduction) {
  std::string problem = innerReductionProblem(reduction);
  if (!problem.empty())
    return problem;
  for (Operation *user : reduction->getUsers())
    if (isa<YieldOp>(user))
      return "only the root reduction's result can be yielded";
  SmallVector<Operation *> readers = innerDomain(reduction);
  readers.push_back(reduction);
  for (Operation *op : readers) {
    if (op != reduction && isa<ReductionOpInterface>(op))
      return "its operand is computed by another reduction";
    // An input the domain reads is read at the domain's elements: every
    // reader of it in the body must be in the domain of an inner reduction
    // over the same space (so that one region of it serves them all).
    for (Value v : op->getOperands())
      if (auto arg = dyn_cast<BlockArgument>(v);
          arg && cast<RankedTensorType>(v.getType()).getRank() != 0 &&
          !innerReductionReading(arg))
        return "its operand reads body argument " +
               std::to_string(arg.getArgNumber()) +
               ", which the body also reads elsewhere";
  }
  return "";
}

LogicalResult FusedOp::verifyInnerReduction(Operation *reduction) {
  std::string error = innerReductionError(reduction);
  if (error.empty())
    return success();
  return reduction->emitOpError("cannot be an inner reduction of a "
                                "mars.fused body: ")
         << error;
}

LogicalResult FusedOp::verify() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError("body has ")
           << body.getNumArguments() << " arguments for " << getInputs().size()
           << " inputs";
  for (auto [arg, input] : llvm::zip(body.getArguments(), getInputs()))
    if (arg.getType() != input.getType())
      return emitOpError("body argument ")
             << arg.getArgNumber() << " has type " << arg.getType()
             << ", but its input has type " << input.getType();
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield)
    return emitOpError("body must end with mars.yield");
  if (getNumResults() == 0)
    return emitOpError("has no results");
  if (yield.getValues().size() != getNumResults())
    return emitOpError("yields ")
           << yield.getValues().size() << " values for " << getNumResults()
           << " results";
  for (auto [i, v, type] : llvm::enumerate(yield.getValues(), getResultTypes()))
    if (v.getType() != type)
      return emitOpError("yields ")
             << v.getType() << " for result " << i << " of type " << type;
  if (getNumResults() > 1) {
    SmallVector<Operation *> roots = getRoots();
    for (auto [i, root] : llvm::enumerate(roots)) {
      std::string problem = multiRootProblem(root);
      if (!problem.empty())
        return emitOpError("result ")
               << i << " cannot be a root of a multi-output group: "
               << problem;
      if (llvm::count(roots, root) > 1)
        return emitOpError("yields the result of '")
               << root->getName() << "' twice";
      if (!sameRootSpace(roots.front(), root))
        return root->emitOpError("does not reduce the same axes of an "
                                 "operand of the same shape as the first "
                                 "root of its multi-output group");
      for (Operation *user : root->getUsers())
        if (!isa<YieldOp>(user))
          return root->emitOpError("is a root of a multi-output group, so "
                                   "only mars.yield may use its result");
    }
  }
  for (Operation &op : body.without_terminator()) {
    if (isa<ReductionOpInterface>(op)) {
      if (isInnerReduction(&op) && failed(verifyInnerReduction(&op)))
        return failure();
      continue;
    }
    if (!isFusableBodyOp(&op))
      return op.emitOpError("cannot be part of a mars.fused body (only "
                            "elementwise ops, full/zeros/ones, random ops "
                            "and reductions can)");
  }
  return success();
}

