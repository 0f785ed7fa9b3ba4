//===- Sort.cpp - Chunk rules of sorting and selection ops ----------------===//
//
// Which elements a chunk of these results needs depends on the data: any
// element of a lane may sort into a chunk, and an index may point anywhere
// along its axis. So a result region reads its operand whole along the
// axis (and only its own extent on every other axis), and the kernel
// (lib/Numeric/Sort.cpp) computes just the region: a sorted chunk costs a
// selection over the lane plus the sort of its own elements, which is what
// lets the chunks of one lane sort in parallel.
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"

using namespace mlir;
using namespace mars;
using namespace mars::tiling;
using llvm::Expected;
using numeric::NDArray;

namespace {

using mars::detail::ownChunks;

/// `out` with `axis` whole (extent n), or nullopt when nothing is read.
std::optional<Box> wholeAlong(const Box &out, int64_t axis, int64_t n) {
  if (out.empty() || n == 0)
    return std::nullopt;
  Box r = out;
  r.lo[axis] = 0;
  r.hi[axis] = n;
  return r;
}

/// `chunk` with `extent` along `axis` and the other dimensions halved
/// (largest first) until it holds no more elements than `chunk` did: a
/// chunk of whole lanes the size the operand's chunks were given.
Shape lanesChunk(Shape chunk, int64_t axis, int64_t extent) {
  const int64_t budget = numeric::numElements(chunk);
  chunk[axis] = std::max<int64_t>(extent, 1);
  while (numeric::numElements(chunk) > budget) {
    int64_t best = -1;
    for (int64_t d = 0; d < static_cast<int64_t>(chunk.size()); ++d)
      if (d != axis && chunk[d] > 1 && (best < 0 || chunk[d] > chunk[best]))
        best = d;
    if (best < 0)
      break;
    chunk[best] = (chunk[best] + 1) / 2;
  }
  return chunk;
}

/// The run length of sort_runs/merge_runs `op`, at most the lane.
int64_t runLength(Operation *op, int64_t axis) {
  int64_t run = op->getAttrOfType<IntegerAttr>("run").getInt();
  return std::min(run, std::max<int64_t>(
                           1, mars::detail::valueShape(op->getOperand(0))[axis]));
}

/// Operand `op` over `region`: its data cropped to it, or an empty array of
/// the region's shape when the operand has no elements there.
const NDArray &regionOf(const BoxOperand &op, std::optional<Box> region,
                        Value value, const Box &emptyShape,
                        NDArray &storage) {
  if (!region) {
    storage = NDArray(mars::detail::valueDType(value), emptyShape.sizes());
    return storage;
  }
  return op.crop(*region, storage);
}

} // namespace

//===----------------------------------------------------------------------===//
// sort, argsort (the family's methods forward here, MarsOps.td)
//===----------------------------------------------------------------------===//

/// The sorted axis of sort/argsort `op`, in [0, rank).
static int64_t sortedAxis(Operation *op) {
  return mars::detail::normalizedAxis(
      op->getAttrOfType<IntegerAttr>("axis").getInt(),
      cast<RankedTensorType>(op->getOperand(0).getType()).getRank());
}

std::optional<Box> mars::detail::sortingOperandRegion(Operation *op,
                                                      const Box &out) {
  const int64_t axis = sortedAxis(op);
  return wholeAlong(out, axis, valueShape(op->getOperand(0))[axis]);
}

std::optional<Shape>
mars::detail::sortingResultChunk(Operation *op, ArrayRef<Layout> operands) {
  const int64_t axis = sortedAxis(op);
  return lanesChunk(operands[0].chunk(), axis,
                    valueShape(op->getOperand(0))[axis]);
}

Expected<NDArray> mars::detail::sortingBox(Operation *op,
                                           ArrayRef<BoxOperand> operands,
                                           const Box &out, bool indices) {
  if (out.empty())
    return NDArray(valueDType(op->getResult(0)), out.sizes());
  const int64_t axis = sortedAxis(op);
  NDArray storage;
  const NDArray &lanes =
      operands[0].crop(*sortingOperandRegion(op, out), storage);
  return numeric::sortAlong(lanes, axis, out.lo[axis], out.hi[axis], indices);
}

//===----------------------------------------------------------------------===//
// sort_runs: a result region reads the runs it overlaps; its chunks along
// the axis are whole runs. merge_runs: a region reads its lanes whole.
//===----------------------------------------------------------------------===//

std::optional<Box> SortRunsOp::getOperandRegion(unsigned, const Box &out) {
  if (out.empty())
    return std::nullopt;
  const int64_t axis = getSortAxis(), run = runLength(*this, axis);
  Box r = out;
  r.lo[axis] = out.lo[axis] / run * run;
  r.hi[axis] = std::min((out.hi[axis] + run - 1) / run * run,
                        mars::detail::valueShape(getInput())[axis]);
  return r;
}
std::optional<Shape> SortRunsOp::deriveResultChunk(ArrayRef<Layout> operands) {
  // One run along the axis, as many lanes as fit the operand's chunk.
  const int64_t axis = getSortAxis();
  return lanesChunk(operands[0].chunk(), axis, runLength(*this, axis));
}
SmallVector<Shape> SortRunsOp::alignOperandChunks(const Layout &result,
                                                  ArrayRef<Layout>) {
  return {result.chunk()};
}
Expected<NDArray> SortRunsOp::computeBox(ArrayRef<BoxOperand> operands,
                                         const Box &out) {
  if (out.empty())
    return NDArray(mars::detail::valueDType(getResult()), out.sizes());
  const int64_t axis = getSortAxis();
  Box region = *getOperandRegion(0, out);
  NDArray storage;
  const NDArray &runs = operands[0].crop(region, storage);
  return numeric::sortRuns(runs, axis, runLength(*this, axis),
                           out.lo[axis] - region.lo[axis],
                           out.hi[axis] - region.lo[axis]);
}

std::optional<Box> MergeRunsOp::getOperandRegion(unsigned, const Box &out) {
  const int64_t axis = getSortAxis();
  return wholeAlong(out, axis, mars::detail::valueShape(getInput())[axis]);
}
std::optional<Shape> MergeRunsOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return operands[0].chunk();
}
SmallVector<Shape> MergeRunsOp::alignOperandChunks(const Layout &,
                                                   ArrayRef<Layout> operands) {
  return ownChunks(operands);
}
Expected<NDArray> MergeRunsOp::computeBox(ArrayRef<BoxOperand> operands,
                                          const Box &out) {
  if (out.empty())
    return NDArray(mars::detail::valueDType(getResult()), out.sizes());
  const int64_t axis = getSortAxis();
  NDArray storage;
  const NDArray &lanes = operands[0].crop(*getOperandRegion(0, out), storage);
  return numeric::mergeRuns(lanes, axis, runLength(*this, axis), out.lo[axis],
                            out.hi[axis]);
}

//===----------------------------------------------------------------------===//
// searchsorted: a chunk of the result reads all of `sorted` and its own
// region of `values`.
//===----------------------------------------------------------------------===//

std::optional<Box> SearchsortedOp::getOperandRegion(unsigned i,
                                                    const Box &out) {
  if (out.empty())
    return std::nullopt;
  if (i == 1)
    return out;
  return wholeAlong(Box{{0}, {1}}, 0,
                    mars::detail::valueShape(getSorted())[0]);
}
std::optional<Shape>
SearchsortedOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return operands[1].chunk();
}
SmallVector<Shape> SearchsortedOp::alignOperandChunks(const Layout &,
                                                      ArrayRef<Layout> operands) {
  return ownChunks(operands);
}
Expected<NDArray> SearchsortedOp::computeBox(ArrayRef<BoxOperand> operands,
                                             const Box &out) {
  if (out.empty())
    return NDArray(numeric::DType::I64, out.sizes());
  NDArray sortedStorage, valuesStorage;
  const NDArray &sorted =
      regionOf(operands[0], getOperandRegion(0, out), getSorted(),
               Box{{0}, {0}}, sortedStorage);
  const NDArray &values = operands[1].crop(out, valuesStorage);
  return numeric::searchSorted(sorted, values, getSide() == "right");
}

//===----------------------------------------------------------------------===//
// take: result dimensions [axis, axis + rank(indices)) follow the indices,
// the others the input.
//===----------------------------------------------------------------------===//

std::optional<Box> TakeOp::getOperandRegion(unsigned i, const Box &out) {
  if (out.empty())
    return std::nullopt;
  const int64_t axis = getTakeAxis();
  const int64_t q = getIndices().getType().getRank();
  if (i == 1)
    return Box{Shape(out.lo.begin() + axis, out.lo.begin() + axis + q),
               Shape(out.hi.begin() + axis, out.hi.begin() + axis + q)};
  Shape shape = mars::detail::valueShape(getInput());
  Box r{Shape(out.lo.begin(), out.lo.begin() + axis),
        Shape(out.hi.begin(), out.hi.begin() + axis)};
  r.lo.push_back(0);
  r.hi.push_back(shape[axis]);
  r.lo.insert(r.lo.end(), out.lo.begin() + axis + q, out.lo.end());
  r.hi.insert(r.hi.end(), out.hi.begin() + axis + q, out.hi.end());
  if (r.empty())
    return std::nullopt;
  return r;
}
std::optional<Shape> TakeOp::deriveResultChunk(ArrayRef<Layout> operands) {
  const int64_t axis = getTakeAxis();
  const Shape &in = operands[0].chunk(), &idx = operands[1].chunk();
  Shape chunk(in.begin(), in.begin() + axis);
  chunk.insert(chunk.end(), idx.begin(), idx.end());
  chunk.insert(chunk.end(), in.begin() + axis + 1, in.end());
  return chunk;
}
SmallVector<Shape> TakeOp::alignOperandChunks(const Layout &,
                                              ArrayRef<Layout> operands) {
  return ownChunks(operands);
}
Expected<NDArray> TakeOp::computeBox(ArrayRef<BoxOperand> operands,
                                     const Box &out) {
  if (out.empty())
    return NDArray(mars::detail::valueDType(getResult()), out.sizes());
  NDArray inStorage, idxStorage;
  // An input with no elements here (its axis is empty): the kernel
  // reports numpy's error for a non-empty take from it.
  const int64_t axis = getTakeAxis(), q = getIndices().getType().getRank();
  Box emptyIn{Shape(out.lo.begin(), out.lo.begin() + axis),
              Shape(out.hi.begin(), out.hi.begin() + axis)};
  emptyIn.lo.push_back(0);
  emptyIn.hi.push_back(0);
  emptyIn.lo.insert(emptyIn.lo.end(), out.lo.begin() + axis + q, out.lo.end());
  emptyIn.hi.insert(emptyIn.hi.end(), out.hi.begin() + axis + q, out.hi.end());
  const NDArray &in = regionOf(operands[0], getOperandRegion(0, out),
                               getInput(), emptyIn, inStorage);
  const NDArray &idx = operands[1].crop(*getOperandRegion(1, out), idxStorage);
  return numeric::take(in, idx, axis, *numeric::parseTakeMode(getMode()));
}

//===----------------------------------------------------------------------===//
// take_along_axis
//===----------------------------------------------------------------------===//

std::optional<Box> TakeAlongAxisOp::getOperandRegion(unsigned i,
                                                     const Box &out) {
  if (out.empty())
    return std::nullopt;
  if (i == 1)
    return out;
  const int64_t axis = getTakeAxis();
  return wholeAlong(out, axis, mars::detail::valueShape(getInput())[axis]);
}
std::optional<Shape>
TakeAlongAxisOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return operands[1].chunk();
}
SmallVector<Shape> TakeAlongAxisOp::alignOperandChunks(const Layout &,
                                                       ArrayRef<Layout> operands) {
  return ownChunks(operands);
}
Expected<NDArray> TakeAlongAxisOp::computeBox(ArrayRef<BoxOperand> operands,
                                              const Box &out) {
  if (out.empty())
    return NDArray(mars::detail::valueDType(getResult()), out.sizes());
  const int64_t axis = getTakeAxis();
  NDArray inStorage, idxStorage;
  Box emptyIn = out;
  emptyIn.hi[axis] = emptyIn.lo[axis];
  const NDArray &in = regionOf(operands[0], getOperandRegion(0, out),
                               getInput(), emptyIn, inStorage);
  const NDArray &idx = operands[1].crop(out, idxStorage);
  return numeric::takeAlongAxis(in, idx, axis);
}

//===----------------------------------------------------------------------===//
// sorted_at: whole lanes, like sort; a result region holds some positions.
//===----------------------------------------------------------------------===//

std::optional<Box> SortedAtOp::getOperandRegion(unsigned, const Box &out) {
  const int64_t axis = getSortAxis();
  return wholeAlong(out, axis, mars::detail::valueShape(getInput())[axis]);
}
std::optional<Shape> SortedAtOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return lanesChunk(operands[0].chunk(), getSortAxis(),
                    static_cast<int64_t>(getKth().size()));
}
SmallVector<Shape> SortedAtOp::alignOperandChunks(const Layout &,
                                                  ArrayRef<Layout> operands) {
  return ownChunks(operands);
}
Expected<NDArray> SortedAtOp::computeBox(ArrayRef<BoxOperand> operands,
                                         const Box &out) {
  if (out.empty())
    return NDArray(mars::detail::valueDType(getResult()), out.sizes());
  const int64_t axis = getSortAxis();
  const int64_t n = mars::detail::valueShape(getInput())[axis];
  SmallVector<int64_t> kth;
  for (int64_t k : getKth().slice(out.lo[axis], out.hi[axis] - out.lo[axis]))
    kth.push_back(k < 0 ? k + n : k);
  NDArray in = operands[0].take(*getOperandRegion(0, out));
  if (!getIndices())
    return numeric::sortedAt(std::move(in), axis, kth);
  // The stable order's positions: each run of consecutive ranks, in either
  // direction (argtopk's largest-first ranks run down), is one bounded
  // partial sort of its lanes (numeric::sortAlong), then gathered.
  NDArray result(numeric::DType::I64, out.sizes(), NDArray::uninitialized);
  const int64_t q = static_cast<int64_t>(kth.size());
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= out.sizes()[d];
  for (int64_t d = axis + 1; d < out.rank(); ++d)
    inner *= out.sizes()[d];
  for (int64_t r = 0; r < q;) {
    int64_t len = 1, dir = 0;
    if (r + 1 < q && std::abs(kth[r + 1] - kth[r]) == 1) {
      dir = kth[r + 1] - kth[r];
      while (r + len < q && kth[r + len] - kth[r + len - 1] == dir)
        ++len;
    }
    int64_t lo = dir < 0 ? kth[r + len - 1] : kth[r];
    NDArray run = numeric::sortAlong(in, axis, lo, lo + len, /*indices=*/true);
    const int64_t *src = run.data<int64_t>();
    int64_t *dst = result.data<int64_t>();
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < len; ++i) {
        int64_t from = dir < 0 ? len - 1 - i : i;
        std::copy_n(src + (o * len + from) * inner, inner,
                    dst + (o * q + r + i) * inner);
      }
    r += len;
  }
  return result;
}

//===----------------------------------------------------------------------===//
// put: a result region is the input's same region with the positions that
// fall in it replaced; any index may fall anywhere, so every region reads
// all of the indices and values (and checks every index, so each chunk
// reports numpy's first bad one).
//===----------------------------------------------------------------------===//

/// The whole of `value`, or nullopt when it has no elements.
static std::optional<Box> wholeOf(Value value) {
  Shape shape = mars::detail::valueShape(value);
  Box all{Shape(shape.size(), 0), shape};
  if (all.empty())
    return std::nullopt;
  return all;
}

std::optional<Box> PutOp::getOperandRegion(unsigned i, const Box &out) {
  if (out.empty())
    return std::nullopt;
  if (i == 0)
    return out;
  return wholeOf(i == 1 ? getIndices() : getValues());
}
std::optional<Shape> PutOp::deriveResultChunk(ArrayRef<Layout> operands) {
  return operands[0].chunk();
}
SmallVector<Shape> PutOp::alignOperandChunks(const Layout &,
                                             ArrayRef<Layout> operands) {
  return ownChunks(operands);
}
Expected<NDArray> PutOp::computeBox(ArrayRef<BoxOperand> operands,
                                    const Box &out) {
  if (out.empty())
    return NDArray(mars::detail::valueDType(getResult()), out.sizes());
  std::optional<Box> idxBox = wholeOf(getIndices()),
                     valBox = wholeOf(getValues());
  if (!idxBox || !valBox)
    return operands[0].take(out);
  NDArray idxStorage, valStorage;
  const NDArray &idx = operands[1].crop(*idxBox, idxStorage);
  const NDArray &val = operands[2].crop(*valBox, valStorage);
  return numeric::put(operands[0].take(out), out.lo,
                      mars::detail::valueShape(getInput()), idx, val,
                      *numeric::parseTakeMode(getMode()));
}

//===----------------------------------------------------------------------===//
// bincount: a result region (some bins) reads the whole input and weights.
//===----------------------------------------------------------------------===//

std::optional<Box> BincountOp::getOperandRegion(unsigned i, const Box &out) {
  if (out.empty())
    return std::nullopt;
  return wholeOf(getOperation()->getOperand(i));
}
std::optional<Shape> BincountOp::deriveResultChunk(ArrayRef<Layout>) {
  return std::nullopt;
}
SmallVector<Shape> BincountOp::alignOperandChunks(const Layout &,
                                                  ArrayRef<Layout> operands) {
  return ownChunks(operands);
}
Expected<NDArray> BincountOp::computeBox(ArrayRef<BoxOperand> operands,
                                         const Box &out) {
  const int64_t length = mars::detail::valueShape(getResult())[0];
  std::optional<Box> all = wholeOf(getInput());
  if (out.empty() || !all) // no elements: zero bins of the result's dtype
    return NDArray(mars::detail::valueDType(getResult()), out.sizes());
  NDArray xStorage, wStorage;
  const NDArray &x = operands[0].crop(*all, xStorage);
  const NDArray *w = nullptr;
  if (getWeights())
    w = &operands[1].crop(*all, wStorage);
  return numeric::bincount(x, w, out.lo[0], out.hi[0], length);
}

//===----------------------------------------------------------------------===//
// radix_histogram: a result row reads its part of the lane (and the whole
// state); radix_pick and radix_value: small, whole.
//===----------------------------------------------------------------------===//

std::optional<Box> RadixHistogramOp::getOperandRegion(unsigned i,
                                                      const Box &out) {
  if (out.empty())
    return std::nullopt;
  if (i == 1)
    return wholeOf(getState());
  const int64_t n = mars::detail::valueShape(getInput())[0];
  const int64_t rows = static_cast<int64_t>(getRows());
  const int64_t lo = out.lo[0] * rows;
  const int64_t hi = std::min(n, out.hi[0] * rows);
  if (lo >= hi)
    return std::nullopt;
  return Box{{lo}, {hi}};
}
std::optional<Shape> RadixHistogramOp::deriveResultChunk(ArrayRef<Layout>) {
  // A row per task: the parts count in parallel, each reading one part.
  return Shape{1, mars::detail::valueShape(getResult())[1]};
}
SmallVector<Shape> RadixHistogramOp::alignOperandChunks(
    const Layout &, ArrayRef<Layout> operands) {
  return ownChunks(operands);
}
Expected<NDArray> RadixHistogramOp::computeBox(ArrayRef<BoxOperand> operands,
                                               const Box &out) {
  std::optional<Box> part = getOperandRegion(0, out);
  if (!part)
    return NDArray(numeric::DType::I64, out.sizes());
  NDArray xStorage, stateStorage;
  const NDArray &x = operands[0].crop(*part, xStorage);
  const NDArray &state = operands[1].crop(*wholeOf(getState()), stateStorage);
  NDArray rows = numeric::radixHistogram(x, state, getRows(), getShift());
  // Only the box's columns (every column, as tiled).
  tiling::BoxOperand all{&rows, {out.lo[0], 0}};
  NDArray storage;
  const NDArray &box = all.crop(out, storage);
  return &box == &rows ? std::move(rows) : std::move(storage);
}

/// The whole result, computed by `whole`, cropped to `out`.
template <typename F>
static NDArray wholeCropped(const Box &out, F whole) {
  NDArray all = whole();
  tiling::BoxOperand operand{&all, Shape(out.rank(), 0)};
  NDArray storage;
  const NDArray &box = operand.crop(out, storage);
  return &box == &all ? std::move(all) : std::move(storage);
}

std::optional<Box> RadixPickOp::getOperandRegion(unsigned i, const Box &out) {
  if (out.empty())
    return std::nullopt;
  return wholeOf(getOperation()->getOperand(i));
}
std::optional<Shape> RadixPickOp::deriveResultChunk(ArrayRef<Layout>) {
  return std::nullopt;
}
SmallVector<Shape> RadixPickOp::alignOperandChunks(const Layout &,
                                                   ArrayRef<Layout> operands) {
  return ownChunks(operands);
}
Expected<NDArray> RadixPickOp::computeBox(ArrayRef<BoxOperand> operands,
                                          const Box &out) {
  if (out.empty())
    return NDArray(numeric::DType::I64, out.sizes());
  NDArray countsStorage, stateStorage;
  const NDArray &counts =
      operands[0].crop(*wholeOf(getCounts()), countsStorage);
  const NDArray &state = operands[1].crop(*wholeOf(getState()), stateStorage);
  return wholeCropped(out, [&] {
    return numeric::radixPick(counts, state, getShift());
  });
}

std::optional<Box> RadixValueOp::getOperandRegion(unsigned, const Box &out) {
  if (out.empty())
    return std::nullopt;
  return wholeOf(getState());
}
std::optional<Shape> RadixValueOp::deriveResultChunk(ArrayRef<Layout>) {
  return std::nullopt;
}
SmallVector<Shape> RadixValueOp::alignOperandChunks(const Layout &,
                                                    ArrayRef<Layout> operands) {
  return ownChunks(operands);
}
Expected<NDArray> RadixValueOp::computeBox(ArrayRef<BoxOperand> operands,
                                           const Box &out) {
  const numeric::DType dtype = mars::detail::valueDType(getResult());
  if (out.empty())
    return NDArray(dtype, out.sizes());
  NDArray stateStorage;
  const NDArray &state = operands[0].crop(*wholeOf(getState()), stateStorage);
  return wholeCropped(out,
                      [&] { return numeric::radixValue(state, dtype); });
}
