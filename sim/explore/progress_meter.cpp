#include "explore/progress_meter.h"

#include <algorithm>
#include <string>

namespace dsim::explore {
namespace {

std::string format_eta(double seconds) {
  if (seconds < 0 || seconds > 1e7) return "?";
  auto s = static_cast<uint64_t>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lluh%02llum", static_cast<unsigned long long>(s / 3600),
                  static_cast<unsigned long long>(s % 3600 / 60));
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%llum%02llus", static_cast<unsigned long long>(s / 60),
                  static_cast<unsigned long long>(s % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%llus", static_cast<unsigned long long>(s));
  }
  return buf;
}

}  // namespace

ProgressMeter::ProgressMeter(std::FILE* out, bool terminal, uint64_t total)
    : out_(out), terminal_(terminal), total_(total),
      started_(std::chrono::steady_clock::now()), last_draw_(started_) {}  // allow-nondeterminism: wall time is reported, never simulated

void ProgressMeter::update(uint64_t done, uint64_t failures) {
  if (done >= total_) return;  // finish() draws the last state
  auto now = std::chrono::steady_clock::now();  // allow-nondeterminism: wall time is reported, never simulated
  if (terminal_) {
    if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  } else {
    uint64_t tenth = total_ == 0 ? 10 : done * 10 / total_;
    bool new_tenth = tenth > last_tenth_;
    if (!new_tenth && now - last_draw_ < std::chrono::seconds(10)) return;
    last_tenth_ = tenth;
  }
  last_draw_ = now;
  draw(done, failures, false);
}

void ProgressMeter::finish(uint64_t done, uint64_t failures) {
  draw(done, failures, true);
  if (terminal_ && drew_bar_) std::fputc('\n', out_);
  std::fflush(out_);
}

void ProgressMeter::draw(uint64_t done, uint64_t failures, bool final) {
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();  // allow-nondeterminism: wall time is reported, never simulated
  double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  double eta = rate > 0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : -1.0;
  auto d = static_cast<unsigned long long>(done);
  auto t = static_cast<unsigned long long>(total_);
  auto f = static_cast<unsigned long long>(failures);
  if (terminal_) {
    constexpr int kWidth = 28;
    int filled = total_ == 0 ? kWidth : static_cast<int>(done * kWidth / total_);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(out_, "\r\x1b[K[%s] %llu/%llu seeds  %.1f seeds/s  %llu failed  ETA %s",
                 bar.c_str(), d, t, rate, f, final ? "0s" : format_eta(eta).c_str());
    drew_bar_ = true;
  } else {
    std::fprintf(out_, "sweep: %llu/%llu seeds, %.1f seeds/s, %llu failed, %s\n", d, t, rate, f,
                 final ? ("done in " + format_eta(elapsed)).c_str()
                       : ("ETA " + format_eta(eta)).c_str());
  }
  std::fflush(out_);
}

}  // namespace dsim::explore
