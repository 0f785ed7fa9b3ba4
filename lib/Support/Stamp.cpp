//===- Stamp.cpp - A cheap clock for hot paths ----------------------------===//

#include "mars/Support/Stamp.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

using namespace mars;

namespace {
bool invariantTsc() {
#if defined(__x86_64__)
  unsigned a, b, c, d;
  if (__get_cpuid(0x80000007, &a, &b, &c, &d))
    return (d >> 8) & 1;
#endif
  return false;
}

/// A stamp and steady_clock's time, taken together when the process
/// starts: the base of every rate measurement.
struct Anchor {
  uint64_t stamp;
  std::chrono::steady_clock::time_point time;
};
} // namespace

const bool StampClock::usesTsc = invariantTsc();

static const Anchor anchor = {StampClock::now(),
                              std::chrono::steady_clock::now()};

double StampClock::perSecond() {
  if (!usesTsc)
    return 1e9;
  // A millisecond at least, so the two clocks' reading times (tens of
  // nanoseconds) err by a few parts in 10^5 at most.
  auto at = std::chrono::steady_clock::now();
  while (at - anchor.time < std::chrono::milliseconds(1))
    at = std::chrono::steady_clock::now();
  uint64_t stamp = now();
  return static_cast<double>(stamp - anchor.stamp) /
         std::chrono::duration<double>(at - anchor.time).count();
}
