#include "protocols/phold/phold.h"

#include <memory>

#include "protocols/phold/checks/token_forwarding_check.h"
#include "protocols/phold/node.h"
#include "protocols/phold/settings.h"

namespace dsim {
namespace {

// The checks need nothing from the run.
struct CheckInputs {};

// The family's checks, each named once (scenario/check_table.h).
constexpr CheckRow<CheckInputs> kChecks[] = {
    {"token_forwarding", "at the end of the run, sends = tokens created + deliveries: the simulator lost or invented none",
     true, [](const CheckInputs&) -> std::unique_ptr<Checker> { return std::make_unique<phold::TokenForwardingCheck>(); }},
};

class PholdRun final : public ProtocolRun {
 public:
  explicit PholdRun(phold::PholdSettings s) : s_(s) {}
  std::unique_ptr<Process> make_process(NodeId) override {
    return std::make_unique<phold::PholdNode>(s_.tokens_per_node);
  }
  std::unique_ptr<Checker> make_checker(const std::string& check) override {
    return make_check(kChecks, check, CheckInputs{});
  }
  // Every token is always in flight: a node forwards it the moment it arrives, so the
  // cluster sends tokens / mean latency per second. Tokens have no body.
  FamilyLoad estimate_load(const LoadInputs& in) const override {
    const double nodes = static_cast<double>(in.cluster.size());
    const double tokens = nodes * static_cast<double>(s_.tokens_per_node);
    FamilyLoad load;
    load.state_bytes = nodes * sizeof(phold::PholdNode);
    load.burst_messages = tokens;
    load.messages_per_second = in.latency_mean_ns > 0 ? tokens / (in.latency_mean_ns * 1e-9) : tokens;
    return load;
  }

 private:
  phold::PholdSettings s_;
};

}  // namespace

ProtocolFamily phold_family() {
  ProtocolFamily f;
  f.name = "phold";
  f.summary = "PHOLD benchmark: tokens forwarded to random nodes";
  f.variants = {"standard"};
  f.checks = check_infos(kChecks);
  f.settings = &phold::phold_setting_table();
  f.configure = [](ProtocolSettings& s) -> std::unique_ptr<ProtocolRun> {
    return std::make_unique<PholdRun>(phold::read_phold_settings(s));
  };
  return f;
}

}  // namespace dsim
