// libFuzzer target for the scenario loader and the --set path (README.md, "Fuzzing the
// scenario loader").
//
// An input is a scenario's text, optionally followed by NUL-separated --set arguments
// ("PATH=VALUE"), so the fuzzer mutates files and overrides alike; the shipped scenarios
// are its seeds. Bad input must end in ScenarioError (the CLI's exit 2): any other
// exception, a crash, an abort, a sanitizer report, a hang or runaway memory is a finding.
// A scenario that loads and is small is also run for a few thousand events, so the time
// arithmetic of latencies, timers and faults is exercised too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "protocols/registry.h"
#include "runner/run_scenario.h"
#include "scenario/scenario.h"

namespace {

constexpr size_t kRunNodesMax = 16;           // larger clusters are loaded, not run
constexpr uint64_t kRunEventsMax = 5'000;     // per run, to keep executions fast

void load_and_run(const std::string& input) {
  std::vector<std::string> parts;
  size_t begin = 0;
  for (;;) {
    size_t nul = input.find('\0', begin);
    parts.push_back(input.substr(begin, nul == std::string::npos ? std::string::npos : nul - begin));
    if (nul == std::string::npos) break;
    begin = nul + 1;
  }
  std::vector<dsim::Override> overrides;
  for (size_t i = 1; i < parts.size(); ++i) overrides.push_back(dsim::parse_override(parts[i]));
  dsim::ScenarioLoader loader(dsim::protocol_families());
  dsim::Scenario s = loader.load_json(dsim::parse_json_text(parts[0], "fuzz.json"), "fuzz.json",
                                      overrides, std::nullopt);
  (void)dsim::effective_faults(s);  // plans the random nemesis, as every run does
  if (s.cluster.size() <= kRunNodesMax) {
    s.sim.limits.max_events = std::min<uint64_t>(s.sim.limits.max_events, kRunEventsMax);
    dsim::run_scenario(s, dsim::RunOptions{});
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    load_and_run(std::string(reinterpret_cast<const char*>(data), size));
  } catch (const dsim::ScenarioError&) {
    // The expected answer to bad input.
  }
  return 0;
}
