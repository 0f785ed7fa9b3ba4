"""The seed article's example: estimate pi by Monte Carlo, written as a
numpy user writes it. The only change from the numpy program is the import
and the .execute() that runs the graph.

    /usr/bin/python3 examples/python/pi.py [points]
"""

import sys
import time

import mars.tensor as mt  # was: import numpy as np

N = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10_000_000

start = time.perf_counter()
a = mt.random.uniform(-1, 1, size=(N, 2))
pi = (mt.sqrt((a ** 2).sum(axis=1)) < 1).sum() * 4 / N
print(pi.execute())
print("%d points in %.2fs" % (N, time.perf_counter() - start), file=sys.stderr)
