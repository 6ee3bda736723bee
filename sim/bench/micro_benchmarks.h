// The benchmark's measurements other than PHOLD: trace-writing speed, sweep speed (seeds
// per second through the scenario runner) and hash-ring lookups.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/json.h"

namespace dsim::bench {

// The JSON-lines trace writer alone (JsonLine + TraceWriter, as the simulator drives them
// for send and deliver events), `lines` lines to a temporary file in `scratch_dir`.
Json measure_trace_writer(const std::string& scratch_dir, uint64_t lines);

// Seeds 1, 2, ... of `scenario_file` through run_scenario(), without output files, for
// about `cpu_budget_s` of CPU (at least `min_seeds`).
Json measure_seed_sweep(const std::string& scenario_file, double cpu_budget_s, int min_seeds);

// CPU time per lookup, key hashing included, per hash-ring algorithm (sim/protocols/ring)
// at each node count; timed rounds of about `round_s` CPU seconds.
Json measure_ring_lookups(const std::vector<uint32_t>& node_counts, double round_s);

}  // namespace dsim::bench
