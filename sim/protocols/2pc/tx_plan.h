// One transaction's plan: who takes part and what each participant is asked, built once by
// the client as its request (plan_of_request), then shared, never changed, by the Begin,
// the coordinator's transaction and every Execute and Prepare about it (messages.h). The
// coordinator takes the request's plan as it is, or a copy that names its acceptors (Paxos
// Commit). Sharing it keeps those messages within the core's inline message storage
// (core/payload.h: 56 bytes), so sending one allocates nothing and copies no op list.
//
// PlanRef counts its holders without atomics: a plan lives inside one simulation, and a
// simulation runs on one thread (a sweep's workers each run their own simulations).
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "protocols/2pc/bank.h"
#include "protocols/2pc/small_vec.h"

namespace dsim::twopc {

struct TxPlan {
  std::vector<NodeId> participants;  // in id order, as the coordinator's transaction lists them
  // The acceptors (Paxos Commit only; empty in every other variant, settings.cpp).
  std::vector<NodeId> acceptors;
  // ops[k]: participants[k]'s op list, in the order the client wrote it. Empty when the
  // coordinator no longer knows it (a transaction it recovered): only Execute reads it.
  std::vector<std::vector<Op>> ops;
  // The order the client wrote its participants in, as indexes into `participants` (the
  // Begin and the client's trace show the ops in that order). Empty in a plan not made
  // from a request.
  SmallVec<uint32_t, 4> request_order;
};

// The plan of a client's request. `written` lists op lists by participant in the order
// the client wrote them; a participant named twice keeps its first place and its last
// list (as a JSON object keyed by participant would). The lists are moved out of
// `written`, which the caller may clear and reuse. The plan names no acceptors.
inline TxPlan plan_of_request(std::vector<std::pair<NodeId, std::vector<Op>>>& written) {
  TxPlan plan;
  plan.participants.reserve(written.size());
  for (const auto& [p, ops] : written) {
    if (std::find(plan.participants.begin(), plan.participants.end(), p) == plan.participants.end()) {
      plan.participants.push_back(p);
      static_assert(std::is_same_v<NodeId, uint32_t>);
      plan.request_order.push_back(p);  // a node id for now: made an index below
    }
  }
  std::sort(plan.participants.begin(), plan.participants.end());
  auto index_of = [&plan](NodeId p) {
    return static_cast<uint32_t>(std::lower_bound(plan.participants.begin(), plan.participants.end(), p) -
                                 plan.participants.begin());
  };
  plan.ops.resize(plan.participants.size());
  for (auto& [p, ops] : written) plan.ops[index_of(p)] = std::move(ops);  // the last list wins
  for (uint32_t& k : plan.request_order) k = index_of(k);
  return plan;
}

// A shared, read-only handle to a TxPlan (one pointer: a message's inline room is small).
class PlanRef {
 public:
  PlanRef() = default;
  static PlanRef make(TxPlan plan) {
    PlanRef r;
    r.block_ = new Block{std::move(plan), 1};
    return r;
  }
  PlanRef(const PlanRef& other) noexcept : block_(other.block_) {
    if (block_ != nullptr) ++block_->holders;
  }
  PlanRef(PlanRef&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
  PlanRef& operator=(const PlanRef& other) noexcept {
    PlanRef copy(other);
    std::swap(block_, copy.block_);
    return *this;
  }
  PlanRef& operator=(PlanRef&& other) noexcept {
    PlanRef taken(std::move(other));
    std::swap(block_, taken.block_);
    return *this;
  }
  ~PlanRef() {
    if (block_ != nullptr && --block_->holders == 0) delete block_;
  }

  explicit operator bool() const { return block_ != nullptr; }
  // REQUIRES: not empty.
  const TxPlan& operator*() const { return block_->plan; }
  const TxPlan* operator->() const { return &block_->plan; }

 private:
  struct Block {
    TxPlan plan;
    uint64_t holders;
  };
  Block* block_ = nullptr;
};

}  // namespace dsim::twopc
