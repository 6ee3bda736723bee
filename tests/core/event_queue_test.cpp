// The event queue pops by (time, insertion order), checked against a plain sorted model
// under random interleavings of pushes and pops: delays from 0 to the whole 63-bit range,
// many events at one instant, bursts, and a queue emptied and refilled.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <utility>

#include "core/event_queue.h"
#include "core/rng.h"

namespace dsim {
namespace {

// The model: (time, push number) -> (kind, slot); the smallest key pops first.
using Model = std::map<std::pair<int64_t, uint64_t>, std::pair<EventKind, uint32_t>>;

// A delay drawn at a random scale: zero, a few ns, ... up to 2^62 ns.
int64_t draw_delay(Rng& rng) {
  if (rng.bernoulli(0.2)) return 0;
  int bits = static_cast<int>(rng.uniform(63));
  return static_cast<int64_t>(rng.next_u64() >> (64 - bits - 1) >> 1);
}

void run_against_model(uint64_t seed, int operations, double push_bias) {
  Rng rng = Rng::stream(seed, "event_queue_test");
  EventQueue q;
  Model model;
  uint64_t pushes = 0;
  int64_t now = 0;
  for (int i = 0; i < operations; ++i) {
    if (model.empty() || rng.bernoulli(push_bias)) {
      int burst = rng.bernoulli(0.05) ? 1 + static_cast<int>(rng.uniform(300)) : 1;
      uint64_t sum = static_cast<uint64_t>(now) + static_cast<uint64_t>(draw_delay(rng));
      int64_t at = sum > uint64_t{INT64_MAX} ? INT64_MAX : static_cast<int64_t>(sum);  // the end of time
      for (int k = 0; k < burst; ++k) {
        auto kind = static_cast<EventKind>(rng.uniform(3));
        auto slot = static_cast<uint32_t>(rng.uniform(uint64_t{1} << 30));
        q.push(at, kind, slot);
        model.emplace(std::make_pair(at, pushes++), std::make_pair(kind, slot));
      }
    } else {
      ASSERT_EQ(q.next_at_ns(), model.begin()->first.first) << "seed " << seed << " op " << i;
      QueuedEvent e = q.pop();
      auto expected = model.begin();
      ASSERT_EQ(e.at_ns, expected->first.first) << "seed " << seed << " op " << i;
      ASSERT_EQ(e.kind, expected->second.first) << "seed " << seed << " op " << i;
      ASSERT_EQ(e.slot, expected->second.second) << "seed " << seed << " op " << i;
      now = e.at_ns;
      model.erase(expected);
    }
    ASSERT_EQ(q.size(), model.size());
  }
  while (!model.empty()) {
    QueuedEvent e = q.pop();
    ASSERT_EQ(e.at_ns, model.begin()->first.first) << "seed " << seed;
    ASSERT_EQ(e.slot, model.begin()->second.second) << "seed " << seed;
    model.erase(model.begin());
  }
  EXPECT_TRUE(q.empty());
}

TEST(EventQueue, PopsInTimeThenInsertionOrder) {
  for (uint64_t seed = 1; seed <= 10; ++seed) run_against_model(seed, 10000, 0.5);
}

TEST(EventQueue, GrowsLargeThenDrains) {
  run_against_model(1, 60000, 0.7);
}

// A simulator's shape: many events a little apart (network delays), few far (timeouts).
TEST(EventQueue, SimulatorLikeDelays) {
  Rng rng = Rng::stream(7, "event_queue_sim");
  EventQueue q;
  Model model;
  uint64_t pushes = 0;
  for (int i = 0; i < 1000; ++i) {
    int64_t at = static_cast<int64_t>(rng.uniform(10'000'000));
    q.push(at, EventKind::kDeliver, static_cast<uint32_t>(i));
    model.emplace(std::make_pair(at, pushes++), std::make_pair(EventKind::kDeliver, i));
  }
  for (int i = 0; i < 60000; ++i) {
    QueuedEvent e = q.pop();
    ASSERT_EQ(e.at_ns, model.begin()->first.first) << "pop " << i;
    ASSERT_EQ(e.slot, model.begin()->second.second) << "pop " << i;
    model.erase(model.begin());
    int64_t delay = rng.bernoulli(0.05) ? 1'000'000'000 + static_cast<int64_t>(rng.uniform(1'000'000))
                                        : 1'000'000 + static_cast<int64_t>(rng.uniform(9'000'000));
    q.push(e.at_ns + delay, EventKind::kTimer, e.slot);
    model.emplace(std::make_pair(e.at_ns + delay, pushes++), std::make_pair(EventKind::kTimer, e.slot));
  }
}

// The growth check counts the queue as 12 bytes per event at the most events pending at
// once, not as the chunks it holds: spreading a bucket of one event hands its chunk to the
// front whole while a bucket of two takes a chunk per bucket they land in, and the count
// must not tell the two apart (a seed's max_memory stop must not move when the queue's
// spreading changes). It used to count chunks, which is why refill_one once allocated a
// chunk it did not need.
TEST(EventQueue, CountedBytesFollowThePeakOfPendingEventsNotTheChunks) {
  EventQueue one;
  one.push(100, EventKind::kDeliver, 1);
  EXPECT_EQ(one.counted_bytes(), EventQueue::kBytesPerEvent);
  EXPECT_EQ(one.pop().slot, 1u);  // a bucket of one: no chunk taken
  one.push(200, EventKind::kDeliver, 2);
  EXPECT_EQ(one.pop().slot, 2u);
  EXPECT_EQ(one.counted_bytes(), EventQueue::kBytesPerEvent);

  EventQueue two;
  two.push(100, EventKind::kDeliver, 1);  // 100 and 101 share a bucket
  two.push(101, EventKind::kDeliver, 2);
  EXPECT_EQ(two.pop().slot, 1u);  // spread: the front's chunk, and one for 101's new bucket
  EXPECT_GT(two.bytes_held(), one.bytes_held());
  EXPECT_EQ(two.pop().slot, 2u);
  EXPECT_EQ(two.counted_bytes(), 2 * EventQueue::kBytesPerEvent);  // the peak, after the drain

  // The peak stays when the queue drains and is passed only by more events at once.
  two.push(300, EventKind::kTimer, 3);
  EXPECT_EQ(two.counted_bytes(), 2 * EventQueue::kBytesPerEvent);
  for (uint32_t i = 0; i < 1000; ++i) two.push(400 + i * 7919, EventKind::kTimer, i);
  EXPECT_EQ(two.counted_bytes(), 1001 * EventQueue::kBytesPerEvent);
  while (!two.empty()) two.pop();
  EXPECT_EQ(two.counted_bytes(), 1001 * EventQueue::kBytesPerEvent);
}

}  // namespace
}  // namespace dsim
