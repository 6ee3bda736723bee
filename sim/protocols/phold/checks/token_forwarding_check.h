// token_forwarding: every delivered token is forwarded exactly once, so at the end of a
// run that reached its end, sends = tokens created + deliveries. A simulator that lost
// or invented a message would break it. Reads tokens_created events and the network's
// send and deliver events. Metrics: sends, deliveries.
#pragma once

#include <cstdint>

#include "check/checker.h"

namespace dsim::phold {

class TokenForwardingCheck final : public Checker {
 public:
  std::string_view name() const override { return "token_forwarding"; }
  bool wants_network_events() const override { return true; }
  void observe(const Observation& o, CheckerView& view) override;
  void observe_network(const NetworkEvent& e, CheckerView& view) override;
  void finish(CheckerView& view) override;
  void write_metrics(Json& out) const override;

 private:
  uint64_t initial_ = 0;
  uint64_t sends_ = 0, delivers_ = 0;
};

}  // namespace dsim::phold
