// dsim sweep SCENARIO --seeds A..B [--jobs J] [--shard I/N] [--out FILE] [--fail-fast K]
// Runs the scenario once per seed (each seed also draws its own random fault mix) and
// writes one JSON line per seed, in seed order; with --out, resumes a sweep cut short.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "explore/progress_meter.h"
#include "explore/record_file.h"
#include "explore/seed_runner.h"
#include "explore/sweep_report.h"
#include "explore/sweep_runner.h"
#include "explore/version.h"
#include "protocols/registry.h"

namespace dsim::cli {
namespace {

using namespace dsim::explore;

struct SweepArgs {
  std::string scenario_path;
  std::vector<std::string> sets;
  SeedRange range;
  Shard shard;
  unsigned jobs = 1;
  std::string out;  // empty: standard output, no resume
  uint64_t fail_fast = 0;
  std::string report_path;
  bool quiet = false;
};

bool read_args(const po::variables_map& vm, SweepArgs& a, std::string& error) {
  a.scenario_path = vm["scenario"].as<std::string>();
  a.sets = set_options(vm);
  auto range = parse_seed_range(vm["seeds"].as<std::string>(), error);
  if (!range) {
    error = "--seeds: " + error;
    return false;
  }
  if (range->last > kMaxSeed) {
    error = "--seeds: seeds go from 0 to " + std::to_string(kMaxSeed) +
            " (what a scenario's \"seed\" accepts), got \"" + vm["seeds"].as<std::string>() + "\"";
    return false;
  }
  a.range = *range;
  if (vm.count("shard") != 0) {
    auto shard = parse_shard(vm["shard"].as<std::string>(), error);
    if (!shard) return false;
    a.shard = *shard;
  }
  a.jobs = static_cast<unsigned>(unsigned_option(vm, "jobs", 1, 1024).value_or(
      std::max(1u, std::thread::hardware_concurrency())));
  a.out = vm["out"].as<std::string>();
  if (a.out == "-") a.out.clear();
  a.fail_fast = *unsigned_option(vm, "fail-fast", 0, kMaxSeed);
  a.report_path = vm["report"].as<std::string>();
  a.quiet = vm.count("quiet") != 0;
  return true;
}

// The folder --out names when it does not exist yet (sweep creates it), else empty.
std::string missing_out_folder(const SweepArgs& a) {
  if (a.out.empty()) return "";
  const std::filesystem::path folder = std::filesystem::path(a.out).parent_path();
  std::error_code ec;
  return !folder.empty() && !std::filesystem::exists(folder, ec) ? folder.string() : "";
}

// Before anything runs, changing nothing: --out must be a new file or a results file (it is
// appended to), --report a new file or a sweep report, neither the scenario nor each other.
std::optional<OutputProblem> check_outputs(const SweepArgs& a) {
  if (a.out.size() > 1 && a.out.back() == '/') {
    return OutputProblem{kIoError, "cannot write the results to " + a.out + ": it names a folder; give a file name"};
  }
  if (missing_out_folder(a).empty()) {
    if (auto problem = check_output_path(a.out, kResultsOutput)) return problem;
  }
  if (auto problem = check_output_path(a.report_path, kSweepReportOutput)) return problem;
  return check_distinct_paths({{"--out", a.out.empty() ? "-" : a.out}, {"--report", a.report_path}},
                              {{"SCENARIO", a.scenario_path}});
}

// Takes in what an earlier sweep left in --out: cuts a torn last line, refuses results of
// another scenario, and returns the seeds already done (all of them, in or out of range).
bool resume_from(const SweepArgs& a, const std::string& hash, SweepReport& report,
                 std::set<uint64_t>& done, int& exit) {
  RecordFile file;
  std::string error;
  if (!read_record_file(a.out, /*missing_ok=*/true, file, error)) {
    std::cerr << "dsim: " << error << "\n";
    exit = file.not_results ? kBadInput : kIoError;
    return false;
  }
  for (const std::string& bad : file.bad_lines) std::cerr << "dsim: skipping " << bad << "\n";
  if (file.torn_tail_bytes > 0) {
    std::cerr << "dsim: " << a.out << " ends with a torn line (" << file.torn_tail_bytes
              << " bytes, from an interrupted sweep); dropping it\n";
    if (!truncate_file(a.out, file.good_bytes, error)) {
      std::cerr << "dsim: " << error << "\n";
      exit = kIoError;
      return false;
    }
  }
  uint64_t outside = 0, other_version = 0;
  for (const SweepRecord& r : file.records) {
    if (r.version != program_version()) ++other_version;
    if (r.scenario_hash != hash) {
      std::cerr << "dsim: " << a.out << " holds results of another scenario (" << r.scenario
                << ", hash " << r.scenario_hash << "; this one's hash is " << hash
                << "): choose another --out\n";
      exit = kBadInput;
      return false;
    }
    done.insert(r.seed);
    if (a.range.contains(r.seed) && a.shard.owns(r.seed)) {
      report.add(r, a.out);
    } else {
      ++outside;
    }
  }
  if (a.quiet) return true;  // notes only, below
  if (other_version > 0) {
    std::cerr << "dsim: note: " << other_version << " records in " << a.out
              << " were written by another dsim version (merge reports any that disagree)\n";
  }
  if (!file.records.empty()) {
    std::cerr << "dsim: resuming: " << report.unique_records() << " of "
              << owned_seed_count(a.range, a.shard) << " seeds already in " << a.out;
    if (outside > 0) std::cerr << " (and " << outside << " records outside this range, kept)";
    std::cerr << "\n";
  }
  return true;
}

}  // namespace

int sweep_command(int argc, char** argv) {
  const std::string usage =
      "usage: dsim sweep SCENARIO --seeds A..B [--jobs J] [--shard I/N] [--out FILE]\n"
      "                  [--fail-fast K] [--set PATH=VALUE ...] [--report FILE]\n"
      "Runs SCENARIO once per seed, each seed with its own random fault mix, and writes one\n"
      "JSON line per seed in seed order (to FILE, or standard output). Restarted with the\n"
      "same --out, a sweep resumes where it stopped. Exit code 1 if any seed failed, 2 if a\n"
      "seed was refused as bad input while it ran (the sweep stops there; the seeds before it\n"
      "stay recorded).";
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "scenario", po::value<std::string>()->required(), "scenario JSON file")(
      "seeds", po::value<std::string>()->required(), "seeds to run: A..B (inclusive) or N")(
      "jobs,j", po::value<std::string>(), "worker threads, 1 to 1024 (default: one per core)")(
      "shard", po::value<std::string>(), "run only shard I of N (0 <= I < N): seeds with seed % N == I")(
      "out,o", po::value<std::string>()->default_value(""),
      "results file (JSON lines; its folder is created); resumes if it exists")(
      "fail-fast", po::value<std::string>()->default_value("0"), "stop after K failing seeds (in seed order; 0: never)")(
      "set", po::value<std::vector<std::string>>()->composing(), "override a scenario field")(
      "report", po::value<std::string>()->default_value(""), "also write the report as JSON here")(
      "quiet,q", "print nothing but errors: no progress, notes or report");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  int exit = kOk;
  if (!parse_options(argc, argv, usage, opts, pos, vm, exit)) return exit;
  SweepArgs a;
  std::string error;
  if (!read_args(vm, a, error)) {
    std::cerr << "dsim: " << error << "\n";
    return kBadInput;
  }

  if (auto problem = check_outputs(a)) {
    std::cerr << "dsim: " << problem->message << "\n";
    return problem->exit_code;
  }

  ScenarioLoader loader(protocol_families());
  std::optional<SeedRunner> runner;
  try {
    Scenario s = load_scenario(a.scenario_path, a.sets, std::nullopt);
    runner.emplace(loader, s.document, a.scenario_path, a.sets);
  } catch (const ScenarioError& e) {
    std::cerr << "dsim: " << e.what() << "\n";
    return kBadInput;
  }
  // Every check passed and the scenario loaded: only now is --out's folder made; and made
  // in vain (no seed recorded: the first one refused, or Ctrl-C), it is removed again.
  const std::string new_folder = missing_out_folder(a);
  std::filesystem::path top_new_folder = new_folder;  // the outermost folder made here
  while (!new_folder.empty() && top_new_folder.has_parent_path() &&
         !std::filesystem::exists(top_new_folder.parent_path())) {
    top_new_folder = top_new_folder.parent_path();
  }
  if (!new_folder.empty()) {
    if (auto problem = create_output_folder(new_folder)) {
      std::cerr << "dsim: " << problem->message << "\n";
      return problem->exit_code;
    }
  }
  struct RemoveUnusedFolders {
    std::filesystem::path dir, top;
    ~RemoveUnusedFolders() {
      for (std::filesystem::path d = dir; !d.empty(); d = d.parent_path()) {
        std::error_code ec;
        if (!std::filesystem::is_empty(d, ec) || ec || !std::filesystem::remove(d, ec)) return;
        if (d == top) return;
      }
    }
  } remove_unused_folders{new_folder, top_new_folder};
  SweepReport report(offered_checks_of(protocol_families()));
  std::set<uint64_t> done;
  if (!a.out.empty() && !resume_from(a, runner->scenario().hash, report, done, exit)) return exit;

  uint64_t already = report.unique_records();
  uint64_t earlier_failures = report.failures();
  uint64_t to_run = owned_seed_count(a.range, a.shard) - already;
  SweepOptions options;
  options.jobs = a.jobs;
  options.interrupt = install_interrupt_handler();
  bool failed_enough = a.fail_fast > 0 && earlier_failures >= a.fail_fast;
  if (a.fail_fast > 0) options.stop_after_failures = a.fail_fast - std::min(a.fail_fast, earlier_failures);

  // The results file is opened at the first record: a sweep that records nothing (its
  // first seed refused, or Ctrl-C before any seed ended) leaves no empty file behind.
  RecordWriter writer;
  bool writer_open = false;
  std::error_code exists_ec;
  const bool out_is_new = !a.out.empty() && !std::filesystem::exists(a.out, exists_ec);
  // A file made only now must not be one that appeared meanwhile (it would be appended to):
  // it is created exclusively, then appended to like a resumed one.
  auto open_writer = [&] {
    if (out_is_new) {
      const int fd = ::open(a.out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd < 0) {
        error = "cannot write " + a.out + ": " +
                (errno == EEXIST ? std::string("a file appeared there while dsim was running")
                                 : std::strerror(errno));
        return false;
      }
      ::close(fd);
    }
    return writer.open(a.out, error);
  };
  std::optional<ProgressMeter> progress;
  if (!a.quiet) progress.emplace(stderr, ::isatty(STDERR_FILENO) != 0, to_run);
  uint64_t ran = 0, ran_failed = 0;
  auto last_sync = std::chrono::steady_clock::now();
  auto deliver = [&](const SweepRecord& r) {
    if (!writer_open && !open_writer()) return false;
    writer_open = true;
    if (!writer.append(r, error)) return false;
    report.add(r, a.out.empty() ? "-" : a.out);
    ++ran;
    ran_failed += r.failed ? 1 : 0;
    if (std::chrono::steady_clock::now() - last_sync > std::chrono::seconds(1)) {
      last_sync = std::chrono::steady_clock::now();
      return writer.sync(error);
    }
    return true;
  };
  auto tick = [&] {
    if (progress) progress->update(ran, ran_failed);
  };
  SweepEnd end = SweepEnd::kCompleted;
  if (!failed_enough && to_run > 0) {
    SeedSequence seeds(a.range, a.shard, std::move(done));
    try {
      end = run_sweep(*runner, seeds, options, deliver, tick);
    } catch (const ScenarioError& e) {
      // A seed whose simulated time stood still: bad input, and the sweep stops. What was
      // recorded stays (whole lines, the seeds before it in seed order).
      if (progress) progress->finish(ran, ran_failed);
      std::cerr << "dsim: " << e.what() << "\n";
      if (!writer.close(error)) std::cerr << "dsim: " << error << "\n";
      std::cerr << "dsim: the sweep stopped at that seed; "
                << (already + ran == 0 ? std::string("no seed was recorded")
                                       : std::to_string(already + ran) + " seeds are recorded")
                << (a.out.empty()                        ? std::string()
                    : std::filesystem::exists(a.out) ? " in " + a.out
                                                     : " (" + a.out + " was not created)")
                << "\n";
      return kBadInput;
    }
  }
  if (progress) progress->finish(ran, ran_failed);
  if (!writer.close(error) || end == SweepEnd::kDeliveryFailed) {
    std::cerr << "dsim: " << error << "\n";
    return kIoError;
  }
  std::ostream& human = a.out.empty() ? std::cerr : std::cout;
  if (!a.quiet) report.print(human);
  if (!a.quiet && (end == SweepEnd::kFailFast || failed_enough)) {
    human << "stopped after " << a.fail_fast << " failing seed(s) (--fail-fast)\n";
  }
  if (!a.report_path.empty() &&
      !write_file_atomically(a.report_path, report.to_json().dump(2) + "\n", error)) {
    std::cerr << "dsim: " << error << "\n";
    return kIoError;
  }
  if (end == SweepEnd::kInterrupted) {
    std::cerr << "dsim: interrupted; " << (already + ran) << " seeds recorded"
              << (a.out.empty() ? "" : "; run the same command again to resume") << "\n";
    return kInterrupted;
  }
  return report.failures() > 0 ? kCheckFailed : kOk;
}

}  // namespace dsim::cli
