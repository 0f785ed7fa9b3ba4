//===- GraphDot.cpp - Pictures of Mars programs as Graphviz graphs ---------===//
//
// See GraphDot.h. Node names are short ids ("a0", "n3", "n3c7s1"); what
// people read is in the labels.
//
//===----------------------------------------------------------------------===//

#include "mars/Transforms/GraphDot.h"

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Transforms/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"

#include <functional>
#include <set>

namespace mars {
#define GEN_PASS_DEF_MARSPRINTGRAPH
#include "mars/Transforms/Passes.h.inc"
} // namespace mars

using namespace mlir;
using namespace mars;
using namespace mars::tiling;

int64_t mars::countChunkTasks(Operation *op, int64_t fanIn) {
  switch (getChunkKind(op)) {
  case ChunkKind::Map:
    return getLayout(op->getResult(0))->numChunks();
  case ChunkKind::Sink:
    return getLayout(op->getOperand(0))->numChunks();
  case ChunkKind::Contraction: {
    int64_t steps = Contraction(op).steps().numChunks();
    int64_t combines = 0;
    for (int64_t n = steps; n > 1; n = (n + fanIn - 1) / fanIn)
      combines += (n + fanIn - 1) / fanIn;
    return getLayout(op->getResult(0))->numChunks() * (steps + combines);
  }
  }
  return 0;
}

namespace {

/// A DOT string literal's contents: quotes and backslashes escaped, line
/// breaks as DOT's centred "\n".
std::string escape(StringRef s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string join(ArrayRef<int64_t> xs, StringRef sep) {
  std::string s;
  for (auto [i, x] : llvm::enumerate(xs))
    s += (i ? sep.str() : "") + std::to_string(x);
  return s;
}

/// numpy's name for an element type ("float64", "bool", "uint8").
std::string dtypeName(Type t) {
  if (auto f = dyn_cast<FloatType>(t))
    return "float" + std::to_string(f.getWidth());
  if (auto i = dyn_cast<IntegerType>(t)) {
    if (i.getWidth() == 1)
      return "bool";
    return (i.isUnsigned() ? "uint" : "int") + std::to_string(i.getWidth());
  }
  std::string s;
  llvm::raw_string_ostream os(s);
  t.print(os);
  return s;
}

/// "float64 (1000, 1000)" as numpy writes a dtype and shape.
std::string typeLine(Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  std::string shape = "(" + join(t.getShape(), ", ") +
                      (t.getRank() == 1 ? ",)" : ")");
  return dtypeName(t.getElementType()) + " " + shape;
}

/// "4x4 chunks of 250x250" (a single chunk: "1 chunk").
std::string layoutLine(const Layout &l) {
  int64_t n = l.numChunks();
  if (l.rank() == 0 || n == 1)
    return "1 chunk";
  return join(l.grid(), "x") + " chunks of " + join(l.chunk(), "x");
}

/// Fill colours by what an op does.
StringRef fillOf(Operation *op) {
  if (isa<FusedOp>(op))
    return "#e6edfb";
  if (op->getNumOperands() == 0)
    return "#dcefd8"; // Creation and load.
  if (isa<ReductionOpInterface>(op))
    return "#fbe5c4";
  if (isa<ElementwiseOpInterface>(op))
    return "#ffffff";
  if (isa<ContractionOpInterface>(op))
    return "#f5d3d3"; // Products.
  return "#eeeeee"; // Shape, sorting, indexing, linear algebra.
}

class Printer {
public:
  Printer(func::FuncOp func, llvm::raw_ostream &os,
          const GraphDotOptions &options)
      : func(func), os(os), options(options), state(func) {}

  void print();

private:
  std::string name(Value v) {
    std::string s;
    llvm::raw_string_ostream out(s);
    v.printAsOperand(out, state);
    return s;
  }
  /// "%0, %1 = mars.lu" (the op's results named as the IR prints them).
  std::string header(Operation *op) {
    std::string s;
    if (op->getNumResults() == 1) {
      s = name(op->getResult(0)) + " = ";
    } else if (op->getNumResults() > 1) {
      // "%3:2", as the IR prints a multi-result op.
      std::string first = name(op->getResult(0));
      s = first.substr(0, first.rfind('#')) + ":" +
          std::to_string(op->getNumResults()) + " = ";
    }
    return s + op->getName().getStringRef().str();
  }
  /// Where the op comes from: "prog.mlir:4:8", or the name the C++ and
  /// Python front ends give it.
  std::string tooltip(Operation *op) {
    std::string s;
    llvm::raw_string_ostream out(s);
    std::function<void(Location)> print = [&](Location loc) {
      if (auto file = dyn_cast<FileLineColLoc>(loc)) {
        out << file.getFilename().getValue() << ":" << file.getLine() << ":"
            << file.getColumn();
      } else if (auto named = dyn_cast<NameLoc>(loc)) {
        out << named.getName().getValue();
        if (!isa<UnknownLoc>(named.getChildLoc())) {
          out << " at ";
          print(named.getChildLoc());
        }
      } else if (auto fused = dyn_cast<FusedLoc>(loc)) {
        for (auto [i, l] : llvm::enumerate(fused.getLocations())) {
          out << (i ? ", " : "");
          print(l);
        }
      } else {
        loc.print(out);
      }
    };
    print(op->getLoc());
    return escape(s);
  }
  void edge(StringRef from, StringRef to) {
    if (seenEdges.insert({from.str(), to.str()}).second)
      os << "  \"" << from << "\" -> \"" << to << "\";\n";
  }
  bool tiled();
  int64_t totalTasks();
  /// tiled(), computed once.
  bool isTiled = false;

  // The op graph.
  void printOpGraph(StringRef note);
  void printOpNode(Operation *op, StringRef id, StringRef indent);
  void printFused(FusedOp fused, int64_t index);

  // The chunk graph.
  void printChunkGraph();
  void printChunkOp(Operation *op, int64_t index);
  std::string chunkNode(Value v, int64_t chunk);

  func::FuncOp func;
  llvm::raw_ostream &os;
  const GraphDotOptions &options;
  AsmState state;
  /// The node drawing each value (the op graph), or the node prefix of the
  /// task that computes it (the chunk graph: prefix + "c" + chunk).
  llvm::DenseMap<Value, std::string> nodeOf;
  std::set<std::pair<std::string, std::string>> seenEdges;
};

bool Printer::tiled() {
  for (BlockArgument arg : func.getArguments())
    if (!getLayout(arg))
      return false;
  for (Operation &op : func.getBody().front())
    if (op.getNumResults() && !getLayout(op.getResult(0)))
      return false;
  return true;
}

int64_t Printer::totalTasks() {
  int64_t total = 0;
  for (Operation &op : func.getBody().front())
    if (!op.hasTrait<OpTrait::IsTerminator>())
      total += countChunkTasks(&op, options.fanIn);
  return total;
}

void Printer::print() {
  os << "digraph \"" << escape(func.getName()) << "\" {\n"
     << "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", "
        "fontname=\"Helvetica\", fontsize=11];\n"
     << "  edge [color=\"#555555\", arrowsize=0.7];\n";
  isTiled = tiled();
  if (options.chunks && isTiled) {
    int64_t tasks = totalTasks();
    if (tasks <= options.maxTasks)
      printChunkGraph();
    else
      printOpGraph("the chunk graph has " + std::to_string(tasks) +
                   " tasks, more than " + std::to_string(options.maxTasks) +
                   ": drawn per op");
  } else {
    printOpGraph(options.chunks ? "not tiled: no chunk graph" : "");
  }
  os << "}\n";
}

//===----------------------------------------------------------------------===//
// The op graph
//===----------------------------------------------------------------------===//

void Printer::printOpNode(Operation *op, StringRef id, StringRef indent) {
  // Values inside a fused box never exist as tensors: no names.
  std::string label = isa<FusedOp>(op->getParentOp())
                          ? op->getName().getStringRef().str()
                          : header(op);
  if (auto save = dyn_cast<SaveOp>(op))
    label += " \"" + save.getPath().str() + "\"";
  for (Value r : op->getResults())
    label += "\n" + typeLine(r);
  // Ops inside a fused box share its chunks: their own layouts say how
  // their operands are read, which the box's label already shows.
  if (!isa<FusedOp>(op->getParentOp()) && op->getNumResults() &&
      getLayout(op->getResult(0)))
    label += "\n" + layoutLine(*getLayout(op->getResult(0)));
  if (!isa<FusedOp>(op->getParentOp()) && isTiled) {
    int64_t tasks = countChunkTasks(op, options.fanIn);
    label += (op->getNumResults() ? ", " : "\n") + std::to_string(tasks) +
             (tasks == 1 ? " task" : " tasks");
  }
  os << indent << "\"" << id << "\" [label=\"" << escape(label)
     << "\", fillcolor=\"" << fillOf(op) << "\", tooltip=\"" << tooltip(op)
     << "\"];\n";
}

void Printer::printFused(FusedOp fused, int64_t index) {
  std::string cluster = "n" + std::to_string(index);
  std::string label = header(fused);
  for (Value r : fused->getResults())
    label += "\n" + typeLine(r);
  if (auto l = getLayout(fused->getResult(0))) {
    int64_t tasks = countChunkTasks(fused, options.fanIn);
    label += "\n" + layoutLine(*l) + ", " + std::to_string(tasks) +
             (tasks == 1 ? " task" : " tasks");
  }
  os << "  subgraph \"cluster_" << cluster << "\" {\n"
     << "    label=\"" << escape(label) << "\"; style=\"rounded,filled\"; "
     << "fillcolor=\"" << fillOf(fused) << "\"; color=\"#4a6fc1\"; "
     << "fontname=\"Helvetica\"; fontsize=11; tooltip=\"" << tooltip(fused)
     << "\";\n";
  Block &body = fused.getBody().front();
  // The box's arguments are its operands.
  for (auto [arg, operand] : llvm::zip(body.getArguments(), fused->getOperands()))
    nodeOf[arg] = nodeOf.lookup(operand);
  int64_t k = 0;
  SmallVector<std::pair<std::string, std::string>> edges;
  for (Operation &op : body) {
    if (auto yield = dyn_cast<YieldOp>(op)) {
      for (auto [r, v] : llvm::zip(fused->getResults(), yield->getOperands()))
        nodeOf[r] = nodeOf.lookup(v);
      continue;
    }
    std::string id = cluster + "." + std::to_string(k++);
    printOpNode(&op, id, "    ");
    for (Value v : op.getOperands())
      edges.push_back({nodeOf.lookup(v), id});
    for (Value r : op.getResults())
      nodeOf[r] = id;
  }
  os << "  }\n";
  for (auto &[from, to] : edges)
    edge(from, to);
}

void Printer::printOpGraph(StringRef note) {
  if (!note.empty())
    os << "  label=\"" << escape(note) << "\"; labelloc=t; "
       << "fontname=\"Helvetica\"; fontsize=11;\n";
  for (BlockArgument arg : func.getArguments()) {
    std::string id = "a" + std::to_string(arg.getArgNumber());
    std::string label = name(arg) + "\n" + typeLine(arg);
    if (auto l = getLayout(arg))
      label += "\n" + layoutLine(*l);
    os << "  \"" << id << "\" [label=\"" << escape(label)
       << "\", shape=invhouse, fillcolor=\"#dcefd8\"];\n";
    nodeOf[arg] = id;
  }
  int64_t index = 0;
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      os << "  \"return\" [label=\"return\", shape=house, "
            "fillcolor=\"#dcefd8\"];\n";
      for (Value v : ret.getOperands())
        edge(nodeOf.lookup(v), "return");
      continue;
    }
    if (auto fused = dyn_cast<FusedOp>(op)) {
      printFused(fused, index++);
      continue;
    }
    std::string id = "n" + std::to_string(index++);
    printOpNode(&op, id, "  ");
    for (Value v : op.getOperands())
      edge(nodeOf.lookup(v), id);
    for (Value r : op.getResults())
      nodeOf[r] = id;
  }
}

//===----------------------------------------------------------------------===//
// The chunk graph
//===----------------------------------------------------------------------===//

std::string Printer::chunkNode(Value v, int64_t chunk) {
  return nodeOf.lookup(v) + "c" + std::to_string(chunk);
}

void Printer::printChunkOp(Operation *op, int64_t index) {
  std::string id = "n" + std::to_string(index);
  ChunkKind kind = getChunkKind(op);
  Value out = kind == ChunkKind::Sink ? op->getOperand(0) : op->getResult(0);
  Layout layout = *getLayout(out);
  std::string label = header(op);
  if (auto fused = dyn_cast<FusedOp>(op)) {
    // "%0 = mars.fused(exp, add)": the ops whose chunks the task computes.
    std::string summary = fused.getSummary();
    label += StringRef(summary).drop_front(strlen("fused")).str();
  }
  label += "\n" + layoutLine(layout);
  os << "  subgraph \"cluster_" << id << "\" {\n"
     << "    label=\"" << escape(label) << "\"; style=\"rounded,filled\"; "
     << "fillcolor=\"" << fillOf(op) << "\"; color=\"#888888\"; "
     << "fontname=\"Helvetica\"; fontsize=11; tooltip=\"" << tooltip(op)
     << "\";\n";
  SmallVector<std::pair<std::string, std::string>> edges;
  auto node = [&](StringRef nodeId, StringRef text) {
    os << "    \"" << nodeId << "\" [label=\"" << escape(text) << "\"];\n";
  };
  auto chunkName = [&](int64_t c) {
    return "[" + join(layout.chunkIndex(c), ", ") + "]";
  };
  for (Value r : op->getResults())
    nodeOf[r] = id;
  for (int64_t c = 0; c < layout.numChunks(); ++c) {
    std::string target = id + "c" + std::to_string(c);
    Box box = layout.chunkBox(c);
    if (kind == ChunkKind::Sink) {
      node(target, chunkName(c));
      edges.push_back({chunkNode(out, c), target});
      continue;
    }
    if (kind == ChunkKind::Map) {
      node(target, chunkName(c));
      for (auto &[value, region] : mapTaskReads(op, box))
        for (int64_t k : getLayout(value)->chunksOverlapping(region))
          edges.push_back({chunkNode(value, k), target});
      continue;
    }
    Contraction contraction(op);
    int64_t steps = contraction.steps().numChunks();
    node(target, chunkName(c));
    auto tree = combineTree(steps, options.fanIn);
    auto stepNode = [&](int64_t s) {
      return target + "s" + std::to_string(s);
    };
    auto combineNode = [&](size_t level, size_t n) {
      return target + "l" + std::to_string(level) + "." + std::to_string(n);
    };
    for (int64_t s = 0; s < steps; ++s) {
      node(stepNode(s), chunkName(c) + " step " + std::to_string(s));
      for (unsigned i = 0; i < op->getNumOperands(); ++i) {
        Value operand = op->getOperand(i);
        Box region = contraction.operandRegion(i, box, s);
        for (int64_t k : getLayout(operand)->chunksOverlapping(region))
          edges.push_back({chunkNode(operand, k), stepNode(s)});
      }
      if (tree.empty())
        edges.push_back({stepNode(s), target});
    }
    for (auto [level, nodes] : llvm::enumerate(tree))
      for (auto [n, group] : llvm::enumerate(nodes)) {
        node(combineNode(level + 1, n), "combine");
        for (int64_t child : group)
          edges.push_back({level == 0 ? stepNode(child)
                                      : combineNode(level, child),
                           combineNode(level + 1, n)});
        if (level + 1 == tree.size())
          edges.push_back({combineNode(level + 1, n), target});
      }
  }
  os << "  }\n";
  for (auto &[from, to] : edges)
    edge(from, to);
}

void Printer::printChunkGraph() {
  for (BlockArgument arg : func.getArguments()) {
    std::string id = "a" + std::to_string(arg.getArgNumber());
    Layout layout = *getLayout(arg);
    os << "  subgraph \"cluster_" << id << "\" {\n"
       << "    label=\"" << escape(name(arg) + "\n" + layoutLine(layout))
       << "\"; style=\"rounded,filled\"; fillcolor=\"#dcefd8\"; "
       << "color=\"#888888\"; fontname=\"Helvetica\"; fontsize=11;\n";
    for (int64_t c = 0; c < layout.numChunks(); ++c)
      os << "    \"" << id << "c" << c << "\" [label=\"["
         << join(layout.chunkIndex(c), ", ") << "]\"];\n";
    os << "  }\n";
    nodeOf[arg] = id;
  }
  int64_t index = 0;
  for (Operation &op : func.getBody().front())
    if (!op.hasTrait<OpTrait::IsTerminator>())
      printChunkOp(&op, index++);
}

} // namespace

void mars::printGraphDot(func::FuncOp func, llvm::raw_ostream &os,
                         const GraphDotOptions &options) {
  Printer(func, os, options).print();
}

namespace {
struct PrintGraphPass : public mars::impl::MarsPrintGraphBase<PrintGraphPass> {
  using MarsPrintGraphBase::MarsPrintGraphBase;

  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (fn.isExternal())
      return;
    if (fanIn < 2) {
      fn.emitError("fan-in must be at least 2, got ") << fanIn.getValue();
      return signalPassFailure();
    }
    GraphDotOptions options;
    options.chunks = chunks;
    options.fanIn = fanIn;
    options.maxTasks = maxTasks;
    printGraphDot(fn, llvm::outs(), options);
  }
};
} // namespace
