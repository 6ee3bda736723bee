// Runs a candidate scenario document and says how it ended: the shrinker's oracle. A
// document that does not load is not an error here, just a candidate to reject.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/json.h"
#include "scenario/scenario.h"

namespace dsim::explore {

struct Verdict {
  bool loaded = false;
  std::string load_error;  // when not loaded
  bool failed = false;
  std::string check;       // the first violated check
  int64_t at_ns = -1;
  uint64_t events = 0;
  size_t nodes = 0;
  std::map<std::string, size_t> nodes_by_role;
};

// Loads `document` (file name `label` in errors) and runs it without a trace.
Verdict judge_document(const ScenarioLoader& loader, const Json& document,
                       const std::string& label);

}  // namespace dsim::explore
