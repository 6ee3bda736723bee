#include "bench/family_run.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/process_stats.h"
#include "core/json_object.h"
#include "protocols/registry.h"
#include "runner/run_scenario.h"
#include "scenario/json_text.h"

namespace dsim::bench {
namespace {

// Counts every message the run sends, as the simulator would hold it while in flight.
class MessageTally : public Checker {
 public:
  explicit MessageTally(Json* out) : out_(out) {}
  std::string_view name() const override { return "bench_message_tally"; }
  void observe(const Observation&, CheckerView&) override {}
  bool wants_network_events() const override { return true; }
  void observe_network(const NetworkEvent& e, CheckerView&) override {
    if (e.event != "send" && e.event != "duplicate") return;
    ++messages_;
    bytes_ += Simulation::bytes_per_message();
    if (!e.message.has_fields()) return;
    ++with_fields_;
    bytes_ += sizeof(Message) + e.message.payload().heap_bytes();
  }
  void finish(CheckerView&) override {
    *out_ = json_object("messages", messages_,
                        "with_fields", with_fields_,
                        "bytes_per_message",
                        messages_ == 0 ? 0.0 : static_cast<double>(bytes_) / static_cast<double>(messages_),
                        "core_bytes_per_message", Simulation::bytes_per_message());
  }

 private:
  Json* out_;
  uint64_t messages_ = 0, with_fields_ = 0, bytes_ = 0;
};

uint64_t count_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char buf[1 << 16];
  uint64_t lines = 0;
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) lines += buf[i] == '\n';
  }
  return lines;
}

}  // namespace

Json message_footprint(const std::string& scenario_file) {
  ScenarioLoader loader(protocol_families());
  Scenario s = loader.load_file(scenario_file, {}, 1);
  Json out = Json::object();
  RunOptions options;
  options.observers.push_back([&out] { return std::make_unique<MessageTally>(&out); });
  run_scenario(s, options);
  return out;
}

Json run_family(const FamilyRunSettings& s) {
  int64_t baseline_kib = rss_kib();
  ScenarioLoader loader(protocol_families());
  std::string trace_path;
  if (!s.trace_dir.empty()) {
    trace_path = (std::filesystem::path(s.trace_dir) /
                  ("dsim_bench_family_trace_" + std::to_string(getpid()) + ".jsonl"))
                     .string();
  }
  // Read, parsed and loaded once; each seed is the loaded scenario reseeded, as `dsim
  // sweep` does (explore/seed_runner.cpp), so the figures time what a sweep does per seed.
  std::ifstream file(s.scenario_file, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  const Scenario loaded = loader.load_json(parse_json_text(text.str(), s.scenario_file),
                                           s.scenario_file, {}, std::nullopt);
  uint64_t seeds = 0, events = 0, passed = 0, trace_lines = 0, trace_bytes = 0;
  double cpu_s = 0, wall_s = 0;
  std::string family;
  while (seeds < static_cast<uint64_t>(s.min_seeds) || cpu_s < s.cpu_budget_s) {
    ++seeds;
    double cpu0 = cpu_seconds(), wall0 = wall_seconds();
    const Scenario scenario = reseeded(loaded, seeds);
    RunOptions options;
    options.trace_path = trace_path;
    options.summary = false;  // as a sweep's seed: nobody reads a summary
    RunReport r = run_scenario(scenario, options);
    cpu_s += cpu_seconds() - cpu0;
    wall_s += wall_seconds() - wall0;
    if (r.exit_code == 0) ++passed;
    events += r.result.events;
    family = scenario.family->name;
    if (!trace_path.empty()) {  // counted outside the timed part
      trace_lines += count_lines(trace_path);
      trace_bytes += std::filesystem::file_size(trace_path);
    }
  }
  if (!trace_path.empty()) std::filesystem::remove(trace_path);
  Json out = json_object("scenario", s.scenario_file,
                         "family", family,
                         "trace", !trace_path.empty(),
                         "seeds", seeds,
                         "seeds_passed", passed,
                         "events", events,
                         "cpu_s", cpu_s,
                         "wall_s", wall_s,
                         "events_per_cpu_s", static_cast<double>(events) / cpu_s,
                         "seeds_per_cpu_s", static_cast<double>(seeds) / cpu_s);
  if (!trace_path.empty()) {
    out["trace_lines"] = trace_lines;
    out["trace_bytes"] = trace_bytes;
    out["trace_lines_per_cpu_s"] = static_cast<double>(trace_lines) / cpu_s;
  }
  out["baseline_rss_kib"] = baseline_kib;
  out["peak_rss_kib"] = peak_rss_kib();  // before the counting run below
  if (trace_path.empty()) out["in_flight"] = message_footprint(s.scenario_file);
  return out;
}

}  // namespace dsim::bench
