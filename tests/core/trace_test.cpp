// Traces: a header, one line per event, a closing summary — valid JSON on every line,
// also when a bound or an interrupt stops the run early.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "protocols/registry.h"
#include "runner/run_scenario.h"

namespace dsim {
namespace {
namespace fs = std::filesystem;

Scenario load_default(const std::vector<Override>& overrides = {}) {
  ScenarioLoader loader(protocol_families());
  return loader.load_file(std::string(DSIM_SOURCE_DIR) + "/scenarios/default.json", overrides,
                          std::nullopt);
}

std::vector<Json> read_lines(const fs::path& p) {
  std::vector<Json> out;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line)) out.push_back(Json::parse(line));  // throws if invalid
  return out;
}

fs::path temp_file(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / "dsim_trace_tests";
  fs::create_directories(dir);
  return dir / name;
}

TEST(Trace, HeaderEventsSummary) {
  fs::path p = temp_file("full.jsonl");
  RunOptions o;
  o.trace_path = p.string();
  RunReport r = run_scenario(load_default(), o);
  auto lines = read_lines(p);
  ASSERT_GT(lines.size(), 100u);
  EXPECT_EQ(lines.front()["ev"], "header");
  EXPECT_EQ(lines.front()["format"], "dsim-trace");
  EXPECT_EQ(lines.front()["seed"], 1);
  EXPECT_EQ(lines.front()["nodes"].size(), 5u);
  EXPECT_EQ(lines.back()["ev"], "summary");
  EXPECT_EQ(lines.back()["verdict"], "pass");
  int64_t last_t = 0;
  std::set<std::string> kinds;
  for (size_t i = 1; i + 1 < lines.size(); ++i) {
    ASSERT_GE(lines[i]["t_ns"].get<int64_t>(), last_t) << "line " << i;
    last_t = lines[i]["t_ns"];
    kinds.insert(lines[i]["ev"].get<std::string>());
  }
  for (const char* k : {"send", "deliver", "drop", "duplicate", "timer", "crash", "restart",
                        "pause", "resume", "partition", "heal", "clock_jump", "proto"}) {
    EXPECT_TRUE(kinds.count(k)) << k;
  }
  EXPECT_EQ(r.result.events, lines.back()["events_processed"].get<uint64_t>());
}

TEST(Trace, ByteBoundTruncatesButKeepsTheSummaryLine) {
  fs::path p = temp_file("bounded.jsonl");
  RunOptions o;
  o.trace_path = p.string();
  RunReport r = run_scenario(load_default({{"limits.max_trace_bytes", "20000"}}), o);
  auto lines = read_lines(p);
  EXPECT_LE(fs::file_size(p), 20000u + 4096u);  // the budget plus header and summary
  EXPECT_EQ(lines.back()["ev"], "summary");
  EXPECT_EQ(lines.back()["truncated"], true);
  EXPECT_EQ(r.summary["trace"]["truncated"], true);
  EXPECT_GT(r.summary["trace"]["lines_dropped"].get<uint64_t>(), 0u);
}

TEST(Trace, EventBoundStopsTheRunAndSaysSo) {
  RunReport r = run_scenario(load_default({{"limits.max_events", "500"}}), RunOptions{});
  EXPECT_EQ(r.summary["stopped_by"], "max_events");
  EXPECT_EQ(r.summary["bound_hit"], "max_events");
  EXPECT_EQ(r.summary["events_processed"], 500);
}

TEST(Trace, TimeBoundStopsTheRunAndSaysSo) {
  RunReport r = run_scenario(load_default({{"limits.max_time", "\"2s\""}}), RunOptions{});
  EXPECT_EQ(r.summary["stopped_by"], "max_time");
  EXPECT_EQ(r.summary["sim_time_ns"], Duration::seconds(2).ns);
}

TEST(Trace, InterruptLeavesACompleteTrace) {
  fs::path p = temp_file("interrupted.jsonl");
  std::atomic<bool> stop{true};
  RunOptions o;
  o.trace_path = p.string();
  o.interrupt = &stop;
  RunReport r = run_scenario(load_default(), o);
  EXPECT_EQ(r.exit_code, 130);
  auto lines = read_lines(p);
  EXPECT_EQ(lines.front()["ev"], "header");
  EXPECT_EQ(lines.back()["ev"], "summary");
  EXPECT_EQ(lines.back()["stopped_by"], "interrupted");
  EXPECT_FALSE(fs::exists(p.string() + ".partial"));
}

TEST(Trace, SummaryCarriesVerdictEventsAndTime) {
  fs::path s = temp_file("summary.json");
  RunOptions o;
  o.summary_path = s.string();
  run_scenario(load_default(), o);
  std::ifstream in(s);
  Json j = Json::parse(in);
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_TRUE(j["violations"].empty());
  EXPECT_GT(j["events_processed"].get<uint64_t>(), 1000u);
  EXPECT_EQ(j["sim_time_ns"], Duration::seconds(10).ns);
  EXPECT_EQ(j["metrics"]["sim"]["crashes"], 1);
  EXPECT_EQ(j["faults"]["scripted"], 4);
}

}  // namespace
}  // namespace dsim
