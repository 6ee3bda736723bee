// Merges sweep results files (shards, resumed runs, overlapping or partial files) into
// one set of records and one report. Each (scenario hash, seed) counts once; the first
// record read wins and any later one that disagrees is reported as a conflict. Torn or
// unreadable lines are skipped and listed.
#pragma once

#include <string>
#include <vector>

#include "explore/sweep_record.h"
#include "explore/sweep_report.h"

namespace dsim::explore {

struct MergeResult {
  std::vector<SweepRecord> records;  // one per (scenario hash, seed), in that order
  std::vector<std::string> skipped;  // "FILE:LINE: why" for each line not read
};

// Sets `error` and returns false when a file cannot be read at all.
bool merge_record_files(const std::vector<std::string>& paths, SweepReport& report,
                        MergeResult& out, std::string& error);

}  // namespace dsim::explore
