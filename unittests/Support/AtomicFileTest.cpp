//===- AtomicFileTest.cpp - Sealed cache entries --------------------------===//

#include "mars/Support/AtomicFile.h"

#include "gtest/gtest.h"

using namespace mars;

namespace {

TEST(CacheEntryTest, SealedEntryOpens) {
  for (std::string payload : {std::string(), std::string("x"),
                              std::string(100000, '\x7f')}) {
    std::string sealed = sealCacheEntry(payload);
    EXPECT_EQ(sealed.size(), payload.size() + 24);
    auto opened = unsealCacheEntry(sealed);
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->str(), payload);
  }
}

TEST(CacheEntryTest, EveryDamageIsSeen) {
  std::string payload(4096, '\0');
  for (size_t i = 0; i < payload.size(); ++i)
    payload[i] = static_cast<char>(i * 131 % 251);
  std::string sealed = sealCacheEntry(payload);
  // Any one byte changed, in the payload or the trailer.
  for (size_t i = 0; i < sealed.size(); i += 7) {
    std::string bad = sealed;
    bad[i] ^= 0x20;
    EXPECT_FALSE(unsealCacheEntry(bad).has_value()) << i;
  }
  // Truncated, extended, unsealed, or empty.
  EXPECT_FALSE(unsealCacheEntry(sealed.substr(0, sealed.size() - 1)));
  EXPECT_FALSE(unsealCacheEntry(sealed + "x"));
  EXPECT_FALSE(unsealCacheEntry(payload));
  EXPECT_FALSE(unsealCacheEntry(""));
  EXPECT_FALSE(unsealCacheEntry(sealed.substr(10)));
}

} // namespace
