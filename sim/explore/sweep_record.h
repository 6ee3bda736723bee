// One seed's result in a sweep: a single JSON line in the results file. Everything in it
// but `wall_us`, `version` and `replay` follows from (scenario, seed), so two records of
// the same scenario hash and seed must agree on the rest; merge reports them when not.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/json.h"

namespace dsim::explore {

struct SweepRecord {
  uint64_t seed = 0;
  bool failed = false;
  std::string check;               // the first violated check ("" when it passed)
  int64_t at_ns = -1;              // when that violation was detected (-1 when it passed)
  std::vector<std::string> nodes;  // the nodes it names
  std::string message;
  std::string stopped_by;          // end_of_duration, quiescent, violation, max_events, ...
  uint64_t events = 0;
  int64_t sim_time_ns = 0;
  int64_t wall_us = 0;             // wall-clock time the seed took (load + run)
  std::string scenario;            // the scenario's name
  std::string scenario_hash;       // hash of the scenario without its seed
  std::string protocol;
  std::string version;             // of the dsim that ran it
  std::vector<std::string> fault_mix;          // fault kinds the nemesis enabled (swarm)
  std::map<std::string, uint64_t> faults;      // faults started by kind (scripted + random)
  std::map<std::string, uint64_t> proto_events;  // protocol events seen, by name
  std::vector<std::string> checks;             // checks that ran
  std::string replay;                          // the command that replays this seed

  bool bound_hit() const {
    return stopped_by == "max_events" || stopped_by == "max_time" || stopped_by == "max_memory";
  }
};

Json to_json(const SweepRecord& r);
// Throws std::runtime_error naming the missing or mistyped field.
SweepRecord record_from_json(const Json& j);
// One line, ending in '\n'.
std::string to_line(const SweepRecord& r);

// True when both records say the same thing about the run (wall time, version and the
// replay command's file path aside).
bool same_outcome(const SweepRecord& a, const SweepRecord& b);
// The first field on which they differ ("" when same_outcome).
std::string first_difference(const SweepRecord& a, const SweepRecord& b);

}  // namespace dsim::explore
