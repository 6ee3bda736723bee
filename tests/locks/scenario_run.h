// Runs one of the shipped lock scenarios (scenarios/locks/) the way `dsim run` would,
// for the tests that check how a whole scenario ends (scenarios_test.cpp, raft_test.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocols/registry.h"
#include "runner/run_scenario.h"
#include "scenario/scenario.h"

namespace dsim::locks::testing {

// scenarios/locks/<file>, with `overrides` applied as --set would apply them and `seed`
// in place of the file's own when given. A scenario that does not load throws ScenarioError.
inline RunReport run(const std::string& file, const std::vector<Override>& overrides = {},
                     std::optional<uint64_t> seed = std::nullopt) {
  ScenarioLoader loader(protocol_families());
  Scenario s = loader.load_file(std::string(DSIM_SOURCE_DIR) + "/scenarios/locks/" + file, overrides, seed);
  return run_scenario(s, RunOptions{});
}

}  // namespace dsim::locks::testing
