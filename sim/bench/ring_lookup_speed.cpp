// Hash-ring lookup time per algorithm: the cost of turning a key string into its owner
// (key hashing included), as `dsim ring-stats` and the replicated store pay it.
//
// Each algorithm is built over N members ("node-0" ...) and looks up ring-stats' own key
// names (65,536 of them, cycled, so the keys' strings stay cached and the figure is the
// placement's cost). Lookups are independent, so the CPU may overlap a few of them, as it
// would in a real request loop: this is throughput per lookup, not one lookup's latency.
// The best of three timed rounds is kept; bounded-load placement has no per-key lookup
// and is timed placing a batch of keys (assign), per key.
#include <algorithm>

#include "bench/micro_benchmarks.h"
#include "bench/process_stats.h"
#include "core/json_object.h"
#include "protocols/ring/placement/placement.h"
#include "protocols/ring/stats/ring_stats.h"

namespace dsim::bench {
namespace {

struct Algorithm {
  const char* label;
  ring::PlacementOptions options;
  double target_ns_at_1000;  // from the ring issue; 0: none set
};

std::vector<Algorithm> algorithms() {
  auto with = [](const char* name, uint32_t vnodes) {
    ring::PlacementOptions o;
    o.algorithm = name;
    o.vnodes = vnodes;
    return o;
  };
  return {{"ring_256_vnodes", with("ring", 256), 100},
          {"jump", with("jump", 0), 50},
          {"maglev_65537", with("maglev", 0), 25},
          {"multiprobe_21", with("multiprobe", 0), 0},
          {"rendezvous", with("rendezvous", 0), 0},
          {"bounded_1.25", with("bounded", 160), 0},
          {"seed_sha256", with("seed", 0), 0}};
}

// CPU nanoseconds per item, the best of three rounds of about `round_s` each.
// `batch(done)` does some items, the first being item number `done`, and returns how many.
template <typename Batch>
double best_ns_per_item(double round_s, Batch batch) {
  double best = 1e300;
  for (int round = 0; round < 3; ++round) {
    uint64_t done = 0;
    double start = cpu_seconds(), now = start;
    while (now - start < round_s) {
      done += batch(done);
      now = cpu_seconds();
    }
    best = std::min(best, (now - start) * 1e9 / static_cast<double>(done));
  }
  return best;
}

// Per lookup, key hash included. Placements that only assign in bulk are timed in bulk.
double time_lookups(const ring::Placement& p, const std::vector<std::string>& keys, double round_s) {
  const size_t mask = keys.size() - 1;
  uint64_t sink = 0;
  double ns = best_ns_per_item(round_s, [&](uint64_t done) -> uint64_t {
    if (p.per_key()) {
      for (size_t i = 0; i < 4096; ++i) sink += p.owner(p.hash_key(keys[(done + i) & mask]));
      return 4096;
    }
    std::vector<uint64_t> hashes(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) hashes[i] = p.hash_key(keys[i]);
    std::vector<ring::NodeTag> owners;
    p.assign(hashes, 1, owners);
    sink += owners.back();
    return keys.size();
  });
  volatile uint64_t keep = sink;  // the lookups' results are used
  (void)keep;
  return ns;
}

// The key hash alone (key_hash of the key string), the part every algorithm above pays.
double time_key_hash(const ring::Placement& p, const std::vector<std::string>& keys, double round_s) {
  const size_t mask = keys.size() - 1;
  uint64_t sink = 0;
  double ns = best_ns_per_item(round_s, [&](uint64_t done) -> uint64_t {
    for (size_t i = 0; i < 4096; ++i) sink += p.hash_key(keys[(done + i) & mask]);
    return 4096;
  });
  volatile uint64_t keep = sink;
  (void)keep;
  return ns;
}

}  // namespace

Json measure_ring_lookups(const std::vector<uint32_t>& node_counts, double round_s) {
  const std::vector<std::string> keys = ring::ring_stats_keys(1, 1 << 16);
  Json rows = Json::array();
  for (const Algorithm& a : algorithms()) {
    for (uint32_t n : node_counts) {
      auto p = ring::make_placement(a.options);
      std::vector<ring::Member> members;
      for (uint32_t i = 0; i < n; ++i) members.push_back(ring::Member{i, "node-" + std::to_string(i), 1.0});
      p->add_all(members);
      Json row = json_object("algorithm", a.label,
                             "nodes", n,
                             "ns_per_lookup", time_lookups(*p, keys, round_s),
                             "bytes", p->memory_bytes());
      if (a.target_ns_at_1000 > 0 && n == 1000) {
        row["target_ns"] = a.target_ns_at_1000;
        row["target_met"] = row["ns_per_lookup"].get<double>() <= a.target_ns_at_1000;
      }
      rows.push_back(std::move(row));
    }
  }
  ring::PlacementOptions o;
  o.algorithm = "jump";
  auto any = ring::make_placement(o);
  return json_object("what", "CPU ns per lookup, key hashing included, best of 3 rounds",
                     "key_hash_ns", time_key_hash(*any, keys, round_s),
                     "rows", rows);
}

}  // namespace dsim::bench
