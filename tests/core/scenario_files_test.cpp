// Every shipped scenario: loads, runs twice to byte-identical traces, differs under
// another seed, and ends the way its "expect" block says.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "protocols/registry.h"
#include "runner/run_scenario.h"

namespace dsim {
namespace {
namespace fs = std::filesystem;

std::vector<std::string> scenario_files() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(DSIM_SOURCE_DIR) / "scenarios")) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file() && e.path().extension() == ".json" &&
        name.find(".schema.") == std::string::npos) {
      out.push_back(fs::relative(e.path(), DSIM_SOURCE_DIR).string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ScenarioFile : public ::testing::TestWithParam<std::string> {
 protected:
  Scenario load(std::optional<uint64_t> seed = std::nullopt) {
    ScenarioLoader loader(protocol_families());
    return loader.load_file((fs::path(DSIM_SOURCE_DIR) / GetParam()).string(), {}, seed);
  }
  std::string run_to_trace(const Scenario& s, const std::string& tag, RunReport* report = nullptr) {
    fs::path dir = fs::temp_directory_path() / "dsim_scenario_tests";
    fs::create_directories(dir);
    std::string stem = GetParam();
    std::replace(stem.begin(), stem.end(), '/', '_');
    // ctest runs tests in parallel processes: name files after the test too.
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(test.begin(), test.end(), '/', '_');
    fs::path trace = dir / (stem + "." + test + "." + tag + ".jsonl");
    RunOptions o;
    o.trace_path = trace.string();
    RunReport r = run_scenario(s, o);
    EXPECT_TRUE(r.io_error.empty()) << r.io_error;
    if (report != nullptr) *report = std::move(r);
    std::string text = read_all(trace);
    fs::remove(trace);
    return text;
  }
};

TEST_P(ScenarioFile, SameSeedGivesByteIdenticalTrace) {
  Scenario s = load();
  RunReport first;
  std::string a = run_to_trace(s, "a", &first);
  std::string b = run_to_trace(load(), "b");
  ASSERT_FALSE(a.empty());
  EXPECT_TRUE(a == b) << GetParam() << ": traces differ (" << a.size() << " vs " << b.size()
                      << " bytes)";
  EXPECT_GT(first.result.events, 0u);
}

TEST_P(ScenarioFile, DifferentSeedGivesDifferentTrace) {
  Scenario s = load();
  std::string a = run_to_trace(s, "a");
  std::string b = run_to_trace(load(s.seed + 1000), "c");
  // Compare past the header, which names the seed.
  EXPECT_NE(a.substr(a.find('\n')), b.substr(b.find('\n'))) << GetParam();
}

TEST_P(ScenarioFile, EndsAsItsExpectationSays) {
  Scenario s = load();
  RunReport report = run_scenario(s, RunOptions{});
  int expected = s.expect ? s.expect->exit_code : 0;
  ASSERT_EQ(report.exit_code, expected)
      << GetParam() << ": " << report.summary["violations"].dump(2);
  if (expected == 1) {
    ASSERT_FALSE(report.result.violations.empty());
    EXPECT_EQ(report.result.violations.front().check, s.expect->check);
    EXPECT_FALSE(report.result.violations.front().message.empty());
  }
  EXPECT_EQ(report.summary["verdict"], expected == 0 ? "pass" : "fail");
  EXPECT_GT(report.summary["events_processed"].get<uint64_t>(), 0u);
  EXPECT_TRUE(report.summary.contains("sim_time_ns"));
}

INSTANTIATE_TEST_SUITE_P(Shipped, ScenarioFile, ::testing::ValuesIn(scenario_files()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace dsim
