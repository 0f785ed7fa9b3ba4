//===- BandOrderTest.cpp - The order of a product's chunk grid -------------===//
//
// BandOrder is a permutation of a grid's chunks, keeps `band` rows together
// (so each column panel passes by once per band, not once per row), and
// puts the mirror of a symmetric product's upper block right after it.
//
//===----------------------------------------------------------------------===//

#include "mars/Runtime/TaskPlan.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <numeric>
#include <vector>

using namespace mars::chunked;

namespace {

std::vector<int64_t> visit(int64_t rows, int64_t cols, int64_t band,
                           bool symmetric) {
  BandOrder order(rows, cols, band, symmetric);
  std::vector<int64_t> seen;
  for (int64_t k = 0; k < rows * cols; ++k)
    seen.push_back(order.next());
  return seen;
}

bool isPermutation(std::vector<int64_t> seen) {
  std::sort(seen.begin(), seen.end());
  for (size_t k = 0; k < seen.size(); ++k)
    if (seen[k] != static_cast<int64_t>(k))
      return false;
  return true;
}

TEST(BandOrderTest, VisitsEveryChunkOnce) {
  for (int64_t rows : {1, 2, 3, 5, 8})
    for (int64_t cols : {1, 2, 4, 7})
      for (int64_t band : {1, 2, 3, 100})
        for (bool symmetric : {false, true})
          EXPECT_TRUE(isPermutation(visit(rows, cols, band, symmetric)))
              << rows << "x" << cols << " band " << band
              << (symmetric ? " symmetric" : "");
  // Square grids, where the symmetric order pairs blocks.
  for (int64_t n = 1; n <= 9; ++n)
    for (int64_t band = 1; band <= n + 1; ++band)
      EXPECT_TRUE(isPermutation(visit(n, n, band, true)))
          << n << "x" << n << " band " << band << " symmetric";
}

TEST(BandOrderTest, BandOfOneIsRowMajor) {
  std::vector<int64_t> seen = visit(3, 4, 1, false);
  std::vector<int64_t> rowMajor(12);
  std::iota(rowMajor.begin(), rowMajor.end(), 0);
  EXPECT_EQ(seen, rowMajor);
}

TEST(BandOrderTest, ColumnPanelsPassOncePerBand) {
  const int64_t rows = 10, cols = 6;
  for (int64_t band : {1, 2, 3, 4, 10}) {
    std::vector<int64_t> seen = visit(rows, cols, band, false);
    // A column panel is read when the column changes from one chunk to
    // the next; a row panel when the row leaves the band in memory.
    int64_t columnReads = 0;
    int64_t lastBand = -1;
    for (size_t k = 0; k < seen.size(); ++k) {
      int64_t row = seen[k] / cols, col = seen[k] % cols;
      if (k == 0 || seen[k - 1] % cols != col)
        ++columnReads;
      // Bands come one after the other, each whole before the next.
      EXPECT_GE(row / band, lastBand);
      lastBand = row / band;
    }
    int64_t bands = (rows + band - 1) / band;
    EXPECT_EQ(columnReads, cols * bands) << "band " << band;
  }
}

TEST(BandOrderTest, MirrorFollowsItsBlock) {
  const int64_t n = 7;
  for (int64_t band : {1, 2, 3, 7}) {
    std::vector<int64_t> seen = visit(n, n, band, true);
    for (size_t k = 0; k < seen.size(); ++k) {
      int64_t i = seen[k] / n, j = seen[k] % n;
      if (i < j) {
        ASSERT_LT(k + 1, seen.size());
        EXPECT_EQ(seen[k + 1], j * n + i) << "band " << band;
        ++k;
      } else {
        // A block below the diagonal only ever comes as a mirror.
        EXPECT_EQ(i, j) << "band " << band;
      }
    }
  }
}

TEST(BandOrderTest, NonSquareIsNeverMirrored) {
  // A symmetric product is square; anything else keeps its blocks.
  std::vector<int64_t> seen = visit(3, 5, 2, true);
  EXPECT_EQ(seen, visit(3, 5, 2, false));
}

} // namespace
