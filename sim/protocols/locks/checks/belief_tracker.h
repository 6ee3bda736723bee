// Which clients believe, right now, that they hold the lock: from a client's "acquired"
// until its "released" or "lost", or its crash (a dead process believes nothing). A
// paused client still believes (and the tracker remembers it is paused).
//
// One run's checks share one tracker (SharedBeliefs below): liveness, lock_metrics and
// overlap all read it, and each keeping its own copy was work done three times over.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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
  // The believers by node, in node order (a handful at most: a small sorted vector).
  using Believers = std::vector<std::pair<NodeId, Belief>>;

  // Feed every observation.
  void observe(const Observation& o) {
    if (!o.from_protocol) {
      if (o.event == "crash") {
        erase(o.node);
        set_paused(o.node, false);
      } else if (o.event == "pause") {
        set_paused(o.node, true);
      } else if (o.event == "resume") {
        set_paused(o.node, false);
      }
    } else if (const auto* a = o.as<events::Acquired>()) {
      Belief& b = slot(o.node);
      b.owner.assign(a->owner);
      b.since = o.at;
      b.token = a->token;
    } else if (o.typed.is<events::Released>() || o.typed.is<events::Lost>()) {
      erase(o.node);
    }
  }

  const Believers& believers() const { return believers_; }
  bool paused(NodeId n) const { return n < paused_.size() && paused_[n] != 0; }

 private:
  Believers::iterator find(NodeId n) {
    auto it = believers_.begin();
    while (it != believers_.end() && it->first < n) ++it;
    return it;
  }
  Belief& slot(NodeId n) {
    auto it = find(n);
    if (it == believers_.end() || it->first != n) it = believers_.insert(it, {n, Belief{}});
    return it->second;
  }
  void erase(NodeId n) {
    auto it = find(n);
    if (it != believers_.end() && it->first == n) believers_.erase(it);
  }
  void set_paused(NodeId n, bool paused) {
    if (n == kNoNode) return;
    if (n >= paused_.size()) {
      if (!paused) return;
      paused_.resize(n + 1, 0);
    }
    paused_[n] = paused ? 1 : 0;
  }

  Believers believers_;
  std::vector<char> paused_;  // by node
};

// The run's one BeliefTracker, brought up to each observation once, by whichever of the
// checks that read it sees the observation first (Observation::seq orders them).
class SharedBeliefs {
 public:
  const BeliefTracker& observe(const Observation& o) {
    if (o.seq >= next_seq_) {
      tracker_.observe(o);
      next_seq_ = o.seq + 1;
    }
    return tracker_;
  }
  const BeliefTracker& tracker() const { return tracker_; }

 private:
  BeliefTracker tracker_;
  uint64_t next_seq_ = 0;  // the first observation not yet applied
};

}  // namespace dsim::locks
