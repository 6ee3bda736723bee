// dsim run [SCENARIO] [--seed N] [--set PATH=VALUE ...] [--trace FILE] [--summary FILE]
//          [--perfetto FILE]
#include <cstdio>
#include <iostream>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "runner/run_scenario.h"

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

int run_command(int argc, char** argv) {
  const std::string usage =
      "usage: dsim run [SCENARIO] [--seed N] [--set PATH=VALUE ...] [--trace FILE] "
      "[--summary FILE] [--perfetto FILE]\n"
      "Runs one scenario (the built-in default when none is given). Exit code: 0 every check\n"
      "held, 1 a check failed, 2 bad input, 3 an output could not be written.";
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "scenario", po::value<std::string>()->default_value(""), "scenario JSON file")(
      "seed", po::value<uint64_t>(), "seed (overrides the scenario's)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a scenario field, e.g. --set nodes=1000 --set network.loss=0.1")(
      "trace", po::value<std::string>()->default_value(""), "write the JSON-lines trace here")(
      "summary", po::value<std::string>()->default_value(""), "write the JSON summary here")(
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

  Scenario scenario;
  try {
    scenario = load_scenario(path, sets, seed);
  } catch (const ScenarioError& e) {
    std::cerr << "dsim: " << e.what() << "\n";
    return kBadInput;
  }
  RunOptions options;
  options.trace_path = vm["trace"].as<std::string>();
  // The Perfetto file is made from a trace; without --trace, from a temporary one.
  const std::string perfetto = vm["perfetto"].as<std::string>();
  const bool temporary_trace = !perfetto.empty() && options.trace_path.empty();
  if (temporary_trace) options.trace_path = perfetto + ".trace-tmp.jsonl";
  options.summary_path = vm["summary"].as<std::string>();
  options.interrupt = install_interrupt_handler();
  options.replay_command = replay_command(path, scenario.seed, sets);
  RunReport report = run_scenario(scenario, options);
  if (!report.io_error.empty()) {
    std::cerr << "dsim: " << report.io_error << "\n";
    return kIoError;
  }
  if (vm.count("quiet") == 0) {
    const Json& s = report.summary;
    std::cout << scenario.name << " seed " << scenario.seed << ": " << s["verdict"].get<std::string>()
              << " (" << s["events_processed"] << " events, " << s["sim_time"].get<std::string>()
              << " simulated, stopped by " << s["stopped_by"].get<std::string>() << ")\n";
  }
  if (vm.count("quiet") == 0) print_violations(std::cerr, scenario, report, options.replay_command);
  if (report.exit_code == kInterrupted) std::cerr << "dsim: interrupted; outputs are complete\n";
  if (!perfetto.empty()) {
    int converted = convert_to_perfetto(options.trace_path, perfetto, vm.count("quiet") != 0);
    if (temporary_trace) std::remove(options.trace_path.c_str());
    if (converted != kOk) return kIoError;
  }
  return report.exit_code;
}

}  // namespace dsim::cli
