#include "explore/sweep_runner.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace dsim::explore {
namespace {

// State shared by the workers and the delivering thread; every field under `mutex`
// except `cancel`, which running simulations poll.
class OrderedSweep {
 public:
  OrderedSweep(const SeedRunner& runner, SeedSequence& seeds, size_t window)
      : runner_(runner), seeds_(seeds), window_(window) {}

  void work() {
    std::unique_lock lock(mutex_);
    for (;;) {
      room_.wait(lock, [&] {
        return stopping_ || error_ || next_ticket_ < next_delivery_ + window_;
      });
      if (stopping_ || error_) break;  // after an error, no new seed is drawn
      std::optional<uint64_t> seed = seeds_.next();
      if (!seed) break;
      uint64_t ticket = next_ticket_++;
      lock.unlock();
      std::optional<SweepRecord> record;
      try {
        record = runner_.run(*seed, &cancel_);
      } catch (...) {
        // The seeds drawn before this one still run and are delivered first: a sweep
        // stopped by one seed's error keeps the records of every seed before it.
        lock.lock();
        if (!error_ || ticket < error_ticket_) {
          error_ = std::current_exception();
          error_ticket_ = ticket;
        }
        room_.notify_all();
        break;
      }
      lock.lock();
      ready_.emplace(ticket, std::move(record));
      arrived_.notify_one();
    }
    --running_workers_;
    arrived_.notify_one();
  }

  SweepEnd deliver_in_order(const SweepOptions& options,
                            const std::function<bool(const SweepRecord&)>& deliver,
                            const std::function<void()>& tick) {
    uint64_t failures = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
      if (error_ && next_delivery_ == error_ticket_) return stop_locked(SweepEnd::kInterrupted);
      auto it = ready_.find(next_delivery_);
      if (it != ready_.end()) {
        std::optional<SweepRecord> record = std::move(it->second);
        ready_.erase(it);
        // Only a stopping sweep cancels runs, and it stops delivering first.
        if (!record) return stop_locked(SweepEnd::kInterrupted);
        ++next_delivery_;
        room_.notify_all();
        lock.unlock();
        bool delivered = deliver(*record);
        tick();
        lock.lock();
        if (!delivered) return stop_locked(SweepEnd::kDeliveryFailed);
        if (record->failed) ++failures;
        if (options.stop_after_failures > 0 && failures >= options.stop_after_failures) {
          return stop_locked(SweepEnd::kFailFast);
        }
        continue;
      }
      if (running_workers_ == 0) return error_ ? stop_locked(SweepEnd::kInterrupted) : SweepEnd::kCompleted;
      arrived_.wait_for(lock, std::chrono::milliseconds(100));
      if (options.interrupt != nullptr && options.interrupt->load()) {
        return stop_locked(SweepEnd::kInterrupted);
      }
      lock.unlock();
      tick();
      lock.lock();
    }
  }

  void start(unsigned jobs) {
    running_workers_ = jobs;
    for (unsigned i = 0; i < jobs; ++i) threads_.emplace_back([this] { work(); });
  }

  ~OrderedSweep() { stop_and_join(); }

  void stop_and_join() {
    {
      std::lock_guard lock(mutex_);
      stop_locked();
    }
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

  void rethrow_worker_error() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  SweepEnd stop_locked(SweepEnd end = SweepEnd::kInterrupted) {
    stopping_ = true;
    cancel_.store(true);
    room_.notify_all();
    return end;
  }

  const SeedRunner& runner_;
  SeedSequence& seeds_;
  const size_t window_;
  std::mutex mutex_;
  std::condition_variable room_;     // a worker may draw another seed
  std::condition_variable arrived_;  // a record arrived or a worker finished
  std::map<uint64_t, std::optional<SweepRecord>> ready_;  // by ticket (draw order)
  uint64_t next_ticket_ = 0;
  uint64_t next_delivery_ = 0;
  unsigned running_workers_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;  // the first error in draw order, of seed ticket error_ticket_
  uint64_t error_ticket_ = 0;
  std::atomic<bool> cancel_{false};
  std::vector<std::thread> threads_;
};

}  // namespace

SweepEnd run_sweep(const SeedRunner& runner, SeedSequence& seeds, const SweepOptions& options,
                   const std::function<bool(const SweepRecord&)>& deliver,
                   const std::function<void()>& tick) {
  unsigned jobs = std::max(1u, options.jobs);
  OrderedSweep sweep(runner, seeds, std::max<size_t>(1, options.window_per_job) * jobs);
  sweep.start(jobs);
  SweepEnd end = sweep.deliver_in_order(options, deliver, tick);  // joins on unwinding
  sweep.stop_and_join();
  sweep.rethrow_worker_error();
  return end;
}

}  // namespace dsim::explore
