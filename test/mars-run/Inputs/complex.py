"""Inputs and numpy's results for complex.mlir.

  complex.py make DIR           writes DIR/{z,w}.npy
  complex.py check DIR RUN...   compares DIR/RUN/result*.npy with numpy,
                                byte for byte, per run
"""

import os
import sys

import numpy as np


def inputs():
    rng = np.random.default_rng(64)
    # complex128 with special values in either part (NaN, infinities, -0.0,
    # subnormals), then random ones; complex64 likewise.
    z = (rng.standard_normal(6 * 7) + 1j * rng.standard_normal(6 * 7))
    special = [complex(np.nan, 1), complex(1, np.nan), complex(np.inf, -0.0),
               complex(-0.0, -np.inf), complex(-0.0, 0.0), complex(5e-324, -0.0)]
    z[:len(special)] = special
    w = (rng.standard_normal(37) + 1j * rng.standard_normal(37))
    w = w.astype(np.complex64)
    w[:3] = [complex(-0.0, np.inf), complex(np.nan, -0.0), 1e-45 - 1e-45j]
    return z.reshape(6, 7), w


def join(re, im):
    """The complex array with these parts, bit for bit."""
    out = np.empty(re.shape, np.result_type(re.dtype, np.complex64))
    out.real, out.imag = re, im
    return out


def expected(z, w):
    return [
        np.ascontiguousarray(z.real), np.ascontiguousarray(z.imag),
        np.ascontiguousarray(w.real), np.ascontiguousarray(w.imag),
        # The parts rejoined, bit for bit.
        z.copy(),
        # Shape ops move complex elements.
        np.concatenate([z.T[1:6:2], z.T[::-1][:2]], axis=0),
        np.broadcast_to(w[:5], (3, 5)),
        np.stack([w[:4], w[4:8]], axis=1).reshape(2, 4),
        np.tril(z, -1),
        # Parts swapped, of a transposed array.
        join(z.imag.T, z.real.T),
    ]


def main():
    cmd, out = sys.argv[1], sys.argv[2]
    if cmd == "make":
        for name, v in zip("zw", inputs()):
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
        print("%s: %d results equal numpy's%s" % (
            run, len(want) - len(bad),
            "" if not bad else " (differ: %s)" % bad))


if __name__ == "__main__":
    main()
