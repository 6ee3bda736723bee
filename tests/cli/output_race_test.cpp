// Files a user writes at output paths while dsim runs: OutputFile and commit_together
// driven directly, so the "while dsim runs" moment is exact. README, "Output files": a file
// that appears or changes at an output path is kept and the output discarded, and outputs
// committed together are all put in place or none.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "cli_test_util.h"
#include "output/output_file.h"

namespace dsim::testing {
namespace {

// Any existing file counts as an earlier output of this kind.
const OutputKind kAnyOutput{"test output", [](std::string_view) { return true; }, false};

// Every file in `dir` (hidden temporaries included) with its text.
std::map<std::string, std::string> contents(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = read_text(e.path());
  return out;
}

std::unique_ptr<OutputFile> output_with(const fs::path& path, const std::string& text) {
  std::string error;
  std::unique_ptr<OutputFile> out = OutputFile::create(path.string(), error);
  EXPECT_NE(out, nullptr) << error;
  if (out) std::fputs(text.c_str(), out->stream());
  return out;
}

// Issue: run --trace --summary, the user writes the summary's path during the run; the
// complete trace was still linked into place. Now neither is.
TEST(OutputRace, CommitTogetherPutsNoneInPlaceWhenOneTargetChanged) {
  fs::path dir = fresh_dir("race_together");
  std::unique_ptr<OutputFile> trace = output_with(dir / "r.trace.jsonl", "trace\n");
  std::unique_ptr<OutputFile> summary = output_with(dir / "r.summary.json", "summary\n");
  write_text(dir / "r.summary.json", "user\n");
  std::string error;
  EXPECT_FALSE(commit_together({trace.get(), summary.get()}, error));
  EXPECT_NE(error.find("r.summary.json"), std::string::npos) << error;
  EXPECT_NE(error.find("appeared"), std::string::npos) << error;
  trace.reset();
  summary.reset();
  EXPECT_EQ(contents(dir), (std::map<std::string, std::string>{{"r.summary.json", "user\n"}}));
  fs::remove_all(dir);
}

// Issue: check-determinism --keep / run-set --out create a later output after an earlier
// run; a file the user wrote there meanwhile was taken for "what was there" and replaced.
// The state recorded when the command checked its paths is what counts.
TEST(OutputRace, ALaterOutputIsComparedWithThePathAsChecked) {
  fs::path dir = fresh_dir("race_later");
  const fs::path missing = dir / "second.trace.jsonl";
  const fs::path earlier = dir / "b.summary.json";
  write_text(earlier, "earlier output\n");
  EXPECT_FALSE(check_output_path(missing.string(), kAnyOutput).has_value());
  EXPECT_FALSE(check_output_path(earlier.string(), kAnyOutput).has_value());
  // The first run goes on; the user writes both paths.
  write_text(missing, "user's new file\n");
  fs::remove(earlier);
  write_text(earlier, "user's rewrite, longer than before\n");
  for (const fs::path& p : {missing, earlier}) {
    std::unique_ptr<OutputFile> out = output_with(p, "dsim\n");
    std::string error;
    EXPECT_FALSE(out->commit(error)) << p;
    EXPECT_NE(error.find("while dsim was running"), std::string::npos) << error;
  }
  EXPECT_EQ(contents(dir), (std::map<std::string, std::string>{
                               {"b.summary.json", "user's rewrite, longer than before\n"},
                               {"second.trace.jsonl", "user's new file\n"}}));
  fs::remove_all(dir);
}

// A path written twice in one process (run-set's index.json; a library user reusing a
// path, even after removing the first file) is not taken for a user's change: a commit
// spends the path's recorded state.
TEST(OutputRace, APathWrittenTwiceByDsimIsReplacedTheSecondTime) {
  fs::path dir = fresh_dir("race_twice");
  const fs::path index = dir / "index.json";
  record_output_state(index.string());
  std::string error;
  ASSERT_TRUE(write_file_atomically(index.string(), "[]\n", error)) << error;
  ASSERT_TRUE(write_file_atomically(index.string(), "[1]\n", error)) << error;
  EXPECT_EQ(contents(dir), (std::map<std::string, std::string>{{"index.json", "[1]\n"}}));
  fs::remove(index);
  ASSERT_TRUE(write_file_atomically(index.string(), "[2]\n", error)) << error;
  EXPECT_EQ(contents(dir), (std::map<std::string, std::string>{{"index.json", "[2]\n"}}));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dsim::testing
