//===- ChunkTasks.cpp - What one chunk task computes ----------------------===//
//
// A map task computes one output chunk from the operand regions its op's
// chunk rules name; a partial task computes one step of a reduction's output
// chunk, and partials combine pairwise by the reduction's row of the algebra
// table (Reductions.h). Compiled kernels (KernelLaunch.cpp) and OpenBLAS
// (BlasProducts.cpp) do the work where they apply, the ops' chunk rules and
// the reference kernels of mars::numeric everywhere else.
//
//===----------------------------------------------------------------------===//

#include "mars/Runtime/ChunkTasks.h"
#include "mars/Numeric/Sparse.h"

#include "mars/Numeric/Reductions.h"

#include "mars/Numeric/Kernels.h"
#include "mars/Numeric/OpenBlas.h"
#include "mars/Numeric/ScalarABI.h"

#include "llvm/ADT/TypeSwitch.h"

#include <chrono>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mars;
using namespace mars::chunked;
using namespace mars::tiling;

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

using numeric::ravel;
using numeric::unravel;

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
  if (sparse) {
    if (whole)
      return numeric::cropCsr(*whole, box.lo[0], box.hi[0], box.lo[1],
                              box.hi[1]);
    std::vector<int64_t> overlapping = layout.chunksOverlapping(box);
    if (overlapping.size() == 1) { // The crop is the box: nothing to join.
      Box cb = layout.chunkBox(overlapping[0]);
      return numeric::cropCsr(*slots[overlapping[0]].data,
                              box.lo[0] - cb.lo[0], box.hi[0] - cb.lo[0],
                              box.lo[1] - cb.lo[1], box.hi[1] - cb.lo[1]);
    }
    // The overlapping part of each chunk, placed in the box.
    std::vector<NDArray> parts;
    std::vector<numeric::CsrBlock> blocks;
    parts.reserve(overlapping.size());
    for (int64_t c : overlapping) {
      Box cb = layout.chunkBox(c);
      int64_t r0 = std::max(cb.lo[0], box.lo[0]),
              r1 = std::min(cb.hi[0], box.hi[0]);
      int64_t c0 = std::max(cb.lo[1], box.lo[1]),
              c1 = std::min(cb.hi[1], box.hi[1]);
      parts.push_back(numeric::cropCsr(*slots[c].data, r0 - cb.lo[0],
                                       r1 - cb.lo[0], c0 - cb.lo[1],
                                       c1 - cb.lo[1]));
      blocks.push_back({&parts.back(), r0 - box.lo[0], c0 - box.lo[1]});
    }
    return numeric::assembleCsr(dtype, box.sizes(), blocks);
  }
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
  a.sparse = array.isSparse();
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
  a.sparse = isCsr(v);
  if (a.sparse && v.getDefiningOp<SparseBoundOpInterface>()) {
    // The operands are added first (arguments before any op).
    auto known = [this](Value w, const Box &region) {
      return storedIn(w, region);
    };
    a.boundBytes.resize(a.layout.numChunks());
    for (int64_t c = 0; c < a.layout.numChunks(); ++c) {
      Box box = a.layout.chunkBox(c);
      a.boundBytes[c] = numeric::csrBytes(
          a.dtype, box.sizes()[0], mars::detail::storedBoundOf(v, box, known));
    }
  }
  a.slots.resize(a.layout.numChunks());
  (void)whole;
  return values[v] = std::move(a);
}

std::optional<int64_t> ChunkTasks::storedIn(Value v, const Box &region) const {
  auto it = values.find(v);
  if (it == values.end() || !it->second.sparse || !it->second.whole)
    return std::nullopt;
  return numeric::csrStoredIn(*it->second.whole, region.lo[0], region.hi[0],
                              region.lo[1], region.hi[1]);
}

void ChunkTasks::allocateWhole(Value v, bool zero) {
  ChunkedArray &a = array(v);
  if (a.sparse) // Assembled from its chunks when taken (takeWhole).
    return;
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

//===----------------------------------------------------------------------===//
// Map ops
//===----------------------------------------------------------------------===//

llvm::Expected<NDArray> ChunkTasks::mapChunk(Operation *op, const Box &box) {
  // The op's chunk rule over `box`, from the operand regions it names.
  auto rules = cast<ChunkOpInterface>(op);
  unsigned n = op->getNumOperands();
  SmallVector<NDArray> regions(n);
  SmallVector<tiling::BoxOperand> operands(n);
  SmallVector<std::optional<Box>> read = rules.getOperandRegions(box);
  for (unsigned i = 0; i < n; ++i)
    if (const std::optional<Box> &r = read[i]) {
      regions[i] = operand(op, i).gather(*r);
      operands[i] = {&regions[i], r->lo, &regions[i]};
    }
  return rules.computeBox(operands, box);
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
  // An empty region (a reduction over an empty extent) runs no kernel.
  if (box.empty())
    return NDArray(dtypeOf(root->getOperand(0)), box.sizes());
  const OpKernel *kernel = kernelFor(fused, KernelRole::FusedInput, rootIndex(root));
  if (kernel) {
    NDArray in(dtypeOf(root->getOperand(0)), box.sizes(),
               NDArray::uninitialized);
    if (auto err = runKernel(fused, *kernel, box, in))
      return std::move(err);
    return in;
  }
  // The body up to the root's operand, from the inputs' regions.
  unsigned n = fused->getNumOperands();
  SmallVector<NDArray> regions(n);
  SmallVector<tiling::BoxOperand> inputs(n);
  for (unsigned i = 0; i < n; ++i)
    if (!fused.getBody().front().getArgument(i).use_empty()) {
      Box r = tiling::fusedInputRegion(fused, i, box);
      regions[i] = operand(fused, i).gather(r);
      inputs[i] = {&regions[i], r.lo, &regions[i]};
    }
  return detail::evaluateFusedBody(fused, inputs, root->getOperand(0), box);
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
    const OpKernel *kernel = kernelFor(owner, KernelRole::Op, root);
    if (kernel && codegen::isArgReduction(raw)) {
      // The partial's value and index, the index -1 until the kernel meets
      // the first element (ChunkKernel.h).
      Partial p;
      p.value = NDArray(dtypeOf(raw->getOperand(0)), box.sizes());
      p.aux = NDArray(DType::I64, box.sizes());
      std::fill_n(p.aux.data<int64_t>(), p.aux.size(), int64_t(-1));
      if (auto err = runKernel(owner, *kernel, region, p.value.bytes(),
                               numeric::contiguousStrides(p.value.shape()),
                               p.aux.bytes()))
        return std::move(err);
      return p;
    }
    if (kernel) {
      Partial p;
      p.count = 1;
      for (int64_t d : contraction.contractedDims(0))
        p.count *= region.sizes()[d];
      DType rtype = dtypeOf(raw->getResult(0));
      p.value = numeric::identityArray(op.getReduceFn(), rtype, box.sizes());
      if (auto err = runKernel(owner, *kernel, region, p.value))
        return std::move(err);
      if (!codegen::isMomentReduction(raw))
        return p;
      // The kernel summed the box: its mean, then (var/std) the sum of
      // squared deviations from it, the chain computed again rather than
      // kept (ChunkKernel.h).
      sumToMean(p, rtype);
      if (!codegen::needsDeviations(raw))
        return p;
      const OpKernel *deviations = kernelFor(owner, KernelRole::Deviations, root);
      if (auto err = runKernel(owner, *deviations, region, p.aux.bytes(),
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

  const numeric::ReductionRule &rule = numeric::reductionRule(fn);
  if (rule.isMoments()) {
    // (mean, M2) of the part: its mean and count times its variance.
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
  if (rule.isArg()) {
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
      numeric::copyElement(in, li[0], p.value.bytes());
      return p;
    }
    int64_t axis = axes[0];
    Shape rest = in.shape();
    rest.erase(rest.begin() + axis);
    for (int64_t e = 0, n = local->size(); e < n; ++e) {
      Shape idx = unravel(e, rest);
      idx.insert(idx.begin() + axis, li[e]);
      numeric::copyElement(in, ravel(idx, in.shape()),
                           p.value.bytes() + e * elt);
      p.aux.data<int64_t>()[e] = region.lo[axis] + li[e];
    }
    return p;
  }
  auto value = numeric::reduce(fn, in, axes, keep, 0, rtype);
  if (!value)
    return value.takeError();
  p.value = std::move(*value);
  return p;
}

Partial ChunkTasks::combine(ReductionOpInterface op, const Partial &a,
                            const Partial &b) {
  return numeric::combinePartials(op.getReduceFn(),
                                  dtypeOf(op->getResult(0)), a, b);
}

NDArray ChunkTasks::finish(ReductionOpInterface op, Partial p) {
  return numeric::finishPartial(op.getReduceFn(), op.getDeltaDof(),
                                std::move(p));
}

NDArray ChunkTasks::sparseStep(Operation *op, const Box &lhs,
                               const Box &rhs) {
  const ChunkedArray &a = operand(op, 0), &b = operand(op, 1);
  const NDArray *matrix = a.whole;
  Shape at = lhs.lo;
  NDArray gathered;
  if (!matrix) {
    std::vector<int64_t> chunks = a.layout.chunksOverlapping(lhs);
    if (chunks.size() == 1) {
      matrix = a.slots[chunks[0]].data.get();
      Box cb = a.layout.chunkBox(chunks[0]);
      at = {lhs.lo[0] - cb.lo[0], lhs.lo[1] - cb.lo[1]};
    } else {
      gathered = a.gather(lhs);
      matrix = &gathered;
      at = {0, 0};
    }
  }
  if (b.sparse)
    return numeric::csrMatmulCsr(*matrix, at[0], at[0] + lhs.sizes()[0],
                                 at[1], at[1] + lhs.sizes()[1],
                                 b.gather(rhs));
  Shape sizes = rhs.sizes();
  ChunkedArray::View v = b.view(rhs);
  NDArray x = v.strides == numeric::contiguousStrides(sizes)
                  ? NDArray::borrow(b.dtype, sizes, v.base, nullptr)
                  : b.gather(rhs);
  return numeric::csrMatmulWindow(*matrix, at[0], at[0] + lhs.sizes()[0],
                                  at[1], at[1] + lhs.sizes()[1], x);
}

llvm::Expected<NDArray>
ChunkTasks::contractChunk(Operation *op, const Contraction &contraction,
                          const Box &box, Operation *root) {
  const int64_t steps = contraction.steps().numChunks();
  auto tree = combineTree(steps, options.fanIn);
  auto reduction =
      dyn_cast<ReductionOpInterface>(root ? root : contraction.root());

  if (!reduction) {
    // matmul / tensordot: one chunk product per step (the op's rule),
    // summed by the tree.
    auto productOp = cast<ContractionOpInterface>(contraction.root());
    auto product = [&](std::optional<int64_t> s) -> llvm::Expected<NDArray> {
      if (isCsr(op->getOperand(0)))
        return sparseStep(op, contraction.operandRegion(0, box, s),
                          contraction.operandRegion(1, box, s));
      return productOp.computeStep(
          operand(op, 0).gather(contraction.operandRegion(0, box, s)),
          operand(op, 1).gather(contraction.operandRegion(1, box, s)));
    };
    if (steps == 0)
      return product(std::nullopt);
    std::vector<NDArray> level;
    for (int64_t s = 0; s < steps; ++s) {
      llvm::Expected<NDArray> p = product(s);
      if (!p)
        return p.takeError();
      level.push_back(std::move(*p));
    }
    DType rtype = dtypeOf(op->getResult(0));
    for (const auto &nodes : tree) {
      std::vector<NDArray> next;
      for (const auto &group : nodes) {
        NDArray acc = std::move(level[group[0]]);
        for (size_t k = 1; k < group.size(); ++k)
          acc = acc.isSparse()
                    ? numeric::csrAdd(acc, level[group[k]])
                    : std::move(*numeric::binary(numeric::BinaryFn::Add, acc,
                                                 level[group[k]], rtype));
        next.push_back(std::move(acc));
      }
      level = std::move(next);
    }
    if (level[0].isSparse()) // Steps whose sums cancel: scipy stores none.
      return numeric::csrDropZeros(level[0]);
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
  if (!options.kernels && !planOnly)
    return llvm::Error::success();
  if (op->getNumResults() == 1 && lazyTransposes.count(op->getResult(0)))
    return llvm::Error::success();
  if (isa<ElementwiseOpInterface, FusedOp, ReductionOpInterface>(op)) {
    if (planOnly)
      return llvm::Error::success();
    std::string why;
    for (codegen::OpKernelSource &k :
         codegen::kernelsOf(op, options.gpu != nullptr, why))
      if (auto err = compileKernel(op, std::move(k)))
        return err;
    if (!why.empty())
      noteInterpreted(op, why);
    return llvm::Error::success();
  }
  if (isa<MatmulOp, TensordotOp>(op)) {
    if (!blasShapes(op)) {
      noteInterpreted(op, isCsr(op->getOperand(0))
                              ? "sparse products run in the runtime"
                          : options.gpu && shapeOf(op->getOperand(0)).size() > 2
                              ? "stacks of products run through BLAS on the "
                                "CPU only"
                              : "BLAS takes f32/f64 products of matrices and "
                                "vectors contracting one axis");
      return llvm::Error::success();
    }
    if (!planOnly)
      if (auto err = numeric::openblas::load())
        return err;
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
  if (isa<ScanOpInterface>(op))
    noteInterpreted(op, "scans run in the runtime, chunk after chunk along "
                        "the axis");
  else if (!isa<SaveOp>(op))
    noteInterpreted(op, "data movement and creation run in the runtime");
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Tasks
//===----------------------------------------------------------------------===/

namespace {
/// Elements per slab of a multi-output group's partial (siblingPartials):
/// 64-256 KiB of each input stay in L2 while every root's kernel reads
/// them (a C model: 8192-32768 elements per slab all ran the three loops
/// of Design.md's example in 17.0-17.4 ms, one loop alone in 9.7 ms).
constexpr int64_t kSlabElements = 16384;

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
//

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

std::shared_ptr<NDArray> ChunkTasks::sharedChunk(Operation *op,
                                                 const Box &box) {
  auto chunkOp = dyn_cast<ChunkOpInterface>(op);
  const ChunkedArray &out = array(op->getResult(0));
  if (!chunkOp || out.whole || out.sparse || box.empty())
    return nullptr;
  std::optional<unsigned> i = chunkOp.getCopiedOperand(box);
  if (!i)
    return nullptr;
  const ChunkedArray &in = array(op->getOperand(*i));
  std::optional<Box> region = chunkOp.getOperandRegion(*i, box);
  if (in.whole || in.sparse || in.dtype != out.dtype || !region)
    return nullptr;
  std::vector<int64_t> overlapping = in.layout.chunksOverlapping(*region);
  if (overlapping.size() != 1 ||
      !(in.layout.chunkBox(overlapping.front()) == *region))
    return nullptr;
  return in.slots[overlapping.front()].data;
}

llvm::Error ChunkTasks::mapTask(Operation *op, int64_t c) {
  Value result = op->getResult(0);
  ChunkedArray &out = array(result);
  Box box = out.layout.chunkBox(c);
  if (std::shared_ptr<NDArray> shared = sharedChunk(op, box)) {
    out.slots[c].data = std::move(shared);
    counters.sharedChunks.fetch_add(1, std::memory_order_relaxed);
    return llvm::Error::success();
  }
  if (isa<ElementwiseOpInterface, FusedOp>(op)) {
    const OpKernel *kernel = kernelFor(op, KernelRole::Op);
    if (kernel) {
      // Written in place: into the whole value, or a fresh chunk.
      if (out.whole)
        return runKernel(op, *kernel, box, out.wholeAddress(box),
                         numeric::contiguousStrides(out.layout.shape()));
      NDArray chunk(out.dtype, box.sizes(), NDArray::uninitialized);
      if (auto err = runKernel(op, *kernel, box, chunk))
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
    // Every step accumulates into the (zeroed) output in place: the whole
    // value, or a fresh chunk, laid out row-major as `shape`.
    auto accumulate = [&](uint8_t *dst, const Shape &shape) {
      if (box.rank() > 2)
        return blasStackProduct(op, contraction, box, dst,
                                numeric::contiguousStrides(shape));
      return blasProduct(op, contraction, box, dst,
                         box.rank() == 2 ? shape[1] : 0);
    };
    if (out.whole)
      return accumulate(out.wholeAddress(box), out.layout.shape());
    NDArray chunk(out.dtype, box.sizes());
    if (auto err = accumulate(chunk.bytes(), box.sizes()))
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

llvm::Error ChunkTasks::scanTask(Operation *op, int64_t c) {
  Value result = op->getResult(0);
  ChunkedArray &out = array(result);
  Box box = out.layout.chunkBox(c);
  NDArray region = operand(op, 0).gather(box);
  std::optional<NDArray> carry;
  if (std::optional<Box> carryBox = detail::scanCarryBox(op, box))
    carry = out.gather(*carryBox);
  store(result, c,
        detail::scanChunk(op, region, carry ? &*carry : nullptr));
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
    const OpKernel *kernel = kernelFor(fused, KernelRole::Op, i);
    if (!kernel)
      return llvm::Error::success();
    kernels.push_back(kernel);
  }
  int64_t count = 1;
  for (int64_t d : contraction.contractedDims(0))
    count *= region.sizes()[d];
  std::vector<Partial> ps(roots.size());
  for (auto [p, root] : llvm::zip(ps, roots)) {
    p.count = count;
    p.value = numeric::identityArray(cast<ReductionOpInterface>(root).getReduceFn(),
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
