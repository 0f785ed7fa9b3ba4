// Monte Carlo estimate of pi, the seed article's first program:
//
//   N = 10_000_000
//   a = mt.random.uniform(-1, 1, size=(N, 2))
//   print(((mt.sqrt((a ** 2).sum(axis=1)) < 1).sum() * 4 / N).execute())
//
// Run with: mars-run examples/monte_carlo_pi.mlir

func.func @main() -> tensor<f64> {
  %points = mars.random_uniform seed = 2018, low = -1.0, high = 1.0 : tensor<10000000x2xf64>
  %sq = mars.square %points : tensor<10000000x2xf64>
  %r2 = mars.sum %sq axes = [1] : tensor<10000000x2xf64> -> tensor<10000000xf64>
  %r = mars.sqrt %r2 : tensor<10000000xf64>
  %one = mars.full(1.0) : tensor<f64>
  %inside = mars.lt %r, %one : (tensor<10000000xf64>, tensor<f64>) -> tensor<10000000xi1>
  %count = mars.sum %inside : tensor<10000000xi1> -> tensor<i64>
  %countf = mars.cast %count : (tensor<i64>) -> tensor<f64>
  %four = mars.full(4.0) : tensor<f64>
  %scaled = mars.mul %countf, %four : tensor<f64>
  %n = mars.full(10000000.0) : tensor<f64>
  %pi = mars.div %scaled, %n : tensor<f64>
  return %pi : tensor<f64>
}
