// Streams a JSON-lines trace with bounded memory (a fixed buffer) and a bound on size.
// The file is an OutputFile (output/output_file.h): invisible until close() moves it into
// place, so a reader never sees a half-written trace under the final name and a failed run
// leaves nothing behind. "-" streams to standard output.
//
// Once the byte budget is spent, further event lines are counted but not written; the
// closing summary line is always written, and says the trace was truncated.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "output/output_file.h"

namespace dsim {

// An existing file at a trace path is replaced only if it is a dsim trace (its first line
// is the header); see output/output_file.h.
extern const OutputKind kTraceOutput;

class TraceWriter {
 public:
  // Every line written is also handed to this consumer (e.g. a live Perfetto export).
  using LineConsumer = std::function<void(std::string_view line)>;

  // Returns null and sets `error` if the file cannot be created. An empty `path` writes
  // no file: the lines go to `consumer` alone.
  static std::unique_ptr<TraceWriter> open(const std::string& path, uint64_t max_bytes,
                                           std::string& error, LineConsumer consumer = nullptr);
  ~TraceWriter();

  // Writes one complete line (must end in '\n'). Returns false if it was dropped for the
  // byte budget.
  bool write_event(std::string_view line);
  // Header and summary lines ignore the budget.
  void write_always(std::string_view line);
  // Flushes and moves the file into place. Returns false (and sets error) on I/O error,
  // and then no file is left.
  bool close(std::string& error);

  uint64_t bytes_written() const { return bytes_; }
  uint64_t lines_dropped() const { return dropped_; }
  bool truncated() const { return dropped_ > 0; }
  uint64_t max_bytes() const { return max_bytes_; }
  // The file being written (null when lines go only to the consumer), for committing it
  // together with other outputs (commit_together) instead of close().
  OutputFile* file() { return file_.get(); }

 private:
  TraceWriter(std::unique_ptr<OutputFile> file, uint64_t max_bytes, LineConsumer consumer);
  std::unique_ptr<OutputFile> file_;  // null: lines go to the consumer only
  uint64_t max_bytes_;
  LineConsumer consumer_;
  uint64_t bytes_ = 0;
  uint64_t dropped_ = 0;
};

}  // namespace dsim
