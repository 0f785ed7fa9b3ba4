//===- mars-worker.cpp - A worker of a Mars cluster -----------------------===//
//
//   mars-worker --scheduler HOST:PORT [--threads N] [--memory-limit M]
//               [--spill-dir D] [--token T | --token-file F]
//               [--tls-cert F --tls-key F [--tls-ca F]]
//
// Runs the chunk tasks the scheduler assigns with the local runtime's
// kernels, fetches their inputs from peers, and serves its chunks to them.
// See docs/Distributed.md.
//
//===----------------------------------------------------------------------===//

#include "mars/Distributed/Cluster.h"
#include "mars/Distributed/TlsFlags.h"
#include "mars/Numeric/NDArray.h"
#include "mars/Support/ByteSize.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

namespace cl = llvm::cl;

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::OptionCategory category("mars-worker options");
  cl::opt<std::string> scheduler(
      "scheduler",
      cl::desc("A scheduler's HOST:PORT, or several separated by commas: the "
               "worker joins every scheduler of the cluster, learnt from the "
               "first that answers"),
      cl::init("127.0.0.1:7077"), cl::cat(category));
  cl::opt<std::string> listen(
      "listen",
      cl::desc("Where peers fetch this worker's chunks (port 0: any)"),
      cl::init("127.0.0.1:0"), cl::cat(category));
  // libMLIR registers its own --threads: ours is --run-threads inside, and
  // --threads on the command line is renamed to it below (as in mars-run).
  cl::opt<unsigned> threads("run-threads",
                            cl::desc("Threads running tasks (0: one per core)"),
                            cl::init(0), cl::cat(category));
  cl::opt<std::string> memoryLimit(
      "memory-limit",
      cl::desc("Chunk bytes held in memory before spilling, e.g. 2GiB "
               "(default: 80% of RAM)"),
      cl::cat(category));
  cl::opt<std::string> spillDir(
      "spill-dir", cl::desc("Where chunks go when memory runs short"),
      cl::cat(category));
  cl::opt<std::string> kernelCache(
      "kernel-cache",
      cl::desc("Directory of compiled kernels kept across runs ('none': "
               "memory only)"),
      cl::cat(category));
  cl::opt<std::string> token("token", cl::desc("The cluster token"),
                             cl::cat(category));
  cl::opt<std::string> tokenFile("token-file",
                                 cl::desc("A file whose first line is the token"),
                                 cl::cat(category));
  cl::opt<bool> quiet("quiet", cl::desc("No log lines on stderr"),
                      cl::cat(category));
  mars::dist::TlsFlags tls(category,
                           "the worker's connections and its peer gate");
  cl::HideUnrelatedOptions(category);
  std::vector<std::string> renamed;
  renamed.reserve(argc); // c_str() pointers below stay valid: no regrowth.
  std::vector<const char *> args(argv, argv + argc);
  for (const char *&arg : args) {
    llvm::StringRef a(arg);
    if ((a.consume_front("--") || a.consume_front("-")) &&
        a.consume_front("threads") && (a.empty() || a.starts_with("="))) {
      renamed.push_back(("--run-threads" + a).str());
      arg = renamed.back().c_str();
    }
  }
  cl::ParseCommandLineOptions(args.size(), args.data(),
                              "A worker of a Mars cluster\n");

  mars::dist::WorkerOptions options;
  options.scheduler = scheduler;
  options.listen = listen;
  options.threads = threads;
  options.spillDir = spillDir;
  options.kernelCacheDir = kernelCache;
  options.quiet = quiet;
  options.tls = tls.files();
  if (!memoryLimit.empty()) {
    auto limit = mars::parseByteSize(memoryLimit);
    if (!limit) {
      llvm::errs() << "mars-worker: --memory-limit: "
                   << llvm::toString(limit.takeError()) << "\n";
      return 1;
    }
    options.memoryLimit = *limit;
  }
  if (!token.empty())
    options.token = token;
  else if (!tokenFile.empty())
    ::setenv("MARS_CLUSTER_TOKEN_FILE", tokenFile.c_str(), 1);
  mars::numeric::setBufferPoolCapacity(mars::numeric::bufferPoolCapacityFor(
      options.memoryLimit ? options.memoryLimit : mars::physicalMemoryBytes()));
  return mars::dist::runWorker(options);
}
