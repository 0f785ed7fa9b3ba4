#!/usr/bin/python3
"""What recording a trace costs (mars-run --trace).

Runs a program of --tasks trivial chunk tasks (a fused random draw and
negation, chunks of --chunk elements) with and without --trace, in
alternating rounds of one mars-run process each (--repeat executions per
process, the first dropped), and reports the median execution time of
each, the overhead of tracing as a fraction of the untraced run (the
median of the rounds' ratios), the CPU time per execution of each (all
threads: the work tracing adds, less exposed to a shared host's noise
than wall time), the time to write the file and its size. Goal (issue "see what runs"): under 2% for
a run of 10^6 tasks. Both sides run here, in the same run.

Usage: bench/trace_overhead.py [--mars-run build/bin/mars-run]
         [--tasks 1000000] [--chunk 1] [--rounds 5] [--repeat 3] [--json F]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

PROGRAM = """func.func @main() -> tensor<{n}xf64> {{
  %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<{n}xf64>
  %b = mars.neg %a : tensor<{n}xf64>
  return %b : tensor<{n}xf64>
}}
"""


def run(mars_run, prog, chunk, repeat, cache, trace=None):
    cmd = [mars_run, prog, "--quiet", "--stats=-", f"--chunks={chunk}",
           f"--repeat={repeat + 1}", f"--kernel-cache={cache}"]
    if trace:
        cmd.append(f"--trace={trace}")
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    whole = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(done.stderr)
    stats = json.loads(done.stdout)
    runs = stats["executions"][1:] or stats["executions"]
    cpu = stats["execution_cpu_seconds"][1:] or stats["execution_cpu_seconds"]
    return (statistics.median(runs), statistics.median(cpu),
            whole - sum(stats["executions"]), stats["tasks"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mars-run", default="build/bin/mars-run")
    ap.add_argument("--tasks", type=int, default=1000000)
    ap.add_argument("--chunk", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mars-trace-bench-") as root:
        prog = os.path.join(root, "tasks.mlir")
        with open(prog, "w") as f:
            f.write(PROGRAM.format(n=args.tasks * args.chunk))
        cache = os.path.join(root, "kernels")
        trace = os.path.join(root, "trace.json")
        run(args.mars_run, prog, args.chunk, 0, cache)  # kernels compiled
        off, on, outside_off, outside_on = [], [], [], []
        cpu_off, cpu_on = [], []
        for _ in range(args.rounds):
            t, cpu, rest, tasks = run(args.mars_run, prog, args.chunk,
                                      args.repeat, cache)
            off.append(t)
            cpu_off.append(cpu)
            outside_off.append(rest)
            t, cpu, rest, _ = run(args.mars_run, prog, args.chunk,
                                  args.repeat, cache, trace)
            on.append(t)
            cpu_on.append(cpu)
            outside_on.append(rest)
        size = os.path.getsize(trace)
    m_off, m_on = statistics.median(off), statistics.median(on)
    # Each round runs the two back to back: the median of the rounds'
    # ratios is less exposed to the machine's drift than the ratio of
    # medians (this 2-core VM varies by 20% between runs).
    paired = statistics.median(b / a for a, b in zip(off, on)) - 1
    # CPU time (every thread) of an execution: the work tracing adds, with
    # little of the shared host's noise in it.
    c_off, c_on = statistics.median(cpu_off), statistics.median(cpu_on)
    # Writing the file happens after the executions, in the process's rest.
    write = statistics.median(outside_on) - statistics.median(outside_off)
    result = {
        "tasks": tasks,
        "execute_seconds_untraced": m_off,
        "execute_seconds_traced": m_on,
        "overhead_fraction": paired,
        "overhead_fraction_of_medians": m_on / m_off - 1,
        "per_task_microseconds": (m_on - m_off) / tasks * 1e6,
        "cpu_seconds_untraced": c_off,
        "cpu_seconds_traced": c_on,
        "cpu_overhead_fraction": c_on / c_off - 1,
        "untraced_rounds": off,
        "traced_rounds": on,
        "trace_write_seconds": write,
        "trace_bytes": size,
        "executions_in_trace": args.repeat + 1,
    }
    print(f"{tasks} tasks: execution {m_off:.3f} s untraced, {m_on:.3f} s "
          f"traced (medians of {args.rounds} rounds): overhead "
          f"{100 * paired:+.1f}% (median of the rounds' ratios; ratio of "
          f"medians {100 * (m_on / m_off - 1):+.1f}%, "
          f"{result['per_task_microseconds']:+.3f} us per task; goal < 2%)")
    print(f"CPU time per execution: {c_off:.3f} s untraced, {c_on:.3f} s "
          f"traced: {100 * (c_on / c_off - 1):+.1f}%")
    print(f"trace of {args.repeat + 1} executions: {size / 1e6:.0f} MB, "
          f"written in {write:.2f} s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
