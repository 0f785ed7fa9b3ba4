//===- Fuse.cpp - Group elementwise chains into mars.fused ----------------===//
//
// The mars-fuse pass; see Passes.td for the rules.
//
//===----------------------------------------------------------------------===//

#include "mars/Transforms/Passes.h"

#include "mars/Tiling/Layout.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "mars-fuse"

namespace mars {
#define GEN_PASS_DEF_MARSFUSE
#include "mars/Transforms/Passes.h.inc"
} // namespace mars

using namespace mlir;
using namespace mars;

namespace {

bool isCheapCreation(Operation *op) {
  return isa<FullOp, ZerosOp, OnesOp, RandomUniformOp, RandomNormalOp,
             RandomIntegersOp>(op);
}

bool isRoot(Operation *op) {
  return isa<ElementwiseOpInterface, ReductionOpInterface>(op);
}

/// Elementwise ops that cost less per element than storing the element and
/// reading it back: a few arithmetic instructions, no division, no libm.
bool isCheapElementwise(Operation *op) {
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
      return true;
    default:
      return false;
    }
  }
  if (auto binary = dyn_cast<BinaryOpInterface>(op)) {
    switch (binary.getBinaryFn()) {
    case BinaryFn::Div:
    case BinaryFn::FloorDiv:
    case BinaryFn::Mod:
    case BinaryFn::Pow:
      return false;
    default:
      return true;
    }
  }
  return false;
}

/// A cheap elementwise op all of whose users are group roots over its own
/// iteration space (elementwise ops of its shape, reductions of it): copied
/// into each of their groups, it is never stored.
bool isRecomputable(Operation *op) {
  if (!isCheapElementwise(op) || op->use_empty())
    return false;
  ArrayRef<int64_t> shape = cast<ShapedType>(op->getResult(0).getType()).getShape();
  return llvm::all_of(op->getUsers(), [&](Operation *user) {
    if (user->getBlock() != op->getBlock())
      return false;
    if (isa<ReductionOpInterface>(user))
      return true;
    // Not broadcast into a larger space: that would multiply its work.
    return isa<ElementwiseOpInterface>(user) &&
           cast<ShapedType>(user->getResult(0).getType()).getShape() == shape;
  });
}

struct FusePass : public mars::impl::MarsFuseBase<FusePass> {
  void runOnOperation() override;

private:
  /// The ops of the group rooted at `root`, in program order.
  SmallVector<Operation *> collectGroup(Operation *root);
  /// Replaces `group` by a mars.fused op; adds the ops it erases to
  /// `erased`.
  void fuse(ArrayRef<Operation *> group,
            llvm::SmallPtrSetImpl<Operation *> &erased);
};

SmallVector<Operation *> FusePass::collectGroup(Operation *root) {
  llvm::SetVector<Operation *> group;
  group.insert(root);
  // Members that stay in the program for other users: their producers are
  // copies too, so only cheap ones may follow them in.
  llvm::SmallPtrSet<Operation *, 8> copied;
  SmallVector<Operation *> worklist{root};
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    for (Value v : op->getOperands()) {
      Operation *producer = v.getDefiningOp();
      if (!producer || group.contains(producer) ||
          producer->getBlock() != root->getBlock())
        continue;
      bool take = isCheapCreation(producer);
      if (!take && isa<ElementwiseOpInterface>(producer)) {
        bool onlyHere = llvm::all_of(producer->getUsers(), [&](Operation *user) {
          return group.contains(user);
        });
        bool viaCopy = llvm::any_of(producer->getUsers(), [&](Operation *user) {
          return copied.contains(user);
        });
        if (onlyHere && !viaCopy) {
          take = true;
        } else if ((onlyHere && isCheapElementwise(producer)) ||
                   isRecomputable(producer)) {
          take = true;
          copied.insert(producer);
        }
      }
      if (take) {
        group.insert(producer);
        worklist.push_back(producer);
      }
    }
  }
  SmallVector<Operation *> ordered(group.begin(), group.end());
  llvm::sort(ordered, [](Operation *a, Operation *b) {
    return a->isBeforeInBlock(b);
  });
  return ordered;
}

void FusePass::fuse(ArrayRef<Operation *> group,
                    llvm::SmallPtrSetImpl<Operation *> &erased) {
  Operation *root = group.back();
  llvm::SmallPtrSet<Operation *, 8> members(group.begin(), group.end());
  // Inputs: values the group uses that it does not define.
  llvm::SetVector<Value> inputs;
  for (Operation *op : group)
    for (Value v : op->getOperands())
      if (!members.contains(v.getDefiningOp()))
        inputs.insert(v);

  OpBuilder b(root);
  Value result = root->getResult(0);
  auto fused = b.create<FusedOp>(root->getLoc(), result.getType(),
                                 inputs.getArrayRef());
  if (auto chunks = root->getAttr(MarsDialect::kChunksAttrName))
    fused->setAttr(MarsDialect::kChunksAttrName, chunks);
  Block *body = b.createBlock(&fused.getBody());
  IRMapping mapping;
  for (Value in : inputs)
    mapping.map(in, body->addArgument(in.getType(), in.getLoc()));
  for (Operation *op : group)
    b.clone(*op, mapping);
  b.create<YieldOp>(root->getLoc(), mapping.lookup(result));
  result.replaceAllUsesWith(fused.getResult());

  // Erase the originals; creation ops stay while others still use them.
  for (Operation *op : llvm::reverse(group)) {
    if (op->use_empty()) {
      erased.insert(op);
      op->erase();
    }
  }
  LLVM_DEBUG(llvm::dbgs() << "mars-fuse: fused " << group.size()
                          << " ops into " << fused << "\n");
}

void FusePass::runOnOperation() {
  func::FuncOp fn = getOperation();
  if (fn.isExternal())
    return;
  Block &block = fn.getBody().front();
  SmallVector<Operation *> roots;
  for (Operation &op : llvm::reverse(block))
    roots.push_back(&op);
  llvm::SmallPtrSet<Operation *, 16> erased;
  for (Operation *op : roots) {
    if (erased.contains(op) || !isRoot(op))
      continue;
    SmallVector<Operation *> group = collectGroup(op);
    if (group.size() < 2)
      continue;
    fuse(group, erased);
  }
}

} // namespace
