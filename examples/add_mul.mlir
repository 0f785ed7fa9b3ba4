// The seed article's elementwise benchmark, (a + 1) * 2, on a 1000x2000
// tensor of uniform random numbers:
//
//   a = mt.random.rand(1000, 2000)
//   ((a + 1) * 2).execute()
//
// Run with: mars-run examples/add_mul.mlir

func.func @main() -> tensor<1000x2000xf64> {
  %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<1000x2000xf64>
  %one = mars.full(1.0) : tensor<f64>
  %b = mars.add %a, %one : (tensor<1000x2000xf64>, tensor<f64>) -> tensor<1000x2000xf64>
  %two = mars.full(2.0) : tensor<f64>
  %c = mars.mul %b, %two : (tensor<1000x2000xf64>, tensor<f64>) -> tensor<1000x2000xf64>
  return %c : tensor<1000x2000xf64>
}
