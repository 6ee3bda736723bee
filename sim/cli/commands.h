// The subcommands of `dsim`. Each takes argv with its own name at argv[0].
#pragma once

#include <iosfwd>
#include <string>

#include "runner/run_scenario.h"
#include "trace/perfetto_export.h"

namespace dsim::cli {

int run_command(int argc, char** argv);
int run_set_command(int argc, char** argv);
int perfetto_command(int argc, char** argv);
int ring_stats_command(int argc, char** argv);
int ring_command(int argc, char** argv);  // dsim ring lookup

// Writes `out` (Trace Event JSON) from the dsim trace `trace`; returns an exit code.
int convert_to_perfetto(const std::string& trace, const std::string& out, bool quiet);
// "perfetto: OUT (N trace events, ...); open it in ui.perfetto.dev"
void print_perfetto_written(std::ostream& human, const std::string& out,
                            const PerfettoExportStats& stats);
int sweep_command(int argc, char** argv);
int check_determinism_command(int argc, char** argv);
int shrink_command(int argc, char** argv);
int merge_command(int argc, char** argv);
int describe_command(int argc, char** argv);

void print_violations(std::ostream& out, const Scenario& s, const RunReport& report,
                      const std::string& replay);

}  // namespace dsim::cli
