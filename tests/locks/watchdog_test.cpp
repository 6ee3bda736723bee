// Lease renewal (watchdog.h) through the Redis recipe and server, driven by hand: what a
// correct watchdog does, and each mistake switch.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/locks/lease_recipe.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/redis_server.h"
#include "protocols/locks/renewal_messages.h"
#include "protocols/locks/watchdog.h"
#include "support/fake_context.h"

namespace dsim::locks {
namespace {

using dsim::testing::FakeContext;
using testing::kC1Owner;
using testing::RecordingListener;
using testing::test_cluster;

class WatchdogTest : public ::testing::Test {
 protected:
  WatchdogTest() { s_.renew = true; }  // redis, ttl 1 s: renewals every 333 ms
  // Acquires through `r`, granted at once.
  void hold(LeaseRecipe& r) {
    r.acquire(ctx_, kC1Owner);
    Json request = ctx_.take_sent().at(0).message.fields();
    r.on_message(ctx_, 0, AcquireOk{request["owner"].get<std::string>(), request["req"].get<int64_t>(), 1});
    ASSERT_EQ(l_.grants.size(), 1u);
  }
  // Fires the renewal timer and returns the Extend it sent (none: nullptr).
  const Extend* tick(LeaseRecipe& r) {
    std::optional<Timer> t = ctx_.take_timer("lease.renew");
    if (!t) return nullptr;
    ctx_.advance(Duration::millis(333));
    r.on_timer(ctx_, *t);
    const dsim::testing::Sent* sent = ctx_.last_sent("extend");
    return sent == nullptr ? nullptr : sent->message.as<Extend>();
  }

  Cluster cluster_ = test_cluster();
  ServiceSettings s_;
  RecordingListener l_;
  FakeContext ctx_{cluster_, "c1"};
};

TEST_F(WatchdogTest, AcknowledgedRenewalsExtendTheValidity) {
  LeaseRecipe r(l_, s_, WorkloadSettings{}, 0);
  hold(r);
  for (int i = 0; i < 6; ++i) {  // 2 s, twice the lease
    const Extend* e = tick(r);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->owner, "c1/0/1");  // names the hold
    r.on_message(ctx_, 0, ExtendResult{e->owner, e->req, true});
    ctx_.take_sent();
  }
  EXPECT_TRUE(r.still_holds(ctx_));
  r.release(ctx_);
  ctx_.take_sent();
  EXPECT_EQ(tick(r), nullptr);  // stopped at release
}

TEST_F(WatchdogTest, ARefusedRenewalIsTheLockLost) {
  LeaseRecipe r(l_, s_, WorkloadSettings{}, 0);
  hold(r);
  const Extend* e = tick(r);
  r.on_message(ctx_, 0, ExtendResult{e->owner, e->req, false});
  ASSERT_EQ(l_.losses.size(), 1u);
  EXPECT_EQ(l_.losses[0], "renew_refused");
}

TEST_F(WatchdogTest, StopOnFailureStopsSilentlyAndTheWorkerTrustsIt) {
  s_.renew_stop_on_failure = true;
  LeaseRecipe r(l_, s_, WorkloadSettings{}, 0);
  hold(r);
  ASSERT_NE(tick(r), nullptr);
  ctx_.take_sent();  // unanswered
  EXPECT_EQ(tick(r), nullptr);  // the first failure stopped it
  EXPECT_TRUE(l_.losses.empty());  // nobody was told
  ctx_.advance(Duration::seconds(5));
  EXPECT_TRUE(r.still_holds(ctx_));  // and the worker goes on
}

// A hung worker: the client's listener says no progress. A correct watchdog stops; the
// zombie renews on.
class HungWorker final : public RecipeListener {
 public:
  void on_granted(Context&, const Grant&) override {}
  void on_lost(Context&, std::string_view) override {}
  bool worker_alive(Context&) const override { return false; }
};

TEST_F(WatchdogTest, AHungWorkerStopsTheWatchdogUnlessItIsAZombie) {
  HungWorker hung;
  LeaseRecipe correct(hung, s_, WorkloadSettings{}, 0);
  correct.acquire(ctx_, kC1Owner);
  Json request = ctx_.take_sent().at(0).message.fields();
  correct.on_message(ctx_, 0, AcquireOk{"c1/0/1", request["req"].get<int64_t>(), 1});
  EXPECT_EQ(tick(correct), nullptr);
  s_.renew_without_worker = true;
  LeaseRecipe zombie(hung, s_, WorkloadSettings{}, 0);
  zombie.acquire(ctx_, kC1Owner);
  request = ctx_.take_sent().at(0).message.fields();
  zombie.on_message(ctx_, 0, AcquireOk{"c1/0/1", request["req"].get<int64_t>(), 1});
  EXPECT_NE(tick(zombie), nullptr);
  zombie.release(ctx_);
  ctx_.take_sent();
  EXPECT_NE(tick(zombie), nullptr);  // even after release
}

TEST(RedisServerRenewal, ExtendsOnlyTheHoldItNamesUnlessUnchecked) {
  Cluster cluster = test_cluster();
  ServiceSettings s;
  FakeContext ctx(cluster, "lock");
  RedisServer server(s);
  server.on_start(ctx);
  NodeId c1 = *cluster.find("c1"), c2 = *cluster.find("c2");
  server.on_message(ctx, c2, AcquireRequest{"c2/0/1", 1, s.ttl.ns, true, true});
  server.on_message(ctx, c1, Extend{"c1/0/1", s.ttl.ns, 1});  // c1's hold ended long ago
  EXPECT_FALSE(ctx.last_sent("extend_result")->message.as<ExtendResult>()->ok);
  server.on_message(ctx, c2, Extend{"c2/0/1", s.ttl.ns, 1});
  EXPECT_TRUE(ctx.last_sent("extend_result")->message.as<ExtendResult>()->ok);
  s.renew_unchecked = true;
  RedisServer careless(s);
  FakeContext ctx2(cluster, "lock");
  careless.on_start(ctx2);
  careless.on_message(ctx2, c2, AcquireRequest{"c2/0/1", 1, s.ttl.ns, true, true});
  careless.on_message(ctx2, c1, Extend{"c1/0/1", s.ttl.ns, 1});
  EXPECT_TRUE(ctx2.last_sent("extend_result")->message.as<ExtendResult>()->ok);  // c2's key, extended for c1
}

}  // namespace
}  // namespace dsim::locks

namespace dsim::locks {
namespace {

// For a replicated Redis: after a failover the watchdog renews on the promoted primary.
TEST(LeaseWatchdog, RetargetedRenewalsGoToTheNewServer) {
  Cluster cluster = testing::test_cluster();
  ServiceSettings s;
  s.renew = true;
  testing::RecordingListener l;
  FakeContext ctx(cluster, "c1");
  LeaseWatchdog dog(s, {0}, 1, Duration::millis(10));
  dog.start(ctx, "c1/0/1");
  dog.retarget({1}, 1);
  ctx.advance(Duration::millis(333));
  dog.on_timer(ctx, l, *ctx.take_timer("lease.renew"));
  std::vector<dsim::testing::Sent> sent = ctx.take_sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, 1);
  ASSERT_NE(sent[0].message.as<Extend>(), nullptr);
}

}  // namespace
}  // namespace dsim::locks
