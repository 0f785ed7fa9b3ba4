//===- GraphDot.h - Pictures of Mars programs as Graphviz graphs -*- C++ -*-===//
//
// Draws a Mars function as a Graphviz digraph (DOT), so people can see what
// the compiler made of their program:
//
//  * the op graph: one node per op, labelled with its result's dtype and
//    shape and, once the function is tiled, its chunk grid and the number
//    of chunk tasks it runs; a mars.fused op is one box (a cluster) holding
//    the ops it computes together;
//  * the chunk graph: one node per chunk task inside a box per op, with an
//    edge for every chunk a task reads (the index maps of ChunkGraph.h,
//    which the runtimes use too). A graph of more than `maxTasks` tasks is
//    drawn as the op graph with its task counts instead.
//
// `mars-opt -mars-print-graph`, `mars-run --graph=...` and Python's
// `Tensor.visualize()` print these graphs.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_TRANSFORMS_GRAPHDOT_H
#define MARS_TRANSFORMS_GRAPHDOT_H

#include "mars/Tiling/ChunkGraph.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/Support/raw_ostream.h"

namespace mars {

struct GraphDotOptions {
  /// Draw chunk tasks (needs a tiled function) instead of ops.
  bool chunks = false;
  /// The chunk graph is drawn per op beyond this many tasks.
  int64_t maxTasks = 2000;
  /// Partial results combined per node of a reduction's combine tree.
  int64_t fanIn = tiling::kDefaultFanIn;
};

/// Chunk tasks of a tiled op: one per output chunk of a map op or per input
/// chunk of a sink; the steps and combine nodes of every output chunk of a
/// contraction.
int64_t countChunkTasks(mlir::Operation *op, int64_t fanIn);

/// Writes `func` as a Graphviz digraph named after it. A function without
/// chunk layouts is drawn as the op graph whatever `options.chunks` says.
void printGraphDot(mlir::func::FuncOp func, llvm::raw_ostream &os,
                   const GraphDotOptions &options = {});

} // namespace mars

#endif // MARS_TRANSFORMS_GRAPHDOT_H
