#include "output/output_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>

namespace dsim {
namespace fs = std::filesystem;

namespace {

// Named temporaries (the fallback's, and the hidden name a replacement passes through),
// for remove_named_temporaries_for_exit(): fixed slots, so a signal handler can walk them
// without allocating. A slot is marked used only once its path is complete.
constexpr size_t kTempSlots = 32;
constexpr size_t kTempPathBytes = 4096;
char g_temp_paths[kTempSlots][kTempPathBytes];
std::atomic<bool> g_temp_used[kTempSlots];
std::atomic<bool> g_temp_claimed[kTempSlots];

void register_temp(const std::string& path) {
  if (path.size() >= kTempPathBytes) return;
  for (size_t i = 0; i < kTempSlots; ++i) {
    bool expected = false;
    if (g_temp_claimed[i].compare_exchange_strong(expected, true)) {
      std::memcpy(g_temp_paths[i], path.c_str(), path.size() + 1);
      g_temp_used[i].store(true);
      return;
    }
  }
}

void unregister_temp(const std::string& path) {
  for (size_t i = 0; i < kTempSlots; ++i) {
    if (g_temp_used[i].load() && path == g_temp_paths[i]) {
      g_temp_used[i].store(false);
      g_temp_claimed[i].store(false);
    }
  }
}

// SIGINT and SIGTERM held off (for this thread) while a replacement is half done.
class StopSignalsHeld {
 public:
  StopSignalsHeld() {
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    ::pthread_sigmask(SIG_BLOCK, &block, &old_);
  }
  ~StopSignalsHeld() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

 private:
  sigset_t old_;
};

std::string folder_of(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

std::string name_of(const std::string& path) { return fs::path(path).filename().string(); }

std::string errno_text(int err) { return std::strerror(err); }

// The state of each output path as the command found it when it checked its paths, keyed
// by absolute path, so that a file a user writes at a later output's path during an earlier
// run is not taken for "what was there".
std::mutex g_recorded_mutex;
std::map<std::string, OutputFile::TargetState>& recorded_states() {
  static std::map<std::string, OutputFile::TargetState> states;
  return states;
}

std::string state_key(const std::string& path) {
  std::error_code ec;
  return fs::absolute(path, ec).lexically_normal().string();
}

OutputFile::TargetState state_now(const std::string& path) {
  OutputFile::TargetState state;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    state = OutputFile::TargetState{true, st.st_dev, st.st_ino, static_cast<uint64_t>(st.st_size),
                                    st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec,
                                    static_cast<unsigned>(st.st_mode & 07777)};
  }
  return state;
}

// The recorded state of `path`, or its state now when it was never recorded.
OutputFile::TargetState recorded_or_current_state(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_recorded_mutex);
  auto it = recorded_states().find(state_key(path));
  return it != recorded_states().end() ? it->second : state_now(path);
}

void set_recorded_state(const std::string& path, const OutputFile::TargetState& state) {
  std::lock_guard<std::mutex> lock(g_recorded_mutex);
  recorded_states()[state_key(path)] = state;
}

void forget_recorded_state(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_recorded_mutex);
  recorded_states().erase(state_key(path));
}

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

// Whether a file can be made beside `path`: tries it (an O_TMPFILE leaves nothing behind).
std::optional<OutputProblem> check_writable_folder(const std::string& path) {
  std::string error;
  std::unique_ptr<OutputFile> probe = OutputFile::create(path, error);
  if (!probe) return OutputProblem{3, error};
  return std::nullopt;  // discarded unwritten by its destructor
}

}  // namespace

void record_output_state(const std::string& path) {
  if (path.empty() || path == "-") return;
  set_recorded_state(path, state_now(path));
}

bool holds_output_of_kind(const std::string& path, const OutputKind& kind) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) return false;
  return kind.recognizes(read_head(path, 64 * 1024));
}

std::optional<OutputProblem> check_output_path(const std::string& path, const OutputKind& kind) {
  if (path.empty()) return std::nullopt;
  record_output_state(path);
  if (path == "-") {
    if (kind.stdout_allowed) return std::nullopt;
    return OutputProblem{2, std::string("the ") + kind.what +
                                " cannot go to standard output (\"-\"): give a file name"};
  }
  if (path.back() == '/') {
    return OutputProblem{3, "cannot write the " + std::string(kind.what) + " to " + path +
                                ": it names a folder; give a file name"};
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

std::optional<OutputProblem> check_distinct_paths(const std::vector<NamedPath>& outputs,
                                                  const std::vector<NamedPath>& inputs) {
  // A path's identity: its device and inode when it exists, else its absolute form.
  auto identity = [](const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
      return "inode " + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
    }
    std::error_code ec;
    return "path " + fs::weakly_canonical(fs::absolute(path, ec), ec).string();
  };
  std::vector<std::pair<const NamedPath*, std::string>> seen;
  for (const NamedPath& o : outputs) {
    if (o.second.empty()) continue;
    const std::string id = o.second == "-" ? "stdout" : identity(o.second);
    for (const auto& [earlier, earlier_id] : seen) {
      if (earlier_id == id) {
        return OutputProblem{2, earlier->first + " and " + o.first + " are the same " +
                                    (id == "stdout" ? "output (standard output)" : "file (" + o.second + ")") +
                                    ": give each output its own path"};
      }
    }
    seen.emplace_back(&o, id);
  }
  for (const NamedPath& in : inputs) {
    if (in.second.empty() || in.second == "-") continue;
    const std::string id = identity(in.second);
    for (const auto& [out, out_id] : seen) {
      if (out_id == id) {
        return OutputProblem{2, out->first + " (" + out->second + ") is the input " + in.first +
                                    ": writing it would destroy what is being read"};
      }
    }
  }
  return std::nullopt;
}

std::optional<OutputProblem> check_output_folder(const std::string& path,
                                                 const std::string& marker,
                                                 const OutputKind& marker_kind) {
  if (path == "-") return OutputProblem{2, "an output folder cannot be \"-\": give a folder name"};
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return OutputProblem{3, "cannot use the folder " + path + ": " + errno_text(errno)};
    return std::nullopt;  // created later, once every check has passed
  }
  if (S_ISLNK(st.st_mode) && ::stat(path.c_str(), &st) != 0) {
    return OutputProblem{2, "not writing into " + path + ": it is a symbolic link to nothing"};
  }
  if (!S_ISDIR(st.st_mode)) {
    return OutputProblem{2, "not writing outputs into " + path + ": it is " +
                                (S_ISREG(st.st_mode) ? std::string("a file") : file_type_name(st.st_mode)) +
                                ", not a folder"};
  }
  std::error_code ec;
  const fs::path marker_path = fs::path(path) / marker;
  if (!fs::is_empty(path, ec)) {
    if (::lstat(marker_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
        (st.st_size > 0 && !marker_kind.recognizes(read_head(marker_path, 64 * 1024)))) {
      return OutputProblem{2, "not writing into " + path + ": the folder holds files that dsim "
                              "did not write there (no " + marker + " of dsim's); choose an "
                              "empty or new folder"};
    }
  }
  return check_writable_folder(marker_path.string());
}

std::optional<OutputProblem> create_output_folder(const std::string& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return OutputProblem{3, "cannot create the folder " + path + ": " + ec.message()};
  return check_writable_folder((fs::path(path) / "probe").string());
}

std::unique_ptr<OutputFile> OutputFile::create(const std::string& path, std::string& error) {
  if (path == "-") return std::unique_ptr<OutputFile>(new OutputFile(path, stdout, -1, "", {}));
  const std::string folder = folder_of(path);
  int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    error = "cannot write " + path + ": " +
            (errno == ENOENT ? "the folder " + folder + " does not exist" : errno_text(errno));
    return nullptr;
  }
  const TargetState target = recorded_or_current_state(path);
  std::string named_temp;
  int fd = ::openat(dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    // No O_TMPFILE here: a hidden named temporary beside the target.
    named_temp = folder + "/." + name_of(path) + ".partial-XXXXXX";
    fd = ::mkstemp(named_temp.data());
    if (fd >= 0) register_temp(named_temp);
  }
  if (fd < 0) {
    error = "cannot write " + path + ": " + errno_text(errno);
    ::close(dir_fd);
    return nullptr;
  }
  ::fchmod(fd, target.mode);  // a replaced file keeps its permissions
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
  return std::unique_ptr<OutputFile>(new OutputFile(path, file, dir_fd, named_temp, target));
}

OutputFile::OutputFile(std::string path, std::FILE* file, int dir_fd, std::string named_temp,
                       TargetState target)
    : path_(std::move(path)),
      file_(file),
      dir_fd_(dir_fd),
      named_temp_(std::move(named_temp)),
      target_(target) {}

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

bool OutputFile::finish(std::string& error) {
  if (file_ == nullptr) {
    error = "internal error: " + path_ + " finished after it was committed";
    return false;
  }
  if (finished_) return true;
  if (std::fflush(file_) != 0 || std::ferror(file_) != 0) {
    error = file_ == stdout ? "cannot write to standard output: " + errno_text(errno)
                            : "cannot write " + path_ + ": " + errno_text(errno);
    discard();
    return false;
  }
  finished_ = true;
  return true;
}

bool OutputFile::commit(std::string& error) {
  if (!finish(error)) return false;
  if (file_ == stdout) {
    file_ = nullptr;
    return true;
  }
  const bool ok = link_into_place(error);
  if (!ok) discard();
  return ok;
}

bool OutputFile::target_unchanged(std::string& error) const {
  if (dir_fd_ < 0) return true;  // standard output
  // What is at the path now must be what was there when the command checked it.
  struct stat st {};
  const bool exists = ::lstat(path_.c_str(), &st) == 0;
  const int64_t mtime_ns = exists ? st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec : 0;
  if (exists != target_.existed ||
      (exists && (st.st_dev != target_.device || st.st_ino != target_.inode ||
                  static_cast<uint64_t>(st.st_size) != target_.size || mtime_ns != target_.mtime_ns))) {
    error = "not replacing " + path_ + ": it " +
            (target_.existed ? std::string(exists ? "changed" : "was removed") : "appeared") +
            " while dsim was running; the " + "output was discarded";
    return false;
  }
  return true;
}

bool OutputFile::link_into_place(std::string& error) {
  const std::string name = name_of(path_);
  if (!target_unchanged(error)) return false;
  const int fd = ::fileno(file_);
  const std::string proc = "/proc/self/fd/" + std::to_string(fd);
  auto link_as = [&](const std::string& as) {
    int rc = ::linkat(AT_FDCWD, proc.c_str(), dir_fd_, as.c_str(), AT_SYMLINK_FOLLOW);
    if (rc != 0 && errno == ENOENT) rc = ::linkat(fd, "", dir_fd_, as.c_str(), AT_EMPTY_PATH);
    return rc == 0;
  };
  if (named_temp_.empty() && !target_.existed) {
    // Nothing to replace: the complete file gets its final name in one step, and a file
    // that appeared there meanwhile makes this fail rather than be replaced.
    if (!link_as(name)) {
      error = "cannot write " + path_ + ": " +
              (errno == EEXIST ? std::string("a file appeared there while dsim was running")
                               : errno_text(errno));
      return false;
    }
  } else {
    StopSignalsHeld held;  // no signal may end the process between link and rename
    std::string temp_name = named_temp_.empty() ? "" : name_of(named_temp_);
    for (int attempt = 0; attempt < 100 && temp_name.empty(); ++attempt) {
      std::string candidate = "." + name + ".partial-" + std::to_string(::getpid()) + "-" +
                              std::to_string(attempt);
      const std::string full = folder_of(path_) + "/" + candidate;
      register_temp(full);
      if (link_as(candidate)) {
        temp_name = candidate;
      } else {
        const int err = errno;
        unregister_temp(full);
        if (err != EEXIST) {
          error = "cannot write " + path_ + ": " + errno_text(err);
          return false;
        }
      }
    }
    if (temp_name.empty()) {
      error = "cannot write " + path_ + ": no free temporary name beside it";
      return false;
    }
    const int rc = ::renameat(dir_fd_, temp_name.c_str(), dir_fd_, name.c_str());
    const int err = errno;
    if (rc != 0) ::unlinkat(dir_fd_, temp_name.c_str(), 0);
    unregister_temp(folder_of(path_) + "/" + temp_name);
    named_temp_.clear();
    if (rc != 0) {
      error = "cannot write " + path_ + ": " + errno_text(err);
      return false;
    }
  }
  forget_recorded_state(path_);  // spent: a later output at this path starts afresh
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  discard();
  if (!closed) {
    error = "cannot write " + path_ + ": " + errno_text(errno);
    return false;
  }
  return true;
}

bool commit_together(const std::vector<OutputFile*>& files, std::string& error) {
  for (OutputFile* f : files) {
    if (f != nullptr && !f->finish(error)) return false;
  }
  // Every target is checked before any is linked: together or not at all.
  for (OutputFile* f : files) {
    if (f != nullptr && !f->target_unchanged(error)) return false;
  }
  for (OutputFile* f : files) {
    if (f != nullptr && !f->commit(error)) return false;
  }
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
