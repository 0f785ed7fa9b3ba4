#!/usr/bin/env python3
"""Bad input never crashes mars-run or mars-opt.

Feeds truncated and garbled .mlir programs and .npy files to the tools and
checks that each run either succeeds (a mutation can leave input valid) or
fails with exit status 1 and an "error:" diagnostic; a signal (crash,
abort), another status or a hang is a failure. Deterministic (seeded) and
bounded: every run has a timeout.

Usage: garble.py --bin-dir DIR --src-root DIR [--cases N]
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

import numpy as np


SMALL_ELEMENTS = 1 << 16


def largest_tensor(prog):
    """The most elements of any static tensor type written in `prog`."""
    most = 0
    for m in re.finditer(rb"tensor<((?:\d+x)+)", prog):
        n = 1
        for d in m.group(1).split(b"x")[:-1]:
            n *= int(d)
        most = max(most, n)
    return most


def run(cmd, timeout=30):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", b""
    return p.returncode, p.stderr


def judge(rc, stderr):
    """None when acceptable, else what went wrong."""
    if rc == "timeout":
        return "hung"
    if rc == 0:
        return None
    if rc < 0:
        return f"killed by signal {-rc}"
    if rc != 1:
        return f"exit status {rc}"
    if b"error" not in stderr:
        return "failed without an error message"
    return None


def mutate_text(rng, text):
    kind = rng.randrange(7)
    n = len(text)
    if kind == 0:  # truncate
        return text[:rng.randrange(n)], "truncate"
    if kind == 1:  # flip a byte
        i = rng.randrange(n)
        return text[:i] + bytes([rng.randrange(256)]) + text[i + 1:], "flip"
    if kind == 2:  # delete a span
        i = rng.randrange(n)
        return text[:i] + text[i + rng.randrange(1, 40):], "delete"
    if kind == 3:  # duplicate a span
        i = rng.randrange(n)
        j = min(n, i + rng.randrange(1, 60))
        return text[:j] + text[i:j] + text[j:], "duplicate"
    if kind == 4:  # replace a digit run with an extreme number
        digits = [i for i, c in enumerate(text) if chr(c).isdigit()]
        if digits:
            i = rng.choice(digits)
            big = rng.choice([b"0", b"-1", b"99999999999", b"9223372036854775807",
                              b"18446744073709551616", b"-9223372036854775808"])
            return text[:i] + big + text[i + 1:], "number"
        return text, "number"
    if kind == 5:  # swap two lines
        lines = text.split(b"\n")
        if len(lines) > 2:
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
        return b"\n".join(lines), "swap-lines"
    tokens = [b"(", b")", b"[", b"]", b"{", b"}", b"<", b">", b":", b",", b"%",
              b"\"", b"mars.", b"tensor<", b"x", b"-", b"0x", b"\x00", b"\xff"]
    i = rng.randrange(n)
    return text[:i] + rng.choice(tokens) + text[i:], "insert"


def program_corpus(src_root):
    progs = []
    for d in ["examples", "test/Dialect/Mars", "test/mars-run"]:
        for name in sorted(os.listdir(os.path.join(src_root, d))):
            if name.endswith(".mlir"):
                with open(os.path.join(src_root, d, name), "rb") as f:
                    text = f.read()
                # Split files into their "// -----" cases.
                progs += [p for p in text.split(b"// -----") if b"func.func" in p]
    # Shrink the big example shapes so that valid mutants run fast.
    return [p.replace(b"10000000", b"1000").replace(b"1000x2000", b"10x20")
            .replace(b"500x500", b"5x5").replace(b"200x10000", b"20x100")
            for p in progs]


def npy_corpus(d):
    files = []
    for i, a in enumerate([np.arange(12.0).reshape(3, 4),
                           np.arange(5, dtype=np.int32),
                           np.array([True, False]),
                           np.zeros((2, 0, 3), np.float32),
                           np.array(7, np.int64)]):
        p = os.path.join(d, f"valid{i}.npy")
        np.save(p, a)
        with open(p, "rb") as f:
            files.append((a, f.read()))
    return files


def mutate_npy(rng, data):
    kind = rng.randrange(5)
    header_end = data.index(b"\n") + 1
    if kind == 0:
        return data[:rng.randrange(len(data))]
    if kind == 1:  # garble a header byte
        i = rng.randrange(min(header_end, len(data)))
        return data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]
    if kind == 2:  # rewrite the header dict
        bad = rng.choice([b"{'descr': '>f8', 'fortran_order': False, 'shape': (3, 4), }",
                          b"{'descr': '<c16', 'fortran_order': False, 'shape': (3, 4), }",
                          b"{'descr': '<f8', 'fortran_order': True, 'shape': (3, 4), }",
                          b"{'descr': '<f8', 'fortran_order': False, 'shape': (-3, 4), }",
                          b"{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999, 99999999999), }",
                          b"{'descr': '<f8', 'shape': (3, 4), }",
                          b"{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4) ",
                          b"not a dict at all"])
        header = bad + b" " * max(0, header_end - 10 - len(bad) - 1) + b"\n"
        length = len(header).to_bytes(2, "little")
        return data[:8] + length + header + data[header_end:]
    if kind == 3:  # wrong header length field
        return data[:8] + rng.randrange(65536).to_bytes(2, "little") + data[10:]
    return data + b"\x00" * rng.randrange(1, 9)  # trailing bytes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--src-root", required=True)
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1024)
    args = ap.parse_args()
    mars_run = os.path.join(args.bin_dir, "mars-run")
    mars_opt = os.path.join(args.bin_dir, "mars-opt")
    rng = random.Random(args.seed)
    failures = []
    total = 0
    with tempfile.TemporaryDirectory(prefix="mars-garble-") as d:
        progs = program_corpus(args.src_root)
        for i in range(args.cases):
            prog, kind = mutate_text(rng, rng.choice(progs))
            path = os.path.join(d, f"m{i}.mlir")
            with open(path, "wb") as f:
                f.write(prog)
            # Tiny chunks (1-5 per dimension, the ragged edges) only where
            # the values are small: a 1000x1000 program in chunks of 4 is
            # 15 million reference tasks, a long run rather than a fault.
            chunks = ([f"--chunks={1 + i % 5}"]
                      if largest_tensor(prog) <= SMALL_ELEMENTS else [])
            for tool in ([mars_opt, path], [mars_run, path, "--quiet",
                                            "--memory-limit=1GB"],
                         [mars_run, path, "--quiet", "--memory-limit=1GB",
                          "--engine=chunked", *chunks]):
                total += 1
                problem = judge(*run(tool))
                if problem:
                    failures.append((tool[0], kind, path, problem))
        for a, data in npy_corpus(d):
            dims = "".join(f"{n}x" for n in a.shape)
            elem = {"float64": "f64", "float32": "f32", "int64": "i64",
                    "int32": "i32", "bool": "i1"}[a.dtype.name]
            t = f"tensor<{dims}{elem}>"
            prog = os.path.join(d, f"id-{elem}-{len(a.shape)}.mlir")
            with open(prog, "w") as f:
                f.write(f"func.func @main(%a: {t}) -> {t} {{\n"
                        f"  return %a : {t}\n}}\n")
            for j in range(args.cases // 10):
                path = os.path.join(d, f"g-{elem}-{j}.npy")
                with open(path, "wb") as f:
                    f.write(mutate_npy(rng, data))
                total += 1
                problem = judge(*run([mars_run, prog, "--quiet",
                                      f"--arg=0={path}"]))
                if problem:
                    failures.append(("mars-run --arg", "npy", path, problem))
        for tool, kind, path, problem in failures:
            with open(path, "rb") as f:
                content = f.read()[:400]
            print(f"FAIL {os.path.basename(tool)} ({kind}): {problem}\n"
                  f"  input: {content!r}")
    print(f"garble: {total - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
