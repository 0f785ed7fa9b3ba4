//===- Sort.cpp - Sorting, searching and gathering along an axis ---------===//
//
// A lane is the 1-d run of elements along the axis at one (outer, inner)
// position of an (outer, n, inner) view. Sorting copies a lane into a
// contiguous buffer, moves NaNs to the end, and sorts only what the region
// [lo, hi) needs: two selections (nth_element) bound it and the part
// between them is sorted, so a chunk of the result costs O(n) plus the sort
// of its own elements.
//
//===----------------------------------------------------------------------===//

#include "mars/Numeric/Sort.h"

#include "mars/Numeric/Kernels.h"
#include "mars/Support/Error.h"

#include "llvm/ADT/StringSwitch.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <limits>
#include <queue>
#include <type_traits>
#include <vector>

using namespace mars;
using namespace mars::numeric;

namespace {

/// The (outer, n, inner) view of `shape` around `axis`.
struct LaneView {
  int64_t outer = 1, n = 1, inner = 1;
  LaneView(const Shape &shape, int64_t axis) {
    for (int64_t d = 0; d < axis; ++d)
      outer *= shape[d];
    n = shape[axis];
    for (size_t d = axis + 1; d < shape.size(); ++d)
      inner *= shape[d];
  }
};

/// The array for positions [lo, hi) along `axis` of x's shape.
NDArray rangeResult(const NDArray &x, DType dtype, int64_t axis, int64_t lo,
                    int64_t hi) {
  Shape shape = x.shape();
  shape[axis] = hi - lo;
  return NDArray(dtype, shape, NDArray::uninitialized);
}

/// numpy's sort order: NaN after every number.
template <typename T>
bool lessNaNLast(T a, T b) {
  if constexpr (std::is_floating_point_v<T>)
    return a < b || (std::isnan(b) && !std::isnan(a));
  return a < b;
}

/// Sorts [lo, hi) of `buf` (size n, NaN-free) into place: the elements there
/// are then those a full sort puts there, in order.
template <typename T, typename Less>
void sortRange(T *buf, int64_t n, int64_t lo, int64_t hi, Less less) {
  if (lo >= hi)
    return;
  if (lo > 0)
    std::nth_element(buf, buf + lo, buf + n, less);
  if (hi < n)
    std::nth_element(buf + lo, buf + hi, buf + n, less);
  std::sort(buf + lo, buf + hi, less);
}

/// Values of one lane, [lo, hi) of its sort, into `out` (stride `step`).
template <typename T>
void sortLaneValues(std::vector<T> &buf, int64_t lo, int64_t hi, T *out,
                    int64_t step) {
  const int64_t n = static_cast<int64_t>(buf.size());
  // NaNs to the end; the numbers before them.
  int64_t m = n;
  if constexpr (std::is_floating_point_v<T>)
    m = std::partition(buf.begin(), buf.end(),
                       [](T v) { return !std::isnan(v); }) -
        buf.begin();
  sortRange(buf.data(), m, std::min(lo, m), std::min(hi, m), std::less<T>());
  if constexpr (std::is_floating_point_v<T>) {
    // -0.0 and 0.0 compare equal: the zeros are one run, from the count of
    // negative numbers, and its first elements are the lane's -0.0s.
    int64_t zerosFrom = -1, negZeros = 0;
    for (int64_t p = std::max<int64_t>(lo, 0); p < std::min(hi, m); ++p) {
      if (buf[p] != 0)
        continue;
      if (zerosFrom < 0) {
        zerosFrom = 0;
        for (int64_t i = 0; i < m; ++i) {
          zerosFrom += buf[i] < 0;
          negZeros += buf[i] == 0 && std::signbit(buf[i]);
        }
      }
      buf[p] = p < zerosFrom + negZeros ? T(-0.0) : T(0.0);
    }
  }
  for (int64_t p = lo; p < hi; ++p)
    out[(p - lo) * step] = buf[p];
}

/// Positions of one lane that sort it stably, [lo, hi) of them, into `out`.
template <typename T>
void sortLaneIndices(std::vector<std::pair<T, int64_t>> &buf, int64_t lo,
                     int64_t hi, int64_t *out, int64_t step) {
  using P = std::pair<T, int64_t>;
  const int64_t n = static_cast<int64_t>(buf.size());
  int64_t m = n;
  // NaNs last, among themselves in their order (stable_partition keeps the
  // index order the buffer was filled in).
  if constexpr (std::is_floating_point_v<T>)
    m = std::stable_partition(buf.begin(), buf.end(),
                              [](const P &v) { return !std::isnan(v.first); }) -
        buf.begin();
  // Ties broken by position: a total order, so the selections are exact.
  auto less = [](const P &a, const P &b) {
    return a.first < b.first || (a.first == b.first && a.second < b.second);
  };
  sortRange(buf.data(), m, std::min(lo, m), std::min(hi, m), less);
  for (int64_t p = lo; p < hi; ++p)
    out[(p - lo) * step] = buf[p].second;
}

} // namespace

NDArray numeric::sortAlong(const NDArray &x, int64_t axis, int64_t lo,
                           int64_t hi, bool indices) {
  LaneView v(x.shape(), axis);
  NDArray out = rangeResult(x, indices ? DType::I64 : x.dtype(), axis, lo, hi);
  if (out.size() == 0)
    return out;
  const int64_t width = hi - lo;
  visitDType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    // bool sorts as its byte (false < true).
    using K = std::conditional_t<std::is_same_v<T, bool>, uint8_t, T>;
    const K *src = reinterpret_cast<const K *>(x.bytes());
    std::vector<K> values;
    std::vector<std::pair<K, int64_t>> pairs;
    for (int64_t o = 0; o < v.outer; ++o)
      for (int64_t j = 0; j < v.inner; ++j) {
        const K *lane = src + o * v.n * v.inner + j;
        const int64_t at = o * width * v.inner + j;
        if (indices) {
          pairs.resize(v.n);
          for (int64_t i = 0; i < v.n; ++i)
            pairs[i] = {lane[i * v.inner], i};
          sortLaneIndices(pairs, lo, hi, out.data<int64_t>() + at, v.inner);
        } else {
          values.resize(v.n);
          for (int64_t i = 0; i < v.n; ++i)
            values[i] = lane[i * v.inner];
          sortLaneValues(values, lo, hi,
                         reinterpret_cast<K *>(out.bytes()) + at, v.inner);
        }
      }
  });
  return out;
}

NDArray numeric::sortedAt(NDArray x, int64_t axis,
                          llvm::ArrayRef<int64_t> kth) {
  LaneView v(x.shape(), axis);
  const int64_t q = static_cast<int64_t>(kth.size());
  Shape shape = x.shape();
  shape[axis] = q;
  NDArray out(x.dtype(), shape, NDArray::uninitialized);
  if (out.size() == 0)
    return out;
  // The positions in increasing order: each selection then only searches
  // what is right of the one before.
  std::vector<int64_t> order(kth.begin(), kth.end());
  llvm::sort(order);
  order.erase(std::unique(order.begin(), order.end()), order.end());
  visitDType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using K = std::conditional_t<std::is_same_v<T, bool>, uint8_t, T>;
    // Contiguous lanes are selected where they are (x is ours); strided
    // ones are gathered first (not zeroed: every element is written).
    K *src = reinterpret_cast<K *>(x.bytes());
    K *dst = reinterpret_cast<K *>(out.bytes());
    std::unique_ptr<K[]> gathered(v.inner == 1 ? nullptr : new K[v.n]);
    std::vector<K> picked(order.size());
    for (int64_t o = 0; o < v.outer; ++o)
      for (int64_t j = 0; j < v.inner; ++j) {
        K *lane = src + o * v.n * v.inner + j;
        K *buf = lane;
        if (v.inner != 1) {
          buf = gathered.get();
          for (int64_t i = 0; i < v.n; ++i)
            buf[i] = lane[i * v.inner];
        }
        int64_t m = v.n;
        if constexpr (std::is_floating_point_v<K>)
          m = std::partition(buf, buf + v.n,
                             [](K e) { return !std::isnan(e); }) -
              buf;
        int64_t from = 0, zerosFrom = -1, negZeros = 0;
        for (size_t r = 0; r < order.size(); ++r) {
          const int64_t p = order[r];
          if (p >= m) { // past the numbers: a NaN
            picked[r] = buf[p];
            continue;
          }
          // The first or the last of what is left is a scan (the middle
          // pair of a median, its last element), not a selection.
          if (p == from)
            std::iter_swap(buf + p, std::min_element(buf + p, buf + m));
          else if (p == m - 1)
            std::iter_swap(buf + p, std::max_element(buf + from, buf + m));
          else
            std::nth_element(buf + from, buf + p, buf + m);
          // A run of consecutive positions after p (topk's, a window of
          // ranks) is the smallest of what is right of p, sorted: one
          // partial sort, O((m - p) log run), instead of a scan each.
          size_t run = 1;
          while (r + run < order.size() &&
                 order[r + run] == p + static_cast<int64_t>(run) &&
                 p + static_cast<int64_t>(run) < m)
            ++run;
          if (run > 1)
            std::partial_sort(buf + p + 1, buf + p + run, buf + m);
          from = p + static_cast<int64_t>(run);
          for (size_t i = 0; i < run; ++i) {
            K e = buf[p + i];
            if constexpr (std::is_floating_point_v<K>) {
              // As sortLaneValues: the zeros' run starts with the -0.0s.
              if (e == 0) {
                if (zerosFrom < 0) {
                  zerosFrom = 0;
                  for (int64_t j = 0; j < m; ++j) {
                    zerosFrom += buf[j] < 0;
                    negZeros += buf[j] == 0 && std::signbit(buf[j]);
                  }
                }
                e = p + static_cast<int64_t>(i) < zerosFrom + negZeros
                        ? K(-0.0)
                        : K(0.0);
              }
            }
            picked[r + i] = e;
          }
          r += run - 1;
        }
        const int64_t at = o * q * v.inner + j;
        for (int64_t k = 0; k < q; ++k)
          dst[at + k * v.inner] =
              picked[llvm::lower_bound(order, kth[k]) - order.begin()];
      }
  });
  return out;
}

NDArray numeric::sortRuns(const NDArray &x, int64_t axis, int64_t run,
                          int64_t lo, int64_t hi) {
  LaneView v(x.shape(), axis);
  NDArray out = rangeResult(x, x.dtype(), axis, lo, hi);
  if (out.size() == 0)
    return out;
  const size_t size = dtypeSize(x.dtype());
  // Each run overlapping [lo, hi): sorted on its own, its part copied out.
  for (int64_t start = lo / run * run; start < hi; start += run) {
    const int64_t end = std::min(start + run, v.n);
    std::vector<numeric::SliceDim> dims;
    for (int64_t d = 0; d < x.rank(); ++d)
      dims.push_back(d == axis ? numeric::SliceDim{start, 1, end - start}
                               : numeric::SliceDim{0, 1, x.shape()[d]});
    NDArray part = sortAlong(numeric::slice(x, dims), axis,
                             std::max(lo, start) - start,
                             std::min(hi, end) - start, /*indices=*/false);
    const int64_t width = part.shape()[axis] * v.inner;
    for (int64_t o = 0; o < v.outer; ++o)
      std::memcpy(out.bytes() + (o * (hi - lo) + std::max(lo, start) - lo) *
                                    v.inner * size,
                  part.bytes() + o * width * size, width * size);
  }
  return out;
}

namespace {

/// The order sortAlong sorts in, as unsigned keys: NaN last, -0.0 before
/// 0.0, false before true. Without branches (a negative number's bits
/// inverted, a positive one's sign set), so that loops over many elements
/// vectorize (radixHistogram).
template <typename T>
auto sortKey(T v) {
  if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
    using U = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;
    using S = std::make_signed_t<U>;
    constexpr U sign = U(1) << (sizeof(U) * 8 - 1);
    U u;
    std::memcpy(&u, &v, sizeof(u));
    const U k = u ^ (U(S(u) >> (sizeof(U) * 8 - 1)) | sign);
    return v != v ? ~U(0) : k;
  } else if constexpr (std::is_signed_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<U>(static_cast<U>(v) ^
                          (U(1) << (sizeof(U) * 8 - 1)));
  } else if constexpr (std::is_same_v<T, bool>) {
    return static_cast<uint8_t>(v);
  } else {
    return v; // Unsigned integers are their own keys.
  }
}

/// Per run of `lane` (sorted runs of `run` elements, n in all), how many of
/// its elements sort before global position r: those with smaller keys,
/// and of the key at position r, as many as needed, from the first runs.
template <typename T>
std::vector<int64_t> coRank(const T *lane, int64_t n, int64_t run,
                            int64_t r) {
  using K = decltype(sortKey(T()));
  constexpr K kMax = std::numeric_limits<K>::max();
  const int64_t k = (n + run - 1) / run;
  std::vector<int64_t> counts(k);
  auto below = [&](K key, int64_t i) { // elements of run i with smaller keys
    const T *b = lane + i * run, *e = lane + std::min(n, (i + 1) * run);
    return std::partition_point(b, e, [&](T x) { return sortKey(x) < key; }) -
           b;
  };
  if (r >= n) {
    for (int64_t i = 0; i < k; ++i)
      counts[i] = std::min(n, (i + 1) * run) - i * run;
    return counts;
  }
  // The key at position r: the smallest key with more than r elements at or
  // below it, by bisection over the key space.
  K lo = 0, hi = kMax;
  while (lo < hi) {
    K mid = lo + (hi - lo) / 2;
    int64_t atOrBelow = 0;
    for (int64_t i = 0; i < k && atOrBelow <= r; ++i)
      atOrBelow += mid == kMax ? std::min(n, (i + 1) * run) - i * run
                                : below(K(mid + 1), i);
    if (atOrBelow > r)
      hi = mid;
    else
      lo = mid + 1;
  }
  int64_t need = r;
  for (int64_t i = 0; i < k; ++i)
    need -= counts[i] = below(lo, i);
  // The ties at position r come from the first runs (the merge takes equal
  // keys in run order too).
  for (int64_t i = 0; i < k && need > 0; ++i) {
    int64_t ties = (lo == kMax ? std::min(n, (i + 1) * run) - i * run
                               : below(K(lo + 1), i)) -
                   counts[i];
    ties = std::min(ties, need);
    counts[i] += ties;
    need -= ties;
  }
  return counts;
}

} // namespace

NDArray numeric::mergeRuns(const NDArray &x, int64_t axis, int64_t run,
                           int64_t lo, int64_t hi) {
  LaneView v(x.shape(), axis);
  NDArray out = rangeResult(x, x.dtype(), axis, lo, hi);
  if (out.size() == 0)
    return out;
  visitDType(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using E = std::conditional_t<std::is_same_v<T, bool>, uint8_t, T>;
    const E *src = reinterpret_cast<const E *>(x.bytes());
    E *dst = reinterpret_cast<E *>(out.bytes());
    std::vector<E> copy;
    using K = decltype(sortKey(E()));
    for (int64_t o = 0; o < v.outer; ++o)
      for (int64_t j = 0; j < v.inner; ++j) {
        const E *lane = src + o * v.n * v.inner;
        if (v.inner != 1) {
          copy.resize(v.n);
          for (int64_t i = 0; i < v.n; ++i)
            copy[i] = src[(o * v.n + i) * v.inner + j];
          lane = copy.data();
        }
        std::vector<int64_t> from = coRank(lane, v.n, run, lo);
        std::vector<int64_t> to = coRank(lane, v.n, run, hi);
        // A k-way merge of the runs' parts: a heap of each part's next key.
        using Head = std::pair<K, int64_t>; // key, run
        std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heap;
        for (size_t i = 0; i < from.size(); ++i)
          if (from[i] < to[i])
            heap.push({sortKey(lane[i * run + from[i]]), int64_t(i)});
        E *at = dst + o * (hi - lo) * v.inner + j;
        // Runs that were not sorted (a misuse the verifier cannot see)
        // must not write past the result.
        int64_t left = hi - lo;
        while (!heap.empty() && left > 0) {
          int64_t i = heap.top().second;
          heap.pop();
          const E *r = lane + i * run;
          // Copy the run's elements that come before the next head (equal
          // keys: the earlier run first) at once.
          Head next = heap.empty()
                          ? Head{std::numeric_limits<K>::max(), INT64_MAX}
                          : heap.top();
          int64_t p = from[i];
          do {
            *at = r[p++];
            at += v.inner;
            --left;
          } while (p < to[i] && left > 0 && Head{sortKey(r[p]), i} < next);
          from[i] = p;
          if (p < to[i])
            heap.push({sortKey(r[p]), i});
        }
        for (; left > 0; --left, at += v.inner)
          *at = E();
      }
  });
  return out;
}

NDArray numeric::searchSorted(const NDArray &sorted, const NDArray &values,
                              bool right) {
  NDArray out(DType::I64, values.shape(), NDArray::uninitialized);
  int64_t *dst = out.data<int64_t>();
  const int64_t count = values.size();
  visitDType(values.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T *a = sorted.data<T>();
    const T *end = a + sorted.size();
    const T *q = values.data<T>();
    for (int64_t i = 0; i < count; ++i)
      dst[i] = (right ? std::upper_bound(a, end, q[i], lessNaNLast<T>)
                      : std::lower_bound(a, end, q[i], lessNaNLast<T>)) -
               a;
  });
  return out;
}

const char *numeric::takeModeName(TakeMode mode) {
  switch (mode) {
  case TakeMode::Raise:
    return "raise";
  case TakeMode::Wrap:
    return "wrap";
  case TakeMode::Clip:
    break;
  }
  return "clip";
}

std::optional<TakeMode> numeric::parseTakeMode(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<TakeMode>>(name)
      .Case("raise", TakeMode::Raise)
      .Case("wrap", TakeMode::Wrap)
      .Case("clip", TakeMode::Clip)
      .Default(std::nullopt);
}

/// Index `i` of an axis of size n under `mode`, or -1 when out of bounds
/// (Raise).
static int64_t resolveIndex(int64_t i, int64_t n, TakeMode mode) {
  switch (mode) {
  case TakeMode::Raise:
    if (i < -n || i >= n)
      return -1;
    return i < 0 ? i + n : i;
  case TakeMode::Wrap: {
    int64_t r = i % n;
    return r < 0 ? r + n : r;
  }
  case TakeMode::Clip:
    break;
  }
  return std::clamp<int64_t>(i, 0, n - 1);
}

static llvm::Error outOfBounds(int64_t index, int64_t axis, int64_t n) {
  return makeError("index " + llvm::Twine(index) +
                   " is out of bounds for axis " + llvm::Twine(axis) +
                   " with size " + llvm::Twine(n));
}

/// Copies element `from` of `x` to element `to` of `out` (same dtype).
static void copyElement(const NDArray &x, int64_t from, NDArray &out,
                        int64_t to, size_t size) {
  std::memcpy(out.bytes() + to * size, x.bytes() + from * size, size);
}

llvm::Expected<NDArray> numeric::take(const NDArray &x, const NDArray &indices,
                                      int64_t axis, TakeMode mode) {
  LaneView v(x.shape(), axis);
  const int64_t m = indices.size();
  Shape shape(x.shape().begin(), x.shape().begin() + axis);
  shape.insert(shape.end(), indices.shape().begin(), indices.shape().end());
  shape.insert(shape.end(), x.shape().begin() + axis + 1, x.shape().end());
  NDArray out(x.dtype(), shape, NDArray::uninitialized);
  if (out.size() == 0)
    return out;
  if (v.n == 0)
    return makeError("cannot do a non-empty take from an empty axes.");
  std::vector<int64_t> at(m);
  for (int64_t k = 0; k < m; ++k) {
    int64_t i = indices.getInt(k);
    at[k] = resolveIndex(i, v.n, mode);
    if (at[k] < 0)
      return outOfBounds(i, axis, v.n);
  }
  const size_t size = dtypeSize(x.dtype());
  const uint8_t *src = x.bytes();
  uint8_t *dst = out.bytes();
  const size_t row = v.inner * size;
  for (int64_t o = 0; o < v.outer; ++o)
    for (int64_t k = 0; k < m; ++k)
      std::memcpy(dst + (o * m + k) * row, src + (o * v.n + at[k]) * row, row);
  return out;
}

llvm::Expected<NDArray> numeric::takeAlongAxis(const NDArray &x,
                                               const NDArray &indices,
                                               int64_t axis) {
  LaneView v(x.shape(), axis);
  const int64_t m = indices.shape()[axis];
  NDArray out(x.dtype(), indices.shape(), NDArray::uninitialized);
  if (out.size() == 0)
    return out;
  const size_t size = dtypeSize(x.dtype());
  for (int64_t o = 0; o < v.outer; ++o)
    for (int64_t k = 0; k < m; ++k)
      for (int64_t j = 0; j < v.inner; ++j) {
        const int64_t to = (o * m + k) * v.inner + j;
        int64_t i = indices.getInt(to);
        int64_t r = resolveIndex(i, v.n, TakeMode::Raise);
        if (r < 0)
          return outOfBounds(i, axis, v.n);
        copyElement(x, (o * v.n + r) * v.inner + j, out, to, size);
      }
  return out;
}

llvm::Expected<NDArray> numeric::put(NDArray block, llvm::ArrayRef<int64_t> lo,
                                     llvm::ArrayRef<int64_t> shape,
                                     const NDArray &indices,
                                     const NDArray &values, TakeMode mode) {
  const int64_t m = indices.size(), nv = values.size();
  if (m == 0 || nv == 0)
    return std::move(block);
  const int64_t n = numElements(Shape(shape.begin(), shape.end()));
  const int64_t rank = static_cast<int64_t>(shape.size());
  const Shape &bs = block.shape();
  const bool whole = bs == Shape(shape.begin(), shape.end());
  // Row-major strides of the block, to place a position found inside it.
  Shape strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * bs[d + 1];
  const size_t size = dtypeSize(block.dtype());
  const uint8_t *src = values.bytes();
  uint8_t *dst = block.size() ? block.bytes() : nullptr;
  for (int64_t k = 0; k < m; ++k) {
    const int64_t i = indices.getInt(k);
    const int64_t at = n == 0 ? -1 : resolveIndex(i, n, mode);
    if (at < 0)
      return outOfBounds(i, 0, n);
    int64_t local = 0;
    if (whole) {
      local = at;
    } else {
      int64_t rest = at;
      bool inside = true;
      for (int64_t d = rank - 1; d >= 0; --d) {
        const int64_t c = rest % shape[d] - lo[d];
        rest /= shape[d];
        if (c < 0 || c >= bs[d]) {
          inside = false;
          break;
        }
        local += c * strides[d];
      }
      if (!inside)
        continue;
    }
    std::memcpy(dst + local * size, src + (k % nv) * size, size);
  }
  return std::move(block);
}

llvm::Expected<NDArray> numeric::bincount(const NDArray &x,
                                          const NDArray *weights, int64_t lo,
                                          int64_t hi, int64_t length) {
  NDArray out(weights ? DType::F64 : DType::I64, {hi - lo});
  const int64_t n = x.size();
  for (int64_t i = 0; i < n; ++i) {
    const int64_t v = x.getInt(i);
    if (v < 0)
      return makeError("'list' argument must have no negative elements");
    if (v >= length)
      return outOfBounds(v, 0, length);
    if (v < lo || v >= hi)
      continue;
    if (weights)
      out.data<double>()[v - lo] += weights->data<double>()[i];
    else
      ++out.data<int64_t>()[v - lo];
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Radix selection
//===----------------------------------------------------------------------===//

namespace {

/// sortKey's inverse: the element of T with key `k` (NaN's key gives a
/// NaN).
template <typename T, typename K>
T fromSortKey(K k) {
  if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
    constexpr K sign = K(1) << (sizeof(K) * 8 - 1);
    if (k == ~K(0))
      return std::numeric_limits<T>::quiet_NaN();
    K u = (k & sign) ? K(k & ~sign) : K(~k);
    T v;
    std::memcpy(&v, &u, sizeof(v));
    return v;
  } else if constexpr (std::is_same_v<T, bool>) {
    return k != 0;
  } else if constexpr (std::is_signed_v<T>) {
    return static_cast<T>(static_cast<K>(k ^ (K(1) << (sizeof(K) * 8 - 1))));
  } else {
    return static_cast<T>(k);
  }
}

} // namespace

int64_t numeric::radixKeyBits(DType dtype) {
  return visitDType(dtype, [](auto t) -> int64_t {
    return 8 * sizeof(decltype(sortKey(t)));
  });
}

NDArray numeric::radixStart(llvm::ArrayRef<int64_t> kth) {
  const int64_t q = static_cast<int64_t>(kth.size());
  NDArray state(DType::I64, {2 * q});
  for (int64_t j = 0; j < q; ++j)
    state.data<int64_t>()[2 * j + 1] = kth[j];
  return state;
}

NDArray numeric::radixHistogram(const NDArray &x, const NDArray &state,
                                int64_t rows, int64_t shift) {
  const int64_t n = x.size();
  const int64_t q = state.size() / 2;
  const int64_t parts = (n + rows - 1) / rows;
  NDArray out(DType::I64, {parts, q * kRadixDigits});
  const int64_t *st = state.data<int64_t>();
  const int64_t high = shift + 16; // the key bits above the digit are chosen
  visitDType(x.dtype(), [&](auto t) {
    using T = decltype(t);
    using K = decltype(sortKey(T()));
    const bool all = high >= int64_t(8 * sizeof(K)); // every key qualifies
    // The positions by the key bits chosen for them: each group is counted
    // once, in one scan of the part.
    std::vector<uint64_t> prefixes;
    std::vector<int64_t> groupOf(q);
    for (int64_t j = 0; j < q; ++j) {
      const uint64_t prefix =
          all ? 0 : static_cast<uint64_t>(st[2 * j]) >> high;
      auto it = std::find(prefixes.begin(), prefixes.end(), prefix);
      groupOf[j] = it - prefixes.begin();
      if (it == prefixes.end())
        prefixes.push_back(prefix);
    }
    const int64_t groups = static_cast<int64_t>(prefixes.size());
    const uint64_t *want = prefixes.data();
    // 32-bit counters, over runs of at most 2^31 elements added into the
    // row; four copies in the first pass, where runs of equal digits would
    // otherwise wait on each other's increments.
    const int64_t copies = all ? 4 : 1;
    constexpr int64_t kRun = int64_t(1) << 31;
    std::vector<uint32_t> counts(groups * copies * kRadixDigits);
    const T *p = x.data<T>();
    auto countRun = [&](int64_t lo, int64_t hi) {
      uint32_t *c = counts.data();
      if (all) {
        int64_t i = lo;
        for (; i + 4 <= hi; i += 4)
          for (int64_t u = 0; u < 4; ++u)
            ++c[u * kRadixDigits +
                ((uint64_t(sortKey(p[i + u])) >> shift) & 0xFFFF)];
        for (; i < hi; ++i)
          ++c[(uint64_t(sortKey(p[i])) >> shift) & 0xFFFF];
        return;
      }
      // Few keys start with a group's bits after the first pass: blocks of
      // 8 elements are tested without a branch per element, and only a
      // block with a match is counted, element by element (2.5x faster on
      // random doubles than a branch per element and group).
      auto count = [&](int64_t i) {
        const uint64_t k = sortKey(p[i]);
        const uint64_t digit = (k >> shift) & 0xFFFF;
        for (int64_t g = 0; g < groups; ++g)
          c[g * kRadixDigits + digit] += (k >> high) == want[g];
      };
      int64_t i = lo;
      for (; i + 8 <= hi; i += 8) {
        uint64_t top[8];
        for (int u = 0; u < 8; ++u)
          top[u] = uint64_t(sortKey(p[i + u])) >> high;
        bool hit = false;
        for (int64_t g = 0; g < groups; ++g) {
          bool h = false;
          for (int u = 0; u < 8; ++u)
            h |= top[u] == want[g];
          hit |= h;
        }
        if (hit)
          for (int u = 0; u < 8; ++u)
            count(i + u);
      }
      for (; i < hi; ++i)
        count(i);
    };
    for (int64_t r = 0; r < parts; ++r) {
      int64_t *row = out.data<int64_t>() + r * q * kRadixDigits;
      for (int64_t lo = r * rows, end = std::min(n, lo + rows); lo < end;
           lo += kRun) {
        std::fill(counts.begin(), counts.end(), 0);
        countRun(lo, std::min(end, lo + kRun));
        for (int64_t j = 0; j < q; ++j) {
          int64_t *h = row + j * kRadixDigits;
          const uint32_t *c = counts.data() + groupOf[j] * copies * kRadixDigits;
          for (int64_t d = 0; d < kRadixDigits; ++d)
            for (int64_t u = 0; u < copies; ++u)
              h[d] += c[u * kRadixDigits + d];
        }
      }
    }
  });
  return out;
}

NDArray numeric::radixPick(const NDArray &counts, const NDArray &state,
                           int64_t shift) {
  const int64_t q = state.size() / 2;
  NDArray next(DType::I64, {2 * q});
  const int64_t *st = state.data<int64_t>();
  int64_t *out = next.data<int64_t>();
  for (int64_t j = 0; j < q; ++j) {
    const int64_t *c = counts.data<int64_t>() + j * kRadixDigits;
    int64_t rank = st[2 * j + 1], d = 0;
    for (; d + 1 < kRadixDigits && rank >= c[d]; ++d)
      rank -= c[d];
    out[2 * j] = static_cast<int64_t>(static_cast<uint64_t>(st[2 * j]) |
                                      (static_cast<uint64_t>(d) << shift));
    out[2 * j + 1] = rank;
  }
  return next;
}

NDArray numeric::radixValue(const NDArray &state, DType dtype) {
  const int64_t q = state.size() / 2;
  NDArray out(dtype, {q}, NDArray::uninitialized);
  visitDType(dtype, [&](auto t) {
    using T = decltype(t);
    using K = decltype(sortKey(T()));
    for (int64_t j = 0; j < q; ++j)
      out.data<T>()[j] = fromSortKey<T>(
          static_cast<K>(static_cast<uint64_t>(state.data<int64_t>()[2 * j])));
  });
  return out;
}
