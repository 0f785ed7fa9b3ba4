//===- Npy.h - numpy's .npy file format -------------------------*- C++ -*-===//
//
// Reads and writes numpy's own format (versions 1.0, 2.0 and 3.0 on read,
// 1.0 or 2.0 on write as numpy chooses): little-endian f32/f64/i32/i64/bool in
// C order. Anything else (Fortran order, big-endian, other dtypes, a truncated
// or garbled file) is an error that names the file and says what is wrong.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_SUPPORT_NPY_H
#define MARS_SUPPORT_NPY_H

#include "mars/Numeric/NDArray.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace mars {

struct NpyHeader {
  numeric::DType dtype;
  numeric::Shape shape;
  /// Byte offset of the first element in the file.
  uint64_t dataOffset;
};

/// Parses the header at the start of `bytes` (the beginning of a file).
llvm::Expected<NpyHeader> parseNpyHeader(llvm::StringRef bytes);
/// Reads the header of `path` (without reading the data).
llvm::Expected<NpyHeader> readNpyHeader(llvm::StringRef path);
/// Reads the whole array in `path`.
llvm::Expected<numeric::NDArray> readNpy(llvm::StringRef path);
/// Writes `array` to `path`, replacing it atomically (write, then rename).
llvm::Error writeNpy(llvm::StringRef path, const numeric::NDArray &array);

} // namespace mars

#endif // MARS_SUPPORT_NPY_H
