//===- BuildKernel.cpp - Mars chunk computations as loop nests ------------===//
//
// Emits a chunk kernel (see ChunkKernel.h) as scf loops over scalar arith
// code. The box is walked as rows (every dimension but the last) times a
// contiguous run of the last dimension; the run is the inner loop, which
// LLVM vectorises. Row blocks are an scf.parallel loop (OpenMP after
// lowering) unless two blocks could combine into the same output element of
// a reduction, in which case the blocks run in order.
//
// The scalar code of each op and each reduction combine is in
// ScalarRules.cpp, shared with the GPU builder; which kernel an op gets is
// in KernelSource.cpp. What remains here is one job, the CPU loop nest and
// its special cases (short rows, inner and outer reductions, argmin/argmax
// blocks, streaming stores), which is why the file is near 900 lines.
//
//===----------------------------------------------------------------------===//

#include "mars/Conversion/ChunkKernel.h"

#include "KernelEmitter.h"

#include "mars/Numeric/Reductions.h"

#include "mars/Numeric/Philox.h"
#include "mars/Tiling/ChunkGraph.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mars;
using namespace mars::codegen;
using numeric::BinaryFn;
using numeric::Combine;
using numeric::Contribution;
using numeric::Finish;
using numeric::ReduceFn;
using numeric::UnaryFn;

//===----------------------------------------------------------------------===//
// The emitter
//===----------------------------------------------------------------------===//

namespace mars::codegen {

KernelEmitter::KernelEmitter(const KernelSource &src, ModuleOp module,
                             Location loc, KernelTarget target)
    : src(src), module(module), b(module.getContext()), loc(loc),
      target(target), rank(src.rank()), numInputs(src.inputs.size()) {
  MLIRContext *ctx = module.getContext();
  i1 = b.getI1Type();
  i8 = b.getI8Type();
  i32 = b.getI32Type();
  i64 = b.getI64Type();
  ptrType = LLVM::LLVMPointerType::get(ctx);
  if (!src.ops.empty())
    if (auto fused = dyn_cast<FusedOp>(src.ops.front()->getParentOp()))
      innerOnly = fused.getInnerOnlyOps();
  for (Value input : src.inputs) {
    Operation *reader = nullptr;
    if (auto arg = dyn_cast<BlockArgument>(input))
      if (auto fused = dyn_cast<FusedOp>(arg.getOwner()->getParentOp()))
        reader = fused.innerReductionReading(arg);
    innerReader.push_back(reader);
  }
}

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

/// Position of iteration dimension `d` in a value of shape `shape`
/// (right-aligned), or -1 when the value is broadcast along it.
static int64_t dimIn(ArrayRef<int64_t> shape, unsigned rank, unsigned d) {
  int64_t e = static_cast<int64_t>(d) - (rank - shape.size());
  if (e < 0 || shape[e] == 1)
    return -1;
  return e;
}

void KernelEmitter::emitBlock(Value t, bool reduceLast) {
  Value t64 = b.create<arith::IndexCastOp>(loc, i64, t);
  Value row = b.create<arith::DivUIOp>(loc, t64, numBlocks);
  Value block = b.create<arith::RemUIOp>(loc, t64, numBlocks);
  Value c0 = b.create<arith::MulIOp>(loc, block, blockCols);
  Value c1 = b.create<arith::MinUIOp>(
      loc, b.create<arith::AddIOp>(loc, c0, blockCols), cols);
  emitRow(row, c0, c1, reduceLast);
}

void KernelEmitter::emitRowBlock(Value t, int64_t staticCols,
                                 bool reduceLast) {
  Value t64 = b.create<arith::IndexCastOp>(loc, i64, t);
  Value r0 = b.create<arith::MulIOp>(loc, t64, i64Const(kRowsPerBlock));
  Value r1 = b.create<arith::MinUIOp>(
      loc, b.create<arith::AddIOp>(loc, r0, i64Const(kRowsPerBlock)), rows);
  auto loop = b.create<scf::ForOp>(
      loc, b.create<arith::IndexCastOp>(loc, b.getIndexType(), r0),
      b.create<arith::IndexCastOp>(loc, b.getIndexType(), r1), indexConst(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(loop.getBody()->getTerminator());
  Value row = b.create<arith::IndexCastOp>(loc, i64, loop.getInductionVar());
  inShortRows = true;
  emitRow(row, i64Const(0), i64Const(staticCols), reduceLast);
  inShortRows = false;
}

Value KernelEmitter::evaluate(DenseMap<Value, Value> &env,
                              function_ref<Value(Operation *)> counterOf,
                              function_ref<Value(unsigned)> coordOf) {
  for (Operation *op : src.ops) {
    if (innerOnly.contains(op))
      continue;
    if (isa<ReductionOpInterface>(op)) {
      env[op->getResult(0)] = innerReduction(op, env, coordOf);
      continue;
    }
    SmallVector<Value> args;
    for (Value v : op->getOperands())
      args.push_back(env.lookup(v));
    Value counter;
    if (isa<RandomUniformOp, RandomNormalOp, RandomIntegersOp>(op))
      counter = counterOf(op);
    env[op->getResult(0)] = emitOp(op, args, counter);
  }
  return env.lookup(src.target);
}

Value KernelEmitter::innerReduction(Operation *reduction,
                                    const DenseMap<Value, Value> &env,
                                    function_ref<Value(unsigned)> coordOf) {
  auto r = cast<ReductionOpInterface>(reduction);
  numeric::Shape in = tiling::shapeOf(reduction->getOperand(0));
  numeric::Shape out = tiling::shapeOf(reduction->getResult(0));
  SmallVector<int64_t> axes = r.getReducedAxes();
  const int64_t inRank = in.size(), outRank = out.size();
  // The operand's coordinates of the result element here: the result is
  // right-aligned with the iteration space (size-1 dims read element 0).
  SmallVector<Value> coord(inRank);
  for (auto [o, d] : llvm::enumerate(tiling::reductionOperandDims(reduction)))
    if (d >= 0)
      coord[d] = out[o] == 1
                     ? i64Const(0)
                     : coordOf(static_cast<unsigned>(
                           static_cast<int64_t>(o + rank) - outRank));
  SmallVector<Operation *> domain =
      cast<FusedOp>(reduction->getParentOp()).innerDomain(reduction);
  Type rt = elementTypeOf(reduction->getResult(0));
  Combine combineKind = rule(r).combine;
  int64_t n = 1;
  for (int64_t a : axes)
    n *= in[a];
  Value acc;
  for (int64_t k = 0; k < n; ++k) {
    // Reduced coordinates of element k, in C order over the reduced axes
    // (the reference's order).
    int64_t rest = k;
    for (int64_t a : llvm::reverse(axes)) {
      coord[a] = i64Const(rest % in[a]);
      rest /= in[a];
    }
    DenseMap<Value, Value> local;
    auto lookup = [&](Value v) -> Value {
      if (auto it = local.find(v); it != local.end())
        return it->second;
      if (auto base = innerBase.find(v); base != innerBase.end()) {
        // An input the domain reads: at this element's reduced coordinates.
        unsigned i = cast<BlockArgument>(v).getArgNumber();
        Value off = base->second;
        for (auto [a, axis] : llvm::enumerate(axes))
          off = b.create<arith::AddIOp>(
              loc, off,
              b.create<arith::MulIOp>(loc, coord[axis], innerStrides[i][a]));
        return local[v] = load(inPtrs[i], off, elementTypeOf(v));
      }
      return env.lookup(v);
    };
    for (Operation *op : domain) {
      SmallVector<Value> args;
      for (Value v : op->getOperands())
        args.push_back(lookup(v));
      Value counter;
      if (isa<RandomUniformOp, RandomNormalOp, RandomIntegersOp>(op)) {
        // The element's flat index in the random value (right-aligned with
        // the operand, broadcast along its size-1 dims).
        numeric::Shape shape = tiling::shapeOf(op->getResult(0));
        numeric::Shape gstrides = numeric::contiguousStrides(shape);
        counter = i64Const(0);
        const int64_t offset = inRank - static_cast<int64_t>(shape.size());
        for (size_t e = 0; e < shape.size(); ++e)
          if (shape[e] != 1)
            counter = b.create<arith::AddIOp>(
                loc, counter,
                b.create<arith::MulIOp>(loc, coord[e + offset],
                                        i64Const(gstrides[e])));
      }
      local[op->getResult(0)] = emitOp(op, args, counter);
    }
    Value x = reductionInput(lookup(reduction->getOperand(0)), nullptr,
                             reduction);
    // min/max start from the first element, the others from the identity
    // (0 + -0.0 is +0.0, as in the reference's sum).
    if (k == 0)
      acc = combineKind == Combine::Min || combineKind == Combine::Max
                ? x
                : combine(identityOf(rt, reduction), x, reduction);
    else
      acc = combine(acc, x, reduction);
  }
  if (combineKind == Combine::Moments) // A mean: inner reductions are one-pass.
    acc = binary(BinaryFn::Div, acc, constant(rt, static_cast<double>(n), n),
                 rt, rt);
  return acc;
}

Value KernelEmitter::elementAt(ArrayRef<Value> idx) {
  auto dot = [&](ArrayRef<Value> strides) {
    Value off = i64Const(0);
    for (unsigned d = 0; d < rank; ++d)
      off = b.create<arith::AddIOp>(
          loc, off, b.create<arith::MulIOp>(loc, idx[d], strides[d]));
    return off;
  };
  llvm::DenseMap<Value, Value> env;
  for (unsigned i = 0; i < numInputs; ++i) {
    if (src.inputs[i].use_empty() && src.inputs[i] != src.target)
      continue;
    if (innerReader[i]) {
      innerBase[src.inputs[i]] = dot(inStrides[i]);
      continue;
    }
    env[src.inputs[i]] = load(inPtrs[i], dot(inStrides[i]),
                              elementTypeOf(src.inputs[i]));
  }
  // Random ops draw with the element's flat index in the whole value.
  return evaluate(env, [&](Operation *op) {
    numeric::Shape shape = tiling::shapeOf(op->getResult(0));
    numeric::Shape gstrides = numeric::contiguousStrides(shape);
    Value counter = i64Const(0);
    for (unsigned d = 0; d < rank; ++d) {
      int64_t e = dimIn(shape, rank, d);
      if (e < 0)
        continue;
      Value g = b.create<arith::AddIOp>(loc, origin[d], idx[d]);
      counter = b.create<arith::AddIOp>(
          loc, counter, b.create<arith::MulIOp>(loc, g, i64Const(gstrides[e])));
    }
    return counter;
  }, [&](unsigned d) -> Value {
    return b.create<arith::AddIOp>(loc, origin[d], idx[d]);
  });
}

void KernelEmitter::emitRow(Value row, Value c0, Value c1, bool reduceLast,
                            Value *partial, Value step) {
  // The row's multi-index and every base offset (the outermost index needs
  // no remainder: row < rows).
  SmallVector<Value> idx(rank > 0 ? rank - 1 : 0);
  Value r = row;
  for (int64_t d = static_cast<int64_t>(rank) - 2; d >= 0; --d) {
    if (d == 0) {
      idx[d] = r;
      break;
    }
    idx[d] = b.create<arith::RemUIOp>(loc, r, sizes[d]);
    r = b.create<arith::DivUIOp>(loc, r, sizes[d]);
  }
  auto rowOffset = [&](ArrayRef<Value> strides) {
    Value off = i64Const(0);
    for (size_t d = 0; d < idx.size(); ++d)
      off = b.create<arith::AddIOp>(
          loc, off, b.create<arith::MulIOp>(loc, idx[d], strides[d]));
    return off;
  };
  SmallVector<Value> inBase;
  for (unsigned i = 0; i < numInputs; ++i)
    inBase.push_back(rowOffset(inStrides[i]));
  Value outBase = rowOffset(outStrides);

  // Random ops: the global flat index of the row's first element.
  llvm::DenseMap<Operation *, std::pair<Value, int64_t>> counters;
  for (Operation *op : src.ops) {
    if (!isa<RandomUniformOp, RandomNormalOp, RandomIntegersOp>(op) ||
        innerOnly.contains(op))
      continue;
    numeric::Shape shape = tiling::shapeOf(op->getResult(0));
    numeric::Shape gstrides = numeric::contiguousStrides(shape);
    Value base = i64Const(0);
    for (size_t d = 0; d < idx.size(); ++d) {
      int64_t e = dimIn(shape, rank, d);
      if (e < 0)
        continue;
      Value g = b.create<arith::AddIOp>(loc, origin[d], idx[d]);
      base = b.create<arith::AddIOp>(
          loc, base, b.create<arith::MulIOp>(loc, g, i64Const(gstrides[e])));
    }
    int64_t lastStride = 0;
    if (rank > 0) {
      int64_t e = dimIn(shape, rank, rank - 1);
      if (e >= 0) {
        lastStride = gstrides[e];
        base = b.create<arith::AddIOp>(
            loc, base,
            b.create<arith::MulIOp>(loc, origin[rank - 1], i64Const(lastStride)));
      }
    }
    counters[op] = {base, lastStride};
  }

  auto lastOf = [&](ArrayRef<Value> strides) {
    return rank > 0 ? strides[rank - 1] : i64Const(0);
  };
  auto element = [&](OpBuilder &ib, Value j) -> Value {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ib.getInsertionBlock(), ib.getInsertionPoint());
    llvm::DenseMap<Value, Value> env;
    for (unsigned i = 0; i < numInputs; ++i) {
      if (src.inputs[i].use_empty() && src.inputs[i] != src.target)
        continue;
      Value off = b.create<arith::AddIOp>(
          loc, inBase[i], b.create<arith::MulIOp>(loc, j, lastOf(inStrides[i])));
      if (innerReader[i])
        innerBase[src.inputs[i]] = off;
      else
        env[src.inputs[i]] = load(inPtrs[i], off, elementTypeOf(src.inputs[i]));
    }
    return evaluate(
        env,
        [&](Operation *op) -> Value {
          auto it = counters.find(op);
          return b.create<arith::AddIOp>(
              loc, it->second.first,
              b.create<arith::MulIOp>(loc, j, i64Const(it->second.second)));
        },
        [&](unsigned d) -> Value {
          return b.create<arith::AddIOp>(loc, origin[d],
                                         d + 1 < rank ? idx[d] : j);
        });
  };

  Value lb = b.create<arith::IndexCastOp>(loc, b.getIndexType(), c0);
  Value ub = b.create<arith::IndexCastOp>(loc, b.getIndexType(), c1);
  step = step ? b.create<arith::IndexCastOp>(loc, b.getIndexType(), step)
                     .getResult()
              : indexConst(1);
  Value outLast = lastOf(outStrides);
  if (!src.reduction) {
    auto plain = [&] {
      forEach(lb, ub, step, [&](Value j) {
        Value v = element(b, j);
        store(outPtr,
              b.create<arith::AddIOp>(
                  loc, outBase, b.create<arith::MulIOp>(loc, j, outLast)),
              v);
      });
    };
    if (!src.streamingStores || target != KernelTarget::CPU || inShortRows ||
        !isConstantIntValue(step, 1)) {
      plain();
      return;
    }
    // Rows whose elements are adjacent in the output stream; others (a
    // transposed output) are written as usual.
    Value contiguous = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq,
                                               outLast, i64Const(1));
    auto branch = b.create<scf::IfOp>(loc, contiguous, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(branch.thenBlock()->getTerminator());
    emitStreamedRow(outBase, lb, ub, element);
    b.setInsertionPoint(branch.elseBlock()->getTerminator());
    plain();
    return;
  }
  if (isArgReduction(src.reduction)) {
    emitArgRow(idx, outBase, lb, ub, step, reduceLast, element);
    return;
  }
  Type rt = elementTypeOf(src.reduction->getResult(0));
  Combine combineKind = rule(cast<ReductionOpInterface>(src.reduction)).combine;
  if (reduceLast) {
    // The run folds into one output element: accumulate in a register,
    // starting from the element's current value.
    Value init = partial ? identityOf(rt) : load(outPtr, outBase, rt);
    Value center = centerAt(outBase);
    // quick: fold with IEEE maximum/minimum, which the vectoriser turns into
    // several accumulators, instead of the reference's in-order select.
    auto fold = [&](bool quick) {
      auto loop = b.create<scf::ForOp>(
          loc, lb, ub, step, ValueRange{init},
          [&](OpBuilder &ib, Location, Value jv, ValueRange iter) {
            OpBuilder::InsertionGuard guard(b);
            b.setInsertionPoint(ib.getInsertionBlock(), ib.getInsertionPoint());
            Value j = b.create<arith::IndexCastOp>(loc, i64, jv);
            Value v = reductionInput(element(b, j), center);
            Value next;
            if (!quick) {
              next = combine(iter[0], v);
              // A float sum may be reassociated: LLVM then keeps several
              // partial sums in vector lanes, which is faster and closer
              // to the reference's pairwise sum than one running sum.
              if (auto add = next.getDefiningOp<arith::AddFOp>())
                if (target == KernelTarget::CPU)
                  add.setFastmath(arith::FastMathFlags::reassoc);
            } else if (combineKind == Combine::Max)
              next = b.create<arith::MaximumFOp>(loc, iter[0], v);
            else
              next = b.create<arith::MinimumFOp>(loc, iter[0], v);
            b.create<scf::YieldOp>(loc, next);
          });
      return loop.getResult(0);
    };
    Value result;
    if (target == KernelTarget::CPU && isa<FloatType>(rt) &&
        (combineKind == Combine::Max || combineKind == Combine::Min)) {
      // The in-order fold keeps the last of equal elements and the first
      // NaN. Equal floats differ in bits only when they are zeros of both
      // signs, so the quick fold gives the same bits unless its result is
      // zero or NaN; then the run is folded again in order.
      Value quick = fold(true);
      Value exact = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::ONE,
                                            quick, constant(rt, 0.0, 0));
      auto branch = b.create<scf::IfOp>(loc, TypeRange{rt}, exact,
                                        /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(branch.thenBlock());
      b.create<scf::YieldOp>(loc, quick);
      b.setInsertionPointToStart(branch.elseBlock());
      b.create<scf::YieldOp>(loc, fold(false));
      result = branch.getResult(0);
    } else {
      result = fold(false);
    }
    if (partial)
      *partial = result;
    else
      store(outPtr, outBase, result);
    return;
  }
  forEach(lb, ub, step, [&](Value j) {
    Value off = b.create<arith::AddIOp>(
        loc, outBase, b.create<arith::MulIOp>(loc, j, outLast));
    Value v = reductionInput(element(b, j), centerAt(off));
    store(outPtr, off, combine(load(outPtr, off, rt), v));
  });
}

void KernelEmitter::forEach(Value lb, Value ub, Value step,
                            function_ref<void(Value)> body) {
  auto toIndex = [&](Value v) {
    return v.getType().isIndex()
               ? v
               : b.create<arith::IndexCastOp>(loc, b.getIndexType(), v)
                     .getResult();
  };
  b.create<scf::ForOp>(loc, toIndex(lb), toIndex(ub), toIndex(step),
                       ValueRange{},
                       [&](OpBuilder &ib, Location, Value iv, ValueRange) {
                         OpBuilder::InsertionGuard guard(b);
                         b.setInsertionPoint(ib.getInsertionBlock(),
                                             ib.getInsertionPoint());
                         body(b.create<arith::IndexCastOp>(loc, i64, iv));
                         b.create<scf::YieldOp>(loc);
                       });
}

void KernelEmitter::emitStreamedRow(
    Value outBase, Value lb, Value ub,
    function_ref<Value(OpBuilder &, Value)> element) {
  Type t = storageOf(elementTypeOf(src.target));
  const int64_t size = t.getIntOrFloatBitWidth() / 8;
  const int64_t lanes = kStreamLine / size;
  Value saved = b.create<LLVM::StackSaveOp>(loc, ptrType);
  Value scratch = b.create<LLVM::AllocaOp>(loc, ptrType, t,
                                           i64Const(kStreamTile), kStreamLine);
  Value ub64 = b.create<arith::IndexCastOp>(loc, i64, ub);
  auto copy = [&](Value dst, Value from, Value to) {
    forEach(from, to, i64Const(1),
            [&](Value k) { store(dst, k, load(scratch, k, t)); });
  };
  forEach(lb, ub, i64Const(kStreamTile), [&](Value t0) {
    Value t1 = b.create<arith::MinUIOp>(
        loc, b.create<arith::AddIOp>(loc, t0, i64Const(kStreamTile)), ub64);
    Value n = b.create<arith::SubIOp>(loc, t1, t0);
    // The tile, computed into the scratch buffer.
    forEach(t0, t1, i64Const(1), [&](Value j) {
      store(scratch, b.create<arith::SubIOp>(loc, j, t0), element(b, j));
    });
    // Copied out: elements up to the first 64-byte boundary, whole lines
    // with streaming stores, then the rest.
    Value dst = b.create<LLVM::GEPOp>(
        loc, ptrType, t, outPtr,
        ArrayRef<LLVM::GEPArg>{
            b.create<arith::AddIOp>(loc, outBase, t0).getResult()});
    Value addr = b.create<LLVM::PtrToIntOp>(loc, i64, dst);
    Value toLine = b.create<arith::AndIOp>(
        loc, b.create<arith::SubIOp>(loc, i64Const(0), addr),
        i64Const(kStreamLine - 1));
    Value head = b.create<arith::MinUIOp>(
        loc, b.create<arith::DivUIOp>(loc, toLine, i64Const(size)), n);
    Value lines = b.create<arith::DivUIOp>(
        loc, b.create<arith::SubIOp>(loc, n, head), i64Const(lanes));
    Value linesEnd = b.create<arith::AddIOp>(
        loc, head, b.create<arith::MulIOp>(loc, lines, i64Const(lanes)));
    copy(dst, i64Const(0), head);
    auto lineType = VectorType::get({lanes}, t);
    forEach(head, linesEnd, i64Const(lanes), [&](Value k) {
      Value from = b.create<LLVM::GEPOp>(loc, ptrType, t, scratch,
                                         ArrayRef<LLVM::GEPArg>{k});
      Value to =
          b.create<LLVM::GEPOp>(loc, ptrType, t, dst, ArrayRef<LLVM::GEPArg>{k});
      Value line = b.create<LLVM::LoadOp>(loc, lineType, from, size);
      b.create<LLVM::StoreOp>(loc, line, to, kStreamLine, /*isVolatile=*/false,
                              /*isNonTemporal=*/true);
    });
    copy(dst, linesEnd, n);
  });
  b.create<LLVM::StackRestoreOp>(loc, saved);
  b.create<LLVM::FenceOp>(loc, LLVM::AtomicOrdering::seq_cst);
}

std::pair<Value, Value> KernelEmitter::argTake(Value accValue,
                                               Value accIndex, Value v,
                                               Value index) {
  bool isMin =
      rule(cast<ReductionOpInterface>(src.reduction)).combine == Combine::ArgMin;
  Type t = v.getType();
  bool isUnsigned = elementTypeOf(src.target).isUnsignedInteger();
  Value first = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt,
                                        accIndex, i64Const(0));
  Value take;
  if (isa<FloatType>(t)) {
    // The first NaN wins: a NaN partial keeps its place, a NaN element
    // replaces any other.
    Value better = b.create<arith::CmpFOp>(
        loc, isMin ? arith::CmpFPredicate::OLT : arith::CmpFPredicate::OGT, v,
        accValue);
    Value accIsNaN = isNaN(accValue);
    Value wins = b.create<arith::OrIOp>(loc, isNaN(v), better);
    Value keeps = b.create<arith::XOrIOp>(loc, accIsNaN, constant(i1, 0, 1));
    take = b.create<arith::OrIOp>(loc, first,
                                  b.create<arith::AndIOp>(loc, keeps, wins));
  } else {
    auto pred = t == i1 || isUnsigned ? (isMin ? arith::CmpIPredicate::ult
                                 : arith::CmpIPredicate::ugt)
                        : (isMin ? arith::CmpIPredicate::slt
                                 : arith::CmpIPredicate::sgt);
    take = b.create<arith::OrIOp>(
        loc, first, b.create<arith::CmpIOp>(loc, pred, v, accValue));
  }
  return {b.create<arith::SelectOp>(loc, take, v, accValue),
          b.create<arith::SelectOp>(loc, take, index, accIndex)};
}

void KernelEmitter::emitArgRow(ArrayRef<Value> idx, Value outBase, Value lb,
                               Value ub, Value step, bool reduceLast,
                               function_ref<Value(OpBuilder &, Value)> element) {
  Type vt = elementTypeOf(src.target);
  SmallVector<int64_t> axes =
      cast<ReductionOpInterface>(src.reduction).getReducedAxes();
  Value last = rank > 0 ? origin[rank - 1] : i64Const(0);
  // The index of element j of the row: in the flattened operand, or along
  // the axis; the row's part computed once.
  Value rowPart = i64Const(0), perElement = i64Const(0);
  if (axes.empty()) {
    numeric::Shape strides =
        numeric::contiguousStrides(tiling::shapeOf(src.target));
    for (size_t d = 0; d < idx.size(); ++d)
      rowPart = b.create<arith::AddIOp>(
          loc, rowPart,
          b.create<arith::MulIOp>(
              loc, b.create<arith::AddIOp>(loc, origin[d], idx[d]),
              i64Const(strides[d])));
    if (rank > 0)
      rowPart = b.create<arith::AddIOp>(loc, rowPart, last);
    perElement = i64Const(1);
  } else if (axes[0] == static_cast<int64_t>(rank) - 1) {
    rowPart = last;
    perElement = i64Const(1);
  } else {
    rowPart = b.create<arith::AddIOp>(loc, origin[axes[0]], idx[axes[0]]);
  }
  auto indexOf = [&](Value j) -> Value {
    return b.create<arith::AddIOp>(
        loc, rowPart, b.create<arith::MulIOp>(loc, j, perElement));
  };
  if (reduceLast) {
    // The run folds into one output element, in registers: in order, from
    // (v0, i0), over [from, to).
    auto inOrder = [&](Value from, Value to, Value v0, Value i0) {
      return b.create<scf::ForOp>(
          loc, from, to, step, ValueRange{v0, i0},
          [&](OpBuilder &ib, Location, Value jv, ValueRange acc) {
            OpBuilder::InsertionGuard guard(b);
            b.setInsertionPoint(ib.getInsertionBlock(),
                                ib.getInsertionPoint());
            Value j = b.create<arith::IndexCastOp>(loc, i64, jv);
            auto [v, i] = argTake(acc[0], acc[1], element(b, j), indexOf(j));
            b.create<scf::YieldOp>(loc, ValueRange{v, i});
          });
    };
    Value v0 = load(outPtr, outBase, vt), i0 = load(indexPtr, outBase, i64);
    if (target != KernelTarget::CPU || vt == i1 ||
        !isConstantIntValue(step, 1)) {
      auto loop = inOrder(lb, ub, v0, i0);
      store(outPtr, outBase, loop.getResult(0));
      store(indexPtr, outBase, loop.getResult(1));
      return;
    }
    // The in-order (value, index) chain does not vectorise. So each block's
    // extreme is found first with a fold that does (IEEE maximum/minimum
    // propagate NaN), and the block is scanned in order only if that
    // extreme would be taken: the running value is empty, or it is not NaN
    // and the extreme is NaN or strictly better. Otherwise no element of
    // the block is taken in order either, so the result is the same.
    bool isMin = rule(cast<ReductionOpInterface>(src.reduction)).combine ==
                 Combine::ArgMin;
    bool isF = isa<FloatType>(vt);
    Value worst;
    if (isF) {
      worst = constant(vt, isMin ? INFINITY : -INFINITY, 0);
    } else {
      worst = constant(vt, 0, integerExtreme(vt, /*largest=*/isMin));
    }
    bool isUnsigned = vt.isUnsignedInteger();
    auto blocks = b.create<scf::ForOp>(
        loc, lb, ub, indexConst(kArgBlock), ValueRange{v0, i0},
        [&](OpBuilder &ib, Location, Value j0, ValueRange acc) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(ib.getInsertionBlock(), ib.getInsertionPoint());
          Value j1 = b.create<arith::MinUIOp>(
              loc, b.create<arith::AddIOp>(loc, j0, indexConst(kArgBlock)), ub);
          auto quick = b.create<scf::ForOp>(
              loc, j0, j1, step, ValueRange{worst},
              [&](OpBuilder &qb, Location, Value jv, ValueRange m) {
                OpBuilder::InsertionGuard guard(b);
                b.setInsertionPoint(qb.getInsertionBlock(),
                                    qb.getInsertionPoint());
                Value v = element(b, b.create<arith::IndexCastOp>(loc, i64, jv));
                Value next;
                if (isF && isMin)
                  next = b.create<arith::MinimumFOp>(loc, m[0], v);
                else if (isF)
                  next = b.create<arith::MaximumFOp>(loc, m[0], v);
                else if (isMin && isUnsigned)
                  next = b.create<arith::MinUIOp>(loc, m[0], v);
                else if (isMin)
                  next = b.create<arith::MinSIOp>(loc, m[0], v);
                else if (isUnsigned)
                  next = b.create<arith::MaxUIOp>(loc, m[0], v);
                else
                  next = b.create<arith::MaxSIOp>(loc, m[0], v);
                b.create<scf::YieldOp>(loc, next);
              });
          Value m = quick.getResult(0);
          Value scan = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt,
                                               acc[1], i64Const(0));
          Value better =
              isF ? b.create<arith::CmpFOp>(loc,
                                            isMin ? arith::CmpFPredicate::OLT
                                                  : arith::CmpFPredicate::OGT,
                                            m, acc[0])
                        .getResult()
                  : b.create<arith::CmpIOp>(
                                            loc,
                                            isUnsigned
                                                ? (isMin ? arith::CmpIPredicate::ult
                                                         : arith::CmpIPredicate::ugt)
                                                : (isMin ? arith::CmpIPredicate::slt
                                                         : arith::CmpIPredicate::sgt),
                                            m, acc[0])
                        .getResult();
          if (isF) {
            Value wins = b.create<arith::OrIOp>(loc, isNaN(m), better);
            Value keeps = b.create<arith::XOrIOp>(loc, isNaN(acc[0]),
                                                  constant(i1, 0, 1));
            better = b.create<arith::AndIOp>(loc, keeps, wins);
          }
          scan = b.create<arith::OrIOp>(loc, scan, better);
          auto branch = b.create<scf::IfOp>(loc, TypeRange{storageOf(vt), i64}, scan,
                                            /*withElseRegion=*/true);
          b.setInsertionPointToStart(branch.thenBlock());
          b.create<scf::YieldOp>(loc,
                                 inOrder(j0, j1, acc[0], acc[1]).getResults());
          b.setInsertionPointToStart(branch.elseBlock());
          b.create<scf::YieldOp>(loc, ValueRange{acc[0], acc[1]});
          b.setInsertionPointAfter(branch);
          b.create<scf::YieldOp>(loc, branch.getResults());
        });
    store(outPtr, outBase, blocks.getResult(0));
    store(indexPtr, outBase, blocks.getResult(1));
    return;
  }
  // A leading axis: each element of the row updates its own output element
  // (rows arrive in order).
  Value outLast = rank > 0 ? outStrides[rank - 1] : i64Const(0);
  forEach(lb, ub, step, [&](Value j) {
    Value off = b.create<arith::AddIOp>(
        loc, outBase, b.create<arith::MulIOp>(loc, j, outLast));
    auto [v, i] = argTake(load(outPtr, off, vt), load(indexPtr, off, i64),
                          element(b, j), indexOf(j));
    store(outPtr, off, v);
    store(indexPtr, off, i);
  });
}

bool KernelEmitter::hasParallelCombiner() const {
  switch (rule(cast<ReductionOpInterface>(src.reduction)).combine) {
  case Combine::Add:
  case Combine::Mul:
  case Combine::Moments:
    return elementTypeOf(src.reduction->getResult(0)) != i1;
  default:
    return false;
  }
}


void KernelEmitter::emitParallelRowReduction() {
  Type rt = elementTypeOf(src.reduction->getResult(0));
  Value blockLen = i64Const(16384);
  Value blocks = b.create<arith::DivUIOp>(
      loc, b.create<arith::AddIOp>(loc, cols, i64Const(16383)), blockLen);
  auto loop = b.create<scf::ParallelOp>(
      loc, ValueRange{indexConst(0)},
      ValueRange{b.create<arith::IndexCastOp>(loc, b.getIndexType(), blocks)},
      ValueRange{indexConst(1)}, ValueRange{identityOf(rt)},
      [&](OpBuilder &pb, Location, ValueRange ivs, ValueRange) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(pb.getInsertionBlock(), pb.getInsertionPoint());
        Value t = b.create<arith::IndexCastOp>(loc, i64, ivs[0]);
        Value c0 = b.create<arith::MulIOp>(loc, t, blockLen);
        Value c1 = b.create<arith::MinUIOp>(
            loc, b.create<arith::AddIOp>(loc, c0, blockLen), cols);
        Value acc;
        emitRow(i64Const(0), c0, c1, /*reduceLast=*/true, &acc);
        auto reduce = b.create<scf::ReduceOp>(loc, ValueRange{acc});
        Block &combiner = reduce.getReductions()[0].front();
        b.setInsertionPointToEnd(&combiner);
        b.create<scf::ReduceReturnOp>(
            loc, combine(combiner.getArgument(0), combiner.getArgument(1)));
      });
  Value current = load(outPtr, i64Const(0), rt);
  store(outPtr, i64Const(0), combine(current, loop.getResult(0)));
}

void KernelEmitter::ifThreaded(function_ref<void()> then,
                               function_ref<void()> otherwise) {
  Value threaded = b.create<arith::CmpIOp>(
      loc, arith::CmpIPredicate::ne, loadMeta(abi().threaded()), i64Const(0));
  auto branch = b.create<scf::IfOp>(loc, threaded, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(branch.thenBlock()->getTerminator());
  then();
  b.setInsertionPoint(branch.elseBlock()->getTerminator());
  otherwise();
}

void KernelEmitter::emitLoop(Value total, bool parallel,
                             function_ref<void(Value)> body) {
  auto emit = [&](bool threads) {
    Value zero = indexConst(0), one = indexConst(1);
    Block *loopBody;
    if (threads) {
      auto loop = b.create<scf::ParallelOp>(loc, ValueRange{zero},
                                            ValueRange{total}, ValueRange{one});
      loopBody = loop.getBody();
    } else {
      auto loop = b.create<scf::ForOp>(loc, zero, total, one);
      loopBody = loop.getBody();
    }
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loopBody->getTerminator());
    body(loopBody->getArgument(0));
  };
  if (parallel)
    ifThreaded([&] { emit(true); }, [&] { emit(false); });
  else
    emit(false);
}

void KernelEmitter::loadArguments(Value ptrsArg, Value metaArg) {
  ptrs = ptrsArg;
  meta = metaArg;
  sizes.clear();
  origin.clear();
  inStrides.clear();
  inPtrs.clear();

  const KernelABI abi = this->abi();
  for (unsigned d = 0; d < rank; ++d)
    sizes.push_back(loadMeta(abi.size(d)));
  for (unsigned d = 0; d < rank; ++d)
    origin.push_back(loadMeta(abi.origin(d)));
  for (unsigned i = 0; i <= numInputs; ++i) {
    SmallVector<Value> strides;
    for (unsigned d = 0; d < rank; ++d)
      strides.push_back(loadMeta(abi.stride(i, d)));
    Value base = loadPtr(i < numInputs ? abi.input(i) : abi.output());
    if (i < numInputs) {
      inStrides.push_back(strides);
      inPtrs.push_back(base);
    } else {
      outStrides = strides;
      outPtr = base;
    }
  }
  // Strides along the reduced axes of the inputs inner reductions read.
  int64_t k = abi.innerStrides();
  innerStrides.assign(numInputs, {});
  for (unsigned i = 0; i < numInputs; ++i)
    if (innerReader[i])
      for (size_t a = 0,
                  n = cast<ReductionOpInterface>(innerReader[i])
                          .getReducedAxes()
                          .size();
           a < n; ++a)
        innerStrides[i].push_back(loadMeta(k++));
  // A deviations kernel's means, an argmin/argmax kernel's indices.
  bool arg = isArgReduction(src.reduction);
  if (src.deviations || (arg && target == KernelTarget::CPU))
    (arg ? indexPtr : centerPtr) = loadPtr(abi.center());
}

Value KernelEmitter::loadPtr(int32_t i) {
  Value p = b.create<LLVM::GEPOp>(loc, ptrType, ptrType, ptrs,
                                  ArrayRef<LLVM::GEPArg>{i});
  return b.create<LLVM::LoadOp>(loc, ptrType, p, alignOf(ptrType));
}

LogicalResult KernelEmitter::emit(StringRef name, bool parallel) {
  b.setInsertionPointToEnd(module.getBody());
  auto fn = b.create<func::FuncOp>(
      loc, name, b.getFunctionType({ptrType, ptrType}, {}));
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  loadArguments(entry->getArgument(0), entry->getArgument(1));

  // Rows (every dimension but the last) times blocks of the last one.
  SmallVector<int64_t> reduced;
  bool reduceLast = false, reduceLeading = false;
  if (src.reduction) {
    reduced = kernelReducedDims(src.reduction);
    for (int64_t d : reduced) {
      if (rank > 0 && d == static_cast<int64_t>(rank) - 1)
        reduceLast = true;
      else
        reduceLeading = true;
    }
    if (rank == 0)
      reduceLast = true;
  }
  rows = i64Const(1);
  for (unsigned d = 0; d + 1 < rank; ++d)
    rows = b.create<arith::MulIOp>(loc, rows, sizes[d]);
  cols = rank > 0 ? sizes[rank - 1] : i64Const(1);
  // A run of the last dimension long enough to amortise the block's set-up
  // and short enough to split one long row across threads.
  blockCols = reduceLast ? b.create<arith::MaxUIOp>(loc, cols, i64Const(1))
                               .getResult()
                         : i64Const(16384);
  numBlocks = b.create<arith::DivUIOp>(
      loc,
      b.create<arith::AddIOp>(
          loc, cols, b.create<arith::SubIOp>(loc, blockCols, i64Const(1))),
      blockCols);
  bool par = parallel && !reduceLeading;
  // One long row reduced to one element, split across threads; a reduction
  // over no axes (axes = []) maps each element to itself instead.
  auto general = [&](bool parallel) {
    Value total = b.create<arith::IndexCastOp>(
        loc, b.getIndexType(), b.create<arith::MulIOp>(loc, rows, numBlocks));
    emitLoop(total, parallel, [&](Value t) { emitBlock(t, reduceLast); });
  };
  if (par && rank == 1 && reduceLast && src.reduction &&
      hasParallelCombiner()) {
    ifThreaded([&] { emitParallelRowReduction(); },
               [&] { general(/*parallel=*/false); });
    b.create<func::ReturnOp>(loc);
    return success();
  }
  // Boxes spanning a short last dimension whole (a reduction over the
  // coordinates of points, say) get a loop nest of their own.
  int64_t lastDim = rank >= 2 ? tiling::shapeOf(src.target).back() : 0;
  if (lastDim < 1 || lastDim > kShortRow) {
    general(par);
  } else {
    Value whole = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, cols,
                                          i64Const(lastDim));
    auto branch = b.create<scf::IfOp>(loc, whole, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(branch.thenBlock()->getTerminator());
    Value blocks = b.create<arith::DivUIOp>(
        loc, b.create<arith::AddIOp>(loc, rows, i64Const(kRowsPerBlock - 1)),
        i64Const(kRowsPerBlock));
    emitLoop(b.create<arith::IndexCastOp>(loc, b.getIndexType(), blocks), par,
             [&](Value t) { emitRowBlock(t, lastDim, reduceLast); });
    b.setInsertionPoint(branch.elseBlock()->getTerminator());
    general(par);
  }
  b.create<func::ReturnOp>(loc);
  return success();
}

} // namespace mars::codegen

LogicalResult codegen::buildKernel(const KernelSource &source, ModuleOp module,
                                   StringRef name, bool parallel) {
  Location loc = source.reduction ? source.reduction->getLoc()
                 : source.ops.empty() ? source.target.getLoc()
                                      : source.ops.back()->getLoc();
  return KernelEmitter(source, module, loc).emit(name, parallel);
}
