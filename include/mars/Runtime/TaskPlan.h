//===- TaskPlan.h - A tiled program's chunk tasks, planned once -*- C++ -*-===//
//
// The one task planner of both runtimes. TaskPlan numbers the values of a
// tiled function, classifies its ops by the tasks that make their chunks
// (a map, a product, a mirrored product block, a reduction's partials, a
// scan chunk, a save), says which chunks each task reads, and walks the
// tasks depth first from the program's sinks, so that a task comes right
// after the producers of what it reads and siblings' tasks interleave.
//
// The local runtime (Local/Scheduler.cpp) consumes the walk lazily: tasks
// are made as the window needs them, never all at once, so millions of
// chunks cost no task objects. The cluster (Distributed/TaskGraph.cpp)
// materialises the same walk into numbered tasks and objects, adding the
// combine and finish steps of each reduction chunk, which the local runtime
// does inside its partial tasks.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_RUNTIME_TASKPLAN_H
#define MARS_RUNTIME_TASKPLAN_H

#include "mars/Runtime/ChunkTasks.h"

#include <optional>
#include <string>
#include <vector>

namespace mars::chunked {

enum class TaskKind : uint8_t {
  /// A chunk computed from the regions of its operands it reads.
  Map,
  /// A chunk of a matmul/tensordot (all its contraction steps at once).
  Product,
  /// A block below the diagonal of a symmetric product: the transpose of
  /// the block above it.
  Mirror,
  /// A chunk of a scan (cumsum, ...): its operand region scanned from the
  /// carry, the previous chunk's last slice along the axis of the same
  /// value.
  Scan,
  /// One contraction step of a reduction chunk: a partial result.
  Partial,
  /// The cluster only: partials combined (a node of the combine tree), and
  /// the combined partial finished into the reduction's chunk.
  Combine,
  Finish,
  /// One chunk of a mars.save's operand written to its file.
  Save,
};

/// "map", "product", ..., "save": the kind's name in traces.
const char *taskKindName(TaskKind kind);
/// What a trace calls the tasks of `op`: its name without the dialect, with
/// the ops of a fused group after it ("fused(exp, add, sum)").
std::string traceName(mlir::Operation *op);

/// Chunk `chunk` of value number `value`.
struct ChunkRef {
  uint32_t value;
  int64_t chunk;
  bool operator==(const ChunkRef &o) const {
    return value == o.value && chunk == o.chunk;
  }
  bool operator<(const ChunkRef &o) const {
    return value != o.value ? value < o.value : chunk < o.chunk;
  }
};

struct PlanTask {
  TaskKind kind;
  /// Index of the op (TaskPlan::ops()).
  uint32_t op;
  /// The chunk made (save: the chunk written).
  int64_t chunk = 0;
  /// Partial: the step of the contraction grid.
  int64_t step = 0;
};

struct PlannedOp {
  mlir::Operation *op = nullptr;
  /// The kind of the tasks that produce its chunks.
  TaskKind kind = TaskKind::Map;
  /// Value number of its (first) result (-1: mars.save). A multi-output
  /// group's results are numbers result .. result + numResults - 1.
  int32_t result = -1;
  int32_t numResults = 1;
  std::optional<Contraction> contraction;
  /// Reductions: steps per output chunk, the combine tree over them
  /// (combineTree), and for each level the tree node each of its entries
  /// belongs to.
  int64_t steps = 0;
  std::vector<std::vector<std::vector<int64_t>>> tree;
  std::vector<std::vector<int64_t>> parentOf;
  /// Reductions: bytes a partial holds per output element (the value and
  /// aux of each root, 8 bytes an element at most).
  uint64_t partialBytesPerElement = 0;
  bool symmetric = false;
};

/// The order in which the walk visits a 2-D grid of chunks (a value's, or a
/// reduction's steps) whose chunks come from a matrix product: chunk (i, j)
/// reads row panel i of the product's first operand and column panel j of
/// its second. Row-major order reads every column panel once per row. This
/// order takes the rows `band` at a time and visits each column's chunks of
/// the band together, so that the band's row panels stay in memory while
/// the column panels pass by once per band: the panel traffic falls from
/// about rows x cols panels to rows x cols / band, near the least any order
/// can read with `band` panels held (the communication-avoiding bound).
///
/// When the product is symmetric (a @ a.T: a block below the diagonal is
/// the transpose of the one above it), the band walks the blocks on and
/// above the diagonal, each followed at once by its mirror below, which
/// reads it: an upper block need not be kept until a later row reaches its
/// mirror.
///
/// Every chunk is visited once: the order is a permutation of the
/// row-major indices [0, rows x cols).
class BandOrder {
public:
  BandOrder(int64_t rows, int64_t cols, int64_t band, bool symmetric);
  /// The row-major index of the next chunk. Call it rows x cols times.
  int64_t next();

private:
  void advance();

  int64_t rows, cols, band;
  bool symmetric;
  /// The first row of the band, the column and the row next visited.
  int64_t b0 = 0, j = 0, i = 0;
  /// Symmetric: the mirror of the block just returned comes next.
  bool mirrorNext = false;
};

class TaskPlan {
public:
  /// A planning failure: the op at fault (or the function) and why.
  struct Error {
    mlir::Operation *op;
    std::string message;
  };

  /// Plans the tiled `func` on `args`: binds them in `chunks`, prepares
  /// every op's kernels, and adds each value to `chunks` (returned values
  /// whole when `wholeReturned`: the local runtime writes them in place).
  static std::optional<Error> build(mlir::func::FuncOp func,
                                    llvm::ArrayRef<NDArray> args,
                                    ChunkTasks &chunks, int64_t fanIn,
                                    bool wholeReturned, TaskPlan &plan);

  const std::vector<PlannedOp> &ops() const { return ops_; }
  const std::vector<mlir::Value> &values() const { return values_; }
  uint32_t valueIndex(mlir::Value v) const { return valueIndex_.lookup(v); }
  /// The op producing value `v` (-1: an argument or a lazy transpose).
  int32_t producer(uint32_t v) const { return producer_[v]; }
  bool isReturned(mlir::Value v) const { return returned_.contains(v); }
  ChunkedArray &array(uint32_t v) const { return *arrays_[v]; }

  /// The chunks `t` reads, each once, in a fixed order; never a borrowed
  /// argument's (always resident).
  void reads(const PlanTask &t, llvm::SmallVectorImpl<ChunkRef> &deps) const;
  /// The task that makes `chunk` at step `step` (0 unless a partial).
  PlanTask producerTask(ChunkRef chunk, int64_t step) const;
  /// Tasks that make `chunk`: a reduction's steps, else 1.
  int64_t producerCount(ChunkRef chunk) const;
  /// Bytes one partial of op `op`'s chunk `chunk` holds: the value (and
  /// aux) of each root reduction, 8 bytes an element at most.
  uint64_t partialBytes(uint32_t op, int64_t chunk) const;

  /// The sinks the walk starts from, in program order: each mars.save, and
  /// every returned or unused value. Chunks no sink reads, directly or
  /// through others, are never reached, and never computed.
  struct Sink {
    bool isSave;
    /// Op index (save) or value index.
    uint32_t index;
    /// Its tasks (save) or chunks.
    int64_t count;
  };
  const std::vector<Sink> &sinks() const { return sinks_; }

  /// The product whose chunks make value `v`'s (through map ops of the
  /// same chunk grid, a few deep): its chunk grid (2-D, not empty), the
  /// bytes of the panels its chunk (0, 0) reads (a row panel of its first
  /// operand, a column panel of its second), and whether it is symmetric.
  struct PanelSource {
    /// The product's op index.
    uint32_t op;
    int64_t rows, cols;
    uint64_t rowPanelBytes, colPanelBytes;
    bool symmetric;
  };
  std::optional<PanelSource> panelSource(uint32_t v, int depth = 0) const;

  /// The depth-first walk over the planned tasks. It marks the chunks it
  /// reaches visited (ChunkSlot::visited) and reaches each once.
  class Walk {
  public:
    /// `budget`: the bytes of product panels the walk may count on staying
    /// in memory from one task to the next (the local runtime's: a share of
    /// its memory limit). With a budget, the 2-D grids whose chunks come
    /// from a product are walked in BandOrder, with as many row panels to
    /// a band as the budget holds; without one (0), every grid is walked
    /// in row-major order.
    explicit Walk(const TaskPlan &plan, uint64_t budget = 0)
        : plan(plan), budget(budget) {}
    /// The next task and the chunks it reads; false when every task needed
    /// by a sink has been returned.
    bool next(PlanTask &out, llvm::SmallVectorImpl<ChunkRef> &deps);

  private:
    void markVisited(ChunkRef c);
    ChunkSlot &slot(ChunkRef r) const {
      return plan.array(r.value).slots[r.chunk];
    }

    /// The product that the 2-D steps of `value`'s reduction come from
    /// (through one of its operands with the steps' grid).
    std::optional<PanelSource> stepSource(uint32_t value) const;
    /// The order of the chunks of the group of sibling sinks [begin, end).
    std::optional<BandOrder> sinkOrder(size_t begin, size_t end) const;
    /// The order of the steps of each of `members` (reduction chunks),
    /// for Frame::orders: empty when all are row-major.
    std::vector<std::optional<BandOrder>>
    stepOrders(llvm::ArrayRef<ChunkRef> members) const;

    const TaskPlan &plan;
    uint64_t budget;
    /// A task waiting for the producers of what it reads, or chunks of
    /// sibling sinks whose producers are being visited (`next` counts
    /// them: step next / members.size() of member next % members.size()).
    struct Frame {
      bool isTask;
      PlanTask task;
      llvm::SmallVector<ChunkRef, 4> deps;
      llvm::SmallVector<ChunkRef, 4> members;
      size_t next = 0, count = 0;
      /// The order of each member's steps (`stepOrders`; none: row-major),
      /// or empty when all are in row-major order.
      std::vector<std::optional<BandOrder>> orders;
    };
    std::vector<Frame> stack;
    size_t nextSink = 0;
    int64_t nextSinkChunk = 0;
    /// The order of the chunks of the sinks being walked (`sinkOrder`).
    std::optional<BandOrder> groupOrder;
    /// Sink values next to each other with as many chunks, none computed
    /// from another, are walked together: sinks [nextSink, groupEnd), at
    /// most kMaxGroup of them.
    size_t groupEnd = 0;
    static constexpr size_t kMaxGroup = 16;
  };

private:
  void addRegionReads(mlir::Value v, const Box &region,
                      llvm::SmallVectorImpl<ChunkRef> &deps) const;

  ChunkTasks *chunks = nullptr;
  std::vector<PlannedOp> ops_;
  std::vector<mlir::Value> values_;
  llvm::DenseMap<mlir::Value, uint32_t> valueIndex_;
  std::vector<int32_t> producer_;
  std::vector<ChunkedArray *> arrays_;
  llvm::DenseSet<mlir::Value> returned_;
  std::vector<Sink> sinks_;
};

} // namespace mars::chunked

#endif // MARS_RUNTIME_TASKPLAN_H
