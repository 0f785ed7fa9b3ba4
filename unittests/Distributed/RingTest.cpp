//===- RingTest.cpp - The consistent-hash ring of schedulers ---------------===//
//
// What the takeover tests cannot show from outside: every process computes
// the same owner from the same members, in any order of joining; jobs
// spread over the members; losing a member moves only its jobs, each to a
// live member; a member coming back gets exactly its jobs back.
//
//===----------------------------------------------------------------------===//

#include "mars/Distributed/Ring.h"

#include "gtest/gtest.h"

#include <map>
#include <set>

using namespace mars::dist;

namespace {

std::vector<std::string> members(int n) {
  std::vector<std::string> m;
  for (int i = 0; i < n; ++i)
    m.push_back("10.0.0." + std::to_string(i + 1) + ":7077");
  return m;
}

auto everyone = [](llvm::StringRef) { return true; };

TEST(HashRing, SameOwnerInEveryProcessWhateverTheOrder) {
  auto m = members(5);
  HashRing a(m);
  std::vector<std::string> reversed(m.rbegin(), m.rend());
  HashRing b(reversed);
  for (uint64_t job = 1; job < 2000; ++job)
    EXPECT_EQ(*a.owner(job * 7919, everyone), *b.owner(job * 7919, everyone));
  // The hash is fixed: processes built by different compilers agree.
  EXPECT_EQ(ringHash("127.0.0.1:7077"), ringHash(llvm::StringRef("127.0.0.1:7077")));
  EXPECT_NE(ringHash(uint64_t(1)), ringHash(uint64_t(2)));
}

TEST(HashRing, JobsSpreadOverTheMembers) {
  HashRing ring(members(5));
  std::map<std::string, int> count;
  const int jobs = 50000;
  for (uint64_t job = 1; job <= jobs; ++job)
    ++count[*ring.owner(job, everyone)];
  ASSERT_EQ(count.size(), 5u);
  // 64 virtual nodes each: every member within 40% of its fair share.
  for (auto &[member, n] : count) {
    EXPECT_GT(n, jobs / 5 * 6 / 10) << member;
    EXPECT_LT(n, jobs / 5 * 14 / 10) << member;
  }
}

TEST(HashRing, LosingAMemberMovesOnlyItsJobs) {
  auto m = members(4);
  HashRing ring(m);
  const std::string gone = m[2];
  auto alive = [&](llvm::StringRef s) { return s != gone; };
  int moved = 0;
  for (uint64_t job = 1; job <= 20000; ++job) {
    std::string before = *ring.owner(job, everyone);
    std::string after = *ring.owner(job, alive);
    EXPECT_NE(after, gone);
    if (before != gone)
      EXPECT_EQ(before, after) << "job " << job << " moved needlessly";
    else
      ++moved;
  }
  EXPECT_GT(moved, 0);
  // Two lost, one after the other: the survivors take everything.
  auto two = [&](llvm::StringRef s) { return s != gone && s != m[0]; };
  std::set<std::string> owners;
  for (uint64_t job = 1; job <= 2000; ++job)
    owners.insert(*ring.owner(job, two));
  EXPECT_EQ(owners, (std::set<std::string>{m[1], m[3]}));
}

TEST(HashRing, NoEligibleMemberIsNoOwner) {
  HashRing ring(members(3));
  EXPECT_FALSE(ring.owner(42, [](llvm::StringRef) { return false; }));
  HashRing empty;
  EXPECT_FALSE(empty.owner(42, everyone));
}

TEST(HashRing, MembersAreAddedOnce) {
  HashRing ring;
  EXPECT_TRUE(ring.add("a:1"));
  EXPECT_FALSE(ring.add("a:1"));
  EXPECT_FALSE(ring.add(""));
  EXPECT_TRUE(ring.add("b:2"));
  EXPECT_EQ(ring.members().size(), 2u);
  EXPECT_TRUE(ring.contains("b:2"));
  EXPECT_FALSE(ring.contains("c:3"));
}

TEST(HashRing, AddressLists) {
  EXPECT_EQ(splitAddresses(" a:1, b:2 ,,c:3 "),
            (std::vector<std::string>{"a:1", "b:2", "c:3"}));
  EXPECT_TRUE(splitAddresses("").empty());
  EXPECT_EQ(splitAddresses("h:7077"), (std::vector<std::string>{"h:7077"}));
}

} // namespace
