// A slice or concatenate chunk that is a whole chunk of its operand shares
// that chunk's array instead of copying it (getCopiedOperand): the
// statistics count them, and every engine gives the reference's values
// (the sums up to their order),
// also when the memory limit makes the run spill and read back the shared
// chunks, and with chunks of 3 rows, which the slices cut across.

// RUN: rm -rf %t && mkdir -p %t
// RUN: mars-run %s --output %t/ref --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=4 --stats=%t/stats.json --output %t/c4 --quiet
// RUN: FileCheck %s --check-prefix=STATS < %t/stats.json
// RUN: mars-run %s --engine=chunked --chunks=4 --output %t/ch --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=4 --threads=2 --memory-limit=1KB --spill-dir=%t/spill --output %t/sp --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=3 --output %t/c3 --quiet
// RUN: %python -c "import numpy as np; print(all(np.allclose(np.load('%t/ref/result%%d.npy' %% i), np.load('%t/%%s/result%%d.npy' %% (d, i)), rtol=1e-14, atol=0) for d in ('c4', 'ch', 'sp', 'c3') for i in range(3)) and all(np.array_equal(np.load('%t/ref/result1.npy'), np.load('%t/%%s/result1.npy' %% d)) for d in ('c4', 'ch', 'sp', 'c3')))" | FileCheck %s
// CHECK: True

// Chunks of 4 x 4: the two slices' 2 chunks each and the concatenate's 4
// are whole chunks of their operands; the stepped slice's are not.
// STATS: "shared_chunks": 8,

func.func @main() -> (tensor<f64>, tensor<8x1xf64>, tensor<4xf64>) {
  %r = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<16x4xf64>
  // Rows 8..15: chunks 2 and 3 of %r.
  %s = mars.slice %r [8:16, :] : tensor<16x4xf64> -> tensor<8x4xf64>
  // [rows 8..15; rows 0..7]: every chunk of 4 rows lies in one input.
  %lo = mars.slice %r [0:8, :] : tensor<16x4xf64> -> tensor<8x4xf64>
  %c = mars.concatenate %s, %lo axis = 0 : tensor<8x4xf64>, tensor<8x4xf64> -> tensor<16x4xf64>
  %e = mars.exp %c : tensor<16x4xf64>
  %t = mars.sum %e : tensor<16x4xf64> -> tensor<f64>
  // Every other row: copied.
  %st = mars.slice %r [0:16:2, 0:1] : tensor<16x4xf64> -> tensor<8x1xf64>
  %n = mars.neg %st : tensor<8x1xf64>
  %rows = mars.sum %s axes = [0] : tensor<8x4xf64> -> tensor<4xf64>
  return %t, %n, %rows : tensor<f64>, tensor<8x1xf64>, tensor<4xf64>
}
