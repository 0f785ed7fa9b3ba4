"""The seed article's second example, (a.dot(a.T) - a).std(), with numpy's
code unchanged but the import: results come back as numpy values.

    /usr/bin/python3 examples/python/dot_std.py [n]
"""

import sys

import mars
import mars.tensor as mt  # was: import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
a = mt.random.rand(n, n)
s = (a.dot(a.T) - a).std()
m = a.mean()
mars.execute(s, m)        # both in one graph: a is generated once
print(float(s), float(m))
