// Runs a sweep's seeds on worker threads and hands the records back in seed order.
//
// Each worker runs whole, independent simulations (a Simulation is single-threaded and
// owns all its state). Records are delivered on the calling thread strictly in the order
// the seeds were drawn (ascending), whatever the number of jobs or how long each seed
// takes, so the output of a sweep is the same byte for byte (wall time aside) with one
// job or many, and a sweep cut short leaves a prefix of the full output. Workers never
// run further ahead of delivery than a fixed window, which bounds memory.
#pragma once

#include <atomic>
#include <functional>

#include "explore/seed_range.h"
#include "explore/seed_runner.h"
#include "explore/sweep_record.h"

namespace dsim::explore {

struct SweepOptions {
  unsigned jobs = 1;
  // Stop once this many failing records were delivered (0: never). Seeds after the last
  // delivered one are dropped even if a worker already ran them, so where a fail-fast
  // sweep stops does not depend on the number of jobs.
  uint64_t stop_after_failures = 0;
  const std::atomic<bool>* interrupt = nullptr;  // e.g. set by Ctrl-C
  size_t window_per_job = 64;  // seeds a worker may run ahead of delivery
};

enum class SweepEnd { kCompleted, kFailFast, kInterrupted, kDeliveryFailed };

// Calls `deliver` for each record in seed order; returning false stops the sweep
// (kDeliveryFailed). Calls `tick` after each record and at least every 100 ms of wall
// time, for a progress display. Rethrows on the calling thread what a worker threw (a seed
// refused as bad input), after delivering the records of every seed before that one.
SweepEnd run_sweep(const SeedRunner& runner, SeedSequence& seeds, const SweepOptions& options,
                   const std::function<bool(const SweepRecord&)>& deliver,
                   const std::function<void()>& tick);

}  // namespace dsim::explore
