// The transactions one role (a coordinator, a participant) keeps in memory, by id: a slot
// table instead of a hashed map of heap nodes. Slots live in blocks of kBlockSlots that
// never move (a reference stays valid while other transactions come and go: a block is
// one allocation per kBlockSlots transactions, where a std::deque of a participant's
// 128-byte records made one per 4) and are reused once erased; an index
// (TxSlotIndex, tx_slot_index.h: an array by sequence number per coordinator) maps an id
// to its slot, so that a lookup touches no transaction but the one it finds.
//
// It also numbers the transactions for timers (a timer's argument is a transaction's
// handle, and the trace shows it): handles count from 1 in the order handle_of() is first
// asked for each transaction, and are never reused, so a timer that outlives its
// transaction finds nothing instead of a stranger (the trace shows them as the timers'
// "arg").
//
// T is the role's transaction record: it has `TxId id` and `int64_t handle = 0` (0: none
// yet), and is default-constructible.
// Walking the table (for_each) goes in slot order, which is no order at all to a trace:
// callers that show what they walk sort it first (by TxId::text_less).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "protocols/2pc/tx_id.h"
#include "protocols/2pc/tx_slot_index.h"

namespace dsim::twopc {

template <typename T>
class TxTable {
 public:
  T* find(const TxId& id) {
    uint32_t slot = index_.find(id);
    return slot == kNone ? nullptr : &at(slot);
  }
  const T* find(const TxId& id) const { return const_cast<TxTable*>(this)->find(id); }

  // The transaction `id`, made (a T{} with that id) when not there yet.
  T& get_or_add(const TxId& id) {
    if (T* known = find(id)) return *known;
    return add(id);
  }
  // The same for an id known to be new. REQUIRES: find(id) == nullptr.
  T& add(const TxId& id) {
    uint32_t slot;
    if (free_.empty()) {
      slot = static_cast<uint32_t>(live_.size());
      // A new block's slots are all made (T{}) at once; the slot is one of them.
      if (slot % kBlockSlots == 0) blocks_.push_back(std::make_unique<T[]>(kBlockSlots));
      live_.push_back(true);
    } else {
      slot = free_.back();
      free_.pop_back();
      live_[slot] = true;
    }
    index_.insert(id, slot);
    T& tx = at(slot);
    tx.id = id;
    return tx;
  }

  // Forgets `tx` (a reference into this table); its handle finds nothing from now on.
  void erase(T& tx) {
    uint32_t slot = index_.find(tx.id);
    if (slot == kNone) return;
    if (tx.handle != 0) slot_of_handle_[static_cast<size_t>(tx.handle - 1)] = kNone;
    index_.erase(tx.id);
    at(slot) = T{};
    live_[slot] = false;
    free_.push_back(slot);
  }

  // The transaction's timer handle, numbered on first use.
  int64_t handle_of(T& tx) {
    if (tx.handle == 0) {
      slot_of_handle_.push_back(index_.find(tx.id));
      tx.handle = static_cast<int64_t>(slot_of_handle_.size());
    }
    return tx.handle;
  }
  // The transaction a handle numbers, or null (unknown, or forgotten since).
  T* by_handle(int64_t handle) {
    if (handle <= 0 || static_cast<uint64_t>(handle) > slot_of_handle_.size()) return nullptr;
    uint32_t slot = slot_of_handle_[static_cast<size_t>(handle - 1)];
    return slot == kNone ? nullptr : &at(slot);
  }

  // Room for `n` transactions without growing (Settings::expected_transactions).
  void reserve(size_t n) {
    live_.reserve(n);
    blocks_.reserve((n + kBlockSlots - 1) / kBlockSlots);
    slot_of_handle_.reserve(n);
    index_.reserve(n);
  }

  size_t size() const { return index_.size(); }
  // Calls f(T&) for every transaction, in slot order (see the file comment).
  template <typename F>
  void for_each(F&& f) {
    for (size_t i = 0; i < live_.size(); ++i) {
      if (live_[i]) f(at(i));
    }
  }
  template <typename F>
  void for_each(F&& f) const {
    for (size_t i = 0; i < live_.size(); ++i) {
      if (live_[i]) f(at(i));
    }
  }

 private:
  static constexpr uint32_t kNone = TxSlotIndex::kNone;
  // Slots per block: a power of two (the slot's block and place are a shift and a mask).
  static constexpr size_t kBlockSlots = 64;

  T& at(size_t slot) { return blocks_[slot / kBlockSlots][slot % kBlockSlots]; }
  const T& at(size_t slot) const { return blocks_[slot / kBlockSlots][slot % kBlockSlots]; }

  std::vector<std::unique_ptr<T[]>> blocks_;  // slot s: blocks_[s / kBlockSlots][s % kBlockSlots]
  std::vector<bool> live_;  // by slot; its size is the number of slots made
  std::vector<uint32_t> free_;
  TxSlotIndex index_;  // id -> slot; never walked
  std::vector<uint32_t> slot_of_handle_;  // handle h -> slot, at h - 1
};

}  // namespace dsim::twopc
