//===- Trace.h - What a run did over time, for trace viewers -----*- C++ -*-===//
//
// A Trace records spans (a chunk task on a worker thread, a kernel compile, a
// spill write, a transfer between workers) and counters (memory held, bytes
// on disk) as a run goes, and writes them in the Trace Event format that
// Perfetto (ui.perfetto.dev) and chrome://tracing open:
//
//   {"traceEvents": [
//     {"name": "fused(exp, add)", "cat": "map", "ph": "X", "ts": 12.5,
//      "dur": 40.1, "pid": 0, "tid": 1, "args": {"chunk": 3}}, ...],
//    "displayTimeUnit": "ms"}
//
// Times are microseconds since the trace was made. Tracks are (process,
// thread) pairs: the local runtime is process 0 with a thread per worker;
// a cluster run gives each worker a process of its own. Recording is an
// append of a fixed-size record (names are interned once, see Name), under
// a lock, or to a Writer of the calling thread's own without one (the
// local runtime's workers, which time their tasks with StampClock and keep
// 48 bytes per task in huge-page blocks); runs without a trace pay a null
// check.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_SUPPORT_TRACE_H
#define MARS_SUPPORT_TRACE_H

#include "mars/Support/Stamp.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <new>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace mars {

class Trace {
public:
  using Clock = std::chrono::steady_clock;
  /// Up to two integer arguments of an event, by name ("chunk", "bytes").
  using Args = llvm::ArrayRef<std::pair<llvm::StringRef, int64_t>>;

  Trace();

  /// When the trace started: time 0 of its events.
  Clock::time_point origin() const { return origin_; }

  /// A string interned in the trace. Hot paths intern their names once and
  /// record events by Name: no string is hashed per event.
  using Name = uint32_t;
  using NamedArgs = llvm::ArrayRef<std::pair<Name, int64_t>>;
  Name name(llvm::StringRef s);

private:
  struct Event {
    double ts = 0, dur = 0;
    uint32_t name = 0, category = 0;
    uint32_t process = 0, thread = 0;
    char phase = 'X';
    uint8_t numArgs = 0;
    uint32_t argName[2] = {0, 0};
    int64_t argValue[2] = {0, 0};
    /// Set: ts and dur are to be computed from these StampClock stamps
    /// when the trace is read, with the writers' spans.
    bool stamped = false;
    StampClock::Stamp start = 0, end = 0;
  };
  /// A Writer's span: stamps, and no track (the writer's). Arguments named
  /// 0 (the empty string) are absent.
  struct StampedSpan {
    StampClock::Stamp start, end;
    Name name, category;
    Name argName[2];
    int64_t argValue[2];
  };
  static_assert(sizeof(StampedSpan) == 48);

  /// Records in blocks: appending never moves earlier records and
  /// allocates once per block. A block is 2 MiB, aligned and offered to the
  /// kernel as one huge page: a million task spans would otherwise take
  /// twelve thousand page faults, each longer than a task.
  template <typename T>
  class Log {
  public:
    Log() = default;
    Log(const Log &) = delete;
    Log &operator=(const Log &) = delete;
    ~Log();
    void push(const T &e) {
      if (used == kPerBlock || blocks.empty())
        grow();
      new (&blocks.back()[used++]) T(e);
    }
    template <typename F>
    void forEach(F &&f) const {
      for (size_t b = 0; b < blocks.size(); ++b)
        for (size_t i = 0, n = b + 1 == blocks.size() ? used : kPerBlock;
             i < n; ++i)
          f(blocks[b][i]);
    }

  private:
    static constexpr size_t kBlockBytes = size_t(2) << 20;
    static constexpr size_t kPerBlock = kBlockBytes / sizeof(T);
    void grow();
    std::vector<T *> blocks;
    size_t used = 0;
  };

public:
  /// An event buffer of one thread's own, for one track: appending to it
  /// takes no lock. A runtime gives each of its worker threads one
  /// (newWriter()); the trace owns them and writes their events with its
  /// own. A writer is written by one thread at a time, and not while the
  /// trace is read (numSpans, write).
  class Writer {
  public:
    /// A span between two StampClock stamps, with at most two arguments.
    void span(Name category, Name name, StampClock::Stamp start,
              StampClock::Stamp end, NamedArgs args = {}) {
      StampedSpan e{start, end, name, category, {0, 0}, {0, 0}};
      for (size_t i = 0; i < args.size() && i < 2; ++i) {
        e.argName[i] = args[i].first;
        e.argValue[i] = args[i].second;
      }
      spans.push(e);
    }

  private:
    friend class Trace;
    Writer(uint32_t process, uint32_t thread)
        : process(process), thread(thread) {}
    uint32_t process, thread;
    Log<StampedSpan> spans;
  };
  /// The writer of spans on track (`process`, `thread`) (thread safe),
  /// owned by the trace: a new one, or the one an earlier run on that track
  /// wrote (runs that share a trace do not overlap: a session runs one at a
  /// time).
  Writer &newWriter(uint32_t process, uint32_t thread);
  /// When the trace started, as a stamp.
  StampClock::Stamp originStamp() const { return originStamp_; }

  /// A span of work on track (`process`, `thread`), in category `category`
  /// ("map", "compile", "spill", ...). At most two arguments are kept.
  void span(llvm::StringRef category, llvm::StringRef name, uint32_t process,
            uint32_t thread, Clock::time_point start, Clock::time_point end,
            Args args = {});
  /// The same between StampClock stamps: a span that nests in (or around)
  /// a Writer's spans must be timed with the same clock.
  void span(llvm::StringRef category, llvm::StringRef name, uint32_t process,
            uint32_t thread, StampClock::Stamp start, StampClock::Stamp end,
            Args args = {});
  /// The same with times in microseconds since origin() (events another
  /// process measured, shifted onto this trace's clock).
  void spanAt(llvm::StringRef category, llvm::StringRef name,
              uint32_t process, uint32_t thread, double startMicros,
              double durationMicros, Args args = {});
  /// Work that overlaps other work of its process (transfers between
  /// workers: several at once on one event loop): drawn on a row of its
  /// own in the process ("async" events of the format).
  void asyncSpanAt(llvm::StringRef category, llvm::StringRef name,
                   uint32_t process, double startMicros,
                   double durationMicros, Args args = {});
  /// Values of the counter `name` of `process` at `at` (one line per value
  /// in a viewer, at most two values).
  void counter(llvm::StringRef name, uint32_t process, Clock::time_point at,
               Args values);
  /// The same with interned names, at a stamp.
  void counter(Name name, uint32_t process, StampClock::Stamp at,
               NamedArgs values);
  /// Names a process or thread track ("worker 1", "mars (local)"); a
  /// later name of the same track replaces the earlier one.
  void nameProcess(uint32_t process, llvm::StringRef name);
  void nameThread(uint32_t process, uint32_t thread, llvm::StringRef name);

  /// Spans recorded so far, and those of category `category`.
  size_t numSpans() const;
  size_t numSpans(llvm::StringRef category) const;

  /// Writes the trace as Trace Event JSON.
  void write(llvm::raw_ostream &os) const;
  /// Writes it to `path` ("-": stdout); the error names the file.
  llvm::Error writeFile(llvm::StringRef path) const;

private:
  uint32_t intern(llvm::StringRef s);
  /// Every event: the trace's own, then each writer's.
  template <typename F>
  void forEachEvent(F &&f) const {
    double perMicro = StampClock::perSecond() * 1e-6;
    events.forEach([&](const Event &e) {
      if (!e.stamped)
        return f(e);
      Event timed = e;
      setTimes(timed, e.start, e.end, perMicro);
      f(timed);
    });
    for (const auto &w : writers)
      w->spans.forEach([&](const StampedSpan &s) {
        Event e;
        setTimes(e, s.start, s.end, perMicro);
        e.name = s.name;
        e.category = s.category;
        e.process = w->process;
        e.thread = w->thread;
        for (unsigned i = 0; i < 2; ++i)
          if (s.argName[i]) {
            e.argName[e.numArgs] = s.argName[i];
            e.argValue[e.numArgs++] = s.argValue[i];
          }
        f(e);
      });
  }
  /// A stamp in microseconds since origin(), at `perMicro` stamps per
  /// microsecond.
  double stampMicros(StampClock::Stamp s, double perMicro) const {
    return s >= originStamp_ ? (s - originStamp_) / perMicro
                             : -((originStamp_ - s) / perMicro);
  }
  /// `e`'s ts and dur from stamps (a negative duration is 0).
  void setTimes(Event &e, StampClock::Stamp start, StampClock::Stamp end,
                double perMicro) const {
    e.ts = stampMicros(start, perMicro);
    e.dur = end > start ? (end - start) / perMicro : 0.0;
  }
  /// Names a track, replacing an earlier name of it.
  void nameTrack(uint32_t process, int64_t thread, llvm::StringRef name);
  void add(Event e, llvm::StringRef name, llvm::StringRef category,
           Args args);
  double micros(Clock::time_point t) const {
    return std::chrono::duration<double, std::micro>(t - origin_).count();
  }

  Clock::time_point origin_;
  StampClock::Stamp originStamp_;
  /// The category of counters ("memory").
  Name counterCategory = 0;
  mutable std::mutex mutex;
  llvm::StringMap<uint32_t> ids;
  /// Interned strings, JSON-escaped and quoted.
  std::vector<std::string> strings;
  Log<Event> events;
  std::vector<std::unique_ptr<Writer>> writers;
  /// Track names: (process, thread or -1 for the process, name).
  struct TrackName {
    uint32_t process;
    int64_t thread;
    uint32_t name;
  };
  std::vector<TrackName> trackNames;
};

} // namespace mars

#endif // MARS_SUPPORT_TRACE_H
