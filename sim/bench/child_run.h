// One measured run of one contender, in a process of its own so that its peak memory is
// its own: `dsim_bench run-one ...` prints one JSON object on stdout. The SimGrid and
// Python contenders are separate programs that print the same fields.
#pragma once

#include <string>

#include "bench/phold_workload.h"
#include "core/json.h"

namespace dsim::bench {

// The contenders that live in dsim_bench itself.
inline constexpr const char* kDsim = "dsim";
inline constexpr const char* kDsimTrace = "dsim_trace";
inline constexpr const char* kBare = "bare_loop";
inline constexpr const char* kSimGrid = "simgrid";
inline constexpr const char* kPython = "python";

// Runs `contender` (kDsim, kDsimTrace or kBare) on `w`; the trace, if any, goes to a
// temporary file in `scratch_dir` that is deleted afterwards. Returns the child's report:
// contender, nodes, tokens_per_node, duration_ns, events, run_cpu_s, run_wall_s,
// setup_cpu_s, baseline_rss_kib, peak_rss_kib (and trace_bytes for kDsimTrace).
Json run_one(const std::string& contender, const PholdWorkload& w, const std::string& scratch_dir);

}  // namespace dsim::bench
