// The protocol side of a node. A Process is a state machine: the simulator hands it
// start, messages and timers; it answers through its Context. It owns no clock, socket,
// thread, file or random source of its own, so a test can drive it by hand.
//
// A crash destroys the Process (its volatile state is gone) and cancels its timers; a
// restart builds a fresh one, which finds only what it had synced in ctx.storage().
#pragma once

#include <string>
#include <string_view>

#include "core/cluster.h"
#include "core/durable_store.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/message.h"
#include "core/rng.h"
#include "core/time.h"

namespace dsim {

struct Timer {
  TimerId id;
  std::string kind;  // what the protocol named it: "heartbeat", "lease_expiry", ...
  int64_t arg;       // e.g. the transaction or request it is about
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
  // Fires once, after `after` of local elapsed time. Lost on crash.
  virtual TimerId set_timer(Duration after, std::string kind, int64_t arg = 0) = 0;
  // Cancelling a timer that already fired or never existed is a no-op.
  virtual void cancel_timer(TimerId id) = 0;

  // This node's random stream (derived from the seed and the node's name).
  virtual Rng& rng() = 0;
  // Records a protocol event in the trace and shows it to the checkers.
  virtual void trace(std::string_view event, Json fields = Json::object()) = 0;
  virtual DurableStore& storage() = 0;

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
