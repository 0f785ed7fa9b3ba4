// The product of trace.mlir, read again after its sum: under a small memory
// limit its chunks are spilled between the two walks and read back.
func.func @main() -> (tensor<f64>, tensor<f64>) {
  %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<1000x1000xf64>
  %b = mars.exp %a : tensor<1000x1000xf64>
  %t = mars.transpose %b perm = [1, 0] : tensor<1000x1000xf64> -> tensor<1000x1000xf64>
  %c = mars.matmul %b, %t : tensor<1000x1000xf64>, tensor<1000x1000xf64> -> tensor<1000x1000xf64>
  %s = mars.sum %c : tensor<1000x1000xf64> -> tensor<f64>
  %sb = mars.broadcast_to %s : tensor<f64> -> tensor<1000x1000xf64>
  %n = mars.div %c, %sb : tensor<1000x1000xf64>
  %m = mars.sum %n : tensor<1000x1000xf64> -> tensor<f64>
  return %s, %m : tensor<f64>, tensor<f64>
}
