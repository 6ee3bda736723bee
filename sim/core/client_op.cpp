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

void ClientOp::write_fields(Json& out) const {
  static constexpr const char* kPhaseNames[] = {"invoke", "ok", "fail", "unknown"};
  out["type"] = kPhaseNames[static_cast<int>(phase)];
  out["id"] = id;
  out["op"] = std::string(op);
  if (write_value == nullptr) {
    out["value"] = nullptr;
    return;
  }
  Json value = Json::object();
  write_value(this->value, value);
  out["value"] = std::move(value);
}

}  // namespace dsim
