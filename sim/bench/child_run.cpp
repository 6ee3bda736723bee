#include "bench/child_run.h"

#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "bench/bare_phold.h"
#include "bench/dsim_phold.h"
#include "bench/process_stats.h"
#include "core/json_object.h"

namespace dsim::bench {
namespace {

Json workload_fields(const std::string& contender, const PholdWorkload& w) {
  return json_object("contender", contender,
                     "nodes", w.nodes,
                     "tokens_per_node", w.tokens_per_node,
                     "duration_ns", w.duration_ns,
                     "seed", w.seed);
}

Json run_bare(const PholdWorkload& w) {
  double cpu0 = cpu_seconds();
  BarePholdStreams streams(w);
  double cpu1 = cpu_seconds(), wall1 = wall_seconds();
  BarePholdResult r = run_bare_phold(w, streams);
  double cpu2 = cpu_seconds(), wall2 = wall_seconds();
  Json out = workload_fields(kBare, w);
  out["events"] = r.events;
  out["run_cpu_s"] = cpu2 - cpu1;
  out["run_wall_s"] = wall2 - wall1;
  out["setup_cpu_s"] = cpu1 - cpu0;
  return out;
}

Json run_dsim(const std::string& contender, const PholdWorkload& w,
              const std::string& scratch_dir) {
  std::string trace_path;
  if (contender == kDsimTrace) {
    trace_path = (std::filesystem::path(scratch_dir) /
                  ("dsim_bench_trace_" + std::to_string(getpid()) + ".jsonl"))
                     .string();
  }
  DsimPholdResult r = run_dsim_phold(w, trace_path);
  if (!trace_path.empty()) std::filesystem::remove(trace_path);
  Json out = workload_fields(contender, w);
  out["events"] = r.events;
  out["run_cpu_s"] = r.run_cpu_s;
  out["run_wall_s"] = r.run_wall_s;
  out["setup_cpu_s"] = r.setup_cpu_s;
  out["peak_pending_events"] = r.peak_pending_events;
  if (!trace_path.empty()) out["trace_bytes"] = r.trace_bytes;
  return out;
}

}  // namespace

Json run_one(const std::string& contender, const PholdWorkload& w, const std::string& scratch_dir) {
  // Everything the process holds before the workload exists: code, libraries, allocator.
  int64_t baseline_kib = rss_kib();
  Json out;
  if (contender == kBare) {
    out = run_bare(w);
  } else if (contender == kDsim || contender == kDsimTrace) {
    out = run_dsim(contender, w, scratch_dir);
  } else {
    throw std::invalid_argument("unknown contender \"" + contender + "\"");
  }
  out["baseline_rss_kib"] = baseline_kib;
  out["peak_rss_kib"] = peak_rss_kib();
  return out;
}

}  // namespace dsim::bench
