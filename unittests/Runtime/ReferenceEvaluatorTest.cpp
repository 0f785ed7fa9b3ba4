//===- ReferenceEvaluatorTest.cpp - Running programs on whole arrays ------===//

#include "mars/Runtime/ReferenceEvaluator.h"

#include "mars/Dialect/Mars/IR/Mars.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mars;
using numeric::DType;
using numeric::NDArray;

namespace {

class ReferenceEvaluatorTest : public ::testing::Test {
protected:
  ReferenceEvaluatorTest() {
    context.loadDialect<MarsDialect, func::FuncDialect>();
  }

  /// Runs @main of `source`; diagnostics are collected in `errors`.
  FailureOr<std::vector<NDArray>> run(const std::string &source,
                                      std::vector<NDArray> args = {},
                                      ReferenceOptions options = {}) {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
      errors.push_back(d.str());
      return success();
    });
    module = parseSourceString<ModuleOp>(source, &context);
    if (!module)
      return failure();
    return evaluateReference(module->lookupSymbol<func::FuncOp>("main"), args,
                             options);
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::vector<std::string> errors;
};

TEST_F(ReferenceEvaluatorTest, RunsTheSeedProgram) {
  auto r = run(R"mlir(
    func.func @main(%a: tensor<2x2xf64>) -> tensor<f64> {
      %t = mars.transpose %a perm = [1, 0] : tensor<2x2xf64> -> tensor<2x2xf64>
      %d = mars.matmul %a, %t : tensor<2x2xf64>, tensor<2x2xf64> -> tensor<2x2xf64>
      %s = mars.sub %d, %a : tensor<2x2xf64>
      %r = mars.std %s : tensor<2x2xf64> -> tensor<f64>
      return %r : tensor<f64>
    })mlir",
               [] {
                 NDArray a(DType::F64, {2, 2});
                 double v[] = {1, 2, 3, 4};
                 std::copy(v, v + 4, a.data<double>());
                 return std::vector<NDArray>{a};
               }());
  ASSERT_TRUE(succeeded(r));
  // a.dot(a.T) - a == [[4, 9], [8, 21]]: mean 10.5, std sqrt(161 / 4).
  EXPECT_DOUBLE_EQ((*r)[0].data<double>()[0], std::sqrt(40.25));
}

TEST_F(ReferenceEvaluatorTest, ArgumentsMustMatchTheSignature) {
  auto r = run(R"mlir(
    func.func @main(%a: tensor<3xf64>) -> tensor<3xf64> {
      return %a : tensor<3xf64>
    })mlir",
               {NDArray(DType::F32, {3})});
  EXPECT_TRUE(failed(r));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "argument 0: holds float32 with shape (3,), but the "
                       "program expects tensor<3xf64> (float64 with shape (3,))");
}

TEST_F(ReferenceEvaluatorTest, RunTimeErrorsAreDiagnostics) {
  auto r = run(R"mlir(
    func.func @main() -> tensor<i64> {
      %a = mars.zeros : tensor<0xi64>
      %m = mars.max %a : tensor<0xi64> -> tensor<i64>
      return %m : tensor<i64>
    })mlir");
  EXPECT_TRUE(failed(r));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("zero-size array to reduction operation maximum"),
            std::string::npos);
}

TEST_F(ReferenceEvaluatorTest, MemoryLimitCountsLiveArrays) {
  const char *program = R"mlir(
    func.func @main() -> tensor<f64> {
      %a = mars.ones : tensor<1000xf64>
      %b = mars.neg %a : tensor<1000xf64>
      %s = mars.sum %b : tensor<1000xf64> -> tensor<f64>
      return %s : tensor<f64>
    })mlir";
  ReferenceOptions tight;
  tight.memoryLimit = 12000; // %a fits, %a and %b together (16000) do not.
  EXPECT_TRUE(failed(run(program, {}, tight)));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("the result needs 7.81 KiB with 7.81 KiB already in use"),
            std::string::npos)
      << errors[0];
  ReferenceOptions enough;
  enough.memoryLimit = 16000;
  auto r = run(program, {}, enough);
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ((*r)[0].data<double>()[0], -1000.0);
}

} // namespace
