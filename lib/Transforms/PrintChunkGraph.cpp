//===- PrintChunkGraph.cpp - Print the chunk graph of tiled IR ------------===//

#include "mars/Transforms/Passes.h"

#include "mars/Tiling/ChunkGraph.h"
#include "mars/Transforms/GraphDot.h"

#include "mlir/IR/AsmState.h"

#include "llvm/Support/raw_ostream.h"

namespace mars {
#define GEN_PASS_DEF_MARSPRINTCHUNKGRAPH
#include "mars/Transforms/Passes.h.inc"
} // namespace mars

using namespace mlir;
using namespace mars;
using namespace mars::tiling;

namespace {

std::string indexStr(const Shape &idx) {
  std::string s = "[";
  for (size_t i = 0; i < idx.size(); ++i)
    s += (i ? ", " : "") + std::to_string(idx[i]);
  return s + "]";
}

struct PrintChunkGraphPass
    : public mars::impl::MarsPrintChunkGraphBase<PrintChunkGraphPass> {
  using MarsPrintChunkGraphBase::MarsPrintChunkGraphBase;

  void runOnOperation() override;

private:
  std::string name(Value v) {
    std::string s;
    llvm::raw_string_ostream os(s);
    v.printAsOperand(os, *state);
    return os.str();
  }
  std::string chunk(Value v, int64_t linear) {
    return name(v) + indexStr(getLayout(v)->chunkIndex(linear));
  }
  void printOp(Operation *op);

  /// Names values; lives for one runOnOperation.
  AsmState *state = nullptr;
};

void PrintChunkGraphPass::printOp(Operation *op) {
  llvm::raw_ostream &os = llvm::outs();
  ChunkKind kind = getChunkKind(op);
  std::string opName = op->getName().getStringRef().str();
  if (kind == ChunkKind::Sink) {
    Value in = op->getOperand(0);
    Layout layout = *getLayout(in);
    os << opName << " " << name(in) << ": " << layout.numChunks()
       << " chunks\n";
    for (int64_t c = 0; c < layout.numChunks(); ++c)
      os << "  " << chunk(in, c) << "\n";
    return;
  }

  Value out = op->getResult(0);
  Layout layout = *getLayout(out);
  os << name(out) << " = " << opName << ": grid " << indexStr(layout.grid())
     << " of " << indexStr(layout.chunk());
  if (kind == ChunkKind::Map) {
    os << "\n";
    for (int64_t c = 0; c < layout.numChunks(); ++c) {
      Box box = layout.chunkBox(c);
      os << "  " << indexStr(layout.chunkIndex(c));
      if (auto load = dyn_cast<LoadOp>(op)) {
        // A load reads its own box of the file.
        os << " <- \"" << load.getPath() << "\"";
        for (int64_t d = 0; d < box.rank(); ++d)
          os << (d ? ", " : "[") << box.lo[d] << ":" << box.hi[d];
        os << (box.rank() ? "]" : "");
        os << "\n";
        continue;
      }
      const char *sep = " <- ";
      for (auto &[value, region] : mapTaskReads(op, box))
        for (int64_t k : getLayout(value)->chunksOverlapping(region)) {
          os << sep << chunk(value, k);
          sep = ", ";
        }
      os << "\n";
    }
    return;
  }

  Contraction contraction(op);
  int64_t steps = contraction.steps().numChunks();
  os << "; " << steps << " steps, fan-in " << fanIn << "\n";
  auto tree = combineTree(steps, fanIn);
  for (int64_t c = 0; c < layout.numChunks(); ++c) {
    Box box = layout.chunkBox(c);
    std::string idx = indexStr(layout.chunkIndex(c));
    for (int64_t s = 0; s < steps; ++s) {
      os << "  " << idx << " step " << s << " <-";
      const char *sep = " ";
      for (unsigned i = 0; i < op->getNumOperands(); ++i) {
        Value operand = op->getOperand(i);
        Box region = contraction.operandRegion(i, box, s);
        for (int64_t k : getLayout(operand)->chunksOverlapping(region)) {
          os << sep << chunk(operand, k);
          sep = ", ";
        }
      }
      os << "\n";
    }
    for (auto [level, nodes] : llvm::enumerate(tree)) {
      os << "  " << idx << " combine level " << level + 1 << ":";
      for (auto &group : nodes) {
        os << " {";
        for (auto [j, child] : llvm::enumerate(group))
          os << (j ? ", " : "") << child;
        os << "}";
      }
      os << "\n";
    }
  }
}

void PrintChunkGraphPass::runOnOperation() {
  func::FuncOp fn = getOperation();
  if (fn.isExternal())
    return;
  if (format != "text" && format != "dot" && format != "stats") {
    fn.emitError("unknown chunk graph format '") << format
                                                 << "' (text, dot or stats)";
    return signalPassFailure();
  }
  if (fanIn < 2) {
    fn.emitError("fan-in must be at least 2, got ") << fanIn.getValue();
    return signalPassFailure();
  }
  // Every value must have a layout: the graph is defined by them.
  for (BlockArgument arg : fn.getArguments())
    if (!getLayout(arg)) {
      fn.emitError("argument ") << arg.getArgNumber()
                                << " has no chunk layout; run -mars-tile first";
      return signalPassFailure();
    }
  int64_t total = 0, chunks = 0;
  for (Operation &op : fn.getBody().front()) {
    if (op.hasTrait<OpTrait::IsTerminator>())
      continue;
    if (op.getNumResults() >= 1 && !getLayout(op.getResult(0))) {
      op.emitError("has no chunk layout; run -mars-tile first");
      return signalPassFailure();
    }
    total += countChunkTasks(&op, fanIn);
    if (op.getNumResults() >= 1) // A multi-output group's share one layout.
      chunks += getLayout(op.getResult(0))->numChunks() * op.getNumResults();
  }

  AsmState asmState(fn);
  state = &asmState;
  llvm::raw_ostream &os = llvm::outs();
  if (format == "stats") {
    os << "chunk graph of @" << fn.getName() << ": " << chunks << " chunks, "
       << total << " tasks\n";
    for (Operation &op : fn.getBody().front()) {
      if (op.hasTrait<OpTrait::IsTerminator>())
        continue;
      os << "  " << op.getName() << ": ";
      if (op.getNumResults() >= 1) {
        Layout l = *getLayout(op.getResult(0));
        for (Value r : op.getResults())
          os << name(r) << " ";
        os << "grid " << indexStr(l.grid()) << " of " << indexStr(l.chunk())
           << ", ";
      }
      os << countChunkTasks(&op, fanIn) << " tasks\n";
    }
    return;
  }
  if (total > maxTasks) {
    fn.emitError("the chunk graph has ")
        << total << " tasks, more than max-tasks=" << maxTasks.getValue()
        << "; use format=stats or coarser chunks";
    return signalPassFailure();
  }
  if (format == "dot") {
    GraphDotOptions dot;
    dot.chunks = true;
    dot.fanIn = fanIn;
    dot.maxTasks = maxTasks;
    printGraphDot(fn, os, dot);
    return;
  }
  for (Operation &op : fn.getBody().front())
    if (!op.hasTrait<OpTrait::IsTerminator>())
      printOp(&op);
}

} // namespace
