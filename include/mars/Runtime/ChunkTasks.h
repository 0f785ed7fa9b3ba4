//===- ChunkTasks.h - What one chunk task computes -----------------*- C++ -*-===//
//
// The runtime (LocalScheduler.h) decides when and where chunk tasks run and
// where their chunks live; this file says what a task computes. A value is a
// ChunkedArray: one slot per chunk of its layout, or one whole array its
// chunks are boxes of (the function's arguments, borrowed, and the values the
// function returns, written in place). Tasks:
//
//  * map task: output chunk c of a map op (elementwise, fused chain, shape,
//    creation, load), with a compiled kernel when there is one;
//  * product task: output chunk c of a matrix product (OpenBLAS, every step
//    accumulated in place) or of any other contraction that is not a
//    reduction (every step, combined by the tree);
//  * mirror task: a block below the diagonal of a.dot(a.T), the transpose of
//    the block above it;
//  * partial task: step s of output chunk c of a reduction (fused or not); the
//    scheduler combines partials with the fixed tree of combineTree() and
//    finish() turns the root into the chunk;
//  * save task: chunk c of a mars.save operand written into its file.
//
// Every task reads only chunks the scheduler has made resident and pinned,
// and writes only its own output, so tasks of one run execute concurrently.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_RUNTIME_CHUNKTASKS_H
#define MARS_RUNTIME_CHUNKTASKS_H

#include "mars/Conversion/ChunkKernel.h"
#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Numeric/NDArray.h"
#include "mars/Numeric/Reductions.h"
#include "mars/Runtime/Blas.h"
#include "mars/Runtime/ChunkedExecutor.h"
#include "mars/Runtime/CudaDevice.h"
#include "mars/Runtime/GpuKernelCache.h"
#include "mars/Runtime/KernelCache.h"
#include "mars/Runtime/SpillStore.h"
#include "mars/Support/Error.h"
#include "mars/Support/Npy.h"
#include "mars/Support/Stamp.h"
#include "mars/Tiling/ChunkGraph.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <atomic>
#include <chrono>
#include <map>
#include <tuple>
#include <memory>
#include <mutex>
#include <optional>

namespace mars::chunked {

using numeric::DType;
using numeric::NDArray;
using tiling::Box;
using tiling::Contraction;
using tiling::Layout;
using tiling::Shape;

DType dtypeOf(mlir::Value v);
/// Whether computing `a` reads `b`, directly or through other values of the
/// function (schedulers walk only results that do not read one another
/// together).
bool computedFrom(mlir::Value a, mlir::Value b);

/// The root reductions of a reduction op (itself) or of a mars.fused rooted
/// at reductions, one per result (a multi-output group has several).
llvm::SmallVector<ReductionOpInterface> rootReductions(mlir::Operation *op);

/// Lets the calling thread's compiled kernels split a chunk over `n` OpenMP
/// threads (a runtime worker's share of the cores). Kernels over small
/// boxes still run on the calling thread alone: waking the other threads
/// costs more than they would save (ChunkTasks::runKernel).
void setKernelThreads(unsigned n);

/// Where one chunk of a value is, for the scheduler.
struct ChunkSlot {
  /// Spilled: on disk (`spilled`), or dropped to be made again by a reader
  /// (the local runtime); Recomputing: being made again by a running task;
  /// ReadingBack: being read back from disk by a running task; WritingOut:
  /// evicted, and being written to disk by a running task.
  enum class State : uint8_t {
    Pending,
    Resident,
    Spilled,
    Freed,
    Recomputing,
    ReadingBack,
    WritingOut
  };
  /// The chunk's elements while resident (values that are not whole).
  std::shared_ptr<NDArray> data;
  State state = State::Pending;
  /// Reached by the task order (its producer is or was in the window).
  bool visited = false;
  /// A sink reads it, directly or through other chunks: only needed chunks
  /// are computed.
  bool needed = false;
  /// Tasks running now that read the chunk.
  int32_t pins = 0;
  /// Tasks that read the chunk and have not finished.
  int64_t readsLeft = 0;
  /// The chunk's file once it has been spilled; kept while the chunk lives
  /// so that evicting it again costs nothing.
  std::optional<SpillStore::Handle> spilled;
  /// Order numbers of the tasks in the window that read the chunk.
  llvm::SmallVector<uint64_t, 2> waiting;
};

struct ChunkedArray {
  Layout layout;
  DType dtype = DType::F64;
  std::vector<ChunkSlot> slots;
  /// Set when the value is one whole array (borrowed or `owned`).
  const NDArray *whole = nullptr;
  std::shared_ptr<NDArray> owned;
  /// Function arguments: borrowed, always resident.
  bool borrowed = false;
  /// A sparse matrix (#mars.csr): its chunks are CSR arrays, kept in slots
  /// even when the value is returned (never one whole array written in
  /// place), and their size is known only once made.
  bool sparse = false;

  /// A sparse value's bytes per chunk when its producer bounds what its
  /// chunks store (SparseBoundOpInterface, with ChunkTasks::storedIn for
  /// the arrays held whole), worked out once when the value is added: the
  /// scheduler asks at every admission and release. Empty: a chunk may
  /// store every element.
  std::vector<uint64_t> boundBytes;

  /// The bytes of chunk `c`: exact for a dense value; for a sparse one the
  /// most it can take (every element stored, or its producer's bound),
  /// which a task reserves before making it and corrects to its real size
  /// after (MemoryBudget).
  uint64_t chunkBytes(int64_t c) const {
    if (sparse && !boundBytes.empty())
      return boundBytes[c];
    return largestChunkBytes(c);
  }
  /// The most chunk `c` can take whatever its producer: for a sparse value,
  /// every element stored (what a transfer of it may carry).
  uint64_t largestChunkBytes(int64_t c) const {
    Box box = layout.chunkBox(c);
    if (sparse)
      return numeric::csrBytes(dtype, box.sizes()[0], box.numElements());
    return static_cast<uint64_t>(box.numElements()) *
           numeric::dtypeSize(dtype);
  }
  /// The bytes of the whole value written in place (none when sparse).
  uint64_t wholeBytes() const {
    if (sparse)
      return 0;
    return static_cast<uint64_t>(numeric::numElements(layout.shape())) *
           numeric::dtypeSize(dtype);
  }
  /// Where box `box`'s first element is in `whole`.
  uint8_t *wholeAddress(const Box &box) const;
  /// The whole value (moved out when this array owns it alone).
  NDArray takeWhole();
  /// The elements of `box`, copied from the chunks that overlap it.
  NDArray gather(const Box &box) const;

  /// Where the elements of `box` are: inside one chunk (no copy), or in a
  /// gathered copy held by the view.
  struct View {
    const uint8_t *base = nullptr;
    Shape strides;
    NDArray owned;
  };
  View view(const Box &box) const;
};

/// A reduction's partial result for one output chunk (Reductions.h).
using numeric::Partial;

/// Counters shared by the tasks of a run (updated concurrently).
struct TaskCounters {
  std::atomic<int64_t> compiledTasks{0};
  /// Map tasks whose chunk is an operand's chunk, shared instead of copied
  /// (ChunkOpInterface::getCopiedOperand).
  std::atomic<int64_t> sharedChunks{0};
  /// Time in compiled kernels and BLAS calls, in StampClock ticks.
  std::atomic<uint64_t> kernelTicks{0};
};

class ChunkTasks {
public:
  explicit ChunkTasks(const ChunkedOptions &options) : options(options) {}

  /// Plans as the compiled engine would (lazy transposes, BLAS and symmetric
  /// products) without compiling anything: for a process that enumerates the
  /// task graph but runs no task (the cluster scheduler).
  void setPlanOnly() { planOnly = true; }

  //===--- Set-up (one thread) --------------------------------------------===//

  /// Binds `array` (borrowed) to the argument `arg`.
  void bindArgument(mlir::Value arg, const NDArray &array, Layout layout);
  /// Creates the (empty) chunked value of `v`; `whole`: written in place
  /// into one array, allocated by allocateWhole().
  ChunkedArray &addValue(mlir::Value v, Layout layout, bool whole);
  void allocateWhole(mlir::Value v, bool zero);
  /// Compiled engine: marks the 2-d transposes that only BLAS products read
  /// (they are never computed; see lazySource()).
  void findLazyTransposes(mlir::Block &body);
  /// The value a lazy transpose reads, or null.
  mlir::Value lazySource(mlir::Value v) const {
    return lazyTransposes.lookup(v);
  }
  /// Compiles `op`'s kernels: everything
  /// tasks would otherwise set up lazily (so that tasks share no mutable
  /// state). Errors name the failure; the caller attaches the op.
  llvm::Error prepare(mlir::Operation *op);
  /// Whether OpenBLAS computes the products of `op` (and, for a.dot(a.T)
  /// with square chunks, only the blocks on and above the diagonal).
  bool usesBlas(mlir::Operation *op) const { return blasOps.count(op); }
  bool isSymmetricProduct(mlir::Operation *op) const {
    return symmetricOps.count(op);
  }

  ChunkedArray &array(mlir::Value v) { return values.find(v)->second; }
  /// How many elements the sparse value `v` stores over `region` when it is
  /// held whole (a program's argument), else nullopt.
  std::optional<int64_t> storedIn(mlir::Value v, const Box &region) const;

  //===--- Tasks (concurrent) ---------------------------------------------===//

  /// Output chunk `c` of a map op: shared with the operand chunk it copies
  /// whole (sharedChunk), computed by a compiled kernel, or by the op's
  /// computeBox.
  llvm::Error mapTask(mlir::Operation *op, int64_t c);
  llvm::Error productTask(mlir::Operation *op, const Contraction &contraction,
                          int64_t c);
  llvm::Error mirrorTask(mlir::Operation *op, int64_t c);
  /// Chunk `c` of a scan, continued from the carry (the chunk before it
  /// along the axis, which must be resident).
  llvm::Error scanTask(mlir::Operation *op, int64_t c);
  /// Step `step` of output chunk `c` of a reduction (its fused group or
  /// itself). A reduction over an empty extent has no steps: its chunks are
  /// product tasks.
  /// The partials of a multi-output group (mars.fused with several
  /// results) are computed together: one per result, in result order.
  llvm::Expected<std::vector<Partial>>
  partialTask(mlir::Operation *op, const Contraction &contraction, int64_t c,
              int64_t step);
  Partial combine(ReductionOpInterface op, const Partial &a, const Partial &b);
  NDArray finish(ReductionOpInterface op, Partial p);
  llvm::Error saveTask(SaveOp op, NpyBoxWriter &writer, int64_t c);
  /// Stores `chunk` as chunk `c` of `v` (copied into place when `v` is
  /// whole).
  void store(mlir::Value v, int64_t c, NDArray chunk);

  TaskCounters counters;
  /// Ops run with reference kernels although kernels were available, with
  /// the reason.
  std::vector<std::string> interpretedOps;

private:
  /// A compiled kernel of an op.
  struct OpKernel {
    KernelFn fn = nullptr;
    /// Set instead of `fn` when kernels run on the GPU.
    const GpuKernelImage *gpu = nullptr;
    codegen::KernelSource source;
    /// Work per element of the iteration space, in units of a cheap
    /// elementwise step (kernelCost): the box sizes worth splitting over
    /// threads.
    int64_t cost = 1;
  };
  using KernelRole = codegen::KernelRole;
  /// The kernel `role` of `op` (codegen::kernelsOf), or nullptr when the op
  /// runs with reference kernels. A lookup: prepare() compiled them all, and
  /// tasks, which run concurrently, never compile. `root`: which root of a
  /// multi-output group (mars.fused with several results) the kernel
  /// computes.
  const OpKernel *kernelFor(mlir::Operation *op, KernelRole role,
                            unsigned root = 0) const;
  /// Compiles one of `op`'s kernels for the CPU or the GPU (prepare()).
  llvm::Error compileKernel(mlir::Operation *op,
                            codegen::OpKernelSource kernel);
  /// Which root of its mars.fused `root` is (0 outside one).
  static unsigned rootIndex(mlir::Operation *root);
  llvm::Expected<NDArray> mapChunk(mlir::Operation *op, const Box &box);
  /// `root`: the root reduction of a multi-output group to compute (null:
  /// the contraction's).
  llvm::Expected<NDArray> contractChunk(mlir::Operation *op,
                                        const Contraction &contraction,
                                        const Box &box,
                                        mlir::Operation *root = nullptr);
  llvm::Expected<Partial> reductionPartial(ReductionOpInterface op,
                                           const Contraction &contraction,
                                           const Box &box, int64_t step);
  /// Every partial of multi-output group `fused` for step `step` of
  /// output chunk `box`, with its compiled CPU kernels run slab by slab;
  /// leaves `partials` empty when they are not all compiled (the GPU, the
  /// reference kernels), for the caller to compute root by root.
  llvm::Error siblingPartials(FusedOp fused, const Contraction &contraction,
                              const Box &box, int64_t step,
                              std::vector<Partial> &partials);
  /// The region `box` of root reduction `root`'s input.
  llvm::Expected<NDArray> reductionInput(mlir::Operation *root,
                                         const Box &box);
  /// The operand chunk that `box` of `op`'s result is, element for element
  /// (ChunkOpInterface::getCopiedOperand), when it is one whole chunk in
  /// memory: the result's chunk shares its array. Null otherwise (whole
  /// and sparse values are copied). The memory limit counts the array once
  /// per chunk holding it, so sharing never holds more than it counts.
  std::shared_ptr<NDArray> sharedChunk(mlir::Operation *op, const Box &box);
  /// Runs `kernel` over `box` of its iteration space, writing the output at
  /// `outBase` with `outStrides` (strides of the array the box, or the
  /// reduction's partial, is part of). A deviations kernel reads the means
  /// from `center`, a dense array shaped as the partial; an argmin/argmax
  /// kernel writes the partial's indices there.
  /// `countTask`: whether the call counts as a compiled task in the
  /// stats (a task's further calls do not).
  llvm::Error runKernel(mlir::Operation *op, const OpKernel &kernel,
                        const Box &box, uint8_t *outBase,
                        llvm::ArrayRef<int64_t> outStrides,
                        const uint8_t *center = nullptr,
                        bool countTask = true);
  /// runKernel on the GPU (options.gpu).
  llvm::Error runGpuKernel(mlir::Operation *op, const OpKernel &kernel,
                           const Box &box, uint8_t *outBase,
                           llvm::ArrayRef<int64_t> outStrides,
                           const uint8_t *center);
  llvm::Error runKernel(mlir::Operation *op, const OpKernel &kernel,
                        const Box &box, NDArray &out) {
    return runKernel(op, kernel, box, out.bytes(),
                     numeric::contiguousStrides(out.shape()));
  }
  /// Runs `call` (a compiled kernel or BLAS call) and counts it.
  template <typename F>
  void timeCompiled(F &&call, bool countTask = true) {
    StampClock::Stamp start = StampClock::now();
    call();
    if (countTask)
      counters.compiledTasks.fetch_add(1, std::memory_order_relaxed);
    // A thread moved to a core whose counter is behind measures nothing.
    StampClock::Stamp end = StampClock::now();
    counters.kernelTicks.fetch_add(end > start ? end - start : 0,
                                   std::memory_order_relaxed);
  }
  /// The chunked value a kernel input stands for.
  const ChunkedArray &kernelInput(mlir::Operation *op, mlir::Value input);
  /// Records (once per op, when kernels are in use) that `op`'s chunks are
  /// computed with the reference kernels, and why.
  void noteInterpreted(mlir::Operation *op, const llvm::Twine &why);
  /// Whether BLAS can compute `op`'s products.
  bool blasShapes(mlir::Operation *op);
  /// A BLAS operand: operand `i`'s `region`, possibly from a lazy transpose.
  MatrixView blasOperand(mlir::Operation *op, unsigned i, const Box &region,
                         int64_t contracted, ChunkedArray::View &keep);
  /// One step of a product whose left operand is a sparse matrix: the
  /// operands' regions `lhs` and `rhs` read in place where they lie in one
  /// array (the whole argument or one chunk; a contiguous rhs region), as
  /// BLAS products read theirs, else gathered.
  NDArray sparseStep(mlir::Operation *op, const Box &lhs, const Box &rhs);
  /// Output chunk `box` of a matrix product, accumulated through BLAS into
  /// `out` (zeroed), whose rows are `ldc` elements apart.
  llvm::Error blasProduct(mlir::Operation *op, const Contraction &contraction,
                          const Box &box, uint8_t *out, int64_t ldc);
  /// Output chunk `box` of a stack of matrix products (CPU): one BLAS call
  /// per matrix and step into `out` (zeroed), whose dimensions are
  /// `outStrides` elements apart.
  llvm::Error blasStackProduct(mlir::Operation *op,
                               const Contraction &contraction, const Box &box,
                               uint8_t *out, llvm::ArrayRef<int64_t> outStrides);
  const ChunkedArray &operand(mlir::Operation *op, unsigned i) {
    return values.find(op->getOperand(i))->second;
  }

  const ChunkedOptions &options;
  bool planOnly = false;
  std::mutex noteMutex;
  llvm::DenseSet<mlir::Operation *> noted;
  llvm::DenseMap<mlir::Value, mlir::Value> lazyTransposes;
  llvm::DenseSet<mlir::Operation *> blasOps, symmetricOps;
  llvm::DenseMap<mlir::Value, ChunkedArray> values;
  std::map<std::tuple<mlir::Operation *, KernelRole, unsigned>, OpKernel>
      kernels;
};

} // namespace mars::chunked

#endif // MARS_RUNTIME_CHUNKTASKS_H
