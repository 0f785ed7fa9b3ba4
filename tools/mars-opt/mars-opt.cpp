//===- mars-opt.cpp - Mars pass driver ------------------------------------===//
//
// mlir-opt with the Mars dialect and every Mars pass registered, for running
// and studying pass pipelines on Mars IR.
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  mars::registerMarsPasses();
  mlir::DialectRegistry registry;
  registry.insert<mars::MarsDialect, mlir::func::FuncDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Mars optimizer driver\n", registry));
}
