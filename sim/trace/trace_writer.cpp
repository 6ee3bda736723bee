#include "trace/trace_writer.h"

namespace dsim {
namespace {

bool is_trace_head(std::string_view head) {
  std::string_view first = head.substr(0, head.find('\n'));
  return first.rfind("{\"ev\":\"header\",\"format\":\"dsim-trace\"", 0) == 0;
}

}  // namespace

const OutputKind kTraceOutput{"trace", is_trace_head, /*stdout_allowed=*/true};

std::unique_ptr<TraceWriter> TraceWriter::open(const std::string& path, uint64_t max_bytes,
                                               std::string& error, LineConsumer consumer) {
  std::unique_ptr<OutputFile> file;
  if (!path.empty()) {
    file = OutputFile::create(path, error);
    if (!file) return nullptr;
    if (file->stream() == stdout) {
      // Standard output is shared with whatever else the command prints: each line goes
      // to the stream at once (which buffers it), so the order of the two stays.
      static constexpr size_t kStdoutBufferBytes = 1 << 20;
      std::setvbuf(file->stream(), nullptr, _IOFBF, kStdoutBufferBytes);
    } else {
      // A file of our own: the writer buffers whole lines, the stream passes them on.
      std::setvbuf(file->stream(), nullptr, _IONBF, 0);
    }
  }
  return std::unique_ptr<TraceWriter>(
      new TraceWriter(std::move(file), max_bytes, std::move(consumer)));
}

TraceWriter::TraceWriter(std::unique_ptr<OutputFile> file, uint64_t max_bytes,
                         LineConsumer consumer)
    : file_(std::move(file)),
      max_bytes_(max_bytes),
      consumer_(std::move(consumer)),
      flush_bytes_(file_ && file_->stream() != stdout ? kFlushBytes : 0) {
  buffer_.reserve(flush_bytes_ + (kFlushBytes >> 2));
}

// Not closed (an exception unwound us): the OutputFile discards what was written.
TraceWriter::~TraceWriter() = default;

bool TraceWriter::write_event(std::string_view line) {
  if (bytes_ + line.size() > max_bytes_) {
    ++dropped_;
    return false;
  }
  write_always(line);
  return true;
}

void TraceWriter::write_always(std::string_view line) {
  begin_line().append(line);
  end_line(/*always=*/true);
}

bool TraceWriter::end_line(bool always) {
  const size_t size = buffer_.size() - line_start_;
  if (!always && bytes_ + size > max_bytes_) {
    buffer_.truncate(line_start_);
    ++dropped_;
    return false;
  }
  if (consumer_) consumer_(buffer_.view(line_start_));
  bytes_ += size;
  if (buffer_.size() >= flush_bytes_) flush();
  return true;
}

void TraceWriter::flush() {
  // Write errors surface in OutputFile::commit() (it checks the stream's error flag).
  if (file_ && !buffer_.empty()) std::fwrite(buffer_.data(), 1, buffer_.size(), file_->stream());
  buffer_.clear();
}

bool TraceWriter::close(std::string& error) {
  if (!file_) return true;
  flush();
  bool ok = file_->commit(error);
  file_.reset();
  return ok;
}

}  // namespace dsim
