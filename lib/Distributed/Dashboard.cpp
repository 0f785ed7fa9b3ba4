//===- Dashboard.cpp - The scheduler's live web page ---------------------===//
//
// `mars-scheduler --dashboard HOST:PORT` serves, over KJ's HTTP server on the
// scheduler's own event loop (no thread, no lock: the state is read between
// RPC events):
//
//   GET /             the page (DashboardPage.cpp: static HTML and JS, no
//                     resource from elsewhere), which polls
//   GET /api/status   the cluster's state as JSON: workers (memory, spilled
//                     bytes, running tasks, health, bytes fetched), jobs
//                     (progress, recomputations, bytes moved) live and lately
//                     closed, and the tasks finished since `?since=SECONDS`
//                     (the task stream: worker, op, kind, start and end).
//
// Read only. On a loopback address anyone on the machine may look; anywhere
// else every request must carry the cluster token (`?token=`), as every RPC
// does.
//
//===----------------------------------------------------------------------===//

#include "SchedulerState.h"

#include "mars/Runtime/TaskPlan.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"

#include <kj/compat/http.h>
#include <kj/compat/url.h>

using namespace mars;
using namespace mars::dist;
using namespace mars::dist::sched;

namespace mars::dist::sched {
/// The page (DashboardPage.cpp, generated from dashboard.html).
extern const char *const kDashboardPage;
} // namespace mars::dist::sched

Cluster::JobSummary Cluster::summarize(const JobState &job) const {
  JobSummary s;
  s.id = job.id;
  s.state = !job.finished           ? "running"
            : job.error.empty()     ? "done"
            : job.error == "cancelled" ? "cancelled"
                                       : "failed";
  s.error = job.error == "cancelled" ? "" : job.error;
  s.done = job.done;
  s.total = static_cast<int64_t>(job.tasks.size());
  s.tasksRun = job.tasksRun;
  s.recomputed = job.recomputed;
  s.workersLost = job.workersLost;
  s.bytesFetched = job.bytesFetched;
  s.bytesSpilled = job.bytesSpilled;
  s.submitted = secondsSinceStart(job.submitted);
  s.seconds = std::chrono::duration<double>(
                  (job.finished ? job.ended : std::chrono::steady_clock::now()) -
                  job.submitted)
                  .count();
  return s;
}

void Cluster::recordTask(const JobState &job, uint32_t t, uint32_t w,
                         uint64_t fetchedBytes, bool failed) {
  double end = secondsSinceStart(std::chrono::steady_clock::now());
  auto since = runningSince.find({job.id, t});
  double start = since == runningSince.end() ? end : since->second;
  if (since != runningSince.end())
    runningSince.erase(since);
  const GraphTask &task = job.graph->tasks()[t];
  auto [named, fresh] = jobOpIds.try_emplace({job.id, task.op}, 0);
  if (fresh) {
    std::string name = chunked::traceName(job.graph->op(task.op));
    auto [id, added] = opIds.try_emplace(name, opNames.size());
    if (added)
      opNames.push_back(name);
    named->second = id->second;
  }
  recentTasks.push_back({job.id, w, named->second,
                         chunked::taskKindName(task.kind), start, end,
                         fetchedBytes, failed});
  if (recentTasks.size() > kRecentTasks)
    recentTasks.pop_front();
}

namespace {

/// The cluster's state as JSON, with the tasks that ended after `since`.
std::string statusJson(Cluster &cluster, double since) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::json::OStream j(os);
  double now = cluster.secondsSinceStart(std::chrono::steady_clock::now());
  j.object([&] {
    j.attribute("now", now);
    j.attributeArray("workers", [&] {
      for (const WorkerInfo &w : cluster.workers)
        j.object([&] {
          j.attribute("id", w.id);
          j.attribute("address", w.address);
          j.attribute("alive", w.alive);
          j.attribute("threads", w.threads);
          j.attribute("running", static_cast<int64_t>(w.running.size()));
          j.attribute("memory_limit", w.memoryLimit);
          j.attribute("bytes_in_memory", w.bytesInMemory);
          j.attribute("bytes_spilled", w.bytesSpilled);
          j.attribute("tasks_done", w.tasksDone);
          j.attribute("bytes_fetched", w.bytesFetched);
        });
    });
    auto job = [&](const Cluster::JobSummary &s) {
      j.object([&] {
        j.attribute("id", s.id);
        j.attribute("state", s.state);
        if (!s.error.empty())
          j.attribute("error", s.error);
        j.attribute("done", s.done);
        j.attribute("total", s.total);
        j.attribute("tasks_run", s.tasksRun);
        j.attribute("recomputed", s.recomputed);
        j.attribute("workers_lost", s.workersLost);
        j.attribute("bytes_fetched", s.bytesFetched);
        j.attribute("bytes_spilled", s.bytesSpilled);
        j.attribute("submitted", s.submitted);
        j.attribute("seconds", s.seconds);
      });
    };
    j.attributeArray("jobs", [&] {
      for (auto &[id, state] : cluster.jobs)
        job(cluster.summarize(*state));
    });
    j.attributeArray("closed_jobs", [&] {
      for (auto it = cluster.closedJobs.rbegin();
           it != cluster.closedJobs.rend(); ++it)
        job(*it);
    });
    j.attributeArray("ops", [&] {
      for (const std::string &name : cluster.opNames)
        j.value(name);
    });
    j.attributeArray("tasks", [&] {
      // The newest first, back to `since`.
      for (auto it = cluster.recentTasks.rbegin();
           it != cluster.recentTasks.rend() && it->end > since; ++it)
        j.object([&] {
          j.attribute("job", it->job);
          j.attribute("worker", it->worker);
          j.attribute("op", it->op);
          j.attribute("kind", it->kind);
          j.attribute("start", it->start);
          j.attribute("end", it->end);
          j.attribute("bytes_fetched", it->fetchedBytes);
          if (it->failed)
            j.attribute("failed", true);
        });
    });
  });
  return text;
}

class DashboardService final : public kj::HttpService {
public:
  DashboardService(Cluster &cluster, const kj::HttpHeaderTable &table,
                   bool requireToken)
      : cluster(cluster), table(table), requireToken(requireToken) {}

  kj::Promise<void> request(kj::HttpMethod method, kj::StringPtr url,
                            const kj::HttpHeaders &headers,
                            kj::AsyncInputStream &body,
                            Response &response) override {
    if (method != kj::HttpMethod::GET && method != kj::HttpMethod::HEAD)
      return send(response, 405, "Method Not Allowed", "text/plain",
                  "the dashboard is read only\n");
    auto parsed = kj::Url::tryParse(url, kj::Url::HTTP_REQUEST);
    kj::Url *u = nullptr;
    KJ_IF_MAYBE(p, parsed) { u = p; }
    if (!u)
      return send(response, 400, "Bad Request", "text/plain",
                  "bad request URL\n");
    std::string path;
    for (auto &part : u->path)
      path += "/" + std::string(part.cStr());
    std::string token;
    double since = -1;
    for (auto &q : u->query) {
      if (q.name == "token")
        token = q.value.cStr();
      else if (q.name == "since")
        llvm::StringRef(q.value.cStr()).getAsDouble(since);
    }
    if (requireToken && !tokenMatches(cluster.token, token)) {
      cluster.log("dashboard: refused a request with a wrong or missing "
                  "cluster token");
      return send(response, 403, "Forbidden", "text/plain",
                  "this dashboard needs the cluster token: open "
                  "/?token=TOKEN\n");
    }
    if (path.empty() || path == "/index.html")
      return send(response, 200, "OK", "text/html; charset=utf-8",
                  kDashboardPage);
    if (path == "/api/status")
      return send(response, 200, "OK", "application/json",
                  statusJson(cluster, since));
    return send(response, 404, "Not Found", "text/plain",
                "no such page: " + path + "\n");
  }

private:
  kj::Promise<void> send(Response &response, unsigned status,
                         kj::StringPtr statusText, kj::StringPtr type,
                         std::string text) {
    kj::HttpHeaders headers(table);
    headers.set(kj::HttpHeaderId::CONTENT_TYPE, type);
    auto body = kj::heap<std::string>(std::move(text));
    auto stream = response.send(status, statusText, headers, body->size());
    auto written = stream->write(body->data(), body->size());
    return written.attach(kj::mv(stream), kj::mv(body));
  }

  Cluster &cluster;
  const kj::HttpHeaderTable &table;
  bool requireToken;
};

/// What serving the dashboard holds for as long as it runs.
struct Server {
  kj::Own<kj::ConnectionReceiver> listener;
  kj::HttpHeaderTable table;
  kj::Own<DashboardService> service;
  kj::Own<kj::HttpServer> http;
};

} // namespace

kj::Promise<void> mars::dist::sched::serveDashboard(
    Cluster &cluster, kj::Own<kj::ConnectionReceiver> listener,
    bool requireToken, Tls *tls) {
  cluster.dashboard = true;
  auto server = kj::heap<Server>();
  server->listener = kj::mv(listener);
  server->service =
      kj::heap<DashboardService>(cluster, server->table, requireToken);
  server->http = kj::heap<kj::HttpServer>(cluster.io.provider->getTimer(),
                                          server->table, *server->service);
  // Each connection is served on its own (after its TLS handshake): one
  // that fails ends only itself.
  kj::HttpServer &http = *server->http;
  auto served = acceptLoop(
      *server->listener, tls, cluster.tasks,
      [&http, &cluster](kj::Own<kj::AsyncIoStream> stream) {
        cluster.tasks.add(http.listenHttp(kj::mv(stream)));
      });
  return served.attach(kj::mv(server));
}
