// A map from TxId to a small value, flat: one array of slots, open addressing with linear
// probing, no heap node per entry. Every 2PC event names a transaction, so the checks and
// the roles look one up per event; std::unordered_map's node per entry and its teardown
// were a tenth of a 2PC run.
//
// Lookups and inserts hash the id once (TxIdHash). Erase shifts the following slots back
// (no tombstones), so a long run of inserts and erases keeps probes short. A pointer to a
// value stays valid until the next insert (which may grow the table) or erase.
// Iteration order is not offered: nothing may depend on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "protocols/2pc/tx_id.h"

namespace dsim::twopc {

template <typename V>
class TxIdMap {
 public:
  V* find(const TxId& key) {
    if (key.empty()) return has_empty_ ? &empty_value_ : nullptr;
    if (size_ == 0) return nullptr;
    for (size_t i = home(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key.empty()) return nullptr;
      if (s.key == key) return &s.value;
    }
  }
  const V* find(const TxId& key) const { return const_cast<TxIdMap*>(this)->find(key); }

  // The value of `key`, inserted as `value` if absent; true when it was inserted.
  std::pair<V*, bool> try_emplace(const TxId& key, V value) {
    if (key.empty()) {
      bool fresh = !has_empty_;
      if (fresh) empty_value_ = std::move(value);
      has_empty_ = true;
      return {&empty_value_, fresh};
    }
    if ((size_ + 1) * 2 > slots_.size()) grow();  // at most half full: short probes
    for (size_t i = home(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key.empty()) {
        s.key = key;
        s.value = std::move(value);
        ++size_;
        return {&s.value, true};
      }
      if (s.key == key) return {&s.value, false};
    }
  }

  bool erase(const TxId& key) {
    if (key.empty()) {
      bool had = has_empty_;
      has_empty_ = false;
      empty_value_ = V{};
      return had;
    }
    if (size_ == 0) return false;
    size_t i = home(key);
    for (;; i = (i + 1) & mask_) {
      if (slots_[i].key.empty()) return false;
      if (slots_[i].key == key) break;
    }
    // Backward shift: move each later slot of the probe run into the hole when its home
    // position allows it, so no lookup ever stops early at the hole.
    for (size_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
      Slot& next = slots_[j];
      if (next.key.empty()) break;
      size_t h = home(next.key);
      bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
      if (stays) continue;
      slots_[i] = std::move(next);
      i = j;
    }
    slots_[i] = Slot{};
    --size_;
    return true;
  }

  size_t size() const { return size_ + (has_empty_ ? 1 : 0); }
  bool empty() const { return size() == 0; }

 private:
  struct Slot {
    TxId key;  // the empty id: a free slot
    V value{};
  };

  size_t home(const TxId& key) const {
    // Fibonacci hashing of TxIdHash: the high bits of the product pick the slot.
    uint64_t h = static_cast<uint64_t>(TxIdHash{}(key)) * 0x9E3779B97F4A7C15ULL;
    return static_cast<size_t>(h >> shift_);
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    size_t capacity = old.empty() ? 16 : old.size() * 2;
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    shift_ = 64;
    for (size_t c = capacity; c > 1; c >>= 1) --shift_;
    for (Slot& s : old) {
      if (s.key.empty()) continue;
      size_t i = home(s.key);
      while (!slots_[i].key.empty()) i = (i + 1) & mask_;
      slots_[i] = std::move(s);
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;  // occupied slots
  size_t mask_ = 0;
  unsigned shift_ = 64;
  bool has_empty_ = false;  // the empty id, kept beside the table
  V empty_value_{};
};

}  // namespace dsim::twopc
