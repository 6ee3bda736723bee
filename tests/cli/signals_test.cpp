// SIGINT and SIGTERM, whenever they come: during set-up the process ends at once, during a
// run it stops cleanly. Either way the exit code is 130 (SIGINT) or 143 (SIGTERM), nothing
// half-written is left, and a summary that was written says "interrupted", never "pass".
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli_test_util.h"
#include "core/json.h"
#include "support/dsim_child.h"

namespace dsim::testing {
namespace {

// A heartbeat run long enough to be interrupted at any point (a few seconds of wall time).
std::vector<std::string> long_run() {
  return {"run", std::string(DSIM_SOURCE_DIR) + "/scenarios/default.json", "--set", "nodes=60",
          "--set", "duration=60s", "--set", "limits.max_trace_bytes=1000000", "--trace", "t.jsonl", "--summary", "s.json"};
}

TEST(Signals, InterruptedAtAnyMomentExitsWithTheSignalsCodeAndLeavesOnlyWholeOutputs) {
  for (int sig : {SIGTERM, SIGINT}) {
    for (int ms : {0, 2, 10, 40, 1500}) {
      SCOPED_TRACE("signal " + std::to_string(sig) + " after " + std::to_string(ms) + " ms");
      fs::path dir = fresh_dir("signals");
      int exit = run_and_signal(long_run(), dir, sig, std::chrono::milliseconds(ms));
      EXPECT_EQ(exit, 128 + sig);
      for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        EXPECT_TRUE(name == "t.jsonl" || name == "s.json") << "left behind: " << name;
      }
      // Outputs exist together or not at all (set-up ends the process before either);
      // 1.5 s in, the run (several seconds long, more under a sanitizer) has started and
      // must stop cleanly.
      EXPECT_EQ(fs::exists(dir / "t.jsonl"), fs::exists(dir / "s.json"));
      if (ms == 1500) {
        EXPECT_TRUE(fs::exists(dir / "s.json"));
      }
      if (fs::exists(dir / "s.json")) {
        Json s = Json::parse(read_text(dir / "s.json"));
        EXPECT_EQ(s["verdict"], "interrupted");
        EXPECT_EQ(s["stopped_by"], "interrupted");
        const std::string trace = read_text(dir / "t.jsonl");
        const size_t last = trace.rfind('\n', trace.size() - 2);
        Json end = Json::parse(trace.substr(last + 1));
        EXPECT_EQ(end["ev"], "summary");
        EXPECT_EQ(end["verdict"], "interrupted");
      }
      fs::remove_all(dir);
    }
  }
}

// A long set-up (a million PHOLD nodes take about a second to build and boot) ends at once
// on a signal: the process does not wait for the run to start, and writes nothing.
TEST(Signals, ASignalDuringALongSetUpEndsTheProcessAtOnce) {
  for (int sig : {SIGTERM, SIGINT}) {
    SCOPED_TRACE(sig);
    fs::path dir = fresh_dir("setup_signal");
    int exit = run_and_signal({"run", std::string(DSIM_SOURCE_DIR) + "/scenarios/phold.json", "--set",
                               "nodes=1000000", "--set", "duration=10s", "--summary", "s.json",
                               "--trace", "t.jsonl"},
                              dir, sig, std::chrono::milliseconds(100));
    EXPECT_EQ(exit, 128 + sig);
    EXPECT_TRUE(fs::is_empty(dir)) << "left behind: " << fs::directory_iterator(dir)->path();
    fs::remove_all(dir);
  }
}

TEST(Signals, AnInterruptedSweepExitsWithTheSignalsCodeAndResumes) {
  fs::path dir = fresh_dir("sweep_signal");
  const std::string s = std::string(DSIM_SOURCE_DIR) + "/scenarios/default.json";
  int exit = run_and_signal({"sweep", s, "--seeds", "1..100000", "--jobs", "2", "-q", "--out", "r.jsonl"},
                            dir, SIGTERM, std::chrono::milliseconds(500));
  EXPECT_EQ(exit, 143);
  // Only whole records, and nothing else in the folder.
  const std::string text = read_text(dir / "r.jsonl");
  EXPECT_TRUE(text.empty() || text.back() == '\n');
  for (const auto& e : fs::directory_iterator(dir)) EXPECT_EQ(e.path().filename(), "r.jsonl");
  CliResult again = run_dsim("sweep " + s + " --seeds 1..3 --jobs 1 -q --out r.jsonl", dir);
  EXPECT_EQ(again.exit, 0) << again.stderr_text;
  fs::remove_all(dir);
}

// A run-set cut short still writes its whole index.json: the scenario under way with its
// complete (interrupted) outputs, the ones not reached as "not_run".
TEST(Signals, AnInterruptedRunSetListsWhatRanAndWhatDidNot) {
  fs::path dir = fresh_dir("run_set_signal");
  fs::create_directories(dir / "set");
  Json long_run = Json::parse(read_text(std::string(DSIM_SOURCE_DIR) + "/scenarios/default.json"));
  long_run["nodes"] = 60;
  long_run["duration"] = "120s";  // about 4 s of wall time: the signal comes during it
  long_run["limits"] = Json::object({{"max_trace_bytes", 1000000}});
  write_text(dir / "set" / "a.json", long_run.dump());
  write_text(dir / "set" / "b.json", long_run.dump());
  int exit = run_and_signal({"run-set", "set", "--out", "out"}, dir, SIGINT, std::chrono::milliseconds(1500));
  EXPECT_EQ(exit, 130);
  Json index = Json::parse(read_text(dir / "out" / "index.json"));
  ASSERT_EQ(index.size(), 2u) << index.dump(2);
  EXPECT_EQ(index[0]["verdict"], "interrupted");
  EXPECT_EQ(Json::parse(read_text(dir / "out" / "set_a.summary.json"))["verdict"], "interrupted");
  EXPECT_EQ(index[1]["verdict"], "not_run");
  EXPECT_EQ(index[1]["summary"], "");
  EXPECT_FALSE(fs::exists(dir / "out" / "set_b.summary.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dsim::testing
