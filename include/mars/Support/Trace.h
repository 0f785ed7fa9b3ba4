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
// local runtime's workers); runs without a trace pay a null check.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_SUPPORT_TRACE_H
#define MARS_SUPPORT_TRACE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdint>
#include <memory>
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

  /// A span of work (see below) with interned names.
  void span(Name category, Name name, uint32_t process, uint32_t thread,
            Clock::time_point start, Clock::time_point end,
            NamedArgs args = {});

private:
  struct Event {
    double ts = 0, dur = 0;
    uint32_t name = 0, category = 0;
    uint32_t process = 0, thread = 0;
    char phase = 'X';
    uint8_t numArgs = 0;
    uint32_t argName[2] = {0, 0};
    int64_t argValue[2] = {0, 0};
  };
  /// Events in blocks of 16384: appending never moves earlier events and
  /// allocates once per block.
  class EventLog {
  public:
    void push(const Event &e) {
      if (blocks.empty() || blocks.back().size() == kBlock) {
        blocks.emplace_back();
        blocks.back().reserve(kBlock);
      }
      blocks.back().push_back(e);
    }
    template <typename F>
    void forEach(F &&f) const {
      for (const auto &block : blocks)
        for (const Event &e : block)
          f(e);
    }

  private:
    static constexpr size_t kBlock = 16384;
    std::vector<std::vector<Event>> blocks;
  };

public:
  /// An event buffer of one thread's own: appending to it takes no lock.
  /// A runtime gives each of its worker threads one (newWriter()); the
  /// trace owns them and writes their events with its own. A writer is
  /// written by one thread at a time, and not while the trace is read
  /// (numSpans, write).
  class Writer {
  public:
    void span(Name category, Name name, uint32_t process, uint32_t thread,
              Clock::time_point start, Clock::time_point end,
              NamedArgs args = {});

  private:
    friend class Trace;
    explicit Writer(Clock::time_point origin) : origin(origin) {}
    Clock::time_point origin;
    EventLog events;
  };
  /// A new writer (thread safe), owned by the trace.
  Writer &newWriter();

  /// A span of work on track (`process`, `thread`), in category `category`
  /// ("map", "compile", "spill", ...). At most two arguments are kept.
  void span(llvm::StringRef category, llvm::StringRef name, uint32_t process,
            uint32_t thread, Clock::time_point start, Clock::time_point end,
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
    events.forEach(f);
    for (const auto &w : writers)
      w->events.forEach(f);
  }
  static Event spanEvent(Clock::time_point origin, Name category, Name name,
                         uint32_t process, uint32_t thread,
                         Clock::time_point start, Clock::time_point end,
                         NamedArgs args);
  /// Names a track, replacing an earlier name of it.
  void nameTrack(uint32_t process, int64_t thread, llvm::StringRef name);
  void add(Event e, llvm::StringRef name, llvm::StringRef category,
           Args args);
  double micros(Clock::time_point t) const {
    return std::chrono::duration<double, std::micro>(t - origin_).count();
  }

  Clock::time_point origin_;
  mutable std::mutex mutex;
  llvm::StringMap<uint32_t> ids;
  /// Interned strings, JSON-escaped and quoted.
  std::vector<std::string> strings;
  EventLog events;
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
