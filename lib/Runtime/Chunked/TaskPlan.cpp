//===- TaskPlan.cpp - A tiled program's chunk tasks, planned once ----------===//
//
// See TaskPlan.h.
//
//===----------------------------------------------------------------------===//

#include "mars/Runtime/TaskPlan.h"

#include "mars/Numeric/Reductions.h"

using namespace mlir;
using namespace mars;
using namespace mars::chunked;
using namespace mars::tiling;

std::optional<TaskPlan::Error>
TaskPlan::build(func::FuncOp func, ArrayRef<NDArray> args, ChunkTasks &chunks,
                int64_t fanIn, bool wholeReturned, TaskPlan &plan) {
  plan.chunks = &chunks;
  if (func.isExternal())
    return Error{func, "cannot evaluate a function without a body"};
  Block &body = func.getBody().front();
  if (args.size() != body.getNumArguments())
    return Error{func, "expected " + std::to_string(body.getNumArguments()) +
                           " arguments, got " + std::to_string(args.size())};
  auto addValue = [&](Value v, int32_t producedBy) {
    plan.valueIndex_[v] = plan.values_.size();
    plan.values_.push_back(v);
    plan.producer_.push_back(producedBy);
  };
  for (auto [i, arg] : llvm::enumerate(body.getArguments())) {
    if (auto err = checkMatchesType(args[i], arg.getType()))
      return Error{func, "argument " + std::to_string(i) + ": " +
                             llvm::toString(std::move(err))};
    std::optional<Layout> layout = getLayout(arg);
    if (!layout)
      return Error{func, "argument " + std::to_string(i) +
                             " has no chunk layout; run -mars-tile first"};
    chunks.bindArgument(arg, args[i], *layout);
    addValue(arg, -1);
  }
  chunks.findLazyTransposes(body);
  auto ret = dyn_cast<func::ReturnOp>(body.getTerminator());
  if (!ret)
    return Error{func, "function body has no terminator"};
  plan.returned_.insert(ret.getOperands().begin(), ret.getOperands().end());

  for (Operation &op : body.without_terminator()) {
    if (!isa<MarsDialect>(op.getDialect()) ||
        (op.getNumResults() > 1 && !isa<FusedOp>(op)))
      return Error{&op, "'" + op.getName().getStringRef().str() +
                            "' is not supported by the chunked engine"};
    if (auto err = chunks.prepare(&op))
      return Error{&op, llvm::toString(std::move(err))};
    PlannedOp info;
    info.op = &op;
    if (isa<SaveOp>(op)) {
      info.kind = TaskKind::Save;
      plan.ops_.push_back(std::move(info));
      continue;
    }
    Value result = op.getResult(0);
    std::optional<Layout> layout = getLayout(result);
    if (!layout)
      return Error{&op, "has no chunk layout; run -mars-tile first"};
    if (chunks.lazySource(result)) {
      // Read in place by its BLAS users: no tasks.
      chunks.addValue(result, *layout, /*whole=*/false);
      addValue(result, -1);
      continue;
    }
    info.result = plan.values_.size();
    info.numResults = op.getNumResults();
    // A multi-output group's results share the layout.
    for (Value r : op.getResults()) {
      chunks.addValue(r, *layout, wholeReturned && plan.returned_.count(r));
      addValue(r, plan.ops_.size());
    }
    if (isa<ScanOpInterface>(op))
      info.kind = TaskKind::Scan;
    if (getChunkKind(&op) == ChunkKind::Contraction) {
      info.contraction.emplace(&op);
      info.steps = info.contraction->steps().numChunks();
      if (isa<ReductionOpInterface>(info.contraction->root()) &&
          info.steps > 0) {
        info.kind = TaskKind::Partial;
        info.tree = combineTree(info.steps, fanIn);
        int64_t width = info.steps;
        for (const auto &nodes : info.tree) {
          std::vector<int64_t> parent(width);
          for (auto [n, group] : llvm::enumerate(nodes))
            for (int64_t child : group)
              parent[child] = n;
          info.parentOf.push_back(std::move(parent));
          width = nodes.size();
        }
        for (ReductionOpInterface reduction : rootReductions(&op))
          info.partialBytesPerElement +=
              numeric::reductionRule(reduction.getReduceFn()).hasAux() ? 16
                                                                       : 8;
      } else {
        info.kind = TaskKind::Product;
        info.symmetric = chunks.isSymmetricProduct(&op);
      }
    }
    plan.ops_.push_back(std::move(info));
  }
  for (Value v : plan.values_)
    plan.arrays_.push_back(&chunks.array(v));

  for (auto [index, info] : llvm::enumerate(plan.ops_)) {
    if (info.kind == TaskKind::Save) {
      plan.sinks_.push_back(
          {true, static_cast<uint32_t>(index),
           plan.array(plan.valueIndex(info.op->getOperand(0)))
               .layout.numChunks()});
      continue;
    }
    for (auto [i, result] : llvm::enumerate(info.op->getResults())) {
      if (!result.use_empty() && !plan.returned_.count(result))
        continue;
      uint32_t v = info.result + i;
      plan.sinks_.push_back({false, v, plan.array(v).layout.numChunks()});
    }
  }
  return std::nullopt;
}

void TaskPlan::addRegionReads(Value v, const Box &region,
                              SmallVectorImpl<ChunkRef> &deps) const {
  if (region.empty())
    return;
  Box r = region;
  if (Value source = chunks->lazySource(v)) {
    // BLAS reads the transpose's source, the region transposed.
    r = Box{{region.lo[1], region.lo[0]}, {region.hi[1], region.hi[0]}};
    v = source;
  }
  uint32_t index = valueIndex(v);
  const ChunkedArray &a = array(index);
  if (a.borrowed)
    return;
  for (int64_t c : a.layout.chunksOverlapping(r)) {
    ChunkRef ref{index, c};
    if (!llvm::is_contained(deps, ref))
      deps.push_back(ref);
  }
}

void TaskPlan::reads(const PlanTask &t, SmallVectorImpl<ChunkRef> &deps) const {
  const PlannedOp &info = ops_[t.op];
  Operation *op = info.op;
  deps.clear();
  if (t.kind == TaskKind::Save) {
    Value in = op->getOperand(0);
    addRegionReads(in, array(valueIndex(in)).layout.chunkBox(t.chunk), deps);
    return;
  }
  const Layout &layout = array(info.result).layout;
  Box box = layout.chunkBox(t.chunk);
  switch (t.kind) {
  case TaskKind::Map:
  case TaskKind::Scan:
    for (auto &[value, region] : mapTaskReads(op, box))
      addRegionReads(value, region, deps);
    return;
  case TaskKind::Product:
    for (unsigned i = 0; i < op->getNumOperands(); ++i)
      addRegionReads(op->getOperand(i),
                     info.contraction->operandRegion(i, box, std::nullopt),
                     deps);
    return;
  case TaskKind::Partial:
    for (unsigned i = 0; i < op->getNumOperands(); ++i)
      addRegionReads(op->getOperand(i),
                     info.contraction->operandRegion(i, box, t.step), deps);
    return;
  case TaskKind::Mirror: {
    // The block above the diagonal, of the same value.
    Box mirrored{{box.lo[1], box.lo[0]}, {box.hi[1], box.hi[0]}};
    for (int64_t c : layout.chunksOverlapping(mirrored))
      deps.push_back({static_cast<uint32_t>(info.result), c});
    return;
  }
  case TaskKind::Combine:
  case TaskKind::Finish:
  case TaskKind::Save:
    return;
  }
}

int64_t TaskPlan::producerCount(ChunkRef chunk) const {
  const PlannedOp &info = ops_[producer_[chunk.value]];
  return info.kind == TaskKind::Partial ? info.steps : 1;
}

PlanTask TaskPlan::producerTask(ChunkRef chunk, int64_t step) const {
  uint32_t opIndex = producer_[chunk.value];
  const PlannedOp &info = ops_[opIndex];
  PlanTask t{info.kind, opIndex, chunk.chunk, step};
  if (info.kind == TaskKind::Product && info.symmetric) {
    Box box = array(chunk.value).layout.chunkBox(chunk.chunk);
    if (box.lo[1] < box.lo[0])
      t.kind = TaskKind::Mirror;
  }
  return t;
}

uint64_t TaskPlan::partialBytes(uint32_t op, int64_t chunk) const {
  const PlannedOp &info = ops_[op];
  return static_cast<uint64_t>(
             array(info.result).layout.chunkBox(chunk).numElements()) *
         info.partialBytesPerElement;
}

std::optional<TaskPlan::PanelSource> TaskPlan::panelSource(uint32_t v,
                                                           int depth) const {
  // Deep enough for a product's elementwise consumers that were not fused.
  constexpr int kMostDepth = 4;
  int32_t p = producer_[v];
  if (p < 0 || depth > kMostDepth)
    return std::nullopt;
  const PlannedOp &info = ops_[p];
  const Layout &layout = array(v).layout;
  if (layout.numChunks() == 0)
    return std::nullopt;
  if (info.kind == TaskKind::Product) {
    // A matrix product (a reduction over no steps is planned as a product
    // too, and reads no panels).
    if (layout.rank() != 2 || info.numResults != 1 ||
        info.op->getNumOperands() != 2 ||
        isa<ReductionOpInterface>(info.contraction->root()))
      return std::nullopt;
    auto panelBytes = [&](unsigned i) {
      Box panel =
          info.contraction->operandRegion(i, layout.chunkBox(0), std::nullopt);
      DType dtype = array(valueIndex(info.op->getOperand(i))).dtype;
      return static_cast<uint64_t>(panel.numElements()) *
             numeric::dtypeSize(dtype);
    };
    return PanelSource{static_cast<uint32_t>(p), layout.grid()[0],
                       layout.grid()[1], panelBytes(0), panelBytes(1),
                       info.symmetric};
  }
  if (info.kind != TaskKind::Map)
    return std::nullopt;
  for (Value operand : info.op->getOperands()) {
    if (!valueIndex_.count(operand))
      continue;
    uint32_t o = valueIndex(operand);
    if (array(o).layout.grid() != layout.grid())
      continue;
    if (auto source = panelSource(o, depth + 1))
      return source;
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// The order of a grid
//===----------------------------------------------------------------------===//

BandOrder::BandOrder(int64_t rows, int64_t cols, int64_t band, bool symmetric)
    : rows(rows), cols(cols), band(std::max<int64_t>(1, std::min(band, rows))),
      symmetric(symmetric && rows == cols) {}

int64_t BandOrder::next() {
  if (mirrorNext) {
    mirrorNext = false;
    int64_t mirror = j * cols + i;
    advance();
    return mirror;
  }
  int64_t index = i * cols + j;
  if (symmetric && i != j)
    mirrorNext = true;
  else
    advance();
  return index;
}

void BandOrder::advance() {
  int64_t end = std::min(b0 + band, rows);
  if (symmetric)
    end = std::min(end, j + 1);
  if (++i < end)
    return;
  if (++j == cols) {
    b0 += band;
    // Symmetric: the band's columns start at its diagonal.
    j = symmetric ? b0 : 0;
  }
  i = b0;
}

/// The band order of the grid of `source`'s product with `budget` bytes of
/// row panels, or none where row-major order is as good.
static std::optional<BandOrder> bandOrder(const TaskPlan::PanelSource &source,
                                          uint64_t budget) {
  if (!source.rowPanelBytes)
    return std::nullopt;
  // When every column panel fits, row-major order keeps them all and
  // reads each panel once: it is the best order (and the symmetric one's
  // pairs do as well).
  if (!source.symmetric &&
      source.colPanelBytes <= budget / static_cast<uint64_t>(source.cols))
    return std::nullopt;
  int64_t band = static_cast<int64_t>(
      std::min<uint64_t>(budget / source.rowPanelBytes, INT64_MAX));
  return BandOrder(source.rows, source.cols, band, source.symmetric);
}

/// How many products `sources` come from: grids walked together share the
/// budget, each holding a band of its own at the same time.
static uint64_t countProducts(
    ArrayRef<std::optional<TaskPlan::PanelSource>> sources) {
  llvm::SmallVector<uint32_t, 4> products;
  for (const auto &source : sources)
    if (source && !llvm::is_contained(products, source->op))
      products.push_back(source->op);
  return products.size();
}

std::optional<TaskPlan::PanelSource>
TaskPlan::Walk::stepSource(uint32_t value) const {
  // A reduction's steps walk the chunk grid of the operand it reduces: one
  // of its operands with that grid that comes from a product.
  const PlannedOp &info = plan.ops_[plan.producer(value)];
  const Layout &grid = info.contraction->steps();
  if (grid.rank() != 2)
    return std::nullopt;
  for (Value o : info.op->getOperands()) {
    if (!plan.valueIndex_.count(o))
      continue;
    uint32_t operand = plan.valueIndex(o);
    if (plan.array(operand).layout.grid() != grid.grid())
      continue;
    if (auto source = plan.panelSource(operand))
      return source;
  }
  return std::nullopt;
}

std::optional<BandOrder> TaskPlan::Walk::sinkOrder(size_t begin,
                                                   size_t end) const {
  if (!budget)
    return std::nullopt;
  // The group's sinks have as many chunks: the first from a product gives
  // the order.
  llvm::SmallVector<std::optional<PanelSource>, 4> sources;
  for (size_t i = begin; i < end; ++i)
    if (!plan.sinks_[i].isSave)
      sources.push_back(plan.panelSource(plan.sinks_[i].index));
  for (const auto &source : sources)
    if (source)
      return bandOrder(*source, budget / countProducts(sources));
  return std::nullopt;
}

std::vector<std::optional<BandOrder>>
TaskPlan::Walk::stepOrders(ArrayRef<ChunkRef> members) const {
  std::vector<std::optional<BandOrder>> orders;
  if (!budget)
    return orders;
  llvm::SmallVector<std::optional<PanelSource>, 4> sources;
  for (ChunkRef c : members)
    sources.push_back(plan.producerCount(c) > 1 ? stepSource(c.value)
                                                : std::nullopt);
  uint64_t products = countProducts(sources);
  if (!products)
    return orders;
  orders.resize(members.size());
  for (auto [m, source] : llvm::enumerate(sources))
    if (source)
      orders[m] = bandOrder(*source, budget / products);
  return orders;
}

//===----------------------------------------------------------------------===//
// The depth-first walk
//===----------------------------------------------------------------------===//

void TaskPlan::Walk::markVisited(ChunkRef c) {
  int32_t p = plan.producer(c.value);
  if (p < 0 || plan.ops_[p].numResults == 1) {
    slot(c).visited = true;
    return;
  }
  // One task makes the chunk of every result of a multi-output group.
  const PlannedOp &info = plan.ops_[p];
  for (int32_t r = info.result; r < info.result + info.numResults; ++r)
    slot({static_cast<uint32_t>(r), c.chunk}).visited = true;
}

bool TaskPlan::Walk::next(PlanTask &out, SmallVectorImpl<ChunkRef> &deps) {
  const std::vector<Sink> &sinks = plan.sinks_;
  while (true) {
    if (stack.empty()) {
      if (nextSink == sinks.size())
        return false;
      const Sink &r = sinks[nextSink];
      if (r.isSave) {
        if (nextSinkChunk == r.count) {
          ++nextSink;
          nextSinkChunk = 0;
          continue;
        }
        Frame f{true, PlanTask{TaskKind::Save, r.index, nextSinkChunk++}};
        plan.reads(f.task, f.deps);
        stack.push_back(std::move(f));
        continue;
      }
      // Sibling sinks (the program's results, say three reductions of one
      // value) are walked together: chunk k of each, and for reductions
      // step s of each in turn. What they all read is then read close
      // together in time, while it is cached, and freed a chunk at a time
      // rather than kept whole until the last sibling's walk reaches it.
      // None may read another: its tasks would then come before the
      // other's steps and could fill the local window waiting for them.
      if (groupEnd <= nextSink) {
        groupEnd = nextSink + 1;
        auto joins = [&](const Sink &c) {
          if (r.isSave || c.isSave || c.count != r.count ||
              groupEnd - nextSink == kMaxGroup)
            return false;
          Value v = plan.values_[c.index];
          for (size_t i = nextSink; i < groupEnd; ++i) {
            Value m = plan.values_[sinks[i].index];
            if (computedFrom(v, m) || computedFrom(m, v))
              return false;
          }
          return true;
        };
        while (groupEnd < sinks.size() && joins(sinks[groupEnd]))
          ++groupEnd;
        groupOrder = sinkOrder(nextSink, groupEnd);
      }
      if (nextSinkChunk == r.count) {
        nextSink = groupEnd;
        nextSinkChunk = 0;
        continue;
      }
      // The group's sinks have as many chunks: any one's order is theirs.
      int64_t k = groupOrder ? groupOrder->next() : nextSinkChunk;
      ++nextSinkChunk;
      Frame group{false, PlanTask{}};
      for (size_t i = nextSink; i < groupEnd; ++i) {
        ChunkRef c{sinks[i].index, k};
        if (slot(c).visited)
          continue;
        markVisited(c);
        group.members.push_back(c);
        group.count = std::max(group.count,
                               static_cast<size_t>(plan.producerCount(c)));
      }
      group.count *= group.members.size();
      group.orders = stepOrders(group.members);
      if (group.count)
        stack.push_back(std::move(group));
      continue;
    }
    Frame &f = stack.back();
    if (f.isTask) {
      if (f.next < f.deps.size()) {
        ChunkRef d = f.deps[f.next++];
        if (!slot(d).visited) {
          markVisited(d);
          Frame chunk{false, PlanTask{}, {}, {d}};
          chunk.count = plan.producerCount(d);
          chunk.orders = stepOrders(chunk.members);
          stack.push_back(std::move(chunk));
        }
        continue;
      }
      out = f.task;
      deps = std::move(f.deps);
      stack.pop_back();
      return true;
    }
    if (f.next == f.count) {
      stack.pop_back();
      continue;
    }
    // The s-th step of every member in turn: the s-th of its order.
    size_t member = f.next % f.members.size();
    int64_t s = f.next++ / f.members.size();
    ChunkRef c = f.members[member];
    if (s >= plan.producerCount(c))
      continue;
    int64_t step = s;
    if (!f.orders.empty() && f.orders[member])
      step = f.orders[member]->next();
    Frame child{true, plan.producerTask(c, step)};
    plan.reads(child.task, child.deps);
    stack.push_back(std::move(child));
  }
}

const char *mars::chunked::taskKindName(TaskKind kind) {
  switch (kind) {
  case TaskKind::Map:
    return "map";
  case TaskKind::Product:
    return "product";
  case TaskKind::Mirror:
    return "mirror";
  case TaskKind::Scan:
    return "scan";
  case TaskKind::Partial:
    return "partial";
  case TaskKind::Combine:
    return "combine";
  case TaskKind::Finish:
    return "finish";
  case TaskKind::Save:
    return "save";
  }
  return "task";
}

std::string mars::chunked::traceName(Operation *op) {
  if (auto fused = dyn_cast<FusedOp>(op))
    return fused.getSummary();
  return op->getName().stripDialect().str();
}
