#include "protocols/locks/checks/lock_metrics.h"

#include <algorithm>

#include "check/sample_stats.h"
#include "core/fault_events.h"
#include "core/json_object.h"
#include "protocols/locks/owner_id.h"

namespace dsim::locks {

namespace {
// Names a release across servers: the server's name and its release id.
std::string release_key(std::string_view server, int64_t release_id) {
  return std::string(server) + "/" + std::to_string(release_id);
}

void add(std::optional<int64_t>& total, int64_t ns) { total = total.value_or(0) + ns; }
}  // namespace

void LockMetrics::set_waiting(NodeId node, bool waiting) {
  char& w = waiting_[node];
  if (w == static_cast<char>(waiting)) return;
  w = static_cast<char>(waiting);
  if (waiting) {
    ++waiting_count_;
  } else {
    --waiting_count_;
  }
}

bool LockMetrics::reads(const Observation& o) {
  if (!o.from_protocol) {
    return o.event == "crash" || o.event == "restart" || o.event == "pause" || o.event == "resume" ||
           o.event == "partition" || o.event == "heal";
  }
  const PayloadRef& e = o.typed;
  return e.is<events::AcquireStart>() || e.is<events::Acquired>() || e.is<events::Released>() ||
         e.is<events::Lost>() || e.is<events::Grant>() || e.is<events::Freed>() || e.is<events::AcquireFailed>() ||
         e.is<events::Woke>() || e.is<events::LockDelayStart>() || e.is<events::LockDelayEnd>();
}

void LockMetrics::observe(const Observation& o, CheckerView& view) {
  const BeliefTracker& beliefs = beliefs_->observe(o);
  if (!reads(o)) return;
  const Cluster& cluster = view.cluster();
  if (lock_servers_ == nullptr) {
    lock_servers_ = &cluster.with_role("lock");
    waiting_.assign(cluster.size(), 0);
    acquire_started_.assign(cluster.size(), std::nullopt);
    down_.assign(cluster.size(), 0);
    incarnation_.assign(cluster.size(), 0);
  }
  account(o.at);
  if (!o.from_protocol) {
    observe_fault(o);
  } else if (!observe_client(o)) {
    observe_server(o, cluster);
  }
  bool overlapping = beliefs.believers().size() >= 2;
  if (overlapping && !overlap_since_) overlap_since_ = o.at;
  if (!overlapping && overlap_since_) {
    longest_overlap_ns_ = std::max(longest_overlap_ns_, (o.at - *overlap_since_).ns);
    overlap_since_.reset();
  }
  cause_ = unavailability_cause(cluster, cause_owner_);
}

void LockMetrics::account(Instant until) {
  int64_t ns = (until - last_at_).ns;
  last_at_ = until;
  if (cause_ == Cause::kOrphan) {
    unbelieved_ns_[cause_owner_] += ns;
  } else if (cause_ != Cause::kNone) {
    add(unavailable_ns_[static_cast<size_t>(cause_)], ns);
  }
}

bool LockMetrics::observe_client(const Observation& o) {
  if (o.typed.is<events::AcquireStart>()) {
    set_waiting(o.node, true);
    acquire_started_[o.node] = o.at;
  } else if (const auto* acquired = o.as<events::Acquired>()) {
    set_waiting(o.node, false);
    ++acquisitions_;
    const std::string owner(acquired->owner);
    believed_owners_.insert(owner);
    for (auto& [server, hold] : server_holds_) {
      if (hold.owner == owner) hold.believed = true;
    }
    auto in_flight = unbelieved_ns_.find(owner);  // it was a grant on its way, not an orphan
    if (in_flight != unbelieved_ns_.end()) {
      add(unavailable_ns_[static_cast<size_t>(Cause::kHandoff)], in_flight->second);
      unbelieved_ns_.erase(in_flight);
    }
    if (beliefs_->tracker().believers().size() >= 2) ++overlaps_;
    std::optional<Instant>& started = acquire_started_[o.node];
    if (started) {
      acquire_latency_ns_.push_back((o.at - *started).ns);
      started.reset();
    }
  } else if (o.typed.is<events::AcquireFailed>()) {
    ++failed_attempts_;
  } else if (const auto* woke = o.as<events::Woke>()) {
    ++wakeups_;
    if (woke->release_id) ++wakeups_by_release_[release_key(woke->server, *woke->release_id)];
  } else {
    return false;
  }
  return true;
}

void LockMetrics::end_server_hold(NodeId server, Instant at) {
  auto it = server_holds_.find(server);
  if (it == server_holds_.end()) return;
  if (!it->second.believed) {
    ++orphans_;
    int64_t held = (at - it->second.since).ns;
    orphan_held_ns_max_ = std::max(orphan_held_ns_max_, held);
    orphan_held_ns_total_ += held;
  }
  server_holds_.erase(it);
}

void LockMetrics::observe_server(const Observation& o, const Cluster& cluster) {
  if (const auto* grant = o.as<events::Grant>()) {
    bool restored = grant->restored;
    if (!restored && lock_delay_.count(o.node) != 0) ++grants_during_lock_delay_;
    if (!restored && invalidated_at_) {
      invalidation_to_grant_ns_.push_back((o.at - *invalidated_at_).ns);
      invalidated_at_.reset();
    }
    auto it = server_holds_.find(o.node);
    if (it != server_holds_.end() && it->second.owner == grant->owner) return;  // re-announced after a restart
    end_server_hold(o.node, o.at);
    ServerHold hold{std::string(grant->owner), std::string(grant->client), o.at};
    hold.client_node = cluster.find(hold.client);
    if (std::optional<OwnerId> id = OwnerId::parse(grant->owner)) {
      // The owner is nearly always the grant's client's own: no second lookup then.
      hold.owner_node = id->client == hold.client ? hold.client_node : cluster.find(id->client);
      hold.owner_incarnation = id->incarnation;
    }
    hold.believed = believed_owners_.count(hold.owner) != 0;
    server_holds_[o.node] = std::move(hold);
  } else if (const auto* freed = o.as<events::Freed>()) {
    end_server_hold(o.node, o.at);
    if (freed->release_id) {
      releases_.push_back(Release{release_key(cluster.name(o.node), *freed->release_id), waiting_count_ != 0});
    }
    if (freed->cause == "session_invalidated") invalidated_at_ = o.at;
  } else if (o.typed.is<events::LockDelayStart>()) {
    lock_delay_.insert(o.node);
    ++lock_delay_windows_;
  } else if (o.typed.is<events::LockDelayEnd>()) {
    lock_delay_.erase(o.node);
  }
}

void LockMetrics::observe_fault(const Observation& o) {
  if (o.event == "crash") {
    down_[o.node] = 1;
    set_waiting(o.node, false);
    acquire_started_[o.node].reset();
  } else if (o.event == "restart") {
    // Read from the typed event (a test's JSON "restart" carries none: incarnation 0).
    down_[o.node] = 0;
    const auto* restart = o.as<fault_events::Restart>();
    incarnation_[o.node] = restart != nullptr ? restart->incarnation : 0;
  } else if (o.event == "partition") {
    const auto* partition = o.as<fault_events::Partition>();
    cuts_.insert(partition != nullptr ? partition->cut : 0);
  } else if (o.event == "heal") {
    const auto* heal = o.as<fault_events::Heal>();
    if (heal != nullptr && heal->cut) {
      cuts_.erase(*heal->cut);
    } else {
      cuts_.clear();
    }
  }
}

bool LockMetrics::owner_alive(const ServerHold& hold) const {
  if (!hold.owner_node) return true;
  NodeId node = *hold.owner_node;
  return down_[node] == 0 && incarnation_[node] == hold.owner_incarnation;
}

LockMetrics::Cause LockMetrics::unavailability_cause(const Cluster& cluster, std::string& orphan_owner) {
  if (waiting_count_ == 0) return Cause::kNone;
  const BeliefTracker& beliefs = beliefs_->tracker();
  for (const auto& [node, belief] : beliefs.believers()) {
    if (down_[node] == 0 && !beliefs.paused(node)) return Cause::kNone;
  }
  if (lock_servers_ == nullptr) lock_servers_ = &cluster.with_role("lock");
  for (NodeId server : *lock_servers_) {
    if (down_[server] != 0) return Cause::kLockServerDown;
  }
  for (const auto& [server, hold] : server_holds_) {
    if (!owner_alive(hold)) return Cause::kHolderCrashed;
    if (hold.client_node && beliefs.paused(*hold.client_node)) return Cause::kHolderPaused;
    if (!hold.believed) {
      orphan_owner = hold.owner;
      return Cause::kOrphan;
    }
  }
  if (!lock_delay_.empty()) return Cause::kLockDelay;
  if (!cuts_.empty()) return Cause::kPartition;
  return Cause::kHandoff;
}

void LockMetrics::finish(CheckerView& view) {
  Instant end = view.now();
  account(end);
  cause_ = Cause::kNone;
  for (const auto& [owner, ns] : unbelieved_ns_) add(unavailable_ns_[static_cast<size_t>(Cause::kOrphan)], ns);
  unbelieved_ns_.clear();
  if (overlap_since_) longest_overlap_ns_ = std::max(longest_overlap_ns_, (end - *overlap_since_).ns);
  std::vector<NodeId> servers;
  for (const auto& [server, hold] : server_holds_) servers.push_back(server);
  for (NodeId server : servers) end_server_hold(server, end);
}

void LockMetrics::write_metrics(Json& out) const {
  out["acquisitions"] = acquisitions_;
  out["acquire_latency_ns"] = summarize_samples(acquire_latency_ns_);
  if (failed_attempts_ > 0) out["failed_attempts"] = failed_attempts_;
  int64_t unavailable = 0;
  Json by_cause = Json::object();
  // In the order of the names, as the summary has always listed them.
  static constexpr std::pair<Cause, const char*> kNames[] = {
      {Cause::kHandoff, "handoff"},       {Cause::kHolderCrashed, "holder_crashed"},
      {Cause::kHolderPaused, "holder_paused"}, {Cause::kLockDelay, "lock_delay"},
      {Cause::kLockServerDown, "lock_server_down"}, {Cause::kOrphan, "orphan"},
      {Cause::kPartition, "partition"},
  };
  for (const auto& [cause, name] : kNames) {
    const std::optional<int64_t>& ns = unavailable_ns_[static_cast<size_t>(cause)];
    if (!ns) continue;
    unavailable += *ns;
    by_cause[name] = *ns;
  }
  out["unavailable_ns"] = unavailable;
  out["unavailable_by_cause_ns"] = std::move(by_cause);

  uint64_t attributed = 0, most = 0, counted = 0;
  for (const Release& r : releases_) {
    if (!r.found_waiter) continue;
    ++counted;
    auto it = wakeups_by_release_.find(r.key);
    uint64_t n = it == wakeups_by_release_.end() ? 0 : it->second;
    attributed += n;
    most = std::max(most, n);
  }
  out["wakeups"] = json_object(
      "total", wakeups_,
      "releases_with_waiters", counted,
      "per_release_mean", counted == 0 ? 0.0 : static_cast<double>(attributed) / counted,
      "per_release_max", most);
  out["overlaps"] = json_object("count", overlaps_, "longest_ns", longest_overlap_ns_);
  out["orphans"] = json_object("count", orphans_,
                               "held_ns_max", orphan_held_ns_max_,
                               "held_ns_total", orphan_held_ns_total_);
  if (lock_delay_windows_ > 0) {
    out["lock_delay"] = json_object(
        "windows", lock_delay_windows_,
        "grants_during", grants_during_lock_delay_,
        "invalidation_to_grant_ns", summarize_samples(invalidation_to_grant_ns_));
  }
}

}  // namespace dsim::locks
