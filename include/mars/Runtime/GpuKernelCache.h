//===- GpuKernelCache.h - PTX for each distinct chunk kernel once -*- C++ -*-===//
//
// The GPU counterpart of KernelCache.h: turns kernel sources into PTX
// (LowerGpuKernel.h) for one architecture. A kernel is identified by the
// SHA-256 of its GPU IR, the architecture and the ABI; PTX is kept in memory
// and on disk (<key>.ptx in the cache directory), so a second run generates
// nothing. Needs no GPU: the driver turns PTX into machine code when the
// runtime loads it (and keeps its own cache of that).
//
//===----------------------------------------------------------------------===//

#ifndef MARS_RUNTIME_GPUKERNELCACHE_H
#define MARS_RUNTIME_GPUKERNELCACHE_H

#include "mars/Conversion/ChunkKernel.h"

#include "llvm/Support/Error.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mars {

struct GpuKernelOptions {
  /// Where PTX is kept across runs; empty: in memory only.
  std::string directory;
  /// The target architecture (sm_80, sm_90, ...).
  std::string arch;
  /// Testing without a GPU: also compile every kernel for this CPU
  /// (convertGpuKernelsForHost), for CudaDevice's emulator.
  bool hostEmulation = false;
};

/// One kernel's PTX and the entry points it defines (ChunkKernel.h).
struct GpuKernelImage {
  std::string key;
  std::string ptx;
  /// Reductions define `<entry>_seq`, `<entry>_tree` and `<entry>_combine`;
  /// maps define `<entry>`.
  bool reduction = false;
  /// mars_kernel_<first 24 hex digits of key>.
  std::string entry;
  /// With GpuKernelOptions::hostEmulation: each entry point compiled for
  /// this CPU (see convertGpuKernelsForHost), and whether it has barriers.
  struct HostEntry {
    void *fn = nullptr;
    bool barriers = false;
  };
  std::map<std::string, HostEntry> hostEntries;
};

enum class GpuEmitKind { MLIR, PTX };

class GpuKernelCache {
public:
  struct Stats {
    struct Kernel {
      std::string key;
      double compileSeconds = 0;
      bool fromDisk = false;
    };
    std::vector<Kernel> kernels;
    int64_t reused = 0;
    /// Cache entries found damaged (their seal did not match), built again.
    int64_t damaged = 0;
  };

  static llvm::Expected<std::unique_ptr<GpuKernelCache>>
  create(const GpuKernelOptions &options);
  ~GpuKernelCache();

  /// The PTX for `source` (owned by the cache; stable).
  llvm::Expected<const GpuKernelImage *> get(const codegen::KernelSource &source);
  /// The code generated for `source` at stage `kind`, as text.
  llvm::Expected<std::string> emit(const codegen::KernelSource &source,
                                   GpuEmitKind kind);

  const std::string &arch() const;
  const Stats &stats() const { return stats_; }

private:
  struct Impl;
  explicit GpuKernelCache(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
  Stats stats_;
};

} // namespace mars

#endif // MARS_RUNTIME_GPUKERNELCACHE_H
