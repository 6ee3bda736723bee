// The version of dsim that wrote a sweep record, so results from different builds can be
// told apart when merged: "0.1.0+g<commit>", the commit the source tree was at when this
// binary was built (sim/explore/program_version.cmake, run at every build).
#pragma once

#include <string>

namespace dsim::explore {
const char* program_version();

// The program that replay commands name ("dsim run FILE --seed N"): "dsim", unless a
// program built on cli::main_with with families of its own set its name (set once, at
// start, before any run), so that its replay lines run the program that knows them.
const std::string& program_name();
void set_program_name(std::string name);
}  // namespace dsim::explore
