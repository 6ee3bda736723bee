// Output paths: no command ever loses, clobbers or leaves behind a file. Every command with
// an output option is run against hostile paths (a user's own file, a symlink, a FIFO, a
// folder, a missing or unwritable folder) and must refuse before doing any work, with the
// documented exit code, leaving the folder exactly as it was.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <vector>

#include "cli_test_util.h"

namespace dsim::testing {
namespace {

const std::string kSource = DSIM_SOURCE_DIR;
const std::string kScenario = kSource + "/scenarios/default.json";
const std::string kFailing = kSource + "/scenarios/locks/unsafe-release.json";

// Inputs the commands read: a trace and a results file, made once.
class OutputPaths : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    inputs_ = fresh_dir("output_inputs");
    ASSERT_EQ(run_dsim("run " + kScenario + " --trace in.trace.jsonl", inputs_).exit, 0);
    ASSERT_EQ(run_dsim("sweep " + kScenario + " --seeds 1..2 --jobs 1 -q --out in.results.jsonl",
                       inputs_).exit, 0);
  }
  static std::string input(const std::string& name) { return (inputs_ / name).string(); }
  static fs::path inputs_;
};
fs::path OutputPaths::inputs_;

struct OutputOption {
  std::string label;
  std::string command;  // "{OUT}" stands for the output path
  bool creates_missing_folder = false;
};

std::vector<OutputOption> file_outputs(const std::string& trace, const std::string& results) {
  return {
      {"run --trace", "run " + kScenario + " --trace {OUT}"},
      {"run --summary", "run " + kScenario + " --summary {OUT}"},
      {"run --perfetto", "run " + kScenario + " --perfetto {OUT}"},
      {"sweep --out", "sweep " + kScenario + " --seeds 1..2 --jobs 1 -q --out {OUT}", true},
      {"sweep --report", "sweep " + kScenario + " --seeds 1..2 --jobs 1 -q --report {OUT}"},
      {"merge --out", "merge " + results + " --out {OUT}"},
      {"merge --report", "merge " + results + " --report {OUT}"},
      {"shrink --out", "shrink " + kFailing + " --seed 1 --out {OUT}"},
      {"ring-stats --out", "ring-stats --nodes 10 --keys 1000 --no-timing --out {OUT}"},
      {"perfetto", "perfetto " + trace + " {OUT}"},
  };
}

std::string with_out(std::string command, const std::string& out) {
  command.replace(command.find("{OUT}"), 5, "'" + out + "'");
  return command;
}

struct Hostile {
  std::string label;
  int exit;  // what every command must end with
  // Lays out the hostile thing in `dir` and returns the path to pass.
  std::string (*make)(const fs::path& dir);
};

const Hostile kHostile[] = {
    {"a user's own file", 2,
     [](const fs::path& d) {
       write_text(d / "notes.txt", "my notes, not a dsim output\n");
       return (d / "notes.txt").string();
     }},
    {"a symbolic link", 2,
     [](const fs::path& d) {
       write_text(d / "target.txt", "the link's target\n");
       fs::create_symlink("target.txt", d / "link");
       return (d / "link").string();
     }},
    {"a FIFO", 2,
     [](const fs::path& d) {
       ::mkfifo((d / "fifo").c_str(), 0644);
       return (d / "fifo").string();
     }},
    {"a folder", 3,
     [](const fs::path& d) {
       fs::create_directories(d / "folder");
       write_text(d / "folder" / "keep.txt", "inside\n");
       return (d / "folder").string();
     }},
    {"a missing folder", 3,
     [](const fs::path& d) { return (d / "missing-folder-q7" / "out-file-q7").string(); }},
    {"an unwritable folder", 3, [](const fs::path&) { return std::string("/proc/dsim-test-out"); }},
};

TEST_F(OutputPaths, EveryCommandRefusesHostilePathsAndChangesNothing) {
  for (const OutputOption& option : file_outputs(input("in.trace.jsonl"), input("in.results.jsonl"))) {
    for (const Hostile& h : kHostile) {
      SCOPED_TRACE(option.label + " into " + h.label);
      fs::path dir = fresh_dir("hostile");
      const std::string out = h.make(dir);
      const auto before = snapshot(dir);
      CliResult r = run_dsim(with_out(option.command, out), dir);
      if (option.creates_missing_folder && std::string(h.label) == "a missing folder") {
        EXPECT_EQ(r.exit, 0) << r.stderr_text;  // sweep --out makes its folder
        EXPECT_TRUE(fs::is_regular_file(out));
        continue;
      }
      EXPECT_EQ(r.exit, h.exit) << r.stderr_text;
      const std::string named = out.find("missing-folder") != std::string::npos
                                    ? "missing-folder-q7"
                                    : out.substr(out.rfind('/') + 1);
      EXPECT_NE(r.stderr_text.find(named), std::string::npos)
          << "the error names the path: " << r.stderr_text;
      EXPECT_EQ(snapshot(dir), before) << "something in the folder changed";
      fs::remove_all(dir);
    }
  }
}

// Found in review: shrink's refusal read "not a scenario written by dsim shrink that dsim
// wrote". Every command's refusal of a user's file says once, plainly, what it would overwrite.
TEST_F(OutputPaths, RefusingAUsersFileNamesWhatDsimWroteOnce) {
  for (const OutputOption& option : file_outputs(input("in.trace.jsonl"), input("in.results.jsonl"))) {
    SCOPED_TRACE(option.label);
    fs::path dir = fresh_dir("users_file");
    write_text(dir / "notes.txt", "my notes, not a dsim output\n");
    CliResult r = run_dsim(with_out(option.command, (dir / "notes.txt").string()), dir);
    EXPECT_EQ(r.exit, 2) << r.stderr_text;
    const size_t kind = r.stderr_text.find("it exists and is not a ");
    const size_t end = r.stderr_text.find(" that dsim wrote");
    ASSERT_TRUE(kind != std::string::npos && end != std::string::npos && kind < end) << r.stderr_text;
    const std::string what = r.stderr_text.substr(kind + 23, end - kind - 23);
    EXPECT_EQ(what.find("dsim"), std::string::npos) << "dsim named twice: " << r.stderr_text;
    if (option.label == "shrink --out") EXPECT_EQ(what, "shrunk scenario") << r.stderr_text;
    fs::remove_all(dir);
  }
}

// The data-loss case that started this: a slip of the tab key gave the scenario as --out.
TEST_F(OutputPaths, SweepOutThatIsTheScenarioIsRefusedAndKeptByteForByte) {
  fs::path dir = fresh_dir("sweep_scenario");
  fs::copy_file(kScenario, dir / "mine.json");
  const std::string text = read_text(dir / "mine.json");
  CliResult r = run_dsim("sweep mine.json --seeds 1..3 -q --out mine.json", dir);
  EXPECT_EQ(r.exit, 2) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("not a sweep results file"), std::string::npos) << r.stderr_text;
  EXPECT_EQ(read_text(dir / "mine.json"), text);
  fs::remove_all(dir);
}

// A results file whose last complete line is damaged is resumed without cutting that line:
// only an unfinished last line (no line end) is a torn tail.
TEST_F(OutputPaths, ResumingNeverCutsACompleteLine) {
  fs::path dir = fresh_dir("resume_bad_line");
  const std::string good = read_text(input("in.results.jsonl"));
  write_text(dir / "r.jsonl", good + "a line someone added by hand\n");
  CliResult r = run_dsim("sweep " + kScenario + " --seeds 1..3 --jobs 1 -q --out r.jsonl", dir);
  EXPECT_EQ(r.exit, 0) << r.stderr_text;
  const std::string after = read_text(dir / "r.jsonl");
  EXPECT_EQ(after.rfind(good + "a line someone added by hand\n", 0), 0u) << after;
  fs::remove_all(dir);
}

// A file with no complete line is not a results file, even when it starts like a record.
TEST_F(OutputPaths, SweepOutWithoutACompleteRecordIsRefusedAndKept) {
  fs::path dir = fresh_dir("sweep_no_record");
  write_text(dir / "seeds.json", "{\"seed\":7,\"note\":\"mine\"}");
  CliResult r = run_dsim("sweep " + kScenario + " --seeds 1..3 -q --out seeds.json", dir);
  EXPECT_EQ(r.exit, 2) << r.stderr_text;
  EXPECT_EQ(read_text(dir / "seeds.json"), "{\"seed\":7,\"note\":\"mine\"}");
  fs::remove_all(dir);
}

// Two outputs of one command, or an output and an input, are never the same file.
TEST_F(OutputPaths, AnOutputIsNeverAnotherOutputOrAnInput) {
  fs::path dir = fresh_dir("same_file");
  fs::copy_file(input("in.results.jsonl"), dir / "r.jsonl");
  fs::copy_file(input("in.trace.jsonl"), dir / "t.jsonl");
  fs::copy_file(kScenario, dir / "s.json");
  const auto before = snapshot(dir);
  for (const std::string args : {"run s.json --trace x --summary x", "run s.json --trace y --perfetto y",
                                 "run s.json --trace - --summary -", "run s.json --summary s.json",
                                 "sweep s.json --seeds 1..3 -q --out r.jsonl --report r.jsonl",
                                 "merge r.jsonl --out m --report m", "merge r.jsonl --out r.jsonl",
                                 "perfetto t.jsonl t.jsonl", "shrink s.json --seed 1 --out s.json",
                                 "run s.json --trace t.jsonl --summary ./t.jsonl"}) {
    SCOPED_TRACE(args);
    CliResult r = run_dsim(args, dir);
    EXPECT_EQ(r.exit, 2) << r.stderr_text;
    EXPECT_EQ(snapshot(dir), before);
  }
  fs::remove_all(dir);
}

// A file that appears at an output path while the run goes on is kept; the output is
// discarded with exit code 3 (the run is stopped by SIGINT, which commits its outputs).
TEST_F(OutputPaths, AFileThatAppearsDuringTheRunIsNotReplaced) {
  fs::path dir = fresh_dir("appears");
  write_text(dir / "go.sh", std::string(DSIM_BINARY) + " run " + kScenario +
                                " --set nodes=60 --set duration=600s -q --summary s.json 2>err.txt &\n"
                                "pid=$!\nsleep 2\necho notes > s.json\nkill -INT $pid\nwait $pid\n"
                                "echo $? > rc.txt\n");
  ASSERT_EQ(std::system(("cd '" + dir.string() + "' && bash go.sh").c_str()), 0);
  EXPECT_EQ(read_text(dir / "s.json"), "notes\n");
  EXPECT_EQ(read_text(dir / "rc.txt"), "3\n") << read_text(dir / "err.txt");
  EXPECT_NE(read_text(dir / "err.txt").find("appeared"), std::string::npos) << read_text(dir / "err.txt");
  fs::remove_all(dir);
}

TEST_F(OutputPaths, OutputsOfTheSameKindAreReplacedAndEmptyFilesTaken) {
  fs::path dir = fresh_dir("same_kind");
  write_text(dir / "empty.json", "");
  for (int round = 0; round < 2; ++round) {
    CliResult r = run_dsim("run " + kScenario + " --trace t.jsonl --summary s.json --perfetto p.json", dir);
    ASSERT_EQ(r.exit, 0) << r.stderr_text;
  }
  EXPECT_EQ(run_dsim("run " + kScenario + " --summary empty.json", dir).exit, 0);
  EXPECT_NE(read_text(dir / "empty.json").find("dsim-summary"), std::string::npos);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"empty.json", "p.json", "s.json", "t.jsonl"}));
  fs::remove_all(dir);
}

TEST_F(OutputPaths, FolderOutputsTakeOnlyNewEmptyOrTheirOwnFolders) {
  for (const std::string command : {"run-set " + kScenario + " --out {OUT}",
                                    "check-determinism " + kScenario + " --keep {OUT}"}) {
    SCOPED_TRACE(command);
    fs::path dir = fresh_dir("folders");
    fs::create_directories(dir / "mine");
    write_text(dir / "mine" / "thesis.tex", "years of work\n");
    write_text(dir / "file", "a file, not a folder\n");
    const auto before = snapshot(dir);
    EXPECT_EQ(run_dsim(with_out(command, (dir / "mine").string()), dir).exit, 2);
    EXPECT_EQ(run_dsim(with_out(command, (dir / "file").string()), dir).exit, 2);
    EXPECT_EQ(snapshot(dir), before);
    // A marker file of the right name but not dsim's does not make a folder dsim's.
    fs::create_directories(dir / "site");
    write_text(dir / "site" / "index.json", "{\"name\": \"my site\"}\n");
    write_text(dir / "site" / "first.trace.jsonl", "notes\n");
    write_text(dir / "site" / "second.trace.jsonl", "precious\n");
    const auto before_site = snapshot(dir);
    EXPECT_EQ(run_dsim(with_out(command, (dir / "site").string()), dir).exit, 2);
    EXPECT_EQ(run_dsim(with_out(command, "-"), dir).exit, 2);
    EXPECT_EQ(snapshot(dir), before_site);
    // A refused command creates no folder (here: a scenario that does not load).
    write_text(dir / "bad.json", "{\"name\": \"x\"}\n");
    std::string bad = command;
    bad.replace(bad.find(kScenario), kScenario.size(), (dir / "bad.json").string());
    EXPECT_EQ(run_dsim(with_out(bad, (dir / "never").string()), dir).exit, 2);
    EXPECT_FALSE(fs::exists(dir / "never"));
    // New, then its own: both fine.
    EXPECT_EQ(run_dsim(with_out(command, (dir / "new" / "deeper").string()), dir).exit, 0);
    EXPECT_EQ(run_dsim(with_out(command, (dir / "new" / "deeper").string()), dir).exit, 0);
    fs::remove_all(dir);
  }
}

// A write that fails half way (here: the file-size limit, as a full disk would) leaves no
// file at all, neither the output nor a temporary, and the error names the output.
TEST_F(OutputPaths, AWriteThatFailsLeavesNothingBehind) {
  fs::path dir = fresh_dir("write_fails");
  const std::string cmd = "cd '" + dir.string() + "' && bash -c \"ulimit -f 64; trap '' XFSZ; exec " +
                          DSIM_BINARY + " run " + kScenario +
                          " --trace t.jsonl --summary s.json\" >/dev/null 2>err.txt";
  int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  const std::string err = read_text(dir / "err.txt");
  EXPECT_NE(err.find("t.jsonl"), std::string::npos) << err;
  fs::remove(dir / "err.txt");
  EXPECT_TRUE(fs::is_empty(dir)) << "left behind: " << fs::directory_iterator(dir)->path();
  fs::remove_all(dir);
}

TEST_F(OutputPaths, StandardOutputThatCannotBeWrittenExitsThree) {
  const std::string cmd = std::string(DSIM_BINARY) + " run " + kScenario + " >/dev/full 2>/dev/null";
  int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  const std::string trace = std::string(DSIM_BINARY) + " run " + kScenario +
                            " -q --trace - >/dev/full 2>/dev/null";
  status = std::system(trace.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
}

TEST_F(OutputPaths, TraceAndSummaryCanGoToStandardOutput) {
  fs::path dir = fresh_dir("stdout");
  std::string cmd = "cd '" + dir.string() + "' && " + DSIM_BINARY + " run " + kScenario +
                    " --trace - > t.jsonl 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string trace = read_text(dir / "t.jsonl");
  EXPECT_EQ(trace.rfind("{\"ev\":\"header\"", 0), 0u);
  EXPECT_NE(trace.find("\"ev\":\"summary\""), std::string::npos);
  cmd = "cd '" + dir.string() + "' && " + DSIM_BINARY + " run " + kScenario + " --summary - > s.json 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(read_text(dir / "s.json").rfind("{\n  \"format\": \"dsim-summary\"", 0), 0u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dsim::testing
