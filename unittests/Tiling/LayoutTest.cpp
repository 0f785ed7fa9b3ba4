//===- LayoutTest.cpp - Chunk layouts, index maps and combine trees -------===//

#include "mars/Tiling/ChunkGraph.h"

#include "mars/Dialect/Mars/IR/Mars.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mars;
using namespace mars::tiling;

namespace {

TEST(LayoutTest, RaggedLastChunks) {
  Layout l({5, 7}, {2, 3});
  EXPECT_EQ(l.grid(), (Shape{3, 3}));
  EXPECT_EQ(l.numChunks(), 9);
  Box last = l.chunkBox(8);
  EXPECT_EQ(last.lo, (Shape{4, 6}));
  EXPECT_EQ(last.hi, (Shape{5, 7}));
  EXPECT_EQ(l.chunkIndex(5), (Shape{1, 2}));
  EXPECT_EQ(l.linearIndex({1, 2}), 5);
}

TEST(LayoutTest, EmptyAndScalarTensors) {
  Layout empty({0, 4}, {1, 2});
  EXPECT_EQ(empty.numChunks(), 0);
  Layout scalar({}, {});
  EXPECT_EQ(scalar.numChunks(), 1);
  EXPECT_EQ(scalar.chunksOverlapping(Box::of({})),
            (std::vector<int64_t>{0}));
}

TEST(LayoutTest, ChunksOverlappingABox) {
  Layout l({6, 6}, {2, 2});
  Box box{{1, 3}, {4, 4}};
  // Rows 1..3 lie in chunk rows 0 and 1; column 3 in chunk column 1.
  EXPECT_EQ(l.chunksOverlapping(box), (std::vector<int64_t>{1, 4}));
  EXPECT_TRUE(l.chunksOverlapping(Box{{1, 1}, {1, 3}}).empty());
}

TEST(LayoutTest, CombineTreeHasBoundedFanIn) {
  auto tree = combineTree(10, 4);
  ASSERT_EQ(tree.size(), 2u);
  EXPECT_EQ(tree[0].size(), 3u); // {0..3} {4..7} {8, 9}
  EXPECT_EQ(tree[0][2], (std::vector<int64_t>{8, 9}));
  EXPECT_EQ(tree[1].size(), 1u);
  EXPECT_TRUE(combineTree(1, 4).empty());
  EXPECT_TRUE(combineTree(0, 4).empty());
}

class ChunkGraphTest : public ::testing::Test {
protected:
  ChunkGraphTest() { context.loadDialect<MarsDialect, func::FuncDialect>(); }

  Operation *firstOp(const std::string &source) {
    module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(bool(module));
    auto f = cast<func::FuncOp>(module->getBody()->front());
    return &f.getBody().front().front();
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(ChunkGraphTest, KeepdimsReductionRegions) {
  Operation *op = firstOp(R"mlir(
    func.func @f(%a: tensor<4x6xf64> {mars.chunks = array<i64: 2, 4>}) {
      %0 = mars.sum %a axes = [1] keepdims {mars.chunks = array<i64: 2, 1>} : tensor<4x6xf64> -> tensor<4x1xf64>
      return
    })mlir");
  ASSERT_EQ(getChunkKind(op), ChunkKind::Contraction);
  Contraction c(op);
  EXPECT_EQ(c.steps().numChunks(), 2); // 6 columns in chunks of 4: 4 + 2.
  Box out{{2, 0}, {4, 1}};
  Box step1 = c.operandRegion(0, out, 1);
  EXPECT_EQ(step1.lo, (Shape{2, 4}));
  EXPECT_EQ(step1.hi, (Shape{4, 6}));
  Box all = c.operandRegion(0, out, std::nullopt);
  EXPECT_EQ(all.lo, (Shape{2, 0}));
  EXPECT_EQ(all.hi, (Shape{4, 6}));
}

TEST_F(ChunkGraphTest, TensordotPairsContractedAxes) {
  Operation *op = firstOp(R"mlir(
    func.func @f(%a: tensor<2x3x4xf64> {mars.chunks = array<i64: 1, 2, 4>},
                 %b: tensor<4x3x5xf64> {mars.chunks = array<i64: 4, 2, 5>}) {
      %0 = mars.tensordot %a, %b axes = [1, 2], [1, 0] {mars.chunks = array<i64: 1, 5>} : tensor<2x3x4xf64>, tensor<4x3x5xf64> -> tensor<2x5xf64>
      return
    })mlir");
  Contraction c(op);
  EXPECT_EQ(c.steps().shape(), (Shape{3, 4}));
  EXPECT_EQ(c.steps().numChunks(), 2);
  Box out{{1, 0}, {2, 5}};
  Box a = c.operandRegion(0, out, 1), b = c.operandRegion(1, out, 1);
  EXPECT_EQ(a.lo, (Shape{1, 2, 0}));
  EXPECT_EQ(a.hi, (Shape{2, 3, 4}));
  EXPECT_EQ(b.lo, (Shape{0, 2, 0}));
  EXPECT_EQ(b.hi, (Shape{4, 3, 5}));
}

TEST_F(ChunkGraphTest, BroadcastOperandsReadElementZero) {
  Operation *op = firstOp(R"mlir(
    func.func @f(%a: tensor<4x1xf64>, %b: tensor<3xf64>) {
      %0 = mars.add %a, %b : (tensor<4x1xf64>, tensor<3xf64>) -> tensor<4x3xf64>
      return
    })mlir");
  Box out{{2, 1}, {4, 3}};
  std::optional<Box> a = mapOperandRegion(op, 0, out);
  std::optional<Box> b = mapOperandRegion(op, 1, out);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->lo, (Shape{2, 0}));
  EXPECT_EQ(a->hi, (Shape{4, 1}));
  EXPECT_EQ(b->lo, (Shape{1}));
  EXPECT_EQ(b->hi, (Shape{3}));
}

} // namespace
