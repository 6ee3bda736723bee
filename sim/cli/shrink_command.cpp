// dsim shrink SCENARIO --seed N --out MIN.json: turns a failing seed into the smallest
// scenario file it can find that still fails the same check on its own.
#include <iostream>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "core/json_object.h"
#include "explore/explicit_schedule.h"
#include "explore/shrink_judge.h"
#include "explore/shrinker.h"
#include "explore/version.h"
#include "protocols/registry.h"
#include "runner/run_scenario.h"
#include "scenario/json_text.h"

namespace dsim::cli {
namespace {

using namespace dsim::explore;

std::string role_counts(const std::map<std::string, size_t>& by_role) {
  std::string out;
  for (const auto& [role, n] : by_role) out += (out.empty() ? "" : ", ") + role + " " + std::to_string(n);
  return out;
}

void print_sizes(std::ostream& out, const ScenarioSize& a, const ScenarioSize& b) {
  auto row = [&out](const std::string& what, const std::string& from, const std::string& to) {
    out << "  " << what << std::string(what.size() < 22 ? 22 - what.size() : 1, ' ') << from
        << " -> " << to << "\n";
  };
  row("faults", std::to_string(a.faults), std::to_string(b.faults));
  row("nodes", std::to_string(a.nodes) + " (" + role_counts(a.nodes_by_role) + ")",
      std::to_string(b.nodes) + " (" + role_counts(b.nodes_by_role) + ")");
  for (const auto& [key, v] : a.workload) {
    std::string name = key.substr(1);
    std::replace(name.begin(), name.end(), '/', '.');
    auto it = b.workload.find(key);
    row(name, std::to_string(v), it == b.workload.end() ? "-" : std::to_string(it->second));
  }
  row("duration", format_duration(Duration{a.duration_ns}), format_duration(Duration{b.duration_ns}));
  row("fault time (sum)", format_duration(Duration{a.fault_time_ns}),
      format_duration(Duration{b.fault_time_ns}));
  row("events", std::to_string(a.events), std::to_string(b.events));
}

// What every scenario `dsim shrink` writes says first; an existing file at --out is replaced
// only if it says so too (so a slip of the tab key cannot overwrite the original scenario).
constexpr const char* kShrunkDescriptionStart = "Shrunk by `dsim shrink`";

bool is_shrunk_scenario_head(std::string_view head) {
  const size_t at = head.find("\"description\": \"");
  return at != std::string_view::npos &&
         head.substr(at + 16).rfind(kShrunkDescriptionStart, 0) == 0;
}

const OutputKind kShrunkScenarioOutput{"shrunk scenario", is_shrunk_scenario_head,
                                       /*stdout_allowed=*/false};

}  // namespace

int shrink_command(int argc, char** argv) {
  const std::string usage =
      "usage: dsim shrink SCENARIO --seed N --out MIN.json [--set PATH=VALUE ...] [--max-runs R]\n"
      "Writes a scenario that fails the same check as SCENARIO under seed N, as small as it\n"
      "can find: the seed's random faults become an explicit schedule, then faults are\n"
      "removed, merged, narrowed and shortened, the run made shorter, and counts under\n"
      "\"workload\" and \"nodes\" lowered. `dsim run MIN.json` fails on its own.";
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "scenario", po::value<std::string>()->required(), "scenario JSON file")(
      "seed", po::value<std::string>()->required(), "the failing seed, 0 to 2^63-1")(
      "out,o", po::value<std::string>()->required(),
      "where to write the shrunk scenario (a new file, or one an earlier shrink wrote)")(
      "set", po::value<std::vector<std::string>>()->composing(), "override a scenario field")(
      "max-runs", po::value<std::string>()->default_value("400"),
      "at most this many candidate runs, 1 to 1000000")(
      "quiet,q", "print nothing but errors");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  int exit = kOk;
  if (!parse_options(argc, argv, usage, opts, pos, vm, exit)) return exit;
  std::string path = vm["scenario"].as<std::string>();
  std::string out_path = vm["out"].as<std::string>();
  const std::vector<std::string> sets = set_options(vm);
  const uint64_t seed = *seed_option(vm);
  const uint64_t max_runs = *unsigned_option(vm, "max-runs", 1, 1'000'000);
  if (auto problem = check_output_path(out_path, kShrunkScenarioOutput)) {
    std::cerr << "dsim: " << problem->message << "\n";
    return problem->exit_code;
  }
  if (auto problem = check_distinct_paths({{"--out", out_path}}, {{"SCENARIO", path}})) {
    std::cerr << "dsim: " << problem->message << "\n";
    return problem->exit_code;
  }

  ScenarioLoader loader(protocol_families());
  Scenario original;
  try {
    original = load_scenario(path, sets, seed);
  } catch (const ScenarioError& e) {
    std::cerr << "dsim: " << e.what() << "\n";
    return kBadInput;
  }
  RunReport first = run_scenario(original, RunOptions{});
  if (first.result.violations.empty()) {
    std::cerr << "dsim: " << path << " passes under seed " << seed << ": nothing to shrink\n";
    return kBadInput;
  }
  const Violation& target = first.result.violations.front();
  auto judge = [&loader](const Json& doc) { return judge_document(loader, doc, "<shrink candidate>"); };

  Json start = explicit_scenario_document(original);
  Verdict explicit_verdict = judge(start);
  if (!explicit_verdict.failed || explicit_verdict.check != target.check ||
      explicit_verdict.at_ns != target.at.ns || explicit_verdict.events != first.result.events) {
    std::cerr << "dsim: internal error: the seed's faults written as an explicit schedule do "
                 "not reproduce the run (" << explicit_verdict.events << " vs "
              << first.result.events << " events)\n";
    return kInternalError;
  }
  const bool quiet = vm.count("quiet") != 0;
  if (!quiet) std::cout << "shrinking " << path << " seed " << seed << ": fails " << target.check << " at "
            << format_duration(Duration{target.at.ns}) << "\n";
  Shrinker shrinker(judge, target.check, ShrinkOptions{max_runs});
  ShrinkResult r = shrinker.run(start);

  // Name and description first, so that a later shrink recognises the file by its head.
  Json doc = json_object(
      "name", original.name + "-min", "description",
      std::string(kShrunkDescriptionStart) + " from " + path + " seed " + std::to_string(seed) +
          ": fails " + target.check + " with " + std::to_string(r.after.faults) +
          " fault(s) on " + std::to_string(r.after.nodes) + " node(s).");
  for (const auto& [key, value] : r.document.items()) {
    if (key != "name" && key != "description") doc[key] = value;
  }
  doc["expect"] = json_object("exit", 1, "check", target.check);
  const std::string text = doc.dump(2) + "\n";
  // The file on its own, read from the very text that will be written, must fail the same
  // check; only then is it written (a scenario that does not reproduce is never left at
  // --out, nor does a failed check leave one).
  try {
    RunReport check = run_scenario(loader.load_json(parse_json_text(text, out_path), out_path, {},
                                                    std::nullopt),
                                   RunOptions{});
    if (check.result.violations.empty() || check.result.violations.front().check != target.check) {
      std::cerr << "dsim: internal error: the shrunk scenario does not fail " << target.check
                << "; nothing was written to " << out_path << "\n";
      return kInternalError;
    }
  } catch (const ScenarioError& e) {
    std::cerr << "dsim: internal error: the shrunk scenario does not load: " << e.what()
              << "; nothing was written to " << out_path << "\n";
    return kInternalError;
  }
  std::string error;
  if (!write_file_atomically(out_path, text, error)) {
    std::cerr << "dsim: " << error << "\n";
    return kIoError;
  }
  if (quiet) return kOk;
  std::cout << "shrunk in " << r.runs << " runs (" << r.accepted << " accepted, "
            << r.rejected_unloadable << " candidates did not load"
            << (r.budget_spent ? "; run budget spent, --max-runs may shrink further" : "")
            << "):\n";
  print_sizes(std::cout, r.before, r.after);
  std::cout << "wrote " << out_path << "; it fails " << target.check << " at "
            << format_duration(Duration{r.verdict.at_ns}) << ": " << explore::program_name() << " run " << out_path << "\n";
  return kOk;
}

}  // namespace dsim::cli
