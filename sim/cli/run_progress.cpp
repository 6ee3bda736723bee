#include "cli/run_progress.h"

#include <algorithm>
#include <string>

#include "core/time.h"

namespace dsim::cli {

using Clock = std::chrono::steady_clock;  // allow-nondeterminism: progress display

RunProgress::RunProgress(std::FILE* out, int64_t duration_ns)
    : out_(out), duration_ns_(duration_ns), started_(Clock::now()), last_draw_(started_) {}

void RunProgress::update(int64_t now_ns, uint64_t events) {
  const auto now = Clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double wall_s = std::chrono::duration<double>(now - started_).count();
  const double fraction = duration_ns_ > 0 ? std::min(1.0, static_cast<double>(now_ns) / duration_ns_) : 0;
  const double rate = wall_s > 0 ? static_cast<double>(events) / wall_s : 0;
  std::string eta = "?";
  if (fraction > 0.001) eta = std::to_string(static_cast<long>(wall_s * (1 - fraction) / fraction)) + " s";
  std::fprintf(out_, "\r\033[Ksimulated %s of %s (%.0f%%), %.2fM events/s, about %s left",
               format_duration(Duration{now_ns}).c_str(),
               format_duration(Duration{duration_ns_}).c_str(), 100 * fraction, rate / 1e6,
               eta.c_str());
  std::fflush(out_);
  drawn_ = true;
}

void RunProgress::finish() {
  if (drawn_) std::fprintf(out_, "\r\033[K");
  drawn_ = false;
}

}  // namespace dsim::cli
