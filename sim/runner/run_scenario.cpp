#include "runner/run_scenario.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "core/json_object.h"
#include "faults/fault_runner.h"
#include "faults/nemesis.h"
#include "trace/json_line.h"

namespace dsim {

namespace {
bool is_summary_head(std::string_view head) {
  return head.rfind("{\n  \"format\": \"dsim-summary\"", 0) == 0;
}
}  // namespace

const OutputKind kSummaryOutput{"summary", is_summary_head, /*stdout_allowed=*/true};

std::vector<FaultAction> effective_faults(const Scenario& scenario,
                                          std::vector<std::string>* enabled_kinds) {
  std::vector<FaultAction> all = scenario.scripted_faults;
  if (scenario.nemesis) {
    NemesisPlan plan = plan_nemesis(*scenario.nemesis, scenario.cluster.size(), scenario.seed);
    if (enabled_kinds != nullptr) *enabled_kinds = std::move(plan.enabled_kinds);
    if (all.empty()) {
      all = std::move(plan.actions);
    } else {
      all.insert(all.end(), std::make_move_iterator(plan.actions.begin()),
                 std::make_move_iterator(plan.actions.end()));
    }
  }
  // Usually in order already (the nemesis draws in time order): a stable sort would still
  // move every action through a buffer, once per seed.
  auto by_time = [](const FaultAction& a, const FaultAction& b) { return a.at < b.at; };
  if (!std::is_sorted(all.begin(), all.end(), by_time)) std::stable_sort(all.begin(), all.end(), by_time);
  return all;
}

namespace {

// Whether this model can draw a zero delay (constant 0, a uniform from 0, a zero cap, no
// floor): then messages can bounce back and forth at one simulated instant.
bool can_be_zero(const LatencyModel& m) {
  if (m.floor.ns > 0) return false;
  if (m.cap.ns <= 0) return true;
  return (m.kind == LatencyModel::Kind::kConstant || m.kind == LatencyModel::Kind::kUniform) && m.value.ns <= 0;
}

// A trace's closing line ("ev": "summary"), in one shape for every end: a whole run's
// (verdict pass, fail or interrupted), or one ended by bad input ("refused") or an internal
// error ("error"), which also carries the "error" text. Hands the buffered lines on (to
// standard output, for "-"), so that a reader of a stream always sees the end.
void write_closing_line(TraceWriter& trace, int64_t t_ns, const char* verdict, Json violations,
                        std::string_view stopped_by, uint64_t events, const std::string* error) {
  Json end = Json::object();
  end["ev"] = "summary";
  end["t_ns"] = t_ns;
  end["verdict"] = verdict;
  end["violations"] = std::move(violations);
  end["stopped_by"] = stopped_by;
  end["events_processed"] = events;
  end["truncated"] = trace.truncated();
  if (error != nullptr) end["error"] = *error;
  trace.write_always(end.dump() + "\n");
  trace.file();
}

// A run whose simulated time stood still is refused as bad input, naming the delays that
// are zero: no modelled system does a million things in one instant. A trace file is then
// discarded, but a trace streamed to standard output has already shown its event lines:
// its closing line (as in every trace, "ev": "summary") says the run was refused and why,
// so that a reader of the stream never takes it for a whole run.
[[noreturn]] void fail_time_stood_still(const Scenario& scenario, const RunResult& r,
                                        TraceWriter* trace) {
  std::vector<std::string> zero;
  if (can_be_zero(scenario.sim.link_defaults.latency)) zero.push_back("network.latency");
  for (size_t i = 0; i < scenario.sim.link_rules.size(); ++i) {
    if (can_be_zero(scenario.sim.link_rules[i].config.latency)) {
      zero.push_back("network.links[" + std::to_string(i) + "].latency");
    }
  }
  for (const std::string& d : scenario.protocol->zero_delays()) zero.push_back(d);
  std::string list;
  for (const std::string& d : zero) list += (list.empty() ? "" : ", ") + d;
  ScenarioError error(
      scenario.file, "$",
      "simulated time stood still at " + format_duration(Duration{r.sim_time.ns}) + " (seed " +
          std::to_string(scenario.seed) + "): " +
          std::to_string(scenario.sim.limits.max_events_per_instant) +
          " events in one simulated instant beyond those pending when it began "
          "(limits.max_events_per_instant), so the run would never end; " +
          (list.empty() ? std::string("no delay of the scenario is zero")
                        : "the delays that are zero: " + list + "; give one of them a positive value") +
          " (or raise limits.max_events_per_instant)");
  if (trace != nullptr) {
    const std::string text = error.what();
    write_closing_line(*trace, r.sim_time.ns, "refused", Json::array(), to_string(r.stopped_by),
                       r.events, &text);
  }
  throw error;
}

// A run that ends in an exception thrown while it runs (an internal error, exit 70; bad
// input, exit 2) writes no output file either, but a trace streamed to standard output
// has shown its event lines: like a refused run's, it ends with a closing line, whose
// verdict is "error" ("refused" for bad input) and whose "error" is the exception's text.
void close_trace_after(const std::exception& e, const Simulation& sim, TraceWriter* trace) {
  if (trace == nullptr) return;
  const bool bad_input = dynamic_cast<const ScenarioError*>(&e) != nullptr;
  const std::string text = bad_input ? std::string(e.what()) : "internal error: " + std::string(e.what());
  write_closing_line(*trace, sim.now().ns, bad_input ? "refused" : "error", Json::array(), "error",
                     sim.events_processed(), &text);
}

Json header_line(const Scenario& s) {
  Json h = Json::object();
  h["ev"] = "header";
  h["format"] = "dsim-trace";
  h["version"] = 1;
  h["scenario"] = s.name;
  h["file"] = s.file;
  h["scenario_hash"] = s.hash;
  h["seed"] = s.seed;
  h["protocol"] = s.family->name;
  h["variant"] = s.variant;
  h["duration_ns"] = s.duration.ns;
  Json nodes = Json::array();
  for (NodeId n = 0; n < s.cluster.size(); ++n) {
    nodes.push_back(json_object("name", s.cluster.name(n), "role", s.cluster.role(n)));
  }
  h["nodes"] = std::move(nodes);
  return h;
}

// The scenario's checks less those that only measure, in order.
std::vector<std::string> judging_checks(const Scenario& scenario) {
  std::vector<std::string> out;
  out.reserve(scenario.checks.size());
  for (const std::string& name : scenario.checks) {
    auto info = std::find_if(scenario.family->checks.begin(), scenario.family->checks.end(),
                             [&name](const CheckInfo& c) { return c.name == name; });
    if (info == scenario.family->checks.end() || !info->measures_only) out.push_back(name);
  }
  return out;
}

Json violation_json(const Violation& v) {
  Json j = Json::object();
  j["check"] = v.check;
  j["t_ns"] = v.at.ns;
  j["time"] = format_duration(Duration{v.at.ns});
  j["nodes"] = v.nodes;
  j["message"] = v.message;
  j["details"] = v.details;
  return j;
}

}  // namespace

RunReport run_scenario(const Scenario& scenario, const RunOptions& options) {
  if (!options.summary && !options.summary_path.empty()) {
    throw std::invalid_argument("run_scenario: a summary file needs RunOptions::summary");
  }
  RunReport report;
  std::unique_ptr<TraceWriter> trace;
  // The summary's file is made now, before the run, so that a path that cannot be written
  // fails at once rather than after the run.
  std::unique_ptr<OutputFile> summary_file;
  if (!options.summary_path.empty()) {
    summary_file = OutputFile::create(options.summary_path, report.io_error);
    if (!summary_file) {
      report.exit_code = 3;
      return report;
    }
  }
  if (!options.trace_path.empty() || options.trace_consumer) {
    trace = TraceWriter::open(options.trace_path, scenario.sim.limits.max_trace_bytes,
                              report.io_error, options.trace_consumer);
    if (!trace) {
      report.exit_code = 3;
      return report;
    }
    trace->write_always(header_line(scenario).dump() + "\n");
  }

  ProtocolRun& protocol = *scenario.protocol;
  protocol.begin_run();
  Simulation sim(scenario.cluster, scenario.sim,
                 [&protocol](NodeId n) { return protocol.make_process(n); });
  sim.set_trace(trace.get());
  sim.set_interrupt_flag(options.interrupt);
  if (options.progress) sim.set_progress_observer(options.progress);
  if (options.on_loop_start) sim.set_loop_start_hook(options.on_loop_start);
  sim.set_collect_metrics(options.summary);
  const std::vector<std::string> checks = options.summary ? scenario.checks : judging_checks(scenario);
  for (auto& checker : protocol.make_checkers(checks)) sim.add_checker(std::move(checker));
  for (const auto& make_observer : options.observers) sim.add_checker(make_observer());
  report.faults = effective_faults(scenario, &report.random_kinds_enabled);
  const std::vector<FaultAction>& faults = report.faults;
  schedule_faults(sim, faults);

  try {
    report.result = sim.run();
  } catch (const std::exception& e) {
    close_trace_after(e, sim, trace.get());
    throw;
  }
  const RunResult& r = report.result;
  // Nothing is written: the outputs made so far are discarded on the way out.
  if (r.stopped_by == StopReason::kTimeStoodStill) fail_time_stood_still(scenario, r, trace.get());

  // A run cut short by a signal proves nothing held: its verdict is never "pass".
  const bool interrupted = r.stopped_by == StopReason::kInterrupted;
  const char* verdict = !r.violations.empty() ? "fail" : interrupted ? "interrupted" : "pass";
  report.exit_code = r.violations.empty() ? 0 : 1;
  if (interrupted) report.exit_code = 130;
  if (!options.summary && !trace) return report;

  Json violations = Json::array();
  for (const Violation& v : r.violations) violations.push_back(violation_json(v));
  if (options.summary) {
    Json& s = report.summary;
    s["format"] = "dsim-summary";
    s["version"] = 1;
    s["scenario"] = scenario.name;
    s["file"] = scenario.file;
    s["scenario_hash"] = scenario.hash;
    s["seed"] = scenario.seed;
    s["protocol"] = scenario.family->name;
    s["variant"] = scenario.variant;
    s["verdict"] = verdict;
    s["violations"] = violations;
    if (!options.replay_command.empty()) s["replay"] = options.replay_command;
    s["checks"] = scenario.checks;
    s["stopped_by"] = to_string(r.stopped_by);
    bool bound = r.stopped_by == StopReason::kMaxEvents || r.stopped_by == StopReason::kMaxTime ||
                 r.stopped_by == StopReason::kMaxMemory;
    s["bound_hit"] = bound ? Json(to_string(r.stopped_by)) : Json(nullptr);
    s["events_processed"] = r.events;
    s["sim_time_ns"] = r.sim_time.ns;
    s["sim_time"] = format_duration(Duration{r.sim_time.ns});
    s["duration_ns"] = scenario.duration.ns;
    Json fault_info = Json::object();
    fault_info["scripted"] = scenario.scripted_faults.size();
    fault_info["random"] = faults.size() - scenario.scripted_faults.size();
    fault_info["random_kinds_enabled"] = report.random_kinds_enabled;
    s["faults"] = fault_info;
    if (trace) {
      s["trace"] = json_object("path", options.trace_path,
                               "max_bytes", trace->max_bytes(),
                               "truncated", trace->truncated(),
                               "lines_dropped", trace->lines_dropped());
    }
    s["memory"] = scenario.memory.to_json();
    s["memory"]["limit_bytes"] = scenario.sim.limits.max_memory;
    s["metrics"] = r.metrics;
  }
  if (trace) {
    write_closing_line(*trace, r.sim_time.ns, verdict, std::move(violations), to_string(r.stopped_by),
                       r.events, nullptr);
  }
  if (summary_file) {
    const std::string text = report.summary.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), summary_file->stream());
  }
  if (options.defer_commit) {
    report.trace = std::move(trace);
    report.summary_file = std::move(summary_file);
    return report;
  }
  // Outputs are all or nothing: a summary is never left to describe a trace that failed.
  if (!commit_together({trace ? trace->file() : nullptr, summary_file.get()}, report.io_error)) {
    report.exit_code = 3;
  }
  return report;
}

}  // namespace dsim
