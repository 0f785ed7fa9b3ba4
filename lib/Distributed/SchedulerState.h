//===- SchedulerState.h - What mars-scheduler knows ---------------*- C++ -*-===//
//
// Private to lib/Distributed: the scheduler's state (workers, jobs, the
// state of every task and object of a job) and the Cluster that acts on it
// (Scheduler.cpp), which the RPC servers of SchedulerServer.cpp call.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_LIB_DISTRIBUTED_SCHEDULERSTATE_H
#define MARS_LIB_DISTRIBUTED_SCHEDULERSTATE_H

#include "Rpc.h"

#include "mars/Distributed/Cluster.h"
#include "mars/Distributed/Ring.h"

#include "llvm/Support/raw_ostream.h"

#include <capnp/message.h>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>

namespace mars::dist::sched {


/// Tasks in flight per worker thread (plus one): the worker queues them,
/// so a round trip and input fetches overlap computation.
constexpr int kSlotsPerThread = 2;
/// Most task records a traced job's reply carries (about 60 bytes each: the
/// reply stays well within a message's 64 MiB).
constexpr size_t kMaxTracedTasks = 500000;
/// Failed input fetches of one task (retried 100 ms apart) before its job
/// fails.
constexpr uint32_t kMaxInputFailures = 100;

inline kj::Duration duration(double seconds) {
  return static_cast<int64_t>(seconds * 1e3) * kj::MILLISECONDS;
}

struct WorkerInfo {
  uint32_t id = 0;
  std::string address;
  kj::Maybe<rpc::Worker::Client> cap;
  unsigned threads = 1;
  bool alive = true;
  /// Tasks sent to it whose outcome has not come back: (job, epoch, task,
  /// attempt). Their count is what its slots hold.
  std::set<std::tuple<uint64_t, uint32_t, uint32_t, uint32_t>> running;
  /// As of its last heartbeat.
  uint64_t bytesInMemory = 0, bytesSpilled = 0;
  /// Its chunk memory limit, tasks it finished and input bytes it fetched
  /// from peers (the dashboard).
  uint64_t memoryLimit = 0;
  /// Its process (JoinParams.instance).
  uint64_t instance = 0;
  int64_t tasksDone = 0;
  uint64_t bytesFetched = 0;
  /// Jobs (id, epoch) opened on it, and being opened.
  std::set<std::pair<uint64_t, uint32_t>> opened, opening;
};

enum class TaskState : uint8_t { Blocked, Ready, Running, Done };

struct TaskInfo {
  TaskState state = TaskState::Blocked;
  int32_t worker = -1;
  /// While ready: the worker whose queue holds it (-1: `ready`).
  int32_t queue = -1;
  uint32_t attempt = 0;
  uint32_t inputFailures = 0;
};

struct ObjectInfo {
  llvm::SmallVector<uint32_t, 2> holders;
  int64_t readersLeft = 0;
  bool result = false;
};

struct JobState {
  /// Chosen by the client; the same on every scheduler that owns it.
  uint64_t id = 0;
  /// 1 when first submitted; each takeover by another scheduler (or a
  /// resubmission) raises it. Workers refuse calls of an older epoch.
  uint32_t epoch = 1;
  /// A takeover (epoch > 1) learns from the workers which objects of the
  /// job they hold before anything is dispatched: while `recovering`,
  /// `opensPending` open replies are awaited.
  bool recovering = false;
  int opensPending = 0;
  /// Save tasks (no output object) that workers reported run.
  std::set<uint32_t> saved;
  capnp::MallocMessageBuilder spec;
  std::shared_ptr<JobProgram> program;
  /// program->graph, once built.
  TaskGraph *graph = nullptr;
  std::vector<TaskInfo> tasks;
  std::vector<ObjectInfo> objects;
  /// Ready tasks by depth-first position: per worker, those that prefer it
  /// (placed there, or most of their input bytes are there); `ready`, those
  /// that prefer no worker.
  using ReadySet = std::set<std::pair<uint64_t, uint32_t>>;
  std::map<uint32_t, ReadySet> readyOn;
  ReadySet ready;
  /// Initial tasks: the worker they are placed on.
  std::map<uint32_t, uint32_t> placed;
  int64_t done = 0;
  /// Its progress loop runs (reportProgress), and retries in progress: a
  /// finished job reports progress while a retry recomputes lost results.
  bool reporting = false;
  int retrying = 0;
  bool finished = false;
  std::string error;
  kj::Own<kj::PromiseFulfiller<void>> fulfiller;
  kj::ForkedPromise<void> finishedPromise = nullptr;
  kj::Maybe<rpc::JobListener::Client> listener;
  /// When it was submitted and finished (the dashboard).
  std::chrono::steady_clock::time_point submitted, ended;
  /// The client traces the job (JobSpec.trace): every task's run, in the
  /// order the replies came.
  bool traced = false;
  struct TracedTask {
    uint32_t task, worker, thread;
    int64_t received, fetched, started, ended;
    uint64_t fetchedBytes;
  };
  std::vector<TracedTask> trace;
  /// Traced tasks past kMaxTracedTasks: counted, not kept.
  uint64_t traceDropped = 0;
  // Statistics.
  int64_t tasksRun = 0, recomputed = 0, workersLost = 0;
  uint64_t bytesFetched = 0, bytesSpilled = 0;
  std::map<uint32_t, int64_t> tasksPerWorker;
};

class Cluster {
public:
  Cluster(const SchedulerOptions &options, kj::AsyncIoContext &io)
      : options(options), io(io), tasks(errors) {}

  const SchedulerOptions &options;
  kj::AsyncIoContext &io;
  LogErrors errors{"mars-scheduler"};
  kj::TaskSet tasks;
  std::string token;
  /// Never shrinks: a worker's number is its index.
  std::deque<WorkerInfo> workers;
  std::map<uint64_t, std::shared_ptr<JobState>> jobs;

  /// The schedulers of the cluster (this one is `self`, the address it
  /// listens on) on the consistent-hash ring that places jobs, and this
  /// one's view of the others: up while they answer its greetings.
  std::string self;
  /// A random number naming this process (JoinResults.instance): a member
  /// that answers with it is another address of this scheduler.
  uint64_t instance = 0;
  std::set<std::string> aliases;
  HashRing ring;
  /// TLS on connections to other schedulers (null: plain TCP).
  Tls *tls = nullptr;
  struct Peer {
    kj::Own<Connection> connection;
    kj::Maybe<rpc::SchedulerGate::Client> gate;
    bool up = false, greeting = false;
    kj::TimePoint lastHeard = kj::origin<kj::TimePoint>();
  };
  std::map<std::string, Peer> peers;
  /// Adds schedulers named by a peer, a worker or the command line.
  void learn(llvm::ArrayRef<std::string> members);
  bool up(llvm::StringRef member) const;
  /// The scheduler that owns job `id` in this one's view, leaving out
  /// `exclude` (this one is always eligible).
  std::string ownerOf(uint64_t id, const std::set<std::string> &exclude) const;
  /// Greets every other scheduler now and every heartbeat after.
  kj::Promise<void> greetLoop();
  void greet(const std::string &member);
  /// Fills the list `init(n)` makes with the members, aliases of this
  /// scheduler left out.
  template <typename Init> void listMembers(Init init) const {
    std::vector<std::string> members;
    for (const std::string &m : ring.members())
      if (!aliases.count(m))
        members.push_back(m);
    auto list = init(members.size());
    for (size_t i = 0; i < members.size(); ++i)
      list.set(i, members[i]);
  }
  /// $MARS_CLUSTER_TRACE set: a log line per task started and finished.
  bool trace = std::getenv("MARS_CLUSTER_TRACE") != nullptr;

  /// What the dashboard shows beyond the workers and jobs (recorded only
  /// while one is served): the last tasks run, and jobs closed lately.
  bool dashboard = false;
  std::chrono::steady_clock::time_point startTime =
      std::chrono::steady_clock::now();
  struct TaskEvent {
    uint64_t job;
    uint32_t worker;
    /// Index into opNames.
    uint32_t op;
    const char *kind;
    /// Seconds since startTime: sent to the worker, and its reply back.
    double start, end;
    uint64_t fetchedBytes;
    bool failed;
  };
  std::deque<TaskEvent> recentTasks;
  static constexpr size_t kRecentTasks = 20000;
  /// Names of the ops tasks belong to (traceName), interned, and the name
  /// of each (job, op).
  std::vector<std::string> opNames;
  std::map<std::string, uint32_t> opIds;
  std::map<std::pair<uint64_t, uint32_t>, uint32_t> jobOpIds;
  /// (job, task) -> when it was sent to its worker, while it runs.
  std::map<std::pair<uint64_t, uint32_t>, double> runningSince;
  struct JobSummary {
    uint64_t id;
    std::string state, error;
    int64_t done, total, tasksRun, recomputed, workersLost;
    uint64_t bytesFetched, bytesSpilled;
    double submitted, seconds;
  };
  std::deque<JobSummary> closedJobs;
  static constexpr size_t kClosedJobs = 20;
  double secondsSinceStart(std::chrono::steady_clock::time_point t) const {
    return std::chrono::duration<double>(t - startTime).count();
  }
  /// The dashboard's view of a job, live or closed.
  JobSummary summarize(const JobState &job) const;
  /// Records a task's end for the dashboard.
  void recordTask(const JobState &job, uint32_t t, uint32_t w,
                  uint64_t fetchedBytes, bool failed);

  void log(const llvm::Twine &line) {
    if (!options.quiet)
      llvm::errs() << "mars-scheduler: " << line << "\n";
  }

  /// A worker joins; `instance` names its process, `linkedHere` says it
  /// is still joined to this scheduler (JoinParams).
  uint32_t addWorker(std::string address, unsigned threads, uint64_t memory,
                     rpc::Worker::Client cap, uint64_t instance,
                     bool linkedHere);
  kj::Promise<void> heartbeat(uint32_t w);
  void workerLost(uint32_t w, const std::string &why);
  /// Pings worker `w` now rather than at its next heartbeat; declares it lost
  /// if it does not answer in time.
  kj::Promise<void> check(uint32_t w, const std::string &why);
  /// A finished job lost a result its client has not fetched yet: it runs
  /// again until every result is held.
  void reopen(const std::shared_ptr<JobState> &job);
  void open(std::shared_ptr<JobState> job, uint32_t w);
  void callFailed(JobState &job, uint32_t w, const kj::Exception &e);

  /// Job `id` at `epoch`; a job of that id held here at a lower epoch
  /// (its client lost this scheduler for a while and came back) is
  /// superseded.
  std::shared_ptr<JobState> submit(rpc::JobSpec::Reader spec,
                                   kj::Maybe<rpc::JobListener::Client> listener,
                                   uint64_t id, uint32_t epoch);
  /// Takeover: tells every worker the job's new epoch at once, so that a
  /// former owner that comes back can no longer act on it.
  void claim(const JobState &job);
  /// Takeover: with every worker's held objects and saves known, decides
  /// which tasks must run (those whose outputs a result or a pending save
  /// needs and no worker holds, recursively), frees what nothing needs and
  /// dispatches.
  void recover(const std::shared_ptr<JobState> &job);
  /// Initial tasks among those not done, in depth-first order, placed on
  /// the live workers in contiguous runs.
  void placeInitial(JobState &job);
  /// Parses and enumerates a job (on a thread of its own).
  static LoadedProgram build(rpc::JobSpec::Reader spec);
  /// Places the job's initial tasks and opens it on the workers.
  void startJob(std::shared_ptr<JobState> job);
  void failJob(JobState &job, const std::string &message);
  void finishJob(JobState &job);
  void closeJob(uint64_t id);
  /// Closes `job` if it is still the one held under its id.
  void closeJob(const std::shared_ptr<JobState> &job);
  kj::Promise<void> reportProgress(std::shared_ptr<JobState> job);

  bool available(const JobState &job, uint32_t object) const {
    for (uint32_t w : job.objects[object].holders)
      if (workers[w].alive)
        return true;
    return false;
  }
  void checkReady(JobState &job, uint32_t t);
  int32_t preferredWorker(const JobState &job, uint32_t t) const;
  void require(JobState &job, uint32_t object);
  void release(JobState &job, uint32_t object);
  void flushFrees();
  /// Objects to free, per (worker, job).
  std::map<std::pair<uint32_t, uint64_t>, std::vector<uint32_t>> pendingFrees;
  bool flushQueued = false;
  void dispatch();
  bool dispatch(JobState &job);
  /// Starts task `t` on worker `w`: queued, and sent with the other tasks
  /// started on `w` for the job in this turn of the event loop, in one
  /// message (flushRuns).
  void start(std::shared_ptr<JobState> job, uint32_t t, uint32_t w);
  struct PendingRun {
    uint32_t task, attempt;
    uint64_t reserve;
    std::vector<std::pair<uint32_t, uint32_t>> inputs; // (object, worker)
  };
  std::map<std::pair<uint32_t, std::shared_ptr<JobState>>,
           std::vector<PendingRun>>
      pendingRuns;
  bool runsQueued = false;
  void flushRuns();
  /// A task's outcome from worker `w` (TaskSink); the caller dispatches
  /// once the message's outcomes are applied.
  void completed(uint32_t w, rpc::TaskDone::Reader done);
  void completed(std::shared_ptr<JobState> job, uint32_t t, uint32_t w,
                 uint32_t attempt, rpc::RunResult::Reader result);
  /// Where each live worker reports its tasks' outcomes (made at join,
  /// dropped when it is lost).
  std::map<uint32_t, rpc::TaskSink::Client> sinks;
  /// Made by the RPC face (SchedulerServer.cpp): worker `w`'s TaskSink.
  std::function<rpc::TaskSink::Client(uint32_t)> makeSink;
};


/// Serves the dashboard (Dashboard.cpp) on `listener`: the page and the
/// cluster's state as JSON. With `requireToken`, every request must carry
/// the cluster token (?token=...). With `tls`, it is https.
kj::Promise<void> serveDashboard(Cluster &cluster,
                                 kj::Own<kj::ConnectionReceiver> listener,
                                 bool requireToken, Tls *tls);

} // namespace mars::dist::sched

#endif // MARS_LIB_DISTRIBUTED_SCHEDULERSTATE_H
