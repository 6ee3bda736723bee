// PHOLD's protocol events, as the trace shows them and its check reads them.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/json.h"

namespace dsim::phold {

// A node's first boot made `count` tokens. Trace: {"count": N}.
struct TokensCreated {
  static constexpr std::string_view kName = "tokens_created";
  int64_t count = 0;
  void write_fields(Json& out) const { out["count"] = count; }
};

}  // namespace dsim::phold
