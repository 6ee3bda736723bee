// The renewal mistakes (renew_stop_on_failure, renew_without_worker) in the Consul-style
// session renewal and the etcd-style lease keep-alive, each switch on against off, with
// the recipes driven by hand; and renew_unchecked refused at load where it means nothing.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/locks/consul_recipe.h"
#include "protocols/locks/lock_settings_reader.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/raft/consul_session_recipe.h"
#include "protocols/locks/raft/etcd_mutex_recipe.h"
#include "protocols/locks/raft/raft_messages.h"
#include "protocols/registry.h"
#include "runner/run_scenario.h"
#include "scenario/scenario.h"
#include "support/fake_context.h"

namespace dsim::locks {
namespace {

using dsim::testing::FakeContext;
using testing::kC1Owner;
using testing::RecordingListener;
using testing::test_cluster;

// The etcd mutex and the Raft variant's Consul session recipe on three servers, lease TTL
// 1 s: keep-alives every 333 ms.
class RaftKeepAliveTest : public ::testing::Test {
 protected:
  template <typename Request>
  int64_t req_of() {
    const dsim::testing::Sent* sent = ctx_.last_sent(std::string(Request::kName));
    EXPECT_NE(sent, nullptr) << "no " << Request::kName << " was sent";
    return sent == nullptr ? -1 : sent->message.as<Request>()->req;
  }
  void hold_etcd(raft::EtcdMutexRecipe& r) {
    r.start(ctx_);
    r.acquire(ctx_, kC1Owner);
    r.on_message(ctx_, 0, raft::LeaseGranted{req_of<raft::LeaseGrantRequest>(), 7, Duration::seconds(1).ns});
    r.on_message(ctx_, 0, raft::PutResult{req_of<raft::PutKey>(), true, 5, 5});
    ctx_.take_sent();
    ASSERT_EQ(l_.grants.size(), 1u);
  }
  void hold_consul(raft::ConsulSessionRecipe& r) {
    r.start(ctx_);
    r.acquire(ctx_, kC1Owner);
    r.on_message(ctx_, 0, raft::LeaseGranted{req_of<raft::LeaseGrantRequest>(), 7, Duration::seconds(1).ns});
    raft::LockAcquireResult ok;
    ok.req = req_of<raft::LockAcquire>();
    ok.ok = true;
    ok.lock_index = 3;
    r.on_message(ctx_, 0, ok);
    ctx_.take_sent();
    ASSERT_EQ(l_.grants.size(), 1u);
  }
  // Fires the keep-alive timer; the keep-alive it sent, if any.
  template <typename Recipe>
  const raft::KeepAlive* tick(Recipe& r) {
    ctx_.take_sent();
    std::optional<Timer> t = ctx_.take_timer("etcd.keep_alive");
    EXPECT_TRUE(t.has_value());
    if (!t) return nullptr;
    r.on_timer(ctx_, *t);
    const dsim::testing::Sent* sent = ctx_.last_sent("keep_alive");
    return sent == nullptr ? nullptr : sent->message.as<raft::KeepAlive>();
  }
  size_t stopped(const std::string& reason) const {
    size_t n = 0;
    for (const Json& e : ctx_.traced("watchdog_stopped")) n += e["reason"] == reason;
    return n;
  }

  Cluster cluster_ = test_cluster(3);
  ServiceSettings s_ = [] {
    ServiceSettings s;
    s.service = LockService::kRaft;
    return s;
  }();
  RecordingListener l_;
  FakeContext ctx_{cluster_, "c1"};
};

TEST_F(RaftKeepAliveTest, EtcdUnansweredKeepAliveIsRetriedAndTheLapsedLeaseIsTheLockLost) {
  raft::EtcdMutexRecipe r(l_, s_, {0, 1, 2});
  hold_etcd(r);
  ASSERT_NE(tick(r), nullptr);
  ASSERT_NE(tick(r), nullptr);  // unanswered: again, at the next server
  EXPECT_EQ(stopped("renew_failed"), 0u);
  ctx_.advance(Duration::millis(400));
  EXPECT_FALSE(r.still_holds(ctx_));
  tick(r);
  EXPECT_EQ(l_.losses, std::vector<std::string>{"lease_expired"});
}

TEST_F(RaftKeepAliveTest, EtcdStopOnFailureEndsTheKeepAliveSilentlyForGood) {
  s_.renew_stop_on_failure = true;
  raft::EtcdMutexRecipe r(l_, s_, {0, 1, 2});
  hold_etcd(r);
  EXPECT_EQ(l_.grants[0].valid_until, Instant::max());  // the worker counts on the keep-alive
  ASSERT_NE(tick(r), nullptr);
  EXPECT_EQ(tick(r), nullptr);  // unanswered: the loop ends
  EXPECT_EQ(stopped("renew_failed"), 1u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(tick(r), nullptr);
  EXPECT_TRUE(r.still_holds(ctx_));  // long after the lease lapsed
  EXPECT_TRUE(l_.losses.empty());
}

TEST_F(RaftKeepAliveTest, EtcdStopOnFailureEndsOnANotLeaderAnswer) {
  s_.renew_stop_on_failure = true;
  raft::EtcdMutexRecipe r(l_, s_, {0, 1, 2});
  hold_etcd(r);
  const raft::KeepAlive* k = tick(r);
  ASSERT_NE(k, nullptr);
  int64_t req = k->req;
  ctx_.take_sent();
  r.on_message(ctx_, 0, raft::NotLeader{req, 1});
  EXPECT_EQ(ctx_.last_sent("keep_alive"), nullptr);  // done right, it renews at s2 at once
  EXPECT_EQ(stopped("renew_failed"), 1u);
  EXPECT_EQ(tick(r), nullptr);
}

TEST_F(RaftKeepAliveTest, EtcdNotLeaderIsFollowedWhenDoneRight) {
  raft::EtcdMutexRecipe r(l_, s_, {0, 1, 2});
  hold_etcd(r);
  const raft::KeepAlive* k = tick(r);
  ASSERT_NE(k, nullptr);
  int64_t req = k->req;
  ctx_.take_sent();
  r.on_message(ctx_, 0, raft::NotLeader{req, 1});
  const dsim::testing::Sent* again = ctx_.last_sent("keep_alive");
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->to, 1u);
}

TEST_F(RaftKeepAliveTest, EtcdHungWorkersLeaseIsLeftToLapse) {
  raft::EtcdMutexRecipe r(l_, s_, {0, 1, 2});
  hold_etcd(r);
  l_.worker = false;
  EXPECT_EQ(tick(r), nullptr);
  EXPECT_EQ(stopped("worker_gone"), 1u);
  EXPECT_EQ(tick(r), nullptr);
  ctx_.advance(Duration::millis(400));
  tick(r);
  EXPECT_EQ(l_.losses, std::vector<std::string>{"lease_expired"});
}

TEST_F(RaftKeepAliveTest, EtcdZombieKeepsAHungWorkersLeaseAlive) {
  s_.renew_without_worker = true;
  raft::EtcdMutexRecipe r(l_, s_, {0, 1, 2});
  hold_etcd(r);
  l_.worker = false;
  for (int i = 0; i < 6; ++i) {
    const raft::KeepAlive* k = tick(r);
    ASSERT_NE(k, nullptr) << i;
    r.on_message(ctx_, 0, raft::KeepAliveReply{k->req, k->lease, Duration::seconds(1).ns});
  }
  EXPECT_TRUE(r.still_holds(ctx_));
  EXPECT_EQ(stopped("worker_gone"), 0u);
}

TEST_F(RaftKeepAliveTest, ConsulSessionUnansweredRenewalIsRetried) {
  raft::ConsulSessionRecipe r(l_, s_, {0, 1, 2});
  hold_consul(r);
  ASSERT_NE(tick(r), nullptr);
  EXPECT_NE(tick(r), nullptr);
  ctx_.advance(Duration::millis(400));
  EXPECT_FALSE(r.still_holds(ctx_));
}

TEST_F(RaftKeepAliveTest, ConsulSessionStopOnFailureEndsRenewalSilently) {
  s_.renew_stop_on_failure = true;
  raft::ConsulSessionRecipe r(l_, s_, {0, 1, 2});
  hold_consul(r);
  ASSERT_NE(tick(r), nullptr);
  EXPECT_EQ(tick(r), nullptr);
  EXPECT_EQ(stopped("renew_failed"), 1u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(tick(r), nullptr);
  EXPECT_TRUE(r.still_holds(ctx_));
  EXPECT_TRUE(l_.losses.empty());
}

TEST_F(RaftKeepAliveTest, ConsulSessionHungWorkersSessionIsLeftToLapse) {
  raft::ConsulSessionRecipe right(l_, s_, {0, 1, 2});
  hold_consul(right);
  l_.worker = false;
  EXPECT_EQ(tick(right), nullptr);
  EXPECT_EQ(stopped("worker_gone"), 1u);
  ctx_.advance(Duration::millis(700));
  EXPECT_FALSE(right.still_holds(ctx_));
}

TEST_F(RaftKeepAliveTest, ConsulSessionZombieRenewsForAHungWorker) {
  s_.renew_without_worker = true;
  raft::ConsulSessionRecipe r(l_, s_, {0, 1, 2});
  hold_consul(r);
  l_.worker = false;
  for (int i = 0; i < 6; ++i) {
    const raft::KeepAlive* k = tick(r);
    ASSERT_NE(k, nullptr) << i;
    r.on_message(ctx_, 0, raft::KeepAliveReply{k->req, k->lease, Duration::seconds(1).ns});
  }
  EXPECT_TRUE(r.still_holds(ctx_));
}

// The consul variant's recipe: session 5, TTL 1 s, renewed every 500 ms.
class ConsulRenewTest : public ::testing::Test {
 protected:
  void hold(ConsulRecipe& r) {
    r.start(ctx_);
    r.on_message(ctx_, 0, SessionCreated{5, ctx_.last_sent("create_session")->message.as<CreateSession>()->req});
    r.acquire(ctx_, kC1Owner);
    AcquireResult ok;
    ok.req = ctx_.last_sent("acquire")->message.as<ConsulAcquire>()->req;
    ok.ok = true;
    ok.lock_index = 9;
    r.on_message(ctx_, 0, ok);
    ctx_.take_sent();
    ASSERT_EQ(l_.grants.size(), 1u);
  }
  // Fires the renewal timer; whether it sent a renewal.
  bool tick(ConsulRecipe& r) {
    ctx_.take_sent();
    r.on_timer(ctx_, *ctx_.take_timer("consul.renew"));
    return ctx_.last_sent("renew") != nullptr;
  }
  size_t stopped(const std::string& reason) const {
    size_t n = 0;
    for (const Json& e : ctx_.traced("watchdog_stopped")) n += e["reason"] == reason;
    return n;
  }

  Cluster cluster_ = test_cluster();
  ServiceSettings s_ = [] {
    ServiceSettings s;
    s.service = LockService::kConsul;
    return s;
  }();
  RecordingListener l_;
  FakeContext ctx_{cluster_, "c1"};
};

TEST_F(ConsulRenewTest, UnansweredRenewalIsRetriedAndTheSessionTimesOut) {
  ConsulRecipe r(l_, s_, 0);
  hold(r);
  EXPECT_TRUE(tick(r));  // unanswered: nothing stops
  tick(r);               // a whole TTL unrenewed: taken as gone
  EXPECT_EQ(l_.losses, std::vector<std::string>{"session_timeout"});
  EXPECT_EQ(stopped("renew_failed"), 0u);
}

TEST_F(ConsulRenewTest, StopOnFailureEndsRenewalAndTheHolderNeverLearns) {
  s_.renew_stop_on_failure = true;
  ConsulRecipe r(l_, s_, 0);
  hold(r);
  EXPECT_TRUE(tick(r));
  r.on_message(ctx_, 0, Renewed{5, true});
  EXPECT_TRUE(tick(r));  // answered: goes on
  EXPECT_FALSE(tick(r));  // the last one was not: renewal ends
  EXPECT_EQ(stopped("renew_failed"), 1u);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(tick(r));
  EXPECT_TRUE(r.still_holds(ctx_));
  EXPECT_TRUE(l_.losses.empty());
}

TEST_F(ConsulRenewTest, ARefusedRenewalIsTheLockLost) {
  ConsulRecipe r(l_, s_, 0);
  hold(r);
  EXPECT_TRUE(tick(r));
  r.on_message(ctx_, 0, Renewed{5, false});
  EXPECT_EQ(l_.losses, std::vector<std::string>{"session_invalid"});
}

TEST_F(ConsulRenewTest, StopOnFailureTakesARefusedRenewalSilently) {
  s_.renew_stop_on_failure = true;
  ConsulRecipe r(l_, s_, 0);
  hold(r);
  EXPECT_TRUE(tick(r));
  r.on_message(ctx_, 0, Renewed{5, false});
  EXPECT_TRUE(l_.losses.empty());
  EXPECT_EQ(stopped("renew_failed"), 1u);
  EXPECT_FALSE(tick(r));
  EXPECT_TRUE(r.still_holds(ctx_));
}

// The consul variant's renewal is not tied to the worker: it renews for a hung one.
TEST_F(ConsulRenewTest, SessionIsRenewedForAHungWorker) {
  ConsulRecipe r(l_, s_, 0);
  hold(r);
  l_.worker = false;
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(tick(r)) << i;
    r.on_message(ctx_, 0, Renewed{5, true});
  }
  EXPECT_TRUE(r.still_holds(ctx_));
}

// renew_unchecked has no meaning for a session renewal: not a setting of consul or raft,
// refused at load (true or false), naming the variants it applies to.
TEST(KeepAliveSettings, RenewUncheckedIsRefusedForConsulAndRaft) {
  for (const char* file : {"consul-lock-delay.json", "raft-leader-change.json"}) {
    try {
      ScenarioLoader loader(protocol_families());
      loader.load_file(std::string(DSIM_SOURCE_DIR) + "/scenarios/locks/" + file,
                       {{"protocol.renew_unchecked", "true"}}, std::nullopt);
      ADD_FAILURE() << file << " loaded";
    } catch (const ScenarioError& e) {
      EXPECT_NE(std::string(e.what()).find("$.protocol.renew_unchecked"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("applies only to the variants redis, redlock and redis_sentinel"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(KeepAliveSettings, StopOnFailureAndZombieLoadForConsulAndRaftWithoutRenew) {
  ScenarioLoader loader(protocol_families());
  const std::string dir = std::string(DSIM_SOURCE_DIR) + "/scenarios/locks/";
  EXPECT_NO_THROW(loader.load_file(dir + "raft-leader-change.json",
                                   {{"protocol.renew_stop_on_failure", "true"},
                                    {"protocol.renew_without_worker", "true"}},
                                   std::nullopt));
  EXPECT_NO_THROW(loader.load_file(dir + "consul-lock-delay.json", {{"protocol.renew_stop_on_failure", "true"}},
                                   std::nullopt));
  try {
    loader.load_file(dir + "consul-lock-delay.json", {{"protocol.renew_without_worker", "true"}}, std::nullopt);
    ADD_FAILURE() << "loaded";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("$.protocol.renew_without_worker"), std::string::npos) << e.what();
  }
}

// What `dsim describe` lists is what loads: false, the default, is refused too where the
// switch is not a setting (it was accepted there, while describe listed consul and raft).
TEST(KeepAliveSettings, TheRenewalMistakesLoadExactlyWhereDescribeListsThem) {
  ScenarioLoader loader(protocol_families());
  const std::string dir = std::string(DSIM_SOURCE_DIR) + "/scenarios/locks/";
  const Setting* unchecked = nullptr;
  const Setting* zombie = nullptr;
  for (const Setting& s : lock_setting_table().settings()) {
    if (s.key == "renew_unchecked") unchecked = &s;
    if (s.key == "renew_without_worker") zombie = &s;
  }
  ASSERT_NE(unchecked, nullptr);
  ASSERT_NE(zombie, nullptr);
  EXPECT_EQ(unchecked->variants, (std::vector<std::string>{"redis", "redlock", "redis_sentinel"}));
  EXPECT_EQ(zombie->variants, (std::vector<std::string>{"redis", "redlock", "redis_sentinel", "raft"}));
  for (const char* key : {"renew_unchecked", "renew_without_worker"}) {
    for (const std::string value : {"false", "true"}) {
      SCOPED_TRACE(std::string(key) + "=" + value);
      bool zombie_row = std::string(key) == "renew_without_worker";
      EXPECT_THROW(loader.load_file(dir + "consul-lock-delay.json", {{std::string("protocol.") + key, value}},
                                    std::nullopt),
                   ScenarioError);
      if (zombie_row) {
        EXPECT_NO_THROW(loader.load_file(dir + "raft-leader-change.json", {{std::string("protocol.") + key, value}},
                                         std::nullopt));
      } else {
        EXPECT_THROW(loader.load_file(dir + "raft-leader-change.json", {{std::string("protocol.") + key, value}},
                                      std::nullopt),
                     ScenarioError);
      }
      EXPECT_NO_THROW(loader.load_file(dir + "zombie-keepalive.json", {{std::string("protocol.") + key, value}},
                                       std::nullopt));
    }
  }
}

}  // namespace
}  // namespace dsim::locks
