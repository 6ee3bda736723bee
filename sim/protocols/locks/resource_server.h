// The thing the lock protects: a store that clients write to inside their critical
// section. With fencing on it remembers the highest token it has accepted (synced to
// disk, so a restart does not forget it) and rejects any write carrying a lower one, or
// none; with fencing off it accepts every write.
//
// Trace events: write_accepted, write_rejected.
#pragma once

#include "core/process.h"

namespace dsim::locks {

class ResourceServer final : public Process {
 public:
  explicit ResourceServer(bool fencing) : fencing_(fencing) {}

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context&, const Timer&) override {}

 private:
  bool fencing_;
  int64_t highest_token_ = 0;
};

}  // namespace dsim::locks
