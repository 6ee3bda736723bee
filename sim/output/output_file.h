// Files dsim writes (traces, summaries, results, reports): checked before any work starts,
// written where no reader can see them until complete, and never clobbering what a user
// keeps at the path.
//
// The rules, the same for every command (README, "Output files"):
// - "-" is standard output, for the outputs that allow it: written straight through.
// - A path that exists must be a regular file holding output of the same kind (or empty).
//   A symlink, FIFO, socket or device is refused, and so is a regular file of another kind
//   (a scenario, a results file of `sweep`, a user's notes): exit code 2, left untouched.
// - A path that is a folder, or whose folder is missing or not writable, fails before the
//   run with exit code 3.
// - Two outputs of one command, or an output and an input, may not be the same file.
// - The content goes into an unnamed temporary file in the target's folder (Linux
//   O_TMPFILE) that is linked into place only when complete: straight to the final name
//   when nothing was there, else under a hidden name renamed over the old file in one step
//   (with SIGINT/SIGTERM held off between the two). Until then nothing is visible: a
//   failure (full disk, signal, even SIGKILL while the run goes on) leaves no `.partial`
//   file behind; only a SIGKILL in the instant between link and rename can leave a hidden
//   `.NAME.partial-*`. On a file system without O_TMPFILE a hidden named temporary is used
//   instead and removed on every failure dsim survives.
// - A file that appears or changes at the path while dsim runs is never replaced: the
//   output is then discarded with exit code 3. "While dsim runs" starts when the command
//   checks its paths (check_output_path records each path's state then), not when the
//   output is created: a later output of run-set or check-determinism is compared with
//   what was at its path before the first run began.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dsim {

// What kind of file an output is, so that an existing file at its path can be recognised
// as an earlier output of the same kind (and replaced) or as something else (and kept).
struct OutputKind {
  const char* what;  // "trace", "sweep results file": for messages
  // True when the first bytes of an existing, non-empty file (at most 64 KiB) show it is
  // this kind of output.
  bool (*recognizes)(std::string_view head);
  bool stdout_allowed;  // whether "-" means standard output
};

// Why an output path cannot be used. exit_code is 2 (the path holds something that is not
// ours to replace) or 3 (the folder is missing or unwritable, or the path is a folder).
struct OutputProblem {
  int exit_code;
  std::string message;  // names the path
};

// Checks `path` for `kind` before any work is done. An empty path is no output (fine).
// Records the path's state (see record_output_state) whatever the outcome.
std::optional<OutputProblem> check_output_path(const std::string& path, const OutputKind& kind);

// Records what is at `path` now (nothing, or a file's device, inode, size and mtime) as the
// state its OutputFile must still find when it commits. check_output_path does this; a
// command calls it for an output path it does not check (e.g. inside a folder it has not
// made yet). A path never recorded is compared with its state when its OutputFile is
// created. A commit spends the record: a later OutputFile at the same path (dsim writing
// it again, or a library user reusing a path) compares with the state at its own creation.
void record_output_state(const std::string& path);

// Two outputs, or an output and an input, that are the same file (by path, or by device
// and inode when it exists) give exit code 2. "-" (standard output) counts for outputs
// only: two outputs to "-" clash too. Each entry is {what, path}, e.g. {"--trace", "t.jsonl"}.
using NamedPath = std::pair<std::string, std::string>;
std::optional<OutputProblem> check_distinct_paths(const std::vector<NamedPath>& outputs,
                                                  const std::vector<NamedPath>& inputs);

// Like check_output_path for a folder that a command fills with outputs (run-set --out,
// check-determinism --keep), without changing anything: it may be missing, or an existing
// folder that is empty or holds `marker` of `marker_kind` (written there by the same command
// before). Anything else is refused with exit code 2.
std::optional<OutputProblem> check_output_folder(const std::string& path,
                                                 const std::string& marker,
                                                 const OutputKind& marker_kind);
// Whether `path` is a regular file (not a symbolic link), not empty, whose first bytes show
// an output of `kind`: what a command checks before it removes a file it takes for its own
// earlier output, so that a user's file put at that name is never removed.
bool holds_output_of_kind(const std::string& path, const OutputKind& kind);
// Creates the folder (and its parents) once every check has passed. Exit code 3 on failure.
std::optional<OutputProblem> create_output_folder(const std::string& path);

// One output being written. Create it, write through stream(), then commit(); destroying an
// uncommitted file discards everything written.
class OutputFile {
 public:
  // Opens the temporary file in path's folder (or standard output for "-"). Returns null
  // and sets `error` (naming `path`) on failure.
  static std::unique_ptr<OutputFile> create(const std::string& path, std::string& error);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::FILE* stream() { return file_; }
  const std::string& path() const { return path_; }
  // Flushes and checks that everything written reached the file (a full disk shows here).
  // Returns false and sets `error` (naming the target path) on failure.
  bool finish(std::string& error);
  // finish(), then moves the file into place. Returns false and sets `error` (naming the
  // target path) on failure, and then nothing is left behind.
  bool commit(std::string& error);
  // Whether the path still holds what was recorded for it (see record_output_state).
  // Returns false and sets `error` (naming the path) when a file appeared, changed or was
  // removed there.
  bool target_unchanged(std::string& error) const;

  struct TargetState {  // what was at the path when it was recorded (or the file created)
    bool existed = false;
    uint64_t device = 0, inode = 0, size = 0;
    int64_t mtime_ns = 0;
    unsigned mode = 0644;
  };

 private:
  OutputFile(std::string path, std::FILE* file, int dir_fd, std::string named_temp,
             TargetState target);
  void discard();
  bool link_into_place(std::string& error);

  std::string path_;
  std::FILE* file_;
  int dir_fd_;              // the target's folder, for linkat/renameat; -1 for stdout
  std::string named_temp_;  // the fallback's temporary name, empty with O_TMPFILE
  TargetState target_;
  bool finished_ = false;
};

// Commits several outputs as one: every file is finished and every target checked
// unchanged first, and only then is any moved into place (a full disk, or a file that a
// user wrote at one of the paths, then leaves none of them). Null entries are skipped.
// Returns false and sets `error` on the first failure.
bool commit_together(const std::vector<OutputFile*>& files, std::string& error);

// Writes `text` to `path` as one OutputFile. Returns false and sets `error` on failure.
bool write_file_atomically(const std::string& path, std::string_view text, std::string& error);

// Removes every named temporary file still open (for a signal handler that is about to
// end the process: async-signal-safe).
void remove_named_temporaries_for_exit();

}  // namespace dsim
