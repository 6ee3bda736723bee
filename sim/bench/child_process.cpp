#include "bench/child_process.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

namespace dsim::bench {
namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

}  // namespace

std::optional<Json> run_child(const std::vector<std::string>& argv, std::string& error) {
  std::string command;
  for (const std::string& a : argv) command += shell_quote(a) + " ";
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    error = "cannot start: " + command;
    return std::nullopt;
  }
  std::string output;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  int status = pclose(pipe);
  if (status != 0) {
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    error = "exit status " + std::to_string(code) + " from: " + command;
    return std::nullopt;
  }
  while (!output.empty() && output.back() == '\n') output.pop_back();
  std::string last = output.substr(output.rfind('\n') == std::string::npos ? 0 : output.rfind('\n') + 1);
  Json report = Json::parse(last, nullptr, /*allow_exceptions=*/false);
  if (!report.is_object()) {
    error = "no JSON report on the last line of: " + command;
    return std::nullopt;
  }
  return report;
}

std::string own_directory() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : self.parent_path().string();
}

}  // namespace dsim::bench

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench/process_stats.h"

namespace dsim::bench {

TimedRun run_timed(const std::vector<std::string>& argv) {
  TimedRun out;
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  double wall0 = wall_seconds();
  pid_t pid = fork();
  if (pid < 0) {
    out.error = "cannot fork";
    return out;
  }
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, STDOUT_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage u{};
  if (wait4(pid, &status, 0, &u) < 0) {
    out.error = "wait4 failed";
    return out;
  }
  out.wall_s = wall_seconds() - wall0;
  out.cpu_s = static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
              static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  if (out.exit_code == 127) out.error = "cannot run " + argv[0];
  return out;
}

}  // namespace dsim::bench
