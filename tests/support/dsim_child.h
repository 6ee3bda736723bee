// Running the dsim binary as a child process while the test does something to it or to its
// folder (sends a signal, puts a file where an output goes), then waiting for its end.
// DSIM_BINARY is the path of the binary (a compile definition of the test target).
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace dsim::testing {

struct ChildResult {
  int exit = -1;  // the exit code, or minus the signal that ended it
  std::string stderr_text;
};

// Starts `dsim ARGS` in `dir` (standard output discarded; standard error kept in a file
// outside `dir`, so the folder holds only what dsim writes), calls `during(pid)` after
// `delay`, and waits for the end. The child blocks SIGINT and SIGTERM until dsim's main()
// has its handlers in place (it unblocks them then), so a signal sent before that is held,
// not fatal: a test that signals it is not a race.
// `stdout_path` keeps standard output in that file instead (for a trace streamed with "-").
inline ChildResult run_dsim_during(const std::vector<std::string>& args, const std::filesystem::path& dir,
                                   std::chrono::milliseconds delay, const std::function<void(pid_t)>& during,
                                   const std::filesystem::path& stdout_path = "/dev/null") {
  const std::filesystem::path err =
      std::filesystem::temp_directory_path() / ("dsim_child_stderr_" + std::to_string(::getpid()));
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  ::sigprocmask(SIG_BLOCK, &block, &old);
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(99);
    std::vector<char*> argv{const_cast<char*>(DSIM_BINARY)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (::freopen(stdout_path.c_str(), "w", stdout) == nullptr || ::freopen(err.c_str(), "w", stderr) == nullptr) ::_exit(97);
    ::execv(DSIM_BINARY, argv.data());
    ::_exit(98);
  }
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  std::this_thread::sleep_for(delay);
  during(pid);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ChildResult r;
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  std::ifstream in(err);
  std::stringstream text;
  text << in.rdbuf();
  r.stderr_text = text.str();
  std::filesystem::remove(err);
  return r;
}

// Starts dsim with `args` in `dir`, sends `sig` after `delay`, returns the exit code.
inline int run_and_signal(const std::vector<std::string>& args, const std::filesystem::path& dir, int sig,
                          std::chrono::milliseconds delay) {
  return run_dsim_during(args, dir, delay, [sig](pid_t pid) { ::kill(pid, sig); }).exit;
}

}  // namespace dsim::testing
