#include "core/client_op.h"

#include <string>

#include "core/json_object.h"

namespace dsim {

const char* op_outcome_name(OpOutcome outcome) {
  switch (outcome) {
    case OpOutcome::kOk: return "ok";
    case OpOutcome::kFail: return "fail";
    case OpOutcome::kUnknown: return "unknown";
  }
  return "unknown";
}

const char* op_phase_name(OpPhase phase) {
  switch (phase) {
    case OpPhase::kInvoke: return "invoke";
    case OpPhase::kOk: return "ok";
    case OpPhase::kFail: return "fail";
    case OpPhase::kUnknown: return "unknown";
  }
  return "unknown";
}

void ClientOp::write_value_fields(FieldWriter& out) const {
  if (write_value_text != nullptr) {
    write_value_text(value, out);
    return;
  }
  // A value type that writes only Json: its object's members, in order.
  Json fields = Json::object();
  write_value(value, fields);
  for (const auto& [key, field] : fields.get_ref<const Json::object_t&>()) out[key] = field;
}

void trace_op_invoke(Context& ctx, int64_t id, std::string_view op, Json value) {
  ctx.trace(kClientOpEvent, json_object("type", "invoke", "id", id, "op", std::string(op),
                                        "value", std::move(value)));
}

void trace_op_complete(Context& ctx, int64_t id, std::string_view op, OpOutcome outcome,
                       Json value) {
  ctx.trace(kClientOpEvent, json_object("type", op_outcome_name(outcome), "id", id,
                                        "op", std::string(op), "value", std::move(value)));
}

}  // namespace dsim
