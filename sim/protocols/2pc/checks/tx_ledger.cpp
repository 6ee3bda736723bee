#include "protocols/2pc/checks/tx_ledger.h"

#include <algorithm>

#include "core/fault_events.h"

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

TxIndex TxLedger::index(const TxId& id) {
  // Consecutive events and messages often name the same transaction (a coordinator's
  // round of messages, a participant's vote and log record).
  if (last_index_ != kNoTx && id == ids_[last_index_]) return last_index_;
  Origin* o = const_cast<Origin*>(origin_of(id));
  if (o == nullptr) {
    o = &origins_.emplace_back();
    o->coordinator = id.coordinator;
    o->incarnation = id.incarnation;
  }
  TxIndex* slot = nullptr;
  if (id.seq < o->by_seq.size() + kDenseSlack) {
    if (id.seq >= o->by_seq.size()) o->by_seq.resize(std::max<size_t>(id.seq + 1, o->by_seq.size() * 2), kNoTx);
    slot = &o->by_seq[id.seq];
  } else {
    auto [it, fresh] = index_.try_emplace(id, kNoTx);
    slot = &it->second;
  }
  if (*slot == kNoTx && !index_.empty()) {
    // Given before the array reached it?
    auto it = index_.find(id);
    if (it != index_.end()) *slot = it->second;
  }
  if (*slot == kNoTx) {
    *slot = static_cast<TxIndex>(ids_.size());
    ids_.push_back(id);
    txn_at_.push_back(kNoTx);
  }
  last_index_ = *slot;
  return last_index_;
}

TxLedger::Txn& TxLedger::txn(TxIndex i) {
  if (txn_at_[i] != kNoTx) return txns_[txn_at_[i]];  // most events
  txn_at_[i] = static_cast<TxIndex>(txns_.size());
  Txn& t = txns_.emplace_back();
  t.id = ids_[i];
  t.index = i;
  return t;
}

TxLedger::Part& TxLedger::part(const Observation& o, TxIndex i, Update& u) {
  Txn& t = txn(i);
  u.txn = &t;
  // A node with a part is among the participants already (most events).
  if (Part* p = t.parts.get(o.node)) return *p;
  if (std::find(t.participants.begin(), t.participants.end(), o.node) == t.participants.end()) {
    t.participants.push_back(o.node);
  }
  return t.parts[o.node];
}

std::string_view TxLedger::intern_via(std::string_view via) {
  for (const std::string& v : vias_) {
    if (v == via) return v;
  }
  return vias_.emplace_back(via);
}

std::vector<const PayloadKind*> TxLedger::event_kinds() {
  return kinds_of<ev::OutcomeApplied, ev::VoteCast, ev::Work, ev::Executed, ev::Log, ev::TxBegin, ev::Decision,
                  ev::End, ev::UnknownDecision, ev::Resend, ev::Answer, ev::Accepted, ev::ParticipantRecovered,
                  ev::CoordinatorRecovered, fault_events::Crash, fault_events::Restart>();
}

void TxLedger::observe(const Observation& o, Update& u) {
  u.tx = kNoTx;
  u.txn = nullptr;
  u.forgotten.clear();
  u.reopened.clear();
  u.prior.reset();
  if (!o.from_protocol) {
    if (o.node == kNoNode) return;
    if (o.event == "crash") {
      if (o.node >= down_.size()) {
        down_.resize(o.node + 1, false);
        last_crash_.resize(o.node + 1, Instant::max());
      }
      down_[o.node] = true;
      last_crash_[o.node] = o.at;
    } else if (o.event == "restart") {
      if (o.node < down_.size()) down_[o.node] = false;
    }
    return;
  }
  // Participants' events first: they are most of a run's.
  if (const auto* e = o.as<ev::OutcomeApplied>()) {
    u.tx = index(e->tx);
    Part& p = part(o, u.tx, u);
    u.prior = p;
    bool commit = e->outcome == Outcome::kCommit;
    p.state = commit ? State::kCommitted : State::kAborted;
    p.since = o.at;
    (commit ? p.committed_ever : p.aborted_ever) = true;
    if (p.decided_at == Instant::max()) p.decided_at = o.at;
    p.heuristic = p.heuristic || e->heuristic;
    p.via = intern_via(e->via);
  } else if (const auto* e = o.as<ev::VoteCast>()) {
    u.tx = index(e->tx);
    Part& p = part(o, u.tx, u);
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
    u.tx = index(e->tx);
    Part& p = part(o, u.tx, u);
    u.prior = p;
    p.state = State::kWorking;
    p.since = o.at;
  } else if (const auto* e = o.as<ev::Executed>()) {
    u.tx = index(e->tx);
    Part& p = part(o, u.tx, u);
    u.prior = p;
    if (e->ok) {
      p.state = State::kExecuted;
      p.since = o.at;
    }
  } else if (const auto* e = o.as<ev::Log>()) {
    u.tx = index(e->tx);
  } else if (const auto* e = o.as<ev::TxBegin>()) {
    u.tx = index(e->tx);
    Txn& t = txn(u.tx);
    t.coordinator = o.node;
    t.begun = o.at;
    t.participants.reserve(e->participants.size());
    t.parts.reserve(e->participants.size());
    for (NodeId p : e->participants) {
      if (std::find(t.participants.begin(), t.participants.end(), p) == t.participants.end()) {
        t.participants.push_back(p);
      }
    }
    for (NodeId w : e->writers) t.writers.insert(w);
    u.txn = &t;
  } else if (const auto* e = o.as<ev::Decision>()) {
    u.tx = index(e->tx);
    Txn& t = txn(u.tx);
    if (e->by_coordinator && !t.coordinator_commit) {
      t.coordinator_commit = e->outcome == Outcome::kCommit;
      t.coordinator_decided_at = o.at;
    }
    u.txn = &t;
  } else if (const auto* e = o.as<ev::End>()) {
    u.tx = index(e->tx);
  } else if (const auto* e = o.as<ev::UnknownDecision>()) {
    u.tx = index(e->tx);
  } else if (const auto* e = o.as<ev::Resend>()) {
    u.tx = index(e->tx);
  } else if (const auto* e = o.as<ev::Answer>()) {
    u.tx = index(e->tx);
  } else if (const auto* e = o.as<ev::Accepted>()) {
    u.tx = index(e->tx);
  } else if (const auto* e = o.as<ev::ParticipantRecovered>()) {
    for (const TxId& id : *e->in_doubt) index(id);
    on_recovered(o, *e->in_doubt, u);
  } else if (const auto* e = o.as<ev::CoordinatorRecovered>()) {
    for (const auto& [id, outcome] : *e->decisions) index(id);
    for (const TxId& id : *e->collecting) index(id);
  }
}

void TxLedger::on_recovered(const Observation& o, const std::vector<TxId>& in_doubt, Update& u) {
  in_doubt_mark_.assign(ids_.size(), 0);
  for (const TxId& id : in_doubt) in_doubt_mark_[index_of(id)] = 1;
  for (Txn& t : txns_) {
    Part* found = t.parts.get(o.node);
    if (found == nullptr) continue;
    Part& p = *found;
    bool doubt = in_doubt_mark_[t.index] != 0;
    if (pending(p.state)) {
      if (doubt) {
        p.state = State::kPrepared;
        continue;
      }
      // Whatever it had not logged is gone: its side of the transaction is undone.
      p.state = State::kLost;
      p.since = o.at;
      p.aborted_ever = true;
      u.forgotten.push_back(t.index);
    } else if (doubt && (p.state == State::kCommitted || p.state == State::kAborted)) {
      // Its outcome record was not forced and did not survive: in doubt again.
      p.state = State::kPrepared;
      u.reopened.push_back(t.index);
    }
  }
}

}  // namespace dsim::twopc
