//===- Passes.td - Mars transformation passes ------------------*- tablegen -*-===//

#ifndef MARS_TRANSFORMS_PASSES_TD
#define MARS_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def MarsTile : Pass<"mars-tile", "::mlir::func::FuncOp"> {
  let summary = "Give every tensor value a chunk layout";
  let description = [{
    Tiles a coarse-grained Mars program into a chunk graph. Every tensor value
    gets a chunk layout (a `mars.chunks` attribute on its defining op or
    function argument); the chunk graph itself is implied by the layouts and
    each op's index maps (`mars/Tiling/ChunkGraph.h`) and is enumerated on
    demand, so the IR does not grow with the number of chunks.

    Layouts given in the input are kept. Otherwise:
    * elementwise results take the layout of an operand of the same shape;
      reductions keep their input's chunks on the kept axes; transpose
      permutes, matmul/tensordot combine the free axes of their operands;
      a concatenate keeps its inputs' chunk shape when they share one, each
      input but the last ends on a chunk boundary and a chunk is at least
      1 MiB (every result chunk is then an input chunk, shared, not copied);
    * anything else is cut into blocks of at most `chunk-bytes` (or of
      `chunk-size` elements per dimension), halving the largest chunk
      dimension until the block fits so blocks stay square-ish, and keeping
      the axes a consumer reduces over whole when they fit;
    * a sparse matrix (`#mars.csr`) without one is cut into blocks of whole
      rows, as many as keep the most a block stores (its producer's
      SparseBoundOpInterface bound, with the `mars.stored` count the front
      end puts on the arguments it reads; the largest over up to 64 sampled
      blocks) within `chunk-bytes`: CSR blocks repeat
      their row pointers, so square blocks of a very sparse wide matrix
      would be millions of chunks storing nothing.

    Where a consumer needs another chunking than its producer has (the
    operands of an elementwise op, the contracted axes of matmul), the pass
    inserts `mars.rechunk`.

    Before:
    ```mlir
    %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<4x6xf64>
    %b = mars.neg %a : tensor<4x6xf64>
    ```
    After `-mars-tile="chunk-size=2"`:
    ```mlir
    %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 {mars.chunks = array<i64: 2, 2>} : tensor<4x6xf64>
    %b = mars.neg %a {mars.chunks = array<i64: 2, 2>} : tensor<4x6xf64>
    ```
  }];
  let options = [
    Option<"chunkBytes", "chunk-bytes", "int64_t", /*default=*/"32 << 20",
           "Largest chunk, in bytes, of an automatically chunked value">,
    Option<"chunkSize", "chunk-size", "int64_t", /*default=*/"0",
           "If positive, chunk every dimension into this many elements "
           "(overrides chunk-bytes)">,
  ];
  let dependentDialects = ["::mars::MarsDialect"];
}

def MarsFuse : Pass<"mars-fuse", "::mlir::func::FuncOp"> {
  let summary = "Group elementwise chains (and the reduction they feed) into mars.fused";
  let description = [{
    Runs after `mars-tile`. Starting from the last op backwards, every
    elementwise op or reduction becomes the root of a group that absorbs its
    producers while they are
    * elementwise ops whose only user is in the group (their chunks line up
      with the consumer's: mars-tile put a rechunk between them otherwise), or
    * cheap creation ops (`full`, `zeros`, `ones`, random ops), which are
      copied into every group that uses them: recomputing them per chunk
      costs less than storing them, or
    * cheap elementwise ops (arithmetic without division, comparisons,
      logic, casts, `where`; no libm) whose users are all group roots over
      the op's own shape: copied into each of their groups, the value is
      never stored (a value with several consumers costs one read of its
      inputs per consumer instead of a write and a read per consumer).
      Nothing expensive is copied: an op reached only through such a copy
      is absorbed only if it is cheap itself, else it is stored once, or
    * short reductions (inner reductions: a sum, prod, min, max, any, all,
      count_nonzero or mean folding at most 8 elements per result element)
      when the group reads each of their result elements once (their
      result has as many elements as the group's iteration space) and
      nothing outside the group reads them. They come with the creation
      ops and the elementwise ops only they read that compute their
      operand; any other value the operand needs is an input of the group,
      read whole along the reduced axes. The kernel loops over the reduced
      axes per element, so neither the operand nor the result is stored.
      An input read by inner reductions must be read by nothing else in the
      group but inner reductions over the same axes of the same shape (one
      region of it serves them); a reduction that would break this stays
      out of the group.
    A group of more than one op becomes a `mars.fused` op with the root's
    layout; the engines then compute the group chunk by chunk, so its
    intermediate values (in Monte Carlo pi: the random points, their
    squares, their sums over the 2 coordinates) never exist as whole
    tensors. Reductions in a group compute their partial results directly
    from the fused chain. A random op (`random_uniform`, `random_normal`,
    `random_integers`) whose result is still read outside the groups (by a
    product, a QR, a slice) becomes a group of its own, so that a compiled
    kernel draws it: about ten times faster than the runtime's loop over
    its elements. Constants stay: their runtime kernels are as fast.

    Then, with `multi-output` (the default), sibling reductions become one
    group with several results (multi-output fusion): reductions (fused
    or not, without inner reductions) that are sums, prods, mins, maxes,
    any, all, count_nonzero or means, reduce operands of one shape and
    layout over the same axes (not an empty extent), read a common input
    of rank > 0 and do not read one another. Their bodies are merged
    (common subexpressions computed once) into one `mars.fused` whose
    engines read the shared inputs once per chunk for all of them.
    `multi-output=false` leaves them apart.

    Before:
    ```mlir
    %p = mars.random_uniform seed = 1, low = -1.0, high = 1.0 {mars.chunks = array<i64: 500, 2>} : tensor<1000x2xf64>
    %sq = mars.square %p {mars.chunks = array<i64: 500, 2>} : tensor<1000x2xf64>
    %s = mars.sum %sq axes = [1] {mars.chunks = array<i64: 500>} : tensor<1000x2xf64> -> tensor<1000xf64>
    %one = mars.full(1.0) {mars.chunks = array<i64>} : tensor<f64>
    %in = mars.lt %s, %one {mars.chunks = array<i64: 500>} : (tensor<1000xf64>, tensor<f64>) -> tensor<1000xi1>
    %n = mars.sum %in {mars.chunks = array<i64>} : tensor<1000xi1> -> tensor<i64>
    ```
    After (`%s` is an inner reduction):
    ```mlir
    %n = mars.fused () {mars.chunks = array<i64>} : () -> tensor<i64> {
      %p = mars.random_uniform seed = 1, low = -1.0, high = 1.0 {mars.chunks = array<i64: 500, 2>} : tensor<1000x2xf64>
      %sq = mars.square %p {mars.chunks = array<i64: 500, 2>} : tensor<1000x2xf64>
      %s = mars.sum %sq axes = [1] {mars.chunks = array<i64: 500>} : tensor<1000x2xf64> -> tensor<1000xf64>
      %one = mars.full(1.0) {mars.chunks = array<i64>} : tensor<f64>
      %in = mars.lt %s, %one {mars.chunks = array<i64: 500>} : (tensor<1000xf64>, tensor<f64>) -> tensor<1000xi1>
      %r = mars.sum %in {mars.chunks = array<i64>} : tensor<1000xi1> -> tensor<i64>
      mars.yield %r : tensor<i64>
    }
    ```
  }];
  let options = [
    Option<"multiOutput", "multi-output", "bool", /*default=*/"true",
           "Merge sibling reductions into one mars.fused with several results">,
  ];
}

def MarsPrintGraph : Pass<"mars-print-graph", "::mlir::func::FuncOp"> {
  let summary = "Draw the program as a Graphviz graph (DOT)";
  let description = [{
    Prints a picture of the function to standard output as a Graphviz
    digraph (render it with `dot -Tsvg`), so people can see what tiling
    and fusion made of their program:

    * by default the op graph: one node per op with its result's dtype and
      shape and, once tiled, its chunk grid and chunk task count; a
      `mars.fused` op is one box holding the ops it computes together;
    * with `chunks`, the chunk graph of a tiled function: one node per
      chunk task inside a box per op, an edge per chunk a task reads, and a
      reduction's steps and combine tree. A graph of more than `max-tasks`
      tasks is drawn per op instead (with its task counts).

    Run it between passes to see each stage:
    `mars-opt prog.mlir -mars-print-graph` (as written),
    `-mars-tile -mars-print-graph` (tiled),
    `-mars-tile -mars-fuse -mars-print-graph` (what runs). `mars-run
    --graph=input|tiled|fused|chunks` prints the same pictures for the
    session's own pipeline, and Python's `Tensor.visualize()` renders them.
  }];
  let options = [
    Option<"chunks", "chunks", "bool", /*default=*/"false",
           "Draw the chunk graph of a tiled function">,
    Option<"fanIn", "fan-in", "int64_t", /*default=*/"4",
           "Partial results combined per node of a combine tree">,
    Option<"maxTasks", "max-tasks", "int64_t", /*default=*/"2000",
           "Draw the chunk graph per op beyond this many tasks">,
  ];
}

def MarsPrintChunkGraph : Pass<"mars-print-chunk-graph", "::mlir::func::FuncOp"> {
  let summary = "Print the chunk graph of tiled IR";
  let description = [{
    Enumerates the chunk graph of a tiled function (see `mars-tile`) and
    prints it to standard output, one line per chunk task, so tests and
    people can see exactly which chunks feed which:

    ```
    %1 = mars.neg: grid [2, 1] of [2, 3]
      [0, 0] <- %0[0, 0]
      [1, 0] <- %0[1, 0]
    %2 = mars.sum: grid [] of []; 2 steps, fan-in 4
      [] step 0 <- %1[0, 0]
      [] step 1 <- %1[1, 0]
      [] combine level 1: {0, 1}
    ```

    `format=dot` prints a Graphviz graph instead, and `format=stats` only
    the number of chunks and tasks per op (computed, not enumerated, so it
    works for graphs of any size).
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"text\"",
           "text, dot or stats">,
    Option<"fanIn", "fan-in", "int64_t", /*default=*/"4",
           "Partial results combined per node of a combine tree">,
    Option<"maxTasks", "max-tasks", "int64_t", /*default=*/"100000",
           "Refuse to enumerate (text, dot) graphs with more tasks">,
  ];
}

def MarsOutlineKernels : Pass<"mars-outline-kernels", "::mlir::ModuleOp"> {
  let summary = "Add the loop-level chunk kernel of every compiled op to the module";
  let description = [{
    Runs after `mars-tile` and `mars-fuse`. For every op the compiled engine
    runs with a generated kernel (`mars.fused`, a lone elementwise op, a
    reduction; see `mars/Conversion/ChunkKernel.h`), adds the kernel as a
    `func.func` over scf/arith/llvm to the module and names it on the op
    with a `mars.kernel` attribute. This is the code `mars-run
    --engine=compiled` lowers to native code (`mars-run --emit=mlir` prints
    the same, canonicalised); here it is open to any upstream pass, e.g.
    `-convert-scf-to-openmp`. A var or std partial takes two kernels (the
    sum, then the squared deviations from the chunk's mean): the second is
    `@<kernel>_deviations`. The other kernels of a multi-output group are
    `@<kernel>_root<I>`, and the map kernel a fused reduction's input takes
    when the runtime computes its partial is `@<kernel>_input<I>`: the list
    the chunk runtime launches (`codegen::kernelsOf`).

    ```mlir
    %r = mars.fused (%a) {mars.chunks = ..., mars.kernel = @main_kernel0} : ...
    func.func @main_kernel0(%ptrs: !llvm.ptr, %meta: !llvm.ptr) {
      ... scf.if %threaded { scf.parallel ... } else { scf.for ... } ...
    }
    ```

    With `parallel`, each parallel loop has a serial twin chosen by the
    launch's `threaded` meta word (after the output's strides,
    `KernelABI::threaded`): callers pass it, 0 to stay on the calling
    thread.
  }];
  let options = [
    Option<"parallel", "parallel", "bool", /*default=*/"true",
           "Let kernels split a chunk over threads (scf.parallel), when "
           "a launch's threaded word asks">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
  ];
}

#endif // MARS_TRANSFORMS_PASSES_TD
