#include "protocols/twopc/paxos_round.h"

#include <algorithm>

#include "core/json_object.h"
#include "protocols/twopc/messages.h"

namespace dsim::twopc {

int64_t next_ballot(int64_t above, uint32_t incarnation, NodeId self, size_t cluster_size) {
  const int64_t n = static_cast<int64_t>(cluster_size);
  int64_t b = std::max(above + 1, (static_cast<int64_t>(incarnation) << 32) + 1);
  int64_t want = (static_cast<int64_t>(self) + 1) % n;
  return b + ((want - b % n) % n + n) % n;
}

PaxosRound::PaxosRound(std::string tx, std::vector<std::string> rms, std::vector<NodeId> acceptors,
                       size_t quorum)
    : tx_(std::move(tx)), rms_(std::move(rms)), acceptors_(std::move(acceptors)), quorum_(quorum) {}

void PaxosRound::note_counters(const Json& body) {
  hops_ = std::max(hops_, msg::hops_of(body));
  forces_ = std::max(forces_, msg::forces_of(body));
}

void PaxosRound::on_p2b(NodeId acceptor, const Json& body) {
  note_counters(body);
  int64_t ballot = body.at("ballot").get<int64_t>();
  highest_seen_ = std::max(highest_seen_, ballot);
  for (const auto& [rm, value] : body.at("values").items()) {
    auto& slot = accepted_[rm][ballot];
    slot.first = value.get<std::string>();
    slot.second.insert(acceptor);
    if (slot.second.size() >= quorum_) chosen_[rm] = slot.first;
  }
}

void PaxosRound::start_ballot(Context& ctx) {
  ballot_ = next_ballot(std::max(highest_seen_, ballot_), ctx.incarnation(), ctx.self(), ctx.cluster().size());
  phase2_sent_ = false;
  promises_.clear();
  Json rms(rms_);
  ++hops_;
  for (NodeId a : acceptors_) {
    ctx.send(a, msg::about(msg::kPhase1a, tx_, hops_, forces_, json_object("rms", rms,
                                                                           "ballot", ballot_)));
  }
}

void PaxosRound::on_p1b(Context& ctx, NodeId acceptor, const Json& body) {
  int64_t ballot = body.at("ballot").get<int64_t>();
  highest_seen_ = std::max(highest_seen_, body.at("max_promised").get<int64_t>());
  if (ballot != ballot_ || phase2_sent_ || !body.at("promised").get<bool>()) return;
  note_counters(body);
  promises_[acceptor] = body.at("accepted");
  if (promises_.size() < quorum_) return;
  // Phase 2a: for each instance, the value accepted at the highest ballot, or "aborted".
  Json values = Json::object();
  for (const std::string& rm : rms_) {
    int64_t best = -1;
    std::string value = kAborted;
    for (const auto& [a, accepted] : promises_) {
      if (!accepted.contains(rm) || accepted.at(rm).is_null()) continue;
      int64_t b = accepted.at(rm).at("ballot").get<int64_t>();
      if (b > best) {
        best = b;
        value = accepted.at(rm).at("value").get<std::string>();
      }
    }
    values[rm] = value;
  }
  phase2_sent_ = true;
  ++hops_;
  for (NodeId a : acceptors_) {
    ctx.send(a, msg::about(msg::kPhase2a, tx_, hops_, forces_,
                           json_object("ballot", ballot_,
                                       "values", values,
                                       "reply_to", ctx.name())));
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
