// The bank's client driven by hand: how it names a request (request_id.h) in its Begin and
// its events, and that an answer counts only for the request whose whole id it carries.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/2pc/client.h"
#include "protocols/2pc/timers.h"
#include "support/fake_context.h"

namespace dsim::twopc::testing {
namespace {

using dsim::testing::FakeContext;

// The harness's script sends one audit at 10ms.
void send_scripted_audit(Client& c, FakeContext& ctx) {
  c.on_start(ctx);
  auto t = ctx.take_timer(TxTimer::kScript);
  ASSERT_TRUE(t.has_value());
  c.on_timer(ctx, *t);
}

Message result_for(const std::string& request) {
  return typed(msg::kResult, Json{{"request", request}, {"tx", "coord.0.1"}, {"outcome", "commit"}});
}

TEST(Client, NamesARequestByItselfItsIncarnationAndItsNumber) {
  Harness h("basic");
  FakeContext ctx(h.cluster, h.client, /*incarnation=*/1);
  Client c(h.settings);
  send_scripted_audit(c, ctx);
  auto begins = ctx.sent_as<twopc::msg::Begin>();
  ASSERT_EQ(begins.size(), 1u);
  EXPECT_EQ(begins[0].second.request, (RequestId{h.client, 1, 1}));
  EXPECT_EQ(ctx.sent_of(msg::kBegin).at(0).message.fields().at("request"), "client.1.1");
  EXPECT_EQ(ctx.traced("tx_submit").at(0).at("request"), "client.1.1");
  EXPECT_EQ(ctx.traced("op").at(0).at("value").at("request"), "client.1.1");
}

TEST(Client, AnAnswerCountsOnlyForTheWholeId) {
  Harness h("basic");
  FakeContext ctx(h.cluster, h.client, /*incarnation=*/1);
  Client c(h.settings);
  send_scripted_audit(c, ctx);
  // The same number from the client's earlier incarnation, or no request of this client.
  c.on_message(ctx, h.coord, result_for("client.0.1"));
  c.on_message(ctx, h.coord, result_for("coord.1.1"));
  c.on_message(ctx, h.coord, result_for("client.1.2"));
  EXPECT_TRUE(ctx.traced("tx_result").empty());
  c.on_message(ctx, h.coord, result_for("client.1.1"));
  auto results = ctx.traced("tx_result");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].at("request"), "client.1.1");
  EXPECT_EQ(results[0].at("outcome"), "commit");
  EXPECT_EQ(ctx.traced("op").back().at("value").at("request"), "client.1.1");
  c.on_message(ctx, h.coord, result_for("client.1.1"));
  EXPECT_EQ(ctx.traced("tx_result").size(), 1u) << "a duplicate answer is not a second result";
}

TEST(Client, ATimedOutRequestIsReportedByItsId) {
  Harness h("basic");
  FakeContext ctx(h.cluster, h.client);
  Client c(h.settings);
  send_scripted_audit(c, ctx);
  auto t = ctx.take_timer(TxTimer::kTimeout);
  ASSERT_TRUE(t.has_value());
  c.on_timer(ctx, *t);
  auto results = ctx.traced("tx_result");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].at("request"), "client.0.1");
  EXPECT_EQ(results[0].at("timed_out"), true);
  EXPECT_EQ(ctx.traced("op").back().at("value").at("request"), "client.0.1");
}

}  // namespace
}  // namespace dsim::twopc::testing
