// The transactions one role (a coordinator, a participant) keeps in memory, by id: a slot
// table instead of a hashed map of heap nodes. Slots live in a deque (a reference stays
// valid while other transactions come and go) and are reused once erased; an
// open-addressing index maps a TxId to its slot, and holds the id's integers itself so
// that a lookup touches no transaction but the one it finds.
//
// It also numbers the transactions for timers (a timer's argument is a transaction's
// handle, and the trace shows it): handles count from 1 in the order handle_of() is first
// asked for each transaction, and are never reused, so a timer that outlives its
// transaction finds nothing instead of a stranger (the numbering TxHandles, tx_handles.h,
// gave before, which the trace shows as the timers' "arg").
//
// T is the role's transaction record: it has `TxId id` and `int64_t handle = 0` (0: none
// yet), and is default-constructible.
// Walking the table (for_each) goes in slot order, which is no order at all to a trace:
// callers that show what they walk sort it first (by TxId::text_less).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "protocols/2pc/tx_id.h"

namespace dsim::twopc {

template <typename T>
class TxTable {
 public:
  T* find(const TxId& id) {
    if (index_.empty()) return nullptr;
    uint32_t slot = index_[probe(id)].slot;
    return slot == kNone ? nullptr : &slots_[slot];
  }
  const T* find(const TxId& id) const { return const_cast<TxTable*>(this)->find(id); }

  // The transaction `id`, made (a T{} with that id) when not there yet.
  T& get_or_add(const TxId& id) {
    if (index_.empty() || (size_ + 1) * 2 > index_.size()) grow();
    size_t at = probe(id);
    if (index_[at].slot != kNone) return slots_[index_[at].slot];
    uint32_t slot;
    if (free_.empty()) {
      slot = static_cast<uint32_t>(slots_.size());
      slots_.emplace_back();
      live_.push_back(true);
    } else {
      slot = free_.back();
      free_.pop_back();
      live_[slot] = true;
    }
    index_[at] = Entry{id.seq, id.coordinator, id.incarnation, slot};
    ++size_;
    T& tx = slots_[slot];
    tx.id = id;
    return tx;
  }

  // Forgets `tx` (a reference into this table); its handle finds nothing from now on.
  void erase(T& tx) {
    if (index_.empty()) return;
    size_t at = probe(tx.id);
    uint32_t slot = index_[at].slot;
    if (slot == kNone) return;
    if (tx.handle != 0) slot_of_handle_[static_cast<size_t>(tx.handle - 1)] = kNone;
    remove_at(at);
    slots_[slot] = T{};
    live_[slot] = false;
    free_.push_back(slot);
    --size_;
  }

  // The transaction's timer handle, numbered on first use.
  int64_t handle_of(T& tx) {
    if (tx.handle == 0) {
      slot_of_handle_.push_back(slot_of(tx));
      tx.handle = static_cast<int64_t>(slot_of_handle_.size());
    }
    return tx.handle;
  }
  // The transaction a handle numbers, or null (unknown, or forgotten since).
  T* by_handle(int64_t handle) {
    if (handle <= 0 || static_cast<uint64_t>(handle) > slot_of_handle_.size()) return nullptr;
    uint32_t slot = slot_of_handle_[static_cast<size_t>(handle - 1)];
    return slot == kNone ? nullptr : &slots_[slot];
  }

  size_t size() const { return size_; }
  // Calls f(T&) for every transaction, in slot order (see the file comment).
  template <typename F>
  void for_each(F&& f) {
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (live_[i]) f(slots_[i]);
    }
  }
  template <typename F>
  void for_each(F&& f) const {
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (live_[i]) f(slots_[i]);
    }
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  // An index position: the id's integers (TxId's equality) and its slot; kNone: empty.
  struct Entry {
    uint64_t seq = 0;
    NodeId coordinator = kNoNode;
    uint32_t incarnation = 0;
    uint32_t slot = kNone;
    bool is(const TxId& id) const {
      return seq == id.seq && coordinator == id.coordinator && incarnation == id.incarnation;
    }
    TxId id() const { return TxId{nullptr, coordinator, incarnation, seq}; }
  };

  size_t home(const TxId& id) const { return TxIdHash{}(id) & (index_.size() - 1); }
  // The index position holding `id`, or the empty one where it would go. REQUIRES: an
  // index (after the first add).
  size_t probe(const TxId& id) const {
    size_t mask = index_.size() - 1;
    for (size_t at = home(id);; at = (at + 1) & mask) {
      const Entry& e = index_[at];
      if (e.slot == kNone || e.is(id)) return at;
    }
  }
  uint32_t slot_of(const T& tx) const { return index_[probe(tx.id)].slot; }
  // Linear probing's deletion: shift back the entries that probed past the hole.
  void remove_at(size_t hole) {
    size_t mask = index_.size() - 1;
    index_[hole] = Entry{};
    for (size_t at = (hole + 1) & mask; index_[at].slot != kNone; at = (at + 1) & mask) {
      size_t want = home(index_[at].id());
      // Move it into the hole unless its home lies cyclically in (hole, at].
      bool stays = hole <= at ? (hole < want && want <= at) : (hole < want || want <= at);
      if (stays) continue;
      index_[hole] = index_[at];
      index_[at] = Entry{};
      hole = at;
    }
  }
  void grow() {
    std::vector<Entry> old = std::move(index_);
    index_.assign(old.empty() ? 64 : old.size() * 2, Entry{});
    for (const Entry& e : old) {
      if (e.slot != kNone) index_[probe(e.id())] = e;
    }
  }

  std::deque<T> slots_;
  std::vector<bool> live_;
  std::vector<uint32_t> free_;
  std::vector<Entry> index_;  // open addressing, a power of two, at most half full
  std::vector<uint32_t> slot_of_handle_;  // handle h -> slot, at h - 1
  size_t size_ = 0;
};

}  // namespace dsim::twopc
