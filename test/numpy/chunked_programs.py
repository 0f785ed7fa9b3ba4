#!/usr/bin/env python3
"""Property test: random multi-op programs give the same result tiled.

Generates random Mars programs (chains of elementwise ops with broadcasting,
reductions, transposes, slices, reshapes, matmuls, concatenations and casts
over random and argument inputs), some with explicit `mars.chunks` layouts on
random ops so that mars-tile must insert rechunks, and runs each through the
reference evaluator and the chunked engine under random chunkings (ragged,
1-element, one chunk), and with --compiled once more on the compiled engine.
With --spill, each program instead runs once with the smallest memory limit
that holds it (found by growing it from the bytes of its arguments and
results), three in four of them also with --spill-eagerly, where every chunk is
written to disk as soon as it is computed and read back when it is needed;
the results must still be equal, and the spill directory must be left empty.
Results must be equal bit for bit, except in programs
with float reductions or contractions, which combine partial results in
another order: those agree to rtol 1e-9.

Usage: chunked_programs.py --mars-run PATH [--programs N] [--seed S]
                           [--compiled] [--spill]
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

TYPES = {"f64": np.float64, "i64": np.int64}


def ttype(shape, t):
    return "tensor<" + "".join(f"{d}x" for d in shape) + t + ">"


class Gen:
    def __init__(self, seed):
        self.r = np.random.default_rng(seed)
        self.lines = []
        self.values = []  # (name, shape, type)
        self.args = []    # arrays bound to %argN
        self.n = 0
        self.reorders = False

    def fresh(self):
        self.n += 1
        return f"%v{self.n}"

    def chunks_attr(self, shape):
        if self.r.random() < 0.25:
            sizes = [int(self.r.integers(1, max(d, 1) + 2)) for d in shape]
            return " {mars.chunks = array<i64" + (": " if sizes else "") + \
                ", ".join(map(str, sizes)) + ">}"
        return ""

    def emit(self, text, shape, t):
        name = self.fresh()
        attr = self.chunks_attr(shape)
        # Attributes go before the type colon in every Mars op's syntax.
        head, colon, tail = text.partition(" : ")
        self.lines.append(f"{name} = {head}{attr}{colon}{tail}")
        self.values.append((name, tuple(shape), t))
        return name

    def random_shape(self, rank=None):
        rank = int(self.r.integers(0, 4)) if rank is None else rank
        return tuple(int(self.r.choice([0, 1, 1, 2, 3, 4, 5, 7])) if self.r.random() < 0.15
                     else int(self.r.integers(1, 8)) for _ in range(rank))

    def source(self, shape, t):
        if self.r.random() < 0.05 and len(shape) > 0:
            return self.window(shape, t)
        if self.r.random() < 0.3:
            i = len(self.args)
            arr = (self.r.normal(size=shape) * 10).astype(TYPES[t]) if t == "f64" \
                else self.r.integers(-20, 20, size=shape).astype(np.int64)
            if t == "f64" and arr.size and self.r.random() < 0.25:
                # Infinities and NaN, so that partial results (chunk sums,
                # means, M2s, extremes) are not finite; any order of
                # combining them gives the same answer.
                flat = arr.reshape(-1)
                for v in self.r.choice([np.inf, -np.inf, np.nan],
                                       size=int(self.r.integers(1, 3))):
                    flat[int(self.r.integers(flat.size))] = v
            self.args.append(arr)
            self.values.append((f"%arg{i}", tuple(shape), t))
            return f"%arg{i}"
        seed = int(self.r.integers(0, 1000))
        if t == "f64":
            return self.emit(f"mars.random_uniform seed = {seed}, low = -2.0, high = 2.0 : "
                             f"{ttype(shape, t)}", shape, t)
        return self.emit(f"mars.random_integers seed = {seed}, low = -9, high = 9 : "
                         f"{ttype(shape, t)}", shape, t)

    def window(self, shape, t):
        """A window of a value far larger than it (about 2e5 rows, chunked
        in many chunks): only the chunks under the window are computed.
        The large value is read by the slice alone."""
        rows = 200000 + int(self.r.integers(0, 1000))
        big = (rows,) + tuple(shape[1:])
        name = self.fresh()
        seed = int(self.r.integers(0, 1000))
        op = ("random_uniform" if t == "f64" else "random_integers")
        bounds = "low = -2.0, high = 2.0" if t == "f64" else "low = -9, high = 9"
        chunk = ", ".join(str(d) for d in (int(self.r.integers(500, 5000)),) +
                          tuple(max(d, 1) for d in shape[1:]))
        self.lines.append(f"{name} = mars.{op} seed = {seed}, {bounds} "
                          f"{{mars.chunks = array<i64: {chunk}>}} : "
                          f"{ttype(big, t)}")
        start = int(self.r.integers(0, rows - shape[0] + 1))
        spec = ", ".join([f"{start}:{start + shape[0]}"] + [":"] * (len(shape) - 1))
        return self.emit(f"mars.slice {name} [{spec}] : {ttype(big, t)} -> "
                         f"{ttype(shape, t)}", shape, t)

    def broadcast_partner(self, shape):
        drop = int(self.r.integers(0, len(shape) + 1))
        return tuple(1 if self.r.random() < 0.3 else d for d in shape[drop:])

    def step(self):
        name, shape, t = self.values[int(self.r.integers(len(self.values)))]
        T = ttype(shape, t)
        k = self.r.random()
        rank = len(shape)
        if k < 0.2:
            op = self.r.choice(["neg", "abs", "square"] + (["sin", "tanh", "floor"] if t == "f64" else []))
            return self.emit(f"mars.{op} {name} : {T}", shape, t)
        if k < 0.4:
            pshape = self.broadcast_partner(shape)
            other = self.source(pshape, t)
            op = self.r.choice(["add", "sub", "mul", "maximum"] + (["div"] if t == "f64" else ["floor_div"]))
            out = np.broadcast_shapes(shape, pshape)
            a, b = (name, other) if self.r.random() < 0.5 else (other, name)
            sa, sb = (shape, pshape) if a == name else (pshape, shape)
            return self.emit(f"mars.{op} {a}, {b} : ({ttype(sa, t)}, {ttype(sb, t)}) -> "
                             f"{ttype(out, t)}", out, t)
        if k < 0.55 and rank > 0:
            op = self.r.choice(["sum", "max", "mean", "var", "argmax", "count_nonzero", "any",
                                "nansum"])
            keep = self.r.random() < 0.4
            if op == "argmax":
                axis = None if self.r.random() < 0.3 else int(self.r.integers(rank))
                if axis is None:
                    out = (1,) * rank if keep else ()
                else:
                    out = tuple(1 if d == axis else s for d, s in enumerate(shape)) if keep \
                        else tuple(s for d, s in enumerate(shape) if d != axis)
                if 0 in shape and (axis is None or shape[axis] == 0):
                    return None
                attrs = ("" if axis is None else f" axis = {axis}") + (" keepdims" if keep else "")
                return self.emit(f"mars.argmax {name}{attrs} : {T} -> {ttype(out, 'i64')}", out, "i64")
            axes = sorted(set(int(a) for a in self.r.choice(rank, size=int(self.r.integers(1, rank + 1)))))
            if self.r.random() < 0.1:
                axes = []  # numpy's axis=(): each element reduced alone
            if op == "max" and any(shape[a] == 0 for a in axes):
                return None
            out = tuple(1 if d in axes else s for d, s in enumerate(shape)) if keep \
                else tuple(s for d, s in enumerate(shape) if d not in axes)
            rt = {"sum": t, "max": t, "mean": "f64", "var": "f64", "count_nonzero": "i64",
                  "any": "i1", "nansum": t}[op]
            if op in ("sum", "mean", "var", "nansum") and (t == "f64" or op not in ("sum", "nansum")):
                self.reorders = True
            if rt == "i1":
                return None  # keep the generator's types to f64/i64
            attrs = f" axes = [{', '.join(map(str, axes))}]" + (" keepdims" if keep and axes else "")
            return self.emit(f"mars.{op} {name}{attrs} : {T} -> {ttype(out, rt)}", out, rt)
        if k < 0.65 and rank > 1:
            perm = [int(p) for p in self.r.permutation(rank)]
            out = tuple(shape[p] for p in perm)
            return self.emit(f"mars.transpose {name} perm = [{', '.join(map(str, perm))}] : "
                             f"{T} -> {ttype(out, t)}", out, t)
        if k < 0.69 and rank > 0:
            axes = sorted(set(int(a) for a in self.r.choice(rank, size=int(self.r.integers(1, rank + 1)))))
            axes = [a - rank if self.r.random() < 0.3 else a for a in axes]
            return self.emit(f"mars.flip {name} axes = [{', '.join(map(str, axes))}] : {T} -> {T}",
                             shape, t)
        if k < 0.73 and rank > 0:
            spec, out = [], []
            for d in range(rank):
                start = int(self.r.integers(-shape[d] - 1, shape[d] + 1)) if self.r.random() < 0.6 else None
                stop = int(self.r.integers(-shape[d] - 1, shape[d] + 2)) if self.r.random() < 0.6 else None
                step = int(self.r.choice([1, 1, 2, -1, -2, 3]))
                spec.append((start, stop, step))
                out.append(len(range(shape[d])[slice(start, stop, step)]))
            text = ", ".join(("" if a is None else str(a)) + ":" + ("" if b is None else str(b))
                             + ("" if c == 1 else f":{c}") for a, b, c in spec)
            return self.emit(f"mars.slice {name} [{text}] : {T} -> {ttype(out, t)}", tuple(out), t)
        if k < 0.8:
            size = int(np.prod(shape, dtype=np.int64))
            if size == 0:
                out = (0,)
            else:
                divs = [d for d in range(1, size + 1) if size % d == 0]
                a = int(self.r.choice(divs))
                out = (a, size // a) if self.r.random() < 0.6 else (size,)
            return self.emit(f"mars.reshape {name} : {T} -> {ttype(out, t)}", out, t)
        if k < 0.88 and rank == 2:
            n = int(self.r.integers(1, 6))
            other = self.source((shape[1], n), t)
            if t == "f64":
                self.reorders = True
            out = (shape[0], n)
            return self.emit(f"mars.matmul {name}, {other} : {T}, {ttype((shape[1], n), t)} -> "
                             f"{ttype(out, t)}", out, t)
        if k < 0.94 and rank > 0:
            axis = int(self.r.integers(rank))
            oshape = list(shape)
            oshape[axis] = int(self.r.integers(0, 5))
            other = self.source(tuple(oshape), t)
            out = list(shape)
            out[axis] += oshape[axis]
            return self.emit(f"mars.concatenate {name}, {other} axis = {axis} : {T}, "
                             f"{ttype(oshape, t)} -> {ttype(out, t)}", tuple(out), t)
        if k < 0.97 and rank > 0:
            # Scans: chunks run in order along the axis, from the carry.
            op = self.r.choice(["cumsum", "cumprod", "nancumsum"])
            axis = int(self.r.integers(-rank, rank))
            return self.emit(f"mars.{op} {name} axis = {axis} : {T} -> {T}",
                             shape, t)
        if k < 0.978:
            # put: every chunk reads all positions and values and writes
            # those that fall in it (random positions: wrap or clip).
            m = int(self.r.integers(0, 9))
            if int(np.prod(shape, dtype=np.int64)) == 0 and m:
                return None
            nv = int(self.r.integers(1, 4))
            idx = self.source((m,), "i64")
            vals = self.source((nv,), t)
            mode = self.r.choice(["wrap", "clip"])
            return self.emit(f'mars.put {name}, {idx}, {vals} mode = "{mode}" : '
                             f"{T}, {ttype((m,), 'i64')}, {ttype((nv,), t)} -> {T}",
                             shape, t)
        if k < 0.985 and rank > 0:
            # Sorting: a chunk reads its lanes whole and sorts its part.
            axis = int(self.r.integers(-rank, rank))
            if self.r.random() < 0.5:
                return self.emit(f"mars.sort {name} axis = {axis} : {T} -> {T}",
                                 shape, t)
            return self.emit(f"mars.argsort {name} axis = {axis} : {T} -> "
                             f"{ttype(shape, 'i64')}", shape, "i64")
        nt = "i64" if t == "f64" else "f64"
        return self.emit(f"mars.cast {name} : ({T}) -> {ttype(shape, nt)}", shape, nt)

    def program(self):
        first = self.source(self.random_shape(), "f64" if self.r.random() < 0.7 else "i64")
        for _ in range(int(self.r.integers(3, 9))):
            self.step()
        # Return the last value and a random third of the others: values
        # with no other use can be fused into their consumers.
        computed = [(n, ttype(s, t)) for n, s, t in self.values
                    if not n.startswith("%arg")]
        results = [v for v in computed[:-1] if self.r.random() < 0.33] + computed[-1:]
        rt = ", ".join(t for _, t in results)
        args = ", ".join(f"%arg{i}: {ttype(a.shape, 'f64' if a.dtype == np.float64 else 'i64')}"
                         for i, a in enumerate(self.args))
        body = "\n".join("  " + l for l in self.lines)
        names = ", ".join(n for n, _ in results)
        return (f"func.func @main({args}) -> ({rt}) {{\n{body}\n"
                f"  return {names} : {rt}\n}}\n")


def spill_run(cmd, d, index, args, wants):
    """Runs with the smallest memory limit (growing by a quarter from the
    bytes that must stay in memory) that holds the program.

    Returns (the run's label, its output directory, its stats) or raises with the
    failure. A limit too small is refused with a message, never a wrong
    result."""
    # Arguments and returned values are held whole.
    limit = sum(a.nbytes for a in args) + sum(w.nbytes for w in wants) + 8
    spill_root = os.path.join(d, "spill")
    os.makedirs(spill_root)
    engine = "compiled" if index % 2 else "chunked"
    size = 1 + index % 3
    while True:
        out = os.path.join(d, f"spill{limit}")
        stats = os.path.join(d, f"stats{limit}.json")
        extra = [f"--engine={engine}", f"--chunks={size}",
                 f"--memory-limit={limit}", f"--spill-dir={spill_root}",
                 f"--threads={1 + index % 2}", f"--stats={stats}",
                 *(["--spill-eagerly"] if index % 4 else []),
                 "--output", out]
        if engine == "compiled":
            extra.append(f"--kernel-cache={os.path.join(d, '..', 'kernels')}")
        proc = subprocess.run(cmd + extra, capture_output=True, text=True,
                              timeout=120)
        if os.listdir(spill_root):
            raise RuntimeError(f"{' '.join(extra)} left "
                               f"{os.listdir(spill_root)} in the spill dir")
        if proc.returncode == 0:
            with open(stats) as f:
                return " ".join(extra[:4]), out, json.load(f)
        if "cannot hold" not in proc.stderr or limit > 1 << 26:
            raise RuntimeError(f"{' '.join(extra)} failed ({proc.returncode}): "
                               f"{proc.stderr.strip()}")
        limit += limit // 4 + 8


def compare(g, wants, out, label, approx=False):
    """None when the results in `out` equal `wants`, else the problem;
    `approx`: floats within a tolerance (libdevice's transcendentals)."""
    for i, want in enumerate(wants):
        got = np.load(os.path.join(out, f"result{i}.npy"))
        if got.dtype != want.dtype or got.shape != want.shape:
            return (f"{label}: result {i} is {got.dtype}{got.shape}, "
                    f"reference {want.dtype}{want.shape}")
        if (g.reorders or approx) and want.dtype.kind == "f":
            ok = np.allclose(got, want, rtol=1e-9, atol=1e-9, equal_nan=True)
        else:
            ok = np.array_equal(got, want, equal_nan=want.dtype.kind == "f")
        if not ok:
            return (f"{label}: result {i} differs:\n  got: {got!r}\n"
                    f"  reference: {want!r}")
    return None


def check(mars_run, root, index, seed, compiled, spill, device="cpu"):
    """Returns (program, problem or None, whether the spill run evicted
    chunks: spilled them, or dropped and recomputed them)."""
    g = Gen(seed * 100003 + index)
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
                         capture_output=True, text=True, timeout=120)
    if ref.returncode != 0:
        return prog, f"reference failed: {ref.stderr.strip()}", False
    nres = len(os.listdir(os.path.join(d, "ref")))
    wants = [np.load(os.path.join(d, "ref", f"result{i}.npy")) for i in range(nres)]
    r = np.random.default_rng(index)
    sizes = [int(x) for x in r.choice([1, 2, 3, 5, 1000], size=3, replace=False)]
    runs = [("chunked", sizes[0]), ("chunked", sizes[1])]
    if spill:
        runs = []
    elif compiled:
        runs.append(("compiled", sizes[2]))
    for engine, size in runs:
        out = os.path.join(d, f"{engine}{size}")
        extra = [f"--engine={engine}", f"--chunks={size}",
                 f"--fan-in={2 + index % 3}",
                 f"--fuse={'true' if size % 2 or engine == 'compiled' else 'false'}",
                 "--output", out]
        on_gpu = engine == "compiled" and device != "cpu"
        if engine == "compiled":
            extra.append(f"--kernel-cache={os.path.join(root, 'kernels')}")
        if on_gpu:
            extra.append(f"--device={device}")
        label = f"--engine={engine} --chunks={size}"
        proc = subprocess.run(cmd + extra, capture_output=True, text=True,
                              timeout=120)
        if proc.returncode != 0:
            return prog, (f"{label} failed ({proc.returncode}): "
                          f"{proc.stderr.strip()}"), False
        problem = compare(g, wants, out, label, approx=on_gpu)
        if problem:
            return prog, problem, False
    if not spill:
        return prog, None, False
    try:
        label, out, stats = spill_run(cmd, d, index, g.args, wants)
    except RuntimeError as e:
        return prog, str(e), False
    if stats["bytes_spilled"] and not stats["bytes_read_back"]:
        return prog, f"{label}: spilled but read nothing back", False
    # Chunks of creation ops are dropped and made again instead of spilled.
    evicted = stats["bytes_spilled"] > 0 or stats.get("bytes_recomputed", 0) > 0
    return prog, compare(g, wants, out, label), evicted


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mars-run", required=True)
    ap.add_argument("--programs", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--compiled", action="store_true",
                    help="also run each program once on the compiled engine")
    ap.add_argument("--spill", action="store_true",
                    help="run each program under the smallest memory limit "
                    "that holds it instead (chunks spilled to disk)")
    ap.add_argument("--device", default="cpu",
                    choices=["cpu", "gpu", "auto", "gpu-emulator"],
                    help="where the compiled engine runs its kernels")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    failures = []
    spilled = 0
    with tempfile.TemporaryDirectory(prefix="mars-chunked-") as root:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            futs = [pool.submit(check, args.mars_run, root, i, args.seed,
                                args.compiled, args.spill, args.device)
                    for i in range(args.programs)]
            for f in futs:
                prog, problem, did_spill = f.result()
                spilled += did_spill
                if problem:
                    failures.append((prog, problem))
    for prog, problem in failures[:20]:
        print(f"FAIL: {problem}\n--- program ---\n{prog}")
    if args.spill:
        # Most programs have intermediate chunks to spill; a run of the
        # suite where few did would test nothing.
        print(f"chunked-programs: {spilled} of {args.programs} programs "
              "spilled chunks")
        if spilled < args.programs // 2:
            failures.append(("", "too few programs spilled"))
            print("FAIL: too few programs spilled")
    print(f"chunked-programs: {args.programs - len(failures)} passed, "
          f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
