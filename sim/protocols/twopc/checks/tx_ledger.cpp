#include "protocols/twopc/checks/tx_ledger.h"

#include <algorithm>

namespace dsim::twopc {

const char* TxLedger::to_string(State s) {
  switch (s) {
    case State::kNone:
      return "none";
    case State::kWorking:
      return "working";
    case State::kExecuted:
      return "executed";
    case State::kPrepared:
      return "prepared";
    case State::kCommitted:
      return "committed";
    case State::kAborted:
      return "aborted";
    case State::kReadOnly:
      return "read_only";
    case State::kLost:
      return "lost";
  }
  return "?";
}

std::vector<std::string> node_names(const Cluster& cluster, const std::vector<NodeId>& nodes) {
  std::vector<std::string> out;
  for (NodeId n : nodes) out.push_back(cluster.name(n));
  return out;
}

std::string node_list(const Cluster& cluster, const std::vector<NodeId>& nodes) {
  std::string out;
  for (NodeId n : nodes) out += (out.empty() ? "" : ", ") + cluster.name(n);
  return out;
}

TxLedger::Txn* TxLedger::find(const std::string& id) {
  auto it = txns_.find(id);
  return it == txns_.end() ? nullptr : &it->second;
}

const TxLedger::Txn* TxLedger::find(const std::string& id) const {
  auto it = txns_.find(id);
  return it == txns_.end() ? nullptr : &it->second;
}

Instant TxLedger::crashed_at(NodeId n) const {
  auto it = last_crash_.find(n);
  return it == last_crash_.end() ? Instant::max() : it->second;
}

TxLedger::Txn& TxLedger::txn(const std::string& id) {
  auto [it, inserted] = txns_.try_emplace(id);
  if (inserted) {
    it->second.id = id;
    order_.push_back(id);
  }
  return it->second;
}

TxLedger::Part& TxLedger::part(const Observation& o, const std::string& id) {
  Txn& t = txn(id);
  if (std::find(t.participants.begin(), t.participants.end(), o.node) == t.participants.end()) {
    t.participants.push_back(o.node);
  }
  return t.parts[o.node];
}

TxLedger::Update TxLedger::observe(const Observation& o, const Cluster& cluster) {
  Update u;
  if (!o.from_protocol) {
    if (o.event == "crash") {
      down_.insert(o.node);
      last_crash_[o.node] = o.at;
    } else if (o.event == "restart") {
      down_.erase(o.node);
    }
    return u;
  }
  if (o.event == "recovered") {
    if (cluster.role(o.node) == "participant") on_recovered(o, u);
    return u;
  }
  if (!o.fields().is_object() || !o.fields().contains("tx")) return u;
  const std::string id = o.fields().at("tx").get<std::string>();
  const std::string_view ev = o.event;
  if (ev == "tx_begin") {
    Txn& t = txn(id);
    t.coordinator = o.node;
    t.kind = o.fields().value("kind", "");
    t.begun = o.at;
    for (const Json& n : o.fields().at("participants")) {
      NodeId p = *cluster.find(n.get<std::string>());
      if (std::find(t.participants.begin(), t.participants.end(), p) == t.participants.end()) {
        t.participants.push_back(p);
      }
    }
    for (const Json& n : o.fields().at("writers")) t.writers.insert(*cluster.find(n.get<std::string>()));
    u.txn = &t;
  } else if (ev == "decision") {
    Txn& t = txn(id);
    if (cluster.role(o.node) == "coordinator" && !t.coordinator_commit) {
      t.coordinator_commit = o.fields().at("outcome") == "commit";
      t.coordinator_decided_at = o.at;
    }
    u.txn = &t;
  } else if (ev == "work" || ev == "executed" || ev == "vote" || ev == "outcome") {
    if (cluster.role(o.node) != "participant") return u;
    Part& p = part(o, id);
    u.txn = find(id);
    u.prior = p;
    if (ev == "work") {
      p.state = State::kWorking;
      p.since = o.at;
    } else if (ev == "executed") {
      if (o.fields().at("ok").get<bool>()) {
        p.state = State::kExecuted;
        p.since = o.at;
      }
    } else if (ev == "vote") {
      std::string v = o.fields().at("vote").get<std::string>();
      if (p.vote != "yes") p.vote = v;
      if (v == "yes") {
        p.state = State::kPrepared;
        p.since = o.at;
        if (p.prepared_at == Instant::max()) p.prepared_at = o.at;
      } else if (v == "read_only") {
        p.state = State::kReadOnly;
        p.since = o.at;
      }
    } else {
      bool commit = o.fields().at("outcome") == "commit";
      p.state = commit ? State::kCommitted : State::kAborted;
      p.since = o.at;
      (commit ? p.committed_ever : p.aborted_ever) = true;
      if (p.decided_at == Instant::max()) p.decided_at = o.at;
      p.heuristic = p.heuristic || o.fields().value("heuristic", false);
      p.via = o.fields().value("via", "");
    }
  }
  return u;
}

const TxLedger::Update& SharedTxLedger::observe(const Observation& o, const Cluster& cluster) {
  if (o.seq >= next_seq_) {
    last_ = ledger_.observe(o, cluster);
    next_seq_ = o.seq + 1;
  }
  return last_;
}

void TxLedger::on_recovered(const Observation& o, Update& u) {
  std::set<std::string> in_doubt;
  for (const Json& id : o.fields().at("in_doubt")) in_doubt.insert(id.get<std::string>());
  for (const std::string& id : order_) {
    Txn& t = txns_.at(id);
    auto it = t.parts.find(o.node);
    if (it == t.parts.end()) continue;
    Part& p = it->second;
    bool doubt = in_doubt.count(id) != 0;
    if (pending(p.state)) {
      if (doubt) {
        p.state = State::kPrepared;
        continue;
      }
      // Whatever it had not logged is gone: its side of the transaction is undone.
      p.state = State::kLost;
      p.since = o.at;
      p.aborted_ever = true;
      u.forgotten.push_back(id);
    } else if (doubt && (p.state == State::kCommitted || p.state == State::kAborted)) {
      // Its outcome record was not forced and did not survive: in doubt again.
      p.state = State::kPrepared;
      u.reopened.push_back(id);
    }
  }
}

}  // namespace dsim::twopc
