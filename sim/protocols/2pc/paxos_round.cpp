#include "protocols/2pc/paxos_round.h"

#include <algorithm>

#include "core/json_object.h"
#include "protocols/2pc/messages.h"

namespace dsim::twopc {

int64_t next_ballot(int64_t above, uint32_t incarnation, NodeId self, size_t cluster_size) {
  const int64_t n = static_cast<int64_t>(cluster_size);
  int64_t b = std::max(above + 1, (static_cast<int64_t>(incarnation) << 32) + 1);
  int64_t want = (static_cast<int64_t>(self) + 1) % n;
  return b + ((want - b % n) % n + n) % n;
}

PaxosRound::PaxosRound(TxId tx, std::vector<std::string> rms, std::vector<NodeId> acceptors,
                       size_t quorum)
    : tx_(std::move(tx)), rms_(std::move(rms)), acceptors_(std::move(acceptors)), quorum_(quorum) {}

void PaxosRound::note_counters(const msg::TxMessage& m) {
  hops_ = std::max(hops_, m.hops);
  forces_ = std::max(forces_, m.forces);
}

void PaxosRound::on_p2b(NodeId acceptor, const msg::Phase2b& m) {
  note_counters(m);
  int64_t ballot = m.ballot;
  highest_seen_ = std::max(highest_seen_, ballot);
  for (const auto& [rm, value] : m.values) {
    auto& slot = accepted_[rm][ballot];
    slot.first = value;
    slot.second.insert(acceptor);
    if (slot.second.size() >= quorum_) chosen_[rm] = slot.first;
  }
}

void PaxosRound::start_ballot(Context& ctx) {
  ballot_ = next_ballot(std::max(highest_seen_, ballot_), ctx.incarnation(), ctx.self(), ctx.cluster().size());
  phase2_sent_ = false;
  promises_.clear();
  ++hops_;
  for (NodeId a : acceptors_) ctx.send(a, msg::Phase1a{{tx_, hops_, forces_}, rms_, ballot_});
}

void PaxosRound::on_p1b(Context& ctx, NodeId acceptor, const msg::Phase1b& m) {
  int64_t ballot = m.ballot;
  highest_seen_ = std::max(highest_seen_, m.max_promised);
  if (ballot != ballot_ || phase2_sent_ || !m.promised) return;
  note_counters(m);
  promises_[acceptor] = m.accepted;
  if (promises_.size() < quorum_) return;
  // Phase 2a: for each instance, the value accepted at the highest ballot, or "aborted".
  msg::RmValues values;
  for (const std::string& rm : rms_) {
    int64_t best = -1;
    std::string value = kAborted;
    for (const auto& [a, accepted] : promises_) {
      auto it = std::find_if(accepted.begin(), accepted.end(),
                             [&](const msg::AcceptedValue& v) { return v.rm == rm; });
      if (it == accepted.end() || !it->accepted) continue;
      int64_t b = it->accepted->first;
      if (b > best) {
        best = b;
        value = it->accepted->second;
      }
    }
    auto slot = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == rm; });
    if (slot == values.end()) {
      values.emplace_back(rm, value);
    } else {
      slot->second = value;
    }
  }
  phase2_sent_ = true;
  ++hops_;
  for (NodeId a : acceptors_) {
    ctx.send(a, msg::Phase2a{{tx_, hops_, forces_}, ballot_, values, ctx.self(), &ctx.cluster()});
  }
}

std::optional<Outcome> PaxosRound::outcome() const {
  for (const auto& [rm, value] : chosen_) {
    if (value == kAborted) return Outcome::kAbort;
  }
  if (chosen_.size() == rms_.size()) return Outcome::kCommit;
  return std::nullopt;
}

}  // namespace dsim::twopc
