//===- MarsInterfaces.td - Op families of the Mars dialect -----*- tablegen -*-===//
//
// Each family of ops shares one meaning in mars::numeric; these interfaces let
// the evaluator, the folder and the later passes treat a family as one case.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_DIALECT_MARS_IR_MARSINTERFACES_TD
#define MARS_DIALECT_MARS_IR_MARSINTERFACES_TD

include "mlir/IR/OpBase.td"

def Mars_ElementwiseOpInterface : OpInterface<"ElementwiseOpInterface"> {
  let cppNamespace = "::mars";
  let description = [{
    An op whose result element at each index depends only on the operand
    elements numpy broadcasting pairs with that index.
  }];
}

def Mars_UnaryOpInterface : OpInterface<"UnaryOpInterface",
                                        [Mars_ElementwiseOpInterface]> {
  let cppNamespace = "::mars";
  let description = "A one-operand elementwise op with a mars::numeric::UnaryFn.";
  let methods = [
    InterfaceMethod<"The scalar function the op applies.",
      "::mars::numeric::UnaryFn", "getUnaryFn">,
  ];
}

def Mars_BinaryOpInterface : OpInterface<"BinaryOpInterface",
                                         [Mars_ElementwiseOpInterface]> {
  let cppNamespace = "::mars";
  let description = "A two-operand broadcasting op with a mars::numeric::BinaryFn.";
  let methods = [
    InterfaceMethod<"The scalar function the op applies.",
      "::mars::numeric::BinaryFn", "getBinaryFn">,
  ];
}

def Mars_ReductionOpInterface : OpInterface<"ReductionOpInterface"> {
  let cppNamespace = "::mars";
  let description = [{
    A reduction over a set of axes of its single operand.
  }];
  let methods = [
    InterfaceMethod<"The reduction the op computes.",
      "::mars::numeric::ReduceFn", "getReduceFn">,
    InterfaceMethod<[{
        The reduced axes, normalised to [0, rank), sorted and unique. For
        argmin/argmax an empty list means "over the flattened operand".
      }], "::llvm::SmallVector<int64_t>", "getReducedAxes">,
    InterfaceMethod<"Whether reduced axes stay as size-1 dimensions.",
      "bool", "getKeepdims">,
    InterfaceMethod<"Delta degrees of freedom (var/std; 0 otherwise).",
      "int64_t", "getDeltaDof">,
  ];
}

#endif // MARS_DIALECT_MARS_IR_MARSINTERFACES_TD
