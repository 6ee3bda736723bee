// Which seeds a sweep runs: an inclusive range "A..B", optionally one shard of it.
//
// Shard I of N owns the seeds s with s % N == I. The N shards are disjoint, together they
// cover any range exactly once, and a seed's shard depends only on the seed (not on the
// range), so a shard can be resumed or re-run with a wider range and stay consistent.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace dsim::explore {

struct SeedRange {
  uint64_t first = 1;
  uint64_t last = 1;  // inclusive
  bool contains(uint64_t seed) const { return seed >= first && seed <= last; }
};

struct Shard {
  uint64_t index = 0;  // 0-based, like Slurm's array index and Kubernetes' completion index
  uint64_t count = 1;
  bool owns(uint64_t seed) const { return seed % count == index; }
};

// "A..B" (inclusive) or a single seed "N". Returns nullopt and sets `error` when malformed.
std::optional<SeedRange> parse_seed_range(std::string_view text, std::string& error);
// "I/N" with 0 <= I < N.
std::optional<Shard> parse_shard(std::string_view text, std::string& error);

// How many seeds of `range` the shard owns.
uint64_t owned_seed_count(SeedRange range, Shard shard);

// The seeds of a range that a shard owns, in ascending order, skipping those in `skip`
// (already done, e.g. when resuming). Not thread-safe: the sweep draws under its lock.
class SeedSequence {
 public:
  SeedSequence(SeedRange range, Shard shard, std::set<uint64_t> skip = {});
  std::optional<uint64_t> next();

 private:
  SeedRange range_;
  Shard shard_;
  std::set<uint64_t> skip_;
  std::optional<uint64_t> cursor_;  // the next owned seed, before skipping
};

}  // namespace dsim::explore
