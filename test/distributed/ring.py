#!/usr/bin/env python3
"""Several schedulers on a consistent-hash ring, on loopback: real processes.

Starts three schedulers (mars-scheduler --join) and three one-thread
workers, which join every scheduler, and checks:

  membership  every scheduler learns the others through one of them, and
              every worker joins all three;
  kills       over many seeds, the scheduler that owns a running job is
              killed (SIGKILL) at a random moment: right after the job is
              submitted (while its graph is built), mid-run, or while the
              client fetches the results; the client sees a pause, not a
              failure, the job is taken over by the next scheduler on the
              ring and the result is exactly the local run's. The killed
              scheduler is restarted at the same address and rejoins (the
              job stays with the scheduler that took it over: one owner);
  two kills   the owner killed, then the scheduler that took the job over:
              a second takeover, the exact result;
  partition   the owner stopped (SIGSTOP) past the deadline: the client
              moves the job on; resumed, the stopped scheduler finds its
              calls refused by the workers (fenced by the job's epoch) and
              drops the job, the job finishes with the exact result, and
              the cluster serves jobs on every scheduler afterwards;
  all lost    with every scheduler killed the client fails with a message
              (no hang) and the workers exit saying so.

Usage: ring.py --tools DIR [--seeds N]
Prints "ring: N passed, M failed" and the takeover counts.
"""

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np

TOKEN = "ring-test-token"
TIMEOUT = 120
HEARTBEAT = ["--heartbeat=0.3", "--dead-after=1.2"]

# A few seconds on three one-thread workers (tens of thousands of tasks):
# a matmul, a reduction tree and a sum, so that lost partials and chunks
# of every kind must be found on the workers or computed again.
PROGRAM = """
func.func @main() -> (tensor<f64>, tensor<480xf64>) {
  %a = mars.random_uniform seed = 5, low = 0.0, high = 1.0 : tensor<480x480xf64>
  %t = mars.transpose %a perm = [1, 0] : tensor<480x480xf64> -> tensor<480x480xf64>
  %p = mars.matmul %a, %t : tensor<480x480xf64>, tensor<480x480xf64> -> tensor<480x480xf64>
  %d = mars.sub %p, %a : tensor<480x480xf64>
  %s = mars.std %d : tensor<480x480xf64> -> tensor<f64>
  %m = mars.sum %d axes = [0] : tensor<480x480xf64> -> tensor<480xf64>
  return %s, %m : tensor<f64>, tensor<480xf64>
}
"""
CHUNKS = "--chunks=5"


class Ring:
    def __init__(self, tools, root, schedulers=3, workers=3):
        self.tools, self.root = tools, root
        self.env = dict(os.environ, MARS_CLUSTER_TOKEN=TOKEN)
        self.addresses = []
        self.procs = []
        self.logs = []
        for i in range(schedulers):
            self.addresses.append(None)
            self.procs.append(None)
            self.logs.append(None)
            self.start(i)
        self.workers = []
        for n in range(workers):
            log = open(os.path.join(root, f"worker{n}.log"), "w+")
            p = subprocess.Popen(
                [os.path.join(tools, "mars-worker"),
                 f"--scheduler={self.addresses[0]}", "--threads=1",
                 f"--kernel-cache={os.path.join(root, 'kernels')}",
                 f"--spill-dir={root}"],
                env=self.env, stderr=log)
            self.workers.append((p, log))

    def start(self, i):
        """Starts scheduler i (again, at its old address if it had one)."""
        addr_file = os.path.join(self.root, f"address{i}")
        if os.path.exists(addr_file):
            os.remove(addr_file)
        listen = self.addresses[i] or "127.0.0.1:0"
        others = [a for j, a in enumerate(self.addresses)
                  if j != i and a is not None]
        log = open(os.path.join(self.root, f"scheduler{i}.log"), "a+")
        self.logs[i] = log
        args = [os.path.join(self.tools, "mars-scheduler"), f"--listen={listen}",
                f"--address-file={addr_file}", *HEARTBEAT]
        if others:
            args.append("--join=" + ",".join(others))
        self.procs[i] = subprocess.Popen(args, env=self.env, stderr=log)
        for _ in range(400):
            if os.path.exists(addr_file):
                break
            time.sleep(0.025)
        with open(addr_file) as f:
            self.addresses[i] = f.read().strip()

    def log(self, i):
        self.logs[i].flush()
        with open(self.logs[i].name) as f:
            return f.read()

    def wait_joined(self, timeout=20):
        """Until every live scheduler has every worker and knows all
        members as up."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            ok = True
            for i, p in enumerate(self.procs):
                if p.poll() is not None:
                    continue
                text = self.log(i).split("listening on")[-1]
                if text.count("joined from") < len(self.workers):
                    ok = False
                others = [a for j, a in enumerate(self.addresses) if j != i]
                for a in others:
                    ups = [m.start() for m in re.finditer(
                        re.escape(f"scheduler {a} is up"), text)]
                    downs = [m.start() for m in re.finditer(
                        re.escape(f"scheduler {a} is ") + "(gone|silent)",
                        text)]
                    if not ups or (downs and downs[-1] > ups[-1]):
                        ok = False
            if ok:
                return True
            time.sleep(0.05)
        return False

    def cluster_arg(self):
        return "--cluster=" + ",".join(self.addresses)

    def owner(self, job_counts):
        """The scheduler that logged a job submission since `job_counts`."""
        for i in range(len(self.procs)):
            if self.log(i).count(" submitted") > job_counts[i]:
                return i
        return None

    def submissions(self):
        return [self.log(i).count(" submitted") for i in range(len(self.procs))]

    def stop(self):
        for p, _ in self.workers:
            if p.poll() is None:
                p.terminate()
        for p, _ in self.workers:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGCONT)
                p.kill()
            p.wait()

    def tails(self):
        out = []
        for i in range(len(self.procs)):
            out.append(f"--- scheduler {i} ({self.addresses[i]}) ---")
            out += self.log(i).splitlines()[-12:]
        for p, log in self.workers:
            log.flush()
            out.append(f"--- {log.name} (exit {p.returncode}) ---")
            out += open(log.name).read().splitlines()[-8:]
        return "\n".join(out)


def equal_results(expected, got_dir):
    for i, a in enumerate(expected):
        b = np.load(os.path.join(got_dir, f"result{i}.npy"))
        if not np.array_equal(a, b):
            return f"result {i} differs: {b.ravel()[:4]} vs {a.ravel()[:4]}"
    return None


def client(ring, mars_run, path, out, stats, env_extra=None):
    env = dict(ring.env, **(env_extra or {}))
    return subprocess.Popen(
        [mars_run, path, "--engine=chunked", CHUNKS, "--quiet",
         ring.cluster_arg(), "--output", out, f"--stats={stats}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_for(predicate, timeout, step=0.01):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value is not None and value is not False:
            return value
        time.sleep(step)
    return None


def finish(p, label, problems):
    try:
        _, err = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        problems.append(f"{label}: the client hung")
        return False
    if p.returncode:
        problems.append(f"{label}: the client failed: {err.strip()}")
        return False
    return True


def outcome(p, label, out, stats, expected, problems, tally):
    """Waits for client `p`; counts its run, whether its result is the local
    run's and its takeovers. Its cluster stats, or None if it failed."""
    if not finish(p, label, problems):
        return None
    tally["runs"] += 1
    why = equal_results(expected, out)
    if why:
        problems.append(f"{label}: {why}")
        return None
    tally["exact"] += 1
    with open(stats) as f:
        s = json.load(f)["cluster"]
    tally["takeovers"] += s["takeovers"]
    return s


def membership(ring, problems):
    if not ring.wait_joined():
        problems.append("membership: the schedulers did not all learn each "
                        "other and every worker:\n" + ring.tails())
        return
    for p, log in ring.workers:
        log.flush()
        text = open(log.name).read()
        if text.count("joined the scheduler at") < len(ring.procs):
            problems.append(f"membership: a worker joined only some "
                            f"schedulers: {text}")


def kills(ring, mars_run, root, expected, seeds, problems, tally):
    """The owner killed at a random moment, then restarted."""
    path = os.path.join(root, "job.mlir")
    for seed in range(seeds):
        rng = random.Random(seed)
        moment = ["building", "running", "running", "fetching"][seed % 4]
        label = f"kill seed {seed} ({moment})"
        ring.wait_joined()
        out = os.path.join(root, f"kill{seed}")
        stats = os.path.join(root, f"kill{seed}.json")
        before = ring.submissions()
        extra = {"MARS_TEST_FETCH_DELAY_MS": "1500"} \
            if moment == "fetching" else None
        p = client(ring, mars_run, path, out, stats, extra)
        owner = wait_for(lambda: ring.owner(before), 20)
        if owner is None:
            p.kill()
            problems.append(f"{label}: no scheduler took the job")
            continue
        if moment == "running":
            wait_for(lambda: " tasks, " in ring.log(owner).split(
                " submitted")[-1] or None, 20)
            time.sleep(rng.uniform(0.1, 1.2))
        elif moment == "fetching":
            wait_for(lambda: " done: " in ring.log(owner).split(
                " submitted")[-1] or None, 30)
            time.sleep(rng.uniform(0.05, 0.8))
        ring.procs[owner].kill()
        ring.procs[owner].wait()
        tally["kills"] += 1
        s = outcome(p, label, out, stats, expected, problems, tally)
        ring.start(owner)  # Restarted at the same address: it rejoins.
        # The job is done when the kill lands in the fetch pause: the client
        # fetches from the workers and needs no takeover.
        if s and moment != "fetching" and s["takeovers"] < 1:
            problems.append(f"{label}: no takeover in the stats ({s})")
    # The restarted schedulers rejoined; none of them resumed a job it had
    # lost (one owner per job): each job is done once, on one scheduler.
    if not ring.wait_joined():
        problems.append("kills: restarted schedulers did not rejoin:\n" +
                        ring.tails())


def two_kills(ring, mars_run, root, expected, problems, tally):
    path = os.path.join(root, "job.mlir")
    ring.wait_joined()
    out, stats = os.path.join(root, "two"), os.path.join(root, "two.json")
    before = ring.submissions()
    p = client(ring, mars_run, path, out, stats)
    victims = []
    for _ in range(2):
        owner = wait_for(lambda: ring.owner(before), 20)
        if owner is None:
            break
        wait_for(lambda: " tasks, " in ring.log(owner).split(" submitted")[-1]
                 or None, 20)
        time.sleep(0.4)
        before = ring.submissions()
        ring.procs[owner].kill()
        ring.procs[owner].wait()
        victims.append(owner)
        tally["kills"] += 1
    s = outcome(p, "two kills", out, stats, expected, problems, tally)
    for v in victims:
        ring.start(v)
    if len(victims) < 2:
        problems.append("two kills: the job did not move to a second owner")
        return
    if s and s["takeovers"] != 2:
        problems.append(f"two kills: expected 2 takeovers, stats {s}")


def partition(ring, mars_run, root, expected, problems, tally):
    path = os.path.join(root, "job.mlir")
    ring.wait_joined()
    out, stats = os.path.join(root, "part"), os.path.join(root, "part.json")
    before = ring.submissions()
    p = client(ring, mars_run, path, out, stats)
    owner = wait_for(lambda: ring.owner(before), 20)
    if owner is None:
        p.kill()
        problems.append("partition: no scheduler took the job")
        return
    wait_for(lambda: " tasks, " in ring.log(owner).split(" submitted")[-1]
             or None, 20)
    time.sleep(0.3)
    ring.procs[owner].send_signal(signal.SIGSTOP)
    # Past the deadline: the client moves the job, workers hang up on it.
    time.sleep(3.0)
    ring.procs[owner].send_signal(signal.SIGCONT)
    s = outcome(p, "partition", out, stats, expected, problems, tally)
    if s and s["takeovers"] < 1:
        problems.append(f"partition: the job did not move ({s})")
    # The resumed scheduler let the job go (it was fenced, or its client
    # was gone) and did not finish it a second time.
    text = ring.log(owner).split(" submitted")[-1]
    if " done: " in text:
        problems.append("partition: the stopped scheduler finished the job "
                        "after it was taken over (two owners):\n" + text)
    # Everyone serves again: the resumed scheduler rejoins the ring and the
    # workers rejoin it; jobs on every scheduler give the exact result.
    if not ring.wait_joined():
        problems.append("partition: the resumed scheduler did not rejoin:\n" +
                        ring.tails())
        return
    small = os.path.join(root, "small.mlir")
    with open(small, "w") as f:
        f.write(PROGRAM.replace("480", "96"))
    served = set()
    for k in range(12):
        before = ring.submissions()
        out = os.path.join(root, f"after{k}")
        r = subprocess.run(
            [mars_run, small, "--engine=chunked", "--chunks=16", "--quiet",
             ring.cluster_arg(), "--output", out],
            env=ring.env, capture_output=True, text=True, timeout=TIMEOUT)
        if r.returncode:
            problems.append(f"partition: a later job failed: {r.stderr}")
            return
        served.add(ring.owner(before))
    if len(served) < 2:
        problems.append(f"partition: 12 later jobs all went to scheduler(s) "
                        f"{served}: the ring does not spread jobs")


def all_lost(ring, mars_run, root, problems):
    path = os.path.join(root, "job.mlir")
    ring.wait_joined()
    before = ring.submissions()
    p = client(ring, mars_run, path, os.path.join(root, "lost"),
               os.path.join(root, "lost.json"))
    wait_for(lambda: ring.owner(before), 20)
    time.sleep(0.3)
    for proc in ring.procs:
        proc.kill()
        proc.wait()
    try:
        _, err = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        problems.append("all lost: the client hung")
        return
    if p.returncode == 0 or "every scheduler of the cluster is lost" not in err:
        problems.append(f"all lost: the client did not say so: "
                        f"rc {p.returncode} {err}")
    for w, log in ring.workers:
        try:
            w.wait(timeout=30)
        except subprocess.TimeoutExpired:
            problems.append("all lost: a worker outlived every scheduler")
            continue
        log.flush()
        text = open(log.name).read()
        if "lost the scheduler" not in text:
            problems.append(f"all lost: a worker exited without saying why: "
                            f"{text}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tools", required=True)
    ap.add_argument("--seeds", type=int, default=8,
                    help="runs with the owner killed at a random moment")
    args = ap.parse_args()
    mars_run = os.path.join(args.tools, "mars-run")
    problems = []
    passed = 0
    tally = dict(runs=0, kills=0, exact=0, takeovers=0)
    with tempfile.TemporaryDirectory(prefix="mars-ring-") as root:
        path = os.path.join(root, "job.mlir")
        with open(path, "w") as f:
            f.write(PROGRAM)
        local = subprocess.run(
            [mars_run, path, "--engine=chunked", CHUNKS, "--quiet",
             "--output", os.path.join(root, "local")],
            capture_output=True, text=True, timeout=TIMEOUT)
        if local.returncode:
            print(f"FAIL: the local run failed: {local.stderr}")
            print("ring: 0 passed, 1 failed")
            return 1
        expected = [np.load(os.path.join(root, "local", f"result{i}.npy"))
                    for i in range(2)]
        ring = Ring(args.tools, root)
        try:
            checks = [
                lambda: membership(ring, problems),
                lambda: kills(ring, mars_run, root, expected, args.seeds,
                              problems, tally),
                lambda: two_kills(ring, mars_run, root, expected, problems,
                                  tally),
                lambda: partition(ring, mars_run, root, expected, problems,
                                  tally),
                lambda: all_lost(ring, mars_run, root, problems),
            ]
            for check in checks:
                before = len(problems)
                check()
                passed += len(problems) == before
        finally:
            tails = ring.tails()
            ring.stop()
        if problems:
            print(tails)
    for p in problems[:20]:
        print(f"FAIL: {p}")
    print(f"ring: {tally['runs']} runs, {tally['kills']} schedulers killed, "
          f"{tally['exact']} exact results, {tally['takeovers']} takeovers")
    print(f"ring: {passed} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
