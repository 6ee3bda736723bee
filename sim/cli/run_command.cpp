// dsim run [SCENARIO] [--seed N] [--set PATH=VALUE ...] [--trace FILE] [--summary FILE]
//          [--perfetto FILE]
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/run_progress.h"
#include "runner/run_scenario.h"
#include "trace/perfetto_export.h"

namespace dsim::cli {

void print_violations(std::ostream& out, const Scenario& s, const RunReport& report,
                      const std::string& replay) {
  for (const Violation& v : report.result.violations) {
    out << "FAIL " << v.check << " at " << format_duration(Duration{v.at.ns});
    if (!v.nodes.empty()) {
      out << " (";
      for (size_t i = 0; i < v.nodes.size(); ++i) out << (i ? ", " : "") << v.nodes[i];
      out << ")";
    }
    out << ": " << v.message << "\n";
  }
  if (!report.result.violations.empty()) {
    out << "  scenario " << s.name << ", seed " << s.seed << "; replay: " << replay << "\n";
  }
}

// The trace stops growing at limits.max_trace_bytes; a reader must know it is cut.
void print_trace_truncation(const Json& summary) {
  if (!summary.contains("trace") || !summary["trace"]["truncated"].get<bool>()) return;
  const Json& t = summary["trace"];
  const std::string path = t["path"].get<std::string>();
  std::cerr << "dsim: the trace reached limits.max_trace_bytes (" << t["max_bytes"].get<uint64_t>()
            << " bytes): " << t["lines_dropped"].get<uint64_t>() << " event lines were left out of "
            << (path.empty() ? std::string("the Perfetto file") : path == "-" ? "the trace" : path)
            << " (raise it with --set limits.max_trace_bytes=N)\n";
}

int run_command(int argc, char** argv) {
  const std::string usage =
      "usage: dsim run [SCENARIO] [--seed N] [--set PATH=VALUE ...] [--trace FILE] "
      "[--summary FILE] [--perfetto FILE]\n"
      "Runs one scenario (the built-in default when none is given). Exit code: 0 every check\n"
      "held, 1 a check failed, 2 bad input, 3 an output could not be written.";
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "scenario", po::value<std::string>()->default_value(""), "scenario JSON file")(
      "seed", po::value<std::string>(), "seed (overrides the scenario's), 0 to 2^63-1")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a scenario field, e.g. --set nodes=1000 --set network.loss=0.1")(
      "trace", po::value<std::string>()->default_value(""), "write the JSON-lines trace here (- for stdout)")(
      "summary", po::value<std::string>()->default_value(""), "write the JSON summary here (- for stdout)")(
      "perfetto", po::value<std::string>()->default_value(""),
      "also write the trace as Trace Event JSON here (for ui.perfetto.dev)")(
      "quiet,q", "print nothing but errors");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  int exit = kOk;
  if (!parse_options(argc, argv, usage, opts, pos, vm, exit)) return exit;

  std::string path = vm["scenario"].as<std::string>();
  const std::vector<std::string> sets = set_options(vm);
  const std::optional<uint64_t> seed = seed_option(vm);
  const bool quiet = vm.count("quiet") != 0;

  RunOptions options;
  options.trace_path = vm["trace"].as<std::string>();
  options.summary_path = vm["summary"].as<std::string>();
  const std::string perfetto = vm["perfetto"].as<std::string>();
  // Every output path is checked before the scenario is loaded or run.
  if (auto problem = check_distinct_paths({{"--trace", options.trace_path},
                                           {"--summary", options.summary_path},
                                           {"--perfetto", perfetto}},
                                          {{"SCENARIO", path}})) {
    std::cerr << "dsim: " << problem->message << "\n";
    return problem->exit_code;
  }
  for (const auto& [out, kind] : {std::pair{options.trace_path, &kTraceOutput},
                                  std::pair{options.summary_path, &kSummaryOutput},
                                  std::pair{perfetto, &kPerfettoOutput}}) {
    if (auto problem = check_output_path(out, *kind)) {
      std::cerr << "dsim: " << problem->message << "\n";
      return problem->exit_code;
    }
  }

  Scenario scenario;
  try {
    scenario = load_scenario(path, sets, seed);
  } catch (const ScenarioError& e) {
    std::cerr << "dsim: " << e.what() << "\n";
    return kBadInput;
  }
  // The Perfetto file is exported live from the trace's lines, with or without --trace.
  std::string error;
  std::unique_ptr<TraceWriter> perfetto_file;
  std::optional<PerfettoExporter> exporter;
  if (!perfetto.empty()) {
    perfetto_file = TraceWriter::open(perfetto, UINT64_MAX, error);
    if (!perfetto_file) {
      std::cerr << "dsim: " << error << "\n";
      return kIoError;
    }
    exporter.emplace([&perfetto_file](std::string_view text) { perfetto_file->write_always(text); });
    options.trace_consumer = [&exporter](std::string_view line) {
      std::string ignored;  // the simulator's own lines are always JSON objects
      exporter->consume(line, ignored);
    };
  }
  // Until the event loop starts a signal ends the process at once (nothing is written);
  // from then on it stops the run cleanly with complete outputs.
  options.interrupt = interrupt_flag();
  options.on_loop_start = enter_run_phase;
  // A trace streamed to standard output is shown from its header on, which ending the
  // process would cut mid-line: from then on a signal stops the run (while its nodes start,
  // too) and the stream ends with its closing line, as for a signal later in the run.
  if (options.trace_path == "-") enter_run_phase();
  options.defer_commit = true;
  options.replay_command = replay_command(path, scenario.seed, sets);
  std::optional<RunProgress> progress;
  if (!quiet && ::isatty(STDERR_FILENO) != 0) {
    progress.emplace(stderr, scenario.duration.ns);
    options.progress = [&progress](int64_t now_ns, uint64_t events) { progress->update(now_ns, events); };
  }
  RunReport report = run_scenario(scenario, options);
  if (progress) progress->finish();
  if (exporter) exporter->finish();
  // The trace, the summary and the Perfetto file: all of them, or none.
  if (report.io_error.empty() &&
      !commit_together({report.trace ? report.trace->file() : nullptr, report.summary_file.get(),
                        perfetto_file ? perfetto_file->file() : nullptr},
                       report.io_error)) {
    report.exit_code = kIoError;
  }
  if (!report.io_error.empty()) {
    std::cerr << "dsim: " << report.io_error << "\n";
    return kIoError;
  }
  // Standard output may carry the trace or the summary; the human line then goes to stderr.
  const bool stdout_taken = options.trace_path == "-" || options.summary_path == "-";
  std::ostream& human = stdout_taken ? std::cerr : std::cout;
  if (!quiet) {
    const Json& s = report.summary;
    human << scenario.name << " seed " << scenario.seed << ": " << s["verdict"].get<std::string>()
          << " (" << s["events_processed"] << " events, " << s["sim_time"].get<std::string>()
          << " simulated, stopped by " << s["stopped_by"].get<std::string>() << ")\n";
  }
  if (!quiet) print_violations(std::cerr, scenario, report, options.replay_command);
  print_trace_truncation(report.summary);
  if (report.exit_code == kInterrupted) {
    // Only what is true of this run: outputs are mentioned when it has some.
    const bool has_outputs = !options.trace_path.empty() || !options.summary_path.empty() || exporter;
    std::cerr << "dsim: interrupted; the verdict is \"interrupted\""
              << (has_outputs ? " and the outputs are complete up to the stop" : "") << "\n";
  }
  if (exporter && !quiet) print_perfetto_written(human, perfetto, exporter->stats());
  return report.exit_code;
}

}  // namespace dsim::cli
