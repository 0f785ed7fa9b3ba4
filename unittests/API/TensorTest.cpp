//===- TensorTest.cpp - The C++ tensor API ---------------------------------===//

#include "mars/API/Session.h"

#include "gtest/gtest.h"

namespace mt = mars::api;
using mt::DType;

namespace {

std::unique_ptr<mt::Session> session(int64_t smallElements = -1) {
  mars::SessionOptions options;
  options.kernelCacheDir = "none";
  mt::ApiOptions api;
  if (smallElements >= 0)
    api.smallElements = smallElements;
  auto s = mt::Session::create(options, api);
  EXPECT_TRUE(bool(s));
  return std::move(*s);
}

TEST(TensorAPI, PromotionFollowsNumpy) {
  EXPECT_EQ(mt::promoteTypes(DType::I32, DType::F32), DType::F64);
  EXPECT_EQ(mt::promoteTypes(DType::Bool, DType::F32), DType::F32);
  EXPECT_EQ(mt::promoteTypes(DType::I32, DType::I64), DType::I64);
  mt::Tensor i32 = mt::zeros({3}, DType::I32);
  mt::Tensor f32 = mt::zeros({3}, DType::F32);
  // Numbers are weak: they keep the array's dtype when they fit it.
  EXPECT_EQ((i32 + 1).dtype(), DType::I32);
  EXPECT_EQ((i32 + 1.5).dtype(), DType::F64);
  EXPECT_EQ((f32 + 1.5).dtype(), DType::F32);
  EXPECT_EQ((i32 + (int64_t(1) << 40)).dtype(), DType::I64);
  EXPECT_EQ((i32 / 2).dtype(), DType::F64);
  EXPECT_EQ(mt::sum(i32).dtype(), DType::I64);
  EXPECT_EQ(mt::mean(i32).dtype(), DType::F64);
  EXPECT_EQ((i32 < f32).dtype(), DType::Bool);
}

TEST(TensorAPI, NarrowAndUnsignedPromotionFollowsNumpy) {
  EXPECT_EQ(mt::promoteTypes(DType::I8, DType::U8), DType::I16);
  EXPECT_EQ(mt::promoteTypes(DType::U16, DType::I32), DType::I32);
  EXPECT_EQ(mt::promoteTypes(DType::U32, DType::I32), DType::I64);
  EXPECT_EQ(mt::promoteTypes(DType::U64, DType::I8), DType::F64);
  EXPECT_EQ(mt::promoteTypes(DType::U16, DType::F32), DType::F32);
  EXPECT_EQ(mt::promoteTypes(DType::I32, DType::F32), DType::F64);
  EXPECT_EQ(mt::promoteTypes(DType::U8, DType::U32), DType::U32);
  mt::Tensor i8 = mt::zeros({3}, DType::I8);
  mt::Tensor u8 = mt::zeros({3}, DType::U8);
  // numpy 1.24's value-based rule, with its "small unsigned" numbers.
  EXPECT_EQ((i8 + 100).dtype(), DType::I8);
  EXPECT_EQ((i8 + 200).dtype(), DType::I16);
  EXPECT_EQ((u8 + 200).dtype(), DType::U8);
  EXPECT_EQ((u8 + -1).dtype(), DType::I16);
  EXPECT_EQ((u8 + (uint64_t(1) << 63)).dtype(), DType::U64);
  EXPECT_EQ((i8 + (uint64_t(1) << 63)).dtype(), DType::F64);
  EXPECT_EQ((i8 + 1.5).dtype(), DType::F64);
  EXPECT_EQ(mt::sum(u8).dtype(), DType::U64);
  EXPECT_EQ(mt::sum(i8).dtype(), DType::I64);
  EXPECT_EQ(mt::unary(mt::UnaryFn::Sqrt, u8).dtype(), DType::F16); // numpy's
  EXPECT_EQ((u8 / u8).dtype(), DType::F64);
  // Out of range, numpy 1.24's full wraps.
  mt::Tensor big = mt::full({2}, mt::Scalar(int64_t(300)), DType::U8);
  ASSERT_TRUE(big.ok());
}

TEST(TensorAPI, ErrorsAreValuesWithNumpysKind) {
  mt::Tensor bad = mt::ones({3, 4}) + mt::ones({5});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, mt::ErrorKind::Value);
  EXPECT_EQ(bad.error().op, "add");
  // A failed operand passes its error on.
  mt::Tensor worse = mt::sum(bad * 2);
  ASSERT_FALSE(worse.ok());
  EXPECT_EQ(worse.error().op, "add");
  EXPECT_EQ(mt::reshape(mt::ones({6}), {4}).error().kind,
            mt::ErrorKind::Value);
  EXPECT_EQ(mt::sum(mt::ones({2}), {{3}}).error().kind, mt::ErrorKind::Axis);
  EXPECT_EQ(mt::index(mt::ones({2}), {mt::IndexItem::at(2)}).error().kind,
            mt::ErrorKind::Index);
  EXPECT_EQ((mt::ones({2}, DType::Bool) - mt::ones({2}, DType::Bool))
                .error()
                .kind,
            mt::ErrorKind::Type);
  EXPECT_EQ(mt::reduce(mt::ReduceFn::Max, mt::ones({0})).error().kind,
            mt::ErrorKind::Value);
}

TEST(TensorAPI, ExecutesSharedGraphsOnceAndReusesResults) {
  for (int64_t small : {int64_t(0), int64_t(1) << 20}) {
    auto s = session(small);
    mt::Tensor a = mt::arange(0, 12, 1, DType::F64, mt::ChunkSize(5));
    mt::Tensor b = mt::reshape(a, {3, 4});
    mt::Tensor total = mt::sum(b);
    mt::Tensor cols = mt::sum(b, {{0}});
    ASSERT_FALSE(bool(s->execute({total, cols})));
    EXPECT_EQ(s->lastReport().engine, small ? "reference" : "compiled");
    EXPECT_DOUBLE_EQ(total.value()->getDouble(0), 66);
    EXPECT_DOUBLE_EQ(cols.value()->getDouble(3), 3 + 7 + 11);
    // Executed values are inputs of later programs.
    mt::Tensor again = total * 2;
    ASSERT_FALSE(bool(s->execute({again})));
    EXPECT_DOUBLE_EQ(again.value()->getDouble(0), 132);
    ASSERT_FALSE(bool(s->execute({total})));
    EXPECT_EQ(s->lastReport().engine, "cached");
  }
}

TEST(TensorAPI, BorrowedInputsAreNotCopied) {
  std::vector<double> data = {1, 2, 3, 4};
  auto owner = std::make_shared<int>(0);
  mt::NDArray borrowed =
      mt::NDArray::borrow(DType::F64, {4}, data.data(), owner);
  EXPECT_TRUE(borrowed.isBorrowed());
  mt::Tensor t = mt::fromArray(borrowed);
  EXPECT_EQ(t.value()->bytes(), reinterpret_cast<uint8_t *>(data.data()));
  auto s = session();
  mt::Tensor r = t + 1;
  ASSERT_FALSE(bool(s->execute({r})));
  EXPECT_DOUBLE_EQ(r.value()->getDouble(3), 5);
  // A mutable access copies; the borrowed bytes stay as they were.
  mt::NDArray copy = borrowed;
  copy.data<double>()[0] = 42;
  EXPECT_FALSE(copy.isBorrowed());
  EXPECT_EQ(data[0], 1);
}

TEST(TensorAPI, ScansContinueAcrossChunks) {
  // Chunks of 3 along the scanned axis, on the compiled engine: each chunk
  // continues from the previous chunk's last element.
  auto s = session(/*smallElements=*/0);
  mt::Tensor x = mt::rechunk(mt::arange(1, 11, 1, DType::I32), {3});
  mt::Tensor c = mt::scan(mt::ScanFn::Cumsum, x);
  mt::Tensor p = mt::scan(mt::ScanFn::Cumprod, mt::reshape(x, {2, 5}), -1);
  EXPECT_EQ(c.dtype(), DType::I64);  // numpy accumulates i32 in i64
  ASSERT_FALSE(bool(s->execute({c, p})));
  int64_t sum = 0;
  for (int64_t i = 0; i < 10; ++i)
    EXPECT_EQ(c.value()->getInt(i), sum += i + 1);
  const int64_t products[] = {1, 2, 6, 24, 120, 6, 42, 336, 3024, 30240};
  for (int64_t i = 0; i < 10; ++i)
    EXPECT_EQ(p.value()->getInt(i), products[i]);
  EXPECT_EQ(mt::scan(mt::ScanFn::Cumsum, mt::ones({2}), 1).error().kind,
            mt::ErrorKind::Axis);
}

TEST(TensorAPI, SortingAndSelection) {
  // Chunks of 3 along the sorted axis: each result chunk selects its part
  // of the whole lane.
  auto s = session(/*smallElements=*/0);
  mt::Tensor x = mt::rechunk(
      mt::binary(mt::BinaryFn::Mod,
                 mt::binary(mt::BinaryFn::Mul, mt::arange(0, 10, 1, DType::I64),
                            mt::Scalar(int64_t(7))),
                 mt::Scalar(int64_t(10))),
      {3}); // [0 7 4 1 8 5 2 9 6 3]
  mt::Tensor sorted = mt::sort(x);
  mt::Tensor order = mt::argsort(x);
  mt::Tensor at = mt::searchsorted(sorted, mt::Scalar(int64_t(4)), "right");
  mt::Tensor back = mt::take(x, order);
  mt::Tensor picked = mt::sortedAt(x, {4, 0, -1, 4});
  mt::Tensor along = mt::takeAlongAxis(mt::reshape(x, {2, 5}),
                                       mt::reshape(mt::argsort(
                                           mt::reshape(x, {2, 5}), 1), {2, 5}),
                                       1);
  ASSERT_FALSE(bool(s->execute({sorted, order, at, back, along, picked})));
  const int64_t selected[] = {4, 0, 9, 4};
  for (int64_t i = 0; i < 4; ++i)
    EXPECT_EQ(picked.value()->getInt(i), selected[i]);
  EXPECT_EQ(mt::sortedAt(x, {10}).error().kind, mt::ErrorKind::Value);
  const int64_t rows[] = {0, 1, 4, 7, 8, 2, 3, 5, 6, 9};
  for (int64_t i = 0; i < 10; ++i) {
    EXPECT_EQ(sorted.value()->getInt(i), i);
    EXPECT_EQ(back.value()->getInt(i), i);
    EXPECT_EQ(along.value()->getInt(i), rows[i]);
  }
  EXPECT_EQ(order.value()->getInt(0), 0);
  EXPECT_EQ(order.value()->getInt(9), 7);
  EXPECT_EQ(at.value()->getInt(0), 5);
  // numpy's errors: a float index is a TypeError, a bad mode a ValueError,
  // an index out of bounds an IndexError from execute().
  EXPECT_EQ(mt::take(x, mt::ones({1})).error().kind, mt::ErrorKind::Type);
  EXPECT_EQ(mt::take(x, mt::zeros({1}, DType::I64), 0, "fold").error().kind,
            mt::ErrorKind::Value);
  EXPECT_EQ(mt::sort(x, 1).error().kind, mt::ErrorKind::Axis);
  EXPECT_EQ(mt::searchsorted(mt::ones({2, 2}), 1.0).error().kind,
            mt::ErrorKind::Value);
  mt::Tensor oob = mt::take(x, mt::full({1}, 10, DType::I64));
  llvm::Error err = s->execute({oob});
  ASSERT_TRUE(bool(err));
  EXPECT_EQ(mt::toError(std::move(err)).kind, mt::ErrorKind::Index);
}

TEST(TensorAPI, SparseSumAndMeanAreProductsWithOnes) {
  // scipy's sum and mean of a sparse matrix: the stored elements only, in
  // numpy's dtypes, dense results, along either axis, both or none.
  auto s = session(/*smallElements=*/0);
  mars::numeric::NDArray data(DType::I32, {2, 3});
  const int32_t values[] = {0, 1, 4, 0, 4, 10};
  std::copy(values, values + 6, data.data<int32_t>());
  mt::Tensor dense = mt::fromArray(std::move(data));
  mt::Tensor x = mt::toSparse(dense);
  ASSERT_TRUE(x.isSparse());
  mt::Tensor all = mt::sum(x);
  mt::Tensor rows = mt::sum(x, std::vector<int64_t>{1});
  mt::Tensor cols = mt::mean(x, std::vector<int64_t>{0}, /*keepdims=*/true);
  mt::Tensor none = mt::sum(x, std::vector<int64_t>{});
  EXPECT_EQ(all.dtype(), DType::I64);
  EXPECT_EQ(cols.dtype(), DType::F64);
  EXPECT_EQ(cols.shape(), (mt::Shape{1, 3}));
  EXPECT_FALSE(rows.isSparse());
  ASSERT_FALSE(bool(s->execute({all, rows, cols, none})));
  EXPECT_EQ(all.value()->getInt(0), 19);
  EXPECT_EQ(rows.value()->getInt(0), 5);
  EXPECT_EQ(rows.value()->getInt(1), 14);
  EXPECT_EQ(cols.value()->getDouble(0), 0.0);
  EXPECT_EQ(cols.value()->getDouble(1), 2.5);
  EXPECT_EQ(cols.value()->getDouble(2), 7.0);
  EXPECT_EQ(none.value()->getInt(5), 10);
  EXPECT_EQ(mt::sum(x, std::vector<int64_t>{2}).error().kind,
            mt::ErrorKind::Axis);
  EXPECT_EQ(mt::reduce(mt::ReduceFn::Var, x).error().kind,
            mt::ErrorKind::NotImplemented);
}

TEST(TensorAPI, PutMakesANewVersion) {
  // Chunks of 3: every chunk reads all positions and writes its own; the
  // later of two values for one position wins, short values repeat.
  auto s = session(/*smallElements=*/0);
  mt::Tensor x = mt::rechunk(mt::arange(0, 10, 1, DType::I64), {3});
  mt::NDArray positions(DType::I64, {4});
  const int64_t given[] = {9, -1, 4, 0};
  for (int64_t i = 0; i < 4; ++i)
    positions.data<int64_t>()[i] = given[i];
  mt::Tensor at = mt::fromArray(positions);
  mt::Tensor y = mt::put(x, at, mt::binary(mt::BinaryFn::Sub,
                                           mt::zeros({2}, DType::I64),
                                           mt::arange(1, 3, 1, DType::I64)));
  mt::Tensor clipped = mt::put(x, mt::full({1}, 99, DType::I64),
                               mt::Scalar(int64_t(-5)), "clip");
  ASSERT_FALSE(bool(s->execute({x, y, clipped})));
  const int64_t want[] = {-2, 1, 2, 3, -1, 5, 6, 7, 8, -2};
  for (int64_t i = 0; i < 10; ++i) {
    EXPECT_EQ(x.value()->getInt(i), i); // the input keeps its values
    EXPECT_EQ(y.value()->getInt(i), want[i]);
    EXPECT_EQ(clipped.value()->getInt(i), i == 9 ? -5 : i);
  }
  EXPECT_EQ(mt::put(x, at, 1.0, "fold").error().kind, mt::ErrorKind::Value);
  EXPECT_EQ(mt::put(x, mt::ones({1}), 1.0).error().kind, mt::ErrorKind::Type);
  EXPECT_EQ(mt::put(mt::zeros({0}), at, 1.0).error().kind,
            mt::ErrorKind::Index);
  llvm::Error err = s->execute({mt::put(x, mt::full({1}, 10, DType::I64), 0.0)});
  ASSERT_TRUE(bool(err));
  EXPECT_EQ(mt::toError(std::move(err)).kind, mt::ErrorKind::Index);
}

TEST(TensorAPI, Bincount) {
  // Chunks of 3 of the input; the bins read all of it.
  auto s = session(/*smallElements=*/0);
  mt::Tensor x = mt::rechunk(
      mt::binary(mt::BinaryFn::Mod, mt::arange(0, 10, 1, DType::I64),
                 mt::Scalar(int64_t(4))),
      {3}); // [0 1 2 3 0 1 2 3 0 1]
  mt::Tensor counts = mt::bincount(x, 6);
  mt::Tensor sums = mt::bincount(x, 4, mt::arange(0, 10, 1, DType::I32));
  ASSERT_FALSE(bool(s->execute({counts, sums})));
  EXPECT_EQ(counts.dtype(), DType::I64);
  EXPECT_EQ(sums.dtype(), DType::F64);
  const int64_t c[] = {3, 3, 2, 2, 0, 0};
  const double w[] = {0 + 4 + 8, 1 + 5 + 9, 2 + 6, 3 + 7};
  for (int64_t i = 0; i < 6; ++i)
    EXPECT_EQ(counts.value()->getInt(i), c[i]);
  for (int64_t i = 0; i < 4; ++i)
    EXPECT_DOUBLE_EQ(sums.value()->getDouble(i), w[i]);
  EXPECT_EQ(mt::bincount(mt::ones({2, 2}, DType::I64), 3).error().kind,
            mt::ErrorKind::Value);
  EXPECT_EQ(mt::bincount(mt::ones({2}), 3).error().kind, mt::ErrorKind::Type);
  EXPECT_EQ(mt::bincount(x, 4, mt::ones({3})).error().kind,
            mt::ErrorKind::Value);
  llvm::Error err = s->execute({mt::bincount(mt::full({2}, -1, DType::I64), 2)});
  ASSERT_TRUE(bool(err));
  EXPECT_EQ(mt::toError(std::move(err)).kind, mt::ErrorKind::Value);
}

TEST(TensorAPI, StackedMatmulBroadcastsBatches) {
  // (2, 1, 3, 4) @ (5, 4, 2): batch dimensions broadcast to (2, 5), each
  // matrix product of ones sums 4 ones; chunks of 2 in every dimension.
  auto s = session(/*smallElements=*/0);
  mt::Tensor a = mt::rechunk(mt::ones({2, 1, 3, 4}), {2});
  mt::Tensor b = mt::rechunk(mt::ones({5, 4, 2}), {2});
  mt::Tensor p = mt::matmul(a, b);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.shape(), (mt::Shape{2, 5, 3, 2}));
  // A 1-D operand is promoted, then its axis dropped.
  mt::Tensor v = mt::matmul(mt::ones({4}), b);
  EXPECT_EQ(v.shape(), (mt::Shape{5, 2}));
  mt::Tensor w = mt::matmul(a, mt::ones({4}, DType::I64));
  EXPECT_EQ(w.shape(), (mt::Shape{2, 1, 3}));
  ASSERT_FALSE(bool(s->execute({p, v, w})));
  for (int64_t i = 0; i < 2 * 5 * 3 * 2; ++i)
    EXPECT_EQ(p.value()->getDouble(i), 4.0);
  EXPECT_EQ(w.value()->getDouble(5), 4.0);
  // numpy's errors: core and batch dimensions.
  EXPECT_EQ(mt::matmul(mt::ones({2, 3, 4}), mt::ones({2, 3, 4})).error().kind,
            mt::ErrorKind::Value);
  EXPECT_EQ(mt::matmul(mt::ones({2, 3, 4}), mt::ones({3, 4, 2})).error().kind,
            mt::ErrorKind::Value);
}

TEST(TensorAPI, ComplexNumbersComposeFromTheirParts) {
  auto s = session(/*smallElements=*/0);
  EXPECT_EQ(mt::promoteTypes(DType::C64, DType::F64), DType::C128);
  EXPECT_EQ(mt::promoteTypes(DType::I16, DType::C64), DType::C64);
  EXPECT_EQ(mt::promoteTypes(DType::I32, DType::C64), DType::C128);
  // z = [1+0j, 3+1j, 5+2j] from its parts, chunked by 2.
  mt::Tensor z = mt::makeComplex(mt::arange(1, 4, 1, DType::F64, {2}) * 2 - 1,
                                 mt::arange(0, 3, 1, DType::F64, {2}));
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z.dtype(), DType::C128);
  // Weak numbers: a float32 tensor times 1j is complex64.
  EXPECT_EQ((mt::zeros({2}, DType::F32) * mt::Scalar::complex(0, 1)).dtype(),
            DType::C64);
  mt::Tensor w = z * mt::Scalar::complex(0, 1) / (z + 1.0); // j z / (z + 1)
  mt::Tensor a = mt::unary(mars::numeric::UnaryFn::Abs, z);
  mt::Tensor p = mt::matmul(mt::reshape(z, {1, 3}), mt::reshape(mt::conj(z),
                                                                {3, 1}));
  mt::Tensor total = mt::sum(z);
  ASSERT_FALSE(bool(s->execute({w, a, p, total})));
  auto parts = [](const mt::Tensor &t, int64_t i) {
    const double *v = reinterpret_cast<const double *>(t.value()->bytes());
    return std::make_pair(v[2 * i], v[2 * i + 1]);
  };
  // z = [1+0j, 3+1j, 5+2j]; j z / (z + 1): j/2, (-1+3j)/(4+1j),
  // (-2+5j)/(6+2j).
  EXPECT_EQ(parts(w, 0), std::make_pair(0.0, 0.5));
  EXPECT_NEAR(parts(w, 1).first, -1.0 / 17, 1e-15);
  EXPECT_NEAR(parts(w, 1).second, 13.0 / 17, 1e-15);
  EXPECT_NEAR(a.value()->getDouble(2), std::sqrt(29.0), 1e-15);
  // z . conj(z) = |z|^2 summed = 1 + 10 + 29.
  EXPECT_EQ(parts(p, 0), std::make_pair(40.0, 0.0));
  EXPECT_EQ(parts(total, 0), std::make_pair(9.0, 3.0));
  // What is not composed yet is refused with NotImplemented.
  EXPECT_EQ(mt::unary(mars::numeric::UnaryFn::Exp, z).error().kind,
            mt::ErrorKind::NotImplemented);
  EXPECT_EQ(mt::sort(z).error().kind, mt::ErrorKind::NotImplemented);
}

TEST(TensorAPI, GcdLcmLdexpDtypes) {
  mt::Tensor i32 = mt::ones({3}, DType::I32);
  EXPECT_EQ(mt::binary(mt::BinaryFn::Gcd, i32, mt::Scalar(int64_t(6)))
                .dtype(),
            DType::I32);
  EXPECT_EQ(mt::binary(mt::BinaryFn::Lcm, mt::ones({3}), i32).error().kind,
            mt::ErrorKind::Type);
  EXPECT_EQ(mt::binary(mt::BinaryFn::Gcd, mt::ones({3}, DType::Bool),
                       mt::ones({3}, DType::Bool))
                .error()
                .kind,
            mt::ErrorKind::Type);
  // ldexp keeps the mantissa's float type; float exponents are an error.
  EXPECT_EQ(mt::binary(mt::BinaryFn::Ldexp, mt::ones({3}, DType::F32),
                       mt::ones({3}, DType::I64))
                .dtype(),
            DType::F32);
  EXPECT_EQ(mt::binary(mt::BinaryFn::Ldexp, i32, i32).dtype(), DType::F64);
  EXPECT_EQ(mt::binary(mt::BinaryFn::Ldexp, mt::ones({3}), mt::ones({3}))
                .error()
                .kind,
            mt::ErrorKind::Type);
}

TEST(TensorAPI, LinalgShapesDtypesAndErrors) {
  // numpy's dtypes: float32 stays float32 (computed in float64), integers
  // become float64; each factor is its own tensor.
  auto s = session(/*smallElements=*/0);
  mt::Tensor a = mt::rechunk(mt::eye(3, 3, 0, DType::F32) * 2, {2});
  mt::Tensor i = mt::linalg::inv(a);
  ASSERT_TRUE(i.ok());
  EXPECT_EQ(i.dtype(), DType::F32);
  EXPECT_EQ(mt::linalg::det(mt::ones({4, 2, 2}, DType::I64)).dtype(),
            DType::F64);
  EXPECT_EQ(mt::linalg::det(mt::ones({4, 2, 2})).shape(), (mt::Shape{4}));
  std::vector<mt::Tensor> usv = mt::linalg::svd(mt::ones({5, 3}), true, true);
  ASSERT_EQ(usv.size(), 3u);
  EXPECT_EQ(usv[0].shape(), (mt::Shape{5, 5}));
  EXPECT_EQ(usv[1].shape(), (mt::Shape{3}));
  EXPECT_EQ(usv[2].shape(), (mt::Shape{3, 3}));
  std::vector<mt::Tensor> qr = mt::linalg::qr(mt::ones({2, 3, 5}), "reduced");
  EXPECT_EQ(qr[0].shape(), (mt::Shape{2, 3, 3}));
  EXPECT_EQ(qr[1].shape(), (mt::Shape{2, 3, 5}));
  // solve: a vector right-hand side, and matrices whose batch broadcasts.
  mt::Tensor v = mt::linalg::solve(a, mt::ones({3}, DType::F32));
  EXPECT_EQ(v.shape(), (mt::Shape{3}));
  mt::Tensor x = mt::linalg::solve(a, mt::ones({4, 3, 1}, DType::F32));
  EXPECT_EQ(x.shape(), (mt::Shape{4, 3, 1}));
  ASSERT_FALSE(bool(s->execute({i, v, x})));
  EXPECT_EQ(i.value()->getDouble(0), 0.5);
  EXPECT_EQ(v.value()->getDouble(2), 0.5);
  EXPECT_EQ(x.value()->getDouble(11), 0.5);
  // numpy's LinAlgError: shapes at the call, singular matrices at run time.
  EXPECT_EQ(mt::linalg::inv(mt::ones({3})).error().kind,
            mt::ErrorKind::LinAlg);
  EXPECT_EQ(mt::linalg::cholesky(mt::ones({2, 3})).error().kind,
            mt::ErrorKind::LinAlg);
  EXPECT_EQ(mt::linalg::solve(mt::ones({3, 3}), mt::ones({4})).error().kind,
            mt::ErrorKind::Value);
  EXPECT_EQ(mt::linalg::qr(mt::ones({3, 3}), "raw")[0].error().kind,
            mt::ErrorKind::Value);
  llvm::Error err = s->execute({mt::linalg::inv(mt::ones({3, 3}))});
  ASSERT_TRUE(bool(err));
  mt::Error e = mt::toError(std::move(err));
  EXPECT_EQ(e.kind, mt::ErrorKind::LinAlg);
  EXPECT_EQ(e.op, "inv");
}

TEST(TensorAPI, RuntimeErrorsComeBackFromExecute) {
  auto s = session();
  mt::Tensor p = mt::binary(mt::BinaryFn::Pow, mt::ones({3}, DType::I64),
                            mt::full({3}, -1, DType::I64));
  llvm::Error err = s->execute({p});
  ASSERT_TRUE(bool(err));
  mt::Error e = mt::toError(std::move(err));
  EXPECT_EQ(e.kind, mt::ErrorKind::Value);
  EXPECT_EQ(e.op, "power");
  EXPECT_FALSE(p.isExecuted());
}

TEST(TensorAPI, SmallProgramsRunTheirOpsDirectly) {
  // The first run of a small program builds it and runs the reference
  // engine; later runs of the same structure run its ops' rules directly
  // (eager mode's path). Both give the same values and errors.
  auto s = session();
  mt::Tensor x = mt::arange(0, 6, 1, DType::F64);
  ASSERT_FALSE(bool(s->execute({x})));
  for (int run = 0; run < 3; ++run) {
    mt::Tensor y = x * 2 + x;   // Two ops over one argument used twice.
    mt::Tensor scaled = x * 3;  // A scalar operand: a second, leaf op.
    mt::Tensor total = mt::sum(y);
    ASSERT_FALSE(bool(s->execute({y, scaled, total, y})));
    EXPECT_EQ(s->lastReport().engine, "reference");
    EXPECT_EQ(s->lastReport().programCacheHit, run > 0);
    for (int64_t i = 0; i < 6; ++i) {
      EXPECT_DOUBLE_EQ(y.value()->getDouble(i), 3.0 * i);
      EXPECT_DOUBLE_EQ(scaled.value()->getDouble(i), 3.0 * i);
    }
    EXPECT_DOUBLE_EQ(total.value()->getDouble(0), 45);

    mt::Tensor p = mt::binary(mt::BinaryFn::Pow, mt::ones({3}, DType::I64),
                              mt::full({3}, -1, DType::I64));
    mt::Error e = mt::toError(s->execute({p}));
    EXPECT_EQ(e.kind, mt::ErrorKind::Value);
    EXPECT_EQ(e.op, "power");
    EXPECT_FALSE(p.isExecuted());
  }
}

TEST(TensorAPI, LongSmallProgramsStillFreeTheirValues) {
  // A small program of more ops than a step program holds runs on the
  // reference engine, which frees each value after its last use.
  auto s = session();
  for (int run = 0; run < 2; ++run) {
    mt::Tensor t = mt::ones({4});
    for (int i = 0; i < 40; ++i)
      t = t + 1;
    ASSERT_FALSE(bool(s->execute({t})));
    EXPECT_EQ(s->lastReport().engine, "reference");
    EXPECT_DOUBLE_EQ(t.value()->getDouble(3), 41);
  }
}

} // namespace
