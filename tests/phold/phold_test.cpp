// PHOLD's node driven by hand through the shared fake Context, and its check fed by hand.
#include <gtest/gtest.h>

#include <set>

#include "protocols/phold/checks/token_forwarding_check.h"
#include "protocols/phold/events.h"
#include "protocols/phold/messages.h"
#include "protocols/phold/node.h"
#include "support/fake_checker_view.h"
#include "support/fake_context.h"

namespace dsim::phold {
namespace {

using dsim::testing::FakeCheckerView;
using dsim::testing::FakeContext;

Cluster nodes(int n) {
  Cluster c;
  for (int i = 0; i < n; ++i) c.add("n" + std::to_string(i), "node");
  return c;
}

TEST(PholdNode, FirstBootCreatesItsTokensAndSendsEachToARandomNode) {
  Cluster c = nodes(4);
  FakeContext ctx(c, "n1");
  PholdNode node(5);
  node.on_start(ctx);
  auto created = ctx.events<TokensCreated>();
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].count, 5);
  EXPECT_EQ(ctx.traced("tokens_created"), (std::vector<Json>{Json::parse(R"({"count":5})")}));
  auto tokens = ctx.sent_as<Token>();
  ASSERT_EQ(tokens.size(), 5u);
  ASSERT_EQ(ctx.sent.size(), 5u);  // nothing but tokens
  for (const auto& [to, token] : tokens) EXPECT_LT(to, c.size());
  EXPECT_FALSE(ctx.sent[0].message.has_fields());  // a token has no body
  EXPECT_EQ(ctx.sent[0].message.type(), "token");
  EXPECT_EQ(ctx.pending_timers(), 0u);
}

TEST(PholdNode, DestinationsComeFromTheNodesOwnStream) {
  Cluster c = nodes(8);
  FakeContext a(c, "n2"), b(c, "n2");
  PholdNode(16).on_start(a);
  PholdNode(16).on_start(b);
  std::vector<NodeId> to_a, to_b;
  for (const auto& [to, t] : a.sent_as<Token>()) to_a.push_back(to);
  for (const auto& [to, t] : b.sent_as<Token>()) to_b.push_back(to);
  EXPECT_EQ(to_a, to_b);
  // Over 16 draws among 8 nodes, more than one destination.
  EXPECT_GT(std::set<NodeId>(to_a.begin(), to_a.end()).size(), 1u);
}

TEST(PholdNode, ARestartedNodeCreatesNoTokensButForwards) {
  Cluster c = nodes(3);
  FakeContext ctx(c, "n0", /*incarnation=*/1);
  PholdNode node(4);
  node.on_start(ctx);
  EXPECT_TRUE(ctx.sent.empty());
  EXPECT_TRUE(ctx.traces.empty());
  node.on_message(ctx, 2, Token{});
  EXPECT_EQ(ctx.sent_as<Token>().size(), 1u);
}

TEST(PholdNode, ForwardsEachDeliveredTokenExactlyOnce) {
  Cluster c = nodes(3);
  FakeContext ctx(c, "n0");
  PholdNode node(1);
  node.on_start(ctx);
  ctx.clear();
  for (int i = 0; i < 10; ++i) node.on_message(ctx, 1, Token{});
  EXPECT_EQ(ctx.sent_as<Token>().size(), 10u);
  EXPECT_TRUE(ctx.traces.empty());
}

NetworkEvent net(std::string_view event, const Message& m) { return NetworkEvent{Instant{0}, event, 0, 1, 1, m, nullptr}; }

TEST(TokenForwardingCheck, HoldsWhenSendsEqualCreatedPlusDeliveries) {
  Cluster c = nodes(2);
  FakeCheckerView view(c);
  TokenForwardingCheck check;
  view.feed(check, 0, "n0", TokensCreated{2});
  Message token(Token{});
  for (int i = 0; i < 5; ++i) check.observe_network(net("send", token), view);
  for (int i = 0; i < 3; ++i) check.observe_network(net("deliver", token), view);
  check.observe_network(net("drop", token), view);  // neither
  view.end(check, 1000, 0);
  EXPECT_TRUE(view.violations.empty());
  Json m = Json::object();
  check.write_metrics(m);
  EXPECT_EQ(m["sends"], 5);
  EXPECT_EQ(m["deliveries"], 3);
}

TEST(TokenForwardingCheck, ReportsALostOrInventedToken) {
  Cluster c = nodes(2);
  FakeCheckerView view(c);
  TokenForwardingCheck check;
  view.feed(check, 0, "n0", TokensCreated{2});
  Message token(Token{});
  for (int i = 0; i < 4; ++i) check.observe_network(net("send", token), view);
  check.observe_network(net("deliver", token), view);  // one delivery, but two more sends
  view.end(check, 1000, 0);
  ASSERT_EQ(view.violations.size(), 1u);
  EXPECT_EQ(view.violations[0].check, "token_forwarding");
  EXPECT_EQ(view.violations[0].message, "sends (4) != initial tokens (2) + deliveries (1)");

  FakeCheckerView cut(c);
  TokenForwardingCheck check2;
  cut.feed(check2, 0, "n0", TokensCreated{2});
  cut.end(check2, 1000, 0, /*ran_to_end=*/false);  // in flight when cut: not judged
  EXPECT_TRUE(cut.violations.empty());
}

}  // namespace
}  // namespace dsim::phold
