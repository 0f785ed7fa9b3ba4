//===- Worker.cpp - mars-worker: runs chunk tasks, serves chunks to peers -===//
//
// The event loop (one thread) talks to the scheduler and to peers and owns
// the object store; tasks run on a pool of threads and hand their output
// back through a cross-thread promise. A task's inputs are fetched from the
// peers that hold them (streamed, ~1 MiB per message) before it is queued.
// Objects stay in memory up to the memory limit; beyond it the least
// recently used ones go to the spill file (SpillStore.h), and come back when
// a task or a peer needs them.
//
//===----------------------------------------------------------------------===//

#include "Rpc.h"

#include "mars/Distributed/Cluster.h"
#include "mars/Distributed/Ring.h"
#include "mars/Numeric/OpenBlas.h"
#include "mars/Runtime/KernelCache.h"
#include "mars/Runtime/SpillStore.h"
#include "mars/Support/ByteSize.h"
#include "mars/Support/Error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/raw_ostream.h"

#include <capnp/message.h>
#include <kj/async-unix.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unistd.h>
#include <unordered_map>

using namespace mars;
using namespace mars::dist;
using numeric::NDArray;

namespace {

/// The index of the pool thread running the caller (traces name it).
thread_local uint32_t poolThread = 0;

/// Wall-clock microseconds since the Unix epoch: the clock a cluster's
/// processes share, for traces.
int64_t wallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// Threads that run closures.
class Pool {
public:
  Pool(unsigned n, int ompThreads) {
    for (unsigned i = 0; i < n; ++i)
      threads.emplace_back([this, ompThreads, i] {
        poolThread = i;
        chunked::setKernelThreads(ompThreads);
        while (true) {
          std::function<void()> f;
          {
            std::unique_lock<std::mutex> lock(mutex);
            changed.wait(lock, [&] { return stop || !queue.empty(); });
            if (queue.empty())
              return;
            f = std::move(queue.front());
            queue.pop_front();
          }
          f();
        }
      });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    changed.notify_all();
    for (auto &t : threads)
      t.join();
  }
  void post(std::function<void()> f) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      queue.push_back(std::move(f));
    }
    changed.notify_one();
  }

private:
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::function<void()>> queue;
  bool stop = false;
};

/// Runs `f` on the pool and resolves with its result on this thread.
template <typename T>
kj::Promise<T> onPool(Pool &pool, std::function<T()> f) {
  auto paf = kj::newPromiseAndCrossThreadFulfiller<T>();
  auto fulfiller = std::make_shared<kj::Own<kj::CrossThreadPromiseFulfiller<T>>>(
      kj::mv(paf.fulfiller));
  pool.post([fulfiller, f = std::move(f)]() mutable {
    (*fulfiller)->fulfill(f());
  });
  return kj::mv(paf.promise);
}

/// Fails the RPC call being answered with `message` as its whole
/// description (KJ_FAIL_REQUIRE would add the source expressions).
[[noreturn]] void failCall(const std::string &message) {
  kj::throwFatalException(kj::Exception(kj::Exception::Type::FAILED, __FILE__,
                                        __LINE__, kj::str(message)));
}

struct Stored {
  /// Null while spilled.
  std::shared_ptr<const ObjectData> data;
  std::optional<SpillStore::Handle> spilled;
  /// To read a spilled object back: its arrays' dtypes and shapes.
  std::vector<std::pair<numeric::DType, numeric::Shape>> meta;
  /// Per array: a sparse one's nnz (-1: dense).
  std::vector<int64_t> nnz;
  std::vector<bool> absent;
  int64_t count = 0;
  bool partial = false;
  uint64_t bytes = 0;
  int pins = 0;
  uint64_t lastUse = 0;
};

struct Job {
  uint64_t id = 0;
  /// Shared with the tasks running on the pool, so that it outlives them
  /// even if the job is closed meanwhile (it holds no KJ objects: it may be
  /// destroyed on a pool thread).
  std::shared_ptr<JobProgram> program;
  /// program->graph.
  TaskGraph *graph = nullptr;
  std::unordered_map<uint32_t, Stored> store;
  /// Objects being fetched: the fetch every reader waits for.
  std::unordered_map<uint32_t, kj::ForkedPromise<void>> fetching;
  bool closed = false;
  /// Bytes of its objects spilled, and how many of them replies reported.
  uint64_t bytesSpilled = 0, bytesSpilledReported = 0;
  /// The client traces the job: replies say when each task ran.
  bool traced = false;
  /// The epoch of the job's owner (Protocol.capnp) and that scheduler's
  /// address. Calls of older epochs are refused.
  uint32_t epoch = 0;
  std::string owner;
  /// Since its owner was lost: a job no scheduler takes over within
  /// kOrphanSeconds is dropped.
  std::optional<kj::TimePoint> orphaned;
  /// Save tasks (no output object) run here, for a scheduler taking over.
  std::set<uint32_t> saved;
};

/// How long a job whose scheduler was lost is kept for another to take it
/// over (a takeover claims it within the client's deadline and the time
/// to parse the program; this leaves room for large programs).
constexpr double kOrphanSeconds = 120;

/// One scheduler this worker has joined.
struct SchedulerLink {
  std::string address;
  kj::Own<Connection> connection;
  /// This worker's number at that scheduler, and the scheduler's process
  /// (JoinResults.instance).
  uint32_t id = 0;
  uint64_t instance = 0;
  /// When it last pinged this worker.
  kj::TimePoint lastPing = kj::systemPreciseMonotonicClock().now();
  /// Where its tasks' outcomes go, and those not sent yet (one message per
  /// turn of the event loop).
  kj::Maybe<rpc::TaskSink::Client> sink;
  struct Done {
    uint64_t job;
    uint32_t epoch, task, attempt;
    std::shared_ptr<capnp::MallocMessageBuilder> result;
  };
  std::vector<Done> done;
  bool flushQueued = false;
};

/// When a task of a traced job ran (rpc::TaskTrace), in wallMicros().
struct TaskTimes {
  int64_t received = 0, fetched = 0, started = 0, ended = 0;
  uint32_t thread = 0;
};

struct TaskOutcome {
  std::shared_ptr<ObjectData> data;
  std::string error;
  TaskTimes times;
};

class WorkerState {
public:
  WorkerState(const WorkerOptions &options, kj::AsyncIoContext &io)
      : options(options), io(io),
        threads(options.threads ? options.threads
                                : std::max(1u, std::thread::hardware_concurrency())),
        pool(threads, std::max(1u, std::thread::hardware_concurrency() /
                                       threads)),
        spill(std::make_unique<SpillStore>(options.spillDir.empty()
                                               ? defaultSpillRoot()
                                               : options.spillDir)) {
    limit = options.memoryLimit ? options.memoryLimit
                                : physicalMemoryBytes() / 5 * 4;
    numeric::openblas::setThreads(
        std::max(1u, std::thread::hardware_concurrency() / threads));
  }

  const WorkerOptions &options;
  kj::AsyncIoContext &io;
  unsigned threads;
  Pool pool;
  std::unique_ptr<SpillStore> spill;
  std::string token;
  std::string address;
  /// TLS on every connection, when the cluster uses it.
  std::unique_ptr<Tls> tls;
  uint64_t limit = 0;
  uint64_t resident = 0, reserved = 0;
  uint64_t clock = 0;
  std::unique_ptr<KernelCache> kernels;
  std::mutex openMutex;
  std::map<uint64_t, std::shared_ptr<Job>> jobs;

  struct PeerLink {
    kj::Own<Connection> connection;
    kj::Maybe<rpc::PeerGate::Client> gate;
  };
  std::map<std::string, std::shared_ptr<PeerLink>> peers;
  /// Links to peers that failed (a few per lost peer, kept to exit).
  std::vector<std::shared_ptr<PeerLink>> deadPeers;

  /// The schedulers joined, by address; every scheduler of the cluster
  /// known (joined or not); those being joined.
  std::map<std::string, std::shared_ptr<SchedulerLink>> links;
  std::vector<std::string> schedulers;
  std::set<std::string> joining;
  /// This process, for schedulers (JoinParams.instance); addresses that
  /// name a scheduler already joined under another (kJoinedAlready).
  uint64_t instance = 0;
  std::set<std::string> aliases;
  /// From the first join: the schedulers' heartbeat and deadline.
  uint64_t heartbeatMs = 1000, deadAfterMs = 3000;
  kj::TaskSet *tasks = nullptr;
  /// Jobs being opened: each open of one waits for the same (its error, or
  /// "" once in `jobs`).
  std::map<uint64_t, kj::ForkedPromise<std::string>> opening;

  /// Joins the scheduler at `address` (no effect while joined or joining).
  kj::Promise<void> join(const std::string &address);
  /// Schedulers named by a scheduler: joins those it has not joined.
  void learn(capnp::List<capnp::Text>::Reader members);
  /// `link`'s scheduler went away or went silent: jobs it owned wait for a
  /// takeover; with no scheduler left, the worker exits.
  void linkLost(const std::shared_ptr<SchedulerLink> &link,
                const std::string &why);
  /// Checks that a call about `job` at `epoch` is of its current epoch or
  /// a later one (then `link`'s scheduler has taken the job over); throws
  /// kTakenOver otherwise.
  void adopt(Job &job, uint32_t epoch, const SchedulerLink &link);
  /// Drops every object of `job` and the job.
  void closeJob(uint64_t id);
  [[noreturn]] void exit(const std::string &message);

  /// Tasks admitted and not finished, and objects being served to peers:
  /// while any is, memory in use will be released without anything else
  /// happening, and what needs memory waits for it instead of failing.
  int active = 0;
  std::vector<kj::Own<kj::PromiseFulfiller<void>>> memoryWaiters;

  /// Fulfilled the next time memory is released (a task finishes, a
  /// transfer ends, objects are freed).
  kj::Promise<void> memoryReleased() {
    auto paf = kj::newPromiseAndFulfiller<void>();
    memoryWaiters.push_back(kj::mv(paf.fulfiller));
    return kj::mv(paf.promise);
  }
  void released() {
    auto waiters = std::move(memoryWaiters);
    memoryWaiters.clear();
    for (auto &w : waiters)
      w->fulfill();
  }

  std::shared_ptr<Job> job(uint64_t id) {
    auto it = jobs.find(id);
    KJ_REQUIRE(it != jobs.end(), "no such job on this worker", id);
    return it->second;
  }

  rpc::PeerGate::Client peer(const std::string &addr);
  kj::Promise<void> fetch(std::shared_ptr<Job> job, uint32_t object,
                          std::string from,
                          std::shared_ptr<uint64_t> fetched);
  /// The data of a stored object, read back if spilled (making room for
  /// it: callers that must not fail make room first).
  llvm::Expected<std::shared_ptr<const ObjectData>> load(Job &job,
                                                         uint32_t object);
  void put(Job &job, uint32_t object, std::shared_ptr<const ObjectData> data);
  void drop(Job &job, uint32_t object);
  /// Spills until `need` more bytes fit; false if it cannot.
  bool makeRoom(uint64_t need);
};

rpc::PeerGate::Client WorkerState::peer(const std::string &addr) {
  auto it = peers.find(addr);
  if (it != peers.end())
    KJ_IF_MAYBE (gate, it->second->gate)
      return *gate;
  auto link = std::make_shared<PeerLink>();
  peers[addr] = link;
  kj::Promise<rpc::PeerGate::Client> connected =
      connectTo(io.provider->getNetwork(), addr, tls.get())
          .then([link](kj::Own<kj::AsyncIoStream> stream) {
            link->connection = kj::heap<Connection>(kj::mv(stream));
            return link->connection->bootstrap<rpc::PeerGate>();
          });
  rpc::PeerGate::Client gate(kj::mv(connected));
  link->gate = gate;
  return gate;
}

kj::Promise<void> WorkerState::fetch(std::shared_ptr<Job> job, uint32_t object,
                                     std::string from,
                                     std::shared_ptr<uint64_t> fetched) {
  if (job->store.count(object))
    return kj::READY_NOW;
  auto it = job->fetching.find(object);
  if (it != job->fetching.end())
    return it->second.addBranch();
  const GraphObject &o = job->graph->objects()[object];
  kj::Promise<void> done =
      fetchObject(peer(from), token, job->id, object, o.maxBytes, o.value >= 0)
          .then(
              [this, job, object, fetched](std::shared_ptr<ObjectData> data) {
                *fetched += data->nbytes();
                if (!job->closed)
                  put(*job, object, std::move(data));
                job->fetching.erase(object);
              },
              [this, job, object, from](kj::Exception &&e) {
                job->fetching.erase(object);
                // Reconnect next time. The old connection is kept:
                // capabilities of it may still be referenced by other
                // requests in flight.
                auto link = peers.find(from);
                if (link != peers.end()) {
                  deadPeers.push_back(std::move(link->second));
                  peers.erase(link);
                }
                kj::throwFatalException(kj::mv(e));
              });
  auto forked = done.fork();
  auto branch = forked.addBranch();
  job->fetching.emplace(object, kj::mv(forked));
  return branch;
}

bool WorkerState::makeRoom(uint64_t need) {
  while (resident + reserved + need > limit) {
    Job *victimJob = nullptr;
    uint32_t victim = 0;
    uint64_t oldest = UINT64_MAX;
    for (auto &[id, job] : jobs)
      for (auto &[object, s] : job->store)
        if (s.data && s.pins == 0 && s.lastUse < oldest) {
          oldest = s.lastUse;
          victimJob = job.get();
          victim = object;
        }
    if (!victimJob)
      return false;
    Stored &s = victimJob->store[victim];
    if (!s.spilled) {
      // One extent: the arrays back to back.
      std::vector<uint8_t> bytes;
      bytes.reserve(s.bytes);
      for (const NDArray *a : arraysOf(*s.data))
        bytes.insert(bytes.end(), a->bytes(), a->bytes() + a->nbytes());
      auto handle = spill->write(bytes.data(), bytes.size());
      if (!handle) {
        llvm::errs() << "mars-worker: " << llvm::toString(handle.takeError())
                     << "\n";
        return false;
      }
      s.spilled = *handle;
      victimJob->bytesSpilled += s.bytes;
    }
    s.data.reset();
    resident -= s.bytes;
  }
  return true;
}

llvm::Expected<std::shared_ptr<const ObjectData>>
WorkerState::load(Job &job, uint32_t object) {
  auto it = job.store.find(object);
  if (it == job.store.end())
    return makeError("the object is not on this worker");
  Stored &s = it->second;
  s.lastUse = ++clock;
  if (s.data)
    return s.data;
  if (!makeRoom(s.bytes))
    return makeError("the worker's memory limit of " + formatByteSize(limit) +
                     " cannot hold a spilled chunk of " +
                     formatByteSize(s.bytes) + " read back beside " +
                     formatByteSize(resident + reserved) +
                     " of chunks in use");
  std::vector<uint8_t> bytes(s.spilled->bytes);
  if (auto err = spill->read(*s.spilled, bytes.data()))
    return makeError("reading back a spilled chunk failed: " +
                     llvm::toString(std::move(err)));
  std::vector<NDArray> arrays;
  size_t at = 0;
  for (size_t k = 0; k < s.meta.size(); ++k) {
    if (s.absent[k]) {
      arrays.emplace_back();
      continue;
    }
    auto &[dtype, shape] = s.meta[k];
    NDArray a = s.nnz[k] >= 0 ? NDArray::csr(dtype, shape, s.nnz[k])
                              : NDArray(dtype, shape, NDArray::uninitialized);
    std::memcpy(a.bytes(), bytes.data() + at, a.nbytes());
    at += a.nbytes();
    arrays.push_back(std::move(a));
  }
  auto data = ObjectData::fromArrays(std::move(arrays), s.count);
  s.data = data;
  resident += s.bytes;
  return data;
}

void WorkerState::put(Job &job, uint32_t object,
                      std::shared_ptr<const ObjectData> data) {
  if (job.store.count(object))
    return; // Computed twice (a recomputation): keep the first.
  Stored s;
  for (const NDArray *a : arraysOf(*data)) {
    s.meta.push_back({a->dtype(), a->shape()});
    s.nnz.push_back(a->isSparse() ? a->nnz() : -1);
    s.absent.push_back(isAbsent(*a));
  }
  s.partial = bool(data->partials);
  s.count = data->partials ? data->partials->front().count : 0;
  s.bytes = data->nbytes();
  s.lastUse = ++clock;
  s.data = std::move(data);
  resident += s.bytes;
  job.store.emplace(object, std::move(s));
  makeRoom(0); // Over the limit: spill the least recently used.
}

void WorkerState::drop(Job &job, uint32_t object) {
  auto it = job.store.find(object);
  if (it == job.store.end())
    return;
  if (it->second.data)
    resident -= it->second.bytes;
  if (it->second.spilled)
    spill->remove(*it->second.spilled);
  job.store.erase(it);
  released();
}

class PeerGateImpl final : public rpc::PeerGate::Server {
public:
  explicit PeerGateImpl(WorkerState &state) : state(state) {}

  kj::Promise<void> fetch(FetchContext context) override {
    auto params = context.getParams();
    checkToken(state.token, params.getToken(), "mars-worker");
    auto job = state.job(params.getJob());
    uint32_t object = params.getObject();
    KJ_REQUIRE(job->graph != nullptr && object < job->graph->objects().size(),
               "no such object", object);
    auto it = job->store.find(object);
    KJ_REQUIRE(it != job->store.end(), "the object is not on this worker",
               object);
    Stored &s = it->second;
    // A spilled object is read back to be served: when memory is short and
    // running tasks or other transfers will free some, it waits for them.
    if (!s.data && !state.makeRoom(s.bytes) && state.active > 0)
      return state.memoryReleased().then(
          [this, context]() mutable { return fetch(context); });
    auto data = state.load(*job, object);
    if (!data)
      failCall(llvm::toString(data.takeError()));
    ++s.pins;
    ++state.active;
    WorkerState *st = &state;
    return serveObject(context.getResults(), params.getSink(), *data)
        .attach(kj::defer([st, job, object] {
          auto it = job->store.find(object);
          if (it != job->store.end())
            --it->second.pins;
          --st->active;
          st->released();
        }));
  }

private:
  WorkerState &state;
};

/// What one scheduler calls: each link has its own.
class WorkerImpl final : public rpc::Worker::Server {
public:
  WorkerImpl(WorkerState &state, std::shared_ptr<SchedulerLink> link)
      : state(state), link(std::move(link)) {}

  kj::Promise<void> ping(PingContext context) override {
    link->lastPing = kj::systemPreciseMonotonicClock().now();
    // Once joined (a ping can come before the join's answer): the members
    // are learnt from the answer first, with this scheduler's instance
    // known, so that another address of it is not joined as a second one.
    auto it = state.links.find(link->address);
    if (it != state.links.end() && it->second == link)
      state.learn(context.getParams().getSchedulers());
    context.getResults().setBytesInMemory(state.resident);
    context.getResults().setBytesSpilled(state.spill->bytesOnDisk());
    return kj::READY_NOW;
  }

  kj::Promise<void> open(OpenContext context) override {
    auto params = context.getParams();
    uint64_t id = params.getJob();
    kj::Promise<std::string> opened = std::string();
    if (state.jobs.count(id)) {
      // Held already: opened by this scheduler at an earlier epoch, or by
      // one that was lost.
    } else if (auto it = state.opening.find(id); it != state.opening.end()) {
      opened = it->second.addBranch();
    } else {
      // The spec is copied: parsing and kernel compilation run on the pool
      // so that heartbeats are answered meanwhile.
      auto spec = std::make_shared<capnp::MallocMessageBuilder>();
      spec->setRoot(params.getSpec());
      WorkerState *s = &state;
      auto forked =
          onPool<LoadedProgram>(state.pool,
                                [s, spec]() {
                                  return openJob(
                                      *s,
                                      spec->getRoot<rpc::JobSpec>().asReader());
                                })
              .then([s, id, spec](LoadedProgram loaded) {
                s->opening.erase(id);
                if (!loaded.error.empty())
                  return loaded.error;
                auto job = std::make_shared<Job>();
                job->id = id;
                job->program = std::move(loaded.program);
                job->graph = job->program->graph.get();
                job->traced = spec->getRoot<rpc::JobSpec>().getTrace();
                s->jobs[id] = job;
                return std::string();
              })
              .fork();
      opened = forked.addBranch();
      state.opening.emplace(id, kj::mv(forked));
    }
    return opened.then([this, context, id](std::string error) mutable {
      auto results = context.getResults();
      if (!error.empty()) {
        results.setError(error);
        return;
      }
      auto it = state.jobs.find(id);
      if (it == state.jobs.end()) {
        results.setError("the job was closed while it was opened");
        return;
      }
      Job &job = *it->second;
      state.adopt(job, context.getParams().getEpoch(), *link);
      auto held = results.initHeld(job.store.size());
      size_t k = 0;
      for (auto &[object, stored] : job.store)
        held.set(k++, object);
      auto saved = results.initSaved(job.saved.size());
      k = 0;
      for (uint32_t t : job.saved)
        saved.set(k++, t);
    });
  }

  kj::Promise<void> claim(ClaimContext context) override {
    auto params = context.getParams();
    auto it = state.jobs.find(params.getJob());
    if (it != state.jobs.end())
      state.adopt(*it->second, params.getEpoch(), *link);
    return kj::READY_NOW;
  }

  kj::Promise<void> run(RunContext context) override {
    auto params = context.getParams();
    auto job = state.job(params.getJob());
    uint32_t epoch = params.getEpoch();
    state.adopt(*job, epoch, *link);
    link->sink = params.getSink();
    // Checked whole before any starts: a malformed batch runs nothing.
    for (auto run : params.getTasks()) {
      KJ_REQUIRE(run.getTask() < job->graph->tasks().size(), "no such task",
                 run.getTask());
      for (uint32_t in : job->graph->tasks()[run.getTask()].inputs) {
        bool named = job->store.count(in);
        for (auto loc : run.getInputs())
          named |= loc.getObject() == in;
        KJ_REQUIRE(named, "the scheduler named no holder of an input", in);
      }
    }
    kj::Vector<kj::Promise<void>> tasks;
    for (auto run : params.getTasks()) {
      uint32_t task = run.getTask(), attempt = run.getAttempt();
      auto out = std::make_shared<capnp::MallocMessageBuilder>(64);
      std::shared_ptr<SchedulerLink> to = link;
      WorkerState *st = &state;
      auto done = runOne(job, run, out).then([st, to, job, epoch, task,
                                              attempt, out] {
        to->done.push_back({job->id, epoch, task, attempt, out});
        if (!to->flushQueued) {
          to->flushQueued = true;
          st->tasks->add(kj::evalLater([to] { flushDone(*to); }));
        }
      });
      // Each task runs to its end and reports, whatever becomes of the
      // call's answer: KJ promises are lazy, and nothing else drives them.
      tasks.add(done.eagerlyEvaluate(nullptr));
    }
    return kj::joinPromises(tasks.releaseAsArray());
  }

  /// Sends the outcomes `link` holds in one message.
  static void flushDone(SchedulerLink &link) {
    link.flushQueued = false;
    if (link.done.empty())
      return;
    KJ_IF_MAYBE (sink, link.sink) {
      auto request = sink->doneRequest();
      auto list = request.initTasks(link.done.size());
      for (size_t i = 0; i < link.done.size(); ++i) {
        const SchedulerLink::Done &d = link.done[i];
        list[i].setJob(d.job);
        list[i].setEpoch(d.epoch);
        list[i].setTask(d.task);
        list[i].setAttempt(d.attempt);
        list[i].setResult(d.result->getRoot<rpc::RunResult>().asReader());
      }
      // A scheduler that went away is noticed by its link.
      link.done.clear();
      request.send().detach([](kj::Exception &&) {});
    }
  }

  /// Fetches a task's inputs and runs it; its outcome goes to `out`.
  kj::Promise<void> runOne(std::shared_ptr<Job> job, rpc::TaskRun::Reader run,
                           std::shared_ptr<capnp::MallocMessageBuilder> out) {
    uint32_t task = run.getTask();
    const GraphTask &t = job->graph->tasks()[task];
    std::map<uint32_t, std::string> from;
    for (auto loc : run.getInputs())
      from[loc.getObject()] = loc.getAddress();
    auto fetched = std::make_shared<uint64_t>(0);
    kj::Vector<kj::Promise<void>> fetches;
    for (uint32_t in : t.inputs) {
      if (job->store.count(in))
        continue;
      fetches.add(state.fetch(job, in, from[in], fetched));
    }
    uint64_t reserve = run.getReserve();
    TaskTimes times;
    if (job->traced)
      times.received = wallMicros();
    return kj::joinPromises(fetches.releaseAsArray())
        .then(
            [this, out, job, task, fetched, reserve, times]() mutable {
              if (job->traced)
                times.fetched = wallMicros();
              return execute(out, job, task, *fetched, reserve, times);
            },
            [out, fetched, job, task, times](kj::Exception &&e) mutable {
              auto result = out->initRoot<rpc::RunResult>();
              result.setInputLost(describe(e));
              result.setFetchedBytes(*fetched);
              if (job->traced) {
                // Not run: only its fetches are drawn.
                auto trace = result.initTrace();
                trace.setTask(task);
                trace.setReceived(times.received);
                trace.setFetched(wallMicros());
                trace.setFetchedBytes(*fetched);
              }
            });
  }

  kj::Promise<void> free(FreeContext context) override {
    auto params = context.getParams();
    auto it = state.jobs.find(params.getJob());
    // A former owner's frees are ignored: the new owner decides.
    if (it == state.jobs.end() || params.getEpoch() < it->second->epoch)
      return kj::READY_NOW;
    for (uint32_t object : params.getObjects())
      state.drop(*it->second, object);
    return kj::READY_NOW;
  }

  kj::Promise<void> close(CloseContext context) override {
    auto params = context.getParams();
    auto it = state.jobs.find(params.getJob());
    if (it == state.jobs.end() || params.getEpoch() < it->second->epoch)
      return kj::READY_NOW;
    std::shared_ptr<Job> job = it->second;
    state.closeJob(job->id);
    if (auto err = job->graph->closeFiles()) {
      failCall("closing the job's files failed: " +
               llvm::toString(std::move(err)));
    }
    return kj::READY_NOW;
  }

private:
  static LoadedProgram openJob(WorkerState &state, rpc::JobSpec::Reader spec);

  kj::Promise<void> execute(std::shared_ptr<capnp::MallocMessageBuilder> out,
                            std::shared_ptr<Job> job,
                            uint32_t task, uint64_t fetched, uint64_t reserve,
                            TaskTimes times) {
    auto setResult = [out, fetched, job, task,
                      times](const std::string *error, uint64_t bytes,
                             const TaskTimes *ran = nullptr) mutable {
      auto result = out->initRoot<rpc::RunResult>();
      if (error)
        result.setFailed(*error);
      else
        result.setOk();
      result.setBytes(bytes);
      result.setFetchedBytes(fetched);
      result.setSpilledBytes(job->bytesSpilled - job->bytesSpilledReported);
      job->bytesSpilledReported = job->bytesSpilled;
      if (job->traced) {
        // A task that failed before it ran (started = ended = 0) is drawn
        // by its fetches alone.
        TaskTimes t = ran ? *ran : times;
        auto trace = result.initTrace();
        trace.setTask(task);
        trace.setReceived(t.received);
        trace.setFetched(t.fetched);
        trace.setStarted(t.started);
        trace.setEnded(t.ended);
        trace.setThread(t.thread);
        trace.setFetchedBytes(fetched);
      }
    };
    const GraphTask &t = job->graph->tasks()[task];
    for (uint32_t in : t.inputs)
      if (!job->store.count(in)) {
        auto result = out->initRoot<rpc::RunResult>();
        result.setInputLost("an input was freed before the task ran");
        return kj::READY_NOW;
      }
    // Admission: room for the spilled inputs read back and for the output,
    // made at once by spilling what no running task reads. Resident inputs
    // are pinned first, so that it is not they that are spilled.
    uint64_t need = reserve;
    for (uint32_t in : t.inputs) {
      Stored &s = job->store[in];
      if (!s.data)
        need += s.bytes;
      ++s.pins;
    }
    auto unpin = [job, task] {
      for (uint32_t in : job->graph->tasks()[task].inputs) {
        auto it = job->store.find(in);
        if (it != job->store.end())
          --it->second.pins;
      }
    };
    if (!state.makeRoom(need)) {
      unpin();
      // Running tasks and transfers hold memory they will release: wait
      // for them, holding nothing meanwhile. Only when nothing would ever
      // release memory does the task fail.
      if (state.active > 0)
        return state.memoryReleased().then(
            [this, out, job, task, fetched, reserve, times]() mutable {
              return execute(out, job, task, fetched, reserve, times);
            });
      std::string error = job->graph->located(
          task, "the worker's memory limit of " + formatByteSize(state.limit) +
                    " cannot hold this task's inputs and output of " +
                    formatByteSize(need) + " beside " +
                    formatByteSize(state.resident + state.reserved) +
                    " of chunks that cannot be spilled; raise --memory-limit "
                    "of mars-worker or use smaller chunks");
      setResult(&error, 0);
      return kj::READY_NOW;
    }
    std::vector<std::shared_ptr<const ObjectData>> inputs;
    for (uint32_t in : t.inputs) {
      auto data = state.load(*job, in);
      if (!data) {
        unpin();
        std::string error =
            job->graph->located(task, llvm::toString(data.takeError()));
        setResult(&error, 0);
        return kj::READY_NOW;
      }
      inputs.push_back(std::move(*data));
    }
    state.reserved += reserve;
    ++state.active;
    std::shared_ptr<JobProgram> program = job->program;
    return onPool<std::shared_ptr<TaskOutcome>>(
               state.pool,
               [program, task, inputs = std::move(inputs), times,
                traced = job->traced] {
                 TaskGraph *graph = program->graph.get();
                 auto outcome = std::make_shared<TaskOutcome>();
                 outcome->times = times;
                 if (traced) {
                   outcome->times.started = wallMicros();
                   outcome->times.thread = poolThread;
                 }
                 auto data = graph->run(task, inputs);
                 if (traced)
                   outcome->times.ended = wallMicros();
                 if (!data)
                   outcome->error = graph->located(
                       task, llvm::toString(data.takeError()));
                 else
                   outcome->data =
                       std::make_shared<ObjectData>(std::move(*data));
                 return outcome;
               })
        .then([this, job, task, reserve,
               setResult](std::shared_ptr<TaskOutcome> outcome) mutable {
          state.reserved -= reserve;
          --state.active;
          const GraphTask &t = job->graph->tasks()[task];
          for (uint32_t in : t.inputs) {
            auto it = job->store.find(in);
            if (it != job->store.end())
              --it->second.pins;
          }
          if (!outcome->error.empty()) {
            state.released();
            setResult(&outcome->error, 0, &outcome->times);
            return;
          }
          uint64_t bytes = outcome->data->nbytes();
          if (t.output >= 0 && !job->closed)
            state.put(*job, t.output, std::move(outcome->data));
          if (t.output < 0)
            job->saved.insert(task);
          state.released();
          setResult(nullptr, bytes, &outcome->times);
        });
  }

  WorkerState &state;
  std::shared_ptr<SchedulerLink> link;
};

LoadedProgram WorkerImpl::openJob(WorkerState &state,
                                  rpc::JobSpec::Reader spec) {
  std::lock_guard<std::mutex> lock(state.openMutex);
  LoadedProgram opened;
  auto args = argumentsOf(spec);
  if (!args) {
    opened.error = llvm::toString(args.takeError());
    return opened;
  }
  ChunkedOptions options;
  options.fanIn = std::max<int64_t>(2, spec.getFanIn());
  if (spec.getCompiled()) {
    if (!state.kernels) {
      KernelCacheOptions cacheOptions;
      cacheOptions.directory =
          resolveKernelCacheDirectory(state.options.kernelCacheDir);
      auto cache = KernelCache::create(cacheOptions);
      if (!cache) {
        opened.error = "cannot set up code generation: " +
                       llvm::toString(cache.takeError());
        return opened;
      }
      state.kernels = std::move(*cache);
    }
    options.kernels = state.kernels.get();
  }
  std::vector<std::string> saveFiles;
  for (auto f : spec.getSaveFiles())
    saveFiles.push_back(f.cStr());
  auto program = loadProgram(spec.getProgram().cStr(), spec.getEntry().cStr(),
                             std::move(*args), options,
                             TaskGraph::Mode::Execute, spec.getCompiled(),
                             saveFiles);
  if (!program)
    opened.error = llvm::toString(program.takeError());
  else
    opened.program = std::move(*program);
  return opened;
}

void WorkerState::adopt(Job &job, uint32_t epoch, const SchedulerLink &link) {
  if (epoch < job.epoch)
    failCall("job " + std::to_string(job.id) + " " + kTakenOver +
             " (epoch " + std::to_string(job.epoch) + "; this call's: " +
             std::to_string(epoch) + ")");
  if (epoch > job.epoch || job.orphaned || job.owner.empty()) {
    if (job.orphaned && job.epoch != 0)
      llvm::errs() << "mars-worker: job " << job.id << " taken over by the "
                   << "scheduler at " << link.address << " (epoch " << epoch
                   << ")\n";
    job.epoch = epoch;
    job.owner = link.address;
    job.orphaned.reset();
  }
}

void WorkerState::closeJob(uint64_t id) {
  auto it = jobs.find(id);
  if (it == jobs.end())
    return;
  std::shared_ptr<Job> job = it->second;
  job->closed = true;
  for (auto &[object, s] : job->store) {
    if (s.data)
      resident -= s.bytes;
    if (s.spilled)
      spill->remove(*s.spilled);
  }
  job->store.clear();
  jobs.erase(it);
  released();
}

void WorkerState::exit(const std::string &message) {
  llvm::errs() << message << "\n";
  // Running tasks are abandoned; the spill file goes with the state.
  std::fflush(nullptr);
  jobs.clear();
  spill.reset();
  ::_exit(1);
}

kj::Promise<void> WorkerState::join(const std::string &scheduler) {
  if (links.count(scheduler) || joining.count(scheduler))
    return kj::READY_NOW;
  joining.insert(scheduler);
  auto link = std::make_shared<SchedulerLink>();
  link->address = scheduler;
  // A scheduler that accepts connections but does not answer (stopped) is
  // tried again later rather than waited for.
  auto &timer = io.provider->getTimer();
  auto joined = connectTo(io.provider->getNetwork(), scheduler, tls.get())
      .then([this, link](kj::Own<kj::AsyncIoStream> stream) {
        link->connection = kj::heap<Connection>(kj::mv(stream));
        auto gate = link->connection->bootstrap<rpc::SchedulerGate>();
        auto request = gate.joinRequest();
        request.setToken(token);
        request.setAddress(address);
        request.setThreads(threads);
        request.setMemoryLimit(limit);
        request.setWorker(kj::heap<WorkerImpl>(*this, link));
        request.setInstance(instance);
        request.setLibm(libmName());
        auto linked = request.initLinked(links.size());
        size_t k = 0;
        for (auto &[address, other] : links)
          linked.set(k++, other->instance);
        return request.send();
      });
  return timer
      .timeoutAfter(std::max<uint64_t>(deadAfterMs, 10000) * kj::MILLISECONDS,
                    kj::mv(joined))
      .then(
          [this, link](capnp::Response<rpc::SchedulerGate::JoinResults> &&r) {
            joining.erase(link->address);
            link->id = r.getId();
            link->instance = r.getInstance();
            link->lastPing = kj::systemPreciseMonotonicClock().now();
            if (links.empty() && r.getHeartbeatMillis() > 0 &&
                r.getDeadAfterMillis() > 0) {
              heartbeatMs = r.getHeartbeatMillis();
              deadAfterMs = r.getDeadAfterMillis();
            }
            links[link->address] = link;
            if (!std::count(schedulers.begin(), schedulers.end(),
                            link->address))
              schedulers.push_back(link->address);
            if (!options.quiet)
              llvm::errs() << "mars-worker " << link->id << ": joined the "
                           << "scheduler at " << link->address << "\n";
            tasks->add(link->connection->onDisconnect().then(
                [this, link] { linkLost(link, "its connection closed"); },
                [this, link](kj::Exception &&e) {
                  linkLost(link, describe(e));
                }));
            learn(r.getSchedulers());
          },
          [this, scheduler, link](kj::Exception &&e) -> void {
            joining.erase(scheduler);
            // Closed once this turn is over, not when the scheduler drops
            // the Worker it was given (that would be inside the
            // connection's own event).
            closeLater(*tasks, link->connection);
            // Another name of a scheduler joined already: never again.
            if (describe(e).find(kJoinedAlready) != std::string::npos)
              aliases.insert(scheduler);
            kj::throwFatalException(kj::mv(e));
          });
}

void WorkerState::learn(capnp::List<capnp::Text>::Reader members) {
  for (auto m : members) {
    std::string address = m.cStr();
    if (address.empty() ||
        std::count(schedulers.begin(), schedulers.end(), address))
      continue;
    schedulers.push_back(address);
    // Failures are retried every heartbeat (watch()).
    tasks->add(join(address).catch_([](kj::Exception &&) {}));
  }
}

void WorkerState::linkLost(const std::shared_ptr<SchedulerLink> &link,
                           const std::string &why) {
  auto it = links.find(link->address);
  if (it == links.end() || it->second != link)
    return;
  links.erase(it);
  // Closed once this turn is over: nothing of it is used then (its
  // WorkerImpl holds the link, not the connection).
  closeLater(*tasks, link->connection);
  auto now = kj::systemPreciseMonotonicClock().now();
  for (auto &[id, job] : jobs)
    if (job->owner == link->address && !job->orphaned)
      job->orphaned = now;
  // A scheduler being joined (one that came back) may yet answer.
  if (links.empty() && joining.empty())
    exit("mars-worker: lost the scheduler at " + link->address + " (" + why +
         ")" +
         (schedulers.size() > 1 ? ", the last of the cluster's schedulers"
                                : "") +
         "; exiting");
  if (!options.quiet)
    llvm::errs() << "mars-worker: lost the scheduler at " << link->address
                 << " (" << why << "); " << links.size()
                 << " other(s) remain; its jobs wait to be taken over\n";
}

} // namespace

/// Every heartbeat: joins schedulers not joined (a scheduler that came
/// back), drops those silent past their deadline, and exits when every one
/// is silent. A worker that no scheduler has pinged for longer than the
/// deadline (and a heartbeat more) was stopped or cut off: it has been
/// declared lost, its work recomputed elsewhere, and it is never given work
/// again; rather than live on silent and useless, holding memory, its
/// spill file and its port, it says so and exits, like a worker that loses
/// its schedulers. One scheduler silent while others ping was stopped or
/// cut off itself: the worker hangs up on it (so it cannot act on jobs
/// that moved while it was away) and joins it again when it answers.
static kj::Promise<void> watch(WorkerState &state) {
  return state.io.provider->getTimer()
      .afterDelay(state.heartbeatMs * kj::MILLISECONDS)
      .then([&state]() -> kj::Promise<void> {
        auto now = kj::systemPreciseMonotonicClock().now();
        kj::Duration deadline =
            (state.deadAfterMs + state.heartbeatMs) * kj::MILLISECONDS;
        std::vector<std::shared_ptr<SchedulerLink>> silent;
        kj::Duration quietest = 0 * kj::MILLISECONDS;
        for (auto &[address, link] : state.links) {
          kj::Duration quiet = now - link->lastPing;
          if (quiet > deadline)
            silent.push_back(link);
          quietest = std::max(quietest, quiet);
        }
        if (!state.links.empty() && silent.size() == state.links.size())
          state.exit("mars-worker: no heartbeat from the scheduler" +
                     std::string(state.links.size() > 1 ? "s" : "") +
                     " for " + std::to_string(quietest / kj::MILLISECONDS) +
                     " ms (a worker is declared lost after " +
                     std::to_string(state.deadAfterMs) +
                     " ms): this worker was declared lost and its work "
                     "computed elsewhere; exiting");
        for (auto &link : silent) {
          link->connection->hangUp();
          state.linkLost(link, "silent for " +
                                   std::to_string((now - link->lastPing) /
                                                  kj::MILLISECONDS) +
                                   " ms");
        }
        if (state.links.empty() && state.joining.empty())
          state.exit("mars-worker: lost every scheduler of the cluster and "
                     "none answers again; exiting");
        for (const std::string &address : state.schedulers)
          if (!state.links.count(address) && !state.aliases.count(address))
            state.tasks->add(
                state.join(address).catch_([](kj::Exception &&) {}));
        // Jobs no scheduler took over.
        std::vector<uint64_t> orphans;
        for (auto &[id, job] : state.jobs)
          if (job->orphaned &&
              now - *job->orphaned > static_cast<int64_t>(kOrphanSeconds) *
                                         kj::SECONDS)
            orphans.push_back(id);
        for (uint64_t id : orphans) {
          llvm::errs() << "mars-worker: job " << id << ": its scheduler was "
                       << "lost and no other took it over; dropping it\n";
          state.closeJob(id);
        }
        return watch(state);
      });
}

int mars::dist::runWorker(const WorkerOptions &options) {
  // Kernels' OpenMP threads must not spin between tasks (libomp's default
  // keeps them busy for 200 ms): a host runs several workers, and each
  // worker's pool threads, event loop and peers share the cores.
  ::setenv("KMP_BLOCKTIME", "0", /*overwrite=*/0);
  auto token = resolveToken(options.token, "");
  if (!token) {
    llvm::errs() << "mars-worker: " << llvm::toString(token.takeError())
                 << "\n";
    return 1;
  }
  auto io = kj::setupAsyncIo();
  auto state = std::make_unique<WorkerState>(options, io);
  state->token = *token;
  state->instance = randomId();
  auto tls = Tls::create(resolveTlsFiles(options.tls), /*serving=*/true,
                         io.provider->getTimer());
  if (!tls) {
    llvm::errs() << "mars-worker: " << llvm::toString(tls.takeError())
                 << "\n";
    return 1;
  }
  state->tls = std::move(*tls);
  LogErrors errors("mars-worker");
  kj::TaskSet tasks(errors);
  state->tasks = &tasks;
  kj::Own<kj::ConnectionReceiver> listener;
  std::vector<std::string> seeds = splitAddresses(options.scheduler);
  if (seeds.empty()) {
    llvm::errs() << "mars-worker: --scheduler names no scheduler\n";
    return 1;
  }
  try {
    listener =
        listenOn(io.provider->getNetwork(), options.listen).wait(io.waitScope);
    state->address = boundAddress(options.listen, listener->getPort());
    tasks.add(serve(*listener, kj::heap<PeerGateImpl>(*state), tasks,
                    state->tls.get()));
  } catch (kj::Exception &e) {
    llvm::errs() << "mars-worker: cannot listen on " << options.listen << ": "
                 << describe(e) << "\n";
    return 1;
  }
  // The first scheduler that answers; the others of the cluster are learnt
  // from it and joined in the background.
  std::string failures;
  for (const std::string &seed : seeds) {
    try {
      state->join(seed).wait(io.waitScope);
      break;
    } catch (kj::Exception &e) {
      failures += (failures.empty() ? "" : "; ") + seed + ": " + describe(e);
    }
  }
  if (state->links.empty()) {
    llvm::errs() << "mars-worker: cannot join the scheduler at "
                 << options.scheduler << ": " << failures << "\n";
    return 1;
  }
  for (const std::string &seed : seeds)
    if (!std::count(state->schedulers.begin(), state->schedulers.end(), seed))
      state->schedulers.push_back(seed);
  tasks.add(watch(*state));
  if (!options.quiet)
    llvm::errs() << "mars-worker: serving chunks on " << state->address
                 << (state->tls ? " (TLS)" : "") << ", " << state->threads
                 << " threads, memory limit " << formatByteSize(state->limit)
                 << "\n";
  // Serve until every scheduler is lost (WorkerState::exit).
  kj::NEVER_DONE.wait(io.waitScope);
}
