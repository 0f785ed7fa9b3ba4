//===- AtomicFile.h - Files that appear whole or not at all ------*- C++ -*-===//
//
// For caches shared by concurrent processes (the kernel caches): the file is
// written under a unique temporary name in its directory and renamed into
// place, so a reader sees either no file or the whole of it. An entry is
// sealed with a trailer holding its length and hash, so that a damaged
// block (a flipped bit, a truncated copy, a file from another program) is
// recognised before it is loaded and the entry is built again.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_SUPPORT_ATOMICFILE_H
#define MARS_SUPPORT_ATOMICFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace mars {

/// Writes `contents` to `path` (creating its directory); on failure nothing
/// is left behind and the error says why.
llvm::Error writeFileAtomically(llvm::StringRef path, llvm::StringRef contents);

/// `payload` followed by a 24-byte trailer: a magic word, the payload's
/// length and its XXH3-64 hash.
std::string sealCacheEntry(llvm::StringRef payload);

/// The payload of sealed entry `bytes`, or nullopt when its trailer is
/// missing or does not match its contents.
std::optional<llvm::StringRef> unsealCacheEntry(llvm::StringRef bytes);

} // namespace mars

#endif // MARS_SUPPORT_ATOMICFILE_H
