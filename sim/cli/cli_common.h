// Shared by the subcommands: exit codes, option parsing helpers, Ctrl-C handling.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "scenario/scenario.h"

namespace dsim::cli {

namespace po = boost::program_options;

enum ExitCode : int {
  kOk = 0,
  kCheckFailed = 1,
  kBadInput = 2,
  kIoError = 3,
  kInternalError = 70,
  kInterrupted = 130,
};

// Set by SIGINT/SIGTERM once install_interrupt_handler() ran; runs stop cleanly on it.
const std::atomic<bool>* install_interrupt_handler();

// Parses argv for one subcommand. On --help prints usage and returns kOk in `exit`; on a
// usage error prints it and returns kBadInput. Returns true when the command should run.
bool parse_options(int argc, char** argv, const std::string& usage,
                   const po::options_description& options,
                   const po::positional_options_description& positional, po::variables_map& vm,
                   int& exit);

// The repeated --set overrides (empty when none), and --seed when given.
std::vector<std::string> set_options(const po::variables_map& vm);
std::optional<uint64_t> seed_option(const po::variables_map& vm);

// Loads a scenario file, or the built-in default when `path` is empty.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& sets,
                       std::optional<uint64_t> seed);

// "dsim run FILE --seed N --set a=b": how to replay a run exactly.
std::string replay_command(const std::string& path, uint64_t seed,
                           const std::vector<std::string>& sets);

// The built-in default scenario's JSON text (scenarios/default.json, compiled in).
const char* default_scenario_text();

}  // namespace dsim::cli
