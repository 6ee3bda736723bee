// dsim perfetto TRACE.jsonl OUT.json: converts a trace into the Trace Event format that
// ui.perfetto.dev and chrome://tracing open (see trace/perfetto_export.h for the layout).
#include <iostream>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "trace/perfetto_export.h"

namespace dsim::cli {

int convert_to_perfetto(const std::string& trace, const std::string& out, bool quiet) {
  PerfettoExportStats stats;
  std::string error;
  ExportStatus status = export_perfetto(trace, out, stats, error);
  if (status != ExportStatus::kOk) {
    std::cerr << "dsim: " << error << "\n";
    return status == ExportStatus::kBadInput ? kBadInput : kIoError;
  }
  if (!quiet) print_perfetto_written(std::cout, out, stats);
  return kOk;
}

void print_perfetto_written(std::ostream& human, const std::string& out,
                            const PerfettoExportStats& stats) {
  human << "perfetto: " << out << " (" << stats.events_written << " trace events, "
        << stats.flows << " message arrows";
  if (stats.flows_in_flight_at_end > 0) {
    human << ", " << stats.flows_in_flight_at_end << " still in flight at the end";
  }
  human << "); open it in ui.perfetto.dev\n";
}

int perfetto_command(int argc, char** argv) {
  const std::string usage =
      "usage: dsim perfetto TRACE.jsonl OUT.json\n"
      "Converts a dsim trace into Trace Event JSON for ui.perfetto.dev or chrome://tracing:\n"
      "one track per node, messages as flow arrows, faults as slices and instants.\n"
      "Exit code: 0 written, 2 the input is not a readable dsim trace, 3 OUT not writable.";
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")("trace", po::value<std::string>()->required(),
                                                 "the dsim JSON-lines trace")(
      "out", po::value<std::string>()->required(), "where to write the Trace Event JSON")(
      "quiet,q", "print nothing but errors");
  po::positional_options_description pos;
  pos.add("trace", 1).add("out", 1);
  po::variables_map vm;
  int exit = kOk;
  if (!parse_options(argc, argv, usage, opts, pos, vm, exit)) return exit;
  if (auto problem = check_output_path(vm["out"].as<std::string>(), kPerfettoOutput)) {
    std::cerr << "dsim: " << problem->message << "\n";
    return problem->exit_code;
  }
  if (auto problem = check_distinct_paths({{"OUT", vm["out"].as<std::string>()}},
                                          {{"TRACE", vm["trace"].as<std::string>()}})) {
    std::cerr << "dsim: " << problem->message << "\n";
    return problem->exit_code;
  }
  return convert_to_perfetto(vm["trace"].as<std::string>(), vm["out"].as<std::string>(),
                             vm.count("quiet") != 0);
}

}  // namespace dsim::cli
