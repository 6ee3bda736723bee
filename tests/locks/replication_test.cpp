// Replicated Redis with Sentinel, driven by hand: asynchronous replication and WAIT,
// min-replicas-to-write, promotion and demotion of instances (redis_replica.h); a
// sentinel's SDOWN, ODOWN by quorum, its election and promotion, votes once per epoch,
// and the demotion of an old primary that comes back (sentinel.h).
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/redis_replica.h"
#include "protocols/locks/renewal_messages.h"
#include "protocols/locks/replication_messages.h"
#include "protocols/locks/sentinel.h"
#include "protocols/locks/sentinel_recipe.h"
#include "support/fake_context.h"

namespace dsim::locks {
namespace {

using dsim::testing::FakeContext;
using testing::acquire_request;
using testing::sent_to;

// lock1 (the first primary), lock2, lock3, sentinel1..3, resource, c1, c2.
Cluster replicated_cluster() {
  Cluster c;
  for (int i = 1; i <= 3; ++i) c.add("lock" + std::to_string(i), "lock");
  for (int i = 1; i <= 3; ++i) c.add("sentinel" + std::to_string(i), "sentinel");
  c.add("resource", "resource");
  c.add("c1", "client");
  c.add("c2", "client");
  return c;
}

class Replication : public ::testing::Test {
 protected:
  ServiceSettings settings() const {
    ServiceSettings s;
    s.service = LockService::kRedisSentinel;
    return s;
  }
  Cluster cluster_ = replicated_cluster();
  NodeId lock1_ = *cluster_.find("lock1");
  NodeId lock2_ = *cluster_.find("lock2");
  NodeId lock3_ = *cluster_.find("lock3");
  NodeId s1_ = *cluster_.find("sentinel1");
  NodeId s2_ = *cluster_.find("sentinel2");
  NodeId s3_ = *cluster_.find("sentinel3");
  NodeId c1_ = *cluster_.find("c1");
  NodeId c2_ = *cluster_.find("c2");
};

TEST_F(Replication, ThePrimaryAnswersFirstAndShipsTheKeyToTheReplicasItKnows) {
  RedisReplica primary(settings(), lock1_);
  FakeContext p(cluster_, "lock1");
  primary.on_start(p);
  EXPECT_TRUE(primary.is_primary());
  primary.on_message(p, lock2_, ReplAck{0});  // lock2 follows it; lock3 has not said so
  p.take_sent();
  primary.on_message(p, c1_, acquire_request("c1/0/1"));
  ASSERT_EQ(sent_to<AcquireOk>(p, c1_).size(), 1u);  // asynchronous: told at once
  EXPECT_EQ(sent_to<AcquireOk>(p, c1_)[0].token, 1);
  ASSERT_EQ(sent_to<Replicate>(p, lock2_).size(), 1u);
  EXPECT_TRUE(sent_to<Replicate>(p, lock3_).empty());
  Replicate update = sent_to<Replicate>(p, lock2_)[0];
  EXPECT_EQ(update.offset, 1);
  EXPECT_EQ(update.owner, "c1/0/1");

  RedisReplica replica(settings(), lock1_);
  FakeContext r(cluster_, "lock2");
  replica.on_start(r);
  EXPECT_FALSE(replica.is_primary());
  replica.on_message(r, lock1_, update);
  EXPECT_EQ(replica.offset(), 1);
  ASSERT_EQ(sent_to<ReplAck>(r, lock1_).size(), 2u);  // at start, and for the update
  EXPECT_EQ(sent_to<ReplAck>(r, lock1_)[1].offset, 1);
  EXPECT_TRUE(r.traced("grant").empty());  // a replica's copy is not a grant
  // A replica refuses writes.
  replica.on_message(r, c2_, acquire_request("c2/0/1"));
  EXPECT_EQ(sent_to<ReadOnly>(r, c2_).size(), 1u);
}

TEST_F(Replication, WaitAnswersOnceEnoughReplicasAcknowledgedElseFails) {
  ServiceSettings s = settings();
  s.replication.wait_replicas = 1;
  RedisReplica primary(s, lock1_);
  FakeContext p(cluster_, "lock1");
  primary.on_start(p);
  primary.on_message(p, lock2_, ReplAck{0});
  primary.on_message(p, c1_, acquire_request("c1/0/1", 7));
  EXPECT_TRUE(sent_to<AcquireOk>(p, c1_).empty());
  primary.on_message(p, lock2_, ReplAck{1});
  ASSERT_EQ(sent_to<AcquireOk>(p, c1_).size(), 1u);
  EXPECT_EQ(sent_to<AcquireOk>(p, c1_)[0].req, 7);

}

TEST_F(Replication, WaitTimesOutWithTheCountOfReplicasThatHaveIt) {
  ServiceSettings s = settings();
  s.replication.wait_replicas = 2;
  RedisReplica primary(s, lock1_);
  FakeContext p(cluster_, "lock1");
  primary.on_start(p);
  primary.on_message(p, lock2_, ReplAck{0});
  primary.on_message(p, lock3_, ReplAck{0});
  primary.on_message(p, c1_, acquire_request("c1/0/1", 4));
  primary.on_message(p, lock2_, ReplAck{1});
  std::optional<Timer> t = p.take_timer("repl.wait_timeout");
  ASSERT_TRUE(t);
  primary.on_timer(p, *t);
  EXPECT_TRUE(sent_to<AcquireOk>(p, c1_).empty());
  ASSERT_EQ(sent_to<WaitFailed>(p, c1_).size(), 1u);
  EXPECT_EQ(sent_to<WaitFailed>(p, c1_)[0].acked, 1);
  EXPECT_EQ(sent_to<WaitFailed>(p, c1_)[0].req, 4);
}

TEST_F(Replication, MinReplicasToWriteRefusesWithoutRecentAcknowledgements) {
  ServiceSettings s = settings();
  s.replication.min_replicas_to_write = 1;
  s.replication.min_replicas_max_lag = Duration::seconds(1);
  RedisReplica primary(s, lock1_);
  FakeContext p(cluster_, "lock1");
  primary.on_start(p);
  primary.on_message(p, c1_, acquire_request("c1/0/1"));
  EXPECT_EQ(sent_to<NoReplicas>(p, c1_).size(), 1u);  // no replica yet
  primary.on_message(p, lock2_, ReplAck{0});
  p.advance(Duration::millis(1500));  // its acknowledgement is too old now
  primary.on_message(p, c1_, acquire_request("c1/0/1"));
  EXPECT_EQ(sent_to<NoReplicas>(p, c1_).size(), 2u);
  primary.on_message(p, lock2_, ReplAck{0});
  primary.on_message(p, c1_, acquire_request("c1/0/1"));
  EXPECT_EQ(sent_to<AcquireOk>(p, c1_).size(), 1u);
}

TEST_F(Replication, APromotedReplicaKeepsTheReplicatedKeyAndHandsOutLargerTokens) {
  RedisReplica replica(settings(), lock1_);
  FakeContext r(cluster_, "lock2");
  replica.on_start(r);
  Replicate update;
  update.epoch = 0;
  update.offset = 1;
  update.counter = 5;
  update.has_key = true;
  update.owner = "c1/0/1";
  update.client = c1_;
  update.expires_at_ns = (r.now() + Duration::seconds(1)).ns;
  update.token = 5;
  replica.on_message(r, lock1_, update);
  replica.on_message(r, s1_, Promote{1});
  EXPECT_TRUE(replica.is_primary());
  EXPECT_EQ(replica.epoch(), 1);
  ASSERT_EQ(r.traced("promoted").size(), 1u);
  replica.on_message(r, c2_, acquire_request("c2/0/1"));
  EXPECT_EQ(sent_to<AcquireBusy>(r, c2_).size(), 1u);  // the key survived the failover
  r.advance(Duration::seconds(2));
  replica.on_message(r, c2_, acquire_request("c2/0/1"));
  ASSERT_EQ(sent_to<AcquireOk>(r, c2_).size(), 1u);
  EXPECT_EQ(sent_to<AcquireOk>(r, c2_)[0].token, 1 * kEpochTokenStride + 6);
  // An older epoch's promotion is ignored.
  replica.on_message(r, s2_, Promote{1});
  EXPECT_EQ(r.traced("promoted").size(), 1u);
}

TEST_F(Replication, ADemotedPrimaryTakesTheNewPrimarysDatasetAndLosesItsUnreplicatedKey) {
  RedisReplica old(settings(), lock1_);
  FakeContext p(cluster_, "lock1");
  old.on_start(p);
  old.on_message(p, c1_, acquire_request("c1/0/1"));  // never shipped: it knows no replica
  ASSERT_EQ(p.traced("grant").size(), 1u);
  old.on_message(p, s1_, ReplicaOf{lock2_, 1, &cluster_});
  EXPECT_FALSE(old.is_primary());
  ASSERT_EQ(p.traced("replica_of").size(), 1u);
  EXPECT_EQ(p.traced("replica_of")[0]["was_primary"], true);
  EXPECT_EQ(sent_to<ReplAck>(p, lock2_).back().offset, -1);  // asks for the whole dataset
  Replicate dataset;
  dataset.epoch = 1;
  dataset.offset = 3;
  dataset.counter = 2;
  old.on_message(p, lock2_, dataset);
  ASSERT_EQ(p.traced("freed").size(), 1u);
  EXPECT_EQ(p.traced("freed")[0]["cause"], "resync");
  EXPECT_EQ(old.offset(), 3);
  old.on_message(p, c2_, acquire_request("c2/0/1"));
  EXPECT_EQ(sent_to<ReadOnly>(p, c2_).size(), 1u);
}

TEST_F(Replication, RestartedInstancesKeepRoleEpochAndKey) {
  auto disk = std::make_shared<DurableStore>();
  {
    RedisReplica r(settings(), lock1_);
    FakeContext ctx(cluster_, "lock2", 0, disk);
    r.on_start(ctx);
    r.on_message(ctx, s1_, Promote{2});
    r.on_message(ctx, c1_, acquire_request("c1/0/1"));
  }
  RedisReplica again(settings(), lock1_);
  FakeContext ctx(cluster_, "lock2", 1, disk);
  again.on_start(ctx);
  EXPECT_TRUE(again.is_primary());
  EXPECT_EQ(again.epoch(), 2);
  ASSERT_EQ(ctx.traced("grant").size(), 1u);
  EXPECT_EQ(ctx.traced("grant")[0]["restored"], true);
  EXPECT_EQ(ctx.traced("grant")[0]["token"], 2 * kEpochTokenStride + 1);
}

class Sentinels : public Replication {
 protected:
  ReplicationSettings rs() const {
    ReplicationSettings r;
    r.sentinel_quorum = 2;
    r.down_after = Duration::seconds(1);
    r.sentinel_ping = Duration::millis(100);
    return r;
  }
  std::vector<NodeId> instances() const { return {lock1_, lock2_, lock3_}; }
  std::vector<NodeId> sentinels() const { return {s1_, s2_, s3_}; }
  // One tick of the sentinel: its pings, hellos and checks.
  static void tick(Sentinel& s, FakeContext& ctx) {
    std::optional<Timer> t = ctx.take_timer("sentinel.tick");
    ASSERT_TRUE(t);
    s.on_timer(ctx, *t);
  }
  void replicas_answer(Sentinel& s, FakeContext& ctx, int64_t offset2, int64_t offset3) {
    s.on_message(ctx, lock2_, InstanceInfo{false, lock1_, 0, offset2, &cluster_});
    s.on_message(ctx, lock3_, InstanceInfo{false, lock1_, 0, offset3, &cluster_});
  }
};

TEST_F(Sentinels, ASilentPrimaryIsSdownAloneAndOdownOnlyWithTheQuorum) {
  Sentinel s(rs(), instances(), sentinels());
  FakeContext ctx(cluster_, "sentinel1");
  s.on_start(ctx);
  for (int i = 0; i < 12; ++i) {  // 1.2 s: the primary never answers
    tick(s, ctx);
    replicas_answer(s, ctx, 4, 3);
  }
  EXPECT_EQ(ctx.traced("sdown").size(), 1u);
  EXPECT_TRUE(ctx.traced("odown").empty());  // alone it is not enough
  EXPECT_TRUE(ctx.traced("failover_start").empty());
  EXPECT_FALSE(sent_to<IsPrimaryDown>(ctx, s2_).empty());  // it asks the others
  // sentinel2 agrees: ODOWN, and a failover in epoch 1 that asks for votes.
  s.on_message(ctx, s2_, IsPrimaryDownReply{lock1_, true, 0, false, &cluster_});
  ctx.take_sent();
  tick(s, ctx);
  ASSERT_EQ(ctx.traced("odown").size(), 1u);
  EXPECT_EQ(ctx.traced("odown")[0]["agreeing"], 2);
  EXPECT_TRUE(ctx.traced("failover_start").empty());  // its start is delayed at random
  std::optional<Timer> start = ctx.take_timer("sentinel.failover");
  ASSERT_TRUE(start);
  s.on_timer(ctx, *start);
  ASSERT_EQ(ctx.traced("failover_start").size(), 1u);
  EXPECT_EQ(s.current_epoch(), 1);
  std::vector<IsPrimaryDown> asks = sent_to<IsPrimaryDown>(ctx, s3_);
  ASSERT_EQ(asks.size(), 1u);
  EXPECT_TRUE(asks[0].vote);
  EXPECT_EQ(asks[0].epoch, 1);
  EXPECT_TRUE(ctx.traced("switch_master").empty());  // one vote (its own) of the two needed
  // sentinel3's vote makes a majority: it promotes the replica with the most data.
  s.on_message(ctx, s3_, IsPrimaryDownReply{lock1_, true, 1, true, &cluster_});
  ASSERT_EQ(sent_to<Promote>(ctx, lock2_).size(), 1u);
  EXPECT_EQ(sent_to<Promote>(ctx, lock2_)[0].epoch, 1);
  EXPECT_TRUE(sent_to<Promote>(ctx, lock3_).empty());
  EXPECT_EQ(s.primary(), lock2_);
  EXPECT_EQ(s.config_epoch(), 1);
  ASSERT_EQ(ctx.traced("switch_master").size(), 1u);
  EXPECT_EQ(ctx.traced("switch_master")[0]["primary"], "lock2");
  // Clients asking now are sent to lock2.
  s.on_message(ctx, c1_, GetPrimary{9});
  ASSERT_EQ(sent_to<PrimaryAddr>(ctx, c1_).size(), 1u);
  EXPECT_EQ(sent_to<PrimaryAddr>(ctx, c1_)[0].primary, lock2_);
}

TEST_F(Sentinels, AnAnsweringPrimaryIsNeverDown) {
  Sentinel s(rs(), instances(), sentinels());
  FakeContext ctx(cluster_, "sentinel1");
  s.on_start(ctx);
  for (int i = 0; i < 30; ++i) {
    tick(s, ctx);
    s.on_message(ctx, lock1_, InstanceInfo{true, lock1_, 0, 0, &cluster_});
  }
  EXPECT_TRUE(ctx.traced("sdown").empty());
  EXPECT_TRUE(sent_to<IsPrimaryDown>(ctx, s2_).empty());
}

TEST_F(Sentinels, EachSentinelVotesOncePerEpoch) {
  Sentinel s(rs(), instances(), sentinels());
  FakeContext ctx(cluster_, "sentinel1");
  s.on_start(ctx);
  s.on_message(ctx, s2_, IsPrimaryDown{lock1_, 1, true, &cluster_});
  s.on_message(ctx, s3_, IsPrimaryDown{lock1_, 1, true, &cluster_});
  s.on_message(ctx, s3_, IsPrimaryDown{lock1_, 2, true, &cluster_});
  ASSERT_EQ(sent_to<IsPrimaryDownReply>(ctx, s2_).size(), 1u);
  ASSERT_EQ(sent_to<IsPrimaryDownReply>(ctx, s3_).size(), 2u);
  EXPECT_TRUE(sent_to<IsPrimaryDownReply>(ctx, s2_)[0].voted);
  EXPECT_FALSE(sent_to<IsPrimaryDownReply>(ctx, s3_)[0].voted);  // epoch 1 went to sentinel2
  EXPECT_TRUE(sent_to<IsPrimaryDownReply>(ctx, s3_)[1].voted);   // epoch 2 is new
  // The vote survives a restart (sentinel.conf).
  Sentinel again(rs(), instances(), sentinels());
  FakeContext ctx2(cluster_, "sentinel1", 1, ctx.disk());
  again.on_start(ctx2);
  again.on_message(ctx2, s2_, IsPrimaryDown{lock1_, 2, true, &cluster_});
  EXPECT_FALSE(sent_to<IsPrimaryDownReply>(ctx2, s2_)[0].voted);
}

TEST_F(Sentinels, AnOldPrimaryThatComesBackIsDemotedAndStragglersFollow) {
  Sentinel s(rs(), instances(), sentinels());
  FakeContext ctx(cluster_, "sentinel1");
  s.on_start(ctx);
  s.on_message(ctx, s2_, SentinelHello{lock2_, 1, &cluster_});  // another sentinel failed over
  EXPECT_EQ(s.primary(), lock2_);
  EXPECT_EQ(ctx.traced("switch_master").size(), 1u);
  s.on_message(ctx, s3_, SentinelHello{lock1_, 0, &cluster_});  // older: ignored
  EXPECT_EQ(s.primary(), lock2_);
  s.on_message(ctx, lock1_, InstanceInfo{true, lock1_, 0, 7, &cluster_});     // back, still primary
  s.on_message(ctx, lock2_, InstanceInfo{true, lock2_, 1, 5, &cluster_});
  s.on_message(ctx, lock3_, InstanceInfo{false, lock1_, 0, 7, &cluster_});    // still follows lock1
  ctx.take_sent();
  tick(s, ctx);
  ASSERT_EQ(sent_to<ReplicaOf>(ctx, lock1_).size(), 1u);
  EXPECT_EQ(sent_to<ReplicaOf>(ctx, lock1_)[0].primary, lock2_);
  EXPECT_EQ(sent_to<ReplicaOf>(ctx, lock1_)[0].epoch, 1);
  EXPECT_EQ(sent_to<ReplicaOf>(ctx, lock3_).size(), 1u);
  EXPECT_TRUE(sent_to<ReplicaOf>(ctx, lock2_).empty());
  // An instance with a newer configuration than the sentinel's teaches it.
  s.on_message(ctx, lock3_, InstanceInfo{true, lock3_, 4, 9, &cluster_});
  EXPECT_EQ(s.primary(), lock3_);
  EXPECT_EQ(s.config_epoch(), 4);
}

// Lease renewal on replicated Redis (watchdog.h with the Sentinel recipe).
class SentinelRenewal : public Replication {
 protected:
  ServiceSettings renewing() const {
    ServiceSettings s = settings();
    s.renew = true;  // ttl 1 s: renewals every 333 ms
    return s;
  }
  // c1 asks sentinel1, is sent to lock1 and granted there.
  void hold(SentinelRecipe& r, FakeContext& ctx) {
    r.acquire(ctx, OwnerId{"c1", 0, 1, 0});
    std::vector<GetPrimary> asked = sent_to<GetPrimary>(ctx, s1_);
    ASSERT_EQ(asked.size(), 1u);
    r.on_message(ctx, s1_, PrimaryAddr{lock1_, 0, asked[0].req, &cluster_});
    std::vector<AcquireRequest> set = sent_to<AcquireRequest>(ctx, lock1_);
    ASSERT_EQ(set.size(), 1u);
    r.on_message(ctx, lock1_, AcquireOk{set[0].owner, set[0].req, 1});
    ASSERT_EQ(l_.grants.size(), 1u);
    ctx.take_sent();
  }
  std::vector<NodeId> sentinels() const { return {s1_, s2_, s3_}; }
  testing::RecordingListener l_;
};

// After a failover the renewal goes to the promoted primary at once; the promoted primary
// never had the key (the grant was not replicated) and refuses: the lock is lost, and the
// worker is told.
TEST_F(SentinelRenewal, ARenewalRefusedByThePromotedPrimaryIsTheLockLost) {
  FakeContext ctx(cluster_, "c1");
  SentinelRecipe r(l_, renewing(), WorkloadSettings{}, sentinels());
  hold(r, ctx);
  r.on_timer(ctx, *ctx.take_timer("lease.renew"));
  std::vector<Extend> to_old = sent_to<Extend>(ctx, lock1_);
  ASSERT_EQ(to_old.size(), 1u);  // to the primary that granted it; unanswered (cut off)
  std::vector<GetPrimary> scans = sent_to<GetPrimary>(ctx, s2_);
  ASSERT_EQ(scans.size(), 1u);  // and the client asks a sentinel which instance is primary
  ctx.take_sent();
  r.on_message(ctx, s2_, PrimaryAddr{lock2_, 1, scans[0].req, &cluster_});
  EXPECT_EQ(r.primary(), lock2_);
  std::vector<Extend> to_new = sent_to<Extend>(ctx, lock2_);
  ASSERT_EQ(to_new.size(), 1u);  // the unanswered renewal, again, at once
  EXPECT_EQ(to_new[0].owner, "c1/0/1");
  EXPECT_TRUE(r.still_holds(ctx));

  RedisReplica promoted(settings(), lock1_);
  FakeContext p(cluster_, "lock2");
  promoted.on_start(p);
  promoted.on_message(p, s1_, Promote{1});
  promoted.on_message(p, c1_, to_new[0]);
  std::vector<ExtendResult> answer = sent_to<ExtendResult>(p, c1_);
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_FALSE(answer[0].ok);  // it never had the key
  r.on_message(ctx, lock2_, answer[0]);
  ASSERT_EQ(l_.losses.size(), 1u);
  EXPECT_EQ(l_.losses[0], "renew_refused");
  ASSERT_EQ(ctx.traced("watchdog_stopped").size(), 1u);
  EXPECT_EQ(ctx.traced("watchdog_stopped")[0]["reason"], "renew_refused");
}

// A promoted primary that has the key (replicated) extends it and replicates the new expiry;
// a replica answers a renewal -READONLY.
TEST_F(SentinelRenewal, ThePromotedPrimaryExtendsAReplicatedKeyAndAReplicaRefusesReadOnly) {
  RedisReplica replica(settings(), lock1_);
  FakeContext r(cluster_, "lock2");
  replica.on_start(r);
  Replicate update;
  update.offset = 1;
  update.counter = 1;
  update.has_key = true;
  update.owner = "c1/0/1";
  update.client = c1_;
  update.expires_at_ns = (r.now() + Duration::seconds(1)).ns;
  update.token = 1;
  replica.on_message(r, lock1_, update);
  replica.on_message(r, c1_, Extend{"c1/0/1", Duration::seconds(1).ns, 1});
  ASSERT_EQ(sent_to<ReadOnly>(r, c1_).size(), 1u);
  EXPECT_EQ(sent_to<ReadOnly>(r, c1_)[0].req, 1);
  replica.on_message(r, s1_, Promote{1});
  replica.on_message(r, lock3_, ReplAck{0});  // lock3 follows it now
  r.take_sent();
  r.advance(Duration::millis(900));
  replica.on_message(r, c1_, Extend{"c1/0/1", Duration::seconds(1).ns, 2});
  ASSERT_EQ(sent_to<ExtendResult>(r, c1_).size(), 1u);
  EXPECT_TRUE(sent_to<ExtendResult>(r, c1_)[0].ok);
  std::vector<Replicate> shipped = sent_to<Replicate>(r, lock3_);
  ASSERT_FALSE(shipped.empty());
  EXPECT_EQ(shipped.back().expires_at_ns, (r.now() + Duration::seconds(1)).ns);
  r.advance(Duration::millis(500));  // past the old expiry: still there
  replica.on_message(r, c2_, acquire_request("c2/0/1"));
  EXPECT_EQ(sent_to<AcquireBusy>(r, c2_).size(), 1u);
  // Another owner's renewal is refused.
  replica.on_message(r, c2_, Extend{"c2/0/1", Duration::seconds(1).ns, 1});
  EXPECT_FALSE(sent_to<ExtendResult>(r, c2_).at(0).ok);
}

// renew_stop_on_failure: the renewal lost with the old primary stops the watchdog; it
// neither asks the sentinels again nor renews on the promoted primary, and nobody is told.
TEST_F(SentinelRenewal, StopOnFailureNeverRenewsOnThePromotedPrimary) {
  ServiceSettings s = renewing();
  s.renew_stop_on_failure = true;
  FakeContext ctx(cluster_, "c1");
  SentinelRecipe r(l_, s, WorkloadSettings{}, sentinels());
  hold(r, ctx);
  r.on_timer(ctx, *ctx.take_timer("lease.renew"));  // unanswered
  ctx.take_sent();
  r.on_timer(ctx, *ctx.take_timer("lease.renew"));
  ASSERT_EQ(ctx.traced("watchdog_stopped").size(), 1u);
  EXPECT_EQ(ctx.traced("watchdog_stopped")[0]["reason"], "renew_failed");
  EXPECT_TRUE(ctx.take_sent().empty());  // no renewal, no question to a sentinel
  r.on_message(ctx, s1_, PrimaryAddr{lock2_, 1, 0, &cluster_});
  EXPECT_TRUE(sent_to<Extend>(ctx, lock2_).empty());
  EXPECT_TRUE(l_.losses.empty());
  ctx.advance(Duration::seconds(5));
  EXPECT_TRUE(r.still_holds(ctx));  // the worker counts on the stopped watchdog
}

}  // namespace
}  // namespace dsim::locks
