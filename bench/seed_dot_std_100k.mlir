// The seed article's out-of-core example at its own size: a is 100000x100000
// f64 (80 GB) in 1000x1000 chunks (10^4 chunks per operand, 10^6 chunk
// products for a.dot(a.T)). Used by bench/tile_scale.sh to show that tiling
// does not grow with the number of chunks.
func.func @main() -> tensor<f64> {
  %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 {mars.chunks = array<i64: 1000, 1000>} : tensor<100000x100000xf64>
  %at = mars.transpose %a perm = [1, 0] : tensor<100000x100000xf64> -> tensor<100000x100000xf64>
  %aat = mars.matmul %a, %at : tensor<100000x100000xf64>, tensor<100000x100000xf64> -> tensor<100000x100000xf64>
  %d = mars.sub %aat, %a : tensor<100000x100000xf64>
  %s = mars.std %d : tensor<100000x100000xf64> -> tensor<f64>
  return %s : tensor<f64>
}
