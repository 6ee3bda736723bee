// Coverage of a protocol's behaviour: counts the protocol events (ctx.trace() names, a
// proxy for the states and transitions the protocol went through) seen in one run. It
// is an observer: it never reports a violation and adds nothing to the run's summary;
// it writes its counts into a map the caller owns, which outlives the simulation.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "check/checker.h"

namespace dsim::explore {

using EventCounts = std::map<std::string, uint64_t, std::less<>>;

class ProtocolEventCounter final : public Checker {
 public:
  explicit ProtocolEventCounter(EventCounts& out) : counts_(out) {}
  std::string_view name() const override { return "protocol_event_counter"; }
  void observe(const Observation& o, CheckerView&) override {
    if (!o.from_protocol) return;
    // A typed event's kind names it: its count is found by comparing kind pointers (a
    // handful of kinds a run), not by a string search of the map on every event.
    if (const PayloadKind* kind = o.typed.kind()) {
      for (const auto& [k, count] : by_kind_) {
        if (k == kind) {
          ++*count;
          return;
        }
      }
      by_kind_.emplace_back(kind, &slot(o.event));
      ++*by_kind_.back().second;
      return;
    }
    ++slot(o.event);
  }

 private:
  uint64_t& slot(std::string_view event) {
    auto it = counts_.find(event);
    if (it == counts_.end()) it = counts_.emplace(std::string(event), 0).first;
    return it->second;  // a std::map's values stay put as it grows
  }

  EventCounts& counts_;
  std::vector<std::pair<const PayloadKind*, uint64_t*>> by_kind_;
};

}  // namespace dsim::explore
