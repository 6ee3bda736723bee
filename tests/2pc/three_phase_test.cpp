// Three-phase commit by hand: the coordinator's pre-commit round and ack timeout, the
// participant's pre-commit, its termination protocol (who leads, which rule decides),
// and termination after a restart.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/2pc/three_phase_coordinator.h"
#include "protocols/2pc/three_phase_participant.h"
#include "support/fake_context.h"

namespace dsim::twopc::testing {
namespace {

using dsim::testing::FakeContext;

using State = ParticipantBase::State;

TEST(ThreePhaseCoordinator, PreCommitsOnAllYesThenCommitsOnAcksOrTimeout) {
  for (bool timeout : {false, true}) {
    Harness h("three-phase");
    DurableStore disk;
    FakeContext ctx(h.cluster, h.coord, disk);
    ThreePhaseCoordinator c(h.settings);
    c.on_start(ctx);
    c.on_message(ctx, h.client, typed(msg::kBegin, Json{{"request", "client.0.1"}, {"ops", {{"p1", Json::array({add_op("a0", -1)})}, {"p2", Json::array({add_op("a1", 1)})}}}}));
    for (NodeId p : {h.p1, h.p2}) {
      c.on_message(ctx, p, tx_msg(msg::kExecuted, "coord.0.1", Json{{"ok", true}, {"epoch", 0}, {"reads", Json::object()}, {"result", nullptr}}));
    }
    for (NodeId p : {h.p1, h.p2}) c.on_message(ctx, p, tx_msg(msg::kVote, "coord.0.1", Json{{"vote", "yes"}}));
    EXPECT_EQ(ctx.sent_of(msg::kPreCommit).size(), 2u);
    EXPECT_EQ(c.phase_of("coord.0.1"), CoordinatorBase::Phase::kPreCommitting);
    c.on_message(ctx, h.p1, tx_msg(msg::kPreCommitAck, "coord.0.1"));
    EXPECT_TRUE(ctx.sent_of(msg::kDecision).empty());
    if (timeout) {
      c.on_timer(ctx, *ctx.timer("ack_timeout"));  // p2 is taken for failed
    } else {
      c.on_message(ctx, h.p2, tx_msg(msg::kPreCommitAck, "coord.0.1"));
    }
    ASSERT_EQ(ctx.sent_of(msg::kDecision).size(), 2u);
    EXPECT_EQ(ctx.sent_of(msg::kDecision)[0].message.fields().at("outcome"), "commit");
    EXPECT_EQ(disk.write_count(), 0u);  // no coordinator log
  }
}

struct Part3 {
  Harness h{"three-phase"};
  DurableStore disk;
  uint32_t incarnation = 0;
  NodeId self;
  std::unique_ptr<FakeContext> ctx;
  std::unique_ptr<ThreePhaseParticipant> p;

  explicit Part3(NodeId which_index = 0) {
    self = std::vector<NodeId>{h.p1, h.p2, h.p3}[which_index];
    boot();
  }
  void boot() {
    ctx = std::make_unique<FakeContext>(h.cluster, self, disk, incarnation);
    p = std::make_unique<ThreePhaseParticipant>(h.settings);
    p->on_start(*ctx);
  }
  void deliver(NodeId from, const Message& m) { p->on_message(*ctx, from, m); }
  void fire(const std::string& kind) { p->on_timer(*ctx, *ctx->timer(kind)); }
  // Executes and prepares an empty part of coord.0.1 among p1, p2, p3.
  void prepared() {
    deliver(h.coord, execute_msg(h, "coord.0.1", Json::array(), {h.p1, h.p2, h.p3}));
    fire("work_done");
    deliver(h.coord, prepare_msg(h, "coord.0.1", incarnation, {h.p1, h.p2, h.p3}));
  }
  void reply(NodeId from, const std::string& state) {
    deliver(from, tx_msg(msg::kStateReply, "coord.0.1", Json{{"state", state}}));
  }
};

TEST(ThreePhaseParticipant, PreCommitIsForcedAndAcknowledged) {
  Part3 x;
  x.prepared();
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kPrepared);
  x.deliver(x.h.coord, tx_msg(msg::kPreCommit, "coord.0.1"));
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kPreCommitted);
  EXPECT_EQ(x.ctx->sent_of(msg::kPreCommitAck).size(), 1u);
  EXPECT_EQ(x.disk.read_records("wal").back().name(), "precommit");
}

TEST(ThreePhaseParticipant, ALeaderThatWasPreCommittedCommits) {
  Part3 x;  // p1, the lowest: it leads whenever it answers
  x.prepared();
  x.deliver(x.h.coord, tx_msg(msg::kPreCommit, "coord.0.1"));
  x.fire("decision_wait");
  EXPECT_EQ(x.ctx->sent_of(msg::kStateRequest).size(), 2u);
  x.reply(x.h.p2, "uncertain");
  x.fire("termination");
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kCommitted);
  EXPECT_EQ(x.ctx->sent_of(msg::kDecision).size(), 2u);
  EXPECT_EQ(x.ctx->traced_of("decision").back().fields.at("via"), "termination");
}

TEST(ThreePhaseParticipant, AllUncertainAborts) {
  Part3 x;
  x.prepared();
  x.fire("decision_wait");
  x.reply(x.h.p2, "uncertain");
  x.reply(x.h.p3, "uncertain");
  x.fire("termination");
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kAborted);
}

TEST(ThreePhaseParticipant, APeerThatCommittedWins) {
  Part3 x;
  x.prepared();
  x.fire("decision_wait");
  x.reply(x.h.p3, "committed");
  x.fire("termination");
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kCommitted);
}

TEST(ThreePhaseParticipant, ALowerPeerThatAnsweredLeadsInstead) {
  Part3 x(1);  // p2
  x.prepared();
  x.fire("decision_wait");
  x.reply(x.h.p1, "uncertain");
  x.fire("termination");
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kPrepared);
  EXPECT_TRUE(x.ctx->sent_of(msg::kDecision).empty());
  EXPECT_TRUE(x.ctx->timer("decision_wait").has_value());
}

TEST(ThreePhaseParticipant, AnOutcomeFromAnyPeerSettlesItWhoeverLeads) {
  Part3 x(2);  // p3: p1 leads, but has already committed and will run no termination
  x.prepared();
  x.fire("decision_wait");
  x.reply(x.h.p1, "committed");
  x.fire("termination");
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kCommitted);
}

TEST(ThreePhaseParticipant, AnswersStateRequestsAndNeverVotesAfterSayingAborted) {
  Part3 x;
  x.deliver(x.h.p2, tx_msg(msg::kStateRequest, "coord.0.9"));
  EXPECT_EQ(x.ctx->sent_of(msg::kStateReply).back().message.fields().at("state"), "aborted");
  EXPECT_EQ(x.disk.read_records("wal").back().name(), "abort");  // remembered durably
  x.deliver(x.h.coord, execute_msg(x.h, "coord.0.9", Json::array(), {x.h.p1}));
  EXPECT_EQ(x.ctx->sent_of(msg::kExecuted).back().message.fields().at("ok"), false);
}

TEST(ThreePhaseParticipant, RestartsIntoTermination) {
  Part3 x;
  x.prepared();
  x.deliver(x.h.coord, tx_msg(msg::kPreCommit, "coord.0.1"));
  x.disk.crash();
  x.incarnation = 1;
  x.boot();
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kPreCommitted);
  EXPECT_EQ(x.ctx->sent_of(msg::kStateRequest).size(), 2u);
}

TEST(ThreePhaseParticipant, ARecoveringSiteNeverDecidesByTheRuleOnlyAdopts) {
  Part3 x;  // p1 would lead, but it failed while uncertain: a decision may have passed it by
  x.prepared();
  x.disk.crash();
  x.incarnation = 1;
  x.boot();
  x.fire("termination");  // nobody answered
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kPrepared);
  x.deliver(x.h.p2, tx_msg(msg::kStateRequest, "coord.0.1"));
  EXPECT_TRUE(x.ctx->sent_of(msg::kStateReply).back().message.fields().at("recovering").get<bool>());
  x.fire("decision_wait");
  x.reply(x.h.p2, "uncertain");  // p2 is operational, so p2 leads
  x.fire("termination");
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kPrepared);
  x.fire("decision_wait");
  x.reply(x.h.p3, "committed");
  x.fire("termination");
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kCommitted);
}

}  // namespace
}  // namespace dsim::twopc::testing
