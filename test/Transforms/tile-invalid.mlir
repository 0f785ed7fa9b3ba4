// RUN: mars-opt %s -split-input-file -mars-tile -verify-diagnostics

func.func private @callee() -> tensor<2xf64>

func.func @foreign() -> tensor<2xf64> {
  // expected-error @+1 {{cannot tile 'func.call'}}
  %0 = func.call @callee() : () -> tensor<2xf64>
  return %0 : tensor<2xf64>
}

// -----

// expected-error @+1 {{cannot tile argument 0 of type 'f64'}}
func.func @scalar_argument(%x: f64) {
  return
}
