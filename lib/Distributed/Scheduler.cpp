//===- Scheduler.cpp - mars-scheduler: places chunk tasks on workers ------===//
//
// One event loop. For each job the scheduler holds the task graph (built
// from the program text, as every worker builds it), the state of every
// task, and for every object the workers that hold it and how many tasks
// still read it. It never touches chunk data.
//
// Placement (the seed's two principles, and locality):
//  * initial tasks (no inputs: creation, random, load), taken in depth-first
//    order, go to the workers in contiguous runs, so initial chunks that
//    feed one consumer are made on one worker;
//  * ready tasks start earliest depth-first position first, so every worker
//    frees memory early;
//  * a task goes to the worker holding most of its input bytes while that
//    worker has a free slot; a worker with no work left takes (steals) the
//    earliest ready task wherever its inputs are.
//
// Faults: a worker whose connection drops or that misses heartbeats is
// dead; its running tasks go back to the ready list and every object only
// it held that is still needed is recomputed from its lineage (its producer
// runs again, and recursively any of that task's inputs that are gone).
//
//===----------------------------------------------------------------------===//

#include "SchedulerState.h"

#include "mars/Support/ByteSize.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/FileSystem.h"

#include <thread>

using namespace mars;
using namespace mars::dist;

namespace mars::dist::sched {

uint32_t Cluster::addWorker(std::string address, unsigned threads,
                            uint64_t memory, rpc::Worker::Client cap,
                            uint64_t instance, bool linkedHere) {
  for (WorkerInfo &other : workers)
    if (other.alive && instance != 0 && other.instance == instance) {
      if (linkedHere)
        KJ_FAIL_REQUIRE(kJoinedAlready, other.address);
      workerLost(other.id, "it joined again");
    }
  uint32_t w = workers.size();
  WorkerInfo &info = workers.emplace_back();
  info.id = w;
  info.address = std::move(address);
  info.threads = std::max(1u, threads);
  info.memoryLimit = memory;
  info.instance = instance;
  info.cap = kj::mv(cap);
  sinks.emplace(w, makeSink(w));
  log("worker " + llvm::Twine(w) + " joined from " + workers[w].address +
      " (" + llvm::Twine(workers[w].threads) + " threads, memory limit " +
      formatByteSize(memory) + ")");
  tasks.add(heartbeat(w));
  for (auto &[id, job] : jobs)
    if (!job->finished && job->graph)
      open(job, w);
  return w;
}

void Cluster::learn(llvm::ArrayRef<std::string> members) {
  for (const std::string &m : members)
    if (ring.add(m) && m != self) {
      log("scheduler " + m + " is a member of the ring (" +
          llvm::Twine(ring.members().size()) + " schedulers)");
      greet(m);
    }
}

bool Cluster::up(llvm::StringRef member) const {
  if (member == self || aliases.count(member.str()))
    return true;
  auto it = peers.find(member.str());
  return it != peers.end() && it->second.up;
}

std::string Cluster::ownerOf(uint64_t id,
                             const std::set<std::string> &exclude) const {
  auto isSelf = [&](llvm::StringRef m) {
    return m == self || aliases.count(m.str());
  };
  auto owner = ring.owner(id, [&](llvm::StringRef m) {
    return isSelf(m) || (up(m) && !exclude.count(m.str()));
  });
  return owner && !isSelf(*owner) ? *owner : self;
}

kj::Promise<void> Cluster::greetLoop() {
  for (const std::string &m : ring.members())
    if (m != self)
      greet(m);
  return io.provider->getTimer()
      .afterDelay(duration(options.heartbeatSeconds))
      .then([this] { return greetLoop(); });
}

void Cluster::greet(const std::string &member) {
  Peer &peer = peers[member];
  if (peer.greeting || aliases.count(member))
    return;
  // Silent past the deadline (stopped, cut off): down until it answers.
  auto now = io.provider->getTimer().now();
  if (peer.up && now - peer.lastHeard > duration(options.deadAfterSeconds)) {
    peer.up = false;
    log("scheduler " + member + " is silent; its jobs move on the ring");
  }
  peer.greeting = true;
  kj::Promise<rpc::SchedulerGate::Client> gate = nullptr;
  KJ_IF_MAYBE (g, peer.gate) {
    gate = *g;
  } else {
    gate = connectTo(io.provider->getNetwork(), member, tls)
               .then([this, member](kj::Own<kj::AsyncIoStream> stream) {
                 Peer &peer = peers[member];
                 peer.connection = kj::heap<Connection>(kj::mv(stream));
                 auto g = peer.connection->bootstrap<rpc::SchedulerGate>();
                 peer.gate = g;
                 return g;
               });
  }
  auto hello = gate.then([this](rpc::SchedulerGate::Client g) {
    auto request = g.helloRequest();
    request.setToken(token);
    request.setAddress(self);
    listMembers([&](unsigned n) { return request.initSchedulers(n); });
    return request.send();
  });
  tasks.add(io.provider->getTimer()
                .timeoutAfter(duration(options.deadAfterSeconds), kj::mv(hello))
                .then(
                    [this, member](
                        capnp::Response<rpc::SchedulerGate::HelloResults> &&r) {
                      Peer &peer = peers[member];
                      peer.greeting = false;
                      if (r.getInstance() == instance) {
                        // This scheduler under another name: never a peer.
                        aliases.insert(member);
                        peer.up = false;
                        log(member + " is this scheduler (another address "
                                     "of it)");
                        return;
                      }
                      peer.lastHeard = io.provider->getTimer().now();
                      if (!peer.up)
                        log("scheduler " + member + " is up");
                      peer.up = true;
                      std::vector<std::string> members;
                      for (auto m : r.getSchedulers())
                        members.push_back(m.cStr());
                      learn(members);
                    },
                    [this, member](kj::Exception &&e) {
                      Peer &peer = peers[member];
                      peer.greeting = false;
                      // Reconnect at the next greeting. A refused or
                      // dropped connection is a scheduler gone now; a
                      // slow answer counts against its deadline.
                      peer.gate = nullptr;
                      // Closed once this turn is over (the failed call's
                      // promises are gone then): a member that stays away
                      // costs no socket per greeting.
                      closeLater(tasks, peer.connection);
                      if (peer.up &&
                          e.getType() == kj::Exception::Type::DISCONNECTED) {
                        peer.up = false;
                        log("scheduler " + member + " is gone (" +
                            describe(e) + "); its jobs move on the ring");
                      }
                    }));
}

kj::Promise<void> Cluster::heartbeat(uint32_t w) {
  if (!workers[w].alive)
    return kj::READY_NOW;
  auto &timer = io.provider->getTimer();
  rpc::Worker::Client cap = KJ_ASSERT_NONNULL(workers[w].cap);
  auto pingRequest = cap.pingRequest();
  listMembers(
      [&](unsigned n) { return pingRequest.initSchedulers(n); });
  auto ping = pingRequest.send().then(
      [this, w](capnp::Response<rpc::Worker::PingResults> &&r) {
        workers[w].bytesInMemory = r.getBytesInMemory();
        workers[w].bytesSpilled = r.getBytesSpilled();
      });
  return timer
      .timeoutAfter(duration(options.deadAfterSeconds), kj::mv(ping))
      .then(
          [this, w, &timer]() {
            return timer.afterDelay(duration(options.heartbeatSeconds))
                .then([this, w] { return heartbeat(w); });
          },
          [this, w](kj::Exception &&e) {
            workerLost(w, "no heartbeat: " + describe(e));
          });
}

void Cluster::workerLost(uint32_t w, const std::string &why) {
  WorkerInfo &info = workers[w];
  if (!info.alive)
    return;
  info.alive = false;
  info.running.clear();
  info.cap = nullptr;
  sinks.erase(w);
  // Takeovers waiting for its answer go on without it.
  std::vector<std::shared_ptr<JobState>> answered;
  for (auto &[id, job] : jobs)
    if (job->recovering && info.opening.erase({job->id, job->epoch}) &&
        --job->opensPending == 0)
      answered.push_back(job);
  log("worker " + llvm::Twine(w) + " at " + info.address + " lost (" + why +
      "); recomputing what only it held");
  for (auto &[id, jobPtr] : jobs) {
    JobState &job = *jobPtr;
    // A job being taken over counts only live holders once every worker
    // has answered (recover()).
    if (!job.graph || !job.error.empty() || job.recovering)
      continue;
    if (job.finished) {
      // Done, and its client fetches the results now or soon: a result only
      // this worker held is computed again.
      bool lost = false;
      for (const auto &r : job.graph->results())
        for (uint32_t o : r.chunks) {
          const auto &holders = job.objects[o].holders;
          lost |= holders.size() == 1 && holders.front() == w;
        }
      if (!lost)
        continue;
      reopen(jobPtr);
    }
    ++job.workersLost;
    // Initial tasks placed on it go elsewhere.
    for (auto &[t, worker] : job.placed)
      if (worker == w)
        worker = UINT32_MAX;
    for (uint32_t t = 0; t < job.tasks.size(); ++t)
      if (job.tasks[t].state == TaskState::Running &&
          job.tasks[t].worker == static_cast<int32_t>(w))
        job.tasks[t].state = TaskState::Blocked;
    for (auto [order, t] : job.readyOn[w])
      job.tasks[t].state = TaskState::Blocked;
    job.readyOn.erase(w);
    for (uint32_t o = 0; o < job.objects.size(); ++o) {
      ObjectInfo &obj = job.objects[o];
      auto it = llvm::find(obj.holders, w);
      if (it == obj.holders.end())
        continue;
      obj.holders.erase(it);
      if (obj.holders.empty() && (obj.readersLeft > 0 || obj.result))
        require(job, o);
    }
    for (uint32_t t = 0; t < job.tasks.size(); ++t)
      checkReady(job, t);
  }
  for (auto &job : answered)
    if (!job->finished)
      recover(job);
  dispatch();
}

kj::Promise<void> Cluster::check(uint32_t w, const std::string &why) {
  if (!workers[w].alive)
    return kj::READY_NOW;
  rpc::Worker::Client cap = KJ_ASSERT_NONNULL(workers[w].cap);
  auto ping = cap.pingRequest().send().ignoreResult();
  return io.provider->getTimer()
      .timeoutAfter(duration(options.deadAfterSeconds), kj::mv(ping))
      .catch_([this, w, why](kj::Exception &&e) {
        workerLost(w, why + ", and it does not answer: " + describe(e));
      });
}

void Cluster::reopen(const std::shared_ptr<JobState> &job) {
  job->finished = false;
  if (!job->reporting)
    tasks.add(reportProgress(job));
  auto paf = kj::newPromiseAndFulfiller<void>();
  job->fulfiller = kj::mv(paf.fulfiller);
  job->finishedPromise = paf.promise.fork();
  log("job " + llvm::Twine(job->id) +
      ": a result its client has not fetched was lost; computing it again");
  for (const WorkerInfo &info : workers)
    open(job, info.id);
}

void Cluster::checkReady(JobState &job, uint32_t t) {
  TaskInfo &info = job.tasks[t];
  if (info.state != TaskState::Blocked)
    return;
  for (uint32_t in : job.graph->tasks()[t].inputs)
    if (!available(job, in))
      return;
  info.state = TaskState::Ready;
  info.queue = options.localityBlind ? -1 : preferredWorker(job, t);
  auto entry = std::make_pair(job.graph->tasks()[t].order, t);
  if (info.queue < 0)
    job.ready.insert(entry);
  else
    job.readyOn[info.queue].insert(entry);
}

int32_t Cluster::preferredWorker(const JobState &job, uint32_t t) const {
  auto placed = job.placed.find(t);
  if (placed != job.placed.end())
    return placed->second != UINT32_MAX && workers[placed->second].alive
               ? static_cast<int32_t>(placed->second)
               : -1;
  // The worker holding most of its input bytes.
  std::map<uint32_t, uint64_t> local;
  for (uint32_t in : job.graph->tasks()[t].inputs)
    for (uint32_t w : job.objects[in].holders)
      if (workers[w].alive)
        local[w] += job.graph->objects()[in].bytes;
  int32_t preferred = -1;
  uint64_t best = 0;
  for (auto [w, bytes] : local)
    if (bytes > best) {
      best = bytes;
      preferred = w;
    }
  return preferred;
}

void Cluster::require(JobState &job, uint32_t object) {
  uint32_t p = job.graph->objects()[object].producer;
  TaskInfo &info = job.tasks[p];
  if (info.state != TaskState::Done)
    return; // On its way.
  info.state = TaskState::Blocked;
  --job.done;
  ++job.recomputed;
  for (uint32_t in : job.graph->tasks()[p].inputs) {
    ++job.objects[in].readersLeft;
    if (!available(job, in))
      require(job, in);
  }
  checkReady(job, p);
}

void Cluster::release(JobState &job, uint32_t object) {
  ObjectInfo &obj = job.objects[object];
  if (obj.readersLeft > 0 || obj.result)
    return;
  // Frees go out in one message per worker and job, once this turn of the
  // event loop is done.
  for (uint32_t w : obj.holders)
    if (workers[w].alive)
      pendingFrees[{w, job.id}].push_back(object);
  obj.holders.clear();
  if (!flushQueued && !pendingFrees.empty()) {
    flushQueued = true;
    tasks.add(kj::evalLater([this] { flushFrees(); }));
  }
}

void Cluster::flushFrees() {
  flushQueued = false;
  for (auto &[key, objects] : pendingFrees) {
    auto [w, job] = key;
    if (!workers[w].alive)
      continue;
    auto it = jobs.find(job);
    if (it == jobs.end())
      continue; // Closed: the workers dropped all of it.
    rpc::Worker::Client cap = KJ_ASSERT_NONNULL(workers[w].cap);
    auto request = cap.freeRequest();
    request.setJob(job);
    request.setEpoch(it->second->epoch);
    auto list = request.initObjects(objects.size());
    for (size_t i = 0; i < objects.size(); ++i)
      list.set(i, objects[i]);
    tasks.add(request.send().ignoreResult().catch_([](kj::Exception &&) {}));
  }
  pendingFrees.clear();
}

void Cluster::open(std::shared_ptr<JobState> job, uint32_t w) {
  WorkerInfo &info = workers[w];
  std::pair<uint64_t, uint32_t> key{job->id, job->epoch};
  if (!info.alive || info.opened.count(key) || info.opening.count(key))
    return;
  info.opening.insert(key);
  if (job->recovering)
    ++job->opensPending;
  rpc::Worker::Client cap = KJ_ASSERT_NONNULL(info.cap);
  auto request = cap.openRequest();
  request.setJob(job->id);
  request.setEpoch(job->epoch);
  request.setSpec(job->spec.getRoot<rpc::JobSpec>().asReader());
  auto replied = [this, job] {
    if (job->recovering && --job->opensPending == 0 && !job->finished)
      recover(job);
  };
  tasks.add(request.send().then(
      [this, job, w, key,
       replied](capnp::Response<rpc::Worker::OpenResults> &&response) {
        WorkerInfo &info = workers[w];
        if (!info.opening.erase(key))
          return; // Counted when the worker was lost.
        if (!info.alive || job->finished)
          return replied();
        std::string error = response.getError();
        if (!error.empty()) {
          failJob(*job, error);
          return;
        }
        info.opened.insert(key);
        // What the worker kept of the job from an earlier owner.
        const auto &g = *job->graph;
        for (uint32_t o : response.getHeld())
          if (o < job->objects.size() &&
              !llvm::is_contained(job->objects[o].holders, w)) {
            job->objects[o].holders.push_back(w);
            // Reported after recovery (a worker that joined later): freed
            // at once if nothing needs it.
            if (!job->recovering)
              release(*job, o);
          }
        for (uint32_t t : response.getSaved())
          if (t < g.tasks().size() && g.tasks()[t].output < 0)
            job->saved.insert(t);
        if (job->recovering)
          return replied();
        dispatch();
      },
      [this, job, w, key, replied](kj::Exception &&e) {
        bool pending = workers[w].opening.erase(key);
        callFailed(*job, w, e);
        if (pending)
          replied();
        dispatch();
      }));
}

void Cluster::callFailed(JobState &job, uint32_t w, const kj::Exception &e) {
  // A worker that went away is a fault the cluster recovers from; a call it
  // refused is a bug in what was asked, and fails the job.
  if (e.getType() == kj::Exception::Type::DISCONNECTED ||
      e.getType() == kj::Exception::Type::OVERLOADED) {
    workerLost(w, describe(e));
  } else if (describe(e).find(kTakenOver) != std::string::npos) {
    // Fenced: another scheduler owns the job now (this one was cut off and
    // its client moved on). It stops here; its client is gone.
    if (!job.finished)
      log("job " + llvm::Twine(job.id) + " (epoch " + llvm::Twine(job.epoch) +
          "): another scheduler took it over; dropping it here");
    failJob(job, describe(e));
  } else {
    failJob(job, "worker " + std::to_string(w) + ": " + describe(e));
  }
}

std::shared_ptr<JobState>
Cluster::submit(rpc::JobSpec::Reader spec,
                kj::Maybe<rpc::JobListener::Client> listener, uint64_t id,
                uint32_t epoch) {
  if (auto old = jobs.find(id); old != jobs.end()) {
    // Its client lost this scheduler for a while, and came back with the
    // job at a higher epoch: the old state is dropped (its calls to
    // workers are fenced) and the job taken over as on any scheduler.
    std::shared_ptr<JobState> stale = old->second;
    log("job " + llvm::Twine(id) + ": resubmitted at epoch " +
        llvm::Twine(epoch) + "; dropping epoch " + llvm::Twine(stale->epoch));
    failJob(*stale, "superseded by epoch " + std::to_string(epoch));
    jobs.erase(old);
    for (WorkerInfo &w : workers) {
      w.opened.erase({id, stale->epoch});
      w.opening.erase({id, stale->epoch});
    }
  }
  auto job = std::make_shared<JobState>();
  job->id = id;
  job->epoch = epoch;
  job->recovering = epoch > 1;
  job->spec.setRoot(spec);
  job->traced = spec.getTrace();
  job->submitted = std::chrono::steady_clock::now();
  job->listener = kj::mv(listener);
  auto paf = kj::newPromiseAndFulfiller<void>();
  job->fulfiller = kj::mv(paf.fulfiller);
  job->finishedPromise = paf.promise.fork();
  jobs[job->id] = job;
  log("job " + llvm::Twine(id) + " submitted" +
      (epoch > 1 ? " to take it over (epoch " + llvm::Twine(epoch) + ")"
                 : llvm::Twine()));
  if (job->recovering)
    claim(*job);
  tasks.add(reportProgress(job));

  // Parsing and enumerating a large program takes a while: on a thread of
  // its own, so that heartbeats and other jobs go on meanwhile.
  auto copy = std::make_shared<capnp::MallocMessageBuilder>();
  copy->setRoot(spec);
  auto built = kj::newPromiseAndCrossThreadFulfiller<LoadedProgram>();
  auto fulfiller = std::make_shared<
      kj::Own<kj::CrossThreadPromiseFulfiller<LoadedProgram>>>(
      kj::mv(built.fulfiller));
  std::thread([copy, fulfiller] {
    (*fulfiller)->fulfill(build(copy->getRoot<rpc::JobSpec>().asReader()));
  }).detach();
  tasks.add(built.promise.then([this, job](LoadedProgram loaded) {
    if (!jobs.count(job->id) || job->finished)
      return; // Cancelled meanwhile.
    if (!loaded.error.empty()) {
      failJob(*job, loaded.error);
      return;
    }
    job->program = std::move(loaded.program);
    job->graph = job->program->graph.get();
    startJob(job);
  }));
  return job;
}

LoadedProgram Cluster::build(rpc::JobSpec::Reader spec) {
  LoadedProgram loaded;
  auto args = argumentsOf(spec);
  if (!args) {
    loaded.error = llvm::toString(args.takeError());
    return loaded;
  }
  ChunkedOptions chunked;
  chunked.fanIn = std::max<int64_t>(2, spec.getFanIn());
  auto program = loadProgram(spec.getProgram().cStr(), spec.getEntry().cStr(),
                             std::move(*args), chunked, TaskGraph::Mode::Plan,
                             spec.getCompiled());
  if (!program)
    loaded.error = llvm::toString(program.takeError());
  else
    loaded.program = std::move(*program);
  return loaded;
}

void Cluster::placeInitial(JobState &job) {
  const auto &g = *job.graph;
  // Initial tasks in depth-first order, in contiguous runs per worker.
  std::vector<uint32_t> initial;
  for (uint32_t t = 0; t < g.tasks().size(); ++t)
    if (g.tasks()[t].inputs.empty() &&
        job.tasks[t].state != TaskState::Done)
      initial.push_back(t);
  llvm::sort(initial, [&](uint32_t a, uint32_t b) {
    return g.tasks()[a].order < g.tasks()[b].order;
  });
  std::vector<uint32_t> alive;
  for (const WorkerInfo &w : workers)
    if (w.alive)
      alive.push_back(w.id);
  for (size_t k = 0; k < initial.size() && !alive.empty(); ++k)
    job.placed[initial[k]] = alive[k * alive.size() / initial.size()];
}

void Cluster::startJob(std::shared_ptr<JobState> job) {
  const auto &g = *job->graph;
  job->tasks.resize(g.tasks().size());
  job->objects.resize(g.objects().size());
  for (uint32_t o = 0; o < g.objects().size(); ++o)
    job->objects[o].readersLeft = g.objects()[o].readers.size();
  for (const auto &r : g.results())
    for (uint32_t o : r.chunks)
      job->objects[o].result = true;
  size_t alive = llvm::count_if(workers, [](const WorkerInfo &w) {
    return w.alive;
  });
  log("job " + llvm::Twine(job->id) + ": " + llvm::Twine(g.tasks().size()) +
      " tasks, " + llvm::Twine(g.objects().size()) + " objects, " +
      llvm::Twine(alive) + " workers" +
      (job->epoch > 1 ? ", taken over at epoch " + llvm::Twine(job->epoch)
                      : llvm::Twine()));
  if (g.tasks().empty()) {
    finishJob(*job);
    return;
  }
  if (!job->recovering) {
    placeInitial(*job);
    for (uint32_t t = 0; t < g.tasks().size(); ++t)
      checkReady(*job, t);
  }
  // A takeover first hears from every worker what it holds (recover()).
  for (const WorkerInfo &w : workers)
    open(job, w.id);
  if (job->recovering && job->opensPending == 0)
    recover(job);
}

void Cluster::claim(const JobState &job) {
  for (WorkerInfo &w : workers) {
    if (!w.alive)
      continue;
    rpc::Worker::Client cap = KJ_ASSERT_NONNULL(w.cap);
    auto request = cap.claimRequest();
    request.setJob(job.id);
    request.setEpoch(job.epoch);
    tasks.add(request.send().ignoreResult().catch_([](kj::Exception &&) {}));
  }
}

void Cluster::recover(const std::shared_ptr<JobState> &jobPtr) {
  JobState &job = *jobPtr;
  job.recovering = false;
  const auto &g = *job.graph;
  job.ready.clear();
  job.readyOn.clear();
  // Everything done, nothing read: then what a result or a save still
  // needs, and no live worker holds, runs again, recursively (require()).
  for (TaskInfo &t : job.tasks)
    t.state = TaskState::Done;
  job.done = job.tasks.size();
  for (ObjectInfo &o : job.objects) {
    o.readersLeft = 0;
    llvm::erase_if(o.holders, [&](uint32_t w) { return !workers[w].alive; });
  }
  int64_t recomputedBefore = job.recomputed;
  int64_t held = llvm::count_if(
      job.objects, [](const ObjectInfo &o) { return !o.holders.empty(); });
  for (uint32_t t = 0; t < g.tasks().size(); ++t) {
    if (g.tasks()[t].output >= 0 || job.saved.count(t))
      continue;
    job.tasks[t].state = TaskState::Blocked;
    --job.done;
    for (uint32_t in : g.tasks()[t].inputs) {
      ++job.objects[in].readersLeft;
      if (!available(job, in))
        require(job, in);
    }
  }
  for (const auto &r : g.results())
    for (uint32_t o : r.chunks)
      if (!available(job, o))
        require(job, o);
  job.recomputed = recomputedBefore;
  placeInitial(job);
  for (uint32_t t = 0; t < g.tasks().size(); ++t)
    checkReady(job, t);
  // Held objects nothing needs any more (read by tasks that are done).
  for (uint32_t o = 0; o < job.objects.size(); ++o)
    if (!job.objects[o].holders.empty())
      release(job, o);
  int64_t toRun = job.tasks.size() - job.done;
  log("job " + llvm::Twine(job.id) + " (epoch " + llvm::Twine(job.epoch) +
      "): taken over with " + llvm::Twine(held) +
      " objects on the workers; " + llvm::Twine(toRun) + " of " +
      llvm::Twine(job.tasks.size()) + " tasks to run");
  if (toRun == 0)
    finishJob(job);
  dispatch();
}

kj::Promise<void> Cluster::reportProgress(std::shared_ptr<JobState> job) {
  job->reporting = true;
  return io.provider->getTimer()
      .afterDelay(250 * kj::MILLISECONDS)
      .then([this, job]() -> kj::Promise<void> {
        auto it = jobs.find(job->id);
        if ((job->finished && job->retrying == 0) || it == jobs.end() ||
            it->second != job) {
          job->reporting = false;
          return kj::READY_NOW;
        }
        KJ_IF_MAYBE (listener, job->listener) {
          auto request = listener->progressRequest();
          auto p = request.initProgress();
          p.setTasksDone(job->done);
          p.setTasksTotal(job->tasks.size());
          uint32_t alive = 0;
          uint64_t memory = 0, spilled = 0;
          for (const WorkerInfo &w : workers)
            if (w.alive) {
              ++alive;
              memory += w.bytesInMemory;
              spilled += w.bytesSpilled;
            }
          p.setWorkers(alive);
          p.setBytesInMemory(memory);
          p.setBytesSpilled(spilled);
          // The listener lives in the client: when it is gone, so is the
          // client, and its job is cancelled.
          tasks.add(request.send().ignoreResult().catch_(
              [this, job](kj::Exception &&e) {
                if (e.getType() == kj::Exception::Type::DISCONNECTED)
                  closeJob(job);
              }));
        }
        return reportProgress(job);
      });
}

void Cluster::failJob(JobState &job, const std::string &message) {
  if (job.finished)
    return;
  job.error = message;
  job.finished = true;
  job.ended = std::chrono::steady_clock::now();
  log("job " + llvm::Twine(job.id) + " failed: " + message);
  job.fulfiller->fulfill();
}

void Cluster::finishJob(JobState &job) {
  if (job.finished)
    return;
  job.finished = true;
  job.ended = std::chrono::steady_clock::now();
  log("job " + llvm::Twine(job.id) + " done: " + llvm::Twine(job.tasksRun) +
      " tasks run (" + llvm::Twine(job.recomputed) + " recomputed), " +
      llvm::Twine(job.bytesFetched) + " bytes moved between workers");
  job.fulfiller->fulfill();
}

void Cluster::closeJob(const std::shared_ptr<JobState> &job) {
  auto it = jobs.find(job->id);
  if (it != jobs.end() && it->second == job)
    closeJob(job->id);
}

void Cluster::closeJob(uint64_t id) {
  auto it = jobs.find(id);
  if (it == jobs.end())
    return;
  std::shared_ptr<JobState> job = it->second;
  if (!job->finished) {
    log("job " + llvm::Twine(id) + " cancelled: its client went away");
    job->finished = true;
    job->error = "cancelled";
    job->ended = std::chrono::steady_clock::now();
    job->fulfiller->fulfill();
  }
  if (dashboard) {
    closedJobs.push_back(summarize(*job));
    if (closedJobs.size() > kClosedJobs)
      closedJobs.pop_front();
    for (auto r = runningSince.lower_bound({id, 0});
         r != runningSince.end() && r->first.first == id;)
      r = runningSince.erase(r);
    for (auto o = jobOpIds.lower_bound({id, 0});
         o != jobOpIds.end() && o->first.first == id;)
      o = jobOpIds.erase(o);
  }
  jobs.erase(it);
  std::pair<uint64_t, uint32_t> key{id, job->epoch};
  for (WorkerInfo &w : workers) {
    if (!w.alive || !(w.opened.count(key) || w.opening.count(key)))
      continue;
    w.opened.erase(key);
    rpc::Worker::Client cap = KJ_ASSERT_NONNULL(w.cap);
    auto request = cap.closeRequest();
    request.setJob(id);
    request.setEpoch(job->epoch);
    tasks.add(request.send().ignoreResult().catch_([](kj::Exception &&) {}));
  }
}

void Cluster::dispatch() {
  bool more = true;
  while (more) {
    more = false;
    for (auto &[id, job] : jobs)
      if (!job->finished && job->graph && !job->recovering && dispatch(*job))
        more = true;
  }
}

bool Cluster::dispatch(JobState &job) {
  std::shared_ptr<JobState> jobPtr = jobs[job.id];
  auto slots = [&](const WorkerInfo &w) {
    return static_cast<size_t>(kSlotsPerThread * w.threads + 1);
  };
  auto hasSlot = [&](const WorkerInfo &w) {
    return w.alive && w.opened.count({job.id, job.epoch}) &&
           w.running.size() < slots(w);
  };
  auto underloaded = [&](const WorkerInfo &w) {
    return w.running.size() * 2 < w.threads;
  };
  bool any = false;
  for (bool progress = true; progress;) {
    progress = false;
    for (WorkerInfo &w : workers) {
      if (!hasSlot(w))
        continue;
      // Its own queue first (depth first within it), then tasks that
      // prefer no worker, then, when it is short of work, the earliest task
      // of the longest queue (stealing).
      JobState::ReadySet *from = nullptr;
      auto mine = job.readyOn.find(w.id);
      if (mine != job.readyOn.end() && !mine->second.empty())
        from = &mine->second;
      else if (!job.ready.empty())
        from = &job.ready;
      else
        for (auto &[other, queue] : job.readyOn) {
          // Steal when short of work, or from a backlog its own worker will
          // not reach for a while (more than two rounds of its slots).
          size_t backlog = 2 * slots(workers[other]);
          if (!queue.empty() && (underloaded(w) || queue.size() > backlog) &&
              (!from || queue.size() > from->size()))
            from = &queue;
        }
      if (!from)
        continue;
      uint32_t t = from->begin()->second;
      from->erase(from->begin());
      progress = true;
      // Ready when queued, but a worker lost since may have held an input:
      // back to waiting, and the input is recomputed.
      const auto &inputs = job.graph->tasks()[t].inputs;
      if (!llvm::all_of(inputs, [&](uint32_t in) { return available(job, in); })) {
        job.tasks[t].state = TaskState::Blocked;
        for (uint32_t in : inputs)
          if (!available(job, in))
            require(job, in);
        checkReady(job, t);
        continue;
      }
      start(jobPtr, t, w.id);
      any = true;
    }
  }
  return any;
}

void Cluster::start(std::shared_ptr<JobState> job, uint32_t t, uint32_t w) {
  TaskInfo &info = job->tasks[t];
  WorkerInfo &worker = workers[w];
  info.state = TaskState::Running;
  info.worker = w;
  uint32_t attempt = ++info.attempt;
  worker.running.insert({job->id, job->epoch, t, attempt});
  const GraphTask &task = job->graph->tasks()[t];
  if (dashboard)
    runningSince[{job->id, t}] =
        secondsSinceStart(std::chrono::steady_clock::now());
  if (trace)
    log("job " + llvm::Twine(job->id) + ": task " + llvm::Twine(t) + " (" +
        job->graph->describe(t) + ") on worker " + llvm::Twine(w));
  PendingRun run{t, attempt,
                 task.output >= 0 ? job->graph->objects()[task.output].bytes
                                  : 0,
                 {}};
  for (uint32_t in : task.inputs) {
    uint32_t from = UINT32_MAX;
    for (uint32_t h : job->objects[in].holders)
      if (workers[h].alive && (from == UINT32_MAX || h == w))
        from = h;
    run.inputs.push_back({in, from});
  }
  pendingRuns[{w, job}].push_back(std::move(run));
  if (!runsQueued) {
    runsQueued = true;
    tasks.add(kj::evalLater([this] { flushRuns(); }));
  }
}

void Cluster::flushRuns() {
  runsQueued = false;
  auto batches = std::move(pendingRuns);
  pendingRuns.clear();
  for (auto &[key, runs] : batches) {
    auto [w, job] = key;
    WorkerInfo &worker = workers[w];
    if (!worker.alive)
      continue; // Its tasks went back to waiting when it was lost.
    rpc::Worker::Client cap = KJ_ASSERT_NONNULL(worker.cap);
    auto request = cap.runRequest();
    request.setJob(job->id);
    request.setEpoch(job->epoch);
    request.setSink(sinks.at(w));
    auto list = request.initTasks(runs.size());
    std::vector<std::tuple<uint64_t, uint32_t, uint32_t, uint32_t>> sent;
    for (size_t i = 0; i < runs.size(); ++i) {
      const PendingRun &r = runs[i];
      list[i].setTask(r.task);
      list[i].setAttempt(r.attempt);
      list[i].setReserve(r.reserve);
      auto inputs = list[i].initInputs(r.inputs.size());
      for (size_t k = 0; k < r.inputs.size(); ++k) {
        auto [object, from] = r.inputs[k];
        inputs[k].setObject(object);
        // A holder lost since the task was started: the worker's fetch
        // fails and the task is retried.
        inputs[k].setAddress(from == UINT32_MAX ? "" : workers[from].address);
      }
      sent.push_back({job->id, job->epoch, r.task, r.attempt});
    }
    tasks.add(request.send().ignoreResult().catch_(
        [this, job = job, w = w, sent = std::move(sent)](kj::Exception &&e) {
          // Tasks of the batch whose outcome did not come no longer take
          // the worker's slots, whatever became of the call.
          if (workers[w].alive)
            for (const auto &key : sent)
              workers[w].running.erase(key);
          callFailed(*job, w, e);
          dispatch();
        }));
  }
}

void Cluster::completed(uint32_t w, rpc::TaskDone::Reader done) {
  WorkerInfo &worker = workers[w];
  if (!worker.alive)
    return; // Its tasks were reassigned when it was declared lost.
  if (!worker.running.erase(
          {done.getJob(), done.getEpoch(), done.getTask(), done.getAttempt()}))
    return; // Reported already, or its call failed.
  auto it = jobs.find(done.getJob());
  if (it == jobs.end() || it->second->epoch != done.getEpoch() ||
      done.getTask() >= it->second->tasks.size())
    return; // A job closed or superseded meanwhile.
  completed(it->second, done.getTask(), w, done.getAttempt(),
            done.getResult());
}

void Cluster::completed(std::shared_ptr<JobState> jobPtr, uint32_t t,
                        uint32_t w, uint32_t attempt,
                        rpc::RunResult::Reader result) {
  WorkerInfo &worker = workers[w];
  JobState &job = *jobPtr;
  TaskInfo &info = job.tasks[t];
  // The caller dispatches once per message of outcomes.
  if (job.finished || info.attempt != attempt ||
      info.state != TaskState::Running)
    return;
  job.bytesFetched += result.getFetchedBytes();
  job.bytesSpilled += result.getSpilledBytes();
  worker.bytesFetched += result.getFetchedBytes();
  if (dashboard && !result.isInputLost())
    recordTask(job, t, w, result.getFetchedBytes(), result.isFailed());
  else if (dashboard)
    runningSince.erase({job.id, t});
  if (job.traced && result.hasTrace()) {
    auto r = result.getTrace();
    if (job.trace.size() < kMaxTracedTasks)
      job.trace.push_back({t, w, r.getThread(), r.getReceived(),
                           r.getFetched(), r.getStarted(), r.getEnded(),
                           r.getFetchedBytes()});
    else
      ++job.traceDropped;
  }
  const GraphTask &task = job.graph->tasks()[t];
  if (trace)
    log("job " + llvm::Twine(job.id) + ": task " + llvm::Twine(t) + " " +
        (result.isOk() ? "done" : result.isFailed() ? "failed" : "lost input"));
  switch (result.which()) {
  case rpc::RunResult::FAILED:
    failJob(job, result.getFailed());
    return;
  case rpc::RunResult::INPUT_LOST: {
    // A holder went away while the input was fetched: the heartbeat will
    // say so; meanwhile the task waits for its inputs again. An input that
    // cannot be fetched from a live holder again and again is a fault that
    // will not heal: the job fails rather than retrying forever.
    if (++info.inputFailures > kMaxInputFailures) {
      failJob(job, job.graph->located(t, "its inputs could not be fetched (" +
                                             std::string(result.getInputLost().cStr()) +
                                             ")"));
      return;
    }
    info.state = TaskState::Blocked;
    auto retry = io.provider->getTimer().afterDelay(100 * kj::MILLISECONDS);
    tasks.add(retry.then([this, jobPtr, t] {
      if (jobPtr->finished)
        return;
      for (uint32_t in : jobPtr->graph->tasks()[t].inputs)
        if (!available(*jobPtr, in))
          require(*jobPtr, in);
      checkReady(*jobPtr, t);
      dispatch();
    }));
    return;
  }
  case rpc::RunResult::OK:
    break;
  }
  info.state = TaskState::Done;
  ++job.done;
  ++job.tasksRun;
  ++job.tasksPerWorker[w];
  ++worker.tasksDone;
  for (uint32_t in : task.inputs) {
    --job.objects[in].readersLeft;
    release(job, in);
  }
  if (task.output >= 0) {
    ObjectInfo &out = job.objects[task.output];
    if (!llvm::is_contained(out.holders, w))
      out.holders.push_back(w);
    for (uint32_t reader : job.graph->objects()[task.output].readers)
      checkReady(job, reader);
    release(job, task.output); // Nothing reads it.
  }
  if (job.done == static_cast<int64_t>(job.tasks.size()))
    finishJob(job);
}


} // namespace mars::dist::sched
