#include "protocols/heartbeat/heartbeat.h"

#include <map>
#include <vector>

#include "core/json_object.h"

namespace dsim {
namespace {

struct HeartbeatSettings {
  Duration interval;
  Duration timeout;
};

class HeartbeatProcess final : public Process {
 public:
  explicit HeartbeatProcess(HeartbeatSettings s) : s_(s) {}

  void on_start(Context& ctx) override {
    const size_t n = ctx.cluster().size();
    last_heard_.assign(n, ctx.now());
    suspected_.assign(n, false);
    tick(ctx);
  }

  void on_message(Context& ctx, NodeId from, const Message& m) override {
    if (m.type() == "ping") ctx.send(from, Message("pong", m.body()));
    if (m.type() != "pong") return;
    last_heard_[from] = ctx.now();
    if (suspected_[from]) {
      suspected_[from] = false;
      ctx.trace("trust", json_object("peer", ctx.cluster().name(from)));
    }
  }

  void on_timer(Context& ctx, const Timer&) override { tick(ctx); }

 private:
  void tick(Context& ctx) {
    ++round_;
    const Instant now = ctx.now();
    for (NodeId peer = 0; peer < ctx.cluster().size(); ++peer) {
      if (peer == ctx.self()) continue;
      ctx.send(peer, Message("ping", json_object("round", round_)));
      // Local clock arithmetic: a jump or drift on this node bends its judgement, as it
      // would on a real machine.
      if (!suspected_[peer] && now - last_heard_[peer] > s_.timeout) {
        suspected_[peer] = true;
        ctx.trace("suspect", json_object("peer", ctx.cluster().name(peer),
                                         "silent_ns", (now - last_heard_[peer]).ns));
      }
    }
    ctx.set_timer(s_.interval, "tick");
  }

  HeartbeatSettings s_;
  int64_t round_ = 0;
  std::vector<Instant> last_heard_;
  std::vector<bool> suspected_;
};

// After the faults have stopped for long enough, every running node must trust every
// other running node, and suspect every node that has been down for long enough.
class SettledViewCheck final : public Checker {
 public:
  SettledViewCheck(size_t nodes, Duration bound)
      : bound_(bound), suspects_(nodes, std::vector<bool>(nodes, false)),
        down_since_(nodes, Instant::max()) {}
  std::string_view name() const override { return "settled_view"; }

  void observe(const Observation& o, CheckerView& view) override {
    if (o.event == "suspect" || o.event == "trust") {
      NodeId peer = *view.cluster().find(o.fields().at("peer").get<std::string>());
      bool suspect = o.event == "suspect";
      suspects_[o.node][peer] = suspect;
      if (suspect && view.node_up(peer)) ++false_suspicions_;
      if (suspect && !view.node_up(peer) && down_since_[peer] != Instant::max()) {
        detection_ns_.push_back((o.at - down_since_[peer]).ns);
      }
    } else if (o.event == "crash") {
      down_since_[o.node] = o.at;
      // A restarted node starts with a fresh view.
      suspects_[o.node].assign(suspects_.size(), false);
    } else if (o.event == "restart") {
      down_since_[o.node] = Instant::max();
    }
  }

  void finish(CheckerView& view) override {
    if (!view.ran_to_end()) return;
    Instant quiet = view.faults_quiet_since();
    if (quiet == Instant::max() || view.now() - quiet < bound_) return;
    for (NodeId a = 0; a < suspects_.size(); ++a) {
      if (!view.node_up(a)) continue;
      for (NodeId b = 0; b < suspects_.size(); ++b) {
        if (a == b || !view.node_up(b) || !suspects_[a][b]) continue;
        Violation v;
        v.check = "settled_view";
        v.at = view.now();
        v.nodes = {view.cluster().name(a), view.cluster().name(b)};
        v.message = view.cluster().name(a) + " still suspects " + view.cluster().name(b) + " " +
                    format_duration(view.now() - quiet) + " after the last fault ended";
        view.report(std::move(v));
        return;
      }
    }
  }

  void write_metrics(Json& out) const override {
    out["false_suspicions"] = false_suspicions_;
    out["detections"] = detection_ns_.size();
    int64_t worst = 0;
    for (int64_t d : detection_ns_) worst = std::max(worst, d);
    out["detection_ns_max"] = worst;
  }

 private:
  Duration bound_;
  std::vector<std::vector<bool>> suspects_;
  std::vector<Instant> down_since_;
  uint64_t false_suspicions_ = 0;
  std::vector<int64_t> detection_ns_;
};

class HeartbeatRun final : public ProtocolRun {
 public:
  HeartbeatRun(HeartbeatSettings s, size_t nodes) : s_(s), nodes_(nodes) {}
  std::unique_ptr<Process> make_process(NodeId) override {
    return std::make_unique<HeartbeatProcess>(s_);
  }
  // Every node keeps a time and a flag per peer, and so does the checker (a flag);
  // every node pings every other once per interval, all in the same instant (the nodes
  // boot together), and each ping is answered. A ping's body is a one-field object.
  FamilyLoad estimate_load(const LoadInputs&) const override {
    const double n = static_cast<double>(nodes_);
    const double pairs = n * (n - 1);
    FamilyLoad load;
    load.state_bytes = n * (sizeof(HeartbeatProcess) + n * sizeof(Instant) + n / 8) +  // nodes
                       n * (n / 8 + sizeof(std::vector<bool>) + sizeof(Instant));       // checker
    load.messages_per_second = 2 * pairs / (static_cast<double>(s_.interval.ns) * 1e-9);
    load.burst_messages = pairs;
    load.body_bytes = 160;
    load.timers_pending = n;
    return load;
  }
  std::unique_ptr<Checker> make_checker(const std::string&) override {
    // Settled once a full timeout plus two rounds have passed without faults.
    return std::make_unique<SettledViewCheck>(nodes_, s_.timeout + s_.interval * 2);
  }

 private:
  HeartbeatSettings s_;
  size_t nodes_;
};

const SettingTable& heartbeat_setting_table() {
  static const SettingTable kTable({
      {.section = "protocol", .key = "interval", .type = Setting::Type::kDuration,
       .fallback = Duration::millis(100), .positive = true,
       .meaning = "each node sends a heartbeat to every other node this often"},
      {.section = "protocol", .key = "timeout", .type = Setting::Type::kDuration,
       .fallback = Duration::millis(500), .positive = true,
       .meaning = "a peer silent this long is suspected (longer than interval)"},
  });
  return kTable;
}

}  // namespace

ProtocolFamily heartbeat_family() {
  ProtocolFamily f;
  f.name = "heartbeat";
  f.summary = "all-to-all heartbeat failure detector";
  f.variants = {"standard"};
  f.checks = {"settled_view"};
  f.default_checks = {"settled_view"};
  f.settings = &heartbeat_setting_table();
  f.configure = [](ProtocolSettings& s) -> std::unique_ptr<ProtocolRun> {
    HeartbeatSettings hs;
    const SettingTable& table = heartbeat_setting_table();
    hs.interval = table.duration(s.protocol, "interval");
    hs.timeout = table.duration(s.protocol, "timeout");
    if (hs.timeout <= hs.interval) s.protocol.fail("timeout", "expected a timeout longer than the interval");
    return std::make_unique<HeartbeatRun>(hs, s.cluster.size());
  };
  return f;
}

}  // namespace dsim
