//===- BuildGpuKernel.cpp - Mars chunk computations as GPU kernels --------===//
//
// The GPU forms of a chunk kernel (GpuKernelABI in ChunkKernel.h), built by
// the same emitter as the CPU form, so the elements are computed by the same
// scalar rules:
//
//  * map: threads of a block walk a row of the box together (consecutive
//    threads, consecutive elements: coalesced), blocks walk rows; boxes of
//    short rows (`_flat`): threads walk the box's elements in C order;
//  * reduction, few reduced elements per output (`_seq`): a thread per
//    output element folds its elements in order;
//  * reduction, many (`_tree`, `_combine`): the blocks of one output element
//    fold strided runs, each block reduces its threads' accumulators as a
//    tree in shared memory, and `_combine` folds the blocks' partials into
//    the output in block order (one block per output: `_tree` does it).
//
// Every order is fixed by the launch shape, so a GPU run is deterministic.
// Also here: numpy's floored division, remainder and integer power inline
// (the CPU calls ScalarABI.h; the algorithms are the same).
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <limits>

using namespace mlir;
using namespace mars;
using namespace mars::codegen;

namespace mars::codegen {

//===----------------------------------------------------------------------===//
// numpy's integer and floor rules, inline
//===----------------------------------------------------------------------===//

Value KernelEmitter::fmod(Value a, Value c) {
  // libdevice's fmod is exact, as C's (arith.remf has no NVPTX lowering).
  return call(a.getType().isF32() ? "__nv_fmodf" : "__nv_fmod", a.getType(),
              {a, c});
}

std::pair<Value, Value> KernelEmitter::floatDivmod(Value a, Value c) {
  using FP = arith::CmpFPredicate;
  Type t = a.getType();
  Value zero = constant(t, 0.0, 0), one = constant(t, 1.0, 0);
  Value mod = fmod(a, c);
  Value div = b.create<arith::DivFOp>(
      loc, b.create<arith::SubFOp>(loc, a, mod), c);
  // mod != 0: fix the signs; else mod = copysign(0, c).
  Value modNonzero = b.create<arith::CmpFOp>(loc, FP::UNE, mod, zero);
  Value signsDiffer = b.create<arith::XOrIOp>(
      loc, b.create<arith::CmpFOp>(loc, FP::OLT, c, zero),
      b.create<arith::CmpFOp>(loc, FP::OLT, mod, zero));
  Value fix = b.create<arith::AndIOp>(loc, modNonzero, signsDiffer);
  Value fixedMod = b.create<arith::SelectOp>(
      loc, fix, b.create<arith::AddFOp>(loc, mod, c), mod);
  Value fixedDiv = b.create<arith::SelectOp>(
      loc, fix, b.create<arith::SubFOp>(loc, div, one), div);
  mod = b.create<arith::SelectOp>(loc, modNonzero, fixedMod,
                                  b.create<math::CopySignOp>(loc, zero, c));
  div = fixedDiv;
  // div != 0: round to the nearest integer below; else copysign(0, a / c).
  Value floor = b.create<math::FloorOp>(loc, div);
  Value up = b.create<arith::CmpFOp>(
      loc, FP::OGT, b.create<arith::SubFOp>(loc, div, floor),
      constant(t, 0.5, 0));
  floor = b.create<arith::SelectOp>(
      loc, up, b.create<arith::AddFOp>(loc, floor, one), floor);
  Value quotient = b.create<arith::SelectOp>(
      loc, b.create<arith::CmpFOp>(loc, FP::UNE, div, zero), floor,
      b.create<math::CopySignOp>(loc, zero,
                                 b.create<arith::DivFOp>(loc, a, c)));
  return {quotient, mod};
}

Value KernelEmitter::inlineFloorDiv(Value a, Value c, bool isUnsigned) {
  using IP = arith::CmpIPredicate;
  Type t = a.getType();
  if (isa<FloatType>(t)) {
    Value cZero = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, c,
                                          constant(t, 0.0, 0));
    return b.create<arith::SelectOp>(loc, cZero,
                                     b.create<arith::DivFOp>(loc, a, c),
                                     floatDivmod(a, c).first);
  }
  Value zero = constant(t, 0, 0), one = constant(t, 0, 1),
        minusOne = constant(t, 0, -1);
  if (isUnsigned) { // By 0: 0 (the division itself never executes).
    Value cIsZero = b.create<arith::CmpIOp>(loc, IP::eq, c, zero);
    Value safe = b.create<arith::SelectOp>(loc, cIsZero, one, c);
    return b.create<arith::SelectOp>(
        loc, cIsZero, zero, b.create<arith::DivUIOp>(loc, a, safe));
  }
  Value min = constant(t, 0, integerExtreme(t, /*largest=*/false));
  Value cIsZero = b.create<arith::CmpIOp>(loc, IP::eq, c, zero);
  Value cIsMinusOne = b.create<arith::CmpIOp>(loc, IP::eq, c, minusOne);
  // Division by 0 or -1 never executes (undefined behaviour in LLVM).
  Value safe = b.create<arith::SelectOp>(
      loc, b.create<arith::OrIOp>(loc, cIsZero, cIsMinusOne), one, c);
  Value q = b.create<arith::DivSIOp>(loc, a, safe);
  Value signsDiffer = b.create<arith::XOrIOp>(
      loc, b.create<arith::CmpIOp>(loc, IP::slt, a, zero),
      b.create<arith::CmpIOp>(loc, IP::slt, c, zero));
  Value inexact = b.create<arith::CmpIOp>(
      loc, IP::ne, b.create<arith::MulIOp>(loc, q, safe), a);
  q = b.create<arith::SelectOp>(
      loc, b.create<arith::AndIOp>(loc, signsDiffer, inexact),
      b.create<arith::SubIOp>(loc, q, one), q);
  Value negated = b.create<arith::SelectOp>(
      loc, b.create<arith::CmpIOp>(loc, IP::eq, a, min), a,
      b.create<arith::SubIOp>(loc, zero, a));
  q = b.create<arith::SelectOp>(loc, cIsMinusOne, negated, q);
  return b.create<arith::SelectOp>(loc, cIsZero, zero, q);
}

Value KernelEmitter::inlineMod(Value a, Value c, bool isUnsigned) {
  using IP = arith::CmpIPredicate;
  Type t = a.getType();
  if (isa<FloatType>(t)) {
    Value cZero = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, c,
                                          constant(t, 0.0, 0));
    return b.create<arith::SelectOp>(loc, cZero, fmod(a, c),
                                     floatDivmod(a, c).second);
  }
  Value zero = constant(t, 0, 0), one = constant(t, 0, 1);
  if (isUnsigned) {
    Value cIsZero = b.create<arith::CmpIOp>(loc, IP::eq, c, zero);
    Value safe = b.create<arith::SelectOp>(loc, cIsZero, one, c);
    return b.create<arith::SelectOp>(
        loc, cIsZero, zero, b.create<arith::RemUIOp>(loc, a, safe));
  }
  Value trivial = b.create<arith::OrIOp>(
      loc, b.create<arith::CmpIOp>(loc, IP::eq, c, zero),
      b.create<arith::CmpIOp>(loc, IP::eq, c, constant(t, 0, -1)));
  Value safe = b.create<arith::SelectOp>(loc, trivial, one, c);
  Value r = b.create<arith::RemSIOp>(loc, a, safe);
  Value fix = b.create<arith::AndIOp>(
      loc, b.create<arith::CmpIOp>(loc, IP::ne, r, zero),
      b.create<arith::XOrIOp>(
          loc, b.create<arith::CmpIOp>(loc, IP::slt, c, zero),
          b.create<arith::CmpIOp>(loc, IP::slt, r, zero)));
  r = b.create<arith::SelectOp>(loc, fix, b.create<arith::AddIOp>(loc, r, c),
                                r);
  return b.create<arith::SelectOp>(loc, trivial, zero, r);
}

Value KernelEmitter::inlinePow(Value a, Value c, bool isUnsigned) {
  using IP = arith::CmpIPredicate;
  Type t = a.getType();
  unsigned bits = t.getIntOrFloatBitWidth();
  Value zero = constant(t, 0, 0), one = constant(t, 0, 1);
  Value negative = isUnsigned
                       ? constant(i1, 0, 0)
                       : b.create<arith::CmpIOp>(loc, IP::slt, c, zero)
                             .getResult();
  // numpy raises for a negative exponent: flag it for the host.
  auto flag = b.create<scf::IfOp>(loc, negative, /*withElseRegion=*/false);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(flag.thenBlock()->getTerminator());
    b.create<LLVM::StoreOp>(loc, constant(i32, 0, 1), errorPtr, 4);
  }
  // Squaring, one exponent bit per step (wrapping products, as the helper).
  auto loop = b.create<scf::ForOp>(
      loc, indexConst(0), indexConst(bits), indexConst(1),
      ValueRange{one, a, c},
      [&](OpBuilder &ib, Location, Value, ValueRange it) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(ib.getInsertionBlock(), ib.getInsertionPoint());
        Value bit = b.create<arith::CmpIOp>(
            loc, IP::ne, b.create<arith::AndIOp>(loc, it[2], one), zero);
        Value result = b.create<arith::SelectOp>(
            loc, bit, b.create<arith::MulIOp>(loc, it[0], it[1]), it[0]);
        Value square = b.create<arith::MulIOp>(loc, it[1], it[1]);
        Value rest = b.create<arith::ShRUIOp>(loc, it[2], one);
        b.create<scf::YieldOp>(loc, ValueRange{result, square, rest});
      });
  return b.create<arith::SelectOp>(loc, negative, zero, loop.getResult(0));
}

Value KernelEmitter::inlineGcdLcm(Value a, Value c, bool lcm,
                                  bool isUnsigned) {
  using IP = arith::CmpIPredicate;
  Type t = a.getType();
  Value zero = constant(t, 0, 0);
  // The magnitudes as unsigned (0 - a wraps the minimum to itself).
  auto magnitude = [&](Value x) -> Value {
    if (isUnsigned)
      return x;
    return b.create<arith::SelectOp>(
        loc, b.create<arith::CmpIOp>(loc, IP::slt, x, zero),
        b.create<arith::SubIOp>(loc, zero, x), x);
  };
  Value ua = magnitude(a), uc = magnitude(c);
  // Euclid: while (x != 0) (x, y) = (y % x, x); the gcd is y.
  auto loop = b.create<scf::WhileOp>(
      loc, TypeRange{t, t}, ValueRange{ua, uc},
      [&](OpBuilder &ib, Location, ValueRange it) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(ib.getInsertionBlock(), ib.getInsertionPoint());
        Value more = b.create<arith::CmpIOp>(loc, IP::ne, it[0], zero);
        b.create<scf::ConditionOp>(loc, more, it);
      },
      [&](OpBuilder &ib, Location, ValueRange it) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(ib.getInsertionBlock(), ib.getInsertionPoint());
        Value rest = b.create<arith::RemUIOp>(loc, it[1], it[0]);
        b.create<scf::YieldOp>(loc, ValueRange{rest, it[0]});
      });
  Value g = loop.getResult(1);
  if (!lcm)
    return g;
  // a / gcd * c with wrapping, 0 when the gcd is (both are 0).
  Value isZero = b.create<arith::CmpIOp>(loc, IP::eq, g, zero);
  Value safe = b.create<arith::SelectOp>(loc, isZero, constant(t, 0, 1), g);
  Value r = b.create<arith::MulIOp>(
      loc, b.create<arith::DivUIOp>(loc, ua, safe), uc);
  return b.create<arith::SelectOp>(loc, isZero, zero, r);
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

gpu::GPUFuncOp KernelEmitter::beginGpuFunc(gpu::GPUModuleOp gpuModule,
                                           StringRef name,
                                           ArrayRef<Type> workgroup) {
  Block *body = gpuModule.getBody();
  if (body->mightHaveTerminator())
    b.setInsertionPoint(body->getTerminator());
  else
    b.setInsertionPointToEnd(body);
  auto fn = b.create<gpu::GPUFuncOp>(
      loc, name, b.getFunctionType({ptrType, ptrType}, {}), workgroup);
  fn->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  fn.setKnownBlockSizeAttr(
      b.getDenseI32ArrayAttr({static_cast<int32_t>(kGpuBlockSize), 1, 1}));
  Block &entry = fn.getBody().front();
  b.setInsertionPointToStart(&entry);
  b.create<gpu::ReturnOp>(loc);
  b.setInsertionPointToStart(&entry);
  loadArguments(entry.getArgument(0), entry.getArgument(1));
  // The GPU's extra pointers and the number of splits (the means were
  // loaded with the other arguments).
  const KernelABI abi = this->abi();
  scratchPtr = loadPtr(abi.scratch());
  errorPtr = loadPtr(abi.errorFlag());
  splits = loadMeta(abi.splits());
  numOutputs = i64Const(1);
  numReduced = i64Const(1);
  for (unsigned d = 0; d < rank; ++d) {
    bool reduced = llvm::is_contained(reducedAxes, static_cast<int64_t>(d));
    Value &n = reduced ? numReduced : numOutputs;
    n = b.create<arith::MulIOp>(loc, n, sizes[d]);
  }
  b.setInsertionPoint(entry.getTerminator());
  return fn;
}

static Value toI64(OpBuilder &b, Location loc, Value index) {
  return b.create<arith::IndexCastOp>(loc, b.getI64Type(), index);
}

Value KernelEmitter::globalThreadX() {
  Value block = toI64(b, loc, b.create<gpu::BlockIdOp>(loc, gpu::Dimension::x));
  Value thread =
      toI64(b, loc, b.create<gpu::ThreadIdOp>(loc, gpu::Dimension::x));
  return b.create<arith::AddIOp>(
      loc, b.create<arith::MulIOp>(loc, block, i64Const(kGpuBlockSize)),
      thread);
}

Value KernelEmitter::threadsX() {
  Value grid = toI64(b, loc, b.create<gpu::GridDimOp>(loc, gpu::Dimension::x));
  return b.create<arith::MulIOp>(loc, grid, i64Const(kGpuBlockSize));
}

void KernelEmitter::emitStrided(Value lb, Value ub, Value step,
                                function_ref<void(Value)> body) {
  Type index = b.getIndexType();
  auto loop = b.create<scf::ForOp>(
      loc, b.create<arith::IndexCastOp>(loc, index, lb),
      b.create<arith::IndexCastOp>(loc, index, ub),
      b.create<arith::IndexCastOp>(loc, index, step));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(loop.getBody()->getTerminator());
  body(toI64(b, loc, loop.getInductionVar()));
}

void KernelEmitter::emitGpuMap() {
  rows = i64Const(1);
  for (unsigned d = 0; d + 1 < rank; ++d)
    rows = b.create<arith::MulIOp>(loc, rows, sizes[d]);
  cols = rank > 0 ? sizes[rank - 1] : i64Const(1);
  Value blockY =
      toI64(b, loc, b.create<gpu::BlockIdOp>(loc, gpu::Dimension::y));
  Value gridY = toI64(b, loc, b.create<gpu::GridDimOp>(loc, gpu::Dimension::y));
  Value first = globalThreadX(), stride = threadsX();
  emitStrided(blockY, rows, gridY, [&](Value row) {
    emitRow(row, first, cols, /*reduceLast=*/false, nullptr, stride);
  });
}

void KernelEmitter::emitGpuMapFlat() {
  emitStrided(globalThreadX(), numOutputs, threadsX(), [&](Value t) {
    SmallVector<Value> idx;
    splitKept(t, idx);
    store(outPtr, outOffset(idx), elementAt(idx));
  });
}

void KernelEmitter::splitKept(Value o, SmallVectorImpl<Value> &idx) {
  idx.assign(rank, i64Const(0));
  for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
    if (llvm::is_contained(reducedAxes, d))
      continue;
    idx[d] = b.create<arith::RemUIOp>(loc, o, sizes[d]);
    o = b.create<arith::DivUIOp>(loc, o, sizes[d]);
  }
}

void KernelEmitter::splitReduced(Value r, SmallVectorImpl<Value> &idx) {
  for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
    if (!llvm::is_contained(reducedAxes, d))
      continue;
    idx[d] = b.create<arith::RemUIOp>(loc, r, sizes[d]);
    r = b.create<arith::DivUIOp>(loc, r, sizes[d]);
  }
}

Value KernelEmitter::outOffset(ArrayRef<Value> idx) {
  Value off = i64Const(0);
  for (unsigned d = 0; d < rank; ++d)
    off = b.create<arith::AddIOp>(
        loc, off, b.create<arith::MulIOp>(loc, idx[d], outStrides[d]));
  return off;
}

Value KernelEmitter::foldReduced(ArrayRef<Value> kept, Value lb, Value step,
                                 Value init) {
  Type index = b.getIndexType();
  Value center = centerAt(outOffset(kept));
  auto loop = b.create<scf::ForOp>(
      loc, b.create<arith::IndexCastOp>(loc, index, lb),
      b.create<arith::IndexCastOp>(loc, index, numReduced),
      b.create<arith::IndexCastOp>(loc, index, step), ValueRange{init},
      [&](OpBuilder &ib, Location, Value rv, ValueRange acc) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(ib.getInsertionBlock(), ib.getInsertionPoint());
        SmallVector<Value> idx(kept);
        splitReduced(toI64(b, loc, rv), idx);
        Value v = reductionInput(elementAt(idx), center);
        b.create<scf::YieldOp>(loc, combine(acc[0], v));
      });
  return loop.getResult(0);
}

void KernelEmitter::emitGpuReduceSeq() {
  Type rt = elementTypeOf(src.reduction->getResult(0));
  emitStrided(globalThreadX(), numOutputs, threadsX(), [&](Value o) {
    SmallVector<Value> kept;
    splitKept(o, kept);
    Value off = outOffset(kept);
    store(outPtr, off,
          foldReduced(kept, i64Const(0), i64Const(1), load(outPtr, off, rt)));
  });
}

void KernelEmitter::emitGpuReduceTree(Value shared) {
  Type rt = elementTypeOf(src.reduction->getResult(0));
  auto toMem = [&](Value v) -> Value {
    return rt == i1 ? b.create<arith::ExtUIOp>(loc, i8, v).getResult() : v;
  };
  auto fromMem = [&](Value v) -> Value {
    return rt == i1 ? b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, v,
                                              constant(i8, 0, 0))
                          .getResult()
                    : v;
  };
  Value tidIndex = b.create<gpu::ThreadIdOp>(loc, gpu::Dimension::x);
  Value tid = toI64(b, loc, tidIndex);
  Value blockX =
      toI64(b, loc, b.create<gpu::BlockIdOp>(loc, gpu::Dimension::x));
  Value blockY =
      toI64(b, loc, b.create<gpu::BlockIdOp>(loc, gpu::Dimension::y));
  Value gridY = toI64(b, loc, b.create<gpu::GridDimOp>(loc, gpu::Dimension::y));
  Value first = globalThreadX();
  Value stride = b.create<arith::MulIOp>(loc, splits, i64Const(kGpuBlockSize));
  emitStrided(blockY, numOutputs, gridY, [&](Value o) {
    SmallVector<Value> kept;
    splitKept(o, kept);
    // This thread's elements: first, first + stride, ... of the output's.
    Value acc = foldReduced(kept, first, stride, identityOf(rt));
    b.create<memref::StoreOp>(loc, toMem(acc), shared, ValueRange{tidIndex});
    b.create<gpu::BarrierOp>(loc);
    // The block's tree: halves combine pairwise.
    for (int64_t half = kGpuBlockSize / 2; half >= 1; half /= 2) {
      Value active = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ult,
                                             tid, i64Const(half));
      auto branch = b.create<scf::IfOp>(loc, active, false);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(branch.thenBlock()->getTerminator());
        Value other = b.create<arith::AddIOp>(loc, tidIndex, indexConst(half));
        Value x = fromMem(b.create<memref::LoadOp>(loc, shared, tidIndex));
        Value y = fromMem(b.create<memref::LoadOp>(loc, shared, other));
        b.create<memref::StoreOp>(loc, toMem(combine(x, y)), shared,
                                  ValueRange{tidIndex});
      }
      b.create<gpu::BarrierOp>(loc);
    }
    Value leader = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, tid,
                                           i64Const(0));
    auto write = b.create<scf::IfOp>(loc, leader, false);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(write.thenBlock()->getTerminator());
      Value total = fromMem(b.create<memref::LoadOp>(loc, shared,
                                                     ValueRange{indexConst(0)}));
      Value alone = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq,
                                            splits, i64Const(1));
      auto where = b.create<scf::IfOp>(loc, alone, true);
      b.setInsertionPoint(where.thenBlock()->getTerminator());
      Value off = outOffset(kept);
      store(outPtr, off, combine(load(outPtr, off, rt), total));
      b.setInsertionPoint(where.elseBlock()->getTerminator());
      Value slot = b.create<arith::AddIOp>(
          loc, b.create<arith::MulIOp>(loc, o, splits), blockX);
      store(scratchPtr, slot, total);
    }
    // The next output reuses the shared array.
    b.create<gpu::BarrierOp>(loc);
  });
}

void KernelEmitter::emitGpuReduceCombine() {
  Type rt = elementTypeOf(src.reduction->getResult(0));
  emitStrided(globalThreadX(), numOutputs, threadsX(), [&](Value o) {
    SmallVector<Value> kept;
    splitKept(o, kept);
    Value off = outOffset(kept);
    Value base = b.create<arith::MulIOp>(loc, o, splits);
    auto loop = b.create<scf::ForOp>(
        loc, indexConst(0),
        b.create<arith::IndexCastOp>(loc, b.getIndexType(), splits),
        indexConst(1), ValueRange{load(outPtr, off, rt)},
        [&](OpBuilder &ib, Location, Value sv, ValueRange acc) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(ib.getInsertionBlock(), ib.getInsertionPoint());
          Value slot = b.create<arith::AddIOp>(loc, base, toI64(b, loc, sv));
          b.create<scf::YieldOp>(loc,
                                 combine(acc[0], load(scratchPtr, slot, rt)));
        });
    store(outPtr, off, loop.getResult(0));
  });
}

LogicalResult KernelEmitter::emitGpu(gpu::GPUModuleOp gpuModule,
                                     StringRef name) {
  gpuScope = gpuModule;
  if (!src.reduction) {
    beginGpuFunc(gpuModule, name);
    emitGpuMap();
    beginGpuFunc(gpuModule, (name + "_flat").str());
    emitGpuMapFlat();
    return success();
  }
  auto r = cast<ReductionOpInterface>(src.reduction);
  // getReducedAxes() returns a fresh vector: take begin and end of one.
  SmallVector<int64_t> axes = r.getReducedAxes();
  reducedAxes.assign(axes.begin(), axes.end());
  beginGpuFunc(gpuModule, (name + "_seq").str());
  emitGpuReduceSeq();

  Type rt = elementTypeOf(src.reduction->getResult(0));
  auto shared = MemRefType::get(
      {kGpuBlockSize}, rt == i1 ? i8 : storageOf(rt), MemRefLayoutAttrInterface{},
      gpu::AddressSpaceAttr::get(b.getContext(),
                                 gpu::GPUDialect::getWorkgroupAddressSpace()));
  auto tree = beginGpuFunc(gpuModule, (name + "_tree").str(), {shared});
  emitGpuReduceTree(tree.getWorkgroupAttributions()[0]);

  beginGpuFunc(gpuModule, (name + "_combine").str());
  emitGpuReduceCombine();
  return success();
}

} // namespace mars::codegen

LogicalResult codegen::buildGpuKernel(const KernelSource &source,
                                      gpu::GPUModuleOp gpuModule,
                                      StringRef name) {
  Location loc = source.reduction ? source.reduction->getLoc()
                 : source.ops.empty() ? source.target.getLoc()
                                      : source.ops.back()->getLoc();
  auto module = gpuModule->getParentOfType<ModuleOp>();
  return KernelEmitter(source, module, loc, KernelTarget::GPU)
      .emitGpu(gpuModule, name);
}
