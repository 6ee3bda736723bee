// One protocol family's scenario, measured the way a seed sweep runs it: seeds 1, 2, ...
// through run_scenario() (what `dsim run` and `dsim sweep` do: scenario loading with the
// seed override, nemesis planning, the run with the scenario's checks, the summary),
// tracing off unless asked. Runs in a child process of its own (`dsim_bench run-family`),
// so its memory is its own. See README.md, "The families".
#pragma once

#include <string>

#include "core/json.h"

namespace dsim::bench {

struct FamilyRunSettings {
  std::string scenario_file;
  double cpu_budget_s = 3;  // seeds are run until this much CPU has gone into them...
  int min_seeds = 3;        // ...and at least this many
  // Non-empty: each seed writes its JSON-lines trace to a temporary file in this folder
  // (deleted afterwards), and the report gives trace lines per CPU-second.
  std::string trace_dir;
};

// The report: scenario, family, seeds, seeds_passed, events, cpu_s, wall_s,
// events_per_cpu_s, seeds_per_cpu_s; with a trace, trace_lines, trace_bytes and
// trace_lines_per_cpu_s; without, "in_flight" (see message_footprint()) and the peak RSS.
Json run_family(const FamilyRunSettings& s);

// What the simulator holds per message in flight, counted by the rules of
// Simulation::live_bytes(), averaged over every message sent (duplicates included) in one
// untimed run of seed 1: the message's slot and queue entry (Simulation::bytes_per_message());
// plus, for a message with fields, its slot in the table of whole messages (sizeof(Message))
// and what its struct holds on the heap (usually 0: up to 56 bytes are held inline). A
// message without fields (an empty struct) costs only the first part.
// {"messages", "with_fields", "bytes_per_message", "core_bytes_per_message"}.
Json message_footprint(const std::string& scenario_file);

}  // namespace dsim::bench
