// The seed article's out-of-core linear algebra example at a size that runs
// in a second on the reference engine:
//
//   a = mt.random.rand(500, 500)
//   (a.dot(a.T) - a).std().execute()
//
// Run with: mars-run examples/dot_std.mlir

func.func @main() -> tensor<f64> {
  %a = mars.random_uniform seed = 7, low = 0.0, high = 1.0 : tensor<500x500xf64>
  %at = mars.transpose %a perm = [1, 0] : tensor<500x500xf64> -> tensor<500x500xf64>
  %aat = mars.matmul %a, %at : tensor<500x500xf64>, tensor<500x500xf64> -> tensor<500x500xf64>
  %d = mars.sub %aat, %a : tensor<500x500xf64>
  %s = mars.std %d : tensor<500x500xf64> -> tensor<f64>
  return %s : tensor<f64>
}
