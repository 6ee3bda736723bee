// Runs one benchmark child (a contender run) and reads its one-line JSON report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace dsim::bench {

// Runs argv[0] with the arguments argv[1..]; its stderr passes through. Returns the JSON
// object on the last line of its stdout, or nullopt (and `error`) if it failed.
std::optional<Json> run_child(const std::vector<std::string>& argv, std::string& error);

// The directory holding this executable (where dsim_bench_simgrid is built, if it is).
std::string own_directory();

}  // namespace dsim::bench

namespace dsim::bench {

// A program run to completion for its wall time (its output discarded, stderr kept):
// exit code (or -signal), wall seconds, and the CPU seconds of it and its threads.
struct TimedRun {
  int exit_code = -1;
  double wall_s = 0, cpu_s = 0;
  std::string error;  // non-empty when it could not be started
};
TimedRun run_timed(const std::vector<std::string>& argv);

}  // namespace dsim::bench
