// The registry with a user's families added (protocols/registry.h, cli/main_with.h): the
// extra families come after the built-in ones and every reader of the list sees them; a
// taken name or an incomplete family is refused. Its own executable: adding families
// changes the process-wide list, which other test programs compare with the built-ins.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "cli/main_with.h"
#include "protocols/registry.h"
#include "scenario/scenario.h"

namespace dsim {
namespace {

class IdleProcess final : public Process {
 public:
  void on_start(Context&) override {}
  void on_message(Context&, NodeId, const Message&) override {}
  void on_timer(Context&, const Timer&) override {}
};

class IdleRun final : public ProtocolRun {
 public:
  std::unique_ptr<Process> make_process(NodeId) override { return std::make_unique<IdleProcess>(); }
  std::unique_ptr<Checker> make_checker(const std::string&) override { return nullptr; }
  FamilyLoad estimate_load(const LoadInputs&) const override { return {}; }
};

// Ends in an internal error (exit 70): a timer a millisecond in, whose handler throws.
class BrokenProcess final : public Process {
 public:
  void on_start(Context& ctx) override { ctx.start_timer(Duration::millis(1), TimerKind{0, "tick"}, 0); }
  void on_message(Context&, NodeId, const Message&) override {}
  void on_timer(Context&, const Timer&) override { throw std::logic_error("broken on purpose"); }
};

class BrokenRun final : public ProtocolRun {
 public:
  std::unique_ptr<Process> make_process(NodeId) override { return std::make_unique<BrokenProcess>(); }
  std::unique_ptr<Checker> make_checker(const std::string&) override { return nullptr; }
  FamilyLoad estimate_load(const LoadInputs&) const override { return {}; }
};

ProtocolFamily idle_family(std::string name) {
  static const SettingTable kNoSettings({});
  ProtocolFamily f;
  f.name = std::move(name);
  f.summary = "does nothing";
  f.variants = {"standard"};
  f.settings = &kNoSettings;
  f.configure = [](ProtocolSettings&) -> std::unique_ptr<ProtocolRun> { return std::make_unique<IdleRun>(); };
  return f;
}

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const ProtocolFamily& f : protocol_families()) out.push_back(f.name);
  return out;
}

TEST(Registry, AddedFamiliesFollowTheBuiltInOnesAndLoad) {
  const std::vector<std::string> built_in = names();
  ASSERT_FALSE(built_in.empty());
  add_protocol_families({idle_family("idle_a"), idle_family("idle_b")});
  std::vector<std::string> expected = built_in;
  expected.push_back("idle_a");
  expected.push_back("idle_b");
  EXPECT_EQ(names(), expected);

  Json doc = {{"name", "idle"}, {"duration", "1s"}, {"nodes", 3}, {"protocol", {{"name", "idle_b"}}}};
  Scenario s = ScenarioLoader(protocol_families()).load_json(doc, "<test>", {}, std::nullopt);
  ASSERT_NE(s.family, nullptr);
  EXPECT_EQ(s.family->name, "idle_b");
}

TEST(Registry, RefusesATakenNameOrAnIncompleteFamily) {
  const std::vector<std::string> before = names();
  EXPECT_THROW(add_protocol_families({idle_family(before.front())}), std::invalid_argument);
  add_protocol_families({idle_family("idle_c")});
  EXPECT_THROW(add_protocol_families({idle_family("idle_c")}), std::invalid_argument);
  EXPECT_THROW(add_protocol_families({idle_family("")}), std::invalid_argument);
  ProtocolFamily no_configure = idle_family("idle_d");
  no_configure.configure = nullptr;
  EXPECT_THROW(add_protocol_families({no_configure}), std::invalid_argument);
  ProtocolFamily no_settings = idle_family("idle_e");
  no_settings.settings = nullptr;
  EXPECT_THROW(add_protocol_families({no_settings}), std::invalid_argument);
  std::vector<std::string> expected = before;
  expected.push_back("idle_c");
  EXPECT_EQ(names(), expected);
}

TEST(MainWith, RunsTheCommandWithTheFamilyAddedAndRefusesATakenName) {
  std::string prog = "dsim", cmd = "describe", family = "idle_f";
  char* argv[] = {prog.data(), cmd.data(), family.data(), nullptr};
  EXPECT_EQ(cli::main_with(3, argv, {idle_family("idle_f")}), 0);
  EXPECT_EQ(cli::main_with(3, argv, {idle_family("idle_f")}), 70);  // now taken
}

// A run that ends in an internal error (exit 70) with its trace streamed to standard
// output ends the stream with a closing line, as a refused run does: verdict "error", the
// error's text; and `dsim perfetto` converts it.
TEST(MainWith, AStreamedTraceOfARunEndingInAnInternalErrorHasAClosingLine) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "dsim_sdk_internal_error";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string scenario = (dir / "broken.json").string();
  std::ofstream(scenario) << R"({"name": "broken", "duration": "1s", "nodes": 2, "protocol": {"name": "broken"}})";
  ProtocolFamily broken = idle_family("broken");
  broken.configure = [](ProtocolSettings&) -> std::unique_ptr<ProtocolRun> { return std::make_unique<BrokenRun>(); };
  std::vector<std::string> args = {"dsim", "run", scenario, "-q", "--trace", "-"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  const int exit = cli::main_with(static_cast<int>(args.size()), argv.data(), {broken});
  const std::string text = testing::internal::GetCapturedStdout();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(exit, 70) << err;
  EXPECT_NE(err.find("dsim: internal error: broken on purpose"), std::string::npos) << err;
  ASSERT_FALSE(text.empty());
  ASSERT_EQ(text.back(), '\n');
  EXPECT_EQ(text.rfind("{\"ev\":\"header\"", 0), 0u) << text;
  const size_t last_start = text.rfind('\n', text.size() - 2) + 1;
  Json last = Json::parse(text.substr(last_start));
  EXPECT_EQ(last["ev"], "summary");
  EXPECT_EQ(last["verdict"], "error");
  EXPECT_EQ(last["stopped_by"], "error");
  EXPECT_EQ(last["t_ns"], 1'000'000);
  EXPECT_EQ(last["error"], "internal error: broken on purpose");
  std::ofstream(dir / "t.jsonl") << text;
  std::vector<std::string> convert = {"dsim", "perfetto", (dir / "t.jsonl").string(),
                                      (dir / "p.json").string(), "-q"};
  std::vector<char*> convert_argv;
  for (std::string& a : convert) convert_argv.push_back(a.data());
  convert_argv.push_back(nullptr);
  EXPECT_EQ(cli::main_with(static_cast<int>(convert.size()), convert_argv.data(), {}), 0);
  std::ifstream in(dir / "p.json");
  const std::string perfetto((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(perfetto.find("run ended: error (error)"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dsim
