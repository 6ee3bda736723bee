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
// checkers; these two are the common record, written only through these functions so
// their shape cannot drift between families.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/json.h"
#include "core/process.h"

namespace dsim {

inline constexpr std::string_view kClientOpEvent = "op";

enum class OpOutcome { kOk, kFail, kUnknown };

// "ok", "fail", "unknown".
const char* op_outcome_name(OpOutcome outcome);

// Traces that this client starts operation `id`.
void trace_op_invoke(Context& ctx, int64_t id, std::string_view op, Json value = Json());

// Traces how operation `id` (invoked earlier by this client process) ended.
void trace_op_complete(Context& ctx, int64_t id, std::string_view op, OpOutcome outcome,
                       Json value = Json());

}  // namespace dsim
