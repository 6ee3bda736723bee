// Settings that cannot mean anything are refused at load, exit 2, with the file and the JSON
// path: a timer period below the floor (every period row of every family, from `dsim
// describe`), a setting of another variant, recipe or role, a nodes entry of a role the
// variant does not have (even an empty one), and a role count the variant cannot run with
// (at the nodes entry, not at "protocol").
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/describe.h"
#include "cli_test_util.h"
#include "protocols/registry.h"
#include "scenario/scenario.h"
#include "support/scenario_refusals.h"

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

using testing::expect_loads;
using testing::expect_refused;
using testing::load_error;

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
  expect_refused(sentinel.dump(), {"nodes.lock=2", "nodes.sentinel=0"}, "$.nodes.sentinel",
                 "at least one node with role \"sentinel\"");
  // No entry for the role in the file: at "nodes" (it used to name "$.nodes.sentinel").
  expect_refused(sentinel.dump(), {"nodes.lock=2"}, "$.nodes", "at least one node with role \"sentinel\"");
  Json paxos = Json::parse(kTwoPc);
  paxos["protocol"]["variant"] = "paxos-commit";
  paxos["nodes"]["acceptor"] = 2;
  expect_refused(paxos.dump(), {}, "$.nodes.acceptor", "2F+1");
  expect_refused(kTwoPc, {"nodes.coordinator=0"}, "$.nodes.coordinator", "2pc needs nodes");
  expect_refused(kTwoPc, {"nodes.replica=1"}, "$.nodes.replica", "one replica node per participant");
  // A role the file has no entry for: at "nodes", the path the user wrote.
  expect_refused(R"({"name": "t", "nodes": {"store": 3}, "protocol": {"name": "ring"}})", {}, "$.nodes",
                 "needs nodes of role");
  expect_refused(R"({"name": "t", "nodes": {"store": 3, "client": 0}, "protocol": {"name": "ring"}})", {},
                 "$.nodes.client", "needs nodes of role");
  expect_refused(R"({"name": "t", "nodes": {"lock": 1, "resource": 1}, "protocol": {"name": "locks"}})", {},
                 "$.nodes", "at least one node with role \"client\"");
  expect_refused(R"({"name": "t", "nodes": 3, "protocol": {"name": "2pc"}})", {}, "$.nodes",
                 "nodes are given by role");
}

// ---- 4. the ring declares its roles like its siblings

// 4s: with 2s, the default window (1s .. duration - 1s) is empty, and refused.
const char* const kRing = R"({"name": "t", "duration": "4s", "nodes": {"store": 3, "client": 1},
  "protocol": {"name": "ring"}})";

TEST(RingRoles, NodesAreGivenByTheRingsRoles) {
  // A plain count used to fail at "$.nodes.store", a path not in the file.
  expect_refused(R"({"name": "t", "nodes": 9, "protocol": {"name": "ring"}})", {}, "$.nodes",
                 "the ring protocol's nodes are given by role");
  // An unknown role used to run as a client.
  expect_refused(kRing, {"nodes.cache=1"}, "$.nodes.cache", "the ring protocol has no role \"cache\"");
  expect_refused(kRing, {"nodes.cache=[]"}, "$.nodes.cache", "the roles of variant ring: store, client");
  EXPECT_EQ(load_error(kRing).path(), "");
}

// ---- 5. every setting of some variants only is refused under the others

// A document of `family` that loads under `variant` (its roles and counts).
Json base_doc(const std::string& family, const std::string& variant) {
  const std::map<std::string, std::string> docs = {
      {"heartbeat", R"({"name": "t", "duration": "2s", "nodes": 3, "protocol": {"name": "heartbeat"}})"},
      {"ring", kRing},
      {"locks", kLocks},
      {"2pc", kTwoPc},
  };
  Json doc = Json::parse(docs.at(family));
  doc["protocol"]["variant"] = variant;
  if (variant == "redis_sentinel") doc["nodes"] = Json::parse(R"({"lock": 2, "sentinel": 3, "client": 2, "resource": 1})");
  if (variant == "ap") doc["nodes"]["lock"] = 2;
  if (variant == "redlock" || variant == "raft") doc["nodes"]["lock"] = 3;
  if (variant == "paxos-commit") doc["nodes"]["acceptor"] = 3;
  return doc;
}

TEST(SettingScope, EveryVariantScopedRowIsRefusedUnderTheOtherVariantsEvenAtItsDefault) {
  int refused = 0;
  for (const ProtocolFamily& f : protocol_families()) {
    if (f.name == "phold") continue;  // no variant-scoped rows
    Json described = cli::describe_family_json(f);
    for (const Json& row : described["settings"]) {
      if (!row.contains("variants") || row["default"].is_null()) continue;
      const auto listed = row["variants"].get<std::vector<std::string>>();
      for (const std::string& variant : described["variants"].get<std::vector<std::string>>()) {
        if (std::find(listed.begin(), listed.end(), variant) != listed.end()) continue;
        std::string section = row["section"], key = row["key"];
        SCOPED_TRACE(f.name + " " + variant + " " + section + "." + key);
        Json doc = base_doc(f.name, variant);
        ScenarioError e = load_error(doc.dump(), {section + "." + key + "=" + row["default"].dump()});
        EXPECT_EQ(e.path(), "$." + section + "." + key) << e.what();
        EXPECT_NE(e.problem().find("applies only to the variant"), std::string::npos) << e.what();
        ++refused;
      }
    }
  }
  EXPECT_GT(refused, 100);
}

TEST(SettingScope, RingPlacementOptionsApplyOnlyToTheAlgorithmsThatReadThem) {
  Json jump = Json::parse(kRing);
  jump["protocol"]["variant"] = "jump";
  expect_refused(jump.dump(), {"protocol.vnodes=160"}, "$.protocol.vnodes",
                 "applies only to the variants ring, bounded, cassandra and groupcache; this run's variant is jump");
  expect_refused(kRing, {"protocol.table_size=251"}, "$.protocol.table_size",
                 "applies only to the variants maglev and envoy-maglev");
  expect_refused(kRing, {"protocol.probes=5"}, "$.protocol.probes", "applies only to the variant multiprobe");
  expect_refused(kRing, {"protocol.epsilon=0.5"}, "$.protocol.epsilon", "applies only to the variant bounded");
  expect_refused(kRing, {"protocol.min_ring_size=64"}, "$.protocol.min_ring_size",
                 "applies only to the variant envoy-ring");
  expect_refused(kRing, {"protocol.token_seed=3"}, "$.protocol.token_seed", "applies only to the variant cassandra");
  expect_refused(jump.dump(), {"protocol.nodes_file=\"nodes.txt\""}, "$.protocol.nodes_file",
                 "applies only to the variants ring, rendezvous, maglev");
  // Where they are read, they load.
  EXPECT_EQ(load_error(kRing, {"protocol.vnodes=40"}).path(), "");
  for (const std::string& variant : {"bounded", "cassandra", "groupcache"}) {
    EXPECT_EQ(load_error(kRing, {"protocol.variant=\"" + variant + "\"", "protocol.vnodes=40"}).path(), "")
        << variant;
  }
  EXPECT_EQ(load_error(kRing, {"protocol.variant=\"envoy-maglev\"", "protocol.table_size=251"}).path(), "");
}

TEST(SettingScope, TwoPcTimersApplyOnlyToTheVariantsThatSetThem) {
  Json seed = Json::parse(kTwoPc);
  seed["protocol"]["variant"] = "seed";
  for (const std::string& key : {"work_timeout", "vote_timeout", "decision_timeout", "retry_interval"}) {
    expect_refused(seed.dump(), {"protocol." + key + "=\"1s\""}, "$.protocol." + key,
                   "applies only to the variants");
  }
  Json three = Json::parse(kTwoPc);
  three["protocol"]["variant"] = "three-phase";
  expect_refused(three.dump(), {"protocol.retry_interval=\"1s\""}, "$.protocol.retry_interval",
                 "applies only to the variants basic, presumed-abort, presumed-commit and paxos-commit");
  expect_refused(three.dump(), {"protocol.resend_interval=\"1s\""}, "$.protocol.resend_interval",
                 "applies only to the variants basic, presumed-abort and presumed-commit;");
  expect_refused(kTwoPc, {"protocol.ack_timeout=\"1s\""}, "$.protocol.ack_timeout",
                 "applies only to the variant three-phase");
  expect_refused(kTwoPc, {"protocol.termination_wait=\"1s\""}, "$.protocol.termination_wait",
                 "applies only to the variant three-phase");
  EXPECT_EQ(load_error(three.dump(), {"protocol.ack_timeout=\"1s\"", "protocol.decision_timeout=\"1s\""}).path(),
            "");
  EXPECT_EQ(load_error(kTwoPc, {"protocol.retry_interval=\"1s\"", "protocol.resend_interval=\"1s\""}).path(), "");
}

TEST(SettingScope, LazyFlushDelayNeedsTheLazyDecisionLog) {
  expect_refused(kTwoPc, {"protocol.mistakes={\"lazy_flush_delay\": \"5ms\"}"}, "$.protocol.mistakes.lazy_flush_delay",
                 "applies only with coordinator_lazy_decision_log true, not false");
  EXPECT_EQ(load_error(kTwoPc, {"protocol.mistakes={\"coordinator_lazy_decision_log\": true, "
                                "\"lazy_flush_delay\": \"5ms\"}"})
                .path(),
            "");
}

// ---- 6. a run whose simulated time stands still ends at once, as bad input

TEST(TimeStoodStill, ZeroDelayRunsEndFastWithExitCode2NamingTheZeroDelays) {
  fs::path dir = testing::fresh_dir("time-stood-still");
  testing::write_text(dir / "locks.json", R"({"name": "spin", "duration": "10s",
      "nodes": {"lock": 1, "client": 2, "resource": 1}, "protocol": {"name": "locks", "variant": "redis"},
      "workload": {"think_time": 0, "write_time": 0}, "network": {"latency": 0}})");
  testing::write_text(dir / "phold.json", R"({"name": "spin", "duration": "10s", "nodes": 8,
      "protocol": {"name": "phold"}, "network": {"latency": "0ms"}})");
  testing::CliResult locks = testing::run_dsim("run locks.json -q --trace t.jsonl --summary s.json", dir);
  EXPECT_EQ(locks.exit, 2) << locks.stderr_text;
  EXPECT_NE(locks.stderr_text.find("locks.json: at $: simulated time stood still at 0s (seed 1): 1000000 events in one "
                                   "simulated instant"),
            std::string::npos)
      << locks.stderr_text;
  EXPECT_NE(locks.stderr_text.find("the delays that are zero: network.latency, workload.write_time, "
                                   "workload.think_time"),
            std::string::npos)
      << locks.stderr_text;
  // Nothing is written.
  EXPECT_FALSE(fs::exists(dir / "t.jsonl"));
  EXPECT_FALSE(fs::exists(dir / "s.json"));

  testing::CliResult phold = testing::run_dsim("run phold.json -q", dir);
  EXPECT_EQ(phold.exit, 2) << phold.stderr_text;
  EXPECT_NE(phold.stderr_text.find("the delays that are zero: network.latency; give one of them a positive value"),
            std::string::npos)
      << phold.stderr_text;
  // The same scenario with a delay: runs (any latency at all lets time advance).
  testing::CliResult slow = testing::run_dsim("run phold.json -q --set network.latency=\"1us\" --set duration=\"1ms\"", dir);
  EXPECT_EQ(slow.exit, 0) << slow.stderr_text;
  // A higher limit is the user's to set.
  testing::CliResult raised =
      testing::run_dsim("run phold.json -q --set limits.max_events_per_instant=2000000", dir);
  EXPECT_EQ(raised.exit, 2) << raised.stderr_text;
  EXPECT_NE(raised.stderr_text.find("2000000 events in one simulated instant"), std::string::npos)
      << raised.stderr_text;
  fs::remove_all(dir);
}

// Many events at one instant that were queued before it (every token sent with the same
// constant latency arrives at once) are not time standing still: only events beyond those
// pending when the instant began count toward the limit.
TEST(TimeStoodStill, ABurstQueuedBeforeTheInstantIsNotALoop) {
  fs::path dir = testing::fresh_dir("time-burst");
  testing::write_text(dir / "burst.json", R"({"name": "burst", "duration": "5ms", "nodes": 8,
      "protocol": {"name": "phold", "tokens_per_node": 200},
      "network": {"latency": {"dist": "constant", "value": "1ms"}},
      "limits": {"max_events_per_instant": 10}})");
  // 1,600 tokens land on each millisecond, 160 times the limit: the run goes on.
  testing::CliResult burst = testing::run_dsim("run burst.json -q", dir);
  EXPECT_EQ(burst.exit, 0) << burst.stderr_text;
  // The same limit with zero latency: the tokens make their own events at the instant.
  testing::CliResult zero = testing::run_dsim("run burst.json -q --set network.latency=0", dir);
  EXPECT_EQ(zero.exit, 2) << zero.stderr_text;
  EXPECT_NE(zero.stderr_text.find("10 events in one simulated instant beyond those pending when it began"),
            std::string::npos)
      << zero.stderr_text;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dsim
