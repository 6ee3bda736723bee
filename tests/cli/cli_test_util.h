// Running the dsim binary from tests, and snapshots of a folder to prove nothing changed.
#pragma once

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace dsim::testing {
namespace fs = std::filesystem;

struct CliResult {
  int exit = -1;       // the exit code, or -1 when killed by a signal
  std::string stderr_text;
};

// Runs `dsim ARGS` through the shell in `dir`, standard output discarded.
inline CliResult run_dsim(const std::string& args, const fs::path& dir = fs::current_path()) {
  const fs::path err = dir / ".dsim-test-stderr";
  std::string cmd = "cd '" + dir.string() + "' && " + DSIM_BINARY + " " + args +
                    " >/dev/null 2>'" + err.string() + "'";
  int status = std::system(cmd.c_str());
  CliResult r;
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err);
  std::stringstream text;
  text << in.rdbuf();
  r.stderr_text = text.str();
  fs::remove(err);
  return r;
}

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_text(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// Every entry of a folder (recursively, links not followed) with its type, size, content
// hash and link target: equal snapshots mean nothing was added, removed or changed.
inline std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    struct stat st {};
    ::lstat(e.path().c_str(), &st);
    std::string what = std::to_string(st.st_mode) + " " + std::to_string(st.st_size);
    if (S_ISLNK(st.st_mode)) {
      what += " -> " + fs::read_symlink(e.path()).string();
    } else if (S_ISREG(st.st_mode)) {
      what += " " + std::to_string(std::hash<std::string>{}(read_text(e.path())));
    }
    out[fs::relative(e.path(), dir).string()] = what;
  }
  return out;
}

// A fresh, empty folder under the system's temporary folder.
inline fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("dsim_cli_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace dsim::testing
