//===- ChunkKernel.h - Loop-level kernels for chunk computations -*- C++ -*-===//
//
// A chunk kernel computes one region (a box) of a fused group for one chunk
// task: a map kernel writes every element of the box, a reduction kernel
// folds every element of the box into the reduction's partial result. The
// kernel is built as a `func.func` over scf/arith/llvm and then lowered to
// native code (LowerKernel.h); the runtime calls it with
//
//   void kernel(void **ptrs, const int64_t *meta)
//
// where ptrs[0..n) are the inputs' element pointers and ptrs[n] the output's,
// and `meta` describes the box (R = the rank of the iteration space: the
// computed value's rank, or the reduction input's rank):
//
//   meta[0, R)                  the box's sizes
//   meta[R, 2R)                 the box's origin in the whole value (random
//                               ops draw with the global flat index)
//   meta[2R + i*R, 2R + i*R+R)  input i's strides, in elements, per
//                               iteration dimension (0 where it broadcasts)
//   meta[2R + n*R, 2R + n*R+R)  the output's strides (a reduction's partial:
//                               0 along reduced dimensions)
//   meta[2R + (n+1)*R]          1: split the box over the calling thread's
//                               OpenMP team; 0: run it on the calling thread
//                               alone, without entering the OpenMP runtime
//                               (a parallel region costs a fork and, in
//                               Debian's libomp, a formatted debug string
//                               per loop: several microseconds, more than a
//                               small chunk's work)
//   then, for each input an inner reduction of a mars.fused body reads
//   (FusedOp::innerReductionReading), in input order, its strides along
//   that reduction's reduced axes (the input's other strides above follow
//   the iteration dimensions through the reduction's result: the region
//   the runtime passes is tiling::fusedInputRegion)
//
// Bool elements are bytes (0/1). A reduction kernel combines into the output,
// which the caller fills with the reduction's identity first.
//
// mean/var/std partials take two kernels over the same box, each folding the
// fused chain's elements without storing them: the first sums the elements
// (in the result dtype), the runtime divides by the count to get the box's
// mean; the second (KernelSource::deviations) sums the squared deviations
// from that mean, M2, reading the mean from one more pointer, ptrs[n+1],
// laid out as the output (the same strides). This is numpy's two-pass
// algorithm per chunk; chunks combine with Chan's update of (count, mean, M2).
//
// GPU kernels (buildGpuKernel) take the same two arguments, in device memory,
// with two more pointers, and the word after the output's strides holds:
//
//   ptrs[n+1]                   scratch for block partials (`_tree`)
//   ptrs[n+2]                   an i32 error flag the kernel sets to 1 when a
//                               scalar rule fails (integer power < 0)
//   ptrs[n+3]                   the mean of a `deviations` kernel
//   meta[2R + (n+1)*R]          S, the blocks per output element (`_tree`)
//
// and are launched with kGpuBlockSize threads per block:
//
//   name            map: grid (X, Y); blocks y walk rows (every dimension
//                   but the last), threads x walk the row
//   name_flat       map: grid (X); threads walk the box's elements in C order
//                   (for boxes whose rows are short)
//   name_seq        reduction, a thread per output element: grid (X)
//   name_tree       reduction, grid (S, Y): blocks (s, y) fold every
//                   (S * kGpuBlockSize)-th element of output element y into
//                   the output (S == 1) or scratch[y * S + s]
//   name_combine    folds scratch[o * S + 0 .. S) into output o: grid (X)
//
//===----------------------------------------------------------------------===//

#ifndef MARS_CONVERSION_CHUNKKERNEL_H
#define MARS_CONVERSION_CHUNKKERNEL_H

#include "mars/Dialect/Mars/IR/Mars.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::gpu {
class GPUModuleOp;
} // namespace mlir::gpu

namespace mars::codegen {

/// Where each argument of a chunk kernel lives in `ptrs` and `meta`: the
/// layout above, written once. The emitters load the arguments at these
/// indices and the runtime's launches encode them there
/// (chunked::KernelArgs).
class KernelABI {
public:
  KernelABI(unsigned rank, unsigned numInputs, bool gpu)
      : rank(rank), numInputs(numInputs), gpu(gpu) {}

  /// meta: the box's size and origin along iteration dimension `d`.
  int64_t size(unsigned d) const { return d; }
  int64_t origin(unsigned d) const { return rank + d; }
  /// meta: input `i`'s stride along iteration dimension `d`; i ==
  /// numInputs is the output.
  int64_t stride(unsigned i, unsigned d) const {
    return 2 * rank + i * rank + d;
  }
  int64_t outputStride(unsigned d) const { return stride(numInputs, d); }
  /// meta, GPU: S, the blocks per output element of `_tree`.
  int64_t splits() const { return stride(numInputs + 1, 0); }
  /// meta, CPU: whether the launch splits the box over OpenMP threads.
  int64_t threaded() const { return stride(numInputs + 1, 0); }
  /// meta: the first of the inner reductions' strides, which run to the
  /// end.
  int64_t innerStrides() const { return splits() + 1; }

  /// ptrs: input `i`'s elements, the output's.
  int32_t input(unsigned i) const { return static_cast<int32_t>(i); }
  int32_t output() const { return static_cast<int32_t>(numInputs); }
  /// ptrs: a deviations kernel's means (CPU and GPU), an argmin/argmax
  /// kernel's indices (CPU).
  int32_t center() const { return output() + (gpu ? 3 : 1); }
  /// ptrs, GPU only: the block partials' scratch and the error flag.
  int32_t scratch() const { return output() + 1; }
  int32_t errorFlag() const { return output() + 2; }
  /// How many pointers a launch passes.
  int32_t numPtrs() const { return center() + 1; }

  const unsigned rank, numInputs;
  const bool gpu;
};

/// What a kernel computes, described in terms of the tiled IR.
struct KernelSource {
  /// The values the kernel reads, in ptrs order.
  llvm::SmallVector<mlir::Value> inputs;
  /// Elementwise and creation ops computing `target`, in program order.
  llvm::SmallVector<mlir::Operation *> ops;
  /// The value computed per element of the iteration space.
  mlir::Value target;
  /// When set, the kernel reduces `target` with it (target is its operand).
  mlir::Operation *reduction = nullptr;
  /// mean/var/std: sum (x - mean)^2 instead of x, the mean read per output
  /// element from the pointer after the output's (see above).
  bool deviations = false;
  /// A map kernel of a value the program only returns, too large to stay in
  /// cache (isStreamedResult): the CPU kernel writes it with non-temporal
  /// (streaming) stores, which do not read each output cache line from
  /// memory before overwriting it, a third of a copy's traffic.
  bool streamingStores = false;

  unsigned rank() const;

  /// The kernel computing the chunks of `op`: an elementwise op, a
  /// mars.fused op (map or reduction root) or a reduction. Fails, with the
  /// reason in `why`, for what has no compiled form (see
  /// isCompiledReduction). For a mars.fused with several results, `root`
  /// says which root's partial the kernel computes.
  static mlir::FailureOr<KernelSource> forOp(mlir::Operation *op,
                                            std::string &why,
                                            bool forGpu = false,
                                            unsigned root = 0);
  /// The map kernel computing `target`, a value of `fused`'s body.
  static mlir::FailureOr<KernelSource>
  forFusedValue(FusedOp fused, mlir::Value target, std::string &why);
};

/// Which of an op's kernels a KernelSource is.
enum class KernelRole : uint8_t {
  /// The op's own: its chunk (a map) or a root's partial (a reduction).
  Op,
  /// The squared-deviations kernel of a var/std partial (see above).
  Deviations,
  /// The map kernel of a fused reduction's input, when the runtime computes
  /// the partial from it (a reduction with no compiled partial, argmin and
  /// argmax on the GPU).
  FusedInput,
};

/// One kernel of an op: its role and, in a multi-output group, its root.
struct OpKernelSource {
  KernelRole role;
  unsigned root;
  KernelSource source;
};

/// Every kernel the runtime launches for `op` (the one place that knows
/// them: mars-outline-kernels, `mars-run --emit` and the chunk runtime all
/// read this list), for the CPU or the GPU. An op none of whose chunks runs
/// a kernel gets an empty list. When the op (or one of its roots) runs
/// without its own kernel, `why` says why.
llvm::SmallVector<OpKernelSource> kernelsOf(mlir::Operation *op,
                                            bool forGpu, std::string &why);

/// The suffix a kernel's symbol takes after its op's kernel name: "" for
/// root 0's own kernel, "_deviations", "_root<I>", "_input<I>" and
/// combinations ("_root1_deviations").
std::string kernelSuffix(KernelRole role, unsigned root);

/// Reductions whose per-chunk partial kernels compute: sum, prod, min, max,
/// any, all and count_nonzero in one pass, mean in one and var/std in two
/// (see above), and argmin/argmax on the CPU (see isArgReduction). On the
/// GPU, argmin/argmax partials are computed by the runtime from a map
/// kernel's output.
bool isCompiledReduction(mlir::Operation *op);
/// argmin/argmax: the kernel's partial is a value (the input's dtype, at
/// ptrs[n]) and an i64 index (at ptrs[n+1], -1 before the first element),
/// the index of the first extreme (the first NaN) in the box, global: along
/// the axis, or in the flattened operand when the op has no axis. Elements
/// are visited in C order and only a strictly better one (or a first NaN)
/// replaces the partial, so earlier elements win ties.
bool isArgReduction(mlir::Operation *op);
/// The dimensions of its operand a reduction's kernel reduces: its reduced
/// axes, or every dimension for an argmin/argmax without an axis.
llvm::SmallVector<int64_t> kernelReducedDims(mlir::Operation *reduction);
/// Whether `op` is a mean, var or std reduction (its partial is a mean and,
/// for var/std, an M2).
bool isMomentReduction(mlir::Operation *op);
/// var/std (or a mars.fused rooted at one): the partial needs the
/// squared-deviations kernel too.
bool needsDeviations(mlir::Operation *op);

/// Whether a map kernel computing `v` writes it with streaming stores: `v` is
/// only returned by its function (nothing in the program reads it again) and
/// has at least kStreamedBytes.
bool isStreamedResult(mlir::Value v);
constexpr int64_t kStreamedBytes = int64_t(4) << 20;

/// Threads per block of every GPU kernel.
constexpr int64_t kGpuBlockSize = 256;

/// Adds `func.func @name(!llvm.ptr, !llvm.ptr)` computing `source` to
/// `module` (with declarations of the helpers it calls). `parallel` lets
/// the kernel split its box over threads (scf.parallel) where that is safe.
mlir::LogicalResult buildKernel(const KernelSource &source,
                                mlir::ModuleOp module, llvm::StringRef name,
                                bool parallel);

/// Adds the GPU kernels computing `source` (`@name` and `@name_flat`, or `@name_seq`,
/// `@name_tree` and `@name_combine` for a reduction) to `gpuModule`.
mlir::LogicalResult buildGpuKernel(const KernelSource &source,
                                   mlir::gpu::GPUModuleOp gpuModule,
                                   llvm::StringRef name);

} // namespace mars::codegen

#endif // MARS_CONVERSION_CHUNKKERNEL_H
