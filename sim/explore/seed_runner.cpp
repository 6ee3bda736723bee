#include "explore/seed_runner.h"

#include <chrono>

#include "explore/event_counter.h"
#include "explore/version.h"
#include "runner/run_scenario.h"

namespace dsim::explore {

SeedRunner::SeedRunner(const ScenarioLoader& loader, Json document, std::string file,
                       std::vector<std::string> sets)
    : loader_(loader), document_(std::move(document)), file_(std::move(file)), sets_(std::move(sets)) {
  first_ = loader_.load_json(document_, file_, {}, std::nullopt);
}

namespace {

std::string replay_command(const std::string& file, uint64_t seed,
                           const std::vector<std::string>& sets) {
  std::string cmd = program_name() + " run " + file + " --seed " + std::to_string(seed);
  for (const std::string& s : sets) cmd += " --set '" + s + "'";
  return cmd;
}

}  // namespace

std::optional<SweepRecord> SeedRunner::run(uint64_t seed, const std::atomic<bool>* cancel) const {
  auto started = std::chrono::steady_clock::now();  // allow-nondeterminism: wall time is reported, never simulated
  const Scenario s = reseeded(first_, seed);

  EventCounts events;
  RunOptions options;
  options.interrupt = cancel;
  options.summary = false;  // a sweep record is made of the result alone
  options.observers.push_back([&events] { return std::make_unique<ProtocolEventCounter>(events); });
  RunReport report = run_scenario(s, options);
  if (report.exit_code == 130) return std::nullopt;

  SweepRecord r;
  r.seed = seed;
  const RunResult& result = report.result;
  r.failed = !result.violations.empty();
  if (r.failed) {
    const Violation& v = result.violations.front();
    r.check = v.check;
    r.at_ns = v.at.ns;
    r.nodes = v.nodes;
    r.message = v.message;
  }
  r.stopped_by = to_string(result.stopped_by);
  r.events = result.events;
  r.sim_time_ns = result.sim_time.ns;
  r.scenario = s.name;
  r.scenario_hash = s.hash;
  r.protocol = s.family->name;
  r.version = program_version();
  // The faults this seed scheduled, counted by kind when they started before the run
  // ended (a run stopped by a violation never reaches the later ones).
  r.fault_mix = report.random_kinds_enabled;
  for (const FaultAction& a : report.faults) {
    if (a.at <= result.sim_time) ++r.faults[to_string(a.kind)];
  }
  r.proto_events.insert(events.begin(), events.end());
  r.checks = s.checks;
  r.replay = replay_command(file_, seed, sets_);
  r.wall_us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - started)  // allow-nondeterminism: wall time is reported, never simulated
                  .count();
  return r;
}

}  // namespace dsim::explore
