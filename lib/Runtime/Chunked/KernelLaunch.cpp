//===- KernelLaunch.cpp - Running a chunk's compiled kernel ---------------===//
//
// How a chunk task calls a generated kernel (ChunkKernel.h): an op's
// kernels (compileKernel, kernelFor), the argument arrays the CPU and GPU
// launches pack (base pointers of each input's region and the strides that
// step through it), the OpenMP threads a CPU launch may use, and the GPU
// launch with its grid policy and device-memory regions.
//
//===----------------------------------------------------------------------===//

#include "mars/Runtime/ChunkTasks.h"

#include "mars/Numeric/ScalarABI.h"
#include "mars/Runtime/KernelArgs.h"
#include "mars/Runtime/TaskPlan.h"
#include "mars/Support/Trace.h"

#include <chrono>

using namespace mlir;
using namespace mars;
using namespace mars::chunked;
using namespace mars::tiling;

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

/// A kernel's work per element, in cheap steps: every random draw,
/// division, power and libm function counts 8 (detail::elementwiseWork).
int64_t kernelCost(const codegen::KernelSource &src) {
  int64_t cost = 1;
  for (Operation *op : src.ops)
    if (int64_t work = mars::detail::elementwiseWork(op); work > 1)
      cost += work;
  return cost;
}
} // namespace

void chunked::setKernelThreads(unsigned n) {
  kernelThreads = std::max(1u, n);
  omp_set_num_threads(static_cast<int>(kernelThreads));
  ompRequested = kernelThreads;
}



//===----------------------------------------------------------------------===//
// Compiled kernels
//===----------------------------------------------------------------------===//

const ChunkTasks::OpKernel *
ChunkTasks::kernelFor(Operation *op, KernelRole role, unsigned root) const {
  auto found = kernels.find({op, role, root});
  return found == kernels.end() ? nullptr : &found->second;
}

llvm::Error ChunkTasks::compileKernel(Operation *op,
                                      codegen::OpKernelSource kernel) {
  std::tuple<Operation *, KernelRole, unsigned> key{op, kernel.role,
                                                    kernel.root};
  if (kernels.count(key))
    return llvm::Error::success();
  if (options.gpu) {
    auto start = Trace::Clock::now();
    auto image = options.gpuKernels->get(kernel.source);
    if (!image)
      return image.takeError();
    if (options.trace)
      options.trace->span("compile",
                          "prepare GPU kernel of " + traceName(op),
                          0, 0, start, Trace::Clock::now());
    kernels.emplace(key, OpKernel{nullptr, *image, std::move(kernel.source)});
    return llvm::Error::success();
  }
  auto start = Trace::Clock::now();
  size_t built = options.kernels->stats().kernels.size();
  auto fn = options.kernels->get(kernel.source);
  if (!fn)
    return fn.takeError();
  if (options.trace && options.kernels->stats().kernels.size() > built) {
    bool fromDisk = options.kernels->stats().kernels.back().fromDisk;
    options.trace->span("compile",
                        (fromDisk ? "load kernel of " : "compile kernel of ") +
                            traceName(op),
                        0, 0, start, Trace::Clock::now());
  }
  int64_t cost = kernelCost(kernel.source);
  kernels.emplace(key,
                  OpKernel{*fn, nullptr, std::move(kernel.source), cost});
  return llvm::Error::success();
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
  KernelArgs args(src, box, /*gpu=*/false);
  std::vector<ChunkedArray::View> views;
  views.reserve(src.inputs.size());
  for (Value input : src.inputs) {
    auto [region, map] = kernelInputMap(input, box);
    views.push_back(kernelInput(op, input).view(region));
    const ChunkedArray::View &v = views.back();
    args.addInput(reinterpret_cast<uintptr_t>(v.base), map, v.strides);
  }
  args.setOutput(reinterpret_cast<uintptr_t>(outBase), outStrides);
  if (src.deviations || codegen::isArgReduction(src.reduction))
    args.setCenter(reinterpret_cast<uintptr_t>(center));
  // Only a box with enough work is split over this worker's OpenMP
  // threads; a small one runs here, without waking them.
  unsigned threads =
      kernelThreads > 1 && box.numElements() * kernel.cost >= kSplitWork
          ? kernelThreads
          : 1;
  // One thread runs the kernel's serial loop: no parallel region at all.
  args.setThreaded(threads > 1);
  if (threads > 1 && threads != ompRequested) {
    omp_set_num_threads(static_cast<int>(threads));
    ompRequested = threads;
  }
  const std::vector<int64_t> &meta = args.meta();
  // Pointers are words of the kernel's `ptrs` array (KernelABI).
  static_assert(sizeof(void *) == sizeof(uint64_t));
  void **ptrs = reinterpret_cast<void **>(
      const_cast<uint64_t *>(args.ptrs().data()));
  timeCompiled([&] { kernel.fn(ptrs, meta.data()); }, countTask);
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
    KernelArgs args(src, box, /*gpu=*/true);
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
      args.addInput(device->address, map, device->strides);
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
    args.setOutput(*out, dense);
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
    args.setGpuScratch(scratch, *flag, splits);
    if (src.deviations) {
      // The means, laid out as the partial (dense).
      auto means = task->input(HostRegion{center, outSizes, dense,
                                          host.elementSize});
      if (!means) {
        error = means.takeError();
        return;
      }
      args.setCenter(means->address);
    }
    const GpuKernelImage &image = *kernel.gpu;
    std::string entry = image.entry;
    const std::vector<int64_t> &meta = args.meta();
    auto launch = [&](llvm::StringRef suffix, std::array<unsigned, 2> grid) {
      return task->launch(image, entry + suffix.str(), grid, args.ptrs(),
                          meta);
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
