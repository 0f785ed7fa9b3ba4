"""Inputs and numpy's results for integer-dtypes.mlir.

  integer_dtypes.py make DIR           writes DIR/{a,b,c,d,f}.npy
  integer_dtypes.py check DIR RUN...   compares DIR/RUN/result*.npy with
                                       numpy, byte for byte, per run
"""

import os
import sys
import warnings

import numpy as np


def inputs():
    rng = np.random.default_rng(11)

    def edge(dtype):
        info = np.iinfo(dtype)
        v = rng.integers(info.min, info.max, size=37, dtype=dtype,
                         endpoint=True)
        head = [0, 1, 2, info.max, info.min, info.max - 1, 7]
        if info.min < 0:
            head += [-1, info.min + 1]
        v[:len(head)] = np.array(head, dtype=object).astype(dtype)
        return v

    f = np.array([np.nan, np.inf, -np.inf, -0.0, 0.5, -0.5, 300.7, -1.5,
                  1e20, -1e20, 2.0 ** 63 + 4096, 2.0 ** 63, 2.0 ** 64,
                  2.0 ** 31, -2.0 ** 31 - 5, 65535.9, 127.5, -128.9, 255.5,
                  4294967295.0, 4294967296.0, -9.3e18, 1.8e19])
    return dict(a=edge(np.uint8), b=edge(np.int16), c=edge(np.uint64),
                d=edge(np.int8), f=f)


def expected(a, b, c, d, f):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        q = a // (a | np.uint8(1))
        s = a >> np.uint8(3)
        mx = np.maximum(q, np.maximum(s, np.uint8(200)))
        w = b * b - b
        r = np.remainder(w, a.astype(np.int16))
        cq = c // np.uint64(7)
        gp = np.gcd(c, cq) + c ** np.uint64(7)
        ab = np.abs(-d)
        gt = c > np.uint64(2 ** 63)
        total = a.astype(np.uint64).sum()
        am = np.int64(np.argmax(c))
        cf = c.astype(np.float64)

        # numpy's scalar casts (its SIMD loop differs for uint32 out of
        # range): one element at a time.
        def cast(t):
            return np.concatenate([f[i:i + 1].astype(t) for i in range(len(f))])

        return [mx, s, r, cq, gp, ab, gt, total, am, cf, cast(np.uint32),
                cast(np.uint64), cast(np.int8)]


def main():
    cmd, root = sys.argv[1], sys.argv[2]
    data = inputs()
    if cmd == "make":
        for k, v in data.items():
            np.save(os.path.join(root, k + ".npy"), v)
        return
    want = expected(**data)
    for run in sys.argv[3:]:
        bad = []
        for i, e in enumerate(want):
            got = np.load(os.path.join(root, run, "result%d.npy" % i))
            e = np.asarray(e)
            if got.dtype != e.dtype or got.shape != e.shape or \
                    got.tobytes() != e.tobytes():
                bad.append((i, got.dtype.name, e.dtype.name,
                            got.ravel()[:6].tolist(), e.ravel()[:6].tolist()))
        if bad:
            print("%s: differs: %s" % (run, bad))
        else:
            print("%s: %d results equal numpy's" % (run, len(want)))


if __name__ == "__main__":
    main()
