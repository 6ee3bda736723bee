#include "explore/record_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dsim::explore {

bool read_record_file(const std::string& path, bool missing_ok, RecordFile& out,
                      std::string& error) {
  out = RecordFile{};
  std::error_code ec;
  if (missing_ok && !std::filesystem::exists(path, ec)) return true;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path;
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  // Lines that fail to parse are held back until a good line follows: only then are they
  // "in the middle"; if none follows they are the torn tail.
  std::vector<std::string> pending_bad;
  size_t pos = 0;
  size_t line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    bool complete = nl != std::string::npos;
    size_t end = complete ? nl : text.size();
    std::string_view line(text.data() + pos, end - pos);
    ++line_no;
    std::string why;
    if (!complete) {
      why = "no line end (torn)";
    } else if (!line.empty()) {
      Json j = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
      if (j.is_discarded()) {
        why = "not valid JSON";
      } else {
        try {
          out.records.push_back(record_from_json(j));
        } catch (const std::exception& e) {
          why = e.what();
        }
      }
    }
    if (!why.empty()) {
      pending_bad.push_back(path + ":" + std::to_string(line_no) + ": " + why);
    } else if (complete && !line.empty()) {
      out.bad_lines.insert(out.bad_lines.end(), pending_bad.begin(), pending_bad.end());
      pending_bad.clear();
      out.good_bytes = end + 1;
    }
    pos = complete ? nl + 1 : text.size();
  }
  out.torn_tail_bytes = text.size() - out.good_bytes;
  return true;
}

bool truncate_file(const std::string& path, uint64_t length, std::string& error) {
  if (::truncate(path.c_str(), static_cast<off_t>(length)) != 0) {
    error = "cannot truncate " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

bool RecordWriter::open(const std::string& path, std::string& error) {
  path_ = path.empty() ? "-" : path;
  if (path_ == "-") {
    fd_ = STDOUT_FILENO;
    owns_fd_ = false;
    return true;
  }
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    error = "cannot open " + path_ + " for appending: " + std::strerror(errno);
    return false;
  }
  owns_fd_ = true;
  return true;
}

RecordWriter::~RecordWriter() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

bool RecordWriter::append(const SweepRecord& record, std::string& error) {
  const std::string line = to_line(record);
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = "cannot write to " + path_ + ": " + std::strerror(errno);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

bool RecordWriter::sync(std::string& error) {
  if (!owns_fd_) return true;
  if (::fdatasync(fd_) != 0) {
    error = "cannot sync " + path_ + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

bool RecordWriter::close(std::string& error) {
  if (!owns_fd_ || fd_ < 0) return true;
  bool ok = sync(error);
  if (::close(fd_) != 0 && ok) {
    error = "cannot close " + path_ + ": " + std::strerror(errno);
    ok = false;
  }
  fd_ = -1;
  return ok;
}

}  // namespace dsim::explore
