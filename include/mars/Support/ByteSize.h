//===- ByteSize.h - Parsing and printing byte sizes -------------*- C++ -*-===//

#ifndef MARS_SUPPORT_BYTESIZE_H
#define MARS_SUPPORT_BYTESIZE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace mars {

/// Parses "1048576", "512KB", "2GB", "1.5GiB", "64MiB" (case-insensitive;
/// KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB powers of 1024).
llvm::Expected<uint64_t> parseByteSize(llvm::StringRef text);
/// "1.50 GiB", "12.0 MiB", "512 B".
std::string formatByteSize(uint64_t bytes);
/// Physical memory of this machine in bytes.
uint64_t physicalMemoryBytes();

} // namespace mars

#endif // MARS_SUPPORT_BYTESIZE_H
