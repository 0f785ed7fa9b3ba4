//===- MarsOpsTest.cpp - Builders and interfaces of Mars ops --------------===//

#include "mars/Dialect/Mars/IR/Mars.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mars;

namespace {

class MarsOpsTest : public ::testing::Test {
protected:
  MarsOpsTest() { context.loadDialect<MarsDialect, func::FuncDialect>(); }

  /// Parses `body` as the body of a function and returns its first op.
  template <typename OpT>
  OpT parseFirst(const std::string &signature, const std::string &body) {
    module = parseSourceString<ModuleOp>(
        "func.func @f(" + signature + ") {\n" + body + "\n  return\n}",
        &context);
    EXPECT_TRUE(bool(module));
    if (!module)
      return {};
    auto f = cast<func::FuncOp>(module->getBody()->front());
    return cast<OpT>(f.getBody().front().front());
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(MarsOpsTest, FullBuilderPicksTheAttributeType) {
  OpBuilder b(&context);
  auto loc = b.getUnknownLoc();
  auto f32 = b.create<FullOp>(loc, RankedTensorType::get({2}, b.getF32Type()), 1.5);
  EXPECT_TRUE(isa<FloatAttr>(f32.getValue()));
  EXPECT_EQ(f32.getValue().getType(), b.getF32Type());
  auto i1 = b.create<FullOp>(loc, RankedTensorType::get({2}, b.getI1Type()), 3.0);
  EXPECT_EQ(cast<IntegerAttr>(i1.getValue()).getValue().getBoolValue(), true);
  EXPECT_TRUE(succeeded(f32.verify()) && succeeded(i1.verify()));
  f32->erase();
  i1->erase();
}

TEST_F(MarsOpsTest, ReductionAxesAreNormalised) {
  auto sum = parseFirst<SumOp>(
      "%x: tensor<2x3x4xf64>",
      "%0 = mars.sum %x axes = [-1, 0] : tensor<2x3x4xf64> -> tensor<3xf64>");
  ASSERT_TRUE(sum);
  auto reduction = cast<ReductionOpInterface>(sum.getOperation());
  EXPECT_EQ(reduction.getReducedAxes(), (SmallVector<int64_t>{0, 2}));
  EXPECT_EQ(reduction.getReduceFn(), numeric::ReduceFn::Sum);
  EXPECT_FALSE(reduction.getKeepdims());
}

TEST_F(MarsOpsTest, AllAxesWhenAbsent) {
  auto var = parseFirst<VarOp>(
      "%x: tensor<2x3xf32>",
      "%0 = mars.var %x ddof = 1 : tensor<2x3xf32> -> tensor<f32>");
  ASSERT_TRUE(var);
  auto reduction = cast<ReductionOpInterface>(var.getOperation());
  EXPECT_EQ(reduction.getReducedAxes(), (SmallVector<int64_t>{0, 1}));
  EXPECT_EQ(reduction.getDeltaDof(), 1);
}

TEST_F(MarsOpsTest, SliceDimsFollowNumpy) {
  auto slice = parseFirst<SliceOp>(
      "%x: tensor<5x6x2xf64>",
      "%0 = mars.slice %x [1:-1, ::-2] : tensor<5x6x2xf64> -> tensor<3x3x2xf64>");
  ASSERT_TRUE(slice);
  SmallVector<numeric::SliceDim> dims = slice.getSliceDims();
  ASSERT_EQ(dims.size(), 3u);
  EXPECT_EQ(dims[0].start, 1);
  EXPECT_EQ(dims[0].count, 3);
  EXPECT_EQ(dims[1].start, 5);
  EXPECT_EQ(dims[1].step, -2);
  EXPECT_EQ(dims[1].count, 3);
  EXPECT_EQ(dims[2].count, 2);
}

TEST_F(MarsOpsTest, ElementwiseFamiliesExposeTheirScalarFunction) {
  auto lt = parseFirst<LtOp>("%x: tensor<3xf64>",
                             "%0 = mars.lt %x, %x : tensor<3xf64>");
  ASSERT_TRUE(lt);
  EXPECT_EQ(cast<BinaryOpInterface>(lt.getOperation()).getBinaryFn(),
            numeric::BinaryFn::Lt);
  EXPECT_EQ(lt.getType().getElementType(), IntegerType::get(&context, 1));
  EXPECT_TRUE(isa<ElementwiseOpInterface>(lt.getOperation()));
}

// The work of making an element again: kernels' weights for elementwise
// and creation ops, LAPACK's flops for matrix ops, and a fused group's sum.
TEST_F(MarsOpsTest, RecomputeWorkWeighsEachOp) {
  auto work = [&](const std::string &signature, const std::string &body) {
    auto op = parseFirst<Operation *>(signature, body);
    auto recompute = dyn_cast_or_null<RecomputeOpInterface>(op);
    return recompute ? recompute.getRecomputeWork() : int64_t(-1);
  };
  EXPECT_EQ(work("", "%0 = mars.random_uniform seed = 7, low = 0.0, "
                     "high = 1.0 : tensor<4xf64>"),
            8);
  EXPECT_EQ(work("", "%0 = mars.arange start = 0.0, step = 1.0 : "
                     "tensor<4xf64>"),
            1);
  EXPECT_EQ(work("%x: tensor<4xf64>", "%0 = mars.abs %x : tensor<4xf64>"), 1);
  EXPECT_EQ(work("%x: tensor<4xf64>", "%0 = mars.sqrt %x : tensor<4xf64>"), 8);
  EXPECT_EQ(work("%x: tensor<4x3xf64>",
                 "%0 = mars.transpose %x perm = [1, 0] : "
                 "tensor<4x3xf64> -> tensor<3x4xf64>"),
            1);
  // QR of 500 x 8 matrices: 4 k^2 (m - k/3) flops over 500 x 8 elements
  // of Q, at LAPACK's rate for k = 8 (2/3 flop per ns, 2 steps per ns); of
  // R (8 x 8), 62 times as much per element.
  EXPECT_EQ(work("%x: tensor<3x500x8xf64>",
                 "%0 = mars.qr %x part = \"q\" complete = false : "
                 "tensor<3x500x8xf64> -> tensor<3x500x8xf64>"),
            96);
  EXPECT_EQ(work("%x: tensor<3x500x8xf64>",
                 "%0 = mars.qr %x part = \"r\" complete = false : "
                 "tensor<3x500x8xf64> -> tensor<3x8x8xf64>"),
            5968);
  // inv: 2 n^3 flops over n^2 elements, at 16/3 flops per ns for n = 64.
  EXPECT_EQ(work("%x: tensor<64x64xf64>",
                 "%0 = mars.inv %x : tensor<64x64xf64> -> tensor<64x64xf64>"),
            48);
  // Sorts are always stored.
  EXPECT_EQ(work("%x: tensor<4xf64>",
                 "%0 = mars.sort %x axis = 0 : tensor<4xf64> -> tensor<4xf64>"),
            -1);
}

// getOperandRegions answers for every operand at once (concatenate in one
// pass over its inputs) and agrees with getOperandRegion.
TEST_F(MarsOpsTest, OperandRegionsAgreeWithEachOperandsRegion) {
  auto concat = parseFirst<ConcatenateOp>(
      "%a: tensor<2x3xf64>, %b: tensor<0x3xf64>, %c: tensor<4x3xf64>",
      "%0 = mars.concatenate %a, %b, %c axis = 0 : tensor<2x3xf64>, "
      "tensor<0x3xf64>, tensor<4x3xf64> -> tensor<6x3xf64>");
  ASSERT_TRUE(concat);
  auto rules = cast<ChunkOpInterface>(concat.getOperation());
  for (int64_t lo = 0; lo <= 6; ++lo)
    for (int64_t hi = lo; hi <= 6; ++hi) {
      tiling::Box out{{lo, 1}, {hi, 3}};
      SmallVector<std::optional<tiling::Box>> all =
          rules.getOperandRegions(out);
      ASSERT_EQ(all.size(), 3u);
      for (unsigned i = 0; i < 3; ++i) {
        std::optional<tiling::Box> one = rules.getOperandRegion(i, out);
        ASSERT_EQ(all[i].has_value(), one.has_value()) << lo << " " << hi;
        if (one) {
          EXPECT_EQ(all[i]->lo, one->lo);
          EXPECT_EQ(all[i]->hi, one->hi);
        }
      }
    }
  // Rows 1..4 read row 1 of %a and rows 0..2 of %c, nothing of %b.
  SmallVector<std::optional<tiling::Box>> mid =
      rules.getOperandRegions(tiling::Box{{1, 0}, {5, 3}});
  ASSERT_TRUE(mid[0] && !mid[1] && mid[2]);
  EXPECT_EQ(mid[0]->lo, (tiling::Shape{1, 0}));
  EXPECT_EQ(mid[0]->hi, (tiling::Shape{2, 3}));
  EXPECT_EQ(mid[2]->lo, (tiling::Shape{0, 0}));
  EXPECT_EQ(mid[2]->hi, (tiling::Shape{3, 3}));
}

} // namespace

namespace {

// Engines read ops only through their chunk rules: an op of the dialect
// without them would stop mars-tile and every engine (with a located error),
// so none may be missing. mars.yield is a terminator; mars.save a sink.
TEST(MarsChunkRulesTest, EveryOpHasChunkRules) {
  MLIRContext context;
  context.loadDialect<MarsDialect>();
  int checked = 0;
  for (RegisteredOperationName name : context.getRegisteredOperations()) {
    if (name.getDialectNamespace() != MarsDialect::getDialectNamespace() ||
        name.hasTrait<OpTrait::IsTerminator>())
      continue;
    ++checked;
    bool sink = name.hasInterface<SinkOpInterface>();
    bool rules = name.hasInterface<ChunkOpInterface>();
    EXPECT_NE(sink, rules) << name.getStringRef().str()
                           << ": exactly one of chunk rules or sink";
    // A contraction needs its map, and a reduction is a contraction.
    if (name.hasInterface<ReductionOpInterface>()) {
      EXPECT_TRUE(name.hasInterface<ContractionOpInterface>())
          << name.getStringRef().str();
    }
    if (name.hasInterface<ContractionOpInterface>() ||
        name.hasInterface<GeneratorOpInterface>()) {
      EXPECT_TRUE(rules) << name.getStringRef().str();
    }
  }
  EXPECT_GT(checked, 60);
}

} // namespace
