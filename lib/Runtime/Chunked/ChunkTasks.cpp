//===- ChunkTasks.cpp - What one chunk task computes ----------------------===//
//
// A map task computes one output chunk from the operand regions ChunkGraph.h
// names; a partial task computes one step of a reduction's output chunk, and
// partials combine pairwise (sums add, min/max take the extreme, mean/var/std
// merge (count, mean, M2) as Chan et al. do, argmin/argmax carry value and
// global index). Compiled kernels and OpenBLAS do the work where they apply,
// the reference kernels of mars::numeric everywhere else.
//
//===----------------------------------------------------------------------===//

#include "mars/Runtime/ChunkTasks.h"

#include "mars/Numeric/Kernels.h"
#include "mars/Numeric/ScalarABI.h"

#include "llvm/ADT/TypeSwitch.h"

#include <chrono>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mars;
using namespace mars::chunked;
using namespace mars::tiling;

llvm::Error mars::chunked::makeError(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

bool mars::chunked::computedFrom(Value a, Value b) {
  llvm::SmallPtrSet<Operation *, 16> seen;
  SmallVector<Operation *> work;
  if (Operation *op = a.getDefiningOp())
    work.push_back(op);
  while (!work.empty()) {
    Operation *op = work.pop_back_val();
    if (!seen.insert(op).second)
      continue;
    for (Value in : op->getOperands()) {
      if (in == b)
        return true;
      if (Operation *def = in.getDefiningOp())
        work.push_back(def);
    }
  }
  return false;
}

DType mars::chunked::dtypeOf(Value v) {
  return toDType(cast<RankedTensorType>(v.getType()).getElementType());
}

namespace {

int64_t ravel(ArrayRef<int64_t> index, ArrayRef<int64_t> shape) {
  int64_t flat = 0;
  for (size_t d = 0; d < shape.size(); ++d)
    flat = flat * shape[d] + index[d];
  return flat;
}

Shape unravel(int64_t flat, ArrayRef<int64_t> shape) {
  Shape index(shape.size());
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  return index;
}

/// The element offset of index `index` relative to `origin`, with `strides`.
int64_t offsetOf(ArrayRef<int64_t> index, ArrayRef<int64_t> origin,
                 ArrayRef<int64_t> strides) {
  int64_t offset = 0;
  for (size_t d = 0; d < index.size(); ++d)
    offset += (index[d] - origin[d]) * strides[d];
  return offset;
}

} // namespace

//===----------------------------------------------------------------------===//
// Chunked values
//===----------------------------------------------------------------------===//

uint8_t *ChunkedArray::wholeAddress(const Box &box) const {
  Shape strides = numeric::contiguousStrides(layout.shape());
  return const_cast<uint8_t *>(whole->bytes()) +
         offsetOf(box.lo, Shape(box.rank(), 0), strides) *
             numeric::dtypeSize(dtype);
}

NDArray ChunkedArray::takeWhole() {
  if (owned && owned.use_count() == 1)
    return std::move(*owned);
  return gather(Box::of(layout.shape()));
}

NDArray ChunkedArray::gather(const Box &box) const {
  NDArray out(dtype, box.sizes(), NDArray::uninitialized);
  if (box.empty())
    return out;
  const int64_t rank = box.rank();
  if (whole) {
    numeric::copyBox(*whole, box.lo, out, Shape(rank, 0), box.sizes());
    return out;
  }
  for (int64_t c : layout.chunksOverlapping(box)) {
    Box cb = layout.chunkBox(c);
    Shape srcLo(rank), dstLo(rank), sizes(rank);
    for (int64_t d = 0; d < rank; ++d) {
      int64_t lo = std::max(cb.lo[d], box.lo[d]);
      int64_t hi = std::min(cb.hi[d], box.hi[d]);
      srcLo[d] = lo - cb.lo[d];
      dstLo[d] = lo - box.lo[d];
      sizes[d] = hi - lo;
    }
    numeric::copyBox(*slots[c].data, srcLo, out, dstLo, sizes);
  }
  return out;
}

ChunkedArray::View ChunkedArray::view(const Box &box) const {
  View v;
  if (whole) {
    v.strides = numeric::contiguousStrides(layout.shape());
    v.base = box.empty() ? whole->bytes() : wholeAddress(box);
    return v;
  }
  std::vector<int64_t> overlapping = layout.chunksOverlapping(box);
  if (overlapping.size() == 1) {
    int64_t c = overlapping[0];
    Box cb = layout.chunkBox(c);
    v.strides = numeric::contiguousStrides(cb.sizes());
    v.base = slots[c].data->bytes() +
             offsetOf(box.lo, cb.lo, v.strides) * numeric::dtypeSize(dtype);
    return v;
  }
  v.owned = gather(box);
  v.base = v.owned.bytes();
  v.strides = numeric::contiguousStrides(box.sizes());
  return v;
}

//===----------------------------------------------------------------------===//
// Set-up
//===----------------------------------------------------------------------===//

void ChunkTasks::bindArgument(Value arg, const NDArray &array, Layout layout) {
  ChunkedArray a;
  a.layout = std::move(layout);
  a.dtype = array.dtype();
  a.whole = &array;
  a.borrowed = true;
  a.slots.resize(a.layout.numChunks());
  for (ChunkSlot &s : a.slots)
    s.state = ChunkSlot::State::Resident;
  values[arg] = std::move(a);
}

ChunkedArray &ChunkTasks::addValue(Value v, Layout layout, bool whole) {
  ChunkedArray a;
  a.layout = std::move(layout);
  a.dtype = dtypeOf(v);
  a.slots.resize(a.layout.numChunks());
  (void)whole;
  return values[v] = std::move(a);
}

void ChunkTasks::allocateWhole(Value v, bool zero) {
  ChunkedArray &a = array(v);
  a.owned = zero ? std::make_shared<NDArray>(a.dtype, a.layout.shape())
                 : std::make_shared<NDArray>(a.dtype, a.layout.shape(),
                                             NDArray::uninitialized);
  a.whole = a.owned.get();
}

void ChunkTasks::noteInterpreted(Operation *op, const llvm::Twine &why) {
  if (!options.kernels)
    return;
  std::lock_guard<std::mutex> lock(noteMutex);
  if (noted.insert(op).second)
    interpretedOps.push_back(
        (op->getName().getStringRef() + ": " + why).str());
}

const ChunkedArray &ChunkTasks::kernelInput(Operation *op, Value input) {
  if (auto arg = dyn_cast<BlockArgument>(input))
    if (isa<FusedOp>(arg.getOwner()->getParentOp()))
      return operand(arg.getOwner()->getParentOp(), arg.getArgNumber());
  return values.find(input)->second;
}

/// How a kernel of `op` reads `input` over the box `box` of its iteration
/// space: the region of the input, and the input dimension each iteration
/// dimension (and each reduced axis of the inner reductions reading it)
/// steps along.
static std::pair<Box, tiling::FusedInputMap>
kernelInputMap(Value input, const Box &box) {
  if (auto arg = dyn_cast<BlockArgument>(input))
    if (Operation *fused = arg.getOwner()->getParentOp();
        isa<FusedOp>(fused))
      return {tiling::fusedInputRegion(fused, arg.getArgNumber(), box),
              tiling::fusedInputMap(fused, arg.getArgNumber(), box.rank())};
  Shape shape = shapeOf(input);
  tiling::FusedInputMap map;
  const int64_t offset = box.rank() - static_cast<int64_t>(shape.size());
  for (int64_t d = 0; d < box.rank(); ++d) {
    int64_t e = d - offset;
    map.iterDims.push_back(e < 0 || shape[e] == 1 ? -1 : e);
  }
  return {broadcastRegion(shape, box), map};
}

/// Appends the kernel's strides of an input (ChunkKernel.h): one per
/// iteration dimension to `meta`, one per reduced axis of the inner
/// reductions reading it to `inner`.
static void appendInputStrides(const tiling::FusedInputMap &map,
                               ArrayRef<int64_t> strides,
                               std::vector<int64_t> &meta,
                               std::vector<int64_t> &inner) {
  for (int64_t e : map.iterDims)
    meta.push_back(e < 0 ? 0 : strides[e]);
  for (int64_t e : map.reducedDims)
    inner.push_back(e < 0 ? 0 : strides[e]);
}

extern "C" void omp_set_num_threads(int);

namespace {
/// The OpenMP threads the calling thread's kernels may use
/// (setKernelThreads), and the count last requested from libomp.
thread_local unsigned kernelThreads = 1;
thread_local unsigned ompRequested = 0;

/// Elements times cost (kernelCost) below which a kernel runs on the
/// calling thread alone. Sleeping OpenMP threads (KMP_BLOCKTIME=0) take
/// about 200 us to wake on a VM whose idle cores halt, and a cheap step
/// streams about a nanosecond's worth of memory per element: a box must
/// hold a few hundred microseconds of work before two threads beat one.
constexpr int64_t kSplitWork = int64_t(1) << 19;

/// Elements per slab of a multi-output group's partial (siblingPartials):
/// 64-256 KiB of each input stay in L2 while every root's kernel reads
/// them (a C model: 8192-32768 elements per slab all ran the three loops
/// of Design.md's example in 17.0-17.4 ms, one loop alone in 9.7 ms).
constexpr int64_t kSlabElements = 16384;

/// A kernel's work per element, in cheap steps: every random draw,
/// division, power and libm function counts 8.
int64_t kernelCost(const codegen::KernelSource &src) {
  int64_t cost = 1;
  for (Operation *op : src.ops)
    if (isa<RandomUniformOp, RandomNormalOp, RandomIntegersOp>(op) ||
        (isa<ElementwiseOpInterface>(op) && !isCheapElementwise(op)))
      cost += 8;
  return cost;
}
} // namespace

SmallVector<ReductionOpInterface> chunked::rootReductions(Operation *op) {
  SmallVector<ReductionOpInterface> roots;
  if (auto fused = dyn_cast<FusedOp>(op))
    for (Operation *root : fused.getRoots())
      roots.push_back(cast<ReductionOpInterface>(root));
  else
    roots.push_back(cast<ReductionOpInterface>(op));
  return roots;
}

void chunked::setKernelThreads(unsigned n) {
  kernelThreads = std::max(1u, n);
  omp_set_num_threads(static_cast<int>(kernelThreads));
  ompRequested = kernelThreads;
}

template <typename F>
void ChunkTasks::timeCompiled(F &&call, bool countTask) {
  auto start = std::chrono::steady_clock::now();
  call();
  if (countTask)
    counters.compiledTasks.fetch_add(1, std::memory_order_relaxed);
  counters.kernelNanos.fetch_add(
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::steady_clock::now() - start)
          .count(),
      std::memory_order_relaxed);
}


//===----------------------------------------------------------------------===//
// Compiled kernels
//===----------------------------------------------------------------------===//

llvm::Expected<const ChunkTasks::OpKernel *>
ChunkTasks::kernelFor(Operation *op, KernelUse use, unsigned root) {
  if (!options.kernels)
    return nullptr;
  // prepare() compiled every kernel: tasks only look them up.
  if (auto found = kernels.find({op, use, root}); found != kernels.end())
    return found->second ? &*found->second : nullptr;
  auto it = kernels.try_emplace({op, use, root}).first;
  std::string why;
  FailureOr<codegen::KernelSource> source = failure();
  if (use == KernelUse::FusedInput) {
    auto fused = cast<FusedOp>(op);
    source = codegen::KernelSource::forFusedValue(
        fused, fused.getRoots()[root]->getOperand(0), why);
  } else {
    source =
        codegen::KernelSource::forOp(op, why, options.gpu != nullptr, root);
    if (succeeded(source))
      source->deviations = use == KernelUse::Deviations;
  }
  if (failed(source)) {
    noteInterpreted(op, why);
    return nullptr;
  }
  if (options.gpu) {
    auto image = options.gpuKernels->get(*source);
    if (!image)
      return image.takeError();
    it->second = OpKernel{nullptr, *image, std::move(*source)};
    return &*it->second;
  }
  auto fn = options.kernels->get(*source);
  if (!fn)
    return fn.takeError();
  int64_t cost = kernelCost(*source);
  it->second = OpKernel{*fn, nullptr, std::move(*source), cost};
  return &*it->second;
}

llvm::Error ChunkTasks::runKernel(Operation *op, const OpKernel &kernel,
                                  const Box &box, uint8_t *outBase,
                                  ArrayRef<int64_t> outStrides,
                                  const uint8_t *center, bool countTask) {
  if (box.empty())
    return llvm::Error::success();
  if (kernel.gpu)
    return runGpuKernel(op, kernel, box, outBase, outStrides, center);
  const codegen::KernelSource &src = kernel.source;
  const int64_t rank = box.rank();
  std::vector<int64_t> meta(box.sizes());
  meta.insert(meta.end(), box.lo.begin(), box.lo.end());
  std::vector<ChunkedArray::View> views;
  std::vector<void *> ptrs;
  std::vector<int64_t> inner;
  views.reserve(src.inputs.size());
  for (Value input : src.inputs) {
    auto [region, map] = kernelInputMap(input, box);
    views.push_back(kernelInput(op, input).view(region));
    const ChunkedArray::View &v = views.back();
    appendInputStrides(map, v.strides, meta, inner);
    ptrs.push_back(const_cast<uint8_t *>(v.base));
  }
  // The output, or the reduction's partial with its reduced dimensions
  // standing still.
  if (src.reduction) {
    auto r = cast<ReductionOpInterface>(src.reduction);
    SmallVector<int64_t> axes = codegen::kernelReducedDims(src.reduction);
    bool keep = r.getKeepdims();
    for (int64_t d = 0, o = 0; d < rank; ++d) {
      bool reduced = llvm::is_contained(axes, d);
      meta.push_back(reduced ? 0 : outStrides[o]);
      if (!reduced || keep)
        ++o;
    }
  } else {
    meta.insert(meta.end(), outStrides.begin(), outStrides.end());
  }
  meta.insert(meta.end(), inner.begin(), inner.end());
  ptrs.push_back(outBase);
  if (src.deviations || codegen::isArgReduction(src.reduction))
    ptrs.push_back(const_cast<uint8_t *>(center));
  // Only a box with enough work is split over this worker's OpenMP
  // threads; a small one runs here, without waking them.
  unsigned threads =
      kernelThreads > 1 && box.numElements() * kernel.cost >= kSplitWork
          ? kernelThreads
          : 1;
  if (threads != ompRequested) {
    omp_set_num_threads(static_cast<int>(threads));
    ompRequested = threads;
  }
  timeCompiled([&] { kernel.fn(ptrs.data(), meta.data()); }, countTask);
  if (const char *error = numeric::takeScalarError())
    return makeError(error);
  return llvm::Error::success();
}

llvm::Error ChunkTasks::runGpuKernel(Operation *op, const OpKernel &kernel,
                                     const Box &box, uint8_t *outBase,
                                     ArrayRef<int64_t> outStrides,
                                     const uint8_t *center) {
  const codegen::KernelSource &src = kernel.source;
  const int64_t rank = box.rank();
  const int64_t block = codegen::kGpuBlockSize;
  auto blocksFor = [&](int64_t threads) {
    return static_cast<unsigned>(
        std::clamp<int64_t>((threads + block - 1) / block, 1, 65535));
  };
  llvm::Error error = llvm::Error::success();
  timeCompiled([&] {
    auto task = options.gpu->beginTask();
    std::vector<int64_t> meta(box.sizes());
    meta.insert(meta.end(), box.lo.begin(), box.lo.end());
    std::vector<uint64_t> ptrs;
    std::vector<int64_t> inner;
    for (Value input : src.inputs) {
      auto [region, map] = kernelInputMap(input, box);
      ChunkedArray::View v = kernelInput(op, input).view(region);
      HostRegion host{v.base, region.sizes(), v.strides,
                      numeric::dtypeSize(dtypeOf(input))};
      auto device = task->input(host);
      if (!device) {
        error = device.takeError();
        return;
      }
      appendInputStrides(map, device->strides, meta, inner);
      ptrs.push_back(device->address);
    }
    // The output (or the reduction's partial) as a dense device buffer.
    SmallVector<int64_t> axes;
    bool keep = false;
    Value result = src.target;
    if (src.reduction) {
      auto r = cast<ReductionOpInterface>(src.reduction);
      axes = r.getReducedAxes();
      keep = r.getKeepdims();
      result = src.reduction->getResult(0);
    }
    Shape outSizes;
    int64_t numOutputs = 1, numReduced = 1;
    for (int64_t d = 0; d < rank; ++d) {
      bool reduced = llvm::is_contained(axes, d);
      (reduced ? numReduced : numOutputs) *= box.sizes()[d];
      if (!reduced)
        outSizes.push_back(box.sizes()[d]);
      else if (keep)
        outSizes.push_back(1);
    }
    HostRegion host{outBase, outSizes,
                    Shape(outStrides.begin(), outStrides.end()),
                    numeric::dtypeSize(dtypeOf(result))};
    // A partial starts from what the caller put there (the identity).
    auto out = src.reduction ? task->buffer(host)
                             : task->buffer(numeric::numElements(outSizes) *
                                            host.elementSize);
    if (!out) {
      error = out.takeError();
      return;
    }
    Shape dense = numeric::contiguousStrides(outSizes);
    for (int64_t d = 0, o = 0; d < rank; ++d) {
      bool reduced = llvm::is_contained(axes, d);
      meta.push_back(reduced ? 0 : dense[o]);
      if (!reduced || keep)
        ++o;
    }
    ptrs.push_back(*out);
    // Reductions with many elements per output: S blocks per output, enough
    // blocks in all to fill the GPU, each thread folding several elements.
    const bool tree = src.reduction && numReduced > 32 && numOutputs < 16384;
    int64_t splits = 1;
    if (tree)
      splits = std::clamp<int64_t>(
          std::min<int64_t>((numReduced + 8 * block - 1) / (8 * block),
                            (1024 + numOutputs - 1) / numOutputs),
          1, 65535);
    uint64_t scratch = 0;
    if (splits > 1) {
      auto buffer = task->buffer(static_cast<size_t>(numOutputs * splits) *
                                 host.elementSize);
      if (!buffer) {
        error = buffer.takeError();
        return;
      }
      scratch = *buffer;
    }
    auto flag = task->errorFlag();
    if (!flag) {
      error = flag.takeError();
      return;
    }
    ptrs.push_back(scratch);
    ptrs.push_back(*flag);
    meta.push_back(splits);
    meta.insert(meta.end(), inner.begin(), inner.end());
    if (src.deviations) {
      // The means, laid out as the partial (dense).
      auto means = task->input(HostRegion{center, outSizes, dense,
                                          host.elementSize});
      if (!means) {
        error = means.takeError();
        return;
      }
      ptrs.push_back(means->address);
    }
    const GpuKernelImage &image = *kernel.gpu;
    std::string entry = image.entry;
    auto launch = [&](llvm::StringRef suffix, std::array<unsigned, 2> grid) {
      return task->launch(image, entry + suffix.str(), grid, ptrs, meta);
    };
    if (!src.reduction) {
      int64_t cols = rank > 0 ? box.sizes()[rank - 1] : 1;
      int64_t rows = box.numElements() / std::max<int64_t>(cols, 1);
      // Short rows leave most threads of a row-wise block idle: walk the
      // box's elements flat instead.
      error = cols >= block / 2
                  ? launch("", {blocksFor(cols),
                                static_cast<unsigned>(
                                    std::min<int64_t>(rows, 65535))})
                  : launch("_flat", {blocksFor(box.numElements()), 1});
    } else if (!tree) {
      error = launch("_seq", {blocksFor(numOutputs), 1});
    } else {
      error = launch("_tree", {static_cast<unsigned>(splits),
                               static_cast<unsigned>(
                                   std::min<int64_t>(numOutputs, 65535))});
      if (!error && splits > 1)
        error = launch("_combine", {blocksFor(numOutputs), 1});
    }
    if (error)
      return;
    if ((error = task->writeBack(*out, host, /*keep=*/!src.reduction)))
      return;
    auto failedRule = task->finish();
    if (!failedRule)
      error = failedRule.takeError();
    else if (*failedRule)
      error = makeError("integers to negative integer powers are not allowed");
  });
  return error;
}

/// A reduction's identity, the starting value of a compiled partial.
static NDArray reductionIdentity(numeric::ReduceFn fn, DType dtype,
                                 const Shape &shape) {
  using numeric::ReduceFn;
  NDArray out(dtype, shape);
  numeric::visitDType(dtype, [&](auto tag) {
    using T = decltype(tag);
    T v{};
    switch (fn) {
    case ReduceFn::Prod:
    case ReduceFn::All:
      v = T(1);
      break;
    case ReduceFn::Min:
      if constexpr (std::is_floating_point_v<T>)
        v = std::numeric_limits<T>::infinity();
      else
        v = std::numeric_limits<T>::max();
      break;
    case ReduceFn::Max:
      if constexpr (std::is_floating_point_v<T>)
        v = -std::numeric_limits<T>::infinity();
      else
        v = std::numeric_limits<T>::lowest();
      break;
    default:
      break;
    }
    T *o = out.data<T>();
    for (int64_t i = 0, n = out.size(); i < n; ++i)
      o[i] = v;
  });
  return out;
}

//===----------------------------------------------------------------------===//
// Map ops
//===----------------------------------------------------------------------===//

/// Applies an elementwise op to its operands' regions (which broadcast
/// against each other as the whole operands do).
llvm::Expected<NDArray> applyElementwise(Operation *op,
                                         ArrayRef<NDArray> operands) {
  DType dtype = dtypeOf(op->getResult(0));
  if (auto unary = dyn_cast<UnaryOpInterface>(op))
    return numeric::unary(unary.getUnaryFn(), operands[0], dtype);
  if (auto binary = dyn_cast<BinaryOpInterface>(op))
    return numeric::binary(binary.getBinaryFn(), operands[0], operands[1],
                           dtype);
  if (isa<CastOp>(op))
    return numeric::cast(operands[0], dtype);
  return numeric::where(operands[0], operands[1], operands[2]);
}

NDArray ChunkTasks::evaluateBody(FusedOp fused, Value target,
                                       const Box &box,
                                       llvm::Error &error) {
  // Every value in the body broadcasts to `target`, so each one's region is
  // its broadcast region of `box`; the values of an inner reduction's domain
  // broadcast to its operand instead, evaluated apart (see mars.fused).
  llvm::DenseMap<Value, NDArray> env;
  Block &body = fused.getBody().front();
  for (BlockArgument arg : body.getArguments())
    if (!arg.use_empty())
      env[arg] = operand(fused, arg.getArgNumber())
                     .gather(tiling::fusedInputRegion(fused, arg.getArgNumber(),
                                                      box));
  if (auto arg = dyn_cast<BlockArgument>(target))
    return std::move(env[arg]);
  // Computes elementwise or creation op `op` from the values `lookup`
  // gives, its result's region being its broadcast region of `space`.
  using Lookup = llvm::function_ref<const NDArray &(Value)>;
  auto computePlain = [&](Operation &op, Lookup lookup,
                          const Box &space) -> llvm::Expected<NDArray> {
    if (isa<ElementwiseOpInterface>(op)) {
      SmallVector<NDArray> args;
      for (Value v : op.getOperands())
        args.push_back(lookup(v));
      return applyElementwise(&op, args);
    }
    return mapChunk(&op, broadcastRegion(shapeOf(op.getResult(0)), space));
  };
  auto fromEnv = [&](Value v) -> const NDArray & { return env.find(v)->second; };
  auto compute = [&](Operation &op) -> llvm::Expected<NDArray> {
    auto r = dyn_cast<ReductionOpInterface>(op);
    if (!r)
      return computePlain(op, fromEnv, box);
    // An inner reduction: its domain at its operand's region, then the
    // reduction (the reference's own kernel). The body's arguments (rank 0,
    // or read at this region: fusedInputRegion) are in `env`.
    Box in = tiling::innerOperandRegion(
        &op, broadcastRegion(shapeOf(op.getResult(0)), box));
    llvm::DenseMap<Value, NDArray> local;
    auto lookup = [&](Value v) -> const NDArray & {
      auto it = local.find(v);
      return it != local.end() ? it->second : fromEnv(v);
    };
    for (Operation *d : fused.innerDomain(&op)) {
      llvm::Expected<NDArray> x = computePlain(*d, lookup, in);
      if (!x)
        return x.takeError();
      local[d->getResult(0)] = std::move(*x);
    }
    return numeric::reduce(r.getReduceFn(), lookup(op.getOperand(0)),
                           r.getReducedAxes(), r.getKeepdims(),
                           r.getDeltaDof(), dtypeOf(op.getResult(0)));
  };
  llvm::SmallPtrSet<Operation *, 8> innerOnly = fused.getInnerOnlyOps();
  SmallVector<Operation *> roots = fused.getRoots();
  for (Operation &op : body.without_terminator()) {
    // Root reductions are computed by the caller.
    if (innerOnly.contains(&op) ||
        (isa<ReductionOpInterface>(op) && llvm::is_contained(roots, &op)))
      continue;
    llvm::Expected<NDArray> r = compute(op);
    if (!r) {
      error = r.takeError();
      return NDArray();
    }
    env[op.getResult(0)] = std::move(*r);
    if (op.getResult(0) == target)
      break;
  }
  return std::move(env[target]);
}

llvm::Expected<NDArray> ChunkTasks::mapChunk(Operation *op,
                                                   const Box &box) {
  Value result = op->getResult(0);
  DType dtype = dtypeOf(result);
  Shape global = shapeOf(result), sizes = box.sizes();
  auto region = [&](unsigned i) {
    return operand(op, i).gather(*mapOperandRegion(op, i, box));
  };

  if (isa<ElementwiseOpInterface>(op)) {
    SmallVector<NDArray> args;
    for (unsigned i = 0; i < op->getNumOperands(); ++i)
      args.push_back(region(i));
    return applyElementwise(op, args);
  }

  return llvm::TypeSwitch<Operation *, llvm::Expected<NDArray>>(op)
      .Case([&](FusedOp fused) -> llvm::Expected<NDArray> {
        llvm::Error error = llvm::Error::success();
        NDArray out = evaluateBody(fused, fused.getBody().front()
                                              .getTerminator()->getOperand(0),
                                   box, error);
        if (error)
          return std::move(error);
        return out;
      })
      .Case([&](BroadcastToOp) {
        return numeric::broadcastTo(region(0), sizes);
      })
      .Case([&](TransposeOp t) {
        return numeric::transpose(region(0), t.getPerm());
      })
      .Case<ExpandDimsOp, SqueezeOp>(
          [&](Operation *) { return region(0).reshaped(sizes); })
      .Case([&](RechunkOp) { return region(0); })
      .Case([&](ReshapeOp) {
        // Element by element through the flat index: a reshape's output
        // chunk reads a bounding box that need not line up with it.
        NDArray out(dtype, sizes);
        if (box.empty())
          return out;
        Box inBox = *mapOperandRegion(op, 0, box);
        NDArray in = operand(op, 0).gather(inBox);
        Shape inShape = shapeOf(op->getOperand(0)), inSizes = inBox.sizes();
        const size_t elt = numeric::dtypeSize(dtype);
        for (int64_t i = 0, n = out.size(); i < n; ++i) {
          Shape idx = unravel(i, sizes);
          for (size_t d = 0; d < idx.size(); ++d)
            idx[d] += box.lo[d];
          Shape src = unravel(ravel(idx, global), inShape);
          for (size_t d = 0; d < src.size(); ++d)
            src[d] -= inBox.lo[d];
          std::memcpy(out.bytes() + i * elt,
                      in.bytes() + ravel(src, inSizes) * elt, elt);
        }
        return out;
      })
      .Case([&](SliceOp s) {
        if (box.empty())
          return NDArray(dtype, sizes);
        Box inBox = *mapOperandRegion(op, 0, box);
        NDArray in = operand(op, 0).gather(inBox);
        SmallVector<numeric::SliceDim> dims;
        for (auto [d, dim] : llvm::enumerate(s.getSliceDims()))
          dims.push_back({dim.start + box.lo[d] * dim.step - inBox.lo[d],
                          dim.step, sizes[d]});
        return numeric::slice(in, dims);
      })
      .Case<ConcatenateOp, StackOp>([&](Operation *join) {
        NDArray out(dtype, sizes);
        bool stack = isa<StackOp>(join);
        int64_t axis = join->getAttrOfType<IntegerAttr>("axis").getInt();
        if (axis < 0)
          axis += global.size();
        int64_t offset = 0;
        for (unsigned i = 0; i < join->getNumOperands(); ++i) {
          Shape in = shapeOf(join->getOperand(i));
          std::optional<Box> r = mapOperandRegion(join, i, box);
          if (r) {
            NDArray piece = operand(join, i).gather(*r);
            Shape dstLo(global.size(), 0);
            Shape pieceSizes = r->sizes();
            if (stack) {
              pieceSizes.insert(pieceSizes.begin() + axis, 1);
              piece = piece.reshaped(pieceSizes);
              dstLo[axis] = i - box.lo[axis];
            } else {
              dstLo[axis] = offset + r->lo[axis] - box.lo[axis];
            }
            numeric::copyBox(piece, Shape(global.size(), 0), out, dstLo,
                             pieceSizes);
          }
          if (!stack)
            offset += in[axis];
        }
        return out;
      })
      // Creation: each chunk is the box of the whole tensor it covers.
      .Case([&](ConstantOp) {
        auto it = constants.find(op); // Read by prepare().
        NDArray out(dtype, sizes);
        numeric::copyBox(it->second, box.lo, out, Shape(sizes.size(), 0),
                         sizes);
        return out;
      })
      .Case([&](FullOp f) {
        return numeric::full(dtype, sizes, scalarToNDArray(f.getValue()));
      })
      .Case([&](ZerosOp) { return NDArray(dtype, sizes); })
      .Case([&](OnesOp) {
        NDArray one(DType::F64, {});
        one.data<double>()[0] = 1.0;
        return numeric::full(dtype, sizes, one);
      })
      .Case([&](ArangeOp a) {
        return numeric::arange(dtype, sizes[0], a.getStart().convertToDouble(),
                               a.getStep().convertToDouble(), box.lo[0]);
      })
      .Case([&](LinspaceOp l) {
        return numeric::linspace(dtype, sizes[0],
                                 l.getStart().convertToDouble(),
                                 l.getStop().convertToDouble(),
                                 !l.getNoEndpoint(), box.lo[0], global[0]);
      })
      .Case([&](EyeOp e) {
        return numeric::eye(dtype, sizes[0], sizes[1], e.getK(), box.lo[0],
                            box.lo[1]);
      })
      .Case([&](RandomUniformOp r) {
        return numeric::randomUniform(dtype, sizes, r.getSeed(),
                                      r.getLow().convertToDouble(),
                                      r.getHigh().convertToDouble(), global,
                                      box.lo);
      })
      .Case([&](RandomNormalOp r) {
        return numeric::randomNormal(dtype, sizes, r.getSeed(),
                                     r.getLoc().convertToDouble(),
                                     r.getScale().convertToDouble(), global,
                                     box.lo);
      })
      .Case([&](RandomIntegersOp r) {
        return numeric::randomIntegers(dtype, sizes, r.getSeed(), r.getLow(),
                                       r.getHigh(), global, box.lo);
      })
      .Case([&](LoadOp l) -> llvm::Expected<NDArray> {
        auto it = headers.find(op); // Read and checked by prepare().
        return readNpyBox(l.getPath(), it->second, box.lo, sizes);
      })
      .Default([&](Operation *other) -> llvm::Expected<NDArray> {
        return makeError("'" + other->getName().getStringRef() +
                         "' is not supported by the chunked engine");
      });
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// The axes a reduction's kernel reduces (argmin/argmax: at most one).
SmallVector<int64_t> kernelAxes(ReductionOpInterface op) {
  return op.getReducedAxes();
}

llvm::Expected<NDArray>
ChunkTasks::reductionInput(Operation *root, const Box &box) {
  auto fused = dyn_cast<FusedOp>(root->getParentOp());
  if (!fused)
    return operand(root, 0).gather(box);
  // An empty region (a reduction over an empty extent) needs no kernel:
  // prepare() compiled none for it, and tasks must not compile (they run
  // concurrently).
  if (box.empty())
    return NDArray(dtypeOf(root->getOperand(0)), box.sizes());
  auto kernel = kernelFor(fused, KernelUse::FusedInput, rootIndex(root));
  if (!kernel)
    return kernel.takeError();
  if (*kernel) {
    NDArray in(dtypeOf(root->getOperand(0)), box.sizes(),
               NDArray::uninitialized);
    if (auto err = runKernel(fused, **kernel, box, in))
      return std::move(err);
    return in;
  }
  llvm::Error error = llvm::Error::success();
  NDArray in = evaluateBody(fused, root->getOperand(0), box, error);
  if (error)
    return std::move(error);
  return in;
}

/// A compiled partial that summed its box becomes the box's mean; a mean's
/// combine carries an M2 too (zeros: nothing reads it).
static void sumToMean(Partial &p, DType rtype) {
  numeric::visitDType(rtype, [&](auto tag) {
    using R = decltype(tag);
    if constexpr (std::is_floating_point_v<R>) {
      R *v = p.value.data<R>();
      for (int64_t i = 0, n = p.value.size(); i < n; ++i)
        v[i] /= static_cast<R>(p.count);
    }
  });
  p.aux = NDArray(rtype, p.value.shape());
}

unsigned ChunkTasks::rootIndex(Operation *root) {
  auto fused = dyn_cast<FusedOp>(root->getParentOp());
  if (!fused)
    return 0;
  SmallVector<Operation *> roots = fused.getRoots();
  return llvm::find(roots, root) - roots.begin();
}

llvm::Expected<Partial>
ChunkTasks::reductionPartial(ReductionOpInterface op,
                                   const Contraction &contraction,
                                   const Box &box, int64_t step) {
  using numeric::ReduceFn;
  Operation *raw = op.getOperation();
  Box region = contraction.reductionInputRegion(box, step);
  // The op the chunk task belongs to: the reduction, or its fused group.
  Operation *owner = isa<FusedOp>(raw->getParentOp()) ? raw->getParentOp()
                                                      : raw;
  // An empty argmin/argmax is an error, which the runtime's path reports.
  bool emptyArg = codegen::isArgReduction(raw) && region.empty();
  const unsigned root = rootIndex(raw);
  if (codegen::isCompiledReduction(raw) && !emptyArg) {
    auto kernel = kernelFor(owner, KernelUse::Op, root);
    if (!kernel)
      return kernel.takeError();
    if (*kernel && codegen::isArgReduction(raw)) {
      // The partial's value and index, the index -1 until the kernel meets
      // the first element (ChunkKernel.h).
      Partial p;
      p.value = NDArray(dtypeOf(raw->getOperand(0)), box.sizes());
      p.aux = NDArray(DType::I64, box.sizes());
      std::fill_n(p.aux.data<int64_t>(), p.aux.size(), int64_t(-1));
      if (auto err = runKernel(owner, **kernel, region, p.value.bytes(),
                               numeric::contiguousStrides(p.value.shape()),
                               p.aux.bytes()))
        return std::move(err);
      return p;
    }
    if (*kernel) {
      Partial p;
      p.count = 1;
      for (int64_t d : contraction.contractedDims(0))
        p.count *= region.sizes()[d];
      DType rtype = dtypeOf(raw->getResult(0));
      p.value = reductionIdentity(op.getReduceFn(), rtype, box.sizes());
      if (auto err = runKernel(owner, **kernel, region, p.value))
        return std::move(err);
      if (!codegen::isMomentReduction(raw))
        return p;
      // The kernel summed the box: its mean, then (var/std) the sum of
      // squared deviations from it, the chain computed again rather than
      // kept (ChunkKernel.h).
      sumToMean(p, rtype);
      if (!codegen::needsDeviations(raw))
        return p;
      auto deviations = kernelFor(owner, KernelUse::Deviations, root);
      if (!deviations)
        return deviations.takeError();
      if (auto err = runKernel(owner, **deviations, region, p.aux.bytes(),
                               numeric::contiguousStrides(p.aux.shape()),
                               p.value.bytes()))
        return std::move(err);
      return p;
    }
  }
  noteInterpreted(owner, "the runtime computes " +
                      raw->getName().getStringRef().drop_front(5) +
                      " partials (from a compiled kernel's output when fused)");
  llvm::Expected<NDArray> input = reductionInput(raw, region);
  if (!input)
    return input.takeError();
  NDArray in = std::move(*input);
  ReduceFn fn = op.getReduceFn();
  DType rtype = dtypeOf(raw->getResult(0));
  SmallVector<int64_t> axes = kernelAxes(op);
  bool keep = op.getKeepdims();
  Partial p;
  p.count = 1;
  for (int64_t d : contraction.contractedDims(0))
    p.count *= in.shape()[d];

  switch (fn) {
  case ReduceFn::Mean:
  case ReduceFn::Var:
  case ReduceFn::Std: {
    auto mean = numeric::reduce(ReduceFn::Mean, in, axes, keep, 0, rtype);
    auto var = numeric::reduce(ReduceFn::Var, in, axes, keep, 0, rtype);
    if (!mean)
      return mean.takeError();
    if (!var)
      return var.takeError();
    p.value = std::move(*mean);
    p.aux = std::move(*var);
    numeric::visitDType(rtype, [&](auto tag) {
      using R = decltype(tag);
      if constexpr (std::is_floating_point_v<R>)
        for (int64_t i = 0; i < p.aux.size(); ++i)
          p.aux.data<R>()[i] *= static_cast<R>(p.count);
    });
    return p;
  }
  case ReduceFn::ArgMin:
  case ReduceFn::ArgMax: {
    auto local = numeric::reduce(fn, in, axes, keep, 0, DType::I64);
    if (!local)
      return local.takeError();
    p.value = NDArray(in.dtype(), local->shape());
    p.aux = NDArray(DType::I64, local->shape());
    const size_t elt = numeric::dtypeSize(in.dtype());
    Shape inShape = shapeOf(raw->getOperand(0));
    const int64_t *li = local->data<int64_t>();
    if (axes.empty()) {
      // Over the flattened operand: the global flat index.
      Shape idx = unravel(li[0], in.shape());
      for (size_t d = 0; d < idx.size(); ++d)
        idx[d] += region.lo[d];
      p.aux.data<int64_t>()[0] = ravel(idx, inShape);
      std::memcpy(p.value.bytes(), in.bytes() + li[0] * elt, elt);
      return p;
    }
    int64_t axis = axes[0];
    Shape rest = in.shape();
    rest.erase(rest.begin() + axis);
    for (int64_t e = 0, n = local->size(); e < n; ++e) {
      Shape idx = unravel(e, rest);
      idx.insert(idx.begin() + axis, li[e]);
      std::memcpy(p.value.bytes() + e * elt,
                  in.bytes() + ravel(idx, in.shape()) * elt, elt);
      p.aux.data<int64_t>()[e] = region.lo[axis] + li[e];
    }
    return p;
  }
  default: {
    auto value = numeric::reduce(fn, in, axes, keep, 0, rtype);
    if (!value)
      return value.takeError();
    p.value = std::move(*value);
    return p;
  }
  }
}

Partial ChunkTasks::combine(ReductionOpInterface op, const Partial &a,
                                  const Partial &b) {
  using numeric::BinaryFn;
  using numeric::ReduceFn;
  ReduceFn fn = op.getReduceFn();
  DType rtype = dtypeOf(op->getResult(0));
  Partial out;
  out.count = a.count + b.count;
  auto apply = [&](BinaryFn f) {
    auto r = numeric::binary(f, a.value, b.value, rtype);
    return std::move(*r); // Combining same-shaped partials cannot fail.
  };
  bool isBool = rtype == DType::Bool;
  switch (fn) {
  case ReduceFn::Sum:
  case ReduceFn::CountNonzero:
    out.value = apply(BinaryFn::Add);
    break;
  case ReduceFn::Prod:
    out.value = apply(BinaryFn::Mul);
    break;
  case ReduceFn::Min:
    out.value = apply(isBool ? BinaryFn::LogicalAnd : BinaryFn::Minimum);
    break;
  case ReduceFn::Max:
    out.value = apply(isBool ? BinaryFn::LogicalOr : BinaryFn::Maximum);
    break;
  case ReduceFn::Any:
    out.value = apply(BinaryFn::LogicalOr);
    break;
  case ReduceFn::All:
    out.value = apply(BinaryFn::LogicalAnd);
    break;
  case ReduceFn::Mean:
  case ReduceFn::Var:
  case ReduceFn::Std:
    // Chan, Golub and LeVeque's pairwise update of (count, mean, M2).
    if (a.count == 0 || b.count == 0) {
      const Partial &kept = a.count == 0 ? b : a;
      out.value = kept.value;
      out.aux = kept.aux;
      break;
    }
    out.value = a.value;
    out.aux = a.aux;
    numeric::visitDType(rtype, [&](auto tag) {
      using R = decltype(tag);
      if constexpr (std::is_floating_point_v<R>) {
        R na = a.count, nb = b.count, n = na + nb;
        R wa = na / n, wb = nb / n;
        R inf = std::numeric_limits<R>::infinity();
        for (int64_t i = 0; i < out.value.size(); ++i) {
          R ma = a.value.data<R>()[i], mb = b.value.data<R>()[i];
          R delta = mb - ma;
          // numpy's mean is sum / n, and its var the mean square deviation
          // from that mean. Chan's form is used while it is finite.
          // Otherwise: finite means whose sum overflows give numpy's
          // infinite mean; infinite or NaN means, or finite means whose
          // difference overflows, give the weighted sum of the means
          // (inf + finite is inf, inf - inf is NaN, and 1.5e308 and
          // -1.5e308 average to 0), where Chan's form would give NaN or an
          // infinity.
          R sum = ma * na + mb * nb;
          R mean;
          if (std::isfinite(delta) && std::isfinite(sum))
            mean = ma + delta * wb;
          else if (std::isfinite(ma) && std::isfinite(mb) && !std::isfinite(sum))
            mean = sum / n;
          else
            mean = ma * wa + mb * wb;
          out.value.data<R>()[i] = mean;
          // Where a mean is not finite, numpy's var is NaN if an element is
          // not finite (a partial's M2 is NaN then) and inf otherwise (the
          // sum overflowed): the cross term is taken as inf, never as the
          // NaN of inf - inf.
          R cross = std::isfinite(ma) && std::isfinite(mb) &&
                            std::isfinite(mean)
                        ? delta * delta * (na * wb)
                        : inf;
          out.aux.data<R>()[i] = a.aux.data<R>()[i] + b.aux.data<R>()[i] + cross;
        }
      }
    });
    break;
  case ReduceFn::ArgMin:
  case ReduceFn::ArgMax:
    out.value = a.value;
    out.aux = a.aux;
    numeric::visitDType(a.value.dtype(), [&](auto tag) {
      using T = decltype(tag);
      for (int64_t i = 0; i < out.value.size(); ++i) {
        T va = a.value.data<T>()[i], vb = b.value.data<T>()[i];
        int64_t ia = a.aux.data<int64_t>()[i], ib = b.aux.data<int64_t>()[i];
        bool takeB;
        if (numeric::isNaN(va) || numeric::isNaN(vb))
          takeB = numeric::isNaN(vb) && (!numeric::isNaN(va) || ib < ia);
        else if (va == vb)
          takeB = ib < ia;
        else
          takeB = fn == ReduceFn::ArgMin ? vb < va : vb > va;
        if (takeB) {
          out.value.data<T>()[i] = vb;
          out.aux.data<int64_t>()[i] = ib;
        }
      }
    });
    break;
  }
  return out;
}

NDArray ChunkTasks::finish(ReductionOpInterface op, Partial p) {
  using numeric::ReduceFn;
  ReduceFn fn = op.getReduceFn();
  if (fn == ReduceFn::ArgMin || fn == ReduceFn::ArgMax)
    return std::move(p.aux);
  if (fn != ReduceFn::Var && fn != ReduceFn::Std)
    return std::move(p.value);
  DType rtype = dtypeOf(op->getResult(0));
  numeric::visitDType(rtype, [&](auto tag) {
    using R = decltype(tag);
    if constexpr (std::is_floating_point_v<R>) {
      R div = static_cast<R>(std::max<int64_t>(p.count - op.getDeltaDof(), 0));
      for (int64_t i = 0; i < p.aux.size(); ++i) {
        R var = p.aux.data<R>()[i] / div;
        p.aux.data<R>()[i] = fn == ReduceFn::Std ? std::sqrt(var) : var;
      }
    }
  });
  return std::move(p.aux);
}

llvm::Expected<NDArray>
ChunkTasks::contractChunk(Operation *op, const Contraction &contraction,
                          const Box &box, Operation *root) {
  const int64_t steps = contraction.steps().numChunks();
  auto tree = combineTree(steps, options.fanIn);
  auto reduction =
      dyn_cast<ReductionOpInterface>(root ? root : contraction.root());

  if (!reduction) {
    // matmul / tensordot: one chunk product per step, summed by the tree.
    auto product = [&](std::optional<int64_t> s) {
      return numeric::tensordot(
          operand(op, 0).gather(contraction.operandRegion(0, box, s)),
          operand(op, 1).gather(contraction.operandRegion(1, box, s)),
          contraction.contractedDims(0), contraction.contractedDims(1));
    };
    if (steps == 0)
      return product(std::nullopt);
    std::vector<NDArray> level;
    for (int64_t s = 0; s < steps; ++s)
      level.push_back(product(s));
    DType rtype = dtypeOf(op->getResult(0));
    for (const auto &nodes : tree) {
      std::vector<NDArray> next;
      for (const auto &group : nodes) {
        NDArray acc = std::move(level[group[0]]);
        for (size_t k = 1; k < group.size(); ++k)
          acc = std::move(*numeric::binary(numeric::BinaryFn::Add, acc,
                                           level[group[k]], rtype));
        next.push_back(std::move(acc));
      }
      level = std::move(next);
    }
    return std::move(level[0]);
  }

  if (steps == 0) {
    // An empty reduced extent: the kernel gives numpy's identity or error.
    llvm::Expected<NDArray> in = reductionInput(
        reduction, contraction.reductionInputRegion(box, std::nullopt));
    if (!in)
      return in.takeError();
    return numeric::reduce(reduction.getReduceFn(), *in, kernelAxes(reduction),
                           reduction.getKeepdims(), reduction.getDeltaDof(),
                           dtypeOf(reduction->getResult(0)));
  }
  std::vector<Partial> level;
  for (int64_t s = 0; s < steps; ++s) {
    auto p = reductionPartial(reduction, contraction, box, s);
    if (!p)
      return p.takeError();
    level.push_back(std::move(*p));
  }
  for (const auto &nodes : tree) {
    std::vector<Partial> next;
    for (const auto &group : nodes) {
      Partial acc = std::move(level[group[0]]);
      for (size_t k = 1; k < group.size(); ++k)
        acc = combine(reduction, acc, level[group[k]]);
      next.push_back(std::move(acc));
    }
    level = std::move(next);
  }
  return finish(reduction, std::move(level[0]));
}

bool ChunkTasks::blasShapes(Operation *op) {
  if (!isa<MatmulOp, TensordotOp>(op))
    return false;
  DType dtype = dtypeOf(op->getResult(0));
  Contraction contraction(op);
  return (dtype == DType::F32 || dtype == DType::F64) &&
         contraction.contractedDims(0).size() == 1 &&
         contraction.contractedDims(1).size() == 1 &&
         shapeOf(op->getOperand(0)).size() <= 2 &&
         shapeOf(op->getOperand(1)).size() <= 2;
}

MatrixView ChunkTasks::blasOperand(Operation *op, unsigned i,
                                         const Box &region,
                                         int64_t contracted,
                                         ChunkedArray::View &keep) {
  // Vectors are 1 x K (left) and K x 1 (right) matrices.
  bool left = i == 0;
  Value v = op->getOperand(i);
  Box src = region;
  auto lazy = lazyTransposes.find(v);
  if (lazy != lazyTransposes.end()) {
    // The transposed region of the transpose's input, flagged transposed.
    src = Box{{region.lo[1], region.lo[0]}, {region.hi[1], region.hi[0]}};
    keep = values.find(lazy->second)->second.view(src);
    contracted = 1 - contracted;
  } else {
    keep = operand(op, i).view(region);
  }
  Shape sizes = src.sizes();
  if (sizes.size() == 1)
    return left ? MatrixView{keep.base, 1, sizes[0], sizes[0], false}
                : MatrixView{keep.base, sizes[0], 1, 1, false};
  bool transposed = left ? contracted == 0 : contracted == 1;
  return MatrixView{keep.base, sizes[0], sizes[1],
                    std::max<int64_t>(keep.strides[0], 1), transposed};
}

llvm::Error ChunkTasks::blasProduct(Operation *op,
                                    const Contraction &contraction,
                                    const Box &box, uint8_t *out,
                                    int64_t ldc) {
  DType dtype = dtypeOf(op->getResult(0));
  // On the GPU: every step accumulates into one device buffer, written back
  // once (and kept there for the chunk's readers).
  std::unique_ptr<CudaDevice::Task> gpuTask;
  uint64_t deviceOut = 0;
  int64_t outRows = 0, outCols = 0, outLd = 0;
  ArrayRef<int64_t> ca = contraction.contractedDims(0);
  ArrayRef<int64_t> cb = contraction.contractedDims(1);
  // The output is M x N: rows `ldc` apart (rank 2), or one row or column
  // (rank <= 1).
  const bool matrix = shapeOf(op->getResult(0)).size() == 2;
  // A block on the diagonal of a.dot(a.T) is a sum of A_i A_i^T: syrk
  // computes its upper triangle in half of gemm's flops and the lower one
  // is mirrored at the end (as numpy's syrk does for the whole product).
  const bool diagonal = !options.gpu && matrix && isSymmetricProduct(op) &&
                        box.lo[0] == box.lo[1] && box.hi[0] == box.hi[1];
  bool syrkSteps = false, gemmSteps = false;
  for (int64_t s = 0, steps = contraction.steps().numChunks(); s < steps;
       ++s) {
    Box ra = contraction.operandRegion(0, box, s);
    Box rb = contraction.operandRegion(1, box, s);
    if (ra.empty() || rb.empty())
      continue;
    ChunkedArray::View va, vb;
    MatrixView a = blasOperand(op, 0, ra, ca[0], va);
    MatrixView b = blasOperand(op, 1, rb, cb[0], vb);
    const int64_t n = b.transposed ? b.rows : b.cols;
    const int64_t ld = matrix ? ldc : std::max<int64_t>(n, 1);
    if (!options.gpu) {
      if (diagonal && isGramProduct(a, b)) {
        timeCompiled([&] { syrkAccumulate(dtype, a, out, ld); });
        syrkSteps = true;
      } else {
        timeCompiled([&] { gemmAccumulate(dtype, a, b, out, ld); });
        gemmSteps = true;
      }
      continue;
    }
    llvm::Error error = llvm::Error::success();
    timeCompiled([&] {
      if (!gpuTask) {
        gpuTask = options.gpu->beginTask();
        outRows = a.transposed ? a.cols : a.rows;
        outCols = n;
        outLd = ld;
        auto buffer = gpuTask->buffer(static_cast<size_t>(outRows * outCols) *
                                      numeric::dtypeSize(dtype));
        if (!buffer) {
          error = buffer.takeError();
          return;
        }
        deviceOut = *buffer;
      }
      error = gpuTask->gemmAccumulate(dtype, a, b, deviceOut, outRows, outCols);
    });
    if (error)
      return error;
  }
  if (syrkSteps) {
    if (gemmSteps)
      return makeError("internal error: a diagonal block of a symmetric "
                       "product mixed syrk and gemm steps");
    timeCompiled([&] { mirrorUpper(dtype, out, box.sizes()[0], ldc); });
  }
  if (!gpuTask)
    return llvm::Error::success();
  HostRegion to{out, {outRows, outCols}, {outLd, 1}, numeric::dtypeSize(dtype)};
  return gpuTask->writeBack(deviceOut, to, /*keep=*/true);
}

//===----------------------------------------------------------------------===//
// Set-up of ops
//===----------------------------------------------------------------------===//

void ChunkTasks::findLazyTransposes(Block &body) {
  if (!options.kernels && !planOnly)
    return;
  for (Operation &op : body)
    // Only a real transpose: BLAS reads the source as its transpose (an
    // identity permutation [0, 1] is a copy).
    if (auto t = dyn_cast<TransposeOp>(op))
      if (shapeOf(t.getResult()).size() == 2 &&
          llvm::equal(t.getPerm(), ArrayRef<int64_t>{1, 0}) &&
          !t.getResult().use_empty() &&
          llvm::all_of(t.getResult().getUsers(),
                       [&](Operation *user) { return blasShapes(user); }))
        lazyTransposes[t.getResult()] = t.getInput();
}

llvm::Error ChunkTasks::prepare(Operation *op) {
  llvm::Error error = llvm::Error::success();
  op->walk([&](Operation *inner) {
    if (error)
      return;
    if (auto c = dyn_cast<ConstantOp>(inner))
      constants.try_emplace(inner,
                            toNDArray(cast<DenseElementsAttr>(c.getValue())));
    if (auto l = dyn_cast<LoadOp>(inner)) {
      auto header = readNpyHeader(l.getPath());
      if (!header) {
        error = header.takeError();
        return;
      }
      if (auto err = checkMatchesType(header->dtype, header->shape,
                                      l.getResult().getType())) {
        error = makeError("'" + l.getPath() + "' " +
                          llvm::toString(std::move(err)));
        return;
      }
      headers.try_emplace(inner, std::move(*header));
    }
  });
  if (error || (!options.kernels && !planOnly))
    return error;
  if (op->getNumResults() == 1 && lazyTransposes.count(op->getResult(0)))
    return llvm::Error::success();
  if (isa<ElementwiseOpInterface, FusedOp, ReductionOpInterface>(op)) {
    if (planOnly)
      return llvm::Error::success();
    // A multi-output group has the kernels of each root.
    auto fused = dyn_cast<FusedOp>(op);
    for (unsigned i = 0, n = op->getNumResults(); i < n; ++i) {
      auto kernel = kernelFor(op, KernelUse::Op, i);
      if (!kernel)
        return kernel.takeError();
      if (*kernel && codegen::needsDeviations(op)) {
        auto deviations = kernelFor(op, KernelUse::Deviations, i);
        if (!deviations)
          return deviations.takeError();
      }
      // A fused reduction whose partial the runtime computes reads its
      // input from a map kernel.
      Operation *root = fused ? fused.getRoots()[i] : nullptr;
      if (isa_and_nonnull<ReductionOpInterface>(root) &&
          (!*kernel || !codegen::isCompiledReduction(root))) {
        auto input = kernelFor(op, KernelUse::FusedInput, i);
        if (!input)
          return input.takeError();
      }
    }
    return llvm::Error::success();
  }
  if (isa<MatmulOp, TensordotOp>(op)) {
    if (!blasShapes(op)) {
      noteInterpreted(op, "BLAS takes f32/f64 products of matrices and "
                          "vectors contracting one axis");
      return llvm::Error::success();
    }
    blasOps.insert(op);
    // a.dot(a.T) is symmetric: with square chunks, compute the blocks on and
    // above the diagonal and mirror the others (half the flops, as numpy's
    // syrk).
    auto lazy = lazyTransposes.find(op->getOperand(1));
    std::optional<Layout> layout = getLayout(op->getResult(0));
    if (isa<MatmulOp>(op) && lazy != lazyTransposes.end() &&
        lazy->second == op->getOperand(0) && layout &&
        layout->chunk().size() == 2 &&
        layout->chunk()[0] == layout->chunk()[1])
      symmetricOps.insert(op);
    return llvm::Error::success();
  }
  if (!isa<SaveOp>(op))
    noteInterpreted(op, "data movement and creation run in the runtime");
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Tasks
//===----------------------------------------------------------------------===//

void ChunkTasks::store(Value v, int64_t c, NDArray chunk) {
  ChunkedArray &out = array(v);
  if (!out.whole) {
    out.slots[c].data = std::make_shared<NDArray>(std::move(chunk));
    return;
  }
  Box box = out.layout.chunkBox(c);
  numeric::copyBox(chunk, Shape(box.rank(), 0), const_cast<NDArray &>(*out.whole),
                   box.lo, box.sizes());
}

llvm::Error ChunkTasks::mapTask(Operation *op, int64_t c) {
  Value result = op->getResult(0);
  ChunkedArray &out = array(result);
  Box box = out.layout.chunkBox(c);
  if (isa<ElementwiseOpInterface, FusedOp>(op)) {
    auto kernel = kernelFor(op, KernelUse::Op);
    if (!kernel)
      return kernel.takeError();
    if (*kernel) {
      // Written in place: into the whole value, or a fresh chunk.
      if (out.whole)
        return runKernel(op, **kernel, box, out.wholeAddress(box),
                         numeric::contiguousStrides(out.layout.shape()));
      NDArray chunk(out.dtype, box.sizes(), NDArray::uninitialized);
      if (auto err = runKernel(op, **kernel, box, chunk))
        return err;
      store(result, c, std::move(chunk));
      return llvm::Error::success();
    }
  }
  llvm::Expected<NDArray> chunk = mapChunk(op, box);
  if (!chunk)
    return chunk.takeError();
  store(result, c, std::move(*chunk));
  return llvm::Error::success();
}

llvm::Error ChunkTasks::productTask(Operation *op,
                                    const Contraction &contraction,
                                    int64_t c) {
  Value result = op->getResult(0);
  ChunkedArray &out = array(result);
  Box box = out.layout.chunkBox(c);
  if (usesBlas(op)) {
    // Every step accumulates into the (zeroed) output in place.
    const bool matrix = box.rank() == 2;
    if (out.whole) {
      return blasProduct(op, contraction, box, out.wholeAddress(box),
                         matrix ? out.layout.shape()[1] : 0);
    }
    NDArray chunk(out.dtype, box.sizes());
    if (auto err = blasProduct(op, contraction, box, chunk.bytes(),
                               matrix ? box.sizes()[1] : 0))
      return err;
    store(result, c, std::move(chunk));
    return llvm::Error::success();
  }
  // A multi-output group: a chunk of every result.
  auto fused = dyn_cast<FusedOp>(op);
  SmallVector<Operation *> roots;
  if (fused)
    roots = fused.getRoots();
  else
    roots.push_back(nullptr);
  for (auto [i, root] : llvm::enumerate(roots)) {
    llvm::Expected<NDArray> chunk = contractChunk(op, contraction, box, root);
    if (!chunk)
      return chunk.takeError();
    store(op->getResult(i), c, std::move(*chunk));
  }
  return llvm::Error::success();
}

llvm::Error ChunkTasks::mirrorTask(Operation *op, int64_t c) {
  Value result = op->getResult(0);
  ChunkedArray &out = array(result);
  Box box = out.layout.chunkBox(c);
  Box mirrored{{box.lo[1], box.lo[0]}, {box.hi[1], box.hi[0]}};
  ChunkedArray::View src = out.view(mirrored);
  NDArray chunk;
  uint8_t *dst;
  int64_t ld;
  if (out.whole) {
    dst = out.wholeAddress(box);
    ld = out.layout.shape()[1];
  } else {
    chunk = NDArray(out.dtype, box.sizes(), NDArray::uninitialized);
    dst = chunk.bytes();
    ld = box.sizes()[1];
  }
  // dst(r, k) = src(k, r), tile by tile to stay in cache.
  const size_t elt = numeric::dtypeSize(out.dtype);
  const int64_t rows = box.sizes()[0], cols = box.sizes()[1];
  const int64_t srcLd = src.strides[0];
  constexpr int64_t kTile = 64;
  for (int64_t r0 = 0; r0 < rows; r0 += kTile)
    for (int64_t k0 = 0; k0 < cols; k0 += kTile)
      for (int64_t r = r0; r < std::min(r0 + kTile, rows); ++r)
        for (int64_t k = k0; k < std::min(k0 + kTile, cols); ++k)
          std::memcpy(dst + (r * ld + k) * elt, src.base + (k * srcLd + r) * elt,
                      elt);
  if (!out.whole)
    store(result, c, std::move(chunk));
  return llvm::Error::success();
}

llvm::Expected<std::vector<Partial>>
ChunkTasks::partialTask(Operation *op, const Contraction &contraction,
                        int64_t c, int64_t step) {
  Box box = array(op->getResult(0)).layout.chunkBox(c);
  std::vector<Partial> partials;
  auto fused = dyn_cast<FusedOp>(op);
  if (fused && fused->getNumResults() > 1) {
    if (auto err = siblingPartials(fused, contraction, box, step, partials))
      return std::move(err);
    if (!partials.empty())
      return partials;
  }
  for (ReductionOpInterface root : rootReductions(op)) {
    auto p = reductionPartial(root, contraction, box, step);
    if (!p)
      return p.takeError();
    partials.push_back(std::move(*p));
  }
  return partials;
}

llvm::Error ChunkTasks::siblingPartials(FusedOp fused,
                                        const Contraction &contraction,
                                        const Box &box, int64_t step,
                                        std::vector<Partial> &partials) {
  // Compiled CPU kernels, one per root, run over the step's region slab by
  // slab, every root in turn: each slab of the inputs comes from memory once
  // and stays in cache for the other roots (Design.md, "Fusion").
  Box region = contraction.reductionInputRegion(box, step);
  if (options.gpu || region.empty() || region.rank() == 0)
    return llvm::Error::success();
  SmallVector<Operation *> roots = fused.getRoots();
  SmallVector<const OpKernel *> kernels;
  for (unsigned i = 0; i < roots.size(); ++i) {
    auto kernel = kernelFor(fused, KernelUse::Op, i);
    if (!kernel)
      return kernel.takeError();
    if (!*kernel)
      return llvm::Error::success();
    kernels.push_back(*kernel);
  }
  int64_t count = 1;
  for (int64_t d : contraction.contractedDims(0))
    count *= region.sizes()[d];
  std::vector<Partial> ps(roots.size());
  for (auto [p, root] : llvm::zip(ps, roots)) {
    p.count = count;
    p.value = reductionIdentity(cast<ReductionOpInterface>(root).getReduceFn(),
                                dtypeOf(root->getResult(0)), box.sizes());
  }
  // Slabs along the region's first dimension; when it is not reduced, a
  // slab's partials start that many rows into the output.
  const int64_t rowElements = region.numElements() / region.sizes()[0];
  const int64_t rows = std::max<int64_t>(1, kSlabElements / rowElements);
  const bool firstReduced =
      llvm::is_contained(codegen::kernelReducedDims(roots.front()), 0);
  uint64_t calls = 0;
  for (int64_t lo = region.lo[0]; lo < region.hi[0]; lo += rows) {
    Box slab = region;
    slab.lo[0] = lo;
    slab.hi[0] = std::min(lo + rows, region.hi[0]);
    for (auto [p, kernel] : llvm::zip(ps, kernels)) {
      Shape strides = numeric::contiguousStrides(p.value.shape());
      int64_t offset = firstReduced ? 0 : (lo - region.lo[0]) * strides[0];
      if (auto err = runKernel(fused, *kernel, slab,
                               p.value.bytes() +
                                   offset * numeric::dtypeSize(p.value.dtype()),
                               strides, nullptr, /*countTask=*/calls++ == 0))
        return err;
    }
  }
  for (auto [p, root] : llvm::zip(ps, roots))
    if (codegen::isMomentReduction(root))
      sumToMean(p, dtypeOf(root->getResult(0)));
  partials = std::move(ps);
  return llvm::Error::success();
}

llvm::Error ChunkTasks::saveTask(SaveOp op, NpyBoxWriter &writer, int64_t c) {
  const ChunkedArray &in = operand(op, 0);
  Box box = in.layout.chunkBox(c);
  return in.whole ? writer.writeBox(box.lo, in.gather(box))
                  : writer.writeBox(box.lo, *in.slots[c].data);
}
