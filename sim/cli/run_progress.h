// The progress line of `dsim run` on a terminal: simulated time reached of the scenario's
// duration, events per second, and the time left, redrawn in place at most 10 times a
// second and erased when the run ends. Shown only when stderr is a terminal and --quiet
// is not given. Wall-clock time is read only here; it never reaches the run.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace dsim::cli {

class RunProgress {
 public:
  RunProgress(std::FILE* out, int64_t duration_ns);
  void update(int64_t now_ns, uint64_t events);  // from the simulation's progress observer
  void finish();                                  // erases the line

 private:
  std::FILE* out_;
  int64_t duration_ns_;
  std::chrono::steady_clock::time_point started_;    // allow-nondeterminism: progress display
  std::chrono::steady_clock::time_point last_draw_;  // allow-nondeterminism: progress display
  bool drawn_ = false;
};

}  // namespace dsim::cli
