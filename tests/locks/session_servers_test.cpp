// The ZooKeeper-like and Consul-like servers, driven by hand: sessions, grants, watches
// and blocking queries, session expiry, lock-delay, restart.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/locks/consul_records.h"
#include "protocols/locks/consul_server.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/zookeeper_records.h"
#include "protocols/locks/zookeeper_server.h"
#include "support/fake_context.h"

namespace dsim::locks {
namespace {

using dsim::testing::FakeContext;
using testing::test_cluster;

class ZookeeperServerTest : public ::testing::Test {
 protected:
  // Opens a session for `client` and returns its id.
  int64_t open(const std::string& client) {
    server_.on_message(ctx_, node(client), OpenSession{1});
    return ctx_.last_sent("session_opened")->message.fields()["session"].get<int64_t>();
  }
  int64_t create(const std::string& client, int64_t session, int64_t req) {
    server_.on_message(ctx_, node(client),
                       Create{session, client + "/0/1.1", /*tagged=*/false, req});
    return ctx_.last_sent("created")->message.fields()["seq"].get<int64_t>();
  }
  NodeId node(const std::string& name) { return *cluster_.find(name); }

  Cluster cluster_ = test_cluster();
  ServiceSettings s_;
  ZookeeperServer server_{s_};
  FakeContext ctx_{cluster_, "lock"};
};

TEST_F(ZookeeperServerTest, LowestEntryHoldsAndDeletionPassesTheLockWithItsSequenceAsToken) {
  server_.on_start(ctx_);
  int64_t s1 = open("c1"), s2 = open("c2");
  EXPECT_EQ(create("c1", s1, 2), 1);
  EXPECT_EQ(create("c2", s2, 2), 2);
  ASSERT_EQ(ctx_.traced("grant").size(), 1u);
  EXPECT_EQ(ctx_.traced("grant")[0]["owner"], "c1/0/1.1");
  server_.on_message(ctx_, node("c2"), Exists{1, true, 3});
  EXPECT_TRUE(ctx_.last_sent("exists_result")->message.fields()["exists"].get<bool>());
  server_.on_message(ctx_, node("c1"), Delete{s1, 1, "c1/0/1.1"});
  ASSERT_EQ(ctx_.traced("grant").size(), 2u);
  EXPECT_EQ(ctx_.traced("grant")[1]["token"], 2);
  const dsim::testing::Sent* fired = ctx_.last_sent("watch_fired");
  ASSERT_NE(fired, nullptr);
  EXPECT_EQ(fired->to, node("c2"));
  EXPECT_EQ(ctx_.traced("freed")[0]["by"], "c1/0/1.1");
}

TEST_F(ZookeeperServerTest, ParentWatchersAllWakeOnEveryChange) {
  int64_t s1 = open("c1"), s2 = open("c2"), s3 = open("c3");
  create("c1", s1, 2);
  create("c2", s2, 2);
  create("c3", s3, 2);
  ctx_.take_sent();
  server_.on_message(ctx_, node("c2"), List{0, true, 3});
  server_.on_message(ctx_, node("c3"), List{0, true, 3});
  server_.on_message(ctx_, node("c1"), Delete{s1, 1, "c1/0/1.1"});
  int notified = 0;
  for (const dsim::testing::Sent& m : ctx_.take_sent()) notified += m.message.type() == "children_changed";
  EXPECT_EQ(notified, 2);  // both waiters, though only c2 can go
}

TEST_F(ZookeeperServerTest, SilentSessionExpiresAndTakesItsEntries) {
  int64_t s1 = open("c1");
  create("c1", s1, 2);
  ctx_.advance(Duration::seconds(1));
  server_.on_message(ctx_, node("c1"), Ping{s1});
  EXPECT_EQ(ctx_.last_sent("pong")->message.fields()["session"], s1);
  server_.on_timer(ctx_, *ctx_.take_timer("session_expiry"));  // 2 s after the ping
  ASSERT_EQ(ctx_.traced("session_expired").size(), 1u);
  EXPECT_EQ(ctx_.traced("freed")[0]["cause"], "session_expired");
  server_.on_message(ctx_, node("c1"), Ping{s1});
  EXPECT_EQ(ctx_.sent.back().message.type(), "session_expired");
}

TEST_F(ZookeeperServerTest, DuplicatedCreateMakesOneEntry) {
  int64_t s1 = open("c1");
  EXPECT_EQ(create("c1", s1, 2), 1);
  EXPECT_EQ(create("c1", s1, 2), 1);
  EXPECT_EQ(ctx_.traced("entry_created").size(), 1u);
}

TEST_F(ZookeeperServerTest, RestartKeepsEntriesAndSequenceAndAnnouncesTheHolder) {
  int64_t s1 = open("c1");
  create("c1", s1, 2);
  ctx_.disk()->crash();
  FakeContext after(cluster_, "lock", 1, ctx_.disk());
  ZookeeperServer restarted(s_);
  restarted.on_start(after);
  ASSERT_EQ(after.traced("grant").size(), 1u);
  EXPECT_EQ(after.traced("grant")[0]["restored"], true);
  restarted.on_message(after, node("c1"), Ping{s1});
  EXPECT_EQ(after.last_sent("pong")->message.fields()["epoch"], 1);  // clients re-register watches
  restarted.on_message(after, node("c1"),
                       Create{s1, "c1/0/2.1", /*tagged=*/false, 9});
  EXPECT_EQ(after.last_sent("created")->message.fields()["seq"], 2);
}

// The state goes to disk as the family's own record, no JSON; its fields, for tools that
// show a disk, are the JSON record the server used to write, key for key.
TEST_F(ZookeeperServerTest, StateIsOneTypedRecordWithTheFieldsOfTheOldJsonRecord) {
  int64_t s1 = open("c1"), s2 = open("c2");
  create("c1", s1, 2);
  create("c2", s2, 2);
  const Payload* record = ctx_.disk()->get_record("zk");
  ASSERT_NE(record, nullptr);
  const auto* state = record->as<rec::ZookeeperState>();
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->next_seq, 3);
  ASSERT_EQ(state->entries.size(), 2u);
  EXPECT_EQ(state->entries[1].owner, "c2/0/1.1");
  EXPECT_EQ(record->fields().dump(),
            R"({"next_seq":3,"next_session":3,"sessions":[[1,2],[2,3]],)"
            R"("entries":[[1,1,"c1/0/1.1","",2],[2,2,"c2/0/1.1","",3]]})");
}

class ConsulServerTest : public ::testing::Test {
 protected:
  int64_t session(const std::string& client) {
    server_.on_message(ctx_, node(client), CreateSession{1});
    return ctx_.last_sent("session_created")->message.fields()["session"].get<int64_t>();
  }
  Json acquire(const std::string& client, int64_t session) {
    server_.on_message(ctx_, node(client),
                       ConsulAcquire{session, client + "/0/1", 2});
    return ctx_.last_sent("acquire_result")->message.fields();
  }
  NodeId node(const std::string& name) { return *cluster_.find(name); }

  Cluster cluster_ = test_cluster();
  ServiceSettings s_;
  ConsulServer server_{s_};
  FakeContext ctx_{cluster_, "lock"};
};

TEST_F(ConsulServerTest, LockIndexGrowsWithEachAcquisition) {
  int64_t s1 = session("c1"), s2 = session("c2");
  Json first = acquire("c1", s1);
  EXPECT_TRUE(first["ok"].get<bool>());
  EXPECT_EQ(first["lock_index"], 1);
  Json refused = acquire("c2", s2);
  EXPECT_FALSE(refused["ok"].get<bool>());
  EXPECT_TRUE(refused["held"].get<bool>());
  server_.on_message(ctx_, node("c2"), Watch{refused["modify_index"].get<int64_t>(), 3});
  EXPECT_EQ(ctx_.last_sent("key_changed"), nullptr);  // parked
  server_.on_message(ctx_, node("c2"), ConsulRelease{s2, "c2/0/1", 1});
  EXPECT_TRUE(ctx_.traced("freed").empty());  // not c2's to release
  server_.on_message(ctx_, node("c1"), ConsulRelease{s1, "c1/0/1", 1});
  ASSERT_NE(ctx_.last_sent("key_changed"), nullptr);
  EXPECT_EQ(acquire("c2", s2)["lock_index"], 2);
}

// Issue 15 item 5: a release retried while the server was slow, delivered after the same
// session released (confirmed) and acquired again, names the old hold and frees nothing.
TEST_F(ConsulServerTest, ReleaseOfAnOlderHoldOfTheSameSessionFreesNothing) {
  int64_t s1 = session("c1");
  EXPECT_EQ(acquire("c1", s1)["lock_index"], 1);
  server_.on_message(ctx_, node("c1"), ConsulRelease{s1, "c1/0/1", 1});
  EXPECT_EQ(ctx_.traced("freed").size(), 1u);
  EXPECT_EQ(acquire("c1", s1)["lock_index"], 2);  // the next round, same session
  server_.on_message(ctx_, node("c1"), ConsulRelease{s1, "c1/0/1", 1});  // the late retry
  EXPECT_EQ(ctx_.traced("freed").size(), 1u);
  server_.on_message(ctx_, node("c1"), ConsulRelease{s1, "c1/0/2", 2});
  EXPECT_EQ(ctx_.traced("freed").size(), 2u);
}

TEST_F(ConsulServerTest, InvalidatedHolderSessionStartsTheLockDelay) {
  int64_t s1 = session("c1"), s2 = session("c2");
  acquire("c1", s1);
  ctx_.advance(Duration::millis(600));
  server_.on_message(ctx_, node("c2"), Renew{s2});
  server_.on_timer(ctx_, *ctx_.take_timer("session_ttl"));  // c1's: it never renewed
  ASSERT_EQ(ctx_.traced("session_invalidated").size(), 1u);
  EXPECT_EQ(ctx_.traced("freed")[0]["cause"], "session_invalidated");
  ASSERT_EQ(ctx_.traced("lock_delay_start").size(), 1u);
  Json during = acquire("c2", s2);
  EXPECT_FALSE(during["ok"].get<bool>());
  EXPECT_FALSE(during["held"].get<bool>());  // free, but refused: the lock-delay
  std::optional<Timer> end = ctx_.take_timer("lock_delay_end");
  ASSERT_TRUE(end);
  server_.on_timer(ctx_, *end);
  server_.on_message(ctx_, node("c2"), Renew{s2});
  EXPECT_TRUE(acquire("c2", s2)["ok"].get<bool>());
}

TEST_F(ConsulServerTest, RestartForgetsTheLockDelayButNotTheKey) {
  int64_t s1 = session("c1");
  acquire("c1", s1);
  FakeContext after(cluster_, "lock", 1, ctx_.disk());
  ConsulServer restarted(s_);
  restarted.on_start(after);
  ASSERT_EQ(after.traced("grant").size(), 1u);
  EXPECT_EQ(after.traced("grant")[0]["token"], 1);
  EXPECT_EQ(after.traced("grant")[0]["restored"], true);
}

TEST_F(ConsulServerTest, StateIsOneTypedRecordWithTheFieldsOfTheOldJsonRecord) {
  int64_t s1 = session("c1");
  session("c2");
  acquire("c1", s1);
  const Payload* record = ctx_.disk()->get_record("consul");
  ASSERT_NE(record, nullptr);
  const auto* state = record->as<rec::ConsulState>();
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->key.lock_index, 1);
  EXPECT_EQ(state->key.owner, "c1/0/1");
  EXPECT_EQ(record->fields().dump(),
            R"({"next_session":3,"sessions":[[1,2],[2,3]],"key":[1,"c1/0/1",2,1,1]})");
}

}  // namespace
}  // namespace dsim::locks
