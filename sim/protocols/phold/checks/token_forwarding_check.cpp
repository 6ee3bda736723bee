#include "protocols/phold/checks/token_forwarding_check.h"

#include <string>

#include "check/violation.h"
#include "protocols/phold/events.h"

namespace dsim::phold {

void TokenForwardingCheck::observe(const Observation& o, CheckerView&) {
  if (const auto* created = o.as<TokensCreated>()) initial_ += static_cast<uint64_t>(created->count);
}

void TokenForwardingCheck::observe_network(const NetworkEvent& e, CheckerView&) {
  if (e.event == "send") ++sends_;
  if (e.event == "deliver") ++delivers_;
}

void TokenForwardingCheck::finish(CheckerView& view) {
  if (!view.ran_to_end() || sends_ == initial_ + delivers_) return;
  view.report(violation(name(), view.now(), {},
                        "sends (" + std::to_string(sends_) + ") != initial tokens (" + std::to_string(initial_) +
                            ") + deliveries (" + std::to_string(delivers_) + ")"));
}

void TokenForwardingCheck::write_metrics(Json& out) const {
  out["sends"] = sends_;
  out["deliveries"] = delivers_;
}

}  // namespace dsim::phold
