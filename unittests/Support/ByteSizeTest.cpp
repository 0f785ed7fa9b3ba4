//===- ByteSizeTest.cpp - --memory-limit style sizes ----------------------===//

#include "mars/Support/ByteSize.h"

#include "gtest/gtest.h"

using namespace mars;

namespace {

uint64_t parse(const char *s) {
  auto r = parseByteSize(s);
  EXPECT_TRUE(bool(r)) << s;
  return r ? *r : 0;
}

TEST(ByteSizeTest, Parses) {
  EXPECT_EQ(parse("1048576"), 1048576u);
  EXPECT_EQ(parse("2GB"), 2000000000u);
  EXPECT_EQ(parse("2gb"), 2000000000u);
  EXPECT_EQ(parse("1.5GiB"), 1610612736u);
  EXPECT_EQ(parse("64 MiB"), 67108864u);
  EXPECT_EQ(parse("512k"), 512000u);
}

TEST(ByteSizeTest, RejectsNonsense) {
  for (const char *s : {"", "GB", "-1GB", "1XB", "1e999", "1.2.3"}) {
    auto r = parseByteSize(s);
    EXPECT_FALSE(bool(r)) << s;
    if (!r)
      llvm::consumeError(r.takeError());
  }
}

TEST(ByteSizeTest, Formats) {
  EXPECT_EQ(formatByteSize(512), "512 B");
  EXPECT_EQ(formatByteSize(1536), "1.50 KiB");
  EXPECT_EQ(formatByteSize(80ull << 30), "80.0 GiB");
}

} // namespace
