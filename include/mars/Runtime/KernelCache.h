//===- KernelCache.h - Compile each distinct chunk kernel once ---*- C++ -*-===//
//
// Turns kernel sources (ChunkKernel.h) into callable native code. A kernel is
// identified by the SHA-256 of its loop-level IR and the target (triple,
// CPU, features, kernel ABI): the object code is kept in memory for the
// process and on disk under the cache directory, so a second run of the same
// program compiles nothing. Objects are loaded into an ORC LLJIT, which
// resolves libm, libomp and the ScalarABI.h helpers.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_RUNTIME_KERNELCACHE_H
#define MARS_RUNTIME_KERNELCACHE_H

#include "mars/Conversion/ChunkKernel.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace mars {

using KernelFn = void (*)(void **ptrs, const int64_t *meta);

struct KernelCacheOptions {
  /// Where objects are kept across runs; empty: in memory only.
  std::string directory;
  /// Let kernels split a chunk over OpenMP threads.
  bool parallel = true;
};

/// The default cache directory: $MARS_KERNEL_CACHE, else
/// $XDG_CACHE_HOME/mars/kernels, else ~/.cache/mars/kernels.
std::string defaultKernelCacheDirectory();
/// The directory a --kernel-cache flag names: empty, the default; "none",
/// none (memory only, returned as "").
std::string resolveKernelCacheDirectory(llvm::StringRef flag);

enum class KernelEmitKind { MLIR, LLVM, Asm };

class KernelCache {
public:
  struct KernelRecord {
    std::string name;
    /// Seconds spent generating code (0 when loaded from disk).
    double compileSeconds = 0;
    bool fromDisk = false;
  };
  struct Stats {
    std::vector<KernelRecord> kernels;
    /// Lookups answered by a kernel already loaded in this process.
    int64_t reused = 0;
    /// Cache entries found damaged (their seal did not match), built again.
    int64_t damaged = 0;
  };

  static llvm::Expected<std::unique_ptr<KernelCache>>
  create(const KernelCacheOptions &options);
  ~KernelCache();

  /// The native kernel for `source`.
  llvm::Expected<KernelFn> get(const codegen::KernelSource &source);

  /// The code generated for `source` at stage `kind`, as text.
  llvm::Expected<std::string> emit(const codegen::KernelSource &source,
                                   KernelEmitKind kind);

  const Stats &stats() const { return stats_; }

private:
  struct Impl;
  explicit KernelCache(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
  Stats stats_;
};

} // namespace mars

#endif // MARS_RUNTIME_KERNELCACHE_H
