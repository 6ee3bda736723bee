// The ZooKeeper and Consul client recipes, driven by hand through grant, waiting,
// wake-up, session loss and lost replies.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/locks/consul_recipe.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/zookeeper_recipe.h"
#include "support/fake_context.h"

namespace dsim::locks {
namespace {

using dsim::testing::FakeContext;
using testing::kC2Owner;
using testing::RecordingListener;
using testing::test_cluster;

class ZookeeperRecipeTest : public ::testing::Test {
 protected:
  ZookeeperRecipe make() { return ZookeeperRecipe(l_, s_, 0); }
  // Answers the last request of `type` with `reply` (its req copied over).
  template <typename Reply>
  void answer(ZookeeperRecipe& r, const std::string& type, Reply reply) {
    const dsim::testing::Sent* request = ctx_.last_sent(type);
    ASSERT_NE(request, nullptr) << "no " << type << " was sent";
    reply.req = request->message.fields()["req"].get<int64_t>();
    ctx_.take_sent();
    r.on_message(ctx_, 0, std::move(reply));
  }
  // A listing of (seq, tag) entries.
  static Children listing(std::vector<ChildEntry> entries) { return Children{std::move(entries), 0}; }
  // Session 5, entry `seq` created, the listing `entries` returned.
  void queue(ZookeeperRecipe& r, int64_t seq, std::vector<ChildEntry> entries) {
    r.start(ctx_);
    answer(r, "open_session", SessionOpened{5, 0, 0});
    r.acquire(ctx_, kC2Owner);
    const Create* create = ctx_.last_sent("create")->message.as<Create>();
    answer(r, "create", Created{seq, create->owner, 5, 0});
    answer(r, "list", listing(std::move(entries)));
  }

  Cluster cluster_ = test_cluster();
  ServiceSettings s_ = [] {
    ServiceSettings s;
    s.service = LockService::kZookeeper;
    return s;
  }();
  RecordingListener l_;
  FakeContext ctx_{cluster_, "c2"};
};

TEST_F(ZookeeperRecipeTest, LowestEntryIsGrantedWithItsSequenceAsToken) {
  ZookeeperRecipe r = make();
  queue(r, 4, {{4, ""}, {6, ""}});
  ASSERT_EQ(l_.grants.size(), 1u);
  EXPECT_EQ(l_.grants[0].token, 4);
  EXPECT_EQ(l_.grants[0].owner, "c2/0/1.1");
  r.release(ctx_);
  EXPECT_EQ(ctx_.last_sent("delete")->message.fields()["seq"], 4);
}

TEST_F(ZookeeperRecipeTest, WaiterWatchesOnlyItsPredecessorThenLooksAgain) {
  ZookeeperRecipe r = make();
  queue(r, 7, {{3, ""}, {5, ""}, {7, ""}});
  EXPECT_TRUE(l_.grants.empty());
  EXPECT_EQ(ctx_.last_sent("exists")->message.fields()["seq"], 5);
  answer(r, "exists", ExistsResult{5, true, 0});
  r.on_message(ctx_, 0, WatchFired{5, 5, 0});
  EXPECT_EQ(ctx_.traced("woke").size(), 1u);
  answer(r, "list", listing({{3, ""}, {7, ""}}));
  EXPECT_TRUE(l_.grants.empty());  // 5 left, but 3 is still ahead: watch 3
  EXPECT_EQ(ctx_.last_sent("exists")->message.fields()["seq"], 3);
}

TEST_F(ZookeeperRecipeTest, FixedClientNoticesItsEntryIsGoneAndQueuesAgain) {
  ZookeeperRecipe r = make();
  queue(r, 2, {{1, ""}, {2, ""}});
  answer(r, "exists", ExistsResult{1, true, 0});
  r.on_message(ctx_, 0, WatchFired{1, 1, 0});
  answer(r, "list", listing({{3, ""}}));
  EXPECT_TRUE(l_.grants.empty());
  EXPECT_NE(ctx_.last_sent("create"), nullptr);
}

TEST_F(ZookeeperRecipeTest, Etcd343ClientTakesTheLockWithoutItsEntry) {
  s_.verify_own_entry = false;
  ZookeeperRecipe r = make();
  queue(r, 2, {{1, ""}, {2, ""}});
  answer(r, "exists", ExistsResult{1, true, 0});
  r.on_message(ctx_, 0, SessionExpired{5, std::nullopt});  // ignored while waiting
  r.on_message(ctx_, 0, WatchFired{1, 1, 0});
  answer(r, "list", listing({{3, ""}}));
  ASSERT_EQ(l_.grants.size(), 1u);  // nothing below 2 is left; that 2 is gone went unchecked
  EXPECT_TRUE(r.still_holds(ctx_));
}

TEST_F(ZookeeperRecipeTest, HolderLosesTheLockWhenThePingsGoUnanswered) {
  ZookeeperRecipe r = make();
  queue(r, 1, {{1, ""}});
  ASSERT_EQ(l_.grants.size(), 1u);
  for (int i = 0; i < 4; ++i) r.on_timer(ctx_, *ctx_.take_timer("zk.ping"));  // over 2 s of silence
  ASSERT_EQ(l_.losses.size(), 1u);
  EXPECT_EQ(l_.losses[0], "session_timeout");
  EXPECT_NE(ctx_.last_sent("open_session"), nullptr);
}

TEST_F(ZookeeperRecipeTest, LostCreateReplyAbandonsTheSession) {
  ZookeeperRecipe r = make();
  r.start(ctx_);
  answer(r, "open_session", SessionOpened{5, 0, 0});
  r.acquire(ctx_, kC2Owner);
  r.on_timer(ctx_, *ctx_.take_timer("zk.request"));
  EXPECT_NE(ctx_.last_sent("open_session"), nullptr);  // a new session; the entry is orphaned
}

TEST_F(ZookeeperRecipeTest, LostCreateReplyWithProtectionFindsItsEntry) {
  s_.protected_create = true;
  ZookeeperRecipe careful = make();
  careful.start(ctx_);
  answer(careful, "open_session", SessionOpened{6, 0, 0});
  careful.acquire(ctx_, kC2Owner);
  EXPECT_EQ(ctx_.last_sent("create")->message.fields()["tag"], "c2/0/1.1");
  careful.on_timer(ctx_, *ctx_.take_timer("zk.request"));
  answer(careful, "list", listing({{4, "c2/0/1.1", 6}}));
  ASSERT_EQ(l_.grants.size(), 1u);  // found its own entry by the tag
  EXPECT_EQ(l_.grants[0].token, 4);
}

// CURATOR-498: after a reconnect, the entry carrying the tag may be the old session's,
// which goes when that session expires. Only the current session's entries count.
TEST_F(ZookeeperRecipeTest, ProtectedLookupIgnoresAnOldSessionsEntry) {
  s_.protected_create = true;
  ZookeeperRecipe r = make();
  r.start(ctx_);
  answer(r, "open_session", SessionOpened{7, 0, 0});
  r.acquire(ctx_, kC2Owner);
  r.on_timer(ctx_, *ctx_.take_timer("zk.request"));  // the create's reply is lost
  answer(r, "list", listing({{3, "c2/0/1.1", 5}}));  // session 5's entry, not ours
  EXPECT_TRUE(l_.grants.empty());
  ASSERT_NE(ctx_.last_sent("create"), nullptr);  // creates again in session 7
  EXPECT_EQ(ctx_.last_sent("create")->message.as<Create>()->session, 7);
}

TEST_F(ZookeeperRecipeTest, ProtectedLookupOfAnySessionTakesTheDyingEntry) {
  s_.protected_create = true;
  s_.protected_any_session = true;  // the mistake switch
  ZookeeperRecipe r = make();
  r.start(ctx_);
  answer(r, "open_session", SessionOpened{7, 0, 0});
  r.acquire(ctx_, kC2Owner);
  r.on_timer(ctx_, *ctx_.take_timer("zk.request"));
  answer(r, "list", listing({{3, "c2/0/1.1", 5}}));
  ASSERT_EQ(l_.grants.size(), 1u);  // holds the lock on session 5's entry
  EXPECT_EQ(l_.grants[0].token, 3);
}

TEST_F(ZookeeperRecipeTest, ReleaseKeepsDeletingUntilTheServerConfirms) {
  ZookeeperRecipe r = make();
  queue(r, 1, {{1, ""}});
  r.release(ctx_);
  ctx_.take_sent();  // that delete is lost
  r.on_timer(ctx_, *ctx_.take_timer("zk.delete_retry"));
  ASSERT_NE(ctx_.last_sent("delete"), nullptr);
  r.on_message(ctx_, 0, Deleted{1});
  ctx_.take_sent();
  r.on_timer(ctx_, *ctx_.take_timer("zk.delete_retry"));
  EXPECT_EQ(ctx_.last_sent("delete"), nullptr);
}

TEST_F(ZookeeperRecipeTest, APongCountingALostNotificationMakesTheWaiterLookAgain) {
  ZookeeperRecipe r = make();
  queue(r, 2, {{1, ""}, {2, ""}});
  answer(r, "exists", ExistsResult{1, true, 0});
  r.on_message(ctx_, 0, Pong{5, 0, 0});
  EXPECT_EQ(ctx_.last_sent("list"), nullptr);
  // The server sent notification 1 (watch_fired for entry 1); the network lost it.
  r.on_message(ctx_, 0, Pong{5, 0, 1});
  ASSERT_NE(ctx_.last_sent("list"), nullptr);
  answer(r, "list", listing({{2, ""}}));
  EXPECT_EQ(l_.grants.size(), 1u);
}

class ConsulRecipeTest : public ::testing::Test {
 protected:
  // Answers the last request of `type` with `reply` (its req copied over, if it has one).
  template <typename Reply>
  void answer(ConsulRecipe& r, const std::string& type, Reply reply) {
    const dsim::testing::Sent* request = ctx_.last_sent(type);
    ASSERT_NE(request, nullptr) << "no " << type << " was sent";
    if constexpr (requires { reply.req; }) reply.req = request->message.fields()["req"].get<int64_t>();
    ctx_.take_sent();
    r.on_message(ctx_, 0, std::move(reply));
  }
  static AcquireResult result(bool ok, bool held, int64_t lock_index, int64_t modify_index) {
    AcquireResult r;
    r.ok = ok;
    r.held = held;
    r.lock_index = lock_index;
    r.modify_index = modify_index;
    return r;
  }
  void with_session(ConsulRecipe& r) {
    r.start(ctx_);
    answer(r, "create_session", SessionCreated{3, 0});
    r.acquire(ctx_, kC2Owner);
  }

  Cluster cluster_ = test_cluster();
  ServiceSettings s_ = [] {
    ServiceSettings s;
    s.service = LockService::kConsul;
    return s;
  }();
  RecordingListener l_;
  FakeContext ctx_{cluster_, "c2"};
};

TEST_F(ConsulRecipeTest, GrantCarriesTheLockIndex) {
  ConsulRecipe r(l_, s_, 0);
  with_session(r);
  answer(r, "acquire", result(true, true, 12, 30));
  ASSERT_EQ(l_.grants.size(), 1u);
  EXPECT_EQ(l_.grants[0].token, 12);
}

TEST_F(ConsulRecipeTest, HeldMeansABlockingQueryFreeMeansRetryAfterLockRetry) {
  ConsulRecipe r(l_, s_, 0);
  with_session(r);
  answer(r, "acquire", result(false, true, 0, 30));
  EXPECT_EQ(ctx_.last_sent("watch")->message.fields()["index"], 30);
  answer(r, "watch", KeyChanged{31, false, 0, 31});
  EXPECT_EQ(ctx_.traced("woke").size(), 1u);
  answer(r, "acquire", result(false, false, 0, 31));
  EXPECT_TRUE(ctx_.sent.empty());
  Instant before = ctx_.now();
  r.on_timer(ctx_, *ctx_.take_timer("consul.retry"));
  EXPECT_EQ(ctx_.now() - before, s_.lock_retry);
  EXPECT_NE(ctx_.last_sent("acquire"), nullptr);
}

TEST_F(ConsulRecipeTest, NextAcquisitionWaitsForTheReleaseToBeConfirmed) {
  ConsulRecipe r(l_, s_, 0);
  with_session(r);
  answer(r, "acquire", result(true, true, 1, 1));
  r.release(ctx_);
  ctx_.take_sent();  // lost
  r.acquire(ctx_, OwnerId{"c2", 0, 2, 0});
  EXPECT_TRUE(ctx_.sent.empty());  // a release in flight would free the next hold too
  r.on_timer(ctx_, *ctx_.take_timer("consul.release_retry"));
  answer(r, "release", Released{3, "c2/0/1"});
  ASSERT_NE(ctx_.last_sent("acquire"), nullptr);
  EXPECT_EQ(ctx_.last_sent("acquire")->message.fields()["owner"], "c2/0/2");
}

TEST_F(ConsulRecipeTest, InvalidSessionLosesTheLock) {
  ConsulRecipe r(l_, s_, 0);
  with_session(r);
  answer(r, "acquire", result(true, true, 1, 1));
  r.on_message(ctx_, 0, Renewed{3, false});
  ASSERT_EQ(l_.losses.size(), 1u);
  EXPECT_FALSE(r.still_holds(ctx_));
  EXPECT_NE(ctx_.last_sent("create_session"), nullptr);
}

}  // namespace
}  // namespace dsim::locks
