// Faults that would change nothing: refused at load when a script asks for them (with the
// JSON path), skipped, traced (`fault_skipped`) and counted when random timing makes them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "faults/fault_runner.h"
#include "probe_process.h"
#include "protocols/registry.h"
#include "scenario/scenario.h"
#include "trace/trace_writer.h"

namespace dsim {
namespace {
namespace fs = std::filesystem;

std::string schedule_error(const std::string& schedule, const std::string& extra = "") {
  std::string text = R"({"name": "t", "duration": "10s", "nodes": 3, "protocol": {"name": "heartbeat"},)" +
                     extra + R"("faults": {"schedule": )" + schedule + "}}";
  ScenarioLoader loader(protocol_families());
  try {
    loader.load_json(parse_json_text(text, "s.json"), "s.json", {}, std::nullopt);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

struct Case {
  const char* label;
  std::string schedule;
  std::string want_path;
  std::string want_words;
};

TEST(ScheduleCheck, FaultsThatWouldDoNothingAreRefusedWithTheirPath) {
  const Case cases[] = {
      {"crash of a crashed node",
       R"([{"at": "1s", "action": "crash", "node": "n1"}, {"at": "2s", "action": "crash", "node": "n1"}])",
       "$.faults.schedule[1].action", "node \"n1\" is already down (crashed at 1s by $.faults.schedule[0])"},
      {"crash at the instant its earlier crash ends (the end comes after the scheduled faults)",
       R"([{"at": "1s", "action": "crash", "node": "n1", "for": "1s"}, {"at": "2s", "action": "crash", "node": "n1"}])",
       "$.faults.schedule[1].action", "is already down (crashed at 1s by $.faults.schedule[0])"},
      {"restart of a running node", R"([{"at": "1s", "action": "restart", "node": "n1"}])",
       "$.faults.schedule[0].action", "node \"n1\" is running"},
      {"resume of a node not paused", R"([{"at": "1s", "action": "resume", "node": ["n0", "n2"]}])",
       "$.faults.schedule[0].action", "node \"n0\" is not paused"},
      {"pause of a paused node",
       R"([{"at": "1s", "action": "pause", "node": "n1", "for": "2s"}, {"at": "2s", "action": "pause", "node": "n1"}])",
       "$.faults.schedule[1].action", "is already paused"},
      {"pause of a crashed node",
       R"([{"at": "1s", "action": "crash", "node": "n1"}, {"at": "2s", "action": "pause", "node": "n1"}])",
       "$.faults.schedule[1].action", "is down"},
      {"undo of a crash finds the node restarted",
       R"([{"at": "1s", "action": "crash", "node": "n1", "for": "2s"}, {"at": "2s", "action": "restart", "node": "n1"}])",
       "$.faults.schedule[0].for", "the restart that ends this fault at 3s would do nothing"},
      {"resume before the pause (same instant, later in the file order is fine; earlier is not)",
       R"([{"at": "1s", "action": "resume", "node": "n1"}, {"at": "1s", "action": "pause", "node": "n1"}])",
       "$.faults.schedule[0].action", "is not paused"},
      {"heal of a name never given", R"([{"at": "1s", "action": "heal", "name": "cutt"}])",
       "$.faults.schedule[0].name", "no partition, isolate or link fault in the schedule is named \"cutt\""},
      {"heal of a name that has ended",
       R"([{"at": "1s", "action": "isolate", "node": "n1", "name": "cut", "for": "1s"}, {"at": "3s", "action": "heal", "name": "cut"}])",
       "$.faults.schedule[1].name", "no fault named \"cut\" is open then"},
      {"heal of a name after a heal-all",
       R"([{"at": "1s", "action": "isolate", "node": "n1", "name": "cut"}, {"at": "2s", "action": "heal"}, {"at": "3s", "action": "heal", "name": "cut"}])",
       "$.faults.schedule[2].name", "no fault named \"cut\" is open then"},
      {"partition with every node in one group",
       R"([{"at": "1s", "action": "partition", "groups": [["n0", "n1", "n2"]]}])",
       "$.faults.schedule[0].groups", "every node is in one group"},
      {"partition of empty groups", R"([{"at": "1s", "action": "partition", "groups": [[], []]}])",
       "$.faults.schedule[0].groups", "every node is in one group"},
      {"isolate of every node", R"([{"at": "1s", "action": "isolate", "node": "node"}])",
       "$.faults.schedule[0].node", "cuts nothing"},
  };
  for (const Case& c : cases) {
    std::string err = schedule_error(c.schedule);
    EXPECT_NE(err.find("s.json: at " + c.want_path + ":"), std::string::npos) << c.label << ": " << err;
    EXPECT_NE(err.find(c.want_words), std::string::npos) << c.label << ": " << err;
  }
}

TEST(ScheduleCheck, SchedulesThatChangeSomethingLoad) {
  const char* fine[] = {
      // crash, then its own restart, then crash again
      R"([{"at": "1s", "action": "crash", "node": "n1", "for": "1s"}, {"at": "3s", "action": "crash", "node": "n1"}])",
      // a crashed node may be restarted by hand, a paused one crashed
      R"([{"at": "1s", "action": "crash", "node": "n1"}, {"at": "2s", "action": "restart", "node": "n1"}])",
      R"([{"at": "1s", "action": "pause", "node": "n1"}, {"at": "2s", "action": "crash", "node": "n1", "for": "1s"}])",
      // pause and its resume at the same instant, file order
      R"([{"at": "1s", "action": "pause", "node": "n1"}, {"at": "1s", "action": "resume", "node": "n1"}])",
      // a cut healed by name; a cut whose `for` ends after a heal-all ends quietly
      R"([{"at": "1s", "action": "partition", "groups": [["n0"]], "name": "a"}, {"at": "2s", "action": "heal", "name": "a"}])",
      R"([{"at": "1s", "action": "isolate", "node": "n1", "for": "5s"}, {"at": "2s", "action": "heal"}])",
      // a named window survives a heal-all and can be healed by name later
      R"([{"at": "1s", "action": "link_slow", "from": "n0", "to": "n1", "extra_latency": "5ms", "name": "w"},
          {"at": "2s", "action": "heal"}, {"at": "3s", "action": "heal", "name": "w"}])",
  };
  for (const char* schedule : fine) EXPECT_EQ(schedule_error(schedule), "") << schedule;
  // A node down at start joins with a restart; it cannot be crashed before.
  EXPECT_EQ(schedule_error(R"([{"at": "1s", "action": "restart", "node": "n2"}])", R"("down_at_start": ["n2"],)"), "");
  std::string err = schedule_error(R"([{"at": "1s", "action": "crash", "node": "n2"}])", R"("down_at_start": ["n2"],)");
  EXPECT_NE(err.find("down at start"), std::string::npos) << err;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(FaultRunner, FaultsThatWouldDoNothingAtRunTimeAreSkippedTracedAndCounted) {
  // As random timing can make them: a crash whose restart finds the node already
  // restarted, a resume of a running node, a heal of a name that has ended.
  testing::ProbeLog log;
  SimulationConfig config;
  config.link_defaults = testing::constant_link(Duration::millis(1));
  config.limits.end = Instant{Duration::seconds(10).ns};
  auto sim = testing::make_probe_sim(3, log, config);
  fs::path trace_path = fs::temp_directory_path() / "dsim_fault_skipped.jsonl";
  std::string error;
  auto trace = TraceWriter::open(trace_path.string(), uint64_t{1} << 20, error);
  ASSERT_TRUE(trace) << error;
  sim->set_trace(trace.get());

  auto at = [](int64_t s) { return Instant{Duration::seconds(s).ns}; };
  std::vector<FaultAction> faults(4);
  faults[0].kind = FaultAction::Kind::kCrash;
  faults[0].at = at(1);
  faults[0].nodes = {1};
  faults[0].lasts = Duration::seconds(2);
  faults[1].kind = FaultAction::Kind::kRestart;
  faults[1].at = at(2);
  faults[1].nodes = {1};
  faults[2].kind = FaultAction::Kind::kResume;
  faults[2].at = at(4);
  faults[2].nodes = {0};
  faults[3].kind = FaultAction::Kind::kHeal;
  faults[3].at = at(5);
  faults[3].name = "gone";
  schedule_faults(*sim, faults);
  RunResult r = sim->run();
  ASSERT_TRUE(trace->close(error)) << error;

  EXPECT_EQ(r.metrics["sim"]["faults_skipped"], 3);
  EXPECT_EQ(r.metrics["sim"]["restarts"], 1);
  std::string text = read_all(trace_path);
  EXPECT_NE(text.find(R"("ev":"fault_skipped","node":"n1","data":{"action":"crash","node":"n1","for":"2s","undo":true,"reason":"node is running"})"),
            std::string::npos) << text;
  EXPECT_NE(text.find(R"("reason":"node is not paused")"), std::string::npos);
  EXPECT_NE(text.find(R"("reason":"nothing of that name is open")"), std::string::npos);
}

}  // namespace
}  // namespace dsim
