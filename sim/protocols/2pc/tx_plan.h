// One transaction's plan: who takes part and what each participant is asked, built once by
// the coordinator when it takes the client's request, then shared, never changed, by every
// Execute and Prepare about the transaction (messages.h). Sharing it keeps those messages
// within the core's inline message storage (core/payload.h: 56 bytes), so sending one
// allocates nothing and copies no op list.
//
// PlanRef counts its holders without atomics: a plan lives inside one simulation, and a
// simulation runs on one thread (a sweep's workers each run their own simulations).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "protocols/2pc/bank.h"

namespace dsim::twopc {

struct TxPlan {
  std::vector<NodeId> participants;  // in id order, as the coordinator's transaction lists them
  // The acceptors (Paxos Commit only; empty in every other variant, settings.cpp).
  std::vector<NodeId> acceptors;
  // ops[k]: participants[k]'s op list, in the order the client wrote it. Empty when the
  // coordinator no longer knows it (a transaction it recovered): only Execute reads it.
  std::vector<std::vector<Op>> ops;
};

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
