// A scriptable process for driving the simulator in tests: it sends what the test plans
// (at local times, via timers), and records everything it receives with the global time.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "core/process.h"
#include "core/simulation.h"

namespace dsim::testing {

struct Received {
  Instant at;  // global time of delivery
  NodeId to, from;
  std::string type;
  Json body;
};

struct PlannedSend {
  Duration after;  // local time after start
  NodeId from, to;
  std::string type;
};

// Shared by all probes of one simulation.
struct ProbeLog {
  Simulation* sim = nullptr;
  std::vector<Received> received;
  std::vector<std::pair<NodeId, uint32_t>> starts;  // (node, incarnation)
  std::vector<std::pair<NodeId, std::string>> timers;
  std::vector<PlannedSend> plan;
  // Optional per-node hook run at start (e.g. to write storage).
  std::function<void(Context&)> on_start;
  std::function<void(Context&, const Timer&)> on_timer;
};

class ProbeProcess final : public Process {
 public:
  explicit ProbeProcess(ProbeLog* log) : log_(log) {}
  void on_start(Context& ctx) override {
    log_->starts.push_back({ctx.self(), ctx.incarnation()});
    if (ctx.incarnation() == 0) {
      for (size_t i = 0; i < log_->plan.size(); ++i) {
        if (log_->plan[i].from == ctx.self()) {
          ctx.set_timer(log_->plan[i].after, "send", static_cast<int64_t>(i));
        }
      }
    }
    if (log_->on_start) log_->on_start(ctx);
  }
  void on_message(Context& ctx, NodeId from, const Message& m) override {
    log_->received.push_back({log_->sim->now(), ctx.self(), from, std::string(m.type()), m.body()});
  }
  void on_timer(Context& ctx, const Timer& t) override {
    log_->timers.push_back({ctx.self(), std::string(t.kind)});
    if (t.kind == "send") {
      const PlannedSend& p = log_->plan[static_cast<size_t>(t.arg)];
      ctx.send(p.to, Message(p.type, Json{{"seq", t.arg}}));
    } else if (log_->on_timer) {
      log_->on_timer(ctx, t);
    }
  }

 private:
  ProbeLog* log_;
};

inline Cluster make_cluster(size_t n) {
  Cluster c;
  for (size_t i = 0; i < n; ++i) c.add("n" + std::to_string(i), "node");
  return c;
}

inline LinkConfig constant_link(Duration latency) {
  LinkConfig l;
  l.latency.kind = LatencyModel::Kind::kConstant;
  l.latency.value = latency;
  return l;
}

// A simulation of `n` probes sharing `log`.
inline std::unique_ptr<Simulation> make_probe_sim(size_t n, ProbeLog& log, SimulationConfig config) {
  auto sim = std::make_unique<Simulation>(make_cluster(n), std::move(config),
                                          [&log](NodeId) { return std::make_unique<ProbeProcess>(&log); });
  log.sim = sim.get();
  return sim;
}

}  // namespace dsim::testing
