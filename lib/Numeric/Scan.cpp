//===- Scan.cpp - Cumulative sums and products along an axis -------------===//

#include "mars/Numeric/Scan.h"

#include "mars/Numeric/Kernels.h"

#include <cmath>
#include <type_traits>

using namespace mars;
using namespace mars::numeric;

const char *numeric::scanName(ScanFn fn) {
  switch (fn) {
  case ScanFn::Cumsum:
    return "cumsum";
  case ScanFn::Cumprod:
    return "cumprod";
  case ScanFn::NanCumsum:
    return "nancumsum";
  case ScanFn::NanCumprod:
    break;
  }
  return "nancumprod";
}

DType numeric::scanResultDType(DType input) {
  // numpy's add.accumulate of integers: the platform's (unsigned) long.
  if (isFloat(input))
    return input;
  return isUnsigned(input) ? DType::U64 : DType::I64;
}

namespace {

template <typename T, bool Product, bool NaNAs>
struct Step {
  static T input(T x) {
    if constexpr (NaNAs && std::is_floating_point_v<T>)
      return std::isnan(x) ? T(Product ? 1 : 0) : x;
    return x;
  }
  static T apply(T acc, T x) {
    if constexpr (std::is_integral_v<T>) {
      // Two's complement wrap-around, as numpy's integer loops.
      using U = std::make_unsigned_t<T>;
      return static_cast<T>(Product ? static_cast<U>(acc) * static_cast<U>(x)
                                    : static_cast<U>(acc) + static_cast<U>(x));
    } else {
      return Product ? acc * x : acc + x;
    }
  }
};

/// The scan over a (outer, n, inner) view of contiguous `in` into `out`;
/// `carry` is (outer, inner) or null.
template <typename T, typename S>
void scanLoop(const T *in, T *out, const T *carry, int64_t outer, int64_t n,
              int64_t inner) {
  for (int64_t o = 0; o < outer; ++o) {
    const T *x = in + o * n * inner;
    T *y = out + o * n * inner;
    if (n == 0)
      continue;
    if (carry) {
      const T *c = carry + o * inner;
      for (int64_t j = 0; j < inner; ++j)
        y[j] = S::apply(c[j], S::input(x[j]));
    } else {
      for (int64_t j = 0; j < inner; ++j)
        y[j] = S::input(x[j]);
    }
    if (inner == 1) {
      T acc = y[0];
      for (int64_t i = 1; i < n; ++i)
        y[i] = acc = S::apply(acc, S::input(x[i]));
      continue;
    }
    for (int64_t i = 1; i < n; ++i) {
      const T *xi = x + i * inner;
      const T *prev = y + (i - 1) * inner;
      T *yi = y + i * inner;
      for (int64_t j = 0; j < inner; ++j)
        yi[j] = S::apply(prev[j], S::input(xi[j]));
    }
  }
}

} // namespace

NDArray numeric::scan(ScanFn fn, const NDArray &x, int64_t axis,
                      const NDArray *carry) {
  const DType rt = scanResultDType(x.dtype());
  NDArray converted;
  const NDArray *in = &x;
  if (x.dtype() != rt) {
    converted = cast(x, rt);
    in = &converted;
  }
  NDArray out(rt, x.shape(), NDArray::uninitialized);
  const Shape &shape = x.shape();
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
    inner *= shape[d];
  const int64_t n = shape[axis];
  visitDType(rt, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      const T *c = carry ? carry->data<T>() : nullptr;
      const T *src = in->data<T>();
      T *dst = out.data<T>();
      switch (fn) {
      case ScanFn::Cumsum:
        return scanLoop<T, Step<T, false, false>>(src, dst, c, outer, n, inner);
      case ScanFn::Cumprod:
        return scanLoop<T, Step<T, true, false>>(src, dst, c, outer, n, inner);
      case ScanFn::NanCumsum:
        return scanLoop<T, Step<T, false, true>>(src, dst, c, outer, n, inner);
      case ScanFn::NanCumprod:
        return scanLoop<T, Step<T, true, true>>(src, dst, c, outer, n, inner);
      }
    }
  });
  return out;
}
