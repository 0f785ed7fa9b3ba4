//===- LocalRuntimeTest.cpp - Scheduler, memory limit, spill store --------===//
//
// The local runtime's promises that the differential suites cannot show from
// outside: the memory limit holds in RSS for data ten times its size, spilled
// chunks that come back damaged are errors, and every fault (unusable spill
// directory, full disk, an input file truncated while the run reads it)
// ends the run with a message and leaves no file behind.
//
//===----------------------------------------------------------------------===//

#include "mars/Runtime/ChunkedExecutor.h"
#include "mars/Runtime/SpillStore.h"

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Support/Npy.h"
#include "mars/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <atomic>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace mlir;
using namespace mars;

namespace {

/// A fresh directory under the temp dir, removed with everything in it.
class TempDir {
public:
  TempDir() {
    llvm::SmallString<128> p(defaultSpillRoot());
    llvm::sys::path::append(p, "mars-test-XXXXXX");
    path = p.str().str();
    EXPECT_NE(::mkdtemp(path.data()), nullptr);
  }
  ~TempDir() { llvm::sys::fs::remove_directories(path); }
  std::string operator/(llvm::StringRef name) const {
    llvm::SmallString<128> p(path);
    llvm::sys::path::append(p, name);
    return p.str().str();
  }
  /// The names in the directory.
  std::vector<std::string> list() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(path, ec), end;
         !ec && it != end; it.increment(ec))
      names.push_back(llvm::sys::path::filename(it->path()).str());
    return names;
  }
  std::string path;
};

/// Kilobytes of the field `name` ("VmRSS", "VmHWM") of /proc/self/status.
int64_t procStatusKiB(llvm::StringRef name) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (llvm::StringRef(line).starts_with(name.str() + ":"))
      return std::atoll(line.c_str() + name.size() + 1);
  return -1;
}

//===----------------------------------------------------------------------===//
// The spill store
//===----------------------------------------------------------------------===//

TEST(SpillStoreTest, RoundTripReusesExtentsAndCleansUp) {
  TempDir root;
  std::string dir;
  {
    SpillStore store(root.path);
    EXPECT_EQ(store.path(), "");
    std::vector<uint8_t> a(10000), b(10000), back(10000);
    for (size_t i = 0; i < a.size(); ++i) {
      a[i] = static_cast<uint8_t>(i * 7);
      b[i] = static_cast<uint8_t>(i * 13 + 1);
    }
    auto ha = store.write(a.data(), a.size());
    ASSERT_TRUE(static_cast<bool>(ha)) << llvm::toString(ha.takeError());
    dir = llvm::sys::path::parent_path(store.path()).str();
    EXPECT_TRUE(llvm::sys::fs::is_directory(dir));
    auto hb = store.write(b.data(), b.size());
    ASSERT_TRUE(static_cast<bool>(hb));
    ASSERT_FALSE(static_cast<bool>(store.read(*ha, back.data())));
    EXPECT_EQ(back, a);
    ASSERT_FALSE(static_cast<bool>(store.read(*hb, back.data())));
    EXPECT_EQ(back, b);
    // A freed extent is reused by the next chunk of its size.
    store.remove(*ha);
    EXPECT_EQ(store.bytesOnDisk(), 12288u);
    auto hc = store.write(b.data(), b.size());
    ASSERT_TRUE(static_cast<bool>(hc));
    EXPECT_EQ(hc->offset, ha->offset);
    EXPECT_EQ(store.bytesWritten(), 30000u);
    EXPECT_EQ(store.bytesRead(), 20000u);
  }
  EXPECT_FALSE(llvm::sys::fs::exists(dir));
  EXPECT_TRUE(root.list().empty());
}

TEST(SpillStoreTest, DamagedChunkIsAnErrorNamingTheFile) {
  TempDir root;
  SpillStore store(root.path);
  std::vector<uint8_t> a(5000, 42), back(5000);
  auto h = store.write(a.data(), a.size());
  ASSERT_TRUE(static_cast<bool>(h));
  int fd = ::open(store.path().c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  uint8_t bad = 43;
  ASSERT_EQ(::pwrite(fd, &bad, 1, h->offset + 1234), 1);
  ::close(fd);
  llvm::Error err = store.read(*h, back.data());
  ASSERT_TRUE(static_cast<bool>(err));
  std::string msg = llvm::toString(std::move(err));
  EXPECT_NE(msg.find(store.path()), std::string::npos) << msg;
  EXPECT_NE(msg.find("checksum"), std::string::npos) << msg;

  // Truncated behind the store's back.
  ASSERT_EQ(::truncate(store.path().c_str(), 100), 0);
  err = store.read(*h, back.data());
  ASSERT_TRUE(static_cast<bool>(err));
  msg = llvm::toString(std::move(err));
  EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
}

TEST(SpillStoreTest, ReservedExtentsAreFilledConcurrently) {
  // The local runtime reserves under its lock and fills on the workers.
  TempDir root;
  SpillStore store(root.path, /*capacity=*/16 * 8192);
  constexpr int kChunks = 16;
  std::vector<std::vector<uint8_t>> chunks(kChunks);
  std::vector<SpillStore::Handle> handles;
  for (int i = 0; i < kChunks; ++i) {
    chunks[i].resize(5000 + 97 * i);
    for (size_t j = 0; j < chunks[i].size(); ++j)
      chunks[i][j] = static_cast<uint8_t>(i * 31 + j);
    auto h = store.reserve(chunks[i].size());
    ASSERT_TRUE(static_cast<bool>(h)) << llvm::toString(h.takeError());
    handles.push_back(*h);
  }
  // Reserved extents count against the quota before they are filled.
  EXPECT_EQ(store.bytesOnDisk(), 16u * 8192);
  auto over = store.reserve(1);
  ASSERT_FALSE(static_cast<bool>(over));
  EXPECT_TRUE(store.lastWriteFoundDiskFull());
  EXPECT_NE(llvm::toString(over.takeError()).find("the disk is full"),
            std::string::npos);
  EXPECT_EQ(store.bytesWritten(), 0u);
  std::vector<std::thread> fillers;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    fillers.emplace_back([&, t] {
      for (int i = t; i < kChunks; i += 4)
        if (llvm::Error err = store.fill(handles[i], chunks[i].data())) {
          llvm::consumeError(std::move(err));
          ++failures;
        }
    });
  for (std::thread &f : fillers)
    f.join();
  EXPECT_EQ(failures.load(), 0);
  uint64_t total = 0;
  for (int i = 0; i < kChunks; ++i) {
    std::vector<uint8_t> back(chunks[i].size());
    ASSERT_FALSE(static_cast<bool>(store.read(handles[i], back.data())));
    EXPECT_EQ(back, chunks[i]) << "chunk " << i;
    total += chunks[i].size();
  }
  EXPECT_EQ(store.bytesWritten(), total);
  // A handle read before its fill would not match: the checksum is the
  // fill's.
  store.remove(handles[0]);
  auto again = store.reserve(chunks[0].size());
  ASSERT_TRUE(static_cast<bool>(again));
  std::vector<uint8_t> back(chunks[0].size());
  llvm::Error err = store.read(*again, back.data());
  ASSERT_TRUE(static_cast<bool>(err));
  EXPECT_NE(llvm::toString(std::move(err)).find("checksum"),
            std::string::npos);
}

TEST(SpillStoreTest, FullDiskAndUnusableDirectory) {
  TempDir root;
  {
    SpillStore store(root.path, /*capacity=*/8192);
    std::vector<uint8_t> a(4096, 1);
    EXPECT_TRUE(static_cast<bool>(store.write(a.data(), a.size())));
    EXPECT_TRUE(static_cast<bool>(store.write(a.data(), a.size())));
    auto h = store.write(a.data(), a.size());
    ASSERT_FALSE(static_cast<bool>(h));
    std::string msg = llvm::toString(h.takeError());
    EXPECT_NE(msg.find("the disk is full"), std::string::npos) << msg;
    EXPECT_NE(msg.find(store.path()), std::string::npos) << msg;
  }
  EXPECT_TRUE(root.list().empty());

  // A spill root below a regular file cannot be created (root ignores
  // permission bits, so a read-only directory would not do).
  std::ofstream(root / "file") << "x";
  SpillStore store(root / "file/spill");
  uint8_t byte = 0;
  auto h = store.write(&byte, 1);
  ASSERT_FALSE(static_cast<bool>(h));
  std::string msg = llvm::toString(h.takeError());
  EXPECT_NE(msg.find("cannot use spill directory '" + root / "file/spill"),
            std::string::npos)
      << msg;
}

//===----------------------------------------------------------------------===//
// The scheduler
//===----------------------------------------------------------------------===//

class LocalRuntimeTest : public ::testing::Test {
protected:
  LocalRuntimeTest() {
    context.loadDialect<MarsDialect, func::FuncDialect>();
    context.printOpOnDiagnostic(false);
  }

  /// Parses `source` and tiles it into chunks of `chunkBytes`; `fuse` also
  /// runs mars-fuse.
  func::FuncOp tiled(const std::string &source, int64_t chunkBytes,
                     bool fuse = false) {
    module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module);
    if (!module)
      return nullptr;
    PassManager pm(&context);
    MarsTileOptions options;
    options.chunkBytes = chunkBytes;
    pm.addNestedPass<func::FuncOp>(createMarsTile(options));
    if (fuse)
      pm.addNestedPass<func::FuncOp>(createMarsFuse());
    if (failed(pm.run(*module))) {
      ADD_FAILURE() << "tiling failed";
      return nullptr;
    }
    return module->lookupSymbol<func::FuncOp>("main");
  }

  /// Runs `func`; returns the error message ("" on success) and the results.
  std::string run(func::FuncOp func, const ChunkedOptions &options,
                  std::vector<numeric::NDArray> *results = nullptr,
                  ChunkedStats *stats = nullptr) {
    std::string message;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
      message = d.str();
      return success();
    });
    auto r = evaluateChunked(func, {}, options, stats);
    if (succeeded(r) && results)
      *results = std::move(*r);
    if (succeeded(r))
      EXPECT_EQ(message, "");
    else
      EXPECT_NE(message, "");
    return message;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

// The variance of 320 MB of running sums of random numbers, computed as
// mean((b - mean(b))^2) without fusion, so `b` must outlive the first mean:
// with a 32 MB limit, nine tenths of it goes to disk and comes back (a
// scan's chunks are always stored; random numbers alone would be dropped
// and drawn again).
constexpr const char *kVariance = R"mlir(
func.func @main() -> tensor<f64> {
  %r = mars.random_uniform seed = 7, low = 0.0, high = 1.0 : tensor<4000x10000xf64>
  %b = mars.cumsum %r axis = 0 : tensor<4000x10000xf64> -> tensor<4000x10000xf64>
  %m = mars.mean %b axes = [0, 1] : tensor<4000x10000xf64> -> tensor<f64>
  %d = mars.sub %b, %m : (tensor<4000x10000xf64>, tensor<f64>) -> tensor<4000x10000xf64>
  %s = mars.square %d : tensor<4000x10000xf64>
  %v = mars.mean %s axes = [0, 1] : tensor<4000x10000xf64> -> tensor<f64>
  return %v : tensor<f64>
}
)mlir";

TEST_F(LocalRuntimeTest, PeakRSSStaysUnderTheLimitForTenTimesTheData) {
  TempDir spill;
  const uint64_t limit = 32 << 20;
  func::FuncOp func = tiled(kVariance, 1 << 20);
  ASSERT_TRUE(func);
  ChunkedOptions options;
  options.memoryLimit = limit;
  options.spillDir = spill.path;
  options.threads = 2;
  // Peak RSS from here on (Linux: writing 5 to clear_refs resets VmHWM).
  { std::ofstream("/proc/self/clear_refs") << "5"; }
  int64_t before = procStatusKiB("VmRSS");
  std::vector<numeric::NDArray> results;
  ChunkedStats stats;
  ASSERT_EQ(run(func, options, &results, &stats), "");
  int64_t peak = procStatusKiB("VmHWM");
  ASSERT_GT(before, 0);
  ASSERT_GT(peak, 0);
  uint64_t grew = static_cast<uint64_t>(peak - before) * 1024;
  // The documented slack (docs/Runtime.md): the buffer pool (limit/8 here)
  // and per-thread allocator arenas and stacks, a few MiB.
  EXPECT_LT(grew, limit + limit / 8 + (8u << 20))
      << "peak RSS grew by " << grew << " bytes";
  EXPECT_LE(stats.peakMemory, limit);
  EXPECT_GT(stats.bytesSpilled, uint64_t(250) << 20);
  EXPECT_GE(stats.bytesReadBack, stats.bytesSpilled);
  ASSERT_EQ(results.size(), 1u);
  // The combine trees' order is fixed: the same sums as in memory.
  std::vector<numeric::NDArray> expected;
  ASSERT_EQ(run(func, ChunkedOptions{}, &expected), "");
  ASSERT_EQ(expected.size(), 1u);
  EXPECT_EQ(results[0].data<double>()[0], expected[0].data<double>()[0]);
  EXPECT_TRUE(spill.list().empty());
}

TEST_F(LocalRuntimeTest, LimitTooSmallSaysWhatItNeeds) {
  func::FuncOp func = tiled(kVariance, 1 << 20);
  ASSERT_TRUE(func);
  ChunkedOptions options;
  options.memoryLimit = 512 << 10; // Below one 1 MiB chunk.
  std::string msg = run(func, options);
  EXPECT_NE(msg.find("cannot hold the next chunk task of this op "
                     "(mars.random_uniform): it needs"),
            std::string::npos)
      << msg;
}

TEST_F(LocalRuntimeTest, FullSpillDiskIsAnErrorAndLeavesNoFiles) {
  TempDir spill;
  func::FuncOp func = tiled(kVariance, 1 << 20);
  ASSERT_TRUE(func);
  ChunkedOptions options;
  options.memoryLimit = 32 << 20;
  options.spillDir = spill.path;
  options.spillCapacity = 64 << 20; // The run needs about 290 MB.
  std::string msg = run(func, options);
  EXPECT_NE(msg.find("the disk is full"), std::string::npos) << msg;
  EXPECT_NE(msg.find("chunks.bin"), std::string::npos) << msg;
  EXPECT_TRUE(spill.list().empty());
}

TEST_F(LocalRuntimeTest, UnusableSpillDirectoryIsAnError) {
  TempDir dir;
  std::ofstream(dir / "file") << "x";
  func::FuncOp func = tiled(kVariance, 1 << 20);
  ASSERT_TRUE(func);
  ChunkedOptions options;
  options.memoryLimit = 32 << 20;
  options.spillDir = dir / "file/spill";
  std::string msg = run(func, options);
  EXPECT_NE(msg.find("cannot use spill directory"), std::string::npos) << msg;
  EXPECT_EQ(dir.list(), std::vector<std::string>{"file"});
}

TEST_F(LocalRuntimeTest, InputTruncatedMidRunIsAnErrorAndLeavesNoFiles) {
  TempDir dir;
  numeric::NDArray input(numeric::DType::F64, {1000, 1000});
  for (int64_t i = 0; i < 1000 * 1000; ++i)
    reinterpret_cast<double *>(input.bytes())[i] = i;
  ASSERT_FALSE(static_cast<bool>(writeNpy(dir / "in.npy", input)));
  std::string source = R"mlir(
func.func @main() -> tensor<f64> {
  %a = mars.load ")mlir" + dir / "in.npy" + R"mlir(" : tensor<1000x1000xf64>
  %b = mars.mul %a, %a : (tensor<1000x1000xf64>, tensor<1000x1000xf64>) -> tensor<1000x1000xf64>
  mars.save %b, ")mlir" + dir / "out.npy" + R"mlir(" : tensor<1000x1000xf64>
  %s = mars.sum %b axes = [0, 1] : tensor<1000x1000xf64> -> tensor<f64>
  return %s : tensor<f64>
}
)mlir";
  func::FuncOp func = tiled(source, 64 << 10);
  ASSERT_TRUE(func);
  ChunkedOptions options;
  options.spillDir = dir.path;
  // The header was read while the run was prepared; the first progress
  // report comes before any chunk is read.
  bool truncated = false;
  options.progress = [&](const ChunkedProgress &) {
    if (!truncated) {
      EXPECT_EQ(::truncate((dir / "in.npy").c_str(), 4096), 0);
    }
    truncated = true;
  };
  std::string msg = run(func, options);
  EXPECT_TRUE(truncated);
  EXPECT_NE(msg.find(dir / "in.npy"), std::string::npos) << msg;
  EXPECT_NE(msg.find("file size"), std::string::npos) << msg;
  EXPECT_EQ(dir.list(), std::vector<std::string>{"in.npy"});
}

TEST_F(LocalRuntimeTest, ResultsDoNotDependOnThreadsOrSpilling) {
  // kVariance at a tenth of the size: 32 MB.
  std::string source = kVariance;
  for (size_t at; (at = source.find("4000x")) != std::string::npos;)
    source.replace(at, 5, "400x");
  func::FuncOp func = tiled(source, 256 << 10);
  ASSERT_TRUE(func);
  std::vector<double> got;
  for (unsigned threads : {1u, 2u, 4u})
    for (uint64_t limit : {uint64_t(1) << 30, uint64_t(3) << 20}) {
      TempDir spill;
      ChunkedOptions options;
      options.threads = threads;
      options.memoryLimit = limit;
      options.spillDir = spill.path;
      std::vector<numeric::NDArray> results;
      ASSERT_EQ(run(func, options, &results), "");
      got.push_back(results[0].data<double>()[0]);
    }
  // Partials combine in a fixed tree: bit for bit the same.
  for (double v : got)
    EXPECT_EQ(v, got[0]);
}

} // namespace
