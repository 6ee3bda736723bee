// dsim: the command-line front end. Dispatches to one subcommand; turns any escaped
// exception into an internal-error exit code rather than a crash.
#include "cli/main_with.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "scenario/scenario_error.h"
#include "explore/version.h"
#include "protocols/registry.h"

namespace {

struct Subcommand {
  const char* name;
  const char* summary;
  int (*run)(int, char**);
};

const Subcommand kSubcommands[] = {
    {"run", "run one scenario (the built-in default when none is given)", dsim::cli::run_command},
    {"run-set", "run every scenario in folders/files and compare with expectations",
     dsim::cli::run_set_command},
    {"perfetto", "convert a trace for ui.perfetto.dev / chrome://tracing",
     dsim::cli::perfetto_command},
    {"ring-stats", "key movement and balance of the hash-ring placement algorithms",
     dsim::cli::ring_stats_command},
    {"ring", "ring lookup: where given keys go (owner and replicas), one JSON line each",
     dsim::cli::ring_command},
    {"sweep", "run a scenario over a range of seeds (threads, shards, resume, coverage)",
     dsim::cli::sweep_command},
    {"check-determinism", "run a seed twice and name the first event where the traces differ",
     dsim::cli::check_determinism_command},
    {"shrink", "reduce a failing seed to a small scenario file that fails the same check",
     dsim::cli::shrink_command},
    {"merge", "merge sweep results files (shards, resumed runs) into one report",
     dsim::cli::merge_command},
    {"describe", "list protocol families: variants, checks, settings with defaults and units",
     dsim::cli::describe_command},
    {"version", "print the version (also: dsim --version)", nullptr},
};

// What a command printed may still sit in stdout's buffer: a write that fails only now
// (`dsim ... > /dev/full`, a closed pipe) is an output that could not be written.
int finish_standard_output(int exit) {
  std::cout.flush();
  if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0 || !std::cout) {
    std::cerr << "dsim: cannot write to standard output: " << std::strerror(errno) << "\n";
    return exit == dsim::cli::kOk || exit == dsim::cli::kCheckFailed ? dsim::cli::kIoError : exit;
  }
  return exit;
}

void print_usage(std::ostream& out) {
  out << "Usage: dsim COMMAND [options]\n"
         "   or: dsim --version\n\n"
         "A deterministic simulator of distributed systems: runs virtual nodes over a simulated\n"
         "network, injects faults, and checks invariants; the same seed gives the same trace.\n"
         "\ncommands (dsim COMMAND --help for each):\n";
  for (const Subcommand& c : kSubcommands) {
    out << "  " << c.name << std::string(20 - std::strlen(c.name), ' ') << c.summary << "\n";
  }
  out << "\noptions:\n"
         "  -h, --help          show this help\n"
         "  --version           print the version\n"
         "\nEvery command that prints progress or results takes -q/--quiet: it then prints\n"
         "only errors, and notes that ask something of you (run-set's note of outputs it\n"
         "kept). Exit codes: 0 ok, 1 a check failed, 2 bad input or usage, 3 an output\n"
         "could not be written, 70 internal error, 130 interrupted.\n";
}

void print_version(std::ostream& out) { out << "dsim " << dsim::explore::program_version() << "\n"; }

}  // namespace

int dsim::cli::main_with(int argc, char** argv, std::vector<ProtocolFamily> extra_families) {
  if (!extra_families.empty()) {
    try {
      add_protocol_families(std::move(extra_families));
      // Replay lines name this program, which knows the families dsim does not.
      if (argc > 0 && argv[0] != nullptr) {
        std::string self = argv[0];
        explore::set_program_name(self.substr(self.find_last_of('/') + 1));
      }
    } catch (const std::invalid_argument& e) {
      std::cerr << "dsim: " << e.what() << "\n";
      return kInternalError;
    }
  }
  dsim::cli::install_setup_signal_handlers();
  if (argc < 2) {
    print_usage(std::cerr);
    return dsim::cli::kBadInput;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return finish_standard_output(dsim::cli::kOk);
  }
  if (name == "--version" || name == "version") {
    print_version(std::cout);
    return dsim::cli::kOk;
  }
  for (const Subcommand& c : kSubcommands) {
    if (name != c.name || c.run == nullptr) continue;
    int exit = dsim::cli::kInternalError;
    try {
      exit = c.run(argc - 1, argv + 1);
    } catch (const dsim::cli::UsageError& e) {
      std::cerr << "dsim: " << e.what() << "\n(see dsim " << c.name << " --help)\n";
      exit = dsim::cli::kBadInput;
    } catch (const dsim::ScenarioError& e) {
      // Found during a run (simulated time that stood still): bad input all the same.
      std::cerr << "dsim: " << e.what() << "\n";
      exit = dsim::cli::kBadInput;
    } catch (const std::exception& e) {
      std::cerr << "dsim: internal error: " << e.what() << "\n";
      exit = dsim::cli::kInternalError;
    }
    if (exit == dsim::cli::kInterrupted) exit = dsim::cli::interrupted_exit_code();
    return finish_standard_output(exit);
  }
  std::cerr << "dsim: unknown command \"" << name << "\"\n";
  print_usage(std::cerr);
  return dsim::cli::kBadInput;
}
