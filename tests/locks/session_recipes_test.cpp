// The ZooKeeper and Consul client recipes, driven by hand through grant, waiting,
// wake-up, session loss and lost replies.
#include <gtest/gtest.h>

#include "fake_context.h"
#include "protocols/locks/consul_recipe.h"
#include "protocols/locks/zookeeper_recipe.h"
#include "recording_listener.h"

namespace dsim::locks {
namespace {

using testing::FakeContext;
using testing::RecordingListener;
using testing::test_cluster;

const OwnerId kOwner{"c2", 0, 1, 0};

class ZookeeperRecipeTest : public ::testing::Test {
 protected:
  ZookeeperRecipe make() { return ZookeeperRecipe(l_, s_, 0); }
  // Answers the last request of `type` with `reply` (its req copied over).
  void answer(ZookeeperRecipe& r, const std::string& type, const std::string& reply, Json body) {
    const testing::Sent* request = ctx_.last_sent(type);
    ASSERT_NE(request, nullptr) << "no " << type << " was sent";
    if (request->message.body().contains("req")) body["req"] = request->message.body()["req"];
    ctx_.take_sent();
    r.on_message(ctx_, 0, Message(reply, std::move(body)));
  }
  // Session 5, entry `seq` created, the listing `entries` returned.
  void queue(ZookeeperRecipe& r, int64_t seq, Json entries) {
    r.start(ctx_);
    answer(r, "open_session", "session_opened", Json{{"session", 5}, {"epoch", 0}});
    r.acquire(ctx_, kOwner);
    Json create = ctx_.last_sent("create")->message.body();
    answer(r, "create", "created", Json{{"seq", seq}, {"owner", create["owner"]}, {"session", 5}});
    answer(r, "list", "children", Json{{"entries", std::move(entries)}});
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
  queue(r, 4, Json::array({Json::array({4, ""}), Json::array({6, ""})}));
  ASSERT_EQ(l_.grants.size(), 1u);
  EXPECT_EQ(l_.grants[0].token, 4);
  EXPECT_EQ(l_.grants[0].owner, "c2/0/1.1");
  r.release(ctx_);
  EXPECT_EQ(ctx_.last_sent("delete")->message.body()["seq"], 4);
}

TEST_F(ZookeeperRecipeTest, WaiterWatchesOnlyItsPredecessorThenLooksAgain) {
  ZookeeperRecipe r = make();
  queue(r, 7, Json::array({Json::array({3, ""}), Json::array({5, ""}), Json::array({7, ""})}));
  EXPECT_TRUE(l_.grants.empty());
  EXPECT_EQ(ctx_.last_sent("exists")->message.body()["seq"], 5);
  answer(r, "exists", "exists_result", Json{{"seq", 5}, {"exists", true}});
  r.on_message(ctx_, 0, Message("watch_fired", Json{{"seq", 5}, {"release_id", 5}}));
  EXPECT_EQ(ctx_.traced("woke").size(), 1u);
  answer(r, "list", "children", Json{{"entries", Json::array({Json::array({3, ""}), Json::array({7, ""})})}});
  EXPECT_TRUE(l_.grants.empty());  // 5 left, but 3 is still ahead: watch 3
  EXPECT_EQ(ctx_.last_sent("exists")->message.body()["seq"], 3);
}

TEST_F(ZookeeperRecipeTest, FixedClientNoticesItsEntryIsGoneAndQueuesAgain) {
  ZookeeperRecipe r = make();
  queue(r, 2, Json::array({Json::array({1, ""}), Json::array({2, ""})}));
  answer(r, "exists", "exists_result", Json{{"seq", 1}, {"exists", true}});
  r.on_message(ctx_, 0, Message("watch_fired", Json{{"seq", 1}, {"release_id", 1}}));
  answer(r, "list", "children", Json{{"entries", Json::array({Json::array({3, ""})})}});
  EXPECT_TRUE(l_.grants.empty());
  EXPECT_NE(ctx_.last_sent("create"), nullptr);
}

TEST_F(ZookeeperRecipeTest, Etcd343ClientTakesTheLockWithoutItsEntry) {
  s_.verify_own_entry = false;
  ZookeeperRecipe r = make();
  queue(r, 2, Json::array({Json::array({1, ""}), Json::array({2, ""})}));
  answer(r, "exists", "exists_result", Json{{"seq", 1}, {"exists", true}});
  r.on_message(ctx_, 0, Message("session_expired", Json{{"session", 5}}));  // ignored while waiting
  r.on_message(ctx_, 0, Message("watch_fired", Json{{"seq", 1}, {"release_id", 1}}));
  answer(r, "list", "children", Json{{"entries", Json::array({Json::array({3, ""})})}});
  ASSERT_EQ(l_.grants.size(), 1u);  // nothing below 2 is left; that 2 is gone went unchecked
  EXPECT_TRUE(r.still_holds(ctx_));
}

TEST_F(ZookeeperRecipeTest, HolderLosesTheLockWhenThePingsGoUnanswered) {
  ZookeeperRecipe r = make();
  queue(r, 1, Json::array({Json::array({1, ""})}));
  ASSERT_EQ(l_.grants.size(), 1u);
  for (int i = 0; i < 4; ++i) r.on_timer(ctx_, *ctx_.take_timer("zk.ping"));  // over 2 s of silence
  ASSERT_EQ(l_.losses.size(), 1u);
  EXPECT_EQ(l_.losses[0], "session_timeout");
  EXPECT_NE(ctx_.last_sent("open_session"), nullptr);
}

TEST_F(ZookeeperRecipeTest, LostCreateReplyAbandonsTheSession) {
  ZookeeperRecipe r = make();
  r.start(ctx_);
  answer(r, "open_session", "session_opened", Json{{"session", 5}, {"epoch", 0}});
  r.acquire(ctx_, kOwner);
  r.on_timer(ctx_, *ctx_.take_timer("zk.request"));
  EXPECT_NE(ctx_.last_sent("open_session"), nullptr);  // a new session; the entry is orphaned
}

TEST_F(ZookeeperRecipeTest, LostCreateReplyWithProtectionFindsItsEntry) {
  s_.protected_create = true;
  ZookeeperRecipe careful = make();
  careful.start(ctx_);
  answer(careful, "open_session", "session_opened", Json{{"session", 6}, {"epoch", 0}});
  careful.acquire(ctx_, kOwner);
  EXPECT_EQ(ctx_.last_sent("create")->message.body()["tag"], "c2/0/1.1");
  careful.on_timer(ctx_, *ctx_.take_timer("zk.request"));
  answer(careful, "list", "children", Json{{"entries", Json::array({Json::array({4, "c2/0/1.1"})})}});
  ASSERT_EQ(l_.grants.size(), 1u);  // found its own entry by the tag
  EXPECT_EQ(l_.grants[0].token, 4);
}

TEST_F(ZookeeperRecipeTest, ReleaseKeepsDeletingUntilTheServerConfirms) {
  ZookeeperRecipe r = make();
  queue(r, 1, Json::array({Json::array({1, ""})}));
  r.release(ctx_);
  ctx_.take_sent();  // that delete is lost
  r.on_timer(ctx_, *ctx_.take_timer("zk.delete_retry"));
  ASSERT_NE(ctx_.last_sent("delete"), nullptr);
  r.on_message(ctx_, 0, Message("deleted", Json{{"seq", 1}}));
  ctx_.take_sent();
  r.on_timer(ctx_, *ctx_.take_timer("zk.delete_retry"));
  EXPECT_EQ(ctx_.last_sent("delete"), nullptr);
}

TEST_F(ZookeeperRecipeTest, APongCountingALostNotificationMakesTheWaiterLookAgain) {
  ZookeeperRecipe r = make();
  queue(r, 2, Json::array({Json::array({1, ""}), Json::array({2, ""})}));
  answer(r, "exists", "exists_result", Json{{"seq", 1}, {"exists", true}});
  r.on_message(ctx_, 0, Message("pong", Json{{"session", 5}, {"epoch", 0}, {"notified", 0}}));
  EXPECT_EQ(ctx_.last_sent("list"), nullptr);
  // The server sent notification 1 (watch_fired for entry 1); the network lost it.
  r.on_message(ctx_, 0, Message("pong", Json{{"session", 5}, {"epoch", 0}, {"notified", 1}}));
  ASSERT_NE(ctx_.last_sent("list"), nullptr);
  answer(r, "list", "children", Json{{"entries", Json::array({Json::array({2, ""})})}});
  EXPECT_EQ(l_.grants.size(), 1u);
}

class ConsulRecipeTest : public ::testing::Test {
 protected:
  void answer(ConsulRecipe& r, const std::string& type, const std::string& reply, Json body) {
    const testing::Sent* request = ctx_.last_sent(type);
    ASSERT_NE(request, nullptr) << "no " << type << " was sent";
    if (request->message.body().contains("req")) body["req"] = request->message.body()["req"];
    ctx_.take_sent();
    r.on_message(ctx_, 0, Message(reply, std::move(body)));
  }
  void with_session(ConsulRecipe& r) {
    r.start(ctx_);
    answer(r, "create_session", "session_created", Json{{"session", 3}});
    r.acquire(ctx_, kOwner);
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
  answer(r, "acquire", "acquire_result", Json{{"ok", true}, {"lock_index", 12}, {"modify_index", 30}});
  ASSERT_EQ(l_.grants.size(), 1u);
  EXPECT_EQ(l_.grants[0].token, 12);
}

TEST_F(ConsulRecipeTest, HeldMeansABlockingQueryFreeMeansRetryAfterLockRetry) {
  ConsulRecipe r(l_, s_, 0);
  with_session(r);
  answer(r, "acquire", "acquire_result", Json{{"ok", false}, {"held", true}, {"modify_index", 30}});
  EXPECT_EQ(ctx_.last_sent("watch")->message.body()["index"], 30);
  answer(r, "watch", "key_changed", Json{{"modify_index", 31}, {"held", false}, {"release_id", 31}});
  EXPECT_EQ(ctx_.traced("woke").size(), 1u);
  answer(r, "acquire", "acquire_result", Json{{"ok", false}, {"held", false}, {"modify_index", 31}});
  EXPECT_TRUE(ctx_.sent.empty());
  Instant before = ctx_.now();
  r.on_timer(ctx_, *ctx_.take_timer("consul.retry"));
  EXPECT_EQ(ctx_.now() - before, s_.lock_retry);
  EXPECT_NE(ctx_.last_sent("acquire"), nullptr);
}

TEST_F(ConsulRecipeTest, NextAcquisitionWaitsForTheReleaseToBeConfirmed) {
  ConsulRecipe r(l_, s_, 0);
  with_session(r);
  answer(r, "acquire", "acquire_result", Json{{"ok", true}, {"lock_index", 1}, {"modify_index", 1}});
  r.release(ctx_);
  ctx_.take_sent();  // lost
  r.acquire(ctx_, OwnerId{"c2", 0, 2, 0});
  EXPECT_TRUE(ctx_.sent.empty());  // a release in flight would free the next hold too
  r.on_timer(ctx_, *ctx_.take_timer("consul.release_retry"));
  answer(r, "release", "released", Json{{"session", 3}, {"owner", "c2/0/1"}});
  ASSERT_NE(ctx_.last_sent("acquire"), nullptr);
  EXPECT_EQ(ctx_.last_sent("acquire")->message.body()["owner"], "c2/0/2");
}

TEST_F(ConsulRecipeTest, InvalidSessionLosesTheLock) {
  ConsulRecipe r(l_, s_, 0);
  with_session(r);
  answer(r, "acquire", "acquire_result", Json{{"ok", true}, {"lock_index", 1}, {"modify_index", 1}});
  r.on_message(ctx_, 0, Message("renewed", Json{{"session", 3}, {"valid", false}}));
  ASSERT_EQ(l_.losses.size(), 1u);
  EXPECT_FALSE(r.still_holds(ctx_));
  EXPECT_NE(ctx_.last_sent("create_session"), nullptr);
}

}  // namespace
}  // namespace dsim::locks
