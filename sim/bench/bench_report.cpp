#include "bench/bench_report.h"

#include <cstdio>

#include "bench/child_run.h"
#include "bench/machine_info.h"
#include "core/json_object.h"

namespace dsim::bench {
namespace {

const Json* run_of(const Json& point, const char* contender) {
  const Json& runs = point["runs"];
  if (!runs.contains(contender) || !runs[contender].contains("events_per_cpu_s")) return nullptr;
  return &runs[contender];
}

Json verdict(std::string target, double measured, double threshold, bool higher_is_better) {
  bool met = higher_is_better ? measured >= threshold : measured < threshold;
  return json_object("target", std::move(target),
                     "measured", measured,
                     "threshold", threshold,
                     "met", met);
}

std::string printf_string(const char* fmt, double a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, a);
  return buf;
}

}  // namespace

Json judge_targets(const Json& results) {
  Json out = Json::array();
  const Json none = Json::array();
  for (const Json& p : results.contains("phold") ? results["phold"] : none) {
    uint64_t n = p["nodes"];
    const Json& r = p["ratios"];
    if (r.contains("dsim_over_bare_loop")) {
      out.push_back(verdict("dsim >= 0.4x bare loop at " + std::to_string(n) + " nodes",
                            r["dsim_over_bare_loop"], 0.4, true));
    }
    if (n == 64 && r.contains("dsim_over_simgrid")) {
      out.push_back(verdict("dsim >= 20x SimGrid at 64 nodes", r["dsim_over_simgrid"], 20, true));
    }
    if (n == 64 && r.contains("dsim_over_python")) {
      out.push_back(verdict("dsim >= 5x plain Python at 64 nodes", r["dsim_over_python"], 5, true));
    }
    if (n == 1'000'000) {
      if (const Json* d = run_of(p, kDsim)) {
        double gib = (*d)["peak_rss_kib"].get<double>() / (1 << 20);
        out.push_back(verdict("PHOLD with 1,000,000 nodes in under 1 GiB (peak RSS, GiB)", gib,
                              1.0, false));
      }
    }
  }
  if (results.contains("trace_writer") && results["trace_writer"].contains("events_per_cpu_s")) {
    out.push_back(verdict("trace writing >= 1,000,000 events/s",
                          results["trace_writer"]["events_per_cpu_s"], 1e6, true));
  }
  if (results.contains("families")) {
    const Json& f = results["families"];
    for (const Json& r : f["runs"]) {
      if (!r.contains("ratio_to_phold") || r["family"] == "phold") continue;
      out.push_back(verdict(r["family"].get<std::string>() + " >= 0.3x PHOLD's events/s (" +
                                r["scenario"].get<std::string>().substr(
                                    r["scenario"].get<std::string>().rfind('/') + 1) + ")",
                            r["ratio_to_phold"], 0.3, true));
    }
    if (f.contains("trace") && f["trace"].contains("trace_lines_per_cpu_s")) {
      out.push_back(verdict("2PC run with the trace on >= 1,000,000 trace lines/s",
                            f["trace"]["trace_lines_per_cpu_s"], 1e6, true));
    }
    if (f.contains("sweep") && f["sweep"].contains("seconds_for_10000_seeds")) {
      out.push_back(verdict("10,000 seeds of the 2PC bank sweep, --jobs 2, in <= 60 s (s, extrapolated)",
                            f["sweep"]["seconds_for_10000_seeds"], 60, false));
    }
  }
  if (results.contains("ring_lookup")) {
    for (const Json& row : results["ring_lookup"]["rows"]) {
      if (!row.contains("target_ns")) continue;
      out.push_back(verdict(row["algorithm"].get<std::string>() + " lookup at 1000 nodes (ns)",
                            row["ns_per_lookup"], row["target_ns"], false));
    }
  }
  return out;
}

std::string format_table(const Json& results) {
  std::string t = machine_heading(results);
  t += "PHOLD events per CPU-second (M), T = ";
  t += std::to_string(results["settings"]["tokens_per_node"].get<uint64_t>()) + " tokens/node\n";
  const char* contenders[] = {kDsim, kDsimTrace, kBare, kSimGrid, kPython};
  char line[256];
  std::snprintf(line, sizeof line, "%10s", "nodes");
  t += line;
  for (const char* c : contenders) {
    std::snprintf(line, sizeof line, " %11s", c);
    t += line;
  }
  t += "   dsim/bare  dsim/simgrid  dsim/python   dsim MiB\n";
  for (const Json& p : results["phold"]) {
    std::snprintf(line, sizeof line, "%10llu", static_cast<unsigned long long>(p["nodes"].get<uint64_t>()));
    t += line;
    for (const char* c : contenders) {
      const Json* r = run_of(p, c);
      t += r ? printf_string(" %11.3f", (*r)["events_per_cpu_s"].get<double>() / 1e6) : "           -";
    }
    for (const char* k : {"dsim_over_bare_loop", "dsim_over_simgrid", "dsim_over_python"}) {
      t += p["ratios"].contains(k) ? printf_string(" %11.2fx", p["ratios"][k].get<double>())
                                   : "            -";
    }
    const Json* d = run_of(p, kDsim);
    t += d ? printf_string(" %10.1f", (*d)["used_mib"].get<double>()) : "          -";
    t += "\n";
  }
  t += "\nMemory (peak RSS over baseline, split by runs with 1 and T tokens/node):\n";
  for (const Json& m : results["memory"]) {
    if (m.contains("error")) continue;
    std::snprintf(line, sizeof line, "  %-10s %8llu nodes: %7.1f B/node, %6.1f B/pending event\n",
                  m["contender"].get<std::string>().c_str(),
                  static_cast<unsigned long long>(m["nodes"].get<uint64_t>()),
                  m["bytes_per_node"].get<double>(), m["bytes_per_pending_event"].get<double>());
    t += line;
  }
  if (results["trace_writer"].contains("events_per_cpu_s")) {
    const Json& w = results["trace_writer"];
    std::snprintf(line, sizeof line, "\nTrace writer: %.2fM lines/s, %.0f MiB/s\n",
                  w["events_per_cpu_s"].get<double>() / 1e6, w["mib_per_cpu_s"].get<double>());
    t += line;
  }
  if (results["seed_sweep"].contains("seeds_per_cpu_s")) {
    const Json& s = results["seed_sweep"];
    std::snprintf(line, sizeof line, "Seed sweep: %.1f seeds/s (%llu seeds of %s)\n",
                  s["seeds_per_cpu_s"].get<double>(),
                  static_cast<unsigned long long>(s["seeds"].get<uint64_t>()),
                  s["scenario"].get<std::string>().c_str());
    t += line;
  }
  if (results.contains("ring_lookup")) {
    t += "\nHash-ring lookups, CPU ns per lookup (key hashing included; the hash alone: " +
         printf_string("%.1f ns", results["ring_lookup"]["key_hash_ns"].get<double>()) + "):\n";
    std::string last;
    for (const Json& row : results["ring_lookup"]["rows"]) {
      const std::string algorithm = row["algorithm"].get<std::string>();
      if (algorithm != last) t += (last.empty() ? "  " : "\n  ") + algorithm + ":";
      last = algorithm;
      std::snprintf(line, sizeof line, " %llu nodes %.1f", static_cast<unsigned long long>(row["nodes"].get<uint64_t>()),
                    row["ns_per_lookup"].get<double>());
      t += line;
    }
    t += "\n";
  }
  if (results.contains("families")) t += "\n" + format_families_table(results);
  return t + format_targets(results);
}

std::string machine_heading(const Json& results) {
  if (!results.contains("machine")) return "";
  return "Machine: " + machine_line(results["machine"]) + "\n";
}

std::string format_families_table(const Json& results) {
  const Json& f = results["families"];
  std::string t =
      "Families: seeds 1, 2, ... of each scenario through run_scenario(), checks on, trace off;\n"
      "events per CPU-second (M), best of the rounds; x PHOLD: the median of the rounds'\n"
      "ratios (each round's run of the family to that round's of PHOLD), then the lowest and\n"
      "highest; bytes per in-flight message as Simulation::live_bytes() counts them, mean\n"
      "over the messages of seed 1's run\n";
  char line[320];
  std::snprintf(line, sizeof line, "  %-10s %-36s %7s %9s %8s %11s %9s %8s %8s\n", "family", "scenario",
                "seeds", "Mev/s", "x PHOLD", "(range)", "seeds/s", "B/msg", "body%");
  t += line;
  for (const Json& r : f["runs"]) {
    std::string scenario = r["scenario"].get<std::string>();
    scenario = scenario.substr(scenario.rfind("scenarios/") == std::string::npos ? 0 : scenario.rfind("scenarios/") + 10);
    if (!r.contains("events_per_cpu_s")) {
      std::snprintf(line, sizeof line, "  %-10s %-36s failed: %s\n", "?", scenario.c_str(),
                    r.value("error", std::string("?")).c_str());
      t += line;
      continue;
    }
    const Json& m = r["in_flight"];
    double with_fields = m["messages"].get<double>() > 0
                             ? 100.0 * m["with_fields"].get<double>() / m["messages"].get<double>()
                             : 0.0;
    char ratio[48] = "       -           -";  // no round with both runs: no ratio
    if (r.contains("ratio_to_phold")) {
      std::snprintf(ratio, sizeof ratio, "%7.2fx %5.2f-%-5.2f", r["ratio_to_phold"].get<double>(),
                    r["ratio_to_phold_min"].get<double>(), r["ratio_to_phold_max"].get<double>());
    }
    std::snprintf(line, sizeof line, "  %-10s %-36s %7llu %9.3f %s %9.1f %8.1f %7.0f%%\n",
                  r["family"].get<std::string>().c_str(), scenario.c_str(),
                  static_cast<unsigned long long>(r["seeds"].get<uint64_t>()),
                  r["events_per_cpu_s"].get<double>() / 1e6, ratio,
                  r["seeds_per_cpu_s"].get<double>(), m["bytes_per_message"].get<double>(), with_fields);
    t += line;
  }
  if (f.contains("trace") && f["trace"].contains("trace_lines_per_cpu_s")) {
    const Json& r = f["trace"];
    std::snprintf(line, sizeof line,
                  "  with the trace on (%s): %.2fM trace lines/s, %.2fM events/s, %.0f MiB/s\n",
                  r["family"].get<std::string>().c_str(), r["trace_lines_per_cpu_s"].get<double>() / 1e6,
                  r["events_per_cpu_s"].get<double>() / 1e6,
                  r["trace_bytes"].get<double>() / r["cpu_s"].get<double>() / (1 << 20));
    t += line;
  }
  if (f.contains("sweep") && f["sweep"].contains("seeds_per_wall_s")) {
    const Json& r = f["sweep"];
    std::snprintf(line, sizeof line,
                  "  %s:\n    %.1f s wall, %.1f seeds/s (10,000 seeds: about %.0f s); %.1f seeds per CPU-s; exit %d\n",
                  r["command"].get<std::string>().c_str(), r["wall_s"].get<double>(),
                  r["seeds_per_wall_s"].get<double>(), r["seconds_for_10000_seeds"].get<double>(),
                  r["seeds_per_cpu_s"].get<double>(), r["exit_code"].get<int>());
    t += line;
  } else if (f.contains("sweep")) {
    t += "  sweep failed: " + f["sweep"].value("error", std::string("?")) + "\n";
  }
  return t;
}

std::string format_targets(const Json& results) {
  std::string t = "\nTargets:\n";
  char line[320];
  for (const Json& v : results["targets"]) {
    std::snprintf(line, sizeof line, "  [%s] %s: %.3g (threshold %.3g)\n",
                  v["met"].get<bool>() ? "met   " : "MISSED", v["target"].get<std::string>().c_str(),
                  v["measured"].get<double>(), v["threshold"].get<double>());
    t += line;
  }
  return t;
}

}  // namespace dsim::bench
