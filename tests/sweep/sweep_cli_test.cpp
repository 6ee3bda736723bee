// `dsim sweep` end to end: output independent of --jobs; a sweep cut short (a torn last
// line, --fail-fast, SIGKILL, Ctrl-C) and started again with the same --out ends with
// exactly the records of an uninterrupted sweep; bad arguments exit 2.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "sweep_test_util.h"

extern char** environ;

namespace dsim::explore {
namespace {

using namespace testing;

std::string sweep_args(const fs::path& out, const std::string& seeds, const std::string& extra = "") {
  return "sweep " + kTight + " --seeds " + seeds + " --out " + out.string() + " " + extra;
}

// Starts `dsim sweep ...` in the background; returns its pid.
pid_t spawn_sweep(const fs::path& out, const std::string& seeds) {
  std::vector<std::string> args = {DSIM_BINARY, "sweep", kTight, "--seeds", seeds, "--jobs", "1",
                                   "--out", out.string()};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  EXPECT_EQ(posix_spawn(&pid, DSIM_BINARY, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// Waits until `out` holds at least `lines` lines (or the process ended), then signals it.
int interrupt_after(pid_t pid, const fs::path& out, size_t lines, int signal) {
  for (int i = 0; i < 3000; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (lines_of(read_text(out)).size() >= lines) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, signal);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class SweepCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test_dir(); }
  // The uninterrupted sweep's records, for comparison.
  std::vector<std::string> reference(const std::string& seeds) {
    fs::path ref = dir_ / "reference.jsonl";
    EXPECT_EQ(dsim(sweep_args(ref, seeds, "--jobs 2")), 1);
    return records_without_wall_time(ref);
  }
  fs::path dir_;
};

TEST_F(SweepCli, OutputIsTheSameWhateverTheJobs) {
  fs::path a = dir_ / "a.jsonl", b = dir_ / "b.jsonl";
  EXPECT_EQ(dsim(sweep_args(a, "1..40", "--jobs 1")), 1);  // some seeds fail
  EXPECT_EQ(dsim(sweep_args(b, "1..40", "--jobs 3")), 1);
  ASSERT_EQ(records_without_wall_time(a).size(), 40u);
  EXPECT_EQ(records_without_wall_time(a), records_without_wall_time(b));
  // Run again on a complete file: nothing is added, the verdict is the same.
  std::string before = read_text(b);
  EXPECT_EQ(dsim(sweep_args(b, "1..40", "--jobs 2")), 1);
  EXPECT_EQ(read_text(b), before);
}

TEST_F(SweepCli, ResumeAfterATornLastLineLosesAndDuplicatesNothing) {
  std::vector<std::string> full = reference("1..40");
  fs::path out = dir_ / "out.jsonl";
  EXPECT_EQ(dsim(sweep_args(out, "1..40", "--jobs 2")), 1);
  std::string text = read_text(out);
  // Cut in the middle of the 18th line, as a kill during a write would.
  size_t cut = 0;
  for (int i = 0; i < 17; ++i) cut = text.find('\n', cut) + 1;
  write_text(out, text.substr(0, cut + 30));
  EXPECT_EQ(dsim(sweep_args(out, "1..40", "--jobs 2")), 1);
  EXPECT_EQ(records_without_wall_time(out), full);
}

TEST_F(SweepCli, ResumeAfterFailFastCompletesTheSweep) {
  std::vector<std::string> full = reference("1..40");
  fs::path out = dir_ / "out.jsonl";
  EXPECT_EQ(dsim(sweep_args(out, "1..40", "--jobs 3 --fail-fast 1")), 1);
  std::vector<std::string> prefix = records_without_wall_time(out);
  ASSERT_FALSE(prefix.empty());
  ASSERT_LT(prefix.size(), full.size());
  EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), full.begin()));
  EXPECT_EQ(Json::parse(prefix.back())["verdict"], "fail");
  // Again with --fail-fast 1: the failure is already there, nothing more runs.
  EXPECT_EQ(dsim(sweep_args(out, "1..40", "--jobs 3 --fail-fast 1")), 1);
  EXPECT_EQ(records_without_wall_time(out), prefix);
  EXPECT_EQ(dsim(sweep_args(out, "1..40", "--jobs 3")), 1);
  EXPECT_EQ(records_without_wall_time(out), full);
}

TEST_F(SweepCli, ResumeAfterAKilledSweepLosesAndDuplicatesNothing) {
  std::vector<std::string> full = reference("1..80");
  fs::path out = dir_ / "out.jsonl";
  int code = interrupt_after(spawn_sweep(out, "1..80"), out, 5, SIGKILL);
  EXPECT_TRUE(code == 128 + SIGKILL || code == 1) << code;  // 1: it finished first
  EXPECT_EQ(dsim(sweep_args(out, "1..80", "--jobs 2")), 1);
  EXPECT_EQ(records_without_wall_time(out), full);
}

TEST_F(SweepCli, CtrlCStopsCleanlyAndTheSweepResumes) {
  std::vector<std::string> full = reference("1..80");
  fs::path out = dir_ / "out.jsonl";
  int code = interrupt_after(spawn_sweep(out, "1..80"), out, 5, SIGINT);
  EXPECT_TRUE(code == 130 || code == 1) << code;
  std::string text = read_text(out);
  EXPECT_TRUE(text.empty() || text.back() == '\n') << "only whole lines";
  EXPECT_EQ(dsim(sweep_args(out, "1..80", "--jobs 2")), 1);
  EXPECT_EQ(records_without_wall_time(out), full);
}

TEST_F(SweepCli, RefusesToMixResultsOfAnotherScenario) {
  fs::path out = dir_ / "out.jsonl";
  dsim(sweep_args(out, "1..3"));
  std::string before = read_text(out);
  EXPECT_EQ(dsim(sweep_args(out, "1..5", "--set protocol.timeout=300ms")), 2);
  EXPECT_EQ(read_text(out), before);
}

TEST_F(SweepCli, BadArgumentsExitWithTwo) {
  fs::path out = dir_ / "out.jsonl";
  EXPECT_EQ(dsim(sweep_args(out, "5..1")), 2);
  EXPECT_EQ(dsim(sweep_args(out, "1..5", "--shard 3/3")), 2);
  EXPECT_EQ(dsim(sweep_args(out, "1..5", "--jobs 0")), 2);
  EXPECT_EQ(dsim("sweep " + kTight), 2);  // no --seeds
  EXPECT_EQ(dsim("sweep " + (dir_ / "missing.json").string() + " --seeds 1..2"), 2);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(dsim("sweep --help"), 0);
}

TEST_F(SweepCli, ShardFilesMergeIntoTheWholeSweep) {
  std::vector<std::string> full = reference("1..40");
  std::string shards;
  for (int i = 0; i < 3; ++i) {
    fs::path part = dir_ / ("shard-" + std::to_string(i) + ".jsonl");
    dsim(sweep_args(part, "1..40", "--jobs 1 --shard " + std::to_string(i) + "/3"));
    for (const std::string& r : records_without_wall_time(part)) {
      EXPECT_EQ(Json::parse(r)["seed"].get<uint64_t>() % 3, static_cast<uint64_t>(i));
    }
    shards += " " + part.string();
  }
  fs::path merged = dir_ / "merged.jsonl";
  EXPECT_EQ(dsim("merge" + shards + " --out " + merged.string()), 1);
  EXPECT_EQ(records_without_wall_time(merged), full);
}

}  // namespace
}  // namespace dsim::explore
