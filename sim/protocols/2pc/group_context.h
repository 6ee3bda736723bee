// The Context a replicated role hands to the process it wraps (a participant inside a
// primary or a promoted replica, a coordinator behind its router): everything goes to
// the node's own Context except what the wrapper changes. self() answers the group's
// name, so the wrapped participant owns the group's accounts; sends go to the wrapper's
// `on_send`; timers the wrapped process sets are remembered, so a primary that steps
// down can cancel every one of them; `on_trace` may take an event to trace it later (a
// vote, traced when the vote leaves).
#pragma once

#include <functional>
#include <set>

#include "core/process.h"

namespace dsim::twopc {

class GroupContext final : public Context {
 public:
  using SendHook = std::function<void(NodeId to, Message message)>;
  // Returns true when it took the event (to trace it later itself).
  using TraceHook = std::function<bool(PayloadRef event)>;
  // `timers` (may be null) collects the ids of the timers set through this context.
  GroupContext(Context& outer, NodeId self, SendHook on_send, std::set<TimerId>* timers,
               TraceHook on_trace = nullptr)
      : outer_(outer), self_(self), on_send_(std::move(on_send)), timers_(timers), on_trace_(std::move(on_trace)) {}

  NodeId self() const override { return self_; }
  const Cluster& cluster() const override { return outer_.cluster(); }
  Instant now() const override { return outer_.now(); }
  uint32_t incarnation() const override { return outer_.incarnation(); }
  void send(NodeId to, Message message) override { on_send_(to, std::move(message)); }
  TimerId start_timer(Duration after, TimerKind kind, int64_t arg) override {
    TimerId id = outer_.start_timer(after, kind, arg);
    if (timers_ != nullptr) timers_->insert(id);
    return id;
  }
  void cancel_timer(TimerId id) override {
    if (timers_ != nullptr) timers_->erase(id);
    outer_.cancel_timer(id);
  }
  Rng& rng() override { return outer_.rng(); }
  void trace_event(PayloadRef event) override {
    if (on_trace_ && on_trace_(event)) return;
    outer_.trace_event(event);
  }
  DurableStore& storage() override { return outer_.storage(); }
  DiskStatus start_sync(TimerKind kind, int64_t arg) override { return outer_.start_sync(kind, arg); }

 private:
  Context& outer_;
  NodeId self_;
  SendHook on_send_;
  std::set<TimerId>* timers_;
  TraceHook on_trace_;
};

}  // namespace dsim::twopc
