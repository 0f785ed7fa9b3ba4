//===- AtomicFile.cpp - Files that appear whole or not at all -------------===//

#include "mars/Support/AtomicFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

static constexpr char kSealMagic[8] = {'M', 'A', 'R', 'S', 'S', 'E', 'A', 'L'};
static constexpr size_t kSealBytes = 24;

static uint64_t sealHash(llvm::StringRef payload) {
  return llvm::xxh3_64bits(llvm::arrayRefFromStringRef(payload));
}

std::string mars::sealCacheEntry(llvm::StringRef payload) {
  std::string out = payload.str();
  out.append(kSealMagic, sizeof(kSealMagic));
  char word[8];
  llvm::support::endian::write64le(word, payload.size());
  out.append(word, 8);
  llvm::support::endian::write64le(word, sealHash(payload));
  out.append(word, 8);
  return out;
}

std::optional<llvm::StringRef> mars::unsealCacheEntry(llvm::StringRef bytes) {
  if (bytes.size() < kSealBytes)
    return std::nullopt;
  llvm::StringRef payload = bytes.drop_back(kSealBytes);
  const char *trailer = bytes.data() + payload.size();
  if (llvm::StringRef(trailer, 8) != llvm::StringRef(kSealMagic, 8) ||
      llvm::support::endian::read64le(trailer + 8) != payload.size() ||
      llvm::support::endian::read64le(trailer + 16) != sealHash(payload))
    return std::nullopt;
  return payload;
}

llvm::Error mars::writeFileAtomically(llvm::StringRef path,
                                      llvm::StringRef contents) {
  auto fail = [](std::error_code ec) {
    return llvm::createStringError(ec, ec.message());
  };
  llvm::StringRef dir = llvm::sys::path::parent_path(path);
  if (!dir.empty())
    if (std::error_code ec = llvm::sys::fs::create_directories(dir))
      return fail(ec);
  llvm::SmallString<256> tmp;
  int fd;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(
          path + ".tmp-%%%%%%%%", fd, tmp))
    return fail(ec);
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << contents;
    os.close();
    if (os.has_error()) {
      std::error_code ec = os.error();
      os.clear_error();
      llvm::sys::fs::remove(tmp);
      return fail(ec);
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmp, path)) {
    llvm::sys::fs::remove(tmp);
    return fail(ec);
  }
  return llvm::Error::success();
}
