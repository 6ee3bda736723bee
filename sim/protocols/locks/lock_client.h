// A client of the lock: the workload around any recipe. Each round it acquires the lock
// (through its recipe, which retries and waits as its service wants), then runs its
// critical section — `writes` times: check it still holds the lock, work for
// `write_time`, send the write to the resource (with its token when fencing is on) and
// wait for the answer — then releases and thinks before the next round.
//
// The check comes before the work, as in real code: a client paused during the work
// (a GC pause, a VM stall) writes afterwards without looking again. A rejected write
// means the lock was lost; the client still releases (a `finally` block does).
//
// When the client learns the lock is lost it stops the critical section — after
// `stop_delay` more of work, if set (real clients take seconds to stop a child process);
// during that time it writes without checking again.
//
// Trace events (events.h; the checkers and the plot read these): acquire_start, acquired,
// released (the client stopped believing it holds the lock, by choice) and lost (it
// learned it no longer holds it). Acquisitions and writes are also traced as common client
// operations, in core/client_op.h's shape (core/client_op.h's typed ClientOp, with events::OpValue): acquire (ok when granted) and
// write (ok when accepted, fail when rejected, unknown when it timed out or the hold ended
// before the answer). Releases are fire and forget, with no answer to complete them, so
// they are not operations.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "core/client_op.h"
#include "core/process.h"
#include "protocols/locks/events.h"
#include "protocols/locks/lock_recipe.h"
#include "protocols/locks/lock_settings.h"

namespace dsim::locks {

using RecipeFactory = std::function<std::unique_ptr<LockRecipe>(RecipeListener&)>;

class LockClient final : public Process, private RecipeListener {
 public:
  // `resource` may be kNoNode when `workload.writes` is 0.
  LockClient(const WorkloadSettings& workload, bool fencing, NodeId resource,
             const RecipeFactory& make_recipe);

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

  bool believes_it_holds() const { return believing_; }
  int64_t rounds_started() const { return round_; }

 private:
  enum class Phase { kThinking, kAcquiring, kHolding, kDone };

  void on_granted(Context& ctx, const Grant& grant) override;
  void on_lost(Context& ctx, std::string_view reason) override;
  bool worker_alive(Context& ctx) const override;
  // The client learned the lock is lost: stop now, or after `stop_delay` of more work.
  void lost(Context& ctx, std::string_view reason);

  Duration first_start(Context& ctx) const;
  void begin_round(Context& ctx);
  void next_write(Context& ctx);
  void send_write(Context& ctx);
  // Traces "lost" (with the reason) or "released", if the client believed it held the lock.
  void stop_believing(Context& ctx, bool lost, std::string_view reason);
  // The operation event of the write in progress.
  // The "op" record's value for the write in progress.
  events::OpValue write_value() const;
  void end_hold(Context& ctx);
  void complete_write(Context& ctx, OpOutcome outcome);

  WorkloadSettings w_;
  bool fencing_;
  NodeId resource_;
  std::unique_ptr<LockRecipe> recipe_;
  Phase phase_ = Phase::kThinking;
  bool believing_ = false;
  int64_t round_ = 0;
  std::string owner_;
  std::optional<int64_t> token_;
  int64_t writes_done_ = 0;
  TimerId work_timer_ = 0;
  TimerId write_timer_ = 0;
  int64_t ops_invoked_ = 0;  // client operation ids (core/client_op.h)
  int64_t acquire_op_ = 0;   // the acquisition in progress, 0 when none
  int64_t write_op_ = 0;     // the write awaiting its answer, 0 when none
  Instant last_progress_;    // the worker's last step (grant, work done, write answered)
  bool stopping_ = false;    // lost, still working for stop_delay
  TimerId stop_timer_ = 0;
};

}  // namespace dsim::locks
