// Only the owner releases: a lock server must never free the lock on a release request
// from anyone but its current holder. The check keeps its own model of each server's
// holder (set by "grant", cleared by "freed") and compares it with the owner that asked
// for the release (the "by" of a freed event with cause "release" or "delete").
#pragma once

#include <map>
#include <string>

#include "check/checker.h"
#include "protocols/locks/checks/lock_servers.h"
#include "protocols/locks/events.h"

namespace dsim::locks {

class OwnerReleaseCheck final : public Checker {
 public:
  std::string_view name() const override { return "owner_release"; }
  void observe(const Observation& o, CheckerView& view) override;
  void write_metrics(Json& out) const override { out["releases_judged"] = releases_; }

 private:
  struct Holder {
    std::string owner;
    std::string client;
  };
  LockServers lock_servers_;
  std::map<NodeId, Holder> holders_;  // by lock server
  uint64_t releases_ = 0;
};

}  // namespace dsim::locks
