#include "bench/dsim_phold.h"

#include <stdexcept>

#include "bench/process_stats.h"
#include "core/json_object.h"
#include "core/simulation.h"
#include "protocols/registry.h"

namespace dsim::bench {

Scenario load_phold_scenario(const PholdWorkload& w) {
  Json doc = {
      {"name", "bench-phold"},
      {"duration", w.duration_ns},
      {"nodes", w.nodes},
      {"protocol", {{"name", "phold"}, {"tokens_per_node", w.tokens_per_node}}},
      {"network",
       {{"latency",
         {{"dist", "uniform"},
          {"min", format_duration(kPholdDelayMin)},
          {"max", format_duration(kPholdDelayMax)}}}}},
      {"checks", Json::array()},
  };
  if (w.max_events != UINT64_MAX) doc["limits"] = {{"max_events", w.max_events}};
  ScenarioLoader loader(protocol_families());
  return loader.load_json(std::move(doc), "<dsim_bench phold>", {}, w.seed);
}

DsimPholdResult run_dsim_phold(const PholdWorkload& w, const std::string& trace_path) {
  DsimPholdResult out;
  double cpu0 = cpu_seconds(), wall0 = wall_seconds();
  Scenario s = load_phold_scenario(w);
  std::unique_ptr<TraceWriter> trace;
  if (!trace_path.empty()) {
    std::string error;
    trace = TraceWriter::open(trace_path, s.sim.limits.max_trace_bytes, error);
    if (!trace) throw std::runtime_error(error);
    trace->write_always(json_object("ev", "header", "format", "dsim-trace").dump() + "\n");
  }
  ProtocolRun& protocol = *s.protocol;
  // The bench owns its scenario, so the cluster and config move into the simulation.
  Simulation sim(std::move(s.cluster), std::move(s.sim),
                 [&protocol](NodeId n) { return protocol.make_process(n); });
  sim.set_trace(trace.get());
  double cpu1 = cpu_seconds(), wall1 = wall_seconds();

  RunResult r = sim.run();
  if (trace) {
    std::string error;
    if (!trace->close(error)) throw std::runtime_error(error);
    out.trace_bytes = trace->bytes_written();
  }
  double cpu2 = cpu_seconds(), wall2 = wall_seconds();

  out.events = r.events;
  out.sim_time_ns = r.sim_time.ns;
  out.peak_pending_events = r.metrics["sim"]["peak_pending_events"].get<uint64_t>();
  out.setup_cpu_s = cpu1 - cpu0;
  out.setup_wall_s = wall1 - wall0;
  out.run_cpu_s = cpu2 - cpu1;
  out.run_wall_s = wall2 - wall1;
  return out;
}

}  // namespace dsim::bench
