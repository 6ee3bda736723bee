// The random nemesis: a pure function of (config, seed); swarm mode varies the fault mix
// across seeds; every fault ends by `stop`; crashes and pauses respect max_down.
#include <gtest/gtest.h>

#include <set>

#include "faults/nemesis.h"

namespace dsim {
namespace {

NemesisConfig config(size_t nodes) {
  NemesisConfig c;
  c.kinds = random_fault_kinds();
  c.stall_timers = {"tick"};
  c.swarm = true;
  for (NodeId n = 0; n < nodes; ++n) c.targets.push_back(n);
  c.start = Instant{Duration::seconds(1).ns};
  c.stop = Instant{Duration::seconds(20).ns};
  c.mean_interval = Duration::millis(300);
  c.max_down = 2;
  return c;
}

std::string dump(const NemesisPlan& p, const Cluster& c) {
  std::string out;
  for (const auto& a : p.actions) out += a.to_json(c).dump() + "\n";
  return out;
}

Cluster cluster(size_t n) {
  Cluster c;
  for (size_t i = 0; i < n; ++i) c.add("n" + std::to_string(i), "node");
  return c;
}

TEST(Nemesis, SameSeedSamePlan) {
  Cluster c = cluster(5);
  EXPECT_EQ(dump(plan_nemesis(config(5), 5, 42), c), dump(plan_nemesis(config(5), 5, 42), c));
  EXPECT_NE(dump(plan_nemesis(config(5), 5, 42), c), dump(plan_nemesis(config(5), 5, 43), c));
}

TEST(Nemesis, SwarmGivesManyDifferentMixes) {
  std::set<std::vector<std::string>> mixes;
  for (uint64_t seed = 1; seed <= 200; ++seed) mixes.insert(plan_nemesis(config(5), 5, seed).enabled_kinds);
  EXPECT_GT(mixes.size(), 100u);  // 2^12 - 1 possible non-empty mixes
}

TEST(Nemesis, EveryFaultEndsByStopAndDownNodesRespectTheBound) {
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    NemesisConfig cfg = config(5);
    NemesisPlan plan = plan_nemesis(cfg, 5, seed);
    std::vector<std::pair<Instant, Instant>> down;  // crash/pause intervals
    for (const FaultAction& a : plan.actions) {
      ASSERT_GE(a.at, cfg.start);
      ASSERT_TRUE(a.lasts.has_value());
      ASSERT_LE((a.at + *a.lasts).ns, cfg.stop.ns) << seed;
      if (a.kind == FaultAction::Kind::kCrash || a.kind == FaultAction::Kind::kPause) {
        down.push_back({a.at, a.at + *a.lasts});
      }
    }
    for (const auto& [start, end] : down) {
      size_t overlapping = 0;
      for (const auto& [s2, e2] : down) {
        if (s2 <= start && start < e2) ++overlapping;
      }
      ASSERT_LE(overlapping, cfg.max_down) << seed;
    }
  }
}

TEST(Nemesis, OnlyTargetsAreHitByNodeFaults) {
  NemesisConfig cfg = config(6);
  cfg.targets = {1, 3};
  cfg.swarm = false;
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    for (const FaultAction& a : plan_nemesis(cfg, 6, seed).actions) {
      for (NodeId n : a.nodes) ASSERT_TRUE(n == 1 || n == 3);
    }
  }
}

}  // namespace
}  // namespace dsim
