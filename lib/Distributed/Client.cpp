//===- Client.cpp - mars-run --cluster: submit, wait, fetch the results ---===//

#include "Rpc.h"

#include "mars/Distributed/Cluster.h"
#include "mars/Distributed/Ring.h"
#include "mars/Numeric/Sparse.h"
#include "mars/Numeric/Kernels.h"
#include "mars/Support/ByteSize.h"
#include "mars/Support/Error.h"
#include "mars/Support/Npy.h"
#include "mars/Support/Trace.h"

#include "mlir/IR/OperationSupport.h"

#include "llvm/Support/raw_ostream.h"

#include <capnp/message.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <set>
#include <thread>

using namespace mars;
using namespace mars::dist;
using numeric::NDArray;

namespace {

class ProgressListener final : public rpc::JobListener::Server {
public:
  ProgressListener(const ClusterRunOptions &options,
                   std::shared_ptr<kj::TimePoint> heard,
                   std::chrono::steady_clock::time_point start)
      : options(options), heard(std::move(heard)), start(start) {}

  kj::Promise<void> progress(ProgressContext context) override {
    // The scheduler is alive (the client's watchdog).
    *heard = kj::systemPreciseMonotonicClock().now();
    auto p = context.getParams().getProgress();
    // Before the graph is built there is nothing to show.
    if (options.progress && p.getTasksTotal() > 0) {
      ChunkedProgress progress;
      progress.tasksDone = p.getTasksDone();
      progress.tasksTotal = p.getTasksTotal();
      progress.bytesInMemory = p.getBytesInMemory();
      progress.bytesSpilled = p.getBytesSpilled();
      progress.workers = p.getWorkers();
      progress.seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
      options.progress(progress);
    }
    return kj::READY_NOW;
  }

private:
  const ClusterRunOptions &options;
  std::shared_ptr<kj::TimePoint> heard;
  std::chrono::steady_clock::time_point start;
};

/// Whether `e`, from a call to a scheduler, means that scheduler is lost
/// (and another should take the job over) rather than that it refused.
bool schedulerLost(const kj::Exception &e) {
  return e.getType() == kj::Exception::Type::DISCONNECTED ||
         e.getType() == kj::Exception::Type::OVERLOADED;
}

/// The client's side of a job on a cluster of one or more schedulers: the
/// job's id, its epoch, the scheduler that owns it now, and the schedulers
/// found lost. The job goes to its owner on the ring (following
/// redirects); when that scheduler is lost (its connection drops, or no
/// progress comes for its deadline) the job is submitted again, at the
/// next epoch, to the next owner, which takes it over.
class JobOwner {
public:
  JobOwner(kj::AsyncIoContext &io, Tls *tls, const ClusterRunOptions &options,
           rpc::JobSpec::Reader spec)
      : io(io), tls(tls), options(options), spec(spec),
        heard(std::make_shared<kj::TimePoint>(
            kj::systemPreciseMonotonicClock().now())),
        start(std::chrono::steady_clock::now()) {
    for (const std::string &m : splitAddresses(options.scheduler))
      ring.add(m);
    // Random, below 2^53: JSON readers (the dashboard's JavaScript) keep
    // such numbers exact.
    while (id == 0)
      id = randomId() & ((uint64_t(1) << 53) - 1);
  }

  int64_t takeovers = 0;

  /// The job's outcome: `wait`, or with `retry`, `retry` for those result
  /// objects, asked of the job's owner, through as many takeovers as it
  /// takes. Throws when no scheduler is left.
  std::unique_ptr<capnp::MallocMessageBuilder>
  results(const std::vector<uint32_t> *retry = nullptr) {
    for (;;) {
      if (job == nullptr)
        attach();
      try {
        auto copy = std::make_unique<capnp::MallocMessageBuilder>();
        rpc::Job::Client cap = KJ_ASSERT_NONNULL(job);
        // Silence is counted from the call on (a finished job's owner
        // reported nothing while the client fetched).
        *heard = kj::systemPreciseMonotonicClock().now();
        if (retry && !tookOver) {
          auto request = cap.retryRequest();
          auto list = request.initObjects(retry->size());
          for (size_t k = 0; k < retry->size(); ++k)
            list.set(k, (*retry)[k]);
          auto r = watched(request.send()).wait(io.waitScope);
          copy->setRoot(r.getResults());
        } else {
          // After a takeover the new owner computes again what was lost:
          // waiting is retrying.
          auto r = watched(cap.waitRequest().send()).wait(io.waitScope);
          copy->setRoot(r.getResults());
        }
        tookOver = false;
        return copy;
      } catch (kj::Exception &e) {
        if (!schedulerLost(e))
          throw;
        lost(owner, describe(e));
        ++takeovers;
        tookOver = true;
      }
    }
  }

private:
  void lost(const std::string &scheduler, const std::string &why) {
    dead.insert(scheduler);
    reasons += (reasons.empty() ? "" : "; ") + scheduler + ": " + why;
    job = nullptr;
    if (connection)
      lostConnections.push_back(kj::mv(connection));
  }

  /// Submits the job to its owner, at an epoch above any a scheduler may
  /// hold it at: raised after an owner is lost, and after a submission
  /// that may have reached a scheduler without an answer (a redirect is an
  /// answer: the job is not there).
  void attach() {
    ++epoch;
    std::string target;
    for (int hop = 0; hop < 16; ++hop) {
      if (target.empty() || dead.count(target)) {
        auto next = ring.owner(id, [&](llvm::StringRef m) {
          return !dead.count(m.str());
        });
        if (!next && !forgotten && ring.members().size() > 1) {
          // Every scheduler failed: those restarted meanwhile are tried
          // again, once per job.
          forgotten = true;
          dead.clear();
          io.provider->getTimer().afterDelay(deadAfter / 2).wait(io.waitScope);
          --hop;
          continue;
        }
        if (!next)
          kj::throwFatalException(kj::Exception(
              kj::Exception::Type::DISCONNECTED, __FILE__, __LINE__,
              kj::str(ring.members().size() > 1
                          ? "every scheduler of the cluster is lost ("
                          : "",
                      reasons, ring.members().size() > 1 ? ")" : "")));
        target = *next;
      }
      bool connected = false;
      // A scheduler that accepts connections but does not answer (stopped,
      // cut off) is lost after this long.
      kj::Duration patience =
          std::max(deadAfter, static_cast<kj::Duration>(10 * kj::SECONDS));
      auto &timer = io.provider->getTimer();
      try {
        auto stream =
            timer
                .timeoutAfter(patience, connectTo(io.provider->getNetwork(),
                                                  target, tls))
                .wait(io.waitScope);
        connected = true;
        connection = kj::heap<Connection>(kj::mv(stream));
        auto gate = connection->bootstrap<rpc::SchedulerGate>();
        auto submit = gate.submitRequest();
        submit.setToken(options.token);
        submit.setSpec(spec);
        submit.setListener(kj::heap<ProgressListener>(options, heard, start));
        submit.setId(id);
        submit.setEpoch(epoch);
        auto exclude = submit.initExclude(dead.size());
        size_t k = 0;
        for (const std::string &d : dead)
          exclude.set(k++, d);
        auto reply =
            timer.timeoutAfter(patience, submit.send()).wait(io.waitScope);
        for (auto m : reply.getSchedulers())
          ring.add(m.cStr());
        if (reply.getRedirect().size() > 0) {
          target = reply.getRedirect();
          lostConnections.push_back(kj::mv(connection));
          continue;
        }
        owner = target;
        deadAfter = std::max<uint64_t>(reply.getDeadAfterMillis(), 100) *
                    kj::MILLISECONDS;
        *heard = kj::systemPreciseMonotonicClock().now();
        job = reply.getJob();
        return;
      } catch (kj::Exception &e) {
        // A scheduler that cannot be reached, or drops the connection, is
        // lost; one that refuses the job (a wrong token) is not.
        if (connected && !schedulerLost(e))
          throw;
        if (connected) {
          // It may hold the job at this epoch; if it did, the next owner
          // takes the job over (a kill while the owner built the graph).
          ++epoch;
          ++takeovers;
        }
        lost(target, describe(e));
        target.clear();
      }
    }
    kj::throwFatalException(kj::Exception(
        kj::Exception::Type::FAILED, __FILE__, __LINE__,
        kj::str("the schedulers kept redirecting the job to each other")));
  }

  /// `call`, or a DISCONNECTED failure when the owner sends no progress
  /// for its deadline (it was stopped, or cut off).
  template <typename T> kj::Promise<T> watched(kj::Promise<T> call) {
    return call.exclusiveJoin(silence<T>());
  }
  template <typename T> kj::Promise<T> silence() {
    return io.provider->getTimer()
        .afterDelay(100 * kj::MILLISECONDS)
        .then([this]() -> kj::Promise<T> {
          kj::Duration quiet = kj::systemPreciseMonotonicClock().now() - *heard;
          if (quiet > deadAfter)
            kj::throwFatalException(kj::Exception(
                kj::Exception::Type::DISCONNECTED, __FILE__, __LINE__,
                kj::str("no progress from the scheduler for ",
                        quiet / kj::MILLISECONDS, " ms")));
          return silence<T>();
        });
  }

  kj::AsyncIoContext &io;
  Tls *tls;
  const ClusterRunOptions &options;
  rpc::JobSpec::Reader spec;
  HashRing ring;
  uint64_t id = 0;
  uint32_t epoch = 0;
  std::set<std::string> dead;
  std::string reasons;
  std::string owner;
  kj::Own<Connection> connection;
  std::vector<kj::Own<Connection>> lostConnections;
  kj::Maybe<rpc::Job::Client> job;
  bool tookOver = false;
  /// Lost schedulers were tried again once (attach()).
  bool forgotten = false;
  kj::Duration deadAfter = 3 * kj::SECONDS;
  std::shared_ptr<kj::TimePoint> heard;
  std::chrono::steady_clock::time_point start;
};

} // namespace

/// How often the client asks for result chunks it could not fetch.
static constexpr int kFetchAttempts = 4;

/// Adds a traced job's tasks to `trace`: each worker is a process, each of
/// its pool threads a thread, its input fetches async spans. The workers
/// timed them on the wall clock; the trace's clock is this process's
/// steady clock, so the times are shifted by the two clocks' difference now.
static void readTrace(rpc::JobResults::Reader r, Trace &trace) {
  double now = std::chrono::duration<double, std::micro>(
                   std::chrono::steady_clock::now() - trace.origin())
                   .count();
  double wall = std::chrono::duration<double, std::micro>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  double shift = wall - now;
  // Hosts' clocks agree only to NTP's accuracy: nothing is drawn before
  // the trace began.
  auto at = [&](int64_t micros) { return std::max(0.0, micros - shift); };
  auto ops = r.getTraceOps();
  std::set<std::pair<uint32_t, uint32_t>> named;
  for (auto t : r.getTrace()) {
    uint32_t process = t.getWorker() + 1;
    uint32_t thread = t.getThread() + 1;
    if (named.insert({process, 0}).second)
      trace.nameProcess(process, "worker " + std::to_string(t.getWorker()));
    if (named.insert({process, thread}).second)
      trace.nameThread(process, thread,
                       "thread " + std::to_string(t.getThread()));
    std::string op = t.getOp() < ops.size() ? ops[t.getOp()].cStr() : "task";
    if (t.getFetchedBytes())
      trace.asyncSpanAt("transfer", "fetch inputs of " + op, process,
                        at(t.getReceived()), t.getFetched() - t.getReceived(),
                        {{"bytes", static_cast<int64_t>(t.getFetchedBytes())},
                         {"chunk", t.getChunk()}});
    if (t.getStarted() == 0 && t.getEnded() == 0)
      continue; // Not run: its inputs were lost.
    trace.spanAt(chunked::taskKindName(static_cast<chunked::TaskKind>(
                     t.getKind())),
                 op, process, thread, at(t.getStarted()),
                 t.getEnded() - t.getStarted(),
                 {{"chunk", t.getChunk()}, {"task", t.getTask()}});
  }
  if (r.getTraceDropped())
    trace.spanAt("run", "trace full: " + std::to_string(r.getTraceDropped()) +
                            " more tasks not recorded",
                 0, 0, now, 0);
}

static void readStats(rpc::JobStats::Reader s, ClusterStats &stats) {
  stats.tasks = s.getTasks();
  stats.recomputed = s.getRecomputed();
  stats.workersLost = s.getWorkersLost();
  stats.workers = s.getWorkers();
  stats.bytesFetched = s.getBytesFetched();
  stats.bytesSpilled = s.getBytesSpilled();
  stats.tasksPerWorker.clear();
  for (uint64_t n : s.getTasksPerWorker())
    stats.tasksPerWorker.push_back(n);
}

/// Per result, per chunk: the address of the worker to fetch it from.
static llvm::Error
readLocations(rpc::JobResults::Reader r,
              const std::vector<TaskGraph::Result> &rs,
              std::vector<std::vector<std::string>> &addresses) {
  auto locations = r.getOk();
  if (locations.size() != rs.size())
    return makeError("the scheduler returned " +
                     llvm::Twine(locations.size()) + " results, expected " +
                     llvm::Twine(rs.size()));
  addresses.assign(rs.size(), {});
  for (size_t i = 0; i < rs.size(); ++i) {
    if (rs[i].argument >= 0)
      continue;
    if (locations[i].size() != rs[i].chunks.size())
      return makeError("the scheduler returned a result with the wrong "
                       "number of chunks");
    for (auto location : locations[i])
      addresses[i].push_back(location.getAddress());
  }
  return llvm::Error::success();
}

llvm::Expected<std::vector<NDArray>>
mars::dist::runOnCluster(mlir::ModuleOp module, std::vector<NDArray> args,
                         const ClusterRunOptions &options,
                         ClusterStats *stats) {
  auto func = module.lookupSymbol<mlir::func::FuncOp>(options.entry);
  if (!func)
    return makeError("the program has no function @" + options.entry);
  // The client enumerates the graph too: it knows each result's layout and
  // which object each of its chunks is.
  std::vector<NDArray> argsCopy = args;
  ChunkedOptions plan;
  plan.fanIn = options.fanIn;
  auto graph = TaskGraph::build(func, std::move(argsCopy), plan,
                                TaskGraph::Mode::Plan, options.compiled);
  if (!graph)
    return graph.takeError();

  capnp::MallocMessageBuilder message;
  auto spec = message.initRoot<rpc::JobSpec>();
  {
    std::string text;
    llvm::raw_string_ostream os(text);
    module.print(os, mlir::OpPrintingFlags().enableDebugInfo());
    spec.setProgram(text);
  }
  spec.setEntry(options.entry);
  spec.setCompiled(options.compiled);
  spec.setTrace(options.trace != nullptr);
  spec.setLibm(libmName());
  spec.setFanIn(options.fanIn);
  uint64_t argBytes = 0;
  for (const NDArray &a : args)
    argBytes += a.nbytes();
  if (argBytes > kMaxArgumentBytes)
    return makeError("the arguments hold " + formatByteSize(argBytes) +
                     ", more than a job message carries (" +
                     formatByteSize(kMaxArgumentBytes) +
                     "); read large inputs with mars.load instead");
  auto argList = spec.initArgs(args.size());
  for (size_t i = 0; i < args.size(); ++i)
    toArray(args[i], argList[i]);
  // mars.save files: created here (errors show at once), written by the
  // workers, committed once the job is done.
  std::vector<std::unique_ptr<NpyBoxWriter>> writers;
  for (mlir::Operation &op : func.getBody().front())
    if (auto save = llvm::dyn_cast<SaveOp>(op)) {
      auto type = llvm::cast<mlir::RankedTensorType>(
          save.getOperand().getType());
      auto writer = NpyBoxWriter::create(
          save.getPath(), chunked::dtypeOf(save.getOperand()),
          numeric::Shape(type.getShape().begin(), type.getShape().end()));
      if (!writer)
        return writer.takeError();
      writers.push_back(std::move(*writer));
    }
  auto files = spec.initSaveFiles(writers.size());
  for (size_t i = 0; i < writers.size(); ++i)
    files.set(i, writers[i]->tmpPath().str());

  auto io = kj::setupAsyncIo();
  auto tls = Tls::create(resolveTlsFiles(options.tls), /*serving=*/false,
                         io.provider->getTimer());
  if (!tls)
    return tls.takeError();
  std::vector<NDArray> results;
  std::string failure;
  try {
    JobOwner owner(io, tls->get(), options, spec.asReader());
    auto submitted = std::chrono::steady_clock::now();
    auto response = owner.results();
    auto r = response->getRoot<rpc::JobResults>().asReader();
    if (stats) {
      readStats(r.getStats(), *stats);
      stats->takeovers = owner.takeovers;
    }
    if (options.trace) {
      options.trace->span("run", "job on the cluster", 0, 0, submitted,
                          std::chrono::steady_clock::now());
      readTrace(r, *options.trace);
    }
    if (r.isFailed())
      return makeError(std::string(r.getFailed().cStr()));
    if (options.progress) {
      // The last line: every task done.
      ChunkedProgress last;
      last.tasksDone = last.tasksTotal = (*graph)->tasks().size();
      last.seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - submitted)
                         .count();
      options.progress(last);
    }
    const auto &rs = (*graph)->results();
    std::vector<std::vector<std::string>> addresses;
    if (auto err = readLocations(r, rs, addresses))
      return std::move(err);
    uint64_t jobId = r.getJob();

    // Fault injection for test/distributed/cluster.py: a pause between the
    // job's end and the fetch, in which the test kills a worker.
    if (const char *ms = std::getenv("MARS_TEST_FETCH_DELAY_MS"))
      std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(ms)));

    // Fetch every chunk of every result from the worker that holds it. A
    // worker can die after the job ends and before its chunks are fetched:
    // then the scheduler is told, computes them again and names new holders.
    std::map<std::string, kj::Own<Connection>> peers;
    std::map<std::string, rpc::PeerGate::Client> gates;
    std::vector<std::vector<std::shared_ptr<ObjectData>>> chunks(rs.size());
    for (size_t i = 0; i < rs.size(); ++i)
      chunks[i].resize(rs[i].argument >= 0 ? 0 : rs[i].chunks.size());
    auto fetchStart = std::chrono::steady_clock::now();
    for (int attempt = 1;; ++attempt) {
      struct Failure {
        uint32_t object;
        std::string address, why;
      };
      std::vector<Failure> failed;
      // Addresses that could not be connected to in this round: why.
      std::map<std::string, std::string> unreachable;
      kj::Vector<kj::Promise<void>> fetches;
      for (size_t i = 0; i < rs.size(); ++i)
        for (size_t c = 0; c < chunks[i].size(); ++c) {
          if (chunks[i][c])
            continue;
          const std::string &address = addresses[i][c];
          uint32_t object = rs[i].chunks[c];
          if (auto it = unreachable.find(address); it != unreachable.end()) {
            failed.push_back({object, address, it->second});
            continue;
          }
          if (!gates.count(address)) {
            try {
              KJ_REQUIRE(!address.empty(), "no live worker holds it");
              auto peerStream = connectTo(io.provider->getNetwork(),
                                          address, tls->get())
                                    .wait(io.waitScope);
              auto peer = kj::heap<Connection>(kj::mv(peerStream));
              gates.emplace(address, peer->bootstrap<rpc::PeerGate>());
              peers.emplace(address, kj::mv(peer));
            } catch (kj::Exception &e) {
              unreachable[address] = describe(e);
              failed.push_back({object, address, describe(e)});
              continue;
            }
          }
          fetches.add(
              fetchObject(gates.find(address)->second, options.token, jobId,
                          object, (*graph)->objects()[object].maxBytes,
                          /*isChunk=*/true)
                  .then(
                      [&chunks, i, c](std::shared_ptr<ObjectData> d) {
                        chunks[i][c] = std::move(d);
                      },
                      [&failed, object, address](kj::Exception &&e) {
                        failed.push_back({object, address, describe(e)});
                      }));
        }
      kj::joinPromises(fetches.releaseAsArray()).wait(io.waitScope);
      if (failed.empty())
        break;
      if (attempt == kFetchAttempts)
        return makeError("could not fetch " + llvm::Twine(failed.size()) +
                         " result chunks after " + llvm::Twine(attempt) +
                         " tries; the last from the worker at '" +
                         failed.front().address + "': " + failed.front().why);
      for (const Failure &f : failed) {
        gates.erase(f.address);
        peers.erase(f.address);
      }
      std::vector<uint32_t> objects;
      for (const Failure &f : failed)
        objects.push_back(f.object);
      auto again = owner.results(&objects);
      auto r2 = again->getRoot<rpc::JobResults>().asReader();
      if (stats) {
        readStats(r2.getStats(), *stats);
        stats->takeovers = owner.takeovers;
      }
      if (r2.isFailed())
        return makeError(std::string(r2.getFailed().cStr()));
      if (auto err = readLocations(r2, rs, addresses))
        return std::move(err);
    }
    auto fetchEnd = std::chrono::steady_clock::now();
    uint64_t resultBytes = 0;
    for (const auto &list : chunks)
      for (const auto &chunk : list)
        resultBytes += chunk->nbytes();
    if (options.trace)
      options.trace->span("transfer", "fetch results", 0, 0, fetchStart,
                          fetchEnd,
                          {{"bytes", static_cast<int64_t>(resultBytes)}});
    if (stats) {
      stats->resultSeconds =
          std::chrono::duration<double>(fetchEnd - fetchStart).count();
      stats->resultBytes += resultBytes;
    }
    for (size_t i = 0; i < rs.size(); ++i) {
      if (rs[i].argument >= 0) {
        results.push_back(args[rs[i].argument]);
        continue;
      }
      std::vector<numeric::CsrBlock> blocks;
      NDArray whole;
      if (!rs[i].sparse)
        whole = NDArray(rs[i].dtype, rs[i].layout.shape(),
                        NDArray::uninitialized);
      for (size_t c = 0; c < chunks[i].size(); ++c) {
        const NDArray &chunk = *chunks[i][c]->chunk;
        tiling::Box box = rs[i].layout.chunkBox(c);
        if (chunk.shape() != box.sizes() || chunk.dtype() != rs[i].dtype ||
            chunk.isSparse() != rs[i].sparse)
          return makeError("a worker returned a chunk of the wrong shape");
        if (rs[i].sparse)
          blocks.push_back({&chunk, box.lo[0], box.lo[1]});
        else
          numeric::copyBox(chunk, numeric::Shape(box.sizes().size(), 0),
                           whole, box.lo, box.sizes());
      }
      if (rs[i].sparse)
        whole = numeric::assembleCsr(rs[i].dtype, rs[i].layout.shape(), blocks);
      results.push_back(std::move(whole));
    }
  } catch (kj::Exception &e) {
    // A TLS scheduler drops a plain connection at its first bytes.
    bool plainToTls = !*tls && e.getType() == kj::Exception::Type::DISCONNECTED;
    return makeError("the cluster at " + options.scheduler +
                     " failed the run: " + describe(e) +
                     (plainToTls ? " (if the cluster uses TLS, give the "
                                   "certificates to trust: --tls-ca, "
                                   "tls_ca= in Python, or $MARS_TLS_CA)"
                                 : ""));
  }
  for (auto &w : writers)
    if (auto err = w->commit())
      return std::move(err);
  return std::move(results);
}
