#include "trace/json_trace_observer.h"

#include "trace/json_line.h"

namespace dsim {

const Json& JsonTraceObserver::fields_of(PayloadRef payload) {
  // Emptied, not rebuilt: clear() keeps the object's storage, so a line whose fields are
  // all numbers and short strings allocates nothing. A write_fields that replaced the
  // object itself (not expected) is answered by a fresh one.
  if (fields_.is_object()) {
    fields_.clear();
  } else {
    fields_ = Json::object();
  }
  payload.write_fields(fields_);
  return fields_;
}

void JsonTraceObserver::network(int64_t t_ns, std::string_view event, NodeId from, NodeId to,
                                MessageId id, const Message& m, const char* reason) {
  JsonLine line(writer_.begin_line(), JsonLine::Append{});
  line.add("t_ns", t_ns).add("ev", event);
  line.add("from", cluster_.name(from)).add("to", cluster_.name(to));
  line.add("id", id).add("msg", m.type());
  if (reason != nullptr) line.add("reason", reason);
  if (event == "send" && m.has_fields()) {
    if (m.ref().writes_text()) {
      line.add_fields("body", m.ref(), false);
    } else {
      line.add("body", fields_of(m.ref()));
    }
  }
  line.finish();
  writer_.end_line();
}

void JsonTraceObserver::timer(int64_t t_ns, NodeId node, std::string_view kind, int64_t arg,
                              const char* released) {
  JsonLine line(writer_.begin_line(), JsonLine::Append{});
  line.add("t_ns", t_ns).add("ev", "timer").add("node", cluster_.name(node));
  line.add("kind", kind).add("arg", arg);
  if (released != nullptr) line.add(released, true);
  line.finish();
  writer_.end_line();
}

void JsonTraceObserver::event(int64_t t_ns, PayloadRef event, NodeId node, Instant local) {
  JsonLine line(writer_.begin_line(), JsonLine::Append{});
  line.add("t_ns", t_ns).add("ev", event.name());
  if (node != kNoNode) {
    line.add("node", cluster_.name(node));
    if (local.ns != t_ns) line.add("local_ns", local.ns);
  }
  if (event.has_fields()) {
    const Json& fields = fields_of(event);
    if (!fields.empty()) line.add("data", fields);
  }
  line.finish();
  writer_.end_line();
}

void JsonTraceObserver::typed_event(int64_t t_ns, PayloadRef event, NodeId node, Instant local) {
  JsonLine line(writer_.begin_line(), JsonLine::Append{});
  line.add("t_ns", t_ns).add("ev", "proto").add("name", event.name());
  line.add("node", cluster_.name(node));
  if (local.ns != t_ns) line.add("local_ns", local.ns);
  if (event.writes_text()) {
    line.add_fields("data", event, true);
  } else if (event.has_fields()) {
    const Json& fields = fields_of(event);
    if (!fields.empty()) line.add("data", fields);
  }
  line.finish();
  writer_.end_line();
}

void JsonTraceObserver::violation(int64_t t_ns, const Violation& v) {
  JsonLine line(writer_.begin_line(), JsonLine::Append{});
  line.add("t_ns", t_ns).add("ev", "violation").add("check", v.check);
  line.add("nodes", Json(v.nodes)).add("message", v.message).add("data", v.details);
  line.finish();
  writer_.end_line(/*always=*/true);
}

}  // namespace dsim
