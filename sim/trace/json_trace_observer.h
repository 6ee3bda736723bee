// Writes what happens in a run as JSON lines: the presentation of the world that
// core/simulation.cpp keeps. The simulation calls it only while a trace is open, so a run
// without a trace builds no line and no JSON at all (typed messages and events are turned
// into JSON here, and only here).
//
// Line shapes (t_ns is global simulated time in ns; nodes are named as in the scenario):
//   {"t_ns","ev":"send"|"deliver"|"drop"|"duplicate","from","to","id","msg","reason"?,"body"?}
//       (the body only on "send", and only for a message with fields)
//   {"t_ns","ev":"timer","node","kind","arg","after_pause"? or "after_stall"?}
//   {"t_ns","ev":"proto","name","node","local_ns"?,"data"?}      a protocol event
//   {"t_ns","ev":<fault>,"node"?,"local_ns"?,"data"?}            a simulator event
//   {"t_ns","ev":"violation","check","nodes","message","data"}   written past the byte budget
// local_ns appears only when the node's clock differs from global time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "check/checker.h"
#include "core/cluster.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/message.h"
#include "core/payload.h"
#include "core/time.h"
#include "trace/trace_writer.h"

namespace dsim {

class JsonTraceObserver {
 public:
  // `writer` and `cluster` must outlive the observer.
  JsonTraceObserver(TraceWriter& writer, const Cluster& cluster) : writer_(writer), cluster_(cluster) {}

  void network(int64_t t_ns, std::string_view event, NodeId from, NodeId to, MessageId id,
               const Message& m, const char* reason);
  // `released`: null, or why the timer fires late ("after_pause", "after_stall"), written
  // as that key with the value true.
  void timer(int64_t t_ns, NodeId node, std::string_view kind, int64_t arg, const char* released);
  // A simulator event (core/fault_events.h: crash, partition, ...); node may be kNoNode
  // (cluster-wide: partition, heal).
  void event(int64_t t_ns, PayloadRef event, NodeId node, Instant local);
  // A protocol event (ctx.trace).
  void typed_event(int64_t t_ns, PayloadRef event, NodeId node, Instant local);
  void violation(int64_t t_ns, const Violation& v);

  TraceWriter& writer() { return writer_; }

 private:
  TraceWriter& writer_;
  const Cluster& cluster_;
  // The payload's fields in fields_ (valid until the next call).
  const Json& fields_of(PayloadRef payload);

  Json fields_ = Json::object();  // reused for every typed payload's fields
};

}  // namespace dsim
