// The pending-event queue: a 4-ary min-heap ordered by (time, sequence number). The
// sequence number is taken at insertion, so events at the same instant run in the order
// they were scheduled — never in an order that depends on memory layout.
#pragma once

#include <cstdint>
#include <vector>

namespace dsim {

enum class EventKind : uint32_t { kDeliver, kTimer, kAction };

struct QueuedEvent {
  int64_t at_ns;
  uint64_t seq;
  EventKind kind;
  uint32_t slot;  // index into the simulator's table for this kind
};

class EventQueue {
 public:
  void push(int64_t at_ns, EventKind kind, uint32_t slot) {
    heap_.push_back({at_ns, next_seq_++, kind, slot});
    sift_up(heap_.size() - 1);
  }
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  const QueuedEvent& top() const { return heap_.front(); }
  QueuedEvent pop() {
    QueuedEvent out = heap_.front();
    QueuedEvent last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(last);
    return out;
  }
  size_t capacity_bytes() const { return heap_.capacity() * sizeof(QueuedEvent); }

 private:
  static bool before(const QueuedEvent& a, const QueuedEvent& b) {
    return a.at_ns < b.at_ns || (a.at_ns == b.at_ns && a.seq < b.seq);
  }
  void sift_up(size_t i) {
    QueuedEvent e = heap_[i];
    while (i > 0) {
      size_t parent = (i - 1) / 4;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  // Places `e` (the old last element) starting from the root.
  void sift_down(QueuedEvent e) {
    size_t n = heap_.size();
    size_t i = 0;
    for (;;) {
      size_t first = 4 * i + 1;
      if (first >= n) break;
      size_t best = first;
      size_t end = first + 4 < n ? first + 4 : n;
      for (size_t c = first + 1; c < end; ++c) {
        if (before(heap_[c], heap_[best])) best = c;
      }
      if (!before(heap_[best], e)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = e;
  }

  std::vector<QueuedEvent> heap_;
  uint64_t next_seq_ = 0;
};

}  // namespace dsim
