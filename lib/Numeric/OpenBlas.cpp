//===- OpenBlas.cpp - OpenBLAS, loaded when first used --------------------===//
//
// See OpenBlas.h.
//
//===----------------------------------------------------------------------===//

#include "mars/Numeric/OpenBlas.h"

#include "mars/Support/DynamicLibrary.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"

#include <atomic>
#include <mutex>
#include <string>

using namespace mars;
using namespace mars::numeric;
using namespace mars::numeric::openblas;

namespace {

struct Library {
  Blas blas;
  Lapack<double> d;
  Lapack<float> s;
  void (*setNumThreads)(int);
};

/// Guards loading and the thread count.
std::mutex &loadMutex() {
  static std::mutex m;
  return m;
}
std::atomic<const Library *> loaded{nullptr};
int wantedThreads = 0; // under loadMutex(); 0: OpenBLAS's own default

template <typename T>
void bindLapack(void *h, const char *p, Lapack<T> &l, std::string &missing) {
  auto name = [&](const char *routine) { return std::string(p) + routine; };
  bindSymbol(h, name("gesv_").c_str(), l.gesv, missing);
  bindSymbol(h, name("getrf_").c_str(), l.getrf, missing);
  bindSymbol(h, name("trtrs_").c_str(), l.trtrs, missing);
  bindSymbol(h, name("potrf_").c_str(), l.potrf, missing);
  bindSymbol(h, name("geqrf_").c_str(), l.geqrf, missing);
  bindSymbol(h, name("geqrt3_").c_str(), l.geqrt3, missing);
  bindSymbol(h, name("orgqr_").c_str(), l.orgqr, missing);
  bindSymbol(h, name("gesdd_").c_str(), l.gesdd, missing);
  bindSymbol(h, name("syevd_").c_str(), l.syevd, missing);
}

/// The library once loaded, or null and why it could not be.
const Library *tryLoad(std::string &why) {
  if (const Library *l = loaded.load(std::memory_order_acquire))
    return l;
  std::lock_guard<std::mutex> lock(loadMutex());
  if (const Library *l = loaded.load(std::memory_order_relaxed))
    return l;
  static std::string failed; // The first failure: loading is tried once.
  if (!failed.empty()) {
    why = failed;
    return nullptr;
  }
  // The soname first; the library found when Mars was configured next (a
  // prefix outside the loader's path).
  void *h = ::dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    std::string first = ::dlerror();
    h = ::dlopen(MARS_OPENBLAS_PATH, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      failed = "cannot load OpenBLAS, which matrix products and "
               "decompositions need: " +
               first + "; " + ::dlerror();
      why = failed;
      return nullptr;
    }
  }
  static Library lib;
  std::string missing;
  bindSymbol(h, "cblas_dgemm", lib.blas.dgemm, missing);
  bindSymbol(h, "cblas_sgemm", lib.blas.sgemm, missing);
  bindSymbol(h, "cblas_dsyrk", lib.blas.dsyrk, missing);
  bindSymbol(h, "cblas_ssyrk", lib.blas.ssyrk, missing);
  bindLapack(h, "d", lib.d, missing);
  bindLapack(h, "s", lib.s, missing);
  bindSymbol(h, "openblas_set_num_threads", lib.setNumThreads, missing);
  if (!missing.empty()) {
    failed = "the OpenBLAS library lacks '" + missing +
             "' (Mars needs OpenBLAS 0.3 with its LAPACK)";
    why = failed;
    return nullptr;
  }
  if (wantedThreads > 0)
    lib.setNumThreads(wantedThreads);
  loaded.store(&lib, std::memory_order_release);
  return &lib;
}

/// The loaded library; callers checked load() first.
const Library &library() {
  std::string why;
  if (const Library *l = tryLoad(why))
    return *l;
  llvm::report_fatal_error(llvm::Twine(why), /*gen_crash_diag=*/false);
}

} // namespace

llvm::Error openblas::load() {
  std::string why;
  if (tryLoad(why))
    return llvm::Error::success();
  return llvm::createStringError(llvm::inconvertibleErrorCode(), why);
}

const Blas &openblas::blas() { return library().blas; }

template <> const Lapack<double> &openblas::lapack<double>() {
  return library().d;
}
template <> const Lapack<float> &openblas::lapack<float>() { return library().s; }

void openblas::setThreads(int threads) {
  std::lock_guard<std::mutex> lock(loadMutex());
  wantedThreads = threads;
  if (const Library *l = loaded.load(std::memory_order_relaxed))
    l->setNumThreads(threads);
}
