// The whole `dsim` command line as a function, for programs that add protocol families
// of their own (the SDK; README.md, "Write your own protocol"):
//
//   #include "cli/main_with.h"
//   int main(int argc, char** argv) {
//     return dsim::cli::main_with(argc, argv, {my_family()});
//   }
//
// gives run, run-set, sweep, shrink, check-determinism, merge, perfetto, describe (and the
// rest) with `my_family` beside the built-in families: a scenario names it in
// "protocol": {"name": ...} like any other.
#pragma once

#include <vector>

#include "scenario/protocol_family.h"

namespace dsim::cli {

// Adds `extra_families` to the registry (protocols/registry.h: add_protocol_families),
// then runs the command in argv as `dsim` does and returns its exit code (0 ok, 1 a check
// failed, 2 bad input or usage, 3 an output could not be written, 70 internal error,
// 130 interrupted). A family whose name is taken, or that lacks a name, a configure
// function or a settings table, is a program error: a message on stderr and exit code 70.
int main_with(int argc, char** argv, std::vector<ProtocolFamily> extra_families);

}  // namespace dsim::cli
