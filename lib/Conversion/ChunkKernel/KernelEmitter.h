//===- KernelEmitter.h - Scalar rules and loops of chunk kernels -*- C++ -*-===//
//
// Private to lib/Conversion/ChunkKernel. One emitter builds a chunk kernel
// (ChunkKernel.h) for either target: the scalar rules (casts, arithmetic,
// Philox, reductions' combiners) are shared, so CPU and GPU kernels compute
// the same elements; the loop structure differs:
//
// The scalar rules are in ScalarRules.cpp.
//
//  * CPU (BuildKernel.cpp): rows times vectorisable runs of the last
//    dimension, row blocks in an scf.parallel loop (OpenMP);
//  * GPU (BuildGpuKernel.cpp): one gpu.func per launch shape; threads of a
//    block walk a row together (coalesced), blocks walk rows, and reductions
//    are a thread per output element or a block-level tree per output
//    element combined across blocks in a fixed order.
//
// Transcendental functions are calls on the CPU (Libm.h's functions,
// bitwise the reference evaluator's: libmvec's where the CPU has AVX2, which
// the loop vectorizer calls 4 or 8 elements at a time) and calls of
// libdevice's functions on the GPU (within a few ulps).
// numpy's integer power, gcd and lcm (and floored division and remainder of
// floats) are calls to the ScalarABI.h helpers on the CPU and the same
// algorithms inline on the GPU; integer floored division and remainder are
// inline on both (they vectorise, and fold by constants).
//
//===----------------------------------------------------------------------===//

#ifndef MARS_LIB_CONVERSION_CHUNKKERNEL_KERNELEMITTER_H
#define MARS_LIB_CONVERSION_CHUNKKERNEL_KERNELEMITTER_H

#include "mars/Conversion/ChunkKernel.h"
#include "mars/Numeric/Reductions.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"

#include <array>

namespace mars::codegen {

/// A reduction's row in Reductions.h's table.
inline const numeric::ReductionRule &rule(ReductionOpInterface r) {
  return numeric::reductionRule(r.getReduceFn());
}

inline mlir::Type elementTypeOf(mlir::Value v) {
  return llvm::cast<mlir::RankedTensorType>(v.getType()).getElementType();
}

/// The largest (or smallest) value of the integer Mars type `t` (ui8 is
/// uint8), as the int64 whose low bits are it.
inline int64_t integerExtreme(mlir::Type t, bool largest) {
  unsigned bits = t.getIntOrFloatBitWidth();
  llvm::APInt v = t.isUnsignedInteger()
                      ? (largest ? llvm::APInt::getMaxValue(bits)
                                 : llvm::APInt::getMinValue(bits))
                      : (largest ? llvm::APInt::getSignedMaxValue(bits)
                                 : llvm::APInt::getSignedMinValue(bits));
  return v.getSExtValue();
}

enum class KernelTarget { CPU, GPU };

class KernelEmitter {
public:
  KernelEmitter(const KernelSource &src, mlir::ModuleOp module,
                mlir::Location loc, KernelTarget target = KernelTarget::CPU);

  /// CPU: `func.func @name(ptrs, meta)` in the module.
  mlir::LogicalResult emit(llvm::StringRef name, bool parallel);
  /// GPU: the kernels of GpuKernelABI (ChunkKernel.h) in `gpuModule`.
  mlir::LogicalResult emitGpu(mlir::gpu::GPUModuleOp gpuModule,
                              llvm::StringRef name);

private:
  using Value = mlir::Value;
  using Type = mlir::Type;

  // Constants and memory.
  Value i64Const(int64_t v);
  Value indexConst(int64_t v);
  Value constant(Type type, double fv, int64_t iv);
  Value loadMeta(int64_t k);
  /// Loads ptrs[i].
  Value loadPtr(int32_t i);
  /// Where the arguments are (ChunkKernel.h).
  KernelABI abi() const {
    return KernelABI(rank, numInputs, target == KernelTarget::GPU);
  }
  /// The alignment memory accesses of `t` state (0: the datalayout's).
  unsigned alignOf(Type t) const;
  Value load(Value base, Value offset, Type elementType);
  void store(Value base, Value offset, Value value);

  // Scalar rules. Types given to them are Mars element types (ui8 is
  // uint8); the values are in arith's signless types (storageOf), so the
  // rules take the Mars type of their operands to choose numpy's signed or
  // unsigned semantics.
  Value emitOp(mlir::Operation *op, llvm::ArrayRef<Value> args, Value counter);
  Value unary(numeric::UnaryFn fn, Value x, Type type, Type resultType);
  Value binary(numeric::BinaryFn fn, Value a, Value c, Type type,
               Type resultType);
  Value castTo(Value x, Type from, Type to);
  /// The kernel's type for values of Mars element type `t`: signless for
  /// unsigned integers, `t` itself otherwise.
  Type storageOf(Type t) const;
  /// An integer of Mars type `t` extended to the type numpy's integer
  /// helpers exist for (i32 for 8- and 16-bit integers, i64 for ui32, else
  /// unchanged), returned with that Mars type; narrow() truncates back.
  std::pair<Value, Type> widen(Value x, Type t);
  Value narrow(Value x, Type t);
  /// numpy's power, gcd or lcm of integers of Mars type `t`: a ScalarABI.h
  /// helper (CPU) or its inline form (GPU), at the widened type.
  Value integerHelper(numeric::BinaryFn fn, Value a, Value c, Type t);
  Value isNonzero(Value x);
  Value isNaN(Value x);
  /// A function of libm by its C name (exp, logf, pow, ...): a call of
  /// numeric::libm's form on the CPU (libm::cpuSymbol), of libdevice's on
  /// the GPU. `cLibrary` (log and cos only): the C library's scalar function
  /// on the CPU and the GPU emulator, libdevice's on the device, as the
  /// random normal generator's reference (Philox.h) calls them.
  Value libm(llvm::StringRef name, Type type, mlir::ValueRange args,
             bool cLibrary = false);
  Value call(llvm::StringRef fn, Type type, mlir::ValueRange args);
  std::array<Value, 4> philox(Value counter, uint64_t seed);
  Value join64(Value hi, Value lo);
  Value randomValue(mlir::Operation *op, Value counter);
  /// Folds `v` into `acc` for `reduction` (default: the kernel's).
  Value combine(Value acc, Value v, mlir::Operation *reduction = nullptr);
  /// The element `v` as `reduction` (default: the kernel's) folds it;
  /// `center`: the mean a deviations kernel subtracts (else null).
  Value reductionInput(Value v, Value center,
                       mlir::Operation *reduction = nullptr);
  /// A deviations kernel's mean for the output element at `outOffset`, or
  /// null for every other kernel.
  Value centerAt(Value outOffset);
  /// The value every combine of `reduction` (default: the kernel's) starts
  /// from (sum 0, prod 1, min +inf, ...).
  Value identityOf(Type type, mlir::Operation *reduction = nullptr);

  // Inline forms of the ScalarABI.h helpers (the GPU's, and integer
  // division and remainder on the CPU too); integers are signed but for
  // `isUnsigned`.
  Value inlineFloorDiv(Value a, Value c, bool isUnsigned = false);
  Value inlineMod(Value a, Value c, bool isUnsigned = false);
  Value inlinePow(Value a, Value c, bool isUnsigned = false);
  /// numpy's gcd (or lcm) of two integers of one type.
  Value inlineGcdLcm(Value a, Value c, bool lcm, bool isUnsigned = false);
  Value fmod(Value a, Value c);
  /// numpy's npy_divmod for floats: the floored quotient and the remainder.
  std::pair<Value, Value> floatDivmod(Value a, Value c);

  /// The kernel's value at element `j` of a row, given each input's offset
  /// of the row's first element (inBase), the row's random counters and the
  /// last dimension's strides; or at the multi-index `idx` (GPU reductions).
  /// `coordOf(d)` is the element's coordinate along iteration dimension d
  /// in the whole value (origin + index): inner reductions place their
  /// operands' elements with it.
  Value evaluate(llvm::DenseMap<Value, Value> &env,
                 llvm::function_ref<Value(mlir::Operation *)> counterOf,
                 llvm::function_ref<Value(unsigned)> coordOf);
  /// An inner reduction of a fused body (see mars.fused) at the element
  /// whose coordinates coordOf gives: its reduced axes unrolled (at most
  /// FusedOp::kMaxInnerReduced elements), its domain evaluated per element
  /// in the reference's order. `env` holds the body's other values there.
  Value innerReduction(mlir::Operation *reduction,
                       const llvm::DenseMap<Value, Value> &env,
                       llvm::function_ref<Value(unsigned)> coordOf);
  Value elementAt(llvm::ArrayRef<Value> idx);

  // CPU loop structure.
  /// Rows of at most this many elements are short: the kernel's parallel
  /// loop then takes blocks of whole rows, and the inner loop has a constant
  /// trip count that LLVM unrolls, vectorising across rows instead.
  static constexpr int64_t kShortRow = 16;
  static constexpr int64_t kRowsPerBlock = 1024;
  /// A loop over [0, total) calling `body(iv)`. A `parallel` one is emitted
  /// twice, under the launch's `threaded` word (KernelABI::threaded): an
  /// scf.parallel (an OpenMP parallel loop after lowering) and an scf.for
  /// that never enters the OpenMP runtime.
  void emitLoop(Value total, bool parallel, llvm::function_ref<void(Value)> body);
  /// `then` under the launch's `threaded` word, `otherwise` without it.
  void ifThreaded(llvm::function_ref<void()> then,
                  llvm::function_ref<void()> otherwise);
  /// Iteration `t` of the general loop: one block of one row.
  void emitBlock(Value t, bool reduceLast);
  /// Iteration `t` of the short-row loop: kRowsPerBlock whole rows.
  void emitRowBlock(Value t, int64_t staticCols, bool reduceLast);
  /// Elements [c0, c1) of row `row`, every `step`-th (default 1). With
  /// `partial`, a reduction over the last axis starts from the identity and
  /// returns its accumulator there instead of combining it into the output.
  void emitRow(Value row, Value c0, Value c1, bool reduceLast,
               Value *partial = nullptr, Value step = nullptr);
  /// argmin/argmax (isArgReduction): the partial after element `v` with
  /// index `index` (value, index).
  std::pair<Value, Value> argTake(Value accValue, Value accIndex, Value v,
                                  Value index);
  /// emitRow of an argmin/argmax: `idx` is the row's multi-index (every
  /// dimension but the last).
  void emitArgRow(llvm::ArrayRef<Value> idx, Value outBase, Value lb, Value ub,
                  Value step, bool reduceLast,
                  llvm::function_ref<Value(mlir::OpBuilder &, Value)> element);
  /// An scf.for over [lb, ub) by `step` (index or i64 values) calling
  /// `body(i)` with the induction variable as an i64, at the body's end.
  void forEach(Value lb, Value ub, Value step,
               llvm::function_ref<void(Value)> body);
  /// A map's elements [lb, ub) (index values) of the row starting at
  /// `outBase` in the output, whose last stride is 1, written with streaming
  /// stores: tiles of kStreamTile elements are computed into a stack buffer
  /// that stays in L1, then copied out, the 64-byte-aligned part with
  /// non-temporal vector stores. Ends with a fence: streaming stores are
  /// weakly ordered, and the task's reader may run on another core.
  void emitStreamedRow(Value outBase, Value lb, Value ub,
                       llvm::function_ref<Value(mlir::OpBuilder &, Value)>
                           element);
  static constexpr int64_t kStreamTile = 1024;
  /// argmin/argmax along a row: elements per block whose extreme is found
  /// with a vectorised fold before the block is scanned in order.
  static constexpr int64_t kArgBlock = 512;
  static constexpr int64_t kStreamLine = 64;
  /// Set while emitRowBlock emits its rows (short rows are not streamed).
  bool inShortRows = false;
  /// A reduction of a 1-d box to one element: blocks of the row in parallel,
  /// combined by an scf.reduce (an OpenMP reduction after lowering).
  void emitParallelRowReduction();
  /// Whether emitParallelRowReduction applies: sums, counts and products,
  /// whose combiners OpenMP reductions take.
  bool hasParallelCombiner() const;

  /// Loads sizes, origin, strides and pointers from the kernel's arguments.
  void loadArguments(Value ptrsArg, Value metaArg);

  // GPU kernels (BuildGpuKernel.cpp).
  mlir::gpu::GPUFuncOp beginGpuFunc(mlir::gpu::GPUModuleOp gpuModule,
                                    llvm::StringRef name,
                                    llvm::ArrayRef<mlir::Type> workgroup = {});
  void emitGpuMap();
  void emitGpuMapFlat();
  /// The reduction's output element `o` (of K) and its multi-index over the
  /// kept dimensions; the reduced element `r` (of N) over the reduced ones.
  void splitKept(Value o, llvm::SmallVectorImpl<Value> &idx);
  void splitReduced(Value r, llvm::SmallVectorImpl<Value> &idx);
  Value outOffset(llvm::ArrayRef<Value> idx);
  /// Folds the reduced elements lb, lb + step, ... (< N) of the output
  /// element at `kept` into `init`.
  Value foldReduced(llvm::ArrayRef<Value> kept, Value lb, Value step,
                    Value init);
  void emitGpuReduceSeq();
  void emitGpuReduceTree(Value shared);
  void emitGpuReduceCombine();
  /// A loop over [lb, ub) by `step` (i64 bounds) calling `body(iv)`.
  void emitStrided(Value lb, Value ub, Value step,
                   llvm::function_ref<void(Value)> body);
  Value globalThreadX();
  Value threadsX();

  const KernelSource &src;
  mlir::ModuleOp module;
  mlir::OpBuilder b;
  mlir::Location loc;
  KernelTarget target;
  unsigned rank, numInputs;
  Type i1, i8, i32, i64, ptrType;

  Value ptrs, meta, blockCols, numBlocks, rows, cols;
  llvm::SmallVector<Value> sizes, origin, outStrides, inPtrs;
  llvm::SmallVector<llvm::SmallVector<Value>> inStrides;
  Value outPtr;
  /// Deviations kernels: the means, laid out as the output.
  Value centerPtr;
  /// argmin/argmax: the partial's indices (ptrs[n+1]).
  Value indexPtr;
  /// GPU reductions: where block partials go, the error flag, the number of
  /// splits per output element, outputs K and reduced elements N.
  Value scratchPtr, errorPtr, splits, numOutputs, numReduced;
  llvm::SmallVector<int64_t> reducedAxes;
  /// Ops of src.ops that only inner reductions' domains use: evaluated per
  /// element of those domains, not of the iteration space.
  llvm::SmallPtrSet<mlir::Operation *, 8> innerOnly;
  /// Per input: the inner reduction whose domain reads it (null for inputs
  /// read in the iteration space), and its strides along that reduction's
  /// reduced axes (the meta words after the others).
  llvm::SmallVector<mlir::Operation *> innerReader;
  llvm::SmallVector<llvm::SmallVector<Value>> innerStrides;
  /// While an element is evaluated: the offset, in the iteration space, of
  /// each input an inner reduction reads (its reduced axes at 0).
  llvm::DenseMap<Value, Value> innerBase;
  /// The gpu.module GPU kernels are built in (their callees live there).
  mlir::Operation *gpuScope = nullptr;
};

} // namespace mars::codegen

#endif // MARS_LIB_CONVERSION_CHUNKKERNEL_KERNELEMITTER_H
