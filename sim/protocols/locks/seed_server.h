// The naive lock of the seed document (section 4.2): the lock's state lives on one
// server, in memory; acquire sets it if it is free, release clears it. No expiry, no
// owner check on release, nothing on disk: a holder that dies keeps it forever, and a
// crashed server forgets it. With fencing on it also counts grants to hand out a token
// (in memory, so a restart starts counting again).
//
// Trace events: grant, freed.
#pragma once

#include <optional>

#include "core/process.h"
#include "protocols/locks/lock_settings.h"

namespace dsim::locks {

class SeedServer final : public Process {
 public:
  explicit SeedServer(const ServiceSettings& settings) : issue_tokens_(settings.fencing) {}

  void on_start(Context&) override {}
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context&, const Timer&) override {}

 private:
  struct Holder {
    std::string owner;
    NodeId client;
  };
  bool issue_tokens_;
  std::optional<Holder> holder_;
  int64_t grants_ = 0;
};

}  // namespace dsim::locks
