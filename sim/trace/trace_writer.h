// Streams a JSON-lines trace with bounded memory (a fixed buffer) and a bound on size.
// Lines gather in the writer's own buffer and reach the file in writes of about
// kFlushBytes; a line may be built straight into that buffer (begin_line/end_line), so
// the trace observer copies nothing per line.
// The file is an OutputFile (output/output_file.h): invisible until close() moves it into
// place, so a reader never sees a half-written trace under the final name and a failed run
// leaves nothing behind. "-" streams to standard output.
//
// Once the byte budget is spent, further event lines are counted but not written; the
// closing summary line is always written, and says the trace was truncated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/text_buffer.h"
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

  // Lines reach a file in writes of at least this many bytes (the last one excepted);
  // standard output gets each line at once.
  static constexpr size_t kFlushBytes = size_t{1} << 20;

  // Writes one complete line (must end in '\n'). Returns false if it was dropped for the
  // byte budget.
  bool write_event(std::string_view line);
  // Building a line in place: append ONE complete line (ending in '\n') to the buffer
  // begin_line() returns, then call end_line(), which counts it like write_event (or
  // write_always when `always`) and returns what write_event returns. Nothing else may
  // touch the writer in between.
  TextBuffer& begin_line() {
    line_start_ = buffer_.size();
    return buffer_;
  }
  bool end_line(bool always = false);
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
  // together with other outputs (commit_together) instead of close(). The lines still
  // buffered here are written into it first.
  OutputFile* file() {
    flush();
    return file_.get();
  }

 private:
  TraceWriter(std::unique_ptr<OutputFile> file, uint64_t max_bytes, LineConsumer consumer);
  std::unique_ptr<OutputFile> file_;  // null: lines go to the consumer only
  uint64_t max_bytes_;
  LineConsumer consumer_;
  uint64_t bytes_ = 0;
  uint64_t dropped_ = 0;
  size_t flush_bytes_;  // kFlushBytes for a file; 0 (every line) for stdout or no file
  TextBuffer buffer_;  // lines not yet handed to the file
  size_t line_start_ = 0;

  // Hands the buffered lines to the file.
  void flush();
};

}  // namespace dsim
