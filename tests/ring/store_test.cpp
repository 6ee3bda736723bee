// The replicated store in the simulator: the failure detector on its own (sans-I/O) and
// what the scenarios show. Their expected exit codes and byte-identical traces per seed
// are checked for every shipped scenario by tests/core/scenario_files_test.cpp.
#include <gtest/gtest.h>

#include <fstream>

#include "protocols/registry.h"
#include "protocols/ring/store/membership_view.h"
#include "runner/run_scenario.h"

namespace dsim::ring {
namespace {

TEST(MembershipView, JoinsWhenHeardAndLeavesAfterTheTimeout) {
  MembershipView v(4, 0, {0, 1}, Instant{0}, Duration::millis(500));
  EXPECT_EQ(v.members(), (std::vector<NodeId>{0, 1}));
  EXPECT_TRUE(v.heard(2, Instant{Duration::millis(100).ns}));
  EXPECT_FALSE(v.heard(2, Instant{Duration::millis(200).ns}));
  EXPECT_TRUE(v.expire(Instant{Duration::millis(500).ns}).empty());  // exactly the timeout: not yet
  EXPECT_EQ(v.expire(Instant{Duration::millis(501).ns}), (std::vector<NodeId>{1}));
  EXPECT_EQ(v.expire(Instant{Duration::millis(701).ns}), (std::vector<NodeId>{2}));
  EXPECT_EQ(v.members(), (std::vector<NodeId>{0}));  // never expires itself
}

Scenario load(const std::string& file, const std::vector<Override>& overrides = {}) {
  ScenarioLoader loader(protocol_families());
  return loader.load_file(std::string(DSIM_SOURCE_DIR) + "/scenarios/ring/" + file, overrides, std::nullopt);
}

TEST(RingScenarios, RebalanceMovesOnlyTheChangedNodesKeysAndServesEveryOperation) {
  RunReport report = run_scenario(load("rebalance.json"), RunOptions{});
  const Json& m = report.summary["metrics"];
  EXPECT_EQ(m["availability"]["availability"].get<double>(), 1.0);
  EXPECT_EQ(m["fresh_reads"]["stale_reads"], 0);
  EXPECT_EQ(m["settled_membership"]["removed_while_up"], 0);
  EXPECT_GT(m["fresh_reads"]["reads_checked"].get<int>(), 500);
}

TEST(RingScenarios, PartitionMakesHealthyNodesLookDead) {
  RunReport report = run_scenario(load("partition-flap.json"), RunOptions{});
  const Json& m = report.summary["metrics"]["settled_membership"];
  EXPECT_GT(m["removed_while_up"].get<int>(), 0);
  EXPECT_GT(m["re_added"].get<int>(), 0);  // and back: the membership flaps
}

// A node leaves and rejoins before the clients start: every coordinator ends with the same
// member set through different histories. Maglev used to fill its table in join order and
// served stale reads here (quorums of 1); jump still depends on history by design, and
// replica_agreement says so.
TEST(RingScenarios, MaglevRejoinCoordinatorsWithEqualViewsAgree) {
  RunReport report = run_scenario(load("maglev-rejoin.json"), RunOptions{});
  const Json& m = report.summary["metrics"];
  EXPECT_GT(m["replica_agreement"]["operations_compared"].get<int>(), 1000);
  EXPECT_EQ(m["replica_agreement"]["disagreements"], 0);
  EXPECT_EQ(m["fresh_reads"]["stale_reads"], 0);
  EXPECT_EQ(m["settled_membership"]["re_added"].get<int>(), 4);  // each peer re-added s2

  // The same scenario under jump, which has no table (table_size is not a setting there).
  std::ifstream in(std::string(DSIM_SOURCE_DIR) + "/scenarios/ring/maglev-rejoin.json");
  Json doc = Json::parse(in);
  doc["protocol"]["variant"] = "jump";
  doc["protocol"].erase("table_size");
  RunReport j = run_scenario(ScenarioLoader(protocol_families()).load_json(doc, "maglev-rejoin.json", {}, std::nullopt),
                             RunOptions{});
  EXPECT_GT(j.summary["metrics"]["replica_agreement"]["disagreements"].get<int>(), 0);
}

}  // namespace
}  // namespace dsim::ring
