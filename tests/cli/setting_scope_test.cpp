// Settings that cannot mean anything are refused at load, exit 2, with the file and the JSON
// path: a timer period below the floor (every period row of every family, from `dsim
// describe`), a setting of another variant, recipe or role, a nodes entry of a role the
// variant does not have (even an empty one), and a role count the variant cannot run with
// (at the nodes entry, not at "protocol").
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/describe.h"
#include "cli_test_util.h"
#include "protocols/registry.h"
#include "scenario/scenario.h"

namespace dsim {
namespace {
namespace fs = std::filesystem;

const char* const kLocks = R"({"name": "t", "duration": "2s",
  "nodes": {"lock": 1, "client": 2, "resource": 1}, "protocol": {"name": "locks", "variant": "redis"}})";
const char* const kRaft = R"({"name": "t", "duration": "2s",
  "nodes": {"lock": 3, "client": 2, "resource": 1}, "protocol": {"name": "locks", "variant": "raft"}})";
const char* const kTwoPc = R"({"name": "t", "duration": "2s",
  "nodes": {"coordinator": 1, "participant": 2, "client": 1},
  "protocol": {"name": "2pc", "variant": "basic"}, "workload": {"random": {}}})";

// The loader's error for `text` with `sets` ("protocol.x=1"), or "" when it loads.
ScenarioError load_error(const std::string& text, const std::vector<std::string>& sets = {}) {
  std::vector<Override> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_override(s));
  try {
    ScenarioLoader(protocol_families()).load_json(Json::parse(text), "bad.json", overrides, std::nullopt);
  } catch (const ScenarioError& e) {
    return e;
  }
  return ScenarioError("", "", "");
}

void expect_refused(const std::string& text, const std::vector<std::string>& sets, const std::string& path,
                    const std::string& words) {
  ScenarioError e = load_error(text, sets);
  EXPECT_EQ(e.path(), path) << e.what();
  EXPECT_NE(e.problem().find(words), std::string::npos) << e.what();
}

// ---- 1. periods have a floor

TEST(PeriodFloor, ATinyPeriodIsRefusedAtTheCommandLineWithExitCode2) {
  fs::path dir = fs::temp_directory_path() / "dsim-period-floor-test";
  fs::create_directories(dir);
  testing::write_text(dir / "spin.json", R"({"name": "spin", "duration": "10s", "nodes": 3,
      "protocol": {"name": "heartbeat", "interval": "1ns"}})");
  testing::CliResult r = testing::run_dsim("run spin.json -q", dir);
  EXPECT_EQ(r.exit, 2) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("spin.json: at $.protocol.interval: expected at least 1ms, got 1ns"),
            std::string::npos)
      << r.stderr_text;
  fs::remove_all(dir);
}

TEST(PeriodFloor, EveryDescribedPeriodIsRefusedBelowItsFloor) {
  // Each family's period rows, set just below the floor in a run they apply to.
  const std::vector<std::pair<std::string, std::string>> docs = {
      {"heartbeat", R"({"name": "t", "duration": "2s", "nodes": 3, "protocol": {"name": "heartbeat"}})"},
      {"ring", R"({"name": "t", "duration": "2s", "nodes": {"store": 3, "client": 1}, "protocol": {"name": "ring"}})"},
      {"locks", kLocks},
      {"2pc", kTwoPc},
  };
  int checked = 0;
  for (const auto& [family, text] : docs) {
    Json described = cli::describe_family_json(*std::find_if(
        protocol_families().begin(), protocol_families().end(), [&](const ProtocolFamily& f) { return f.name == family; }));
    for (const std::string& variant : described["variants"].get<std::vector<std::string>>()) {
      for (const Json& row : described["settings"]) {
        if (!row.contains("period_min")) continue;
        EXPECT_EQ(row["period_min"], "1ms");
        Json doc = Json::parse(text);
        doc["protocol"]["variant"] = variant;
        std::string section = row["section"], key = row["key"];
        // The row's variants, and those of the object row holding its section.
        auto of_variant = [&](const Json& r) {
          auto v = r.value("variants", std::vector<std::string>{});
          return v.empty() || std::find(v.begin(), v.end(), variant) != v.end();
        };
        if (!of_variant(row)) continue;
        size_t dot = section.rfind('.');
        bool parent_applies = true;
        for (const Json& parent : described["settings"]) {
          if (dot != std::string::npos && parent["section"] == section.substr(0, dot) &&
              parent["key"] == section.substr(dot + 1)) {
            parent_applies = of_variant(parent);
          }
        }
        if (!parent_applies) continue;
        // Roles and recipes the row needs.
        if (row.contains("roles")) doc["nodes"][row["roles"][0].get<std::string>()] = 1;
        if (row.contains("when")) {
          // Set the choice where it applies (raft's recipe; consul has no recipe to choose).
          std::string choice = row["when"].begin().key();
          for (const Json& other : described["settings"]) {
            if (other["section"] != section || other["key"] != choice) continue;
            auto v = other.value("variants", std::vector<std::string>{});
            if (v.empty() || std::find(v.begin(), v.end(), variant) != v.end()) {
              doc["protocol"][choice] = row["when"].begin().value()[0];
            }
          }
        }
        if (variant == "redis_sentinel") doc["nodes"] = Json::parse(R"({"lock": 2, "sentinel": 3, "client": 2, "resource": 1})");
        if (variant == "ap") doc["nodes"]["lock"] = 2;
        if (variant == "redlock" || variant == "raft") doc["nodes"]["lock"] = 3;
        if (variant == "paxos-commit") doc["nodes"]["acceptor"] = 3;
        if (section == "protocol.replication") doc["nodes"]["replica"] = 2;
        SCOPED_TRACE(family + " " + variant + " " + section + "." + key);
        ScenarioError e = load_error(doc.dump(), {section + "." + key + "=\"999us\""});
        EXPECT_EQ(e.path(), "$." + section + "." + key) << e.what();
        EXPECT_NE(e.problem().find("expected at least 1ms, got 999us"), std::string::npos) << e.what();
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 30);
}

TEST(PeriodFloor, ThePeriodsTheReviewFoundAreFloored) {
  expect_refused(kRaft, {"protocol.heartbeat_interval=\"1ns\""}, "$.protocol.heartbeat_interval", "at least 1ms");
  expect_refused(kTwoPc, {"protocol.retry_interval=\"1ns\""}, "$.protocol.retry_interval", "at least 1ms");
  expect_refused(kTwoPc, {"protocol.log_retry_interval=\"1ns\""}, "$.protocol.log_retry_interval", "at least 1ms");
  Json with_rm = Json::parse(kTwoPc);
  with_rm["nodes"]["recovery"] = 1;
  expect_refused(with_rm.dump(), {"protocol.recovery_scan_interval=\"1ns\""}, "$.protocol.recovery_scan_interval",
                 "at least 1ms");
  Json replicated = Json::parse(kTwoPc);
  replicated["nodes"]["replica"] = 2;
  expect_refused(replicated.dump(), {"protocol.replication.interval=\"1ns\""}, "$.protocol.replication.interval",
                 "at least 1ms");
  // At the floor: loads.
  EXPECT_EQ(load_error(kTwoPc, {"protocol.retry_interval=\"1ms\""}).path(), "");
}

// ---- 2. settings of another variant, recipe or role

TEST(SettingScope, LockDelayIsRefusedWithTheEtcdRecipe) {
  expect_refused(kRaft, {"protocol.lock_delay=\"1s\""}, "$.protocol.lock_delay",
                 "applies only with recipe consul_session, not etcd_mutex");
  expect_refused(kRaft, {"protocol.lock_retry=\"1s\""}, "$.protocol.lock_retry", "applies only with recipe consul_session");
  EXPECT_EQ(load_error(kRaft, {"protocol.recipe=\"consul_session\"", "protocol.lock_delay=\"1s\""}).path(), "");
  Json consul = Json::parse(kLocks);
  consul["protocol"]["variant"] = "consul";
  EXPECT_EQ(load_error(consul.dump(), {"protocol.lock_delay=\"1s\""}).path(), "");
  // Another variant's setting names the variants it applies to.
  expect_refused(kRaft, {"protocol.ttl=\"1s\""}, "$.protocol.ttl", "applies only to the variants redis, redlock");
}

TEST(SettingScope, RecoveryAndLogRetrySettingsAreRefusedWhereTheyMeanNothing) {
  for (const std::string& variant : {"three-phase", "paxos-commit"}) {
    Json doc = Json::parse(kTwoPc);
    doc["protocol"]["variant"] = variant;
    if (variant == "paxos-commit") doc["nodes"]["acceptor"] = 3;
    for (const std::string& key : {"orphan_safety_interval", "recovery_scan_interval", "log_retry_interval"}) {
      SCOPED_TRACE(variant + " " + key);
      expect_refused(doc.dump(), {"protocol." + key + "=\"1s\""}, "$.protocol." + key, "applies only to the variants");
    }
  }
  // The recovery role's settings need a recovery node.
  expect_refused(kTwoPc, {"protocol.recovery_scan_interval=\"1s\""}, "$.protocol.recovery_scan_interval",
                 "applies only with nodes of the role recovery");
  Json with_rm = Json::parse(kTwoPc);
  with_rm["nodes"]["recovery"] = 1;
  EXPECT_EQ(load_error(with_rm.dump(), {"protocol.recovery_scan_interval=\"1s\""}).path(), "");
  EXPECT_EQ(load_error(kTwoPc, {"protocol.log_retry_interval=\"1s\""}).path(), "");
  // protocol.replication needs replica nodes.
  expect_refused(kTwoPc, {"protocol.replication={\"mode\": \"sync\"}"}, "$.protocol.replication",
                 "applies only with nodes of the role replica");
}

TEST(SettingScope, ANodesEntryOfARoleTheVariantLacksIsRefusedEvenEmpty) {
  expect_refused(kLocks, {"nodes.replica=[]"}, "$.nodes.replica", "the locks protocol has no role \"replica\"");
  expect_refused(kLocks, {"nodes.sentinel=[]"}, "$.nodes.sentinel", "applies only to the variant redis_sentinel");
  Json three = Json::parse(kTwoPc);
  three["protocol"]["variant"] = "three-phase";
  expect_refused(three.dump(), {"nodes.replica=[]"}, "$.nodes.replica", "applies only to the variants basic");
  expect_refused(three.dump(), {"nodes.recovery=1"}, "$.nodes.recovery", "applies only to the variants basic");
  expect_refused(kTwoPc, {"nodes.acceptor=0"}, "$.nodes.acceptor", "applies only to the variant paxos-commit");
}

// ---- 3. role counts point at the nodes entry

TEST(RoleCounts, ARoleCountErrorPointsAtTheNodesEntry) {
  expect_refused(kLocks, {"nodes.lock=2"}, "$.nodes.lock", "needs exactly one node with role \"lock\"");
  expect_refused(kLocks, {"nodes.client=0"}, "$.nodes.client", "at least one node with role \"client\"");
  expect_refused(kLocks, {"nodes.resource=2"}, "$.nodes.resource", "exactly one node with role \"resource\"");
  Json ap = Json::parse(kLocks);
  ap["protocol"]["variant"] = "ap";
  expect_refused(ap.dump(), {}, "$.nodes.lock", "exactly two nodes with role \"lock\"");
  Json sentinel = Json::parse(kLocks);
  sentinel["protocol"]["variant"] = "redis_sentinel";
  expect_refused(sentinel.dump(), {"nodes.lock=2"}, "$.nodes.sentinel", "at least one node with role \"sentinel\"");
  Json paxos = Json::parse(kTwoPc);
  paxos["protocol"]["variant"] = "paxos-commit";
  paxos["nodes"]["acceptor"] = 2;
  expect_refused(paxos.dump(), {}, "$.nodes.acceptor", "2F+1");
  expect_refused(kTwoPc, {"nodes.coordinator=0"}, "$.nodes.coordinator", "2pc needs nodes");
  expect_refused(kTwoPc, {"nodes.replica=1"}, "$.nodes.replica", "one replica node per participant");
  expect_refused(R"({"name": "t", "nodes": {"store": 3}, "protocol": {"name": "ring"}})", {}, "$.nodes.client",
                 "needs nodes of role");
  expect_refused(R"({"name": "t", "nodes": 3, "protocol": {"name": "2pc"}})", {}, "$.nodes",
                 "nodes are given by role");
}

}  // namespace
}  // namespace dsim
