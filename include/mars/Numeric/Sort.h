//===- Sort.h - Sorting, searching and gathering along an axis --*- C++ -*-===//
//
// numpy's sort, argsort, searchsorted, take and take_along_axis on whole
// arrays or on the regions the chunk rules hand them. Sorting follows
// numpy's order: NaN after every number (searchsorted too), and argsort is
// numpy's stable argsort (ties keep their order), so any region of the
// result is the same whichever chunk computes it.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_NUMERIC_SORT_H
#define MARS_NUMERIC_SORT_H

#include "mars/Numeric/NDArray.h"

#include "llvm/Support/Error.h"

namespace mars::numeric {

/// Positions [lo, hi) along `axis` of `x` sorted along `axis` (numpy.sort),
/// or with `indices`, of the positions that sort it (numpy.argsort with
/// kind='stable', int64). The result is x's shape with hi - lo on the axis.
/// Signed zeros sort -0.0 first (numpy leaves their order to the
/// algorithm); NaNs go last.
NDArray sortAlong(const NDArray &x, int64_t axis, int64_t lo, int64_t hi,
                  bool indices);

/// Positions [lo, hi) along `axis` of `x` with every run of `run`
/// consecutive elements along the axis sorted on its own (sortAlong's
/// order); the last run may be shorter. `x` holds the runs that overlap
/// [lo, hi) and starts at a run boundary (`lo` and `hi` count from there).
NDArray sortRuns(const NDArray &x, int64_t axis, int64_t run, int64_t lo,
                 int64_t hi);

/// Positions [lo, hi) along `axis` of the sort of `x`, whose runs of `run`
/// elements along the axis are each sorted (sortRuns): each lane's part is
/// merged from the runs' parts that sort there, found by binary searches
/// over the runs, in O(k log n) plus the merge of hi - lo elements.
NDArray mergeRuns(const NDArray &x, int64_t axis, int64_t run, int64_t lo,
                  int64_t hi);

/// The elements at positions `kth` (each in [0, n), any order) of the sort
/// of `x` along `axis` (sortAlong's order), found by selection: O(n) per
/// lane, reordering x's contiguous lanes in place (pass a copy to keep
/// them). The result has x's shape with the axis replaced by kth's size.
NDArray sortedAt(NDArray x, int64_t axis, llvm::ArrayRef<int64_t> kth);

/// Radix selection (the mars.radix_* ops): sortedAt of a 1-d lane in passes
/// over its parts, one 16-bit digit of the elements' sort keys per pass.
/// A key is an unsigned integer of the element's width (bool: 8 bits)
/// ordered as sortAlong orders the elements; a state holds two int64 per
/// selected position: the key bits chosen so far and the position's rank
/// among the elements whose keys start with them.
constexpr int64_t kRadixDigits = 65536;
/// The width in bits of `dtype`'s sort keys.
int64_t radixKeyBits(DType dtype);
/// The state that starts a selection of positions `kth` (in [0, n)).
NDArray radixStart(llvm::ArrayRef<int64_t> kth);
/// Per part of `rows` elements of the 1-d `x` (the last one shorter), and
/// per position j of `state`, the counts of the digit at `shift` among the
/// elements whose keys start with j's bits: int64 (parts, q * 65536).
NDArray radixHistogram(const NDArray &x, const NDArray &state, int64_t rows,
                       int64_t shift);
/// The next state, from a lane's counts of the digit at `shift` (q * 65536).
NDArray radixPick(const NDArray &counts, const NDArray &state, int64_t shift);
/// The elements of `dtype` whose keys `state` holds (NaN: the quiet NaN).
NDArray radixValue(const NDArray &state, DType dtype);

/// numpy.searchsorted: for each element of `values`, the position in the
/// sorted 1-d `sorted` (same dtype) where it would be inserted, the first
/// such (left) or the last (right). int64, `values`' shape.
NDArray searchSorted(const NDArray &sorted, const NDArray &values, bool right);

/// numpy.take's `mode`: what an index outside [-n, n) does.
enum class TakeMode : uint8_t { Raise, Wrap, Clip };
/// numpy's name of the mode ("raise", "wrap", "clip"), and back.
const char *takeModeName(TakeMode mode);
std::optional<TakeMode> parseTakeMode(llvm::StringRef name);

/// numpy.take(x, indices, axis, mode=mode): x's shape with the axis
/// replaced by indices' shape. Negative indices count from the end
/// (Raise, Wrap). An index out of bounds with Raise fails with numpy's
/// IndexError message ("index 5 is out of bounds for axis 0 with size 3").
llvm::Expected<NDArray> take(const NDArray &x, const NDArray &indices,
                             int64_t axis, TakeMode mode);

/// numpy.take_along_axis(x, indices, axis): `indices` has x's rank and
/// shape except along the axis; the result has indices' shape.
llvm::Expected<NDArray> takeAlongAxis(const NDArray &x, const NDArray &indices,
                                      int64_t axis);

/// Bins [lo, hi) of numpy.bincount(x, weights): the count of each value
/// of the 1-D integer x (int64), or with `weights` (f64, x's shape, may
/// be null) their sum in x's order (f64). A negative value is numpy's
/// error; a value of `length` or more (the whole result's length) an
/// IndexError sentence.
llvm::Expected<NDArray> bincount(const NDArray &x, const NDArray *weights,
                                 int64_t lo, int64_t hi, int64_t length);

/// numpy.put(x, indices, values, mode) on `block`, the part of an array of
/// `shape` that starts at `lo` (the whole array when `lo` is all zeros and
/// the block has `shape`): each flat position indices[k] (C order, k in C
/// order) inside the block gets values[k % values.size()], so later
/// positions win and short values repeat; empty values write nothing.
/// Every index is checked whichever block it falls in, so each block
/// reports numpy's first out-of-bounds index (IndexError sentence, axis 0
/// and the array's size) with Raise, or with any mode when the array is
/// empty.
llvm::Expected<NDArray> put(NDArray block, llvm::ArrayRef<int64_t> lo,
                            llvm::ArrayRef<int64_t> shape,
                            const NDArray &indices, const NDArray &values,
                            TakeMode mode);

} // namespace mars::numeric

#endif // MARS_NUMERIC_SORT_H
