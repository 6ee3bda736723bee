#include "explore/merge.h"

#include <algorithm>

#include "explore/record_file.h"

namespace dsim::explore {

bool merge_record_files(const std::vector<std::string>& paths, SweepReport& report,
                        MergeResult& out, std::string& error) {
  out = MergeResult{};
  for (const std::string& path : paths) {
    RecordFile file;
    if (!read_record_file(path, /*missing_ok=*/false, file, error)) return false;
    out.skipped.insert(out.skipped.end(), file.bad_lines.begin(), file.bad_lines.end());
    if (file.torn_tail_bytes > 0) {
      out.skipped.push_back(path + ": torn last line (" + std::to_string(file.torn_tail_bytes) +
                            " bytes) skipped");
    }
    for (SweepRecord& r : file.records) {
      if (report.add(r, path)) out.records.push_back(std::move(r));
    }
  }
  std::stable_sort(out.records.begin(), out.records.end(),
                   [](const SweepRecord& a, const SweepRecord& b) {
                     return std::tie(a.scenario_hash, a.seed) < std::tie(b.scenario_hash, b.seed);
                   });
  return true;
}

}  // namespace dsim::explore
