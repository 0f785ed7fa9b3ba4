"""Inputs and numpy's results for float16.mlir.

  float16.py make DIR           writes DIR/{a,d,f,i,u}.npy
  float16.py check DIR RUN...   compares DIR/RUN/result*.npy with numpy,
                                byte for byte, per run
"""

import os
import sys
import warnings

import numpy as np


def inputs():
    rng = np.random.default_rng(16)
    # float16: every special value, subnormals, the largest finite, values
    # whose sums and products round (ties included), random ones.
    a = rng.standard_normal(53).astype(np.float16) * np.float16(100)
    head = [np.nan, np.inf, -np.inf, -0.0, 0.0, 65504, -65504, 6e-8, -6e-8,
            6.1e-5, 2049, 2051, 0.1, 1 / 3, 1000.5, 0.5, -1.5, 255.5, 300.7,
            -128.9, 2.5]
    a[:len(head)] = np.array(head, dtype=np.float16)
    # float64 to float16 rounds once: values a rounding through float32
    # first would round the other way (1 + 2^-11 + 2^-40 is above the tie
    # and rounds up; through float32 it is the tie and rounds to even).
    d = np.array([1 + 2.0 ** -11 + 2.0 ** -40, 1 + 3 * 2.0 ** -11 - 2.0 ** -40,
                  65519.99, 65520.0, -65520.0, 1e300, -1e-300, 2.0 ** -25,
                  2.0 ** -25 + 2.0 ** -60, 2.0 ** -24 * 1.5, np.nan, -np.inf,
                  -0.0, 0.1, 1 / 3, 1e-7, 5.960464477539063e-08, 3.1415926,
                  2.0 ** 15 + 2.0 ** 4 + 2.0 ** -30, 6.097555160522461e-05,
                  -2.0 ** -14 * (1 - 2.0 ** -11), 12345.678, -0.4999, 7.0,
                  2.0 ** -26, 1e5, -1e5, 0.00011, 42.0])
    with np.errstate(over="ignore"):
        f = d.astype(np.float32)
    i = np.array([0, 1, -1, 2049, 2051, 4097, 65504, 65519, 65520, -65536,
                  2 ** 24 + 1, 2 ** 40, -2 ** 62, 2 ** 63 - 1, -2 ** 63, 7,
                  33, 100001, -3, 12, 15, 2047, 4095, 8191, 16385, 32769,
                  9, 11, 13], dtype=np.int64)
    u = np.array([0, 1, 2 ** 64 - 1, 2 ** 63, 65520, 65519, 2049, 2051, 3,
                  2 ** 32, 2 ** 32 + 1, 7, 9, 11, 13, 15, 17, 19, 21, 23,
                  25, 27, 29, 31, 33, 35, 37, 39, 41], dtype=np.uint64)
    return a, d, f, i, u


def expected(a, d, f, i, u):
    h = np.float16
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        chain = (a.astype(np.float32) + np.float32(1.5)).astype(h)
        chain = (chain.astype(np.float32) * np.float32(2)).astype(h)
        m = a[:48].reshape(6, 8)
        return [
            d.astype(h), f.astype(h), i.astype(h), u.astype(h),
            a.astype(np.float64), a.astype(np.int32), a.astype(np.uint8),
            a.astype(bool), chain,
            np.concatenate([m.T[1:7:2], m.T[::-1][:2]], axis=0),
            np.broadcast_to(a[:5], (3, 5)),
            np.full(4, 0.1, dtype=h),
            np.array([0.1, -0.0, 65504.0, 6.0e-08, np.nan, -2.5, 1000.5, 3.0,
                      np.inf], dtype=h),
        ]


def main():
    cmd, out = sys.argv[1], sys.argv[2]
    if cmd == "make":
        for name, v in zip("adfiu", inputs()):
            np.save(os.path.join(out, name + ".npy"), v)
        return
    want = expected(*inputs())
    for run in sys.argv[3:]:
        bad = []
        for k, w in enumerate(want):
            got = np.load(os.path.join(out, run, "result%d.npy" % k))
            same = (got.dtype == w.dtype and got.shape == w.shape and
                    np.ascontiguousarray(got).tobytes() ==
                    np.ascontiguousarray(w).tobytes())
            if not same:
                bad.append(k)
                print("%s: result %d differs:\n  got  %r\n  want %r"
                      % (run, k, got, w))
        if not bad:
            print("%s: %d results equal numpy's" % (run, len(want)))


if __name__ == "__main__":
    main()
