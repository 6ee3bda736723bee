// Helpers shared by the sweep tests: a private folder per test, running the dsim binary,
// and reading results files with the wall time (the one field that may differ) removed.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.h"

namespace dsim::explore::testing {

namespace fs = std::filesystem;

inline const std::string kTight = std::string(DSIM_SOURCE_DIR) + "/tests/sweep/data/heartbeat-tight.json";

// A fresh folder named after the running test (ctest runs tests in parallel processes).
inline fs::path test_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir = fs::temp_directory_path() / "dsim_sweep_tests" /
                 (std::string(info->test_suite_name()) + "." + info->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Runs `dsim ARGS` quietly; returns its exit code.
inline int dsim(const std::string& args) {
  std::string cmd = std::string(DSIM_BINARY) + " " + args + " >/dev/null 2>&1";
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream s(text);
  for (std::string line; std::getline(s, line);) lines.push_back(line);
  return lines;
}

// Each record line with its wall time removed, in file order.
inline std::vector<std::string> records_without_wall_time(const fs::path& p) {
  std::vector<std::string> out;
  for (const std::string& line : lines_of(read_text(p))) {
    Json j = Json::parse(line);
    j.erase("wall_us");
    out.push_back(j.dump());
  }
  return out;
}

inline void write_text(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

}  // namespace dsim::explore::testing
