// How a protocol family plugs into scenarios: it reads its own settings (the scenario's
// "protocol" and "workload" sections), checks the cluster has the roles it needs, and
// then makes a process for any node — at boot and at every restart — and the checkers
// it offers. The simulator core never includes a protocol; the CLI's registry lists them.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "check/checker.h"
#include "core/cluster.h"
#include "core/process.h"
#include "scenario/check_table.h"
#include "scenario/config_reader.h"
#include "scenario/family_load.h"
#include "scenario/setting_table.h"

namespace dsim {

// A family configured for one scenario. It holds configuration, and at most state that one
// run's processes share (locks' raft: which log indices some server has applied); the same
// object may serve several runs one after another (determinism tests run twice), so such
// state is reset by begin_run().
class ProtocolRun {
 public:
  virtual ~ProtocolRun() = default;
  // Called once before each run, before any make_process() or make_checkers() of that run.
  virtual void begin_run() {}
  // A run of the same configuration for another seed (scenario/scenario.h, reseeded), one
  // that shares no state of a run with this one (a sweep's workers run them at once, on
  // their own threads); it may share what no run changes, such as the settings read by
  // configure(). Null (the default): reseeded() calls the family's configure() again, which
  // reads the settings anew (a 2PC family's did, in 1.4% of a bank sweep's time).
  virtual std::unique_ptr<ProtocolRun> another_run() const { return nullptr; }
  virtual std::unique_ptr<Process> make_process(NodeId node) = 0;
  // One of the family's `checks`, by name; called once per enabled check.
  virtual std::unique_ptr<Checker> make_checker(const std::string& check) = 0;
  // What a run of this configuration holds and sends, for the memory estimate made
  // before the run (scenario/memory_estimate.h). Must not allocate in proportion to it.
  virtual FamilyLoad estimate_load(const LoadInputs& in) const = 0;
  // The family's delays that are zero in this configuration, as JSON paths
  // ("workload.think_time"): named in the error of a run whose simulated time stood still
  // (limits.max_events_per_instant). Empty: none that can be zero.
  virtual std::vector<std::string> zero_delays() const { return {}; }
  // All of one run's checks, in order. A family whose checks share per-run state (one
  // model of the run that all of them read) builds them together here, and may put first
  // a keeper of that state: a Checker that never reports and writes no metrics, shown each
  // event before the checks that read the state (2PC's tx_ledger). So the result may hold
  // one more object than `checks` names.
  virtual std::vector<std::unique_ptr<Checker>> make_checkers(const std::vector<std::string>& checks) {
    std::vector<std::unique_ptr<Checker>> out;
    for (const std::string& c : checks) out.push_back(make_checker(c));
    return out;
  }
};

// Valid only during configure(): copy what you need, keep no references to it. It holds no
// seed: a configuration serves every seed of a sweep (Scenario, reseeded), so whatever is
// random is drawn in the run, from the simulation's generator.
struct ProtocolSettings {
  std::string variant;
  ConfigReader& protocol;  // "protocol" section; "name" and "variant" already read
  ConfigReader& workload;  // "workload" section
  const Cluster& cluster;
  Duration duration;
  // The checks the run runs ("checks", or the family's defaults): a setting that only a
  // check reads (its bound) is refused without it (Setting::checks).
  std::vector<std::string> checks{};
};

// A role the family's nodes take (a key of the scenario's "nodes"), and the variants it
// applies to. The loader refuses, at "$.nodes.ROLE", a role the family does not know or
// one of another variant, even when it lists no nodes ("replica": []).
struct RoleRow {
  std::string role;
  std::vector<std::string> variants{};  // empty: every variant
  std::string meaning{};
};

struct ProtocolFamily {
  std::string name;
  std::string summary;                      // one line, for --help and errors
  std::vector<std::string> variants;        // the first is the default
  // Every check the family offers, read off its check table (check_table.h): the only
  // list of them that describe, the loader and the reports consult.
  std::vector<CheckInfo> checks;
  // Every setting under "protocol" and "workload"; configure() reads them through it.
  const SettingTable* settings = nullptr;
  // Every role its nodes may take; empty: the family takes any roles (its "nodes" may be a
  // plain count).
  std::vector<RoleRow> roles;
  // Reads and validates the settings (must finish() both readers); throws ScenarioError.
  std::function<std::unique_ptr<ProtocolRun>(ProtocolSettings&)> configure;
};

// The names of the family's checks, in its table's order.
inline std::vector<std::string> check_names(const ProtocolFamily& family) {
  std::vector<std::string> out;
  for (const CheckInfo& c : family.checks) out.push_back(c.name);
  return out;
}

// The checks a scenario that names none runs.
inline std::vector<std::string> default_check_names(const ProtocolFamily& family) {
  std::vector<std::string> out;
  for (const CheckInfo& c : family.checks) {
    if (c.on_by_default) out.push_back(c.name);
  }
  return out;
}

}  // namespace dsim
