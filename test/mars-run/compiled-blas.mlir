// Matrix products on the compiled engine equal the reference evaluator's
// (to the reordering tolerance of float sums): transposes read only by BLAS
// are not materialised (BLAS's transpose flag), and a.dot(a.T) computes the
// blocks on and above the diagonal only (the diagonal ones with syrk, their
// lower triangles mirrored) and mirrors the rest, over ragged chunks.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', np.random.default_rng(4).standard_normal((23, 17))); np.save('%t/b.npy', np.random.default_rng(5).standard_normal((23, 9)))"
// RUN: mars-run %s --arg 0=%t/a.npy --arg 1=%t/b.npy --output %t/ref --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=5 --arg 0=%t/a.npy --arg 1=%t/b.npy --output %t/c5 --stats=%t/c5.json --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=100 --arg 0=%t/a.npy --arg 1=%t/b.npy --output %t/c100 --quiet
// RUN: %python -c "import numpy as np, sys; r = [np.load('%t/ref/result%%d.npy' %% i) for i in range(4)]; ok = all(np.allclose(np.load('%t/' + d + '/result%%d.npy' %% i), r[i], rtol=1e-12, atol=1e-12) for d in ('c5', 'c100') for i in range(4)); print('same' if ok else 'DIFFERENT')" | FileCheck %s
// CHECK: same
// RUN: FileCheck %s --check-prefix=STATS < %t/c5.json
// Only the returned transpose runs:
// STATS: "interpreted_ops": [
// STATS-NOT: mars.transpose
// STATS: "mars.transpose: data movement and creation run in the runtime"
// STATS-NOT: mars.transpose
// STATS: ],

func.func @main(%a: tensor<23x17xf64>, %b: tensor<23x9xf64>)
    -> (tensor<23x23xf64>, tensor<f64>, tensor<17x9xf64>, tensor<17x23xf64>) {
  // a.dot(a.T): symmetric, the transpose never materialised.
  %at = mars.transpose %a perm = [1, 0] : tensor<23x17xf64> -> tensor<17x23xf64>
  %p = mars.matmul %a, %at : tensor<23x17xf64>, tensor<17x23xf64> -> tensor<23x23xf64>
  // The seed's (a.dot(a.T) - a).std() shape of program, on a square input.
  %pa = mars.slice %p [0:17, 0:17] : tensor<23x23xf64> -> tensor<17x17xf64>
  %s17 = mars.slice %a [0:17, 0:17] : tensor<23x17xf64> -> tensor<17x17xf64>
  %d = mars.sub %pa, %s17 : tensor<17x17xf64>
  %std = mars.std %d : tensor<17x17xf64> -> tensor<f64>
  // a.T.dot(b): the left operand transposed in place.
  %at2 = mars.transpose %a perm = [1, 0] : tensor<23x17xf64> -> tensor<17x23xf64>
  %q = mars.matmul %at2, %b : tensor<17x23xf64>, tensor<23x9xf64> -> tensor<17x9xf64>
  // A transpose also returned is materialised.
  %at3 = mars.transpose %a perm = [1, 0] : tensor<23x17xf64> -> tensor<17x23xf64>
  %r = mars.matmul %at3, %p : tensor<17x23xf64>, tensor<23x23xf64> -> tensor<17x23xf64>
  return %p, %std, %q, %at3 : tensor<23x23xf64>, tensor<f64>, tensor<17x9xf64>, tensor<17x23xf64>
}
