// The lock's figures for the summary; reports nothing.
//   acquire_latency_ns     from a client's acquire_start to its acquired (p50, p99, ...)
//   unavailable_ns         time with a client waiting and no live, running client
//                          believing it holds the lock; by_cause splits it by what was
//                          in the way, first match wins: lock_server_down,
//                          holder_crashed, holder_paused, orphan (a server holds the lock
//                          for an owner no client ever believed in: a lost reply; time
//                          a grant was merely in flight counts as handoff once the owner
//                          believes it),
//                          lock_delay, partition, handoff (messages and backoff)
//   wakeups                wake-ups (watch or blocking-query notifications) per
//                          release that found a client waiting
//   overlaps               acquisitions made while another client believed it held the
//                          lock, and the longest stretch with two or more believers
//   orphans                server-held locks whose owner never believed it: how many,
//                          how long they held the lock
//   lock_delay             lock-delay windows, grants inside them (must be 0), and the
//                          time from an invalidation to the next grant
#pragma once

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "check/checker.h"
#include "protocols/locks/checks/belief_tracker.h"

namespace dsim::locks {

class LockMetrics final : public Checker {
 public:
  // `beliefs`: the run's, shared with its other checks; with none it keeps its own.
  explicit LockMetrics(std::shared_ptr<SharedBeliefs> beliefs = nullptr)
      : beliefs_(beliefs ? std::move(beliefs) : std::make_shared<SharedBeliefs>()) {}
  std::string_view name() const override { return "lock_metrics"; }
  void observe(const Observation& o, CheckerView& view) override;
  void finish(CheckerView& view) override;
  void write_metrics(Json& out) const override;

 private:
  // What was in the way while clients waited (write_metrics names them).
  enum class Cause : uint8_t {
    kNone, kLockServerDown, kHolderCrashed, kHolderPaused, kOrphan, kLockDelay, kPartition, kHandoff,
  };
  static constexpr size_t kCauses = 8;
  struct ServerHold {
    std::string owner;
    std::string client;
    Instant since;
    // The owner's client and incarnation (owner_id.h), parsed once at the grant: whether
    // the owner still lives is asked on every event. No node when the owner does not
    // name a client of this cluster (then it counts as alive).
    std::optional<NodeId> owner_node{};
    uint32_t owner_incarnation = 0;
    std::optional<NodeId> client_node{};
    bool believed = false;  // its owner has believed it held the lock (believed_owners_)
  };
  struct Release {
    std::string key;  // server name + "/" + release_id
    bool found_waiter;
  };

  // Whether the observation can change anything here: the others are skipped (the time
  // up to them is accounted at the next one that does, with the same cause).
  static bool reads(const Observation& o);
  // Returns false when the event is not one of the client events it reads.
  bool observe_client(const Observation& o);
  void observe_server(const Observation& o, const Cluster& cluster);
  void observe_fault(const Observation& o);
  void set_waiting(NodeId node, bool waiting);
  void end_server_hold(NodeId server, Instant at);
  void account(Instant until);
  // The cause; for kOrphan, `orphan_owner` is set to the owner in question.
  Cause unavailability_cause(const Cluster& cluster, std::string& orphan_owner);
  bool owner_alive(const ServerHold& hold) const;

  std::shared_ptr<SharedBeliefs> beliefs_;
  // By node (sized at the first observation): clients waiting for the lock, when their
  // acquisition started, nodes down, incarnations.
  std::vector<char> waiting_;
  size_t waiting_count_ = 0;
  std::vector<std::optional<Instant>> acquire_started_;
  std::vector<int64_t> acquire_latency_ns_;
  uint64_t acquisitions_ = 0;
  uint64_t failed_attempts_ = 0;

  std::vector<char> down_;
  std::vector<uint32_t> incarnation_;
  std::set<uint64_t> cuts_;
  std::map<NodeId, ServerHold> server_holds_;
  std::set<std::string> believed_owners_;
  std::set<NodeId> lock_delay_;

  const std::vector<NodeId>* lock_servers_ = nullptr;  // the cluster's, found at the first event
  Instant last_at_;
  Cause cause_ = Cause::kNone;
  std::string cause_owner_;  // for kOrphan: whose grant nobody believes (yet)
  // By cause; a cause that was ever in the way has a value (0 for an instant).
  std::array<std::optional<int64_t>, kCauses> unavailable_ns_{};
  std::map<std::string, int64_t> unbelieved_ns_;  // by owner, until we know if it is an orphan

  uint64_t wakeups_ = 0;
  std::map<std::string, uint64_t> wakeups_by_release_;
  std::vector<Release> releases_;

  uint64_t overlaps_ = 0;
  std::optional<Instant> overlap_since_;
  int64_t longest_overlap_ns_ = 0;

  uint64_t orphans_ = 0;
  int64_t orphan_held_ns_max_ = 0;
  int64_t orphan_held_ns_total_ = 0;

  uint64_t lock_delay_windows_ = 0;
  uint64_t grants_during_lock_delay_ = 0;
  std::optional<Instant> invalidated_at_;
  std::vector<int64_t> invalidation_to_grant_ns_;
};

}  // namespace dsim::locks
