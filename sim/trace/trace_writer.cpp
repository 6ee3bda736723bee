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
    static constexpr size_t kBufferBytes = 1 << 20;
    std::setvbuf(file->stream(), nullptr, _IOFBF, kBufferBytes);
  }
  return std::unique_ptr<TraceWriter>(
      new TraceWriter(std::move(file), max_bytes, std::move(consumer)));
}

TraceWriter::TraceWriter(std::unique_ptr<OutputFile> file, uint64_t max_bytes,
                         LineConsumer consumer)
    : file_(std::move(file)), max_bytes_(max_bytes), consumer_(std::move(consumer)) {}

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
  if (file_) std::fwrite(line.data(), 1, line.size(), file_->stream());
  if (consumer_) consumer_(line);
  bytes_ += line.size();
}

bool TraceWriter::close(std::string& error) {
  if (!file_) return true;
  bool ok = file_->commit(error);
  file_.reset();
  return ok;
}

}  // namespace dsim
