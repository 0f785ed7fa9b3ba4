// Stacks of matrix products (mars.matmul of rank 3 and 4) on every engine
// equal numpy's, over ragged chunks of the batch, row, column and
// contracted dimensions: the compiled engine calls BLAS once per matrix and
// step (no interpreted product), and integer stacks wrap as numpy's.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; g = np.random.default_rng(7); np.save('%t/a.npy', g.standard_normal((5, 7, 9))); np.save('%t/b.npy', g.standard_normal((5, 9, 6))); np.save('%t/c.npy', g.integers(-9, 9, (2, 3, 4, 5))); np.save('%t/d.npy', g.integers(-9, 9, (2, 3, 5, 2)))"
// RUN: %python -c "import numpy as np; a, b, c, d = (np.load('%t/%%s.npy' %% n) for n in 'abcd'); np.save('%t/r0.npy', a @ b); np.save('%t/r1.npy', (a @ b).sum(axis=0)); np.save('%t/r2.npy', c @ d)"
// RUN: mars-run %s --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --arg 3=%t/d.npy --output %t/ref --quiet
// RUN: mars-run %s --engine=chunked --chunks=4 --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --arg 3=%t/d.npy --output %t/ch --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=4 --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --arg 3=%t/d.npy --output %t/c4 --stats=%t/c4.json --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=2 --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --arg 3=%t/d.npy --output %t/c2 --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=4 --device=gpu-emulator --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --arg 3=%t/d.npy --output %t/gpu --quiet 2>/dev/null
// RUN: %python -c "import numpy as np; ok = all(np.allclose(np.load('%t/' + d + '/result%%d.npy' %% i), np.load('%t/r%%d.npy' %% i), rtol=1e-12, atol=1e-12) and np.load('%t/' + d + '/result%%d.npy' %% i).dtype == np.load('%t/r%%d.npy' %% i).dtype for d in ('ref', 'ch', 'c4', 'c2', 'gpu') for i in range(3)); print('same' if ok else 'DIFFERENT')" | FileCheck %s
// CHECK: same
// RUN: FileCheck %s --check-prefix=STATS < %t/c4.json
// The float stack goes through BLAS; the integer one is interpreted.
// STATS: "interpreted_ops": [
// STATS-NOT: (tensor<5x7x9xf64>
// STATS: "mars.matmul: BLAS takes f32/f64 products
// STATS: ],

func.func @main(%a: tensor<5x7x9xf64>, %b: tensor<5x9x6xf64>,
                %c: tensor<2x3x4x5xi64>, %d: tensor<2x3x5x2xi64>)
    -> (tensor<5x7x6xf64>, tensor<7x6xf64>, tensor<2x3x4x2xi64>) {
  %p = mars.matmul %a, %b : tensor<5x7x9xf64>, tensor<5x9x6xf64> -> tensor<5x7x6xf64>
  %s = mars.sum %p axes = [0] : tensor<5x7x6xf64> -> tensor<7x6xf64>
  %q = mars.matmul %c, %d : tensor<2x3x4x5xi64>, tensor<2x3x5x2xi64> -> tensor<2x3x4x2xi64>
  return %p, %s, %q : tensor<5x7x6xf64>, tensor<7x6xf64>, tensor<2x3x4x2xi64>
}
