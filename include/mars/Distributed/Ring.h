//===- Ring.h - The schedulers of a cluster on a consistent-hash ring -*- C++ -*-===//
//
// A cluster may run several schedulers. Each job is placed on one of them
// by a consistent-hash ring with virtual nodes: every scheduler (named by
// the address it listens on) owns kVirtualNodes points on a 64-bit circle,
// and a job belongs to the first point clockwise of its id's hash whose
// scheduler is eligible (up, in the asker's view). When a scheduler goes,
// only its jobs move, each to the next eligible point; when it comes back,
// new jobs hash to it again. Every process computes the same owner from
// the same member list: the hash is fixed (not std::hash).
//
//===----------------------------------------------------------------------===//

#ifndef MARS_DISTRIBUTED_RING_H
#define MARS_DISTRIBUTED_RING_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mars::dist {

/// A fixed 64-bit hash of `text` (FNV-1a, then a SplitMix64 finaliser so
/// that nearby names spread over the whole circle).
uint64_t ringHash(llvm::StringRef text);
/// The position of a job on the circle.
uint64_t ringHash(uint64_t key);

class HashRing {
public:
  static constexpr int kVirtualNodes = 64;

  HashRing() = default;
  explicit HashRing(llvm::ArrayRef<std::string> members);

  /// Adds `member` (no effect if present); true if it was new.
  bool add(llvm::StringRef member);
  bool contains(llvm::StringRef member) const;
  /// In the order they were added.
  const std::vector<std::string> &members() const { return names; }

  /// The member owning `key`: the first virtual node clockwise from
  /// ringHash(key) whose member `eligible` accepts; none if it accepts none.
  std::optional<std::string>
  owner(uint64_t key,
        llvm::function_ref<bool(llvm::StringRef)> eligible) const;

private:
  std::vector<std::string> names;
  /// (position, index into names), sorted.
  std::vector<std::pair<uint64_t, uint32_t>> points;
};

/// "a,b , c" -> {"a", "b", "c"}: the addresses of a comma-separated list.
std::vector<std::string> splitAddresses(llvm::StringRef list);

} // namespace mars::dist

#endif // MARS_DISTRIBUTED_RING_H
