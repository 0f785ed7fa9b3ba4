// RUN: mars-opt %s -split-input-file -verify-diagnostics

// Every verifier and parser diagnostic of the Mars dialect.

func.func @no_broadcast(%a: tensor<3xf64>, %b: tensor<4xf64>) {
  // expected-error @+1 {{'mars.add' op operand shapes [3] [4] do not broadcast}}
  %0 = mars.add %a, %b : (tensor<3xf64>, tensor<4xf64>) -> tensor<4xf64>
  return
}

// -----

func.func @wrong_broadcast_result(%a: tensor<3x1xf64>, %b: tensor<4xf64>) {
  // expected-error @+1 {{'mars.mul' op result shape [3, 1] does not match the expected [3, 4]}}
  %0 = mars.mul %a, %b : (tensor<3x1xf64>, tensor<4xf64>) -> tensor<3x1xf64>
  return
}

// -----

func.func @mixed_element_types(%a: tensor<3xf64>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'mars.sub' op operands must have one element type (insert mars.cast to convert), got 'f64' and 'f32'}}
  %0 = mars.sub %a, %b : (tensor<3xf64>, tensor<3xf32>) -> tensor<3xf64>
  return
}

// -----

func.func @predicate_result(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.lt' op result element type must be 'i1', got 'f64'}}
  %0 = mars.lt %a, %a : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  return
}

// -----

func.func @float_only(%a: tensor<3xi32>) {
  // expected-error @+1 {{'mars.sqrt' op operand #0 must be statically shaped dense tensor of 32-bit float or 64-bit float values}}
  %0 = mars.sqrt %a : tensor<3xi32>
  return
}

// -----

func.func @float_only_libm(%a: tensor<3xi64>) {
  // expected-error @+1 {{'mars.arccosh' op operand #0 must be statically shaped dense tensor of 32-bit float or 64-bit float values}}
  %0 = mars.arccosh %a : tensor<3xi64>
  return
}

// -----

func.func @hypot_of_floats(%a: tensor<3xi64>) {
  // expected-error @+1 {{'mars.hypot' op operand #0 must be statically shaped dense tensor of 32-bit float or 64-bit float values}}
  %0 = mars.hypot %a, %a : tensor<3xi64>
  return
}

// -----

func.func @signbit_of_floats(%a: tensor<3xi32>) {
  // expected-error @+1 {{'mars.signbit' op operand #0 must be statically shaped dense tensor of 32-bit float or 64-bit float values}}
  %0 = mars.signbit %a : (tensor<3xi32>) -> tensor<3xi1>
  return
}

// -----

func.func @no_bool_arithmetic(%a: tensor<3xi1>) {
  // expected-error @+1 {{'mars.add' op operand #0 must be statically shaped dense tensor of}}
  %0 = mars.add %a, %a : tensor<3xi1>
  return
}

// -----

// float16 is a storage type: ops that compute take float32 (cast first).
func.func @no_float16_arithmetic(%a: tensor<3xf16>) {
  // expected-error @+1 {{'mars.add' op operand #0 must be statically shaped dense tensor of 32-bit float or 64-bit float or 8-bit signless integer}}
  %0 = mars.add %a, %a : tensor<3xf16>
  return
}

// -----

func.func @no_float16_sum(%a: tensor<3xf16>) {
  // expected-error @+1 {{'mars.sum' op operand #0 must be statically shaped dense tensor of}}
  %0 = mars.sum %a axes = [0] : tensor<3xf16> -> tensor<f16>
  return
}

// -----

func.func @no_float16_sparse(%a: tensor<3x3xf16>) {
  // expected-error @+1 {{'mars.cast' op result #0 must be}}
  %0 = mars.cast %a : (tensor<3x3xf16>) -> tensor<3x3xf16, #mars.csr>
  return
}

// -----

func.func @dynamic_shape(%a: tensor<?xf64>) {
  // expected-error @+1 {{'mars.neg' op operand #0 must be statically shaped dense tensor}}
  %0 = mars.neg %a : tensor<?xf64>
  return
}

// -----

func.func @where_condition(%c: tensor<3xf64>, %a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.where' op operand #0 must be statically shaped dense tensor of 1-bit signless integer values}}
  %0 = mars.where %c, %a, %a : tensor<3xf64>
  return
}

// -----

func.func @where_branches(%c: tensor<3xi1>, %a: tensor<3xf64>, %b: tensor<3xi64>) {
  // expected-error @+1 {{'mars.where' op operands must have one element type (insert mars.cast to convert), got 'f64' and 'i64'}}
  %0 = mars.where %c, %a, %b : (tensor<3xi1>, tensor<3xf64>, tensor<3xi64>) -> tensor<3xf64>
  return
}

// -----

func.func @two_results(%a: tensor<3xf64>) {
  // expected-error @+1 {{expected exactly one result type}}
  %0 = mars.neg %a : (tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>)
  return
}

// -----

func.func @not_a_tensor(%a: tensor<3xf64>) {
  // expected-error @+1 {{expected a ranked tensor type or a function type '(operands) -> result'}}
  %0 = mars.neg %a : f64
  return
}

// -----

func.func @operand_count(%a: tensor<3xf64>) {
  // expected-error @+1 {{2 operands present, but expected 1}}
  %0 = mars.add %a, %a : (tensor<3xf64>) -> tensor<3xf64>
  return
}

// -----

func.func @axis_out_of_bounds(%a: tensor<3x4xf64>) {
  // expected-error @+1 {{'mars.sum' op axis 2 is out of bounds for rank 2}}
  %0 = mars.sum %a axes = [2] : tensor<3x4xf64> -> tensor<3xf64>
  return
}

// -----

func.func @axis_repeated(%a: tensor<3x4xf64>) {
  // expected-error @+1 {{'mars.max' op axis -1 is repeated}}
  %0 = mars.max %a axes = [1, -1] : tensor<3x4xf64> -> tensor<3xf64>
  return
}

// -----

func.func @reduction_shape(%a: tensor<3x4xf64>) {
  // expected-error @+1 {{'mars.mean' op result shape [3] does not match the expected [3, 1]}}
  %0 = mars.mean %a axes = [1] keepdims : tensor<3x4xf64> -> tensor<3xf64>
  return
}

// -----

func.func @sum_dtype(%a: tensor<3xi32>) {
  // expected-error @+1 {{'mars.sum' op result element type must be 'i64', got 'i32'}}
  %0 = mars.sum %a : tensor<3xi32> -> tensor<i32>
  return
}

// -----

func.func @mean_dtype(%a: tensor<3xi64>) {
  // expected-error @+1 {{'mars.std' op result element type must be 'f64', got 'i64'}}
  %0 = mars.std %a : tensor<3xi64> -> tensor<i64>
  return
}

// -----

func.func @negative_ddof(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.var' op ddof must be non-negative, got -1}}
  %0 = mars.var %a ddof = -1 : tensor<3xf64> -> tensor<f64>
  return
}

// -----

func.func @argmax_axis(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.argmax' op axis 1 is out of bounds for rank 1}}
  %0 = mars.argmax %a axis = 1 : tensor<3xf64> -> tensor<i64>
  return
}

// -----

func.func @argmin_result(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.argmin' op result #0 must be statically shaped dense tensor of 64-bit signless integer values}}
  %0 = mars.argmin %a : tensor<3xf64> -> tensor<i32>
  return
}

// -----

func.func @constant_resource() {
  // expected-error @+1 {{'mars.constant' op value must be a dense elements attribute}}
  %0 = mars.constant dense_resource<blob> : tensor<2xf64>
  return
}

// -----

func.func @full_generic() {
  // expected-error @+1 {{'mars.full' op value 1 : i32 must be a scalar of the result element type 'f64'}}
  %0 = "mars.full"() {value = 1 : i32} : () -> tensor<2xf64>
  return
}

// -----

func.func @full_not_integral() {
  // expected-error @+1 {{value 2.500000e+00 : f64 is not representable in 'i32'}}
  %0 = mars.full(2.5) : tensor<2xi32>
  return
}

// -----

func.func @full_out_of_range() {
  // expected-error @+1 {{value 4294967296 : i64 is not representable in 'i32'}}
  %0 = mars.full(4294967296) : tensor<2xi32>
  return
}

// -----

func.func @full_unsigned_negative() {
  // expected-error @+1 {{value -1 : i64 is not representable in 'ui8'}}
  %0 = mars.full(-1) : tensor<2xui8>
  return
}

// -----

func.func @full_unsigned_too_large() {
  // expected-error @+1 {{value 256 : i64 is not representable in 'ui8'}}
  %0 = mars.full(256) : tensor<2xui8>
  return
}

// -----

func.func @random_integers_unsigned_negative() {
  // expected-error @+1 {{'mars.random_integers' op range [-1, 5) does not fit in 'ui8'}}
  %0 = mars.random_integers seed = 1, low = -1, high = 5 : tensor<2xui8>
  return
}

// -----

func.func @sqrt_of_unsigned(%x: tensor<2xui8>) {
  // expected-error @+1 {{'mars.sqrt' op operand #0 must be statically shaped dense tensor of 32-bit float or 64-bit float values or 2-D tensor in compressed sparse rows (#mars.csr) of 32-bit float or 64-bit float values, but got 'tensor<2xui8>'}}
  %0 = mars.sqrt %x : tensor<2xui8>
  return
}

// -----

func.func @arange_rank() {
  // expected-error @+1 {{'mars.arange' op result must be 1-D, got rank 2}}
  %0 = mars.arange start = 0.0, step = 1.0 : tensor<2x2xf64>
  return
}

// -----

func.func @arange_integral() {
  // expected-error @+1 {{'mars.arange' op integer results need integral start and step}}
  %0 = mars.arange start = 0.0, step = 0.5 : tensor<4xi64>
  return
}

// -----

func.func @linspace_rank() {
  // expected-error @+1 {{'mars.linspace' op result must be 1-D, got rank 0}}
  %0 = mars.linspace start = 0.0, stop = 1.0 : tensor<f64>
  return
}

// -----

func.func @eye_rank() {
  // expected-error @+1 {{'mars.eye' op result must be 2-D, got rank 1}}
  %0 = mars.eye : tensor<3xf64>
  return
}

// -----

func.func @uniform_bounds() {
  // expected-error @+1 {{'mars.random_uniform' op bounds must be finite with a finite range}}
  %0 = mars.random_uniform seed = 1, low = -1.0e308, high = 1.0e308 : tensor<3xf64>
  return
}

// -----

func.func @uniform_integer() {
  // expected-error @+1 {{'mars.random_uniform' op result #0 must be statically shaped dense tensor of 32-bit float or 64-bit float values}}
  %0 = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<3xi64>
  return
}

// -----

func.func @normal_scale() {
  // expected-error @+1 {{'mars.random_normal' op scale must be non-negative, got -1}}
  %0 = mars.random_normal seed = 1, loc = 0.0, scale = -1.0 : tensor<3xf64>
  return
}

// -----

func.func @integers_empty_range() {
  // expected-error @+1 {{'mars.random_integers' op low (5) must be less than high (5)}}
  %0 = mars.random_integers seed = 1, low = 5, high = 5 : tensor<3xi64>
  return
}

// -----

func.func @integers_i32_range() {
  // expected-error @+1 {{'mars.random_integers' op range [0, 4294967296) does not fit in 'i32'}}
  %0 = mars.random_integers seed = 1, low = 0, high = 4294967296 : tensor<3xi32>
  return
}

// -----

func.func @perm_length(%a: tensor<2x3xf64>) {
  // expected-error @+1 {{'mars.transpose' op perm has 1 entries for rank 2}}
  %0 = mars.transpose %a perm = [0] : tensor<2x3xf64> -> tensor<2xf64>
  return
}

// -----

func.func @perm_not_permutation(%a: tensor<2x3xf64>) {
  // expected-error @+1 {{'mars.transpose' op perm [0, 0] is not a permutation of the axes}}
  %0 = mars.transpose %a perm = [0, 0] : tensor<2x3xf64> -> tensor<2x2xf64>
  return
}

// -----

func.func @transpose_shape(%a: tensor<2x3xf64>) {
  // expected-error @+1 {{'mars.transpose' op result shape [2, 3] does not match the expected [3, 2]}}
  %0 = mars.transpose %a perm = [1, 0] : tensor<2x3xf64> -> tensor<2x3xf64>
  return
}

// -----

func.func @reshape_count(%a: tensor<2x3xf64>) {
  // expected-error @+1 {{'mars.reshape' op cannot reshape 6 elements into shape [4]}}
  %0 = mars.reshape %a : tensor<2x3xf64> -> tensor<4xf64>
  return
}

// -----

func.func @reshape_type(%a: tensor<2x3xf64>) {
  // expected-error @+1 {{'mars.reshape' op result element type must be 'f64', got 'f32'}}
  %0 = mars.reshape %a : tensor<2x3xf64> -> tensor<6xf32>
  return
}

// -----

func.func @broadcast_to(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.broadcast_to' op cannot broadcast shape [3] to [4]}}
  %0 = mars.broadcast_to %a : tensor<3xf64> -> tensor<4xf64>
  return
}

// -----

func.func @expand_dims_axis(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.expand_dims' op axis 2 is out of bounds for result rank 2}}
  %0 = mars.expand_dims %a axes = [2] : tensor<3xf64> -> tensor<3x1xf64>
  return
}

// -----

func.func @expand_dims_repeated(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.expand_dims' op axis -3 is repeated}}
  %0 = mars.expand_dims %a axes = [0, -3] : tensor<3xf64> -> tensor<1x1x3xf64>
  return
}

// -----

func.func @flip_axis(%a: tensor<2x3xf64>) {
  // expected-error @+1 {{'mars.flip' op axis -3 is out of bounds for rank 2}}
  %0 = mars.flip %a axes = [-3] : tensor<2x3xf64> -> tensor<2x3xf64>
  return
}

// -----

func.func @flip_repeated(%a: tensor<2x3xf64>) {
  // expected-error @+1 {{'mars.flip' op axis -1 is repeated}}
  %0 = mars.flip %a axes = [1, -1] : tensor<2x3xf64> -> tensor<2x3xf64>
  return
}

// -----

func.func @flip_shape(%a: tensor<2x3xf64>) {
  // expected-error @+1 {{'mars.flip' op}}
  %0 = mars.flip %a axes = [0] : tensor<2x3xf64> -> tensor<3x2xf64>
  return
}

// -----

func.func @cumsum_axis(%a: tensor<2x3xf64>) {
  // expected-error @+1 {{'mars.cumsum' op axis 2 is out of bounds for rank 2}}
  %0 = mars.cumsum %a axis = 2 : tensor<2x3xf64> -> tensor<2x3xf64>
  return
}

// -----

func.func @cumsum_rank0(%a: tensor<f64>) {
  // expected-error @+1 {{'mars.cumsum' op scans a tensor of rank 1 or more}}
  %0 = mars.cumsum %a axis = 0 : tensor<f64> -> tensor<f64>
  return
}

// -----

func.func @cumprod_dtype(%a: tensor<3xi32>) {
  // expected-error @+1 {{'mars.cumprod' op}}
  %0 = mars.cumprod %a axis = 0 : tensor<3xi32> -> tensor<3xi32>
  return
}

// -----

func.func @nancumsum_shape(%a: tensor<3xf32>) {
  // expected-error @+1 {{'mars.nancumsum' op}}
  %0 = mars.nancumsum %a axis = 0 : tensor<3xf32> -> tensor<4xf32>
  return
}

// -----

func.func @bitwise_and_float(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.bitwise_and' op operand #0 must be}}
  %0 = mars.bitwise_and %a, %a : tensor<3xf64>
  return
}

// -----

func.func @gcd_float(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.gcd' op operand #0 must be}}
  %0 = mars.gcd %a, %a : tensor<3xf64>
  return
}

// -----

func.func @lcm_bool(%a: tensor<3xi1>) {
  // expected-error @+1 {{'mars.lcm' op operand #0 must be}}
  %0 = mars.lcm %a, %a : tensor<3xi1>
  return
}

// -----

func.func @ldexp_integer(%a: tensor<3xi64>) {
  // expected-error @+1 {{'mars.ldexp' op operand #0 must be}}
  %0 = mars.ldexp %a, %a : tensor<3xi64>
  return
}

// -----

func.func @invert_bool(%a: tensor<3xi1>) {
  // expected-error @+1 {{'mars.invert' op operand #0 must be}}
  %0 = mars.invert %a : tensor<3xi1>
  return
}

// -----

func.func @erf_int(%a: tensor<3xi32>) {
  // expected-error @+1 {{'mars.erf' op operand #0 must be}}
  %0 = mars.erf %a : tensor<3xi32>
  return
}

// -----

func.func @arctan2_int(%a: tensor<3xi64>) {
  // expected-error @+1 {{'mars.arctan2' op operand #0 must be}}
  %0 = mars.arctan2 %a, %a : tensor<3xi64>
  return
}

// -----

func.func @nansum_type(%a: tensor<3xi32>) {
  // expected-error @+1 {{'mars.nansum' op}}
  %0 = mars.nansum %a : tensor<3xi32> -> tensor<i32>
  return
}

// -----

func.func @squeeze_size(%a: tensor<1x3xf64>) {
  // expected-error @+1 {{'mars.squeeze' op cannot squeeze axis 1 of size 3}}
  %0 = mars.squeeze %a axes = [1] : tensor<1x3xf64> -> tensor<1xf64>
  return
}

// -----

func.func @squeeze_axis(%a: tensor<1x3xf64>) {
  // expected-error @+1 {{'mars.squeeze' op axis 2 is out of bounds for rank 2}}
  %0 = mars.squeeze %a axes = [2] : tensor<1x3xf64> -> tensor<1x3xf64>
  return
}

// -----

func.func @squeeze_repeated(%a: tensor<1x3xf64>) {
  // expected-error @+1 {{'mars.squeeze' op axis -2 is repeated}}
  %0 = mars.squeeze %a axes = [0, -2] : tensor<1x3xf64> -> tensor<3xf64>
  return
}

// -----

func.func @slice_step(%a: tensor<5xf64>) {
  // expected-error @+1 {{'mars.slice' op slice step cannot be zero}}
  %0 = mars.slice %a [::0] : tensor<5xf64> -> tensor<5xf64>
  return
}

// -----

func.func @slice_rank(%a: tensor<5xf64>) {
  // expected-error @+1 {{'mars.slice' op too many indices: 2 slices for rank 1}}
  %0 = mars.slice %a [:, :] : tensor<5xf64> -> tensor<5xf64>
  return
}

// -----

func.func @slice_shape(%a: tensor<5xf64>) {
  // expected-error @+1 {{'mars.slice' op result shape [5] does not match the expected [2]}}
  %0 = mars.slice %a [1:4:2] : tensor<5xf64> -> tensor<5xf64>
  return
}

// -----

func.func @slice_lengths(%a: tensor<5xf64>) {
  // expected-error @+1 {{'mars.slice' op starts, stops and steps must have the same length}}
  %0 = "mars.slice"(%a) {starts = array<i64: 0>, stops = array<i64>, steps = array<i64: 1>} : (tensor<5xf64>) -> tensor<5xf64>
  return
}

// -----

func.func @slice_empty(%a: tensor<5xf64>) {
  // expected-error @+1 {{'mars.slice' op expected at least one slice dimension}}
  %0 = "mars.slice"(%a) {starts = array<i64>, stops = array<i64>, steps = array<i64>} : (tensor<5xf64>) -> tensor<5xf64>
  return
}

// -----

func.func @slice_syntax(%a: tensor<5xf64>) {
  // expected-error @+1 {{expected ':'}}
  %0 = mars.slice %a [1] : tensor<5xf64> -> tensor<1xf64>
  return
}

// -----

func.func @concatenate_none() {
  // expected-error @+1 {{'mars.concatenate' op needs at least one input}}
  %0 = "mars.concatenate"() {axis = 0 : i64} : () -> tensor<1xf64>
  return
}

// -----

func.func @concatenate_scalars(%a: tensor<f64>) {
  // expected-error @+1 {{'mars.concatenate' op zero-dimensional tensors cannot be concatenated}}
  %0 = mars.concatenate %a, %a axis = 0 : tensor<f64>, tensor<f64> -> tensor<2xf64>
  return
}

// -----

func.func @concatenate_axis(%a: tensor<2x3xf64>) {
  // expected-error @+1 {{'mars.concatenate' op axis 2 is out of bounds for rank 2}}
  %0 = mars.concatenate %a, %a axis = 2 : tensor<2x3xf64>, tensor<2x3xf64> -> tensor<4x3xf64>
  return
}

// -----

func.func @concatenate_types(%a: tensor<2xf64>, %b: tensor<2xf32>) {
  // expected-error @+1 {{'mars.concatenate' op inputs must have one element type, got 'f64' and 'f32'}}
  %0 = mars.concatenate %a, %b axis = 0 : tensor<2xf64>, tensor<2xf32> -> tensor<4xf64>
  return
}

// -----

func.func @concatenate_shapes(%a: tensor<2x3xf64>, %b: tensor<2x4xf64>) {
  // expected-error @+1 {{'mars.concatenate' op input 1 has shape [2, 4], incompatible with [2, 3] outside the concatenation axis}}
  %0 = mars.concatenate %a, %b axis = 0 : tensor<2x3xf64>, tensor<2x4xf64> -> tensor<4x3xf64>
  return
}

// -----

func.func @stack_shapes(%a: tensor<2xf64>, %b: tensor<3xf64>) {
  // expected-error @+1 {{'mars.stack' op input 1 has shape [3], incompatible with [2]}}
  %0 = mars.stack %a, %b axis = 0 : tensor<2xf64>, tensor<3xf64> -> tensor<2x2xf64>
  return
}

// -----

func.func @stack_result(%a: tensor<2xf64>) {
  // expected-error @+1 {{'mars.stack' op result shape [3, 2] does not match the expected [2, 2]}}
  %0 = mars.stack %a, %a axis = 0 : tensor<2xf64>, tensor<2xf64> -> tensor<3x2xf64>
  return
}

// -----

func.func @matmul_rank(%a: tensor<2x2x2xf64>, %b: tensor<2x2xf64>) {
  // expected-error @+1 {{'mars.matmul' op operands must be 1-D or 2-D, or stacks of matrices of one rank, got ranks 3 and 2}}
  %0 = mars.matmul %a, %b : tensor<2x2x2xf64>, tensor<2x2xf64> -> tensor<2x2xf64>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf64>, %b: tensor<1x4x5xf64>) {
  // expected-error @+1 {{'mars.matmul' op batch dimensions differ (broadcast them first): [2, 3, 4] and [1, 4, 5]}}
  %0 = mars.matmul %a, %b : tensor<2x3x4xf64>, tensor<1x4x5xf64> -> tensor<2x3x5xf64>
  return
}

// -----

func.func @matmul_stack_contraction(%a: tensor<2x3x4xf64>, %b: tensor<2x3x5xf64>) {
  // expected-error @+1 {{'mars.matmul' op contracted dimensions differ: [2, 3, 4] and [2, 3, 5]}}
  %0 = mars.matmul %a, %b : tensor<2x3x4xf64>, tensor<2x3x5xf64> -> tensor<2x3x5xf64>
  return
}

// -----

func.func @matmul_stack_result(%a: tensor<2x3x4xf64>, %b: tensor<2x4x5xf64>) {
  // expected-error @+1 {{'mars.matmul' op result shape [2, 5, 3] does not match the expected [2, 3, 5]}}
  %0 = mars.matmul %a, %b : tensor<2x3x4xf64>, tensor<2x4x5xf64> -> tensor<2x5x3xf64>
  return
}

// -----

func.func @matmul_types(%a: tensor<2x2xf64>, %b: tensor<2x2xf32>) {
  // expected-error @+1 {{'mars.matmul' op operands must have one element type, got 'f64' and 'f32'}}
  %0 = mars.matmul %a, %b : tensor<2x2xf64>, tensor<2x2xf32> -> tensor<2x2xf64>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<2x3xf64>, %b: tensor<4x2xf64>) {
  // expected-error @+1 {{'mars.matmul' op contracted dimensions differ: [2, 3] and [4, 2]}}
  %0 = mars.matmul %a, %b : tensor<2x3xf64>, tensor<4x2xf64> -> tensor<2x2xf64>
  return
}

// -----

func.func @matmul_result(%a: tensor<2x3xf64>, %b: tensor<3xf64>) {
  // expected-error @+1 {{'mars.matmul' op result shape [2, 1] does not match the expected [2]}}
  %0 = mars.matmul %a, %b : tensor<2x3xf64>, tensor<3xf64> -> tensor<2x1xf64>
  return
}

// -----

func.func @tensordot_types(%a: tensor<2xf64>, %b: tensor<2xi64>) {
  // expected-error @+1 {{'mars.tensordot' op operands must have one element type, got 'f64' and 'i64'}}
  %0 = mars.tensordot %a, %b axes = [0], [0] : tensor<2xf64>, tensor<2xi64> -> tensor<f64>
  return
}

// -----

func.func @tensordot_lengths(%a: tensor<2x3xf64>, %b: tensor<3x2xf64>) {
  // expected-error @+1 {{'mars.tensordot' op lhs_axes and rhs_axes must have the same length}}
  %0 = mars.tensordot %a, %b axes = [0, 1], [1] : tensor<2x3xf64>, tensor<3x2xf64> -> tensor<f64>
  return
}

// -----

func.func @tensordot_bounds(%a: tensor<2x3xf64>, %b: tensor<3x2xf64>) {
  // expected-error @+1 {{'mars.tensordot' op axis pair (5, 0) is out of bounds}}
  %0 = mars.tensordot %a, %b axes = [5], [0] : tensor<2x3xf64>, tensor<3x2xf64> -> tensor<f64>
  return
}

// -----

func.func @tensordot_repeat(%a: tensor<3x3xf64>, %b: tensor<3x3xf64>) {
  // expected-error @+1 {{'mars.tensordot' op axis pair (0, 1) repeats an axis}}
  %0 = mars.tensordot %a, %b axes = [0, 0], [0, 1] : tensor<3x3xf64>, tensor<3x3xf64> -> tensor<f64>
  return
}

// -----

func.func @tensordot_sizes(%a: tensor<2x3xf64>, %b: tensor<2x3xf64>) {
  // expected-error @+1 {{'mars.tensordot' op shape mismatch for sum: lhs axis 1 has size 3, rhs axis 0 has size 2}}
  %0 = mars.tensordot %a, %b axes = [1], [0] : tensor<2x3xf64>, tensor<2x3xf64> -> tensor<2x3xf64>
  return
}

// -----

func.func @tensordot_result(%a: tensor<2x3xf64>, %b: tensor<3x4xf64>) {
  // expected-error @+1 {{'mars.tensordot' op result shape [2, 3] does not match the expected [2, 4]}}
  %0 = mars.tensordot %a, %b axes = [1], [0] : tensor<2x3xf64>, tensor<3x4xf64> -> tensor<2x3xf64>
  return
}

// -----

func.func @chunks_rank() {
  // expected-error @+1 {{'mars.chunks' has 3 chunk sizes for a rank-2 tensor}}
  %0 = mars.zeros {mars.chunks = array<i64: 1, 2, 3>} : tensor<4x4xf64>
  return
}

// -----

func.func @chunks_zero() {
  // expected-error @+1 {{chunk sizes must be positive, got 0 for dimension 1}}
  %0 = mars.zeros {mars.chunks = array<i64: 2, 0>} : tensor<4x4xf64>
  return
}

// -----

func.func @chunks_negative() {
  // expected-error @+1 {{chunk sizes must be positive, got -2 for dimension 0}}
  %0 = mars.zeros {mars.chunks = array<i64: -2>} : tensor<4xf64>
  return
}

// -----

func.func @chunks_kind() {
  // expected-error @+1 {{'mars.chunks' must be an array of i64 chunk sizes, e.g. array<i64: 1000, 1000>}}
  %0 = mars.zeros {mars.chunks = [2, 2]} : tensor<4x4xf64>
  return
}

// -----

func.func @chunks_on_save(%a: tensor<4xf64>) {
  // expected-error @+1 {{'mars.chunks' needs an op with one result}}
  mars.save %a, "x.npy" {mars.chunks = array<i64: 2>} : tensor<4xf64>
  return
}

// -----

// expected-error @+1 {{'mars.chunks' has 1 chunk sizes for a rank-2 tensor}}
func.func @chunks_argument(%a: tensor<4x4xf64> {mars.chunks = array<i64: 2>}) {
  return
}

// -----

// expected-error @+1 {{'mars.stored' is for a sparse (#mars.csr) argument, got 'tensor<4x4xf64>'}}
func.func @stored_dense(%a: tensor<4x4xf64> {mars.stored = 3}) {
  return
}

// -----

// expected-error @+1 {{'mars.stored' must be in [0, 16], the argument's elements, got 17}}
func.func @stored_too_many(%a: tensor<4x4xf64, #mars.csr> {mars.stored = 17}) {
  return
}

// -----

// expected-error @+1 {{'mars.stored' must be an i64 count}}
func.func @stored_kind(%a: tensor<4x4xf64, #mars.csr> {mars.stored = 2.0}) {
  return
}

// -----

// expected-error @+1 {{unknown Mars argument attribute 'mars.store'}}
func.func @unknown_argument_attribute(%a: tensor<4x4xf64, #mars.csr> {mars.store = 2}) {
  return
}

// -----

func.func @unknown_attribute() {
  // expected-error @+1 {{unknown Mars attribute 'mars.chunk'}}
  %0 = mars.zeros {mars.chunk = array<i64: 2>} : tensor<4xf64>
  return
}

// -----

func.func @kernel_not_a_symbol() {
  // expected-error @+1 {{'mars.kernel' must name a kernel function (a flat symbol reference)}}
  %0 = mars.zeros {mars.kernel = "k"} : tensor<4xf64>
  return
}

// -----

func.func @rechunk_without_layout(%a: tensor<4xf64>) {
  // expected-error @+1 {{'mars.rechunk' op needs a 'mars.chunks' layout for its result}}
  %0 = mars.rechunk %a : tensor<4xf64>
  return
}

// -----

func.func @fused_arguments(%a: tensor<4xf64>) {
  // expected-error @+1 {{'mars.fused' op body has 2 arguments for 1 inputs}}
  %0 = mars.fused(%a) : (tensor<4xf64>) -> tensor<4xf64> {
  ^bb0(%x: tensor<4xf64>, %y: tensor<4xf64>):
    mars.yield %x : tensor<4xf64>
  }
  return
}

// -----

func.func @fused_argument_type(%a: tensor<4xf64>) {
  // expected-error @+1 {{'mars.fused' op body argument 0 has type 'tensor<4xf32>', but its input has type 'tensor<4xf64>'}}
  %0 = mars.fused(%a) : (tensor<4xf64>) -> tensor<4xf64> {
  ^bb0(%x: tensor<4xf32>):
    mars.yield %a : tensor<4xf64>
  }
  return
}

// -----

func.func @fused_yield_type(%a: tensor<4xf64>) {
  // expected-error @+1 {{'mars.fused' op yields 'tensor<4xf64>' for result 0 of type 'tensor<f64>'}}
  %0 = mars.fused(%a) : (tensor<4xf64>) -> tensor<f64> {
  ^bb0(%x: tensor<4xf64>):
    mars.yield %x : tensor<4xf64>
  }
  return
}

// -----

func.func @fused_body_op(%a: tensor<2x2xf64>) {
  %0 = mars.fused(%a) : (tensor<2x2xf64>) -> tensor<2x2xf64> {
  ^bb0(%x: tensor<2x2xf64>):
    // expected-error @+1 {{'mars.matmul' op cannot be part of a mars.fused body (only elementwise ops, full/zeros/ones, random ops and reductions can)}}
    %m = mars.matmul %x, %x : tensor<2x2xf64>, tensor<2x2xf64> -> tensor<2x2xf64>
    mars.yield %m : tensor<2x2xf64>
  }
  return
}

// -----

func.func @fused_inner_reduction(%a: tensor<4xf64>) {
  %0 = mars.fused(%a) : (tensor<4xf64>) -> tensor<4xf64> {
  ^bb0(%x: tensor<4xf64>):
    // expected-error @+1 {{'mars.sum' op cannot be an inner reduction of a mars.fused body: its operand reads body argument 0, which the body also reads elsewhere}}
    %s = mars.sum %x : tensor<4xf64> -> tensor<f64>
    %y = mars.add %x, %s : (tensor<4xf64>, tensor<f64>) -> tensor<4xf64>
    mars.yield %y : tensor<4xf64>
  }
  return
}

// -----

// Tests that one argument is read by inner reductions over one space only.
func.func @fused_inner_reads_input(%a: tensor<2x2xf64>) {
  %0 = mars.fused(%a) : (tensor<2x2xf64>) -> tensor<f64> {
  ^bb0(%x: tensor<2x2xf64>):
    %sq = mars.square %x : tensor<2x2xf64>
    // expected-error @+1 {{'mars.sum' op cannot be an inner reduction of a mars.fused body: its operand reads body argument 0, which the body also reads elsewhere}}
    %r = mars.sum %sq axes = [1] : tensor<2x2xf64> -> tensor<2xf64>
    %m = mars.max %x axes = [0] : tensor<2x2xf64> -> tensor<2xf64>
    %d = mars.sub %r, %m : tensor<2xf64>
    %t = mars.sum %d : tensor<2xf64> -> tensor<f64>
    mars.yield %t : tensor<f64>
  }
  return
}

// -----

// Tests that an inner reduction folds at most 8 elements per result element.
func.func @fused_inner_too_long() {
  %0 = mars.fused() : () -> tensor<f64> {
    %p = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<4x9xf64>
    // expected-error @+1 {{'mars.max' op cannot be an inner reduction of a mars.fused body: it folds 9 elements per result element (inner reductions fold 1 to 8)}}
    %r = mars.max %p axes = [1] : tensor<4x9xf64> -> tensor<4xf64>
    %t = mars.sum %r : tensor<4xf64> -> tensor<f64>
    mars.yield %t : tensor<f64>
  }
  return
}

// -----

// Tests that an empty inner reduction is refused (min and max would fail).
func.func @fused_inner_empty() {
  %0 = mars.fused() : () -> tensor<f64> {
    %p = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<4x0xf64>
    // expected-error @+1 {{'mars.sum' op cannot be an inner reduction of a mars.fused body: it folds 0 elements per result element (inner reductions fold 1 to 8)}}
    %r = mars.sum %p axes = [1] : tensor<4x0xf64> -> tensor<4xf64>
    %t = mars.sum %r : tensor<4xf64> -> tensor<f64>
    mars.yield %t : tensor<f64>
  }
  return
}

// -----

// Tests that var/std/argmin/argmax are not inner reductions.
func.func @fused_inner_kind() {
  %0 = mars.fused() : () -> tensor<f64> {
    %p = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<4x2xf64>
    // expected-error @+1 {{'mars.var' op cannot be an inner reduction of a mars.fused body: its partials are not one value from one pass (as var's, std's, argmin's and argmax's are not)}}
    %r = mars.var %p axes = [1] : tensor<4x2xf64> -> tensor<4xf64>
    %t = mars.sum %r : tensor<4xf64> -> tensor<f64>
    mars.yield %t : tensor<f64>
  }
  return
}

// -----

// Tests that an inner reduction's operand is not computed by a reduction.
func.func @fused_inner_nested() {
  %0 = mars.fused() : () -> tensor<f64> {
    %p = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<4x2x2xf64>
    %q = mars.sum %p axes = [2] : tensor<4x2x2xf64> -> tensor<4x2xf64>
    // expected-error @+1 {{'mars.sum' op cannot be an inner reduction of a mars.fused body: its operand is computed by another reduction}}
    %r = mars.sum %q axes = [1] : tensor<4x2xf64> -> tensor<4xf64>
    %t = mars.sum %r : tensor<4xf64> -> tensor<f64>
    mars.yield %t : tensor<f64>
  }
  return
}

// -----

func.func @yield_outside(%a: tensor<4xf64>) {
  // expected-error @+1 {{'mars.yield' op expects parent op 'mars.fused'}}
  mars.yield %a : tensor<4xf64>
}

// -----

func.func @fused_yield_count(%a: tensor<4xf64>) {
  // expected-error @+1 {{'mars.fused' op yields 1 values for 2 results}}
  %0:2 = mars.fused(%a) : (tensor<4xf64>) -> (tensor<f64>, tensor<f64>) {
  ^bb0(%x: tensor<4xf64>):
    %s = mars.sum %x : tensor<4xf64> -> tensor<f64>
    mars.yield %s : tensor<f64>
  }
  return
}

// -----

// Tests that every result of a multi-output group is a root reduction.
func.func @multi_output_not_reduction(%a: tensor<4xf64>) {
  // expected-error @+1 {{'mars.fused' op result 1 cannot be a root of a multi-output group: it is not a reduction}}
  %0:2 = mars.fused(%a) : (tensor<4xf64>) -> (tensor<f64>, tensor<4xf64>) {
  ^bb0(%x: tensor<4xf64>):
    %s = mars.sum %x : tensor<4xf64> -> tensor<f64>
    %n = mars.neg %x : tensor<4xf64>
    mars.yield %s, %n : tensor<f64>, tensor<4xf64>
  }
  return
}

// -----

func.func @multi_output_argmax(%a: tensor<4xf64>) {
  // expected-error @+1 {{'mars.fused' op result 1 cannot be a root of a multi-output group: its partials are not one value from one pass (as var's, std's, argmin's and argmax's are not)}}
  %0:2 = mars.fused(%a) : (tensor<4xf64>) -> (tensor<f64>, tensor<i64>) {
  ^bb0(%x: tensor<4xf64>):
    %s = mars.sum %x : tensor<4xf64> -> tensor<f64>
    %i = mars.argmax %x : tensor<4xf64> -> tensor<i64>
    mars.yield %s, %i : tensor<f64>, tensor<i64>
  }
  return
}

// -----

func.func @multi_output_axes(%a: tensor<4x3xf64>) {
  %0:2 = mars.fused(%a) : (tensor<4x3xf64>) -> (tensor<4xf64>, tensor<3xf64>) {
  ^bb0(%x: tensor<4x3xf64>):
    %s = mars.sum %x axes = [1] : tensor<4x3xf64> -> tensor<4xf64>
    // expected-error @+1 {{'mars.max' op does not reduce the same axes of an operand of the same shape as the first root of its multi-output group}}
    %m = mars.max %x axes = [0] : tensor<4x3xf64> -> tensor<3xf64>
    mars.yield %s, %m : tensor<4xf64>, tensor<3xf64>
  }
  return
}

// -----

func.func @multi_output_root_read(%a: tensor<4xf64>) {
  %0:2 = mars.fused(%a) : (tensor<4xf64>) -> (tensor<f64>, tensor<f64>) {
  ^bb0(%x: tensor<4xf64>):
    // expected-error @+1 {{'mars.sum' op is a root of a multi-output group, so only mars.yield may use its result}}
    %s = mars.sum %x : tensor<4xf64> -> tensor<f64>
    %y = mars.sub %x, %s : (tensor<4xf64>, tensor<f64>) -> tensor<4xf64>
    %m = mars.max %y : tensor<4xf64> -> tensor<f64>
    mars.yield %s, %m : tensor<f64>, tensor<f64>
  }
  return
}

// -----

func.func @multi_output_twice(%a: tensor<4xf64>) {
  // expected-error @+1 {{'mars.fused' op yields the result of 'mars.sum' twice}}
  %0:2 = mars.fused(%a) : (tensor<4xf64>) -> (tensor<f64>, tensor<f64>) {
  ^bb0(%x: tensor<4xf64>):
    %s = mars.sum %x : tensor<4xf64> -> tensor<f64>
    mars.yield %s, %s : tensor<f64>, tensor<f64>
  }
  return
}


// -----

func.func @sort_axis(%a: tensor<2x3xf64>) {
  // expected-error @+1 {{'mars.sort' op axis -3 is out of bounds for rank 2}}
  %0 = mars.sort %a axis = -3 : tensor<2x3xf64> -> tensor<2x3xf64>
  return
}

// -----

func.func @sort_rank0(%a: tensor<f64>) {
  // expected-error @+1 {{'mars.sort' op takes a tensor of rank 1 or more}}
  %0 = mars.sort %a axis = 0 : tensor<f64> -> tensor<f64>
  return
}

// -----

func.func @argsort_dtype(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.argsort' op result element type must be 'i64', got 'f64'}}
  %0 = mars.argsort %a axis = 0 : tensor<3xf64> -> tensor<3xf64>
  return
}

// -----

func.func @searchsorted_rank(%a: tensor<2x3xf64>, %v: tensor<3xf64>) {
  // expected-error @+1 {{'mars.searchsorted' op sorted operand must be 1-D, got rank 2}}
  %0 = mars.searchsorted %a, %v side = "left" : tensor<2x3xf64>, tensor<3xf64> -> tensor<3xi64>
  return
}

// -----

func.func @searchsorted_types(%a: tensor<3xf64>, %v: tensor<3xf32>) {
  // expected-error @+1 {{'mars.searchsorted' op operands must have one element type, got 'f64' and 'f32'}}
  %0 = mars.searchsorted %a, %v side = "left" : tensor<3xf64>, tensor<3xf32> -> tensor<3xi64>
  return
}

// -----

func.func @searchsorted_side(%a: tensor<3xf64>, %v: tensor<3xf64>) {
  // expected-error @+1 {{'mars.searchsorted' op side must be "left" or "right", got "up"}}
  %0 = mars.searchsorted %a, %v side = "up" : tensor<3xf64>, tensor<3xf64> -> tensor<3xi64>
  return
}

// -----

func.func @take_mode(%a: tensor<3xf64>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'mars.take' op mode must be "raise", "wrap" or "clip", got "fold"}}
  %0 = mars.take %a, %i axis = 0 mode = "fold" : tensor<3xf64>, tensor<2xi64> -> tensor<2xf64>
  return
}

// -----

func.func @take_shape(%a: tensor<4x5xf64>, %i: tensor<2x2xi64>) {
  // expected-error @+1 {{'mars.take' op result shape [4, 2, 5] does not match the expected [4, 2, 2]}}
  %0 = mars.take %a, %i axis = 1 mode = "raise" : tensor<4x5xf64>, tensor<2x2xi64> -> tensor<4x2x5xf64>
  return
}

// -----

func.func @take_index_type(%a: tensor<3xf64>, %i: tensor<2xf64>) {
  // expected-error @+1 {{'mars.take' op operand #1 must be statically shaped dense tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = mars.take %a, %i axis = 0 mode = "raise" : tensor<3xf64>, tensor<2xf64> -> tensor<2xf64>
  return
}

// -----

func.func @take_along_rank(%a: tensor<4x5xf64>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'mars.take_along_axis' op indices must have the input's rank 2, got 1}}
  %0 = mars.take_along_axis %a, %i axis = 1 : tensor<4x5xf64>, tensor<2xi64> -> tensor<2xf64>
  return
}

// -----

func.func @take_along_shape(%a: tensor<4x5xf64>, %i: tensor<3x2xi64>) {
  // expected-error @+1 {{'mars.take_along_axis' op indices shape [3, 2] must match the input's [4, 5] except on axis 1}}
  %0 = mars.take_along_axis %a, %i axis = 1 : tensor<4x5xf64>, tensor<3x2xi64> -> tensor<3x2xf64>
  return
}

// -----

func.func @sort_runs_run(%a: tensor<4xf64>) {
  // expected-error @+1 {{'mars.sort_runs' op run must be positive, got 0}}
  %0 = mars.sort_runs %a axis = 0 run = 0 : tensor<4xf64> -> tensor<4xf64>
  return
}

// -----

func.func @merge_runs_type(%a: tensor<4xf64>) {
  // expected-error @+1 {{'mars.merge_runs' op result element type must be 'f64', got 'f32'}}
  %0 = mars.merge_runs %a axis = 0 run = 2 : tensor<4xf64> -> tensor<4xf32>
  return
}

// -----

func.func @put_mode(%a: tensor<3xf64>, %i: tensor<2xi64>, %v: tensor<2xf64>) {
  // expected-error @+1 {{'mars.put' op mode must be "raise", "wrap" or "clip", got "fold"}}
  %0 = mars.put %a, %i, %v mode = "fold" : tensor<3xf64>, tensor<2xi64>, tensor<2xf64> -> tensor<3xf64>
  return
}

// -----

func.func @put_values_type(%a: tensor<3xf64>, %i: tensor<2xi64>, %v: tensor<2xf32>) {
  // expected-error @+1 {{'mars.put' op values must have the input's element type 'f64', got 'f32'}}
  %0 = mars.put %a, %i, %v mode = "raise" : tensor<3xf64>, tensor<2xi64>, tensor<2xf32> -> tensor<3xf64>
  return
}

// -----

func.func @put_shape(%a: tensor<2x3xf64>, %i: tensor<2xi64>, %v: tensor<2xf64>) {
  // expected-error @+1 {{'mars.put' op result shape [6] does not match the expected [2, 3]}}
  %0 = mars.put %a, %i, %v mode = "raise" : tensor<2x3xf64>, tensor<2xi64>, tensor<2xf64> -> tensor<6xf64>
  return
}

// -----

func.func @put_index_type(%a: tensor<3xf64>, %i: tensor<2xf64>, %v: tensor<2xf64>) {
  // expected-error @+1 {{'mars.put' op operand #1 must be statically shaped dense tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = mars.put %a, %i, %v mode = "raise" : tensor<3xf64>, tensor<2xf64>, tensor<2xf64> -> tensor<3xf64>
  return
}

// -----

func.func @sorted_at_kth(%a: tensor<4x3xf64>) {
  // expected-error @+1 {{'mars.sorted_at' op kth -5 is out of bounds for axis 0 with size 4}}
  %0 = mars.sorted_at %a axis = 0 kth = [1, -5] : tensor<4x3xf64> -> tensor<2x3xf64>
  return
}

// -----

func.func @sorted_at_shape(%a: tensor<4x3xf64>) {
  // expected-error @+1 {{'mars.sorted_at' op result shape [4, 3] does not match the expected [2, 3]}}
  %0 = mars.sorted_at %a axis = 0 kth = [1, 2] : tensor<4x3xf64> -> tensor<4x3xf64>
  return
}

// -----

func.func @sorted_at_indices_type(%a: tensor<4x3xf64>) {
  // expected-error @+1 {{'mars.sorted_at' op result element type must be 'i64', got 'f64'}}
  %0 = mars.sorted_at %a axis = 0 kth = [1] indices : tensor<4x3xf64> -> tensor<1x3xf64>
  return
}

// -----

func.func @sorted_at_axis(%a: tensor<4x3xf64>) {
  // expected-error @+1 {{'mars.sorted_at' op axis 2 is out of bounds for rank 2}}
  %0 = mars.sorted_at %a axis = 2 kth = [1] : tensor<4x3xf64> -> tensor<4x1xf64>
  return
}

// -----

func.func @bincount_rank(%a: tensor<2x3xi64>) {
  // expected-error @+1 {{'mars.bincount' op input must be 1-D, got rank 2}}
  %0 = mars.bincount %a : tensor<2x3xi64> -> tensor<4xi64>
  return
}

// -----

func.func @bincount_weights(%a: tensor<3xi64>, %w: tensor<4xf64>) {
  // expected-error @+1 {{'mars.bincount' op weights must be f64 of the input's shape [3], got 'tensor<4xf64>'}}
  %0 = mars.bincount %a, %w : tensor<3xi64>, tensor<4xf64> -> tensor<4xf64>
  return
}

// -----

func.func @bincount_type(%a: tensor<3xi64>) {
  // expected-error @+1 {{'mars.bincount' op result element type must be 'i64', got 'f64'}}
  %0 = mars.bincount %a : tensor<3xi64> -> tensor<4xf64>
  return
}

// -----

func.func @inv_not_square(%a: tensor<3x4xf64>) {
  // expected-error @+1 {{'mars.inv' op operand matrices must be square (got 3 x 4)}}
  %0 = mars.inv %a : tensor<3x4xf64> -> tensor<3x4xf64>
  return
}

// -----

func.func @inv_vector(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.inv' op operand must have at least 2 dimensions (a stack of matrices), got rank 1}}
  %0 = mars.inv %a : tensor<3xf64> -> tensor<3xf64>
  return
}

// -----

func.func @inv_integers(%a: tensor<3x3xi64>) {
  // expected-error @+1 {{'mars.inv' op operand #0 must be statically shaped dense tensor of 32-bit float or 64-bit float values}}
  %0 = mars.inv %a : tensor<3x3xi64> -> tensor<3x3xi64>
  return
}

// -----

func.func @solve_rhs(%a: tensor<2x3x3xf64>, %b: tensor<2x4x1xf64>) {
  // expected-error @+1 {{'mars.solve' op right-hand sides (2, 4, 1) must be the matrices' batch, then 3 rows (matrices (2, 3, 3))}}
  %0 = mars.solve %a, %b structure = "general" : tensor<2x3x3xf64>, tensor<2x4x1xf64> -> tensor<2x4x1xf64>
  return
}

// -----

func.func @solve_structure(%a: tensor<3x3xf64>, %b: tensor<3x1xf64>) {
  // expected-error @+1 {{'mars.solve' op structure must be "general", "lower", "upper", "lower_unit" or "upper_unit" (got "symmetric")}}
  %0 = mars.solve %a, %b structure = "symmetric" : tensor<3x3xf64>, tensor<3x1xf64> -> tensor<3x1xf64>
  return
}

// -----

func.func @qr_part(%a: tensor<5x3xf64>) {
  // expected-error @+1 {{'mars.qr' op part must be one of "q" "r" "wy" (got "h")}}
  %0 = mars.qr %a part = "h" complete = false : tensor<5x3xf64> -> tensor<5x3xf64>
  return
}

// -----

func.func @qr_wy_wide(%a: tensor<3x5xf64>) {
  // expected-error @+1 {{'mars.qr' op part "wy" needs at least as many rows as columns, not 3 x 5}}
  %0 = mars.qr %a part = "wy" complete = false : tensor<3x5xf64> -> tensor<8x5xf64>
  return
}

// -----

func.func @qr_wy_complete(%a: tensor<5x3xf64>) {
  // expected-error @+1 {{'mars.qr' op part "wy" is the factorisation itself: it takes neither `complete = true` nor `positive`}}
  %0 = mars.qr %a part = "wy" complete = false positive : tensor<5x3xf64> -> tensor<8x3xf64>
  return
}

// -----

func.func @qr_wy_shape(%a: tensor<5x3xf64>) {
  // expected-error @+1 {{'mars.qr' op result shape must be (8, 3) (got (5, 3))}}
  %0 = mars.qr %a part = "wy" complete = false : tensor<5x3xf64> -> tensor<5x3xf64>
  return
}

// -----

func.func @qr_shape(%a: tensor<5x3xf64>) {
  // expected-error @+1 {{'mars.qr' op result shape must be (5, 5) (got (5, 3))}}
  %0 = mars.qr %a part = "q" complete = true : tensor<5x3xf64> -> tensor<5x3xf64>
  return
}

// -----

func.func @svd_values(%a: tensor<2x5x3xf64>) {
  // expected-error @+1 {{'mars.svd' op result shape must be (2, 3) (got (2, 5))}}
  %0 = mars.svd %a part = "s" full_matrices = false : tensor<2x5x3xf64> -> tensor<2x5xf64>
  return
}

// -----

func.func @det_type(%a: tensor<3x3xf64>) {
  // expected-error @+1 {{'mars.det' op result element type must be the operand's ('f64')}}
  %0 = mars.det %a part = "det" : tensor<3x3xf64> -> tensor<f32>
  return
}

// -----

func.func @lu_part(%a: tensor<3x3xf64>) {
  // expected-error @+1 {{'mars.lu' op part must be one of "p" "l" "u" "perm" "lu" "perm_sign" (got "q")}}
  %0 = mars.lu %a part = "q" : tensor<3x3xf64> -> tensor<3x3xf64>
  return
}

// -----

func.func @lu_perm_type(%a: tensor<4x3xf64>) {
  // expected-error @+1 {{'mars.lu' op part "perm" gives row positions: its result element type must be i64 (got 'f64')}}
  %0 = mars.lu %a part = "perm" : tensor<4x3xf64> -> tensor<4xf64>
  return
}

// -----

func.func @lu_perm_shape(%a: tensor<2x4x3xf64>) {
  // expected-error @+1 {{'mars.lu' op result shape must be (2, 4) (got (3,))}}
  %0 = mars.lu %a part = "perm" : tensor<2x4x3xf64> -> tensor<3xi64>
  return
}

// -----

func.func @lu_perm_sign_shape(%a: tensor<2x4x3xf64>) {
  // expected-error @+1 {{'mars.lu' op result shape must be (2,) (got ())}}
  %0 = mars.lu %a part = "perm_sign" : tensor<2x4x3xf64> -> tensor<f64>
  return
}

// -----

func.func @lu_packed_type(%a: tensor<4x3xf64>) {
  // expected-error @+1 {{'mars.lu' op result element type must be the operand's ('f64')}}
  %0 = mars.lu %a part = "lu" : tensor<4x3xf64> -> tensor<4x3xi64>
  return
}

// -----

// Ops take dense tensors unless they say otherwise.
func.func @sparse_to_dense_op(%s: tensor<4x4xf64, #mars.csr>) {
  // expected-error @+1 {{'mars.cumsum' op operand #0 must be statically shaped dense tensor}}
  %0 = mars.cumsum %s axis = 1 : tensor<4x4xf64, #mars.csr> -> tensor<4x4xf64>
  return
}

// -----

func.func @sparse_rhs(%a: tensor<4x4xf64>, %s: tensor<4x4xf64, #mars.csr>) {
  // expected-error @+1 {{'mars.matmul' op a sparse rhs needs a sparse lhs (a dense lhs times a sparse rhs is (rhs^T lhs^T)^T)}}
  %0 = mars.matmul %a, %s : tensor<4x4xf64>, tensor<4x4xf64, #mars.csr> -> tensor<4x4xf64>
  return
}

// -----

func.func @sparse_vector() {
  // expected-error @+1 {{'mars.eye' op result #0 must be}}
  %0 = mars.eye : tensor<4xf64, #mars.csr>
  return
}

// -----

func.func @to_sparse_shape(%a: tensor<4x5xf64>) {
  // expected-error @+1 {{'mars.to_sparse' op result shape [5, 4] does not match the expected [4, 5]}}
  %0 = mars.to_sparse %a : tensor<4x5xf64> -> tensor<5x4xf64, #mars.csr>
  return
}

// -----

func.func @to_dense_dtype(%s: tensor<4x5xf64, #mars.csr>) {
  // expected-error @+1 {{'mars.to_dense' op result element type must be 'f64', got 'f32'}}
  %0 = mars.to_dense %s : tensor<4x5xf64, #mars.csr> -> tensor<4x5xf32>
  return
}

// -----

func.func @to_sparse_result_dense(%a: tensor<4x5xf64>) {
  // expected-error @+1 {{'mars.to_sparse' op result #0 must be 2-D tensor in compressed sparse rows (#mars.csr)}}
  %0 = mars.to_sparse %a : tensor<4x5xf64> -> tensor<4x5xf64>
  return
}

// -----

// expected-error @+1 {{unknown attribute `coo` in dialect `mars`}}
func.func @unknown_encoding(%s: tensor<4x5xf64, #mars.coo>) {
  return
}

// -----

func.func @sparse_with_array(%s: tensor<4x4xf64, #mars.csr>, %a: tensor<4x4xf64>) {
  // expected-error @+1 {{'mars.add' op a sparse matrix combines with numbers (rank-0 tensors) only, or with dense arrays in mul and logical_and (zero wherever the matrix is), got 'tensor<4x4xf64>'}}
  %0 = mars.add %s, %a : (tensor<4x4xf64, #mars.csr>, tensor<4x4xf64>) -> tensor<4x4xf64, #mars.csr>
  return
}

// -----

// An array broadcasts to the sparse matrix, never the matrix to the array.
func.func @sparse_broadcast_by_array(%s: tensor<1x4xf64, #mars.csr>, %a: tensor<3x4xf64>) {
  // expected-error @+1 {{'mars.mul' op sparse operands must have the result's shape (they do not broadcast), got 'tensor<1x4xf64, #mars.csr>'}}
  %0 = mars.mul %s, %a : (tensor<1x4xf64, #mars.csr>, tensor<3x4xf64>) -> tensor<3x4xf64, #mars.csr>
  return
}

// -----

func.func @sparse_broadcast(%s: tensor<4x4xf64, #mars.csr>, %t: tensor<1x4xf64, #mars.csr>) {
  // expected-error @+1 {{'mars.mul' op sparse operands must have the result's shape (they do not broadcast), got 'tensor<1x4xf64, #mars.csr>'}}
  %0 = mars.mul %s, %t : (tensor<4x4xf64, #mars.csr>, tensor<1x4xf64, #mars.csr>) -> tensor<4x4xf64, #mars.csr>
  return
}

// -----

func.func @sparse_to_dense_result(%s: tensor<4x4xf64, #mars.csr>) {
  // expected-error @+1 {{'mars.neg' op the result of a sparse operand must be sparse (#mars.csr)}}
  %0 = mars.neg %s : (tensor<4x4xf64, #mars.csr>) -> tensor<4x4xf64>
  return
}

// -----

func.func @sparse_from_nothing(%a: tensor<4x4xf64>) {
  // expected-error @+1 {{'mars.neg' op a sparse result needs a sparse operand}}
  %0 = mars.neg %a : (tensor<4x4xf64>) -> tensor<4x4xf64, #mars.csr>
  return
}

// -----

func.func @sparse_sqrt_of_ints(%s: tensor<4x4xi64, #mars.csr>) {
  // expected-error @+1 {{'mars.sqrt' op operand #0 must be statically shaped dense tensor of 32-bit float or 64-bit float values or 2-D tensor in compressed sparse rows (#mars.csr) of 32-bit float or 64-bit float values}}
  %0 = mars.sqrt %s : tensor<4x4xi64, #mars.csr>
  return
}

// -----

func.func @band_vector(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.band' op needs at least two dimensions, got rank 1}}
  %0 = mars.band %a lower = 0, upper = 1 : tensor<3xf64> -> tensor<3xf64>
  return
}

// -----

func.func @band_shape(%a: tensor<2x3xf64>) {
  // expected-error @+1 {{'mars.band' op}}
  %0 = mars.band %a lower = 0, upper = 1 : tensor<2x3xf64> -> tensor<3x2xf64>
  return
}

// -----

func.func @band_densifies(%s: tensor<4x5xf64, #mars.csr>) {
  // expected-error @+1 {{'mars.band' op the band of a sparse matrix is sparse}}
  %0 = mars.band %s lower = 0, upper = 1 : tensor<4x5xf64, #mars.csr> -> tensor<4x5xf64>
  return
}

// -----

func.func @transpose_densifies(%s: tensor<4x5xf64, #mars.csr>) {
  // expected-error @+1 {{'mars.transpose' op the transpose of a sparse matrix is sparse}}
  %0 = mars.transpose %s perm = [1, 0] : tensor<4x5xf64, #mars.csr> -> tensor<5x4xf64>
  return
}

// -----

func.func @slice_densifies(%s: tensor<4x5xf64, #mars.csr>) {
  // expected-error @+1 {{'mars.slice' op a slice of a sparse matrix is sparse}}
  %0 = mars.slice %s [1:3] : tensor<4x5xf64, #mars.csr> -> tensor<2x5xf64>
  return
}

// -----

func.func @join_mixed(%s: tensor<4x5xf64, #mars.csr>, %d: tensor<2x5xf64>) {
  // expected-error @+1 {{'mars.concatenate' op joins sparse matrices into a sparse matrix or dense tensors into a dense one, got 'tensor<2x5xf64>' for 'tensor<6x5xf64, #mars.csr>'}}
  %0 = mars.concatenate %s, %d axis = 0 : tensor<4x5xf64, #mars.csr>, tensor<2x5xf64> -> tensor<6x5xf64, #mars.csr>
  return
}

// -----

func.func @sparse_product_dense(%s: tensor<4x4xf64, #mars.csr>) {
  // expected-error @+1 {{'mars.matmul' op the product of sparse matrices is sparse}}
  %0 = mars.matmul %s, %s : tensor<4x4xf64, #mars.csr>, tensor<4x4xf64, #mars.csr> -> tensor<4x4xf64>
  return
}

// -----

func.func @sparse_identity_transpose(%s: tensor<4x4xf64, #mars.csr>) {
  // expected-error @+1 {{'mars.transpose' op a sparse matrix transposes with perm = [1, 0], got [0, 1]}}
  %0 = mars.transpose %s perm = [0, 1] : tensor<4x4xf64, #mars.csr> -> tensor<4x4xf64, #mars.csr>
  return
}

// -----

func.func @sparse_sum(%s: tensor<4x4xf64, #mars.csr>) {
  // expected-error @+1 {{'mars.sum' op reduces a sparse matrix only by min, max, argmin, argmax, prod, any and all, got a sparse operand}}
  %0 = mars.sum %s axes = [1] : tensor<4x4xf64, #mars.csr> -> tensor<4xf64>
  return
}

// -----

func.func @sparse_reduction_result(%s: tensor<4x4xf64, #mars.csr>) {
  // expected-error @+1 {{'mars.max' op result #0 must be statically shaped dense tensor}}
  %0 = mars.max %s axes = [1] : tensor<4x4xf64, #mars.csr> -> tensor<4xf64, #mars.csr>
  return
}

// -----

func.func @density_without_sparse_result() {
  // expected-error @+1 {{'mars.random_uniform' op a density needs a sparse result (#mars.csr)}}
  %0 = mars.random_uniform seed = 1, low = 0.0, high = 1.0, density = 0.5 : tensor<4x4xf64>
  return
}

// -----

func.func @sparse_random_without_density() {
  // expected-error @+1 {{'mars.random_integers' op a sparse result needs a density}}
  %0 = mars.random_integers seed = 1, low = 0, high = 3 : tensor<4x4xi64, #mars.csr>
  return
}

// -----

func.func @density_out_of_range() {
  // expected-error @+1 {{'mars.random_normal' op density must be in [0, 1], got 1.5}}
  %0 = mars.random_normal seed = 1, loc = 0.0, scale = 1.0, density = 1.5 : tensor<4x4xf64, #mars.csr>
  return
}

// -----

func.func @radix_histogram_rank(%a: tensor<2x3xf64>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'mars.radix_histogram' op input must be 1-D, got rank 2}}
  %0 = mars.radix_histogram %a, %s rows = 2 shift = 0 : tensor<2x3xf64>, tensor<2xi64> -> tensor<1x65536xi64>
  return
}

// -----

func.func @radix_histogram_state(%a: tensor<6xf64>, %s: tensor<3xi64>) {
  // expected-error @+1 {{'mars.radix_histogram' op state must be 1-D with two elements per selected position, got 'tensor<3xi64>'}}
  %0 = mars.radix_histogram %a, %s rows = 2 shift = 0 : tensor<6xf64>, tensor<3xi64> -> tensor<3x65536xi64>
  return
}

// -----

func.func @radix_histogram_shift(%a: tensor<6xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'mars.radix_histogram' op shift must be a multiple of 16 in [0, 32), got 32}}
  %0 = mars.radix_histogram %a, %s rows = 2 shift = 32 : tensor<6xf32>, tensor<2xi64> -> tensor<3x65536xi64>
  return
}

// -----

func.func @radix_histogram_rows(%a: tensor<6xf64>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'mars.radix_histogram' op rows must be positive, got 0}}
  %0 = mars.radix_histogram %a, %s rows = 0 shift = 0 : tensor<6xf64>, tensor<2xi64> -> tensor<3x65536xi64>
  return
}

// -----

func.func @radix_histogram_shape(%a: tensor<7xf64>, %s: tensor<4xi64>) {
  // expected-error @+1 {{'mars.radix_histogram' op result shape [3, 65536] does not match the expected [4, 131072]}}
  %0 = mars.radix_histogram %a, %s rows = 2 shift = 0 : tensor<7xf64>, tensor<4xi64> -> tensor<3x65536xi64>
  return
}

// -----

func.func @radix_pick_counts(%c: tensor<100xi64>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'mars.radix_pick' op counts must be 1-D with 65536 per selected position (65536), got 'tensor<100xi64>'}}
  %0 = mars.radix_pick %c, %s shift = 0 : tensor<100xi64>, tensor<2xi64> -> tensor<2xi64>
  return
}

// -----

func.func @radix_pick_shift(%c: tensor<65536xi64>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'mars.radix_pick' op shift must be a multiple of 16 in [0, 64), got 8}}
  %0 = mars.radix_pick %c, %s shift = 8 : tensor<65536xi64>, tensor<2xi64> -> tensor<2xi64>
  return
}

// -----

func.func @radix_value_shape(%s: tensor<4xi64>) {
  // expected-error @+1 {{'mars.radix_value' op result shape [3] does not match the expected [2]}}
  %0 = mars.radix_value %s : tensor<4xi64> -> tensor<3xf64>
  return
}

// -----

func.func @radix_value_state(%s: tensor<0xi64>) {
  // expected-error @+1 {{'mars.radix_value' op state must be 1-D with two elements per selected position, got 'tensor<0xi64>'}}
  %0 = mars.radix_value %s : tensor<0xi64> -> tensor<0xf64>
  return
}

// -----

func.func @real_of_float(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.real' op operand #0 must be statically shaped dense tensor of complex type with 32-bit float elements or complex type with 64-bit float elements values}}
  %0 = mars.real %a : tensor<3xf64> -> tensor<3xf64>
  return
}

// -----

func.func @imag_part_type(%z: tensor<3xcomplex<f32>>) {
  // expected-error @+1 {{'mars.imag' op result element type must be 'f32', got 'f64'}}
  %0 = mars.imag %z : tensor<3xcomplex<f32>> -> tensor<3xf64>
  return
}

// -----

func.func @complex_shape(%a: tensor<3xf64>) {
  // expected-error @+1 {{'mars.complex' op result shape [4] does not match the expected [3]}}
  %0 = mars.complex %a, %a : tensor<3xf64> -> tensor<4xcomplex<f64>>
  return
}

// -----

func.func @complex_parts_differ(%a: tensor<3xf64>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'mars.complex' op failed to verify that all of {real, imag} have same type}}
  %0 = "mars.complex"(%a, %b) : (tensor<3xf64>, tensor<3xf32>) -> tensor<3xcomplex<f64>>
  return
}

// -----

func.func @complex_arithmetic(%z: tensor<3xcomplex<f64>>) {
  // expected-error @+1 {{'mars.add' op operand #0 must be}}
  %0 = mars.add %z, %z : (tensor<3xcomplex<f64>>, tensor<3xcomplex<f64>>) -> tensor<3xcomplex<f64>>
  return
}
