//===- ArrayFormat.h - Print arrays the way numpy does ----------*- C++ -*-===//

#ifndef MARS_SUPPORT_ARRAYFORMAT_H
#define MARS_SUPPORT_ARRAYFORMAT_H

#include "mars/Numeric/NDArray.h"

#include <string>

namespace mars {

/// Formats `array` as numpy's str() does with default print options:
/// precision 8 ("maxprec" float mode), line width 75, arrays of more than 1000
/// elements summarised with 3 edge items and "...". A 0-d array prints as its
/// scalar (floats with the shortest repr that round-trips). A sparse matrix
/// prints as scipy.sparse prints one: its stored elements, one per line.
std::string formatArray(const numeric::NDArray &array);

} // namespace mars

#endif // MARS_SUPPORT_ARRAYFORMAT_H
