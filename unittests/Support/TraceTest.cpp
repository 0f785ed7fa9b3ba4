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
  Trace::Name cat = t.name("partial"), name = t.name("sum");
  std::pair<Trace::Name, int64_t> args[] = {{t.name("chunk"), 3}};
  t.span(cat, name, 0, 1, start, start, args);
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
