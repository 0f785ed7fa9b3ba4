//===- SpillStore.cpp - Chunks written to disk when memory runs short -----===//

#include "mars/Runtime/SpillStore.h"

#include "mars/Support/ByteSize.h"
#include "mars/Support/Error.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace mars;

std::string mars::defaultSpillRoot() {
  if (const char *tmp = std::getenv("TMPDIR"); tmp && *tmp)
    return tmp;
  return "/tmp";
}

//===----------------------------------------------------------------------===//
// Clean-up on SIGINT, SIGTERM, SIGHUP
//===----------------------------------------------------------------------===//
//
// A fixed table the signal handler can read without locks or allocation:
// each live store's file and directory. The handler unlinks and removes
// them, restores the previous handler (LLVM's, which removes its own files)
// and re-raises the signal, which is delivered once the handler returns.

namespace {

// Zero-initialized in .bss: a default member initializer here makes GCC emit
// a static constructor that writes a byte into every 8 KiB slot, faulting in
// 64 pages at every process start.
struct CleanupEntry {
  std::atomic<bool> used;
  char file[PATH_MAX];
  char dir[PATH_MAX];
};

constexpr int kCleanupSlots = 64;
CleanupEntry cleanupTable[kCleanupSlots];
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction previousActions[3];
std::once_flag handlersInstalled;

void onTerminatingSignal(int sig) {
  for (CleanupEntry &e : cleanupTable) {
    if (!e.used.load(std::memory_order_acquire))
      continue;
    ::unlink(e.file);
    ::rmdir(e.dir);
  }
  for (int i = 0; i < 3; ++i)
    if (kSignals[i] == sig)
      ::sigaction(sig, &previousActions[i], nullptr);
  ::raise(sig);
}

void installHandlers() {
  for (int i = 0; i < 3; ++i) {
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_handler = onTerminatingSignal;
    sigemptyset(&action.sa_mask);
    ::sigaction(kSignals[i], &action, &previousActions[i]);
  }
}

/// Registers `file` and `dir` for removal on a terminating signal; returns
/// the slot, or -1 when the table is full (the files are then only removed
/// at normal exit).
int registerCleanup(const std::string &file, const std::string &dir) {
  std::call_once(handlersInstalled, installHandlers);
  if (file.size() >= PATH_MAX || dir.size() >= PATH_MAX)
    return -1;
  static std::mutex tableMutex;
  std::lock_guard<std::mutex> lock(tableMutex);
  for (int i = 0; i < kCleanupSlots; ++i) {
    CleanupEntry &e = cleanupTable[i];
    if (e.used.load(std::memory_order_relaxed))
      continue;
    std::memcpy(e.file, file.c_str(), file.size() + 1);
    std::memcpy(e.dir, dir.c_str(), dir.size() + 1);
    e.used.store(true, std::memory_order_release);
    return i;
  }
  return -1;
}

void unregisterCleanup(int slot) {
  if (slot >= 0)
    cleanupTable[slot].used.store(false, std::memory_order_release);
}

} // namespace

//===----------------------------------------------------------------------===//
// The store
//===----------------------------------------------------------------------===//

SpillStore::SpillStore(std::string root, std::optional<uint64_t> capacity)
    : root_(std::move(root)), capacity_(capacity) {}

SpillStore::~SpillStore() {
  if (fd_ >= 0)
    ::close(fd_);
  if (!file_.empty())
    ::unlink(file_.c_str());
  if (!dir_.empty())
    ::rmdir(dir_.c_str());
  unregisterCleanup(cleanupSlot_);
}

uint64_t SpillStore::extentSize(uint64_t bytes) {
  return (bytes + 4095) / 4096 * 4096;
}

llvm::Error SpillStore::open() {
  if (fd_ >= 0)
    return llvm::Error::success();
  if (std::error_code ec = llvm::sys::fs::create_directories(root_))
    return makeError("cannot use spill directory '" + root_ + "': " +
                  ec.message());
  llvm::SmallString<256> pattern(root_);
  llvm::sys::path::append(pattern, "mars-spill-XXXXXX");
  std::string dir = pattern.str().str(); // NUL-terminated for mkdtemp.
  if (!::mkdtemp(dir.data()))
    return makeError("cannot create a directory in spill directory '" + root_ +
                  "': " + std::strerror(errno));
  dir_ = std::move(dir);
  llvm::SmallString<256> file(dir_);
  llvm::sys::path::append(file, "chunks.bin");
  file_ = file.str().str();
  // Registered before the file exists: a signal in between finds nothing to
  // unlink and still removes the directory.
  cleanupSlot_ = registerCleanup(file_, dir_);
  fd_ = ::open(file_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    llvm::Error err = makeError("cannot create spill file '" + file_ +
                             "': " + std::strerror(errno));
    ::rmdir(dir_.c_str());
    dir_.clear();
    file_.clear();
    unregisterCleanup(cleanupSlot_);
    cleanupSlot_ = -1;
    return err;
  }
  return llvm::Error::success();
}

llvm::Expected<SpillStore::Handle> SpillStore::write(const void *data,
                                                     uint64_t bytes) {
  llvm::Expected<Handle> h = reserve(bytes);
  if (!h)
    return h.takeError();
  bool diskFull = false;
  if (llvm::Error err = fill(*h, data, diskFull)) {
    // A file system that cannot reserve space finds the disk full here.
    full_ = diskFull;
    return std::move(err);
  }
  return h;
}

llvm::Expected<SpillStore::Handle> SpillStore::reserve(uint64_t bytes) {
  Handle h;
  h.bytes = bytes;
  const uint64_t extent = extentSize(bytes);
  std::lock_guard<std::mutex> lock(mutex_);
  if (llvm::Error err = open())
    return std::move(err);
  full_ = false;
  auto diskFull = [&](const std::string &why) {
    full_ = true;
    return makeError("cannot spill " + llvm::Twine(formatByteSize(bytes)) +
                     " to '" + file_ + "': " + why);
  };
  if (capacity_ && onDisk_ + extent > *capacity_)
    return diskFull("the disk is full (the spill limit " +
                    formatByteSize(*capacity_) + " is reached; " +
                    formatByteSize(onDisk_) + " spilled there now)");
  auto it = free_.find(extent);
  if (it != free_.end()) {
    h.offset = it->second.back();
    it->second.pop_back();
    if (it->second.empty())
      free_.erase(it);
  } else {
    h.offset = end_;
    end_ += extent;
  }
  // The extent's blocks, now: a full disk is found in order, under the
  // caller's control, and fill() then only copies. A file system without
  // fallocate finds a full disk in fill().
  int rc;
  do
    rc = ::fallocate(fd_, 0, h.offset, extent);
  while (rc != 0 && errno == EINTR);
  if (rc != 0 && (errno == ENOSPC || errno == EDQUOT)) {
    std::string why = errno == ENOSPC ? "the disk is full"
                                      : std::string(std::strerror(errno));
    // A failed fallocate may have allocated part of the range.
    (void)::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                      h.offset, extent);
    free_[extent].push_back(h.offset);
    return diskFull(why + " (" + formatByteSize(onDisk_) +
                    " spilled there now)");
  }
  onDisk_ += extent;
  return h;
}

llvm::Error SpillStore::fill(Handle &h, const void *data) {
  bool diskFull = false;
  return fill(h, data, diskFull);
}

llvm::Error SpillStore::fill(Handle &h, const void *data, bool &diskFull) {
  h.checksum = llvm::xxh3_64bits(
      llvm::ArrayRef<uint8_t>(static_cast<const uint8_t *>(data), h.bytes));
  const uint8_t *p = static_cast<const uint8_t *>(data);
  uint64_t done = 0;
  while (done < h.bytes) {
    ssize_t n = ::pwrite(fd_, p + done,
                         std::min<uint64_t>(h.bytes - done, 1u << 30),
                         h.offset + done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      int code = n < 0 ? errno : ENOSPC;
      remove(h);
      diskFull = code == ENOSPC || code == EDQUOT;
      std::string why = code == ENOSPC ? "the disk is full"
                                       : std::string(std::strerror(code));
      return makeError("cannot spill " + llvm::Twine(formatByteSize(h.bytes)) +
                       " to '" + file_ + "': " + why + " (" +
                       formatByteSize(bytesOnDisk()) + " spilled there now)");
    }
    done += n;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  written_ += h.bytes;
  return llvm::Error::success();
}

llvm::Error SpillStore::read(const Handle &h, void *data) {
  uint8_t *p = static_cast<uint8_t *>(data);
  uint64_t got = 0;
  while (got < h.bytes) {
    ssize_t n = ::pread(fd_, p + got, h.bytes - got, h.offset + got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return makeError("cannot read a spilled chunk from '" + file_ +
                    "' at offset " + llvm::Twine(h.offset) + ": " +
                    std::strerror(errno));
    if (n == 0)
      return makeError("spill file '" + file_ + "' is truncated: a chunk at "
                    "offset " + llvm::Twine(h.offset) + " has " +
                    llvm::Twine(got) + " of its " + llvm::Twine(h.bytes) +
                    " bytes");
    got += n;
  }
  if (llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(p, h.bytes)) != h.checksum)
    return makeError("spill file '" + file_ + "' was damaged: the chunk at "
                  "offset " + llvm::Twine(h.offset) +
                  " does not match its checksum");
  std::lock_guard<std::mutex> lock(mutex_);
  read_ += h.bytes;
  return llvm::Error::success();
}

void SpillStore::remove(const Handle &h) {
  const uint64_t extent = extentSize(h.bytes);
  // Gives the disk space back; the extent stays allocated in the file.
  // Failure (a file system without hole punching) only costs disk space.
  (void)::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                    h.offset, extent);
  std::lock_guard<std::mutex> lock(mutex_);
  free_[extent].push_back(h.offset);
  onDisk_ -= extent;
}

uint64_t SpillStore::bytesWritten() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return written_;
}
uint64_t SpillStore::bytesRead() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return read_;
}
uint64_t SpillStore::bytesOnDisk() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return onDisk_;
}
