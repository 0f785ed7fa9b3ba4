//===- KernelCacheTest.cpp - Generated chunk kernels ----------------------===//
//
// Generated kernels against the reference definitions at the edges the
// differential suites reach less easily: Philox counters above 2^32, boxes
// far from the origin, and the cache's reuse of a kernel.
//
//===----------------------------------------------------------------------===//

#include "mars/Runtime/KernelCache.h"

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Numeric/Philox.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cstring>
#include <type_traits>

using namespace mlir;
using namespace mars;

namespace {

// Rows of 10^9 elements: the last rows' global indices pass 2^32, so both
// counter words matter.
constexpr int64_t kCols = 1000000000;
constexpr int64_t kRow = 7, kCol = kCols - 1000, kN = 1000;

class KernelCacheTest : public ::testing::Test {
protected:
  KernelCacheTest() {
    context.loadDialect<MarsDialect, func::FuncDialect>();
    auto created = KernelCache::create({});
    EXPECT_TRUE(static_cast<bool>(created));
    cache = std::move(*created);
  }

  /// The kernel of the mars.fused op in @main of `source`.
  KernelFn kernelOf(const std::string &source) {
    module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module);
    FusedOp fused;
    module->walk([&](FusedOp op) { fused = op; });
    std::string why;
    auto src = codegen::KernelSource::forOp(fused, why);
    EXPECT_TRUE(succeeded(src)) << why;
    auto fn = cache->get(*src);
    EXPECT_TRUE(static_cast<bool>(fn));
    return *fn;
  }

  /// Runs a map kernel with no inputs over the row `row`, columns
  /// [col, col + n) of a 2-d value; returns the elements.
  template <typename T>
  std::vector<T> runRow(KernelFn fn, int64_t row, int64_t col, int64_t n) {
    std::vector<T> out(n);
    // Sizes, origin, the output's strides, then KernelABI::threaded (0:
    // the serial loop).
    int64_t meta[] = {1, n, row, col, n, 1, 0};
    void *ptrs[] = {out.data()};
    fn(ptrs, meta);
    return out;
  }

  /// Checks the kernel of `source` (which squares a random op's values)
  /// against `reference(global index)` squared, bit for bit, on the last
  /// row's final elements.
  template <typename T, typename F>
  void expectRowMatches(const std::string &source, F reference) {
    auto got = runRow<T>(kernelOf(source), kRow, kCol, kN);
    for (int64_t j = 0; j < kN; ++j) {
      T v = reference(kRow * kCols + kCol + j);
      T want;
      if constexpr (std::is_integral_v<T>)
        want = static_cast<T>(static_cast<uint64_t>(v) *
                              static_cast<uint64_t>(v));
      else
        want = v * v;
      ASSERT_EQ(std::memcmp(&got[j], &want, sizeof want), 0)
          << "element " << j;
    }
  }

  static std::string program(const std::string &type, const std::string &op) {
    return "func.func @main() -> " + type + " {\n"
           "  %r = mars.fused () : () -> " + type + " {\n"
           "    %v = " + op + " : " + type + "\n"
           "    %s = mars.square %v : " + type + "\n"
           "    mars.yield %s : " + type + "\n"
           "  }\n"
           "  return %r : " + type + "\n}\n";
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::unique_ptr<KernelCache> cache;
};

TEST_F(KernelCacheTest, UniformF64MatchesReference) {
  expectRowMatches<double>(
      program("tensor<8x1000000000xf64>",
              "mars.random_uniform seed = 123456789012, low = -2.0, "
              "high = 3.0"),
      [](int64_t g) { return numeric::uniformF64(123456789012, g, -2.0, 3.0); });
}

TEST_F(KernelCacheTest, UniformF32MatchesReference) {
  expectRowMatches<float>(
      program("tensor<8x1000000000xf32>",
              "mars.random_uniform seed = 5, low = 0.5, high = 1.5"),
      [](int64_t g) { return numeric::uniformF32(5, g, 0.5, 1.5); });
}

TEST_F(KernelCacheTest, NormalMatchesReference) {
  expectRowMatches<double>(
      program("tensor<8x1000000000xf64>",
              "mars.random_normal seed = 77, loc = 1.0, scale = 0.25"),
      [](int64_t g) { return numeric::normalF64(77, g, 1.0, 0.25); });
}

TEST_F(KernelCacheTest, IntegersMatchReference) {
  // Squares wrap: compare as the kernel computes them, in uint64.
  expectRowMatches<int64_t>(
      program("tensor<8x1000000000xi64>",
              "mars.random_integers seed = 9, low = -1000, high = 1000000007"),
      [](int64_t g) {
        return numeric::integerInRange(9, g, -1000, 1000000007);
      });
}

TEST_F(KernelCacheTest, SameKernelIsCompiledOnce) {
  std::string source = program("tensor<4x4xf64>",
                               "mars.random_uniform seed = 1, low = 0.0, "
                               "high = 1.0");
  KernelFn first = kernelOf(source);
  KernelFn second = kernelOf(source);
  EXPECT_EQ(first, second);
  EXPECT_EQ(cache->stats().kernels.size(), 1u);
  EXPECT_EQ(cache->stats().reused, 1);
}

TEST(BufferPoolTest, ReusesFreedBuffersOfTheSameSize) {
  numeric::setBufferPoolCapacity(size_t(64) << 20);
  void *a = numeric::allocateBuffer(3 << 20);
  numeric::deallocateBuffer(a, 3 << 20);
  void *b = numeric::allocateBuffer(3 << 20);
  EXPECT_EQ(a, b);
  void *c = numeric::allocateBuffer(3 << 20);
  EXPECT_NE(b, c);
  numeric::deallocateBuffer(b, 3 << 20);
  numeric::deallocateBuffer(c, 3 << 20);
  // Capacity 0 gives everything back and keeps nothing.
  numeric::setBufferPoolCapacity(0);
  void *d = numeric::allocateBuffer(3 << 20);
  numeric::deallocateBuffer(d, 3 << 20);
  numeric::setBufferPoolCapacity(size_t(256) << 20);
}

TEST(BufferPoolTest, ReusesTheSmallestLargerBufferUpToTwiceTheSize) {
  numeric::setBufferPoolCapacity(0); // Empty it.
  numeric::setBufferPoolCapacity(size_t(64) << 20);
  const size_t big = 4 << 20, small = (3 << 20) + 100;
  auto *a = static_cast<char *>(numeric::allocateBuffer(big));
  a[big - 1] = 1;
  numeric::deallocateBuffer(a, big);
  // A smaller buffer within twice the size: the same pages, the tail past
  // it given back (the pool now holds `small` bytes there).
  auto *b = static_cast<char *>(numeric::allocateBuffer(small));
  EXPECT_EQ(a, b);
  b[small - 1] = 2;
  numeric::deallocateBuffer(b, small);
  void *c = numeric::allocateBuffer(small);
  EXPECT_EQ(c, b);
  numeric::deallocateBuffer(c, small);
  // Less than half of the free buffer: a fresh one.
  void *d = numeric::allocateBuffer(1 << 20);
  EXPECT_NE(d, c);
  numeric::deallocateBuffer(d, 1 << 20);
  // Larger than any free buffer: a fresh one.
  void *e = numeric::allocateBuffer(big);
  EXPECT_NE(e, c);
  numeric::deallocateBuffer(e, big);
  numeric::setBufferPoolCapacity(0);
  numeric::setBufferPoolCapacity(size_t(256) << 20);
}

} // namespace
