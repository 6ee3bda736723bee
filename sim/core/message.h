// What travels between nodes. A message is a type name plus a JSON body of named fields:
// self-describing in traces, and cheap when empty (a null body allocates nothing, and a
// short type name stays in std::string's inline buffer), which keeps hot workloads fast.
#pragma once

#include <string>

#include "core/json.h"

namespace dsim {

struct Message {
  std::string type;  // e.g. "prepare", "grant"; protocols dispatch on it
  Json body;         // named fields; null when the type says it all

  Message() = default;
  explicit Message(std::string t, Json b = nullptr) : type(std::move(t)), body(std::move(b)) {}
};

}  // namespace dsim
