//===- MarsBase.td - The Mars dialect and its type constraints -*- tablegen -*-===//

#ifndef MARS_DIALECT_MARS_IR_MARSBASE_TD
#define MARS_DIALECT_MARS_IR_MARSBASE_TD

include "mlir/IR/AttrTypeBase.td"
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

    A 2-D tensor may be stored sparsely: the encoding `#mars.csr` on its
    type (`tensor<1000x1000xf64, #mars.csr>`) makes each of its chunks a
    compressed-sparse-rows matrix (scipy's `csr_matrix`) holding only its
    nonzero elements. Ops take dense tensors unless their operand says
    otherwise; those that take or make sparse ones say so in their
    description.
  }];
  let useDefaultAttributePrinterParser = 1;
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
    /// On a sparse (#mars.csr) function argument: how many elements it
    /// stores, which the front ends know when they pass a matrix an earlier
    /// execution made. mars-tile sizes the chunks of what reads it by that
    /// (SparseBoundOpInterface's `known`), not by its area.
    static constexpr ::llvm::StringLiteral kStoredAttrName = "mars.stored";
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

// On an op that takes sparse matrices (#mars.csr) among its operands: the
// front ends let a sparse tensor reach only these ops (which operand may be
// sparse is the op's type constraint).
def Mars_TakesSparse : NativeOpTrait<"TakesSparse"> {
  let cppNamespace = "::mars::traits";
}

// On an op that only moves, fills or converts elements (shape ops,
// constants, casts, loads and saves, fused kernels): it takes float16
// tensors (Mars_StoredTensor). float16 is a storage type: every other op
// computes in float32 and its result is rounded back to float16 (a cast
// before and after), as numpy's float16 loops do; the front ends insert
// those casts before ops without this trait.
def Mars_TakesFloat16 : NativeOpTrait<"TakesFloat16"> {
  let cppNamespace = "::mars::traits";
}

// On an op that only moves elements (shape ops, rechunk, loads and saves)
// or converts complex numbers to and from their parts (mars.real,
// mars.imag, mars.complex): it takes complex64 and complex128 tensors
// (Mars_MovedTensor). Complex numbers are stored only; the front ends
// compose complex arithmetic from the parts (docs/Complex.md) and refuse
// complex tensors before ops without this trait.
def Mars_TakesComplex : NativeOpTrait<"TakesComplex"> {
  let cppNamespace = "::mars::traits";
}

class Mars_Op<string mnemonic, list<Trait> traits = []>
    : Op<Mars_Dialect, mnemonic, traits>;

def Mars_CsrAttr : AttrDef<Mars_Dialect, "Csr"> {
  let mnemonic = "csr";
  let summary = "Compressed sparse rows: the encoding of a sparse matrix";
  let description = [{
    On a 2-D tensor type, `#mars.csr` says that the tensor is stored as
    compressed sparse rows, as scipy's `csr_matrix`: per chunk, the row
    pointers, the column of each stored element and its value. Elements
    not stored are zero.
  }];
}

// numpy's integer dtypes: int8 ... int64 are signless integers (arith's
// view: the ops choose signed semantics), uint8 ... uint64 MLIR's unsigned
// integers, so that the type says which of numpy's rules apply.
defvar Mars_IntegerTypes = [I8, I16, I32, I64, UI8, UI16, UI32, UI64];
// A statically shaped tensor stored densely (no encoding): what every op
// takes unless it says otherwise.
class Mars_TensorOf<list<Type> types>
    : ShapedContainerType<types,
        And<[IsTensorTypePred, HasStaticShapePred,
             CPred<"!::llvm::cast<::mlir::RankedTensorType>($_self)"
                   ".getEncoding()">]>,
        "statically shaped dense tensor", "::mlir::RankedTensorType"> {
  list<Type> marsTypes = types;
}
// A statically shaped 2-D tensor stored as compressed sparse rows.
class Mars_CsrMatrixOf<list<Type> types>
    : ShapedContainerType<types,
        And<[IsTensorTypePred, HasStaticShapePred, HasAnyRankOfPred<[2]>,
             CPred<"::llvm::isa_and_nonnull<::mars::CsrAttr>("
                   "::llvm::cast<::mlir::RankedTensorType>($_self)"
                   ".getEncoding())">]>,
        "2-D tensor in compressed sparse rows (#mars.csr)",
        "::mlir::RankedTensorType">;

defvar Mars_AllTypes = !listconcat([F32, F64, I1], Mars_IntegerTypes);
def Mars_AnyTensor : Mars_TensorOf<Mars_AllTypes>;
def Mars_NumericTensor : Mars_TensorOf<!listconcat([F32, F64], Mars_IntegerTypes)>;
def Mars_FloatTensor : Mars_TensorOf<[F32, F64]>;
def Mars_IntegerTensor : Mars_TensorOf<Mars_IntegerTypes>;
// Positions (take, put, bincount): numpy's intp, or int32.
def Mars_PositionTensor : Mars_TensorOf<[I32, I64]>;
def Mars_BoolTensor : Mars_TensorOf<[I1]>;
def Mars_IndexTensor : Mars_TensorOf<[I64]>;
def Mars_CsrMatrix : Mars_CsrMatrixOf<Mars_AllTypes>;
def Mars_NumericCsrMatrix
    : Mars_CsrMatrixOf<!listconcat([F32, F64], Mars_IntegerTypes)>;
// `dense`, or a sparse matrix of its element types: the operands and
// results of elementwise ops, which a sparse matrix passes through when
// they keep its zeros zero (mars.neg, mars.mul by a scalar, mars.cast).
class Mars_DenseOrCsr<Type dense>
    : AnyTypeOf<[dense,
                 Mars_CsrMatrixOf<!cast<Mars_TensorOf>(dense).marsTypes>],
                "", "::mlir::RankedTensorType">;
// Dense, or a sparse matrix: the operands and results of the ops that
// handle both (mars.eye, mars.matmul's lhs, mars.rechunk).
def Mars_AnyStorageTensor
    : AnyTypeOf<[Mars_AnyTensor, Mars_CsrMatrix], "", "::mlir::RankedTensorType">;
// Every dtype and float16 (Mars_TakesFloat16's ops): dense, and dense or
// sparse (sparse matrices have no float16, as scipy's).
def Mars_StoredTensor : Mars_TensorOf<!listconcat([F16], Mars_AllTypes)>;
def Mars_StoredOrCsr
    : AnyTypeOf<[Mars_StoredTensor, Mars_CsrMatrix], "",
                "::mlir::RankedTensorType">;
// numpy's complex64 and complex128 (Mars_TakesComplex's ops).
defvar Mars_ComplexTypes = [Complex<F32>, Complex<F64>];
def Mars_ComplexTensor : Mars_TensorOf<Mars_ComplexTypes>;
// Every computed dtype and the complex dtypes: the selection ops, which move
// elements as bytes (mars.take, mars.take_along_axis, mars.put).
def Mars_AnyOrComplexTensor
    : Mars_TensorOf<!listconcat(Mars_AllTypes, Mars_ComplexTypes)>;
// Every dtype, float16 and the complex dtypes: what the ops that only move
// elements take; and those or a sparse matrix.
def Mars_MovedTensor
    : Mars_TensorOf<!listconcat([F16], Mars_AllTypes, Mars_ComplexTypes)>;
def Mars_MovedOrCsr
    : AnyTypeOf<[Mars_MovedTensor, Mars_CsrMatrix], "",
                "::mlir::RankedTensorType">;

#endif // MARS_DIALECT_MARS_IR_MARSBASE_TD
