#include "explore/shrink_judge.h"

#include "runner/run_scenario.h"

namespace dsim::explore {

Verdict judge_document(const ScenarioLoader& loader, const Json& document,
                       const std::string& label) {
  Verdict v;
  Scenario s;
  try {
    s = loader.load_json(document, label, {}, std::nullopt);
  } catch (const ScenarioError& e) {
    v.load_error = e.what();
    return v;
  }
  v.loaded = true;
  v.nodes = s.cluster.size();
  for (NodeId n = 0; n < s.cluster.size(); ++n) ++v.nodes_by_role[s.cluster.role(n)];
  RunOptions options;
  options.summary = false;  // a verdict is made of the result alone
  RunReport report = run_scenario(s, options);
  v.events = report.result.events;
  if (!report.result.violations.empty()) {
    v.failed = true;
    v.check = report.result.violations.front().check;
    v.at_ns = report.result.violations.front().at.ns;
  }
  return v;
}

}  // namespace dsim::explore
