// Under a memory limit the walk visits the chunks of a product's grid a band
// of row panels at a time (BandOrder), and a symmetric product's upper block
// is read by its mirror right after it is made. With one thread (whose
// schedule is the same every run), nothing is then spilled at 2 MB and at
// 1200 KB, where row-major order spilled 1 MB (the upper blocks, until later
// rows reached their mirrors). The results are bit-identical to the run
// without a limit on as many threads (their number splits the kernels and
// BLAS calls differently): the order of the tasks never changes a
// reduction's combine tree.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=100 --threads=1 --output %t/free1 --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=100 --threads=2 --output %t/free2 --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=100 --threads=1 --memory-limit=2MB --output %t/2mb --stats=%t/2mb.json --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=100 --threads=1 --memory-limit=1200KB --output %t/1200kb --stats=%t/1200kb.json --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=100 --threads=2 --memory-limit=2MB --output %t/2mb2 --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=600 --output %t/whole --quiet
// RUN: FileCheck %s < %t/2mb.json
// RUN: FileCheck %s < %t/1200kb.json
// RUN: %python -c "import numpy as np; r = lambda d, i: np.load('%t/' + d + '/result%%d.npy' %% i); same = all(np.array_equal(r(d, i), r(f, i)) for d, f in (('2mb', 'free1'), ('1200kb', 'free1'), ('2mb2', 'free2')) for i in (0, 1)); close = all(np.allclose(r('free2', i), r('whole', i), rtol=1e-12) for i in (0, 1)); print('same' if same else 'DIFFERENT', 'close' if close else 'FAR')" | FileCheck %s --check-prefix=RESULT

// CHECK: "bytes_spilled": 0,
// CHECK: "bytes_read_back": 0,
// RESULT: same close

func.func @main() -> (tensor<f64>, tensor<f64>) {
  %a = mars.random_uniform seed = 3, low = -1.0, high = 1.0 : tensor<600x600xf64>
  %t = mars.transpose %a perm = [1, 0] : tensor<600x600xf64> -> tensor<600x600xf64>
  %p = mars.matmul %a, %t : tensor<600x600xf64>, tensor<600x600xf64> -> tensor<600x600xf64>
  %d = mars.sub %p, %a : tensor<600x600xf64>
  %s = mars.std %d : tensor<600x600xf64> -> tensor<f64>
  // Not symmetric: bands of rows of a pass the column panels of c by.
  %c = mars.random_uniform seed = 4, low = -1.0, high = 1.0 : tensor<600x500xf64>
  %e = mars.matmul %a, %c : tensor<600x600xf64>, tensor<600x500xf64> -> tensor<600x500xf64>
  %x = mars.exp %e : tensor<600x500xf64>
  %f = mars.sum %x : tensor<600x500xf64> -> tensor<f64>
  return %s, %f : tensor<f64>, tensor<f64>
}
