// A CheckerView for feeding a checker observations by hand, shared by every family's unit
// tests: typed protocol events (feed(checker, at_ms, node, E{...}), the node by name or
// id), JSON ones, and the simulator's fault events, which also mark nodes down and up.
// A family's tests may derive from it, e.g. to feed events written as the trace shows them.
//
// It shows a checker only what a run would (shown() below, check/chosen_kinds.h): a checker
// that chose its event_kinds() is not called for an event of another kind.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "check/checker.h"
#include "check/chosen_kinds.h"

namespace dsim::testing {

class FakeCheckerView : public CheckerView {
 public:
  explicit FakeCheckerView(const Cluster& cluster) : cluster_(cluster) {}

  const Cluster& cluster() const override { return cluster_; }
  Instant now() const override { return now_; }
  uint64_t seed() const override { return 1; }
  bool node_up(NodeId n) const override { return down_.count(n) == 0; }
  Instant faults_quiet_since() const override { return quiet_since_; }
  bool ran_to_end() const override { return ran_to_end_; }
  void report(Violation v) override { violations.push_back(std::move(v)); }

  // A typed protocol event of node `node` at global time `at_ms`.
  template <PayloadType E>
  void feed(Checker& checker, int64_t at_ms, const std::string& node, const E& event) {
    now_ = Instant{Duration::millis(at_ms).ns};
    Observation o{now_, now_, PayloadRef::to(event), id_of(node), seq_++};
    if (shown(checker, o)) checker.observe(o, *this);
  }
  // A protocol event already viewed as a PayloadRef (a test that builds typed events from
  // their trace form), from node `node` (kNoNode for none).
  void feed(Checker& checker, int64_t at_ms, NodeId node, PayloadRef event) {
    now_ = Instant{Duration::millis(at_ms).ns};
    Observation o{now_, now_, event, node, seq_++};
    if (shown(checker, o)) checker.observe(o, *this);
  }
  // A JSON event ("" for no node).
  void feed_json(Checker& checker, int64_t at_ms, const std::string& node, const std::string& event,
                 const Json& fields = Json::object(), bool from_protocol = true) {
    feed_json(checker, at_ms, id_of(node), event, fields, from_protocol);
  }
  void feed_json(Checker& checker, int64_t at_ms, NodeId node, const std::string& event,
                 const Json& fields = Json::object(), bool from_protocol = true) {
    now_ = Instant{Duration::millis(at_ms).ns};
    if (!from_protocol && event == "crash") down_.insert(node);
    if (!from_protocol && event == "restart") down_.erase(node);
    Observation o{now_, now_, event, node, fields, from_protocol, seq_++};
    if (shown(checker, o)) checker.observe(o, *this);
  }
  // A simulator event: "crash" marks the node down, "restart" up again.
  void fault(Checker& checker, int64_t at_ms, const std::string& node, const std::string& event,
             const Json& fields = Json::object()) {
    feed_json(checker, at_ms, node, event, fields, false);
  }
  void fault(Checker& checker, int64_t at_ms, NodeId node, const std::string& event,
             const Json& fields = Json::object()) {
    feed_json(checker, at_ms, node, event, fields, false);
  }
  // Feeds several checkers one and the same observation, as a run does (one seq for all:
  // checks that share a model bring it up to each observation once).
  template <PayloadType E>
  void feed_all(const std::vector<Checker*>& checkers, int64_t at_ms, const std::string& node, const E& event) {
    now_ = Instant{Duration::millis(at_ms).ns};
    Observation o{now_, now_, PayloadRef::to(event), id_of(node), seq_++};
    for (Checker* c : checkers) {
      if (shown(*c, o)) c->observe(o, *this);
    }
  }
  // A simulator event for several checkers ("crash" marks the node down, "restart" up).
  void fault_all(const std::vector<Checker*>& checkers, int64_t at_ms, const std::string& node,
                 const std::string& event, const Json& fields = Json::object()) {
    now_ = Instant{Duration::millis(at_ms).ns};
    NodeId id = id_of(node);
    if (event == "crash") down_.insert(id);
    if (event == "restart") down_.erase(id);
    Observation o{now_, now_, event, id, fields, false, seq_++};
    for (Checker* c : checkers) {
      if (shown(*c, o)) c->observe(o, *this);
    }
  }
  // Marks a node down (or up) without telling the checker, as node_up() answers it.
  void set_down(NodeId node, bool down = true) {
    if (down) {
      down_.insert(node);
    } else {
      down_.erase(node);
    }
  }
  // When the last fault ended (Instant::max(): one is still in effect).
  void set_quiet_since(Instant t) { quiet_since_ = t; }
  // Moves the view's clock without an event.
  void set_now_ms(int64_t at_ms) { now_ = Instant{Duration::millis(at_ms).ns}; }
  // Sets the end-of-run facts without calling the checker (quiet_since_ms < 0: a fault is
  // still in effect).
  void set_end(int64_t at_ms, int64_t quiet_since_ms, bool ran_to_end = true) {
    now_ = Instant{Duration::millis(at_ms).ns};
    quiet_since_ = quiet_since_ms < 0 ? Instant::max() : Instant{Duration::millis(quiet_since_ms).ns};
    ran_to_end_ = ran_to_end;
  }
  // Ends the run at `at_ms` and calls the checker's finish.
  void end(Checker& checker, int64_t at_ms, int64_t quiet_since_ms, bool ran_to_end = true) {
    set_end(at_ms, quiet_since_ms, ran_to_end);
    checker.stopped(*this);  // as the simulator ends a run: stopped(), then finish()
    checker.finish(*this);
  }

  std::vector<Violation> violations;

  // Whether a run shows `checker` the event `o` (check/chosen_kinds.h). Asks the checker
  // its kinds each time (a run asks once): a test's checker may be fed a handful of events.
  static bool shown(const Checker& checker, const Observation& o) {
    return kind_is_chosen(checker.event_kinds(), o);
  }

 private:
  NodeId id_of(const std::string& node) const { return node.empty() ? kNoNode : *cluster_.find(node); }

  const Cluster& cluster_;
  Instant now_;
  uint64_t seq_ = 0;
  Instant quiet_since_ = Instant::zero();
  bool ran_to_end_ = true;
  std::set<NodeId> down_;
};

}  // namespace dsim::testing
