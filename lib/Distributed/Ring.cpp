//===- Ring.cpp - The consistent-hash ring of a cluster's schedulers ------===//

#include "mars/Distributed/Ring.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

#include <algorithm>

using namespace mars::dist;

static uint64_t splitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t mars::dist::ringHash(llvm::StringRef text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return splitMix(h);
}

uint64_t mars::dist::ringHash(uint64_t key) { return splitMix(key); }

HashRing::HashRing(llvm::ArrayRef<std::string> members) {
  for (const std::string &m : members)
    add(m);
}

bool HashRing::contains(llvm::StringRef member) const {
  return llvm::is_contained(names, member);
}

bool HashRing::add(llvm::StringRef member) {
  if (member.empty() || contains(member))
    return false;
  uint32_t index = names.size();
  names.push_back(member.str());
  for (int v = 0; v < kVirtualNodes; ++v)
    points.push_back(
        {ringHash((llvm::Twine(member) + "#" + llvm::Twine(v)).str()), index});
  llvm::sort(points);
  return true;
}

std::optional<std::string>
HashRing::owner(uint64_t key,
                llvm::function_ref<bool(llvm::StringRef)> eligible) const {
  if (points.empty())
    return std::nullopt;
  llvm::SmallVector<int8_t, 8> ok(names.size(), -1);
  uint64_t at = ringHash(key);
  size_t start = std::lower_bound(points.begin(), points.end(),
                                  std::make_pair(at, uint32_t(0))) -
                 points.begin();
  for (size_t k = 0; k < points.size(); ++k) {
    uint32_t m = points[(start + k) % points.size()].second;
    if (ok[m] < 0)
      ok[m] = eligible(names[m]);
    if (ok[m])
      return names[m];
  }
  return std::nullopt;
}

std::vector<std::string> mars::dist::splitAddresses(llvm::StringRef list) {
  llvm::SmallVector<llvm::StringRef, 4> parts;
  list.split(parts, ',', -1, /*KeepEmpty=*/false);
  std::vector<std::string> out;
  for (llvm::StringRef p : parts)
    if (!p.trim().empty())
      out.push_back(p.trim().str());
  return out;
}
