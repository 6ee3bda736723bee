// Runs one scenario under any seed and turns the outcome into a SweepRecord.
//
// The scenario is loaded and validated once; each seed redoes only the seed's own draws
// and configures its own ProtocolRun (reseeded; the run draws the nemesis's schedule), so
// a seed's record is exactly what loading the document under that seed would give. run()
// is const and touches no shared mutable state, so worker threads may call it at the
// same time.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "explore/sweep_record.h"
#include "scenario/scenario.h"

namespace dsim::explore {

class SeedRunner {
 public:
  // `document` is the scenario after --set overrides; `file` names it in errors and in
  // replay commands, with `sets` (the --set texts) appended to those. Throws ScenarioError
  // when the document does not load.
  SeedRunner(const ScenarioLoader& loader, Json document, std::string file,
             std::vector<std::string> sets = {});

  // The record for `seed`; nullopt when `cancel` stopped the run before its end (such a
  // run is never recorded). Throws ScenarioError when the run's simulated time stood still.
  std::optional<SweepRecord> run(uint64_t seed, const std::atomic<bool>* cancel) const;

  const Scenario& scenario() const { return first_; }  // as loaded with its own seed

 private:
  const ScenarioLoader& loader_;
  Json document_;
  std::string file_;
  std::vector<std::string> sets_;
  Scenario first_;
};

}  // namespace dsim::explore
