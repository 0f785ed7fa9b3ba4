//===- ScalarRules.cpp - The scalar code of each op in a kernel -----------===//
//
// What a kernel computes per element, shared by the CPU and GPU kernels:
// each elementwise op's and generator's scalar rule (unary, binary, emitOp,
// random draws), and each reduction's contribution, combine and identity
// from its row of the algebra table (Reductions.h).
//
// Scalar semantics follow mars/Numeric/Kernels.cpp exactly: the same IEEE
// operations in the same order, Libm.h's functions for transcendental ones
// (whose vector forms compiled loops call), and the ScalarABI.h helpers (or
// their inline forms) for numpy's floored division, remainder and integer
// power, so a compiled kernel's elements are bitwise the reference's
// (reductions reorder floating-point sums, as any tiling does).
//
//===----------------------------------------------------------------------===//

#include "mars/Conversion/ChunkKernel.h"

#include "KernelEmitter.h"

#include "mars/Numeric/Libm.h"
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

namespace mars::codegen {

Value KernelEmitter::i64Const(int64_t v) {
  return b.create<arith::ConstantIntOp>(loc, v, 64);
}

Value KernelEmitter::indexConst(int64_t v) {
  return b.create<arith::ConstantIndexOp>(loc, v);
}

Type KernelEmitter::storageOf(Type t) const {
  if (t.isUnsignedInteger())
    return IntegerType::get(t.getContext(), t.getIntOrFloatBitWidth());
  return t;
}

Value KernelEmitter::constant(Type type, double fv, int64_t iv) {
  type = storageOf(type);
  if (auto ft = dyn_cast<FloatType>(type)) {
    if (ft.isF16()) // Rounded once from the double, as Half::fromDouble.
      return b.create<arith::ConstantOp>(loc, b.getFloatAttr(ft, fv));
    return b.create<arith::ConstantFloatOp>(
               loc, ft.isF32() ? APFloat(static_cast<float>(fv)) : APFloat(fv),
               ft)
        .getResult();
  }
  return b.create<arith::ConstantIntOp>(loc, iv, type);
}

unsigned KernelEmitter::alignOf(Type t) const {
  // GPU: state what the datalayout of the translation does not know (that
  // 8-byte elements are 8-aligned), or every 8-byte access is split in two.
  if (target != KernelTarget::GPU)
    return 0;
  return isa<LLVM::LLVMPointerType>(t) ? 8 : t.getIntOrFloatBitWidth() / 8;
}

Value KernelEmitter::loadMeta(int64_t k) {
  Value p = b.create<LLVM::GEPOp>(loc, ptrType, i64, meta,
                                  ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(k)});
  return b.create<LLVM::LoadOp>(loc, i64, p, alignOf(i64));
}

Value KernelEmitter::load(Value base, Value offset, Type elementType) {
  elementType = storageOf(elementType);
  Type memType = elementType == i1 ? i8 : elementType;
  Value p = b.create<LLVM::GEPOp>(loc, ptrType, memType, base,
                                  ArrayRef<LLVM::GEPArg>{offset});
  Value v = b.create<LLVM::LoadOp>(loc, memType, p, alignOf(memType));
  if (elementType == i1)
    v = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, v,
                                b.create<arith::ConstantIntOp>(loc, 0, 8));
  return v;
}

void KernelEmitter::store(Value base, Value offset, Value value) {
  if (value.getType() == i1)
    value = b.create<arith::ExtUIOp>(loc, i8, value);
  Value p = b.create<LLVM::GEPOp>(loc, ptrType, value.getType(), base,
                                  ArrayRef<LLVM::GEPArg>{offset});
  b.create<LLVM::StoreOp>(loc, value, p, alignOf(value.getType()));
}

Value KernelEmitter::call(StringRef fn, Type type, ValueRange args) {
  SmallVector<Type> argTypes(args.getTypes());
  // GPU kernels call what their gpu.module declares (libdevice's __nv_*).
  Operation *scope = target == KernelTarget::GPU ? gpuScope : module;
  auto decl = SymbolTable::lookupSymbolIn(scope, fn)
                  ? cast<func::FuncOp>(SymbolTable::lookupSymbolIn(scope, fn))
                  : func::FuncOp();
  if (!decl) {
    OpBuilder mb(&scope->getRegion(0).front(),
                 scope->getRegion(0).front().begin());
    decl = mb.create<func::FuncOp>(loc, fn, mb.getFunctionType(argTypes, type));
    decl.setPrivate();
  }
  return b.create<func::CallOp>(loc, decl, args).getResult(0);
}

Value KernelEmitter::libm(StringRef name, Type type, ValueRange args,
                          bool cLibrary) {
  if (target == KernelTarget::CPU)
    return call(cLibrary ? name.str() : numeric::libm::cpuSymbol(name),
                type, args);
  if (cLibrary) {
    // The math dialect's ops: libdevice's functions in the NVVM lowering,
    // the host C library's in the GPU emulator, as on the CPU.
    StringRef base = name;
    if (type.isF32() && base.ends_with("f"))
      base = base.drop_back();
    if (base == "log")
      return b.create<math::LogOp>(loc, args[0]);
    if (base == "cos")
      return b.create<math::CosOp>(loc, args[0]);
  }
  // libdevice's function by its name; the GPU emulator binds these names
  // to numeric::libm's and the C library's (forEachLibdeviceOnHost).
  return call(("__nv_" + name).str(), type, args);
}

Value KernelEmitter::isNaN(Value x) {
  return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, x, x);
}

Value KernelEmitter::isNonzero(Value x) {
  Type t = x.getType();
  if (t == i1)
    return x;
  if (isa<FloatType>(t)) // C++ `x != 0` is true for NaN.
    return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, x,
                                   constant(t, 0.0, 0));
  return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, x,
                                 constant(t, 0, 0));
}

/// numeric::castScalar.
Value KernelEmitter::castTo(Value x, Type from, Type to) {
  if (from == to)
    return x;
  if (to == i1)
    return isNonzero(x);
  Type toS = storageOf(to);
  auto fromF = dyn_cast<FloatType>(from);
  auto toF = dyn_cast<FloatType>(to);
  if (from == i1)
    return toF ? b.create<arith::UIToFPOp>(loc, to, x).getResult()
               : b.create<arith::ExtUIOp>(loc, toS, x).getResult();
  if (fromF && toF)
    return fromF.getWidth() < toF.getWidth()
               ? b.create<arith::ExtFOp>(loc, to, x).getResult()
               : b.create<arith::TruncFOp>(loc, to, x).getResult();
  if (toF && toF.isF16()) // Integers through float32, as numpy (castScalar).
    return b.create<arith::TruncFOp>(loc, to,
                                     castTo(x, from, b.getF32Type()));
  if (toF)
    return from.isUnsignedInteger()
               ? b.create<arith::UIToFPOp>(loc, to, x).getResult()
               : b.create<arith::SIToFPOp>(loc, to, x).getResult();
  if (fromF) {
    // x86-64's truncating conversions, as castScalar: in range of the
    // conversion's width, or its minimum (fptosi alone is poison there).
    Type f64 = b.getF64Type();
    Value d = fromF.getWidth() < 64 ? b.create<arith::ExtFOp>(loc, f64, x)
                                    : x;
    auto convert = [&](Value v, unsigned bits) -> Value {
      Type it = b.getIntegerType(bits);
      double limit = std::ldexp(1.0, bits - 1);
      Value ok = b.create<arith::AndIOp>(
          loc,
          b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGE, v,
                                  constant(f64, -limit, 0)),
          b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, v,
                                  constant(f64, limit, 0)));
      Value min = constant(it, 0,
                           bits == 32 ? std::numeric_limits<int32_t>::min()
                                      : std::numeric_limits<int64_t>::min());
      return b.create<arith::SelectOp>(
          loc, ok, b.create<arith::FPToSIOp>(loc, it, v), min);
    };
    unsigned tw = to.getIntOrFloatBitWidth();
    bool isUnsigned = to.isUnsignedInteger();
    unsigned bits = tw == 64 || (tw == 32 && isUnsigned) ? 64 : 32;
    Value v = convert(d, bits);
    if (tw == 64 && isUnsigned) {
      // From 2^63 up: the conversion of x - 2^63 with the top bit flipped.
      double top = std::ldexp(1.0, 63);
      Value high = b.create<arith::XOrIOp>(
          loc,
          convert(b.create<arith::SubFOp>(loc, d, constant(f64, top, 0)), 64),
          constant(i64, 0, std::numeric_limits<int64_t>::min()));
      Value ge = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGE, d,
                                         constant(f64, top, 0));
      return b.create<arith::SelectOp>(loc, ge, high, v);
    }
    return tw < bits ? b.create<arith::TruncIOp>(loc, toS, v).getResult() : v;
  }
  unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
  if (fw == tw) // int32 <-> uint32: the same bits.
    return x;
  if (fw > tw)
    return b.create<arith::TruncIOp>(loc, toS, x);
  return from.isUnsignedInteger()
             ? b.create<arith::ExtUIOp>(loc, toS, x).getResult()
             : b.create<arith::ExtSIOp>(loc, toS, x).getResult();
}

std::pair<Value, Type> KernelEmitter::widen(Value x, Type t) {
  if (!isa<IntegerType>(t) || t == i1)
    return {x, t};
  unsigned bits = t.getIntOrFloatBitWidth();
  bool isUnsigned = t.isUnsignedInteger();
  if (bits < 32 || (bits == 32 && isUnsigned)) {
    Type wide = bits < 32 ? i32 : i64;
    return {isUnsigned ? b.create<arith::ExtUIOp>(loc, wide, x).getResult()
                       : b.create<arith::ExtSIOp>(loc, wide, x).getResult(),
            wide};
  }
  return {x, t};
}

Value KernelEmitter::narrow(Value x, Type t) {
  Type s = storageOf(t);
  if (x.getType() == s)
    return x;
  return b.create<arith::TruncIOp>(loc, s, x);
}

Value KernelEmitter::integerHelper(BinaryFn fn, Value a, Value c, Type t) {
  auto [wa, wt] = widen(a, t);
  Value wc = widen(c, t).first;
  // Narrow types compute exactly at the wider one: gcd is in range, and
  // products (power, lcm) wrap to the same low bits.
  bool isUnsigned = wt.isUnsignedInteger();
  if (target == KernelTarget::GPU)
    return narrow(fn == BinaryFn::Pow
                      ? inlinePow(wa, wc, isUnsigned)
                      : inlineGcdLcm(wa, wc, fn == BinaryFn::Lcm, isUnsigned),
                  t);
  StringRef prefix = fn == BinaryFn::Pow   ? "mars_pow_"
                     : fn == BinaryFn::Gcd ? "mars_gcd_"
                                           : "mars_lcm_";
  StringRef suffix = isUnsigned                            ? "u64"
                     : wt.getIntOrFloatBitWidth() == 32 ? "i32"
                                                           : "i64";
  Type ws = storageOf(wt);
  return narrow(call((prefix + suffix).str(), ws, {wa, wc}), t);
}

Value KernelEmitter::unary(UnaryFn fn, Value x, Type type, Type resultType) {
  Type t = x.getType();
  bool isF = isa<FloatType>(t);
  bool isUnsigned = type.isUnsignedInteger();
  bool f32 = t.isF32();
  auto libmOf = [&](StringRef name) {
    return libm(f32 ? (name + "f").str() : name.str(), t, x);
  };
  switch (fn) {
  case UnaryFn::Neg:
    if (isF)
      return b.create<arith::NegFOp>(loc, x);
    return b.create<arith::SubIOp>(loc, constant(t, 0, 0), x);
  case UnaryFn::Abs:
    if (isF)
      return b.create<math::AbsFOp>(loc, x);
    if (isUnsigned)
      return x;
    return b.create<arith::SelectOp>(
        loc,
        b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, x,
                                constant(t, 0, 0)),
        b.create<arith::SubIOp>(loc, constant(t, 0, 0), x), x);
  case UnaryFn::Square:
    return isF ? b.create<arith::MulFOp>(loc, x, x).getResult()
               : b.create<arith::MulIOp>(loc, x, x).getResult();
  case UnaryFn::Sign: {
    Value zero = constant(t, 0.0, 0), one = constant(t, 1.0, 1),
          minusOne = constant(t, -1.0, -1);
    Value gt, lt;
    if (isF) {
      gt = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, x, zero);
      lt = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, x, zero);
    } else {
      gt = b.create<arith::CmpIOp>(
          loc, isUnsigned ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt,
          x, zero);
      lt = isUnsigned ? constant(i1, 0, 0)
                      : b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt,
                                                x, zero)
                            .getResult();
    }
    Value s = b.create<arith::SelectOp>(
        loc, gt, one, b.create<arith::SelectOp>(loc, lt, minusOne, zero));
    return isF ? b.create<arith::SelectOp>(loc, isNaN(x), x, s).getResult()
               : s;
  }
  case UnaryFn::Sqrt:
    return b.create<math::SqrtOp>(loc, x);
  case UnaryFn::Floor:
    return b.create<math::FloorOp>(loc, x);
  case UnaryFn::Ceil:
    return b.create<math::CeilOp>(loc, x);
  case UnaryFn::Exp:
    return libmOf("exp");
  case UnaryFn::Log:
    return libmOf("log");
  case UnaryFn::Sin:
    return libmOf("sin");
  case UnaryFn::Cos:
    return libmOf("cos");
  case UnaryFn::Tanh:
    return libmOf("tanh");
  case UnaryFn::Tan:
    return libmOf("tan");
  case UnaryFn::Arcsin:
    return libmOf("asin");
  case UnaryFn::Arccos:
    return libmOf("acos");
  case UnaryFn::Arctan:
    return libmOf("atan");
  case UnaryFn::Sinh:
    return libmOf("sinh");
  case UnaryFn::Cosh:
    return libmOf("cosh");
  case UnaryFn::Arcsinh:
    return libmOf("asinh");
  case UnaryFn::Arccosh:
    return libmOf("acosh");
  case UnaryFn::Arctanh:
    return libmOf("atanh");
  case UnaryFn::Log2:
    return libmOf("log2");
  case UnaryFn::Log10:
    return libmOf("log10");
  case UnaryFn::Log1p:
    return libmOf("log1p");
  case UnaryFn::Exp2:
    return libmOf("exp2");
  case UnaryFn::Expm1:
    return libmOf("expm1");
  case UnaryFn::Cbrt:
    return libmOf("cbrt");
  case UnaryFn::Erf:
    return libmOf("erf");
  case UnaryFn::Erfc:
    return libmOf("erfc");
  case UnaryFn::Gamma:
  case UnaryFn::Lgamma: {
    // scipy's values where C99 differs (lib/Numeric/ScalarRules.h): -inf at
    // -inf, and gamma's poles (non-positive integers, -0.0) are +inf.
    const double inf = std::numeric_limits<double>::infinity();
    bool gamma = fn == UnaryFn::Gamma;
    Value r = libmOf(gamma ? "tgamma" : "lgamma");
    if (gamma) {
      Value pole = b.create<arith::AndIOp>(
          loc,
          b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLE, x,
                                  constant(t, 0.0, 0)),
          b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ,
                                  b.create<math::FloorOp>(loc, x), x));
      r = b.create<arith::SelectOp>(loc, pole, constant(t, inf, 0), r);
    }
    Value negInf = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, x,
                                           constant(t, -inf, 0));
    return b.create<arith::SelectOp>(loc, negInf, x, r);
  }
  case UnaryFn::Invert:
    return b.create<arith::XOrIOp>(loc, x, constant(t, 0, -1));
  case UnaryFn::Trunc:
    return b.create<math::TruncOp>(loc, x);
  case UnaryFn::Rint:
    return b.create<math::RoundEvenOp>(loc, x);
  case UnaryFn::Degrees:
  case UnaryFn::Radians:
    return b.create<arith::MulFOp>(
        loc, x,
        constant(t, f32 ? numeric::angleScale<float>(fn)
                        : numeric::angleScale<double>(fn),
                 0));
  case UnaryFn::IsNan:
    return isF ? isNaN(x) : constant(resultType, 0, 0);
  case UnaryFn::IsInf:
  case UnaryFn::IsFinite: {
    // |x| == inf, and |x| ordered and not inf (false for NaN).
    bool inf = fn == UnaryFn::IsInf;
    if (!isF)
      return constant(resultType, 0, inf ? 0 : 1);
    return b.create<arith::CmpFOp>(
        loc, inf ? arith::CmpFPredicate::OEQ : arith::CmpFPredicate::ONE,
        b.create<math::AbsFOp>(loc, x),
        constant(t, std::numeric_limits<double>::infinity(), 0));
  }
  case UnaryFn::SignBit: {
    // The sign bit itself: true for -0.0 and NaNs with the bit set.
    Type bits = b.getIntegerType(t.getIntOrFloatBitWidth());
    return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt,
                                   b.create<arith::BitcastOp>(loc, bits, x),
                                   constant(bits, 0, 0));
  }
  case UnaryFn::LogicalNot:
    return b.create<arith::XOrIOp>(loc, isNonzero(x), constant(i1, 0, 1));
  }
  llvm_unreachable("unknown unary function");
}

Value KernelEmitter::binary(BinaryFn fn, Value a, Value c, Type type,
                            Type resultType) {
  Type t = a.getType();
  bool isF = isa<FloatType>(t);
  // Booleans and unsigned integers compare unsigned.
  bool isUnsigned = t == i1 || type.isUnsignedInteger();
  auto cmp = [&](arith::CmpFPredicate fp, arith::CmpIPredicate ip,
                 arith::CmpIPredicate unsignedPred) -> Value {
    if (isF)
      return b.create<arith::CmpFOp>(loc, fp, a, c);
    return b.create<arith::CmpIOp>(loc, isUnsigned ? unsignedPred : ip, a, c);
  };
  using FP = arith::CmpFPredicate;
  using IP = arith::CmpIPredicate;
  switch (fn) {
  case BinaryFn::Add:
    return isF ? b.create<arith::AddFOp>(loc, a, c).getResult()
               : b.create<arith::AddIOp>(loc, a, c).getResult();
  case BinaryFn::Sub:
    return isF ? b.create<arith::SubFOp>(loc, a, c).getResult()
               : b.create<arith::SubIOp>(loc, a, c).getResult();
  case BinaryFn::Mul:
    return isF ? b.create<arith::MulFOp>(loc, a, c).getResult()
               : b.create<arith::MulIOp>(loc, a, c).getResult();
  case BinaryFn::Div:
    return b.create<arith::DivFOp>(loc, a, c);
  case BinaryFn::FloorDiv:
  case BinaryFn::Mod: {
    bool div = fn == BinaryFn::FloorDiv;
    // Integers inline at the dtype's own width on both targets: the guarded
    // divisions vectorise, and by a constant (a fused mars.full) become
    // multiplies and shifts.
    if (!isF)
      return div ? inlineFloorDiv(a, c, type.isUnsignedInteger())
                 : inlineMod(a, c, type.isUnsignedInteger());
    if (target == KernelTarget::GPU)
      return div ? inlineFloorDiv(a, c) : inlineMod(a, c);
    return call(std::string(div ? "mars_floordiv_" : "mars_mod_") +
                    (t.isF32() ? "f32" : "f64"),
                t, {a, c});
  }
  case BinaryFn::Pow:
    if (isF)
      return libm(t.isF32() ? "powf" : "pow", t, {a, c});
    return integerHelper(fn, a, c, type);
  case BinaryFn::Arctan2:
    return libm(t.isF32() ? "atan2f" : "atan2", t, {a, c});
  case BinaryFn::Maximum:
  case BinaryFn::Minimum:
  case BinaryFn::Fmax:
  case BinaryFn::Fmin: {
    // (a > c || isnan(a)) ? a : c, and the same with <: of equal operands
    // (zeros of both signs) the second, as numpy's loops. fmax and fmin
    // ignore NaN instead: a where c is NaN.
    bool max = fn == BinaryFn::Maximum || fn == BinaryFn::Fmax;
    bool ignoreNaN = fn == BinaryFn::Fmax || fn == BinaryFn::Fmin;
    Value keep = cmp(max ? FP::OGT : FP::OLT, max ? IP::sgt : IP::slt,
                     max ? IP::ugt : IP::ult);
    if (isF)
      keep = b.create<arith::OrIOp>(loc, keep, isNaN(ignoreNaN ? c : a));
    return b.create<arith::SelectOp>(loc, keep, a, c);
  }
  case BinaryFn::Fmod: {
    if (isF)
      return libm(t.isF32() ? "fmodf" : "fmod", t, {a, c});
    // By 0 and by -1 (which traps for the minimum) the remainder is 0.
    Value zero = constant(t, 0, 0);
    Value trivial = b.create<arith::CmpIOp>(loc, IP::eq, c, zero);
    if (!isUnsigned)
      trivial = b.create<arith::OrIOp>(
          loc, trivial,
          b.create<arith::CmpIOp>(loc, IP::eq, c, constant(t, 0, -1)));
    Value safe = b.create<arith::SelectOp>(loc, trivial, constant(t, 0, 1), c);
    Value rem = isUnsigned
                    ? b.create<arith::RemUIOp>(loc, a, safe).getResult()
                    : b.create<arith::RemSIOp>(loc, a, safe).getResult();
    return b.create<arith::SelectOp>(loc, trivial, zero, rem);
  }
  case BinaryFn::BitwiseAnd:
    return b.create<arith::AndIOp>(loc, a, c);
  case BinaryFn::BitwiseOr:
    return b.create<arith::OrIOp>(loc, a, c);
  case BinaryFn::BitwiseXor:
    return b.create<arith::XOrIOp>(loc, a, c);
  case BinaryFn::LeftShift:
  case BinaryFn::RightShift: {
    // numpy's shifts: a count outside [0, bits) (unsigned compare) shifts
    // everything out; the shift itself gets a safe count.
    Value zero = constant(t, 0, 0);
    Value inRange = b.create<arith::CmpIOp>(
        loc, IP::ult, c, constant(t, 0, t.getIntOrFloatBitWidth()));
    Value count = b.create<arith::SelectOp>(loc, inRange, c, zero);
    if (fn == BinaryFn::LeftShift)
      return b.create<arith::SelectOp>(
          loc, inRange, b.create<arith::ShLIOp>(loc, a, count), zero);
    if (isUnsigned)
      return b.create<arith::SelectOp>(
          loc, inRange, b.create<arith::ShRUIOp>(loc, a, count), zero);
    Value out = b.create<arith::SelectOp>(
        loc, b.create<arith::CmpIOp>(loc, IP::slt, a, zero),
        constant(t, 0, -1), zero);
    return b.create<arith::SelectOp>(
        loc, inRange, b.create<arith::ShRSIOp>(loc, a, count), out);
  }
  case BinaryFn::Gcd:
  case BinaryFn::Lcm:
    return integerHelper(fn, a, c, type);
  case BinaryFn::Ldexp: {
    // ldexpCount (ScalarRules.h): the float-carried exponent truncated,
    // clamped past every finite result, NaN as 0.
    Value limit = constant(t, 100000.0, 0);
    Value negLimit = constant(t, -100000.0, 0);
    Value n = b.create<arith::SelectOp>(
        loc, b.create<arith::CmpFOp>(loc, FP::OLT, c, negLimit), negLimit, c);
    n = b.create<arith::SelectOp>(
        loc, b.create<arith::CmpFOp>(loc, FP::OGT, n, limit), limit, n);
    n = b.create<arith::SelectOp>(loc, isNaN(c), constant(t, 0.0, 0), n);
    Value count = b.create<arith::FPToSIOp>(loc, i32, n);
    return libm(t.isF32() ? "ldexpf" : "ldexp", t, {a, count});
  }
  case BinaryFn::Hypot:
    return libm(t.isF32() ? "hypotf" : "hypot", t, {a, c});
  case BinaryFn::Nextafter:
    return libm(t.isF32() ? "nextafterf" : "nextafter", t, {a, c});
  case BinaryFn::Copysign:
    return b.create<math::CopySignOp>(loc, a, c);
  case BinaryFn::Logaddexp:
  case BinaryFn::Logaddexp2: {
    // numpy's npy_logaddexp(2) (lib/Numeric/ScalarRules.h); both branches
    // are computed and selected.
    bool two = fn == BinaryFn::Logaddexp2;
    auto fnOf = [&](StringRef name, Value x) {
      return libm(t.isF32() ? (name + "f").str() : name.str(), t, x);
    };
    auto log1pExp = [&](Value x) -> Value {
      if (!two)
        return fnOf("log1p", fnOf("exp", x));
      return b.create<arith::MulFOp>(loc, constant(t, M_LOG2E, 0),
                                     fnOf("log1p", fnOf("exp2", x)));
    };
    Value d = b.create<arith::SubFOp>(loc, a, c);
    Value negD = b.create<arith::NegFOp>(loc, d);
    Value same = b.create<arith::AddFOp>(loc, a,
                                         constant(t, two ? 1.0 : M_LN2, 0));
    Value above = b.create<arith::AddFOp>(loc, a, log1pExp(negD));
    Value below = b.create<arith::AddFOp>(loc, c, log1pExp(d));
    Value zero = constant(t, 0.0, 0);
    Value r = b.create<arith::SelectOp>(
        loc, b.create<arith::CmpFOp>(loc, FP::OLE, d, zero), below, d);
    r = b.create<arith::SelectOp>(
        loc, b.create<arith::CmpFOp>(loc, FP::OGT, d, zero), above, r);
    return b.create<arith::SelectOp>(
        loc, b.create<arith::CmpFOp>(loc, FP::OEQ, a, c), same, r);
  }
  case BinaryFn::Heaviside: {
    Value zero = constant(t, 0.0, 0);
    Value step = b.create<arith::SelectOp>(
        loc, b.create<arith::CmpFOp>(loc, FP::OLT, a, zero), zero,
        constant(t, 1.0, 0));
    step = b.create<arith::SelectOp>(
        loc, b.create<arith::CmpFOp>(loc, FP::OEQ, a, zero), c, step);
    return b.create<arith::SelectOp>(
        loc, isNaN(a), constant(t, std::numeric_limits<double>::quiet_NaN(), 0),
        step);
  }
  case BinaryFn::Eq:
    return cmp(FP::OEQ, IP::eq, IP::eq);
  case BinaryFn::Ne:
    return cmp(FP::UNE, IP::ne, IP::ne);
  case BinaryFn::Lt:
    return cmp(FP::OLT, IP::slt, IP::ult);
  case BinaryFn::Le:
    return cmp(FP::OLE, IP::sle, IP::ule);
  case BinaryFn::Gt:
    return cmp(FP::OGT, IP::sgt, IP::ugt);
  case BinaryFn::Ge:
    return cmp(FP::OGE, IP::sge, IP::uge);
  case BinaryFn::LogicalAnd:
    return b.create<arith::AndIOp>(loc, isNonzero(a), isNonzero(c));
  case BinaryFn::LogicalOr:
    return b.create<arith::OrIOp>(loc, isNonzero(a), isNonzero(c));
  case BinaryFn::LogicalXor:
    return b.create<arith::XOrIOp>(loc, isNonzero(a), isNonzero(c));
  }
  llvm_unreachable("unknown binary function");
}

/// Philox4x32-10 (Philox.h) with the key schedule folded into constants.
std::array<Value, 4> KernelEmitter::philox(Value counter, uint64_t seed) {
  Value c0 = b.create<arith::TruncIOp>(loc, i32, counter);
  Value c1 = b.create<arith::TruncIOp>(
      loc, i32, b.create<arith::ShRUIOp>(loc, counter, i64Const(32)));
  Value c2 = constant(i32, 0, 0), c3 = constant(i32, 0, 0);
  uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
  Value m0 = constant(i32, 0, 0xD2511F53), m1 = constant(i32, 0, 0xCD9E8D57);
  for (int round = 0; round < 10; ++round) {
    auto p0 = b.create<arith::MulUIExtendedOp>(loc, m0, c0);
    auto p1 = b.create<arith::MulUIExtendedOp>(loc, m1, c2);
    Value n0 = b.create<arith::XOrIOp>(
        loc, b.create<arith::XOrIOp>(loc, p1.getHigh(), c1),
        constant(i32, 0, static_cast<int32_t>(k0)));
    Value n2 = b.create<arith::XOrIOp>(
        loc, b.create<arith::XOrIOp>(loc, p0.getHigh(), c3),
        constant(i32, 0, static_cast<int32_t>(k1)));
    c0 = n0;
    c1 = p1.getLow();
    c2 = n2;
    c3 = p0.getLow();
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return {c0, c1, c2, c3};
}

Value KernelEmitter::join64(Value hi, Value lo) {
  Value h = b.create<arith::ExtUIOp>(loc, i64, hi);
  Value l = b.create<arith::ExtUIOp>(loc, i64, lo);
  return b.create<arith::OrIOp>(
      loc, b.create<arith::ShLIOp>(loc, h, i64Const(32)), l);
}

Value KernelEmitter::randomValue(Operation *op, Value counter) {
  Type t = elementTypeOf(op->getResult(0));
  Type f64 = b.getF64Type();
  auto unit53 = [&](Value bits64, int64_t plus) {
    Value m = b.create<arith::ShRUIOp>(loc, bits64, i64Const(11));
    if (plus)
      m = b.create<arith::AddIOp>(loc, m, i64Const(plus));
    Value f = b.create<arith::UIToFPOp>(loc, f64, m);
    return b.create<arith::MulFOp>(loc, f, constant(f64, 0x1.0p-53, 0))
        .getResult();
  };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](RandomUniformOp r) -> Value {
        auto w = philox(counter, r.getSeed());
        double low = r.getLow().convertToDouble();
        double high = r.getHigh().convertToDouble();
        if (t.isF32()) {
          Type f32 = b.getF32Type();
          Value m = b.create<arith::ShRUIOp>(loc, w[0], constant(i32, 0, 8));
          Value u = b.create<arith::MulFOp>(
              loc, b.create<arith::UIToFPOp>(loc, f32, m),
              constant(f32, 0x1.0p-24, 0));
          Value scaled = b.create<arith::MulFOp>(
              loc, constant(f32, static_cast<float>(high - low), 0), u);
          return b.create<arith::AddFOp>(
              loc, constant(f32, static_cast<float>(low), 0), scaled);
        }
        Value u = unit53(join64(w[0], w[1]), 0);
        Value scaled =
            b.create<arith::MulFOp>(loc, constant(f64, high - low, 0), u);
        return b.create<arith::AddFOp>(loc, constant(f64, low, 0), scaled);
      })
      .Case([&](RandomNormalOp r) -> Value {
        auto w = philox(counter, r.getSeed());
        Value u1 = unit53(join64(w[0], w[1]), 1);
        Value u2 = unit53(join64(w[2], w[3]), 0);
        // The C library's scalar log and cos, as Philox.h's: the same
        // numbers for a seed on every machine, whatever its vector units.
        Value radius = b.create<math::SqrtOp>(
            loc, b.create<arith::MulFOp>(
                     loc, constant(f64, -2.0, 0),
                     libm("log", f64, u1, /*cLibrary=*/true)));
        Value angle = libm(
            "cos", f64,
            b.create<arith::MulFOp>(loc, constant(f64, 2.0 * M_PI, 0), u2)
                .getResult(),
            /*cLibrary=*/true);
        Value z = b.create<arith::MulFOp>(loc, radius, angle);
        Value v = b.create<arith::AddFOp>(
            loc, constant(f64, r.getLoc().convertToDouble(), 0),
            b.create<arith::MulFOp>(
                loc, constant(f64, r.getScale().convertToDouble(), 0), z));
        return castTo(v, f64, t);
      })
      .Case([&](RandomIntegersOp r) -> Value {
        auto w = philox(counter, r.getSeed());
        uint64_t range = static_cast<uint64_t>(r.getHigh()) -
                         static_cast<uint64_t>(r.getLow());
        auto product = b.create<arith::MulUIExtendedOp>(
            loc, join64(w[0], w[1]),
            i64Const(static_cast<int64_t>(range)));
        Value v = b.create<arith::AddIOp>(loc, i64Const(r.getLow()),
                                          product.getHigh());
        Type s = storageOf(t);
        return s == i64 ? v : b.create<arith::TruncIOp>(loc, s, v).getResult();
      });
}

Value KernelEmitter::emitOp(Operation *op, ArrayRef<Value> args,
                            Value counter) {
  Type resultType = elementTypeOf(op->getResult(0));
  if (auto u = dyn_cast<UnaryOpInterface>(op))
    return unary(u.getUnaryFn(), args[0], elementTypeOf(op->getOperand(0)),
                 resultType);
  if (auto bin = dyn_cast<BinaryOpInterface>(op))
    return binary(bin.getBinaryFn(), args[0], args[1],
                  elementTypeOf(op->getOperand(0)), resultType);
  if (isa<CastOp>(op))
    return castTo(args[0], elementTypeOf(op->getOperand(0)), resultType);
  if (isa<WhereOp>(op))
    return b.create<arith::SelectOp>(loc, args[0], args[1], args[2]);
  if (isa<RandomUniformOp, RandomNormalOp, RandomIntegersOp>(op))
    return randomValue(op, counter);
  // full / zeros / ones: the reference kernel's own value, as a constant.
  numeric::NDArray value(numeric::DType::F64, {});
  if (auto f = dyn_cast<FullOp>(op))
    value = scalarToNDArray(f.getValue());
  else if (isa<OnesOp>(op))
    value.data<double>()[0] = 1.0;
  numeric::NDArray v =
      numeric::full(toDType(resultType), {}, value);
  if (isa<FloatType>(resultType))
    return constant(resultType, v.getDouble(0), 0);
  return constant(resultType, 0, v.getInt(0));
}

/// The reduction's element: the input converted to the result dtype (sum,
/// prod, min, max, mean), its truth (any, all, count_nonzero) or its squared
/// deviation from `center` (deviations kernels).
Value KernelEmitter::reductionInput(Value v, Value center,
                                    Operation *reduction) {
  Operation *red = reduction ? reduction : src.reduction;
  auto r = cast<ReductionOpInterface>(red);
  Type rt = elementTypeOf(red->getResult(0));
  Type it = elementTypeOf(red->getOperand(0));
  Value x;
  switch (rule(r).contribution) {
  case Contribution::Nonzero:
    return castTo(isNonzero(v), i1, rt);
  case Contribution::Value:
    x = castTo(v, it, rt);
    break;
  case Contribution::ValueNaNAsZero:
    x = castTo(v, it, rt);
    if (isa<FloatType>(rt)) {
      Value nan = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, x, x);
      x = b.create<arith::SelectOp>(loc, nan, constant(rt, 0.0, 0), x);
    }
    break;
  }
  if (reduction || !src.deviations)
    return x;
  Value d = binary(BinaryFn::Sub, x, center, rt, rt);
  return binary(BinaryFn::Mul, d, d, rt, rt);
}

Value KernelEmitter::centerAt(Value outOffset) {
  if (!src.deviations)
    return nullptr;
  return load(centerPtr, outOffset,
              elementTypeOf(src.reduction->getResult(0)));
}

Value KernelEmitter::combine(Value acc, Value v, Operation *reduction) {
  Operation *red = reduction ? reduction : src.reduction;
  auto r = cast<ReductionOpInterface>(red);
  Type t = elementTypeOf(red->getResult(0));
  switch (rule(r).combine) {
  case Combine::Add:
  case Combine::Moments: // A moments kernel sums; the runtime divides.
    return binary(BinaryFn::Add, acc, v, t, t);
  case Combine::Mul:
    return binary(BinaryFn::Mul, acc, v, t, t);
  case Combine::Min:
    if (t == i1)
      return b.create<arith::AndIOp>(loc, acc, v);
    return binary(BinaryFn::Minimum, acc, v, t, t);
  case Combine::Max:
    if (t == i1)
      return b.create<arith::OrIOp>(loc, acc, v);
    return binary(BinaryFn::Maximum, acc, v, t, t);
  case Combine::Or:
    return b.create<arith::OrIOp>(loc, acc, v);
  case Combine::And:
    return b.create<arith::AndIOp>(loc, acc, v);
  case Combine::ArgMin:
  case Combine::ArgMax:
    break; // argTake() carries the index.
  }
  llvm_unreachable("arg reductions combine through argTake");
}


Value KernelEmitter::identityOf(Type type, Operation *reduction) {
  auto extreme = [&](bool largest) -> Value {
    if (type == i1)
      return constant(i1, 0, largest ? 1 : 0);
    if (isa<FloatType>(type))
      return constant(type, largest ? INFINITY : -INFINITY, 0);
    return constant(type, 0, integerExtreme(type, largest));
  };
  switch (rule(cast<ReductionOpInterface>(reduction ? reduction
                                                     : src.reduction))
              .combine) {
  case Combine::Mul:
    return constant(type, 1.0, 1);
  case Combine::Min:
    return extreme(/*largest=*/true);
  case Combine::Max:
    return extreme(/*largest=*/false);
  case Combine::And:
    return constant(type, 0, 1);
  default: // Add, Or, Moments
    return constant(type, 0.0, 0);
  }
}

} // namespace mars::codegen
