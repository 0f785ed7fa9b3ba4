// complex64 and complex128 are stored only: mars.real and mars.imag split
// them into their float parts, mars.complex joins parts bit for bit, and
// the shape ops, loads and saves move complex elements. The inputs hold
// NaN, infinities, -0.0 and subnormals in either part; every engine (the
// GPU emulator too) writes numpy's bytes, chunks ragged and spilled.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/complex.py make %t
// RUN: mars-run %s --engine=reference --arg 0=%t/z.npy --arg 1=%t/w.npy --output %t/ref --quiet
// RUN: mars-run %s --engine=chunked --chunks=4 --arg 0=%t/z.npy --arg 1=%t/w.npy --output %t/chunked --quiet
// RUN: mars-run %s --engine=chunked --chunks=3 --memory-limit=6KB --arg 0=%t/z.npy --arg 1=%t/w.npy --output %t/spilled --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=5 --arg 0=%t/z.npy --arg 1=%t/w.npy --output %t/compiled --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator --arg 0=%t/z.npy --arg 1=%t/w.npy --output %t/gpu --quiet 2>/dev/null
// RUN: %python %S/Inputs/complex.py check %t ref chunked spilled compiled gpu | FileCheck %s
// RUN: mars-run %s --engine=reference --arg 0=%t/z.npy --arg 1=%t/w.npy | FileCheck %s --check-prefix=PRINT

// CHECK: ref: 10 results equal numpy's
// CHECK-NEXT: chunked: 10 results equal numpy's
// CHECK-NEXT: spilled: 10 results equal numpy's
// CHECK-NEXT: compiled: 10 results equal numpy's
// CHECK-NEXT: gpu: 10 results equal numpy's

// numpy's format: the real parts, then each imaginary part's sign and
// magnitude and "j".
// PRINT: {{\[\[ +}}nan+1.j{{ +}}1.00000000e+000+nanj
// PRINT-NEXT: {{^ +}}inf-0.j{{ +}}-0.00000000e+000-infj

func.func @main(%z: tensor<6x7xcomplex<f64>>, %w: tensor<37xcomplex<f32>>)
    -> (tensor<6x7xf64>, tensor<6x7xf64>, tensor<37xf32>, tensor<37xf32>,
        tensor<6x7xcomplex<f64>>, tensor<5x6xcomplex<f64>>,
        tensor<3x5xcomplex<f32>>, tensor<2x4xcomplex<f32>>,
        tensor<6x7xcomplex<f64>>, tensor<7x6xcomplex<f64>>) {
  %re = mars.real %z : tensor<6x7xcomplex<f64>> -> tensor<6x7xf64>
  %im = mars.imag %z : tensor<6x7xcomplex<f64>> -> tensor<6x7xf64>
  %wre = mars.real %w : tensor<37xcomplex<f32>> -> tensor<37xf32>
  %wim = mars.imag %w : tensor<37xcomplex<f32>> -> tensor<37xf32>
  %back = mars.complex %re, %im : tensor<6x7xf64> -> tensor<6x7xcomplex<f64>>
  %t = mars.transpose %z perm = [1, 0] : tensor<6x7xcomplex<f64>> -> tensor<7x6xcomplex<f64>>
  %s = mars.slice %t [1:6:2] : tensor<7x6xcomplex<f64>> -> tensor<3x6xcomplex<f64>>
  %f = mars.flip %t axes = [0] : tensor<7x6xcomplex<f64>> -> tensor<7x6xcomplex<f64>>
  %f2 = mars.slice %f [:2] : tensor<7x6xcomplex<f64>> -> tensor<2x6xcomplex<f64>>
  %c = mars.concatenate %s, %f2 axis = 0 : tensor<3x6xcomplex<f64>>, tensor<2x6xcomplex<f64>> -> tensor<5x6xcomplex<f64>>
  %w5 = mars.slice %w [:5] : tensor<37xcomplex<f32>> -> tensor<5xcomplex<f32>>
  %b = mars.broadcast_to %w5 : tensor<5xcomplex<f32>> -> tensor<3x5xcomplex<f32>>
  %w4 = mars.slice %w [:4] : tensor<37xcomplex<f32>> -> tensor<4xcomplex<f32>>
  %w8 = mars.slice %w [4:8] : tensor<37xcomplex<f32>> -> tensor<4xcomplex<f32>>
  %st = mars.stack %w4, %w8 axis = 1 : tensor<4xcomplex<f32>>, tensor<4xcomplex<f32>> -> tensor<4x2xcomplex<f32>>
  %r = mars.reshape %st : tensor<4x2xcomplex<f32>> -> tensor<2x4xcomplex<f32>>
  %l = mars.band %z lower = -6, upper = -1 : tensor<6x7xcomplex<f64>> -> tensor<6x7xcomplex<f64>>
  %tre = mars.real %t : tensor<7x6xcomplex<f64>> -> tensor<7x6xf64>
  %tim = mars.imag %t : tensor<7x6xcomplex<f64>> -> tensor<7x6xf64>
  %swap = mars.complex %tim, %tre : tensor<7x6xf64> -> tensor<7x6xcomplex<f64>>
  return %re, %im, %wre, %wim, %back, %c, %b, %r, %l, %swap
      : tensor<6x7xf64>, tensor<6x7xf64>, tensor<37xf32>, tensor<37xf32>,
        tensor<6x7xcomplex<f64>>, tensor<5x6xcomplex<f64>>,
        tensor<3x5xcomplex<f32>>, tensor<2x4xcomplex<f32>>,
        tensor<6x7xcomplex<f64>>, tensor<7x6xcomplex<f64>>
}
