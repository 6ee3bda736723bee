#include "bench/phold_sweep.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "bench/child_process.h"
#include "bench/child_run.h"
#include "bench/phold_workload.h"
#include "core/json_object.h"

namespace dsim::bench {
namespace {

int64_t duration_for(const SweepSettings& s, uint64_t nodes, uint64_t events) {
  double ns = static_cast<double>(events) * static_cast<double>(kPholdDelayMean_ns) /
              static_cast<double>(nodes * s.tokens_per_node);
  int64_t whole_us = static_cast<int64_t>(ns) / 1000 * 1000;  // readable in the report
  return std::max(s.min_duration_ns, whole_us);
}

uint64_t event_budget(const SweepSettings& s, const std::string& contender) {
  if (contender == kDsimTrace) return s.events_trace;
  if (contender == kSimGrid) return s.events_simgrid;
  if (contender == kPython) return s.events_python;
  return s.events_native;
}

uint64_t expected_events(const SweepSettings& s, uint64_t nodes, int64_t duration_ns) {
  return static_cast<uint64_t>(static_cast<double>(nodes * s.tokens_per_node) *
                               static_cast<double>(duration_ns) / kPholdDelayMean_ns);
}

std::vector<std::string> command_for(const SweepSettings& s, const std::string& contender,
                                     uint64_t nodes, uint64_t tokens, int64_t duration_ns) {
  std::vector<std::string> args = {std::to_string(nodes), std::to_string(tokens),
                                   std::to_string(duration_ns), std::to_string(s.seed)};
  std::vector<std::string> cmd;
  if (contender == kSimGrid) {
    cmd = {s.simgrid_exe};
    cmd.insert(cmd.end(), args.begin(), args.end());
    cmd.insert(cmd.end(), s.simgrid_config.begin(), s.simgrid_config.end());
  } else if (contender == kPython) {
    cmd = {s.python, s.python_script};
    cmd.insert(cmd.end(), args.begin(), args.end());
  } else {
    cmd = {s.self_exe, "run-one", contender};
    cmd.insert(cmd.end(), args.begin(), args.end());
    cmd.push_back(s.scratch_dir);
  }
  return cmd;
}

double events_per_cpu_s(const Json& r) {
  return r["events"].get<double>() / std::max(1e-9, r["run_cpu_s"].get<double>());
}

int64_t used_kib(const Json& r) {
  return r["peak_rss_kib"].get<int64_t>() - r["baseline_rss_kib"].get<int64_t>();
}

// What the previous node count taught about a contender, to decide whether to go on.
struct History {
  double events_per_cpu_s = 0;
  double kib_per_pending_event = 0;  // all its memory, spread over the pending events
  std::string stopped;               // non-empty once it stopped, with the reason
};

std::string too_costly(const SweepSettings& s, const History& h, uint64_t events,
                       uint64_t pending) {
  if (h.events_per_cpu_s <= 0) return "";
  double cpu_s = static_cast<double>(events) / h.events_per_cpu_s;
  double kib = h.kib_per_pending_event * static_cast<double>(pending);
  char why[160];
  if (cpu_s > s.time_budget_s) {
    std::snprintf(why, sizeof why, "too slow: predicted %.0f s of CPU (budget %.0f s)", cpu_s,
                  s.time_budget_s);
    return why;
  }
  if (kib > static_cast<double>(s.memory_budget_kib)) {
    std::snprintf(why, sizeof why, "too big: predicted %.1f GiB (budget %.1f GiB)",
                  kib / (1 << 20), static_cast<double>(s.memory_budget_kib) / (1 << 20));
    return why;
  }
  return "";
}

// Runs one contender at one size (best of `repeats`); records its history.
Json measure(const SweepSettings& s, const std::string& contender, uint64_t nodes,
             int64_t duration_ns, History& h) {
  if (!h.stopped.empty()) return json_object("skipped", h.stopped);
  uint64_t events = expected_events(s, nodes, duration_ns);
  uint64_t pending = nodes * s.tokens_per_node;
  std::string why = too_costly(s, h, events, pending);
  if (!why.empty()) {
    h.stopped = why + " at " + std::to_string(nodes) + " nodes";
    return json_object("skipped", h.stopped);
  }
  bool short_run = h.events_per_cpu_s > 0 && static_cast<double>(events) / h.events_per_cpu_s < 2;
  int repeats = short_run || nodes <= 10000 ? s.repeats_small : 1;
  Json best;
  for (int i = 0; i < repeats; ++i) {
    std::fprintf(stderr, "  %-10s %8llu nodes, %s simulated%s ... ", contender.c_str(),
                 static_cast<unsigned long long>(nodes), format_duration(Duration{duration_ns}).c_str(),
                 repeats > 1 ? (" (" + std::to_string(i + 1) + "/" + std::to_string(repeats) + ")").c_str() : "");
    std::string error;
    auto report = run_child(command_for(s, contender, nodes, s.tokens_per_node, duration_ns), error);
    if (!report) {
      std::fprintf(stderr, "failed: %s\n", error.c_str());
      h.stopped = "failed at " + std::to_string(nodes) + " nodes: " + error;
      return json_object("skipped", h.stopped);
    }
    std::fprintf(stderr, "%.2fM events/s\n", events_per_cpu_s(*report) / 1e6);
    if (best.is_null() || events_per_cpu_s(*report) > events_per_cpu_s(best)) best = *report;
  }
  best["events_per_cpu_s"] = events_per_cpu_s(best);
  best["events_per_wall_s"] =
      best["events"].get<double>() / std::max(1e-9, best["run_wall_s"].get<double>());
  best["used_mib"] = static_cast<double>(used_kib(best)) / 1024;
  best["repeats"] = repeats;
  h.events_per_cpu_s = events_per_cpu_s(best);
  h.kib_per_pending_event = static_cast<double>(used_kib(best)) / static_cast<double>(pending);
  return best;
}

Json ratios(const Json& runs) {
  Json out = Json::object();
  auto rate = [&](const char* c) -> double {
    if (!runs.contains(c) || !runs[c].contains("events_per_cpu_s")) return 0;
    return runs[c]["events_per_cpu_s"].get<double>();
  };
  double dsim = rate(kDsim);
  if (dsim <= 0) return out;
  for (const char* other : {kBare, kSimGrid, kPython}) {
    if (rate(other) > 0) out[std::string("dsim_over_") + other] = dsim / rate(other);
  }
  if (rate(kDsimTrace) > 0) out["dsim_trace_over_dsim"] = rate(kDsimTrace) / dsim;
  return out;
}

}  // namespace

Json run_phold_sweep(const SweepSettings& s) {
  Json points = Json::array();
  std::map<std::string, History> history;
  for (uint64_t nodes : s.node_counts) {
    std::fprintf(stderr, "PHOLD, %llu nodes x %llu tokens:\n", static_cast<unsigned long long>(nodes),
                 static_cast<unsigned long long>(s.tokens_per_node));
    int64_t native_ns = duration_for(s, nodes, s.events_native);
    Json runs = Json::object();
    for (const std::string& c : s.contenders) {
      // dsim and the bare loop share a duration: the very same events, side by side.
      int64_t d = c == kDsim || c == kBare ? native_ns : duration_for(s, nodes, event_budget(s, c));
      runs[c] = measure(s, c, nodes, d, history[c]);
    }
    points.push_back(json_object("nodes", nodes,
                                 "tokens_per_node", s.tokens_per_node,
                                 "pending_events", nodes * s.tokens_per_node,
                                 "runs", runs,
                                 "ratios", ratios(runs)));
  }
  return points;
}

Json run_memory_split(const SweepSettings& s, const std::vector<uint64_t>& node_counts) {
  // Short runs: the memory is all there once the initial tokens are sent.
  const int64_t duration_ns = Duration::millis(2).ns;
  const uint64_t many = s.tokens_per_node;
  Json out = Json::array();
  if (many < 2) return out;
  for (uint64_t nodes : node_counts) {
    for (const char* contender : {kDsim, kBare}) {
      std::fprintf(stderr, "memory: %s, %llu nodes x 1 and x %llu tokens\n", contender,
                   static_cast<unsigned long long>(nodes), static_cast<unsigned long long>(many));
      std::string error;
      auto one = run_child(command_for(s, contender, nodes, 1, duration_ns), error);
      auto full = one ? run_child(command_for(s, contender, nodes, many, duration_ns), error)
                      : std::nullopt;
      if (!one || !full) {
        out.push_back(json_object("contender", contender, "nodes", nodes, "error", error));
        continue;
      }
      // used(T) = nodes * per_node + nodes * T * per_pending_event
      double kib1 = static_cast<double>(used_kib(*one));
      double kib_many = static_cast<double>(used_kib(*full));
      double per_event = (kib_many - kib1) * 1024 / static_cast<double>(nodes * (many - 1));
      double per_node = kib1 * 1024 / static_cast<double>(nodes) - per_event;
      out.push_back(json_object(
          "contender", contender,
          "nodes", nodes,
          "bytes_per_node", per_node,
          "bytes_per_pending_event", per_event,
          "used_mib_1_token", kib1 / 1024,
          "used_mib_" + std::to_string(many) + "_tokens", kib_many / 1024,
          "peak_rss_mib_" + std::to_string(many) + "_tokens",
          (*full)["peak_rss_kib"].get<double>() / 1024));
    }
  }
  return out;
}

}  // namespace dsim::bench
