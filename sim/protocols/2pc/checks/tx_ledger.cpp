#include "protocols/2pc/checks/tx_ledger.h"

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

TxLedger::Txn* TxLedger::find(const TxId& id) {
  auto it = txns_.find(id);
  return it == txns_.end() ? nullptr : &it->second;
}

const TxLedger::Txn* TxLedger::find(const TxId& id) const {
  auto it = txns_.find(id);
  return it == txns_.end() ? nullptr : &it->second;
}

Instant TxLedger::crashed_at(NodeId n) const {
  auto it = last_crash_.find(n);
  return it == last_crash_.end() ? Instant::max() : it->second;
}

TxLedger::Txn& TxLedger::txn(const TxId& id) {
  auto [it, fresh] = txns_.try_emplace(id);
  if (!fresh) return it->second;  // most events
  it->second.id = id;
  order_.push_back(it->second.id);
  return it->second;
}

TxLedger::Part& TxLedger::part(const Observation& o, const TxId& id, Update& u) {
  Txn& t = txn(id);
  u.txn = &t;
  if (std::find(t.participants.begin(), t.participants.end(), o.node) == t.participants.end()) {
    t.participants.push_back(o.node);
  }
  return t.parts[o.node];
}

TxLedger::Update TxLedger::observe(const Observation& o, const Cluster&) {
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
  // Participants' events first: they are most of a run's.
  if (const auto* e = o.as<ev::OutcomeApplied>()) {
    Part& p = part(o, e->tx, u);
    u.prior = p;
    bool commit = e->outcome == Outcome::kCommit;
    p.state = commit ? State::kCommitted : State::kAborted;
    p.since = o.at;
    (commit ? p.committed_ever : p.aborted_ever) = true;
    if (p.decided_at == Instant::max()) p.decided_at = o.at;
    p.heuristic = p.heuristic || e->heuristic;
    p.via = std::string(e->via);
  } else if (const auto* e = o.as<ev::VoteCast>()) {
    Part& p = part(o, e->tx, u);
    u.prior = p;
    if (p.vote != VoteValue::kYes) p.vote = e->vote;
    if (e->vote == VoteValue::kYes) {
      p.state = State::kPrepared;
      p.since = o.at;
      if (p.prepared_at == Instant::max()) p.prepared_at = o.at;
    } else if (e->vote == VoteValue::kReadOnly) {
      p.state = State::kReadOnly;
      p.since = o.at;
    }
  } else if (const auto* e = o.as<ev::Work>()) {
    Part& p = part(o, e->tx, u);
    u.prior = p;
    p.state = State::kWorking;
    p.since = o.at;
  } else if (const auto* e = o.as<ev::Executed>()) {
    Part& p = part(o, e->tx, u);
    u.prior = p;
    if (e->ok) {
      p.state = State::kExecuted;
      p.since = o.at;
    }
  } else if (const auto* e = o.as<ev::TxBegin>()) {
    Txn& t = txn(e->tx);
    t.coordinator = o.node;
    t.kind = std::string(e->kind);
    t.begun = o.at;
    for (NodeId p : e->participants) {
      if (std::find(t.participants.begin(), t.participants.end(), p) == t.participants.end()) {
        t.participants.push_back(p);
      }
    }
    for (NodeId w : e->writers) t.writers.insert(w);
    u.txn = &t;
  } else if (const auto* e = o.as<ev::Decision>()) {
    Txn& t = txn(e->tx);
    if (e->by_coordinator && !t.coordinator_commit) {
      t.coordinator_commit = e->outcome == Outcome::kCommit;
      t.coordinator_decided_at = o.at;
    }
    u.txn = &t;
  } else if (const auto* e = o.as<ev::ParticipantRecovered>()) {
    on_recovered(o, *e->in_doubt, u);
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

void TxLedger::on_recovered(const Observation& o, const std::vector<TxId>& in_doubt, Update& u) {
  for (const TxId& id : order_) {
    Txn& t = txns_.find(id)->second;
    auto it = t.parts.find(o.node);
    if (it == t.parts.end()) continue;
    Part& p = it->second;
    bool doubt = std::find(in_doubt.begin(), in_doubt.end(), id) != in_doubt.end();
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
