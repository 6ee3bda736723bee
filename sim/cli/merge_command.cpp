// dsim merge FILES... [--out FILE] [--report FILE]: merges sweep results files (shards,
// resumed runs, overlapping or partial files) into one report, failing seeds first.
#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "explore/merge.h"
#include "explore/record_file.h"
#include "protocols/registry.h"
#include "runner/run_scenario.h"

namespace dsim::cli {

int merge_command(int argc, char** argv) {
  const std::string usage =
      "usage: dsim merge FILE... [--out FILE] [--report FILE]\n"
      "Merges sweep results (from shards or resumed runs) into one report: failing seeds\n"
      "first, grouped by check, then totals and coverage. A seed recorded twice counts\n"
      "once; records that disagree are reported as conflicts. --out writes the merged\n"
      "records (JSON lines, one per scenario and seed). Exit code 1 if any seed failed or\n"
      "any records conflict.";
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "files", po::value<std::vector<std::string>>()->required(), "sweep results files")(
      "out,o", po::value<std::string>()->default_value(""),
      "write the merged records here (- for stdout; an existing file must be a results file)")(
      "report", po::value<std::string>()->default_value(""), "write the report as JSON here")(
      "quiet,q", "print nothing but errors (the verdict is in the exit code)");
  po::positional_options_description pos;
  pos.add("files", -1);
  po::variables_map vm;
  int exit = kOk;
  if (!parse_options(argc, argv, usage, opts, pos, vm, exit)) return exit;

  const std::string out = vm["out"].as<std::string>();
  const std::string report_path = vm["report"].as<std::string>();
  for (const auto& [path, kind] : {std::pair{out, &explore::kResultsOutput},
                                   std::pair{report_path, &explore::kSweepReportOutput}}) {
    if (auto problem = check_output_path(path, *kind)) {
      std::cerr << "dsim: " << problem->message << "\n";
      return problem->exit_code;
    }
  }
  std::vector<NamedPath> inputs;
  for (const std::string& f : vm["files"].as<std::vector<std::string>>()) inputs.emplace_back("FILE", f);
  if (auto problem = check_distinct_paths({{"--out", out}, {"--report", report_path}}, inputs)) {
    std::cerr << "dsim: " << problem->message << "\n";
    return problem->exit_code;
  }
  explore::SweepReport report(explore::offered_checks_of(protocol_families()));
  explore::MergeResult merged;
  std::string error;
  if (!explore::merge_record_files(vm["files"].as<std::vector<std::string>>(), report, merged,
                                   error)) {
    std::cerr << "dsim: " << error << "\n";
    return kBadInput;
  }
  for (const std::string& s : merged.skipped) std::cerr << "dsim: skipped " << s << "\n";
  // --out and --report are moved into place together, or neither is.
  std::vector<std::unique_ptr<OutputFile>> files;
  auto write = [&](const std::string& path, const std::string& text) {
    if (path.empty()) return true;
    std::unique_ptr<OutputFile> file = OutputFile::create(path, error);
    if (!file) return false;
    if (std::fwrite(text.data(), 1, text.size(), file->stream()) != text.size()) {
      error = "cannot write " + path + ": " + std::strerror(errno);
      return false;
    }
    files.push_back(std::move(file));
    return true;
  };
  std::string records;
  for (const explore::SweepRecord& r : merged.records) records += explore::to_line(r);
  if (!write(out, records) ||
      !write(report_path, report_path.empty() ? "" : report.to_json().dump(2) + "\n") ||
      !commit_together({files.size() > 0 ? files[0].get() : nullptr,
                        files.size() > 1 ? files[1].get() : nullptr},
                       error)) {
    std::cerr << "dsim: " << error << "\n";
    return kIoError;
  }
  if (vm.count("quiet") == 0) report.print(out == "-" ? std::cerr : std::cout);  // stdout may carry the records
  return report.failures() > 0 || !report.conflicts().empty() ? kCheckFailed : kOk;
}

}  // namespace dsim::cli
