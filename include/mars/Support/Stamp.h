//===- Stamp.h - A cheap clock for hot paths ----------------------*- C++ -*-===//
//
// Times taken once per chunk task (the span of a trace, the time spent in
// compiled kernels) must cost little next to a task of a microsecond.
// steady_clock::now() is a clock_gettime call, about 40 ns on a VM; the
// CPU's time-stamp counter is one instruction, about 20 ns there and less on
// bare metal. A Stamp is the counter where it is invariant (x86-64 whose
// TSC ticks at one rate through frequency changes and sleep states, CPUID
// 0x80000007 EDX bit 8) and steady_clock nanoseconds elsewhere.
//
// Stamps are converted to time by a rate measured against steady_clock from
// the process's static initialisation (Stamp.cpp's anchor) to the moment of
// the conversion, so the longer a run, the more exact its conversion. Do
// not take stamps in other static initialisers: the clock is chosen in one.
// Stamps of different threads are comparable (an invariant TSC is
// synchronised across cores); a difference that would be negative is
// taken as zero by the code that subtracts them.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_SUPPORT_STAMP_H
#define MARS_SUPPORT_STAMP_H

#include <chrono>
#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace mars {

class StampClock {
public:
  using Stamp = uint64_t;

  /// Now.
  static Stamp now() {
#if defined(__x86_64__)
    if (usesTsc)
      return __rdtsc();
#endif
    return steadyNanos();
  }

  /// Stamps per second: exact for steady_clock stamps, measured for TSC
  /// ones (see above; at least a millisecond of measurement).
  static double perSecond();
  /// `ticks` (a difference of stamps) in seconds.
  static double seconds(uint64_t ticks) { return ticks / perSecond(); }
  /// Whether stamps are the CPU's time-stamp counter.
  static bool tsc() { return usesTsc; }

private:
  static uint64_t steadyNanos() {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::steady_clock::now().time_since_epoch())
            .count());
  }
  static const bool usesTsc;
};

} // namespace mars

#endif // MARS_SUPPORT_STAMP_H
