//===- Node.h - A node of the tensor API's graph ----------------*- C++ -*-===//
//
// Private to lib/API. A node is one Mars dialect op, held as its generic
// parts (name, attributes, result type) in the API's MLIR context, with its
// input nodes; or a value (given data, or a result already computed). The
// Session turns the nodes a program needs into a func.func, one op per
// node.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_LIB_API_NODE_H
#define MARS_LIB_API_NODE_H

#include "mars/API/Tensor.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"

namespace mars::api::graph {

struct Node {
  /// The op computing the node; unset for a node created with its value.
  std::optional<mlir::OperationName> op;
  mlir::DictionaryAttr attrs;
  std::vector<std::shared_ptr<Node>> inputs;
  mlir::RankedTensorType type;
  DType dtype = DType::F64;
  Shape shape;
  /// The chunk shape asked for (a mars.chunks attribute); null: automatic.
  mlir::DenseI64ArrayAttr chunks;
  /// The value, once given or computed. A computed node drops its inputs.
  std::shared_ptr<const NDArray> value;
  /// The numpy function that made the node, for messages ("add").
  const char *label = "";
  /// The chunk shape mars-tile derived for an unasked node, with the
  /// tiling options it used (Session::chunkShape): a node's layout
  /// depends only on its history, which never changes.
  std::optional<Shape> derivedChunks;
  std::pair<int64_t, int64_t> derivedFor{-1, -1};

  Node() = default;
  Node(const Node &) = delete;
  Node &operator=(const Node &) = delete;
  /// Frees the inputs no one else holds without recursing: an expression
  /// a million ops deep must not overflow the stack.
  ~Node();
};

/// The context every node's types and attributes live in: one per process,
/// with the Mars and func dialects loaded.
mlir::MLIRContext &context();

/// `sparse`: a sparse matrix (#mars.csr).
mlir::RankedTensorType tensorType(DType dtype, const Shape &shape,
                                  bool sparse = false);

} // namespace mars::api::graph

#endif // MARS_LIB_API_NODE_H
