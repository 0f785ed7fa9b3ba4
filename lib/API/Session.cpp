//===- Session.cpp - Executing graphs of tensors --------------------------===//
//
// execute(): collect the nodes the requested tensors need (stopping at
// nodes that have values: those become the function's arguments), key the
// graph by its structure, build (or reuse) the func.func with one op per
// node, compile it, run it, and store the results on their nodes.
//
//===----------------------------------------------------------------------===//

#include "mars/API/Session.h"

#include "Node.h"

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Runtime/ReferenceEvaluator.h"
#include "mars/Tiling/Layout.h"
#include "mars/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <list>
#include <thread>

using namespace mlir;
using namespace mars;
using namespace mars::api;
using namespace mars::api::graph;

char TensorError::ID = 0;

void TensorError::log(llvm::raw_ostream &os) const { os << error.str(); }

std::error_code TensorError::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

Error api::toError(llvm::Error err) {
  Error out{ErrorKind::Runtime, "", ""};
  llvm::handleAllErrors(
      std::move(err), [&](const TensorError &e) { out = e.error; },
      [&](const llvm::ErrorInfoBase &e) { out.message = e.message(); });
  return out;
}

static llvm::Error tensorError(ErrorKind kind, std::string op,
                               std::string message) {
  return llvm::make_error<TensorError>(
      Error{kind, std::move(op), std::move(message)});
}

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// A small program as a list of op evaluations: where each op's operands
/// and the program's results are (a slot: an argument, -1 - its position,
/// or an op's result, its position).
struct StepProgram {
  /// Programs of more ops take the reference engine, which frees values
  /// after their last use.
  static constexpr size_t kMaxOps = 16;
  SmallVector<Operation *, 2> ops;
  SmallVector<SmallVector<int, 3>, 2> operands;
  SmallVector<int, 1> results;

  /// The step program of `func` when all its ops have chunk rules.
  static std::optional<StepProgram> of(func::FuncOp func) {
    StepProgram p;
    llvm::DenseMap<Operation *, int> position;
    auto slot = [&](Value v) {
      if (auto arg = dyn_cast<BlockArgument>(v))
        return -1 - static_cast<int>(arg.getArgNumber());
      return position.lookup(v.getDefiningOp());
    };
    for (Operation &op : func.getBody().front()) {
      if (auto ret = dyn_cast<func::ReturnOp>(op)) {
        for (Value v : ret.getOperands())
          p.results.push_back(slot(v));
        continue;
      }
      if (!isa<ChunkOpInterface>(op) || isa<SinkOpInterface>(op) ||
          op.getNumResults() != 1 || op.getNumRegions() != 0 ||
          p.ops.size() == kMaxOps)
        return std::nullopt;
      auto &in = p.operands.emplace_back();
      for (Value v : op.getOperands())
        in.push_back(slot(v));
      position[&op] = p.ops.size();
      p.ops.push_back(&op);
    }
    return p;
  }
};

/// A built (and compiled) program.
struct Program {
  OwningOpRef<ModuleOp> module;
  func::FuncOp func;
  bool small = false;
  /// Set for a small program of a few ops with chunk rules (eager mode's
  /// programs): its ops, in order, run directly with evaluateOp().
  std::optional<StepProgram> steps;
};

/// The `mars.stored` count a sparse argument is tiled by: its stored
/// elements rounded up to 2^k - 1 (at most its size). Programs are cached
/// by structure, and this bucket is part of the key, so a cached tiling
/// was made for at most twice what its arguments store (and at least what
/// they store: a matrix that fills in gets a program of its own). Dense:
/// -1.
int64_t storedCountBucket(const numeric::NDArray &value) {
  if (!value.isSparse())
    return -1;
  const unsigned bits = llvm::Log2_64_Ceil(static_cast<uint64_t>(value.nnz()) + 1);
  const int64_t top = bits >= 63 ? INT64_MAX : (int64_t(1) << bits) - 1;
  return std::min(top, value.size());
}

/// Puts `value`'s mars.stored count on argument `i` of `fn` when it is a
/// sparse matrix.
void markStored(func::FuncOp fn, unsigned i, const numeric::NDArray &value) {
  if (value.isSparse())
    fn.setArgAttr(i, MarsDialect::kStoredAttrName,
                  IntegerAttr::get(IntegerType::get(fn.getContext(), 64),
                                   storedCountBucket(value)));
}

/// The graph one execute() runs: its op nodes in topological order, its
/// argument nodes, and the nodes it returns.
struct Graph {
  SmallVector<Node *, 1> ops;
  SmallVector<Node *, 2> args;
  SmallVector<Node *, 1> results;
  /// The structure, as a cache key (uniqued MLIR pointers and positions).
  std::string key;
  int64_t largest = 0;
};

Graph collect(const std::vector<Node *> &wanted) {
  Graph g;
  g.key.reserve(128);
  // Position in args (<0) / ops. Eager mode collects a graph of one op per
  // call: small graphs allocate nothing here.
  llvm::SmallDenseMap<Node *, int64_t, 8> index;
  // The key is raw bytes: pointers and positions, appended as they are.
  auto put = [&](auto v) {
    g.key.append(reinterpret_cast<const char *>(&v), sizeof(v));
  };
  // Depth-first, iteratively: deep expression chains must not overflow
  // the stack.
  SmallVector<std::pair<Node *, size_t>, 8> stack;
  auto visit = [&](Node *root) {
    if (index.count(root))
      return;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      auto &[n, next] = stack.back();
      if (!n->value && next < n->inputs.size()) {
        Node *in = n->inputs[next++].get();
        if (!index.count(in))
          stack.push_back({in, 0});
        continue;
      }
      Node *done = n;
      stack.pop_back();
      if (index.count(done))
        continue;
      g.largest = std::max(g.largest, numeric::numElements(done->shape));
      if (done->value) {
        index[done] = -1 - static_cast<int64_t>(g.args.size());
        g.args.push_back(done);
        put('A');
        put(done->type.getAsOpaquePointer());
        put(done->chunks.getAsOpaquePointer());
        put(storedCountBucket(*done->value));
        continue;
      }
      index[done] = static_cast<int64_t>(g.ops.size());
      g.ops.push_back(done);
      put('N');
      put(done->op->getAsOpaquePointer());
      put(done->attrs.getAsOpaquePointer());
      put(done->type.getAsOpaquePointer());
      put(done->chunks.getAsOpaquePointer());
      put(done->inputs.size());
      for (auto &in : done->inputs)
        put(index.lookup(in.get()));
    }
  };
  for (Node *n : wanted) {
    visit(n);
    g.results.push_back(n);
    put('R');
    put(index.lookup(n));
  }
  return g;
}

/// Builds @main: one argument per argument node, one op per op node, the
/// wanted nodes returned.
Program build(const Graph &g) {
  MLIRContext *ctx = &context();
  OpBuilder b(ctx);
  Program p;
  p.module = ModuleOp::create(UnknownLoc::get(ctx));
  b.setInsertionPointToEnd(p.module->getBody());
  SmallVector<Type> argTypes, resultTypes;
  for (Node *n : g.args)
    argTypes.push_back(n->type);
  for (Node *n : g.results)
    resultTypes.push_back(n->type);
  p.func = b.create<func::FuncOp>(UnknownLoc::get(ctx), "main",
                                  b.getFunctionType(argTypes, resultTypes));
  Block *body = p.func.addEntryBlock();
  llvm::DenseMap<Node *, Value> values;
  for (auto [i, n] : llvm::enumerate(g.args)) {
    values[n] = body->getArgument(i);
    if (n->chunks)
      p.func.setArgAttr(i, MarsDialect::kChunksAttrName, n->chunks);
    if (n->value)
      markStored(p.func, i, *n->value);
  }
  b.setInsertionPointToEnd(body);
  for (Node *n : g.ops) {
    OperationState state(NameLoc::get(StringAttr::get(ctx, n->label)),
                         *n->op);
    for (auto &in : n->inputs)
      state.addOperands(values.lookup(in.get()));
    state.addTypes(n->type);
    state.addAttributes(n->attrs.getValue());
    if (n->chunks)
      state.addAttribute(MarsDialect::kChunksAttrName, n->chunks);
    values[n] = b.create(state)->getResult(0);
  }
  SmallVector<Value> results;
  for (Node *n : g.results)
    results.push_back(values.lookup(n));
  b.create<func::ReturnOp>(UnknownLoc::get(ctx), results);
  return p;
}

/// numpy's kind for a failure the engines report.
ErrorKind classify(StringRef message) {
  if (message.contains("memory limit") || message.contains("out of memory"))
    return ErrorKind::Memory;
  if (message.contains("would make its zeros nonzero"))
    return ErrorKind::NotImplemented;
  if (message.contains("is out of bounds for axis") ||
      message.contains("non-empty take from an empty"))
    return ErrorKind::Index;
  // numpy.linalg's sentences for what LAPACK reports (lib/Numeric/Linalg.cpp).
  if (message.contains("Singular matrix") ||
      message.contains("singular matrix: resolution failed") ||
      message.contains("Matrix is not positive definite") ||
      message.contains("SVD did not converge") ||
      message.contains("Eigenvalues did not converge"))
    return ErrorKind::LinAlg;
  if (message.contains("negative integer powers") ||
      message.contains("must not contain infs or NaNs") ||
      message.contains("must have no negative elements") ||
      message.contains("zero-size") || message.contains("empty sequence"))
    return ErrorKind::Value;
  return ErrorKind::Runtime;
}

/// Runs `steps` on the values of `g`'s argument nodes and stores the results
/// on its result nodes.
llvm::Error runSteps(const StepProgram &steps, const Graph &g) {
  SmallVector<NDArray, 2> values;
  values.reserve(steps.ops.size());
  auto at = [&](int slot) -> const NDArray * {
    return slot < 0 ? g.args[-1 - slot]->value.get() : &values[slot];
  };
  for (auto [op, slots] : llvm::zip(steps.ops, steps.operands)) {
    SmallVector<const NDArray *, 3> operands;
    for (int slot : slots)
      operands.push_back(at(slot));
    llvm::Expected<NDArray> result = evaluateOp(op, operands);
    if (!result) {
      std::string msg = llvm::toString(result.takeError());
      auto name = dyn_cast<NameLoc>(op->getLoc());
      return tensorError(classify(msg),
                         name ? name.getName().str() : std::string(), msg);
    }
    values.push_back(std::move(*result));
  }
  for (auto [i, n] : llvm::enumerate(g.results)) {
    int slot = steps.results[i];
    // The last result that is this op's takes its value; others copy it.
    bool last = slot >= 0 && !llvm::is_contained(
                                 ArrayRef(steps.results).drop_front(i + 1), slot);
    n->value = last ? std::make_shared<const NDArray>(std::move(values[slot]))
                    : std::make_shared<const NDArray>(*at(slot));
    // Its value replaces its lineage (as after an engine run).
    n->inputs.clear();
  }
  return llvm::Error::success();
}

} // namespace

/// Programs by structure, least recently used first out. A program being
/// run stays alive when another thread evicts it (shared ownership).
struct api::Session::Programs {
  using Entry = std::pair<std::string, std::shared_ptr<Program>>;
  std::list<Entry> lru;
  llvm::StringMap<std::list<Entry>::iterator> byKey;

  std::shared_ptr<Program> find(const std::string &key) {
    auto it = byKey.find(key);
    if (it == byKey.end())
      return nullptr;
    lru.splice(lru.end(), lru, it->second);
    return it->second->second;
  }
  std::shared_ptr<Program> insert(std::string key, Program p,
                                  unsigned capacity) {
    if (capacity == 0)
      capacity = 1;
    while (lru.size() >= capacity) {
      byKey.erase(lru.front().first);
      lru.pop_front();
    }
    lru.emplace_back(key, std::make_shared<Program>(std::move(p)));
    byKey[key] = std::prev(lru.end());
    return lru.back().second;
  }
};

api::Session::Session(std::unique_ptr<mars::Session> main, ApiOptions api)
    : main(std::move(main)), api(api), programs(new Programs) {}

api::Session::~Session() = default;

llvm::Expected<std::unique_ptr<api::Session>>
api::Session::create(SessionOptions options, ApiOptions api) {
  // Failures come back as TensorErrors, not as text on stderr.
  options.printClusterErrors = false;
  auto main = mars::Session::create(std::move(options));
  if (!main)
    return tensorError(ErrorKind::Value, "session",
                       llvm::toString(main.takeError()));
  return std::unique_ptr<Session>(new Session(std::move(*main), api));
}

llvm::Error api::Session::execute(const std::vector<Tensor> &tensors,
                                  RunUnlocked unlocked, Trace *trace) {
  // Filled here and published at the end: another thread's execute() may
  // run while this one's engine run has the caller's lock released.
  ExecuteReport r;
  auto publish = llvm::make_scope_exit([&] { report = std::move(r); });
  std::vector<Node *> wanted;
  wanted.reserve(tensors.size());
  for (const Tensor &t : tensors) {
    if (!t.ok())
      return llvm::make_error<TensorError>(t.error());
    if (!t.isExecuted())
      wanted.push_back(t.node());
  }
  if (wanted.empty()) {
    r.engine = "cached";
    return llvm::Error::success();
  }

  Graph g = collect(wanted);
  const bool small = main->options().engine == Engine::Reference ||
                     g.largest <= api.smallElements;

  std::shared_ptr<Program> program = programs->find(g.key);
  r.programCacheHit = program != nullptr;

  // A small program of a few ops (eager mode's) runs its ops' rules on the
  // calling thread: no engine, no diagnostics (errors are values).
  if (program && program->steps) {
    r.engine = "reference";
    auto stepsStart = Clock::now();
    llvm::Error err = runSteps(*program->steps, g);
    if (trace) {
      trace->nameProcess(0, "mars");
      trace->nameThread(0, 0, "main");
      trace->span("run", "execute (reference steps)", 0, 0, stepsStart,
                  Clock::now());
    }
    return err;
  }

  auto start = Clock::now();
  // Diagnostics of building, compiling and running on this thread, with
  // the function (the op's location) that raised them. Other threads'
  // diagnostics go on to their own handlers.
  std::string failure, failedOp;
  const std::thread::id self = std::this_thread::get_id();
  ScopedDiagnosticHandler handler(&context(), [&](Diagnostic &diag) {
    if (std::this_thread::get_id() != self)
      return mlir::failure();
    if (diag.getSeverity() != DiagnosticSeverity::Error)
      return success();
    if (failure.empty()) {
      failure = diag.str();
      if (auto name = dyn_cast<NameLoc>(diag.getLocation()))
        failedOp = name.getName().str();
    }
    return success();
  });
  auto failed = [&](StringRef what) {
    std::string msg = failure.empty() ? what.str() : failure;
    return tensorError(classify(msg), failedOp, msg);
  };

  if (!program) {
    Program p = build(g);
    p.small = small;
    if (mlir::failed(mlir::verify(*p.module)))
      return failed("the program does not verify");
    // Only small programs whose arguments and values fit the memory limit
    // all at once: steps hold every value to the end and are not accounted
    // as they run (the reference engine, which frees values after their
    // last use, runs the others, against the limit).
    if (g.largest <= api.smallElements) {
      uint64_t bytes = 0;
      for (Node *n : g.args)
        bytes += n->value->nbytes();
      for (Node *n : g.ops)
        bytes += numeric::numElements(n->shape) * numeric::dtypeSize(n->dtype);
      if (bytes <= main->memoryLimit())
        p.steps = StepProgram::of(p.func);
    }
    r.buildSeconds = secondsSince(start);
    auto compileStart = Clock::now();
    if (trace)
      trace->span("run", "build the program", 0, 0, start, compileStart);
    if (!small && mlir::failed(main->compile(p.func)))
      return failed("the program does not compile");
    r.compileSeconds = secondsSince(compileStart);
    if (trace && !small)
      trace->span("run", "tile and fuse", 0, 0, compileStart, Clock::now());
    program = programs->insert(g.key, std::move(p), api.programCacheSize);
  }

  mars::Session *engine = main.get();
  if (program->small && main->options().engine != Engine::Reference) {
    if (!this->small) {
      SessionOptions options;
      options.engine = Engine::Reference;
      options.memoryLimit = main->memoryLimit();
      auto created = mars::Session::create(options);
      if (!created)
        return tensorError(ErrorKind::Runtime, "session",
                           llvm::toString(created.takeError()));
      this->small = std::move(*created);
    }
    engine = this->small.get();
  }
  r.engine = engineName(engine->options().engine).str();

  // The arguments borrow the nodes' values: nothing is copied.
  std::vector<NDArray> args;
  args.reserve(g.args.size());
  for (Node *n : g.args)
    args.push_back(NDArray::borrow(*n->value, n->value));
  FailureOr<std::vector<NDArray>> results = mlir::failure();
  auto run = [&] {
    std::lock_guard<std::mutex> lock(runMutex);
    results = engine->execute(program->func, args, &r.run, trace);
  };
  if (unlocked)
    unlocked(run);
  else
    run();
  args.clear();
  if (mlir::failed(results)) {
    // A cluster's diagnostics come back as text: "LOC: error: MESSAGE".
    if (failure.empty() && !r.run.clusterError.empty()) {
      StringRef text = r.run.clusterError;
      size_t at = text.find("error: ");
      failure = text.substr(at == StringRef::npos ? 0 : at + 7).trim().str();
      if (auto quote = text.find("loc(\""); quote != StringRef::npos) {
        StringRef rest = text.substr(quote + 5);
        failedOp = rest.substr(0, rest.find('"')).str();
      }
    }
    return failed("the program failed");
  }
  for (auto [n, result] : llvm::zip(g.results, *results)) {
    n->value = std::make_shared<const NDArray>(std::move(result));
    // Its value replaces its lineage: the inputs are freed with their last
    // handle.
    n->inputs.clear();
  }
  return llvm::Error::success();
}

llvm::Expected<std::string>
api::Session::graph(const std::vector<Tensor> &tensors, GraphStage stage) {
  std::vector<Node *> wanted;
  for (const Tensor &t : tensors) {
    if (!t.ok())
      return llvm::make_error<TensorError>(t.error());
    wanted.push_back(t.node());
  }
  std::string failure;
  const std::thread::id self = std::this_thread::get_id();
  ScopedDiagnosticHandler handler(&context(), [&](Diagnostic &diag) {
    if (std::this_thread::get_id() != self)
      return mlir::failure();
    if (diag.getSeverity() == DiagnosticSeverity::Error && failure.empty())
      failure = diag.str();
    return success();
  });
  Program p = build(collect(wanted));
  if (mlir::failed(mlir::verify(*p.module)))
    return tensorError(ErrorKind::Value, "graph",
                       failure.empty() ? "the program does not verify"
                                       : failure);
  std::string dot;
  llvm::raw_string_ostream os(dot);
  if (auto err = main->writeGraph(p.func, stage, os)) {
    std::string msg = llvm::toString(std::move(err));
    return tensorError(classify(failure.empty() ? msg : failure), "graph",
                       failure.empty() ? msg : failure);
  }
  return dot;
}

llvm::Expected<std::shared_ptr<const NDArray>>
api::Session::fetch(const Tensor &t) {
  if (auto err = execute({t}))
    return std::move(err);
  return t.value();
}

Shape api::Session::chunkShape(const Tensor &t) {
  if (auto c = t.chunkShape())
    return *c;
  if (!t.ok())
    return {};
  MarsTileOptions tile;
  tile.chunkBytes = static_cast<int64_t>(main->chunkBytes());
  tile.chunkSize = main->options().chunkSize;
  Node *node = t.node();
  const std::pair<int64_t, int64_t> options{tile.chunkBytes, tile.chunkSize};
  if (node->derivedChunks && node->derivedFor == options)
    return *node->derivedChunks;
  MLIRContext *ctx = &context();
  // Tiles `func` and reads the layout of `v`; failures are this query's,
  // not the user's (the program reports them when it executes).
  const std::thread::id self = std::this_thread::get_id();
  ScopedDiagnosticHandler quiet(ctx, [&](Diagnostic &) {
    return success(std::this_thread::get_id() == self);
  });
  auto layoutOf = [&](func::FuncOp func, Value v) -> std::optional<Shape> {
    PassManager pm(ctx, func::FuncOp::getOperationName());
    pm.addPass(createMarsTile(tile));
    if (mlir::failed(pm.run(func)))
      return std::nullopt;
    auto layout = tiling::getLayout(v);
    if (!layout)
      return std::nullopt;
    return Shape(layout->chunk().begin(), layout->chunk().end());
  };
  // mars-tile's choice for t in the program that computes it, as when it
  // executes: an expression takes the layout its operands give it (the
  // sum of two tensors chunked by 250 is chunked by 250).
  Program p = build(collect({node}));
  auto ret = cast<func::ReturnOp>(p.func.getBody().front().getTerminator());
  std::optional<Shape> chunk = layoutOf(p.func, ret.getOperand(0));
  if (!chunk) {
    // A program that does not tile: the choice for an argument of t's
    // type, by size (a program of t alone, as an argument).
    Graph alone;
    alone.args.push_back(node);
    alone.results.push_back(node);
    Program q = build(alone);
    chunk = layoutOf(q.func, q.func.getArgument(0));
    if (!chunk)
      return t.shape();
  }
  node->derivedChunks = chunk;
  node->derivedFor = options;
  return *chunk;
}
