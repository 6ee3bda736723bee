// The index of a TxTable (tx_table.h): a transaction id -> its slot in the table.
//
// Ids are dense where they are made: a coordinator numbers its transactions 1, 2, 3...
// within each incarnation (coordinator_base.cpp). So the index is an array by sequence
// number per origin (coordinator, incarnation), and a run has a handful of origins: a
// lookup is a short scan of the origins (the last one found is tried first) and one array
// read, with no hashing and no probing. An id far past its origin's numbers so far (a
// test's, or one no coordinator of this run gave) goes to a hashed side map instead, so a
// stray number cannot blow an array up; it stays there until erased.
//
// Never walked: nothing about it can reach a trace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "protocols/2pc/tx_id.h"
#include "protocols/2pc/tx_id_map.h"

namespace dsim::twopc {

class TxSlotIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // The slot of `id`, or kNone.
  uint32_t find(const TxId& id) const {
    if (const Origin* o = origin_of(id); o != nullptr && id.seq < o->slot_by_seq.size()) {
      uint32_t slot = o->slot_by_seq[id.seq];
      if (slot != kNone) return slot;
    }
    if (stray_.empty()) return kNone;
    auto it = stray_.find(id);
    return it == stray_.end() ? kNone : it->second;
  }

  // Gives `id` the slot. REQUIRES: find(id) == kNone, slot != kNone.
  void insert(const TxId& id, uint32_t slot) {
    ++size_;
    Origin* o = origin_of(id);
    if (o == nullptr && id.seq < kDenseReach) {
      origins_.push_back(Origin{id.coordinator, id.incarnation, {}});
      last_ = origins_.size() - 1;
      o = &origins_.back();
      // Numbers start at 1 (seq 0 is the empty id): room for the expected ones.
      o->slot_by_seq.reserve(expected_ + 1);
    }
    if (o != nullptr && id.seq < o->slot_by_seq.size() + kDenseReach) {
      std::vector<uint32_t>& by_seq = o->slot_by_seq;
      // Mostly the next number, or one a little past it (a participant sees only the
      // transactions it takes part in): grow by the gap, within the room reserved.
      while (by_seq.size() <= id.seq) by_seq.push_back(kNone);
      by_seq[id.seq] = slot;
      return;
    }
    stray_.emplace(id, slot);
  }

  // Forgets `id` (nothing when it has no slot).
  void erase(const TxId& id) {
    if (Origin* o = origin_of(id); o != nullptr && id.seq < o->slot_by_seq.size()) {
      uint32_t& slot = o->slot_by_seq[id.seq];
      if (slot != kNone) {
        slot = kNone;
        --size_;
        return;
      }
    }
    if (!stray_.empty() && stray_.erase(id) > 0) --size_;
  }

  size_t size() const { return size_; }
  // Room for `n` numbers per origin (the ones it makes from now on) without growing.
  void reserve(size_t n) { expected_ = n; }

 private:
  // How far past an origin's highest number an id still goes into its array.
  static constexpr uint64_t kDenseReach = 4096;

  struct Origin {
    NodeId coordinator;
    uint32_t incarnation;
    std::vector<uint32_t> slot_by_seq;  // kNone: no such transaction
  };

  const Origin* origin_of(const TxId& id) const {
    if (last_ < origins_.size() && origins_[last_].coordinator == id.coordinator &&
        origins_[last_].incarnation == id.incarnation) {
      return &origins_[last_];
    }
    for (size_t k = 0; k < origins_.size(); ++k) {
      if (origins_[k].coordinator == id.coordinator && origins_[k].incarnation == id.incarnation) {
        last_ = k;
        return &origins_[k];
      }
    }
    return nullptr;
  }
  Origin* origin_of(const TxId& id) { return const_cast<Origin*>(std::as_const(*this).origin_of(id)); }

  std::vector<Origin> origins_;
  mutable size_t last_ = 0;  // the origin found last (a cache: no effect on what is found)
  TxIdMap<uint32_t> stray_;   // ids out of their origin's reach
  size_t size_ = 0;
  size_t expected_ = 0;  // numbers per origin to make room for (reserve)
};

}  // namespace dsim::twopc
