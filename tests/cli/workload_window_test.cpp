// A workload's window that holds no time is refused at load, exit 2: a window that stops
// at or before it starts, or starts at or after the run's end, starts no transaction,
// operation or lock round, and a run without any passes every check. Found in review:
// `dsim run scenarios/2pc/bank-random-faults.json --set workload.random.start=2s --set
// workload.random.stop=1s` ran 46 events, 0 transactions, and passed. Each family's window
// (2PC's workload.random, the ring's workload, locks' workload.start and starts) is refused
// at the setting the user changed, naming the other one and both values. Heartbeat and
// phold have no workload window.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "support/scenario_refusals.h"

namespace dsim {
namespace {
namespace fs = std::filesystem;

const char* const kTwoPc = R"({"name": "t", "duration": "10s",
  "nodes": {"coordinator": 1, "participant": 2, "client": 1},
  "protocol": {"name": "2pc", "variant": "basic"}, "workload": {"random": {}}})";
const char* const kRing = R"({"name": "t", "duration": "4s", "nodes": {"store": 3, "client": 1},
  "protocol": {"name": "ring"}})";
const char* const kLocks = R"({"name": "t", "duration": "2s",
  "nodes": {"lock": 1, "client": 2, "resource": 1}, "protocol": {"name": "locks", "variant": "redis"}})";

using testing::expect_loads;
using testing::expect_refused;
using testing::load_error;

TEST(WorkloadWindow, TheReviewersRunIsRefusedWithExitCode2) {
  const fs::path scenario = fs::path(DSIM_SOURCE_DIR) / "scenarios/2pc/bank-random-faults.json";
  fs::path dir = testing::fresh_dir("dsim-workload-window-test");
  testing::CliResult r = testing::run_dsim("run " + scenario.string() +
                                               " --set workload.random.start=2s --set workload.random.stop=1s -q",
                                           dir);
  EXPECT_EQ(r.exit, 2) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("bank-random-faults.json: at $.workload.random.stop: expected more than start (2s, "
                               "from --set), got 1s from --set"),
            std::string::npos)
      << r.stderr_text;
  // Past the run's end (12s), with stop left as the file gives it (8s).
  r = testing::run_dsim("run " + scenario.string() + " --set workload.random.start=13s -q", dir);
  EXPECT_EQ(r.exit, 2) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("at $.workload.random.start: expected less than the run's duration (12s, from the file), got 13s "
                               "from --set"),
            std::string::npos)
      << r.stderr_text;
  EXPECT_TRUE(fs::is_empty(dir));  // no output
  fs::remove_all(dir);
}

TEST(WorkloadWindow, TwoPcRandomWindowMustHoldTime) {
  expect_refused(kTwoPc, {"workload.random.start=\"2s\"", "workload.random.stop=\"1s\""}, "$.workload.random.stop",
                 "expected more than start (2s, from --set), got 1s from --set");
  expect_refused(kTwoPc, {"workload.random.start=\"1s\"", "workload.random.stop=\"1s\""}, "$.workload.random.stop",
                 "expected more than start (1s, from --set), got 1s from --set");
  // Only start changed, stop left to its default (the run's duration): at start.
  expect_refused(kTwoPc, {"workload.random.start=\"10s\""}, "$.workload.random.start",
                 "expected less than the run's duration (10s, from the file), got 10s from --set");
  // Past the end even with stop later still.
  expect_refused(kTwoPc, {"workload.random.start=\"11s\"", "workload.random.stop=\"20s\""},
                 "$.workload.random.start", "expected less than the run's duration (10s, from the file), got 11s from --set");
  // The run shortened by --set below the file's start: at $.duration, which the user changed.
  Json doc = Json::parse(kTwoPc);
  doc["workload"]["random"] = {{"start", "3s"}, {"stop", "8s"}};
  expect_refused(doc.dump(), {"duration=\"2s\""}, "$.duration",
                 "expected more than workload.random.start (3s, from the file), got 2s from --set");
  // Both in the file: at stop, with both values.
  doc["workload"]["random"] = {{"start", "3s"}, {"stop", "2s"}};
  expect_refused(doc.dump(), {}, "$.workload.random.stop", "expected more than start (3s, from the file), got 2s");
  expect_loads(kTwoPc, {"workload.random.start=\"1s\"", "workload.random.stop=\"2s\""});
  expect_loads(kTwoPc, {"workload.random.start=\"9s\""});  // stop: the run's duration
}

TEST(WorkloadWindow, RingWindowMustHoldTime) {
  // start == stop issued no operation; the ring allowed it before.
  expect_refused(kRing, {"workload.start=\"2s\"", "workload.stop=\"2s\""}, "$.workload.stop",
                 "expected more than start (2s, from --set), got 2s from --set");
  expect_refused(kRing, {"workload.start=\"3s\""}, "$.workload.start",
                 "expected less than stop (3s, its default: duration - 1s), got 3s from --set");
  expect_refused(kRing, {"workload.start=\"4s\"", "workload.stop=\"10s\""}, "$.workload.start",
                 "expected less than the run's duration (4s, from the file), got 4s from --set");
  // A run too short for the default window (start 1s, stop duration - 1s): both values.
  expect_refused(kRing, {"duration=\"2s\""}, "$.workload.stop",
                 "expected more than start (1s, its default), got 1s (its default: duration - 1s)");
  expect_loads(kRing, {"workload.start=\"2s\"", "workload.stop=\"2001ms\""});
}

TEST(WorkloadWindow, LocksFirstRequestMustBeBeforeTheEnd) {
  expect_refused(kLocks, {"workload.start=\"2s\""}, "$.workload.start",
                 "expected less than the run's duration (2s, from the file), got 2s from --set");
  expect_refused(kLocks, {"workload.starts={\"client2\": \"5s\"}"}, "$.workload.starts.client2",
                 "expected less than the run's duration (2s, from the file), got 5s from --set");
  expect_refused(kLocks, {"workload.starts.client1=\"3s\""}, "$.workload.starts.client1",
                 "expected less than the run's duration (2s, from the file), got 3s from --set");
  expect_refused(kLocks, {"duration=\"1s\"", "workload.start=\"1s\""}, "$.workload.start",
                 "expected less than the run's duration (1s, from --set), got 1s from --set");
  expect_loads(kLocks, {"workload.start=\"1999ms\"", "workload.starts={\"client2\": \"1s\"}"});
}

}  // namespace
}  // namespace dsim
