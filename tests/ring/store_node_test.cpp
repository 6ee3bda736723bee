// The store's two roles driven by hand through the shared fake Context, with typed
// messages: a store node's replica, coordinator and failure-detector sides, and a client.
#include <gtest/gtest.h>

#include "protocols/ring/events.h"
#include "protocols/ring/messages.h"
#include "protocols/ring/store/client_node.h"
#include "protocols/ring/store/replica_data.h"
#include "protocols/ring/store/store_node.h"
#include "support/fake_context.h"

namespace dsim::ring {
namespace {

using dsim::testing::FakeContext;

// s0, s1, s2 (stores), c0 (client); R = 3, quorums of 2, 10 keys.
struct Fixture {
  Cluster cluster;
  std::shared_ptr<StoreSettings> settings = std::make_shared<StoreSettings>();
  Fixture() {
    cluster.add("s0", "store");
    cluster.add("s1", "store");
    cluster.add("s2", "store");
    cluster.add("c0", "client");
    settings->stores = {0, 1, 2};
    settings->clients = {3};
    settings->initial_members = {0, 1, 2};
    settings->keys = 10;
  }
};

TEST(StoreNode, BootsWithItsViewAndHeartbeatsEveryOtherStore) {
  Fixture f;
  FakeContext ctx(f.cluster, "s0");
  auto node = make_store_node(f.settings);
  node->on_start(ctx);
  auto init = ctx.events<MembershipInit>();
  ASSERT_EQ(init.size(), 1u);
  EXPECT_EQ(init[0].members.size(), 3u);
  EXPECT_EQ(init[0].keys_held, 0u);
  auto hb = ctx.sent_as<Heartbeat>();
  ASSERT_EQ(hb.size(), 2u);  // to s1 and s2, never to a client
  EXPECT_EQ(hb[0].first, 1u);
  EXPECT_EQ(hb[1].first, 2u);
  EXPECT_TRUE(ctx.has_timer(StoreTimer::kTick));
  EXPECT_EQ(ctx.timer(StoreTimer::kTick)->kind, "tick");
}

TEST(StoreNode, AReplicaKeepsTheNewestVersionAndSyncsIt) {
  Fixture f;
  FakeContext ctx(f.cluster, "s1");
  auto node = make_store_node(f.settings);
  node->on_start(ctx);
  ctx.clear();
  node->on_message(ctx, 0, Read{4, 3});
  ASSERT_EQ(ctx.sent_as<ReadOk>().size(), 1u);
  EXPECT_FALSE(ctx.sent_as<ReadOk>()[0].second.found);

  ctx.clear();
  node->on_message(ctx, 0, Write{"c0-1", 2, 5, 3, 0});
  ASSERT_EQ(ctx.sent_as<WriteOk>().size(), 1u);
  EXPECT_EQ(ctx.sent_as<WriteOk>()[0].second.op, 5);
  node->on_message(ctx, 0, Write{"older", 1, 6, 3, 2});  // an older version: acknowledged, not kept
  node->on_message(ctx, 0, Read{7, 3});
  auto reads = ctx.sent_as<ReadOk>();
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_TRUE(reads[0].second.found);
  EXPECT_EQ(reads[0].second.value, "c0-1");
  EXPECT_EQ(reads[0].second.vc, 2);
  const Payload* record = ctx.storage().get_record("key-3");
  ASSERT_NE(record, nullptr);
  ASSERT_NE(record->as<ItemRecord>(), nullptr);
  EXPECT_EQ(record->fields().dump(), R"({"value":"c0-1","vc":2,"vn":0})");
  EXPECT_EQ(ctx.storage().unsynced_writes(), 0u);
}

TEST(StoreNode, CoordinatesAGetOverAReadQuorum) {
  Fixture f;
  FakeContext ctx(f.cluster, "s0");
  auto node = make_store_node(f.settings);
  node->on_start(ctx);
  ctx.clear();
  node->on_message(ctx, 3, Get{9, 1, 4});
  auto coordinate = ctx.events<Coordinate>();
  ASSERT_EQ(coordinate.size(), 1u);
  EXPECT_EQ(coordinate[0].replicas.size(), 3u);
  EXPECT_EQ(coordinate[0].client_op, 9);
  auto reads = ctx.sent_as<Read>();
  ASSERT_EQ(reads.size(), 3u);
  const int64_t op = reads[0].second.op;
  EXPECT_TRUE(ctx.has_timer(StoreTimer::kOpTimeout));

  node->on_message(ctx, reads[0].first, ReadOk{"c0-2", op, 4, 1, true});
  EXPECT_TRUE(ctx.sent_as<Reply>().empty());  // one reply of two
  node->on_message(ctx, reads[0].first, ReadOk{"c0-2", op, 4, 1, true});  // a duplicate: not a second
  EXPECT_TRUE(ctx.sent_as<Reply>().empty());
  node->on_message(ctx, reads[1].first, ReadOk{"", op, 0, 0, false});
  auto replies = ctx.sent_as<Reply>();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].first, 3u);
  const Reply& r = replies[0].second;
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.found);
  EXPECT_EQ(r.value, "c0-2");
  EXPECT_EQ(r.op, 9);
  EXPECT_EQ(r.attempt, 1);
  EXPECT_FALSE(ctx.has_timer(StoreTimer::kOpTimeout));  // cancelled
}

TEST(StoreNode, APutThatMissesItsQuorumAnswersUnavailable) {
  Fixture f;
  FakeContext ctx(f.cluster, "s0");
  auto node = make_store_node(f.settings);
  node->on_start(ctx);
  ctx.clear();
  node->on_message(ctx, 3, Put{2, 1, 5, "c0-2"});
  auto timeout = ctx.take_timer(StoreTimer::kOpTimeout);
  ASSERT_TRUE(timeout.has_value());
  node->on_timer(ctx, *timeout);
  auto replies = ctx.sent_as<Reply>();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].second.outcome, ReplyOutcome::kUnavailable);
  EXPECT_TRUE(ctx.sent_as<Write>().empty());
}

TEST(StoreNode, RemovesASilentStoreFromItsView) {
  Fixture f;
  FakeContext ctx(f.cluster, "s0");
  auto node = make_store_node(f.settings);
  node->on_start(ctx);
  for (int i = 0; i < 6; ++i) {  // s1 heartbeats, s2 is silent for 600 ms
    node->on_timer(ctx, *ctx.take_timer(StoreTimer::kTick));
    node->on_message(ctx, 1, Heartbeat{});
  }
  auto changes = ctx.events<MembershipChange>();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_FALSE(changes[0].added);
  EXPECT_EQ(changes[0].node, 2u);
  EXPECT_EQ(changes[0].members, (std::vector<NodeId>{0, 1}));
  node->on_message(ctx, 2, Heartbeat{});  // back
  changes = ctx.events<MembershipChange>();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_TRUE(changes[1].added);
  EXPECT_EQ(changes[1].members.size(), 3u);
}

TEST(ClientNode, IssuesAnOperationAndTracesItsOutcome) {
  Fixture f;
  f.settings->start = Duration::zero();
  f.settings->stop = Duration::seconds(10);
  FakeContext ctx(f.cluster, "c0");
  auto client = make_client_node(f.settings);
  client->on_start(ctx);
  auto next = ctx.take_timer(ClientTimer::kNextOp);
  ASSERT_TRUE(next.has_value());
  client->on_timer(ctx, *next);
  auto invoked = ctx.events<OpInvoke>();
  ASSERT_EQ(invoked.size(), 1u);
  const int64_t op = invoked[0].op;
  const bool put = invoked[0].kind == OpKind::kPut;
  ASSERT_EQ(ctx.sent.size(), 1u);
  const NodeId store = ctx.sent[0].to;
  EXPECT_LT(store, 3u);
  EXPECT_EQ(ctx.sent[0].message.type(), put ? "put" : "get");
  EXPECT_TRUE(ctx.has_timer(ClientTimer::kAttemptTimeout));

  Reply r;
  r.op = op;
  r.attempt = 1;
  r.outcome = ReplyOutcome::kOk;
  r.is_put = put;
  r.vc = 1;
  r.vn = store;
  client->on_message(ctx, store, r);
  auto done = ctx.events<OpDone>();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_TRUE(done[0].ok());
  EXPECT_EQ(done[0].coordinator, store);
  EXPECT_EQ(done[0].version.has_value(), put);  // a get that found nothing read no version
  EXPECT_EQ(ctx.traced("op").size(), 2u);         // the common client record: invoke, ok
  EXPECT_EQ(ctx.traced("op")[1]["type"], "ok");
  EXPECT_FALSE(ctx.has_timer(ClientTimer::kAttemptTimeout));
}

}  // namespace
}  // namespace dsim::ring
