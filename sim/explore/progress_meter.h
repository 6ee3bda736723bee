// Shows a sweep's progress on a stream (stderr): a bar redrawn in place when the stream
// is a terminal, plain lines every 10% (or every 10 s) otherwise, so logs stay readable.
// Wall-clock time is only ever used here, for rates and the ETA; it never reaches a run.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace dsim::explore {

class ProgressMeter {
 public:
  // `total` seeds to run now (already-done seeds of a resumed sweep excluded).
  ProgressMeter(std::FILE* out, bool terminal, uint64_t total);
  void update(uint64_t done, uint64_t failures);  // cheap; redraws at most 10 times/s
  void finish(uint64_t done, uint64_t failures);

 private:
  void draw(uint64_t done, uint64_t failures, bool final);

  std::FILE* out_;
  bool terminal_;
  uint64_t total_;
  std::chrono::steady_clock::time_point started_;  // allow-nondeterminism: progress display
  std::chrono::steady_clock::time_point last_draw_;  // allow-nondeterminism: progress display
  uint64_t last_tenth_ = 0;
  bool drew_bar_ = false;
};

}  // namespace dsim::explore
