// Results files: records round-trip; a torn last line is found and cut; a bad line in the
// middle is skipped and named.
#include <gtest/gtest.h>

#include "explore/record_file.h"
#include "sweep_test_util.h"

namespace dsim::explore {
namespace {

using namespace testing;

SweepRecord sample(uint64_t seed, bool failed) {
  SweepRecord r;
  r.seed = seed;
  r.failed = failed;
  if (failed) {
    r.check = "settled_view";
    r.at_ns = 5'000'000'000;
    r.nodes = {"n1", "n3"};
    r.message = "n1 still suspects n3";
  }
  r.stopped_by = "end_of_duration";
  r.events = 1234 + seed;
  r.sim_time_ns = 5'000'000'000;
  r.wall_us = 777;
  r.scenario = "t";
  r.scenario_hash = "abc";
  r.protocol = "heartbeat";
  r.version = "v";
  r.fault_mix = {"crash", "pause"};
  r.faults = {{"crash", 2}};
  r.proto_events = {{"suspect", 3}, {"trust", 2}};
  r.checks = {"settled_view"};
  r.replay = "dsim run t.json --seed " + std::to_string(seed);
  return r;
}

TEST(RecordFile, RecordsRoundTripThroughJson) {
  for (bool failed : {false, true}) {
    SweepRecord r = sample(7, failed);
    SweepRecord back = record_from_json(Json::parse(to_line(r)));
    EXPECT_TRUE(same_outcome(r, back)) << first_difference(r, back);
    EXPECT_EQ(back.wall_us, 777);
    EXPECT_EQ(back.replay, r.replay);
  }
  SweepRecord other = sample(7, false);
  other.events += 1;
  other.wall_us = 1;
  EXPECT_EQ(first_difference(sample(7, false), other), "events");
  EXPECT_THROW(record_from_json(Json::parse(R"({"seed": 1})")), std::runtime_error);
}

TEST(RecordFile, TornLastLineIsFoundAndCut) {
  fs::path f = test_dir() / "r.jsonl";
  std::string whole = to_line(sample(1, false)) + to_line(sample(2, true)) + to_line(sample(3, false));
  std::string torn = to_line(sample(4, false)).substr(0, 40);
  write_text(f, whole + torn);
  RecordFile file;
  std::string error;
  ASSERT_TRUE(read_record_file(f.string(), false, file, error)) << error;
  ASSERT_EQ(file.records.size(), 3u);
  EXPECT_EQ(file.records[1].seed, 2u);
  EXPECT_TRUE(file.records[1].failed);
  EXPECT_EQ(file.good_bytes, whole.size());
  EXPECT_EQ(file.torn_tail_bytes, torn.size());
  EXPECT_TRUE(file.bad_lines.empty());
  ASSERT_TRUE(truncate_file(f.string(), file.good_bytes, error)) << error;
  EXPECT_EQ(read_text(f), whole);
}

TEST(RecordFile, BadLineInTheMiddleIsSkippedAndNamed) {
  fs::path f = test_dir() / "r.jsonl";
  write_text(f, to_line(sample(1, false)) + "{\"seed\": 2, \"verd\n" + to_line(sample(3, false)));
  RecordFile file;
  std::string error;
  ASSERT_TRUE(read_record_file(f.string(), false, file, error)) << error;
  ASSERT_EQ(file.records.size(), 2u);
  ASSERT_EQ(file.bad_lines.size(), 1u);
  EXPECT_NE(file.bad_lines[0].find(":2:"), std::string::npos) << file.bad_lines[0];
  EXPECT_EQ(file.torn_tail_bytes, 0u);
}

TEST(RecordFile, MissingFileIsEmptyOnlyWhenAllowed) {
  fs::path f = test_dir() / "absent.jsonl";
  RecordFile file;
  std::string error;
  EXPECT_TRUE(read_record_file(f.string(), true, file, error));
  EXPECT_TRUE(file.records.empty());
  EXPECT_FALSE(read_record_file(f.string(), false, file, error));
}

TEST(RecordFile, WriterAppendsWholeLines) {
  fs::path f = test_dir() / "w.jsonl";
  std::string error;
  {
    RecordWriter w;
    ASSERT_TRUE(w.open(f.string(), error)) << error;
    ASSERT_TRUE(w.append(sample(1, false), error));
    ASSERT_TRUE(w.close(error));
  }
  RecordWriter again;
  ASSERT_TRUE(again.open(f.string(), error)) << error;
  ASSERT_TRUE(again.append(sample(2, true), error));
  ASSERT_TRUE(again.close(error));
  EXPECT_EQ(read_text(f), to_line(sample(1, false)) + to_line(sample(2, true)));
}

}  // namespace
}  // namespace dsim::explore
