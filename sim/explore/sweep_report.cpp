#include "explore/sweep_report.h"

#include <algorithm>
#include <iomanip>
#include <ostream>

#include "core/json_object.h"
#include "core/rng.h"
#include "core/time.h"
#include "faults/nemesis.h"

namespace dsim::explore {
namespace {

constexpr size_t kSeedsListed = 20;

std::string describe_outcome(const SweepRecord& r) {
  std::string s = r.failed ? "fail " + r.check + " at " + format_duration(Duration{r.at_ns})
                           : std::string("pass");
  return s + ", " + std::to_string(r.events) + " events, stopped by " + r.stopped_by;
}

std::string seed_list(const std::vector<uint64_t>& seeds) {
  std::string out;
  for (size_t i = 0; i < seeds.size() && i < kSeedsListed; ++i) {
    out += (i ? " " : "") + std::to_string(seeds[i]);
  }
  if (seeds.size() > kSeedsListed) out += " ... (" + std::to_string(seeds.size()) + " in all)";
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  if (v.empty()) return "(none)";
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Failing checks, most failures first (then by name).
template <typename Map>
std::vector<typename Map::const_iterator> by_count(const Map& failures) {
  std::vector<typename Map::const_iterator> order;
  for (auto it = failures.begin(); it != failures.end(); ++it) order.push_back(it);
  std::stable_sort(order.begin(), order.end(), [](auto a, auto b) {
    return a->second.seeds.size() > b->second.seeds.size();
  });
  return order;
}

}  // namespace

uint64_t outcome_fingerprint(const SweepRecord& r) {
  Json j = to_json(r);
  j.erase("wall_us");
  j.erase("version");
  j.erase("replay");
  return fnv1a64(j.dump());
}

SweepReport::OfferedChecks offered_checks_of(const std::vector<ProtocolFamily>& families) {
  return [&families](const std::string& protocol) {
    for (const ProtocolFamily& f : families) {
      if (f.name == protocol) return check_names(f);
    }
    return std::vector<std::string>{};
  };
}

SweepReport::SweepReport(OfferedChecks offered_checks) : offered_checks_(std::move(offered_checks)) {}

bool SweepReport::add(const SweepRecord& r, const std::string& source) {
  auto key = std::make_pair(r.scenario_hash, r.seed);
  uint64_t fingerprint = outcome_fingerprint(r);
  auto it = keys_.find(key);
  if (it != keys_.end()) {
    ++duplicates_;
    if (it->second.fingerprint != fingerprint) {
      conflicts_.push_back(Conflict{r.seed, r.scenario_hash, it->second.source, source,
                                    it->second.says, describe_outcome(r)});
    }
    return false;
  }
  keys_.emplace(key, Seen{fingerprint, source, describe_outcome(r)});
  aggregate(r);
  return true;
}

uint64_t SweepReport::failures() const {
  uint64_t n = 0;
  for (const auto& [hash, t] : scenarios_) n += t.failed;
  return n;
}

void SweepReport::aggregate(const SweepRecord& r) {
  ScenarioTotals& t = scenarios_[r.scenario_hash];
  t.name = r.scenario;
  t.protocol = r.protocol;
  ++t.seeds;
  t.seed_min = std::min(t.seed_min, r.seed);
  t.seed_max = std::max(t.seed_max, r.seed);
  t.wall_us += r.wall_us;
  t.versions.insert(r.version);
  if (r.bound_hit()) ++t.bound_hits;
  if (r.failed) {
    ++t.failed;
    CheckFailures& f = t.failures[r.check];
    f.seeds.insert(std::upper_bound(f.seeds.begin(), f.seeds.end(), r.seed), r.seed);
    f.examples.emplace(r.seed, r);
    if (f.examples.size() > kExamplesPerCheck) f.examples.erase(std::prev(f.examples.end()));
  }
  for (const std::string& kind : r.fault_mix) ++t.fault_kinds[kind].runs_enabled;
  for (const auto& [kind, n] : r.faults) {
    Usage& u = t.fault_kinds[kind];
    u.runs += n > 0 ? 1 : 0;
    u.total += n;
  }
  for (const auto& [name, n] : r.proto_events) {
    Usage& u = t.proto_events[name];
    u.runs += n > 0 ? 1 : 0;
    u.total += n;
  }
  for (const std::string& check : r.checks) ++t.checks[check].runs;
  if (r.failed) ++t.checks[r.check].total;
}

std::vector<std::string> SweepReport::fault_kinds_never_started(const ScenarioTotals& t) {
  // The default kinds always, and the in-node kinds (stall, disk_fail, disk_slow) only
  // where some run enabled them: a scenario that never asks for them is not missing them.
  std::vector<std::string> never;
  const auto& defaults = default_random_fault_kinds();
  for (const std::string& kind : random_fault_kinds()) {
    auto it = t.fault_kinds.find(kind);
    bool asked = std::find(defaults.begin(), defaults.end(), kind) != defaults.end() ||
                 (it != t.fault_kinds.end() && it->second.runs_enabled > 0);
    if (asked && (it == t.fault_kinds.end() || it->second.runs == 0)) never.push_back(kind);
  }
  return never;
}

std::vector<std::string> SweepReport::checks_never_run(const ScenarioTotals& t) const {
  std::vector<std::string> never;
  if (!offered_checks_) return never;
  for (const std::string& check : offered_checks_(t.protocol)) {
    if (t.checks.count(check) == 0) never.push_back(check);
  }
  return never;
}

Json SweepReport::scenario_json(const std::string& hash, const ScenarioTotals& t) const {
  Json s = Json::object();
  s["scenario"] = t.name;
  s["scenario_hash"] = hash;
  s["protocol"] = t.protocol;
  s["seeds"] = t.seeds;
  s["seed_min"] = t.seed_min;
  s["seed_max"] = t.seed_max;
  s["passed"] = t.seeds - t.failed;
  s["failed"] = t.failed;
  s["bound_hit"] = t.bound_hits;
  s["versions"] = t.versions;
  s["wall_seconds_in_runs"] = static_cast<double>(t.wall_us) / 1e6;
  Json failures = Json::array();
  for (auto it : by_count(t.failures)) {
    Json f = Json::object();
    f["check"] = it->first;
    f["count"] = it->second.seeds.size();
    f["seeds"] = it->second.seeds;
    Json examples = Json::array();
    for (const auto& [seed, r] : it->second.examples) {
      examples.push_back(json_object("seed", seed,
                                     "at_ns", r.at_ns,
                                     "nodes", r.nodes,
                                     "message", r.message,
                                     "fault_mix", r.fault_mix,
                                     "replay", r.replay));
    }
    f["examples"] = examples;
    failures.push_back(f);
  }
  s["failures_by_check"] = failures;
  auto usage = [](const std::map<std::string, Usage>& m, bool with_enabled) {
    Json out = Json::object();
    for (const auto& [name, u] : m) {
      Json e = Json::object();
      if (with_enabled) e["runs_enabled"] = u.runs_enabled;
      e["runs"] = u.runs;
      e["total"] = u.total;
      out[name] = e;
    }
    return out;
  };
  Json coverage = Json::object();
  coverage["runs"] = t.seeds;
  coverage["fault_kinds"] = usage(t.fault_kinds, true);
  coverage["fault_kinds_never_started"] = fault_kinds_never_started(t);
  coverage["proto_events"] = usage(t.proto_events, false);
  Json checks = Json::object();
  for (const auto& [name, u] : t.checks) checks[name] = json_object("runs", u.runs,
                                                                    "failed", u.total);
  coverage["checks"] = checks;
  coverage["checks_never_run"] = checks_never_run(t);
  s["coverage"] = coverage;
  return s;
}

namespace {
bool is_sweep_report_head(std::string_view head) {
  return head.rfind("{\n  \"format\": \"dsim-sweep-report\"", 0) == 0;
}
}  // namespace

const OutputKind kSweepReportOutput{"sweep report", is_sweep_report_head, /*stdout_allowed=*/false};

Json SweepReport::to_json() const {
  Json j = Json::object();
  j["format"] = "dsim-sweep-report";
  j["version"] = 1;
  j["records"] = keys_.size();
  j["failed"] = failures();
  j["duplicates"] = duplicates_;
  Json conflicts = Json::array();
  for (const Conflict& c : conflicts_) {
    conflicts.push_back(json_object("scenario_hash", c.scenario_hash,
                                    "seed", c.seed,
                                    "first_source", c.first_source,
                                    "first_says", c.first_says,
                                    "other_source", c.other_source,
                                    "other_says", c.other_says));
  }
  j["conflicts"] = conflicts;
  Json scenarios = Json::array();
  for (const auto& [hash, t] : scenarios_) scenarios.push_back(scenario_json(hash, t));
  j["scenarios"] = scenarios;
  return j;
}

void SweepReport::print_scenario(std::ostream& out, const std::string& hash,
                                 const ScenarioTotals& t) const {
  out << "scenario " << t.name << " (" << t.protocol << ", hash " << hash << "): " << t.seeds
      << " seeds in " << t.seed_min << ".." << t.seed_max << ", " << (t.seeds - t.failed)
      << " passed, " << t.failed << " failed";
  if (t.bound_hits > 0) out << ", " << t.bound_hits << " stopped by a bound (liveness unjudged)";
  out << "\n";
  if (!t.failures.empty()) out << "failing seeds, by check:\n";
  for (auto it : by_count(t.failures)) {
    out << "  " << it->first << " (" << it->second.seeds.size()
        << "): " << seed_list(it->second.seeds) << "\n";
    for (const auto& [seed, r] : it->second.examples) {
      out << "    seed " << seed << " at " << format_duration(Duration{r.at_ns});
      if (!r.nodes.empty()) out << " (" << joined(r.nodes) << ")";
      out << ": " << r.message << "\n      faults enabled: " << joined(r.fault_mix)
          << "\n      replay: " << r.replay << "\n";
    }
  }
  out << "coverage over " << t.seeds << " runs:\n  fault kind           enabled in   started in   started\n";
  for (const auto& [kind, u] : t.fault_kinds) {
    out << "    " << std::left << std::setw(18) << kind << std::right << std::setw(11)
        << u.runs_enabled << std::setw(13) << u.runs << std::setw(10) << u.total << "\n";
  }
  out << "    never started: " << joined(fault_kinds_never_started(t)) << "\n";
  // Rarest first: what a sweep barely exercised is what a reader needs to see.
  std::vector<std::pair<std::string, Usage>> events(t.proto_events.begin(), t.proto_events.end());
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.second.runs < b.second.runs; });
  out << "  protocol event (rarest first)        seen in      times\n";
  for (const auto& [name, u] : events) {
    out << "    " << std::left << std::setw(32) << name << std::right << std::setw(10) << u.runs
        << std::setw(11) << u.total << "\n";
  }
  if (events.empty()) out << "    (no protocol events)\n";
  out << "  check                      ran in     failed\n";
  for (const auto& [name, u] : t.checks) {
    out << "    " << std::left << std::setw(22) << name << std::right << std::setw(10) << u.runs
        << std::setw(11) << u.total << "\n";
  }
  out << "    offered but never run: " << joined(checks_never_run(t)) << "\n";
  double mean_ms = t.seeds == 0 ? 0.0 : static_cast<double>(t.wall_us) / 1e3 / static_cast<double>(t.seeds);
  out << "wall time in runs: " << std::fixed << std::setprecision(2)
      << static_cast<double>(t.wall_us) / 1e6 << " s (" << mean_ms << " ms per seed)\n";
  out.unsetf(std::ios::floatfield);
}

void SweepReport::print(std::ostream& out) const {
  // Scenarios with failures first.
  for (int with_failures = 1; with_failures >= 0; --with_failures) {
    for (const auto& [hash, t] : scenarios_) {
      if ((t.failed > 0) == (with_failures == 1)) print_scenario(out, hash, t);
    }
  }
  if (scenarios_.empty()) out << "no records\n";
  if (duplicates_ > 0) out << duplicates_ << " duplicate records counted once\n";
  for (const Conflict& c : conflicts_) {
    out << "CONFLICT seed " << c.seed << " (scenario hash " << c.scenario_hash << "): "
        << c.first_source << " says " << c.first_says << "; " << c.other_source << " says "
        << c.other_says << "\n";
  }
}

}  // namespace dsim::explore
