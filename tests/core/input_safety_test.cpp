// No crash on any input (issue 17 item 1, issue 18 item 3): numbers and times out of range,
// nesting bombs, nemesis and size bombs, syntax slips and a folder given as a file all end
// with exit 2, a message naming the file and where, and no output file.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

#include "protocols/registry.h"
#include "runner/run_scenario.h"
#include "scenario/json_text.h"
#include "scenario/scenario.h"
#include "scenario/scenario_limits.h"

namespace dsim {
namespace {
namespace fs = std::filesystem;

std::string load_error(const std::string& text, const std::vector<Override>& overrides = {}) {
  ScenarioLoader loader(protocol_families());
  try {
    loader.load_json(parse_json_text(text, "bad.json"), "bad.json", overrides, std::nullopt);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

const char* kHeartbeat = R"({"name": "t", "duration": "2s", "nodes": 3, "protocol": {"name": "heartbeat"}})";

// ctest runs these tests as parallel processes: each process keeps its files in a folder
// of its own (under their usual names, which the messages checked below contain).
fs::path own_temp(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("dsim_input_safety." + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

struct CliResult {
  int exit_code;
  std::string err;
};

// Runs dsim with `args`; its stderr is returned.
CliResult run_cli(const std::string& args) {
  fs::path err = own_temp("dsim_input_safety_stderr.txt");
  std::string cmd = std::string(DSIM_BINARY) + " " + args + " >/dev/null 2>" + err.string();
  int status = std::system(cmd.c_str());
  std::ifstream in(err);
  std::stringstream s;
  s << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), s.str()};
}

// Runs `dsim run FILE` with a trace and summary requested; expects exit 2, `words` in the
// message, and neither output (nor a .partial) left.
void expect_refused(const std::string& file, const std::vector<std::string>& words,
                    const std::string& extra = "") {
  fs::path dir = own_temp("dsim_input_safety");
  fs::create_directories(dir);
  fs::path trace = dir / "t.jsonl", summary = dir / "s.json";
  fs::remove(trace);
  fs::remove(summary);
  CliResult r = run_cli("run " + file + extra + " --trace " + trace.string() + " --summary " +
                        summary.string());
  EXPECT_EQ(r.exit_code, 2) << file << ": " << r.err;
  for (const std::string& w : words) EXPECT_NE(r.err.find(w), std::string::npos) << w << " in: " << r.err;
  EXPECT_FALSE(fs::exists(trace)) << file;
  EXPECT_FALSE(fs::exists(trace.string() + ".partial")) << file;
  EXPECT_FALSE(fs::exists(summary)) << file;
}

fs::path data(const std::string& name) { return fs::path(DSIM_SOURCE_DIR) / "tests/core/data" / name; }

fs::path write_temp(const std::string& name, const std::string& text) {
  fs::path p = own_temp(name);
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

// ------------------------------------------------------------- the handed-over cases

TEST(BadInputCases, LatencyNearTheLargestDurationIsRefused) {
  expect_refused(data("badinput/latency-overflow.json").string(),
                 {"latency-overflow.json: at $.network.latency:", "at most 365 days"});
}

TEST(BadInputCases, NumberBeyondDoubleIsRefusedWithItsPosition) {
  expect_refused(data("badinput/number-overflow.json").string(),
                 {"number-overflow.json: at line 1, column 24:", "1e999 is out of range"});
}

TEST(BadInputCases, HundredThousandNestedBracketsAreRefused) {
  fs::path p = write_temp("dsim_deep.json", std::string(100'000, '['));
  expect_refused(p.string(), {"dsim_deep.json: at line 1, column 65:", "nested deeper than 64"});
  // Closed, where an error message would print the value (a segmentation fault before:
  // printing recursed 100,000 levels deep).
  p = write_temp("dsim_deep_nodes.json", R"({"name": "x", "nodes": )" + std::string(100'000, '[') +
                                             std::string(100'000, ']') +
                                             R"(, "protocol": {"name": "heartbeat"}})");
  expect_refused(p.string(), {"dsim_deep_nodes.json: at line 1, column 87:", "nested deeper than 64"});
}

TEST(BadInputCases, DeepNestingInASetValueOrPathIsRefused) {
  expect_refused("", {"--set", "deeper than 64"},
                 " --set 'workload.x=" + std::string(100'000, '[') + "'");
  std::string path;
  for (int i = 0; i < 50'000; ++i) path += "a.";
  expect_refused("", {"--set", "at most 64 keys"}, " --set " + path + "a=1");
}

TEST(BadInputCases, SetIndexBeyondSizeTIsRefused) {
  // std::stoul threw out_of_range here: an internal error (exit 70).
  std::string err = load_error(
      R"({"name": "t", "nodes": 3, "protocol": {"name": "heartbeat"}, "faults": {"schedule": []}})",
      {Override{"faults.schedule.99999999999999999999999.at", "1s"}});
  EXPECT_NE(err.find("--set: at $.faults.schedule: expected an index below 0"), std::string::npos) << err;
}

TEST(BadInputCases, SetValueThatIsNotUtf8IsRefused) {
  // Printing it for the scenario's hash threw nlohmann's type_error: exit 70.
  std::string err = load_error(kHeartbeat, {Override{"description", "caf\xe9"}});
  EXPECT_NE(err.find("--set: at $: expected PATH=VALUE in UTF-8"), std::string::npos) << err;
}

// ------------------------------------------------------------------- JSON text

TEST(JsonText, SyntaxErrorSaysLineAndColumnOnceWithAHint) {
  std::string err = load_error("{\n  \"name\": \"x\",\n  \"nodes\": 3,\n}");
  EXPECT_NE(err.find("bad.json: at line 4, column 1: invalid JSON: unexpected '}'"), std::string::npos) << err;
  EXPECT_NE(err.find("trailing comma"), std::string::npos) << err;
  EXPECT_EQ(err.find("line", err.find("invalid JSON")), std::string::npos) << "said twice: " << err;
  EXPECT_EQ(err.find("json.exception"), std::string::npos) << err;

  err = load_error("{\n  // the name\n  \"name\": \"x\"\n}");
  EXPECT_NE(err.find("bad.json: at line 2, column 3:"), std::string::npos) << err;
  EXPECT_NE(err.find("no comments"), std::string::npos) << err;
}

TEST(JsonText, NestingUpToTheLimitParses) {
  std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_NO_THROW(parse_json_text(ok, "x.json"));
  std::string deep = std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
  EXPECT_THROW(parse_json_text(deep, "x.json"), ScenarioError);
  // Brackets inside strings are text, not nesting.
  EXPECT_NO_THROW(parse_json_text("[\"" + std::string(1000, '[') + "\\\"\"]", "x.json"));
}

TEST(JsonText, DirectoryGivenAsAScenarioSaysSo) {
  fs::path dir = own_temp("dsim_a_folder.json");
  fs::create_directories(dir);
  expect_refused(dir.string(), {"is a directory", "run-set"});
}

// ---------------------------------------------------------------- times and durations

TEST(ScenarioTimes, EveryDurationHasARangeCheckedAtLoad) {
  struct Case {
    std::string path, value, want_path;
  };
  const Case cases[] = {
      {"duration", "\"8761h\"", "$.duration"},
      {"network.latency", "\"9223372036s\"", "$.network.latency"},
      {"network.latency", R"({"dist": "pareto", "cap": "9000h"})", "$.network.latency.cap"},
      {"clocks.max_offset", "\"8761h\"", "$.clocks.max_offset"},
      {"clocks.nodes", R"({"n1": {"offset": "-8761h"}})", "$.clocks.nodes.n1.offset"},
      {"limits.max_time", "9223372036854775807", "$.limits.max_time"},
      {"limits.max_time", "\"9000000h\"", "$.limits.max_time"},  // beyond int64 itself
      {"protocol.interval", "\"8761h\"", "$.protocol.interval"},
      {"faults.schedule", R"([{"at": "1s", "action": "crash", "node": "n1", "for": "8761h"}])",
       "$.faults.schedule[0].for"},
      {"faults.schedule", R"([{"at": "1s", "action": "clock_jump", "node": "n1", "by": "-8761h"}])",
       "$.faults.schedule[0].by"},
      {"faults.random", R"({"clock_jump_max": "8761h"})", "$.faults.random.clock_jump_max"},
  };
  for (const Case& c : cases) {
    std::string err = load_error(kHeartbeat, {Override{c.path, c.value}});
    EXPECT_NE(err.find("bad.json: at " + c.want_path + ":"), std::string::npos) << err;
    EXPECT_NE(err.find("at most 365 days"), std::string::npos) << err;
  }
}

TEST(ScenarioTimes, RunAtTheEdgesOfTheRangesEndsCleanly) {
  // Every time at its largest allowed value at once: latency, cap, fault lengths, timers,
  // clock offsets and jumps. Saturating arithmetic keeps every instant in order.
  const char* text = R"({
    "name": "edges", "duration": "8760h", "nodes": 3,
    "protocol": {"name": "heartbeat", "interval": "8759h", "timeout": "8760h"},
    "network": {"latency": {"dist": "pareto", "scale": "8760h", "shape": 0.1, "floor": "8760h", "cap": "8760h"}},
    "clocks": {"nodes": {"n0": {"offset": "8760h", "drift_ppm": 500000}, "n1": {"offset": "-8760h", "drift_ppm": -500000}}},
    "faults": {"schedule": [
      {"at": "8760h", "action": "crash", "node": "n2", "for": "8760h"},
      {"at": "0s", "action": "clock_jump", "node": "n0", "by": "8760h", "for": "8760h"},
      {"at": "0s", "action": "link_slow", "from": "n0", "to": "n1", "extra_latency": "8760h", "for": "8760h"}
    ]},
    "limits": {"max_events": 100000}
  })";
  ScenarioLoader loader(protocol_families());
  Scenario s = loader.load_json(parse_json_text(text, "edges.json"), "edges.json", {}, std::nullopt);
  RunReport r = run_scenario(s, RunOptions{});
  EXPECT_NE(r.exit_code, 70);
  EXPECT_LE(r.result.sim_time.ns, s.duration.ns);
}

// Durations are whole nanoseconds, read exactly or refused (README, core/duration_text.h):
// a digit the loader cannot keep is refused, never rounded away.
TEST(ScenarioTimes, DurationsAreExactOrRefused) {
  struct Case {
    std::string value;
    int64_t ns;  // -1: refused
  };
  const Case cases[] = {
      {"\".000016667m\"", 1'000'020},  {"\"1.5us\"", 1'500},    {"\"0.0000000000025h\"", 9},
      {"\"1.25000000000000000000s\"", 1'250'000'000},           {"\"0.5ns\"", -1},
      {"\"1.0000000001s\"", -1},     {"\"0.00000000001m\"", -1}, {"\"1.1111111111111111111111h\"", -1},
      {"1000000000.0", 1'000'000'000}, {"1e9", 1'000'000'000},    {"1000000000.5", -1},
  };
  ScenarioLoader loader(protocol_families());
  for (const Case& c : cases) {
    std::string err = load_error(kHeartbeat, {Override{"duration", c.value}});
    if (c.ns < 0) {
      EXPECT_NE(err.find("bad.json: at $.duration:"), std::string::npos) << c.value << ": " << err;
      continue;
    }
    ASSERT_EQ(err, "") << c.value;
    Scenario s = loader.load_json(parse_json_text(kHeartbeat, "ok.json"), "ok.json", {Override{"duration", c.value}},
                                  std::nullopt);
    EXPECT_EQ(s.duration.ns, c.ns) << c.value;
  }
  std::string err = load_error(kHeartbeat, {Override{"duration", "\"1.0000000001s\""}});
  EXPECT_NE(err.find("not a whole number of nanoseconds"), std::string::npos) << err;
}

// JSON has one kind of number: wherever an integer is expected, any number whose fraction
// is zero is that integer (as JSON Schema's "integer" is); a fraction is refused.
TEST(ScenarioConventions, WholeNumbersWrittenAsFloatsAreIntegers) {
  ScenarioLoader loader(protocol_families());
  Scenario s = loader.load_json(parse_json_text(kHeartbeat, "ok.json"), "ok.json",
                                {Override{"seed", "7.0"}, Override{"nodes", "4e0"}, Override{"expect.exit", "0.0"},
                                 Override{"clocks.max_drift_ppm", "10.0"}, Override{"limits.max_memory", "1073741824.0"}},
                                std::nullopt);
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.cluster.size(), 4u);
  EXPECT_EQ(s.clock_settings.max_drift_ppm, 10);
  EXPECT_EQ(s.sim.limits.max_memory, uint64_t{1} << 30);
  EXPECT_EQ(load_error(kHeartbeat, {Override{"nodes", R"({"node": 3.0})"}}), "");
  for (const auto& [path, value] : std::vector<std::pair<std::string, std::string>>{
           {"seed", "1.5"}, {"nodes", "3.5"}, {"expect.exit", "0.5"}, {"nodes", R"({"node": 2.5})"}}) {
    std::string err = load_error(kHeartbeat, {Override{path, value}});
    EXPECT_NE(err.find("bad.json: at $." + path), std::string::npos) << path << "=" << value << ": " << err;
  }
}

// --------------------------------------------------------------------- size bombs

TEST(ScenarioLimits, TinyNemesisIntervalIsRefusedAtLoad) {
  std::string err = load_error(kHeartbeat, {Override{"faults.random", R"({"mean_interval": "1ns"})"}});
  EXPECT_NE(err.find("bad.json: at $.faults.random.mean_interval:"), std::string::npos) << err;
  EXPECT_NE(err.find("at most 100000"), std::string::npos) << err;
  // Just within the bound: loads.
  EXPECT_EQ(load_error(kHeartbeat, {Override{"faults.random", R"({"start": "0s", "stop": "1s", "mean_interval": "10us"})"}}), "");
}

TEST(ScenarioLimits, NodesInTotalAcrossRolesAreBounded) {
  std::string err = load_error(kHeartbeat, {Override{"nodes", R"({"a": 600000, "b": 600000})"}});
  EXPECT_NE(err.find("bad.json: at $.nodes.b:"), std::string::npos) << err;
  EXPECT_NE(err.find("at most 1000000 nodes in total"), std::string::npos) << err;
  err = load_error(kHeartbeat, {Override{"nodes", "1000001"}});
  EXPECT_NE(err.find("bad.json: at $.nodes:"), std::string::npos) << err;
  err = load_error(kHeartbeat, {Override{"nodes", R"({"a": 18446744073709551615})"}});
  EXPECT_NE(err.find("bad.json: at $.nodes.a:"), std::string::npos) << err;
}

TEST(ScenarioLimits, AccountsAndKeysAreBounded) {
  std::string err = load_error(
      R"({"name": "t", "nodes": {"coordinator": 1, "participant": 2, "client": 1},
          "protocol": {"name": "2pc"}, "workload": {"accounts": 1000001}})");
  EXPECT_NE(err.find("bad.json: at $.workload.accounts:"), std::string::npos) << err;
  EXPECT_NE(err.find("1000000"), std::string::npos) << err;
  err = load_error(R"({"name": "t", "nodes": {"store": 3, "client": 1},
          "protocol": {"name": "ring"}, "workload": {"keys": 1000001}})");
  EXPECT_NE(err.find("bad.json: at $.workload.keys:"), std::string::npos) << err;
  EXPECT_NE(err.find("1000000"), std::string::npos) << err;
}

std::string many_faults(size_t count, const std::string& node) {
  std::string text = R"({"name": "t", "duration": "2s", "nodes": 3, "protocol": {"name": "heartbeat"},
                         "faults": {"schedule": [)";
  for (size_t i = 0; i < count; ++i) {
    text += (i ? "," : "") + std::string(R"({"at": "1s", "action": "clock_jump", "node": ")") + node +
            R"(", "by": "1ms"})";
  }
  return text + "]}}";
}

TEST(ScenarioLimits, ScriptedFaultsAreBoundedAndTheLimitItselfLoads) {
  // Loading is linear in the number of faults (measured in the report, not asserted here).
  EXPECT_EQ(load_error(many_faults(static_cast<size_t>(kMaxScriptedFaults), "n1")), "");
  std::string err = load_error(many_faults(static_cast<size_t>(kMaxScriptedFaults) + 1, "n1"));
  EXPECT_NE(err.find("bad.json: at $.faults.schedule:"), std::string::npos) << err;
  EXPECT_NE(err.find("at most 100000 scripted faults"), std::string::npos) << err;
}

TEST(ScenarioLimits, NodeReferencesOfScriptedFaultsAreBounded) {
  // 2000 faults that each name a role of 20,000 nodes: 4 x 10^7 node references.
  std::string text = R"({"name": "t", "duration": "2s", "nodes": {"node": 20000}, "protocol": {"name": "phold"},
                         "faults": {"schedule": [)";
  for (int i = 0; i < 2000; ++i) {
    text += (i ? "," : "") + std::string(R"({"at": "1s", "action": "clock_jump", "node": "node", "by": "1ms"})");
  }
  text += "]}}";
  std::string err = load_error(text);
  EXPECT_NE(err.find("bad.json: at $.faults.schedule[1000]:"), std::string::npos) << err;
  EXPECT_NE(err.find("at most 20000000"), std::string::npos) << err;
}

// --------------------------------------------------------- checks and conventions

TEST(ScenarioConventions, ExpectedCheckIsValidatedLikeChecks) {
  std::string err = load_error(kHeartbeat, {Override{"expect", R"({"exit": 1, "check": "setled_view"})"}});
  EXPECT_NE(err.find("bad.json: at $.expect.check:"), std::string::npos) << err;
  EXPECT_NE(err.find("did you mean \"settled_view\""), std::string::npos) << err;
  EXPECT_EQ(load_error(kHeartbeat, {Override{"expect", R"({"exit": 1, "check": "settled_view"})"}}), "");
  err = load_error(kHeartbeat, {Override{"expect", R"({"exit": 0, "check": "settled_view"})"}});
  EXPECT_NE(err.find("only with \"exit\": 1"), std::string::npos) << err;
}

std::string scenario_file(const std::string& name) { return (fs::path(DSIM_SOURCE_DIR) / "scenarios" / name).string(); }

std::string load_file_error(const std::string& file, const std::vector<Override>& overrides) {
  ScenarioLoader loader(protocol_families());
  try {
    loader.load_file(scenario_file(file), overrides, std::nullopt);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

// `--set checks=[...]` chooses some of a scenario's checks: the file's bounds for the checks
// left out stay, unused; what the user changed and what depends on a check left out is
// refused naming both values.
TEST(ScenarioConventions, SetChecksChoosesASubset) {
  const std::string atomicity = R"(["atomicity"])";
  // bank-random-faults gives liveness_bound, a bound of the checks liveness and
  // decided_then_executed.
  EXPECT_EQ(load_file_error("2pc/bank-random-faults.json", {Override{"checks", atomicity}}), "");
  ScenarioLoader loader(protocol_families());
  Scenario s = loader.load_file(scenario_file("2pc/bank-random-faults.json"), {Override{"checks", atomicity}},
                                std::nullopt);
  EXPECT_EQ(s.checks, std::vector<std::string>{"atomicity"});
  // Its value is still checked.
  std::string err = load_file_error("2pc/bank-random-faults.json",
                                    {Override{"checks", atomicity}, Override{"protocol.liveness_bound", "\"soon\""}});
  EXPECT_NE(err.find("at $.protocol.liveness_bound:"), std::string::npos) << err;
  // Given by --set too: both are the user's, and they disagree.
  err = load_file_error("2pc/bank-random-faults.json",
                        {Override{"checks", atomicity}, Override{"protocol.liveness_bound", "\"5s\""}});
  EXPECT_NE(err.find("at $.protocol.liveness_bound: --set protocol.liveness_bound=\"5s\" applies only with the check"), std::string::npos) << err;
  EXPECT_NE(err.find("from --set checks=[\"atomicity\"]"), std::string::npos) << err;
  // A file that names its checks and a bound of one it leaves out is still refused.
  err = load_error(R"({"name": "t", "nodes": {"coordinator": 1, "participant": 2, "client": 1},
          "protocol": {"name": "2pc", "liveness_bound": "5s"}, "workload": {"random": {}}, "checks": ["atomicity"]})");
  EXPECT_NE(err.find("at $.protocol.liveness_bound: this setting applies only with the check"), std::string::npos)
      << err;
  // The file expects liveness to fail: leaving it out is refused at checks, naming both.
  err = load_file_error("2pc/cooperative-termination-blocked.json", {Override{"checks", atomicity}});
  EXPECT_NE(err.find("at $.checks: --set checks=[\"atomicity\"] leaves out \"liveness\", the check expect.check"),
            std::string::npos)
      << err;
  EXPECT_EQ(load_file_error("2pc/cooperative-termination-blocked.json",
                            {Override{"checks", atomicity}, Override{"expect", "null"}}),
            "");
  // Every shipped 2pc scenario loads with any one of its checks chosen, unless it expects
  // another to fail.
  for (const auto& e : fs::directory_iterator(fs::path(DSIM_SOURCE_DIR) / "scenarios" / "2pc")) {
    const std::string name = "2pc/" + e.path().filename().string();
    err = load_file_error(name, {Override{"checks", atomicity}});
    EXPECT_TRUE(err.empty() || err.find("the check expect.check says fails") != std::string::npos) << name << ": "
                                                                                                  << err;
  }
}

// A rule between a time and the run's duration, or two times, names both values and where
// each came from, at the one the user changed.
TEST(ScenarioConventions, TimesAgainstTheDurationNameBothValues) {
  std::string err = load_file_error("2pc/bank-random-faults.json", {Override{"duration", "5ms"}});
  EXPECT_NE(err.find("at $.duration: expected at least "), std::string::npos) << err;
  EXPECT_NE(err.find("got 5ms from --set"), std::string::npos) << err;
  err = load_error(kHeartbeat, {Override{"faults.random", R"({"stop": "1.5s"})"}, Override{"duration", "1s"}});
  EXPECT_NE(err.find("at $.faults.random.stop: expected at most the run's duration (1s, from --set), got 1.5s from --set"),
            std::string::npos)
      << err;
  err = load_error(kHeartbeat, {Override{"faults.random", R"({"start": "1s", "stop": "500ms"})"}});
  EXPECT_NE(err.find("at $.faults.random.stop: expected at least start (1s, from --set), got 500ms from --set"), std::string::npos) << err;
  err = load_error(kHeartbeat, {Override{"faults.random", R"({"duration_min": "1s", "duration_max": "500ms"})"}});
  EXPECT_NE(err.find("at $.faults.random.duration_max: expected at least duration_min (1s, from --set), got 500ms from --set"),
            std::string::npos)
      << err;
  err = load_error(kHeartbeat, {Override{"network.latency", R"({"dist": "uniform", "min": "5ms", "max": "1ms"})"}});
  EXPECT_NE(err.find("at $.network.latency.max: expected at least min (5ms, from --set), got 1ms from --set"), std::string::npos) << err;
  err = load_error(kHeartbeat, {Override{"faults.schedule", R"([{"at": "3s", "action": "crash", "node": "n1"}])"}});
  EXPECT_NE(err.find("at $.faults.schedule[0].at: expected at most the run's duration (2s, from the file), got 3s"),
            std::string::npos)
      << err;
}

// locks' workload.starts: a name that is no client is refused listing the clients; null is
// the entry left out, for any name.
TEST(ScenarioConventions, LockStartsNameTheClients) {
  const std::string file = "locks/zombie-keepalive-fixed.json";  // clients c1 and c2
  std::string err = load_file_error(file, {Override{"workload.starts.c3", "\"1s\""}});
  EXPECT_NE(err.find("at $.workload.starts.c3: expected the name of a client node: no client named \"c3\""),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("the clients are c1, c2"), std::string::npos) << err;
  err = load_file_error(file, {Override{"workload.starts.lock", "\"1s\""}});
  EXPECT_NE(err.find("\"lock\" is not a client node; the clients are c1, c2"), std::string::npos) << err;
  EXPECT_EQ(load_file_error(file, {Override{"workload.starts.zz", "null"}}), "");
  err = load_file_error(file, {Override{"workload.starts.c1", "true"}});
  EXPECT_NE(err.find("at $.workload.starts.c1: expected a non-negative duration"), std::string::npos) << err;
}

// A file whose own checks leave out a check and that gives that check's bound is refused
// without --set; --set checks leaving that check out too does not make it accepted (the
// exception covers only bounds of checks the file runs and --set leaves out).
TEST(ScenarioConventions, SetChecksDoesNotHideAFilesOwnBoundWithoutItsCheck) {
  const std::string file = R"({"name": "t", "nodes": {"coordinator": 1, "participant": 2, "client": 1},
          "protocol": {"name": "2pc", "liveness_bound": "5s"}, "workload": {"random": {}}, "checks": ["atomicity"]})";
  std::string err = load_error(file, {Override{"checks", R"(["atomicity"])"}});
  EXPECT_NE(err.find("at $.protocol.liveness_bound: this setting applies only with the check liveness or "
                     "decided_then_executed in \"checks\"; the file's own checks are atomicity, whatever --set "
                     "checks chooses; leave it out, or set it to null"),
            std::string::npos)
      << err;
  // --set checks that runs the bound's check: the bound applies.
  EXPECT_EQ(load_error(file, {Override{"checks", R"(["atomicity", "liveness"])"}}), "");
}

// "checks" is a list, as the schema says: one name as a string is refused with a hint, and
// a refusal of a value --set gave says so.
TEST(ScenarioConventions, ChecksAreAListAndSetValuesAreNamedAsSuch) {
  Json one = Json::parse(kHeartbeat);
  one["checks"] = "settled_view";
  std::string err = load_error(one.dump());
  EXPECT_NE(err.find("at $.checks: expected a list of strings, got string \"settled_view\" (write "
                     "[\"settled_view\"] for a list of one)"),
            std::string::npos)
      << err;
  err = load_error(kHeartbeat, {Override{"checks", "settled_view"}});
  EXPECT_NE(err.find("at $.checks: expected a list of strings, got string \"settled_view\" from --set (write"),
            std::string::npos)
      << err;
  err = load_error(kHeartbeat, {Override{"checks", R"(["nosuch"])"}});
  EXPECT_NE(err.find("at $.checks[0]: protocol \"heartbeat\" offers the checks"), std::string::npos) << err;
  EXPECT_NE(err.find("; got \"nosuch\" from --set"), std::string::npos) << err;
  Json named = Json::parse(kHeartbeat);
  named["checks"] = Json::array({"nosuch"});
  err = load_error(named.dump());
  EXPECT_NE(err.find("; got \"nosuch\""), std::string::npos) << err;
  EXPECT_EQ(err.find("from --set"), std::string::npos) << err;
}

// The random nemesis's "kinds" and disk_fail's "ops" are lists, as the schema says (as
// "checks" is): one name as a string is refused with the list of one to write, in the file
// and from --set alike. A stall's "timers" and "messages" (and the nemesis's
// "stall_timers", "stall_messages") take one name as a string: the schema says so.
TEST(ScenarioConventions, NemesisKindsAndDiskOpsAreLists) {
  Json random = Json::parse(kHeartbeat);
  random["faults"] = Json::parse(R"({"random": {"kinds": "crash"}})");
  std::string err = load_error(random.dump());
  EXPECT_NE(err.find("at $.faults.random.kinds: expected a list of strings, got string \"crash\" (write "
                     "[\"crash\"] for a list of one)"),
            std::string::npos)
      << err;
  // Names joined into one string: the hint is the list of them, not a list of one.
  err = load_error(random.dump(), {Override{"faults.random.kinds", "crash, pause"}});
  EXPECT_NE(err.find("got string \"crash, pause\" from --set (write [\"crash\",\"pause\"] for a list)"),
            std::string::npos)
      << err;
  random["faults"]["random"]["kinds"] = Json::array({"crash"});
  EXPECT_EQ(load_error(random.dump()), "");
  err = load_error(random.dump(), {Override{"faults.random.kinds", "crash"}});
  EXPECT_NE(err.find("at $.faults.random.kinds: expected a list of strings, got string \"crash\" from --set (write "
                     "[\"crash\"] for a list of one)"),
            std::string::npos)
      << err;

  Json disk = Json::parse(kHeartbeat);
  disk["faults"] = Json::parse(R"({"schedule": [{"at": "1s", "action": "disk_fail", "node": "n0", "ops": "sync"}]})");
  err = load_error(disk.dump());
  EXPECT_NE(err.find("at $.faults.schedule[0].ops: expected a list of strings, got string \"sync\" (write "
                     "[\"sync\"] for a list of one)"),
            std::string::npos)
      << err;
  disk["faults"]["schedule"][0]["ops"] = Json::array({"sync"});
  EXPECT_EQ(load_error(disk.dump()), "");

  Json stall = Json::parse(kHeartbeat);
  stall["faults"] = Json::parse(R"({"schedule": [{"at": "1s", "action": "stall", "node": "n0", "timers": "hb"}],
                                    "random": {"kinds": ["stall"], "stall_timers": "hb"}})");
  EXPECT_EQ(load_error(stall.dump()), "");
}

// The run's duration must be positive: a bad text says so, not "non-negative".
TEST(ScenarioConventions, TheRunsDurationIsRefusedAsAPositiveDuration) {
  for (const char* text : {"\"soon\"", "\"0s\"", "0", "\"-1s\""}) {
    SCOPED_TRACE(text);
    const std::string err = load_error(kHeartbeat, {Override{"duration", text}});
    EXPECT_NE(err.find("at $.duration: expected a positive duration of at most 365 days"), std::string::npos) << err;
  }
}

// Where an integer is expected, a number is read exactly or refused, as a duration is: a
// text whose nearest double is whole but that is not itself a whole number is refused, in
// a file as in --set; whole numbers written with a fraction or exponent still read.
// A scenario file's load error ("" when it loads): its numbers' texts are read from the
// file (load_file), as dsim reads them.
std::string file_load_error(const std::string& text, const std::vector<Override>& overrides = {}) {
  const fs::path path = own_temp("numbers.json");
  std::ofstream(path) << text;
  try {
    ScenarioLoader(protocol_families()).load_file(path.string(), overrides, std::nullopt);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(ScenarioConventions, AnIntegerIsReadExactlyOrRefused) {
  EXPECT_TRUE(rounds_onto_whole_number(5.0, "4.9999999999999999"));
  EXPECT_TRUE(rounds_onto_whole_number(9007199254740992.0, "9007199254740993.0"));
  EXPECT_TRUE(rounds_onto_whole_number(1.0, "0.99999999999999999"));
  for (const auto& [value, text] : std::vector<std::pair<double, std::string>>{
           {5.0, "5.0"}, {5.0, "5e0"}, {5.0, "50e-1"}, {5.0, "0.5E+1"}, {-3.0, "-3.000"}, {0.0, "-0.0"},
           {100.0, "1e2"}, {9007199254740992.0, "9007199254740992.0"}, {0.5, "0.5"}}) {
    EXPECT_FALSE(rounds_onto_whole_number(value, text)) << text;
  }
  std::string err = load_error(kHeartbeat, {Override{"seed", "4.9999999999999999"}});
  EXPECT_NE(err.find("at $.seed: expected an integer from 0 to 9223372036854775807, got 4.9999999999999999 from "
                     "--set, which is not a whole number (an integer is read exactly, never rounded"),
            std::string::npos)
      << err;
  const std::string rounded_seed =
      R"({"name": "t", "seed": 4.9999999999999999, "duration": "2s", "nodes": 3, "protocol": {"name": "heartbeat"}})";
  err = file_load_error(rounded_seed);
  EXPECT_NE(err.find("at $.seed: expected an integer from 0 to 9223372036854775807, got 4.9999999999999999, which "
                     "is not a whole number"),
            std::string::npos)
      << err;
  EXPECT_EQ(file_load_error(rounded_seed, {Override{"seed", "5"}}), "") << "--set replaced the file's value";
  err = load_error(kHeartbeat, {Override{"seed", "9007199254740993.0"}});
  EXPECT_NE(err.find("which is not a whole number"), std::string::npos) << err;
  // Integer nanoseconds inside a list, and a count.
  err = file_load_error(R"({"name": "t", "duration": "2s", "nodes": 3, "protocol": {"name": "heartbeat"},
      "faults": {"schedule": [{"at": 999999999.99999999999, "action": "crash", "node": "n1"}]}})");
  EXPECT_NE(err.find("at $.faults.schedule[0].at:"), std::string::npos) << err;
  EXPECT_NE(err.find("which is not a whole number"), std::string::npos) << err;
  err = load_error(kHeartbeat, {Override{"limits", R"({"max_events": 9.99999999999999999e2})"}});
  EXPECT_NE(err.find("at $.limits.max_events:"), std::string::npos) << err;
  // Exact whole numbers read, however written; a fractional setting takes the nearest double.
  for (const char* seed : {"5", "5.0", "5e0", "50e-1", "9007199254740992.0"}) {
    EXPECT_EQ(load_error(kHeartbeat, {Override{"seed", seed}}), "") << seed;
  }
  EXPECT_EQ(load_error(kHeartbeat, {Override{"network.loss", "0.99999999999999999"}}), "");
  // A whole number beyond int64 written with a fraction: refused with the hint to write digits.
  err = load_error(kHeartbeat, {Override{"seed", "9223372036854775807.0"}});
  EXPECT_NE(err.find("from --set (a number with a fraction or exponent is read as the nearest double; write an "
                     "integer as digits alone)"),
            std::string::npos)
      << err;
}

// The same rule at its edges: a role's count; a key given twice (the last value is the
// one read, so only its text counts); an exponent beyond long (1e-99999999999999999999
// is 0 as a double, not the seed 0); and a range refusal of a --set value says so.
TEST(ScenarioConventions, AnIntegerIsReadExactlyAtTheEdgesToo) {
  const std::string two_pc = R"({"name": "t", "duration": "2s", "protocol": {"name": "2pc"}, "workload": {"random": {}},
      "nodes": {"coordinator": 1, "client": 1, "participant": 2.9999999999999999}})";
  std::string err = file_load_error(two_pc);
  EXPECT_NE(err.find("at $.nodes.participant: expected a count from 0 to 1000000, got 2.9999999999999999, which "
                     "is not a whole number"),
            std::string::npos)
      << err;
  err = load_error(kHeartbeat, {Override{"nodes", R"({"node": 2.9999999999999999})"}});
  EXPECT_NE(err.find("at $.nodes.node: expected a count from 0 to 1000000, got 2.9999999999999999 from --set, "
                     "which is not a whole number"),
            std::string::npos)
      << err;
  EXPECT_EQ(file_load_error(R"({"name": "t", "duration": "2s", "protocol": {"name": "2pc"}, "workload": {"random": {}},
      "nodes": {"coordinator": 1, "client": 1, "participant": 3.0}})"),
            "");

  EXPECT_EQ(file_load_error(R"({"name": "t", "seed": 4.9999999999999999, "seed": 7, "duration": "2s", "nodes": 3,
      "protocol": {"name": "heartbeat"}})"),
            "")
      << "the last seed, 7, is the one read";
  err = file_load_error(R"({"name": "t", "seed": 7, "seed": 4.9999999999999999, "duration": "2s", "nodes": 3,
      "protocol": {"name": "heartbeat"}})");
  EXPECT_NE(err.find("at $.seed:"), std::string::npos) << err;
  EXPECT_EQ(file_load_error(R"({"name": "t", "limits": {"max_events": 9.99999999999999999e2}, "limits": {},
      "duration": "2s", "nodes": 3, "protocol": {"name": "heartbeat"}})"),
            "")
      << "the object given again replaces what the first one held";

  EXPECT_TRUE(rounds_onto_whole_number(0.0, "1e-99999999999999999999"));
  EXPECT_TRUE(rounds_onto_whole_number(0.0, "-7.5E-99999999999999999999"));
  EXPECT_FALSE(rounds_onto_whole_number(0.0, "0e-99999999999999999999"));
  err = load_error(kHeartbeat, {Override{"seed", "1e-99999999999999999999"}});
  EXPECT_NE(err.find("at $.seed:"), std::string::npos) << err;
  EXPECT_NE(err.find("which is not a whole number"), std::string::npos) << err;

  err = load_error(kHeartbeat, {Override{"seed", "-1"}});
  EXPECT_NE(err.find("at $.seed: expected an integer from 0 to 9223372036854775807, got number -1 from --set"),
            std::string::npos)
      << err;
  err = load_error(kHeartbeat, {Override{"duration", "0"}});
  EXPECT_NE(err.find("at $.duration: expected a positive duration of at most 365 days, such as \"150ms\", \"2s\" "
                     "or integer nanoseconds, got number 0 from --set"),
            std::string::npos)
      << err;
  err = load_error(kHeartbeat, {Override{"duration", "-1"}});
  EXPECT_NE(err.find("got negative number -1 from --set"), std::string::npos) << err;
  err = file_load_error(R"({"name": "t", "seed": -1, "duration": "2s", "nodes": 3, "protocol": {"name": "heartbeat"}})");
  EXPECT_NE(err.find("got number -1"), std::string::npos) << err;
  EXPECT_EQ(err.find("from --set"), std::string::npos) << err;
}

TEST(ScenarioConventions, SchemaKeyIsAccepted) {
  EXPECT_EQ(load_error(kHeartbeat, {Override{"$schema", "scenario.schema.json"}}), "");
  std::string err = load_error(kHeartbeat, {Override{"$schema", "3"}});
  EXPECT_NE(err.find("bad.json: at $.$schema:"), std::string::npos) << err;
}

TEST(ScenarioConventions, PholdRunsTokenForwardingByDefault) {
  ScenarioLoader loader(protocol_families());
  Scenario s = loader.load_json(parse_json_text(R"({"name": "p", "nodes": 4, "protocol": {"name": "phold"}})", "p.json"),
                                "p.json", {}, std::nullopt);
  EXPECT_EQ(s.checks, std::vector<std::string>{"token_forwarding"});
  // An explicit empty list runs none (the benchmark measures the engine alone).
  s = loader.load_json(parse_json_text(R"({"name": "p", "nodes": 4, "protocol": {"name": "phold"}, "checks": []})", "p.json"),
                       "p.json", {}, std::nullopt);
  EXPECT_TRUE(s.checks.empty());
}

}  // namespace
}  // namespace dsim

namespace dsim {
namespace {

// Inputs the scenario fuzzer (tests/fuzz) crashed on, in its format: a scenario's text, then
// NUL-separated --set arguments. Each must now load, or fail with a ScenarioError.
TEST(FuzzFindings, EachLoadsOrIsRefusedCleanly) {
  size_t count = 0;
  for (const auto& e : fs::directory_iterator(data("fuzz"))) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    std::string input = buf.str();
    std::vector<std::string> parts;
    size_t begin = 0;
    for (size_t nul; (nul = input.find('\0', begin)) != std::string::npos; begin = nul + 1) {
      parts.push_back(input.substr(begin, nul - begin));
    }
    parts.push_back(input.substr(begin));
    ScenarioLoader loader(protocol_families());
    try {
      std::vector<Override> overrides;
      for (size_t i = 1; i < parts.size(); ++i) overrides.push_back(parse_override(parts[i]));
      Scenario s = loader.load_json(parse_json_text(parts[0], "fuzz.json"), "fuzz.json", overrides,
                                    std::nullopt);
      (void)effective_faults(s);
    } catch (const ScenarioError&) {
    } catch (const std::exception& x) {
      ADD_FAILURE() << e.path() << ": " << x.what();
    }
    ++count;
  }
  EXPECT_GE(count, 1u);
}

}  // namespace
}  // namespace dsim
