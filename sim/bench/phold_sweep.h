// The PHOLD sweep: every contender at every node count, each run in a child process.
//
// Each contender gets a simulated duration long enough for its event budget (fast ones
// get more events, so their timings are not noise) and never shorter than
// `min_duration_ns` (every token travels a few times: the measurement is of the steady
// state, not of the start-up burst). dsim and the bare loop always get the same duration,
// so they process exactly the same events. A contender stops at the first node count
// where its last run predicts more than `time_budget_s` of CPU or `memory_budget_kib` of
// memory; the report says so.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/json.h"

namespace dsim::bench {

struct SweepSettings {
  std::vector<uint64_t> node_counts;
  uint64_t tokens_per_node = 8;
  uint64_t seed = 1;
  int64_t min_duration_ns = 12'000'000;
  // Events each contender aims for at each node count.
  uint64_t events_native = 6'000'000;   // dsim and the bare loop
  uint64_t events_trace = 2'000'000;    // dsim with the trace on
  uint64_t events_simgrid = 150'000;
  uint64_t events_python = 1'000'000;
  int repeats_small = 3;                // best of this many where a run is short
  double time_budget_s = 60;
  int64_t memory_budget_kib = int64_t{6} << 20;
  std::vector<std::string> contenders;  // which to run, in order
  // Programs.
  std::string self_exe, simgrid_exe, python, python_script, scratch_dir;
  std::vector<std::string> simgrid_config;  // --cfg=... for SimGrid
};

// One entry per node count: {"nodes", "runs": {contender: report or {"skipped": why}},
// "ratios": {...}}. Progress goes to stderr.
Json run_phold_sweep(const SweepSettings& s);

// Memory per node and per pending event for dsim and the bare loop at each of
// `node_counts`: two short runs, with 1 and with T tokens per node.
Json run_memory_split(const SweepSettings& s, const std::vector<uint64_t>& node_counts);

}  // namespace dsim::bench
