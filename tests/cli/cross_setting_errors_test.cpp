// Errors about two settings together name a setting the user wrote: a rule between two
// settings (a timeout longer than its interval, min <= max) is refused at the one the file
// gives, not at its partner left at its default; a setting scoped by another one's value
// (a renewal mistake without `renew`, write_time without writes, a check's bound without
// its check) is refused at itself, with the one wording of every scope refusal, and
// `dsim describe` shows every such scope.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_common.h"
#include "cli/describe.h"
#include "protocols/registry.h"
#include "scenario/scenario.h"
#include "support/scenario_refusals.h"

namespace dsim {
namespace {

const char* const kHeartbeat = R"({"name": "t", "duration": "2s", "nodes": 3, "protocol": {"name": "heartbeat"}})";
const char* const kRing = R"({"name": "t", "duration": "4s", "nodes": {"store": 3, "client": 1},
  "protocol": {"name": "ring"}})";
const char* const kEnvoy = R"({"name": "t", "duration": "4s", "nodes": {"store": 3, "client": 1},
  "protocol": {"name": "ring", "variant": "envoy-ring"}})";
const char* const kLocks = R"({"name": "t", "duration": "2s",
  "nodes": {"lock": 1, "client": 2, "resource": 1}, "protocol": {"name": "locks", "variant": "redis"}})";
const char* const kAp = R"({"name": "t", "duration": "2s",
  "nodes": {"lock": 2, "client": 2, "resource": 1}, "protocol": {"name": "locks", "variant": "ap"}})";
const char* const kRaft = R"({"name": "t", "duration": "2s",
  "nodes": {"lock": 3, "client": 2, "resource": 1}, "protocol": {"name": "locks", "variant": "raft"}})";
const char* const kZookeeper = R"({"name": "t", "duration": "2s",
  "nodes": {"lock": 1, "client": 2, "resource": 1}, "protocol": {"name": "locks", "variant": "zookeeper"}})";
const char* const kSentinel = R"({"name": "t", "duration": "2s",
  "nodes": {"lock": 2, "sentinel": 1, "client": 2, "resource": 1},
  "protocol": {"name": "locks", "variant": "redis_sentinel"}})";
const char* const kTwoPc = R"({"name": "t", "duration": "2s",
  "nodes": {"coordinator": 1, "participant": 2, "client": 1},
  "protocol": {"name": "2pc", "variant": "basic"}, "workload": {"random": {}}})";
const char* const kReplicated = R"({"name": "t", "duration": "2s",
  "nodes": {"coordinator": 1, "participant": 2, "replica": 2, "client": 1},
  "protocol": {"name": "2pc", "variant": "basic"}, "workload": {"random": {}}})";

using testing::expect_loads;
using testing::expect_refused;
using testing::load_error;

// ---- null is "left out": it takes back a key that does not apply (found in review:
// with check- and count-scoped rows, 19 shipped scenarios could not be run with fewer
// checks, nor the ring's with another variant, without editing a copy)

TEST(ScopedSettings, NullTakesBackASettingThatDoesNotApplyToThisRun) {
  const std::string two_pc_bound = R"({"name": "t", "duration": "2s",
    "nodes": {"coordinator": 1, "participant": 2, "client": 1},
    "protocol": {"name": "2pc", "variant": "basic", "liveness_bound": "5s"}, "workload": {"random": {}}})";
  // --set checks chooses a subset: the file's bound of a check left out stays, unused
  // (before: refused at the bound, which the user did not change). A file that names its
  // checks and a bound of one it leaves out is still refused.
  expect_loads(two_pc_bound, {R"(checks=["atomicity"])"});
  expect_loads(two_pc_bound, {R"(checks=["atomicity"])", "protocol.liveness_bound=null"});
  Json named = Json::parse(two_pc_bound);
  named["checks"] = Json::array({"atomicity"});
  expect_refused(named.dump(), {}, "$.protocol.liveness_bound", "leave it out, or set it to null");
  // A key of another variant, which this variant's reader does not know at all.
  expect_loads(kRing, {"protocol.variant=maglev", "protocol.vnodes=null"});
  expect_loads(kLocks, {"workload.writes=0", "workload.write_time=null"});
  expect_refused(kLocks, {"workload.writes=0", "workload.write_time=\"1ms\""}, "$.workload.write_time",
                 "leave it out, or set it to null");
}

// ---- a rule between two settings: refused at the one the file gives

TEST(CrossSettingErrors, EnvoyRingSizesAreRefusedAtTheSizeTheUserWrote) {
  // Before: refused at $.protocol.min_ring_size, which the file does not have.
  expect_refused(kEnvoy, {"protocol.max_ring_size=1"}, "$.protocol.max_ring_size",
                 "expected at least min_ring_size (1024, its default)");
  expect_refused(kEnvoy, {"protocol.min_ring_size=16777216"}, "$.protocol.min_ring_size", "expected an integer");
  expect_refused(kEnvoy, {"protocol.min_ring_size=8388608", "protocol.max_ring_size=4096"},
                 "$.protocol.min_ring_size", "expected at most max_ring_size (4096, from --set)");
  expect_loads(kEnvoy, {"protocol.min_ring_size=64", "protocol.max_ring_size=64"});
}

TEST(CrossSettingErrors, EveryFamilysPairIsRefusedAtTheSettingTheUserWrote) {
  struct Case {
    const char* doc;
    std::string set, path, words;
  };
  const std::vector<Case> cases = {
      {kHeartbeat, "protocol.interval=\"1s\"", "$.protocol.interval", "expected less than timeout (500ms, its default)"},
      {kHeartbeat, "protocol.timeout=\"50ms\"", "$.protocol.timeout", "expected more than interval (100ms, its default)"},
      {kRing, "protocol.heartbeat_interval=\"5s\"", "$.protocol.heartbeat_interval",
       "expected less than suspect_timeout"},
      {kRing, "workload.start=\"3900ms\"", "$.workload.start",
       "expected less than stop (3s, its default: duration - 1s), got 3.9s from --set"},
      {kAp, "protocol.member_heartbeat=\"10s\"", "$.protocol.member_heartbeat", "expected less than member_timeout"},
      {kRaft, "protocol.election_timeout=\"10ms\"", "$.protocol.election_timeout",
       "expected more than heartbeat_interval (50ms, its default)"},
      {kLocks, "workload.backoff_min=\"10s\"", "$.workload.backoff_min", "expected at most backoff_max"},
      {kReplicated, "protocol.replication={\"lease\": \"10s\"}", "$.protocol.replication.lease",
       "expected less than failover_after"},
      {kReplicated, "protocol.replication={\"interval\": \"5s\"}", "$.protocol.replication.interval",
       "expected less than lease"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.set);
    expect_refused(c.doc, {c.set}, c.path, c.words);
  }
  // Both given: at the one each rule names first, as before.
  expect_refused(kHeartbeat, {"protocol.interval=\"1s\"", "protocol.timeout=\"1s\""}, "$.protocol.timeout",
                 "expected more than interval (1s, from --set)");
}

// Found in review: with the file giving `timeout`, `--set protocol.interval=1s` was refused
// at $.protocol.timeout, a setting the user did not change. Every pair: the file gives
// the setting each rule names when both are written, --set the other.
TEST(CrossSettingErrors, EveryPairIsRefusedAtTheSettingGivenBySet) {
  struct Case {
    const char* doc;
    std::string section, in_file, file_value, set, path, words;
  };
  const std::vector<Case> cases = {
      {kHeartbeat, "protocol", "timeout", "\"500ms\"", "protocol.interval=\"1s\"", "$.protocol.interval",
       "expected less than timeout (500ms, from the file), got 1s from --set"},
      {kHeartbeat, "protocol", "interval", "\"100ms\"", "protocol.timeout=\"50ms\"", "$.protocol.timeout",
       "expected more than interval (100ms, from the file), got 50ms from --set"},
      {kEnvoy, "protocol", "min_ring_size", "1024", "protocol.max_ring_size=64", "$.protocol.max_ring_size",
       "expected at least min_ring_size (1024, from the file), got 64 from --set"},
      {kRing, "protocol", "suspect_timeout", "\"1s\"", "protocol.heartbeat_interval=\"5s\"",
       "$.protocol.heartbeat_interval", "expected less than suspect_timeout (1s, from the file), got 5s from --set"},
      {kRing, "workload", "stop", "\"2s\"", "workload.start=\"2500ms\"", "$.workload.start",
       "expected less than stop (2s, from the file), got 2.5s from --set"},
      {kAp, "protocol", "member_timeout", "\"5s\"", "protocol.member_heartbeat=\"10s\"", "$.protocol.member_heartbeat",
       "expected less than member_timeout (5s, from the file), got 10s from --set, or a member is removed between two greetings"},
      {kRaft, "protocol", "heartbeat_interval", "\"50ms\"", "protocol.election_timeout=\"10ms\"",
       "$.protocol.election_timeout", "expected more than heartbeat_interval (50ms, from the file), got 10ms from --set"},
      {kLocks, "workload", "backoff_max", "\"1s\"", "workload.backoff_min=\"10s\"", "$.workload.backoff_min",
       "expected at most backoff_max (1s, from the file), got 10s from --set"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.set);
    Json doc = Json::parse(c.doc);
    doc[c.section][c.in_file] = Json::parse(c.file_value);
    expect_refused(doc.dump(), {c.set}, c.path, c.words);
    ScenarioError e = load_error(doc.dump(), {c.set});
    EXPECT_EQ(e.file(), "bad.json");
  }
  // 2PC's replication pairs, in their nested section.
  Json replicated = Json::parse(kReplicated);
  replicated["protocol"]["replication"] = {{"failover_after", "2s"}};
  expect_refused(replicated.dump(), {"protocol.replication.lease=\"10s\""}, "$.protocol.replication.lease",
                 "expected less than failover_after (2s, from the file), got 10s from --set");
  replicated["protocol"]["replication"] = {{"lease", "200ms"}};
  expect_refused(replicated.dump(), {"protocol.replication.interval=\"5s\""}, "$.protocol.replication.interval",
                 "expected less than lease (200ms, from the file), got 5s from --set");
  // Both in the file: at the one each rule names, as before, and no "--set" in the text.
  Json both = Json::parse(kHeartbeat);
  both["protocol"]["interval"] = "1s";
  both["protocol"]["timeout"] = "500ms";
  ScenarioError e = load_error(both.dump());
  EXPECT_EQ(e.path(), "$.protocol.timeout") << e.what();
  // Found in review: the refused value was left out when both come from the file.
  EXPECT_EQ(e.problem(), "expected more than interval (1s, from the file), got 500ms") << e.what();
  // The other one from --set, the blamed one in the file: at the --set one, naming it so.
  expect_refused(both.dump(), {"protocol.interval=\"2s\""}, "$.protocol.interval",
                 "expected less than timeout (500ms, from the file), got 2s from --set");
  // A whole section from --set gives both: the rule's own choice again.
  expect_refused(kHeartbeat, {"protocol={\"name\": \"heartbeat\", \"interval\": \"1s\", \"timeout\": \"1s\"}"},
                 "$.protocol.timeout", "expected more than interval (1s, from --set), got 1s from --set");
}

// `dsim run` without a file loads the built-in default scenario: the user wrote no file,
// so its values are named as the built-in scenario's, never "from the file" (found in
// review: `dsim run --set protocol.timeout=50ms` said "interval (100ms, from the file)").
TEST(CrossSettingErrors, TheBuiltInDefaultScenariosValuesAreNotSaidToComeFromAFile) {
  auto refusal = [](const std::string& set) -> std::string {
    try {
      cli::load_scenario("", {set}, std::nullopt);
    } catch (const ScenarioError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(refusal("protocol.timeout=50ms"),
            "<built-in default>: at $.protocol.timeout: expected more than interval (100ms, from the built-in "
            "default scenario), got 50ms from --set");
  EXPECT_EQ(refusal("protocol.interval=1s"),
            "<built-in default>: at $.protocol.interval: expected less than timeout (500ms, from the built-in "
            "default scenario), got 1s from --set");
  // A value the built-in scenario leaves out is still the setting's default.
  EXPECT_EQ(refusal("network.latency={\"dist\": \"uniform\", \"max\": \"500us\"}"),
            "<built-in default>: at $.network.latency.max: expected at least min (1ms, its default), got 500us "
            "from --set");
}

TEST(CrossSettingErrors, ARoleCountRuleWithoutTheSettingPointsAtTheNodes) {
  // Eight accounts (the default) cannot spread over nine participants: the file gave the
  // participants, not accounts.
  Json doc = Json::parse(kTwoPc);
  doc["nodes"]["participant"] = 9;
  expect_refused(doc.dump(), {}, "$.nodes.participant", "expected at least one account per participant");
  expect_refused(doc.dump(), {"workload.accounts=4"}, "$.workload.accounts", "expected at least one account");
}

// ---- a setting scoped by another's value: refused at itself, in one wording

TEST(ScopedSettings, RenewalMistakesWithoutRenewAreRefusedAtTheMistake) {
  // Before: refused at $.protocol.renew, which the file does not have.
  for (const std::string key : {"renew_stop_on_failure", "renew_without_worker", "renew_unchecked"}) {
    expect_refused(kLocks, {"protocol." + key + "=true"}, "$.protocol." + key,
                   "this setting applies only with renew true, not false; leave it out, or set it to null");
    expect_loads(kLocks, {"protocol.renew=true", "protocol." + key + "=true"});
  }
  // consul and raft always renew: no `renew` switch, their mistakes need none.
  expect_loads(kRaft, {"protocol.renew_stop_on_failure=true"});
  expect_refused(kZookeeper, {"protocol.protected_any_session=true"}, "$.protocol.protected_any_session",
                 "this setting applies only with protected_create true, not false");
  expect_loads(kZookeeper, {"protocol.protected_create=true", "protocol.protected_any_session=true"});
  // The recovery manager's mistake without a recovery node: at the mistake, not at "mistakes".
  expect_refused(kTwoPc, {"protocol.mistakes={\"recovery_presumes_abort_in_flight\": true}"},
                 "$.protocol.mistakes.recovery_presumes_abort_in_flight",
                 "this setting applies only with nodes of the role recovery");
}

TEST(ScopedSettings, ASwitchOfAnotherVariantIsRefusedInTheOneWording) {
  Json seed = Json::parse(kTwoPc);
  seed["protocol"]["variant"] = "seed";
  // Before: "applies only to basic, presumed-abort, presumed-commit", another wording.
  expect_refused(seed.dump(), {"protocol.cooperative_termination=true"}, "$.protocol.cooperative_termination",
                 "this setting applies only to the variants basic, presumed-abort and presumed-commit; this run's "
                 "variant is seed; leave it out, or set it to null");
  expect_refused(seed.dump(), {"protocol.variant=\"three-phase\"", "protocol.mistakes={\"heuristic_abort_after\": \"1s\"}"},
                 "$.protocol.mistakes.heuristic_abort_after",
                 "this setting applies only to the variants basic, presumed-abort and presumed-commit; this run's "
                 "variant is three-phase; leave it out, or set it to null");
}

TEST(ScopedSettings, SettingsThatDoNothingAreRefused) {
  // A check's bound without its check.
  expect_refused(kRing, {"checks=[\"fresh_reads\"]", "workload.availability_min=0.9"}, "$.workload.availability_min",
                 "--set workload.availability_min=0.9 applies only with the check availability in \"checks\"; this "
                 "run's checks are fresh_reads (from --set checks=[\"fresh_reads\"]); leave it out, or keep its check");
  Json ring_checks = Json::parse(kRing);
  ring_checks["checks"] = Json::array({"fresh_reads"});
  expect_refused(ring_checks.dump(), {"workload.availability_min=0.9"}, "$.workload.availability_min",
                 "this setting applies only with the check availability in \"checks\"; this run's checks are "
                 "fresh_reads; leave it out, or set it to null");
  expect_loads(kRing, {"workload.availability_min=0.5"});  // the default checks run availability
  expect_refused(kRing, {"checks=[\"availability\"]", "workload.peak_to_mean_max=3"}, "$.workload.peak_to_mean_max",
                 "applies only with the check load_balance");
  expect_refused(kLocks, {"checks=[\"exclusion\"]", "protocol.liveness_bound=\"5s\""}, "$.protocol.liveness_bound",
                 "applies only with the check liveness");
  expect_refused(kLocks, {"protocol.starvation_bound=\"5s\""}, "$.protocol.starvation_bound",
                 "applies only with the check starvation");  // off by default
  expect_loads(kLocks, {"checks=[\"starvation\"]", "protocol.starvation_bound=\"5s\""});
  expect_refused(kTwoPc, {"checks=[\"atomicity\"]", "protocol.liveness_bound=\"5s\""}, "$.protocol.liveness_bound",
                 "applies only with the check liveness or decided_then_executed");
  expect_loads(kTwoPc, {"checks=[\"decided_then_executed\"]", "protocol.liveness_bound=\"5s\""});
  // A setting of something switched off by a zero.
  expect_refused(kLocks, {"workload.writes=0", "workload.write_time=\"5ms\""}, "$.workload.write_time",
                 "this setting applies only with writes above 0, not 0");
  expect_refused(kLocks, {"workload.writes=0", "workload.write_timeout=\"5ms\""}, "$.workload.write_timeout",
                 "applies only with writes above 0");
  expect_loads(kLocks, {"workload.writes=2", "workload.write_time=\"5ms\""});
  expect_refused(kSentinel, {"protocol.wait_timeout=\"1s\""}, "$.protocol.wait_timeout",
                 "applies only with wait_replicas above 0, not 0");
  expect_loads(kSentinel, {"protocol.wait_replicas=1", "protocol.wait_timeout=\"1s\""});
  expect_refused(kSentinel, {"protocol.min_replicas_max_lag=\"1s\""}, "$.protocol.min_replicas_max_lag",
                 "applies only with min_replicas_to_write above 0");
  expect_refused(kRing, {"workload.ops_per_second=0", "workload.read_fraction=0.9"}, "$.workload.read_fraction",
                 "applies only with ops_per_second above 0, not 0");
}

// Every row scoped by another setting's value, by roles or by checks says so in `dsim
// describe`'s text, on its own line.
TEST(ScopedSettings, DescribeShowsEveryScope) {
  int scoped = 0;
  for (const ProtocolFamily& f : protocol_families()) {
    std::ostringstream text;
    cli::describe_family_text(text, f);
    const std::string all = text.str();
    const Json described = cli::describe_family_json(f);
    for (const Json& row : described["settings"]) {
      std::vector<std::string> marks;
      if (row.contains("when")) {
        for (const auto& [key, values] : row["when"].items()) {
          std::string list;
          for (const Json& v : values) list += (list.empty() ? "" : ", ") + (v.is_string() ? v.get<std::string>() : v.dump());
          marks.push_back("[only with " + key + " " + list + "]");
        }
      }
      if (row.contains("when_nonzero")) marks.push_back("[only with " + row["when_nonzero"].get<std::string>() + " above 0]");
      if (row.contains("roles")) marks.push_back("[only with nodes of role");
      if (row.contains("checks")) marks.push_back("[only with the check");
      if (marks.empty()) continue;
      const std::string key = row["key"];
      SCOPED_TRACE(f.name + " " + row["section"].get<std::string>() + "." + key);
      // The row's line: "    KEY   ..." (keys are unique within a section; the first
      // match in the section's block is the row).
      const std::string section_head = "  " + row["section"].get<std::string>() + ":\n";
      size_t at = all.find(section_head);
      ASSERT_NE(at, std::string::npos);
      at = all.find("\n    " + key + " ", at);
      ASSERT_NE(at, std::string::npos);
      const std::string line = all.substr(at + 1, all.find('\n', at + 1) - at - 1);
      for (const std::string& mark : marks) EXPECT_NE(line.find(mark), std::string::npos) << line;
      ++scoped;
    }
  }
  EXPECT_GT(scoped, 15);
}

}  // namespace
}  // namespace dsim
