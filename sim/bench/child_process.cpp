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
