// Multi-output fusion: sibling reductions of a stored value become one
// mars.fused with a result per reduction, and each partial task runs every
// root's kernel slab by slab over its region (ChunkTasks::siblingPartials).
// Every engine, chunking and thread count and the GPU emulator agree with
// the reference on: the whole of 40000 elements (three slabs of a single
// chunk), rows (the first dimension kept: slabs write their partials at an
// offset), columns with keepdims (the first dimension reduced), i64 and
// bool reductions (exact), and reductions over an empty extent (not
// grouped).

// RUN: rm -rf %t && mkdir -p %t
// RUN: mars-run --engine=reference %s --quiet --output=%t/ref
// RUN: mars-run --kernel-cache=none %s --quiet --output=%t/whole
// RUN: mars-run --kernel-cache=none --chunks=150 %s --quiet --output=%t/c150
// RUN: mars-run --kernel-cache=none --chunks=7 --threads=1 %s --quiet --output=%t/c7
// RUN: mars-run --engine=chunked --chunks=150 %s --quiet --output=%t/chunked
// RUN: mars-run --kernel-cache=none --chunks=150 --device=gpu-emulator %s --quiet --output=%t/gpu 2>/dev/null
// RUN: %python -c "import numpy as np; L = lambda d, i: np.load(f'%t/{d}/result{i}.npy'); bad = [(d, i) for d in ('whole', 'c150', 'c7', 'chunked', 'gpu') for i in range(13) if L(d, i).dtype != L('ref', i).dtype or L(d, i).shape != L('ref', i).shape or not np.allclose(L(d, i), L('ref', i), rtol=1e-11, atol=0) or (L(d, i).dtype.kind != 'f' and not np.array_equal(L(d, i), L('ref', i)))]; print('differs:', bad)" | FileCheck %s --check-prefix=SAME
// RUN: mars-run --kernel-cache=none --emit=mlir %s | FileCheck %s --check-prefix=KERNELS
// RUN: mars-run --kernel-cache=none --chunks=10000 --stats=- --quiet %s | %python -c "import json, sys; s = json.load(sys.stdin); print('counted:', s['compiled_tasks'] <= s['tasks'], s['interpreted_ops'])" | FileCheck %s --check-prefix=STATS

// SAME: differs: []
// Three map kernels (the stored exp values) and a kernel per root of the
// four groups: 3 + 2 + 2 + 3. The reductions over an empty extent stay
// apart: there is nothing to read once.
// KERNELS-COUNT-13: // kernel of 'mars.fused'
// KERNELS: // kernel of 'mars.sum'
// KERNELS: // kernel of 'mars.count_nonzero'
// KERNELS: // kernel of 'mars.any'
// KERNELS-NOT: // kernel of
// A task counts as one compiled task however many roots and slabs it ran.
// STATS: counted: True []

func.func @main() -> (tensor<f64>, tensor<f64>, tensor<f64>,
                      tensor<300xf64>, tensor<300xf64>,
                      tensor<1x200xf64>, tensor<1x200xf64>,
                      tensor<i64>, tensor<i64>, tensor<i1>,
                      tensor<5xf64>, tensor<5xi64>, tensor<5xi1>) {
  %u = mars.random_uniform seed = 3, low = -1.0, high = 1.0 : tensor<40000xf64>
  %x = mars.exp %u : tensor<40000xf64>
  %v = mars.random_uniform seed = 4, low = 0.0, high = 2.0 : tensor<40000xf64>
  %d = mars.sub %x, %v : tensor<40000xf64>
  %sq = mars.mul %d, %d : tensor<40000xf64>
  %s = mars.sum %sq : tensor<40000xf64> -> tensor<f64>
  %ad = mars.abs %d : tensor<40000xf64>
  %m = mars.max %ad : tensor<40000xf64> -> tensor<f64>
  %mn = mars.mean %d : tensor<40000xf64> -> tensor<f64>

  %w = mars.random_normal seed = 5, loc = 0.0, scale = 0.5 : tensor<300x200xf64>
  %y = mars.exp %w : tensor<300x200xf64>
  %rs = mars.sum %y axes = [1] : tensor<300x200xf64> -> tensor<300xf64>
  %rm = mars.min %y axes = [1] : tensor<300x200xf64> -> tensor<300xf64>
  %cs = mars.prod %y axes = [0] keepdims : tensor<300x200xf64> -> tensor<1x200xf64>
  %cm = mars.max %y axes = [0] keepdims : tensor<300x200xf64> -> tensor<1x200xf64>

  %f = mars.floor %y : tensor<300x200xf64>
  %i = mars.cast %f : (tensor<300x200xf64>) -> tensor<300x200xi64>
  %is = mars.sum %i : tensor<300x200xi64> -> tensor<i64>
  %ic = mars.count_nonzero %i : tensor<300x200xi64> -> tensor<i64>
  %ia = mars.all %i : tensor<300x200xi64> -> tensor<i1>

  %e = mars.random_uniform seed = 6, low = 0.0, high = 1.0 : tensor<0x5xf64>
  %ee = mars.exp %e : tensor<0x5xf64>
  %es = mars.sum %ee axes = [0] : tensor<0x5xf64> -> tensor<5xf64>
  %ec = mars.count_nonzero %ee axes = [0] : tensor<0x5xf64> -> tensor<5xi64>
  %ea = mars.any %ee axes = [0] : tensor<0x5xf64> -> tensor<5xi1>
  return %s, %m, %mn, %rs, %rm, %cs, %cm, %is, %ic, %ia, %es, %ec, %ea
      : tensor<f64>, tensor<f64>, tensor<f64>, tensor<300xf64>, tensor<300xf64>,
        tensor<1x200xf64>, tensor<1x200xf64>, tensor<i64>, tensor<i64>,
        tensor<i1>, tensor<5xf64>, tensor<5xi64>, tensor<5xi1>
}
