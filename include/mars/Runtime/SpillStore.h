//===- SpillStore.h - Chunks written to disk when memory runs short -*- C++ -*-===//
//
// When the runtime's memory limit is reached, chunks needed furthest in the
// future are written here and read back on demand. All of a store's chunks
// live in one file, `chunks.bin`, in a private directory made on the first
// spill (under the spill root, default the system temp dir): a chunk is an
// extent of the file (4 KiB aligned); a freed extent's disk space is given
// back at once (FALLOC_FL_PUNCH_HOLE) and the extent is reused by the next
// chunk of the same size, so the file never holds much more than the chunks
// spilled now. The directory and the file are removed when the store is
// destroyed, and on SIGINT, SIGTERM and SIGHUP (a handler chained before
// LLVM's), so a run leaves no stray files whether it succeeds, fails or is
// interrupted; only SIGKILL can leave the directory behind.
//
// Each handle carries the XXH3 checksum of the chunk's bytes: a read that
// comes back short or different is an error naming the file, never wrong
// data. Writes, reads and removals may run concurrently, and a write may be
// split in two: reserve() takes the extent and its disk space (where a full
// disk is found), and fill() copies the bytes, later, on any thread.
//
// The format and its guarantees are described in docs/Runtime.md.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_RUNTIME_SPILLSTORE_H
#define MARS_RUNTIME_SPILLSTORE_H

#include "llvm/Support/Error.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mars {

/// $TMPDIR, else /tmp.
std::string defaultSpillRoot();

class SpillStore {
public:
  /// Where one spilled chunk is in the file.
  struct Handle {
    uint64_t offset = 0;
    uint64_t bytes = 0;
    uint64_t checksum = 0;
  };

  /// `capacity`: most bytes on disk at once (a quota; beyond it a write
  /// fails as if the disk were full).
  explicit SpillStore(std::string root,
                      std::optional<uint64_t> capacity = std::nullopt);
  ~SpillStore();
  SpillStore(const SpillStore &) = delete;
  SpillStore &operator=(const SpillStore &) = delete;

  /// Writes `bytes` bytes to a new extent: reserve() then fill().
  llvm::Expected<Handle> write(const void *data, uint64_t bytes);
  /// Takes a new extent for `bytes` bytes and allocates its disk space
  /// (fallocate), so that filling it cannot find the disk full: the cheap,
  /// ordered half of a write. A full disk or quota is found here.
  llvm::Expected<Handle> reserve(uint64_t bytes);
  /// Writes the chunk into the extent `handle` reserved, and records its
  /// checksum there: the slow half of a write, which may run on any thread
  /// while others reserve, read and remove. On failure (an I/O error) the
  /// extent is freed; `diskFull` says whether it failed for want of space (a
  /// file system that cannot reserve space finds a full disk only here).
  llvm::Error fill(Handle &handle, const void *data);
  llvm::Error fill(Handle &handle, const void *data, bool &diskFull);
  /// Whether the last write failed because the disk (or the quota) was
  /// full, rather than for another reason (a directory that cannot be
  /// made, an I/O error): a caller that can do without the disk goes on.
  bool lastWriteFoundDiskFull() const { return full_; }
  /// Reads the extent of `handle` into `data` and checks it.
  llvm::Error read(const Handle &handle, void *data);
  /// Frees the extent of `handle`.
  void remove(const Handle &handle);

  /// The spill file ("" before the first spill).
  const std::string &path() const { return file_; }
  uint64_t bytesWritten() const;
  uint64_t bytesRead() const;
  uint64_t bytesOnDisk() const;

private:
  /// Creates the directory and the file. Called with `mutex_` held.
  llvm::Error open();
  static uint64_t extentSize(uint64_t bytes);

  std::string root_, dir_, file_;
  std::optional<uint64_t> capacity_;
  int fd_ = -1;
  /// The slot of the signal-time clean-up table this store registered.
  int cleanupSlot_ = -1;

  mutable std::mutex mutex_;
  /// Guarded by `mutex_`: the file's end, free extents by size, counters.
  uint64_t end_ = 0;
  std::map<uint64_t, std::vector<uint64_t>> free_;
  uint64_t written_ = 0, read_ = 0, onDisk_ = 0;
  std::atomic<bool> full_{false};
};

} // namespace mars

#endif // MARS_RUNTIME_SPILLSTORE_H
