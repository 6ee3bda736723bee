#include "trace/trace_writer.h"

#include <cerrno>
#include <cstring>

namespace dsim {

std::unique_ptr<TraceWriter> TraceWriter::open(const std::string& path, uint64_t max_bytes,
                                               std::string& error) {
  std::string partial = path + ".partial";
  std::FILE* f = std::fopen(partial.c_str(), "wb");
  if (f == nullptr) {
    error = "cannot write " + partial + ": " + std::strerror(errno);
    return nullptr;
  }
  static constexpr size_t kBufferBytes = 1 << 20;
  std::setvbuf(f, nullptr, _IOFBF, kBufferBytes);
  return std::unique_ptr<TraceWriter>(new TraceWriter(f, path, max_bytes));
}

TraceWriter::TraceWriter(std::FILE* f, std::string path, uint64_t max_bytes)
    : file_(f), path_(std::move(path)), max_bytes_(max_bytes) {}

TraceWriter::~TraceWriter() {
  if (file_ != nullptr) {
    // Not closed properly (an exception unwound us): leave only the .partial file.
    std::fclose(file_);
  }
}

bool TraceWriter::write_event(std::string_view line) {
  if (bytes_ + line.size() > max_bytes_) {
    ++dropped_;
    return false;
  }
  write_always(line);
  return true;
}

void TraceWriter::write_always(std::string_view line) {
  std::fwrite(line.data(), 1, line.size(), file_);
  bytes_ += line.size();
}

bool TraceWriter::close(std::string& error) {
  bool ok = std::fflush(file_) == 0 && !std::ferror(file_);
  ok = std::fclose(file_) == 0 && ok;
  file_ = nullptr;
  std::string partial = path_ + ".partial";
  if (!ok) {
    error = "error writing " + partial;
    return false;
  }
  if (std::rename(partial.c_str(), path_.c_str()) != 0) {
    error = "cannot rename " + partial + " to " + path_ + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace dsim
