//===- Elementwise.cpp - Chunk rules of elementwise ops -------------------===//
//
// Every elementwise op (ElementwiseOpInterface) follows numpy broadcasting:
// a result region reads each operand's broadcast region, the result is
// chunked like its operand of the same shape, and every operand is chunked
// like the result along the dimensions it does not broadcast.
//
//===----------------------------------------------------------------------===//

#include "mars/Dialect/Mars/IR/ChunkRules.h"
#include "mars/Dialect/Mars/IR/Mars.h"
#include "mars/Numeric/Sparse.h"
#include "mars/Support/Error.h"

#include <cmath>

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mars;
using namespace mars::tiling;
using llvm::Expected;
using numeric::NDArray;

Shape mars::detail::valueShape(Value v) {
  ArrayRef<int64_t> s = cast<RankedTensorType>(v.getType()).getShape();
  return Shape(s.begin(), s.end());
}

numeric::DType mars::detail::valueDType(Value v) {
  return toDType(cast<RankedTensorType>(v.getType()).getElementType());
}

std::optional<Box> mars::detail::elementwiseOperandRegion(Operation *op, unsigned i,
                                                    const Box &out) {
  return broadcastRegion(
      cast<RankedTensorType>(op->getOperand(i).getType()).getShape(), out);
}

std::optional<Shape>
mars::detail::elementwiseResultChunk(Operation *op, ArrayRef<Layout> operands) {
  ArrayRef<int64_t> shape =
      cast<RankedTensorType>(op->getResult(0).getType()).getShape();
  for (const Layout &in : operands)
    if (ArrayRef<int64_t>(in.shape()) == shape)
      return in.chunk();
  return std::nullopt;
}

SmallVector<Shape>
mars::detail::elementwiseOperandChunks(const Layout &result,
                                 ArrayRef<Layout> operands) {
  SmallVector<Shape> want;
  for (const Layout &in : operands) {
    int64_t lead = result.rank() - in.rank();
    Shape chunk = in.chunk();
    for (int64_t d = 0; d < in.rank(); ++d)
      if (in.shape()[d] != 1)
        chunk[d] = result.chunk()[lead + d];
    want.push_back(std::move(chunk));
  }
  return want;
}

bool mars::detail::zeroWhereAnyOperandIsZero(OperationName name) {
  StringRef n = name.getStringRef();
  return n == MulOp::getOperationName() ||
         n == LogicalAndOp::getOperationName();
}

/// An elementwise op with sparse operands (of one shape; the others are
/// numbers): its rule over the stored elements, once it is seen to map
/// zeros to zero. One sparse operand: the result has its rows and columns
/// (explicit zeros included, as scipy's operations with a number); dense
/// arrays next to it (zeroWhereAnyOperandIsZero ops only) are read at its
/// stored elements, as scipy's multiply reads them. Several: the rule runs
/// over the union of their elements, each operand's value or zero, and zero
/// results are not stored (scipy's sparse-with-sparse operations).
static Expected<NDArray> applyToStored(Operation *op,
                                       ArrayRef<const NDArray *> args) {
  SmallVector<unsigned> sparse, arrays;
  for (auto [i, a] : llvm::enumerate(args))
    if (a->isSparse())
      sparse.push_back(i);
    else if (a->rank() != 0)
      arrays.push_back(i);
  SmallVector<const NDArray *> with(args.begin(), args.end());
  if (!arrays.empty()) {
    // The verifier allows arrays only here: the result is zero wherever the
    // sparse operand is, so it has that operand's structure.
    assert(sparse.size() == 1 &&
           mars::detail::zeroWhereAnyOperandIsZero(op->getName()) &&
           "dense arrays combine with one sparse operand in mul only");
    const NDArray &structure = *args[sparse[0]];
    SmallVector<NDArray> gathered;
    gathered.reserve(arrays.size());
    for (unsigned i : arrays) {
      gathered.push_back(numeric::csrGather(structure, *args[i]));
      with[i] = &gathered.back();
    }
    NDArray values = numeric::csrValues(structure);
    with[sparse[0]] = &values;
    Expected<NDArray> mapped = mars::detail::applyElementwise(op, with);
    if (!mapped)
      return mapped.takeError();
    return numeric::csrWithValues(structure, *mapped);
  }
  SmallVector<NDArray> zeros;
  zeros.reserve(sparse.size());
  for (unsigned i : sparse) {
    zeros.emplace_back(args[i]->dtype(), numeric::Shape{});
    with[i] = &zeros.back();
  }
  Expected<NDArray> atZero = mars::detail::applyElementwise(op, with);
  if (!atZero)
    return atZero.takeError();
  // The function the user called where the front end named the op
  // ("add"), else the op ("mars.add").
  StringRef name = op->getName().getStringRef();
  if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
    name = loc.getName().getValue();
  if (atZero->getDouble(0) != 0 || std::isnan(atZero->getDouble(0)))
    return makeError("'" + name +
                     "' of a sparse matrix would make its zeros nonzero "
                     "(the result would be dense): convert with todense() "
                     "first");
  if (sparse.size() == 1) {
    NDArray values = numeric::csrValues(*args[sparse[0]]);
    with[sparse[0]] = &values;
    Expected<NDArray> mapped = mars::detail::applyElementwise(op, with);
    if (!mapped)
      return mapped.takeError();
    NDArray result = numeric::csrWithValues(*args[sparse[0]], *mapped);
    // scipy keeps the structure through arithmetic with a number, maxima,
    // minima and unary functions, but compares through its binop, which
    // stores no False results (scipy 1.10).
    if (isa<BinaryOpInterface>(op) && result.dtype() == numeric::DType::Bool)
      return numeric::csrDropZeros(result);
    return result;
  }
  SmallVector<const NDArray *> operands;
  for (unsigned i : sparse)
    operands.push_back(args[i]);
  NDArray structure = numeric::csrUnion(operands);
  SmallVector<NDArray> values;
  values.reserve(sparse.size());
  for (unsigned i : sparse) {
    values.push_back(numeric::csrValuesOn(structure, *args[i]));
    with[i] = &values.back();
  }
  Expected<NDArray> mapped = mars::detail::applyElementwise(op, with);
  if (!mapped)
    return mapped.takeError();
  return numeric::csrDropZeros(numeric::csrWithValues(structure, *mapped));
}

Expected<NDArray> mars::detail::applyElementwise(Operation *op,
                                           ArrayRef<const NDArray *> args) {
  if (llvm::any_of(args, [](const NDArray *a) { return a->isSparse(); }))
    return applyToStored(op, args);
  numeric::DType dtype =
      toDType(cast<RankedTensorType>(op->getResult(0).getType())
                  .getElementType());
  if (auto unary = dyn_cast<UnaryOpInterface>(op))
    return numeric::unary(unary.getUnaryFn(), *args[0], dtype);
  if (auto binary = dyn_cast<BinaryOpInterface>(op))
    return numeric::binary(binary.getBinaryFn(), *args[0], *args[1], dtype);
  return llvm::TypeSwitch<Operation *, Expected<NDArray>>(op)
      .Case([&](CastOp) { return numeric::cast(*args[0], dtype); })
      .Case([&](WhereOp) {
        return numeric::where(*args[0], *args[1], *args[2]);
      })
      .Default([&](Operation *other) -> Expected<NDArray> {
        // An elementwise op outside the unary and binary families states
        // its scalar rule here.
        return makeError("no elementwise rule for '" +
                         other->getName().getStringRef() + "'");
      });
}

Expected<NDArray> mars::detail::elementwiseBox(Operation *op,
                                         ArrayRef<BoxOperand> operands,
                                         const Box &out) {
  unsigned n = op->getNumOperands();
  SmallVector<NDArray> storage(n);
  SmallVector<const NDArray *> args;
  for (unsigned i = 0; i < n; ++i)
    args.push_back(&operands[i].crop(*elementwiseOperandRegion(op, i, out),
                                     storage[i]));
  return applyElementwise(op, args);
}

//===----------------------------------------------------------------------===//
// Sparse results
//===----------------------------------------------------------------------===//

int64_t mars::detail::storedBoundOf(Value v, const Box &region,
                                    KnownStored known) {
  // A query walks back through the producers and remembers nothing, so a
  // program that feeds a value to one op twice through different paths
  // (a = a + a.T, level after level) would double the walk at every level.
  // Past a fixed number of steps per query (a call from outside a walk:
  // the runtime and mars-tile ask through here for the value itself) the
  // rest count every element: still a bound, found in bounded time. What
  // `known` answers counts as a step too.
  struct Walk {
    int depth = 0;
    int64_t steps = 0;
  };
  static thread_local Walk walk;
  constexpr int64_t kStepsPerQuery = 4096;
  if (walk.depth == 0)
    walk.steps = 0;
  if (++walk.steps > kStepsPerQuery)
    return region.numElements();
  if (known)
    if (std::optional<int64_t> count = known(v, region))
      return *count;
  auto bound = v.getDefiningOp<SparseBoundOpInterface>();
  if (!bound)
    return region.numElements();
  ++walk.depth;
  int64_t result = bound.getStoredBound(region, known);
  --walk.depth;
  return result;
}

int64_t mars::detail::storedBoundOfOperands(Operation *op, const Box &out,
                                            KnownStored known) {
  const int64_t size = out.numElements();
  int64_t total = 0;
  // An operand used twice (x * x) stores its elements once; skipping it
  // also keeps the recursion through reused values linear.
  llvm::SmallVector<Value, 4> seen;
  for (Value v : op->getOperands()) {
    if (!isCsr(v.getType()) || llvm::is_contained(seen, v))
      continue;
    seen.push_back(v);
    total += mars::detail::storedBoundOf(v, out, known);
    if (total >= size)
      return size;
  }
  return total;
}

int64_t mars::detail::storedBoundOfRegions(Operation *op, const Box &out,
                                           KnownStored known) {
  const int64_t size = out.numElements();
  SmallVector<std::optional<Box>> regions =
      cast<ChunkOpInterface>(op).getOperandRegions(out);
  // A value joined k times (vstack([x, x])) counts k times its bound over
  // the box around its regions: never less than what it gives, and one
  // query per distinct value keeps the recursion through programs that
  // join a value with itself level after level linear, not exponential.
  llvm::SmallMapVector<Value, std::pair<Box, int64_t>, 4> reads;
  for (auto [v, region] : llvm::zip(op->getOperands(), regions)) {
    if (!region || !isCsr(v.getType()))
      continue;
    auto [it, fresh] = reads.insert({v, {*region, 1}});
    if (fresh)
      continue;
    Box &around = it->second.first;
    for (size_t d = 0; d < around.lo.size(); ++d) {
      around.lo[d] = std::min(around.lo[d], region->lo[d]);
      around.hi[d] = std::max(around.hi[d], region->hi[d]);
    }
    ++it->second.second;
  }
  int64_t total = 0;
  for (auto &[v, read] : reads) {
    const auto &[around, times] = read;
    const int64_t each = mars::detail::storedBoundOf(v, around, known);
    if (each > 0 && times > (size - total) / each)
      return size;
    total += times * each;
  }
  return std::min(total, size);
}
