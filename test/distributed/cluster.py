#!/usr/bin/env python3
"""The distributed runtime on loopback: real processes, real sockets.

Starts a scheduler and three workers (mars-scheduler, mars-worker) and
checks, in order:

  differential  random programs of the tiling property test
                (chunked_programs.py), each run locally and on the cluster with
                the same engine, chunking and fan-in: results must be equal bit
                for bit (the cluster combines partials in the local tree's
                order), and equal to the reference evaluator as locally;
  examples      the example programs, compiled, on the cluster;
  fault         a multi-stage job (matmul, then a reduction tree) during which
                one worker is killed (SIGKILL): the result is exactly the local
                one and the stats show the loss and the recomputation; a new
                worker joining mid-run gets tasks;
  late loss     every worker holding the results is killed after the job
                ends and before the client fetches them (the client pauses,
                MARS_TEST_FETCH_DELAY_MS): the client tells the scheduler,
                which computes the results again on a new worker; the
                result is exactly the local one;
  spill         workers under a 256 KiB memory limit spill and read back,
                results unchanged; a chunk over the limit fails the job
                with a message;
  siblings      a sum, max and min of a stored 8 MB value on one worker
                limited to 3 MB, kept apart (--multi-output=false): the
                scheduler orders the three reductions' tasks together, so
                each chunk of the value is read three times and freed;
                nothing is spilled (8 MB were);
  multi-output  the multi-output groups of test/mars-run/multi-output.mlir
                (partial objects carry a partial per result, a finish task
                per result): the results are the local run's bit for bit;
  trace         a --trace run: valid Trace Event JSON with a span per task
                on the workers' tracks and the transfers between them;
  token         a client or worker with no token or a wrong one is refused;
  libm          a worker or client computing libm functions otherwise than
                the scheduler (MARS_SCALAR_LIBM=1) is refused, saying why
  garbage       random bytes sent to the scheduler's and a worker's port are
                rejected and both keep serving;
  cancel        a client killed mid-job cancels it (the scheduler says so);
  crash         the scheduler killed mid-job: the client reports it (no hang)
                and the workers exit saying they lost it.

  op cases      (--op-cases) every case of the numpy differential test,
                chunked and compiled, on the cluster, against the reference.

Usage: cluster.py --tools DIR [--programs N] [--op-cases]
Prints "cluster: N passed, M failed".
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "numpy"))
import chunked_programs  # noqa: E402

TOKEN = "cluster-test-token"
TIMEOUT = 120


class Cluster:
    def __init__(self, tools, root, workers=3, worker_args=(),
                 heartbeat=("--heartbeat=0.5", "--dead-after=2"),
                 scheduler_args=()):
        self.tools, self.root = tools, root
        self.worker_args = list(worker_args)
        self.env = dict(os.environ, MARS_CLUSTER_TOKEN=TOKEN)
        addr_file = os.path.join(root, "address")
        self.sched_log = open(os.path.join(root, "scheduler.log"), "w+")
        self.scheduler = subprocess.Popen(
            [os.path.join(tools, "mars-scheduler"), "--listen=127.0.0.1:0",
             f"--address-file={addr_file}", *heartbeat, *scheduler_args],
            env=self.env, stderr=self.sched_log)
        for _ in range(200):
            if os.path.exists(addr_file):
                break
            time.sleep(0.05)
        with open(addr_file) as f:
            self.address = f.read().strip()
        self.workers = []
        # Workers a check killed on purpose (fault kills one per attempt).
        self.killed = set()
        for _ in range(workers):
            self.add_worker()
        self.wait_workers(workers)

    def add_worker(self, extra=()):
        n = len(self.workers)
        log = open(os.path.join(self.root, f"worker{n}.log"), "w+")
        p = subprocess.Popen(
            [os.path.join(self.tools, "mars-worker"),
             f"--scheduler={self.address}", "--threads=1",
             f"--kernel-cache={os.path.join(self.root, 'kernels')}",
             f"--spill-dir={self.root}", *self.worker_args, *extra],
            env=self.env, stderr=log)
        self.workers.append((p, log))
        return p

    def log(self):
        self.sched_log.flush()
        with open(self.sched_log.name) as f:
            return f.read()

    def wait_workers(self, n):
        for _ in range(200):
            if self.log().count("joined from") >= n:
                return
            time.sleep(0.05)
        raise RuntimeError(f"workers did not join:\n{self.log()}")

    def run(self, cmd, **kw):
        return subprocess.run(cmd + [f"--cluster={self.address}"],
                              capture_output=True, text=True, env=self.env,
                              timeout=kw.pop("timeout", TIMEOUT), **kw)

    def stop(self):
        # SIGTERM: a worker removes its spill directory on the way out.
        for p, _ in self.workers:
            if p.poll() is None:
                p.terminate()
        for p, _ in self.workers:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if self.scheduler.poll() is None:
            self.scheduler.kill()
        self.scheduler.wait()


def differential(cluster, mars_run, root, count, problems):
    passed = 0
    for index in range(count):
        g = chunked_programs.Gen(7 * 100003 + index)
        prog = g.program()
        d = os.path.join(root, f"p{index}")
        os.makedirs(d)
        path = os.path.join(d, "prog.mlir")
        with open(path, "w") as f:
            f.write(prog)
        cmd = [mars_run, path, "--quiet"]
        for i, a in enumerate(g.args):
            p = os.path.join(d, f"a{i}.npy")
            np.save(p, a)
            cmd.append(f"--arg={i}={p}")
        ref = subprocess.run(cmd + ["--engine=reference", "--output",
                                    os.path.join(d, "ref")],
                             capture_output=True, text=True, timeout=TIMEOUT)
        if ref.returncode:
            problems.append(f"program {index}: reference failed: {ref.stderr}")
            continue
        nres = len(os.listdir(os.path.join(d, "ref")))
        wants = [np.load(os.path.join(d, "ref", f"result{i}.npy"))
                 for i in range(nres)]
        engine = "compiled" if index % 2 else "chunked"
        size = [1, 2, 3, 5, 1000][index % 5]
        opts = [f"--engine={engine}", f"--chunks={size}",
                f"--fan-in={2 + index % 3}",
                f"--kernel-cache={os.path.join(root, 'kernels')}"]
        local = subprocess.run(cmd + opts + ["--threads=1", "--output",
                                             os.path.join(d, "local")],
                               capture_output=True, text=True, timeout=TIMEOUT)
        remote = cluster.run(cmd + opts + ["--output", os.path.join(d, "cluster")])
        label = f"program {index} {' '.join(opts[:3])}"
        if local.returncode or remote.returncode:
            problems.append(f"{label}: local rc {local.returncode}, cluster rc "
                            f"{remote.returncode}: {remote.stderr.strip()}\n{prog}")
            continue
        bad = chunked_programs.compare(g, wants, os.path.join(d, "cluster"), label)
        for i in range(nres):
            a = np.load(os.path.join(d, "local", f"result{i}.npy"))
            b = np.load(os.path.join(d, "cluster", f"result{i}.npy"))
            if a.dtype != b.dtype or not np.array_equal(
                    a, b, equal_nan=a.dtype.kind == "f"):
                bad = bad or f"{label}: result {i} differs from the local run"
        if bad:
            problems.append(bad + "\n" + prog)
        else:
            passed += 1
    return passed


def op_cases(cluster, mars_run, src, problems, sample, seed):
    """The cases of the numpy differential test (every op, dtype,
    broadcasting pattern, empty and size-1 dims, run-time errors) on the
    cluster, chunked and compiled: a fraction `sample` of them, chosen by
    `seed`."""
    r = subprocess.run(
        [sys.executable, os.path.join(src, "test", "numpy", "differential.py"),
         f"--mars-run={mars_run}", "--chunked=1", "--compiled=1",
         f"--sample={sample}", f"--seed={seed}", "--only-sampled",
         f"--cluster={cluster.address}"],
        capture_output=True, text=True, env=cluster.env, timeout=1800)
    last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    print(f"cluster: {last}")
    if r.returncode or not last.endswith(" 0 failed"):
        problems.append("op cases on the cluster: " +
                        "\n".join(r.stdout.splitlines()[-20:]) + r.stderr)


def examples(cluster, mars_run, src, root, problems):
    for name in ["add_mul", "dot_std", "monte_carlo_pi"]:
        prog = os.path.join(src, "examples", f"{name}.mlir")
        # One thread per worker, as the workers run: kernels then split a
        # chunk over as many OpenMP threads (float sums in the same order).
        opts = ["--engine=compiled", f"--kernel-cache={root}/kernels",
                "--quiet", "--threads=1", "--output"]
        local = subprocess.run([mars_run, prog, *opts, f"{root}/{name}-local"],
                               capture_output=True, text=True, timeout=TIMEOUT)
        remote = cluster.run([mars_run, prog, *opts, f"{root}/{name}-cluster"])
        if local.returncode or remote.returncode:
            problems.append(f"example {name}: {remote.stderr}")
            continue
        a = np.load(f"{root}/{name}-local/result0.npy")
        b = np.load(f"{root}/{name}-cluster/result0.npy")
        if not np.array_equal(a, b):
            problems.append(f"example {name}: cluster {b} != local {a}")


def unread(cluster, mars_run, src, root, problems):
    """Only the chunks the results need run on the cluster too: the
    windows of test/mars-run/unread-chunks.mlir take 6 tasks out of more
    than 18,000 chunks, with the local result."""
    prog = os.path.join(src, "test", "mars-run", "unread-chunks.mlir")
    opts = ["--engine=compiled", f"--kernel-cache={root}/kernels", "--quiet",
            "--chunks=1000", "--output"]
    local = subprocess.run([mars_run, prog, *opts, f"{root}/unread-local"],
                           capture_output=True, text=True, timeout=TIMEOUT)
    stats = os.path.join(root, "unread.json")
    remote = cluster.run([mars_run, prog, *opts, f"{root}/unread-cluster",
                          f"--stats={stats}"])
    if local.returncode or remote.returncode:
        problems.append(f"unread: {local.stderr} {remote.stderr}")
        return
    tasks = json.load(open(stats))["cluster"]["tasks_run"]
    if tasks > 12:
        problems.append(f"unread: the cluster ran {tasks} tasks")
    for i in range(3):
        a = np.load(f"{root}/unread-local/result{i}.npy")
        b = np.load(f"{root}/unread-cluster/result{i}.npy")
        if not np.array_equal(a, b):
            problems.append(f"unread: result {i}: cluster {b} != local {a}")


FAULT_PROGRAM = """
func.func @main() -> (tensor<f64>, tensor<240xf64>) {
  %a = mars.random_uniform seed = 5, low = 0.0, high = 1.0 : tensor<240x240xf64>
  %t = mars.transpose %a perm = [1, 0] : tensor<240x240xf64> -> tensor<240x240xf64>
  %p = mars.matmul %a, %t : tensor<240x240xf64>, tensor<240x240xf64> -> tensor<240x240xf64>
  %d = mars.sub %p, %a : tensor<240x240xf64>
  %s = mars.std %d : tensor<240x240xf64> -> tensor<f64>
  %m = mars.sum %d axes = [0] : tensor<240x240xf64> -> tensor<240xf64>
  return %s, %m : tensor<f64>, tensor<240xf64>
}
"""


# A job of a few seconds on 3 one-thread workers (about 8 s idle), long enough
# for a fault to land mid-run (cancel and crash come 0.3 s after the job
# starts; fault waits for the victim to have run tasks).
LONG_PROGRAM = FAULT_PROGRAM.replace("240", "480")
LONG_CHUNKS = 5


def wait_for_job(cluster, jobs_before):
    """Waits until the scheduler has logged one more job than before."""
    for _ in range(500):
        if cluster.log().count(" tasks, ") > jobs_before:
            return
        time.sleep(0.02)


def cpu_seconds(pid):
    """The user and system CPU time a live process has used."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# A worker spends about 4.5 s of CPU on the long job (0.2 s of it opening
# it); at 1 s it is well into running tasks and far from done.
VICTIM_CPU_SECONDS = 1.0


def wait_for_cpu(proc, seconds, client):
    """Waits until `proc` has used `seconds` more CPU time than now, or
    the client has exited (the job ended first: the caller's retry covers
    that)."""
    base = cpu_seconds(proc.pid)
    deadline = time.time() + TIMEOUT
    while time.time() < deadline and client.poll() is None:
        if cpu_seconds(proc.pid) - base >= seconds:
            return
        time.sleep(0.02)


def retried(once, outcomes, attempts=3):
    """The problems of `once(found)`, run again (up to `attempts` runs) while
    every problem it found starts with one of `outcomes`: outcomes of
    timing or placement under the suite's load, not of results."""
    for _ in range(attempts):
        found = []
        once(found)
        if not found or not all(p.startswith(outcomes) for p in found):
            break
    return found


def run_locally(mars_run, opts, output, label, problems):
    """The local run a cluster run is compared with; False if it failed."""
    local = subprocess.run([mars_run, *opts, "--output", output],
                           capture_output=True, text=True, timeout=TIMEOUT)
    if local.returncode:
        problems.append(f"{label}: local run failed: {local.stderr}")
    return local.returncode == 0


def _fault_once(cluster, mars_run, root, problems):
    path = os.path.join(root, "fault.mlir")
    with open(path, "w") as f:
        # The job must outlast the half second before the kill: at 320 x 320
        # in 8 x 8 chunks it ends within 0.4 s on an idle 2-core machine;
        # 480 x 480 in 5 x 5 chunks runs about 5 times the tasks (~3 s).
        f.write(LONG_PROGRAM)
    # Reference kernels and small chunks: a few seconds of work spread over
    # every worker, so a kill lands mid-run.
    opts = [path, "--engine=chunked", f"--chunks={LONG_CHUNKS}", "--quiet"]
    if not run_locally(mars_run, opts, f"{root}/fault-local", "fault",
                       problems):
        return
    stats = os.path.join(root, "fault-stats.json")
    jobs = cluster.log().count(" tasks, ")
    client = subprocess.Popen(
        [mars_run, *opts, f"--cluster={cluster.address}",
         "--output", f"{root}/fault-cluster", f"--stats={stats}"],
        env=cluster.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    # Kill a worker once it has run tasks for a while, and add one. A fixed
    # delay is not enough: under the suite's load, workers may still be
    # opening the job (parsing and tiling it) half a second after it starts,
    # and a worker killed then holds nothing to recompute.
    # A live one besides the first (an earlier attempt killed one).
    victim = next(p for p, _ in cluster.workers[1:] if p.poll() is None)
    wait_for_job(cluster, jobs)
    wait_for_cpu(victim, VICTIM_CPU_SECONDS, client)
    victim.kill()
    cluster.killed.add(victim.pid)
    newcomer = cluster.add_worker()
    out, err = client.communicate(timeout=TIMEOUT)
    if client.returncode:
        problems.append(f"fault: cluster run failed: {err}")
        return
    with open(stats) as f:
        s = json.load(f)["cluster"]
    for i in range(2):
        a = np.load(f"{root}/fault-local/result{i}.npy")
        b = np.load(f"{root}/fault-cluster/result{i}.npy")
        if not np.array_equal(a, b):
            problems.append(f"fault: result {i} differs after losing a worker:"
                            f" {b} vs {a}")
    if s["workers_lost"] < 1 or s["recomputed"] < 1:
        problems.append(f"fault: the run did not lose a worker mid-run "
                        f"(stats {s}); the test needs a longer job")
    if len(s["tasks_per_worker"]) < 4:
        problems.append(f"fault: the worker that joined mid-run got no tasks "
                        f"({s})")
    if newcomer.poll() is not None:
        problems.append("fault: the new worker exited")


def fault(cluster, mars_run, root, problems):
    """_fault_once, again (up to three runs) while the kill landed too late
    for the job to need the lost worker's chunks or the newcomer: under the
    suite's load (2 cores shared with the other checks) the job's pace
    varies. Wrong results are reported at once."""
    problems.extend(retried(
        lambda found: _fault_once(cluster, mars_run, root, found),
        ("fault: the run did not lose a worker",
         "fault: the worker that joined mid-run")))


def late_loss(tools, mars_run, root, problems):
    d = os.path.join(root, "late")
    os.makedirs(d)
    path = os.path.join(d, "late.mlir")
    with open(path, "w") as f:
        f.write(FAULT_PROGRAM)
    opts = [path, "--engine=chunked", "--chunks=40", "--quiet"]
    if not run_locally(mars_run, opts, f"{d}/local", "late loss", problems):
        return
    # A cluster of its own: both workers die, a third computes it all again.
    # Heartbeats are rare, so the scheduler learns of the deaths from the
    # client.
    late = Cluster(tools, d, workers=2,
                   heartbeat=("--heartbeat=60", "--dead-after=120"))
    try:
        stats = os.path.join(d, "stats.json")
        client = subprocess.Popen(
            [mars_run, *opts, f"--cluster={late.address}",
             "--output", f"{d}/cluster", f"--stats={stats}"],
            env=dict(late.env, MARS_TEST_FETCH_DELAY_MS="1000"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(1000):
            if " done: " in late.log() or client.poll() is not None:
                break
            time.sleep(0.01)
        if " done: " not in late.log():
            problems.append(f"late loss: the job did not end: {late.log()}")
            client.kill()
            return
        for p, _ in late.workers:
            p.kill()
        late.add_worker()
        out, err = client.communicate(timeout=TIMEOUT)
        if client.returncode:
            problems.append(f"late loss: the client failed: {err}")
            return
        s = json.load(open(stats))["cluster"]
        for i in range(2):
            a = np.load(f"{d}/local/result{i}.npy")
            b = np.load(f"{d}/cluster/result{i}.npy")
            if not np.array_equal(a, b):
                problems.append(f"late loss: result {i} differs: {b} vs {a}")
        # A finished job counts a lost worker only if it held a result
        # chunk no other worker holds: when one worker happened to compute
        # every result (the pace varies under load), that is one loss.
        if s["recomputed"] < 2 or s["workers_lost"] < 1:
            problems.append(f"late loss: the stats show no recomputation: {s}")
        if "computing it again" not in late.log():
            problems.append("late loss: the scheduler did not log the reopen")
    finally:
        late.stop()


def spill(tools, mars_run, src, root, problems):
    """Workers under a 256 KiB memory limit: objects go to their spill files
    and come back; the result is exactly the local one. A chunk larger than
    the limit fails the job with a message naming the limit."""
    d = os.path.join(root, "spill")
    os.makedirs(d)
    low = Cluster(tools, d, worker_args=["--memory-limit=256KiB"])
    try:
        path = os.path.join(d, "spill.mlir")
        with open(path, "w") as f:
            f.write(FAULT_PROGRAM)
        for engine in ["chunked", "compiled"]:
            opts = [path, f"--engine={engine}", "--chunks=20", "--quiet",
                    "--threads=1", f"--kernel-cache={d}/kernels"]
            local = subprocess.run(
                [mars_run, *opts, "--output", f"{d}/{engine}-local"],
                capture_output=True, text=True, timeout=TIMEOUT)
            stats = os.path.join(d, f"{engine}.json")
            remote = low.run([mars_run, *opts, "--output", f"{d}/{engine}",
                              f"--stats={stats}"])
            if local.returncode or remote.returncode:
                problems.append(f"spill {engine}: {remote.stderr}")
                continue
            spilled = json.load(open(stats))["cluster"]["bytes_spilled"]
            if spilled == 0:
                problems.append(f"spill {engine}: nothing was spilled")
            for i in range(2):
                a = np.load(f"{d}/{engine}-local/result{i}.npy")
                b = np.load(f"{d}/{engine}/result{i}.npy")
                if not np.array_equal(a, b):
                    problems.append(f"spill {engine}: result {i} differs")
        big = low.run([mars_run, os.path.join(src, "examples", "add_mul.mlir"),
                       "--engine=chunked", "--chunks=500", "--quiet"])
        if big.returncode == 0 or "memory limit" not in big.stderr:
            problems.append(f"spill: a chunk over the workers' limit did not "
                            f"fail with a message: {big.stderr}")
    finally:
        low.stop()
    left = [f for f in os.listdir(d) if f.startswith("mars-spill-")]
    if left:
        problems.append(f"spill: workers left {left}")


PRESSURE_PROGRAM = """
func.func @main() -> (tensor<f64>, tensor<1200xf64>) {
  %a = mars.random_uniform seed = 5, low = 0.0, high = 1.0 : tensor<1200x1200xf64>
  %t = mars.transpose %a perm = [1, 0] : tensor<1200x1200xf64> -> tensor<1200x1200xf64>
  %p = mars.matmul %a, %t : tensor<1200x1200xf64>, tensor<1200x1200xf64> -> tensor<1200x1200xf64>
  %d = mars.sub %p, %a : tensor<1200x1200xf64>
  %e = mars.exp %d : tensor<1200x1200xf64>
  %s = mars.std %e : tensor<1200x1200xf64> -> tensor<f64>
  %m = mars.sum %d axes = [0] : tensor<1200x1200xf64> -> tensor<1200xf64>
  return %s, %m : tensor<f64>, tensor<1200xf64>
}
"""

RESULTS_PROGRAM = """
func.func @main() -> tensor<300007x2xf32> {
  %v1 = mars.random_uniform seed = 0, low = 2.0, high = 2.5 {mars.chunks = array<i64: 100000, 2>} : tensor<300007x2xf32>
  return %v1 : tensor<300007x2xf32>
}
"""

FAILING_PROGRAM = """
func.func @main() -> tensor<400000x2xf32> {
  %v = mars.random_uniform seed = 1, low = 0.0, high = 1.0 {mars.chunks = array<i64: 200000, 2>} : tensor<400000x2xf32>
  return %v : tensor<400000x2xf32>
}
"""


def pressure(tools, mars_run, root, problems):
    """Workers whose memory limits hold a few chunks: chunks read back make
    room by spilling what no running task reads, finished result chunks
    are spilled, and tasks wait for memory that running tasks will free,
    so every run gives the local result whatever the placement. Jobs that
    cannot fit fail with a located sentence, release everything they held,
    and a good job still runs after many of them."""
    d = os.path.join(root, "pressure")
    os.makedirs(d)
    programs = {}
    for name, text in [("pressure", PRESSURE_PROGRAM),
                       ("results", RESULTS_PROGRAM),
                       ("failing", FAILING_PROGRAM)]:
        programs[name] = os.path.join(d, f"{name}.mlir")
        with open(programs[name], "w") as f:
            f.write(text)
    low_dir = os.path.join(d, "low")
    os.makedirs(low_dir)
    low = Cluster(tools, low_dir, worker_args=["--memory-limit=2MiB"])
    try:
        opts = [programs["pressure"], "--chunks=60", "--quiet", "--threads=1",
                f"--kernel-cache={d}/kernels"]
        local = subprocess.run([mars_run, *opts, "--output", f"{d}/local"],
                               capture_output=True, text=True,
                               timeout=TIMEOUT)
        if local.returncode:
            problems.append(f"pressure: local run failed: {local.stderr}")
            return
        for k in range(3):
            remote = low.run([mars_run, *opts, "--output", f"{d}/remote{k}"])
            if remote.returncode:
                problems.append(f"pressure: run {k} failed: {remote.stderr}")
                continue
            for i in range(2):
                a = np.load(f"{d}/local/result{i}.npy")
                b = np.load(f"{d}/remote{k}/result{i}.npy")
                if not np.array_equal(a, b):
                    problems.append(f"pressure: run {k} result {i} differs")
    finally:
        low.stop()
    tiny_dir = os.path.join(d, "tiny")
    os.makedirs(tiny_dir)
    tiny = Cluster(tools, tiny_dir, worker_args=["--memory-limit=1MiB"])
    try:
        for k in range(4):
            r = tiny.run([mars_run, programs["results"], "--quiet",
                          f"--kernel-cache={d}/kernels",
                          "--output", f"{d}/results{k}"])
            if r.returncode:
                problems.append(f"pressure: result chunks run {k} failed: "
                                f"{r.stderr}")
        # Chunks of 1.2 MiB cannot fit: each job fails, with a sentence
        # located at an op, not a source expression.
        for k in range(10):
            r = tiny.run([mars_run, programs["failing"], "--quiet"],
                         timeout=60)
            if r.returncode == 0:
                problems.append("pressure: a job over the limit succeeded")
                break
            if "memory limit" not in r.stderr or " = " in r.stderr or \
                    ".mlir:" not in r.stderr:
                problems.append(f"pressure: failing job {k}: {r.stderr}")
                break
        good = tiny.run([mars_run, os.path.join(d, "results.mlir"),
                         "--quiet", "--chunks=1000000"], timeout=60)
        if good.returncode:
            problems.append(f"pressure: the job after failed ones: "
                            f"{good.stderr}")
    except subprocess.TimeoutExpired:
        problems.append("pressure: the cluster hung after failed jobs")
    finally:
        tiny.stop()


def last_words(p, log, timeout):
    """What worker process `p` logged once it exited, or None if it is
    still running after `timeout` seconds."""
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    log.flush()
    with open(log.name) as f:
        return f.read()


def stalled(tools, mars_run, root, problems):
    """A worker stopped past the scheduler's deadline is declared lost (its
    work recomputed); resumed, it says so and exits rather than live on
    silent and useless."""
    d = os.path.join(root, "stalled")
    os.makedirs(d)
    c = Cluster(tools, d, workers=2)
    try:
        p, log = c.workers[1]
        p.send_signal(signal.SIGSTOP)
        for _ in range(100):
            if "lost" in c.log():
                break
            time.sleep(0.1)
        else:
            problems.append("stalled: the stopped worker was not declared lost")
        p.send_signal(signal.SIGCONT)
        text = last_words(p, log, 15)
        if text is None:
            problems.append("stalled: the resumed worker lives on")
        elif "declared lost" not in text:
            problems.append(f"stalled: the resumed worker said: {text}")
    finally:
        c.stop()


def siblings(tools, mars_run, src, root, problems):
    d = os.path.join(root, "siblings")
    os.makedirs(d)
    one = Cluster(tools, d, workers=1, worker_args=["--memory-limit=3MB"])
    try:
        stats = os.path.join(d, "stats.json")
        prog = os.path.join(src, "test", "mars-run", "sibling-walk.mlir")
        opts = [prog, "--engine=chunked", "--chunks=100",
                "--multi-output=false"]
        r = one.run([mars_run, *opts, f"--stats={stats}"])
        local = subprocess.run([mars_run, *opts], capture_output=True,
                               text=True, timeout=TIMEOUT)
        if r.returncode or local.returncode:
            problems.append(f"siblings: {r.stderr} {local.stderr}")
            return
        if r.stdout != local.stdout:
            problems.append(f"siblings: {r.stdout} vs local {local.stdout}")
        spilled = json.load(open(stats))["cluster"]["bytes_spilled"]
        if spilled:
            problems.append(f"siblings: {spilled} bytes spilled; the "
                            f"reductions' tasks were not ordered together")
    finally:
        one.stop()


def multi_output(cluster, mars_run, src, root, problems):
    prog = os.path.join(src, "test", "mars-run", "multi-output.mlir")
    opts = [prog, "--chunks=150", f"--kernel-cache={root}/kernels",
            "--quiet", "--threads=1", "--output"]
    out = os.path.join(root, "multi-output")
    if not run_locally(mars_run, opts[:-1], f"{out}/local", "multi-output",
                       problems):
        return
    r = cluster.run([mars_run, *opts, f"{out}/cluster"])
    if r.returncode:
        problems.append(f"multi-output: {r.stderr}")
        return
    for i in range(13):
        a = np.load(f"{out}/local/result{i}.npy")
        b = np.load(f"{out}/cluster/result{i}.npy")
        if a.dtype != b.dtype or a.shape != b.shape or a.tobytes() != b.tobytes():
            problems.append(f"multi-output: result {i}: cluster {b} != "
                            f"local {a}")


def _trace_once(cluster, mars_run, src, root, problems):
    """A traced run: the trace is valid Trace Event JSON, has one task span
    per task the scheduler ran, on the workers' process tracks, and the
    transfers between workers as async spans whose bytes add up to the
    bytes the stats say were fetched."""
    sys.path.insert(0, os.path.join(src, "test"))
    import trace_format
    prog = os.path.join(src, "test", "mars-run", "trace.mlir")
    out = os.path.join(root, "trace")
    os.makedirs(out, exist_ok=True)
    r = cluster.run([mars_run, prog, "--chunks=250", "--quiet",
                     f"--kernel-cache={root}/kernels",
                     f"--trace={out}/trace.json", f"--stats={out}/stats.json",
                     f"--output={out}/cluster"])
    if r.returncode:
        problems.append(f"trace: {r.stderr}")
        return
    with open(f"{out}/trace.json") as f:
        doc = json.load(f)
    with open(f"{out}/stats.json") as f:
        stats = json.load(f)["cluster"]
    try:
        events = trace_format.validate(doc)
    except ValueError as e:
        problems.append(f"trace: invalid: {e}")
        return
    kinds = {"map", "product", "mirror", "scan", "partial", "combine",
             "finish", "save"}
    tasks = [e for e in events if e["ph"] == "X" and e["cat"] in kinds]
    if len(tasks) != stats["tasks_run"] or any(e["pid"] == 0 for e in tasks):
        problems.append(f"trace: {len(tasks)} task spans on workers' tracks, "
                        f"the scheduler ran {stats['tasks_run']}")
    workers = {e["args"]["name"] for e in events
               if e["ph"] == "M" and e["name"] == "process_name"}
    if len([w for w in workers if w.startswith("worker ")]) < 2:
        problems.append(f"trace: worker processes {sorted(workers)}")
    fetched = sum(e["args"]["bytes"] for e in events
                  if e["ph"] == "b" and e["cat"] == "transfer")
    if fetched != stats["bytes_fetched"] or fetched == 0:
        problems.append(f"trace: transfers of {fetched} bytes, the stats say "
                        f"{stats['bytes_fetched']}")
    names = {e["name"] for e in events if e["ph"] == "X"}
    for want in ("job on the cluster", "fetch results", "execute (compiled)"):
        if want not in names:
            problems.append(f"trace: no span {want!r}")


def trace(cluster, mars_run, src, root, problems):
    """_trace_once, again (up to three runs) while the scheduler placed the
    whole job on one worker: where tasks run depends on the machine's load
    (this check shares 2 cores with the rest of the suite), and a trace of
    one worker has neither several worker processes nor transfers to
    check."""
    problems.extend(retried(
        lambda found: _trace_once(cluster, mars_run, src, root, found),
        ("trace: worker processes", "trace: transfers of 0 bytes")))


def token(cluster, mars_run, src, root, problems):
    prog = os.path.join(src, "examples", "add_mul.mlir")
    env = {k: v for k, v in cluster.env.items()
           if not k.startswith("MARS_CLUSTER_TOKEN")}
    for extra, label in [([], "no token"), (["--token=wrong"], "wrong token")]:
        r = subprocess.run([mars_run, prog, "--engine=chunked", "--quiet",
                            f"--cluster={cluster.address}", *extra],
                           capture_output=True, text=True, env=env,
                           timeout=TIMEOUT)
        want = "token" if extra else "a cluster token is required"
        if r.returncode == 0 or want not in r.stderr:
            problems.append(f"token: a client with {label} was not refused: "
                            f"rc {r.returncode} {r.stderr}")
    w = subprocess.run([os.path.join(cluster.tools, "mars-worker"),
                        f"--scheduler={cluster.address}", "--token=wrong"],
                       capture_output=True, text=True, env=env, timeout=30)
    if w.returncode == 0 or "refused" not in w.stderr:
        problems.append(f"token: a worker with a wrong token joined: {w.stderr}")


def libm(cluster, mars_run, src, root, problems):
    """A worker or a client that computes libm functions otherwise than the
    scheduler (MARS_SCALAR_LIBM=1 where the CPU has AVX2, so the others use
    glibc's vector forms) is refused, saying why: its elements would
    differ by ulps from the rest of the cluster's."""
    if " avx2" not in open("/proc/cpuinfo").read():
        return  # every process uses the C library's functions
    env = dict(cluster.env, MARS_SCALAR_LIBM="1")
    prog = os.path.join(src, "examples", "add_mul.mlir")
    r = subprocess.run([mars_run, prog, "--engine=chunked", "--quiet",
                        f"--cluster={cluster.address}"],
                       capture_output=True, text=True, env=env,
                       timeout=TIMEOUT)
    if r.returncode == 0 or "libm" not in r.stderr:
        problems.append(f"libm: a client with the scalar libm was not "
                        f"refused: rc {r.returncode} {r.stderr}")
    w = subprocess.run([os.path.join(cluster.tools, "mars-worker"),
                        f"--scheduler={cluster.address}"],
                       capture_output=True, text=True, env=env, timeout=30)
    if w.returncode == 0 or "libm" not in w.stderr:
        problems.append(f"libm: a worker with the scalar libm joined: "
                        f"{w.stderr}")
    # The cluster still serves the processes that agree.
    r = cluster.run([mars_run, prog, "--engine=chunked", "--quiet"])
    if r.returncode:
        problems.append(f"libm: the cluster stopped serving: {r.stderr}")


def make_certificate(root, name, hosts):
    """A self-signed certificate naming `hosts` and its key. KJ's TLS checks
    even an IP address against the DNS names, so an address is named both
    ways (browsers and Python check IP entries)."""
    cert = os.path.join(root, f"{name}-cert.pem")
    key = os.path.join(root, f"{name}-key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                    "-subj", f"/CN={name}", "-addext",
                    "subjectAltName=" + ",".join(
                        f"DNS:{h}" + (f",IP:{h}" if h[0].isdigit() else "")
                        for h in hosts)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def tls(tools, mars_run, src, root, problems):
    """A cluster whose every connection is TLS: results as a local run's
    (with chunks moving between workers), clients and workers that do not
    trust its certificate (or speak plain TCP) refused, and the dashboard
    over https."""
    import ssl
    import urllib.request
    if not shutil.which("openssl"):
        problems.append("tls: the openssl command is not installed")
        return
    root = os.path.join(root, "tls")
    os.makedirs(root, exist_ok=True)
    cert, key = make_certificate(root, "cluster", ["127.0.0.1", "localhost"])
    other, _ = make_certificate(root, "other", ["127.0.0.1"])
    files = [f"--tls-cert={cert}", f"--tls-key={key}"]
    c = Cluster(tools, root, workers=2, worker_args=files,
                scheduler_args=files + ["--dashboard=0"])
    try:
        if "(TLS)" not in c.log():
            problems.append(f"tls: the scheduler does not say TLS: {c.log()}")
        prog = os.path.join(src, "examples", "dot_std.mlir")
        opts = ["--engine=compiled", f"--kernel-cache={root}/kernels",
                "--quiet", "--threads=1", "--chunks=125", "--output"]

        def run_once(found):
            local = subprocess.run([mars_run, prog, *opts, f"{root}/local"],
                                   capture_output=True, text=True,
                                   timeout=TIMEOUT)
            remote = c.run([mars_run, prog, *opts, f"{root}/cluster",
                            f"--tls-ca={cert}",
                            "--stats=" + f"{root}/stats.json"])
            if local.returncode or remote.returncode:
                found.append(f"tls: the run failed: {remote.stderr}")
                return
            a = np.load(f"{root}/local/result0.npy")
            b = np.load(f"{root}/cluster/result0.npy")
            with open(f"{root}/stats.json") as f:
                moved = json.load(f)["cluster"]["bytes_fetched"]
            if not np.array_equal(a, b):
                found.append(f"tls: cluster {b} != local {a}")
            elif moved == 0:
                found.append("tls: nothing moved between workers (the "
                             "scheduler placed the whole job on one)")
        # Where tasks run depends on the suite's load: a job placed on one
        # worker moves nothing over TLS, and runs again (retried).
        found = retried(run_once, ("tls: nothing moved",))
        problems.extend(found)
        if any(p.startswith("tls: the run failed") for p in found):
            return
        # Clients that cannot talk to it: plain TCP, another certificate.
        for extra, want in [([], "--tls-ca"),
                            ([f"--tls-ca={other}"], "not trusted")]:
            r = c.run([mars_run, prog, "--engine=chunked", "--quiet",
                       *extra], timeout=60)
            if r.returncode == 0 or want not in r.stderr:
                problems.append(f"tls: a client with {extra or 'no TLS'} "
                                f"was not refused: {r.stderr}")
        w = subprocess.run([os.path.join(tools, "mars-worker"),
                            f"--scheduler={c.address}", f"--tls-cert={other}",
                            f"--tls-key={other.replace('cert', 'key')}"],
                           capture_output=True, text=True, env=c.env,
                           timeout=30)
        if w.returncode == 0 or "not trusted" not in w.stderr:
            problems.append(f"tls: a worker trusting another certificate "
                            f"joined: {w.stderr}")
        w = subprocess.run([os.path.join(tools, "mars-worker"),
                            f"--scheduler={c.address}", f"--tls-cert={cert}"],
                           capture_output=True, text=True, env=c.env,
                           timeout=30)
        if w.returncode == 0 or "--tls-key" not in w.stderr:
            problems.append(f"tls: a worker without its key: {w.stderr}")
        # The dashboard is https, with the same certificate, and a
        # connection that fails its handshake (plain HTTP) ends only itself.
        m = re.search(r"dashboard on (https://\S+/)", c.log())
        if not m:
            problems.append(f"tls: no https dashboard: {c.log()}")
        else:
            url = m.group(1)
            try:
                urllib.request.urlopen(url.replace("https:", "http:"),
                                       timeout=30).read()
                problems.append("tls: the dashboard answered plain HTTP")
            except OSError:
                pass
            context = ssl.create_default_context(cafile=cert)
            with urllib.request.urlopen(url + "api/status",
                                        context=context, timeout=30) as r:
                s = json.load(r)
            if len(s["workers"]) != 2:
                problems.append(f"tls: the dashboard's workers: {s}")
        # A connection that never starts its handshake holds up no one, and
        # the port still serves after the refused ones above; dialled by
        # name (the certificate names localhost too).
        host, port = c.address.rsplit(":", 1)
        with socket.create_connection((host, int(port))):
            start = time.time()
            r = subprocess.run([mars_run, prog, "--engine=chunked",
                                "--quiet", f"--tls-ca={cert}",
                                f"--cluster=localhost:{port}"],
                               capture_output=True, text=True, env=c.env,
                               timeout=60)
            if r.returncode or time.time() - start > 8:
                problems.append(f"tls: a run beside a silent connection: "
                                f"rc {r.returncode} after "
                                f"{time.time() - start:.1f} s: {r.stderr}")
    finally:
        c.stop()
    # A certificate that does not name the host dialled is refused.
    named, named_key = make_certificate(root, "named", ["localhost"])
    addr_file = os.path.join(root, "named.address")
    sched = subprocess.Popen(
        [os.path.join(tools, "mars-scheduler"), "--listen=127.0.0.1:0",
         f"--address-file={addr_file}", f"--tls-cert={named}",
         f"--tls-key={named_key}", "--quiet"], env=c.env)
    try:
        for _ in range(200):
            if os.path.exists(addr_file):
                break
            time.sleep(0.05)
        with open(addr_file) as f:
            address = f.read().strip()
        r = subprocess.run([mars_run, prog, "--engine=chunked", "--quiet",
                            f"--tls-ca={named}", f"--cluster={address}"],
                           capture_output=True, text=True, env=c.env,
                           timeout=60)
        if r.returncode == 0 or "hostname mismatch" not in r.stderr:
            problems.append(f"tls: a certificate for another host was "
                            f"accepted: {r.stderr}")
    finally:
        sched.kill()
        sched.wait()


def garbage(cluster, mars_run, src, root, problems):
    rng = random.Random(3)
    worker_port = None
    live = [(p, log) for p, log in cluster.workers if p.poll() is None]
    dead = [(p.returncode, open(log.name).read()[-2000:])
            for p, log in cluster.workers
            if p.poll() is not None and p.pid not in cluster.killed]
    if dead or not live:
        problems.append(f"garbage: a worker no check killed died "
                        f"before the test: {dead}")
        if not live:
            return
    for line in open(live[0][1].name):
        if "serving chunks on" in line:
            worker_port = line.split("serving chunks on ")[1].split(",")[0]
    targets = [cluster.address] + ([worker_port] if worker_port else [])
    for target in targets:
        host, port = target.rsplit(":", 1)
        for n in [1, 8, 64, 4096, 1 << 20]:
            s = socket.create_connection((host, int(port)), timeout=5)
            try:
                payload = bytes(rng.getrandbits(8) for _ in range(min(n, 4096)))
                # The peer may hang up before it has read everything: that
                # is it rejecting the bytes.
                try:
                    s.sendall(payload * max(1, n // 4096))
                    s.settimeout(1)
                    s.recv(1 << 16)
                except (socket.timeout, ConnectionError):
                    pass
            finally:
                s.close()
    time.sleep(0.3)
    if cluster.scheduler.poll() is not None or live[0][0].poll() is not None:
        problems.append("garbage: a process died of garbled bytes")
        return
    r = cluster.run([mars_run, os.path.join(src, "examples", "add_mul.mlir"),
                     "--engine=chunked", "--chunks=250", "--quiet"])
    if r.returncode:
        problems.append(f"garbage: the cluster stopped serving: {r.stderr}")


def cancel(cluster, mars_run, root, problems):
    path = os.path.join(root, "long.mlir")
    with open(path, "w") as f:
        f.write(LONG_PROGRAM)
    jobs = cluster.log().count(" tasks, ")
    client = subprocess.Popen(
        [mars_run, path, "--engine=chunked", f"--chunks={LONG_CHUNKS}",
         "--quiet",
         f"--cluster={cluster.address}"], env=cluster.env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_job(cluster, jobs)
    time.sleep(0.3)
    client.kill()
    client.wait()
    for _ in range(100):
        if "cancelled" in cluster.log():
            return
        time.sleep(0.1)
    problems.append("cancel: the scheduler did not cancel the job of a client "
                    "that went away")


def crash(cluster, mars_run, root, problems):
    path = os.path.join(root, "long.mlir")
    jobs = cluster.log().count(" tasks, ")
    client = subprocess.Popen(
        [mars_run, path, "--engine=chunked", f"--chunks={LONG_CHUNKS}",
         "--quiet",
         f"--cluster={cluster.address}"], env=cluster.env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_job(cluster, jobs)
    time.sleep(0.3)
    cluster.scheduler.kill()
    try:
        _, err = client.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        client.kill()
        problems.append("crash: the client hung after the scheduler died")
        return
    if client.returncode == 0 or "cluster" not in err:
        problems.append(f"crash: the client did not report the lost "
                        f"scheduler: rc {client.returncode} {err}")
    for p, log in cluster.workers:
        text = last_words(p, log, 30)
        if text is None:
            problems.append("crash: a worker outlived its scheduler")
            continue
        if p.returncode is not None and p.returncode > 0 and \
                "lost the scheduler" not in text:
            problems.append(f"crash: a worker exited without saying why: {text}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tools", required=True)
    ap.add_argument("--src", default=os.path.join(os.path.dirname(__file__),
                                                  "..", ".."))
    ap.add_argument("--programs", type=int, default=60)
    ap.add_argument("--op-cases", action="store_true",
                    help="also run the cases of test/numpy/differential.py "
                    "on the cluster")
    ap.add_argument("--only", default="",
                    help="run only these checks (comma-separated names, "
                    "e.g. fault,cancel), for debugging")
    ap.add_argument("--sample", type=float, default=1.0,
                    help="the seeded fraction of the op cases run")
    ap.add_argument("--seed", type=int, default=1,
                    help="the seed of --sample's subset")
    args = ap.parse_args()
    mars_run = os.path.join(args.tools, "mars-run")
    problems = []
    passed = 0
    with tempfile.TemporaryDirectory(prefix="mars-cluster-") as root:
        cluster = Cluster(args.tools, root)
        try:
            if not args.only:
                passed += differential(cluster, mars_run, root,
                                       args.programs, problems)
            checks = [lambda: op_cases(cluster, mars_run, args.src, problems,
                                       args.sample, args.seed)
                      ] if args.op_cases else []
            checks += [
                lambda: examples(cluster, mars_run, args.src, root, problems),
                lambda: unread(cluster, mars_run, args.src, root, problems),
                lambda: spill(args.tools, mars_run, args.src, root, problems),
                lambda: pressure(args.tools, mars_run, root, problems),
                lambda: stalled(args.tools, mars_run, root, problems),
                lambda: late_loss(args.tools, mars_run, root, problems),
                lambda: siblings(args.tools, mars_run, args.src, root,
                                 problems),
                lambda: multi_output(cluster, mars_run, args.src, root,
                                     problems),
                lambda: trace(cluster, mars_run, args.src, root, problems),
                lambda: fault(cluster, mars_run, root, problems),
                lambda: token(cluster, mars_run, args.src, root, problems),
                lambda: libm(cluster, mars_run, args.src, root, problems),
                lambda: tls(args.tools, mars_run, args.src, root, problems),
                lambda: garbage(cluster, mars_run, args.src, root, problems),
                lambda: cancel(cluster, mars_run, root, problems),
                lambda: crash(cluster, mars_run, root, problems),
            ]
            if args.only:
                wanted = args.only.split(",")
                checks = [c for c in checks
                          if any(f"{w}(" in c.__code__.co_names.__repr__()
                                 or w in c.__code__.co_names
                                 for w in wanted)]
            for check in checks:
                before = len(problems)
                check()
                passed += len(problems) == before
        finally:
            cluster.stop()
            log = cluster.log()
        if problems:
            # The failures first: FileCheck's dump of a failing run shows
            # the first and last lines of this output.
            for p in problems[:20]:
                print(f"FAIL: {p}")
            print("--- scheduler log (tail) ---")
            print("\n".join(log.splitlines()[-30:]))
            for p, wlog in cluster.workers:
                print(f"--- {wlog.name} (exit {p.returncode}) ---")
                print("\n".join(open(wlog.name).read().splitlines()[-15:]))
    for p in problems[:20]:
        print(f"FAIL: {p}")
    print(f"cluster: {passed} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
