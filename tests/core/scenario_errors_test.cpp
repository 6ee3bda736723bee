// Bad input: each kind of mistake is rejected with the file, the JSON path and what was
// expected — and through the CLI, with exit code 2 and no output files.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

#include "protocols/registry.h"
#include "scenario/scenario.h"

namespace dsim {
namespace {
namespace fs = std::filesystem;

const char* kValid = R"({
  "name": "t", "duration": "2s", "nodes": 3,
  "protocol": {"name": "heartbeat"},
  "faults": {"schedule": [{"at": "1s", "action": "crash", "node": "n1", "for": "500ms"}]}
})";

struct Case {
  const char* label;
  std::string patch_path;  // --set style override applied to kValid
  std::string value;
  std::string want_path;
  std::string want_words;
};

std::string load_error(const std::string& text, const std::vector<Override>& overrides) {
  ScenarioLoader loader(protocol_families());
  try {
    loader.load_json(parse_json_text(text, "bad.json"), "bad.json", overrides, std::nullopt);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(ScenarioErrors, ValidScenarioLoads) { EXPECT_EQ(load_error(kValid, {}), ""); }

TEST(ScenarioErrors, EachMistakeNamesFilePathAndExpectation) {
  const Case cases[] = {
      {"typo", "duraton", "\"3s\"", "$.duraton", "did you mean \"duration\""},
      {"wrong type", "nodes", "\"five\"", "$.nodes", "expected a node count"},
      {"negative duration", "duration", "\"-1s\"", "$.duration", "positive duration"},
      {"bad duration text", "duration", "\"soon\"", "$.duration", "expected a positive duration"},
      {"unknown node", "faults.schedule.0.node", "\"n9\"", "$.faults.schedule[0].node",
       "no node or role named \"n9\""},
      {"unknown action", "faults.schedule.0.action", "\"crsh\"", "$.faults.schedule[0].action",
       "did you mean \"crash\""},
      {"fault after the end", "faults.schedule.0.at", "\"5s\"", "$.faults.schedule[0].at",
       "expected at most the run's duration (2s, from the file), got 5s"},
      {"unknown protocol", "protocol.name", "\"hartbeat\"", "$.protocol.name",
       "did you mean \"heartbeat\""},
      {"unknown variant", "protocol.variant", "\"fast\"", "$.protocol.variant", "expected one of"},
      {"protocol setting typo", "protocol.intervl", "\"1s\"", "$.protocol.intervl",
       "did you mean \"interval\""},
      {"probability out of range", "network.loss", "1.5", "$.network.loss",
       "a number from 0 to 1"},
      {"latency key typo", "network.latency", R"({"dist": "uniform", "mn": "1ms"})",
       "$.network.latency.mn", "did you mean \"min\""},
      {"latency dist typo", "network.latency", R"({"dist": "unifrom"})", "$.network.latency.dist",
       "did you mean \"uniform\""},
      {"unknown check", "checks", R"(["setled_view"])", "$.checks[0]", "did you mean \"settled_view\""},
      {"overlapping groups", "faults.schedule.0",
       R"({"at": "1s", "action": "partition", "groups": [["n0"], ["n0", "n1"]]})",
       "$.faults.schedule[0].groups[1]", "already in another group"},
      {"nemesis kind typo", "faults.random", R"({"kinds": ["pause", "crashh"]})",
       "$.faults.random.kinds[1]", "did you mean \"crash\""},
      {"zero nodes", "nodes", "0", "$.nodes", "an integer from 1"},
      {"null nodes (required)", "nodes", "null", "$.nodes", "expected a node count"},
      {"null protocol (required)", "protocol", "null", "$.protocol",
       "expected the protocol, an object {\"name\": NAME, ...} with NAME one of "},
      {"protocol without a name", "protocol", "{}", "$.protocol.name", "expected the protocol's name, one of "},
      {"null name (required)", "name", "null", "$.name", "expected a non-empty scenario name"},
      {"null fault time (required)", "faults.schedule.0.at", "null", "$.faults.schedule[0].at",
       "expected the time of the fault"},
      {"for on an undo", "faults.schedule.0.action", "\"restart\"", "$.faults.schedule[0].for",
       "takes no duration"},
  };
  for (const Case& c : cases) {
    std::string err = load_error(kValid, {Override{c.patch_path, c.value}});
    EXPECT_NE(err.find("bad.json: at " + c.want_path + ":"), std::string::npos)
        << c.label << ": " << err;
    EXPECT_NE(err.find(c.want_words), std::string::npos) << c.label << ": " << err;
  }
}

// null is the key left out (README), for every section and setting the loader reads with a
// default: the same scenario as without the key. (A null random nemesis or latency used
// to switch the nemesis on, or make the latency constant.)
std::string loaded_fields(const Json& document) {
  ScenarioLoader loader(protocol_families());
  Scenario s = loader.load_json(document, "ok.json", {}, std::nullopt);
  const LatencyModel& l = s.sim.link_defaults.latency;
  std::string out = s.description + "|" + std::to_string(s.seed) + "|" + std::to_string(s.duration.ns);
  for (const std::string& c : s.checks) out += "|" + c;
  out += "|nemesis " + std::to_string(s.nemesis.has_value()) + "|expect " +
         std::to_string(s.expect.has_value()) + "|down " + std::to_string(s.sim.down_at_start.size()) +
         "|latency " + std::to_string(static_cast<int>(l.kind)) + " " + std::to_string(l.value.ns) +
         " " + std::to_string(l.max.ns) + "|loss " + std::to_string(s.sim.link_defaults.loss) +
         "|memory " + std::to_string(s.sim.limits.max_memory) + "|events " +
         std::to_string(s.sim.limits.max_events) + "|faults " + std::to_string(s.scripted_faults.size()) +
         "|clocks " + std::to_string(s.clock_settings.max_offset.ns) + "|torn " +
         std::to_string(s.sim.torn_write_probability);
  return out;
}

TEST(ScenarioErrors, NullIsTheKeyLeftOut) {
  for (const char* key : {"/seed", "/description", "/duration", "/workload", "/network", "/clocks",
                          "/storage", "/faults", "/checks", "/limits", "/expect", "/down_at_start",
                          "/$schema", "/faults/random", "/faults/schedule", "/network/latency",
                          "/network/loss", "/network/links", "/limits/max_memory",
                          "/limits/max_events", "/clocks/nodes", "/storage/torn_write",
                          "/protocol/variant"}) {
    Json::json_pointer at(key);
    Json left_out = parse_json_text(kValid, "ok.json"), null = left_out;
    if (left_out.contains(at.parent_pointer())) left_out[at.parent_pointer()].erase(at.back());
    null[at] = nullptr;
    EXPECT_EQ(loaded_fields(null), loaded_fields(left_out)) << key;
  }
}

TEST(ScenarioErrors, SyntaxErrorNamesLineAndColumn) {
  std::string err = load_error("{\n  \"name\": \"x\",\n  \"nodes\": 3,,\n}", {});
  EXPECT_NE(err.find("bad.json: at line 3"), std::string::npos) << err;
  EXPECT_NE(err.find("invalid JSON"), std::string::npos) << err;
}

TEST(ScenarioErrors, MalformedOverride) {
  EXPECT_THROW(parse_override("nodes"), ScenarioError);
  EXPECT_THROW(parse_override("=3"), ScenarioError);
  Override o = parse_override("network.loss=0.1");
  EXPECT_EQ(o.path, "network.loss");
  EXPECT_EQ(o.value, "0.1");
}

TEST(ScenarioErrors, OverrideIsValidatedLikeTheFile) {
  std::string err = load_error(kValid, {Override{"network.loss", "2"}});
  EXPECT_NE(err.find("$.network.loss"), std::string::npos) << err;
  EXPECT_EQ(load_error(kValid, {Override{"nodes", "5"}}), "");
}

int run_cli(const std::string& args) {
  std::string cmd = std::string(DSIM_BINARY) + " " + args + " >/dev/null 2>&1";
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ScenarioErrors, CliExitsWithTwoAndWritesNothing) {
  fs::path dir = fs::temp_directory_path() / "dsim_cli_errors";
  fs::create_directories(dir);
  fs::path bad = dir / "bad.json";
  std::ofstream(bad) << R"({"name": "t", "nodes": 3, "protocol": {"name": "heartbeat"}, "duraton": "1s"})";
  fs::path trace = dir / "t.jsonl", summary = dir / "s.json";
  fs::remove(trace);
  fs::remove(summary);
  std::string outputs = " --trace " + trace.string() + " --summary " + summary.string();
  EXPECT_EQ(run_cli("run " + bad.string() + outputs), 2);
  EXPECT_EQ(run_cli("run " + (dir / "missing.json").string() + outputs), 2);
  EXPECT_EQ(run_cli("run --set network.loss=7" + outputs), 2);
  EXPECT_EQ(run_cli("run --no-such-flag"), 2);
  EXPECT_EQ(run_cli("no-such-command"), 2);
  EXPECT_FALSE(fs::exists(trace));
  EXPECT_FALSE(fs::exists(trace.string() + ".partial"));
  EXPECT_FALSE(fs::exists(summary));
  EXPECT_EQ(run_cli("run --help"), 0);
  EXPECT_EQ(run_cli("run" + outputs), 0);
  EXPECT_TRUE(fs::exists(trace));
  EXPECT_TRUE(fs::exists(summary));
}

}  // namespace
}  // namespace dsim
