// Shared by the subcommands: exit codes, option parsing helpers, Ctrl-C handling.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/number_option.h"
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

// Signals, in two phases. From start-up (main calls install_setup_signal_handlers()),
// SIGINT and SIGTERM end the process at once: set-up has nothing to save, and a scenario's
// set-up may take a while (a large cluster, a long fault plan). Outputs are unnamed
// temporary files until complete (output/output_file.h), so nothing is left behind.
// Once a command starts its runs it calls install_interrupt_handler(): from then on the
// signal only sets the returned flag, the runs stop cleanly and every output is complete.
// Either way the exit code is 130 after SIGINT and 143 after SIGTERM.
void install_setup_signal_handlers();
const std::atomic<bool>* install_interrupt_handler();
// The two halves of install_interrupt_handler(), for a command that hands the switch to
// the run itself (RunOptions::on_loop_start): the flag, and the switch.
const std::atomic<bool>* interrupt_flag();
void enter_run_phase();
// 130 after SIGINT, 143 after SIGTERM (128 + the signal), 130 when no signal came.
int interrupted_exit_code();

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
