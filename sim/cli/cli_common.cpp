#include "cli/cli_common.h"

#include <unistd.h>

#include <csignal>
#include <iostream>

#include "explore/version.h"
#include "output/output_file.h"
#include "protocols/registry.h"

namespace dsim::cli {
namespace {
std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{0};

extern "C" void on_signal_during_setup(int sig) {
  remove_named_temporaries_for_exit();
  ::_exit(128 + sig);
}

extern "C" void on_signal_during_runs(int sig) {
  g_signal.store(sig);
  g_interrupted.store(true);
}

void handle(int sig, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  action.sa_flags = SA_RESTART;  // a write interrupted by the signal goes on, not fails
  sigemptyset(&action.sa_mask);
  ::sigaction(sig, &action, nullptr);
}
}  // namespace

void install_setup_signal_handlers() {
  handle(SIGINT, on_signal_during_setup);
  handle(SIGTERM, on_signal_during_setup);
  // A parent may have started us with them blocked; dsim must always be stoppable.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  ::sigprocmask(SIG_UNBLOCK, &stop_signals, nullptr);
}

const std::atomic<bool>* interrupt_flag() { return &g_interrupted; }

void enter_run_phase() {
  handle(SIGINT, on_signal_during_runs);
  handle(SIGTERM, on_signal_during_runs);
}

const std::atomic<bool>* install_interrupt_handler() {
  enter_run_phase();
  return interrupt_flag();
}

int interrupted_exit_code() {
  int sig = g_signal.load();
  return sig == 0 ? kInterrupted : 128 + sig;
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
  return unsigned_option(vm, "seed", 0, kMaxSeed);
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& sets,
                       std::optional<uint64_t> seed) {
  std::vector<Override> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_override(s));
  ScenarioLoader loader(protocol_families());
  if (path.empty()) {
    return loader.load_built_in(parse_json_text(default_scenario_text(), "<built-in default>"),
                                "<built-in default>", overrides, seed);
  }
  return loader.load_file(path, overrides, seed);
}

std::string replay_command(const std::string& path, uint64_t seed,
                           const std::vector<std::string>& sets) {
  std::string cmd = explore::program_name() + " run";
  if (!path.empty()) cmd += " " + path;
  cmd += " --seed " + std::to_string(seed);
  for (const std::string& s : sets) cmd += " --set '" + s + "'";
  return cmd;
}

}  // namespace dsim::cli
