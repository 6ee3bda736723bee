// The pending-event queue, ordered by (time, insertion order): events at the same instant
// run in the order they were scheduled — never in an order that depends on memory layout.
//
// It is a radix heap (Ahuja, Mehlhorn, Orlin & Tarjan, 1990) with 32-way digits, which
// fits a simulator because nothing is ever scheduled before the event being handled:
// every key pushed is >= the last key popped. Times are read as 13 digits of 5 bits. An
// event whose time equals that last time is in bucket 0; any other is in the bucket of
// (the highest digit where its time differs from the last time, its own value of that
// digit). Every time in a bucket is below every time in a bucket of a higher digit, or of
// the same digit with a higher value. Popping takes the front of bucket 0; when it is
// empty, the lowest non-empty bucket is spread over the buckets below it around its own
// minimum. Each spread moves an event to a lower digit, so it moves at most 13 times, by
// sequential scans (binary digits moved it up to 64 times, about once per halving of its
// distance to the front, which made spreading the queue's main cost); a queue of
// millions of events costs a few cache misses per event where a binary heap pays one
// per level.
//
// Insertion order needs no sequence number: events with equal times always share a
// bucket, every bucket is a FIFO, and spreading a bucket keeps its order — so among equal
// times, earlier pushes come out first.
//
// Buckets are chains of fixed-size chunks from one shared pool, so memory is about 12
// bytes per pending event however the events are spread (plus at most one part-filled
// chunk per bucket), and growing never copies. What the growth check counts for the queue
// (counted_bytes()) is those 12 bytes per event at the most events ever pending: a figure
// of the run's events alone, which no change to how buckets are spread can move.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

namespace dsim {

enum class EventKind : uint32_t { kDeliver, kTimer, kAction };

struct QueuedEvent {
  int64_t at_ns;
  EventKind kind;
  uint32_t slot;  // index into the simulator's table for this kind
};

class EventQueue {
 public:
  // REQUIRES: at_ns >= the time of the last event popped (or peeked by next_at_ns()),
  // and slot < 2^30.
  void push(int64_t at_ns, EventKind kind, uint32_t slot) {
    if (at_ns < static_cast<int64_t>(last_ns_) || slot >= kMaxSlots) misuse(at_ns, slot);
    append(bucket_of(static_cast<uint64_t>(at_ns)), static_cast<uint64_t>(at_ns),
           (slot << 2) | static_cast<uint32_t>(kind));
    if (++size_ > peak_size_) peak_size_ = size_;
  }
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  // Bytes per pending event, in a full chunk.
  static constexpr size_t kBytesPerEvent = sizeof(uint64_t) + sizeof(uint32_t);
  // What the growth check counts (Simulation::live_bytes()): kBytesPerEvent per event at
  // the most events pending at once, as the estimate made before a run counts a message or
  // a timer (Simulation::bytes_per_message()). It depends only on the pushes and pops, so
  // a seed stops at the same event whatever path spreading takes. Left out: the part-filled
  // chunk of each non-empty bucket (at most 417 x 3 KiB, 160 KiB in a 2PC run), a fixed
  // cost left to the estimate's allowance for the process (scenario/memory_estimate.cpp).
  size_t counted_bytes() const { return peak_size_ * kBytesPerEvent; }
  // Bytes of the chunks allocated so far (in use or pooled; the pool never shrinks).
  size_t bytes_held() const { return chunks_.size() * sizeof(Chunk); }
  // The time of the earliest event. REQUIRES: !empty().
  int64_t next_at_ns() {
    if (buckets_[0].head == nullptr) refill();
    return static_cast<int64_t>(buckets_[0].head->at_ns[buckets_[0].read]);
  }
  // Removes and returns the earliest event. REQUIRES: !empty().
  QueuedEvent pop() {
    if (buckets_[0].head == nullptr) refill();
    Bucket& b = buckets_[0];
    uint64_t at = b.head->at_ns[b.read];
    uint32_t ref = b.head->ref[b.read];
    advance_front(b);
    --size_;
    return QueuedEvent{static_cast<int64_t>(at), static_cast<EventKind>(ref & 3), ref >> 2};
  }

 private:
  static constexpr uint32_t kChunkEvents = 256;
  static constexpr uint32_t kMaxSlots = uint32_t{1} << 30;
  // 5-bit digits: a digit's values fit one 32-bit mask. In a hold model (pop one, push one
  // 1-10 ms or, one time in 20, ~1 s later) 4-bit digits took 0.76-0.87x and 5-bit ones
  // 0.73-0.83x the CPU time of 1-bit ones from 512 to 1M pending events; all three were
  // alike at 8 to 64.
  static constexpr int kDigitBits = 5;
  static constexpr int kDigitValues = 1 << kDigitBits;                  // 32
  static constexpr int kDigits = (64 + kDigitBits - 1) / kDigitBits;   // 13; the top one has 4 bits
  static constexpr int kBuckets = 1 + kDigits * kDigitValues;

  struct Chunk {
    uint64_t at_ns[kChunkEvents];
    uint32_t ref[kChunkEvents];  // slot << 2 | kind
    Chunk* next;                 // the next chunk of the same bucket
  };
  // A FIFO: read from `head` at `read`, write to `tail` at `write`. An empty bucket
  // looks full, so append() tests one thing.
  struct Bucket {
    Chunk* head = nullptr;
    Chunk* tail = nullptr;
    uint32_t read = 0, write = kChunkEvents;
  };

  // Bucket 1 + digit * 32 + value holds the times that first differ from last_ns_ in that
  // digit (counted from the lowest) and have that value there.
  int bucket_of(uint64_t at_ns) const {
    uint64_t differ = at_ns ^ last_ns_;
    if (differ == 0) return 0;
    int digit = (63 - __builtin_clzll(differ)) / kDigitBits;
    int value = static_cast<int>(at_ns >> (digit * kDigitBits)) & (kDigitValues - 1);
    return 1 + digit * kDigitValues + value;
  }

  Chunk* take_chunk() {
    Chunk* c;
    if (free_chunks_.empty()) {
      chunks_.push_back(std::make_unique_for_overwrite<Chunk>());  // not zeroed: written before read
      c = chunks_.back().get();
    } else {
      c = free_chunks_.back();
      free_chunks_.pop_back();
    }
    c->next = nullptr;
    return c;
  }

  void append(int b, uint64_t at_ns, uint32_t ref) {
    Bucket& bucket = buckets_[b];
    if (bucket.write == kChunkEvents) {
      Chunk* c = take_chunk();
      if (bucket.tail == nullptr) {
        bucket.head = c;
        bucket.read = 0;
        if (b != 0) {
          non_empty_digits_ |= 1u << ((b - 1) / kDigitValues);
          non_empty_values_[(b - 1) / kDigitValues] |= 1u << ((b - 1) % kDigitValues);
        }
      } else {
        bucket.tail->next = c;
      }
      bucket.tail = c;
      bucket.write = 0;
    }
    bucket.tail->at_ns[bucket.write] = at_ns;
    bucket.tail->ref[bucket.write] = ref;
    ++bucket.write;
  }

  // Drops the front event of bucket 0, returning emptied chunks to the pool.
  void advance_front(Bucket& b) {
    ++b.read;
    bool chunk_done = b.head == b.tail ? b.read == b.write : b.read == kChunkEvents;
    if (!chunk_done) return;
    Chunk* done = b.head;
    free_chunks_.push_back(done);
    if (done->next == nullptr) {
      b = Bucket{};
    } else {
      b.head = done->next;
      b.read = 0;
    }
  }

  // Bucket 0 is empty: spread the lowest non-empty bucket around its minimum.
  void refill() {
    const int digit = __builtin_ctz(non_empty_digits_);
    uint32_t& values = non_empty_values_[digit];
    const int from = 1 + digit * kDigitValues + __builtin_ctz(values);
    values &= values - 1;  // clears the lowest value set: the bucket spread now
    if (values == 0) non_empty_digits_ &= non_empty_digits_ - 1;
    if (buckets_[from].head == buckets_[from].tail &&
        buckets_[from].write - buckets_[from].read == 1) {
      refill_one(buckets_[from]);
      return;
    }
    Bucket spread = buckets_[from];
    buckets_[from] = Bucket{};
    uint64_t min_ns = UINT64_MAX;
    for (Chunk* c = spread.head; c != nullptr; c = c->next) {
      uint32_t begin = c == spread.head ? spread.read : 0;
      uint32_t end = c == spread.tail ? spread.write : kChunkEvents;
      for (uint32_t i = begin; i < end; ++i) min_ns = c->at_ns[i] < min_ns ? c->at_ns[i] : min_ns;
    }
    last_ns_ = min_ns;
    for (Chunk* c = spread.head; c != nullptr;) {
      uint32_t begin = c == spread.head ? spread.read : 0;
      uint32_t end = c == spread.tail ? spread.write : kChunkEvents;
      for (uint32_t i = begin; i < end; ++i) append(bucket_of(c->at_ns[i]), c->at_ns[i], c->ref[i]);
      Chunk* next = c->next;
      free_chunks_.push_back(c);  // read to the end: its events all moved
      c = next;
    }
  }

  // The bucket being spread holds one event (71% of spreads in a 2PC run, 70% in PHOLD's):
  // it is the minimum, so the whole bucket becomes bucket 0, chunk and all, with no scan
  // and no chunk taken and returned. (It may hold one chunk fewer than the general path
  // would; counted_bytes() does not count chunks, so the growth check cannot tell.)
  void refill_one(Bucket& from) {
    last_ns_ = from.head->at_ns[from.read];
    buckets_[0] = from;
    from = Bucket{};
  }

  [[noreturn]] void misuse(int64_t at_ns, uint32_t slot) const {
    std::fprintf(stderr, "dsim internal error: event queue push at %lld ns (slot %u) before %llu ns\n",
                 static_cast<long long>(at_ns), slot, static_cast<unsigned long long>(last_ns_));
    std::abort();
  }

  Bucket buckets_[kBuckets];
  uint32_t non_empty_digits_ = 0;            // bit d: some bucket of digit d holds events
  uint32_t non_empty_values_[kDigits] = {};  // bit v of [d]: bucket (d, v) holds events
  uint64_t last_ns_ = 0;    // the time buckets are relative to: the last minimum taken
  size_t size_ = 0;
  size_t peak_size_ = 0;    // the most events pending at once (counted_bytes())
  std::vector<std::unique_ptr<Chunk>> chunks_;  // owns every chunk, in use or free
  std::vector<Chunk*> free_chunks_;
};

}  // namespace dsim
