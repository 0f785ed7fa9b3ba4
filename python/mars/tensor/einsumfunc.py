"""numpy.einsum as a composition: operands are reduced alone over the
labels only they carry, then combined pairwise (left to right, or in
numpy's optimized order when asked). A pair with no shared kept label is a
tensordot (BLAS for matrix products); a float pair that shares batch labels
and contracts others is a stack of matrix products (``mars.matmul``: BLAS
per matrix); any other pair is a broadcast product summed over the
contracted labels, which mars-fuse turns into one kernel that never stores
the product. Repeated labels within an operand (``'ii->i'``) take its
diagonal. numpy.matmul is the ``mars.matmul`` op."""

import operator as _operator
import string as _string

import numpy as _np

import mars.tensor as _mt
from .core import _tensor

_LETTERS = set(_string.ascii_letters)


def _parse(subscripts, ndims):
    """(input label lists, output label list) with '...' expanded into
    labels of their own: "#1" is the last broadcast dimension, "#2" the one
    before (ellipsis dimensions are right-aligned across operands)."""
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        ins, out = subscripts.split("->")
        explicit = True
    else:
        ins, out, explicit = subscripts, "", False
    terms = ins.split(",")
    if len(terms) != len(ndims):
        raise ValueError("more operands provided to einstein sum function "
                         "than specified in the subscripts string"
                         if len(ndims) > len(terms) else
                         "fewer operands provided to einstein sum function "
                         "than specified in the subscripts string")
    ell = 0
    labels = []
    for term, nd in zip(terms, ndims):
        if term.count("...") > 1 or (term.replace("...", "").count(".")):
            raise ValueError("invalid subscript '.' in einstein sum "
                             "subscripts string, subscripts must be letters")
        letters = term.replace("...", "")
        for c in letters:
            if c not in _LETTERS:
                raise ValueError("invalid subscript '%s' in einstein sum "
                                 "subscripts string, subscripts must be "
                                 "letters" % c)
        if "..." in term:
            n = nd - len(letters)
            if n < 0:
                raise ValueError("einstein sum subscripts string contains "
                                 "too many subscripts for operand")
            ell = max(ell, n)
            head, tail = term.split("...")
            labels.append(list(head) + ["#%d" % (n - k) for k in range(n)]
                          + list(tail))
        else:
            if len(term) != nd:
                raise ValueError(
                    "operand has more dimensions than subscripts given in "
                    "einstein sum, but no '...' ellipsis provided to "
                    "broadcast the extra dimensions." if nd > len(term) else
                    "einstein sum subscripts string contains too many "
                    "subscripts for operand")
            labels.append(list(term))
    ell_labels = ["#%d" % k for k in range(ell, 0, -1)]
    if explicit:
        if out.count("...") > 1:
            raise ValueError("einstein sum subscripts string contains a "
                             "'.' that is not part of an ellipsis ('...') "
                             "in the output")
        for c in out.replace("...", ""):
            if c not in _LETTERS:
                raise ValueError("invalid subscript '%s' in einstein sum "
                                 "subscripts string, subscripts must be "
                                 "letters" % c)
            if not any(c in l for l in labels):
                raise ValueError("einstein sum subscripts string included "
                                 "output subscript '%s' which never appeared "
                                 "in an input" % c)
            if out.count(c) > 1:
                raise ValueError("einstein sum subscripts string includes "
                                 "output subscript '%s' multiple times" % c)
        if "..." in out:
            head, tail = out.split("...")
            output = list(head) + ell_labels + list(tail)
        else:
            output = list(out)  # (broadcast dimensions are summed)
    else:
        counts = {}
        for ls in labels:
            for c in ls:
                counts[c] = counts.get(c, 0) + 1
        output = ell_labels + sorted(c for c, k in counts.items()
                                     if k == 1 and not c.startswith("#"))
    return labels, output


def _sublist_letters(sublist):
    """numpy's interleaved form: labels 0-25 are 'a'-'z', 26-51 'A'-'Z',
    and Ellipsis is '...'."""
    out = []
    for s in sublist:
        if s is Ellipsis:
            out.append("...")
            continue
        try:
            i = _operator.index(s)
        except TypeError:
            raise TypeError("each subscript must be either an integer or an "
                            "ellipsis") from None
        if not 0 <= i < 52:
            raise ValueError("subscript is not within the valid range [0, "
                             "52)")
        out.append(_string.ascii_letters[i])
    return "".join(out)


def _interleaved(first, rest):
    """einsum(op0, sublist0, op1, sublist1, ..., [sublistout]) as a
    subscripts string and its operands."""
    args = (first,) + tuple(rest)
    ops, terms = list(args[0::2]), [_sublist_letters(s)
                                     for s in args[1::2]]
    out = None
    if len(ops) > len(terms):
        out = _sublist_letters(ops.pop())
    subscripts = ",".join(terms)
    if out is not None:
        subscripts += "->" + out
    return subscripts, ops


def _diagonal_labels(t, labels):
    """Repeated labels of one operand become one axis (its diagonal)."""
    while True:
        seen = {}
        pair = None
        for i, c in enumerate(labels):
            if c in seen:
                pair = (seen[c], i)
                break
            seen[c] = i
        if pair is None:
            return t, labels
        i, j = pair
        if t.shape[i] != t.shape[j]:
            raise ValueError("dimensions in operand for collapsing index "
                             "'%s' don't match (%d != %d)"
                             % (labels[i], t.shape[i], t.shape[j]))
        t = _mt.diagonal(t, 0, i, j)
        labels = [c for k, c in enumerate(labels) if k not in (i, j)] + \
            [labels[i]]


def _sum_labels(t, labels, drop):
    axes = tuple(i for i, c in enumerate(labels) if c in drop)
    if not axes:
        return t, labels
    return _mt.sum(t, axis=axes), [c for c in labels if c not in drop]


def _align(t, labels, order):
    """t's axes permuted into `order` (a superset of labels), with size-1
    axes for the labels it lacks."""
    perm = [labels.index(c) for c in order if c in labels]
    if perm != list(range(len(perm))):
        t = _mt.transpose(t, perm)
    shape = []
    it = iter(t.shape)
    for c in order:
        shape.append(next(it) if c in labels else 1)
    return t.reshape(shape) if tuple(shape) != t.shape else t


def _contract_pair(a, la, b, lb, keep):
    """a and b combined; the labels in neither `keep` are summed."""
    shared = [c for c in la if c in lb]
    contracted = [c for c in shared if c not in keep]
    batch = [c for c in shared if c in keep]
    same_sizes = all(a.shape[la.index(c)] == b.shape[lb.index(c)]
                     for c in contracted)
    if not batch and contracted and same_sizes:
        # A tensordot: a matrix product when it is one (BLAS).
        r = _mt.tensordot(a, b, ([la.index(c) for c in contracted],
                                 [lb.index(c) for c in contracted]))
        return r, [c for c in la if c not in contracted] + \
            [c for c in lb if c not in contracted]
    if (batch and contracted and same_sizes
            and _np.result_type(a.dtype, b.dtype).kind == "f"):
        # A stack of matrix products: (batch, free a, contracted) times
        # (batch, contracted, free b), the free and contracted labels
        # flattened into one dimension each.
        free_a = [c for c in la if c not in shared]
        free_b = [c for c in lb if c not in shared]

        def size(t, ls, c):
            return t.shape[ls.index(c)]

        def stacked(t, ls, first, second):
            perm = [ls.index(c) for c in batch + first + second]
            t = _mt.transpose(t, perm) if perm != list(range(len(perm))) \
                else t
            return t.reshape(
                tuple(size(t, batch + first + second, c) for c in batch)
                + (int(_np.prod([size(t, batch + first + second, c)
                                 for c in first])),
                   int(_np.prod([size(t, batch + first + second, c)
                                 for c in second]))))
        r = matmul(stacked(a, la, free_a, contracted),
                   stacked(b, lb, contracted, free_b))
        shape = r.shape[:len(batch)] + tuple(
            size(a, la, c) for c in free_a) + tuple(
            size(b, lb, c) for c in free_b)
        return r.reshape(shape), batch + free_a + free_b
    order = la + [c for c in lb if c not in la]
    p = _align(a, la, order) * _align(b, lb, order)
    return _sum_labels(p, order, set(contracted))


def einsum(subscripts, *operands, out=None, dtype=None, order="K",
           casting="safe", optimize=False):
    """numpy.einsum: the Einstein summation convention over the operands
    (explicit '->' output, implicit output, '...' broadcasting, repeated
    labels for diagonals). ``optimize`` orders the pairwise contractions
    by numpy's einsum_path; without it they go left to right."""
    if out is not None:
        raise NotImplementedError("out= is not supported (tensors are "
                                  "immutable)")
    if not isinstance(subscripts, str):
        subscripts, operands = _interleaved(subscripts, operands)
    ts = [_tensor(o) for o in operands]
    if dtype is not None:
        ts = [t.astype(dtype) for t in ts]
    labels, output = _parse(subscripts, [t.ndim for t in ts])
    sizes = {}
    for t, ls in zip(ts, labels):
        for c, n in zip(ls, t.shape):
            if c.startswith("#"):
                continue
            if sizes.setdefault(c, n) != n and n != 1 and sizes[c] != 1:
                raise ValueError("operands could not be broadcast together "
                                 "with remapped shapes: label '%s' has "
                                 "sizes %d and %d" % (c, sizes[c], n))
    items = []
    for t, ls in zip(ts, labels):
        t, ls = _diagonal_labels(t, ls)
        items.append((t, ls))
    pairs = None
    if optimize and len(items) > 2:
        path, _ = _np.einsum_path(subscripts, *[
            _np.broadcast_to(_np.zeros((), t.dtype), t.shape)
            for t in ts], optimize=optimize)
        pairs = [p for p in path[1:]]
    # Labels each operand alone carries (and the output lacks) are summed
    # first.
    def needed_elsewhere(k, group):
        return set(output).union(*[set(ls) for j, (_, ls) in
                                   enumerate(group) if j != k])
    items = [_sum_labels(t, ls, set(ls) - needed_elsewhere(k, items))
             for k, (t, ls) in enumerate(items)]
    while len(items) > 1:
        i, j = (pairs.pop(0) if pairs else (0, 1))
        i, j = sorted((i, j))
        (a, la), (b, lb) = items[i], items[j]
        rest = [it for k, it in enumerate(items) if k not in (i, j)]
        keep = set(output).union(*[set(ls) for _, ls in rest])
        items = rest + [_contract_pair(a, la, b, lb, keep)]
    t, ls = items[0]
    t, ls = _sum_labels(t, ls, set(ls) - set(output))
    t = _align(t, ls, output)
    # Broadcast size-1 ellipsis or label dimensions to the output's sizes.
    shape = []
    for c in output:
        n = 1
        for tt, lls in zip(ts, labels):
            for cc, m in zip(lls, tt.shape):
                if cc == c and m != 1:
                    n = m
        shape.append(n)
    if tuple(shape) != t.shape:
        t = _mt.broadcast_to(t, shape)
    # numpy sums in the operands' common dtype, wrapping integers; the sums
    # above accumulate in int64/uint64 (bool: int64), whose low bits are
    # the same.
    common = _np.result_type(*[t_.dtype for t_ in ts])
    if t.dtype != common:
        t = t.astype(common)
    return t


def matmul(x1, x2):
    """numpy.matmul, including stacks of matrices (batch dimensions
    broadcast) and numpy's 1-D promotion: ``mars.matmul`` (BLAS per matrix
    for float stacks; a stack times one matrix is one product of its
    rows)."""
    from .core import matmul as _matmul
    return _matmul(_tensor(x1), _tensor(x2))


__all__ = ["einsum", "matmul"]
