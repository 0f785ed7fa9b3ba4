//===- Npy.cpp - numpy's .npy file format ---------------------------------===//
//
// Layout (numpy/lib/format.py): the magic "\x93NUMPY", a major and a minor
// version byte, the header length (2 bytes little-endian for version 1, 4 for
// versions 2 and 3), then a Python dict literal such as
//   {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
// padded with spaces and a newline so the data starts on a 64-byte boundary.
//
//===----------------------------------------------------------------------===//

#include "mars/Support/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include "llvm/ADT/ScopeExit.h"

#include <fcntl.h>
#include <limits>
#include <sys/stat.h>
#include <unistd.h>

using namespace mars;
using namespace mars::numeric;
using llvm::StringRef;

namespace {

constexpr StringRef kMagic("\x93NUMPY", 6);

llvm::Error headerError(const llvm::Twine &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "invalid .npy header: " + what);
}

/// A cursor over the header dict literal. Each parse method skips leading
/// blanks and returns false (with `error` set) on malformed input.
struct DictParser {
  StringRef rest;
  std::string error;

  void skipBlanks() { rest = rest.ltrim(" \t\r\n"); }
  bool fail(const llvm::Twine &msg) {
    if (error.empty())
      error = msg.str();
    return false;
  }
  bool consume(char c) {
    skipBlanks();
    if (rest.empty() || rest.front() != c)
      return fail(llvm::Twine("expected '") + llvm::Twine(c) + "'");
    rest = rest.drop_front();
    return true;
  }
  bool tryConsume(char c) {
    skipBlanks();
    if (rest.empty() || rest.front() != c)
      return false;
    rest = rest.drop_front();
    return true;
  }
  bool parseString(std::string &out) {
    skipBlanks();
    if (rest.empty() || (rest.front() != '\'' && rest.front() != '"'))
      return fail("expected a quoted string");
    char quote = rest.front();
    size_t end = rest.find(quote, 1);
    if (end == StringRef::npos)
      return fail("unterminated string");
    out = rest.substr(1, end - 1).str();
    rest = rest.drop_front(end + 1);
    return true;
  }
  bool parseBool(bool &out) {
    skipBlanks();
    if (rest.consume_front("True"))
      return out = true, true;
    if (rest.consume_front("False"))
      return out = false, true;
    return fail("expected True or False");
  }
  bool parseShape(Shape &out) {
    if (!consume('('))
      return false;
    while (!tryConsume(')')) {
      skipBlanks();
      size_t len = rest.find_first_not_of("0123456789");
      if (len == 0 || len == StringRef::npos)
        return fail("expected a non-negative dimension in the shape");
      uint64_t dim;
      if (rest.take_front(len).getAsInteger(10, dim) ||
          dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return fail("shape dimension out of range");
      out.push_back(static_cast<int64_t>(dim));
      rest = rest.drop_front(len);
      skipBlanks();
      // numpy also writes "(3L,)" in files from Python 2.
      rest.consume_front("L");
      if (!tryConsume(',')) {
        if (!consume(')'))
          return false;
        break;
      }
    }
    return true;
  }
};

const char *descrOf(DType dtype) {
  switch (dtype) {
  case DType::Bool:
    return "|b1";
  case DType::I8:
    return "|i1";
  case DType::I16:
    return "<i2";
  case DType::I32:
    return "<i4";
  case DType::I64:
    return "<i8";
  case DType::U8:
    return "|u1";
  case DType::U16:
    return "<u2";
  case DType::U32:
    return "<u4";
  case DType::U64:
    return "<u8";
  case DType::F16:
    return "<f2";
  case DType::F32:
    return "<f4";
  case DType::F64:
    return "<f8";
  case DType::C64:
    return "<c8";
  case DType::C128:
    return "<c16";
  }
  return "";
}

llvm::Expected<DType> parseDescr(StringRef descr) {
  // One-byte types have no byte order ('|', as numpy writes them, or any
  // other); wider ones must be little-endian ('<', or '=' on this machine).
  if ((descr.size() == 3 || descr.size() == 4) &&
      StringRef("|<=>").contains(descr[0])) {
    StringRef type = descr.drop_front();
    for (DType d : numeric::kAllDTypes) {
      if (type != StringRef(descrOf(d)).drop_front())
        continue;
      if (numeric::dtypeSize(d) > 1 && descr[0] != '<' && descr[0] != '=')
        break;
      return d;
    }
    if (descr[0] == '>')
      return headerError("big-endian data ('" + descr +
                         "') is not supported");
  }
  return headerError("dtype '" + descr +
                     "' is not supported (expected bool, int8, int16, int32, "
                     "int64, uint8, uint16, uint32, uint64, float16, float32, "
                     "float64, complex64 or complex128)");
}

llvm::Error withPath(StringRef path, llvm::Error err) {
  if (!err)
    return err;
  std::string msg = llvm::toString(std::move(err));
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "'" + path + "': " + msg);
}

} // namespace

llvm::Expected<NpyHeader> mars::parseNpyHeader(StringRef bytes) {
  if (bytes.size() < 10 || !bytes.starts_with(kMagic))
    return headerError("not a .npy file (missing \\x93NUMPY magic)");
  uint8_t major = bytes[6];
  uint64_t headerLen, prefix;
  if (major == 1) {
    headerLen = static_cast<uint8_t>(bytes[8]) |
                (static_cast<uint8_t>(bytes[9]) << 8);
    prefix = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return headerError("file ends inside the header");
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = (headerLen << 8) | static_cast<uint8_t>(bytes[8 + i]);
    prefix = 12;
  } else {
    return headerError("unsupported format version " + llvm::Twine(major));
  }
  if (bytes.size() < prefix + headerLen)
    return headerError("file ends inside the header");

  DictParser p{bytes.substr(prefix, headerLen), {}};
  std::optional<DType> dtype;
  std::optional<bool> fortran;
  std::optional<Shape> shape;
  bool ok = p.consume('{');
  while (ok && !p.tryConsume('}')) {
    std::string key;
    ok = p.parseString(key) && p.consume(':');
    if (!ok)
      break;
    if (key == "descr") {
      std::string descr;
      if (!(ok = p.parseString(descr)))
        break;
      auto d = parseDescr(descr);
      if (!d)
        return d.takeError();
      dtype = *d;
    } else if (key == "fortran_order") {
      bool f = false;
      ok = p.parseBool(f);
      fortran = f;
    } else if (key == "shape") {
      Shape s;
      ok = p.parseShape(s);
      shape = std::move(s);
    } else {
      return headerError("unexpected key '" + key + "'");
    }
    if (ok && !p.tryConsume(',')) {
      ok = p.consume('}');
      break;
    }
  }
  if (!ok)
    return headerError(p.error);
  if (!dtype || !fortran || !shape)
    return headerError("the header must have 'descr', 'fortran_order' and "
                       "'shape'");
  if (*fortran)
    return headerError("Fortran-order arrays are not supported; save the "
                       "array in C order");
  // Reject shapes whose byte size overflows.
  uint64_t total = dtypeSize(*dtype);
  for (int64_t d : *shape) {
    if (d != 0 &&
        total > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) /
                    static_cast<uint64_t>(d))
      return headerError("shape " + formatShape(*shape) + " is too large");
    total *= static_cast<uint64_t>(d);
  }
  return NpyHeader{*dtype, std::move(*shape), prefix + headerLen};
}

llvm::Expected<NpyHeader> mars::readNpyHeader(StringRef path) {
  // Headers are small: read at most the first 1 MiB.
  auto buffer = llvm::MemoryBuffer::getFileSlice(path, 1 << 20, 0);
  if (!buffer) {
    // getFileSlice fails on files shorter than the slice; fall back.
    buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
    if (!buffer)
      return llvm::createStringError(buffer.getError(),
                                     "cannot read '" + path +
                                         "': " + buffer.getError().message());
  }
  auto header = parseNpyHeader((*buffer)->getBuffer());
  if (!header)
    return withPath(path, header.takeError());
  return header;
}

/// numpy's header for an array of `dtype` and `shape`, padded so that the
/// data starts on a 64-byte boundary.
static std::string headerBytes(DType dtype, const Shape &shape) {
  std::string dict = "{'descr': '" + std::string(descrOf(dtype)) +
                     "', 'fortran_order': False, 'shape': " +
                     formatShape(shape) + ", }";
  // Version 1 holds headers up to 65535 bytes; numpy switches to 2 beyond.
  bool v2 = dict.size() + 11 > 65535;
  size_t prefix = v2 ? 12 : 10;
  size_t total = prefix + dict.size() + 1;
  size_t padded = (total + 63) / 64 * 64;
  dict.append(padded - total, ' ');
  dict.push_back('\n');
  uint64_t headerLen = dict.size();
  std::string out(kMagic);
  out += static_cast<char>(v2 ? 2 : 1);
  out += static_cast<char>(0);
  for (int i = 0; i < (v2 ? 4 : 2); ++i)
    out += static_cast<char>((headerLen >> (8 * i)) & 0xff);
  return out + dict;
}

llvm::Error mars::writeNpy(StringRef path, const NDArray &array) {
  if (array.isSparse())
    return withPath(path, llvm::createStringError(
                              llvm::inconvertibleErrorCode(),
                              "a sparse matrix has no .npy form (convert it "
                              "with mars.to_dense, or save it with "
                              "scipy.sparse.save_npz)"));
  std::string header = headerBytes(array.dtype(), array.shape());
  return withPath(path, llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    os << header;
    os.write(reinterpret_cast<const char *>(array.bytes()), array.nbytes());
    return llvm::Error::success();
  }));
}

static llvm::Error sysError(StringRef path, const char *what) {
  std::error_code ec(errno, std::generic_category());
  return llvm::createStringError(ec, "cannot %s '%s': %s", what,
                                 path.str().c_str(), ec.message().c_str());
}

/// Reads `want` bytes at `at` of `fd` into `dst`.
static llvm::Error readFully(int fd, StringRef path, uint8_t *dst,
                             size_t want, uint64_t at) {
  while (want) {
    ssize_t got = ::pread(fd, dst, want, static_cast<off_t>(at));
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return sysError(path, "read");
    if (got == 0)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "'" + path + "': file is truncated");
    want -= got;
    dst += got;
    at += got;
  }
  return llvm::Error::success();
}

llvm::Expected<NDArray> mars::readNpy(StringRef path) {
  auto header = readNpyHeader(path);
  if (!header)
    return header.takeError();
  struct stat st;
  if (::stat(path.str().c_str(), &st) != 0)
    return sysError(path, "read");
  uint64_t needed =
      numeric::numElements(header->shape) * dtypeSize(header->dtype);
  uint64_t size = static_cast<uint64_t>(st.st_size);
  uint64_t available = size > header->dataOffset ? size - header->dataOffset : 0;
  if (available != needed)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "'" + path + "': " +
            (available < needed ? "file is truncated" : "file has trailing bytes") +
            ": shape " + formatShape(header->shape) + " of " +
            dtypeName(header->dtype) + " needs " + llvm::Twine(needed) +
            " data bytes, found " + llvm::Twine(available));
  // The whole array is one box, read into the array (one pread), not
  // copied from a mapping of the file: mapped pages count in the process's
  // RSS, and an argument would take twice its size.
  return readNpyBox(path, *header, Shape(header->shape.size(), 0),
                    header->shape);
}

/// Calls f(file element offset, box element offset, run length) for each
/// contiguous run of the box [lo, lo + sizes) of a C-ordered array of
/// `shape`: a row along the last dimension, or several whole rows at once
/// where the box spans the trailing dimensions (one run for a box of whole
/// rows, so that a chunk is one read or write).
template <typename F>
static llvm::Error forEachRow(const Shape &fullShape,
                              llvm::ArrayRef<int64_t> fullLo,
                              llvm::ArrayRef<int64_t> fullSizes, F &&f) {
  if (numeric::numElements(fullSizes) == 0)
    return llvm::Error::success();
  if (fullShape.empty())
    return f(0, 0, 1);
  // Collapse the trailing dimensions the box spans whole into the first
  // dimension before them.
  int64_t k = fullShape.size() - 1;
  while (k > 0 && fullSizes[k] == fullShape[k])
    --k;
  Shape shape(fullShape.begin(), fullShape.begin() + k + 1);
  Shape lo(fullLo.begin(), fullLo.begin() + k + 1);
  Shape sizes(fullSizes.begin(), fullSizes.begin() + k + 1);
  for (size_t d = k + 1; d < fullShape.size(); ++d) {
    shape[k] *= fullShape[d];
    lo[k] *= fullShape[d];
    sizes[k] *= fullSizes[d];
  }
  const int64_t rank = shape.size();
  Shape fs = contiguousStrides(shape), bs = contiguousStrides(sizes);
  Shape idx(rank - 1, 0);
  while (true) {
    int64_t fo = lo[rank - 1], bo = 0;
    for (int64_t d = 0; d < rank - 1; ++d) {
      fo += (lo[d] + idx[d]) * fs[d];
      bo += idx[d] * bs[d];
    }
    if (llvm::Error err = f(fo, bo, sizes[rank - 1]))
      return err;
    int64_t d = rank - 2;
    for (; d >= 0; --d) {
      if (++idx[d] < sizes[d])
        break;
      idx[d] = 0;
    }
    if (d < 0)
      return llvm::Error::success();
  }
}

llvm::Expected<NDArray> mars::readNpyBox(StringRef path,
                                         const NpyHeader &header,
                                         llvm::ArrayRef<int64_t> lo,
                                         llvm::ArrayRef<int64_t> sizes) {
  int fd = ::open(path.str().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return sysError(path, "read");
  auto closer = llvm::make_scope_exit([&] { ::close(fd); });
  struct stat st;
  uint64_t needed = numeric::numElements(header.shape) * dtypeSize(header.dtype);
  if (::fstat(fd, &st) != 0)
    return sysError(path, "read");
  if (static_cast<uint64_t>(st.st_size) != header.dataOffset + needed)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "'" + path + "': file size " + llvm::Twine(st.st_size) +
            " does not match its header (" +
            llvm::Twine(header.dataOffset + needed) + " bytes expected)");
  // Every element is read below: no need to zero the buffer first.
  NDArray box(header.dtype, Shape(sizes.begin(), sizes.end()),
              NDArray::uninitialized);
  const size_t elt = dtypeSize(header.dtype);
  if (llvm::Error err = forEachRow(
          header.shape, lo, sizes,
          [&](int64_t fo, int64_t bo, int64_t n) -> llvm::Error {
            return readFully(fd, path, box.bytes() + bo * elt, n * elt,
                             header.dataOffset + fo * elt);
          }))
    return std::move(err);
  if (box.dtype() == DType::Bool)
    for (size_t i = 0; i < box.nbytes(); ++i)
      box.bytes()[i] = box.bytes()[i] != 0;
  return box;
}

llvm::Expected<std::unique_ptr<NpyBoxWriter>>
NpyBoxWriter::create(StringRef path, DType dtype, Shape shape) {
  std::unique_ptr<NpyBoxWriter> w(new NpyBoxWriter());
  w->path_ = path.str();
  w->tmpPath_ = (path + ".tmp." + llvm::Twine(::getpid())).str();
  w->shape_ = shape;
  std::string header = headerBytes(dtype, shape);
  w->dataOffset_ = header.size();
  w->fd_ = ::open(w->tmpPath_.c_str(),
                  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (w->fd_ < 0)
    return sysError(path, "write");
  // An interrupted run leaves no half-written file behind.
  llvm::sys::RemoveFileOnSignal(w->tmpPath_);
  uint64_t total =
      header.size() + numeric::numElements(shape) * dtypeSize(dtype);
  if (::pwrite(w->fd_, header.data(), header.size(), 0) !=
          static_cast<ssize_t>(header.size()) ||
      ::ftruncate(w->fd_, total) != 0)
    return sysError(path, "write");
  return std::move(w);
}

llvm::Expected<std::unique_ptr<NpyBoxWriter>>
NpyBoxWriter::attach(StringRef path, StringRef tmpPath, DType dtype,
                     Shape shape) {
  std::unique_ptr<NpyBoxWriter> w(new NpyBoxWriter());
  w->path_ = path.str();
  w->tmpPath_ = tmpPath.str();
  w->shape_ = shape;
  w->attached_ = true;
  w->dataOffset_ = headerBytes(dtype, shape).size();
  uint64_t total =
      w->dataOffset_ + numeric::numElements(shape) * dtypeSize(dtype);
  w->fd_ = ::open(w->tmpPath_.c_str(), O_WRONLY | O_CLOEXEC);
  struct stat st;
  if (w->fd_ < 0 || ::fstat(w->fd_, &st) != 0)
    return sysError(path, "write");
  if (static_cast<uint64_t>(st.st_size) != total)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "'" + path + "': its temporary file '" + tmpPath + "' holds " +
            llvm::Twine(st.st_size) + " bytes, expected " +
            llvm::Twine(total) +
            " (is the output directory shared with the client?)");
  return std::move(w);
}

NpyBoxWriter::~NpyBoxWriter() {
  if (fd_ >= 0 && attached_) {
    ::close(fd_);
  } else if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(tmpPath_.c_str());
    llvm::sys::DontRemoveFileOnSignal(tmpPath_);
  }
}

llvm::Error NpyBoxWriter::writeBox(llvm::ArrayRef<int64_t> lo,
                                   const NDArray &box) {
  const size_t elt = dtypeSize(box.dtype());
  return forEachRow(
      shape_, lo, box.shape(),
      [&](int64_t fo, int64_t bo, int64_t n) -> llvm::Error {
        size_t want = n * elt;
        const uint8_t *src = box.bytes() + bo * elt;
        off_t at = dataOffset_ + fo * elt;
        while (want) {
          ssize_t put = ::pwrite(fd_, src, want, at);
          if (put < 0 && errno == EINTR)
            continue;
          if (put <= 0)
            return sysError(path_, "write");
          want -= put;
          src += put;
          at += put;
        }
        return llvm::Error::success();
      });
}

llvm::Error NpyBoxWriter::commit() {
  int fd = fd_;
  fd_ = -1;
  if (attached_)
    return ::close(fd) == 0 ? llvm::Error::success()
                            : sysError(path_, "write");
  llvm::sys::DontRemoveFileOnSignal(tmpPath_);
  if (::close(fd) != 0) {
    ::unlink(tmpPath_.c_str());
    return sysError(path_, "write");
  }
  if (::rename(tmpPath_.c_str(), path_.c_str()) != 0) {
    llvm::Error err = sysError(path_, "write");
    ::unlink(tmpPath_.c_str());
    return err;
  }
  return llvm::Error::success();
}
