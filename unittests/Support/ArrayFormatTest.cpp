//===- ArrayFormatTest.cpp - numpy-style printing -------------------------===//
//
// Expected strings are numpy 1.24's str() of the same arrays; the lit test
// test/mars-run/print-format.test compares many more against numpy itself.
//
//===----------------------------------------------------------------------===//

#include "mars/Support/ArrayFormat.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mars;
using namespace mars::numeric;

namespace {

template <typename T>
NDArray array(Shape shape, std::vector<T> values) {
  NDArray a(dtypeOf<T>(), std::move(shape));
  std::copy(values.begin(), values.end(), a.data<T>());
  return a;
}

TEST(ArrayFormatTest, Scalars) {
  EXPECT_EQ(formatArray(array<double>({}, {0.1 + 0.2})), "0.30000000000000004");
  EXPECT_EQ(formatArray(array<double>({}, {1e16})), "1e+16");
  EXPECT_EQ(formatArray(array<double>({}, {2.0})), "2.0");
  EXPECT_EQ(formatArray(array<int64_t>({}, {-3})), "-3");
  EXPECT_EQ(formatArray(array<bool>({}, {true})), "True");
}

TEST(ArrayFormatTest, FloatsShareOnePrecision) {
  EXPECT_EQ(formatArray(array<double>({3}, {1.0, 2.5, 3.0})), "[1.  2.5 3. ]");
  EXPECT_EQ(formatArray(array<double>({2}, {1e-5, 1.0})), "[1.e-05 1.e+00]");
  EXPECT_EQ(formatArray(array<double>({3}, {NAN, 1.0, -INFINITY})),
            "[ nan   1. -inf]");
}

TEST(ArrayFormatTest, NestedIntegersAndBools) {
  EXPECT_EQ(formatArray(array<int32_t>({2, 2}, {1, -20, 3, 4})),
            "[[  1 -20]\n [  3   4]]");
  EXPECT_EQ(formatArray(array<bool>({2}, {true, false})), "[ True False]");
  EXPECT_EQ(formatArray(array<int64_t>({2, 1, 2}, {1, 2, 3, 4})),
            "[[[1 2]]\n\n [[3 4]]]");
}

TEST(ArrayFormatTest, EmptyAndSummarised) {
  EXPECT_EQ(formatArray(NDArray(DType::F64, {2, 0})), "[]");
  NDArray big(DType::I64, {1001});
  for (int64_t i = 0; i < 1001; ++i)
    big.data<int64_t>()[i] = i;
  EXPECT_EQ(formatArray(big), "[   0    1    2 ...  998  999 1000]");
}

TEST(ArrayFormatTest, LongRowsWrapAt75Columns) {
  NDArray a(DType::I64, {30});
  for (int64_t i = 0; i < 30; ++i)
    a.data<int64_t>()[i] = 100 + i;
  EXPECT_EQ(formatArray(a),
            "[100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 "
            "116 117\n 118 119 120 121 122 123 124 125 126 127 128 129]");
}

} // namespace
