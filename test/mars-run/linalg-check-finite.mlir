// scipy.linalg's check_finite on mars.lu and mars.solve: a NaN or infinity
// in an operand fails on every engine with scipy's sentence (a ValueError
// in Python); without the attribute the factors are computed and carry the
// NaN, as scipy's check_finite=False.

// RUN: not mars-run --engine=reference --entry=lu_nan %s 2>&1 | FileCheck %s
// RUN: not mars-run --engine=chunked --chunks=2 --entry=lu_nan %s 2>&1 | FileCheck %s
// RUN: not mars-run --engine=compiled --kernel-cache=none --entry=lu_nan %s 2>&1 | FileCheck %s
// RUN: not mars-run --engine=reference --entry=solve_inf_rhs %s 2>&1 | FileCheck %s
// RUN: not mars-run --engine=compiled --kernel-cache=none --chunks=2 --entry=solve_inf_rhs %s 2>&1 | FileCheck %s
// RUN: mars-run --engine=compiled --kernel-cache=none --entry=unchecked %s | FileCheck %s --check-prefix=UNCHECKED
// RUN: mars-run --engine=reference --entry=finite %s | FileCheck %s --check-prefix=FINITE

// CHECK: array must not contain infs or NaNs
// UNCHECKED: nan
// FINITE: {{\[}}[1.  0. ]
// FINITE-NEXT:  [0.5 1. ]]

func.func @lu_nan() -> tensor<2x2xf64> {
  %a = mars.constant dense<[[1.0, 0x7FF8000000000000], [2.0, 3.0]]> : tensor<2x2xf64>
  %l = mars.lu %a part = "l" check_finite : tensor<2x2xf64> -> tensor<2x2xf64>
  return %l : tensor<2x2xf64>
}

func.func @solve_inf_rhs() -> tensor<2x1xf64> {
  %a = mars.constant dense<[[2.0, 0.0], [1.0, 1.0]]> : tensor<2x2xf64>
  %b = mars.constant dense<[[1.0], [0x7FF0000000000000]]> : tensor<2x1xf64>
  %x = mars.solve %a, %b structure = "lower" check_finite : tensor<2x2xf64>, tensor<2x1xf64> -> tensor<2x1xf64>
  return %x : tensor<2x1xf64>
}

func.func @unchecked() -> tensor<2x1xf64> {
  %a = mars.constant dense<[[2.0, 0.0], [1.0, 1.0]]> : tensor<2x2xf64>
  %b = mars.constant dense<[[0x7FF8000000000000], [1.0]]> : tensor<2x1xf64>
  %x = mars.solve %a, %b structure = "lower" : tensor<2x2xf64>, tensor<2x1xf64> -> tensor<2x1xf64>
  return %x : tensor<2x1xf64>
}

func.func @finite() -> tensor<2x2xf64> {
  %a = mars.constant dense<[[2.0, 4.0], [1.0, 3.0]]> : tensor<2x2xf64>
  %l = mars.lu %a part = "l" check_finite : tensor<2x2xf64> -> tensor<2x2xf64>
  return %l : tensor<2x2xf64>
}
