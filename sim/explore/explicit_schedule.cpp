#include "explore/explicit_schedule.h"

#include "runner/run_scenario.h"

namespace dsim::explore {

Json explicit_scenario_document(const Scenario& scenario) {
  Json doc = scenario.document;
  doc["seed"] = scenario.seed;
  Json schedule = Json::array();
  for (const FaultAction& a : effective_faults(scenario)) {
    schedule.push_back(a.to_json(scenario.cluster));
  }
  Json& faults = doc["faults"];
  if (!faults.is_object()) faults = Json::object();
  faults.erase("random");
  faults["schedule"] = std::move(schedule);
  return doc;
}

}  // namespace dsim::explore
