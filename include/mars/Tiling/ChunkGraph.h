//===- ChunkGraph.h - Which chunks feed which ------------------*- C++ -*-===//
//
// The chunk graph of tiled IR is never built: it is enumerated on demand from
// one op and its layouts, so its size in memory does not grow with the number
// of chunks. This file holds the index maps that say, for each output chunk
// of an op, which regions of its operands it reads, from the op's chunk rules
// (ChunkOpInterface, ContractionOpInterface). The chunked engines, the
// chunk-graph printer and both runtimes' planners read the graph through
// these functions.
//
// Ops come in three kinds:
//  * map ops: an output chunk is a function of one region of each operand
//    (elementwise ops, shape ops, creation and load);
//  * contraction ops: an output chunk combines partial results, one per step
//    of a contraction grid (the chunks along the reduced axes of a
//    reduction, or along the contracted axes of matmul/tensordot), with a
//    tree of bounded fan-in;
//  * sinks (mars.save): consume their operand chunk by chunk.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_TILING_CHUNKGRAPH_H
#define MARS_TILING_CHUNKGRAPH_H

#include "mars/Dialect/Mars/IR/ChunkRules.h"
#include "mars/Tiling/Layout.h"

#include "mlir/IR/Operation.h"

namespace mars::tiling {

enum class ChunkKind { Map, Contraction, Sink };

ChunkKind getChunkKind(mlir::Operation *op);

/// Map ops: the region of operand `i` that the output region `out` reads, or
/// nullopt when it reads nothing of it (ChunkOpInterface::getOperandRegion).
std::optional<Box> mapOperandRegion(mlir::Operation *op, unsigned i,
                                    const Box &out);

/// Map ops: what the task computing output region `out` reads, as (value,
/// region) pairs. For most ops, the operands' regions (getOperandRegions,
/// which answers for all operands at once). A scan
/// (ScanOpInterface) reads its operand's region `out` alone and the carry:
/// the region of its own result just before `out` along the axis.
llvm::SmallVector<std::pair<mlir::Value, Box>, 2>
mapTaskReads(mlir::Operation *op, const Box &out);

/// Contraction ops: the steps of one output chunk and what each reads.
class Contraction {
public:
  explicit Contraction(mlir::Operation *op);

  /// The contraction dimensions, chunked as the (first) operand's layout
  /// chunks them: each chunk of this layout is one step.
  const Layout &steps() const { return steps_; }
  /// The region of operand `i` that step `step` of output region `out`
  /// reads; without a step, what all steps together read.
  Box operandRegion(unsigned i, const Box &out,
                    std::optional<int64_t> step) const;
  /// Operand dimensions that are contracted (per operand, in step-dimension
  /// order). For a fused reduction, operand 0 is the reduction's input.
  llvm::ArrayRef<int64_t> contractedDims(unsigned i) const {
    return map_.contracted[i];
  }
  /// The op that contracts: the op itself, or a fused op's root reduction.
  mlir::Operation *root() const { return root_; }
  /// For a reduction (fused or not): the region of the reduction's input
  /// that step `step` of `out` reads.
  Box reductionInputRegion(const Box &out, std::optional<int64_t> step) const;

private:
  Box rootOperandRegion(unsigned i, const Box &out,
                        std::optional<int64_t> step) const;

  mlir::Operation *op_;
  mlir::Operation *root_;
  Layout steps_;
  /// The root's ContractionOpInterface map.
  ContractionMap map_;
};

/// Partial results combined per tree node (2 or more).
constexpr int64_t kDefaultFanIn = 4;

/// The nodes of the combine tree over `n` partials with fan-in `fanIn`, level
/// by level: each node lists the indices (into the previous level) it
/// combines. Level 0 are the partials themselves and is not listed.
std::vector<std::vector<std::vector<int64_t>>> combineTree(int64_t n,
                                                           int64_t fanIn);

} // namespace mars::tiling

#endif // MARS_TILING_CHUNKGRAPH_H
