// Runs one loaded scenario end to end: builds the simulation, schedules its faults,
// streams the trace, and writes the summary. Shared by `dsim run`, the tests and the
// sweep, so they all run exactly the same thing.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/simulation.h"
#include "scenario/scenario.h"

namespace dsim {

struct RunOptions {
  std::string trace_path;    // empty: no trace
  std::string summary_path;  // empty: no summary file (the summary is still returned)
  const std::atomic<bool>* interrupt = nullptr;
  std::string replay_command;  // how to reproduce this run, for the report
  // Extra observers (checkers that only measure, such as a sweep's coverage counter),
  // each made once per run and added after the scenario's checks.
  std::vector<std::function<std::unique_ptr<Checker>()>> observers;
};

struct RunReport {
  int exit_code = 0;   // 0 every check held, 1 a check failed, 130 interrupted
  Json summary;        // what was (or would be) written to the summary file
  RunResult result;
  std::string io_error;  // non-empty when an output could not be written (exit code 3)
};

RunReport run_scenario(const Scenario& scenario, const RunOptions& options);

// The fault schedule a run will use: the scripted faults plus the nemesis's draw for
// this seed, in time order. Also what `shrink` starts from.
std::vector<FaultAction> effective_faults(const Scenario& scenario,
                                          std::vector<std::string>* enabled_kinds = nullptr);

// Writes `text` to `path` atomically (a temporary file renamed into place).
bool write_file_atomically(const std::string& path, const std::string& text, std::string& error);

}  // namespace dsim
