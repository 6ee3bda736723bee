// Client operations, traced in one shape by every family that has clients (ring store,
// locks, 2PC; phold and heartbeat have none), so that the availability and latency
// pictures (analysis/dsim_analysis/ops.py) read every family the same way. One operation
// is two protocol events named "op" at the client, paired by the client's operation id,
// in the manner of a Jepsen history:
//
//   {"t_ns":1000,"ev":"proto","name":"op","node":"c1",
//    "data":{"type":"invoke","id":7,"op":"put","value":{"key":"k3","value":"c1-7"}}}
//   {"t_ns":5000,"ev":"proto","name":"op","node":"c1",
//    "data":{"type":"ok","id":7,"op":"put","value":{"key":"k3","value":"c1-7"}}}
//
// `type` is "invoke", then exactly one completion: "ok" (it took effect and the client
// knows it), "fail" (it certainly did not take effect: refused, aborted, rejected) or
// "unknown" (the client cannot tell: it gave up waiting, or the answer does not say —
// Jepsen's :info). `op` names the operation (get, put, acquire, write, transfer, ...);
// `value` is the operation's argument on invoke and what the client learned on completion
// (any JSON; null when there is nothing to say). `id` is unique among one client process's
// operations and counts from 1; a crash ends the process's open operations (they never
// complete, like a crashed Jepsen process's), and the restarted process may count again.
// Latency is the difference of the two events' t_ns: true simulated time, not the
// client's drifting clock.
//
// Families keep their own richer events (op_done, tx_result, acquired, ...) for their
// checkers; these two are the common record, written only through these functions (which
// trace the ClientOp below) so their shape cannot drift between families.
//
// No JSON is made unless a trace is written: the value is a struct of the family's own
// with write_fields (core/payload.h), written as the "value" object:
//   struct PutValue { static constexpr std::string_view kName = "put";
//                     std::string_view key, value;
//                     template <typename Out> void write_fields(Out& out) const; };
//   trace_op_invoke(ctx, id, "put", PutValue{...});
// A template write_fields (core/field_writer.h) lets the trace write the value's text
// directly; one that takes only Json& still works, through a Json object.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/field_writer.h"
#include "core/json.h"
#include "core/payload.h"
#include "core/process.h"

namespace dsim {

inline constexpr std::string_view kClientOpEvent = "op";

enum class OpOutcome { kOk, kFail, kUnknown };

// "ok", "fail", "unknown".
const char* op_outcome_name(OpOutcome outcome);

enum class OpPhase { kInvoke, kOk, kFail, kUnknown };

// "invoke", "ok", "fail", "unknown".
const char* op_phase_name(OpPhase phase);

namespace client_op_detail {
// Writes a V's fields, as Json or as text (null when V writes only Json).
template <PayloadType V>
void write_json(const void* v, Json& out) {
  static_cast<const V*>(v)->write_fields(out);
}
template <PayloadType V>
constexpr auto text_writer() -> void (*)(const void*, FieldWriter&) {
  if constexpr (WritesFieldText<V>) {
    return [](const void* v, FieldWriter& out) { static_cast<const V*>(v)->write_fields(out); };
  } else {
    return nullptr;
  }
}
}  // namespace client_op_detail

// The "op" event, typed. `write_value` writes the "value" object's fields (null when
// absent); `write_value_text` writes them as the trace's text (core/field_writer.h), null
// when the value type writes only a Json object. Both, and `value`, point at the caller's
// value struct, valid only during ctx.trace().
struct ClientOp {
  static constexpr std::string_view kName = kClientOpEvent;
  OpPhase phase = OpPhase::kInvoke;
  int64_t id = 0;
  std::string_view op;
  const void* value = nullptr;
  void (*write_value)(const void* value, Json& out) = nullptr;
  void (*write_value_text)(const void* value, FieldWriter& out) = nullptr;

  template <typename Out>
  void write_fields(Out& out) const {
    out["type"] = op_phase_name(phase);
    out["id"] = id;
    out["op"] = op;
    if (write_value == nullptr) {
      out["value"] = nullptr;
      return;
    }
    out["value"] = object_of([this](auto& fields) { write_value_fields(fields); });
  }
  void write_value_fields(Json& out) const { write_value(value, out); }
  void write_value_fields(FieldWriter& out) const;
};

// Traces that this client starts operation `id`; `value` is a struct with write_fields.
template <PayloadType V>
void trace_op_invoke(Context& ctx, int64_t id, std::string_view op, const V& value) {
  ctx.trace(ClientOp{OpPhase::kInvoke, id, op, &value, &client_op_detail::write_json<V>,
                     client_op_detail::text_writer<V>()});
}

// Traces how operation `id` ended; `value` is a struct with write_fields.
template <PayloadType V>
void trace_op_complete(Context& ctx, int64_t id, std::string_view op, OpOutcome outcome,
                       const V& value) {
  ctx.trace(ClientOp{outcome == OpOutcome::kOk     ? OpPhase::kOk
                     : outcome == OpOutcome::kFail ? OpPhase::kFail
                                                   : OpPhase::kUnknown,
                     id, op, &value, &client_op_detail::write_json<V>,
                     client_op_detail::text_writer<V>()});
}

}  // namespace dsim
