//===- DynamicLibrary.h - Entry points bound at run time --------*- C++ -*-===//
//
// Libraries that only some runs need (the CUDA driver, cuBLAS, OpenBLAS) are
// opened with dlopen when first used, so that a program which never calls
// them neither loads nor relocates them. This is the one helper that binds
// an entry point of such a library.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_SUPPORT_DYNAMICLIBRARY_H
#define MARS_SUPPORT_DYNAMICLIBRARY_H

#include <dlfcn.h>
#include <string>

namespace mars {

/// Binds `fn` to the symbol `name` of `library` (a dlopen handle). When the
/// symbol is missing, `fn` is null and `missing` names the first symbol that
/// was (so one message can say what the library lacks).
template <typename F>
bool bindSymbol(void *library, const char *name, F &fn, std::string &missing) {
  fn = reinterpret_cast<F>(::dlsym(library, name));
  if (!fn && missing.empty())
    missing = name;
  return fn != nullptr;
}

} // namespace mars

#endif // MARS_SUPPORT_DYNAMICLIBRARY_H
