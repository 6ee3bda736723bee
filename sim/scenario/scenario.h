// A validated scenario: everything one run needs, read from a JSON file (plus --set
// overrides). Loading either yields a complete Scenario or throws ScenarioError naming
// the file, the JSON path and what was expected — nothing in between.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/cluster.h"
#include "core/json.h"
#include "core/simulation.h"
#include "faults/fault_action.h"
#include "faults/nemesis.h"
#include "scenario/json_text.h"
#include "scenario/memory_estimate.h"
#include "scenario/protocol_family.h"

namespace dsim {

struct ScenarioExpectation {
  int exit_code = 0;   // what `dsim run` should return for this scenario
  std::string check;   // the check expected to fail, when exit_code is 1
};

struct Scenario {
  std::string file;  // where it came from ("<built-in>" for defaults)
  std::string name;
  std::string description;
  Json document;     // the JSON after --set overrides (what the hash covers)
  std::string hash;  // FNV-1a 64 of `document` without its seed, hex
  uint64_t seed = 1;
  Duration duration;
  Cluster cluster;
  const ProtocolFamily* family = nullptr;
  std::string variant;
  std::shared_ptr<ProtocolRun> protocol;
  std::vector<std::string> checks;
  SimulationConfig sim;
  std::vector<FaultAction> scripted_faults;
  std::optional<NemesisConfig> nemesis;
  std::optional<ScenarioExpectation> expect;
  MemoryEstimate memory;  // made at load; above sim.limits.max_memory the load fails
};

// One override: "network.loss=0.1". The path is dot-separated keys (array elements by
// index, "faults.schedule.0.at"); the value is parsed as JSON, else taken as a string.
struct Override {
  std::string path;
  std::string value;
};
// Parses "PATH=VALUE"; throws ScenarioError (file "--set") when malformed.
Override parse_override(const std::string& text);

class ScenarioLoader {
 public:
  explicit ScenarioLoader(const std::vector<ProtocolFamily>& families) : families_(families) {}

  Scenario load_file(const std::string& path, const std::vector<Override>& overrides,
                     std::optional<uint64_t> seed) const;
  // `file` names the source in errors.
  Scenario load_json(Json document, const std::string& file,
                     const std::vector<Override>& overrides, std::optional<uint64_t> seed) const;
  const std::vector<ProtocolFamily>& families() const { return families_; }

 private:
  const std::vector<ProtocolFamily>& families_;
};

}  // namespace dsim
