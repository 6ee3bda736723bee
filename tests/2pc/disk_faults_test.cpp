// The 2PC roles under disk faults (disk_errors.h), driven by hand: a FakeDisk controller
// makes the store's writes fail and its syncs fail or hang, the way the simulator's
// disk_fail and disk_slow do. The coordinator announces only durable decisions and keeps
// retrying; a participant votes yes only on a durable PREPARED and acknowledges only a
// durable outcome; recovery drops a torn record unless the checksum mistake is on.
#include <gtest/gtest.h>

#include "harness.h"
#include "protocols/2pc/records.h"
#include "protocols/2pc/two_phase_coordinator.h"
#include "protocols/2pc/two_phase_participant.h"
#include "support/fake_context.h"

namespace dsim::twopc::testing {
namespace {

using dsim::testing::FakeContext;
using dsim::testing::Sent;

using State = ParticipantBase::State;

// The disk's behaviour just now, set by the test.
class FakeDisk final : public DiskController {
 public:
  bool writes_fail = false;
  DiskStatus sync = DiskStatus::kOk;
  uint64_t hung_through = 0;  // the last sync that returned kInProgress
  bool write_fails() override { return writes_fail; }
  bool read_fails() override { return false; }
  DiskStatus begin_sync(uint64_t through) override {
    if (sync == DiskStatus::kInProgress) hung_through = through;
    return sync;
  }
  void heal() {
    writes_fail = false;
    sync = DiskStatus::kOk;
  }
};

// The coordinator on one disk whose faults the test sets.
struct CoordOnFaultyDisk {
  Harness h;
  DurableStore disk;
  FakeDisk faults;
  std::unique_ptr<FakeContext> ctx;
  std::unique_ptr<TwoPhaseCoordinator> c;

  explicit CoordOnFaultyDisk(const std::string& variant, Json protocol = Json::object())
      : h(variant, std::move(protocol)) {
    disk.set_controller(&faults);
    ctx = std::make_unique<FakeContext>(h.cluster, h.coord, disk, 0);
    c = std::make_unique<TwoPhaseCoordinator>(h.settings);
    c->on_start(*ctx);
  }
  void deliver(NodeId from, const Message& m) { c->on_message(*ctx, from, m); }
  void fire(const std::string& kind) {
    auto t = ctx->timer(kind);
    ASSERT_TRUE(t.has_value()) << "no pending timer " << kind;
    c->on_timer(*ctx, *t);
  }
  // A transfer a0 (p1) -> a1 (p2), executed and voted yes by both: "coord.0.1".
  std::string through_votes() {
    Json ops{{"p1", Json::array({add_op("a0", -10)})}, {"p2", Json::array({add_op("a1", 10)})}};
    deliver(h.client, typed(msg::kBegin, Json{{"request", "client.0.1"}, {"ops", ops}}));
    std::string tx = "coord.0.1";
    for (NodeId p : {h.p1, h.p2}) {
      deliver(p, tx_msg(msg::kExecuted, tx, Json{{"ok", true}, {"epoch", 0}, {"reads", Json::object()}, {"result", nullptr}}));
    }
    for (NodeId p : {h.p1, h.p2}) deliver(p, tx_msg(msg::kVote, tx, Json{{"vote", "yes"}}));
    return tx;
  }
};

TEST(CoordinatorLogFailure, AnnouncesNothingUntilTheDecisionIsDurableThenRetriesTheWrite) {
  CoordOnFaultyDisk x("basic");
  x.faults.writes_fail = true;
  std::string tx = x.through_votes();
  EXPECT_TRUE(x.ctx->sent_of(msg::kDecision).empty());
  EXPECT_TRUE(x.ctx->sent_of(msg::kResult).empty());  // the client stays in doubt too
  ASSERT_EQ(x.ctx->traced_of("log_error").size(), 1u);
  EXPECT_EQ(x.ctx->traced_of("log_error")[0].fields.at("op"), "write");
  EXPECT_TRUE(x.ctx->traced_of("decision").empty());
  // An in-doubt participant that asks gets no answer yet.
  x.deliver(x.h.p1, tx_msg(msg::kInquire, tx));
  EXPECT_TRUE(x.ctx->sent_of(msg::kDecision).empty());
  // Still failing: tried again, still nothing.
  x.fire("log_retry");
  EXPECT_TRUE(x.ctx->sent_of(msg::kDecision).empty());
  EXPECT_TRUE(x.disk.read_records("wal").empty());
  // The disk recovers: the next retry writes and forces it, then announces.
  x.faults.heal();
  x.fire("log_retry");
  ASSERT_EQ(x.ctx->sent_of(msg::kDecision).size(), 2u);
  EXPECT_EQ(x.ctx->sent_of(msg::kDecision)[0].message.fields().at("outcome"), "commit");
  EXPECT_EQ(x.ctx->sent_of(msg::kResult).size(), 1u);
  EXPECT_EQ(x.disk.unsynced_writes(), 0u);
  RecordLog wal = x.disk.read_records("wal");
  ASSERT_EQ(wal.size(), 1u);
  EXPECT_NE(wal[0].as<rec::CommitDecision>(), nullptr);
  EXPECT_TRUE(x.ctx->timer("resend").has_value());
}

TEST(CoordinatorLogFailure, AFailedSyncKeepsTheRecordPendingAndSyncsAgain) {
  CoordOnFaultyDisk x("basic");
  x.faults.sync = DiskStatus::kIoError;
  x.through_votes();
  EXPECT_TRUE(x.ctx->sent_of(msg::kDecision).empty());
  EXPECT_EQ(x.ctx->traced_of("log_error")[0].fields.at("op"), "sync");
  EXPECT_EQ(x.disk.unsynced_writes(), 1u);  // appended, not durable
  x.fire("log_retry");
  EXPECT_TRUE(x.ctx->sent_of(msg::kDecision).empty());
  x.faults.heal();
  x.fire("log_retry");
  EXPECT_EQ(x.ctx->sent_of(msg::kDecision).size(), 2u);
  EXPECT_EQ(x.disk.read_records("wal").size(), 1u);  // appended once
}

TEST(CoordinatorLogFailure, AHungSyncIsWaitedFor) {
  CoordOnFaultyDisk x("presumed-abort");
  x.faults.sync = DiskStatus::kInProgress;
  x.through_votes();
  EXPECT_TRUE(x.ctx->sent_of(msg::kDecision).empty());
  x.fire("log_retry");
  EXPECT_TRUE(x.ctx->sent_of(msg::kDecision).empty());
  x.disk.finish_sync(x.faults.hung_through);  // the hang ends
  x.fire("log_retry");
  EXPECT_EQ(x.ctx->sent_of(msg::kDecision).size(), 2u);
}

TEST(CoordinatorLogFailure, PresumedCommitSendsPrepareOnlyAfterCollectingIsDurable) {
  CoordOnFaultyDisk x("presumed-commit");
  x.faults.writes_fail = true;
  Json ops{{"p1", Json::array({add_op("a0", -10)})}, {"p2", Json::array({add_op("a1", 10)})}};
  x.deliver(x.h.client, typed(msg::kBegin, Json{{"request", "client.0.1"}, {"ops", ops}}));
  for (NodeId p : {x.h.p1, x.h.p2}) {
    x.deliver(p, tx_msg(msg::kExecuted, "coord.0.1",
                        Json{{"ok", true}, {"epoch", 0}, {"reads", Json::object()}, {"result", nullptr}}));
  }
  EXPECT_TRUE(x.ctx->sent_of(msg::kPrepare).empty());
  x.faults.heal();
  x.fire("log_retry");
  EXPECT_EQ(x.ctx->sent_of(msg::kPrepare).size(), 2u);
}

TEST(CoordinatorLogFailure, TheMistakeAnnouncesADecisionItCouldNotLog) {
  CoordOnFaultyDisk x("basic", Json{{"mistakes", {{"coordinator_ignores_log_errors", true}}}});
  x.faults.writes_fail = true;
  x.through_votes();
  EXPECT_EQ(x.ctx->sent_of(msg::kDecision).size(), 2u);
  ASSERT_EQ(x.ctx->traced_of("log_error").size(), 1u);
  EXPECT_TRUE(x.ctx->traced_of("log_error")[0].fields.at("ignored").get<bool>());
  EXPECT_TRUE(x.disk.read_records("wal").empty());
  EXPECT_FALSE(x.ctx->timer("log_retry").has_value());
}

TEST(NoResend, TheMistakeSendsTheDecisionOnceAndNeverAgain) {
  CoordOnFaultyDisk fixed("basic");
  fixed.through_votes();
  EXPECT_TRUE(fixed.ctx->timer("resend").has_value());
  CoordOnFaultyDisk x("basic", Json{{"mistakes", {{"coordinator_never_resends", true}}}});
  x.through_votes();
  EXPECT_EQ(x.ctx->sent_of(msg::kDecision).size(), 2u);
  EXPECT_FALSE(x.ctx->timer("resend").has_value());
}

// One participant (p1) on one disk whose faults the test sets, restartable.
struct P1OnFaultyDisk {
  Harness h;
  DurableStore disk;
  FakeDisk faults;
  uint32_t incarnation = 0;
  std::unique_ptr<FakeContext> ctx;
  std::unique_ptr<TwoPhaseParticipant> p;

  explicit P1OnFaultyDisk(const std::string& variant, Json protocol = Json::object())
      : h(variant, std::move(protocol)) {
    disk.set_controller(&faults);
    boot();
  }
  void boot() {
    ctx = std::make_unique<FakeContext>(h.cluster, h.p1, disk, incarnation);
    p = std::make_unique<TwoPhaseParticipant>(h.settings);
    p->on_start(*ctx);
  }
  void crash_and_restart(bool tear) {
    disk.crash(0, tear);
    ++incarnation;
    boot();
  }
  void deliver(NodeId from, const Message& m) { p->on_message(*ctx, from, m); }
  void fire(const std::string& kind) {
    auto t = ctx->timer(kind);
    ASSERT_TRUE(t.has_value()) << "no pending timer " << kind;
    p->on_timer(*ctx, *t);
  }
  void execute_and_prepare(const std::string& tx) {
    deliver(h.coord, execute_msg(h, tx, Json::array({add_op("a0", -10)}), {h.p1, h.p3}));
    fire("work_done");
    deliver(h.coord, prepare_msg(h, tx, incarnation, {h.p1, h.p3}));
  }
  std::vector<std::string> votes() const {
    std::vector<std::string> out;
    for (const Sent& s : ctx->sent_of(msg::kVote)) out.push_back(s.message.fields().at("vote").get<std::string>());
    return out;
  }
};

TEST(ParticipantLogFailure, APreparedRecordTheDiskRefusesMakesTheVoteNo) {
  P1OnFaultyDisk x("basic");
  x.faults.writes_fail = true;
  x.execute_and_prepare("coord.0.1");
  EXPECT_EQ(x.votes(), std::vector<std::string>{"no"});
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kAborted);
  EXPECT_FALSE(x.p->holds_locks("coord.0.1"));
}

TEST(ParticipantLogFailure, AFailedSyncOfPreparedIsTriedAgainWithNoVoteMeanwhile) {
  P1OnFaultyDisk x("basic");
  x.faults.sync = DiskStatus::kIoError;
  x.execute_and_prepare("coord.0.1");
  // PREPARED is in the page cache and may yet reach the disk: no vote either way.
  EXPECT_TRUE(x.votes().empty());
  x.fire("log_retry");
  EXPECT_TRUE(x.votes().empty());
  x.faults.heal();
  x.fire("log_retry");
  EXPECT_EQ(x.votes(), std::vector<std::string>{"yes"});
  EXPECT_EQ(x.disk.unsynced_writes(), 0u);
}

TEST(ParticipantLogFailure, AnAbortWhilePreparedIsNotDurableIsAcknowledgedOnceTheAbortIs) {
  P1OnFaultyDisk x("presumed-commit");
  x.faults.sync = DiskStatus::kIoError;
  x.execute_and_prepare("coord.0.1");
  ASSERT_TRUE(x.votes().empty());
  x.deliver(x.h.coord, decision_msg("coord.0.1", "abort"));  // the coordinator's vote timeout
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kAborted);
  EXPECT_TRUE(x.ctx->sent_of(msg::kAck).empty());
  x.faults.heal();
  x.deliver(x.h.coord, decision_msg("coord.0.1", "abort"));  // re-sent: now durable, acknowledged
  EXPECT_EQ(x.ctx->sent_of(msg::kAck).size(), 1u);
  RecordLog wal = x.disk.read_records("wal");
  EXPECT_NE(wal[wal.size() - 1].as<rec::Abort>(), nullptr);
}

TEST(ParticipantLogFailure, AHungSyncOfPreparedIsWaitedForBeforeVotingYes) {
  P1OnFaultyDisk x("basic");
  x.faults.sync = DiskStatus::kInProgress;
  x.execute_and_prepare("coord.0.1");
  EXPECT_TRUE(x.votes().empty());
  // A duplicate PREPARE meanwhile changes nothing.
  x.deliver(x.h.coord, prepare_msg(x.h, "coord.0.1", 0, {x.h.p1, x.h.p3}));
  EXPECT_TRUE(x.votes().empty());
  x.fire("log_retry");
  EXPECT_TRUE(x.votes().empty());
  x.disk.finish_sync(x.faults.hung_through);
  x.fire("log_retry");
  EXPECT_EQ(x.votes(), std::vector<std::string>{"yes"});
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kPrepared);
}

TEST(ParticipantLogFailure, AcknowledgesTheOutcomeOnlyOnceItIsDurable) {
  P1OnFaultyDisk x("basic");
  x.execute_and_prepare("coord.0.1");
  ASSERT_EQ(x.votes(), std::vector<std::string>{"yes"});
  x.faults.sync = DiskStatus::kIoError;
  x.deliver(x.h.coord, decision_msg("coord.0.1", "commit"));
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kCommitted);
  EXPECT_TRUE(x.ctx->sent_of(msg::kAck).empty());
  // The coordinator re-sends: still not durable, still no ack.
  x.deliver(x.h.coord, decision_msg("coord.0.1", "commit"));
  EXPECT_TRUE(x.ctx->sent_of(msg::kAck).empty());
  x.faults.heal();
  x.fire("log_retry");
  EXPECT_EQ(x.ctx->sent_of(msg::kAck).size(), 1u);
  EXPECT_EQ(x.disk.unsynced_writes(), 0u);
}

TEST(ParticipantNeverInquires, TheMistakeSetsNoDecisionTimeout) {
  P1OnFaultyDisk fixed("basic");
  fixed.execute_and_prepare("coord.0.1");
  EXPECT_TRUE(fixed.ctx->timer("decision_wait").has_value());
  P1OnFaultyDisk x("basic", Json{{"mistakes", {{"participant_never_inquires", true}}}});
  x.execute_and_prepare("coord.0.1");
  EXPECT_FALSE(x.ctx->timer("decision_wait").has_value());
}

// PREPARED appended while the sync hangs, then a crash that tears it.
void tear_prepared(P1OnFaultyDisk& x) {
  x.faults.sync = DiskStatus::kInProgress;
  x.execute_and_prepare("coord.0.1");
  ASSERT_TRUE(x.votes().empty());
  x.faults.heal();
  x.crash_and_restart(/*tear=*/true);
  ASSERT_TRUE(x.disk.last_crash_tore());
}

TEST(TornRecords, WithChecksumsRecoveryDropsATornPreparedRecord) {
  P1OnFaultyDisk x("presumed-abort");
  tear_prepared(x);
  EXPECT_EQ(x.p->state_of("coord.0.1"), std::nullopt);
  ASSERT_EQ(x.ctx->traced_of("torn_record").size(), 1u);
  EXPECT_TRUE(x.ctx->traced_of("torn_record")[0].fields.at("dropped").get<bool>());
  EXPECT_TRUE(x.ctx->sent_of(msg::kInquire).empty());
  EXPECT_EQ(x.p->balance("a0"), 100);
}

TEST(TornRecords, WithoutChecksumsRecoveryDecodesGarbage) {
  P1OnFaultyDisk x("presumed-abort", Json{{"mistakes", {{"participant_no_record_checksums", true}}}});
  tear_prepared(x);
  // A transaction it never voted on, now in doubt, asking node 0 (the client) forever.
  EXPECT_EQ(x.p->state_of("coord.0.1"), State::kPrepared);
  EXPECT_FALSE(x.ctx->traced_of("torn_record")[0].fields.at("dropped").get<bool>());
  ASSERT_EQ(x.ctx->sent_of(msg::kInquire).size(), 1u);
  EXPECT_EQ(x.ctx->sent_of(msg::kInquire)[0].to, NodeId{0});
}

}  // namespace
}  // namespace dsim::twopc::testing
