// Loading a scenario text with --set overrides in a test, and asserting where and why the
// loader refuses it (file "bad.json"). For tests of the settings' errors.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "protocols/registry.h"
#include "scenario/scenario.h"

namespace dsim::testing {

// The loader's error for `text` with `sets` ("protocol.x=1"); an empty path when it loads.
inline ScenarioError load_error(const std::string& text, const std::vector<std::string>& sets = {}) {
  std::vector<Override> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_override(s));
  try {
    ScenarioLoader(protocol_families()).load_json(Json::parse(text), "bad.json", overrides, std::nullopt);
  } catch (const ScenarioError& e) {
    return e;
  }
  return ScenarioError("", "", "");
}

// Refused at the JSON path `path`, with `words` in the problem.
inline void expect_refused(const std::string& text, const std::vector<std::string>& sets, const std::string& path,
                           const std::string& words) {
  ScenarioError e = load_error(text, sets);
  EXPECT_EQ(e.path(), path) << e.what();
  EXPECT_NE(e.problem().find(words), std::string::npos) << e.what();
}

inline void expect_loads(const std::string& text, const std::vector<std::string>& sets) {
  ScenarioError e = load_error(text, sets);
  EXPECT_EQ(e.path(), "") << e.what();
}

}  // namespace dsim::testing
