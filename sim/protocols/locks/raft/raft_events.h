// The Raft events every server traces, which the safety checker
// (checks/raft_safety_check.h) reads: elections won, entries put in a log (with the
// previous entry's term, so log matching can be checked entry by entry), the log a
// restarted server recovered, commits (by the leader) and applications.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/json.h"

namespace dsim::locks::raft::events {

// A server became leader of `term`; its log ends at (last_index, last_term).
struct BecameLeader {
  static constexpr std::string_view kName = "raft_leader";
  int64_t term = 0;
  int64_t last_index = 0;
  int64_t last_term = 0;
  void write_fields(Json& out) const {
    out["term"] = term;
    out["last_index"] = last_index;
    out["last_term"] = last_term;
  }
};

// The leader of `term` stopped leading (a higher term, or check-quorum).
struct SteppedDown {
  static constexpr std::string_view kName = "raft_step_down";
  int64_t term = 0;
  void write_fields(Json& out) const { out["term"] = term; }
};

// The server's log now has, at `index`, an entry of `term` holding a command with
// `digest`, after an entry of `prev_term` (0 at index 1); anything it had from `index`
// on is gone.
struct Appended {
  static constexpr std::string_view kName = "raft_append";
  int64_t index = 0;
  int64_t term = 0;
  int64_t prev_term = 0;
  uint64_t digest = 0;
  void write_fields(Json& out) const {
    out["index"] = index;
    out["term"] = term;
    out["prev_term"] = prev_term;
    out["digest"] = digest;
  }
};

// After a restart: the log recovered from disk ends at (last_index, last_term).
struct Restored {
  static constexpr std::string_view kName = "raft_restored";
  int64_t term = 0;
  int64_t last_index = 0;
  int64_t last_term = 0;
  void write_fields(Json& out) const {
    out["term"] = term;
    out["last_index"] = last_index;
    out["last_term"] = last_term;
  }
};

// The leader of `term` advanced its commit index to `index`, whose entry has `entry_term`.
struct Committed {
  static constexpr std::string_view kName = "raft_commit";
  int64_t term = 0;
  int64_t index = 0;
  int64_t entry_term = 0;
  void write_fields(Json& out) const {
    out["term"] = term;
    out["index"] = index;
    out["entry_term"] = entry_term;
  }
};

// The server applied the entry at `index` (of `term`, command `digest`) to its state machine.
struct Applied {
  static constexpr std::string_view kName = "raft_apply";
  int64_t index = 0;
  int64_t term = 0;
  uint64_t digest = 0;
  void write_fields(Json& out) const {
    out["index"] = index;
    out["term"] = term;
    out["digest"] = digest;
  }
};

}  // namespace dsim::locks::raft::events
