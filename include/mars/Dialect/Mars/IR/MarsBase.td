//===- MarsBase.td - The Mars dialect and its type constraints -*- tablegen -*-===//

#ifndef MARS_DIALECT_MARS_IR_MARSBASE_TD
#define MARS_DIALECT_MARS_IR_MARSBASE_TD

include "mlir/IR/OpBase.td"

def Mars_Dialect : Dialect {
  let name = "mars";
  let cppNamespace = "::mars";
  let summary = "Coarse-grained, numpy-style tensor programs";
  let description = [{
    The Mars dialect holds tensor programs as users write them with numpy:
    whole-array operations on statically shaped builtin tensors, with numpy's
    broadcasting, reduction and indexing rules. It is the input of the Mars
    pipeline: programs in this dialect are tiled into chunk graphs, fused,
    compiled and scheduled; the reference evaluator (`mars-run
    --engine=reference`) defines what each of them computes.

    Element types are those of numpy's `float32`, `float64`, `int32`, `int64`
    and `bool` (`f32`, `f64`, `i32`, `i64`, `i1`). Type promotion is explicit:
    binary operations take operands of one element type, and `mars.cast`
    converts between them, so the frontend spells out what numpy's promotion
    rules would have chosen.
  }];
  let hasConstantMaterializer = 1;
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let extraClassDeclaration = [{
    /// The discardable attribute that gives a value's chunk layout: the
    /// chunk shape of an op's result, or of a function argument.
    static constexpr ::llvm::StringLiteral kChunksAttrName = "mars.chunks";
    /// On an op computed by a generated chunk kernel (mars-outline-kernels):
    /// the kernel's symbol.
    static constexpr ::llvm::StringLiteral kKernelAttrName = "mars.kernel";
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

class Mars_Op<string mnemonic, list<Trait> traits = []>
    : Op<Mars_Dialect, mnemonic, traits>;

// numpy's integer dtypes: int8 ... int64 are signless integers (arith's
// view: the ops choose signed semantics), uint8 ... uint64 MLIR's unsigned
// integers, so that the type says which of numpy's rules apply.
defvar Mars_IntegerTypes = [I8, I16, I32, I64, UI8, UI16, UI32, UI64];
def Mars_AnyTensor
    : StaticShapeTensorOf<!listconcat([F32, F64, I1], Mars_IntegerTypes)>;
def Mars_NumericTensor
    : StaticShapeTensorOf<!listconcat([F32, F64], Mars_IntegerTypes)>;
def Mars_FloatTensor : StaticShapeTensorOf<[F32, F64]>;
def Mars_IntegerTensor : StaticShapeTensorOf<Mars_IntegerTypes>;
// Positions (take, put, bincount): numpy's intp, or int32.
def Mars_PositionTensor : StaticShapeTensorOf<[I32, I64]>;
def Mars_BoolTensor : StaticShapeTensorOf<[I1]>;
def Mars_IndexTensor : StaticShapeTensorOf<[I64]>;

#endif // MARS_DIALECT_MARS_IR_MARSBASE_TD
