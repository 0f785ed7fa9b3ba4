//===- SchedulerServer.cpp - mars-scheduler's RPC face ---------------------===//
//
// The capabilities mars-scheduler serves (the gate workers and clients
// connect through, a job's handle) and its event loop, over the Cluster of
// Scheduler.cpp.
//
//===----------------------------------------------------------------------===//

#include "SchedulerState.h"

#include "llvm/ADT/StringExtras.h"

#include "llvm/Support/FileSystem.h"


using namespace mars;
using namespace mars::dist;
using namespace mars::dist::sched;

namespace {

class JobImpl final : public rpc::Job::Server {
public:
  JobImpl(Cluster &cluster, std::shared_ptr<JobState> job)
      : cluster(cluster), job(std::move(job)) {}
  ~JobImpl() { cluster.closeJob(job); }

  kj::Promise<void> wait(WaitContext context) override {
    return job->finishedPromise.addBranch().then([this, context]() mutable {
      answer(context.getResults().initResults());
    });
  }

  kj::Promise<void> retry(RetryContext context) override {
    // Progress goes on while the holders are checked and lost results
    // computed again: the client takes silence for a lost scheduler.
    ++job->retrying;
    if (!job->reporting)
      cluster.tasks.add(cluster.reportProgress(job));
    std::set<uint32_t> suspects;
    for (uint32_t o : context.getParams().getObjects())
      if (job->graph && o < job->objects.size())
        for (uint32_t h : job->objects[o].holders)
          suspects.insert(h);
    kj::Vector<kj::Promise<void>> checks;
    for (uint32_t w : suspects)
      checks.add(cluster.check(w, "a client could not fetch a result from it"));
    std::shared_ptr<JobState> held = job;
    return kj::joinPromises(checks.releaseAsArray())
        .then([this]() { return job->finishedPromise.addBranch(); })
        .then([this, context]() mutable {
          answer(context.getResults().initResults());
        })
        .attach(kj::defer([held] { --held->retrying; }));
  }

private:
  /// The job's outcome and statistics; for each result chunk, a live worker
  /// that holds it.
  void answer(rpc::JobResults::Builder results) {
    results.setJob(job->id);
    auto stats = results.initStats();
    stats.setTasks(job->tasksRun);
    stats.setRecomputed(job->recomputed);
    stats.setWorkersLost(job->workersLost);
    stats.setWorkers(job->tasksPerWorker.size());
    stats.setBytesFetched(job->bytesFetched);
    stats.setBytesSpilled(job->bytesSpilled);
    auto perWorker = stats.initTasksPerWorker(job->tasksPerWorker.size());
    size_t k = 0;
    for (auto [w, n] : job->tasksPerWorker)
      perWorker.set(k++, n);
    if (job->traced && job->graph) {
      auto ops = results.initTraceOps(job->graph->numOps());
      for (uint32_t i = 0; i < job->graph->numOps(); ++i)
        ops.set(i, chunked::traceName(job->graph->op(i)));
      results.setTraceDropped(job->traceDropped);
      auto trace = results.initTrace(job->trace.size());
      for (auto [i, r] : llvm::enumerate(job->trace)) {
        const GraphTask &task = job->graph->tasks()[r.task];
        auto out = trace[i];
        out.setTask(r.task);
        out.setReceived(r.received);
        out.setFetched(r.fetched);
        out.setStarted(r.started);
        out.setEnded(r.ended);
        out.setThread(r.thread);
        out.setFetchedBytes(r.fetchedBytes);
        out.setWorker(r.worker);
        out.setOp(task.op);
        out.setKind(static_cast<uint8_t>(task.kind));
        out.setChunk(task.chunk);
      }
    }
    if (!job->error.empty()) {
      results.setFailed(job->error);
      return;
    }
    const auto &rs = job->graph->results();
    auto list = results.initOk(rs.size());
    for (size_t i = 0; i < rs.size(); ++i) {
      auto chunks = list.init(i, rs[i].chunks.size());
      for (size_t c = 0; c < rs[i].chunks.size(); ++c) {
        uint32_t o = rs[i].chunks[c];
        chunks[c].setObject(o);
        for (uint32_t h : job->objects[o].holders)
          if (cluster.workers[h].alive) {
            chunks[c].setAddress(cluster.workers[h].address);
            break;
          }
      }
    }
  }

  Cluster &cluster;
  std::shared_ptr<JobState> job;
};

/// Where worker `w` reports finished tasks.
class TaskSinkImpl final : public rpc::TaskSink::Server {
public:
  TaskSinkImpl(Cluster &cluster, uint32_t w) : cluster(cluster), w(w) {}

  kj::Promise<void> done(DoneContext context) override {
    for (auto done : context.getParams().getTasks())
      cluster.completed(w, done);
    cluster.dispatch();
    return kj::READY_NOW;
  }

private:
  Cluster &cluster;
  uint32_t w;
};

class GateImpl final : public rpc::SchedulerGate::Server {
public:
  explicit GateImpl(Cluster &cluster) : cluster(cluster) {}

  kj::Promise<void> join(JoinContext context) override {
    auto params = context.getParams();
    checkToken(cluster.token, params.getToken(), "mars-scheduler");
    checkLibm(params.getLibm(), "mars-scheduler", "worker");
    bool linkedHere = false;
    for (uint64_t i : params.getLinked())
      linkedHere |= i == cluster.instance;
    uint32_t id = cluster.addWorker(params.getAddress(), params.getThreads(),
                                    params.getMemoryLimit(),
                                    params.getWorker(), params.getInstance(),
                                    linkedHere);
    context.getResults().setInstance(cluster.instance);
    context.getResults().setId(id);
    context.getResults().setHeartbeatMillis(
        static_cast<uint64_t>(cluster.options.heartbeatSeconds * 1000));
    context.getResults().setDeadAfterMillis(
        static_cast<uint64_t>(cluster.options.deadAfterSeconds * 1000));
    cluster.listMembers(
        [&](unsigned n) { return context.getResults().initSchedulers(n); });
    return kj::READY_NOW;
  }

  kj::Promise<void> submit(SubmitContext context) override {
    auto params = context.getParams();
    checkToken(cluster.token, params.getToken(), "mars-scheduler");
    auto results = context.getResults();
    cluster.listMembers(
        [&](unsigned n) { return results.initSchedulers(n); });
    results.setDeadAfterMillis(
        static_cast<uint64_t>(cluster.options.deadAfterSeconds * 1000));
    uint64_t id = params.getId();
    KJ_REQUIRE(id != 0, "a job needs an id (the client chooses it)");
    uint32_t epoch = std::max<uint32_t>(1, params.getEpoch());
    std::set<std::string> exclude;
    for (auto e : params.getExclude())
      exclude.insert(e.cStr());
    std::string owner = cluster.ownerOf(id, exclude);
    if (owner != cluster.self) {
      results.setRedirect(owner);
      return kj::READY_NOW;
    }
    checkLibm(params.getSpec().getLibm(), "mars-scheduler", "client");
    if (auto it = cluster.jobs.find(id);
        it != cluster.jobs.end() && it->second->epoch >= epoch)
      KJ_FAIL_REQUIRE("job is already running here at this epoch or later",
                      id, epoch);
    kj::Maybe<rpc::JobListener::Client> listener;
    if (params.hasListener())
      listener = params.getListener();
    auto job = cluster.submit(params.getSpec(), kj::mv(listener), id, epoch);
    results.setJob(kj::heap<JobImpl>(cluster, job));
    return kj::READY_NOW;
  }

  kj::Promise<void> hello(HelloContext context) override {
    auto params = context.getParams();
    checkToken(cluster.token, params.getToken(), "mars-scheduler");
    std::vector<std::string> members{params.getAddress().cStr()};
    for (auto m : params.getSchedulers())
      members.push_back(m.cStr());
    cluster.learn(members);
    cluster.listMembers(
        [&](unsigned n) { return context.getResults().initSchedulers(n); });
    context.getResults().setInstance(cluster.instance);
    return kj::READY_NOW;
  }

private:
  Cluster &cluster;
};


} // namespace


int mars::dist::runScheduler(const SchedulerOptions &options) {
  auto token = resolveToken(options.token, "");
  if (!token) {
    llvm::errs() << "mars-scheduler: " << llvm::toString(token.takeError())
                 << "\n";
    return 1;
  }
  auto io = kj::setupAsyncIo();
  Cluster cluster(options, io);
  cluster.token = *token;
  auto tls = Tls::create(resolveTlsFiles(options.tls), /*serving=*/true,
                         io.provider->getTimer());
  if (!tls) {
    llvm::errs() << "mars-scheduler: " << llvm::toString(tls.takeError())
                 << "\n";
    return 1;
  }
  kj::Own<kj::ConnectionReceiver> listener;
  try {
    listener =
        listenOn(io.provider->getNetwork(), options.listen).wait(io.waitScope);
  } catch (kj::Exception &e) {
    llvm::errs() << "mars-scheduler: cannot listen on " << options.listen
                 << ": " << describe(e) << "\n";
    return 1;
  }
  std::string address = boundAddress(options.listen, listener->getPort());
  if (!options.addressFile.empty()) {
    // Written whole, then renamed: a script polling for it never reads half.
    std::string tmp = options.addressFile + ".tmp";
    {
      std::error_code ec;
      llvm::raw_fd_ostream os(tmp, ec);
      if (ec) {
        llvm::errs() << "mars-scheduler: cannot write '" << tmp
                     << "': " << ec.message() << "\n";
        return 1;
      }
      os << address << "\n";
    }
    if (std::error_code ec = llvm::sys::fs::rename(tmp, options.addressFile)) {
      llvm::errs() << "mars-scheduler: cannot write '" << options.addressFile
                   << "': " << ec.message() << "\n";
      return 1;
    }
  }
  cluster.log("listening on " + address + (*tls ? " (TLS)" : ""));
  // The ring: this scheduler, and whichever others it is told of and
  // learns from them.
  cluster.self = address;
  cluster.makeSink = [&cluster](uint32_t w) -> rpc::TaskSink::Client {
    return kj::heap<TaskSinkImpl>(cluster, w);
  };
  cluster.instance = randomId();
  cluster.tls = tls->get();
  cluster.ring.add(address);
  cluster.learn(options.join);
  cluster.tasks.add(cluster.greetLoop());
  cluster.tasks.add(
      serve(*listener, kj::heap<GateImpl>(cluster), cluster.tasks, tls->get()));
  if (!options.dashboard.empty()) {
    // A bare port means loopback.
    std::string where = options.dashboard;
    if (llvm::all_of(where, [](char c) { return llvm::isDigit(c); }))
      where = "127.0.0.1:" + where;
    llvm::StringRef host = llvm::StringRef(where).rsplit(':').first;
    bool loopback = host.starts_with("127.") || host == "localhost" ||
                    host == "[::1]" || host == "::1";
    kj::Own<kj::ConnectionReceiver> page;
    try {
      page = listenOn(io.provider->getNetwork(), where).wait(io.waitScope);
    } catch (kj::Exception &e) {
      llvm::errs() << "mars-scheduler: cannot serve the dashboard on " << where
                   << ": " << describe(e) << "\n";
      return 1;
    }
    std::string url = std::string(*tls ? "https://" : "http://") +
                      boundAddress(where, page->getPort()) + "/";
    cluster.log("dashboard on " + url +
                (loopback ? "" : " (open it with ?token=THE_CLUSTER_TOKEN)"));
    cluster.tasks.add(
        serveDashboard(cluster, kj::mv(page), !loopback, tls->get()));
  }
  kj::NEVER_DONE.wait(io.waitScope);
}
