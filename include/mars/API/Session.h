//===- Session.h - Executing tensors of the C++ API -------------*- C++ -*-===//
//
// An api::Session runs graphs of Tensors (API/Tensor.h) on a mars::Session:
// locally (the compiled engine on every core, with the memory limit and
// spilling) or on a cluster. One execute() call runs every tensor it is
// given as one program, so subexpressions they share are computed once.
// Afterwards each tensor holds its value (Tensor::value()); later
// expressions that use it read the value instead of recomputing it, and the
// value is freed with the last handle on it.
//
// Small programs (every array at most `smallElements` elements) run on the
// reference engine: no tiling and no kernel compilation, which is what
// eager mode on small arrays wants. Programs are cached by structure, so a
// loop that builds the same expression again skips building and compiling
// its IR.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_API_SESSION_H
#define MARS_API_SESSION_H

#include "mars/API/Tensor.h"
#include "mars/Session/Session.h"
#include "mars/Support/Trace.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <mutex>

namespace mars::api {

struct ApiOptions {
  /// Programs whose every array has at most this many elements run on the
  /// reference engine (0: never).
  int64_t smallElements = int64_t(1) << 14;
  /// Compiled programs kept for reuse.
  unsigned programCacheSize = 64;
};

/// What the last execute() did.
struct ExecuteReport {
  /// "reference", "chunked", "compiled", or "cached" when every tensor
  /// already had its value.
  std::string engine;
  bool programCacheHit = false;
  /// Graph to IR, and IR compilation (tiling, fusion).
  double buildSeconds = 0, compileSeconds = 0;
  RunReport run;
};

/// An llvm::Error carrying an api::Error (its kind, op and message).
class TensorError : public llvm::ErrorInfo<TensorError> {
public:
  static char ID;
  explicit TensorError(Error error) : error(std::move(error)) {}
  void log(llvm::raw_ostream &os) const override;
  std::error_code convertToErrorCode() const override;
  Error error;
};
/// The api::Error inside `err` (a TensorError, or any other llvm::Error as
/// a Runtime error). Consumes `err`.
Error toError(llvm::Error err);

class Session {
public:
  /// Opens a mars::Session with `options` (an address in options.cluster
  /// runs on that cluster).
  static llvm::Expected<std::unique_ptr<Session>>
  create(SessionOptions options, ApiOptions api = {});
  ~Session();

  /// Runs `body` (the engine's run of a program) with whatever lock the
  /// caller holds on the graph released: the Python binding releases the
  /// GIL there, so other threads may build graphs meanwhile.
  using RunUnlocked =
      llvm::function_ref<void(llvm::function_ref<void()> body)>;

  /// Computes every tensor that has no value yet, in one program. Fails
  /// with a TensorError (numpy's kind, the op, the reason) and leaves the
  /// tensors unexecuted. Graph building and execute() are called from one
  /// thread at a time (in Python, the one holding the GIL); only the
  /// engine's run happens inside `unlocked`, one run at a time per session.
  /// With `trace`, the execution records its steps there (building and
  /// compiling the program, then what mars::Session::execute records).
  llvm::Error execute(const std::vector<Tensor> &tensors,
                      RunUnlocked unlocked = nullptr, Trace *trace = nullptr);
  /// Executes `t` if needed and returns its value.
  llvm::Expected<std::shared_ptr<const NDArray>> fetch(const Tensor &t);

  /// A picture of the program that computing `tensors` runs, as the
  /// session's pipeline leaves it at `stage` (a Graphviz digraph, see
  /// Transforms/GraphDot.h). Executed tensors are its arguments. Nothing is
  /// run.
  llvm::Expected<std::string> graph(const std::vector<Tensor> &tensors,
                                    GraphStage stage);

  /// The chunk shape `t` gets: the one asked for, else the one mars-tile
  /// chooses for it in the program that computes it (an expression's from
  /// its operands' layouts; consumers that reduce it may keep the reduced
  /// axes whole).
  Shape chunkShape(const Tensor &t);

  const ExecuteReport &lastReport() const { return report; }
  mars::Session &engine() { return *main; }
  const SessionOptions &options() const { return main->options(); }
  const ApiOptions &apiOptions() const { return api; }

private:
  Session(std::unique_ptr<mars::Session> main, ApiOptions api);
  struct Programs;

  std::unique_ptr<mars::Session> main;
  /// The reference engine for small programs, opened on first use.
  std::unique_ptr<mars::Session> small;
  ApiOptions api;
  std::unique_ptr<Programs> programs;
  ExecuteReport report;
  /// Held by an engine run: the engine's caches serve one run at a time.
  std::mutex runMutex;
};

} // namespace mars::api

#endif // MARS_API_SESSION_H
