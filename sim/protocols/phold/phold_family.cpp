#include "protocols/phold/phold.h"

#include "core/json_object.h"

namespace dsim {
namespace {

class PholdProcess final : public Process {
 public:
  explicit PholdProcess(int64_t tokens) : tokens_(tokens) {}
  void on_start(Context& ctx) override {
    // Only the first boot creates tokens; a restarted node just forwards what arrives.
    if (ctx.incarnation() > 0) return;
    ctx.trace("tokens_created", json_object("count", tokens_));
    for (int64_t i = 0; i < tokens_; ++i) forward(ctx);
  }
  void on_message(Context& ctx, NodeId, const Message&) override { forward(ctx); }
  void on_timer(Context&, const Timer&) override {}

 private:
  void forward(Context& ctx) {
    NodeId to = static_cast<NodeId>(ctx.rng().uniform(ctx.cluster().size()));
    ctx.send(to, Message(kToken));
  }
  static inline const std::string kToken = "token";
  int64_t tokens_;
};

// Every delivered token is forwarded exactly once: sends = initial tokens + deliveries.
// A simulator that lost or invented a message would break it.
class TokenForwardingCheck final : public Checker {
 public:
  std::string_view name() const override { return "token_forwarding"; }
  bool wants_network_events() const override { return true; }
  void observe(const Observation& o, CheckerView&) override {
    if (o.event == "tokens_created") initial_ += o.fields().at("count").get<uint64_t>();
  }
  void observe_network(const NetworkEvent& e, CheckerView&) override {
    if (e.event == "send") ++sends_;
    if (e.event == "deliver") ++delivers_;
  }
  void finish(CheckerView& view) override {
    if (!view.ran_to_end()) return;
    if (sends_ != initial_ + delivers_) {
      Violation v;
      v.check = "token_forwarding";
      v.at = view.now();
      v.message = "sends (" + std::to_string(sends_) + ") != initial tokens (" +
                  std::to_string(initial_) + ") + deliveries (" + std::to_string(delivers_) + ")";
      view.report(std::move(v));
    }
  }
  void write_metrics(Json& out) const override {
    out["sends"] = sends_;
    out["deliveries"] = delivers_;
  }

 private:
  uint64_t initial_ = 0;
  uint64_t sends_ = 0, delivers_ = 0;
};

class PholdRun final : public ProtocolRun {
 public:
  explicit PholdRun(int64_t tokens) : tokens_(tokens) {}
  std::unique_ptr<Process> make_process(NodeId) override {
    return std::make_unique<PholdProcess>(tokens_);
  }
  std::unique_ptr<Checker> make_checker(const std::string&) override {
    return std::make_unique<TokenForwardingCheck>();
  }
  // Every token is always in flight: a node forwards it the moment it arrives, so the
  // cluster sends tokens / mean latency per second. Bodies are null.
  FamilyLoad estimate_load(const LoadInputs& in) const override {
    const double nodes = static_cast<double>(in.cluster.size());
    const double tokens = nodes * static_cast<double>(tokens_);
    FamilyLoad load;
    load.state_bytes = nodes * sizeof(PholdProcess);
    load.burst_messages = tokens;
    load.messages_per_second = in.latency_mean_ns > 0 ? tokens / (in.latency_mean_ns * 1e-9) : tokens;
    return load;
  }

 private:
  int64_t tokens_;
};

const SettingTable& phold_setting_table() {
  static const SettingTable kTable({
      {.section = "protocol", .key = "tokens_per_node", .type = Setting::Type::kInteger,
       .fallback = int64_t{1}, .min = 1, .max = 1'000'000, .unit = "tokens",
       .meaning = "tokens each node starts with"},
  });
  return kTable;
}

}  // namespace

ProtocolFamily phold_family() {
  ProtocolFamily f;
  f.name = "phold";
  f.summary = "PHOLD benchmark: tokens forwarded to random nodes";
  f.variants = {"standard"};
  f.checks = {"token_forwarding"};
  f.default_checks = {"token_forwarding"};
  f.settings = &phold_setting_table();
  f.configure = [](ProtocolSettings& s) -> std::unique_ptr<ProtocolRun> {
    int64_t tokens = phold_setting_table().integer(s.protocol, "tokens_per_node");
    return std::make_unique<PholdRun>(tokens);
  };
  return f;
}

}  // namespace dsim
