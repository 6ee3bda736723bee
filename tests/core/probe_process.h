// A scriptable process for driving the simulator in tests: it sends what the test plans
// (at local times, via timers), and records everything it receives with the global time.
// Typed like any family: its messages are ProbeMessage<"name"> structs, its timers the
// ProbeTimer enum, and the disk records tests write are NumberRecord and TextRecord.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/durable_store.h"
#include "core/process.h"
#include "core/simulation.h"

namespace dsim::testing {

// A message name as a template argument: ProbeMessage<"job">.
template <size_t N>
struct MessageName {
  constexpr MessageName(const char (&text)[N]) { std::copy_n(text, N, chars); }  // NOLINT: implicit
  constexpr std::string_view view() const { return std::string_view(chars, N - 1); }
  char chars[N];
};

// What a probe sends: a message of the name the test plans (stalls and asserts go by the
// name), numbered by its entry in the plan.
template <MessageName Name>
struct ProbeMessage {
  static constexpr std::string_view kName = Name.view();
  int64_t seq = 0;
  void write_fields(Json& out) const { out["seq"] = seq; }
};
template <MessageName Name>
Message probe_message(int64_t seq) {
  return ProbeMessage<Name>{seq};
}

// The probe's timers, and those tests set through its hooks. Numbered well apart from 0 so
// that a test's own timer enum (whose codes start at 0) never reads as one of these.
enum class ProbeTimer : uint32_t { kSend = 1000, kWork, kKeepalive, kTick };
inline std::string_view timer_name(ProbeTimer k) {
  switch (k) {
    case ProbeTimer::kSend: return "send";
    case ProbeTimer::kWork: return "work";
    case ProbeTimer::kKeepalive: return "keepalive";
    case ProbeTimer::kTick: return "tick";
  }
  return "?";
}

// Disk records for tests: a number, a text.
struct NumberRecord {
  static constexpr std::string_view kName = "number";
  int64_t value = 0;
  void write_fields(Json& out) const { out["value"] = value; }
};
struct TextRecord {
  static constexpr std::string_view kName = "text";
  std::string text;
  void write_fields(Json& out) const { out["text"] = text; }
};
// The number under `key`; nullopt when there is none.
inline std::optional<int64_t> number_at(const DurableStore& s, const std::string& key) {
  const Payload* r = s.get_record(key);
  if (r == nullptr) return std::nullopt;
  return r->as<NumberRecord>()->value;
}
inline std::optional<std::string> text_at(const DurableStore& s, const std::string& key) {
  const Payload* r = s.get_record(key);
  if (r == nullptr) return std::nullopt;
  return r->as<TextRecord>()->text;
}
// The texts appended to `log`, in order.
inline std::vector<std::string> texts_in(const DurableStore& s, const std::string& log) {
  std::vector<std::string> out;
  for (const Payload& r : s.read_records(log)) out.push_back(r.as<TextRecord>()->text);
  return out;
}

struct Received {
  Instant at;  // global time of delivery
  NodeId to, from;
  std::string type;
  Message message;
};

struct PlannedSend {
  Duration after;  // local time after start
  NodeId from, to;
  Message (*make)(int64_t seq);  // probe_message<"name">
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
          ctx.set_timer(log_->plan[i].after, ProbeTimer::kSend, static_cast<int64_t>(i));
        }
      }
    }
    if (log_->on_start) log_->on_start(ctx);
  }
  void on_message(Context& ctx, NodeId from, const Message& m) override {
    log_->received.push_back({log_->sim->now(), ctx.self(), from, std::string(m.type()), m});
  }
  void on_timer(Context& ctx, const Timer& t) override {
    log_->timers.push_back({ctx.self(), std::string(t.kind)});
    if (t.is(ProbeTimer::kSend)) {
      const PlannedSend& p = log_->plan[static_cast<size_t>(t.arg)];
      ctx.send(p.to, p.make(t.arg));
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
