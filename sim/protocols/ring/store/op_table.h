// Operations in progress, by their id: a coordinator's or a client's, numbered 1, 2, ...
// and each in progress briefly. A power-of-two table indexed by id (the id's low bits),
// doubled when a new id would land on one still in progress, so lookups are one probe and
// it stays as small as the number in progress. A finished slot keeps its value's storage
// (strings, vectors) for the next operation: no allocation per operation once warm.
#pragma once

#include <cstdint>
#include <vector>

namespace dsim::ring {

template <typename T>
class OpTable {
 public:
  // The operation's value, or null when it is not in progress.
  T* find(int64_t op) {
    Slot& s = slot(op);
    return s.live && s.op == op ? &s.value : nullptr;
  }
  // REQUIRES: `op` is not in progress. The slot's value holds whatever a finished
  // operation left there: the caller sets every member.
  T& insert(int64_t op) {
    while (slot(op).live) grow();
    Slot& s = slot(op);
    s.op = op;
    s.live = true;
    return s.value;
  }
  void erase(int64_t op) {
    Slot& s = slot(op);
    if (s.live && s.op == op) s.live = false;
  }

 private:
  struct Slot {
    int64_t op = 0;
    bool live = false;
    T value{};
  };

  Slot& slot(int64_t op) { return slots_[static_cast<uint64_t>(op) & (slots_.size() - 1)]; }

  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (Slot& s : old) {
      if (s.live) slot(s.op) = std::move(s);
    }
  }

  std::vector<Slot> slots_ = std::vector<Slot>(8);
};

}  // namespace dsim::ring
