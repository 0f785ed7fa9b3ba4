//===- PhiloxTest.cpp - Philox4x32-10 known answers and value mapping -----===//

#include "mars/Numeric/Philox.h"

#include "gtest/gtest.h"

using namespace mars::numeric;

namespace {

// Known-answer vectors of Random123 (kat_vectors, philox4x32 10 rounds).
TEST(PhiloxTest, KnownAnswers) {
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}),
            (PhiloxBlock{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
                          {0xffffffff, 0xffffffff}),
            (PhiloxBlock{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                          {0xa4093822, 0x299f31d0}),
            (PhiloxBlock{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(PhiloxTest, CounterIsTheGlobalIndex) {
  // Element i depends on nothing but (seed, i): any chunking reproduces it.
  uint64_t index = (uint64_t(3) << 32) | 17;
  PhiloxBlock direct = philox4x32_10({17, 3, 0, 0}, {42, 0});
  EXPECT_EQ(randomBlock(42, index), direct);
  EXPECT_NE(randomBlock(42, index), randomBlock(43, index));
  EXPECT_NE(randomBlock(42, index), randomBlock(42, index + 1));
}

TEST(PhiloxTest, UniformStaysInRange) {
  for (uint64_t i = 0; i < 100000; ++i) {
    double u = uniformF64(9, i, 0.0, 1.0);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    float f = uniformF32(9, i, -1.0, 1.0);
    ASSERT_GE(f, -1.0f);
    ASSERT_LE(f, 1.0f);
    int64_t k = integerInRange(9, i, -3, 4);
    ASSERT_GE(k, -3);
    ASSERT_LT(k, 4);
  }
}

TEST(PhiloxTest, MomentsLookRight) {
  const int n = 200000;
  double sum = 0, sumSq = 0, nsum = 0, nsumSq = 0;
  for (int i = 0; i < n; ++i) {
    double u = uniformF64(1, i, 0.0, 1.0);
    sum += u;
    sumSq += u * u;
    double z = normalF64(2, i, 0.0, 1.0);
    nsum += z;
    nsumSq += z * z;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);
  EXPECT_NEAR(sumSq / n - (sum / n) * (sum / n), 1.0 / 12, 0.002);
  EXPECT_NEAR(nsum / n, 0.0, 0.01);
  EXPECT_NEAR(nsumSq / n, 1.0, 0.02);
}

TEST(PhiloxTest, FullInt64RangeDoesNotOverflow) {
  int64_t lo = INT64_MIN, hi = INT64_MAX;
  for (uint64_t i = 0; i < 1000; ++i) {
    int64_t k = integerInRange(5, i, lo, hi);
    ASSERT_LT(k, hi);
  }
}

} // namespace
