#include "bench/families_part.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "bench/child_process.h"
#include "core/json_object.h"

namespace dsim::bench {
namespace {

std::vector<std::string> family_command(const FamiliesSettings& s, const std::string& scenario,
                                        double budget_s, bool trace) {
  std::vector<std::string> cmd = {s.self_exe, "run-family", scenario, std::to_string(budget_s)};
  if (trace) cmd.push_back(s.scratch_dir);
  return cmd;
}

Json sweep_run(const FamiliesSettings& s) {
  std::filesystem::path out =
      std::filesystem::path(s.scratch_dir) / ("dsim_bench_sweep_" + std::to_string(getpid()) + ".jsonl");
  std::filesystem::remove(out);  // a sweep resumes an existing file
  std::string seeds = "1.." + std::to_string(s.sweep_seeds);
  std::cerr << "families: dsim sweep " << s.sweep_scenario << " --seeds " << seeds << " --jobs "
            << s.sweep_jobs << " ...\n";
  TimedRun r = run_timed({s.dsim_exe, "sweep", s.sweep_scenario, "--seeds", seeds, "--jobs",
                          std::to_string(s.sweep_jobs), "--out", out.string(), "-q"});
  std::filesystem::remove(out);
  Json j = json_object("scenario", s.sweep_scenario,
                       "command", "dsim sweep " + s.sweep_scenario + " --seeds " + seeds +
                                      " --jobs " + std::to_string(s.sweep_jobs),
                       "seeds", s.sweep_seeds,
                       "jobs", s.sweep_jobs,
                       "exit_code", r.exit_code,
                       "wall_s", r.wall_s,
                       "cpu_s", r.cpu_s);
  if (!r.error.empty()) {
    j["error"] = r.error;
    return j;
  }
  j["seeds_per_wall_s"] = static_cast<double>(s.sweep_seeds) / r.wall_s;
  // What the machine's load cannot stretch: seeds per CPU-second of the sweep's threads.
  j["seeds_per_cpu_s"] = static_cast<double>(s.sweep_seeds) / r.cpu_s;
  j["seconds_for_10000_seeds"] = r.wall_s * 10000.0 / static_cast<double>(s.sweep_seeds);
  return j;
}

}  // namespace

Json run_families_part(const FamiliesSettings& s) {
  std::vector<Json> best(s.scenarios.size());
  for (int round = 1; round <= s.rounds; ++round) {
    for (size_t i = 0; i < s.scenarios.size(); ++i) {
      std::cerr << "families: " << s.scenarios[i] << " (round " << round << "/" << s.rounds
                << ") ...\n";
      std::string error;
      auto r = run_child(family_command(s, s.scenarios[i], s.cpu_budget_s, false), error);
      if (!r) {
        if (best[i].is_null()) best[i] = json_object("scenario", s.scenarios[i], "error", error);
        continue;
      }
      (*r)["rounds"] = s.rounds;
      if (!best[i].contains("events_per_cpu_s") ||
          (*r)["events_per_cpu_s"].get<double>() > best[i]["events_per_cpu_s"].get<double>()) {
        best[i] = std::move(*r);
      }
    }
  }
  Json runs = Json::array();
  double phold = 0;
  if (!best.empty() && best[0].contains("events_per_cpu_s")) phold = best[0]["events_per_cpu_s"];
  for (Json& r : best) {
    if (phold > 0 && r.contains("events_per_cpu_s")) {
      r["ratio_to_phold"] = r["events_per_cpu_s"].get<double>() / phold;
    }
    runs.push_back(std::move(r));
  }
  Json out = json_object("scenarios", s.scenarios, "runs", std::move(runs));
  if (!s.trace_scenario.empty()) {
    std::cerr << "families: " << s.trace_scenario << " with the trace on ...\n";
    std::string error;
    auto r = run_child(family_command(s, s.trace_scenario, s.cpu_budget_s, true), error);
    out["trace"] = r ? std::move(*r) : json_object("scenario", s.trace_scenario, "error", error);
  }
  if (!s.sweep_scenario.empty() && s.sweep_seeds > 0) out["sweep"] = sweep_run(s);
  return out;
}

}  // namespace dsim::bench
