// A family's checks, each named once. Every family keeps one table of CheckRow in its
// entry (e.g. protocols/locks/locks_family.cpp): a check's name, a one-line description,
// whether a scenario that names no checks runs it, and how a configured run makes it.
// The family's ProtocolFamily::checks is read off that table (check_infos), its ProtocolRun
// makes checks through it (make_check), and everything else that knows a check by name —
// dsim describe, the loader's "checks" and "expect.checks" validation, the sweep report —
// reads ProtocolFamily::checks. A check's name() must equal its row's name: a test
// (tests/cli/describe_test.cpp) makes every check of every family and compares.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "check/checker.h"

namespace dsim {

// One check a family offers, as describe and the loader see it.
struct CheckInfo {
  std::string name;           // what "checks", "expect.checks", violations and summaries call it
  std::string description;    // one line, for dsim describe
  bool on_by_default = true;  // run when a scenario names no checks
  // Never fails, only measures (its figures go to the summary's metrics): a run whose
  // summary nobody reads (a sweep's seed, shrink's judge) does not make it at all.
  bool measures_only = false;
};

// One row of a family's table. `Inputs` is what the family's checks need from a configured
// run (its settings, a model the checks share); the run builds it and calls make_check.
template <typename Inputs>
struct CheckRow {
  std::string_view name;
  std::string_view description;
  bool on_by_default;
  std::unique_ptr<Checker> (*make)(const Inputs& in);
  bool measures_only = false;  // CheckInfo::measures_only
};

// The table as ProtocolFamily::checks lists it, in the table's order.
template <typename Inputs, size_t N>
std::vector<CheckInfo> check_infos(const CheckRow<Inputs> (&table)[N]) {
  std::vector<CheckInfo> out;
  out.reserve(N);
  for (const CheckRow<Inputs>& row : table) {
    out.push_back({std::string(row.name), std::string(row.description), row.on_by_default, row.measures_only});
  }
  return out;
}

// Makes the check called `name`. Throws std::invalid_argument for a name not in the table
// (the loader admits only the family's own checks, so that is a bug of ours).
template <typename Inputs, size_t N>
std::unique_ptr<Checker> make_check(const CheckRow<Inputs> (&table)[N], std::string_view name, const Inputs& in) {
  for (const CheckRow<Inputs>& row : table) {
    if (row.name == name) return row.make(in);
  }
  throw std::invalid_argument("no check \"" + std::string(name) + "\" in the family's table");
}

}  // namespace dsim
