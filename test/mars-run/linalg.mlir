// The matrix ops (inv, solve, det, qr, svd, eigh, lu, cholesky) equal
// numpy's and scipy's on every engine, over batch chunks that split the
// stack raggedly and matrix chunks that the ops gather whole; the errors
// LAPACK reports are numpy's sentences.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; g = np.random.default_rng(1); a = g.standard_normal((5, 4, 4)); np.save('%t/a.npy', a + a.transpose(0, 2, 1)); np.save('%t/b.npy', g.standard_normal((5, 4, 2))); np.save('%t/c.npy', g.standard_normal((7, 4)))"
// RUN: %python -c "import numpy as np, scipy.linalg as sl; a, b, c = (np.load('%t/%%s.npy' %% n) for n in 'abc'); p = sl.lu(c); np.save('%t/want.npy', np.array([np.linalg.inv(a), np.linalg.solve(a, b), np.linalg.det(a), np.linalg.slogdet(a)[1], np.linalg.qr(c)[0], np.linalg.qr(c, 'complete')[1], np.linalg.svd(c, compute_uv=False), np.linalg.svd(c)[0], np.linalg.svd(c)[2], np.linalg.eigvalsh(a), np.linalg.eigh(a)[1], p[0], p[1], p[2], np.linalg.cholesky(a @ a.transpose(0, 2, 1) + np.eye(4))], dtype=object), allow_pickle=True)"
// RUN: mars-run %s --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --output %t/ref --quiet
// RUN: mars-run %s --engine=chunked --chunks=2 --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --output %t/ch --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=3 --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --output %t/c3 --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=2 --memory-limit=64KB --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --output %t/sp --quiet
// RUN: mars-run %s --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator --arg 0=%t/a.npy --arg 1=%t/b.npy --arg 2=%t/c.npy --output %t/gpu --quiet 2>/dev/null
// RUN: %python -c "import numpy as np; w = np.load('%t/want.npy', allow_pickle=True); bad = [(d, i) for d in ('ref', 'ch', 'c3', 'sp', 'gpu') for i in range(len(w)) if not (np.allclose(np.load('%t/%%s/result%%d.npy' %% (d, i)), w[i], rtol=1e-12, atol=1e-13) and np.load('%t/%%s/result%%d.npy' %% (d, i)).shape == w[i].shape)]; print('same' if not bad else bad)" | FileCheck %s
// CHECK: same

// With `positive`, R's diagonal is non-negative and Q's columns follow, in
// every mode and on every engine: numpy's factors up to those signs.
// RUN: mars-run %s --entry=positive_qr --arg 0=%t/c.npy --output %t/pq --quiet
// RUN: mars-run %s --entry=positive_qr --engine=compiled --kernel-cache=none --chunks=2 --arg 0=%t/c.npy --output %t/pq2 --quiet
// RUN: %python -c "import numpy as np; c = np.load('%t/c.npy'); ok = []; [ok.extend([np.all(np.diag(r) >= 0), np.all(np.diag(rc) >= 0), np.allclose(q @ r, c, atol=1e-13), np.allclose(qc @ rc, c, atol=1e-13), np.allclose(np.abs(r), np.abs(np.linalg.qr(c)[1]), atol=1e-13), np.allclose(qc.T @ qc, np.eye(7), atol=1e-13), np.allclose(q, np.load('%t/%%s/result0.npy' %% d)), np.allclose(rc, np.load('%t/%%s/result3.npy' %% d))]) for d in ('pq', 'pq2') for q, r, qc, rc in [[np.load('%t/pq/result%%d.npy' %% i) for i in range(4)]]]; print('positive' if all(ok) else ok)" | FileCheck %s --check-prefix=POSITIVE
// POSITIVE: positive

// mars.lu's "perm" (P as row positions: c[perm] = L @ U), "lu" (both
// factors packed as getrf leaves them) and "perm_sign" (det(P)) are
// scipy's P, L and U, of a tall and a wide matrix and of a stack, on every
// engine.
// RUN: mars-run %s --entry=lu_parts --arg 0=%t/c.npy --arg 1=%t/a.npy --output %t/lr --quiet
// RUN: mars-run %s --entry=lu_parts --engine=chunked --chunks=2 --arg 0=%t/c.npy --arg 1=%t/a.npy --output %t/lc --quiet
// RUN: mars-run %s --entry=lu_parts --engine=compiled --kernel-cache=none --chunks=3 --memory-limit=64KB --arg 0=%t/c.npy --arg 1=%t/a.npy --output %t/ls --quiet
// RUN: mars-run %s --entry=lu_parts --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator --arg 0=%t/c.npy --arg 1=%t/a.npy --output %t/lg --quiet 2>/dev/null
// RUN: %python -c "import numpy as np, scipy.linalg as sl; c, a = np.load('%t/c.npy'), np.load('%t/a.npy'); ws = [sl.lu(c)] + [sl.lu(x) for x in a]; pk = lambda l, u: np.tril(l, -1) + np.pad(u, ((0, l.shape[0] - u.shape[0]), (0, 0))); want = [np.array(ws[0][0].argmax(0)), pk(*ws[0][1:]), np.array([w[0].argmax(0) for w in ws[1:]]), np.array([pk(*w[1:]) for w in ws[1:]])]; wt = sl.lu(c.T); want += [wt[0].argmax(0), np.triu(wt[2]) + np.pad(np.tril(wt[1], -1), ((0, 0), (0, 3))), np.array(np.linalg.det(ws[0][0])), np.array([np.linalg.det(w[0]) for w in ws[1:]])]; got = lambda d: [np.load('%t/%%s/result%%d.npy' %% (d, i)) for i in range(8)]; ok = [g[i].dtype == w.dtype and g[i].shape == w.shape and np.allclose(g[i], w, rtol=1e-12, atol=1e-13) for g in map(got, ('lr', 'lc', 'ls', 'lg')) for i, w in enumerate(want)]; print('lu parts' if all(ok) else ok)" | FileCheck %s --check-prefix=LUPARTS
// LUPARTS: lu parts

// mars.qr's compact WY form ("wy"): geqrf's packed reflectors (numpy's
// mode 'raw' h, transposed) over T, whose diagonal is tau and with which
// I - V T V^T is numpy's complete Q; a matrix and a stack, every engine.
// RUN: mars-run %s --entry=qr_wy --arg 0=%t/c.npy --arg 1=%t/a.npy --output %t/wr --quiet
// RUN: mars-run %s --entry=qr_wy --engine=chunked --chunks=2 --arg 0=%t/c.npy --arg 1=%t/a.npy --output %t/wc --quiet
// RUN: mars-run %s --entry=qr_wy --engine=compiled --kernel-cache=none --chunks=3 --memory-limit=64KB --arg 0=%t/c.npy --arg 1=%t/a.npy --output %t/ws --quiet
// RUN: mars-run %s --entry=qr_wy --engine=compiled --kernel-cache=none --chunks=2 --device=gpu-emulator --arg 0=%t/c.npy --arg 1=%t/a.npy --output %t/wg --quiet 2>/dev/null
// RUN: %python -c "import numpy as np; c, a = np.load('%t/c.npy'), np.load('%t/a.npy'); ok = []; exec('def check(x, w):\n m, n = x.shape\n h, tau = np.linalg.qr(x, mode=\'raw\')\n v = np.tril(w[:m], -1) + np.eye(m, n)\n t = w[m:]\n return [w.shape == (m + n, n), np.allclose(w[:m], h.T, rtol=0, atol=1e-13), np.allclose(np.diag(t), tau, rtol=0, atol=1e-13), np.array_equal(np.triu(t), t), np.allclose(np.eye(m) - v @ t @ v.T, np.linalg.qr(x, mode=\'complete\')[0], rtol=0, atol=1e-13)]'); [ok.extend(check(c, np.load('%t/%%s/result0.npy' %% d)) + sum((check(a[i], np.load('%t/%%s/result1.npy' %% d)[i]) for i in range(5)), [])) for d in ('wr', 'wc', 'ws', 'wg')]; print('wy form' if all(ok) else ok)" | FileCheck %s --check-prefix=WY
// WY: wy form

// RUN: not mars-run %s --entry=singular 2>&1 | FileCheck %s --check-prefix=SINGULAR
// RUN: not mars-run %s --entry=singular --engine=compiled --kernel-cache=none --chunks=1 2>&1 | FileCheck %s --check-prefix=SINGULAR
// SINGULAR: Singular matrix
// RUN: not mars-run %s --entry=not_pd 2>&1 | FileCheck %s --check-prefix=NOTPD
// NOTPD: Matrix is not positive definite
// RUN: not mars-run %s --entry=triangular 2>&1 | FileCheck %s --check-prefix=TRI
// TRI: singular matrix: resolution failed at diagonal 1
// With numpy_errors (the tiled solve's U tiles) it is numpy's sentence.
// RUN: not mars-run %s --entry=triangular_numpy 2>&1 | FileCheck %s --check-prefix=SINGULAR
// RUN: not mars-run %s --entry=triangular_numpy --engine=compiled --kernel-cache=none --chunks=2 2>&1 | FileCheck %s --check-prefix=SINGULAR

func.func @main(%a: tensor<5x4x4xf64>, %b: tensor<5x4x2xf64>, %c: tensor<7x4xf64>)
    -> (tensor<5x4x4xf64>, tensor<5x4x2xf64>, tensor<5xf64>, tensor<5xf64>,
        tensor<7x4xf64>, tensor<7x4xf64>, tensor<4xf64>, tensor<7x7xf64>,
        tensor<4x4xf64>, tensor<5x4xf64>, tensor<5x4x4xf64>, tensor<7x7xf64>,
        tensor<7x4xf64>, tensor<4x4xf64>, tensor<5x4x4xf64>) {
  %i = mars.inv %a : tensor<5x4x4xf64> -> tensor<5x4x4xf64>
  %x = mars.solve %a, %b structure = "general" : tensor<5x4x4xf64>, tensor<5x4x2xf64> -> tensor<5x4x2xf64>
  %d = mars.det %a part = "det" : tensor<5x4x4xf64> -> tensor<5xf64>
  %ld = mars.det %a part = "logabsdet" : tensor<5x4x4xf64> -> tensor<5xf64>
  %q = mars.qr %c part = "q" complete = false : tensor<7x4xf64> -> tensor<7x4xf64>
  %r = mars.qr %c part = "r" complete = true : tensor<7x4xf64> -> tensor<7x4xf64>
  %s = mars.svd %c part = "s" full_matrices = false : tensor<7x4xf64> -> tensor<4xf64>
  %u = mars.svd %c part = "u" full_matrices = true : tensor<7x4xf64> -> tensor<7x7xf64>
  %vh = mars.svd %c part = "vh" full_matrices = true : tensor<7x4xf64> -> tensor<4x4xf64>
  %w = mars.eigh %a part = "w" upper = false : tensor<5x4x4xf64> -> tensor<5x4xf64>
  %v = mars.eigh %a part = "v" upper = false : tensor<5x4x4xf64> -> tensor<5x4x4xf64>
  %p = mars.lu %c part = "p" : tensor<7x4xf64> -> tensor<7x7xf64>
  %l = mars.lu %c part = "l" : tensor<7x4xf64> -> tensor<7x4xf64>
  %lu = mars.lu %c part = "u" : tensor<7x4xf64> -> tensor<4x4xf64>
  %at = mars.transpose %a perm = [0, 2, 1] : tensor<5x4x4xf64> -> tensor<5x4x4xf64>
  %aa = mars.matmul %a, %at : tensor<5x4x4xf64>, tensor<5x4x4xf64> -> tensor<5x4x4xf64>
  %e = mars.eye : tensor<4x4xf64>
  %pd = mars.add %aa, %e : (tensor<5x4x4xf64>, tensor<4x4xf64>) -> tensor<5x4x4xf64>
  %ch = mars.cholesky %pd : tensor<5x4x4xf64> -> tensor<5x4x4xf64>
  return %i, %x, %d, %ld, %q, %r, %s, %u, %vh, %w, %v, %p, %l, %lu, %ch
      : tensor<5x4x4xf64>, tensor<5x4x2xf64>, tensor<5xf64>, tensor<5xf64>,
        tensor<7x4xf64>, tensor<7x4xf64>, tensor<4xf64>, tensor<7x7xf64>,
        tensor<4x4xf64>, tensor<5x4xf64>, tensor<5x4x4xf64>, tensor<7x7xf64>,
        tensor<7x4xf64>, tensor<4x4xf64>, tensor<5x4x4xf64>
}

func.func @positive_qr(%c: tensor<7x4xf64>)
    -> (tensor<7x4xf64>, tensor<4x4xf64>, tensor<7x7xf64>, tensor<7x4xf64>) {
  %q = mars.qr %c part = "q" complete = false positive : tensor<7x4xf64> -> tensor<7x4xf64>
  %r = mars.qr %c part = "r" complete = false positive : tensor<7x4xf64> -> tensor<4x4xf64>
  %qc = mars.qr %c part = "q" complete = true positive : tensor<7x4xf64> -> tensor<7x7xf64>
  %rc = mars.qr %c part = "r" complete = true positive : tensor<7x4xf64> -> tensor<7x4xf64>
  return %q, %r, %qc, %rc
      : tensor<7x4xf64>, tensor<4x4xf64>, tensor<7x7xf64>, tensor<7x4xf64>
}

func.func @lu_parts(%c: tensor<7x4xf64>, %a: tensor<5x4x4xf64>)
    -> (tensor<7xi64>, tensor<7x4xf64>, tensor<5x4xi64>, tensor<5x4x4xf64>,
        tensor<4xi64>, tensor<4x7xf64>, tensor<f64>, tensor<5xf64>) {
  %p = mars.lu %c part = "perm" : tensor<7x4xf64> -> tensor<7xi64>
  %f = mars.lu %c part = "lu" check_finite : tensor<7x4xf64> -> tensor<7x4xf64>
  %sp = mars.lu %a part = "perm" : tensor<5x4x4xf64> -> tensor<5x4xi64>
  %sf = mars.lu %a part = "lu" : tensor<5x4x4xf64> -> tensor<5x4x4xf64>
  %ct = mars.transpose %c perm = [1, 0] : tensor<7x4xf64> -> tensor<4x7xf64>
  %wp = mars.lu %ct part = "perm" : tensor<4x7xf64> -> tensor<4xi64>
  %wf = mars.lu %ct part = "lu" : tensor<4x7xf64> -> tensor<4x7xf64>
  %cs = mars.lu %c part = "perm_sign" : tensor<7x4xf64> -> tensor<f64>
  %ss = mars.lu %a part = "perm_sign" : tensor<5x4x4xf64> -> tensor<5xf64>
  return %p, %f, %sp, %sf, %wp, %wf, %cs, %ss
      : tensor<7xi64>, tensor<7x4xf64>, tensor<5x4xi64>, tensor<5x4x4xf64>,
        tensor<4xi64>, tensor<4x7xf64>, tensor<f64>, tensor<5xf64>
}

func.func @singular() -> tensor<3x3xf64> {
  %a = mars.ones : tensor<3x3xf64>
  %i = mars.inv %a : tensor<3x3xf64> -> tensor<3x3xf64>
  return %i : tensor<3x3xf64>
}

func.func @not_pd() -> tensor<3x3xf64> {
  %a = mars.full(-1.0) : tensor<3x3xf64>
  %l = mars.cholesky %a : tensor<3x3xf64> -> tensor<3x3xf64>
  return %l : tensor<3x3xf64>
}

func.func @triangular() -> tensor<3x1xf64> {
  %a = mars.constant dense<[[1.0, 0.0, 0.0], [2.0, 0.0, 0.0], [3.0, 4.0, 5.0]]> : tensor<3x3xf64>
  %b = mars.ones : tensor<3x1xf64>
  %x = mars.solve %a, %b structure = "lower" : tensor<3x3xf64>, tensor<3x1xf64> -> tensor<3x1xf64>
  return %x : tensor<3x1xf64>
}

func.func @triangular_numpy() -> tensor<3x1xf64> {
  %a = mars.constant dense<[[1.0, 2.0, 3.0], [0.0, 0.0, 4.0], [0.0, 0.0, 5.0]]> : tensor<3x3xf64>
  %b = mars.ones : tensor<3x1xf64>
  %x = mars.solve %a, %b structure = "upper" numpy_errors : tensor<3x3xf64>, tensor<3x1xf64> -> tensor<3x1xf64>
  return %x : tensor<3x1xf64>
}

func.func @qr_wy(%c: tensor<7x4xf64>, %a: tensor<5x4x4xf64>)
    -> (tensor<11x4xf64>, tensor<5x8x4xf64>) {
  %w = mars.qr %c part = "wy" complete = false : tensor<7x4xf64> -> tensor<11x4xf64>
  %sw = mars.qr %a part = "wy" complete = false : tensor<5x4x4xf64> -> tensor<5x8x4xf64>
  return %w, %sw : tensor<11x4xf64>, tensor<5x8x4xf64>
}
