// An inner reduction in a group whose root is a map: only the ops the
// root's value is computed from go into its kernel (a rank-0 constant
// before it once pulled the reduction into a kernel of rank 0 and crashed
// code generation), and no kernel is built for the root's first operand.
// An empty reduction's region needs no kernel at run time either.

// RUN: mars-run --engine=reference %s | FileCheck %s
// RUN: mars-run --kernel-cache=none %s | FileCheck %s
// RUN: mars-run --kernel-cache=none --chunks=1 %s | FileCheck %s
// RUN: mars-run --kernel-cache=none --device=gpu-emulator %s 2>/dev/null | FileCheck %s

// CHECK: {{\[\[}}3 3]]
// CHECK-NEXT: [nan]
func.func @main() -> (tensor<1x2xi64>, tensor<1xf64>) {
  %x = mars.arange start = 0.0, step = 1.0 : tensor<4xf64>
  %m = mars.reshape %x : tensor<4xf64> -> tensor<2x2xf64>
  %n = mars.count_nonzero %m axes = [0] keepdims : tensor<2x2xf64> -> tensor<1x2xi64>
  %three = mars.full(3) : tensor<i64>
  %r = mars.maximum %three, %n : (tensor<i64>, tensor<1x2xi64>) -> tensor<1x2xi64>
  %e = mars.random_integers seed = 4, low = -9, high = 9 : tensor<0xi64>
  %v = mars.var %e axes = [0] keepdims : tensor<0xi64> -> tensor<1xf64>
  return %r, %v : tensor<1x2xi64>, tensor<1xf64>
}
