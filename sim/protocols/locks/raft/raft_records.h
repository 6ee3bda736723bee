// What a Raft server keeps on disk (paper Figure 2, "persistent state on all servers"):
// the hard state (currentTerm, votedFor) under one key, rewritten on every change, and
// the log as an append-only WAL of entries. An entry appended at an index that already
// has one supersedes it and everything after it (the conflict truncation of §5.3), as
// in etcd's WAL: recovery replays the records in order with that rule. Both are synced
// before the server answers a vote or acknowledges entries.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/json.h"
#include "protocols/locks/raft/raft_types.h"

namespace dsim::locks::raft {

inline constexpr const char* kHardStateKey = "raft_hard_state";
inline constexpr const char* kLogName = "raft_log";

struct HardState {
  static constexpr std::string_view kName = "raft_hard_state";
  int64_t term = 0;
  int64_t voted_for = -1;  // a NodeId, -1: none in this term
  void write_fields(Json& out) const {
    out["term"] = term;
    out["voted_for"] = voted_for;
  }
};

struct LogRecord {
  static constexpr std::string_view kName = "raft_entry";
  int64_t index = 0;
  Entry entry{};
  void write_fields(Json& out) const {
    out["index"] = index;
    out["term"] = entry.term;
    entry.command.write_fields(out);
  }
};

}  // namespace dsim::locks::raft
