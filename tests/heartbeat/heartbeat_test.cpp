// The heartbeat detector's node driven by hand through the shared fake Context, and its
// settled_view check fed by hand.
#include <gtest/gtest.h>

#include "protocols/heartbeat/checks/settled_view_check.h"
#include "protocols/heartbeat/events.h"
#include "protocols/heartbeat/messages.h"
#include "protocols/heartbeat/node.h"
#include "support/fake_checker_view.h"
#include "support/fake_context.h"

namespace dsim::heartbeat {
namespace {

using dsim::testing::FakeCheckerView;
using dsim::testing::FakeContext;

Cluster nodes(int n) {
  Cluster c;
  for (int i = 0; i < n; ++i) c.add("n" + std::to_string(i), "node");
  return c;
}

const HeartbeatSettings kSettings{Duration::millis(100), Duration::millis(500)};

TEST(HeartbeatNode, PingsEveryOtherNodeEachInterval) {
  Cluster c = nodes(3);
  FakeContext ctx(c, "n1");
  HeartbeatNode node(kSettings);
  node.on_start(ctx);
  auto pings = ctx.sent_as<Ping>();
  ASSERT_EQ(pings.size(), 2u);
  EXPECT_EQ(pings[0].first, 0u);
  EXPECT_EQ(pings[1].first, 2u);
  EXPECT_EQ(pings[0].second.round, 1);
  EXPECT_EQ(ctx.sent[0].message.fields(), Json::parse(R"({"round":1})"));
  ASSERT_EQ(ctx.timers.size(), 1u);
  EXPECT_EQ(ctx.timers[0].after, Duration::millis(100));
  EXPECT_EQ(ctx.timers[0].kind, "tick");

  ctx.clear();
  auto tick = ctx.take_timer(HeartbeatTimer::kTick);
  ASSERT_TRUE(tick.has_value());
  node.on_timer(ctx, *tick);
  ASSERT_EQ(ctx.sent_as<Ping>().size(), 2u);
  EXPECT_EQ(ctx.sent_as<Ping>()[0].second.round, 2);
  EXPECT_TRUE(ctx.has_timer(HeartbeatTimer::kTick));
}

TEST(HeartbeatNode, AnswersAPingWithAPongOfTheSameRound) {
  Cluster c = nodes(3);
  FakeContext ctx(c, "n0");
  HeartbeatNode node(kSettings);
  node.on_start(ctx);
  ctx.clear();
  node.on_message(ctx, 2, Ping{7});
  auto pongs = ctx.sent_as<Pong>();
  ASSERT_EQ(pongs.size(), 1u);
  EXPECT_EQ(pongs[0].first, 2u);
  EXPECT_EQ(pongs[0].second.round, 7);
  EXPECT_EQ(ctx.sent.size(), 1u);
}

TEST(HeartbeatNode, SuspectsASilentPeerAfterTheTimeoutAndTrustsItWhenItAnswers) {
  Cluster c = nodes(3);
  FakeContext ctx(c, "n0");
  HeartbeatNode node(kSettings);
  node.on_start(ctx);
  // n1 answers every round; n2 never does.
  for (int round = 0; round < 5; ++round) {
    node.on_timer(ctx, *ctx.take_timer(HeartbeatTimer::kTick));
    node.on_message(ctx, 1, Pong{node.round()});
  }
  EXPECT_TRUE(ctx.events<Suspect>().empty());  // 500 ms of silence is not yet too long
  node.on_timer(ctx, *ctx.take_timer(HeartbeatTimer::kTick));  // 600 ms
  auto suspects = ctx.events<Suspect>();
  ASSERT_EQ(suspects.size(), 1u);
  EXPECT_EQ(suspects[0].peer, 2u);
  EXPECT_EQ(suspects[0].silent_ns, Duration::millis(600).ns);
  EXPECT_TRUE(node.suspects(2));
  EXPECT_FALSE(node.suspects(1));
  // The trace's fields, in the trace's order.
  EXPECT_EQ(ctx.traced("suspect")[0].dump(), R"({"peer":"n2","silent_ns":600000000})");

  node.on_timer(ctx, *ctx.take_timer(HeartbeatTimer::kTick));
  EXPECT_EQ(ctx.events<Suspect>().size(), 1u);  // suspected once, not every round
  node.on_message(ctx, 2, Pong{1});             // late, but heard from
  auto trusts = ctx.events<Trust>();
  ASSERT_EQ(trusts.size(), 1u);
  EXPECT_EQ(trusts[0].peer, 2u);
  EXPECT_EQ(ctx.traced("trust")[0].dump(), R"({"peer":"n2"})");
  EXPECT_FALSE(node.suspects(2));
  node.on_message(ctx, 2, Pong{2});
  EXPECT_EQ(ctx.events<Trust>().size(), 1u);  // trusted already: nothing new
}

TEST(HeartbeatNode, AClockJumpMakesHealthyPeersLookSilent) {
  Cluster c = nodes(2);
  FakeContext ctx(c, "n0");
  HeartbeatNode node(kSettings);
  node.on_start(ctx);
  node.on_message(ctx, 1, Pong{1});
  ctx.jump(Duration::seconds(1));  // the wall clock steps; the timer is still 100 ms away
  node.on_timer(ctx, *ctx.take_timer(HeartbeatTimer::kTick));
  ASSERT_EQ(ctx.events<Suspect>().size(), 1u);
  EXPECT_EQ(ctx.events<Suspect>()[0].silent_ns, Duration::millis(1100).ns);
}

// settled_view.

TEST(SettledViewCheck, ReportsASuspicionLeftOverAfterTheFaultsSettled) {
  Cluster c = nodes(3);
  FakeCheckerView view(c);
  SettledViewCheck check(3, Duration::millis(700));
  view.feed(check, 1000, "n0", Suspect{1, "n1", 600'000'000});
  view.feed(check, 1100, "n2", Suspect{1, "n1", 600'000'000});
  view.feed(check, 1500, "n2", Trust{1, "n1"});
  view.end(check, 10'000, 2'000);
  ASSERT_EQ(view.violations.size(), 1u);
  const Violation& v = view.violations[0];
  EXPECT_EQ(v.check, "settled_view");
  EXPECT_EQ(v.nodes, (std::vector<std::string>{"n0", "n1"}));
  EXPECT_EQ(v.message, "n0 still suspects n1 8s after the last fault ended");
  EXPECT_EQ(v.at, Instant{Duration::seconds(10).ns});
}

TEST(SettledViewCheck, DoesNotJudgeBeforeTheFaultsHaveBeenQuietLongEnough) {
  Cluster c = nodes(2);
  FakeCheckerView view(c);
  SettledViewCheck check(2, Duration::millis(700));
  view.feed(check, 1000, "n0", Suspect{1, "n1", 600'000'000});
  view.end(check, 10'000, 9'500);  // quiet for 500 ms < 700 ms
  EXPECT_TRUE(view.violations.empty());
  view.end(check, 10'000, -1);  // a fault still in effect
  EXPECT_TRUE(view.violations.empty());
  view.end(check, 10'000, 0, /*ran_to_end=*/false);
  EXPECT_TRUE(view.violations.empty());
  view.end(check, 10'000, 9'300);  // exactly 700 ms: judged
  EXPECT_EQ(view.violations.size(), 1u);
}

TEST(SettledViewCheck, ACrashForgetsTheCrashedNodesSuspicionsAndMeasuresDetection) {
  Cluster c = nodes(3);
  FakeCheckerView view(c);
  SettledViewCheck check(3, Duration::millis(700));
  view.feed(check, 500, "n0", Suspect{2, "n2", 600'000'000});  // n2 is up: a false suspicion
  view.fault(check, 1000, "n0", "crash");
  view.feed(check, 1700, "n1", Suspect{0, "n0", 600'000'000});  // detected 700 ms after the crash
  view.fault(check, 2000, "n0", "restart");
  view.feed(check, 2300, "n1", Trust{0, "n0"});
  view.end(check, 10'000, 2'000);
  EXPECT_TRUE(view.violations.empty());  // n0's suspicion of n2 died with its crash
  Json m = Json::object();
  check.write_metrics(m);
  EXPECT_EQ(m["false_suspicions"], 1);
  EXPECT_EQ(m["detections"], 1);
  EXPECT_EQ(m["detection_ns_max"], Duration::millis(700).ns);
}

TEST(SettledViewCheck, ADownNodeMayStaySuspected) {
  Cluster c = nodes(2);
  FakeCheckerView view(c);
  SettledViewCheck check(2, Duration::millis(700));
  view.fault(check, 1000, "n1", "crash");
  view.feed(check, 1600, "n0", Suspect{1, "n1", 600'000'000});
  view.end(check, 10'000, 0);  // n1 never came back
  EXPECT_TRUE(view.violations.empty());
}

}  // namespace
}  // namespace dsim::heartbeat
