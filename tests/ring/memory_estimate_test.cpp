// The ring's memory estimate counts the placement a run builds: Envoy's ring grows with
// min_ring_size whatever the member count, and one maglev table is built at a time (per
// member set, shared by every store), not one per store. Peaks measured against these
// models are in README.md ("Memory limits").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocols/registry.h"
#include "protocols/ring/placement/placement.h"
#include "scenario/scenario.h"

namespace dsim {
namespace {

Scenario load(const std::vector<std::string>& sets) {
  const char* const kStore = R"({"name": "t", "duration": "4s", "nodes": {"store": 7, "client": 2},
    "protocol": {"name": "ring"}, "limits": {"max_memory": "unlimited"}})";
  std::vector<Override> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_override(s));
  return ScenarioLoader(protocol_families()).load_json(Json::parse(kStore), "t.json", overrides, std::nullopt);
}

TEST(RingMemoryEstimate, EnvoysRingGrowsWithMinRingSize) {
  // 8M points of 16 bytes, built from a list of as many 16-byte pairs: at least 256 MiB
  // (measured peak 296 MiB). Before: 9.1 MiB at every size.
  const Scenario big = load({"protocol.variant=\"envoy-ring\"", "protocol.min_ring_size=8388608"});
  EXPECT_GT(big.memory.family_bytes, 8388608.0 * 32);
  const Scenario small = load({"protocol.variant=\"envoy-ring\""});
  EXPECT_LT(small.memory.family_bytes, big.memory.family_bytes / 100);
}

TEST(RingMemoryEstimate, OneMaglevTableIsCountedNotOnePerStore) {
  // A 10M-entry table of 4-byte tags: about 38 MiB (measured peak 46 MiB in all). Before:
  // 12 bytes an entry per store, 810 MiB for 7 stores.
  const Scenario s = load({"protocol.variant=\"maglev\"", "protocol.table_size=10000019"});
  EXPECT_GT(s.memory.family_bytes, 10000019.0 * 4);
  EXPECT_LT(s.memory.total_bytes(), 10000019.0 * 4 * 2);
}

TEST(RingMemoryEstimate, PlacementBuildBytesFollowTheEnvoyFormulaWithWeights) {
  ring::PlacementOptions o;
  o.algorithm = "envoy-ring";
  o.min_ring_size = 1024;
  // Equal weights: ceil(1024 / 3) x 3 = 1026 points.
  const double equal = ring::placement_build_bytes(o, {1, 1, 1});
  // The least weight a thousandth of the total: min(ceil(1.024) x 1000, max) = 2000
  // points, against 1024 for two equal weights.
  const double skewed = ring::placement_build_bytes(o, {1, 999});
  EXPECT_LT(equal, skewed);
  EXPECT_NEAR(skewed - ring::placement_build_bytes(o, {1, 1}), (2000.0 - 1024) * 56, 64 * 2);
}

}  // namespace
}  // namespace dsim
