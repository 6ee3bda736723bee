// Streams a JSON-lines trace to a file with bounded memory (a fixed buffer) and a bound
// on size. The file is written as PATH.partial and renamed to PATH by close(), so a
// reader never sees a half-written trace under the final name.
//
// Once the byte budget is spent, further event lines are counted but not written; the
// closing summary line is always written, and says the trace was truncated.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace dsim {

class TraceWriter {
 public:
  // Returns null and sets `error` if the file cannot be created.
  static std::unique_ptr<TraceWriter> open(const std::string& path, uint64_t max_bytes,
                                           std::string& error);
  ~TraceWriter();

  // Writes one complete line (must end in '\n'). Returns false if it was dropped for the
  // byte budget.
  bool write_event(std::string_view line);
  // Header and summary lines ignore the budget.
  void write_always(std::string_view line);
  // Flushes, closes and renames into place. Returns false (and sets error) on I/O error.
  bool close(std::string& error);

  uint64_t bytes_written() const { return bytes_; }
  uint64_t lines_dropped() const { return dropped_; }
  bool truncated() const { return dropped_ > 0; }

 private:
  TraceWriter(std::FILE* f, std::string path, uint64_t max_bytes);
  std::FILE* file_;
  std::string path_;
  uint64_t max_bytes_;
  uint64_t bytes_ = 0;
  uint64_t dropped_ = 0;
};

}  // namespace dsim
