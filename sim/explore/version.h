// The version of dsim that wrote a sweep record, so results from different builds can be
// told apart when merged. Set by CMake when it configures (sim/explore/CMakeLists.txt).
#pragma once

namespace dsim::explore {
const char* program_version();
}  // namespace dsim::explore
