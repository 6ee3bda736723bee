// A run refused while it runs (simulated time stood still: limits.max_events_per_instant,
// bad input, exit code 2) leaves no half-written output in any command: run-set records it
// in a complete index.json and goes on, sweep leaves no empty results file or folder,
// check-determinism no empty --keep folder, and a trace streamed to standard output ends
// with a line that says the run was refused and why.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include "cli_test_util.h"
#include "core/json.h"
#include "support/dsim_child.h"

namespace dsim::testing {
namespace {

// Zero latency: tokens bounce at time 0 until the run is refused, after 1,000 events at
// that instant (a small limit keeps the streamed trace short).
constexpr const char* kSpin = R"({"name": "spin", "duration": "10s", "nodes": 8,
    "protocol": {"name": "phold"}, "network": {"latency": "0ms"},
    "limits": {"max_events_per_instant": 1000}})";
constexpr const char* kFine = R"({"name": "fine", "duration": "20ms", "nodes": 8,
    "protocol": {"name": "phold"}, "network": {"latency": "1ms"}})";

// Runs `dsim ARGS` in `dir` with standard output into `stdout_file` (in `dir`).
int run_dsim_to(const std::string& args, const fs::path& dir, const std::string& stdout_file) {
  const std::string cmd = "cd '" + dir.string() + "' && " + DSIM_BINARY + " " + args + " >'" +
                          stdout_file + "' 2>/dev/null";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(RefusedRuns, RunSetGoesOnAndListsTheRefusedScenarioInACompleteIndex) {
  fs::path dir = fresh_dir("refused_run_set");
  fs::create_directories(dir / "set");
  write_text(dir / "set" / "a-fine.json", kFine);
  write_text(dir / "set" / "b-spin.json", kSpin);
  write_text(dir / "set" / "c-fine.json", kFine);
  CliResult r = run_dsim("run-set set --out out", dir);
  EXPECT_EQ(r.exit, 2) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("b-spin.json: at $: simulated time stood still"), std::string::npos)
      << r.stderr_text;
  Json index = Json::parse(read_text(dir / "out" / "index.json"));
  ASSERT_EQ(index.size(), 3u) << index.dump(2);
  EXPECT_EQ(index[0]["verdict"], "pass");
  EXPECT_EQ(index[2]["verdict"], "pass");  // the scenario after the refused one ran
  EXPECT_EQ(index[1]["file"], "set/b-spin.json");
  EXPECT_EQ(index[1]["verdict"], "refused");
  EXPECT_EQ(index[1]["as_expected"], false);
  EXPECT_EQ(index[1]["trace"], "");
  EXPECT_EQ(index[1]["summary"], "");
  EXPECT_NE(index[1]["error"].get<std::string>().find("simulated time stood still"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "out" / "set_c-fine.summary.json"));
  EXPECT_FALSE(fs::exists(dir / "out" / "set_b-spin.summary.json"));
  EXPECT_FALSE(fs::exists(dir / "out" / "set_b-spin.trace.jsonl"));

  // Run again after the scenario ran fine once: its earlier outputs go, as they are not
  // this run's, and nothing else changes.
  write_text(dir / "set" / "b-spin.json", kFine);
  ASSERT_EQ(run_dsim("run-set set --out out -q", dir).exit, 0);
  ASSERT_TRUE(fs::exists(dir / "out" / "set_b-spin.trace.jsonl"));
  write_text(dir / "set" / "b-spin.json", kSpin);
  EXPECT_EQ(run_dsim("run-set set --out out -q", dir).exit, 2);
  EXPECT_FALSE(fs::exists(dir / "out" / "set_b-spin.trace.jsonl"));
  EXPECT_FALSE(fs::exists(dir / "out" / "set_b-spin.summary.json"));
  EXPECT_EQ(Json::parse(read_text(dir / "out" / "index.json"))[1]["verdict"], "refused");
  fs::remove_all(dir);
}

TEST(RefusedRuns, SweepLeavesNoEmptyResultsFileNorFolder) {
  fs::path dir = fresh_dir("refused_sweep");
  write_text(dir / "spin.json", kSpin);
  CliResult r = run_dsim("sweep spin.json --seeds 1..3 --jobs 1 -q --out results.jsonl", dir);
  EXPECT_EQ(r.exit, 2) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("simulated time stood still at 0s (seed 1)"), std::string::npos)
      << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("no seed was recorded (results.jsonl was not created)"), std::string::npos)
      << r.stderr_text;
  EXPECT_FALSE(fs::exists(dir / "results.jsonl"));
  // A folder --out would have created is not left behind either.
  r = run_dsim("sweep spin.json --seeds 1..3 --jobs 2 -q --out new/deeper/results.jsonl", dir);
  EXPECT_EQ(r.exit, 2) << r.stderr_text;
  EXPECT_FALSE(fs::exists(dir / "new"));
  // An existing (empty) results file is left as it was.
  write_text(dir / "empty.jsonl", "");
  EXPECT_EQ(run_dsim("sweep spin.json --seeds 1..3 -q --out empty.jsonl", dir).exit, 2);
  EXPECT_TRUE(fs::exists(dir / "empty.jsonl"));
  fs::remove_all(dir);
}

// An output that cannot be written (here: a file appeared at its path during the run) is
// discarded, the set goes on, index.json lists the scenario with the error, exit code 3.
TEST(RefusedRuns, RunSetListsAScenarioWhoseOutputsCouldNotBeWrittenAndGoesOn) {
  fs::path dir = fresh_dir("run_set_unwritten");
  fs::create_directories(dir / "set");
  Json slow = Json::parse(read_text(std::string(DSIM_SOURCE_DIR) + "/scenarios/default.json"));
  slow["nodes"] = 60;
  slow["duration"] = "60s";
  write_text(dir / "set" / "a.json", slow.dump());
  write_text(dir / "set" / "b.json", kFine);
  ChildResult r = run_dsim_during({"run-set", "set", "--out", "out", "--no-trace"}, dir, std::chrono::milliseconds(500),
                                  [&](pid_t) { write_text(dir / "out" / "set_a.summary.json", "notes\n"); });
  EXPECT_EQ(r.exit, 3) << r.stderr_text;
  EXPECT_EQ(read_text(dir / "out" / "set_a.summary.json"), "notes\n");
  Json index = Json::parse(read_text(dir / "out" / "index.json"));
  ASSERT_EQ(index.size(), 2u) << index.dump(2);
  EXPECT_EQ(index[0]["summary"], "");
  EXPECT_NE(index[0]["error"].get<std::string>().find("appeared"), std::string::npos);
  EXPECT_EQ(index[1]["verdict"], "pass");
  EXPECT_TRUE(fs::exists(dir / "out" / "set_b.summary.json"));
  fs::remove_all(dir);
}

// The results file is made at the first record, so a file that appears at --out before
// then (while the first seed runs) is the user's: kept, never appended to.
TEST(RefusedRuns, SweepDoesNotAppendToAFileThatAppearedBeforeItsFirstRecord) {
  fs::path dir = fresh_dir("sweep_appeared");
  ChildResult r = run_dsim_during({"sweep", std::string(DSIM_SOURCE_DIR) + "/scenarios/default.json", "--set", "nodes=60",
                                   "--set", "duration=60s", "--seeds", "1..1", "--jobs", "1", "-q", "--out", "r.jsonl"},
                                  dir, std::chrono::milliseconds(500),
                                  [&](pid_t) { write_text(dir / "r.jsonl", "notes\n"); });
  EXPECT_EQ(read_text(dir / "r.jsonl"), "notes\n");
  EXPECT_EQ(r.exit, 3) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("appeared"), std::string::npos) << r.stderr_text;
  fs::remove_all(dir);
}

TEST(RefusedRuns, CheckDeterminismKeepsBothTracesOrNone) {
  fs::path dir = fresh_dir("refused_determinism");
  write_text(dir / "spin.json", kSpin);
  write_text(dir / "fine.json", kFine);
  CliResult r = run_dsim("check-determinism spin.json --keep kept", dir);
  EXPECT_EQ(r.exit, 2) << r.stderr_text;
  EXPECT_FALSE(fs::exists(dir / "kept"));  // made for the traces, removed unused
  // An earlier --keep's traces stay a pair: neither is replaced by a refused run's.
  ASSERT_EQ(run_dsim("check-determinism fine.json --keep kept -q", dir).exit, 0);
  const auto before = snapshot(dir / "kept");
  ASSERT_EQ(before.size(), 2u);
  r = run_dsim("check-determinism spin.json --keep kept", dir);
  EXPECT_EQ(r.exit, 2) << r.stderr_text;
  EXPECT_EQ(snapshot(dir / "kept"), before);
  fs::remove_all(dir);
}

TEST(RefusedRuns, AStreamedTraceEndsWithALineSayingTheRunWasRefused) {
  fs::path dir = fresh_dir("refused_stream");
  write_text(dir / "spin.json", kSpin);
  EXPECT_EQ(run_dsim_to("run spin.json -q --trace -", dir, "t.jsonl"), 2);
  const std::string text = read_text(dir / "t.jsonl");
  ASSERT_FALSE(text.empty());
  ASSERT_EQ(text.back(), '\n');
  EXPECT_EQ(text.rfind("{\"ev\":\"header\"", 0), 0u);
  const size_t last_start = text.rfind('\n', text.size() - 2) + 1;
  Json last = Json::parse(text.substr(last_start));
  EXPECT_EQ(last["ev"], "summary");
  EXPECT_EQ(last["verdict"], "refused");
  EXPECT_EQ(last["stopped_by"], "time_stood_still");
  EXPECT_EQ(last["t_ns"], 0);
  EXPECT_NE(last["error"].get<std::string>().find("simulated time stood still at 0s (seed 1)"),
            std::string::npos);
  // Every line is whole, and readers of traces take it: perfetto converts it.
  size_t lines = 0;
  for (size_t at = 0; at < text.size(); at = text.find('\n', at) + 1, ++lines) {
    EXPECT_FALSE(Json::parse(text.substr(at, text.find('\n', at) - at), nullptr, false).is_discarded());
    if (lines > 50) break;
  }
  EXPECT_EQ(run_dsim("perfetto t.jsonl p.json -q", dir).exit, 0);
  Json perfetto = Json::parse(read_text(dir / "p.json"));
  EXPECT_NE(perfetto.dump().find("run ended: refused (time_stood_still)"), std::string::npos);
  // A summary on standard output is not written for a refused run: nothing is there.
  EXPECT_EQ(run_dsim_to("run spin.json -q --summary -", dir, "s.json"), 2);
  EXPECT_EQ(read_text(dir / "s.json"), "");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dsim::testing
