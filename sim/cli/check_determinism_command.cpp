// dsim check-determinism SCENARIO [--seed N] [--set ...] [--keep DIR]: runs the same seed
// twice, each to its own trace, and compares the traces line by line. Exit 0 when they
// are identical; 1 (naming the first line that differs) when they are not. With --keep the
// two traces are moved into place together, once both runs ended, or not at all.
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "explore/trace_diff.h"
#include "runner/run_scenario.h"

namespace dsim::cli {
namespace fs = std::filesystem;

namespace {

// A fresh private folder for the two traces, removed afterwards unless kept.
std::string make_temp_dir(std::string& error) {
  std::string pattern = (fs::temp_directory_path() / "dsim-determinism-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    error = "cannot create a temporary folder in " + fs::temp_directory_path().string();
    return "";
  }
  return pattern;
}

std::string clipped(const std::string& line) {
  constexpr size_t kMax = 400;
  return line.size() <= kMax ? line : line.substr(0, kMax) + "...";
}

}  // namespace

int check_determinism_command(int argc, char** argv) {
  const std::string usage =
      "usage: dsim check-determinism SCENARIO [--seed N] [--set PATH=VALUE ...] [--keep DIR]\n"
      "Runs one seed twice and compares the two traces byte for byte. Exit code 0 when they\n"
      "are identical, 1 when they differ (the first differing line is shown).";
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "scenario", po::value<std::string>()->required(), "scenario JSON file")(
      "seed", po::value<std::string>(), "seed (default: the scenario's), 0 to 2^63-1")(
      "set", po::value<std::vector<std::string>>()->composing(), "override a scenario field")(
      "keep", po::value<std::string>()->default_value(""),
      "keep the two traces in this folder (new, empty, or one an earlier --keep filled)")(
      "quiet,q", "print nothing but errors (the verdict is in the exit code)");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  int exit = kOk;
  if (!parse_options(argc, argv, usage, opts, pos, vm, exit)) return exit;
  std::string path = vm["scenario"].as<std::string>();
  const std::vector<std::string> sets = set_options(vm);
  const std::optional<uint64_t> seed = seed_option(vm);

  std::string error;
  std::string keep = vm["keep"].as<std::string>();
  // Checked, then the scenario loaded, and only then is the folder made.
  std::optional<OutputProblem> problem;
  if (!keep.empty()) {
    problem = check_output_folder(keep, "first.trace.jsonl", kTraceOutput);
    for (const char* name : {"first.trace.jsonl", "second.trace.jsonl"}) {
      const std::string trace_path = (fs::path(keep) / name).string();
      // Taken now, before the first run: a file that appears at either path later is kept.
      record_output_state(trace_path);
      if (!problem && fs::exists(keep)) problem = check_output_path(trace_path, kTraceOutput);
    }
  }
  if (!problem) {
    try {
      load_scenario(path, sets, seed);
    } catch (const ScenarioError& e) {
      std::cerr << "dsim: " << e.what() << "\n";
      return kBadInput;
    }
  }
  // A --keep folder made here is removed again when the two traces are not kept (a run
  // refused or interrupted): no empty folder is left behind.
  std::error_code exists_ec;
  const bool keep_is_new = !keep.empty() && !fs::exists(keep, exists_ec);
  if (!problem && !keep.empty()) problem = create_output_folder(keep);
  if (problem) {
    std::cerr << "dsim: " << problem->message << "\n";
    return problem->exit_code;
  }
  struct RemoveUnusedKeep {
    std::string dir;
    ~RemoveUnusedKeep() {
      std::error_code ec;
      if (!dir.empty() && fs::is_empty(dir, ec)) fs::remove(dir, ec);
    }
  } remove_unused_keep{keep_is_new ? keep : ""};
  // From here a signal stops the runs cleanly, so the temporary folder is always removed.
  const std::atomic<bool>* interrupt = install_interrupt_handler();
  std::string dir = keep.empty() ? make_temp_dir(error) : keep;
  if (!error.empty()) {
    std::cerr << "dsim: " << error << "\n";
    return kIoError;
  }
  struct RemoveTemporary {
    std::string dir;
    ~RemoveTemporary() {
      std::error_code ec;
      if (!dir.empty()) fs::remove_all(dir, ec);
    }
  } remove_temporary{keep.empty() ? dir : ""};
  const std::string traces[2] = {(fs::path(dir) / "first.trace.jsonl").string(),
                                 (fs::path(dir) / "second.trace.jsonl").string()};
  uint64_t events = 0;
  uint64_t used_seed = 0;
  // The two traces are one result: both are moved into place once both runs ended, or
  // neither (a refused, interrupted or failed run leaves the folder as it was).
  std::unique_ptr<TraceWriter> written[2];
  for (int run = 0; run < 2; ++run) {
    const std::string& trace = traces[run];
    // Loaded afresh for each run, as a separate `dsim run` would.
    Scenario s;
    try {
      s = load_scenario(path, sets, seed);
    } catch (const ScenarioError& e) {
      std::cerr << "dsim: " << e.what() << "\n";
      return kBadInput;
    }
    used_seed = s.seed;
    RunOptions options;
    options.trace_path = trace;
    options.interrupt = interrupt;
    options.defer_commit = true;
    RunReport report = run_scenario(s, options);
    if (!report.io_error.empty()) {
      std::cerr << "dsim: " << report.io_error << "\n";
      return kIoError;
    }
    if (report.exit_code == kInterrupted) {
      std::cerr << "dsim: interrupted; nothing to compare"
                << (keep.empty() ? "" : ", and no trace kept in " + keep) << "\n";
      return kInterrupted;
    }
    events = report.result.events;
    written[run] = std::move(report.trace);
  }
  if (!commit_together({written[0]->file(), written[1]->file()}, error)) {
    std::cerr << "dsim: " << error << "\n";
    return kIoError;
  }
  explore::TraceDiff diff;
  bool read = explore::diff_trace_files(traces[0], traces[1], diff, error);
  if (!read) {
    std::cerr << "dsim: " << error << "\n";
    return kIoError;
  }
  if (vm.count("quiet") != 0) return diff.identical ? kOk : kCheckFailed;
  if (diff.identical) {
    std::cout << "deterministic: seed " << used_seed << " gave identical traces twice ("
              << diff.lines_compared << " lines, " << events << " events)\n";
    return kOk;
  }
  std::cout << "NOT deterministic: seed " << used_seed << ", the traces differ first at line "
            << diff.line << " (line 1 is the header)\n"
            << "  first run:  " << (diff.first.empty() ? "(trace ended)" : clipped(diff.first)) << "\n"
            << "  second run: " << (diff.second.empty() ? "(trace ended)" : clipped(diff.second))
            << "\n";
  if (!keep.empty()) std::cout << "  traces kept: " << traces[0] << ", " << traces[1] << "\n";
  return kCheckFailed;
}

}  // namespace dsim::cli
