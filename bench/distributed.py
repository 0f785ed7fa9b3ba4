#!/usr/bin/env python3
"""The distributed runtime on loopback: scheduler throughput, transfers,
locality, scaling.

Starts mars-scheduler and mars-worker processes on 127.0.0.1 and reports:

  tasks      trivial tasks per second with 3 workers (Monte Carlo pi in
             1,000-point chunks: every task is a few microseconds of work),
             against the local runtime on the same program; with 1, 3 and
             5 schedulers on a ring, one job at a time and as many jobs at
             once as schedulers;
  takeover   the scheduler that owns a running job killed (SIGKILL) or
             stopped (SIGSTOP) with 3 schedulers: seconds from the fault to
             the next owner dispatching the job's tasks again, for two
             heartbeat settings;
  transfer   peer transfer throughput: a 64 MiB chunk fetched from a worker
             (the client's fetch of a one-chunk result, the same streamed
             path workers use between themselves), without and with TLS;
  locality   bytes moved between workers for (a.dot(a.T) - a).std(), with the
             scheduler's placement and with --locality-blind (round-robin);
  scaling    sum((a+1)*2) on 1, 2 and 3 workers of 1 and of 2 threads, and
             locally with as many threads; 3 workers with TLS.

This machine has 2 cores: 3 single-thread workers share them, so scaling
beyond 2 workers shows overhead, not speed-up.

Usage: /usr/bin/python3 bench/distributed.py [--build DIR] [--only a,b]
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

TOKEN = "bench"


def certificate(root):
    """A self-signed certificate for 127.0.0.1 (TLS runs): its files."""
    cert, key = os.path.join(root, "cert.pem"), os.path.join(root, "key.pem")
    if not os.path.exists(cert):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                        "-subj", "/CN=mars", "-addext",
                        "subjectAltName=DNS:127.0.0.1,IP:127.0.0.1"],
                       check=True, capture_output=True)
    return cert, key


class Cluster:
    def __init__(self, bindir, root, workers, blind=False, threads=1,
                 schedulers=1, tls=False, beat=(), quiet=True):
        self.env = dict(os.environ, MARS_CLUSTER_TOKEN=TOKEN)
        extra = []
        if tls:
            cert, key = certificate(root)
            extra += [f"--tls-cert={cert}", f"--tls-key={key}"]
            self.env["MARS_TLS_CA"] = cert
        self.procs, self.addresses, self.logs = [], [], []
        for i in range(schedulers):
            addr = os.path.join(root, f"addr{time.time_ns()}")
            log = os.path.join(root, f"scheduler{time.time_ns()}.log")
            self.logs.append(open(log, "w+"))
            join = ["--join=" + self.addresses[0]] if self.addresses else []
            self.procs.append(subprocess.Popen(
                [f"{bindir}/mars-scheduler", "--listen=127.0.0.1:0",
                 f"--address-file={addr}", *(["--quiet"] if quiet else []),
                 *(["--locality-blind"] if blind else []), *join, *beat,
                 *extra],
                env=self.env, stderr=self.logs[-1]))
            while not os.path.exists(addr):
                time.sleep(0.02)
            self.addresses.append(open(addr).read().strip())
        self.schedulers = list(self.procs)
        self.address = ",".join(self.addresses)
        log = os.path.join(root, f"workers{time.time_ns()}.log")
        self.log = open(log, "w+")
        for _ in range(workers):
            self.procs.append(subprocess.Popen(
                [f"{bindir}/mars-worker", f"--scheduler={self.addresses[0]}",
                 f"--threads={threads}", f"--kernel-cache={root}/kernels",
                 f"--spill-dir={root}", *extra], env=self.env,
                stderr=self.log))
        # Every worker joined every scheduler.
        while True:
            self.log.flush()
            if open(log).read().count("joined the scheduler") >= \
                    workers * schedulers:
                break
            time.sleep(0.02)

    def scheduler_log(self, i):
        self.logs[i].flush()
        with open(self.logs[i].name) as f:
            return f.read()

    def stop(self):
        for p in self.procs:
            p.send_signal(signal.SIGCONT)
            p.kill()
            p.wait()


def run(bindir, prog, extra, cluster=None, env=None):
    stats = tempfile.mktemp(suffix=".json")
    cmd = [f"{bindir}/mars-run", prog, "--quiet", f"--stats={stats}", *extra]
    if cluster:
        cmd.append(f"--cluster={cluster.address}")
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=cluster.env if cluster else env)
    wall = time.perf_counter() - t
    with open(stats) as f:
        s = json.load(f)
    os.unlink(stats)
    return wall, s


def write(root, name, text):
    path = os.path.join(root, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def bench_tasks(bindir, root, src):
    prog = os.path.join(src, "examples", "monte_carlo_pi.mlir")
    opts = ["--engine=compiled", "--chunks=1000", f"--kernel-cache={root}/kernels"]
    local, s = run(bindir, prog, opts)
    tasks = s["tasks"]
    print(f"tasks: {tasks} tasks; local runtime {local:.2f} s = "
          f"{tasks / local:,.0f} tasks/s")
    for n in (1, 3, 5):
        c = Cluster(bindir, root, 3, schedulers=n)
        try:
            run(bindir, prog, opts, c)  # warm: kernels compiled on each worker
            walls = [run(bindir, prog, opts, c)[0] for _ in range(3)]
            # As many jobs at once as schedulers: the ring spreads them.
            together = []
            for _ in range(2):
                threads = [threading.Thread(
                    target=lambda: run(bindir, prog, opts, c))
                    for _ in range(n)]
                t = time.perf_counter()
                for th in threads:
                    th.start()
                for th in threads:
                    th.join()
                together.append(time.perf_counter() - t)
        finally:
            c.stop()
        w = median(walls)
        both = min(together)
        print(f"tasks: {n} scheduler{'s' if n > 1 else ''}, 3 workers: "
              f"one job {w:.2f} s = {tasks / w:,.0f} tasks/s; {n} job"
              f"{'s' if n > 1 else ''} at once {both:.2f} s = "
              f"{n * tasks / both:,.0f} tasks/s")


def bench_takeover(bindir, root):
    """Kill (or stop) the owner of a running job; the time until the next
    owner dispatches it again (its log says how many tasks are left)."""
    prog = write(root, "long.mlir", """
func.func @main() -> (tensor<f64>, tensor<480xf64>) {
  %a = mars.random_uniform seed = 5, low = 0.0, high = 1.0 : tensor<480x480xf64>
  %t = mars.transpose %a perm = [1, 0] : tensor<480x480xf64> -> tensor<480x480xf64>
  %p = mars.matmul %a, %t : tensor<480x480xf64>, tensor<480x480xf64> -> tensor<480x480xf64>
  %d = mars.sub %p, %a : tensor<480x480xf64>
  %s = mars.std %d : tensor<480x480xf64> -> tensor<f64>
  %m = mars.sum %d axes = [0] : tensor<480x480xf64> -> tensor<480xf64>
  return %s, %m : tensor<f64>, tensor<480xf64>
}
""")
    for beat in (("--heartbeat=0.3", "--dead-after=1.2"),
                 ("--heartbeat=1", "--dead-after=3")):
        for how in ("SIGKILL", "SIGSTOP"):
            times = []
            for _ in range(3):
                c = Cluster(bindir, root, 3, schedulers=3, beat=beat,
                            quiet=False)
                try:
                    client = subprocess.Popen(
                        [f"{bindir}/mars-run", prog, "--engine=chunked",
                         "--chunks=5", "--quiet", f"--cluster={c.address}"],
                        env=c.env, stdout=subprocess.DEVNULL)
                    owner = None
                    while owner is None:
                        for i in range(3):
                            if " tasks, " in c.scheduler_log(i):
                                owner = i
                        time.sleep(0.005)
                    time.sleep(0.3)
                    victim = c.schedulers[owner]
                    victim.send_signal(signal.SIGKILL if how == "SIGKILL"
                                       else signal.SIGSTOP)
                    t = time.perf_counter()
                    done = False
                    while not done and time.perf_counter() - t < 60:
                        done = any("tasks to run" in c.scheduler_log(i)
                                   for i in range(3) if i != owner)
                        time.sleep(0.005)
                    times.append(time.perf_counter() - t)
                    client.wait(timeout=120)
                finally:
                    c.stop()
            print(f"takeover: {how} of the owner, {' '.join(beat)}: "
                  f"{median(times):.2f} s (median of 3; "
                  f"{min(times):.2f}-{max(times):.2f})")


def bench_transfer(bindir, root):
    n = (64 << 20) // 8
    prog = write(root, "big.mlir", f"""
func.func @main() -> tensor<{n}xf64> {{
  %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<{n}xf64>
  return %a : tensor<{n}xf64>
}}
""")
    for tls in (False, True):
        c = Cluster(bindir, root, 1, tls=tls)
        try:
            rates = []
            for _ in range(3):
                _, s = run(bindir, prog, ["--engine=compiled", f"--chunks={n}",
                                          f"--kernel-cache={root}/kernels"], c)
                cs = s["cluster"]
                rates.append(cs["result_bytes"] / cs["result_fetch_seconds"]
                             / 2**30)
        finally:
            c.stop()
        print(f"transfer: 64 MiB chunk fetched from a worker"
              f"{' (TLS)' if tls else ''}: {median(rates):.2f} GiB/s "
              f"(median of 3)")


def bench_locality(bindir, root, src):
    prog = write(root, "dotstd.mlir", """
func.func @main() -> tensor<f64> {
  %a = mars.random_uniform seed = 7, low = 0.0, high = 1.0 : tensor<2000x2000xf64>
  %at = mars.transpose %a perm = [1, 0] : tensor<2000x2000xf64> -> tensor<2000x2000xf64>
  %aat = mars.matmul %a, %at : tensor<2000x2000xf64>, tensor<2000x2000xf64> -> tensor<2000x2000xf64>
  %d = mars.sub %aat, %a : tensor<2000x2000xf64>
  %s = mars.std %d : tensor<2000x2000xf64> -> tensor<f64>
  return %s : tensor<f64>
}
""")
    opts = ["--engine=compiled", "--chunks=250", f"--kernel-cache={root}/kernels"]
    moved = {}
    for blind in (False, True):
        c = Cluster(bindir, root, 3, blind=blind)
        try:
            wall, s = run(bindir, prog, opts, c)
        finally:
            c.stop()
        moved[blind] = (s["cluster"]["bytes_fetched"], wall)
    (a, ta), (b, tb) = moved[False], moved[True]
    print(f"locality: (a.dot(a.T)-a).std() n=2000, 250x250 chunks, 3 workers: "
          f"{a / 2**20:.1f} MiB moved ({ta:.2f} s) with placement, "
          f"{b / 2**20:.1f} MiB ({tb:.2f} s) locality-blind: "
          f"{b / max(a, 1):.2f}x less moved")


def bench_scaling(bindir, root):
    prog = write(root, "addmul.mlir", """
func.func @main() -> tensor<f64> {
  %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<8000x8000xf64>
  %one = mars.full(1.0) : tensor<f64>
  %b = mars.add %a, %one : (tensor<8000x8000xf64>, tensor<f64>) -> tensor<8000x8000xf64>
  %two = mars.full(2.0) : tensor<f64>
  %c = mars.mul %b, %two : (tensor<8000x8000xf64>, tensor<f64>) -> tensor<8000x8000xf64>
  %s = mars.sum %c : tensor<8000x8000xf64> -> tensor<f64>
  return %s : tensor<f64>
}
""")
    opts = ["--engine=compiled", "--chunks=1000", f"--kernel-cache={root}/kernels"]
    for threads in (1, 2):
        local = median([run(bindir, prog, opts + [f"--threads={threads}"])[0]
                        for _ in range(3)])
        line = [f"local {local:.2f} s"]
        for n in (1, 2, 3):
            c = Cluster(bindir, root, n, threads=threads)
            try:
                run(bindir, prog, opts, c)
                t = median([run(bindir, prog, opts, c)[0] for _ in range(3)])
            finally:
                c.stop()
            line.append(f"{n} worker{'s' if n > 1 else ''} {t:.2f} s")
        c = Cluster(bindir, root, 3, threads=threads, tls=True)
        try:
            run(bindir, prog, opts, c)
            t = median([run(bindir, prog, opts, c)[0] for _ in range(3)])
        finally:
            c.stop()
        line.append(f"3 workers with TLS {t:.2f} s")
        print(f"scaling: sum((a+1)*2), 8000x8000 f64 (512 MB) in 1000x1000 "
              f"chunks, {threads} thread(s) per worker (and locally): " +
              ", ".join(line))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(
        os.path.dirname(__file__), "..", "build"))
    ap.add_argument("--only",
                    default="tasks,takeover,transfer,locality,scaling")
    args = ap.parse_args()
    bindir = os.path.join(args.build, "bin")
    src = os.path.join(os.path.dirname(__file__), "..")
    only = args.only.split(",")
    with tempfile.TemporaryDirectory(prefix="mars-bench-dist-") as root:
        if "tasks" in only:
            bench_tasks(bindir, root, src)
        if "takeover" in only:
            bench_takeover(bindir, root)
        if "transfer" in only:
            bench_transfer(bindir, root)
        if "locality" in only:
            bench_locality(bindir, root, src)
        if "scaling" in only:
            bench_scaling(bindir, root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
