// dsim: the command-line front end. Dispatches to one subcommand; turns any escaped
// exception into an internal-error exit code rather than a crash.
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "cli/cli_common.h"
#include "cli/commands.h"

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
};

void print_usage(std::ostream& out) {
  out << "usage: dsim COMMAND [options]   (dsim COMMAND --help for each)\n\ncommands:\n";
  for (const Subcommand& c : kSubcommands) {
    out << "  " << c.name << std::string(18 - std::strlen(c.name), ' ') << c.summary << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return dsim::cli::kBadInput;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return dsim::cli::kOk;
  }
  for (const Subcommand& c : kSubcommands) {
    if (name != c.name) continue;
    try {
      return c.run(argc - 1, argv + 1);
    } catch (const std::exception& e) {
      std::cerr << "dsim: internal error: " << e.what() << "\n";
      return dsim::cli::kInternalError;
    }
  }
  std::cerr << "dsim: unknown command \"" << name << "\"\n";
  print_usage(std::cerr);
  return dsim::cli::kBadInput;
}
