// The 2PC participant driven by hand through every transition, crash and recovery
// included: a FakeContext stands in for the simulator and a DurableStore outlives each
// process instance, so "crash" is store.crash() plus a fresh process on the same disk.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/2pc/two_phase_participant.h"
#include "support/fake_context.h"

namespace dsim::twopc::testing {
namespace {

using dsim::testing::FakeContext;

using State = ParticipantBase::State;

// One participant (p1) on one disk, restartable.
struct P1 {
  Harness h;
  DurableStore disk;
  uint32_t incarnation = 0;
  std::unique_ptr<FakeContext> ctx;
  std::unique_ptr<TwoPhaseParticipant> p;

  explicit P1(const std::string& variant, Json protocol = Json::object()) : h(variant, std::move(protocol)) { boot(); }

  void boot() {
    ctx = std::make_unique<FakeContext>(h.cluster, h.p1, disk, incarnation);
    p = std::make_unique<TwoPhaseParticipant>(h.settings);
    p->on_start(*ctx);
  }
  void crash_and_restart() {
    disk.crash();
    ++incarnation;
    boot();
  }
  void deliver(NodeId from, const Message& m) { p->on_message(*ctx, from, m); }
  void fire(const std::string& kind) {
    auto t = ctx->timer(kind);
    ASSERT_TRUE(t.has_value()) << "no pending timer " << kind;
    p->on_timer(*ctx, *t);
  }
  // execute -> work done -> executed, for a debit of 10 from a0 (with a2 on p3).
  void execute(const std::string& tx, Json ops = Json::array({add_op("a0", -10)})) {
    deliver(h.coord, execute_msg(h, tx, std::move(ops), {h.p1, h.p3}));
    fire("work_done");
  }
  void prepare(const std::string& tx) { deliver(h.coord, prepare_msg(h, tx, incarnation, {h.p1, h.p3})); }
  std::string last_vote() const { return ctx->sent_of(msg::kVote).back().message.fields().at("vote").get<std::string>(); }
};

TEST(TwoPhaseParticipant, FirstBootForcesItsOpeningBalances) {
  P1 x("basic");
  EXPECT_EQ(x.disk.sync_count(), 1u);
  EXPECT_EQ(x.p->balance("a0"), 100);
  EXPECT_EQ(x.p->balance("a3"), 100);
  ASSERT_EQ(x.ctx->traced_of("open").size(), 1u);
}

TEST(TwoPhaseParticipant, ExecutesUnderLocksThenAnswers) {
  P1 x("basic");
  x.deliver(x.h.coord, execute_msg(x.h, "coord.0.1", Json::array({add_op("a0", -10)}), {x.h.p1, x.h.p3}));
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kWorking);
  EXPECT_TRUE(x.p->holds_locks("coord.0.1"));
  EXPECT_TRUE(x.ctx->sent_of(msg::kExecuted).empty());  // still working
  x.fire("work_done");
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kExecuted);
  auto answers = x.ctx->sent_of(msg::kExecuted);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_TRUE(answers[0].message.fields().at("ok").get<bool>());
  EXPECT_EQ(answers[0].message.fields().at("epoch"), 0);
  EXPECT_TRUE(x.ctx->timer("work_timeout").has_value());
}

TEST(TwoPhaseParticipant, BasicCommitForcesPreparedAndOutcomeAndAcks) {
  P1 x("basic");
  x.execute("coord.0.1");
  x.prepare("coord.0.1");
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kPrepared);
  EXPECT_EQ(x.last_vote(), "yes");
  EXPECT_EQ(x.disk.sync_count(), 2u);  // open + PREPARED
  EXPECT_TRUE(x.ctx->timer("decision_wait").has_value());
  x.deliver(x.h.coord, decision_msg("coord.0.1", "commit"));
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kCommitted);
  EXPECT_EQ(x.p->balance("a0"), 90);
  EXPECT_FALSE(x.p->holds_locks("coord.0.1"));
  EXPECT_EQ(x.disk.sync_count(), 3u);  // COMMIT forced
  EXPECT_EQ(x.ctx->sent_of(msg::kAck).size(), 1u);
  auto outcome = x.ctx->traced_of("outcome").back().fields;
  EXPECT_EQ(outcome.at("deltas").at("a0"), -10);
  EXPECT_EQ(outcome.at("hops"), 3);
  EXPECT_EQ(outcome.at("forces"), 3);  // the decision carried 2, plus its own forced COMMIT
}

TEST(TwoPhaseParticipant, BasicAbortIsForcedAndAcknowledged) {
  P1 x("basic");
  x.execute("coord.0.1");
  x.prepare("coord.0.1");
  x.deliver(x.h.coord, decision_msg("coord.0.1", "abort"));
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kAborted);
  EXPECT_EQ(x.p->balance("a0"), 100);
  EXPECT_EQ(x.disk.sync_count(), 3u);
  EXPECT_EQ(x.ctx->sent_of(msg::kAck).size(), 1u);
}

TEST(TwoPhaseParticipant, PresumedAbortNeitherForcesNorAcksAnAbort) {
  P1 x("presumed-abort");
  x.execute("coord.0.1");
  x.prepare("coord.0.1");
  x.deliver(x.h.coord, decision_msg("coord.0.1", "abort"));
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kAborted);
  EXPECT_EQ(x.disk.sync_count(), 2u);
  EXPECT_EQ(x.disk.unsynced_writes(), 1u);  // the abort record, written lazily
  EXPECT_TRUE(x.ctx->sent_of(msg::kAck).empty());
}

TEST(TwoPhaseParticipant, PresumedCommitNeitherForcesNorAcksACommit) {
  P1 x("presumed-commit");
  x.execute("coord.0.1");
  x.prepare("coord.0.1");
  x.deliver(x.h.coord, decision_msg("coord.0.1", "commit"));
  EXPECT_EQ(x.p->balance("a0"), 90);
  EXPECT_EQ(x.disk.sync_count(), 2u);
  EXPECT_TRUE(x.ctx->sent_of(msg::kAck).empty());
}

// An op on an account this participant does not hold (another's, or past the last) is
// refused by the account's name, as the client wrote it.
TEST(TwoPhaseParticipant, RefusesAnAccountItDoesNotHoldByName) {
  P1 x("basic");
  x.deliver(x.h.coord, execute_msg(x.h, "coord.0.1", Json::array({add_op("a0", -5), add_op("a1", 5)}), {x.h.p1}));
  x.deliver(x.h.coord, execute_msg(x.h, "coord.0.2", Json::array({add_op("a4294967295", 1)}), {x.h.p1}));
  auto answers = x.ctx->sent_of(msg::kExecuted);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].message.fields().at("reason"), "no account a1 here");
  EXPECT_EQ(answers[1].message.fields().at("reason"), "no account a4294967295 here");
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kAborted);
  EXPECT_FALSE(x.p->holds_locks("coord.0.1"));
  EXPECT_EQ(x.p->balance("a0"), 100);
}

TEST(TwoPhaseParticipant, RefusesWhatIsLockedOrUnfunded) {
  P1 x("basic");
  x.execute("coord.0.1");
  x.deliver(x.h.coord, execute_msg(x.h, "coord.0.2", Json::array({add_op("a0", 5)}), {x.h.p1}));
  x.deliver(x.h.coord, execute_msg(x.h, "coord.0.3", Json::array({add_op("a3", -500)}), {x.h.p1}));
  auto answers = x.ctx->sent_of(msg::kExecuted);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[1].message.fields().at("reason"), "locked by coord.0.1");
  EXPECT_EQ(answers[2].message.fields().at("reason"), "insufficient funds in a3");
  EXPECT_EQ(x.p->state_of("coord.0.2"), State::kAborted);
  EXPECT_EQ(x.p->state_of("coord.0.3"), State::kAborted);
  EXPECT_TRUE(x.p->holds_locks("coord.0.1"));
}

TEST(TwoPhaseParticipant, AReaderVotesReadOnlyAndForgetsUnderPresumedAbort) {
  P1 x("presumed-abort");
  x.execute("coord.0.7", Json::array({read_all_op()}));
  auto reads = x.ctx->sent_of(msg::kExecuted).back().message.fields().at("reads");
  EXPECT_EQ(reads.at("a0"), 100);
  EXPECT_EQ(reads.at("a3"), 100);
  uint64_t writes = x.disk.write_count();
  x.prepare("coord.0.7");
  EXPECT_EQ(x.last_vote(), "read_only");
  EXPECT_EQ(x.p->state_of("coord.0.7"), State::kReadOnly);
  EXPECT_FALSE(x.p->holds_locks("coord.0.7"));
  EXPECT_EQ(x.disk.write_count(), writes);  // nothing logged
}

TEST(TwoPhaseParticipant, VotesNoForWorkItNoLongerHolds) {
  P1 x("basic");
  x.deliver(x.h.coord, prepare_msg(x.h, "coord.0.8", 0, {x.h.p1}));
  EXPECT_EQ(x.last_vote(), "no");
  x.execute("coord.0.1");
  x.deliver(x.h.coord, prepare_msg(x.h, "coord.0.1", 7, {x.h.p1}));  // an execution from another life
  EXPECT_EQ(x.last_vote(), "no");
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kAborted);
  EXPECT_FALSE(x.p->holds_locks("coord.0.1"));
}

TEST(TwoPhaseParticipant, RepeatsItsVoteOnADuplicatePrepare) {
  P1 x("basic");
  x.execute("coord.0.1");
  x.prepare("coord.0.1");
  x.prepare("coord.0.1");
  EXPECT_EQ(x.ctx->sent_of(msg::kVote).size(), 2u);
  EXPECT_EQ(x.last_vote(), "yes");
  EXPECT_EQ(x.disk.sync_count(), 2u);  // no second PREPARED
  EXPECT_EQ(x.ctx->traced_of("vote").size(), 1u);
}

TEST(TwoPhaseParticipant, InDoubtItAsksTheCoordinatorAndWithCooperationItsPeers) {
  P1 plain("basic");
  plain.execute("coord.0.1");
  plain.prepare("coord.0.1");
  plain.fire("decision_wait");
  EXPECT_EQ(plain.ctx->sent_of(msg::kInquire).size(), 1u);
  EXPECT_TRUE(plain.ctx->sent_of(msg::kPeerInquire).empty());
  EXPECT_EQ(plain.ctx->timers.back().after, plain.h.settings->timing.retry_interval);

  P1 coop("presumed-abort", Json{{"cooperative_termination", true}});
  coop.execute("coord.0.1");
  coop.prepare("coord.0.1");
  coop.fire("decision_wait");
  auto asked = coop.ctx->sent_of(msg::kPeerInquire);
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].to, coop.h.p3);
  coop.deliver(coop.h.p3, tx_msg(msg::kPeerAnswer, "coord.0.1", Json{{"state", "uncertain"}}));
  EXPECT_EQ(coop.p->state_of("coord.0.1"), State::kPrepared);
  coop.deliver(coop.h.p3, tx_msg(msg::kPeerAnswer, "coord.0.1", Json{{"state", "commit"}}));
  EXPECT_EQ(coop.p->state_of("coord.0.1"), State::kCommitted);
  EXPECT_EQ(coop.ctx->traced_of("outcome").back().fields.at("via"), "peer");
}

TEST(TwoPhaseParticipant, AnswersPeersAndAbortsIfItHasNotVoted) {
  P1 x("presumed-abort", Json{{"cooperative_termination", true}});
  auto answer = [&](const std::string& tx) {
    x.deliver(x.h.p3, tx_msg(msg::kPeerInquire, tx));
    return x.ctx->sent_of(msg::kPeerAnswer).back().message.fields().at("state").get<std::string>();
  };
  EXPECT_EQ(answer("coord.0.6"), "uncertain");
  x.execute("coord.0.1");
  EXPECT_EQ(answer("coord.0.1"), "abort");  // executed but not voted: it may still say no
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kAborted);
  x.execute("coord.0.2", Json::array({add_op("a3", -1)}));
  x.prepare("coord.0.2");
  EXPECT_EQ(answer("coord.0.2"), "uncertain");
  x.deliver(x.h.coord, decision_msg("coord.0.2", "commit"));
  EXPECT_EQ(answer("coord.0.2"), "commit");
}

TEST(TwoPhaseParticipant, AbortsWorkNeverAskedToPrepare) {
  P1 x("basic");
  x.execute("coord.0.1");
  x.fire("work_timeout");
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kAborted);
  EXPECT_FALSE(x.p->holds_locks("coord.0.1"));
  EXPECT_EQ(x.ctx->traced_of("outcome").back().fields.at("via"), "work_timeout");
}

TEST(TwoPhaseParticipant, TheHeuristicMistakeAbortsAPreparedTransaction) {
  P1 x("presumed-abort", Json{{"mistakes", {{"heuristic_abort_after", "300ms"}}}});
  x.execute("coord.0.1");
  x.prepare("coord.0.1");
  x.fire("heuristic");
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kAborted);
  auto outcome = x.ctx->traced_of("outcome").back().fields;
  EXPECT_TRUE(outcome.at("heuristic").get<bool>());
  x.deliver(x.h.coord, decision_msg("coord.0.1", "commit"));  // too late
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kAborted);
  ASSERT_EQ(x.ctx->traced_of("conflicting_decision").size(), 1u);
}

TEST(TwoPhaseParticipant, RecoversInDoubtFromItsLogAndAsksAtOnce) {
  P1 x("basic");
  x.execute("coord.0.1");
  x.prepare("coord.0.1");
  x.crash_and_restart();
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kPrepared);
  EXPECT_TRUE(x.p->holds_locks("coord.0.1"));
  auto recovered = x.ctx->traced_of("recovered");
  ASSERT_EQ(recovered.size(), 1u);
  EXPECT_EQ(recovered[0].fields.at("in_doubt"), Json::array({"coord.0.1"}));
  EXPECT_EQ(x.ctx->sent_of(msg::kInquire).size(), 1u);
  x.deliver(x.h.coord, decision_msg("coord.0.1", "commit"));
  EXPECT_EQ(x.p->balance("a0"), 90);
  x.crash_and_restart();  // the forced COMMIT record rebuilds the balance
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kCommitted);
  EXPECT_EQ(x.p->balance("a0"), 90);
  EXPECT_TRUE(x.ctx->traced_of("recovered")[0].fields.at("in_doubt").empty());
}

// A transaction in doubt after a restart holds again exactly the locks its execution
// took: each probe meets the same holder before the crash and after it, and a probe on
// what it never locked passes.
TEST(TwoPhaseParticipant, RecoveryRelocksWhatExecutionLocked) {
  P1 x("basic");
  x.execute("coord.0.1", Json::array({add_op("a3", -10), read_all_op()}));  // a3 written, a0 read
  x.prepare("coord.0.1");
  const std::vector<Json> conflicting = {Json::array({add_op("a3", 1)}),  // written
                                         Json::array({add_op("a0", 1)}),  // read
                                         Json::array({read_all_op()})};   // reads the written one
  auto probe = [&](int seq, const Json& ops) {
    std::string id = "coord.0." + std::to_string(seq);
    x.deliver(x.h.coord, execute_msg(x.h, id, ops, {x.h.p1}));
    Json answer = x.ctx->sent_of(msg::kExecuted).back().message.fields();
    return answer.at("ok").get<bool>() ? std::string("ok") : answer.at("reason").get<std::string>();
  };
  for (size_t k = 0; k < conflicting.size(); ++k) {
    EXPECT_EQ(probe(10 + static_cast<int>(k), conflicting[k]), "locked by coord.0.1") << k;
  }
  x.crash_and_restart();
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kPrepared);
  for (size_t k = 0; k < conflicting.size(); ++k) {
    EXPECT_EQ(probe(20 + static_cast<int>(k), conflicting[k]), "locked by coord.0.1") << k;
  }
  x.deliver(x.h.coord, decision_msg("coord.0.1", "commit"));
  EXPECT_FALSE(x.p->holds_locks("coord.0.1"));
  EXPECT_EQ(x.p->balance("a3"), 90);
  x.execute("coord.0.30", conflicting[0]);
  EXPECT_TRUE(x.ctx->sent_of(msg::kExecuted).back().message.fields().at("ok").get<bool>())
      << "the outcome released what recovery took";
}

TEST(TwoPhaseParticipant, ACrashBeforeVotingLosesTheWork) {
  P1 x("basic");
  x.execute("coord.0.1");
  x.crash_and_restart();
  EXPECT_FALSE(x.p->state_of("coord.0.1").has_value());
  EXPECT_FALSE(x.p->holds_locks("coord.0.1"));
  x.prepare("coord.0.1");
  EXPECT_EQ(x.last_vote(), "no");
}

TEST(TwoPhaseParticipant, PresumedCommitsLazyCommitRecordCanBeLostAndRedone) {
  P1 x("presumed-commit");
  x.execute("coord.0.1");
  x.prepare("coord.0.1");
  x.deliver(x.h.coord, decision_msg("coord.0.1", "commit"));
  x.crash_and_restart();  // COMMIT was not forced: in doubt again, balance not yet moved
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kPrepared);
  EXPECT_EQ(x.p->balance("a0"), 100);
  x.deliver(x.h.coord, decision_msg("coord.0.1", "commit"));
  EXPECT_EQ(x.p->balance("a0"), 90);
}

TEST(TwoPhaseParticipant, TheNoWalMistakeForgetsAPreparedTransaction) {
  P1 x("basic", Json{{"mistakes", {{"participant_prepare_unlogged", true}}}});
  x.execute("coord.0.1");
  x.prepare("coord.0.1");
  EXPECT_EQ(x.last_vote(), "yes");
  EXPECT_EQ(x.disk.sync_count(), 1u);  // only the opening balances
  x.crash_and_restart();
  EXPECT_FALSE(x.p->state_of("coord.0.1").has_value());
  x.deliver(x.h.coord, decision_msg("coord.0.1", "commit"));
  ASSERT_EQ(x.ctx->traced_of("unknown_decision").size(), 1u);
  EXPECT_EQ(x.p->balance("a0"), 100);  // its half of the transfer is gone
}

TEST(TwoPhaseParticipant, TheSeedDesignVotesByAnsweringAndRemembersNothing) {
  P1 x("seed");
  x.execute("coord.0.1");
  EXPECT_EQ(x.ctx->traced_of("vote").back().fields.at("vote"), "yes");
  EXPECT_FALSE(x.ctx->timer("work_timeout").has_value());
  x.deliver(x.h.coord, decision_msg("coord.0.1", "commit"));
  EXPECT_EQ(x.p->balance("a0"), 90);
  EXPECT_TRUE(x.ctx->sent_of(msg::kAck).empty());
  EXPECT_EQ(x.disk.write_count(), 0u);
  x.crash_and_restart();
  EXPECT_EQ(x.p->balance("a0"), 100);  // the committed debit is lost with the memory
}

}  // namespace
}  // namespace dsim::twopc::testing
