#include "protocols/heartbeat/heartbeat.h"

#include <memory>

#include "protocols/heartbeat/checks/settled_view_check.h"
#include "protocols/heartbeat/node.h"
#include "protocols/heartbeat/settings.h"

namespace dsim {
namespace {

using heartbeat::HeartbeatNode;
using heartbeat::HeartbeatSettings;

// What the checks need from a configured run.
struct CheckInputs {
  const HeartbeatSettings& s;
  size_t nodes;
};

// The family's checks, each named once (scenario/check_table.h).
constexpr CheckRow<CheckInputs> kChecks[] = {
    {"settled_view", "once the faults have been quiet for a while, every running node trusts every other running node",
     true, [](const CheckInputs& in) -> std::unique_ptr<Checker> {
       // Settled once a full timeout plus two rounds have passed without faults.
       return std::make_unique<heartbeat::SettledViewCheck>(in.nodes, in.s.timeout + in.s.interval * 2);
     }},
};

class HeartbeatRun final : public ProtocolRun {
 public:
  HeartbeatRun(HeartbeatSettings s, size_t nodes) : s_(s), nodes_(nodes) {}
  std::unique_ptr<Process> make_process(NodeId) override { return std::make_unique<HeartbeatNode>(s_); }
  // Every node keeps a time and a flag per peer, and so does the checker (a flag);
  // every node pings every other once per interval, all in the same instant (the nodes
  // boot together), and each ping is answered. body_bytes is still the figure of the
  // JSON bodies of old: an upper bound, now that a ping (one integer) is held inline.
  FamilyLoad estimate_load(const LoadInputs&) const override {
    const double n = static_cast<double>(nodes_);
    const double pairs = n * (n - 1);
    FamilyLoad load;
    load.state_bytes = n * (sizeof(HeartbeatNode) + n * sizeof(Instant) + n / 8) +  // nodes
                       n * (n / 8 + sizeof(std::vector<bool>) + sizeof(Instant));   // checker
    load.messages_per_second = 2 * pairs / (static_cast<double>(s_.interval.ns) * 1e-9);
    load.burst_messages = pairs;
    load.body_bytes = 160;
    load.timers_pending = n;
    return load;
  }
  std::unique_ptr<Checker> make_checker(const std::string& check) override {
    return make_check(kChecks, check, CheckInputs{s_, nodes_});
  }

 private:
  HeartbeatSettings s_;
  size_t nodes_;
};

}  // namespace

ProtocolFamily heartbeat_family() {
  ProtocolFamily f;
  f.name = "heartbeat";
  f.summary = "all-to-all heartbeat failure detector";
  f.variants = {"standard"};
  f.checks = check_infos(kChecks);
  f.settings = &heartbeat::heartbeat_setting_table();
  f.configure = [](ProtocolSettings& s) -> std::unique_ptr<ProtocolRun> {
    return std::make_unique<HeartbeatRun>(heartbeat::read_heartbeat_settings(s), s.cluster.size());
  };
  return f;
}

}  // namespace dsim
