// A validated scenario: everything one run needs, read from a JSON file (plus --set
// overrides). Loading either yields a complete Scenario or throws ScenarioError naming
// the file, the JSON path and what was expected — nothing in between.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
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

// The "clocks" section as read. The per-node starting clocks are drawn from it for each
// seed (draw_clocks): offsets and drifts uniform within the bounds, then the fixed ones.
struct ClockSettings {
  Duration max_offset = Duration::zero();  // |offset| <= this
  int64_t max_drift_ppm = 0;               // |drift| <= this, parts per million
  std::vector<std::pair<NodeId, NodeClock>> fixed;  // "clocks.nodes", in the file's order
};

// Seeds. A scenario depends on its seed in three fields only: `seed`, `sim.seed` and
// `sim.clocks` (drawn from `clock_settings`). Everything else is read and validated once,
// without the seed: a family's configure() is never given one, the memory estimate reads
// none, and the nemesis's schedule is drawn from `seed` when the run starts
// (effective_faults). So one load serves a whole sweep: reseeded() redoes the seed's own
// draws and makes a fresh ProtocolRun (ProtocolRun::another_run, or the family's
// configure() again: no validation left to fail), and gives
// exactly what load_json would give under that seed.
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
  ClockSettings clock_settings;
  std::vector<FaultAction> scripted_faults;
  std::optional<NemesisConfig> nemesis;
  std::optional<ScenarioExpectation> expect;
  MemoryEstimate memory;  // made at load; above sim.limits.max_memory the load fails
};

// The starting clocks of `nodes` nodes under `seed` (SimulationConfig::clocks).
std::vector<NodeClock> draw_clocks(const ClockSettings& settings, size_t nodes, uint64_t seed);

// `base` under another seed: equal to loading base.document again with that seed, at the
// cost of a copy, the clock draws and a fresh ProtocolRun (another_run(), or the family's
// configure() on already valid settings when the family gives no another_run()).
Scenario reseeded(const Scenario& base, uint64_t seed);

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
  // `file` names the source in errors. `rounded`: the numbers of the document's text that
  // round onto a whole number (parse_json_text), refused where an integer is expected.
  Scenario load_json(Json document, const std::string& file,
                     const std::vector<Override>& overrides, std::optional<uint64_t> seed,
                     RoundedWholeNumbers rounded = {}) const;
  // The built-in default scenario (`dsim run` without a file), named `name` in errors: as
  // load_json, but a refusal names its values "from the built-in default scenario", never
  // "from the file" (the user wrote no file).
  Scenario load_built_in(Json document, const std::string& name, const std::vector<Override>& overrides,
                         std::optional<uint64_t> seed) const;
  const std::vector<ProtocolFamily>& families() const { return families_; }

 private:
  Scenario load(Json document, const std::string& file, const std::vector<Override>& overrides,
                std::optional<uint64_t> seed, RoundedWholeNumbers rounded, bool built_in) const;
  const std::vector<ProtocolFamily>& families_;
};

}  // namespace dsim
