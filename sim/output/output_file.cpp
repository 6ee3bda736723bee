#include "output/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace dsim {
namespace fs = std::filesystem;

namespace {

// The fallback's named temporaries, for remove_named_temporaries_for_exit(): fixed slots,
// so a signal handler can walk them without allocating.
constexpr size_t kTempSlots = 32;
constexpr size_t kTempPathBytes = 4096;
char g_temp_paths[kTempSlots][kTempPathBytes];
std::atomic<bool> g_temp_used[kTempSlots];

int register_temp(const std::string& path) {
  if (path.size() >= kTempPathBytes) return -1;
  for (size_t i = 0; i < kTempSlots; ++i) {
    bool expected = false;
    if (g_temp_used[i].compare_exchange_strong(expected, true)) {
      std::memcpy(g_temp_paths[i], path.c_str(), path.size() + 1);
      return static_cast<int>(i);
    }
  }
  return -1;
}

void unregister_temp(const std::string& path) {
  for (size_t i = 0; i < kTempSlots; ++i) {
    if (g_temp_used[i].load() && path == g_temp_paths[i]) g_temp_used[i].store(false);
  }
}

std::string folder_of(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

std::string name_of(const std::string& path) { return fs::path(path).filename().string(); }

std::string errno_text(int err) { return std::strerror(err); }

const char* file_type_name(mode_t mode) {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a folder";
  return "not a regular file";
}

std::string read_head(const std::string& path, size_t max_bytes) {
  std::string head(max_bytes, '\0');
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return {};
  ssize_t n = ::read(fd, head.data(), head.size());
  ::close(fd);
  head.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return head;
}

// Whether a file can be made in `folder`: tries it (an O_TMPFILE leaves nothing behind).
std::optional<OutputProblem> check_writable_folder(const std::string& path) {
  std::string error;
  std::unique_ptr<OutputFile> probe = OutputFile::create(path, error);
  if (!probe) return OutputProblem{3, error};
  return std::nullopt;  // discarded unwritten by its destructor
}

}  // namespace

std::optional<OutputProblem> check_output_path(const std::string& path, const OutputKind& kind) {
  if (path.empty()) return std::nullopt;
  if (path == "-") {
    if (kind.stdout_allowed) return std::nullopt;
    return OutputProblem{2, std::string("the ") + kind.what +
                                " cannot go to standard output (\"-\"): give a file name"};
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return OutputProblem{3, "cannot write " + path + ": " + errno_text(errno)};
    return check_writable_folder(path);
  }
  if (S_ISDIR(st.st_mode)) {
    return OutputProblem{3, "cannot write the " + std::string(kind.what) + " to " + path +
                                ": it is a folder; give a file name"};
  }
  if (!S_ISREG(st.st_mode)) {
    std::string hint = kind.stdout_allowed ? " (\"-\" writes to standard output)" : "";
    return OutputProblem{2, "not writing the " + std::string(kind.what) + " to " + path +
                                ": it is " + file_type_name(st.st_mode) +
                                ", and dsim writes only regular files" + hint};
  }
  if (st.st_size > 0 && !kind.recognizes(read_head(path, 64 * 1024))) {
    return OutputProblem{2, "not overwriting " + path + ": it exists and is not a " +
                                kind.what + " that dsim wrote (choose another path, or remove "
                                "the file first)"};
  }
  return check_writable_folder(path);
}

std::optional<OutputProblem> prepare_output_folder(const std::string& path,
                                                   const std::string& marker) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);  // follows a link to a folder
  if (!fs::exists(status)) {
    fs::create_directories(path, ec);
    if (ec) return OutputProblem{3, "cannot create the folder " + path + ": " + ec.message()};
  } else if (!fs::is_directory(status)) {
    return OutputProblem{3, "cannot write outputs into " + path + ": it is not a folder"};
  } else if (!fs::is_empty(path, ec) && !fs::exists(fs::path(path) / marker, ec)) {
    return OutputProblem{2, "not writing into " + path + ": the folder holds files that dsim "
                            "did not write there (no " + marker + "); choose an empty or new "
                            "folder"};
  }
  return check_writable_folder((fs::path(path) / marker).string());
}

std::unique_ptr<OutputFile> OutputFile::create(const std::string& path, std::string& error) {
  if (path == "-") return std::unique_ptr<OutputFile>(new OutputFile(path, stdout, -1, ""));
  const std::string folder = folder_of(path);
  int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    error = "cannot write " + path + ": " +
            (errno == ENOENT ? "the folder " + folder + " does not exist" : errno_text(errno));
    return nullptr;
  }
  std::string named_temp;
  int fd = ::openat(dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    // No O_TMPFILE here: a hidden named temporary beside the target.
    named_temp = folder + "/." + name_of(path) + ".partial-XXXXXX";
    fd = ::mkstemp(named_temp.data());
    if (fd >= 0) {
      ::fchmod(fd, 0644);
      register_temp(named_temp);
    }
  }
  if (fd < 0) {
    error = "cannot write " + path + ": " + errno_text(errno);
    ::close(dir_fd);
    return nullptr;
  }
  std::FILE* file = ::fdopen(fd, "wb");
  if (file == nullptr) {
    error = "cannot write " + path + ": " + errno_text(errno);
    ::close(fd);
    if (!named_temp.empty()) {
      ::unlink(named_temp.c_str());
      unregister_temp(named_temp);
    }
    ::close(dir_fd);
    return nullptr;
  }
  return std::unique_ptr<OutputFile>(new OutputFile(path, file, dir_fd, named_temp));
}

OutputFile::OutputFile(std::string path, std::FILE* file, int dir_fd, std::string named_temp)
    : path_(std::move(path)), file_(file), dir_fd_(dir_fd), named_temp_(std::move(named_temp)) {}

OutputFile::~OutputFile() { discard(); }

void OutputFile::discard() {
  if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  file_ = nullptr;
  if (!named_temp_.empty()) {
    ::unlink(named_temp_.c_str());
    unregister_temp(named_temp_);
    named_temp_.clear();
  }
  if (dir_fd_ >= 0) ::close(dir_fd_);
  dir_fd_ = -1;
}

bool OutputFile::commit(std::string& error) {
  if (file_ == nullptr) {
    error = "internal error: " + path_ + " committed twice";
    return false;
  }
  if (file_ == stdout) {
    bool ok = std::fflush(stdout) == 0 && std::ferror(stdout) == 0;
    if (!ok) error = "cannot write to standard output: " + errno_text(errno);
    file_ = nullptr;
    return ok;
  }
  if (std::fflush(file_) != 0 || std::ferror(file_) != 0) {
    error = "cannot write " + path_ + ": " + errno_text(errno);
    discard();
    return false;
  }
  // The path was checked before the run; refuse to replace what appeared there since.
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    error = "not replacing " + path_ + ": it became " + file_type_name(st.st_mode) +
            " during the run";
    discard();
    return false;
  }
  const std::string name = name_of(path_);
  std::string temp_name;
  if (named_temp_.empty()) {
    // Give the unnamed file a hidden name, then rename it over the target in one step.
    const int fd = ::fileno(file_);
    const std::string proc = "/proc/self/fd/" + std::to_string(fd);
    for (int attempt = 0; attempt < 100 && temp_name.empty(); ++attempt) {
      std::string candidate = "." + name + ".partial-" + std::to_string(::getpid()) + "-" +
                              std::to_string(attempt);
      int rc = ::linkat(AT_FDCWD, proc.c_str(), dir_fd_, candidate.c_str(), AT_SYMLINK_FOLLOW);
      if (rc != 0 && errno == ENOENT) rc = ::linkat(fd, "", dir_fd_, candidate.c_str(), AT_EMPTY_PATH);
      if (rc == 0) {
        temp_name = candidate;
      } else if (errno != EEXIST) {
        error = "cannot write " + path_ + ": " + errno_text(errno);
        discard();
        return false;
      }
    }
    if (temp_name.empty()) {
      error = "cannot write " + path_ + ": no free temporary name beside it";
      discard();
      return false;
    }
  } else {
    temp_name = name_of(named_temp_);
  }
  const bool closed = std::fclose(file_) == 0;
  const int close_errno = errno;
  file_ = nullptr;
  if (!closed) {
    error = "cannot write " + path_ + ": " + errno_text(close_errno);
    ::unlinkat(dir_fd_, temp_name.c_str(), 0);
    discard();
    return false;
  }
  if (::renameat(dir_fd_, temp_name.c_str(), dir_fd_, name.c_str()) != 0) {
    error = "cannot write " + path_ + ": " + errno_text(errno);
    ::unlinkat(dir_fd_, temp_name.c_str(), 0);
    discard();
    return false;
  }
  if (!named_temp_.empty()) unregister_temp(named_temp_);
  named_temp_.clear();
  discard();
  return true;
}

bool write_file_atomically(const std::string& path, std::string_view text, std::string& error) {
  std::unique_ptr<OutputFile> out = OutputFile::create(path, error);
  if (!out) return false;
  if (std::fwrite(text.data(), 1, text.size(), out->stream()) != text.size()) {
    error = "cannot write " + path + ": " + errno_text(errno);
    return false;
  }
  return out->commit(error);
}

void remove_named_temporaries_for_exit() {
  for (size_t i = 0; i < kTempSlots; ++i) {
    if (g_temp_used[i].load()) ::unlink(g_temp_paths[i]);
  }
}

}  // namespace dsim
