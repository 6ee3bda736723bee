#include "core/simulation.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>


namespace dsim {

const char* to_string(StopReason r) {
  switch (r) {
    case StopReason::kEndOfDuration:
      return "end_of_duration";
    case StopReason::kQuiescent:
      return "quiescent";
    case StopReason::kMaxEvents:
      return "max_events";
    case StopReason::kMaxTime:
      return "max_time";
    case StopReason::kMaxMemory:
      return "max_memory";
    case StopReason::kViolation:
      return "violation";
    case StopReason::kInterrupted:
      return "interrupted";
    case StopReason::kTimeStoodStill:
      return "time_stood_still";
  }
  return "?";
}

// An invariant of the simulator itself (not of the simulated protocol). Stays on in
// release builds and names the seed, so the failure can be replayed.
#define DSIM_ASSERT(cond, seed)                                                           \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "dsim internal error: %s (%s:%d), seed %llu\n", #cond, __FILE__, \
                   __LINE__, static_cast<unsigned long long>(seed));                      \
      std::abort();                                                                       \
    }                                                                                     \
  } while (0)

class Simulation::NodeContext final : public Context {
 public:
  NodeContext(Simulation* sim, NodeId id) : sim_(sim), id_(id) {}
  NodeId self() const override { return id_; }
  const Cluster& cluster() const override { return sim_->cluster_; }
  Instant now() const override { return sim_->local_time(id_); }
  uint32_t incarnation() const override;
  void send(NodeId to, Message message) override {
    sim_->send_from(id_, to, std::move(message));
  }
  TimerId start_timer(Duration after, TimerKind kind, int64_t arg) override {
    return sim_->set_timer_for(id_, after, kind, arg);
  }
  void cancel_timer(TimerId id) override { sim_->cancel_timer(id); }
  Rng& rng() override;
  void trace_event(PayloadRef event) override {
    if (sim_->observing()) sim_->record_typed(event, id_);
  }
  DurableStore& storage() override { return sim_->storage(id_); }
  DiskStatus start_sync(TimerKind kind, int64_t arg) override {
    return sim_->sync_async(id_, kind, arg);
  }

 private:
  Simulation* sim_;
  NodeId id_;
};

// What the simulator keeps per node. The fields read for every message or timer the
// node handles come first, so they share one or two cache lines.
struct Simulation::NodeSlot {
  std::unique_ptr<Process> process;
  bool up = false;
  bool paused = false;
  bool crashed = false;      // down because of a crash fault (not down-at-start)
  uint32_t incarnation = 0;  // starts so far, minus one
  NodeContext ctx;
  Rng rng;
  NodeClock clock;
  std::unique_ptr<DurableStore> storage;  // allocated on first use
  uint32_t starts = 0;
  std::vector<QueuedEvent> backlog;  // what arrived while paused, in arrival order

  NodeSlot(Simulation* sim, NodeId id, Rng r) : ctx(sim, id), rng(r) {}
};

uint32_t Simulation::NodeContext::incarnation() const { return sim_->nodes_[id_].incarnation; }
Rng& Simulation::NodeContext::rng() { return sim_->nodes_[id_].rng; }

Simulation::Simulation(Cluster cluster, SimulationConfig config, ProcessFactory factory)
    : cluster_(std::move(cluster)),
      config_(std::move(config)),
      factory_(std::move(factory)),
      network_(cluster_.size(), config_.link_defaults, config_.link_rules, config_.seed,
               cluster_.names()),
      fault_rng_(Rng::stream(config_.seed, "sim/faults")) {
  nodes_.reserve(cluster_.size());
  for (NodeId n = 0; n < cluster_.size(); ++n) {
    nodes_.emplace_back(this, n, Rng::stream(config_.seed, "node/" + cluster_.name(n)));
    if (n < config_.clocks.size()) nodes_[n].clock = config_.clocks[n];
  }
}

Simulation::~Simulation() = default;

void Simulation::set_trace(TraceWriter* trace) {
  trace_ = trace == nullptr ? nullptr : std::make_unique<JsonTraceObserver>(*trace, cluster_);
}

bool Simulation::node_up(NodeId n) const { return nodes_[n].up; }
bool Simulation::node_paused(NodeId n) const { return nodes_[n].paused; }
Instant Simulation::local_time(NodeId n) const { return nodes_[n].clock.local_at(Instant{now_ns_}); }
Process* Simulation::process(NodeId n) { return nodes_[n].process.get(); }

DurableStore& Simulation::storage(NodeId n) {
  auto& s = nodes_[n].storage;
  if (!s) s = std::make_unique<DurableStore>();
  return *s;
}

void Simulation::add_checker(std::unique_ptr<Checker> checker) {
  if (checker->wants_network_events()) network_checkers_.push_back(checker.get());
  routes_.add(checker.get());
  checkers_.push_back(std::move(checker));
}

void Simulation::at(Instant when, std::function<void()> action) {
  uint32_t slot;
  if (!free_actions_.empty()) {
    slot = free_actions_.back();
    free_actions_.pop_back();
    actions_[slot] = std::move(action);
  } else {
    slot = static_cast<uint32_t>(actions_.size());
    actions_.push_back(std::move(action));
  }
  queue_.push(std::max(when.ns, now_ns_), EventKind::kAction, slot);
}

// ---------------------------------------------------------------------------- run loop

uint64_t Simulation::bytes_per_message() { return sizeof(InFlight) + EventQueue::kBytesPerEvent; }
uint64_t Simulation::bytes_per_timer() { return sizeof(TimerSlot) + EventQueue::kBytesPerEvent; }
uint64_t Simulation::bytes_per_node() { return sizeof(NodeSlot) + sizeof(NodeClock) + sizeof(Rng); }

uint64_t Simulation::live_bytes() const {
  return queue_.counted_bytes() + inflight_.bytes_held() + with_body_.bytes_held() +
         body_heap_bytes_ + timers_.capacity() * sizeof(TimerSlot) +
         free_timers_.capacity() * sizeof(uint32_t) + backlog_events_ * sizeof(QueuedEvent) +
         actions_.capacity() * sizeof(std::function<void()>);
}

RunResult Simulation::run() {
  std::vector<bool> down(cluster_.size(), false);
  for (NodeId n : config_.down_at_start) down[n] = true;
  // Booting may already send a burst (an all-to-all first round), so the growth check
  // runs after each start too.
  // A signal is checked after each start too: starting many nodes takes a while, and a trace
  // streamed to standard output is already being written (it must end with its closing
  // line). Stopped there, the run processes no event.
  bool over_memory = false;
  bool interrupted_at_start = false;
  for (NodeId n = 0; n < cluster_.size() && !over_memory && !interrupted_at_start; ++n) {
    if (!down[n]) start_process(n);
    over_memory = over_memory_limit();
    interrupted_at_start = interrupt_ != nullptr && interrupt_->load(std::memory_order_relaxed);
  }
  if (loop_start_) loop_start_();

  RunResult result;
  const int64_t end_ns = config_.limits.end.ns;
  const int64_t max_time_ns = config_.limits.max_time.ns;
  result.stopped_by = interrupted_at_start ? StopReason::kInterrupted : StopReason::kQuiescent;
  // Events already queued for the current instant (see the stand-still check below).
  uint64_t pending_at_instant_start = queue_.size();
  while (!interrupted_at_start) {
    if (over_memory || ((events_ & 1023) == 0 && over_memory_limit())) {
      result.stopped_by = StopReason::kMaxMemory;
      break;
    }
    if (stop_requested_) {
      result.stopped_by = StopReason::kViolation;
      break;
    }
    if (queue_.empty()) {
      result.stopped_by = StopReason::kQuiescent;
      now_ns_ = std::max(now_ns_, std::min(end_ns, max_time_ns));
      break;
    }
    const int64_t next = queue_.next_at_ns();
    if (next > max_time_ns && max_time_ns < end_ns) {
      result.stopped_by = StopReason::kMaxTime;
      now_ns_ = max_time_ns;
      break;
    }
    if (next > end_ns) {
      result.stopped_by = StopReason::kEndOfDuration;
      now_ns_ = end_ns;
      break;
    }
    if (events_ >= config_.limits.max_events) {
      result.stopped_by = StopReason::kMaxEvents;
      break;
    }
    // Time that does not advance: counted only while it stands still, and only past the
    // events already pending when the instant began (a broadcast's deliveries or a burst of
    // tokens sent with one latency may all fall on one instant: that is not a loop; a run
    // whose delays are zero makes its own events at the instant, without end).
    if (next != now_ns_) {
      events_this_instant_ = 0;
      pending_at_instant_start = queue_.size();
    } else if (++events_this_instant_ >=
               config_.limits.max_events_per_instant + pending_at_instant_start) {
      result.stopped_by = StopReason::kTimeStoodStill;
      break;
    }
    // Checked before every event: one event may be slow (a ring of millions of points
    // rebuilt at a view change), and a Ctrl-C must not wait for thousands of them. The
    // flag is only ever raised (a signal handler, a sweep stopping its workers) and guards no
    // other data, so a relaxed load is enough: one load per event.
    if (interrupt_ != nullptr && interrupt_->load(std::memory_order_relaxed)) {
      result.stopped_by = StopReason::kInterrupted;
      break;
    }
    if ((events_ & 65535) == 0 && progress_) progress_(now_ns_, events_);
    counters_.peak_pending_events = std::max(counters_.peak_pending_events, queue_.size());
    QueuedEvent e = queue_.pop();
    DSIM_ASSERT(e.at_ns >= now_ns_, config_.seed);
    now_ns_ = e.at_ns;
    ++events_;
    dispatch(e);
  }
  ran_to_end_ = result.stopped_by == StopReason::kEndOfDuration ||
                result.stopped_by == StopReason::kQuiescent;
  for (auto& c : checkers_) c->stopped(*this);
  // Final invariants and liveness are judged only on a run that was not cut short by a
  // safety violation (checkers consult ran_to_end() for the other early stops).
  if (result.stopped_by != StopReason::kViolation) {
    for (auto& c : checkers_) c->finish(*this);
  }

  result.events = events_;
  result.sim_time = now();
  result.violations = violations_;
  result.trace_truncated = trace_ != nullptr && trace_->writer().truncated();
  if (collect_metrics_) result.metrics = metrics();
  return result;
}

Json Simulation::metrics() const {
  Json sim = Json::object();
  sim["messages_sent"] = counters_.sent;
  sim["messages_delivered"] = counters_.delivered;
  sim["messages_duplicated"] = counters_.duplicated;
  sim["dropped_loss"] = counters_.dropped_loss;
  sim["dropped_partition"] = counters_.dropped_partition;
  sim["dropped_node_down"] = counters_.dropped_node_down;
  sim["timers_fired"] = counters_.timers_fired;
  sim["crashes"] = counters_.crashes;
  sim["restarts"] = counters_.restarts;
  sim["pauses"] = counters_.pauses;
  sim["clock_changes"] = counters_.clock_changes;
  sim["partitions"] = counters_.partitions;
  sim["unsynced_writes_lost"] = counters_.unsynced_writes_lost;
  sim["faults_skipped"] = counters_.faults_skipped;
  // The newer fault kinds add their figures only to runs that used them, so the
  // summaries of older scenarios stay as they were.
  if (counters_.stalls > 0) {
    sim["stalls"] = counters_.stalls;
    sim["stall_held"] = counters_.stall_held;
  }
  if (counters_.disk_faults > 0) {
    sim["disk_faults"] = counters_.disk_faults;
    sim["disk_write_errors"] = counters_.disk_write_errors;
    sim["disk_sync_errors"] = counters_.disk_sync_errors;
    sim["disk_read_errors"] = counters_.disk_read_errors;
    sim["syncs_delayed"] = counters_.syncs_delayed;
  }
  if (config_.torn_write_probability > 0) sim["torn_writes"] = counters_.torn_writes;
  sim["peak_pending_events"] = counters_.peak_pending_events;
  // What the growth check counts at the end: the estimate's baseline plus live_bytes().
  sim["memory_counted_bytes"] = config_.limits.memory_baseline_bytes + live_bytes();
  Json metrics = Json::object();
  metrics["sim"] = std::move(sim);
  for (const auto& c : checkers_) {
    Json m = Json::object();
    c->write_metrics(m);
    if (!m.empty()) metrics[std::string(c->name())] = std::move(m);
  }
  return metrics;
}

void Simulation::dispatch(const QueuedEvent& e) {
  switch (e.kind) {
    case EventKind::kDeliver:
      deliver(e.slot, nullptr);
      return;
    case EventKind::kTimer:
      fire_timer(e.slot, nullptr);
      return;
    case EventKind::kAction: {
      std::function<void()> action = std::move(actions_[e.slot]);
      actions_[e.slot] = nullptr;
      free_actions_.push_back(e.slot);
      action();
      return;
    }
  }
}

// ----------------------------------------------------------------------------- nodes

void Simulation::start_process(NodeId n) {
  NodeSlot& node = nodes_[n];
  node.incarnation = node.starts++;
  node.up = true;
  node.process = factory_(n);
  DSIM_ASSERT(node.process != nullptr, config_.seed);
  node.process->on_start(node.ctx);
}

void Simulation::fill_inflight(InFlight& f, NodeId from, NodeId to, MessageId id, Message&& m) {
  f.from = from;
  f.to = to;
  f.id = id;
  f.arrived = false;
  if (!m.has_fields()) {
    f.type = message_types_.intern(m);
    f.body_slot = InFlight::kNoBody;
  } else {
    f.body_slot = with_body_.take();
    body_heap_bytes_ += m.payload().heap_bytes();
    with_body_[f.body_slot] = std::move(m);
  }
}

const Message& Simulation::message_of(const InFlight& f) {
  return f.body_slot == InFlight::kNoBody ? message_types_.prototype(f.type)
                                          : with_body_[f.body_slot];
}

void Simulation::free_inflight(uint32_t slot) {
  const InFlight& f = inflight_[slot];
  if (f.body_slot != InFlight::kNoBody) {
    Message& m = with_body_[f.body_slot];
    body_heap_bytes_ -= m.payload().heap_bytes();
    m = Message();
    with_body_.give_back(f.body_slot);
  }
  inflight_.give_back(slot);
}

void Simulation::send_from(NodeId from, NodeId to, Message&& m) {
  DSIM_ASSERT(to < nodes_.size(), config_.seed);
  ++counters_.sent;
  MessageId id = next_message_id_++;
  RouteResult fate = network_.route(from, to);
  if (observing_network()) record_network("send", from, to, id, m, nullptr);
  if (fate.dropped != DropReason::kNone) {
    if (fate.dropped == DropReason::kLoss) ++counters_.dropped_loss;
    if (fate.dropped == DropReason::kPartition) ++counters_.dropped_partition;
    if (observing_network()) record_network("drop", from, to, id, m, to_string(fate.dropped));
    return;
  }
  if (fate.copies == 2) {
    ++counters_.duplicated;
    uint32_t dup = inflight_.take();
    fill_inflight(inflight_[dup], from, to, id, Message(m));
    queue_.push((now() + fate.latency[1]).ns, EventKind::kDeliver, dup);
    if (observing_network()) record_network("duplicate", from, to, id, m, nullptr);
  }
  uint32_t slot = inflight_.take();
  fill_inflight(inflight_[slot], from, to, id, std::move(m));
  queue_.push((now() + fate.latency[0]).ns, EventKind::kDeliver, slot);
}

void Simulation::deliver(uint32_t slot, const char* released) {
  InFlight& f = inflight_[slot];
  NodeSlot& node = nodes_[f.to];
  const char* drop = nullptr;
  if (!f.arrived && network_.blocked(f.from, f.to)) {
    drop = "partition";
    ++counters_.dropped_partition;
  } else if (!node.up) {
    drop = "node_down";
    ++counters_.dropped_node_down;
  }
  if (drop != nullptr) {
    if (observing_network()) record_network("drop", f.from, f.to, f.id, message_of(f), drop);
    free_inflight(slot);
    return;
  }
  if (node.paused) {
    f.arrived = true;
    node.backlog.push_back({now_ns_, EventKind::kDeliver, slot});
    ++backlog_events_;
    return;
  }
  if (!stalls_.empty()) {
    if (ActiveStall* s = stall_holding(f.to, {}, message_of(f).type())) {
      f.arrived = true;
      s->held.push_back({now_ns_, EventKind::kDeliver, slot});
      ++backlog_events_;
      ++counters_.stall_held;
      return;
    }
  }
  ++counters_.delivered;
  if (observing_network()) record_network("deliver", f.from, f.to, f.id, message_of(f), released);
  // Slot addresses are stable while the handler sends (and so takes more slots).
  node.process->on_message(node.ctx, f.from, message_of(f));
  free_inflight(slot);
}

TimerId Simulation::set_timer_for(NodeId n, Duration after, TimerKind kind, int64_t arg) {
  uint32_t slot;
  if (!free_timers_.empty()) {
    slot = free_timers_.back();
    free_timers_.pop_back();
  } else {
    slot = static_cast<uint32_t>(timers_.size());
    timers_.push_back(TimerSlot{});
  }
  TimerSlot& t = timers_[slot];
  t.node = n;
  t.incarnation = nodes_[n].incarnation;
  t.generation += 1;
  t.cancelled = false;
  t.code = kind.code;
  t.kind = kind.name;
  t.arg = arg;
  Duration global = nodes_[n].clock.global_span_of(after);
  queue_.push((now() + global).ns, EventKind::kTimer, slot);
  return (static_cast<uint64_t>(t.generation) << 32) | slot;
}

void Simulation::cancel_timer(TimerId id) {
  uint32_t slot = static_cast<uint32_t>(id & 0xffffffffu);
  uint32_t generation = static_cast<uint32_t>(id >> 32);
  if (slot < timers_.size() && timers_[slot].generation == generation) {
    timers_[slot].cancelled = true;
  }
}

void Simulation::fire_timer(uint32_t slot, const char* released) {
  TimerSlot& t = timers_[slot];
  NodeSlot& node = nodes_[t.node];
  bool stale = t.cancelled || !node.up || t.incarnation != node.incarnation;
  if (!stale && node.paused) {
    node.backlog.push_back({now_ns_, EventKind::kTimer, slot});
    ++backlog_events_;
    return;
  }
  if (!stale && !stalls_.empty()) {
    if (ActiveStall* s = stall_holding(t.node, t.kind, {})) {
      s->held.push_back({now_ns_, EventKind::kTimer, slot});
      ++backlog_events_;
      ++counters_.stall_held;
      return;
    }
  }
  // Retire the slot before running the handler, which may set new timers.
  Timer fired{(static_cast<uint64_t>(t.generation) << 32) | slot, t.kind, t.arg, t.code};
  free_timers_.push_back(slot);
  if (stale) return;
  ++counters_.timers_fired;
  if (trace_ != nullptr) trace_->timer(now_ns_, t.node, fired.kind, fired.arg, released);
  node.process->on_timer(node.ctx, fired);
}

// ---------------------------------------------------------------------------- faults

void Simulation::crash(NodeId n) {
  NodeSlot& node = nodes_[n];
  if (!node.up) return;
  node.up = false;
  node.crashed = true;
  ++crashed_nodes_;
  if (node.paused) {
    node.paused = false;
    --paused_nodes_;
  }
  node.process.reset();
  if (!stalls_.empty()) end_stalls_on_crash(n);
  if (!disks_.empty()) drop_disk_work_on_crash(n);
  backlog_events_ -= node.backlog.size();
  for (const QueuedEvent& e : node.backlog) {
    if (e.kind == EventKind::kDeliver) {
      ++counters_.dropped_node_down;
      free_inflight(e.slot);
    } else {
      free_timers_.push_back(e.slot);
    }
  }
  node.backlog.clear();
  size_t torn = 0;
  size_t lost = node.storage ? crash_storage(n, &torn) : 0;
  ++counters_.crashes;
  counters_.unsynced_writes_lost += lost;
  counters_.torn_writes += torn;
  record(fault_events::Crash{lost, torn}, n);
  fault_state_changed();
}

// The crash as the disk sees it: a random prefix of the unsynced writes may survive (the
// OS flushed some pages), and the write after it may survive torn.
size_t Simulation::crash_storage(NodeId n, size_t* torn) {
  DurableStore& store = *nodes_[n].storage;
  size_t pending = store.unsynced_writes();
  size_t keep = 0;
  if (config_.keep_unsynced_fraction_max > 0 && pending > 0) {
    double frac = fault_rng_.uniform_real() * config_.keep_unsynced_fraction_max;
    keep = static_cast<size_t>(std::floor(frac * static_cast<double>(pending)));
  }
  bool tear = config_.torn_write_probability > 0 && keep < pending &&
              fault_rng_.bernoulli(config_.torn_write_probability);
  size_t lost = store.crash(keep, tear);
  *torn = store.last_crash_tore() ? 1 : 0;
  return lost;
}

void Simulation::restart(NodeId n) {
  NodeSlot& node = nodes_[n];
  if (node.up) return;
  if (node.crashed) {
    node.crashed = false;
    --crashed_nodes_;
  }
  ++counters_.restarts;
  record(fault_events::Restart{node.starts}, n);
  fault_state_changed();
  start_process(n);
}

void Simulation::pause(NodeId n) {
  NodeSlot& node = nodes_[n];
  if (!node.up || node.paused) return;
  node.paused = true;
  ++paused_nodes_;
  ++counters_.pauses;
  record(fault_events::Pause{}, n);
  fault_state_changed();
}

void Simulation::resume(NodeId n) {
  NodeSlot& node = nodes_[n];
  if (!node.paused) return;
  node.paused = false;
  --paused_nodes_;
  record(fault_events::Resume{node.backlog.size()}, n);
  fault_state_changed();
  // The frozen process now works through what piled up, in arrival order. A handler may
  // not crash or pause its own node (only faults do that), so the backlog stays valid.
  std::vector<QueuedEvent> backlog = std::move(node.backlog);
  node.backlog.clear();
  backlog_events_ -= backlog.size();
  for (const QueuedEvent& e : backlog) {
    if (e.kind == EventKind::kDeliver) {
      deliver(e.slot, "after_pause");
    } else {
      fire_timer(e.slot, "after_pause");
    }
  }
}

void Simulation::clock_jump(NodeId n, Duration by) {
  nodes_[n].clock.jump(now(), by);
  ++counters_.clock_changes;
  record(fault_events::ClockJump{by.ns}, n);
}

void Simulation::clock_drift(NodeId n, int64_t drift_ppm) {
  DSIM_ASSERT(drift_ppm > -1000000, config_.seed);
  nodes_[n].clock.set_drift(now(), drift_ppm);
  ++counters_.clock_changes;
  record(fault_events::ClockDrift{drift_ppm}, n);
}

uint64_t Simulation::partition(Cut cut, PayloadRef description) {
  uint64_t id = network_.add_cut(std::move(cut));
  ++counters_.partitions;
  record(fault_events::Partition{description, id}, kNoNode);
  fault_state_changed();
  return id;
}

void Simulation::heal(std::optional<uint64_t> cut_id) {
  size_t healed = 0;
  if (cut_id) {
    healed = network_.remove_cut(*cut_id) ? 1 : 0;
  } else {
    healed = network_.remove_all_cuts();
  }
  if (healed == 0) return;
  record(fault_events::Heal{cut_id, healed}, kNoNode);
  fault_state_changed();
}

uint64_t Simulation::add_link_window(LinkWindow w, PayloadRef description) {
  uint64_t id = network_.add_window(std::move(w));
  record(fault_events::LinkWindowStart{description, id}, kNoNode);
  fault_state_changed();
  return id;
}

void Simulation::end_link_window(uint64_t id) {
  if (!network_.remove_window(id)) return;
  record(fault_events::LinkWindowEnd{id}, kNoNode);
  fault_state_changed();
}

void Simulation::fault_skipped(NodeId node, PayloadRef fault, std::string_view reason) {
  ++counters_.faults_skipped;
  record(fault_events::FaultSkipped{fault, reason}, node);
}

void Simulation::fault_state_changed() {
  bool quiet = crashed_nodes_ == 0 && paused_nodes_ == 0 && network_.active_cuts() == 0 &&
               network_.active_windows() == 0 && stalls_.empty() && disk_windows_.empty();
  if (!quiet) {
    quiet_since_ = Instant::max();
  } else if (quiet_since_ == Instant::max()) {
    quiet_since_ = now();
  }
}

Instant Simulation::faults_quiet_since() const { return quiet_since_; }

// --------------------------------------------------------------- tracing, checkers

void Simulation::record_fault(PayloadRef event, NodeId node) {
  Instant local = node == kNoNode ? now() : local_time(node);
  if (trace_ != nullptr) trace_->event(now_ns_, event, node, local);
  if (checkers_.empty()) return;
  Observation o(now(), local, event, node, observations_++, /*from_protocol=*/false);
  for (Checker* c : routes_.to(event.kind())) c->observe(o, *this);
}

// Without a trace, an event of a kind no checker chose (CheckerRoutes) is only counted
// (Observation::seq numbers every event): no local time read, no Observation built.
void Simulation::record_typed(PayloadRef event, NodeId node) {
  const std::vector<Checker*>* route = checkers_.empty() ? nullptr : &routes_.to(event.kind());
  if (trace_ == nullptr && route->empty()) {  // observing(): no trace means some checker
    ++observations_;
    return;
  }
  Instant local = local_time(node);
  if (trace_ != nullptr) trace_->typed_event(now_ns_, event, node, local);
  if (route == nullptr) return;
  Observation o(now(), local, event, node, observations_++);
  for (Checker* c : *route) c->observe(o, *this);
}

void Simulation::record_network(std::string_view event, NodeId from, NodeId to, MessageId id,
                                const Message& m, const char* reason) {
  if (trace_ != nullptr) trace_->network(now_ns_, event, from, to, id, m, reason);
  if (network_checkers_.empty()) return;
  NetworkEvent e{now(), event, from, to, id, m, reason};
  for (Checker* c : network_checkers_) c->observe_network(e, *this);
}

void Simulation::report(Violation v) {
  if (trace_ != nullptr) trace_->violation(now_ns_, v);
  violations_.push_back(std::move(v));
  if (config_.stop_on_violation) stop_requested_ = true;
}

}  // namespace dsim
