#include "protocols/locks/checks/raft_safety_check.h"

#include "core/json_object.h"
#include "protocols/locks/raft/raft_events.h"

namespace dsim::locks {

namespace rev = raft::events;

void RaftSafetyCheck::violation(const Observation& o, CheckerView& view, std::string property,
                                std::vector<NodeId> nodes, std::string message, Json details) {
  ++violations_;
  Violation v;
  v.check = "raft_safety";
  v.at = o.at;
  for (NodeId n : nodes) v.nodes.push_back(view.cluster().name(n));
  v.message = property + ": " + message;
  details["property"] = property;
  v.details = std::move(details);
  view.report(std::move(v));
}

void RaftSafetyCheck::check_completeness(const Observation& o, CheckerView& view, NodeId node, int64_t term,
                                         const Commit& c) {
  if (c.index == 0 || term <= c.term) return;
  const std::vector<int64_t>& log = logs_[node];
  int64_t has = static_cast<int64_t>(log.size()) >= c.index ? log[c.index - 1] : 0;
  if (has == c.entry_term) return;
  const std::string name = view.cluster().name(node);
  violation(o, view, "leader_completeness", {node},
            name + ", leader of term " + std::to_string(term) + ", lacks the entry committed at index " +
                std::to_string(c.index) + " (term " + std::to_string(c.entry_term) + ") in term " +
                std::to_string(c.term) + (has == 0 ? ": its log is shorter" : ": it has one of term " + std::to_string(has)),
            json_object("leader", name, "term", term, "index", c.index, "committed_term", c.entry_term,
                        "leader_entry_term", has));
}

void RaftSafetyCheck::observe(const Observation& o, CheckerView& view) {
  if (!o.from_protocol) {
    if (o.event == "crash") in_office_.erase(o.node);
    return;
  }
  if (const auto* a = o.as<rev::Appended>()) {
    std::vector<int64_t>& log = logs_[o.node];
    log.resize(static_cast<size_t>(a->index - 1));
    log.push_back(a->term);
    auto [it, fresh] = entries_.try_emplace({a->index, a->term}, EntryInfo{a->digest, a->prev_term, o.node});
    if (!fresh && (it->second.digest != a->digest || it->second.prev_term != a->prev_term)) {
      const std::string first = view.cluster().name(it->second.node);
      const std::string here = view.cluster().name(o.node);
      violation(o, view, "log_matching", {it->second.node, o.node},
                here + " and " + first + " both have an entry at index " + std::to_string(a->index) + " of term " +
                    std::to_string(a->term) + " but " +
                    (it->second.digest != a->digest ? "with different commands"
                                                    : "after entries of different terms"),
                json_object("index", a->index, "term", a->term, "node", here, "other", first,
                            "digest", a->digest, "other_digest", it->second.digest,
                            "prev_term", a->prev_term, "other_prev_term", it->second.prev_term));
    }
  } else if (const auto* r = o.as<rev::Restored>()) {
    std::vector<int64_t>& log = logs_[o.node];
    if (static_cast<int64_t>(log.size()) > r->last_index) log.resize(static_cast<size_t>(r->last_index));
  } else if (const auto* l = o.as<rev::BecameLeader>()) {
    auto [it, fresh] = leaders_.try_emplace(l->term, o.node);
    if (!fresh && it->second != o.node) {
      const std::string first = view.cluster().name(it->second);
      const std::string here = view.cluster().name(o.node);
      violation(o, view, "election_safety", {it->second, o.node},
                "two leaders in term " + std::to_string(l->term) + ": " + first + " and " + here,
                json_object("term", l->term, "leader", first, "second_leader", here));
    }
    in_office_[o.node] = l->term;
    check_completeness(o, view, o.node, l->term, highest_);
  } else if (o.typed.is<rev::SteppedDown>()) {
    in_office_.erase(o.node);
  } else if (const auto* c = o.as<rev::Committed>()) {
    ++commits_;
    Commit commit{c->index, c->entry_term, c->term};
    if (c->index > highest_.index) highest_ = commit;
    for (const auto& [node, term] : in_office_) check_completeness(o, view, node, term, commit);
  } else if (const auto* a = o.as<rev::Applied>()) {
    ++applications_;
    auto [it, fresh] = applied_.try_emplace(a->index, a->term, a->digest);
    if (fresh) {
      applied_by_[a->index] = o.node;
    } else if (it->second.first != a->term || it->second.second != a->digest) {
      NodeId other = applied_by_[a->index];
      const std::string first = view.cluster().name(other);
      const std::string here = view.cluster().name(o.node);
      violation(o, view, "state_machine_safety", {other, o.node},
                here + " applied a different entry at index " + std::to_string(a->index) + " than " + first +
                    " (term " + std::to_string(a->term) + " against " + std::to_string(it->second.first) + ")",
                json_object("index", a->index, "node", here, "term", a->term, "digest", a->digest, "other", first,
                            "other_term", it->second.first, "other_digest", it->second.second));
    }
  }
}

void RaftSafetyCheck::write_metrics(Json& out) const {
  out["leaders_elected"] = leaders_.size();
  out["highest_term"] = leaders_.empty() ? 0 : leaders_.rbegin()->first;
  out["entries"] = entries_.size();
  out["commits"] = commits_;
  out["applications"] = applications_;
  out["highest_commit"] = highest_.index;
  out["violations"] = violations_;
}

}  // namespace dsim::locks
