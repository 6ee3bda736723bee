// Paxos Commit by hand: the acceptor's promise and accept rules and their durability, a
// round choosing values from a majority, a participant leading a ballot when the leader
// is silent, and the leader deciding from phase-2b messages.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/2pc/paxos_acceptor.h"
#include "protocols/2pc/paxos_coordinator.h"
#include "protocols/2pc/paxos_participant.h"
#include "support/fake_context.h"

namespace dsim::twopc::testing {
namespace {

using dsim::testing::FakeContext;

using State = ParticipantBase::State;

Harness paxos_harness() { return Harness("paxos-commit", Json::object(), /*with_acceptors=*/true); }

Message p2a(const std::string& tx, int64_t ballot, Json values, const std::string& reply_to) {
  return tx_msg(msg::kPhase2a, tx, Json{{"ballot", ballot}, {"values", std::move(values)}, {"reply_to", reply_to}});
}
Message p2b(const std::string& tx, int64_t ballot, Json values) {
  return tx_msg(msg::kPhase2b, tx, Json{{"ballot", ballot}, {"values", std::move(values)}});
}

TEST(PaxosAcceptor, AcceptsUnlessPromisedHigherAndKeepsItAcrossRestarts) {
  Harness h = paxos_harness();
  DurableStore disk;
  FakeContext ctx(h.cluster, h.acceptors[0], disk);
  PaxosAcceptor a;
  a.on_message(ctx, h.p1, p2a("coord.0.1", 0, {{"p1", "prepared"}}, "coord"));
  ASSERT_EQ(ctx.sent_of(msg::kPhase2b).size(), 1u);
  EXPECT_EQ(ctx.sent_of(msg::kPhase2b)[0].to, h.coord);
  EXPECT_EQ(disk.unsynced_writes(), 0u);
  a.on_message(ctx, h.p2, tx_msg(msg::kPhase1a, "coord.0.1", Json{{"rms", {"p1", "p2"}}, {"ballot", 9}}));
  Json p1b = ctx.sent_of(msg::kPhase1b).back().message.fields();
  EXPECT_TRUE(p1b.at("promised").get<bool>());
  EXPECT_EQ(p1b.at("accepted").at("p1").at("value"), "prepared");
  EXPECT_TRUE(p1b.at("accepted").at("p2").is_null());
  disk.crash();
  PaxosAcceptor restarted;
  FakeContext ctx2(h.cluster, h.acceptors[0], disk, 1);
  restarted.on_message(ctx2, h.p2, p2a("coord.0.1", 0, {{"p2", "prepared"}}, "coord"));  // below the promise of 9
  EXPECT_TRUE(ctx2.sent_of(msg::kPhase2b).empty());
  restarted.on_message(ctx2, h.p3, tx_msg(msg::kPhase1a, "coord.0.1", Json{{"rms", {"p1"}}, {"ballot", 5}}));
  EXPECT_FALSE(ctx2.sent_of(msg::kPhase1b).back().message.fields().at("promised").get<bool>());
}

TEST(PaxosRound, ChoosesOnAMajorityAndAbortsOnAnyAbortedInstance) {
  Harness h = paxos_harness();
  PaxosRound r(tx_id(h.cluster, "coord.0.1"), {"p1", "p2"}, h.acceptors, 2);
  r.on_p2b(h.acceptors[0], *p2b("coord.0.1", 0, {{"p1", "prepared"}, {"p2", "prepared"}}).as<twopc::msg::Phase2b>());
  EXPECT_FALSE(r.outcome().has_value());
  r.on_p2b(h.acceptors[1], *p2b("coord.0.1", 0, {{"p1", "prepared"}}).as<twopc::msg::Phase2b>());
  EXPECT_FALSE(r.outcome().has_value());  // p2 chosen by one acceptor only
  r.on_p2b(h.acceptors[2], *p2b("coord.0.1", 0, {{"p2", "prepared"}}).as<twopc::msg::Phase2b>());
  EXPECT_EQ(r.outcome(), Outcome::kCommit);
  PaxosRound a(tx_id(h.cluster, "coord.0.2"), {"p1", "p2"}, h.acceptors, 2);
  a.on_p2b(h.acceptors[0], *p2b("coord.0.2", 0, {{"p1", "aborted"}}).as<twopc::msg::Phase2b>());
  a.on_p2b(h.acceptors[1], *p2b("coord.0.2", 0, {{"p1", "aborted"}}).as<twopc::msg::Phase2b>());
  EXPECT_EQ(a.outcome(), Outcome::kAbort);
}

TEST(PaxosRound, BallotsAreOwnedByOneNodeAndRiseWithRestarts) {
  int64_t b = next_ballot(0, 0, 3, 10);
  EXPECT_EQ(b % 10, 4);
  EXPECT_GT(next_ballot(b, 0, 3, 10), b);
  EXPECT_GT(next_ballot(0, 1, 3, 10), next_ballot(1000, 0, 3, 10));
}

TEST(PaxosParticipant, VotesThroughTheAcceptorsAndLeadsABallotWhenLeftWaiting) {
  Harness h = paxos_harness();
  DurableStore disk;
  FakeContext ctx(h.cluster, h.p1, disk);
  PaxosParticipant p(h.settings);
  p.on_start(ctx);
  p.on_message(ctx, h.coord, execute_msg(h, "coord.0.1", Json::array({add_op("a0", -5)}), {h.p1, h.p2}));
  p.on_timer(ctx, *ctx.timer("work_done"));
  p.on_message(ctx, h.coord, prepare_msg(h, "coord.0.1", 0, {h.p1, h.p2}));
  auto votes = ctx.sent_of(msg::kPhase2a);
  ASSERT_EQ(votes.size(), 3u);
  EXPECT_EQ(votes[0].message.fields().at("ballot"), 0);
  EXPECT_EQ(votes[0].message.fields().at("values").at("p1"), "prepared");
  EXPECT_EQ(votes[0].message.fields().at("reply_to"), "coord");
  EXPECT_EQ(p.state_of("coord.0.1"), State::kPrepared);

  p.on_timer(ctx, *ctx.timer("decision_wait"));  // the leader is silent
  auto p1a = ctx.sent_of(msg::kPhase1a);
  ASSERT_EQ(p1a.size(), 3u);
  int64_t ballot = p1a[0].message.fields().at("ballot").get<int64_t>();
  EXPECT_GT(ballot, 0);
  Json accepted{{"p1", {{"ballot", 0}, {"value", "prepared"}}}, {"p2", {{"ballot", 0}, {"value", "prepared"}}}};
  for (int i = 0; i < 2; ++i) {
    p.on_message(ctx, h.acceptors[i], tx_msg(msg::kPhase1b, "coord.0.1", Json{{"ballot", ballot}, {"promised", true},
                                                                          {"max_promised", 0}, {"accepted", accepted}}));
  }
  auto phase2 = ctx.sent_of(msg::kPhase2a);
  ASSERT_EQ(phase2.size(), 6u);
  EXPECT_EQ(phase2.back().message.fields().at("values").at("p2"), "prepared");
  for (int i = 0; i < 2; ++i) p.on_message(ctx, h.acceptors[i], p2b("coord.0.1", ballot, {{"p1", "prepared"}, {"p2", "prepared"}}));
  EXPECT_EQ(p.state_of("coord.0.1"), State::kCommitted);
  EXPECT_EQ(ctx.sent_of(msg::kDecision).size(), 1u);  // tells p2
  EXPECT_EQ(p.balance("a0"), 95);
}

TEST(PaxosParticipant, ProposesAbortedForAnInstanceNobodyVotedIn) {
  Harness h = paxos_harness();
  DurableStore disk;
  FakeContext ctx(h.cluster, h.p1, disk);
  PaxosParticipant p(h.settings);
  p.on_start(ctx);
  p.on_message(ctx, h.coord, execute_msg(h, "coord.0.1", Json::array(), {h.p1, h.p2}));
  p.on_timer(ctx, *ctx.timer("work_done"));
  p.on_message(ctx, h.coord, prepare_msg(h, "coord.0.1", 0, {h.p1, h.p2}));
  p.on_timer(ctx, *ctx.timer("decision_wait"));
  int64_t ballot = ctx.sent_of(msg::kPhase1a)[0].message.fields().at("ballot").get<int64_t>();
  Json accepted{{"p1", {{"ballot", 0}, {"value", "prepared"}}}, {"p2", nullptr}};
  for (int i = 0; i < 2; ++i) {
    p.on_message(ctx, h.acceptors[i], tx_msg(msg::kPhase1b, "coord.0.1", Json{{"ballot", ballot}, {"promised", true},
                                                                          {"max_promised", 0}, {"accepted", accepted}}));
  }
  EXPECT_EQ(ctx.sent_of(msg::kPhase2a).back().message.fields().at("values").at("p2"), "aborted");
}

TEST(PaxosCoordinator, DecidesWhenAMajorityAcceptedEveryInstance) {
  Harness h = paxos_harness();
  DurableStore disk;
  FakeContext ctx(h.cluster, h.coord, disk);
  PaxosCoordinator c(h.settings);
  c.on_start(ctx);
  c.on_message(ctx, h.client, typed(msg::kBegin, Json{{"request", "client.0.1"}, {"ops", {{"p1", Json::array()}, {"p2", Json::array()}}}}));
  for (NodeId p : {h.p1, h.p2}) {
    c.on_message(ctx, p, tx_msg(msg::kExecuted, "coord.0.1", Json{{"ok", true}, {"epoch", 0}, {"reads", Json::object()}, {"result", nullptr}}));
  }
  EXPECT_EQ(ctx.sent_of(msg::kPrepare)[0].message.fields().at("acceptors").size(), 3u);
  c.on_message(ctx, h.acceptors[0], p2b("coord.0.1", 0, {{"p1", "prepared"}, {"p2", "prepared"}}));
  EXPECT_TRUE(ctx.sent_of(msg::kDecision).empty());
  c.on_message(ctx, h.acceptors[2], p2b("coord.0.1", 0, {{"p1", "prepared"}, {"p2", "prepared"}}));
  ASSERT_EQ(ctx.sent_of(msg::kDecision).size(), 2u);
  EXPECT_EQ(ctx.sent_of(msg::kDecision)[0].message.fields().at("outcome"), "commit");
  EXPECT_FALSE(c.phase_of("coord.0.1").has_value());
}

TEST(PaxosCoordinator, LeadsAHigherBallotWhenVotesAreMissing) {
  Harness h = paxos_harness();
  DurableStore disk;
  FakeContext ctx(h.cluster, h.coord, disk);
  PaxosCoordinator c(h.settings);
  c.on_start(ctx);
  c.on_message(ctx, h.client, typed(msg::kBegin, Json{{"request", "client.0.1"}, {"ops", {{"p1", Json::array()}}}}));
  c.on_message(ctx, h.p1, tx_msg(msg::kExecuted, "coord.0.1", Json{{"ok", true}, {"epoch", 0}, {"reads", Json::object()}, {"result", nullptr}}));
  c.on_timer(ctx, *ctx.timer("vote_timeout"));
  EXPECT_EQ(ctx.sent_of(msg::kPhase1a).size(), 3u);
  EXPECT_TRUE(ctx.timer("paxos_retry").has_value());
}

}  // namespace
}  // namespace dsim::twopc::testing
