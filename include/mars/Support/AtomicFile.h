//===- AtomicFile.h - Files that appear whole or not at all ------*- C++ -*-===//
//
// For caches shared by concurrent processes (the kernel caches): the file is
// written under a unique temporary name in its directory and renamed into
// place, so a reader sees either no file or the whole of it.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_SUPPORT_ATOMICFILE_H
#define MARS_SUPPORT_ATOMICFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace mars {

/// Writes `contents` to `path` (creating its directory); on failure nothing
/// is left behind and the error says why.
llvm::Error writeFileAtomically(llvm::StringRef path, llvm::StringRef contents);

} // namespace mars

#endif // MARS_SUPPORT_ATOMICFILE_H
