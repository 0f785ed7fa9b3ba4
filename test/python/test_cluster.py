"""mars.tensor on a loopback cluster (mars-scheduler and two mars-workers
started here): the same programs as numpy, results reused as inputs of later
programs, and failures raised with numpy's kinds."""

import os
import subprocess
import tempfile
import time

import numpy as np
import pytest

import mars
import mars.tensor as mt

TOKEN = "pytest-cluster-token"


def _tools():
    build = os.environ.get("MARS_BUILD_DIR")
    if build:
        return os.path.join(build, "bin")
    # build/python/mars/__init__.py -> build/bin
    here = os.path.dirname(os.path.abspath(mars.__file__))
    return os.path.join(os.path.dirname(os.path.dirname(here)), "bin")


def _start(root, extra=()):
    """A scheduler and two workers (with `extra` flags each) on loopback:
    their address and processes."""
    tools = _tools()
    if not os.path.exists(os.path.join(tools, "mars-scheduler")):
        pytest.skip("no mars-scheduler next to the package")
    env = dict(os.environ, MARS_CLUSTER_TOKEN=TOKEN)
    addr_file = os.path.join(root, "address")
    procs = []
    log = open(os.path.join(root, "scheduler.log"), "w+")
    procs.append(subprocess.Popen(
        [os.path.join(tools, "mars-scheduler"), "--listen=127.0.0.1:0",
         "--address-file=" + addr_file, *extra], env=env, stderr=log))
    for _ in range(400):
        if os.path.exists(addr_file):
            break
        time.sleep(0.05)
    with open(addr_file) as f:
        address = f.read().strip()
    for i in range(2):
        procs.append(subprocess.Popen(
            [os.path.join(tools, "mars-worker"), "--scheduler=" + address,
             "--threads=1", "--memory-limit=1GiB",
             "--kernel-cache=" + os.path.join(root, "kernels"),
             "--spill-dir=" + root, *extra], env=env,
            stderr=open(os.path.join(root, "worker%d.log" % i), "w+")))
    for _ in range(400):
        log.flush()
        with open(log.name) as f:
            if f.read().count("joined from") >= 2:
                break
        time.sleep(0.05)
    return address, procs


def _stop(procs):
    for p in procs[1:] + procs[:1]:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


@pytest.fixture(scope="module")
def cluster():
    root = tempfile.mkdtemp(prefix="mars-pytest-cluster-")
    address, procs = _start(root)
    session = mars.new_session(address, token=TOKEN, default=False,
                               small_elements=0, show_progress=False)
    yield session
    _stop(procs)


def test_a_tls_cluster(tmp_path):
    """Every connection TLS (one self-signed certificate): a session that
    trusts it (tls_ca=) gets numpy's results; one that does not is refused
    with a hint."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=mars", "-addext",
                    "subjectAltName=DNS:127.0.0.1,IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    address, procs = _start(str(tmp_path), ["--tls-cert=" + str(cert),
                                            "--tls-key=" + str(key)])
    try:
        x = np.random.default_rng(7).random((30, 20))
        s = mars.new_session(address, token=TOKEN, default=False,
                             small_elements=0, show_progress=False,
                             tls_ca=cert)
        a = mt.tensor(x, chunk_size=(7, 6))
        got = (a.dot(a.T) - 1).sum(axis=0)
        got.execute(session=s)
        np.testing.assert_allclose(got.fetch(), (x.dot(x.T) - 1).sum(axis=0),
                                   rtol=1e-12)
        plain = mars.new_session(address, token=TOKEN, default=False,
                                 small_elements=0, show_progress=False)
        with pytest.raises(RuntimeError, match="tls_ca"):
            (a + 1).execute(session=plain)
    finally:
        _stop(procs)


def test_expressions_agree_with_numpy(cluster):
    rng = np.random.default_rng(5)
    x = rng.random((37, 23))
    y = rng.integers(-5, 5, size=(23,)).astype(np.int32)
    a = mt.tensor(x, chunk_size=(10, 7))
    b = mt.tensor(y, chunk_size=5)
    exprs = [
        ((a + 1) * 2, (x + 1) * 2),
        ((a * b).sum(axis=0), (x * y).sum(axis=0)),
        (a.dot(a.T) - 1, x.dot(x.T) - 1),
        ((a.dot(a.T)[:, :23] - a).std(), (x.dot(x.T)[:, :23] - x).std()),
        (a[3:30:4, ::-2].max(axis=1, keepdims=True),
         x[3:30:4, ::-2].max(axis=1, keepdims=True)),
        (mt.where(a > 0.5, a, b), np.where(x > 0.5, x, y)),
        ((b // 2 + b % 3).astype(np.float32), (y // 2 + y % 3).astype(np.float32)),
        (a.argmax(axis=0), x.argmax(axis=0)),
    ]
    mars.execute(*[e for e, _ in exprs], session=cluster)
    for got, want in exprs:
        np.testing.assert_allclose(got.fetch(), want, rtol=1e-12, atol=1e-12)
        assert got.dtype == want.dtype


def test_narrow_and_unsigned_dtypes_cross_the_wire(cluster):
    # Inputs, chunks moved between workers and results of every integer
    # dtype keep their dtype and numpy's wrapping values.
    rng = np.random.default_rng(8)
    exprs = []
    for dtype in ("int8", "int16", "uint8", "uint16", "uint32", "uint64"):
        info = np.iinfo(dtype)
        x = rng.integers(info.min, info.max, size=(23, 9), dtype=dtype,
                         endpoint=True)
        t = mt.tensor(x, chunk_size=(5, 4))
        with np.errstate(all="ignore"):
            exprs += [(t * 3 + t.T.sum(axis=1, dtype=dtype)[:9],
                       x * 3 + x.T.sum(axis=1, dtype=dtype)[:9]),
                      (t.sum(axis=0), x.sum(axis=0)),
                      (t[:22:2] // (t[1::2] | 1), x[:22:2] // (x[1::2] | 1))]
    # float16: stored and moved as float16, computed in float32 and rounded
    # per operation, as numpy does.
    h = (rng.standard_normal((23, 9)) * 100).astype(np.float16)
    h[0, :4] = [np.nan, np.inf, -0.0, 65504]
    t = mt.tensor(h, chunk_size=(5, 4))
    with np.errstate(all="ignore"):
        exprs += [((t + 1) * 3 - t.max(axis=0), (h + 1) * 3 - h.max(axis=0)),
                  (mt.sort(t, axis=0)[::3], np.sort(h, axis=0)[::3]),
                  (t.astype(np.float64) / 7, h.astype(np.float64) / 7)]
    mars.execute(*[e for e, _ in exprs], session=cluster)
    for got, want in exprs:
        v = got.fetch()
        assert v.dtype == want.dtype
        np.testing.assert_array_equal(v, want)


def test_complex_numbers_cross_the_wire(cluster):
    # complex64 and complex128 chunks move between workers as numpy's
    # bytes; arithmetic, products and reductions composed from their parts
    # agree with numpy.
    rng = np.random.default_rng(11)
    z = rng.standard_normal((23, 9)) + 1j * rng.standard_normal((23, 9))
    z[0, :4] = [complex(np.nan, 1), complex(-0.0, np.inf), -0.0j, 5e-324j]
    w = (rng.standard_normal((9, 6)) + 1j * rng.standard_normal((9, 6)))
    w = w.astype(np.complex64)
    tz, tw = mt.tensor(z, chunk_size=(5, 4)), mt.tensor(w, chunk_size=4)
    with np.errstate(all="ignore"):
        quotient = z * z.T.conj().T / (z + 2j)
    exact = [(tz * tz.T.conj().T / (tz + 2j), quotient),
             (mt.concatenate([tz[:3], tz[::-4]]),
              np.concatenate([z[:3], z[::-4]])),
             (tz.imag, z.imag),
             (tw.astype(np.complex128) - 1, w.astype(np.complex128) - 1)]
    close = [(tz[1:] @ tw, z[1:] @ w), (tz[1:].sum(axis=0), z[1:].sum(0)),
             (tz[1:].prod(axis=1), z[1:].prod(1)),
             (abs(tz[1:]).mean(), abs(z[1:]).mean())]
    with np.errstate(all="ignore"):
        mars.execute(*[e for e, _ in exact + close], session=cluster)
    for got, want in exact:
        v = got.fetch()
        assert v.dtype == want.dtype
        np.testing.assert_array_equal(v, want)
    for got, want in close:
        v = got.fetch()
        assert v.dtype == want.dtype
        np.testing.assert_allclose(v, want, rtol=1e-5)


def test_order_statistics_of_a_long_lane(cluster):
    # A lane of many parts is selected part by part (mars.radix_*): the
    # parts' counts are made on the workers that hold them.
    import mars._mars as _mars
    from mars.tensor.core import _wrap
    rng = np.random.default_rng(12)
    x = rng.standard_normal(1001)
    x[[5, 17]] = [-0.0, np.inf]
    y = rng.integers(-1000, 1000, size=998).astype(np.int32)
    a, b = mt.tensor(x, chunk_size=100), mt.tensor(y, chunk_size=97)
    exprs = [(_wrap(_mars.sorted_at(a._t, [0, 500, 1000], 0,
                                    part_length=100)),
              np.sort(x)[[0, 500, 1000]]),
             (_wrap(_mars.sorted_at(b._t, [-1, 3], 0, part_length=150)),
              np.sort(y)[[-1, 3]])]
    mars.execute(*[e for e, _ in exprs], session=cluster)
    for got, want in exprs:
        v = got.fetch()
        assert v.dtype == want.dtype
        np.testing.assert_array_equal(v, want)


def test_median_of_a_long_lane_in_a_default_cluster_session(cluster):
    # The front end asks the default session (here the cluster's) how it
    # tiles the lane, and selects by radix over those parts.
    x = np.random.default_rng(13).standard_normal((1 << 19) + 5)
    with cluster:
        t = mt.tensor(x, chunk_size=1 << 17)
        got = mt.median(t).execute().fetch()
        top = mt.topk(mt.tensor(x), 2).execute().fetch()
    assert got == np.median(x)
    np.testing.assert_array_equal(top, np.sort(x)[::-1][:2])


def test_executed_results_feed_later_programs(cluster):
    x = np.arange(60, dtype=np.float64).reshape(6, 10)
    t = (mt.tensor(x, chunk_size=4) * 3).execute(session=cluster)
    u = (t - 1).sum(axis=1)
    u.execute(session=cluster)
    np.testing.assert_array_equal(u.fetch(), (x * 3 - 1).sum(axis=1))
    assert cluster.last_report()["engine"] == "compiled"


def test_eager_steps_on_the_cluster_in_one_trace(cluster, tmp_path):
    import json
    x = np.arange(96, dtype=np.float64).reshape(8, 12)
    path = tmp_path / "cluster.json"
    with cluster, mars.option_context(eager_mode=True), \
            cluster.record_trace(path):
        t = mt.tensor(x, chunk_size=4) * 3
        u = (t - 1).sum(axis=1)
    np.testing.assert_array_equal(u.fetch(session=cluster),
                                  (x * 3 - 1).sum(axis=1))
    with open(path) as f:
        events = json.load(f)["traceEvents"]
    jobs = [e for e in events
            if e.get("ph") == "X" and e["name"] == "job on the cluster"]
    assert len(jobs) == 3  # t, t - 1, the sum: one job each
    names = {e["args"]["name"] for e in events
             if e.get("ph") == "M" and e["name"] == "process_name"}
    assert any(n.startswith("worker") for n in names)


def test_runtime_errors_keep_their_kind(cluster):
    p = mt.tensor(np.arange(4)) ** mt.tensor(np.array([1, -1, 2, 3]))
    with pytest.raises(ValueError, match="negative integer powers"):
        p.execute(session=cluster)


def test_linalg_on_the_cluster(cluster, monkeypatch):
    # The matrix ops and TSQR run on workers: a stack's matrices by batch
    # chunks, a tall matrix's row blocks in parallel; LAPACK's failures
    # come back as numpy's LinAlgError.
    rng = np.random.default_rng(6)
    s = rng.standard_normal((7, 5, 5))
    x = rng.standard_normal((203, 6))
    st = mt.tensor(s, chunk_size=(3, 5, 5))
    a = mt.tensor(x, chunk_size=(40, 6))
    q, r = mt.linalg.qr(a)
    u, sv, vh = mt.linalg.svd(a, full_matrices=False)
    exprs = [mt.linalg.inv(st), mt.linalg.det(st), mt.linalg.solve(st, st),
             q, r, u, sv, vh]
    mars.execute(*exprs, session=cluster)
    np.testing.assert_allclose(exprs[0].fetch(), np.linalg.inv(s), rtol=1e-10)
    np.testing.assert_allclose(exprs[1].fetch(), np.linalg.det(s), rtol=1e-10)
    np.testing.assert_allclose(exprs[2].fetch(), np.broadcast_to(np.eye(5), s.shape),
                               atol=1e-10)
    np.testing.assert_allclose(q.fetch() @ r.fetch(), x, atol=1e-12)
    np.testing.assert_allclose(np.abs(r.fetch()), np.abs(np.linalg.qr(x)[1]),
                               atol=1e-12)
    np.testing.assert_allclose(sv.fetch(), np.linalg.svd(x, compute_uv=False),
                               rtol=1e-12)
    np.testing.assert_allclose((u.fetch() * sv.fetch()) @ vh.fetch(), x,
                               atol=1e-12)
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        mt.linalg.inv(mt.ones((3, 3))).execute(session=cluster)
    # The tiled LU of a matrix chunked in 2-D, its panels and block
    # columns on workers (row exchanges across the tiles); solve and
    # slogdet take it too, however small the matrix.
    import mars.tensor.linalg as la
    monkeypatch.setattr(la, "_GATHER_FRACTION", 0.0)
    g = rng.standard_normal((30, 30)) + 60 * np.eye(30)
    g = g[rng.permutation(30)]
    tg = mt.tensor(g, chunk_size=8)
    tiled = [mt.linalg.solve(tg, g[:, :2]), mt.linalg.inv(tg),
             *mt.linalg.slogdet(tg), *mt.linalg.lu(tg)]
    mars.execute(*tiled, session=cluster)
    x, ig, sign, logdet, p, low, up = (t.fetch() for t in tiled)
    np.testing.assert_allclose(x, np.linalg.solve(g, g[:, :2]), atol=1e-12)
    np.testing.assert_allclose(ig, np.linalg.inv(g), rtol=1e-10, atol=1e-14)
    want_sign, want_logdet = np.linalg.slogdet(g)
    assert sign == want_sign
    np.testing.assert_allclose(logdet, want_logdet, rtol=1e-12)
    np.testing.assert_allclose(p @ low @ up, g, atol=1e-12)
    # The blocked Householder QR of a matrix chunked in 2-D (panels in
    # compact WY form, block columns updated on workers) and mode 'raw':
    # numpy's factors, signs included.
    w = rng.standard_normal((26, 21))
    tw = mt.tensor(w, chunk_size=6)
    qr_parts = [*mt.linalg.qr(tw), *mt.linalg.qr(tw, mode="raw")]
    mars.execute(*qr_parts, session=cluster)
    for got, want in zip(qr_parts, [*np.linalg.qr(w),
                                    *np.linalg.qr(w, mode="raw")]):
        np.testing.assert_allclose(got.fetch(), want, rtol=0, atol=1e-12)
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        mt.linalg.solve(mt.tensor(np.ones((20, 20)), chunk_size=8),
                        np.ones(20)).execute(session=cluster)
    # scipy's check_finite, found on a worker: a ValueError.
    bad = np.eye(4)
    bad[2, 1] = np.nan
    with pytest.raises(ValueError, match="must not contain infs or NaNs"):
        mt.linalg.lu(mt.tensor(bad, chunk_size=2))[1].execute(session=cluster)


def test_sparse_matrices_cross_the_wire(cluster):
    # A sparse input, sparse chunks moved between workers (to_sparse's
    # chunks read by another worker's products), sparse results assembled
    # by the client, and executed sparse results fed to a later program.
    import scipy.sparse as sp
    rng = np.random.default_rng(4)
    a = sp.random(50, 40, density=0.1, format="csr", random_state=rng)
    x = rng.random(40)
    d = np.where(rng.random((29, 17)) < 0.2, rng.random((29, 17)), 0.0)
    t = mt.tensor(a, chunk_size=(13, 11))
    s = mt.tensor(d, chunk_size=(6, 5)).tosparse()
    e = mt.eye(30, 40, k=3, sparse=True, chunk_size=(7, 9))
    y = t @ mt.tensor(x, chunk_size=11)
    z = s @ mt.tensor(d.T, chunk_size=5)
    mars.execute(y, z, s, e, session=cluster)
    np.testing.assert_allclose(y.fetch(), a @ x, rtol=1e-12)
    np.testing.assert_allclose(z.fetch(), d @ d.T, rtol=1e-12)
    got = s.fetch()
    assert sp.isspmatrix_csr(got) and got.nnz == np.count_nonzero(d)
    np.testing.assert_array_equal(got.toarray(), d)
    np.testing.assert_array_equal(e.fetch().toarray(), np.eye(30, 40, k=3))
    g = e @ e.T  # sparse times sparse: sparse
    g.execute(session=cluster)
    np.testing.assert_array_equal(g.fetch().toarray(),
                                  np.eye(30, 40, k=3) @ np.eye(30, 40, k=3).T)
    w = e @ np.ones(40)  # e executed: its value is the program's input
    w.execute(session=cluster)
    np.testing.assert_array_equal(w.fetch(), np.eye(30, 40, k=3).sum(axis=1))
    # A sparse matrix times dense arrays (scipy's multiply, sparse), and
    # plus an array (dense): the dense operands' chunks come from other
    # workers, one of them computed by a fused kernel.
    r, c = rng.random(40), rng.random((50, 1))
    m = t * mt.exp(mt.tensor(r, chunk_size=7)) * mt.tensor(c, chunk_size=9)
    p = t + mt.tensor(r, chunk_size=7)
    mars.execute(m, p, session=cluster)
    got = m.fetch()
    want = a.multiply(np.exp(r)).multiply(c).tocsr()
    assert sp.isspmatrix_csr(got)
    np.testing.assert_array_equal(got.indptr, a.indptr)
    np.testing.assert_array_equal(got.indices, a.indices)
    np.testing.assert_allclose(got.data, want.data, rtol=1e-15)
    np.testing.assert_array_equal(p.fetch(), a.toarray() + r)
    # A random sparse draw made on the workers is the local one.
    r = mt.random.RandomState(12).rand(40, 30, density=0.1, chunk_size=9)
    got = r.fetch(session=cluster)
    want = mt.random.RandomState(12).rand(40, 30, density=0.1).fetch(
        session=mars.new_session(default=False))
    np.testing.assert_array_equal(got.indptr, want.indptr)
    np.testing.assert_array_equal(got.indices, want.indices)
    np.testing.assert_array_equal(got.data, want.data)
    # Reductions of sparse chunks on the workers, combined across them.
    ex = [t.max(axis=0), t.min(), t.argmin(axis=1), t.argmax(), t.prod(axis=1),
          t.any(axis=0)]
    mars.execute(*ex, session=cluster)
    dense = a.toarray()
    for got, want in zip(ex, [dense.max(axis=0), dense.min(),
                              dense.argmin(axis=1), dense.argmax(),
                              dense.prod(axis=1), dense.any(axis=0)]):
        np.testing.assert_array_equal(got.fetch(), want)


def test_a_ring_of_schedulers_survives_losing_one(tmp_path):
    """Two schedulers on a ring sharing two workers; the session names both.
    The one that owns the running job is killed: the other takes it over
    and the result is numpy's."""
    import threading
    tools = _tools()
    if not os.path.exists(os.path.join(tools, "mars-scheduler")):
        pytest.skip("no mars-scheduler next to the package")
    env = dict(os.environ, MARS_CLUSTER_TOKEN=TOKEN)
    beat = ["--heartbeat=0.3", "--dead-after=1.2"]
    procs, logs, addresses = [], [], []
    for i in range(2):
        addr_file = tmp_path / ("address%d" % i)
        logs.append(open(tmp_path / ("scheduler%d.log" % i), "w+"))
        procs.append(subprocess.Popen(
            [os.path.join(tools, "mars-scheduler"), "--listen=127.0.0.1:0",
             "--address-file=%s" % addr_file, *beat,
             *(["--join=" + addresses[0]] if addresses else [])],
            env=env, stderr=logs[-1]))
        for _ in range(400):
            if addr_file.exists():
                break
            time.sleep(0.05)
        addresses.append(addr_file.read_text().strip())
    workers = [subprocess.Popen(
        [os.path.join(tools, "mars-worker"), "--scheduler=" + addresses[0],
         "--threads=1", "--memory-limit=1GiB", "--spill-dir=%s" % tmp_path,
         "--kernel-cache=%s" % (tmp_path / "kernels")], env=env,
        stderr=open(tmp_path / ("worker%d.log" % i), "w+")) for i in range(2)]

    def text(i):
        logs[i].flush()
        return open(logs[i].name).read()

    try:
        for _ in range(400):
            if all(text(i).count("joined from") >= 2 for i in range(2)):
                break
            time.sleep(0.05)
        s = mars.new_session(addresses, token=TOKEN, default=False,
                             small_elements=0, show_progress=False)
        x = np.random.default_rng(3).random((400, 400))
        a = mt.tensor(x, chunk_size=5)
        got = (a.dot(a.T) - a).sum(axis=0)
        killed = []

        def kill_owner():
            for _ in range(2000):
                for i in range(2):
                    if " tasks, " in text(i):
                        time.sleep(0.05)
                        procs[i].kill()
                        killed.append(i)
                        return
                time.sleep(0.01)

        watcher = threading.Thread(target=kill_owner)
        watcher.start()
        got.execute(session=s)
        watcher.join()
        assert killed, "no scheduler ran the job"
        np.testing.assert_allclose(got.fetch(session=s),
                                   (x.dot(x.T) - x).sum(axis=0), rtol=1e-12)
        survivor = 1 - killed[0]
        assert "taken over" in text(survivor)
    finally:
        _stop([procs[0]] + workers + procs[1:])
