//===- TaskGraph.h - A tiled program's chunk tasks, as a graph -*- C++ -*-===//
//
// The local runtime enumerates chunk tasks lazily inside one process. A
// cluster needs names for them that every process agrees on: the scheduler
// and every worker build this graph from the same tiled (and fused) program
// text, in the same order, so a task or an object is a number in messages.
//
// Objects are what tasks produce and read: one per chunk of every computed
// value, and one per node of a reduction's combine tree (its partials).
// Tasks are the local runtime's (map, product, mirror, partial, save) plus
// the two steps the local runtime does in its accumulators: combine (one
// node of the tree, its children in the tree's order) and finish (the root
// partial becomes the chunk). The tree is the local runtime's, so a cluster
// gives bit for bit the local result.
//
// The graph is TaskPlan's depth-first walk from the sinks, the local
// runtime's, materialised: tasks are numbered in its order (`order`, a
// combine right after its last child, a finish after its root), and only
// what a sink needs is in it. The scheduler runs ready tasks earliest
// first, so memory is released early on every worker.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_DISTRIBUTED_TASKGRAPH_H
#define MARS_DISTRIBUTED_TASKGRAPH_H

#include "mars/Runtime/ChunkTasks.h"
#include "mars/Runtime/TaskPlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <memory>
#include <string>
#include <vector>

namespace mars::dist {

using chunked::TaskKind;

struct GraphTask {
  TaskKind kind;
  /// Index of the op (GraphOp) the task belongs to.
  uint32_t op;
  /// The output chunk (save: the chunk written).
  int64_t chunk = 0;
  /// Partial: the step of the contraction grid. Finish: which result of
  /// the op (a multi-output group has several).
  int64_t step = 0;
  /// The objects it reads; a combine's are the tree node's children in order.
  std::vector<uint32_t> inputs;
  /// The object it produces (-1: a save).
  int64_t output = -1;
  uint64_t order = 0;
};

struct GraphObject {
  /// The value it is a chunk of (-1: a reduction partial).
  int64_t value = -1;
  int64_t chunk = 0;
  uint32_t producer = 0;
  /// Its size in bytes: exact for chunks of dense values, what a sparse
  /// chunk reserves (ChunkedArray::chunkBytes); for partials, the
  /// size of a partial of one output chunk (value and aux).
  uint64_t bytes = 0;
  /// The most it can hold on the wire: `bytes`, or for a sparse chunk every
  /// element stored (a producer's bound, SparseBoundOpInterface, may be a
  /// tail bound that a chunk passes).
  uint64_t maxBytes = 0;
  std::vector<uint32_t> readers;
};

/// The data of one object on a worker.
struct ObjectData {
  std::shared_ptr<numeric::NDArray> chunk;
  /// A reduction's partials: one per result of its op (a multi-output
  /// group has several), all over the same elements.
  std::shared_ptr<std::vector<chunked::Partial>> partials;

  uint64_t nbytes() const;
  /// The object whose arrays (in arraysOf's order) are `arrays`: one array
  /// is a chunk, 2N are N partials' values and auxes, of `count` elements.
  static std::shared_ptr<ObjectData> fromArrays(
      std::vector<numeric::NDArray> arrays, int64_t count);
};

class TaskGraph {
public:
  enum class Mode {
    /// Enumerate only (the scheduler); planned as the compiled engine when
    /// `compiled`.
    Plan,
    /// Run tasks, with compiled kernels when ChunkedOptions::kernels is set.
    Execute,
  };

  /// Builds the graph of the tiled `func` applied to `args`. `saveFiles`:
  /// for Execute, per mars.save in order, the temporary file its boxes go
  /// to (NpyBoxWriter::attach). Errors name the op (with its location).
  static llvm::Expected<std::unique_ptr<TaskGraph>>
  build(mlir::func::FuncOp func, std::vector<numeric::NDArray> args,
        const ChunkedOptions &options, Mode mode, bool compiled,
        llvm::ArrayRef<std::string> saveFiles = {});
  ~TaskGraph();

  const std::vector<GraphTask> &tasks() const { return tasks_; }
  const std::vector<GraphObject> &objects() const { return objects_; }

  /// A returned value: an argument returned unchanged, or the object of
  /// each of its chunks (in the layout's order).
  struct Result {
    int64_t argument = -1;
    numeric::DType dtype = numeric::DType::F64;
    /// A sparse matrix: its chunks are CSR arrays.
    bool sparse = false;
    tiling::Layout layout;
    std::vector<uint32_t> chunks;
  };
  const std::vector<Result> &results() const { return results_; }

  /// Runs task `t` on `inputs` (its GraphTask::inputs, resident). Safe to
  /// call concurrently for different tasks.
  llvm::Expected<ObjectData>
  run(uint32_t t, llvm::ArrayRef<std::shared_ptr<const ObjectData>> inputs);
  /// Tasks that ran a compiled kernel or a BLAS call so far.
  int64_t compiledTasks() const { return chunks.counters.compiledTasks; }
  /// Closes the files of mars.save ops (Execute).
  llvm::Error closeFiles();

  /// `message`, prefixed with task `t`'s op location ("file:line:col: ").
  std::string located(uint32_t t, const llvm::Twine &message) const;
  /// A one-line description of task `t` ("mars.add chunk 3").
  std::string describe(uint32_t t) const;
  /// The ops GraphTask::op numbers, and op `i`.
  size_t numOps() const { return ops_.size(); }
  mlir::Operation *op(uint32_t i) const;

private:
  explicit TaskGraph(const ChunkedOptions &options);
  struct GraphOp;
  llvm::Error plan(mlir::func::FuncOp func, Mode mode,
                   llvm::ArrayRef<std::string> saveFiles);
  void install(uint32_t object, const ObjectData &data);
  void uninstall(uint32_t object);

  ChunkedOptions options_;
  chunked::ChunkTasks chunks;
  std::vector<numeric::NDArray> args_;
  chunked::TaskPlan plan_;
  std::vector<std::unique_ptr<GraphOp>> ops_;
  std::vector<GraphTask> tasks_;
  std::vector<GraphObject> objects_;
  std::vector<Result> results_;
  std::mutex installMutex_;
  llvm::DenseMap<uint32_t, int32_t> installed_;
};

/// "file:line:col" of `loc` (the first file location inside it), or "".
std::string formatLocation(mlir::Location loc);

/// A job's program, parsed in a context of its own (single-threaded: the
/// processes run tasks on their own threads), and its task graph: what the
/// scheduler and every worker hold per job.
struct JobProgram {
  std::unique_ptr<mlir::MLIRContext> context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<TaskGraph> graph;
};
/// Parses `program` (MLIR text), finds its function `entry` and builds its
/// graph (TaskGraph::build); errors are located messages.
llvm::Expected<std::unique_ptr<JobProgram>>
loadProgram(llvm::StringRef program, llvm::StringRef entry,
            std::vector<numeric::NDArray> args, const ChunkedOptions &options,
            TaskGraph::Mode mode, bool compiled,
            llvm::ArrayRef<std::string> saveFiles = {});

} // namespace mars::dist

#endif // MARS_DISTRIBUTED_TASKGRAPH_H
