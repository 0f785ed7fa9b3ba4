"""An independent numpy implementation of Mars's random streams.

Mirrors the mapping documented in include/mars/Numeric/Philox.h so the
differential tests can check Mars's random ops element for element.
"""

import numpy as np

MASK = 0xFFFFFFFF


def philox4x32_10(index, seed):
    """Philox4x32-10 blocks for counters (index, 0) under key seed."""
    idx = np.asarray(index, dtype=np.uint64)
    c0 = idx & np.uint64(MASK)
    c1 = idx >> np.uint64(32)
    c2 = np.zeros_like(idx)
    c3 = np.zeros_like(idx)
    k0, k1 = seed & MASK, (seed >> 32) & MASK
    m0, m1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
    for _ in range(10):
        p0 = m0 * c0
        p1 = m1 * c2
        hi0, lo0 = p0 >> np.uint64(32), p0 & np.uint64(MASK)
        hi1, lo1 = p1 >> np.uint64(32), p1 & np.uint64(MASK)
        c0, c1, c2, c3 = (hi1 ^ c1 ^ np.uint64(k0), lo1,
                          hi0 ^ c3 ^ np.uint64(k1), lo0)
        k0 = (k0 + 0x9E3779B9) & MASK
        k1 = (k1 + 0xBB67AE85) & MASK
    return c0, c1, c2, c3


def _bits53(hi, lo):
    return ((hi << np.uint64(32)) | lo) >> np.uint64(11)


def uniform(shape, seed, low, high, dtype):
    n = int(np.prod(shape, dtype=np.int64))
    w0, w1, _, _ = philox4x32_10(np.arange(n, dtype=np.uint64), seed)
    if dtype == np.float32:
        u = (w0 >> np.uint64(8)).astype(np.float32) * np.float32(2.0 ** -24)
        out = np.float32(low) + np.float32(high - low) * u
    else:
        u = _bits53(w0, w1).astype(np.float64) * 2.0 ** -53
        out = low + (high - low) * u
    return out.astype(dtype).reshape(shape)


def normal(shape, seed, loc, scale, dtype):
    n = int(np.prod(shape, dtype=np.int64))
    w0, w1, w2, w3 = philox4x32_10(np.arange(n, dtype=np.uint64), seed)
    u1 = (_bits53(w0, w1) + np.uint64(1)).astype(np.float64) * 2.0 ** -53
    u2 = _bits53(w2, w3).astype(np.float64) * 2.0 ** -53
    z = np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
    return (loc + scale * z).astype(dtype).reshape(shape)


def integers(shape, seed, low, high, dtype):
    n = int(np.prod(shape, dtype=np.int64))
    w0, w1, _, _ = philox4x32_10(np.arange(n, dtype=np.uint64), seed)
    r = (w0 << np.uint64(32)) | w1
    span = (high - low) % (1 << 64)
    vals = [low + ((int(x) * span) >> 64) for x in r]
    return np.array(vals, dtype=dtype).reshape(shape)
