// The fault verbs that act on part of a node rather than all of it: a stalled activity
// (stall) and a failing or slow disk (disk_fail, disk_slow). Kept apart from
// simulation.cpp, which only calls in here from a few hooks (deliver, fire_timer, crash).
#include <algorithm>

#include "core/simulation.h"

namespace dsim {

// ----------------------------------------------------------------------------- stall

namespace {
bool listed(const std::vector<std::string>& names, std::string_view name) {
  return !name.empty() && std::find(names.begin(), names.end(), name) != names.end();
}
}  // namespace

uint64_t Simulation::stall(NodeId n, StallSpec spec, PayloadRef description) {
  uint64_t id = next_fault_id_++;
  stalls_.push_back(ActiveStall{id, n, std::move(spec), {}});
  ++counters_.stalls;
  record(fault_events::StallStart{description, id}, n);
  fault_state_changed();
  return id;
}

bool Simulation::node_stalled(NodeId n) const {
  return std::any_of(stalls_.begin(), stalls_.end(),
                     [n](const ActiveStall& s) { return s.node == n; });
}

Simulation::ActiveStall* Simulation::stall_holding(NodeId n, std::string_view timer_kind,
                                                   std::string_view message_type) {
  for (ActiveStall& s : stalls_) {
    if (s.node == n && (listed(s.spec.timer_kinds, timer_kind) ||
                        listed(s.spec.message_types, message_type))) {
      return &s;
    }
  }
  return nullptr;
}

void Simulation::end_stall(uint64_t id) {
  auto it = std::find_if(stalls_.begin(), stalls_.end(),
                         [id](const ActiveStall& s) { return s.id == id; });
  if (it == stalls_.end()) return;
  ActiveStall ended = std::move(*it);
  stalls_.erase(it);
  record(fault_events::StallEnd{id, ended.held.size(), /*by_crash=*/false}, ended.node);
  fault_state_changed();
  // The activity catches up on what it missed, in arrival order. Each goes through the
  // usual door again: another stall (or a pause) that still holds it keeps it.
  backlog_events_ -= ended.held.size();
  for (const QueuedEvent& e : ended.held) {
    if (e.kind == EventKind::kDeliver) {
      deliver(e.slot, "after_stall");
    } else {
      fire_timer(e.slot, "after_stall");
    }
  }
}

void Simulation::end_stalls_on_crash(NodeId n) {
  for (size_t i = 0; i < stalls_.size();) {
    if (stalls_[i].node != n) {
      ++i;
      continue;
    }
    ActiveStall& s = stalls_[i];
    for (const QueuedEvent& e : s.held) {
      if (e.kind == EventKind::kDeliver) {
        ++counters_.dropped_node_down;
        free_inflight(e.slot);
      } else {
        free_timers_.push_back(e.slot);
      }
    }
    backlog_events_ -= s.held.size();
    record(fault_events::StallEnd{s.id, s.held.size(), /*by_crash=*/true}, n);
    stalls_.erase(stalls_.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

// ------------------------------------------------------------------------------ disk

// What the node's store asks its disk, answered from the windows open on that node.
class Simulation::NodeDisk final : public DiskController {
 public:
  NodeDisk(Simulation* sim, NodeId id) : sim_(sim), id_(id) {}
  bool write_fails() override { return fails(&DiskFailSpec::writes, sim_->counters_.disk_write_errors); }
  bool read_fails() override { return fails(&DiskFailSpec::reads, sim_->counters_.disk_read_errors); }
  DiskStatus begin_sync(uint64_t through) override { return sim_->begin_sync(id_, through); }

 private:
  bool fails(bool DiskFailSpec::*op, uint64_t& errors) {
    for (const DiskWindow& w : sim_->disk_windows_) {
      if (w.node == id_ && !w.slow && w.fail.*op) {
        ++errors;
        return true;
      }
    }
    return false;
  }
  Simulation* sim_;
  NodeId id_;
};

void Simulation::attach_disk(NodeId n) {
  if (disks_.empty()) {
    disks_.resize(cluster_.size());
    disk_state_.resize(cluster_.size());
  }
  if (!disks_[n]) {
    disks_[n] = std::make_unique<NodeDisk>(this, n);
    storage(n).set_controller(disks_[n].get());
  }
}

uint64_t Simulation::disk_fail(NodeId n, DiskFailSpec spec, PayloadRef description) {
  attach_disk(n);
  uint64_t id = next_fault_id_++;
  disk_windows_.push_back(DiskWindow{id, n, spec, std::nullopt});
  ++counters_.disk_faults;
  record(fault_events::DiskFaultStart{description, id}, n);
  fault_state_changed();
  return id;
}

uint64_t Simulation::disk_slow(NodeId n, LatencyModel extra_latency, PayloadRef description) {
  attach_disk(n);
  uint64_t id = next_fault_id_++;
  disk_windows_.push_back(DiskWindow{id, n, DiskFailSpec{}, extra_latency});
  ++counters_.disk_faults;
  record(fault_events::DiskFaultStart{description, id}, n);
  fault_state_changed();
  return id;
}

void Simulation::end_disk_window(uint64_t id) {
  auto it = std::find_if(disk_windows_.begin(), disk_windows_.end(),
                         [id](const DiskWindow& w) { return w.id == id; });
  if (it == disk_windows_.end()) return;
  NodeId n = it->node;
  bool was_hang = !it->slow && it->fail.hang;
  disk_windows_.erase(it);
  record(fault_events::DiskFaultEnd{id}, n);
  fault_state_changed();
  if (!was_hang) return;
  bool still_hung = std::any_of(disk_windows_.begin(), disk_windows_.end(), [n](const DiskWindow& w) {
    return w.node == n && !w.slow && w.fail.hang;
  });
  // The hung syncs finish together when the disk comes back.
  std::optional<uint64_t>& hung = disk_state_[n].hung_through;
  if (!still_hung && hung) {
    uint64_t through = *hung;
    hung.reset();
    finish_sync(n, through);
  }
}

DiskStatus Simulation::begin_sync(NodeId n, uint64_t through) {
  bool hang = false;
  Duration extra = Duration::zero();
  bool slow = false;
  for (const DiskWindow& w : disk_windows_) {
    if (w.node != n) continue;
    if (w.slow) {
      extra = extra + w.slow->sample(fault_rng_);
      slow = true;
    } else if (w.fail.syncs && !w.fail.hang) {
      ++counters_.disk_sync_errors;
      return DiskStatus::kIoError;
    } else if (w.fail.syncs && w.fail.hang) {
      hang = true;
    }
  }
  if (!hang && !slow) return DiskStatus::kOk;
  ++counters_.syncs_delayed;
  record(fault_events::SyncDelayed{through, hang, extra.ns}, n);
  DiskState& d = disk_state_[n];
  if (hang) {
    d.hung_through = std::max(d.hung_through.value_or(0), through);
  } else {
    // A crash in between forgets the sync: the epoch tells the completion it is stale.
    at(now() + extra, [this, n, through, epoch = d.epoch] {
      if (disk_state_[n].epoch == epoch) finish_sync(n, through);
    });
  }
  return DiskStatus::kInProgress;
}

void Simulation::finish_sync(NodeId n, uint64_t through) {
  storage(n).finish_sync(through);
  record(fault_events::SyncDone{through}, n);
  for (size_t i = 0; i < sync_waiters_.size();) {
    const SyncWaiter& w = sync_waiters_[i];
    if (w.node == n && w.through <= through) {
      set_timer_for(n, Duration::zero(), w.kind, w.arg);
      sync_waiters_.erase(sync_waiters_.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
}

DiskStatus Simulation::sync_async(NodeId n, TimerKind kind, int64_t arg) {
  DurableStore& store = storage(n);
  uint64_t through = store.write_mark();
  DiskStatus s = store.sync();
  if (s == DiskStatus::kOk) set_timer_for(n, Duration::zero(), kind, arg);
  if (s == DiskStatus::kInProgress) sync_waiters_.push_back(SyncWaiter{n, through, kind, arg});
  return s;
}

void Simulation::drop_disk_work_on_crash(NodeId n) {
  // The store forgets its syncs in flight itself (crash); here, who waited for them, and
  // the slow completions already scheduled (by the epoch).
  sync_waiters_.erase(std::remove_if(sync_waiters_.begin(), sync_waiters_.end(),
                                     [n](const SyncWaiter& w) { return w.node == n; }),
                      sync_waiters_.end());
  ++disk_state_[n].epoch;
  disk_state_[n].hung_through.reset();
}

}  // namespace dsim
