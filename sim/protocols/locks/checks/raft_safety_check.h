// Raft's safety properties (Ongaro & Ousterhout 2014, Figure 3), checked on the servers'
// raft_* events (raft/raft_events.h) as they happen:
//   - election safety: at most one leader per term;
//   - log matching: two entries with the same index and term hold the same command and
//     follow entries of the same term (which, by induction over the index, makes the logs
//     identical up to there);
//   - leader completeness: a leader of a term later than a commit has the committed entry
//     (checked at the highest commit index, when a leader is elected and, for the leaders
//     of later terms still in office, when the commit happens);
//   - state-machine safety: no two servers apply different entries at one index.
// Runs on every locks run; variants without a Raft group trace none of these events.
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "check/checker.h"

namespace dsim::locks {

class RaftSafetyCheck final : public Checker {
 public:
  std::string_view name() const override { return "raft_safety"; }
  void observe(const Observation& o, CheckerView& view) override;
  void write_metrics(Json& out) const override;

 private:
  struct EntryInfo {
    uint64_t digest = 0;
    int64_t prev_term = 0;
    NodeId node = kNoNode;  // the first server seen holding it
  };
  struct Commit {
    int64_t index = 0;
    int64_t entry_term = 0;
    int64_t term = 0;  // the committing leader's
  };
  void violation(const Observation& o, CheckerView& view, std::string property, std::vector<NodeId> nodes,
                 std::string message, Json details);
  // Reports when the leader `node` of `term` lacks the committed entry c.
  void check_completeness(const Observation& o, CheckerView& view, NodeId node, int64_t term, const Commit& c);

  std::map<int64_t, NodeId> leaders_;                           // by term
  std::map<NodeId, int64_t> in_office_;                          // leader -> its term
  std::map<std::pair<int64_t, int64_t>, EntryInfo> entries_;    // (index, term)
  std::map<NodeId, std::vector<int64_t>> logs_;                  // the terms of each server's log
  Commit highest_;
  std::map<int64_t, std::pair<int64_t, uint64_t>> applied_;      // index -> (term, digest)
  std::map<int64_t, NodeId> applied_by_;
  uint64_t commits_ = 0;
  uint64_t applications_ = 0;
  uint64_t violations_ = 0;
};

}  // namespace dsim::locks
