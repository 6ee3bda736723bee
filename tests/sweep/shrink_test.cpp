// Shrinking: the seed's random faults as an explicit schedule run exactly like the
// random ones; the shrinker's passes on a synthetic oracle; `dsim shrink` end to end.
#include <gtest/gtest.h>

#include <algorithm>

#include "explore/explicit_schedule.h"
#include "explore/shrink_moves.h"
#include "explore/shrinker.h"
#include "protocols/registry.h"
#include "runner/run_scenario.h"
#include "sweep_test_util.h"

namespace dsim::explore {
namespace {

using namespace testing;

constexpr int64_t kMs = 1'000'000;

std::string trace_after_header(const Scenario& s, const fs::path& path) {
  RunOptions o;
  o.trace_path = path.string();
  run_scenario(s, o);
  std::string text = read_text(path);
  return text.substr(text.find('\n') + 1);
}

TEST(Shrink, ExplicitScheduleRunsExactlyLikeTheRandomFaults) {
  ScenarioLoader loader(protocol_families());
  fs::path dir = test_dir();
  for (uint64_t seed : {3u, 8u}) {
    Scenario random = loader.load_file(
        std::string(DSIM_SOURCE_DIR) + "/scenarios/heartbeat-random-faults.json", {}, seed);
    Json doc = explicit_scenario_document(random);
    EXPECT_FALSE(doc["faults"].contains("random"));
    EXPECT_EQ(doc["seed"], seed);
    Scenario scripted = loader.load_json(doc, "explicit", {}, std::nullopt);
    EXPECT_FALSE(scripted.nemesis);
    EXPECT_EQ(scripted.scripted_faults.size(), effective_faults(random).size());
    EXPECT_GT(scripted.scripted_faults.size(), 0u);
    EXPECT_EQ(trace_after_header(random, dir / "a"), trace_after_header(scripted, dir / "b"));
  }
}

// An oracle that needs a crash of n2 covering [1s, 1.35s], a run of at least 2s and at
// least 2 clients; a fault naming a node the scenario lacks does not load.
Verdict synthetic_judge(const Json& doc) {
  Verdict v;
  std::vector<std::string> names;
  Json nodes = explicit_nodes(doc["nodes"]);
  for (auto role = nodes.begin(); role != nodes.end(); ++role) {
    for (const Json& n : *role) names.push_back(n.get<std::string>());
  }
  auto known = [&](const Json& list) {
    if (list.is_string()) return std::count(names.begin(), names.end(), list.get<std::string>()) > 0;
    for (const Json& n : list) {
      if (std::count(names.begin(), names.end(), n.get<std::string>()) == 0) return false;
    }
    return true;
  };
  std::vector<std::pair<int64_t, int64_t>> crashes;
  for (const Json& f : schedule_of(doc)) {
    for (const NodeListRef& ref : node_lists(f)) {
      if (!known(node_list(const_cast<Json&>(f), ref))) return v;
    }
    if (f.contains("node") && f["node"].is_string() && !known(f["node"])) return v;
    int64_t at = *duration_ns(f["at"]);
    if (f["action"] == "crash" && f["node"] == "n2") crashes.push_back({at, at + *duration_ns(f["for"])});
  }
  int64_t clients = doc["workload"]["clients"].get<int64_t>();
  if (names.empty() || clients < 1) return v;
  v.loaded = true;
  v.nodes = names.size();
  v.nodes_by_role["node"] = names.size();
  int64_t duration = *duration_ns(doc["duration"]);
  v.events = static_cast<uint64_t>(duration / kMs);
  std::sort(crashes.begin(), crashes.end());
  int64_t covered_to = 1000 * kMs;
  for (auto [from, to] : crashes) {
    if (from <= covered_to) covered_to = std::max(covered_to, to);
  }
  v.failed = covered_to >= 1350 * kMs && duration >= 2000 * kMs && clients >= 2;
  if (v.failed) v.check = "x";
  return v;
}

Json synthetic_start() {
  return Json::parse(R"({
    "name": "synthetic", "duration": "10s", "nodes": 5, "workload": {"clients": 6},
    "faults": {"schedule": [
      {"at": "900ms", "action": "crash", "node": "n2", "for": "300ms"},
      {"at": "1.15s", "action": "crash", "node": "n2", "for": "250ms"},
      {"at": "2s", "action": "link_slow", "from": ["n0"], "to": ["n1", "n3"], "extra_latency": "100ms", "for": "1s"},
      {"at": "3s", "action": "pause", "node": "n4", "for": "1s"},
      {"at": "5s", "action": "partition", "groups": [["n0", "n1"], ["n3"]], "for": "2s"},
      {"at": "6s", "action": "clock_jump", "node": ["n1", "n3"], "by": "500ms", "for": "1s"}
    ]}})");
}

TEST(Shrink, ShrinkerRemovesMergesShortensAndDropsNodes) {
  ShrinkResult r = Shrinker(synthetic_judge, "x").run(synthetic_start());
  ASSERT_TRUE(r.verdict.failed);
  EXPECT_EQ(r.verdict.check, "x");
  ASSERT_EQ(r.after.faults, 1u) << r.document.dump(2);
  const Json fault = schedule_of(r.document)[0];
  EXPECT_EQ(fault["action"], "crash");
  EXPECT_EQ(fault["node"], "n2");
  int64_t at = *duration_ns(fault["at"]), lasts = *duration_ns(fault["for"]);
  EXPECT_LE(at, 1000 * kMs);
  EXPECT_GE(at + lasts, 1350 * kMs);
  EXPECT_LE(lasts, 470 * kMs) << "the two crashes merged, then shortened";
  EXPECT_GE(r.after.duration_ns, 2000 * kMs);
  EXPECT_LE(r.after.duration_ns, 2200 * kMs);
  EXPECT_EQ(r.document["workload"]["clients"], 2);
  EXPECT_EQ(r.after.nodes, 1u) << r.document["nodes"].dump();
  EXPECT_EQ(r.before.faults, 6u);
  EXPECT_EQ(r.before.nodes, 5u);
  EXPECT_TRUE(no_larger(r.after, r.before));
  EXPECT_FALSE(r.budget_spent);
  // Deterministic: the same input gives the same output and the same number of runs.
  ShrinkResult again = Shrinker(synthetic_judge, "x").run(synthetic_start());
  EXPECT_EQ(again.document, r.document);
  EXPECT_EQ(again.runs, r.runs);
}

TEST(Shrink, ShrinkerKeepsToItsRunBudget) {
  ShrinkResult r = Shrinker(synthetic_judge, "x", ShrinkOptions{6}).run(synthetic_start());
  EXPECT_TRUE(r.budget_spent);
  EXPECT_LE(r.runs, 7u);  // the budget, plus one run confirming the compact node form
  EXPECT_TRUE(synthetic_judge(r.document).failed);
  EXPECT_TRUE(no_larger(r.after, r.before));
}

TEST(Shrink, MovesMergeOnlyOverlappingCopiesOfOneFault) {
  Json a = Json::parse(R"({"at": "1s", "action": "crash", "node": "n1", "for": "500ms"})");
  Json b = Json::parse(R"({"at": "1.5s", "action": "crash", "node": "n1", "for": "1s"})");
  Json c = Json::parse(R"({"at": "1.6s", "action": "crash", "node": "n1", "for": "1s"})");
  Json d = Json::parse(R"({"at": "1.2s", "action": "crash", "node": "n2", "for": "1s"})");
  auto m = merged_fault(a, b);
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)["at"], "1s");
  EXPECT_EQ((*m)["for"], "1.5s");
  EXPECT_FALSE(merged_fault(a, c));  // a gap between them
  EXPECT_FALSE(merged_fault(a, d));  // another node
  EXPECT_EQ(compact_nodes(explicit_nodes(Json(4))), Json(4));
  Json roles = Json::parse(R"({"coordinator": 1, "participant": 3})");
  EXPECT_EQ(explicit_nodes(roles)["participant"], Json::parse(R"(["participant1", "participant2", "participant3"])"));
  EXPECT_EQ(compact_nodes(explicit_nodes(roles)), roles);
}

// The first seed of the tight heartbeat scenario that fails.
uint64_t first_failing_seed() {
  ScenarioLoader loader(protocol_families());
  for (uint64_t seed = 1; seed < 100; ++seed) {
    if (!run_scenario(loader.load_file(kTight, {}, seed), RunOptions{}).result.violations.empty()) {
      return seed;
    }
  }
  ADD_FAILURE() << "no failing seed in 1..99";
  return 0;
}

TEST(Shrink, ShrunkFileFailsTheSameCheckOnItsOwnAndIsNoLarger) {
  fs::path dir = test_dir();
  uint64_t seed = first_failing_seed();
  fs::path out = dir / "min.json", again = dir / "again.json";
  std::string args = "shrink " + kTight + " --seed " + std::to_string(seed) + " --max-runs 150 --out ";
  ASSERT_EQ(dsim(args + out.string()), 0);
  EXPECT_EQ(dsim("run " + out.string()), 1);

  ScenarioLoader loader(protocol_families());
  Scenario original = loader.load_file(kTight, {}, seed);
  Scenario shrunk = loader.load_file(out.string(), {}, std::nullopt);
  RunReport r = run_scenario(shrunk, RunOptions{});
  ASSERT_FALSE(r.result.violations.empty());
  EXPECT_EQ(r.result.violations.front().check, "settled_view");
  ASSERT_TRUE(shrunk.expect);
  EXPECT_EQ(shrunk.expect->check, "settled_view");
  EXPECT_FALSE(shrunk.nemesis) << "self-contained: no random faults left";
  EXPECT_LE(shrunk.scripted_faults.size(), effective_faults(original).size());
  EXPECT_LE(shrunk.cluster.size(), original.cluster.size());
  EXPECT_LE(shrunk.duration, original.duration);
  // Deterministic: shrinking again writes the same file.
  ASSERT_EQ(dsim(args + again.string()), 0);
  EXPECT_EQ(read_text(out), read_text(again));
}

TEST(Shrink, PassingSeedIsBadInput) {
  fs::path out = test_dir() / "min.json";
  EXPECT_EQ(dsim("shrink " + std::string(DSIM_SOURCE_DIR) + "/scenarios/default.json --seed 1 --out " +
                 out.string()),
            2);
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace dsim::explore
