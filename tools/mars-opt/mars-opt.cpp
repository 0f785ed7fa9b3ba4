//===- mars-opt.cpp - Mars pass driver ------------------------------------===//
//
// mlir-opt with the Mars dialect and every Mars pass registered, for running
// and studying pass pipelines on Mars IR: `--mars-pipeline` is what
// `mars-run --engine=compiled` runs before code generation, and upstream's
// transformations and conversions apply to the outlined kernels.
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Transforms/Passes.h"

#include "mars/Conversion/LowerKernel.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  mlir::registerConversionPasses();
  mars::registerMarsPasses();
  mars::registerMarsPipeline();
  mlir::DialectRegistry registry;
  registry.insert<mars::MarsDialect, mlir::func::FuncDialect>();
  // The kernels' dialects, so upstream lowering passes can run on them.
  mars::codegen::registerKernelDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Mars optimizer driver\n", registry));
}
