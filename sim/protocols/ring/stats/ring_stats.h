// The engine behind `dsim ring-stats`: places K keys with each requested algorithm and
// configuration, plays the same membership events on each, and reports balance and key
// movement as JSON. Deterministic for a seed, except `lookup_ns`, which comes from the
// caller's timer (the CLI times lookups; tests pass none and get null).
//
// Node layouts come from the seed: trial i places the nodes under layout seed
// Rng::stream(seed, "ring-stats/layout/i").next_u64(), which every algorithm sees through
// the names it hashes (node "node-3" is placed as "node-3#<layout seed, 16 hex digits>";
// reports show "node-3"). Each configuration reports trial 0's figures (a plain run is
// one trial) and, under "trials", the mean, sample stddev, min and max of every figure
// over the T trials: the papers' averages over random layouts. Keys and events are the
// same in every trial. Jump places nodes by number, not name: its trials are identical.
// Nodes from a file keep their names as given (the user's real layout): one trial.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/json.h"
#include "protocols/ring/placement/placement.h"

namespace dsim::ring {

struct RingStatsRequest {
  std::vector<std::string> algorithms = {"ring"};
  // One configuration per combination of the values an algorithm uses.
  std::vector<uint32_t> nodes = {100};
  std::vector<uint32_t> vnodes = {160};
  std::vector<uint32_t> table_sizes = {65537};
  std::vector<uint32_t> probes = {21};
  std::vector<double> epsilons = {0.25};
  uint64_t keys = 0;  // 0: keys_per_node * nodes, per configuration
  uint64_t keys_per_node = 10000;
  size_t replicas = 1;
  uint64_t seed = 1;
  std::vector<std::string> events;  // membership_events.h tokens
  uint32_t random_events = 0;
  std::vector<double> weights;      // by node number, cycling; empty: all 1
  uint32_t trials = 1;              // seeded node layouts, 1 to 10,000
  // Initial nodes from a nodes file (names hashed as given, weights from the file); empty:
  // `nodes` nodes named node-0 .. node-(N-1). When given, `nodes` must be {its size},
  // `weights` empty and `trials` 1; nodes added by events are named node-<number>, weight 1.
  std::vector<Member> node_list;
  size_t landed_limit = 64;         // per removal: at most this many receiving nodes listed
  size_t moved_sample_limit = 8;    // per event: this many moved keys listed
};

// Nanoseconds per lookup (key hashing included), or nullopt. `keys` are key strings.
using LookupTimer =
    std::function<std::optional<double>(const Placement& placement, std::span<const std::string> keys)>;

// Throws std::invalid_argument for a bad request (unknown algorithm, bad option, bad
// event, weights on an algorithm without them).
Json run_ring_stats(const RingStatsRequest& request, const LookupTimer& timer = nullptr);

// Trial `trial`'s layout seed under `seed`.
uint64_t ring_stats_layout_seed(uint64_t seed, uint32_t trial);

// The deterministic key names ring-stats uses: "key-" + 16 hex digits from the seed.
std::vector<std::string> ring_stats_keys(uint64_t seed, uint64_t count);

}  // namespace dsim::ring
