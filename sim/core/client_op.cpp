#include "core/client_op.h"

#include <string>

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

}  // namespace dsim
