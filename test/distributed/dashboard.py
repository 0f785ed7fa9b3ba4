#!/usr/bin/env python3
"""The scheduler's dashboard, in a real browser, while a cluster runs a job.

Starts mars-scheduler --dashboard on loopback and two workers, submits a
job of a few thousand tasks with mars-run --cluster, and while it runs
drives headless Chromium through WebDriver (Debian's chromium and
chromium-driver: chromedriver speaks the W3C WebDriver protocol, JSON over
HTTP, which this script talks with urllib). The page is opened once; its
JavaScript polls /api/status and fills the tables, and the script reads
the live DOM again and again:

  * the workers appear, alive, with their memory limits;
  * the job appears and its progress changes on the open page, then it is
    done with every task counted, and the task stream has boxes;
  * a screenshot of the page is kept (--artifacts DIR/dashboard.png).

Also checks /api/status directly (workers, jobs, tasks since a time), that
the page loads nothing from elsewhere, 404 and 405 answers, and that a
dashboard off loopback refuses requests without the cluster token.

Usage: dashboard.py --tools DIR [--artifacts DIR] [--chromium PATH]
                    [--chromedriver PATH]
Prints "dashboard: N passed, M failed".
"""

import argparse
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

TOKEN = "dashboard-test-token"

PROGRAM = """func.func @main() -> tensor<f64> {
  %a = mars.random_uniform seed = 3, low = 0.0, high = 1.0 : tensor<5400x5400xf64>
  %b = mars.exp %a : tensor<5400x5400xf64>
  %t = mars.transpose %b perm = [1, 0] : tensor<5400x5400xf64> -> tensor<5400x5400xf64>
  %c = mars.add %b, %t : (tensor<5400x5400xf64>, tensor<5400x5400xf64>) -> tensor<5400x5400xf64>
  %s = mars.sum %c : tensor<5400x5400xf64> -> tensor<f64>
  return %s : tensor<f64>
}
"""


class Scheduler:
    def __init__(self, tools, root, name, dashboard):
        self.env = dict(os.environ, MARS_CLUSTER_TOKEN=TOKEN)
        addr = os.path.join(root, name + ".address")
        self.log_file = open(os.path.join(root, name + ".log"), "w+")
        self.proc = subprocess.Popen(
            [os.path.join(tools, "mars-scheduler"), "--listen=127.0.0.1:0",
             f"--address-file={addr}", f"--dashboard={dashboard}"],
            env=self.env, stderr=self.log_file)
        self.url = None
        for _ in range(200):
            m = re.search(r"dashboard on (http://\S+/)", self.log())
            if m and os.path.exists(addr):
                self.url = m.group(1)
                break
            time.sleep(0.05)
        if not self.url:
            raise RuntimeError("no dashboard:\n" + self.log())
        with open(addr) as f:
            self.address = f.read().strip()
        self.workers = []

    def log(self):
        self.log_file.flush()
        with open(self.log_file.name) as f:
            return f.read()

    def add_worker(self, tools, root):
        n = len(self.workers)
        p = subprocess.Popen(
            [os.path.join(tools, "mars-worker"),
             f"--scheduler={self.address}", "--threads=1",
             "--memory-limit=512MiB", f"--spill-dir={root}",
             f"--kernel-cache={os.path.join(root, 'kernels')}"],
            env=self.env,
            stderr=open(os.path.join(root, f"worker{n}.log"), "w"))
        self.workers.append(p)

    def stop(self):
        for p in self.workers + [self.proc]:
            if p.poll() is None:
                p.terminate()
        for p in self.workers + [self.proc]:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def get(url):
    """(status, body text)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def status(url, query=""):
    code, body = get(url + "api/status" + query)
    if code != 200:
        raise RuntimeError(f"api/status: {code} {body}")
    return json.loads(body)


class WebDriverError(RuntimeError):
    pass


class Browser:
    """Headless Chromium driven by chromedriver over the W3C WebDriver
    protocol: one browser session, whose page keeps running between the
    script's reads."""

    def __init__(self, chromium, chromedriver, root):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(os.path.join(root, "chromedriver.log"), "w+")
        self.driver = subprocess.Popen(
            [chromedriver, f"--port={port}"], stdout=self.log,
            stderr=subprocess.STDOUT)
        self.session = None
        for _ in range(200):
            try:
                if self.call("GET", "/status")["ready"]:
                    break
            except (OSError, WebDriverError):
                pass
            time.sleep(0.05)
        else:
            raise WebDriverError("chromedriver did not start")
        caps = {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--no-first-run",
                     f"--user-data-dir={os.path.join(root, 'profile')}",
                     "--window-size=1200,1000", "--hide-scrollbars"]}}
        self.session = self.call("POST", "/session", {
            "capabilities": {"alwaysMatch": caps}})["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read())["value"]
        except urllib.error.HTTPError as e:
            value = json.loads(e.read() or b"{}").get("value", {})
            raise WebDriverError(f"{method} {path}: {e.code} "
                                 f"{value.get('error')}: "
                                 f"{value.get('message', '')[:500]}")

    def open(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def script(self, source, *args):
        return self.call("POST", f"/session/{self.session}/execute/sync",
                         {"script": source, "args": list(args)})

    def dom(self):
        """The open page's DOM as it is now."""
        return self.script("return document.documentElement.outerHTML;")

    def wait_for(self, predicate, seconds=20):
        """The DOM once `predicate(dom)` holds (the page polls its data
        once a second), or the last DOM read."""
        deadline = time.time() + seconds
        while True:
            dom = self.dom()
            if predicate(dom) or time.time() > deadline:
                return dom
            time.sleep(0.2)

    def screenshot(self, path):
        png = self.call("GET", f"/session/{self.session}/screenshot")
        with open(path, "wb") as f:
            f.write(base64.b64decode(png))

    def close(self):
        try:
            if self.session:
                self.call("DELETE", f"/session/{self.session}")
        except (OSError, WebDriverError):
            pass
        self.driver.kill()
        self.driver.wait()
        self.log.close()


def row(dom, row_id):
    """The text of the table row with id `row_id` (tags dropped)."""
    m = re.search(r'<tr id="%s">(.*?)</tr>' % re.escape(row_id), dom, re.S)
    return re.sub(r"<[^>]+>", " ", m.group(1)) if m else None


def progress(dom, job):
    text = row(dom, f"job-{job}")
    if text is None:
        return None
    m = re.search(r"(\d+) / (\d+) tasks", text)
    return (int(m.group(1)), int(m.group(2)), text) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tools", required=True)
    ap.add_argument("--artifacts", default=None)
    ap.add_argument("--chromium", default=shutil.which("chromium"))
    ap.add_argument("--chromedriver", default=shutil.which("chromedriver"))
    args = ap.parse_args()
    if not args.chromium or not args.chromedriver:
        print("dashboard: chromium and chromedriver (Debian's chromium, "
              "chromium-driver) are needed")
        return 1
    passed, problems = 0, []

    def check(ok, what):
        nonlocal passed
        if ok:
            passed += 1
        else:
            problems.append(what)

    with tempfile.TemporaryDirectory(prefix="mars-dashboard-") as root:
        artifacts = args.artifacts or root
        os.makedirs(artifacts, exist_ok=True)
        browser = None
        sched = Scheduler(args.tools, root, "loopback", "127.0.0.1:0")
        other = None
        job = None
        try:
            browser = Browser(args.chromium, args.chromedriver, root)
            for _ in range(2):
                sched.add_worker(args.tools, root)
            for _ in range(200):
                if sched.log().count("joined from") >= 2:
                    break
                time.sleep(0.05)
            s = status(sched.url)
            check(len(s["workers"]) == 2 and all(w["alive"] and
                                                 w["memory_limit"] == 512 << 20
                                                 for w in s["workers"]),
                  f"api/status workers: {s['workers']}")

            page = get(sched.url)[1]
            check("<title>Mars cluster</title>" in page and
                  not re.search(r"""(src|href)=["']?(https?:)?//""", page),
                  "the page loads something from elsewhere")
            check(get(sched.url + "nope")[0] == 404, "no 404 for /nope")
            req = urllib.request.Request(sched.url + "api/status",
                                         data=b"x", method="POST")
            try:
                code = urllib.request.urlopen(req, timeout=10).status
            except urllib.error.HTTPError as e:
                code = e.code
            check(code == 405, f"POST answered {code}, not 405")

            # The page stays open from here on: what follows is its own
            # polling, read live.
            browser.open(sched.url)
            dom = browser.wait_for(
                lambda d: row(d, "worker-0") and row(d, "worker-1"))
            w0, w1 = row(dom, "worker-0"), row(dom, "worker-1")
            check(w0 and w1 and "alive" in w0 and "alive" in w1 and
                  "512.0 MiB" in w0,
                  f"the page's workers: {w0!r} {w1!r}")

            prog = os.path.join(root, "job.mlir")
            with open(prog, "w") as f:
                f.write(PROGRAM)
            # Two looks at the open page while a job runs: the progress
            # moves. A job that ends before the page showed it twice (a
            # fast machine) is followed by another, with smaller chunks
            # (more tasks).
            seen = set()
            for chunks in (60, 45, 30):
                job = subprocess.Popen(
                    [os.path.join(args.tools, "mars-run"), prog,
                     f"--chunks={chunks}", f"--cluster={sched.address}",
                     "--quiet"],
                    env=sched.env, stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, text=True)
                # Clients choose job ids (random): the new one is the job
                # the scheduler did not list before.
                job_id = None
                deadline = time.time() + 60
                while job_id is None and time.time() < deadline:
                    s = status(sched.url, "?since=0")
                    new = [j["id"] for j in s["jobs"] + s["closed_jobs"]
                           if j["id"] not in seen]
                    job_id = new[0] if new else None
                    time.sleep(0.02)
                seen.add(job_id)
                looks = []
                deadline = time.time() + 60
                while time.time() < deadline and job.poll() is None:
                    p = progress(browser.dom(), job_id)
                    if p and 0 < p[0] < p[1]:
                        looks.append(p)
                        if len(looks) >= 2 and looks[-1][0] > looks[0][0]:
                            browser.screenshot(
                                os.path.join(artifacts, "dashboard.png"))
                            break
                    time.sleep(0.2)
                out, err = job.communicate(timeout=300)
                if job.returncode or (len(looks) >= 2 and
                                      looks[-1][0] > looks[0][0]):
                    break
            check(len(looks) >= 2 and looks[-1][0] > looks[0][0],
                  f"the job's progress did not change on the page: {looks}")
            check(job.returncode == 0, f"the job failed: {err}")
            dom = browser.wait_for(
                lambda d: (progress(d, job_id) or (0, 1))[0] ==
                (progress(d, job_id) or (0, 1))[1])
            p = progress(dom, job_id)
            check(p is not None and p[0] == p[1] and "done" in p[2],
                  f"the finished job on the page: {p}")
            # The task stream's canvas has coloured boxes (grey and white
            # are its grid and background).
            boxes = browser.script("""
              const c = document.getElementById("stream");
              const d = c.getContext("2d").getImageData(0, 0, c.width,
                                                        c.height).data;
              let n = 0;
              for (let i = 0; i < d.length; i += 4)
                if (Math.max(d[i], d[i + 1], d[i + 2]) -
                    Math.min(d[i], d[i + 1], d[i + 2]) > 40) ++n;
              return n;""")
            check(boxes > 200, f"the task stream has {boxes} coloured pixels")
            s = status(sched.url, "?since=0")
            closed = s["closed_jobs"] + s["jobs"]
            check(any(j["id"] == job_id and j["state"] == "done" and
                      j["done"] == j["total"] > 1000 for j in closed),
                  f"api/status jobs: {closed}")
            check(len(s["tasks"]) > 100 and s["ops"] and
                  all(t["start"] <= t["end"] for t in s["tasks"]),
                  f"api/status tasks: {len(s['tasks'])}, ops {s['ops']}")
            newest = max(t["end"] for t in s["tasks"])
            check(status(sched.url, f"?since={newest}")["tasks"] == [],
                  "tasks newer than the newest")
            check(sum(w["tasks_done"] for w in s["workers"]) ==
                  sum(j["tasks_run"] for j in closed),
                  "tasks done by workers != tasks run by jobs")
            shot = os.path.join(artifacts, "dashboard.png")
            check(os.path.exists(shot) and os.path.getsize(shot) > 10000,
                  "no screenshot")

            # Off loopback: the token is asked for.
            other = Scheduler(args.tools, root, "open", "0.0.0.0:0")
            url = other.url.replace("0.0.0.0", "127.0.0.1")
            code, body = get(url + "api/status")
            check(code == 403 and "cluster token" in body,
                  f"no token: {code} {body}")
            check(get(url + "?token=wrong")[0] == 403, "a wrong token")
            check(get(url + "api/status?token=" + TOKEN)[0] == 200 and
                  get(url + "?token=" + TOKEN)[0] == 200, "the right token")
            browser.open(url + "?token=" + TOKEN)
            dom = browser.wait_for(lambda d: "0 of 0 workers alive" in d)
            check("0 of 0 workers alive" in dom,
                  "the page with the token in its URL")
        except Exception as e:  # noqa: BLE001 - reported as a failure
            problems.append(f"{type(e).__name__}: {e}")
        finally:
            if job and job.poll() is None:
                job.kill()
            if browser:
                browser.close()
            sched.stop()
            if other:
                other.stop()
            if problems:
                print("--- scheduler log (tail) ---")
                print("\n".join(sched.log().splitlines()[-20:]))
    for p in problems:
        print(f"FAIL: {p}")
    print(f"dashboard: {passed} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
