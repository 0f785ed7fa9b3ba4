//===- TaskGraph.cpp - A tiled program's chunk tasks, numbered -----------===//
//
// TaskPlan's walk, the local runtime's, with every task and object
// materialised and numbered, and each reduction chunk's combine tree
// spelled out as combine and finish tasks.
//
//===----------------------------------------------------------------------===//

#include "mars/Distributed/TaskGraph.h"

#include "mlir/Parser/Parser.h"

#include "llvm/Support/raw_ostream.h"

#include <cassert>
#include <iterator>
#include <map>

using namespace mlir;
using namespace mars;
using namespace mars::chunked;
using namespace mars::dist;
using namespace mars::tiling;

struct TaskGraph::GraphOp : PlannedOp {
  explicit GraphOp(const PlannedOp &planned) : PlannedOp(planned) {}
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

mlir::Operation *TaskGraph::op(uint32_t i) const { return ops_[i]->op; }

std::string TaskGraph::describe(uint32_t t) const {
  const GraphTask &task = tasks_[t];
  std::string s;
  llvm::raw_string_ostream os(s);
  os << ops_[task.op]->op->getName() << " " << chunked::taskKindName(task.kind)
     << " chunk " << task.chunk;
  if (task.kind == TaskKind::Partial)
    os << " step " << task.step;
  return s;
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
  return std::move(g);
}

llvm::Error TaskGraph::plan(func::FuncOp func, Mode mode,
                            llvm::ArrayRef<std::string> saveFiles) {
  // No value is held whole: returned values are chunks the client fetches.
  if (auto err = TaskPlan::build(func, args_, chunks, options_.fanIn,
                                 /*wholeReturned=*/false, plan_))
    return opError(err->op, err->message);
  unsigned saves = 0;
  for (const PlannedOp &planned : plan_.ops()) {
    auto info = std::make_unique<GraphOp>(planned);
    Operation *op = planned.op;
    if (auto save = dyn_cast<SaveOp>(op)) {
      if (mode == Mode::Execute) {
        if (saves >= saveFiles.size())
          return opError(op, "the job names no file for this mars.save");
        const ChunkedArray &in = chunks.array(save.getOperand());
        auto writer = NpyBoxWriter::attach(save.getPath(), saveFiles[saves],
                                           in.dtype, in.layout.shape());
        if (!writer)
          return opError(op, llvm::toString(writer.takeError()));
        info->writer = std::move(*writer);
      }
      ++saves;
    }
    // A task makes one object: the chunks of a multi-output group over an
    // empty extent (product tasks) would be several.
    if (planned.kind == TaskKind::Product && planned.numResults > 1)
      return opError(op, "a multi-output 'mars.fused' over an empty extent "
                         "cannot run on a cluster");
    ops_.push_back(std::move(info));
  }

  // Objects: a chunk of a value is numbered when the walk first reaches it
  // (it only reaches the chunks a sink needs); a partial when its task is
  // made.
  // Per value, per chunk: its object (-1: not reached yet).
  std::vector<std::vector<int64_t>> chunkObjects(plan_.values().size());
  auto chunkObject = [&](ChunkRef r) {
    std::vector<int64_t> &ids = chunkObjects[r.value];
    if (ids.empty())
      ids.assign(plan_.array(r.value).layout.numChunks(), -1);
    if (ids[r.chunk] < 0) {
      ids[r.chunk] = objects_.size();
      GraphObject o;
      o.value = r.value;
      o.chunk = r.chunk;
      const chunked::ChunkedArray &a = plan_.array(r.value);
      o.bytes = a.chunkBytes(r.chunk);
      o.maxBytes = a.largestChunkBytes(r.chunk);
      objects_.push_back(std::move(o));
    }
    return static_cast<uint32_t>(ids[r.chunk]);
  };
  auto newPartial = [&](uint32_t op, int64_t chunk) {
    GraphObject o;
    o.chunk = chunk;
    o.bytes = o.maxBytes = plan_.partialBytes(op, chunk);
    objects_.push_back(std::move(o));
    return static_cast<int64_t>(objects_.size() - 1);
  };
  auto addTask = [&](GraphTask t) {
    uint32_t id = tasks_.size();
    t.order = id;
    if (t.output >= 0)
      objects_[t.output].producer = id;
    tasks_.push_back(std::move(t));
  };
  // A reduction chunk's partials combine up the local runtime's tree: per
  // (op, chunk) and level, the objects of each node's children so far, in
  // the node's order. A node's combine is made when its last child is, and
  // the root's partial is finished into the chunk of each result.
  std::map<std::pair<uint32_t, int64_t>,
           std::vector<std::map<int64_t, std::vector<int64_t>>>>
      pending;
  auto addPartial = [&](uint32_t opIndex, int64_t chunk, int64_t index,
                        int64_t object) {
    const PlannedOp &info = plan_.ops()[opIndex];
    auto key = std::make_pair(opIndex, chunk);
    for (size_t level = 0; level < info.tree.size(); ++level) {
      auto &levels = pending[key];
      levels.resize(info.tree.size());
      int64_t node = info.parentOf[level][index];
      const std::vector<int64_t> &group = info.tree[level][node];
      std::vector<int64_t> &children = levels[level][node];
      children.resize(group.size(), -1);
      children[llvm::find(group, index) - group.begin()] = object;
      if (llvm::is_contained(children, -1))
        return;
      GraphTask t{TaskKind::Combine, opIndex, chunk};
      t.inputs.assign(children.begin(), children.end());
      t.output = newPartial(opIndex, chunk);
      object = t.output;
      index = node;
      levels[level].erase(node);
      addTask(std::move(t));
    }
    pending.erase(key);
    for (int64_t r = 0; r < info.numResults; ++r) {
      GraphTask t{TaskKind::Finish, opIndex, chunk, r};
      t.inputs.push_back(static_cast<uint32_t>(object));
      t.output = chunkObject(
          {static_cast<uint32_t>(info.result + r), chunk});
      addTask(std::move(t));
    }
  };
  TaskPlan::Walk walk(plan_);
  PlanTask p;
  llvm::SmallVector<ChunkRef, 8> deps;
  while (walk.next(p, deps)) {
    GraphTask t{p.kind, p.op, p.chunk, p.step};
    for (ChunkRef r : deps)
      t.inputs.push_back(chunkObject(r));
    switch (p.kind) {
    case TaskKind::Save:
      addTask(std::move(t));
      break;
    case TaskKind::Partial:
      t.output = newPartial(p.op, p.chunk);
      addTask(t);
      addPartial(p.op, p.chunk, p.step, t.output);
      break;
    default:
      t.output = chunkObject(
          {static_cast<uint32_t>(plan_.ops()[p.op].result), p.chunk});
      addTask(std::move(t));
      break;
    }
  }
  for (auto [id, t] : llvm::enumerate(tasks_))
    for (uint32_t in : t.inputs)
      objects_[in].readers.push_back(id);

  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (Value v : ret.getOperands()) {
    Result r;
    uint32_t index = plan_.valueIndex(v);
    const ChunkedArray &a = plan_.array(index);
    r.dtype = a.dtype;
    r.sparse = a.sparse;
    r.layout = a.layout;
    if (a.borrowed) {
      r.argument = cast<BlockArgument>(v).getArgNumber();
    } else {
      // Every chunk of a returned value is a sink's: the walk made them.
      for (int64_t c = 0, n = a.layout.numChunks(); c < n; ++c) {
        assert(chunkObjects[index][c] >= 0 && "a returned chunk not walked");
        r.chunks.push_back(static_cast<uint32_t>(chunkObjects[index][c]));
      }
    }
    results_.push_back(std::move(r));
  }
  return llvm::Error::success();
}

void TaskGraph::install(uint32_t object, const ObjectData &data) {
  const GraphObject &o = objects_[object];
  if (o.value < 0)
    return;
  std::lock_guard<std::mutex> lock(installMutex_);
  if (installed_[object]++ > 0)
    return;
  ChunkSlot &slot = plan_.array(o.value).slots[o.chunk];
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
  ChunkSlot &slot = plan_.array(o.value).slots[o.chunk];
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
    ChunkSlot &slot = plan_.array(info.result).slots[t.chunk];
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
    case TaskKind::Scan:
      if (auto e = chunks.scanTask(op, t.chunk))
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
