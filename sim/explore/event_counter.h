// Coverage of a protocol's behaviour: counts the protocol events (ctx.trace() names, a
// proxy for the states and transitions the protocol went through) seen in one run. It
// is an observer: it never reports a violation and adds nothing to the run's summary;
// it writes its counts into a map the caller owns, which outlives the simulation.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "check/checker.h"

namespace dsim::explore {

using EventCounts = std::map<std::string, uint64_t, std::less<>>;

class ProtocolEventCounter final : public Checker {
 public:
  explicit ProtocolEventCounter(EventCounts& out) : counts_(out) {}
  std::string_view name() const override { return "protocol_event_counter"; }
  void observe(const Observation& o, CheckerView&) override {
    if (!o.from_protocol) return;
    auto it = counts_.find(o.event);
    if (it == counts_.end()) it = counts_.emplace(std::string(o.event), 0).first;
    ++it->second;
  }

 private:
  EventCounts& counts_;
};

}  // namespace dsim::explore
