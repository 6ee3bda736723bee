#include "cli/cli_common.h"

#include <csignal>
#include <iostream>

#include "protocols/registry.h"

namespace dsim::cli {
namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void on_signal(int) { g_interrupted.store(true); }
}  // namespace

const std::atomic<bool>* install_interrupt_handler() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  return &g_interrupted;
}

bool parse_options(int argc, char** argv, const std::string& usage,
                   const po::options_description& options,
                   const po::positional_options_description& positional, po::variables_map& vm,
                   int& exit) {
  try {
    po::store(po::command_line_parser(argc, argv).options(options).positional(positional).run(), vm);
    if (vm.count("help") != 0) {
      std::cout << usage << "\n\n" << options << "\n";
      exit = kOk;
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "dsim: " << e.what() << "\n" << usage << "\n(see --help)\n";
    exit = kBadInput;
    return false;
  }
  return true;
}

std::vector<std::string> set_options(const po::variables_map& vm) {
  if (vm.count("set") == 0) return {};
  return vm["set"].as<std::vector<std::string>>();
}

std::optional<uint64_t> seed_option(const po::variables_map& vm) {
  if (vm.count("seed") == 0) return std::nullopt;
  return vm["seed"].as<uint64_t>();
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& sets,
                       std::optional<uint64_t> seed) {
  std::vector<Override> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_override(s));
  ScenarioLoader loader(protocol_families());
  if (path.empty()) {
    return loader.load_json(parse_json_text(default_scenario_text(), "<built-in default>"),
                            "<built-in default>", overrides, seed);
  }
  return loader.load_file(path, overrides, seed);
}

std::string replay_command(const std::string& path, uint64_t seed,
                           const std::vector<std::string>& sets) {
  std::string cmd = "dsim run";
  if (!path.empty()) cmd += " " + path;
  cmd += " --seed " + std::to_string(seed);
  for (const std::string& s : sets) cmd += " --set '" + s + "'";
  return cmd;
}

}  // namespace dsim::cli
