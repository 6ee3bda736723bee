// The fenced resource and the client's critical section, driven by hand.
#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "harness.h"
#include "protocols/locks/lock_client.h"
#include "protocols/locks/messages.h"
#include "protocols/locks/resource_server.h"
#include "support/fake_context.h"

namespace dsim::locks {
namespace {

using dsim::testing::FakeContext;
using testing::test_cluster;

Message write(const std::string& owner, int64_t n, std::optional<int64_t> token) {
  return WriteRequest{owner, n, token};
}

TEST(ResourceServer, FencingRejectsTokensBelowTheHighestEvenAfterARestart) {
  Cluster cluster = test_cluster();
  NodeId c1 = *cluster.find("c1"), c2 = *cluster.find("c2");
  FakeContext ctx(cluster, "resource");
  ResourceServer fenced(true);
  fenced.on_start(ctx);
  fenced.on_message(ctx, c2, write("c2/0/1", 0, 34));
  fenced.on_message(ctx, c1, write("c1/0/1", 0, 33));
  fenced.on_message(ctx, c1, write("c1/0/1", 1, std::nullopt));
  fenced.on_message(ctx, c2, write("c2/0/1", 1, 34));
  ASSERT_EQ(ctx.traced("write_accepted").size(), 2u);
  ASSERT_EQ(ctx.traced("write_rejected").size(), 2u);
  EXPECT_EQ(ctx.traced("write_rejected")[0]["highest_token"], 34);
  ctx.disk()->crash();
  FakeContext after(cluster, "resource", 1, ctx.disk());
  ResourceServer restarted(true);
  restarted.on_start(after);
  restarted.on_message(after, c1, write("c1/0/1", 2, 33));
  EXPECT_EQ(after.sent.back().message.type(), "write_rejected");
}

TEST(ResourceServer, WithoutFencingEverythingIsAccepted) {
  Cluster cluster = test_cluster();
  FakeContext ctx(cluster, "resource");
  ResourceServer open(false);
  open.on_message(ctx, 3, write("c2/0/1", 0, 34));
  open.on_message(ctx, 2, write("c1/0/1", 0, 33));
  EXPECT_EQ(ctx.traced("write_accepted").size(), 2u);
}

// A recipe the test answers for.
class ScriptedRecipe final : public LockRecipe {
 public:
  explicit ScriptedRecipe(RecipeListener& l) : listener(l) {}
  void acquire(Context&, const OwnerId& owner) override { asked = owner.str(); }
  void release(Context&) override { ++releases; }
  bool still_holds(Context&) const override { return holds; }
  bool on_message(Context&, NodeId, const Message&) override { return false; }
  bool on_timer(Context&, const Timer&) override { return false; }

  RecipeListener& listener;
  std::string asked;
  int releases = 0;
  bool holds = true;
};

class LockClientTest : public ::testing::Test {
 protected:
  LockClientTest() {
    w_.writes = 2;
    w_.write_time = Duration::millis(100);
    client_ = std::make_unique<LockClient>(w_, /*fencing=*/true, 1, [this](RecipeListener& l) {
      auto r = std::make_unique<ScriptedRecipe>(l);
      recipe_ = r.get();
      return r;
    });
    client_->on_start(ctx_);
    client_->on_timer(ctx_, *ctx_.take_timer("client.next_round"));
  }
  void grant(int64_t token) {
    Grant g;
    g.owner = recipe_->asked;
    g.token = token;
    recipe_->listener.on_granted(ctx_, g);
  }
  void answer_write(const char* type) {
    const dsim::testing::Sent* w = ctx_.last_sent("write");
    ASSERT_NE(w, nullptr);
    const WriteRequest request = *w->message.as<WriteRequest>();
    ctx_.take_sent();
    if (std::string(type) == "write_ok") {
      client_->on_message(ctx_, 1, WriteOk{request.owner, request.n});
    } else {
      client_->on_message(ctx_, 1, WriteRejected{request.owner, request.n});
    }
  }

  Cluster cluster_ = test_cluster();
  FakeContext ctx_{cluster_, "c1"};
  WorkloadSettings w_;
  ScriptedRecipe* recipe_ = nullptr;
  std::unique_ptr<LockClient> client_;
};

TEST_F(LockClientTest, AcquiresWritesWithItsTokenAndReleases) {
  EXPECT_EQ(recipe_->asked, "c1/0/1");
  grant(8);
  EXPECT_TRUE(client_->believes_it_holds());
  client_->on_timer(ctx_, *ctx_.take_timer("client.work"));
  EXPECT_EQ(ctx_.last_sent("write")->message.fields()["token"], 8);
  answer_write("write_ok");
  client_->on_timer(ctx_, *ctx_.take_timer("client.work"));
  answer_write("write_ok");
  EXPECT_FALSE(client_->believes_it_holds());
  EXPECT_EQ(recipe_->releases, 1);
  EXPECT_EQ(ctx_.traced("released").size(), 1u);
  client_->on_timer(ctx_, *ctx_.take_timer("client.next_round"));
  EXPECT_EQ(recipe_->asked, "c1/0/2");
}

TEST_F(LockClientTest, RejectedWriteMeansTheLockWasLostButStillReleases) {
  grant(8);
  client_->on_timer(ctx_, *ctx_.take_timer("client.work"));
  answer_write("write_rejected");
  ASSERT_EQ(ctx_.traced("lost").size(), 1u);
  EXPECT_EQ(ctx_.traced("lost")[0]["reason"], "fenced");
  EXPECT_EQ(recipe_->releases, 1);
}

TEST_F(LockClientTest, ChecksBeforeTheWorkNotAfter) {
  grant(8);
  recipe_->holds = false;  // the lease ran out during the first write's work...
  client_->on_timer(ctx_, *ctx_.take_timer("client.work"));
  EXPECT_NE(ctx_.last_sent("write"), nullptr);  // ...which is written all the same
  answer_write("write_ok");
  EXPECT_EQ(ctx_.last_sent("write"), nullptr);  // the next check catches it
  EXPECT_EQ(ctx_.traced("lost").at(0)["reason"], "validity_expired");
}

TEST_F(LockClientTest, SilentResourceCountsTheWriteAndGoesOn) {
  grant(8);
  client_->on_timer(ctx_, *ctx_.take_timer("client.work"));
  client_->on_timer(ctx_, *ctx_.take_timer("client.write_timeout"));
  EXPECT_TRUE(ctx_.has_timer("client.work"));
}

// The common client-operation record (core/client_op.h): (type, id, op) in trace order.
std::vector<std::tuple<std::string, int64_t, std::string>> ops_of(FakeContext& ctx) {
  std::vector<std::tuple<std::string, int64_t, std::string>> out;
  for (const Json& f : ctx.traced("op")) {
    out.emplace_back(f["type"].get<std::string>(), f["id"].get<int64_t>(), f["op"].get<std::string>());
  }
  return out;
}

TEST_F(LockClientTest, TracesAcquisitionsAndWritesAsClientOperations) {
  grant(8);
  client_->on_timer(ctx_, *ctx_.take_timer("client.work"));
  answer_write("write_ok");
  client_->on_timer(ctx_, *ctx_.take_timer("client.work"));
  client_->on_timer(ctx_, *ctx_.take_timer("client.write_timeout"));  // no answer: unknown
  client_->on_timer(ctx_, *ctx_.take_timer("client.next_round"));
  grant(9);
  client_->on_timer(ctx_, *ctx_.take_timer("client.work"));
  answer_write("write_rejected");
  using Op = std::tuple<std::string, int64_t, std::string>;
  EXPECT_EQ(ops_of(ctx_), (std::vector<Op>{
      {"invoke", 1, "acquire"}, {"ok", 1, "acquire"},
      {"invoke", 2, "write"}, {"ok", 2, "write"},
      {"invoke", 3, "write"}, {"unknown", 3, "write"},
      {"invoke", 4, "acquire"}, {"ok", 4, "acquire"},
      {"invoke", 5, "write"}, {"fail", 5, "write"}}));
  EXPECT_EQ(ctx_.traced("op")[1]["value"]["token"], 8);
  EXPECT_EQ(ctx_.traced("op")[9]["value"]["token"], 9);
}

TEST_F(LockClientTest, AWriteInFlightWhenTheLockIsLostEndsUnknown) {
  grant(8);
  client_->on_timer(ctx_, *ctx_.take_timer("client.work"));
  recipe_->listener.on_lost(ctx_, "session_expired");
  using Op = std::tuple<std::string, int64_t, std::string>;
  EXPECT_EQ(ops_of(ctx_), (std::vector<Op>{{"invoke", 1, "acquire"}, {"ok", 1, "acquire"},
                                           {"invoke", 2, "write"}, {"unknown", 2, "write"}}));
}

}  // namespace
}  // namespace dsim::locks
