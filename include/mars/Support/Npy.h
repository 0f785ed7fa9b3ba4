//===- Npy.h - numpy's .npy file format -------------------------*- C++ -*-===//
//
// Reads and writes numpy's own format (versions 1.0, 2.0 and 3.0 on read,
// 1.0 or 2.0 on write as numpy chooses): every Mars dtype (bool, the integers,
// float16/32/64), little-endian, in C order. Anything else (Fortran order, big-endian, other dtypes, a truncated
// or garbled file) is an error that names the file and says what is wrong.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_SUPPORT_NPY_H
#define MARS_SUPPORT_NPY_H

#include "mars/Numeric/NDArray.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>

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

/// Reads the box [lo, lo + sizes) of the array in `path`, whose header is
/// `header`, without reading the rest of the file.
llvm::Expected<numeric::NDArray> readNpyBox(llvm::StringRef path,
                                            const NpyHeader &header,
                                            llvm::ArrayRef<int64_t> lo,
                                            llvm::ArrayRef<int64_t> sizes);

/// Writes an .npy file box by box, so an array larger than memory can be
/// saved chunk by chunk. The data goes to a temporary file beside `path`
/// that replaces `path` on commit(); without commit() it is removed.
class NpyBoxWriter {
public:
  static llvm::Expected<std::unique_ptr<NpyBoxWriter>>
  create(llvm::StringRef path, numeric::DType dtype, numeric::Shape shape);
  /// Writes boxes into `tmpPath`, the temporary file of a writer that
  /// another process created for `path` and will commit (a cluster worker
  /// writing its chunks of a mars.save). The file is never removed or
  /// renamed from here; commit() only closes it.
  static llvm::Expected<std::unique_ptr<NpyBoxWriter>>
  attach(llvm::StringRef path, llvm::StringRef tmpPath, numeric::DType dtype,
         numeric::Shape shape);
  ~NpyBoxWriter();

  /// Where the data goes until commit().
  llvm::StringRef tmpPath() const { return tmpPath_; }

  /// Writes `box` (an array of the file's dtype) at `lo`.
  llvm::Error writeBox(llvm::ArrayRef<int64_t> lo, const numeric::NDArray &box);
  llvm::Error commit();

private:
  NpyBoxWriter() = default;
  std::string path_, tmpPath_;
  numeric::Shape shape_;
  uint64_t dataOffset_ = 0;
  int fd_ = -1;
  bool attached_ = false;
};

} // namespace mars

#endif // MARS_SUPPORT_NPY_H
