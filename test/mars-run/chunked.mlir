// The chunked engine: tiled execution with ragged chunks, .npy load and save
// chunk by chunk, and its option and run-time errors.

// RUN: rm -rf %t && mkdir -p %t && cd %t
// RUN: %python -c "import numpy as np; np.save('in.npy', np.arange(35, dtype=np.float64).reshape(5, 7))"
// RUN: mars-run %s --engine=chunked --chunks=2 | FileCheck %s
// RUN: %python -c "import numpy as np; a = np.load('out.npy'); assert (a == np.arange(35.).reshape(5, 7).T * 2).all(), a; print('saved ok')" | FileCheck %s --check-prefix=SAVED
// RUN: mars-run %s --engine=chunked --chunk-bytes=100 --fan-in=3 | FileCheck %s
// RUN: not mars-run %s --engine=chunked --chunks=-1 2>&1 | FileCheck %s --check-prefix=BADCHUNKS
// RUN: not mars-run %s --engine=chunked --fan-in=1 2>&1 | FileCheck %s --check-prefix=BADFANIN
// RUN: not mars-run %s --engine=chunked --chunk-bytes=0 2>&1 | FileCheck %s --check-prefix=BADBYTES
// RUN: not mars-run %s --engine=chunked --entry=empty_min 2>&1 | FileCheck %s --check-prefix=EMPTYMIN

// CHECK: 595.0
// CHECK-NEXT: [ 0.  7. 14. 21. 28.]
// SAVED: saved ok
// BADCHUNKS: error: --chunks must be positive, got -1
// BADFANIN: error: --fan-in must be at least 2, got 1
// BADBYTES: error: --chunk-bytes: must be positive
func.func @main() -> (tensor<f64>, tensor<5xf64>) {
  %a = mars.load "in.npy" : tensor<5x7xf64>
  %s = mars.sum %a : tensor<5x7xf64> -> tensor<f64>
  %t = mars.transpose %a perm = [1, 0] : tensor<5x7xf64> -> tensor<7x5xf64>
  %two = mars.full(2.0) : tensor<f64>
  %d = mars.mul %t, %two : (tensor<7x5xf64>, tensor<f64>) -> tensor<7x5xf64>
  mars.save %d, "out.npy" : tensor<7x5xf64>
  %row = mars.slice %t [:1] : tensor<7x5xf64> -> tensor<1x5xf64>
  %r = mars.reshape %row : tensor<1x5xf64> -> tensor<5xf64>
  return %s, %r : tensor<f64>, tensor<5xf64>
}

func.func @empty_min() -> tensor<3xf64> {
  %a = mars.zeros : tensor<0x3xf64>
  // EMPTYMIN: chunked.mlir:[[@LINE+1]]:8: error: zero-size array to reduction operation minimum which has no identity
  %m = mars.min %a axes = [0] : tensor<0x3xf64> -> tensor<3xf64>
  return %m : tensor<3xf64>
}
