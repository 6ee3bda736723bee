// Sweep speed: what a seed sweep costs per seed, through the same runner as `dsim run`
// (scenario loading with the seed override, nemesis planning, the run; no summary, as in
// a sweep).
#include "bench/micro_benchmarks.h"
#include "bench/process_stats.h"
#include "core/json_object.h"
#include "protocols/registry.h"
#include "runner/run_scenario.h"

namespace dsim::bench {

Json measure_seed_sweep(const std::string& scenario_file, double cpu_budget_s, int min_seeds) {
  ScenarioLoader loader(protocol_families());
  uint64_t seeds = 0, events = 0, passed = 0;
  double cpu0 = cpu_seconds(), wall0 = wall_seconds();
  while (seeds < static_cast<uint64_t>(min_seeds) || cpu_seconds() - cpu0 < cpu_budget_s) {
    ++seeds;
    Scenario s = loader.load_file(scenario_file, {}, seeds);
    RunOptions options;
    options.summary = false;  // as `dsim sweep`: nobody reads a seed's summary
    RunReport r = run_scenario(s, options);
    events += r.result.events;
    if (r.exit_code == 0) ++passed;
  }
  double cpu_s = cpu_seconds() - cpu0;
  return json_object("scenario", scenario_file,
                     "seeds", seeds,
                     "seeds_passed", passed,
                     "events", events,
                     "cpu_s", cpu_s,
                     "wall_s", wall_seconds() - wall0,
                     "seeds_per_cpu_s", static_cast<double>(seeds) / cpu_s,
                     "events_per_cpu_s", static_cast<double>(events) / cpu_s);
}

}  // namespace dsim::bench
