//===- MarsOps.td - Operations of the Mars dialect -------------*- tablegen -*-===//

#ifndef MARS_DIALECT_MARS_IR_MARSOPS_TD
#define MARS_DIALECT_MARS_IR_MARSOPS_TD

include "mars/Dialect/Mars/IR/MarsBase.td"
include "mars/Dialect/Mars/IR/MarsInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Creation
//===----------------------------------------------------------------------===//

// An op with no operands: each chunk is its box of the whole tensor
// (computeBox, in ChunkRules/Creation.cpp).
class Mars_CreationOp<string mnemonic, list<Trait> traits = []>
    : Mars_Op<mnemonic, !listconcat(traits,
          [DeclareOpInterfaceMethods<Mars_ChunkOpInterface>,
           Mars_RecomputeOpInterface])> {
  let extraClassDefinition = [{
    std::optional<::mars::tiling::Box>
    $cppClass::getOperandRegion(unsigned, const ::mars::tiling::Box &) {
      return std::nullopt;
    }
    std::optional<::mars::tiling::Shape>
    $cppClass::deriveResultChunk(::llvm::ArrayRef<::mars::tiling::Layout>) {
      return std::nullopt;
    }
    ::llvm::SmallVector<::mars::tiling::Shape>
    $cppClass::alignOperandChunks(const ::mars::tiling::Layout &,
                                  ::llvm::ArrayRef<::mars::tiling::Layout>) {
      return {};
    }
  }];
}

// A creation op kernels compute element by element (GeneratorOpInterface).
class Mars_GeneratorOp<string mnemonic, list<Trait> traits = []>
    : Mars_CreationOp<mnemonic, !listconcat(traits,
          [DeclareOpInterfaceMethods<Mars_GeneratorOpInterface>])>;

def Mars_ConstantOp : Mars_CreationOp<"constant",
    [Mars_TakesFloat16, ConstantLike, Pure, AllTypesMatch<["value", "result"]>]> {
  let summary = "A small dense constant (numpy.array)";
  let description = [{
    A tensor given element by element. Meant for small data written into a
    program; large inputs come from files (`mars.load`) or function arguments.

    ```mlir
    %c = mars.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf64>
    ```
  }];
  let arguments = (ins TypedAttrInterface:$value);
  let results = (outs Mars_StoredTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Mars_FullOp : Mars_GeneratorOp<"full", [Mars_TakesFloat16, ConstantLike, Pure]> {
  let summary = "A tensor filled with one value (numpy.full)";
  let description = [{
    Every element is `value`, a number (or `true`/`false`) converted to
    the element type; integer results need an integral value in range.
    NaN and infinities are written as typed f64 bit patterns.

    ```mlir
    %f = mars.full(2.5) : tensor<3x4xf32>
    %i = mars.full(-7) : tensor<3xi64>
    %b = mars.full(true) : tensor<8xi1>
    %n = mars.full(0x7FF8000000000000 : f64) : tensor<2xf64>  // NaN
    ```
  }];
  let arguments = (ins TypedAttrInterface:$value);
  let results = (outs Mars_StoredTensor:$result);
  let hasCustomAssemblyFormat = 1;
  let hasFolder = 1;
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Type":$type, "double":$value)>,
  ];
}

class Mars_FilledOp<string mnemonic, string what, string numpyName>
    : Mars_GeneratorOp<mnemonic, [ConstantLike, Pure]> {
  let summary = "A tensor of " # what # " (numpy." # numpyName # ")";
  let description = [{
    Canonicalizes to `mars.full`.

    ```mlir
    %z = mars.}] # mnemonic # [{ : tensor<2x3xf64>
    ```
  }];
  let results = (outs Mars_AnyTensor:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
  let hasFolder = 1;
  let hasCanonicalizeMethod = 1;
}

def Mars_ZerosOp : Mars_FilledOp<"zeros", "zeros", "zeros">;
def Mars_OnesOp : Mars_FilledOp<"ones", "ones", "ones">;

def Mars_ArangeOp : Mars_CreationOp<"arange", [Pure]> {
  let summary = "Evenly spaced values by step (numpy.arange)";
  let description = [{
    Element `i` is `start + i * step`; the length comes from the result type
    (numpy's `ceil((stop - start) / step)` is the frontend's to compute).
    Integer results need integral `start` and `step` and are computed in
    integer arithmetic.

    ```mlir
    %r = mars.arange start = 0.0, step = 0.5 : tensor<10xf64>
    ```
  }];
  let arguments = (ins F64Attr:$start, F64Attr:$step);
  let results = (outs Mars_NumericTensor:$result);
  let assemblyFormat =
      "`start` `=` $start `,` `step` `=` $step attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Mars_LinspaceOp : Mars_CreationOp<"linspace", [Pure]> {
  let summary = "Evenly spaced values over an interval (numpy.linspace)";
  let description = [{
    `n` values (the result length) from `start` to `stop`, including `stop`
    unless `no_endpoint` is given, computed as numpy does in f64 and then
    converted (integer results are floored first, as numpy does).

    ```mlir
    %l = mars.linspace start = 0.0, stop = 1.0 : tensor<5xf64>
    %h = mars.linspace start = 0.0, stop = 1.0 no_endpoint : tensor<4xf32>
    ```
  }];
  let arguments = (ins F64Attr:$start, F64Attr:$stop, UnitAttr:$no_endpoint);
  let results = (outs Mars_NumericTensor:$result);
  let assemblyFormat = [{
    `start` `=` $start `,` `stop` `=` $stop (`no_endpoint` $no_endpoint^)?
    attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

def Mars_EyeOp : Mars_CreationOp<"eye", [Pure,
    DeclareOpInterfaceMethods<Mars_SparseBoundOpInterface, ["getStoredBound"]>]> {
  let summary = "Ones on a diagonal, zeros elsewhere (numpy.eye)";
  let description = [{
    A 2-D tensor with ones where `column - row == k` (default 0). Its
    result may be sparse (`#mars.csr`, numpy's `eye(..., sparse=True)` in
    Mars): each chunk then stores only its ones.

    ```mlir
    %i = mars.eye : tensor<3x3xf64>
    %u = mars.eye k = 1 : tensor<3x4xi32>
    %s = mars.eye : tensor<1000000x1000000xf64, #mars.csr>
    ```
  }];
  let arguments = (ins DefaultValuedAttr<I64Attr, "0">:$k);
  let results = (outs Mars_AnyStorageTensor:$result);
  let assemblyFormat = "(`k` `=` $k^)? attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Mars_RandomUniformOp : Mars_GeneratorOp<"random_uniform", [Pure,
    DeclareOpInterfaceMethods<Mars_SparseBoundOpInterface, ["getStoredBound"]>]> {
  let summary = "Uniform random values in [low, high) (numpy.random.uniform)";
  let description = [{
    Element `i` is drawn from Philox4x32-10 keyed by `seed` with counter `i`
    (see `mars/Numeric/Philox.h`), so any tiling of the tensor reproduces the
    same numbers.

    With `density`, the result is a sparse matrix (`#mars.csr`): each
    element is stored with probability `density`, independently, and holds
    the value the dense op draws at its index. The stored positions come
    from geometric gaps along segments of each row, drawn from Philox
    streams keyed by `seed`, the row and the segment
    (numeric::randomUniformCsr), so any tiling gives the same matrix and a
    chunk costs about its stored elements, not its area.

    ```mlir
    %u = mars.random_uniform seed = 42, low = -1.0, high = 1.0 : tensor<1000x2xf64>
    %s = mars.random_uniform seed = 42, low = 0.0, high = 1.0, density = 0.001 : tensor<10000x10000xf64, #mars.csr>
    ```
  }];
  let arguments = (ins I64Attr:$seed, F64Attr:$low, F64Attr:$high,
                       OptionalAttr<F64Attr>:$density);
  let results = (outs Mars_DenseOrCsr<Mars_FloatTensor>:$result);
  let assemblyFormat = [{
    `seed` `=` $seed `,` `low` `=` $low `,` `high` `=` $high
    (`,` `density` `=` $density^)? attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

def Mars_RandomNormalOp : Mars_GeneratorOp<"random_normal", [Pure,
    DeclareOpInterfaceMethods<Mars_SparseBoundOpInterface, ["getStoredBound"]>]> {
  let summary = "Normal random values (numpy.random.normal)";
  let description = [{
    Element `i` is `loc + scale * z` with `z` from the Box-Muller transform of
    the Philox4x32-10 block `i` keyed by `seed`.

    With `density`, the result is a sparse matrix (`#mars.csr`): each
    element is stored with probability `density`, independently, and holds
    the value the dense op draws at its index. The stored positions come
    from geometric gaps along segments of each row, drawn from Philox
    streams keyed by `seed`, the row and the segment
    (numeric::randomUniformCsr), so any tiling gives the same matrix and a
    chunk costs about its stored elements, not its area.

    ```mlir
    %n = mars.random_normal seed = 7, loc = 0.0, scale = 1.0 : tensor<100xf64>
    ```
  }];
  let arguments = (ins I64Attr:$seed, F64Attr:$loc, F64Attr:$scale,
                       OptionalAttr<F64Attr>:$density);
  let results = (outs Mars_DenseOrCsr<Mars_FloatTensor>:$result);
  let assemblyFormat = [{
    `seed` `=` $seed `,` `loc` `=` $loc `,` `scale` `=` $scale
    (`,` `density` `=` $density^)? attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

def Mars_RandomIntegersOp : Mars_GeneratorOp<"random_integers", [Pure,
    DeclareOpInterfaceMethods<Mars_SparseBoundOpInterface, ["getStoredBound"]>]> {
  let summary = "Uniform random integers in [low, high) (numpy.random.randint)";
  let description = [{
    Element `i` comes from the Philox4x32-10 block `i` keyed by `seed`
    (Lemire's multiply-shift).

    With `density`, the result is a sparse matrix (`#mars.csr`): each
    element is stored with probability `density`, independently, and holds
    the value the dense op draws at its index. The stored positions come
    from geometric gaps along segments of each row, drawn from Philox
    streams keyed by `seed`, the row and the segment
    (numeric::randomUniformCsr), so any tiling gives the same matrix and a
    chunk costs about its stored elements, not its area. (A stored element may
    be zero: it is one of the values drawn.)

    ```mlir
    %r = mars.random_integers seed = 1, low = 0, high = 10 : tensor<5x5xi64>
    ```
  }];
  let arguments = (ins I64Attr:$seed, I64Attr:$low, I64Attr:$high,
                       OptionalAttr<F64Attr>:$density);
  let results = (outs Mars_DenseOrCsr<Mars_IntegerTensor>:$result);
  let assemblyFormat = [{
    `seed` `=` $seed `,` `low` `=` $low `,` `high` `=` $high
    (`,` `density` `=` $density^)? attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// Elementwise ops print `: T` when every operand has type T and the result
// type follows from T (T itself, or T with i1 elements for predicates), and
// `: (T0, T1) -> R` otherwise.
class Mars_ElementwiseBase<string mnemonic, list<Trait> traits = []>
    : Mars_Op<mnemonic, !listconcat([Pure,
          DeclareOpInterfaceMethods<Mars_ChunkOpInterface>,
          Mars_RecomputeOpInterface, Mars_SparseBoundOpInterface], traits)> {
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  // Overridden by predicates, whose results hold i1.
  bit boolResult = 0;
  // Definitions a family adds (its interface methods).
  code familyDefinitions = "";
  let extraClassDeclaration = [{
    static bool hasBoolResult();
  }];
  let extraClassDefinition = [{
    bool $cppClass::hasBoolResult() { return }] # !if(boolResult, "true", "false") # [{; }
    ::mlir::ParseResult $cppClass::parse(::mlir::OpAsmParser &parser,
                                         ::mlir::OperationState &result) {
      return ::mars::detail::parseElementwiseOp(parser, result,
                                                hasBoolResult());
    }
    void $cppClass::print(::mlir::OpAsmPrinter &p) {
      ::mars::detail::printElementwiseOp(p, getOperation(), hasBoolResult());
    }
    ::llvm::LogicalResult $cppClass::verify() {
      return ::mars::detail::verifyElementwiseOp(getOperation(),
                                                 hasBoolResult());
    }
    std::optional<::mars::tiling::Box>
    $cppClass::getOperandRegion(unsigned i, const ::mars::tiling::Box &out) {
      return ::mars::detail::elementwiseOperandRegion(getOperation(), i, out);
    }
    std::optional<::mars::tiling::Shape> $cppClass::deriveResultChunk(
        ::llvm::ArrayRef<::mars::tiling::Layout> operands) {
      return ::mars::detail::elementwiseResultChunk(getOperation(), operands);
    }
    ::llvm::SmallVector<::mars::tiling::Shape> $cppClass::alignOperandChunks(
        const ::mars::tiling::Layout &result,
        ::llvm::ArrayRef<::mars::tiling::Layout> operands) {
      return ::mars::detail::elementwiseOperandChunks(result, operands);
    }
    ::llvm::Expected<::mars::numeric::NDArray> $cppClass::computeBox(
        ::llvm::ArrayRef<::mars::tiling::BoxOperand> operands,
        const ::mars::tiling::Box &out) {
      return ::mars::detail::elementwiseBox(getOperation(), operands, out);
    }
  }] # familyDefinitions;
}

class Mars_UnaryOp<string mnemonic, string fn, Type operandType,
                   string numpyName, string example, bit isBool = 0>
    : Mars_ElementwiseBase<mnemonic,
          [DeclareOpInterfaceMethods<Mars_UnaryOpInterface>]> {
  let summary = "Elementwise numpy." # numpyName;
  let description = [{
    Applies numpy.}] # numpyName # [{ to every element. On a sparse
    matrix (`#mars.csr`) it applies to the stored elements, and the result
    is sparse: valid when it maps zero to zero (checked when run).

    ```mlir
    }] # example # [{

    ```
  }];
  let boolResult = isBool;
  let arguments = (ins Mars_DenseOrCsr<operandType>:$input);
  let results = (outs Mars_DenseOrCsr<Mars_AnyTensor>:$result);
  let familyDefinitions = [{
    ::mars::numeric::UnaryFn $cppClass::getUnaryFn() {
      return ::mars::numeric::UnaryFn::}] # fn # [{;
    }
    ::mlir::OpFoldResult $cppClass::fold(FoldAdaptor adaptor) {
      return ::mars::detail::foldUnaryOp(getOperation(), adaptor.getOperands());
    }
  }];
  let hasFolder = 1;
}

def Mars_NegOp : Mars_UnaryOp<"neg", "Neg", Mars_NumericTensor, "negative",
    "%y = mars.neg %x : tensor<4xf64>">;
def Mars_AbsOp : Mars_UnaryOp<"abs", "Abs", Mars_NumericTensor, "absolute",
    "%y = mars.abs %x : tensor<4xi32>">;
def Mars_SqrtOp : Mars_UnaryOp<"sqrt", "Sqrt", Mars_FloatTensor, "sqrt",
    "%y = mars.sqrt %x : tensor<4xf64>">;
def Mars_SquareOp : Mars_UnaryOp<"square", "Square", Mars_NumericTensor,
    "square", "%y = mars.square %x : tensor<4x2xf64>">;
def Mars_ExpOp : Mars_UnaryOp<"exp", "Exp", Mars_FloatTensor, "exp",
    "%y = mars.exp %x : tensor<4xf32>">;
def Mars_LogOp : Mars_UnaryOp<"log", "Log", Mars_FloatTensor, "log",
    "%y = mars.log %x : tensor<4xf64>">;
def Mars_SinOp : Mars_UnaryOp<"sin", "Sin", Mars_FloatTensor, "sin",
    "%y = mars.sin %x : tensor<4xf64>">;
def Mars_CosOp : Mars_UnaryOp<"cos", "Cos", Mars_FloatTensor, "cos",
    "%y = mars.cos %x : tensor<4xf64>">;
def Mars_TanhOp : Mars_UnaryOp<"tanh", "Tanh", Mars_FloatTensor, "tanh",
    "%y = mars.tanh %x : tensor<4xf64>">;
def Mars_FloorOp : Mars_UnaryOp<"floor", "Floor", Mars_FloatTensor, "floor",
    "%y = mars.floor %x : tensor<4xf64>">;
def Mars_CeilOp : Mars_UnaryOp<"ceil", "Ceil", Mars_FloatTensor, "ceil",
    "%y = mars.ceil %x : tensor<4xf64>">;
def Mars_SignOp : Mars_UnaryOp<"sign", "Sign", Mars_NumericTensor, "sign",
    "%y = mars.sign %x : tensor<4xf64>">;
def Mars_IsNanOp : Mars_UnaryOp<"isnan", "IsNan", Mars_AnyTensor, "isnan",
    "%m = mars.isnan %x : tensor<4xf64>  // tensor<4xi1>", 1>;
def Mars_LogicalNotOp : Mars_UnaryOp<"logical_not", "LogicalNot",
    Mars_AnyTensor, "logical_not", "%m = mars.logical_not %b : tensor<4xi1>", 1>;

// libm's functions (numpy calls the same ones; NaN, infinities and -0.0
// follow C99 Annex F), and the rounding functions.
def Mars_TanOp : Mars_UnaryOp<"tan", "Tan", Mars_FloatTensor, "tan",
    "%y = mars.tan %x : tensor<4xf64>">;
def Mars_ArcsinOp : Mars_UnaryOp<"arcsin", "Arcsin", Mars_FloatTensor, "arcsin",
    "%y = mars.arcsin %x : tensor<4xf32>">;
def Mars_ArccosOp : Mars_UnaryOp<"arccos", "Arccos", Mars_FloatTensor, "arccos",
    "%y = mars.arccos %x : tensor<4xf64>">;
def Mars_ArctanOp : Mars_UnaryOp<"arctan", "Arctan", Mars_FloatTensor, "arctan",
    "%y = mars.arctan %x : tensor<4xf32>">;
def Mars_SinhOp : Mars_UnaryOp<"sinh", "Sinh", Mars_FloatTensor, "sinh",
    "%y = mars.sinh %x : tensor<4xf64>">;
def Mars_CoshOp : Mars_UnaryOp<"cosh", "Cosh", Mars_FloatTensor, "cosh",
    "%y = mars.cosh %x : tensor<4xf32>">;
def Mars_ArcsinhOp : Mars_UnaryOp<"arcsinh", "Arcsinh", Mars_FloatTensor, "arcsinh",
    "%y = mars.arcsinh %x : tensor<4xf64>">;
def Mars_ArccoshOp : Mars_UnaryOp<"arccosh", "Arccosh", Mars_FloatTensor, "arccosh",
    "%y = mars.arccosh %x : tensor<4xf32>">;
def Mars_ArctanhOp : Mars_UnaryOp<"arctanh", "Arctanh", Mars_FloatTensor, "arctanh",
    "%y = mars.arctanh %x : tensor<4xf64>">;
def Mars_Log2Op : Mars_UnaryOp<"log2", "Log2", Mars_FloatTensor, "log2",
    "%y = mars.log2 %x : tensor<4xf32>">;
def Mars_Log10Op : Mars_UnaryOp<"log10", "Log10", Mars_FloatTensor, "log10",
    "%y = mars.log10 %x : tensor<4xf64>">;
def Mars_Log1pOp : Mars_UnaryOp<"log1p", "Log1p", Mars_FloatTensor, "log1p",
    "%y = mars.log1p %x : tensor<4xf32>">;
def Mars_Exp2Op : Mars_UnaryOp<"exp2", "Exp2", Mars_FloatTensor, "exp2",
    "%y = mars.exp2 %x : tensor<4xf64>">;
def Mars_Expm1Op : Mars_UnaryOp<"expm1", "Expm1", Mars_FloatTensor, "expm1",
    "%y = mars.expm1 %x : tensor<4xf32>">;
def Mars_CbrtOp : Mars_UnaryOp<"cbrt", "Cbrt", Mars_FloatTensor, "cbrt",
    "%y = mars.cbrt %x : tensor<4xf64>">;
def Mars_TruncOp : Mars_UnaryOp<"trunc", "Trunc", Mars_FloatTensor, "trunc",
    "%y = mars.trunc %x : tensor<4xf32>">;
def Mars_RintOp : Mars_UnaryOp<"rint", "Rint", Mars_FloatTensor, "rint",
    "%y = mars.rint %x : tensor<4xf64>">;
def Mars_InvertOp : Mars_UnaryOp<"invert", "Invert", Mars_IntegerTensor,
    "invert", "%y = mars.invert %x : tensor<4xi64>  // ~x, bit by bit">;
def Mars_ErfOp : Mars_UnaryOp<"erf", "Erf", Mars_FloatTensor, "scipy.special.erf",
    "%y = mars.erf %x : tensor<4xf64>">;
def Mars_ErfcOp : Mars_UnaryOp<"erfc", "Erfc", Mars_FloatTensor,
    "scipy.special.erfc", "%y = mars.erfc %x : tensor<4xf32>">;
def Mars_GammaOp : Mars_UnaryOp<"gamma", "Gamma", Mars_FloatTensor,
    "scipy.special.gamma", "%y = mars.gamma %x : tensor<4xf64>  // C's tgamma">;
def Mars_LgammaOp : Mars_UnaryOp<"lgamma", "Lgamma", Mars_FloatTensor,
    "scipy.special.gammaln", "%y = mars.lgamma %x : tensor<4xf64>  // log|gamma(x)|">;
def Mars_DegreesOp : Mars_UnaryOp<"degrees", "Degrees", Mars_FloatTensor,
    "degrees", "%y = mars.degrees %x : tensor<4xf64>  // x * (180 / pi)">;
def Mars_RadiansOp : Mars_UnaryOp<"radians", "Radians", Mars_FloatTensor,
    "radians", "%y = mars.radians %x : tensor<4xf32>  // x * (pi / 180)">;
def Mars_IsInfOp : Mars_UnaryOp<"isinf", "IsInf", Mars_AnyTensor, "isinf",
    "%m = mars.isinf %x : tensor<4xf64>  // tensor<4xi1>", 1>;
def Mars_IsFiniteOp : Mars_UnaryOp<"isfinite", "IsFinite", Mars_AnyTensor,
    "isfinite", "%m = mars.isfinite %x : tensor<4xf32>  // tensor<4xi1>", 1>;
def Mars_SignBitOp : Mars_UnaryOp<"signbit", "SignBit", Mars_FloatTensor,
    "signbit", "%m = mars.signbit %x : tensor<4xf64>  // tensor<4xi1>", 1>;

def Mars_CastOp : Mars_ElementwiseBase<"cast",
    [Mars_TakesFloat16, Mars_ElementwiseOpInterface]> {
  let summary = "Element type conversion (numpy.ndarray.astype)";
  let description = [{
    Converts every element as numpy's `astype` does: to bool, nonzero is
    true; float to integer truncates toward zero, and NaN or out-of-range
    values become the integer type's minimum (what numpy yields on x86).

    ```mlir
    %i = mars.cast %x : (tensor<4xf64>) -> tensor<4xi32>
    ```
  }];
  let arguments = (ins Mars_StoredOrCsr:$input);
  let results = (outs Mars_StoredOrCsr:$result);
  let hasFolder = 1;
}

class Mars_BinaryOp<string mnemonic, string fn, Type operandType,
                    string numpyName, string example, bit isBool = 0,
                    list<Trait> traits = []>
    : Mars_ElementwiseBase<mnemonic,
          !listconcat([DeclareOpInterfaceMethods<Mars_BinaryOpInterface>],
                      traits)> {
  let summary = "Broadcasting numpy." # numpyName;
  let description = [{
    numpy.}] # numpyName # [{ with numpy broadcasting. Both operands have the
    same element type (cast first to mix types). A sparse matrix
    (`#mars.csr`) combines with a number (a rank-0 tensor) or a sparse
    matrix of its shape: the function applies to the stored elements (of
    either, the other's value or zero) and the result is sparse, valid when
    zeros give zero (checked when run); with two sparse matrices, zero
    results are not stored, as in scipy. In `mul` and `logical_and`, which
    are zero wherever the matrix is, one sparse matrix also combines with
    dense arrays that broadcast to its shape, read at its stored elements
    only (scipy's multiply).

    ```mlir
    }] # example # [{

    ```
  }];
  let boolResult = isBool;
  let arguments = (ins Mars_DenseOrCsr<operandType>:$lhs,
                       Mars_DenseOrCsr<operandType>:$rhs);
  let results = (outs Mars_DenseOrCsr<Mars_AnyTensor>:$result);
  let familyDefinitions = [{
    ::mars::numeric::BinaryFn $cppClass::getBinaryFn() {
      return ::mars::numeric::BinaryFn::}] # fn # [{;
    }
    ::mlir::OpFoldResult $cppClass::fold(FoldAdaptor adaptor) {
      return ::mars::detail::foldBinaryOp(getOperation(), adaptor.getOperands());
    }
  }];
  let hasFolder = 1;
}

def Mars_AddOp : Mars_BinaryOp<"add", "Add", Mars_NumericTensor, "add",
    "%z = mars.add %x, %y : (tensor<4x3xf64>, tensor<3xf64>) -> tensor<4x3xf64>">;
def Mars_SubOp : Mars_BinaryOp<"sub", "Sub", Mars_NumericTensor, "subtract",
    "%z = mars.sub %x, %y : tensor<4xi64>">;
def Mars_MulOp : Mars_BinaryOp<"mul", "Mul", Mars_NumericTensor, "multiply",
    "%z = mars.mul %x, %y : tensor<4xf32>">;
def Mars_DivOp : Mars_BinaryOp<"div", "Div", Mars_FloatTensor, "true_divide",
    "%z = mars.div %x, %y : tensor<4xf64>">;
def Mars_FloorDivOp : Mars_BinaryOp<"floor_div", "FloorDiv",
    Mars_NumericTensor, "floor_divide", "%z = mars.floor_div %x, %y : tensor<4xi32>">;
def Mars_ModOp : Mars_BinaryOp<"mod", "Mod", Mars_NumericTensor, "remainder",
    "%z = mars.mod %x, %y : tensor<4xf64>">;
def Mars_PowOp : Mars_BinaryOp<"pow", "Pow", Mars_NumericTensor, "power",
    "%z = mars.pow %x, %y : tensor<4xf64>">;
def Mars_Arctan2Op : Mars_BinaryOp<"arctan2", "Arctan2", Mars_FloatTensor,
    "arctan2", "%y = mars.arctan2 %a, %b : tensor<4xf64>  // atan(a / b), by quadrant">;
def Mars_MaximumOp : Mars_BinaryOp<"maximum", "Maximum", Mars_NumericTensor,
    "maximum", "%z = mars.maximum %x, %y : tensor<4xf64>">;
def Mars_MinimumOp : Mars_BinaryOp<"minimum", "Minimum", Mars_NumericTensor,
    "minimum", "%z = mars.minimum %x, %y : tensor<4xf64>">;
def Mars_FmaxOp : Mars_BinaryOp<"fmax", "Fmax", Mars_NumericTensor, "fmax",
    "%z = mars.fmax %x, %y : tensor<4xf64>  // NaN only where both are">;
def Mars_FminOp : Mars_BinaryOp<"fmin", "Fmin", Mars_NumericTensor, "fmin",
    "%z = mars.fmin %x, %y : tensor<4xf32>">;
def Mars_FmodOp : Mars_BinaryOp<"fmod", "Fmod", Mars_NumericTensor, "fmod",
    "%z = mars.fmod %x, %y : tensor<4xi64>  // the dividend's sign">;
def Mars_BitwiseAndOp : Mars_BinaryOp<"bitwise_and", "BitwiseAnd",
    Mars_IntegerTensor, "bitwise_and", "%z = mars.bitwise_and %x, %y : tensor<4xi64>">;
def Mars_BitwiseOrOp : Mars_BinaryOp<"bitwise_or", "BitwiseOr",
    Mars_IntegerTensor, "bitwise_or", "%z = mars.bitwise_or %x, %y : tensor<4xi32>">;
def Mars_BitwiseXorOp : Mars_BinaryOp<"bitwise_xor", "BitwiseXor",
    Mars_IntegerTensor, "bitwise_xor", "%z = mars.bitwise_xor %x, %y : tensor<4xi64>">;
def Mars_LeftShiftOp : Mars_BinaryOp<"left_shift", "LeftShift",
    Mars_IntegerTensor, "left_shift",
    "%z = mars.left_shift %x, %n : tensor<4xi64>  // 0 where n is not in [0, 64)">;
def Mars_RightShiftOp : Mars_BinaryOp<"right_shift", "RightShift",
    Mars_IntegerTensor, "right_shift",
    "%z = mars.right_shift %x, %n : tensor<4xi32>  // arithmetic; -1 or 0 past the width">;
def Mars_GcdOp : Mars_BinaryOp<"gcd", "Gcd", Mars_IntegerTensor, "gcd",
    "%z = mars.gcd %x, %y : tensor<4xi64>  // of the magnitudes; gcd(0, 0) = 0">;
def Mars_LcmOp : Mars_BinaryOp<"lcm", "Lcm", Mars_IntegerTensor, "lcm",
    "%z = mars.lcm %x, %y : tensor<4xi32>  // |x| / gcd * |y|, wrapping">;
def Mars_LdexpOp : Mars_BinaryOp<"ldexp", "Ldexp", Mars_FloatTensor, "ldexp",
    "%z = mars.ldexp %x, %n : tensor<4xf64>  // x * 2**n; n integral, carried as x's type">;
def Mars_HypotOp : Mars_BinaryOp<"hypot", "Hypot", Mars_FloatTensor, "hypot",
    "%z = mars.hypot %x, %y : tensor<4xf64>">;
def Mars_CopysignOp : Mars_BinaryOp<"copysign", "Copysign", Mars_FloatTensor,
    "copysign", "%z = mars.copysign %x, %y : tensor<4xf64>">;
def Mars_NextafterOp : Mars_BinaryOp<"nextafter", "Nextafter",
    Mars_FloatTensor, "nextafter", "%z = mars.nextafter %x, %y : tensor<4xf32>">;
def Mars_LogaddexpOp : Mars_BinaryOp<"logaddexp", "Logaddexp",
    Mars_FloatTensor, "logaddexp",
    "%z = mars.logaddexp %x, %y : tensor<4xf64>  // log(exp(x) + exp(y))">;
def Mars_Logaddexp2Op : Mars_BinaryOp<"logaddexp2", "Logaddexp2",
    Mars_FloatTensor, "logaddexp2",
    "%z = mars.logaddexp2 %x, %y : tensor<4xf64>  // log2(2**x + 2**y)">;
def Mars_HeavisideOp : Mars_BinaryOp<"heaviside", "Heaviside",
    Mars_FloatTensor, "heaviside",
    "%z = mars.heaviside %x, %h0 : tensor<4xf64>  // h0 where x == 0">;
def Mars_EqOp : Mars_BinaryOp<"eq", "Eq", Mars_AnyTensor, "equal",
    "%m = mars.eq %x, %y : tensor<4xi64>", 1>;
def Mars_NeOp : Mars_BinaryOp<"ne", "Ne", Mars_AnyTensor, "not_equal",
    "%m = mars.ne %x, %y : tensor<4xf64>", 1>;
def Mars_LtOp : Mars_BinaryOp<"lt", "Lt", Mars_AnyTensor, "less",
    "%m = mars.lt %x, %y : tensor<4xf64>", 1>;
def Mars_LeOp : Mars_BinaryOp<"le", "Le", Mars_AnyTensor, "less_equal",
    "%m = mars.le %x, %y : tensor<4xf64>", 1>;
def Mars_GtOp : Mars_BinaryOp<"gt", "Gt", Mars_AnyTensor, "greater",
    "%m = mars.gt %x, %y : tensor<4xf64>", 1>;
def Mars_GeOp : Mars_BinaryOp<"ge", "Ge", Mars_AnyTensor, "greater_equal",
    "%m = mars.ge %x, %y : tensor<4xf64>", 1>;
def Mars_LogicalAndOp : Mars_BinaryOp<"logical_and", "LogicalAnd",
    Mars_AnyTensor, "logical_and", "%m = mars.logical_and %a, %b : tensor<4xi1>", 1>;
def Mars_LogicalOrOp : Mars_BinaryOp<"logical_or", "LogicalOr",
    Mars_AnyTensor, "logical_or", "%m = mars.logical_or %a, %b : tensor<4xi1>", 1>;
def Mars_LogicalXorOp : Mars_BinaryOp<"logical_xor", "LogicalXor",
    Mars_AnyTensor, "logical_xor", "%m = mars.logical_xor %a, %b : tensor<4xi1>", 1>;

def Mars_WhereOp : Mars_ElementwiseBase<"where",
    [Mars_ElementwiseOpInterface]> {
  let summary = "Select by a condition (numpy.where)";
  let description = [{
    `cond ? x : y` elementwise, the three operands broadcast together.

    ```mlir
    %z = mars.where %c, %x, %y
        : (tensor<4x1xi1>, tensor<4x3xf64>, tensor<3xf64>) -> tensor<4x3xf64>
    ```
  }];
  let arguments = (ins Mars_BoolTensor:$cond, Mars_AnyTensor:$x,
                       Mars_AnyTensor:$y);
  let results = (outs Mars_AnyTensor:$result);
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Mars_ReductionOp<string mnemonic, string fn, Type inputType,
                       string numpyName, string resultRule,
                       dag extraArgs = (ins), string extraFormat = "">
    : Mars_Op<mnemonic, [Pure, Mars_TakesSparse,
          DeclareOpInterfaceMethods<Mars_ReductionOpInterface>,
          DeclareOpInterfaceMethods<Mars_ChunkOpInterface>,
          DeclareOpInterfaceMethods<Mars_ContractionOpInterface>]> {
  let summary = "numpy." # numpyName # " over a set of axes";
  let description = [{
    Reduces `input` over `axes` (all axes when absent; negative axes count
    from the end) as numpy.}] # numpyName # [{ does; `keepdims` keeps
    the reduced axes as size-1 dimensions. }] # resultRule # [{

    A sparse matrix (`#mars.csr`) is reduced by `min`, `max`, `prod`, `any`
    and `all` (numeric::reducesCsr) as its dense form is, bit for bit,
    reading its stored elements and one of its zeros per lane (the others
    cannot change the result); the result is dense.

    ```mlir
    %s = mars.}] # mnemonic # [{ %x axes = [1] : tensor<4x5xf64> -> tensor<4xf64>
    ```
  }];
  let arguments = !con((ins Mars_DenseOrCsr<inputType>:$input,
                            OptionalAttr<DenseI64ArrayAttr>:$axes,
                            UnitAttr:$keepdims), extraArgs);
  let results = (outs Mars_AnyTensor:$result);
  let assemblyFormat = "$input (`axes` `=` $axes^)? (`keepdims` $keepdims^)? "
      # extraFormat # " attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::mars::numeric::ReduceFn $cppClass::getReduceFn() {
      return ::mars::numeric::ReduceFn::}] # fn # [{;
    }
    ::llvm::SmallVector<int64_t> $cppClass::getReducedAxes() {
      return ::mars::detail::normalizedAxes(getAxes(),
          ::llvm::cast<::mlir::RankedTensorType>(getInput().getType()).getRank());
    }
    ::llvm::LogicalResult $cppClass::verify() {
      return ::mars::detail::verifyReductionOp(getOperation());
    }
    std::optional<::mars::tiling::Box>
    $cppClass::getOperandRegion(unsigned i, const ::mars::tiling::Box &out) {
      return ::mars::detail::reductionOperandRegion(getOperation(), out);
    }
    std::optional<::mars::tiling::Shape> $cppClass::deriveResultChunk(
        ::llvm::ArrayRef<::mars::tiling::Layout> operands) {
      return ::mars::detail::reductionResultChunk(getOperation(), operands);
    }
    ::llvm::SmallVector<::mars::tiling::Shape> $cppClass::alignOperandChunks(
        const ::mars::tiling::Layout &,
        ::llvm::ArrayRef<::mars::tiling::Layout> operands) {
      return {operands[0].chunk()};
    }
    ::llvm::Expected<::mars::numeric::NDArray> $cppClass::computeBox(
        ::llvm::ArrayRef<::mars::tiling::BoxOperand> operands,
        const ::mars::tiling::Box &out) {
      return ::mars::detail::reductionBox(getOperation(), operands, out);
    }
    ::mars::tiling::ContractionMap $cppClass::getContractionMap() {
      return ::mars::detail::reductionContractionMap(getOperation());
    }
  }] # !if(!empty(extraFormat), [{
    int64_t $cppClass::getDeltaDof() { return 0; }
  }], [{
    int64_t $cppClass::getDeltaDof() { return getDdof(); }
  }]);
}

def Mars_SumOp : Mars_ReductionOp<"sum", "Sum", Mars_AnyTensor, "sum",
    "The result has numpy's default sum dtype: i64 for i1/i32/i64 inputs, the "
    "input's type for floats. Empty reductions give 0.">;
def Mars_ProdOp : Mars_ReductionOp<"prod", "Prod", Mars_AnyTensor, "prod",
    "The result dtype follows sum's rule. Empty reductions give 1.">;
def Mars_MinOp : Mars_ReductionOp<"min", "Min", Mars_AnyTensor, "min",
    "The result has the input's type; NaN propagates; reducing an empty axis "
    "is an error at run time.">;
def Mars_MaxOp : Mars_ReductionOp<"max", "Max", Mars_AnyTensor, "max",
    "The result has the input's type; NaN propagates; reducing an empty axis "
    "is an error at run time.">;
def Mars_MeanOp : Mars_ReductionOp<"mean", "Mean", Mars_AnyTensor, "mean",
    "The result is f64 for integer and bool inputs, the input's type for "
    "floats.">;
def Mars_VarOp : Mars_ReductionOp<"var", "Var", Mars_AnyTensor, "var",
    "Two-pass (mean, then mean squared deviation) divided by "
    "max(n - ddof, 0); result dtype as for mean.",
    (ins DefaultValuedAttr<I64Attr, "0">:$ddof), "(`ddof` `=` $ddof^)?">;
def Mars_StdOp : Mars_ReductionOp<"std", "Std", Mars_AnyTensor, "std",
    "The square root of var with the same ddof; result dtype as for mean.",
    (ins DefaultValuedAttr<I64Attr, "0">:$ddof), "(`ddof` `=` $ddof^)?">;
def Mars_AnyOp : Mars_ReductionOp<"any", "Any", Mars_AnyTensor, "any",
    "The result is i1.">;
def Mars_AllOp : Mars_ReductionOp<"all", "All", Mars_AnyTensor, "all",
    "The result is i1.">;
def Mars_CountNonzeroOp : Mars_ReductionOp<"count_nonzero", "CountNonzero",
    Mars_AnyTensor, "count_nonzero", "The result is i64.">;
def Mars_NanSumOp : Mars_ReductionOp<"nansum", "NanSum", Mars_AnyTensor,
    "nansum", "NaN elements count as zero (an all-NaN or empty reduction "
    "is 0); the result dtype is sum's.">;

//===----------------------------------------------------------------------===//
// Scans (lib/Numeric/Scan.cpp; chunk rules in ChunkRules/Scan.cpp)
//===----------------------------------------------------------------------===//

class Mars_ScanOp<string mnemonic, string fn, string rule>
    : Mars_Op<mnemonic, [Pure,
          DeclareOpInterfaceMethods<Mars_ScanOpInterface>,
          DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "numpy." # mnemonic # " along an axis";
  let description = [{
    The cumulative }] # rule # [{ of `input` along `axis` (negative axes
    count from the end), in numpy's order: element i combines the result's
    element i - 1 with the input's element i. The result has the input's
    shape and numpy's accumulation dtype: i64 for i1 and i32 inputs, the
    input's type otherwise. Integers wrap on overflow. numpy's `axis=None`
    is a scan of the flattened input.

    ```mlir
    %c = mars.}] # mnemonic # [{ %x axis = 1 : tensor<4x5xf64> -> tensor<4x5xf64>
    ```
  }];
  let arguments = (ins Mars_AnyTensor:$input, I64Attr:$axis);
  let results = (outs Mars_AnyTensor:$result);
  let assemblyFormat =
      "$input `axis` `=` $axis attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::mars::numeric::ScanFn $cppClass::getScanFn() {
      return ::mars::numeric::ScanFn::}] # fn # [{;
    }
    int64_t $cppClass::getScanAxis() {
      return ::mars::detail::normalizedAxis(getAxis(),
          ::llvm::cast<::mlir::RankedTensorType>(getInput().getType()).getRank());
    }
    ::llvm::LogicalResult $cppClass::verify() {
      return ::mars::detail::verifyScanOp(getOperation());
    }
    std::optional<::mars::tiling::Box>
    $cppClass::getOperandRegion(unsigned, const ::mars::tiling::Box &out) {
      return ::mars::detail::scanOperandRegion(getOperation(), out);
    }
    std::optional<::mars::tiling::Shape> $cppClass::deriveResultChunk(
        ::llvm::ArrayRef<::mars::tiling::Layout> operands) {
      return operands[0].chunk();
    }
    ::llvm::SmallVector<::mars::tiling::Shape> $cppClass::alignOperandChunks(
        const ::mars::tiling::Layout &result,
        ::llvm::ArrayRef<::mars::tiling::Layout>) {
      return {result.chunk()};
    }
    ::llvm::Expected<::mars::numeric::NDArray> $cppClass::computeBox(
        ::llvm::ArrayRef<::mars::tiling::BoxOperand> operands,
        const ::mars::tiling::Box &out) {
      return ::mars::detail::scanBox(getOperation(), operands, out);
    }
  }];
}

def Mars_CumsumOp : Mars_ScanOp<"cumsum", "Cumsum", "sum">;
def Mars_CumprodOp : Mars_ScanOp<"cumprod", "Cumprod", "product">;
def Mars_NanCumsumOp : Mars_ScanOp<"nancumsum", "NanCumsum",
    "sum, NaN read as 0,">;
def Mars_NanCumprodOp : Mars_ScanOp<"nancumprod", "NanCumprod",
    "product, NaN read as 1,">;

class Mars_ArgReductionOp<string mnemonic, string fn, string numpyName>
    : Mars_Op<mnemonic, [Pure, Mars_TakesSparse,
          DeclareOpInterfaceMethods<Mars_ReductionOpInterface>,
          DeclareOpInterfaceMethods<Mars_ChunkOpInterface>,
          DeclareOpInterfaceMethods<Mars_ContractionOpInterface>]> {
  let summary = "numpy." # numpyName;
  let description = [{
    The index (i64) of the first }] # !if(!eq(fn, "ArgMin"), "smallest", "largest") # [{
    element along `axis`, or in the flattened input when `axis` is absent;
    the first NaN wins, as in numpy. An empty reduction is an error at run
    time. A sparse matrix (`#mars.csr`) gives its dense form's index (a
    zero it does not store counts at its position).

    ```mlir
    %i = mars.}] # mnemonic # [{ %x axis = 0 : tensor<4x5xf64> -> tensor<5xi64>
    ```
  }];
  let arguments = (ins Mars_DenseOrCsr<Mars_AnyTensor>:$input,
                       OptionalAttr<I64Attr>:$axis, UnitAttr:$keepdims);
  let results = (outs Mars_IndexTensor:$result);
  let assemblyFormat = "$input (`axis` `=` $axis^)? (`keepdims` $keepdims^)? "
      "attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::mars::numeric::ReduceFn $cppClass::getReduceFn() {
      return ::mars::numeric::ReduceFn::}] # fn # [{;
    }
    ::llvm::SmallVector<int64_t> $cppClass::getReducedAxes() {
      int64_t rank =
          ::llvm::cast<::mlir::RankedTensorType>(getInput().getType()).getRank();
      if (!getAxis() || rank == 0)
        return {};
      return {::mars::detail::normalizedAxis(*getAxis(), rank)};
    }
    int64_t $cppClass::getDeltaDof() { return 0; }
    ::llvm::LogicalResult $cppClass::verify() {
      return ::mars::detail::verifyReductionOp(getOperation());
    }
    std::optional<::mars::tiling::Box>
    $cppClass::getOperandRegion(unsigned i, const ::mars::tiling::Box &out) {
      return ::mars::detail::reductionOperandRegion(getOperation(), out);
    }
    std::optional<::mars::tiling::Shape> $cppClass::deriveResultChunk(
        ::llvm::ArrayRef<::mars::tiling::Layout> operands) {
      return ::mars::detail::reductionResultChunk(getOperation(), operands);
    }
    ::llvm::SmallVector<::mars::tiling::Shape> $cppClass::alignOperandChunks(
        const ::mars::tiling::Layout &,
        ::llvm::ArrayRef<::mars::tiling::Layout> operands) {
      return {operands[0].chunk()};
    }
    ::llvm::Expected<::mars::numeric::NDArray> $cppClass::computeBox(
        ::llvm::ArrayRef<::mars::tiling::BoxOperand> operands,
        const ::mars::tiling::Box &out) {
      return ::mars::detail::reductionBox(getOperation(), operands, out);
    }
    ::mars::tiling::ContractionMap $cppClass::getContractionMap() {
      return ::mars::detail::reductionContractionMap(getOperation());
    }
  }];
}

def Mars_ArgMinOp : Mars_ArgReductionOp<"argmin", "ArgMin", "argmin">;
def Mars_ArgMaxOp : Mars_ArgReductionOp<"argmax", "ArgMax", "argmax">;

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

// Chunk rules in ChunkRules/Shape.cpp.
class Mars_ShapeOp<string mnemonic, list<Trait> traits = [],
                  list<string> chunkMethods = []>
    : Mars_Op<mnemonic, !listconcat([Pure,
          DeclareOpInterfaceMethods<Mars_ChunkOpInterface, chunkMethods>,
          Mars_RecomputeOpInterface], traits)> {
  let results = (outs Mars_MovedTensor:$result);
  let hasVerifier = 1;
}

def Mars_TransposeOp : Mars_ShapeOp<"transpose", [Mars_TakesFloat16, Mars_TakesComplex, Mars_TakesSparse,
    DeclareOpInterfaceMethods<Mars_SparseBoundOpInterface, ["getStoredBound"]>]> {
  let summary = "Permute axes (numpy.transpose)";
  let description = [{
    Result axis `i` is input axis `perm[i]`. The transpose of a sparse
    matrix (`#mars.csr`) is a sparse matrix.

    ```mlir
    %t = mars.transpose %a perm = [1, 0] : tensor<2x3xf64> -> tensor<3x2xf64>
    %s = mars.transpose %m perm = [1, 0] : tensor<2x3xf64, #mars.csr> -> tensor<3x2xf64, #mars.csr>
    ```
  }];
  let arguments = (ins Mars_MovedOrCsr:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Mars_MovedOrCsr:$result);
  let assemblyFormat =
      "$input `perm` `=` $perm attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def Mars_ReshapeOp : Mars_ShapeOp<"reshape", [Mars_TakesFloat16, Mars_TakesComplex]> {
  let summary = "Give a new shape, same elements in C order (numpy.reshape)";
  let description = [{
    ```mlir
    %r = mars.reshape %a : tensor<6xf64> -> tensor<2x3xf64>
    ```
  }];
  let arguments = (ins Mars_MovedTensor:$input);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def Mars_BroadcastToOp : Mars_ShapeOp<"broadcast_to", [Mars_TakesFloat16, Mars_TakesComplex]> {
  let summary = "Broadcast to a shape (numpy.broadcast_to)";
  let description = [{
    ```mlir
    %b = mars.broadcast_to %a : tensor<3xf64> -> tensor<4x3xf64>
    ```
  }];
  let arguments = (ins Mars_MovedTensor:$input);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def Mars_ExpandDimsOp : Mars_ShapeOp<"expand_dims", [Mars_TakesFloat16, Mars_TakesComplex]> {
  let summary = "Insert size-1 axes (numpy.expand_dims)";
  let description = [{
    `axes` are positions in the result (negative counts from its end).

    ```mlir
    %e = mars.expand_dims %a axes = [0, -1] : tensor<3xf64> -> tensor<1x3x1xf64>
    ```
  }];
  let arguments = (ins Mars_MovedTensor:$input, DenseI64ArrayAttr:$axes);
  let assemblyFormat =
      "$input `axes` `=` $axes attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def Mars_SqueezeOp : Mars_ShapeOp<"squeeze", [Mars_TakesFloat16, Mars_TakesComplex]> {
  let summary = "Remove size-1 axes (numpy.squeeze)";
  let description = [{
    Removes the listed axes, which must have size 1, or every size-1 axis
    when `axes` is absent.

    ```mlir
    %s = mars.squeeze %a axes = [0] : tensor<1x3x1xf64> -> tensor<3x1xf64>
    ```
  }];
  let arguments = (ins Mars_MovedTensor:$input,
                       OptionalAttr<DenseI64ArrayAttr>:$axes);
  let assemblyFormat = "$input (`axes` `=` $axes^)? attr-dict `:` "
                       "type($input) `->` type($result)";
  let hasFolder = 1;
}

def Mars_FlipOp : Mars_ShapeOp<"flip", [Mars_TakesFloat16, Mars_TakesComplex]> {
  let summary = "Reverse the order of elements along axes (numpy.flip)";
  let description = [{
    Reverses the listed axes (negative axes count from the end; numpy's
    `axis=None`, every axis, is the list of all of them).

    ```mlir
    %f = mars.flip %a axes = [0] : tensor<3x4xf64> -> tensor<3x4xf64>
    ```
  }];
  let arguments = (ins Mars_MovedTensor:$input, DenseI64ArrayAttr:$axes);
  let assemblyFormat =
      "$input `axes` `=` $axes attr-dict `:` type($input) `->` type($result)";
  let extraClassDeclaration = [{
    /// The flipped axes, normalised to [0, rank).
    ::llvm::SmallVector<int64_t> getFlippedAxes();
  }];
}

def Mars_BandOp : Mars_ShapeOp<"band", [Mars_TakesFloat16, Mars_TakesComplex, Mars_TakesSparse,
    DeclareOpInterfaceMethods<Mars_SparseBoundOpInterface, ["getStoredBound"]>]> {
  let summary = "Keep the diagonals lower..upper of the last two axes (numpy.tril, numpy.triu)";
  let description = [{
    Element `[..., i, j]` is the input's where `lower <= j - i <= upper`,
    and zero elsewhere: numpy's `tril(m, k)` is `lower` = 1 - rows,
    `upper = k`; `triu(m, k)` is `lower = k`, `upper` = columns - 1. On a
    sparse matrix (`#mars.csr`, scipy.sparse's `tril`/`triu`) the result is
    sparse and stores the input's stored elements inside the band
    (explicit zeros included, as scipy's); the work is that of the stored
    elements, and a sparse chunk reserves memory for at most the band's
    positions in it (a few diagonals of a huge matrix cost a few
    diagonals). An empty band (`lower > upper`) gives zeros.

    ```mlir
    %l = mars.band %a lower = -3, upper = 0 : tensor<4x5xf64> -> tensor<4x5xf64>
    %s = mars.band %m lower = 1, upper = 99 : tensor<50x100xf64, #mars.csr> -> tensor<50x100xf64, #mars.csr>
    ```
  }];
  let arguments = (ins Mars_MovedOrCsr:$input, I64Attr:$lower, I64Attr:$upper);
  let results = (outs Mars_MovedOrCsr:$result);
  let assemblyFormat = [{
    $input `lower` `=` $lower `,` `upper` `=` $upper attr-dict `:`
    type($input) `->` type($result)
  }];
}

def Mars_SliceOp : Mars_ShapeOp<"slice", [Mars_TakesFloat16, Mars_TakesComplex, Mars_TakesSparse,
    DeclareOpInterfaceMethods<Mars_SparseBoundOpInterface, ["getStoredBound"]>],
    ["getCopiedOperand"]> {
  let summary = "Basic slicing a[start:stop:step, ...] (numpy indexing)";
  let description = [{
    One `start:stop:step` per dimension with Python's rules: start and stop
    may be omitted or negative (counting from the end) and are clamped to
    the dimension; step is nonzero and may be negative. Dimensions beyond
    the list are taken whole. A slice of a sparse matrix (`#mars.csr`) is
    a sparse matrix.

    ```mlir
    %s = mars.slice %a [1:-1, ::-2] : tensor<5x6xf64> -> tensor<3x3xf64>
    ```
  }];
  let arguments = (ins Mars_MovedOrCsr:$input,
                       DenseI64ArrayAttr:$starts, DenseI64ArrayAttr:$stops,
                       DenseI64ArrayAttr:$steps);
  let results = (outs Mars_MovedOrCsr:$result);
  let assemblyFormat = [{
    $input `[` custom<SliceSpec>($starts, $stops, $steps) `]` attr-dict `:`
    type($input) `->` type($result)
  }];
  let extraClassDeclaration = [{
    /// Marks an omitted start or stop in `starts`/`stops`.
    static constexpr int64_t kOmitted = INT64_MIN;
    /// numpy's normalised (start, step, count) for every input dimension.
    ::llvm::SmallVector<::mars::numeric::SliceDim> getSliceDims();
  }];
}

// Not on Mars_ShapeOp: it answers getOperandRegions itself.
def Mars_ConcatenateOp : Mars_Op<"concatenate", [Mars_TakesFloat16, Mars_TakesComplex, Pure, Mars_TakesSparse,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface,
                              ["getOperandRegions", "getCopiedOperand"]>,
    Mars_RecomputeOpInterface,
    DeclareOpInterfaceMethods<Mars_SparseBoundOpInterface, ["getStoredBound"]>]> {
  let summary = "Join along an existing axis (numpy.concatenate)";
  let description = [{
    ```mlir
    %c = mars.concatenate %a, %b axis = 0
        : tensor<2x3xf64>, tensor<4x3xf64> -> tensor<6x3xf64>
    ```

    Sparse matrices (`#mars.csr`) join into a sparse matrix (every input
    and the result sparse, as scipy's `vstack` and `hstack`).
  }];
  let arguments = (ins Variadic<Mars_MovedOrCsr>:$inputs, I64Attr:$axis);
  let results = (outs Mars_MovedOrCsr:$result);
  let hasVerifier = 1;
  let assemblyFormat = "$inputs `axis` `=` $axis attr-dict `:` type($inputs) "
                       "`->` type($result)";
}

def Mars_StackOp : Mars_ShapeOp<"stack", [Mars_TakesFloat16, Mars_TakesComplex]> {
  let summary = "Join along a new axis (numpy.stack)";
  let description = [{
    ```mlir
    %s = mars.stack %a, %b axis = 1 : tensor<3xf64>, tensor<3xf64> -> tensor<3x2xf64>
    ```
  }];
  let arguments = (ins Variadic<Mars_MovedTensor>:$inputs, I64Attr:$axis);
  let assemblyFormat = "$inputs `axis` `=` $axis attr-dict `:` type($inputs) "
                       "`->` type($result)";
}

//===----------------------------------------------------------------------===//
// Complex numbers (kernels in lib/Numeric/Kernels.cpp; chunk rules in
// ChunkRules/Complex.cpp). Complex tensors are stored only: the front ends
// compute with their parts (docs/Complex.md).
//===----------------------------------------------------------------------===//

class Mars_ComplexPartOp<string mnemonic, string numpyName, string part>
    : Mars_Op<mnemonic, [Pure, Mars_TakesComplex,
          DeclareOpInterfaceMethods<Mars_ChunkOpInterface>,
          Mars_RecomputeOpInterface]> {
  let summary = "The " # part # " parts of complex numbers (numpy." # numpyName # ")";
  let description = [{
    Element `i` of the result is the }] # part # [{ part of element `i` of
    the input: float32 for complex64, float64 for complex128, in the
    input's shape.

    ```mlir
    %p = mars.}] # mnemonic # [{ %z : tensor<4xcomplex<f64>> -> tensor<4xf64>
    ```
  }];
  let arguments = (ins Mars_ComplexTensor:$input);
  let results = (outs Mars_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mars_RealOp : Mars_ComplexPartOp<"real", "real", "real">;
def Mars_ImagOp : Mars_ComplexPartOp<"imag", "imag", "imaginary">;

def Mars_ComplexOp : Mars_Op<"complex", [Pure, Mars_TakesComplex,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>, Mars_RecomputeOpInterface,
    AllTypesMatch<["real", "imag"]>]> {
  let summary = "Complex numbers from their real and imaginary parts (real + 1j * imag)";
  let description = [{
    Element `i` of the result is `real[i] + imag[i] * 1j`, both parts kept
    bit for bit (signed zeros, infinities and NaNs included, which numpy's
    `real + 1j * imag` would not keep). The parts have the result's shape
    (the front ends broadcast them first) and are float32 for complex64,
    float64 for complex128.

    ```mlir
    %z = mars.complex %re, %im : tensor<4xf64> -> tensor<4xcomplex<f64>>
    ```
  }];
  let arguments = (ins Mars_FloatTensor:$real, Mars_FloatTensor:$imag);
  let results = (outs Mars_ComplexTensor:$result);
  let assemblyFormat =
      "$real `,` $imag attr-dict `:` type($real) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Sorting and selection (lib/Numeric/Sort.cpp; chunk rules in
// ChunkRules/Sort.cpp)
//===----------------------------------------------------------------------===//

// A chunk of a sorting op's result reads its lanes of the operand whole
// along the axis (any chunk of a lane may hold its elements) and sorts only
// its own part of them.
class Mars_SortingOp<string mnemonic, string brief, string what,
                     string resultType>
    : Mars_Op<mnemonic, [Pure,
          DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = brief # " (numpy." # mnemonic # ")";
  let description = [{
    }] # what # [{ along `axis` (negative axes count from the end), in
    numpy's order: NaN after every number, false before true. The result
    has the input's shape and }] # resultType # [{. numpy's `axis=None`
    sorts the flattened input.

    ```mlir
    %s = mars.}] # mnemonic # [{ %x axis = -1 : tensor<4x5xf64> -> tensor<4x5x}] #
    !if(!eq(mnemonic, "sort"), "f64", "i64") # [{>
    ```
  }];
  let arguments = (ins Mars_AnyTensor:$input, I64Attr:$axis);
  let results = (outs Mars_AnyTensor:$result);
  let assemblyFormat =
      "$input `axis` `=` $axis attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The sorted axis, normalised to [0, rank).
    int64_t getSortAxis() {
      return ::mars::detail::normalizedAxis(getAxis(),
          ::llvm::cast<::mlir::RankedTensorType>(getInput().getType()).getRank());
    }
    /// Whether the result is the positions (argsort) or the values (sort).
    static constexpr bool kIndices = }] # !if(!eq(mnemonic, "sort"), "false", "true") # [{;
  }];
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return ::mars::detail::verifySortingOp(getOperation(), kIndices);
    }
    std::optional<::mars::tiling::Box>
    $cppClass::getOperandRegion(unsigned, const ::mars::tiling::Box &out) {
      return ::mars::detail::sortingOperandRegion(getOperation(), out);
    }
    std::optional<::mars::tiling::Shape> $cppClass::deriveResultChunk(
        ::llvm::ArrayRef<::mars::tiling::Layout> operands) {
      return ::mars::detail::sortingResultChunk(getOperation(), operands);
    }
    ::llvm::SmallVector<::mars::tiling::Shape> $cppClass::alignOperandChunks(
        const ::mars::tiling::Layout &,
        ::llvm::ArrayRef<::mars::tiling::Layout> operands) {
      return {operands[0].chunk()};
    }
    ::llvm::Expected<::mars::numeric::NDArray> $cppClass::computeBox(
        ::llvm::ArrayRef<::mars::tiling::BoxOperand> operands,
        const ::mars::tiling::Box &out) {
      return ::mars::detail::sortingBox(getOperation(), operands, out,
                                        kIndices);
    }
  }];
}

def Mars_SortOp : Mars_SortingOp<"sort", "Sort along an axis",
    "The elements sorted",
    "its element type (signed zeros sort -0.0 first)">;
def Mars_ArgsortOp : Mars_SortingOp<"argsort",
    "Positions that sort along an axis", "The positions that sort the elements, ties in their order (numpy's "
    "stable argsort),", "type i64">;

// A sort of long lanes in two steps: runs of `run` elements sorted on their
// own (chunks along the axis in parallel), then merged: a chunk of the
// result finds its part of each run by binary searches and merges only
// those, so no chunk sorts more than its own elements.
def Mars_SortRunsOp : Mars_Op<"sort_runs", [Pure,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "Sort each run of elements along an axis";
  let description = [{
    Every run of `run` consecutive elements along `axis` (the last may be
    shorter) sorted on its own, in `mars.sort`'s order. With `mars.merge_runs`
    of the same `run`, it is `mars.sort`: the front ends sort long lanes so.

    ```mlir
    %r = mars.sort_runs %x axis = 0 run = 4 : tensor<10xf64> -> tensor<10xf64>
    ```
  }];
  let arguments = (ins Mars_AnyTensor:$input, I64Attr:$axis, I64Attr:$run);
  let results = (outs Mars_AnyTensor:$result);
  let assemblyFormat = [{
    $input `axis` `=` $axis `run` `=` $run attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getSortAxis() {
      return ::mars::detail::normalizedAxis(getAxis(),
          getInput().getType().getRank());
    }
  }];
}

def Mars_SortedAtOp : Mars_Op<"sorted_at", [Pure,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "Elements at given positions of the sorted lanes";
  let description = [{
    `mars.sort` along `axis` taken at the positions `kth` (negative ones
    count from the end; any order, repeats allowed), computed by selection
    instead of a sort: O(n) per lane (numpy's partition). The result has
    the input's shape with `axis` replaced by the number of positions.
    Order statistics (median, percentiles) read the positions they need so.
    With `indices`, the result is `mars.argsort`'s (the stable order's
    positions, i64) at `kth` instead: a selection bounds each run of
    consecutive positions and only the run is sorted, O(n + k log k) per
    lane for k of them (`argtopk`).

    ```mlir
    %m = mars.sorted_at %x axis = 0 kth = [2, -1] : tensor<5x3xf64> -> tensor<2x3xf64>
    %i = mars.sorted_at %x axis = 0 kth = [4, 3] indices : tensor<5x3xf64> -> tensor<2x3xi64>
    ```
  }];
  let arguments = (ins Mars_AnyTensor:$input, I64Attr:$axis,
                       DenseI64ArrayAttr:$kth, UnitAttr:$indices);
  let results = (outs Mars_AnyTensor:$result);
  let assemblyFormat = [{
    $input `axis` `=` $axis `kth` `=` $kth (`indices` $indices^)? attr-dict
    `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getSortAxis() {
      return ::mars::detail::normalizedAxis(getAxis(),
          getInput().getType().getRank());
    }
  }];
}

// Radix selection: mars.sorted_at of a lane longer than a chunk, as the
// front ends compose it (api::sortedAt): each pass counts one 16-bit digit
// of the elements' sort keys (radix_histogram, a row per part of the lane,
// summed along the rows), and radix_pick fixes that digit of each
// position's key; after the key's last digit radix_value gives the
// elements. A pass reads the lane's chunks one by one, so an order
// statistic of a lane larger than memory needs no more than a chunk of it
// at a time, and the parts count in parallel.
def Mars_RadixHistogramOp : Mars_Op<"radix_histogram", [Pure,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "Counts of one 16-bit digit of sort keys, per part of a lane";
  let description = [{
    The elements of the 1-D `input` read as sort keys: unsigned integers of
    the element's width (8, 16, 32 or 64 bits) ordered as `mars.sort`
    orders the elements (NaN last, -0.0 before 0.0, false before true).
    `state` holds two i64 per selected position j: the key bits chosen so
    far (those from `shift` + 16 up, zero below) and j's rank among the
    elements whose keys start with them. Row r of the result counts, for
    each j, the elements of `input[r * rows : (r + 1) * rows]` whose keys
    start with j's bits, by their digit at `shift` (bits `shift` to
    `shift` + 15): column j * 65536 + digit. A result row reads only its
    part of the input; the rows sum to the lane's counts.

    ```mlir
    %h = mars.radix_histogram %x, %s rows = 4 shift = 48 : tensor<10xf64>, tensor<2xi64> -> tensor<3x65536xi64>
    ```
  }];
  let arguments = (ins Mars_AnyTensor:$input, Mars_IndexTensor:$state,
                       I64Attr:$rows, I64Attr:$shift);
  let results = (outs Mars_IndexTensor:$result);
  let assemblyFormat = [{
    $input `,` $state `rows` `=` $rows `shift` `=` $shift attr-dict `:`
    type($input) `,` type($state) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Mars_RadixPickOp : Mars_Op<"radix_pick", [Pure,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "The digit each selected position's rank falls in";
  let description = [{
    One step of a radix selection: `counts` are a lane's counts of the
    digit at `shift` (`mars.radix_histogram`'s rows summed, 65536 per
    position) and `state` the positions' key bits and ranks. The result is
    the next state: position j's key gains the digit in which its rank
    falls (the first whose running count exceeds the rank), and its rank
    loses the counts of the smaller digits.

    ```mlir
    %t = mars.radix_pick %c, %s shift = 48 : tensor<65536xi64>, tensor<2xi64> -> tensor<2xi64>
    ```
  }];
  let arguments = (ins Mars_IndexTensor:$counts, Mars_IndexTensor:$state,
                       I64Attr:$shift);
  let results = (outs Mars_IndexTensor:$result);
  let assemblyFormat = [{
    $counts `,` $state `shift` `=` $shift attr-dict `:` type($counts) `,`
    type($state) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Mars_RadixValueOp : Mars_Op<"radix_value", [Pure,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "The elements whose sort keys a radix selection found";
  let description = [{
    The end of a radix selection: `state`'s complete keys (every digit
    picked) as elements of the result's type, one per selected position:
    `mars.sorted_at`'s values (a NaN position gives the quiet NaN).

    ```mlir
    %v = mars.radix_value %s : tensor<2xi64> -> tensor<1xf64>
    ```
  }];
  let arguments = (ins Mars_IndexTensor:$state);
  let results = (outs Mars_AnyTensor:$result);
  let assemblyFormat = [{
    $state attr-dict `:` type($state) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Mars_MergeRunsOp : Mars_Op<"merge_runs", [Pure,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "Merge sorted runs along an axis into one sort";
  let description = [{
    `input`'s runs of `run` elements along `axis` are each sorted in
    `mars.sort`'s order (as `mars.sort_runs` leaves them); the result is the
    sort of each lane. A result region reads its lanes whole and merges the
    parts of the runs that sort into it.

    ```mlir
    %s = mars.merge_runs %r axis = 0 run = 4 : tensor<10xf64> -> tensor<10xf64>
    ```
  }];
  let arguments = (ins Mars_AnyTensor:$input, I64Attr:$axis, I64Attr:$run);
  let results = (outs Mars_AnyTensor:$result);
  let assemblyFormat = [{
    $input `axis` `=` $axis `run` `=` $run attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getSortAxis() {
      return ::mars::detail::normalizedAxis(getAxis(),
          getInput().getType().getRank());
    }
  }];
}

def Mars_SearchsortedOp : Mars_Op<"searchsorted", [Pure,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "Insertion points in a sorted 1-D tensor (numpy.searchsorted)";
  let description = [{
    For each element of `values`, the position in the sorted 1-D `sorted`
    (numpy's order: NaN last) where inserting it keeps the order: the first
    such position with `side = "left"`, the last with `side = "right"`. The
    operands have one element type; the result has `values`' shape and type
    i64.

    ```mlir
    %i = mars.searchsorted %a, %v side = "left" : tensor<100xf64>, tensor<4x5xf64> -> tensor<4x5xi64>
    ```
  }];
  let arguments = (ins Mars_AnyTensor:$sorted, Mars_AnyTensor:$values,
                       StrAttr:$side);
  let results = (outs Mars_IndexTensor:$result);
  let assemblyFormat = [{
    $sorted `,` $values `side` `=` $side attr-dict `:` type($sorted) `,`
    type($values) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Mars_TakeOp : Mars_Op<"take", [Pure, Mars_TakesComplex,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "Elements at integer positions along an axis (numpy.take)";
  let description = [{
    `input`'s shape with `axis` replaced by `indices`' shape: numpy's
    `take(input, indices, axis, mode=mode)`, which is also integer-array
    indexing along one axis. Negative indices count from the end; an index
    outside [-n, n) is numpy's IndexError with `mode = "raise"`, wraps
    around with `"wrap"` and is clipped to [0, n) with `"clip"`.

    ```mlir
    %t = mars.take %a, %i axis = 1 mode = "raise" : tensor<4x5xf64>, tensor<7xi64> -> tensor<4x7xf64>
    ```
  }];
  let arguments = (ins Mars_AnyOrComplexTensor:$input, Mars_PositionTensor:$indices,
                       I64Attr:$axis, StrAttr:$mode);
  let results = (outs Mars_AnyOrComplexTensor:$result);
  let assemblyFormat = [{
    $input `,` $indices `axis` `=` $axis `mode` `=` $mode attr-dict `:`
    type($input) `,` type($indices) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The axis, normalised to [0, rank of input).
    int64_t getTakeAxis() {
      return ::mars::detail::normalizedAxis(getAxis(),
          getInput().getType().getRank());
    }
  }];
}

def Mars_TakeAlongAxisOp : Mars_Op<"take_along_axis", [Pure, Mars_TakesComplex,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "Elements at per-lane positions (numpy.take_along_axis)";
  let description = [{
    `indices` has `input`'s rank and its shape on every axis but `axis`
    (the front ends broadcast it); result element `[..., k, ...]` is
    `input[..., indices[..., k, ...], ...]` with the index on `axis`.
    Negative indices count from the end; an index outside [-n, n) is
    numpy's IndexError. The result has `indices`' shape.

    ```mlir
    %t = mars.take_along_axis %a, %i axis = 1 : tensor<4x5xf64>, tensor<4x2xi64> -> tensor<4x2xf64>
    ```
  }];
  let arguments = (ins Mars_AnyOrComplexTensor:$input, Mars_PositionTensor:$indices,
                       I64Attr:$axis);
  let results = (outs Mars_AnyOrComplexTensor:$result);
  let assemblyFormat = [{
    $input `,` $indices `axis` `=` $axis attr-dict `:` type($input) `,`
    type($indices) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The axis, normalised to [0, rank).
    int64_t getTakeAxis() {
      return ::mars::detail::normalizedAxis(getAxis(),
          getInput().getType().getRank());
    }
  }];
}

def Mars_BincountOp : Mars_Op<"bincount", [Pure,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "Occurrences of each non-negative integer (numpy.bincount)";
  let description = [{
    Element i of the 1-D result is the number of elements of the 1-D
    `input` equal to i, or with `weights` (f64, the input's shape) the sum
    of their weights, added in the input's order (numpy's sums, bit for
    bit). The result's length is its type's (the front ends give numpy's
    `max(input) + 1` or `minlength`, whichever is larger). A negative
    element is numpy's ValueError; one past the result's end is an
    IndexError. A result chunk reads the whole input and counts the
    elements that fall in it.

    ```mlir
    %c = mars.bincount %x : tensor<100xi64> -> tensor<8xi64>
    %w = mars.bincount %x, %weights : tensor<100xi64>, tensor<100xf64> -> tensor<8xf64>
    ```
  }];
  let arguments = (ins Mars_PositionTensor:$input,
                       Optional<Mars_AnyTensor>:$weights);
  let results = (outs Mars_AnyTensor:$result);
  let assemblyFormat = [{
    $input (`,` $weights^)? attr-dict `:` type($input) (`,` type($weights)^)?
    `->` type($result)
  }];
  let hasVerifier = 1;
}

def Mars_PutOp : Mars_Op<"put", [Pure, Mars_TakesComplex,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "A copy with elements replaced at flat positions (numpy.put)";
  let description = [{
    `input` with the element at flat position (C order) `indices[k]`
    replaced by `values[k]`, for each k in C order of `indices`: numpy's
    `put(a, indices, values, mode=mode)` on a copy, so the input keeps its
    values (a tensor is a value; assignment makes a new one). Both
    `indices` and `values` are read flattened; `values` shorter than
    `indices` repeats, and an empty `values` writes nothing. A position
    given twice gets the later value. Negative indices count from the end;
    an index outside [-n, n) is numpy's IndexError with `mode = "raise"`,
    wraps with `"wrap"` and is clipped to [0, n) with `"clip"`. An empty
    input has no chunk to check its indices against, so its result is
    empty whatever they are (the front ends raise numpy's IndexError
    before building the op). Every
    front-end assignment (`t[index] = v`, `put_along_axis`, `place`, ...)
    that is not a `mars.where` lowers to this op.

    ```mlir
    %r = mars.put %a, %i, %v mode = "raise" : tensor<4x5xf64>, tensor<7xi64>, tensor<7xf64> -> tensor<4x5xf64>
    ```
  }];
  let arguments = (ins Mars_AnyOrComplexTensor:$input, Mars_PositionTensor:$indices,
                       Mars_AnyOrComplexTensor:$values, StrAttr:$mode);
  let results = (outs Mars_AnyOrComplexTensor:$result);
  let assemblyFormat = [{
    $input `,` $indices `,` $values `mode` `=` $mode attr-dict `:`
    type($input) `,` type($indices) `,` type($values) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def Mars_MatmulOp : Mars_Op<"matmul", [Pure, Mars_TakesSparse,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>,
    DeclareOpInterfaceMethods<Mars_ContractionOpInterface,
                              ["computeStep"]>,
    DeclareOpInterfaceMethods<Mars_SparseBoundOpInterface, ["getStoredBound"]>]> {
  let summary = "Matrix product (numpy.matmul / dot), and stacks of them";
  let description = [{
    Matrix-matrix, matrix-vector, vector-matrix and vector-vector products
    with numpy's rules (a 1-D operand acts as a row or column vector and its
    axis is dropped from the result). For these ranks `numpy.dot` is the
    same operation.

    Operands of rank 3 or more are stacks of matrices with the same leading
    (batch) dimensions, multiplied matrix by matrix: numpy.matmul once its
    batch dimensions are broadcast (the front ends broadcast them first).
    A result chunk's batch range reads the same range of both operands.

    The lhs may be a sparse matrix (`#mars.csr`) and the rhs a dense
    matrix or vector: scipy's sparse-times-dense product (SpMM, SpMV),
    whose result is dense. A step multiplies a sparse chunk by the rows of
    the rhs its columns select. Both may be sparse matrices: scipy's
    sparse product (SpGEMM), whose result is a sparse matrix.

    ```mlir
    %c = mars.matmul %a, %b : tensor<4x3xf64>, tensor<3x5xf64> -> tensor<4x5xf64>
    %v = mars.matmul %a, %x : tensor<4x3xf64>, tensor<3xf64> -> tensor<4xf64>
    %s = mars.matmul %p, %q : tensor<8x4x3xf64>, tensor<8x3x5xf64> -> tensor<8x4x5xf64>
    %y = mars.matmul %m, %x : tensor<4x3xf64, #mars.csr>, tensor<3xf64> -> tensor<4xf64>
    ```
  }];
  let arguments = (ins AnyTypeOf<[Mars_NumericTensor, Mars_NumericCsrMatrix],
                           "", "::mlir::RankedTensorType">:$lhs,
                       AnyTypeOf<[Mars_NumericTensor, Mars_NumericCsrMatrix],
                           "", "::mlir::RankedTensorType">:$rhs);
  let results = (outs AnyTypeOf<[Mars_NumericTensor, Mars_NumericCsrMatrix],
                          "", "::mlir::RankedTensorType">:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) "
                       "`->` type($result)";
  let hasVerifier = 1;
}

def Mars_TensordotOp : Mars_Op<"tensordot", [Pure,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>,
    DeclareOpInterfaceMethods<Mars_ContractionOpInterface,
                              ["computeStep"]>]> {
  let summary = "Contraction over pairs of axes (numpy.tensordot)";
  let description = [{
    Sums products over `lhs_axes[i]` of `lhs` paired with `rhs_axes[i]` of
    `rhs`. The result has lhs's free axes, then rhs's, in order.

    ```mlir
    %t = mars.tensordot %a, %b axes = [1, 2], [0, 1]
        : tensor<2x3x4xf64>, tensor<3x4x5xf64> -> tensor<2x5xf64>
    ```
  }];
  let arguments = (ins Mars_NumericTensor:$lhs, Mars_NumericTensor:$rhs,
                       DenseI64ArrayAttr:$lhs_axes,
                       DenseI64ArrayAttr:$rhs_axes);
  let results = (outs Mars_NumericTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs `axes` `=` $lhs_axes `,` $rhs_axes "
                       "attr-dict `:` type($lhs) `,` type($rhs) `->` "
                       "type($result)";
  let hasVerifier = 1;
}

// Decompositions, inverses and solvers of stacks of matrices: the last two
// dimensions of an operand are its matrices, the leading ones (the batch)
// are the same for every operand and the result. A result chunk holds
// whole matrices of its batch range, computed by one LAPACK call each
// (numpy's routine; lib/Numeric/Linalg.cpp); the batch dimensions keep the
// first operand's chunks. Rules in ChunkRules/Linalg.cpp.
class Mars_MatrixOp<string mnemonic, string brief, string numpyName>
    : Mars_Op<mnemonic, [Pure,
          DeclareOpInterfaceMethods<Mars_ChunkOpInterface>,
          DeclareOpInterfaceMethods<Mars_RecomputeOpInterface,
                                    ["getRecomputeWork"]>]> {
  let summary = brief # " (" # numpyName # ")";
  let results = (outs Mars_FloatTensor:$result);
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The result over whole matrices: `stacks` are the operands' matrices
    /// of one batch range, the result's is the same range.
    ::llvm::Expected<::mars::numeric::NDArray>
    computeMatrices(::llvm::ArrayRef<const ::mars::numeric::NDArray *> stacks);
  }];
  let extraClassDefinition = [{
    std::optional<::mars::tiling::Box>
    $cppClass::getOperandRegion(unsigned i, const ::mars::tiling::Box &out) {
      return ::mars::detail::matrixOperandRegion(getOperation(), i, out);
    }
    std::optional<::mars::tiling::Shape> $cppClass::deriveResultChunk(
        ::llvm::ArrayRef<::mars::tiling::Layout> operands) {
      return ::mars::detail::matrixResultChunk(getOperation(), operands);
    }
    ::llvm::SmallVector<::mars::tiling::Shape> $cppClass::alignOperandChunks(
        const ::mars::tiling::Layout &,
        ::llvm::ArrayRef<::mars::tiling::Layout> operands) {
      return ::mars::detail::ownChunks(operands);
    }
    ::llvm::Expected<::mars::numeric::NDArray> $cppClass::computeBox(
        ::llvm::ArrayRef<::mars::tiling::BoxOperand> operands,
        const ::mars::tiling::Box &out) {
      return ::mars::detail::matrixBox(getOperation(), operands, out,
          [this](auto stacks) { return computeMatrices(stacks); });
    }
    int64_t $cppClass::getRecomputeWork() {
      return ::mars::detail::matrixWork(getOperation());
    }
  }];
}

def Mars_InvOp : Mars_MatrixOp<"inv", "Inverse of square matrices",
                               "numpy.linalg.inv"> {
  let description = [{
    The inverse of each square matrix, by LU with partial pivoting (LAPACK
    gesv against the identity, as numpy). A singular matrix fails the run
    with numpy's "Singular matrix" (LinAlgError in Python).

    ```mlir
    %i = mars.inv %a : tensor<8x8xf64> -> tensor<8x8xf64>
    ```
  }];
  let arguments = (ins Mars_FloatTensor:$input);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Mars_SolveOp : Mars_MatrixOp<"solve", "Solve linear systems",
    "numpy.linalg.solve, scipy.linalg.solve_triangular"> {
  let description = [{
    `x` with `a @ x = b` for each square matrix `a` (n x n) and its
    right-hand sides `b` (n x k). `structure` says which part of `a` is
    read: `"general"` (LU with partial pivoting, gesv; a singular matrix is
    numpy's "Singular matrix"), `"lower"` or `"upper"` (only that triangle,
    trtrs; a zero on the diagonal is scipy's "singular matrix: resolution
    failed at diagonal i"), or `"lower_unit"`/`"upper_unit"` (the triangle
    with ones taken for the diagonal). With `check_finite` (scipy's
    default), a NaN or infinity in either operand fails with scipy's
    "array must not contain infs or NaNs" (a ValueError). With
    `numpy_errors`, a zero on a triangle's diagonal is numpy's "Singular
    matrix" instead: the tiled `numpy.linalg.solve` and `inv` of
    `mars.tensor` solve with U's diagonal tiles, and a zero there is the
    whole matrix's singularity.

    ```mlir
    %x = mars.solve %a, %b structure = "general" : tensor<8x8xf64>, tensor<8x3xf64> -> tensor<8x3xf64>
    %y = mars.solve %a, %b structure = "lower" check_finite : tensor<8x8xf64>, tensor<8x3xf64> -> tensor<8x3xf64>
    %z = mars.solve %a, %b structure = "upper" numpy_errors : tensor<8x8xf64>, tensor<8x3xf64> -> tensor<8x3xf64>
    ```
  }];
  let arguments = (ins Mars_FloatTensor:$matrix, Mars_FloatTensor:$rhs,
                       StrAttr:$structure, UnitAttr:$check_finite,
                       UnitAttr:$numpy_errors);
  let assemblyFormat = [{
    $matrix `,` $rhs `structure` `=` $structure (`check_finite` $check_finite^)?
    (`numpy_errors` $numpy_errors^)?
    attr-dict `:` type($matrix) `,` type($rhs) `->` type($result)
  }];
}

def Mars_CholeskyOp : Mars_MatrixOp<"cholesky", "Cholesky factor",
                                    "numpy.linalg.cholesky"> {
  let description = [{
    The lower-triangular `L` with `a = L @ L.T` for each symmetric
    positive-definite matrix, reading its lower triangle (potrf); the upper
    triangle of `L` is zero. A matrix that is not positive definite is
    numpy's "Matrix is not positive definite".

    ```mlir
    %l = mars.cholesky %a : tensor<8x8xf64> -> tensor<8x8xf64>
    ```
  }];
  let arguments = (ins Mars_FloatTensor:$input);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Mars_DetOp : Mars_MatrixOp<"det", "Determinant and its logarithm",
                               "numpy.linalg.det, slogdet"> {
  let description = [{
    Per square matrix, from its LU factorisation (getrf), as numpy computes
    them: `part = "sign"` and `"logabsdet"` are slogdet's two results (0 and
    -inf for a singular matrix), `"det"` is their `sign * exp(logabsdet)`.
    The result has the batch's shape.

    ```mlir
    %d = mars.det %a part = "det" : tensor<4x8x8xf64> -> tensor<4xf64>
    ```
  }];
  let arguments = (ins Mars_FloatTensor:$input, StrAttr:$part);
  let assemblyFormat = [{
    $input `part` `=` $part attr-dict `:` type($input) `->` type($result)
  }];
}

def Mars_QrOp : Mars_MatrixOp<"qr", "QR factorisation", "numpy.linalg.qr"> {
  let description = [{
    One factor of each matrix's Householder QR (geqrf, and orgqr for Q):
    for an m x n matrix and k = min(m, n), `part = "q"` is Q (m x k, or m x m
    when `complete`) with orthonormal columns, `"r"` is the upper-triangular
    R (k x n, or m x n when `complete`). numpy's modes: 'reduced' and 'r'
    are `complete = false`, 'complete' is `complete = true`. The signs of
    Q's columns and R's rows are LAPACK's, as numpy gives them, except for
    a tall matrix (not `complete`) of at least two blocks of about 1 MiB
    (8192 rows of 32 float64 columns), which is factored by TSQR inside the
    kernel: Q and R are then numpy's up to those signs.

    With `positive`, R's diagonal is made non-negative (Q's columns and R's
    rows negated where it is negative), so that the factors of a full-rank
    matrix are unique. Two ops factoring the same matrix (TSQR's R in one
    pass, its Q in the next) give the same bits when they run with the same
    OpenBLAS thread count, as every chunk the runtime makes again must;
    `positive` keeps them consistent for well-conditioned full-rank
    matrices where they do not (a block's R and Q on different CPUs).

    `part = "wy"` (m >= n, neither `complete` nor `positive`) is the whole
    factorisation in compact WY form, (m + n) x n: rows [0, m) are geqrf's
    packed output (R on and above the diagonal, the Householder vectors V
    below it, their unit diagonal implied), rows [m, m + n) the upper
    triangular T with Q = I - V T V^T (geqrt3 of the whole matrix, never
    TSQR; T's diagonal is geqrf's tau, numpy's mode 'raw'). The tiled QR
    of `mars.tensor` factors each panel so, and applies its Q to the other
    blocks by products with V and T.

    ```mlir
    %q = mars.qr %a part = "q" complete = false : tensor<9x4xf64> -> tensor<9x4xf64>
    %r = mars.qr %a part = "r" complete = false positive : tensor<9x4xf64> -> tensor<4x4xf64>
    %w = mars.qr %a part = "wy" complete = false : tensor<9x4xf64> -> tensor<13x4xf64>
    ```
  }];
  let arguments = (ins Mars_FloatTensor:$input, StrAttr:$part,
                       BoolAttr:$complete, UnitAttr:$positive);
  let assemblyFormat = [{
    $input `part` `=` $part `complete` `=` $complete (`positive` $positive^)?
    attr-dict `:` type($input) `->` type($result)
  }];
}

def Mars_SvdOp : Mars_MatrixOp<"svd", "Singular value decomposition",
                               "numpy.linalg.svd"> {
  let description = [{
    One factor of each matrix's SVD `a = U @ diag(S) @ Vh` (gesdd): for an
    m x n matrix and k = min(m, n), `part = "u"` is U (m x k, or m x m with
    `full_matrices`), `"s"` the k singular values in descending order (the
    result drops the matrix dimensions for one of length k; computed
    without vectors, as numpy's compute_uv=False), `"vh"` is Vh (k x n, or
    n x n). No convergence is numpy's "SVD did not converge".

    ```mlir
    %s = mars.svd %a part = "s" full_matrices = false : tensor<9x4xf64> -> tensor<4xf64>
    ```
  }];
  let arguments = (ins Mars_FloatTensor:$input, StrAttr:$part,
                       BoolAttr:$full_matrices);
  let assemblyFormat = [{
    $input `part` `=` $part `full_matrices` `=` $full_matrices attr-dict `:`
    type($input) `->` type($result)
  }];
}

def Mars_EighOp : Mars_MatrixOp<"eigh", "Eigenvalues and eigenvectors of symmetric matrices",
                                "numpy.linalg.eigh, eigvalsh"> {
  let description = [{
    Per symmetric matrix, read from its lower triangle (its upper with
    `upper`), by syevd: `part = "w"` is the eigenvalues in ascending order
    (the result drops the last dimension; computed without vectors, as
    numpy's eigvalsh), `"v"` the eigenvectors as columns. No convergence is
    numpy's "Eigenvalues did not converge".

    ```mlir
    %w = mars.eigh %a part = "w" upper = false : tensor<8x8xf64> -> tensor<8xf64>
    ```
  }];
  let arguments = (ins Mars_FloatTensor:$input, StrAttr:$part,
                       BoolAttr:$upper);
  let assemblyFormat = [{
    $input `part` `=` $part `upper` `=` $upper attr-dict `:` type($input)
    `->` type($result)
  }];
}

def Mars_LuOp : Mars_MatrixOp<"lu", "LU factorisation with partial pivoting",
                              "scipy.linalg.lu"> {
  let description = [{
    One factor of each matrix's `a = P @ L @ U` (getrf): for an m x n matrix
    and k = min(m, n), `part = "p"` is the permutation matrix P (m x m),
    `"l"` the unit lower-triangular L (m x k), `"u"` the upper-triangular U
    (k x n), `"perm"` P as the m row positions (i64) with
    `a[perm] = L @ U` (row i of `P^T @ a` is row `perm[i]` of a), and
    `"lu"` both factors packed in one m x n matrix as getrf leaves them
    (scipy's `lu_factor`): U on and above the diagonal, L below it, its
    unit diagonal implied; `"perm_sign"` is det(P), 1 or -1 (the batch's
    shape). The tiled LU of `mars.tensor` takes `"lu"` and `"perm"` of each
    panel, and moves the other blocks' rows by `perm` (`mars.take`) instead
    of multiplying by an m x m P; its det and slogdet multiply the panels'
    `"perm_sign"`. A singular matrix has a zero on U's
    diagonal. With `check_finite` (scipy's default), a NaN or infinity in
    the input fails with scipy's "array must not contain infs or NaNs" (a
    ValueError).

    ```mlir
    %u = mars.lu %a part = "u" : tensor<8x6xf64> -> tensor<6x6xf64>
    %l = mars.lu %a part = "l" check_finite : tensor<8x6xf64> -> tensor<8x6xf64>
    %p = mars.lu %a part = "perm" : tensor<8x6xf64> -> tensor<8xi64>
    %f = mars.lu %a part = "lu" : tensor<8x6xf64> -> tensor<8x6xf64>
    %s = mars.lu %a part = "perm_sign" : tensor<8x6xf64> -> tensor<f64>
    ```
  }];
  let arguments = (ins Mars_FloatTensor:$input, StrAttr:$part,
                       UnitAttr:$check_finite);
  let results = (outs Mars_TensorOf<[F32, F64, I64]>:$result);
  let assemblyFormat = [{
    $input `part` `=` $part (`check_finite` $check_finite^)? attr-dict `:`
    type($input) `->` type($result)
  }];
}

//===----------------------------------------------------------------------===//
// Chunk layouts
//===----------------------------------------------------------------------===//

def Mars_RechunkOp : Mars_Op<"rechunk", [Mars_TakesFloat16, Mars_TakesComplex, Pure, AllTypesMatch<["input", "result"]>,
    Mars_TakesSparse,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface, ["getCopiedOperand"]>,
    Mars_RecomputeOpInterface,
    DeclareOpInterfaceMethods<Mars_SparseBoundOpInterface, ["getStoredBound"]>]> {
  let summary = "Change a value's chunk layout";
  let description = [{
    The identity on values: the result holds the input's elements, chunked
    as the op's `mars.chunks` attribute says. `mars-tile` inserts it where a
    consumer needs another chunking than its producer has (for example the
    contracted dimension of a matmul operand); the chunked engines move the
    data between the two layouts.

    ```mlir
    %r = mars.rechunk %a {mars.chunks = array<i64: 1000, 500>} : tensor<4000x4000xf64>
    ```
  }];
  let arguments = (ins Mars_MovedOrCsr:$input);
  let results = (outs Mars_MovedOrCsr:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Sparse storage
//===----------------------------------------------------------------------===//

def Mars_ToSparseOp : Mars_Op<"to_sparse", [Pure,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "Store a matrix sparsely (scipy.sparse.csr_matrix(a))";
  let description = [{
    The same matrix in compressed sparse rows: each chunk keeps the
    elements of its box that are not zero (NaN is kept; -0.0 compares
    equal to zero and is dropped, as scipy does).

    ```mlir
    %s = mars.to_sparse %a : tensor<1000x1000xf64> -> tensor<1000x1000xf64, #mars.csr>
    ```
  }];
  let arguments = (ins Mars_AnyTensor:$input);
  let results = (outs Mars_CsrMatrix:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mars_ToDenseOp : Mars_Op<"to_dense", [Pure, Mars_TakesSparse,
    DeclareOpInterfaceMethods<Mars_ChunkOpInterface>]> {
  let summary = "Store a sparse matrix densely (scipy's toarray())";
  let description = [{
    The same matrix with every element stored: zeros where the sparse
    matrix stores nothing.

    ```mlir
    %d = mars.to_dense %s : tensor<1000x1000xf64, #mars.csr> -> tensor<1000x1000xf64>
    ```
  }];
  let arguments = (ins Mars_CsrMatrix:$input);
  let results = (outs Mars_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Fusion
//===----------------------------------------------------------------------===//

def Mars_FusedOp : Mars_Op<"fused", [Mars_TakesFloat16, IsolatedFromAbove, SingleBlock,
    RecursiveMemoryEffects, DeclareOpInterfaceMethods<Mars_ChunkOpInterface>,
    DeclareOpInterfaceMethods<Mars_RecomputeOpInterface,
                              ["getRecomputeWork"]>]> {
  let summary = "A group of ops computed together, chunk by chunk";
  let description = [{
    The body computes the result from the inputs (bound to the entry block's
    arguments) with elementwise ops (broadcasting), cheap creation ops
    (`full`, `zeros`, `ones`, random ops) and optionally one reduction that
    produces the yielded value. Engines compute each chunk of the result by
    running the body on the matching regions of the inputs, so the body's
    intermediate values exist only a chunk at a time; when the body ends in
    a reduction, each chunk's partial results are computed from the fused
    chain directly. `mars-fuse` forms these ops; the ops in the body keep
    their chunk layouts.

    ```mlir
    %count = mars.fused (%r) : (tensor<1000xf64>) -> tensor<i64> {
    ^bb0(%x: tensor<1000xf64>):
      %one = mars.full(1.0) : tensor<f64>
      %in = mars.lt %x, %one : (tensor<1000xf64>, tensor<f64>) -> tensor<1000xi1>
      %n = mars.sum %in : tensor<1000xi1> -> tensor<i64>
      mars.yield %n : tensor<i64>
    }
    ```

    The body may hold elementwise ops, `full`/`zeros`/`ones` and the random
    ops, and one reduction whose result is the yielded value (the root).

    It may also hold *inner reductions*: short reductions of values the body
    generates itself, computed per element of the body's iteration space by
    looping over their reduced axes, so their operands exist only an element
    at a time. An inner reduction is a sum, prod, min, max, any, all,
    count_nonzero or mean over at most 8 elements (the product of its
    reduced dimensions, at least 1); its operand is computed in the body from
    creation ops, elementwise ops and body arguments, and it is used in the
    body only. A body argument of rank > 0 that an inner reduction's
    operand reads is read by nothing else in the body but the operands of
    inner reductions over the same axes of the same shape: engines read its
    region under the reduction's result region, the reduced axes whole. The
    Monte Carlo estimate of
    pi is one fused op: the points' squares are summed over their 2
    coordinates element by element, and nothing but the count is stored:

    ```mlir
    %count = mars.fused () : () -> tensor<i64> {
      %p = mars.random_uniform seed = 1, low = -1.0, high = 1.0 : tensor<1000x2xf64>
      %sq = mars.square %p : tensor<1000x2xf64>
      %r2 = mars.sum %sq axes = [1] : tensor<1000x2xf64> -> tensor<1000xf64>
      %one = mars.full(1.0) : tensor<f64>
      %in = mars.lt %r2, %one : (tensor<1000xf64>, tensor<f64>) -> tensor<1000xi1>
      %n = mars.sum %in : tensor<1000xi1> -> tensor<i64>
      mars.yield %n : tensor<i64>
    }
    ```

    A fused op with several results (*multi-output fusion*) computes sibling
    reductions in one pass over its inputs: every yielded value is a root
    reduction of the body, a sum, prod, min, max, any, all, count_nonzero or
    mean; the roots reduce operands of one shape over the same axes, keeping
    dimensions alike, so they share one chunk grid and their results one
    layout; no root reads another. `d = a - b` feeding `sum(d * d)`,
    `max(abs(d))` and `mean(d)` reads `a` and `b` once:

    ```mlir
    %s, %m, %mn = mars.fused (%a, %b) : (tensor<8xf64>, tensor<8xf64>)
        -> (tensor<f64>, tensor<f64>, tensor<f64>) {
    ^bb0(%x: tensor<8xf64>, %y: tensor<8xf64>):
      %d = mars.sub %x, %y : tensor<8xf64>
      %sq = mars.mul %d, %d : tensor<8xf64>
      %s = mars.sum %sq : tensor<8xf64> -> tensor<f64>
      %ad = mars.abs %d : tensor<8xf64>
      %m = mars.max %ad : tensor<8xf64> -> tensor<f64>
      %mn = mars.mean %d : tensor<8xf64> -> tensor<f64>
      mars.yield %s, %m, %mn : tensor<f64>, tensor<f64>, tensor<f64>
    }
    ```
  }];
  let arguments = (ins Variadic<Mars_StoredTensor>:$inputs);
  let results = (outs Variadic<Mars_StoredTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `(` $inputs `)` attr-dict `:` functional-type($inputs, $results) $body
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// "fused(random_uniform, exp, sum)": the op and the ops of its body
    /// in order, as traces and pictures of the graph name it.
    std::string getSummary();
    /// The op whose result the body yields first (the group's root).
    ::mlir::Operation *getRoot();
    /// The ops whose results the body yields, in result order (null for a
    /// yielded argument).
    ::llvm::SmallVector<::mlir::Operation *> getRoots();
    /// Whether `op`, an op of the body, is an inner reduction (a reduction
    /// other than the roots).
    bool isInnerReduction(::mlir::Operation *op) {
      return ::llvm::isa<ReductionOpInterface>(op) &&
             !::llvm::is_contained(getRoots(), op);
    }
    /// Why `reduction` cannot be a root of a fused op with several results
    /// by its kind (empty when it can).
    static std::string multiRootProblem(::mlir::Operation *reduction);
    /// Whether roots `a` and `b` of a fused op with several results can
    /// share it: operands of one shape, the same axes, keepdims alike.
    static bool sameRootSpace(::mlir::Operation *a, ::mlir::Operation *b);
    /// The most elements an inner reduction folds per result element.
    static constexpr int64_t kMaxInnerReduced = 8;
    /// Why `reduction` cannot be an inner reduction by its kind and shape
    /// (empty when it can); the placement rules are checked separately.
    static std::string innerReductionProblem(::mlir::Operation *reduction);
    /// Why `reduction`, a reduction of the body other than the root, breaks
    /// the rules of inner reductions (empty when it keeps them).
    std::string innerReductionError(::mlir::Operation *reduction);
    /// The ops of the body computing inner reduction `reduction`'s operand
    /// (its domain), in program order.
    ::llvm::SmallVector<::mlir::Operation *>
    innerDomain(::mlir::Operation *reduction);
    /// The ops of the body that only inner reductions' domains use: engines
    /// compute them per element of those domains, never in the body's own
    /// iteration space.
    ::llvm::SmallPtrSet<::mlir::Operation *, 8> getInnerOnlyOps();
    /// The inner reduction whose domain reads `arg`, a body argument of
    /// rank > 0 that only the domains of inner reductions over one space
    /// read (engines read it at those domains' elements); null for every
    /// other argument.
    ::mlir::Operation *innerReductionReading(::mlir::BlockArgument arg);
    /// Whether inner reductions `a` and `b` reduce the same axes of operands
    /// of one type, keeping dimensions alike.
    static bool sameInnerSpace(::mlir::Operation *a, ::mlir::Operation *b);

  private:
    ::llvm::LogicalResult verifyInnerReduction(::mlir::Operation *reduction);

  public:
  }];
}

def Mars_YieldOp : Mars_Op<"yield", [Mars_TakesFloat16, Pure, HasParent<"FusedOp">, Terminator,
                                     ReturnLike]> {
  let summary = "The results of a mars.fused body";
  let arguments = (ins Variadic<Mars_StoredTensor>:$values);
  let assemblyFormat = "$values attr-dict `:` type($values)";
}

//===----------------------------------------------------------------------===//
// Data
//===----------------------------------------------------------------------===//

def Mars_LoadOp : Mars_CreationOp<"load", [Mars_TakesFloat16, Mars_TakesComplex, MemoryEffects<[MemRead]>]> {
  let summary = "Read a tensor from a .npy file (numpy.load)";
  let description = [{
    Reads numpy's own format (every Mars dtype, little-endian, C order).
    The file's dtype and shape must match the result type, or the run fails
    naming both. Relative paths are relative to the working directory.

    ```mlir
    %a = mars.load "data/a.npy" : tensor<1000x1000xf64>
    ```
  }];
  let arguments = (ins StrAttr:$path);
  let results = (outs Mars_MovedTensor:$result);
  let assemblyFormat = "$path attr-dict `:` type($result)";
}

def Mars_SaveOp : Mars_Op<"save", [Mars_TakesFloat16, Mars_TakesComplex, MemoryEffects<[MemWrite]>,
    DeclareOpInterfaceMethods<Mars_SinkOpInterface>]> {
  let summary = "Write a tensor to a .npy file (numpy.save)";
  let description = [{
    Writes numpy's format; the file is replaced atomically.

    ```mlir
    mars.save %r, "out/r.npy" : tensor<1000xf64>
    ```
  }];
  let arguments = (ins Mars_MovedTensor:$input, StrAttr:$path);
  let assemblyFormat = "$input `,` $path attr-dict `:` type($input)";
}

#endif // MARS_DIALECT_MARS_IR_MARSOPS_TD
