// What a set of sweep records says, per scenario: totals, the failing seeds grouped by
// the check they failed (failures first), and coverage — how often each fault kind, each
// protocol event and each check was exercised, and which never were.
//
// Records are keyed by (scenario hash, seed): a second record for the same key is a
// duplicate and counted once; if it disagrees with the first (other than in wall time,
// version or replay path) it is also a conflict, which is reported — a sign of a
// non-deterministic run or of results from different builds.
//
// Memory per record is small (a fingerprint and a few fields); full records are kept
// only for the first failing seeds of each check.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "explore/sweep_record.h"
#include "output/output_file.h"
#include "scenario/protocol_family.h"

namespace dsim::explore {

struct Conflict {
  uint64_t seed = 0;
  std::string scenario_hash;
  std::string first_source, other_source;
  std::string first_says, other_says;  // "pass, 812 events, ...", "fail CHECK at ...", ...
};

// An existing file at `sweep --report` or `merge --report` is replaced only if it is a
// sweep report dsim wrote (output/output_file.h).
extern const OutputKind kSweepReportOutput;

class SweepReport {
 public:
  // Names the checks a protocol offers, to list those a sweep never ran; may be empty.
  using OfferedChecks = std::function<std::vector<std::string>(const std::string& protocol)>;
  explicit SweepReport(OfferedChecks offered_checks = {});

  // Adds a record read from `source` (a file name). Returns false for a duplicate.
  bool add(const SweepRecord& record, const std::string& source);

  uint64_t unique_records() const { return keys_.size(); }
  uint64_t duplicates() const { return duplicates_; }
  uint64_t failures() const;
  const std::vector<Conflict>& conflicts() const { return conflicts_; }

  Json to_json() const;
  // The human report: failures first, then totals and coverage, per scenario.
  void print(std::ostream& out) const;

 private:
  static constexpr size_t kExamplesPerCheck = 3;
  struct Seen {
    uint64_t fingerprint;
    std::string source;
    std::string says;
  };
  struct Usage {
    uint64_t runs_enabled = 0;  // fault kinds: runs whose nemesis enabled it
    uint64_t runs = 0;          // runs in which it happened at least once
    uint64_t total = 0;         // times it happened in all runs
  };
  struct CheckFailures {
    std::vector<uint64_t> seeds;
    std::map<uint64_t, SweepRecord> examples;  // the smallest seeds, up to kExamplesPerCheck
  };
  struct ScenarioTotals {
    std::string name, protocol;
    uint64_t seeds = 0, failed = 0, bound_hits = 0;
    uint64_t seed_min = UINT64_MAX, seed_max = 0;
    int64_t wall_us = 0;
    std::set<std::string> versions;
    std::map<std::string, CheckFailures> failures;  // by check
    std::map<std::string, Usage> fault_kinds, proto_events, checks;
  };

  void aggregate(const SweepRecord& r);
  Json scenario_json(const std::string& hash, const ScenarioTotals& t) const;
  void print_scenario(std::ostream& out, const std::string& hash, const ScenarioTotals& t) const;
  std::vector<std::string> checks_never_run(const ScenarioTotals& t) const;
  static std::vector<std::string> fault_kinds_never_started(const ScenarioTotals& t);

  OfferedChecks offered_checks_;
  std::map<std::pair<std::string, uint64_t>, Seen> keys_;
  std::map<std::string, ScenarioTotals> scenarios_;  // by scenario hash
  uint64_t duplicates_ = 0;
  std::vector<Conflict> conflicts_;
};

// The checks each of `families` offers (they must outlive the result).
SweepReport::OfferedChecks offered_checks_of(const std::vector<ProtocolFamily>& families);

// A fingerprint of what a record says about its run (see same_outcome).
uint64_t outcome_fingerprint(const SweepRecord& r);

}  // namespace dsim::explore
