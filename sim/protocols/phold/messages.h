// PHOLD's one message: a token. It has no body (the trace shows none), so in flight it
// costs only the message header.
#pragma once

#include <string_view>

#include "core/json.h"

namespace dsim::phold {

struct Token {
  static constexpr std::string_view kName = "token";
  void write_fields(Json&) const {}
};

}  // namespace dsim::phold
