// A CheckerView for feeding a checker observations by hand.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "check/checker.h"

namespace dsim::locks::testing {

class FakeCheckerView final : public CheckerView {
 public:
  explicit FakeCheckerView(const Cluster& cluster) : cluster_(cluster) {}

  const Cluster& cluster() const override { return cluster_; }
  Instant now() const override { return now_; }
  uint64_t seed() const override { return 1; }
  bool node_up(NodeId n) const override { return down_.count(n) == 0; }
  Instant faults_quiet_since() const override { return quiet_since_; }
  bool ran_to_end() const override { return ran_to_end_; }
  void report(Violation v) override { violations.push_back(std::move(v)); }

  // Feeds `checker` one JSON event at global time `at_ms` from node `node` ("" for none):
  // the simulator's fault events are JSON.
  void feed(Checker& checker, int64_t at_ms, const std::string& node, const std::string& event,
            Json fields = Json::object(), bool from_protocol = true) {
    now_ = Instant{Duration::millis(at_ms).ns};
    NodeId id = node.empty() ? kNoNode : *cluster_.find(node);
    if (!from_protocol && event == "crash") down_.insert(id);
    if (!from_protocol && event == "restart") down_.erase(id);
    Observation o{now_, now_, event, id, fields, from_protocol, seq_++};
    checker.observe(o, *this);
  }
  // Feeds `checker` a typed protocol event at global time `at_ms` from node `node`.
  template <PayloadType E>
  void feed(Checker& checker, int64_t at_ms, const std::string& node, const E& event) {
    now_ = Instant{Duration::millis(at_ms).ns};
    Observation o{now_, now_, PayloadRef::to(event), *cluster_.find(node), seq_++};
    checker.observe(o, *this);
  }
  void fault(Checker& checker, int64_t at_ms, const std::string& node, const std::string& event,
             Json fields = Json::object()) {
    feed(checker, at_ms, node, event, std::move(fields), false);
  }
  // Feeds several checkers one and the same observation, as a run does (one seq for all:
  // checks that share a model bring it up to each observation once).
  template <PayloadType E>
  void feed_all(const std::vector<Checker*>& checkers, int64_t at_ms, const std::string& node, const E& event) {
    now_ = Instant{Duration::millis(at_ms).ns};
    Observation o{now_, now_, PayloadRef::to(event), *cluster_.find(node), seq_++};
    for (Checker* c : checkers) c->observe(o, *this);
  }
  void fault_all(const std::vector<Checker*>& checkers, int64_t at_ms, const std::string& node,
                 const std::string& event, Json fields = Json::object()) {
    now_ = Instant{Duration::millis(at_ms).ns};
    NodeId id = *cluster_.find(node);
    if (event == "crash") down_.insert(id);
    if (event == "restart") down_.erase(id);
    Observation o{now_, now_, event, id, fields, false, seq_++};
    for (Checker* c : checkers) c->observe(o, *this);
  }
  void end(Checker& checker, int64_t at_ms, int64_t quiet_since_ms, bool ran_to_end = true) {
    now_ = Instant{Duration::millis(at_ms).ns};
    quiet_since_ = quiet_since_ms < 0 ? Instant::max() : Instant{Duration::millis(quiet_since_ms).ns};
    ran_to_end_ = ran_to_end;
    checker.finish(*this);
  }

  std::vector<Violation> violations;

 private:
  const Cluster& cluster_;
  Instant now_;
  uint64_t seq_ = 0;
  Instant quiet_since_ = Instant::zero();
  bool ran_to_end_ = true;
  std::set<NodeId> down_;
};

}  // namespace dsim::locks::testing
