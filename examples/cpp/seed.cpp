//===- seed.cpp - The seed article's examples with the C++ tensor API -----===//
//
// Monte Carlo pi and (a.dot(a.T) - a).std(), written as a numpy user would,
// against the C++ API (mars/API). Run: seed [points] [n].
//
//===----------------------------------------------------------------------===//

#include "mars/API/Session.h"

#include <cstdio>
#include <cstdlib>

namespace mt = mars::api;

int main(int argc, char **argv) {
  int64_t points = argc > 1 ? std::atoll(argv[1]) : 10'000'000;
  int64_t n = argc > 2 ? std::atoll(argv[2]) : 2000;

  auto session = mt::Session::create(mars::SessionOptions());
  if (!session) {
    std::fprintf(stderr, "%s\n", llvm::toString(session.takeError()).c_str());
    return 1;
  }

  // a = mt.random.uniform(-1, 1, size=(points, 2))
  // pi = (mt.sqrt((a ** 2).sum(axis=1)) < 1).sum() * 4 / points
  mt::Tensor a = mt::randomUniform(/*seed=*/0, -1, 1, {points, 2});
  mt::Tensor r = mt::unary(mt::UnaryFn::Sqrt, mt::sum(a * a, {{1}}));
  mt::Tensor pi = mt::sum(r < 1) * 4 / points;

  // b = mt.random.rand(n, n); s = (b.dot(b.T) - b).std()
  mt::Tensor b = mt::randomUniform(/*seed=*/1, 0, 1, {n, n});
  mt::Tensor s = mt::reduce(mt::ReduceFn::Std, mt::dot(b, mt::transpose(b)) - b);

  // Both in one graph.
  if (auto err = (*session)->execute({pi, s})) {
    mt::Error e = mt::toError(std::move(err));
    std::fprintf(stderr, "error: %s\n", e.str().c_str());
    return 1;
  }
  std::printf("pi  = %.6f\n", pi.value()->getDouble(0));
  std::printf("std = %.6f\n", s.value()->getDouble(0));

  // Errors are values: a shape mismatch is reported, not thrown.
  mt::Tensor bad = mt::ones({3, 4}) + mt::ones({5});
  if (!bad.ok())
    std::printf("as expected: %s\n", bad.error().str().c_str());
  return 0;
}
