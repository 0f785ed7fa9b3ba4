//===- Scheduler.cpp - Chunk tasks on threads, depth first, within a limit -===//
//
// The local runtime. The chunk graph is never built: tasks are enumerated
// from the tiled IR by TaskPlan's depth-first walk from the program's sinks
// (returned and unused values, mars.save), which emits every task after the
// tasks that produce its inputs, as they are needed. Emitted tasks wait in a
// small window; a worker
// takes the earliest one whose inputs exist, so a consumer runs as soon as
// it can and a chunk is freed as soon as its last reader is done: memory
// stays near a few chunks per thread however large the data.
//
// Chunk memory is accounted against the limit. A task is admitted when its
// output (and any of its inputs that must be read back) fits; otherwise the
// resident chunks whose next reader is furthest in the future are spilled
// (SpillStore.h), and when nothing can be spilled the task waits for running
// tasks to free memory, or, if none runs, the run fails with a message.
// Disk I/O happens outside the lock: a chunk's read or write takes
// milliseconds, and the other workers go on picking and completing tasks
// meanwhile. Under the lock a victim's extent is only reserved (its disk
// space allocated, so a full disk is found in order); the task it made room
// for writes it, and reads its own spilled inputs back, before it runs, and
// then makes both known under a brief lock, so that other tasks may read
// those inputs while it runs.
//
// A chunk that can be made again (RecomputeOpInterface: its op, and what it
// reads back to creation ops and arguments) is not always written to disk.
// When making it again costs less than the disk's round trip (random
// numbers, ranges, cheap chains of them) it is dropped, and a reader's task
// makes it again, with the chunks it needs, before it runs (outside the
// lock, as any task's work). When it costs more but is bounded (a QR of a
// random block) it is spilled while the disk takes it, and dropped when the
// disk is full. Data larger than memory and disk together (the seed's
// 205 GB SVD input and its Q blocks) then costs no disk, or only what the
// disk holds.
//
//===----------------------------------------------------------------------===//

#include "mars/Numeric/OpenBlas.h"
#include "mars/Runtime/ChunkTasks.h"
#include "mars/Runtime/TaskPlan.h"

#include "mars/Support/ByteSize.h"
#include "mars/Support/Trace.h"

#include <chrono>
#include <condition_variable>
#include <list>
#include <set>
#include <thread>
#include <unordered_map>

#include <pthread.h>

using namespace mlir;
using namespace mars;
using namespace mars::chunked;
using namespace mars::tiling;

namespace {

struct Task {
  TaskKind kind;
  uint32_t op;
  int64_t chunk, step = 0;
  /// Position in the depth-first order.
  uint64_t seq = 0;
  /// The chunks it reads (never borrowed arguments, which always exist).
  llvm::SmallVector<ChunkRef, 4> deps;
  /// Bytes reserved for it (output, partial estimate, chunks read back
  /// or made again).
  uint64_t reserved = 0;
  bool running = false;
  /// Dropped chunks it makes again before it runs, each after the chunks
  /// it reads, with their producers' ops (admit()).
  llvm::SmallVector<std::pair<ChunkRef, uint32_t>, 2> remake;
  /// Resident chunks that `remake` reads and the task does not: pinned
  /// while it runs.
  llvm::SmallVector<ChunkRef, 2> held;
  /// Spilled chunks it reads back from disk before it runs (its inputs and
  /// what `remake` reads), with the extents they are in.
  llvm::SmallVector<std::pair<ChunkRef, SpillStore::Handle>, 2> readBack;
  /// Chunks evicted to make room for it, which it writes to their reserved
  /// extents before anything else. `data` is held by the running copy
  /// alone (worker()), so that a chunk's memory goes once it is written.
  struct WriteOut {
    ChunkRef ref;
    SpillStore::Handle handle;
    std::shared_ptr<NDArray> data;
    /// Pending: not tried (the extent is still reserved); Dropped: the
    /// disk was full and a reader can make the chunk again; Failed: the
    /// run fails (fill() freed the extent).
    enum class Outcome : uint8_t { Pending, Written, Dropped, Failed };
    Outcome outcome = Outcome::Pending;
  };
  llvm::SmallVector<WriteOut, 2> writeOut;
};

/// Eviction drops a chunk that can be made again, instead of spilling it,
/// when making it costs at most this many cheap steps per byte: a spill's
/// write (1.1 GB/s) and read back (2.1 GB/s) take about 1.4 ns per byte on
/// this VM's disk, and a cheap step about half a nanosecond per element
/// (22 steps per float64: a random draw and a few cheap ops of it).
constexpr double kDiskStepsPerByte = 2.8;
/// A chunk is made again at all only when that costs at most this many
/// steps per element (a QR of a block of 32 columns drawn at random: about
/// 105, 50 ns per element); past it, a chunk is always stored.
constexpr int64_t kMostRecomputeWork = 256;

/// A reduction's output chunk being combined: the partials of each level of
/// its combine tree that are waiting for their siblings, by position (only
/// a few wait at a time, even among millions of steps; in a band order,
/// BandOrder in TaskPlan.h, a few for each row of the 2-D step grid, which
/// is mostly that of a whole reduction, whose partials are a few bytes).
struct Accumulator {
  /// One partial per result (a multi-output group has several).
  std::vector<std::unordered_map<int64_t, std::vector<Partial>>> levels;
  uint64_t bytes = 0;
};

/// An op's planned tasks (TaskPlan) and what running them keeps.
struct OpInfo : PlannedOp {
  explicit OpInfo(const PlannedOp &planned) : PlannedOp(planned) {}
  /// The tasks' name and category in a trace (traceName, taskKindName),
  /// interned when tracing.
  Trace::Name traceName = 0, traceKind = 0;
  std::mutex accMutex;
  std::unordered_map<int64_t, Accumulator> accumulators;
  std::unique_ptr<NpyBoxWriter> writer;
  int64_t saveLeft = 0;
};

/// The scheduler's lock: held for a task's pick and completion (a
/// microsecond or less) by every worker in turn. A contended std::mutex
/// puts the waiter to sleep at once, and the sleep and wake-up cost
/// several microseconds of system time; an adaptive mutex spins for about
/// as long as such a section first.
class SchedulerMutex {
public:
  SchedulerMutex() {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
#ifdef PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
#endif
    pthread_mutex_init(&m, &attr);
    pthread_mutexattr_destroy(&attr);
  }
  SchedulerMutex(const SchedulerMutex &) = delete;
  SchedulerMutex &operator=(const SchedulerMutex &) = delete;
  ~SchedulerMutex() { pthread_mutex_destroy(&m); }
  void lock() { pthread_mutex_lock(&m); }
  void unlock() { pthread_mutex_unlock(&m); }
  bool try_lock() { return pthread_mutex_trylock(&m) == 0; }

private:
  pthread_mutex_t m;
};

/// The trace track of the calling thread: 0 the scheduler's (run's) own,
/// i + 1 worker i.
thread_local uint32_t traceThread = 0;

struct RunError {
  Operation *op = nullptr;
  std::string message;
};

class Scheduler {
public:
  Scheduler(const ChunkedOptions &options, ChunkedStats *stats)
      : options(options), stats(stats), tasks(options),
        spill(options.spillDir.empty() ? defaultSpillRoot()
                                       : options.spillDir,
              options.spillCapacity) {}

  FailureOr<std::vector<NDArray>> run(func::FuncOp func,
                                      ArrayRef<NDArray> args);

private:
  // Planning.
  LogicalResult plan(func::FuncOp func, ArrayRef<NDArray> args);
  void computeDeps(Task &t) const;

  // The depth-first walk.
  bool nextTask(Task &out);
  void fillWindow();

  // Execution (the lock is held unless said otherwise).
  void worker(uint32_t index);
  /// Samples memory for the trace at `now` (at most every 100 microseconds
  /// unless `force`).
  void traceMemory(StampClock::Stamp now, bool force = false);
  /// The task to run next (admitted, its inputs pinned), or window.end().
  std::list<Task>::iterator pick();
  bool admit(Task &t);
  /// Plans how `t` makes the dropped chunk `r` again (Task::remake, held),
  /// the chunks it reads on disk (`fromDisk`) and the bytes it needs;
  /// false when another task is making a chunk it reads.
  bool planRemake(ChunkRef r, Task &t, llvm::SmallVectorImpl<ChunkRef> &fromDisk,
                  uint64_t &need);
  bool makeRoom(uint64_t need, Task &t);
  /// Whether a reader can make `r` again (RecomputeOpInterface).
  bool remakeable(ChunkRef r) const { return remakeWork[r.value] >= 0; }
  /// Whether evicting `r` drops it rather than writing it to disk.
  bool cheaperToRemake(ChunkRef r) const {
    int64_t work = remakeWork[r.value];
    return work >= 0 &&
           work <= kDiskStepsPerByte *
                       numeric::dtypeSize(planned.array(r.value).dtype);
  }
  /// Evicts `victim` (not one `t` reads): writes it to disk, or drops it
  /// when a reader can make it again. With `t`, the write is only reserved
  /// and left to `t` (Task::writeOut).
  llvm::Error spillOne(ChunkRef victim, Task *t = nullptr);
  /// Writes the chunks evicted for `t` now, under the lock: `t` was not
  /// admitted after all.
  void writeOutNow(Task &t);
  /// Writes the chunks evicted for `t` to disk (without the lock).
  llvm::Error writeOut(Task &t);
  /// Makes the chunks `t` wrote (or failed to write) spilled chunks.
  void settleWrites(Task &t);
  /// Gives up the disk copies of chunks that can be made again (not ones
  /// `t` reads) until `bytes` are free: the disk is full and a chunk that
  /// cannot be made again must go there. Whether any was given up.
  bool freeDisk(uint64_t bytes, const Task *t);
  /// Reads the spilled chunks of `t` back from disk (without the lock).
  llvm::Error readBack(const Task &t);
  /// Makes the chunks `t` read back (or failed to) resident chunks; `t`
  /// keeps them pinned until it completes.
  void settleReads(Task &t);
  /// Runs `t` without the lock; for a partial, `held` receives the change in
  /// bytes held by its accumulator (and the finished chunk).
  llvm::Error execute(const Task &t, int64_t &held, bool &finished);
  void complete(std::list<Task>::iterator it, llvm::Error err, int64_t held,
                bool finished);
  void release(ChunkRef ref);
  /// A sparse chunk just made: what its task reserved (the most it could
  /// take) becomes what it holds.
  void settleSparse(ChunkRef ref) {
    const ChunkedArray &a = planned.array(ref.value);
    const ChunkSlot &s = slot(ref);
    if (a.sparse && s.data)
      hold(static_cast<int64_t>(s.data->nbytes()) -
           static_cast<int64_t>(a.chunkBytes(ref.chunk)));
  }
  void fail(Operation *op, std::string message);
  ChunkSlot &slot(ChunkRef r) {
    return planned.array(r.value).slots[r.chunk];
  }
  bool isWhole(uint32_t v) const {
    return planned.array(v).whole || wholeValue[v];
  }
  /// What a trace calls the value of chunk `r`: its op's traceName.
  std::string chunkOwner(ChunkRef r) const {
    Operation *op = planned.values()[r.value].getDefiningOp();
    return op ? traceName(op) : std::string("argument");
  }
  void hold(int64_t bytes) {
    inUse += bytes;
    if (inUse > peak) {
      peak = inUse;
      // Every new peak is in the trace's memory counter.
      if (options.trace)
        traceMemory(StampClock::now(), /*force=*/true);
    }
  }

  const ChunkedOptions &options;
  ChunkedStats *stats;
  ChunkTasks tasks;
  SpillStore spill;
  unsigned threads = 1;
  /// Workers started: threads, or fewer for a program of fewer tasks.
  unsigned workerCount = 1;

  TaskPlan planned;
  std::vector<std::unique_ptr<OpInfo>> ops;
  /// Values returned by the function: written whole, in place.
  std::vector<bool> wholeValue, wholeReady;
  /// Per value: the work, in cheap steps per element, of making one of its
  /// chunks again with everything it reads back to creation ops and
  /// arguments (RecomputeOpInterface), or -1 when its chunks are stored.
  std::vector<int64_t> remakeWork;
  /// Chunks with a copy on disk that could be made again instead.
  std::set<ChunkRef> onDiskRemakeable;
  std::optional<TaskPlan::Walk> walk;
  bool walkDone = false;
  uint64_t nextSeq = 0;

  // Shared state, under `mutex`.
  SchedulerMutex mutex;
  /// Idle workers wait here for a task to become ready (`idle` of them).
  std::condition_variable_any changed;
  unsigned idle = 0;
  /// The run's own thread waits here for the end (over()): woken once
  /// then, not after every task (a wake-up is a context switch, longer
  /// than a small task).
  std::condition_variable_any ended;
  bool over() const {
    return aborted ? running == 0 : doneTasks == totalTasks;
  }
  std::list<Task> window;
  size_t windowLimit = 64;
  std::set<ChunkRef> resident;
  int64_t totalTasks = 0, doneTasks = 0;
  unsigned running = 0;
  uint64_t limit = UINT64_MAX;
  int64_t inUse = 0, peak = 0;
  /// Bytes of evicted chunks that running tasks have yet to write: no
  /// longer in `inUse` (each is its task's room), but still in memory, so
  /// no other task may count on them.
  uint64_t writingBytes = 0;
  bool aborted = false;
  RunError error;
  /// The last memory sample, and 100 microseconds, in stamps.
  StampClock::Stamp lastMemorySample = 0, memorySampleGap = 0;
  Trace::Name traceChunk = 0, traceStep = 0, traceRemade = 0;
  Trace::Name traceMemoryName = 0, traceInMemory = 0, traceOnDisk = 0;
};

//===----------------------------------------------------------------------===//
// Planning
//===----------------------------------------------------------------------===//

void Scheduler::computeDeps(Task &t) const {
  planned.reads(PlanTask{t.kind, t.op, t.chunk, t.step}, t.deps);
}

LogicalResult Scheduler::plan(func::FuncOp func, ArrayRef<NDArray> args) {
  if (auto err = TaskPlan::build(func, args, tasks, options.fanIn,
                                 /*wholeReturned=*/true, planned))
    return err->op->emitError(err->message);
  for (const NDArray &arg : args)
    hold(arg.nbytes());
  for (const PlannedOp &p : planned.ops())
    ops.push_back(std::make_unique<OpInfo>(p));
  const size_t numValues = planned.values().size();
  wholeValue.assign(numValues, false);
  wholeReady.assign(numValues, false);
  for (uint32_t v = 0; v < numValues; ++v)
    if (planned.isReturned(planned.values()[v]) &&
        !planned.array(v).borrowed)
      wholeValue[v] = true;
  // In program order: an op's operands are settled before it.
  remakeWork.assign(numValues, -1);
  for (const auto &info : ops) {
    auto recompute = dyn_cast<RecomputeOpInterface>(info->op);
    if (!recompute || info->kind != TaskKind::Map || info->numResults != 1 ||
        info->op->getNumResults() != 1 || isWhole(info->result))
      continue;
    int64_t work = recompute.getRecomputeWork();
    for (Value operand : info->op->getOperands()) {
      uint32_t u = planned.valueIndex(operand);
      if (isWhole(u)) // Arguments and returned values stay in memory.
        continue;
      work = remakeWork[u] < 0 ? kMostRecomputeWork + 1 : work + remakeWork[u];
    }
    if (work <= kMostRecomputeWork)
      remakeWork[info->result] = work;
  }

  // The sinks need all their chunks; only the chunks they read,
  // transitively, are computed: a slice of a huge lazily defined value
  // costs the chunks it reads.
  for (const TaskPlan::Sink &sink : planned.sinks()) {
    if (sink.isSave) {
      ops[sink.index]->saveLeft = sink.count;
      continue;
    }
    for (ChunkSlot &s : planned.array(sink.index).slots)
      s.needed = true;
  }
  // Mark what they read, and count each needed chunk's readers and the
  // tasks, in reverse program order: every reader of a value comes after
  // its producer, so a value's needed chunks are known when its producer
  // is reached (no task objects: each task's reads are enumerated and
  // dropped).
  auto count = [&](Task &t) {
    ++totalTasks;
    computeDeps(t);
    for (ChunkRef r : t.deps) {
      ChunkSlot &s = slot(r);
      s.needed = true;
      ++s.readsLeft;
    }
  };
  for (int64_t index = ops.size() - 1; index >= 0; --index) {
    OpInfo &info = *ops[index];
    if (info.kind == TaskKind::Save) {
      for (int64_t k = 0; k < info.saveLeft; ++k) {
        Task t{TaskKind::Save, static_cast<uint32_t>(index), k};
        count(t);
      }
      continue;
    }
    auto needed = [&](int64_t c) {
      for (int32_t r = info.result; r < info.result + info.numResults; ++r)
        if (slot({static_cast<uint32_t>(r), c}).needed)
          return true;
      return false;
    };
    // Mirror tasks (below a symmetric product's diagonal) read blocks of
    // their own value above it: those are marked before they are counted.
    // A scan's chunk reads the one before it along the axis (a lower
    // index): chunks are counted from the last.
    int64_t n = planned.array(info.result).layout.numChunks();
    for (int pass = 0; pass < 2; ++pass) {
      for (int64_t c = n - 1; c >= 0; --c) {
        if (!needed(c))
          continue;
        PlanTask p =
            planned.producerTask({static_cast<uint32_t>(info.result), c}, 0);
        if ((p.kind == TaskKind::Mirror) != (pass == 0))
          continue;
        Task t{p.kind, p.op, p.chunk};
        if (info.kind != TaskKind::Partial) {
          count(t);
          continue;
        }
        for (int64_t k = 0; k < info.steps; ++k) {
          t.step = k;
          count(t);
        }
      }
    }
  }
  // Under a limit, half of it holds the row panels of a product's band
  // (BandOrder): the other half is for the panels passing by, the blocks
  // being made and what other ops keep.
  walk.emplace(planned, limit == UINT64_MAX ? 0 : limit / 2);
  return success();
}

//===----------------------------------------------------------------------===//
// The depth-first walk
//===----------------------------------------------------------------------===//

bool Scheduler::nextTask(Task &out) {
  PlanTask p;
  if (!walk->next(p, out.deps))
    return false;
  out.kind = p.kind;
  out.op = p.op;
  out.chunk = p.chunk;
  out.step = p.step;
  return true;
}

void Scheduler::fillWindow() {
  while (!walkDone && window.size() < windowLimit) {
    Task t;
    if (!nextTask(t)) {
      walkDone = true;
      return;
    }
    t.seq = nextSeq++;
    for (ChunkRef r : t.deps)
      slot(r).waiting.push_back(t.seq);
    window.push_back(std::move(t));
  }
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

llvm::Error Scheduler::spillOne(ChunkRef victim, Task *t) {
  ChunkSlot &s = slot(victim);
  uint64_t bytes = s.data->nbytes();
  bool writing = false;
  if (!s.spilled && !cheaperToRemake(victim)) {
    auto start = StampClock::now();
    auto place = [&] {
      return t ? spill.reserve(bytes) : spill.write(s.data->bytes(), bytes);
    };
    auto handle = place();
    if (handle && options.trace && !t)
      options.trace->span("spill", "spill " + chunkOwner(victim), 0,
                          traceThread, start, StampClock::now(),
                          {{"bytes", static_cast<int64_t>(bytes)},
                           {"chunk", victim.chunk}});
    if (!handle && spill.lastWriteFoundDiskFull() && !remakeable(victim) &&
        freeDisk(bytes, t)) {
      // Room made by chunks that can be made again: a second try.
      llvm::consumeError(handle.takeError());
      handle = place();
    }
    if (handle) {
      if (t) {
        t->writeOut.push_back({victim, *handle, s.data});
        writingBytes += bytes;
        writing = true;
      }
      s.spilled = std::move(*handle);
      if (remakeable(victim))
        onDiskRemakeable.insert(victim);
      if (stats)
        ++stats->spills;
    } else if (remakeable(victim) && spill.lastWriteFoundDiskFull()) {
      // The disk is full, and a reader can make the chunk again.
      llvm::consumeError(handle.takeError());
    } else {
      return handle.takeError();
    }
  }
  s.data.reset();
  // Until it is written, no task reads it (pick() waits for it).
  s.state = writing ? ChunkSlot::State::WritingOut : ChunkSlot::State::Spilled;
  resident.erase(victim);
  hold(-static_cast<int64_t>(bytes));
  return llvm::Error::success();
}

bool Scheduler::freeDisk(uint64_t bytes, const Task *t) {
  // Twice the chunk: extents are rounded up, and a file system needs some
  // room of its own. Nothing is given up unless that much can be.
  auto usable = [&](ChunkRef r) {
    auto state = slot(r).state;
    if (state == ChunkSlot::State::ReadingBack ||
        state == ChunkSlot::State::WritingOut)
      return false; // A task is reading or writing its extent.
    return !t || (!llvm::is_contained(t->deps, r) &&
                  !llvm::is_contained(t->held, r));
  };
  uint64_t available = 0;
  for (ChunkRef r : onDiskRemakeable)
    if (usable(r) && (available += slot(r).spilled->bytes) >= 2 * bytes)
      break;
  if (available < 2 * bytes)
    return false;
  uint64_t freed = 0;
  for (auto it = onDiskRemakeable.begin();
       it != onDiskRemakeable.end() && freed < 2 * bytes;) {
    ChunkRef r = *it;
    ChunkSlot &s = slot(r);
    if (!usable(r)) {
      ++it;
      continue;
    }
    // Not resident: now dropped, made again by its reader. Resident: it
    // only loses the free re-eviction.
    freed += s.spilled->bytes;
    spill.remove(*s.spilled);
    s.spilled.reset();
    it = onDiskRemakeable.erase(it);
  }
  return freed > 0;
}

llvm::Error Scheduler::writeOut(Task &t) {
  // The slots are the task's until settleWrites(): spillOne() marked them
  // WritingOut, so no other task reads or evicts them, and freeDisk() keeps
  // their extents.
  for (Task::WriteOut &w : t.writeOut) {
    auto start = StampClock::now();
    bool diskFull = false;
    if (auto err = spill.fill(w.handle, w.data->bytes(), diskFull)) {
      // fill() freed the extent. A file system that cannot reserve space
      // finds a full disk only now: a chunk that can be made again is
      // dropped, as spillOne() would have.
      if (diskFull && remakeable(w.ref)) {
        llvm::consumeError(std::move(err));
        w.outcome = Task::WriteOut::Outcome::Dropped;
        w.data.reset();
        continue;
      }
      w.outcome = Task::WriteOut::Outcome::Failed;
      return err;
    }
    w.outcome = Task::WriteOut::Outcome::Written;
    if (options.trace)
      options.trace->span("spill", "spill " + chunkOwner(w.ref), 0,
                          traceThread, start, StampClock::now(),
                          {{"bytes", static_cast<int64_t>(w.handle.bytes)},
                           {"chunk", w.ref.chunk}});
    w.data.reset(); // Its memory, unless the chunk shares its array.
  }
  return llvm::Error::success();
}

void Scheduler::settleWrites(Task &t) {
  using Outcome = Task::WriteOut::Outcome;
  for (Task::WriteOut &w : t.writeOut) {
    ChunkSlot &s = slot(w.ref);
    s.state = ChunkSlot::State::Spilled;
    writingBytes -= w.handle.bytes;
    if (w.outcome == Outcome::Written) {
      s.spilled = w.handle; // With its checksum.
      continue;
    }
    // Dropped: a reader makes it again. Otherwise lost with the run, which
    // has failed (the caller's fail() came first, so nothing plans to make
    // it again): the extent is given back.
    if (w.outcome == Outcome::Pending)
      spill.remove(w.handle);
    s.spilled.reset();
    onDiskRemakeable.erase(w.ref);
  }
}

void Scheduler::settleReads(Task &t) {
  for (auto &[r, handle] : t.readBack) {
    ChunkSlot &s = slot(r);
    if (!s.data) { // Not read: the run has failed.
      hold(-static_cast<int64_t>(handle.bytes));
      s.state = ChunkSlot::State::Spilled;
      continue;
    }
    s.state = ChunkSlot::State::Resident;
    resident.insert(r);
    if (stats)
      ++stats->readBacks;
  }
}

llvm::Error Scheduler::readBack(const Task &t) {
  // The slots are the task's own until settleReads(): admit() marked them
  // ReadingBack, so no other task reads or evicts them, and freeDisk()
  // keeps their extents.
  for (auto &[ref, handle] : t.readBack) {
    ChunkSlot &s = slot(ref);
    const ChunkedArray &a = planned.array(ref.value);
    Shape sizes = a.layout.chunkBox(ref.chunk).sizes();
    auto data = std::make_shared<NDArray>(
        a.sparse ? NDArray::csr(a.dtype, sizes,
                                numeric::csrNnzOfBytes(a.dtype, sizes[0],
                                                       handle.bytes))
                 : NDArray(a.dtype, sizes, NDArray::uninitialized));
    auto start = StampClock::now();
    if (auto err = spill.read(handle, data->bytes()))
      return err;
    if (options.trace)
      options.trace->span("spill", "read back " + chunkOwner(ref), 0,
                          traceThread, start, StampClock::now(),
                          {{"bytes", static_cast<int64_t>(data->nbytes())},
                           {"chunk", ref.chunk}});
    s.data = std::move(data);
  }
  return llvm::Error::success();
}

void Scheduler::writeOutNow(Task &t) {
  if (auto err = writeOut(t))
    fail(ops[t.op]->op, llvm::toString(std::move(err)));
  settleWrites(t);
  t.writeOut.clear();
}

bool Scheduler::makeRoom(uint64_t need, Task &t) {
  // inUse + need > limit, without overflow (the default limit is 2^64-1).
  auto over = [&] {
    uint64_t used = static_cast<uint64_t>(std::max<int64_t>(inUse, 0));
    return need > limit || used > limit - need;
  };
  // Chunks other tasks are writing out are still in memory: a task that
  // does not fit beside them waits until they are gone (they are written
  // first thing, and settleWrites() wakes the waiting workers) rather than
  // evict more. `t` evicts nothing before this, and its own victims are
  // its room.
  if (writingBytes > 0) {
    uint64_t used = static_cast<uint64_t>(std::max<int64_t>(inUse, 0));
    if (need > limit || used + writingBytes > limit - need)
      return false;
  }
  // Chunks the full disk refused: other victims (ones that can be made
  // again need no disk) are tried before the run fails.
  llvm::SmallVector<ChunkRef, 4> refused;
  std::string diskFull;
  while (over()) {
    // The resident chunk whose next reader comes last (never read again by
    // anything emitted so far: last of all); among equals, one that is
    // already on disk, then the largest.
    std::optional<ChunkRef> victim;
    std::tuple<uint64_t, bool, uint64_t> best{0, false, 0};
    for (ChunkRef r : resident) {
      ChunkSlot &s = slot(r);
      if (s.pins || llvm::is_contained(t.deps, r) ||
          llvm::is_contained(t.held, r) || llvm::is_contained(refused, r))
        continue;
      uint64_t next = UINT64_MAX;
      for (uint64_t seq : s.waiting)
        next = std::min(next, seq);
      // Already on disk, or made again when needed: evicted for free.
      std::tuple<uint64_t, bool, uint64_t> key{
          next, s.spilled.has_value() || cheaperToRemake(r),
          s.data->nbytes()};
      if (!victim || key > best) {
        victim = r;
        best = key;
      }
    }
    if (!victim) {
      // With the disk full, running tasks may still free memory; with none
      // running, nothing will.
      if (!diskFull.empty() && running == 0)
        fail(ops[t.op]->op, diskFull);
      return false;
    }
    if (auto err = spillOne(*victim, &t)) {
      if (spill.lastWriteFoundDiskFull()) {
        diskFull = llvm::toString(std::move(err));
        refused.push_back(*victim);
        continue;
      }
      fail(ops[t.op]->op, llvm::toString(std::move(err)));
      return false;
    }
  }
  return true;
}

bool Scheduler::admit(Task &t) {
  OpInfo &info = *ops[t.op];
  uint64_t need = 0;
  llvm::SmallVector<int32_t, 2> allocateWhole;
  if (t.kind != TaskKind::Save) {
    if (t.kind == TaskKind::Partial)
      need += planned.partialBytes(t.op, t.chunk);
    for (int32_t r = info.result; r < info.result + info.numResults; ++r) {
      bool whole = wholeValue[r];
      if (whole && !wholeReady[r]) {
        allocateWhole.push_back(r);
        need += planned.array(r).wholeBytes();
      }
      if (t.kind != TaskKind::Partial && (!whole || planned.array(r).sparse))
        need += planned.array(r).chunkBytes(t.chunk);
    }
  }
  t.remake.clear();
  t.held.clear();
  t.readBack.clear();
  assert(t.writeOut.empty() && "a failed admission writes its victims");
  llvm::SmallVector<ChunkRef, 4> fromDisk;
  for (ChunkRef r : t.deps) {
    ChunkSlot &s = slot(r);
    if (s.state != ChunkSlot::State::Spilled)
      continue;
    if (s.spilled) {
      // (Unless an input made again reads it too, and planned it first.)
      if (!llvm::is_contained(fromDisk, r)) {
        fromDisk.push_back(r);
        need += s.spilled->bytes;
      }
    } else if (!planRemake(r, t, fromDisk, need)) {
      t.remake.clear();
      t.held.clear();
      return false;
    }
  }
  t.reserved = need;
  if (!makeRoom(need, t)) {
    writeOutNow(t);
    return false;
  }
  // Read back (worker()) and made again (execute()) without the lock: no
  // other task reads them until then (pick() waits for them), and eviction
  // skips them.
  for (ChunkRef r : fromDisk) {
    ChunkSlot &s = slot(r);
    s.state = ChunkSlot::State::ReadingBack;
    t.readBack.emplace_back(r, *s.spilled);
  }
  for (auto [r, producer] : t.remake)
    slot(r).state = ChunkSlot::State::Recomputing;
  for (ChunkRef r : t.held)
    ++slot(r).pins;
  for (int32_t r : allocateWhole) {
    tasks.allocateWhole(planned.values()[r], /*zero=*/tasks.usesBlas(info.op));
    wholeReady[r] = true;
  }
  for (ChunkRef r : t.deps)
    ++slot(r).pins;
  hold(need);
  return true;
}

bool Scheduler::planRemake(ChunkRef r, Task &t,
                           llvm::SmallVectorImpl<ChunkRef> &fromDisk,
                           uint64_t &need) {
  if (llvm::any_of(t.remake, [&](auto &m) { return m.first == r; }))
    return true;
  PlanTask p = planned.producerTask(r, 0);
  llvm::SmallVector<ChunkRef, 4> reads;
  planned.reads(p, reads);
  for (ChunkRef d : reads) {
    ChunkSlot &s = slot(d);
    switch (s.state) {
    case ChunkSlot::State::Resident:
      if (!llvm::is_contained(t.deps, d) && !llvm::is_contained(t.held, d))
        t.held.push_back(d);
      continue;
    case ChunkSlot::State::Spilled:
      if (s.spilled) {
        if (!llvm::is_contained(fromDisk, d)) {
          fromDisk.push_back(d);
          if (!llvm::is_contained(t.deps, d))
            t.held.push_back(d);
          need += s.spilled->bytes;
        }
        continue;
      }
      [[fallthrough]];
    case ChunkSlot::State::Freed:
      // Dropped, or freed after its last reader: made again too (plan()
      // allows a chunk to be made again only from such chunks).
      if (!planRemake(d, t, fromDisk, need))
        return false;
      continue;
    case ChunkSlot::State::Recomputing: // By a running task.
    case ChunkSlot::State::ReadingBack:
    case ChunkSlot::State::WritingOut:
    case ChunkSlot::State::Pending:
      return false;
    }
  }
  t.remake.emplace_back(r, p.op);
  need += planned.array(r.value).chunkBytes(r.chunk);
  return true;
}

void Scheduler::release(ChunkRef ref) {
  ChunkSlot &s = slot(ref);
  if (isWhole(ref.value) || s.readsLeft > 0 || s.pins > 0)
    return;
  if (s.state == ChunkSlot::State::Resident && s.data) {
    hold(-static_cast<int64_t>(s.data->nbytes()));
    resident.erase(ref);
  }
  s.data.reset();
  if (s.spilled) {
    spill.remove(*s.spilled);
    s.spilled.reset();
    onDiskRemakeable.erase(ref);
  }
  s.state = ChunkSlot::State::Freed;
}

//===----------------------------------------------------------------------===//
// Execution
//===----------------------------------------------------------------------===//

void Scheduler::fail(Operation *op, std::string message) {
  if (aborted)
    return;
  aborted = true;
  error = {op, std::move(message)};
}

std::list<Task>::iterator Scheduler::pick() {
  fillWindow();
  for (auto it = window.begin(); it != window.end(); ++it) {
    Task &t = *it;
    if (t.running)
      continue;
    bool ready = llvm::all_of(t.deps, [&](ChunkRef r) {
      auto state = slot(r).state;
      return state == ChunkSlot::State::Resident ||
             state == ChunkSlot::State::Spilled;
    });
    if (!ready)
      continue;
    // Depth first: only the earliest ready task may start.
    if (admit(t))
      return it;
    if (!aborted && running == 0)
      fail(ops[t.op]->op,
           "the memory limit of " + formatByteSize(limit) +
               " cannot hold the next chunk task of this op (" +
               ops[t.op]->op->getName().getStringRef().str() +
               "): it needs " +
               formatByteSize(t.reserved) + " more beside " +
               formatByteSize(inUse) +
               " that cannot be spilled (arguments, results returned whole, "
               "reduction partials, chunks being read); raise "
               "--memory-limit or use smaller chunks (--chunk-bytes)");
    return window.end();
  }
  if (running == 0 && !window.empty() && !aborted)
    fail(ops[window.front().op]->op,
         "internal error: the scheduler has no task it can run");
  return window.end();
}

llvm::Error Scheduler::execute(const Task &t, int64_t &held, bool &finished) {
  OpInfo &info = *ops[t.op];
  Operation *op = info.op;
  for (auto [r, producer] : t.remake)
    if (auto err = tasks.mapTask(ops[producer]->op, r.chunk))
      return err;
  switch (t.kind) {
  case TaskKind::Map:
    return tasks.mapTask(op, t.chunk);
  case TaskKind::Product:
    return tasks.productTask(op, *info.contraction, t.chunk);
  case TaskKind::Mirror:
    return tasks.mirrorTask(op, t.chunk);
  case TaskKind::Scan:
    return tasks.scanTask(op, t.chunk);
  case TaskKind::Save:
    return tasks.saveTask(cast<SaveOp>(op), *info.writer, t.chunk);
  case TaskKind::Partial:
    break;
  case TaskKind::Combine:
  case TaskKind::Finish:
    // The walk makes none: a partial task combines and finishes its chunk
    // (the accumulator below).
    llvm_unreachable("a cluster's task kind in the local runtime");
  }
  llvm::Expected<std::vector<Partial>> p =
      tasks.partialTask(op, *info.contraction, t.chunk, t.step);
  if (!p)
    return p.takeError();
  // The roots, one per result (a multi-output group has several).
  SmallVector<ReductionOpInterface> reductions = rootReductions(op);
  auto bytesOf = [](const std::vector<Partial> &ps) {
    uint64_t n = 0;
    for (const Partial &q : ps)
      n += q.nbytes();
    return n;
  };
  std::lock_guard<std::mutex> accLock(info.accMutex);
  Accumulator &acc = info.accumulators[t.chunk];
  if (acc.levels.empty())
    acc.levels.resize(info.tree.size() + 1);
  const int64_t before = acc.bytes;
  acc.bytes += bytesOf(*p);
  // Combine up the tree as far as every sibling is present, in the tree's
  // fixed order, so results do not depend on which task finished first.
  size_t level = 0;
  int64_t index = t.step;
  acc.levels[0].emplace(index, std::move(*p));
  while (level < info.tree.size()) {
    int64_t node = info.parentOf[level][index];
    const auto &group = info.tree[level][node];
    if (!llvm::all_of(group, [&](int64_t k) {
          return acc.levels[level].count(k) != 0;
        }))
      break;
    auto &waiting = acc.levels[level];
    std::vector<Partial> combined = std::move(waiting.find(group[0])->second);
    acc.bytes -= bytesOf(combined);
    waiting.erase(group[0]);
    for (size_t k = 1; k < group.size(); ++k) {
      auto next = waiting.find(group[k]);
      acc.bytes -= bytesOf(next->second);
      for (auto [r, c, n] : llvm::zip(reductions, combined, next->second))
        c = tasks.combine(r, c, n);
      waiting.erase(next);
    }
    acc.bytes += bytesOf(combined);
    ++level;
    index = node;
    acc.levels[level].emplace(index, std::move(combined));
  }
  if (level == info.tree.size()) {
    // The root: the output chunk of every result.
    std::vector<Partial> root = std::move(acc.levels[level].find(0)->second);
    info.accumulators.erase(t.chunk);
    held = -before;
    for (auto [i, r, q] : llvm::enumerate(reductions, root)) {
      NDArray chunk = tasks.finish(r, std::move(q));
      if (!wholeValue[info.result + i])
        held += static_cast<int64_t>(chunk.nbytes());
      tasks.store(planned.values()[info.result + i], t.chunk, std::move(chunk));
    }
    finished = true;
    return llvm::Error::success();
  }
  held = static_cast<int64_t>(acc.bytes) - before;
  return llvm::Error::success();
}

void Scheduler::complete(std::list<Task>::iterator it, llvm::Error err,
                         int64_t held, bool finished) {
  Task &t = *it;
  OpInfo &info = *ops[t.op];
  --running;
  ++doneTasks;
  if (err)
    fail(info.op, llvm::toString(std::move(err)));
  for (auto [r, producer] : t.remake) {
    ChunkSlot &s = slot(r);
    s.state = ChunkSlot::State::Resident;
    if (!s.data) { // The task failed before making it.
      hold(-static_cast<int64_t>(planned.array(r.value).chunkBytes(r.chunk)));
      s.state = ChunkSlot::State::Freed;
      continue;
    }
    settleSparse(r);
    resident.insert(r);
    if (stats) {
      ++stats->recomputes;
      stats->bytesRecomputed += s.data->nbytes();
    }
  }
  for (ChunkRef r : t.held)
    --slot(r).pins;
  for (ChunkRef r : t.deps) {
    ChunkSlot &s = slot(r);
    --s.pins;
    --s.readsLeft;
    auto w = llvm::find(s.waiting, t.seq);
    if (w != s.waiting.end())
      s.waiting.erase(w);
    release(r);
  }
  // What was made or read back only for the chunks made again.
  for (auto [r, producer] : t.remake)
    release(r);
  for (ChunkRef r : t.held)
    release(r);
  bool produced = false;
  if (t.kind == TaskKind::Partial) {
    // The estimate becomes what the accumulator really holds.
    hold(held - static_cast<int64_t>(planned.partialBytes(t.op, t.chunk)));
    produced = finished;
  } else if (t.kind == TaskKind::Save) {
    if (--info.saveLeft == 0 && !aborted)
      if (auto commitErr = info.writer->commit())
        fail(info.op, llvm::toString(std::move(commitErr)));
  } else {
    produced = true;
  }
  for (int32_t r = info.result; r < info.result + info.numResults; ++r) {
    if (!produced || aborted)
      break;
    ChunkRef out{static_cast<uint32_t>(r), t.chunk};
    ChunkSlot &s = slot(out);
    s.state = ChunkSlot::State::Resident;
    settleSparse(out);
    if (!isWhole(out.value)) {
      resident.insert(out);
      release(out); // A value nothing reads.
      if (options.spillEagerly && s.state == ChunkSlot::State::Resident) {
        // Best effort: a chunk the full disk refuses stays in memory.
        if (auto spillErr = spillOne(out)) {
          if (spill.lastWriteFoundDiskFull())
            llvm::consumeError(std::move(spillErr));
          else
            fail(info.op, llvm::toString(std::move(spillErr)));
        }
      }
    }
  }
  window.erase(it);
}

void Scheduler::traceMemory(StampClock::Stamp now, bool force) {
  if (!force && now - lastMemorySample < memorySampleGap)
    return;
  lastMemorySample = now;
  std::pair<Trace::Name, int64_t> values[2] = {
      {traceInMemory, inUse},
      {traceOnDisk, static_cast<int64_t>(spill.bytesOnDisk())}};
  options.trace->counter(traceMemoryName, 0, now, values);
}

void Scheduler::worker(uint32_t index) {
  traceThread = index + 1;
  // Its task spans go to a buffer of its own: no lock per task.
  Trace::Writer *spans =
      options.trace ? &options.trace->newWriter(0, traceThread) : nullptr;
  if (options.kernels)
    setKernelThreads(
        std::max(1u, std::thread::hardware_concurrency() / workerCount));
  std::unique_lock<SchedulerMutex> lock(mutex);
  while (!aborted && doneTasks < totalTasks) {
    auto it = pick();
    if (it == window.end()) {
      if (aborted)
        break;
      ++idle;
      changed.wait(lock);
      --idle;
      continue;
    }
    it->running = true;
    ++running;
    Task copy = *it;
    for (Task::WriteOut &w : it->writeOut)
      w.data.reset(); // The copy writes it and lets it go.
    lock.unlock();
    // Disk I/O first, victims before inputs (their memory goes before the
    // inputs take theirs). Each becomes everyone's under a brief lock as
    // soon as it is done: the victims' readers and the tasks waiting for
    // their memory need not wait for the reads.
    bool ioDone = true;
    auto publish = [&](llvm::Error ioErr, void (Scheduler::*settle)(Task &)) {
      lock.lock();
      if (ioErr) { // Before a lost chunk looks dropped to other workers.
        ioDone = false;
        fail(ops[copy.op]->op, llvm::toString(std::move(ioErr)));
      }
      (this->*settle)(copy);
      if (idle)
        changed.notify_all();
      lock.unlock();
    };
    if (!copy.writeOut.empty())
      publish(writeOut(copy), &Scheduler::settleWrites);
    if (!copy.readBack.empty())
      publish(ioDone ? readBack(copy) : llvm::Error::success(),
              &Scheduler::settleReads);
    int64_t held = 0;
    bool finished = false;
    StampClock::Stamp start = options.trace ? StampClock::now() : 0;
    llvm::Error err =
        ioDone ? execute(copy, held, finished) : llvm::Error::success();
    StampClock::Stamp end = options.trace ? StampClock::now() : 0;
    if (options.trace) {
      std::pair<Trace::Name, int64_t> args[2] = {{traceChunk, copy.chunk}, {}};
      size_t numArgs = 1;
      if (copy.kind == TaskKind::Partial)
        args[numArgs++] = {traceStep, copy.step};
      else if (!copy.remake.empty())
        args[numArgs++] = {traceRemade,
                           static_cast<int64_t>(copy.remake.size())};
      const OpInfo &info = *ops[copy.op];
      spans->span(info.traceKind, info.traceName, start, end,
                  ArrayRef(args).take_front(numArgs));
    }
    lock.lock();
    complete(it, std::move(err), held, finished);
    if (options.trace)
      traceMemory(end);
    if (idle)
      changed.notify_all();
    if (over())
      ended.notify_all();
  }
  changed.notify_all();
  ended.notify_all();
}

FailureOr<std::vector<NDArray>> Scheduler::run(func::FuncOp func,
                                               ArrayRef<NDArray> args) {
  if (func.isExternal())
    return func.emitError("cannot evaluate a function without a body");
  limit = options.memoryLimit;
  if (options.trace) {
    traceMemoryName = options.trace->name("memory");
    traceInMemory = options.trace->name("in memory");
    traceOnDisk = options.trace->name("on disk");
    memorySampleGap =
        static_cast<StampClock::Stamp>(StampClock::perSecond() * 1e-4);
  }
  auto prepareStart = std::chrono::steady_clock::now();
  if (failed(plan(func, args)))
    return failure();
  for (auto &info : ops) {
    if (info->kind != TaskKind::Save)
      continue;
    auto save = cast<SaveOp>(info->op);
    const ChunkedArray &in =
        planned.array(planned.valueIndex(save.getOperand()));
    auto writer = NpyBoxWriter::create(save.getPath(), in.dtype,
                                       in.layout.shape());
    if (!writer)
      return save.emitError(llvm::toString(writer.takeError()));
    info->writer = std::move(*writer);
    if (info->saveLeft == 0)
      if (auto err = info->writer->commit())
        return save.emitError(llvm::toString(std::move(err)));
  }
  double prepareSeconds = std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - prepareStart)
                              .count();
  if (options.trace) {
    options.trace->span("run", "prepare", 0, 0, prepareStart,
                        std::chrono::steady_clock::now(),
                        {{"tasks", totalTasks}});
    for (auto &info : ops) {
      info->traceName = options.trace->name(traceName(info->op));
      info->traceKind = options.trace->name(taskKindName(info->kind));
    }
    traceChunk = options.trace->name("chunk");
    traceStep = options.trace->name("step");
    traceRemade = options.trace->name("remade");

  }

  threads = options.threads ? options.threads
                            : std::max(1u, std::thread::hardware_concurrency());
  windowLimit = 16 + 8 * threads;
  // A program of fewer tasks than threads (a small eager step) starts one
  // worker per task, and their kernels and BLAS calls split over the cores
  // the others would have left idle.
  workerCount = static_cast<unsigned>(
      std::clamp<int64_t>(totalTasks, 1, static_cast<int64_t>(threads)));
  if (options.trace) {
    for (unsigned i = 0; i < workerCount; ++i)
      options.trace->nameThread(0, i + 1, "worker " + std::to_string(i));
    traceMemory(StampClock::now(), /*force=*/true);
  }
  if (options.kernels)
    numeric::openblas::setThreads(
        std::max(1u, std::thread::hardware_concurrency() / workerCount));
  auto start = std::chrono::steady_clock::now();
  auto report = [&] {
    ChunkedProgress p;
    p.tasksDone = doneTasks;
    p.tasksTotal = totalTasks;
    p.bytesInMemory = inUse;
    p.bytesSpilled = spill.bytesOnDisk();
    p.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    options.progress(p);
  };
  // A first report before any task runs (prepare() has read the inputs'
  // headers by now).
  if (options.progress)
    report();
  std::vector<std::thread> workers;
  if (totalTasks <= 1) {
    // One task (an eager step): run it here. Starting and waking a thread
    // costs more than a small task on a VM.
    worker(0);
    traceThread = 0;
    if (options.progress) {
      std::lock_guard<SchedulerMutex> lock(mutex);
      report();
    }
  } else {
    for (unsigned i = 0; i < workerCount; ++i)
      workers.emplace_back([this, i] { worker(i); });
    std::unique_lock<SchedulerMutex> lock(mutex);
    while (!over()) {
      ended.wait_for(lock, std::chrono::duration<double>(
                               options.progressInterval));
      if (options.progress)
        report();
    }
  }
  for (std::thread &w : workers)
    w.join();
  if (options.trace) {
    std::lock_guard<SchedulerMutex> lock(mutex);
    traceMemory(StampClock::now(), /*force=*/true);
  }

  if (stats) {
    stats->tasks = doneTasks;
    for (uint32_t v = 0, n = planned.values().size(); v < n; ++v)
      if (!planned.array(v).borrowed)
        stats->chunks += planned.array(v).layout.numChunks();
    stats->compiledTasks = tasks.counters.compiledTasks;
    stats->sharedChunks = tasks.counters.sharedChunks;
    stats->kernelSeconds = StampClock::seconds(tasks.counters.kernelTicks);
    stats->prepareSeconds = prepareSeconds;
    stats->threads = threads;
    stats->peakMemory = peak;
    stats->memoryLimit = limit;
    stats->bytesSpilled = spill.bytesWritten();
    stats->bytesReadBack = spill.bytesRead();
    stats->interpretedOps = tasks.interpretedOps;
  }
  if (aborted)
    return error.op->emitError(error.message);

  auto gatherStart = Trace::Clock::now();
  std::vector<NDArray> results;
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    uint32_t index = planned.valueIndex(v);
    if (wholeValue[index] && !wholeReady[index]) {
      // A value with no chunks (an empty dimension).
      tasks.allocateWhole(v, /*zero=*/true);
      wholeReady[index] = true;
    }
    bool lastUse = !llvm::is_contained(ret.getOperands().drop_front(i + 1), v);
    ChunkedArray &a = planned.array(index);
    results.push_back(lastUse ? a.takeWhole()
                              : a.gather(Box::of(a.layout.shape())));
  }
  if (options.trace)
    options.trace->span("run", "results", 0, 0, gatherStart,
                        Trace::Clock::now());
  return results;
}

} // namespace

FailureOr<std::vector<NDArray>>
mars::evaluateChunked(func::FuncOp func, ArrayRef<NDArray> args,
                      const ChunkedOptions &options, ChunkedStats *stats) {
  return Scheduler(options, stats).run(func, args);
}
