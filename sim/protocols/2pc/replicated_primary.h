// The primary of a replicated participant group (role "participant" when the scenario has
// replica nodes): a TwoPhaseParticipant that serves the branch, wrapped in a shipper of
// its write-ahead log to the group's replica (replication.h).
//
// - Shipping: every `interval` a heartbeat carries the records the replica has not
//   acknowledged (async: this is the only shipping, so the replica lags by up to an
//   interval). Sync mode also ships at once after each step that wrote records, and holds
//   every message that step sent (a vote after PREPARED, an ack after COMMIT) until the
//   replica acknowledged the log up to there: MySQL's semi-synchronous replication with
//   AFTER_SYNC, for the participant's prepare and outcome records alike. The log is
//   synced before it is shipped (sync_binlog=1), so the replica never holds a record its
//   primary could lose.
// - Lease: a heartbeat the replica acknowledges lets the primary serve until `lease`
//   after it was sent. Both a timer armed at the send (so a clock jump cannot stretch
//   it) and the local clock (so a paused primary, handed its backlog of messages before
//   its timers on resume, sees that the lease ran out) must agree that it holds. A primary whose lease lapsed steps down: it drops its volatile state and
//   messages, serves nothing, and when a heartbeat is acknowledged again it recovers from
//   its log as after a restart. A (re)started primary serves only after its first ack.
// - Demotion: the replica answers `fenced` once it was promoted; the primary then serves
//   no more and points whoever asks at the new primary (new_primary).
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/process.h"
#include "protocols/2pc/events.h"
#include "protocols/2pc/replication.h"
#include "protocols/2pc/settings.h"
#include "protocols/2pc/two_phase_participant.h"

namespace dsim::twopc {

class ReplicatedPrimary final : public Process {
 public:
  explicit ReplicatedPrimary(std::shared_ptr<const Settings> settings);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

  // For tests and tools.
  bool serving() const { return inner_ != nullptr; }
  bool demoted() const { return demoted_; }
  size_t held_messages() const { return held_.size(); }  // messages and vote events held
  int64_t acked() const { return acked_; }  // -1 until the replica first answers
  const TwoPhaseParticipant* participant() const { return inner_.get(); }

 private:
  // What a step of the wrapped participant put out: a message, or (sync) a vote's trace
  // event, which is traced when the vote is sent, as that is when it becomes a promise.
  struct Output {
    NodeId to = kNoNode;
    Message message;
    std::optional<std::pair<TxId, ev::VoteCast>> vote;  // tx, the event
  };
  struct Held {
    int64_t need;  // the replica must hold this many records first
    Output out;
  };
  void emit(Context& ctx, Output& out);
  // Runs one step of the wrapped participant, then ships and sends (or holds) its output.
  template <typename Step>
  void step(Context& ctx, Step&& run);
  void heartbeat(Context& ctx);
  void ship(Context& ctx);
  void on_ack(Context& ctx, const msg::ReplAck& ack);
  bool leased(Context& ctx) const { return acked_beat_ > expired_beat_ && ctx.now() < lease_until_; }
  void start_serving(Context& ctx);
  void check_lease(Context& ctx);
  void drop_state(Context& ctx);
  void release(Context& ctx);
  static int64_t log_length(Context& ctx);

  std::shared_ptr<const Settings> s_;
  NodeId replica_ = kNoNode;
  std::unique_ptr<TwoPhaseParticipant> inner_;
  std::set<TimerId> inner_timers_;
  std::vector<Output> step_out_;
  std::deque<Held> held_;
  int64_t beat_ = 0;           // heartbeats sent this incarnation
  int64_t acked_beat_ = -1;    // the latest one acknowledged
  int64_t expired_beat_ = -1;  // the latest one whose lease ran out
  std::map<int64_t, Instant> sent_at_;  // local send time of beats neither acked nor expired
  Instant lease_until_ = Instant::zero();  // local time, from the latest acked beat
  int64_t acked_ = -1;
  int64_t shipped_ = 0;
  bool demoted_ = false;
};

}  // namespace dsim::twopc
