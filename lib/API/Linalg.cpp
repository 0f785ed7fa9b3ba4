//===- Linalg.cpp - numpy.linalg's decompositions and solvers -------------===//
//
// numpy's calling conventions over the matrix ops (mars.inv, mars.solve,
// mars.qr, ...): its argument checks (_assert_stacked_2d and _square, as
// LinAlgError), its dtypes (integers compute in float64, float32 computes
// in float64 and is cast back: numpy's _commonType), the broadcasting of
// solve's batch dimensions, and one op per factor a function returns.
//
//===----------------------------------------------------------------------===//

#include "Builder.h"
#include "Complex.h"

#include "mars/Dialect/Mars/IR/Mars.h"

using namespace mlir;
using namespace mars;
using namespace mars::api;
using namespace mars::api::graph;

namespace {

NamedAttribute strAttr(StringRef name, StringRef value) {
  Builder b(&context());
  return b.getNamedAttr(name, b.getStringAttr(value));
}

NamedAttribute unitAttr(StringRef name) {
  Builder b(&context());
  return b.getNamedAttr(name, b.getUnitAttr());
}

NamedAttribute boolAttr(StringRef name, bool value) {
  Builder b(&context());
  return b.getNamedAttr(name, b.getBoolAttr(value));
}

/// numpy's _assert_stacked_2d and, with `square`, _assert_stacked_square.
std::optional<Error> checkStack(const Tensor &a, bool square,
                                const char *label) {
  if (a.ndim() < 2)
    return Error{ErrorKind::LinAlg, label,
                 std::to_string(a.ndim()) +
                     "-dimensional array given. Array must be at least "
                     "two-dimensional"};
  const Shape &s = a.shape();
  if (square && s[s.size() - 2] != s.back())
    return Error{ErrorKind::LinAlg, label,
                 "Last 2 dimensions of the array must be square"};
  if (a.dtype() == DType::F16) // numpy's _commonType, after the checks above
    return Error{ErrorKind::Type, label,
                 "array type float16 is unsupported in linalg"};
  if (numeric::isComplex(a.dtype())) // Cast to float64, it would lose parts.
    return notForComplex(label).error();
  return std::nullopt;
}

/// The dtype numpy returns (float32 for float32, float64 otherwise).
DType linalgType(const Tensor &a) {
  return a.dtype() == DType::F32 ? DType::F32 : DType::F64;
}

/// `a` checked and cast to float64, the type numpy computes in; a failure
/// comes back as a failed tensor.
Tensor operand(const Tensor &a, bool square, const char *label) {
  if (!a.ok())
    return a;
  if (auto err = checkStack(a, square, label))
    return Tensor::failure(*err);
  return castTo(a, DType::F64, label);
}

Shape withCore(const Shape &shape, std::initializer_list<int64_t> core) {
  Shape s(shape.begin(), shape.end() - 2);
  s.insert(s.end(), core);
  return s;
}

/// A node of matrix op `Op` on `inputs`, cast to `dtype`.
template <typename Op>
Tensor matrixNode(const char *label, std::vector<Tensor> inputs,
                  Shape shape, DType dtype,
                  ArrayRef<NamedAttribute> attrs = {}) {
  return castTo(makeNode(label, Op::getOperationName(), std::move(inputs),
                         DType::F64, std::move(shape), attrs),
                dtype, label);
}

/// numpy.linalg.solve and scipy's solve_triangular: `b` as a stack of
/// matrices with `a`'s batch (broadcast), solved by `structure`.
Tensor solveWith(const Tensor &a0, const Tensor &b0, StringRef structure,
                 bool vectorIfOneLess, const char *label,
                 bool checkFinite = false, bool numpyErrors = false) {
  if (!b0.ok())
    return b0;
  Tensor a = operand(a0, /*square=*/true, label);
  if (!a.ok())
    return a;
  if (b0.dtype() == DType::F16)
    return fail(ErrorKind::Type, label,
                "array type float16 is unsupported in linalg");
  if (numeric::isComplex(b0.dtype()))
    return notForComplex(label);
  if (b0.ndim() == 0)
    return fail(ErrorKind::Value, label,
                "solve: Input operand 1 does not have enough dimensions "
                "(has 0, gufunc core with signature (m,m),(m,n)->(m,n) "
                "requires 2)");
  const int64_t n = a.shape().back();
  // numpy: b is a stack of vectors when it has one dimension less than a
  // (scipy's solve_triangular: when it is 1-D).
  const bool vector = vectorIfOneLess ? b0.ndim() == a.ndim() - 1
                                      : b0.ndim() == 1;
  Tensor b = castTo(b0, DType::F64, label);
  if (vector)
    b = api::reshape(b, [&] {
      Shape s = b0.shape();
      s.push_back(1);
      return s;
    }());
  const Shape &sb = b.shape();
  if (sb[sb.size() - 2] != n)
    return fail(ErrorKind::Value, label,
                std::string(vector ? "solve1" : "solve") +
                    ": Input operand 1 has a mismatch in its core dimension "
                    "0, with gufunc signature " +
                    (vector ? "(m,m),(m)->(m)" : "(m,m),(m,n)->(m,n)") +
                    " (size " + std::to_string(sb[sb.size() - 2]) +
                    " is different from " + std::to_string(n) + ")");
  Shape ba(a.shape().begin(), a.shape().end() - 2),
      bb(sb.begin(), sb.end() - 2);
  std::optional<Shape> batch = numeric::broadcastShapes({ba, bb});
  if (!batch)
    return fail(ErrorKind::Value, label,
                "operands could not be broadcast together: batch dimensions " +
                    numeric::formatShape(ba) + " and " +
                    numeric::formatShape(bb));
  const int64_t k = sb.back();
  Shape shapeA = *batch, shapeB = *batch;
  shapeA.insert(shapeA.end(), {n, n});
  shapeB.insert(shapeB.end(), {n, k});
  DType dtype = (a0.dtype() == DType::F32 && b0.dtype() == DType::F32)
                    ? DType::F32
                    : DType::F64;
  SmallVector<NamedAttribute, 2> attrs{strAttr("structure", structure)};
  if (checkFinite)
    attrs.push_back(unitAttr("check_finite"));
  if (numpyErrors)
    attrs.push_back(unitAttr("numpy_errors"));
  Tensor x = matrixNode<SolveOp>(
      label, {api::broadcastTo(a, shapeA), api::broadcastTo(b, shapeB)},
      shapeB, dtype, attrs);
  if (!vector || !x.ok())
    return x;
  return api::reshape(x, Shape(shapeB.begin(), shapeB.end() - 1));
}

} // namespace

Tensor api::linalg::inv(const Tensor &a0) {
  const char *label = "inv";
  Tensor a = operand(a0, /*square=*/true, label);
  if (!a.ok())
    return a;
  return matrixNode<InvOp>(label, {a}, a.shape(), linalgType(a0));
}

Tensor api::linalg::solve(const Tensor &a, const Tensor &b) {
  return solveWith(a, b, "general", /*vectorIfOneLess=*/true, "solve");
}

Tensor api::linalg::solveTriangular(const Tensor &a, const Tensor &b,
                                    bool lower, bool unitDiagonal,
                                    bool checkFinite, bool numpyErrors) {
  std::string structure = lower ? "lower" : "upper";
  if (unitDiagonal)
    structure += "_unit";
  return solveWith(a, b, structure, /*vectorIfOneLess=*/false,
                   "solve_triangular", checkFinite, numpyErrors);
}

Tensor api::linalg::cholesky(const Tensor &a0) {
  const char *label = "cholesky";
  Tensor a = operand(a0, /*square=*/true, label);
  if (!a.ok())
    return a;
  return matrixNode<CholeskyOp>(label, {a}, a.shape(), linalgType(a0));
}

static Tensor detPart(const Tensor &a0, StringRef part, const char *label) {
  Tensor a = operand(a0, /*square=*/true, label);
  if (!a.ok())
    return a;
  return matrixNode<DetOp>(label, {a},
                           Shape(a.shape().begin(), a.shape().end() - 2),
                           linalgType(a0), {strAttr("part", part)});
}

Tensor api::linalg::det(const Tensor &a) { return detPart(a, "det", "det"); }

std::vector<Tensor> api::linalg::slogdet(const Tensor &a) {
  return {detPart(a, "sign", "slogdet"), detPart(a, "logabsdet", "slogdet")};
}

std::vector<Tensor> api::linalg::qr(const Tensor &a0, const std::string &mode,
                                    bool positive) {
  const char *label = "qr";
  if (mode != "reduced" && mode != "complete" && mode != "r" && mode != "wy")
    return {fail(ErrorKind::Value, label,
                 "Unrecognized mode '" + mode +
                     "' (Mars computes 'reduced', 'complete' and 'r')")};
  Tensor a = operand(a0, /*square=*/false, label);
  if (!a.ok())
    return {a};
  const Shape &s = a.shape();
  const int64_t m = s[s.size() - 2], n = s.back();
  const bool complete = mode == "complete";
  if (mode == "wy" && (m < n || positive))
    return {fail(ErrorKind::Value, label,
                 "the compact WY form needs at least as many rows as "
                 "columns, not " + std::to_string(m) + " x " +
                     std::to_string(n) + (positive ? ", nor positive" : ""))};
  const int64_t k = complete ? m : std::min(m, n);
  auto part = [&](StringRef p, Shape shape) {
    SmallVector<NamedAttribute, 3> attrs{strAttr("part", p),
                                          boolAttr("complete", complete)};
    if (positive)
      attrs.push_back(unitAttr("positive"));
    return matrixNode<QrOp>(label, {a}, std::move(shape), linalgType(a0),
                            std::move(attrs));
  };
  if (mode == "wy")
    return {part("wy", withCore(s, {m + n, n}))};
  Tensor r = part("r", withCore(s, {k, n}));
  if (mode == "r")
    return {r};
  return {part("q", withCore(s, {m, k})), r};
}

std::vector<Tensor> api::linalg::svd(const Tensor &a0, bool fullMatrices,
                                     bool computeUV) {
  const char *label = "svd";
  Tensor a = operand(a0, /*square=*/false, label);
  if (!a.ok())
    return {a};
  const Shape &s = a.shape();
  const int64_t m = s[s.size() - 2], n = s.back(), k = std::min(m, n);
  auto part = [&](StringRef p, Shape shape) {
    return matrixNode<SvdOp>(label, {a}, std::move(shape), linalgType(a0),
                             {strAttr("part", p),
                              boolAttr("full_matrices", fullMatrices)});
  };
  Shape values(s.begin(), s.end() - 2);
  values.push_back(k);
  Tensor sv = part("s", values);
  if (!computeUV)
    return {sv};
  return {part("u", withCore(s, {m, fullMatrices ? m : k})), sv,
          part("vh", withCore(s, {fullMatrices ? n : k, n}))};
}

std::vector<Tensor> api::linalg::eigh(const Tensor &a0,
                                      const std::string &uplo, bool vectors) {
  const char *label = vectors ? "eigh" : "eigvalsh";
  if (uplo != "L" && uplo != "U")
    return {fail(ErrorKind::Value, label, "UPLO argument must be 'L' or 'U'")};
  Tensor a = operand(a0, /*square=*/true, label);
  if (!a.ok())
    return {a};
  const Shape &s = a.shape();
  auto part = [&](StringRef p, Shape shape) {
    return matrixNode<EighOp>(label, {a}, std::move(shape), linalgType(a0),
                              {strAttr("part", p),
                               boolAttr("upper", uplo == "U")});
  };
  Tensor w = part("w", Shape(s.begin(), s.end() - 1));
  if (!vectors)
    return {w};
  return {w, part("v", s)};
}

std::vector<Tensor> api::linalg::lu(const Tensor &a0, bool checkFinite) {
  const char *label = "lu";
  Tensor a = operand(a0, /*square=*/false, label);
  if (!a.ok())
    return {a};
  const Shape &s = a.shape();
  const int64_t m = s[s.size() - 2], n = s.back(), k = std::min(m, n);
  auto part = [&](StringRef p, Shape shape) {
    SmallVector<NamedAttribute, 2> attrs{strAttr("part", p)};
    if (checkFinite)
      attrs.push_back(unitAttr("check_finite"));
    if (p == "perm")
      return makeNode(label, LuOp::getOperationName(), {a}, DType::I64,
                      std::move(shape), attrs);
    return matrixNode<LuOp>(label, {a}, std::move(shape), linalgType(a0),
                            attrs);
  };
  return {part("p", withCore(s, {m, m})), part("l", withCore(s, {m, k})),
          part("u", withCore(s, {k, n})), part("perm", withCore(s, {m})),
          part("lu", withCore(s, {m, n})), part("perm_sign", withCore(s, {}))};
}
