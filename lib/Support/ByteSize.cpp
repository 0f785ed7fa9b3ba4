//===- ByteSize.cpp - Parsing and printing byte sizes ---------------------===//

#include "mars/Support/ByteSize.h"

#include "llvm/ADT/StringExtras.h"

#include <cmath>
#include <cstdio>
#include <unistd.h>

using namespace mars;

llvm::Expected<uint64_t> mars::parseByteSize(llvm::StringRef text) {
  llvm::StringRef t = text.trim();
  size_t numEnd = t.find_first_not_of("0123456789.");
  llvm::StringRef number = t.take_front(numEnd);
  std::string unit = t.drop_front(number.size()).trim().lower();
  double value;
  if (number.empty() || number.getAsDouble(value) || value < 0)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "invalid size '" + text +
                                       "' (expected e.g. 2GB, 512MiB, 1000000)");
  static const std::pair<const char *, double> units[] = {
      {"", 1},          {"b", 1},          {"kb", 1e3},        {"mb", 1e6},
      {"gb", 1e9},      {"tb", 1e12},      {"k", 1e3},         {"m", 1e6},
      {"g", 1e9},       {"t", 1e12},       {"kib", 1024.0},    {"mib", 1048576.0},
      {"gib", 1073741824.0}, {"tib", 1099511627776.0}};
  for (auto [name, scale] : units)
    if (unit == name) {
      double bytes = value * scale;
      if (!(bytes < 1.8e19))
        break;
      return static_cast<uint64_t>(std::llround(bytes));
    }
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "invalid size '" + text +
                                     "' (units: B, KB, MB, GB, TB, KiB, MiB, "
                                     "GiB, TiB)");
}

std::string mars::formatByteSize(uint64_t bytes) {
  static const char *names[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(bytes);
  int i = 0;
  while (v >= 1024 && i < 6) {
    v /= 1024;
    ++i;
  }
  char buf[32];
  if (i == 0)
    std::snprintf(buf, sizeof(buf), "%llu B",
                  static_cast<unsigned long long>(bytes));
  else
    std::snprintf(buf, sizeof(buf), v < 10 ? "%.2f %s" : "%.1f %s", v, names[i]);
  return buf;
}

uint64_t mars::physicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || size <= 0)
    return UINT64_MAX;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(size);
}
