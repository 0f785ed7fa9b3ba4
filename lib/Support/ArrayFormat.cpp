//===- ArrayFormat.cpp - Print arrays the way numpy does ------------------===//
//
// A port of the parts of numpy/core/arrayprint.py that str() uses with the
// default options: FloatingFormat in "maxprec" mode, IntegerFormat,
// BoolFormat, and _formatArray's line wrapping and summarisation.
//
//===----------------------------------------------------------------------===//

#include "mars/Support/ArrayFormat.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <functional>

using namespace mars;
using namespace mars::numeric;

namespace {

constexpr int kPrecision = 8;
constexpr int kLineWidth = 75;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;

template <typename T>
std::string toChars(T v, std::chars_format fmt) {
  char buf[128];
  auto r = std::to_chars(buf, buf + sizeof(buf), v, fmt);
  return std::string(buf, r.ptr);
}
template <typename T>
std::string toChars(T v, std::chars_format fmt, int precision) {
  char buf[512];
  auto r = std::to_chars(buf, buf + sizeof(buf), v, fmt, precision);
  return std::string(buf, r.ptr);
}

void trimZeros(std::string &s) {
  while (!s.empty() && s.back() == '0')
    s.pop_back();
}

/// Shortest round-trip digits, at most kPrecision after the point; keeps a
/// trailing '.' for integral values ("1.", "2.5"). Returns {int, frac}.
template <typename T>
std::pair<std::string, std::string> positional(T v) {
  std::string s = toChars(v, std::chars_format::fixed);
  size_t dot = s.find('.');
  if (dot != std::string::npos && s.size() - dot - 1 > kPrecision) {
    s = toChars(v, std::chars_format::fixed, kPrecision);
    trimZeros(s);
    dot = s.find('.');
  }
  if (dot == std::string::npos)
    return {s, ""};
  return {s.substr(0, dot), s.substr(dot + 1)};
}

/// Scientific: mantissa integer digit, fraction digits, exponent.
struct Scientific {
  std::string intPart, frac;
  int exponent;
};
template <typename T>
Scientific scientific(T v, std::optional<int> precision) {
  std::string s = precision ? toChars(v, std::chars_format::scientific, *precision)
                            : toChars(v, std::chars_format::scientific);
  size_t e = s.find('e');
  std::string mant = s.substr(0, e);
  int exponent = std::stoi(s.substr(e + 1));
  size_t dot = mant.find('.');
  Scientific r{mant.substr(0, dot),
               dot == std::string::npos ? "" : mant.substr(dot + 1), exponent};
  if (!precision && static_cast<int>(r.frac.size()) > kPrecision) {
    r = scientific(v, kPrecision);
    trimZeros(r.frac);
  }
  return r;
}

/// Formats the elements of a float array (FloatingFormat, maxprec mode).
template <typename T>
class FloatFormat {
public:
  explicit FloatFormat(const std::vector<T> &shown) {
    std::vector<T> finite;
    for (T v : shown)
      if (std::isfinite(v))
        finite.push_back(v);
    bool haveNonFinite = finite.size() != shown.size();
    T maxAbs = 0, minAbs = std::numeric_limits<T>::infinity();
    bool anyNonZero = false;
    for (T v : finite)
      if (v != 0) {
        anyNonZero = true;
        maxAbs = std::max(maxAbs, std::fabs(v));
        minAbs = std::min(minAbs, std::fabs(v));
      }
    if (anyNonZero)
      exp_ = maxAbs >= T(1e8) || minAbs < T(0.0001) ||
             static_cast<double>(maxAbs) / minAbs > 1000.0;
    if (exp_) {
      size_t expDigits = 0;
      for (T v : finite) {
        Scientific s = scientific(v, std::nullopt);
        precision_ = std::max<int>(precision_, s.frac.size());
        padLeft_ = std::max<int>(padLeft_, s.intPart.size());
        expDigits = std::max(expDigits,
                             std::to_string(std::abs(s.exponent)).size());
      }
      expSize_ = std::max<size_t>(expDigits, 2);
      padRight_ = expSize_ + 2 + precision_;
    } else {
      for (T v : finite) {
        auto [ip, fp] = positional(v);
        padLeft_ = std::max<int>(padLeft_, ip.size());
        padRight_ = std::max<int>(padRight_, fp.size());
      }
    }
    if (haveNonFinite) {
      bool negInf = false;
      for (T v : shown)
        negInf |= std::isinf(v) && v < 0;
      int offset = padRight_ + 1;
      padLeft_ = std::max(padLeft_, 3 - offset);
      padLeft_ = std::max(padLeft_, 3 + (negInf ? 1 : 0) - offset);
    }
  }

  std::string operator()(T v) const {
    if (!std::isfinite(v)) {
      std::string r = std::isnan(v) ? "nan" : (v < 0 ? "-inf" : "inf");
      return pad(r, padLeft_ + padRight_ + 1);
    }
    if (exp_) {
      Scientific s = scientific(v, precision_);
      std::string e = std::to_string(std::abs(s.exponent));
      e.insert(0, expSize_ - std::min(expSize_, e.size()), '0');
      std::string r = pad(s.intPart, padLeft_) + "." + s.frac + "e" +
                      (s.exponent < 0 ? "-" : "+") + e;
      return r;
    }
    auto [ip, fp] = positional(v);
    return pad(ip, padLeft_) + "." + fp + std::string(padRight_ - fp.size(), ' ');
  }

private:
  static std::string pad(const std::string &s, int width) {
    return std::string(std::max<int>(0, width - static_cast<int>(s.size())),
                       ' ') + s;
  }
  bool exp_ = false;
  int precision_ = 0, padLeft_ = 0, padRight_ = 0;
  size_t expSize_ = 0;
};

/// str() of a numpy float scalar: Python's repr rule (shortest round-trip
/// digits; scientific when the exponent is < -4 or >= 16).
template <typename T>
std::string floatScalar(T v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v < 0 ? "-inf" : "inf";
  Scientific s = scientific(v, std::nullopt);
  // s.frac holds the remaining digits without the trailing zeros to_chars drops.
  if (s.exponent < -4 || s.exponent >= 16) {
    std::string e = std::to_string(std::abs(s.exponent));
    if (e.size() < 2)
      e.insert(0, "0");
    return s.intPart + (s.frac.empty() ? "" : "." + s.frac) + "e" +
           (s.exponent < 0 ? "-" : "+") + e;
  }
  std::string f = toChars(v, std::chars_format::fixed);
  if (f.find('.') == std::string::npos)
    f += ".0";
  return f;
}

/// Walks the shown elements (all, or numpy's summarised subset) in C order.
void forEachShown(const Shape &shape, bool summarise,
                  const std::function<void(int64_t)> &fn) {
  Shape strides = contiguousStrides(shape);
  std::function<void(size_t, int64_t)> rec = [&](size_t axis, int64_t base) {
    if (axis == shape.size())
      return fn(base);
    int64_t n = shape[axis];
    bool cut = summarise && n > 2 * kEdgeItems;
    for (int64_t i = 0; i < n; ++i) {
      if (cut && i == kEdgeItems)
        i = n - kEdgeItems;
      rec(axis + 1, base + i * strides[axis]);
    }
  };
  rec(0, 0);
}

void extendLine(std::string &s, std::string &line, const std::string &word,
                size_t width, const std::string &nextLinePrefix) {
  bool wrap = line.size() + word.size() > width;
  if (line.size() <= nextLinePrefix.size())
    wrap = false;
  if (wrap) {
    size_t end = line.find_last_not_of(' ');
    s += line.substr(0, end == std::string::npos ? 0 : end + 1) + "\n";
    line = nextLinePrefix;
  }
  line += word;
}

/// numpy's _formatArray with separator ' '.
std::string formatNested(const Shape &shape, bool summarise,
                         const std::function<std::string(int64_t)> &elem) {
  Shape strides = contiguousStrides(shape);
  const std::string summaryInsert = "...";
  std::function<std::string(size_t, int64_t, const std::string &, int)> rec =
      [&](size_t axis, int64_t base, const std::string &hanging,
          int currWidth) -> std::string {
    if (axis == shape.size())
      return elem(base);
    std::string nextHanging = hanging + " ";
    int nextWidth = currWidth - 1;
    int64_t n = shape[axis];
    bool showSummary = summarise && 2 * kEdgeItems < n;
    int64_t leading = showSummary ? kEdgeItems : 0;
    int64_t trailing = showSummary ? kEdgeItems : n;
    size_t axesLeft = shape.size() - axis;
    std::string s;
    auto at = [&](int64_t i) { return base + i * strides[axis]; };
    if (axesLeft == 1) {
      size_t elemWidth = currWidth - 1;
      std::string line = hanging;
      for (int64_t i = 0; i < leading; ++i) {
        extendLine(s, line, rec(axis + 1, at(i), nextHanging, nextWidth),
                   elemWidth, hanging);
        line += " ";
      }
      if (showSummary) {
        extendLine(s, line, summaryInsert, elemWidth, hanging);
        line += " ";
      }
      for (int64_t i = trailing; i > 1; --i) {
        extendLine(s, line, rec(axis + 1, at(n - i), nextHanging, nextWidth),
                   elemWidth, hanging);
        line += " ";
      }
      extendLine(s, line, rec(axis + 1, at(n - 1), nextHanging, nextWidth),
                 elemWidth, hanging);
      s += line;
    } else {
      std::string lineSep = "\n" + std::string(axesLeft - 1 - 1, '\n');
      for (int64_t i = 0; i < leading; ++i)
        s += hanging + rec(axis + 1, at(i), nextHanging, nextWidth) + lineSep;
      if (showSummary)
        s += hanging + summaryInsert + lineSep;
      for (int64_t i = trailing; i > 1; --i)
        s += hanging + rec(axis + 1, at(n - i), nextHanging, nextWidth) +
             lineSep;
      s += hanging + rec(axis + 1, at(n - 1), nextHanging, nextWidth);
    }
    return "[" + s.substr(hanging.size()) + "]";
  };
  return rec(0, 0, " ", kLineWidth);
}

} // namespace

/// str() of a numpy scalar.
template <typename T>
std::string scalarString(T v) {
  if constexpr (std::is_same_v<T, bool>)
    return v ? "True" : "False";
  else if constexpr (std::is_floating_point_v<T>)
    return floatScalar(v);
  else
    return std::to_string(v);
}

/// str() of a scipy.sparse matrix: "  (row, col)\tvalue" per stored
/// element, in row order (scipy 1.10).
std::string formatSparse(const NDArray &array) {
  return visitDType(array.dtype(), [&](auto tag) -> std::string {
    using T = decltype(tag);
    const int64_t *ptr = array.indptr(), *idx = array.indices();
    const T *val = array.values<T>();
    std::string s;
    for (int64_t r = 0, rows = array.shape()[0]; r < rows; ++r)
      for (int64_t j = ptr[r]; j < ptr[r + 1]; ++j)
        s += (s.empty() ? "  (" : "\n  (") + std::to_string(r) + ", " +
             std::to_string(idx[j]) + ")\t" + scalarString(val[j]);
    return s;
  });
}

/// The shortest decimal that reads back as `h` (numpy's float16 repr),
/// as the double nearest it: formatting that double as float64 prints
/// those digits. (Of the finite float16 values one prints otherwise than
/// numpy: 2^-6, where two 4-digit decimals are equally near and numpy's
/// Dragon4 takes 0.01563, to_chars's rounding 0.01562.)
static double shortestDecimal(Half h) {
  const double exact = static_cast<double>(h);
  if (!std::isfinite(exact) || exact == 0)
    return exact;
  for (int digits = 1; digits < 17; ++digits) {
    std::string s = toChars(exact, std::chars_format::scientific, digits - 1);
    double back = std::strtod(s.c_str(), nullptr);
    if (Half::fromDouble(back).bits == h.bits)
      return back;
  }
  return exact;
}

/// A complex array as numpy prints it: each element's real part in the
/// format of all real parts, then the imaginary part's sign, its magnitude
/// in the format of all imaginary parts and "j" ("[1.+2.j  3.-4.5j]").
template <typename T>
std::string formatComplex(const NDArray &array) {
  const T *parts = reinterpret_cast<const T *>(array.bytes());
  auto text = [](T re, T im, auto &&fmtRe, auto &&fmtIm) {
    std::string i = fmtIm(std::fabs(im));
    i.erase(0, i.find_first_not_of(' '));
    i.erase(i.find_last_not_of(' ') + 1);
    return fmtRe(re) + (std::signbit(im) ? "-" : "+") + i + "j";
  };
  if (array.rank() == 0) {
    auto scalar = [](T v) { return floatScalar(v); };
    return "(" + text(parts[0], parts[1], scalar, scalar) + ")";
  }
  if (array.size() == 0)
    return "[]";
  const bool summarise = array.size() > kThreshold;
  std::vector<T> re, im;
  forEachShown(array.shape(), summarise, [&](int64_t i) {
    re.push_back(parts[2 * i]);
    im.push_back(std::fabs(parts[2 * i + 1]));
  });
  FloatFormat<T> fmtRe(re), fmtIm(im);
  std::vector<std::string> shown;
  size_t width = 0;
  forEachShown(array.shape(), summarise, [&](int64_t i) {
    shown.push_back(text(parts[2 * i], parts[2 * i + 1], fmtRe, fmtIm));
    width = std::max(width, shown.back().size());
  });
  return formatNested(array.shape(), summarise, [&](int64_t i) {
    std::string s = text(parts[2 * i], parts[2 * i + 1], fmtRe, fmtIm);
    return s + std::string(width - std::min(width, s.size()), ' ');
  });
}

std::string mars::formatArray(const NDArray &array) {
  if (array.isSparse())
    return formatSparse(array);
  if (array.dtype() == DType::C64)
    return formatComplex<float>(array);
  if (array.dtype() == DType::C128)
    return formatComplex<double>(array);
  if (array.dtype() == DType::F16) {
    NDArray shortest(DType::F64, array.shape());
    for (int64_t i = 0; i < array.size(); ++i)
      shortest.data<double>()[i] = shortestDecimal(array.data<Half>()[i]);
    return formatArray(shortest);
  }
  if (array.rank() == 0) {
    return visitDType(array.dtype(), [&](auto tag) -> std::string {
      using T = decltype(tag);
      return scalarString(array.data<T>()[0]);
    });
  }
  if (array.size() == 0)
    return "[]";
  const bool summarise = array.size() > kThreshold;
  return visitDType(array.dtype(), [&](auto tag) -> std::string {
    using T = decltype(tag);
    const T *data = array.data<T>();
    std::vector<T> shown;
    forEachShown(array.shape(), summarise,
                 [&](int64_t i) { shown.push_back(data[i]); });
    std::function<std::string(int64_t)> elem;
    if constexpr (std::is_same_v<T, bool>) {
      elem = [&](int64_t i) -> std::string {
        return data[i] ? " True" : "False";
      };
      return formatNested(array.shape(), summarise, elem);
    } else if constexpr (std::is_floating_point_v<T>) {
      FloatFormat<T> fmt(shown);
      elem = [&](int64_t i) { return fmt(data[i]); };
      return formatNested(array.shape(), summarise, elem);
    } else {
      size_t width = 0;
      for (T v : shown)
        width = std::max(width, std::to_string(v).size());
      elem = [&](int64_t i) {
        std::string s = std::to_string(data[i]);
        return std::string(width - s.size(), ' ') + s;
      };
      return formatNested(array.shape(), summarise, elem);
    }
  });
}
