//===- MarsInterfaces.td - Op families and chunk rules ---------*- tablegen -*-===//
//
// Each family of ops shares one meaning in mars::numeric; these interfaces let
// the evaluator, the folder and the later passes treat a family as one case.
//
// ChunkOpInterface is where an op states how it is computed chunk by chunk:
// mars-tile, the chunk graph, the chunked engines, the cluster and the
// reference evaluator read an op only through it, so they never switch on
// op kinds. Every op of the dialect but mars.yield and the sink mars.save
// implements it (MarsOpsTest checks this); the rules are written in
// lib/Dialect/Mars/IR/ChunkRules/, one file per family.
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

def Mars_ScanOpInterface : OpInterface<"ScanOpInterface"> {
  let cppNamespace = "::mars";
  let description = [{
    A cumulative sum or product along one axis of its single operand. Chunk
    k along the axis continues the scan from chunk k - 1's last elements
    (the carry): the engines run a scan's chunks in order along its axis,
    each reading its own operand region and the carry.
  }];
  let methods = [
    InterfaceMethod<"The scan the op computes.",
      "::mars::numeric::ScanFn", "getScanFn">,
    InterfaceMethod<"The scanned axis, normalised to [0, rank).",
      "int64_t", "getScanAxis">,
  ];
}

def Mars_ChunkOpInterface : OpInterface<"ChunkOpInterface"> {
  let cppNamespace = "::mars";
  let description = [{
    The chunk rules of an op with one result (a mars.fused group states
    them for its first): which region of each operand a region of the result
    reads, how the result's chunk layout follows from its operands', which
    layouts the operands must have, and how to compute one box of the
    result from those regions. Applied to the whole result, computeBox is
    the reference semantics of the op, so the reference evaluator and the
    chunked engines cannot disagree on what an op means.

    Contractions (reductions, matmul, tensordot) also implement
    ContractionOpInterface; for them getOperandRegion is what all steps of
    the contraction read together, and computeBox contracts all of it.
  }];
  let methods = [
    InterfaceMethod<[{
        The region of operand `i` that the region `out` of the result reads,
        or nullopt when it reads nothing of it (an input of concatenate
        outside `out`). For reshape it is the bounding box of the elements
        read.
      }], "std::optional<::mars::tiling::Box>", "getOperandRegion",
      (ins "unsigned":$i, "const ::mars::tiling::Box &":$out)>,
    InterfaceMethod<[{
        getOperandRegion of every operand, in order. Engines ask this for
        every chunk: an op with many operands (a concatenate of thousands
        of blocks) answers for all of them in one pass.
      }], "::llvm::SmallVector<std::optional<::mars::tiling::Box>>",
      "getOperandRegions", (ins "const ::mars::tiling::Box &":$out), [{}],
      [{
        ::llvm::SmallVector<std::optional<::mars::tiling::Box>> regions;
        for (unsigned i = 0, e = $_op->getNumOperands(); i < e; ++i)
          regions.push_back($_op.getOperandRegion(i, out));
        return regions;
      }]>,
    InterfaceMethod<[{
        The chunk shape the result takes from its operands' layouts, or
        nullopt when it has none to take (creation ops, reshapes): mars-tile
        then sizes chunks by bytes.
      }], "std::optional<::mars::tiling::Shape>", "deriveResultChunk",
      (ins "::llvm::ArrayRef<::mars::tiling::Layout>":$operands)>,
    InterfaceMethod<[{
        The chunk shape each operand must have for the result's layout to be
        `result` (an operand's own chunk shape when any will do); mars-tile
        rechunks the operands that differ.
      }], "::llvm::SmallVector<::mars::tiling::Shape>", "alignOperandChunks",
      (ins "const ::mars::tiling::Layout &":$result,
           "::llvm::ArrayRef<::mars::tiling::Layout>":$operands)>,
    InterfaceMethod<[{
        The operand whose region getOperandRegion(i, out) is the region
        `out` of the result, element for element, in the same shape and
        order (a slice with unit steps, the part of a concatenate inside
        one input, a rechunk), or nullopt. When that region is one whole
        chunk of the operand, engines share the chunk's array instead of
        copying it.
      }], "std::optional<unsigned>", "getCopiedOperand",
      (ins "const ::mars::tiling::Box &":$out), [{}],
      [{ return std::nullopt; }]>,
    InterfaceMethod<[{
        Computes the region `out` of the result. Operand `i` holds at least
        getOperandRegion(i, out) (null when that is nullopt); see BoxOperand.
      }], "::llvm::Expected<::mars::numeric::NDArray>", "computeBox",
      (ins "::llvm::ArrayRef<::mars::tiling::BoxOperand>":$operands,
           "const ::mars::tiling::Box &":$out)>,
  ];
}

def Mars_ContractionOpInterface : OpInterface<"ContractionOpInterface"> {
  let cppNamespace = "::mars";
  let description = [{
    An op whose result chunk combines partial results, one per step of a
    contraction grid (the chunks along the reduced axes of a reduction, or
    along the contracted axes of matmul/tensordot).
  }];
  let methods = [
    InterfaceMethod<"How operand and result dimensions pair up.",
      "::mars::tiling::ContractionMap", "getContractionMap">,
    InterfaceMethod<[{
        A product's (matmul, tensordot) partial for one step of the grid:
        `lhs` and `rhs` are the operands' regions for a result chunk and the
        step (whole along the dimensions the chunk keeps, the step's part of
        the contracted ones), and the steps' partials sum to the chunk.
        Reductions combine partials by their algebra instead and keep the
        default, an error.
      }], "::llvm::Expected<::mars::numeric::NDArray>", "computeStep",
      (ins "const ::mars::numeric::NDArray &":$lhs,
           "const ::mars::numeric::NDArray &":$rhs), [{}], [{
        return ::llvm::createStringError(::llvm::inconvertibleErrorCode(),
            "'" + $_op->getName().getStringRef().str() +
            "' combines partials by its algebra, not by products");
      }]>,
  ];
}

def Mars_SinkOpInterface : OpInterface<"SinkOpInterface"> {
  let cppNamespace = "::mars";
  let description = [{
    An op with no result that consumes its operand chunk by chunk (the
    engines stream chunks to it) or whole (the reference evaluator).
  }];
  let methods = [
    InterfaceMethod<"Consumes the whole operand.",
      "::llvm::Error", "consumeWhole",
      (ins "const ::mars::numeric::NDArray &":$value)>,
  ];
}

def Mars_GeneratorOpInterface : OpInterface<"GeneratorOpInterface"> {
  let cppNamespace = "::mars";
  let description = [{
    A creation op whose element at an index is a function of that index and
    the op's attributes alone: fusion copies it into its consumers' kernels
    and kernels compute it in their loops instead of reading memory.
  }];
  let methods = [
    InterfaceMethod<[{
        Whether an element costs a random draw (kernels weigh such work as
        eight cheap steps), rather than a constant.
      }], "bool", "isRandom">,
  ];
}

def Mars_RecomputeOpInterface : OpInterface<"RecomputeOpInterface"> {
  let cppNamespace = "::mars";
  let description = [{
    An op whose result chunk can be computed again from its operands'
    chunks at a known cost. Under memory pressure the local runtime drops
    such a chunk, instead of writing it to disk, when computing it again
    (with whatever it reads, back to creation ops and arguments) costs less
    than the disk's round trip, or when the disk cannot take it; a reader
    then makes it again (docs/Runtime.md, "Recompute instead of spill").
    Ops without it (sorts, gathers, contractions, reductions, scans) are
    always stored.
  }];
  let methods = [
    InterfaceMethod<[{
        The work of computing one element of the result from its operands,
        in cheap elementwise steps (an add or a copy: about half a
        nanosecond per element streamed from memory). A random draw, a
        division or a libm function counts 8, as kernels weigh them
        (kernelCost); a matrix factorisation its flops per result element
        at LAPACK's rate for its shape.
      }], "int64_t", "getRecomputeWork", (ins), [{}],
      [{ return ::mars::detail::elementwiseWork($_op.getOperation()); }]>,
  ];
}

def Mars_SparseBoundOpInterface : OpInterface<"SparseBoundOpInterface"> {
  let cppNamespace = "::mars";
  let description = [{
    An op whose sparse result (`#mars.csr`) stores fewer elements in a
    chunk than the chunk has: the bound a task reserves memory for before
    it makes the chunk (and corrects to the chunk's real size after).
    Without it, a sparse chunk is reserved as if every element were stored.
  }];
  let methods = [
    InterfaceMethod<[{
        The most elements a chunk over `out` of the result stores: exact
        (eye's diagonal), or a bound the count passes with probability
        below 10^-19 (random draws with a density: numeric::binomialBound).
        By default (elementwise ops: a sparse result stores at most what
        its sparse operands store there), the sum of the sparse operands'
        bounds over `out`. An operand's count comes from `known` where the
        caller knows it (the runtime's whole arrays: arguments), else from
        its producer's bound; `known` may be null.
      }], "int64_t", "getStoredBound",
      (ins "const ::mars::tiling::Box &":$out, "::mars::KnownStored":$known),
      [{}], [{
        return ::mars::detail::storedBoundOfOperands($_op.getOperation(), out,
                                                     known);
      }]>,
  ];
}

#endif // MARS_DIALECT_MARS_IR_MARSINTERFACES_TD
