// The families part: each protocol family's fault scenario side by side with PHOLD in the
// same benchmark run (each run a child process: `dsim_bench run-family ...`, rounds
// interleaved so a busy neighbour slows every family alike; the ratio to PHOLD is the median
// of the rounds' ratios, each round's PHOLD run against the family's), then the trace on a 2PC run
// and a real `dsim sweep --jobs 2` of the 2PC bank scenario. See README.md, "The families".
#pragma once

#include <string>
#include <vector>

#include "core/json.h"

namespace dsim::bench {

struct FamiliesSettings {
  // Scenario files, PHOLD's first: the ratios are to it.
  std::vector<std::string> scenarios;
  int rounds = 5;             // each family runs once per round (rates: the fastest round)
  double cpu_budget_s = 2;    // CPU seconds of seeds per run
  std::string trace_scenario;  // run once more with the trace on (trace lines per second)
  // `dsim sweep trace_scenario... --seeds 1..sweep_seeds --jobs sweep_jobs`; 0 seeds: skipped.
  std::string sweep_scenario;
  uint64_t sweep_seeds = 400;
  int sweep_jobs = 2;
  std::string self_exe, dsim_exe, scratch_dir;
};

// {"scenarios": [...], "runs": [{the fastest round's report, "events_per_cpu_s_by_round",
//  "ratio_to_phold" (the median of "ratio_to_phold_by_round"), "ratio_to_phold_min",
//  "ratio_to_phold_max"}...], "trace": {...}, "sweep": {...}}. Progress goes to stderr.
Json run_families_part(const FamiliesSettings& s);

}  // namespace dsim::bench
