//===- Error.h - Errors that are sentences ------------------------*- C++ -*-===//
//
// Mars reports failures as llvm::Error values whose message is a sentence
// for the person running the program (the op's location is added where the
// op is known). This is the one helper that makes them.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_SUPPORT_ERROR_H
#define MARS_SUPPORT_ERROR_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

namespace mars {

/// An error carrying `message` and no error code.
inline llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

} // namespace mars

#endif // MARS_SUPPORT_ERROR_H
