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

// A heartbeat run long enough to be interrupted at any point: ten seconds of wall time and
// more (60 simulated seconds once took a few; on a faster machine, 1.3 s, and the run at
// 1.5 s below had ended before its signal came).
std::vector<std::string> long_run() {
  return {"run", std::string(DSIM_SOURCE_DIR) + "/scenarios/default.json", "--set", "nodes=60",
          "--set", "duration=600s", "--set", "limits.max_trace_bytes=1000000", "--trace", "t.jsonl", "--summary", "s.json"};
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
      // 1.5 s in, the run (ten seconds long and more) has started and must stop cleanly.
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

// 5,000 heartbeat nodes (each sends to all on start: seconds of start-up) run with
// `outputs` (the trace streamed to `stream`), and `sig` comes once the start's sends are
// being streamed (the header alone is ~150 KB).
ChildResult signal_while_nodes_start(const std::vector<std::string>& outputs, const fs::path& dir,
                                     const fs::path& stream, int sig) {
  std::vector<std::string> args = {"run", std::string(DSIM_SOURCE_DIR) + "/scenarios/default.json", "--set",
                                   "nodes=5000", "--set", "duration=100s", "--set", "limits.max_memory=unlimited",
                                   "--set", "limits.max_trace_bytes=1000000"};
  args.insert(args.end(), outputs.begin(), outputs.end());
  return run_dsim_during(
      args, dir, std::chrono::milliseconds(0),
      [&](pid_t pid) {
        for (int i = 0; i < 2000; ++i) {
          std::error_code ec;
          if (fs::file_size(stream, ec) > 300000 && !ec) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        ::kill(pid, sig);
      },
      stream);
}

// With the trace streamed to standard output, the stream has begun before the nodes start
// (5,000 heartbeat nodes each send to all on start: seconds of start-up). A signal then
// stops the run as one later would: the stream ends with a whole closing line saying
// "interrupted", never cut mid-line.
TEST(Signals, ASignalWhileNodesStartEndsAStreamedTraceWithItsClosingLine) {
  for (int sig : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(sig);
    fs::path dir = fresh_dir("startup_stream_signal");
    const fs::path stream = fs::temp_directory_path() / ("dsim_startup_stream_" + std::to_string(::getpid()));
    ChildResult r = signal_while_nodes_start({"--trace", "-"}, dir, stream, sig);
    EXPECT_EQ(r.exit, 128 + sig) << r.stderr_text;
    const std::string text = read_text(stream);
    fs::remove(stream);
    ASSERT_FALSE(text.empty());
    ASSERT_EQ(text.back(), '\n') << "cut mid-line: ..." << text.substr(text.size() - std::min<size_t>(200, text.size()));
    const size_t last = text.rfind('\n', text.size() - 2);
    Json end = Json::parse(text.substr(last + 1));
    EXPECT_EQ(end["ev"], "summary");
    EXPECT_EQ(end["verdict"], "interrupted");
    EXPECT_EQ(end["stopped_by"], "interrupted");
    EXPECT_EQ(end["events_processed"], 0) << "stopped while its nodes started";
    fs::remove_all(dir);
  }
}

// The same with --summary and --perfetto files beside the stream (README, "Exit codes"):
// the signal while the nodes start stops the run, so those files are written too, whole,
// saying "interrupted", and the exit code is the signal's.
TEST(Signals, ASignalWhileNodesStartWithAStreamedTraceStillWritesTheSummaryAndPerfettoFiles) {
  for (int sig : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(sig);
    fs::path dir = fresh_dir("startup_stream_summary_signal");
    const fs::path stream = fs::temp_directory_path() / ("dsim_startup_summary_" + std::to_string(::getpid()));
    ChildResult r =
        signal_while_nodes_start({"--trace", "-", "--summary", "s.json", "--perfetto", "p.json"}, dir, stream, sig);
    EXPECT_EQ(r.exit, 128 + sig) << r.stderr_text;
    const std::string text = read_text(stream);
    fs::remove(stream);
    ASSERT_FALSE(text.empty());
    ASSERT_EQ(text.back(), '\n');
    Json end = Json::parse(text.substr(text.rfind('\n', text.size() - 2) + 1));
    EXPECT_EQ(end["verdict"], "interrupted");
    EXPECT_EQ(end["events_processed"], 0) << "stopped while its nodes started";
    ASSERT_TRUE(fs::exists(dir / "s.json"));
    Json s = Json::parse(read_text(dir / "s.json"));
    EXPECT_EQ(s["verdict"], "interrupted");
    EXPECT_EQ(s["stopped_by"], "interrupted");
    EXPECT_EQ(s["events_processed"], 0);
    ASSERT_TRUE(fs::exists(dir / "p.json"));
    EXPECT_TRUE(Json::accept(read_text(dir / "p.json"))) << "the Perfetto file is whole JSON";
    EXPECT_NE(r.stderr_text.find("the outputs are complete up to the stop"), std::string::npos) << r.stderr_text;
    fs::remove_all(dir);
  }
}

// Interrupted with -q and no output file: nothing is said about outputs it does not have.
TEST(Signals, AnInterruptedRunWithoutOutputsSaysNothingOfOutputs) {
  fs::path dir = fresh_dir("signal_no_outputs");
  ChildResult r = run_dsim_during({"run", std::string(DSIM_SOURCE_DIR) + "/scenarios/default.json", "--set",
                                   "nodes=60", "--set", "duration=3600s", "-q"},
                                  dir, std::chrono::milliseconds(1500), [](pid_t pid) { ::kill(pid, SIGTERM); });
  EXPECT_EQ(r.exit, 143);
  EXPECT_EQ(r.stderr_text, "dsim: interrupted; the verdict is \"interrupted\"\n");
  ChildResult with = run_dsim_during(
      {"run", std::string(DSIM_SOURCE_DIR) + "/scenarios/default.json", "--set", "nodes=60", "--set",
       "duration=3600s", "-q", "--summary", "s.json"},
      dir, std::chrono::milliseconds(1500), [](pid_t pid) { ::kill(pid, SIGTERM); });
  EXPECT_EQ(with.exit, 143);
  EXPECT_NE(with.stderr_text.find("the outputs are complete up to the stop"), std::string::npos) << with.stderr_text;
  fs::remove_all(dir);
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
