//===- Fuse.cpp - Group elementwise chains into mars.fused ----------------===//
//
// The mars-fuse pass; see Passes.td for the rules.
//
//===----------------------------------------------------------------------===//

#include "mars/Transforms/Passes.h"

#include "mars/Tiling/Layout.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/OperationSupport.h"

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

bool isCheapCreation(Operation *op) { return isa<GeneratorOpInterface>(op); }

bool isRoot(Operation *op) {
  return isa<ElementwiseOpInterface, ReductionOpInterface>(op) &&
         !hasSparseValues(op);
}

/// A cheap elementwise op all of whose users are group roots over its own
/// iteration space (elementwise ops of its shape, reductions of it): copied
/// into each of their groups, it is never stored.
bool isRecomputable(Operation *op) {
  if (!isCheapElementwise(op) || op->use_empty() || hasSparseValues(op))
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

/// The elements of the space a group rooted at `root` iterates over: the
/// root reduction's operand, or the root's result.
int64_t iterationElements(Operation *root) {
  Value space = isa<ReductionOpInterface>(root) ? root->getOperand(0)
                                                : root->getResult(0);
  return cast<ShapedType>(space.getType()).getNumElements();
}

/// The ops to move into a group with `reduction` as an inner reduction (see
/// mars.fused): the creation and elementwise ops computing its operand that
/// nothing else reads (creation ops are copied, whoever else reads them), or
/// nothing when it cannot be one. Every other value its operand needs is
/// read by the group as an input.
std::optional<SmallVector<Operation *>> innerDomainOf(Operation *reduction) {
  if (!FusedOp::innerReductionProblem(reduction).empty())
    return std::nullopt;
  // Candidates: the creation and elementwise ops the operand is computed
  // from, in this block.
  llvm::SetVector<Operation *> domain;
  SmallVector<Value> worklist{reduction->getOperand(0)};
  while (!worklist.empty()) {
    Operation *def = worklist.pop_back_val().getDefiningOp();
    if (!def || domain.contains(def) ||
        def->getBlock() != reduction->getBlock() ||
        !(isCheapCreation(def) || isa<ElementwiseOpInterface>(def)) ||
        hasSparseValues(def))
      continue;
    domain.insert(def);
    worklist.append(def->operand_begin(), def->operand_end());
  }
  // An elementwise op something else reads stays where it is (stored once
  // and read as an input), and so do the ops only it reads.
  for (bool changed = true; changed;) {
    changed = false;
    for (Operation *op : llvm::to_vector(domain)) {
      if (isCheapCreation(op))
        continue;
      if (llvm::any_of(op->getUsers(), [&](Operation *user) {
            return user != reduction && !domain.contains(user);
          })) {
        domain.remove(op);
        changed = true;
      }
    }
  }
  // What the operand still reaches through the domain.
  llvm::SetVector<Operation *> reached;
  worklist.assign({reduction->getOperand(0)});
  while (!worklist.empty()) {
    Operation *def = worklist.pop_back_val().getDefiningOp();
    if (!def || !domain.contains(def) || !reached.insert(def))
      continue;
    worklist.append(def->operand_begin(), def->operand_end());
  }
  return SmallVector<Operation *>(reached.begin(), reached.end());
}

//===----------------------------------------------------------------------===//
// Multi-output groups
//===----------------------------------------------------------------------===//

/// The root reduction `op` would bring to a multi-output group: `op` itself
/// (a plain reduction) or the root of a one-result mars.fused without inner
/// reductions; null when it cannot join one.
Operation *siblingRoot(Operation *op) {
  Operation *root = op;
  if (auto fused = dyn_cast<FusedOp>(op)) {
    if (fused->getNumResults() != 1 || !(root = fused.getRoot()))
      return nullptr;
    for (Operation &inner : fused.getBody().front().without_terminator())
      if (fused.isInnerReduction(&inner))
        return nullptr;
  } else if (!isa<ReductionOpInterface>(op)) {
    return nullptr;
  }
  if (!FusedOp::multiRootProblem(root).empty())
    return nullptr;
  // Over an empty extent there is nothing to read once (and a task makes
  // the chunks of every result, which the cluster cannot carry).
  auto shape = cast<ShapedType>(root->getOperand(0).getType()).getShape();
  for (int64_t axis : cast<ReductionOpInterface>(root).getReducedAxes())
    if (shape[axis] == 0)
      return nullptr;
  return root;
}

/// Whether computing `a` reads a result of `b`, both ops of one block.
bool readsResultOf(Operation *a, Operation *b) {
  if (a->isBeforeInBlock(b))
    return false;
  llvm::SmallPtrSet<Operation *, 16> seen;
  SmallVector<Operation *> worklist{a};
  while (!worklist.empty()) {
    for (Value v : worklist.pop_back_val()->getOperands()) {
      Operation *def = v.getDefiningOp();
      if (def == b)
        return true;
      if (def && def->getBlock() == b->getBlock() &&
          !def->isBeforeInBlock(b) && seen.insert(def).second)
        worklist.push_back(def);
    }
  }
  return false;
}

std::optional<tiling::Shape> chunksOf(Value v) {
  std::optional<tiling::Layout> layout = tiling::getLayout(v);
  if (!layout)
    return std::nullopt;
  return layout->chunk();
}

/// Where a multi-output group of `members` (in block order) can stand: after
/// the last member when nothing uses a member's result before it, else
/// before the first when every value a member reads is defined before it;
/// null when neither.
struct Placement {
  Operation *anchor = nullptr;
  bool after = false;
};
Placement placementOf(ArrayRef<Operation *> members) {
  Operation *first = members.front(), *last = members.back();
  bool usersAfter = llvm::all_of(members, [&](Operation *m) {
    return llvm::all_of(m->getUsers(), [&](Operation *user) {
      return user->getBlock() != last->getBlock() ||
             last->isBeforeInBlock(user);
    });
  });
  if (usersAfter)
    return {last, true};
  bool inputsBefore = llvm::all_of(members, [&](Operation *m) {
    return llvm::all_of(m->getOperands(), [&](Value v) {
      Operation *def = v.getDefiningOp();
      return !def || def->getBlock() != first->getBlock() ||
             def->isBeforeInBlock(first);
    });
  });
  if (inputsBefore)
    return {first, false};
  return {};
}

/// At most this many results per multi-output group: each is a kernel a
/// partial task runs over every slab of its region.
constexpr size_t kMaxSiblings = 8;

/// Replaces `members` (block order, each a plain reduction or a one-result
/// mars.fused rooted at one) by one mars.fused with a result per member.
void mergeSiblings(ArrayRef<Operation *> members, Placement where) {
  llvm::SetVector<Value> inputs;
  SmallVector<Type> types;
  SmallVector<Location> locs;
  for (Operation *m : members) {
    inputs.insert(m->operand_begin(), m->operand_end());
    types.push_back(m->getResult(0).getType());
    locs.push_back(m->getLoc());
  }
  OpBuilder b(where.anchor);
  if (where.after)
    b.setInsertionPointAfter(where.anchor);
  MLIRContext *ctx = where.anchor->getContext();
  auto fused =
      b.create<FusedOp>(FusedLoc::get(ctx, locs), types, inputs.getArrayRef());
  fused->setAttr(MarsDialect::kChunksAttrName,
                 members.front()->getAttr(MarsDialect::kChunksAttrName));
  Block *body = b.createBlock(&fused.getBody());
  for (Value in : inputs)
    body->addArgument(in.getType(), in.getLoc());
  auto argOf = [&](Value in) {
    return body->getArgument(llvm::find(inputs, in) - inputs.begin());
  };
  // Bodies are cloned one after another; an op equal to one already
  // cloned (the shared `a - b`) is computed once. Roots are always cloned.
  SmallVector<Value> yields;
  auto cloneOnce = [&](Operation *op, IRMapping &mapping, bool root) {
    Operation *copy = b.clone(*op, mapping);
    if (root)
      return copy;
    for (Operation &earlier : body->without_terminator()) {
      if (&earlier == copy)
        break;
      if (OperationEquivalence::isEquivalentTo(
              &earlier, copy, OperationEquivalence::IgnoreLocations)) {
        for (auto [from, to] :
             llvm::zip(op->getResults(), earlier.getResults()))
          mapping.map(from, to);
        copy->erase();
        return &earlier;
      }
    }
    return copy;
  };
  for (Operation *m : members) {
    IRMapping mapping;
    if (auto member = dyn_cast<FusedOp>(m)) {
      Block &from = member.getBody().front();
      for (auto [arg, input] : llvm::zip(from.getArguments(), member.getInputs()))
        mapping.map(arg, argOf(input));
      Operation *root = member.getRoot();
      for (Operation &op : from.without_terminator())
        cloneOnce(&op, mapping, &op == root);
      yields.push_back(mapping.lookup(root->getResult(0)));
    } else {
      for (Value v : m->getOperands())
        mapping.map(v, argOf(v));
      yields.push_back(cloneOnce(m, mapping, true)->getResult(0));
    }
  }
  b.create<YieldOp>(fused.getLoc(), yields);
  for (auto [i, m] : llvm::enumerate(members)) {
    m->getResult(0).replaceAllUsesWith(fused->getResult(i));
    m->erase();
  }
  LLVM_DEBUG(llvm::dbgs() << "mars-fuse: merged " << members.size()
                          << " sibling reductions into " << fused << "\n");
}

/// Forms the multi-output groups of `block` (see Passes.td).
void fuseSiblings(Block &block) {
  // Candidates and their roots, in block order.
  SmallVector<std::pair<Operation *, Operation *>> candidates;
  for (Operation &op : block)
    if (Operation *root = siblingRoot(&op))
      candidates.push_back({&op, root});
  llvm::SmallPtrSet<Operation *, 16> taken;
  for (auto [i, entry] : llvm::enumerate(candidates)) {
    auto [head, headRoot] = entry;
    if (taken.contains(head))
      continue;
    std::optional<tiling::Shape> headSteps = chunksOf(headRoot->getOperand(0));
    SmallVector<Operation *> group{head};
    Placement where;
    for (auto [c, root] : ArrayRef(candidates).drop_front(i + 1)) {
      if (group.size() == kMaxSiblings)
        break;
      if (taken.contains(c))
        continue;
      if (!FusedOp::sameRootSpace(headRoot, root) ||
          !headSteps || chunksOf(root->getOperand(0)) != headSteps ||
          c->getAttr(MarsDialect::kChunksAttrName) !=
              head->getAttr(MarsDialect::kChunksAttrName))
        continue;
      // Worth it only when they read something in common.
      bool shares = llvm::any_of(group, [&](Operation *m) {
        return llvm::any_of(c->getOperands(), [&](Value v) {
          return cast<ShapedType>(v.getType()).getRank() > 0 &&
                 llvm::is_contained(m->getOperands(), v);
        });
      });
      if (!shares || llvm::any_of(group, [&](Operation *m) {
            return readsResultOf(c, m) || readsResultOf(m, c);
          }))
        continue;
      group.push_back(c);
      if (Placement p = placementOf(group); p.anchor)
        where = p;
      else
        group.pop_back();
    }
    if (group.size() < 2)
      continue;
    taken.insert(group.begin(), group.end());
    mergeSiblings(group, where);
  }
}

struct FusePass : public mars::impl::MarsFuseBase<FusePass> {
  using MarsFuseBase::MarsFuseBase;
  void runOnOperation() override;

private:
  /// The ops of the group rooted at `root`, in program order; the
  /// reductions in `banned` are not taken as inner reductions.
  SmallVector<Operation *>
  collectGroup(Operation *root,
               const llvm::SmallPtrSetImpl<Operation *> &banned);
  /// Replaces `group` by a mars.fused op; adds the ops it erases to
  /// `erased`. Changes nothing and returns the reduction of `group` when
  /// it would break the rules of inner reductions in the fused body (an
  /// input it reads is read elsewhere in the group too).
  Operation *fuse(ArrayRef<Operation *> group,
                  llvm::SmallPtrSetImpl<Operation *> &erased);
};

SmallVector<Operation *>
FusePass::collectGroup(Operation *root,
                       const llvm::SmallPtrSetImpl<Operation *> &banned) {
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
      // A short reduction of generated values, read once per element of the
      // group's space: computed in the group's kernel, never stored.
      if (isa<ReductionOpInterface>(producer) && producer != root &&
          !banned.contains(producer) &&
          cast<ShapedType>(v.getType()).getNumElements() ==
              iterationElements(root) &&
          llvm::all_of(producer->getUsers(), [&](Operation *user) {
            return group.contains(user) && !copied.contains(user);
          })) {
        if (auto domain = innerDomainOf(producer)) {
          // What the domain reads from outside it stays outside: the
          // group reads it as an input.
          group.insert(producer);
          group.insert(domain->begin(), domain->end());
          continue;
        }
      }
      if (!take && isa<ElementwiseOpInterface>(producer) &&
          !hasSparseValues(producer)) {
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

Operation *FusePass::fuse(ArrayRef<Operation *> group,
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
  for (Operation *op : group)
    if (op != root && isa<ReductionOpInterface>(op) &&
        !fused.innerReductionError(mapping.lookup(op->getResult(0))
                                       .getDefiningOp())
             .empty()) {
      fused.erase();
      return op;
    }
  result.replaceAllUsesWith(fused->getResult(0));

  // Erase the originals; creation ops stay while others still use them.
  for (Operation *op : llvm::reverse(group)) {
    if (op->use_empty()) {
      erased.insert(op);
      op->erase();
    }
  }
  LLVM_DEBUG(llvm::dbgs() << "mars-fuse: fused " << group.size()
                          << " ops into " << fused << "\n");
  return nullptr;
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
    llvm::SmallPtrSet<Operation *, 4> banned;
    while (true) {
      SmallVector<Operation *> group = collectGroup(op, banned);
      if (group.size() < 2)
        break;
      Operation *misplaced = fuse(group, erased);
      if (!misplaced)
        break;
      LLVM_DEBUG(llvm::dbgs() << "mars-fuse: " << *misplaced
                              << " stays out of the group of " << *op << "\n");
      banned.insert(misplaced);
    }
  }
  // A random draw that ops outside every group read (products, QR, slices)
  // is stored: as a group of its own it gets a compiled kernel, which
  // draws vectors of elements, about ten times faster than the runtime's
  // loop over them.
  for (Operation &op : llvm::make_early_inc_range(block)) {
    auto generator = dyn_cast<GeneratorOpInterface>(&op);
    if (generator && generator.isRandom() && !op.use_empty() &&
        !hasSparseValues(&op))
      fuse({&op}, erased);
  }
  if (multiOutput)
    fuseSiblings(block);
}

} // namespace
