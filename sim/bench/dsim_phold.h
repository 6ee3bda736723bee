// PHOLD on dsim itself: the real scenario loader, Simulation and PHOLD protocol family
// (sim/protocols/phold), with the full network model on the hot path and no checkers.
#pragma once

#include <string>

#include "bench/phold_workload.h"
#include "scenario/scenario.h"

namespace dsim::bench {

// The scenario a PHOLD benchmark run loads (what `dsim run` would load for it).
Scenario load_phold_scenario(const PholdWorkload& w);

struct DsimPholdResult {
  uint64_t events = 0;
  int64_t sim_time_ns = 0;
  uint64_t peak_pending_events = 0;
  uint64_t trace_bytes = 0;
  double run_cpu_s = 0, run_wall_s = 0;      // the timed part: Simulation::run()
  double setup_cpu_s = 0, setup_wall_s = 0;  // loading the scenario, building the Simulation
};

// Runs the workload; writes the JSON-lines trace to `trace_path` when it is not empty
// (then closing the trace is part of the timed run).
DsimPholdResult run_dsim_phold(const PholdWorkload& w, const std::string& trace_path);

}  // namespace dsim::bench
