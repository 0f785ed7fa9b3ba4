//===- KernelsTest.cpp - numpy rules of the reference kernels -------------===//
//
// Spot checks of the rules where numpy differs from C; the differential test
// (test/numpy/differential.py) covers the op set against numpy itself.
//
//===----------------------------------------------------------------------===//

#include "mars/Numeric/Kernels.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mars::numeric;

namespace {

template <typename T>
NDArray array(Shape shape, std::vector<T> values) {
  NDArray a(dtypeOf<T>(), std::move(shape));
  EXPECT_EQ(static_cast<size_t>(a.size()), values.size());
  std::copy(values.begin(), values.end(), a.data<T>());
  return a;
}

template <typename T>
std::vector<T> values(const NDArray &a) {
  return std::vector<T>(a.data<T>(), a.data<T>() + a.size());
}

TEST(KernelsTest, BroadcastShapes) {
  EXPECT_EQ(broadcastShapes({{3, 1}, {1, 4}}), (Shape{3, 4}));
  EXPECT_EQ(broadcastShapes({{2, 1, 3}, {4, 1}}), (Shape{2, 4, 3}));
  EXPECT_EQ(broadcastShapes({{}, {0, 3}}), (Shape{0, 3}));
  EXPECT_EQ(broadcastShapes({{1}, {0}}), (Shape{0}));
  EXPECT_EQ(broadcastShapes({{3}, {4}}), std::nullopt);
}

TEST(KernelsTest, IntegerFloorDivAndModFollowPython) {
  NDArray a = array<int64_t>({6}, {7, -7, 7, -7, 5, INT64_MIN});
  NDArray b = array<int64_t>({6}, {2, 2, -2, -2, 0, -1});
  auto q = binary(BinaryFn::FloorDiv, a, b, DType::I64);
  auto r = binary(BinaryFn::Mod, a, b, DType::I64);
  ASSERT_TRUE(bool(q) && bool(r));
  EXPECT_EQ(values<int64_t>(*q),
            (std::vector<int64_t>{3, -4, -4, 3, 0, INT64_MIN}));
  EXPECT_EQ(values<int64_t>(*r), (std::vector<int64_t>{1, 1, -1, -1, 0, 0}));
}

TEST(KernelsTest, UnsignedAndNarrowIntegersFollowNumpy) {
  NDArray a = array<uint8_t>({4}, {7, 250, 0, 255});
  NDArray b = array<uint8_t>({4}, {2, 255, 0, 16});
  auto q = binary(BinaryFn::FloorDiv, a, b, DType::U8);
  auto r = binary(BinaryFn::Mod, a, b, DType::U8);
  auto s = binary(BinaryFn::RightShift, a, b, DType::U8);
  auto m = binary(BinaryFn::Mul, a, b, DType::U8);
  ASSERT_TRUE(bool(q) && bool(r) && bool(s) && bool(m));
  EXPECT_EQ(values<uint8_t>(*q), (std::vector<uint8_t>{3, 0, 0, 15}));
  EXPECT_EQ(values<uint8_t>(*r), (std::vector<uint8_t>{1, 250, 0, 15}));
  EXPECT_EQ(values<uint8_t>(*s), (std::vector<uint8_t>{1, 0, 0, 0}));
  EXPECT_EQ(values<uint8_t>(*m), (std::vector<uint8_t>{14, 6, 0, 240}));
  // int8's minimum divided by -1 wraps to itself; int16 products wrap.
  NDArray c = array<int8_t>({2}, {-128, -7});
  NDArray d = array<int8_t>({2}, {-1, 2});
  auto q8 = binary(BinaryFn::FloorDiv, c, d, DType::I8);
  ASSERT_TRUE(bool(q8));
  EXPECT_EQ(values<int8_t>(*q8), (std::vector<int8_t>{-128, -4}));
  NDArray e = array<int16_t>({1}, {300});
  auto sq = binary(BinaryFn::Mul, e, e, DType::I16);
  ASSERT_TRUE(bool(sq));
  EXPECT_EQ(values<int16_t>(*sq), (std::vector<int16_t>{24464}));
}

TEST(KernelsTest, FloatToIntegerCastsAreX86s) {
  // NaN, infinities and out-of-range values give numpy's (x86-64's) bits.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  NDArray x = array<double>({6}, {nan, -inf, 300.7, -1.5, 1e20, 0x1p63 + 4096});
  EXPECT_EQ(values<int8_t>(cast(x, DType::I8)),
            (std::vector<int8_t>{0, 0, 44, -1, 0, 0}));
  EXPECT_EQ(values<uint8_t>(cast(x, DType::U8)),
            (std::vector<uint8_t>{0, 0, 44, 255, 0, 0}));
  EXPECT_EQ(values<uint32_t>(cast(x, DType::U32)),
            (std::vector<uint32_t>{0, 0, 300, 4294967295u, 0, 0}));
  EXPECT_EQ(values<uint64_t>(cast(x, DType::U64)),
            (std::vector<uint64_t>{uint64_t(1) << 63, uint64_t(1) << 63, 300,
                                   UINT64_MAX, 0, (uint64_t(1) << 63) + 4096}));
}

TEST(KernelsTest, FloatModTakesTheDivisorsSign) {
  NDArray a = array<double>({3}, {-7.5, 7.5, 1.0});
  NDArray b = array<double>({3}, {2.0, -2.0, 0.0});
  auto r = binary(BinaryFn::Mod, a, b, DType::F64);
  auto q = binary(BinaryFn::FloorDiv, a, b, DType::F64);
  ASSERT_TRUE(bool(r) && bool(q));
  EXPECT_EQ(r->data<double>()[0], 0.5);
  EXPECT_EQ(r->data<double>()[1], -0.5);
  EXPECT_TRUE(std::isnan(r->data<double>()[2]));
  EXPECT_EQ(q->data<double>()[0], -4.0);
  EXPECT_TRUE(std::isinf(q->data<double>()[2]));
}

TEST(KernelsTest, IntegerPowerWrapsAndRejectsNegativeExponents) {
  NDArray a = array<int32_t>({2}, {3, 2});
  NDArray b = array<int32_t>({2}, {4, 31});
  auto p = binary(BinaryFn::Pow, a, b, DType::I32);
  ASSERT_TRUE(bool(p));
  EXPECT_EQ(values<int32_t>(*p), (std::vector<int32_t>{81, INT32_MIN}));
  auto bad = binary(BinaryFn::Pow, a, array<int32_t>({2}, {1, -1}), DType::I32);
  ASSERT_FALSE(bool(bad));
  EXPECT_EQ(llvm::toString(bad.takeError()),
            "integers to negative integer powers are not allowed");
}

TEST(KernelsTest, MaximumPropagatesNaN) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  auto m = binary(BinaryFn::Maximum, array<double>({2}, {nan, 1.0}),
                  array<double>({2}, {1.0, nan}), DType::F64);
  ASSERT_TRUE(bool(m));
  EXPECT_TRUE(std::isnan(m->data<double>()[0]));
  EXPECT_TRUE(std::isnan(m->data<double>()[1]));
}

TEST(KernelsTest, CastOfNaNAndOutOfRangeGivesTheMinimum) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  NDArray x = array<double>({4}, {nan, 1e300, -2.9, 2.9});
  EXPECT_EQ(values<int32_t>(cast(x, DType::I32)),
            (std::vector<int32_t>{INT32_MIN, INT32_MIN, -2, 2}));
  EXPECT_EQ(values<bool>(cast(x, DType::Bool)),
            (std::vector<bool>{true, true, true, true}));
}

TEST(KernelsTest, SliceIndicesFollowPython) {
  // slice(None, None, -1).indices(5) == (4, -1, -1): 5 elements.
  SliceDim d = normalizeSlice(std::nullopt, std::nullopt, -1, 5);
  EXPECT_EQ(d.start, 4);
  EXPECT_EQ(d.count, 5);
  // slice(-9, 7, 2).indices(5) == (0, 5, 2): 3 elements.
  d = normalizeSlice(-9, 7, 2, 5);
  EXPECT_EQ(d.start, 0);
  EXPECT_EQ(d.count, 3);
  // slice(1, -1, -1) is empty.
  EXPECT_EQ(normalizeSlice(1, -1, -1, 5).count, 0);
  EXPECT_EQ(normalizeSlice(0, 0, 1, 0).count, 0);
}

TEST(KernelsTest, ReductionsOverAxisSets) {
  NDArray x = array<int32_t>({2, 3}, {1, 2, 3, 4, 5, 6});
  auto sum = reduce(ReduceFn::Sum, x, {1}, /*keepDims=*/true, 0, DType::I64);
  ASSERT_TRUE(bool(sum));
  EXPECT_EQ(sum->shape(), (Shape{2, 1}));
  EXPECT_EQ(values<int64_t>(*sum), (std::vector<int64_t>{6, 15}));
  auto var = reduce(ReduceFn::Var, x, {0, 1}, false, 1, DType::F64);
  ASSERT_TRUE(bool(var));
  EXPECT_DOUBLE_EQ(var->data<double>()[0], 3.5);
  auto none = reduce(ReduceFn::Sum, x, {}, false, 0, DType::I64);
  ASSERT_TRUE(bool(none));
  EXPECT_EQ(none->shape(), (Shape{2, 3}));
}

TEST(KernelsTest, ArgMaxPicksTheFirstNaN) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  auto i = reduce(ReduceFn::ArgMax, array<double>({4}, {1.0, nan, 5.0, nan}),
                  {}, false, 0, DType::I64);
  ASSERT_TRUE(bool(i));
  EXPECT_EQ(i->data<int64_t>()[0], 1);
}

TEST(KernelsTest, EmptyReductions) {
  NDArray empty(DType::F64, {0, 3});
  auto s = reduce(ReduceFn::Sum, empty, {0}, false, 0, DType::F64);
  ASSERT_TRUE(bool(s));
  EXPECT_EQ(values<double>(*s), (std::vector<double>{0, 0, 0}));
  auto m = reduce(ReduceFn::Min, empty, {0}, false, 0, DType::F64);
  ASSERT_FALSE(bool(m));
  EXPECT_EQ(llvm::toString(m.takeError()),
            "zero-size array to reduction operation minimum which has no "
            "identity");
  // Reducing the other (non-empty) axis of an empty array is fine.
  auto ok = reduce(ReduceFn::Min, empty, {1}, false, 0, DType::F64);
  ASSERT_TRUE(bool(ok));
  EXPECT_EQ(ok->shape(), (Shape{0}));
}

TEST(KernelsTest, TensordotContractsPairedAxes) {
  NDArray a = array<int64_t>({2, 3}, {1, 2, 3, 4, 5, 6});
  NDArray b = array<int64_t>({3, 2}, {1, 0, 0, 1, 1, 1});
  // Contract a's axis 1 with b's axis 0: the matrix product.
  NDArray c = tensordot(a, b, {1}, {0});
  EXPECT_EQ(c.shape(), (Shape{2, 2}));
  EXPECT_EQ(values<int64_t>(c), (std::vector<int64_t>{4, 5, 10, 11}));
  // Contract both axes (a with b transposed): a scalar.
  NDArray s = tensordot(a, b, {0, 1}, {1, 0});
  EXPECT_EQ(s.shape(), Shape{});
  // sum over i, j of a[i][j] * b[j][i].
  EXPECT_EQ(s.data<int64_t>()[0], 1 * 1 + 2 * 0 + 3 * 1 + 4 * 0 + 5 * 1 + 6 * 1);
}

TEST(KernelsTest, ConcatenateAndStack) {
  NDArray a = array<int32_t>({2, 1}, {1, 2});
  NDArray b = array<int32_t>({2, 2}, {3, 4, 5, 6});
  NDArray c = concatenate({&a, &b}, 1);
  EXPECT_EQ(c.shape(), (Shape{2, 3}));
  EXPECT_EQ(values<int32_t>(c), (std::vector<int32_t>{1, 3, 4, 2, 5, 6}));
  NDArray s = stack({&a, &a}, 0);
  EXPECT_EQ(s.shape(), (Shape{2, 2, 1}));
}

TEST(KernelsTest, LinspaceMatchesNumpy) {
  // numpy.linspace(0, 1, 5) and (2, -3, 4, endpoint=False).
  EXPECT_EQ(values<double>(linspace(DType::F64, 5, 0, 1, true)),
            (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
  EXPECT_EQ(values<double>(linspace(DType::F64, 4, 2, -3, false)),
            (std::vector<double>{2, 0.75, -0.5, -1.75}));
  EXPECT_EQ(values<double>(linspace(DType::F64, 1, 3, 7, true)),
            (std::vector<double>{3}));
}

TEST(KernelsTest, BroadcastingVisitsEveryPairing) {
  // Row by row with a stride per operand: (2, 1, 3) against (4, 1) pairs
  // out[i, j, k] with x[i, 0, k] and y[j, 0].
  NDArray x = array<int64_t>({2, 1, 3}, {1, 2, 3, 4, 5, 6});
  NDArray y = array<int64_t>({4, 1}, {10, 20, 30, 40});
  auto sum = binary(BinaryFn::Add, x, y, DType::I64);
  ASSERT_TRUE(bool(sum));
  ASSERT_EQ(sum->shape(), (Shape{2, 4, 3}));
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 4; ++j)
      for (int64_t k = 0; k < 3; ++k)
        EXPECT_EQ(sum->data<int64_t>()[(i * 4 + j) * 3 + k],
                  (3 * i + k + 1) + 10 * (j + 1));
  // Three operands, one of them 0-d.
  NDArray c = array<bool>({3}, {true, false, true});
  NDArray scalar = array<int64_t>({}, {-1});
  NDArray w = where(c, *sum, scalar);
  ASSERT_EQ(w.shape(), (Shape{2, 4, 3}));
  for (int64_t flat = 0; flat < w.size(); ++flat)
    EXPECT_EQ(w.data<int64_t>()[flat],
              flat % 3 == 1 ? -1 : sum->data<int64_t>()[flat]);
  // A predicate, and an empty result.
  auto less = binary(BinaryFn::Lt, x, y, DType::Bool);
  ASSERT_TRUE(bool(less));
  EXPECT_TRUE(llvm::all_of(values<bool>(*less), [](bool b) { return b; }));
  auto empty = binary(BinaryFn::Mul, NDArray(DType::F64, {0, 3}),
                      array<double>({3}, {1, 2, 3}), DType::F64);
  ASSERT_TRUE(bool(empty));
  EXPECT_EQ(empty->shape(), (Shape{0, 3}));
}

TEST(KernelsTest, SumsFollowNumpysOrder) {
  // numpy sums a contiguous row in buffers of 8192 elements, each pairwise
  // (8 accumulators over blocks of up to 128). 2^53 + 1 + 1: sequential
  // addition from the left loses both ones, numpy's order keeps them when
  // they fall into different accumulators.
  std::vector<double> v(16, 0.0);
  v[0] = 9007199254740992.0; // 2^53
  v[1] = 1.0;
  v[9] = 1.0;
  auto s = reduce(ReduceFn::Sum, array<double>({16}, v), {0}, false, 0,
                  DType::F64);
  ASSERT_TRUE(bool(s));
  // r[0] = 2^53 + 0, r[1] = 1 + 1 = 2; (r0 + r1) = 2^53 + 2, exact.
  EXPECT_EQ(s->data<double>()[0], 9007199254740994.0);
  // -0.0 sums to +0.0 (numpy starts from its identity).
  auto z = reduce(ReduceFn::Sum, array<double>({2}, {-0.0, -0.0}), {0},
                  false, 0, DType::F64);
  ASSERT_TRUE(bool(z));
  EXPECT_FALSE(std::signbit(z->data<double>()[0]));
}

} // namespace
