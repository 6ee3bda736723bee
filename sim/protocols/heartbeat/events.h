// The heartbeat detector's protocol events, as the trace shows them and settled_view
// reads them. A peer is named by its id (for checkers) and by its name (for the trace: a
// view of the cluster's name, which lives as long as the run).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/ids.h"
#include "core/json.h"

namespace dsim::heartbeat {

// This node began to suspect `peer`, silent for `silent_ns` by its local clock.
// Trace: {"peer": NAME, "silent_ns": N}.
struct Suspect {
  static constexpr std::string_view kName = "suspect";
  NodeId peer = kNoNode;
  std::string_view peer_name;
  int64_t silent_ns = 0;
  void write_fields(Json& out) const {
    out["peer"] = peer_name;
    out["silent_ns"] = silent_ns;
  }
};

// This node heard from a suspected `peer` again and trusts it. Trace: {"peer": NAME}.
struct Trust {
  static constexpr std::string_view kName = "trust";
  NodeId peer = kNoNode;
  std::string_view peer_name;
  void write_fields(Json& out) const { out["peer"] = peer_name; }
};

}  // namespace dsim::heartbeat
