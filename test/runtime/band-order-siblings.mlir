// Sibling sinks that are different products (both returned, walked together
// chunk by chunk) share the band order's budget and follow the first one's
// grid. Under limits that force bands of one and of several rows, the
// results are bit-identical to the run without a limit, and agree with the
// reference evaluator.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: mars-run %s --engine=reference --output %t/ref --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=100 --threads=1 --output %t/free --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=100 --threads=1 --memory-limit=12MB --output %t/12mb --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=100 --threads=1 --memory-limit=8MB --output %t/8mb --quiet
// RUN: %python -c "import numpy as np; r = lambda d, i: np.load('%t/' + d + '/result%%d.npy' %% i); same = all(np.array_equal(r(d, i), r('free', i)) for d in ('12mb', '8mb') for i in (0, 1)); close = all(np.allclose(r('free', i), r('ref', i), rtol=1e-12, atol=1e-12) for i in (0, 1)); print('same' if same else 'DIFFERENT', 'close' if close else 'FAR')" | FileCheck %s
// CHECK: same close

func.func @main() -> (tensor<400x300xf64>, tensor<400x300xf64>) {
  %a = mars.random_uniform seed = 5, low = -1.0, high = 1.0 : tensor<400x1500xf64>
  %b = mars.random_uniform seed = 6, low = -1.0, high = 1.0 : tensor<1500x300xf64>
  %c = mars.random_uniform seed = 7, low = -1.0, high = 1.0 : tensor<400x1200xf64>
  %d = mars.random_uniform seed = 8, low = -1.0, high = 1.0 : tensor<1200x300xf64>
  %p = mars.matmul %a, %b : tensor<400x1500xf64>, tensor<1500x300xf64> -> tensor<400x300xf64>
  %q = mars.matmul %c, %d : tensor<400x1200xf64>, tensor<1200x300xf64> -> tensor<400x300xf64>
  %e = mars.exp %q : tensor<400x300xf64>
  return %p, %e : tensor<400x300xf64>, tensor<400x300xf64>
}
