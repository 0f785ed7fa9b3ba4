//===- mars-scheduler.cpp - The scheduler of a Mars cluster ---------------===//
//
//   mars-scheduler [--listen HOST:PORT] [--join HOST:PORT,...]
//                  [--token T | --token-file F]
//                  [--tls-cert F --tls-key F] [--dashboard HOST:PORT]
//
// Accepts workers (mars-worker) and clients (mars-run --cluster), places the
// chunk tasks of submitted programs on workers and tracks where every chunk
// lives. With --join, it is one of several schedulers on a consistent-hash
// ring, which take over each other's jobs. See docs/Distributed.md.
//
//===----------------------------------------------------------------------===//

#include "mars/Distributed/Cluster.h"
#include "mars/Distributed/Ring.h"
#include "mars/Distributed/TlsFlags.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::OptionCategory category("mars-scheduler options");
  cl::opt<std::string> listen(
      "listen", cl::desc("Address to listen on (port 0: any free port)"),
      cl::init("127.0.0.1:7077"), cl::cat(category));
  cl::opt<std::string> token(
      "token",
      cl::desc("The cluster token workers and clients must present (else "
               "$MARS_CLUSTER_TOKEN, --token-file or $MARS_CLUSTER_TOKEN_FILE)"),
      cl::cat(category));
  cl::opt<std::string> tokenFile("token-file",
                                 cl::desc("A file whose first line is the token"),
                                 cl::cat(category));
  cl::opt<std::string> join(
      "join",
      cl::desc("Other schedulers of the cluster, HOST:PORT separated by commas "
               "(one member is enough: the rest are learnt from it); jobs are "
               "placed on a consistent-hash ring of all of them, and a job "
               "whose scheduler is lost is taken over by the next"),
      cl::value_desc("HOST:PORT,..."), cl::cat(category));
  cl::opt<std::string> addressFile(
      "address-file",
      cl::desc("Write the bound HOST:PORT here once listening"),
      cl::cat(category));
  cl::opt<double> heartbeat("heartbeat",
                            cl::desc("Seconds between heartbeats to workers and greetings to other "
               "schedulers"),
                            cl::init(1.0), cl::cat(category));
  cl::opt<double> deadAfter(
      "dead-after",
      cl::desc("Seconds without a heartbeat reply before a worker is lost "
               "(or another scheduler taken for down)"),
      cl::init(3.0), cl::cat(category));
  cl::opt<bool> blind("locality-blind",
                      cl::desc("For comparison: place tasks round-robin, "
                               "ignoring where their inputs are"),
                      cl::cat(category));
  cl::opt<bool> quiet("quiet", cl::desc("No log lines on stderr"),
                      cl::cat(category));
  cl::opt<std::string> dashboard(
      "dashboard",
      cl::desc("Serve a live web page of the cluster (workers, jobs, task "
               "stream, transfers) on HOST:PORT, or on 127.0.0.1:PORT given a "
               "port; off loopback it asks for the cluster token"),
      cl::value_desc("HOST:PORT"), cl::cat(category));
  mars::dist::TlsFlags tls(category, "the scheduler's port and dashboard");
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "The scheduler of a Mars cluster\n");

  mars::dist::SchedulerOptions options;
  options.listen = listen;
  options.join = mars::dist::splitAddresses(join);
  options.addressFile = addressFile;
  options.heartbeatSeconds = heartbeat;
  options.deadAfterSeconds = deadAfter;
  options.localityBlind = blind;
  options.quiet = quiet;
  options.dashboard = dashboard;
  options.tls = tls.files();
  if (!token.empty()) {
    options.token = token;
  } else if (!tokenFile.empty()) {
    ::setenv("MARS_CLUSTER_TOKEN_FILE", tokenFile.c_str(), 1);
  }
  if (heartbeat <= 0 || deadAfter <= heartbeat) {
    llvm::errs() << "mars-scheduler: --dead-after must exceed --heartbeat, "
                    "both positive\n";
    return 1;
  }
  return mars::dist::runScheduler(options);
}
