#include "scenario/memory_estimate.h"

#include <algorithm>
#include <cmath>

#include "core/byte_size.h"
#include "core/json_object.h"
#include "scenario/scenario.h"

namespace dsim {
namespace {

// The dsim process before any scenario: code, libraries, allocator arenas, the trace
// writer's buffer. Measured: 4-6 MiB peak RSS for a 5-node run.
constexpr double kProcessBytes = 8.0 * (1 << 20);
// Per node outside the core's node slot: its name and role, the name index, the
// process object's own fixed part. Measured with phold (no per-node state to speak of).
constexpr double kNodeOverheadBytes = 224;
// Per scheduled fault: its action, description and trace data.
constexpr double kFaultBytes = 512;

double mean_latency_ns(const LatencyModel& m) {
  // A heavy tail (pareto with shape <= 1) has no mean: the cap bounds every draw.
  double mean = m.mean_ns();
  double cap = static_cast<double>(m.floor.ns + m.cap.ns);
  return std::isfinite(mean) ? std::min(mean, cap) : cap;
}

// The slowest link's mean delay, plus the most a slow-link fault may add (it may cover
// every link while it lasts).
double latency_for_estimate(const Scenario& s) {
  double slowest = mean_latency_ns(s.sim.link_defaults.latency);
  for (const LinkRule& rule : s.sim.link_rules) {
    slowest = std::max(slowest, mean_latency_ns(rule.config.latency));
  }
  double extra = 0;
  for (const FaultAction& f : s.scripted_faults) {
    if (f.kind == FaultAction::Kind::kLinkSlow) extra = std::max(extra, static_cast<double>(f.extra_latency.ns));
  }
  if (s.nemesis && std::count(s.nemesis->kinds.begin(), s.nemesis->kinds.end(), "link_slow") > 0) {
    extra = std::max(extra, static_cast<double>(s.nemesis->extra_latency_max.ns));
  }
  return slowest + extra;
}

double nemesis_faults(const NemesisConfig& n) {
  if (n.stop <= n.start || n.mean_interval.ns <= 0) return 0;
  return 2.0 * static_cast<double>(n.stop.ns - n.start.ns) / static_cast<double>(n.mean_interval.ns);
}

}  // namespace

MemoryEstimate estimate_memory(const Scenario& s) {
  const double nodes = static_cast<double>(s.cluster.size());
  const double latency_ns = latency_for_estimate(s);
  FamilyLoad load = s.protocol->estimate_load(LoadInputs{s.cluster, s.duration, latency_ns});

  MemoryEstimate e;
  double faults = static_cast<double>(s.scripted_faults.size()) + (s.nemesis ? nemesis_faults(*s.nemesis) : 0);
  e.fixed_bytes = kProcessBytes +
                  nodes * (static_cast<double>(Simulation::bytes_per_node()) + kNodeOverheadBytes) +
                  faults * kFaultBytes;
  e.family_bytes = load.state_bytes;
  e.messages_per_second = load.messages_per_second;
  // Duplicates travel as copies of their own.
  double duplicate = s.sim.link_defaults.duplicate;
  for (const LinkRule& rule : s.sim.link_rules) duplicate = std::max(duplicate, rule.config.duplicate);
  e.in_flight_messages = std::max(load.messages_per_second * latency_ns * 1e-9, load.burst_messages) *
                         (1 + duplicate);
  double per_message = static_cast<double>(Simulation::bytes_per_message()) +
                       (load.body_bytes > 0
                            ? static_cast<double>(sizeof(Message)) + load.body_bytes
                            : 0.0);
  e.in_flight_bytes = e.in_flight_messages * per_message;
  e.timer_bytes = load.timers_pending * static_cast<double>(Simulation::bytes_per_timer());
  return e;
}

Json MemoryEstimate::to_json() const {
  return json_object("total_bytes", static_cast<uint64_t>(total_bytes()),
                     "fixed_bytes", static_cast<uint64_t>(fixed_bytes),
                     "family_bytes", static_cast<uint64_t>(family_bytes),
                     "in_flight_messages", static_cast<uint64_t>(in_flight_messages),
                     "in_flight_bytes", static_cast<uint64_t>(in_flight_bytes),
                     "timer_bytes", static_cast<uint64_t>(timer_bytes),
                     "messages_per_second", static_cast<uint64_t>(messages_per_second));
}

std::string MemoryEstimate::describe() const {
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.3g", messages_per_second);
  char msgs[32];
  std::snprintf(msgs, sizeof msgs, "%.3g", in_flight_messages);
  return format_byte_size(total_bytes()) + " (fixed and nodes " + format_byte_size(fixed_bytes) +
         ", protocol state " + format_byte_size(family_bytes) + ", " + msgs +
         " messages in flight " + format_byte_size(in_flight_bytes) + ", timers " +
         format_byte_size(timer_bytes) + "; " + rate + " messages per simulated second)";
}

}  // namespace dsim
