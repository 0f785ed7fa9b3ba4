//===- SparseTest.cpp - CSR kernels against dense arithmetic --------------===//

#include "mars/Numeric/Sparse.h"
#include "mars/Numeric/Kernels.h"
#include "mars/Numeric/Reductions.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace mars::numeric;

namespace {

/// A rows x cols f64 matrix with about `density` of its elements nonzero
/// (some of them NaN, -0.0 and inf).
NDArray randomMatrix(int64_t rows, int64_t cols, double density,
                     unsigned seed) {
  NDArray a(DType::F64, {rows, cols});
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(0, 1);
  double *d = a.data<double>();
  for (int64_t i = 0; i < rows * cols; ++i) {
    double p = u(gen);
    if (p >= density)
      d[i] = p < density + (1 - density) / 4 ? -0.0 : 0.0;
    else if (p < density / 20)
      d[i] = NAN;
    else if (p < density / 10)
      d[i] = -INFINITY;
    else
      d[i] = std::round(u(gen) * 200 - 100);
  }
  return a;
}

/// Bitwise equality of two dense f64 arrays, except that every zero is
/// zero (a CSR array does not keep -0.0) and NaN equals NaN.
void expectSameDense(const NDArray &got, const NDArray &want) {
  ASSERT_FALSE(got.isSparse());
  ASSERT_EQ(got.shape(), want.shape());
  for (int64_t i = 0; i < want.size(); ++i) {
    double g = got.data<double>()[i], w = want.data<double>()[i];
    if (std::isnan(w))
      EXPECT_TRUE(std::isnan(g)) << "at " << i;
    else
      EXPECT_EQ(g, w) << "at " << i;
  }
}

void expectCanonical(const NDArray &csr) {
  ASSERT_TRUE(csr.isSparse());
  const int64_t *ptr = csr.indptr(), *idx = csr.indices();
  EXPECT_EQ(ptr[0], 0);
  EXPECT_EQ(ptr[csr.shape()[0]], csr.nnz());
  for (int64_t r = 0; r < csr.shape()[0]; ++r)
    for (int64_t j = ptr[r]; j < ptr[r + 1]; ++j) {
      EXPECT_GE(idx[j], 0);
      EXPECT_LT(idx[j], csr.shape()[1]);
      if (j > ptr[r])
        EXPECT_LT(idx[j - 1], idx[j]);
    }
}

TEST(Sparse, Layout) {
  NDArray a = NDArray::csr(DType::F32, {3, 7}, 5);
  EXPECT_TRUE(a.isSparse());
  EXPECT_EQ(a.nnz(), 5);
  EXPECT_EQ(a.nbytes(), csrBytes(DType::F32, 3, 5));
  EXPECT_EQ(a.nbytes(), 4 * 8 + 5 * 8 + 5 * 4);
  EXPECT_EQ(csrNnzOfBytes(DType::F32, 3, a.nbytes()), 5);
  EXPECT_EQ(csrNnzOfBytes(DType::F32, 3, a.nbytes() + 1), -1);
  EXPECT_EQ(csrNnzOfBytes(DType::F32, 3, 8), -1);
  NDArray moved = std::move(a);
  EXPECT_TRUE(moved.isSparse());
  EXPECT_FALSE(a.isSparse());
}

TEST(Sparse, RoundTripKeepsNonzerosAndDropsZeros) {
  for (double density : {0.0, 1e-3, 0.1, 0.5, 1.0})
    for (auto [rows, cols] : {std::pair<int64_t, int64_t>{0, 4}, {4, 0},
                              {1, 1}, {7, 13}, {40, 3}}) {
      NDArray dense = randomMatrix(rows, cols, density, 7);
      NDArray csr = toCsr(dense);
      expectCanonical(csr);
      int64_t nonzero = 0;
      for (int64_t i = 0; i < dense.size(); ++i)
        nonzero += dense.data<double>()[i] != 0.0;
      EXPECT_EQ(csr.nnz(), nonzero);
      expectSameDense(toDense(csr), dense);
    }
}

TEST(Sparse, CropAndAssembleAgreeWithDense) {
  NDArray dense = randomMatrix(23, 17, 0.2, 3);
  NDArray csr = toCsr(dense);
  // Every 5 x 4 block, ragged at the edges, cropped and put back.
  std::vector<NDArray> parts;
  std::vector<CsrBlock> blocks;
  parts.reserve(100);
  for (int64_t r = 0; r < 23; r += 5)
    for (int64_t c = 0; c < 17; c += 4) {
      int64_t r1 = std::min<int64_t>(23, r + 5), c1 = std::min<int64_t>(17, c + 4);
      parts.push_back(cropCsr(csr, r, r1, c, c1));
      expectCanonical(parts.back());
      NDArray want(DType::F64, {r1 - r, c1 - c});
      copyBox(dense, {r, c}, want, {0, 0}, {r1 - r, c1 - c});
      expectSameDense(toDense(parts.back()), want);
      blocks.push_back({&parts.back(), r, c});
    }
  NDArray whole = assembleCsr(DType::F64, {23, 17}, blocks);
  expectCanonical(whole);
  EXPECT_EQ(whole.nnz(), csr.nnz());
  expectSameDense(toDense(whole), dense);
  // An empty region.
  EXPECT_EQ(cropCsr(csr, 3, 3, 0, 17).nnz(), 0);
}

TEST(Sparse, EyeRegionsMatchDenseEye) {
  for (int64_t k : {-3, 0, 2, 9})
    for (auto [r0, c0] : {std::pair<int64_t, int64_t>{0, 0}, {2, 5}, {6, 1}}) {
      NDArray csr = eyeCsr(DType::F64, 4, 5, k, r0, c0);
      expectCanonical(csr);
      expectSameDense(toDense(csr), eye(DType::F64, 4, 5, k, r0, c0));
    }
}

TEST(Sparse, SlicesWithAnyStepsMatchDenseSlices) {
  NDArray dense = randomMatrix(13, 11, 0.3, 31);
  NDArray csr = toCsr(dense);
  for (SliceDim rows : {SliceDim{0, 1, 13}, SliceDim{1, 3, 4},
                        SliceDim{12, -1, 13}, SliceDim{10, -4, 3},
                        SliceDim{5, 1, 0}})
    for (SliceDim cols : {SliceDim{0, 1, 11}, SliceDim{2, 2, 5},
                          SliceDim{10, -3, 4}, SliceDim{7, -1, 8}}) {
      NDArray got = csrSlice(csr, rows, cols);
      expectCanonical(got);
      expectSameDense(toDense(got), slice(dense, {rows, cols}));
    }
}

TEST(Sparse, UnionAlignsValuesAndDropZerosKeepsNaN) {
  NDArray a = randomMatrix(8, 9, 0.3, 41), b = randomMatrix(8, 9, 0.3, 42);
  NDArray ca = toCsr(a), cb = toCsr(b);
  const NDArray *both[] = {&ca, &cb};
  NDArray u = csrUnion(both);
  expectCanonical(u);
  int64_t either = 0;
  for (int64_t i = 0; i < a.size(); ++i)
    either += a.data<double>()[i] != 0 || b.data<double>()[i] != 0;
  EXPECT_EQ(u.nnz(), either);
  // Each operand's values on the union, as a CSR array, are the operand.
  expectSameDense(toDense(csrWithValues(u, csrValuesOn(u, ca))), a);
  expectSameDense(toDense(csrWithValues(u, csrValuesOn(u, cb))), b);
  // Dropping zeros: the union's zeros go, NaN stays.
  NDArray zeros = csrWithValues(u, NDArray(DType::F64, {u.nnz()}));
  EXPECT_EQ(csrDropZeros(zeros).nnz(), 0);
  NDArray kept = csrDropZeros(csrWithValues(u, csrValuesOn(u, ca)));
  expectCanonical(kept);
  EXPECT_EQ(kept.nnz(), ca.nnz());
  expectSameDense(toDense(kept), a);
}

TEST(Sparse, GatherReadsBroadcastArraysAtStoredElements) {
  NDArray a = randomMatrix(7, 5, 0.4, 61);
  NDArray ca = toCsr(a);
  NDArray full = randomMatrix(7, 5, 1.0, 62);
  NDArray row(DType::F64, {5}), rowMatrix(DType::F64, {1, 5}),
      column(DType::F64, {7, 1}), scalar(DType::F64, {});
  for (int64_t c = 0; c < 5; ++c)
    row.data<double>()[c] = rowMatrix.data<double>()[c] = 10.0 + c;
  for (int64_t r = 0; r < 7; ++r)
    column.data<double>()[r] = -1.0 - r;
  scalar.data<double>()[0] = 0.5;
  const int64_t *ptr = ca.indptr(), *idx = ca.indices();
  for (const NDArray *d : {&full, &row, &rowMatrix, &column, &scalar}) {
    NDArray g = csrGather(ca, *d);
    ASSERT_EQ(g.shape(), Shape{ca.nnz()});
    int64_t rowsOf = d->rank() == 2 ? d->shape()[0] : 1;
    int64_t colsOf = d->rank() >= 1 ? d->shape()[d->rank() - 1] : 1;
    for (int64_t r = 0; r < 7; ++r)
      for (int64_t j = ptr[r]; j < ptr[r + 1]; ++j) {
        int64_t i = (rowsOf == 1 ? 0 : r) * colsOf +
                    (colsOf == 1 ? 0 : idx[j]);
        // Bit for bit: the full matrix holds NaN, inf and -0.0.
        EXPECT_EQ(std::memcmp(&g.data<double>()[j], &d->data<double>()[i],
                              sizeof(double)),
                  0);
      }
  }
}

TEST(Sparse, ReductionsOfCsrAreTheDenseOnesBitForBit) {
  for (unsigned seed : {71u, 72u, 73u})
    for (double density : {0.0, 0.1, 0.5, 1.0}) {
      NDArray a = randomMatrix(6, 9, density, seed);
      NDArray csr = toCsr(a);
      // Stored zeros of both signs too (toCsr stores none).
      NDArray values = csrValues(csr);
      for (int64_t i = 0; i < values.size(); i += 4)
        values.data<double>()[i] = i % 8 ? 0.0 : -0.0;
      csr = csrWithValues(csr, values);
      NDArray dense = toDense(csr);
      for (ReduceFn fn : {ReduceFn::Min, ReduceFn::Max, ReduceFn::Prod,
                          ReduceFn::Any, ReduceFn::All, ReduceFn::ArgMin,
                          ReduceFn::ArgMax}) {
        ASSERT_TRUE(reducesCsr(fn));
        bool isArg = fn == ReduceFn::ArgMin || fn == ReduceFn::ArgMax;
        std::vector<std::vector<int64_t>> axesList = {{}, {0}, {1}};
        if (!isArg)
          axesList.push_back({0, 1});
        DType rtype = reductionResultDType(fn, DType::F64);
        for (const auto &axes : axesList)
          for (bool keep : {false, true}) {
            auto want = reduce(fn, dense, axes, keep, 0, rtype);
            auto got = reduce(fn, csr, axes, keep, 0, rtype);
            ASSERT_EQ(static_cast<bool>(want), static_cast<bool>(got));
            if (!want) {
              llvm::consumeError(want.takeError());
              llvm::consumeError(got.takeError());
              continue;
            }
            ASSERT_EQ(got->shape(), want->shape());
            ASSERT_EQ(got->dtype(), want->dtype());
            EXPECT_EQ(std::memcmp(got->bytes(), want->bytes(), got->nbytes()),
                      0)
                << "fn " << static_cast<int>(fn) << " density " << density;
          }
      }
    }
  EXPECT_FALSE(reducesCsr(ReduceFn::Sum));
  EXPECT_FALSE(reducesCsr(ReduceFn::Var));
}

TEST(Sparse, RandomMatricesAreTheSameInAnyBoxes) {
  const Shape global = {23, 41};
  NDArray whole = randomUniformCsr(DType::F64, global, 5, 0.0, 1.0, 0.2,
                                   global, {0, 0});
  expectCanonical(whole);
  NDArray dense = randomUniform(DType::F64, global, 5, 0.0, 1.0, global,
                                {0, 0});
  // Stored values are the dense draw's.
  const int64_t *ptr = whole.indptr(), *idx = whole.indices();
  for (int64_t r = 0; r < 23; ++r)
    for (int64_t j = ptr[r]; j < ptr[r + 1]; ++j)
      EXPECT_EQ(whole.values<double>()[j],
                dense.data<double>()[r * 41 + idx[j]]);
  // Boxes of a 5 x 9 tiling assemble into the whole.
  std::vector<NDArray> boxes;
  std::vector<CsrBlock> blocks;
  for (int64_t r = 0; r < 23; r += 5)
    for (int64_t c = 0; c < 41; c += 9) {
      Shape sizes = {std::min<int64_t>(5, 23 - r), std::min<int64_t>(9, 41 - c)};
      boxes.push_back(randomUniformCsr(DType::F64, sizes, 5, 0.0, 1.0, 0.2,
                                       global, {r, c}));
      EXPECT_LE(boxes.back().nnz(), binomialBound(sizes[0] * sizes[1], 0.2));
    }
  size_t b = 0;
  for (int64_t r = 0; r < 23; r += 5)
    for (int64_t c = 0; c < 41; c += 9)
      blocks.push_back({&boxes[b++], r, c});
  expectSameDense(toDense(assembleCsr(DType::F64, global, blocks)),
                  toDense(whole));
  EXPECT_EQ(binomialBound(0, 0.5), 0);
  EXPECT_EQ(binomialBound(1000, 0.0), 0);
  EXPECT_EQ(binomialBound(1000, 1.0), 1000);
  EXPECT_EQ(binomialBound(10, 0.5), 10); // Tiny counts: every element.
  EXPECT_GT(binomialBound(1000000, 0.01), 10000);
  EXPECT_LT(binomialBound(1000000, 0.01), 11000);
}

TEST(Sparse, SparseProductsAndSums) {
  NDArray a = randomMatrix(12, 9, 0.3, 51), b = randomMatrix(9, 7, 0.3, 52);
  for (NDArray *m : {&a, &b})
    for (int64_t i = 0; i < m->size(); ++i)
      if (!std::isfinite(m->data<double>()[i]))
        m->data<double>()[i] = 5;
  NDArray ca = toCsr(a), cb = toCsr(b);
  NDArray p = csrMatmulCsr(ca, 0, 12, 0, 9, cb);
  expectCanonical(p);
  NDArray want = matmul(a, b);
  NDArray got = toDense(p);
  for (int64_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got.data<double>()[i], want.data<double>()[i], 1e-9);
  // A window: rows [2, 10), columns [3, 9) of a times rows [3, 9) of b.
  NDArray region(DType::F64, {8, 6}), rows(DType::F64, {6, 7});
  copyBox(a, {2, 3}, region, {0, 0}, {8, 6});
  copyBox(b, {3, 0}, rows, {0, 0}, {6, 7});
  NDArray pw = csrMatmulCsr(ca, 2, 10, 3, 9, toCsr(rows));
  expectCanonical(pw);
  NDArray ww = matmul(region, rows), gw = toDense(pw);
  for (int64_t i = 0; i < ww.size(); ++i)
    EXPECT_NEAR(gw.data<double>()[i], ww.data<double>()[i], 1e-9);
  // csrAdd is the dense sum.
  NDArray sum = csrAdd(ca, toCsr(randomMatrix(12, 9, 0.3, 53)));
  expectCanonical(sum);
}

TEST(Sparse, TransposeAndValues) {
  for (auto [rows, cols] : {std::pair<int64_t, int64_t>{0, 3}, {1, 1},
                            {9, 4}, {5, 17}}) {
    NDArray dense = randomMatrix(rows, cols, 0.3, 21);
    NDArray csr = toCsr(dense);
    NDArray t = csrTranspose(csr);
    expectCanonical(t);
    expectSameDense(toDense(t), transpose(dense, {1, 0}));
    expectSameDense(toDense(csrTranspose(t)), dense);
    NDArray values = csrValues(csr);
    ASSERT_EQ(values.size(), csr.nnz());
    // Doubled values on the same structure.
    NDArray doubled = *binary(BinaryFn::Add, values, values, DType::F64);
    NDArray twice = csrWithValues(csr, doubled);
    expectCanonical(twice);
    NDArray want = *binary(BinaryFn::Add, toDense(csr), toDense(csr),
                           DType::F64);
    expectSameDense(toDense(twice), want);
  }
}

TEST(Sparse, ProductsMatchDenseProducts) {
  NDArray a = randomMatrix(19, 11, 0.3, 11);
  // No NaN or inf in the product test: the order of a dense product's sum
  // and a sparse one's differ only in the zeros they skip.
  double *d = a.data<double>();
  for (int64_t i = 0; i < a.size(); ++i)
    if (!std::isfinite(d[i]))
      d[i] = 3;
  NDArray csr = toCsr(a);
  NDArray x = randomMatrix(11, 1, 1.0, 5).reshaped({11});
  for (int64_t i = 0; i < 11; ++i)
    if (!std::isfinite(x.data<double>()[i]))
      x.data<double>()[i] = -2;
  expectSameDense(csrMatmul(csr, x), matmul(a, x));
  NDArray m = x.reshaped({11, 1});
  expectSameDense(csrMatmul(csr, m), matmul(a, m));
  // Windows read in place: rows [3, 17) and columns [2, 9) of `a`.
  NDArray region(DType::F64, {14, 7});
  copyBox(a, {3, 2}, region, {0, 0}, {14, 7});
  NDArray xw(DType::F64, {7});
  copyBox(x, {2}, xw, {0}, {7});
  expectSameDense(csrMatmulWindow(csr, 3, 17, 2, 9, xw), matmul(region, xw));
  NDArray mw = xw.reshaped({7, 1});
  expectSameDense(csrMatmulWindow(csr, 3, 17, 2, 9, mw), matmul(region, mw));
  EXPECT_EQ(csrMatmulWindow(csr, 5, 5, 0, 11, x).size(), 0);
  // Integers wrap as numpy's do.
  NDArray ia(DType::I32, {2, 2}), ib(DType::I32, {2});
  ia.data<int32_t>()[0] = 1 << 30;
  ia.data<int32_t>()[3] = -7;
  ib.data<int32_t>()[0] = 4;
  ib.data<int32_t>()[1] = 3;
  NDArray ip = csrMatmul(toCsr(ia), ib);
  EXPECT_EQ(ip.data<int32_t>()[0], 0);
  EXPECT_EQ(ip.data<int32_t>()[1], -21);
}

} // namespace
