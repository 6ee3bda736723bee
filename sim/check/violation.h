// One way to build a violation report, so every check fills the same fields the same way:
//   view.report(violation("settled_view", view.now(), {a, b}, a + " still suspects " + b));
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "check/checker.h"
#include "core/json.h"
#include "core/payload.h"
#include "core/time.h"

namespace dsim {

// `check`: the checker's name; `at`: global time of detection; `nodes`: the nodes involved
// (names); `message`: one sentence a person can act on; `details`: structured evidence (a
// JSON object; empty by default).
inline Violation violation(std::string_view check, Instant at, std::vector<std::string> nodes,
                           std::string message, Json details = Json::object()) {
  Violation v;
  v.check = std::string(check);
  v.at = at;
  v.nodes = std::move(nodes);
  v.message = std::move(message);
  v.details = std::move(details);
  return v;
}

// A typed protocol event as JSON, the way the trace shows its fields: evidence for a
// violation's details. Built only when a violation is reported.
template <PayloadType E>
Json event_json(const E& event) {
  Json out = Json::object();
  event.write_fields(out);
  return out;
}

}  // namespace dsim
