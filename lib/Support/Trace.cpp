//===- Trace.cpp - What a run did over time, for trace viewers ------------===//

#include "mars/Support/Trace.h"

#include "mars/Support/Error.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cstdlib>
#include <type_traits>

#include <sys/mman.h>

using namespace mars;

Trace::Trace() : origin_(Clock::now()), originStamp_(StampClock::now()) {
  // Name 0 is the empty string: a Writer's absent argument.
  intern("");
  counterCategory = intern("memory");
}

template <typename T>
void Trace::Log<T>::grow() {
  static_assert(std::is_trivially_destructible_v<T>);
  void *block = std::aligned_alloc(kBlockBytes, kBlockBytes);
  if (!block)
    throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  // Advice only: without transparent huge pages the block faults in 4 KiB
  // pages as any other.
  ::madvise(block, kBlockBytes, MADV_HUGEPAGE);
#endif
  blocks.push_back(static_cast<T *>(block));
  used = 0;
}

template <typename T>
Trace::Log<T>::~Log() {
  for (T *block : blocks)
    std::free(block);
}

template class mars::Trace::Log<Trace::Event>;
template class mars::Trace::Log<Trace::StampedSpan>;

namespace {
/// Microseconds with three decimals ("12.345"), written without printf: a
/// trace of millions of events spends most of its writing time formatting
/// numbers otherwise.
struct Micros {
  double value;
};
llvm::raw_ostream &operator<<(llvm::raw_ostream &os, Micros m) {
  double v = m.value;
  if (!(v >= 0) || v > 9.2e15) // NaN, negative or huge: printf's way.
    return os << llvm::format("%.3f", v);
  auto nanos = static_cast<uint64_t>(v * 1000 + 0.5);
  char frac[4] = {char('0' + nanos / 100 % 10), char('0' + nanos / 10 % 10),
                  char('0' + nanos % 10), 0};
  return os << nanos / 1000 << '.' << frac;
}
} // namespace

uint32_t Trace::intern(llvm::StringRef s) {
  auto [it, inserted] = ids.try_emplace(s, strings.size());
  if (inserted) {
    std::string quoted;
    llvm::raw_string_ostream os(quoted);
    os << llvm::json::Value(s.str());
    strings.push_back(std::move(quoted));
  }
  return it->second;
}

void Trace::add(Event e, llvm::StringRef name, llvm::StringRef category,
                Args args) {
  std::lock_guard<std::mutex> lock(mutex);
  e.name = intern(name);
  e.category = intern(category);
  for (auto [name, value] : args.take_front(2)) {
    e.argName[e.numArgs] = intern(name);
    e.argValue[e.numArgs++] = value;
  }
  events.push(e);
}

Trace::Name Trace::name(llvm::StringRef s) {
  std::lock_guard<std::mutex> lock(mutex);
  return intern(s);
}

Trace::Writer &Trace::newWriter(uint32_t process, uint32_t thread) {
  std::lock_guard<std::mutex> lock(mutex);
  // A later run's thread on the same track continues its writer: a trace
  // of many runs (--repeat, eager steps) keeps one buffer per track.
  for (const auto &w : writers)
    if (w->process == process && w->thread == thread)
      return *w;
  writers.push_back(std::unique_ptr<Writer>(new Writer(process, thread)));
  return *writers.back();
}

void Trace::span(llvm::StringRef category, llvm::StringRef name,
                 uint32_t process, uint32_t thread, Clock::time_point start,
                 Clock::time_point end, Args args) {
  spanAt(category, name, process, thread, micros(start),
         std::chrono::duration<double, std::micro>(end - start).count(), args);
}

void Trace::span(llvm::StringRef category, llvm::StringRef name,
                 uint32_t process, uint32_t thread, StampClock::Stamp start,
                 StampClock::Stamp end, Args args) {
  Event e;
  e.stamped = true;
  e.start = start;
  e.end = end;
  e.process = process;
  e.thread = thread;
  add(e, name, category, args);
}

void Trace::spanAt(llvm::StringRef category, llvm::StringRef name,
                   uint32_t process, uint32_t thread, double startMicros,
                   double durationMicros, Args args) {
  Event e;
  e.ts = startMicros;
  e.dur = std::max(0.0, durationMicros);
  e.process = process;
  e.thread = thread;
  add(e, name, category, args);
}

void Trace::asyncSpanAt(llvm::StringRef category, llvm::StringRef name,
                        uint32_t process, double startMicros,
                        double durationMicros, Args args) {
  Event e;
  e.phase = 'A';
  e.ts = startMicros;
  e.dur = std::max(0.0, durationMicros);
  e.process = process;
  add(e, name, category, args);
}

void Trace::counter(llvm::StringRef name, uint32_t process,
                    Clock::time_point at, Args values) {
  Event e;
  e.phase = 'C';
  e.ts = micros(at);
  e.process = process;
  add(e, name, "memory", values);
}

void Trace::counter(Name name, uint32_t process, StampClock::Stamp at,
                    NamedArgs values) {
  Event e;
  e.phase = 'C';
  e.stamped = true;
  e.start = e.end = at;
  e.process = process;
  e.name = name;
  for (auto [argName, value] : values.take_front(2)) {
    e.argName[e.numArgs] = argName;
    e.argValue[e.numArgs++] = value;
  }
  e.category = counterCategory;
  std::lock_guard<std::mutex> lock(mutex);
  events.push(e);
}

void Trace::nameTrack(uint32_t process, int64_t thread, llvm::StringRef name) {
  std::lock_guard<std::mutex> lock(mutex);
  uint32_t id = intern(name);
  for (TrackName &t : trackNames)
    if (t.process == process && t.thread == thread) {
      t.name = id;
      return;
    }
  trackNames.push_back({process, thread, id});
}

void Trace::nameProcess(uint32_t process, llvm::StringRef name) {
  nameTrack(process, -1, name);
}

void Trace::nameThread(uint32_t process, uint32_t thread,
                       llvm::StringRef name) {
  nameTrack(process, thread, name);
}

size_t Trace::numSpans() const {
  std::lock_guard<std::mutex> lock(mutex);
  size_t n = 0;
  forEachEvent([&](const Event &e) { n += e.phase == 'X'; });
  return n;
}

size_t Trace::numSpans(llvm::StringRef category) const {
  std::lock_guard<std::mutex> lock(mutex);
  auto id = ids.find(category);
  if (id == ids.end())
    return 0;
  size_t n = 0;
  forEachEvent([&](const Event &e) {
    n += e.phase == 'X' && e.category == id->second;
  });
  return n;
}

void Trace::write(llvm::raw_ostream &os) const {
  std::lock_guard<std::mutex> lock(mutex);
  os << "{\"traceEvents\": [\n";
  bool first = true;
  auto sep = [&] {
    os << (first ? "" : ",\n");
    first = false;
  };
  for (const TrackName &t : trackNames) {
    sep();
    if (t.thread < 0)
      os << "{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": "
         << t.process << ", \"args\": {\"name\": " << strings[t.name] << "}}";
    else
      os << "{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": " << t.process
         << ", \"tid\": " << t.thread << ", \"args\": {\"name\": "
         << strings[t.name] << "}}";
  }
  auto args = [&](const Event &e) {
    if (!e.numArgs)
      return;
    os << ", \"args\": {";
    for (unsigned i = 0; i < e.numArgs; ++i)
      os << (i ? ", " : "") << strings[e.argName[i]] << ": " << e.argValue[i];
    os << "}";
  };
  uint64_t asyncId = 0;
  forEachEvent([&](const Event &e) {
    sep();
    if (e.phase == 'A') {
      // An async span: a begin and an end event paired by their id.
      ++asyncId;
      for (char phase : {'b', 'e'}) {
        if (phase == 'e')
          os << ",\n";
        os << "{\"name\": " << strings[e.name] << ", \"cat\": "
           << strings[e.category] << ", \"ph\": \"" << phase
           << "\", \"ts\": "
           << Micros{phase == 'b' ? e.ts : e.ts + e.dur}
           << ", \"pid\": " << e.process << ", \"id\": " << asyncId;
        if (phase == 'b')
          args(e);
        os << "}";
      }
      return;
    }
    os << "{\"name\": " << strings[e.name] << ", \"cat\": "
       << strings[e.category] << ", \"ph\": \"" << e.phase
       << "\", \"ts\": " << Micros{e.ts};
    if (e.phase == 'X')
      os << ", \"dur\": " << Micros{e.dur};
    os << ", \"pid\": " << e.process;
    if (e.phase == 'X')
      os << ", \"tid\": " << e.thread;
    args(e);
    os << "}";
  });
  os << "\n], \"displayTimeUnit\": \"ms\"}\n";
}

llvm::Error Trace::writeFile(llvm::StringRef path) const {
  if (path == "-") {
    write(llvm::outs());
    llvm::outs().flush();
    return llvm::Error::success();
  }
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return makeError("cannot write the trace '" + path + "': " + ec.message());
  write(out);
  out.close();
  if (out.has_error())
    return makeError("cannot write the trace '" + path +
                     "': " + out.error().message());
  return llvm::Error::success();
}
