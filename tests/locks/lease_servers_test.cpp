// The naive lock server and the Redis lease server, driven by hand: grant, refusal,
// expiry by the wall clock, release with and without the owner check, crash and restart.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/redis_server.h"
#include "protocols/locks/seed_server.h"
#include "support/fake_context.h"

namespace dsim::locks {
namespace {

using dsim::testing::FakeContext;
using testing::acquire_request;
using testing::test_cluster;

Message release(const std::string& owner) { return ReleaseRequest{owner}; }

class LeaseServers : public ::testing::Test {
 protected:
  Cluster cluster_ = test_cluster();
  NodeId c1_ = *cluster_.find("c1");
  NodeId c2_ = *cluster_.find("c2");
};

TEST_F(LeaseServers, SeedGrantsWhenFreeRefusesWhenHeldAndNeverExpires) {
  ServiceSettings s;
  s.service = LockService::kSeed;
  SeedServer server(s);
  FakeContext ctx(cluster_, "lock");
  server.on_start(ctx);
  server.on_message(ctx, c1_, acquire_request("c1/0/1"));
  server.on_message(ctx, c2_, acquire_request("c2/0/1"));
  ASSERT_EQ(ctx.sent.size(), 2u);
  EXPECT_EQ(ctx.sent[0].message.type(), "acquire_ok");
  EXPECT_FALSE(ctx.sent[0].message.fields().contains("token"));  // no fencing, no token
  EXPECT_EQ(ctx.sent[1].message.type(), "acquire_busy");
  ctx.advance(Duration::seconds(3600));
  server.on_message(ctx, c2_, acquire_request("c2/0/1"));
  EXPECT_EQ(ctx.sent.back().message.type(), "acquire_busy");  // an hour later: still c1's
}

TEST_F(LeaseServers, SeedReleaseClearsWhoeverAsks) {
  ServiceSettings s;
  s.service = LockService::kSeed;
  SeedServer server(s);
  FakeContext ctx(cluster_, "lock");
  server.on_message(ctx, c1_, acquire_request("c1/0/1"));
  server.on_message(ctx, c2_, release("c2/0/1"));
  ASSERT_EQ(ctx.traced("freed").size(), 1u);
  EXPECT_EQ(ctx.traced("freed")[0]["owner"], "c1/0/1");
  EXPECT_EQ(ctx.traced("freed")[0]["by"], "c2/0/1");
  server.on_message(ctx, c2_, acquire_request("c2/0/1"));
  EXPECT_EQ(ctx.sent.back().message.type(), "acquire_ok");
}

TEST_F(LeaseServers, SeedCrashForgetsTheLock) {
  ServiceSettings s;
  s.service = LockService::kSeed;
  s.fencing = true;
  FakeContext before(cluster_, "lock");
  SeedServer first(s);
  first.on_message(before, c1_, acquire_request("c1/0/1"));
  EXPECT_EQ(before.sent.back().message.fields()["token"], 1);
  FakeContext after(cluster_, "lock", 1, before.disk());
  SeedServer restarted(s);
  restarted.on_start(after);
  restarted.on_message(after, c2_, acquire_request("c2/0/1"));
  EXPECT_EQ(after.sent.back().message.type(), "acquire_ok");
  EXPECT_EQ(after.sent.back().message.fields()["token"], 1);  // its count started over
}

TEST_F(LeaseServers, RedisSetsOnlyIfAbsentAndExpiresByWallClock) {
  ServiceSettings s;
  RedisServer server(s);
  FakeContext ctx(cluster_, "lock");
  server.on_start(ctx);
  server.on_message(ctx, c1_, acquire_request("c1/0/1"));
  EXPECT_EQ(ctx.sent.back().message.fields()["token"], 1);
  ctx.advance(Duration::millis(999));
  server.on_message(ctx, c2_, acquire_request("c2/0/1"));
  EXPECT_EQ(ctx.sent.back().message.type(), "acquire_busy");
  ctx.advance(Duration::millis(1));
  server.on_message(ctx, c2_, acquire_request("c2/0/1"));
  EXPECT_EQ(ctx.sent.back().message.type(), "acquire_ok");
  EXPECT_EQ(ctx.sent.back().message.fields()["token"], 2);
  ASSERT_EQ(ctx.traced("freed").size(), 1u);
  EXPECT_EQ(ctx.traced("freed")[0]["cause"], "expired");
}

TEST_F(LeaseServers, RedisClockJumpExpiresKeysEarly) {
  ServiceSettings s;
  RedisServer server(s);
  FakeContext ctx(cluster_, "lock");
  server.on_message(ctx, c1_, acquire_request("c1/0/1"));
  ctx.advance(Duration::millis(100));
  ctx.jump(Duration::seconds(2));  // NTP steps the clock
  server.on_message(ctx, c2_, acquire_request("c2/0/1"));
  EXPECT_EQ(ctx.sent.back().message.type(), "acquire_ok");
}

TEST_F(LeaseServers, RedisExpiryTimerFreesTheKeyAndRearmsAfterABackwardJump) {
  ServiceSettings s;
  RedisServer server(s);
  FakeContext ctx(cluster_, "lock");
  server.on_message(ctx, c1_, acquire_request("c1/0/1"));
  ctx.jump(-Duration::millis(500));
  server.on_timer(ctx, *ctx.take_timer("expire"));  // 1 s elapsed, but the wall clock says 0.5 s
  EXPECT_TRUE(ctx.traced("freed").empty());
  server.on_timer(ctx, *ctx.take_timer("expire"));
  ASSERT_EQ(ctx.traced("freed").size(), 1u);
}

TEST_F(LeaseServers, RedisReleaseChecksTheValueUnlessUnsafe) {
  ServiceSettings safe;
  RedisServer server(safe);
  FakeContext ctx(cluster_, "lock");
  server.on_message(ctx, c2_, acquire_request("c2/0/1"));
  server.on_message(ctx, c1_, release("c1/0/1"));
  EXPECT_EQ(ctx.sent.back().message.type(), "release_refused");
  server.on_message(ctx, c2_, release("c2/0/1"));
  EXPECT_EQ(ctx.sent.back().message.type(), "release_ok");

  ServiceSettings unsafe;
  unsafe.unsafe_release = true;
  RedisServer careless(unsafe);
  FakeContext ctx2(cluster_, "lock");
  careless.on_message(ctx2, c2_, acquire_request("c2/0/1"));
  careless.on_message(ctx2, c1_, release("c1/0/1"));
  EXPECT_EQ(ctx2.sent.back().message.type(), "release_ok");
  ASSERT_EQ(ctx2.traced("freed").size(), 1u);
  EXPECT_EQ(ctx2.traced("freed")[0]["owner"], "c2/0/1");
  EXPECT_EQ(ctx2.traced("freed")[0]["by"], "c1/0/1");
}

TEST_F(LeaseServers, RedisRestartKeepsSyncedKeyAndCounter) {
  ServiceSettings s;
  FakeContext before(cluster_, "lock");
  RedisServer first(s);
  first.on_message(before, c1_, acquire_request("c1/0/1"));
  before.disk()->crash();
  FakeContext after(cluster_, "lock", 1, before.disk());
  RedisServer restarted(s);
  restarted.on_start(after);
  ASSERT_EQ(after.traced("grant").size(), 1u);
  EXPECT_EQ(after.traced("grant")[0]["restored"], true);
  restarted.on_message(after, c2_, acquire_request("c2/0/1"));
  EXPECT_EQ(after.sent.back().message.type(), "acquire_busy");
  after.advance(Duration::seconds(1));
  restarted.on_message(after, c2_, acquire_request("c2/0/1"));
  EXPECT_EQ(after.sent.back().message.fields()["token"], 2);
}

TEST_F(LeaseServers, RedisWithoutSyncLosesKeyAndCounterInACrash) {
  ServiceSettings s;
  s.persist_sync = false;
  FakeContext before(cluster_, "lock");
  RedisServer first(s);
  first.on_message(before, c1_, acquire_request("c1/0/1"));
  before.disk()->crash();
  FakeContext after(cluster_, "lock", 1, before.disk());
  RedisServer restarted(s);
  restarted.on_start(after);
  restarted.on_message(after, c2_, acquire_request("c2/0/1"));
  EXPECT_EQ(after.sent.back().message.type(), "acquire_ok");
  EXPECT_EQ(after.sent.back().message.fields()["token"], 1);  // the token went back
}

}  // namespace
}  // namespace dsim::locks
