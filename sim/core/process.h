// The protocol side of a node. A Process is a state machine: the simulator hands it
// start, messages and timers; it answers through its Context. It owns no clock, socket,
// thread, file or random source of its own, so a test can drive it by hand.
//
// A crash destroys the Process (its volatile state is gone) and cancels its timers; a
// restart builds a fresh one, which finds only what it had synced in ctx.storage().
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

#include "core/cluster.h"
#include "core/durable_store.h"
#include "core/ids.h"
#include "core/message.h"
#include "core/payload.h"
#include "core/rng.h"
#include "core/time.h"

namespace dsim {

// A timer's kind: a value of the family's own enum and its name in the trace.
//   enum class LockTimer : uint32_t { kRenew, kExpiry };
//   std::string_view timer_name(LockTimer k);  // found by argument-dependent lookup; the
//                                              // names must be string literals
//   ctx.set_timer(ms(100), LockTimer::kRenew);  ...  if (timer.is(LockTimer::kRenew))
struct TimerKind {
  uint32_t code = 0;      // the enum's value
  std::string_view name;  // timer_name(kind): a literal, so it outlives every timer
};

struct Timer {
  TimerId id;
  std::string_view kind;  // its name in the trace: "heartbeat", "lease_expiry", ...
  int64_t arg;            // e.g. the transaction or request it is about
  uint32_t code = 0;      // the family's enum value (TimerKind::code)

  template <typename E>
    requires std::is_enum_v<E>
  bool is(E kind) const {
    return code == static_cast<uint32_t>(kind);
  }
  template <typename E>
    requires std::is_enum_v<E>
  E kind_as() const {
    return static_cast<E>(code);
  }
};

// The one door to the world for protocol code.
class Context {
 public:
  virtual ~Context() = default;

  virtual NodeId self() const = 0;
  virtual const Cluster& cluster() const = 0;
  // The node's local wall clock (drifts and jumps with the node's clock faults).
  virtual Instant now() const = 0;
  // 0 on first boot, then 1, 2, ... after each restart.
  virtual uint32_t incarnation() const = 0;

  // Sends over the simulated network (latency, loss, duplication, partitions apply).
  // Sending to oneself is allowed and also goes through the network.
  virtual void send(NodeId to, Message message) = 0;
  // Fires once, after `after` of local elapsed time. Lost on crash. The kind's name must
  // be a string literal (set_timer passes timer_name(kind)).
  virtual TimerId start_timer(Duration after, TimerKind kind, int64_t arg) = 0;
  template <typename E>
    requires std::is_enum_v<E>
  TimerId set_timer(Duration after, E kind, int64_t arg = 0) {
    return start_timer(after, TimerKind{static_cast<uint32_t>(kind), timer_name(kind)}, arg);
  }
  // Cancelling a timer that already fired or never existed is a no-op.
  virtual void cancel_timer(TimerId id) = 0;

  // This node's random stream (derived from the seed and the node's name).
  virtual Rng& rng() = 0;
  // Records a protocol event in the trace and shows it to the checkers: a struct of the
  // family's own (payload.h: kName and write_fields); checkers read it with
  // Observation::as<E>(), and its JSON is built only while a trace is written.
  template <PayloadType E>
  void trace(const E& event) {
    trace_event(PayloadRef::to(event));
  }
  // What trace() calls: `event` is valid only during the call (copy it to keep it).
  virtual void trace_event(PayloadRef event) = 0;
  virtual DurableStore& storage() = 0;
  // Makes every write so far durable, as storage().sync() does, and fires the timer
  // (kind, arg) once they are: at once on a healthy disk (a zero-delay timer), after the
  // drawn extra latency on a slow disk (disk_slow), at the end of a hang (disk_fail with
  // "hang"). Returns what sync() returned; on kIoError (syncs fail) no timer fires and
  // nothing was made durable. The timer is lost on a crash like any other.
  template <typename E>
    requires std::is_enum_v<E>
  DiskStatus sync_async(E kind, int64_t arg = 0) {
    return start_sync(TimerKind{static_cast<uint32_t>(kind), timer_name(kind)}, arg);
  }
  // The default suits a context without disk faults (a test's fake): sync, then a timer.
  virtual DiskStatus start_sync(TimerKind kind, int64_t arg) {
    DiskStatus s = storage().sync();
    if (s != DiskStatus::kIoError) start_timer(Duration::zero(), kind, arg);
    return s;
  }

  const std::string& name() const { return cluster().name(self()); }
  const std::string& role() const { return cluster().role(self()); }
};

class Process {
 public:
  virtual ~Process() = default;
  // First boot (incarnation 0) and every restart (recover from ctx.storage()).
  virtual void on_start(Context& ctx) = 0;
  virtual void on_message(Context& ctx, NodeId from, const Message& message) = 0;
  virtual void on_timer(Context& ctx, const Timer& timer) = 0;
};

}  // namespace dsim
