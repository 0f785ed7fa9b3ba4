//===- GpuKernelsOnHost.cpp - GPU kernels as host functions, for testing --===//
//
// Rewrites the gpu.funcs of a GPU kernel module into plain functions of the
// host, so that the GPU runtime (the device tier, launch shapes, block trees,
// write-back) can be tested on a machine without a GPU: a block's threads
// become calls with the thread's coordinates as arguments, gpu.barrier a
// call into the emulator, workgroup memory a buffer the emulator passes.
// The kernels' scalar code is the GPU kernels' own, lowered for the CPU.
//
//===----------------------------------------------------------------------===//

#include "mars/Conversion/ChunkKernel.h"
#include "mars/Conversion/LowerGpuKernel.h"
#include "mars/Numeric/Libm.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

#include <cmath>

using namespace mlir;

namespace {

/// Replaces the loads and stores of workgroup array `array` with accesses
/// through `base`, a pointer to the emulator's buffer.
LogicalResult rewriteWorkgroupAccesses(Value array, Value base) {
  OpBuilder b(array.getContext());
  auto ptr = LLVM::LLVMPointerType::get(array.getContext());
  Type element = cast<MemRefType>(array.getType()).getElementType();
  for (Operation *user : llvm::make_early_inc_range(array.getUsers())) {
    b.setInsertionPoint(user);
    auto address = [&](ValueRange indices) -> Value {
      Value i = b.create<arith::IndexCastOp>(user->getLoc(), b.getI64Type(),
                                             indices[0]);
      return b.create<LLVM::GEPOp>(user->getLoc(), ptr, element, base,
                                   ArrayRef<LLVM::GEPArg>{i});
    };
    if (auto load = dyn_cast<memref::LoadOp>(user)) {
      if (load.getIndices().size() != 1)
        return load.emitError("workgroup arrays are 1-d");
      Value v = b.create<LLVM::LoadOp>(load.getLoc(), element,
                                       address(load.getIndices()));
      load.replaceAllUsesWith(v);
      load.erase();
      continue;
    }
    if (auto store = dyn_cast<memref::StoreOp>(user)) {
      if (store.getIndices().size() != 1)
        return store.emitError("workgroup arrays are 1-d");
      b.create<LLVM::StoreOp>(store.getLoc(), store.getValueToStore(),
                              address(store.getIndices()));
      store.erase();
      continue;
    }
    return user->emitError("unexpected use of a workgroup array");
  }
  return success();
}

} // namespace

LogicalResult mars::codegen::convertGpuKernelsForHost(ModuleOp module) {
  MLIRContext *ctx = module.getContext();
  OpBuilder b(ctx);
  Location loc = module.getLoc();
  Type ptr = LLVM::LLVMPointerType::get(ctx);
  Type i64 = b.getI64Type();
  b.setInsertionPointToEnd(module.getBody());
  auto barrier = b.create<func::FuncOp>(
      loc, kGpuEmulatorBarrier, b.getFunctionType({ptr}, {}));
  barrier.setPrivate();

  SmallVector<gpu::GPUModuleOp> gpuModules(module.getOps<gpu::GPUModuleOp>());
  for (gpu::GPUModuleOp gpuModule : gpuModules) {
    for (Operation &op :
         llvm::make_early_inc_range(gpuModule.getBody()->getOperations())) {
      // Declarations of what kernels call (libdevice's functions).
      if (auto decl = dyn_cast<func::FuncOp>(op)) {
        if (!module.lookupSymbol(decl.getName()))
          decl->moveBefore(barrier);
        continue;
      }
      auto kernel = dyn_cast<gpu::GPUFuncOp>(op);
      if (!kernel)
        continue;
      if (kernel.getNumPrivateAttributions() != 0 ||
          kernel.getNumWorkgroupAttributions() > 1)
        return kernel.emitError("the GPU emulator takes kernels with at most "
                                "one workgroup array and no private ones");
      b.setInsertionPointToEnd(module.getBody());
      auto host = b.create<func::FuncOp>(
          kernel.getLoc(), kernel.getName(),
          b.getFunctionType({ptr, ptr, i64, i64, i64, i64, i64, ptr, ptr},
                            {}));
      IRMapping mapping;
      kernel.getBody().cloneInto(&host.getBody(), mapping);
      Block &entry = host.getBody().front();
      const unsigned oldArgs = entry.getNumArguments();
      SmallVector<Value> extra;
      for (Type t : {i64, i64, i64, i64, i64, ptr, ptr})
        extra.push_back(entry.addArgument(t, kernel.getLoc()));
      Value thread = extra[0], blockX = extra[1], blockY = extra[2],
            gridX = extra[3], gridY = extra[4], shared = extra[5],
            barrierState = extra[6];
      for (unsigned i = 2; i < oldArgs; ++i)
        if (failed(rewriteWorkgroupAccesses(entry.getArgument(i), shared)))
          return failure();
      entry.eraseArguments(2, oldArgs - 2);

      SmallVector<Operation *> gpuOps;
      host.walk([&](Operation *inner) {
        if (isa<gpu::GPUDialect>(inner->getDialect()))
          gpuOps.push_back(inner);
      });
      for (Operation *g : gpuOps) {
        b.setInsertionPoint(g);
        Location l = g->getLoc();
        auto index = [&](Value v) -> Value {
          return b.create<arith::IndexCastOp>(l, b.getIndexType(), v);
        };
        auto constant = [&](int64_t v) -> Value {
          return b.create<arith::ConstantIndexOp>(l, v);
        };
        Value replacement;
        if (auto t = dyn_cast<gpu::ThreadIdOp>(g))
          replacement = t.getDimension() == gpu::Dimension::x ? index(thread)
                                                             : constant(0);
        else if (auto t = dyn_cast<gpu::BlockIdOp>(g))
          replacement = t.getDimension() == gpu::Dimension::x   ? index(blockX)
                        : t.getDimension() == gpu::Dimension::y ? index(blockY)
                                                                : constant(0);
        else if (auto t = dyn_cast<gpu::GridDimOp>(g))
          replacement = t.getDimension() == gpu::Dimension::x   ? index(gridX)
                        : t.getDimension() == gpu::Dimension::y ? index(gridY)
                                                                : constant(1);
        else if (auto t = dyn_cast<gpu::BlockDimOp>(g))
          replacement = constant(t.getDimension() == gpu::Dimension::x
                                     ? kGpuBlockSize
                                     : 1);
        else if (isa<gpu::BarrierOp>(g))
          b.create<func::CallOp>(l, barrier, ValueRange{barrierState});
        else if (isa<gpu::ReturnOp>(g))
          b.create<func::ReturnOp>(l);
        else
          return g->emitError("the GPU emulator does not run this op");
        if (replacement)
          g->getResult(0).replaceAllUsesWith(replacement);
        g->erase();
      }
      kernel.erase();
    }
    gpuModule.erase();
  }
  // GPU kernels call libm's functions by libdevice's names (bound by
  // forEachLibdeviceOnHost); the math ops left (sqrt, and the random normal
  // generator's log and cos) lower to LLVM intrinsics, the C library's.
  module->removeAttr(gpu::GPUDialect::getContainerModuleAttrName());
  return success();
}

void mars::codegen::forEachLibdeviceOnHost(
    llvm::function_ref<void(const char *name, void *address)> fn) {
  // The functions of Libm.h: the reference kernels' (and the CPU kernels')
  // algorithm for each, so that the emulator's elements are theirs.
#define MARS_LIBM(name, arity) MARS_LIBM_##arity(name)
#define MARS_LIBM_1(name)                                                      \
  fn("__nv_" #name, reinterpret_cast<void *>(static_cast<double (*)(double)>(  \
                        &numeric::libm::name)));                               \
  fn("__nv_" #name "f", reinterpret_cast<void *>(                              \
                            static_cast<float (*)(float)>(&numeric::libm::name)));
#define MARS_LIBM_2(name)                                                      \
  fn("__nv_" #name,                                                            \
     reinterpret_cast<void *>(static_cast<double (*)(double, double)>(         \
         &numeric::libm::name)));                                              \
  fn("__nv_" #name "f",                                                        \
     reinterpret_cast<void *>(                                                 \
         static_cast<float (*)(float, float)>(&numeric::libm::name)));
  MARS_LIBM_VECTOR_FUNCTIONS(MARS_LIBM)
#undef MARS_LIBM_2
#undef MARS_LIBM_1
#undef MARS_LIBM
  // The others compute what C99's do (libdevice's fmod is exact, as C's).
  using F64 = double (*)(double);
  using F32 = float (*)(float);
  using F64x2 = double (*)(double, double);
  using F32x2 = float (*)(float, float);
  fn("__nv_fmod", reinterpret_cast<void *>(static_cast<F64x2>(&::fmod)));
  fn("__nv_fmodf", reinterpret_cast<void *>(static_cast<F32x2>(&::fmodf)));
  fn("__nv_tgamma", reinterpret_cast<void *>(static_cast<F64>(&::tgamma)));
  fn("__nv_tgammaf", reinterpret_cast<void *>(static_cast<F32>(&::tgammaf)));
  fn("__nv_lgamma", reinterpret_cast<void *>(static_cast<F64>(&::lgamma)));
  fn("__nv_lgammaf", reinterpret_cast<void *>(static_cast<F32>(&::lgammaf)));
  fn("__nv_nextafter",
     reinterpret_cast<void *>(static_cast<F64x2>(&::nextafter)));
  fn("__nv_nextafterf",
     reinterpret_cast<void *>(static_cast<F32x2>(&::nextafterf)));
  fn("__nv_ldexp", reinterpret_cast<void *>(
                       static_cast<double (*)(double, int)>(&::ldexp)));
  fn("__nv_ldexpf", reinterpret_cast<void *>(
                        static_cast<float (*)(float, int)>(&::ldexpf)));
}
