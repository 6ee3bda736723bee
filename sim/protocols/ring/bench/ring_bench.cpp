// ring_bench: lookup cost (key hashing included) at 1,000 nodes per algorithm, and the
// wall time of a ring-stats run over 1,000,000 keys, 100 nodes and 50 events.
// Targets from the issue: ring (256 vnodes) <= 100 ns, jump <= 50 ns, maglev <= 25 ns,
// ring-stats <= 10 s on the 2-core machine.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "protocols/ring/placement/placement.h"
#include "protocols/ring/stats/ring_stats.h"

namespace dsim::ring {
namespace {

constexpr uint32_t kNodes = 1000;
constexpr size_t kKeyMask = (1 << 16) - 1;  // 65,536 distinct keys, cycled

const std::vector<std::string>& keys() {
  static const std::vector<std::string> k = ring_stats_keys(1, kKeyMask + 1);
  return k;
}

// The algorithm over nodes node-0 .. node-999 (the ring with 256 virtual nodes each).
std::unique_ptr<Placement> placement_of_1000(const std::string& algorithm) {
  PlacementOptions o;
  o.algorithm = algorithm;
  o.vnodes = 256;
  auto p = make_placement(o);
  std::vector<Member> members;
  for (uint32_t i = 0; i < kNodes; ++i) members.push_back(Member{i, "node-" + std::to_string(i), 1.0});
  p->add_all(members);
  return p;
}

void lookup(benchmark::State& state, const std::string& algorithm) {
  auto p = placement_of_1000(algorithm);
  const auto& k = keys();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(p->owner(p->hash_key(k[i++ & kKeyMask])));
  }
  state.SetLabel(std::to_string(kNodes) + " nodes, hash included");
}

// The lookup's two halves apart: the walk/search on precomputed hashes, and the key hash.
void owner_only(benchmark::State& state, const std::string& algorithm) {
  auto p = placement_of_1000(algorithm);
  std::vector<uint64_t> h;
  for (const auto& k : keys()) h.push_back(p->hash_key(k));
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(p->owner(h[i++ & kKeyMask]));
}
void hash_only(benchmark::State& state, const std::string& algorithm) {
  PlacementOptions o;
  o.algorithm = algorithm;
  auto p = make_placement(o);
  const auto& k = keys();
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(p->hash_key(k[i++ & kKeyMask]));
}
// The library's XXH64 on the same keys: what key_hash saves on short keys.
void hash_only_xxh64(benchmark::State& state) {
  const auto& k = keys();
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(xxh64(k[i++ & kKeyMask], 0));
}
BENCHMARK(hash_only_xxh64);
BENCHMARK_CAPTURE(owner_only, jump, std::string("jump"));
BENCHMARK_CAPTURE(owner_only, ring_256_vnodes, std::string("ring"));
BENCHMARK_CAPTURE(hash_only, key_hash, std::string("jump"));

void ring_stats(benchmark::State& state, const std::string& algorithm) {
  RingStatsRequest r;
  r.algorithms = {algorithm};
  r.nodes = {100};
  r.keys = 1'000'000;
  r.random_events = 50;
  for (auto _ : state) benchmark::DoNotOptimize(run_ring_stats(r));
  state.SetLabel("1,000,000 keys, 100 nodes, 50 events");
}

BENCHMARK_CAPTURE(lookup, ring_256_vnodes, std::string("ring"));
BENCHMARK_CAPTURE(lookup, jump, std::string("jump"));
BENCHMARK_CAPTURE(lookup, maglev_65537, std::string("maglev"));
BENCHMARK_CAPTURE(lookup, multiprobe_21, std::string("multiprobe"));
BENCHMARK_CAPTURE(lookup, rendezvous, std::string("rendezvous"));
BENCHMARK_CAPTURE(lookup, seed_sha256, std::string("seed"));
BENCHMARK_CAPTURE(ring_stats, ring, std::string("ring"))->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(ring_stats, jump, std::string("jump"))->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(ring_stats, maglev, std::string("maglev"))->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace dsim::ring

BENCHMARK_MAIN();
