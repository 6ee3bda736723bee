#include "explore/record_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dsim::explore {
namespace {

// Appends the record on `line` to `records`; false (and why) when it is not one.
bool parse_record_line(std::string_view line, std::vector<SweepRecord>& records,
                       std::string& why) {
  Json j = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    why = "not valid JSON";
    return false;
  }
  try {
    records.push_back(record_from_json(j));
  } catch (const std::exception& e) {
    why = e.what();
    return false;
  }
  return true;
}

}  // namespace

bool looks_like_results(std::string_view head) {
  // A results file has a complete first record. A file with no line end is not one, even
  // if it starts like a record: it may be a user's file, and the only results file that
  // looks so (a sweep killed while writing its very first record) holds nothing to keep.
  size_t nl = head.find('\n');
  if (nl == std::string_view::npos) return false;
  std::vector<SweepRecord> first;
  std::string why;
  return parse_record_line(head.substr(0, nl), first, why);
}

const OutputKind kResultsOutput{"sweep results file", looks_like_results, /*stdout_allowed=*/true};

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

  if (!text.empty() && !looks_like_results(text)) {
    error = path + " is not a sweep results file (its first line is not a sweep record)";
    out.not_results = true;
    return false;
  }
  // Only an unfinished last line (no line end) is a torn tail: records are written one
  // whole line per write(), so a kill can leave nothing else. A complete line that does not
  // parse is reported and kept, never cut.
  size_t pos = 0;
  size_t line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;  // the torn tail
    std::string_view line(text.data() + pos, nl - pos);
    ++line_no;
    if (!line.empty()) {
      std::string why;
      if (!parse_record_line(line, out.records, why)) {
        out.bad_lines.push_back(path + ":" + std::to_string(line_no) + ": " + why);
      }
    }
    pos = nl + 1;
    out.good_bytes = pos;
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
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
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
