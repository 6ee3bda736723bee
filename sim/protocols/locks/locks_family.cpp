#include "protocols/locks/locks_family.h"

#include "protocols/locks/ap_lock_server.h"
#include "protocols/locks/ap_recipe.h"
#include "protocols/locks/checks/exclusion_check.h"
#include "protocols/locks/checks/liveness_check.h"
#include "protocols/locks/checks/lock_metrics.h"
#include "protocols/locks/checks/overlap_check.h"
#include "protocols/locks/checks/starvation_check.h"
#include "protocols/locks/checks/owner_release_check.h"
#include "protocols/locks/checks/token_order_check.h"
#include "protocols/locks/consul_recipe.h"
#include "protocols/locks/consul_server.h"
#include "protocols/locks/lease_recipe.h"
#include "protocols/locks/lock_client.h"
#include "protocols/locks/lock_settings_reader.h"
#include "protocols/locks/checks/raft_safety_check.h"
#include "protocols/locks/raft/consul_session_recipe.h"
#include "protocols/locks/raft/etcd_mutex_recipe.h"
#include "protocols/locks/raft/raft_server.h"
#include "protocols/locks/redis_server.h"
#include "protocols/locks/redis_replica.h"
#include "protocols/locks/redlock_recipe.h"
#include "protocols/locks/resource_server.h"
#include "protocols/locks/seed_server.h"
#include "protocols/locks/sentinel.h"
#include "protocols/locks/sentinel_recipe.h"
#include "protocols/locks/zookeeper_recipe.h"
#include "protocols/locks/zookeeper_server.h"

namespace dsim {
namespace {

using namespace locks;

// What the checks need from a configured run.
struct CheckInputs {
  const LockSettings& s;
  size_t quorum;  // grants that make a holder: a majority of the servers for Redlock, else 1
  // What the run's checks share (null: each check keeps its own).
  std::shared_ptr<SharedGrantLedger> ledger;
  std::shared_ptr<SharedBeliefs> beliefs;
};

// The family's checks, each named once (scenario/check_table.h), in the order they judge.
constexpr CheckRow<CheckInputs> kChecks[] = {
    {"exclusion", "the resource never accepts a write under a grant after one under a later grant, nor from an owner never granted",
     true, [](const CheckInputs& in) -> std::unique_ptr<Checker> { return std::make_unique<ExclusionCheck>(in.quorum, in.ledger); }},
    {"overlap", "no client starts believing it holds the lock while another still does", true,
     [](const CheckInputs& in) -> std::unique_ptr<Checker> { return std::make_unique<OverlapCheck>(in.beliefs); }},
    {"token_order", "a server's tokens, and the lock's tokens in grant order, never go back", true,
     [](const CheckInputs& in) -> std::unique_ptr<Checker> { return std::make_unique<TokenOrderCheck>(in.quorum, in.ledger); }},
    {"owner_release", "a server frees the lock only on a release from its current holder", true,
     [](const CheckInputs&) -> std::unique_ptr<Checker> { return std::make_unique<OwnerReleaseCheck>(); }},
    {"liveness", "after the faults end, the lock is never stuck (waiters, no live holder) past recovery + lock-delay + liveness_bound",
     true, [](const CheckInputs& in) -> std::unique_ptr<Checker> { return std::make_unique<LivenessCheck>(in.s, in.beliefs); }},
    {"lock_metrics", "never fails: acquire latency, unavailability by cause, wake-ups per release, overlaps, orphans",
     true, [](const CheckInputs& in) -> std::unique_ptr<Checker> { return std::make_unique<LockMetrics>(in.beliefs); },
     /*measures_only=*/true},
    {"raft_safety", "Raft's election safety, log matching, leader completeness and state-machine safety", true,
     [](const CheckInputs&) -> std::unique_ptr<Checker> { return std::make_unique<RaftSafetyCheck>(); }},
    // Asked for by name: a bound on any wait, faults or not.
    {"starvation", "no client waits longer than starvation_bound for one acquisition, granted in the end or not",
     false, [](const CheckInputs& in) -> std::unique_ptr<Checker> {
       return std::make_unique<StarvationCheck>(in.s.service.starvation_bound);
     }},
};

class LocksRun final : public ProtocolRun {
 public:
  LocksRun(LockSettings settings, const Cluster& cluster)
      : s_(std::move(settings)),
        roles_(cluster.size()),
        lock_servers_(cluster.with_role("lock")),
        sentinels_(cluster.with_role("sentinel")),
        resource_(cluster.with_role("resource").empty() ? kNoNode : cluster.with_role("resource")[0]) {
    for (NodeId n = 0; n < cluster.size(); ++n) roles_[n] = cluster.role(n);
  }

  std::unique_ptr<Process> make_process(NodeId node) override {
    const std::string& role = roles_[node];
    if (role == "resource") return std::make_unique<ResourceServer>(s_.service.fencing);
    if (role == "lock" && s_.service.service == LockService::kAp) {
      return std::make_unique<ApLockServer>(s_.service, lock_servers_[0],
                                            node == lock_servers_[0] ? lock_servers_[1] : lock_servers_[0]);
    }
    if (role == "lock") return make_server();
    if (role == "sentinel") return std::make_unique<Sentinel>(s_.service.replication, lock_servers_, sentinels_);
    return std::make_unique<LockClient>(s_.workload, s_.service.fencing, resource_,
                                        [this](RecipeListener& l) { return make_recipe(l); });
  }

  // A client's round is acquire, write_time before each write, release, think_time: with
  // both zero (and no latency) it goes round at one instant.
  std::vector<std::string> zero_delays() const override {
    std::vector<std::string> out;
    if (s_.workload.write_time.ns == 0) out.push_back("workload.write_time");
    if (s_.workload.think_time.ns == 0) out.push_back("workload.think_time");
    return out;
  }

  // Clients contend for one lock: the holder works through its writes while the others
  // retry after a backoff, each attempt a request and a reply to every lock server
  // (Redlock asks all of them); ZooKeeper's waiters do not retry but wait to be woken
  // (zookeeper_waiter_rate); sessions (ZooKeeper, Consul) add keep-alives. The checkers
  // keep every acquisition and write, which grows with the run's length.
  FamilyLoad estimate_load(const LoadInputs& in) const override {
    const double clients = static_cast<double>(in.cluster.with_role("client").size());
    const double servers = std::max<double>(1, static_cast<double>(lock_servers_.size()));
    const double seconds = static_cast<double>(in.duration.ns) * 1e-9;
    const WorkloadSettings& w = s_.workload;
    const double backoff_s = static_cast<double>((w.backoff_min + w.backoff_max).ns) * 0.5e-9;
    const double cycle_s =
        static_cast<double>((w.write_time * w.writes + w.think_time).ns) * 1e-9 + 4 * in.latency_mean_ns * 1e-9;
    double rate = s_.service.service == LockService::kZookeeper
                      ? zookeeper_waiter_rate(clients, cycle_s, in.latency_mean_ns, seconds)
                      : clients * 2 * servers / std::max(backoff_s, 1e-3) +
                            (2.0 * static_cast<double>(w.writes) + 4 * servers) / std::max(cycle_s, 1e-3);
    if (s_.service.service == LockService::kZookeeper || s_.service.service == LockService::kConsul) {
      const Duration session = s_.service.service == LockService::kZookeeper ? s_.service.session_timeout
                                                                             : s_.service.session_ttl;
      rate += clients * 2 * 3 / std::max(static_cast<double>(session.ns) * 1e-9, 1e-3);
    }
    if (s_.service.service == LockService::kRedisSentinel) {  // pings, hellos, acks
      const double sentinels = static_cast<double>(sentinels_.size());
      rate += (sentinels * (2 * servers + sentinels) + servers) /
              std::max(static_cast<double>(s_.service.replication.sentinel_ping.ns) * 1e-9, 1e-3);
    }
    if (s_.service.service == LockService::kAp) {  // the two members' heartbeats
      rate += 2 / std::max(static_cast<double>(s_.service.ap.member_heartbeat.ns) * 1e-9, 1e-3);
    }
    if (s_.service.service == LockService::kRaft) {
      // The leader's AppendEntries and their replies, every heartbeat, to every follower;
      // the clients' keep-alives.
      const double heartbeat_s = std::max(static_cast<double>(s_.service.heartbeat_interval.ns) * 1e-9, 1e-3);
      rate += 2 * (servers - 1) / heartbeat_s +
              clients * 2 * 3 / std::max(static_cast<double>(s_.service.lease_ttl.ns) * 1e-9, 1e-3);
    }
    // What the checkers keep per message of the estimated rate, measured per service
    // (README.md, "Memory limits"): a ZooKeeper waiter's watch and entry events weigh
    // most; Redlock and Consul send many messages per recorded event.
    double history_bytes_per_message = 32;
    if (s_.service.service == LockService::kZookeeper) history_bytes_per_message = 64;
    if (s_.service.service == LockService::kRedlock || s_.service.service == LockService::kConsul) {
      history_bytes_per_message = 8;
    }
    FamilyLoad load;
    load.messages_per_second = rate;
    load.state_bytes = static_cast<double>(in.cluster.size()) * 2048 + rate * seconds * history_bytes_per_message;
    load.burst_messages = clients * servers;
    load.body_bytes = 200;
    load.timers_pending = clients * 2 + servers;
    return load;
  }

  // ZooKeeper's lock traffic, keep-alives aside, in messages per second averaged over the
  // run. A waiter never polls (it has no backoff): it watches its predecessor's entry (or,
  // with watch parent, the whole list) and a change wakes it. So the traffic follows the
  // acquisitions: as many as the clients' cycles ask for, at most one per hold of the lock
  // (its writes and the hand-off, a few latencies). Each costs a request and a reply for
  // the create, the list, the watch, the writes and the delete, and a few more (a list
  // that crossed a change, a retried delete): 2 * writes + 16 in all. With watch parent
  // (the herd), each change of the list (the release's delete, the releaser's next create)
  // wakes every waiter, who gets a notice and lists again: 6 more per waiter; and as the
  // clients first queue up, each create wakes every client queued before it. Every client
  // also opens its session and queues once (8; 12 leaves room for a session lost and
  // opened again). Faults add more (requests retried, sessions expired): the model counts
  // a run without them, as it does for every family. Counting each waiter's backoff retries
  // here, as for the services whose waiters poll, put the estimate at 3.3 times the
  // measured rate for 1000 waiters watching their predecessor, and under a tenth of it
  // for 200 in a herd (tests/core/memory_limit_test.cpp; README.md, "Memory limits").
  double zookeeper_waiter_rate(double clients, double cycle_s, double latency_mean_ns, double seconds) const {
    const WorkloadSettings& w = s_.workload;
    const double writes = static_cast<double>(w.writes);
    const double hold_s =
        static_cast<double>((w.write_time * w.writes).ns) * 1e-9 + (2 * writes + 3) * latency_mean_ns * 1e-9;
    const double acquisitions = std::min(clients / std::max(cycle_s, 1e-3), 1 / std::max(hold_s, 1e-3));
    const double waiters = std::max(clients - 1, 0.0);
    double per_acquisition = 2 * writes + 16;
    double once = clients * 12;
    if (s_.service.watch_parent) {
      per_acquisition += 6 * waiters;
      once += 1.5 * clients * waiters;  // the k-th create wakes the k - 1 before it (3 each)
    }
    return acquisitions * per_acquisition + once / std::max(seconds, 1e-3);
  }

  // A new run: no log index has been applied yet (raft's first_applied_ is per run).
  void begin_run() override { *first_applied_ = raft::FirstApplied{}; }

  std::unique_ptr<Checker> make_checker(const std::string& check) override {
    return make_check(kChecks, check, CheckInputs{s_, quorum(), nullptr, nullptr});
  }

  // The run's checks share one grant ledger and one belief tracker (each brought up to
  // an event once, by whichever check sees it first).
  std::vector<std::unique_ptr<Checker>> make_checkers(const std::vector<std::string>& checks) override {
    const CheckInputs in{s_, quorum(), std::make_shared<SharedGrantLedger>(quorum()), std::make_shared<SharedBeliefs>()};
    std::vector<std::unique_ptr<Checker>> out;
    for (const std::string& c : checks) out.push_back(make_check(kChecks, c, in));
    return out;
  }

 private:
  std::unique_ptr<Process> make_server() const {
    switch (s_.service.service) {
      case LockService::kSeed:
        return std::make_unique<SeedServer>(s_.service);
      case LockService::kRedis:
      case LockService::kRedlock:
        return std::make_unique<RedisServer>(s_.service);
      case LockService::kZookeeper:
        return std::make_unique<ZookeeperServer>(s_.service);
      case LockService::kConsul:
        return std::make_unique<ConsulServer>(s_.service);
      case LockService::kRedisSentinel:
        return std::make_unique<RedisReplica>(s_.service, lock_servers_[0]);
      case LockService::kAp:
        return nullptr;  // make_process gives each member its peer
      case LockService::kRaft:
        return std::make_unique<raft::RaftServer>(s_.service, first_applied_.get());
    }
    return nullptr;
  }

  size_t quorum() const {
    return s_.service.service == LockService::kRedlock ? lock_servers_.size() / 2 + 1 : 1;
  }

  std::unique_ptr<LockRecipe> make_recipe(RecipeListener& listener) const {
    switch (s_.service.service) {
      case LockService::kSeed:
      case LockService::kRedis:
        return std::make_unique<LeaseRecipe>(listener, s_.service, s_.workload, lock_servers_[0]);
      case LockService::kRedlock:
        return std::make_unique<RedlockRecipe>(listener, s_.service, s_.workload, lock_servers_);
      case LockService::kZookeeper:
        return std::make_unique<ZookeeperRecipe>(listener, s_.service, lock_servers_[0]);
      case LockService::kConsul:
        return std::make_unique<ConsulRecipe>(listener, s_.service, lock_servers_[0]);
      case LockService::kRedisSentinel:
        return std::make_unique<SentinelRecipe>(listener, s_.service, s_.workload, sentinels_);
      case LockService::kAp:
        return std::make_unique<ApRecipe>(listener, s_.service, s_.workload, lock_servers_);
      case LockService::kRaft:
        if (s_.service.consul_recipe) {
          return std::make_unique<raft::ConsulSessionRecipe>(listener, s_.service, lock_servers_);
        }
        return std::make_unique<raft::EtcdMutexRecipe>(listener, s_.service, lock_servers_);
    }
    return nullptr;
  }

  LockSettings s_;
  std::vector<std::string> roles_;
  std::vector<NodeId> lock_servers_;
  std::vector<NodeId> sentinels_;  // redis_sentinel
  NodeId resource_;
  // raft: which log indices a server has applied (raft/lock_state_machine.h).
  std::unique_ptr<raft::FirstApplied> first_applied_ = std::make_unique<raft::FirstApplied>();
};

}  // namespace

ProtocolFamily locks_family() {
  ProtocolFamily f;
  f.name = "locks";
  f.summary = "distributed locks (naive, Redis lease, Redlock, Redis with Sentinel, an AP lock, ZooKeeper, Consul, Raft) with fencing";
  f.variants = {"seed", "redis", "redlock", "zookeeper", "consul", "redis_sentinel", "ap", "raft"};
  f.checks = check_infos(kChecks);
  f.settings = &lock_setting_table();
  f.roles = lock_role_table();
  f.configure = [](ProtocolSettings& s) -> std::unique_ptr<ProtocolRun> {
    LockSettings settings = read_lock_settings(s);
    s.protocol.finish();
    s.workload.finish();
    return std::make_unique<LocksRun>(std::move(settings), s.cluster);
  };
  return f;
}

}  // namespace dsim
