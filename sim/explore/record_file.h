// Sweep results files: JSON lines, one SweepRecord each.
//
// Writing: every record goes out as one write() of a whole line on a file opened for
// appending, so a process killed at any moment leaves only whole lines — except when the
// kill lands inside that one call, or the machine itself goes down: then the last line may
// be torn. Reading therefore tolerates a torn (or otherwise unreadable) tail, and resuming
// cuts it off before appending.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "explore/sweep_record.h"
#include "output/output_file.h"

namespace dsim::explore {

struct RecordFile {
  std::vector<SweepRecord> records;  // in file order
  uint64_t good_bytes = 0;           // length of the prefix that ends with the last good line
  uint64_t torn_tail_bytes = 0;      // bytes after it (a torn last line), 0 if none
  std::vector<std::string> bad_lines;  // "FILE:LINE: why" for complete lines that are not records
  bool not_results = false;  // read failed because the file is something else (exit code 2)
};

// Whether the first bytes of a file show a results file: its first line is a complete
// sweep record.
bool looks_like_results(std::string_view head);

// An existing file at `sweep --out` (appended to) or `merge --out` (replaced) must be a
// results file; anything else is refused and left untouched (output/output_file.h).
extern const OutputKind kResultsOutput;

// Reads a results file. A missing file reads as empty when `missing_ok`; a file that is not
// a results file sets `not_results`; any failure to read sets `error` and returns false.
bool read_record_file(const std::string& path, bool missing_ok, RecordFile& out,
                      std::string& error);

// Cuts a file back to its first `length` bytes (drops a torn tail before resuming).
bool truncate_file(const std::string& path, uint64_t length, std::string& error);

// Appends whole lines to a file (or to standard output), one write() per line.
class RecordWriter {
 public:
  // An empty path or "-" writes to standard output.
  bool open(const std::string& path, std::string& error);
  ~RecordWriter();
  bool append(const SweepRecord& record, std::string& error);
  // Asks the kernel to put what was written on the disk (survives a machine crash).
  bool sync(std::string& error);
  bool close(std::string& error);

 private:
  int fd_ = -1;
  bool owns_fd_ = false;
  std::string path_;
};

}  // namespace dsim::explore
