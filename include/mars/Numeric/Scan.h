//===- Scan.h - Cumulative sums and products along an axis -----*- C++ -*-===//
//
// numpy's cumsum, cumprod, nancumsum and nancumprod. A scan is sequential
// along its axis: element i combines element i - 1 of the result with
// element i of the input, in that order, so a scan continued from the
// previous chunk's last elements (the carry) gives numpy's result bit for
// bit, however the axis is chunked.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_NUMERIC_SCAN_H
#define MARS_NUMERIC_SCAN_H

#include "mars/Numeric/NDArray.h"

namespace mars::numeric {

enum class ScanFn : uint8_t { Cumsum, Cumprod, NanCumsum, NanCumprod };

/// numpy's name of the scan ("cumsum", ...).
const char *scanName(ScanFn fn);

/// The dtype numpy accumulates in: int64 for bool and int32 (numpy's
/// default integer), the input's own otherwise.
DType scanResultDType(DType input);

/// The scan of `x` along `axis` (0 <= axis < rank), in scanResultDType. With
/// `carry` (the result's elements just before `x` along the axis: x's shape
/// with 1 on the axis, in the result dtype), the scan continues from it;
/// without, it starts at x's first element (numpy copies it: cumsum of -0.0
/// is -0.0). The nan scans read NaN as 0 (sum) or 1 (product). Integers
/// wrap on overflow, as numpy's do.
NDArray scan(ScanFn fn, const NDArray &x, int64_t axis,
             const NDArray *carry = nullptr);

} // namespace mars::numeric

#endif // MARS_NUMERIC_SCAN_H
