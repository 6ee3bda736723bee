// Shrinks a failing scenario to a smaller one that still fails the same check.
//
// It starts from a self-contained document (an explicit fault schedule, the seed written
// in; see explicit_schedule.h) and repeats these passes until none makes progress or the
// run budget is spent:
//   1. remove faults: delta debugging (Zeller's ddmin) over the schedule;
//   2. merge faults: two copies of the same fault whose spans overlap become one;
//   3. narrow faults: drop nodes from each fault's node lists;
//   4. shorten faults: bisect each fault's "for" down; then its size (a clock jump's
//      "by", a drift's "ppm", a slow link's "extra_latency", a lossy link's "loss");
//   5. move the schedule earlier, then shorten the run's "duration";
//   6. lower integer settings under "workload" and "nodes" (clients, keys, counts...);
//   7. drop nodes one at a time (written as {role: [names]} while needed).
// Every candidate is judged by running it; one that fails to load, passes, or fails
// another check is rejected. Each edit only ever makes the scenario smaller, so the
// result is never larger than the start. Deterministic: the passes, their order and the
// candidates depend only on the input; identical candidates are never run twice.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "core/json.h"
#include "explore/shrink_judge.h"

namespace dsim::explore {

struct ShrinkOptions {
  uint64_t max_runs = 400;  // candidates run (those that do not load are not counted)
};

// How big a scenario is, for the before/after report.
struct ScenarioSize {
  size_t faults = 0;
  size_t nodes = 0;
  std::map<std::string, size_t> nodes_by_role;
  int64_t duration_ns = 0;
  int64_t fault_time_ns = 0;             // the sum of the faults' "for"
  std::map<std::string, int64_t> workload;  // integer settings, by JSON pointer
  uint64_t events = 0;                   // processed by the run
};
ScenarioSize measure(const Json& doc, const Verdict& verdict);
// True when no part of `a` is bigger than in `b` (events aside).
bool no_larger(const ScenarioSize& a, const ScenarioSize& b);

struct ShrinkResult {
  Json document;
  Verdict verdict;  // of `document`
  ScenarioSize before, after;
  uint64_t runs = 0, rejected_unloadable = 0, accepted = 0;
  bool budget_spent = false;
};

class Shrinker {
 public:
  using Judge = std::function<Verdict(const Json&)>;
  Shrinker(Judge judge, std::string check, ShrinkOptions options = {});
  // REQUIRES: judge(start) fails `check`.
  ShrinkResult run(const Json& start);

 private:
  bool attempt(const std::optional<Json>& candidate);
  bool out_of_runs() const { return runs_ >= options_.max_runs; }
  bool lower(int64_t floor, int64_t current, int64_t step,
             const std::function<std::optional<Json>(int64_t)>& make);

  bool remove_faults();
  bool merge_faults();
  bool narrow_faults();
  bool shorten_faults();
  bool weaken_faults();
  bool move_schedule_earlier();
  bool shorten_duration();
  bool lower_integers();
  bool drop_nodes();

  Judge judge_;
  std::string check_;
  ShrinkOptions options_;
  Json current_;
  Verdict current_verdict_;
  std::set<uint64_t> tried_;  // fingerprints of candidates already judged
  uint64_t runs_ = 0, unloadable_ = 0, accepted_ = 0;
};

}  // namespace dsim::explore
