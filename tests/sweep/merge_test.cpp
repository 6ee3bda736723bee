// Merging results files: overlapping and partial (torn) files give each seed once;
// disagreeing duplicates are reported as conflicts; the CLI's exit code says so.
#include <gtest/gtest.h>

#include "explore/merge.h"
#include "protocols/registry.h"
#include "sweep_test_util.h"

namespace dsim::explore {
namespace {

using namespace testing;

class MergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_dir();
    full_ = dir_ / "full.jsonl";
    ASSERT_EQ(dsim("sweep " + kTight + " --seeds 1..30 --jobs 2 --out " + full_.string()), 1);
    lines_ = lines_of(read_text(full_));
    ASSERT_EQ(lines_.size(), 30u);
  }
  fs::path write_lines(const std::string& name, size_t from, size_t to, const std::string& tail = "") {
    std::string text;
    for (size_t i = from; i < to; ++i) text += lines_[i] + "\n";
    write_text(dir_ / name, text + tail);
    return dir_ / name;
  }
  fs::path dir_, full_;
  std::vector<std::string> lines_;
};

TEST_F(MergeTest, OverlappingAndPartialFilesGiveEachSeedOnce) {
  fs::path a = write_lines("a.jsonl", 0, 20);
  fs::path b = write_lines("b.jsonl", 10, 29, lines_[29].substr(0, 25));  // seed 30 torn
  SweepReport report;
  MergeResult merged;
  std::string error;
  ASSERT_TRUE(merge_record_files({a.string(), b.string()}, report, merged, error)) << error;
  ASSERT_EQ(merged.records.size(), 29u);
  for (size_t i = 0; i < merged.records.size(); ++i) EXPECT_EQ(merged.records[i].seed, i + 1);
  EXPECT_EQ(report.unique_records(), 29u);
  EXPECT_EQ(report.duplicates(), 10u);
  EXPECT_TRUE(report.conflicts().empty());
  ASSERT_EQ(merged.skipped.size(), 1u);
  EXPECT_NE(merged.skipped[0].find("torn"), std::string::npos) << merged.skipped[0];

  fs::path out = dir_ / "merged.jsonl";
  fs::path json = dir_ / "report.json";
  EXPECT_EQ(dsim("merge " + b.string() + " " + a.string() + " --out " + out.string() +
                 " --report " + json.string()),
            1);  // some seeds failed
  std::vector<std::string> expected = records_without_wall_time(full_);
  expected.pop_back();
  EXPECT_EQ(records_without_wall_time(out), expected);
  Json r = Json::parse(read_text(json));
  EXPECT_EQ(r["records"], 29);
  EXPECT_EQ(r["duplicates"], 10);
  uint64_t failed = 0;
  for (const std::string& line : expected) failed += Json::parse(line)["verdict"] == "fail";
  EXPECT_EQ(r["failed"], failed);
  EXPECT_EQ(r["scenarios"][0]["failures_by_check"][0]["count"], failed);
}

TEST_F(MergeTest, DisagreeingDuplicatesAreConflicts) {
  std::string passing;
  for (const std::string& line : lines_) {
    if (Json::parse(line)["verdict"] == "pass") passing += line + "\n";
  }
  fs::path p = dir_ / "pass.jsonl", same = dir_ / "same.jsonl", liar = dir_ / "liar.jsonl";
  write_text(p, passing);
  write_text(same, passing);
  EXPECT_EQ(dsim("merge " + p.string() + " " + same.string()), 0);

  std::vector<std::string> changed = lines_of(passing);
  Json j = Json::parse(changed[2]);
  j["events"] = j["events"].get<uint64_t>() + 1;
  j["wall_us"] = 1;  // wall time alone never conflicts; the event count does
  changed[2] = j.dump();
  std::string text;
  for (const std::string& line : changed) text += line + "\n";
  write_text(liar, text);
  EXPECT_EQ(dsim("merge " + p.string() + " " + liar.string()), 1);

  SweepReport report;
  MergeResult merged;
  std::string error;
  ASSERT_TRUE(merge_record_files({p.string(), liar.string()}, report, merged, error)) << error;
  ASSERT_EQ(report.conflicts().size(), 1u);
  EXPECT_EQ(report.conflicts()[0].seed, j["seed"].get<uint64_t>());
  EXPECT_EQ(report.conflicts()[0].first_source, p.string());
  EXPECT_EQ(report.failures(), 0u);
}

TEST_F(MergeTest, UnreadableFileIsBadInput) {
  EXPECT_EQ(dsim("merge " + (dir_ / "missing.jsonl").string()), 2);
}

}  // namespace
}  // namespace dsim::explore
