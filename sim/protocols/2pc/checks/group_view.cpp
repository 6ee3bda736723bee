#include "protocols/2pc/checks/group_view.h"

namespace dsim::twopc {
namespace {

class GroupView final : public CheckerView {
 public:
  GroupView(CheckerView& view, const Replication& r) : view_(view), r_(r) {}
  const Cluster& cluster() const override { return view_.cluster(); }
  Instant now() const override { return view_.now(); }
  uint64_t seed() const override { return view_.seed(); }
  bool node_up(NodeId n) const override {
    if (view_.node_up(n)) return true;
    NodeId replica = r_.replica_of(n);
    return replica != kNoNode && view_.node_up(replica);
  }
  Instant faults_quiet_since() const override { return view_.faults_quiet_since(); }
  bool ran_to_end() const override { return view_.ran_to_end(); }
  void report(Violation v) override { view_.report(std::move(v)); }

 private:
  CheckerView& view_;
  const Replication& r_;
};

class GroupCheck final : public Checker {
 public:
  GroupCheck(std::unique_ptr<Checker> inner, Replication r) : inner_(std::move(inner)), r_(std::move(r)) {}

  std::string_view name() const override { return inner_->name(); }
  void observe(const Observation& o, CheckerView& view) override {
    GroupView v(view, r_);
    if (o.from_protocol && o.node != kNoNode) {
      NodeId group = r_.group_of(o.node);
      if (group != o.node) {
        Observation as_group = o;
        as_group.node = group;
        inner_->observe(as_group, v);
        return;
      }
    }
    inner_->observe(o, v);
  }
  std::vector<const PayloadKind*> event_kinds() const override { return inner_->event_kinds(); }
  bool wants_network_events() const override { return inner_->wants_network_events(); }
  void observe_network(const NetworkEvent& e, CheckerView& view) override {
    GroupView v(view, r_);
    inner_->observe_network(e, v);
  }
  void stopped(CheckerView& view) override {
    GroupView v(view, r_);
    inner_->stopped(v);
  }
  void finish(CheckerView& view) override {
    GroupView v(view, r_);
    inner_->finish(v);
  }
  void write_metrics(Json& out) const override { inner_->write_metrics(out); }

 private:
  std::unique_ptr<Checker> inner_;
  Replication r_;
};

}  // namespace

std::unique_ptr<Checker> judge_by_group(std::unique_ptr<Checker> check, Replication replication) {
  return std::make_unique<GroupCheck>(std::move(check), std::move(replication));
}

}  // namespace dsim::twopc
