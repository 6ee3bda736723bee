// Invariant checkers watch a run from outside the protocol: they see the protocol's
// trace events and the simulator's fault events, keep their own model of what must hold,
// and report violations. A checker that only measures (never reports) is an observer:
// it contributes metrics to the summary.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cluster.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/message.h"
#include "core/payload.h"
#include "core/time.h"

namespace dsim {

struct Violation {
  std::string check;               // the checker's name, e.g. "atomicity"
  Instant at;                      // global (true) time it was detected
  std::vector<std::string> nodes;  // the nodes involved
  std::string message;             // one sentence a person can act on
  Json details = Json::object();   // structured evidence (ids, tokens, times)
};

// One event as a checker sees it. `event` is the trace's event name: a protocol event
// ("lock_granted", ...) or a simulator event ("crash", "restart", "pause", "resume",
// "partition", "heal", "clock_jump", "clock_drift"). Network events come separately.
// A protocol event (ctx.trace(E{...})) and a simulator event (core/fault_events.h) are
// read with as<E>(): a pointer compare and the struct itself, no JSON. fields() gives
// every event as JSON; for a typed event it is built on first call, so a checker that
// reads many events should not call it.
struct Observation {
  // An event as JSON: tests hand checkers protocol events (from_protocol true) and
  // simulator events (false) this way; a checker that reads as<E>() sees none.
  Observation(Instant at_, Instant local_, std::string_view event_, NodeId node_,
              const Json& json_fields, bool from_protocol_, uint64_t seq_)
      : at(at_), local(local_), event(event_), node(node_), json_fields_(&json_fields),
        from_protocol(from_protocol_), seq(seq_) {}
  // A typed event: a protocol's (from_protocol true) or the simulator's (false).
  Observation(Instant at_, Instant local_, PayloadRef typed_event, NodeId node_, uint64_t seq_,
              bool from_protocol_ = true)
      : at(at_), local(local_), event(typed_event.name()), node(node_), typed(typed_event),
        from_protocol(from_protocol_), seq(seq_) {}

  Instant at;          // global time
  Instant local;       // the node's local clock at that moment
  std::string_view event;
  NodeId node;         // kNoNode for cluster-wide events (partition, heal)
  PayloadRef typed;    // the typed event; empty for one given as JSON

  template <PayloadType E>
  const E* as() const {
    return typed.as<E>();
  }
  const Json& fields() const {
    if (json_fields_ != nullptr) return *json_fields_;
    if (!built_) built_ = typed.fields();
    return *built_;
  }

 private:
  const Json* json_fields_ = nullptr;
  mutable std::optional<Json> built_;

 public:
  bool from_protocol;  // true for ctx.trace() events
  uint64_t seq;        // 0, 1, 2, ... over all of the run's events (a checker that chose its
                       // event_kinds sees only some)
};

// One message event, as a checker that asks for network events sees it. The message is
// handed over as it is, not copied into JSON: there is one of these per send and per
// delivery, so they must cost next to nothing.
struct NetworkEvent {
  Instant at;              // global time
  std::string_view event;  // "send", "deliver", "drop" or "duplicate"
  NodeId from, to;
  MessageId id;
  const Message& message;
  const char* reason;  // why it was dropped, or "after_pause"; nullptr otherwise
};

// The kinds of the event types E... (for Checker::event_kinds).
template <PayloadType... E>
std::vector<const PayloadKind*> kinds_of() {
  return {&payload_detail::kind_of<E>()...};
}

// What a checker may ask of the run.
class CheckerView {
 public:
  virtual ~CheckerView() = default;
  virtual const Cluster& cluster() const = 0;
  virtual Instant now() const = 0;  // global time
  virtual uint64_t seed() const = 0;
  virtual bool node_up(NodeId n) const = 0;
  // The global time since which no crash, pause, partition or link window has been in
  // effect; Instant::max() while one is. Liveness checks count from here.
  virtual Instant faults_quiet_since() const = 0;
  // False when a bound or an interrupt cut the run short: liveness cannot be judged.
  virtual bool ran_to_end() const = 0;
  virtual void report(Violation v) = 0;
};

class Checker {
 public:
  virtual ~Checker() = default;
  virtual std::string_view name() const = 0;
  virtual void observe(const Observation& o, CheckerView& view) = 0;
  // The kinds of event observe() reads (PayloadRef::kind(): a protocol event's type or a
  // simulator event's, core/fault_events.h); a run then shows it only events of these
  // kinds, and a checker is not even called for the rest (check/checker_routes.h). Empty,
  // the default: every event. Asked once, when the checker is added to a run. Code that
  // calls observe() itself (a wrapper, the unit tests' fake view) keeps to the same rule:
  // check/chosen_kinds.h.
  virtual std::vector<const PayloadKind*> event_kinds() const { return {}; }
  // Opt in to network events, handed to observe_network.
  virtual bool wants_network_events() const { return false; }
  virtual void observe_network(const NetworkEvent& e, CheckerView& view) { (void)e, (void)view; }
  // The run stopped, for whatever reason: called once, first, before finish() (which a
  // run stopped by a violation does not call). view.now() is when it stopped: for a check
  // that measures up to the end without seeing every event.
  virtual void stopped(CheckerView& view) { (void)view; }
  // End of run: final invariants and liveness.
  virtual void finish(CheckerView& view) { (void)view; }
  // Adds this checker's figures to the summary's metrics (under its own name).
  virtual void write_metrics(Json& out) const { (void)out; }
};

}  // namespace dsim
