// The single-server and Redlock client recipes, driven by hand.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/locks/lease_recipe.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/redlock_recipe.h"
#include "support/fake_context.h"

namespace dsim::locks {
namespace {

using dsim::testing::FakeContext;
using testing::kC1Owner;
using testing::RecordingListener;
using testing::test_cluster;

// The server's answer to `request` (as the trace shows it): granted with `token` (none
// if 0), or busy.
Message reply(const std::string& type, const Json& request, int64_t token = 0) {
  std::string owner = request["owner"].get<std::string>();
  int64_t req = request.value("req", int64_t{0});
  if (type == "acquire_busy") return AcquireBusy{owner, req};
  std::optional<int64_t> t;
  if (token > 0) t = token;
  return AcquireOk{owner, req, t};
}

TEST(LeaseRecipe, GrantIsValidForTheLeaseMinusDriftFromWhenTheRequestLeft) {
  Cluster cluster = test_cluster();
  ServiceSettings s;  // redis, ttl 1 s, drift 1 %
  RecordingListener l;
  LeaseRecipe recipe(l, s, WorkloadSettings{}, 0);
  FakeContext ctx(cluster, "c1");
  Instant sent_at = ctx.now();
  recipe.acquire(ctx, kC1Owner);
  Json request = ctx.take_sent().at(0).message.fields();
  EXPECT_EQ(request["ttl_ns"], Duration::seconds(1).ns);
  ctx.advance(Duration::millis(50));
  recipe.on_message(ctx, 0, reply("acquire_ok", request, 7));
  ASSERT_EQ(l.grants.size(), 1u);
  EXPECT_EQ(l.grants[0].token, 7);
  EXPECT_EQ(l.grants[0].valid_until, sent_at + Duration::millis(990));
  EXPECT_TRUE(recipe.still_holds(ctx));
  ctx.advance(Duration::millis(940));
  EXPECT_FALSE(recipe.still_holds(ctx));  // expiry: the client knows without asking
}

TEST(LeaseRecipe, RefusalAndSilenceBothRetryAfterABackoffWithTheSameValue) {
  Cluster cluster = test_cluster();
  ServiceSettings s;
  RecordingListener l;
  LeaseRecipe recipe(l, s, WorkloadSettings{}, 0);
  FakeContext ctx(cluster, "c1");
  recipe.acquire(ctx, kC1Owner);
  Json first = ctx.take_sent().at(0).message.fields();
  recipe.on_message(ctx, 0, reply("acquire_busy", first));
  EXPECT_TRUE(ctx.sent.empty());
  recipe.on_timer(ctx, *ctx.take_timer("lease.retry"));
  Json second = ctx.take_sent().at(0).message.fields();
  EXPECT_EQ(second["owner"], first["owner"]);
  recipe.on_timer(ctx, *ctx.take_timer("lease.timeout"));  // no answer
  recipe.on_timer(ctx, *ctx.take_timer("lease.retry"));
  EXPECT_EQ(ctx.take_sent().size(), 1u);
  // The first request's late grant still counts: the key is ours.
  recipe.on_message(ctx, 0, reply("acquire_ok", first, 3));
  EXPECT_EQ(l.grants.size(), 1u);
}

TEST(LeaseRecipe, TheNaiveLockHasNoLeaseAndReleaseSendsTheOwner) {
  Cluster cluster = test_cluster();
  ServiceSettings s;
  s.service = LockService::kSeed;
  RecordingListener l;
  LeaseRecipe recipe(l, s, WorkloadSettings{}, 0);
  FakeContext ctx(cluster, "c1");
  recipe.acquire(ctx, kC1Owner);
  Json request = ctx.take_sent().at(0).message.fields();
  EXPECT_FALSE(request.contains("ttl_ns"));
  recipe.on_message(ctx, 0, reply("acquire_ok", request));
  ctx.advance(Duration::seconds(3600));
  EXPECT_TRUE(recipe.still_holds(ctx));
  recipe.release(ctx);
  EXPECT_EQ(ctx.sent.back().message.type(), "release");
  EXPECT_EQ(ctx.sent.back().message.fields()["owner"], "c1/0/1");
  EXPECT_FALSE(recipe.still_holds(ctx));
}

class RedlockRecipeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (NodeId n = 0; n < 5; ++n) servers_.push_back(n);
  }
  RedlockRecipe make(const ServiceSettings& s) { return RedlockRecipe(l_, s, WorkloadSettings{}, servers_); }
  void answer(RedlockRecipe& r, NodeId server, const char* type, int64_t token = 1) {
    if (std::string(type) == "acquire_busy") {
      r.on_message(ctx_, server, AcquireBusy{owner_, 0});
    } else {
      r.on_message(ctx_, server, AcquireOk{owner_, 0, token});
    }
  }

  Cluster cluster_ = test_cluster(5);
  std::vector<NodeId> servers_;
  RecordingListener l_;
  FakeContext ctx_{cluster_, "c1"};
  std::string owner_ = "c1/0/1.1";
};

TEST_F(RedlockRecipeTest, MajorityWithinValidityGrantsWithTheLargestToken) {
  ServiceSettings s;
  s.service = LockService::kRedlock;
  RedlockRecipe r = make(s);
  r.acquire(ctx_, kC1Owner);
  EXPECT_EQ(ctx_.take_sent().size(), 5u);
  ctx_.advance(Duration::millis(10));
  answer(r, 0, "acquire_ok", 4);
  answer(r, 1, "acquire_busy");
  answer(r, 2, "acquire_ok", 9);
  EXPECT_TRUE(l_.grants.empty());
  answer(r, 3, "acquire_ok", 2);
  ASSERT_EQ(l_.grants.size(), 1u);
  EXPECT_EQ(l_.grants[0].owner, owner_);
  EXPECT_EQ(l_.grants[0].token, 9);
  // 1 s - 10 ms elapsed - (10 ms + 2 ms) drift margin
  EXPECT_EQ(l_.grants[0].valid_until, ctx_.now() + Duration::millis(978));
}

TEST_F(RedlockRecipeTest, LateMajorityIsRefusedAndUnlockedEverywhere) {
  ServiceSettings s;
  s.service = LockService::kRedlock;
  RedlockRecipe r = make(s);
  r.acquire(ctx_, kC1Owner);
  ctx_.take_sent();
  ctx_.advance(Duration::millis(1500));  // paused while the replies were in flight
  for (NodeId n = 0; n < 3; ++n) answer(r, n, "acquire_ok");
  EXPECT_TRUE(l_.grants.empty());
  ASSERT_EQ(ctx_.traced("acquire_failed").size(), 1u);
  int releases = 0;
  for (const dsim::testing::Sent& m : ctx_.take_sent()) releases += m.message.type() == "release";
  EXPECT_EQ(releases, 5);
  r.on_timer(ctx_, *ctx_.take_timer("redlock.retry"));
  EXPECT_EQ(ctx_.sent.at(0).message.fields()["owner"], "c1/0/1.2");  // a fresh value
}

TEST_F(RedlockRecipeTest, WithoutStepThreeTheLateMajorityIsTrusted) {
  ServiceSettings s;
  s.service = LockService::kRedlock;
  s.validity_check_elapsed = false;
  RedlockRecipe r = make(s);
  r.acquire(ctx_, kC1Owner);
  ctx_.advance(Duration::millis(1500));
  for (NodeId n = 0; n < 3; ++n) answer(r, n, "acquire_ok");
  EXPECT_EQ(l_.grants.size(), 1u);
}

TEST_F(RedlockRecipeTest, MinorityAfterTimeoutFails) {
  ServiceSettings s;
  s.service = LockService::kRedlock;
  RedlockRecipe r = make(s);
  r.acquire(ctx_, kC1Owner);
  answer(r, 0, "acquire_ok");
  answer(r, 1, "acquire_ok");
  answer(r, 1, "acquire_ok");  // a duplicate does not make a majority
  r.on_timer(ctx_, *ctx_.take_timer("redlock.timeout"));
  EXPECT_TRUE(l_.grants.empty());
  EXPECT_EQ(ctx_.traced("acquire_failed").at(0)["granted"], 2);
}

}  // namespace
}  // namespace dsim::locks
