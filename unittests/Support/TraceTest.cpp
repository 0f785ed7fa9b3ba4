//===- TraceTest.cpp - Trace Event JSON ------------------------------------===//

#include "mars/Support/Trace.h"

#include "llvm/Support/JSON.h"

#include "gtest/gtest.h"

#include <thread>

using namespace mars;

namespace {

llvm::json::Array eventsOf(const Trace &t) {
  std::string text;
  llvm::raw_string_ostream os(text);
  t.write(os);
  auto parsed = llvm::json::parse(text);
  EXPECT_TRUE(bool(parsed)) << text;
  if (!parsed) {
    llvm::consumeError(parsed.takeError());
    return {};
  }
  EXPECT_EQ(*parsed->getAsObject()->getString("displayTimeUnit"), "ms");
  return *parsed->getAsObject()->getArray("traceEvents");
}

TEST(TraceTest, SpansCountersAndNames) {
  Trace t;
  auto start = t.origin() + std::chrono::microseconds(10);
  t.nameProcess(0, "first");
  t.nameProcess(0, "mars"); // Replaces the first name.
  t.nameThread(0, 1, "worker \"0\"");
  t.span("map", "fused(exp, add)", 0, 1, start,
         start + std::chrono::microseconds(5), {{"chunk", 7}, {"step", 2}});
  t.span("partial", "sum", 0, 1, start, start, {{"chunk", 3}});
  t.counter("memory", 0, start, {{"in memory", 100}, {"on disk", 5}});
  t.asyncSpanAt("transfer", "fetch", 2, 20.0, 4.0, {{"bytes", 64}});
  EXPECT_EQ(t.numSpans(), 2u);
  EXPECT_EQ(t.numSpans("map"), 1u);
  EXPECT_EQ(t.numSpans("spill"), 0u);

  llvm::json::Array events = eventsOf(t);
  ASSERT_EQ(events.size(), 7u); // 2 names, 2 spans, a counter, begin, end.
  auto at = [&](size_t i) { return events[i].getAsObject(); };
  EXPECT_EQ(*at(0)->getString("name"), "process_name");
  EXPECT_EQ(*at(0)->getObject("args")->getString("name"), "mars");
  EXPECT_EQ(*at(1)->getObject("args")->getString("name"), "worker \"0\"");
  EXPECT_EQ(*at(2)->getString("ph"), "X");
  EXPECT_EQ(*at(2)->getString("cat"), "map");
  EXPECT_EQ(*at(2)->getString("name"), "fused(exp, add)");
  EXPECT_NEAR(*at(2)->getNumber("ts"), 10.0, 1e-3);
  EXPECT_NEAR(*at(2)->getNumber("dur"), 5.0, 1e-3);
  EXPECT_EQ(*at(2)->getInteger("tid"), 1);
  EXPECT_EQ(*at(2)->getObject("args")->getInteger("chunk"), 7);
  EXPECT_EQ(*at(2)->getObject("args")->getInteger("step"), 2);
  EXPECT_EQ(*at(3)->getString("cat"), "partial");
  EXPECT_EQ(*at(3)->getObject("args")->getInteger("chunk"), 3);
  EXPECT_EQ(*at(4)->getString("ph"), "C");
  EXPECT_EQ(*at(4)->getObject("args")->getInteger("on disk"), 5);
  EXPECT_EQ(*at(5)->getString("ph"), "b");
  EXPECT_EQ(*at(6)->getString("ph"), "e");
  EXPECT_EQ(*at(5)->getInteger("id"), *at(6)->getInteger("id"));
  EXPECT_NEAR(*at(6)->getNumber("ts"), 24.0, 1e-3);
  EXPECT_EQ(*at(5)->getObject("args")->getInteger("bytes"), 64);
}

TEST(TraceTest, ConcurrentRecording) {
  Trace t;
  std::vector<std::thread> threads;
  for (uint32_t k = 0; k < 4; ++k)
    threads.emplace_back([&t, k] {
      for (int i = 0; i < 1000; ++i) {
        auto now = Trace::Clock::now();
        t.span("map", "task " + std::to_string(k), 0, k, now, now,
               {{"chunk", i}});
      }
    });
  for (auto &th : threads)
    th.join();
  EXPECT_EQ(t.numSpans("map"), 4000u);
  EXPECT_EQ(eventsOf(t).size(), 4000u);
}

TEST(TraceTest, StampClockMeasuresTime) {
  auto t0 = std::chrono::steady_clock::now();
  StampClock::Stamp s0 = StampClock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  StampClock::Stamp s1 = StampClock::now();
  double steady =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  ASSERT_GT(s1, s0);
  double seconds = StampClock::seconds(s1 - s0);
  EXPECT_LE(seconds, steady * 1.001);
  EXPECT_GE(seconds, 0.020 * 0.999);
}

// Writers' spans (stamps, one track per writer, blocks of 2 MiB) land on the
// trace's timeline next to spans timed with steady_clock.
TEST(TraceTest, WritersShareTheTimeline) {
  Trace t;
  auto t0 = Trace::Clock::now();
  StampClock::Stamp s0 = StampClock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  StampClock::Stamp s1 = StampClock::now();
  auto t1 = Trace::Clock::now();
  t.span("run", "steady", 0, 0, t0, t1);
  Trace::Name map = t.name("map"), task = t.name("task"),
              chunk = t.name("chunk"), step = t.name("step");
  // More spans than one block holds (2 MiB / 48 bytes), on two writers.
  constexpr int kSpans = 44000;
  std::vector<std::thread> threads;
  for (uint32_t k = 1; k <= 2; ++k)
    threads.emplace_back([&, k] {
      Trace::Writer &w = t.newWriter(0, k);
      std::pair<Trace::Name, int64_t> args[2] = {{chunk, 0}, {step, -3}};
      for (int i = 0; i < kSpans; ++i) {
        args[0].second = i;
        w.span(map, task, s0, s1, llvm::ArrayRef(args).take_front(1 + i % 2));
      }
    });
  for (auto &th : threads)
    th.join();
  EXPECT_EQ(t.numSpans("map"), 2u * kSpans);
  // A later run on a track continues its writer (one buffer per track).
  EXPECT_EQ(&t.newWriter(0, 1), &t.newWriter(0, 1));
  EXPECT_NE(&t.newWriter(0, 1), &t.newWriter(0, 2));

  llvm::json::Array events = eventsOf(t);
  ASSERT_EQ(events.size(), 1u + 2 * kSpans);
  const llvm::json::Object *steadySpan = events[0].getAsObject();
  double ts = *steadySpan->getNumber("ts"), dur = *steadySpan->getNumber("dur");
  std::vector<int64_t> next(3, 0);
  for (size_t i = 1; i < events.size(); ++i) {
    const llvm::json::Object *e = events[i].getAsObject();
    int64_t tid = *e->getInteger("tid");
    ASSERT_TRUE(tid == 1 || tid == 2);
    // In the order each writer recorded them, with their arguments.
    int64_t n = next[tid]++;
    EXPECT_EQ(*e->getObject("args")->getInteger("chunk"), n);
    EXPECT_EQ(e->getObject("args")->size(), n % 2 ? 2u : 1u);
    if (i % 9973 == 1) {
      // The stamped span lies inside the steady one, within the clocks'
      // reading times.
      EXPECT_GE(*e->getNumber("ts"), ts - 2.0);
      EXPECT_LE(*e->getNumber("ts") + *e->getNumber("dur"), ts + dur + 2.0);
      EXPECT_GE(*e->getNumber("dur"), 5000.0 * 0.999);
    }
  }
  EXPECT_EQ(next[1], kSpans);
  EXPECT_EQ(next[2], kSpans);
}

TEST(TraceTest, WriteFileNamesTheFile) {
  Trace t;
  llvm::Error err = t.writeFile("/nonexistent-dir/trace.json");
  ASSERT_TRUE(bool(err));
  std::string msg = llvm::toString(std::move(err));
  EXPECT_NE(msg.find("cannot write the trace '/nonexistent-dir/trace.json'"),
            std::string::npos)
      << msg;
}

} // namespace
