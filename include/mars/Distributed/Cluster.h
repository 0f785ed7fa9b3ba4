//===- Cluster.h - The processes of a Mars cluster ----------------*- C++ -*-===//
//
// A cluster is one or more schedulers (mars-scheduler, on a consistent-hash
// ring: Ring.h), any number of workers (mars-worker) and clients (mars-run
// --cluster), talking Cap'n Proto RPC over TCP
// (lib/Distributed/Protocol.capnp). A client submits the tiled, fused
// program to the scheduler that owns it on the ring; that scheduler numbers
// its tasks (TaskGraph.h), places them on workers and tracks where every
// chunk lives; workers run tasks with the local runtime's kernels, fetch
// their inputs from each other, and keep chunks within their memory limit
// by spilling. When a job's scheduler is lost, the next on the ring takes
// it over. See docs/Distributed.md.
//
// This header is all a tool needs; the RPC machinery stays inside
// lib/Distributed.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_DISTRIBUTED_CLUSTER_H
#define MARS_DISTRIBUTED_CLUSTER_H

#include "mars/Runtime/ChunkedExecutor.h"

#include "mlir/IR/BuiltinOps.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mars {
class Trace;
} // namespace mars

namespace mars::dist {

/// TLS on the cluster's connections (PEM files; empty: plain TCP). A
/// process that serves (the scheduler, a worker's peer gate) needs `cert`
/// and `key`; every process checks the certificates of those it connects
/// to against `ca`, else against `cert` (a self-signed certificate shared
/// by the cluster), for the host it dials. Each is also read from
/// $MARS_TLS_CERT, $MARS_TLS_KEY and $MARS_TLS_CA when not given. The
/// cluster token still authenticates every call.
struct TlsFiles {
  std::string cert, key, ca;
  /// Any file named: a key alone is an error (Tls::create), not plain TCP.
  bool enabled() const {
    return !cert.empty() || !key.empty() || !ca.empty();
  }
};
/// `flags` with the environment's files where a flag is empty.
TlsFiles resolveTlsFiles(const TlsFiles &flags);

struct SchedulerOptions {
  /// host:port to listen on (port 0: any free port).
  std::string listen = "127.0.0.1:7077";
  std::string token;
  /// Written with the bound address once listening (for scripts).
  std::string addressFile;
  /// Heartbeat period, and the silence after which a worker is dead.
  double heartbeatSeconds = 1.0;
  double deadAfterSeconds = 3.0;
  /// For comparison only: ignore where chunks are (round-robin placement).
  bool localityBlind = false;
  bool quiet = false;
  /// Serve the live dashboard here (HOST:PORT, or a PORT on 127.0.0.1;
  /// port 0: any free port; empty: none). Off loopback, every request must
  /// carry the cluster token.
  std::string dashboard;
  /// TLS on the scheduler's port and its dashboard (https).
  TlsFiles tls;
  /// Other schedulers of the cluster (HOST:PORT), any member of the ring
  /// being enough: the others are learnt from it. Jobs are placed on the
  /// ring of all of them and a job whose scheduler is lost is taken over
  /// by the next (docs/Distributed.md).
  std::vector<std::string> join;
};

/// Runs the scheduler until killed; returns an exit status on set-up
/// failure.
int runScheduler(const SchedulerOptions &options);

struct WorkerOptions {
  /// A scheduler to join, or several separated by commas: the worker joins
  /// every scheduler of the cluster, learnt from the first that answers.
  std::string scheduler = "127.0.0.1:7077";
  /// Where peers fetch this worker's chunks (port 0: any free port).
  std::string listen = "127.0.0.1:0";
  std::string token;
  /// Threads running tasks (0: one per core).
  unsigned threads = 0;
  /// Bytes of chunks held in memory before spilling (0: 80% of RAM).
  uint64_t memoryLimit = 0;
  std::string spillDir;
  /// Compiled kernels kept across runs ("none": in memory only).
  std::string kernelCacheDir;
  bool quiet = false;
  /// TLS to the scheduler and peers, and on this worker's peer gate.
  TlsFiles tls;
};

/// Runs a worker until every scheduler goes away (exit status 1, with a
/// message) or it is killed.
int runWorker(const WorkerOptions &options);

struct ClusterRunOptions {
  /// A scheduler of the cluster, or several separated by commas: the job
  /// goes to its owner on the ring, and on to the next owner when that
  /// scheduler is lost.
  std::string scheduler;
  std::string token;
  std::string entry = "main";
  bool compiled = false;
  int64_t fanIn = tiling::kDefaultFanIn;
  std::function<void(const ChunkedProgress &)> progress;
  /// When set, the workers time every task and the run records them here:
  /// process w + 1 is worker w, its thread t + 1 pool thread t; fetches of
  /// inputs between workers are async spans of the worker that fetched.
  Trace *trace = nullptr;
  /// TLS to the scheduler and the workers (`ca`, or `cert`, is enough).
  TlsFiles tls;
};

/// The cluster token: `flag`, else $MARS_CLUSTER_TOKEN, else the first line
/// of `file` (or of $MARS_CLUSTER_TOKEN_FILE); an error says how to pass one.
llvm::Expected<std::string> resolveClusterToken(const std::string &flag,
                                                const std::string &file);

struct ClusterStats {
  int64_t tasks = 0, recomputed = 0;
  int64_t workersLost = 0, workers = 0;
  uint64_t bytesFetched = 0, bytesSpilled = 0;
  std::vector<int64_t> tasksPerWorker;
  /// Times the job's scheduler was lost after the job was, or may have been,
  /// handed to it (a submission in flight counts), and the next owner on
  /// the ring took the job over.
  int64_t takeovers = 0;
  /// The client's fetch of the results from the workers.
  uint64_t resultBytes = 0;
  double resultSeconds = 0;
};

/// Runs `entry` of the tiled (and fused) `module` on the cluster and
/// returns its results. Files of mars.save ops are written by the workers
/// (the client creates them: the directory must be shared with the workers).
/// Errors are messages, located at the failing op when there is one.
llvm::Expected<std::vector<numeric::NDArray>>
runOnCluster(mlir::ModuleOp module, std::vector<numeric::NDArray> args,
             const ClusterRunOptions &options, ClusterStats *stats = nullptr);

} // namespace mars::dist

#endif // MARS_DISTRIBUTED_CLUSTER_H
