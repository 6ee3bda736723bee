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
#include "output/output_file.h"
#include "scenario/scenario.h"
#include "trace/trace_writer.h"

namespace dsim {

struct RunOptions {
  std::string trace_path;    // empty: no trace file; "-": standard output
  std::string summary_path;  // empty: no summary file (the summary is still returned); "-": stdout
  // False: nobody reads this run's summary (a sweep's seed, shrink's judge, the bench that
  // times them), so none is built: RunReport::summary and result.metrics stay null, and the
  // checks that only measure (CheckInfo::measures_only) are not made. Violations, events
  // and the trace are the same either way. Must be true when summary_path is set.
  bool summary = true;
  // Also handed every trace line, with or without a trace file (a live Perfetto export).
  TraceWriter::LineConsumer trace_consumer;
  const std::atomic<bool>* interrupt = nullptr;
  std::string replay_command;  // how to reproduce this run, for the report
  Simulation::ProgressObserver progress;  // optional: a progress display (never the run)
  std::function<void()> on_loop_start;     // optional: when the event loop starts
  // Leave the trace and summary uncommitted in the report, for the caller to commit
  // together with outputs of its own (commit_together); by default they are committed
  // together here.
  bool defer_commit = false;
  // Extra observers (checkers that only measure, such as a sweep's coverage counter),
  // each made once per run and added after the scenario's checks.
  std::vector<std::function<std::unique_ptr<Checker>()>> observers;
};

// An existing file at a summary path is replaced only if it is a dsim summary.
extern const OutputKind kSummaryOutput;

struct RunReport {
  int exit_code = 0;   // 0 every check held, 1 a check failed, 3 an output failed, 130 interrupted
  Json summary;        // what was (or would be) written to the summary file; null without
                       // RunOptions::summary
  RunResult result;
  std::string io_error;  // non-empty when an output could not be written (exit code 3)
  // The fault schedule the run used (effective_faults: scripted, then the nemesis's draw,
  // in time order) and the kinds the nemesis enabled for this seed.
  std::vector<FaultAction> faults;
  std::vector<std::string> random_kinds_enabled;
  // With RunOptions::defer_commit: the finished but uncommitted outputs (null when none).
  std::unique_ptr<TraceWriter> trace;
  std::unique_ptr<OutputFile> summary_file;
};

// Throws ScenarioError (bad input, exit code 2; no output file is written) when the run's
// simulated time stood still: limits.max_events_per_instant events in one instant, as a
// run whose delays are all zero does. The error names the delays that are zero. A trace
// streamed to standard output ("-") has shown its lines already: it then ends with a
// summary line whose verdict is "refused", with the error's text in "error". Any other
// exception from the run (an internal error) is passed on, after such a line whose verdict
// is "error".
RunReport run_scenario(const Scenario& scenario, const RunOptions& options);

// The fault schedule a run will use: the scripted faults plus the nemesis's draw for
// this seed, in time order. Also what `shrink` starts from.
std::vector<FaultAction> effective_faults(const Scenario& scenario,
                                          std::vector<std::string>* enabled_kinds = nullptr);


}  // namespace dsim
