//===- TaskGraph.cpp - A tiled program's chunk tasks, numbered -----------===//
//
// Mirrors the local runtime's planning (lib/Runtime/Local/Scheduler.cpp):
// the same op kinds, the same reads per task, the same combine tree, the same
// depth-first walk; but every task and object is materialised and numbered.
//
//===----------------------------------------------------------------------===//

#include "mars/Distributed/TaskGraph.h"
#include "mars/Numeric/Reductions.h"

#include "mlir/Parser/Parser.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mars;
using namespace mars::chunked;
using namespace mars::dist;
using namespace mars::tiling;

struct TaskGraph::GraphOp {
  Operation *op = nullptr;
  TaskKind kind = TaskKind::Map;
  /// Value number of its (first) result (-1: mars.save); a multi-output
  /// group's results are numbers result .. result + numResults - 1.
  int64_t result = -1;
  int64_t numResults = 1;
  std::optional<Contraction> contraction;
  int64_t steps = 0;
  std::unique_ptr<NpyBoxWriter> writer;
};

uint64_t ObjectData::nbytes() const {
  if (chunk)
    return chunk->nbytes();
  uint64_t n = 0;
  if (partials)
    for (const Partial &p : *partials)
      n += p.nbytes();
  return n;
}

std::shared_ptr<ObjectData> ObjectData::fromArrays(std::vector<NDArray> arrays,
                                                   int64_t count) {
  auto data = std::make_shared<ObjectData>();
  if (arrays.size() == 1) {
    data->chunk = std::make_shared<NDArray>(std::move(arrays[0]));
    return data;
  }
  data->partials = std::make_shared<std::vector<Partial>>(arrays.size() / 2);
  for (auto [k, p] : llvm::enumerate(*data->partials)) {
    p.value = std::move(arrays[2 * k]);
    p.aux = std::move(arrays[2 * k + 1]);
    p.count = count;
  }
  return data;
}

TaskGraph::TaskGraph(const ChunkedOptions &options)
    : options_(options), chunks(options_) {}
TaskGraph::~TaskGraph() = default;

std::string mars::dist::formatLocation(Location loc) {
  std::string out;
  loc->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      out = (file.getFilename().getValue() + ":" + Twine(file.getLine()) +
             ":" + Twine(file.getColumn()))
                .str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return out;
}

llvm::Expected<std::unique_ptr<JobProgram>> mars::dist::loadProgram(
    StringRef program, StringRef entry, std::vector<NDArray> args,
    const ChunkedOptions &options, TaskGraph::Mode mode, bool compiled,
    llvm::ArrayRef<std::string> saveFiles) {
  auto loaded = std::make_unique<JobProgram>();
  DialectRegistry registry;
  registry.insert<MarsDialect, func::FuncDialect>();
  loaded->context = std::make_unique<MLIRContext>(
      registry, MLIRContext::Threading::DISABLED);
  loaded->context->loadAllAvailableDialects();
  std::string diagnostics;
  ScopedDiagnosticHandler handler(loaded->context.get(), [&](Diagnostic &d) {
    std::string loc = formatLocation(d.getLocation());
    diagnostics += (loc.empty() ? "" : loc + ": ") + "error: " + d.str() + "\n";
    return success();
  });
  loaded->module = parseSourceString<ModuleOp>(program, loaded->context.get());
  if (!loaded->module)
    return makeError("the program does not parse:\n" + diagnostics);
  auto func = loaded->module->lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return makeError("the program has no function @" + entry);
  auto graph = TaskGraph::build(func, std::move(args), options, mode, compiled,
                                saveFiles);
  if (!graph)
    return graph.takeError();
  loaded->graph = std::move(*graph);
  return std::move(loaded);
}

static llvm::Error opError(Operation *op, const Twine &message) {
  std::string loc = formatLocation(op->getLoc());
  return makeError((loc.empty() ? "" : loc + ": ") + "error: " + message);
}

std::string TaskGraph::located(uint32_t t, const Twine &message) const {
  std::string loc = formatLocation(ops_[tasks_[t].op]->op->getLoc());
  return (loc.empty() ? "" : loc + ": ") + "error: " + message.str();
}

std::string TaskGraph::describe(uint32_t t) const {
  static const char *kinds[] = {"map",     "product", "mirror", "partial",
                                "combine", "finish",  "save"};
  const GraphTask &task = tasks_[t];
  std::string s;
  llvm::raw_string_ostream os(s);
  os << ops_[task.op]->op->getName() << " " << kinds[int(task.kind)]
     << " chunk " << task.chunk;
  if (task.kind == TaskKind::Partial)
    os << " step " << task.step;
  return s;
}

void TaskGraph::addRegionInputs(Value v, const Box &region,
                                std::vector<uint32_t> &inputs) {
  if (region.empty())
    return;
  Box r = region;
  if (Value source = chunks.lazySource(v)) {
    r = Box{{region.lo[1], region.lo[0]}, {region.hi[1], region.hi[0]}};
    v = source;
  }
  int64_t first = firstObject_[valueIndex_.lookup(v)];
  if (first < 0)
    return; // An argument: every worker has it whole.
  for (int64_t c : chunks.array(v).layout.chunksOverlapping(r)) {
    uint32_t object = static_cast<uint32_t>(first + c);
    if (!llvm::is_contained(inputs, object))
      inputs.push_back(object);
  }
}

llvm::Expected<std::unique_ptr<TaskGraph>>
TaskGraph::build(func::FuncOp func, std::vector<NDArray> args,
                 const ChunkedOptions &options, Mode mode, bool compiled,
                 llvm::ArrayRef<std::string> saveFiles) {
  std::unique_ptr<TaskGraph> g(new TaskGraph(options));
  g->args_ = std::move(args);
  if (mode == Mode::Plan && compiled)
    g->chunks.setPlanOnly();
  if (auto err = g->plan(func, mode, saveFiles))
    return std::move(err);
  g->orderDepthFirst(func);
  return std::move(g);
}

llvm::Error TaskGraph::plan(func::FuncOp func, Mode mode,
                            llvm::ArrayRef<std::string> saveFiles) {
  if (func.isExternal())
    return opError(func, "cannot evaluate a function without a body");
  Block &body = func.getBody().front();
  if (args_.size() != body.getNumArguments())
    return opError(func, "expected " + Twine(body.getNumArguments()) +
                             " arguments, got " + Twine(args_.size()));
  auto addValue = [&](Value v) {
    valueIndex_[v] = values_.size();
    values_.push_back(v);
    firstObject_.push_back(-1);
  };
  for (auto [i, arg] : llvm::enumerate(body.getArguments())) {
    if (auto err = checkMatchesType(args_[i], arg.getType()))
      return opError(func, "argument " + Twine(i) + ": " +
                               llvm::toString(std::move(err)));
    std::optional<Layout> layout = getLayout(arg);
    if (!layout)
      return opError(func, "argument " + Twine(i) +
                               " has no chunk layout; run -mars-tile first");
    chunks.bindArgument(arg, args_[i], *layout);
    addValue(arg);
  }
  chunks.findLazyTransposes(body);
  auto ret = dyn_cast<func::ReturnOp>(body.getTerminator());
  if (!ret)
    return opError(func, "function body has no terminator");

  unsigned saves = 0;
  for (Operation &op : body.without_terminator()) {
    if (!isa<MarsDialect>(op.getDialect()) ||
        (op.getNumResults() > 1 && !isa<FusedOp>(op)))
      return opError(&op, "'" + op.getName().getStringRef() +
                              "' is not supported by the chunked engine");
    if (auto err = chunks.prepare(&op))
      return opError(&op, llvm::toString(std::move(err)));
    auto info = std::make_unique<GraphOp>();
    info->op = &op;
    if (auto save = dyn_cast<SaveOp>(op)) {
      info->kind = TaskKind::Save;
      if (mode == Mode::Execute) {
        if (saves >= saveFiles.size())
          return opError(&op, "the job names no file for this mars.save");
        const ChunkedArray &in = chunks.array(save.getOperand());
        auto writer = NpyBoxWriter::attach(save.getPath(), saveFiles[saves],
                                           in.dtype, in.layout.shape());
        if (!writer)
          return opError(&op, llvm::toString(writer.takeError()));
        info->writer = std::move(*writer);
      }
      ++saves;
    } else {
      Value result = op.getResult(0);
      std::optional<Layout> layout = getLayout(result);
      if (!layout)
        return opError(&op, "has no chunk layout; run -mars-tile first");
      // No value is held whole: returned values are chunks the client
      // fetches. A multi-output group's results share the layout.
      for (Value r : op.getResults()) {
        chunks.addValue(r, *layout, /*whole=*/false);
        addValue(r);
      }
      if (chunks.lazySource(result))
        continue; // Read in place by its BLAS users: no tasks, no objects.
      info->result = values_.size() - op.getNumResults();
      info->numResults = op.getNumResults();
      if (getChunkKind(&op) == ChunkKind::Contraction) {
        info->contraction.emplace(&op);
        info->steps = info->contraction->steps().numChunks();
        if (isa<ReductionOpInterface>(info->contraction->root()) &&
            info->steps > 0)
          info->kind = TaskKind::Partial;
        else
          info->kind = TaskKind::Product;
        // A task makes one object: the chunks of a multi-output group over
        // an empty extent (product tasks) would be several.
        if (info->kind == TaskKind::Product && info->numResults > 1)
          return opError(&op, "a multi-output 'mars.fused' over an empty "
                              "extent cannot run on a cluster");
      }
    }
    ops_.push_back(std::move(info));
  }

  // Objects: the chunks of every value a task computes.
  for (auto &info : ops_) {
    for (int64_t r = info->result; r >= 0 && r < info->result + info->numResults;
         ++r) {
      const ChunkedArray &a = chunks.array(values_[r]);
      firstObject_[r] = objects_.size();
      for (int64_t c = 0, n = a.layout.numChunks(); c < n; ++c) {
        GraphObject o;
        o.value = r;
        o.chunk = c;
        o.bytes = a.chunkBytes(c);
        objects_.push_back(std::move(o));
      }
    }
  }

  auto addTask = [&](GraphTask t) {
    uint32_t id = tasks_.size();
    if (t.output >= 0)
      objects_[t.output].producer = id;
    tasks_.push_back(std::move(t));
    return id;
  };
  for (auto [index, infoPtr] : llvm::enumerate(ops_)) {
    GraphOp &info = *infoPtr;
    Operation *op = info.op;
    uint32_t opIndex = index;
    if (info.kind == TaskKind::Save) {
      Value in = op->getOperand(0);
      const Layout &layout = chunks.array(in).layout;
      for (int64_t c = 0, n = layout.numChunks(); c < n; ++c) {
        GraphTask t{TaskKind::Save, opIndex, c};
        addRegionInputs(in, layout.chunkBox(c), t.inputs);
        addTask(std::move(t));
      }
      continue;
    }
    const ChunkedArray &out = chunks.array(values_[info.result]);
    int64_t first = firstObject_[info.result];
    for (int64_t c = 0, n = out.layout.numChunks(); c < n; ++c) {
      Box box = out.layout.chunkBox(c);
      if (info.kind == TaskKind::Map) {
        GraphTask t{TaskKind::Map, opIndex, c};
        for (unsigned i = 0; i < op->getNumOperands(); ++i)
          if (std::optional<Box> r = mapOperandRegion(op, i, box))
            addRegionInputs(op->getOperand(i), *r, t.inputs);
        t.output = first + c;
        addTask(std::move(t));
        continue;
      }
      if (info.kind == TaskKind::Product) {
        GraphTask t{TaskKind::Product, opIndex, c};
        if (chunks.isSymmetricProduct(op) && box.lo[1] < box.lo[0]) {
          // Below the diagonal: the transpose of the block above it.
          t.kind = TaskKind::Mirror;
          Box mirrored{{box.lo[1], box.lo[0]}, {box.hi[1], box.hi[0]}};
          for (int64_t m : out.layout.chunksOverlapping(mirrored))
            t.inputs.push_back(first + m);
        } else {
          for (unsigned i = 0; i < op->getNumOperands(); ++i)
            addRegionInputs(
                op->getOperand(i),
                info.contraction->operandRegion(i, box, std::nullopt),
                t.inputs);
        }
        t.output = first + c;
        addTask(std::move(t));
        continue;
      }
      // A reduction chunk: one partial per step, combined up the local
      // runtime's tree, then finished into the chunk.
      // (A multi-output group's partial objects hold one per result.)
      uint64_t partialBytes = 0;
      for (ReductionOpInterface reduction : rootReductions(info.op)) {
        bool twoArrays =
            numeric::reductionRule(reduction.getReduceFn()).hasAux();
        partialBytes +=
            numeric::numElements(box.sizes()) * 8 * (twoArrays ? 2 : 1);
      }
      auto newPartial = [&] {
        GraphObject o;
        o.chunk = c;
        o.bytes = partialBytes;
        objects_.push_back(std::move(o));
        return static_cast<int64_t>(objects_.size() - 1);
      };
      std::vector<int64_t> level;
      for (int64_t s = 0; s < info.steps; ++s) {
        GraphTask t{TaskKind::Partial, opIndex, c, s};
        for (unsigned i = 0; i < op->getNumOperands(); ++i)
          addRegionInputs(op->getOperand(i),
                          info.contraction->operandRegion(i, box, s),
                          t.inputs);
        t.output = newPartial();
        level.push_back(t.output);
        addTask(std::move(t));
      }
      for (const auto &nodes : combineTree(info.steps, options_.fanIn)) {
        std::vector<int64_t> next;
        for (const auto &group : nodes) {
          GraphTask t{TaskKind::Combine, opIndex, c};
          for (int64_t child : group)
            t.inputs.push_back(level[child]);
          t.output = newPartial();
          next.push_back(t.output);
          addTask(std::move(t));
        }
        level = std::move(next);
      }
      for (int64_t r = 0; r < info.numResults; ++r) {
        GraphTask t{TaskKind::Finish, opIndex, c, r};
        t.inputs.push_back(level.front());
        t.output = firstObject_[info.result + r] + c;
        addTask(std::move(t));
      }
    }
  }
  pruneUnneeded(ret);
  for (auto [id, t] : llvm::enumerate(tasks_))
    for (uint32_t in : t.inputs)
      objects_[in].readers.push_back(id);

  for (Value v : ret.getOperands()) {
    Result r;
    uint32_t index = valueIndex_.lookup(v);
    const ChunkedArray &a = chunks.array(v);
    r.dtype = a.dtype;
    r.layout = a.layout;
    if (a.borrowed) {
      r.argument = cast<BlockArgument>(v).getArgNumber();
    } else {
      for (int64_t c = 0, n = a.layout.numChunks(); c < n; ++c)
        r.chunks.push_back(firstObject_[index] + c);
    }
    results_.push_back(std::move(r));
  }
  return llvm::Error::success();
}

void TaskGraph::pruneUnneeded(func::ReturnOp ret) {
  // The tasks the sinks (mars.save, every chunk of a returned or unused
  // value) need, transitively, as the local runtime computes them.
  std::vector<bool> keep(tasks_.size(), false);
  std::vector<uint32_t> stack;
  auto need = [&](uint32_t t) {
    if (!keep[t]) {
      keep[t] = true;
      stack.push_back(t);
    }
  };
  llvm::DenseSet<Value> returned(ret.getOperands().begin(),
                                 ret.getOperands().end());
  for (auto [id, t] : llvm::enumerate(tasks_))
    if (t.kind == TaskKind::Save)
      need(id);
  for (auto &info : ops_)
    for (auto [i, result] : llvm::enumerate(info->op->getResults())) {
      int64_t first = firstObject_[valueIndex_.lookup(result)];
      if (first < 0 || (!result.use_empty() && !returned.count(result)))
        continue;
      for (int64_t c = 0, n = chunks.array(result).layout.numChunks(); c < n;
           ++c)
        need(objects_[first + c].producer);
    }
  while (!stack.empty()) {
    uint32_t t = stack.back();
    stack.pop_back();
    for (uint32_t in : tasks_[t].inputs)
      need(objects_[in].producer);
  }

  // Renumber what is kept, in the same order; every process prunes the same
  // graph the same way, so the numbers still agree.
  std::vector<int64_t> taskId(tasks_.size(), -1), objectId(objects_.size(), -1);
  std::vector<GraphObject> objects;
  for (auto [id, o] : llvm::enumerate(objects_))
    if (keep[o.producer]) {
      objectId[id] = objects.size();
      objects.push_back(std::move(o));
    }
  std::vector<GraphTask> tasks;
  for (auto [id, t] : llvm::enumerate(tasks_))
    if (keep[id]) {
      taskId[id] = tasks.size();
      for (uint32_t &in : t.inputs)
        in = objectId[in];
      if (t.output >= 0)
        t.output = objectId[t.output];
      tasks.push_back(std::move(t));
    }
  for (GraphObject &o : objects)
    o.producer = taskId[o.producer];
  // A value's chunks stay consecutive when all are kept (the sinks'). One
  // with some pruned has no first object any more (only sinks' are looked
  // up after planning).
  for (auto [v, first] : llvm::enumerate(firstObject_)) {
    if (first < 0)
      continue;
    int64_t n = chunks.array(values_[v]).layout.numChunks();
    bool whole = true;
    for (int64_t c = 0; c < n && whole; ++c)
      whole = objectId[first + c] >= 0;
    first = whole && n > 0 ? objectId[first] : -1;
  }
  tasks_ = std::move(tasks);
  objects_ = std::move(objects);
}

void TaskGraph::orderDepthFirst(func::FuncOp func) {
  // The local runtime's walk: from the sinks (mars.save, returned and
  // unused values); a task comes after the producers of everything it
  // reads. Sibling sinks are ordered together as there.
  std::vector<bool> seen(tasks_.size(), false);
  uint64_t next = 0;
  std::vector<std::pair<uint32_t, size_t>> stack;
  auto visit = [&](uint32_t root) {
    if (seen[root])
      return;
    seen[root] = true;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      auto &[t, i] = stack.back();
      if (i < tasks_[t].inputs.size()) {
        uint32_t producer = objects_[tasks_[t].inputs[i++]].producer;
        if (!seen[producer]) {
          seen[producer] = true;
          stack.push_back({producer, 0});
        }
        continue;
      }
      tasks_[t].order = next++;
      stack.pop_back();
    }
  };
  // The tasks of a sink's op that produce chunk object `o` (a map task, or
  // a reduction's partials and combines), children before parents.
  auto ownTasks = [&](uint32_t o, std::vector<uint32_t> &out) {
    uint32_t root = objects_[o].producer;
    std::vector<std::pair<uint32_t, size_t>> walk{{root, 0}};
    while (!walk.empty()) {
      auto &[t, i] = walk.back();
      if (i < tasks_[t].inputs.size()) {
        uint32_t p = objects_[tasks_[t].inputs[i++]].producer;
        if (tasks_[p].op == tasks_[root].op && !seen[p])
          walk.push_back({p, 0});
        continue;
      }
      out.push_back(t);
      walk.pop_back();
    }
  };
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  llvm::DenseSet<Value> returned(ret.getOperands().begin(),
                                 ret.getOperands().end());
  std::vector<std::vector<uint32_t>> tasksOfOp(ops_.size());
  for (auto [id, t] : llvm::enumerate(tasks_))
    if (t.kind == TaskKind::Save)
      tasksOfOp[t.op].push_back(id);
  // The sink values of a group: consecutive, as many chunks, none computed
  // from another, at most kMaxSiblings.
  constexpr size_t kMaxSiblings = 16;
  std::vector<Value> group;
  auto walkGroup = [&] {
    if (group.empty())
      return;
    int64_t n = chunks.array(group.front()).layout.numChunks();
    for (int64_t c = 0; c < n; ++c) {
      std::vector<std::vector<uint32_t>> own(group.size());
      size_t longest = 0;
      for (size_t m = 0; m < group.size(); ++m) {
        ownTasks(firstObject_[valueIndex_.lookup(group[m])] + c, own[m]);
        longest = std::max(longest, own[m].size());
      }
      for (size_t k = 0; k < longest; ++k)
        for (const auto &list : own)
          if (k < list.size())
            visit(list[k]);
    }
    group.clear();
  };
  for (auto [index, info] : llvm::enumerate(ops_)) {
    if (info->kind == TaskKind::Save) {
      walkGroup();
      for (uint32_t t : tasksOfOp[index])
        visit(t);
      continue;
    }
    for (Value result : info->op->getResults()) {
      if (!result.use_empty() && !returned.count(result))
        continue;
      bool joins = !group.empty() && group.size() < kMaxSiblings &&
                   chunks.array(result).layout.numChunks() ==
                       chunks.array(group.front()).layout.numChunks() &&
                   llvm::none_of(group, [&](Value m) {
                     return chunked::computedFrom(result, m) ||
                            chunked::computedFrom(m, result);
                   });
      if (!joins)
        walkGroup();
      group.push_back(result);
    }
  }
  walkGroup();
  // Every task is needed by a sink (pruneUnneeded), so none is left; this
  // only keeps the order total.
  for (uint32_t t = 0; t < tasks_.size(); ++t)
    visit(t);
}

void TaskGraph::install(uint32_t object, const ObjectData &data) {
  const GraphObject &o = objects_[object];
  if (o.value < 0)
    return;
  std::lock_guard<std::mutex> lock(installMutex_);
  if (installed_[object]++ > 0)
    return;
  ChunkSlot &slot = chunks.array(values_[o.value]).slots[o.chunk];
  slot.data = data.chunk;
  slot.state = ChunkSlot::State::Resident;
}

void TaskGraph::uninstall(uint32_t object) {
  const GraphObject &o = objects_[object];
  if (o.value < 0)
    return;
  std::lock_guard<std::mutex> lock(installMutex_);
  auto it = installed_.find(object);
  if (--it->second > 0)
    return;
  installed_.erase(it);
  ChunkSlot &slot = chunks.array(values_[o.value]).slots[o.chunk];
  slot.data.reset();
  slot.state = ChunkSlot::State::Pending;
}

llvm::Expected<ObjectData>
TaskGraph::run(uint32_t id,
               llvm::ArrayRef<std::shared_ptr<const ObjectData>> inputs) {
  const GraphTask &t = tasks_[id];
  GraphOp &info = *ops_[t.op];
  Operation *op = info.op;
  if (inputs.size() != t.inputs.size())
    return makeError("task " + Twine(id) + " expects " +
                     Twine(t.inputs.size()) + " inputs, got " +
                     Twine(inputs.size()));
  ObjectData out;
  auto takeChunk = [&]() -> llvm::Error {
    ChunkSlot &slot = chunks.array(values_[info.result]).slots[t.chunk];
    out.chunk = std::move(slot.data);
    slot.state = ChunkSlot::State::Pending;
    return llvm::Error::success();
  };
  auto partialsOf = [&](size_t i) -> const std::vector<Partial> & {
    return *inputs[i]->partials;
  };
  for (size_t i = 0; i < inputs.size(); ++i) {
    bool wantPartial = objects_[t.inputs[i]].value < 0;
    if (!inputs[i] ||
        (wantPartial ? !inputs[i]->partials ||
                           static_cast<int64_t>(inputs[i]->partials->size()) !=
                               info.numResults
                     : !inputs[i]->chunk))
      return makeError("task " + Twine(id) + ": input " + Twine(i) +
                       " is not the object it reads");
    install(t.inputs[i], *inputs[i]);
  }
  llvm::Error err = [&]() -> llvm::Error {
    switch (t.kind) {
    case TaskKind::Map:
      if (auto e = chunks.mapTask(op, t.chunk))
        return e;
      return takeChunk();
    case TaskKind::Product:
      if (auto e = chunks.productTask(op, *info.contraction, t.chunk))
        return e;
      return takeChunk();
    case TaskKind::Mirror:
      if (auto e = chunks.mirrorTask(op, t.chunk))
        return e;
      return takeChunk();
    case TaskKind::Partial: {
      auto p = chunks.partialTask(op, *info.contraction, t.chunk, t.step);
      if (!p)
        return p.takeError();
      out.partials = std::make_shared<std::vector<Partial>>(std::move(*p));
      return llvm::Error::success();
    }
    case TaskKind::Combine: {
      // Root by root, in the tree's order.
      std::vector<Partial> combined = partialsOf(0);
      auto reductions = rootReductions(info.op);
      for (size_t k = 1; k < inputs.size(); ++k)
        for (auto [r, c, next] : llvm::zip(reductions, combined, partialsOf(k)))
          c = chunks.combine(r, c, next);
      out.partials = std::make_shared<std::vector<Partial>>(std::move(combined));
      return llvm::Error::success();
    }
    case TaskKind::Finish:
      out.chunk = std::make_shared<NDArray>(chunks.finish(
          rootReductions(info.op)[t.step], Partial(partialsOf(0)[t.step])));
      return llvm::Error::success();
    case TaskKind::Save:
      return chunks.saveTask(cast<SaveOp>(op), *info.writer, t.chunk);
    }
    return llvm::Error::success();
  }();
  for (uint32_t in : t.inputs)
    uninstall(in);
  if (err)
    return std::move(err);
  return std::move(out);
}

llvm::Error TaskGraph::closeFiles() {
  for (auto &info : ops_)
    if (info->writer)
      if (auto err = info->writer->commit())
        return err;
  return llvm::Error::success();
}
