// Which clients believe, right now, that they hold the lock: from a client's "acquired"
// until its "released" or "lost", or its crash (a dead process believes nothing). A
// paused client still believes (and the tracker remembers it is paused).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "check/checker.h"
#include "protocols/locks/events.h"

namespace dsim::locks {

struct Belief {
  std::string owner;
  Instant since;  // global time
  std::optional<int64_t> token;
};

class BeliefTracker {
 public:
  // Feed every observation.
  void observe(const Observation& o) {
    if (!o.from_protocol) {
      if (o.event == "crash") {
        believers_.erase(o.node);
        paused_.erase(o.node);
      } else if (o.event == "pause") {
        paused_.insert(o.node);
      } else if (o.event == "resume") {
        paused_.erase(o.node);
      }
    } else if (const auto* a = o.as<events::Acquired>()) {
      believers_[o.node] = Belief{std::string(a->owner), o.at, a->token};
    } else if (o.typed.is<events::Released>() || o.typed.is<events::Lost>()) {
      believers_.erase(o.node);
    }
  }

  const std::map<NodeId, Belief>& believers() const { return believers_; }
  bool paused(NodeId n) const { return paused_.count(n) != 0; }

 private:
  std::map<NodeId, Belief> believers_;
  std::set<NodeId> paused_;
};

}  // namespace dsim::locks
