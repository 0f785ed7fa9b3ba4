// RUN: mars-opt %s | mars-opt | FileCheck %s
// RUN: mars-opt %s --mlir-print-op-generic | mars-opt | FileCheck %s

// Round-trip of every Mars op in its custom assembly form.

// CHECK-LABEL: func.func @creation
func.func @creation() {
  // CHECK: mars.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf64>
  %0 = mars.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf64>
  // CHECK: mars.full(2.5) : tensor<3x4xf32>
  %1 = mars.full(2.5) : tensor<3x4xf32>
  // CHECK: mars.full(-7) : tensor<3xi64>
  %2 = mars.full(-7) : tensor<3xi64>
  // CHECK: mars.full(true) : tensor<8xi1>
  %3 = mars.full(true) : tensor<8xi1>
  // CHECK: mars.full(0x7FF8000000000000 : f64) : tensor<2xf64>
  %4 = mars.full(0x7FF8000000000000 : f64) : tensor<2xf64>
  // CHECK: mars.full(1.0e+300) : tensor<f64>
  %5 = mars.full(1.0e300) : tensor<f64>
  // numpy's integer dtypes: i8 and i16 signless, uint8 ... uint64 unsigned,
  // whose values print typed (every ui64 value parses back).
  // CHECK: mars.full(-128) : tensor<2xi8>
  %i8 = mars.full(-128) : tensor<2xi8>
  // CHECK: mars.full(255 : ui8) : tensor<2xui8>
  %u8 = mars.full(255) : tensor<2xui8>
  // CHECK: mars.full(18446744073709551615 : ui64) : tensor<2xui64>
  %u64 = mars.full(18446744073709551615 : ui64) : tensor<2xui64>
  // CHECK: mars.random_integers seed = 1, low = 0, high = 65536 : tensor<3xui16>
  %r16 = mars.random_integers seed = 1, low = 0, high = 65536 : tensor<3xui16>
  // CHECK: mars.floor_div %{{.*}}, %{{.*}} : tensor<2xui64>
  %q64 = mars.floor_div %u64, %u64 : tensor<2xui64>
  // CHECK: mars.cast %{{.*}} : (tensor<2xui8>) -> tensor<2xi8>
  %c8 = mars.cast %u8 : (tensor<2xui8>) -> tensor<2xi8>
  // CHECK: mars.zeros : tensor<2x3xf64>
  %6 = mars.zeros : tensor<2x3xf64>
  // CHECK: mars.ones : tensor<0x3xi32>
  %7 = mars.ones : tensor<0x3xi32>
  // CHECK: mars.arange start = 0.000000e+00, step = 5.000000e-01 : tensor<10xf64>
  %8 = mars.arange start = 0.0, step = 0.5 : tensor<10xf64>
  // CHECK: mars.linspace start = 0.000000e+00, stop = 1.000000e+00 : tensor<5xf64>
  %9 = mars.linspace start = 0.0, stop = 1.0 : tensor<5xf64>
  // CHECK: mars.linspace start = 0.000000e+00, stop = 1.000000e+00 no_endpoint : tensor<4xf32>
  %10 = mars.linspace start = 0.0, stop = 1.0 no_endpoint : tensor<4xf32>
  // CHECK: mars.eye : tensor<3x3xf64>
  %11 = mars.eye : tensor<3x3xf64>
  // CHECK: mars.eye k = -1 : tensor<3x4xi32>
  %12 = mars.eye k = -1 : tensor<3x4xi32>
  // CHECK: mars.random_uniform seed = 42, low = -1.000000e+00, high = 1.000000e+00 : tensor<1000x2xf64>
  %13 = mars.random_uniform seed = 42, low = -1.0, high = 1.0 : tensor<1000x2xf64>
  // CHECK: mars.random_normal seed = 7, loc = 0.000000e+00, scale = 2.000000e+00 : tensor<100xf32>
  %14 = mars.random_normal seed = 7, loc = 0.0, scale = 2.0 : tensor<100xf32>
  // CHECK: mars.random_integers seed = 1, low = -5, high = 10 : tensor<5x5xi64>
  %15 = mars.random_integers seed = 1, low = -5, high = 10 : tensor<5x5xi64>
  return
}

// CHECK-LABEL: func.func @unary
func.func @unary(%f: tensor<4xf64>, %i: tensor<4xi32>, %b: tensor<4xi1>) {
  // CHECK: mars.neg %{{.*}} : tensor<4xf64>
  %0 = mars.neg %f : tensor<4xf64>
  // CHECK: mars.abs %{{.*}} : tensor<4xi32>
  %1 = mars.abs %i : tensor<4xi32>
  // CHECK: mars.sqrt
  %2 = mars.sqrt %f : tensor<4xf64>
  // CHECK: mars.square
  %3 = mars.square %i : tensor<4xi32>
  // CHECK: mars.exp
  %4 = mars.exp %f : tensor<4xf64>
  // CHECK: mars.log
  %5 = mars.log %f : tensor<4xf64>
  // CHECK: mars.sin
  %6 = mars.sin %f : tensor<4xf64>
  // CHECK: mars.cos
  %7 = mars.cos %f : tensor<4xf64>
  // CHECK: mars.tanh
  %8 = mars.tanh %f : tensor<4xf64>
  // CHECK: mars.floor
  %9 = mars.floor %f : tensor<4xf64>
  // CHECK: mars.ceil
  %10 = mars.ceil %f : tensor<4xf64>
  // CHECK: mars.sign
  %11 = mars.sign %i : tensor<4xi32>
  // CHECK: mars.isnan %{{.*}} : tensor<4xf64>
  %12 = mars.isnan %f : tensor<4xf64>
  // CHECK: mars.logical_not %{{.*}} : tensor<4xi1>
  %13 = mars.logical_not %b : tensor<4xi1>
  // CHECK: mars.logical_not %{{.*}} : tensor<4xi32>{{$}}
  %14 = mars.logical_not %i : (tensor<4xi32>) -> tensor<4xi1>
  // CHECK: mars.cast %{{.*}} : (tensor<4xf64>) -> tensor<4xi32>
  %15 = mars.cast %f : (tensor<4xf64>) -> tensor<4xi32>
  // CHECK: mars.tan %{{.*}} : tensor<4xf64>
  %u0 = mars.tan %f : tensor<4xf64>
  // CHECK: mars.arcsin %{{.*}} : tensor<4xf64>
  %u1 = mars.arcsin %f : tensor<4xf64>
  // CHECK: mars.arccos %{{.*}} : tensor<4xf64>
  %u2 = mars.arccos %f : tensor<4xf64>
  // CHECK: mars.arctan %{{.*}} : tensor<4xf64>
  %u3 = mars.arctan %f : tensor<4xf64>
  // CHECK: mars.sinh %{{.*}} : tensor<4xf64>
  %u4 = mars.sinh %f : tensor<4xf64>
  // CHECK: mars.cosh %{{.*}} : tensor<4xf64>
  %u5 = mars.cosh %f : tensor<4xf64>
  // CHECK: mars.arcsinh %{{.*}} : tensor<4xf64>
  %u6 = mars.arcsinh %f : tensor<4xf64>
  // CHECK: mars.arccosh %{{.*}} : tensor<4xf64>
  %u7 = mars.arccosh %f : tensor<4xf64>
  // CHECK: mars.arctanh %{{.*}} : tensor<4xf64>
  %u8 = mars.arctanh %f : tensor<4xf64>
  // CHECK: mars.log2 %{{.*}} : tensor<4xf64>
  %u9 = mars.log2 %f : tensor<4xf64>
  // CHECK: mars.log10 %{{.*}} : tensor<4xf64>
  %u10 = mars.log10 %f : tensor<4xf64>
  // CHECK: mars.log1p %{{.*}} : tensor<4xf64>
  %u11 = mars.log1p %f : tensor<4xf64>
  // CHECK: mars.exp2 %{{.*}} : tensor<4xf64>
  %u12 = mars.exp2 %f : tensor<4xf64>
  // CHECK: mars.expm1 %{{.*}} : tensor<4xf64>
  %u13 = mars.expm1 %f : tensor<4xf64>
  // CHECK: mars.cbrt %{{.*}} : tensor<4xf64>
  %u14 = mars.cbrt %f : tensor<4xf64>
  // CHECK: mars.erf %{{.*}} : tensor<4xf64>
  %sp0 = mars.erf %f : tensor<4xf64>
  // CHECK: mars.erfc %{{.*}} : tensor<4xf64>
  %sp1 = mars.erfc %f : tensor<4xf64>
  // CHECK: mars.gamma %{{.*}} : tensor<4xf64>
  %sp2 = mars.gamma %f : tensor<4xf64>
  // CHECK: mars.lgamma %{{.*}} : tensor<4xf64>
  %sp3 = mars.lgamma %f : tensor<4xf64>
  // CHECK: mars.trunc %{{.*}} : tensor<4xf64>
  %u15 = mars.trunc %f : tensor<4xf64>
  // CHECK: mars.rint %{{.*}} : tensor<4xf64>
  %u16 = mars.rint %f : tensor<4xf64>
  // CHECK: mars.degrees %{{.*}} : tensor<4xf64>
  %d0 = mars.degrees %f : tensor<4xf64>
  // CHECK: mars.radians %{{.*}} : tensor<4xf64>
  %d1 = mars.radians %f : tensor<4xf64>
  // CHECK: mars.isinf %{{.*}} : tensor<4xi32>
  %p0 = mars.isinf %i : (tensor<4xi32>) -> tensor<4xi1>
  // CHECK: mars.isfinite %{{.*}} : tensor<4xf64>
  %p1 = mars.isfinite %f : tensor<4xf64>
  // CHECK: mars.signbit %{{.*}} : tensor<4xf64>
  %p2 = mars.signbit %f : tensor<4xf64>
  return
}

// CHECK-LABEL: func.func @binary
func.func @binary(%a: tensor<4x3xf64>, %v: tensor<3xf64>, %s: tensor<f64>,
                  %i: tensor<4xi64>, %b: tensor<4xi1>) {
  // CHECK: mars.add %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<3xf64>) -> tensor<4x3xf64>
  %0 = mars.add %a, %v : (tensor<4x3xf64>, tensor<3xf64>) -> tensor<4x3xf64>
  // CHECK: mars.sub %{{.*}}, %{{.*}} : tensor<4xi64>
  %1 = mars.sub %i, %i : tensor<4xi64>
  // CHECK: mars.mul
  %2 = mars.mul %a, %s : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  // CHECK: mars.div
  %3 = mars.div %v, %v : tensor<3xf64>
  // CHECK: mars.floor_div
  %4 = mars.floor_div %i, %i : tensor<4xi64>
  // CHECK: mars.mod
  %5 = mars.mod %i, %i : tensor<4xi64>
  // CHECK: mars.pow
  %6 = mars.pow %v, %v : tensor<3xf64>
  // CHECK: mars.arctan2 %{{.*}}, %{{.*}} : tensor<3xf64>
  %arctan2 = mars.arctan2 %v, %v : tensor<3xf64>
  // CHECK: mars.maximum
  %7 = mars.maximum %v, %v : tensor<3xf64>
  // CHECK: mars.minimum
  %8 = mars.minimum %i, %i : tensor<4xi64>
  // CHECK: mars.eq %{{.*}}, %{{.*}} : tensor<4xi64>
  %9 = mars.eq %i, %i : tensor<4xi64>
  // CHECK: mars.ne
  %10 = mars.ne %v, %v : tensor<3xf64>
  // CHECK: mars.lt %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xi1>
  %11 = mars.lt %a, %s : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xi1>
  // CHECK: mars.le
  %12 = mars.le %v, %v : tensor<3xf64>
  // CHECK: mars.gt
  %13 = mars.gt %v, %v : tensor<3xf64>
  // CHECK: mars.ge
  %14 = mars.ge %v, %v : tensor<3xf64>
  // CHECK: mars.logical_and
  %15 = mars.logical_and %b, %b : tensor<4xi1>
  // CHECK: mars.logical_or
  %16 = mars.logical_or %b, %b : tensor<4xi1>
  // CHECK: mars.logical_xor
  %17 = mars.logical_xor %i, %i : tensor<4xi64>
  // CHECK: mars.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x3xi1>, tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  %18 = mars.where %11, %a, %s : (tensor<4x3xi1>, tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  // CHECK: mars.fmax %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  %b0 = mars.fmax %a, %s : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  // CHECK: mars.fmin %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  %b1 = mars.fmin %a, %s : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  // CHECK: mars.hypot %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  %b2 = mars.hypot %a, %s : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  // CHECK: mars.copysign %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  %b3 = mars.copysign %a, %s : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  // CHECK: mars.nextafter %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  %b4 = mars.nextafter %a, %s : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  // CHECK: mars.logaddexp %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  %b5 = mars.logaddexp %a, %s : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  // CHECK: mars.logaddexp2 %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  %b6 = mars.logaddexp2 %a, %s : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  // CHECK: mars.heaviside %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  %b7 = mars.heaviside %a, %s : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  %ia = mars.constant dense<[1, 2, 3]> : tensor<3xi64>
  // CHECK: mars.bitwise_and %{{.*}}, %{{.*}} : tensor<3xi64>
  %bw0 = mars.bitwise_and %ia, %ia : tensor<3xi64>
  // CHECK: mars.bitwise_or %{{.*}}, %{{.*}} : tensor<3xi64>
  %bw1 = mars.bitwise_or %ia, %ia : tensor<3xi64>
  // CHECK: mars.bitwise_xor %{{.*}}, %{{.*}} : tensor<3xi64>
  %bw2 = mars.bitwise_xor %ia, %ia : tensor<3xi64>
  // CHECK: mars.left_shift %{{.*}}, %{{.*}} : tensor<3xi64>
  %bw3 = mars.left_shift %ia, %ia : tensor<3xi64>
  // CHECK: mars.right_shift %{{.*}}, %{{.*}} : tensor<3xi64>
  %bw4 = mars.right_shift %ia, %ia : tensor<3xi64>
  // CHECK: mars.invert %{{.*}} : tensor<3xi64>
  %bw5 = mars.invert %ia : tensor<3xi64>
  // CHECK: mars.gcd %{{.*}}, %{{.*}} : tensor<3xi64>
  %nt0 = mars.gcd %ia, %ia : tensor<3xi64>
  // CHECK: mars.lcm %{{.*}}, %{{.*}} : tensor<3xi64>
  %nt1 = mars.lcm %ia, %ia : tensor<3xi64>
  // CHECK: mars.ldexp %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  %nt2 = mars.ldexp %a, %s : (tensor<4x3xf64>, tensor<f64>) -> tensor<4x3xf64>
  // CHECK: mars.fmax %{{.*}}, %{{.*}} : tensor<4xi64>
  %b8 = mars.fmax %i, %i : tensor<4xi64>
  // CHECK: mars.fmod %{{.*}}, %{{.*}} : tensor<4xi64>
  %b9 = mars.fmod %i, %i : tensor<4xi64>
  return
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<4x5xf64>, %i: tensor<4x5xi32>) {
  // CHECK: mars.sum %{{.*}} axes = [1] : tensor<4x5xf64> -> tensor<4xf64>
  %0 = mars.sum %x axes = [1] : tensor<4x5xf64> -> tensor<4xf64>
  // CHECK: mars.sum %{{.*}} : tensor<4x5xi32> -> tensor<i64>
  %1 = mars.sum %i : tensor<4x5xi32> -> tensor<i64>
  // CHECK: mars.prod %{{.*}} axes = [0] keepdims : tensor<4x5xi32> -> tensor<1x5xi64>
  %2 = mars.prod %i axes = [0] keepdims : tensor<4x5xi32> -> tensor<1x5xi64>
  // CHECK: mars.min %{{.*}} axes = [-1]
  %3 = mars.min %x axes = [-1] : tensor<4x5xf64> -> tensor<4xf64>
  // CHECK: mars.max %{{.*}} axes = [0, 1]
  %4 = mars.max %i axes = [0, 1] : tensor<4x5xi32> -> tensor<i32>
  // CHECK: mars.mean %{{.*}} : tensor<4x5xi32> -> tensor<f64>
  %5 = mars.mean %i : tensor<4x5xi32> -> tensor<f64>
  // CHECK: mars.var %{{.*}} axes = [0] ddof = 1 : tensor<4x5xf64> -> tensor<5xf64>
  %6 = mars.var %x axes = [0] ddof = 1 : tensor<4x5xf64> -> tensor<5xf64>
  // CHECK: mars.std %{{.*}} keepdims : tensor<4x5xf64> -> tensor<1x1xf64>
  %7 = mars.std %x keepdims : tensor<4x5xf64> -> tensor<1x1xf64>
  // CHECK: mars.argmin %{{.*}} axis = 0 : tensor<4x5xf64> -> tensor<5xi64>
  %8 = mars.argmin %x axis = 0 : tensor<4x5xf64> -> tensor<5xi64>
  // CHECK: mars.argmax %{{.*}} : tensor<4x5xi32> -> tensor<i64>
  %9 = mars.argmax %i : tensor<4x5xi32> -> tensor<i64>
  // CHECK: mars.any %{{.*}} axes = [1] : tensor<4x5xi32> -> tensor<4xi1>
  %10 = mars.any %i axes = [1] : tensor<4x5xi32> -> tensor<4xi1>
  // CHECK: mars.all
  %11 = mars.all %x : tensor<4x5xf64> -> tensor<i1>
  // CHECK: mars.count_nonzero %{{.*}} axes = [0] : tensor<4x5xf64> -> tensor<5xi64>
  %12 = mars.count_nonzero %x axes = [0] : tensor<4x5xf64> -> tensor<5xi64>
  // CHECK: mars.nansum %{{.*}} axes = [1] keepdims : tensor<4x5xf64> -> tensor<4x1xf64>
  %nansum = mars.nansum %x axes = [1] keepdims : tensor<4x5xf64> -> tensor<4x1xf64>
  return
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%a: tensor<2x3xf64>, %v: tensor<3xf64>, %e: tensor<1x3x1xf64>) {
  // CHECK: mars.transpose %{{.*}} perm = [1, 0] : tensor<2x3xf64> -> tensor<3x2xf64>
  %0 = mars.transpose %a perm = [1, 0] : tensor<2x3xf64> -> tensor<3x2xf64>
  // CHECK: mars.reshape %{{.*}} : tensor<2x3xf64> -> tensor<6xf64>
  %1 = mars.reshape %a : tensor<2x3xf64> -> tensor<6xf64>
  // CHECK: mars.broadcast_to %{{.*}} : tensor<3xf64> -> tensor<4x3xf64>
  %2 = mars.broadcast_to %v : tensor<3xf64> -> tensor<4x3xf64>
  // CHECK: mars.expand_dims %{{.*}} axes = [0, -1] : tensor<3xf64> -> tensor<1x3x1xf64>
  %3 = mars.expand_dims %v axes = [0, -1] : tensor<3xf64> -> tensor<1x3x1xf64>
  // CHECK: mars.squeeze %{{.*}} axes = [0] : tensor<1x3x1xf64> -> tensor<3x1xf64>
  %4 = mars.squeeze %e axes = [0] : tensor<1x3x1xf64> -> tensor<3x1xf64>
  // CHECK: mars.squeeze %{{.*}} : tensor<1x3x1xf64> -> tensor<3xf64>
  %5 = mars.squeeze %e : tensor<1x3x1xf64> -> tensor<3xf64>
  // CHECK: mars.flip %{{.*}} axes = [0, -1] : tensor<1x3x1xf64> -> tensor<1x3x1xf64>
  %flip = mars.flip %e axes = [0, -1] : tensor<1x3x1xf64> -> tensor<1x3x1xf64>
  // CHECK: mars.band %{{.*}} lower = 1, upper = 0 : tensor<1x3x1xf64> -> tensor<1x3x1xf64>
  %band = mars.band %e lower = 1, upper = 0 : tensor<1x3x1xf64> -> tensor<1x3x1xf64>
  // CHECK: mars.slice %{{.*}}[1:, ::-2] : tensor<2x3xf64> -> tensor<1x2xf64>
  %6 = mars.slice %a [1:, ::-2] : tensor<2x3xf64> -> tensor<1x2xf64>
  // CHECK: mars.slice %{{.*}}[-2:-1] : tensor<3xf64> -> tensor<1xf64>
  %7 = mars.slice %v [-2:-1:1] : tensor<3xf64> -> tensor<1xf64>
  // CHECK: mars.concatenate %{{.*}}, %{{.*}} axis = 0 : tensor<2x3xf64>, tensor<2x3xf64> -> tensor<4x3xf64>
  %8 = mars.concatenate %a, %a axis = 0 : tensor<2x3xf64>, tensor<2x3xf64> -> tensor<4x3xf64>
  // CHECK: mars.stack %{{.*}}, %{{.*}} axis = -1 : tensor<3xf64>, tensor<3xf64> -> tensor<3x2xf64>
  %9 = mars.stack %v, %v axis = -1 : tensor<3xf64>, tensor<3xf64> -> tensor<3x2xf64>
  // CHECK: mars.cumsum %{{.*}} axis = 1 : tensor<2x3xf64> -> tensor<2x3xf64>
  %10 = mars.cumsum %a axis = 1 : tensor<2x3xf64> -> tensor<2x3xf64>
  // CHECK: mars.cumprod %{{.*}} axis = -1 : tensor<3xf64> -> tensor<3xf64>
  %11 = mars.cumprod %v axis = -1 : tensor<3xf64> -> tensor<3xf64>
  // CHECK: mars.nancumsum %{{.*}} axis = 0 : tensor<2x3xf64> -> tensor<2x3xf64>
  %12 = mars.nancumsum %a axis = 0 : tensor<2x3xf64> -> tensor<2x3xf64>
  // CHECK: mars.nancumprod %{{.*}} axis = 0 : tensor<3xf64> -> tensor<3xf64>
  %13 = mars.nancumprod %v axis = 0 : tensor<3xf64> -> tensor<3xf64>
  // CHECK: mars.sort %{{.*}} axis = -1 : tensor<2x3xf64> -> tensor<2x3xf64>
  %14 = mars.sort %a axis = -1 : tensor<2x3xf64> -> tensor<2x3xf64>
  // CHECK: mars.argsort %{{.*}} axis = 0 : tensor<2x3xf64> -> tensor<2x3xi64>
  %15 = mars.argsort %a axis = 0 : tensor<2x3xf64> -> tensor<2x3xi64>
  // CHECK: mars.searchsorted %{{.*}}, %{{.*}} side = "right" : tensor<3xf64>, tensor<2x3xf64> -> tensor<2x3xi64>
  %16 = mars.searchsorted %v, %a side = "right" : tensor<3xf64>, tensor<2x3xf64> -> tensor<2x3xi64>
  // CHECK: mars.take %{{.*}}, %{{.*}} axis = 1 mode = "wrap" : tensor<2x3xf64>, tensor<2x3xi64> -> tensor<2x2x3xf64>
  %17 = mars.take %a, %15 axis = 1 mode = "wrap" : tensor<2x3xf64>, tensor<2x3xi64> -> tensor<2x2x3xf64>
  // CHECK: mars.take_along_axis %{{.*}}, %{{.*}} axis = 0 : tensor<2x3xf64>, tensor<2x3xi64> -> tensor<2x3xf64>
  %18 = mars.take_along_axis %a, %15 axis = 0 : tensor<2x3xf64>, tensor<2x3xi64> -> tensor<2x3xf64>
  // CHECK: mars.sort_runs %{{.*}} axis = 1 run = 2 : tensor<2x3xf64> -> tensor<2x3xf64>
  %19 = mars.sort_runs %a axis = 1 run = 2 : tensor<2x3xf64> -> tensor<2x3xf64>
  // CHECK: mars.merge_runs %{{.*}} axis = 1 run = 2 : tensor<2x3xf64> -> tensor<2x3xf64>
  %20 = mars.merge_runs %19 axis = 1 run = 2 : tensor<2x3xf64> -> tensor<2x3xf64>
  // CHECK: mars.sorted_at %{{.*}} axis = 1 kth = [0, -1, 1] : tensor<2x3xf64> -> tensor<2x3xf64>
  %22 = mars.sorted_at %a axis = 1 kth = [0, -1, 1] : tensor<2x3xf64> -> tensor<2x3xf64>
  // CHECK: mars.sorted_at %{{.*}} axis = 1 kth = [2, 1] indices : tensor<2x3xf64> -> tensor<2x2xi64>
  %argat = mars.sorted_at %a axis = 1 kth = [2, 1] indices : tensor<2x3xf64> -> tensor<2x2xi64>
  // CHECK: mars.radix_histogram %{{.*}}, %{{.*}} rows = 4 shift = 48 : tensor<6xf64>, tensor<2xi64> -> tensor<2x65536xi64>
  // CHECK: mars.radix_pick %{{.*}}, %{{.*}} shift = 48 : tensor<65536xi64>, tensor<2xi64> -> tensor<2xi64>
  // CHECK: mars.radix_value %{{.*}} : tensor<2xi64> -> tensor<1xf64>
  %rflat = mars.reshape %a : tensor<2x3xf64> -> tensor<6xf64>
  %rstate = mars.constant dense<[0, 3]> : tensor<2xi64>
  %rh = mars.radix_histogram %rflat, %rstate rows = 4 shift = 48 : tensor<6xf64>, tensor<2xi64> -> tensor<2x65536xi64>
  %rc = mars.sum %rh axes = [0] : tensor<2x65536xi64> -> tensor<65536xi64>
  %rs = mars.radix_pick %rc, %rstate shift = 48 : tensor<65536xi64>, tensor<2xi64> -> tensor<2xi64>
  %rv = mars.radix_value %rs : tensor<2xi64> -> tensor<1xf64>
  // CHECK: mars.reshape
  // CHECK: mars.bincount %{{.*}} : tensor<6xi64> -> tensor<4xi64>
  %flat = mars.reshape %15 : tensor<2x3xi64> -> tensor<6xi64>
  %23 = mars.bincount %flat : tensor<6xi64> -> tensor<4xi64>
  // CHECK: mars.put %{{.*}}, %{{.*}}, %{{.*}} mode = "clip" : tensor<2x3xf64>, tensor<2x3xi64>, tensor<3xf64> -> tensor<2x3xf64>
  %21 = mars.put %a, %15, %v mode = "clip" : tensor<2x3xf64>, tensor<2x3xi64>, tensor<3xf64> -> tensor<2x3xf64>
  return
}

// CHECK-LABEL: func.func @linalg_and_data
func.func @linalg_and_data(%a: tensor<4x3xf64>, %b: tensor<3x5xf64>, %x: tensor<3xf64>,
                           %t: tensor<2x3x4xf64>, %u: tensor<3x4x5xf64>) -> tensor<4x5xf64> {
  // CHECK: mars.matmul %{{.*}}, %{{.*}} : tensor<4x3xf64>, tensor<3x5xf64> -> tensor<4x5xf64>
  %0 = mars.matmul %a, %b : tensor<4x3xf64>, tensor<3x5xf64> -> tensor<4x5xf64>
  // CHECK: mars.matmul %{{.*}}, %{{.*}} : tensor<4x3xf64>, tensor<3xf64> -> tensor<4xf64>
  %1 = mars.matmul %a, %x : tensor<4x3xf64>, tensor<3xf64> -> tensor<4xf64>
  // CHECK: mars.matmul %{{.*}}, %{{.*}} : tensor<3xf64>, tensor<3xf64> -> tensor<f64>
  %2 = mars.matmul %x, %x : tensor<3xf64>, tensor<3xf64> -> tensor<f64>
  // CHECK: mars.matmul %{{.*}}, %{{.*}} : tensor<2x3x4xf64>, tensor<2x4x3xf64> -> tensor<2x3x3xf64>
  %tt = mars.transpose %t perm = [0, 2, 1] : tensor<2x3x4xf64> -> tensor<2x4x3xf64>
  %st = mars.matmul %t, %tt : tensor<2x3x4xf64>, tensor<2x4x3xf64> -> tensor<2x3x3xf64>
  // CHECK: mars.tensordot %{{.*}}, %{{.*}} axes = [1, 2], [0, 1] : tensor<2x3x4xf64>, tensor<3x4x5xf64> -> tensor<2x5xf64>
  %3 = mars.tensordot %t, %u axes = [1, 2], [0, 1] : tensor<2x3x4xf64>, tensor<3x4x5xf64> -> tensor<2x5xf64>
  // CHECK: mars.load "data/a.npy" : tensor<4x3xf64>
  %4 = mars.load "data/a.npy" : tensor<4x3xf64>
  // CHECK: mars.rechunk %{{.*}} {mars.chunks = array<i64: 2, 5>} : tensor<4x5xf64>
  %5 = mars.rechunk %0 {mars.chunks = array<i64: 2, 5>} : tensor<4x5xf64>
  // CHECK: mars.save %{{.*}}, "out/c.npy" : tensor<4x5xf64>
  mars.save %0, "out/c.npy" : tensor<4x5xf64>
  return %0 : tensor<4x5xf64>
}

// CHECK-LABEL: func.func @decompositions
func.func @decompositions(%a: tensor<2x4x4xf32>, %b: tensor<2x4x3xf32>, %c: tensor<6x4xf64>) {
  // CHECK: mars.inv %{{.*}} : tensor<2x4x4xf32> -> tensor<2x4x4xf32>
  %0 = mars.inv %a : tensor<2x4x4xf32> -> tensor<2x4x4xf32>
  // CHECK: mars.solve %{{.*}}, %{{.*}} structure = "lower_unit" : tensor<2x4x4xf32>, tensor<2x4x3xf32> -> tensor<2x4x3xf32>
  %1 = mars.solve %a, %b structure = "lower_unit" : tensor<2x4x4xf32>, tensor<2x4x3xf32> -> tensor<2x4x3xf32>
  // CHECK: mars.solve %{{.*}}, %{{.*}} structure = "upper" check_finite : tensor<2x4x4xf32>, tensor<2x4x3xf32> -> tensor<2x4x3xf32>
  %solve_checked = mars.solve %a, %b structure = "upper" check_finite : tensor<2x4x4xf32>, tensor<2x4x3xf32> -> tensor<2x4x3xf32>
  // CHECK: mars.solve %{{.*}}, %{{.*}} structure = "upper" numpy_errors : tensor<2x4x4xf32>, tensor<2x4x3xf32> -> tensor<2x4x3xf32>
  %solve_numpy = mars.solve %a, %b structure = "upper" numpy_errors : tensor<2x4x4xf32>, tensor<2x4x3xf32> -> tensor<2x4x3xf32>
  // CHECK: mars.cholesky %{{.*}} : tensor<2x4x4xf32> -> tensor<2x4x4xf32>
  %2 = mars.cholesky %a : tensor<2x4x4xf32> -> tensor<2x4x4xf32>
  // CHECK: mars.det %{{.*}} part = "logabsdet" : tensor<2x4x4xf32> -> tensor<2xf32>
  %3 = mars.det %a part = "logabsdet" : tensor<2x4x4xf32> -> tensor<2xf32>
  // CHECK: mars.qr %{{.*}} part = "q" complete = true : tensor<6x4xf64> -> tensor<6x6xf64>
  %4 = mars.qr %c part = "q" complete = true : tensor<6x4xf64> -> tensor<6x6xf64>
  // CHECK: mars.qr %{{.*}} part = "r" complete = false : tensor<6x4xf64> -> tensor<4x4xf64>
  %5 = mars.qr %c part = "r" complete = false : tensor<6x4xf64> -> tensor<4x4xf64>
  // CHECK: mars.qr %{{.*}} part = "r" complete = false positive : tensor<6x4xf64> -> tensor<4x4xf64>
  %rp = mars.qr %c part = "r" complete = false positive : tensor<6x4xf64> -> tensor<4x4xf64>
  // CHECK: mars.qr %{{.*}} part = "wy" complete = false : tensor<6x4xf64> -> tensor<10x4xf64>
  %wy = mars.qr %c part = "wy" complete = false : tensor<6x4xf64> -> tensor<10x4xf64>
  // CHECK: mars.svd %{{.*}} part = "vh" full_matrices = false : tensor<6x4xf64> -> tensor<4x4xf64>
  %6 = mars.svd %c part = "vh" full_matrices = false : tensor<6x4xf64> -> tensor<4x4xf64>
  // CHECK: mars.svd %{{.*}} part = "s" full_matrices = false : tensor<6x4xf64> -> tensor<4xf64>
  %7 = mars.svd %c part = "s" full_matrices = false : tensor<6x4xf64> -> tensor<4xf64>
  // CHECK: mars.eigh %{{.*}} part = "w" upper = true : tensor<2x4x4xf32> -> tensor<2x4xf32>
  %8 = mars.eigh %a part = "w" upper = true : tensor<2x4x4xf32> -> tensor<2x4xf32>
  // CHECK: mars.lu %{{.*}} part = "p" : tensor<6x4xf64> -> tensor<6x6xf64>
  %9 = mars.lu %c part = "p" : tensor<6x4xf64> -> tensor<6x6xf64>
  // CHECK: mars.lu %{{.*}} part = "u" check_finite : tensor<6x4xf64> -> tensor<4x4xf64>
  %lu_checked = mars.lu %c part = "u" check_finite : tensor<6x4xf64> -> tensor<4x4xf64>
  // CHECK: mars.lu %{{.*}} part = "perm" : tensor<6x4xf64> -> tensor<6xi64>
  %lu_perm = mars.lu %c part = "perm" : tensor<6x4xf64> -> tensor<6xi64>
  // CHECK: mars.lu %{{.*}} part = "lu" : tensor<2x4x4xf32> -> tensor<2x4x4xf32>
  %lu_packed = mars.lu %a part = "lu" : tensor<2x4x4xf32> -> tensor<2x4x4xf32>
  // CHECK: mars.lu %{{.*}} part = "perm_sign" : tensor<2x4x4xf32> -> tensor<2xf32>
  %lu_sign = mars.lu %a part = "perm_sign" : tensor<2x4x4xf32> -> tensor<2xf32>
  return
}

// CHECK-LABEL: func.func @fused
func.func @fused(%r: tensor<1000xf64>) -> tensor<i64> {
  // CHECK: mars.fused(%{{.*}}) : (tensor<1000xf64>) -> tensor<i64> {
  // CHECK-NEXT: ^bb0(%[[X:.*]]: tensor<1000xf64>):
  // CHECK: mars.yield %{{.*}} : tensor<i64>
  %count = mars.fused(%r) : (tensor<1000xf64>) -> tensor<i64> {
  ^bb0(%x: tensor<1000xf64>):
    %one = mars.full(1.0) : tensor<f64>
    %in = mars.lt %x, %one : (tensor<1000xf64>, tensor<f64>) -> tensor<1000xi1>
    %n = mars.sum %in : tensor<1000xi1> -> tensor<i64>
    mars.yield %n : tensor<i64>
  }
  return %count : tensor<i64>
}

// CHECK-LABEL: func.func @fused_multi_output
func.func @fused_multi_output(%a: tensor<8xf64>, %b: tensor<8xf64>)
    -> (tensor<f64>, tensor<f64>, tensor<f64>) {
  // CHECK: %[[R:.*]]:3 = mars.fused(%{{.*}}, %{{.*}}) : (tensor<8xf64>, tensor<8xf64>) -> (tensor<f64>, tensor<f64>, tensor<f64>) {
  // CHECK: mars.yield %{{.*}}, %{{.*}}, %{{.*}} : tensor<f64>, tensor<f64>, tensor<f64>
  // CHECK: return %[[R]]#0, %[[R]]#1, %[[R]]#2
  %s, %m, %mn = mars.fused(%a, %b) : (tensor<8xf64>, tensor<8xf64>)
      -> (tensor<f64>, tensor<f64>, tensor<f64>) {
  ^bb0(%x: tensor<8xf64>, %y: tensor<8xf64>):
    %d = mars.sub %x, %y : tensor<8xf64>
    %sq = mars.mul %d, %d : tensor<8xf64>
    %r0 = mars.sum %sq : tensor<8xf64> -> tensor<f64>
    %ad = mars.abs %d : tensor<8xf64>
    %r1 = mars.max %ad : tensor<8xf64> -> tensor<f64>
    %r2 = mars.mean %d : tensor<8xf64> -> tensor<f64>
    mars.yield %r0, %r1, %r2 : tensor<f64>, tensor<f64>, tensor<f64>
  }
  return %s, %m, %mn : tensor<f64>, tensor<f64>, tensor<f64>
}

// CHECK-LABEL: func.func @fused_inner_reduction
func.func @fused_inner_reduction(%scale: tensor<f64>) -> tensor<i64> {
  // CHECK: mars.fused(%{{.*}}) : (tensor<f64>) -> tensor<i64> {
  // CHECK: %[[R2:.*]] = mars.sum %{{.*}} axes = [1] : tensor<1000x2xf64> -> tensor<1000xf64>
  // CHECK: mars.lt %[[R2]]
  // CHECK: mars.yield %{{.*}} : tensor<i64>
  %count = mars.fused(%scale) : (tensor<f64>) -> tensor<i64> {
  ^bb0(%s: tensor<f64>):
    %p = mars.random_uniform seed = 1, low = -1.0, high = 1.0 : tensor<1000x2xf64>
    %ps = mars.mul %p, %s : (tensor<1000x2xf64>, tensor<f64>) -> tensor<1000x2xf64>
    %sq = mars.square %ps : tensor<1000x2xf64>
    %r2 = mars.sum %sq axes = [1] : tensor<1000x2xf64> -> tensor<1000xf64>
    %one = mars.full(1.0) : tensor<f64>
    %in = mars.lt %r2, %one : (tensor<1000xf64>, tensor<f64>) -> tensor<1000xi1>
    %n = mars.sum %in : tensor<1000xi1> -> tensor<i64>
    mars.yield %n : tensor<i64>
  }
  return %count : tensor<i64>
}

// CHECK-LABEL: func.func @fused_inner_reads_input
func.func @fused_inner_reads_input(%a: tensor<100x3xf64>) -> tensor<100xf64> {
  // CHECK: mars.fused(%{{.*}}) : (tensor<100x3xf64>) -> tensor<100xf64> {
  // CHECK: mars.max %{{.*}} axes = [1]
  // CHECK: mars.min %{{.*}} axes = [1]
  %range = mars.fused(%a) : (tensor<100x3xf64>) -> tensor<100xf64> {
  ^bb0(%x: tensor<100x3xf64>):
    %hi = mars.max %x axes = [1] : tensor<100x3xf64> -> tensor<100xf64>
    %lo = mars.min %x axes = [1] : tensor<100x3xf64> -> tensor<100xf64>
    %d = mars.sub %hi, %lo : tensor<100xf64>
    mars.yield %d : tensor<100xf64>
  }
  return %range : tensor<100xf64>
}

// Sparse matrices: the #mars.csr encoding, the ops that make and take them.
// CHECK-LABEL: func.func @sparse
func.func @sparse(%a: tensor<4x5xf64>, %s: tensor<5x3xf64, #mars.csr>,
                  %x: tensor<3xf64>, %m: tensor<3x2xf64>, %y5: tensor<5xf64>) {
  // CHECK: mars.eye k = 1 : tensor<4x5xf64, #mars.csr>
  %e = mars.eye k = 1 : tensor<4x5xf64, #mars.csr>
  // CHECK: mars.to_sparse %{{.*}} : tensor<4x5xf64> -> tensor<4x5xf64, #mars.csr>
  %t = mars.to_sparse %a : tensor<4x5xf64> -> tensor<4x5xf64, #mars.csr>
  // CHECK: mars.to_dense %{{.*}} : tensor<4x5xf64, #mars.csr> -> tensor<4x5xf64>
  %d = mars.to_dense %e : tensor<4x5xf64, #mars.csr> -> tensor<4x5xf64>
  // A sparse matrix times a dense array broadcasting to it: sparse.
  // CHECK: mars.mul %{{.*}}, %{{.*}} : (tensor<4x5xf64, #mars.csr>, tensor<5xf64>) -> tensor<4x5xf64, #mars.csr>
  %sd = mars.mul %e, %y5 : (tensor<4x5xf64, #mars.csr>, tensor<5xf64>) -> tensor<4x5xf64, #mars.csr>
  // Reductions of a sparse matrix: dense results.
  // CHECK: mars.max %{{.*}} axes = [1] : tensor<4x5xf64, #mars.csr> -> tensor<4xf64>
  %mx = mars.max %e axes = [1] : tensor<4x5xf64, #mars.csr> -> tensor<4xf64>
  // CHECK: mars.argmin %{{.*}} axis = 0 : tensor<4x5xf64, #mars.csr> -> tensor<5xi64>
  %am = mars.argmin %e axis = 0 : tensor<4x5xf64, #mars.csr> -> tensor<5xi64>
  // CHECK: mars.matmul %{{.*}}, %{{.*}} : tensor<5x3xf64, #mars.csr>, tensor<3xf64> -> tensor<5xf64>
  %y = mars.matmul %s, %x : tensor<5x3xf64, #mars.csr>, tensor<3xf64> -> tensor<5xf64>
  // CHECK: mars.matmul %{{.*}}, %{{.*}} : tensor<5x3xf64, #mars.csr>, tensor<3x2xf64> -> tensor<5x2xf64>
  %z = mars.matmul %s, %m : tensor<5x3xf64, #mars.csr>, tensor<3x2xf64> -> tensor<5x2xf64>
  // CHECK: mars.matmul %{{.*}}, %{{.*}} : tensor<4x5xf64, #mars.csr>, tensor<5x3xf64, #mars.csr> -> tensor<4x3xf64, #mars.csr>
  %g = mars.matmul %e, %s : tensor<4x5xf64, #mars.csr>, tensor<5x3xf64, #mars.csr> -> tensor<4x3xf64, #mars.csr>
  // CHECK: mars.rechunk %{{.*}} {mars.chunks = array<i64: 2, 2>} : tensor<4x5xf64, #mars.csr>
  %r = mars.rechunk %e {mars.chunks = array<i64: 2, 2>} : tensor<4x5xf64, #mars.csr>
  return
}

// Elementwise ops and transposes of sparse matrices.
// CHECK-LABEL: func.func @sparse_elementwise
func.func @sparse_elementwise(%s: tensor<4x5xf64, #mars.csr>, %k: tensor<f64>) {
  // CHECK: mars.neg %{{.*}} : tensor<4x5xf64, #mars.csr>
  %n = mars.neg %s : tensor<4x5xf64, #mars.csr>
  // CHECK: mars.mul %{{.*}}, %{{.*}} : (tensor<4x5xf64, #mars.csr>, tensor<f64>) -> tensor<4x5xf64, #mars.csr>
  %m = mars.mul %s, %k : (tensor<4x5xf64, #mars.csr>, tensor<f64>) -> tensor<4x5xf64, #mars.csr>
  // CHECK: mars.add %{{.*}}, %{{.*}} : tensor<4x5xf64, #mars.csr>
  %u = mars.add %s, %n : tensor<4x5xf64, #mars.csr>
  // CHECK: mars.isnan %{{.*}} : tensor<4x5xf64, #mars.csr>
  %b = mars.isnan %s : tensor<4x5xf64, #mars.csr>
  // CHECK: mars.cast %{{.*}} : (tensor<4x5xf64, #mars.csr>) -> tensor<4x5xi32, #mars.csr>
  %c = mars.cast %s : (tensor<4x5xf64, #mars.csr>) -> tensor<4x5xi32, #mars.csr>
  // CHECK: mars.transpose %{{.*}} perm = [1, 0] : tensor<4x5xf64, #mars.csr> -> tensor<5x4xf64, #mars.csr>
  %t = mars.transpose %s perm = [1, 0] : tensor<4x5xf64, #mars.csr> -> tensor<5x4xf64, #mars.csr>
  // CHECK: mars.band %{{.*}} lower = -4, upper = 0 : tensor<4x5xf64, #mars.csr> -> tensor<4x5xf64, #mars.csr>
  %l = mars.band %s lower = -4, upper = 0 : tensor<4x5xf64, #mars.csr> -> tensor<4x5xf64, #mars.csr>
  return
}

// Slices and joins of sparse matrices.
// CHECK-LABEL: func.func @sparse_shapes
func.func @sparse_shapes(%s: tensor<4x5xf64, #mars.csr>, %t: tensor<2x5xf64, #mars.csr>) {
  // CHECK: mars.slice %{{.*}}[1:3, ::-2] : tensor<4x5xf64, #mars.csr> -> tensor<2x3xf64, #mars.csr>
  %0 = mars.slice %s [1:3, ::-2] : tensor<4x5xf64, #mars.csr> -> tensor<2x3xf64, #mars.csr>
  // CHECK: mars.concatenate %{{.*}}, %{{.*}} axis = 0 : tensor<4x5xf64, #mars.csr>, tensor<2x5xf64, #mars.csr> -> tensor<6x5xf64, #mars.csr>
  %1 = mars.concatenate %s, %t axis = 0 : tensor<4x5xf64, #mars.csr>, tensor<2x5xf64, #mars.csr> -> tensor<6x5xf64, #mars.csr>
  return
}

// Complex numbers: split into parts, joined, and moved by shape ops.
// CHECK-LABEL: func.func @complex_numbers
func.func @complex_numbers(%z: tensor<2x3xcomplex<f64>>, %w: tensor<4xcomplex<f32>>) {
  // CHECK: mars.real %{{.*}} : tensor<2x3xcomplex<f64>> -> tensor<2x3xf64>
  %re = mars.real %z : tensor<2x3xcomplex<f64>> -> tensor<2x3xf64>
  // CHECK: mars.imag %{{.*}} : tensor<4xcomplex<f32>> -> tensor<4xf32>
  %im = mars.imag %w : tensor<4xcomplex<f32>> -> tensor<4xf32>
  // CHECK: mars.complex %{{.*}}, %{{.*}} : tensor<2x3xf64> -> tensor<2x3xcomplex<f64>>
  %c = mars.complex %re, %re : tensor<2x3xf64> -> tensor<2x3xcomplex<f64>>
  // CHECK: mars.transpose %{{.*}} perm = [1, 0] : tensor<2x3xcomplex<f64>> -> tensor<3x2xcomplex<f64>>
  %t = mars.transpose %z perm = [1, 0] : tensor<2x3xcomplex<f64>> -> tensor<3x2xcomplex<f64>>
  // CHECK: mars.rechunk %{{.*}} {mars.chunks = array<i64: 2>} : tensor<4xcomplex<f32>>
  %r = mars.rechunk %w {mars.chunks = array<i64: 2>} : tensor<4xcomplex<f32>>
  return
}
