// A heartbeat node (every node of a heartbeat cluster): each `interval` it pings every
// other node and suspects each peer it has not heard a pong from for longer than
// `timeout` (by its own local clock, so clock jumps and drift bend its judgement as they
// would on a real machine); it answers every ping with a pong, and trusts a suspected
// peer again when a pong arrives. A restart starts with a fresh view: everyone trusted,
// heard from just now.
#pragma once

#include <cstdint>
#include <vector>

#include "core/process.h"
#include "protocols/heartbeat/settings.h"

namespace dsim::heartbeat {

class HeartbeatNode final : public Process {
 public:
  explicit HeartbeatNode(HeartbeatSettings s) : s_(s) {}

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

  bool suspects(NodeId peer) const { return suspected_[peer]; }
  int64_t round() const { return round_; }

 private:
  void tick(Context& ctx);

  HeartbeatSettings s_;
  int64_t round_ = 0;
  std::vector<Instant> last_heard_;  // local clock
  std::vector<bool> suspected_;
};

}  // namespace dsim::heartbeat
